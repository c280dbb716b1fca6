//! The library entry point: one document read through every stage — PDF layer, tables,
//! normalisation, audit — into everything the stages know, with the document's status.
//! `extract`, `check`, `records`, the tests and the fuzz targets all read documents here, so
//! the status rules, the limits and the panic boundary hold the same way for each of them.
//!
//! [`read`] never fails and never panics: what went wrong is the [`Reading`]'s status and
//! error, naming the file (and the page or object where known). [`read_file`] reads a file
//! under the limits (size, time); a [`Reader`] does so for a run of files on one thread.

mod pairing;

/// The OCR crate, for callers that load its models (built with the `ocr` feature).
#[cfg(feature = "ocr")]
pub use cnbudget_ocr;
pub use pairing::narrative_partner;

use cnbudget_audit::Audit;
use cnbudget_normalize::{Aliases, CoverTitle, DocumentRecords, TextSource};
use cnbudget_pdf::{Document, FileBytes, Limit, Limits, Load, Page, PdfError, Rect, WarningKind};
use serde::Serialize;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

/// What every document of a run shares.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Renamed departments merged into one key.
    pub aliases: Aliases,
    /// Resource limits per document (`docs/robustness.md`).
    pub limits: Limits,
    /// The OCR models, loaded once for the run: pages without a text layer that paint
    /// images are read by OCR. `None`: such pages stay unread.
    pub ocr: Option<OcrModels>,
}

/// The loaded OCR models, shared by every document of a run.
#[cfg(feature = "ocr")]
pub type OcrModels = std::sync::Arc<cnbudget_ocr::Ocr>;
/// Without the `ocr` feature there are no models to have: `Options::ocr` is always `None`.
#[cfg(not(feature = "ocr"))]
#[derive(Debug, Clone)]
pub enum OcrModels {}

/// What OCR did for a document.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OcrRun {
    /// Engine and model generation.
    pub engine: String,
    /// The sha256 identifying the model files.
    pub models_sha256: String,
    /// Each page read by OCR.
    pub pages: Vec<OcrPageStats>,
}

/// One page read by OCR.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OcrPageStats {
    pub page: u32,
    pub words: usize,
    pub dpi: f64,
    pub skew_degrees: f64,
    pub seconds: f64,
}

/// What became of a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Read in full.
    Ok,
    /// Read, but some pages could not be.
    Partial,
    /// Could not be read (the error says why and where).
    Failed,
    /// Every page is an image: there is no text to read.
    NoTextLayer,
    /// A user password is needed.
    Encrypted,
    /// Read, but not a budget: a title naming another kind of document, or no budget table and
    /// no budget title over stated figures (a
    /// notice, report, catalogue or performance form that mentions money).
    NotABudget,
}

impl Status {
    const ALL: [Status; 6] = [
        Status::Ok,
        Status::Partial,
        Status::Failed,
        Status::NoTextLayer,
        Status::Encrypted,
        Status::NotABudget,
    ];

    /// The status as written in `documents.parquet`.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Partial => "partial",
            Status::Failed => "failed",
            Status::NoTextLayer => "no_text_layer",
            Status::Encrypted => "encrypted",
            Status::NotABudget => "not_a_budget",
        }
    }

    /// The status written as `key`.
    pub fn from_key(key: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.as_str() == key)
    }

    /// Whether the document was read, in full or in part: its figures count.
    pub fn read(self) -> bool {
        matches!(self, Status::Ok | Status::Partial)
    }
}

/// A non-fatal problem of the PDF layer on one page.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PageWarning {
    pub page: Option<u32>,
    /// `pdf.undecodable_glyph`, `pdf.page_unreadable` …
    pub kind: String,
    pub message: String,
    pub bbox: Option<Rect>,
}

/// One document read through every stage.
#[derive(Debug, Clone)]
pub struct Reading {
    /// The name errors and the dataset give the file (a path relative to its input root).
    pub name: String,
    pub pages: Option<u32>,
    pub producer: Option<String>,
    pub creator: Option<String>,
    /// Encrypted with an empty user password (opened).
    pub encrypted: bool,
    pub status: Status,
    /// Why, when not `ok`.
    pub error: Option<String>,
    /// The normalised records (none when the document could not be read).
    pub records: Option<DocumentRecords>,
    /// The PDF layer's page warnings, and pages that could not be read.
    pub warnings: Vec<PageWarning>,
    /// The arithmetic audit of the records.
    pub audit: Audit,
    /// Where the text came from: the text layer, OCR, or both (some pages each way).
    pub text_source: TextSource,
    /// What OCR read, when it read any page.
    pub ocr: Option<OcrRun>,
}

impl Reading {
    /// A document nothing could be read from.
    fn failed(name: &str, status: Status, error: String) -> Reading {
        Reading {
            name: name.to_string(),
            pages: None,
            producer: None,
            creator: None,
            encrypted: false,
            status,
            error: Some(error),
            records: None,
            warnings: Vec::new(),
            audit: Audit::default(),
            text_source: TextSource::TextLayer,
            ocr: None,
        }
    }

    /// Line items taking part in at least one identity that holds.
    pub fn figures_verified(&self) -> usize {
        self.records.as_ref().map_or(0, |r| {
            r.line_items
                .iter()
                .filter(|i| self.audit.tally(i).verified())
                .count()
        })
    }

    /// Line items read by OCR, and how many of them are verified.
    pub fn ocr_figures(&self) -> (usize, usize) {
        self.records.as_ref().map_or((0, 0), |r| {
            let ocr = r
                .line_items
                .iter()
                .filter(|i| i.text_source == TextSource::Ocr);
            ocr.fold((0, 0), |(n, v), i| {
                (n + 1, v + usize::from(self.audit.tally(i).verified()))
            })
        })
    }
}

/// Reads one document's bytes through every stage; `name` names it in errors and gives the
/// year when nothing else does. Never panics: a panic is caught and becomes the error.
pub fn read(bytes: &[u8], name: &str, opts: &Options) -> Reading {
    match catch_unwind(AssertUnwindSafe(|| stages(bytes, name, opts))) {
        Ok(Ok(reading)) => reading,
        Ok(Err(e)) => {
            let status = if matches!(e, PdfError::Encrypted { .. }) {
                Status::Encrypted
            } else {
                Status::Failed
            };
            Reading::failed(name, status, e.to_string())
        }
        Err(p) => {
            let msg = p
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| p.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            let error = format!("{name}: internal error (panic) while reading: {msg}");
            Reading::failed(name, Status::Failed, error)
        }
    }
}

/// Reads one file under the limits (see [`Reader`]); for a run of files, one [`Reader`]
/// read from again and again spares a thread per file.
pub fn read_file(path: &Path, name: &str, opts: &Options) -> Reading {
    Reader::new(opts).read_file(path, name)
}

/// A document handed to a reading thread: its bytes and name.
type Job = (FileBytes, String);

/// A reading thread's two ends: documents in, readings out.
type Channels = (mpsc::Sender<Job>, mpsc::Receiver<Reading>);

/// Reads files one after another under the limits: too large a file is not read at all, and
/// with a timeout the documents run on a thread of their own; one still running a grace
/// period past its deadline is recorded as failed and left behind with its thread (its
/// pages stop at the deadline themselves; the grace covers stages that do not look at the
/// clock), and the next document gets a new thread. The thread is kept from one document
/// to the next: starting one per document, and the allocator tearing down its caches when
/// it ended, cost about 2 ms of system time a document (the national sample with two
/// workers: 0.28–0.33 s in the kernel before, 0.11–0.13 s after; docs/benchmarks.md).
pub struct Reader {
    opts: Options,
    thread: Option<Channels>,
}

impl Reader {
    pub fn new(opts: &Options) -> Reader {
        Reader {
            opts: opts.clone(),
            thread: None,
        }
    }

    pub fn read_file(&mut self, path: &Path, name: &str) -> Reading {
        let max = self.opts.limits.max_file_bytes;
        match cnbudget_pdf::read_file(path, Path::new(name), max) {
            Ok(bytes) => self.read_bytes(bytes, name),
            Err(e) => Reading::failed(name, Status::Failed, e.to_string()),
        }
    }

    /// Reads a document already in memory (a caller that read the file for its own reasons
    /// spares a second read); the limits apply as to a file.
    pub fn read_bytes(&mut self, bytes: FileBytes, name: &str) -> Reading {
        let Some(timeout) = self.opts.limits.timeout else {
            return read(&bytes, name, &self.opts);
        };
        let job = (bytes, name.to_string());
        // A kept thread waits for its next document; one gone since (only a panic outside
        // `read`'s own catch could end it) is replaced.
        let started = match self.thread.take() {
            Some((jobs, readings)) => match jobs.send(job) {
                Ok(()) => Ok((jobs, readings)),
                Err(mpsc::SendError(job)) => self.start(job, name),
            },
            None => self.start(job, name),
        };
        let (jobs, readings) = match started {
            Ok(t) => t,
            Err(error) => return Reading::failed(name, Status::Failed, error),
        };
        let grace = Duration::from_secs(5).max(timeout / 2);
        match readings.recv_timeout(timeout + grace) {
            Ok(reading) => {
                self.thread = Some((jobs, readings));
                reading
            }
            // `read` catches panics, so its thread ends early only on one outside it.
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                Reading::failed(name, Status::Failed, ended_early(name))
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {
                let e = PdfError::ResourceLimit {
                    file: PathBuf::from(name),
                    limit: Limit::Timeout,
                    detail: format!(
                        "still reading after {} s; abandoned",
                        (timeout + grace).as_secs()
                    ),
                };
                Reading::failed(name, Status::Failed, e.to_string())
            }
        }
    }

    /// A new reading thread with `job` handed to it, or why there is none.
    fn start(&self, job: Job, name: &str) -> Result<Channels, String> {
        let (jobs, readings) = self
            .spawn(name)
            .map_err(|e| format!("{name}: cannot start a thread for it: {e}"))?;
        jobs.send(job).map_err(|_| ended_early(name))?;
        Ok((jobs, readings))
    }

    /// A reading thread, named after the first document it reads (a profile shows it).
    fn spawn(&self, name: &str) -> std::io::Result<Channels> {
        let (jobs, inbox) = mpsc::channel::<Job>();
        let (outbox, readings) = mpsc::channel();
        let opts = self.opts.clone();
        std::thread::Builder::new()
            .name(format!("doc {}", thread_name(name)))
            .spawn(move || {
                for (bytes, name) in inbox {
                    if outbox.send(read(&bytes, &name, &opts)).is_err() {
                        break;
                    }
                }
            })?;
        Ok((jobs, readings))
    }
}

fn ended_early(name: &str) -> String {
    format!("{name}: internal error: the reading thread ended early")
}

/// A thread's name from a document's: its last 12 characters (cut at characters, not
/// bytes: names are often Chinese).
fn thread_name(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    chars[chars.len().saturating_sub(12)..].iter().collect()
}

fn stages(bytes: &[u8], name: &str, opts: &Options) -> Result<Reading, PdfError> {
    // Only OCR reads an image's bytes.
    let load = match opts.ocr {
        Some(_) => Load::Whole,
        None => Load::Text,
    };
    let doc = Document::loading(bytes, name, opts.limits.clone(), load)?;
    let mut pages = Vec::new();
    let mut errors = Vec::new();
    for n in 1..=doc.page_count() {
        match doc.page(n) {
            Ok(p) => pages.push(p),
            // A document over a limit is failed, not partly read.
            Err(e @ PdfError::ResourceLimit { .. }) => return Err(e),
            Err(e) => errors.push(e.to_string()),
        }
    }
    let (ocr, ocr_words) = read_scans(&doc, &mut pages, &mut errors, opts)?;
    let mut warnings: Vec<PageWarning> = pages
        .iter()
        .flat_map(|p| p.warnings.iter().map(move |w| (p.number, w)))
        .map(|(page, w)| PageWarning {
            page: Some(page),
            kind: format!("pdf.{}", warning_key(w.kind)),
            message: w.message.clone(),
            bbox: w.bbox,
        })
        .collect();
    warnings.extend(errors.iter().map(|e| PageWarning {
        page: None,
        kind: "pdf.page_unreadable".into(),
        message: e.clone(),
        bbox: None,
    }));
    let layout = cnbudget_table::document_tables(&pages);
    let file_name = Path::new(name)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut records = cnbudget_normalize::normalize(&file_name, &pages, &layout, &opts.aliases);
    let text_layer = pages.iter().any(has_text);
    mark_ocr_figures(&mut records, &ocr_words);
    let text_source = match (
        &ocr,
        pages
            .iter()
            .any(|p| has_text(p) && !ocr_words.iter().any(|(n, _)| *n == p.number)),
    ) {
        (Some(_), true) => TextSource::Mixed,
        (Some(_), false) => TextSource::Ocr,
        (None, _) => TextSource::TextLayer,
    };
    // A budget prints budget tables, or states its figures under a budget's title: a notice,
    // report, catalogue or performance form that mentions money is not one, nor is a report
    // whose title says so even where it prints a department's budget tables.
    let budget_tables = records.tables.iter().any(|t| t.kind.is_budget_table());
    let budget = match records.title {
        CoverTitle::Budget => budget_tables || !records.facts.is_empty(),
        CoverTitle::None => budget_tables,
        CoverTitle::Other => false,
    };
    let (status, error) = if !errors.is_empty() {
        (Status::Partial, errors.first().cloned())
    } else if !text_layer {
        (
            Status::NoTextLayer,
            Some(format!(
                "{name}: no page has a text layer (scanned images?); {}",
                NO_OCR
            )),
        )
    } else if !budget {
        let why = match records.title {
            CoverTitle::Other => "its title names another kind of document (a report, a notice)",
            _ => "no budget title over stated figures",
        };
        (
            Status::NotABudget,
            Some(format!(
                "{name}: not a budget: {} and {why}",
                tables_found(&records)
            )),
        )
    } else {
        (Status::Ok, None)
    };
    let audit = cnbudget_audit::audit(&records);
    Ok(Reading {
        name: name.to_string(),
        pages: Some(doc.page_count()),
        producer: doc.info_entry("Producer"),
        creator: doc.info_entry("Creator"),
        encrypted: doc.encrypted(),
        status,
        error,
        records: Some(records),
        warnings,
        audit,
        text_source,
        ocr,
    })
}

/// Why a scan stays unread, and how to read it.
#[cfg(not(feature = "ocr"))]
const NO_OCR: &str = "this build has no OCR: build with `cargo build --release --features ocr` \
     and give it the models (--ocr-models DIR; README §OCR)";
#[cfg(feature = "ocr")]
const NO_OCR: &str = "OCR needs its models: --ocr-models DIR or CNBUDGET_OCR_MODELS \
     (scripts/fetch-ocr-models fetches them; README §OCR)";

/// A page's text layer: any glyph that is not blank.
fn has_text(page: &Page) -> bool {
    page.glyphs.iter().any(|g| !g.text.trim().is_empty())
}

/// Whether OCR reads `page`: it has no text layer and paints an image.
pub fn needs_ocr(page: &Page) -> bool {
    !has_text(page) && !page.images.is_empty()
}

/// Reads by OCR those of `pages` that need it, in place, as `extract` does; the messages of
/// the pages OCR could not read. For the CLI's `text`, `tables` and `inspect`, which look at
/// pages one by one.
pub fn ocr_pages<'a>(
    doc: &Document,
    pages: impl IntoIterator<Item = &'a mut Page>,
    opts: &Options,
) -> Result<Vec<String>, PdfError> {
    let mut errors = Vec::new();
    read_scans(doc, pages, &mut errors, opts)?;
    Ok(errors)
}

/// The words OCR read, by page: text, box, confidence.
type OcrWords = Vec<(u32, Vec<(Vec<Rect>, f32)>)>;

/// Reads every page that has no text layer and paints an image by OCR, in place; a page
/// with a text layer is never OCR'd. A page OCR cannot read is an error of that page (the
/// document is partly read); a limit reached is the document's.
#[cfg(feature = "ocr")]
fn read_scans<'a>(
    doc: &Document,
    pages: impl IntoIterator<Item = &'a mut Page>,
    errors: &mut Vec<String>,
    opts: &Options,
) -> Result<(Option<OcrRun>, OcrWords), PdfError> {
    let Some(ocr) = opts.ocr.as_deref() else {
        return Ok((None, Vec::new()));
    };
    let mut run = OcrRun {
        engine: cnbudget_ocr::ENGINE.to_string(),
        models_sha256: ocr.models_sha256().to_string(),
        pages: Vec::new(),
    };
    let mut words = Vec::new();
    let font: std::sync::Arc<str> = std::sync::Arc::from("OCR");
    for page in pages {
        if !needs_ocr(page) {
            continue;
        }
        match ocr.read_page(doc, page) {
            Ok(read) => {
                run.pages.push(OcrPageStats {
                    page: page.number,
                    words: read.words.len(),
                    dpi: read.dpi,
                    skew_degrees: read.skew_degrees,
                    seconds: read.seconds,
                });
                // Each word as the boxes of the glyphs it gave: a figure came from the
                // words whose glyphs lie in its cell.
                let boxes = read
                    .words
                    .iter()
                    .map(|w| {
                        let glyphs = cnbudget_ocr::glyphs(w, &font);
                        (glyphs.iter().map(|g| g.bbox).collect(), w.confidence)
                    })
                    .collect();
                words.push((page.number, boxes));
                *page = read.page;
            }
            Err(cnbudget_ocr::OcrError::Pdf(e @ PdfError::ResourceLimit { .. })) => return Err(e),
            Err(e) => errors.push(e.to_string()),
        }
    }
    Ok(((!run.pages.is_empty()).then_some(run), words))
}

#[cfg(not(feature = "ocr"))]
fn read_scans<'a>(
    _: &Document,
    _: impl IntoIterator<Item = &'a mut Page>,
    _: &mut Vec<String>,
    _: &Options,
) -> Result<(Option<OcrRun>, OcrWords), PdfError> {
    Ok((None, Vec::new()))
}

/// Marks the figures of OCR'd pages: their source, and the lowest confidence of the words
/// with a glyph in the figure's cell.
fn mark_ocr_figures(records: &mut DocumentRecords, words: &OcrWords) {
    for item in &mut records.line_items {
        let Some((_, page)) = words.iter().find(|(n, _)| *n == item.page) else {
            continue;
        };
        let b = item.bbox;
        let inside = |g: &Rect| {
            let (x, y) = g.center();
            x >= b.x0 && x <= b.x1 && y >= b.y0 && y <= b.y1
        };
        item.text_source = TextSource::Ocr;
        item.ocr_confidence = page
            .iter()
            .filter(|(glyphs, _)| glyphs.iter().any(inside))
            .map(|(_, c)| *c)
            .reduce(f32::min);
    }
}

/// `no table`, or the kinds of the tables found (`tables: other ×3, performance_targets ×1`).
fn tables_found(records: &DocumentRecords) -> String {
    let mut kinds: std::collections::BTreeMap<&str, usize> = Default::default();
    for t in &records.tables {
        *kinds.entry(t.kind.key()).or_default() += 1;
    }
    if kinds.is_empty() {
        return "no table".into();
    }
    let list: Vec<String> = kinds.iter().map(|(k, n)| format!("{k} ×{n}")).collect();
    format!("no budget table (tables: {})", list.join(", "))
}

/// The serde key of a PDF-layer warning kind (`undecodable_glyph`).
fn warning_key(kind: WarningKind) -> String {
    serde_json::to_value(kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One reader, a run of files: each document reads as it does alone, on the thread kept
    /// from the one before, and a file that cannot be read between two others costs the
    /// next nothing.
    #[test]
    fn a_reader_reads_a_run_of_files_on_one_thread() {
        let dir = std::env::temp_dir().join(format!("cnbudget-reader-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let paths: Vec<PathBuf> = (0..3)
            .map(|i| {
                let p = dir.join(format!("{i}.pdf"));
                std::fs::write(&p, cnbudget_synth::generate(5, i).pdf).unwrap();
                p
            })
            .collect();
        let mut opts = Options::default();
        opts.limits.timeout = Some(Duration::from_secs(600));
        let records = |r: &Reading| serde_json::to_string(&r.records).unwrap();
        let mut reader = Reader::new(&opts);
        let first = reader.read_file(&paths[0], "0.pdf");
        assert_eq!(first.status, Status::Ok, "{:?}", first.error);
        assert!(
            reader.thread.is_some(),
            "the thread is kept for the next file"
        );
        let missing = reader.read_file(&dir.join("missing.pdf"), "missing.pdf");
        assert_eq!(missing.status, Status::Failed);
        for (i, path) in paths.iter().enumerate() {
            let name = format!("{i}.pdf");
            let again = reader.read_file(path, &name);
            let alone = read_file(path, &name, &opts);
            assert_eq!(again.status, Status::Ok);
            assert_eq!(records(&again), records(&alone), "{name}");
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// Regression: a document id or name was cut at byte 12, inside a Chinese character,
    /// and panicked.
    #[test]
    fn thread_names_cut_at_characters() {
        assert_eq!(
            thread_name("unreadable:苏州/中文预算公开.pdf"),
            "州/中文预算公开.pdf"
        );
        assert_eq!(thread_name("a.pdf"), "a.pdf");
    }

    #[test]
    fn status_keys_round_trip() {
        for s in Status::ALL {
            assert_eq!(Status::from_key(s.as_str()), Some(s));
        }
    }
}
