//! Row labels: numbering prefixes (`一、`, `（一）`, `1.`, `(1)`, `其中：`), classification
//! codes printed in front of the name or in their own column, and the codes themselves.

use crate::error::GrammarError;
use crate::text::canonical;
use nom::branch::alt;
use nom::bytes::complete::{tag, take_while1, take_while_m_n};
use nom::character::complete::one_of;
use nom::combinator::{opt, recognize};
use nom::sequence::{delimited, pair, terminated};
use nom::{IResult, Parser};
use serde::{Deserialize, Serialize, Serializer};
use std::fmt;

/// A row label, read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Label {
    /// `一、`, `(一)`, `1.`, `(1)`, `其中:` (canonical form).
    pub numbering: Option<String>,
    /// A code printed in front of the name.
    pub code: Option<String>,
    /// The name: canonical, without numbering or code.
    pub name: String,
}

/// A row's label path: the labels it is printed under, top level first (a category's name
/// in one column, the item's in the next), each as printed and as read. Kept as levels so no
/// reader splits a joined text again (a label holding a `/` would read as two).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LabelPath {
    printed: Vec<String>,
    read: Vec<Label>,
}

impl LabelPath {
    /// Reads each level once, here, for every later stage.
    pub fn new(printed: Vec<String>) -> LabelPath {
        let read = printed.iter().map(|n| parse_label(n)).collect();
        LabelPath { printed, read }
    }

    /// The labels as printed, top level first.
    pub fn levels(&self) -> &[String] {
        &self.printed
    }

    /// The labels as read (numbering, code, name), level by level.
    pub fn labels(&self) -> &[Label] {
        &self.read
    }

    /// The numbering the top level prints (`一、`, `其中:`): the row's place among its
    /// neighbours.
    pub fn numbering(&self) -> Option<&str> {
        self.read.first()?.numbering.as_deref()
    }
}

/// The one written form of a label path: its levels joined by `/`, as the dataset's
/// `item_name_raw` keeps it.
impl fmt::Display for LabelPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.printed.join("/"))
    }
}

/// Written as its joined text, as a record's JSON read before the levels were kept.
impl Serialize for LabelPath {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

const CHINESE_DIGITS: &str = "一二三四五六七八九十百零";
const CIRCLED_DIGITS: &str = "①②③④⑤⑥⑦⑧⑨⑩";
/// The numbering of a row that is part of the row above (`其中：人员经费`), not additive.
const PART: &str = "其中";

fn chinese_number(i: &str) -> IResult<&str, &str> {
    take_while1(|c| CHINESE_DIGITS.contains(c)).parse(i)
}

fn numbering(i: &str) -> IResult<&str, &str> {
    recognize(alt((
        terminated(chinese_number, tag("、")),
        delimited(tag("("), chinese_number, tag(")")),
        delimited(
            tag("("),
            take_while1(|c: char| c.is_ascii_digit()),
            tag(")"),
        ),
        terminated(
            take_while_m_n(1, 2, |c: char| c.is_ascii_digit()),
            one_of(".、"),
        ),
        recognize(pair(tag(PART), opt(one_of(":：")))),
        recognize(one_of(CIRCLED_DIGITS)),
    )))
    .parse(i)
}

/// A code in front of a name: 3 to 9 digits not followed by another digit or a dot, bare or
/// in brackets (Zhuhai: `[2120106]工程建设管理`).
fn leading_code(i: &str) -> IResult<&str, &str> {
    alt((
        delimited(one_of("[【"), bare_code, one_of("]】")),
        bare_code,
    ))
    .parse(i)
}

fn bare_code(i: &str) -> IResult<&str, &str> {
    let (rest, code) = take_while_m_n(3, 9, |c: char| c.is_ascii_digit()).parse(i)?;
    match rest.chars().next() {
        // `2017年` is a year, `12.5` a number: neither is a code.
        Some(c) if c.is_ascii_digit() || c == '.' || c == '年' => Err(nom::Err::Error(
            nom::error::Error::new(i, nom::error::ErrorKind::Digit),
        )),

        _ => Ok((rest, code)),
    }
}

/// The rank a numbering gives its row: `一、` → 1, `（一）` → 2, `1.` → 3, `(1)` → 4, `①` → 5;
/// none for `其中` (a part, not a level). Takes the canonical numbering of [`Label`].
pub fn numbering_rank(n: &str) -> Option<u8> {
    let inner = n.trim_start_matches('(').trim_end_matches([')', '、', '.']);
    let chinese = inner.chars().all(|c| CHINESE_DIGITS.contains(c));
    let digits = inner.chars().all(|c| c.is_ascii_digit());
    match (n.starts_with('('), chinese, digits) {
        _ if inner.is_empty() => None,
        (false, true, _) => Some(1),
        (true, true, _) => Some(2),
        (false, _, true) => Some(3),
        (true, _, true) => Some(4),
        _ if CIRCLED_DIGITS.contains(inner) => Some(5),
        _ => None,
    }
}

/// Whether a numbering marks its row as a part of the row above (`其中：`), not an item.
pub fn numbers_a_part(n: &str) -> bool {
    n.starts_with(PART)
}

/// Whether a row's first label text opens a new item — a numbering (`一、`, `（一）`, `1.`,
/// `其中`) or a code — rather than being the tail of the label above, cut at a page's foot
/// (`八、社会保障和就` ⏎ `业支出`). Only its first character is looked at: the table stage
/// joins rows cut over pages before any label is read whole.
pub fn starts_item(text: &str) -> bool {
    let t = text.trim_start();
    let first = t.chars().next();
    first.is_some_and(|c| c.is_ascii_digit() || "一二三四五六七八九十（(".contains(c))
        || t.starts_with(PART)
}

/// Whether a label cell's text is a classification or unit code alone (all digits, 3 to 12).
pub fn is_code(text: &str) -> bool {
    let t = canonical(text);
    (3..=12).contains(&t.len()) && t.bytes().all(|b| b.is_ascii_digit())
}

/// Grand totals: the table's or the side's.
pub(crate) const TOTALS: &[&str] = &[
    "合计",
    "总计",
    "收入总计",
    "支出总计",
    "收入合计",
    "支出合计",
    "收支总计",
    "人员经费合计",
    "公用经费合计",
];
/// Fund sources a balance row is split into, row by row, below it (the 决算 财政拨款收入支出
/// 决算总表: 年初财政拨款结转和结余 ⏎ 一般公共预算财政拨款 ⏎ 政府性基金预算财政拨款).
pub(crate) const FUNDS: &[&str] = &[
    "一般公共预算财政拨款",
    "政府性基金预算财政拨款",
    "国有资本经营预算财政拨款",
    "一般公共预算",
    "政府性基金预算",
    "国有资本经营预算",
];
/// Current-year subtotals, printed below the rows they close.
pub(crate) const SUBTOTALS: &[&str] = &[
    "本年收入合计",
    "本年支出合计",
    "当年收入小计",
    "当年支出小计",
    "本年收入小计",
    "本年支出小计",
];
/// Current-year subtotals printed above the rows they close (Zhejiang 财政拨款收支预算总表).
pub(crate) const HEADERS: &[&str] = &["本年收入", "本年支出"];

/// What a row's name (numbering and code taken off) says of its place among the rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowName {
    /// A grand total (`合计`, `收入总计`).
    Total,
    /// A current-year subtotal below its rows (`本年收入合计`).
    Subtotal,
    /// A current-year subtotal above its rows (`本年收入`, Zhejiang).
    YearHeader,
    /// A fund a balance row is split into (`一般公共预算财政拨款`).
    Fund,
    /// Any other row.
    Other,
}

/// What a row's name says of its place among the rows.
pub fn row_name(name: &str) -> RowName {
    if TOTALS.contains(&name) {
        RowName::Total
    } else if SUBTOTALS.contains(&name) {
        RowName::Subtotal
    } else if HEADERS.contains(&name) {
        RowName::YearHeader
    } else if FUNDS.contains(&name) {
        RowName::Fund
    } else {
        RowName::Other
    }
}

/// Whether a row's name is a balance carried over (`年初财政拨款结转和结余`): the rows below it,
/// unnumbered, split it by fund.
pub fn names_carryover(name: &str) -> bool {
    name.contains("结转")
}

/// Whether the last part of a row's name path (`一般公共预算资金/小计`) is its group's
/// subtotal: the row heads the rows of that group below it.
pub fn is_group_subtotal(part: &str) -> bool {
    part == "小计"
}

/// A row of a summary table naming one part of the budget — an income source or a kind of
/// spending — whose figure the narrative and the other tables state too.
#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::EnumIter, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
pub enum SummaryRow {
    /// 基本支出.
    Basic,
    /// 项目支出.
    Project,
    /// 单位预留机动经费.
    Reserve,
    /// 财政拨款 (income).
    Fiscal,
    /// 一般公共预算 (income).
    FiscalGeneral,
    /// 政府性基金 (income).
    FiscalGovFund,
    /// 国有资本经营 (income).
    FiscalStateCapital,
    /// 财政专户 (income).
    SpecialAccount,
    /// 其他资金, 其他收入.
    OtherIncome,
}

impl SummaryRow {
    /// The words a row's name starts with (`一般公共预算` and `一般公共预算拨款收入` alike).
    pub const fn words(self) -> &'static [&'static str] {
        match self {
            SummaryRow::Basic => &["基本支出"],
            SummaryRow::Project => &["项目支出"],
            SummaryRow::Reserve => &["单位预留机动经费"],
            SummaryRow::Fiscal => &["财政拨款"],
            SummaryRow::FiscalGeneral => &["一般公共预算"],
            SummaryRow::FiscalGovFund => &["政府性基金"],
            SummaryRow::FiscalStateCapital => &["国有资本经营"],
            SummaryRow::SpecialAccount => &["财政专户"],
            SummaryRow::OtherIncome => &["其他资金", "其他收入"],
        }
    }

    /// Whether a row's name (numbering and code taken off) is this row.
    pub fn names(self, name: &str) -> bool {
        self.words().iter().any(|w| name.starts_with(w))
    }
}

/// The categories a 政府采购 table groups its rows under.
pub(crate) const PROCUREMENT_CATEGORIES: &[&str] =
    &["货物", "服务", "工程", "货物类", "服务类", "工程类"];

/// Whether a row's name is a procurement category (`货物`, `服务类`).
pub fn procurement_category(name: &str) -> bool {
    PROCUREMENT_CATEGORIES.contains(&name.trim())
}

/// Reads a printed row label.
pub fn parse_label(raw: &str) -> Label {
    let s = canonical(raw);
    let (rest, numbering) = match numbering(&s) {
        Ok((rest, n)) => (rest, Some(n.to_string())),
        Err(_) => (s.as_str(), None),
    };
    let (name, code) = match leading_code(rest) {
        // `2013601-行政运行`: the dash joins the code to its name.
        Ok((name, code)) if !name.is_empty() => (
            name.strip_prefix(['-', '—']).unwrap_or(name),
            Some(code.to_string()),
        ),
        _ => (rest, None),
    };
    Label {
        numbering,
        code,
        name: name.to_string(),
    }
}

/// Which classification a code belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, strum::IntoStaticStr)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Classification {
    /// 支出功能分类: 类 3 digits, 款 5, 项 7.
    Function,
    /// 部门预算支出经济分类: 类 3, 款 5.
    Economic,
    /// 预算单位: 6 digits, more for sub-units.
    Unit,
}

/// The level of a code in its classification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, strum::IntoStaticStr)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Level {
    /// 类
    Class,
    /// 款
    Section,
    /// 项
    Item,
}

/// A classification code whose length fits its classification.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ItemCode {
    code: String,
    classification: Classification,
}

impl ItemCode {
    /// Checks the code's shape: digits, of a length the classification uses.
    pub fn new(code: &str, classification: Classification) -> Result<ItemCode, GrammarError> {
        let c = canonical(code);
        let fits = c.bytes().all(|b| b.is_ascii_digit())
            && match classification {
                Classification::Function => matches!(c.len(), 3 | 5 | 7),
                Classification::Economic => matches!(c.len(), 3 | 5),
                Classification::Unit => (6..=12).contains(&c.len()),
            };
        if fits {
            Ok(ItemCode {
                code: c,
                classification,
            })
        } else {
            Err(GrammarError::NotACode(code.to_string()))
        }
    }

    /// The digits.
    pub fn as_str(&self) -> &str {
        &self.code
    }

    /// The classification.
    pub fn classification(&self) -> Classification {
        self.classification
    }

    /// 类, 款 or 项 (unit codes have no level).
    pub fn level(&self) -> Option<Level> {
        match (self.classification, self.code.len()) {
            (Classification::Unit, _) => None,
            (_, 3) => Some(Level::Class),
            (_, 5) => Some(Level::Section),
            (_, 7) => Some(Level::Item),
            _ => None,
        }
    }

    /// The code of the level above (`2010301` → `20103`), none for a 类.
    pub fn parent(&self) -> Option<String> {
        match self.level()? {
            Level::Class => None,
            _ => Some(self.code[..self.code.len() - 2].to_string()),
        }
    }
}

/// The level a header word names where a code is printed in parts, a column each (`类`,
/// `款`, `项` under a spanning `科目编码`).
pub fn code_part(header: &str) -> Option<Level> {
    match header {
        "类" => Some(Level::Class),
        "款" => Some(Level::Section),
        "项" => Some(Level::Item),
        _ => None,
    }
}

/// Function classes (支出功能分类, 2017–2021 editions, old and new names) by name.
pub(crate) const FUNCTION_CLASSES: &[(&str, &str)] = &[
    ("一般公共服务支出", "201"),
    ("外交支出", "202"),
    ("国防支出", "203"),
    ("公共安全支出", "204"),
    ("教育支出", "205"),
    ("科学技术支出", "206"),
    ("文化体育与传媒支出", "207"),
    ("文化旅游体育与传媒支出", "207"),
    ("社会保障和就业支出", "208"),
    ("社会保险基金支出", "209"),
    ("医疗卫生与计划生育支出", "210"),
    ("卫生健康支出", "210"),
    ("节能环保支出", "211"),
    ("城乡社区支出", "212"),
    ("农林水支出", "213"),
    ("交通运输支出", "214"),
    ("资源勘探信息等支出", "215"),
    ("资源勘探工业信息等支出", "215"),
    ("商业服务业等支出", "216"),
    ("金融支出", "217"),
    ("援助其他地区支出", "219"),
    ("国土海洋气象等支出", "220"),
    ("自然资源海洋气象等支出", "220"),
    ("住房保障支出", "221"),
    ("粮油物资储备支出", "222"),
    ("国有资本经营预算支出", "223"),
    ("灾害防治及应急管理支出", "224"),
    ("预备费", "227"),
    ("其他支出", "229"),
    ("转移性支出", "230"),
    ("债务还本支出", "231"),
    ("债务付息支出", "232"),
    ("债务发行费用支出", "233"),
];

/// The function class whose name `text` ends with (`包括一般公共服务支出`, `一般公共服务（类）支出`,
/// `一般公共服务支出（类）`): the printed phrase and the class code.
pub fn function_class_suffix(text: &str) -> Option<(String, &'static str)> {
    let t = canonical(text);
    FUNCTION_CLASSES
        .iter()
        .filter_map(|(name, code)| {
            let stem = name.strip_suffix("支出").unwrap_or(name);
            [
                name.to_string(),
                format!("{stem}(类)支出"),
                format!("{name}(类)"),
            ]
            .into_iter()
            .find(|form| t.ends_with(form.as_str()))
            .map(|form| (form, *code))
        })
        .max_by_key(|(form, _)| form.len())
}

/// The function class a printed name stands for, where the name is a class name exactly
/// (`一般公共服务支出`; `一般公共服务（类）支出` in narrative too).
pub fn infer_function_class(name: &str) -> Option<&'static str> {
    let n = canonical(name).replace("(类)", "");
    FUNCTION_CLASSES
        .iter()
        .find(|(class, _)| *class == n)
        .map(|(_, code)| *code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn label_path_keeps_levels_and_their_numbering() {
        // A label printing a `/` is one level; the numbering is the top level's, read once.
        let p = LabelPath::new(vec!["（一）教育/科技支出".into(), "小学教育".into()]);
        assert_eq!(p.levels().len(), 2);
        assert_eq!(p.numbering(), Some("(一)"));
        assert_eq!(p.labels()[0].name, "教育/科技支出");
        assert_eq!(p.to_string(), "（一）教育/科技支出/小学教育");
        assert_eq!(LabelPath::new(Vec::new()).numbering(), None);
    }

    #[test]
    fn numbering_ranks() {
        for (n, r) in [
            ("一、", 1),
            ("(一)", 2),
            ("1.", 3),
            ("1、", 3),
            ("(1)", 4),
            ("①", 5),
        ] {
            assert_eq!(numbering_rank(n), Some(r), "{n}");
        }
        assert_eq!(numbering_rank("其中:"), None);
        assert!(numbers_a_part("其中:") && !numbers_a_part("一、"));
    }

    #[test]
    fn item_starts() {
        assert!(
            starts_item("九、医疗卫生")
                && starts_item("2010301")
                && starts_item("（一）")
                && starts_item("其中：人员")
        );
        assert!(!starts_item("业支出") && !starts_item("称"));
    }

    fn parts(raw: &str) -> (Option<String>, Option<String>, String) {
        let l = parse_label(raw);
        (l.numbering, l.code, l.name)
    }

    /// Beijing prints a code joined to its name by a dash.
    #[test]
    fn a_bracketed_code() {
        assert_eq!(
            parts("[2120106]工程建设管理"),
            (None, Some("2120106".into()), "工程建设管理".into())
        );
        assert_eq!(
            parts("【301】工资福利支出"),
            (None, Some("301".into()), "工资福利支出".into())
        );
        assert_eq!(parts("[注]说明"), (None, None, "[注]说明".into()));
    }

    #[test]
    fn a_dash_joins_code_and_name() {
        assert_eq!(
            parts("2013601-行政运行"),
            (None, Some("2013601".into()), "行政运行".into())
        );
        assert_eq!(
            parts("30101-基本工资"),
            (None, Some("30101".into()), "基本工资".into())
        );
    }

    #[test]
    fn labels_printed_in_both_provinces() {
        assert_eq!(
            parts("一、财政拨款"),
            (Some("一、".into()), None, "财政拨款".into())
        );
        assert_eq!(
            parts("十八、住房保障支出"),
            (Some("十八、".into()), None, "住房保障支出".into())
        );
        assert_eq!(
            parts("1.一般公共预算"),
            (Some("1.".into()), None, "一般公共预算".into())
        );
        assert_eq!(
            parts("1. 一 般 公 共预算"),
            (Some("1.".into()), None, "一般公共预算".into())
        );
        assert_eq!(
            parts("(一) 一般公共预算拨款"),
            (Some("(一)".into()), None, "一般公共预算拨款".into())
        );
        assert_eq!(
            parts("（二）政府性基金预算拨款"),
            (Some("(二)".into()), None, "政府性基金预算拨款".into())
        );
        assert_eq!(
            parts("(1) 一般公共服务支出"),
            (Some("(1)".into()), None, "一般公共服务支出".into())
        );
        assert_eq!(
            parts("其中：人员经费"),
            (Some("其中:".into()), None, "人员经费".into())
        );
        assert_eq!(
            parts("2010301 行政运行"),
            (None, Some("2010301".into()), "行政运行".into())
        );
        assert_eq!(parts("合 计"), (None, None, "合计".into()));
        assert_eq!(parts("当年收入小计"), (None, None, "当年收入小计".into()));
        assert_eq!(
            parts("2017年政府采购"),
            (None, None, "2017年政府采购".into()),
            "a year is no code"
        );
    }

    #[test]
    fn codes_levels_parents() {
        let c = ItemCode::new("2010301", Classification::Function).unwrap();
        assert_eq!(
            (c.level(), c.parent().as_deref()),
            (Some(Level::Item), Some("20103"))
        );
        let e = ItemCode::new("30101", Classification::Economic).unwrap();
        assert_eq!(
            (e.level(), e.parent().as_deref()),
            (Some(Level::Section), Some("301"))
        );
        assert_eq!(
            ItemCode::new("201", Classification::Function)
                .unwrap()
                .parent(),
            None
        );
        let u = ItemCode::new("253001", Classification::Unit).unwrap();
        assert_eq!(u.level(), None);
        assert!(ItemCode::new("2010301", Classification::Economic).is_err());
        assert!(ItemCode::new("20a", Classification::Function).is_err());
    }

    #[test]
    fn class_names_infer_codes() {
        assert_eq!(infer_function_class("一般公共服务支出"), Some("201"));
        assert_eq!(
            infer_function_class("医疗卫生与计划生育支出"),
            Some("210"),
            "2017–2018 name"
        );
        assert_eq!(
            infer_function_class("卫生健康支出"),
            Some("210"),
            "2019– name"
        );
        assert_eq!(
            infer_function_class("一般公共服务（类）支出"),
            Some("201"),
            "as narrative prints it"
        );
        assert_eq!(infer_function_class("行政运行"), None);
    }
}
