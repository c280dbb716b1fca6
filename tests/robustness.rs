//! No panic on any input: every corpus PDF truncated at 20 lengths and with bytes flipped at
//! fixed seeds must open, read, print and yield tables as `Ok` or a typed error.

mod common;

use cnbudget_pdf::{text, Document, Limits, PdfError};
use common::{name, real_corpus};

/// xorshift64*: a fixed, dependency-free sequence so every run mutates the same bytes.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
}

/// Reads every page; returns the first error, which must not come from a caught panic.
fn read_all(bytes: &[u8], label: &str) -> Result<usize, PdfError> {
    let doc = Document::from_bytes(bytes, label, Limits::default())?;
    let mut pages = Vec::new();
    for n in 1..=doc.page_count() {
        let page = doc.page(n)?;
        let _ = text::page_text(&page, true);
        let _ = cnbudget_table::svg::page_svg(&page, &cnbudget_table::page_tables(&page));
        pages.push(page);
    }
    // The table stage, stitching included, must also take whatever the PDF layer gives it.
    let tables = cnbudget_table::document_tables(&pages);
    Ok(pages.iter().map(|p| p.glyphs.len()).sum::<usize>() + tables.len())
}

fn assert_not_panic(result: &Result<usize, PdfError>, label: &str) {
    if let Err(e) = result {
        assert!(
            !e.to_string().contains("panicked"),
            "{label}: a panic was caught inside the PDF layer: {e}"
        );
        assert!(
            e.to_string().starts_with(label),
            "{label}: error does not name the file: {e}"
        );
    }
}

#[test]
fn truncated_and_bit_flipped_corpus_files_never_panic() {
    let Some(files) = real_corpus() else { return };
    let (mut ok, mut errors) = (0, 0);
    for file in &files {
        let bytes = std::fs::read(file).unwrap();
        let mut variants: Vec<(String, Vec<u8>)> = (1..=20)
            .map(|k| {
                (
                    format!("{} cut at {k}/21", name(file)),
                    bytes[..bytes.len() * k / 21].to_vec(),
                )
            })
            .collect();
        for seed in 1..=12u64 {
            let mut rng = Rng((seed * 0x9E37_79B9_7F4A_7C15) ^ bytes.len() as u64);
            let mut mutated = bytes.clone();
            for _ in 0..16 {
                let at = (rng.next() % mutated.len() as u64) as usize;
                mutated[at] ^= 1 << (rng.next() % 8);
            }
            variants.push((format!("{} flipped seed {seed}", name(file)), mutated));
        }
        for (label, data) in variants {
            let result = read_all(&data, &label);
            assert_not_panic(&result, &label);
            if result.is_ok() {
                ok += 1
            } else {
                errors += 1
            }
        }
    }
    println!("{ok} damaged variants read, {errors} refused with a typed error");
    assert!(
        ok > 0 && errors > 0,
        "the mutations should both break some files and leave others readable"
    );
}
