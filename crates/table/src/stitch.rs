//! Tables continued over a page break become one: the first table of a page that has no title
//! or label of its own, whose column boundaries all fall on the boundaries of the last table of
//! the page before, continues it. A header it repeats is dropped; a row cut by the page break
//! (`八、社会保障和就` ⏎ `业支出`) is joined again.

use crate::furniture::Furniture;
use crate::header::is_figure;
use crate::model::Table;
use cnbudget_pdf::Page;

/// How far apart (points) two pieces' column boundaries may be and still be the same.
const SAME_EDGE: f64 = 6.0;

fn row_texts(t: &Table, r: usize) -> Vec<String> {
    (0..t.n_cols)
        .map(|c| {
            t.cell_at(r, c)
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

/// Whether a row starts a new item: a numbering prefix or a code, not the tail of a label.
fn starts_item(text: &str) -> bool {
    let t = text.trim_start();
    let first = t.chars().next();
    first.is_some_and(|c| c.is_ascii_digit() || "一二三四五六七八九十（(".contains(c))
        || t.starts_with("其中")
}

/// Joins a first row that is only the tail of `prev`'s last row's labels; returns whether it did.
fn join_cut_row(prev: &mut Table, next: &Table, first: usize) -> bool {
    let Some(last) = prev.n_rows.checked_sub(1) else {
        return false;
    };
    let tail: Vec<_> = next
        .cells
        .iter()
        .filter(|c| c.row == first && !c.text.is_empty())
        .collect();
    let joinable = !tail.is_empty()
        && tail.iter().all(|c| {
            !is_figure(&c.text)
                && !starts_item(&c.text)
                && prev
                    .cell_at(last, c.col)
                    .is_some_and(|p| !p.text.is_empty() && !is_figure(&p.text))
        });
    if !joinable {
        return false;
    }
    for c in tail {
        if let Some(p) = prev.cells.iter_mut().find(|p| {
            p.row <= last && last < p.row + p.rowspan && p.col <= c.col && c.col < p.col + p.colspan
        }) {
            p.text.push_str(&c.text);
        }
    }
    true
}

/// Appends `next` to `prev`, its columns mapped onto `prev`'s, skipping `skip` header rows.
fn append(prev: &mut Table, next: Table, map: &[usize]) {
    let skip = if next.header_rows > 0
        && next.header_rows <= prev.header_rows
        && (0..next.header_rows).all(|r| row_texts(prev, r) == row_texts(&next, r))
    {
        next.header_rows
    } else {
        0
    };
    let cut = join_cut_row(prev, &next, skip);
    let first = skip + usize::from(cut);
    let offset = prev.n_rows;
    for mut cell in next.cells {
        if cell.row < first {
            continue;
        }
        cell.row = cell.row - first + offset;
        let (c0, c1) = (map[cell.col], map[cell.col + cell.colspan]);
        cell.col = c0;
        cell.colspan = c1 - c0;
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
fn continues(prev: &mut Table, prev_page: &Page, next: &Table) -> Option<Vec<usize>> {
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
    if let Some(map) = column_map(&prev.xs, &next.xs) {
        return Some(map);
    }
    let back = column_map(&next.xs, &prev.xs)?;
    refine(prev, &next.xs, &back);
    Some((0..next.xs.len()).collect())
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

    #[test]
    fn item_starts() {
        assert!(
            starts_item("九、医疗卫生")
                && starts_item("2010301")
                && starts_item("（一）")
                && starts_item("其中：人员")
        );
        assert!(!starts_item("业支出") && !starts_item("称"));
    }
}
