//! The dataset of cnbudget: every document's normalised records written as Parquet with
//! polars, deterministically (rows in document-id order, no timestamps in data files), into a
//! temporary folder renamed into place, so an interrupted run never leaves half a dataset.
//!
//! Layout (documented in `docs/schema.md`):
//! `documents.parquet`, `line_items/fiscal_year=YYYY/part-*.parquet` (Hive partitioning: the
//! year is in the path, not in the files), `performance_targets/part-*.parquet`,
//! `facts.parquet`, `diagnostics.parquet`, `manifest.json`.

mod columns;
mod rows;

pub use cnbudget_pipeline::Status;
pub use rows::{DiagnosticRow, DocumentRow, Extracted};

use polars::prelude::*;
use std::collections::BTreeMap;
use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};

/// Typed errors of the dataset stage.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DatasetError {
    /// The output folder could not be written.
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// polars refused a frame or a file.
    #[error("{path}: {message}")]
    Parquet { path: PathBuf, message: String },
}

/// The dataset stage's result type.
pub type Result<T, E = DatasetError> = std::result::Result<T, E>;

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> DatasetError + '_ {
    move |source| DatasetError::Io {
        path: path.to_path_buf(),
        source,
    }
}

fn pq(path: &Path) -> impl FnOnce(PolarsError) -> DatasetError + '_ {
    move |e| DatasetError::Parquet {
        path: path.to_path_buf(),
        message: e.to_string(),
    }
}

/// Rows buffered before they go to the file as one row group: memory stays bounded however
/// many documents a run reads.
const ROW_GROUP: usize = 10_000;

/// One Parquet file written in row groups.
struct TableFile {
    path: PathBuf,
    writer: polars::io::parquet::write::BatchedWriter<BufWriter<File>>,
}

impl TableFile {
    fn create(path: PathBuf, df: &DataFrame) -> Result<TableFile> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(io(dir))?;
        }
        // Buffered: the Parquet writer writes page headers and the footer a few bytes at a
        // time (tens of thousands of system calls a run); its finish flushes, with errors.
        let file = BufWriter::new(File::create(&path).map_err(io(&path))?);
        let writer = parquet_writer(file)
            .batched(df.schema())
            .map_err(pq(&path))?;
        Ok(TableFile { path, writer })
    }

    fn write(&mut self, df: &DataFrame) -> Result<()> {
        self.writer.write_batch(df).map_err(pq(&self.path))
    }

    fn finish(self) -> Result<()> {
        self.writer.finish().map(|_| ()).map_err(pq(&self.path))
    }
}

/// Buffered rows of one table, flushed as row groups to its file.
struct Table<R> {
    rows: Vec<R>,
    file: Option<TableFile>,
    path: PathBuf,
    frame: fn(&[R]) -> PolarsResult<DataFrame>,
}

impl<R> Table<R> {
    fn new(path: PathBuf, frame: fn(&[R]) -> PolarsResult<DataFrame>) -> Self {
        Table {
            rows: Vec::new(),
            file: None,
            path,
            frame,
        }
    }

    fn push(&mut self, rows: impl IntoIterator<Item = R>) -> Result<()> {
        self.rows.extend(rows);
        if self.rows.len() >= ROW_GROUP {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<()> {
        let df = (self.frame)(&self.rows).map_err(pq(&self.path))?;
        if self.file.is_none() {
            self.file = Some(TableFile::create(self.path.clone(), &df)?);
        }
        if let Some(f) = self.file.as_mut() {
            if df.height() > 0 {
                f.write(&df)?;
            }
        }
        self.rows.clear();
        Ok(())
    }

    fn finish(mut self) -> Result<()> {
        self.flush()?;
        match self.file {
            Some(f) => f.finish(),
            None => Ok(()),
        }
    }
}

/// Writes a dataset into a temporary folder beside `out`; [`DatasetWriter::commit`] renames
/// it into place. Documents must be added in the order the dataset lists them.
pub struct DatasetWriter {
    out: PathBuf,
    tmp: PathBuf,
    part: String,
    /// Held to the end: a document's relations to the others are known only then (one
    /// small row per document).
    documents: Vec<DocumentRow>,
    documents_file: Table<DocumentRow>,
    line_items: BTreeMap<String, Table<rows::LineItemRow>>,
    targets: Table<rows::TargetRow>,
    facts: Table<rows::FactRow>,
    checks: Table<rows::CheckRow>,
    diagnostics: Table<DiagnosticRow>,
}

impl DatasetWriter {
    /// Starts a dataset for `out`; `part` names the part files (`part-0`, `part-2-of-3`).
    pub fn create(out: &Path, part: &str) -> Result<DatasetWriter> {
        let name = out
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "dataset".into());
        let tmp = out.with_file_name(format!(".{name}.tmp-{}", std::process::id()));
        if tmp.exists() {
            std::fs::remove_dir_all(&tmp).map_err(io(&tmp))?;
        }
        std::fs::create_dir_all(&tmp).map_err(io(&tmp))?;
        Ok(DatasetWriter {
            out: out.to_path_buf(),
            part: part.to_string(),
            documents: Vec::new(),
            documents_file: Table::new(tmp.join("documents.parquet"), columns::documents),
            line_items: BTreeMap::new(),
            targets: Table::new(
                tmp.join("performance_targets")
                    .join(format!("{part}.parquet")),
                columns::targets,
            ),
            facts: Table::new(tmp.join("facts.parquet"), columns::facts),
            checks: Table::new(tmp.join("checks.parquet"), columns::checks),
            diagnostics: Table::new(tmp.join("diagnostics.parquet"), columns::diagnostics),
            tmp,
        })
    }

    /// Adds one document's rows.
    pub fn add(&mut self, doc: Extracted) -> Result<()> {
        let (document, items, targets, facts, checks, diagnostics) = rows::split(doc);
        for item in items {
            let partition = format!(
                "fiscal_year={}",
                item.fiscal_year
                    .map_or("unknown".to_string(), |y| y.to_string())
            );
            let path = self
                .tmp
                .join("line_items")
                .join(&partition)
                .join(format!("{}.parquet", self.part));
            self.line_items
                .entry(partition)
                .or_insert_with(|| Table::new(path, columns::line_items))
                .push([item])?;
        }
        self.documents.push(document);
        self.targets.push(targets)?;
        self.facts.push(facts)?;
        self.checks.push(checks)?;
        self.diagnostics.push(diagnostics)?;
        Ok(())
    }

    /// Finishes every file, writes the manifest, and renames the dataset into place (the
    /// previous one, if any, is replaced only once the new one is complete).
    pub fn commit(mut self, manifest: &serde_json::Value) -> Result<()> {
        rows::relate(&mut self.documents);
        self.documents_file.push(self.documents)?;
        self.documents_file.finish()?;
        for (_, t) in self.line_items {
            t.finish()?;
        }
        self.targets.finish()?;
        self.facts.finish()?;
        self.checks.finish()?;
        self.diagnostics.finish()?;
        let path = self.tmp.join("manifest.json");
        let text = serde_json::to_string_pretty(manifest).unwrap_or_default() + "\n";
        std::fs::write(&path, text).map_err(io(&path))?;
        let (out, tmp) = (self.out, self.tmp);
        rename_into_place(&out, &tmp)
    }

    fn rename_into_place(self) -> Result<()> {
        rename_into_place(&self.out, &self.tmp)
    }
}

/// Replaces `out` by the finished dataset in `tmp`; the previous dataset is removed only
/// once the new one stands in its place.
fn rename_into_place(out: &Path, tmp: &Path) -> Result<()> {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let old = out.with_file_name(format!(".{name}.old-{}", std::process::id()));
    if out.exists() {
        std::fs::rename(out, &old).map_err(io(out))?;
    }
    std::fs::rename(tmp, out).map_err(io(out))?;
    if old.exists() {
        std::fs::remove_dir_all(&old).map_err(io(&old))?;
    }
    Ok(())
}

/// Reads one table of a dataset back: `documents`, `facts`, `diagnostics` (one file each) or
/// `line_items` / `performance_targets` (all part files; `fiscal_year` restored from the path).
pub fn read_table(dir: &Path, table: &str) -> Result<DataFrame> {
    let single = dir.join(format!("{table}.parquet"));
    if single.exists() {
        let file = File::open(&single).map_err(io(&single))?;
        return ParquetReader::new(file).finish().map_err(pq(&single));
    }
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(dir.join(table))
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .map(walkdir::DirEntry::into_path)
        .filter(|p| p.extension().is_some_and(|x| x == "parquet"))
        .collect();
    files.sort();
    let mut out: Option<DataFrame> = None;
    for f in files {
        let file = File::open(&f).map_err(io(&f))?;
        let mut df = ParquetReader::new(file).finish().map_err(pq(&f))?;
        let year = f
            .parent()
            .and_then(|p| p.file_name())
            .and_then(|n| n.to_str())
            .and_then(|n| n.strip_prefix("fiscal_year="))
            .and_then(|y| y.parse::<i32>().ok());
        if table == "line_items" {
            let column = Column::new("fiscal_year".into(), vec![year; df.height()]);
            df.with_column(column).map_err(pq(&f))?;
        }
        out = Some(match out {
            Some(mut acc) => {
                acc.vstack_mut_owned(df).map_err(pq(&f))?;
                acc
            }
            None => df,
        });
    }
    Ok(out.unwrap_or_default())
}

/// Tables of a dataset, in the order they are written.
const TABLES: &[&str] = &[
    "documents",
    "line_items",
    "performance_targets",
    "facts",
    "checks",
    "diagnostics",
];

/// Sorts rows by document, keeping each document's own row order (a stable sort).
fn by_document(df: &DataFrame, path: &Path) -> Result<DataFrame> {
    if df.height() == 0 {
        return Ok(df.clone());
    }
    let sort = if df.get_column_names().iter().any(|c| c.as_str() == "path") {
        vec!["doc_id", "path"]
    } else {
        vec!["doc_id"]
    };
    df.sort(
        sort,
        SortMultipleOptions::default().with_maintain_order(true),
    )
    .map_err(pq(path))
}

fn write_frame(path: &Path, df: &mut DataFrame) -> Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(io(dir))?;
    }
    let file = BufWriter::new(File::create(path).map_err(io(path))?);
    write_parquet(file, df).map_err(pq(path))
}

/// Every Parquet file of the dataset is written this way.
///
/// Snappy, the codec every Parquet reader has (pyarrow's and Spark's default). Zstd made
/// files a quarter smaller (national sample: 720 against 968 KB) but polars creates a zstd
/// context per page, and each runs `cpuid`, which traps to the hypervisor on a virtual
/// machine: 1.7 ms of a one-document run, more than pdftotext needs for a short file.
///
/// Columns are encoded one after another on the writing thread: the reading workers already
/// keep every core busy, and polars' own pool only made its idle threads spin against them
/// (and cost a one-document run the pool's start).
fn parquet_writer<W: std::io::Write>(w: W) -> ParquetWriter<W> {
    ParquetWriter::new(w)
        .with_compression(ParquetCompression::Snappy)
        .set_parallel(false)
}

fn write_parquet<W: std::io::Write>(w: W, df: &mut DataFrame) -> PolarsResult<()> {
    parquet_writer(w).finish(df).map(|_| ())
}

/// One document's tables in memory, named and ordered as the dataset's tables, with the
/// dataset's columns and types: what a library caller (the Python package, a Spark job) gets
/// for one PDF instead of a dataset folder. `line_items` carries `fiscal_year` (Int32, null
/// when unknown) as [`read_table`] gives it back, since the dataset keeps it in the path.
pub fn document_frames(doc: Extracted) -> Result<Vec<(&'static str, DataFrame)>> {
    let path = PathBuf::from(&doc.document.path);
    let (document, items, targets, facts, checks, diagnostics) = rows::split(doc);
    let years: Vec<Option<i32>> = items.iter().map(|i| i.fiscal_year.map(i32::from)).collect();
    let frames = || -> PolarsResult<Vec<(&'static str, DataFrame)>> {
        let mut line_items = columns::line_items(&items)?;
        line_items.with_column(Column::new("fiscal_year".into(), years))?;
        Ok(vec![
            ("documents", columns::documents(&[document])?),
            ("line_items", line_items),
            ("performance_targets", columns::targets(&targets)?),
            ("facts", columns::facts(&facts)?),
            ("checks", columns::checks(&checks)?),
            ("diagnostics", columns::diagnostics(&diagnostics)?),
        ])
    };
    frames().map_err(pq(&path))
}

/// A frame as the bytes of a Parquet file, written as the dataset's files are: the way to hand
/// a table across a language boundary without linking two Arrow implementations.
pub fn parquet_bytes(df: &mut DataFrame) -> Result<Vec<u8>> {
    let mut buf = Vec::new();
    write_parquet(&mut buf, df).map_err(pq(Path::new("(in memory)")))?;
    Ok(buf)
}

/// Joins datasets (shards of one run, or an old dataset and the documents a resumed run
/// added) into one at `out`, rows in document order, written and committed atomically.
pub fn merge(dirs: &[PathBuf], out: &Path, manifest: &serde_json::Value) -> Result<()> {
    let writer = DatasetWriter::create(out, "part-0")?;
    for table in TABLES {
        let mut all: Option<DataFrame> = None;
        for dir in dirs {
            let df = read_table(dir, table)?;
            if df.width() == 0 {
                continue;
            }
            all = Some(match all {
                Some(mut acc) => {
                    acc.vstack_mut_owned(df).map_err(pq(dir))?;
                    acc
                }
                None => df,
            });
        }
        let Some(df) = all else { continue };
        let df = by_document(&df, out)?;
        match *table {
            "line_items" => {
                let years: Vec<Option<i32>> = df
                    .column("fiscal_year")
                    .and_then(|c| c.i32().map(|ca| (0..ca.len()).map(|i| ca.get(i)).collect()))
                    .map_err(pq(out))?;
                let mut distinct: Vec<Option<i32>> = years.clone();
                distinct.sort_unstable();
                distinct.dedup();
                for year in distinct {
                    let mask: BooleanChunked = years.iter().map(|y| *y == year).collect();
                    let mut part = df
                        .filter(&mask)
                        .and_then(|p| p.drop("fiscal_year"))
                        .map_err(pq(out))?;
                    let partition = format!(
                        "fiscal_year={}",
                        year.map_or("unknown".to_string(), |y| y.to_string())
                    );
                    write_frame(
                        &writer
                            .tmp
                            .join("line_items")
                            .join(partition)
                            .join("part-0.parquet"),
                        &mut part,
                    )?;
                }
            }
            "performance_targets" => write_frame(
                &writer
                    .tmp
                    .join("performance_targets")
                    .join("part-0.parquet"),
                &mut df.clone(),
            )?,
            "documents" => write_frame(
                &writer.tmp.join("documents.parquet"),
                &mut relate_frame(df, out)?,
            )?,
            name => write_frame(&writer.tmp.join(format!("{name}.parquet")), &mut df.clone())?,
        }
    }
    let path = writer.tmp.join("manifest.json");
    std::fs::write(
        &path,
        serde_json::to_string_pretty(manifest).unwrap_or_default() + "\n",
    )
    .map_err(io(&path))?;
    writer.rename_into_place()
}

/// `documents` with `same_budget_as` made anew over all its rows (documents of one
/// department and year can come from different shards).
fn relate_frame(mut df: DataFrame, path: &Path) -> Result<DataFrame> {
    let strs = |name: &str| -> Result<Vec<Option<String>>> {
        let c = df.column(name).map_err(pq(path))?;
        let s = c.str().map_err(pq(path))?;
        Ok((0..s.len()).map(|i| s.get(i).map(str::to_string)).collect())
    };
    let (ids, depts, statuses) = (strs("doc_id")?, strs("department")?, strs("status")?);
    let years: Vec<Option<u16>> = df
        .column("fiscal_year")
        .and_then(|c| {
            c.u32()
                .map(|ca| (0..ca.len()).map(|i| ca.get(i)).collect::<Vec<_>>())
        })
        .map_err(pq(path))?
        .into_iter()
        .map(|y| y.and_then(|y| u16::try_from(y).ok()))
        .collect();
    let read = |s: &Option<String>| {
        s.as_deref()
            .and_then(Status::from_key)
            .is_some_and(Status::read)
    };
    let twins = rows::same_budget((0..ids.len()).map(|i| {
        (
            ids[i].as_deref().unwrap_or_default(),
            depts[i].as_deref().filter(|_| read(&statuses[i])),
            years[i],
        )
    }));
    df.with_column(Column::new("same_budget_as".into(), twins))
        .map_err(pq(path))?;
    Ok(df)
}

/// The ids of the documents a dataset holds (for `--resume`).
pub fn document_ids(dir: &Path) -> Result<std::collections::HashSet<String>> {
    let path = dir.join("documents.parquet");
    let df = read_table(dir, "documents")?;
    let ids = df
        .column("doc_id")
        .and_then(|c| {
            c.str().map(|s| {
                (0..s.len())
                    .filter_map(|i| s.get(i).map(str::to_string))
                    .collect()
            })
        })
        .map_err(pq(&path))?;
    Ok(ids)
}
