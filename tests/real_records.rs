//! Normalised records of the real Jiangsu corpus: who, which year, which unit, which tables,
//! and figures that agree across tables.

mod common;

use cnbudget_grammar::{Measure, Side, TableKind, Unit};
use cnbudget_normalize::{normalize, Aliases, DocumentRecords};
use common::{cnbudget, name, real_corpus};
use rust_decimal::Decimal;
use std::path::Path;

fn records(file: &Path) -> DocumentRecords {
    let doc = cnbudget_pdf::Document::open(file).unwrap();
    let pages: Vec<_> = (1..=doc.page_count())
        .map(|n| doc.page(n).unwrap())
        .collect();
    let layout = cnbudget_table::document_tables(&pages);
    normalize(&name(file), &pages, &layout, &Aliases::default())
}

/// (file, department key, fiscal year), read off each file's cover and tables by a person.
const IDENTITY: &[(&str, &str, u16)] = &[
    (
        "江苏省人大办公厅2017年度预算公开.pdf",
        "江苏省人大常委会办公厅",
        2017,
    ),
    (
        "省人大办公厅2018预算公开.pdf",
        "江苏省人大常委会办公厅",
        2018,
    ),
    ("2017年省检察院部门预算.pdf", "江苏省人民检察院", 2017),
    ("2018年省检察院部门预算公开.pdf", "江苏省人民检察院", 2018),
    ("江苏省委办公厅2017年部门预算.pdf", "江苏省委办公厅", 2017),
    (
        "江苏省委办公厅2017年预算公开表格.pdf",
        "江苏省委办公厅",
        2017,
    ),
    (
        "江苏省委办公厅2018年度部门预算公开文件.pdf",
        "江苏省委办公厅",
        2018,
    ),
    (
        "江苏省委办公厅2018年度部门预算公开表.pdf",
        "江苏省委办公厅",
        2018,
    ),
    ("2017年度部门预算公开表.pdf", "江苏省政协办公厅", 2017),
    (
        "江苏省政协办公厅2017年度部门预算.pdf",
        "江苏省政协办公厅",
        2017,
    ),
    (
        "江苏省政协办公厅2018年度部门预算.pdf",
        "江苏省政协办公厅",
        2018,
    ),
    (
        "江苏省政协办公厅2018度部门预算公开表.pdf",
        "江苏省政协办公厅",
        2018,
    ),
    ("省法院2017年度部门预算公开.pdf", "江苏省高级人民法院", 2017),
    ("省法院2018年度部门预算公开.pdf", "江苏省高级人民法院", 2018),
];

/// The Jiangsu family of twelve tables.
const FAMILY: &[TableKind] = &[
    TableKind::Summary,
    TableKind::Revenue,
    TableKind::Expenditure,
    TableKind::FiscalSummary,
    TableKind::FiscalExpenditure,
    TableKind::FiscalBasicExpenditure,
    TableKind::GovFundExpenditure,
    TableKind::GeneralExpenditure,
    TableKind::GeneralBasicExpenditure,
    TableKind::ThreePublic,
    TableKind::OperatingCosts,
    TableKind::Procurement,
];

#[test]
fn department_year_unit_and_table_kinds_of_every_file() {
    let Some(files) = real_corpus() else { return };
    for file in &files {
        let r = records(file);
        let (_, dept, year) = IDENTITY
            .iter()
            .find(|(f, _, _)| *f == name(file))
            .unwrap_or_else(|| panic!("{} listed", name(file)));
        assert_eq!(
            r.department.as_ref().map(|d| d.key.as_str()),
            Some(*dept),
            "{}",
            name(file)
        );
        assert_eq!(r.fiscal_year, Some(*year), "{}", name(file));
        assert_eq!(r.unit, Some(Unit::WanYuan), "{}", name(file));
        let mut kinds: Vec<TableKind> = r.tables.iter().map(|t| t.kind).collect();
        kinds.sort();
        let expected: Vec<TableKind> = if kinds.is_empty() {
            vec![]
        } else {
            let mut f = FAMILY.to_vec();
            f.sort();
            f
        };
        println!(
            "{:<44} {} {} {:?}",
            name(file),
            dept,
            year,
            kinds.iter().map(|k| k.key()).collect::<Vec<_>>()
        );
        assert_eq!(kinds, expected, "{}: table kinds", name(file));
        assert!(
            r.tables
                .iter()
                .all(|t| t.kind == TableKind::Other || t.unit == Some(Unit::WanYuan)),
            "{}: every table prints 万元",
            name(file)
        );
    }
}

/// One figure of a table, found by kind, side, measure and item name.
fn figure(
    r: &DocumentRecords,
    kind: TableKind,
    side: Option<Side>,
    measure: Measure,
    item: &str,
) -> Option<Decimal> {
    r.line_items
        .iter()
        .find(|i| {
            i.table_kind == kind
                && i.side == side
                && i.measure == Some(measure)
                && i.item_name == item
        })
        .and_then(|i| i.amount_yuan)
}

/// Totals agree across tables, as the Jiangsu template makes them: the summary's 收入合计 =
/// its 支出合计 = the revenue table's 收入总计 = the expenditure table's 合计; the fiscal
/// summary's 收入合计 = its 支出合计. Every figure here is the exact yuan of its record.
#[test]
fn totals_agree_across_tables() {
    let Some(files) = real_corpus() else { return };
    let mut checked = 0;
    for file in &files {
        let r = records(file);
        if r.tables.is_empty() {
            continue;
        }
        let income = figure(
            &r,
            TableKind::Summary,
            Some(Side::Income),
            Measure::Total,
            "收入合计",
        );
        let spent = figure(
            &r,
            TableKind::Summary,
            Some(Side::Expenditure),
            Measure::Total,
            "支出合计",
        );
        let revenue = figure(&r, TableKind::Revenue, None, Measure::Total, "收入总计");
        let expenditure = figure(&r, TableKind::Expenditure, None, Measure::Total, "");
        println!(
            "{:<44} {income:?} {spent:?} {revenue:?} {expenditure:?}",
            name(file)
        );
        assert!(income.is_some(), "{}: 收入合计", name(file));
        assert_eq!(income, spent, "{}", name(file));
        assert_eq!(income, revenue, "{}", name(file));
        assert_eq!(income, expenditure, "{}", name(file));
        let fiscal_in = figure(
            &r,
            TableKind::FiscalSummary,
            Some(Side::Income),
            Measure::Total,
            "收入合计",
        );
        let fiscal_out = figure(
            &r,
            TableKind::FiscalSummary,
            Some(Side::Expenditure),
            Measure::Total,
            "支出合计",
        );
        assert!(
            fiscal_in.is_some() && fiscal_in == fiscal_out,
            "{}: fiscal summary {fiscal_in:?} {fiscal_out:?}",
            name(file)
        );
        checked += 1;
    }
    assert_eq!(checked, 10, "the ten table files");
}

/// Every record of every table of one PDF per producer, as `cnbudget records` prints them;
/// each snapshot was reviewed against the page-verified table snapshots and the pages.
#[test]
fn records_of_one_file_per_producer() {
    let Some(files) = real_corpus() else { return };
    let cases = [
        ("江苏省人大办公厅2017年度预算公开.pdf", "records_wps"),
        ("2018年省检察院部门预算公开.pdf", "records_word2007"),
        (
            "江苏省政协办公厅2018度部门预算公开表.pdf",
            "records_excel2010",
        ),
        (
            "江苏省委办公厅2018年度部门预算公开表.pdf",
            "records_distiller_rotated",
        ),
        (
            "江苏省委办公厅2017年预算公开表格.pdf",
            "records_acrobat_pro",
        ),
    ];
    for (file_name, snapshot) in cases {
        let file = files
            .iter()
            .find(|f| name(f) == file_name)
            .unwrap_or_else(|| panic!("{file_name}"));
        insta::assert_snapshot!(snapshot, cnbudget(&["records".as_ref(), file.as_os_str()]));
    }
}

/// Figures stated in a Jiangsu narrative (政协办公厅 2018, pp. 7–14), read off the page.
#[test]
fn narrative_facts_of_a_jiangsu_narrative() {
    let Some(files) = real_corpus() else { return };
    let file = files
        .iter()
        .find(|f| name(f) == "江苏省政协办公厅2018年度部门预算.pdf")
        .unwrap();
    let r = records(file);
    let got: Vec<(String, String, Option<String>)> = r
        .facts
        .iter()
        .map(|f| {
            (
                f.fact.key.to_string(),
                f.fact.value.to_string(),
                f.fact.share.map(|s| s.to_string()),
            )
        })
        .collect();
    for expected in [
        ("revenue.total", "10150.48", None),
        ("revenue.fiscal", "10070.48", None),
        ("revenue.other", "80", Some("0.79")),
        ("expenditure.function.201", "7827.46", None),
        ("expenditure.function.208", "823.76", None),
        ("expenditure.function.221", "1499.26", None),
        ("expenditure.basic", "5678.17", Some("55.94")),
        ("expenditure.project", "3314.68", Some("32.66")),
        ("expenditure.reserve", "1157.63", Some("11.40")),
        ("three_public.reception", "412.50", Some("61.10")),
    ] {
        let e = (
            expected.0.to_string(),
            expected.1.to_string(),
            expected.2.map(str::to_string),
        );
        assert!(got.contains(&e), "{e:?} not in {got:#?}");
    }
    assert!(
        r.facts.iter().all(|f| (7..=20).contains(&f.page)),
        "pages of the narrative's budget part"
    );
}
