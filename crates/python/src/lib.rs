//! `cnbudget._native`: the Rust side of the Python package. It reads documents with the
//! library entry point and hands each table back as the bytes of a Parquet file written by the
//! dataset's own writer, so Python sees exactly the dataset's columns and types (decimals
//! stay decimals) without a second schema or an Arrow bridge. The Python side
//! (`python/cnbudget/__init__.py`) turns the bytes into polars frames and raises the typed
//! exceptions.
//!
//! Rust works with the GIL released; a panic never crosses into Python: the pipeline catches
//! its own, and every entry here catches the rest and raises `CnbudgetError` naming the file.

use clap::Parser;
use cnbudget::extract::{document_id, identify, Args, LimitArgs};
use cnbudget_dataset::{document_frames, parquet_bytes, Extracted};
use cnbudget_pipeline::{Options, Reader, Reading};
use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use pyo3::types::PyBytes;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;

create_exception!(
    _native,
    CnbudgetError,
    PyException,
    "A document or a batch could not be read or written; the message names the file."
);

/// The command line's own flags, so a call from Python runs under the same defaults (limits,
/// timeout) as `cnbudget extract`.
#[derive(Parser)]
#[command(name = "cnbudget extract")]
struct ExtractFlags {
    #[command(flatten)]
    args: Args,
}

/// The per-document limits `cnbudget extract` applies when given no flags.
#[derive(Parser)]
struct LimitFlags {
    #[command(flatten)]
    limits: LimitArgs,
}

/// Runs `work` with the GIL released; a panic becomes `CnbudgetError` naming `what`.
fn guarded<T: Send>(
    py: Python<'_>,
    what: &str,
    work: impl FnOnce() -> Result<T, String> + Send,
) -> PyResult<T> {
    py.detach(|| catch_unwind(AssertUnwindSafe(work)))
        .unwrap_or_else(|p| {
            let msg = p
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| p.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            Err(format!("{what}: internal error (panic): {msg}"))
        })
        .map_err(CnbudgetError::new_err)
}

/// One document's status, error and tables as (name, Parquet bytes).
type Tables = (String, Option<String>, Vec<(&'static str, Vec<u8>)>);

/// [`Tables`] as Python gets them.
type PyTables<'py> = (
    String,
    Option<String>,
    Vec<(&'static str, Bound<'py, PyBytes>)>,
);

/// Reads one document under `cnbudget extract`'s default limits into the dataset's tables.
fn tables(
    paths: Vec<String>,
    read: impl FnOnce(&Options) -> Result<(String, u64, Reading), String>,
) -> Result<Tables, String> {
    let limits = LimitFlags::try_parse_from(["cnbudget"])
        .map_err(|e| e.to_string())?
        .limits
        .limits();
    let opts = Options {
        limits,
        ..Options::default()
    };
    let (doc_id, bytes, reading) = read(&opts)?;
    let (status, error) = (reading.status.as_str().to_string(), reading.error.clone());
    let name = reading.name.clone();
    let frames = document_frames(Extracted::new(doc_id, paths, bytes, reading))
        .map_err(|e| format!("{name}: {e}"))?;
    let mut out = Vec::new();
    for (table, mut df) in frames {
        out.push((
            table,
            parquet_bytes(&mut df).map_err(|e| format!("{name}: {e}"))?,
        ));
    }
    Ok((status, error, out))
}

fn to_python(py: Python<'_>, (status, error, tables): Tables) -> PyTables<'_> {
    let tables = tables
        .into_iter()
        .map(|(name, bytes)| (name, PyBytes::new(py, &bytes)))
        .collect();
    (status, error, tables)
}

/// Reads a PDF given as bytes; `name` names it in errors and in the dataset (its path),
/// `paths` every path the same bytes were found under. Returns (status, error, tables).
#[pyfunction]
fn read_bytes<'py>(
    py: Python<'py>,
    data: &[u8],
    name: String,
    paths: Vec<String>,
) -> PyResult<PyTables<'py>> {
    let done = guarded(py, &name, || {
        tables(paths, |opts| {
            let reading = cnbudget_pipeline::read(data, &name, opts);
            Ok((document_id(data), data.len() as u64, reading))
        })
    })?;
    Ok(to_python(py, done))
}

/// Reads a PDF file under the command line's limits (file size, timeout), as `extract` does.
#[pyfunction]
fn read_path<'py>(
    py: Python<'py>,
    path: PathBuf,
    name: String,
    paths: Vec<String>,
) -> PyResult<PyTables<'py>> {
    let done = guarded(py, &name, || {
        tables(paths, |opts| {
            let max = opts.limits.max_file_bytes;
            let (id, bytes) = identify(&path, &name, max).map_err(|e| e.to_string())?;
            Ok(match bytes {
                Some(bytes) => {
                    let size = bytes.len() as u64;
                    (id, size, Reader::new(opts).read_bytes(bytes, &name))
                }
                // Over the size limit: the reader refuses it, as `extract` does.
                None => {
                    let size = std::fs::metadata(&path).map_or(0, |m| m.len());
                    (id, size, cnbudget_pipeline::read_file(&path, &name, opts))
                }
            })
        })
    })?;
    Ok(to_python(py, done))
}

/// Runs `cnbudget extract` with these arguments (inputs and flags, as on the command line);
/// returns its exit status: 0 every document ok, 2 some not (the dataset says which).
#[pyfunction]
fn extract(py: Python<'_>, argv: Vec<String>) -> PyResult<i32> {
    let flags =
        ExtractFlags::try_parse_from(std::iter::once("cnbudget extract".to_string()).chain(argv))
            .map_err(|e| CnbudgetError::new_err(e.to_string()))?;
    let out = flags.args.out.display().to_string();
    guarded(py, &out, move || {
        cnbudget::extract::run(flags.args).map_err(|e| format!("{e:#}"))
    })
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("CnbudgetError", m.py().get_type::<CnbudgetError>())?;
    m.add_function(wrap_pyfunction!(read_bytes, m)?)?;
    m.add_function(wrap_pyfunction!(read_path, m)?)?;
    m.add_function(wrap_pyfunction!(extract, m)?)?;
    Ok(())
}
