//! The Zhejiang layout: the seed document (绍兴市大数据发展管理局 2021 单位预算) reproduced as a
//! PDF by the generator, read back through the whole pipeline, gives the records the seed's
//! figures say. Expected values are read off `../shared/seed` (committed here as figures).

mod common;

use cnbudget_grammar::{Classification, Level, Measure, Operator, Side, TableKind, Unit};
use cnbudget_normalize::{CodeSource, DocumentRecords, LineItem};
use rust_decimal::Decimal;
use std::str::FromStr;

fn seed_records() -> DocumentRecords {
    let g = cnbudget_synth::shaoxing_2021();
    common::records(&g.pdf, &g.truth.file)
}

fn yuan(s: &str) -> Option<Decimal> {
    Some(Decimal::from_str(s).unwrap())
}

fn find<'a>(
    r: &'a DocumentRecords,
    kind: TableKind,
    item: &str,
    measure: Measure,
) -> Vec<&'a LineItem> {
    r.line_items
        .iter()
        .filter(|i| i.table_kind == kind && i.item_name == item && i.measure == Some(measure))
        .collect()
}

#[test]
fn identity_unit_and_tables() {
    let r = seed_records();
    let d = r.department.as_ref().unwrap();
    assert_eq!(
        (d.key.as_str(), d.name_raw.as_str(), d.code.as_deref()),
        (
            "绍兴市大数据发展管理局",
            "绍兴市大数据发展管理局本级",
            Some("253001")
        )
    );
    assert_eq!(r.fiscal_year, Some(2021));
    assert_eq!(r.unit, Some(Unit::Yuan));
    let kinds: Vec<TableKind> = r.tables.iter().map(|t| t.kind).collect();
    assert_eq!(
        kinds,
        vec![
            TableKind::Summary,
            TableKind::Expenditure,
            TableKind::FiscalSummary,
            TableKind::GeneralExpenditure,
            TableKind::GeneralBasicExpenditure,
            TableKind::ThreePublic,
            TableKind::PerformanceTargets
        ]
    );
    assert!(r.diagnostics.is_empty(), "{:#?}", r.diagnostics);
}

/// 收支预算总表 in 元, two-sided, with its printed error kept as printed.
#[test]
fn summary_in_yuan() {
    let r = seed_records();
    let income = find(
        &r,
        TableKind::Summary,
        "一般公共预算拨款收入",
        Measure::Total,
    );
    assert_eq!(
        (income.len(), income[0].side, income[0].amount_yuan),
        (1, Some(Side::Income), yuan("5068099.82"))
    );
    assert_eq!(
        find(&r, TableKind::Summary, "本年收入合计", Measure::Total)[0].amount_yuan,
        yuan("5068099.80"),
        "printed so in the seed"
    );
    let class = find(&r, TableKind::Summary, "一般公共服务支出", Measure::Total)[0];
    assert_eq!(
        (class.side, class.item_code.as_deref(), class.code_source),
        (
            Some(Side::Expenditure),
            Some("201"),
            Some(CodeSource::Inferred)
        )
    );
    assert_eq!(class.amount_yuan, yuan("4621133.66"));
    assert!(
        find(
            &r,
            TableKind::Summary,
            "政府性基金预算拨款收入",
            Measure::Total
        )
        .is_empty(),
        "a blank cell is no figure"
    );
    let records = r
        .line_items
        .iter()
        .filter(|i| i.table_kind == TableKind::Summary)
        .count();
    assert_eq!(
        records, 17,
        "every figure the seed prints there: 3 income, 14 expenditure"
    );
}

/// 支出预算总表 by unit and function code, with its empty 公用经费 cells.
#[test]
fn expenditure_by_unit_and_function_with_empty_public_cells() {
    let r = seed_records();
    let unit_row: Vec<&LineItem> = r
        .line_items
        .iter()
        .filter(|i| {
            i.table_kind == TableKind::Expenditure && i.item_code.as_deref() == Some("253001")
        })
        .collect();
    let measures: Vec<Option<Measure>> = unit_row.iter().map(|i| i.measure).collect();
    assert_eq!(
        measures,
        vec![
            Some(Measure::Total),
            Some(Measure::BasicPersonnel),
            Some(Measure::Project)
        ],
        "its 公用经费 cell is blank"
    );
    assert_eq!(unit_row[0].classification, Some(Classification::Unit));
    assert_eq!(unit_row[1].amount_yuan, yuan("1748780.64"));
    let running = find(&r, TableKind::Expenditure, "行政运行", Measure::BasicPublic);
    assert_eq!(
        (running[0].item_code.as_deref(), running[0].amount_yuan),
        (Some("2010301"), yuan("435519.18"))
    );
    assert_eq!(
        (running[0].item_level, running[0].parent_code.as_deref()),
        (Some(Level::Item), Some("20103"))
    );
    let public: Vec<&LineItem> = r
        .line_items
        .iter()
        .filter(|i| {
            i.table_kind == TableKind::Expenditure && i.measure == Some(Measure::BasicPublic)
        })
        .collect();
    assert_eq!(
        public.len(),
        2,
        "公用经费 printed only for 合计 and 行政运行"
    );
}

/// 一般公共预算基本支出表 by economic code.
#[test]
fn basic_expenditure_by_economic_code() {
    let r = seed_records();
    let wage = find(
        &r,
        TableKind::GeneralBasicExpenditure,
        "基本工资",
        Measure::BasicPersonnel,
    )[0];
    assert_eq!(
        (
            wage.item_code.as_deref(),
            wage.classification,
            wage.item_level,
            wage.parent_code.as_deref()
        ),
        (
            Some("30101"),
            Some(Classification::Economic),
            Some(Level::Section),
            Some("301")
        )
    );
    assert_eq!(wage.amount_yuan, yuan("330516.00"));
    // `一般公共预算基本支出/合计` is the subtotal of basic expenditure: `basic` in the vocabulary.
    let goods = find(
        &r,
        TableKind::GeneralBasicExpenditure,
        "商品和服务支出",
        Measure::Basic,
    )[0];
    assert_eq!(
        (
            goods.item_code.as_deref(),
            goods.item_level,
            goods.amount_yuan
        ),
        (Some("302"), Some(Level::Class), yuan("435519.18"))
    );
    let items = r
        .line_items
        .iter()
        .filter(|i| i.table_kind == TableKind::GeneralBasicExpenditure)
        .count();
    assert_eq!(
        items, 51,
        "25 rows print 合计 and one of 人员经费/公用经费; the 合计 row prints all three"
    );
}

/// "三公" table: vocabulary measures for every column.
#[test]
fn three_public_measures() {
    let r = seed_records();
    let total = find(&r, TableKind::ThreePublic, "合计", Measure::ThreePublic)[0];
    assert_eq!(total.amount_yuan, yuan("9000.00"));
    assert_eq!(
        find(
            &r,
            TableKind::ThreePublic,
            "绍兴市大数据发展管理局本级",
            Measure::Reception
        )[0]
        .amount_yuan,
        yuan("9000.00")
    );
}

/// 项目绩效目标表: one record per indicator, the project followed down its rows.
#[test]
fn performance_targets_follow_the_project() {
    let r = seed_records();
    let t = &r.performance_targets;
    assert_eq!(t.len(), 15, "3 projects × 5 indicators");
    assert!(t[..5]
        .iter()
        .all(|p| p.project == "2021年重点人员管控组保障经费"
            && p.funds_total_yuan == yuan("78000.00")
            && p.funds_general_yuan == yuan("78000.00")));
    assert_eq!(t[0].goal, "保障重点人员管控、信息研判工作的开展。");
    assert_eq!(
        (
            t[0].level1.as_str(),
            t[0].level2.as_str(),
            t[0].level3.as_str()
        ),
        ("效益指标", "经济效益指标", "预算执行率")
    );
    assert_eq!(
        (
            &t[0].operator,
            t[0].target_value,
            t[0].target_unit.as_str(),
            t[0].weight
        ),
        (&Operator::AtLeast, yuan("95"), "(%)", yuan("20"))
    );
    assert_eq!(t[5].project, "2021年重点人员管控组保障经费(租车专项)");
    assert_eq!(
        (&t[6].operator, t[6].target_value),
        (&Operator::Equal, yuan("13"))
    );
    assert_eq!(
        (
            &t[7].operator,
            t[7].target_raw.as_str(),
            t[7].target_unit.as_str()
        ),
        (&Operator::Qualitative, "1", "")
    );
    assert_eq!(
        (
            &t[10].operator,
            t[10].target_value,
            t[10].target_raw.as_str()
        ),
        (&Operator::Qualitative, None, "完备"),
        "a text target"
    );
    assert_eq!(
        (&t[11].operator, t[11].target_unit.as_str()),
        (&Operator::AtMost, "元/日")
    );
    assert!(t.iter().all(|p| p.unit_code.as_deref() == Some("253001")));
}

/// The narrative's figures, each with its sentence's page and section.
#[test]
fn narrative_facts_of_the_seed() {
    let r = seed_records();
    let got: Vec<(String, String)> = r
        .facts
        .iter()
        .map(|f| (f.fact.key.to_string(), f.fact.value.to_string()))
        .collect();
    for expected in [
        ("budget.total", "506.81"),
        ("revenue.fiscal.general", "506.81"),
        ("expenditure.function.201", "462.11"),
        ("expenditure.basic.personnel", "174.88"),
        ("three_public.reception", "0.9"),
        ("operating_costs", "43.55"),
        ("procurement.services", "283.22"),
        ("count.vehicles", "0"),
        ("count.performance_projects", "7"),
    ] {
        assert!(
            got.contains(&(expected.0.to_string(), expected.1.to_string())),
            "{expected:?} in {got:?}"
        );
    }
    let personnel = r
        .facts
        .iter()
        .find(|f| f.fact.key.to_string() == "expenditure.basic.personnel")
        .unwrap();
    assert_eq!(
        personnel.fact.share.map(|s| s.to_string()).as_deref(),
        Some("34.5")
    );
    assert_eq!(
        personnel.section.as_deref(),
        Some("二、2021年收支预算情况的总体说明")
    );
    // The fiscal paragraph (四) states 住房保障 and 社会保障和就业 the other way round, (五) right
    // again: read as printed.
    let housing: Vec<String> = r
        .facts
        .iter()
        .filter(|f| f.fact.key.to_string() == "expenditure.function.221")
        .map(|f| f.fact.value.to_string())
        .collect();
    assert_eq!(housing, vec!["24.49", "20.21", "24.49"]);
}
