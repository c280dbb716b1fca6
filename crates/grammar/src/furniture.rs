//! Page furniture: the lines printed around a table — its number label (`公开01表`), title, meta
//! lines (`部门：…`, `单位：万元`), notes (`注：…`), printed page numbers — and the shapes of the
//! cells the table stage looks for before it knows a column's meaning (a printed figure, a code
//! standing alone). The table stage asks these; the rules stay here with the rest of the budget
//! language.

use crate::text::{dash, digits, fraction, is_digit, is_numeral, spaces};
use nom::branch::alt;
use nom::bytes::complete::{tag, take_while, take_while1};
use nom::character::complete::{char, one_of, satisfy};
use nom::combinator::{all_consuming, opt, recognize, verify};
use nom::multi::many1_count;
use nom::sequence::preceded;
use nom::{IResult, Parser};
use std::ops::RangeInclusive;

// Each matcher below does by hand what a regex did: compiling the grammar's patterns cost
// every process 2.2 ms, a fifth of a small document's run. Each test
// `…_as_the_regex_read_it` checks a matcher against the regex it replaces. In those regexes
// `\s` is `char::is_whitespace` (Unicode White_Space, with the ideographic space U+3000) and
// `\d` is `is_digit`.

/// A run of `counts` digits: `\d{m,n}` where no digit may follow, so the whole run is taken.
fn digits_of<'a>(
    counts: RangeInclusive<usize>,
) -> impl Parser<&'a str, Output = &'a str, Error = nom::error::Error<&'a str>> {
    verify(digits, move |d: &str| counts.contains(&d.chars().count()))
}

/// A table's number label at the start of a line, with the colon and spaces after it: what
/// the regex `^\s*((部门预算|单位预算)?公开\s*(\d\s*)+表|附?表\s*(\d+|[一二三四五六七八九十]+))
/// \s*[：:]?\s*` matched. Its alternatives start with different characters, an optional
/// prefix that is present leaves nothing the other branch could match, and every run is
/// followed by what it cannot hold, so taking each part whole gives the regex's match.
fn label(i: &str) -> IResult<&str, &str> {
    let open = recognize((
        opt(alt((tag("部门预算"), tag("单位预算")))),
        tag("公开"),
        spaces,
        satisfy(is_digit),
        take_while(|c: char| is_digit(c) || c.is_whitespace()),
        tag("表"),
    ));
    let numbered = recognize((
        opt(tag("附")),
        tag("表"),
        spaces,
        alt((digits, take_while1(is_numeral))),
    ));
    recognize((
        spaces,
        alt((open, numbered)),
        spaces,
        opt(one_of("：:")),
        spaces,
    ))
    .parse(i)
}

/// Splits a table's number label off a line: `公开01表：收支预算总表` → (`公开01表`,
/// `收支预算总表`).
pub fn split_table_label(text: &str) -> Option<(String, String)> {
    let (rest, matched) = label(text).ok()?;
    let label = matched
        .trim()
        .trim_end_matches(['：', ':'])
        .trim()
        .to_string();
    Some((label, rest.trim().to_string()))
}

/// Whether a line is a meta line (`部门：…`, `金额单位：万元`, `部门名称【253001】…`): the keys
/// [`crate::parse_meta`] reads.
pub fn is_meta_line(text: &str) -> bool {
    crate::meta::has_meta_key(text)
}

/// Whether a line opens the notes below a table (`注：`, `注1.`, `说明：`).
pub fn is_note(text: &str) -> bool {
    note(text).is_ok()
}

/// What the regex `^\s*(注|说明)\s*\d*\s*[：:．.]` matched: the runs are of different
/// characters, and the mark ending it is none of them.
fn note(i: &str) -> IResult<&str, char> {
    preceded(
        (
            spaces,
            alt((tag("注"), tag("说明"))),
            spaces,
            take_while(is_digit),
            spaces,
        ),
        one_of("：:．."),
    )
    .parse(i)
}

/// Whether a line's text is a printed page number (`13`, `- 13 -`, `第13页`); where on the page
/// it stands is the table stage's to judge.
pub fn is_page_number(text: &str) -> bool {
    page_number(text).is_ok()
}

/// What the regex `^\s*([-—－]\s*)?\d{1,3}(\s*[-—－])?\s*$|^\s*第\s*\d+\s*页` matched: a
/// number of one to three digits alone on the line, perhaps between dashes, or `第…页`.
fn page_number(i: &str) -> IResult<&str, &str> {
    preceded(
        spaces,
        alt((
            all_consuming(recognize((
                opt((dash, spaces)),
                digits_of(1..=3),
                opt((spaces, dash)),
                spaces,
            ))),
            recognize((char('第'), spaces, digits, spaces, char('页'))),
        )),
    )
    .parse(i)
}

/// Whether text without its spaces reads as a table title: it ends in `表`, perhaps with a
/// bracketed qualifier (`…支出预算表（功能科目）`), and is not a paragraph.
pub fn reads_as_title(compact: &str) -> bool {
    ends_in_table(compact) && compact.chars().count() <= 60
}

/// Whether text ends in `表`, perhaps with a bracketed qualifier after it: what the regex
/// `表([（(][^）)]*[）)])?$` found. The qualifier runs from the last closing bracket back to
/// the opening bracket after `表`, with no closing bracket between.
fn ends_in_table(text: &str) -> bool {
    match text.strip_suffix([')', '）']) {
        Some(before) => before
            .rsplit([')', '）'])
            .next()
            .is_some_and(|inside| inside.contains("表(") || inside.contains("表（")),
        None => text.ends_with('表'),
    }
}

/// Whether a cell's text is a printed figure (see `figure`): stricter than
/// [`crate::parse_amount`], which reads any number once the column is known to hold money.
pub fn is_figure_cell(text: &str) -> bool {
    figure(text.trim()).is_ok()
}

/// A printed amount as a data cell shows it: thousands separators or decimals (a bare integer
/// may be a year, a code or a column number), perhaps negative, bracketed or a percentage.
/// What the regex `^[-－]?[（(]?(\d{1,3}([,，]\d{3})+(\.\d+)?|\d+\.\d+)[)）]?%?$` matched.
fn figure(i: &str) -> IResult<&str, &str> {
    let grouped = recognize((
        digits_of(1..=3),
        many1_count((one_of(",，"), digits_of(3..=3))),
        opt(fraction),
    ));
    let decimal = recognize((digits, fraction));
    all_consuming(recognize((
        opt(one_of("-－")),
        opt(one_of("（(")),
        alt((grouped, decimal)),
        opt(one_of(")）")),
        opt(char('%')),
    )))
    .parse(i)
}

/// Whether a cell's text is a code standing alone (`2010301`, `30101`, `253001`): stricter
/// than a row label's code ([`crate::parse_label`]), as the table stage must not take a count
/// or a year for one.
pub fn is_code_cell(text: &str) -> bool {
    is_code(text.trim())
}

/// A function or economic classification code (3, 5 or 7 digits) or a unit code (6+): what
/// the regex `^(\d{3}|\d{5}|\d{6,9})$` matched.
fn is_code(text: &str) -> bool {
    matches!(text.chars().count(), 3 | 5..=9) && text.chars().all(is_digit)
}

/// Whether a title's text names a table anywhere (`…支出预算表`): a title line after a label
/// without the word is only its first part, wrapped.
pub fn names_table(text: &str) -> bool {
    text.contains('表')
}

/// Whether a line ends as a table's title does (`…支出预算表`): a title, not a group's header.
pub fn ends_as_title(text: &str) -> bool {
    text.trim_end().ends_with('表')
}

/// Whether text opens with a unit (`万元`, `元`, `亿`, `%`): after a figure, the unit and the
/// figure are one phrase (`21,955.35 万元，其中：`), never two cells.
pub fn starts_with_unit(text: &str) -> bool {
    text.trim_start().starts_with(['万', '元', '亿', '%', '％'])
}

/// Marks a column-number row prints beside its numbers; dashes only in such a row (a lone `—`
/// in a header is a cell left empty, not a column number).
const COLUMN_NUMBER_MARKS: &[&str] = &["栏次", "*", "**"];
const ROW_MARKS: &[&str] = &["—", "-"];

/// Whether a header part is a column number or its mark (`栏次`, `3`).
pub(crate) fn column_number_part(part: &str) -> bool {
    COLUMN_NUMBER_MARKS.contains(&part)
        || (!part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()))
}

/// Whether a row's texts are column numbers: `栏次 1 2 3 4`, or `** ** 1 2 3 4 7 8 9`
/// (Zhejiang omits the numbers of columns it leaves out): numbers rising from 1, nothing else
/// but marks.
pub fn is_column_numbers(texts: &[&str]) -> bool {
    let mut numbers = Vec::new();
    for t in texts {
        match t.parse::<u32>() {
            Ok(n) => numbers.push(n),
            Err(_) if COLUMN_NUMBER_MARKS.contains(t) || ROW_MARKS.contains(t) => {}
            Err(_) => return false,
        }
    }
    numbers.len() >= 3 && numbers.first() == Some(&1) && numbers.windows(2).all(|w| w[1] > w[0])
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::text::{assert_reads_as_regex, pattern, strings};

    /// Spaces a budget line holds: ASCII, the ideographic space, a tab and a line break.
    const SPACES: &[&str] = &[" ", "\u{3000}", "\t", "\n"];

    /// The digits of the patterns' `\d`, ASCII and full-width, and one that is not.
    const DIGITS: &[&str] = &["0", "1", "9", "０", "５", "９", "٣"];

    /// The strings to compare a cell matcher on: each line whole, and each of its parts up to
    /// and with a space, as a row's spaces cut it into cells. A line of up to 60 characters is
    /// seldom one figure or code; a part often is.
    fn cells(lines: Vec<String>) -> Vec<String> {
        lines
            .iter()
            .flat_map(|l| std::iter::once(l.as_str()).chain(l.split_inclusive(char::is_whitespace)))
            .map(String::from)
            .collect()
    }

    /// `label` ends where the regex's match did, and `split_table_label` splits there: 200,000
    /// generated lines and edge cases.
    #[test]
    fn label_as_the_regex_read_it() {
        let re = pattern(
            r"^\s*((部门预算|单位预算)?公开\s*(\d\s*)+表|附?表\s*(\d+|[一二三四五六七八九十]+))\s*[：:]?\s*",
        );
        let lines = strings(
            &[
                "",
                "公开01表：收支预算总表",
                "公开 0 1 表",
                "\u{3000}公开\u{3000}０１\u{3000}表\u{3000}：\u{3000}收支",
                "部门预算公开06表",
                "单位预算公开1表:",
                "部门预算部门预算公开1表",
                "部门公开1表",
                "公开表",
                "公开 1 a表",
                "公开٣表",
                "表一收支预算总表",
                "表1一",
                "表一1",
                "表 十二 ： 采购",
                "附表 2",
                "附附表2",
                "附表",
                "表：",
                "表12345678901234567890：：",
                "表３:\n",
                "收支预算总表",
            ],
            &[
                SPACES,
                DIGITS,
                &[
                    "部门预算",
                    "单位预算",
                    "部门",
                    "公开",
                    "附",
                    "表",
                    "附表",
                    "公开1表",
                    "一",
                    "十",
                    "：",
                    ":",
                    "收支",
                    "a",
                ],
            ]
            .concat(),
        );
        // The match's end too: the spaces it takes last are trimmed off the split either way.
        let ours = |t| (label(t).ok().map(|(_, m)| m.len()), split_table_label(t));
        let by_regex = |t: &str| {
            let found = re.find(t);
            let split = found.map(|m| {
                let label = m.as_str().trim().trim_end_matches(['：', ':']).trim();
                (label.to_string(), t[m.end()..].trim().to_string())
            });
            (found.map(|m| m.end()), split)
        };
        assert_reads_as_regex(&lines, ours, by_regex, |(end, _)| end.is_some());
    }

    /// `is_note` finds what the regex did: 200,000 generated lines and edge cases.
    #[test]
    fn note_as_the_regex_read_it() {
        let re = pattern(r"^\s*(注|说明)\s*\d*\s*[：:．.]");
        let lines = strings(
            &[
                "",
                "注：本表无数据",
                "注1.",
                "\u{3000}注\u{3000}１２\u{3000}．",
                "说明:",
                "说 明:",
                "注重实效",
                "注 1 2.",
                "注٣.",
                "a注：",
                "注12345678901234567890:",
            ],
            &[
                SPACES,
                DIGITS,
                &[
                    "注", "说明", "说", "明", "：", ":", "．", ".", "重", "a", "注：", "说明1.",
                ],
            ]
            .concat(),
        );
        assert_reads_as_regex(&lines, is_note, |t| re.is_match(t), |m| *m);
    }

    /// `reads_as_title`'s ending finds what the regex did: 200,000 generated titles and edge
    /// cases.
    #[test]
    fn title_as_the_regex_read_it() {
        let re = pattern(r"表([（(][^）)]*[）)])?$");
        let titles = strings(
            &[
                "",
                "表",
                "收支预算总表",
                "支出表(功能科目)",
                "支出表（功能科目）",
                "支出表(功能科目）",
                "支出表()",
                "支出表(a)b)",
                "支出表(a(b)",
                "表(a)表(b)",
                "a)表(b)",
                "表(",
                "表)",
                "表 ",
                "表\n",
                "表(a)\n",
                "本表反映部门收支情况",
            ],
            &[
                SPACES,
                &[
                    "表", "(", ")", "（", "）", "a", "功能", "表(", "表（", "表）", "科目",
                ],
            ]
            .concat(),
        );
        assert_reads_as_regex(&titles, ends_in_table, |t| re.is_match(t), |m| *m);
    }

    /// `is_page_number` finds what the regex did: 200,000 generated lines and edge cases.
    #[test]
    fn page_number_as_the_regex_read_it() {
        let re = pattern(r"^\s*([-—－]\s*)?\d{1,3}(\s*[-—－])?\s*$|^\s*第\s*\d+\s*页");
        let lines = strings(
            &[
                "",
                "13",
                "- 13 -",
                "\u{3000}—\u{3000}１３\u{3000}—\u{3000}",
                "－1",
                "1－",
                "--1",
                "1--",
                "- -1",
                "2017",
                "٣",
                "1 2",
                "第 3 页",
                "第12345678901234567890页共9页",
                "第页",
                "第3",
                "a第3页",
                "13\n",
            ],
            &[
                SPACES,
                DIGITS,
                &["-", "—", "－", "12", "第", "页", "第1页", "- 1 -", "a"],
            ]
            .concat(),
        );
        assert_reads_as_regex(&lines, is_page_number, |t| re.is_match(t), |m| *m);
    }

    /// `is_figure_cell` finds what the regex did on the trimmed text: edge cases, 200,000
    /// generated lines and their parts.
    #[test]
    fn figure_as_the_regex_read_it() {
        let re = pattern(r"^[-－]?[（(]?(\d{1,3}([,，]\d{3})+(\.\d+)?|\d+\.\d+)[)）]?%?$");
        let cells = cells(strings(
            &[
                "",
                "13,649.07",
                "5,068,099.82",
                "1,000",
                "１，０００．５",
                "1,0000",
                "1234,567",
                ",123",
                "1,23",
                "1,234.",
                "1.",
                ".5",
                "1.2.3",
                "-(1.5)%",
                "－（1.5）",
                "1.5)(",
                "--1.5",
                "1.5%%",
                "1.5％",
                "\u{3000}1.5\u{3000}",
                "1. 5",
                "1٣.5",
                "12345678901234567890.5",
            ],
            &[
                SPACES,
                DIGITS,
                &[
                    "123",
                    "45",
                    ",",
                    "，",
                    ",123",
                    "，４５６",
                    ".",
                    ".05",
                    "-",
                    "－",
                    "(",
                    "（",
                    ")",
                    "）",
                    "%",
                    "a",
                    "1,234",
                    "0.5",
                ],
            ]
            .concat(),
        ));
        assert_reads_as_regex(&cells, is_figure_cell, |t| re.is_match(t.trim()), |m| *m);
    }

    /// `is_code_cell` finds what the regex did on the trimmed text: edge cases, 200,000
    /// generated lines and their parts.
    #[test]
    fn code_as_the_regex_read_it() {
        let re = pattern(r"^(\d{3}|\d{5}|\d{6,9})$");
        let cells = cells(strings(
            &[
                "",
                "201",
                "2010",
                "30101",
                "253001",
                "2010301",
                "123456789",
                "1234567890",
                "２０１",
                "\u{3000}201\u{3000}",
                "20 1",
                "2٣1",
                "201a",
            ],
            &[
                SPACES,
                DIGITS,
                &[
                    "201",
                    "1234",
                    "30101",
                    "253001",
                    "２０１０３",
                    "2010301",
                    "a",
                ],
            ]
            .concat(),
        ));
        assert_reads_as_regex(&cells, is_code_cell, |t| re.is_match(t.trim()), |m| *m);
    }

    #[test]
    fn column_number_rows() {
        assert!(is_column_numbers(&["栏次", "1", "2", "3"]));
        assert!(is_column_numbers(&["**", "1", "2", "3", "4"]));
        assert!(
            is_column_numbers(&["**", "**", "1", "2", "3", "4", "7", "8", "9"]),
            "绍兴 2021 支出预算总表"
        );
        assert!(
            is_column_numbers(&["**", "1", "2", "3", "4", "5", "6"]),
            "绍兴 2021 三公 table"
        );
        assert!(!is_column_numbers(&["1", "3", "2"]));
        assert!(
            !is_column_numbers(&["2017", "2018", "2019"]),
            "years are no column numbers"
        );

        assert!(!is_column_numbers(&["合计", "1", "2", "3"]));
    }

    #[test]
    fn table_labels() {
        assert_eq!(
            split_table_label("表一收支预算总表"),
            Some(("表一".into(), "收支预算总表".into()))
        );
        assert_eq!(
            split_table_label("公开01表：收支预算总表"),
            Some(("公开01表".into(), "收支预算总表".into()))
        );
        assert_eq!(
            split_table_label("公开 0 1 表"),
            Some(("公开 0 1 表".into(), String::new()))
        );
        assert!(split_table_label("部门预算公开06表").is_some());
        assert!(split_table_label("表3").is_some() && split_table_label("附表 2").is_some());
        assert_eq!(split_table_label("收支预算总表"), None);
    }

    #[test]
    fn meta_notes_titles_and_page_numbers() {
        assert!(
            is_meta_line("部门： 江苏省人民检察院 单位：万元")
                && is_meta_line("金额单位：万元")
                && is_meta_line("部门名称：【253001】绍兴市大数据发展管理局本级")
        );
        assert!(is_note("注：本表无数据") && is_note("注1.") && !is_note("注重实效"));
        assert!(reads_as_title("收支预算总表") && reads_as_title("一般公共预算支出表(功能科目)"));
        assert!(!reads_as_title("本表反映部门收支情况"));
        assert!(
            is_page_number("13")
                && is_page_number("- 13 -")
                && is_page_number("第 3 页")
                && !is_page_number("2017")
        );
    }

    #[test]
    fn figures_and_codes() {
        for f in [
            "13,649.07",
            "0.00",
            "810.00",
            "-12.50",
            "（12.50）",
            "34.5%",
            "5,068,099.82",
            "1,000",
        ] {
            assert!(is_figure_cell(f), "{f}");
        }
        for f in ["2017", "合计", "1", "-", "201", "12.5.3"] {
            assert!(!is_figure_cell(f), "{f}");
        }
        assert!(
            is_code_cell("2010301")
                && is_code_cell("30101")
                && is_code_cell("253001")
                && !is_code_cell("2017.5")
        );
    }
}
