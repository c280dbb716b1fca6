//! The records normalisation produces: one per figure, with where it came from.

use cnbudget_grammar::{
    Basis, Breakdown, Classification, LabelPath, Level, Measure, Period, Phase, Side, TableKind,
    TitleParts, Unit, YearSource,
};
use cnbudget_pdf::Rect;
use rust_decimal::Decimal;
use serde::Serialize;

/// Everything normalisation read from one document.
#[derive(Debug, Clone, Serialize)]
pub struct DocumentRecords {
    pub department: Option<DepartmentId>,
    pub fiscal_year: Option<u16>,
    pub fiscal_year_source: Option<YearSource>,
    /// A budget, or a final account (决算) where a table's title says so.
    pub phase: Phase,
    /// What the first pages' title names.
    pub title: CoverTitle,
    /// The unit most tables print (`万元` in Jiangsu, `元` in Zhejiang).
    pub unit: Option<Unit>,
    pub tables: Vec<TableInfo>,
    pub empty_tables: Vec<EmptyTable>,
    pub line_items: Vec<LineItem>,
    pub performance_targets: Vec<PerformanceTarget>,
    /// Figures the narrative states.
    pub facts: Vec<NarrativeFact>,
    pub diagnostics: Vec<Diagnostic>,
}

/// What a document's title names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CoverTitle {
    /// A department's budget or final account (`XX局2026年部门预算`, `部门决算`).
    Budget,
    /// Another kind of document: a report, a notice, rules (`…绩效评价报告`).
    Other,
    /// No title of either kind.
    None,
}

/// Who published the document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DepartmentId {
    /// Normalised name for grouping (aliases applied): see `cnbudget_grammar::department_key`.
    pub key: String,
    /// The name as printed.
    pub name_raw: String,
    /// The budget unit code, where printed (`253001`).
    pub code: Option<String>,
    /// Where the name was read.
    pub source: DepartmentSource,
}

/// Where a department name was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DepartmentSource {
    /// A `部门：` / `部门名称：` meta line above a table.
    MetaLine,
    /// A form's `部门名称` cell and the name beside it.
    FormCell,
    /// A table title naming the department (`一、2017年度江苏省高级人民法院部门收支预算总表`).
    Title,
    /// The cover or heading of the first pages (`江苏省政协办公厅2018年度部门预算`).
    Heading,
}

/// One table of the document, recognised.
#[derive(Debug, Clone, Serialize)]
pub struct TableInfo {
    pub kind: TableKind,
    pub title_raw: String,
    pub title: String,
    /// The title read in parts (fund source, spending, breakdown, phase …).
    pub parts: TitleParts,
    pub label: Option<String>,
    pub pages: Vec<u32>,
    pub unit: Option<Unit>,
    pub method: cnbudget_table::Method,
    pub records: usize,
}

/// A table the document says it publishes empty (`本年度没有政府性基金预算财政拨款收入和支出，故
/// 本表无数据。` below it, or `是 本部门不涉及故公开空表` in the list of tables): disclosed
/// empty, which differs from a table missing.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EmptyTable {
    pub kind: TableKind,
    /// The statement as printed.
    pub statement: String,
    pub page: u32,
}

/// How an item code was obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, strum::IntoStaticStr)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum CodeSource {
    /// Printed in the table.
    Printed,
    /// Inferred from a name that names exactly one class.
    Inferred,
    /// Taken from another table of the same document that prints this name with its code
    /// (Zhejiang summaries list 款 and 项 by name only).
    Document,
}

/// One figure of one table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LineItem {
    /// Index into [`DocumentRecords::tables`].
    pub table: usize,
    pub table_kind: TableKind,
    pub side: Option<Side>,
    pub breakdown: Breakdown,
    pub item_code: Option<String>,
    pub code_source: Option<CodeSource>,
    pub classification: Option<Classification>,
    pub item_level: Option<Level>,
    pub parent_code: Option<String>,
    /// Canonical name without numbering (`一般公共服务支出`); label levels joined by `/`.
    pub item_name: String,
    /// The row's labels as printed and as read, level by level; written joined by `/`.
    pub item_name_raw: LabelPath,
    pub measure: Option<Measure>,
    /// Budget, adjusted budget or final figure: the column's, else the document's phase's.
    pub basis: Basis,
    /// Another year's figure or a change on the year before, where the column's header says
    /// (`2020年`, `增减变化情况`); none for the document's own year.
    pub period: Option<Period>,
    /// The column's header path as printed.
    pub measure_raw: String,
    /// The value as printed, in the table's unit.
    pub amount: Decimal,
    /// The value in yuan, exactly; `None` when the table's unit is unknown (never guessed).
    pub amount_yuan: Option<Decimal>,
    pub amount_raw: String,
    pub unit_raw: Option<String>,
    pub page: u32,
    pub row: usize,
    pub column: usize,
    /// The last label column the row prints its name or code in (not spanned from above):
    /// where a table shows its hierarchy by column (a procurement table's category, project
    /// and item), the deeper the row, the further right.
    #[serde(skip)]
    pub label_column: Option<usize>,
    /// Which of the blocks printed side by side the figure is in (the 决算 basic expenditure
    /// table's 人员经费 | 公用经费 halves); 0 in a table of one block.
    #[serde(skip)]
    pub block: usize,
    pub bbox: Rect,
    /// Where the figure's text came from (set by the pipeline, which knows the OCR'd pages).
    pub text_source: TextSource,
    /// For an OCR figure, the lowest confidence of the words it was read from (0 to 1).
    pub ocr_confidence: Option<f32>,
}

/// Where a document's or a figure's text came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TextSource {
    /// The PDF's own text layer.
    #[default]
    TextLayer,
    /// OCR of the page's images (a scan).
    Ocr,
    /// Some pages one way, some the other (documents only).
    Mixed,
}

impl TextSource {
    /// The source as written in the dataset.
    pub fn as_str(self) -> &'static str {
        match self {
            TextSource::TextLayer => "text_layer",
            TextSource::Ocr => "ocr",
            TextSource::Mixed => "mixed",
        }
    }
}

/// A problem normalisation met: data, with where it happened.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diagnostic {
    pub kind: DiagnosticKind,
    pub page: Option<u32>,
    pub bbox: Option<Rect>,
    pub message: String,
}

/// The kinds of normalisation problems.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, strum::IntoStaticStr)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum DiagnosticKind {
    /// A table prints no unit and the document gives none: its figures have no yuan value.
    UnitMissing,
    /// A cell in a figure column that is not an amount.
    NotAnAmount,
    /// A figure column whose header names no known measure.
    UnknownMeasure,
    /// A table whose title names no known kind.
    UnknownTitle,
    /// No department name anywhere.
    DepartmentMissing,
    /// No fiscal year anywhere.
    YearMissing,
    /// A cell of a code column read as a number, taken as the code it fits (`3021.1` →
    /// `30211`: an OCR speck read as a point).
    CodeMended,
}

/// One indicator of a project's performance targets.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PerformanceTarget {
    /// Index into [`DocumentRecords::tables`].
    pub table: usize,
    /// The budget unit code printed beside the project.
    pub unit_code: Option<String>,
    /// The project, canonical; followed down the rows its cell spans.
    pub project: String,
    pub project_raw: String,
    pub funds_total_yuan: Option<Decimal>,
    pub funds_general_yuan: Option<Decimal>,
    pub funds_gov_fund_yuan: Option<Decimal>,
    pub funds_special_account_yuan: Option<Decimal>,
    pub funds_other_yuan: Option<Decimal>,
    /// The project's overall goal (总体绩效目标), as printed.
    pub goal: String,
    /// 一级, 二级, 三级指标.
    pub level1: String,
    pub level2: String,
    pub level3: String,
    pub operator: cnbudget_grammar::Operator,
    /// The target as a number where it is one (`95`, `10000`).
    pub target_value: Option<Decimal>,
    /// The target as printed (`95`, `完备`, `及时`).
    pub target_raw: String,
    /// 计量单位 as printed (`(%)`, `人次`, `元/日`).
    pub target_unit: String,
    /// 指标权重.
    pub weight: Option<Decimal>,
    pub page: u32,
    pub row: usize,
}

/// A figure stated in the narrative, with where it was read.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NarrativeFact {
    #[serde(flatten)]
    pub fact: cnbudget_grammar::narrative::Fact,
    /// The page its sentence starts on.
    pub page: u32,
    /// The section heading above it (`二、收支预算情况说明`).
    pub section: Option<String>,
}
