//! Records built by hand for the audit's tests.

use cnbudget_grammar::{
    Basis, Breakdown, Classification, LabelPath, Level, Measure, Phase, TableKind,
};
use cnbudget_normalize::{CodeSource, DocumentRecords, LineItem};
use rust_decimal::Decimal;

/// One figure of a table (a 三公 table by unit unless changed): `code` printed, a 3-digit
/// code a class, a longer one a unit.
pub(crate) fn figure(row: usize, code: Option<&str>, name: &str, yuan: i64) -> LineItem {
    let (classification, item_level) = match code.map(str::len) {
        Some(3) => (Some(Classification::Function), Some(Level::Class)),
        Some(_) => (Some(Classification::Unit), None),
        None => (None, None),
    };
    LineItem {
        table: 0,
        table_kind: TableKind::ThreePublic,
        side: None,
        breakdown: Breakdown::None,
        item_code: code.map(str::to_string),
        code_source: code.map(|_| CodeSource::Printed),
        classification,
        item_level,
        parent_code: None,
        item_name: name.into(),
        item_name_raw: LabelPath::new(vec![name.into()]),
        measure: Some(Measure::Meetings),
        basis: Basis::Budget,
        period: None,
        measure_raw: "会议费".into(),
        amount: Decimal::from(yuan),
        amount_yuan: Some(Decimal::from(yuan)),
        amount_raw: yuan.to_string(),
        unit_raw: Some("元".into()),
        page: 41,
        row,
        column: 9,
        label_column: None,
        block: 0,
        bbox: cnbudget_pdf::Rect {
            x0: 0.0,
            y0: 0.0,
            x1: 1.0,
            y1: 1.0,
        },
        text_source: cnbudget_normalize::TextSource::TextLayer,
        ocr_confidence: None,
    }
}

/// A budget document of `items` alone.
pub(crate) fn document(line_items: Vec<LineItem>) -> DocumentRecords {
    DocumentRecords {
        department: None,
        fiscal_year: Some(2026),
        fiscal_year_source: None,
        phase: Phase::Budget,
        title: cnbudget_normalize::CoverTitle::Budget,
        unit: None,
        tables: Vec::new(),
        empty_tables: Vec::new(),
        line_items,
        performance_targets: Vec::new(),
        facts: Vec::new(),
        diagnostics: Vec::new(),
    }
}
