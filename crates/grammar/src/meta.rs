//! Meta lines printed above tables (`部门名称：【253001】绍兴市大数据发展管理局本级`,
//! `部门：中共江苏省委办公厅`, `单位：元`, `金额单位：万元`), department names, fiscal years.

use crate::amount::Unit;
use crate::text::canonical;
use crate::text::{first_at, is_digit, spaces, year};
use nom::branch::alt;
use nom::bytes::complete::{tag, take_while1};
use nom::combinator::opt;
use nom::sequence::{delimited, preceded};
use nom::{IResult, Parser};
use serde::{Deserialize, Serialize};

/// Words that name a budget or final account in a title: `(部门|单位)(综合)?(预算|决算)`,
/// `(预算|决算)(信息)?公开`. Plain words, found by `contains`: a regex for them cost every
/// process its compilation.
const BUDGET_WORDS: &[&str] = &[
    "部门预算",
    "部门决算",
    "部门综合预算",
    "部门综合决算",
    "单位预算",
    "单位决算",
    "单位综合预算",
    "单位综合决算",
    "预算公开",
    "预算信息公开",
    "决算公开",
    "决算信息公开",
];
/// How the title of another kind of document ends.
const OTHER_DOCUMENT_ENDINGS: &[&str] = &["报告", "通知", "办法", "意见", "方案", "规划", "目录"];

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

/// A meta key and its separator: `部门名称：`, `单位 :`, `部门名称【`. A parser for what the regex
/// `(部门名称|编制单位|预算单位|金额单位|部门|单位)\s*([：:]|【)` matched, which took 186 µs to
/// compile, paid by every process. Where a longer key is printed without a separator, no
/// shorter one can match either (`部门名称` leaves `名称`), so the parser need not backtrack.
fn meta_key(i: &str) -> IResult<&str, (&str, &str)> {
    (
        alt((
            tag("部门名称"),
            tag("编制单位"),
            tag("预算单位"),
            tag("金额单位"),
            tag("部门"),
            tag("单位"),
        )),
        preceded(spaces, alt((tag("："), tag(":"), tag("【")))),
    )
        .parse(i)
}

/// A meta key found in a line.
#[derive(Debug, PartialEq)]
struct KeyAt<'a> {
    /// Where the key starts.
    start: usize,
    key: &'a str,
    /// Where its value starts: after the separator, or at `【`, which opens the value
    /// (`【253001】绍兴市…`).
    value: usize,
}

/// The meta keys of a line, left to right, none inside another.
fn meta_keys(line: &str) -> Vec<KeyAt<'_>> {
    let mut keys = Vec::new();
    let mut at = 0;
    while let Some(c) = line[at..].chars().next() {
        match meta_key(&line[at..]) {
            Ok((rest, (key, sep))) => {
                let end = line.len() - rest.len();
                let value = if sep == "【" { end - sep.len() } else { end };
                keys.push(KeyAt {
                    start: at,
                    key,
                    value,
                });
                at = end;
            }
            Err(_) => at += c.len_utf8(),
        }
    }
    keys
}

/// Reads a meta line, which may hold several `key：value` parts.
pub fn parse_meta(line: &str) -> Meta {
    let keys = meta_keys(line);
    let mut meta = Meta::default();
    for (i, k) in keys.iter().enumerate() {
        let end = keys.get(i + 1).map_or(line.len(), |next| next.start);
        let value = &line[k.value..end.max(k.value)];
        match k.key {
            "单位" | "金额单位" => meta.unit = meta.unit.or(parse_unit(value)),
            _ => meta.department = meta.department.take().or_else(|| parse_department(value)),
        }
    }
    meta
}

/// The end of a budget heading: `(?:(?:19|20)\d{2}年?度?)?(?:部门|单位)(?:综合)?预算`. Each
/// optional part is taken when present: none can start what follows it.
fn budget_ending(i: &str) -> bool {
    (
        opt((year, opt(tag("年")), opt(tag("度")))),
        alt((tag("部门"), tag("单位"))),
        opt(tag("综合")),
        tag("预算"),
    )
        .parse(i)
        .is_ok()
}

/// The department a cover's heading names before `部门预算` (`江苏省政协办公厅2018年度部门预算
/// 公开` → `江苏省政协办公厅`), whether or not it is a department's name.
///
/// What the regex `^(?:(?:19|20)\d{2}年度?)?(.{4,40}?)(?:(?:19|20)\d{2}年?度?)?(?:部门|单位)
/// (?:综合)?预算` captured, by hand: its `.{4,40}?` made the costliest automaton of the
/// grammar (192 µs to compile, paid by every process). A leading year is tried as `年度`, then
/// `年`, then not at all; after each, the shortest name of 4 to 40 characters (no line break)
/// followed by the ending.
pub fn department_in_heading(line: &str) -> Option<String> {
    let after_year = year(line)
        .ok()
        .and_then(|(rest, _)| rest.strip_prefix('年'));
    let starts = [
        after_year.and_then(|r| r.strip_prefix('度')),
        after_year,
        Some(line),
    ];
    starts
        .into_iter()
        .flatten()
        .find_map(shortest_name)
        .map(str::to_string)
}

/// The shortest 4 to 40 characters (no line break) of `text` followed by [`budget_ending`].
fn shortest_name(text: &str) -> Option<&str> {
    let mut end = 0;
    for (count, c) in text.chars().enumerate() {
        if count >= 4 && budget_ending(&text[end..]) {
            return Some(&text[..end]);
        }
        if count == 40 || c == '\n' {
            return None;
        }
        end += c.len_utf8();
    }
    None
}

/// Whether a line holds a meta key (`部门：`, `单位：`, `部门名称【`).
pub(crate) fn has_meta_key(line: &str) -> bool {
    first_at(line, |at| meta_key(at).ok()).is_some()
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
    has_budget_words(&canonical(text))
}

/// Whether canonical text holds one of [`BUDGET_WORDS`].
fn has_budget_words(t: &str) -> bool {
    BUDGET_WORDS.iter().any(|w| t.contains(w))
}

/// Whether canonical text ends as another kind of document's title does.
fn ends_as_other_document(t: &str) -> bool {
    OTHER_DOCUMENT_ENDINGS.iter().any(|e| t.ends_with(e))
}

/// Whether a document's title names another kind of document than a budget: a report
/// (`长沙市财政项目支出绩效评价报告`, which prints a department's budget tables), a notice, rules,
/// a plan.
pub fn names_other_document(text: &str) -> bool {
    let t = canonical(text);
    t.chars().filter(|&c| han(c)).count() >= 6
        && !names_a_budget(&t)
        && ends_as_other_document(t.trim())
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

/// The first year printed as `2021年` in a text: what the regex `((?:19|20)\d{2})\s*年`
/// captured first, by hand (it took 100 µs to compile, paid by every process).
pub fn year_in_text(text: &str) -> Option<u16> {
    let printed = |i| {
        (year, spaces, tag("年"))
            .parse(i)
            .ok()
            .map(|(_, (y, _, _))| y)
    };
    first_at(&canonical(text), printed).and_then(|y: &str| y.parse().ok())
}

/// A year standing alone in a file name (`2018年省检察院…`, `budget-2021.pdf`): what the regex
/// `(?:^|[^\d])((?:19|20)\d{2})(?:[^\d]|$)` captured first, by hand (97 µs to compile, paid
/// by every process): the first year with no digit either side.
pub fn year_in_file_name(name: &str) -> Option<u16> {
    let mut after_digit = false;
    for (i, c) in name.char_indices() {
        if !after_digit {
            if let Ok((rest, y)) = year(&name[i..]) {
                if !rest.starts_with(is_digit) {
                    return y.parse().ok();
                }
            }
        }
        after_digit = is_digit(c);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::{assert_reads_as_regex, pattern, strings};
    use regex::Regex;

    /// The words and endings find what the regexes they replace did, on canonical text as
    /// the two functions see it: 200,000 generated titles and the edge cases.
    #[test]
    fn budget_words_and_other_endings_as_the_regexes_read_them() {
        let title = pattern(r"(部门|单位)(综合)?(预算|决算)|预算(信息)?公开|决算(信息)?公开");
        let other = pattern(r"(报告|通知|办法|意见|方案|规划|目录)$");
        let cases = [
            "",
            "部门综合决算",
            "单位综合",
            "预算信息公开",
            "决算信息",
            "部门预决算",
            "综合预算",
            "长沙市财政项目支出绩效评价报告",
            "报告。",
            "目录 ",
        ];
        let pieces = [
            "部门", "单位", "综合", "预算", "决算", "信息", "公开", "报告", "通知", "办法", "意见",
            "方案", "规划", "目录", "2026年", " ",
        ];
        let texts = strings(&cases, &pieces);
        let ours = |t: &str| (has_budget_words(t), ends_as_other_document(t.trim()));
        let by_regex = |t: &str| (title.is_match(t), other.is_match(t.trim()));
        assert_reads_as_regex(&texts, ours, by_regex, |&(w, e)| w && e);
    }

    /// The regex `department_in_heading` replaces.
    const HEADING: &str =
        r"^(?:(?:19|20)\d{2}年度?)?(.{4,40}?)(?:(?:19|20)\d{2}年?度?)?(?:部门|单位)(?:综合)?预算";

    fn heading_by_regex(re: &Regex, line: &str) -> Option<String> {
        re.captures(line)
            .and_then(|c| c.get(1))
            .map(|m| m.as_str().to_string())
    }

    /// `department_in_heading` captures what the regex did: 200,000 generated lines and the
    /// edge cases of the bound, the leading year and the ending.
    #[test]
    fn heading_as_the_regex_read_it() {
        let re = pattern(HEADING);
        let edges = [
            "江苏省政协办公厅2018年度部门预算公开",
            "2018年度江苏省政协办公厅部门预算",
            "2018年江苏省政协办公厅部门预算",
            "2018年度审计局部门预算",
            "2018年度审计部门预算",
            "2018年审计局单位综合预算",
            "２０１８年度审计局部门预算",
            "20１８年度审计局部门预算",
            "2018度审计局部门预算",
            "1999年度审计局部门预算",
            "2118年度审计局部门预算",
            "审计局部门预算",
            "审计局长部门预算",
            "审计局长部门预算部门预算",
            "审计局长2019年度部门预算单位预算",
            "审计局长2019度单位综合预算",
            "审计局长2019部门综合预算",
            "审计局\n部门预算",
            "审计局长\n部门预算",
            "2018年度\n审计局长部门预算",
            "2018年度部门预算部门预算",
            "2018年度部门预算",
            "2018年部门预算部门预算",
            "部门预算部门预算",
            "单位单位单位预算",
            "",
        ];
        let long = |n: usize| format!("{}部门预算", "局".repeat(n));
        // The years' pieces and a heading's words.
        let pieces = [
            YEAR_PIECES,
            &[
                "部门",
                "单位",
                "综合",
                "部",
                "门",
                "单",
                "位",
                "综",
                "预",
                "算",
                "局",
                "，",
                "(",
                "公开",
                "部门预算",
                "单位综合预算",
                "2019年",
                "2020年度",
                "1998",
            ],
        ]
        .concat();
        let mut lines = crate::text::strings(&edges, &pieces);
        for n in [3, 4, 39, 40, 41] {
            lines.push(long(n));
            lines.push(format!("2018年度{}", long(n)));
            lines.push(format!("2018年{}", long(n)));
            lines.push(format!("{}部门预算", long(n)));
        }
        assert_reads_as_regex(
            &lines,
            department_in_heading,
            |l| heading_by_regex(&re, l),
            Option::is_some,
        );
    }

    /// `meta_keys` and `has_meta_key` find what the regex did: 200,000 generated lines and
    /// edge cases.
    #[test]
    fn meta_keys_as_the_regex_read_them() {
        let re = pattern(r"(部门名称|编制单位|预算单位|金额单位|部门|单位)\s*([：:]|【)");
        let lines = crate::text::strings(
            &[
                "",
                "部门名称：【253001】绍兴市大数据发展管理局本级",
                "部门名称【253001】",
                "部门： 江苏省人民检察院 单位：万元",
                "部门名称单位：元",
                "金额单位 \u{3000}:万元",
                "部门名称 名称：",
                "预算单位单位：",
                "编制单位【",
                "单位\n：",
                "部门\u{200B}：",
                "部门\u{180E}：",
                "部门\u{85}【",
            ],
            &[
                "部门", "单位", "名称", "编制", "预算", "金额", "部", "门", "单", "位", "：", ":",
                "【", "】", " ", "\u{3000}", "\u{A0}", "\u{85}", "\u{180E}", "\u{200B}", "\n",
                "\t", "253001", "局", "元", "万元",
            ],
        );
        let by_regex = |line| {
            let keys: Vec<KeyAt> = re
                .captures_iter(line)
                .filter_map(|c| {
                    let (whole, key, sep) = (c.get(0)?, c.get(1)?, c.get(2)?);
                    Some(KeyAt {
                        start: whole.start(),
                        key: key.as_str(),
                        value: if sep.as_str() == "【" {
                            sep.start()
                        } else {
                            whole.end()
                        },
                    })
                })
                .collect();
            (re.is_match(line), keys)
        };
        assert_reads_as_regex(
            &lines,
            |l| (has_meta_key(l), meta_keys(l)),
            by_regex,
            |(_, keys)| !keys.is_empty(),
        );
    }

    /// Pieces of file names and texts around years.
    const YEAR_PIECES: &[&str] = &[
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
        " ",
        "\u{3000}",
        "\t",
        "\n",
        "-",
        ".",
        "a",
        "省",
        "预算",
        "pdf",
        "2018",
        "2020年",
        "1999 年",
        "２０１９",
        "\u{F98E}",
    ];

    /// `year_in_text` reads what the regex did: 200,000 generated texts and edge cases.
    #[test]
    fn year_in_text_as_the_regex_read_it() {
        let re = pattern(r"((?:19|20)\d{2})\s*年");
        let by_regex = |t: &str| -> Option<u16> {
            re.captures(&canonical(t))
                .and_then(|c| c.get(1))
                .and_then(|m| m.as_str().parse().ok())
        };
        let texts = crate::text::strings(
            &[
                "",
                "2018年",
                "2018 年度",
                "２０１８年",
                "1899年2019年",
                "20191年",
                "201 2019年",
                "2019\n年",
                "a2020\u{3000}年",
                "2018",
                "2118年",
            ],
            YEAR_PIECES,
        );
        assert_reads_as_regex(&texts, year_in_text, by_regex, Option::is_some);
    }

    /// `year_in_file_name` reads what the regex did: 200,000 generated names and edge cases.
    #[test]
    fn year_in_file_name_as_the_regex_read_it() {
        let re = pattern(r"(?:^|[^\d])((?:19|20)\d{2})(?:[^\d]|$)");
        let by_regex = |t: &str| -> Option<u16> {
            re.captures(t)
                .and_then(|c| c.get(1))
                .and_then(|m| m.as_str().parse().ok())
        };
        let names = crate::text::strings(
            &[
                "",
                "2018",
                "a2018",
                "2018a",
                "12018",
                "20181",
                "120181 2019",
                "２2018",
                "2018２",
                "２０１８",
                "x２０１８x",
                "201",
                "a20199 2020.pdf",
                "1920192",
                "\n2019\n",
            ],
            YEAR_PIECES,
        );
        assert_reads_as_regex(&names, year_in_file_name, by_regex, Option::is_some);
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
