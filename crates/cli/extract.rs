//! `cnbudget extract`: a whole archive to one dataset. Inputs are hashed and ordered by
//! content (so the dataset does not depend on file order or `--jobs`), read in parallel in
//! chunks, and written in order as they finish; one document's failure never stops the others.

use anyhow::{bail, Context, Result};
use cnbudget_dataset::{DatasetWriter, DiagnosticRow, DocumentRow, Extracted, Status};
use cnbudget_normalize::Aliases;
use cnbudget_pdf::{Document, Limit, Limits, PdfError};
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::io::Read;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::Arc;
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
    #[command(flatten)]
    pub limits: LimitArgs,
}

/// Resource limits per document (`docs/robustness.md`); sizes take K, M and G suffixes.
#[derive(clap::Args, Clone)]
pub struct LimitArgs {
    /// Largest file read at all, in bytes.
    #[arg(long, value_parser = parse_size, default_value_t = Limits::default().max_file_bytes)]
    pub max_file_bytes: usize,
    /// Most bytes one stream may decompress to.
    #[arg(long, value_parser = parse_size, default_value_t = Limits::default().max_stream_bytes)]
    pub max_stream_bytes: usize,
    /// Most bytes all streams of one document may decompress to together.
    #[arg(long, value_parser = parse_size, default_value_t = Limits::default().max_document_bytes)]
    pub max_document_bytes: usize,
    /// Deepest nesting of arrays and dictionaries (at most 100, lopdf's own limit).
    #[arg(long, default_value_t = Limits::default().max_depth)]
    pub max_depth: usize,
    /// Most pages one document may have.
    #[arg(long, default_value_t = Limits::default().max_pages)]
    pub max_pages: usize,
    /// Most glyphs one page may draw.
    #[arg(long, default_value_t = Limits::default().max_glyphs_per_page)]
    pub max_glyphs_per_page: usize,
    /// Seconds one document may take (0: no limit).
    #[arg(long, default_value_t = 120)]
    pub doc_timeout: u64,
}

impl LimitArgs {
    /// The PDF layer's limits these flags set.
    pub fn limits(&self) -> Limits {
        Limits {
            max_file_bytes: self.max_file_bytes,
            max_stream_bytes: self.max_stream_bytes,
            max_document_bytes: self.max_document_bytes,
            max_depth: self.max_depth,
            max_pages: self.max_pages,
            max_glyphs_per_page: self.max_glyphs_per_page,
            timeout: (self.doc_timeout > 0).then(|| Duration::from_secs(self.doc_timeout)),
            ..Limits::default()
        }
    }
}

/// Parses `1048576`, `512K`, `64M` or `1G` (powers of 1024).
pub fn parse_size(s: &str) -> Result<usize> {
    let t = s.trim();
    let (digits, shift) = match t.chars().last().map(|c| c.to_ascii_uppercase()) {
        Some('K') => (&t[..t.len() - 1], 10),
        Some('M') => (&t[..t.len() - 1], 20),
        Some('G') => (&t[..t.len() - 1], 30),
        _ => (t, 0),
    };
    let n: usize = digits
        .trim()
        .parse()
        .with_context(|| format!("{s:?} is not a size (e.g. 64M)"))?;
    n.checked_mul(1 << shift)
        .with_context(|| format!("{s:?} is too large"))
}

/// What every document of a run shares: the alias table and the limits.
pub(crate) struct Job {
    pub aliases: Aliases,
    pub limits: Limits,
}

/// sha256 of a file, read in pieces (a huge file is never held whole).
fn file_hash(path: &Path) -> std::io::Result<String> {
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(hex(&hasher.finalize()))
}

/// Peak resident memory of this process so far, in bytes (Linux; none elsewhere).
fn peak_memory() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// One input: where it is and how the dataset names it.
#[derive(Clone)]
pub(crate) struct Input {
    pub path: PathBuf,
    pub rel: String,
}

/// The folders the inputs' relative paths start from, absolute, recorded in the manifest so
/// that `cnbudget report` finds the PDFs again: a folder argument itself, a file argument's
/// folder, the working folder for a `@list` (its lines are paths as given).
fn roots(inputs: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for arg in inputs {
        let dir = if arg.starts_with('@') {
            PathBuf::from(".")
        } else if Path::new(arg).is_file() {
            Path::new(arg)
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
        } else {
            PathBuf::from(arg)
        };
        if let Ok(abs) = std::fs::canonicalize(&dir) {
            let abs = abs.display().to_string();
            if !out.contains(&abs) {
                out.push(abs);
            }
        }
    }
    out
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
/// The row of a document nothing has been read from yet.
fn blank_row(input: &Input, bytes: u64, doc_id: String) -> DocumentRow {
    DocumentRow {
        doc_id,
        path: input.rel.clone(),
        bytes,
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
    }
}

/// A document that could not be read: its row says why.
fn not_read(mut row: DocumentRow, status: Status, error: String) -> Extracted {
    row.status = status;
    row.error = Some(error);
    Extracted {
        document: row,
        records: None,
        page_warnings: Vec::new(),
        findings: Vec::new(),
    }
}

fn extract_one(input: &Input, bytes: &[u8], doc_id: String, job: &Job) -> Extracted {
    let row = blank_row(input, bytes.len() as u64, doc_id);
    let work = catch_unwind(AssertUnwindSafe(|| {
        read(input, bytes, &mut row.clone(), job)
    }));
    match work {
        Ok(Ok(extracted)) => extracted,
        Ok(Err(e)) => {
            let status = if matches!(e, PdfError::Encrypted { .. }) {
                Status::Encrypted
            } else {
                Status::Failed
            };
            not_read(row, status, e.to_string())
        }
        Err(p) => {
            let msg = p
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| p.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            let error = format!("{}: internal error (panic) while reading: {msg}", input.rel);
            not_read(row, Status::Failed, error)
        }
    }
}

/// Reads one input under the wall-clock limit: the document runs on a thread of its own,
/// and one still running a grace period past its deadline is recorded as failed and left
/// behind (its pages stop at the deadline themselves; the grace covers stages that do not
/// look at the clock).
fn extract_watched(input: &Input, doc_id: String, job: &Arc<Job>) -> Extracted {
    let size = std::fs::metadata(&input.path).map(|m| m.len()).unwrap_or(0);
    if size > job.limits.max_file_bytes as u64 {
        let e = PdfError::ResourceLimit {
            file: PathBuf::from(&input.rel),
            limit: Limit::FileBytes,
            detail: format!(
                "the file has {size} bytes, more than {}",
                job.limits.max_file_bytes
            ),
        };
        return not_read(
            blank_row(input, size, doc_id),
            Status::Failed,
            e.to_string(),
        );
    }
    let bytes = match std::fs::read(&input.path) {
        Ok(b) => b,
        Err(e) => {
            let error = format!("{}: cannot read file: {e}", input.rel);
            return not_read(blank_row(input, size, doc_id), Status::Failed, error);
        }
    };
    let Some(timeout) = job.limits.timeout else {
        return extract_one(input, &bytes, doc_id, job);
    };
    let (tx, rx) = std::sync::mpsc::channel();
    let (mine, id, shared) = (input.clone(), doc_id.clone(), Arc::clone(job));
    let len = bytes.len() as u64;
    let spawned = std::thread::Builder::new()
        .name(format!("doc {}", &doc_id[..doc_id.len().min(12)]))
        .spawn(move || {
            let _ = tx.send(extract_one(&mine, &bytes, id, &shared));
        });
    if let Err(e) = spawned {
        let error = format!("{}: cannot start a thread for it: {e}", input.rel);
        return not_read(blank_row(input, len, doc_id), Status::Failed, error);
    }
    let grace = Duration::from_secs(5).max(timeout / 2);
    rx.recv_timeout(timeout + grace).unwrap_or_else(|_| {
        let e = PdfError::ResourceLimit {
            file: PathBuf::from(&input.rel),
            limit: Limit::Timeout,
            detail: format!(
                "still reading after {} s; abandoned",
                (timeout + grace).as_secs()
            ),
        };
        not_read(blank_row(input, len, doc_id), Status::Failed, e.to_string())
    })
}

fn read(
    input: &Input,
    bytes: &[u8],
    row: &mut DocumentRow,
    job: &Job,
) -> Result<Extracted, PdfError> {
    let doc = Document::from_bytes(bytes, &input.rel, job.limits.clone())?;
    row.pages = Some(doc.page_count());
    row.producer = doc.info_entry("Producer");
    row.creator = doc.info_entry("Creator");
    row.encrypted = doc.encrypted();
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
    let records = cnbudget_normalize::normalize(&file_name, &pages, &tables, &job.aliases);
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
    let job = Arc::new(Job {
        aliases,
        limits: opts.limits.limits(),
    });
    let mut inputs = collect(&opts.inputs)?;
    if let Some((k, n)) = opts.shard {
        inputs.retain(|i| fnv1a(&i.rel) % u64::from(n) == u64::from(k - 1));
    }
    // Order by content hash (then path): the dataset does not depend on the order of inputs.
    let mut hashed: Vec<(String, Input)> = inputs
        .into_par_iter()
        .map(|i| {
            let id = file_hash(&i.path).unwrap_or_else(|_| format!("unreadable:{}", i.rel));
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
                .map(|(id, input)| extract_watched(input, id.clone(), &job))
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
        "roots": roots(&opts.inputs),
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
        if let Some(peak) = peak_memory() {
            println!("peak memory: {} MB", peak / 1_000_000);
        }
    }
    Ok(if failures.is_empty() { 0 } else { 2 })
}
