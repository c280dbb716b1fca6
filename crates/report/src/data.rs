//! The dataset read back into the few typed rows the report shows. Columns that later schema
//! versions add (`verified_share`, `paths`, `same_budget_as` …) are optional: a dataset made
//! before them gives a report without them, not an error.

use crate::{ReportError, Result};
use cnbudget_pdf::Rect;
use polars::prelude::*;
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// One row of `documents.parquet`.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Document {
    pub doc_id: String,
    /// Every path the document was found under, the first being `path`.
    pub paths: Vec<String>,
    pub department: Option<String>,
    pub fiscal_year: Option<u32>,
    pub pages: Option<u32>,
    pub status: String,
    pub error: Option<String>,
    pub tables: u32,
    pub tables_by_kind: BTreeMap<String, u32>,
    pub checks: u32,
    pub check_errors: u32,
    pub check_infos: u32,
    pub figures: Option<u32>,
    pub figures_verified: Option<u32>,
    pub verified_share: Option<f64>,
    pub same_budget_as: Option<String>,
    /// Where the document comes from (see [`region`]).
    pub region: String,
}

/// One row of `checks.parquet`.
#[derive(Debug, Clone)]
pub struct Finding {
    pub doc_id: String,
    pub check: String,
    pub severity: String,
    pub table_kind: Option<String>,
    pub other_table_kind: Option<String>,
    pub item: String,
    pub measure: Option<String>,
    pub printed: Option<Decimal>,
    pub expected: Option<Decimal>,
    pub difference: Option<Decimal>,
    pub printed_raw: String,
    pub page: Option<u32>,
    pub cell: Option<Rect>,
    pub explanation_zh: String,
    pub explanation_en: String,
}

/// One function class's expenditure in one document.
#[derive(Debug, Clone)]
pub struct ClassFigure {
    pub doc_id: String,
    pub code: String,
    pub name: String,
    pub yuan: f64,
}

/// What the report reads of a dataset.
#[derive(Debug)]
pub struct Dataset {
    pub documents: Vec<Document>,
    pub findings: Vec<Finding>,
    pub classes: Vec<ClassFigure>,
    /// Whether `documents.parquet` has the verified-figure columns.
    pub has_verified: bool,
    /// `manifest.json`, or null where there is none.
    pub manifest: serde_json::Value,
}

/// A frame with the file it came from, for errors that name it.
struct Frame {
    df: DataFrame,
    path: PathBuf,
}

impl Frame {
    fn read(dir: &Path, table: &str) -> Result<Frame> {
        let path = if table == "line_items" {
            dir.join(table)
        } else {
            dir.join(format!("{table}.parquet"))
        };
        Ok(Frame {
            df: cnbudget_dataset::read_table(dir, table)?,
            path,
        })
    }

    fn err(&self, column: &str, e: impl std::fmt::Display) -> ReportError {
        ReportError::Column {
            path: self.path.clone(),
            column: column.to_string(),
            message: e.to_string(),
        }
    }

    /// The column, or `None` where the dataset has no such column (an older schema).
    fn optional(&self, name: &str) -> Option<&Column> {
        self.df.column(name).ok()
    }

    fn column(&self, name: &str) -> Result<&Column> {
        self.optional(name)
            .ok_or_else(|| self.err(name, "no such column"))
    }

    fn strings_of(&self, name: &str, c: &Column) -> Result<Vec<Option<String>>> {
        let s = c.str().map_err(|e| self.err(name, e))?;
        Ok((0..s.len()).map(|i| s.get(i).map(str::to_string)).collect())
    }

    fn strings(&self, name: &str) -> Result<Vec<Option<String>>> {
        self.strings_of(name, self.column(name)?)
    }

    fn optional_strings(&self, name: &str) -> Result<Option<Vec<Option<String>>>> {
        self.optional(name)
            .map(|c| self.strings_of(name, c))
            .transpose()
    }

    /// Any integer column as u32 (the schema's counts are u32, a page may be stored wider).
    fn counts_of(&self, name: &str, c: &Column) -> Result<Vec<Option<u32>>> {
        let cast = c.cast(&DataType::UInt32).map_err(|e| self.err(name, e))?;
        let u = cast.u32().map_err(|e| self.err(name, e))?;
        Ok((0..u.len()).map(|i| u.get(i)).collect())
    }

    fn counts(&self, name: &str) -> Result<Vec<Option<u32>>> {
        self.counts_of(name, self.column(name)?)
    }

    fn optional_counts(&self, name: &str) -> Result<Option<Vec<Option<u32>>>> {
        self.optional(name)
            .map(|c| self.counts_of(name, c))
            .transpose()
    }

    fn floats_of(&self, name: &str, c: &Column) -> Result<Vec<Option<f64>>> {
        let cast = c.cast(&DataType::Float64).map_err(|e| self.err(name, e))?;
        let f = cast.f64().map_err(|e| self.err(name, e))?;
        Ok((0..f.len()).map(|i| f.get(i)).collect())
    }

    fn floats(&self, name: &str) -> Result<Vec<Option<f64>>> {
        self.floats_of(name, self.column(name)?)
    }

    fn optional_floats(&self, name: &str) -> Result<Option<Vec<Option<f64>>>> {
        self.optional(name)
            .map(|c| self.floats_of(name, c))
            .transpose()
    }

    /// Money columns, exact.
    fn decimals(&self, name: &str) -> Result<Vec<Option<Decimal>>> {
        let d = self
            .column(name)?
            .decimal()
            .map_err(|e| self.err(name, e))?;
        let scale = u32::try_from(d.scale()).map_err(|e| self.err(name, e))?;
        let p = d.physical();
        Ok((0..p.len())
            .map(|i| p.get(i).map(|v| Decimal::from_i128_with_scale(v, scale)))
            .collect())
    }

    /// A list of strings per row (`paths`), where the column exists.
    fn optional_lists(&self, name: &str) -> Result<Option<Vec<Vec<String>>>> {
        let Some(c) = self.optional(name) else {
            return Ok(None);
        };
        let list = c.list().map_err(|e| self.err(name, e))?;
        let mut out = Vec::with_capacity(list.len());
        for i in 0..list.len() {
            out.push(match list.get_as_series(i) {
                Some(s) => self
                    .strings_of(name, &s.into_column())?
                    .into_iter()
                    .flatten()
                    .collect(),
                None => Vec::new(),
            });
        }
        Ok(Some(out))
    }
}

/// Where a document comes from, for grouping: the top-level folder of its path (archives keep
/// one folder per place, or per department: a leading `NNN_` crawl number is dropped, and a
/// folder named after a department gives the place it starts with, `江苏省人民检察院` →
/// 江苏省); a file with no folder gives the place its department's name starts with
/// (`绍兴市…` → 绍兴市), else `—`. The folder wins over the department so that every document
/// of one folder falls in one region.
pub fn region(path: &str, department: Option<&str>) -> String {
    match path.split_once('/') {
        Some((top, _)) => {
            let folder = top
                .split_once('_')
                .filter(|(n, _)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
                .map_or(top, |(_, rest)| rest);
            place(folder).unwrap_or_else(|| folder.to_string())
        }
        None => department
            .and_then(place)
            .unwrap_or_else(|| "—".to_string()),
    }
}

/// The place a name starts with: two to four characters, then 自治区, 省 or 市 (the first of
/// them; `城市管理局` names none).
fn place(name: &str) -> Option<String> {
    ["自治区", "省", "市"]
        .iter()
        .filter_map(|end| {
            let i = name.find(end)?;
            (2..=4)
                .contains(&name[..i].chars().count())
                .then_some(i + end.len())
        })
        .min()
        .map(|i| name[..i].to_string())
}

fn documents(dir: &Path) -> Result<(Vec<Document>, bool)> {
    let f = Frame::read(dir, "documents")?;
    let ids = f.strings("doc_id")?;
    let paths = f.strings("path")?;
    let all_paths = f.optional_lists("paths")?;
    let departments = f.strings("department")?;
    let years = f.counts("fiscal_year")?;
    let pages = f.counts("pages")?;
    let statuses = f.strings("status")?;
    let errors = f.strings("error")?;
    let tables = f.counts("tables")?;
    let kinds = f.strings("tables_by_kind")?;
    let checks = f.counts("checks")?;
    let check_errors = f.counts("check_errors")?;
    let check_infos = f.counts("check_infos")?;
    // A document's figures are its line items (`records`).
    let figures = f.optional_counts("records")?;
    let figures_verified = f.optional_counts("figures_verified")?;
    let shares = f.optional_floats("verified_share")?;
    let same = f.optional_strings("same_budget_as")?;
    let has_verified = shares.is_some();
    let mut out = Vec::with_capacity(ids.len());
    for i in 0..ids.len() {
        let path = paths[i].clone().unwrap_or_default();
        let mut every = vec![path.clone()];
        if let Some(list) = &all_paths {
            every.extend(list[i].iter().filter(|p| **p != path).cloned());
        }
        let tables_by_kind = match kinds[i].as_deref() {
            Some(json) => serde_json::from_str(json).map_err(|e| f.err("tables_by_kind", e))?,
            None => BTreeMap::new(),
        };
        out.push(Document {
            doc_id: ids[i].clone().unwrap_or_default(),
            region: region(&path, departments[i].as_deref()),
            paths: every,
            department: departments[i].clone(),
            fiscal_year: years[i],
            pages: pages[i],
            status: statuses[i].clone().unwrap_or_default(),
            error: errors[i].clone(),
            tables: tables[i].unwrap_or(0),
            tables_by_kind,
            checks: checks[i].unwrap_or(0),
            check_errors: check_errors[i].unwrap_or(0),
            check_infos: check_infos[i].unwrap_or(0),
            figures: figures.as_ref().and_then(|v| v[i]),
            figures_verified: figures_verified.as_ref().and_then(|v| v[i]),
            verified_share: shares.as_ref().and_then(|v| v[i]),
            same_budget_as: same.as_ref().and_then(|v| v[i].clone()),
        });
    }
    Ok((out, has_verified))
}

fn findings(dir: &Path) -> Result<Vec<Finding>> {
    let f = Frame::read(dir, "checks")?;
    if f.df.height() == 0 {
        return Ok(Vec::new());
    }
    let text = |name| -> Result<Vec<String>> {
        Ok(f.strings(name)?
            .into_iter()
            .map(Option::unwrap_or_default)
            .collect())
    };
    let (ids, checks, severities) = (text("doc_id")?, text("check")?, text("severity")?);
    let (items, raws) = (text("item")?, text("printed_raw")?);
    let (zh, en) = (text("explanation_zh")?, text("explanation_en")?);
    let kinds = f.strings("table_kind")?;
    let others = f.strings("other_table_kind")?;
    let measures = f.strings("measure")?;
    let printed = f.decimals("printed_yuan")?;
    let expected = f.decimals("expected_yuan")?;
    let difference = f.decimals("difference_yuan")?;
    let pages = f.counts("page")?;
    let (x0, y0, x1, y1) = (
        f.floats("x0")?,
        f.floats("y0")?,
        f.floats("x1")?,
        f.floats("y1")?,
    );
    Ok((0..ids.len())
        .map(|i| Finding {
            doc_id: ids[i].clone(),
            check: checks[i].clone(),
            severity: severities[i].clone(),
            table_kind: kinds[i].clone(),
            other_table_kind: others[i].clone(),
            item: items[i].clone(),
            measure: measures[i].clone(),
            printed: printed[i],
            expected: expected[i],
            difference: difference[i],
            printed_raw: raws[i].clone(),
            page: pages[i],
            cell: match (x0[i], y0[i], x1[i], y1[i]) {
                (Some(x0), Some(y0), Some(x1), Some(y1)) => Some(Rect { x0, y0, x1, y1 }),
                _ => None,
            },
            explanation_zh: zh[i].clone(),
            explanation_en: en[i].clone(),
        })
        .collect())
}

/// The general public budget's expenditure by function class: the 类 rows of the
/// 一般公共预算支出表 (`general_expenditure`, `item_level = class`, a function code `2xx`: the
/// table's breakdown is `function` or, where its header does not name one, `none`), its 合计
/// column (`total`, or `amount` where the table prints one figure column). Every layout prints
/// that table with the same scope, so departments and years compare; the all-funds 支出预算总表
/// would mix in government funds and special accounts for some departments only.
fn classes(dir: &Path) -> Result<Vec<ClassFigure>> {
    let f = Frame::read(dir, "line_items")?;
    if f.df.height() == 0 {
        return Ok(Vec::new());
    }
    let ids = f.strings("doc_id")?;
    let kinds = f.strings("table_kind")?;
    let breakdowns = f.strings("breakdown")?;
    let levels = f.strings("item_level")?;
    let measures = f.strings("measure")?;
    let codes = f.strings("item_code")?;
    let names = f.strings("item_name")?;
    let amounts = f.floats("amount_yuan")?;
    let mut out = Vec::new();
    for i in 0..ids.len() {
        let wanted = kinds[i].as_deref() == Some("general_expenditure")
            && matches!(breakdowns[i].as_deref(), Some("function" | "none"))
            && levels[i].as_deref() == Some("class")
            && codes[i]
                .as_deref()
                .is_some_and(|c| c.len() == 3 && c.starts_with('2'))
            && matches!(measures[i].as_deref(), Some("total" | "amount"));
        if let (true, Some(id), Some(code), Some(name), Some(yuan)) =
            (wanted, &ids[i], &codes[i], &names[i], amounts[i])
        {
            out.push(ClassFigure {
                doc_id: id.clone(),
                code: code.clone(),
                name: name.clone(),
                yuan,
            });
        }
    }
    Ok(out)
}

/// Reads what the report shows of the dataset at `dir`.
pub fn read(dir: &Path) -> Result<Dataset> {
    // `read_table` gives an empty frame for a missing table; without documents there is no
    // dataset, and the message should say that rather than name a missing column.
    let listing = dir.join("documents.parquet");
    std::fs::metadata(&listing).map_err(|error| ReportError::Io {
        path: listing,
        error,
    })?;
    let (documents, has_verified) = documents(dir)?;
    let manifest_path = dir.join("manifest.json");
    let manifest = match std::fs::read(&manifest_path) {
        Ok(bytes) => serde_json::from_slice(&bytes).map_err(|error| ReportError::Manifest {
            path: manifest_path.clone(),
            error,
        })?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => serde_json::Value::Null,
        Err(error) => {
            return Err(ReportError::Io {
                path: manifest_path,
                error,
            })
        }
    };
    Ok(Dataset {
        documents,
        findings: findings(dir)?,
        classes: classes(dir)?,
        has_verified,
        manifest,
    })
}

#[cfg(test)]
mod tests {
    use super::region;

    #[test]
    fn region_from_folder_or_department() {
        assert_eq!(region("002_北京/a.pdf", Some("北京市审计局")), "北京");
        assert_eq!(region("002_北京/b.pdf", None), "北京");
        assert_eq!(region("江苏省人民检察院/2018.pdf", None), "江苏省");
        assert_eq!(region("a.pdf", Some("江苏省人民检察院")), "江苏省");
        assert_eq!(region("a.pdf", Some("绍兴市大数据发展管理局")), "绍兴市");
        assert_eq!(region("a.pdf", Some("内蒙古自治区财政厅")), "内蒙古自治区");
        assert_eq!(region("a.pdf", Some("城市管理局")), "—");
        assert_eq!(region("a.pdf", None), "—");
    }
}
