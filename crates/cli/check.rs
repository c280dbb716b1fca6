//! `cnbudget check`: the audit's findings per document, readable at a glance.

use crate::extract::collect;
use anyhow::Result;
use cnbudget_audit::{audit, audit_narrative_against, Audit, Finding, Severity};
use cnbudget_normalize::DocumentRecords;
use std::io::Write;

/// Audits every input; returns the exit status.
pub fn run(inputs: &[String], all: bool, json: bool) -> Result<i32> {
    let mut files = collect(inputs)?;
    files.sort_by(|a, b| a.rel.cmp(&b.rel));
    let aliases = cnbudget_normalize::Aliases::default();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let (mut failed, mut with_errors) = (0, 0);
    let mut read = Vec::new();
    for input in &files {
        match crate::read_records(&input.path, &aliases) {
            Ok(r) => read.push((input, r)),
            Err(e) => {
                failed += 1;
                writeln!(out, "== {}: cannot be read: {e:#}", input.rel)?;
            }
        }
    }
    for (input, records) in &read {
        let mut result: Audit = audit(records);
        // A narrative published without tables is checked against the tables the same
        // department published as another file for the same year.
        let sibling = records
            .tables
            .is_empty()
            .then(|| sibling_tables(input, records, &read))
            .flatten();
        if let Some((_, tables)) = sibling {
            let more = audit_narrative_against(records, tables);
            result.checked += more.checked;
            result.findings.extend(more.findings);
        }
        let (errors, infos) = (result.count(Severity::Error), result.count(Severity::Info));
        let findings = result.findings;
        with_errors += usize::from(errors > 0);
        if json {
            for f in &findings {
                let line = serde_json::json!({ "file": input.rel, "finding": f });
                writeln!(out, "{line}")?;
            }
            continue;
        }
        let who = records
            .department
            .as_ref()
            .map_or("?".to_string(), |d| d.name_raw.clone());
        let year = records
            .fiscal_year
            .map_or("?".to_string(), |y| y.to_string());
        writeln!(
            out,
            "== {} ({who} {year}): {} identities checked, {errors} error(s), {infos} within rounding",
            input.rel,
            result.checked
        )?;
        if let Some((other, _)) = sibling {
            writeln!(out, "   narrative checked against the tables of {other}")?;
        }
        for f in findings
            .iter()
            .filter(|f| all || f.severity == Severity::Error)
        {
            print_finding(&mut out, f)?;
        }
    }
    writeln!(
        out,
        "{} document(s): {with_errors} with errors, {failed} unreadable",
        files.len()
    )?;
    out.flush()?;
    Ok(if failed + with_errors > 0 { 2 } else { 0 })
}

/// The file of the same department and year that has tables: the only one in the same
/// folder, else the only one anywhere.
fn sibling_tables<'a>(
    input: &crate::extract::Input,
    doc: &DocumentRecords,
    all: &'a [(&crate::extract::Input, DocumentRecords)],
) -> Option<(&'a str, &'a DocumentRecords)> {
    let key = (doc.department.as_ref()?.key.as_str(), doc.fiscal_year?);
    let candidates: Vec<_> = all
        .iter()
        .filter(|(_, r)| {
            !r.tables.is_empty()
                && r.fiscal_year == Some(key.1)
                && r.department.as_ref().is_some_and(|d| d.key == key.0)
        })
        .collect();
    let near: Vec<_> = candidates
        .iter()
        .filter(|(other, _)| other.path.parent() == input.path.parent())
        .collect();
    let only = match (near.as_slice(), candidates.as_slice()) {
        ([one], _) => **one,
        (_, [one]) => one,
        _ => return None,
    };
    Some((only.0.rel.as_str(), &only.1))
}

fn print_finding(out: &mut impl Write, f: &Finding) -> std::io::Result<()> {
    let tables = match (f.table_kind, f.other_table_kind) {
        (Some(a), Some(b)) => format!("{} vs {}", a.key(), b.key()),
        (Some(a), None) => a.key().to_string(),
        (None, Some(b)) => format!("narrative vs {}", b.key()),
        (None, None) => "narrative".to_string(),
    };
    writeln!(
        out,
        "  {:<5} p.{:<3} {:<15} {}",
        f.severity.key().to_uppercase(),
        f.page.map_or("-".to_string(), |p| p.to_string()),
        f.check.key(),
        tables
    )?;
    writeln!(out, "        {}", f.explanation_zh)?;
    writeln!(out, "        {}", f.explanation_en)
}
