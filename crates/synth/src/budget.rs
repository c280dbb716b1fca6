//! Budgets whose figures add up: departments, function codes, and the Jiangsu table family.

use crate::canvas::{Align, Canvas, PAGE_W};
use crate::table::{Cell, Col, Furniture, Ruling, Style, TableSpec, TruthTable, INCOME, SPENDING};
use crate::{Injected, InjectionKind};
use rand::RngExt;
use rand_chacha::ChaCha8Rng;

/// A code and the name printed beside it.
type Named = (&'static str, &'static str);
/// A 款 with its 项.
type Kuan = (&'static str, &'static str, &'static [Named]);

/// Function classes (类), their 款 and 项, with the names printed in budgets.
const FUNCTIONS: &[(&str, &str, &[Kuan])] = &[
    (
        "201",
        "一般公共服务支出",
        &[
            (
                "20101",
                "人大事务",
                &[
                    ("2010101", "行政运行"),
                    ("2010102", "一般行政管理事务"),
                    ("2010104", "人大会议"),
                    ("2010108", "代表工作"),
                ],
            ),
            (
                "20103",
                "政府办公厅（室）及相关机构事务",
                &[
                    ("2010301", "行政运行"),
                    ("2010302", "一般行政管理事务"),
                    ("2010350", "事业运行"),
                ],
            ),
            (
                "20131",
                "党委办公厅（室）及相关机构事务",
                &[
                    ("2013101", "行政运行"),
                    ("2013102", "一般行政管理事务"),
                    ("2013150", "事业运行"),
                ],
            ),
        ],
    ),
    (
        "204",
        "公共安全支出",
        &[
            (
                "20404",
                "检察",
                &[
                    ("2040401", "行政运行"),
                    ("2040402", "一般行政管理事务"),
                    ("2040499", "其他检察支出"),
                ],
            ),
            (
                "20405",
                "法院",
                &[
                    ("2040501", "行政运行"),
                    ("2040502", "一般行政管理事务"),
                    ("2040504", "案件审判"),
                ],
            ),
        ],
    ),
    (
        "205",
        "教育支出",
        &[("20508", "进修及培训", &[("2050803", "培训支出")])],
    ),
    (
        "208",
        "社会保障和就业支出",
        &[(
            "20805",
            "行政事业单位养老支出",
            &[
                ("2080501", "行政单位离退休"),
                ("2080505", "机关事业单位基本养老保险缴费支出"),
            ],
        )],
    ),
    (
        "210",
        "卫生健康支出",
        &[(
            "21011",
            "行政事业单位医疗",
            &[("2101101", "行政单位医疗"), ("2101103", "公务员医疗补助")],
        )],
    ),
    (
        "221",
        "住房保障支出",
        &[(
            "22102",
            "住房改革支出",
            &[
                ("2210201", "住房公积金"),
                ("2210202", "提租补贴"),
                ("2210203", "购房补贴"),
            ],
        )],
    ),
];

/// Departments: name and the 款 their own work is classed under.
const DEPARTMENTS: &[(&str, &str)] = &[
    ("江苏省人大常委会办公厅", "20101"),
    ("江苏省人民政府办公厅", "20103"),
    ("中共江苏省委办公厅", "20131"),
    ("江苏省人民检察院", "20404"),
    ("江苏省高级人民法院", "20405"),
];

/// An economic 款: code, name, share of its class in hundredths.
type Share = (&'static str, &'static str, i64);

/// Economic classes of basic expenditure and the 款 a budget splits them into, in shares of
/// a hundred: 工资福利支出 carries personnel costs, 商品和服务支出 public ones.
const ECONOMIC: &[(&str, &str, &[Share])] = &[
    (
        "301",
        "工资福利支出",
        &[
            ("30101", "基本工资", 30),
            ("30102", "津贴补贴", 35),
            ("30103", "奖金", 10),
            ("30108", "机关事业单位基本养老保险缴费", 15),
            ("30113", "住房公积金", 10),
        ],
    ),
    (
        "302",
        "商品和服务支出",
        &[
            ("30201", "办公费", 25),
            ("30202", "印刷费", 10),
            ("30211", "差旅费", 30),
            ("30299", "其他商品和服务支出", 35),
        ],
    ),
];

const NUMERALS: &[&str] = &["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];

/// One 项 with its money in cents of 万元 (i.e. hundredths, as printed).
#[derive(Debug, Clone)]
pub(crate) struct Item {
    pub(crate) code: &'static str,
    pub(crate) name: &'static str,
    pub(crate) personnel: i64,
    pub(crate) public: i64,
    pub(crate) project: i64,
}

/// A function row: code, name, personnel, public, project.
pub(crate) type FunctionRow = (&'static str, &'static str, i64, i64, i64);

impl Item {
    pub(crate) fn total(&self) -> i64 {
        self.personnel + self.public + self.project
    }
}

/// A figure as a sentence states it: `13,649.07`, and `0.00` where a table leaves it blank.
pub(crate) fn stated(v: i64) -> String {
    if v == 0 {
        "0.00".into()
    } else {
        money(v)
    }
}

/// Prints hundredths as `13,649.07`; zero prints blank, as Jiangsu tables leave it.
pub fn money(v: i64) -> String {
    if v == 0 {
        return String::new();
    }
    let (whole, frac) = (v.abs() / 100, v.abs() % 100);
    let digits = whole.to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{}{grouped}.{frac:02}", if v < 0 { "-" } else { "" })
}

/// A generated department budget.
pub struct Budget {
    pub department: &'static str,
    pub year: u32,
    pub(crate) items: Vec<Item>,
    pub(crate) other_revenue: i64,
    /// 因公出国（境）, 公务用车购置, 公务用车运行维护, 公务接待, 会议, 培训 (hundredths).
    pub(crate) three_public: [i64; 6],
}

impl Budget {
    /// Draws a Jiangsu department, a year and figures from the seeded generator.
    pub fn generate(rng: &mut ChaCha8Rng, long: bool) -> Budget {
        Budget::generate_in(rng, long, DEPARTMENTS)
    }

    /// Draws a department of `departments` (name, the 款 of its own work), a year and
    /// figures from the seeded generator.
    pub(crate) fn generate_in(
        rng: &mut ChaCha8Rng,
        long: bool,
        departments: &[(&'static str, &'static str)],
    ) -> Budget {
        let (department, own) = departments[rng.random_range(0..departments.len())];
        let year = rng.random_range(2017..=2021);
        let mut items = Vec::new();
        for (_, _, kuan) in FUNCTIONS {
            for (kcode, _, xiang) in kuan.iter() {
                // A long budget is a consolidated one, holding every 款 of the catalogue, so
                // its function table runs over a page break.
                let is_own = *kcode == own || long;
                let shared = matches!(&kcode[..3], "208" | "210" | "221");
                if !is_own && !shared {
                    continue;
                }
                for (i, (code, name)) in xiang.iter().enumerate() {
                    if !is_own && i > 0 && rng.random_range(0..2) == 0 {
                        continue;
                    }
                    let running = name.contains("行政运行");
                    let personnel = if running || !is_own {
                        rng.random_range(50_000..900_000)
                    } else {
                        0
                    };
                    let public = if running {
                        rng.random_range(20_000..300_000)
                    } else {
                        0
                    };
                    let project = if running || !is_own {
                        0
                    } else {
                        rng.random_range(5_000..400_000)
                    };
                    items.push(Item {
                        code,
                        name,
                        personnel,
                        public,
                        project,
                    });
                }
            }
        }
        let other_revenue = if rng.random_range(0..3) == 0 {
            rng.random_range(1_000..50_000)
        } else {
            0
        };
        // Some items are zero (printed blank), as a budget without vehicle purchases has.
        let three_public = [0, 0, 0, 0, 0, 0].map(|_| match rng.random_range(0..4) {
            0 => 0,
            _ => rng.random_range(100..60_000),
        });
        Budget {
            department,
            year,
            items,
            other_revenue,
            three_public,
        }
    }

    /// 收入预算总表 (公开02表): revenue by source, each source a 小计 and its items, the
    /// source's name spanning its rows.
    pub fn revenue_table(&self, style: Style) -> TableSpec {
        let total = self.total();
        let fiscal = total - self.other_revenue;
        let figure = |v: i64| Some(Cell::new(money(v), Align::Right));
        let left = |t: &str| Some(Cell::new(t, Align::Left));
        let mut body = vec![vec![
            Some(Cell::span("收入总计", 1, 2)),
            None,
            figure(total),
        ]];
        let mut source = |name: &str, item: &str, v: i64| {
            body.push(vec![Some(Cell::span(name, 2, 1)), left("小计"), figure(v)]);
            body.push(vec![None, left(item), figure(v)]);
        };
        source("一般公共预算资金", "公共财政拨款（补助）资金", fiscal);
        if self.other_revenue != 0 {
            source("其他资金", "其他收入", self.other_revenue);
        }
        TableSpec {
            columns: vec![
                Col::Label(None),
                Col::Label(None),
                Col::Figure(None, "total"),
            ],
            widths: vec![130.0, 170.0, 110.0],
            header: vec![vec![
                Some(Cell::span("项目", 1, 2)),
                None,
                Some(Cell::span("金额", 1, 1)),
            ]],
            body,
            ..self.table("公开02表", "收入预算总表", "revenue", style)
        }
    }

    /// 支出预算总表 (公开03表): one row of totals by use, no label column.
    pub fn expenditure_table(&self, style: Style) -> TableSpec {
        let total = self.total();
        let basic: i64 = self.items.iter().map(|i| i.personnel + i.public).sum();
        let row = [total, basic, total - basic, 0].map(|v| Some(Cell::new(money(v), Align::Right)));
        let head = ["合计", "基本支出", "项目支出", "单位预留机动经费"];
        TableSpec {
            columns: ["total", "basic", "project", "reserve"]
                .map(|m| Col::Figure(None, m))
                .to_vec(),
            widths: vec![110.0, 110.0, 110.0, 110.0],
            header: vec![head.map(|h| Some(Cell::span(h, 1, 1))).to_vec()],
            body: vec![row.to_vec()],
            ..self.table("公开03表", "支出预算总表", "expenditure", style)
        }
    }

    /// 财政拨款支出预算表 (公开04表): the function rows with one amount column. Printed only
    /// where all money is fiscal (no 其他资金), so its figures are the function table's totals.
    pub fn fiscal_function_table(&self, style: Style) -> Option<TableSpec> {
        if self.other_revenue != 0 {
            return None;
        }
        let rows = self.function_rows();
        let body = rows
            .iter()
            .map(|(code, name, p, u, j)| {
                vec![
                    Some(Cell::new(*code, Align::Left)),
                    Some(Cell::new(*name, Align::Left)),
                    Some(Cell::new(money(p + u + j), Align::Right)),
                ]
            })
            .collect();
        Some(TableSpec {
            columns: vec![Col::Code, Col::Label(None), Col::Figure(None, "total")],
            widths: vec![80.0, 220.0, 110.0],
            header: vec![["科目编码", "科目名称", "金额"]
                .map(|h| Some(Cell::span(h, 1, 1)))
                .to_vec()],
            body,
            ..self.table(
                "公开04表",
                "财政拨款支出预算表",
                "fiscal_expenditure",
                style,
            )
        })
    }

    /// A table by economic code, one amount column: 合计, each class and its 款. The basic-
    /// expenditure tables (财政拨款, 一般公共预算; 公开07/09表) hold both classes; the
    /// 机关运行经费 table (公开10表) only 商品和服务支出 (`public_only`). Printed only where all
    /// money is fiscal, so the tables agree.
    pub fn economic_table(
        &self,
        label: &str,
        title: &str,
        kind: &'static str,
        public_only: bool,
        style: Style,
    ) -> Option<TableSpec> {
        if self.other_revenue != 0 {
            return None;
        }
        let personnel: i64 = if public_only {
            0
        } else {
            self.items.iter().map(|i| i.personnel).sum()
        };
        let public: i64 = self.items.iter().map(|i| i.public).sum();
        let row = |code: &str, name: &str, v: i64| {
            vec![
                Some(Cell::new(code, Align::Left)),
                Some(Cell::new(name, Align::Left)),
                Some(Cell::new(money(v), Align::Right)),
            ]
        };
        let mut body = vec![row("", "合计", personnel + public)];
        for (code, name, v) in economic_rows(personnel, public) {
            body.push(row(code, name, v));
        }
        Some(TableSpec {
            columns: vec![Col::Code, Col::Label(None), Col::Figure(None, "total")],
            widths: vec![80.0, 220.0, 110.0],
            header: vec![["科目编码", "科目名称", "金额"]
                .map(|h| Some(Cell::span(h, 1, 1)))
                .to_vec()],
            body,
            ..self.table(label, title, kind, style)
        })
    }

    /// 财政拨款收支预算总表 (公开06表): fiscal income beside expenditure by use. Printed, as
    /// the 公开04表, only where all money is fiscal.
    pub fn fiscal_summary_table(&self, style: Style) -> Option<TableSpec> {
        if self.other_revenue != 0 {
            return None;
        }
        let total = self.total();
        let basic: i64 = self.items.iter().map(|i| i.personnel + i.public).sum();
        let rows = [
            ("一、一般公共预算", total, "一、基本支出", basic),
            ("二、政府性基金预算", 0, "二、项目支出", total - basic),
            ("", 0, "三、单位预留机动经费", 0),
            ("收入合计", total, "支出合计", total),
        ];
        let body = rows
            .iter()
            .map(|(l, a, r, b)| {
                vec![
                    Some(Cell::new(*l, Align::Left)),
                    Some(Cell::new(money(*a), Align::Right)),
                    Some(Cell::new(*r, Align::Left)),
                    Some(Cell::new(money(*b), Align::Right)),
                ]
            })
            .collect();
        let s = |t: &str, c| Some(Cell::span(t, 1, c));
        Some(TableSpec {
            columns: vec![
                Col::Label(INCOME),
                Col::Figure(INCOME, "total"),
                Col::Label(SPENDING),
                Col::Figure(SPENDING, "total"),
            ],
            widths: vec![130.0, 90.0, 130.0, 90.0],
            header: vec![
                vec![s("收入", 2), None, s("支出", 2), None],
                vec![s("项目", 1), s("金额", 1), s("项目", 1), s("金额", 1)],
            ],
            body,
            ..self.table("公开06表", "财政拨款收支预算总表", "fiscal_summary", style)
        })
    }

    /// "三公"经费、会议费、培训费支出预算表 (公开11表): one row under a three-level header.
    pub fn three_public_table(&self, style: Style) -> TableSpec {
        let [overseas, purchase, operation, reception, meetings, training] = self.three_public;
        let vehicles = purchase + operation;
        let three = overseas + vehicles + reception;
        let values = [
            three + meetings + training,
            three,
            overseas,
            vehicles,
            purchase,
            operation,
            reception,
            meetings,
            training,
        ];
        let s = |t: &str, r, c| Some(Cell::span(t, r, c));
        TableSpec {
            columns: [
                "total",
                "three_public",
                "overseas_travel",
                "vehicles",
                "vehicles.purchase",
                "vehicles.operation",
                "reception",
                "meetings",
                "training",
            ]
            .map(|m| Col::Figure(None, m))
            .to_vec(),
            widths: vec![52.0, 52.0, 58.0, 52.0, 58.0, 62.0, 52.0, 52.0, 52.0],
            header: vec![
                vec![
                    s("合计", 3, 1),
                    s("“三公”经费", 1, 6),
                    None,
                    None,
                    None,
                    None,
                    None,
                    s("会议费", 3, 1),
                    s("培训费", 3, 1),
                ],
                vec![
                    None,
                    s("小计", 2, 1),
                    s("因公出国（境）费", 2, 1),
                    s("公务用车购置及运行维护费", 1, 3),
                    None,
                    None,
                    s("公务接待费", 2, 1),
                    None,
                    None,
                ],
                vec![
                    None,
                    None,
                    None,
                    s("小计", 1, 1),
                    s("公务用车购置费", 1, 1),
                    s("公务用车运行维护费", 1, 1),
                    None,
                    None,
                    None,
                ],
            ],
            body: vec![values
                .map(|v| Some(Cell::new(money(v), Align::Right)))
                .to_vec()],
            ..self.table(
                "公开11表",
                "“三公”经费、会议费、培训费支出预算表",
                "three_public",
                style,
            )
        }
    }

    /// A portrait Jiangsu table of this department in 万元, ruled cell by cell, without its
    /// columns, header and body (a landscape page is the summary's alone).
    fn table(&self, label: &str, title: &str, kind: &'static str, style: Style) -> TableSpec {
        TableSpec {
            label: Some(label.into()),
            title: title.into(),
            kind,
            columns: Vec::new(),
            department: self.department.into(),
            unit: "万元".into(),
            widths: Vec::new(),
            ruling: Ruling::Grid,
            column_numbers: false,
            landscape: false,
            style: Style {
                rotated: false,
                ..style
            },
            header: Vec::new(),
            body: Vec::new(),
            furniture: Furniture::Jiangsu,
            basis: None,
            note: None,
        }
    }

    /// The function rows of the budget's items (see [`function_rows`]).
    fn function_rows(&self) -> Vec<FunctionRow> {
        function_rows(&self.items)
    }

    pub(crate) fn total(&self) -> i64 {
        self.items.iter().map(Item::total).sum()
    }

    fn sum(&self, prefix: &str, f: fn(&Item) -> i64) -> i64 {
        sum(&self.items, prefix, f)
    }

    /// The classes with any money, in code order, with their names.
    fn classes(&self) -> Vec<(&'static str, &'static str)> {
        classes(&self.items)
    }

    /// The narrative page: 概况, 收支预算情况说明, "三公"经费说明 and 名词解释, figures in 万元
    /// agreeing with the tables (unless `swap`: 基本支出 and 项目支出 trade places).
    pub fn narrative(&self, swap: bool) -> Canvas {
        let total = self.total();
        let basic: i64 = self.items.iter().map(|i| i.personnel + i.public).sum();
        let (basic, project) = if swap {
            (total - basic, basic)
        } else {
            (basic, total - basic)
        };
        let paragraphs = [
            "一、部门概况".to_string(),
            format!("{}是省级一级预算单位，本部门预算包括机关本级预算。", self.department),
            "二、收支预算情况说明".to_string(),
            format!(
                "{}年部门收入预算总额{}万元，其中财政拨款{}万元。支出预算总额{}万元，其中基本支出{}万元，项目支出{}万元。",
                self.year,
                money(total),
                money(total - self.other_revenue),
                money(total),
                money(basic),
                money(project)
            ),
            "三、“三公”经费、会议费和培训费预算情况说明".to_string(),
            {
                let [overseas, purchase, operation, reception, meetings, training] =
                    self.three_public.map(stated);
                let [_, p, o, r, _, _] = self.three_public;
                let (vehicles, three) = (stated(p + o), stated(self.three_public[0] + p + o + r));
                format!(
                    "{}年“三公”经费预算{three}万元。其中：因公出国（境）费{overseas}万元；公务用车购置及运行维护费{vehicles}万元（公务用车购置费{purchase}万元，公务用车运行维护费{operation}万元）；公务接待费{reception}万元。会议费{meetings}万元，培训费{training}万元。",
                    self.year
                )
            },
            "四、名词解释".to_string(),
            "基本支出：指为保障机构正常运转、完成日常工作任务而发生的人员支出和公用支出。项目支出：指在基本支出之外为完成特定行政任务和事业发展目标所发生的支出。".to_string(),
        ];
        text_page(
            &format!("{}{}年部门预算", self.department, self.year),
            &paragraphs,
        )
    }

    /// 收支预算总表: revenue on the left, expenditure by function and by use on the right.
    /// A wide summary goes on a landscape page when the style stores such pages rotated.
    pub fn summary_table(&self, style: Style) -> TableSpec {
        let total = self.total();
        let fiscal = total - self.other_revenue;
        let basic: i64 = self.items.iter().map(|i| i.personnel + i.public).sum();
        let left = [
            ("一、财政拨款", fiscal),
            ("1.一般公共预算", fiscal),
            ("2.政府性基金预算", 0),
            ("二、财政专户管理资金", 0),
            ("三、其他资金", self.other_revenue),
        ];
        let function: Vec<(String, i64)> = self
            .classes()
            .iter()
            .enumerate()
            .map(|(k, (code, name))| {
                (
                    format!("{}、{name}", NUMERALS[k]),
                    self.sum(code, Item::total),
                )
            })
            .collect();
        let uses = [
            ("一、基本支出", basic),
            ("二、项目支出", total - basic),
            ("三、单位预留机动经费", 0),
        ];
        let rows = left.len().max(function.len()).max(uses.len());
        let pick = |v: Option<(String, i64)>| v.map(|(n, a)| (n, money(a))).unwrap_or_default();
        let mut body: Vec<Vec<Cell>> = (0..rows)
            .map(|r| {
                let (ln, la) = pick(left.get(r).map(|(n, a)| (n.to_string(), *a)));
                let (fname, fa) = pick(function.get(r).cloned());
                let (un, ua) = pick(uses.get(r).map(|(n, a)| (n.to_string(), *a)));
                vec![
                    Cell::new(ln, Align::Left),
                    Cell::new(la, Align::Right),
                    Cell::new(fname, Align::Left),
                    Cell::new(fa, Align::Right),
                    Cell::new(un, Align::Left),
                    Cell::new(ua, Align::Right),
                ]
            })
            .collect();
        let t = money(total);
        body.push(vec![
            Cell::new("本年收入合计", Align::Center),
            Cell::new(t.clone(), Align::Right),
            Cell::new("本年支出合计", Align::Center),
            Cell::new(t.clone(), Align::Right),
            Cell::new("本年支出合计", Align::Center),
            Cell::new(t, Align::Right),
        ]);
        TableSpec {
            columns: vec![
                Col::Label(INCOME),
                Col::Figure(INCOME, "total"),
                Col::Label(SPENDING),
                Col::Figure(SPENDING, "total"),
                Col::Label(SPENDING),
                Col::Figure(SPENDING, "total"),
            ],
            widths: vec![92.0, 64.0, 118.0, 64.0, 92.0, 64.0],
            landscape: style.rotated,
            style,
            header: vec![
                vec![
                    Some(Cell::span("收入", 1, 2)),
                    None,
                    Some(Cell::span("支出", 1, 4)),
                    None,
                    None,
                    None,
                ],
                vec![
                    Some(Cell::span("项目", 2, 1)),
                    Some(Cell::span("金额", 2, 1)),
                    Some(Cell::span("功能分类", 1, 2)),
                    None,
                    Some(Cell::span("支出用途", 1, 2)),
                    None,
                ],
                vec![
                    None,
                    None,
                    Some(Cell::span("功能科目名称", 1, 1)),
                    Some(Cell::span("金额", 1, 1)),
                    Some(Cell::span("项目名称", 1, 1)),
                    Some(Cell::span("金额", 1, 1)),
                ],
            ],
            body: body
                .into_iter()
                .map(|row| row.into_iter().map(Some).collect())
                .collect(),
            ..self.table("公开01表", "收支预算总表", "summary", style)
        }
    }

    /// 一般公共预算支出表: rows by function code (类, 款, 项), basic split into personnel and public.
    pub fn function_table(&self, ruling: Ruling, style: Style) -> TableSpec {
        let body = self
            .function_rows()
            .into_iter()
            .map(|(code, name, p, u, j)| {
                vec![
                    Cell::new(code, Align::Left),
                    Cell::new(name, Align::Left),
                    Cell::new(money(p + u + j), Align::Right),
                    Cell::new(money(p), Align::Right),
                    Cell::new(money(u), Align::Right),
                    Cell::new(money(j), Align::Right),
                ]
            })
            .collect::<Vec<_>>();
        TableSpec {
            columns: vec![
                Col::Code,
                Col::Label(None),
                Col::Figure(None, "total"),
                Col::Figure(None, "basic.personnel"),
                Col::Figure(None, "basic.public"),
                Col::Figure(None, "project"),
            ],
            widths: vec![62.0, 150.0, 72.0, 72.0, 72.0, 72.0],
            ruling,
            header: vec![
                vec![
                    Some(Cell::span("科目编码", 2, 1)),
                    Some(Cell::span("科目名称", 2, 1)),
                    Some(Cell::span("合计", 2, 1)),
                    Some(Cell::span("基本支出", 1, 2)),
                    None,
                    Some(Cell::span("项目支出", 2, 1)),
                ],
                vec![
                    None,
                    None,
                    None,
                    Some(Cell::span("人员经费", 1, 1)),
                    Some(Cell::span("公用经费", 1, 1)),
                    None,
                ],
            ],
            body: body
                .into_iter()
                .map(|row| row.into_iter().map(Some).collect())
                .collect(),
            ..self.table(
                "公开05表",
                "一般公共预算支出表",
                "general_expenditure",
                style,
            )
        }
    }
}

/// The function rows of `items`, 合计 first, then each class, its 款 and their 项 (in the
/// catalogue's order): code, name, personnel, public, project.
pub(crate) fn function_rows(items: &[Item]) -> Vec<FunctionRow> {
    let lines: Vec<Line> = items
        .iter()
        .map(|i| Line {
            code: i.code,
            name: i.name,
            figures: vec![i.personnel, i.public, i.project],
        })
        .collect();
    code_rows(&lines, &|c| function_name(c).unwrap_or_default())
        .into_iter()
        .map(|(code, name, f)| (code, name, f[0], f[1], f[2]))
        .collect()
}

/// One 项 of a table by code: its 7-digit code, its name and its figures, one a column.
pub(crate) struct Line {
    pub(crate) code: &'static str,
    pub(crate) name: &'static str,
    pub(crate) figures: Vec<i64>,
}

/// A row of a table by code: code (empty for 合计), name, figures.
pub(crate) type CodeRow = (&'static str, &'static str, Vec<i64>);

/// The rows of a table by function code: 合计, then each class (a code's first 3 digits), its
/// 款 (5 digits) and their 项, in code order, a class and a 款 the sums of their 项 and
/// named by `name`.
pub(crate) fn code_rows(lines: &[Line], name: &dyn Fn(&str) -> &'static str) -> Vec<CodeRow> {
    let mut sorted: Vec<&Line> = lines.iter().collect();
    sorted.sort_by_key(|l| l.code);
    let width = lines.first().map_or(0, |l| l.figures.len());
    let sums = |prefix: &str| -> Vec<i64> {
        (0..width)
            .map(|k| {
                sorted
                    .iter()
                    .filter(|l| l.code.starts_with(prefix))
                    .map(|l| l.figures[k])
                    .sum()
            })
            .collect()
    };
    let mut rows = vec![("", "合计", sums(""))];
    for (k, line) in sorted.iter().enumerate() {
        let before = k.checked_sub(1).map(|b| sorted[b].code);
        for len in [3, 5] {
            let prefix = &line.code[..len];
            if before.is_none_or(|b| !b.starts_with(prefix)) {
                rows.push((prefix, name(prefix), sums(prefix)));
            }
        }
        rows.push((line.code, line.name, line.figures.clone()));
    }
    rows
}

/// The name of a function class or 款 of the catalogue.
pub(crate) fn function_name(code: &str) -> Option<&'static str> {
    FUNCTIONS.iter().find_map(|(c, n, kuan)| {
        if *c == code {
            Some(*n)
        } else {
            kuan.iter().find(|(k, _, _)| *k == code).map(|(_, n, _)| *n)
        }
    })
}

/// The sum of `f` over the items whose code begins with `prefix`.
pub(crate) fn sum(items: &[Item], prefix: &str, f: fn(&Item) -> i64) -> i64 {
    items
        .iter()
        .filter(|i| i.code.starts_with(prefix))
        .map(f)
        .sum()
}

/// The classes of `items` with any money, in code order, with their names.
pub(crate) fn classes(items: &[Item]) -> Vec<(&'static str, &'static str)> {
    FUNCTIONS
        .iter()
        .filter(|(c, _, _)| items.iter().any(|i| i.code.starts_with(c)))
        .map(|(c, n, _)| (*c, *n))
        .collect()
}

/// Basic expenditure by economic class and 款 (code, name, amount), personnel costs under
/// 工资福利支出 and public ones under 商品和服务支出, each 款 its share of the class (the last
/// 款 taking what rounding leaves); a class without money is left out.
pub(crate) fn economic_rows(personnel: i64, public: i64) -> Vec<(&'static str, &'static str, i64)> {
    let mut rows = Vec::new();
    for ((code, name, parts), class_total) in ECONOMIC.iter().zip([personnel, public]) {
        if class_total == 0 {
            continue;
        }
        rows.push((*code, *name, class_total));
        let mut left = class_total;
        for (k, (pcode, pname, share)) in parts.iter().enumerate() {
            let v = if k + 1 == parts.len() {
                left
            } else {
                class_total * share / 100
            };
            left -= v;
            rows.push((*pcode, *pname, v));
        }
    }
    rows
}

/// The Chinese numeral of a 0-based position (一 … 十), for numbered rows.
pub(crate) fn numeral(k: usize) -> &'static str {
    NUMERALS[k]
}

/// A page of text: the title centred, then paragraphs of at most 30 characters a line.
pub(crate) fn text_page(title: &str, paragraphs: &[String]) -> Canvas {
    let mut c = Canvas::default();
    c.text_in(0.0, PAGE_W, 90.0, 18.0, title, Align::Center);
    let mut y = 140.0;
    for p in paragraphs {
        let chars: Vec<char> = p.chars().collect();
        for line in chars.chunks(30) {
            c.text(70.0, y, 14.0, &line.iter().collect::<String>());
            y += 24.0;
        }
        y += 8.0;
    }
    c
}

/// Draws the narrative and the tables, with the inconsistency `inject` written in; returns
/// the pages, the tables' ground truth (as printed) and what was injected.
pub fn draw(
    budget: &Budget,
    function_ruling: Ruling,
    style: Style,
    inject: Option<InjectionKind>,
) -> (Vec<Canvas>, Vec<TruthTable>, Vec<Injected>) {
    let swap = inject == Some(InjectionKind::SwappedNarrative);
    let mut pages = vec![budget.narrative(swap)];
    let mut function = budget.function_table(function_ruling, style);
    let mut injected: Vec<Injected> = Vec::new();
    let table = |items: Vec<String>, measure: &str| Injected {
        kind: inject.unwrap_or(InjectionKind::WrongTotal),
        table_kind: Some("general_expenditure".into()),
        items,
        measure: Some(measure.into()),
    };
    match inject {
        Some(InjectionKind::WrongTotal) => {
            // 合计 row, 合计 column: one 万元 too much.
            if let Some(Some(cell)) = function.body[0].get_mut(2) {
                cell.text = money(parse_money(&cell.text) + 100);
                injected.push(table(vec!["合计".into()], "total"));
            }
        }
        Some(InjectionKind::BlankCell) => {
            // The first 项 with staff costs loses its 人员经费 figure.
            let row = function.body.iter_mut().find(|r| {
                let code = r[0].as_ref().map_or("", |c| c.text.as_str());
                code.len() == 7 && r[3].as_ref().is_some_and(|c| !c.text.is_empty())
            });
            if let Some(r) = row {
                let name = r[1].as_ref().map(|c| c.text.clone()).unwrap_or_default();
                if let Some(c) = r[3].as_mut() {
                    c.text.clear();
                }
                injected.push(table(vec![name], "basic.personnel"));
            }
        }
        Some(InjectionKind::SwappedNarrative) => injected.push(Injected {
            kind: InjectionKind::SwappedNarrative,
            table_kind: None,
            items: vec!["基本支出".into(), "项目支出".into()],
            measure: None,
        }),
        None => {}
    }
    let mut tables = vec![
        budget.summary_table(style).draw(&mut pages),
        budget.revenue_table(style).draw(&mut pages),
        budget.expenditure_table(style).draw(&mut pages),
    ];
    tables.extend(
        budget
            .fiscal_function_table(style)
            .map(|t| t.draw(&mut pages)),
    );
    tables.push(function.draw(&mut pages));
    tables.extend(
        budget
            .fiscal_summary_table(style)
            .map(|t| t.draw(&mut pages)),
    );
    for (label, title, kind, public_only) in [
        (
            "公开07表",
            "财政拨款基本支出预算表",
            "fiscal_basic_expenditure",
            false,
        ),
        (
            "公开09表",
            "一般公共预算基本支出预算表",
            "general_basic_expenditure",
            false,
        ),
        (
            "公开10表",
            "一般公共预算机关运行经费支出预算表",
            "operating_costs",
            true,
        ),
    ] {
        tables.extend(
            budget
                .economic_table(label, title, kind, public_only, style)
                .map(|t| t.draw(&mut pages)),
        );
    }
    tables.push(budget.three_public_table(style).draw(&mut pages));
    (pages, tables, injected)
}

/// Reads back what [`money`] printed, in hundredths (blank is 0).
fn parse_money(s: &str) -> i64 {
    s.replace([',', '.'], "").parse().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_prints_as_budgets_do() {
        assert_eq!(money(1364907), "13,649.07");
        assert_eq!(money(81000), "810.00");
        assert_eq!(money(76), "0.76");
        assert_eq!(money(-1250), "-12.50");
        assert_eq!(money(0), "");
    }
}
