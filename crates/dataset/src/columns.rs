//! Rows → polars frames, one function per table, with standard types (strings, integers,
//! `Decimal(38, 4)` for money in yuan, floats only for page coordinates).

use crate::rows::{
    key, CheckRow, DiagnosticRow, DocumentRow, FactRow, Keyed, LineItemRow, TargetRow,
};
use polars::prelude::*;
use rust_decimal::Decimal;

/// Scale of every money column: yuan with four decimals holds any printed amount exactly
/// (万元 figures print two decimals, so yuan need none).
const SCALE: u32 = 4;

fn text<'a>(name: &str, v: impl Iterator<Item = Option<&'a str>>) -> Column {
    Column::new(name.into(), v.collect::<Vec<_>>())
}

fn money(name: &str, v: impl Iterator<Item = Option<Decimal>>) -> PolarsResult<Column> {
    let values = v.map(|d| {
        d.map(|mut d| {
            d.rescale(SCALE);
            d.mantissa()
        })
    });
    Ok(Int128Chunked::from_iter_options(name.into(), values)
        .into_decimal(38, SCALE as usize)?
        .into_series()
        .into_column())
}

fn uint(name: &str, v: impl Iterator<Item = Option<u32>>) -> Column {
    Column::new(name.into(), v.collect::<Vec<_>>())
}

fn flag(name: &str, v: impl Iterator<Item = bool>) -> Column {
    Column::new(name.into(), v.collect::<Vec<_>>())
}

/// A list of strings per row (a document's paths).
fn text_lists<'a>(name: &str, v: impl Iterator<Item = &'a [String]>) -> Column {
    let mut b = ListStringChunkedBuilder::new(name.into(), 0, 0);
    for list in v {
        b.append_values_iter(list.iter().map(String::as_str));
    }
    b.finish().into_series().into_column()
}

fn float(name: &str, v: impl Iterator<Item = Option<f64>>) -> Column {
    Column::new(name.into(), v.collect::<Vec<_>>())
}

/// The key columns every per-document record table starts with.
fn key_columns<T>(rows: &[Keyed<T>]) -> Vec<Column> {
    vec![
        text("doc_id", rows.iter().map(|r| Some(r.doc_id.as_str()))),
        uint(
            "fiscal_year",
            rows.iter().map(|r| r.fiscal_year.map(u32::from)),
        ),
        text("department", rows.iter().map(|r| r.department.as_deref())),
    ]
}

/// `{"summary":1,"three_public":1}`: keys sorted as text.
fn kinds_json(kinds: &std::collections::BTreeMap<cnbudget_grammar::TableKind, u32>) -> String {
    let by_key: std::collections::BTreeMap<&str, u32> =
        kinds.iter().map(|(k, n)| (k.key(), *n)).collect();
    serde_json::to_string(&by_key).unwrap_or_else(|_| "{}".into())
}

pub(crate) fn documents(rows: &[DocumentRow]) -> PolarsResult<DataFrame> {
    DataFrame::new_infer_height(vec![
        text("doc_id", rows.iter().map(|r| Some(r.doc_id.as_str()))),
        text("path", rows.iter().map(|r| Some(r.path.as_str()))),
        text_lists("paths", rows.iter().map(|r| r.paths.as_slice())),
        Column::new(
            "bytes".into(),
            rows.iter().map(|r| r.bytes).collect::<Vec<_>>(),
        ),
        uint("pages", rows.iter().map(|r| r.pages)),
        text("producer", rows.iter().map(|r| r.producer.as_deref())),
        text("creator", rows.iter().map(|r| r.creator.as_deref())),
        flag("encrypted", rows.iter().map(|r| r.encrypted)),
        text("status", rows.iter().map(|r| Some(r.status.as_str()))),
        text("error", rows.iter().map(|r| r.error.as_deref())),
        uint(
            "fiscal_year",
            rows.iter().map(|r| r.fiscal_year.map(u32::from)),
        ),
        text(
            "fiscal_year_source",
            rows.iter().map(|r| r.fiscal_year_source.as_deref()),
        ),
        text("phase", rows.iter().map(|r| r.phase)),
        text("department", rows.iter().map(|r| r.department.as_deref())),
        text(
            "department_raw",
            rows.iter().map(|r| r.department_raw.as_deref()),
        ),
        text("dept_code", rows.iter().map(|r| r.dept_code.as_deref())),
        text("unit", rows.iter().map(|r| r.unit.as_deref())),
        Column::new(
            "tables_by_kind".into(),
            rows.iter()
                .map(|r| kinds_json(&r.tables_by_kind))
                .collect::<Vec<_>>(),
        ),
        text_lists(
            "empty_tables",
            rows.iter().map(|r| r.empty_tables.as_slice()),
        ),
        uint("tables", rows.iter().map(|r| Some(r.tables))),
        uint("records", rows.iter().map(|r| Some(r.records))),
        uint(
            "performance_targets",
            rows.iter().map(|r| Some(r.performance_targets)),
        ),
        uint("facts", rows.iter().map(|r| Some(r.facts))),
        uint("warnings", rows.iter().map(|r| Some(r.warnings))),
        uint("checks", rows.iter().map(|r| Some(r.checks))),
        uint("check_errors", rows.iter().map(|r| Some(r.check_errors))),
        uint("check_infos", rows.iter().map(|r| Some(r.check_infos))),
        uint(
            "identities_held",
            rows.iter().map(|r| Some(r.identities_held)),
        ),
        uint(
            "figures_verified",
            rows.iter().map(|r| Some(r.figures_verified)),
        ),
        float("verified_share", rows.iter().map(|r| r.verified_share)),
        text(
            "same_budget_as",
            rows.iter().map(|r| r.same_budget_as.as_deref()),
        ),
        text("text_source", rows.iter().map(|r| Some(r.text_source))),
        text("ocr_engine", rows.iter().map(|r| r.ocr_engine.as_deref())),
        text(
            "ocr_models_sha256",
            rows.iter().map(|r| r.ocr_models_sha256.as_deref()),
        ),
        uint("ocr_pages", rows.iter().map(|r| Some(r.ocr_pages))),
        uint("ocr_figures", rows.iter().map(|r| Some(r.ocr_figures))),
        uint(
            "ocr_figures_verified",
            rows.iter().map(|r| Some(r.ocr_figures_verified)),
        ),
    ])
}

pub(crate) fn checks(rows: &[CheckRow]) -> PolarsResult<DataFrame> {
    let mut columns = key_columns(rows);
    let kind = |k: Option<cnbudget_grammar::TableKind>| k.map(|k| k.key());
    columns.extend([
        text("check", rows.iter().map(|r| Some(r.item.check.key()))),
        text("severity", rows.iter().map(|r| Some(r.item.severity.key()))),
        text("table_kind", rows.iter().map(|r| kind(r.item.table_kind))),
        text(
            "other_table_kind",
            rows.iter().map(|r| kind(r.item.other_table_kind)),
        ),
        Column::new(
            "side".into(),
            rows.iter()
                .map(|r| r.item.side.map(|s| key(&s)))
                .collect::<Vec<_>>(),
        ),
        text(
            "item_code",
            rows.iter().map(|r| r.item.item_code.as_deref()),
        ),
        text("item", rows.iter().map(|r| Some(r.item.item.as_str()))),
        text(
            "measure",
            rows.iter().map(|r| r.item.measure.map(|m| m.key())),
        ),
        money(
            "printed_yuan",
            rows.iter().map(|r| Some(r.item.printed_yuan)),
        )?,
        text(
            "printed_raw",
            rows.iter().map(|r| Some(r.item.printed_raw.as_str())),
        ),
        money(
            "expected_yuan",
            rows.iter().map(|r| Some(r.item.expected_yuan)),
        )?,
        money(
            "difference_yuan",
            rows.iter().map(|r| Some(r.item.difference_yuan)),
        )?,
        money(
            "tolerance_yuan",
            rows.iter().map(|r| Some(r.item.tolerance_yuan)),
        )?,
        uint("page", rows.iter().map(|r| r.item.page)),
        float("x0", rows.iter().map(|r| r.item.bbox.map(|b| b.x0))),
        float("y0", rows.iter().map(|r| r.item.bbox.map(|b| b.y0))),
        float("x1", rows.iter().map(|r| r.item.bbox.map(|b| b.x1))),
        float("y1", rows.iter().map(|r| r.item.bbox.map(|b| b.y1))),
        text(
            "explanation_zh",
            rows.iter().map(|r| Some(r.item.explanation_zh.as_str())),
        ),
        text(
            "explanation_en",
            rows.iter().map(|r| Some(r.item.explanation_en.as_str())),
        ),
    ]);
    DataFrame::new_infer_height(columns)
}

pub(crate) fn line_items(rows: &[LineItemRow]) -> PolarsResult<DataFrame> {
    DataFrame::new_infer_height(vec![
        text("doc_id", rows.iter().map(|r| Some(r.doc_id.as_str()))),
        text("department", rows.iter().map(|r| r.department.as_deref())),
        text("dept_code", rows.iter().map(|r| r.dept_code.as_deref())),
        text(
            "table_kind",
            rows.iter().map(|r| Some(r.table_kind.as_str())),
        ),
        text(
            "table_title",
            rows.iter().map(|r| Some(r.table_title.as_str())),
        ),
        text("table_no", rows.iter().map(|r| r.table_no.as_deref())),
        text("phase", rows.iter().map(|r| Some(r.phase))),
        text("fund", rows.iter().map(|r| r.fund)),
        text("spending", rows.iter().map(|r| r.spending)),
        text("side", rows.iter().map(|r| r.side.as_deref())),
        text("breakdown", rows.iter().map(|r| Some(r.breakdown.as_str()))),
        text("item_code", rows.iter().map(|r| r.item_code.as_deref())),
        text("code_source", rows.iter().map(|r| r.code_source.as_deref())),
        text("item_level", rows.iter().map(|r| r.item_level.as_deref())),
        text("parent_code", rows.iter().map(|r| r.parent_code.as_deref())),
        text("item_name", rows.iter().map(|r| Some(r.item_name.as_str()))),
        text(
            "item_name_raw",
            rows.iter().map(|r| Some(r.item_name_raw.as_str())),
        ),
        text("measure", rows.iter().map(|r| r.measure.as_deref())),
        text("basis", rows.iter().map(|r| Some(r.basis))),
        uint(
            "period_year",
            rows.iter().map(|r| r.period_year.map(u32::from)),
        ),
        flag("change", rows.iter().map(|r| r.change)),
        text(
            "measure_raw",
            rows.iter().map(|r| Some(r.measure_raw.as_str())),
        ),
        money("amount_yuan", rows.iter().map(|r| r.amount_yuan))?,
        text(
            "amount_raw",
            rows.iter().map(|r| Some(r.amount_raw.as_str())),
        ),
        text("unit_raw", rows.iter().map(|r| r.unit_raw.as_deref())),
        uint("page", rows.iter().map(|r| Some(r.page))),
        uint("row", rows.iter().map(|r| Some(r.row))),
        uint("column", rows.iter().map(|r| Some(r.column))),
        float("x0", rows.iter().map(|r| Some(r.bbox[0]))),
        float("y0", rows.iter().map(|r| Some(r.bbox[1]))),
        float("x1", rows.iter().map(|r| Some(r.bbox[2]))),
        float("y1", rows.iter().map(|r| Some(r.bbox[3]))),
        flag("verified", rows.iter().map(|r| r.verified)),
        Column::new(
            "checks".into(),
            rows.iter().map(|r| r.checks).collect::<Vec<_>>(),
        ),
        text("text_source", rows.iter().map(|r| Some(r.text_source))),
        float(
            "ocr_confidence",
            rows.iter().map(|r| r.ocr_confidence.map(f64::from)),
        ),
    ])
}

pub(crate) fn targets(rows: &[TargetRow]) -> PolarsResult<DataFrame> {
    let mut columns = key_columns(rows);
    columns.extend([
        text(
            "unit_code",
            rows.iter().map(|r| r.item.unit_code.as_deref()),
        ),
        text(
            "project",
            rows.iter().map(|r| Some(r.item.project.as_str())),
        ),
        text(
            "project_raw",
            rows.iter().map(|r| Some(r.item.project_raw.as_str())),
        ),
        money(
            "funds_total_yuan",
            rows.iter().map(|r| r.item.funds_total_yuan),
        )?,
        money(
            "funds_general_yuan",
            rows.iter().map(|r| r.item.funds_general_yuan),
        )?,
        money(
            "funds_gov_fund_yuan",
            rows.iter().map(|r| r.item.funds_gov_fund_yuan),
        )?,
        money(
            "funds_special_account_yuan",
            rows.iter().map(|r| r.item.funds_special_account_yuan),
        )?,
        money(
            "funds_other_yuan",
            rows.iter().map(|r| r.item.funds_other_yuan),
        )?,
        text("goal", rows.iter().map(|r| Some(r.item.goal.as_str()))),
        text("level1", rows.iter().map(|r| Some(r.item.level1.as_str()))),
        text("level2", rows.iter().map(|r| Some(r.item.level2.as_str()))),
        text("level3", rows.iter().map(|r| Some(r.item.level3.as_str()))),
        Column::new(
            "operator".into(),
            rows.iter()
                .map(|r| key(&r.item.operator))
                .collect::<Vec<_>>(),
        ),
        money("target_value", rows.iter().map(|r| r.item.target_value))?,
        text(
            "target_raw",
            rows.iter().map(|r| Some(r.item.target_raw.as_str())),
        ),
        text(
            "target_unit",
            rows.iter().map(|r| Some(r.item.target_unit.as_str())),
        ),
        money("weight", rows.iter().map(|r| r.item.weight))?,
        uint("page", rows.iter().map(|r| Some(r.item.page))),
        uint("row", rows.iter().map(|r| Some(r.item.row as u32))),
    ]);
    DataFrame::new_infer_height(columns)
}

pub(crate) fn facts(rows: &[FactRow]) -> PolarsResult<DataFrame> {
    let yuan = |r: &FactRow| r.item.fact.unit.to_yuan(r.item.fact.value);
    let keys: Vec<String> = rows.iter().map(|r| r.item.fact.key.to_string()).collect();
    let mut columns = key_columns(rows);
    columns.extend([
        text("key", keys.iter().map(|k| Some(k.as_str()))),
        text("name", rows.iter().map(|r| Some(r.item.fact.name.as_str()))),
        money("value", rows.iter().map(|r| Some(r.item.fact.value)))?,
        Column::new(
            "unit".into(),
            rows.iter()
                .map(|r| key(&r.item.fact.unit))
                .collect::<Vec<_>>(),
        ),
        money("value_yuan", rows.iter().map(yuan))?,
        money("share_percent", rows.iter().map(|r| r.item.fact.share))?,
        text(
            "basis",
            rows.iter().map(|r| r.item.fact.basis.map(<&str>::from)),
        ),
        money(
            "completion_percent",
            rows.iter().map(|r| r.item.fact.completion),
        )?,
        text(
            "sentence",
            rows.iter().map(|r| Some(r.item.fact.sentence.as_str())),
        ),
        uint("page", rows.iter().map(|r| Some(r.item.page))),
        text("section", rows.iter().map(|r| r.item.section.as_deref())),
    ]);
    DataFrame::new_infer_height(columns)
}

pub(crate) fn diagnostics(rows: &[DiagnosticRow]) -> PolarsResult<DataFrame> {
    DataFrame::new_infer_height(vec![
        text("doc_id", rows.iter().map(|r| Some(r.doc_id.as_str()))),
        uint("page", rows.iter().map(|r| r.page)),
        text("kind", rows.iter().map(|r| Some(r.kind.as_str()))),
        text("message", rows.iter().map(|r| Some(r.message.as_str()))),
        float("x0", rows.iter().map(|r| r.bbox.map(|b| b[0]))),
        float("y0", rows.iter().map(|r| r.bbox.map(|b| b[1]))),
        float("x1", rows.iter().map(|r| r.bbox.map(|b| b[2]))),
        float("y1", rows.iter().map(|r| r.bbox.map(|b| b[3]))),
    ])
}
