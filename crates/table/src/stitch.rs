//! Tables continued over a page break become one: the first table of a page that has no title
//! or label of its own, whose column boundaries all fall on the boundaries of the last table of
//! the page before, continues it. A header it repeats is dropped; a row cut by the page break
//! (`八、社会保障和就` ⏎ `业支出`) is joined again.

use crate::furniture::Furniture;
use crate::model::{CellIndex, Method, Table};
use cnbudget_grammar::furniture::is_figure_cell;
use cnbudget_grammar::label::starts_item;
use cnbudget_pdf::Page;

/// How far apart (points) two pieces' column boundaries may be and still be the same.
const SAME_EDGE: f64 = 6.0;

fn row_texts(t: &Table, at: &CellIndex, r: usize) -> Vec<String> {
    (0..t.n_cols)
        .map(|c| {
            at.at(r, c)
                .map(|cell| cell.text.clone())
                .unwrap_or_default()
        })
        .collect()
}

/// For each boundary of `next`, the index of the same boundary in `prev`; `None` unless the
/// two pieces share their outer edges and every boundary of `next` is one of `prev`'s
/// (merged cells drop inner rules, so a continued piece may have fewer columns).
fn column_map(prev: &[f64], next: &[f64]) -> Option<Vec<usize>> {
    let nearest = |x: f64| {
        (0..prev.len())
            .min_by(|&a, &b| (prev[a] - x).abs().total_cmp(&(prev[b] - x).abs()))
            .filter(|&i| (prev[i] - x).abs() <= SAME_EDGE)
    };
    let map: Vec<usize> = next.iter().map(|&x| nearest(x)).collect::<Option<_>>()?;
    let increasing = map.windows(2).all(|w| w[0] < w[1]);
    (increasing && map.first() == Some(&0) && map.last() == Some(&(prev.len() - 1))).then_some(map)
}

/// Joins a first row that is only the tail of `prev`'s last row's labels; returns whether it did.
fn join_cut_row(prev: &mut Table, next: &Table, first: usize) -> bool {
    // Only a body row can be cut: a header row standing alone at a page's foot is whole.
    let Some(last) = prev
        .n_rows
        .checked_sub(1)
        .filter(|&l| l >= prev.header_rows)
    else {
        return false;
    };
    let tail: Vec<_> = next
        .cells
        .iter()
        .filter(|c| c.row == first && !c.text.is_empty())
        .collect();
    let at = prev.index_rows(last..last + 1);
    let joinable = !tail.is_empty()
        && tail.iter().all(|c| {
            !is_figure_cell(&c.text)
                && !starts_item(&c.text)
                && at
                    .at(last, c.col)
                    .is_some_and(|p| !p.text.is_empty() && !is_figure_cell(&p.text))
        });
    if !joinable {
        return false;
    }
    let targets: Vec<Option<usize>> = tail.iter().map(|c| at.position(last, c.col)).collect();
    for (c, k) in tail.into_iter().zip(targets) {
        if let Some(k) = k {
            prev.cells[k].text.push_str(&c.text);
        }
    }
    true
}

/// Appends `next` to `prev`, its columns mapped onto `prev`'s, skipping `skip` header rows.
/// Where a continued piece's columns land on the table's.
enum Landing {
    /// Each boundary of the piece is one of the table's (lattice: merged cells drop rules).
    Boundaries(Vec<usize>),
    /// Each column of the piece is one of the table's (stream: columns are as wide as their
    /// text, and a piece whose page leaves a column empty lacks it).
    Columns(Vec<usize>),
}

impl Landing {
    fn place(&self, col: usize, colspan: usize) -> (usize, usize) {
        match self {
            Landing::Boundaries(b) => (b[col], b[col + colspan] - b[col]),
            Landing::Columns(m) => (m[col], m[col + colspan - 1] - m[col] + 1),
        }
    }
}

/// The x range each column's text covers on `page` (from its one-column cells).
fn text_ranges(t: &Table, page: u32) -> Vec<Option<(f64, f64)>> {
    // One pass over the cells: the table may already hold hundreds of pages.
    let mut ranges: Vec<Option<(f64, f64)>> = vec![None; t.n_cols];
    for cell in &t.cells {
        if cell.colspan == 1 && cell.page == page && !cell.text.is_empty() {
            if let Some(r) = ranges.get_mut(cell.col) {
                let (a, b) = (cell.bbox.x0, cell.bbox.x1);
                *r = Some(r.map_or((a, b), |(x0, x1)| (x0.min(a), x1.max(b))));
            }
        }
    }
    ranges
}

/// Each stream column of `next` on the column of `prev` whose text it overlaps most.
fn stream_landing(prev: &Table, next: &Table) -> Option<Landing> {
    let theirs = text_ranges(prev, *prev.pages.last()?);
    let ours = text_ranges(next, *next.pages.first()?);
    let map: Vec<usize> = ours
        .iter()
        .map(|r| {
            let (a, b) = (*r)?;
            (0..theirs.len())
                .filter_map(|k| theirs[k].map(|(c, d)| (k, b.min(d) - a.max(c))))
                .filter(|(_, o)| *o > 0.0)
                .max_by(|x, y| x.1.total_cmp(&y.1))
                .map(|(k, _)| k)
        })
        .collect::<Option<_>>()?;
    map.windows(2)
        .all(|w| w[0] < w[1])
        .then_some(Landing::Columns(map))
}

fn append(prev: &mut Table, next: Table, landing: &Landing) {
    // A repeated header is the previous piece's header rows again on top: the same texts (a
    // stream piece may place them in other slots when some of its columns are empty), but
    // for one in five (a scan read by OCR loses a character on one page and not the other:
    // 佛山's 项目 read 项; its header kept as rows of the body made `栏次 1 2 3 4` figures).
    let texts = |t: &Table, rows: usize| {
        let rows = rows.min(t.n_rows);
        let at = t.index_rows(0..rows);
        let mut v: Vec<String> = (0..rows)
            .flat_map(|r| row_texts(t, &at, r))
            .filter(|s| !s.is_empty())
            .collect();
        v.sort();
        v.dedup();
        v
    };
    let repeats = prev.header_rows > 0
        && next.n_rows >= prev.header_rows
        && nearly_same(
            &texts(prev, prev.header_rows),
            &texts(&next, prev.header_rows),
        );

    let skip = if repeats { prev.header_rows } else { 0 };
    let cut = join_cut_row(prev, &next, skip);
    let first = skip + usize::from(cut);
    let offset = prev.n_rows;
    for mut cell in next.cells {
        if cell.row < first {
            continue;
        }
        cell.row = cell.row - first + offset;
        (cell.col, cell.colspan) = landing.place(cell.col, cell.colspan);
        prev.cells.push(cell);
    }
    prev.n_rows += next.n_rows - first;
    prev.pages.extend(
        next.pages
            .iter()
            .filter(|p| !prev.pages.contains(p))
            .collect::<Vec<_>>(),
    );
    prev.boxes.extend(next.boxes);
    prev.notes.extend(next.notes);
}

/// Whether two sorted, deduplicated lists of texts share at least four in five of the
/// longer's.
fn nearly_same(a: &[String], b: &[String]) -> bool {
    let shared = a.iter().filter(|t| b.binary_search(t).is_ok()).count();
    !a.is_empty() && shared * 5 >= a.len().max(b.len()) * 4
}

/// Puts `t`'s cells on the finer boundaries `xs`, `map` giving each old boundary's new index.
fn refine(t: &mut Table, xs: &[f64], map: &[usize]) {
    for c in &mut t.cells {
        let (c0, c1) = (map[c.col], map[c.col + c.colspan]);
        c.col = c0;
        c.colspan = c1 - c0;
    }
    t.xs = xs.to_vec();
    t.n_cols = xs.len() - 1;
}

/// Whether `next` continues `prev`, and how `next`'s boundaries map onto `prev`'s (after
/// refining `prev` when the first piece is the one with fewer columns).
fn continues(prev: &mut Table, prev_page: &Page, next: &Table) -> Option<Landing> {
    let prev_bottom = prev.boxes.last()?.1.y1;
    let same_title = next
        .title
        .as_ref()
        .zip(prev.title.as_ref())
        .is_some_and(|(a, b)| a.text == b.text);
    if ((next.title.is_some() || next.label.is_some()) && !same_title)
        || prev_bottom < 0.6 * prev_page.height
    {
        return None;
    }
    if prev.method == Method::Stream && next.method == Method::Stream {
        return stream_landing(prev, next);
    }
    if let Some(map) = column_map(&prev.xs, &next.xs) {
        return Some(Landing::Boundaries(map));
    }
    let back = column_map(&next.xs, &prev.xs)?;
    refine(prev, &next.xs, &back);
    Some(Landing::Boundaries((0..next.xs.len()).collect()))
}

/// Joins continued tables; `per_page[i]` are the tables of `pages[i]`, top to bottom, and a
/// title orphaned at the page's foot, which names the first table of the next page.
pub(crate) fn stitch(pages: &[Page], per_page: Vec<(Vec<Table>, Option<Furniture>)>) -> Vec<Table> {
    let mut out: Vec<Table> = Vec::new();
    let mut last_of_prev: Option<usize> = None;
    let mut orphan: Option<Furniture> = None;
    for (i, (tables, trailing)) in per_page.into_iter().enumerate() {
        let mut last_here = None;
        for (k, mut t) in tables.into_iter().enumerate() {
            let mut target = last_of_prev.filter(|_| k == 0 && i > 0);
            if let Some(f) = orphan
                .take()
                .filter(|_| k == 0 && t.title.is_none() && t.label.is_none())
            {
                t.title = f.title;
                t.label = f.label;
                t.meta.splice(0..0, f.meta);
                target = None;
            }
            match target.and_then(|j| continues(&mut out[j], &pages[i - 1], &t).map(|map| (j, map)))
            {
                Some((j, map)) => {
                    append(&mut out[j], t, &map);
                    crate::header::classify(&mut out[j]);
                    last_here = Some(j);
                }
                None => {
                    out.push(t);
                    last_here = Some(out.len() - 1);
                }
            }
        }
        last_of_prev = last_here;
        orphan = trailing;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::joined;

    #[test]
    fn fewer_columns_map_onto_shared_boundaries() {
        let prev = [0.0, 90.0, 150.0, 270.0, 330.0, 420.0, 480.0];
        assert_eq!(
            column_map(&prev, &[0.5, 90.0, 270.0, 331.0, 480.0]),
            Some(vec![0, 1, 3, 4, 6])
        );
        assert_eq!(
            column_map(&prev, &[0.0, 100.0, 480.0]),
            None,
            "a boundary prev does not have"
        );
        assert_eq!(
            column_map(&prev, &[90.0, 480.0]),
            None,
            "outer edges must agree"
        );
    }

    use crate::model::Cell;

    use cnbudget_pdf::Rect;

    /// A one-page table from rows of `(text, rowspan, colspan)`, laid on boundaries `xs`.
    fn table(page: u32, xs: &[f64], y0: f64, rows: &[&[(&str, usize, usize)]]) -> Table {
        let mut cells = Vec::new();
        let mut covered = vec![vec![false; xs.len() - 1]; rows.len()];
        for (r, row) in rows.iter().enumerate() {
            let mut c = 0;
            for &(text, rs, cs) in row.iter() {
                while covered[r][c] {
                    c += 1;
                }
                (r..r + rs).for_each(|rr| (c..c + cs).for_each(|cc| covered[rr][cc] = true));
                let bbox = Rect {
                    x0: xs[c],
                    y0: y0 + 20.0 * r as f64,
                    x1: xs[c + cs],
                    y1: y0 + 20.0 * (r + rs) as f64,
                };
                cells.push(Cell {
                    row: r,
                    col: c,
                    rowspan: rs,
                    colspan: cs,
                    page,
                    bbox,
                    text: text.into(),
                });
                c += cs;
            }
        }
        let bbox = Rect {
            x0: xs[0],
            y0,
            x1: xs[xs.len() - 1],
            y1: y0 + 20.0 * rows.len() as f64,
        };
        let mut t = Table {
            method: Method::Lattice,
            pages: vec![page],
            boxes: vec![(page, bbox)],
            title: None,
            label: None,
            meta: vec![],
            notes: vec![],
            n_rows: rows.len(),
            n_cols: xs.len() - 1,
            xs: xs.to_vec(),
            cells,
            header_rows: 0,
            column_number_row: None,
            header_paths: vec![],
        };
        crate::header::classify(&mut t);
        t
    }

    fn page(number: u32) -> Page {
        Page {
            number,
            width: 595.0,
            height: 842.0,
            rotation: 0,
            glyphs: vec![],
            rules: vec![],
            images: vec![],
            warnings: vec![],
        }
    }

    #[test]
    fn header_row_alone_at_page_foot_is_not_a_cut_row() {
        // 省法院2018 p10–11: only `收入 | 支出` fits on p10; the rest of the header is overleaf.
        let prev = table(
            10,
            &[0.0, 200.0, 400.0],
            780.0,
            &[&[("收入", 1, 1), ("支出", 1, 1)]],
        );
        let next = table(
            11,
            &[0.0, 100.0, 200.0, 300.0, 400.0],
            60.0,
            &[
                &[("项目名称", 2, 1), ("金额", 2, 1), ("支出用途", 1, 2)],
                &[("项目名称", 1, 1), ("金额", 1, 1)],
                &[
                    ("一、一般公共预算", 1, 1),
                    ("33,172.15", 1, 1),
                    ("一、基本支出", 1, 1),
                    ("18,570.82", 1, 1),
                ],
            ],
        );
        let mut prev = prev;
        prev.header_rows = 1;
        let out = stitch(
            &[page(10), page(11)],
            vec![(vec![prev], None), (vec![next], None)],
        );
        assert_eq!(out.len(), 1);
        assert_eq!(
            joined(&out[0]),
            [
                "收入/项目名称",
                "收入/金额",
                "支出/支出用途/项目名称",
                "支出/支出用途/金额"
            ]
        );
    }

    #[test]
    fn cut_label_is_rejoined_and_repeated_header_dropped() {
        let header: &[(&str, usize, usize)] = &[("科目名称", 1, 1), ("金额", 1, 1)];
        let prev = table(
            7,
            &[0.0, 200.0, 300.0],
            700.0,
            &[header, &[("八、社会保障和就", 1, 1), ("1,608.51", 1, 1)]],
        );
        let next = table(
            8,
            &[0.0, 200.0, 300.0],
            60.0,
            &[
                header,
                &[("业支出", 1, 1), ("", 1, 1)],
                &[("九、卫生健康支出", 1, 1), ("20.00", 1, 1)],
            ],
        );
        let out = stitch(
            &[page(7), page(8)],
            vec![(vec![prev], None), (vec![next], None)],
        );
        let grid = out[0].grid();
        assert_eq!(grid.len(), 3, "{grid:?}");
        assert_eq!(grid[1][0].as_deref(), Some("八、社会保障和就业支出"));
        assert_eq!(grid[2][0].as_deref(), Some("九、卫生健康支出"));
        assert_eq!(out[0].pages, vec![7, 8]);
    }

    #[test]
    fn a_repeated_header_misread_by_one_text_is_dropped() {
        // Regression: 佛山's final account scanned; OCR read the first page's 项目 as 项, the
        // repeated header stayed in the body and its column numbers became figures.
        let first: &[(&str, usize, usize)] = &[("项", 1, 1), ("金额", 1, 1), ("备注", 1, 1)];
        let numbers: &[(&str, usize, usize)] = &[("栏次", 1, 1), ("1", 1, 1), ("2", 1, 1)];
        let again: &[(&str, usize, usize)] = &[("项目", 1, 1), ("金额", 1, 1), ("备注", 1, 1)];
        // A page's piece: the header given, the column numbers, one row of the body.
        let piece = |number: u32, y0: f64, header, row: (&str, &str)| {
            let body: &[(&str, usize, usize)] = &[(row.0, 1, 1), (row.1, 1, 1), ("", 1, 1)];
            let mut t = table(
                number,
                &[0.0, 200.0, 300.0, 400.0],
                y0,
                &[header, numbers, body],
            );
            t.header_rows = 2;
            t
        };
        let prev = piece(7, 700.0, first, ("一、支出", "5.00"));
        let next = piece(8, 60.0, again, ("二、收入", "6.00"));
        let out = stitch(
            &[page(7), page(8)],
            vec![(vec![prev], None), (vec![next], None)],
        );
        let grid = out[0].grid();
        let labels: Vec<_> = grid.iter().map(|r| r[0].as_deref()).collect();
        assert_eq!(
            labels,
            [Some("项"), Some("栏次"), Some("一、支出"), Some("二、收入")]
        );
        // Two texts in three differing is no repeat: the rows stay.
        assert!(!nearly_same(
            &["备注".to_string(), "金额".to_string(), "项目".to_string()],
            &[
                "一、支出".to_string(),
                "备注".to_string(),
                "5.00".to_string()
            ]
        ));
    }
}
