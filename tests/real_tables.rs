//! Tables of the real Jiangsu corpus, one insta snapshot per table, each checked by a person
//! against the rendered page (see docs/verification.md for how each was verified).
//! Snapshots are `cnbudget tables --format md` blocks: title, label, pages, method, header
//! paths and every cell (`<` and `^` mark slots a span covers).

mod common;

use common::{cnbudget, name, real_corpus};

/// (file, table number in `cnbudget tables` order, snapshot name, what it covers).
const CASES: &[(&str, usize, &str)] = &[
    (
        "江苏省人大办公厅2017年度预算公开.pdf",
        1,
        "wps_summary_three_sided_three_pages",
    ),
    (
        "江苏省人大办公厅2017年度预算公开.pdf",
        11,
        "wps_three_public_multilevel_header",
    ),
    (
        "2017年省检察院部门预算.pdf",
        4,
        "wps_fiscal_summary_two_pages",
    ),
    (
        "省人大办公厅2018预算公开.pdf",
        12,
        "wps_procurement_double_border_two_pages",
    ),
    (
        "2018年省检察院部门预算公开.pdf",
        1,
        "word2007_summary_starts_mid_page",
    ),
    (
        "2018年省检察院部门预算公开.pdf",
        9,
        "word2007_three_public_wrapped_title",
    ),
    (
        "省法院2018年度部门预算公开.pdf",
        4,
        "word2007_first_piece_fewer_columns",
    ),
    (
        "省法院2017年度部门预算公开.pdf",
        6,
        "word2007_basic_by_economic_code",
    ),
    (
        "2017年度部门预算公开表.pdf",
        12,
        "excel2010_procurement_repeated_title",
    ),
    (
        "江苏省政协办公厅2018度部门预算公开表.pdf",
        1,
        "excel2010_summary",
    ),
    (
        "江苏省委办公厅2018年度部门预算公开表.pdf",
        1,
        "distiller_rotated_summary",
    ),
    (
        "江苏省委办公厅2018年度部门预算公开表.pdf",
        9,
        "distiller_rotated_three_public",
    ),
    (
        "江苏省委办公厅2017年预算公开表格.pdf",
        1,
        "acrobat_pro_a3_summary",
    ),
    (
        "江苏省委办公厅2017年预算公开表格.pdf",
        3,
        "acrobat_pro_a3_expenditure_empty_cells",
    ),
];

#[test]
fn real_tables_match_verified_snapshots() {
    let Some(files) = real_corpus() else { return };
    for (file_name, k, snapshot) in CASES {
        let file = files
            .iter()
            .find(|f| name(f) == *file_name)
            .unwrap_or_else(|| panic!("{file_name} is in the corpus"));
        let md = cnbudget(&[
            "tables".as_ref(),
            file.as_os_str(),
            "--format".as_ref(),
            "md".as_ref(),
        ]);
        let block = md
            .split("## Table ")
            .find(|b| b.starts_with(&format!("{k}:")))
            .unwrap_or_else(|| panic!("{file_name} has a table {k}"));
        insta::assert_snapshot!(*snapshot, format!("## Table {}", block.trim_end()));
    }
}

/// Every table file of the corpus holds the twelve tables of the Jiangsu family, each with a
/// title; the narrative-only files hold none (their table lists are text, not tables).
#[test]
fn every_table_on_the_real_pages_is_found() {
    let Some(files) = real_corpus() else { return };
    for file in &files {
        let md = cnbudget(&["tables".as_ref(), file.as_os_str()]);
        let titles: Vec<&str> = md.lines().filter(|l| l.starts_with("## Table")).collect();
        let narrative = [
            "江苏省委办公厅2017年部门预算.pdf",
            "江苏省委办公厅2018年度部门预算公开文件.pdf",
            "江苏省政协办公厅2017年度部门预算.pdf",
            "江苏省政协办公厅2018年度部门预算.pdf",
        ];
        let expected = if narrative.contains(&name(file).as_str()) {
            0
        } else {
            12
        };
        println!("{:>2} tables  {}", titles.len(), name(file));
        assert_eq!(titles.len(), expected, "{}: {titles:#?}", name(file));
        assert!(
            titles.iter().all(|t| !t.contains("(no title)")),
            "{}: untitled table: {titles:#?}",
            name(file)
        );
    }
}

/// Hundredths of a printed amount (`13,649.07` → 1364907), blank as zero; `None` for text.
fn hundredths(s: &str) -> Option<i64> {
    let t = s.trim().replace(',', "");
    if t.is_empty() {
        return Some(0);
    }
    let (whole, frac) = t.split_once('.').unwrap_or((&t, "0"));
    if whole.is_empty()
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || frac.len() > 2
        || !frac.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    Some(whole.parse::<i64>().ok()? * 100 + format!("{frac:0<2}").parse::<i64>().ok()?)
}

/// No figure lands in a wrong row or column: in every table with classification codes, each
/// 类 and 款 equals the sum of its children, in every column that holds amounts.
#[test]
fn coded_rows_add_up_in_every_amount_column() {
    let Some(files) = real_corpus() else { return };
    let (mut checked, mut failures) = (0, Vec::new());
    for file in &files {
        let doc = cnbudget_pdf::Document::open(file).unwrap();
        let pages: Vec<_> = (1..=doc.page_count())
            .map(|n| doc.page(n).unwrap())
            .collect();
        for t in cnbudget_table::document_tables(&pages).tables {
            let grid = t.grid();
            let coded: Vec<(String, &Vec<Option<String>>)> = t
                .body_rows()
                .filter_map(|r| {
                    let code = grid[r].iter().take(2).flatten().find(|s| {
                        matches!(s.trim().len(), 3 | 5 | 7)
                            && s.trim().bytes().all(|b| b.is_ascii_digit())
                    })?;
                    Some((code.trim().to_string(), &grid[r]))
                })
                .collect();
            for col in 0..t.n_cols {
                let values: Vec<(&str, i64)> = coded
                    .iter()
                    .filter_map(|(code, row)| {
                        Some((
                            code.as_str(),
                            hundredths(row[col].as_deref().unwrap_or(""))?,
                        ))
                    })
                    .collect();
                let printed_amounts = coded
                    .iter()
                    .any(|(_, row)| row[col].as_deref().is_some_and(|s| s.contains('.')));
                if values.len() < coded.len() || !printed_amounts {
                    continue; // a text or code column, or one with no amounts
                }
                for (code, value) in &values {
                    let kids: Vec<i64> = values
                        .iter()
                        .filter(|(k, _)| k.len() == code.len() + 2 && k.starts_with(code))
                        .map(|k| k.1)
                        .collect();
                    if kids.is_empty() {
                        continue;
                    }
                    checked += 1;
                    if kids.iter().sum::<i64>() != *value {
                        failures.push(format!(
                            "{} {:?} column {col}: {code} = {value} but its children sum to {}",
                            name(file),
                            t.title.as_ref().map(|l| &l.text),
                            kids.iter().sum::<i64>()
                        ));
                    }
                }
            }
        }
    }
    println!("{checked} parent = Σ children checks");
    assert!(checked >= 150, "too few coded rows found: {checked}");
    assert!(failures.is_empty(), "{failures:#?}");
}
