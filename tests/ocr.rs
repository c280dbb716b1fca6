//! OCR of scanned budgets (#16), in a build with `--features ocr` and the models at
//! $CNBUDGET_OCR_MODELS (`scripts/fetch-ocr-models`; skipped with a message otherwise).
//!
//! Ground truth: generated budgets scanned by `scripts/make-scans` (150, 200 and 300 dpi,
//! grain, specks, a 1–2° tilt, one JPEG per page, no text layer) read through the whole
//! pipeline and scored against the generator's truth as `ground_truth.rs` scores the text
//! layer. At 200 dpi and above every one of the 315 figures must come out exact, label and
//! all (the issue asks ≥ 99.5 %), and at 150 dpi too (floors just under the measured
//! rates: `docs/ocr.md`, so one row lost fails); a second seed is scored at 200 dpi; and at
//! every resolution a figure read with a wrong amount must be left unverified by the audit
//! (a misread digit breaks its identities).
//!
//! The national sample's scans (`../shared/corpus/national`, never committed): each is read
//! by OCR, and the table `docs/ocr.md` gives is printed.
#![cfg(feature = "ocr")]

mod common;

use cnbudget_pipeline::cnbudget_ocr::{Ocr, MODELS_ENV};
use cnbudget_pipeline::{Options, Reading, Status};
use common::score::{keys_by, truth_keys, Key, Label};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

/// The models, or `None` with a message saying why the test is skipped. Set but unusable
/// is a failure: CI sets it.
fn options() -> Option<Options> {
    let Some(dir) = std::env::var_os(MODELS_ENV) else {
        eprintln!("SKIPPED: {MODELS_ENV} is not set (scripts/fetch-ocr-models prints the folder)");
        return None;
    };
    let ocr = Ocr::load(Path::new(&dir), None).expect("the OCR models load");
    Some(Options {
        ocr: Some(Arc::new(ocr)),
        ..Options::default()
    })
}

/// One dpi's figures against the truth: exact (every part of the key); read with an amount
/// the truth has left but something else misread (a label that lost a character, a title
/// misread so the table's kind is lost); and read with an amount the truth does not have. The
/// last must be left unverified by the audit, since a misread digit breaks its identities; a
/// misread label leaves the arithmetic whole, so the audit cannot see it.
#[derive(Default)]
struct Tally {
    /// The labels compared.
    label: Label,
    truth: usize,
    exact: usize,
    label_wrong: Vec<Key>,
    amount_wrong: Vec<Key>,
    amount_wrong_verified: Vec<Key>,
    not_read: Vec<Key>,
    pages: u32,
    seconds: f64,
}

impl Tally {
    fn add(&mut self, truth: Vec<Key>, reading: &Reading) {
        let records = reading.records.as_ref().expect("records of a scan");
        self.truth += truth.len();
        let mut left: HashMap<Key, usize> = HashMap::new();
        for k in &truth {
            *left.entry(k.clone()).or_default() += 1;
        }
        let mut inexact = Vec::new();
        for (key, item) in keys_by(records, self.label)
            .into_iter()
            .zip(&records.line_items)
        {
            match left.get_mut(&key) {
                Some(n) if *n > 0 => {
                    *n -= 1;
                    self.exact += 1;
                }
                _ => inexact.push((key, reading.audit.tally(item).verified())),
            }
        }
        // What truth has left, by amount: a figure read with one of these amounts misread
        // something other than its amount.
        let mut amounts: HashMap<String, Vec<Key>> = HashMap::new();
        for (k, n) in left {
            for _ in 0..n {
                amounts.entry(k.5.clone()).or_default().push(k.clone());
            }
        }
        for (key, verified) in inexact {
            match amounts.get_mut(&key.5).and_then(Vec::pop) {
                Some(_) => self.label_wrong.push(key),
                None => {
                    if verified {
                        self.amount_wrong_verified.push(key.clone());
                    }
                    self.amount_wrong.push(key);
                }
            }
        }
        // The truth's figures no record has the amount of: not read.
        let mut not_read: Vec<Key> = amounts.into_values().flatten().collect();
        not_read.sort();
        self.not_read.extend(not_read);
        if let Some(run) = &reading.ocr {
            self.pages += run.pages.len() as u32;
            self.seconds += run.pages.iter().map(|p| p.seconds).sum::<f64>();
        }
    }

    fn share(&self, n: usize) -> f64 {
        n as f64 / self.truth.max(1) as f64
    }

    /// Prints the tally of `what` and returns what fails: fewer than `exact_floor` exact,
    /// fewer than `amounts_floor` (where given) with the right amount, any figure with a wrong
    /// amount verified.
    fn report(&self, what: &str, exact_floor: f64, amounts_floor: Option<f64>) -> Vec<String> {
        let amounts = self.exact + self.label_wrong.len();
        eprintln!(
            "{what}: {} figures: {} exact ({:.2} %), {} with the right amount ({:.2} %); \
             {} with something else misread, {} with a wrong amount ({} of them verified); \
             {} pages, {:.2} s/page",
            self.truth,
            self.exact,
            self.share(self.exact) * 100.0,
            amounts,
            self.share(amounts) * 100.0,
            self.label_wrong.len(),
            self.amount_wrong.len(),
            self.amount_wrong_verified.len(),
            self.pages,
            self.seconds / f64::from(self.pages.max(1))
        );
        for k in self.label_wrong.iter().chain(&self.amount_wrong).take(12) {
            eprintln!("  not exact: {k:?}");
        }
        for k in self.not_read.iter().take(12) {
            eprintln!("  not read: {k:?}");
        }
        let mut failures = Vec::new();
        if self.share(self.exact) < exact_floor {
            failures.push(format!(
                "{what}: {:.2} % exact",
                self.share(self.exact) * 100.0
            ));
        }
        if amounts_floor.is_some_and(|floor| self.share(amounts) < floor) {
            failures.push(format!(
                "{what}: {:.2} % amounts right",
                self.share(amounts) * 100.0
            ));
        }
        if !self.amount_wrong_verified.is_empty() {
            failures.push(format!(
                "{what}: figures with a wrong amount verified: {:?}",
                self.amount_wrong_verified
            ));
        }
        failures
    }
}

/// Floors just under what is measured (`docs/ocr.md`), by dpi: the share of figures read
/// exactly, label and all (PP-OCRv6 small with amounts misread by a separator or a speck
/// mended: all 315 of 315 at 150, 200 and 300 dpi; one figure fewer fails), and the share
/// found with the right amount at 200 dpi and above.
const EXACT: [(u32, f64); 3] = [(150, 0.997), (200, 0.997), (300, 0.997)];
const AMOUNTS: f64 = 0.997;
/// A second seed, at 200 dpi only (the resolution; ~1.5 min more): all 428 of its
/// figures exact since the code column mends `3021.1` (`docs/ocr.md`), so one lost fails.
const EXACT_SEED_7: [(u32, f64); 1] = [(200, 1.0)];

#[test]
fn generated_scans_read_exactly_or_flagged() {
    score_generated(2026, &EXACT);
}

#[test]
fn generated_scans_of_another_seed_read_exactly_or_flagged() {
    score_generated(7, &EXACT_SEED_7);
}

/// Whether `scripts/make-scans` can run here; says why not. A Chinese font is among its
/// tools: the generated budgets print STSong-Light without embedding it, and pdftoppm without
/// a CJK font draws empty boxes, which no OCR reads.
fn scan_tools() -> bool {
    let tools = Command::new("pdftoppm").arg("-v").output().is_ok()
        && Command::new("python3")
            .args(["-c", "import PIL"])
            .output()
            .is_ok_and(|o| o.status.success());
    if !tools {
        eprintln!("SKIPPED: scripts/make-scans needs pdftoppm (poppler-utils) and python3-pil");
        return false;
    }
    // fontconfig's own answer where it is installed (poppler finds its fonts through it).
    let no_chinese = Command::new("fc-list")
        .arg(":lang=zh")
        .output()
        .is_ok_and(|o| o.status.success() && o.stdout.is_empty());
    if no_chinese {
        eprintln!(
            "SKIPPED: scripts/make-scans needs a Chinese font for the generated budgets' \
             STSong-Light (apt-get install fonts-arphic-uming)"
        );
    }
    !no_chinese
}

/// Scans of `inputs` into `dir` by `scripts/make-scans` at `dpis` (comma-separated).
fn make_scans(dir: &Path, inputs: &[PathBuf], dpis: &str, seed: &str) {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/make-scans");
    common::run_ok(
        Command::new(script)
            .arg("--out")
            .arg(dir)
            .args(["--dpi", dpis, "--seed", seed])
            .args(inputs),
        "scripts/make-scans",
    );
}

/// Generates one budget of each layout family with `seed`, scans it at each dpi of `floors`
/// and scores the figures read against the generator's truth.
fn score_generated(seed: u64, floors: &[(u32, f64)]) {
    let Some(opts) = options() else { return };
    if !scan_tools() {
        return;
    }
    let dir =
        std::env::temp_dir().join(format!("cnbudget-ocr-scans-{seed}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    // One of each layout family: a Jiangsu budget with its function table ruled cell by cell
    // and one ruled only around the header, and a national-template budget.
    let generated = [
        cnbudget_synth::generate_with(seed, 1, false),
        cnbudget_synth::generate_with(seed, 5, false),
        cnbudget_synth::generate_national(seed, 0),
    ];
    let mut inputs = Vec::new();
    for g in &generated {
        let pdf = dir.join(format!("{}.pdf", g.stem));
        std::fs::write(&pdf, &g.pdf).expect("write the generated PDF");
        inputs.push(pdf);
    }
    let dpis: Vec<String> = floors.iter().map(|(d, _)| d.to_string()).collect();
    make_scans(&dir, &inputs, &dpis.join(","), "1");
    let mut failures = Vec::new();
    for &(dpi, exact_floor) in floors {
        let mut tally = Tally::default();
        for g in &generated {
            let name = format!("{}.{dpi}dpi.pdf", g.stem);
            let bytes = std::fs::read(dir.join(&name)).expect("the scan");
            let reading = cnbudget_pipeline::read(&bytes, &name, &opts);
            assert_eq!(reading.status, Status::Ok, "{name}: {:?}", reading.error);
            assert_eq!(reading.text_source.as_str(), "ocr", "{name}");
            let records = reading.records.as_ref().expect("records");
            assert!(records
                .line_items
                .iter()
                .all(|i| i.text_source.as_str() == "ocr" && i.ocr_confidence.is_some()));
            tally.add(truth_keys(&g.truth), &reading);
        }
        failures.extend(tally.report(
            &format!("seed {seed}, {dpi} dpi"),
            exact_floor,
            (dpi >= 200).then_some(AMOUNTS),
        ));
    }
    let _ = std::fs::remove_dir_all(&dir);
    assert!(failures.is_empty(), "{failures:#?}");
}

/// Real budgets of three provinces, each read well from its text layer, with the share of
/// their figures a 200 dpi scan of them must give exactly as the text layer does (floors just
/// under the measured: `docs/ocr.md` §"Real budgets, scanned"). Beijing's landscape pages
/// print small-print tables ruled in grey hairlines: its grid came out in pieces until the
/// rulings were looked for against the paper rather than the ink (7.8 % exact before).
const REAL_SCANS: [(&str, f64); 3] = [
    ("014_无锡/6925d6c5", 0.995),
    ("077_珠海/f36cf71f", 0.99),
    ("002_北京/a2df391a", 0.97),
];

#[test]
fn real_budgets_scanned_read_as_from_their_text_layer() {
    let Some(opts) = options() else { return };
    let files: Vec<(&str, f64, PathBuf)> = REAL_SCANS
        .iter()
        .filter_map(|(id, floor)| match national_file(id) {
            Some(p) => Some((*id, *floor, p)),
            None => {
                eprintln!("SKIPPED: {id} is not in ../shared/corpus/national");
                None
            }
        })
        .collect();
    if files.is_empty() {
        eprintln!("SKIPPED: ../shared/corpus/national is absent (never committed here)");
        return;
    }
    if !scan_tools() {
        return;
    }
    let dir = std::env::temp_dir().join(format!("cnbudget-real-scans-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let inputs: Vec<PathBuf> = files.iter().map(|(_, _, p)| p.clone()).collect();
    make_scans(&dir, &inputs, "200", "8");
    let mut failures = Vec::new();
    for (id, floor, path) in &files {
        let text_layer = cnbudget_pipeline::read_file(path, id, &Options::default());
        let truth = keys_by(
            text_layer
                .records
                .as_ref()
                .expect("records of the text layer"),
            Label::Named,
        );
        let stem = path.file_stem().expect("a file name").to_string_lossy();
        let name = format!("{stem}.200dpi.pdf");
        let reading = cnbudget_pipeline::read_file(&dir.join(&name), &name, &opts);
        assert_eq!(reading.status, Status::Ok, "{id}: {:?}", reading.error);
        assert_eq!(reading.text_source.as_str(), "ocr", "{id}");
        let mut tally = Tally {
            label: Label::Named,
            ..Tally::default()
        };
        tally.add(truth, &reading);
        failures.extend(tally.report(
            &format!("{id}, 200 dpi, against its text layer"),
            *floor,
            None,
        ));
    }
    let _ = std::fs::remove_dir_all(&dir);
    assert!(failures.is_empty(), "{failures:#?}");
}

/// The national sample's scanned documents (`docs/ocr.md`), with the status each must get,
/// checked by looking at their pages: one budget narrative (情况说明, its tables in another
/// file), and notices, regulations and reports that mention money but print no budget table.
const NATIONAL_SCANS: [(&str, Status); 9] = [
    ("002_北京/2835cde9", Status::Ok),
    ("042_榆林/62c1d6d5", Status::NotABudget),
    ("042_榆林/a366afc7", Status::NotABudget),
    ("067_保定/bde35413", Status::NotABudget),
    ("015_长沙/f036352b", Status::NotABudget),
    ("015_长沙/00becd29", Status::NotABudget),
    ("015_长沙/ec7edf3e", Status::NotABudget),
    ("089_株洲/fed53f98", Status::NotABudget),
    ("080_江门/14588c4a", Status::NotABudget),
];

fn national_file(id: &str) -> Option<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/national");
    let (folder, hash) = id.split_once('/')?;
    std::fs::read_dir(root.join(folder))
        .ok()?
        .flatten()
        .map(|e| e.path())
        .find(|p| common::name(p).starts_with(hash))
}

#[test]
fn national_scans_are_read_by_ocr() {
    let Some(opts) = options() else { return };
    let files: Vec<(&str, Status, PathBuf)> = NATIONAL_SCANS
        .iter()
        .filter_map(|(id, status)| national_file(id).map(|p| (*id, *status, p)))
        .collect();
    if files.is_empty() {
        eprintln!("SKIPPED: ../shared/corpus/national is absent (never committed here)");
        return;
    }
    let (mut figures, mut verified) = (0, 0);
    eprintln!("| document | status | tables | figures | verified | pages | s/page |");
    for (id, status, path) in &files {
        let reading = cnbudget_pipeline::read_file(path, id, &opts);
        let run = reading.ocr.as_ref();
        let pages = run.map_or(0, |r| r.pages.len());
        let seconds: f64 = run.map_or(0.0, |r| r.pages.iter().map(|p| p.seconds).sum());
        let (n, v) = reading.ocr_figures();
        let tables = reading.records.as_ref().map_or(0, |r| r.tables.len());
        eprintln!(
            "| {id} | {} | {tables} | {n} | {v} ({:.1} %) | {pages} | {:.1} |",
            reading.status.as_str(),
            v as f64 * 100.0 / n.max(1) as f64,
            seconds / pages.max(1) as f64
        );
        if let Some(e) = &reading.error {
            eprintln!("    {e}");
        }
        // Every one is a scan (长沙 f036352b prints one page's line of text as text: mixed):
        // OCR reads its pages, and what it reads tells what it is.
        assert_eq!(reading.status, *status, "{id}: {:?}", reading.error);
        assert!(pages > 0, "{id}: no page read by OCR");
        assert_ne!(reading.text_source.as_str(), "text_layer", "{id}");
        figures += n;
        verified += v;
    }
    eprintln!(
        "national scans: {verified} of {figures} OCR figures verified ({:.1} %)",
        verified as f64 * 100.0 / figures.max(1) as f64
    );
}
