//! Recognised words → glyphs: the text tidied where OCR is known to stray, and the characters
//! spread over the word's box so that the table stage can place them in columns.

use cnbudget_pdf::{DecodePath, Glyph, GlyphText, Rect};
use std::sync::Arc;

/// One recognised word (a text line of the detector): text, box in points, confidence.
#[derive(Debug, Clone, PartialEq)]
pub struct Word {
    pub text: String,
    pub bbox: Rect,
    /// The recogniser's mean per-character probability, 0 to 1.
    pub confidence: f32,
}

/// The word as the budget printed it: the recogniser sometimes reads a thousands separator
/// or a decimal point with a space after or before it (`21, 955.35`), and reads full-width
/// punctuation between digits; inside a number both are undone. Beside Chinese it reads the
/// full-width brackets budgets print as ASCII (`（补助)`), and a speck after a label as a full
/// stop (`小计.`): brackets become full-width, the stray stop goes. Nothing else changes, so
/// two amounts read into one word (`12.00 34.00`) stay two.
pub fn tidy(text: &str) -> String {
    let chars: Vec<char> = text.trim().chars().collect();
    let wide = |c: &char| !c.is_ascii() && !c.is_whitespace();
    let has_wide = chars.iter().any(wide);
    let chars: Vec<char> = chars
        .iter()
        .map(|&c| match c {
            '(' if has_wide => '（',
            ')' if has_wide => '）',
            c => c,
        })
        .collect();
    // A stop or comma ending a word that ends in Chinese before it is a speck.
    let mut end = chars.len();
    while end >= 2
        && matches!(chars[end - 1], '.' | ',' | '·' | '\'' | '`')
        && wide(&chars[end - 2])
    {
        end -= 1;
    }
    let chars = &chars[..end];
    let mut out = String::with_capacity(text.len());
    let digit_at = |i: usize| chars.get(i).is_some_and(char::is_ascii_digit);
    let mut i = 0;
    while i < chars.len() {
        let c = match chars[i] {
            '，' => ',',
            '．' => '.',
            c => c,
        };
        if matches!(c, ',' | '.') {
            // digit [spaces] sep [spaces] digit → digit sep digit
            let before = out.trim_end();
            let mut j = i + 1;
            while chars.get(j) == Some(&' ') {
                j += 1;
            }
            if before.ends_with(|p: char| p.is_ascii_digit()) && digit_at(j) {
                out.truncate(before.len());
                out.push(c);
                i = j;
                continue;
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    mend_amounts(&out)
}

/// A separator the recogniser put between digits: an amount's own, or a misread one.
fn is_separator(c: char) -> bool {
    matches!(c, ',' | '.' | ':' | ';' | '：' | '；')
}

/// A run read as an amount as budgets print it (the amount grammar's rule).
fn is_amount(s: &[char]) -> bool {
    cnbudget_grammar::is_printed_number(&s.iter().collect::<String>())
}

/// Amounts the recogniser misread by one separator, mended where the print leaves one
/// reading: on a grainy scan it reads a comma or a point as `:` or `;` (`31,041:34`,
/// `32;772.69`) and a speck between digits as a point (`7,4.62.71`). A run of digits and
/// separators that is no amount is tried with one `:`/`;` made a comma or a point, or one
/// point dropped that another separator follows (a decimal point is the last); it is mended
/// only if every reading that makes an amount gives the same figure. Each edit needs a
/// comma or point of the run's own beside it (a point dropped, a comma: it is an amount,
/// not a date `2023.01.05`), so times (`9:30`) and section numbers (`1.2.3`) stay. Two
/// figures printed with only a speck between them (`1,234;56`) would be read as one.
fn mend_amounts(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        // The run: digits and separators, from a digit to the last digit.
        let mut end = i;
        let mut j = i;
        while j < chars.len() && (chars[j].is_ascii_digit() || is_separator(chars[j])) {
            if chars[j].is_ascii_digit() {
                end = j + 1;
            }
            j += 1;
        }
        let run = &chars[i..end];
        match mend(run) {
            Some(m) => out.push_str(&m),
            None => out.extend(run),
        }
        i = end;
    }
    out
}

/// The one amount `run` can be read as with one separator mended (see [`mend_amounts`]).
fn mend(run: &[char]) -> Option<String> {
    if is_amount(run) {
        return None;
    }
    let seps: Vec<usize> = (0..run.len()).filter(|&k| is_separator(run[k])).collect();
    let own = |skip: usize, c: char| seps.iter().any(|&k| k != skip && run[k] == c);
    let mut readings: Vec<Vec<char>> = Vec::new();
    for (n, &k) in seps.iter().enumerate() {
        let c = run[k];
        if matches!(c, ':' | ';' | '：' | '；') && (own(k, ',') || own(k, '.')) {
            for to in [',', '.'] {
                let mut r = run.to_vec();
                r[k] = to;
                readings.push(r);
            }
        }
        if c == '.' && n + 1 < seps.len() && own(k, ',') {
            let mut r = run.to_vec();
            r.remove(k);
            readings.push(r);
        }
    }
    readings.retain(|r| is_amount(r));
    let figure = |r: &[char]| r.iter().filter(|&&c| c != ',').collect::<String>();
    let first = readings.first()?;
    readings
        .iter()
        .all(|r| figure(r) == figure(first))
        .then(|| first.iter().collect())
}

/// Words that are a budget amount with a speck read as a second point (`6.99.24`, `10.8.69`,
/// `454.5.6`), mended where the page itself leaves one reading. Without a comma the run alone
/// is ambiguous (`699.24` or `6.9924`), but when every other amount on the page is printed
/// with the same number of decimals (at least [`MIN_AMOUNTS`] of them), each point is tried
/// dropped, and the word is mended only if one reading has the page's decimals and is below
/// 1,000 (one that no page prints with a comma, so no comma can be missing from it). Only a
/// word that is wholly such a run is mended (a table's cell, not a date or clause in a
/// sentence), and only one of at least [`MIN_DIGITS`] digits: dates (`2023.01.05`) and
/// short section numbers (`1.2.3`, `2.1.10`) stay as read. A longer dotted run in a cell of
/// such a page (`1.10.12`, or a code with two specks, `302.1.1`) would be read as an amount;
/// no budget table prints one among its figures. No digit is touched.
pub fn mend_points_on_page(words: &mut [Word]) {
    let texts: Vec<String> = words.iter().map(|w| tidy(&w.text)).collect();
    let mut decimals = texts.iter().filter_map(|t| {
        let chars: Vec<char> = t.chars().collect();
        let point = chars.iter().position(|&c| c == '.')?;
        is_amount(&chars).then_some(chars.len() - point - 1)
    });
    let Some(first) = decimals.next() else { return };
    let mut n = 1;
    for d in decimals {
        if d != first {
            return;
        }
        n += 1;
    }
    if n < MIN_AMOUNTS {
        return;
    }
    let all_digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    for (w, t) in words.iter_mut().zip(texts) {
        let parts: Vec<&str> = t.split('.').collect();
        let [a, b, c] = parts.as_slice() else {
            continue;
        };
        if !parts.iter().all(|p| all_digits(p)) || a.len() + b.len() + c.len() < MIN_DIGITS {
            continue;
        }
        // The first point dropped, or the second: integer part and decimals.
        let fits: Vec<String> = [
            (format!("{a}{b}"), c.to_string()),
            (a.to_string(), format!("{b}{c}")),
        ]
        .into_iter()
        .filter(|(int, frac)| frac.len() == first && int.len() <= 3)
        .map(|(int, frac)| format!("{int}.{frac}"))
        .collect();
        if let [only] = fits.as_slice() {
            w.text = only.clone();
        }
    }
}

/// The fewest digits a word mended by [`mend_points_on_page`] has: a section number's few
/// levels have fewer.
const MIN_DIGITS: usize = 5;

/// How many amounts with a decimal point a page must print, all alike, before its decimals
/// are taken as its convention: enough that one stray reading cannot make it.
const MIN_AMOUNTS: usize = 3;

/// How wide a character prints, in half-em units: ASCII half, everything else (Han,
/// full-width punctuation) whole.
fn units(c: char) -> f64 {
    if c.is_ascii() {
        1.0
    } else {
        2.0
    }
}

/// The word's characters as glyphs spread over its box by their print widths; spaces take
/// room and draw no glyph. The detector's box is padded around the ink, so the glyphs get
/// the middle 70 % of its height and a font size of that.
pub fn glyphs(word: &Word, font: &Arc<str>) -> Vec<Glyph> {
    let text = tidy(&word.text);
    let total: f64 = text.chars().map(units).sum();
    if total == 0.0 {
        return Vec::new();
    }
    let b = word.bbox;
    let unit = b.width() / total;
    let size = b.height() * 0.7;
    let (y0, y1) = (b.y0 + b.height() * 0.15, b.y1 - b.height() * 0.15);
    let mut x = b.x0;
    let mut out = Vec::with_capacity(text.len());
    for c in text.chars() {
        let w = units(c) * unit;
        if !c.is_whitespace() {
            out.push(Glyph {
                text: GlyphText::from(c.encode_utf8(&mut [0; 4]) as &str),
                bbox: Rect {
                    x0: x,
                    y0,
                    x1: x + w,
                    y1,
                },
                font_size: size,
                font: font.clone(),
                upright: true,
                decode: DecodePath::Ocr,
            });
        }
        x += w;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separators_come_back_inside_numbers_only() {
        assert_eq!(tidy("21, 955.35"), "21,955.35");
        assert_eq!(tidy("21 ,955 . 35"), "21,955.35");
        assert_eq!(tidy("1，234．50"), "1,234.50");
        assert_eq!(tidy("12.00 34.00"), "12.00 34.00");
        assert_eq!(tidy("一、 一般公共服务支出"), "一、 一般公共服务支出");
        assert_eq!(tidy("合计, 其中"), "合计, 其中");
        assert_eq!(tidy(" 2026 "), "2026");
        assert_eq!(tidy("公共财政拨款（补助)资金"), "公共财政拨款（补助）资金");
        assert_eq!(tidy("收入总计."), "收入总计");
        assert_eq!(tidy("(1)"), "(1)");
        assert_eq!(tidy("3.5"), "3.5");
    }

    #[test]
    fn amounts_misread_by_one_separator_are_mended() {
        // Read so on the generated 150 and 200 dpi scans (docs/ocr.md).
        assert_eq!(tidy("31,041:34"), "31,041.34");
        assert_eq!(tidy("32;772.69"), "32,772.69");
        assert_eq!(tidy("11；998.61"), "11,998.61");
        assert_eq!(tidy("7,4.62.71"), "7,462.71");
        assert_eq!(tidy("合计 7,4.62.71"), "合计 7,462.71");
        // An amount, or more than one reading: left as read.
        assert_eq!(tidy("43,434.00"), "43,434.00");
        assert_eq!(tidy("1;234"), "1;234");
        assert_eq!(tidy("10.8.69"), "10.8.69");
        // Not amounts: a time, a ratio, a date, a section number.
        assert_eq!(tidy("9:30"), "9:30");
        assert_eq!(tidy("1:1"), "1:1");
        assert_eq!(tidy("2023.01.05"), "2023.01.05");
        assert_eq!(tidy("1.2.3"), "1.2.3");
        assert_eq!(tidy("10:30:00"), "10:30:00");
    }

    fn words(texts: &[&str]) -> Vec<Word> {
        texts
            .iter()
            .map(|t| Word {
                text: (*t).into(),
                bbox: Rect {
                    x0: 0.0,
                    y0: 0.0,
                    x1: 10.0,
                    y1: 10.0,
                },
                confidence: 1.0,
            })
            .collect()
    }

    fn texts(words: &[Word]) -> Vec<&str> {
        words.iter().map(|w| w.text.as_str()).collect()
    }

    #[test]
    fn a_speck_read_as_a_point_goes_where_the_page_prints_its_decimals() {
        // Read so on the generated seed-7 scans (docs/ocr.md): the total of the operating
        // costs table and a project figure of 事业运行 at 200 dpi, 印刷费 at 150 dpi.
        let mut page = words(&[
            "合计", "6.99.24", "174.81", "69.92", "209.77", "454.5.6", "10.8.69",
        ]);
        mend_points_on_page(&mut page);
        assert_eq!(
            texts(&page),
            ["合计", "699.24", "174.81", "69.92", "209.77", "454.56", "108.69"]
        );
        // Dates, section numbers, an amount that would lack its comma, a run in a sentence:
        // left as read.
        let kept = [
            "2023.01.05",
            "1.2.3",
            "2.1.10",
            "4.54.5.6",
            "1.234.56",
            "第1.2.34条",
            "1.00",
            "2.00",
            "3.00",
        ];
        let mut page = words(&kept);
        mend_points_on_page(&mut page);
        assert_eq!(texts(&page), kept);
        // Too few amounts, or amounts with unlike decimals: no convention, nothing mended.
        for kept in [
            &["6.99.24", "1.00", "2.00"][..],
            &["6.99.24", "1.00", "2.00", "3.5"][..],
        ] {
            let mut page = words(kept);
            mend_points_on_page(&mut page);
            assert_eq!(texts(&page), kept);
        }
    }

    #[test]
    fn characters_spread_by_print_width() {
        let word = Word {
            text: "合计 1, 0".into(),
            bbox: Rect {
                x0: 100.0,
                y0: 10.0,
                x1: 180.0,
                y1: 30.0,
            },
            confidence: 0.9,
        };
        let g = glyphs(&word, &Arc::from("OCR"));
        // Tidied to 合计 1,0: 合 计 (2 + 2), space (1), 1 , 0 (3): 8 units of 10 pt; the
        // space draws nothing.
        let texts: Vec<&str> = g.iter().map(|g| g.text.as_str()).collect();
        assert_eq!(texts, ["合", "计", "1", ",", "0"]);
        let x0s: Vec<f64> = g.iter().map(|g| g.bbox.x0).collect();
        assert_eq!(x0s, [100.0, 120.0, 150.0, 160.0, 170.0]);
        assert_eq!(g[4].bbox.x1, 180.0);
        assert_eq!(
            (g[0].bbox.y0, g[0].bbox.y1, g[0].font_size),
            (13.0, 27.0, 14.0)
        );
        assert!(g.iter().all(|g| g.decode == DecodePath::Ocr));
    }
}
