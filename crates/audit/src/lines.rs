//! A document's line items regrouped as the audit reads them: per table and side, rows in
//! printed order, each with its role (item, subtotal, total, 其中) and its rank in the row
//! hierarchy (from its code or its numbering).

use cnbudget_grammar::{
    is_group_subtotal, names_carryover, numbering_rank, numbers_a_part, procurement_category,
    row_name, Basis, Breakdown, Classification, Level, Measure, Period, RowName, Side, TableKind,
};
use cnbudget_normalize::{CodeSource, DocumentRecords, LineItem};
use rust_decimal::Decimal;

/// What a row is to the rows around it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    /// An ordinary row: a figure, perhaps with sub-rows.
    Item,
    /// Closes the rows above it (本年收入合计, 当年支出小计).
    Subtotal,
    /// Closes everything (合计 at the top of a table, 收入总计 at the foot of a side).
    Total,
    /// Opens a run of rows it is the sum of (`一、本年支出` above the classes).
    Header,
    /// A `其中` row, or one continuing a `其中` list: part of the row above, not additive.
    Partial,
    /// A total printed again on a continuation page (the Guangdong 决算 tables repeat their
    /// 合计 below each page's header): the same figures as the total at this line index,
    /// closing nothing.
    Repeat(usize),
}

/// One printed row of one side of a table.
#[derive(Debug)]
pub(crate) struct Line<'a> {
    pub role: Role,
    /// Depth in the row hierarchy: 0 a budget unit, 1 a class or `一、`, 2 a 款 or `（一）`,
    /// 3 a 项 or `1.`; none when neither code nor numbering tells.
    pub rank: Option<u8>,
    /// Whether the rank comes from a numbering prefix (which ends a [`Role::Header`] run).
    pub numbered: bool,
    pub cells: Vec<&'a LineItem>,
}

impl<'a> Line<'a> {
    /// The cell of measure `m`, if printed.
    pub fn cell(&self, m: Option<Measure>) -> Option<&'a LineItem> {
        self.cells.iter().copied().find(|c| c.measure == m)
    }

    /// Any cell: the row's name, code and page are the same in all.
    pub fn first(&self) -> &'a LineItem {
        self.cells[0]
    }
}

/// The rows of one side, breakdown and basis of one table (a final account's 三公 table prints
/// the budget and the final figures of each part side by side: two groups).
#[derive(Debug)]
pub(crate) struct Group<'a> {
    pub table: usize,
    pub kind: TableKind,
    pub side: Option<Side>,
    pub breakdown: Breakdown,
    pub basis: Basis,
    /// Another year's figures or the changes on the year before (see `LineItem::period`).
    pub period: Option<Period>,
    /// Which of the blocks printed side by side (see `LineItem::block`).
    pub block: usize,
    pub lines: Vec<Line<'a>>,
    /// Every measure printed in the group (a column left wholly blank does not appear).
    pub measures: Vec<Option<Measure>>,
}

impl Group<'_> {
    /// Whether the group is one side of a two- or three-sided table.
    pub fn sided(&self) -> bool {
        self.side.is_some()
    }
}

/// The groups of the document's own basis and year (a final account's final figures, a
/// budget's budget figures: what the other tables and the narrative state) and the rest (the
/// 预算数 columns of a final account, another year's columns, changes), which are checked only
/// within their tables.
pub(crate) fn groups_by_basis(doc: &DocumentRecords) -> (Vec<Group<'_>>, Vec<Group<'_>>) {
    let own = Basis::of_phase(doc.phase);
    groups(doc)
        .into_iter()
        .partition(|g| g.basis == own && g.period.is_none())
}

/// Regroups a document's line items; tables without yuan values are left out (their unit is
/// unknown, so no figure can be compared).
fn groups(doc: &DocumentRecords) -> Vec<Group<'_>> {
    let mut out: Vec<Group> = Vec::new();
    for it in &doc.line_items {
        if it.amount_yuan.is_none() {
            continue;
        }
        let g = match out.iter().position(|g| {
            g.table == it.table
                && g.side == it.side
                && g.breakdown == it.breakdown
                && g.basis == it.basis
                && g.period == it.period
                && g.block == it.block
        }) {
            Some(k) => &mut out[k],
            None => {
                out.push(Group {
                    table: it.table,
                    kind: it.table_kind,
                    side: it.side,
                    breakdown: it.breakdown,
                    basis: it.basis,
                    period: it.period,
                    block: it.block,
                    lines: Vec::new(),
                    measures: Vec::new(),
                });
                let last = out.len() - 1;
                &mut out[last]
            }
        };
        if !g.measures.contains(&it.measure) {
            g.measures.push(it.measure);
        }
        match g.lines.last_mut() {
            Some(l) if l.first().row == it.row => l.cells.push(it),
            _ => g.lines.push(Line {
                role: Role::Item,
                rank: None,
                numbered: false,
                cells: vec![it],
            }),
        }
    }
    for g in &mut out {
        g.lines.sort_by_key(|l| l.first().row);
    }
    let mut out = join_open_blocks(out);
    for g in &mut out {
        classify(&mut g.lines);
        mark_repeats(&mut g.lines);
    }
    out
}

/// A block of a table printed in blocks side by side that closes with no total of its own
/// runs on into the next (Xi'an: 公用经费 fills the second block and the third, whose
/// 公用经费合计 closes both): its rows go before the next block's.
fn join_open_blocks(groups: Vec<Group<'_>>) -> Vec<Group<'_>> {
    let closed = |g: &Group| {
        g.lines
            .iter()
            .any(|l| row_name(&l.first().item_name) == RowName::Total)
    };
    let mut out: Vec<Group> = Vec::with_capacity(groups.len());
    let mut open: Option<Group> = None;
    for mut g in groups {
        if let Some(prev) = open.take() {
            let same = prev.table == g.table
                && prev.side == g.side
                && prev.breakdown == g.breakdown
                && prev.basis == g.basis
                && prev.period == g.period
                && prev.block + 1 == g.block;
            if same {
                let mut lines = prev.lines;
                lines.append(&mut g.lines);
                g.lines = lines;
                for m in prev.measures {
                    if !g.measures.contains(&m) {
                        g.measures.push(m);
                    }
                }
            } else {
                out.push(prev);
            }
        }
        let blocked = out
            .iter()
            .chain([&g])
            .any(|o| o.table == g.table && o.block > 0);
        if blocked && !closed(&g) {
            open = Some(g);
        } else {
            out.push(g);
        }
    }
    out.extend(open);
    out
}

/// A row's figures, measure by measure.
type Figures = Vec<(Option<Measure>, Option<Decimal>)>;

/// Sets each line's role and rank.
fn classify(lines: &mut [Line]) {
    // A table printing its rows' names in several label columns ranks them by column: the
    // further right, the deeper (category, project, item of a procurement table).
    let mut label_columns: Vec<usize> = lines
        .iter()
        .filter_map(|l| l.first().label_column)
        .collect();
    label_columns.sort_unstable();
    label_columns.dedup();
    // Under procurement categories printed in the units' column (`货物` ⏎ `苏州市审计局` ⏎
    // its items), every other row stands one level lower.
    let categorised = lines
        .iter()
        .any(|l| procurement_category(&l.first().item_name));
    let by_column = |it: &LineItem| -> Option<u8> {
        let depth = label_columns.binary_search(&it.label_column?).ok()?;
        let below = usize::from(categorised && !procurement_category(&it.item_name));
        (label_columns.len() > 1).then(|| u8::try_from(depth + 1 + below).ok())?
    };
    let mut after_subtotal = false;
    let mut in_partial = false;
    let mut after_balance = false;
    // The codes and ranks of the rows printing a code, in order.
    let mut coded_rows: Vec<(String, u8)> = Vec::new();
    // The group a `…/小计` row heads; the name and figures of the row above.
    // The label levels a `…/小计` row heads.
    let mut subtotal_of: Option<Vec<String>> = None;
    let mut prev: Option<(String, Figures)> = None;
    for l in lines.iter_mut() {
        let it = l.first();
        let numbering = it.item_name_raw.numbering();
        let name = it.item_name.as_str();
        let coded = it.item_level.is_some() || it.classification == Some(Classification::Unit);
        l.numbered = numbering.is_some_and(|n| !numbers_a_part(n));
        let kind = row_name(name);
        l.role = if kind == RowName::Total {
            Role::Total
        } else if kind == RowName::Subtotal {
            Role::Subtotal
        } else if kind == RowName::YearHeader && l.numbered {
            Role::Header
        } else if numbering.is_some_and(numbers_a_part)
            || (in_partial && !coded && !l.numbered)
            || (after_balance && !l.numbered && kind == RowName::Fund)
        {
            Role::Partial
        } else {
            Role::Item
        };
        in_partial = l.role == Role::Partial;
        // A balance row (年初财政拨款结转和结余) is followed by its split by fund, unnumbered.
        after_balance = names_carryover(name) || (after_balance && l.role == Role::Partial);
        // A class inferred from its name ranks by its printed numbering where it has one:
        // `（一）一般公共服务支出` stands under `一、本年支出`, not beside it.
        let inferred = it.code_source == Some(CodeSource::Inferred);
        // In a table showing its hierarchy by column, a row printed in a deeper column whose
        // "code" is digits opening its name ranks by its column (`12345政府公共服务热线运行经费`
        // is a project, not a 款); codes printed in a column of their own keep their rank.
        let code_in_name = it
            .item_code
            .as_deref()
            .is_some_and(|c| it.item_name_raw.levels().iter().any(|n| n.starts_with(c)));
        let deeper = by_column(it)
            .filter(|_| code_in_name && it.label_column != label_columns.first().copied());
        l.rank = match (it.classification, it.item_level) {
            _ if deeper.is_some() => deeper,
            _ if inferred && numbering.and_then(numbering_rank).is_some() => {
                numbering.and_then(numbering_rank)
            }
            // A unit under the nearest row above whose code it extends (a department `201`
            // over its units `201001` and `201002`, a unit over its sub-unit); else a unit
            // heads the rows below it.
            (Some(Classification::Unit), _) => Some(
                coded_rows
                    .iter()
                    .rev()
                    .find(|(code, _)| {
                        it.item_code
                            .as_deref()
                            .is_some_and(|c| c.len() > code.len() && c.starts_with(code.as_str()))
                    })
                    .map_or(0, |(_, rank)| rank + 1),
            ),
            (_, Some(Level::Class)) => Some(1),
            (_, Some(Level::Section)) => Some(2),
            (_, Some(Level::Item)) => Some(3),
            _ => numbering.and_then(numbering_rank).or_else(|| {
                if let Some(depth) = by_column(it) {
                    return Some(depth);
                }
                // `一般公共预算资金/小计` heads the `一般公共预算资金/…` rows below it.
                let names: Vec<&str> = it
                    .item_name_raw
                    .labels()
                    .iter()
                    .map(|l| l.name.as_str())
                    .filter(|n| !n.is_empty())
                    .collect();
                match names.split_last() {
                    Some((last, group)) if !group.is_empty() && is_group_subtotal(last) => {
                        subtotal_of = Some(group.iter().map(|g| g.to_string()).collect());
                        Some(1)
                    }
                    Some((_, group))
                        if !group.is_empty()
                            && subtotal_of.as_deref().is_some_and(|g| g.iter().eq(group)) =>
                    {
                        Some(2)
                    }
                    // Unnumbered rows after a subtotal (对附属单位补助支出, 结转下年) stand alone.
                    _ if after_subtotal => Some(1),
                    // Anything else is of unknown rank (a unit's projects printed under it
                    // with their descriptions, `安全生产月活动/根据…`, in levels no mark shows).
                    _ => None,
                }
            }),
        };
        match l.role {
            Role::Subtotal => after_subtotal = true,
            Role::Total => after_subtotal = false,
            _ => {}
        }
        // A row printing the code, name and figures of the row above is its one part (Wuxi
        // 发展和改革委员会: the 项 `2199999 其他支出` printed as `21999 其他支出` under its 款);
        // two purchases of one kind (Beijing 预算11表: `数据处理服务` twice) differ in figures.
        let figures: Figures = l.cells.iter().map(|c| (c.measure, c.amount_yuan)).collect();
        if let (Some(code), Some((above, rank))) = (&it.item_code, coded_rows.last()) {
            if code == above
                && prev
                    .as_ref()
                    .is_some_and(|(n, f)| n == name && *f == figures)
            {
                l.rank = Some(rank + 1);
            }
        }
        prev = Some((name.to_string(), figures));
        if let (Some(code), Some(rank)) = (&it.item_code, l.rank) {
            coded_rows.push((code.clone(), rank));
        }
    }
}

/// Marks totals repeated on a later page: a total opening a continuation page under the name
/// of an earlier one (whether its figures agree is the audit's to check).
fn mark_repeats(lines: &mut [Line]) {
    for j in 1..lines.len() {
        let (name, page) = (&lines[j].first().item_name, lines[j].first().page);
        let opens_page = lines[j - 1].first().page != page;
        if lines[j].role != Role::Total || !opens_page {
            continue;
        }
        if let Some(i) = (0..j).find(|&i| {
            lines[i].role == Role::Total
                && lines[i].first().item_name == *name
                && lines[i].first().page != page
        }) {
            lines[j].role = Role::Repeat(i);
        }
    }
}

/// The largest error rounding a printed cell can carry, in yuan: half its last digit.
pub(crate) fn half_ulp(it: &LineItem) -> Decimal {
    let factor = match (it.amount.is_zero(), it.amount_yuan) {
        (false, Some(y)) => y / it.amount,
        _ => Decimal::ONE,
    };
    Decimal::new(5, it.amount.scale() + 1) * factor
}

/// A cell's value in yuan (0 when blank).
pub(crate) fn yuan(cell: Option<&LineItem>) -> Decimal {
    cell.and_then(|c| c.amount_yuan).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::figure;

    /// Regression (Xi'an 宣传部 p41): the department `201` heads both its units `201001` and
    /// `201002`; the second unit was ranked by the first unit's code it does not extend, and
    /// stood outside the department (201 ≠ 201001 + 201002 reported on every column).
    #[test]
    fn units_rank_under_the_department_code_they_extend() {
        let items = [
            figure(4, None, "合计", 320_000),
            figure(5, Some("201"), "中共西安市委宣传部", 320_000),
            figure(6, Some("201001"), "中共西安市委", 200_000),
            figure(7, Some("201002"), "中共西安市委", 120_000),
        ];
        let ranks = ranks_of(&items);
        assert_eq!(ranks, [None, Some(1), Some(2), Some(2)]);
    }

    fn ranks_of(items: &[LineItem]) -> Vec<Option<u8>> {
        let mut lines: Vec<Line> = items
            .iter()
            .map(|it| Line {
                role: Role::Item,
                rank: None,
                numbered: false,
                cells: vec![it],
            })
            .collect();
        classify(&mut lines);
        lines.iter().map(|l| l.rank).collect()
    }

    /// Regression (Suzhou 审计局 公开13表): categories, units and items printed in columns
    /// (`货物` and `苏州市审计局` in the first, the items further right); the units ranked
    /// beside their category and the 合计 came out twice its rows.
    #[test]
    fn procurement_categories_head_their_units() {
        let at = |row, name: &str, column| LineItem {
            label_column: Some(column),
            ..figure(row, None, name, 1)
        };
        let items = [
            at(5, "货物", 0),
            at(6, "苏州市审计局", 0),
            at(7, "定额/办公费/复印纸/集中采购", 4),
            at(8, "服务", 0),
            at(9, "苏州市审计局", 0),
            at(10, "物业管理费/物业管理费/物业管理服务/分散采购", 4),
            // A project whose name opens with digits is no 款 (Suzhou 数据局).
            LineItem {
                item_code: Some("12345".into()),
                item_level: Some(Level::Section),
                classification: Some(Classification::Function),
                ..at(
                    11,
                    "12345政府公共服务热线运行经费/委托业务费/其他运营服务/分散采购",
                    4,
                )
            },
        ];
        assert_eq!(
            ranks_of(&items),
            [
                Some(1),
                Some(2),
                Some(3),
                Some(1),
                Some(2),
                Some(3),
                Some(3)
            ]
        );
    }

    /// Regression (Wuxi 发展和改革委员会 p14): the 项 `2199999 其他支出` printed with its 款's
    /// code `21999`, same name, same figures, is the 款's one part; two purchases of one kind
    /// with different figures stay siblings (Beijing 预算11表 `数据处理服务` twice).
    #[test]
    fn a_row_repeating_the_row_above_is_its_part() {
        let coded = |row, code: &str, name: &str, yuan| LineItem {
            item_level: Some(match code.len() {
                3 => Level::Class,
                5 => Level::Section,
                _ => Level::Item,
            }),
            classification: Some(Classification::Function),
            ..figure(row, Some(code), name, yuan)
        };
        let items = [
            coded(1, "219", "援助其他地区支出", 502),
            coded(2, "21999", "其他支出", 502),
            coded(3, "21999", "其他支出", 502),
            coded(4, "2210201", "数据处理服务", 10),
            coded(5, "2210201", "数据处理服务", 56),
        ];
        assert_eq!(
            ranks_of(&items),
            [Some(1), Some(2), Some(3), Some(3), Some(3)]
        );
    }

    /// Regression (Xi'an 应急管理局 p25): a unit's projects printed under it without a code,
    /// their descriptions beside them (`安全生产月活动/根据…`), were ranked as the units'
    /// siblings and the department summed twice; their levels are unknown (Xi'an 信访局 nests
    /// 通用项目 over its projects with no mark), so they rank as unknown.
    #[test]
    fn uncoded_projects_under_a_unit_rank_as_unknown() {
        let items = [
            figure(4, Some("125"), "西安市安全生产监督管理局", 1_000),
            figure(5, Some("125001"), "西安市安全生产监督管理局", 700),
            figure(6, None, "安全生产月活动/根据《国务院关于…》", 500),
            figure(7, None, "驻局纪检组专项经费/中共西安市纪律检查委员会…", 200),
            figure(8, Some("125002"), "西安市安全生产宣传教育中心", 300),
        ];
        let ranks = ranks_of(&items);
        assert_eq!(ranks, [Some(1), Some(2), None, None, Some(2)]);
    }
}
