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
                    let path = t.header_paths.get(c.col).cloned().unwrap_or_default();
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
            if p.is_empty() {
                "·".into()
            } else {
                p.replace('|', "\\|")
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
