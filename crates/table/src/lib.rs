//! The table stage of cnbudget: a page's glyphs and rulings become tables — a grid of cells
//! with spans, the title, label, meta lines and notes printed around it, and a header path
//! for every column — and tables continued over pages become one.
//!
//! [`page_tables`] reads one page; [`document_tables`] reads a whole document and stitches,
//! and returns each page's free lines (the text no table holds) with the tables, so later
//! stages read the narrative without rebuilding lines from glyphs.
//!
//! The stage knows geometry, not the budget language: what reads as a title, a meta line, a
//! note, a page number, a printed figure or a code it asks `cnbudget_grammar::furniture`.
//! Where on a page a page number stands is geometry, and one rule: [`is_page_number`], which
//! the narrative reads its free lines by too.

mod celltext;
mod furniture;
mod header;
mod lattice;
mod model;
mod stitch;
mod stream;
pub mod svg;

pub use furniture::is_page_number;
pub use model::{Cell, CellIndex, Method, Table, TextLine};

use cnbudget_pdf::text::lines_of;
use cnbudget_pdf::{Page, Rect};

fn inside(b: &Rect, x: f64, y: f64) -> bool {
    x >= b.x0 && x <= b.x1 && y >= b.y0 && y <= b.y1
}

/// Builds a table from a grid, taking the glyphs whose centre falls in each cell.
fn from_grid(page: &Page, g: &lattice::Grid, taken: &mut [bool]) -> Table {
    let nc = g.xs.len() - 1;
    let mut slot_cell = vec![usize::MAX; (g.ys.len() - 1) * nc];
    for (k, &(r, c, rs, cs)) in g.cells.iter().enumerate() {
        for rr in r..r + rs {
            for cc in c..c + cs {
                slot_cell[rr * nc + cc] = k;
            }
        }
    }
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); g.cells.len()];
    let bbox = g.bbox();
    for (i, gl) in page.glyphs.iter().enumerate() {
        let (x, y) = gl.bbox.center();
        if taken[i] || !inside(&bbox, x, y) {
            continue;
        }
        let col =
            g.xs.partition_point(|&v| v <= x)
                .saturating_sub(1)
                .min(nc - 1);
        let row =
            g.ys.partition_point(|&v| v <= y)
                .saturating_sub(1)
                .min(g.ys.len() - 2);
        if let Some(&k) = slot_cell.get(row * nc + col) {
            if k != usize::MAX {
                members[k].push(i);
                taken[i] = true;
            }
        }
    }
    let cells = g
        .cells
        .iter()
        .zip(members)
        .map(|(&(row, col, rowspan, colspan), m)| Cell {
            row,
            col,
            rowspan,
            colspan,
            page: page.number,
            bbox: g.cell_box((row, col, rowspan, colspan)),
            text: celltext::cell_text(&page.glyphs, m),
        })
        .collect();
    Table::new(
        Method::Lattice,
        page.number,
        bbox,
        g.ys.len() - 1,
        g.xs.clone(),
        cells,
    )
}

/// Every table on one page, top to bottom, with its furniture.
pub fn page_tables(page: &Page) -> Vec<Table> {
    read_page(page).tables
}

/// What [`read_page`] finds on a page.
struct PageRead {
    tables: Vec<Table>,
    /// A title standing orphaned at the page's foot (its table starts overleaf).
    orphan: Option<furniture::Furniture>,
    /// The page's lines whose glyphs no table holds, top to bottom.
    free: Vec<TextLine>,
}

/// The page's tables, an orphaned title and the free lines.
fn read_page(page: &Page) -> PageRead {
    let mut taken = vec![false; page.glyphs.len()];
    let centres: Vec<(f64, f64)> = page
        .glyphs
        .iter()
        .filter(|g| !g.text.trim().is_empty())
        .map(|g| g.bbox.center())
        .collect();
    let mut grids = lattice::grids(page);
    grids.iter_mut().for_each(|g| g.drop_slivers(&centres));
    let mut tables: Vec<Table> = grids
        .iter()
        .filter(|g| g.xs.len() > 2)
        .map(|g| from_grid(page, g, &mut taken))
        .filter(|t| t.cells.iter().any(|c| !c.text.is_empty()))
        .collect();
    tables.extend(stream::tables(page, &mut taken, &tables));
    tables.sort_by(|a, b| a.boxes[0].1.y0.total_cmp(&b.boxes[0].1.y0));
    for t in &mut tables {
        header::classify(t);
    }
    let free = lines_of(&page.glyphs, (0..page.glyphs.len()).filter(|&i| !taken[i]));
    furniture::attach(page, &mut tables, &free);
    let orphan = furniture::trailing(page, &tables, &free);
    let free = free
        .iter()
        .map(|l| furniture::text_line(page, l, l.text.clone()))
        .collect();
    PageRead {
        tables,
        orphan,
        free,
    }
}

/// What the table stage reads from a document.
pub struct Layout {
    /// Every table, tables continued over a page break joined into one.
    pub tables: Vec<Table>,
    /// For each page given, in order, its lines whose glyphs no table cell holds, top to
    /// bottom: the narrative, headings, page numbers, and the tables' titles, meta lines and
    /// notes.
    pub free_lines: Vec<Vec<TextLine>>,
}

/// Every table of a document, tables continued over a page break joined into one, and each
/// page's free lines.
pub fn document_tables(pages: &[Page]) -> Layout {
    let mut per_page = Vec::with_capacity(pages.len());
    let mut free_lines = Vec::with_capacity(pages.len());
    for read in pages.iter().map(read_page) {
        per_page.push((read.tables, read.orphan));
        free_lines.push(read.free);
    }
    Layout {
        tables: stitch::stitch(pages, per_page),
        free_lines,
    }
}
