//! Stream: tables with no or only partial rules (some budgets rule only the header, or draw
//! only horizontal lines), found from text alignment. Rows are lines holding figures; columns
//! are the gaps no row's text crosses. Chosen only where the lattice found no grid.
//!
//! A column the body leaves empty has no figures to show it, and header words of narrow
//! columns may run together; the header is read against the figures' edges instead:
//! amounts stand right-aligned, so a figure column's right edge closes its column and the
//! header text centred above belongs to the slot it closes. A slot holding several header
//! stacks side by side (`上级补助收入` and `事业收入` over one run of figures) holds as many
//! columns; words run together across a slot's edge (`合计一般公共预算`) are parted there.

use crate::model::{Cell, Method, Table};
use cnbudget_grammar::furniture::{ends_as_title, is_code_cell, is_figure_cell, starts_with_unit};
use cnbudget_pdf::text::{lines_of, Line};
use cnbudget_pdf::{Page, Rect};

/// A gap this many font sizes wide separates two segments of a line.
const SEGMENT_GAP: f64 = 1.5;
/// A gap this many font sizes wide parts a figure from a figure or code beside it
/// (`92,835.98 302` in side-by-side blocks)…
const FIGURE_GAP: f64 = 0.4;
/// …and this many a figure or code from text (`30101  基本工资`); by a narrower gap a figure
/// parts from text only where other lines part there too (a column edge, not a space in
/// prose: `合计 15897.44 万元`).
const CODE_GAP: f64 = 1.0;
/// A gap this many font sizes wide that no body row crosses parts two columns.
const COLUMN_GAP: f64 = 0.4;
/// A body of fewer rows than this is no table.
const MIN_ROWS: usize = 3;
/// A header text covering this share of its width in each of several columns spans them.
const SPAN_SHARE: f64 = 0.25;

struct Segment {
    x0: f64,
    x1: f64,
    glyphs: Vec<usize>,
    figure: bool,
}

impl Segment {
    fn of(page: &Page, glyphs: Vec<usize>) -> Segment {
        let (mut x0, mut x1) = (f64::INFINITY, f64::NEG_INFINITY);
        for &i in &glyphs {
            x0 = x0.min(page.glyphs[i].bbox.x0);
            x1 = x1.max(page.glyphs[i].bbox.x1);
        }
        let figure = is_figure_cell(&text_of(page, &glyphs));
        Segment {
            x0,
            x1,
            glyphs,
            figure,
        }
    }

    fn centre(&self) -> f64 {
        (self.x0 + self.x1) / 2.0
    }

    fn width(&self) -> f64 {
        (self.x1 - self.x0).max(0.1)
    }
}

fn text_of(page: &Page, glyphs: &[usize]) -> String {
    glyphs
        .iter()
        .map(|&i| page.glyphs[i].text.as_str())
        .collect()
}

/// Overlap of two x ranges (negative: the gap between them).
fn overlap(a: (f64, f64), b: (f64, f64)) -> f64 {
    a.1.min(b.1) - a.0.max(b.0)
}

/// Cuts `glyphs` (left to right) before each index of `cuts`.
fn cut(glyphs: &[usize], cuts: &[usize]) -> Vec<Vec<usize>> {
    let mut out = Vec::new();
    let mut from = 0;
    for &c in cuts.iter().chain(std::iter::once(&glyphs.len())) {
        if c > from {
            out.push(glyphs[from..c].to_vec());
            from = c;
        }
    }
    out
}

/// The gap before each glyph of a run but the first.
fn gaps(page: &Page, glyphs: &[usize]) -> Vec<f64> {
    glyphs
        .windows(2)
        .map(|w| page.glyphs[w[1]].bbox.x0 - page.glyphs[w[0]].bbox.x1)
        .collect()
}

/// A line's runs of glyphs no wide gap parts.
fn runs(page: &Page, line: &Line) -> Vec<Vec<usize>> {
    let mut runs: Vec<Vec<usize>> = Vec::new();
    for &i in &line.glyphs {
        let g = &page.glyphs[i];
        match runs.last_mut() {
            Some(r)
                if g.bbox.x0 - page.glyphs[r[r.len() - 1]].bbox.x1 <= SEGMENT_GAP * g.font_size =>
            {
                r.push(i)
            }
            _ => runs.push(vec![i]),
        }
    }
    runs
}

/// Where a run parts around a figure or a code: the glyph index each part starts at, and
/// whether the cut is only a likely one (a figure beside text, a narrow gap apart: a column
/// edge in side-by-side blocks, or a space in prose: `合计 15897.44 万元`).
fn number_cuts(page: &Page, run: &[usize]) -> Vec<(usize, bool)> {
    let size = page.glyphs[run[0]].font_size;
    let gaps = gaps(page, run);
    let candidates: Vec<usize> = (1..run.len())
        .filter(|&k| gaps[k - 1] >= FIGURE_GAP * size)
        .collect();
    if candidates.is_empty() {
        return Vec::new();
    }
    let parts = cut(run, &candidates);
    let kinds: Vec<(bool, bool)> = parts
        .iter()
        .map(|p| {
            let t = text_of(page, p);
            (is_figure_cell(&t), is_code_cell(&t))
        })
        .collect();
    // An amount and its unit are one phrase (`21,955.35 万元，其中：`), never two cells.
    let unit = |k: usize| starts_with_unit(&text_of(page, &parts[k]));
    candidates
        .iter()
        .enumerate()
        .filter_map(|(k, &at)| {
            let ((fa, ca), (fb, cb)) = (kinds[k], kinds[k + 1]);
            let numbers = (fa && (fb || cb)) || (fb && ca);
            let wide = gaps[at - 1] >= CODE_GAP * size;
            if numbers || ((fa || fb || ca || cb) && wide) {
                Some((at, false))
            } else if (fa && !unit(k + 1)) || fb {
                Some((at, true))
            } else {
                None
            }
        })
        .collect()
}

/// The x range of the gap before glyph `at` of a run.
fn gap_at(page: &Page, run: &[usize], at: usize) -> (f64, f64) {
    (
        page.glyphs[run[at - 1]].bbox.x1,
        page.glyphs[run[at]].bbox.x0,
    )
}

/// The gaps of a line where it only likely parts ([`number_cuts`]).
fn likely_gaps(page: &Page, line: &Line) -> Vec<(f64, f64)> {
    runs(page, line)
        .iter()
        .flat_map(|run| {
            number_cuts(page, run)
                .into_iter()
                .filter(|&(_, likely)| likely)
                .map(|(at, _)| gap_at(page, run, at))
        })
        .collect()
}

/// A line's segments: runs of glyphs no wide gap parts, a figure or a code parted from its
/// neighbour by a narrower one too (`92,835.98 302  商品和服务支出` in side-by-side blocks), a
/// figure from text by a narrow gap where `aligned` says other lines part there as well
/// (`7,552.81 一、一般公共服务支出`).
fn segments(page: &Page, line: &Line, aligned: &dyn Fn((f64, f64)) -> bool) -> Vec<Segment> {
    let mut out = Vec::new();
    for run in runs(page, line) {
        let cuts: Vec<usize> = number_cuts(page, &run)
            .into_iter()
            .filter(|&(at, likely)| !likely || aligned(gap_at(page, &run, at)))
            .map(|(at, _)| at)
            .collect();
        out.extend(cut(&run, &cuts).into_iter().map(|p| Segment::of(page, p)));
    }
    out
}

/// Parts a header segment at a gap clearly wider than its others (not the even spacing of
/// a justified `基 本 支 出`), with at least two glyphs on each side: between Chinese words of
/// narrow columns run together (`一般公共预 政府性基`), or where a column edge of the body
/// falls in it (`合计 一般公共预算` over two runs of figures).
fn part_at_edges(page: &Page, s: Segment, edges: &[f64]) -> Vec<Segment> {
    let n = s.glyphs.len();
    if n < 4 {
        return vec![s];
    }
    let gaps = gaps(page, &s.glyphs);
    let mut sorted = gaps.clone();
    sorted.sort_by(f64::total_cmp);
    let usual = sorted[sorted.len() / 2].max(0.0);
    let size = page.glyphs[s.glyphs[0]].font_size;
    let mut cuts = Vec::new();
    let mut last = 0;
    for k in 2..=n - 2 {
        let (a, b) = (
            page.glyphs[s.glyphs[k - 1]].bbox.x1,
            page.glyphs[s.glyphs[k]].bbox.x0,
        );
        let gap = gaps[k - 1];
        let tolerance = 0.2 * size;
        let wide = |i: usize| {
            page.glyphs[s.glyphs[i]]
                .text
                .as_str()
                .chars()
                .all(cnbudget_pdf::text::is_wide)
        };
        let at_edge = edges
            .iter()
            .any(|&e| e >= a - tolerance && e <= b + tolerance);
        if k - last >= 2
            && gap >= 0.2 * size
            && gap >= 3.0 * usual + 0.1 * size
            && (at_edge || (wide(k - 1) && wide(k)))
        {
            cuts.push(k);
            last = k;
        }
    }
    if cuts.is_empty() {
        return vec![s];
    }
    cut(&s.glyphs, &cuts)
        .into_iter()
        .map(|p| Segment::of(page, p))
        .collect()
}

/// Joins a header word spread letter by letter (`收    入`, `项   目`: justified, the gaps
/// wider than those between segments) back into one text, unless its letters stand over
/// different body columns (`类 款 项` over the parts of a code).
fn join_spread_letters(page: &Page, line: &mut Vec<Segment>, body: &[BodyColumn]) {
    let letter = |s: &Segment| {
        s.glyphs.len() == 1
            && page.glyphs[s.glyphs[0]]
                .text
                .as_str()
                .chars()
                .all(cnbudget_pdf::text::is_wide)
    };
    let over = |s: &Segment| {
        let size = page.glyphs[s.glyphs[0]].font_size;
        body.iter()
            .position(|b| s.centre() >= b.x0 - size && s.centre() <= b.x1 + size)
    };
    let mut out: Vec<Segment> = Vec::with_capacity(line.len());
    let mut run_open = false;
    for s in line.drain(..) {
        let joins = match out.last() {
            Some(prev) if letter(&s) && (run_open || letter(prev)) => {
                let size = page.glyphs[s.glyphs[0]].font_size;
                let (a, b) = (over(prev), over(&s));
                s.x0 - prev.x1 <= 6.0 * size && !(a.is_some() && b.is_some() && a != b)
            }
            _ => false,
        };
        match out.last_mut() {
            Some(prev) if joins => {
                prev.glyphs.extend(s.glyphs);
                prev.x1 = s.x1;
                run_open = true;
            }
            _ => {
                run_open = false;
                out.push(s);
            }
        }
    }
    *line = out;
}

/// A run of the body's text: the x range no row's text crosses out of, and whether it holds
/// figures (right-aligned) or text (left-aligned).
struct BodyColumn {
    x0: f64,
    x1: f64,
    figures: bool,
}

/// The body's columns: its segments' x ranges merged, where no row's text crosses a gap.
/// Runs of text close together that never share a row are one column indented by level
/// (`201` ⏎ `  20108` ⏎ `    2010801`).
fn body_columns(rows: &[Vec<Segment>], size: f64) -> Vec<BodyColumn> {
    let mut ranges: Vec<(f64, f64)> = rows.iter().flatten().map(|s| (s.x0, s.x1)).collect();
    ranges.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut cols: Vec<BodyColumn> = Vec::new();
    for (a, b) in ranges {
        match cols.last_mut() {
            Some(c) if a <= c.x1 + COLUMN_GAP * size => c.x1 = c.x1.max(b),
            _ => cols.push(BodyColumn {
                x0: a,
                x1: b,
                figures: false,
            }),
        }
    }
    let n = cols.len();
    let col_of = |x: f64| {
        cols.iter()
            .position(|c| x <= c.x1 + COLUMN_GAP * size)
            .unwrap_or(n.saturating_sub(1))
    };
    let mut figures = vec![(0usize, 0usize); n];
    let mut present: Vec<Vec<bool>> = Vec::with_capacity(rows.len());
    for row in rows {
        let mut here = vec![false; n];
        for s in row {
            let k = col_of(s.x0);
            figures[k].0 += usize::from(s.figure);
            figures[k].1 += 1;
            here[k] = true;
        }
        present.push(here);
    }
    for (c, (f, all)) in cols.iter_mut().zip(figures) {
        c.figures = 2 * f > all;
    }
    let mut k = 0;
    while k + 1 < cols.len() {
        let indented = !cols[k].figures
            && !cols[k + 1].figures
            && cols[k + 1].x0 - cols[k].x1 < size
            && !present.iter().any(|r| r[k] && r[k + 1]);
        if indented {
            cols[k].x1 = cols[k].x1.max(cols[k + 1].x1);
            cols.remove(k + 1);
            for r in &mut present {
                r[k] |= r[k + 1];
                r.remove(k + 1);
            }
        } else {
            k += 1;
        }
    }
    cols
}

/// Header texts standing one above the other over one column: their x range, and the
/// lowest and highest header line they reach (0 the line right above the body).
#[derive(Clone, Copy, Debug)]
struct Stack {
    x0: f64,
    x1: f64,
    bottom: usize,
    top: usize,
}

impl Stack {
    fn range(&self) -> (f64, f64) {
        (self.x0, self.x1)
    }

    fn absorb(&mut self, other: &Stack) {
        self.x0 = self.x0.min(other.x0);
        self.x1 = self.x1.max(other.x1);
        self.bottom = self.bottom.min(other.bottom);
        self.top = self.top.max(other.top);
    }
}

/// One column of the table: the x range of its text and the zone `[lo, hi)` of a line whose
/// header text is its own.
#[derive(Clone, Copy, Debug)]
struct Column {
    x0: f64,
    x1: f64,
    lo: f64,
    hi: f64,
}

/// Where one column ends and the next begins: right after a run of figures (they are
/// right-aligned), right before a run of text (left-aligned). Between a run of text and one
/// of figures the header tells: its text is centred in the cells, so the text's left edge
/// and the centre of its header give the cell's right edge, the figures' right edge and the
/// centre of theirs the next cell's left (where the two disagree an empty column stands
/// between, and the text's cell is believed); midway where no header says.
fn edges(page: &Page, body: &[BodyColumn], header: &[&[Segment]]) -> Vec<f64> {
    body.windows(2)
        .map(|w| {
            let (a, b) = (&w[0], &w[1]);
            if a.figures {
                return a.x1 + 0.5;
            }
            if !b.figures {
                return b.x0 - 0.5;
            }
            let inside = |c: f64| c.max(a.x1 + 0.5).min(b.x0 - 0.5);
            // The header line nearest the body with a text centred over each run.
            let centre = |over: &dyn Fn(f64) -> bool, last: bool| {
                header.iter().find_map(|line| {
                    let mut cs = line.iter().map(Segment::centre).filter(|&c| over(c));
                    if last {
                        cs.last()
                    } else {
                        cs.next()
                    }
                })
            };
            // Short labels leave their cell's right part empty: a header centred up to
            // midway into the gap is still over them.
            let reach = (a.x1 + b.x0) / 2.0;
            let text_side = centre(&|c| c >= a.x0 && c < reach, false).map(|c| 2.0 * c - a.x0);
            let figure_side = centre(&|c| c > a.x1 && c <= b.x1, true).map(|c| 2.0 * c - b.x1);
            let size = header
                .iter()
                .flat_map(|l| l.iter())
                .find_map(|s| s.glyphs.first())
                .map_or(10.0, |&g| page.glyphs[g].font_size);
            match (text_side.map(inside), figure_side.map(inside)) {
                (Some(t), Some(f)) if (t - f).abs() <= 2.0 * size => (t + f) / 2.0,
                (Some(t), _) => t,
                (None, Some(f)) => f,
                (None, None) => (a.x1 + b.x0) / 2.0,
            }
        })
        .collect()
}

/// The table's columns from its body columns and header lines (bottom line first): each
/// body column's slot, and the slot right of the last run of figures, holds one column per
/// stack of header text standing side by side in it. Returns the columns and, for each body
/// column, its column.
fn columns(
    body: &[BodyColumn],
    edges: &[f64],
    header: &[&[Segment]],
    size: f64,
) -> (Vec<Column>, Vec<usize>) {
    let n = body.len();
    let mut slots: Vec<(f64, f64, Option<usize>)> = (0..n)
        .map(|k| {
            let lo = if k == 0 {
                f64::NEG_INFINITY
            } else {
                edges[k - 1]
            };
            let hi = match edges.get(k) {
                Some(&e) => e,
                None if body[k].figures => body[k].x1 + 0.5,
                None => f64::INFINITY,
            };
            (lo, hi, Some(k))
        })
        .collect();
    if let Some(last) = body.last().filter(|b| b.figures) {
        slots.push((last.x1 + 0.5, f64::INFINITY, None));
    }
    // Stacks of header text, bottom line up: a text joins the one stack of its slot it
    // overlaps; over several it is their common header (`本年支出` over `小计 基本支出`),
    // and so is a text across slots.
    let mut stacks: Vec<Vec<Stack>> = vec![Vec::new(); slots.len()];
    for (level, line) in header.iter().enumerate() {
        for s in line.iter() {
            let covered = slots
                .iter()
                .filter(|(lo, hi, _)| overlap((s.x0, s.x1), (*lo, *hi)) >= SPAN_SHARE * s.width())
                .count();
            let Some(k) = slots
                .iter()
                .position(|(lo, hi, _)| s.centre() >= *lo && s.centre() < *hi)
            else {
                continue;
            };
            if covered > 1 {
                continue;
            }
            let over: Vec<usize> = (0..stacks[k].len())
                .filter(|&j| overlap(stacks[k][j].range(), (s.x0, s.x1)) > 0.0)
                .collect();
            let this = Stack {
                x0: s.x0,
                x1: s.x1,
                bottom: level,
                top: level,
            };
            match over[..] {
                [] => stacks[k].push(this),
                [j] => stacks[k][j].absorb(&this),
                _ => {}
            }
        }
    }
    let mut cols = Vec::new();
    let mut of_body = vec![0; n];
    for ((lo, hi, b), mut st) in slots.into_iter().zip(stacks) {
        st.sort_by(|a, b| a.x0.total_cmp(&b.x0));
        let own = b.map(|b| {
            let mut o = own_stack(&body[b], &mut st, size);
            let Some(top) = st.get(o).map(|s| s.top) else {
                return (b, o);
            };
            // A stack standing wholly above the column's own header is a header over
            // several columns (`收入` over `项目 行次 决算数`), not a column.
            let mut j = 0;
            st.retain(|x| {
                let keep = j == o || x.bottom <= top;
                if !keep && j < o {
                    o -= 1;
                }
                j += 1;
                keep
            });
            (b, o)
        });
        if st.len() <= 1 {
            if let Some((b, _)) = own {
                of_body[b] = cols.len();
                cols.push(Column {
                    x0: body[b].x0,
                    x1: body[b].x1,
                    lo,
                    hi,
                });
            } else if let Some(&Stack { x0, x1, .. }) = st.first() {
                cols.push(Column { x0, x1, lo, hi });
            }
            continue;
        }
        for (j, &Stack { x0, x1, .. }) in st.iter().enumerate() {
            let zone_lo = if j == 0 {
                lo
            } else {
                (st[j - 1].x1 + x0) / 2.0
            };
            let zone_hi = st.get(j + 1).map_or(hi, |next| (x1 + next.x0) / 2.0);
            let (x0, x1) = match own {
                Some((b, o)) if o == j => {
                    of_body[b] = cols.len();
                    (body[b].x0, body[b].x1)
                }
                _ => (x0, x1),
            };
            cols.push(Column {
                x0,
                x1,
                lo: zone_lo,
                hi: zone_hi,
            });
        }
    }
    (cols, of_body)
}

/// Which of the header stacks of its slot (left to right) a body column's is; stacks that
/// are its header too are merged into it. Figures stand at their cell's right, under the
/// nearest stack (the rightmost of those as near). Text stands at its cell's left, under a
/// stack centred so that the cell it is centred in holds the text (`科目编码` over
/// `2080505`, though right of it); a stack left of that one reaching into the text is a
/// header over it as well (`项目` over `科目名称`); one left of the text is a column of its
/// own (`预算单位`, empty on this page).
fn own_stack(body: &BodyColumn, st: &mut Vec<Stack>, size: f64) -> usize {
    let range = (body.x0, body.x1);
    let distance = |s: &Stack| (-overlap(s.range(), range)).max(0.0);
    if body.figures {
        return (0..st.len())
            .min_by(|&i, &j| {
                distance(&st[i])
                    .total_cmp(&distance(&st[j]))
                    .then(j.cmp(&i))
            })
            .unwrap_or(0);
    }
    // Of several so centred, the one reaching nearest the body (`科目名称`, not `项目` above).
    let centred = (0..st.len())
        .filter(|&j| {
            let c = (st[j].x0 + st[j].x1) / 2.0;
            c >= body.x0 && 2.0 * c - body.x0 >= body.x1 - size
        })
        .min_by_key(|&j| (st[j].bottom, j));
    let Some(o) = centred else {
        // No header centred over the text: every stack reaching into it is its header.
        let mut merged: Vec<Stack> = Vec::new();
        for s in st.iter() {
            match merged.first_mut() {
                Some(m) if s.x0 < body.x1 => m.absorb(s),
                _ => merged.push(*s),
            }
        }
        *st = merged;
        return (0..st.len())
            .min_by(|&i, &j| {
                distance(&st[i])
                    .total_cmp(&distance(&st[j]))
                    .then(i.cmp(&j))
            })
            .unwrap_or(0);
    };
    let mut own = st[o];
    let mut kept = Vec::new();
    for (j, s) in st.iter().enumerate() {
        if j < o && s.x1 > body.x0 {
            own.absorb(s);
        } else if j != o {
            kept.push(*s);
        }
    }
    let at = kept.iter().filter(|s| s.x0 < own.x0).count();
    kept.insert(at, own);
    *st = kept;
    at
}

/// The columns a header text stands over: those holding a share of its width, else the one
/// holding its centre.
fn header_span(cols: &[Column], s: &Segment) -> (usize, usize) {
    let covered: Vec<usize> = (0..cols.len())
        .filter(|&k| overlap((s.x0, s.x1), (cols[k].lo, cols[k].hi)) >= SPAN_SHARE * s.width())
        .collect();
    match (covered.first(), covered.last()) {
        (Some(&a), Some(&b)) => (a, b),
        _ => {
            let k = cols
                .iter()
                .position(|c| s.centre() < c.hi)
                .unwrap_or(cols.len() - 1);
            (k, k)
        }
    }
}

/// Stream tables among the glyphs no lattice table took; marks their glyphs taken.
pub(crate) fn tables(page: &Page, taken: &mut [bool], lattice: &[Table]) -> Vec<Table> {
    let lines = lines_of(&page.glyphs, (0..page.glyphs.len()).filter(|&i| !taken[i]));
    let mut segs = line_segments(page, &lines);
    let mut out = Vec::new();
    let mut k = 0;
    while k < lines.len() {
        if !is_body(&segs, k) {
            k += 1;
            continue;
        }
        let (start, end) = body_run(&lines, &segs, k);
        k = end + 1;
        if end + 1 - start < MIN_ROWS {
            continue;
        }
        let first = header_start(page, &lines, &segs, start, end);
        let bbox = lines[first..=end]
            .iter()
            .map(|l| l.bbox)
            .reduce(|a, b| a.union(&b))
            .unwrap_or_default();
        if overlaps_lattice(lattice, &bbox) {
            continue;
        }
        // Body columns: merge the body segments' x ranges; what no body segment crosses is a
        // gap, if wider than the padding of two cells (not an indented code `201` ⏎ `20108`).
        let size = segs[start]
            .first()
            .and_then(|s| s.glyphs.first())
            .map_or(10.0, |&g| page.glyphs[g].font_size);
        let body = body_columns(&segs[start..=end], size);
        if body.len() < 2 {
            continue;
        }
        let (cols, of_body) = header_columns(page, &mut segs[first..start], &body, size);
        let body_col = |x: f64| {
            let b = body
                .iter()
                .position(|c| x <= c.x1 + COLUMN_GAP * size)
                .unwrap_or(body.len() - 1);
            of_body[b]
        };
        let run = Run { first, start, end };
        let cells = place_cells(page, &lines, &segs, run, &cols, &body_col, taken);
        let xs = cols
            .iter()
            .map(|c| c.x0)
            .chain(cols.last().map(|c| c.x1))
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

/// Each line's segments. A figure parts from text beside it by a narrow gap only where three
/// lines or more part there: a column edge, not a space in prose; so the likely gaps of every
/// line are found first.
fn line_segments(page: &Page, lines: &[Line]) -> Vec<Vec<Segment>> {
    let likely: Vec<Vec<(f64, f64)>> = lines.iter().map(|l| likely_gaps(page, l)).collect();
    let aligned = |g: (f64, f64)| {
        likely
            .iter()
            .filter(|gs| gs.iter().any(|&h| overlap(g, h) > -1.0))
            .count()
            >= 3
    };
    lines.iter().map(|l| segments(page, l, &aligned)).collect()
}

/// Whether line `k` is a body row: two texts or more, one of them a figure.
fn is_body(segs: &[Vec<Segment>], k: usize) -> bool {
    segs[k].len() >= 2 && segs[k].iter().any(|s| s.figure)
}

/// The run of body rows starting at body line `k`, as (first, last) line: it ends at a wide
/// vertical gap or a line that is no body row, except that a single line without figures (a
/// wrapped label) may sit inside it.
fn body_run(lines: &[Line], segs: &[Vec<Segment>], k: usize) -> (usize, usize) {
    let mut end = k;
    let mut j = k + 1;
    while j < lines.len() {
        let gap = lines[j].bbox.y0 - lines[j - 1].bbox.y1;
        if gap > 2.0 * lines[j - 1].bbox.height().max(1.0) {
            break;
        }
        if is_body(segs, j) {
            end = j;
        } else if !(j + 1 < lines.len() && is_body(segs, j + 1)) {
            break;
        }
        j += 1;
    }
    (k, end)
}

/// Whether a box shares a band of the page with a lattice table: the lattice read it
/// already, from its rules, and the stream must not read it twice.
fn overlaps_lattice(lattice: &[Table], b: &Rect) -> bool {
    lattice
        .iter()
        .any(|t| t.boxes.iter().any(|(_, tb)| b.y1 > tb.y0 && b.y0 < tb.y1))
}

/// The table's columns from its header lines (top down) over the body's columns, and the
/// column each body column falls in. The header's texts are cleaned first: letters spread
/// by justification joined, words of narrow columns run together parted (first between
/// Chinese words, then where the body's column edges fall, once the header has told where
/// those are).
fn header_columns(
    page: &Page,
    header: &mut [Vec<Segment>],
    body: &[BodyColumn],
    size: f64,
) -> (Vec<Column>, Vec<usize>) {
    let part = |segs: &mut [Vec<Segment>], edges: &[f64]| {
        for line in segs.iter_mut() {
            let whole = std::mem::take(line);
            *line = whole
                .into_iter()
                .flat_map(|s| part_at_edges(page, s, edges))
                .collect();
        }
    };
    for line in header.iter_mut() {
        join_spread_letters(page, line, body);
    }
    part(header, &[]);
    let bottom_up: Vec<&[Segment]> = header.iter().rev().map(|l| &l[..]).collect();
    let edges = edges(page, body, &bottom_up);
    part(header, &edges);
    let bottom_up: Vec<&[Segment]> = header.iter().rev().map(|l| &l[..]).collect();
    columns(body, &edges, &bottom_up, size)
}

/// The lines of one stream table: its first (header) line, its first body line, its last.
#[derive(Clone, Copy)]
struct Run {
    first: usize,
    start: usize,
    end: usize,
}

/// The table's cells: each text of each line in the columns it stands over (a header text
/// in those it spans, a body text in its body column's), every slot left empty a blank cell;
/// the glyphs placed are marked taken.
fn place_cells(
    page: &Page,
    lines: &[Line],
    segs: &[Vec<Segment>],
    run: Run,
    cols: &[Column],
    body_col: &dyn Fn(f64) -> usize,
    taken: &mut [bool],
) -> Vec<Cell> {
    let mut cells = Vec::new();
    for (row, lk) in (run.first..=run.end).enumerate() {
        let top = lines[lk].bbox.y0;
        let bottom = lines[lk].bbox.y1;
        let mut used = vec![false; cols.len()];
        for s in &segs[lk] {
            let (c0, c1) = if lk < run.start {
                header_span(cols, s)
            } else {
                let c = body_col(s.x0);
                (c, c)
            };
            used[c0..=c1].iter_mut().for_each(|u| *u = true);
            for &g in &s.glyphs {
                taken[g] = true;
            }
            let text = crate::celltext::cell_text(&page.glyphs, s.glyphs.iter().copied());
            let bbox = Rect {
                x0: cols[c0].x0,
                y0: top,
                x1: cols[c1].x1,
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
                        x0: cols[c].x0,
                        y0: top,
                        x1: cols[c].x1,
                        y1: bottom,
                    },
                    text: String::new(),
                });
            }
        }
    }
    merge_duplicate_slots(&mut cells);
    cells.sort_by_key(|c| (c.row, c.col));
    cells
}

/// The first line of the table whose body starts at line `start`: where a horizontal rule
/// spans the body above it (header-only ruling), every line between that rule and the body;
/// else up to five lines right above the body, each of several texts (or one text over a
/// group of columns), below the meta lines (`单位名称：… 单位：万元`).
fn header_start(
    page: &Page,
    lines: &[Line],
    segs: &[Vec<Segment>],
    start: usize,
    end: usize,
) -> usize {
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
    // A header cell taller than a row sets its text further above the first row than rows
    // stand apart: within twice the body's line pitch, the line above is still header.
    let pitch = lines
        .get(start + 1)
        .map_or(0.0, |next| next.bbox.y0 - lines[start].bbox.y0);
    let (left, right) = segs[start..=end]
        .iter()
        .flatten()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), s| {
            (a.min(s.x0), b.max(s.x1))
        });
    // Header words of narrow columns may run together into one segment (`一般公共预 政府性
    // 基金 国有资本经`): a line is several texts where narrower gaps part it too.
    let texts = |k: usize| {
        segs[k]
            .iter()
            .map(|s| {
                1 + gaps(page, &s.glyphs)
                    .iter()
                    .zip(&s.glyphs[1..])
                    .filter(|(g, &i)| **g >= 0.5 * page.glyphs[i].font_size)
                    .count()
            })
            .sum::<usize>()
    };
    let is_header = |k: usize, below: &Line| {
        let line = &lines[k];
        let gap = below.bbox.y0 - line.bbox.y1;
        if cnbudget_grammar::furniture::is_meta_line(&line.text) || segs[k].iter().any(|s| s.figure)
        {
            return false;
        }
        if texts(k) >= 2 {
            return gap < 2.0 * below.bbox.height()
                || (k + 1 == start && below.bbox.y0 - line.bbox.y0 <= 2.0 * pitch);
        }
        // One text tight above the others, narrow and within the body's width: a group's
        // header (`公务用车购置及运行维护费` over its three columns), not a title.
        let s = &segs[k][0];
        gap < below.bbox.height()
            && k + 1 < start
            && !ends_as_title(&line.text)
            && s.x0 >= left
            && s.x1 <= right
            && s.x1 - s.x0 < 0.5 * (right - left)
    };
    let mut first = start;
    while first > 0 && start - first < 5 && is_header(first - 1, &lines[first]) {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::joined;
    use cnbudget_pdf::{DecodePath, Glyph};

    const SIZE: f64 = 10.0;

    fn width(c: char) -> f64 {
        if cnbudget_pdf::text::is_wide(c) {
            SIZE
        } else {
            0.5 * SIZE
        }
    }

    /// A page without rules: on each line (its top), texts starting at x, or ending at x
    /// when written `>` first (right-aligned figures).
    fn page(lines: &[(f64, &[(f64, &str)])]) -> Page {
        let mut glyphs = Vec::new();
        for &(y, texts) in lines {
            for &(x, text) in texts {
                let (right, text) = match text.strip_prefix('>') {
                    Some(t) => (true, t),
                    None => (false, text),
                };
                let mut x = if right {
                    x - text.chars().map(width).sum::<f64>()
                } else {
                    x
                };
                for c in text.chars() {
                    glyphs.push(Glyph {
                        text: c.to_string().into(),
                        bbox: Rect {
                            x0: x,
                            y0: y,
                            x1: x + width(c),
                            y1: y + SIZE,
                        },
                        font_size: SIZE,
                        font: "SimSun".into(),
                        upright: true,
                        decode: DecodePath::ToUnicode,
                    });
                    x += width(c);
                }
            }
        }
        Page {
            number: 1,
            width: 842.0,
            height: 595.0,
            rotation: 0,
            glyphs,
            rules: Vec::new(),
            images: Vec::new(),
            warnings: Vec::new(),
        }
    }

    fn read(p: &Page) -> Table {
        let mut taken = vec![false; p.glyphs.len()];
        let mut t = tables(p, &mut taken, &[]);
        assert_eq!(t.len(), 1, "one table");
        crate::header::classify(&mut t[0]);
        t.remove(0)
    }

    fn body(t: &Table) -> Vec<Vec<String>> {
        let g = t.grid();
        t.body_rows()
            .map(|r| g[r].iter().map(|c| c.clone().unwrap_or_default()).collect())
            .collect()
    }

    /// Xi'an's 收入决算表 (a 2022 final account) without its rules: seven columns of figures,
    /// three of them empty on the page, header words of narrow columns close together, one
    /// wrapped over the lines above and below the others, a column-number row.
    #[test]
    fn empty_columns_and_close_header_words_keep_their_columns() {
        let p = page(&[
            (118.5, &[(147.0, "项目"), (693.0, "附属单位上")]),
            (
                126.6,
                &[
                    (287.0, "本年收入合计"),
                    (378.0, "财政拨款收入"),
                    (469.0, "上级补助收入"),
                    (570.0, "事业收入"),
                    (642.0, "经营收入"),
                    (749.0, "其他收入"),
                ],
            ),
            (
                134.4,
                &[(60.0, "科目代码"), (174.0, "科目名称"), (702.0, "缴收入")],
            ),
            (
                151.2,
                &[
                    (185.0, "栏次"),
                    (315.0, "1"),
                    (407.0, "2"),
                    (499.0, "3"),
                    (591.0, "4"),
                    (663.0, "5"),
                    (716.0, "6"),
                    (769.0, "7"),
                ],
            ),
            (
                167.5,
                &[
                    (182.0, "合计"),
                    (362.0, ">2,015,094.22"),
                    (453.0, ">805,251.56"),
                    (636.0, ">1,110,972.11"),
                    (796.0, ">98,870.55"),
                ],
            ),
            (
                183.9,
                &[
                    (48.0, "201"),
                    (119.0, "一般公共服务支出"),
                    (362.0, ">56.00"),
                    (453.0, ">56.00"),
                ],
            ),
            (
                200.2,
                &[
                    (48.0, "205"),
                    (119.0, "教育支出"),
                    (362.0, ">5,624.16"),
                    (453.0, ">4,902.65"),
                    (636.0, ">720.50"),
                    (796.0, ">1.00"),
                ],
            ),
            (
                216.6,
                &[
                    (48.0, "20502"),
                    (119.0, "普通教育"),
                    (362.0, ">1,263.15"),
                    (453.0, ">1,182.59"),
                    (636.0, ">80.56"),
                ],
            ),
        ]);
        let t = read(&p);
        assert_eq!(
            joined(&t),
            [
                "科目代码",
                "项目/科目名称",
                "本年收入合计",
                "财政拨款收入",
                "上级补助收入",
                "事业收入",
                "经营收入",
                "附属单位上/缴收入",
                "其他收入"
            ]
        );
        assert_eq!(t.column_number_row, Some(3));
        let rows = body(&t);
        assert_eq!(
            rows[0],
            [
                "",
                "合计",
                "2,015,094.22",
                "805,251.56",
                "",
                "1,110,972.11",
                "",
                "",
                "98,870.55"
            ]
        );
        assert_eq!(rows[2][5], "720.50");
        assert_eq!(rows[2][8], "1.00");
    }

    /// Guangdong's header words run together over narrow columns (`合计一般公共预算`: one
    /// segment, the gaps between the words narrower than between segments) are parted where
    /// the figures' right edges fall.
    #[test]
    fn header_words_run_together_are_parted_at_the_figures_edges() {
        let row = |y: f64, label: &'static str, v: &'static str| {
            (
                y,
                vec![(48.0, label), (260.0, v), (328.0, v), (402.0, ">0.00")],
            )
        };
        let rows = [
            (
                116.0,
                vec![
                    (127.0, "项目"),
                    (237.0, "合计"),
                    (266.0, "一般公共预算"),
                    (332.0, "政府性基金预算"),
                ],
            ),
            row(132.0, "一、预算拨款", ">12.00"),
            row(148.0, "二、财政专户拨款", ">0.00"),
            row(164.0, "三、事业收入", ">3.50"),
        ];
        let lines: Vec<(f64, &[(f64, &str)])> = rows.iter().map(|(y, t)| (*y, &t[..])).collect();
        let p = page(&lines);
        let header = lines_of(&p.glyphs, 0..p.glyphs.len());
        assert_eq!(
            segments(&p, &header[0], &|_| false).len(),
            2,
            "the words run together"
        );
        let t = read(&p);
        assert_eq!(
            joined(&t),
            ["项目", "合计", "一般公共预算", "政府性基金预算"]
        );
        assert_eq!(body(&t)[2], ["三、事业收入", "3.50", "3.50", "0.00"]);
    }

    /// Xi'an's 基本支出决算表 prints blocks side by side: a block's figures stand 0.6 font
    /// sizes before the next block's codes; codes indented by level (`301` ⏎ `  30101`, apart
    /// by more than a column gap) are one column.
    #[test]
    fn side_by_side_blocks_part_at_figures_and_indented_codes_stay_one_column() {
        let header: Vec<(f64, &str)> = vec![
            (50.0, "科目代码"),
            (120.0, "科目名称"),
            (200.0, "决算数"),
            (254.0, "科目代码"),
            (324.0, "科目名称"),
            (404.0, "决算数"),
        ];
        let rows: Vec<(f64, Vec<(f64, &str)>)> = vec![
            (100.0, header),
            (
                116.0,
                vec![
                    (48.0, "301"),
                    (105.0, "工资福利支出"),
                    (238.0, ">92,835.98"),
                    (244.0, "302"),
                    (296.0, "商品和服务支出"),
                    (440.0, ">2,085.91"),
                ],
            ),
            (
                132.0,
                vec![
                    (68.0, "30101"),
                    (105.0, "基本工资"),
                    (238.0, ">32,390.68"),
                    (254.0, "30201"),
                    (296.0, "办公费"),
                    (440.0, ">279.66"),
                ],
            ),
            (
                148.0,
                vec![
                    (68.0, "30102"),
                    (105.0, "津贴补贴"),
                    (238.0, ">5,920.14"),
                    (254.0, "30202"),
                    (296.0, "印刷费"),
                    (440.0, ">31.37"),
                ],
            ),
        ];
        let lines: Vec<(f64, &[(f64, &str)])> = rows.iter().map(|(y, t)| (*y, &t[..])).collect();
        let t = read(&page(&lines));
        assert_eq!(
            joined(&t),
            [
                "科目代码",
                "科目名称",
                "决算数",
                "科目代码",
                "科目名称",
                "决算数"
            ]
        );
        assert_eq!(
            body(&t)[1],
            [
                "30101",
                "基本工资",
                "32,390.68",
                "30201",
                "办公费",
                "279.66"
            ]
        );
    }

    /// Amounts in prose, a space before their unit, are no table.
    #[test]
    fn amounts_in_prose_are_no_table() {
        let p = page(&[
            (
                100.0,
                &[
                    (48.0, "本年收入预算合计"),
                    (213.0, "21,955.35"),
                    (263.0, "万元，其中："),
                ],
            ),
            (
                120.0,
                &[
                    (48.0, "一般公共预算收入"),
                    (213.0, "21,940.96"),
                    (263.0, "万元，占"),
                ],
            ),
            (
                140.0,
                &[
                    (48.0, "99.94"),
                    (90.0, "%；其他资金"),
                    (208.0, "14.39"),
                    (238.0, "万元。"),
                ],
            ),
        ]);
        let mut taken = vec![false; p.glyphs.len()];
        assert!(tables(&p, &mut taken, &[]).is_empty());
    }
}
