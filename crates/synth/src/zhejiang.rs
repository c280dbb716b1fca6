//! The Zhejiang layout, reproducing the seed's document (绍兴市大数据发展管理局, 2021 单位预算):
//! amounts in 元, `部门名称：【253001】…` meta lines, column-number rows (`** ** 1 2 3`), rows by
//! unit and function code, an economic-code table, and the project performance targets
//! whose project cells span their indicator rows. Its figures are the seed's, as printed,
//! errors included (`本年收入合计` 5,068,099.80; a 款 printed 4,621,123.66).

use crate::canvas::{build_pdf, Align, Canvas, CjkFont, PAGE_H, PAGE_W};
use crate::seed_tables::{
    EXPENDITURE, FISCAL_SUMMARY, GENERAL, GENERAL_BASIC, SUMMARY, THREE_PUBLIC,
};
use crate::table::{Cell, Col, Furniture, Ruling, Style, TableSpec, INCOME, SPENDING};
use crate::{Generated, Truth};

const DEPARTMENT: &str = "部门名称：【253001】绍兴市大数据发展管理局本级";

/// The narrative's key sentences, as the seed prints them: its errors included (社会保障和就业
/// and 住房保障 swapped in the fiscal paragraph, 一般公共预算基本支出 stated as 462.11 万元).
const NARRATIVE: &[&str] = &[
    "绍兴市大数据发展管理局2021年单位预算",
    "二、2021年收支预算情况的总体说明",
    "市大数据局2021年收支总预算506.81万元。",
    "市大数据局2021年收入预算506.81万元，其中：一般公共预算拨款收入506.81万元，占100%。",
    "市大数据局2021年支出预算506.81万元。",
    "1.按支出功能分类，包括一般公共服务支出462.11万元、住房保障支出24.49万元，社会保障和就业支出20.21万元。",
    "2.按支出用途分类，包括人员支出174.88万元，占34.5%；日常公用支出43.55万元，占8.6%；项目支出288.38万元，占56.9%。",
    "市大数据局2021年财政拨款收支总预算506.81万元。包括：一般公共预算拨款收入506.81万元；支出包括：一般公共服务支出462.11万元、住房保障支出20.21万元，社会保障和就业支出24.49万元。",
    "（五）关于市大数据局2021年一般公共预算当年拨款情况说明。",
    "市大数据局2021年一般公共预算当年拨款506.81万元，比2020年执行数增加218.12万元，主要原因是对新建绍兴市疫情管控平台、企业复工管理系统项目进行了迭代升级。",
    "一般公共服务支出（类）462.11万元，占91.2%；社会保障和就业支出（类）20.21万元，占4.0%；住房保障支出（类）24.49万元，占4.8%。",
    "（六）关于市大数据局2021年一般公共预算基本支出情况说明。",
    "市大数据局2021年一般公共预算基本支出462.11万元，其中：人员经费174.88万元，公用经费43.55万元。",
    "（八）关于市大数据局2021年一般公共预算“三公”经费预算情况说明。",
    "1.因公出国（境）费用：2021年预算安排0.00万元，与上年预算数持平。",
    "2.公务接待费：2021年安排公务接待费预算0.9万元，比上年预算数减少10%。",
    "3.公务用车购置及运行维护费：2021年安排公务用车购置及运行维护费预算0.00万元，与上年预算数持平。其中，公务用车购置支出0.00万元（含购置税等附加费用）；公务用车运行维护费支出0.00万元。",
    "2021年市大数据局本级的机关运行经费财政拨款预算43.55万元。",
    "2021年市大数据局政府采购预算总额284.82万元，其中：政府采购货物预算1.60万元、政府采购工程预算0.00万元、政府采购服务预算283.22万元。",
    "截至2020年12月31日，市大数据局共有车辆0辆。",
    "2021年市大数据局财政性资金安排的项目均实行绩效管理，共涉及7个项目，当年资金安排288.38万元。",
];

/// Projects with their funds, goal and indicators (一级, 二级, 三级, 计算符号, 指标值, 计量单位,
/// 权重), typed from the seed's flattened performance table.
const PROJECTS: &[(&str, &str, &str, &[[&str; 7]])] = &[
    (
        "2021年重点人员管控组保障经费",
        "78,000.00",
        "保障重点人员管控、信息研判工作的开展。",
        &[
            [
                "效益指标",
                "经济效益指标",
                "预算执行率",
                "≥",
                "95",
                "(%)",
                "20",
            ],
            [
                "效益指标",
                "社会效益指标",
                "重点人员管控、信息研判数量",
                "≥",
                "10000",
                "人次",
                "20",
            ],
            [
                "满意度指标",
                "服务对象满意度指标",
                "服务人群满意度",
                "≥",
                "90",
                "(%)",
                "20",
            ],
            [
                "产出指标",
                "数量指标",
                "重点人员工作月数",
                "≥",
                "10",
                "个月",
                "20",
            ],
            [
                "产出指标",
                "数量指标",
                "重点人员组保障人数",
                "≥",
                "13",
                "人",
                "20",
            ],
        ],
    ),
    (
        "2021年重点人员管控组保障经费(租车专项)",
        "20,800.00",
        "",
        &[
            [
                "效益指标",
                "社会效益指标",
                "重点人员管控、信息研判数量",
                "≥",
                "10000",
                "人次",
                "20",
            ],
            [
                "产出指标",
                "数量指标",
                "重点人员组保障人数",
                "=",
                "13",
                "人",
                "20",
            ],
            [
                "满意度指标",
                "服务对象满意度指标",
                "系统使用年限指数",
                "定性",
                "1",
                "",
                "20",
            ],
            [
                "产出指标",
                "时效指标",
                "重点人员工作月数",
                "≥",
                "10",
                "月",
                "20",
            ],
            [
                "效益指标",
                "可持续影响指标",
                "预算执行率",
                "≥",
                "95",
                "(%)",
                "20",
            ],
        ],
    ),
    (
        "大数据讲堂",
        "45,000.00",
        "参训学员的满意度90%以上",
        &[
            [
                "产出指标",
                "质量指标",
                "保障措施完备性",
                "定性",
                "完备",
                "",
                "20",
            ],
            [
                "产出指标",
                "成本指标",
                "人均培训费",
                "≤",
                "400",
                "元/日",
                "20",
            ],
            [
                "满意度指标",
                "服务对象满意度指标",
                "培训学员满意度",
                "≥",
                "90",
                "(%)",
                "20",
            ],
            [
                "效益指标",
                "社会效益指标",
                "培训学员数",
                "≥",
                "120",
                "人次",
                "20",
            ],
            ["产出指标", "数量指标", "培训次数", "≥", "4", "次", "20"],
        ],
    ),
];

/// A text cell: figures right-aligned, everything else left.
fn cell(text: &str) -> Option<Cell> {
    let figure = text.chars().next().is_some_and(|c| c.is_ascii_digit()) && text.contains('.');
    Some(Cell::new(
        text,
        if figure { Align::Right } else { Align::Left },
    ))
}

/// Body rows from the seed's tab-separated block, padded to `width` columns.
fn rows(block: &str, width: usize) -> Vec<Vec<Option<Cell>>> {
    block
        .lines()
        .map(|l| {
            (0..width)
                .map(|c| cell(l.split('\t').nth(c).unwrap_or("").trim()))
                .collect()
        })
        .collect()
}

fn h(text: &str, rowspan: usize, colspan: usize) -> Option<Cell> {
    Some(Cell::span(text, rowspan, colspan))
}

/// A header row of column numbers (`**`, `1`, `2` …).
fn numbers(labels: &[&str]) -> Vec<Option<Cell>> {
    labels.iter().map(|l| h(l, 1, 1)).collect()
}

/// A table of kind `kind` whose columns hold `columns`.
struct Shape {
    kind: &'static str,
    columns: Vec<Col>,
}

/// A table of the seed: a code column, a name column, then figures of `measures`.
fn coded(kind: &'static str, measures: &[&'static str]) -> Shape {
    let mut columns = vec![Col::Code, Col::Label(None)];
    columns.extend(measures.iter().map(|m| Col::Figure(None, m)));
    Shape { kind, columns }
}

fn spec(
    title: &str,
    shape: Shape,
    widths: &[f64],
    header: Vec<Vec<Option<Cell>>>,
    column_numbers: bool,
    body: Vec<Vec<Option<Cell>>>,
    landscape: bool,
) -> TableSpec {
    TableSpec {
        kind: shape.kind,
        columns: shape.columns,
        label: None,
        title: title.into(),
        department: DEPARTMENT.into(),
        unit: "元".into(),
        widths: widths.to_vec(),
        header,
        column_numbers,
        body,
        ruling: Ruling::Grid,
        landscape,
        style: Style::default(),
        furniture: Furniture::Jiangsu,
        basis: None,
        note: None,
    }
}

fn performance() -> TableSpec {
    let header = vec![
        vec![
            h("单位编码", 2, 1),
            h("单位名称(项目名称)", 2, 1),
            h("资金安排", 1, 5),
            None,
            None,
            None,
            None,
            h("总体绩效目标", 2, 1),
            h("一级指标", 2, 1),
            h("二级指标", 2, 1),
            h("三级指标", 2, 1),
            h("计算符号", 2, 1),
            h("指标值", 2, 1),
            h("计量单位", 2, 1),
            h("指标权重", 2, 1),
        ],
        vec![
            None,
            None,
            h("总计", 1, 1),
            h("一般公共预算", 1, 1),
            h("政府性基金", 1, 1),
            h("专户资金", 1, 1),
            h("其他资金", 1, 1),
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
        ],
    ];
    let mut body = Vec::new();
    for (name, funds, goal, indicators) in PROJECTS {
        let n = indicators.len();
        for (k, ind) in indicators.iter().enumerate() {
            let mut row: Vec<Option<Cell>> = if k == 0 {
                let span = |t: &str, align| {
                    Some(Cell {
                        text: t.into(),
                        colspan: 1,
                        rowspan: n,
                        align,
                    })
                };
                vec![
                    span("253001", Align::Left),
                    span(name, Align::Left),
                    span(funds, Align::Right),
                    span(funds, Align::Right),
                    span("", Align::Right),
                    span("", Align::Right),
                    span("", Align::Right),
                    span(goal, Align::Left),
                ]
            } else {
                vec![None; 8]
            };
            row.extend(ind.iter().map(|t| cell(t)));
            body.push(row);
        }
    }
    // Its funds are performance-target records, not line items.
    spec(
        "2021年市级部门预算项目绩效目标表",
        Shape {
            kind: "performance_targets",
            columns: vec![Col::Other; 15],
        },
        &[
            42.0, 90.0, 52.0, 54.0, 38.0, 38.0, 38.0, 110.0, 44.0, 54.0, 74.0, 30.0, 40.0, 40.0,
            30.0,
        ],
        header,
        false,
        body,
        true,
    )
}

/// The seed's narrative pages, set as the seed sets them: its title centred, each paragraph
/// wrapped at a fixed count of characters, a new page where the last is full.
fn narrative_pages() -> Vec<Canvas> {
    let mut pages = Vec::new();
    let mut narrative = Canvas::default();
    let mut y = 90.0;
    for (i, para) in NARRATIVE.iter().enumerate() {
        if y > PAGE_H - 120.0 {
            pages.push(std::mem::take(&mut narrative));
            y = 90.0;
        }
        let size = if i == 0 { 18.0 } else { 11.0 };
        let chars: Vec<char> = para.chars().collect();
        for line in chars.chunks(if i == 0 { 40 } else { 42 }) {
            let text: String = line.iter().collect();
            if i == 0 {
                narrative.text_in(0.0, PAGE_W, y, size, &text, Align::Center);
            } else {
                narrative.text(50.0, y, size, &text);
            }
            y += size * 1.9;
        }
        y += 6.0;
    }
    pages.push(narrative);
    pages
}

/// A summary printed as two sides, income and expenditure, each a label and a figure.
fn two_sided(title: &str, kind: &'static str, block: &str) -> TableSpec {
    let header = vec![
        vec![h("收入", 1, 2), None, h("支出", 1, 2), None],
        vec![
            h("项目", 1, 1),
            h("预算数", 1, 1),
            h("项目", 1, 1),
            h("预算数", 1, 1),
        ],
    ];
    spec(
        title,
        Shape {
            kind,
            columns: vec![
                Col::Label(INCOME),
                Col::Figure(INCOME, "total"),
                Col::Label(SPENDING),
                Col::Figure(SPENDING, "total"),
            ],
        },
        &[150.0, 80.0, 200.0, 80.0],
        header,
        false,
        rows(block, 4),
        false,
    )
}

/// 支出预算总表: by function code, with columns the seed leaves out (`** ** 1 2 3 4 7 8 9`).
fn expenditure() -> TableSpec {
    spec(
        "2021年市级部门支出预算总表",
        coded(
            "expenditure",
            &[
                "total",
                "basic.personnel",
                "basic.public",
                "project",
                "subsidy_to_affiliates",
                "remit_to_superior",
                "business_operation",
            ],
        ),
        &[55.0, 190.0, 75.0, 75.0, 70.0, 75.0, 60.0, 50.0, 60.0],
        vec![
            vec![
                h("科目编码", 2, 1),
                h("科目名称", 2, 1),
                h("总计", 2, 1),
                h("基本支出", 1, 2),
                None,
                h("项目支出", 2, 1),
                h("对附属单位补助支出", 2, 1),
                h("上缴上级支出", 2, 1),
                h("事业单位经营支出", 2, 1),
            ],
            vec![
                None,
                None,
                None,
                h("人员支出", 1, 1),
                h("公用经费", 1, 1),
                None,
                None,
                None,
                None,
            ],
            numbers(&["**", "**", "1", "2", "3", "4", "7", "8", "9"]),
        ],
        true,
        rows(EXPENDITURE, 9),
        true,
    )
}

/// 一般公共预算支出表: by function code, basic spending in three columns under one header.
fn general_expenditure() -> TableSpec {
    spec(
        "2021年市级部门一般公共预算支出表",
        coded(
            "general_expenditure",
            &[
                "total",
                "basic",
                "basic.personnel",
                "basic.public",
                "project",
            ],
        ),
        &[55.0, 170.0, 65.0, 65.0, 65.0, 60.0, 65.0],
        vec![
            vec![
                h("科目编码", 2, 1),
                h("科目名称", 2, 1),
                h("合计", 2, 1),
                h("基本支出", 1, 3),
                None,
                None,
                h("项目支出", 2, 1),
            ],
            vec![
                None,
                None,
                None,
                h("小计", 1, 1),
                h("人员经费", 1, 1),
                h("公用经费", 1, 1),
                None,
            ],
            numbers(&["**", "**", "1", "2", "3", "4", "5"]),
        ],
        true,
        rows(GENERAL, 7),
        false,
    )
}

/// 一般公共预算基本支出表: by economic code.
fn general_basic_expenditure() -> TableSpec {
    spec(
        "2021年市级部门一般公共预算基本支出表",
        coded(
            "general_basic_expenditure",
            &["basic", "basic.personnel", "basic.public"],
        ),
        &[55.0, 170.0, 80.0, 80.0, 80.0],
        vec![
            vec![
                h("经济分类科目", 1, 2),
                None,
                h("一般公共预算基本支出", 1, 3),
                None,
                None,
            ],
            vec![
                h("科目编码", 1, 1),
                h("科目名称", 1, 1),
                h("合计", 1, 1),
                h("人员经费", 1, 1),
                h("公用经费", 1, 1),
            ],
            numbers(&["**", "**", "1", "2", "3"]),
        ],
        true,
        rows(GENERAL_BASIC, 5),
        false,
    )
}

/// The 三公 table: one row per unit, vehicles in three columns under one header.
fn three_public() -> TableSpec {
    spec(
        "2021年市级部门一般公共预算“三公”经费表",
        Shape {
            kind: "three_public",
            columns: vec![
                Col::Label(None),
                Col::Figure(None, "three_public"),
                Col::Figure(None, "overseas_travel"),
                Col::Figure(None, "vehicles"),
                Col::Figure(None, "vehicles.purchase"),
                Col::Figure(None, "vehicles.operation"),
                Col::Figure(None, "reception"),
            ],
        },
        &[150.0, 70.0, 70.0, 55.0, 65.0, 65.0, 60.0],
        vec![
            vec![
                h("单位名称", 2, 1),
                h("“三公”经费合计", 2, 1),
                h("因公出国（境）费用", 2, 1),
                h("公务用车购置及运行费用", 1, 3),
                None,
                None,
                h("公务接待费", 2, 1),
            ],
            vec![
                None,
                None,
                None,
                h("小计", 1, 1),
                h("公务用车购置费", 1, 1),
                h("公务用车运行维护费", 1, 1),
                None,
            ],
            numbers(&["**", "1", "2", "3", "4", "5", "6"]),
        ],
        true,
        rows(THREE_PUBLIC, 7),
        false,
    )
}

/// The seed's document reproduced as a PDF, with its tables as ground truth.
pub fn shaoxing_2021() -> Generated {
    let mut pages = narrative_pages();
    let tables = [
        two_sided("2021年市级部门收支预算总表", "summary", SUMMARY),
        expenditure(),
        two_sided(
            "2021年市级部门财政拨款收支预算总表",
            "fiscal_summary",
            FISCAL_SUMMARY,
        ),
        general_expenditure(),
        general_basic_expenditure(),
        three_public(),
        performance(),
    ];
    let truth_tables = tables.iter().map(|t| t.draw(&mut pages)).collect();
    let stem = "shaoxing-2021".to_string();
    let pdf = build_pdf(
        pages,
        "绍兴市大数据发展管理局2021年单位预算",
        CjkFont::Predefined,
    );
    let truth = Truth {
        file: format!("{stem}.pdf"),
        department: "绍兴市大数据发展管理局本级".into(),
        fiscal_year: 2021,
        cjk_font: CjkFont::Predefined,
        tables: truth_tables,
        // The seed's own errors are printed as the seed prints them; `tests/audit.rs` lists them.
        injected: Vec::new(),
        phase: Default::default(),
        empty_tables: Vec::new(),
    };
    Generated { stem, pdf, truth }
}
