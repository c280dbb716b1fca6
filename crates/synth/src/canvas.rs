//! A minimal PDF writer for generated documents: A4 pages of text runs and ruled lines.
//!
//! CJK text goes through a non-embedded `STSong-Light` with the predefined `UniGB-UCS2-H`
//! CMap (no `/ToUnicode`: a reader must know the predefined CMap), ASCII through WinAnsi
//! Helvetica, as budget PDFs mix a CJK font with a Latin one for figures.

use lopdf::{dictionary, Dictionary, Document, Object, Stream};

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

/// One page's content stream under construction, in a top-left frame (y grows downwards).
pub struct Canvas {
    ops: String,
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
            ops: String::new(),
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
        let page_h = self.height;
        let flush = |ops: &mut String, run: &mut String, cjk: bool, pen: &mut f64| {
            if run.is_empty() {
                return;
            }
            let (font, hex): (&str, String) = if cjk {
                (
                    "F1",
                    run.encode_utf16().map(|u| format!("{u:04X}")).collect(),
                )
            } else {
                ("F2", run.bytes().map(|b| format!("{b:02X}")).collect())
            };
            ops.push_str(&format!(
                "BT /{font} {size:.2} Tf 1 0 0 1 {:.2} {:.2} Tm <{hex}> Tj ET\n",
                *pen,
                page_h - y
            ));
            *pen += text_width(run, size);
            run.clear();
        };
        for c in s.chars() {
            let cjk = !c.is_ascii();
            if run_cjk.is_some_and(|r| r != cjk) {
                flush(&mut self.ops, &mut run, run_cjk.unwrap_or(false), &mut pen);
            }
            run_cjk = Some(cjk);
            run.push(c);
        }
        flush(&mut self.ops, &mut run, run_cjk.unwrap_or(false), &mut pen);
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
        self.ops.push_str(&format!(
            "{x0:.2} {:.2} m {x1:.2} {:.2} l S\n",
            self.height - y0,
            self.height - y1
        ));
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
            .push_str(&format!("{x:.2} {y:.2} {w:.2} {h:.2} re f\n"));
    }

    fn into_bytes(self) -> Vec<u8> {
        // A rotated page is drawn upright in landscape and turned into the portrait page the
        // file stores, which `/Rotate 90` turns back.
        let turn = if self.rotated {
            format!("0 1 -1 0 {:.2} 0 cm\n", self.height)
        } else {
            String::new()
        };
        format!("{turn}0.6 w 0 G\n{}", self.ops).into_bytes()
    }
}

/// Assembles pages into a PDF file, deterministically (no dates, fixed ids).
pub fn build_pdf(pages: Vec<Canvas>, title: &str) -> Vec<u8> {
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let cjk_widths: Vec<Object> = vec![1.into(), 95.into(), 500.into()];
    let cjk = dictionary! {
        "Type" => "Font", "Subtype" => "Type0", "BaseFont" => "STSong-Light", "Encoding" => "UniGB-UCS2-H",
        "DescendantFonts" => vec![Object::Dictionary(dictionary! {
            "Type" => "Font", "Subtype" => "CIDFontType0", "BaseFont" => "STSong-Light", "DW" => 1000, "W" => cjk_widths,
            "CIDSystemInfo" => dictionary! { "Registry" => Object::string_literal("Adobe"), "Ordering" => Object::string_literal("GB1"), "Supplement" => 4 },
            "FontDescriptor" => dictionary! { "Type" => "FontDescriptor", "FontName" => "STSong-Light", "Flags" => 6, "FontBBox" => vec![(-25).into(), (-254).into(), 1000.into(), 880.into()], "ItalicAngle" => 0, "Ascent" => 880, "Descent" => -120, "CapHeight" => 880, "StemV" => 93 },
        })],
    };
    let widths: Vec<Object> = (32u8..=126)
        .map(|b| Object::Integer((char_width(b as char) * 1000.0).round() as i64))
        .collect();
    let latin = dictionary! { "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica", "Encoding" => "WinAnsiEncoding", "FirstChar" => 32, "LastChar" => 126, "Widths" => widths };
    let f1 = doc.add_object(cjk);
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
        let stream = Stream::new(Dictionary::new(), canvas.into_bytes());
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
