//! `cnbudget`: Chinese government budget PDFs to one clean, comparable dataset.
//!
//! A thin layer: argument parsing, printing, and turning library errors into messages.

mod check;
use cnbudget::extract;
mod pages;
mod render;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use cnbudget_pdf::{text, Document};
use std::io::Write;
use std::path::PathBuf;

#[derive(Parser)]
#[command(
    name = "cnbudget",
    version,
    about = "Chinese department-budget PDFs to one clean, comparable dataset"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Pages, producer, encryption, page sizes and rotations, fonts, and text layers of a PDF.
    Info {
        file: PathBuf,
        /// Print JSON instead of a readable summary.
        #[arg(long)]
        json: bool,
    },
    /// Text in reading order, lines rebuilt from glyph positions.
    Text {
        file: PathBuf,
        /// Pages to print, e.g. `1-3,7` (default: all).
        #[arg(long)]
        pages: Option<String>,
        /// Keep columns aligned on a fixed-pitch grid, as `pdftotext -layout` does.
        #[arg(long)]
        layout: bool,
        #[command(flatten)]
        ocr: extract::OcrArgs,
    },
    /// Every table: title, label, meta lines, method, pages, header paths and cells.
    Tables {
        file: PathBuf,
        /// Only tables on these pages, e.g. `7-9`.
        #[arg(long)]
        pages: Option<String>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = render::Format::Md)]
        format: render::Format,
        #[command(flatten)]
        ocr: extract::OcrArgs,
    },
    /// The main job: a whole archive of budget PDFs to one Parquet dataset.
    ///
    /// Exit status: 0 every document ok; 2 some documents failed or were skipped (the dataset
    /// is still written and says which); 1 nothing could be done.
    Extract(extract::Args),
    /// Joins datasets (shards of one run) into one.
    Merge {
        /// The datasets to join.
        #[arg(required = true)]
        dirs: Vec<PathBuf>,
        /// Where to write the joined dataset.
        #[arg(long)]
        out: PathBuf,
    },
    /// Department, year, unit, recognised tables and every figure as a normalised record.
    Records {
        file: PathBuf,
        /// Output format: `csv` (one row per figure) or `json` (everything).
        #[arg(long, value_enum, default_value_t = render::RecordFormat::Csv)]
        format: render::RecordFormat,
        /// A TOML file merging renamed departments (`[departments]` `"old" = "new"`).
        #[arg(long)]
        aliases: Option<PathBuf>,
        #[command(flatten)]
        ocr: extract::OcrArgs,
    },
    /// The arithmetic audit: every identity the budget must satisfy, checked, per document.
    ///
    /// Exit status: 0 no `error` finding; 2 some document has one or could not be read.
    Check {
        /// PDF files or folders (searched recursively).
        #[arg(required = true)]
        inputs: Vec<String>,
        /// Also list `info` findings (differences within rounding).
        #[arg(long)]
        all: bool,
        /// Print the findings as JSON lines, one per finding, with the file.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        limits: extract::LimitArgs,
        #[command(flatten)]
        ocr: extract::OcrArgs,
    },
    /// The run report: one self-contained HTML page of a dataset (statuses, documents,
    /// findings with a picture of each printed cell, charts).
    Report {
        /// The dataset `extract` wrote.
        dataset: PathBuf,
        /// Where to write the HTML.
        #[arg(short, long, default_value = "report.html")]
        out: PathBuf,
        /// A folder the dataset's paths are relative to, where it is not the one `extract`
        /// recorded (repeatable).
        #[arg(long)]
        input: Vec<PathBuf>,
        /// Pictures of printed cells drawn at most (errors first).
        #[arg(long, default_value_t = cnbudget_report::Options::default().max_pictures)]
        max_pictures: usize,
    },
    /// Draws a page as SVG with glyph boxes, rules, cells and tables over it.
    Inspect {
        file: PathBuf,
        /// The page to draw (1-based).
        #[arg(long)]
        page: u32,
        /// Where to write the SVG (default: standard output).
        #[arg(short, long)]
        out: Option<PathBuf>,
        #[command(flatten)]
        ocr: extract::OcrArgs,
    },
    /// Writes synthetic budget PDFs, each with a ground-truth JSON of its tables.
    Synth {
        /// How many documents.
        #[arg(long, default_value_t = 20)]
        count: u32,
        /// The seed: the same seed writes byte-identical files.
        #[arg(long, default_value_t = 2026)]
        seed: u64,
        /// The folder to write into (created if missing).
        #[arg(long)]
        out: PathBuf,
        /// Also write the Zhejiang seed document (绍兴市大数据发展管理局 2021) reproduced.
        #[arg(long)]
        with_seed_document: bool,
        /// Write one inconsistency into each document (a wrong total, a blank cell or swapped
        /// narrative figures, in turn), recorded in its truth file: the audit's test load.
        #[arg(long)]
        inject: bool,
        /// Which documents: Jiangsu-layout budgets (`jiangsu`, the default corpus), budgets in
        /// other provinces' layouts (`national`), or final accounts (`final`, each with the
        /// same department's budget of the year beside it).
        #[arg(long, value_enum, default_value_t = Family::Jiangsu)]
        family: Family,
    },
}

/// jemalloc: each thread allocates from caches of its own. With glibc's allocator `--jobs 2`
/// was no faster than `--jobs 1` (with one arena the workers queued on its lock; with an
/// arena per thread the freed memory of past documents stayed behind and peak memory grew
/// with the archive); jemalloc gives both speed and a flat peak (docs/benchmarks.md).
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// jemalloc's options, read before `main`: freed pages go back to the system after half a
/// second rather than ten (peak memory, national sample ×3 with 2 jobs: 199–219 → 167 MB, for
/// 2 % more CPU). `_RJEM_MALLOC_CONF` in the environment overrides them. jemalloc reads the
/// symbol as a C string pointer, which is what `Option<&u8>` is laid out as.
#[cfg(not(target_env = "msvc"))]
#[export_name = "_rjem_malloc_conf"]
static MALLOC_CONF: Option<&u8> = Some(&b"dirty_decay_ms:500,muzzy_decay_ms:0\0"[0]);

fn main() {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Info { file, json } => info(file, json),
        Command::Text {
            file,
            pages,
            layout,
            ocr,
        } => text_cmd(file, pages, layout, &ocr),
        Command::Tables {
            file,
            pages,
            format,
            ocr,
        } => tables(file, pages, format, &ocr),
        Command::Inspect {
            file,
            page,
            out,
            ocr,
        } => inspect(file, page, out, &ocr),
        Command::Records {
            file,
            format,
            aliases,
            ocr,
        } => records(file, format, aliases, &ocr),
        Command::Extract(options) => match extract::run(options) {
            Ok(code) => std::process::exit(code),
            Err(e) => Err(e),
        },
        Command::Merge { dirs, out } => merge(dirs, out),
        Command::Report {
            dataset,
            out,
            input,
            max_pictures,
        } => report(dataset, out, input, max_pictures),
        Command::Check {
            inputs,
            all,
            json,
            limits,
            ocr,
        } => match check::run(&inputs, all, json, &limits, &ocr) {
            Ok(code) => std::process::exit(code),
            Err(e) => Err(e),
        },

        Command::Synth {
            count,
            seed,
            out,
            with_seed_document,
            inject,
            family,
        } => synth(count, seed, out, with_seed_document, inject, family),
    };
    if let Err(e) = result {
        eprintln!("cnbudget: {e:#}");
        std::process::exit(1);
    }
}

fn info(file: PathBuf, json: bool) -> Result<()> {
    let doc = Document::open(&file)?;
    let info = doc.info();
    let mut out = std::io::stdout().lock();
    if json {
        serde_json::to_writer_pretty(&mut out, &info)?;
        writeln!(out)?;
        return Ok(());
    }
    writeln!(out, "file:      {}", info.path.display())?;
    writeln!(
        out,
        "pdf:       {}  pages: {}  encrypted: {}",
        info.pdf_version,
        info.pages,
        if info.encrypted {
            "yes (empty user password)"
        } else {
            "no"
        }
    )?;
    writeln!(
        out,
        "producer:  {}",
        info.producer.as_deref().unwrap_or("-")
    )?;
    writeln!(out, "creator:   {}", info.creator.as_deref().unwrap_or("-"))?;
    writeln!(out, "pages:")?;
    for p in &info.page_info {
        let layer = if p.glyphs > 0 {
            format!("{} glyphs", p.glyphs)
        } else if p.images > 0 {
            format!("NO TEXT LAYER ({} images: scanned?)", p.images)
        } else {
            "no text layer (blank)".into()
        };
        writeln!(
            out,
            "  {:>4}  {:>7.1} x {:<7.1} rotate {:>3}  {}",
            p.number, p.width, p.height, p.rotation, layer
        )?;
    }
    writeln!(out, "fonts:")?;
    for f in &info.fonts {
        writeln!(
            out,
            "  {:<40} {:<22} {:<22} tounicode={} embedded={}",
            f.name,
            f.subtype,
            f.encoding,
            if f.to_unicode { "yes" } else { "no" },
            if f.embedded { "yes" } else { "no" }
        )?;
    }
    Ok(())
}

/// Pages of a document as `extract` reads them: one without a text layer that paints an
/// image is read by OCR when the models are given, loaded the first time a page needs them
/// (a born-digital file never loads them).
struct PageReader<'a> {
    doc: &'a Document,
    ocr: &'a extract::OcrArgs,
    /// Once a page needed OCR: the options with the models, or none if none were given.
    opts: Option<Option<cnbudget_pipeline::Options>>,
}

impl<'a> PageReader<'a> {
    fn new(doc: &'a Document, ocr: &'a extract::OcrArgs) -> Self {
        PageReader {
            doc,
            ocr,
            opts: None,
        }
    }

    /// Page `n`, read by OCR where it needs it and `ocr` allows; a page OCR cannot read is
    /// told on standard error and kept as its text layer gives it (empty), as `extract` does.
    fn page(&mut self, n: u32, ocr: bool) -> Result<cnbudget_pdf::Page> {
        let mut page = self.doc.page(n)?;
        if !(ocr && cnbudget_pipeline::needs_ocr(&page)) {
            return Ok(page);
        }
        if self.opts.is_none() {
            let models = self.ocr.models()?;
            self.opts = Some(models.map(|m| cnbudget_pipeline::Options {
                ocr: Some(m),
                ..Default::default()
            }));
        }
        if let Some(Some(opts)) = &self.opts {
            for e in cnbudget_pipeline::ocr_pages(self.doc, [&mut page], opts)? {
                eprintln!("cnbudget: {e}");
            }
        }
        Ok(page)
    }
}

fn text_cmd(
    file: PathBuf,
    pages: Option<String>,
    layout: bool,
    ocr: &extract::OcrArgs,
) -> Result<()> {
    let doc = Document::open(&file)?;
    let numbers = match pages {
        Some(spec) => pages::parse(&spec, doc.page_count())
            .with_context(|| format!("bad --pages {spec:?}"))?,
        None => (1..=doc.page_count()).collect(),
    };
    let mut reader = PageReader::new(&doc, ocr);
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for n in numbers {
        let page = reader.page(n, true)?;
        out.write_all(text::page_text(&page, layout).as_bytes())?;
        out.write_all(b"\x0c")?;
    }
    out.flush()?;
    Ok(())
}

/// The families of synthetic documents.
#[derive(Clone, Copy, clap::ValueEnum)]
enum Family {
    Jiangsu,
    National,
    Final,
}

fn synth(
    count: u32,
    seed: u64,
    out: PathBuf,
    with_seed_document: bool,
    inject: bool,
    family: Family,
) -> Result<()> {
    if inject && !matches!(family, Family::Jiangsu) {
        anyhow::bail!("--inject writes into the Jiangsu family only");
    }
    std::fs::create_dir_all(&out).with_context(|| format!("cannot create {}", out.display()))?;
    let seed_document = with_seed_document.then(cnbudget_synth::shaoxing_2021);
    let documents = (0..count).flat_map(|index| match family {
        Family::Jiangsu => vec![cnbudget_synth::generate_with(seed, index, inject)],
        Family::National => vec![cnbudget_synth::generate_national(seed, index)],
        Family::Final => {
            let p = cnbudget_synth::generate_panel(seed, index);
            vec![p.final_account, p.budget]
        }
    });
    for g in documents.chain(seed_document) {
        let pdf = out.join(format!("{}.pdf", g.stem));
        std::fs::write(&pdf, &g.pdf).with_context(|| format!("cannot write {}", pdf.display()))?;
        let truth = out.join(format!("{}.truth.json", g.stem));
        std::fs::write(&truth, serde_json::to_string_pretty(&g.truth)? + "\n")
            .with_context(|| format!("cannot write {}", truth.display()))?;
    }
    println!("wrote {count} documents (seed {seed}) to {}", out.display());
    Ok(())
}

fn tables(
    file: PathBuf,
    pages: Option<String>,
    format: render::Format,
    ocr: &extract::OcrArgs,
) -> Result<()> {
    let doc = Document::open(&file)?;
    let wanted = match pages {
        Some(spec) => pages::parse(&spec, doc.page_count())
            .with_context(|| format!("bad --pages {spec:?}"))?,
        None => (1..=doc.page_count()).collect(),
    };
    // Every page, for tables that run across pages; only the wanted ones are OCR'd.
    let mut reader = PageReader::new(&doc, ocr);
    let all: Vec<_> = (1..=doc.page_count())
        .map(|n| reader.page(n, wanted.contains(&n)))
        .collect::<Result<_>>()?;
    let tables: Vec<_> = cnbudget_table::document_tables(&all)
        .tables
        .into_iter()
        .filter(|t| t.pages.iter().any(|p| wanted.contains(p)))
        .collect();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    render::tables(&mut out, &tables, format)?;
    out.flush()?;
    Ok(())
}

fn inspect(file: PathBuf, page: u32, out: Option<PathBuf>, ocr: &extract::OcrArgs) -> Result<()> {
    let doc = Document::open(&file)?;
    let p = PageReader::new(&doc, ocr).page(page, true)?;
    let svg = cnbudget_table::svg::page_svg(&p, &cnbudget_table::page_tables(&p));
    match out {
        Some(path) => std::fs::write(&path, svg)
            .with_context(|| format!("cannot write {}", path.display()))?,
        None => std::io::stdout().lock().write_all(svg.as_bytes())?,
    }
    Ok(())
}

fn records(
    file: PathBuf,
    format: render::RecordFormat,
    aliases: Option<PathBuf>,
    ocr: &extract::OcrArgs,
) -> Result<()> {
    let aliases = match aliases {
        Some(path) => cnbudget_normalize::Aliases::from_toml(
            &std::fs::read_to_string(&path)
                .with_context(|| format!("cannot read {}", path.display()))?,
        )?,
        None => cnbudget_normalize::Aliases::default(),
    };
    let opts = cnbudget_pipeline::Options {
        aliases,
        limits: Default::default(),
        ocr: ocr.models()?,
    };
    let reading = cnbudget_pipeline::read_file(&file, &file.display().to_string(), &opts);
    let Some(records) = reading.records else {
        anyhow::bail!("{}", reading.error.unwrap_or_default());
    };
    if let Some(e) = reading.error {
        eprintln!("cnbudget: {e}");
    }
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    render::records(&mut out, &records, format)?;
    out.flush()?;
    Ok(())
}

fn report(dataset: PathBuf, out: PathBuf, inputs: Vec<PathBuf>, max_pictures: usize) -> Result<()> {
    let options = cnbudget_report::Options {
        inputs,
        max_pictures,
    };
    let s = cnbudget_report::write(&dataset, &out, &options)?;
    println!(
        "report: {} documents, {} findings ({} with a picture of the printed cell) -> {}",
        s.documents,
        s.findings,
        s.pictures,
        out.display()
    );
    Ok(())
}

fn merge(dirs: Vec<PathBuf>, out: PathBuf) -> Result<()> {
    let manifest = serde_json::json!({ "tool": "cnbudget", "version": env!("CARGO_PKG_VERSION"), "schema_version": 1, "merged_from": dirs.iter().map(|d| d.display().to_string()).collect::<Vec<_>>() });
    cnbudget_dataset::merge(&dirs, &out, &manifest)?;
    println!("merged {} datasets into {}", dirs.len(), out.display());
    Ok(())
}
