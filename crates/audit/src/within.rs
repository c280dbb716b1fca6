//! Identities within one table: row hierarchy, totals, columns, sides.

use crate::lines::{half_ulp, yuan, Group, Line, Role};
use crate::{Audit, Check, Finding};
use cnbudget_grammar::{names_carryover, row_name, Measure, RowName, Side};
use cnbudget_normalize::LineItem;
use rust_decimal::Decimal;

/// Runs every within-table check on every group.
pub(crate) fn check(groups: &[Group], out: &mut Audit) {
    // A form's indicator rows stand under headings but add up to nothing.
    for g in groups.iter().filter(|g| !g.kind.is_form()) {
        let tree = Tree::build(&g.lines);
        for &m in &g.measures {
            hierarchy(g, &tree, m, out);
        }
        if !g.sided() {
            for line in &g.lines {
                row_totals(g, line, out);
                row_balance(line, g, out);
            }
        }
        repeats(g, out);
        for &m in &g.measures {
            fund_splits(g, m, out);
        }
    }
    sides(groups, out);
}

/// Each row's parent, read from ranks in printed order.
struct Tree {
    parent: Vec<Option<usize>>,
    /// Rows whose span holds a row of unknown rank: their sums are not checked.
    tainted: Vec<bool>,
}

impl Tree {
    fn build(lines: &[Line]) -> Tree {
        let n = lines.len();
        let mut parent = vec![None; n];
        let mut tainted = vec![false; n];
        let mut effective = vec![0u8; n];
        let mut stack: Vec<usize> = Vec::new();
        // A `一、本年支出` header lifts the rows below it one level, until the next `二、`.
        let mut header: Option<u8> = None;
        for (i, l) in lines.iter().enumerate() {
            match l.role {
                Role::Total | Role::Subtotal => {
                    stack.clear();
                    header = None;
                    continue;
                }
                Role::Partial | Role::Repeat(_) => continue,
                Role::Item | Role::Header => {}
            }
            let Some(rank) = l.rank else {
                for &s in &stack {
                    tainted[s] = true;
                }
                tainted[i] = true;
                continue;
            };
            if header.is_some_and(|h| l.numbered && rank <= h) {
                header = None;
            }
            let r = rank + if header.is_some() { 10 } else { 0 };
            if l.role == Role::Header {
                header = Some(rank);
            }
            effective[i] = r;
            while stack.last().is_some_and(|&top| effective[top] >= r) {
                stack.pop();
            }
            parent[i] = stack.last().copied();
            stack.push(i);
        }
        Tree { parent, tainted }
    }

    fn children(&self, i: usize) -> impl Iterator<Item = usize> + '_ {
        (i + 1..self.parent.len()).filter(move |&j| self.parent[j] == Some(i))
    }

    fn has_children(&self, i: usize) -> bool {
        self.children(i).next().is_some()
    }
}

/// The sum of some rows read two ways: as printed, and as each row's own children make it.
/// A wrong child leaves its parent equal to the printed sum; a wrong parent leaves the total
/// above it equal to the corrected one. Either way the error is reported once, where it is.
#[derive(Clone, Copy, Default)]
struct Sum {
    printed: Decimal,
    corrected: Decimal,
    tolerance: Decimal,
}

impl Sum {
    /// A row taken as printed: a leaf, or a subtotal whose own rows could not be ranked.
    fn as_printed(cell: Option<&LineItem>) -> Sum {
        Sum {
            printed: yuan(cell),
            corrected: yuan(cell),
            tolerance: cell.map(half_ulp).unwrap_or_default(),
        }
    }

    fn add(self, o: Sum) -> Sum {
        Sum {
            printed: self.printed + o.printed,
            corrected: self.corrected + o.corrected,
            tolerance: self.tolerance + o.tolerance,
        }
    }

    /// The reading nearer to `value`.
    fn nearest(self, value: Decimal) -> Decimal {
        if (value - self.printed).abs() < (value - self.corrected).abs() {
            self.printed
        } else {
            self.corrected
        }
    }
}

/// Parent = Σ children, and each total = Σ the rows it closes, for measure `m`.
fn hierarchy(g: &Group, tree: &Tree, m: Option<Measure>, out: &mut Audit) {
    let lines = &g.lines;
    let n = lines.len();
    let printed = |i: usize| yuan(lines[i].cell(m));
    let mut rows = vec![Sum::default(); n];
    for i in (0..n).rev() {
        let cell = lines[i].cell(m);
        rows[i] = if tree.has_children(i) {
            let kids = tree.children(i).fold(Sum::default(), |a, c| a.add(rows[c]));
            Sum {
                printed: printed(i),
                corrected: kids.corrected,
                tolerance: kids.tolerance,
            }
        } else {
            Sum::as_printed(cell)
        };
    }
    let sum_of = |ix: &[usize]| ix.iter().fold(Sum::default(), |a, &r| a.add(rows[r]));
    for (i, line) in lines.iter().enumerate() {
        if matches!(line.role, Role::Partial | Role::Repeat(_))
            || !tree.has_children(i)
            || tree.tainted[i]
        {
            continue;
        }
        let check = if line.role == Role::Header {
            Check::TotalSum
        } else {
            Check::ParentSum
        };
        let children: Vec<usize> = tree.children(i).collect();
        let kids = sum_of(&children);
        let expected = kids.nearest(printed(i));
        let parts = children.iter().filter_map(|&c| lines[c].cell(m));
        compare(g, line, m, expected, kids.tolerance, check, parts, out);
    }
    // Totals close the roots printed since the previous total (or, printed first, the roots
    // below them).
    let mut roots: Vec<usize> = Vec::new();
    let mut tainted = false;
    // The subtotal a later total closes too: its row and its sum.
    let mut closed: Option<(usize, Sum)> = None;
    let mut pending: Option<usize> = None;
    let close = |t: usize, roots: &[usize], closed: Option<(usize, Sum)>, out: &mut Audit| {
        let sum = closed.map(|c| c.1).unwrap_or_default().add(sum_of(roots));
        let parts = closed
            .map(|c| c.0)
            .iter()
            .chain(roots)
            .filter_map(|&r| lines[r].cell(m))
            .collect::<Vec<_>>();
        compare(
            g,
            &lines[t],
            m,
            sum.nearest(printed(t)),
            sum.tolerance,
            Check::TotalSum,
            parts,
            out,
        );
        (
            t,
            Sum {
                printed: printed(t),
                ..sum
            },
        )
    };
    for i in 0..=n {
        let role = lines.get(i).map(|l| l.role);
        if matches!(role, Some(Role::Total | Role::Subtotal) | None) {
            // A total printed on top closes the roots below it, up to this row.
            if let Some(p) = pending.take() {
                if !tainted && !roots.is_empty() {
                    close(p, &roots, None, out);
                }
                roots.clear();
            }
            if let Some(t) = (i < n).then_some(i) {
                if roots.is_empty() && closed.is_none() && role == Some(Role::Total) {
                    pending = Some(t);
                } else if !tainted && (!roots.is_empty() || closed.is_some()) {
                    let r = close(t, &roots, closed, out);
                    closed = (role == Some(Role::Subtotal)).then_some(r);
                } else {
                    // A subtotal over rows of unknown rank is not checked, but still counts,
                    // as printed, in the total that closes it (Shenzhen 财政拨款收支总表:
                    // 收入总计 = 本年收入合计 + 上年结余、结转).
                    closed = (role == Some(Role::Subtotal))
                        .then(|| (t, Sum::as_printed(lines[t].cell(m))));
                }
            }
            roots.clear();
            tainted = false;
            continue;
        }
        if tree.tainted[i] && tree.parent[i].is_none() {
            tainted = true;
        }
        if matches!(role, Some(Role::Item | Role::Header)) && tree.parent[i].is_none() {
            roots.push(i);
        }
    }
}

/// Compares the row `line`'s printed figure in measure `m` (0 where blank) with `expected`.
#[allow(clippy::too_many_arguments)]
fn compare<'a>(
    g: &Group,
    line: &Line<'a>,
    m: Option<Measure>,
    expected: Decimal,
    parts_tolerance: Decimal,
    check: Check,
    parts: impl IntoIterator<Item = &'a LineItem>,
    out: &mut Audit,
) {
    let cell = line.cell(m);
    let it = line.first();
    let expected_is = match check {
        Check::ParentSum => ("其下各项之和", "the sum of its sub-items"),
        _ => ("所含各项之和", "the sum of the rows it totals"),
    };
    out.add(
        Finding {
            check,
            table_kind: Some(g.kind),
            other_table_kind: None,
            side: g.side,
            item_code: it.item_code.clone(),
            item: it.item_name_raw.to_string(),
            measure: m,
            printed_yuan: yuan(cell),
            printed_raw: cell.map(|c| c.amount_raw.clone()).unwrap_or_default(),
            expected_yuan: expected,
            tolerance_yuan: parts_tolerance + cell.map(half_ulp).unwrap_or_default(),
            page: Some(cell.map_or(it.page, |c| c.page)),
            bbox: cell.map(|c| c.bbox),
            ..Default::default()
        },
        expected_is,
        cell.into_iter().chain(parts),
    );
}

/// A column that is the sum of other columns; a part may stand for its own parts where the
/// table prints those instead (基本支出 as 人员 + 公用).
struct Relation {
    total: Measure,
    parts: &'static [(Measure, &'static [Measure])],
    /// Whether the relation needs every column of the table to be one of its measures (a
    /// table total): an unlisted column could be a part it misses.
    complete: bool,
}

use Measure as M;

const RELATIONS: &[Relation] = &[
    // A final account's fund tables: 本年支出 = 基本 + 项目.
    Relation {
        total: M::Expenditure,
        parts: &[(M::Basic, &[]), (M::Project, &[])],
        complete: false,
    },
    Relation {
        total: M::Basic,
        parts: &[(M::BasicPersonnel, &[]), (M::BasicPublic, &[])],
        complete: false,
    },
    Relation {
        total: M::Vehicles,
        parts: &[(M::VehiclesPurchase, &[]), (M::VehiclesOperation, &[])],
        complete: false,
    },
    Relation {
        total: M::ThreePublic,
        parts: &[
            (M::OverseasTravel, &[]),
            (M::Vehicles, &[M::VehiclesPurchase, M::VehiclesOperation]),
            (M::Reception, &[]),
        ],
        complete: false,
    },
    Relation {
        total: M::SpecialAccount,
        parts: &[
            (M::SpecialAccountEducationFees, &[]),
            (M::SpecialAccountOther, &[]),
        ],
        complete: false,
    },
    Relation {
        total: M::Fiscal,
        parts: &[
            (M::FiscalGeneral, &[]),
            (M::FiscalGovFund, &[]),
            (M::FiscalStateCapital, &[]),
        ],
        complete: false,
    },
    // 支出预算总表: 合计 = 基本 + 项目 + … .
    Relation {
        total: M::Total,
        parts: &[
            (M::Basic, &[M::BasicPersonnel, M::BasicPublic]),
            (M::Project, &[]),
            (M::Reserve, &[]),
            (M::SubsidyToAffiliates, &[]),
            (M::RemitToSuperior, &[]),
            (M::BusinessOperation, &[]),
            (M::CarryForward, &[]),
        ],
        complete: true,
    },
    // "三公"经费、会议费、培训费表: 合计 = "三公" + 会议 + 培训.
    Relation {
        total: M::Total,
        parts: &[
            (
                M::ThreePublic,
                &[M::OverseasTravel, M::Vehicles, M::Reception],
            ),
            (M::Meetings, &[]),
            (M::Training, &[]),
        ],
        complete: true,
    },
    // 收入预算总表: 合计 = 财政拨款 + 专户 + 事业 + … .
    Relation {
        total: M::Total,
        parts: &[
            (
                M::Fiscal,
                &[M::FiscalGeneral, M::FiscalGovFund, M::FiscalStateCapital],
            ),
            (
                M::SpecialAccount,
                &[M::SpecialAccountEducationFees, M::SpecialAccountOther],
            ),
            (M::BusinessRevenue, &[]),
            (M::OperatingRevenue, &[]),
            (M::SuperiorSubsidy, &[]),
            (M::AffiliateRemittance, &[]),
            (M::OtherRevenue, &[]),
            (M::BusinessFundDrawdown, &[]),
            (M::PriorCarryover, &[]),
            (M::PriorAccountBalance, &[]),
        ],
        complete: true,
    },
];

/// Whether column `m` belongs to the relation: its total, a part, or a part of a part.
fn covers(rel: &Relation, m: Measure) -> bool {
    m == rel.total
        || rel.parts.iter().any(|(p, alt)| {
            *p == m
                || alt.contains(&m)
                || sub_parts(*p).contains(&m)
                || alt.iter().any(|a| sub_parts(*a).contains(&m))
        })
}

/// Sub-parts a part's own column may be printed as, one level further down.
fn sub_parts(m: Measure) -> &'static [Measure] {
    match m {
        M::Vehicles => &[M::VehiclesPurchase, M::VehiclesOperation],
        _ => &[],
    }
}

/// Row total = Σ parts across the columns, for every relation the table's columns fit.
fn row_totals(g: &Group, line: &Line, out: &mut Audit) {
    let has = |m: Measure| g.measures.contains(&Some(m));
    for rel in RELATIONS {
        if !has(rel.total) {
            continue;
        }
        // The columns standing for each part: its own, else its parts' (else none: blank).
        let mut columns: Vec<Measure> = Vec::new();
        for (part, alt) in rel.parts {
            if has(*part) {
                columns.push(*part);
            } else {
                for a in alt.iter() {
                    if has(*a) {
                        columns.push(*a);
                    } else {
                        columns.extend(sub_parts(*a).iter().filter(|s| has(**s)));
                    }
                }
            }
        }
        if columns.is_empty() {
            continue;
        }
        if rel.complete
            && !g
                .measures
                .iter()
                .all(|m| m.is_some_and(|m| covers(rel, m) || m.is_cross_cut()))
        {
            continue;
        }
        let cells: Vec<_> = columns.iter().map(|c| line.cell(Some(*c))).collect();
        let total = line.cell(Some(rel.total));
        if total.is_none() && cells.iter().all(Option::is_none) {
            continue;
        }
        let it = line.first();
        out.add(
            Finding {
                check: Check::RowTotal,
                table_kind: Some(g.kind),
                other_table_kind: None,
                side: g.side,
                item_code: it.item_code.clone(),
                item: it.item_name_raw.to_string(),
                measure: Some(rel.total),
                printed_yuan: yuan(total),
                printed_raw: total.map(|c| c.amount_raw.clone()).unwrap_or_default(),
                expected_yuan: cells.iter().map(|c| yuan(*c)).sum(),
                tolerance_yuan: cells
                    .iter()
                    .chain([&total])
                    .flatten()
                    .map(|c| half_ulp(c))
                    .sum(),
                page: Some(total.map_or(it.page, |c| c.page)),
                bbox: total.map(|c| c.bbox),
                ..Default::default()
            },
            ("同行各分项之和", "the sum of the row's part columns"),
            cells.iter().chain([&total]).flatten().copied(),
        );
    }
}

/// A balance row split by fund on the rows below it (年初财政拨款结转和结余 = 一般公共预算财政拨款
/// + 政府性基金预算财政拨款), for measure `m`.
fn fund_splits(g: &Group, m: Option<Measure>, out: &mut Audit) {
    for (i, line) in g.lines.iter().enumerate() {
        if !names_carryover(&line.first().item_name) {
            continue;
        }
        let parts: Vec<&Line> = g.lines[i + 1..]
            .iter()
            .take_while(|l| {
                l.role == Role::Partial && row_name(&l.first().item_name) == RowName::Fund
            })
            .collect();
        if parts.len() < 2 {
            continue;
        }
        let cells: Vec<&LineItem> = parts.iter().filter_map(|l| l.cell(m)).collect();
        if line.cell(m).is_none() && cells.is_empty() {
            continue;
        }
        compare(
            g,
            line,
            m,
            cells.iter().map(|c| yuan(Some(c))).sum(),
            cells.iter().map(|c| half_ulp(c)).sum(),
            Check::ParentSum,
            cells,
            out,
        );
    }
}

/// A total printed again on a later page equals the first, figure by figure.
fn repeats(g: &Group, out: &mut Audit) {
    for line in &g.lines {
        let Role::Repeat(i) = line.role else { continue };
        let original = &g.lines[i];
        for &cell in &line.cells {
            let Some(first) = original.cell(cell.measure) else {
                continue;
            };
            out.add(
                Finding {
                    check: Check::TotalSum,
                    table_kind: Some(g.kind),
                    other_table_kind: None,
                    side: g.side,
                    item_code: cell.item_code.clone(),
                    item: cell.item_name_raw.to_string(),
                    measure: cell.measure,
                    printed_yuan: yuan(Some(cell)),
                    printed_raw: cell.amount_raw.clone(),
                    expected_yuan: yuan(Some(first)),
                    tolerance_yuan: Decimal::ZERO,
                    page: Some(cell.page),
                    bbox: Some(cell.bbox),
                    ..Default::default()
                },
                (
                    "首页所印同一合计",
                    "the same total on the table's first page",
                ),
                [first, cell],
            );
        }
    }
}

/// A final account's fund tables: 年初结转和结余 + 本年收入 − 本年支出 = 年末结转和结余, per row.
fn row_balance(line: &Line, g: &Group, out: &mut Audit) {
    let [Some(opening), Some(income), Some(spent), Some(closing)] = [
        M::OpeningBalance,
        M::Income,
        M::Expenditure,
        M::ClosingBalance,
    ]
    .map(|m| line.cell(Some(m))) else {
        return;
    };
    let it = line.first();
    let parts = [opening, income, spent];
    out.add(
        Finding {
            check: Check::RowTotal,
            table_kind: Some(g.kind),
            other_table_kind: None,
            side: g.side,
            item_code: it.item_code.clone(),
            item: it.item_name_raw.to_string(),
            measure: Some(M::ClosingBalance),
            printed_yuan: yuan(Some(closing)),
            printed_raw: closing.amount_raw.clone(),
            expected_yuan: yuan(Some(opening)) + yuan(Some(income)) - yuan(Some(spent)),
            tolerance_yuan: parts.iter().chain([&closing]).map(|c| half_ulp(c)).sum(),
            page: Some(closing.page),
            bbox: Some(closing.bbox),
            ..Default::default()
        },
        (
            "年初结转和结余加本年收入减本年支出",
            "the opening balance plus income less expenditure",
        ),
        parts.into_iter().chain([closing]),
    );
}

/// The last printed row of `role` in a group, with its figure.
fn last_of<'a>(g: &'a Group, role: Role) -> Option<&'a Line<'a>> {
    g.lines.iter().rev().find(|l| l.role == role)
}

/// Two- and three-sided tables: 收入总计 = 支出总计, and an expenditure breakdown without
/// totals of its own (the function classes beside the uses) adds up to the side's subtotal.
fn sides(groups: &[Group], out: &mut Audit) {
    for g in groups.iter().filter(|g| g.side == Some(Side::Expenditure)) {
        let siblings = || {
            groups
                .iter()
                .filter(|o| o.table == g.table && o.basis == g.basis)
        };
        let income = siblings()
            .filter(|o| o.side == Some(Side::Income))
            .find_map(|o| last_of(o, Role::Total));
        let own_total = last_of(g, Role::Total);
        if let (Some(inc), Some(exp)) = (income, own_total) {
            let (i, e) = (inc.first(), exp.first());
            out.add(
                Finding {
                    check: Check::SideBalance,
                    table_kind: Some(g.kind),
                    other_table_kind: None,
                    side: Some(Side::Expenditure),
                    item_code: None,
                    item: e.item_name_raw.to_string(),
                    measure: e.measure,
                    printed_yuan: yuan(Some(e)),
                    printed_raw: e.amount_raw.clone(),
                    expected_yuan: yuan(Some(i)),
                    tolerance_yuan: half_ulp(e) + half_ulp(i),
                    page: Some(e.page),
                    bbox: Some(e.bbox),
                    ..Default::default()
                },
                ("收入方总计", "the income side's total"),
                [i, e],
            );
        }
        let closes = g
            .lines
            .iter()
            .any(|l| matches!(l.role, Role::Total | Role::Subtotal | Role::Header));
        if closes || g.lines.iter().any(|l| l.rank.is_none()) {
            continue;
        }
        let subtotal = siblings()
            .filter(|o| o.side == Some(Side::Expenditure) && o.breakdown != g.breakdown)
            .find_map(|o| last_of(o, Role::Subtotal));
        let Some(sub) = subtotal else { continue };
        let tree = Tree::build(&g.lines);
        let roots: Vec<&Line> = (0..g.lines.len())
            .filter(|&i| tree.parent[i].is_none() && g.lines[i].role == Role::Item)
            .map(|i| &g.lines[i])
            .collect();
        let s = sub.first();
        out.add(
            Finding {
                check: Check::BreakdownTotal,
                table_kind: Some(g.kind),
                other_table_kind: None,
                side: Some(Side::Expenditure),
                item_code: None,
                item: s.item_name_raw.to_string(),
                measure: s.measure,
                printed_yuan: yuan(Some(s)),
                printed_raw: s.amount_raw.clone(),
                expected_yuan: roots.iter().map(|l| yuan(Some(l.first()))).sum(),
                tolerance_yuan: roots.iter().map(|l| half_ulp(l.first())).sum::<Decimal>()
                    + half_ulp(s),
                page: Some(s.page),
                bbox: Some(s.bbox),
                ..Default::default()
            },
            ("按功能分类各类之和", "the sum of the function classes"),
            roots.iter().map(|l| l.first()).chain([s]),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{document, figure};
    use cnbudget_grammar::{Measure, Side, TableKind};
    use cnbudget_normalize::LineItem;

    /// Regression (Shenzhen 财政拨款收支总表, eight documents): the rows above 本年收入合计
    /// are of unknown rank (`财政拨款` unnumbered over `1.一般公共预算拨款`), so the subtotal
    /// is not checked; 收入总计 was then summed from the rows below the subtotal alone
    /// (147.61 for 13,754.63) instead of taking the subtotal as printed.
    #[test]
    fn a_subtotal_over_rows_of_unknown_rank_counts_as_printed() {
        let income = |row, name: &str, yuan| LineItem {
            table_kind: TableKind::FiscalSummary,
            side: Some(Side::Income),
            measure: Some(Measure::Total),
            ..figure(row, None, name, yuan)
        };
        let doc = document(vec![
            income(2, "财政拨款", 1_360_702),
            income(3, "1.一般公共预算拨款", 1_360_702),
            income(4, "本年收入合计", 1_360_702),
            income(5, "上年结余、结转", 14_761),
            income(6, "1.一般公共预算拨款结余、结转", 14_761),
            income(7, "收入总计", 1_375_463),
        ]);
        let audit = crate::audit(&doc);
        assert!(audit.findings.is_empty(), "{:?}", audit.findings);
        let total = &doc.line_items[5];
        assert!(audit.tally(total).verified(), "收入总计 checked and held");
    }

    /// Shenzhen's 支出总表 prints each row's procurement and its shares reserved for small
    /// firms beside 基本支出 and 项目支出: they are no parts, and no longer keep the row total
    /// from being checked (a column of unknown measure did, and a second `total` before).
    #[test]
    fn procurement_columns_leave_the_row_total_checked() {
        let cell = |measure, column, yuan| LineItem {
            table_kind: TableKind::Expenditure,
            measure: Some(measure),
            column,
            ..figure(2, Some("201"), "一般公共服务支出", yuan)
        };
        let row = |total| {
            vec![
                cell(Measure::Total, 3, total),
                cell(Measure::Basic, 4, 600),
                cell(Measure::Project, 5, 342),
                cell(Measure::Procurement, 9, 94),
                cell(Measure::ProcurementSmeReserved, 10, 94),
                cell(Measure::ProcurementSmallMicroReserved, 11, 0),
            ]
        };
        let doc = document(row(942));
        let audit = crate::audit(&doc);
        assert!(audit.findings.is_empty(), "{:?}", audit.findings);
        assert!(
            audit.tally(&doc.line_items[0]).verified(),
            "checked and held"
        );
        let wrong = crate::audit(&document(row(943)));
        assert_eq!(wrong.findings.len(), 1, "{:?}", wrong.findings);
    }
}
