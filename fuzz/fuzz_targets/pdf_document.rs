//! The whole pipeline on arbitrary bytes, through the library entry point `extract`,
//! `check` and `records` use: every page read, tables rebuilt, records normalised, the audit.
//! Any outcome but a panic, a hang or a crash is fine (the entry point catches panics, so a
//! caught one is made a crash again here).
#![no_main]

use cnbudget_pdf::Limits;
use cnbudget_pipeline::{read, Options};
use libfuzzer_sys::fuzz_target;
use std::time::Duration;

fuzz_target!(|data: &[u8]| {
    let opts = Options {
        aliases: Default::default(),
        limits: Limits {
            max_stream_bytes: 8 << 20,
            max_document_bytes: 32 << 20,
            max_pages: 64,
            max_glyphs_per_page: 50_000,
            timeout: Some(Duration::from_secs(10)),
            ..Limits::default()
        },
        // Scans stay unread: OCR needs its models, and the PDF layer is what is fuzzed here.
        ocr: None,
    };
    let reading = read(data, "fuzz.pdf", &opts);
    if let Some(e) = reading.error.as_deref() {
        assert!(!e.contains("internal error (panic)"), "{e}");
    }
});
