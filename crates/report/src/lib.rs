//! The run report of cnbudget: one self-contained HTML page (no network, no external script,
//! style or font) that a person opens after `cnbudget extract` — the statuses and why, one
//! sortable row per document, the audit's findings with a picture of each printed cell, and
//! charts of expenditure by function class, verified share and table kinds per region.
//! `docs/report.md` says what each part shows and where it comes from.
//!
//! The page is a minijinja template (`templates/`), the charts plotters SVG, the pictures the
//! table stage's page drawing cut to the cell.

mod charts;
mod crops;
mod data;

pub use data::region;

use data::{Dataset, Document, Finding};
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

/// Typed errors of the report.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReportError {
    /// A dataset table could not be read (the error names the file).
    #[error(transparent)]
    Dataset(#[from] cnbudget_dataset::DatasetError),
    /// A column is missing or of an unexpected type.
    #[error("{path}: column {column}: {message}")]
    Column {
        path: PathBuf,
        column: String,
        message: String,
    },
    /// `manifest.json` is not JSON. (The cause is in the message, not a `source`: a
    /// printed chain would say it twice.)
    #[error("{path}: {error}")]
    Manifest {
        path: PathBuf,
        error: serde_json::Error,
    },
    /// A file could not be read or written.
    #[error("{path}: {error}")]
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
    /// plotters refused a chart.
    #[error("chart {chart}: {message}")]
    Chart {
        chart: &'static str,
        message: String,
    },
    /// The template did not render.
    #[error("template {0}")]
    Template(#[from] minijinja::Error),
}

/// The report's result type.
pub type Result<T, E = ReportError> = std::result::Result<T, E>;

/// How the report is made.
#[derive(Debug, Clone)]
pub struct Options {
    /// Folders the dataset's paths are relative to, tried before the ones `manifest.json`
    /// records (for a dataset or an archive that has moved).
    pub inputs: Vec<PathBuf>,
    /// Pictures drawn at most, `error` findings first: each re-reads a page, and a run with
    /// thousands of findings would make a page too heavy to open.
    pub max_pictures: usize,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            inputs: Vec::new(),
            max_pictures: 400,
        }
    }
}

/// What a report holds, for the caller to print.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Summary {
    pub documents: usize,
    pub findings: usize,
    /// Findings shown with a picture of their printed cell.
    pub pictures: usize,
}

/// Writes the report of the dataset at `dataset` to `out`.
pub fn write(dataset: &Path, out: &Path, options: &Options) -> Result<Summary> {
    let (html, summary) = render(dataset, options)?;
    std::fs::write(out, html).map_err(|error| ReportError::Io {
        path: out.to_path_buf(),
        error,
    })?;
    Ok(summary)
}

/// The report of the dataset at `dataset` as HTML.
pub fn render(dataset: &Path, options: &Options) -> Result<(String, Summary)> {
    let data = data::read(dataset)?;
    let page = Page::build(dataset, &data, options)?;
    let summary = page.summary.clone();
    let mut env = minijinja::Environment::new();
    for (name, source) in TEMPLATES {
        env.add_template(name, source)?;
    }
    let html = env.get_template("report.html")?.render(&page)?;
    Ok((html, summary))
}

/// The templates, compiled in: the report must not depend on files beside the binary.
const TEMPLATES: [(&str, &str); 3] = [
    ("report.html", include_str!("../templates/report.html")),
    ("report.css", include_str!("../templates/report.css")),
    ("sort.js", include_str!("../templates/sort.js")),
];

/// Everything the template shows, formatted.
#[derive(Serialize)]
struct Page {
    dataset: String,
    version: String,
    totals: Totals,
    statuses: Vec<StatusGroup>,
    documents: Vec<DocumentRow>,
    findings: Vec<FindingRow>,
    has_verified: bool,
    classes: Option<ClassChart>,
    shares_svg: Option<String>,
    kinds_svg: Option<String>,
    regions: Vec<(String, usize)>,
    #[serde(skip)]
    summary: Summary,
}

#[derive(Serialize)]
struct Totals {
    documents: usize,
    pages: u64,
    checks: u64,
    errors: usize,
    infos: usize,
    figures: Option<u64>,
    figures_verified: Option<u64>,
    verified_percent: Option<String>,
    pictures: usize,
}

#[derive(Serialize)]
struct StatusGroup {
    status: String,
    count: usize,
    percent: String,
    /// (path, why) of each document, for the statuses that are not `ok`.
    documents: Vec<(String, String)>,
}

#[derive(Serialize)]
struct DocumentRow {
    department: String,
    year: Option<u32>,
    region: String,
    path: String,
    other_paths: Vec<String>,
    same_budget_as: Option<String>,
    pages: Option<u32>,
    status: String,
    tables: u32,
    kinds: String,
    checks: u32,
    errors: u32,
    infos: u32,
    figures: Option<u32>,
    figures_verified: Option<u32>,
    verified: Option<f64>,
    verified_text: String,
    findings: usize,
}

#[derive(Serialize)]
struct FindingRow {
    department: String,
    year: Option<u32>,
    path: String,
    check: String,
    severity: String,
    table: String,
    item: String,
    measure: String,
    printed: String,
    printed_raw: String,
    expected: String,
    difference: String,
    page: Option<u32>,
    picture: crops::Picture,
    explanation_zh: String,
    explanation_en: String,
}

#[derive(Serialize)]
struct ClassChart {
    svg: String,
    /// (CSS colour, `201 一般公共服务支出`) per class, in the chart's order.
    legend: Vec<(String, String)>,
    /// Documents with a general-expenditure table read / documents `ok` or `partial`.
    documents: usize,
    missing: usize,
}

impl Page {
    fn build(dataset: &Path, data: &Dataset, options: &Options) -> Result<Page> {
        let by_id: HashMap<&str, &Document> = data
            .documents
            .iter()
            .map(|d| (d.doc_id.as_str(), d))
            .collect();
        let mut per_doc: HashMap<&str, usize> = HashMap::new();
        for f in &data.findings {
            *per_doc.entry(f.doc_id.as_str()).or_default() += 1;
        }
        let (findings, pictures) = finding_rows(data, &by_id, &roots(data, options), options);
        let summary = Summary {
            documents: data.documents.len(),
            findings: findings.len(),
            pictures,
        };
        let sum = |f: fn(&Document) -> Option<u32>| -> Option<u64> {
            data.has_verified
                .then(|| data.documents.iter().filter_map(f).map(u64::from).sum())
        };
        let (figures, figures_verified) = (sum(|d| d.figures), sum(|d| d.figures_verified));
        let totals = Totals {
            documents: data.documents.len(),
            pages: data
                .documents
                .iter()
                .map(|d| u64::from(d.pages.unwrap_or(0)))
                .sum(),
            checks: data.documents.iter().map(|d| u64::from(d.checks)).sum(),
            errors: data
                .findings
                .iter()
                .filter(|f| f.severity == "error")
                .count(),
            infos: data
                .findings
                .iter()
                .filter(|f| f.severity != "error")
                .count(),
            verified_percent: match (figures, figures_verified) {
                (Some(all), Some(ok)) if all > 0 => Some(percent(ok as f64 / all as f64)),
                _ => None,
            },
            figures,
            figures_verified,
            pictures,
        };
        let regions = count_by(data.documents.iter().map(|d| d.region.clone()));
        Ok(Page {
            dataset: dataset.display().to_string(),
            version: data.manifest["version"]
                .as_str()
                .map_or(String::new(), str::to_string),
            totals,
            statuses: statuses(&data.documents),
            documents: data
                .documents
                .iter()
                .map(|d| document_row(d, &by_id, per_doc.get(d.doc_id.as_str()).copied()))
                .collect(),
            findings,
            has_verified: data.has_verified,
            classes: class_chart(data)?,
            shares_svg: shares_chart(data)?,
            kinds_svg: kinds_chart(&data.documents)?,
            regions: regions.into_iter().collect(),
            summary,
        })
    }
}

/// Where the dataset's relative paths are resolved: `--input` folders, then the roots
/// `extract` recorded in the manifest.
fn roots(data: &Dataset, options: &Options) -> Vec<PathBuf> {
    let recorded = data.manifest["roots"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|v| v.as_str().map(PathBuf::from));
    options.inputs.iter().cloned().chain(recorded).collect()
}

fn count_by(keys: impl Iterator<Item = String>) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    for k in keys {
        *out.entry(k).or_default() += 1;
    }
    out
}

fn percent(share: f64) -> String {
    format!("{:.1} %", share * 100.0)
}

fn statuses(documents: &[Document]) -> Vec<StatusGroup> {
    let counts = count_by(documents.iter().map(|d| d.status.clone()));
    let mut groups: Vec<StatusGroup> = counts
        .into_iter()
        .map(|(status, count)| StatusGroup {
            documents: documents
                .iter()
                .filter(|d| d.status == status && status != "ok")
                .map(|d| {
                    let error = d.error.clone().unwrap_or_default();
                    // Errors name their file already; the path is said once.
                    let path = if error.starts_with(&d.paths[0]) {
                        String::new()
                    } else {
                        d.paths[0].clone()
                    };
                    (path, error)
                })
                .collect(),
            percent: percent(count as f64 / documents.len().max(1) as f64),
            status,
            count,
        })
        .collect();
    // `ok` first, then the rest by how many documents they hold.
    groups.sort_by_key(|g| (g.status != "ok", std::cmp::Reverse(g.count)));
    groups
}

fn department(d: &Document) -> String {
    d.department.clone().unwrap_or_else(|| "—".into())
}

fn document_row(
    d: &Document,
    by_id: &HashMap<&str, &Document>,
    findings: Option<usize>,
) -> DocumentRow {
    DocumentRow {
        department: department(d),
        year: d.fiscal_year,
        region: d.region.clone(),
        path: d.paths[0].clone(),
        other_paths: d.paths[1..].to_vec(),
        same_budget_as: d
            .same_budget_as
            .as_deref()
            .map(|id| by_id.get(id).map_or(id.to_string(), |o| o.paths[0].clone())),
        pages: d.pages,
        status: d.status.clone(),
        tables: d.tables,
        kinds: d
            .tables_by_kind
            .iter()
            .map(|(k, n)| {
                if *n > 1 {
                    format!("{k}×{n}")
                } else {
                    k.clone()
                }
            })
            .collect::<Vec<_>>()
            .join(" "),
        checks: d.checks,
        errors: d.check_errors,
        infos: d.check_infos,
        figures: d.figures,
        figures_verified: d.figures_verified,
        verified: d.verified_share,
        verified_text: d.verified_share.map_or("—".into(), percent),
        findings: findings.unwrap_or(0),
    }
}

/// Yuan with thousands separators and two decimals, as budgets print them.
fn yuan(d: Option<Decimal>) -> String {
    let Some(d) = d else {
        return "—".into();
    };
    let text = format!("{:.2}", d.round_dp(2).abs());
    let (int, frac) = text.split_once('.').unwrap_or((&text, "00"));
    let grouped = group_thousands(int);
    let sign = if d.is_sign_negative() && !d.is_zero() {
        "−"
    } else {
        ""
    };
    format!("{sign}{grouped}.{frac}")
}

/// Digits grouped by thousands with commas (`5068099` → `5,068,099`).
fn group_thousands(digits: &str) -> String {
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The findings, `error` before `info`, each document's in page order, with pictures for the
/// first `max_pictures`; and how many pictures were drawn.
fn finding_rows(
    data: &Dataset,
    by_id: &HashMap<&str, &Document>,
    roots: &[PathBuf],
    options: &Options,
) -> (Vec<FindingRow>, usize) {
    let mut order: Vec<&Finding> = data.findings.iter().collect();
    order.sort_by_key(|f| {
        let d = by_id.get(f.doc_id.as_str());
        (
            f.severity != "error",
            d.and_then(|d| d.department.clone()),
            d.and_then(|d| d.fiscal_year),
            f.doc_id.clone(),
            f.page,
        )
    });
    let mut crops = crops::Crops::new(roots.to_vec());
    let mut pictures = 0;
    let rows = order
        .into_iter()
        .enumerate()
        .map(|(k, f)| {
            let doc = by_id.get(f.doc_id.as_str());
            let paths = doc.map_or(&[][..], |d| &d.paths[..]);
            let picture = if k < options.max_pictures {
                crops.picture(f, paths)
            } else {
                crops::Picture::Missing(format!(
                    "pictures are drawn for the first {} findings (--max-pictures)",
                    options.max_pictures
                ))
            };
            if matches!(picture, crops::Picture::Svg(_)) {
                pictures += 1;
            }
            FindingRow {
                department: doc.map_or("—".into(), |d| department(d)),
                year: doc.and_then(|d| d.fiscal_year),
                path: paths.first().cloned().unwrap_or_default(),
                check: f.check.clone(),
                severity: f.severity.clone(),
                table: match (&f.table_kind, &f.other_table_kind) {
                    (Some(t), Some(o)) => format!("{t} ↔ {o}"),
                    (Some(t), None) => t.clone(),
                    (None, _) => "narrative".into(),
                },
                item: f.item.clone(),
                measure: f.measure.clone().unwrap_or_default(),
                printed: yuan(f.printed),
                printed_raw: f.printed_raw.clone(),
                expected: yuan(f.expected),
                difference: yuan(f.difference),
                page: f.page,
                picture,
                explanation_zh: f.explanation_zh.clone(),
                explanation_en: f.explanation_en.clone(),
            }
        })
        .collect();
    (rows, pictures)
}

/// Classes shown by name in the chart; the rest are summed as "other".
const CLASSES_SHOWN: usize = 12;

fn class_chart(data: &Dataset) -> Result<Option<ClassChart>> {
    if data.classes.is_empty() {
        return Ok(None);
    }
    // Class totals over the run, to keep the largest classes and colour them the same in
    // every bar.
    let mut totals: BTreeMap<&str, (f64, &str)> = BTreeMap::new();
    for c in &data.classes {
        let e = totals
            .entry(c.code.as_str())
            .or_insert((0.0, c.name.as_str()));
        e.0 += c.yuan;
    }
    let mut ranked: Vec<(&str, f64, &str)> =
        totals.into_iter().map(|(k, (v, n))| (k, v, n)).collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(b.0)));
    let series: HashMap<&str, usize> = ranked
        .iter()
        .take(CLASSES_SHOWN)
        .enumerate()
        .map(|(i, c)| (c.0, i))
        .collect();
    let other = series.len();
    let mut legend: Vec<(String, String)> = ranked
        .iter()
        .take(CLASSES_SHOWN)
        .enumerate()
        .map(|(i, c)| (charts::colour(i).1, format!("{} {}", c.0, c.2)))
        .collect();
    if ranked.len() > CLASSES_SHOWN {
        legend.push((charts::colour(other).1, "other classes".into()));
    }
    let mut per_doc: BTreeMap<&str, BTreeMap<usize, f64>> = BTreeMap::new();
    for c in &data.classes {
        let s = series.get(c.code.as_str()).copied().unwrap_or(other);
        *per_doc
            .entry(c.doc_id.as_str())
            .or_default()
            .entry(s)
            .or_default() += c.yuan / 10_000.0;
    }
    let by_id: HashMap<&str, &Document> = data
        .documents
        .iter()
        .map(|d| (d.doc_id.as_str(), d))
        .collect();
    let mut bars: Vec<(Option<&str>, Option<u32>, charts::Bar)> = per_doc
        .into_iter()
        .map(|(id, segments)| {
            let d = by_id.get(id);
            let dept = d.and_then(|d| d.department.as_deref());
            let year = d.and_then(|d| d.fiscal_year);
            let label = format!(
                "{} {}",
                dept.unwrap_or(id),
                year.map_or("—".into(), |y| y.to_string())
            );
            (
                dept,
                year,
                charts::Bar {
                    label,
                    segments: segments.into_iter().collect(),
                },
            )
        })
        .collect();
    // By department, then year: a department's years stand together.
    bars.sort_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
    let bars: Vec<charts::Bar> = bars.into_iter().map(|b| b.2).collect();
    let read = data
        .documents
        .iter()
        .filter(|d| d.status == "ok" || d.status == "partial")
        .count();
    Ok(Some(ClassChart {
        svg: charts::stacked_bars(&bars, "万元 (general public budget, 合计)")?,
        legend,
        documents: bars.len(),
        missing: read.saturating_sub(bars.len()),
    }))
}

fn shares_chart(data: &Dataset) -> Result<Option<String>> {
    let values: Vec<f64> = data
        .documents
        .iter()
        .filter_map(|d| d.verified_share)
        .collect();
    if values.is_empty() {
        return Ok(None);
    }
    charts::shares(&values).map(Some)
}

/// Table kinds (rows) per region (columns): in how many of a region's documents each kind
/// was found.
fn kinds_chart(documents: &[Document]) -> Result<Option<String>> {
    let kinds: BTreeSet<&str> = documents
        .iter()
        .flat_map(|d| d.tables_by_kind.keys().map(String::as_str))
        .collect();
    if kinds.is_empty() {
        return Ok(None);
    }
    let regions: Vec<String> = count_by(documents.iter().map(|d| d.region.clone()))
        .into_keys()
        .collect();
    let totals: Vec<u32> = regions
        .iter()
        .map(|r| documents.iter().filter(|d| &d.region == r).count() as u32)
        .collect();
    let counts: Vec<Vec<u32>> = kinds
        .iter()
        .map(|k| {
            regions
                .iter()
                .map(|r| {
                    documents
                        .iter()
                        .filter(|d| &d.region == r && d.tables_by_kind.contains_key(*k))
                        .count() as u32
                })
                .collect()
        })
        .collect();
    let rows: Vec<String> = kinds.iter().map(|k| k.to_string()).collect();
    charts::heat_grid(&rows, &regions, &counts, &totals).map(Some)
}

#[cfg(test)]
mod tests {
    use super::{render, yuan, Options};
    use rust_decimal::Decimal;

    #[test]
    fn a_folder_without_a_dataset_is_an_error_naming_the_file() {
        let dir = std::env::temp_dir().join(format!("cnbudget-report-none-{}", std::process::id()));
        let e = render(&dir, &Options::default()).unwrap_err().to_string();
        assert!(e.contains("documents.parquet"), "{e}");
    }

    #[test]
    fn yuan_prints_like_a_budget() {
        let d = |s: &str| Some(s.parse::<Decimal>().unwrap());
        assert_eq!(yuan(d("5068099.8000")), "5,068,099.80");
        assert_eq!(yuan(d("-10000")), "−10,000.00");
        assert_eq!(yuan(d("435519.18")), "435,519.18");
        assert_eq!(yuan(d("0")), "0.00");
        assert_eq!(yuan(None), "—");
    }
}
