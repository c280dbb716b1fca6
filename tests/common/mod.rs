//! Shared helpers of the end-to-end tests: where the real corpus is, and peers on PATH.
#![allow(dead_code)] // each test binary uses its own subset

pub mod score;

use std::path::{Path, PathBuf};
use std::process::Command;

/// The real Jiangsu PDFs beside the clone (`../shared/corpus/real`), never committed here.
/// `None`, with a message saying why the test is skipped, where the folder is absent.
pub fn real_corpus() -> Option<Vec<PathBuf>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/real");
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(&dir)
        .into_iter()
        .flatten()
        .map(walkdir::DirEntry::into_path)
        .filter(|p| p.extension().is_some_and(|x| x.eq_ignore_ascii_case("pdf")))
        .collect();
    if files.is_empty() {
        eprintln!(
            "SKIPPED: no PDFs under {} (the real corpus lives beside the clone, not in it)",
            dir.display()
        );
        return None;
    }
    files.sort();
    Some(files)
}

/// One PDF's bytes through the whole pipeline to its normalised records, by the library entry
/// point `extract` uses (every page must read).
pub fn records(pdf: &[u8], name: &str) -> cnbudget_normalize::DocumentRecords {
    let reading = cnbudget_pipeline::read(pdf, name, &Default::default());
    assert!(
        matches!(
            reading.status,
            cnbudget_pipeline::Status::Ok | cnbudget_pipeline::Status::NotABudget
        ),
        "{name}: {:?}",
        reading.error
    );
    reading.records.expect("records of a readable document")
}

/// Whether poppler's `pdftotext` can be run; prints why a test is skipped when not.
pub fn have_pdftotext() -> bool {
    let ok = Command::new("pdftotext").arg("-v").output().is_ok();
    if !ok {
        eprintln!("SKIPPED: pdftotext not found (apt-get install -y poppler-utils)");
    }
    ok
}

/// Runs `cmd` (`what` names it in failures); it must succeed. Its standard output.
pub fn run_ok(cmd: &mut Command, what: &str) -> Vec<u8> {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("{what} does not run: {e}"));
    assert!(
        out.status.success(),
        "{what} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// `pdftotext -layout FILE -`, split into pages at form feeds.
pub fn pdftotext_pages(file: &Path) -> Vec<String> {
    let out = run_ok(
        Command::new("pdftotext").arg("-layout").arg(file).arg("-"),
        &format!("pdftotext on {}", file.display()),
    );
    split_pages(&String::from_utf8_lossy(&out))
}

/// `cnbudget ARGS…`, stdout as text; the command must succeed.
pub fn cnbudget(args: &[&std::ffi::OsStr]) -> String {
    let out = run_ok(
        Command::new(env!("CARGO_BIN_EXE_cnbudget")).args(args),
        &format!("cnbudget {args:?}"),
    );
    String::from_utf8(out).expect("cnbudget prints UTF-8")
}

/// Pages of a text dump separated by form feeds (the trailing one ends the last page).
pub fn split_pages(text: &str) -> Vec<String> {
    let mut pages: Vec<String> = text.split('\x0c').map(str::to_string).collect();
    if pages.last().is_some_and(|p| p.trim().is_empty()) {
        pages.pop();
    }
    pages
}

/// The file's name for messages.
pub fn name(file: &Path) -> String {
    file.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}
