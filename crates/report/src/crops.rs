//! Pictures of printed cells: each finding's PDF re-opened and the region around its cell
//! drawn as SVG with the drawing `cnbudget inspect` uses, so the reader sees the figure as it
//! was printed. A PDF that is gone, or has changed since the run, is said so instead.

use crate::data::Finding;
use cnbudget_pdf::{Document, Limits, Page, Rect};
use cnbudget_table::svg::{view_svg, View};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Points shown around a cell: enough for the neighbouring columns and rows to tell which
/// figure it is, small enough to sit in a table row.
const MARGIN_X: f64 = 110.0;
const MARGIN_Y: f64 = 28.0;
/// Pixels per point of a picture.
const SCALE: f64 = 1.6;

/// What stands in a finding's picture cell.
#[derive(Debug, Clone, serde::Serialize)]
#[serde(tag = "kind", content = "text", rename_all = "snake_case")]
pub enum Picture {
    /// The SVG of the region around the cell.
    Svg(String),
    /// Why there is no picture.
    Missing(String),
}

/// A document's PDF, found and opened once for all its findings.
enum Source {
    Open {
        doc: Box<Document>,
        pages: HashMap<u32, Option<Page>>,
    },
    Gone(String),
}

/// Finds and opens the PDFs of the findings, one document at a time.
pub struct Crops {
    roots: Vec<PathBuf>,
    sources: HashMap<String, Source>,
}

impl Crops {
    /// `roots`: the folders the dataset's relative paths are resolved against, in order.
    pub fn new(roots: Vec<PathBuf>) -> Crops {
        Crops {
            roots,
            sources: HashMap::new(),
        }
    }

    /// The picture of a finding's printed cell; `paths` are its document's paths.
    pub fn picture(&mut self, f: &Finding, paths: &[String]) -> Picture {
        let (Some(page_no), Some(cell)) = (f.page, f.cell) else {
            return Picture::Missing(if f.table_kind.is_none() {
                "a figure stated in the narrative: no table cell to draw".into()
            } else if f.printed_raw.is_empty() {
                "the cell is blank: the dataset records no box for it".into()
            } else {
                "the dataset records no box for this cell".into()
            });
        };
        let roots = &self.roots;
        let source = self
            .sources
            .entry(f.doc_id.clone())
            .or_insert_with(|| locate(roots, &f.doc_id, paths));
        let (doc, pages) = match source {
            Source::Open { doc, pages } => (doc, pages),
            Source::Gone(why) => return Picture::Missing(why.clone()),
        };
        let page = pages
            .entry(page_no)
            .or_insert_with(|| doc.page(page_no).ok());
        let Some(page) = page else {
            return Picture::Missing(format!("page {page_no} cannot be read"));
        };
        let region = Rect {
            x0: (cell.x0 - MARGIN_X).max(0.0),
            y0: (cell.y0 - MARGIN_Y).max(0.0),
            x1: (cell.x1 + MARGIN_X).min(page.width),
            y1: (cell.y1 + MARGIN_Y).min(page.height),
        };
        let view = View {
            region,
            scale: SCALE,
            glyph_boxes: false,
            mark: Some(cell),
        };
        Picture::Svg(view_svg(page, &[], &view))
    }
}

/// The first file under a root at one of `paths` whose bytes are the document's
/// (`doc_id` is their sha256): a file changed since the run would show other figures.
fn locate(roots: &[PathBuf], doc_id: &str, paths: &[String]) -> Source {
    let mut changed = None;
    for path in paths {
        let candidates = roots.iter().map(|r| r.join(path));
        for file in candidates.chain(Path::new(path).is_absolute().then(|| PathBuf::from(path))) {
            let Ok(bytes) = std::fs::read(&file) else {
                continue;
            };
            if !is_sha256_of(doc_id, &bytes) {
                changed = Some(file);
                continue;
            }
            return match Document::from_bytes(&bytes, &file, Limits::default()) {
                Ok(doc) => Source::Open {
                    doc: Box::new(doc),
                    pages: HashMap::new(),
                },
                Err(e) => Source::Gone(format!("cannot open the PDF: {e}")),
            };
        }
    }
    Source::Gone(match changed {
        Some(file) => format!(
            "{} has changed since the run (other bytes): no picture",
            file.display()
        ),
        None if roots.is_empty() => format!(
            "{}: the input folder is unknown (give it with --input): no picture",
            paths.first().map_or("", String::as_str)
        ),
        None => format!(
            "{} is no longer under {}: no picture",
            paths.first().map_or("", String::as_str),
            roots
                .iter()
                .map(|r| r.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    })
}

/// Whether `doc_id` (hex) is the sha256 of `bytes`.
fn is_sha256_of(doc_id: &str, bytes: &[u8]) -> bool {
    let digest = Sha256::digest(bytes);
    doc_id.len() == 2 * digest.len()
        && digest.iter().enumerate().all(|(i, b)| {
            doc_id
                .get(2 * i..2 * i + 2)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                == Some(*b)
        })
}
