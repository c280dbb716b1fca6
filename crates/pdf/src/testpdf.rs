//! Builds small PDFs inside tests, so every font and drawing case has a fixture of its own.

use crate::{Document, Limits, Page};
use lopdf::{dictionary, Dictionary, Object, ObjectId, Stream};

/// A PDF under construction: shared resources, one or more pages.
pub(crate) struct TestPdf {
    pub doc: lopdf::Document,
    pages_id: ObjectId,
    fonts: Dictionary,
    xobjects: Dictionary,
    kids: Vec<Object>,
}

impl TestPdf {
    pub fn new() -> Self {
        let mut doc = lopdf::Document::with_version("1.5");
        let pages_id = doc.new_object_id();
        TestPdf {
            doc,
            pages_id,
            fonts: Dictionary::new(),
            xobjects: Dictionary::new(),
            kids: Vec::new(),
        }
    }

    /// A PDF with Helvetica (WinAnsi) registered as `/F1`, the font most tests draw with.
    pub fn with_helvetica() -> Self {
        let mut pdf = TestPdf::new();
        pdf.font(
            "F1",
            simple_font("Type1", "Helvetica", "WinAnsiEncoding".into()),
        );
        pdf
    }

    /// Adds an object and returns its id.
    pub fn add(&mut self, obj: impl Into<Object>) -> ObjectId {
        self.doc.add_object(obj)
    }

    /// Adds an uncompressed stream.
    pub fn stream(&mut self, dict: Dictionary, bytes: &[u8]) -> ObjectId {
        self.doc.add_object(Stream::new(dict, bytes.to_vec()))
    }

    /// Registers a font resource under `name`.
    pub fn font(&mut self, name: &str, dict: Dictionary) -> ObjectId {
        let id = self.add(dict);
        self.fonts.set(name, id);
        id
    }

    /// Registers an XObject resource under `name`.
    pub fn xobject(&mut self, name: &str, id: ObjectId) {
        self.xobjects.set(name, id);
    }

    /// Adds an A4 page with `content`, stored with `/Rotate rotate`.
    pub fn page(&mut self, content: &[u8], rotate: i64) -> &mut Self {
        self.page_with_box(
            content,
            rotate,
            vec![0.into(), 0.into(), 595.into(), 842.into()],
        )
    }

    /// Adds a page with its own media box.
    pub fn page_with_box(&mut self, content: &[u8], rotate: i64, media: Vec<Object>) -> &mut Self {
        let content_id = self.stream(Dictionary::new(), content);
        let page = dictionary! {
            "Type" => "Page", "Parent" => self.pages_id, "Contents" => content_id,
            "MediaBox" => media, "Rotate" => rotate,
        };
        let id = self.add(page);
        self.kids.push(id.into());
        self
    }

    /// The document, finished but not yet saved (for tests that damage it first).
    pub fn finish(mut self) -> lopdf::Document {
        let resources =
            dictionary! { "Font" => self.fonts.clone(), "XObject" => self.xobjects.clone() };
        let pages = dictionary! { "Type" => "Pages", "Kids" => self.kids.clone(), "Count" => self.kids.len() as i64, "Resources" => resources };
        self.doc
            .objects
            .insert(self.pages_id, Object::Dictionary(pages));
        let catalog = self.add(dictionary! { "Type" => "Catalog", "Pages" => self.pages_id });
        self.doc.trailer.set("Root", catalog);
        let id = Object::string_literal("cnbudget-test-id");
        self.doc.trailer.set("ID", vec![id.clone(), id]);
        self.doc
    }

    /// The PDF's bytes.
    pub fn build(self) -> Vec<u8> {
        let mut doc = self.finish();
        let mut out = Vec::new();
        doc.save_to(&mut out).expect("test PDF saves");
        out
    }

    /// The PDF's bytes, RC4-128 encrypted with the given user password.
    pub fn build_encrypted(self, user_password: &str) -> Vec<u8> {
        let mut doc = self.finish();
        let state = lopdf::EncryptionState::try_from(lopdf::EncryptionVersion::V2 {
            document: &doc,
            owner_password: "owner-secret",
            user_password,
            key_length: 128,
            permissions: lopdf::Permissions::empty(),
        })
        .expect("encryption state");
        doc.encrypt(&state).expect("encrypts");
        let mut out = Vec::new();
        doc.save_to(&mut out).expect("test PDF saves");
        out
    }

    /// Builds, opens and reads page 1.
    pub fn first_page(self) -> Page {
        let bytes = self.build();
        Document::from_bytes(&bytes, "test.pdf", Limits::default())
            .expect("opens")
            .page(1)
            .expect("page 1 reads")
    }
}

/// A simple font dictionary with 500-unit widths for codes 32..=255.
pub(crate) fn simple_font(subtype: &str, base: &str, encoding: Object) -> Dictionary {
    let widths: Vec<Object> = (32..=255).map(|_| Object::Integer(500)).collect();
    dictionary! { "Type" => "Font", "Subtype" => subtype, "BaseFont" => base, "Encoding" => encoding, "FirstChar" => 32, "Widths" => widths }
}

/// A Type0 font over a non-embedded CIDFontType0 (as STSong-Light is used), with `W` and `DW`.
pub(crate) fn type0_font(encoding: Object, extra_descendant: Dictionary) -> Dictionary {
    let mut descendant = dictionary! {
        "Type" => "Font", "Subtype" => "CIDFontType0", "BaseFont" => "STSong-Light", "DW" => 1000,
        "CIDSystemInfo" => dictionary! { "Registry" => Object::string_literal("Adobe"), "Ordering" => Object::string_literal("GB1"), "Supplement" => 4 },
        "FontDescriptor" => dictionary! { "Type" => "FontDescriptor", "FontName" => "STSong-Light", "Flags" => 6, "Ascent" => 880, "Descent" => -120 },
    };
    descendant.extend(&extra_descendant);
    dictionary! { "Type" => "Font", "Subtype" => "Type0", "BaseFont" => "STSong-Light", "Encoding" => encoding, "DescendantFonts" => vec![Object::Dictionary(descendant)] }
}

/// Content that shows `string` (raw bytes, written as hex) with font /F1 at 10 pt from (100, 700).
pub(crate) fn show(string: &[u8]) -> Vec<u8> {
    let hex: String = string.iter().map(|b| format!("{b:02X}")).collect();
    format!("BT /F1 10 Tf 100 700 Td <{hex}> Tj ET").into_bytes()
}

/// The page's text, glyph by glyph.
pub(crate) fn text_of(page: &Page) -> String {
    page.glyphs.iter().map(|g| g.text.as_str()).collect()
}

/// A minimal TrueType font: `head`, `hhea`, `maxp` and a format-4 `cmap` mapping each
/// character (BMP) to the given glyph id. Enough for ttf-parser and for the cmap fallback.
pub(crate) fn tiny_truetype(map: &[(char, u16)]) -> Vec<u8> {
    let be16 = |v: u16| v.to_be_bytes();
    let mut head = vec![0u8; 54];
    head[0..4].copy_from_slice(&0x0001_0000u32.to_be_bytes());
    head[12..16].copy_from_slice(&0x5F0F_3CF5u32.to_be_bytes());
    head[18..20].copy_from_slice(&be16(1000));
    let mut hhea = vec![0u8; 36];
    hhea[0..4].copy_from_slice(&0x0001_0000u32.to_be_bytes());
    hhea[4..6].copy_from_slice(&be16(880));
    hhea[6..8].copy_from_slice(&(-120i16).to_be_bytes());
    hhea[34..36].copy_from_slice(&be16(1));
    let num_glyphs = map.iter().map(|m| m.1).max().unwrap_or(0) + 1;
    let mut maxp = 0x0000_5000u32.to_be_bytes().to_vec();
    maxp.extend_from_slice(&be16(num_glyphs));
    let mut sorted = map.to_vec();
    sorted.sort();
    let seg_count = sorted.len() as u16 + 1;
    let (mut ends, mut starts, mut deltas, mut offsets) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for &(c, gid) in &sorted {
        let cp = c as u32 as u16;
        ends.extend_from_slice(&be16(cp));
        starts.extend_from_slice(&be16(cp));
        deltas.extend_from_slice(&be16(gid.wrapping_sub(cp)));
        offsets.extend_from_slice(&be16(0));
    }
    ends.extend_from_slice(&be16(0xFFFF));
    starts.extend_from_slice(&be16(0xFFFF));
    deltas.extend_from_slice(&be16(1));
    offsets.extend_from_slice(&be16(0));
    let mut sub = Vec::new();
    let length = 16 + 8 * seg_count;
    for v in [4, length, 0, seg_count * 2, 2, 0, 0] {
        sub.extend_from_slice(&be16(v));
    }
    sub.extend(ends);
    sub.extend_from_slice(&be16(0));
    sub.extend(starts);
    sub.extend(deltas);
    sub.extend(offsets);
    let mut cmap = Vec::new();
    for v in [0u16, 1, 3, 1] {
        cmap.extend_from_slice(&be16(v));
    }
    cmap.extend_from_slice(&12u32.to_be_bytes());
    cmap.extend(sub);
    let tables: [(&[u8; 4], Vec<u8>); 4] = [
        (b"cmap", cmap),
        (b"head", head),
        (b"hhea", hhea),
        (b"maxp", maxp),
    ];
    let mut out = Vec::new();
    out.extend_from_slice(&0x0001_0000u32.to_be_bytes());
    for v in [tables.len() as u16, 64, 2, 0] {
        out.extend_from_slice(&be16(v));
    }
    let mut offset = 12 + 16 * tables.len();
    let mut body = Vec::new();
    for (tag, data) in &tables {
        out.extend_from_slice(*tag);
        out.extend_from_slice(&0u32.to_be_bytes());
        out.extend_from_slice(&(offset as u32).to_be_bytes());
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let mut padded = data.clone();
        padded.resize(data.len().div_ceil(4) * 4, 0);
        offset += padded.len();
        body.extend(padded);
    }
    out.extend(body);
    out
}
