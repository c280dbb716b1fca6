//! Ruled tables: spanning header cells, wrapped labels, page breaks with the header repeated.

use crate::canvas::{text_width, Align, Canvas, PAGE_H};
use serde::{Deserialize, Serialize};

const TOP: f64 = 125.0;
const BOTTOM: f64 = PAGE_H - 50.0;
const HEADER_ROW: f64 = 22.0;
const LINE: f64 = 13.0;
const FONT: f64 = 9.0;

/// One cell: its text and how many grid slots it covers.
#[derive(Debug, Clone)]
pub struct Cell {
    pub text: String,
    pub colspan: usize,
    pub rowspan: usize,
    pub align: Align,
}

impl Cell {
    /// A one-slot cell.
    pub fn new(text: impl Into<String>, align: Align) -> Cell {
        Cell {
            text: text.into(),
            colspan: 1,
            rowspan: 1,
            align,
        }
    }

    /// A cell spanning `rowspan` × `colspan` slots, centred (header cells).
    pub fn span(text: impl Into<String>, rowspan: usize, colspan: usize) -> Cell {
        Cell {
            text: text.into(),
            colspan,
            rowspan,
            align: Align::Center,
        }
    }
}

/// How a table is ruled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Ruling {
    /// Every cell boxed, borders drawn cell by cell (as Excel and Word export them).
    Grid,
    /// Only rules above and below the header and under the last row (a stream table).
    HeaderOnly,
}

/// A table to draw: page furniture plus a header grid (`None` where a span covers the slot)
/// and body rows.
#[derive(Debug, Clone)]
pub struct TableSpec {
    pub label: String,
    pub title: String,
    pub department: String,
    pub unit: String,
    pub widths: Vec<f64>,
    pub header: Vec<Vec<Option<Cell>>>,
    pub body: Vec<Vec<Cell>>,
    pub ruling: Ruling,
}

/// What a reader must find: the logical grid of a drawn table, as the generator laid it out.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct TruthTable {
    pub label: String,
    pub title: String,
    pub unit: String,
    pub ruling: Ruling,
    /// 1-based pages the table occupies.
    pub pages: Vec<u32>,
    /// Header slots: the text at each span's top-left slot, "" in the slots it covers.
    pub header: Vec<Vec<String>>,
    /// Header spans as `[row, col, rowspan, colspan]`, for spans larger than one slot.
    pub spans: Vec<[usize; 4]>,
    pub body: Vec<Vec<String>>,
}

/// Splits text into lines no wider than `width` points.
fn wrap(text: &str, width: f64) -> Vec<String> {
    let mut lines = vec![String::new()];
    for c in text.chars() {
        let Some(last) = lines.last_mut() else { break };
        if !last.is_empty() && text_width(&format!("{last}{c}"), FONT) > width - 6.0 {
            lines.push(c.to_string());
        } else {
            last.push(c);
        }
    }
    lines
}

impl TableSpec {
    fn x(&self, col: usize) -> f64 {
        let total: f64 = self.widths.iter().sum();
        (crate::canvas::PAGE_W - total) / 2.0 + self.widths[..col].iter().sum::<f64>()
    }

    fn cell(&self, canvas: &mut Canvas, cell: &Cell, col: usize, top: f64, h: f64) {
        let (x0, x1) = (self.x(col), self.x(col + cell.colspan));
        if self.ruling == Ruling::Grid {
            canvas.line(x0, top, x1, top);
            canvas.line(x0, top + h, x1, top + h);
            canvas.line(x0, top, x0, top + h);
            canvas.line(x1, top, x1, top + h);
        }
        let lines = wrap(&cell.text, x1 - x0);
        let first = top + (h - LINE * lines.len() as f64) / 2.0 + LINE * 0.5 + FONT * 0.35;
        for (i, l) in lines.iter().enumerate() {
            canvas.text_in(x0, x1, first + LINE * i as f64, FONT, l, cell.align);
        }
    }

    /// A rule across the whole table (header-only ruling draws just these).
    fn rule_across(&self, canvas: &mut Canvas, y: f64) {
        if self.ruling == Ruling::HeaderOnly {
            canvas.line(self.x(0), y, self.x(self.widths.len()), y);
        }
    }

    fn header(&self, canvas: &mut Canvas, top: f64) -> f64 {
        self.rule_across(canvas, top);
        self.rule_across(canvas, top + HEADER_ROW * self.header.len() as f64);
        for (r, row) in self.header.iter().enumerate() {
            for (c, slot) in row.iter().enumerate() {
                if let Some(cell) = slot {
                    self.cell(
                        canvas,
                        cell,
                        c,
                        top + HEADER_ROW * r as f64,
                        HEADER_ROW * cell.rowspan as f64,
                    );
                }
            }
        }
        top + HEADER_ROW * self.header.len() as f64
    }

    fn row_height(&self, row: &[Cell]) -> f64 {
        let lines = row
            .iter()
            .enumerate()
            .map(|(c, cell)| wrap(&cell.text, self.widths[c]).len())
            .max()
            .unwrap_or(1);
        LINE * lines as f64 + 7.0
    }

    /// Draws the table from a fresh page on; returns its pages and its ground truth.
    pub fn draw(&self, pages: &mut Vec<Canvas>) -> TruthTable {
        let mut canvas = Canvas::default();
        canvas.text(50.0, 60.0, 10.0, &self.label);
        canvas.text_in(
            0.0,
            crate::canvas::PAGE_W,
            90.0,
            16.0,
            &self.title,
            Align::Center,
        );
        let left = self.x(0);
        let right = self.x(self.widths.len());
        canvas.text(left, 115.0, 10.0, &format!("部门：{}", self.department));
        canvas.text(
            right - text_width(&self.unit, 10.0) - 36.0,
            115.0,
            10.0,
            &format!("单位：{}", self.unit),
        );
        let mut y = self.header(&mut canvas, TOP);
        let mut page_list = vec![pages.len() as u32 + 1];
        for row in &self.body {
            let h = self.row_height(row);
            if y + h > BOTTOM {
                self.rule_across(&mut canvas, y);
                pages.push(std::mem::take(&mut canvas));
                page_list.push(pages.len() as u32 + 1);
                y = self.header(&mut canvas, 60.0);
            }
            for (c, cell) in row.iter().enumerate() {
                self.cell(&mut canvas, cell, c, y, h);
            }
            y += h;
        }
        self.rule_across(&mut canvas, y);
        pages.push(canvas);
        let mut spans = Vec::new();
        let header = self
            .header
            .iter()
            .enumerate()
            .map(|(r, row)| {
                row.iter()
                    .enumerate()
                    .map(|(c, slot)| match slot {
                        Some(cell) => {
                            if cell.rowspan > 1 || cell.colspan > 1 {
                                spans.push([r, c, cell.rowspan, cell.colspan]);
                            }
                            cell.text.clone()
                        }
                        None => String::new(),
                    })
                    .collect()
            })
            .collect();
        TruthTable {
            label: self.label.clone(),
            title: self.title.clone(),
            unit: self.unit.clone(),
            ruling: self.ruling,
            pages: page_list,
            header,
            spans,
            body: self
                .body
                .iter()
                .map(|r| r.iter().map(|c| c.text.clone()).collect())
                .collect(),
        }
    }
}
