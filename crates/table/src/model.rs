//! What the table stage produces: logical tables with spanning cells, header paths and the
//! furniture printed around them.

use cnbudget_grammar::HeaderPath;
use cnbudget_pdf::Rect;
use serde::Serialize;
use std::ops::Range;

/// How a table's grid was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// From ruling lines (with virtual outer edges where a border is open).
    Lattice,
    /// From text alignment, where the table has no or only partial rules.
    Stream,
}

/// One cell: a rectangle of grid slots and the text of the glyphs whose centre lies in it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Cell {
    pub row: usize,
    pub col: usize,
    pub rowspan: usize,
    pub colspan: usize,
    /// Page the cell is printed on (1-based PDF page index).
    pub page: u32,
    pub bbox: Rect,
    /// Cell text: wrapped lines joined, justification spaces between CJK removed.
    pub text: String,
}

impl Cell {
    fn covers(&self, row: usize, col: usize) -> bool {
        self.row <= row
            && row < self.row + self.rowspan
            && self.col <= col
            && col < self.col + self.colspan
    }
}

/// A line of text printed around a table.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct TextLine {
    pub page: u32,
    pub bbox: Rect,
    pub text: String,
}

/// A logical table: one or more page pieces stitched together.
#[derive(Debug, Clone, Serialize)]
pub struct Table {
    pub method: Method,
    /// Pages the table occupies, in order.
    pub pages: Vec<u32>,
    /// Box of each page piece.
    pub boxes: Vec<(u32, Rect)>,
    /// The title line above the table (`收支预算总表`), if one was printed.
    pub title: Option<TextLine>,
    /// The number label (`公开01表`, `表3`), if one was printed.
    pub label: Option<String>,
    /// Meta lines (`部门：…`, `单位：万元`).
    pub meta: Vec<TextLine>,
    /// Notes below (`注：…`).
    pub notes: Vec<TextLine>,
    pub n_rows: usize,
    pub n_cols: usize,
    /// Column boundaries (`n_cols + 1` x positions, points) of the first page piece.
    pub xs: Vec<f64>,
    /// Every cell, in row-major order of their top-left slots.
    pub cells: Vec<Cell>,
    /// How many rows at the top are header rows.
    pub header_rows: usize,
    /// A printed column-number row (`栏次 1 2 3`), kept out of header and body.
    pub column_number_row: Option<usize>,
    /// For each column, the header texts above it from top to bottom.
    pub header_paths: Vec<HeaderPath>,
}

impl Table {
    /// A one-page table of `cells` on column boundaries `xs`; header, title and furniture
    /// are filled in by later steps.
    pub(crate) fn new(
        method: Method,
        page: u32,
        bbox: Rect,
        n_rows: usize,
        xs: Vec<f64>,
        cells: Vec<Cell>,
    ) -> Table {
        Table {
            method,
            pages: vec![page],
            boxes: vec![(page, bbox)],
            title: None,
            label: None,
            meta: Vec::new(),
            notes: Vec::new(),
            n_rows,
            n_cols: xs.len().saturating_sub(1),
            xs,
            cells,
            header_rows: 0,
            column_number_row: None,
            header_paths: Vec::new(),
        }
    }

    /// The grid of slots: the text at each cell's top-left slot, `None` where a span covers it.
    pub fn grid(&self) -> Vec<Vec<Option<String>>> {
        let mut g = vec![vec![None; self.n_cols]; self.n_rows];
        for c in &self.cells {
            if let Some(slot) = g.get_mut(c.row).and_then(|r| r.get_mut(c.col)) {
                *slot = Some(c.text.clone());
            }
        }
        g
    }

    /// The cell covering a slot.
    pub fn cell_at(&self, row: usize, col: usize) -> Option<&Cell> {
        self.cells.iter().find(|c| c.covers(row, col))
    }

    /// [`Table::cell_at`] for every slot at once: loops over the rows of a table hundreds of
    /// pages long must not scan every cell for each slot.
    pub fn index(&self) -> CellIndex<'_> {
        self.index_rows(0..self.n_rows)
    }

    /// The index of the slots of `rows` only (a header, one row).
    pub(crate) fn index_rows(&self, rows: Range<usize>) -> CellIndex<'_> {
        let n_cols = self.n_cols;
        let mut slots = vec![usize::MAX; rows.len() * n_cols];
        for (k, c) in self.cells.iter().enumerate() {
            let (r0, r1) = (c.row.max(rows.start), (c.row + c.rowspan).min(rows.end));
            for r in r0..r1 {
                for col in c.col..(c.col + c.colspan).min(n_cols) {
                    let slot = &mut slots[(r - rows.start) * n_cols + col];
                    // The first cell covering a slot wins, as in `cell_at`.
                    if *slot == usize::MAX {
                        *slot = k;
                    }
                }
            }
        }
        CellIndex {
            table: self,
            rows,
            slots,
        }
    }

    /// Body rows (after the header and the column-number row).
    pub fn body_rows(&self) -> impl Iterator<Item = usize> + '_ {
        (self.header_rows..self.n_rows).filter(move |r| Some(*r) != self.column_number_row)
    }
}

/// Which cell covers each slot of some rows of a table ([`Table::index`]).
pub struct CellIndex<'a> {
    table: &'a Table,
    rows: Range<usize>,
    /// Row-major over `rows` × the table's columns: the cell's index, `usize::MAX` for none.
    slots: Vec<usize>,
}

impl<'a> CellIndex<'a> {
    /// The position in `cells` of the cell covering a slot, as [`Table::cell_at`] finds it.
    pub fn position(&self, row: usize, col: usize) -> Option<usize> {
        if self.rows.contains(&row) && col < self.table.n_cols {
            let k = self.slots[(row - self.rows.start) * self.table.n_cols + col];
            (k != usize::MAX).then_some(k)
        } else {
            // Outside the indexed rows or the grid: look the slow way.
            self.table.cells.iter().position(|c| c.covers(row, col))
        }
    }

    /// The cell covering a slot, as [`Table::cell_at`] finds it.
    pub fn at(&self, row: usize, col: usize) -> Option<&'a Cell> {
        self.position(row, col).map(|k| &self.table.cells[k])
    }
}

/// A table's header paths in their written form, as the tests state them.
#[cfg(test)]
pub(crate) fn joined(t: &Table) -> Vec<String> {
    t.header_paths.iter().map(ToString::to_string).collect()
}
