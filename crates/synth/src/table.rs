//! Ruled tables: spanning header and body cells, wrapped text, page breaks with the header
//! repeated (never inside a group of rows a cell spans), portrait or landscape pages.

use crate::canvas::{text_width, Align, Canvas, PAGE_H, PAGE_W};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::str::FromStr;

const TOP: f64 = 125.0;
const MARGIN_BOTTOM: f64 = 50.0;
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

/// What a column holds, in the vocabulary's terms: the generator's own account of its
/// tables, independent of how cnbudget reads their headers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Col {
    /// Classification or budget-unit codes. A code split over several columns (类, 款, 项
    /// printed apart) is one `Code` column each; the row's code is their texts joined.
    Code,
    /// Row labels, of a side (`income`, `expenditure`) or of the whole row.
    Label(Option<&'static str>),
    /// Figures of a measure (its vocabulary key), on a side or not.
    Figure(Option<&'static str>, &'static str),
    /// Figures of a measure on a basis of their own (`budget` for a final account's 预算数
    /// beside its 决算数), whatever the table's basis.
    FigureOn(Option<&'static str>, &'static str, &'static str),
    /// Anything else: text, indicators, figures that are not line items.
    Other,
}

/// The two sides of a summary table, as [`Col`] names them.
pub const INCOME: Option<&str> = Some("income");
pub const SPENDING: Option<&str> = Some("expenditure");

/// One figure a reader must find: where it stands and what it is, in exact yuan.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct TruthFigure {
    pub side: Option<String>,
    /// The row's code, where one is printed in a code column.
    pub code: Option<String>,
    /// The row's label as printed.
    pub item: String,
    pub measure: String,
    /// Exact yuan, as decimal text (`5068099.82`).
    pub amount_yuan: String,
    /// What the figure is: `budget` (预算数) or `final` (决算数, and every ordinary figure of a
    /// final account); none in a budget document.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub basis: Option<String>,
}

/// How a table is ruled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Ruling {
    /// Every cell boxed, borders drawn cell by cell (as Excel and Word export them).
    Grid,
    /// Only rules above and below the header and under the last row (a stream table).
    HeaderOnly,
    /// Every cell boxed with thin filled rectangles instead of stroked lines (as some
    /// producers draw borders).
    Filled,
}

/// Where a table's number, title, department and unit stand above its grid.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Furniture {
    /// Jiangsu's: the number at the top left, the title centred below it, `部门：` at the left
    /// and the unit at the right on one line above the grid.
    #[default]
    Jiangsu,
    /// The number on a line of its own at the left, the title centred on the next, the unit
    /// at the right above the grid; no department (the cover names it).
    NumberAbove,
    /// The number at the left of the title's line, the title centred, the unit at the right
    /// above the grid; no department.
    NumberBeside,
}

/// How a table is drawn beyond its content: the variety real producers show.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Style {
    /// Landscape pages stored portrait with `/Rotate 90` (as Acrobat Distiller writes them).
    pub rotated: bool,
    /// Header words of two to four characters spread with spaces (`项  目`), as Word
    /// justifies them.
    pub justified: bool,
}

/// A table to draw: page furniture, a header grid and body rows (`None` where a span from
/// the left or above covers the slot).
#[derive(Debug, Clone)]
pub struct TableSpec {
    /// The number label (`公开01表`); Zhejiang prints none.
    pub label: Option<String>,
    pub title: String,
    /// The meta line's department part, printed after `部门：` (or as given when it holds
    /// its own key, as `部门名称：【253001】…`).
    pub department: String,
    pub unit: String,
    pub widths: Vec<f64>,
    pub header: Vec<Vec<Option<Cell>>>,
    /// Whether the last header row is a column-number row (`** ** 1 2 3`).
    pub column_numbers: bool,
    pub body: Vec<Vec<Option<Cell>>>,
    pub ruling: Ruling,
    /// Landscape A4 (wide tables, such as performance targets).
    pub landscape: bool,
    pub style: Style,
    /// The table kind's vocabulary key (`summary`, `general_expenditure` …).
    pub kind: &'static str,
    /// What each column holds.
    pub columns: Vec<Col>,
    pub furniture: Furniture,
    /// The basis of the table's figures (`final` in a final account), none in a budget.
    pub basis: Option<&'static str>,
    /// A sentence printed below the grid (`本年度没有……故本表无数据。`).
    pub note: Option<String>,
}

/// What a reader must find: the logical grid of a drawn table, as the generator laid it out.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct TruthTable {
    /// The table kind's vocabulary key.
    pub kind: String,
    pub label: Option<String>,
    pub title: String,
    pub unit: String,
    pub ruling: Ruling,
    /// 1-based pages the table occupies.
    pub pages: Vec<u32>,
    /// Header slots: the text at each span's top-left slot, "" in the slots it covers.
    pub header: Vec<Vec<String>>,
    /// Header spans as `[row, col, rowspan, colspan]`, for spans larger than one slot.
    pub spans: Vec<[usize; 4]>,
    /// The header row printing column numbers, if any.
    pub column_number_row: Option<usize>,
    /// Body slots, as the header's.
    pub body: Vec<Vec<String>>,
    /// Body spans, rows counted from the first body row.
    pub body_spans: Vec<[usize; 4]>,
    /// Every figure of the body, as a line item.
    pub figures: Vec<TruthFigure>,
}

/// `项目` → `项  目`: a short CJK word spread as justified headers print it.
fn justify(text: &str) -> String {
    let n = text.chars().count();
    if (2..=4).contains(&n) && text.chars().all(|c| !c.is_ascii()) {
        let sep = if n == 2 { "   " } else { " " };
        text.chars().map(String::from).collect::<Vec<_>>().join(sep)
    } else {
        text.to_string()
    }
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

/// Slot texts ("" where covered) and spans of a grid of optional cells.
fn slots(rows: &[Vec<Option<Cell>>]) -> (Vec<Vec<String>>, Vec<[usize; 4]>) {
    let mut spans = Vec::new();
    let grid = rows
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
    (grid, spans)
}

impl TableSpec {
    /// The figures of `body` (slot texts, `spans` as in the truth): each non-empty cell of a
    /// figure column, with the row's code and its label: on a sided table the label of its
    /// side nearest to its left; otherwise every label column's text (a spanning cell's text
    /// standing in each slot it covers) joined by `/`, a text repeated by a span once.
    fn figures(&self, body: &[Vec<String>], spans: &[[usize; 4]]) -> Vec<TruthFigure> {
        let mut filled = body.to_vec();
        for &[r, c, rs, cs] in spans {
            let text = body[r][c].clone();
            for row in filled.iter_mut().skip(r).take(rs) {
                for slot in row.iter_mut().skip(c).take(cs) {
                    slot.clone_from(&text);
                }
            }
        }
        let body = &filled;
        let factor = if self.unit == "万元" {
            Decimal::from(10_000)
        } else {
            Decimal::ONE
        };
        let mut out = Vec::new();
        for row in body {
            let code: String = self
                .columns
                .iter()
                .zip(row)
                .filter(|(c, _)| **c == Col::Code)
                .map(|(_, t)| t.as_str())
                .collect();
            let code = (!code.is_empty()).then_some(code);
            for (c, col) in self.columns.iter().enumerate() {
                let (side, measure, basis) = match *col {
                    Col::Figure(side, measure) => (side, measure, self.basis),
                    Col::FigureOn(side, measure, basis) => (side, measure, Some(basis)),
                    _ => continue,
                };
                let Some(value) = row
                    .get(c)
                    .and_then(|t| Decimal::from_str(&t.replace(',', "")).ok())
                else {
                    continue;
                };
                let item = match side {
                    Some(_) => (0..c)
                        .rev()
                        .find(|&l| self.columns[l] == Col::Label(side))
                        .and_then(|l| row.get(l))
                        .cloned()
                        .unwrap_or_default(),
                    None => {
                        let mut parts: Vec<&str> = Vec::new();
                        for (l, text) in row.iter().enumerate() {
                            let label = self.columns.get(l) == Some(&Col::Label(None));
                            if label && !text.is_empty() && parts.last() != Some(&text.as_str()) {
                                parts.push(text);
                            }
                        }
                        parts.join("/")
                    }
                };
                out.push(TruthFigure {
                    side: side.map(str::to_string),
                    code: code.clone(),
                    item,
                    measure: measure.into(),
                    amount_yuan: (value * factor).normalize().to_string(),
                    basis: basis.map(str::to_string),
                });
            }
        }
        out
    }

    fn page(&self) -> Canvas {
        if self.landscape {
            let mut c = Canvas::new(PAGE_H, PAGE_W);
            c.rotated = self.style.rotated;
            c
        } else {
            Canvas::default()
        }
    }

    fn x(&self, page_width: f64, col: usize) -> f64 {
        let total: f64 = self.widths.iter().sum();
        (page_width - total) / 2.0 + self.widths[..col].iter().sum::<f64>()
    }

    fn cell(&self, canvas: &mut Canvas, cell: &Cell, col: usize, top: f64, h: f64) {
        let (x0, x1) = (
            self.x(canvas.width, col),
            self.x(canvas.width, col + cell.colspan),
        );
        if self.ruling != Ruling::HeaderOnly {
            let filled = self.ruling == Ruling::Filled;
            canvas.rule(x0, top, x1, top, filled);
            canvas.rule(x0, top + h, x1, top + h, filled);
            canvas.rule(x0, top, x0, top + h, filled);
            canvas.rule(x1, top, x1, top + h, filled);
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
            let (a, b) = (
                self.x(canvas.width, 0),
                self.x(canvas.width, self.widths.len()),
            );
            canvas.line(a, y, b, y);
        }
    }

    fn header(&self, canvas: &mut Canvas, top: f64) -> f64 {
        self.rule_across(canvas, top);
        self.rule_across(canvas, top + HEADER_ROW * self.header.len() as f64);
        for (r, row) in self.header.iter().enumerate() {
            for (c, slot) in row.iter().enumerate() {
                if let Some(cell) = slot {
                    let spread = self.style.justified.then(|| Cell {
                        text: justify(&cell.text),
                        ..cell.clone()
                    });
                    self.cell(
                        canvas,
                        spread.as_ref().unwrap_or(cell),
                        c,
                        top + HEADER_ROW * r as f64,
                        HEADER_ROW * cell.rowspan as f64,
                    );
                }
            }
        }
        top + HEADER_ROW * self.header.len() as f64
    }

    fn needed(&self, cell: &Cell, col: usize) -> f64 {
        let width: f64 = self.widths[col..col + cell.colspan].iter().sum();
        LINE * wrap(&cell.text, width).len() as f64 + 7.0
    }

    /// Row heights: enough for each one-row cell, the last row of a span grown to fit it.
    fn heights(&self) -> Vec<f64> {
        let mut h: Vec<f64> = self
            .body
            .iter()
            .map(|row| {
                row.iter()
                    .enumerate()
                    .filter_map(|(c, s)| {
                        s.as_ref()
                            .filter(|cell| cell.rowspan == 1)
                            .map(|cell| self.needed(cell, c))
                    })
                    .fold(20.0, f64::max)
            })
            .collect();
        for (r, row) in self.body.iter().enumerate() {
            for (c, cell) in row
                .iter()
                .enumerate()
                .filter_map(|(c, s)| s.as_ref().map(|cell| (c, cell)))
                .filter(|(_, cell)| cell.rowspan > 1)
            {
                let end = (r + cell.rowspan).min(h.len());
                let have: f64 = h[r..end].iter().sum();
                let need = self.needed(cell, c);
                if need > have {
                    h[end - 1] += need - have;
                }
            }
        }
        h
    }

    /// Draws the table from a fresh page on; returns its ground truth.
    pub fn draw(&self, pages: &mut Vec<Canvas>) -> TruthTable {
        let mut canvas = self.page();
        let right = self.x(canvas.width, self.widths.len());
        let left = self.x(canvas.width, 0);
        match (&self.label, self.furniture) {
            (Some(label), Furniture::Jiangsu) => canvas.text(50.0, 60.0, 10.0, label),
            (Some(label), Furniture::NumberAbove) => canvas.text(left, 60.0, 12.0, label),
            (Some(label), Furniture::NumberBeside) => canvas.text(left, 90.0, 10.0, label),
            (None, _) => {}
        }
        let width = canvas.width;
        canvas.text_in(0.0, width, 90.0, 16.0, &self.title, Align::Center);
        if self.furniture == Furniture::Jiangsu {
            let dept = if self.department.contains('：') {
                self.department.clone()
            } else {
                format!("部门：{}", self.department)
            };
            canvas.text(left, 115.0, 10.0, &dept);
        }
        canvas.text(
            right - text_width(&self.unit, 10.0) - 36.0,
            115.0,
            10.0,
            &format!("单位：{}", self.unit),
        );
        let mut y = self.header(&mut canvas, TOP);
        let mut page_list = vec![pages.len() as u32 + 1];
        let heights = self.heights();
        let mut r = 0;
        while r < self.body.len() {
            // A group: rows bound together by cells spanning down.
            let mut end = r + 1;
            let mut k = r;
            while k < end {
                end = end.max(
                    k + self.body[k]
                        .iter()
                        .flatten()
                        .map(|c| c.rowspan)
                        .max()
                        .unwrap_or(1),
                );
                k += 1;
            }
            end = end.min(self.body.len());
            let group: f64 = heights[r..end].iter().sum();
            if y + group > canvas.height - MARGIN_BOTTOM {
                self.rule_across(&mut canvas, y);
                pages.push(std::mem::replace(&mut canvas, self.page()));
                page_list.push(pages.len() as u32 + 1);
                y = self.header(&mut canvas, 60.0);
            }
            let mut row_top = y;
            for rr in r..end {
                for (c, cell) in self.body[rr]
                    .iter()
                    .enumerate()
                    .filter_map(|(c, s)| s.as_ref().map(|cell| (c, cell)))
                {
                    let h: f64 = heights[rr..(rr + cell.rowspan).min(self.body.len())]
                        .iter()
                        .sum();
                    self.cell(&mut canvas, cell, c, row_top, h);
                }
                row_top += heights[rr];
            }
            y += group;
            r = end;
        }
        self.rule_across(&mut canvas, y);
        if let Some(note) = &self.note {
            canvas.text(left, y + 22.0, 10.0, note);
        }
        pages.push(canvas);
        let (header, spans) = slots(&self.header);
        let (body, body_spans) = slots(&self.body);
        TruthTable {
            kind: self.kind.into(),
            figures: self.figures(&body, &body_spans),
            label: self.label.clone(),
            title: self.title.clone(),
            unit: self.unit.clone(),
            ruling: self.ruling,
            pages: page_list,
            header,
            spans,
            column_number_row: self.column_numbers.then(|| self.header.len() - 1),
            body,
            body_spans,
        }
    }
}
