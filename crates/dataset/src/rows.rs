//! The rows of each table, made from one document's extraction.

use cnbudget_grammar::{Period, TableKind};
use cnbudget_normalize::DocumentRecords;
use cnbudget_pipeline::{Reading, Status};
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::BTreeMap;

/// One row of `documents.parquet`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DocumentRow {
    /// sha256 of the file's bytes, hex.
    pub doc_id: String,
    /// Path relative to the input root, UTF-8 (the first, in order, of `paths`).
    pub path: String,
    /// Every path the same bytes were found under, sorted.
    pub paths: Vec<String>,
    pub bytes: u64,
    pub pages: Option<u32>,
    pub producer: Option<String>,
    pub creator: Option<String>,
    pub encrypted: bool,
    pub status: Status,
    pub error: Option<String>,
    pub fiscal_year: Option<u16>,
    pub fiscal_year_source: Option<String>,
    /// `budget`, or `final_account` (决算).
    pub phase: Option<&'static str>,
    pub department: Option<String>,
    pub department_raw: Option<String>,
    pub dept_code: Option<String>,
    pub unit: Option<String>,
    /// Tables of each kind (written as JSON text, keys sorted).
    pub tables_by_kind: BTreeMap<TableKind, u32>,
    /// Kinds of the tables published empty with a statement saying so.
    pub empty_tables: Vec<String>,
    pub tables: u32,
    pub records: u32,
    pub performance_targets: u32,
    pub facts: u32,
    pub warnings: u32,
    /// Identities the audit checked, and how many do not hold (beyond / within rounding).
    pub checks: u32,
    pub check_errors: u32,
    pub check_infos: u32,
    /// Identities that hold, exactly or within rounding.
    pub identities_held: u32,
    /// Figures (line items) taking part in at least one identity that holds.
    pub figures_verified: u32,
    /// `figures_verified / records`; none for a document without figures.
    pub verified_share: Option<f64>,
    /// Another document of the run holding the same department's budget of the same year
    /// (a 附件 file beside the full document): count the two once.
    pub same_budget_as: Option<String>,
    /// `text_layer`, `ocr` (every read page a scan) or `mixed`.
    pub text_source: &'static str,
    /// The OCR engine and models, when a page was OCR'd.
    pub ocr_engine: Option<String>,
    pub ocr_models_sha256: Option<String>,
    /// Pages read by OCR.
    pub ocr_pages: u32,
    /// Figures read by OCR, and how many of them are verified.
    pub ocr_figures: u32,
    pub ocr_figures_verified: u32,
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
    /// The audit: findings, and the tally of each figure (empty when the document could
    /// not be read).
    pub audit: cnbudget_audit::Audit,
}

impl Extracted {
    /// A document's rows from its reading: `doc_id` is the hash of its bytes, `paths` every
    /// path they were found under (the first is the reading's name).
    pub fn new(doc_id: String, paths: Vec<String>, bytes: u64, reading: Reading) -> Extracted {
        let r = reading.records.as_ref();
        let count = |n: usize| n as u32;
        let mut tables_by_kind = BTreeMap::new();
        for t in r.map_or(&[][..], |r| &r.tables) {
            *tables_by_kind.entry(t.kind).or_default() += 1;
        }
        let records = count(r.map_or(0, |r| r.line_items.len()));
        let figures_verified = count(reading.figures_verified());
        let (ocr_figures, ocr_figures_verified) = reading.ocr_figures();
        let audit = &reading.audit;
        let department = r.and_then(|r| r.department.as_ref());
        let document = DocumentRow {
            path: paths
                .first()
                .cloned()
                .unwrap_or_else(|| reading.name.clone()),
            doc_id,
            paths,
            bytes,
            pages: reading.pages,
            producer: reading.producer,
            creator: reading.creator,
            encrypted: reading.encrypted,
            status: reading.status,
            error: reading.error,
            fiscal_year: r.and_then(|r| r.fiscal_year),
            fiscal_year_source: r.and_then(|r| r.fiscal_year_source).map(|s| key(&s)),
            phase: r.map(|r| r.phase.into()),
            department: department.map(|d| d.key.clone()),
            department_raw: department.map(|d| d.name_raw.clone()),
            dept_code: department.and_then(|d| d.code.clone()),
            unit: r.and_then(|r| r.unit).map(|u| u.as_str().to_string()),
            tables: count(r.map_or(0, |r| r.tables.len())),
            tables_by_kind,
            empty_tables: r.map_or(Vec::new(), |r| {
                r.empty_tables
                    .iter()
                    .map(|t| t.kind.key().to_string())
                    .collect()
            }),
            records,
            performance_targets: count(r.map_or(0, |r| r.performance_targets.len())),
            facts: count(r.map_or(0, |r| r.facts.len())),
            warnings: count(reading.warnings.len() + r.map_or(0, |r| r.diagnostics.len())),
            checks: audit.checked,
            check_errors: audit.count(cnbudget_audit::Severity::Error),
            check_infos: audit.count(cnbudget_audit::Severity::Info),
            identities_held: audit.held,
            figures_verified,
            verified_share: (records > 0).then(|| f64::from(figures_verified) / f64::from(records)),
            same_budget_as: None,
            text_source: reading.text_source.as_str(),
            ocr_engine: reading.ocr.as_ref().map(|o| o.engine.clone()),
            ocr_models_sha256: reading.ocr.as_ref().map(|o| o.models_sha256.clone()),
            ocr_pages: count(reading.ocr.as_ref().map_or(0, |o| o.pages.len())),
            ocr_figures: count(ocr_figures),
            ocr_figures_verified: count(ocr_figures_verified),
        };
        let page_warnings = reading
            .warnings
            .into_iter()
            .map(|w| DiagnosticRow {
                doc_id: document.doc_id.clone(),
                page: w.page,
                kind: w.kind,
                message: w.message,
                bbox: w.bbox.map(|b| [b.x0, b.y0, b.x1, b.y1]),
            })
            .collect();
        Extracted {
            document,
            records: reading.records,
            page_warnings,
            audit: reading.audit,
        }
    }
}

pub(crate) struct LineItemRow {
    pub doc_id: String,
    pub fiscal_year: Option<u16>,
    pub department: Option<String>,
    pub dept_code: Option<String>,
    pub table_kind: String,
    pub table_title: String,
    pub table_no: Option<String>,
    pub phase: &'static str,
    pub fund: Option<&'static str>,
    pub spending: Option<&'static str>,
    pub side: Option<String>,
    pub breakdown: String,
    pub item_code: Option<String>,
    pub code_source: Option<String>,
    pub item_level: Option<String>,
    pub parent_code: Option<String>,
    pub item_name: String,
    pub item_name_raw: String,
    pub measure: Option<String>,
    pub basis: &'static str,
    /// The other year the column names; none for the document's own year.
    pub period_year: Option<u16>,
    /// A change on the year before, not a level.
    pub change: bool,
    pub measure_raw: String,
    pub amount_yuan: Option<Decimal>,
    pub amount_raw: String,
    pub unit_raw: Option<String>,
    pub page: u32,
    pub row: u32,
    pub column: u32,
    pub bbox: [f64; 4],
    /// Takes part in at least one identity that holds.
    pub verified: bool,
    /// Identities it takes part in.
    pub checks: u16,
    /// `text_layer` or `ocr`.
    pub text_source: &'static str,
    /// OCR: the lowest confidence of the words the figure was read from.
    pub ocr_confidence: Option<f32>,
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

/// The key of a vocabulary enum (`income`, `printed`, `at_least`): its one spelling, strum's.
pub(crate) fn key<'a, T: 'a>(v: &'a T) -> String
where
    &'static str: From<&'a T>,
{
    <&'static str>::from(v).to_string()
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
        // The document's phase: a final account's table whose title does not say 决算 is one too.
        let phase: &'static str = r.phase.into();
        for i in r.line_items {
            let table = r.tables.get(i.table);
            let title = table.map(|t| t.title_raw.clone()).unwrap_or_default();
            let parts = table.map(|t| &t.parts);
            let (doc_id, fiscal_year, department) = base();
            let tally = doc.audit.tally(&i);
            items.push(LineItemRow {
                doc_id,
                fiscal_year,
                department,
                dept_code: d.dept_code.clone(),
                table_kind: i.table_kind.key().to_string(),
                table_title: title,
                table_no: table.and_then(|t| t.label.clone().or_else(|| t.parts.number.clone())),
                phase,
                fund: parts.and_then(|p| p.fund).map(<&str>::from),
                spending: parts.and_then(|p| p.spending).map(<&str>::from),
                side: i.side.map(|s| key(&s)),
                breakdown: key(&i.breakdown),
                item_code: i.item_code,
                code_source: i.code_source.map(|c| key(&c)),
                item_level: i.item_level.map(|l| key(&l)),
                parent_code: i.parent_code,
                item_name: i.item_name,
                item_name_raw: i.item_name_raw.to_string(),
                measure: i.measure.map(|m| m.key().to_string()),
                basis: i.basis.into(),
                period_year: match i.period {
                    Some(Period::Year(y)) => Some(y),
                    _ => None,
                },
                change: i.period == Some(Period::Change),
                measure_raw: i.measure_raw,
                amount_yuan: i.amount_yuan,
                amount_raw: i.amount_raw,
                unit_raw: i.unit_raw,
                page: i.page,
                row: i.row as u32,
                column: i.column as u32,
                bbox: [i.bbox.x0, i.bbox.y0, i.bbox.x1, i.bbox.y1],
                verified: tally.verified(),
                checks: tally.checks,
                text_source: i.text_source.as_str(),
                ocr_confidence: i.ocr_confidence,
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
    let checks = doc
        .audit
        .findings
        .into_iter()
        .map(|f| keyed(&d, f))
        .collect();
    (d, items, targets, facts, checks, diagnostics)
}

/// Marks documents holding the same department's budget of the same year (read at least in
/// part): each names the first other one in doc_id order.
pub(crate) fn relate(docs: &mut [DocumentRow]) {
    let twins = same_budget(docs.iter().map(|d| {
        (
            d.doc_id.as_str(),
            d.department.as_deref().filter(|_| d.status.read()),
            d.fiscal_year,
        )
    }));
    for (d, twin) in docs.iter_mut().zip(twins) {
        d.same_budget_as = twin;
    }
}

/// For each (doc_id, department of a document read, fiscal year): the first other doc_id of
/// the same department and year, in doc_id order.
pub(crate) fn same_budget<'a>(
    docs: impl Iterator<Item = (&'a str, Option<&'a str>, Option<u16>)>,
) -> Vec<Option<String>> {
    let docs: Vec<_> = docs.collect();
    let mut groups: BTreeMap<(&str, u16), Vec<&str>> = BTreeMap::new();
    for (id, dept, year) in &docs {
        if let (Some(dept), Some(year)) = (dept, year) {
            groups.entry((dept, *year)).or_default().push(id);
        }
    }
    for ids in groups.values_mut() {
        ids.sort_unstable();
        ids.dedup();
    }
    docs.iter()
        .map(|(id, dept, year)| {
            let ids = groups.get(&((*dept)?, (*year)?))?;
            ids.iter().find(|o| *o != id).map(|o| o.to_string())
        })
        .collect()
}
