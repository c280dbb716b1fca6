//! OCR of scanned budget pages: a page without a text layer, painted by images, becomes a
//! [`Page`] of glyphs and rulings like a born-digital one, so the table, grammar,
//! normalisation and audit stages read it unchanged.
//!
//! [`Ocr::read_page`]: decode the page's images (JPEG, JPEG 2000, CCITT, JBIG2, raw;
//! `docs/ocr.md` lists what is not supported), compose them into one grey bitmap at the scan's
//! resolution, measure the tilt and take it out, recognise words with PP-OCRv6 small
//! (`pure-onnx-ocr`, pure Rust on tract) at 150 dpi, and find the rulings (long thin runs
//! clearly darker than the paper, none through a word). Each word's
//! characters are spread over its box as glyphs marked `DecodePath::Ocr`; the words keep
//! their confidences. The models are loaded once ([`Ocr::load`]) and shared by every page and
//! thread.

mod decode;
mod raster;
mod words;

pub use words::{glyphs, tidy, Word};

use cnbudget_pdf::{Document, Page, PdfError, Rect};
use image::{GrayImage, Luma};
use pure_onnx_ocr::{OcrEngine, OcrEngineBuilder};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

/// The model files [`Ocr::load`] reads from its directory (`scripts/fetch-ocr-models`
/// writes them): PP-OCRv6 small detection and recognition, and the recognition dictionary
/// (one character a line; the engine adds the `blank` and space classes itself).
pub const MODEL_FILES: [&str; 3] = ["ppocrv6_det.onnx", "ppocrv6_rec.onnx", "dict.txt"];

/// The environment variable naming the models directory when no option does.
pub const MODELS_ENV: &str = "CNBUDGET_OCR_MODELS";

/// The engine and model generation, as the dataset records it.
pub const ENGINE: &str = "pure-onnx-ocr 0.3.2 (tract), PP-OCRv6 small det+rec";

/// The scan is drawn at its own resolution within these bounds (dots per inch), so that
/// hairline rulings survive; above, memory grows and nothing is gained.
const MIN_DPI: f64 = 100.0;
const MAX_DPI: f64 = 300.0;

/// The resolution words are recognised at: a finer page is scaled down (averaging) to it.
/// Measured on the generated scans (docs/ocr.md): PP-OCRv5 mobile read budget print best here
/// (at 200 dpi it dropped more characters from labels); PP-OCRv6 small too: recognised at the
/// scan's own resolution, 200 dpi scans had two amounts misread and 300 dpi scans a leading 一
/// lost, and it took longer.
const OCR_DPI: f64 = 150.0;

/// A tilt smaller than this (degrees) is left alone: it moves a ruling by under 2 pixels
/// across a page.
const MIN_SKEW: f64 = 0.08;

/// What can stop OCR. Each names the file, and the page or object, where it has one.
#[derive(Debug, thiserror::Error)]
pub enum OcrError {
    /// The models directory is missing a file or a model does not load.
    #[error("OCR models in {}: {message} (scripts/fetch-ocr-models fetches them)", dir.display())]
    Models { dir: PathBuf, message: String },
    /// An image of the page could not be decoded, or uses a filter that is not supported.
    #[error("{file}: page {page}: image {} {} R: {message}", object.0, object.1)]
    Image {
        file: PathBuf,
        page: u32,
        object: (u32, u16),
        message: String,
    },
    /// The recogniser failed on a page.
    #[error("{file}: page {page}: OCR failed: {message}")]
    Engine {
        file: PathBuf,
        page: u32,
        message: String,
    },
    /// The PDF layer could not give an image's data.
    #[error(transparent)]
    Pdf(#[from] PdfError),
}

/// The loaded models: one per process, shared by every page and thread.
pub struct Ocr {
    engine: OcrEngine,
    models_sha256: String,
    dir: PathBuf,
}

impl std::fmt::Debug for Ocr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Ocr")
            .field("dir", &self.dir)
            .field("models_sha256", &self.models_sha256)
            .finish()
    }
}

/// One page read by OCR.
#[derive(Debug, Clone)]
pub struct OcrPage {
    /// The page with OCR glyphs and the bitmap's rulings (its images kept).
    pub page: Page,
    /// The recognised words, in points on the level page.
    pub words: Vec<Word>,
    /// The tilt found and taken out, in degrees.
    pub skew_degrees: f64,
    /// The resolution the page was drawn at (rulings found at).
    pub dpi: f64,
    /// Wall-clock seconds for the page (decoding to glyphs).
    pub seconds: f64,
}

impl Ocr {
    /// Loads the models from `dir` (see [`MODEL_FILES`]); `threads` caps the engine's
    /// inference threads (`None`: one per core).
    pub fn load(dir: &Path, threads: Option<usize>) -> Result<Ocr, OcrError> {
        let fail = |message: String| OcrError::Models {
            dir: dir.to_path_buf(),
            message,
        };
        let missing: Vec<&str> = MODEL_FILES
            .iter()
            .filter(|f| !dir.join(f).is_file())
            .copied()
            .collect();
        if !missing.is_empty() {
            return Err(fail(format!("missing {}", missing.join(", "))));
        }
        // The identity of the model set: the sha256 of `sha256sum` over the three files, so
        // `sha256sum ppocrv6_det.onnx ppocrv6_rec.onnx dict.txt | sha256sum` checks it.
        let mut manifest = String::new();
        for f in MODEL_FILES {
            let bytes =
                std::fs::read(dir.join(f)).map_err(|e| fail(format!("cannot read {f}: {e}")))?;
            manifest.push_str(&format!("{}  {f}\n", hex(&Sha256::digest(&bytes))));
        }
        let models_sha256 = hex(&Sha256::digest(manifest.as_bytes()));
        let mut builder = OcrEngineBuilder::new()
            .det_model_path(dir.join(MODEL_FILES[0]))
            .rec_model_path(dir.join(MODEL_FILES[1]))
            .dictionary_path(dir.join(MODEL_FILES[2]))
            // Measured on the generated scans (docs/ocr.md): detection on the whole 150 dpi
            // page (A4 is 1754 px tall) rather than shrunk to 960 px; boxes grown by 1.5 (with
            // PP-OCRv6 small: 200 dpi scans lost 3 rows of 315 at 1.5 and 1.6, 5 at 1.8, 6 at
            // 1.4; PP-OCRv5 mobile needed 1.8 to keep a leading 一); crops recognised one at a
            // time (batching them changed readings and was slower).
            .det_limit_side_len(1600)
            .det_unclip_ratio(1.5)
            .rec_batch_size(1);
        if let Some(n) = threads {
            builder = builder.inference_threads(n.max(1));
        }
        let engine = builder.build().map_err(|e| fail(e.to_string()))?;
        Ok(Ocr {
            engine,
            models_sha256,
            dir: dir.to_path_buf(),
        })
    }

    /// The sha256 identifying the model files (see [`Ocr::load`]).
    pub fn models_sha256(&self) -> &str {
        &self.models_sha256
    }

    /// Reads `page` of `doc` from its images. A page that paints no image gives an empty
    /// page; the caller decides which pages need OCR (those without a text layer).
    pub fn read_page(&self, doc: &Document, page: &Page) -> Result<OcrPage, OcrError> {
        let start = Instant::now();
        let file = doc.path().to_path_buf();
        let mut decoded = Vec::with_capacity(page.images.len());
        for placed in &page.images {
            let data = doc.image(placed.object)?;
            let pixels = decode::decode(&data).map_err(|message| OcrError::Image {
                file: file.clone(),
                page: page.number,
                object: placed.object,
                message,
            })?;
            decoded.push((placed, pixels));
        }
        // The scan's own resolution: the finest image's pixels per point.
        let native = decoded
            .iter()
            .map(|(p, px)| {
                let across = p.bbox.width().max(p.bbox.height());
                px.width.max(px.height) as f64 / across.max(1.0)
            })
            .fold(0.0, f64::max);
        let dpi = (native * 72.0).clamp(MIN_DPI, MAX_DPI);
        let scale = dpi / 72.0;
        let (w, h) = (
            ((page.width * scale).ceil() as u32).max(1),
            ((page.height * scale).ceil() as u32).max(1),
        );
        let mut bitmap = GrayImage::from_pixel(w, h, Luma([255]));
        for (placed, pixels) in &decoded {
            raster::compose(&mut bitmap, scale, placed, pixels);
        }
        drop(decoded);
        let skew = raster::skew_degrees(&bitmap);
        if skew.abs() >= MIN_SKEW {
            bitmap = raster::deskew(&bitmap, skew);
        }
        // The page is scaled to the recognition resolution: averaged down, or smoothly up
        // for a coarse scan.
        let (ocr_bitmap, ocr_scale) = if (dpi / OCR_DPI - 1.0).abs() > 0.05 {
            let f = OCR_DPI / dpi;
            let filter = if f < 1.0 {
                image::imageops::FilterType::Triangle
            } else {
                image::imageops::FilterType::CatmullRom
            };
            let (ow, oh) = (
                ((w as f64 * f).round() as u32).max(1),
                ((h as f64 * f).round() as u32).max(1),
            );
            let small = image::imageops::resize(&bitmap, ow, oh, filter);
            (small, OCR_DPI / 72.0)
        } else {
            (bitmap.clone(), scale)
        };
        let results = self
            .engine
            .run_from_image(&image::DynamicImage::ImageLuma8(ocr_bitmap))
            .map_err(|e| OcrError::Engine {
                file: file.clone(),
                page: page.number,
                message: e.to_string(),
            })?;
        let mut words: Vec<Word> = results
            .into_iter()
            .filter(|r| !r.text.trim().is_empty())
            .filter_map(|r| {
                let points: Vec<(f64, f64)> = r
                    .bounding_box
                    .exterior()
                    .points()
                    .map(|p| (p.x() / ocr_scale, p.y() / ocr_scale))
                    .collect();
                (!points.is_empty()).then(|| Word {
                    text: r.text,
                    bbox: Rect::bounding(&points),
                    confidence: r.confidence,
                })
            })
            .collect();
        // A speck read as a point is mended only from the page's own amounts.
        words::mend_points_on_page(&mut words);
        let boxes: Vec<Rect> = words.iter().map(|w| w.bbox).collect();
        let rules = raster::rulings(&bitmap, scale, &boxes);
        let font: Arc<str> = Arc::from("OCR");
        let glyphs = words.iter().flat_map(|w| glyphs(w, &font)).collect();
        let mut out = page.clone();
        out.glyphs = glyphs;
        out.rules.extend(rules);
        Ok(OcrPage {
            page: out,
            words,
            skew_degrees: skew,
            dpi,
            seconds: start.elapsed().as_secs_f64(),
        })
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
