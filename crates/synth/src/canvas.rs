//! A minimal PDF writer for generated documents: A4 pages of text runs and ruled lines.
//!
//! CJK text goes one of the two ways budget PDFs send it ([`CjkFont`]): a non-embedded
//! `STSong-Light` through the predefined `UniGB-UCS2-H` CMap (no `/ToUnicode`: a reader must
//! know the predefined CMap), or an embedded subset of AR PL UMing as an `Identity-H` CID font
//! with a `/ToUnicode` CMap. ASCII goes through WinAnsi Helvetica, as budget PDFs mix a CJK
//! font with a Latin one for figures.

use lopdf::{dictionary, Dictionary, Document, Object, Stream};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// How a document's CJK text is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum CjkFont {
    /// `STSong-Light`, not embedded, through the predefined `UniGB-UCS2-H` CMap.
    #[default]
    Predefined,
    /// A subset of AR PL UMing CN embedded as an `Identity-H` CID font with `/ToUnicode`.
    Embedded,
}

/// AR PL UMing CN cut to the characters the generator printed when the corpus was committed
/// (Arphic Public License, `fonts/LICENSE-ARPHIC.txt`). Frozen: the committed corpus embeds
/// subsets of it byte for byte. It lacks a few characters the Jiangsu narrative prints since
/// (名词解释's 为之任在外所正特而解词释), which those documents draw as `.notdef` and a reader
/// still reads through `/ToUnicode`.
const UMING_FIRST: &[u8] = include_bytes!("../fonts/uming-subset.ttf");

/// AR PL UMing CN cut by `scripts/make-font` to every character of the generator's source:
/// the font of the families added after the corpus was committed (national layouts, final
/// accounts).
const UMING_CURRENT: &[u8] = include_bytes!("../fonts/uming-subset-2.ttf");

/// Which cut of AR PL UMing a document embeds its subset from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cut {
    /// The first cut, frozen for the committed corpus (`generate`, `generate_with`).
    First,
    /// The current cut, holding every character the generator prints.
    Current,
}

impl Cut {
    fn program(self) -> &'static [u8] {
        match self {
            Cut::First => UMING_FIRST,
            Cut::Current => UMING_CURRENT,
        }
    }
}

/// Whether the current cut has a glyph for `c` (the generator's own check of its font).
pub fn has_glyph(c: char) -> bool {
    ttf_parser::Face::parse(UMING_CURRENT, 0)
        .ok()
        .and_then(|f| f.glyph_index(c))
        .is_some()
}

/// A4 portrait in points.
pub const PAGE_W: f64 = 595.0;
pub const PAGE_H: f64 = 842.0;

/// Horizontal alignment of text in a box.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Center,
    Right,
}

/// Width of one character in em at font size 1.
pub fn char_width(c: char) -> f64 {
    match c {
        '0'..='9' => 0.556,
        ',' | '.' | ' ' => 0.278,
        '-' | '(' | ')' => 0.333,
        '%' => 0.889,
        c if c.is_ascii() => 0.556,
        _ => 1.0,
    }
}

/// Width of a string in points at `size`.
pub fn text_width(s: &str, size: f64) -> f64 {
    s.chars().map(char_width).sum::<f64>() * size
}

/// One drawing operation: literal content, or a text run encoded when the font is known.
enum Op {
    Raw(String),
    Text {
        cjk: bool,
        size: f64,
        x: f64,
        y: f64,
        run: String,
    },
}

/// One page's content stream under construction, in a top-left frame (y grows downwards).
pub struct Canvas {
    ops: Vec<Op>,
    /// Page width and height in points.
    pub width: f64,
    pub height: f64,
    /// A landscape page stored portrait with `/Rotate 90`.
    pub rotated: bool,
}

impl Default for Canvas {
    fn default() -> Self {
        Canvas::new(PAGE_W, PAGE_H)
    }
}

impl Canvas {
    /// An empty page of the given size (`Canvas::new(PAGE_H, PAGE_W)` is A4 landscape).
    pub fn new(width: f64, height: f64) -> Canvas {
        Canvas {
            ops: Vec::new(),
            width,
            height,
            rotated: false,
        }
    }

    /// Draws `s` with its left edge at `x` and its baseline at `y` (top-left frame).
    pub fn text(&mut self, x: f64, y: f64, size: f64, s: &str) {
        let mut pen = x;
        let mut run = String::new();
        let mut run_cjk = None;
        let y = self.height - y;
        let mut flush = |ops: &mut Vec<Op>, run: &mut String, cjk: bool| {
            if run.is_empty() {
                return;
            }
            ops.push(Op::Text {
                cjk,
                size,
                x: pen,
                y,
                run: std::mem::take(run),
            });
            if let Some(Op::Text { run, .. }) = ops.last() {
                pen += text_width(run, size);
            }
        };
        for c in s.chars() {
            let cjk = !c.is_ascii();
            if run_cjk.is_some_and(|r| r != cjk) {
                flush(&mut self.ops, &mut run, run_cjk.unwrap_or(false));
            }
            run_cjk = Some(cjk);
            run.push(c);
        }
        flush(&mut self.ops, &mut run, run_cjk.unwrap_or(false));
    }

    /// Draws `s` aligned inside the horizontal span `x0..x1`.
    pub fn text_in(&mut self, x0: f64, x1: f64, y: f64, size: f64, s: &str, align: Align) {
        let w = text_width(s, size);
        let x = match align {
            Align::Left => x0 + 3.0,
            Align::Center => (x0 + x1 - w) / 2.0,
            Align::Right => x1 - 3.0 - w,
        };
        self.text(x, y, size, s);
    }

    /// Strokes a line (top-left frame).
    pub fn line(&mut self, x0: f64, y0: f64, x1: f64, y1: f64) {
        self.ops.push(Op::Raw(format!(
            "{x0:.2} {:.2} m {x1:.2} {:.2} l S\n",
            self.height - y0,
            self.height - y1
        )));
    }

    /// A table rule: a stroked line, or a thin filled rectangle along it.
    pub fn rule(&mut self, x0: f64, y0: f64, x1: f64, y1: f64, filled: bool) {
        if !filled {
            return self.line(x0, y0, x1, y1);
        }
        let t = 0.6;
        let (x, y) = (x0.min(x1) - t / 2.0, self.height - y0.max(y1) - t / 2.0);
        let (w, h) = ((x1 - x0).abs() + t, (y1 - y0).abs() + t);
        self.ops
            .push(Op::Raw(format!("{x:.2} {y:.2} {w:.2} {h:.2} re f\n")));
    }

    /// The content stream, CJK runs encoded by `cjk_codes`.
    fn into_bytes(self, cjk_codes: &dyn Fn(&str) -> String) -> Vec<u8> {
        // A rotated page is drawn upright in landscape and turned into the portrait page the
        // file stores, which `/Rotate 90` turns back.
        let mut out = if self.rotated {
            format!("0 1 -1 0 {:.2} 0 cm\n", self.height)
        } else {
            String::new()
        };
        out.push_str("0.6 w 0 G\n");
        for op in self.ops {
            match op {
                Op::Raw(s) => out.push_str(&s),
                Op::Text {
                    cjk,
                    size,
                    x,
                    y,
                    run,
                } => {
                    let (font, hex) = if cjk {
                        ("F1", cjk_codes(&run))
                    } else {
                        ("F2", run.bytes().map(|b| format!("{b:02X}")).collect())
                    };
                    out.push_str(&format!(
                        "BT /{font} {size:.2} Tf 1 0 0 1 {x:.2} {y:.2} Tm <{hex}> Tj ET\n"
                    ));
                }
            }
        }
        out.into_bytes()
    }

    /// Every character of the page's CJK runs.
    fn cjk_chars(&self) -> impl Iterator<Item = char> + '_ {
        self.ops.iter().flat_map(|op| match op {
            Op::Text { cjk: true, run, .. } => run.chars().collect::<Vec<_>>(),
            _ => Vec::new(),
        })
    }
}

/// The CJK font `/F1` of a document, and how it encodes a run.
struct CjkResource {
    font: Dictionary,
    /// Code (as 4 hex digits) of each character the document prints, for the embedded font.
    codes: Option<BTreeMap<char, String>>,
}

impl CjkResource {
    fn encode(&self, run: &str) -> String {
        match &self.codes {
            Some(codes) => run
                .chars()
                .map(|c| codes.get(&c).cloned().unwrap_or_else(|| "0000".into()))
                .collect(),
            None => run.encode_utf16().map(|u| format!("{u:04X}")).collect(),
        }
    }
}

/// `STSong-Light` through `UniGB-UCS2-H`, nothing embedded.
fn predefined_font() -> CjkResource {
    let cjk_widths: Vec<Object> = vec![1.into(), 95.into(), 500.into()];
    let font = dictionary! {
        "Type" => "Font", "Subtype" => "Type0", "BaseFont" => "STSong-Light", "Encoding" => "UniGB-UCS2-H",
        "DescendantFonts" => vec![Object::Dictionary(dictionary! {
            "Type" => "Font", "Subtype" => "CIDFontType0", "BaseFont" => "STSong-Light", "DW" => 1000, "W" => cjk_widths,
            "CIDSystemInfo" => dictionary! { "Registry" => Object::string_literal("Adobe"), "Ordering" => Object::string_literal("GB1"), "Supplement" => 4 },
            "FontDescriptor" => dictionary! { "Type" => "FontDescriptor", "FontName" => "STSong-Light", "Flags" => 6, "FontBBox" => vec![(-25).into(), (-254).into(), 1000.into(), 880.into()], "ItalicAngle" => 0, "Ascent" => 880, "Descent" => -120, "CapHeight" => 880, "StemV" => 93 },
        })],
    };
    CjkResource { font, codes: None }
}

/// The characters `chars` of AR PL UMing, subset and embedded: glyphs renumbered from 1 in
/// character order, codes = glyph ids (`Identity-H`), a `/ToUnicode` CMap mapping them back.
fn embedded_font(doc: &mut Document, chars: &[char], cut: Cut) -> Option<CjkResource> {
    let program = cut.program();
    let face = ttf_parser::Face::parse(program, 0).ok()?;
    let scale = 1000.0 / f64::from(face.units_per_em());
    let mut remapper = subsetter::GlyphRemapper::new();
    let mut codes = BTreeMap::new();
    let mut widths: Vec<Object> = Vec::new();
    let mut cmap = String::new();
    for &c in chars {
        let gid = face.glyph_index(c).map_or(0, |g| g.0);
        let new = remapper.remap(gid);
        codes.insert(c, format!("{new:04X}"));
        let advance = face
            .glyph_hor_advance(ttf_parser::GlyphId(gid))
            .map_or(1000.0, |a| f64::from(a) * scale);
        widths.push(Object::Integer(i64::from(new)));
        widths.push(vec![Object::Integer(advance.round() as i64)].into());
        let utf16: String = c
            .encode_utf16(&mut [0; 2])
            .iter()
            .map(|u| format!("{u:04X}"))
            .collect();
        cmap.push_str(&format!("<{new:04X}> <{utf16}>\n"));
    }
    let program = subsetter::subset(program, 0, &remapper).ok()?;
    let to_unicode = format!(
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n\
         /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n\
         /CMapName /Adobe-Identity-UCS def /CMapType 2 def\n\
         1 begincodespacerange <0000> <FFFF> endcodespacerange\n\
         {} beginbfchar\n{cmap}endbfchar\n\
         endcmap CMapName currentdict /CMap defineresource pop end end\n",
        chars.len()
    );
    let length = program.len() as i64;
    let file = doc.add_object(Stream::new(dictionary! { "Length1" => length }, program));
    let to_unicode = doc.add_object(Stream::new(Dictionary::new(), to_unicode.into_bytes()));
    // A subset's name carries a six-letter tag; this one is fixed, so output stays the same.
    let name = "CNBSYN+ARPLUMingCN";
    let font = dictionary! {
        "Type" => "Font", "Subtype" => "Type0", "BaseFont" => name, "Encoding" => "Identity-H",
        "ToUnicode" => to_unicode,
        "DescendantFonts" => vec![Object::Dictionary(dictionary! {
            "Type" => "Font", "Subtype" => "CIDFontType2", "BaseFont" => name, "DW" => 1000, "W" => widths,
            "CIDToGIDMap" => "Identity",
            "CIDSystemInfo" => dictionary! { "Registry" => Object::string_literal("Adobe"), "Ordering" => Object::string_literal("Identity"), "Supplement" => 0 },
            "FontDescriptor" => dictionary! { "Type" => "FontDescriptor", "FontName" => name, "Flags" => 4, "FontBBox" => vec![(-100).into(), (-200).into(), 1100.into(), 900.into()], "ItalicAngle" => 0, "Ascent" => 880, "Descent" => -120, "CapHeight" => 700, "StemV" => 80, "FontFile2" => file },
        })],
    };
    Some(CjkResource {
        font,
        codes: Some(codes),
    })
}

/// Assembles pages into a PDF file, deterministically (no dates, fixed ids), an embedded font
/// cut from the first cut of the font.
pub fn build_pdf(pages: Vec<Canvas>, title: &str, cjk: CjkFont) -> Vec<u8> {
    build_pdf_from(pages, title, cjk, Cut::First)
}

/// Assembles pages into a PDF file, an embedded font subset from the `cut` given.
pub fn build_pdf_from(pages: Vec<Canvas>, title: &str, cjk: CjkFont, cut: Cut) -> Vec<u8> {
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let chars: Vec<char> = pages
        .iter()
        .flat_map(Canvas::cjk_chars)
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let font = match cjk {
        CjkFont::Embedded => embedded_font(&mut doc, &chars, cut),
        CjkFont::Predefined => None,
    }
    .unwrap_or_else(predefined_font);
    let widths: Vec<Object> = (32u8..=126)
        .map(|b| Object::Integer((char_width(b as char) * 1000.0).round() as i64))
        .collect();
    let latin = dictionary! { "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica", "Encoding" => "WinAnsiEncoding", "FirstChar" => 32, "LastChar" => 126, "Widths" => widths };
    let f1 = doc.add_object(font.font.clone());
    let f2 = doc.add_object(latin);
    let resources =
        doc.add_object(dictionary! { "Font" => dictionary! { "F1" => f1, "F2" => f2 } });
    let mut kids = Vec::new();
    for canvas in pages {
        let rotated = canvas.rotated;
        let (w, h) = if rotated {
            (canvas.height, canvas.width)
        } else {
            (canvas.width, canvas.height)
        };
        let media: Vec<Object> = vec![0.into(), 0.into(), w.into(), h.into()];
        // Uncompressed: compressed bytes depend on which zlib backend flate2 was built with
        // (feature unification changes it), and the corpus must regenerate byte for byte.
        let stream = Stream::new(
            Dictionary::new(),
            canvas.into_bytes(&|run| font.encode(run)),
        );
        let content = doc.add_object(stream);
        let mut page = dictionary! { "Type" => "Page", "Parent" => pages_id, "Contents" => content, "Resources" => resources, "MediaBox" => media };
        if rotated {
            page.set("Rotate", 90);
        }
        kids.push(Object::Reference(doc.add_object(page)));
    }
    let count = kids.len() as i64;
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => kids, "Count" => count }),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    let info = doc.add_object(dictionary! { "Producer" => Object::string_literal("cnbudget-synth"), "Title" => Object::String(utf16_text(title), lopdf::StringFormat::Hexadecimal) });
    doc.trailer.set("Root", catalog);
    doc.trailer.set("Info", info);
    let mut out = Vec::new();
    // Saving to memory cannot fail for a document built here; an empty Vec would show it.
    let _ = doc.save_to(&mut out);
    out
}

fn utf16_text(s: &str) -> Vec<u8> {
    let mut v = vec![0xFE, 0xFF];
    for u in s.encode_utf16() {
        v.extend_from_slice(&u.to_be_bytes());
    }
    v
}
