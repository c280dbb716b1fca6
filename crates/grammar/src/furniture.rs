//! Page furniture: the lines printed around a table — its number label (`公开01表`), title, meta
//! lines (`部门：…`, `单位：万元`), notes (`注：…`), printed page numbers — and the shapes of the
//! cells the table stage looks for before it knows a column's meaning (a printed figure, a code
//! standing alone). The table stage asks these; the rules stay here with the rest of the budget
//! language.

use crate::text::pattern;
use regex::Regex;
use std::sync::LazyLock;

// Constant patterns, compiled by `text::pattern` (each forced in `patterns_compile`).
static LABEL: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"^\s*((部门预算|单位预算)?公开\s*(\d\s*)+表|附?表\s*(\d+|[一二三四五六七八九十]+))\s*[：:]?\s*",
    )
});
static NOTE: LazyLock<Regex> = LazyLock::new(|| pattern(r"^\s*(注|说明)\s*\d*\s*[：:．.]"));
static TITLE: LazyLock<Regex> = LazyLock::new(|| pattern(r"表([（(][^）)]*[）)])?$"));
static PAGE_NUMBER: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"^\s*([-—－]\s*)?\d{1,3}(\s*[-—－])?\s*$|^\s*第\s*\d+\s*页"));
/// A printed amount as a data cell shows it: thousands separators or decimals (a bare integer
/// may be a year, a code or a column number), perhaps negative, bracketed or a percentage.
static FIGURE: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"^[-－]?[（(]?(\d{1,3}([,，]\d{3})+(\.\d+)?|\d+\.\d+)[)）]?%?$"));
/// A function or economic classification code (3, 5 or 7 digits) or a unit code (6+).
static CODE: LazyLock<Regex> = LazyLock::new(|| pattern(r"^(\d{3}|\d{5}|\d{6,9})$"));

/// Splits a table's number label off a line: `公开01表：收支预算总表` → (`公开01表`,
/// `收支预算总表`).
pub fn split_table_label(text: &str) -> Option<(String, String)> {
    let m = LABEL.find(text)?;
    let label = m
        .as_str()
        .trim()
        .trim_end_matches(['：', ':'])
        .trim()
        .to_string();
    Some((label, text[m.end()..].trim().to_string()))
}

/// Whether a line is a meta line (`部门：…`, `金额单位：万元`, `部门名称【253001】…`): the keys
/// [`crate::parse_meta`] reads.
pub fn is_meta_line(text: &str) -> bool {
    crate::meta::has_meta_key(text)
}

/// Whether a line opens the notes below a table (`注：`, `注1.`, `说明：`).
pub fn is_note(text: &str) -> bool {
    NOTE.is_match(text)
}

/// Whether a line's text is a printed page number (`13`, `- 13 -`, `第13页`); where on the page
/// it stands is the table stage's to judge.
pub fn is_page_number(text: &str) -> bool {
    PAGE_NUMBER.is_match(text)
}

/// Whether text without its spaces reads as a table title: it ends in `表`, perhaps with a
/// bracketed qualifier (`…支出预算表（功能科目）`), and is not a paragraph.
pub fn reads_as_title(compact: &str) -> bool {
    TITLE.is_match(compact) && compact.chars().count() <= 60
}

/// Whether a cell's text is a printed figure (see `FIGURE`): stricter than
/// [`crate::parse_amount`], which reads any number once the column is known to hold money.
pub fn is_figure_cell(text: &str) -> bool {
    FIGURE.is_match(text.trim())
}

/// Whether a cell's text is a code standing alone (`2010301`, `30101`, `253001`): stricter
/// than a row label's code ([`crate::parse_label`]), as the table stage must not take a count
/// or a year for one.
pub fn is_code_cell(text: &str) -> bool {
    CODE.is_match(text.trim())
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

    /// Every pattern of this module compiles, so `text::pattern`'s `expect` is unreachable
    /// from any input.
    #[test]
    fn patterns_compile() {
        LazyLock::force(&LABEL);
        LazyLock::force(&NOTE);
        LazyLock::force(&TITLE);
        LazyLock::force(&PAGE_NUMBER);
        LazyLock::force(&FIGURE);
        LazyLock::force(&CODE);
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
