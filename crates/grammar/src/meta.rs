//! Meta lines printed above tables (`部门名称：【253001】绍兴市大数据发展管理局本级`,
//! `部门：中共江苏省委办公厅`, `单位：元`, `金额单位：万元`), department names, fiscal years.

use crate::amount::Unit;
use crate::text::canonical;
use crate::text::pattern;
use nom::bytes::complete::{tag, take_while1};
use nom::sequence::delimited;
use nom::{IResult, Parser};
use regex::Regex;
use serde::{Deserialize, Serialize};
use std::sync::LazyLock;

// Constant patterns, compiled by `text::pattern` (each forced in `patterns_compile`).
static BUDGET_TITLE: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"(部门|单位)(综合)?(预算|决算)|预算(信息)?公开|决算(信息)?公开"));
static OTHER_DOCUMENT: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"(报告|通知|办法|意见|方案|规划|目录)$"));
/// A cover's heading naming the department's budget: `江苏省政协办公厅2018年度部门预算公开`.
static HEADING: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"^(?:(?:19|20)\d{2}年度?)?(.{4,40}?)(?:(?:19|20)\d{2}年?度?)?(?:部门|单位)(?:综合)?预算",
    )
});
static KEY: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"(部门名称|编制单位|预算单位|金额单位|部门|单位)\s*([：:]|【)"));
static YEAR: LazyLock<Regex> = LazyLock::new(|| pattern(r"((?:19|20)\d{2})\s*年"));
static FILE_YEAR: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"(?:^|[^\d])((?:19|20)\d{2})(?:[^\d]|$)"));

/// A department as printed: its name (and code, where the province prints one).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Department {
    /// The name as printed, spaces removed.
    pub name: String,
    /// The budget unit code (`253001`), where printed.
    pub code: Option<String>,
}

/// What one meta line says.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meta {
    pub department: Option<Department>,
    pub unit: Option<Unit>,
}

/// `【253001】` in front of a name.
fn bracketed_code(i: &str) -> IResult<&str, &str> {
    delimited(
        tag("【"),
        take_while1(|c: char| c.is_ascii_digit()),
        tag("】"),
    )
    .parse(i)
}

/// Reads a department value: `【code】name` or `name`.
pub fn parse_department(value: &str) -> Option<Department> {
    let v = canonical(value);
    let (name, code) = match bracketed_code(&v) {
        Ok((rest, code)) => (rest.to_string(), Some(code.to_string())),
        Err(_) => (v, None),
    };
    (!name.is_empty()).then_some(Department { name, code })
}

/// Reads a unit value: `元` or `万元` (anything else is not a unit this dataset knows).
pub fn parse_unit(value: &str) -> Option<Unit> {
    match canonical(value).as_str() {
        "元" => Some(Unit::Yuan),
        "万元" => Some(Unit::WanYuan),
        _ => None,
    }
}

/// Reads a meta line, which may hold several `key：value` parts.
pub fn parse_meta(line: &str) -> Meta {
    let keys: Vec<_> = KEY.captures_iter(line).collect();
    let mut meta = Meta::default();
    for (i, cap) in keys.iter().enumerate() {
        let (Some(whole), Some(key), Some(sep)) = (cap.get(0), cap.get(1), cap.get(2)) else {
            continue;
        };
        let start = if sep.as_str() == "【" {
            sep.start()
        } else {
            whole.end()
        };
        let end = keys
            .get(i + 1)
            .and_then(|c| c.get(0))
            .map_or(line.len(), |m| m.start());
        let value = &line[start..end.max(start)];
        match key.as_str() {
            "单位" | "金额单位" => meta.unit = meta.unit.or(parse_unit(value)),
            _ => meta.department = meta.department.take().or_else(|| parse_department(value)),
        }
    }
    meta
}

/// The department a cover's heading names before `部门预算` (`江苏省政协办公厅2018年度部门预算
/// 公开` → `江苏省政协办公厅`), whether or not it is a department's name.
pub fn department_in_heading(line: &str) -> Option<String> {
    HEADING
        .captures(line)
        .and_then(|c| c.get(1))
        .map(|m| m.as_str().to_string())
}

/// Whether a line holds a meta key (`部门：`, `单位：`, `部门名称【`).
pub(crate) fn has_meta_key(line: &str) -> bool {
    KEY.is_match(line)
}

/// A department's name normalised for grouping across years and files: `中国共产党` and a
/// leading `中共` dropped, `委员会` as `委`, a trailing `本级` dropped, no spaces. The
/// province or city prefix stays: it is part of who the department is.
pub fn department_key(name: &str) -> String {
    let mut n = canonical(name)
        .replace("中国共产党", "")
        .replace("委员会", "委");
    if let Some(rest) = n.strip_prefix("中共") {
        n = rest.to_string();
    }
    // The level a document adds to the name (`（本级）`, `（汇总）`, `…部门` before 预算).
    for suffix in ["(本级)", "(汇总)", "本级", "汇总", "部门"] {
        if let Some(rest) = n.strip_suffix(suffix) {
            n = rest.to_string();
        }
    }
    n
}

/// Endings of an organisation's name: a text that ends otherwise (`-财拨结转`, `部综合预算`,
/// `2022`) is no department, wherever it was found.
const ORGANISATION_ENDINGS: &[&str] = &[
    "局", "委", "办", "室", "厅", "院", "会", "部", "中心", "站", "所", "馆", "队", "处", "社",
    "团", "校", "政府", "公司", "集团", "机构", "基地", "台", "库", "署", "科",
];

/// Whether a character is a Chinese character (the CJK Unified Ideographs block).
fn han(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
}

/// Whether `name` can be a department's (or unit's) name: ends as an organisation does,
/// once its level (`（本级）`, `（汇总）`) is cut off.
pub fn is_department_name(name: &str) -> bool {
    let key = department_key(name);
    key.chars().count() >= 3
        && key.chars().any(han)
        && ORGANISATION_ENDINGS.iter().any(|e| key.ends_with(e))
}

/// The keys a form prints in a cell beside a department's name (`部门名称 | 北京市审计局` in a
/// performance form).
const DEPARTMENT_KEYS: &[&str] = &["部门名称", "单位名称", "预算单位", "部门(单位)名称"];

/// Whether a form's cell (canonical text) is the key of the department's name beside it.
pub fn is_department_key(cell: &str) -> bool {
    DEPARTMENT_KEYS.contains(&cell)
}

/// Whether a line names a department's budget or final account (`XX局2026年部门预算`,
/// `单位预算公开`, `部门决算`): a document without budget tables is one only with such a title.
pub fn names_a_budget(text: &str) -> bool {
    BUDGET_TITLE.is_match(&canonical(text))
}

/// Whether a document's title names another kind of document than a budget: a report
/// (`长沙市财政项目支出绩效评价报告`, which prints a department's budget tables), a notice, rules,
/// a plan.
pub fn names_other_document(text: &str) -> bool {
    let t = canonical(text);
    t.chars().filter(|&c| han(c)).count() >= 6
        && !names_a_budget(&t)
        && OTHER_DOCUMENT.is_match(t.trim())
}

/// Where a document's fiscal year was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, strum::IntoStaticStr)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum YearSource {
    Title,
    FirstPage,
    FileName,
}

/// The first year printed as `2021年` in a text.
pub fn year_in_text(text: &str) -> Option<u16> {
    YEAR.captures(&canonical(text))
        .and_then(|c| c.get(1))
        .and_then(|m| m.as_str().parse().ok())
}

/// A year standing alone in a file name (`2018年省检察院…`, `budget-2021.pdf`).
pub fn year_in_file_name(name: &str) -> Option<u16> {
    FILE_YEAR
        .captures(name)
        .and_then(|c| c.get(1))
        .and_then(|m| m.as_str().parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every pattern of this module compiles, so `text::pattern`'s `expect` is unreachable
    /// from any input.
    #[test]
    fn patterns_compile() {
        LazyLock::force(&BUDGET_TITLE);
        LazyLock::force(&OTHER_DOCUMENT);
        LazyLock::force(&HEADING);
        LazyLock::force(&KEY);
        LazyLock::force(&YEAR);
        LazyLock::force(&FILE_YEAR);
    }

    /// Changsha 3ce00468: a performance-evaluation report that prints the department's budget
    /// tables is no budget.
    #[test]
    fn titles_of_other_documents() {
        assert!(names_other_document("长沙市财政项目支出绩效评价报告"));
        assert!(names_other_document(
            "关于印发《长沙市服务外包产业发展专项资金管理办法》的通知"
        ));
        assert!(!names_other_document("苏州市审计局2026年度部门预算"));
        assert!(!names_other_document("部门预算公开说明"));
        assert!(!names_other_document("收支预算总表"));
    }

    #[test]
    fn meta_lines_of_both_provinces() {
        let zj = parse_meta("部门名称：【253001】绍兴市大数据发展管理局本级");
        assert_eq!(
            zj.department,
            Some(Department {
                name: "绍兴市大数据发展管理局本级".into(),
                code: Some("253001".into())
            })
        );
        let perf = parse_meta("部门名称【253001】绍兴市大数据发展管理局本级");
        assert_eq!(
            perf.department.and_then(|d| d.code).as_deref(),
            Some("253001"),
            "no colon before the code"
        );
        let js = parse_meta("部门： 江苏省人民检察院 单位：万元");
        assert_eq!(
            js.department.map(|d| d.name).as_deref(),
            Some("江苏省人民检察院")
        );
        assert_eq!(js.unit, Some(Unit::WanYuan));
        assert_eq!(parse_meta("单位：元").unit, Some(Unit::Yuan));
        assert_eq!(parse_meta("金额单位：万元").unit, Some(Unit::WanYuan));
        assert_eq!(
            parse_meta("单位:万元").unit,
            Some(Unit::WanYuan),
            "ASCII colon (人大 2018)"
        );
        let wrapped = parse_meta("部门名称：江苏省人大 常委会办公厅 单位:万元");
        assert_eq!(
            wrapped.department.map(|d| d.name).as_deref(),
            Some("江苏省人大常委会办公厅")
        );
        assert_eq!(
            parse_meta("部门名称： 【253001】绍兴市大数据发展管理局本级 单位：元").unit,
            Some(Unit::Yuan)
        );
        assert_eq!(
            parse_meta("单位：千元").unit,
            None,
            "fail closed on a unit this dataset does not know"
        );
    }

    #[test]
    fn department_keys_group_renamed_spellings() {
        assert_eq!(department_key("中共江苏省委办公厅"), "江苏省委办公厅");
        assert_eq!(
            department_key("中国共产党江苏省委员会办公厅"),
            "江苏省委办公厅"
        );
        assert_eq!(
            department_key("绍兴市大数据发展管理局本级"),
            "绍兴市大数据发展管理局"
        );
        assert_eq!(
            department_key("江苏省人大 常委会办公厅"),
            "江苏省人大常委会办公厅"
        );
    }

    #[test]
    fn years() {
        assert_eq!(
            year_in_text("一、2017年度江苏省高级人民法院部门收支预算总表"),
            Some(2017)
        );
        assert_eq!(year_in_text("2021 年单位预算"), Some(2021));
        assert_eq!(year_in_text("收支预算总表"), None);
        assert_eq!(
            year_in_file_name("2018年省检察院部门预算公开.pdf"),
            Some(2018)
        );
        assert_eq!(
            year_in_file_name("省人大办公厅2018预算公开.pdf"),
            Some(2018)
        );
        assert_eq!(year_in_file_name("synth-0007.pdf"), None);
    }
}
