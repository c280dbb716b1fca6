//! The rows of each table, made from one document's extraction.

use cnbudget_normalize::DocumentRecords;
use rust_decimal::Decimal;
use serde::Serialize;

/// What became of a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Read in full.
    Ok,
    /// Read, but some pages could not be.
    Partial,
    /// Could not be read (the error says why and where).
    Failed,
    /// Every page is an image: there is no text to read.
    NoTextLayer,
    /// A user password is needed.
    Encrypted,
    /// Read, but nothing in it is a budget (no table, figure or department).
    NotABudget,
}

impl Status {
    /// The status as written in `documents.parquet`.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Partial => "partial",
            Status::Failed => "failed",
            Status::NoTextLayer => "no_text_layer",
            Status::Encrypted => "encrypted",
            Status::NotABudget => "not_a_budget",
        }
    }
}

/// One row of `documents.parquet`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DocumentRow {
    /// sha256 of the file's bytes, hex.
    pub doc_id: String,
    /// Path relative to the input root, UTF-8.
    pub path: String,
    pub bytes: u64,
    pub pages: Option<u32>,
    pub producer: Option<String>,
    pub creator: Option<String>,
    pub encrypted: bool,
    pub status: Status,
    pub error: Option<String>,
    pub fiscal_year: Option<u16>,
    pub fiscal_year_source: Option<String>,
    pub department: Option<String>,
    pub department_raw: Option<String>,
    pub dept_code: Option<String>,
    pub unit: Option<String>,
    /// `{"summary": 1, "three_public": 1, …}` as JSON text, keys sorted.
    pub tables_by_kind: String,
    pub tables: u32,
    pub records: u32,
    pub performance_targets: u32,
    pub facts: u32,
    pub warnings: u32,
    /// Identities the audit checked, and how many do not hold (beyond / within rounding).
    pub checks: u32,
    pub check_errors: u32,
    pub check_infos: u32,
}

/// A non-fatal problem, from the PDF layer or normalisation, with where it happened.
#[derive(Debug, Clone, PartialEq)]
pub struct DiagnosticRow {
    pub doc_id: String,
    pub page: Option<u32>,
    pub kind: String,
    pub message: String,
    pub bbox: Option<[f64; 4]>,
}

/// One document's extraction: its row, its records (when it could be read) and the PDF
/// layer's page warnings.
#[derive(Debug, Clone)]
pub struct Extracted {
    pub document: DocumentRow,
    pub records: Option<DocumentRecords>,
    pub page_warnings: Vec<DiagnosticRow>,
    /// The audit's findings (none when the document could not be read).
    pub findings: Vec<cnbudget_audit::Finding>,
}

pub(crate) struct LineItemRow {
    pub doc_id: String,
    pub fiscal_year: Option<u16>,
    pub department: Option<String>,
    pub dept_code: Option<String>,
    pub table_kind: String,
    pub table_title: String,
    pub side: Option<String>,
    pub breakdown: String,
    pub item_code: Option<String>,
    pub code_source: Option<String>,
    pub item_level: Option<String>,
    pub parent_code: Option<String>,
    pub item_name: String,
    pub item_name_raw: String,
    pub measure: Option<String>,
    pub measure_raw: String,
    pub amount_yuan: Option<Decimal>,
    pub amount_raw: String,
    pub unit_raw: Option<String>,
    pub page: u32,
    pub row: u32,
    pub column: u32,
    pub bbox: [f64; 4],
}

/// A per-document record with the keys every table repeats (document, year, department).
pub(crate) struct Keyed<T> {
    pub doc_id: String,
    pub fiscal_year: Option<u16>,
    pub department: Option<String>,
    pub item: T,
}

/// A record of `doc`, with the document's keys.
fn keyed<T>(doc: &DocumentRow, item: T) -> Keyed<T> {
    Keyed {
        doc_id: doc.doc_id.clone(),
        fiscal_year: doc.fiscal_year,
        department: doc.department.clone(),
        item,
    }
}

pub(crate) type TargetRow = Keyed<cnbudget_normalize::PerformanceTarget>;
pub(crate) type FactRow = Keyed<cnbudget_normalize::NarrativeFact>;
pub(crate) type CheckRow = Keyed<cnbudget_audit::Finding>;

/// The serde key of a vocabulary enum (`three_public`, `basic.personnel`).
pub(crate) fn key<T: Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

pub(crate) type Split = (
    DocumentRow,
    Vec<LineItemRow>,
    Vec<TargetRow>,
    Vec<FactRow>,
    Vec<CheckRow>,
    Vec<DiagnosticRow>,
);

/// Cuts one extraction into the rows of each table.
pub(crate) fn split(doc: Extracted) -> Split {
    let d = doc.document;
    let mut diagnostics = doc.page_warnings;
    let (mut items, mut targets, mut facts) = (Vec::new(), Vec::new(), Vec::new());
    if let Some(r) = doc.records {
        let base = || (d.doc_id.clone(), d.fiscal_year, d.department.clone());
        for i in r.line_items {
            let title = r
                .tables
                .get(i.table)
                .map(|t| t.title_raw.clone())
                .unwrap_or_default();
            let (doc_id, fiscal_year, department) = base();
            items.push(LineItemRow {
                doc_id,
                fiscal_year,
                department,
                dept_code: d.dept_code.clone(),
                table_kind: i.table_kind.key().to_string(),
                table_title: title,
                side: i.side.map(|s| key(&s)),
                breakdown: key(&i.breakdown),
                item_code: i.item_code,
                code_source: i.code_source.map(|c| key(&c)),
                item_level: i.item_level.map(|l| key(&l)),
                parent_code: i.parent_code,
                item_name: i.item_name,
                item_name_raw: i.item_name_raw,
                measure: i.measure.map(|m| m.key().to_string()),
                measure_raw: i.measure_raw,
                amount_yuan: i.amount_yuan,
                amount_raw: i.amount_raw,
                unit_raw: i.unit_raw,
                page: i.page,
                row: i.row as u32,
                column: i.column as u32,
                bbox: [i.bbox.x0, i.bbox.y0, i.bbox.x1, i.bbox.y1],
            });
        }
        targets.extend(r.performance_targets.into_iter().map(|t| keyed(&d, t)));
        facts.extend(r.facts.into_iter().map(|f| keyed(&d, f)));
        for x in r.diagnostics {
            diagnostics.push(DiagnosticRow {
                doc_id: d.doc_id.clone(),
                page: x.page,
                kind: key(&x.kind),
                message: x.message,
                bbox: x.bbox.map(|b| [b.x0, b.y0, b.x1, b.y1]),
            });
        }
    }
    let checks = doc.findings.into_iter().map(|f| keyed(&d, f)).collect();
    (d, items, targets, facts, checks, diagnostics)
}
