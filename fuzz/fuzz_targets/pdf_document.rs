//! The whole PDF layer on arbitrary bytes, and what follows it: every page read, tables
//! rebuilt, records normalised. Any outcome but a panic, a hang or a crash is fine.
#![no_main]

use cnbudget_pdf::{Document, Limits};
use libfuzzer_sys::fuzz_target;
use std::time::Duration;

fuzz_target!(|data: &[u8]| {
    let limits = Limits {
        max_stream_bytes: 8 << 20,
        max_document_bytes: 32 << 20,
        max_pages: 64,
        max_glyphs_per_page: 50_000,
        timeout: Some(Duration::from_secs(10)),
        ..Limits::default()
    };
    let Ok(doc) = Document::from_bytes(data, "fuzz.pdf", limits) else {
        return;
    };
    let _ = doc.info();
    let pages: Vec<_> = (1..=doc.page_count())
        .filter_map(|n| doc.page(n).ok())
        .collect();
    let tables = cnbudget_table::document_tables(&pages);
    let _ = cnbudget_normalize::normalize("fuzz.pdf", &pages, &tables, &Default::default());
});
