//! Layouts of other provinces, on the figures `budget.rs` draws: the national template's seven
//! 情况表 (部门收支总体情况表 … 一般公共预算“三公”经费支出情况表), function and economic codes
//! split into 类 / 款 / 项 columns under a spanning 科目编码, and the table's number on a line of
//! its own or at the left of its title, the unit at the right above the grid, no department
//! line (the cover names the department).
//!
//! The helpers building code columns and their header are shared with the final accounts
//! (`final_account.rs`).

use crate::budget::{
    classes, code_rows, economic_rows, function_name, money, numeral, sum, text_page, Budget,
    CodeRow, Item, Line,
};
use crate::canvas::{build_pdf_from, Align, Canvas, CjkFont, Cut};
use crate::table::{Cell, Col, Furniture, Ruling, Style, TableSpec, TruthTable, INCOME, SPENDING};
use crate::{Generated, Phase, Truth};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

/// Departments of other provinces' cities, with the 款 their own work is classed under.
const DEPARTMENTS: &[(&str, &str)] = &[
    ("北京市西城区人民政府办公室", "20103"),
    ("广州市人大常委会办公厅", "20101"),
    ("中共西安市委办公厅", "20131"),
    ("长沙市人民检察院", "20404"),
    ("武汉市中级人民法院", "20405"),
    ("成都市机关事务管理局", "20103"),
];

/// How a document of the family prints its codes and the furniture of its tables.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Layout {
    /// Codes split into 类 / 款 / 项 columns (else one 科目编码 column).
    pub(crate) split: bool,
    pub(crate) furniture: Furniture,
    pub(crate) ruling: Ruling,
    pub(crate) style: Style,
}

impl Layout {
    /// The layout of document `index`: split codes in every other document, the number above
    /// or beside the title in every other pair, borders stroked or filled, justified headers
    /// in every third.
    pub(crate) fn of(index: u32) -> Layout {
        Layout {
            split: index.is_multiple_of(2),
            furniture: if (index / 2).is_multiple_of(2) {
                Furniture::NumberAbove
            } else {
                Furniture::NumberBeside
            },
            // Stream tables (header rules only) are the Jiangsu family's: these tables'
            // narrow columns and wrapped header words leave too little space between
            // columns to tell them apart without rules.
            ruling: [Ruling::Grid, Ruling::Filled, Ruling::Grid][index as usize % 3],
            style: Style {
                rotated: false,
                justified: index % 3 == 1,
            },
        }
    }

    /// How many code columns a table by codes of `levels` levels (3: function, 2: economic)
    /// prints.
    pub(crate) fn code_width(self, levels: usize) -> usize {
        if self.split {
            levels
        } else {
            1
        }
    }

    /// The code columns' widths.
    pub(crate) fn code_widths(self, levels: usize) -> Vec<f64> {
        if self.split {
            [32.0, 24.0, 24.0][..levels].to_vec()
        } else {
            vec![60.0]
        }
    }

    /// The cells of a code: `2010301` as `201` `03` `01` when split (a class prints only its
    /// first cell, a 款 two), else as one.
    pub(crate) fn code_cells(self, code: &str, levels: usize) -> Vec<Option<Cell>> {
        if !self.split {
            return vec![Some(Cell::new(code, Align::Left))];
        }
        let bounds = [(0, 3), (3, 5), (5, 7)];
        bounds[..levels]
            .iter()
            .map(|&(a, b)| Some(Cell::new(code.get(a..b).unwrap_or(""), Align::Center)))
            .collect()
    }

    /// A header of code columns, `科目名称` and the figure columns' `rest` (rows of equal
    /// length): the rest's rows, a one-row rest stretched to two where split codes need
    /// them (科目编码 over 类 款 项).
    pub(crate) fn code_header(
        self,
        levels: usize,
        rest: Vec<Vec<Option<Cell>>>,
    ) -> Vec<Vec<Option<Cell>>> {
        let need = if self.split { 2 } else { 1 };
        let mut rest = rest;
        if rest.len() < need {
            let width = rest.first().map_or(0, Vec::len);
            for cell in rest.iter_mut().flatten().flatten() {
                cell.rowspan += need - 1;
            }
            rest.push(vec![None; width]);
        }
        let n = rest.len();
        let mut header: Vec<Vec<Option<Cell>>> = Vec::new();
        for (r, tail) in rest.into_iter().enumerate() {
            let mut row: Vec<Option<Cell>> = Vec::new();
            if self.split {
                if r == 0 {
                    row.push(Some(Cell::span("科目编码", 1, levels)));
                    row.extend(vec![None; levels - 1]);
                } else if r == 1 {
                    for word in &["类", "款", "项"][..levels] {
                        row.push(Some(Cell::span(*word, n - 1, 1)));
                    }
                } else {
                    row.extend(vec![None; levels]);
                }
            } else if r == 0 {
                row.push(Some(Cell::span("科目编码", n, 1)));
            } else {
                row.push(None);
            }
            row.push((r == 0).then(|| Cell::span("科目名称", n, 1)));
            row.extend(tail);
            header.push(row);
        }
        header
    }

    /// The body of a table by code: each row's code cells, its name and its figures.
    pub(crate) fn code_body(self, rows: &[CodeRow], levels: usize) -> Vec<Vec<Option<Cell>>> {
        rows.iter()
            .map(|(code, name, figures)| {
                let mut row = self.code_cells(code, levels);
                row.push(Some(Cell::new(*name, Align::Left)));
                row.extend(figures.iter().map(|v| figure(*v)));
                row
            })
            .collect()
    }

    /// The columns of a table by code: code, name, then the figures' measures.
    pub(crate) fn code_columns(self, levels: usize, measures: &[&'static str]) -> Vec<Col> {
        let mut cols = vec![Col::Code; self.code_width(levels)];
        cols.push(Col::Label(None));
        cols.extend(measures.iter().map(|m| Col::Figure(None, m)));
        cols
    }
}

/// A figure cell, blank for zero.
pub(crate) fn figure(v: i64) -> Option<Cell> {
    Some(Cell::new(money(v), Align::Right))
}

/// The columns and header of a 财政拨款收支总表 (budget) or 财政拨款收入支出决算总表 (final
/// account): income items and one amount; expenditure items, the amount's 合计 and one
/// column per fund. `amount` heads the figures (预算数, 决算数), `funds` name the three funds.
pub(crate) fn fiscal_summary_columns(
    amount: &str,
    funds: [&str; 3],
) -> (Vec<Col>, Vec<Vec<Option<Cell>>>) {
    let s = |t: &str, r, c| Some(Cell::span(t, r, c));
    let columns = vec![
        Col::Label(INCOME),
        Col::Figure(INCOME, "total"),
        Col::Label(SPENDING),
        Col::Figure(SPENDING, "total"),
        Col::Figure(SPENDING, "fiscal.general"),
        Col::Figure(SPENDING, "fiscal.gov_fund"),
        Col::Figure(SPENDING, "fiscal.state_capital"),
    ];
    let header = vec![
        vec![
            s("收入", 1, 2),
            None,
            s("支出", 1, 5),
            None,
            None,
            None,
            None,
        ],
        vec![
            s("项目", 2, 1),
            s(amount, 2, 1),
            s("项目", 2, 1),
            s(amount, 1, 4),
            None,
            None,
            None,
        ],
        vec![
            None,
            None,
            None,
            head("合计"),
            head(funds[0]),
            head(funds[1]),
            head(funds[2]),
        ],
    ];
    (columns, header)
}

/// A one-slot header cell.
pub(crate) fn head(text: &str) -> Option<Cell> {
    Some(Cell::span(text, 1, 1))
}

/// A row's label and figures.
pub(crate) type Labelled = (String, Vec<i64>);

/// The rows of a two-sided table: the income side's and the expenditure side's rows (label,
/// figures) beside each other, the shorter side padded with blank rows up to `pad`, then the
/// closing rows, both sides in one row each.
pub(crate) fn two_sided(
    income: &[(String, Vec<i64>)],
    spending: &[(String, Vec<i64>)],
    closing: &[(Labelled, Labelled)],
) -> Vec<Vec<Option<Cell>>> {
    let width_in = income.first().map_or(1, |r| r.1.len());
    let width_out = spending
        .first()
        .or(closing.first().map(|c| &c.1))
        .map_or(1, |r| r.1.len());
    let side = |row: Option<&(String, Vec<i64>)>, width: usize| -> Vec<Option<Cell>> {
        let mut cells = vec![Some(Cell::new(
            row.map_or("", |r| r.0.as_str()),
            Align::Left,
        ))];
        for k in 0..width {
            cells.push(figure(row.map_or(0, |r| r.1[k])));
        }
        cells
    };
    let rows = income.len().max(spending.len());
    let mut body: Vec<Vec<Option<Cell>>> = (0..rows)
        .map(|r| {
            let mut row = side(income.get(r), width_in);
            row.extend(side(spending.get(r), width_out));
            row
        })
        .collect();
    for (a, b) in closing {
        let mut row = side(Some(a), width_in);
        row.extend(side(Some(b), width_out));
        body.push(row);
    }
    body
}

/// A labelled row of figures.
pub(crate) fn row(label: &str, figures: &[i64]) -> (String, Vec<i64>) {
    (label.to_string(), figures.to_vec())
}

/// A budget drawn in the national layouts: the budget's figures, with its 其他收入 (if any)
/// paying part of the staff costs of its largest 项, so that the 一般公共预算 tables hold the
/// rest.
pub(crate) struct NationalBudget<'a> {
    pub(crate) b: &'a Budget,
    pub(crate) layout: Layout,
    /// Index in `b.items` of the 项 the other revenue pays into.
    other_item: usize,
}

impl<'a> NationalBudget<'a> {
    pub(crate) fn new(b: &'a Budget, layout: Layout) -> NationalBudget<'a> {
        // The 项 with the most staff costs takes the other revenue (less than any running
        // 项's staff costs, as drawn).
        let other_item = (0..b.items.len())
            .max_by_key(|&k| (b.items[k].personnel, std::cmp::Reverse(k)))
            .unwrap_or(0);
        NationalBudget {
            b,
            layout,
            other_item,
        }
    }

    /// The items the 一般公共预算 pays: all, less the other revenue's part.
    pub(crate) fn general_items(&self) -> Vec<Item> {
        let mut items = self.b.items.clone();
        if let Some(it) = items.get_mut(self.other_item) {
            it.personnel -= self.b.other_revenue;
        }
        items
    }

    /// The other revenue a code's rows hold (the item's class, 款, itself and 合计).
    fn other_in(&self, code: &str) -> i64 {
        let item = self.b.items.get(self.other_item).map_or("", |i| i.code);
        if item.starts_with(code) {
            self.b.other_revenue
        } else {
            0
        }
    }

    fn table(&self, number: usize, title: &str, kind: &'static str) -> TableSpec {
        TableSpec {
            label: Some(format!("预算{number:02}表")),
            title: title.into(),
            department: String::new(),
            unit: "万元".into(),
            widths: Vec::new(),
            header: Vec::new(),
            column_numbers: false,
            body: Vec::new(),
            ruling: self.layout.ruling,
            landscape: false,
            style: self.layout.style,
            kind,
            columns: Vec::new(),
            furniture: self.layout.furniture,
            basis: None,
            note: None,
        }
    }

    /// 部门收支总体情况表: income by source beside expenditure by function class.
    fn summary(&self) -> TableSpec {
        let b = self.b;
        let total = b.total();
        let income = [
            row("一、一般公共预算拨款收入", &[total - b.other_revenue]),
            row("二、政府性基金预算拨款收入", &[0]),
            row("三、国有资本经营预算拨款收入", &[0]),
            row("四、财政专户管理资金收入", &[0]),
            row("五、事业收入", &[0]),
            row("六、其他收入", &[b.other_revenue]),
        ];
        let spending: Vec<(String, Vec<i64>)> = classes(&b.items)
            .iter()
            .enumerate()
            .map(|(k, (code, name))| {
                (
                    format!("{}、{name}", numeral(k)),
                    vec![sum(&b.items, code, Item::total)],
                )
            })
            .collect();
        let closing = [
            (row("本年收入合计", &[total]), row("本年支出合计", &[total])),
            (row("上年结转结余", &[0]), row("结转下年", &[0])),
            (row("收入总计", &[total]), row("支出总计", &[total])),
        ];
        TableSpec {
            columns: vec![
                Col::Label(INCOME),
                Col::Figure(INCOME, "total"),
                Col::Label(SPENDING),
                Col::Figure(SPENDING, "total"),
            ],
            widths: vec![150.0, 80.0, 150.0, 80.0],
            header: vec![
                vec![
                    Some(Cell::span("收入", 1, 2)),
                    None,
                    Some(Cell::span("支出", 1, 2)),
                    None,
                ],
                vec![head("项目"), head("预算数"), head("项目"), head("预算数")],
            ],
            body: two_sided(&income, &spending, &closing),
            ..self.table(1, "部门收支总体情况表", "summary")
        }
    }

    /// 部门收入总体情况表: revenue by function code and source.
    fn revenue(&self) -> TableSpec {
        let l = self.layout;
        let lines: Vec<Line> = self
            .b
            .items
            .iter()
            .map(|i| Line {
                code: i.code,
                name: i.name,
                figures: vec![i.total()],
            })
            .collect();
        let rows: Vec<CodeRow> = code_rows(&lines, &|c| function_name(c).unwrap_or_default())
            .into_iter()
            .map(|(code, name, f)| {
                let other = self.other_in(code);
                (code, name, vec![f[0], 0, f[0] - other, 0, other])
            })
            .collect();
        let words = [
            "合计",
            "上年结转",
            "一般公共预算拨款收入",
            "政府性基金预算拨款收入",
            "其他收入",
        ];
        TableSpec {
            columns: l.code_columns(
                3,
                &[
                    "total",
                    "prior_carryover",
                    "fiscal.general",
                    "fiscal.gov_fund",
                    "other_revenue",
                ],
            ),
            widths: [l.code_widths(3), vec![140.0], vec![64.0; 5]].concat(),
            header: l.code_header(3, vec![words.map(head).to_vec()]),
            body: l.code_body(&rows, 3),
            ..self.table(2, "部门收入总体情况表", "revenue")
        }
    }

    /// 部门支出总体情况表: expenditure by function code and use.
    fn expenditure(&self) -> TableSpec {
        let l = self.layout;
        let rows: Vec<CodeRow> = crate::budget::function_rows(&self.b.items)
            .into_iter()
            .map(|(code, name, p, u, j)| (code, name, vec![p + u + j, p + u, j, 0, 0, 0]))
            .collect();
        let words = [
            "合计",
            "基本支出",
            "项目支出",
            "上缴上级支出",
            "事业单位经营支出",
            "对附属单位补助支出",
        ];
        TableSpec {
            columns: l.code_columns(
                3,
                &[
                    "total",
                    "basic",
                    "project",
                    "remit_to_superior",
                    "business_operation",
                    "subsidy_to_affiliates",
                ],
            ),
            widths: [l.code_widths(3), vec![130.0], vec![56.0; 6]].concat(),
            header: l.code_header(3, vec![words.map(head).to_vec()]),
            body: l.code_body(&rows, 3),
            ..self.table(3, "部门支出总体情况表", "expenditure")
        }
    }

    /// 财政拨款收支总体情况表: fiscal income beside fiscal expenditure by function class and
    /// fund.
    fn fiscal_summary(&self) -> TableSpec {
        let general = self.general_items();
        let fiscal: i64 = general.iter().map(Item::total).sum();
        let income = [
            row("一、一般公共预算拨款", &[fiscal]),
            row("二、政府性基金预算拨款", &[0]),
            row("三、国有资本经营预算拨款", &[0]),
        ];
        let spending: Vec<(String, Vec<i64>)> = classes(&general)
            .iter()
            .enumerate()
            .map(|(k, (code, name))| {
                let v = sum(&general, code, Item::total);
                (format!("{}、{name}", numeral(k)), vec![v, v, 0, 0])
            })
            .collect();
        let all = [fiscal, fiscal, 0, 0];
        let closing = [
            (row("本年收入合计", &[fiscal]), row("本年支出合计", &all)),
            (row("收入总计", &[fiscal]), row("支出总计", &all)),
        ];
        let (columns, header) = fiscal_summary_columns(
            "预算数",
            ["一般公共预算", "政府性基金预算", "国有资本经营预算"],
        );
        TableSpec {
            columns,
            widths: vec![120.0, 62.0, 120.0, 62.0, 62.0, 56.0, 56.0],
            header,
            body: two_sided(&income, &spending, &closing),
            ..self.table(4, "财政拨款收支总体情况表", "fiscal_summary")
        }
    }

    /// 一般公共预算支出情况表: 一般公共预算 expenditure by function code, basic (staff and
    /// public costs) and project.
    fn general_expenditure(&self, qualified: bool) -> TableSpec {
        let l = self.layout;
        let rows: Vec<CodeRow> = crate::budget::function_rows(&self.general_items())
            .into_iter()
            .map(|(code, name, p, u, j)| (code, name, vec![p + u + j, p + u, p, u, j]))
            .collect();
        let title = if qualified {
            "一般公共预算支出情况表（按功能分类科目）"
        } else {
            "一般公共预算支出情况表"
        };
        let s = |t: &str, r, c| Some(Cell::span(t, r, c));
        TableSpec {
            columns: l.code_columns(
                3,
                &[
                    "total",
                    "basic",
                    "basic.personnel",
                    "basic.public",
                    "project",
                ],
            ),
            widths: [l.code_widths(3), vec![150.0], vec![66.0; 5]].concat(),
            header: l.code_header(
                3,
                vec![
                    vec![
                        s("合计", 2, 1),
                        s("基本支出", 1, 3),
                        None,
                        None,
                        s("项目支出", 2, 1),
                    ],
                    vec![None, head("小计"), head("人员经费"), head("公用经费"), None],
                ],
            ),
            body: l.code_body(&rows, 3),
            ..self.table(5, title, "general_expenditure")
        }
    }

    /// 一般公共预算基本支出情况表（按经济分类科目）: basic expenditure by economic class and 款.
    fn general_basic(&self) -> TableSpec {
        let l = self.layout;
        let general = self.general_items();
        let personnel: i64 = general.iter().map(|i| i.personnel).sum();
        let public: i64 = general.iter().map(|i| i.public).sum();
        let mut rows: Vec<CodeRow> =
            vec![("", "合计", vec![personnel + public, personnel, public])];
        for (code, name, v) in economic_rows(personnel, public) {
            let staff = code.starts_with("301");
            rows.push((
                code,
                name,
                vec![v, if staff { v } else { 0 }, if staff { 0 } else { v }],
            ));
        }
        TableSpec {
            columns: l.code_columns(2, &["total", "basic.personnel", "basic.public"]),
            widths: [l.code_widths(2), vec![190.0], vec![80.0; 3]].concat(),
            header: l.code_header(2, vec![["合计", "人员经费", "公用经费"].map(head).to_vec()]),
            body: l.code_body(&rows, 2),
            ..self.table(
                6,
                "一般公共预算基本支出情况表（按经济分类科目）",
                "general_basic_expenditure",
            )
        }
    }

    /// 一般公共预算“三公”经费支出情况表: one row under a two-level header.
    fn three_public(&self) -> TableSpec {
        let [overseas, purchase, operation, reception, _, _] = self.b.three_public;
        let vehicles = purchase + operation;
        let values = [
            overseas + vehicles + reception,
            overseas,
            vehicles,
            purchase,
            operation,
            reception,
        ];
        let s = |t: &str, r, c| Some(Cell::span(t, r, c));
        TableSpec {
            // The vocabulary's row total of a table of "三公" alone.
            columns: [
                "total",
                "overseas_travel",
                "vehicles",
                "vehicles.purchase",
                "vehicles.operation",
                "reception",
            ]
            .map(|m| Col::Figure(None, m))
            .to_vec(),
            widths: vec![70.0, 80.0, 70.0, 80.0, 90.0, 70.0],
            header: vec![
                vec![
                    s("合计", 2, 1),
                    s("因公出国（境）费", 2, 1),
                    s("公务用车购置及运行维护费", 1, 3),
                    None,
                    None,
                    s("公务接待费", 2, 1),
                ],
                vec![
                    None,
                    None,
                    head("小计"),
                    head("公务用车购置费"),
                    head("公务用车运行维护费"),
                    None,
                ],
            ],
            body: vec![values.iter().map(|v| figure(*v)).collect()],
            ..self.table(7, "一般公共预算“三公”经费支出情况表", "three_public")
        }
    }

    /// The cover and explanation page: the budget's title and its main figures in 万元.
    fn cover(&self) -> Canvas {
        let b = self.b;
        let total = b.total();
        let general = self.general_items();
        let basic: i64 = general.iter().map(|i| i.personnel + i.public).sum();
        let fiscal: i64 = general.iter().map(Item::total).sum();
        let [overseas, purchase, operation, reception, _, _] = b.three_public;
        let paragraphs = [
            "一、部门收支总体情况".to_string(),
            format!(
                "{}年部门收入预算{}万元，其中一般公共预算拨款收入{}万元；支出预算{}万元。",
                b.year,
                money(total),
                money(fiscal),
                money(total)
            ),
            "二、一般公共预算支出情况".to_string(),
            format!(
                "一般公共预算支出{}万元，其中基本支出{}万元，项目支出{}万元。",
                money(fiscal),
                money(basic),
                money(fiscal - basic)
            ),
            "三、“三公”经费预算情况".to_string(),
            format!(
                "“三公”经费预算{}万元。",
                crate::budget::stated(overseas + purchase + operation + reception)
            ),
        ];
        text_page(
            &format!("{}{}年部门预算", b.department, b.year),
            &paragraphs,
        )
    }

    /// The document's pages and its tables' truth.
    pub(crate) fn draw(&self, qualified_title: bool) -> (Vec<Canvas>, Vec<TruthTable>) {
        let mut pages = vec![self.cover()];
        let specs = [
            self.summary(),
            self.revenue(),
            self.expenditure(),
            self.fiscal_summary(),
            self.general_expenditure(qualified_title),
            self.general_basic(),
            self.three_public(),
        ];
        let tables = specs.iter().map(|t| t.draw(&mut pages)).collect();
        (pages, tables)
    }
}

/// The embedded font in every other pair of documents, the predefined CMap in the others.
pub(crate) fn cjk_font(index: u32) -> CjkFont {
    if index % 4 >= 2 {
        CjkFont::Embedded
    } else {
        CjkFont::Predefined
    }
}

/// A budget in the national layouts as a document named `stem`.
pub(crate) fn document(b: &Budget, index: u32, stem: String) -> Generated {
    let layout = Layout::of(index);
    let (pages, tables) = NationalBudget::new(b, layout).draw(index % 3 == 2);
    let cjk_font = cjk_font(index);
    let title = format!("{}{}年部门预算", b.department, b.year);
    let pdf = build_pdf_from(pages, &title, cjk_font, Cut::Current);
    let truth = Truth {
        file: format!("{stem}.pdf"),
        department: b.department.into(),
        fiscal_year: b.year,
        cjk_font,
        tables,
        injected: Vec::new(),
        phase: Phase::Budget,
        empty_tables: Vec::new(),
    };
    Generated { stem, pdf, truth }
}

/// Document `index` of the national family drawn from `seed`.
pub fn generate_national(seed: u64, index: u32) -> Generated {
    let mut rng = ChaCha8Rng::seed_from_u64(
        seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ u64::from(index) ^ 0x4E41_5449_4F4E_414C,
    );
    let mut b = Budget::generate_in(&mut rng, index % 4 == 3, DEPARTMENTS);
    // The national template is of 2022 on.
    b.year += 5;
    document(&b, index, format!("national-{index:04}"))
}
