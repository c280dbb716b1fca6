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
    let (paths, statuses, departments, errors, units) = (
        strings(&documents, "path"),
        strings(&documents, "status"),
        strings(&documents, "department"),
        strings(&documents, "error"),
        strings(&documents, "unit"),
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
        // A scan of a non-budget whose pages carry a few characters of text (长沙 f036352b: a
        // file number over the image) is read as what it is, a non-budget.
        let scanned_non_budget = e["text_layer"] == "no" && e["status"] == "not_a_budget";
        if status != want && !(scanned_non_budget && status == "not_a_budget") {
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
        // The unit most tables print; a cover listing tables in two units (Xi'an: `mixed`)
        // has its unit per table.
        let unit = &e["unit"];
        if !unit.is_empty() && !unit.starts_with("mixed") && units[i].as_deref() != Some(unit) {
            wrong.push(format!("{path}: unit {:?}, cover says {unit}", units[i]));
        }
        let key = cnbudget_grammar::department_key(&e["department"]);
        if departments[i].as_deref() != Some(key.as_str()) {
            wrong.push(format!(
                "{path}: department {:?}, cover says {key}",
                departments[i]
            ));
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");

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
    assert!(other / n <= 0.01, "other {other} of {n}");
    assert!(verified / n >= 0.83, "verified {verified} of {n}");
    assert!(
        f64::from(failing) / f64::from(checked) <= 0.005,
        "{failing} of {checked}"
    );
    let _ = std::fs::remove_dir_all(&out);
}

/// One figure keyed by hand: page, kind, side, code, measure, basis, exact yuan.
struct Keyed {
    page: u32,
    kind: String,
    side: String,
    /// Empty where the row prints none.
    code: String,
    measure: String,
    /// Keyed for final accounts only (`budget` / `final`); empty: not compared.
    basis: String,
    yuan: rust_decimal::Decimal,
}

fn keyed(path: &Path) -> Vec<Keyed> {
    let text = std::fs::read_to_string(path).unwrap();
    let mut lines = text.lines().filter(|l| !l.starts_with('#'));
    let head: Vec<&str> = lines.next().unwrap().split('\t').collect();
    let col = |name: &str| head.iter().position(|h| *h == name);
    let (page, kind, side, code, measure, yuan) = (
        col("page").unwrap(),
        col("table_kind").unwrap(),
        col("side").unwrap(),
        col("code").unwrap(),
        col("measure").unwrap(),
        col("amount_yuan").unwrap(),
    );
    let basis = col("basis");
    lines
        .map(|l| l.split('\t').collect::<Vec<_>>())
        .map(|f| Keyed {
            page: f[page].parse().unwrap(),
            kind: f[kind].to_string(),
            side: f[side].to_string(),
            code: f[code].to_string(),
            measure: f[measure].to_string(),
            basis: basis.map_or(String::new(), |b| f[b].to_string()),
            yuan: f[yuan].parse().unwrap(),
        })
        .collect()
}

/// Figure level (issue #12): every figure of one budget per province keyed by hand
/// (`tests/expected/national/keyed`) against what cnbudget reads — found on its page with
/// its exact amount, in a table of the right kind, in the right column. Performance forms'
/// figures are left out (cnbudget reads them as targets, not line items). Where the reading
/// stands is held (`docs/national.md`); the issue asks for 99.5 %.
#[test]
fn keyed_documents_figure_level() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/national");
    if !dir.is_dir() {
        eprintln!("SKIPPED: {} is absent", dir.display());
        return;
    }
    let keyed_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/expected/national/keyed");
    let files: BTreeMap<String, std::path::PathBuf> = walk(&dir)
        .into_iter()
        .map(|p| (common::name(&p)[..8].to_string(), p))
        .collect();
    let (mut keyed_n, mut right, mut ours_n, mut ours_right) = (0usize, 0usize, 0usize, 0usize);
    for entry in std::fs::read_dir(&keyed_dir).unwrap().flatten() {
        let sha = common::name(&entry.path())[..8].to_string();
        let figures: Vec<Keyed> = keyed(&entry.path())
            .into_iter()
            .filter(|k| !k.kind.contains("performance"))
            .collect();
        let pdf = &files[&sha];
        let reading = cnbudget_pipeline::read_file(pdf, &sha, &Default::default());
        let items = reading.records.unwrap().line_items;
        let pages: std::collections::BTreeSet<u32> = figures.iter().map(|k| k.page).collect();
        let on_pages: Vec<_> = items.iter().filter(|i| pages.contains(&i.page)).collect();
        let is = |i: &cnbudget_normalize::LineItem, k: &Keyed| {
            i.page == k.page && i.amount_yuan.map(|y| y.normalize()) == Some(k.yuan.normalize())
        };
        let found = figures
            .iter()
            .filter(|k| {
                on_pages.iter().any(|i| {
                    let side = i.side.map_or("", |s| match s {
                        cnbudget_grammar::Side::Income => "income",
                        cnbudget_grammar::Side::Expenditure => "expenditure",
                    });
                    is(i, k)
                        && i.table_kind.key() == k.kind
                        && i.measure.map_or("", |m| m.key()) == k.measure
                        && (k.side.is_empty() || side == k.side)
                        && (k.code.is_empty() || i.item_code.as_deref() == Some(k.code.as_str()))
                        && (k.basis.is_empty() || <&str>::from(i.basis) == k.basis)
                })
            })
            .count();
        let confirmed = on_pages
            .iter()
            .filter(|i| figures.iter().any(|k| is(i, k)))
            .count();
        println!(
            "{sha}: {found} of {} keyed figures read right; {confirmed} of {} read on their pages are keyed",
            figures.len(),
            on_pages.len()
        );
        // The final account keyed (issue #15 asks ≥ 99.5 % both ways on it).
        if sha == "3bffe247" {
            assert!(
                found as f64 >= 0.995 * figures.len() as f64
                    && confirmed as f64 >= 0.995 * on_pages.len() as f64,
                "{sha}: {found} of {}, {confirmed} of {}",
                figures.len(),
                on_pages.len()
            );
        }
        (keyed_n, right, ours_n, ours_right) = (
            keyed_n + figures.len(),
            right + found,
            ours_n + on_pages.len(),
            ours_right + confirmed,
        );
    }
    let (recall, precision) = (
        right as f64 / keyed_n as f64,
        ours_right as f64 / ours_n as f64,
    );
    println!(
        "keyed: recall {:.1} % ({right} of {keyed_n}), precision {:.1} % ({ours_right} of {ours_n})",
        100.0 * recall,
        100.0 * precision
    );
    assert!(keyed_n > 1_000, "{keyed_n} keyed figures");
    // Issue #12 asks ≥ 99.5 % both ways.
    assert!(recall >= 0.995, "recall {recall}");
    assert!(precision >= 0.995, "precision {precision}");
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect()
}

/// The two final accounts (决算) of the sample (issue #15): read as final accounts; the
/// Foshan one (its every figure keyed by hand in `keyed/3bffe247.tsv`) with no table of kind
/// `other` and every identity holding; the Xi'an one saying in its list of tables that it
/// publishes the 国有资本经营 table empty, every table of its family read, ≤ 0.5 % of its
/// identities failing.
#[test]
fn final_accounts_of_the_sample() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/national");
    if !dir.is_dir() {
        eprintln!("SKIPPED: {} is absent", dir.display());
        return;
    }
    let files: BTreeMap<String, std::path::PathBuf> = walk(&dir)
        .into_iter()
        .map(|p| (common::name(&p)[..8].to_string(), p))
        .collect();
    let read = |sha: &str| cnbudget_pipeline::read_file(&files[sha], sha, &Default::default());
    let foshan = read("3bffe247");
    let records = foshan.records.as_ref().unwrap();
    assert_eq!(records.phase, cnbudget_grammar::Phase::FinalAccount);
    assert!(records
        .line_items
        .iter()
        .all(|i| i.table_kind != cnbudget_grammar::TableKind::Other));
    assert_eq!(foshan.audit.held, foshan.audit.checked);
    assert!(foshan.audit.checked > 250, "{}", foshan.audit.checked);
    let xian = read("d504cbd6");
    let records = xian.records.as_ref().unwrap();
    assert_eq!(records.phase, cnbudget_grammar::Phase::FinalAccount);
    let empty: Vec<_> = records.empty_tables.iter().map(|e| e.kind).collect();
    assert_eq!(
        empty,
        [cnbudget_grammar::TableKind::StateCapitalExpenditure]
    );
    // Every table of the family recognised; the two identities left failing are on its
    // transposed 三公 table (docs/final_accounts.md): issue #15 asks ≤ 0.5 %.
    let kinds: std::collections::BTreeSet<&str> = records
        .line_items
        .iter()
        .filter(|i| i.page >= 146)
        .map(|i| i.table_kind.key())
        .collect();
    for kind in [
        "summary",
        "revenue",
        "expenditure",
        "fiscal_summary",
        "general_expenditure",
        "general_basic_expenditure",
        "gov_fund_expenditure",
        "three_public",
    ] {
        assert!(kinds.contains(kind), "{kind} not read: {kinds:?}");
    }
    let other = records
        .line_items
        .iter()
        .filter(|i| i.table_kind == cnbudget_grammar::TableKind::Other)
        .count();
    assert!(
        other as f64 <= 0.02 * records.line_items.len() as f64,
        "{other} of {} in other",
        records.line_items.len()
    );
    let failing = xian.audit.checked - xian.audit.held;
    assert!(
        f64::from(failing) / f64::from(xian.audit.checked) <= 0.005,
        "{failing} of {}",
        xian.audit.checked
    );
}
