//! Header rows, the printed column-number row, and each column's header path.

use crate::model::Table;
use cnbudget_grammar::furniture::{is_code_cell, is_column_numbers, is_figure_cell};
use cnbudget_grammar::HeaderPath;

/// Sets `header_rows`, `column_number_row` and `header_paths` from the cells. A table
/// continued over hundreds of pages is classified again after each piece, so each pass over
/// its cells is cheap below the header: texts are matched only above the first data row
/// found so far, and only the header rows are indexed.
pub(crate) fn classify(t: &mut Table) {
    let mut data_row: Option<usize> = None;
    for c in &t.cells {
        if c.row < t.n_rows
            && data_row.is_none_or(|d| c.row < d)
            && (is_figure_cell(&c.text) || (c.col < 2 && is_code_cell(&c.text)))
        {
            data_row = Some(c.row);
        }
    }
    let mut header = data_row.unwrap_or(1).min(t.n_rows);
    // The column-number row, where printed, stands last in the header (its numbers are no
    // figures). A table published empty has no data row: its column numbers are looked for
    // in its first rows (Suzhou 公开11表, Changsha 政府性基金预算支出情况表: `栏次 1 2 3` was
    // read as a row of figures).
    const EMPTY_TABLE_HEADER_ROWS: usize = 8;
    let scan = data_row.map_or(EMPTY_TABLE_HEADER_ROWS, |d| d + 1);
    let mut row_texts: Vec<Vec<&str>> = vec![Vec::new(); scan.min(t.n_rows)];
    for c in &t.cells {
        if let Some(texts) = row_texts.get_mut(c.row) {
            let text = c.text.trim();
            if !text.is_empty() {
                texts.push(text);
            }
        }
    }
    t.column_number_row = row_texts.iter().position(|texts| is_column_numbers(texts));
    if let Some(r) = t.column_number_row {
        header = header.max(r + 1);
    }
    // A header cell spanning down into the body pulls the header boundary with it (an
    // empty one, such as a margin column running the table's height, does not).
    for c in &t.cells {
        if c.row < header
            && c.row + c.rowspan > header
            && !c.text.is_empty()
            && Some(c.row) != t.column_number_row
            && c.row + c.rowspan <= t.n_rows / 2
        {
            header = c.row + c.rowspan;
        }
    }
    t.header_rows = header.min(t.n_rows);
    let at = t.index_rows(0..t.header_rows);
    let paths = (0..t.n_cols)
        .map(|col| {
            let mut parts: Vec<String> = Vec::new();
            let mut last: Option<(usize, usize)> = None;
            for r in 0..t.header_rows {
                if Some(r) == t.column_number_row {
                    continue;
                }
                if let Some(cell) = at.at(r, col) {
                    let key = (cell.row, cell.col);
                    if last != Some(key) && !cell.text.is_empty() {
                        parts.push(cell.text.clone());
                    }
                    last = Some(key);
                }
            }
            HeaderPath::new(parts)
        })
        .collect();
    t.header_paths = paths;
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Regression (Suzhou 审计局 公开11表, published empty): with no data row, the column
    /// numbers `栏次 1 2 3` were read as a row of figures and failed `1 = 2 + 3`.
    #[test]
    fn an_empty_tables_column_numbers_are_header() {
        use crate::model::{Cell, Method};
        use cnbudget_pdf::Rect;
        let rows: [&[(usize, usize, &str)]; 4] = [
            &[
                (0, 2, "项目"),
                (2, 1, "本年支出合计"),
                (3, 1, "基本支出"),
                (4, 1, "项目支出"),
            ],
            &[(0, 1, "功能分类科目编码"), (1, 1, "科目名称")],
            &[(0, 2, "栏次"), (2, 1, "1"), (3, 1, "2"), (4, 1, "3")],
            &[(0, 2, "合计")],
        ];
        let bbox = Rect {
            x0: 0.0,
            y0: 0.0,
            x1: 100.0,
            y1: 40.0,
        };
        let cells = rows
            .iter()
            .enumerate()
            .flat_map(|(row, cells)| {
                cells.iter().map(move |&(col, colspan, text)| Cell {
                    row,
                    col,
                    rowspan: 1,
                    colspan,
                    page: 20,
                    bbox,
                    text: text.into(),
                })
            })
            .collect();
        let xs = vec![0.0, 20.0, 40.0, 60.0, 80.0, 100.0];
        let mut t = Table::new(Method::Lattice, 20, bbox, 4, xs, cells);
        classify(&mut t);
        assert_eq!(t.column_number_row, Some(2));
        assert_eq!(t.header_rows, 3);
        assert_eq!(t.header_paths[2].to_string(), "本年支出合计");
    }
}
