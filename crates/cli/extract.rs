//! `cnbudget extract`: a whole archive to one dataset. Inputs are hashed and ordered by
//! content (so the dataset does not depend on file order or `--jobs`), read in parallel in
//! chunks, and written in order as they finish; one document's failure never stops the others.

use anyhow::{bail, Context, Result};
use cnbudget_dataset::{DatasetWriter, DiagnosticRow, DocumentRow, Extracted, Status};
use cnbudget_normalize::Aliases;
use cnbudget_pdf::{Document, Limits, PdfError};
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// What `extract` was asked to do.
#[derive(clap::Args)]
pub struct Options {
    /// PDF files, folders (searched recursively for *.pdf), or @list.txt (one path a line).
    #[arg(required = true)]
    pub inputs: Vec<String>,
    /// The dataset folder (written atomically: a failed run leaves the previous one).
    #[arg(long)]
    pub out: PathBuf,
    /// Documents read at once (default: the number of cores).
    #[arg(long)]
    pub jobs: Option<usize>,
    /// Keep the documents already in --out (same content hash) and add the new ones.
    #[arg(long)]
    pub resume: bool,
    /// Process only shard K of N (by a hash of each input's relative path), e.g. 2/8.
    #[arg(long, value_parser = parse_shard)]
    pub shard: Option<(u32, u32)>,
    /// A TOML file merging renamed departments.
    #[arg(long)]
    pub aliases: Option<PathBuf>,
    /// No progress and no summary.
    #[arg(long)]
    pub quiet: bool,
}

/// One input: where it is and how the dataset names it.
pub(crate) struct Input {
    pub path: PathBuf,
    pub rel: String,
}

/// Parses `K/N` (1 ≤ K ≤ N).
pub fn parse_shard(s: &str) -> Result<(u32, u32)> {
    let (k, n) = s.split_once('/').context("a shard is K/N, e.g. 2/8")?;
    let (k, n): (u32, u32) = (k.trim().parse()?, n.trim().parse()?);
    if k == 0 || n == 0 || k > n {
        bail!("shard {k}/{n}: K must be between 1 and N");
    }
    Ok((k, n))
}

fn is_pdf(p: &Path) -> bool {
    p.extension().is_some_and(|x| x.eq_ignore_ascii_case("pdf"))
}

/// Files, folders (recursive, `*.pdf` in any case) and `@list.txt` (one path a line).
pub(crate) fn collect(inputs: &[String]) -> Result<Vec<Input>> {
    let mut out = Vec::new();
    for arg in inputs {
        if let Some(list) = arg.strip_prefix('@') {
            let text = std::fs::read_to_string(list)
                .with_context(|| format!("cannot read input list {list}"))?;
            for line in text
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
            {
                out.push(Input {
                    path: PathBuf::from(line),
                    rel: line.to_string(),
                });
            }
            continue;
        }
        let root = PathBuf::from(arg);
        if root.is_file() {
            let rel = root
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| arg.clone());
            out.push(Input { path: root, rel });
        } else if root.is_dir() {
            let mut stack = vec![root.clone()];
            while let Some(dir) = stack.pop() {
                let entries = std::fs::read_dir(&dir)
                    .with_context(|| format!("cannot list {}", dir.display()))?;
                for e in entries.flatten() {
                    let p = e.path();
                    if p.is_dir() {
                        stack.push(p);
                    } else if is_pdf(&p) {
                        let rel = p
                            .strip_prefix(&root)
                            .unwrap_or(&p)
                            .to_string_lossy()
                            .replace('\\', "/");
                        out.push(Input { path: p, rel });
                    }
                }
            }
        } else {
            bail!("input {arg} is neither a file nor a folder");
        }
    }
    Ok(out)
}

/// FNV-1a: a stable hash (the same on every machine and release) for sharding by path.
fn fnv1a(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    })
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Reads one document through the whole pipeline; never panics, never fails the batch.
fn extract_one(input: &Input, bytes: &[u8], doc_id: String, aliases: &Aliases) -> Extracted {
    let mut row = DocumentRow {
        doc_id,
        path: input.rel.clone(),
        bytes: bytes.len() as u64,
        pages: None,
        producer: None,
        creator: None,
        encrypted: false,
        status: Status::Failed,
        error: None,
        fiscal_year: None,
        fiscal_year_source: None,
        department: None,
        department_raw: None,
        dept_code: None,
        unit: None,
        tables_by_kind: "{}".into(),
        tables: 0,
        records: 0,
        performance_targets: 0,
        facts: 0,
        warnings: 0,
        checks: 0,
        check_errors: 0,
        check_infos: 0,
    };
    let work = catch_unwind(AssertUnwindSafe(|| {
        read(input, bytes, &mut row.clone(), aliases)
    }));
    match work {
        Ok(Ok(extracted)) => extracted,
        Ok(Err(e)) => {
            row.status = if matches!(e, PdfError::Encrypted { .. }) {
                Status::Encrypted
            } else {
                Status::Failed
            };
            row.error = Some(e.to_string());
            Extracted {
                document: row,
                records: None,
                page_warnings: Vec::new(),
                findings: Vec::new(),
            }
        }
        Err(p) => {
            let msg = p
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| p.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            row.error = Some(format!(
                "{}: internal error (panic) while reading: {msg}",
                input.rel
            ));
            Extracted {
                document: row,
                records: None,
                page_warnings: Vec::new(),
                findings: Vec::new(),
            }
        }
    }
}

fn read(
    input: &Input,
    bytes: &[u8],
    row: &mut DocumentRow,
    aliases: &Aliases,
) -> Result<Extracted, PdfError> {
    let doc = Document::from_bytes(bytes, &input.rel, Limits::default())?;
    row.pages = Some(doc.page_count());
    row.producer = doc.info_entry("Producer");
    row.creator = doc.info_entry("Creator");
    row.encrypted = doc.encrypted();
    let mut pages = Vec::new();
    let mut errors = Vec::new();
    for n in 1..=doc.page_count() {
        match doc.page(n) {
            Ok(p) => pages.push(p),
            Err(e) => errors.push(e.to_string()),
        }
    }
    let mut page_warnings: Vec<DiagnosticRow> = pages
        .iter()
        .flat_map(|p| p.warnings.iter().map(move |w| (p.number, w)))
        .map(|(page, w)| DiagnosticRow {
            doc_id: row.doc_id.clone(),
            page: Some(page),
            kind: format!(
                "pdf.{}",
                serde_json::to_value(w.kind)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default()
            ),
            message: w.message.clone(),
            bbox: w.bbox.map(|b| [b.x0, b.y0, b.x1, b.y1]),
        })
        .collect();
    page_warnings.extend(errors.iter().map(|e| DiagnosticRow {
        doc_id: row.doc_id.clone(),
        page: None,
        kind: "pdf.page_unreadable".into(),
        message: e.clone(),
        bbox: None,
    }));
    let tables = cnbudget_table::document_tables(&pages);
    let file_name = input
        .path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let records = cnbudget_normalize::normalize(&file_name, &pages, &tables, aliases);
    let text_layer = pages
        .iter()
        .any(|p| p.glyphs.iter().any(|g| !g.text.trim().is_empty()));
    let mut kinds: BTreeMap<&str, u32> = BTreeMap::new();
    for t in &records.tables {
        *kinds.entry(t.kind.key()).or_default() += 1;
    }
    row.tables_by_kind = serde_json::to_string(&kinds).unwrap_or_else(|_| "{}".into());
    row.tables = records.tables.len() as u32;
    row.records = records.line_items.len() as u32;
    row.performance_targets = records.performance_targets.len() as u32;
    row.facts = records.facts.len() as u32;
    row.fiscal_year = records.fiscal_year;
    row.fiscal_year_source = records.fiscal_year_source.map(|s| {
        serde_json::to_value(s)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default()
    });
    if let Some(d) = &records.department {
        row.department = Some(d.key.clone());
        row.department_raw = Some(d.name_raw.clone());
        row.dept_code = d.code.clone();
    }
    row.unit = records.unit.map(|u| u.as_str().to_string());
    row.warnings = (page_warnings.len() + records.diagnostics.len()) as u32;
    let budget =
        !records.tables.is_empty() || !records.facts.is_empty() || records.department.is_some();
    (row.status, row.error) = if !errors.is_empty() {
        (Status::Partial, errors.first().cloned())
    } else if !text_layer {
        (
            Status::NoTextLayer,
            Some(format!(
                "{}: no page has a text layer (scanned images?)",
                input.rel
            )),
        )
    } else if !budget {
        (
            Status::NotABudget,
            Some(format!(
                "{}: no budget table, figure or department found",
                input.rel
            )),
        )
    } else {
        (Status::Ok, None)
    };
    let audit = cnbudget_audit::audit(&records);
    row.checks = audit.checked;
    row.check_errors = audit.count(cnbudget_audit::Severity::Error);
    row.check_infos = audit.count(cnbudget_audit::Severity::Info);
    Ok(Extracted {
        document: row.clone(),
        records: Some(records),
        page_warnings,
        findings: audit.findings,
    })
}

/// Progress on a terminal (indicatif), plain periodic lines otherwise, or nothing.
struct Progress {
    bar: Option<indicatif::ProgressBar>,
    plain: bool,
    last: Instant,
    started: Instant,
    total: usize,
}

impl Progress {
    fn new(total: usize, quiet: bool) -> Progress {
        use std::io::IsTerminal;
        let terminal = !quiet && std::io::stderr().is_terminal();
        let bar = terminal.then(|| {
            let bar = indicatif::ProgressBar::new(total as u64);
            let style = indicatif::ProgressStyle::with_template(
                "{bar:40} {pos}/{len} documents · {msg} · ETA {eta}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
            bar.set_style(style);
            bar
        });
        Progress {
            bar,
            plain: !quiet && !terminal,
            last: Instant::now(),
            started: Instant::now(),
            total,
        }
    }

    fn update(&mut self, done: usize, pages: u64, failures: usize) {
        let rate = pages as f64 / self.started.elapsed().as_secs_f64().max(1e-3);
        let msg = format!("{pages} pages · {rate:.0} pages/s · {failures} failed");
        if let Some(bar) = &self.bar {
            bar.set_position(done as u64);
            bar.set_message(msg);
        } else if self.plain && (self.last.elapsed() > Duration::from_secs(5) || done == self.total)
        {
            eprintln!("cnbudget: {done}/{} documents · {msg}", self.total);
            self.last = Instant::now();
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// Runs the extraction; returns the exit status (0 all ok, 2 some documents not ok).
pub fn run(opts: Options) -> Result<i32> {
    let aliases = match &opts.aliases {
        Some(path) => Aliases::from_toml(
            &std::fs::read_to_string(path)
                .with_context(|| format!("cannot read {}", path.display()))?,
        )?,
        None => Aliases::default(),
    };
    let mut inputs = collect(&opts.inputs)?;
    if let Some((k, n)) = opts.shard {
        inputs.retain(|i| fnv1a(&i.rel) % u64::from(n) == u64::from(k - 1));
    }
    // Order by content hash (then path): the dataset does not depend on the order of inputs.
    let mut hashed: Vec<(String, Input)> = inputs
        .into_par_iter()
        .map(|i| {
            let id = std::fs::read(&i.path)
                .map(|b| hex(&Sha256::digest(&b)))
                .unwrap_or_else(|_| format!("unreadable:{}", i.rel));
            (id, i)
        })
        .collect();
    hashed.sort_by(|a, b| (&a.0, &a.1.rel).cmp(&(&b.0, &b.1.rel)));
    let existing: std::collections::HashSet<String> =
        if opts.resume && opts.out.join("documents.parquet").exists() {
            cnbudget_dataset::document_ids(&opts.out)?
        } else {
            Default::default()
        };
    hashed.retain(|(id, _)| !existing.contains(id));
    let part = opts
        .shard
        .map_or("part-0".to_string(), |(k, n)| format!("part-{k}-of-{n}"));
    // A resumed run writes the new documents beside the old dataset, then merges the two.
    let target = if existing.is_empty() {
        opts.out.clone()
    } else {
        opts.out.with_file_name(format!(
            ".{}.resume-{}",
            opts.out
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            std::process::id()
        ))
    };
    let mut writer = DatasetWriter::create(&target, &part)
        .with_context(|| format!("cannot write the dataset at {}", opts.out.display()))?;
    let jobs = opts
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .max(1);
    let pool = rayon::ThreadPoolBuilder::new().num_threads(jobs).build()?;
    let mut progress = Progress::new(hashed.len(), opts.quiet);
    let (mut done, mut pages, mut statuses, mut kinds, mut records) = (
        0,
        0u64,
        BTreeMap::<&str, usize>::new(),
        BTreeMap::<String, u64>::new(),
        0u64,
    );
    let mut failures: Vec<(String, String)> = Vec::new();
    for chunk in hashed.chunks(jobs * 4) {
        let results: Vec<Extracted> = pool.install(|| {
            chunk
                .par_iter()
                .map(|(id, input)| match std::fs::read(&input.path) {
                    Ok(bytes) => extract_one(input, &bytes, id.clone(), &aliases),
                    Err(e) => {
                        let mut doc = extract_one(input, b"", id.clone(), &aliases);
                        doc.document.error = Some(format!("{}: cannot read file: {e}", input.rel));
                        doc
                    }
                })
                .collect()
        });
        for r in results {
            done += 1;
            pages += u64::from(r.document.pages.unwrap_or(0));
            records += u64::from(r.document.records);
            *statuses.entry(r.document.status.as_str()).or_default() += 1;
            if let Ok(map) =
                serde_json::from_str::<BTreeMap<String, u64>>(&r.document.tables_by_kind)
            {
                for (k, v) in map {
                    *kinds.entry(k).or_default() += v;
                }
            }
            if r.document.status != Status::Ok {
                failures.push((
                    r.document.path.clone(),
                    r.document.error.clone().unwrap_or_default(),
                ));
            }
            writer.add(r)?;
        }
        progress.update(done, pages, failures.len());
    }
    progress.finish();
    let manifest = serde_json::json!({
        "tool": "cnbudget",
        "version": env!("CARGO_PKG_VERSION"),
        "schema_version": 1,
        "inputs": hashed.iter().map(|(_, i)| i.rel.clone()).collect::<Vec<_>>(),
        "options": { "shard": opts.shard.map(|(k, n)| format!("{k}/{n}")), "resume": opts.resume, "aliases": opts.aliases.as_ref().map(|p| p.display().to_string()) },
        "counts": { "documents": done, "pages": pages, "records": records, "by_status": statuses, "tables_by_kind": kinds },
    });
    writer.commit(&manifest)?;
    if !existing.is_empty() {
        cnbudget_dataset::merge(&[opts.out.clone(), target.clone()], &opts.out, &manifest)?;
        std::fs::remove_dir_all(&target)
            .with_context(|| format!("cannot remove {}", target.display()))?;
    }
    if !opts.quiet {
        println!(
            "documents: {done} ({} already in the dataset)   pages: {pages}   records: {records}",
            existing.len()
        );
        for (status, n) in &statuses {
            println!("  {status:<14} {n}");
        }
        println!("tables by kind:");
        for (kind, n) in &kinds {
            println!("  {kind:<28} {n}");
        }
        for (path, error) in failures.iter().take(20) {
            println!("not ok: {path}: {}", error.lines().next().unwrap_or(""));
        }
        println!("dataset: {}", opts.out.display());
    }
    Ok(if failures.is_empty() { 0 } else { 2 })
}
