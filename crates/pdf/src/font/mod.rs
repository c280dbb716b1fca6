//! Fonts: from a character code in a shown string to text, advance width and decode path.
//!
//! The chain, per glyph, never silently guessing: `/ToUnicode` → predefined CJK CMap
//! (Unicode or legacy national encoding) → the embedded font's own `cmap` → simple-font
//! encoding → `Undecoded` (U+FFFD, reported as a warning by the interpreter).

mod cmap;
mod embedded;
mod predefined;
mod simple;

pub(crate) use cmap::utf16be_to_string;
use cmap::CMap;
use embedded::ReverseCmap;
use predefined::Predefined;
use simple::BaseEncoding;

use crate::model::DecodePath;
use crate::objects::{
    as_dict, get, get_dict, get_name, get_number, name_text, number, numbers, resolve, stream_bytes,
};
use lopdf::{Dictionary, Document, Object};
use serde::Serialize;
use std::sync::{Arc, OnceLock};

/// What `cnbudget info` reports about a font.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct FontInfo {
    /// Base font name, GBK names decoded.
    pub name: String,
    /// `Type0`, `TrueType`, `Type1`, `Type3` …; for Type0 also the descendant (`Type0/CIDFontType2`).
    pub subtype: String,
    /// The `/Encoding` name, or `embedded CMap` / `Differences` / `builtin`.
    pub encoding: String,
    /// Whether the font has a `/ToUnicode` CMap.
    pub to_unicode: bool,
    /// Whether the font program is embedded.
    pub embedded: bool,
}

/// How a shown string is cut into codes.
#[derive(Debug)]
enum Codes {
    /// One byte per code (simple fonts).
    Simple,
    /// Two bytes per code, CID = code.
    Identity,
    /// A predefined CJK CMap.
    Predefined(Predefined),
    /// An embedded encoding CMap with its codespace and CID mappings.
    Embedded(CMap),
}

/// CID widths from a `/W` array: inclusive CID ranges with one width each.
#[derive(Debug, Default)]
struct CidWidths(Vec<(u32, u32, f64)>);

impl CidWidths {
    fn parse(doc: &Document, w: &Object) -> CidWidths {
        let mut out = Vec::new();
        let Some(Object::Array(items)) = resolve(doc, w) else {
            return CidWidths(out);
        };
        let mut i = 0;
        while i < items.len() {
            let first = resolve(doc, &items[i]).and_then(number);
            match (first, items.get(i + 1).and_then(|o| resolve(doc, o))) {
                (Some(c), Some(Object::Array(ws))) => {
                    for (k, w) in ws.iter().enumerate() {
                        if let Some(w) = resolve(doc, w).and_then(number) {
                            let cid = c as u32 + k as u32;
                            out.push((cid, cid, w));
                        }
                    }
                    i += 2;
                }
                (Some(c0), Some(last)) => {
                    let c1 = number(last);
                    let w = items
                        .get(i + 2)
                        .and_then(|o| resolve(doc, o))
                        .and_then(number);
                    if let (Some(c1), Some(w)) = (c1, w) {
                        out.push((c0 as u32, c1 as u32, w));
                    }
                    i += 3;
                }
                _ => i += 1,
            }
        }
        out.sort_by_key(|r| r.0);
        CidWidths(out)
    }

    fn get(&self, cid: u32) -> Option<f64> {
        let idx = self.0.partition_point(|r| r.0 <= cid);
        self.0[..idx]
            .iter()
            .rev()
            .take(8)
            .find(|r| r.1 >= cid)
            .map(|r| r.2)
    }
}

/// A loaded font, shared by every page that uses it.
#[derive(Debug)]
pub(crate) struct Font {
    /// Base font name.
    pub name: Arc<str>,
    /// What `info` prints.
    pub info: FontInfo,
    codes: Codes,
    to_unicode: Option<CMap>,
    /// Simple fonts: code → text by the font's encoding.
    table: Vec<Option<String>>,
    /// Simple fonts: widths from `FirstChar`.
    simple_widths: (u32, Vec<f64>),
    cid_widths: CidWidths,
    default_width: f64,
    /// Glyph units → text space (1/1000, or Type3's `FontMatrix`).
    pub scale: f64,
    /// Top and bottom of the glyph box as fractions of the font size.
    pub ascent: f64,
    pub descent: f64,
    /// Whether glyphs advance downwards (`-V` encodings).
    pub vertical: bool,
    cid_to_gid: Option<Vec<u16>>,
    program: Option<lopdf::Stream>,
    reverse: OnceLock<Option<ReverseCmap>>,
    stream_limit: usize,
}

/// One decoded code of a shown string.
#[derive(Debug, Clone)]
pub(crate) struct Decoded {
    pub text: String,
    /// Advance in glyph units (thousandths of the font size for all but Type3).
    pub width: f64,
    /// A single-byte code 32, to which word spacing applies.
    pub is_space_code: bool,
    pub path: DecodePath,
}

impl Font {
    /// Reads a font dictionary. Never fails: what cannot be read degrades to `Undecoded` glyphs.
    pub(crate) fn load(doc: &Document, dict: &Dictionary, stream_limit: usize) -> Font {
        let subtype = get_name(doc, dict, b"Subtype")
            .map(name_text)
            .unwrap_or_default();
        let name = get_name(doc, dict, b"BaseFont")
            .map(name_text)
            .unwrap_or_else(|| "(unnamed)".into());
        let to_unicode = get(doc, dict, b"ToUnicode")
            .and_then(|o| stream_bytes(doc, o, stream_limit))
            .and_then(Result::ok)
            .map(|b| CMap::parse(&b))
            .filter(|m| !m.is_empty());
        if subtype == "Type0" {
            Self::load_composite(doc, dict, name, to_unicode, stream_limit)
        } else {
            Self::load_simple(doc, dict, name, subtype, to_unicode, stream_limit)
        }
    }

    fn blank(
        name: String,
        info: FontInfo,
        codes: Codes,
        to_unicode: Option<CMap>,
        stream_limit: usize,
    ) -> Font {
        Font {
            name: name.into(),
            info,
            codes,
            to_unicode,
            table: Vec::new(),
            simple_widths: (0, Vec::new()),
            cid_widths: CidWidths::default(),
            default_width: 1000.0,
            scale: 0.001,
            ascent: 0.88,
            descent: -0.12,
            vertical: false,
            cid_to_gid: None,
            program: None,
            reverse: OnceLock::new(),
            stream_limit,
        }
    }

    fn load_composite(
        doc: &Document,
        dict: &Dictionary,
        name: String,
        to_unicode: Option<CMap>,
        limit: usize,
    ) -> Font {
        let descendant = match get(doc, dict, b"DescendantFonts") {
            Some(Object::Array(a)) => a.first().and_then(|o| resolve(doc, o)).and_then(as_dict),
            Some(o) => as_dict(o),
            None => None,
        };
        let (codes, encoding, vertical) = match get(doc, dict, b"Encoding") {
            Some(Object::Name(n)) => {
                let enc = name_text(n);
                let vertical = enc.ends_with("-V");
                let codes = if enc.starts_with("Identity") {
                    Codes::Identity
                } else {
                    Predefined::from_name(&enc).map_or(Codes::Identity, Codes::Predefined)
                };
                (codes, enc, vertical)
            }
            Some(Object::Stream(s)) => {
                let bytes = s.get_plain_content_with_limit(limit).unwrap_or_default();
                let vertical = get_number(doc, &s.dict, b"WMode") == Some(1.0);
                (
                    Codes::Embedded(CMap::parse(&bytes)),
                    "embedded CMap".to_string(),
                    vertical,
                )
            }
            _ => (Codes::Identity, "Identity-H (assumed)".to_string(), false),
        };
        let desc_subtype = descendant
            .and_then(|d| get_name(doc, d, b"Subtype"))
            .map(name_text)
            .unwrap_or_default();
        let descriptor = descendant.and_then(|d| get_dict(doc, d, b"FontDescriptor"));
        let program = descriptor.and_then(|fd| Self::program(doc, fd));
        let info = FontInfo {
            name: name.clone(),
            subtype: format!("Type0/{desc_subtype}"),
            encoding,
            to_unicode: to_unicode.is_some(),
            embedded: program.is_some(),
        };
        let mut font = Font::blank(name, info, codes, to_unicode, limit);
        font.vertical = vertical;
        font.program = program;
        if let Some(d) = descendant {
            font.default_width = get_number(doc, d, b"DW").unwrap_or(1000.0);
            if let Some(w) = d.get(b"W").ok() {
                font.cid_widths = CidWidths::parse(doc, w);
            }
            if let Some(Object::Stream(s)) = get(doc, d, b"CIDToGIDMap") {
                let bytes = s.get_plain_content_with_limit(limit).unwrap_or_default();
                font.cid_to_gid = Some(
                    bytes
                        .chunks_exact(2)
                        .map(|c| u16::from_be_bytes([c[0], c[1]]))
                        .collect(),
                );
            }
        }
        font.set_metrics(doc, descriptor);
        font
    }

    fn load_simple(
        doc: &Document,
        dict: &Dictionary,
        name: String,
        subtype: String,
        to_unicode: Option<CMap>,
        limit: usize,
    ) -> Font {
        let descriptor = get_dict(doc, dict, b"FontDescriptor");
        let program = descriptor.and_then(|fd| Self::program(doc, fd));
        let symbolic = descriptor
            .and_then(|fd| get_number(doc, fd, b"Flags"))
            .is_some_and(|f| (f as i64) & 4 != 0);
        // Without an /Encoding a non-symbolic TrueType font is read as WinAnsi, a Type1 as
        // Standard; symbol fonts get their own tables.
        let default_base = if name.contains("Symbol") {
            BaseEncoding::Symbol
        } else if name.contains("Dingbats") {
            BaseEncoding::ZapfDingbats
        } else if subtype == "TrueType" || symbolic {
            BaseEncoding::WinAnsi
        } else {
            BaseEncoding::Standard
        };
        let (mut table, encoding) = match get(doc, dict, b"Encoding") {
            Some(Object::Name(n)) => (
                BaseEncoding::from_name(n)
                    .unwrap_or(default_base)
                    .to_table(),
                name_text(n),
            ),
            Some(Object::Dictionary(enc)) => {
                let base = get_name(doc, enc, b"BaseEncoding")
                    .and_then(BaseEncoding::from_name)
                    .unwrap_or(default_base);
                let mut table = base.to_table();
                if let Some(Object::Array(diffs)) = get(doc, enc, b"Differences") {
                    let mut code = 0usize;
                    for item in diffs {
                        match resolve(doc, item) {
                            Some(Object::Integer(c)) => code = (*c).clamp(0, 256) as usize,
                            Some(Object::Name(n)) => {
                                if let Some(slot) = table.get_mut(code) {
                                    *slot = simple::glyph_name_to_text(&name_text(n));
                                }
                                code += 1;
                            }
                            _ => {}
                        }
                    }
                }
                (table, "Differences".to_string())
            }
            _ => (default_base.to_table(), "builtin".to_string()),
        };
        table.resize(256, None);
        let info = FontInfo {
            name: name.clone(),
            subtype: subtype.clone(),
            encoding,
            to_unicode: to_unicode.is_some(),
            embedded: program.is_some(),
        };
        let mut font = Font::blank(name, info, Codes::Simple, to_unicode, limit);
        font.table = table;
        let first = get_number(doc, dict, b"FirstChar").unwrap_or(0.0).max(0.0) as u32;
        let widths = get(doc, dict, b"Widths")
            .and_then(|w| numbers(doc, w))
            .unwrap_or_default();
        font.simple_widths = (first, widths);
        font.default_width = descriptor
            .and_then(|fd| get_number(doc, fd, b"MissingWidth"))
            .filter(|w| *w > 0.0)
            .unwrap_or(500.0);
        if subtype == "Type3" {
            if let Some(m) = get(doc, dict, b"FontMatrix").and_then(|m| numbers(doc, m)) {
                if m.len() == 6 && m[0].abs() > 0.0 {
                    font.scale = m[0].abs();
                }
            }
        }
        font.set_metrics(doc, descriptor);
        font
    }

    fn program(doc: &Document, fd: &Dictionary) -> Option<lopdf::Stream> {
        [&b"FontFile2"[..], b"FontFile3", b"FontFile"]
            .iter()
            .find_map(|k| match get(doc, fd, k) {
                Some(Object::Stream(s)) => Some(s.clone()),
                _ => None,
            })
    }

    fn set_metrics(&mut self, doc: &Document, descriptor: Option<&Dictionary>) {
        let Some(fd) = descriptor else { return };
        let ascent = get_number(doc, fd, b"Ascent").map(|a| a / 1000.0);
        let descent = get_number(doc, fd, b"Descent").map(|d| d / 1000.0);
        if let (Some(a), Some(d)) = (ascent, descent) {
            // Some producers write 0 or absurd values; keep the defaults then.
            if (0.5..=1.5).contains(&a) && (-0.6..=0.0).contains(&d) {
                self.ascent = a;
                self.descent = d;
            }
        }
    }

    /// Whether this is a simple (one byte per code) font.
    pub(crate) fn is_simple(&self) -> bool {
        matches!(self.codes, Codes::Simple)
    }

    /// Cuts a shown string into codes and decodes each.
    pub(crate) fn decode(&self, bytes: &[u8], out: &mut Vec<Decoded>) {
        let mut rest = bytes;
        while !rest.is_empty() {
            let len = match &self.codes {
                Codes::Simple => 1,
                Codes::Identity => 2.min(rest.len()),
                Codes::Predefined(p) => p.code_len(rest),
                Codes::Embedded(cmap) => cmap.code_len(rest),
            };
            let (code_bytes, tail) = rest.split_at(len);
            rest = tail;
            out.push(self.decode_code(code_bytes));
        }
    }

    fn decode_code(&self, code_bytes: &[u8]) -> Decoded {
        let code = code_bytes.iter().fold(0u32, |a, &b| a << 8 | b as u32);
        let cid = match &self.codes {
            Codes::Simple => None,
            Codes::Identity => Some(code),
            Codes::Predefined(_) => None,
            Codes::Embedded(cmap) => cmap.cid(code),
        };
        let from_to_unicode = self
            .to_unicode
            .as_ref()
            .and_then(|m| m.text(code))
            .filter(|t| !t.is_empty() && !t.contains('\0'));
        let (text, path) = if let Some(t) = from_to_unicode {
            (t, DecodePath::ToUnicode)
        } else if let Some(t) = match &self.codes {
            Codes::Predefined(p) => p.decode(code_bytes),
            _ => None,
        } {
            (t, DecodePath::PredefinedLegacy)
        } else if let Some(ch) = cid.and_then(|c| self.embedded_char(c)) {
            (ch.to_string(), DecodePath::EmbeddedCmap)
        } else if let Some(t) = self
            .is_simple()
            .then(|| self.table.get(code as usize).cloned().flatten())
            .flatten()
        {
            (t, DecodePath::SimpleEncoding)
        } else {
            ("\u{FFFD}".to_string(), DecodePath::Undecoded)
        };
        let path = match (&self.codes, path) {
            (
                Codes::Predefined(Predefined::Ucs2 | Predefined::Utf16 | Predefined::Utf32),
                DecodePath::PredefinedLegacy,
            ) => DecodePath::PredefinedUnicode,
            (_, p) => p,
        };
        let width = match (&self.codes, cid) {
            (Codes::Simple, _) => {
                let (first, ws) = &self.simple_widths;
                code.checked_sub(*first)
                    .and_then(|i| ws.get(i as usize))
                    .copied()
                    .filter(|w| *w > 0.0)
                    .unwrap_or(self.default_width)
            }
            (_, Some(cid)) => self.cid_widths.get(cid).unwrap_or(self.default_width),
            // Predefined CMaps: the CID is not known without the CMap file. Adobe's CJK
            // collections put proportional Latin at CIDs 1–95 (for 0x20–0x7E), so ASCII text
            // takes its width there; everything else takes the default (full) width.
            (_, None) => match text.chars().next() {
                Some(c @ ' '..='~') if text.len() == 1 => {
                    self.cid_widths.get(c as u32 - 0x1F).unwrap_or(500.0)
                }
                _ => self.default_width,
            },
        };
        Decoded {
            text,
            width,
            is_space_code: code_bytes == [32],
            path,
        }
    }

    fn embedded_char(&self, cid: u32) -> Option<char> {
        let reverse = self.reverse.get_or_init(|| {
            let bytes = self
                .program
                .as_ref()?
                .get_plain_content_with_limit(self.stream_limit)
                .ok()?;
            ReverseCmap::from_font_program(&bytes)
        });
        let gid = match &self.cid_to_gid {
            Some(map) => *map.get(cid as usize)?,
            None => u16::try_from(cid).ok()?,
        };
        reverse.as_ref()?.get(gid)
    }
}
