//! Stream: tables with no or only partial rules (some budgets rule only the header, or draw
//! only horizontal lines), found from text alignment. Rows are lines holding figures; columns
//! are the gaps no row's text crosses. Chosen only where the lattice found no grid.

use crate::header::is_figure;
use crate::model::{Cell, Method, Table};
use cnbudget_pdf::text::{lines_of, Line};
use cnbudget_pdf::{Page, Rect};

/// A gap this many font sizes wide separates two segments of a line.
const SEGMENT_GAP: f64 = 1.5;
/// A body of fewer rows than this is no table.
const MIN_ROWS: usize = 3;

struct Segment {
    x0: f64,
    x1: f64,
    glyphs: Vec<usize>,
    figure: bool,
}

fn segments(page: &Page, line: &Line) -> Vec<Segment> {
    let mut out: Vec<Segment> = Vec::new();
    for &i in &line.glyphs {
        let g = &page.glyphs[i];
        match out.last_mut() {
            Some(s) if g.bbox.x0 - s.x1 <= SEGMENT_GAP * g.font_size => {
                s.x1 = s.x1.max(g.bbox.x1);
                s.glyphs.push(i);
            }
            _ => out.push(Segment {
                x0: g.bbox.x0,
                x1: g.bbox.x1,
                glyphs: vec![i],
                figure: false,
            }),
        }
    }
    for s in &mut out {
        let text: String = s
            .glyphs
            .iter()
            .map(|&i| page.glyphs[i].text.as_str())
            .collect();
        s.figure = is_figure(&text);
    }
    out
}

/// Stream tables among the glyphs no lattice table took; marks their glyphs taken.
pub(crate) fn tables(page: &Page, taken: &mut [bool], lattice: &[Table]) -> Vec<Table> {
    let lines = lines_of(&page.glyphs, (0..page.glyphs.len()).filter(|&i| !taken[i]));
    let segs: Vec<Vec<Segment>> = lines.iter().map(|l| segments(page, l)).collect();
    let is_body = |k: usize| segs[k].len() >= 2 && segs[k].iter().any(|s| s.figure);
    let overlaps_lattice = |b: &Rect| {
        lattice
            .iter()
            .any(|t| t.boxes.iter().any(|(_, tb)| b.y1 > tb.y0 && b.y0 < tb.y1))
    };
    let mut out = Vec::new();
    let mut k = 0;
    while k < lines.len() {
        if !is_body(k) {
            k += 1;
            continue;
        }
        // Extend the run; a single line without figures (a wrapped label) may sit inside it.
        let start = k;
        let mut end = k;
        let mut j = k + 1;
        while j < lines.len() {
            let gap = lines[j].bbox.y0 - lines[j - 1].bbox.y1;
            if gap > 2.0 * lines[j - 1].bbox.height().max(1.0) {
                break;
            }
            if is_body(j) {
                end = j;
            } else if !(j + 1 < lines.len() && is_body(j + 1)) {
                break;
            }
            j += 1;
        }
        k = end + 1;
        if end + 1 - start < MIN_ROWS {
            continue;
        }
        let first = header_start(page, &lines, &segs, start);
        let bbox = lines[first..=end]
            .iter()
            .map(|l| l.bbox)
            .reduce(|a, b| a.union(&b))
            .unwrap_or_default();
        if overlaps_lattice(&bbox) {
            continue;
        }
        // Columns: merge the body segments' x ranges; what no body segment crosses is a gap.
        let mut ranges: Vec<(f64, f64)> = segs[start..=end]
            .iter()
            .flatten()
            .map(|s| (s.x0, s.x1))
            .collect();
        ranges.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mut cols: Vec<(f64, f64)> = Vec::new();
        for (a, b) in ranges {
            match cols.last_mut() {
                Some(c) if a <= c.1 + 1.0 => c.1 = c.1.max(b),
                _ => cols.push((a, b)),
            }
        }
        if cols.len() < 2 {
            continue;
        }
        let body_col = |x: f64| {
            cols.iter()
                .position(|c| x <= c.1 + 1.0)
                .unwrap_or(cols.len() - 1)
        };
        // Header text is centred over its columns while figures sit right-aligned, so header
        // segments are placed bottom-up: the columns' centres (body extents at first, then the
        // header text placed below) split the line into zones, and a segment covers every zone
        // holding a quarter of its width (`基本支出` centred over 人员经费 and 公用经费).
        let mut centres: Vec<f64> = cols.iter().map(|c| (c.0 + c.1) / 2.0).collect();
        let mut placed: Vec<Vec<(usize, usize)>> = vec![Vec::new(); start - first];
        for lk in (first..start).rev() {
            let bounds: Vec<f64> = centres.windows(2).map(|w| (w[0] + w[1]) / 2.0).collect();
            let zone_of = |x: f64| bounds.iter().position(|&b| x < b).unwrap_or(bounds.len());
            let mut seen_here = Vec::new();
            for s in &segs[lk] {
                let width = (s.x1 - s.x0).max(0.1);
                let covered: Vec<usize> = (0..cols.len())
                    .filter(|&k| {
                        let lo = if k == 0 {
                            f64::NEG_INFINITY
                        } else {
                            bounds[k - 1]
                        };
                        let hi = bounds.get(k).copied().unwrap_or(f64::INFINITY);
                        s.x1.min(hi) - s.x0.max(lo) >= 0.25 * width
                    })
                    .collect();
                let mid = zone_of((s.x0 + s.x1) / 2.0);
                let (c0, c1) = (
                    covered.first().copied().unwrap_or(mid),
                    covered.last().copied().unwrap_or(mid),
                );
                if c0 == c1 {
                    seen_here.push((c0, (s.x0 + s.x1) / 2.0));
                }
                placed[lk - first].push((c0, c1));
            }
            for (k, x) in seen_here {
                centres[k] = x;
            }
        }
        let mut cells = Vec::new();
        for (row, lk) in (first..=end).enumerate() {
            let top = lines[lk].bbox.y0;
            let bottom = lines[lk].bbox.y1;
            let mut used = vec![false; cols.len()];
            for (n, s) in segs[lk].iter().enumerate() {
                let (c0, c1) = if lk < start {
                    placed[lk - first][n]
                } else {
                    (body_col(s.x0), body_col(s.x1 - 0.5).max(body_col(s.x0)))
                };
                used[c0..=c1].iter_mut().for_each(|u| *u = true);
                for &g in &s.glyphs {
                    taken[g] = true;
                }
                let text = crate::celltext::cell_text(&page.glyphs, s.glyphs.iter().copied());
                let bbox = Rect {
                    x0: cols[c0].0,
                    y0: top,
                    x1: cols[c1].1,
                    y1: bottom,
                };
                cells.push(Cell {
                    row,
                    col: c0,
                    rowspan: 1,
                    colspan: c1 - c0 + 1,
                    page: page.number,
                    bbox,
                    text,
                });
            }
            for (c, u) in used.iter().enumerate() {
                if !u {
                    cells.push(Cell {
                        row,
                        col: c,
                        rowspan: 1,
                        colspan: 1,
                        page: page.number,
                        bbox: Rect {
                            x0: cols[c].0,
                            y0: top,
                            x1: cols[c].1,
                            y1: bottom,
                        },
                        text: String::new(),
                    });
                }
            }
        }
        merge_duplicate_slots(&mut cells);
        cells.sort_by_key(|c| (c.row, c.col));
        let xs = cols
            .iter()
            .map(|c| c.0)
            .chain(cols.last().map(|c| c.1))
            .collect();
        out.push(Table::new(
            Method::Stream,
            page.number,
            bbox,
            end + 1 - first,
            xs,
            cells,
        ));
    }
    out
}

/// The first line of the table whose body starts at line `start`: where a horizontal rule
/// spans the body above it (header-only ruling), every line between that rule and the body;
/// else up to three lines right above the body, each split into several segments.
fn header_start(page: &Page, lines: &[Line], segs: &[Vec<Segment>], start: usize) -> usize {
    let body = &lines[start].bbox;
    let (left, right) = segs[start]
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), s| {
            (a.min(s.x0), b.max(s.x1))
        });
    let rule_above = page
        .rules
        .iter()
        .filter(|r| {
            r.orientation == cnbudget_pdf::Orientation::Horizontal
                && r.y0 < body.y0
                && body.y0 - r.y0 < 100.0
                && r.x0 <= left + 5.0
                && r.x1 >= right - 5.0
        })
        .map(|r| r.y0)
        .fold(f64::INFINITY, f64::min);
    if rule_above.is_finite() {
        let mut first = start;
        while first > 0
            && lines[first - 1].bbox.y0 > rule_above
            && !segs[first - 1].iter().any(|s| s.figure)
        {
            first -= 1;
        }
        return first;
    }
    let mut first = start;
    while first > 0
        && start - first < 3
        && segs[first - 1].len() >= 2
        && !segs[first - 1].iter().any(|s| s.figure)
        && lines[first].bbox.y0 - lines[first - 1].bbox.y1 < 2.0 * lines[first].bbox.height()
    {
        first -= 1;
    }
    first
}

/// Two segments landing in the same column of a row (a gap inside a label) become one cell.
fn merge_duplicate_slots(cells: &mut Vec<Cell>) {
    cells.sort_by(|a, b| {
        (a.row, a.col)
            .cmp(&(b.row, b.col))
            .then(a.bbox.x0.total_cmp(&b.bbox.x0))
    });
    let mut out: Vec<Cell> = Vec::with_capacity(cells.len());
    for c in cells.drain(..) {
        match out.last_mut() {
            Some(p) if p.row == c.row && p.col == c.col => {
                p.text.push_str(&c.text);
                p.colspan = p.colspan.max(c.colspan);
            }
            _ => out.push(c),
        }
    }
    *cells = out;
}
