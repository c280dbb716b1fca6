//! The national sample (`../shared/corpus/national`, 75 real PDFs of 17 cities in 8
//! provinces, never committed): each document's status, fiscal year and department against
//! the list read off every cover by hand (`tests/expected/national/covers.tsv`), and the
//! dataset's own instruments — figures in tables of kind `other`, figures verified, identities
//! failing — held at least where they stand (`docs/national.md`).

mod common;

use cnbudget_dataset::read_table;
use polars::prelude::*;
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

fn strings(df: &DataFrame, column: &str) -> Vec<Option<String>> {
    let s = df.column(column).unwrap().str().unwrap();
    (0..s.len()).map(|i| s.get(i).map(str::to_string)).collect()
}

/// One row of covers.tsv: column name → value.
fn covers() -> BTreeMap<String, BTreeMap<String, String>> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/expected/national/covers.tsv");
    let text = std::fs::read_to_string(path).unwrap();
    let mut lines = text.lines();
    let head: Vec<&str> = lines.next().unwrap().split('\t').collect();
    lines
        .map(|l| {
            let row: BTreeMap<String, String> = head
                .iter()
                .zip(l.split('\t'))
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
            (row["path"].clone(), row)
        })
        .collect()
}

#[test]
fn national_sample_against_its_covers() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/national");
    if !dir.is_dir() {
        eprintln!(
            "SKIPPED: {} is absent (the national sample lives beside the clone)",
            dir.display()
        );
        return;
    }
    let out = std::env::temp_dir().join(format!("cnbudget-national-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    let run = Command::new(env!("CARGO_BIN_EXE_cnbudget"))
        .arg("extract")
        .arg(&dir)
        .arg("--out")
        .arg(out.join("dataset"))
        .arg("--quiet")
        .output()
        .unwrap();
    assert_eq!(
        run.status.code(),
        Some(2),
        "scans and non-budgets are not ok"
    );
    let ds = out.join("dataset");
    let documents = read_table(&ds, "documents").unwrap();
    let expected = covers();
    let (paths, statuses, departments, errors) = (
        strings(&documents, "path"),
        strings(&documents, "status"),
        strings(&documents, "department"),
        strings(&documents, "error"),
    );
    let years = documents
        .column("fiscal_year")
        .unwrap()
        .u32()
        .unwrap()
        .clone();
    let mut wrong: Vec<String> = Vec::new();
    for i in 0..documents.height() {
        let path = paths[i].clone().unwrap();
        let e = &expected[&path];
        let status = statuses[i].as_deref().unwrap();
        let want = match (e["status"].as_str(), e["text_layer"].as_str()) {
            (_, "no") => "no_text_layer",
            ("budget", _) => "ok",
            _ => "not_a_budget",
        };
        if status != want {
            wrong.push(format!(
                "{path}: status {status}, cover says {want} ({:?})",
                errors[i]
            ));
        }
        if want != "ok" {
            continue;
        }
        let year = years.get(i).map(|y| y.to_string()).unwrap_or_default();
        if year != e["fiscal_year"] {
            wrong.push(format!(
                "{path}: year {year}, cover says {}",
                e["fiscal_year"]
            ));
        }
        let key = cnbudget_grammar::department_key(&e["department"]);
        if departments[i].as_deref() != Some(key.as_str()) {
            wrong.push(format!(
                "{path}: department {:?}, cover says {key}",
                departments[i]
            ));
        }
    }
    // Known and left (docs/national.md): a 长沙 performance-evaluation report prints budget
    // tables (收支总表 …) and reads as a budget; a 长沙 scan carries a 15-character text layer
    // (a file number) and reads as a document, not as a scan.
    let known = ["3ce00468", "f036352b"];
    let unexpected: Vec<&String> = wrong
        .iter()
        .filter(|w| !known.iter().any(|k| w.contains(k)))
        .collect();
    assert!(unexpected.is_empty(), "{unexpected:#?}");
    assert_eq!(wrong.len(), known.len(), "{wrong:#?}");

    let items = read_table(&ds, "line_items").unwrap();
    let n = items.height() as f64;
    let other = strings(&items, "table_kind")
        .iter()
        .filter(|k| k.as_deref() == Some("other"))
        .count() as f64;
    let verified = items
        .column("verified")
        .unwrap()
        .bool()
        .unwrap()
        .sum()
        .unwrap_or(0) as f64;
    let checked: u32 = documents
        .column("checks")
        .unwrap()
        .u32()
        .unwrap()
        .sum()
        .unwrap();
    let failing: u32 = documents
        .column("check_errors")
        .unwrap()
        .u32()
        .unwrap()
        .sum()
        .unwrap();
    println!(
        "national: {n} figures, other {:.1} %, verified {:.1} %, identities failing {failing} of {checked} ({:.1} %)",
        100.0 * other / n,
        100.0 * verified / n,
        100.0 * f64::from(failing) / f64::from(checked)
    );
    // Where the reading stands now (issue #12 asks for ≤ 2 % other and ≤ 0.5 % failing): a
    // change that reads worse fails here.
    assert!(other / n <= 0.06, "other {other} of {n}");
    assert!(verified / n >= 0.70, "verified {verified} of {n}");
    assert!(
        f64::from(failing) / f64::from(checked) <= 0.04,
        "{failing} of {checked}"
    );
    let _ = std::fs::remove_dir_all(&out);
}
