//! The content-stream lexer and interpreter: arbitrary bytes as the one content stream of a
//! well-formed page (fonts `/F1` simple, `/F2` Type0), then the page's tables.
#![no_main]

use cnbudget_pdf::{Document, Limits};
use cnbudget_synth::hostile::{page_pdf, PageOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let pdf = page_pdf(data, &PageOptions::default());
    let limits = Limits {
        max_glyphs_per_page: 50_000,
        ..Limits::default()
    };
    if let Ok(doc) = Document::from_bytes(&pdf, "content.pdf", limits) {
        if let Ok(page) = doc.page(1) {
            let _ = cnbudget_table::page_tables(&page);
            let _ = cnbudget_pdf::text::page_text(&page, true);
        }
    }
});
