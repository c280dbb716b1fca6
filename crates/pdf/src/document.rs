//! Opening a PDF and turning its pages into [`Page`]s in the upright reading frame.

use crate::content::{FontCache, Interpreter};
use crate::error::{PdfError, Result};
use crate::font::{Font, FontInfo};
use crate::geom::Matrix;
use crate::limits::{too_deep, Budget, Limit, Limits, Reached};
use crate::model::{Page, Warning, WarningKind};
use crate::objects::{as_dict, get, get_dict, get_name, number, numbers, resolve};
use lopdf::{Dictionary, Object, ObjectId};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// An open PDF document.
pub struct Document {
    pub(crate) path: PathBuf,
    pub(crate) doc: lopdf::Document,
    pages: Vec<ObjectId>,
    fonts: FontCache,
    pub(crate) limits: Limits,
    pub(crate) budget: Budget,
    encrypted: bool,
    pub(crate) load: Load,
}

/// What of a file is loaded when it is opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Load {
    /// Every object, images' bytes included (OCR reads them).
    Whole,
    /// What reading the pages' text looks at: not the bytes of images (a scan's images are
    /// most of its file, and lopdf copies every stream out of it), nor structure elements
    /// (the tagged-PDF tree Office and Acrobat write: thousands of small dictionaries, a
    /// third of such a file's time). docs/benchmarks.md, session 10.
    Text,
}

/// What `cnbudget info` prints about a document.
#[derive(Debug, Clone, Serialize)]
pub struct DocumentInfo {
    pub path: PathBuf,
    pub pdf_version: String,
    pub pages: u32,
    pub producer: Option<String>,
    pub creator: Option<String>,
    /// Whether the file was encrypted (and opened with the empty user password).
    pub encrypted: bool,
    pub page_info: Vec<PageInfo>,
    pub fonts: Vec<FontInfo>,
}

/// Size, rotation and text layer of one page.
#[derive(Debug, Clone, Serialize)]
pub struct PageInfo {
    pub number: u32,
    /// Upright width and height in points.
    pub width: f64,
    pub height: f64,
    pub rotation: u16,
    /// Non-space glyphs drawn on the page; 0 means no text layer.
    pub glyphs: usize,
    /// Image XObjects drawn directly by the page.
    pub images: usize,
}

/// The geometry of a page: its visible box and rotation.
struct PageGeometry {
    crop: [f64; 4],
    rotation: u16,
}

impl PageGeometry {
    /// Upright width and height.
    fn size(&self) -> (f64, f64) {
        let (w, h) = (self.crop[2] - self.crop[0], self.crop[3] - self.crop[1]);
        if self.rotation % 180 == 90 {
            (h, w)
        } else {
            (w, h)
        }
    }

    /// User space → upright frame (origin top-left, y down), rotation applied clockwise.
    fn transform(&self) -> Matrix {
        let [x0, _, _, y1] = self.crop;
        let (w, h) = (self.crop[2] - self.crop[0], self.crop[3] - self.crop[1]);
        let flip = Matrix::new(1.0, 0.0, 0.0, -1.0, -x0, y1);
        let rotate = match self.rotation {
            90 => Matrix::new(0.0, 1.0, -1.0, 0.0, h, 0.0),
            180 => Matrix::new(-1.0, 0.0, 0.0, -1.0, w, h),
            270 => Matrix::new(0.0, -1.0, 1.0, 0.0, 0.0, w),
            _ => Matrix::IDENTITY,
        };
        flip.then(&rotate)
    }
}

fn lopdf_error(path: &Path, e: lopdf::Error) -> PdfError {
    match e {
        lopdf::Error::Decompress(lopdf::DecompressError::MemoryLimitExceeded { .. }) => {
            PdfError::ResourceLimit {
                file: path.to_path_buf(),
                limit: Limit::StreamBytes,
                detail: format!("an object stream decompresses past the limit ({e})"),
            }
        }
        lopdf::Error::InvalidPassword => PdfError::Encrypted {
            file: path.to_path_buf(),
        },
        other => PdfError::Malformed {
            file: path.to_path_buf(),
            message: other.to_string(),
        },
    }
}

/// lopdf's filter for [`Load::Text`]. lopdf keeps a top-level object as the filter leaves
/// it (and discards what it returns), but keeps what it returns for a member of an object
/// stream (never a stream itself): so a stream is changed in place and anything else is
/// returned whole. An image's bytes are dropped as soon as lopdf has copied them, so that
/// the next image reuses their memory.
fn for_text(id: ObjectId, object: &mut Object) -> Option<(ObjectId, Object)> {
    match object {
        Object::Stream(stream) => {
            let name = |key: &[u8]| match stream.dict.get(key) {
                Ok(Object::Name(n)) => Some(n.as_slice()),
                _ => None,
            };
            if name(b"Subtype") == Some(b"Image") {
                stream.content = Vec::new();
            } else if name(b"Type") == Some(b"ObjStm") && only_structure_elements(stream) {
                return None;
            }
            Some((id, Object::Null))
        }
        Object::Dictionary(d) if is_structure_element(d) => None,
        other => Some((id, other.clone())),
    }
}

/// A structure element: `/Type /StructElem`, or, as Acrobat writes them without that
/// optional entry, a structure type `/S` (a name) under a parent `/P` (a reference).
fn is_structure_element(d: &Dictionary) -> bool {
    matches!(d.get(b"Type"), Ok(Object::Name(n)) if n == b"StructElem")
        || matches!(
            (d.get(b"S"), d.get(b"P")),
            (Ok(Object::Name(_)), Ok(Object::Reference(_)))
        )
}

/// [`is_structure_element`] told from a member's bytes, before lopdf parses them.
fn structure_element_bytes(member: &[u8]) -> bool {
    // Each place `key` stands as a whole name (not the start of `/Pg` or `/Parent`), and
    // what follows it, white space skipped.
    let values = |key: &'static [u8]| {
        memchr::memmem::find_iter(member, key).filter_map(move |at| {
            let rest = &member[at + key.len()..];
            let whole = rest
                .first()
                .is_none_or(|b| b.is_ascii_whitespace() || b"()<>[]{}/%".contains(b));
            whole.then(|| rest.trim_ascii_start())
        })
    };
    let reference = |v: &[u8]| {
        let mut words = v
            .split(|b| b.is_ascii_whitespace())
            .filter(|w| !w.is_empty());
        let number = |w: Option<&[u8]>| w.is_some_and(|w| w.iter().all(u8::is_ascii_digit));
        number(words.next())
            && number(words.next())
            && words.next().is_some_and(|w| w.starts_with(b"R"))
    };
    memchr::memmem::find(member, b"/StructElem").is_some()
        || (values(b"/S").any(|v| v.starts_with(b"/")) && values(b"/P").any(reference))
}

/// Whether every member of object stream `stream` is a structure element, told from its
/// bytes before lopdf parses them (Office writes 500 to a stream, Acrobat hundreds). A
/// stream that decompresses past a kilobyte a member, or past 16 MiB, is not one (a bomb
/// stops there; lopdf then reads it under the document's limits).
fn only_structure_elements(stream: &lopdf::Stream) -> bool {
    let int = |key: &[u8]| {
        stream
            .dict
            .get(key)
            .and_then(Object::as_i64)
            .ok()
            .and_then(|n| usize::try_from(n).ok())
    };
    let (Some(n), Some(first)) = (int(b"N"), int(b"First")) else {
        return false;
    };
    if n == 0 {
        return false;
    }
    let limit = n.saturating_mul(1024).min(16 << 20);
    let Ok(content) = stream.get_plain_content_with_limit(limit) else {
        return false;
    };
    let Some(index) = content.get(..first) else {
        return false;
    };
    // The index is pairs of object number and offset (from `First`).
    let mut offsets: Vec<usize> = index
        .split(|b| b.is_ascii_whitespace())
        .filter(|w| !w.is_empty())
        .skip(1)
        .step_by(2)
        .filter_map(|w| std::str::from_utf8(w).ok()?.parse().ok())
        .collect();
    if offsets.len() != n {
        return false;
    }
    offsets.sort_unstable();
    let body = &content[first..];
    offsets.push(body.len());
    offsets
        .windows(2)
        .all(|w| body.get(w[0]..w[1]).is_some_and(structure_element_bytes))
}

fn panic_message(p: Box<dyn std::any::Any + Send>) -> String {
    p.downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| p.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into())
}

impl Document {
    /// Opens the PDF at `path` with default limits.
    pub fn open(path: impl AsRef<Path>) -> Result<Document> {
        let path = path.as_ref();
        let bytes = std::fs::read(path).map_err(|source| PdfError::Io {
            file: path.to_path_buf(),
            source,
        })?;
        Document::from_bytes(&bytes, path, Limits::default())
    }

    /// Opens a PDF held in memory, whole; `path` names it in errors.
    pub fn from_bytes(bytes: &[u8], path: impl AsRef<Path>, limits: Limits) -> Result<Document> {
        Document::loading(bytes, path, limits, Load::Whole)
    }

    /// Opens a PDF held in memory, loading what `load` says.
    pub fn loading(
        bytes: &[u8],
        path: impl AsRef<Path>,
        limits: Limits,
        load: Load,
    ) -> Result<Document> {
        let path = path.as_ref().to_path_buf();
        let reached = |r: Reached| PdfError::ResourceLimit {
            file: path.clone(),
            limit: r.limit,
            detail: r.detail,
        };
        if bytes.len() > limits.max_file_bytes {
            return Err(reached(Reached {
                limit: Limit::FileBytes,
                detail: format!(
                    "the file has {} bytes, more than {}",
                    bytes.len(),
                    limits.max_file_bytes
                ),
            }));
        }
        let head = &bytes[..bytes.len().min(1024)];
        if !head.windows(5).any(|w| w == b"%PDF-") {
            return Err(PdfError::NotPdf { file: path });
        }
        // lopdf stops parsing at depth 100 and drops the object silently: say so instead.
        if let Some(at) = too_deep(bytes, limits.max_depth) {
            return Err(reached(Reached {
                limit: Limit::Depth,
                detail: format!(
                    "arrays or dictionaries nest deeper than {} (byte {at})",
                    limits.max_depth
                ),
            }));
        }
        // lopdf is a parser of untrusted bytes: a panic inside it must not take the batch down.
        let filter = match load {
            Load::Whole => None,
            Load::Text => Some(for_text as lopdf::FilterFunc),
        };
        let open = |force_reconstruct: bool| {
            let options = lopdf::LoadOptions {
                max_decompressed_size: Some(limits.max_stream_bytes),
                filter,
                force_reconstruct,
                ..Default::default()
            };
            let loaded = catch_unwind(AssertUnwindSafe(|| {
                lopdf::Document::load_mem_with_options(bytes, options)
            }))
            .map_err(|p| PdfError::Malformed {
                file: path.clone(),
                message: format!("parser panicked: {}", panic_message(p)),
            })?;
            let doc = loaded.map_err(|e| lopdf_error(&path, e))?;
            let pages: Vec<ObjectId> =
                catch_unwind(AssertUnwindSafe(|| doc.get_pages().into_values().collect()))
                    .map_err(|p| PdfError::Malformed {
                        file: path.clone(),
                        message: format!("page tree walk panicked: {}", panic_message(p)),
                    })?;
            Ok((doc, pages))
        };
        let (doc, pages) = match open(false)? {
            // Unfiltered, lopdf rebuilds the cross-reference table itself when the one written
            // leads to no page tree; with a filter it leaves that to us.
            (doc, pages) if pages.is_empty() && filter.is_some() => match open(true) {
                Ok(rebuilt) if !rebuilt.1.is_empty() => rebuilt,
                _ => (doc, pages),
            },
            loaded => loaded,
        };
        // lopdf tries the empty user password itself; a file it could not decrypt keeps no state.
        let encrypted = doc.was_encrypted() || doc.trailer.has(b"Encrypt");
        if !doc.was_encrypted() && doc.trailer.has(b"Encrypt") {
            return Err(PdfError::Encrypted { file: path });
        }
        if pages.is_empty() {
            return Err(PdfError::Malformed {
                file: path,
                message: "no pages found in the page tree".into(),
            });
        }
        if pages.len() > limits.max_pages {
            return Err(reached(Reached {
                limit: Limit::Pages,
                detail: format!("{} pages, more than {}", pages.len(), limits.max_pages),
            }));
        }
        Ok(Document {
            path,
            doc,
            pages,
            fonts: Mutex::new(HashMap::new()),
            budget: Budget::new(&limits),
            limits,
            encrypted,
            load,
        })
    }

    /// The file this document was read from.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Number of pages.
    pub fn page_count(&self) -> u32 {
        self.pages.len() as u32
    }

    /// Whether the file was encrypted (and opened with the empty user password).
    pub fn encrypted(&self) -> bool {
        self.encrypted
    }

    /// A text entry of the document information dictionary (`Producer`, `Creator`, `Title` …).
    pub fn info_entry(&self, key: &str) -> Option<String> {
        let info = self
            .doc
            .trailer
            .get(b"Info")
            .ok()
            .and_then(|o| resolve(&self.doc, o))
            .and_then(as_dict)?;
        match get(&self.doc, info, key.as_bytes())? {
            Object::String(bytes, _) => {
                Some(decode_text_string(bytes)).filter(|s| !s.trim().is_empty())
            }
            _ => None,
        }
    }

    /// Walks up the page tree for an inheritable attribute.
    fn inherited(&self, page: ObjectId, key: &[u8]) -> Option<&Object> {
        let mut node = self.doc.get_dictionary(page).ok()?;
        for _ in 0..64 {
            if let Some(v) = get(&self.doc, node, key) {
                return Some(v);
            }
            node = get_dict(&self.doc, node, b"Parent")?;
        }
        None
    }

    fn geometry(&self, page: ObjectId) -> PageGeometry {
        let boxed = |key: &[u8]| {
            self.inherited(page, key)
                .and_then(|o| numbers(&self.doc, o))
                .filter(|v| v.len() == 4)
                .map(|v| {
                    [
                        v[0].min(v[2]),
                        v[1].min(v[3]),
                        v[0].max(v[2]),
                        v[1].max(v[3]),
                    ]
                })
        };
        let media = boxed(b"MediaBox")
            .filter(|b| b[2] - b[0] > 1.0 && b[3] - b[1] > 1.0)
            .unwrap_or([0.0, 0.0, 612.0, 792.0]);
        // The crop box is clipped to the media box; a degenerate one is ignored.
        let crop = boxed(b"CropBox")
            .map(|c| {
                [
                    c[0].max(media[0]),
                    c[1].max(media[1]),
                    c[2].min(media[2]),
                    c[3].min(media[3]),
                ]
            })
            .filter(|c| c[2] - c[0] > 1.0 && c[3] - c[1] > 1.0)
            .unwrap_or(media);
        let rotate = self
            .inherited(page, b"Rotate")
            .and_then(number)
            .unwrap_or(0.0) as i64;
        PageGeometry {
            crop,
            rotation: (((rotate % 360) + 360) % 360 / 90 * 90) as u16,
        }
    }

    fn resources(&self, page: ObjectId) -> Option<&Dictionary> {
        self.inherited(page, b"Resources").and_then(as_dict)
    }

    fn page_id(&self, number: u32) -> Result<ObjectId> {
        let idx = number.checked_sub(1).map(|i| i as usize);
        idx.and_then(|i| self.pages.get(i))
            .copied()
            .ok_or(PdfError::NoSuchPage {
                file: self.path.clone(),
                page: number,
                count: self.page_count(),
            })
    }

    /// Reads page `number` (1-based): every glyph and rule, upright.
    pub fn page(&self, number: u32) -> Result<Page> {
        let id = self.page_id(number)?;
        if let Some(r) = self.budget.out_of_time() {
            return Err(self.reached(number, r));
        }
        catch_unwind(AssertUnwindSafe(|| self.read_page(number, id))).unwrap_or_else(|p| {
            Err(PdfError::Page {
                file: self.path.clone(),
                page: number,
                message: format!("interpreter panicked: {}", panic_message(p)),
            })
        })
    }

    /// The page's content streams, decoded and joined. lopdf would substitute a stream's raw
    /// bytes when it fails to decode; here such a stream is left out with a warning naming
    /// it, and a page none of whose streams decode is an error naming the first.
    fn page_content(&self, number: u32, id: ObjectId) -> Result<(Vec<u8>, Vec<Warning>)> {
        let mut content = Vec::new();
        let mut failed: Vec<(ObjectId, String)> = Vec::new();
        let streams = self.doc.get_page_contents(id);
        for &sid in &streams {
            let (allowed, limit) = self.budget.allowance(self.limits.max_stream_bytes);
            let stream = self.doc.get_object(sid).and_then(Object::as_stream);
            // lopdf keeps what a corrupt Flate stream yields, logging the error: a compressed
            // stream yielding nothing at all is the one case that is surely broken.
            let decoded = stream.and_then(|s| match s.get_plain_content_with_limit(allowed) {
                Ok(bytes)
                    if bytes.is_empty()
                        && !s.content.is_empty()
                        && s.filters().is_ok_and(|f| !f.is_empty()) =>
                {
                    Err(lopdf::Error::InvalidStream(
                        "compressed data decodes to nothing".into(),
                    ))
                }
                other => other,
            });
            match decoded {
                Ok(bytes) => {
                    self.budget.spend(bytes.len());
                    content.extend_from_slice(&bytes);
                    content.push(b'\n');
                }
                Err(e) => match lopdf_error(&self.path, e) {
                    PdfError::ResourceLimit { .. } => {
                        let detail = format!(
                            "content stream {} {} R decompresses past {allowed} bytes",
                            sid.0, sid.1
                        );
                        return Err(self.reached(number, Reached { limit, detail }));
                    }
                    other => failed.push((
                        sid,
                        other
                            .to_string()
                            .split_once(": ")
                            .map_or(String::new(), |m| m.1.to_string()),
                    )),
                },
            }
        }
        if let (true, Some((sid, message))) = (failed.len() == streams.len(), failed.first()) {
            return Err(PdfError::Object {
                file: self.path.clone(),
                object: *sid,
                message: format!("page {number}: content stream unreadable: {message}"),
            });
        }
        let warnings = failed
            .into_iter()
            .map(|(sid, message)| Warning {
                kind: WarningKind::ContentStream,
                bbox: None,
                message: format!(
                    "content stream {} {} R could not be decoded ({message}); its drawing is lost",
                    sid.0, sid.1
                ),
            })
            .collect();
        Ok((content, warnings))
    }

    /// A page-level limit as the document's error.
    fn reached(&self, number: u32, r: Reached) -> PdfError {
        PdfError::ResourceLimit {
            file: self.path.clone(),
            limit: r.limit,
            detail: format!("page {number}: {}", r.detail),
        }
    }

    fn read_page(&self, number: u32, id: ObjectId) -> Result<Page> {
        // An object lopdf could not parse is missing: a page that is not there is an error.
        if self.doc.get_dictionary(id).is_err() {
            return Err(PdfError::Object {
                file: self.path.clone(),
                object: id,
                message: format!("page {number}: the page object is missing or not a dictionary"),
            });
        }
        let geometry = self.geometry(id);
        let (width, height) = geometry.size();
        let (content, unreadable) = self.page_content(number, id)?;
        let bounds = crate::geom::Rect {
            x0: 0.0,
            y0: 0.0,
            x1: width,
            y1: height,
        };
        let mut interp = Interpreter::new(
            &self.doc,
            &self.fonts,
            &self.limits,
            &self.budget,
            geometry.transform(),
            bounds,
        );
        interp.run(&content, self.resources(id));
        let mut drawn = interp.finish().map_err(|r| self.reached(number, r))?;
        drawn.warnings.extend(unreadable);
        Ok(Page {
            number,
            width,
            height,
            rotation: geometry.rotation,
            glyphs: drawn.glyphs,
            rules: drawn.rules,
            images: drawn.images,
            warnings: drawn.warnings,
        })
    }

    /// Everything `cnbudget info` prints: metadata, page sizes, text layers and fonts.
    pub fn info(&self) -> DocumentInfo {
        let mut fonts: BTreeMap<ObjectId, FontInfo> = BTreeMap::new();
        let mut page_info = Vec::new();
        for n in 1..=self.page_count() {
            let Ok(id) = self.page_id(n) else { continue };
            let geometry = self.geometry(id);
            let (width, height) = geometry.size();
            let glyphs = self
                .page(n)
                .map(|p| {
                    p.glyphs
                        .iter()
                        .filter(|g| !g.text.trim().is_empty())
                        .count()
                })
                .unwrap_or(0);
            let mut images = 0;
            if let Some(res) = self.resources(id) {
                if let Some(xobjects) = get_dict(&self.doc, res, b"XObject") {
                    images = xobjects
                        .iter()
                        .filter(|(_, o)| {
                            resolve(&self.doc, o).and_then(as_dict).is_some_and(|d| {
                                get_name(&self.doc, d, b"Subtype") == Some(b"Image")
                            })
                        })
                        .count();
                }
                if let Some(font_dict) = get_dict(&self.doc, res, b"Font") {
                    for (_, entry) in font_dict.iter() {
                        if let (Object::Reference(fid), Some(d)) =
                            (entry, resolve(&self.doc, entry).and_then(as_dict))
                        {
                            fonts.entry(*fid).or_insert_with(|| {
                                Font::load(&self.doc, d, self.limits.max_stream_bytes)
                                    .info
                                    .clone()
                            });
                        }
                    }
                }
            }
            page_info.push(PageInfo {
                number: n,
                width,
                height,
                rotation: geometry.rotation,
                glyphs,
                images,
            });
        }
        DocumentInfo {
            path: self.path.clone(),
            pdf_version: self.doc.version.clone(),
            pages: self.page_count(),
            producer: self.info_entry("Producer"),
            creator: self.info_entry("Creator"),
            encrypted: self.encrypted,
            page_info,
            fonts: fonts.into_values().collect(),
        }
    }
}

/// A PDF text string: UTF-16BE with a BOM, UTF-8 with a BOM, else PDFDocEncoding (read as Latin-1).
fn decode_text_string(bytes: &[u8]) -> String {
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        crate::font::utf16be_to_string(rest)
    } else if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        String::from_utf8_lossy(rest).into_owned()
    } else {
        bytes.iter().map(|&b| b as char).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testpdf::{simple_font, text_of, TestPdf};

    fn rotated(rotate: i64) -> Page {
        let mut pdf = TestPdf::with_helvetica();
        // A glyph at (100, 700) in user space: near the top-left of the unrotated page.
        pdf.page(b"BT /F1 10 Tf 100 700 Td (A) Tj ET", rotate);
        pdf.first_page()
    }

    #[test]
    fn rotation_is_applied_clockwise_into_the_upright_frame() {
        // Unrotated, the glyph box is x 100–105, y 133.2–143.2 (ascent 0.88, descent 0.12 em).
        let cases = [
            (0, (595.0, 842.0), (102.5, 138.2)),
            (90, (842.0, 595.0), (703.8, 102.5)),
            (180, (595.0, 842.0), (492.5, 703.8)),
            (270, (842.0, 595.0), (138.2, 492.5)),
        ];
        for (rotate, size, centre) in cases {
            let page = rotated(rotate);
            assert_eq!((page.width, page.height), size, "rotate {rotate}");
            let (x, y) = page.glyphs[0].bbox.center();
            assert!(
                (x - centre.0).abs() < 0.01 && (y - centre.1).abs() < 0.01,
                "rotate {rotate}: centre ({x}, {y})"
            );
            assert_eq!(page.glyphs[0].upright, rotate == 0, "rotate {rotate}");
        }
        assert_eq!(rotated(-90).rotation, 270, "negative rotation normalises");
    }

    #[test]
    fn crop_box_moves_the_origin() {
        let mut pdf = TestPdf::with_helvetica();
        pdf.page_with_box(
            b"BT /F1 10 Tf 100 700 Td (A) Tj ET",
            0,
            vec![50.into(), 100.into(), 545.into(), 800.into()],
        );
        let page = pdf.first_page();
        assert_eq!((page.width, page.height), (495.0, 700.0));
        assert!(
            (page.glyphs[0].bbox.x0 - 50.0).abs() < 0.01
                && (page.glyphs[0].bbox.y1 - 101.2).abs() < 0.01
        );
    }

    fn encrypted(user_password: &str) -> Vec<u8> {
        let mut pdf = TestPdf::with_helvetica();
        pdf.page(b"BT /F1 10 Tf 100 700 Td (Budget) Tj ET", 0);
        pdf.build_encrypted(user_password)
    }

    #[test]
    fn empty_user_password_opens_transparently() {
        let doc = Document::from_bytes(&encrypted(""), "owner-locked.pdf", Limits::default())
            .expect("opens");
        assert!(doc.encrypted());
        assert_eq!(text_of(&doc.page(1).unwrap()), "Budget");
    }

    #[test]
    fn user_password_gives_encrypted_error() {
        let err = Document::from_bytes(&encrypted("secret"), "locked.pdf", Limits::default())
            .err()
            .expect("refused");
        assert!(matches!(err, PdfError::Encrypted { .. }), "{err}");
        assert_eq!(
            err.to_string(),
            "locked.pdf: encrypted, a user password is required"
        );
    }

    /// A page of text over an image, with two object streams: one of structure elements
    /// only (10 typed, 11 as Acrobat writes them, without `/Type`), one mixing a structure
    /// element (12) with dictionaries that are not (13; 14, a page label's `/S` and `/P`;
    /// 15, `/Pg` but no parent). Written by hand: lopdf's writer drops object streams.
    fn tagged_page_with_image() -> Vec<u8> {
        let object_stream = |members: &[(u32, &str)]| {
            let (mut index, mut body) = (String::new(), String::new());
            for (id, object) in members {
                index.push_str(&format!("{id} {} ", body.len()));
                body.push_str(object);
                body.push('\n');
            }
            format!(
                "<< /Type /ObjStm /N {} /First {} /Length {} >>\nstream\n{index}{body}\nendstream",
                members.len(),
                index.len(),
                index.len() + body.len()
            )
        };
        let element = "<< /Type /StructElem /S /P /K 0 >>";
        let content = "BT /F1 10 Tf 100 700 Td (Budget) Tj ET q 100 0 0 50 72 600 cm /Im1 Do Q";
        let objects = [
            "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".into(),
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R \
             /Resources << /Font << /F1 5 0 R >> /XObject << /Im1 6 0 R >> >> >>"
                .into(),
            format!(
                "<< /Length {} >>\nstream\n{content}\nendstream",
                content.len()
            ),
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
                .into(),
            "<< /Type /XObject /Subtype /Image /Width 2 /Height 1 /BitsPerComponent 8 \
             /ColorSpace /DeviceGray /Length 2 >>\nstream\nAB\nendstream"
                .into(),
            object_stream(&[(10, element), (11, "<</S/Sect/P 10 0 R/K[12 0 R]>>")]),
            object_stream(&[
                (12, "<< /P 11 0 R /S /P /Pg 3 0 R /K 0 >>"),
                (13, "<< /Kept true >>"),
                (14, "<< /S /D /P (A-) >>"),
                (15, "<< /S /P /Pg 3 0 R >>"),
            ]),
        ];
        let mut pdf = b"%PDF-1.5\n".to_vec();
        let mut offsets = Vec::new();
        for (i, object) in objects.iter().enumerate() {
            offsets.push(pdf.len());
            pdf.extend(format!("{} 0 obj\n{object}\nendobj\n", i + 1).bytes());
        }
        let xref = pdf.len();
        pdf.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).bytes());
        for offset in offsets {
            pdf.extend(format!("{offset:010} 00000 n \n").bytes());
        }
        pdf.extend(
            format!(
                "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
                objects.len() + 1
            )
            .bytes(),
        );
        pdf
    }

    #[test]
    fn loading_for_text_leaves_out_image_bytes_and_structure_elements() {
        let bytes = tagged_page_with_image();
        let whole = Document::loading(&bytes, "t.pdf", Limits::default(), Load::Whole).unwrap();
        let text = Document::loading(&bytes, "t.pdf", Limits::default(), Load::Text).unwrap();
        let (page_w, page_t) = (whole.page(1).unwrap(), text.page(1).unwrap());
        assert_eq!(text_of(&page_t), "Budget");
        assert_eq!(text_of(&page_w), text_of(&page_t));
        // The image is still placed: a page that paints one is a scan when it has no text.
        assert_eq!(page_t.images.len(), 1);
        assert_eq!(page_w.images[0].bbox, page_t.images[0].bbox);
        let image = page_t.images[0].object;
        assert_eq!(whole.image(image).unwrap().data, b"AB");
        let refused = text.image(image).unwrap_err().to_string();
        assert!(refused.contains("without its images' bytes"), "{refused}");
        let has = |d: &Document, n: u32| d.doc.objects.contains_key(&(n, 0));
        assert!((10..=15).all(|n| has(&whole, n)));
        assert!(![10, 11, 12].iter().any(|&n| has(&text, n)));
        // Regression: lopdf keeps what the filter returns for a member of an object stream,
        // and an early filter returned Null for it, emptying every such object.
        for n in 13..=15 {
            assert_eq!(
                text.doc.objects.get(&(n, 0)),
                whole.doc.objects.get(&(n, 0))
            );
        }
    }

    #[test]
    fn structure_elements_are_told_alike_from_bytes_and_from_dictionaries() {
        use lopdf::dictionary;
        let parent = Object::Reference((4, 0));
        let cases: [(&[u8], Dictionary, bool); 6] = [
            (
                b"<< /Type /StructElem /S /P /K 0 >>",
                dictionary! { "Type" => "StructElem", "S" => "P", "K" => 0 },
                true,
            ),
            (
                b"<</S/Span/P 4 0 R>>",
                dictionary! { "S" => "Span", "P" => parent.clone() },
                true,
            ),
            (
                b"<< /P 4 0 R /S /P /Pg 3 0 R >>",
                dictionary! { "P" => parent.clone(), "S" => "P", "Pg" => (3, 0) },
                true,
            ),
            (
                b"<< /S /D /P (A-) /St 1 >>",
                dictionary! { "S" => "D", "P" => Object::string_literal("A-"), "St" => 1 },
                false,
            ),
            (
                b"<< /S /P /Pg 3 0 R >>",
                dictionary! { "S" => "P", "Pg" => (3, 0) },
                false,
            ),
            (
                b"<< /Parent 4 0 R /S /Sect >>",
                dictionary! { "Parent" => parent.clone(), "S" => "Sect" },
                false,
            ),
        ];
        for (bytes, dict, element) in cases {
            let text = String::from_utf8_lossy(bytes);
            assert_eq!(structure_element_bytes(bytes), element, "{text}");
            assert_eq!(is_structure_element(&dict), element, "{text}");
        }
    }

    #[test]
    fn object_streams_of_structure_elements_only_are_told_before_parsing() {
        let stream = |members: &[&str], n: i64| {
            let (mut index, mut body) = (String::new(), String::new());
            for (i, member) in members.iter().enumerate() {
                index.push_str(&format!("{} {} ", 10 + i, body.len()));
                body.push_str(member);
            }
            let dict =
                lopdf::dictionary! { "Type" => "ObjStm", "N" => n, "First" => index.len() as i64 };
            lopdf::Stream::new(dict, format!("{index}{body}").into_bytes())
        };
        let typed = "<< /Type /StructElem /S /P >>";
        let untyped = "<</S/Span/P 10 0 R/K 0>>";
        assert!(only_structure_elements(&stream(&[typed, untyped], 2)));
        // One member that is not an element keeps the stream, to be parsed whole.
        assert!(!only_structure_elements(&stream(
            &[typed, "<< /Type /Page >>"],
            2
        )));
        // An index that does not list /N members is not trusted.
        assert!(!only_structure_elements(&stream(&[typed, untyped], 3)));
        // Past a kilobyte a member it is not read at all.
        let long = format!("<< /S /P /P 10 0 R /Alt ({}) >>", "x".repeat(2048));
        assert!(!only_structure_elements(&stream(&[&long], 1)));
    }

    #[test]
    fn loading_for_text_rebuilds_cross_references_that_lead_nowhere() {
        // Every object moved 40 bytes on from where the cross-reference table says: the
        // table reads, but leads to no page tree. lopdf rebuilds it only when it loads
        // without a filter, so `Load::Text` asks for that itself (regression: a real scan
        // read as having no pages).
        let mut pdf = TestPdf::with_helvetica();
        pdf.page(b"BT /F1 10 Tf 100 700 Td (Moved) Tj ET", 0);
        let bytes = pdf.build();
        let header = bytes.iter().position(|&b| b == b'\n').unwrap() + 1;
        let mut moved = bytes[..header].to_vec();
        moved.extend_from_slice(&[b'%'; 39]);
        moved.push(b'\n');
        moved.extend_from_slice(&bytes[header..]);
        for load in [Load::Whole, Load::Text] {
            let doc = Document::loading(&moved, "moved.pdf", Limits::default(), load).unwrap();
            assert_eq!(text_of(&doc.page(1).unwrap()), "Moved", "{load:?}");
        }
    }

    #[test]
    fn bad_input_is_a_typed_error_naming_the_file() {
        let not_pdf =
            Document::from_bytes(b"<html>not a pdf</html>", "page.pdf", Limits::default())
                .err()
                .unwrap();
        assert!(
            matches!(not_pdf, PdfError::NotPdf { .. })
                && not_pdf.to_string().starts_with("page.pdf:")
        );
        let empty = Document::from_bytes(b"", "empty.pdf", Limits::default())
            .err()
            .unwrap();
        assert!(matches!(empty, PdfError::NotPdf { .. }));
        let garbage = Document::from_bytes(
            b"%PDF-1.4\n%garbage only\n",
            "garbage.pdf",
            Limits::default(),
        )
        .err()
        .unwrap();
        assert!(matches!(garbage, PdfError::Malformed { .. }), "{garbage}");
        let missing = Document::open("/nonexistent/x.pdf").err().unwrap();
        assert!(matches!(missing, PdfError::Io { .. }));
        let mut pdf = TestPdf::new();
        pdf.page(b"", 0);
        let doc = Document::from_bytes(&pdf.build(), "one.pdf", Limits::default()).unwrap();
        assert!(matches!(
            doc.page(2),
            Err(PdfError::NoSuchPage {
                page: 2,
                count: 1,
                ..
            })
        ));
        assert!(matches!(doc.page(0), Err(PdfError::NoSuchPage { .. })));
    }

    #[test]
    fn unreadable_content_stream_names_page_and_object() {
        let mut pdf = TestPdf::new();
        pdf.page(b"", 0);
        let mut doc = pdf.finish();
        // Corrupt the content stream: a Flate filter over bytes that are not zlib data.
        let (_, page_id) = doc.get_pages().into_iter().next().unwrap();
        let content_id = doc.get_page_contents(page_id)[0];
        if let Ok(lopdf::Object::Stream(s)) = doc.get_object_mut(content_id) {
            s.dict.set("Filter", "FlateDecode");
            s.set_content(b"definitely not zlib".to_vec());
        }
        let mut bytes = Vec::new();
        doc.save_to(&mut bytes).unwrap();
        let doc = Document::from_bytes(&bytes, "broken.pdf", Limits::default()).unwrap();
        let err = doc.page(1).expect_err("refused");
        assert!(
            matches!(err, PdfError::Object { object, .. } if object == content_id),
            "{err}"
        );
        let msg = err.to_string();
        assert!(
            msg.starts_with("broken.pdf: object ")
                && msg.contains("page 1: content stream unreadable"),
            "{msg}"
        );
    }

    #[test]
    fn one_unreadable_stream_of_several_is_a_warning_naming_it() {
        let mut pdf = TestPdf::with_helvetica();
        pdf.page(b"BT /F1 10 Tf 100 700 Td (Kept) Tj ET", 0);
        let broken = pdf.stream(
            lopdf::dictionary! { "Filter" => "FlateDecode" },
            b"not zlib either",
        );
        let mut doc = pdf.finish();
        let (_, page_id) = doc.get_pages().into_iter().next().unwrap();
        let first = doc.get_page_contents(page_id)[0];
        if let Ok(lopdf::Object::Dictionary(d)) = doc.get_object_mut(page_id) {
            d.set(
                "Contents",
                vec![
                    lopdf::Object::Reference(first),
                    lopdf::Object::Reference(broken),
                ],
            );
        }
        let mut bytes = Vec::new();
        doc.save_to(&mut bytes).unwrap();
        let page = Document::from_bytes(&bytes, "half.pdf", Limits::default())
            .unwrap()
            .page(1)
            .unwrap();
        assert_eq!(text_of(&page), "Kept");
        let w = page
            .warnings
            .iter()
            .find(|w| w.kind == WarningKind::ContentStream)
            .expect("warned");
        assert!(
            w.message.starts_with(&format!(
                "content stream {} 0 R could not be decoded",
                broken.0
            )),
            "{}",
            w.message
        );
    }

    #[test]
    fn glyph_limit_is_a_resource_error() {
        let mut pdf = TestPdf::with_helvetica();
        pdf.page(b"BT /F1 10 Tf 100 700 Td (ABCDEFGH) Tj ET", 0);
        let limits = Limits {
            max_glyphs_per_page: 5,
            ..Limits::default()
        };
        let doc = Document::from_bytes(&pdf.build(), "many.pdf", limits).unwrap();
        assert!(matches!(doc.page(1), Err(PdfError::ResourceLimit { .. })));
    }

    #[test]
    fn info_lists_fonts_with_decoded_names_and_text_layers() {
        let mut pdf = TestPdf::new();
        let mut font = simple_font("TrueType", "x", "WinAnsiEncoding".into());
        font.set(
            "BaseFont",
            lopdf::Object::Name(vec![
                b'A', b'B', b'C', b'D', b'E', b'E', b'+', 0xCB, 0xCE, 0xCC, 0xE5,
            ]),
        );
        pdf.font("F1", font);
        pdf.page(b"BT /F1 10 Tf 100 700 Td (1) Tj ET", 0)
            .page(b"", 90);
        let doc = Document::from_bytes(&pdf.build(), "info.pdf", Limits::default()).unwrap();
        let info = doc.info();
        assert_eq!(info.fonts.len(), 1);
        assert_eq!(info.fonts[0].name, "ABCDEE+宋体");
        assert_eq!(
            (
                info.fonts[0].subtype.as_str(),
                info.fonts[0].encoding.as_str(),
                info.fonts[0].to_unicode
            ),
            ("TrueType", "WinAnsiEncoding", false)
        );
        assert_eq!(
            info.page_info
                .iter()
                .map(|p| (p.glyphs, p.rotation))
                .collect::<Vec<_>>(),
            vec![(1, 0), (0, 90)]
        );
    }
}
