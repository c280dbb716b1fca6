//! Every figure of the generated documents found, none invented: the committed corpus read
//! in process (precision and recall printed; both must be 100 %), and 300 documents generated
//! here and read by `cnbudget extract` into a dataset. The generator's account of each column
//! (`cnbudget_synth::Col`) is the independent path.

mod common;

use cnbudget_dataset::read_table;
use cnbudget_synth::Truth;
use common::score::{label, record_keys, truth_keys, Key, Score};
use polars::prelude::*;
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::path::Path;

#[test]
fn committed_corpus_figures_all_found_none_invented() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let mut score = Score::default();
    let mut docs = 0;
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().ends_with(".truth.json"))
        .collect();
    files.sort();
    for truth_file in files {
        let truth: Truth =
            serde_json::from_str(&std::fs::read_to_string(&truth_file).unwrap()).unwrap();
        let pdf = std::fs::read(dir.join(&truth.file)).unwrap();
        let records = common::records(&pdf, &truth.file);
        score.add(&truth.file, truth_keys(&truth), record_keys(&records));
        docs += 1;
    }
    assert!(docs >= 9, "{docs} documents in corpus/");
    score.report(&format!("corpus/ ({docs} documents)"));
}

#[test]
fn three_hundred_generated_documents_through_extract() {
    let dir = std::env::temp_dir().join(format!("cnbudget-truth-300-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let input = dir.join("in");
    std::fs::create_dir_all(&input).unwrap();
    let mut truths = BTreeMap::new();
    for index in 0..300 {
        let g = cnbudget_synth::generate(300, index);
        std::fs::write(input.join(&g.truth.file), &g.pdf).unwrap();
        truths.insert(g.truth.file.clone(), g.truth);
    }
    let out = dir.join("out");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_cnbudget"))
        .args(["extract", "--quiet", "--out"])
        .arg(&out)
        .arg(&input)
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(0));
    let docs = read_table(&out, "documents").unwrap();
    let items = read_table(&out, "line_items").unwrap();
    let text = |df: &DataFrame, c: &str| -> Vec<Option<String>> {
        let s = df.column(c).unwrap().str().unwrap();
        (0..s.len()).map(|i| s.get(i).map(str::to_string)).collect()
    };
    let path_of: BTreeMap<String, String> = text(&docs, "doc_id")
        .into_iter()
        .zip(text(&docs, "path"))
        .map(|(id, p)| (id.unwrap(), p.unwrap()))
        .collect();
    let yuan = items
        .column("amount_yuan")
        .unwrap()
        .decimal()
        .unwrap()
        .physical()
        .clone();
    let mut found: BTreeMap<String, Vec<Key>> = BTreeMap::new();
    let columns = [
        "doc_id",
        "table_kind",
        "side",
        "item_name_raw",
        "measure",
        "basis",
    ]
    .map(|c| text(&items, c));
    for row in 0..yuan.len() {
        let y = yuan.get(row);
        let doc = path_of[columns[0][row].as_deref().unwrap()].clone();
        found.entry(doc).or_default().push((
            columns[1][row].clone().unwrap(),
            columns[2][row].clone(),
            label(columns[3][row].as_deref().unwrap()),
            columns[4][row].clone().unwrap_or_default(),
            columns[5][row].clone().unwrap_or_default(),
            y.map_or(String::new(), |v| {
                Decimal::from_i128_with_scale(v, 4).normalize().to_string()
            }),
        ));
    }
    let mut score = Score::default();
    for (file, truth) in &truths {
        score.add(
            file,
            truth_keys(truth),
            found.remove(file).unwrap_or_default(),
        );
    }
    score.report("300 generated documents through extract");
    let _ = std::fs::remove_dir_all(&dir);
}
