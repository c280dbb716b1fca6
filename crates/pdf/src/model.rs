//! The output of the PDF layer: pages of positioned glyphs and rulings, plus diagnostics.
//!
//! Every coordinate is in the upright reading frame of the page as a viewer shows it
//! (`/Rotate` and the crop box already applied): origin at the top-left, x to the right,
//! y downwards, in PDF points.

use crate::geom::Rect;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// One page: its glyphs in drawing order, its rulings, and what went wrong on the way.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Page {
    /// 1-based page index in the PDF (not the printed page number).
    pub number: u32,
    /// Width of the upright page in points.
    pub width: f64,
    /// Height of the upright page in points.
    pub height: f64,
    /// The `/Rotate` the page was stored with (0, 90, 180 or 270).
    pub rotation: u16,
    /// Glyphs in the order the content stream drew them (fake-bold duplicates removed).
    pub glyphs: Vec<Glyph>,
    /// Horizontal and vertical rules, and filled boxes.
    pub rules: Vec<Rule>,
    /// Image XObjects the page paints, in drawing order: what a scan's OCR reads.
    #[serde(default)]
    pub images: Vec<PlacedImage>,
    /// Non-fatal problems met on this page.
    pub warnings: Vec<Warning>,
}

/// One drawn glyph with the text it stands for.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Glyph {
    /// The Unicode text of the glyph (usually one character; more for ligatures).
    pub text: GlyphText,
    /// The glyph's box in the upright page frame.
    pub bbox: Rect,
    /// Effective font size in points (`Tf` size × text matrix × CTM).
    pub font_size: f64,
    /// The font's base name, GBK names decoded, subset prefix kept.
    pub font: Arc<str>,
    /// Whether the baseline runs left-to-right in the upright frame.
    pub upright: bool,
    /// How the glyph's code was turned into text.
    pub decode: DecodePath,
}

/// A glyph's text. Nearly always one character: kept inline, so that a page of thousands of
/// glyphs costs no allocation per glyph (a quarter of a long document's memory); longer
/// texts go to the heap. Reads as a `str`.
#[derive(Clone)]
pub struct GlyphText(Repr);

#[derive(Clone)]
enum Repr {
    /// Length, then the UTF-8 bytes.
    Inline(u8, [u8; INLINE]),
    Heap(Box<str>),
}

const INLINE: usize = 22;

impl GlyphText {
    pub fn as_str(&self) -> &str {
        match &self.0 {
            // SAFETY: only ever filled from a whole `str` (`From<&str>`, the one constructor),
            // so the bytes are UTF-8; checking them at every read cost 2 % of the pipeline.
            Repr::Inline(len, bytes) => unsafe {
                std::str::from_utf8_unchecked(&bytes[..*len as usize])
            },
            Repr::Heap(s) => s,
        }
    }
}

impl From<&str> for GlyphText {
    fn from(s: &str) -> Self {
        if s.len() <= INLINE {
            let mut bytes = [0u8; INLINE];
            bytes[..s.len()].copy_from_slice(s.as_bytes());
            GlyphText(Repr::Inline(s.len() as u8, bytes))
        } else {
            GlyphText(Repr::Heap(s.into()))
        }
    }
}

impl From<String> for GlyphText {
    fn from(s: String) -> Self {
        GlyphText::from(s.as_str())
    }
}

impl std::ops::Deref for GlyphText {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl PartialEq for GlyphText {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for GlyphText {}

impl PartialEq<str> for GlyphText {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for GlyphText {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl std::fmt::Debug for GlyphText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.as_str().fmt(f)
    }
}

impl std::fmt::Display for GlyphText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.as_str().fmt(f)
    }
}

impl Serialize for GlyphText {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for GlyphText {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(GlyphText::from)
    }
}

/// How a character code became Unicode text: the provenance of every character.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DecodePath {
    /// The font's `/ToUnicode` CMap.
    ToUnicode,
    /// A predefined CMap whose codes are Unicode (`UniGB-UCS2-H`, `UniGB-UTF16-H`, …).
    PredefinedUnicode,
    /// A predefined CMap over a legacy Chinese encoding (GBK, GB 18030, Big5), via encoding_rs.
    PredefinedLegacy,
    /// The embedded TrueType/OpenType program's own `cmap`, reversed from glyph id.
    EmbeddedCmap,
    /// A simple font's encoding (Standard, WinAnsi, MacRoman, Differences with glyph names).
    SimpleEncoding,
    /// Nothing decoded the code: the text is U+FFFD.
    Undecoded,
    /// Recognised from the page's pixels by OCR (a scan without a text layer).
    Ocr,
}

/// An image XObject as a page paints it: which object, and where it lands.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PlacedImage {
    /// The image stream's object number and generation ([`crate::Document::image`] reads it).
    pub object: (u32, u16),
    /// The box the image covers in the upright page frame.
    pub bbox: Rect,
    /// The image's unit square → the upright page frame (the CTM at `Do`, page transform
    /// applied): `[a b c d e f]`, so a rotated or mirrored placement is kept. Image row 0 is
    /// at unit-square y = 1.
    pub transform: [f64; 6],
}

/// Which way a rule runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Orientation {
    /// A horizontal line (or a thin filled rectangle lying flat).
    Horizontal,
    /// A vertical line (or a thin filled rectangle standing up).
    Vertical,
    /// A filled box too thick to be a line: a shaded cell or a frame.
    Rect,
}

/// A ruling: a stroked axis-aligned segment, or a thin filled rectangle used as a border.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Rule {
    pub x0: f64,
    pub y0: f64,
    pub x1: f64,
    pub y1: f64,
    /// Which way the rule runs.
    pub orientation: Orientation,
    /// Line width (stroked) or thickness (filled) in points.
    pub width: f64,
}

impl Rule {
    /// The rule's extent as a box.
    pub fn bbox(&self) -> Rect {
        Rect {
            x0: self.x0,
            y0: self.y0,
            x1: self.x1,
            y1: self.y1,
        }
    }
}

/// A non-fatal problem: recorded as data with where it happened, never only logged.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Warning {
    /// What kind of problem.
    pub kind: WarningKind,
    /// Where on the page, when known.
    pub bbox: Option<Rect>,
    /// A one-line explanation naming the font, object or operator concerned.
    pub message: String,
}

/// The kinds of non-fatal problems the PDF layer reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WarningKind {
    /// Glyph codes no decoding path could turn into text (counted per font).
    UndecodableGlyph,
    /// A font resource that is missing or unreadable; its text is lost.
    MissingFont,
    /// A content stream that could not be decoded or parsed in full.
    ContentStream,
    /// A Form XObject that draws itself, or nests too deep.
    XObjectCycle,
    /// Glyphs drawn twice at the same place (fake bold) that were dropped.
    DuplicateGlyphs,
    /// An operator with missing or mistyped operands, skipped.
    BadOperator,
    /// Glyphs drawn outside the visible page box (leftovers a viewer never shows), dropped.
    OutsidePage,
    /// Glyphs hidden by a clipping path (a cell's text overflowing it), dropped.
    Clipped,
}
