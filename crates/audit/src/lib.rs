//! The arithmetic audit: every identity a published budget must satisfy, checked on one
//! document's normalised records. Within a table: a parent row is the sum of its children
//! (类 = Σ款 = Σ项, numbered items and their sub-items), a total row is the sum of the rows it
//! closes, a row's total is the sum of its parts across columns, and the two sides of a
//! summary balance. Across the tables of a document: the figures the template makes equal.
//! Against the narrative: each figure it states, within the rounding of what it printed.
//!
//! A difference beyond what rounding of the printed figures can explain is an `error`; one
//! within it is `info`. Equal figures give no finding.

mod document;
mod lines;
#[cfg(test)]
mod testing;
mod within;

use cnbudget_grammar::{Measure, Side, TableKind};
use cnbudget_normalize::{DocumentRecords, LineItem};
use cnbudget_pdf::Rect;
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::BTreeMap;

/// Which identity a finding breaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Check {
    /// A row is not the sum of the rows below it (类 = Σ款, 款 = Σ项, `一、` = Σ`1.`).
    #[default]
    ParentSum,
    /// A total or subtotal row (合计, 本年收入合计, 收入总计) is not the sum of the rows it closes.
    TotalSum,
    /// A row's total column is not the sum of its part columns (合计 = 基本 + 项目, "三公" =
    /// 出国 + 车辆 + 接待).
    RowTotal,
    /// A second breakdown of the expenditure side (by function) does not add up to the side's
    /// subtotal (printed with the breakdown by use).
    BreakdownTotal,
    /// 收入总计 ≠ 支出总计.
    SideBalance,
    /// Two tables of the document print different figures where the template makes them one.
    CrossTable,
    /// The narrative states a figure the tables do not print.
    Narrative,
}

impl Check {
    /// The key written in `checks.parquet`.
    pub fn key(self) -> &'static str {
        match self {
            Check::ParentSum => "parent_sum",
            Check::TotalSum => "total_sum",
            Check::RowTotal => "row_total",
            Check::BreakdownTotal => "breakdown_total",
            Check::SideBalance => "side_balance",
            Check::CrossTable => "cross_table",
            Check::Narrative => "narrative",
        }
    }
}

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Within the rounding of the printed figures: worth knowing, not a mistake.
    #[default]
    Info,
    /// Beyond rounding: the document contradicts itself.
    Error,
}

impl Severity {
    /// The key written in `checks.parquet`.
    pub fn key(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Error => "error",
        }
    }
}

/// One broken identity, with both figures and where the printed one stands.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Finding {
    pub check: Check,
    pub severity: Severity,
    /// The table printing the checked figure (none for a narrative figure).
    pub table_kind: Option<TableKind>,
    /// The table the expected figure comes from, when it is another one.
    pub other_table_kind: Option<TableKind>,
    pub side: Option<Side>,
    pub item_code: Option<String>,
    /// The checked row or narrative phrase, as printed.
    pub item: String,
    pub measure: Option<Measure>,
    /// The checked figure in yuan (0 for a blank cell).
    pub printed_yuan: Decimal,
    /// The figure as printed (empty for a blank cell).
    pub printed_raw: String,
    /// What the identity says it should be, in yuan.
    pub expected_yuan: Decimal,
    /// `printed - expected`.
    pub difference_yuan: Decimal,
    /// The largest difference rounding of the printed figures explains.
    pub tolerance_yuan: Decimal,
    pub page: Option<u32>,
    pub bbox: Option<Rect>,
    pub explanation_zh: String,
    pub explanation_en: String,
}

/// A printed figure by its place in the document's records: the cell at `row`, `column` of
/// table `table` (one line item has one place).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Place {
    pub table: usize,
    pub row: usize,
    pub column: usize,
}

impl Place {
    pub fn of(it: &LineItem) -> Place {
        Place {
            table: it.table,
            row: it.row,
            column: it.column,
        }
    }
}

/// What the audit says of one figure: how many identities it takes part in, and how many of
/// those hold (exactly, or within the rounding of the printed figures).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    pub checks: u16,
    pub held: u16,
}

impl Tally {
    /// A figure is verified when at least one identity it takes part in holds: a misread
    /// digit breaks every identity the figure is in.
    pub fn verified(self) -> bool {
        self.held > 0
    }
}

/// The audit of one document.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Audit {
    /// How many identities were checked (a finding or not).
    pub checked: u32,
    /// How many of them hold, exactly or within rounding (no `error` finding).
    pub held: u32,
    /// The identities that do not hold, in a stable order (page, check, item).
    pub findings: Vec<Finding>,
    /// Every figure that takes part in an identity, with its tally.
    pub figures: BTreeMap<Place, Tally>,
}

impl Audit {
    /// Records one identity over the printed figures `cells` (blank cells take no part), and
    /// its finding if the figures differ.
    pub(crate) fn add<'a>(
        &mut self,
        f: Finding,
        expected_is: (&str, &str),
        cells: impl IntoIterator<Item = &'a LineItem>,
    ) {
        let finding = f.judged(expected_is);
        let held = finding
            .as_ref()
            .is_none_or(|f| f.severity == Severity::Info);
        self.record(held, cells);
        self.findings.extend(finding);
    }

    /// Counts one identity and tallies its figures (each once, however often it is summed).
    pub(crate) fn record<'a>(&mut self, held: bool, cells: impl IntoIterator<Item = &'a LineItem>) {
        self.checked += 1;
        self.held += u32::from(held);
        let mut places: Vec<Place> = cells.into_iter().map(Place::of).collect();
        places.sort_unstable();
        places.dedup();
        for p in places {
            let t = self.figures.entry(p).or_default();
            t.checks = t.checks.saturating_add(1);
            t.held = t.held.saturating_add(u16::from(held));
        }
    }

    /// The tally of one figure (zero checks when it takes part in none).
    pub fn tally(&self, it: &LineItem) -> Tally {
        self.figures
            .get(&Place::of(it))
            .copied()
            .unwrap_or_default()
    }

    /// Adds the identities of another audit of the same document (a narrative checked
    /// against a sibling file's tables: their places are that file's, so only counts merge).
    pub fn absorb_counts(&mut self, other: Audit) {
        self.checked += other.checked;
        self.held += other.held;
        self.findings.extend(other.findings);
    }

    /// Findings of `severity`.
    pub fn count(&self, severity: Severity) -> u32 {
        self.findings
            .iter()
            .filter(|f| f.severity == severity)
            .count() as u32
    }
}

/// Checks every identity of one document.
pub fn audit(doc: &DocumentRecords) -> Audit {
    let (own, others) = lines::groups_by_basis(doc);
    let mut out = Audit::default();
    within::check(&own, &mut out);
    within::check(&others, &mut out);
    document::cross_tables(&own, doc.phase, &mut out);
    document::narrative(doc, &own, &mut out);
    out.findings.sort_by(|a, b| {
        (a.page, a.check, &a.item, a.measure.map(Measure::key)).cmp(&(
            b.page,
            b.check,
            &b.item,
            b.measure.map(Measure::key),
        ))
    });
    out
}

/// The narrative of `doc` against the tables of `tables`: for a department that publishes its
/// narrative and its tables as two files of the same year (as Jiangsu departments do).
pub fn audit_narrative_against(doc: &DocumentRecords, tables: &DocumentRecords) -> Audit {
    let (own, _) = lines::groups_by_basis(tables);
    let mut out = Audit::default();
    document::narrative(doc, &own, &mut out);
    out
}

impl Finding {
    /// The finding of a checked figure against its expected value (`printed_yuan`,
    /// `expected_yuan` and `tolerance_yuan` set; severity, difference and explanations
    /// derived here), if the figures differ. `expected_is` says what the expected figure is,
    /// in Chinese and English (`其下各项之和`, `the sum of its sub-items`).
    fn judged(mut self, expected_is: (&str, &str)) -> Option<Finding> {
        self.difference_yuan = self.printed_yuan - self.expected_yuan;
        if self.difference_yuan.is_zero() {
            return None;
        }
        self.severity = if self.difference_yuan.abs() <= self.tolerance_yuan {
            Severity::Info
        } else {
            Severity::Error
        };
        let within = self.severity == Severity::Info;
        let (printed, expected, difference) = (
            self.printed_yuan.normalize(),
            self.expected_yuan.normalize(),
            self.difference_yuan.normalize(),
        );
        let blank = self.printed_raw.is_empty();
        self.explanation_zh = format!(
            "「{}」印为{}（{printed}元），{}为{expected}元，相差{difference}元{}。",
            self.item,
            if blank {
                "（空白）"
            } else {
                &self.printed_raw
            },
            expected_is.0,
            if within {
                "，在四舍五入范围内"
            } else {
                ""
            }
        );
        self.explanation_en = format!(
            "'{}'{} is printed {} ({printed} yuan); {} is {expected} yuan, a difference of {difference} yuan{}.",
            self.item,
            self.measure.map(|m| format!(" [{}]", m.key())).unwrap_or_default(),
            if blank { "blank" } else { &self.printed_raw },
            expected_is.1,
            if within { ", within rounding" } else { "" }
        );
        Some(self)
    }
}
