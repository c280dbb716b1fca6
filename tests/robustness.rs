//! No panic on any input: every corpus PDF truncated at 20 lengths and with bytes flipped at
//! fixed seeds must open, read, print and yield tables as `Ok` or a typed error.

mod common;

use cnbudget_pdf::{text, Document, Limit, Limits, PdfError, WarningKind};
use cnbudget_synth::hostile::{self, PageOptions};
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
    let tables = cnbudget_table::document_tables(&pages).tables;
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
            let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ bytes.len() as u64);
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

/// The limit a document stopped at, if a resource limit stopped it.
fn limit_of<T>(r: &Result<T, PdfError>) -> Option<Limit> {
    match r {
        Err(PdfError::ResourceLimit { limit, .. }) => Some(*limit),
        _ => None,
    }
}

/// The text of every page, or the first error.
fn text_of(bytes: &[u8], limits: Limits) -> Result<String, PdfError> {
    let doc = Document::from_bytes(bytes, "hostile.pdf", limits)?;
    let mut out = String::new();
    for n in 1..=doc.page_count() {
        out += &text::page_text(&doc.page(n)?, false);
    }
    Ok(out)
}

#[test]
fn stream_bomb_stops_at_the_stream_limit() {
    let bomb = hostile::zeros_deflated(Limits::default().max_stream_bytes + (1 << 20));
    let pdf = hostile::page_pdf(
        &bomb,
        &PageOptions {
            filter: "/Filter /FlateDecode",
            ..Default::default()
        },
    );
    let r = text_of(&pdf, Limits::default());
    assert_eq!(limit_of(&r), Some(Limit::StreamBytes), "{r:?}");
    assert!(r.unwrap_err().to_string().contains("--max-stream-bytes"));
}

#[test]
fn many_streams_stop_at_the_document_limit() {
    let limits = Limits {
        max_stream_bytes: 4 << 20,
        max_document_bytes: 10 << 20,
        ..Limits::default()
    };
    // Each stream is under the stream limit; together they are over the document's.
    let pdf = hostile::page_pdf(
        &hostile::zeros_deflated(3 << 20),
        &PageOptions {
            filter: "/Filter /FlateDecode",
            repeat: 4,
            ..Default::default()
        },
    );
    let r = text_of(&pdf, limits);
    assert_eq!(limit_of(&r), Some(Limit::DocumentBytes), "{r:?}");
}

#[test]
fn deep_nesting_is_refused_not_a_stack_overflow() {
    for (what, pdf) in [
        (
            "array in the page dictionary",
            hostile::page_pdf(
                hostile::HELLO,
                &PageOptions {
                    page_extra: &format!(
                        "/Deep {}",
                        String::from_utf8(hostile::nested_arrays(10_000)).unwrap()
                    ),
                    ..Default::default()
                },
            ),
        ),
        (
            "dictionary in the page dictionary",
            hostile::page_pdf(
                hostile::HELLO,
                &PageOptions {
                    page_extra: &format!(
                        "/Deep {}",
                        "<< /A ".repeat(10_000) + &">> ".repeat(10_000)
                    ),
                    ..Default::default()
                },
            ),
        ),
        (
            "array in the content stream",
            hostile::page_pdf(
                &[
                    hostile::nested_arrays(10_000),
                    b" TJ ".to_vec(),
                    hostile::HELLO.to_vec(),
                ]
                .concat(),
                &PageOptions::default(),
            ),
        ),
    ] {
        let r = text_of(&pdf, Limits::default());
        assert_eq!(limit_of(&r), Some(Limit::Depth), "{what}: {r:?}");
    }
}

#[test]
fn self_referencing_page_tree_is_a_typed_error() {
    let r = text_of(&hostile::self_referencing_tree(), Limits::default());
    assert!(
        matches!(r, Err(PdfError::Malformed { .. })),
        "a page tree listing itself: {r:?}"
    );
}

#[test]
fn too_many_pages_and_too_many_glyphs_stop_at_their_limits() {
    let pages = hostile::many_pages(Limits::default().max_pages + 1);
    assert_eq!(
        limit_of(&text_of(&pages, Limits::default())),
        Some(Limit::Pages)
    );
    let flood = hostile::page_pdf(
        &hostile::glyph_flood(Limits::default().max_glyphs_per_page + 1),
        &PageOptions {
            filter: "/Filter /FlateDecode",
            ..Default::default()
        },
    );
    assert_eq!(
        limit_of(&text_of(&flood, Limits::default())),
        Some(Limit::GlyphsPerPage)
    );
}

#[test]
fn the_wall_clock_limit_stops_a_document() {
    let pdf = hostile::page_pdf(hostile::HELLO, &PageOptions::default());
    let limits = Limits {
        timeout: Some(std::time::Duration::ZERO),
        ..Limits::default()
    };
    assert_eq!(limit_of(&text_of(&pdf, limits)), Some(Limit::Timeout));
}

/// Damage a reader must take in its stride: the text is still read.
#[test]
fn recoverable_damage_still_reads() {
    let cases = [
        (
            "a text object never ended",
            hostile::page_pdf(
                b"BT /F1 12 Tf 72 700 Td (Hello) Tj",
                &PageOptions::default(),
            ),
        ),
        (
            "/Length far too long",
            hostile::page_pdf(
                hostile::HELLO,
                &PageOptions {
                    length: Some(99_999),
                    ..Default::default()
                },
            ),
        ),
        (
            "/Length too short",
            hostile::page_pdf(
                hostile::HELLO,
                &PageOptions {
                    length: Some(5),
                    ..Default::default()
                },
            ),
        ),
        (
            "no startxref",
            hostile::page_pdf(
                hostile::HELLO,
                &PageOptions {
                    no_startxref: true,
                    ..Default::default()
                },
            ),
        ),
    ];
    for (what, pdf) in cases {
        let r = text_of(&pdf, Limits::default());
        assert_eq!(
            r.as_ref().map(|t| t.trim().to_string()).ok(),
            Some("Hello".to_string()),
            "{what}: {r:?}"
        );
    }
}

/// A ToUnicode CMap mapping codes to lone and reversed surrogates: no mapping; the glyphs are drawn,
/// shown as U+FFFD with a warning, and nothing panics.
#[test]
fn cmap_to_invalid_code_points_gives_replacement_characters() {
    let cmap = b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n\
        1 begincodespacerange <0000> <FFFF> endcodespacerange\n\
        4 beginbfchar <0001> <D800> <0002> <DFFF> <0003> <DC00D800> <0004> <D83D> endbfchar\n\
        endcmap end end";
    let pdf = hostile::page_pdf(
        b"BT /F2 12 Tf 72 700 Td <0001000200030004> Tj ET",
        &PageOptions {
            to_unicode: Some(cmap),
            ..Default::default()
        },
    );
    let doc = Document::from_bytes(&pdf, "cmap.pdf", Limits::default()).unwrap();
    let page = doc.page(1).unwrap();
    assert_eq!(page.glyphs.len(), 4);
    assert!(
        page.glyphs
            .iter()
            .all(|g| !g.text.is_empty() && g.text.chars().all(|c| c == '\u{FFFD}')),
        "{:?}",
        page.glyphs.iter().map(|g| &g.text).collect::<Vec<_>>()
    );
    assert!(page
        .warnings
        .iter()
        .any(|w| w.kind == WarningKind::UndecodableGlyph));
}

/// Reference cycles end: a Type0 font whose descendant is itself, a font descriptor pointing
/// back at its font, and a Form XObject that draws itself (skipped with a warning).
#[test]
fn reference_cycles_in_fonts_and_xobjects_end() {
    let mut pdf = hostile::RawPdf::new();
    let catalog = pdf.add("<< /Type /Catalog /Pages 2 0 R >>");
    pdf.add("<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
    pdf.add(
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R \
         /Resources << /Font << /F1 5 0 R /F2 6 0 R >> /XObject << /X1 7 0 R >> >> >>",
    );
    pdf.stream(
        "",
        b"BT /F1 12 Tf 72 700 Td (Hello) Tj ET BT /F2 12 Tf 72 680 Td <0001> Tj ET /X1 Do",
        None,
    );
    pdf.add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
    // The Type0 font lists itself as its descendant, and its descriptor points back at it.
    pdf.add(
        "<< /Type /Font /Subtype /Type0 /BaseFont /Loop /Encoding /Identity-H \
         /DescendantFonts [6 0 R] /FontDescriptor << /FontFile2 6 0 R >> >>",
    );
    pdf.stream(
        "/Type /XObject /Subtype /Form /BBox [0 0 595 842] \
         /Resources << /XObject << /X1 7 0 R >> >>",
        b"/X1 Do",
        None,
    );
    let bytes = pdf.finish(catalog, true);
    let doc = Document::from_bytes(&bytes, "cycles.pdf", Limits::default()).unwrap();
    let page = doc.page(1).unwrap();
    assert_eq!(text::page_text(&page, false).lines().next(), Some("Hello"));
    assert!(page
        .warnings
        .iter()
        .any(|w| w.kind == WarningKind::XObjectCycle));
}
