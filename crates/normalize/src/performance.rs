//! 项目绩效目标表 → one record per indicator, the project's cells (name, funds, goal) followed
//! down the rows they span.

use crate::model::PerformanceTarget;
use cnbudget_grammar::text::canonical;
use cnbudget_grammar::{parse_amount, target_column, Operator, TargetColumn, Unit};
use cnbudget_table::Table;

/// Which column holds what, by header path.
#[derive(Default)]
struct Columns {
    unit_code: Option<usize>,
    project: Option<usize>,
    funds_total: Option<usize>,
    funds_general: Option<usize>,
    funds_gov_fund: Option<usize>,
    funds_special: Option<usize>,
    funds_other: Option<usize>,
    goal: Option<usize>,
    levels: [Option<usize>; 3],
    operator: Option<usize>,
    value: Option<usize>,
    unit: Option<usize>,
    weight: Option<usize>,
}

fn columns(t: &Table) -> Columns {
    let mut c = Columns::default();
    for (k, path) in t.header_paths.iter().enumerate() {
        let slot = match target_column(path) {
            Some(TargetColumn::UnitCode) => &mut c.unit_code,
            Some(TargetColumn::Project) => &mut c.project,
            Some(TargetColumn::FundsTotal) => &mut c.funds_total,
            Some(TargetColumn::FundsGeneral) => &mut c.funds_general,
            Some(TargetColumn::FundsGovFund) => &mut c.funds_gov_fund,
            Some(TargetColumn::FundsSpecial) => &mut c.funds_special,
            Some(TargetColumn::FundsOther) => &mut c.funds_other,
            Some(TargetColumn::Goal) => &mut c.goal,
            Some(TargetColumn::Indicator(level)) => &mut c.levels[level],
            Some(TargetColumn::Operator) => &mut c.operator,
            Some(TargetColumn::Value) => &mut c.value,
            Some(TargetColumn::Unit) => &mut c.unit,
            Some(TargetColumn::Weight) => &mut c.weight,
            None => continue,
        };
        *slot = slot.or(Some(k));
    }
    c
}

/// The indicator records of a performance-target table (`k` is its index in the document).
pub(crate) fn targets(k: usize, t: &Table, unit: Option<Unit>) -> Vec<PerformanceTarget> {
    let cols = columns(t);
    let at = t.index();
    let text = |r: usize, c: Option<usize>| {
        c.and_then(|c| at.at(r, c))
            .map(|cell| cell.text.trim().to_string())
            .unwrap_or_default()
    };
    let money = |r: usize, c: Option<usize>| match (parse_amount(&text(r, c)), unit) {
        (Ok(Some(a)), Some(u)) => Some(u.to_yuan(a.value)),
        _ => None,
    };
    let mut out = Vec::new();
    for r in t.body_rows() {
        let level3 = text(r, cols.levels[2]);
        if level3.is_empty() {
            continue;
        }
        let value_raw = text(r, cols.value);
        let value = parse_amount(&value_raw).ok().flatten().map(|a| a.value);
        let cell = cols.levels[2].and_then(|c| at.at(r, c));
        out.push(PerformanceTarget {
            table: k,
            unit_code: Some(text(r, cols.unit_code)).filter(|s| !s.is_empty()),
            project: canonical(&text(r, cols.project)),
            project_raw: text(r, cols.project),
            funds_total_yuan: money(r, cols.funds_total),
            funds_general_yuan: money(r, cols.funds_general),
            funds_gov_fund_yuan: money(r, cols.funds_gov_fund),
            funds_special_account_yuan: money(r, cols.funds_special),
            funds_other_yuan: money(r, cols.funds_other),
            goal: text(r, cols.goal),
            level1: canonical(&text(r, cols.levels[0])),
            level2: canonical(&text(r, cols.levels[1])),
            level3: canonical(&level3),
            operator: Operator::parse(&text(r, cols.operator)),
            target_value: value,
            target_raw: value_raw,
            target_unit: text(r, cols.unit),
            weight: parse_amount(&text(r, cols.weight))
                .ok()
                .flatten()
                .map(|a| a.value),
            page: cell.map_or(0, |c| c.page),
            row: r,
        });
    }
    out
}
