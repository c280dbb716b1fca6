//! `cnbudget extract` end to end: the embedded corpus, the real corpus, bad input, shards and
//! merge, resume, and byte-identical reruns.

mod common;

use cnbudget_dataset::read_table;
use common::{name, real_corpus};
use polars::prelude::*;
use std::path::{Path, PathBuf};
use std::process::Command;

fn tmp(label: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cnbudget-test-{label}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs `cnbudget extract`; returns its exit code and stdout.
fn extract(args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_cnbudget"))
        .arg("extract")
        .args(args)
        .output()
        .expect("cnbudget runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr),
    )
}

fn strings(df: &DataFrame, column: &str) -> Vec<Option<String>> {
    let s = df.column(column).unwrap().str().unwrap();
    (0..s.len()).map(|i| s.get(i).map(str::to_string)).collect()
}

/// Amounts as hundredths of a yuan (the column's scale is 4).
fn yuan_hundredths(df: &DataFrame, column: &str) -> Vec<Option<i128>> {
    let d = df.column(column).unwrap().decimal().unwrap().physical();
    (0..d.len()).map(|i| d.get(i).map(|v| v / 100)).collect()
}

/// The line item of a document matching item and measure.
fn figure(items: &DataFrame, doc: &str, kind: &str, item: &str, measure: &str) -> Option<i128> {
    let (docs, kinds, names, measures) = (
        strings(items, "doc_id"),
        strings(items, "table_kind"),
        strings(items, "item_name"),
        strings(items, "measure"),
    );
    let amounts = yuan_hundredths(items, "amount_yuan");
    (0..items.height())
        .find(|&i| {
            docs[i].as_deref() == Some(doc)
                && kinds[i].as_deref() == Some(kind)
                && names[i].as_deref() == Some(item)
                && measures[i].as_deref() == Some(measure)
        })
        .and_then(|i| amounts[i])
}

fn doc_id(documents: &DataFrame, path_suffix: &str) -> String {
    let (ids, paths) = (strings(documents, "doc_id"), strings(documents, "path"));
    (0..documents.height())
        .find(|&i| {
            paths[i]
                .as_deref()
                .is_some_and(|p| p.ends_with(path_suffix))
        })
        .and_then(|i| ids[i].clone())
        .expect("document listed")
}

/// README's first command over the committed corpus; the dataset read back.
#[test]
fn embedded_corpus_to_dataset() {
    let out = tmp("corpus").join("dataset");
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let (code, stdout) = extract(&[corpus.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert_eq!(code, 0, "{stdout}");
    assert!(
        stdout.contains("documents: 9") && stdout.contains("ok"),
        "summary printed: {stdout}"
    );
    let documents = read_table(&out, "documents").unwrap();
    assert_eq!(documents.height(), 9);
    assert!(strings(&documents, "status")
        .iter()
        .all(|s| s.as_deref() == Some("ok")));
    let items = read_table(&out, "line_items").unwrap();
    // Every figure of the generated tables is a record: the ground truth counts them.
    let truth_figures: usize = std::fs::read_dir(&corpus)
        .unwrap()
        .flatten()
        .filter(|e| e.path().to_string_lossy().ends_with(".truth.json"))
        .map(|e| {
            serde_json::from_slice::<cnbudget_synth::Truth>(&std::fs::read(e.path()).unwrap())
                .unwrap()
        })
        .flat_map(|t| t.tables)
        .filter(|t| !t.title.contains("绩效目标"))
        .flat_map(|t| t.body)
        .flatten()
        .filter(|cell| {
            cnbudget_grammar::parse_amount(cell)
                .ok()
                .flatten()
                .is_some()
                && !(cell.len() >= 3 && cell.bytes().all(|b| b.is_ascii_digit()))
        })
        .count();
    assert_eq!(
        items.height(),
        truth_figures,
        "one record per printed figure"
    );
    let seed = doc_id(&documents, "shaoxing-2021.pdf");
    assert_eq!(
        figure(&items, &seed, "summary", "一般公共预算拨款收入", "total"),
        Some(506_809_982)
    );
    assert_eq!(
        figure(
            &items,
            &seed,
            "general_basic_expenditure",
            "基本工资",
            "basic.personnel"
        ),
        Some(33_051_600)
    );
    assert_eq!(
        read_table(&out, "performance_targets").unwrap().height(),
        15
    );
    assert!(read_table(&out, "facts").unwrap().height() >= 20);
    // The audit's findings: the seed's ten errors (docs/audit.md), nothing in the rest.
    let checks = read_table(&out, "checks").unwrap();
    let (ids, severities) = (strings(&checks, "doc_id"), strings(&checks, "severity"));
    assert_eq!(checks.height(), 10);
    assert!(ids.iter().all(|d| d.as_deref() == Some(seed.as_str())));
    assert!(severities.iter().all(|s| s.as_deref() == Some("error")));
    let seed_row = strings(&documents, "doc_id")
        .iter()
        .position(|d| d.as_deref() == Some(seed.as_str()))
        .unwrap();
    let errors = documents.column("check_errors").unwrap().u32().unwrap();
    let checked = documents.column("checks").unwrap().u32().unwrap();
    assert_eq!(errors.get(seed_row), Some(10));
    assert_eq!(errors.sum(), Some(10));
    assert!((0..documents.height()).all(|r| checked.get(r).unwrap_or(0) >= 60));
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["counts"]["documents"], 9);
}

/// The real corpus: every document ok, department and year right, the family of tables
/// found, and the figures verified in the grammar issue present with exact yuan.
#[test]
fn real_corpus_to_dataset() {
    let Some(files) = real_corpus() else { return };
    let root = files[0].parent().and_then(Path::parent).unwrap();
    let out = tmp("real").join("dataset");
    let (code, stdout) = extract(&[
        root.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--quiet",
    ]);
    assert_eq!(code, 0, "{stdout}");
    let documents = read_table(&out, "documents").unwrap();
    assert_eq!(documents.height(), 14);
    assert!(strings(&documents, "status")
        .iter()
        .all(|s| s.as_deref() == Some("ok")));
    let departments: std::collections::BTreeSet<String> = strings(&documents, "department")
        .into_iter()
        .flatten()
        .collect();
    assert_eq!(departments.len(), 5, "{departments:?}");
    let items = read_table(&out, "line_items").unwrap();
    let jcy = doc_id(&documents, "2018年省检察院部门预算公开.pdf");
    assert_eq!(
        figure(&items, &jcy, "summary", "收入合计", "total"),
        Some(21_955_350_000)
    );
    assert_eq!(
        figure(&items, &jcy, "three_public", "", "three_public"),
        Some(484_300_000),
        "484.30 万元"
    );
    let rd = doc_id(&documents, "江苏省人大办公厅2017年度预算公开.pdf");
    assert_eq!(
        figure(&items, &rd, "summary", "社会保障和就业支出", "total"),
        Some(1_608_510_000),
        "1,608.51 万元, the row cut by the page break"
    );
    println!(
        "{} documents, {} line items",
        documents.height(),
        items.height()
    );
    let _ = name(&files[0]);
}

/// A folder of good PDFs and broken ones: each bad one gets its status and a clear error,
/// the good ones are all written, exit status 2.
#[test]
fn bad_input_is_recorded_and_the_batch_goes_on() {
    let dir = tmp("bad");
    let input = dir.join("in");
    std::fs::create_dir_all(&input).unwrap();
    let good = cnbudget_synth::generate(5, 0);
    std::fs::write(input.join("good-1.pdf"), &good.pdf).unwrap();
    std::fs::write(input.join("good-2.PDF"), cnbudget_synth::generate(5, 1).pdf).unwrap();
    std::fs::write(input.join("truncated.pdf"), &good.pdf[..good.pdf.len() / 3]).unwrap();
    std::fs::write(
        input.join("not-a-pdf.pdf"),
        b"<html><body>404 Not Found</body></html>",
    )
    .unwrap();
    std::fs::write(input.join("empty.pdf"), b"").unwrap();
    std::fs::write(input.join("locked.pdf"), locked_pdf()).unwrap();
    std::fs::write(input.join("scanned.pdf"), image_only_pdf()).unwrap();
    let out = dir.join("dataset");
    let (code, stdout) = extract(&[input.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert_eq!(code, 2, "{stdout}");
    let documents = read_table(&out, "documents").unwrap();
    let (paths, statuses, errors) = (
        strings(&documents, "path"),
        strings(&documents, "status"),
        strings(&documents, "error"),
    );
    let status = |file: &str| {
        (0..documents.height())
            .find(|&i| paths[i].as_deref() == Some(file))
            .map(|i| {
                (
                    statuses[i].clone().unwrap(),
                    errors[i].clone().unwrap_or_default(),
                )
            })
            .unwrap()
    };
    assert_eq!(status("good-1.pdf").0, "ok");
    assert_eq!(status("good-2.PDF").0, "ok", "*.pdf in any case");
    assert_eq!(
        status("not-a-pdf.pdf"),
        (
            "failed".into(),
            "not-a-pdf.pdf: not a PDF (no %PDF- header)".into()
        )
    );
    assert_eq!(
        status("empty.pdf"),
        (
            "failed".into(),
            "empty.pdf: not a PDF (no %PDF- header)".into()
        )
    );
    assert_eq!(
        status("locked.pdf"),
        (
            "encrypted".into(),
            "locked.pdf: encrypted, a user password is required".into()
        )
    );
    assert_eq!(status("scanned.pdf").0, "no_text_layer");
    let truncated = status("truncated.pdf");
    assert!(
        truncated.0 != "ok" || truncated.1.is_empty(),
        "{truncated:?}"
    );
    assert!(
        truncated.1.is_empty() || truncated.1.starts_with("truncated.pdf"),
        "{truncated:?}"
    );
    let items = read_table(&out, "line_items").unwrap();
    let ok_docs: Vec<String> = (0..documents.height())
        .filter(|&i| statuses[i].as_deref() == Some("ok"))
        .filter_map(|i| strings(&documents, "doc_id")[i].clone())
        .collect();
    assert!(
        ok_docs.len() >= 2
            && strings(&items, "doc_id")
                .iter()
                .flatten()
                .any(|d| d == &ok_docs[0]),
        "the good documents' records are written"
    );
    assert!(stdout.contains("not ok: locked.pdf"), "{stdout}");
}

/// A one-page PDF drawing `content` with `resources`.
fn one_page(content: &[u8], resources: lopdf::Dictionary) -> lopdf::Document {
    use lopdf::{dictionary, Document, Object, Stream};
    let mut doc = Document::with_version("1.5");
    let pages = doc.new_object_id();
    let content = doc.add_object(Stream::new(dictionary! {}, content.to_vec()));
    let page = doc.add_object(dictionary! { "Type" => "Page", "Parent" => pages, "Contents" => content, "Resources" => resources, "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()] });
    doc.objects.insert(
        pages,
        Object::Dictionary(
            dictionary! { "Type" => "Pages", "Kids" => vec![page.into()], "Count" => 1 },
        ),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages });
    doc.trailer.set("Root", catalog);
    let id = Object::string_literal("cnbudget-test");
    doc.trailer.set("ID", vec![id.clone(), id]);
    doc
}

fn save(mut doc: lopdf::Document) -> Vec<u8> {
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

/// A PDF that needs a user password.
fn locked_pdf() -> Vec<u8> {
    let mut doc = one_page(b"", lopdf::Dictionary::new());
    let state = lopdf::EncryptionState::try_from(lopdf::EncryptionVersion::V2 {
        document: &doc,
        owner_password: "owner",
        user_password: "user",
        key_length: 128,
        permissions: lopdf::Permissions::empty(),
    })
    .unwrap();
    doc.encrypt(&state).unwrap();
    save(doc)
}

/// A scanned page: one image, no text.
fn image_only_pdf() -> Vec<u8> {
    use lopdf::{dictionary, Stream};
    let mut doc = one_page(
        b"q 500 0 0 700 50 50 cm /Im1 Do Q",
        lopdf::Dictionary::new(),
    );
    let image = doc.add_object(Stream::new(dictionary! { "Type" => "XObject", "Subtype" => "Image", "Width" => 2, "Height" => 2, "ColorSpace" => "DeviceGray", "BitsPerComponent" => 8 }, vec![0, 255, 255, 0]));
    let page = *doc.get_pages().values().next().unwrap();
    if let Ok(lopdf::Object::Dictionary(d)) = doc.get_object_mut(page) {
        d.set(
            "Resources",
            dictionary! { "XObject" => dictionary! { "Im1" => image } },
        );
    }
    save(doc)
}

fn files_of(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push((
                    p.strip_prefix(dir).unwrap().to_string_lossy().into_owned(),
                    std::fs::read(&p).unwrap(),
                ));
            }
        }
    }
    out.sort();
    out
}

/// Two runs give byte-identical files; three shards merged give the same rows as one run;
/// a resumed run adds only the new documents.
#[test]
fn deterministic_sharded_and_resumable() {
    let dir = tmp("runs");
    let input = dir.join("in");
    std::fs::create_dir_all(&input).unwrap();
    for i in 0..9 {
        std::fs::write(
            input.join(format!("doc-{i}.pdf")),
            cnbudget_synth::generate(11, i).pdf,
        )
        .unwrap();
    }
    let (a, b) = (dir.join("a"), dir.join("b"));
    assert_eq!(
        extract(&[
            input.to_str().unwrap(),
            "--out",
            a.to_str().unwrap(),
            "--quiet",
            "--jobs",
            "1"
        ])
        .0,
        0
    );
    assert_eq!(
        extract(&[
            input.to_str().unwrap(),
            "--out",
            b.to_str().unwrap(),
            "--quiet",
            "--jobs",
            "2"
        ])
        .0,
        0
    );
    assert!(
        files_of(&a) == files_of(&b),
        "two runs (different --jobs) give byte-identical files"
    );

    let shards: Vec<PathBuf> = (1..=3).map(|k| dir.join(format!("shard-{k}"))).collect();
    let mut seen = 0;
    for (k, s) in shards.iter().enumerate() {
        assert_eq!(
            extract(&[
                input.to_str().unwrap(),
                "--out",
                s.to_str().unwrap(),
                "--quiet",
                "--shard",
                &format!("{}/3", k + 1)
            ])
            .0,
            0
        );
        seen += read_table(s, "documents").unwrap().height();
    }
    assert_eq!(seen, 9, "the shards split the inputs");
    let merged = dir.join("merged");
    let status = Command::new(env!("CARGO_BIN_EXE_cnbudget"))
        .arg("merge")
        .args(&shards)
        .arg("--out")
        .arg(&merged)
        .output()
        .unwrap();
    assert!(status.status.success());
    for table in ["documents", "line_items", "facts", "diagnostics"] {
        let (one, joined) = (
            read_table(&a, table).unwrap(),
            read_table(&merged, table).unwrap(),
        );
        assert!(
            one.equals_missing(&joined),
            "{table}: merged shards = one run"
        );
    }

    let resumed = dir.join("resumed");
    let partial = dir.join("partial-in");
    std::fs::create_dir_all(&partial).unwrap();
    for i in 0..4 {
        std::fs::copy(
            input.join(format!("doc-{i}.pdf")),
            partial.join(format!("doc-{i}.pdf")),
        )
        .unwrap();
    }
    assert_eq!(
        extract(&[
            partial.to_str().unwrap(),
            "--out",
            resumed.to_str().unwrap(),
            "--quiet"
        ])
        .0,
        0
    );
    let (code, stdout) = extract(&[
        input.to_str().unwrap(),
        "--out",
        resumed.to_str().unwrap(),
        "--resume",
    ]);
    assert_eq!(code, 0, "{stdout}");
    assert!(
        stdout.contains("documents: 5 (4 already in the dataset)"),
        "{stdout}"
    );
    for table in ["documents", "line_items", "facts"] {
        assert!(
            read_table(&a, table)
                .unwrap()
                .equals_missing(&read_table(&resumed, table).unwrap()),
            "{table}: resumed = one run"
        );
    }
}

/// A run of one file reads it once, for its id and its reading: the document is the one it is
/// in a batch, under the file's sha256 (computed here on its own), and a file over
/// `--max-file-bytes` is still refused, under the same id.
#[test]
fn one_file_alone_is_the_document_it_is_in_a_batch() {
    use sha2::{Digest, Sha256};
    let dir = tmp("alone");
    let input = dir.join("in");
    std::fs::create_dir_all(&input).unwrap();
    let pdfs: Vec<Vec<u8>> = (0..2).map(|i| cnbudget_synth::generate(5, i).pdf).collect();
    for (i, pdf) in pdfs.iter().enumerate() {
        std::fs::write(input.join(format!("doc-{i}.pdf")), pdf).unwrap();
    }
    let id: String = Sha256::digest(&pdfs[0])
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let first = input.join("doc-0.pdf");
    let (alone, batch, limited) = (dir.join("alone"), dir.join("batch"), dir.join("limited"));
    let run = |file: &Path, out: &Path, more: &[&str]| {
        let mut args = vec![
            file.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--quiet",
        ];
        args.extend_from_slice(more);
        extract(&args).0
    };
    assert_eq!(run(&first, &alone, &[]), 0);
    assert_eq!(run(&input, &batch, &[]), 0);
    let documents = read_table(&alone, "documents").unwrap();
    assert_eq!(strings(&documents, "doc_id"), vec![Some(id.clone())]);
    let of_first = |items: DataFrame| {
        let mask: Vec<bool> = strings(&items, "doc_id")
            .iter()
            .map(|d| d.as_deref() == Some(id.as_str()))
            .collect();
        items
            .filter(&BooleanChunked::from_slice("first".into(), &mask))
            .unwrap()
    };
    let items = read_table(&alone, "line_items").unwrap();
    assert!(items.height() > 50, "{} line items", items.height());
    assert!(of_first(items.clone()).equals_missing(&items));
    assert!(items.equals_missing(&of_first(read_table(&batch, "line_items").unwrap())));

    let limit = (pdfs[0].len() - 1).to_string();
    assert_eq!(run(&first, &limited, &["--max-file-bytes", &limit]), 2);
    let documents = read_table(&limited, "documents").unwrap();
    assert_eq!(strings(&documents, "doc_id"), vec![Some(id.clone())]);
    assert_eq!(strings(&documents, "status"), vec![Some("failed".into())]);
    assert!(strings(&documents, "error")[0]
        .as_deref()
        .is_some_and(|e| e.contains("--max-file-bytes")));
}

/// A dataset written before its files were Snappy (Zstd, until 2026-11-29) still resumes:
/// its documents are kept as they are and the new ones added.
#[test]
fn a_zstd_dataset_from_before_resumes() {
    let dir = tmp("zstd");
    let (input, partial) = (dir.join("in"), dir.join("partial-in"));
    std::fs::create_dir_all(&input).unwrap();
    std::fs::create_dir_all(&partial).unwrap();
    for i in 0..3 {
        let pdf = cnbudget_synth::generate(13, i).pdf;
        std::fs::write(input.join(format!("doc-{i}.pdf")), &pdf).unwrap();
        if i < 2 {
            std::fs::write(partial.join(format!("doc-{i}.pdf")), &pdf).unwrap();
        }
    }
    let (one, old) = (dir.join("one"), dir.join("old"));
    for (from, to) in [(&input, &one), (&partial, &old)] {
        let args = [
            from.to_str().unwrap(),
            "--out",
            to.to_str().unwrap(),
            "--quiet",
        ];
        assert_eq!(extract(&args).0, 0);
    }
    // `old` as an earlier release wrote it: every file Zstd.
    let mut rewritten = 0;
    for (rel, _) in files_of(&old) {
        let path = old.join(&rel);
        if path.extension().is_some_and(|x| x == "parquet") {
            let mut df = ParquetReader::new(std::fs::File::open(&path).unwrap())
                .finish()
                .unwrap();
            ParquetWriter::new(std::fs::File::create(&path).unwrap())
                .with_compression(ParquetCompression::Zstd(None))
                .finish(&mut df)
                .unwrap();
            rewritten += 1;
        }
    }
    assert!(rewritten >= 5, "{rewritten} files rewritten");
    let (code, stdout) = extract(&[
        input.to_str().unwrap(),
        "--out",
        old.to_str().unwrap(),
        "--resume",
    ]);
    assert_eq!(code, 0, "{stdout}");
    assert!(stdout.contains("(2 already in the dataset)"), "{stdout}");
    for table in ["documents", "line_items", "facts"] {
        let (a, b) = (
            read_table(&one, table).unwrap(),
            read_table(&old, table).unwrap(),
        );
        assert_eq!(a.height(), b.height(), "{table}");
        assert!(a.equals_missing(&b), "{table}: resumed from Zstd = one run");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// The five hostile documents of the batch test, each over a different default limit.
fn hostile_documents() -> Vec<(&'static str, Vec<u8>, &'static str)> {
    use cnbudget_pdf::Limits;
    use cnbudget_synth::hostile::{self, PageOptions};
    let deflated = PageOptions {
        filter: "/Filter /FlateDecode",
        ..Default::default()
    };
    let limits = Limits::default();
    vec![
        (
            "stream-bomb.pdf",
            hostile::page_pdf(
                &hostile::zeros_deflated(limits.max_stream_bytes + (1 << 20)),
                &deflated,
            ),
            "--max-stream-bytes",
        ),
        (
            "document-bomb.pdf",
            hostile::page_pdf(
                &hostile::zeros_deflated(limits.max_stream_bytes - (1 << 20)),
                &PageOptions {
                    repeat: limits.max_document_bytes / limits.max_stream_bytes + 1,
                    ..deflated
                },
            ),
            "--max-document-bytes",
        ),
        (
            "deep-nesting.pdf",
            hostile::page_pdf(
                &[hostile::nested_arrays(10_000), hostile::HELLO.to_vec()].concat(),
                &PageOptions::default(),
            ),
            "--max-depth",
        ),
        (
            "too-many-pages.pdf",
            hostile::many_pages(limits.max_pages + 1),
            "--max-pages",
        ),
        (
            "glyph-flood.pdf",
            hostile::page_pdf(
                &hostile::glyph_flood(limits.max_glyphs_per_page + 1),
                &PageOptions {
                    filter: "/Filter /FlateDecode",
                    ..Default::default()
                },
            ),
            "--max-glyphs-per-page",
        ),
    ]
}

/// 200 documents, 5 of them hostile: 195 `ok`, 5 `failed` naming their limit, exit 2, and a
/// peak memory under the documented bound per worker (`docs/robustness.md`) times `--jobs`.
#[test]
fn hostile_documents_fail_alone_in_a_batch_of_200() {
    let dir = tmp("hostile-batch");
    let input = dir.join("in");
    std::fs::create_dir_all(&input).unwrap();
    for index in 0..195 {
        let g = cnbudget_synth::generate(9, index);
        std::fs::write(input.join(format!("{}.pdf", g.stem)), &g.pdf).unwrap();
    }
    let hostile = hostile_documents();
    for (name, bytes, _) in &hostile {
        std::fs::write(input.join(name), bytes).unwrap();
    }
    let out = dir.join("out");
    let (code, log) = extract(&[
        input.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--jobs",
        "2",
    ]);
    assert_eq!(code, 2, "{log}");
    let docs = read_table(&out, "documents").unwrap();
    let (paths, statuses, errors) = (
        strings(&docs, "path"),
        strings(&docs, "status"),
        strings(&docs, "error"),
    );
    assert_eq!(docs.height(), 200);
    let ok = statuses
        .iter()
        .filter(|s| s.as_deref() == Some("ok"))
        .count();
    assert_eq!(ok, 195, "{log}");
    for (name, _, flag) in &hostile {
        let k = paths
            .iter()
            .position(|p| p.as_deref() == Some(*name))
            .unwrap();
        assert_eq!(statuses[k].as_deref(), Some("failed"), "{name}");
        let error = errors[k].clone().unwrap_or_default();
        assert!(error.contains(flag), "{name}: {error}");
    }
    let peak_mb: u64 = log
        .lines()
        .find_map(|l| l.strip_prefix("peak memory: "))
        .and_then(|l| l.trim_end_matches(" MB").parse().ok())
        .expect("extract reports its peak memory");
    // docs/robustness.md: one worker stays under 1,600 MB at the default limits.
    assert!(peak_mb < 2 * 1_600, "peak {peak_mb} MB with --jobs 2");
    eprintln!("batch of 200 with 5 hostile: peak memory {peak_mb} MB");
    let _ = std::fs::remove_dir_all(&dir);
}

/// One document, one row: the same PDF under three names (one in a sub-folder) and a link
/// back to the folder's parent give one row with the three paths and the figures once; every
/// data file but `documents.parquet` is byte-identical to the run without the copies, and
/// that one differs only in the paths.
#[test]
fn copies_are_one_document_and_link_loops_are_not_followed() {
    let dir = tmp("copies");
    let (plain, copies) = (dir.join("plain"), dir.join("copies"));
    std::fs::create_dir_all(&plain).unwrap();
    std::fs::create_dir_all(copies.join("sub")).unwrap();
    for i in 0..3 {
        let pdf = cnbudget_synth::generate(5, i).pdf;
        std::fs::write(plain.join(format!("doc-{i}.pdf")), &pdf).unwrap();
        std::fs::write(copies.join(format!("doc-{i}.pdf")), &pdf).unwrap();
        if i == 0 {
            std::fs::write(copies.join("again.PDF"), &pdf).unwrap();
            std::fs::write(copies.join("sub").join("附件-copy.pdf"), &pdf).unwrap();
        }
    }
    std::os::unix::fs::symlink("..", copies.join("sub").join("up")).unwrap();
    let (a, b) = (dir.join("a"), dir.join("b"));
    let (code, _) = extract(&[plain.to_str().unwrap(), "--out", a.to_str().unwrap()]);
    assert_eq!(code, 0);
    let (code, out) = extract(&[copies.to_str().unwrap(), "--out", b.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("not following") && out.contains("up"), "{out}");

    let documents = read_table(&b, "documents").unwrap();
    assert_eq!(documents.height(), 3, "three documents, not five or forty");
    let paths = documents.column("paths").unwrap().list().unwrap().clone();
    let lists: Vec<Vec<String>> = (0..paths.len())
        .map(|i| {
            let s = paths.get_as_series(i).unwrap();
            let s = s.str().unwrap();
            (0..s.len())
                .map(|j| s.get(j).unwrap().to_string())
                .collect()
        })
        .collect();
    assert!(
        lists.contains(&vec![
            "again.PDF".to_string(),
            "doc-0.pdf".to_string(),
            "sub/附件-copy.pdf".to_string()
        ]),
        "{lists:?}"
    );
    let drop_paths = |d: &Path| {
        read_table(d, "documents")
            .unwrap()
            .drop_many(["path", "paths"])
    };
    assert!(drop_paths(&a).equals_missing(&drop_paths(&b)));
    let data = |d: &Path| -> Vec<(String, Vec<u8>)> {
        files_of(d)
            .into_iter()
            .filter(|(p, _)| p != "documents.parquet" && p != "manifest.json")
            .collect()
    };
    assert!(data(&a) == data(&b), "the figures are written once");
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(b.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["counts"]["documents"], 3);
    assert_eq!(manifest["links_not_followed"].as_array().unwrap().len(), 1);
}

/// The unverified figures of a dataset: (item as printed, amount as printed).
fn unverified(out: &Path) -> (usize, Vec<(String, String)>) {
    let items = read_table(out, "line_items").unwrap();
    let verified = items.column("verified").unwrap().bool().unwrap().clone();
    let (names, amounts) = (
        strings(&items, "item_name_raw"),
        strings(&items, "amount_raw"),
    );
    let mut list: Vec<(String, String)> = (0..items.height())
        .filter(|&i| verified.get(i) != Some(true))
        .map(|i| (names[i].clone().unwrap(), amounts[i].clone().unwrap()))
        .collect();
    list.sort();
    (items.height(), list)
}

/// Verified figures (#13): every figure of the committed corpus and of the real Jiangsu
/// corpus takes part in an identity that holds, but for the three figures of the seed's
/// printed error 2 (docs/audit.md): 款 政府办公厅(室)及相关机构事务 printed 4,621,123.66
/// while its two 项 sum to 4,621,133.66 — the one identity the three share fails, and no
/// other checks them, so none of the three can be trusted. Documents and the manifest carry
/// the same counts.
#[test]
fn verified_figures_in_the_corpora() {
    let out = tmp("verified").join("dataset");
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let (code, stdout) = extract(&[corpus.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert_eq!(code, 0, "{stdout}");
    let (n, list) = unverified(&out);
    let expected: Vec<(String, String)> = [
        ("其他政府办公厅(室)及相关机构事务支出", "2,883,800.00"),
        ("政府办公厅(室)及相关机构事务", "4,621,123.66"),
        ("行政运行", "1,737,333.66"),
    ]
    .iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect();
    assert_eq!(list, expected);
    assert!((n - list.len()) as f64 / n as f64 >= 0.99, "{n}");
    assert!(
        stdout.contains(&format!("verified: 99.7 % of {n} figures")),
        "{stdout}"
    );
    let documents = read_table(&out, "documents").unwrap();
    let counted = documents.column("figures_verified").unwrap().u32().unwrap();
    assert_eq!(counted.sum(), Some((n - list.len()) as u32));
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["counts"]["figures_verified"], n - list.len());
    assert_eq!(manifest["counts"]["identities_held"], 974);

    let Some(files) = real_corpus() else { return };
    let root = files[0].parent().and_then(Path::parent).unwrap();
    let real = tmp("verified-real").join("dataset");
    extract(&[
        root.to_str().unwrap(),
        "--out",
        real.to_str().unwrap(),
        "--quiet",
    ]);
    let (n, list) = unverified(&real);
    assert_eq!(n, 1821);
    assert_eq!(list, vec![], "every real figure verified");
    // The four narrative-only files and their departments' tables files of the same year
    // name each other: the same budget, to be counted once.
    let documents = read_table(&real, "documents").unwrap();
    let (ids, twins) = (
        strings(&documents, "doc_id"),
        strings(&documents, "same_budget_as"),
    );
    let pairs: Vec<(String, String)> = ids
        .iter()
        .zip(&twins)
        .filter_map(|(a, b)| Some((a.clone()?, b.clone()?)))
        .collect();
    assert_eq!(pairs.len(), 8, "{pairs:?}");
    assert!(pairs
        .iter()
        .all(|(a, b)| pairs.contains(&(b.clone(), a.clone()))));
}

/// The allocator's options are a symbol jemalloc looks up by name: were it misnamed, they
/// would be ignored without a word, and peak memory would grow back (docs/benchmarks.md,
/// session 6). jemalloc prints the options it read when asked for its statistics.
#[cfg(not(target_env = "msvc"))]
#[test]
fn allocator_reads_its_options() {
    let out = Command::new(env!("CARGO_BIN_EXE_cnbudget"))
        .args(["info", "corpus/synth-0000.pdf"])
        .env("_RJEM_MALLOC_CONF", "stats_print:true")
        .output()
        .expect("run cnbudget");
    assert!(out.status.success());
    let stats = String::from_utf8_lossy(&out.stderr);
    assert!(
        stats.contains("opt.dirty_decay_ms: 500") && stats.contains("opt.muzzy_decay_ms: 0"),
        "jemalloc did not read the options: {}",
        stats
            .lines()
            .filter(|l| l.contains("decay_ms"))
            .collect::<Vec<_>>()
            .join("\n")
    );
}
