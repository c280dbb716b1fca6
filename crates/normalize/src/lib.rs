//! Normalisation: a document's tables and text become typed records in the vocabulary of
//! `docs/vocabulary.md` — one [`LineItem`] per printed figure, in exact yuan, with its table
//! kind, side and breakdown, item code (printed or inferred), measure, and where it was
//! printed — plus who published the document and for which year.

mod identity;
mod model;
mod narrative;

mod performance;
mod records;

pub use identity::Aliases;
pub use model::*;

use cnbudget_grammar::{
    classify, names_a_budget, names_other_document, parse_meta, Basis, Period, Phase, Title, Unit,
};
use cnbudget_pdf::{DecodePath, Page};
use cnbudget_table::{Layout, Table, TextLine};
use std::collections::BTreeSet;

/// Typed errors of normalisation (only the alias file can be wrong before any data is read).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum NormalizeError {
    /// The alias file is not TOML of the documented shape.
    #[error("alias file: {0}")]
    Aliases(String),
}

/// For each table, the table whose title it carries: itself, or — for a piece without title
/// or label of its own that has as many columns as the table before it and stands on the same
/// page or the next (a table the table stage left in two pieces) — that table's head. A form
/// (a performance self-evaluation) changes its columns from section to section: a piece after
/// one continues it whatever its columns.
fn continued_from(tables: &[Table]) -> Vec<usize> {
    let mut heads: Vec<usize> = Vec::with_capacity(tables.len());
    let form = |t: &Table| {
        t.title
            .as_ref()
            .is_some_and(|l| classify(&l.text).kind.is_form())
    };
    for (k, t) in tables.iter().enumerate() {
        let head = k
            .checked_sub(1)
            .filter(|&p| {
                let prev = &tables[p];
                let (Some(&end), Some(&start)) = (prev.pages.last(), t.pages.first()) else {
                    return false;
                };
                t.title.is_none()
                    && t.label.is_none()
                    && (t.n_cols == prev.n_cols || form(&tables[heads[p]]))
                    && (start == end || start == end + 1)
            })
            .map_or(k, |p| heads[p]);
        heads.push(head);
    }
    heads
}

/// How far below a table its empty-table statement may stand, in points.
const STATEMENT_BELOW: f64 = 60.0;

/// The statement a table without figures prints to say it is published empty: in its notes,
/// or on a free line (one in no table, [`Layout::free_lines`]) just below it.
fn empty_statement(t: &Table, free_lines: &[Vec<TextLine>], items: &[LineItem]) -> Option<String> {
    if items.iter().any(|i| !i.amount.is_zero()) {
        return None;
    }
    let says = |text: &str| cnbudget_grammar::narrative::states_empty_table(text);
    if let Some(n) = t.notes.iter().find(|n| says(&n.text)) {
        return Some(n.text.clone());
    }
    let &(number, bbox) = t.boxes.last()?;
    // A page without free lines has no statement: finding the page by its first line is enough.
    free_lines
        .iter()
        .find(|lines| lines.first().is_some_and(|l| l.page == number))?
        .iter()
        .find(|l| {
            l.bbox.y0 >= bbox.y1 - 2.0 && l.bbox.y0 - bbox.y1 < STATEMENT_BELOW && says(&l.text)
        })
        .map(|l| l.text.clone())
}

/// A final account's list of tables saying which it publishes empty (Xi'an: `表8 国有资本经营
/// 预算财政拨款支出决算表 是 本部门不涉及故公开空表`): each row's title read for its kind.
fn listed_empty(pages: &[Page]) -> Vec<EmptyTable> {
    let mut out = Vec::new();
    for page in pages {
        for l in cnbudget_pdf::text::lines(page) {
            if !cnbudget_grammar::narrative::states_empty_table(&l.text) {
                continue;
            }
            // The title is the row's text up to its last `表` before the statement.
            let text: String = l.text.split_whitespace().collect();
            let Some(title) = cnbudget_grammar::narrative::listed_table_title(&text) else {
                continue;
            };
            let kind = classify(title).kind;
            if kind != cnbudget_grammar::TableKind::Other {
                out.push(EmptyTable {
                    kind,
                    statement: l.text.clone(),
                    page: page.number,
                });
            }
        }
    }
    out
}

/// The pages read by OCR: only there can a speck have been read as a point
/// ([`records::table_records`]). OCR replaces a page whole and never reads one with a text
/// layer, so the first glyph says it: one look per page, not one per glyph.
fn ocr_pages(pages: &[Page]) -> BTreeSet<u32> {
    pages
        .iter()
        .filter(|p| {
            p.glyphs
                .first()
                .is_some_and(|g| g.decode == DecodePath::Ocr)
        })
        .map(|p| p.number)
        .collect()
}

/// Normalises one document: `file_name` is used for the year when nothing else gives it.
pub fn normalize(
    file_name: &str,
    pages: &[Page],
    layout: &Layout,
    aliases: &Aliases,
) -> DocumentRecords {
    let tables = &layout.tables[..];
    let units: Vec<Option<Unit>> = tables
        .iter()
        .map(|t| t.meta.iter().find_map(|m| parse_meta(&m.text).unit))
        .collect();
    let unit = identity::document_unit(&units, pages);
    let heads = continued_from(tables);
    // Titles first: a final account is one whose tables say 决算, and every figure of it whose
    // column names no basis is a final figure.
    let titles = titles(tables, &heads);
    let phase = if titles
        .iter()
        .any(|(_, t)| t.parts.phase == Phase::FinalAccount)
    {
        Phase::FinalAccount
    } else {
        Phase::Budget
    };
    let Read {
        infos,
        mut empty_tables,
        mut line_items,
        targets,
        mut diagnostics,
    } = read_tables(
        &layout.free_lines,
        tables,
        &heads,
        &units,
        &titles,
        phase,
        &ocr_pages(pages),
    );
    let kinds: Vec<_> = infos.iter().map(|t: &TableInfo| t.kind).collect();
    records::resolve_named_rows(&mut line_items, &kinds);
    let year = identity::fiscal_year(tables, pages, file_name);
    own_year(&mut line_items, year.map(|y| y.0));
    let heads = cover_lines(pages);
    let title = cover_title(&heads);
    let department = identity::department(tables, &heads, aliases);
    if department.is_none() {
        diagnostics.push(Diagnostic {
            kind: DiagnosticKind::DepartmentMissing,
            page: None,
            bbox: None,
            message: "no department name in meta lines, titles or headings".into(),
        });
    }
    if year.is_none() {
        diagnostics.push(Diagnostic {
            kind: DiagnosticKind::YearMissing,
            page: None,
            bbox: None,
            message: "no fiscal year in titles, first pages or file name".into(),
        });
    }
    if phase == Phase::FinalAccount {
        for listed in listed_empty(pages) {
            if empty_tables.iter().all(|e| e.kind != listed.kind) {
                empty_tables.push(listed);
            }
        }
    }
    // A sentence that does not say which figure of the year it states, states its document's.
    let mut facts = narrative::narrative_facts(pages, &layout.free_lines);
    for f in &mut facts {
        f.fact.basis.get_or_insert(Basis::of_phase(phase));
    }
    DocumentRecords {
        empty_tables,
        phase,
        title,
        department,
        fiscal_year: year.map(|y| y.0),
        fiscal_year_source: year.map(|y| y.1),
        unit,
        tables: infos,
        line_items,
        performance_targets: targets,
        facts,
        diagnostics,
    }
}

/// Each table's printed title and its reading: a continuation reads its head's (it prints
/// none of its own), so every piece of a table has the same kind.
fn titles(tables: &[Table], heads: &[usize]) -> Vec<(String, Title)> {
    heads
        .iter()
        .map(|&h| {
            let raw = tables[h]
                .title
                .as_ref()
                .map(|l| l.text.clone())
                .unwrap_or_default();
            let title = classify(&raw);
            (raw, title)
        })
        .collect()
}

/// What the tables of a document give, in table order.
#[derive(Default)]
struct Read {
    infos: Vec<TableInfo>,
    empty_tables: Vec<EmptyTable>,
    line_items: Vec<LineItem>,
    targets: Vec<PerformanceTarget>,
    diagnostics: Vec<Diagnostic>,
}

/// Reads every table: its records (line items, or indicator records of a performance table),
/// whether it is published empty, what is known of it, and what could not be read — each
/// table in the unit it prints, else the one every other table prints.
fn read_tables(
    free_lines: &[Vec<TextLine>],
    tables: &[Table],
    heads: &[usize],
    units: &[Option<Unit>],
    titles: &[(String, Title)],
    phase: Phase,
    ocr_pages: &BTreeSet<u32>,
) -> Read {
    let printed: Vec<Unit> = units.iter().flatten().copied().collect();
    let only_unit = printed
        .first()
        .copied()
        .filter(|u| printed.iter().all(|p| p == u));
    let mut read = Read::default();
    for (k, t) in tables.iter().enumerate() {
        let head = &tables[heads[k]];
        // A continuation without a header row of its own reads its columns by the head's (a
        // form's piece of other columns keeps its own).
        let joined;
        let t = if heads[k] != k && t.header_rows == 0 && t.n_cols == head.n_cols {
            joined = Table {
                header_paths: head.header_paths.clone(),
                ..t.clone()
            };
            &joined
        } else {
            t
        };
        let table_unit = &units[k].or(units[heads[k]]);
        let (title_raw, title) = titles[k].clone();
        let page = t.pages.first().copied();
        if title.kind == cnbudget_grammar::TableKind::Other {
            read.diagnostics.push(Diagnostic {
                kind: DiagnosticKind::UnknownTitle,
                page,
                bbox: t.title.as_ref().map(|l| l.bbox),
                message: format!("table title {title_raw:?} names no known table kind"),
            });
        }
        // A table printing no unit takes the unit every other table prints; with none, or with
        // tables disagreeing, it fails closed rather than guess 万元.
        let effective = table_unit.or(only_unit);
        if effective.is_none() {
            read.diagnostics.push(Diagnostic { kind: DiagnosticKind::UnitMissing, page, bbox: None, message: format!("table {title_raw:?} prints no unit and the document gives none: no yuan values") });
        }
        // Performance tables give indicator records; their funds stand there, not as line items.
        let (items, diags) = if title.kind == cnbudget_grammar::TableKind::PerformanceTargets {
            read.targets.extend(performance::targets(k, t, effective));
            (Vec::new(), Vec::new())
        } else {
            records::table_records(k, t, &title, effective, Basis::of_phase(phase), ocr_pages)
        };
        if let Some(statement) = empty_statement(t, free_lines, &items) {
            read.empty_tables.push(EmptyTable {
                kind: title.kind,
                statement,
                page: t.pages.last().copied().unwrap_or_default(),
            });
        }
        read.infos.push(TableInfo {
            kind: title.kind,
            title_raw,
            title: title.normalised,
            parts: title.parts,
            label: t.label.clone(),
            pages: t.pages.clone(),
            unit: *table_unit,
            method: t.method,
            records: items.len(),
        });
        read.line_items.extend(items);
        read.diagnostics.extend(diags);
    }
    read
}

/// The first pages' opening lines, read once: where the cover names its department and the
/// document's title.
fn cover_lines(pages: &[Page]) -> Vec<Vec<String>> {
    pages
        .iter()
        .take(3)
        .map(|p| {
            cnbudget_pdf::text::lines(p)
                .iter()
                .take(15)
                .map(|l| cnbudget_grammar::text::canonical(&l.text))
                .collect()
        })
        .collect()
}

/// The cover's title: a budget's on any of the first pages, else another document's where
/// the first page opens with one (its first line of some length, under any 附件 mark).
fn cover_title(heads: &[Vec<String>]) -> CoverTitle {
    if heads.iter().flatten().any(|l| names_a_budget(l)) {
        CoverTitle::Budget
    } else if heads
        .first()
        .and_then(|lines| lines.iter().find(|l| l.chars().count() >= 8))
        .is_some_and(|l| names_other_document(l))
    {
        CoverTitle::Other
    } else {
        CoverTitle::None
    }
}

/// A column naming the document's own year (`2026年预算数`) holds its own figures, one naming
/// the year before (`上年`) that year's. Where the year is unknown, the latest year a table
/// names is taken for its own.
fn own_year(items: &mut [LineItem], fiscal_year: Option<u16>) {
    let mut latest: std::collections::HashMap<usize, u16> = Default::default();
    for i in items.iter() {
        if let Some(Period::Year(y)) = i.period {
            let l = latest.entry(i.table).or_insert(y);
            *l = (*l).max(y);
        }
    }
    for i in items.iter_mut() {
        let own = fiscal_year.or_else(|| latest.get(&i.table).copied());
        match i.period {
            Some(Period::Year(y)) if Some(y) == own => i.period = None,
            // `上年` is named once the document's year is known.
            Some(Period::Previous) => {
                if let Some(y) = own.and_then(|y| y.checked_sub(1)) {
                    i.period = Some(Period::Year(y));
                }
            }
            _ => {}
        }
    }
}
