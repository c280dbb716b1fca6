//! Cell text: the glyphs whose centre lies in a cell, in reading order, wrapped lines joined.

use cnbudget_pdf::text::{is_wide, lines_of};
use cnbudget_pdf::Glyph;

/// Removes spaces that stand next to a wide (CJK or full-width) character: justification
/// spreads `项 目`, `合 计` and `1. 一 般 公` apart, but Chinese is written without spaces.
fn squeeze(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    for (i, &c) in chars.iter().enumerate() {
        if c == ' ' {
            let prev = out.chars().last();
            let next = chars[i + 1..].iter().find(|c| **c != ' ');
            if prev.is_none_or(is_wide) || next.is_none_or(|n| is_wide(*n)) || prev == Some(' ') {
                continue;
            }
        }
        out.push(c);
    }
    out
}

/// The text of the chosen glyphs: lines top to bottom, joined without a space (CJK wraps
/// mid-word: `项目名⏎称`) unless both sides are Latin letters or digits.
pub(crate) fn cell_text(glyphs: &[Glyph], chosen: impl IntoIterator<Item = usize>) -> String {
    let mut out = String::new();
    for line in lines_of(glyphs, chosen) {
        let t = squeeze(&line.text);
        if let (Some(a), Some(b)) = (out.chars().last(), t.chars().next()) {
            if a.is_ascii_alphabetic() && b.is_ascii_alphabetic() {
                out.push(' ');
            }
        }
        out.push_str(&t);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::squeeze;

    #[test]
    fn justification_spaces_go_latin_spaces_stay() {
        assert_eq!(squeeze("项 目"), "项目");
        assert_eq!(squeeze("1. 一 般 公"), "1.一般公");
        assert_eq!(squeeze("Word 2010"), "Word 2010");
        assert_eq!(squeeze("合  计 13,649.07"), "合计13,649.07");
    }
}
