//! Tables read back from generated budgets against the generator's ground truth: an
//! independent path (the generator lays out what it knows; the reader sees only the PDF).

use cnbudget_grammar::HeaderPath;
use cnbudget_pdf::{Document, Limits};
use cnbudget_synth::{generate, Ruling, TruthTable};
use cnbudget_table::{document_tables, Method, Table};

/// The truth's header paths: for each column, the texts of the header cells above it.
fn truth_paths(t: &TruthTable) -> Vec<HeaderPath> {
    let n = t.header.first().map_or(0, Vec::len);
    let anchor = |r: usize, c: usize| -> (usize, usize) {
        t.spans
            .iter()
            .find(|s| s[0] <= r && r < s[0] + s[2] && s[1] <= c && c < s[1] + s[3])
            .map_or((r, c), |s| (s[0], s[1]))
    };
    (0..n)
        .map(|c| {
            let mut parts: Vec<String> = Vec::new();
            let mut last = None;
            for r in (0..t.header.len()).filter(|r| Some(*r) != t.column_number_row) {
                let a = anchor(r, c);
                if last != Some(a) && !t.header[a.0][a.1].is_empty() {
                    parts.push(t.header[a.0][a.1].clone());
                }
                last = Some(a);
            }
            HeaderPath::new(parts)
        })
        .collect()
}

/// Our header in the truth's form: texts at anchors, "" where a span covers, and the spans.
fn our_header(t: &Table) -> (Vec<Vec<String>>, Vec<[usize; 4]>) {
    let mut grid = vec![vec![String::new(); t.n_cols]; t.header_rows];
    let mut spans = Vec::new();
    for c in t.cells.iter().filter(|c| c.row < t.header_rows) {
        grid[c.row][c.col] = c.text.clone();
        if c.rowspan > 1 || c.colspan > 1 {
            spans.push([c.row, c.col, c.rowspan, c.colspan]);
        }
    }
    spans.sort_unstable();
    (grid, spans)
}

/// Cell text drops the spaces next to CJK characters (`(一) 一般` → `(一)一般`, `合 计` →
/// `合计`): the truth's printed text is compared under the same rule.
fn without_cjk_spaces(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let wide = |c: &char| cnbudget_pdf::text::is_wide(*c);
    chars
        .iter()
        .enumerate()
        .filter(|(i, c)| {
            **c != ' '
                || !(i
                    .checked_sub(1)
                    .and_then(|p| chars.get(p))
                    .is_some_and(wide)
                    || chars.get(i + 1).is_some_and(wide))
        })
        .map(|(_, c)| *c)
        .collect()
}

fn our_body(t: &Table) -> Vec<Vec<String>> {
    let grid = t.grid();
    t.body_rows()
        .map(|r| {
            grid[r]
                .iter()
                .map(|s| s.clone().unwrap_or_default())
                .collect()
        })
        .collect()
}

/// Checks one generated document; returns (tables, cells) compared.
fn check(seed: u64, index: u32) -> (usize, usize) {
    check_document(generate(seed, index))
}

/// The tables the table stage reads from a generated document.
fn read_tables(g: &cnbudget_synth::Generated) -> Vec<Table> {
    let doc = Document::from_bytes(&g.pdf, &g.truth.file, Limits::default())
        .expect("generated PDF opens");
    let pages: Vec<_> = (1..=doc.page_count())
        .map(|n| doc.page(n).expect("page reads"))
        .collect();
    document_tables(&pages).tables
}

fn check_document(g: cnbudget_synth::Generated) -> (usize, usize) {
    let tables = read_tables(&g);
    assert_eq!(
        tables.len(),
        g.truth.tables.len(),
        "{}: tables found",
        g.truth.file
    );
    let mut cells = 0;
    for (ours, truth) in tables.iter().zip(&g.truth.tables) {
        let what = format!("{} {}", g.truth.file, truth.title);
        assert_eq!(
            ours.title.as_ref().map(|l| l.text.as_str()),
            Some(truth.title.as_str()),
            "{what}: title"
        );
        assert_eq!(ours.label, truth.label, "{what}: label");
        assert_eq!(
            ours.column_number_row, truth.column_number_row,
            "{what}: column-number row"
        );
        assert!(
            ours.meta
                .iter()
                .any(|m| m.text.contains(&format!("单位：{}", truth.unit))),
            "{what}: unit line"
        );
        assert_eq!(ours.pages, truth.pages, "{what}: pages");
        let expected_method = if truth.ruling == Ruling::HeaderOnly {
            Method::Stream
        } else {
            Method::Lattice
        };
        assert_eq!(ours.method, expected_method, "{what}: method");
        assert_eq!(
            ours.header_paths,
            truth_paths(truth),
            "{what}: header paths"
        );
        if ours.method == Method::Lattice {
            let (header, spans) = our_header(ours);
            let mut truth_spans = truth.spans.clone();
            truth_spans.sort_unstable();
            assert_eq!(header, truth.header, "{what}: header cells");
            assert_eq!(spans, truth_spans, "{what}: header spans");
        }
        let body = our_body(ours);
        let expected: Vec<Vec<String>> = truth
            .body
            .iter()
            .map(|r| r.iter().map(|s| without_cjk_spaces(s)).collect())
            .collect();
        assert_eq!(body, expected, "{what}: body");

        let mut spans: Vec<[usize; 4]> = ours
            .cells
            .iter()
            .filter(|c| c.row >= ours.header_rows && (c.rowspan > 1 || c.colspan > 1))
            .map(|c| [c.row - ours.header_rows, c.col, c.rowspan, c.colspan])
            .collect();
        spans.sort_unstable();
        let mut truth_spans = truth.body_spans.clone();
        truth_spans.sort_unstable();
        assert_eq!(spans, truth_spans, "{what}: body spans");
        cells += body.iter().map(Vec::len).sum::<usize>();
    }
    (tables.len(), cells)
}

/// The committed sample corpus (seed 2026): every table, every cell.
#[test]
fn committed_corpus_tables_match_ground_truth() {
    let (mut tables, mut cells) = (0, 0);
    for index in 0..8 {
        let (t, c) = check(2026, index);
        tables += t;
        cells += c;
    }
    println!("{tables} tables, {cells} body cells: all match");
}

/// The Zhejiang seed document: 元, `部门名称：【253001】…`, column-number rows, a landscape
/// performance table whose project cells span their indicator rows over a page break.
#[test]
fn zhejiang_seed_document_tables_match_ground_truth() {
    let (tables, cells) = check_document(cnbudget_synth::shaoxing_2021());
    println!("{tables} tables, {cells} body cells: all match");
    assert_eq!(tables, 7);
}

/// A larger generated run: lattice and stream tables, tables over page breaks.

#[test]
fn generated_run_tables_match_ground_truth() {
    let (mut tables, mut cells, mut multi_page, mut stream) = (0, 0, 0, 0);
    for index in 0..120 {
        let g = generate(77, index);
        multi_page += g.truth.tables.iter().filter(|t| t.pages.len() > 1).count();
        stream += g
            .truth
            .tables
            .iter()
            .filter(|t| t.ruling == Ruling::HeaderOnly)
            .count();
        let (t, c) = check(77, index);
        tables += t;
        cells += c;
    }
    println!("{tables} tables ({multi_page} over a page break, {stream} stream), {cells} body cells: all match");
    assert!(
        multi_page >= 20 && stream >= 20,
        "the run must exercise page breaks ({multi_page}) and stream tables ({stream})"
    );
}

/// A table as the snapshots show it: furniture, shape, each column's header levels, and
/// every row's slots (`<` covered by a span from the left, `^` from above, `∅` no cell).
fn render(t: &Table) -> String {
    let mut out = format!(
        "{} {}\n{:?} · pages {:?} · {} rows × {} columns · header rows {} · column-number row {:?}\n",
        t.label.as_deref().unwrap_or("(no label)"),
        t.title.as_ref().map_or("(no title)", |l| l.text.as_str()),
        t.method,
        t.pages,
        t.n_rows,
        t.n_cols,
        t.header_rows,
        t.column_number_row,
    );
    for m in &t.meta {
        out += &format!("meta: {}\n", m.text);
    }
    for n in &t.notes {
        out += &format!("note: {}\n", n.text);
    }
    out += "header paths:\n";
    for (c, path) in t.header_paths.iter().enumerate() {
        out += &format!("  {c}: {:?}\n", path.levels());
    }
    out += "rows:\n";
    let at = t.index();
    for r in 0..t.n_rows {
        let slots: Vec<String> = (0..t.n_cols)
            .map(|c| match at.at(r, c) {
                None => "∅".to_string(),
                Some(cell) if (cell.row, cell.col) == (r, c) => format!("{:?}", cell.text),
                Some(cell) if cell.row == r => "<".to_string(),
                Some(_) => "^".to_string(),
            })
            .collect();
        let part = if r < t.header_rows { "H" } else { " " };
        out += &format!("  {r:>2} {part} | {}\n", slots.join(" | "));
    }
    out
}

/// Snapshots of representative tables of the committed sample corpus (seed 2026), each
/// checked by a person against the drawn page: a ruled grid, a stream table without
/// rulings, a header spanning two and three rows, a table continued over a page break.
#[test]
fn representative_tables() {
    // (document index, table number in reading order from 1, snapshot name).
    const CASES: &[(u32, usize, &str)] = &[
        (0, 2, "ruled_grid_row_span"),
        (0, 6, "ruled_grid_two_sided_header"),
        (1, 4, "stream_header_over_three_rows"),
        (0, 10, "header_spanning_three_rows"),
        (3, 4, "continued_over_page_break"),
    ];
    for &(index, k, name) in CASES {
        let tables = read_tables(&generate(2026, index));
        let t = &tables[k - 1];
        insta::assert_snapshot!(name, render(t));
    }
}
