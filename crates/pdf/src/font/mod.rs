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

use crate::model::{DecodePath, GlyphText};
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
                        // A first CID near the top of the range must not wrap round onto CID 0.
                        let cid = u32::try_from(k)
                            .ok()
                            .and_then(|k| (c as u32).checked_add(k));
                        if let (Some(cid), Some(w)) = (cid, resolve(doc, w).and_then(number)) {
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
    pub text: GlyphText,
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
            if let Ok(w) = d.get(b"W") {
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
            (GlyphText::from(&*t), DecodePath::ToUnicode)
        } else if let Some(t) = match &self.codes {
            Codes::Predefined(p) => p.decode(code_bytes),
            _ => None,
        } {
            (GlyphText::from(t), DecodePath::PredefinedLegacy)
        } else if let Some(ch) = cid.and_then(|c| self.embedded_char(c)) {
            (
                GlyphText::from(ch.encode_utf8(&mut [0; 4]) as &str),
                DecodePath::EmbeddedCmap,
            )
        } else if let Some(t) = self
            .is_simple()
            .then(|| self.table.get(code as usize).and_then(|t| t.as_deref()))
            .flatten()
        {
            (GlyphText::from(t), DecodePath::SimpleEncoding)
        } else {
            (GlyphText::from("\u{FFFD}"), DecodePath::Undecoded)
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

#[cfg(test)]
mod tests {
    use crate::model::DecodePath;
    use crate::testpdf::{show, simple_font, text_of, tiny_truetype, type0_font, TestPdf};
    use crate::WarningKind;
    use lopdf::{dictionary, Dictionary, Object};

    const TO_UNICODE: &[u8] = b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap
1 begincodespacerange <0000> <FFFF> endcodespacerange
2 beginbfchar <0001> <9884> <0010> <00660066> endbfchar
2 beginbfrange <0002> <0003> <7B97> <0020> <0021> [<6536> <652F>] endbfrange
endcmap end end";

    fn decode_paths(page: &crate::Page) -> Vec<DecodePath> {
        page.glyphs.iter().map(|g| g.decode).collect()
    }

    #[test]
    fn identity_h_with_to_unicode_bfchar_bfrange_and_ligatures() {
        let mut pdf = TestPdf::new();
        let tu = pdf.stream(Dictionary::new(), TO_UNICODE);
        let mut font = type0_font("Identity-H".into(), Dictionary::new());
        font.set("ToUnicode", tu);
        pdf.font("F1", font);
        pdf.page(&show(&[0, 1, 0, 2, 0, 3, 0, 0x20, 0, 0x21, 0, 0x10]), 0);
        let page = pdf.first_page();
        assert_eq!(
            text_of(&page),
            "预算\u{7B98}收支ff",
            "bfrange <0002> <0003> <7B97> increments"
        );
        assert!(decode_paths(&page)
            .iter()
            .all(|p| *p == DecodePath::ToUnicode));
    }

    #[test]
    fn identity_v_glyphs_advance_downwards() {
        let mut pdf = TestPdf::new();
        let tu = pdf.stream(Dictionary::new(), TO_UNICODE);
        let mut font = type0_font("Identity-V".into(), Dictionary::new());
        font.set("ToUnicode", tu);
        pdf.font("F1", font);
        pdf.page(&show(&[0, 1, 0, 2]), 0);
        let page = pdf.first_page();
        assert_eq!(text_of(&page), "预算");
        let (a, b) = (page.glyphs[0].bbox, page.glyphs[1].bbox);
        assert!(
            (b.y0 - a.y0 - 10.0).abs() < 0.01,
            "second glyph one em lower: {a:?} {b:?}"
        );
        assert!((a.x0 - b.x0).abs() < 0.01);
    }

    /// Each predefined CJK CMap, used as a non-embedded STSong-Light would be: no ToUnicode.
    #[test]
    fn predefined_cmaps_without_to_unicode() {
        let cases: &[(&str, &[u8], &str, DecodePath)] = &[
            (
                "UniGB-UCS2-H",
                &[0x4E, 0x00, 0x82, 0x2C, 0x00, 0x31, 0x00, 0x2E],
                "一般1.",
                DecodePath::PredefinedUnicode,
            ),
            (
                "UniGB-UTF16-H",
                &[0x98, 0x84, 0xD8, 0x40, 0xDC, 0x00],
                "预\u{20000}",
                DecodePath::PredefinedUnicode,
            ),
            (
                "UniCNS-UCS2-H",
                &[0x98, 0x10, 0x7B, 0x97],
                "預算",
                DecodePath::PredefinedUnicode,
            ),
            (
                "GBK-EUC-H",
                &[0xD2, 0xBB, 0xB0, 0xE3, b'1', b'2'],
                "一般12",
                DecodePath::PredefinedLegacy,
            ),
            (
                "GBpc-EUC-H",
                &[0xD4, 0xA4, 0xCB, 0xE3],
                "预算",
                DecodePath::PredefinedLegacy,
            ),
            (
                "GB-EUC-H",
                &[0xD6, 0xA7, 0xB3, 0xF6],
                "支出",
                DecodePath::PredefinedLegacy,
            ),
            (
                "GBK2K-H",
                &[0x95, 0x32, 0x82, 0x36, 0xB1, 0xED],
                "\u{20000}表",
                DecodePath::PredefinedLegacy,
            ),
            (
                "ETen-B5-H",
                &[0xB9, 0x77, 0xBA, 0xE2],
                "預算",
                DecodePath::PredefinedLegacy,
            ),
            (
                "HKscs-B5-H",
                &[0xA4, 0x40],
                "一",
                DecodePath::PredefinedLegacy,
            ),
        ];
        for (name, bytes, expected, path) in cases {
            let mut pdf = TestPdf::new();
            pdf.font(
                "F1",
                type0_font(Object::Name(name.as_bytes().to_vec()), Dictionary::new()),
            );
            pdf.page(&show(bytes), 0);
            let page = pdf.first_page();
            assert_eq!(&text_of(&page), expected, "{name}");
            assert!(
                decode_paths(&page).iter().all(|p| p == path),
                "{name}: {:?}",
                decode_paths(&page)
            );
        }
    }

    #[test]
    fn predefined_cmap_latin_takes_proportional_width() {
        let mut pdf = TestPdf::new();
        let w = vec![
            Object::Integer(17),
            Object::Integer(17),
            Object::Integer(550),
        ];
        pdf.font(
            "F1",
            type0_font("GBK-EUC-H".into(), dictionary! { "W" => w }),
        );
        pdf.page(&show(&[b'0', b'1', 0xD2, 0xBB]), 0);
        let g = &pdf.first_page().glyphs;
        assert!(
            (g[0].bbox.width() - 5.5).abs() < 0.01,
            "'0' is CID 17 in Adobe-GB1"
        );
        assert!(
            (g[1].bbox.width() - 5.0).abs() < 0.01,
            "'1' has no W entry: half width"
        );
        assert!((g[2].bbox.width() - 10.0).abs() < 0.01, "ideograph: DW");
    }

    fn embedded_font(pdf: &mut TestPdf, cid_to_gid: Object, to_unicode: Option<&[u8]>) {
        let program = tiny_truetype(&[('一', 1), ('般', 2), ('预', 3)]);
        let file = pdf.stream(Dictionary::new(), &program);
        let descriptor = dictionary! { "Type" => "FontDescriptor", "FontName" => "ABCDEF+SimSun", "Flags" => 4, "FontFile2" => file, "Ascent" => 859, "Descent" => -141 };
        let descendant = dictionary! { "Type" => "Font", "Subtype" => "CIDFontType2", "BaseFont" => "ABCDEF+SimSun", "FontDescriptor" => descriptor, "CIDToGIDMap" => cid_to_gid, "DW" => 1000 };
        let mut font = dictionary! { "Type" => "Font", "Subtype" => "Type0", "BaseFont" => "ABCDEF+SimSun", "Encoding" => "Identity-H", "DescendantFonts" => vec![Object::Dictionary(descendant)] };
        if let Some(tu) = to_unicode {
            let id = pdf.stream(Dictionary::new(), tu);
            font.set("ToUnicode", id);
        }
        pdf.font("F1", font);
    }

    #[test]
    fn identity_h_without_to_unicode_reads_embedded_cmap() {
        let mut pdf = TestPdf::new();
        embedded_font(&mut pdf, "Identity".into(), None);
        pdf.page(&show(&[0, 1, 0, 2, 0, 9]), 0);
        let page = pdf.first_page();
        assert_eq!(text_of(&page), "一般\u{FFFD}");
        assert_eq!(
            decode_paths(&page),
            vec![
                DecodePath::EmbeddedCmap,
                DecodePath::EmbeddedCmap,
                DecodePath::Undecoded
            ]
        );
        let w = page
            .warnings
            .iter()
            .find(|w| w.kind == WarningKind::UndecodableGlyph)
            .expect("undecoded glyph reported");
        assert!(
            w.message.contains("1 glyph codes of font ABCDEF+SimSun"),
            "{}",
            w.message
        );
        assert!(w.bbox.is_some());
    }

    #[test]
    fn cid_to_gid_stream_is_followed_and_to_unicode_gaps_fall_back() {
        let mut pdf = TestPdf::new();
        // CID 0 → gid 0, CID 1 → gid 3 (预), CID 2 → gid 1 (一).
        let map = pdf.stream(Dictionary::new(), &[0, 0, 0, 3, 0, 1]);
        embedded_font(
            &mut pdf,
            map.into(),
            Some(b"1 beginbfchar <0002> <4E8C> endbfchar"),
        );
        pdf.page(&show(&[0, 1, 0, 2]), 0);
        let page = pdf.first_page();
        assert_eq!(
            text_of(&page),
            "预二",
            "CID 2 comes from ToUnicode, CID 1 from the font"
        );
        assert_eq!(
            decode_paths(&page),
            vec![DecodePath::EmbeddedCmap, DecodePath::ToUnicode]
        );
    }

    #[test]
    fn embedded_encoding_cmap_with_mixed_codespace() {
        let mut pdf = TestPdf::new();
        let cmap = b"2 begincodespacerange <00> <80> <8140> <FEFE> endcodespacerange
1 begincidrange <20> <7E> 1 endcidrange 1 begincidrange <D2BB> <D2BB> 500 endcidrange";
        let enc = pdf.stream(
            dictionary! { "Type" => "CMap", "CMapName" => "Test-H" },
            cmap,
        );
        let tu = pdf.stream(
            Dictionary::new(),
            b"1 beginbfchar <41> <0041> <D2BB> <4E00> endbfchar",
        );
        let w = vec![
            Object::Integer(34),
            Object::Array(vec![Object::Integer(600)]),
        ];
        let mut font = type0_font(enc.into(), dictionary! { "W" => w });
        font.set("ToUnicode", tu);
        pdf.font("F1", font);
        pdf.page(&show(&[b'A', 0xD2, 0xBB]), 0);
        let page = pdf.first_page();
        assert_eq!(text_of(&page), "A一");
        assert!(
            (page.glyphs[0].bbox.width() - 6.0).abs() < 0.01,
            "A is CID 34 (0x41 - 0x20 + 1), width 600"
        );
        assert!((page.glyphs[1].bbox.width() - 10.0).abs() < 0.01);
    }

    #[test]
    fn simple_font_encodings() {
        let diffs = dictionary! { "Type" => "Encoding", "BaseEncoding" => "WinAnsiEncoding", "Differences" => vec![65.into(), "uni4E00".into(), "comma".into(), "f_i".into()] };
        let cases: Vec<(&str, Object, &[u8], &str)> = vec![
            ("Type1", "StandardEncoding".into(), b"it's", "it\u{2019}s"),
            (
                "TrueType",
                "WinAnsiEncoding".into(),
                &[0x80, b'1', 0x96],
                "\u{20AC}1\u{2013}",
            ),
            ("Type1", "MacRomanEncoding".into(), &[0x80, 0xA5], "Ä•"),
            (
                "TrueType",
                Object::Dictionary(diffs),
                b"ABCD",
                "\u{4E00},fiD",
            ),
            ("TrueType", Object::Null, b"12.50", "12.50"),
        ];
        for (subtype, encoding, bytes, expected) in cases {
            let mut pdf = TestPdf::new();
            pdf.font("F1", simple_font(subtype, "Helvetica", encoding.clone()));
            pdf.page(&show(bytes), 0);
            let page = pdf.first_page();
            assert_eq!(text_of(&page), expected, "{subtype} {encoding:?}");
            assert!(decode_paths(&page)
                .iter()
                .all(|p| *p == DecodePath::SimpleEncoding));
        }
    }

    #[test]
    fn to_unicode_wins_over_simple_encoding() {
        let mut pdf = TestPdf::new();
        let tu = pdf.stream(Dictionary::new(), b"1 begincodespacerange <00> <FF> endcodespacerange 1 beginbfchar <41> <9884> endbfchar");
        let mut font = simple_font("TrueType", "ABCDEE+Font", "WinAnsiEncoding".into());
        font.set("ToUnicode", tu);
        pdf.font("F1", font);
        pdf.page(&show(b"AB"), 0);
        let page = pdf.first_page();
        assert_eq!(
            text_of(&page),
            "预B",
            "unmapped codes still fall back to the encoding"
        );
        assert_eq!(
            decode_paths(&page),
            vec![DecodePath::ToUnicode, DecodePath::SimpleEncoding]
        );
    }

    #[test]
    fn type3_widths_scale_by_font_matrix() {
        let mut pdf = TestPdf::new();
        let font = dictionary! {
            "Type" => "Font", "Subtype" => "Type3", "FontMatrix" => vec![0.01.into(), 0.into(), 0.into(), 0.01.into(), 0.into(), 0.into()],
            "FontBBox" => vec![0.into(), 0.into(), 100.into(), 100.into()], "CharProcs" => Dictionary::new(),
            "Encoding" => dictionary! { "Differences" => vec![65.into(), "A".into(), "B".into()] }, "FirstChar" => 65, "Widths" => vec![50.into(), 80.into()],
        };
        pdf.font("F1", font);
        pdf.page(&show(b"AB"), 0);
        let page = pdf.first_page();
        assert_eq!(text_of(&page), "AB");
        assert!(
            (page.glyphs[0].bbox.width() - 5.0).abs() < 0.01,
            "50 × 0.01 × 10 pt"
        );
        assert!((page.glyphs[1].bbox.x0 - 105.0).abs() < 0.01);
    }

    #[test]
    fn cid_widths_from_w_array_both_forms() {
        let mut pdf = TestPdf::new();
        let tu = pdf.stream(
            Dictionary::new(),
            b"1 beginbfrange <0000> <00FF> <0041> endbfrange",
        );
        let w = vec![
            1.into(),
            vec![Object::Integer(500), Object::Integer(600)].into(),
            10.into(),
            20.into(),
            700.into(),
        ];
        let mut font = type0_font("Identity-H".into(), dictionary! { "W" => w });
        font.set("ToUnicode", tu);
        pdf.font("F1", font);
        pdf.page(&show(&[0, 1, 0, 2, 0, 15, 0, 30]), 0);
        let widths: Vec<f64> = pdf
            .first_page()
            .glyphs
            .iter()
            .map(|g| (g.bbox.width() * 100.0).round() / 100.0)
            .collect();
        assert_eq!(widths, vec![5.0, 6.0, 7.0, 10.0]);
    }

    /// Regression: `/W [4294967295 [500 600]]` added the index to the first CID unchecked, so
    /// the second width wrapped round onto CID 0 (a panic with overflow checks).
    #[test]
    fn cid_widths_do_not_wrap_round() {
        let mut pdf = TestPdf::new();
        let tu = pdf.stream(
            Dictionary::new(),
            b"1 beginbfrange <0000> <00FF> <0041> endbfrange",
        );
        let w = vec![
            Object::Integer(i64::from(u32::MAX)),
            vec![Object::Integer(500), Object::Integer(600)].into(),
        ];
        let mut font = type0_font("Identity-H".into(), dictionary! { "W" => w });
        font.set("ToUnicode", tu);
        pdf.font("F1", font);
        pdf.page(&show(&[0, 0]), 0);
        let widths: Vec<f64> = pdf
            .first_page()
            .glyphs
            .iter()
            .map(|g| (g.bbox.width() * 100.0).round() / 100.0)
            .collect();
        assert_eq!(widths, vec![10.0], "CID 0 keeps the default width");
    }
}
