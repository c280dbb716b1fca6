//! The narrative of a document: its text outside tables, read for stated figures, each kept
//! with the page its sentence starts on and the section heading above it.

use crate::model::NarrativeFact;
use cnbudget_grammar::narrative::{facts, heading};
use cnbudget_grammar::text::canonical;
use cnbudget_pdf::Page;
use cnbudget_table::{is_page_number, TextLine};

/// Reads the figures the document's narrative states, from each page's free lines (those of
/// `pages`, in order).
pub(crate) fn narrative_facts(pages: &[Page], free_lines: &[Vec<TextLine>]) -> Vec<NarrativeFact> {
    // The narrative as one text (sentences run over lines and pages), with where each page's
    // text and each heading begin in it.
    let mut text = String::new();
    let mut page_starts: Vec<(usize, u32)> = Vec::new();
    let mut headings: Vec<(usize, String)> = Vec::new();
    for (page, lines) in pages.iter().zip(free_lines) {
        page_starts.push((text.len(), page.number));
        // The table stage left the tables' cells out of the free lines.
        for line in lines {
            if is_page_number(&line.text, line.bbox, page) {
                continue;
            }
            let t = canonical(&line.text);
            if let Some(h) = heading(&t) {
                headings.push((text.len(), h.text));
                // A heading ends what stood before it, even without a full stop.
                if !text.ends_with('。') && !text.is_empty() {
                    text.push('。');
                }
            }
            text.push_str(&t);
        }
    }
    let mut out = Vec::new();
    let mut from = 0;
    for fact in facts(&text) {
        let at = text[from..].find(&fact.sentence).map_or(from, |p| from + p);
        from = at;
        let page = page_starts
            .iter()
            .rev()
            .find(|(start, _)| *start <= at)
            .map_or(0, |(_, p)| *p);
        let section = headings
            .iter()
            .rev()
            .find(|(start, _)| *start <= at)
            .map(|(_, h)| h.clone());
        out.push(NarrativeFact {
            fact,
            page,
            section,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use cnbudget_pdf::Rect;

    fn a4(number: u32) -> Page {
        Page {
            number,
            width: 595.3,
            height: 841.9,
            rotation: 0,
            glyphs: vec![],
            rules: vec![],
            images: vec![],
            warnings: vec![],
        }
    }

    fn line(page: u32, y0: f64, text: &str) -> TextLine {
        TextLine {
            page,
            bbox: Rect {
                x0: 79.3,
                y0,
                x1: 500.0,
                y1: y0 + 15.6,
            },
            text: text.into(),
        }
    }

    #[test]
    fn a_page_number_in_the_foot_margin_is_not_narrative() {
        // Beijing's 城市管理综合行政执法局 prints `— 4 —` 82–97 points above an A4 page's foot
        // (y 744–760 of 842, from the top): the sentence after it starts on page 5 and does
        // not hold it.
        let pages = [a4(4), a4(5)];
        let free = [
            vec![
                line(4, 124.0, "3.国有资本经营预算拨款收入 0 万元。"),
                line(4, 744.5, "— 4 —"),
            ],
            vec![line(5, 712.3, "（二）本年其他资金收入 0 万元。")],
        ];
        let facts = narrative_facts(&pages, &free);
        let other = facts
            .iter()
            .find(|f| f.fact.name == "其他资金")
            .map(|f| (f.page, f.fact.sentence.as_str()));
        assert_eq!(other, Some((5, "(二)本年其他资金收入0万元。")));
    }
}
