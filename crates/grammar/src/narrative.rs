//! Narrative: section headings, and the figures its sentences state — total revenue and
//! expenditure, each revenue source, expenditure by function class and by use (with shares),
//! "三公" expenses and their parts, 机关运行经费, 政府采购 (goods / works / services), vehicle
//! and equipment counts, the number and funds of performance-managed projects.
//!
//! A figure is named by the nearest known phrase before it in its clause (clauses end at
//! `，；：`); a clause saying how a figure changed (`增加`, `减少`, `增长`, `下降` …) states a
//! change, not a level, and gives no fact.

use crate::amount::{parse_amount, Amount, Unit};
use crate::label::function_class_suffix;
use crate::measure::Basis;
use crate::meta::parse_unit;
use crate::text::canonical;
use crate::text::{digits, fraction, is_digit, is_numeral};
use crate::GrammarError;
use nom::branch::alt;
use nom::bytes::complete::{tag, take_while, take_while1, take_while_m_n};
use nom::character::complete::{one_of, satisfy};
use nom::combinator::{opt, recognize};
use nom::sequence::terminated;
use nom::{IResult, Parser};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::str::FromStr;

/// Phrases of the statement a table published empty carries (the 决算 template requires one:
/// `本年度没有政府性基金预算财政拨款收入和支出，故本表无数据。`).
const EMPTY_TABLE: &[&str] = &[
    "本表无数据",
    "本表为空",
    "公开空表",
    "此表为空",
    "本表无内容",
    "故此表无数据",
    "为空表",
];

/// Whether a line says its table is published empty.
pub fn states_empty_table(text: &str) -> bool {
    let t: String = canonical(text)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    EMPTY_TABLE.iter().any(|p| t.contains(p))
}

/// The title in a row of a final account's list of the tables it publishes, the row's text
/// with its spaces taken out (`表8国有资本经营预算财政拨款支出决算表是本部门不涉及故公开空表`):
/// everything up to the `表` its 是 or 否 (published empty or not) follows.
pub fn listed_table_title(row: &str) -> Option<&str> {
    let end = row.find("表是").or_else(|| row.find("表否"))?;
    Some(&row[..end + '表'.len_utf8()])
}

/// A figure a sentence states, named by a fixed key (listed with its phrases in
/// `docs/vocabulary.md`).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    strum::IntoStaticStr,
    strum::EnumString,
    strum::EnumIter,
    strum::Display,
)]
pub enum Figure {
    #[strum(serialize = "budget.total")]
    BudgetTotal,
    #[strum(serialize = "fiscal.total")]
    FiscalTotal,
    #[strum(serialize = "revenue.total")]
    RevenueTotal,
    #[strum(serialize = "expenditure.total")]
    ExpenditureTotal,
    #[strum(serialize = "revenue.fiscal")]
    RevenueFiscal,
    #[strum(serialize = "revenue.fiscal.general")]
    RevenueFiscalGeneral,
    #[strum(serialize = "revenue.fiscal.gov_fund")]
    RevenueFiscalGovFund,
    #[strum(serialize = "revenue.fiscal.state_capital")]
    RevenueFiscalStateCapital,
    #[strum(serialize = "revenue.special_account")]
    RevenueSpecialAccount,
    #[strum(serialize = "revenue.other")]
    RevenueOther,
    #[strum(serialize = "revenue.prior_carryover")]
    RevenuePriorCarryover,
    #[strum(serialize = "expenditure.basic")]
    ExpenditureBasic,
    #[strum(serialize = "expenditure.fiscal")]
    ExpenditureFiscal,
    #[strum(serialize = "expenditure.fiscal.general")]
    ExpenditureFiscalGeneral,
    #[strum(serialize = "expenditure.basic.personnel")]
    ExpenditureBasicPersonnel,
    #[strum(serialize = "expenditure.basic.public")]
    ExpenditureBasicPublic,
    #[strum(serialize = "expenditure.project")]
    ExpenditureProject,
    #[strum(serialize = "expenditure.reserve")]
    ExpenditureReserve,
    #[strum(serialize = "three_public.total")]
    ThreePublicTotal,
    #[strum(serialize = "three_public.overseas_travel")]
    ThreePublicOverseasTravel,
    #[strum(serialize = "three_public.vehicles")]
    ThreePublicVehicles,
    #[strum(serialize = "three_public.vehicles.purchase")]
    ThreePublicVehiclesPurchase,
    #[strum(serialize = "three_public.vehicles.operation")]
    ThreePublicVehiclesOperation,
    #[strum(serialize = "three_public.reception")]
    ThreePublicReception,
    #[strum(serialize = "meetings")]
    Meetings,
    #[strum(serialize = "training")]
    Training,
    #[strum(serialize = "operating_costs")]
    OperatingCosts,
    #[strum(serialize = "procurement.total")]
    ProcurementTotal,
    #[strum(serialize = "procurement.goods")]
    ProcurementGoods,
    #[strum(serialize = "procurement.services")]
    ProcurementServices,
    #[strum(serialize = "procurement.works")]
    ProcurementWorks,
    #[strum(serialize = "expenditure.gov_fund")]
    ExpenditureGovFund,
    #[strum(serialize = "performance.funds")]
    PerformanceFunds,
    #[strum(serialize = "balance.opening")]
    BalanceOpening,
    #[strum(serialize = "balance.closing")]
    BalanceClosing,
    #[strum(serialize = "count.vehicles")]
    CountVehicles,
    #[strum(serialize = "count.equipment.general")]
    CountEquipmentGeneral,
    #[strum(serialize = "count.equipment.special")]
    CountEquipmentSpecial,
    #[strum(serialize = "count.equipment.large")]
    CountEquipmentLarge,
    #[strum(serialize = "count.performance_projects")]
    CountPerformanceProjects,
}

/// Which part of a function class's spending a sentence states.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SpendingPart {
    Basic,
    Project,
}

/// What a fact measures: a figure of fixed key (`revenue.fiscal.general`,
/// `three_public.reception`, `count.vehicles` …) or a function class's spending
/// (`expenditure.function.201`, its project part `expenditure.project.function.201`). Written
/// as its dotted key.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FactKey {
    Figure(Figure),
    Function {
        part: Option<SpendingPart>,
        code: String,
    },
}

/// The dotted key.
impl std::fmt::Display for FactKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FactKey::Figure(figure) => figure.fmt(f),
            FactKey::Function { part, code } => {
                let part = match part {
                    None => "",
                    Some(SpendingPart::Basic) => "basic.",
                    Some(SpendingPart::Project) => "project.",
                };
                write!(f, "expenditure.{part}function.{code}")
            }
        }
    }
}

impl std::str::FromStr for FactKey {
    type Err = GrammarError;

    fn from_str(key: &str) -> Result<FactKey, GrammarError> {
        let function = [
            ("expenditure.function.", None),
            ("expenditure.basic.function.", Some(SpendingPart::Basic)),
            ("expenditure.project.function.", Some(SpendingPart::Project)),
        ]
        .into_iter()
        .find_map(|(prefix, part)| {
            key.strip_prefix(prefix).map(|code| FactKey::Function {
                part,
                code: code.to_string(),
            })
        });
        function
            .or_else(|| key.parse().ok().map(FactKey::Figure))
            .ok_or_else(|| GrammarError::UnknownKey(key.to_string()))
    }
}

impl Serialize for FactKey {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for FactKey {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let key = String::deserialize(d)?;
        key.parse().map_err(serde::de::Error::custom)
    }
}

/// The unit a stated figure is in: money, in the units tables print it in, or a count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FactUnit {
    Money(Unit),
    /// A count (vehicles, sets of equipment, projects).
    Count,
}

/// A count's key beside the money units' own (`yuan`, `wan_yuan`).
const COUNT: &str = "count";

impl FactUnit {
    /// The figure in yuan, exactly; none for a count.
    pub fn to_yuan(self, value: Decimal) -> Option<Decimal> {
        match self {
            FactUnit::Money(unit) => Some(unit.to_yuan(value)),
            FactUnit::Count => None,
        }
    }
}

/// The key the dataset writes: the money unit's key, or `count`.
impl From<&FactUnit> for &'static str {
    fn from(unit: &FactUnit) -> &'static str {
        match unit {
            FactUnit::Money(unit) => unit.into(),
            FactUnit::Count => COUNT,
        }
    }
}

impl FromStr for FactUnit {
    type Err = GrammarError;

    fn from_str(key: &str) -> Result<FactUnit, GrammarError> {
        if key == COUNT {
            return Ok(FactUnit::Count);
        }
        key.parse()
            .map(FactUnit::Money)
            .map_err(|_| GrammarError::UnknownKey(key.to_string()))
    }
}

impl Serialize for FactUnit {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.into())
    }
}

impl<'de> Deserialize<'de> for FactUnit {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let key = String::deserialize(d)?;
        key.parse().map_err(serde::de::Error::custom)
    }
}

/// One figure stated in the narrative.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fact {
    pub key: FactKey,
    /// The phrase that named it, as printed (canonical).
    pub name: String,
    pub value: Decimal,
    pub unit: FactUnit,
    /// The share stated with it (`占 34.5%`), in percent.
    pub share: Option<Decimal>,
    /// The figure of the year the sentence says it is (`决算为…`: final; `完成预算…`,
    /// `年初预算数为…`: budget); none where it does not say (the document's own).
    pub basis: Option<Basis>,
    /// A final figure's completion of its budget as stated (`完成预算 0.20 万元的 80%`), in
    /// percent.
    pub completion: Option<Decimal>,
    /// The sentence it was read from.
    pub sentence: String,
}

/// A section heading (`一、部门概况`, `（一）收入预算`, `1.按支出功能分类`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Heading {
    /// 1 for `一、`/`第一部分`, 2 for `（一）`, 3 for `1.`.
    pub level: u8,
    pub text: String,
}

/// Phrases naming figures, longest first when several match at one place.
pub(crate) const PHRASES: &[(&str, Figure)] = &[
    ("收支总预算", Figure::BudgetTotal),
    ("收支预算总计", Figure::BudgetTotal),
    ("财政拨款收支总预算", Figure::FiscalTotal),
    ("收入预算总额", Figure::RevenueTotal),
    ("收入预算总计", Figure::RevenueTotal),
    ("本年收入预算合计", Figure::RevenueTotal),
    ("收入预算", Figure::RevenueTotal),
    ("支出预算总额", Figure::ExpenditureTotal),
    ("支出预算总计", Figure::ExpenditureTotal),
    ("本年支出预算合计", Figure::ExpenditureTotal),
    ("支出预算", Figure::ExpenditureTotal),
    ("财政拨款收入预算总计", Figure::RevenueFiscal),
    ("财政拨款收入", Figure::RevenueFiscal),
    ("一般公共预算拨款收入", Figure::RevenueFiscalGeneral),
    ("一般公共预算财政拨款收入", Figure::RevenueFiscalGeneral),
    ("政府性基金预算财政拨款收入", Figure::RevenueFiscalGovFund),
    (
        "国有资本经营预算财政拨款收入",
        Figure::RevenueFiscalStateCapital,
    ),
    ("一般公共预算收入预算", Figure::RevenueFiscalGeneral),
    ("一般公共预算收入", Figure::RevenueFiscalGeneral),
    ("一般公共预算当年拨款", Figure::RevenueFiscalGeneral),
    ("政府性基金收入预算", Figure::RevenueFiscalGovFund),
    ("政府性基金收入", Figure::RevenueFiscalGovFund),
    ("政府性基金预算收入", Figure::RevenueFiscalGovFund),
    ("国有资本经营预算收入", Figure::RevenueFiscalStateCapital),
    (
        "财政专户管理资金收入预算总计",
        Figure::RevenueSpecialAccount,
    ),
    ("财政专户管理资金", Figure::RevenueSpecialAccount),
    ("其他资金收入预算总计", Figure::RevenueOther),
    ("其他资金", Figure::RevenueOther),
    ("上年结转资金预算数", Figure::RevenuePriorCarryover),
    ("上年结转资金", Figure::RevenuePriorCarryover),
    ("基本支出预算数", Figure::ExpenditureBasic),
    ("基本支出预算", Figure::ExpenditureBasic),
    ("财政拨款支出预算", Figure::ExpenditureFiscal),
    ("一般公共预算支出预算", Figure::ExpenditureFiscalGeneral),
    ("基本支出", Figure::ExpenditureBasic),
    ("人员支出", Figure::ExpenditureBasicPersonnel),
    ("人员经费", Figure::ExpenditureBasicPersonnel),
    ("日常公用支出", Figure::ExpenditureBasicPublic),
    ("公用经费", Figure::ExpenditureBasicPublic),
    ("项目支出预算数", Figure::ExpenditureProject),
    ("项目支出预算", Figure::ExpenditureProject),
    ("项目支出", Figure::ExpenditureProject),
    ("单位预留机动经费预算", Figure::ExpenditureReserve),
    ("单位预留机动经费", Figure::ExpenditureReserve),
    ("“三公”经费支出预算", Figure::ThreePublicTotal),
    ("\"三公\"经费支出预算", Figure::ThreePublicTotal),
    ("三公经费支出预算", Figure::ThreePublicTotal),
    ("“三公”经费", Figure::ThreePublicTotal),
    ("\"三公\"经费", Figure::ThreePublicTotal),
    ("三公经费", Figure::ThreePublicTotal),
    ("因公出国(境)费用", Figure::ThreePublicOverseasTravel),
    ("因公出国(境)费", Figure::ThreePublicOverseasTravel),
    ("公务用车购置及运行维护费预算", Figure::ThreePublicVehicles),
    ("公务用车购置及运行维护费", Figure::ThreePublicVehicles),
    ("公务用车购置及运行费", Figure::ThreePublicVehicles),
    ("公务用车购置支出", Figure::ThreePublicVehiclesPurchase),
    ("公务用车购置费", Figure::ThreePublicVehiclesPurchase),
    (
        "公务用车运行维护费支出",
        Figure::ThreePublicVehiclesOperation,
    ),
    ("公务用车运行维护费", Figure::ThreePublicVehiclesOperation),
    ("公务接待费预算", Figure::ThreePublicReception),
    ("公务接待费", Figure::ThreePublicReception),
    ("会议费", Figure::Meetings),
    ("培训费", Figure::Training),
    ("机关运行经费财政拨款预算", Figure::OperatingCosts),
    ("机关运行经费支出预算", Figure::OperatingCosts),
    ("机关运行经费", Figure::OperatingCosts),
    ("政府采购预算总额", Figure::ProcurementTotal),
    ("政府采购预算总金额", Figure::ProcurementTotal),
    ("货物类政府采购支出预算", Figure::ProcurementGoods),
    ("服务类政府采购支出预算", Figure::ProcurementServices),
    ("工程类政府采购支出预算", Figure::ProcurementWorks),
    ("政府采购支出预算总额", Figure::ProcurementTotal),
    ("政府采购支出预算", Figure::ProcurementTotal),
    ("政府性基金支出预算", Figure::ExpenditureGovFund),
    ("政府性基金预算支出", Figure::ExpenditureGovFund),
    ("政府采购货物预算", Figure::ProcurementGoods),
    ("政府采购工程预算", Figure::ProcurementWorks),
    ("政府采购服务预算", Figure::ProcurementServices),
    ("当年资金安排", Figure::PerformanceFunds),
    // A final account's balances: named so that no fund phrase earlier in the sentence takes
    // their figures.
    ("年初结转和结余", Figure::BalanceOpening),
    ("年末结转和结余", Figure::BalanceClosing),
];

/// Words before a phrase that make it part of a figure, not the figure it names:
/// `上年结转结余的一般公共预算收入` is carried over, not the year's 一般公共预算收入;
/// `上级专项转移支付支出预算` is one source of the spending, not all of it.
const QUALIFIERS: &[&str] = &[
    "上年结转结余的",
    "上年结转的",
    "上年结余的",
    "结转结余的",
    "转移支付",
];

/// Counts: the phrase, its measure word, and the key.
pub(crate) const COUNTS: &[(&str, &str, Figure)] = &[
    ("共有车辆", "辆", Figure::CountVehicles),
    ("通用设备", "台", Figure::CountEquipmentGeneral),
    ("专用设备", "台", Figure::CountEquipmentSpecial),
    ("大型设备", "台", Figure::CountEquipmentLarge),
    ("共涉及", "个项目", Figure::CountPerformanceProjects),
];

/// A rate as printed before `%`, `80`, `95.5`: `(\d+(?:\.\d+)?)%`. Each part taken whole is
/// what the regex matched: giving any of it back leaves a digit or `.` next, never `%`.
fn rate(i: &str) -> IResult<&str, &str> {
    terminated(recognize((digits, opt(fraction))), tag("%")).parse(i)
}

/// A sum a clause states, `1,506.81万元`: where it stands in the clause, and its figure and
/// unit for `parse_amount` and `parse_unit` to read.
struct Sum<'a> {
    start: usize,
    end: usize,
    number: &'a str,
    unit: &'a str,
}

/// The characters of a sum's figure after its first digit: `[\d,]`.
fn digit_or_comma(c: char) -> bool {
    is_digit(c) || c == ','
}

/// A sum at the start of `i`, `\d[\d,]*(?:\.\d+)?` then `万元` or `元`, its figure and unit.
/// As in [`rate`], each part taken whole is what the regex matched: giving any of it back
/// leaves a digit, `,` or `.` next, never a unit.
fn sum(i: &str) -> IResult<&str, (&str, &str)> {
    (
        recognize((satisfy(is_digit), take_while(digit_or_comma), opt(fraction))),
        alt((tag("万元"), tag("元"))),
    )
        .parse(i)
}

/// The sums of a clause, left to right and none overlapping: by hand what the regex
/// `(\d[\d,]*(?:\.\d+)?)(万元|元)` found (`captures_iter`: each search from the last match's
/// end). Where no sum starts at a digit, none starts at the digits and commas after it (their
/// figures end where its does), so the search goes on past them: each character is read a
/// few times at most, linear.
fn sums(clause: &str) -> impl Iterator<Item = Sum<'_>> {
    let mut from = 0;
    std::iter::from_fn(move || {
        while let Some(d) = clause[from..].find(is_digit) {
            let at = &clause[from + d..];
            match sum(at) {
                Ok((rest, (number, unit))) => {
                    let start = from + d;
                    from = clause.len() - rest.len();
                    return Some(Sum {
                        start,
                        end: from,
                        number,
                        unit,
                    });
                }
                Err(_) => from = clause.len() - at.trim_start_matches(digit_or_comma).len(),
            }
        }
        None
    })
}

/// The share a clause states, `占 34.5%`, `占比8.6%`: by hand what the regex
/// `占[^，。；%]{0,12}?(\d+(?:\.\d+)?)%` captured first. After the first `占` where one is
/// found, the shortest gap of at most 12 characters, none of them `，。；%`, that a rate
/// follows (a gap may hold digits: `占1a2%` is 2). Each `占` tries at most 13 gaps, each read
/// as far as its digits run: O(n·k) on a clause, k small.
fn share(clause: &str) -> Option<&str> {
    clause.match_indices('占').find_map(|(at, z)| {
        let gaps = std::iter::successors(Some(&clause[at + z.len()..]), |gap| {
            let mut rest = gap.chars();
            let c = rest.next()?;
            (!matches!(c, '，' | '。' | '；' | '%')).then_some(rest.as_str())
        });
        gaps.take(13)
            .find_map(|rest| rate(rest).ok().map(|(_, r)| r))
    })
}

/// Words of a clause stating how a figure changed.
const CHANGE_WORDS: &[&str] = &[
    "增加",
    "减少",
    "增长",
    "下降",
    "持平",
    "上升",
    "降低",
    "增幅",
    "减幅",
    "相比",
    "比上年",
    "较上年",
    "与上年",
];

/// `比2020年`: a comparison with a year.
fn than_year(i: &str) -> IResult<&str, &str> {
    recognize((tag("比"), take_while_m_n(4, 4, is_digit), tag("年"))).parse(i)
}

/// Whether a clause states how a figure changed: one of [`CHANGE_WORDS`] or [`than_year`] in
/// it, by hand what the regex `增加|减少|…|比\d{4}年|与上年` matched.
fn states_change(clause: &str) -> bool {
    CHANGE_WORDS.iter().any(|w| clause.contains(w))
        || clause
            .match_indices('比')
            .any(|(at, _)| than_year(&clause[at..]).is_ok())
}

/// The words ending `before` (a clause up to a figure) that make the figure a budget stated
/// beside a final one, `完成预算 0.20 万元`, `完成年初预算 5 万元`, `年初预算数为 90 万元`: by
/// hand what the regex `(完成(年初|全年|调整)?预算数?|(年初|全年|调整)预算数?为?)$` found.
/// Read back from the end, where the match must end; each part ends in a character of its
/// own, so there is one way to strip them, and the longest match is the leftmost.
fn of_budget(before: &str) -> Option<&str> {
    let (rest, stated) = match before.strip_suffix('为') {
        Some(rest) => (rest, true),
        None => (before, false),
    };
    let rest = rest.strip_suffix('数').unwrap_or(rest);
    let rest = rest.strip_suffix("预算")?;
    let qualified = ["年初", "全年", "调整"]
        .iter()
        .find_map(|q| rest.strip_suffix(q));
    let start = match (qualified, stated) {
        // `为` follows only a qualified budget, never `完成`.
        (Some(q), true) => q,
        (Some(q), false) => q.strip_suffix("完成").unwrap_or(q),
        (None, false) => rest.strip_suffix("完成")?,
        (None, true) => return None,
    };
    Some(&before[start.len()..])
}

/// A heading's numbering at the start of a line, `第一部分`, `一、`, `(一)`, `1.`, `12、`: by
/// hand what the regex `^(第[一…十]+部分|[一…十]+、|\([一…十]+\)|\d{1,2}[.、])` found. Its
/// alternatives start with different characters, and what stops a run of numerals or digits
/// is never one, so taking each run whole is what the regex matched.
fn heading_numbering(i: &str) -> IResult<&str, &str> {
    let numerals = || take_while1(is_numeral);
    alt((
        recognize((tag("第"), numerals(), tag("部分"))),
        recognize((numerals(), tag("、"))),
        recognize((tag("("), numerals(), tag(")"))),
        recognize((take_while_m_n(1, 2, is_digit), one_of(".、"))),
    ))
    .parse(i)
}

/// The rate of a final figure's completion of its budget, `完成预算0.20万元的80%`,
/// `完成年初预算的95.5%`: by hand what the regex `完成[^,;。%]*?预算[^,;。%]*?的(\d+(?:\.\d+)?)%`
/// captured first (146 µs to compile, paid by every process). From the first `完成` where
/// one is found, the first `预算` and then the first `的` followed by a rate, neither gap
/// running past `,`, `;`, `。` or `%`. Within one stretch up to such a stop only the first
/// `完成` and its first `预算` need trying (a later one has fewer `的` after it), so a
/// stretch is read once: linear, as the regex was, on any clause.
fn completion(clause: &str) -> Option<&str> {
    let mut rest = clause;
    loop {
        let after = &rest[rest.find("完成")? + "完成".len()..];
        let stop = after.find([',', ';', '。', '%']).unwrap_or(after.len());
        if let Some(b) = after[..stop].find("预算") {
            let from = b + "预算".len();
            let found = after[from..stop]
                .match_indices('的')
                .find_map(|(d, of)| rate(&after[from + d + of.len()..]).ok());
            if let Some((_, r)) = found {
                return Some(r);
            }
        }
        rest = &after[stop..];
    }
}

/// The phrase naming the figure at the end of `before` (a clause up to the figure), if any.
fn name_before(before: &str) -> Option<(String, FactKey)> {
    // A function class stated as `一般公共服务支出`, `一般公共服务（类）支出` or `…支出（类）`.
    let trimmed = before.trim_end_matches(|c: char| !c.is_alphanumeric() && c != ')');
    if let Some((phrase, code)) = function_class_suffix(trimmed) {
        let code = code.to_string();
        return Some((phrase, FactKey::Function { part: None, code }));
    }
    let (at, phrase, key) = PHRASES
        .iter()
        .filter_map(|(p, key)| before.rfind(&canonical(p)).map(|at| (at, p, key)))
        .max_by_key(|(at, p, _)| (*at + canonical(p).len(), canonical(p).len()))?;
    let qualified = QUALIFIERS.iter().any(|q| before[..at].ends_with(q));
    (!qualified).then(|| (canonical(phrase), FactKey::Figure(*key)))
}

/// Function classes listed after a basic or project spending figure
/// (`项目支出预算 417.41 万元，…，其中：一般公共服务支出 417.41 万元`) are that spending's
/// parts, keyed `expenditure.project.function.<code>`; the list runs on over the next
/// sentences while they state only function classes, and ends at a heading.
struct SpendingParts {
    spending: Option<SpendingPart>,
}

impl SpendingParts {
    fn key(&mut self, sentence: &str, facts: &mut [Fact]) {
        if heading_numbering(sentence).is_ok() {
            self.spending = None;
        }
        for f in facts {
            if let FactKey::Function { part, .. } = &mut f.key {
                *part = self.spending;
                continue;
            }
            self.spending = match f.key {
                FactKey::Figure(Figure::ExpenditureBasic) => Some(SpendingPart::Basic),
                FactKey::Figure(Figure::ExpenditureProject) => Some(SpendingPart::Project),
                _ => None,
            }
            .filter(|_| {
                let named = sentence.find(&f.name);
                named.is_some_and(|at| sentence[at..].contains("其中"))
            });
        }
    }
}

/// Splits canonical text into sentences (`。`), keeping their clause punctuation.
fn sentences(text: &str) -> impl Iterator<Item = &str> {
    text.split_inclusive('。')
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// The facts stated in a stretch of narrative (lines joined; wraps do not matter).
pub fn facts(text: &str) -> Vec<Fact> {
    let text = canonical(text);
    let mut out = Vec::new();
    let mut parts = SpendingParts { spending: None };
    for sentence in sentences(&text) {
        let first = out.len();
        let chars: Vec<(usize, char)> = sentence.char_indices().collect();
        let mut clause_start = 0;
        // Whether the clause before stated a fact (a budget figure `完成预算…` is its).
        let mut stated_before = false;
        for (k, &(i, ch)) in chars.iter().enumerate() {
            let end = i + ch.len_utf8();
            // NFKC made `，` a `,`: one between digits groups thousands and ends no clause.
            let digit = |j: Option<&(usize, char)>| j.is_some_and(|(_, c)| c.is_ascii_digit());
            let grouping = ch == ','
                && digit(k.checked_sub(1).and_then(|p| chars.get(p)))
                && digit(chars.get(k + 1));
            let ends = matches!(ch, ',' | ';' | ':' | '。') && !grouping;
            if !ends && end != sentence.len() {
                continue;
            }
            let clause = &sentence[clause_start..end];
            clause_start = end;
            let before = out.len();
            clause_facts(clause, sentence, stated_before, &mut out);
            stated_before = out.len() > before;
            // `…506.81 万元，占 100%`: a share standing alone belongs to the figure before it.
            if out.len() == before && sums(clause).next().is_none() {
                if let (Some(share), Some(last)) = (share_in(clause), out.last_mut()) {
                    if last.sentence == sentence && last.share.is_none() {
                        last.share = Some(share);
                    }
                }
            }
        }
        parts.key(sentence, &mut out[first..]);
    }
    out
}

fn share_in(clause: &str) -> Option<Decimal> {
    share(clause).and_then(|s| Decimal::from_str(s).ok())
}

fn clause_facts(clause: &str, sentence: &str, stated_before: bool, out: &mut Vec<Fact>) {
    let first = out.len();
    if states_change(clause) {
        return;
    }
    let share = share_in(clause);
    let mut last_end = 0;
    for sum in sums(clause) {
        let before = &clause[last_end..sum.start];
        last_end = sum.end;
        // `决算为0.16万元,完成预算0万元的0%`: the budget figure of the fact just stated.
        let budget_word = of_budget(before.trim_end());
        let budget_of = budget_word
            .filter(|_| stated_before || out.len() > first)
            .and_then(|_| out.last().filter(|f| f.sentence == sentence))
            .map(|f| (f.name.clone(), f.key.clone()));
        let stated_basis = match budget_word {
            Some(w) if budget_of.is_some() && (w.contains("调整") || w.contains("全年")) => {
                Some(Basis::AdjustedBudget)
            }
            Some(_) if budget_of.is_some() => Some(Basis::Budget),
            _ if clause.contains("决算") => Some(Basis::Final),
            _ => None,
        };
        let Some((name, key)) = budget_of.or_else(|| name_before(before)) else {
            continue;
        };
        // The figure and its unit as the amount grammar reads them in a table; the pattern
        // only finds where they stand in the clause.
        let (
            Ok(Some(Amount {
                value,
                percent: false,
            })),
            Some(unit),
        ) = (parse_amount(sum.number), parse_unit(sum.unit))
        else {
            continue;
        };
        let unit = FactUnit::Money(unit);
        // `单位价值50万元以上` is a threshold, not a figure.
        if clause[sum.end..].starts_with("以上") {
            continue;
        }
        out.push(Fact {
            key,
            name,
            value,
            unit,
            share,
            basis: stated_basis,
            completion: None,
            sentence: sentence.to_string(),
        });
    }
    // `完成预算0万元的0%`: the completion of the final figure stated before it.
    if let Some(rate) = completion(clause).and_then(|r| Decimal::from_str(r).ok()) {
        if let Some(f) = out
            .iter_mut()
            .rev()
            .find(|f| f.sentence == sentence && f.basis != Some(Basis::Budget))
        {
            f.completion = Some(rate);
        }
    }
    for (phrase, word, key) in COUNTS {
        let Some(at) = clause.find(phrase) else {
            continue;
        };
        let rest = &clause[at + phrase.len()..];
        let digits: String = rest
            .chars()
            .skip_while(|c| !c.is_ascii_digit())
            .take_while(|c| c.is_ascii_digit())
            .collect();
        let follows = rest
            .find(&digits)
            .map(|p| rest[p + digits.len()..].starts_with(word))
            .unwrap_or(false);
        if let (false, true, Ok(value)) = (digits.is_empty(), follows, Decimal::from_str(&digits)) {
            out.push(Fact {
                key: FactKey::Figure(*key),
                name: phrase.to_string(),
                value,
                unit: FactUnit::Count,
                share: None,
                basis: None,
                completion: None,
                sentence: sentence.to_string(),
            });
        }
    }
}

/// A line that is a section heading: a numbering prefix and a short text without a figure.
pub fn heading(line: &str) -> Option<Heading> {
    let t = canonical(line);
    let (_, numbering) = heading_numbering(&t).ok()?;
    let level = if numbering.starts_with('第')
        || numbering.ends_with('、') && !numbering.starts_with(|c: char| c.is_ascii_digit())
    {
        1
    } else if numbering.starts_with('(') {
        2
    } else {
        3
    };
    let short = t.chars().count() <= 30 && sums(&t).next().is_none() && !t.ends_with('。');
    short.then(|| Heading {
        level,
        text: t.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::{assert_reads_as_regex, pattern, strings};

    #[test]
    fn fact_units_keep_their_keys() {
        // The dataset's `unit` column: the money units' keys, and `count`.
        for (unit, key) in [
            (FactUnit::Money(Unit::WanYuan), "wan_yuan"),
            (FactUnit::Money(Unit::Yuan), "yuan"),
            (FactUnit::Count, "count"),
        ] {
            assert_eq!(<&str>::from(&unit), key);
            assert_eq!(key.parse::<FactUnit>(), Ok(unit));
            assert_eq!(
                serde_json::to_string(&unit).ok(),
                Some(format!("\"{key}\""))
            );
        }
        assert!("万元".parse::<FactUnit>().is_err());
    }

    /// A clause of many `完成预算的` and no rate (review of session 8): the reading is None, as
    /// the regex's, and each stretch is read once (the first version tried every `完成`,
    /// `预算` and `的` in turn: some 10⁹ tries for this clause).
    #[test]
    fn a_long_clause_without_a_rate_has_no_completion() {
        let clause = "完成预算的".repeat(2_000);
        assert_eq!(completion(&clause), None);
        assert_eq!(completion(&format!("{clause}80%")), Some("80"));
    }

    /// `completion` captures what the regex did: 200,000 generated clauses and edge cases.
    #[test]
    fn completion_as_the_regex_read_it() {
        let re = pattern(r"完成[^,;。%]*?预算[^,;。%]*?的(\d+(?:\.\d+)?)%");
        let clauses = crate::text::strings(
            &[
                "",
                "完成预算0.20万元的80%",
                "完成年初预算的95.5%",
                "完成预算的的80%",
                "完成预算的x的80%",
                "完成预算的80.%的90%",
                "完成预算的1.5.3%",
                "完成预算的８０%",
                "完成,预算的80%",
                "完成预算,的80%",
                "完成完成预算的80%",
                "完成预算的80完成预算的90%",
                "预算的80%完成预算的90%",
                "完成预算\n的80%",
                "完成预算的%",
            ],
            &[
                "完成",
                "预算",
                "的",
                "完",
                "成",
                "预",
                "算",
                "1",
                "0",
                "9",
                "５",
                "０",
                ".",
                "%",
                ",",
                ";",
                "。",
                "，",
                "万元",
                "年初",
                "\n",
                " ",
                "的80%",
                "完成预算",
            ],
        );
        assert_reads_as_regex(
            &clauses,
            completion,
            |c| re.captures(c).and_then(|m| m.get(1)).map(|m| m.as_str()),
            Option::is_some,
        );
    }

    /// Where `part`, a slice of `text`, stands in it.
    fn range(text: &str, part: &str) -> std::ops::Range<usize> {
        let start = part.as_ptr() as usize - text.as_ptr() as usize;
        start..start + part.len()
    }

    /// `sums` finds what the regex's `captures_iter` did, each match's place and groups:
    /// 200,000 generated clauses and edge cases.
    #[test]
    fn money_as_the_regex_read_it() {
        let re = pattern(r"(\d[\d,]*(?:\.\d+)?)(万元|元)");
        let clauses = strings(
            &[
                "",
                "元",
                "万元",
                "1元",
                "1万元",
                "1万 元",
                "12万",
                "1,506.81万元",
                "1,,2,元",
                ",1元",
                "1.元",
                ".5元",
                "1.5.5元",
                "1.2.3万元",
                "1,2.3,4万元",
                "１２．５元",
                "１２.５万元",
                "1元2元",
                "1元元3万元万元",
                "50万元以上1元",
                "a1.b2元",
            ],
            &[
                "1", "0", "9", "５", "０", ",", ".", "元", "万元", "万", "以上", " ", "a", "占",
                "，", "\n", "1,506.81",
            ],
        );
        assert_reads_as_regex(
            &clauses,
            |c| {
                sums(c)
                    .map(|s| (s.start..s.end, s.number, s.unit))
                    .collect::<Vec<_>>()
            },
            |c| {
                re.captures_iter(c)
                    .filter_map(|m| {
                        Some((m.get(0)?.range(), m.get(1)?.as_str(), m.get(2)?.as_str()))
                    })
                    .collect()
            },
            |found| !found.is_empty(),
        );
    }

    /// `share` captures what the regex did, where it did: 200,000 generated clauses and edge
    /// cases.
    #[test]
    fn share_as_the_regex_read_it() {
        let re = pattern(r"占[^，。；%]{0,12}?(\d+(?:\.\d+)?)%");
        let twelve = format!("占{}5%", "一".repeat(12));
        let thirteen = format!("占{}5%", "一".repeat(13));
        let digits_in_gap = format!("占{}5%", "1a".repeat(7));
        let clauses = strings(
            &[
                "",
                "占5%",
                "占0%",
                "占 34.5%",
                "占比8.6%",
                "占１０%",
                "占1.%",
                "占.5%",
                "占1.2.3%",
                "占1a2%",
                "占12345%",
                &twelve,
                &thirteen,
                &digits_in_gap,
                "占，5%",
                "占。5%",
                "占；5%",
                "占%5%",
                "占,5%",
                "占;5%",
                "占占5%",
                "占一二三四五六七八九十一二三占5%",
                "5%占",
                "占5",
                "占\n5%",
            ],
            &[
                "占", "占比", "1", "0", "9", "５", ".", "%", "，", "。", "；", ",", "a", "支出",
                "万元", " ", "\n", "5%", "34.5%",
            ],
        );
        assert_reads_as_regex(
            &clauses,
            |c| share(c).map(|s| range(c, s)),
            |c| re.captures(c).and_then(|m| m.get(1)).map(|m| m.range()),
            Option::is_some,
        );
    }

    /// `states_change` matches where the regex did: 200,000 generated clauses and edge cases.
    #[test]
    fn change_as_the_regex_read_it() {
        let re = pattern(
            r"增加|减少|增长|下降|持平|上升|降低|增幅|减幅|相比|比上年|较上年|比\d{4}年|与上年",
        );
        let mut cases = CHANGE_WORDS.to_vec();
        cases.extend([
            "",
            "比2020年",
            "比２０２０年",
            "比202年",
            "比20201年",
            "比 2020年",
            "比比2020年",
            "比上",
            "较上年度",
            "增 加",
            "上年",
        ]);
        let clauses = strings(
            &cases,
            &[
                "增", "加", "减", "少", "长", "下", "降", "持", "平", "上", "升", "低", "幅", "相",
                "比", "较", "与", "年", "上年", "2", "0", "２", "a", "，", "万元",
            ],
        );
        assert_reads_as_regex(&clauses, states_change, |c| re.is_match(c), |m| *m);
    }

    /// `of_budget` finds what the regex did, where it did: 200,000 generated clauses and
    /// edge cases.
    #[test]
    fn of_budget_as_the_regex_read_it() {
        let re = pattern(r"(完成(年初|全年|调整)?预算数?|(年初|全年|调整)预算数?为?)$");
        let clauses = strings(
            &[
                "",
                "预算",
                "完成预算",
                "完成预算数",
                "完成年初预算数",
                "完成全年预算",
                "完成调整预算数",
                "年初预算数为",
                "全年预算为",
                "调整预算",
                "完成预算为",
                "完成预算数为",
                "完成年初预算为",
                "完成预算数数",
                "预算数为",
                "完成完成预算",
                "年初年初预算",
                "调整完成预算",
                "完成预算 ",
                "完成预算\n",
                "决算为0.16万元,完成预算",
            ],
            &[
                "完成",
                "预算",
                "数",
                "为",
                "年初",
                "全年",
                "调整",
                "完",
                "成",
                "预",
                "算",
                "年",
                "初",
                "整",
                "a",
                " ",
                "\n",
                "完成预算",
                "年初预算数为",
            ],
        );
        assert_reads_as_regex(
            &clauses,
            |c| of_budget(c).map(|w| range(c, w)),
            |c| re.find(c).map(|m| m.range()),
            Option::is_some,
        );
    }

    /// `heading_numbering` finds what the regex did: 200,000 generated lines and edge cases.
    #[test]
    fn heading_numbering_as_the_regex_read_it() {
        let re = pattern(
            r"^(第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+、|\([一二三四五六七八九十]+\)|\d{1,2}[.、])",
        );
        let lines = strings(
            &[
                "",
                "一、部门概况",
                "十一、",
                "一",
                "一.",
                "(一)主要职能",
                "(十)",
                "()",
                "(一",
                "（一）",
                "第二部分",
                "第一二部分x",
                "第部分",
                "第一部",
                "1.",
                "12、",
                "123.",
                "１.",
                "1",
                "1.5万元",
                "a1.",
            ],
            &[
                "第",
                "部分",
                "一",
                "二",
                "十",
                "、",
                "(",
                ")",
                "（",
                "）",
                "1",
                "0",
                "１",
                ".",
                "a",
                "部门",
                " ",
                "\n",
                "第一部分",
                "一、",
                "(一)",
                "1.",
            ],
        );
        assert_reads_as_regex(
            &lines,
            |l| heading_numbering(l).ok().map(|(_, n)| range(l, n)),
            |l| re.find(l).map(|m| m.range()),
            Option::is_some,
        );
    }

    /// Foshan 2019 决算, p27: a final figure, its budget and the completion stated together.
    #[test]
    fn final_account_sentences() {
        let f = facts(
            "佛山市轨道交通局2019年度“三公”经费财政拨款支出决算为0.16万元，完成预算0.20万元的80%。",
        );
        let got: Vec<_> = f
            .iter()
            .map(|f| (f.key.clone(), f.value.to_string(), f.basis, f.completion))
            .collect();
        assert_eq!(
            got,
            [
                (
                    FactKey::Figure(Figure::ThreePublicTotal),
                    "0.16".to_string(),
                    Some(Basis::Final),
                    Some(Decimal::from(80))
                ),
                (
                    FactKey::Figure(Figure::ThreePublicTotal),
                    "0.20".to_string(),
                    Some(Basis::Budget),
                    None
                ),
            ]
        );
        // A budget figure after a final one the grammar does not name is no one's.
        let f = facts("其中:公务用车购置支出决算为0万元,完成预算0万元的0%;未知费用支出决算为1万元,完成预算2万元的50%。");
        assert_eq!(f.len(), 2, "{f:?}");
        let f = facts("机关运行经费支出97.19万元，年初预算数为90.00万元。");
        assert_eq!(f[1].basis, Some(Basis::Budget));
        assert_eq!(f[1].key, FactKey::Figure(Figure::OperatingCosts));
    }

    #[test]
    fn empty_table_statements() {
        assert!(states_empty_table(
            "本年度没有政府性基金预算财政拨款收入和支出，故本表无数据。"
        ));
        assert!(states_empty_table("本部门不涉及故公开空表"));
        assert!(states_empty_table("注：本表为空表。"));
        assert!(!states_empty_table(
            "注：本表反映部门本年度取得的各项收入情况。"
        ));
        assert!(!states_empty_table(
            "本表金额转换为万元时，因四舍五入可能存在尾差。"
        ));
    }

    fn keyed(text: &str) -> Vec<(String, String, Option<String>)> {
        facts(text)
            .into_iter()
            .map(|f| {
                (
                    f.key.to_string(),
                    f.value.to_string(),
                    f.share.map(|s| s.to_string()),
                )
            })
            .collect()
    }

    fn k(key: &str, value: &str) -> (String, String, Option<String>) {
        (key.into(), value.into(), None)
    }

    /// Every key reads back as itself: the dataset's `facts.key` is the one spelling.
    #[test]
    fn fact_keys_round_trip() {
        use strum::IntoEnumIterator;
        for figure in Figure::iter() {
            let key = FactKey::Figure(figure);
            assert_eq!(key.to_string().parse::<FactKey>().ok(), Some(key));
        }
        for key in [
            "expenditure.function.201",
            "expenditure.basic.function.208",
            "expenditure.project.function.2010301",
        ] {
            assert_eq!(
                key.parse::<FactKey>()
                    .map(|k| k.to_string())
                    .ok()
                    .as_deref(),
                Some(key)
            );
        }
        assert!(
            "revenue.fiscal.genral".parse::<FactKey>().is_err(),
            "a misspelt key"
        );
    }

    /// Changsha 公安局 (97cc4d4f p9): the function classes listed under the project spending
    /// are its parts, over two sentences, until the next heading.
    #[test]
    fn function_classes_listed_under_a_spending_are_its_parts() {
        assert_eq!(
            keyed("（二）项目支出：2025 年本单位项目支出预算 40233.95 万元，主要是单位为完成特定行政工作任务而发生的支出，其中：一般公共服务支出 3.00 万元，主要用于我局派驻纪检监察组办公经费等方面。公共安全支出 40230.95 万元，主要用于警务辅助人员经费。五、政府性基金预算支出。公共安全支出 68629.12 万元。"),
            vec![
                k("expenditure.project", "40233.95"),
                k("expenditure.project.function.201", "3.00"),
                k("expenditure.project.function.204", "40230.95"),
                k("expenditure.function.204", "68629.12"),
            ]
        );
        assert_eq!(
            keyed("项目支出 288.38 万元，占 56.9%。一般公共服务支出 462.11 万元。"),
            vec![
                (
                    "expenditure.project".into(),
                    "288.38".into(),
                    Some("56.9".into())
                ),
                k("expenditure.function.201", "462.11"),
            ],
            "without 其中 no list follows"
        );
    }

    /// Suzhou 审计局 (566b0189 p24), Shenzhen 医疗保障局 (726f59ca p13).
    #[test]
    fn qualified_phrases_name_no_fact() {
        assert_eq!(
            keyed("本年一般公共预算收入 4,651.67 万元，占 100%；上年结转结余的一般公共预算收入 0 万元，占 0%；"),
            vec![("revenue.fiscal.general".into(), "4651.67".into(), Some("100".into()))]
        );
        assert_eq!(
            keyed("本单位上级专项转移支付支出预算为 1,047.61 万元。"),
            vec![]
        );
    }

    #[test]
    fn stated_money_reads_as_a_printed_amount() {
        // Grouped thousands as a table prints them; a grouping no table prints is no figure.
        assert_eq!(
            keyed("市大数据局 2021 年收支总预算 1,506.81 万元。"),
            vec![k("budget.total", "1506.81")]
        );
        assert_eq!(keyed("市大数据局 2021 年收支总预算 1,50 万元。"), vec![]);
        let facts = facts("收支总预算 2,000 元。");
        assert_eq!(
            facts.first().map(|f| f.unit),
            Some(FactUnit::Money(Unit::Yuan))
        );
    }

    #[test]
    fn zhejiang_seed_sentences() {
        assert_eq!(
            keyed("市大数据局 2021 年收支总预算 506.81 万元。"),
            vec![k("budget.total", "506.81")]
        );
        assert_eq!(
            keyed("市大数据局 2021 年收入预算 506.81 万元，其中：一般公共预算拨款收入 506.81 万元，占 100%。"),
            vec![k("revenue.total", "506.81"), ("revenue.fiscal.general".into(), "506.81".into(), Some("100".into()))]
        );
        assert_eq!(
            keyed("1. 按支出功能分类，包括一般公共服务支出 462.11 万元、住房保障支出 24.49 万元，社会保障和就业支出 20.21 万元。"),
            vec![k("expenditure.function.201", "462.11"), k("expenditure.function.221", "24.49"), k("expenditure.function.208", "20.21")]
        );
        assert_eq!(
            keyed("2. 按支出用途分类，包括人员支出 174.88 万元，占 34.5%；日常公用支出 43.55 万元，占 8.6%；项目支出 288.38 万元，占 56.9%。"),
            vec![
                ("expenditure.basic.personnel".into(), "174.88".into(), Some("34.5".into())),
                ("expenditure.basic.public".into(), "43.55".into(), Some("8.6".into())),
                ("expenditure.project".into(), "288.38".into(), Some("56.9".into()))
            ],
            "each share stands in the clause after its figure"
        );
        assert_eq!(
            keyed("一般公共服务支出（类）462.11 万元，占 91.2 %；"),
            vec![(
                "expenditure.function.201".into(),
                "462.11".into(),
                Some("91.2".into())
            )]
        );
        assert_eq!(keyed("市大数据局 2021 年一般公共预算当年拨款 506.81 万元，比 2020 年执行数增加 218.12 万元，主要原因是…。"), vec![k("revenue.fiscal.general", "506.81")], "a change is no level");
        assert_eq!(keyed("2021 年市大数据局本级的机关运行经费财政拨款预算 43.55 万元。比上年预算增加 8.22 万元，增长 23.3%。"), vec![k("operating_costs", "43.55")]);
        assert_eq!(
            keyed("2021 年市大数据局政府采购预算总额 284.82 万元，其中：政府采购货物预算 1.60 万元、政府采购工程预算 0.00 万元、政府采购服务预算 283.22 万元。"),
            vec![k("procurement.total", "284.82"), k("procurement.goods", "1.60"), k("procurement.works", "0.00"), k("procurement.services", "283.22")]
        );
        assert_eq!(
            keyed("2. 公务接待费：2021 年安排公务接待费预算 0.9 万元，比上年预算数减少 10 %。"),
            vec![k("three_public.reception", "0.9")]
        );
        let vehicles = keyed("截至 2020 年 12 月 31 日，市大数据局共有车辆 0 辆，其中，应急机要通信用车 0 辆。单位价值 50 万元以上通用设备 0 台（套），单位价值 100 万元以上专用设备 0 台（套）。");
        assert_eq!(
            vehicles,
            vec![
                k("count.vehicles", "0"),
                k("count.equipment.general", "0"),
                k("count.equipment.special", "0")
            ],
            "thresholds are no figures"
        );
        assert_eq!(
            keyed("2021 年市大数据局财政性资金安排的项目均实行绩效管理，共涉及 7 个项目，当年资金安排 288.38 万元，其中一般公共预算当年拨款 288.38 万元。"),
            vec![k("count.performance_projects", "7"), k("performance.funds", "288.38"), k("revenue.fiscal.general", "288.38")]
        );
    }

    #[test]
    fn jiangsu_sentences() {
        assert_eq!(
            keyed("（一）收入预算总计 10,150.48 万元。包括："),
            vec![k("revenue.total", "10150.48")]
        );
        assert_eq!(
            keyed("1.财政拨款收入预算总计 10,070.48 万元。"),
            vec![k("revenue.fiscal", "10070.48")]
        );
        assert_eq!(keyed("（1）一般公共预算收入预算 10,070.48 万元，与上年相比增加 1,003.69 万元，增长 11.07%。"), vec![k("revenue.fiscal.general", "10070.48")]);
        assert_eq!(
            keyed("3.其他资金收入预算总计 80 万元，与上年数一致。"),
            vec![k("revenue.other", "80")]
        );
        assert_eq!(
            keyed("1.一般公共服务（类）支出 7,827.46 万元，主要用于单位…"),
            vec![k("expenditure.function.201", "7827.46")]
        );
        assert_eq!(
            keyed("此外，基本支出预算数为 5,678.17 万元。与上年相比减少 238.10 万元，下降 4.02%。"),
            vec![k("expenditure.basic", "5678.17")]
        );
        assert_eq!(
            keyed("江苏省政协办公厅本年收入预算合计 10,150.48 万元，其中："),
            vec![k("revenue.total", "10150.48")]
        );
        assert_eq!(
            keyed("其他资金 80 万元，占 0.79%；"),
            vec![("revenue.other".into(), "80".into(), Some("0.79".into()))]
        );
    }

    #[test]
    fn headings() {
        assert_eq!(
            heading("一、部门概况"),
            Some(Heading {
                level: 1,
                text: "一、部门概况".into()
            })
        );
        assert_eq!(
            heading("（九）其他重要事项的情况说明。"),
            None,
            "a sentence"
        );
        assert_eq!(heading("(一) 主要职能").map(|h| h.level), Some(2));
        assert_eq!(
            heading("第二部分 2018 年度部门预算表").map(|h| h.level),
            Some(1)
        );
        assert_eq!(
            heading("1.按支出功能分类，包括一般公共服务支出 462.11 万元"),
            None
        );
    }

    /// Sentences of the real Jiangsu narratives the audit first misread (each gave a false
    /// `error`): a phrase ending in `支出预算` is not the expenditure total, and a previous
    /// year's figure stated in a comparison is no fact.
    /// Jiangsu cities' 2026 wording (苏州, 无锡): each source of revenue in its clause, and the
    /// "三公" and project figures named by their own phrase, not by the `支出预算` inside it.
    #[test]
    fn revenue_sources_and_named_expenditure_of_jiangsu_cities() {
        assert_eq!(
            keyed("其中：本年一般公共预算收入9,078.52万元，占90.58%；本年政府性基金预算收入943.8万元，占9.42%；本年国有资本经营预算收入0万元，占0%；本年财政专户管理资金0万元，占0%。"),
            [
                ("revenue.fiscal.general", "9078.52", "90.58"),
                ("revenue.fiscal.gov_fund", "943.8", "9.42"),
                ("revenue.fiscal.state_capital", "0", "0"),
                ("revenue.special_account", "0", "0"),
            ]
            .map(|(key, v, share)| (key.to_string(), v.to_string(), Some(share.to_string())))
            .to_vec()
        );
        assert_eq!(
            keyed("2026年度一般公共预算拨款安排的“三公”经费支出预算32万元。"),
            vec![k("three_public.total", "32")]
        );
        assert_eq!(
            keyed("2026年本单位项目支出预算270.00万元，主要是单位为完成特定工作任务而发生的支出。"),
            vec![k("expenditure.project", "270.00")]
        );
    }

    #[test]
    fn expenditure_phrases_that_are_not_the_total() {
        assert_eq!(
            keyed("江苏省高级人民法院 2017 年政府性基金支出预算支出 0 万元。"),
            vec![k("expenditure.gov_fund", "0")]
        );
        assert_eq!(
            keyed("2018年度政府采购支出预算总额 2064.25 万元。"),
            vec![k("procurement.total", "2064.25")]
        );
        assert_eq!(
            keyed("货物类政府采购支出预算 259.32 万元；服务类政府采购支出预算 1,011.90 万元；工程类政府采购支出预算 0 万元。"),
            vec![
                k("procurement.goods", "259.32"),
                k("procurement.services", "1011.90"),
                k("procurement.works", "0"),
            ]
        );
        assert_eq!(
            keyed("江苏省政协办公厅 2017 年一般公共预算机关运行经费支出预算3,348.98万元，比2016年增加2,173.13万元。"),
            vec![k("operating_costs", "3348.98")]
        );
        assert_eq!(
            keyed("2017 年度部门支出预算安排与 2016 年度相比（2016 年度部门支出预算安排为8,648.07万元），增加498.72万元。"),
            vec![]
        );
    }
}
