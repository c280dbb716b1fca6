//! Table titles → their parts → `table_kind`. Every province composes its titles from the
//! same words: [number][year][level][fund source][basic/project][revenue/expenditure][by
//! function / economic class][预算表 | 情况表 | 明细表 | 总表][(qualifier)] — 部门综合预算一般公共预算
//! 基本支出明细表（按支出经济分类科目）, 2026年预算单位一般公共预算支出功能分类预算表, 预算11表财政
//! 拨款政府购买服务明细表. The number and year are cut off the front; the rest is read as a
//! run of known words ([`WORDS`], nom) among free text (a department's name), and the kind
//! follows from the parts ([`TitleParts::kind`]), not from a list of seen titles.

use crate::measure::Breakdown;
use crate::text::{canonical, dash, digits, is_numeral, title_key, year};
use nom::branch::alt;
use nom::bytes::complete::{tag, take_while1};
use nom::character::complete::one_of;
use nom::combinator::{opt, recognize};
use nom::multi::many0;
use nom::sequence::terminated;
use nom::{IResult, Parser};
use serde::{Deserialize, Serialize};

/// The canonical table kinds of `vocabulary.md` (the same kinds in a budget and a final
/// account; the document's phase says which).
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
    strum::EnumIter,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum TableKind {
    Summary,
    Revenue,
    Expenditure,
    FiscalSummary,
    FiscalExpenditure,
    FiscalBasicExpenditure,
    GeneralExpenditure,
    GeneralBasicExpenditure,
    ThreePublic,
    OperatingCosts,
    GovFundExpenditure,
    StateCapitalExpenditure,
    Procurement,
    PerformanceTargets,
    /// Basic expenditure of every fund source by economic class (部门预算基本支出预算表).
    BasicExpenditure,
    /// 政府购买服务.
    PurchaseOfServices,
    /// Project expenditure by project (项目支出情况表, 专项业务经费支出表).
    ProjectExpenditure,
    /// Whole-department performance targets (部门整体支出绩效目标表).
    DepartmentPerformance,
    /// Performance self-evaluation of a year gone (绩效自评表, published with final accounts).
    PerformanceEvaluation,
    Other,
}

impl TableKind {
    /// The vocabulary key (`summary`, `three_public` …).
    pub fn key(self) -> &'static str {
        self.into()
    }

    /// Whether tables of this kind are forms (performance targets and self-evaluations):
    /// indicator rows under headings, whose figures are values and scores, not parts of sums.
    pub fn is_form(self) -> bool {
        matches!(
            self,
            TableKind::PerformanceTargets
                | TableKind::DepartmentPerformance
                | TableKind::PerformanceEvaluation
        )
    }

    /// Whether a document holding a table of this kind is a budget (or final account): not
    /// for performance forms alone, which are filed as budgets' attachments and on their own.
    pub fn is_budget_table(self) -> bool {
        !matches!(
            self,
            TableKind::PerformanceTargets
                | TableKind::DepartmentPerformance
                | TableKind::PerformanceEvaluation
                | TableKind::Other
        )
    }

    /// Whether the table's rows are classified by economic (rather than function) codes,
    /// where its title does not say.
    pub fn economic_rows(self) -> bool {
        matches!(
            self,
            TableKind::FiscalBasicExpenditure
                | TableKind::GeneralBasicExpenditure
                | TableKind::BasicExpenditure
                | TableKind::OperatingCosts
        )
    }
}

/// Whether a title is a budget's or a final account's (决算).
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, strum::IntoStaticStr,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Phase {
    #[default]
    Budget,
    FinalAccount,
}

/// Where the money of a table comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, strum::IntoStaticStr)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Fund {
    /// 财政拨款: all fiscal appropriations.
    Fiscal,
    /// 一般公共预算.
    General,
    /// 政府性基金预算.
    GovFund,
    /// 国有资本经营预算.
    StateCapital,
    /// 财政专户.
    SpecialAccount,
}

/// Which expenditure a table holds, where it holds one part of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, strum::IntoStaticStr)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Spending {
    /// 基本支出.
    Basic,
    /// 项目支出, 专项业务经费.
    Project,
}

/// A subject of its own (the "三公" expenses, procurement …).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, strum::IntoStaticStr)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Topic {
    ThreePublic,
    OperatingCosts,
    Procurement,
    PurchaseOfServices,
    PerformanceTargets,
    PerformanceEvaluation,
}

/// Revenue, expenditure, or both side by side.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, strum::IntoStaticStr)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Flow {
    Revenue,
    Expenditure,
    Both,
}

/// The form word ending a title.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, strum::IntoStaticStr)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Form {
    /// 总表.
    Summary,
    /// 预算表 / 决算表.
    Statement,
    /// 情况表.
    Situation,
    /// 明细表.
    Detail,
    /// 表 alone.
    Table,
}

/// One known word of a title.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Word {
    Fund(Fund),
    Spending(Spending),
    Topic(Topic),
    Flow(Flow),
    Breakdown(Breakdown),
    Form(Form),
    /// 部门整体: the whole department (with 绩效).
    WholeDepartment,
    /// A level word (市级, 部门, 单位预算 …): read, not used for the kind.
    Level,
}

use Word as W;

/// The words titles are composed of, tried in this order at each place: a word stands before
/// every shorter word it begins with (`收入支出` before `收入`, `部门整体` before `部门`), so the
/// longest known word is read. `决算` anywhere makes the title a final account's.
pub const WORDS: &[(&str, Word)] = &[
    ("部门整体", W::WholeDepartment),
    ("部门综合预算", W::Level),
    ("部门预算", W::Level),
    ("单位预算", W::Level),
    ("预算单位", W::Level),
    ("市级", W::Level),
    ("省级", W::Level),
    ("县级", W::Level),
    ("区级", W::Level),
    ("本级", W::Level),
    ("汇总", W::Level),
    ("部门", W::Level),
    ("单位", W::Level),
    ("一般公共预算", W::Fund(Fund::General)),
    ("公共财政预算", W::Fund(Fund::General)),
    ("财政拨款", W::Fund(Fund::Fiscal)),
    ("政府性基金", W::Fund(Fund::GovFund)),
    ("国有资本经营", W::Fund(Fund::StateCapital)),
    ("财政专户", W::Fund(Fund::SpecialAccount)),
    ("基本支出", W::Spending(Spending::Basic)),
    ("项目支出", W::Spending(Spending::Project)),
    ("专项业务经费", W::Spending(Spending::Project)),
    ("专项资金", W::Spending(Spending::Project)),
    ("三公", W::Topic(Topic::ThreePublic)),
    ("机关运行经费", W::Topic(Topic::OperatingCosts)),
    ("政府采购", W::Topic(Topic::Procurement)),
    ("政府购买服务", W::Topic(Topic::PurchaseOfServices)),
    ("绩效目标", W::Topic(Topic::PerformanceTargets)),
    ("绩效自评", W::Topic(Topic::PerformanceEvaluation)),
    ("自评", W::Topic(Topic::PerformanceEvaluation)),
    ("功能分类", W::Breakdown(Breakdown::Function)),
    ("功能科目", W::Breakdown(Breakdown::Function)),
    ("经济分类", W::Breakdown(Breakdown::Economic)),
    ("经济科目", W::Breakdown(Breakdown::Economic)),
    ("收入支出", W::Flow(Flow::Both)),
    ("收支", W::Flow(Flow::Both)),
    ("收入", W::Flow(Flow::Revenue)),
    ("支出", W::Flow(Flow::Expenditure)),
    ("总表", W::Form(Form::Summary)),
    ("预算表", W::Form(Form::Statement)),
    ("决算表", W::Form(Form::Statement)),
    ("情况表", W::Form(Form::Situation)),
    ("明细表", W::Form(Form::Detail)),
    ("表", W::Form(Form::Table)),
];

/// The known word at the start of `i`.
fn word(i: &str) -> IResult<&str, Word> {
    for (text, w) in WORDS {
        if let Ok((rest, _)) = tag::<_, _, nom::error::Error<&str>>(*text).parse(i) {
            return Ok((rest, *w));
        }
    }
    Err(nom::Err::Error(nom::error::Error::new(
        i,
        nom::error::ErrorKind::Tag,
    )))
}

/// What a title is made of.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TitleParts {
    /// The table's printed number (`预算01表`, `公开06表`, `表3-1`, `一、`).
    pub number: Option<String>,
    pub year: Option<u16>,
    /// Free text before the first known word: the department, where a title names it
    /// (`江苏省高级人民法院部门收支预算总表`).
    pub subject: Option<String>,
    pub phase: Phase,
    pub fund: Option<Fund>,
    pub spending: Option<Spending>,
    pub topic: Option<Topic>,
    pub flow: Option<Flow>,
    pub breakdown: Option<Breakdown>,
    pub form: Option<Form>,
    /// 部门整体 (whole-department performance).
    pub whole_department: bool,
    /// Bracketed text that is not a breakdown (`不含上年结转`).
    pub qualifiers: Vec<String>,
}

/// How the parts make the kind, for `docs/vocabulary.md` (the rules of [`TitleParts::kind`],
/// in its order).
pub const KIND_RULES: &str = "The kind follows from the parts, the first rule that applies:
a topic makes its own kind (`三公` → `three_public`, `机关运行经费` → `operating_costs`, `政府采购`
→ `procurement`, `政府购买服务` → `purchase_of_services`, `自评` → `performance_evaluation`,
`绩效目标` → `performance_targets`, or `department_performance` with `部门整体`); then the fund
sources of their own (`政府性基金` → `gov_fund_expenditure`, `国有资本经营` →
`state_capital_expenditure`); project spending → `project_expenditure`; revenue and
expenditure side by side (`收支`, `收入支出`) → `fiscal_summary` with `财政拨款`, else `summary`;
basic spending → `general_basic_expenditure` (`一般公共预算`), `fiscal_basic_expenditure`
(`财政拨款`) or `basic_expenditure` (no fund named); expenditure → `general_expenditure`,
`fiscal_expenditure` or `expenditure` likewise; revenue → `revenue`; else `other`.";

impl TitleParts {
    /// The kind the parts make ([`KIND_RULES`]).
    pub fn kind(&self) -> TableKind {
        use TableKind as K;
        match (self.topic, self.fund, self.spending, self.flow) {
            (Some(Topic::ThreePublic), ..) => K::ThreePublic,
            (Some(Topic::OperatingCosts), ..) => K::OperatingCosts,
            (Some(Topic::Procurement), ..) => K::Procurement,
            (Some(Topic::PurchaseOfServices), ..) => K::PurchaseOfServices,
            (Some(Topic::PerformanceEvaluation), ..) => K::PerformanceEvaluation,
            (Some(Topic::PerformanceTargets), ..) if self.whole_department => {
                K::DepartmentPerformance
            }
            (Some(Topic::PerformanceTargets), ..) => K::PerformanceTargets,
            (_, Some(Fund::GovFund), ..) => K::GovFundExpenditure,
            (_, Some(Fund::StateCapital), ..) => K::StateCapitalExpenditure,
            (_, _, Some(Spending::Project), _) => K::ProjectExpenditure,
            (_, Some(Fund::Fiscal), _, Some(Flow::Both)) => K::FiscalSummary,
            (_, _, _, Some(Flow::Both)) => K::Summary,
            (_, Some(Fund::General), Some(Spending::Basic), _) => K::GeneralBasicExpenditure,
            (_, Some(Fund::Fiscal), Some(Spending::Basic), _) => K::FiscalBasicExpenditure,
            (_, None, Some(Spending::Basic), _) => K::BasicExpenditure,
            (_, Some(Fund::General), _, Some(Flow::Expenditure)) => K::GeneralExpenditure,
            (_, Some(Fund::Fiscal), _, Some(Flow::Expenditure)) => K::FiscalExpenditure,
            (_, None, _, Some(Flow::Expenditure)) => K::Expenditure,
            (_, None | Some(Fund::Fiscal), _, Some(Flow::Revenue)) => K::Revenue,
            _ => K::Other,
        }
    }
}

/// The insides of a text's bracketed parts (`（功能科目）`, `(一般公共预算)`), left to right, and
/// the text without those parts. By hand what the regex `[(（]([^()（）]*)[)）]` found (163 µs to
/// compile, paid by every process): an opening bracket, anything but a bracket, a closing one.
fn brackets(text: &str) -> (Vec<&str>, String) {
    let mut insides = Vec::new();
    let mut without = String::with_capacity(text.len());
    // Where the text is kept from, and the last opening bracket with no bracket after it:
    // where it starts and where its inside does.
    let mut kept = 0;
    let mut open = None;
    for (i, c) in text.char_indices() {
        match (c, open) {
            ('(' | '（', _) => open = Some((i, i + c.len_utf8())),
            (')' | '）', Some((start, inside))) => {
                insides.push(&text[inside..i]);
                without.push_str(&text[kept..start]);
                kept = i + c.len_utf8();
                open = None;
            }
            _ => {}
        }
    }
    without.push_str(&text[kept..]);
    (insides, without)
}

/// A title's numbering with its colon, if any: `公开01表`, `部门预算预算3表`, `附表1-2`, `表三`,
/// `-1`, `一、`, `3.`. A parser for what the regex `^((部门预算|单位预算)?(公开|预算)\d+表|附?表
/// [0-9一二三四五六七八九十]+([-—－]\d+)*|[-—－]\d+|[一二三四五六七八九十]+、|\d+[.、])[:：]?`
/// matched, which took 311 µs to compile, paid by every process. Its alternatives start with
/// different characters, and each part stops where nothing can follow it, so taking every
/// part whole without backtracking matches what the regex did.
fn numbering(i: &str) -> IResult<&str, &str> {
    recognize((
        alt((
            recognize((
                opt(alt((tag("部门预算"), tag("单位预算")))),
                alt((tag("公开"), tag("预算"))),
                digits,
                tag("表"),
            )),
            recognize((
                opt(tag("附")),
                tag("表"),
                take_while1(|c: char| c.is_ascii_digit() || is_numeral(c)),
                many0((dash, digits)),
            )),
            recognize((dash, digits)),
            recognize((take_while1(is_numeral), tag("、"))),
            recognize((digits, one_of(".、"))),
        )),
        opt(one_of(":：")),
    ))
    .parse(i)
}

/// A year as titles print it, `2026年` or `2026年度`: its digits.
fn printed_year(i: &str) -> IResult<&str, &str> {
    terminated(year, (tag("年"), opt(tag("度")))).parse(i)
}

/// The first year a title or a column header names (`2026年`, `2026年度`), and the text
/// without its years: one rule for titles and header paths alike. By hand what the regex
/// `((?:19|20)\d{2})年度?` captured first and removed everywhere (197 µs to compile, paid by
/// every process).
pub(crate) fn split_year(text: &str) -> (Option<u16>, String) {
    let mut first = None;
    let mut without = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        match printed_year(rest) {
            Ok((after, y)) => {
                first.get_or_insert(y);
                rest = after;
            }
            Err(_) => {
                without.push(c);
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    (first.and_then(|y| y.parse().ok()), without)
}

/// A recognised title: its kind, its parts, and the title normalised for display.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Title {
    pub kind: TableKind,
    pub parts: TitleParts,
    /// Without numbering, year and spaces; brackets kept (`财政拨款支出预算表(功能科目)`).
    pub normalised: String,
}

impl Title {
    /// Whether the table's rows are classified by economic codes: as its title says
    /// (`（按支出经济分类科目）`), else as its kind usually is.
    pub fn economic_rows(&self) -> bool {
        match self.parts.breakdown {
            Some(Breakdown::Economic) => true,
            Some(Breakdown::Function) => false,
            _ => self.kind.economic_rows(),
        }
    }
}

/// Reads a printed title into its parts and kind; a title of none of the known kinds is
/// `Other`, its text kept.
pub fn classify(raw: &str) -> Title {
    let mut parts = TitleParts::default();
    // Numbering is stripped before `、` goes (`一、` is numbering, `一` alone is not).
    let mut t = canonical(raw);
    while let Ok((rest, number)) = numbering(&t) {
        parts
            .number
            .get_or_insert_with(|| number.trim_end_matches(':').to_string());
        t = rest.to_string();
    }
    // A sentence leading to the table (`具体资金情况如下表：项目支出情况表`) is not its title.
    if let Some((_, after)) = t.rsplit_once(':') {
        if !after.is_empty() {
            t = after.to_string();
        }
    }
    let (year, normalised) = split_year(&t);
    parts.year = year;
    let (insides, without_brackets) = brackets(&normalised);
    for inside in insides {
        let (inner, _) = words(inside);
        let mut breakdowns = inner.iter().filter_map(|w| match w {
            W::Breakdown(b) => Some(*b),
            _ => None,
        });
        let fund = inner.iter().find_map(|w| match w {
            W::Fund(f) => Some(*f),
            _ => None,
        });
        match (breakdowns.next(), fund) {
            (Some(b), _) => {
                parts.breakdown.get_or_insert(b);
            }
            // `（一般公共预算）` after a "三公" table's title.
            (None, Some(f)) => parts.fund = Some(f),
            (None, None) => parts.qualifiers.push(inside.to_string()),
        }
        // `（按支出经济分类科目-不含上年结转）`: a breakdown and a qualifier.
        if let Some((_, q)) = inside.split_once(['-', '—', '－']) {
            parts.qualifiers.push(q.to_string());
        }
    }
    let key = title_key(&without_brackets);
    let (words, lead) = words(&key);
    parts.subject = Some(lead.to_string()).filter(|l| !l.is_empty());
    parts.phase = if key.contains("决算") {
        Phase::FinalAccount
    } else {
        Phase::Budget
    };
    for w in words {
        match w {
            W::Fund(f) => {
                // 财政拨款 is the broadest source: a title naming another too is that one's
                // (一般公共预算财政拨款支出表, 政府性基金预算财政拨款支出预算表).
                if parts.fund.is_none_or(|old| old == Fund::Fiscal) {
                    parts.fund = Some(f);
                }
            }
            W::Spending(s) => {
                parts.spending.get_or_insert(s);
                parts.flow.get_or_insert(Flow::Expenditure);
            }
            W::Topic(x) => {
                parts.topic.get_or_insert(x);
            }
            W::Flow(f) => {
                if parts.flow != Some(Flow::Both) {
                    parts.flow = Some(f);
                }
            }
            W::Breakdown(b) => parts.breakdown = Some(b),
            W::Form(f) => parts.form = Some(f),
            W::WholeDepartment => parts.whole_department = true,
            W::Level => {}
        }
    }
    Title {
        kind: parts.kind(),
        parts,
        normalised,
    }
}

/// The known words of `t` in order, skipping free text, and the free text before the first.
fn words(t: &str) -> (Vec<Word>, &str) {
    let mut out = Vec::new();
    let mut rest = t;
    let mut lead = t;
    while !rest.is_empty() {
        match word(rest) {
            Ok((r, w)) => {
                if out.is_empty() {
                    lead = &t[..t.len() - rest.len()];
                }
                out.push(w);
                rest = r;
            }
            Err(_) => {
                let mut chars = rest.chars();
                chars.next();
                rest = chars.as_str();
            }
        }
    }
    (out, lead)
}
#[cfg(test)]
mod tests {
    use super::*;

    use crate::text::{assert_reads_as_regex, pattern};

    /// `numbering` matches what the regex did: 200,000 generated titles and edge cases.
    #[test]
    fn numbering_as_the_regex_read_it() {
        let re = pattern(
            r"^((部门预算|单位预算)?(公开|预算)\d+表|附?表[0-9一二三四五六七八九十]+([-—－]\d+)*|[-—－]\d+|[一二三四五六七八九十]+、|\d+[.、])[:：]?",
        );
        let titles = crate::text::strings(
            &[
                "",
                "公开01表",
                "部门预算公开1表:",
                "单位预算预算２表：收支",
                "部门预算1表",
                "预算预算1表",
                "附表1-2-3：",
                "附表1-",
                "附表1-a",
                "附表１",
                "表十一",
                "表1－２—3",
                "附件",
                "附",
                "-1",
                "—",
                "一、",
                "一二",
                "十、:",
                "3.",
                "3、：",
                "３",
                "12",
                "1.1",
                "a1.",
            ],
            &[
                "部门预算",
                "单位预算",
                "公开",
                "预算",
                "部门",
                "附",
                "表",
                "附表",
                "1",
                "0",
                "9",
                "０",
                "９",
                "一",
                "三",
                "十",
                "、",
                "-",
                "—",
                "－",
                ".",
                ":",
                "：",
                "a",
                "收支",
                "\n",
                " ",
            ],
        );
        assert_reads_as_regex(
            &titles,
            |t| numbering(t).ok().map(|(_, n)| n),
            |t| re.find(t).map(|m| m.as_str()),
            Option::is_some,
        );
    }

    /// `split_year` reads and removes what the regex did: 200,000 generated titles and edge
    /// cases.
    #[test]
    fn split_year_as_the_regex_read_it() {
        let re = pattern(r"((?:19|20)\d{2})年度?");
        let titles = crate::text::strings(
            &[
                "",
                "2026年",
                "2026年度收支",
                "２０２６年2025年度",
                "2026 年",
                "20261年",
                "1899年",
                "2019年2020年度表",
                "年度2019",
                "20192019年度度",
            ],
            &[
                "19",
                "20",
                "1",
                "2",
                "0",
                "9",
                "5",
                "０",
                "１",
                "２",
                "９",
                "年",
                "度",
                "年度",
                " ",
                "\n",
                "收支",
                "表",
                "2018年",
                "2020年度",
            ],
        );
        let by_regex = |t| {
            let year = re.captures(t).and_then(|c| c.get(1)?.as_str().parse().ok());
            (year, re.replace_all(t, "").into_owned())
        };
        assert_reads_as_regex(&titles, split_year, by_regex, |(year, _)| year.is_some());
    }

    /// `brackets` finds what the regex did: 200,000 generated titles and edge cases.
    #[test]
    fn brackets_as_the_regex_read_them() {
        let re = pattern(r"[(（]([^()（）]*)[)）]");
        let titles = crate::text::strings(
            &[
                "",
                "()",
                "（）",
                "(）",
                "（)",
                "((a)",
                "(a))",
                "(a(b)c)",
                "a(b)c（d）e",
                ")(",
                "(",
                "（按支出经济分类科目-不含上年结转）",
                "(\n)",
            ],
            &[
                "(",
                ")",
                "（",
                "）",
                "a",
                "功能",
                "科目",
                "-",
                "\n",
                " ",
                "表",
                "（一般公共预算）",
            ],
        );
        let by_regex = |t| {
            let insides: Vec<&str> = re
                .captures_iter(t)
                .filter_map(|c| c.get(1))
                .map(|m| m.as_str())
                .collect();
            (insides, re.replace_all(t, "").into_owned())
        };
        assert_reads_as_regex(&titles, brackets, by_regex, |(insides, _)| {
            !insides.is_empty()
        });
    }

    /// Every title printed in ../shared/corpus/real and ../shared/seed.
    #[test]
    fn titles_of_both_provinces() {
        let cases = [
            ("收支预算总表", TableKind::Summary),
            ("一、收支预算总表", TableKind::Summary),
            (
                "一、2017年度江苏省高级人民法院部门收支预算总表",
                TableKind::Summary,
            ),
            ("收入预算总表", TableKind::Revenue),
            (
                "二、2018年度江苏省高级人民法院收入预算总表",
                TableKind::Revenue,
            ),
            ("支出预算总表", TableKind::Expenditure),
            ("2021年市级部门支出预算总表", TableKind::Expenditure),
            ("财政拨款收支预算总表", TableKind::FiscalSummary),
            (
                "2021年市级部门财政拨款收支预算总表",
                TableKind::FiscalSummary,
            ),
            ("财政拨款支出预算表", TableKind::FiscalExpenditure),
            (
                "财政拨款支出预算表（功能科目）",
                TableKind::FiscalExpenditure,
            ),
            (
                "财政拨款基本支出预算表（经济科目）",
                TableKind::FiscalBasicExpenditure,
            ),
            ("一般公共预算支出预算表", TableKind::GeneralExpenditure),
            (
                "一般公共预算支出预算表（功能科目）",
                TableKind::GeneralExpenditure,
            ),
            (
                "2021年市级部门一般公共预算支出表",
                TableKind::GeneralExpenditure,
            ),
            ("一般公共预算支出表", TableKind::GeneralExpenditure),
            (
                "一般公共预算基本支出预算表（经济科目）",
                TableKind::GeneralBasicExpenditure,
            ),
            (
                "2021年市级部门一般公共预算基本支出表",
                TableKind::GeneralBasicExpenditure,
            ),
            (
                "“三公”经费、会议费、培训费支出预算表",
                TableKind::ThreePublic,
            ),
            (
                "一般公共预算“三公”经费、会议费、培训费支出预算表",
                TableKind::ThreePublic,
            ),
            (
                "“三公”经费、会议费、培训费支出预算表（一般公共预算）",
                TableKind::ThreePublic,
            ),
            (
                "2021年市级部门一般公共预算“三公”经费表",
                TableKind::ThreePublic,
            ),
            (
                "一般公共预算机关运行经费支出预算表",
                TableKind::OperatingCosts,
            ),
            (
                "财政拨款政府性基金支出预算表",
                TableKind::GovFundExpenditure,
            ),
            (
                "政府性基金预算财政拨款支出预算表",
                TableKind::GovFundExpenditure,
            ),
            ("七、政府性基金支出预算表", TableKind::GovFundExpenditure),
            (
                "2021年市级部门政府性基金支出预算表",
                TableKind::GovFundExpenditure,
            ),
            ("政府采购支出预算表", TableKind::Procurement),
            ("2017年政府采购预算表", TableKind::Procurement),
            (
                "十二、2017年江苏省高级人民法院部门政府采购预算表",
                TableKind::Procurement,
            ),
            (
                "2021年市级部门预算项目绩效目标表",
                TableKind::PerformanceTargets,
            ),
            ("公开01表 收支预算总表", TableKind::Summary),
            (
                "部门预算公开06表 财政拨款基本支出预算表",
                TableKind::FiscalBasicExpenditure,
            ),
            ("表十二 2017年政府采购预算表", TableKind::Procurement),
            ("收 支 预 算 总 表", TableKind::Summary),
        ];
        for (raw, kind) in cases {
            assert_eq!(classify(raw).kind, kind, "{raw}");
        }
    }

    /// The titles [`titles_across_provinces`] reads, with the kind, fund and breakdown each makes.
    const PROVINCE_TITLES: &[(&str, TableKind, Option<Fund>, Option<Breakdown>)] = &[
        (
            "一般公共预算支出情况表（按功能分类科目）",
            TableKind::GeneralExpenditure,
            Some(Fund::General),
            Some(Breakdown::Function),
        ),
        (
            "2026年预算单位一般公共预算支出功能分类预算表",
            TableKind::GeneralExpenditure,
            Some(Fund::General),
            Some(Breakdown::Function),
        ),
        (
            "部门预算基本支出预算表",
            TableKind::BasicExpenditure,
            None,
            None,
        ),
        (
            "部门综合预算一般公共预算基本支出明细表（按支出经济分类科目）",
            TableKind::GeneralBasicExpenditure,
            Some(Fund::General),
            Some(Breakdown::Economic),
        ),
        (
            "部门综合预算一般公共预算基本支出明细表（按支出功能分类科目）",
            TableKind::GeneralBasicExpenditure,
            Some(Fund::General),
            Some(Breakdown::Function),
        ),
        (
            "部门综合预算一般公共预算支出明细表（按支出经济分类科目）",
            TableKind::GeneralExpenditure,
            Some(Fund::General),
            Some(Breakdown::Economic),
        ),
        (
            "预算10表政府采购预算明细表",
            TableKind::Procurement,
            None,
            None,
        ),
        (
            "预算11表财政拨款政府购买服务明细表",
            TableKind::PurchaseOfServices,
            Some(Fund::Fiscal),
            None,
        ),
        ("政府采购支出表", TableKind::Procurement, None, None),
        (
            "一般公共预算项目支出情况表（按经济分类科目）",
            TableKind::ProjectExpenditure,
            Some(Fund::General),
            Some(Breakdown::Economic),
        ),
        (
            "部门预算项目支出及其他支出预算表",
            TableKind::ProjectExpenditure,
            None,
            None,
        ),
        (
            "部门综合预算专项业务经费支出表(不含上年结转)",
            TableKind::ProjectExpenditure,
            None,
            None,
        ),
        (
            "具体资金情况如下表：项目支出情况表",
            TableKind::ProjectExpenditure,
            None,
            None,
        ),
        (
            "财政拨款安排的行政经费及“三公”经费预算表",
            TableKind::ThreePublic,
            Some(Fund::Fiscal),
            None,
        ),
        (
            "部门综合预算一般公共预算拨款“三公”经费及会议费、培训费支出预算表",
            TableKind::ThreePublic,
            Some(Fund::General),
            None,
        ),
        (
            "2022年部门综合预算一般公共预算拨款“三公”经费、会议费、培训费表（不含上年结转）",
            TableKind::ThreePublic,
            Some(Fund::General),
            None,
        ),
        (
            "部门整体支出绩效目标表",
            TableKind::DepartmentPerformance,
            None,
            None,
        ),
        (
            "预算13表部门整体支出绩效目标表",
            TableKind::DepartmentPerformance,
            None,
            None,
        ),
        (
            "-9部门专项业务经费绩效目标表",
            TableKind::PerformanceTargets,
            None,
            None,
        ),
        (
            "西安市卫生健康委员会部门整体支出绩效自评表",
            TableKind::PerformanceEvaluation,
            None,
            None,
        ),
        (
            "2021年部门综合预算政府性基金收支表（不含上年结转）",
            TableKind::GovFundExpenditure,
            Some(Fund::GovFund),
            None,
        ),
        (
            "政府性基金预算财政拨款支出预算表",
            TableKind::GovFundExpenditure,
            Some(Fund::GovFund),
            None,
        ),
        ("部门收支总体情况表", TableKind::Summary, None, None),
        (
            "财政拨款收支总体情况表",
            TableKind::FiscalSummary,
            Some(Fund::Fiscal),
            None,
        ),
        ("部门收入总体情况表", TableKind::Revenue, None, None),
        ("部门支出总体情况表", TableKind::Expenditure, None, None),
        (
            "财政拨款收入支出决算总表",
            TableKind::FiscalSummary,
            Some(Fund::Fiscal),
            None,
        ),
        ("收入支出决算总表", TableKind::Summary, None, None),
        (
            "一般公共预算财政拨款基本支出决算表",
            TableKind::GeneralBasicExpenditure,
            Some(Fund::General),
            None,
        ),
        ("政府网站工作年度报表", TableKind::Other, None, None),
    ];

    /// Titles of the national sample's provinces (北京, 广东, 陕西, 湖南, 江苏 cities), each read
    /// off its page, with the kind and the parts that make it.
    #[test]
    fn titles_across_provinces() {
        for (raw, kind, fund, breakdown) in PROVINCE_TITLES {
            let t = classify(raw);
            assert_eq!(
                (t.kind, t.parts.fund, t.parts.breakdown),
                (*kind, *fund, *breakdown),
                "{raw}: {:?}",
                t.parts
            );
        }
        let p = classify("预算11表财政拨款政府购买服务明细表").parts;
        assert_eq!(
            (p.number.as_deref(), p.form, p.phase),
            (Some("预算11表"), Some(Form::Detail), Phase::Budget)
        );
        let p = classify(
            "2022年部门综合预算一般公共预算基本支出明细表（按支出经济分类科目-不含上年结转）",
        )
        .parts;
        assert_eq!(p.year, Some(2022));
        assert_eq!(p.qualifiers, vec!["不含上年结转".to_string()]);
        assert_eq!(classify("收入决算表").parts.phase, Phase::FinalAccount);
        assert_eq!(
            classify("一、2017年度江苏省高级人民法院部门收支预算总表")
                .parts
                .subject
                .as_deref(),
            Some("江苏省高级人民法院")
        );
    }

    /// Every word of [`WORDS`] can be read: none is hidden behind an earlier word it begins
    /// with (`收入` before `收入支出` would never let the longer one match).
    #[test]
    fn no_word_is_shadowed() {
        for (i, (later, _)) in WORDS.iter().enumerate() {
            for (earlier, _) in &WORDS[..i] {
                assert!(!later.starts_with(earlier), "{earlier} hides {later}");
            }
        }
    }

    #[test]
    fn normalised_title_and_unknowns() {
        assert_eq!(
            classify("一、2017年度江苏省高级人民法院部门收支预算总表").normalised,
            "江苏省高级人民法院部门收支预算总表"
        );
        assert_eq!(
            classify("财政拨款支出预算表（功能科目）").normalised,
            "财政拨款支出预算表(功能科目)"
        );
        let other = classify("部门基本情况表");
        assert_eq!(
            (other.kind, other.normalised.as_str()),
            (TableKind::Other, "部门基本情况表")
        );
    }
}
