//! Identities across the tables of one document, and the narrative against the tables.

use crate::lines::{half_ulp, yuan, Group, Line, Role};
use crate::{Audit, Check, Finding};
use cnbudget_grammar::narrative::{FactKey, FactUnit, SpendingPart};
use cnbudget_grammar::{Level, Measure, Phase, Side, SummaryRow, TableKind};
use cnbudget_normalize::{DocumentRecords, LineItem};
use rust_decimal::{Decimal, RoundingStrategy};

/// A figure of some table: a printed cell, or the sum of several.
struct Fig<'a> {
    kind: TableKind,
    value: Decimal,
    tolerance: Decimal,
    /// The cell shown as the figure's place (the first, for a sum).
    cell: &'a LineItem,
    /// Every cell summed.
    cells: Vec<&'a LineItem>,
    raw: String,
}

impl<'a> Fig<'a> {
    fn of(kind: TableKind, cells: &[&'a LineItem]) -> Option<Fig<'a>> {
        let first = *cells.first()?;
        Some(Fig {
            kind,
            value: cells.iter().map(|c| yuan(Some(c))).sum(),
            tolerance: cells.iter().map(|c| half_ulp(c)).sum(),
            cell: first,
            cells: cells.to_vec(),
            raw: cells
                .iter()
                .map(|c| c.amount_raw.as_str())
                .collect::<Vec<_>>()
                .join(" + "),
        })
    }
}

/// Which rows of a table a figure is read from.
#[derive(Clone, Copy)]
enum Rows {
    /// The table's (or side's) total row: 合计 at the top, 收入总计 at the foot.
    Total,
    /// The side's current-year subtotal (本年支出合计), else its total.
    Subtotal,
    /// The sum of the ordinary rows naming this part of the budget.
    Named(SummaryRow),
    /// The sum of the total rows of blocks printed side by side (the 决算 basic expenditure
    /// table's 人员经费合计 and 公用经费合计), whatever their measures; none for one block.
    Blocks,
}

/// The figure of `kind` (on `side`) in the first of `measures` printed there.
fn figure<'a>(
    groups: &'a [Group<'a>],
    kind: TableKind,
    side: Option<Side>,
    rows: Rows,
    measures: &[Option<Measure>],
) -> Option<Fig<'a>> {
    let mut gs = groups.iter().filter(|g| g.kind == kind && g.side == side);
    if let Rows::Blocks = rows {
        let blocks: Vec<&Group> = gs.collect();
        if blocks.iter().all(|g| g.block == 0) {
            return None;
        }
        let cells: Vec<&LineItem> = blocks
            .iter()
            .filter_map(|g| total_line(g))
            .filter_map(|l| l.cells.first().copied())
            .collect();
        return Fig::of(kind, &cells);
    }
    // A table printed in blocks has a total per block: only `Rows::Blocks` reads it whole.
    if groups
        .iter()
        .any(|g| g.kind == kind && g.side == side && g.block > 0)
    {
        return None;
    }
    gs.find_map(|g| {
        let lines: Vec<&Line> = match rows {
            Rows::Total => total_line(g).into_iter().collect(),
            Rows::Subtotal => g
                .lines
                .iter()
                .rev()
                .find(|l| l.role == Role::Subtotal)
                .or_else(|| total_line(g))
                .into_iter()
                .collect(),
            Rows::Blocks => Vec::new(),
            Rows::Named(row) => g
                .lines
                .iter()
                .filter(|l| l.role == Role::Item && row.names(&l.first().item_name))
                .collect(),
        };
        measures.iter().find_map(|&m| {
            let cells: Vec<&LineItem> = lines.iter().filter_map(|l| l.cell(m)).collect();
            Fig::of(kind, &cells)
        })
    })
}

/// A group's total row: the first of a table (合计 printed on top), the last of a side.
fn total_line<'a>(g: &'a Group<'a>) -> Option<&'a Line<'a>> {
    let mut totals = g.lines.iter().filter(|l| l.role == Role::Total);
    if g.sided() {
        totals.next_back()
    } else {
        totals.next()
    }
}

const TOTAL: &[Option<Measure>] = &[Some(Measure::Total)];
const BASIC: &[Option<Measure>] = &[Some(Measure::Basic), Some(Measure::Total)];
const INCOME: Option<Side> = Some(Side::Income);
const SPENDING: Option<Side> = Some(Side::Expenditure);

/// Figures the template makes equal, as (checked, expected) pairs of figure readers.
type Reader<'s> = (TableKind, Option<Side>, Rows, &'s [Option<Measure>]);

const IDENTITIES: &[(Reader, Reader)] = &[
    // 支出预算总表 合计 = 收支预算总表 本年支出合计.
    (
        (
            TableKind::Expenditure,
            None,
            Rows::Total,
            &[Some(Measure::Total)],
        ),
        (
            TableKind::Summary,
            SPENDING,
            Rows::Subtotal,
            &[Some(Measure::Total)],
        ),
    ),
    (
        (
            TableKind::Expenditure,
            None,
            Rows::Total,
            &[Some(Measure::Basic)],
        ),
        (
            TableKind::Summary,
            SPENDING,
            Rows::Named(SummaryRow::Basic),
            &[Some(Measure::Total)],
        ),
    ),
    (
        (
            TableKind::Expenditure,
            None,
            Rows::Total,
            &[Some(Measure::Project)],
        ),
        (
            TableKind::Summary,
            SPENDING,
            Rows::Named(SummaryRow::Project),
            &[Some(Measure::Total)],
        ),
    ),
    // 一般公共预算支出表 基本支出 = 一般公共预算基本支出表 合计.
    (
        (
            TableKind::GeneralExpenditure,
            None,
            Rows::Total,
            &[Some(Measure::Basic)],
        ),
        (TableKind::GeneralBasicExpenditure, None, Rows::Total, BASIC),
    ),
    // The same, where the basic expenditure table prints 人员经费 and 公用经费 side by side:
    // 基本支出 = 人员经费合计 + 公用经费合计.
    (
        (
            TableKind::GeneralExpenditure,
            None,
            Rows::Total,
            &[Some(Measure::Basic)],
        ),
        (TableKind::GeneralBasicExpenditure, None, Rows::Blocks, &[]),
    ),
    // 财政拨款基本支出表 合计 = 财政拨款收支预算总表 基本支出.
    (
        (TableKind::FiscalBasicExpenditure, None, Rows::Total, BASIC),
        (
            TableKind::FiscalSummary,
            SPENDING,
            Rows::Named(SummaryRow::Basic),
            &[Some(Measure::Total)],
        ),
    ),
    // 财政拨款支出表 合计 = 财政拨款收支预算总表 本年支出.
    (
        (TableKind::FiscalExpenditure, None, Rows::Total, TOTAL),
        (
            TableKind::FiscalSummary,
            SPENDING,
            Rows::Subtotal,
            &[Some(Measure::Total)],
        ),
    ),
];

/// The identities of a budget only: 收入预算总表 总计 = 收支预算总表 收入总计 (a budget's
/// revenue table holds the carry-over too), and 一般公共预算支出表 合计 = 财政拨款收支预算总表's
/// 一般公共预算 income lines (a budget spends what it receives).
const BUDGET_ONLY: &[(Reader, Reader)] = &[
    (
        (TableKind::Revenue, None, Rows::Total, TOTAL),
        (TableKind::Summary, INCOME, Rows::Total, TOTAL),
    ),
    (
        (TableKind::GeneralExpenditure, None, Rows::Total, TOTAL),
        (
            TableKind::FiscalSummary,
            INCOME,
            Rows::Named(SummaryRow::FiscalGeneral),
            TOTAL,
        ),
    ),
];

/// The identities of a final account only: 收入决算表 合计 = 收入支出决算总表 本年收入合计 (the
/// 总计 adds 使用非财政拨款结余 and 年初结转和结余), and 一般公共预算财政拨款支出决算表 合计 = the
/// fiscal summary's 本年支出合计 in its 一般公共预算 column (what was spent, from the year's
/// income and the balance brought in).
const FINAL_ONLY: &[(Reader, Reader)] = &[
    (
        (TableKind::Revenue, None, Rows::Total, TOTAL),
        (TableKind::Summary, INCOME, Rows::Subtotal, TOTAL),
    ),
    (
        (TableKind::GeneralExpenditure, None, Rows::Total, TOTAL),
        (
            TableKind::FiscalSummary,
            SPENDING,
            Rows::Subtotal,
            &[Some(Measure::FiscalGeneral)],
        ),
    ),
];

/// Cross-table identities, of a budget or of a final account.
pub(crate) fn cross_tables(groups: &[Group], phase: Phase, out: &mut Audit) {
    let own = match phase {
        Phase::Budget => BUDGET_ONLY,
        Phase::FinalAccount => FINAL_ONLY,
    };
    for (a, b) in IDENTITIES.iter().chain(own) {
        let (Some(x), Some(y)) = (
            figure(groups, a.0, a.1, a.2, a.3),
            figure(groups, b.0, b.1, b.2, b.3),
        ) else {
            continue;
        };
        let zh = format!("{}中的对应数", y.kind.key());
        let en = format!("the {} table's figure ({})", y.kind.key(), y.raw);
        out.add(
            Finding {
                check: Check::CrossTable,
                table_kind: Some(x.kind),
                other_table_kind: Some(y.kind),
                side: a.1,
                item_code: x.cell.item_code.clone(),
                item: x.cell.item_name_raw.to_string(),
                measure: x.cell.measure,
                printed_yuan: x.value,
                printed_raw: x.raw,
                expected_yuan: y.value,
                tolerance_yuan: x.tolerance + y.tolerance,
                page: Some(x.cell.page),
                bbox: Some(x.cell.bbox),
                ..Default::default()
            },
            (&zh, &en),
            x.cells.iter().chain(&y.cells).copied(),
        );
    }
}

/// The table figures a narrative fact may state (any one matching is agreement).
fn candidates<'a>(groups: &'a [Group<'a>], key: &FactKey) -> Vec<Fig<'a>> {
    let readers = match key {
        FactKey::Figure(figure) => readers(*figure),
        FactKey::Function { .. } => Vec::new(),
    };
    let mut figs: Vec<Fig> = readers
        .into_iter()
        .filter_map(|(k, s, r, ms)| figure(groups, k, s, r, ms))
        .collect();
    figs.extend(class_figures(groups, key));
    figs
}

/// Where the tables print a figure the narrative names, in the order the figures are tried
/// (the first of equally near ones is reported); none for a figure no table prints.
fn readers(stated: cnbudget_grammar::narrative::Figure) -> Vec<Reader<'static>> {
    use cnbudget_grammar::narrative::Figure as F;
    use SummaryRow as R;
    use TableKind as K;
    // A measure's total in any non-sided table that prints it.
    let any_total = |measure: Measure| {
        [
            K::Expenditure,
            K::GeneralExpenditure,
            K::GeneralBasicExpenditure,
            K::FiscalBasicExpenditure,
        ]
        .map(|k| (k, None, Rows::Total, only(measure)))
    };
    // A part of the budget as a row of the summary and of the fiscal summary.
    let named = |side: Option<Side>, row: SummaryRow| {
        [K::Summary, K::FiscalSummary].map(|k| (k, side, Rows::Named(row), TOTAL))
    };
    let three_public = |measure: Measure| vec![(K::ThreePublic, None, Rows::Total, only(measure))];
    let total = |kind: TableKind| vec![(kind, None, Rows::Total, TOTAL)];
    match stated {
        F::BudgetTotal | F::RevenueTotal | F::ExpenditureTotal => vec![
            (K::Summary, INCOME, Rows::Total, TOTAL),
            (K::Summary, SPENDING, Rows::Total, TOTAL),
            (K::Summary, INCOME, Rows::Subtotal, TOTAL),
            (K::Summary, SPENDING, Rows::Subtotal, TOTAL),
            (K::Revenue, None, Rows::Total, TOTAL),
            (K::Expenditure, None, Rows::Total, TOTAL),
        ],
        F::FiscalTotal => vec![
            (K::FiscalSummary, INCOME, Rows::Total, TOTAL),
            (K::FiscalSummary, SPENDING, Rows::Total, TOTAL),
        ],
        F::RevenueFiscal => vec![
            (K::Summary, INCOME, Rows::Named(R::Fiscal), TOTAL),
            (K::FiscalSummary, INCOME, Rows::Total, TOTAL),
            // The fiscal summary's current-year income (a final account's 总计 adds the
            // balance brought in), and the revenue table's 财政拨款 column.
            (K::FiscalSummary, INCOME, Rows::Subtotal, TOTAL),
            (K::Revenue, None, Rows::Total, &[Some(Measure::Fiscal)]),
        ],
        F::RevenueFiscalGeneral => [
            &named(INCOME, R::FiscalGeneral)[..],
            &total(K::GeneralExpenditure)[..],
        ]
        .concat(),
        F::RevenueFiscalGovFund => named(INCOME, R::FiscalGovFund).to_vec(),
        F::RevenueFiscalStateCapital => vec![(
            K::Summary,
            INCOME,
            Rows::Named(R::FiscalStateCapital),
            TOTAL,
        )],
        F::RevenueSpecialAccount => {
            vec![(K::Summary, INCOME, Rows::Named(R::SpecialAccount), TOTAL)]
        }
        F::RevenueOther => vec![(K::Summary, INCOME, Rows::Named(R::OtherIncome), TOTAL)],
        F::ExpenditureBasic => [
            &any_total(Measure::Basic)[..],
            &[
                (K::GeneralBasicExpenditure, None, Rows::Total, BASIC),
                (K::FiscalBasicExpenditure, None, Rows::Total, BASIC),
            ][..],
            &named(SPENDING, R::Basic)[..],
        ]
        .concat(),
        F::ExpenditureBasicPersonnel => any_total(Measure::BasicPersonnel).to_vec(),
        F::ExpenditureBasicPublic => any_total(Measure::BasicPublic).to_vec(),
        F::ExpenditureProject => [
            &any_total(Measure::Project)[..],
            &named(SPENDING, R::Project)[..],
        ]
        .concat(),
        F::ExpenditureReserve => [
            &any_total(Measure::Reserve)[..],
            &named(SPENDING, R::Reserve)[..],
        ]
        .concat(),
        F::ThreePublicTotal => three_public(Measure::ThreePublic),
        F::ThreePublicOverseasTravel => three_public(Measure::OverseasTravel),
        F::ThreePublicVehicles => three_public(Measure::Vehicles),
        F::ThreePublicVehiclesPurchase => three_public(Measure::VehiclesPurchase),
        F::ThreePublicVehiclesOperation => three_public(Measure::VehiclesOperation),
        F::ThreePublicReception => three_public(Measure::Reception),
        F::Meetings => three_public(Measure::Meetings),
        F::Training => three_public(Measure::Training),
        F::OperatingCosts => total(K::OperatingCosts),
        F::ProcurementTotal => total(K::Procurement),
        F::ExpenditureGovFund => total(K::GovFundExpenditure),
        _ => Vec::new(),
    }
}

/// A function class's figure in any table listing it (its total, or its one amount; its
/// basic or project part where the sentence states one), for a fact naming a class.
fn class_figures<'a>(groups: &'a [Group<'a>], key: &FactKey) -> Vec<Fig<'a>> {
    let mut figs = Vec::new();
    let Some((code, measures)) = function_class(key) else {
        return figs;
    };
    for g in groups {
        for l in g.lines.iter().filter(|l| {
            let it = l.first();
            it.item_code.as_deref() == Some(code) && it.item_level == Some(Level::Class)
        }) {
            figs.extend(
                measures
                    .iter()
                    .find_map(|&m| l.cell(m))
                    .and_then(|c| Fig::of(g.kind, &[c])),
            );
        }
    }
    figs
}

/// The function class a fact key names, with the measures of the class's row it states:
/// `expenditure.function.201` its total, `expenditure.project.function.201` its project part.
fn function_class(key: &FactKey) -> Option<(&str, &'static [Option<Measure>])> {
    const PROJECT: &[Option<Measure>] = &[Some(Measure::Project)];
    const BASIC_ONLY: &[Option<Measure>] = &[Some(Measure::Basic)];
    match key {
        FactKey::Function { part, code } => Some((
            code.as_str(),
            match part {
                None => TOTAL,
                Some(SpendingPart::Project) => PROJECT,
                Some(SpendingPart::Basic) => BASIC_ONLY,
            },
        )),
        FactKey::Figure(_) => None,
    }
}

/// The one-measure reader list of `m`.
fn only(m: Measure) -> &'static [Option<Measure>] {
    use Measure as M;
    match m {
        M::Total => &[Some(M::Total)],
        M::Basic => &[Some(M::Basic)],
        M::BasicPersonnel => &[Some(M::BasicPersonnel)],
        M::BasicPublic => &[Some(M::BasicPublic)],
        M::Project => &[Some(M::Project)],
        M::Reserve => &[Some(M::Reserve)],
        M::ThreePublic => &[Some(M::ThreePublic)],
        M::OverseasTravel => &[Some(M::OverseasTravel)],
        M::Vehicles => &[Some(M::Vehicles)],
        M::VehiclesPurchase => &[Some(M::VehiclesPurchase)],
        M::VehiclesOperation => &[Some(M::VehiclesOperation)],
        M::Reception => &[Some(M::Reception)],
        M::Meetings => &[Some(M::Meetings)],
        M::Training => &[Some(M::Training)],
        _ => &[],
    }
}

/// Each money figure the narrative states, against the table figures it may state.
pub(crate) fn narrative(doc: &DocumentRecords, groups: &[Group], out: &mut Audit) {
    let own = cnbudget_grammar::Basis::of_phase(doc.phase);
    // A budget figure a final account states beside its final one (`完成预算…`) is checked
    // by no table of final figures.
    for f in doc
        .facts
        .iter()
        .filter(|f| f.fact.basis.is_none_or(|b| b == own))
    {
        let factor = match f.fact.unit {
            FactUnit::Money(unit) => unit.factor(),
            FactUnit::Count => continue,
        };
        let figs = candidates(groups, &f.fact.key);
        let scale = f.fact.value.scale();
        // Agreement: the table figure, rounded as the narrative prints, is the stated one.
        let agreeing: Vec<&Fig> = figs
            .iter()
            .filter(|c| {
                (c.value / factor)
                    .round_dp_with_strategy(scale, RoundingStrategy::MidpointAwayFromZero)
                    == f.fact.value
            })
            .collect();
        let printed = f.fact.value * factor;
        let Some(nearest) = figs.iter().min_by_key(|c| (printed - c.value).abs()) else {
            continue;
        };
        if !agreeing.is_empty() {
            out.record(true, agreeing.iter().flat_map(|c| c.cells.iter().copied()));
            continue;
        }
        let unit = if factor == Decimal::ONE {
            "元"
        } else {
            "万元"
        };
        let zh = format!("{}中的对应数", nearest.kind.key());
        let en = format!(
            "the {} table's figure ({})",
            nearest.kind.key(),
            nearest.raw
        );
        out.add(
            Finding {
                check: Check::Narrative,
                table_kind: None,
                other_table_kind: Some(nearest.kind),
                side: None,
                item_code: function_class(&f.fact.key).map(|(c, _)| c.to_string()),
                item: f.fact.name.clone(),
                measure: None,
                printed_yuan: printed,
                printed_raw: format!("{}{unit}", f.fact.value),
                expected_yuan: nearest.value,
                // One unit of the last printed digit: a figure rounded the other way, or cut.
                tolerance_yuan: Decimal::new(1, scale) * factor + nearest.tolerance,
                page: Some(f.page),
                bbox: None,
                ..Default::default()
            },
            (&zh, &en),
            nearest.cells.iter().copied(),
        );
    }
}
