//! The CMap parser and lookups: arbitrary bytes as the ToUnicode CMap of a Type0 font, with
//! text drawn through it in one- to four-byte codes.
#![no_main]

use cnbudget_pdf::{Document, Limits};
use cnbudget_synth::hostile::{page_pdf, PageOptions};
use libfuzzer_sys::fuzz_target;

const TEXT: &[u8] = b"BT /F2 12 Tf 72 700 Td <00010203040506070809> Tj \
    <0000FFFF7F80FEFF> Tj <00000001000100020003> Tj <20> Tj ET";

fuzz_target!(|data: &[u8]| {
    let pdf = page_pdf(
        TEXT,
        &PageOptions {
            to_unicode: Some(data),
            ..Default::default()
        },
    );
    if let Ok(doc) = Document::from_bytes(&pdf, "cmap.pdf", Limits::default()) {
        let _ = doc.page(1);
    }
});
