//! Lattice: ruling lines become grids. Borders drawn cell by cell (Excel, Word), doubled, or as
//! thin rectangles are merged first; a missing inner rule makes a spanning cell; an open outer
//! border gets a virtual edge where the rules it would close end.

use cnbudget_pdf::{Orientation, Page, Rect};

/// Rules closer than this (points) across their length are one line.
const SNAP: f64 = 2.0;
/// Collinear pieces with a gap up to this (points) are joined.
const JOIN: f64 = 3.0;
/// Tolerance when asking whether two rules meet.
const TOUCH: f64 = 3.0;
/// Grid positions closer than this are one (no real row or column is this thin).
const MIN_SLOT: f64 = 4.0;
/// Share of a slot edge a rule must cover to separate the two slots.
const COVER: f64 = 0.6;

/// A merged rule: its position across, and its extent along.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Seg {
    pub pos: f64,
    pub lo: f64,
    pub hi: f64,
}

/// One ruled grid: slot boundaries and its cells as `(row, col, rowspan, colspan)`.
#[derive(Debug, Clone)]
pub(crate) struct Grid {
    pub xs: Vec<f64>,
    pub ys: Vec<f64>,
    pub cells: Vec<(usize, usize, usize, usize)>,
}

impl Grid {
    /// The grid's outer box.
    pub fn bbox(&self) -> Rect {
        Rect {
            x0: self.xs[0],
            y0: self.ys[0],
            x1: self.xs[self.xs.len() - 1],
            y1: self.ys[self.ys.len() - 1],
        }
    }

    /// The box of a cell.
    pub fn cell_box(&self, (r, c, rs, cs): (usize, usize, usize, usize)) -> Rect {
        Rect {
            x0: self.xs[c],
            y0: self.ys[r],
            x1: self.xs[c + cs],
            y1: self.ys[r + rs],
        }
    }
}

/// Columns narrower (rows lower) than this that hold no glyph are the gap of a doubled
/// border, not a column: they are folded into their neighbour.
const SLIVER_W: f64 = 8.0;
const SLIVER_H: f64 = 5.0;

/// Removes the boundaries `drop` from `bounds`; returns each old boundary's new index
/// (a dropped boundary maps to its kept neighbour toward the inside of the table).
fn collapse(bounds: &mut Vec<f64>, drop: &[usize]) -> Vec<usize> {
    let n = bounds.len();
    let kept: Vec<usize> = (0..n).filter(|i| !drop.contains(i)).collect();
    let map = (0..n)
        .map(|b| match kept.binary_search(&b) {
            Ok(k) => k,
            Err(0) => 0,
            Err(k) if k >= kept.len() => kept.len() - 1,
            Err(k) => k - 1,
        })
        .collect();
    *bounds = kept.iter().map(|&i| bounds[i]).collect();
    map
}

impl Grid {
    /// Folds empty sliver columns and rows (doubled borders) into their neighbours.
    pub(crate) fn drop_slivers(&mut self, centres: &[(f64, f64)]) {
        let occupied = |x0: f64, x1: f64, y0: f64, y1: f64| {
            centres
                .iter()
                .any(|&(x, y)| x > x0 && x < x1 && y > y0 && y < y1)
        };
        let (top, bottom) = (self.ys[0], self.ys[self.ys.len() - 1]);
        let (left, right) = (self.xs[0], self.xs[self.xs.len() - 1]);
        let last_col = self.xs.len() - 2;
        // Drop the boundary on the outer side of an edge sliver, the left one of an inner one.
        let cols: Vec<usize> = (0..=last_col)
            .filter(|&c| {
                self.xs[c + 1] - self.xs[c] < SLIVER_W
                    && !occupied(self.xs[c], self.xs[c + 1], top, bottom)
            })
            .map(|c| if c == last_col { c + 1 } else { c })
            .collect();
        let last_row = self.ys.len() - 2;
        let rows: Vec<usize> = (0..=last_row)
            .filter(|&r| {
                self.ys[r + 1] - self.ys[r] < SLIVER_H
                    && !occupied(left, right, self.ys[r], self.ys[r + 1])
            })
            .map(|r| if r == last_row { r + 1 } else { r })
            .collect();
        if (cols.is_empty() && rows.is_empty())
            || self.xs.len() - cols.len() < 2
            || self.ys.len() - rows.len() < 2
        {
            return;
        }
        let cmap = collapse(&mut self.xs, &cols);
        let rmap = collapse(&mut self.ys, &rows);
        let mut cells: Vec<(usize, usize, usize, usize)> = self
            .cells
            .iter()
            .filter_map(|&(r, c, rs, cs)| {
                let (r0, r1, c0, c1) = (rmap[r], rmap[r + rs], cmap[c], cmap[c + cs]);
                (r1 > r0 && c1 > c0).then_some((r0, c0, r1 - r0, c1 - c0))
            })
            .collect();
        cells.sort_unstable();
        cells.dedup_by_key(|c| (c.0, c.1));
        self.cells = cells;
    }
}

/// Merges collinear, overlapping or nearly touching pieces into lines.
pub(crate) fn merge(mut segs: Vec<Seg>) -> Vec<Seg> {
    segs.sort_by(|a, b| a.pos.total_cmp(&b.pos));
    let mut clusters: Vec<Vec<Seg>> = Vec::new();
    for s in segs {
        match clusters.last_mut() {
            Some(c) if s.pos - c[0].pos <= SNAP => c.push(s),
            _ => clusters.push(vec![s]),
        }
    }
    let mut out = Vec::new();
    for mut c in clusters {
        let pos = c.iter().map(|s| s.pos * (s.hi - s.lo)).sum::<f64>()
            / c.iter().map(|s| s.hi - s.lo).sum::<f64>().max(1e-9);
        c.sort_by(|a, b| a.lo.total_cmp(&b.lo));
        let mut cur: Option<Seg> = None;
        for s in c {
            cur = Some(match cur {
                Some(mut k) if s.lo <= k.hi + JOIN => {
                    k.hi = k.hi.max(s.hi);
                    k
                }
                Some(k) => {
                    out.push(Seg { pos, ..k });
                    s
                }
                None => s,
            });
        }
        if let Some(k) = cur {
            out.push(Seg { pos, ..k });
        }
    }
    out
}

/// The page's horizontal and vertical lines, rectangles contributing their four edges.
pub(crate) fn page_lines(page: &Page) -> (Vec<Seg>, Vec<Seg>) {
    let (mut h, mut v) = (Vec::new(), Vec::new());
    for r in &page.rules {
        match r.orientation {
            Orientation::Horizontal => h.push(Seg {
                pos: r.y0,
                lo: r.x0,
                hi: r.x1,
            }),
            Orientation::Vertical => v.push(Seg {
                pos: r.x0,
                lo: r.y0,
                hi: r.y1,
            }),
            Orientation::Rect => {
                // A box the size of the page is a frame, not a table border.
                if r.x1 - r.x0 > 0.9 * page.width && r.y1 - r.y0 > 0.9 * page.height {
                    continue;
                }
                h.push(Seg {
                    pos: r.y0,
                    lo: r.x0,
                    hi: r.x1,
                });
                h.push(Seg {
                    pos: r.y1,
                    lo: r.x0,
                    hi: r.x1,
                });
                v.push(Seg {
                    pos: r.x0,
                    lo: r.y0,
                    hi: r.y1,
                });
                v.push(Seg {
                    pos: r.x1,
                    lo: r.y0,
                    hi: r.y1,
                });
            }
        }
    }
    let keep = |s: &Seg| s.hi - s.lo >= 2.0;
    (
        merge(h.into_iter().filter(keep).collect()),
        merge(v.into_iter().filter(keep).collect()),
    )
}

fn find(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}

fn union(parent: &mut [usize], a: usize, b: usize) {
    let (ra, rb) = (find(parent, a), find(parent, b));
    if ra != rb {
        parent[ra.max(rb)] = ra.min(rb);
    }
}

/// Clusters positions closer than `MIN_SLOT` into one (their mean).
fn positions(mut v: Vec<f64>) -> Vec<f64> {
    v.sort_by(f64::total_cmp);
    let mut out: Vec<Vec<f64>> = Vec::new();
    for x in v {
        match out.last_mut() {
            Some(c) if x - c[c.len() - 1] < MIN_SLOT => c.push(x),
            _ => out.push(vec![x]),
        }
    }
    out.into_iter()
        .map(|c| c.iter().sum::<f64>() / c.len() as f64)
        .collect()
}

/// How much of `lo..hi` the lines at `pos` cover, as a share.
fn coverage(lines: &[Seg], pos: f64, lo: f64, hi: f64) -> f64 {
    let mut covered = 0.0;
    for s in lines.iter().filter(|s| (s.pos - pos).abs() <= SNAP + 0.5) {
        covered += (s.hi.min(hi) - s.lo.max(lo)).max(0.0);
    }
    covered / (hi - lo).max(1e-9)
}

/// Finds every ruled grid on the page.
pub(crate) fn grids(page: &Page) -> Vec<Grid> {
    let (h, v) = page_lines(page);
    let n = h.len() + v.len();
    let mut parent: Vec<usize> = (0..n).collect();
    for (i, a) in h.iter().enumerate() {
        for (j, b) in v.iter().enumerate() {
            let meets = b.pos >= a.lo - TOUCH
                && b.pos <= a.hi + TOUCH
                && a.pos >= b.lo - TOUCH
                && a.pos <= b.hi + TOUCH;
            if meets {
                union(&mut parent, i, h.len() + j);
            }
        }
    }
    let mut groups: std::collections::BTreeMap<usize, (Vec<Seg>, Vec<Seg>)> = Default::default();
    for i in 0..n {
        let root = find(&mut parent, i);
        let e = groups.entry(root).or_default();
        if i < h.len() {
            e.0.push(h[i]);
        } else {
            e.1.push(v[i - h.len()]);
        }
    }
    let mut out: Vec<Grid> = groups
        .into_values()
        .filter_map(|(h, v)| grid(h, v))
        .collect();
    out.sort_by(|a, b| {
        a.ys[0]
            .total_cmp(&b.ys[0])
            .then(a.xs[0].total_cmp(&b.xs[0]))
    });
    out
}

/// Builds the grid of one connected set of rules; `None` when it cannot hold a cell grid.
fn grid(h: Vec<Seg>, v: Vec<Seg>) -> Option<Grid> {
    if h.len() < 2 || v.is_empty() {
        return None;
    }
    let mut xs = positions(v.iter().map(|s| s.pos).collect());
    let mut ys = positions(h.iter().map(|s| s.pos).collect());
    // Virtual outer edges: horizontal rules running past the outermost vertical one mean the
    // outer border is open (Word tables often have none on the left and right).
    let (left, right) = (
        h.iter().map(|s| s.lo).fold(f64::INFINITY, f64::min),
        h.iter().map(|s| s.hi).fold(f64::NEG_INFINITY, f64::max),
    );
    let (top, bottom) = (
        v.iter().map(|s| s.lo).fold(f64::INFINITY, f64::min),
        v.iter().map(|s| s.hi).fold(f64::NEG_INFINITY, f64::max),
    );
    let mut v = v;
    let mut h = h;
    if left < xs[0] - MIN_SLOT {
        xs.insert(0, left);
        v.push(Seg {
            pos: left,
            lo: top,
            hi: bottom,
        });
    }
    if right > xs[xs.len() - 1] + MIN_SLOT {
        xs.push(right);
        v.push(Seg {
            pos: right,
            lo: top,
            hi: bottom,
        });
    }
    if top < ys[0] - MIN_SLOT {
        ys.insert(0, top);
        h.push(Seg {
            pos: top,
            lo: left,
            hi: right,
        });
    }
    if bottom > ys[ys.len() - 1] + MIN_SLOT {
        ys.push(bottom);
        h.push(Seg {
            pos: bottom,
            lo: left,
            hi: right,
        });
    }
    let (nr, nc) = (ys.len().checked_sub(1)?, xs.len().checked_sub(1)?);
    if nr == 0 || nc == 0 || nr * nc > 200_000 {
        return None;
    }
    let idx = |r: usize, c: usize| r * nc + c;
    let mut parent: Vec<usize> = (0..nr * nc).collect();
    for r in 0..nr {
        for c in 0..nc {
            if c + 1 < nc && coverage(&v, xs[c + 1], ys[r], ys[r + 1]) < COVER {
                union(&mut parent, idx(r, c), idx(r, c + 1));
            }
            if r + 1 < nr && coverage(&h, ys[r + 1], xs[c], xs[c + 1]) < COVER {
                union(&mut parent, idx(r, c), idx(r + 1, c));
            }
        }
    }
    let mut slots: std::collections::BTreeMap<usize, Vec<(usize, usize)>> = Default::default();
    for r in 0..nr {
        for c in 0..nc {
            let root = find(&mut parent, idx(r, c));
            slots.entry(root).or_default().push((r, c));
        }
    }
    let mut cells = Vec::new();
    for members in slots.into_values() {
        let (r0, r1) = (
            members.iter().map(|m| m.0).min()?,
            members.iter().map(|m| m.0).max()?,
        );
        let (c0, c1) = (
            members.iter().map(|m| m.1).min()?,
            members.iter().map(|m| m.1).max()?,
        );
        if members.len() == (r1 - r0 + 1) * (c1 - c0 + 1) {
            cells.push((r0, c0, r1 - r0 + 1, c1 - c0 + 1));
        } else {
            // Not a rectangle (a rule fragment is missing somewhere): fall back to one cell
            // per contiguous run of slots in each row, so no two cells overlap.
            for r in r0..=r1 {
                let mut cols: Vec<usize> =
                    members.iter().filter(|m| m.0 == r).map(|m| m.1).collect();
                cols.sort_unstable();
                let mut start = None;
                for (k, &c) in cols.iter().enumerate() {
                    let s = *start.get_or_insert(c);
                    if cols.get(k + 1) != Some(&(c + 1)) {
                        cells.push((r, s, 1, c - s + 1));
                        start = None;
                    }
                }
            }
        }
    }
    cells.sort_unstable();
    // A framed box, even one divided into rows, is not a table: a table has columns.
    (nc > 1 && cells.len() > 1).then_some(Grid { xs, ys, cells })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(pos: f64, lo: f64, hi: f64) -> Seg {
        Seg { pos, lo, hi }
    }

    #[test]
    fn pieces_drawn_cell_by_cell_merge_into_lines() {
        let merged = merge(vec![
            s(100.0, 0.0, 50.0),
            s(100.4, 50.5, 100.0),
            s(100.2, 101.0, 150.0),
            s(130.0, 0.0, 150.0),
        ]);
        assert_eq!(merged.len(), 2);
        assert!((merged[0].lo, merged[0].hi) == (0.0, 150.0));
    }

    #[test]
    fn missing_inner_rule_makes_a_spanning_cell() {
        // Two rows, three columns; the first row has no rule between columns 1 and 2.
        let h = vec![s(0.0, 0.0, 300.0), s(20.0, 0.0, 300.0), s(40.0, 0.0, 300.0)];
        let v = vec![
            s(0.0, 0.0, 40.0),
            s(100.0, 0.0, 40.0),
            s(200.0, 20.0, 40.0),
            s(300.0, 0.0, 40.0),
        ];
        let g = grid(merge(h), merge(v)).unwrap();
        assert_eq!(
            g.cells,
            vec![
                (0, 0, 1, 1),
                (0, 1, 1, 2),
                (1, 0, 1, 1),
                (1, 1, 1, 1),
                (1, 2, 1, 1)
            ]
        );
    }

    #[test]
    fn open_outer_border_gets_virtual_edges() {
        // Horizontal rules from 0 to 300, inner verticals only at 100 and 200.
        let h = vec![s(0.0, 0.0, 300.0), s(20.0, 0.0, 300.0), s(40.0, 0.0, 300.0)];
        let v = vec![s(100.0, 0.0, 40.0), s(200.0, 0.0, 40.0)];
        let g = grid(merge(h), merge(v)).unwrap();
        assert_eq!(g.xs, vec![0.0, 100.0, 200.0, 300.0]);
        assert_eq!(g.cells.len(), 6);
    }

    #[test]
    fn doubled_outer_border_leaves_no_sliver_column() {
        let h = vec![s(0.0, 0.0, 300.0), s(20.0, 0.0, 300.0), s(40.0, 0.0, 300.0)];
        let v = vec![
            s(0.0, 0.0, 40.0),
            s(5.0, 0.0, 40.0),
            s(150.0, 0.0, 40.0),
            s(295.0, 0.0, 40.0),
            s(300.0, 0.0, 40.0),
        ];
        let mut g = grid(merge(h), merge(v)).unwrap();
        assert_eq!(g.xs.len(), 5);
        g.drop_slivers(&[(70.0, 10.0), (200.0, 30.0)]);
        assert_eq!(g.xs, vec![5.0, 150.0, 295.0]);
        assert_eq!(
            g.cells,
            vec![(0, 0, 1, 1), (0, 1, 1, 1), (1, 0, 1, 1), (1, 1, 1, 1)]
        );
    }

    #[test]
    fn underlines_alone_are_no_table() {
        assert!(grid(vec![s(10.0, 0.0, 50.0), s(30.0, 0.0, 50.0)], vec![]).is_none());
    }
}
