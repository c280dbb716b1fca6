//! Printing tables as Markdown, CSV (one row per cell) or JSON.

use anyhow::Result;
use cnbudget_table::Table;
use std::io::Write;

/// How `cnbudget tables` prints.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum Format {
    /// One Markdown grid per table; `<` and `^` mark slots a span covers.
    Md,
    /// One row per cell with its position, span, header flag and header path.
    Csv,
    /// The full table model.
    Json,
}

/// Writes the tables in the chosen format.
pub fn tables(out: &mut impl Write, tables: &[Table], format: Format) -> Result<()> {
    match format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut *out, tables)?;
            writeln!(out)?;
        }
        Format::Csv => {
            let mut w = csv::Writer::from_writer(out);
            w.write_record([
                "table",
                "page",
                "row",
                "col",
                "rowspan",
                "colspan",
                "header",
                "header_path",
                "text",
            ])?;
            for (k, t) in tables.iter().enumerate() {
                for c in &t.cells {
                    let path = t
                        .header_paths
                        .get(c.col)
                        .map(ToString::to_string)
                        .unwrap_or_default();
                    w.write_record([
                        (k + 1).to_string(),
                        c.page.to_string(),
                        c.row.to_string(),
                        c.col.to_string(),
                        c.rowspan.to_string(),
                        c.colspan.to_string(),
                        (c.row < t.header_rows).to_string(),
                        path,
                        c.text.clone(),
                    ])?;
                }
            }
            w.flush()?;
        }
        Format::Md => {
            for (k, t) in tables.iter().enumerate() {
                markdown(out, k + 1, t)?;
            }
        }
    }
    Ok(())
}

fn markdown(out: &mut impl Write, k: usize, t: &Table) -> Result<()> {
    let pages: Vec<String> = t.pages.iter().map(u32::to_string).collect();
    let title = t.title.as_ref().map_or("(no title)", |l| l.text.as_str());
    writeln!(
        out,
        "## Table {k}: {} {title}",
        t.label.as_deref().unwrap_or("")
    )?;
    writeln!(
        out,
        "pages {} · {:?} · {} rows × {} columns · {} header rows",
        pages.join(","),
        t.method,
        t.n_rows,
        t.n_cols,
        t.header_rows
    )?;
    for m in &t.meta {
        writeln!(out, "meta: {}", m.text)?;
    }
    writeln!(out)?;
    let grid = t.grid();
    let paths: Vec<String> = t
        .header_paths
        .iter()
        .map(|p| {
            if p.levels().is_empty() {
                "·".into()
            } else {
                p.to_string().replace('|', "\\|")
            }
        })
        .collect();
    writeln!(out, "| {} |", paths.join(" | "))?;
    writeln!(out, "|{}", "---|".repeat(t.n_cols))?;
    for (r, row) in grid.iter().enumerate() {
        let cells: Vec<String> = row
            .iter()
            .enumerate()
            .map(|(c, slot)| match slot {
                Some(text) => text.replace('|', "\\|"),
                None => match t.cell_at(r, c) {
                    Some(cell) if cell.row < r => "^".into(),
                    _ => "<".into(),
                },
            })
            .collect();
        let marker = if r < t.header_rows { " ⟵ header" } else { "" };
        writeln!(out, "| {} |{marker}", cells.join(" | "))?;
    }
    for n in &t.notes {
        writeln!(out, "note: {}", n.text)?;
    }
    writeln!(out)?;
    Ok(())
}

/// How `cnbudget records` prints.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum RecordFormat {
    /// A header block (department, year, unit, tables) then one CSV row per figure.
    Csv,
    /// Everything normalisation produced.
    Json,
}

/// Writes a document's records.
pub fn records(
    out: &mut impl Write,
    r: &cnbudget_normalize::DocumentRecords,
    format: RecordFormat,
) -> Result<()> {
    if let RecordFormat::Json = format {
        serde_json::to_writer_pretty(&mut *out, r)?;
        writeln!(out)?;
        return Ok(());
    }
    let dept = r.department.as_ref();
    writeln!(
        out,
        "# department: {} (printed {:?}, code {}, from {:?})",
        dept.map_or("-", |d| d.key.as_str()),
        dept.map_or("-", |d| d.name_raw.as_str()),
        dept.and_then(|d| d.code.as_deref()).unwrap_or("-"),
        dept.map(|d| d.source)
    )?;
    writeln!(
        out,
        "# fiscal year: {} (from {:?}); unit: {}",
        r.fiscal_year.map_or("-".into(), |y| y.to_string()),
        r.fiscal_year_source,
        r.unit.map_or("-", |u| u.as_str())
    )?;
    for (k, t) in r.tables.iter().enumerate() {
        writeln!(
            out,
            "# table {k}: {} {:?} pages {:?} unit {} records {}",
            t.kind.key(),
            t.title_raw,
            t.pages,
            t.unit.map_or("-", |u| u.as_str()),
            t.records
        )?;
    }
    writeln!(
        out,
        "# performance targets: {}; narrative facts: {} (--format json lists them)",
        r.performance_targets.len(),
        r.facts.len()
    )?;
    for d in &r.diagnostics {
        writeln!(
            out,
            "# diagnostic {:?} page {:?}: {}",
            d.kind, d.page, d.message
        )?;
    }
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "table",
        "table_kind",
        "side",
        "breakdown",
        "item_code",
        "code_source",
        "item_level",
        "parent_code",
        "item_name",
        "item_name_raw",
        "measure",
        "measure_raw",
        "amount_yuan",
        "amount_raw",
        "unit",
        "page",
        "row",
        "column",
    ])?;
    for i in &r.line_items {
        w.write_record([
            i.table.to_string(),
            i.table_kind.key().to_string(),
            i.side.map_or("", <&str>::from).to_string(),
            <&str>::from(i.breakdown).to_string(),
            i.item_code.clone().unwrap_or_default(),
            i.code_source.map_or("", <&str>::from).to_string(),
            i.item_level.map_or("", <&str>::from).to_string(),
            i.parent_code.clone().unwrap_or_default(),
            i.item_name.clone(),
            i.item_name_raw.to_string(),
            i.measure.map_or(String::new(), |m| m.key().to_string()),
            i.measure_raw.clone(),
            i.amount_yuan.map_or(String::new(), |a| a.to_string()),
            i.amount_raw.clone(),
            i.unit_raw.clone().unwrap_or_default(),
            i.page.to_string(),
            i.row.to_string(),
            i.column.to_string(),
        ])?;
    }
    w.flush()?;
    Ok(())
}
