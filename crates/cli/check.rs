//! `cnbudget check`: the audit's findings per document, readable at a glance.

use crate::extract::{collect, LimitArgs, OcrArgs};
use anyhow::Result;
use cnbudget_audit::{audit_narrative_against, Audit, Finding, Severity};
use cnbudget_normalize::DocumentRecords;
use cnbudget_pipeline::{narrative_partner, Options, Reader};
use std::io::Write;

/// Audits every input; returns the exit status.
pub fn run(
    inputs: &[String],
    all: bool,
    json: bool,
    limits: &LimitArgs,
    ocr: &OcrArgs,
) -> Result<i32> {
    let mut files = collect(inputs)?.inputs;
    files.sort_by(|a, b| a.rel.cmp(&b.rel));
    let opts = Options {
        aliases: Default::default(),
        limits: limits.limits(),
        ocr: ocr.models()?,
    };
    // One at a time, in the order of their paths: `check` is for a few files, its report is
    // read in that order, and each document still runs under its time limit.
    let mut reader = Reader::new(&opts);
    let readings: Vec<_> = files
        .iter()
        .map(|i| reader.read_file(&i.path, &i.rel))
        .collect();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let (mut failed, mut with_errors) = (0, 0);
    let mut read: Vec<(&crate::extract::Input, &DocumentRecords, &Audit)> = Vec::new();
    for (input, reading) in files.iter().zip(&readings) {
        match &reading.records {
            Some(r) => read.push((input, r, &reading.audit)),
            None => {
                failed += 1;
                let error = reading.error.as_deref().unwrap_or_default();
                writeln!(out, "== {}: cannot be read: {error}", input.rel)?;
            }
        }
    }
    for &(input, records, audited) in &read {
        let mut result: Audit = audited.clone();
        // A narrative published without tables is checked against the tables the same
        // department published as another file for the same year.
        let sibling = narrative_partner(
            &input.path,
            records,
            read.iter().map(|(i, r, _)| (i.path.as_path(), *r)),
        )
        .map(|k| (read[k].0.rel.as_str(), read[k].1));
        if let Some((_, tables)) = sibling {
            result.absorb_counts(audit_narrative_against(records, tables));
        }
        let (errors, infos) = (result.count(Severity::Error), result.count(Severity::Info));
        let findings = &result.findings;
        with_errors += usize::from(errors > 0);
        if json {
            for f in findings {
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
        let verified = records
            .line_items
            .iter()
            .filter(|i| result.tally(i).verified())
            .count();
        writeln!(
            out,
            "== {} ({who} {year}): {} identities checked, {} hold, {errors} error(s), {infos} within rounding; {verified} of {} figures verified",
            input.rel,
            result.checked,
            result.held,
            records.line_items.len()
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
