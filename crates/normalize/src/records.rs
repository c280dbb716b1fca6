//! One table → line items: each figure cell with its item (label, code), measure and side.

use crate::model::{CodeSource, Diagnostic, DiagnosticKind, LineItem, TextSource};
use cnbudget_grammar::text::canonical;
use cnbudget_grammar::{
    aside_column, code_part, column, infer_function_class, is_code, parse_amount, Basis, Breakdown,
    Classification, Column, ItemCode, LabelPath, Measure, Side, TableKind, Title, Unit,
};
use cnbudget_table::{CellIndex, Table};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Reads each column's meaning from its header path, corrected by what its body holds: a
/// column of unknown header whose cells are mostly figures is a figure column, and the one
/// figure column of a table is its `total`, as is a procurement table's procurement.
fn columns(t: &Table, at: &CellIndex, kind: TableKind) -> Vec<Column> {
    let mut cols: Vec<Column> = t.header_paths.iter().map(column).collect();
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
        if unknown_header && figures * 2 < texts.len().max(1) {
            *col = Column::Label {
                side: None,
                breakdown: Breakdown::None,
            };
        }
    }
    // 本年收入 / 本年支出 are the current year's part of a row beside a 合计 or the balances of
    // a final account's fund tables; with neither, their whole is the row's whole.
    let has = |wanted: &[Measure]| {
        cols.iter()
            .any(|c| matches!(c, Column::Figure { measure: Some(m), .. } if wanted.contains(m)))
    };
    if !has(&[
        Measure::Total,
        Measure::OpeningBalance,
        Measure::ClosingBalance,
    ]) {
        for col in &mut cols {
            if let Column::Figure { measure, .. } = col {
                if matches!(measure, Some(Measure::Income | Measure::Expenditure)) {
                    *measure = Some(Measure::Total);
                }
            }
        }
    }
    procurement_is_the_whole(&mut cols, kind);
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

/// In a procurement table the procurement (`政府采购预算/合计`) is the row's whole, its
/// `total`, unless a `合计` of its own stands beside it; beside a table's spending it is a
/// column of its own.
fn procurement_is_the_whole(cols: &mut [Column], kind: TableKind) {
    let has_total = cols.iter().any(|c| {
        matches!(
            c,
            Column::Figure {
                measure: Some(Measure::Total),
                ..
            }
        )
    });
    if kind != TableKind::Procurement || has_total {
        return;
    }
    for col in cols {
        if let Column::Figure { measure, .. } = col {
            if *measure == Some(Measure::Procurement) {
                *measure = Some(Measure::Total);
            }
        }
    }
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

/// Of the codes a row prints, the one its table is broken down by: in a table by economic
/// class, the department's economic code (`30101`) before the government's (`50101`), as
/// Beijing prints both (`50101-工资奖金津补贴 | 30101-基本工资`); else the first.
fn preferred_code(codes: &[String], economic: bool) -> Option<String> {
    codes
        .iter()
        .find(|c| economic && c.starts_with('3'))
        .or(codes.first())
        .cloned()
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

/// The line items of one table (`k` is its index in the document; `ocr_pages` the pages read
/// by OCR).
pub(crate) fn table_records(
    k: usize,
    t: &Table,
    title: &Title,
    unit: Option<Unit>,
    document_basis: Basis,
    ocr_pages: &BTreeSet<u32>,
) -> (Vec<LineItem>, Vec<Diagnostic>) {
    let kind = title.kind;
    let at = t.index();
    let cols = columns(t, &at, kind);
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
                    t.header_paths[c].to_string()
                ),
            });
        }
    }
    let headers: Vec<Column> = t.header_paths.iter().map(column).collect();
    let split = split_code_columns(t, &cols);
    let asides: Vec<usize> = (0..cols.len())
        .filter(|&c| aside_column(&t.header_paths[c]))
        .collect();
    let split_codes = joined_codes(t, &at, &split);
    let mended = mended_codes(t, &at, &cols, ocr_pages);
    for (&(r, c), code) in &mended {
        if let Some(cell) = at.at(r, c) {
            diags.push(Diagnostic {
                kind: DiagnosticKind::CodeMended,
                page: Some(cell.page),
                bbox: Some(cell.bbox),
                message: format!("{:?} in code column {c} read as code {code}", cell.text),
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
                period,
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
            let (code, names, label_column) = row_label(
                &at, &cols, &headers, &split, &asides, &mended, r, c, side, breakdown,
            );
            let code = split_codes.get(&r).cloned().or(code);
            // A table of one breakdown says it in its title (`（按支出经济分类科目）`).
            let breakdown = match (breakdown, title.parts.breakdown) {
                (Breakdown::None, Some(b)) => b,
                _ => breakdown,
            };
            let item_name_raw = LabelPath::new(names);
            let codes: Vec<String> = code
                .into_iter()
                .chain(item_name_raw.labels().iter().filter_map(|l| l.code.clone()))
                .collect();
            let printed = preferred_code(&codes, title.economic_rows());
            let item_name = item_name_raw
                .labels()
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
                period,
                // Sides are blocks of their own kind: `side` tells them apart.
                block: if side.is_some() {
                    0
                } else {
                    block_of(&cols, &headers, c)
                },
                measure_raw: t.header_paths[c].to_string(),
                amount: amount.value,
                amount_yuan: unit.map(|u| u.to_yuan(amount.value)),
                amount_raw: cell.text.clone(),
                unit_raw: unit.map(|u| u.as_str().to_string()),
                page: cell.page,
                row: r,
                column: c,
                label_column,
                bbox: cell.bbox,
                text_source: TextSource::TextLayer,
                ocr_confidence: None,
            });
        }
    }
    (items, diags)
}

/// The row's code and name parts for figure column `c` (on a sided table the label column
/// nearest to its left on the same side and breakdown, else every label column of the row),
/// and the last label column the row prints in itself (not spanned from a row above).
#[allow(clippy::too_many_arguments)]
fn row_label(
    at: &CellIndex,
    cols: &[Column],
    headers: &[Column],
    split: &[usize],
    asides: &[usize],
    mended: &BTreeMap<(usize, usize), String>,
    r: usize,
    c: usize,
    side: Option<Side>,
    breakdown: Breakdown,
) -> (Option<String>, Vec<String>, Option<usize>) {
    let label_cols: Vec<usize> = match side {
        Some(_) => (0..c).rev().find(|&l| !asides.contains(&l) && matches!(cols[l], Column::Label { side: s, breakdown: b } if s == side && b == breakdown)).into_iter().collect(),
        None if blocks(cols, headers) > 1 => block_labels(cols, c),
        None => (0..cols.len()).filter(|&l| matches!(cols[l], Column::Label { .. })).collect(),
    };
    let label_cols = label_cols.into_iter().filter(|l| !asides.contains(l));
    let mut code = None;
    let mut names: Vec<String> = Vec::new();
    let mut last = None;
    for l in label_cols.filter(|l| !split.contains(l)) {
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
        if let Some(m) = mended.get(&(cell.row, l)) {
            code = code.or(Some(m.clone()));
        } else if is_code(text) {
            code = code.or(Some(canonical(text)));
        } else {
            names.push(text.to_string());
        }
    }
    (code, names, last)
}

/// Code cells an OCR speck made into numbers, by (row, column), with the code each is: in a
/// label column whose cells are mostly codes, a cell of digits and one point, on a page read
/// by OCR, whose digits make a code under the same 类 or 款 as the code printed above it
/// (`30211` read `3021.1` below `30209`, seed 7 at 200 dpi). Only the column tells: the word
/// alone is a well-formed number, and a figure's identities cannot catch a code. No digit is
/// changed. Ordered, so the diagnostics come out the same on every run.
fn mended_codes(
    t: &Table,
    at: &CellIndex,
    cols: &[Column],
    ocr_pages: &BTreeSet<u32>,
) -> BTreeMap<(usize, usize), String> {
    let mut out = BTreeMap::new();
    // A table of a text layer is never looked at.
    if !t.pages.iter().any(|p| ocr_pages.contains(p)) {
        return out;
    }
    for c in (0..cols.len()).filter(|&c| matches!(cols[c], Column::Label { .. })) {
        let cells: Vec<(usize, String)> = t
            .body_rows()
            .filter_map(|r| at.at(r, c).filter(|cell| cell.row == r))
            .filter(|cell| cell.col == c && cell.colspan == 1)
            .map(|cell| (cell.row, canonical(&cell.text)))
            .filter(|(_, text)| !text.is_empty())
            .collect();
        for (r, code) in mend_code_column(&cells) {
            if at
                .at(r, c)
                .is_some_and(|cell| ocr_pages.contains(&cell.page))
            {
                out.insert((r, c), code);
            }
        }
    }
    out
}

/// The rule of [`mended_codes`] on one column's cells (row, canonical text), top to bottom.
fn mend_code_column(cells: &[(usize, String)]) -> Vec<(usize, String)> {
    let codes = cells.iter().filter(|(_, t)| is_code(t)).count();
    if codes < 3 || codes * 2 <= cells.len() {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut above: Option<&str> = None;
    for (r, text) in cells {
        if is_code(text) {
            above = Some(text);
            continue;
        }
        let dotted = text.matches('.').count() == 1
            && !text.starts_with('.')
            && !text.ends_with('.')
            && text.chars().all(|ch| ch.is_ascii_digit() || ch == '.');
        let digits: String = text.chars().filter(char::is_ascii_digit).collect();
        // A 款 or 项 (5 or 7 digits, the grammar's `ItemCode`; a unit code has 6 or 8 and
        // more), under the 类 or 款 the code above is in or is.
        let parent = ItemCode::new(&digits, Classification::Function)
            .ok()
            .and_then(|code| code.parent());
        let fits = |a: &str| a != digits && parent.as_deref().is_some_and(|p| a.starts_with(p));
        if dotted && above.is_some_and(fits) {
            out.push((*r, digits));
        }
    }
    out
}

/// The columns of a code printed in parts: 类, 款 and 项 (function) or 类 and 款 (economic)
/// under a spanning `科目编码`, in printed order; empty unless there are two or more.
fn split_code_columns(t: &Table, cols: &[Column]) -> Vec<usize> {
    let found: Vec<usize> = t
        .header_paths
        .iter()
        .enumerate()
        .filter(|(c, path)| {
            matches!(cols[*c], Column::Label { .. })
                && path
                    .last()
                    .and_then(|last| code_part(last.trim()))
                    .is_some()
        })
        .map(|(c, _)| c)
        .collect();
    if found.len() >= 2 {
        found
    } else {
        Vec::new()
    }
}

/// Each row's code joined from its parts (`216`, `99`, `99` → `2169999`). A part left blank
/// under one printed further right is the one of the rows above (a 款 row printing only `03`
/// is under the last 类 printed).
fn joined_codes(t: &Table, at: &CellIndex, split: &[usize]) -> HashMap<usize, String> {
    let mut out = HashMap::new();
    if split.is_empty() {
        return out;
    }
    let mut context: Vec<Option<String>> = vec![None; split.len()];
    for r in t.body_rows() {
        let parts: Vec<Option<String>> = split
            .iter()
            .map(|&c| {
                at.at(r, c)
                    .filter(|cell| cell.row == r)
                    .map(|cell| canonical(&cell.text))
                    .filter(|s| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
            })
            .collect();
        let Some(deepest) = parts.iter().rposition(Option::is_some) else {
            continue;
        };
        for (level, part) in parts.iter().enumerate().take(deepest + 1) {
            if part.is_some() {
                context[level] = part.clone();
            }
        }
        for slot in context.iter_mut().skip(deepest + 1) {
            *slot = None;
        }
        if let Some(code) = context[..=deepest]
            .iter()
            .map(|p| p.as_deref())
            .collect::<Option<Vec<&str>>>()
        {
            out.insert(r, code.concat());
        }
    }
    out
}

/// How many blocks of label columns followed by figure columns a table prints side by side
/// (the 决算 basic expenditure table: 人员经费 codes, names, figures | 公用经费 codes, names,
/// figures).
/// Only a column its header calls text (`科目名称`, not an empty or unknown one read as text
/// by its cells) ends a block's labels.
fn blocks(cols: &[Column], headers: &[Column]) -> usize {
    let figure = |c: &Column| matches!(c, Column::Figure { .. });
    (1..cols.len())
        .filter(|&c| {
            figure(&cols[c])
                && matches!(cols[c - 1], Column::Label { .. })
                && matches!(headers[c - 1], Column::Label { .. })
        })
        .count()
}

/// The block figure column `c` is in (0 for the first).
fn block_of(cols: &[Column], headers: &[Column], c: usize) -> usize {
    blocks(&cols[..=c], &headers[..=c]).saturating_sub(1)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn procurement_is_the_whole_of_a_procurement_table_only() {
        let read = |kind| {
            let mut cols: Vec<Column> = ["政府采购预算/合计", "政府采购预算/其中：预留给中小企业"]
                .iter()
                .map(|h| {
                    cnbudget_grammar::column(&cnbudget_grammar::HeaderPath::new(
                        h.split('/').map(str::to_string).collect(),
                    ))
                })
                .collect();
            procurement_is_the_whole(&mut cols, kind);
            cols.iter()
                .map(|c| match c {
                    Column::Figure { measure, .. } => *measure,
                    Column::Label { .. } => None,
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(
            read(TableKind::Procurement),
            [Some(Measure::Total), Some(Measure::ProcurementSmeReserved)]
        );
        assert_eq!(
            read(TableKind::Expenditure),
            [
                Some(Measure::Procurement),
                Some(Measure::ProcurementSmeReserved)
            ]
        );
        // Beside a 合计 of its own, the procurement stays a part.
        let mut cols = vec![
            cnbudget_grammar::column(&cnbudget_grammar::HeaderPath::new(vec!["合计".into()])),
            cnbudget_grammar::column(&cnbudget_grammar::HeaderPath::new(vec!["政府采购".into()])),
        ];
        procurement_is_the_whole(&mut cols, TableKind::Procurement);
        assert!(matches!(
            cols[1],
            Column::Figure {
                measure: Some(Measure::Procurement),
                ..
            }
        ));
    }

    /// Beijing a2df391a p7 (keyed): the basic expenditure table's rows print the government's
    /// economic code and the department's; the department's is the row's.
    #[test]
    fn a_row_of_two_economic_codes_takes_the_departments() {
        let codes = ["50101".to_string(), "30101".to_string()];
        assert_eq!(preferred_code(&codes, true).as_deref(), Some("30101"));
        let codes = [
            "2013601".to_string(),
            "50101".to_string(),
            "30101".to_string(),
        ];
        assert_eq!(preferred_code(&codes, false).as_deref(), Some("2013601"));
        assert_eq!(preferred_code(&[], true), None);
    }

    fn column(texts: &[&str]) -> Vec<(usize, String)> {
        texts
            .iter()
            .enumerate()
            .map(|(r, t)| (r, t.to_string()))
            .collect()
    }

    /// Seed 7 at 200 dpi (`tests/ocr.rs`): the basic expenditure table's code `30211` read
    /// `3021.1`; the row lost its code and printed `3021.1/差旅费` as its label.
    #[test]
    fn a_code_read_with_a_speck_as_a_point_is_the_code_it_fits() {
        let codes = column(&["301", "30101", "302", "30201", "30209", "3021.1", "30213"]);
        assert_eq!(mend_code_column(&codes), vec![(5, "30211".to_string())]);
        // Under a 类 as well as after a sibling; a function 项 after a 款.
        let codes = column(&["302", "3021.1", "30213", "30214"]);
        assert_eq!(mend_code_column(&codes), vec![(1, "30211".to_string())]);
        let codes = column(&["201", "20101", "201010.1", "2010102"]);
        assert_eq!(mend_code_column(&codes), vec![(2, "2010101".to_string())]);
    }

    /// What the rule must leave: a number whose digits are under another class, a cell that
    /// is its code's own neighbour printed twice, a column of few codes, too short a code.
    #[test]
    fn numbers_that_fit_no_code_above_stay_as_read() {
        let other_class = column(&["301", "30101", "30102", "3021.1"]);
        assert!(mend_code_column(&other_class).is_empty());
        let same = column(&["302", "30211", "3021.1", "30213"]);
        assert!(mend_code_column(&same).is_empty());
        let few = column(&["302", "30201", "3021.1", "差旅费", "会议费", "培训费"]);
        assert!(mend_code_column(&few).is_empty());
        let short = column(&["301", "302", "303", "30.4"]);
        assert!(mend_code_column(&short).is_empty());
        // Two points, or a unit code's length (6 digits), is no speck in a 款 or 项.
        let two_points = column(&["302", "30201", "30.2.11", "30213"]);
        assert!(mend_code_column(&two_points).is_empty());
        let six = column(&["201", "20136", "2013.61", "20137"]);
        assert!(mend_code_column(&six).is_empty());
        let first = column(&["3021.1", "30213", "30214", "30215"]);
        assert!(mend_code_column(&first).is_empty());
    }
}
