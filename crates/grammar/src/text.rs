//! Canonical text for matching; the raw text is always kept beside it as evidence.

use nom::branch::alt;
use nom::bytes::complete::{tag, take_while, take_while1};
use nom::character::complete::{one_of, satisfy};
use nom::combinator::recognize;
use nom::{IResult, Parser};
use unicode_normalization::UnicodeNormalization;

/// Whether `c` is a digit a budget prints: ASCII, and full-width where a producer kept GBK
/// text as is (the matchers' `\d`).
pub(crate) fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c)
}

/// A run of a budget's digits: `\d+`.
pub(crate) fn digits(i: &str) -> IResult<&str, &str> {
    take_while1(is_digit).parse(i)
}

/// A number's decimal part, `.5`: `\.\d+`.
pub(crate) fn fraction(i: &str) -> IResult<&str, &str> {
    recognize((tag("."), digits)).parse(i)
}

/// Whitespace, perhaps none: `\s*` (Unicode's White_Space, with the ideographic space U+3000
/// budgets print).
pub(crate) fn spaces(i: &str) -> IResult<&str, &str> {
    take_while(char::is_whitespace).parse(i)
}

/// A dash of a numbering or a page number: `[-—－]`.
pub(crate) fn dash(i: &str) -> IResult<&str, char> {
    one_of("-—－").parse(i)
}

/// The Chinese numerals of a numbering (`一、`, `表三`, `第二部分`): `[一二三四五六七八九十]`.
pub(crate) fn is_numeral(c: char) -> bool {
    "一二三四五六七八九十".contains(c)
}

/// A year as printed, `(19|20)\d{2}` (`19` and `20` in ASCII).
pub(crate) fn year(i: &str) -> IResult<&str, &str> {
    recognize((
        alt((tag("19"), tag("20"))),
        satisfy(is_digit),
        satisfy(is_digit),
    ))
    .parse(i)
}

/// The first of `text`'s suffixes, longest first, where `at` finds something: what an
/// unanchored regex search's first match is for a pattern `at` reads.
pub(crate) fn first_at<'a, T>(text: &'a str, at: impl Fn(&'a str) -> Option<T>) -> Option<T> {
    text.char_indices().find_map(|(i, _)| at(&text[i..]))
}

/// Compiles a pattern a hand matcher replaced, reading `\d` as [`is_digit`], for the tests that
/// compare the two. The grammar matches no regex at run time: compiling its last 13 patterns
/// cost every process 2.2 ms, a fifth of a small document's run. (Unicode's `\d` also takes
/// the digits of some sixty other scripts, which no budget prints.)
#[cfg(test)]
pub(crate) fn pattern(p: &'static str) -> regex::Regex {
    regex::Regex::new(&p.replace(r"\d", "[0-9０-９]")).expect("valid regex")
}

/// NFKC (full-width digits and punctuation to ASCII, compatibility ideographs such as
/// U+F98E to `年`), then every whitespace removed: Chinese is written without spaces, and
/// justification puts them between characters (`合 计`).
pub fn canonical(s: &str) -> String {
    // ASCII, the unified ideographs and the ideographic comma and full stop are what NFKC
    // leaves as they are and composes with nothing: text of only those (most of a budget's)
    // skips the normaliser, which was a tenth of the whole pipeline's time.
    let stable =
        |c: char| c.is_ascii() || ('\u{4E00}'..='\u{9FFF}').contains(&c) || c == '、' || c == '。';
    let mut out = String::with_capacity(s.len());
    if s.chars().all(stable) {
        out.extend(s.chars().filter(|c| !c.is_whitespace()));
    } else {
        out.extend(s.nfkc().filter(|c| !c.is_whitespace()));
    }
    out
}

/// [`canonical`], also without quotes and the enumeration comma, for matching titles:
/// `一般公共预算“三公”经费、会议费` and `一般公共预算"三公"经费会议费` are one title.
pub fn title_key(s: &str) -> String {
    canonical(s)
        .chars()
        .filter(|c| {
            !matches!(
                c,
                '"' | '\'' | '“' | '”' | '‘' | '’' | '「' | '」' | '、' | '·'
            )
        })
        .collect()
}

/// Test strings for comparing a hand matcher with the regex it replaces: `cases` picked by
/// hand, then 200,000 strings of 0 to 60 characters, each a run of `pieces` (chosen by a
/// linear congruential generator, so the same every run) cut to its length.
#[cfg(test)]
pub(crate) fn strings(cases: &[&str], pieces: &[&str]) -> Vec<String> {
    let mut state: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = move |bound: usize| {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        // The high bits of an LCG are the random ones.
        ((state >> 33) % bound as u64) as usize
    };
    let generated = (0..200_000).map(|_| {
        let len = next(61);
        let mut s = String::new();
        while s.chars().count() < len {
            s.push_str(pieces[next(pieces.len())]);
        }
        s.chars().take(len).collect()
    });
    cases
        .iter()
        .map(|c| c.to_string())
        .chain(generated)
        .collect()
}

/// Asserts that a hand matcher reads each of `strings` as the regex it replaces did: `ours`
/// and `regex` give a string's reading, `found` whether a reading found something, and more
/// than 10,000 strings must find something, so that the comparison is not mostly of nothing.
#[cfg(test)]
pub(crate) fn assert_reads_as_regex<'a, T: PartialEq + std::fmt::Debug>(
    strings: &'a [String],
    ours: impl Fn(&'a str) -> T,
    regex: impl Fn(&'a str) -> T,
    found: impl Fn(&T) -> bool,
) {
    let mut matched = 0;
    for s in strings {
        let expected = regex(s);
        matched += usize::from(found(&expected));
        assert_eq!(ours(s), expected, "{s:?}");
    }
    assert!(
        matched > 10_000,
        "too few found among the strings: {matched}"
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `is_digit`, the hand matchers' `\d`, is the patterns' `\d` on every character.
    #[test]
    fn a_budget_digit_by_hand_is_the_patterns() {
        let digit = pattern(r"^\d$");
        for c in (0..=u32::from(char::MAX)).filter_map(char::from_u32) {
            assert_eq!(
                is_digit(c),
                digit.is_match(c.encode_utf8(&mut [0; 4])),
                "{c:?}"
            );
        }
    }

    /// `spaces`, the hand matchers' `\s*`, takes exactly the characters the patterns' `\s`
    /// does.
    #[test]
    fn a_space_by_hand_is_the_patterns() {
        let space = pattern(r"^\s$");
        for c in (0..=u32::from(char::MAX)).filter_map(char::from_u32) {
            let s = c.encode_utf8(&mut [0; 4]).to_string();
            let taken = spaces(&s).is_ok_and(|(rest, _)| rest.is_empty());
            assert_eq!(taken, space.is_match(&s), "{c:?}");
        }
    }

    #[test]
    fn a_budget_digit_is_ascii_or_full_width() {
        let code = pattern(r"^\d{3}$");
        assert!(code.is_match("201"));
        assert!(code.is_match("２０１"));
        // Arabic-Indic and Devanagari digits are `\d` to Unicode, not to a budget.
        assert!(!code.is_match("٢٠١"));
        assert!(!code.is_match("२०१"));
        // Inside a class and a negated class too.
        assert!(pattern(r"^[\d,]+$").is_match("1,２34"));
        assert!(pattern(r"^[^\d]+$").is_match("年度"));
        assert!(!pattern(r"^[^\d]+$").is_match("年５"));
    }

    #[test]
    fn full_width_and_spaces() {
        assert_eq!(canonical("１２，３４５．６７"), "12,345.67");
        assert_eq!(canonical("合  计"), "合计");
        assert_eq!(canonical("（一）一般公共预算"), "(一)一般公共预算");
        assert_eq!(canonical("\u{F98E}度"), "年度", "compatibility ideograph");
        assert_eq!(
            title_key("一般公共预算“三公”经费、会议费、培训费支出预算表"),
            "一般公共预算三公经费会议费培训费支出预算表"
        );
    }
}
