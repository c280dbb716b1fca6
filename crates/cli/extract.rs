//! `cnbudget extract`: a whole archive to one dataset. Inputs are hashed and ordered by
//! content (so the dataset does not depend on file order or `--jobs`), read in parallel (the
//! largest first within a window) and written in order; one document's failure never stops
//! the others.

use anyhow::{bail, Context, Result};
use cnbudget_dataset::{DatasetWriter, Extracted, Status};
use cnbudget_normalize::Aliases;
use cnbudget_pdf::{FileBytes, Limit, Limits, PdfError};
use cnbudget_pipeline::{Options, Reader};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::{mpsc, Condvar, Mutex, PoisonError};
use std::time::{Duration, Instant};

/// What `extract` was asked to do.
#[derive(clap::Args)]
pub struct Args {
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
    /// Process only shard K of N (by content hash, so copies of a file share a shard), e.g. 2/8.
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
    #[command(flatten)]
    pub ocr: OcrArgs,
}

/// Where the OCR models are: pages without a text layer are read by OCR in a build with the
/// `ocr` feature (README §OCR).
#[derive(clap::Args, Clone)]
pub struct OcrArgs {
    /// The OCR models' folder (`scripts/fetch-ocr-models` prints it); default
    /// $CNBUDGET_OCR_MODELS. Scanned pages are read by OCR (builds with `--features ocr`).
    #[arg(long, value_name = "DIR")]
    pub ocr_models: Option<PathBuf>,
}

impl OcrArgs {
    /// The models, loaded once for the run; none when no folder is given. A folder given
    /// without its models, or to a build without OCR, is an error saying what to do.
    pub fn models(&self) -> Result<Option<cnbudget_pipeline::OcrModels>> {
        #[cfg(feature = "ocr")]
        {
            use cnbudget_pipeline::cnbudget_ocr::{Ocr, MODELS_ENV};
            let dir = self
                .ocr_models
                .clone()
                .or_else(|| std::env::var_os(MODELS_ENV).map(PathBuf::from));
            dir.map(|d| Ok(std::sync::Arc::new(Ocr::load(&d, None)?)))
                .transpose()
        }
        #[cfg(not(feature = "ocr"))]
        match &self.ocr_models {
            Some(_) => anyhow::bail!(
                "--ocr-models: this cnbudget was built without OCR; build it with \
                 `cargo build --release --features ocr` (README §OCR)"
            ),
            None => Ok(None),
        }
    }
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

/// A file's document id, and its bytes when they may be held (`max` bytes at most): the
/// file is read once for both (hashing a 3 MB scan and then reading it again cost 0.5-0.9 ms
/// of its 8). A file over the limit is hashed in pieces and never held, for the reader to
/// refuse. The only input of a run is read so, and the Python binding's files.
pub fn identify(
    path: &Path,
    name: &str,
    max: usize,
) -> cnbudget_pdf::Result<(String, Option<FileBytes>)> {
    match cnbudget_pdf::read_file(path, Path::new(name), max) {
        Ok(bytes) => Ok((document_id(&bytes), Some(bytes))),
        Err(PdfError::ResourceLimit {
            limit: Limit::FileBytes,
            ..
        }) => {
            let id = file_hash(path).map_err(|source| PdfError::Io {
                file: name.into(),
                source,
            })?;
            Ok((id, None))
        }
        Err(e) => Err(e),
    }
}

/// Each input with its content hash (`unreadable:<path>` for one that cannot be read), on
/// `jobs` threads of our own: a thread pool would be started for this alone. One part is
/// hashed on the calling thread: a thread's start and end (its allocator caches handed back)
/// cost a small run about half a millisecond.
fn hash_all(inputs: Vec<Input>, jobs: usize) -> Vec<(String, Input)> {
    let hash = |i: &Input| file_hash(&i.path).unwrap_or_else(|_| format!("unreadable:{}", i.rel));
    let chunk = inputs.len().div_ceil(jobs).max(1);
    if chunk >= inputs.len() {
        return inputs.into_iter().map(|i| (hash(&i), i)).collect();
    }
    let ids: Vec<String> = std::thread::scope(|scope| {
        let parts: Vec<_> = inputs
            .chunks(chunk)
            .map(|part| scope.spawn(move || part.iter().map(hash).collect::<Vec<_>>()))
            .collect();
        parts
            .into_iter()
            .flat_map(|p| p.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    });
    ids.into_iter().zip(inputs).collect()
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
pub struct Input {
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

/// The inputs of a run, and the links that were not followed.
pub struct Collected {
    pub inputs: Vec<Input>,
    /// Links leading back into a folder being walked (`a/up → a`), each named once; their
    /// files are listed under the folder itself.
    pub loops: Vec<String>,
}

/// Files, folders (recursive, `*.pdf` in any case, links followed) and `@list.txt` (one path
/// a line).
pub fn collect(inputs: &[String]) -> Result<Collected> {
    let mut out = Collected {
        inputs: Vec::new(),
        loops: Vec::new(),
    };
    for arg in inputs {
        if let Some(list) = arg.strip_prefix('@') {
            let text = std::fs::read_to_string(list)
                .with_context(|| format!("cannot read input list {list}"))?;
            for line in text
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
            {
                out.inputs.push(Input {
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
            out.inputs.push(Input { path: root, rel });
        } else if root.is_dir() {
            for entry in walkdir::WalkDir::new(&root)
                .follow_links(true)
                .sort_by_file_name()
            {
                let entry = match entry {
                    Ok(e) => e,
                    Err(e) if e.loop_ancestor().is_some() => {
                        out.loops.push(
                            e.path()
                                .map_or_else(|| arg.clone(), |p| p.display().to_string()),
                        );
                        continue;
                    }
                    // A broken link to a PDF is an input that cannot be read: its row
                    // says so, and the batch goes on.
                    Err(e) if e.path().is_some_and(is_pdf) => {
                        if let Some(p) = e.path() {
                            out.inputs.push(Input {
                                path: p.to_path_buf(),
                                rel: relative(p, &root),
                            });
                        }
                        continue;
                    }
                    Err(e) => bail!("cannot list {arg}: {e}"),
                };
                let p = entry.path();
                if entry.file_type().is_file() && is_pdf(p) {
                    out.inputs.push(Input {
                        path: p.to_path_buf(),
                        rel: relative(p, &root),
                    });
                }
            }
        } else {
            bail!("input {arg} is neither a file nor a folder");
        }
    }
    Ok(out)
}

/// `p` below `root`, with forward slashes.
fn relative(p: &Path, root: &Path) -> String {
    p.strip_prefix(root)
        .unwrap_or(p)
        .to_string_lossy()
        .replace('\\', "/")
}

/// FNV-1a: a stable hash (the same on every machine and release) for sharding by path.
fn fnv1a(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    })
}

/// A document's id: the sha256 of its bytes, in hex (what `sha256sum` prints for the file).
pub fn document_id(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
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

/// Reads `documents` on `jobs` threads and hands each result to `write` in the documents'
/// order. A worker takes the largest document not yet started within `16 × jobs` of the next
/// one to write: only `jobs` documents are read at a time, the results waiting for their turn
/// hold records, not pages, and a long document starts as soon as the window reaches it
/// rather than when its turn in the order comes, so that it does not end the run alone
/// while the other workers idle (with documents taken in order, the national sample's
/// 328-page one came 9th). A failed write stops the workers after their current document,
/// and is returned. One job reads on the calling thread: a worker of its own would only wait
/// for it, and its start and end cost a small document's run about half a millisecond.
/// `kept` is the only document's bytes when the run read them already (see [`documents`]).
fn read_in_order(
    documents: &[(String, Vec<Input>)],
    jobs: usize,
    options: &Options,
    kept: Option<FileBytes>,
    mut write: impl FnMut(Extracted) -> Result<()>,
) -> Result<()> {
    let jobs = jobs.min(documents.len()).max(1);
    let window = jobs * 16;
    let sizes: Vec<u64> = documents
        .iter()
        .map(|(_, inputs)| std::fs::metadata(&inputs[0].path).map_or(0, |m| m.len()))
        .collect();
    let extract = |reader: &mut Reader, i: usize, bytes: Option<FileBytes>| {
        let (id, inputs) = &documents[i];
        let first = &inputs[0];
        let reading = match bytes {
            Some(bytes) => reader.read_bytes(bytes, &first.rel),
            None => reader.read_file(&first.path, &first.rel),
        };
        let paths = inputs.iter().map(|i| i.rel.clone()).collect();
        Extracted::new(id.clone(), paths, sizes[i], reading)
    };
    // A run of one document, the only one with bytes kept, has one job.
    if jobs == 1 {
        let mut reader = Reader::new(options);
        let mut kept = kept;
        return (0..documents.len()).try_for_each(|i| write(extract(&mut reader, i, kept.take())));
    }
    let queue = Mutex::new(Queue {
        written: Some(0),
        taken: vec![false; documents.len()],
        first_free: 0,
    });
    let turn = Condvar::new();
    let (send, receive) = mpsc::channel::<(usize, Extracted)>();
    std::thread::scope(|scope| {
        for _ in 0..jobs {
            let send = send.clone();
            let (queue, turn, sizes, extract) = (&queue, &turn, &sizes, &extract);
            scope.spawn(move || {
                let mut reader = Reader::new(options);
                while let Some(i) = Queue::next(queue, turn, window, sizes) {
                    if send.send((i, extract(&mut reader, i, None))).is_err() {
                        break;
                    }
                }
            });
        }
        drop(send);
        let mut waiting = BTreeMap::new();
        let mut count = 0;
        let result = receive.iter().try_for_each(|(i, r)| {
            waiting.insert(i, r);
            while let Some(r) = waiting.remove(&count) {
                write(r)?;
                count += 1;
                queue.lock().unwrap_or_else(PoisonError::into_inner).written = Some(count);
                turn.notify_all();
            }
            Ok(())
        });
        if result.is_err() {
            queue.lock().unwrap_or_else(PoisonError::into_inner).written = None;
            turn.notify_all();
        }
        // The receiver goes here, so a worker that finishes a document after a failed write
        // stops at its send.
        drop(receive);
        result
    })
}

/// Which documents the workers have taken, and how many results are written.
struct Queue {
    /// Results written so far; `None` once writing failed.
    written: Option<usize>,
    taken: Vec<bool>,
    /// Every document before this one is taken.
    first_free: usize,
}

impl Queue {
    /// The next document for a worker: the largest not taken within the window, waiting while
    /// the window holds none; `None` when all are taken or writing failed.
    fn next(queue: &Mutex<Queue>, turn: &Condvar, window: usize, sizes: &[u64]) -> Option<usize> {
        let mut q = queue.lock().unwrap_or_else(PoisonError::into_inner);
        loop {
            while q.first_free < q.taken.len() && q.taken[q.first_free] {
                q.first_free += 1;
            }
            let written = q.written?;
            if q.first_free == q.taken.len() {
                return None;
            }
            let end = (written + window).min(q.taken.len());
            let pick = (q.first_free..end)
                .filter(|&i| !q.taken[i])
                .max_by_key(|&i| (sizes[i], std::cmp::Reverse(i)));
            if let Some(i) = pick {
                q.taken[i] = true;
                return Some(i);
            }
            q = turn.wait(q).unwrap_or_else(PoisonError::into_inner);
        }
    }
}

/// Runs the extraction; returns the exit status (0 all ok, 2 some documents not ok).
pub fn run(opts: Args) -> Result<i32> {
    let aliases = match &opts.aliases {
        Some(path) => Aliases::from_toml(
            &std::fs::read_to_string(path)
                .with_context(|| format!("cannot read {}", path.display()))?,
        )?,
        None => Aliases::default(),
    };
    let read_options = Options {
        aliases,
        limits: opts.limits.limits(),
        ocr: opts.ocr.models()?,
    };
    let Collected { inputs, loops } = collect(&opts.inputs)?;
    if !opts.quiet {
        for l in &loops {
            eprintln!("cnbudget: not following {l}: it leads back into a folder being read");
        }
    }
    let jobs = opts
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .max(1);
    let (mut documents, kept) =
        documents(inputs, jobs, opts.shard, read_options.limits.max_file_bytes);
    let existing: std::collections::HashSet<String> =
        if opts.resume && opts.out.join("documents.parquet").exists() {
            cnbudget_dataset::document_ids(&opts.out)?
        } else {
            Default::default()
        };
    documents.retain(|(id, _)| !existing.contains(id));
    // Bytes read for a document this shard or the dataset already has are not held.
    let kept = kept.filter(|_| !documents.is_empty());
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
    let mut progress = Progress::new(documents.len(), opts.quiet);
    let mut totals = Totals::default();
    read_in_order(&documents, jobs, &read_options, kept, |r| {
        totals.add(&r);
        writer.add(r)?;
        progress.update(totals.documents, totals.pages, totals.failures.len());
        Ok(())
    })?;
    progress.finish();
    let manifest = serde_json::json!({
        "tool": "cnbudget",
        "version": env!("CARGO_PKG_VERSION"),
        "schema_version": 1,
        "inputs": documents.iter().flat_map(|(_, i)| i.iter().map(|i| i.rel.clone())).collect::<Vec<_>>(),
        "links_not_followed": loops,
        "roots": roots(&opts.inputs),
        "options": { "shard": opts.shard.map(|(k, n)| format!("{k}/{n}")), "resume": opts.resume, "aliases": opts.aliases.as_ref().map(|p| p.display().to_string()) },
        "counts": totals.counts(),
    });
    writer.commit(&manifest)?;
    if !existing.is_empty() {
        cnbudget_dataset::merge(&[opts.out.clone(), target.clone()], &opts.out, &manifest)?;
        std::fs::remove_dir_all(&target)
            .with_context(|| format!("cannot remove {}", target.display()))?;
    }
    if !opts.quiet {
        totals.print(existing.len());
        println!("dataset: {}", opts.out.display());
        if let Some(peak) = peak_memory() {
            println!("peak memory: {} MB", peak / 1_000_000);
        }
    }
    Ok(if totals.failures.is_empty() { 0 } else { 2 })
}

/// The documents of a run: each content hash, with the inputs that hold those bytes.
type Documents = Vec<(String, Vec<Input>)>;

/// The documents of a run, in the order of their content hash (then path), so that the
/// dataset does not depend on the order of inputs; only shard `k` of `n` if asked (by
/// content, so that copies of one file fall in one shard); the same bytes under several
/// paths are one document, read once. The only input of a run is read whole here (unless
/// larger than `max_file_bytes`) and its bytes returned, for the reading.
fn documents(
    inputs: Vec<Input>,
    jobs: usize,
    shard: Option<(u32, u32)>,
    max_file_bytes: usize,
) -> (Documents, Option<FileBytes>) {
    let (mut hashed, kept) = match <[Input; 1]>::try_from(inputs) {
        Ok([only]) => match identify(&only.path, &only.rel, max_file_bytes) {
            Ok((id, bytes)) => (vec![(id, only)], bytes),
            // Unreadable: hashed as any input is (named so there), and the reader says why.
            Err(_) => (hash_all(vec![only], jobs), None),
        },
        Err(inputs) => (hash_all(inputs, jobs), None),
    };
    hashed.sort_by(|a, b| (&a.0, &a.1.rel).cmp(&(&b.0, &b.1.rel)));
    if let Some((k, n)) = shard {
        hashed.retain(|(id, _)| fnv1a(id) % u64::from(n) == u64::from(k - 1));
    }
    let mut documents = Documents::new();
    for (id, input) in hashed {
        match documents.last_mut() {
            Some((last, paths)) if *last == id => paths.push(input),
            _ => documents.push((id, vec![input])),
        }
    }
    (documents, kept)
}

/// What a run read, summed over its documents: the manifest's counts and the summary.
#[derive(Default)]
struct Totals {
    documents: usize,
    pages: u64,
    records: u64,
    verified: u64,
    identities: u64,
    held: u64,
    /// Pages read by OCR, their figures, and how many of those an identity confirms.
    ocr_pages: u64,
    ocr_figures: u64,
    ocr_verified: u64,
    statuses: BTreeMap<&'static str, usize>,
    kinds: BTreeMap<&'static str, u64>,
    /// Each document not `ok`: its path and error.
    failures: Vec<(String, String)>,
}

impl Totals {
    fn add(&mut self, r: &Extracted) {
        let d = &r.document;
        self.documents += 1;
        self.pages += u64::from(d.pages.unwrap_or(0));
        self.records += u64::from(d.records);
        self.verified += u64::from(d.figures_verified);
        self.identities += u64::from(d.checks);
        self.held += u64::from(d.identities_held);
        self.ocr_pages += u64::from(d.ocr_pages);
        self.ocr_figures += u64::from(d.ocr_figures);
        self.ocr_verified += u64::from(d.ocr_figures_verified);
        *self.statuses.entry(d.status.as_str()).or_default() += 1;
        for (k, v) in &d.tables_by_kind {
            *self.kinds.entry(k.key()).or_default() += u64::from(*v);
        }
        if d.status != Status::Ok {
            self.failures
                .push((d.path.clone(), d.error.clone().unwrap_or_default()));
        }
    }

    fn verified_share(&self) -> Option<f64> {
        (self.records > 0).then(|| self.verified as f64 / self.records as f64)
    }

    /// The manifest's `counts`.
    fn counts(&self) -> serde_json::Value {
        serde_json::json!({ "documents": self.documents, "pages": self.pages, "records": self.records, "figures_verified": self.verified, "verified_share": self.verified_share(), "identities": self.identities, "identities_held": self.held, "ocr_pages": self.ocr_pages, "ocr_figures": self.ocr_figures, "ocr_figures_verified": self.ocr_verified, "by_status": self.statuses, "tables_by_kind": self.kinds })
    }

    /// The summary on standard output.
    fn print(&self, already: usize) {
        let Totals {
            documents,
            pages,
            records,
            ..
        } = self;
        println!(
            "documents: {documents} ({already} already in the dataset)   pages: {pages}   records: {records}"
        );
        for (status, n) in &self.statuses {
            println!("  {status:<14} {n}");
        }
        if let Some(share) = self.verified_share() {
            println!(
                "verified: {:.1} % of {records} figures   identities: {} of {} hold",
                share * 100.0,
                self.held,
                self.identities
            );
        }
        if self.ocr_pages > 0 {
            let share = if self.ocr_figures > 0 {
                format!(
                    " ({:.1} %)",
                    self.ocr_verified as f64 * 100.0 / self.ocr_figures as f64
                )
            } else {
                String::new()
            };
            println!(
                "OCR: {} pages, {} figures, {} verified{share}",
                self.ocr_pages, self.ocr_figures, self.ocr_verified
            );
        }
        println!("tables by kind:");
        for (kind, n) in &self.kinds {
            println!("  {kind:<28} {n}");
        }
        for (path, error) in self.failures.iter().take(20) {
            // The error names the file; the path is for one that does not.
            let first = error.lines().next().unwrap_or("");
            if first.starts_with(path.as_str()) {
                println!("not ok: {first}");
            } else {
                println!("not ok: {path}: {first}");
            }
        }
    }
}
