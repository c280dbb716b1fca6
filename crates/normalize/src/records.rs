//! One table → line items: each figure cell with its item (label, code), measure and side.

use crate::model::{CodeSource, Diagnostic, DiagnosticKind, LineItem};
use cnbudget_grammar::text::canonical;
use cnbudget_grammar::{
    column, infer_function_class, parse_amount, parse_label, Basis, Breakdown, Classification,
    Column, ItemCode, Measure, Side, TableKind, Title, Unit,
};
use cnbudget_table::{CellIndex, Table};
use std::collections::{BTreeSet, HashMap};

/// Whether text is a classification or unit code (all digits, 3 to 12 of them).
fn is_code(text: &str) -> bool {
    let t = canonical(text);
    (3..=12).contains(&t.len()) && t.bytes().all(|b| b.is_ascii_digit())
}

/// Reads each column's meaning from its header path, corrected by what its body holds: a
/// column of unknown header whose cells are mostly figures is a figure column, and the one
/// figure column of a table is its `amount`.
fn columns(t: &Table, at: &CellIndex) -> Vec<Column> {
    let mut cols: Vec<Column> = t.header_paths.iter().map(|p| column(p)).collect();
    for (c, col) in cols.iter_mut().enumerate() {
        let texts: Vec<&str> = t
            .body_rows()
            .filter_map(|r| at.at(r, c))
            .filter(|cell| cell.col == c && !cell.text.is_empty())
            .map(|cell| cell.text.as_str())
            .collect();
        let figures = texts
            .iter()
            .filter(|s| matches!(parse_amount(s), Ok(Some(_))) && !is_code(s))
            .count();
        let unknown_header = matches!(col, Column::Figure { measure: None, .. });
        // An empty column of unknown header stays a figure column: it holds nothing, and as
        // text it would cut the table into blocks.
        if unknown_header && !texts.is_empty() && figures * 2 < texts.len() {
            *col = Column::Label {
                side: None,
                breakdown: Breakdown::None,
            };
        }
    }
    let figure_cols = cols
        .iter()
        .filter(|c| matches!(c, Column::Figure { .. }))
        .count();
    if figure_cols == 1 {
        for col in &mut cols {
            if let Column::Figure { measure, .. } = col {
                *measure = Some(Measure::Total);
            }
        }
    }
    cols
}

/// The classification a printed code of this table belongs to.
fn classification(title: &Title, code: &str) -> Classification {
    // Function codes run to 7 digits; unit codes are 6 (a department) or 9 (a sub-unit).
    if code.len() == 6 || code.len() >= 8 {
        Classification::Unit
    } else if title.economic_rows() {
        Classification::Economic
    } else {
        Classification::Function
    }
}

/// Whether a row name may stand for a function class: rows by function, or the expenditure
/// side of a summary that is not broken down by use (Zhejiang lists functions there).
fn function_rows(kind: TableKind, side: Option<Side>, breakdown: Breakdown) -> bool {
    let summary_functions = matches!(kind, TableKind::Summary | TableKind::FiscalSummary)
        && side == Some(Side::Expenditure)
        && matches!(breakdown, Breakdown::None | Breakdown::Function);
    breakdown == Breakdown::Function
        || summary_functions
        || matches!(
            kind,
            TableKind::FiscalExpenditure
                | TableKind::GeneralExpenditure
                | TableKind::GovFundExpenditure
                | TableKind::StateCapitalExpenditure
                | TableKind::Expenditure
        )
}

/// The line items of one table (`k` is its index in the document).
pub(crate) fn table_records(
    k: usize,
    t: &Table,
    title: &Title,
    unit: Option<Unit>,
    document_basis: Basis,
) -> (Vec<LineItem>, Vec<Diagnostic>) {
    let kind = title.kind;
    let at = t.index();
    let cols = columns(t, &at);
    let mut items = Vec::new();
    let mut diags = Vec::new();
    for (c, col) in cols.iter().enumerate() {
        if let Column::Figure { measure: None, .. } = col {
            diags.push(Diagnostic {
                kind: DiagnosticKind::UnknownMeasure,
                page: t.pages.first().copied(),
                bbox: None,
                message: format!(
                    "column {c} header {:?} names no known measure",
                    t.header_paths[c]
                ),
            });
        }
    }
    for r in t.body_rows() {
        for (c, col) in cols.iter().enumerate() {
            let Column::Figure {
                side,
                breakdown,
                measure,
                basis,
            } = *col
            else {
                continue;
            };
            let Some(cell) = at.at(r, c).filter(|cell| cell.row == r && cell.col == c) else {
                continue;
            };
            let amount = match parse_amount(&cell.text) {
                Ok(Some(a)) if !a.percent => a,
                Ok(_) => continue,
                Err(_) => {
                    if cell.colspan == 1 {
                        diags.push(Diagnostic {
                            kind: DiagnosticKind::NotAnAmount,
                            page: Some(cell.page),
                            bbox: Some(cell.bbox),
                            message: format!(
                                "{:?} in figure column {c} ({}) is not an amount",
                                cell.text, t.header_paths[c]
                            ),
                        });
                    }
                    continue;
                }
            };
            let (code, names, label_column) = row_label(&at, &cols, r, c, side, breakdown);
            // A table of one breakdown says it in its title (`（按支出经济分类科目）`).
            let breakdown = match (breakdown, title.parts.breakdown) {
                (Breakdown::None, Some(b)) => b,
                _ => breakdown,
            };
            let item_name_raw = names.join("/");
            let parsed: Vec<_> = names.iter().map(|n| parse_label(n)).collect();
            let printed = code.or_else(|| parsed.iter().find_map(|l| l.code.clone()));
            let item_name = parsed
                .iter()
                .map(|l| l.name.clone())
                .filter(|n| !n.is_empty())
                .collect::<Vec<_>>()
                .join("/");
            let (item_code, code_source, classification, item_level, parent_code) = match printed {
                Some(code) => {
                    let cls = classification(title, &code);
                    match ItemCode::new(&code, cls) {
                        Ok(ic) => (
                            Some(code),
                            Some(CodeSource::Printed),
                            Some(cls),
                            ic.level(),
                            ic.parent(),
                        ),
                        Err(_) => (Some(code), Some(CodeSource::Printed), None, None, None),
                    }
                }
                None => match infer_function_class(&item_name)
                    .filter(|_| function_rows(kind, side, breakdown))
                {
                    Some(code) => (
                        Some(code.to_string()),
                        Some(CodeSource::Inferred),
                        Some(Classification::Function),
                        Some(cnbudget_grammar::Level::Class),
                        None,
                    ),
                    None => (None, None, None, None, None),
                },
            };
            items.push(LineItem {
                table: k,
                table_kind: kind,
                side,
                breakdown,
                item_code,
                code_source,
                classification,
                item_level,
                parent_code,
                item_name,
                item_name_raw,
                measure,
                basis: basis.unwrap_or(document_basis),
                block: block_of(&cols, c),
                measure_raw: t.header_paths[c].clone(),
                amount: amount.value,
                amount_yuan: unit.map(|u| u.to_yuan(amount.value)),
                amount_raw: cell.text.clone(),
                unit_raw: unit.map(|u| u.as_str().to_string()),
                page: cell.page,
                row: r,
                column: c,
                label_column,
                bbox: cell.bbox,
            });
        }
    }
    (items, diags)
}

/// The row's code and name parts for figure column `c` (on a sided table the label column
/// nearest to its left on the same side and breakdown, else every label column of the row),
/// and the last label column the row prints in itself (not spanned from a row above).
fn row_label(
    at: &CellIndex,
    cols: &[Column],
    r: usize,
    c: usize,
    side: Option<Side>,
    breakdown: Breakdown,
) -> (Option<String>, Vec<String>, Option<usize>) {
    let label_cols: Vec<usize> = match side {
        Some(_) => (0..c).rev().find(|&l| matches!(cols[l], Column::Label { side: s, breakdown: b } if s == side && b == breakdown)).into_iter().collect(),
        None if blocks(cols) > 1 => block_labels(cols, c),
        None => (0..cols.len()).filter(|&l| matches!(cols[l], Column::Label { .. })).collect(),
    };
    let mut code = None;
    let mut names: Vec<String> = Vec::new();
    let mut last = None;
    for l in label_cols {
        let Some(cell) = at.at(r, l) else {
            continue;
        };
        let text = cell.text.trim();
        if cell.row == r && !text.is_empty() {
            last = Some(l);
        }
        if text.is_empty() || names.last().is_some_and(|n| n == text) {
            continue;
        }
        if is_code(text) {
            code = code.or(Some(canonical(text)));
        } else {
            names.push(text.to_string());
        }
    }
    (code, names, last)
}

/// How many blocks of label columns followed by figure columns a table prints side by side
/// (the 决算 basic expenditure table: 人员经费 codes, names, figures | 公用经费 codes, names,
/// figures).
pub(crate) fn blocks(cols: &[Column]) -> usize {
    let figure = |c: &Column| matches!(c, Column::Figure { .. });
    cols.windows(2)
        .filter(|w| !figure(&w[0]) && figure(&w[1]))
        .count()
}

/// The block figure column `c` is in (0 for the first).
pub(crate) fn block_of(cols: &[Column], c: usize) -> usize {
    blocks(&cols[..=c]).saturating_sub(1)
}

/// The label columns of the block figure column `c` is in: the run just left of its figures.
fn block_labels(cols: &[Column], c: usize) -> Vec<usize> {
    let figure = |l: usize| matches!(cols[l], Column::Figure { .. });
    let start = (0..=c).rev().find(|&l| !figure(l)).map_or(0, |l| l + 1);
    let mut labels: Vec<usize> = (0..start).rev().take_while(|&l| !figure(l)).collect();
    labels.reverse();
    labels
}

/// Gives uncoded function rows the code another table of the document prints beside the same
/// name, choosing among namesakes (`行政运行` is under many 款) the one under the class and
/// 款 the rows above it belong to.
pub(crate) fn resolve_named_rows(items: &mut [LineItem], kinds: &[TableKind]) {
    let mut by_name: HashMap<String, BTreeSet<String>> = HashMap::new();
    for it in items.iter() {
        if it.code_source == Some(CodeSource::Printed)
            && it.classification == Some(Classification::Function)
        {
            if let Some(code) = &it.item_code {
                by_name
                    .entry(it.item_name.clone())
                    .or_default()
                    .insert(code.clone());
            }
        }
    }
    // The class or 款 code each (table, side, breakdown) run of rows is currently under.
    let mut context: HashMap<(usize, Option<Side>, Breakdown), String> = HashMap::new();
    for it in items.iter_mut() {
        let key = (it.table, it.side, it.breakdown);
        let kind = kinds.get(it.table).copied().unwrap_or(TableKind::Other);
        if it.classification == Some(Classification::Function) {
            if let Some(code) = &it.item_code {
                context.insert(key, code.clone());
            }
            continue;
        }
        if it.item_code.is_some() || !function_rows(kind, it.side, it.breakdown) {
            continue;
        }
        let Some(under) = context.get(&key) else {
            continue;
        };
        // A row names a child of the row above, a sibling of it, or a sibling of its parent.
        let scopes = [
            under.as_str(),
            parent_code(under),
            parent_code(parent_code(under)),
        ];
        let found = scopes.iter().filter(|s| !s.is_empty()).find_map(|scope| {
            let fits: Vec<&String> = by_name
                .get(&it.item_name)?
                .iter()
                .filter(|c| c.len() == scope.len() + 2 && c.starts_with(scope))
                .collect();
            (fits.len() == 1).then(|| fits[0].clone())
        });
        let Some(code) = found else { continue };
        let Ok(ic) = ItemCode::new(&code, Classification::Function) else {
            continue;
        };
        it.item_level = ic.level();
        it.parent_code = ic.parent();
        it.classification = Some(Classification::Function);
        it.code_source = Some(CodeSource::Document);
        context.insert(key, code.clone());
        it.item_code = Some(code);
    }
}

/// `2010301` → `20103` → `201` → ``.
fn parent_code(code: &str) -> &str {
    code.get(..code.len().saturating_sub(2))
        .filter(|p| p.len() >= 3)
        .unwrap_or("")
}
