//! The narrative of a document: its text outside tables, read for stated figures, each kept
//! with the page its sentence starts on and the section heading above it.

use crate::model::NarrativeFact;
use cnbudget_grammar::furniture::is_page_number;
use cnbudget_grammar::narrative::{facts, heading};
use cnbudget_grammar::text::canonical;
use cnbudget_pdf::Page;
use cnbudget_table::TextLine;

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
            let page_number = (line.bbox.y0 > 0.9 * page.height
                || line.bbox.y1 < 0.08 * page.height)
                && is_page_number(&line.text);
            if page_number {
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
