//! Header paths → measures. A header printed on several levels (`基本支出/人员经费`) becomes a
//! dotted key (`basic.personnel`); `收入`/`支出` give the side and `功能分类`/`支出用途`/
//! `经济分类` the breakdown of two- and three-sided tables.

use crate::text::{canonical, title_key};
use serde::{Deserialize, Serialize, Serializer};
use std::fmt;

/// A column's header path: the texts of the header cells above it, top to bottom (`支出`,
/// `功能分类`, `金额`). Every stage reads it by level; it is joined by `/` only where it is
/// written out for a person or into the dataset (its `Display`, the JSON of a table).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HeaderPath(Vec<String>);

impl HeaderPath {
    pub fn new(levels: Vec<String>) -> HeaderPath {
        HeaderPath(levels)
    }

    /// The header texts, top to bottom.
    pub fn levels(&self) -> &[String] {
        &self.0
    }

    /// The lowest level, the one nearest the figures.
    pub fn last(&self) -> Option<&str> {
        self.0.last().map(String::as_str)
    }
}

/// The one written form of a header path: its levels joined by `/`
/// (`支出/功能分类/金额`), as the dataset's `measure_raw` keeps it.
impl fmt::Display for HeaderPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.join("/"))
    }
}

/// Written as its joined text, so a table's JSON reads as before the levels were kept.
impl Serialize for HeaderPath {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// The measure keys of `vocabulary.md`.
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
)]
pub enum Measure {
    /// A row's whole amount in its table, however printed (合计, 总计, 金额, 预算数 as the one
    /// amount column): one key in every layout (the vocabulary's `total`, formerly `amount`).
    #[strum(serialize = "total")]
    Total,
    #[strum(serialize = "basic")]
    Basic,
    #[strum(serialize = "basic.personnel")]
    BasicPersonnel,
    #[strum(serialize = "basic.public")]
    BasicPublic,
    #[strum(serialize = "project")]
    Project,
    #[strum(serialize = "reserve")]
    Reserve,
    #[strum(serialize = "subsidy_to_affiliates")]
    SubsidyToAffiliates,
    #[strum(serialize = "remit_to_superior")]
    RemitToSuperior,
    #[strum(serialize = "business_operation")]
    BusinessOperation,
    #[strum(serialize = "carry_forward")]
    CarryForward,
    #[strum(serialize = "fiscal")]
    Fiscal,
    #[strum(serialize = "fiscal.general")]
    FiscalGeneral,
    #[strum(serialize = "fiscal.gov_fund")]
    FiscalGovFund,
    #[strum(serialize = "fiscal.state_capital")]
    FiscalStateCapital,
    #[strum(serialize = "special_account")]
    SpecialAccount,
    /// Of the special-account funds, the education fees (教育收费) collected through it.
    #[strum(serialize = "special_account.education_fees")]
    SpecialAccountEducationFees,
    /// Of the special-account funds, the rest (其他专户收入拨款).
    #[strum(serialize = "special_account.other")]
    SpecialAccountOther,
    #[strum(serialize = "business_revenue")]
    BusinessRevenue,
    #[strum(serialize = "operating_revenue")]
    OperatingRevenue,
    #[strum(serialize = "superior_subsidy")]
    SuperiorSubsidy,
    #[strum(serialize = "affiliate_remittance")]
    AffiliateRemittance,
    #[strum(serialize = "other_revenue")]
    OtherRevenue,
    /// 用事业基金弥补收支差额: a public institution's reserve fund drawn on to close the gap
    /// between its revenue and spending.
    #[strum(serialize = "business_fund_drawdown")]
    BusinessFundDrawdown,
    #[strum(serialize = "prior_carryover")]
    PriorCarryover,
    /// 上年实户资金余额: what was left in the department's own accounts at the end of last
    /// year. Xi'an prints it beside 上年结转, both parts of the row's whole, so it is no
    /// `prior_carryover` (a row would hold that measure twice).
    #[strum(serialize = "prior_account_balance")]
    PriorAccountBalance,
    #[strum(serialize = "three_public")]
    ThreePublic,
    #[strum(serialize = "overseas_travel")]
    OverseasTravel,
    #[strum(serialize = "vehicles")]
    Vehicles,
    #[strum(serialize = "vehicles.purchase")]
    VehiclesPurchase,
    #[strum(serialize = "vehicles.operation")]
    VehiclesOperation,
    #[strum(serialize = "reception")]
    Reception,
    #[strum(serialize = "operating_costs")]
    OperatingCosts,
    #[strum(serialize = "meetings")]
    Meetings,
    #[strum(serialize = "training")]
    Training,
    /// 年初结转和结余: a final account's balance brought in (column).
    #[strum(serialize = "opening_balance")]
    OpeningBalance,
    /// 本年收入 as a column of its own (a final account's fund tables).
    #[strum(serialize = "income")]
    Income,
    /// 本年支出 as a column group's whole (its 小计 / 合计), beside opening and closing balances.
    #[strum(serialize = "expenditure")]
    Expenditure,
    /// 年末结转和结余: a final account's balance carried out (column).
    #[strum(serialize = "closing_balance")]
    ClosingBalance,
    /// 政府采购 as a column group beside the expenditure (Shenzhen's 支出总表 prints
    /// `2026年政府采购项目` over each row's procurement); in a procurement table, its `total`.
    #[strum(serialize = "procurement")]
    Procurement,
    /// Of the procurement, the part reserved for small and medium firms (预留给中小企业).
    #[strum(serialize = "procurement.sme_reserved")]
    ProcurementSmeReserved,
    /// Of the procurement, the part reserved for small and micro firms (预留给小型、微型企业).
    #[strum(serialize = "procurement.small_micro_reserved")]
    ProcurementSmallMicroReserved,
}

impl Measure {
    /// The vocabulary key (`basic.personnel` …): the one spelling, also serde's.
    pub fn key(self) -> &'static str {
        self.into()
    }

    /// Whether the measure cuts across a row's parts rather than being one of them: the
    /// procurement a row's spending goes through, and its shares reserved for small firms,
    /// stand beside 基本支出 and 项目支出 and add to no total of theirs.
    pub fn is_cross_cut(self) -> bool {
        matches!(
            self,
            Measure::Procurement
                | Measure::ProcurementSmeReserved
                | Measure::ProcurementSmallMicroReserved
        )
    }

    /// Whether the measure is a source of funds (财政拨款, 一般公共预算, 财政专户, 其他资金 …).
    pub fn is_fund(self) -> bool {
        matches!(
            self,
            Measure::Fiscal
                | Measure::FiscalGeneral
                | Measure::FiscalGovFund
                | Measure::FiscalStateCapital
                | Measure::SpecialAccount
                | Measure::OtherRevenue
        )
    }
}

impl Serialize for Measure {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.key())
    }
}

impl<'de> Deserialize<'de> for Measure {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let key = String::deserialize(d)?;
        key.parse()
            .map_err(|_| serde::de::Error::custom(format!("unknown measure key {key:?}")))
    }
}

/// Which figure of the year a column holds: the budget as passed, as adjusted, or what was
/// actually received and spent. A final account prints all three beside one another (三公:
/// 预算数 and 决算数 for each part); a column that does not say holds its document's own
/// ([`Basis::of_phase`]).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    strum::IntoStaticStr,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Basis {
    /// 预算数, 年初预算数: the budget passed at the start of the year.
    Budget,
    /// 调整预算数, 全年预算数: the budget as adjusted during the year.
    AdjustedBudget,
    /// 决算数: what was received or spent.
    Final,
}

impl Basis {
    /// The basis of a figure whose column does not name one.
    pub fn of_phase(phase: crate::Phase) -> Basis {
        match phase {
            crate::Phase::Budget => Basis::Budget,
            crate::Phase::FinalAccount => Basis::Final,
        }
    }
}

/// Header words naming a column's basis; where no other word names the measure, the column
/// is the row's whole amount (`预算数` as the only amount column).
pub(crate) const BASIS_WORDS: &[(&str, Basis)] = &[
    ("预算数", Basis::Budget),
    ("预算", Basis::Budget),
    ("年初预算数", Basis::Budget),
    ("年初预算", Basis::Budget),
    ("调整预算数", Basis::AdjustedBudget),
    ("全年预算数", Basis::AdjustedBudget),
    ("决算数", Basis::Final),
    ("支出决算数", Basis::Final),
];

/// Which year's figures a column holds, where its header says (Xi'an's 三公 table prints
/// `2020年`, `2021年` and `增减变化情况` blocks side by side).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Period {
    /// The year the header names (`2020年`, `2026年预算数`).
    Year(u16),
    /// The year before the document's, where the header says so without naming it (`上年`).
    Previous,
    /// The change on the year before (`增减变化情况`, `比上年增减`).
    Change,
}

/// Header words of a column of changes on the year before.
pub(crate) const CHANGE_WORDS: &[&str] = &[
    "增减变化情况",
    "增减",
    "增减额",
    "增减情况",
    "增减变动",
    "比上年增减",
    "较上年增减",
    "与上年相比增减",
];

/// Which side of a two- or three-sided table a column is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, strum::IntoStaticStr)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Side {
    Income,
    Expenditure,
}

/// How the expenditure side is broken down.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, strum::IntoStaticStr)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Breakdown {
    Function,
    Economic,
    Use,
    Unit,
    None,
}

/// What a column's header path says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    /// A column of names, codes or other text.
    Label {
        side: Option<Side>,
        breakdown: Breakdown,
    },
    /// A column of figures.
    Figure {
        side: Option<Side>,
        breakdown: Breakdown,
        measure: Option<Measure>,
        /// Where the header names it (`决算数`); else the document's phase decides.
        basis: Option<Basis>,
        /// Where the header names a year or a change; else the document's own year.
        period: Option<Period>,
    },
}

/// Header words naming a figure column, with the measure each stands for. `小计` and the
/// `合计` of a group take the group's own measure.
pub(crate) const MEASURE_WORDS: &[(&str, Measure)] = &[
    ("金额", Measure::Total),
    ("本年预算", Measure::Total),
    ("预算金额", Measure::Total),
    ("合计", Measure::Total),
    ("总计", Measure::Total),
    ("支出总计", Measure::Total),
    ("本年支出合计", Measure::Total),
    ("本年收入合计", Measure::Total),
    ("收入总计", Measure::Total),
    ("基本支出", Measure::Basic),
    ("一般公共预算基本支出", Measure::Basic),
    ("人员经费", Measure::BasicPersonnel),
    ("人员类", Measure::BasicPersonnel),
    ("人员支出", Measure::BasicPersonnel),
    ("人员经费支出", Measure::BasicPersonnel),
    ("公用经费", Measure::BasicPublic),
    ("公用经费支出", Measure::BasicPublic),
    ("日常公用支出", Measure::BasicPublic),
    ("公用支出", Measure::BasicPublic),
    ("日常公用经费", Measure::BasicPublic),
    ("项目支出", Measure::Project),
    ("项目支出总数", Measure::Project),
    ("专项业务经费支出", Measure::Project),
    ("单位预留机动经费", Measure::Reserve),
    ("对附属单位补助支出", Measure::SubsidyToAffiliates),
    ("上缴上级支出", Measure::RemitToSuperior),
    ("事业单位经营支出", Measure::BusinessOperation),
    ("经营支出", Measure::BusinessOperation),
    ("结转下年", Measure::CarryForward),
    ("结转下年资金", Measure::CarryForward),
    ("财政拨款", Measure::Fiscal),
    ("财政拨款收入", Measure::Fiscal),
    ("本级财政拨款", Measure::Fiscal),
    ("一般公共预算", Measure::FiscalGeneral),
    ("一般公共预算拨款", Measure::FiscalGeneral),
    ("一般公共预算资金", Measure::FiscalGeneral),
    ("一般公共预算财政拨款", Measure::FiscalGeneral),
    ("一般公共预算拨款收入", Measure::FiscalGeneral),
    ("一般公共预算财政拨款收入", Measure::FiscalGeneral),
    ("公共财政拨款", Measure::FiscalGeneral),
    // Xi'an 部门综合预算收入总表: `公共预算拨款/小计`.
    ("公共预算拨款", Measure::FiscalGeneral),
    ("经费拨款", Measure::FiscalGeneral),
    ("政府性基金预算", Measure::FiscalGovFund),
    ("政府性基金", Measure::FiscalGovFund),
    ("政府性基金预算拨款", Measure::FiscalGovFund),
    ("政府性基金拨款", Measure::FiscalGovFund),
    ("政府性基金预算财政拨款", Measure::FiscalGovFund),
    ("政府性基金预算拨款收入", Measure::FiscalGovFund),
    ("国有资本经营预算", Measure::FiscalStateCapital),
    ("国有资本经营预算拨款", Measure::FiscalStateCapital),
    ("国有资本经营预算财政拨款", Measure::FiscalStateCapital),
    ("国有资本经营预算拨款收入", Measure::FiscalStateCapital),
    ("财政专户管理资金", Measure::SpecialAccount),
    ("专户资金", Measure::SpecialAccount),
    ("财政专户拨款", Measure::SpecialAccount),
    // Guangzhou's 收入总体情况表: `财政专户拨款收入` over `教育收费` and `其他专户收入拨款`.
    ("财政专户拨款收入", Measure::SpecialAccount),
    ("教育收费", Measure::SpecialAccountEducationFees),
    ("其他专户收入拨款", Measure::SpecialAccountOther),
    ("事业收入", Measure::BusinessRevenue),
    ("事业单位经营收入", Measure::OperatingRevenue),
    ("经营收入", Measure::OperatingRevenue),
    ("上级补助收入", Measure::SuperiorSubsidy),
    ("附属单位上缴收入", Measure::AffiliateRemittance),
    ("对附属单位上缴收入", Measure::AffiliateRemittance),
    ("其他收入", Measure::OtherRevenue),
    ("其他资金", Measure::OtherRevenue),
    ("用事业基金弥补收支差额", Measure::BusinessFundDrawdown),
    ("上年结转", Measure::PriorCarryover),
    ("上年结转和结余", Measure::PriorCarryover),
    ("上年结余结转", Measure::PriorCarryover),
    ("上年结转结余", Measure::PriorCarryover),
    ("动用历年结转结余", Measure::PriorCarryover),
    ("上年实户资金余额", Measure::PriorAccountBalance),
    ("三公经费", Measure::ThreePublic),
    ("三公经费合计", Measure::ThreePublic),
    ("三公经费预算", Measure::ThreePublic),
    ("一般公共预算拨款安排的三公经费预算", Measure::ThreePublic),
    // Beijing 预算09表: the row's whole 三公 amount, beside its parts.
    ("三公经费财政拨款预算总额", Measure::Total),
    ("因公出国(境)费", Measure::OverseasTravel),
    ("因公出国(境)费用", Measure::OverseasTravel),
    ("公务用车购置及运行维护费", Measure::Vehicles),
    ("公务用车购置及运行费", Measure::Vehicles),
    ("公务用车购置及运行费用", Measure::Vehicles),
    ("公务用车购置及运行(维护)费", Measure::Vehicles),
    ("公务用车购置费", Measure::VehiclesPurchase),
    // Changsha's 三公 table: `其中：公务用车购置`.
    ("公务用车购置", Measure::VehiclesPurchase),
    // Xi'an's 三公 tables: `公务用车购置经费`.
    ("公务用车购置经费", Measure::VehiclesPurchase),
    ("公务用车运行维护费", Measure::VehiclesOperation),
    ("公务用车运行维护", Measure::VehiclesOperation),
    ("公务用车运行费", Measure::VehiclesOperation),
    ("公务接待费", Measure::Reception),
    ("机关运行经费", Measure::OperatingCosts),
    ("机关运行经费支出", Measure::OperatingCosts),
    ("会议费", Measure::Meetings),
    ("培训费", Measure::Training),
    ("年初结转和结余", Measure::OpeningBalance),
    ("年初结转结余", Measure::OpeningBalance),
    ("年初财政拨款结转和结余", Measure::OpeningBalance),
    ("本年收入", Measure::Income),
    ("本年支出", Measure::Expenditure),
    ("年末结转和结余", Measure::ClosingBalance),
    ("年末结转结余", Measure::ClosingBalance),
    ("年末财政拨款结转和结余", Measure::ClosingBalance),
    ("政府采购", Measure::Procurement),
    ("政府采购项目", Measure::Procurement),
    ("政府采购预算", Measure::Procurement),
];

/// The part of a procurement reserved for small firms, however a province words it
/// (`政府采购项目中预留给中小企业的项目资金规模`, `面向小微企业预留`): a column under the
/// procurement group or one of its shares, or one naming 政府采购 itself. 中小 (中小企业,
/// 中小微企业) names the small and medium firms' share, whatever follows it.
fn reserved_for_small_firms(part: &str, group: Option<Measure>) -> Option<Measure> {
    let procurement = group.is_some_and(Measure::is_cross_cut) || part.contains("政府采购");
    if !procurement || !part.contains("预留") {
        return None;
    }
    if part.contains("中小") {
        Some(Measure::ProcurementSmeReserved)
    } else if ["小型微型企业", "小微企业", "小型和微型企业"]
        .iter()
        .any(|w| part.contains(w))
    {
        Some(Measure::ProcurementSmallMicroReserved)
    } else {
        None
    }
}

/// Header words of text columns.
const LABEL_WORDS: &[&str] = &[
    "项目",
    "项目名称",
    "功能科目名称",
    "科目名称",
    "科目编码",
    "功能科目代码",
    "功能科目编码",
    "科目代码",
    "经济分类科目",
    "单位名称",
    "单位编码",
    "采购品目大类",
    "专项名称",
    "经济科目",
    "采购物品名称",
    "采购组织形式",
    "功能分类科目",
    "单位名称(项目名称)",
    "序号",
    "行次",
    "栏次",
    "类",
    "款",
    "项",
];

/// Endings of text-column header words (`部门预算支出经济科目编码`, `单位名称`).
const LABEL_ENDINGS: &[&str] = &["编码", "代码", "名称"];

/// Header words of columns beside a row's name that are no part of it and hold no money: row
/// numbers, notes (Xi'an's 专项业务经费支出表 prints a 项目简介 of a paragraph beside each
/// project) and counts (a procurement's 数量, a training's 人数).
pub(crate) const ASIDE_WORDS: &[&str] = &[
    "行次",
    "序号",
    "栏次",
    "项目简介",
    "简介",
    "项目说明",
    "备注",
    // Zhuhai's 项目支出预算表 prints each project's goal beside it.
    "绩效目标",
    "数量",
    "人数",
    "天数",
    "次数",
    "规格型号",
    "计量单位",
];

/// Whether a column's header path names a text column that is no part of a row's name: row
/// numbers (`行次`, `序号`) or notes (`项目简介`, `备注`).
pub fn aside_column(path: &HeaderPath) -> bool {
    // Marks under the header (`**`, `1`) say nothing of the column.
    path.levels()
        .iter()
        .rev()
        .find(|p| p.chars().any(char::is_alphanumeric) && !column_number(p.trim()))
        .is_some_and(|p| ASIDE_WORDS.contains(&title_key(p).as_str()))
}

fn basis_word(word: &str) -> Option<Basis> {
    BASIS_WORDS
        .iter()
        .find(|(w, _)| *w == word)
        .map(|(_, b)| *b)
}

/// A column-number row of the header (`栏次` / `1` `2` `3`) says nothing of the column.
fn column_number(part: &str) -> bool {
    crate::furniture::column_number_part(part)
}

fn measure_word(word: &str) -> Option<Measure> {
    MEASURE_WORDS
        .iter()
        .find(|(w, _)| *w == word)
        .map(|(_, m)| *m)
}

/// The measure of a header word cut short by its cell: a producer's clipping path hides what
/// overflows a narrow cell, at one end or both (`务用车购置及运行维护` is what shows of
/// `公务用车购置及运行维护费`, `因公出国（` of `因公出国（境）费`). A part stands for a word's
/// measure where it holds five characters or more and at least 60 % of the shortest word
/// holding it, and the words holding it are of that measure alone. Shorter pieces (`财政专户`, `政府性基`) and
/// small parts of long words (`一般公共预算拨款安排` of the 三公 group's 17 characters) could be
/// what shows of words not listed; `total` is never guessed (`财政拨款预算` lies within
/// `三公经费财政拨款预算总额`).
fn clipped_measure_word(part: &str) -> Option<Measure> {
    let len = part.chars().count();
    if len < 5 {
        return None;
    }
    let mut found = MEASURE_WORDS
        .iter()
        .filter(|(w, _)| w.contains(part))
        .map(|(w, m)| (w.chars().count(), *m));
    let (first_len, first) = found.next()?;
    let mut shortest = first_len;
    let one_measure = found.all(|(l, m)| {
        shortest = shortest.min(l);
        m == first
    });
    (one_measure && first != Measure::Total && len * 5 >= shortest * 3).then_some(first)
}

/// Reads a header path (`支出/功能分类/金额`, `“三公”经费/公务用车购置及运行维护费/小计`).
pub fn column(path: &HeaderPath) -> Column {
    let mut side = None;
    let mut breakdown = Breakdown::None;
    let mut measure: Option<Measure> = None;
    let mut basis: Option<Basis> = None;
    let mut period: Option<Period> = None;
    let mut label = false;
    // A part the vocabulary does not know, after the basis word: `预算数/项目支出/扣除基建项目后
    // 预算数` is no row's whole amount.
    let mut unknown = false;
    let parts: Vec<String> = path
        .levels()
        .iter()
        .map(|p| {
            let (year, rest) = crate::title::split_year(&title_key(p));
            if let Some(year) = year {
                period = Some(Period::Year(year));
            }
            rest
        })
        .map(|p| p.trim_start_matches("其中:").to_string())
        .filter(|p| !p.is_empty() && !column_number(p))
        .collect();
    let mut i = 0;
    while i < parts.len() {
        // A header word cut over two rows of the header (`对附属单位补助支` ⏎ `出`,
        // `政府性基金` ⏎ `预算`), unless both rows are words of their own (`本年支出/合计`)
        // or the first names the side (`收入/总计` is the income side's total).
        let (part, used) = match parts.get(i + 1) {
            Some(next)
                if measure_word(&format!("{}{next}", parts[i])).is_some()
                    && (measure_word(&parts[i]).is_none() || measure_word(next).is_none())
                    && !matches!(parts[i].as_str(), "收入" | "支出") =>
            {
                (format!("{}{next}", parts[i]), 2)
            }
            _ => (parts[i].clone(), 1),
        };
        i += used;
        match part.as_str() {
            "收入" => side = Some(Side::Income),
            "支出" => side = Some(Side::Expenditure),
            "功能分类" => breakdown = Breakdown::Function,
            "支出用途" => breakdown = Breakdown::Use,
            "经济分类" => breakdown = Breakdown::Economic,
            "小计" => measure = measure.or(Some(Measure::Total)),
            p if CHANGE_WORDS.contains(&p) => period = Some(Period::Change),
            // Xi'an 审计局's 三公 table: `上年` | `当年` | `增减变化情况` blocks.
            "上年" => period = Some(Period::Previous),
            "当年" | "本年" => {}
            p if basis_word(p).is_some() => {
                basis = basis_word(p);
                label = false;
                unknown = false;
            }
            // A column of codes or names under a group (`人员经费/经济分类科目编码`) is text,
            // as is a column of counts (`数量`).
            p if LABEL_WORDS.contains(&p)
                || ASIDE_WORDS.contains(&p)
                || LABEL_ENDINGS.iter().any(|e| p.ends_with(e)) =>
            {
                label = true;
                measure = None;
            }
            p => match measure_word(p)
                .or_else(|| reserved_for_small_firms(p, measure))
                .or_else(|| clipped_measure_word(p))
            {
                Some(m) => {
                    // A child names itself; `合计` under a group is the group's total; a fund
                    // under the carry-over names its source, for which no key stands
                    // (`上年结转结余/一般公共预算资金` is no `fiscal.general`); the special
                    // account's parts are its own only under it (`财政拨款/教育收费`, or
                    // `其中：教育收费` beside `事业收入`, is no special-account money).
                    measure = match (measure, m) {
                        (Some(parent), Measure::Total) => Some(parent),
                        (Some(Measure::PriorCarryover), m) if m.is_fund() => None,
                        (
                            parent,
                            Measure::SpecialAccountEducationFees | Measure::SpecialAccountOther,
                        ) if parent != Some(Measure::SpecialAccount) => None,
                        _ => Some(m),
                    };
                    // A known word read as no key is no row's whole either, whatever basis
                    // stands above it (`预算数/财政拨款/教育收费`).
                    unknown |= measure.is_none();
                    label = false;
                }
                // A part of a group the vocabulary does not know is not the group's total
                // (`一般公共预算拨款/其中：专项资金列入部门预算项目` is no `fiscal.general`).
                None => {
                    measure = None;
                    unknown = true;
                }
            },
        }
    }
    if label && measure.is_none() && basis.is_none() {
        Column::Label { side, breakdown }
    } else {
        Column::Figure {
            side,
            breakdown,
            // `预算数` / `决算数` alone: the row's whole amount on that basis.
            measure: measure.or(basis.filter(|_| !unknown).map(|_| Measure::Total)),
            basis,
            period,
        }
    }
}

/// A column of a performance-target table (项目绩效目标表), named by its header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TargetColumn {
    /// 单位编码.
    UnitCode,
    /// 项目名称 (any header holding it).
    Project,
    /// 资金安排's 总计 or 合计.
    FundsTotal,
    /// 一般公共预算.
    FundsGeneral,
    /// 政府性基金.
    FundsGovFund,
    /// 专户资金.
    FundsSpecial,
    /// 其他资金.
    FundsOther,
    /// 总体绩效目标, 绩效目标.
    Goal,
    /// 一级指标, 二级指标, 三级指标: the indicator's level, 0 to 2.
    Indicator(usize),
    /// 计算符号.
    Operator,
    /// 指标值.
    Value,
    /// 计量单位.
    Unit,
    /// 指标权重.
    Weight,
}

/// The column a performance-target table's header path names, read from its last level
/// (the funds' total also from its first), each in canonical form.
pub fn target_column(path: &HeaderPath) -> Option<TargetColumn> {
    let level = |text: Option<&String>| text.map(|t| canonical(t)).unwrap_or_default();
    let last = level(path.levels().last());
    Some(match last.as_str() {
        "单位编码" => TargetColumn::UnitCode,
        s if s.contains("项目名称") => TargetColumn::Project,
        "总计" | "合计" if level(path.levels().first()).starts_with("资金安排") => {
            TargetColumn::FundsTotal
        }
        "一般公共预算" => TargetColumn::FundsGeneral,
        "政府性基金" => TargetColumn::FundsGovFund,
        "专户资金" => TargetColumn::FundsSpecial,
        "其他资金" => TargetColumn::FundsOther,
        "总体绩效目标" | "绩效目标" => TargetColumn::Goal,
        "一级指标" => TargetColumn::Indicator(0),
        "二级指标" => TargetColumn::Indicator(1),
        "三级指标" => TargetColumn::Indicator(2),
        "计算符号" => TargetColumn::Operator,
        "指标值" => TargetColumn::Value,
        "计量单位" => TargetColumn::Unit,
        "指标权重" => TargetColumn::Weight,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A header path written with its levels joined by `/`, as the tests state them.
    fn hp(joined: &str) -> HeaderPath {
        HeaderPath::new(joined.split('/').map(str::to_string).collect())
    }

    fn m(path: &str) -> Option<Measure> {
        match column(&hp(path)) {
            Column::Figure { measure, .. } => measure,
            Column::Label { .. } => None,
        }
    }

    #[test]
    fn jiangsu_header_paths() {
        assert_eq!(
            column(&hp("支出/功能分类/金额")),
            Column::Figure {
                side: Some(Side::Expenditure),
                breakdown: Breakdown::Function,
                measure: Some(Measure::Total),
                basis: None,
                period: None
            }
        );
        assert_eq!(
            column(&hp("支出/支出用途/项目名称")),
            Column::Label {
                side: Some(Side::Expenditure),
                breakdown: Breakdown::Use
            }
        );
        assert_eq!(
            column(&hp("收入/金额")),
            Column::Figure {
                side: Some(Side::Income),
                breakdown: Breakdown::None,
                measure: Some(Measure::Total),
                basis: None,
                period: None
            }
        );
        assert_eq!(m("“三公”经费/小计"), Some(Measure::ThreePublic));
        assert_eq!(
            m("“三公”经费/因公出国（境）费"),
            Some(Measure::OverseasTravel)
        );
        assert_eq!(
            m("“三公”经费/公务用车购置及运行维护费/小计"),
            Some(Measure::Vehicles)
        );
        assert_eq!(
            m("“三公”经费/公务用车购置及运行维护费/公务用车购置费"),
            Some(Measure::VehiclesPurchase)
        );
        assert_eq!(m("“三公”经费/公务接待费"), Some(Measure::Reception));
        assert_eq!(m("会议费"), Some(Measure::Meetings));
        assert_eq!(m("合计"), Some(Measure::Total));
        assert_eq!(m("结转下年资金"), Some(Measure::CarryForward));
        assert_eq!(m("单位预留机动经费"), Some(Measure::Reserve));
        assert_eq!(m("机关运行经费支出"), Some(Measure::OperatingCosts));
        assert!(matches!(column(&hp("科目编码")), Column::Label { .. }));
        assert!(matches!(column(&hp("采购物品名称")), Column::Label { .. }));
    }

    #[test]
    fn zhejiang_header_paths() {
        assert_eq!(m("基本支出/人员支出"), Some(Measure::BasicPersonnel));
        assert_eq!(m("基本支出/公用经费"), Some(Measure::BasicPublic));
        assert_eq!(m("基本支出/小计"), Some(Measure::Basic));
        assert_eq!(m("对附属单位 补助支出"), Some(Measure::SubsidyToAffiliates));
        assert_eq!(m("事业单位 经营支出"), Some(Measure::BusinessOperation));
        assert_eq!(m("一般公共预算基本支出/合计"), Some(Measure::Basic));
        assert_eq!(m("“三公”经费合计"), Some(Measure::ThreePublic));
        assert_eq!(m("公务用车购置及运行费用/小计"), Some(Measure::Vehicles));
        assert_eq!(m("因公出国（境）费用"), Some(Measure::OverseasTravel));
        assert_eq!(m("预算数"), Some(Measure::Total));
        assert_eq!(m("总计"), Some(Measure::Total));
    }

    #[test]
    fn guangdong_header_paths() {
        // `预算` alone names the basis: the row's whole budget amount, on either side.
        assert_eq!(m("支出/预算"), Some(Measure::Total));
        assert_eq!(
            column(&hp("收入/预算")),
            Column::Figure {
                side: Some(Side::Income),
                breakdown: Breakdown::None,
                measure: Some(Measure::Total),
                basis: Some(Basis::Budget),
                period: None
            }
        );
        // Fund words wrapped in narrow columns, as a stream header gives them.
        assert_eq!(m("一般公共预/算"), Some(Measure::FiscalGeneral));
        assert_eq!(m("国有资本经/营预算"), Some(Measure::FiscalStateCapital));
        assert_eq!(
            column(&hp("政府性基金/预算")),
            Column::Figure {
                side: None,
                breakdown: Breakdown::None,
                measure: Some(Measure::FiscalGovFund),
                basis: None,
                period: None
            },
            "a fund's name cut over two rows, no basis"
        );
        assert_eq!(m("本年支出/合计"), Some(Measure::Expenditure));
    }

    fn period(path: &str) -> Option<Period> {
        match column(&hp(path)) {
            Column::Figure { period, .. } => period,
            Column::Label { .. } => None,
        }
    }

    /// Beijing a2df391a (keyed): a part the vocabulary does not know after the basis word is no
    /// row's whole amount; a fund under the carry-over is no fund measure; the 三公 table's
    /// 总额 is the row's whole amount.
    #[test]
    fn beijing_header_paths() {
        assert_eq!(m("预算数/项目支出/扣除基建项目后预算数"), None);
        assert_eq!(m("预算数/项目支出/项目支出总数"), Some(Measure::Project));
        assert_eq!(m("上年结转结余/一般公共预算资金"), None);
        assert_eq!(m("上年结转结余/小计"), Some(Measure::PriorCarryover));
        assert_eq!(m("“三公”经费财政拨款预算总额"), Some(Measure::Total));
    }

    /// Xi'an's 三公 table: a block per year and one of changes, each naming the same parts.
    #[test]
    fn year_and_change_columns() {
        let part = "一般公共预算拨款安排的“三公”经费预算/公务接待费";
        assert_eq!(period(&format!("2020年/{part}")), Some(Period::Year(2020)));
        assert_eq!(m(&format!("2020年/{part}")), Some(Measure::Reception));
        assert_eq!(
            period(&format!("增减变化情况/{part}")),
            Some(Period::Change)
        );
        assert_eq!(m(&format!("增减变化情况/{part}")), Some(Measure::Reception));
        assert_eq!(period("支出/2026年预算数"), Some(Period::Year(2026)));
        assert_eq!(period("支出/预算数"), None);
        assert_eq!(period(&format!("上年/{part}")), Some(Period::Previous));
        assert_eq!(period(&format!("当年/{part}")), None);
        assert_eq!(
            m("当年/一般公共预算拨款安排的“三公”经费预算/小计"),
            Some(Measure::ThreePublic)
        );
        assert_eq!(m("公共预算拨款/小计"), Some(Measure::FiscalGeneral));
        // `上年结转` is a measure, not the year before.
        assert_eq!(period("上年结转"), None);
    }

    fn basis(path: &str) -> Option<Basis> {
        match column(&hp(path)) {
            Column::Figure { basis, .. } => basis,
            Column::Label { .. } => None,
        }
    }

    /// Each header path with the measure it must read as.
    fn reads(cases: &[(&str, Option<Measure>)]) {
        for (path, want) in cases {
            assert_eq!(m(path), *want, "{path}");
        }
    }

    /// Shenzhen's 支出总表 prints each row's procurement beside its spending: the group's
    /// `小计` is its procurement, not a second `total` (regression: it was read as `total`).
    #[test]
    fn procurement_beside_the_spending() {
        use Measure::{
            Procurement, ProcurementSmallMicroReserved as Small, ProcurementSmeReserved as Sme,
        };
        reads(&[
            ("2026年政府采购项目/小计", Some(Procurement)),
            (
                "2026年政府采购项目/其中：2026年政府采购项目中预留给中小企业的项目资金规模",
                Some(Sme),
            ),
            (
                "2026年政府采购项目/其中：2026年政府采购项目中预留给小型、微型企业的项目资金规模",
                Some(Small),
            ),
            ("政府采购预算/其中：面向小微企业预留", Some(Small)),
            // 中小微企业 are the small and medium firms with the micro ones.
            ("政府采购预算/其中：面向中小微企业预留", Some(Sme)),
            // A share printed under the other share.
            (
                "政府采购预算/面向中小企业预留/其中：面向小微企业预留",
                Some(Small),
            ),
            // Small firms outside a procurement group, or a share not reserved, are no key.
            ("其中：预留给中小企业的项目资金规模", None),
            ("政府采购项目/中小企业", None),
        ]);
        assert!(Sme.is_cross_cut() && !Measure::Project.is_cross_cut());
    }

    /// A narrow cell clips its header: what shows stands for the one measure whose words
    /// hold it (西安 1598881b p32), never a short or ambiguous piece.
    #[test]
    fn header_words_cut_short_by_their_cell() {
        reads(&[
            (
                "一般公共预算拨款安排的“三公”经费预算/务用车购置及运行维护/小计",
                Some(Measure::Vehicles),
            ),
            ("因公出国（", Some(Measure::OverseasTravel)),
            ("公务用车购置及运行", Some(Measure::Vehicles)),
            ("对附属单位补助", Some(Measure::SubsidyToAffiliates)),
            // Four characters: too common to stand for one word.
            ("政府性基", None),
            // Within words of two measures (`财政拨款收入`, `一般公共预算财政拨款收入`).
            ("财政拨款收", None),
            // Too small a part of its word (17 characters) to say which word was cut.
            ("一般公共预算拨款安排", None),
            // `total` is never guessed: `三公经费财政拨款预算总额` holds this.
            ("财政拨款预算总额", None),
        ]);
    }

    /// Words of other provinces' headers, printed whole.
    #[test]
    fn header_words_of_changsha_xian_and_shenzhen() {
        reads(&[
            ("公务用车购置经费", Some(Measure::VehiclesPurchase)),
            ("其中：公务用车购置", Some(Measure::VehiclesPurchase)),
            ("公务用车运行维护", Some(Measure::VehiclesOperation)),
            ("收入总计", Some(Measure::Total)),
        ]);
        // Over two header rows `收入` stays the side, not part of a word (`收入总计`).
        assert_eq!(
            column(&hp("收入/总计")),
            Column::Figure {
                side: Some(Side::Income),
                breakdown: Breakdown::None,
                measure: Some(Measure::Total),
                basis: None,
                period: None
            }
        );
    }

    /// Xi'an prints 上年实户资金余额 beside 上年结转, both parts of the row's whole;
    /// Guangzhou's 收入总体情况表 splits the special-account funds; Xi'an's 收入总表 prints
    /// the reserve fund drawn on.
    #[test]
    fn revenue_columns_of_guangzhou_and_xian() {
        reads(&[
            (
                "部门预算/上年实户资金余额",
                Some(Measure::PriorAccountBalance),
            ),
            ("部门预算/上年结转", Some(Measure::PriorCarryover)),
            (
                "财政专户拨款收入/教育收费",
                Some(Measure::SpecialAccountEducationFees),
            ),
            (
                "财政专户拨款收入/其他专户收入拨款",
                Some(Measure::SpecialAccountOther),
            ),
            ("财政专户拨款收入/小计", Some(Measure::SpecialAccount)),
            (
                "部门预算/用事业基金弥补收支差额",
                Some(Measure::BusinessFundDrawdown),
            ),
            // Under another group, or beside 事业收入 with no group, 教育收费 is neither
            // `fiscal` nor the special account's, and under a basis word no row's whole.
            ("财政拨款/教育收费", None),
            ("其中：教育收费", None),
            ("预算数/财政拨款/教育收费", None),
            ("预算数/上年结转结余/一般公共预算资金", None),
        ]);
    }

    /// One spelling of every key: serde's is the vocabulary's, and reads back.
    #[test]
    fn measure_keys_round_trip() {
        for m in <Measure as strum::IntoEnumIterator>::iter() {
            let json = serde_json::to_string(&m).unwrap();
            assert_eq!(json, format!("\"{}\"", m.key()));
            assert_eq!(serde_json::from_str::<Measure>(&json).unwrap(), m);
        }
        assert!(serde_json::from_str::<Measure>("\"amount\"").is_err());
    }

    /// The 2019 Foshan 部门决算 and the national 决算 template.
    #[test]
    fn final_account_header_paths() {
        // The column-number row (栏次 / 1) is no part of the header.
        assert_eq!(m("收入/决算数/1"), Some(Measure::Total));
        assert_eq!(basis("收入/决算数/1"), Some(Basis::Final));
        assert!(matches!(
            column(&hp("收入/项目/栏次")),
            Column::Label { .. }
        ));
        assert!(aside_column(&hp("收入/行次")) && aside_column(&hp("序号")));
        assert!(!aside_column(&hp("收入/项目/栏次/1")));
        assert!(aside_column(&hp("收入/行次/1")));
        assert!(!aside_column(&hp("收入/项目")));
        assert!(
            aside_column(&hp("数量"))
                && aside_column(&hp("培训/人数"))
                && aside_column(&hp("绩效目标"))
        );
        assert!(
            matches!(column(&hp("数量")), Column::Label { .. }),
            "counts are no money"
        );
        assert!(
            aside_column(&hp("项目简介/**")),
            "Xi'an 应急管理局 p25: a project's description"
        );
        assert_eq!(m("本年收入合计"), Some(Measure::Total));
        assert_eq!(m("财政拨款收入"), Some(Measure::Fiscal));
        assert_eq!(m("经营支出"), Some(Measure::BusinessOperation));
        assert_eq!(m("年初结转和结余"), Some(Measure::OpeningBalance));
        assert_eq!(m("本年收入"), Some(Measure::Income));
        assert_eq!(m("本年支出/小计"), Some(Measure::Expenditure));
        assert_eq!(m("本年支出/基本支出"), Some(Measure::Basic));
        assert_eq!(m("年末结转和结余"), Some(Measure::ClosingBalance));
        assert_eq!(basis("年末结转和结余"), None);
        // 三公: 预算数 and 决算数 above the parts, or below them.
        assert_eq!(m("预算数/合计"), Some(Measure::Total));
        assert_eq!(basis("预算数/合计"), Some(Basis::Budget));
        assert_eq!(
            m("决算数/公务用车购置及运行费/小计"),
            Some(Measure::Vehicles)
        );
        assert_eq!(
            basis("决算数/公务用车购置及运行费/公务用车购置费"),
            Some(Basis::Final)
        );
        assert_eq!(
            m("因公出国（境）费/年初预算数"),
            Some(Measure::OverseasTravel)
        );
        assert_eq!(
            basis("因公出国（境）费/调整预算数"),
            Some(Basis::AdjustedBudget)
        );
        assert_eq!(basis("公务接待费/决算数"), Some(Basis::Final));
        // The basic expenditure table's two blocks: 人员经费 and 公用经费, each with its codes.
        assert!(matches!(
            column(&hp("人员经费/经济分类科目编码")),
            Column::Label { .. }
        ));
        assert!(matches!(
            column(&hp("公用经费/科目名称")),
            Column::Label { .. }
        ));
        assert_eq!(m("人员经费/金额"), Some(Measure::BasicPersonnel));
    }
}
