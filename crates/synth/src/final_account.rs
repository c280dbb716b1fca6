//! Final accounts (部门决算): the nine tables of the national template titled with 决算, in 万元,
//! for a 局 whose 2025 budget is drawn beside it (`generate_panel`), so budget and final
//! account can be joined.
//!
//! The money, in hundredths of 万元 as everywhere in the generator:
//! - 一般公共预算 expenditure by 项: the budget's 一般公共预算 items, each function class
//!   executed at a rate of its own ([`Panel::execution_rates`]): the class's final figure is
//!   its budget figure × rate, rounded to the hundredth; its 项 are scaled down and the last
//!   takes what rounding leaves.
//! - 政府性基金 and 国有资本经营 项 (each a fund of its own, or none): opening balance,
//!   basic and project spending, closing balance; income = spending + closing - opening.
//! - non-fiscal income (上级补助, 事业, 经营, 附属单位上缴, 其他) and spending (上缴上级,
//!   经营, 对附属单位补助), all on the 一般公共预算 项 with the most money, as are the
//!   一般公共预算 opening and closing balances; its fiscal income is its spending + closing -
//!   opening.
//! - balances: 总计 = 本年收入合计 + 使用非财政拨款结余 + 年初结转和结余 = 本年支出合计 + 结余分配
//!   + 年末结转和结余, the non-fiscal closing balance what makes it so.

use crate::budget::{
    code_rows, economic_rows, function_name, money, numeral, stated, text_page, Budget, CodeRow,
    Item, Line,
};
use crate::canvas::{build_pdf_from, Canvas, Cut};
use crate::national::{cjk_font, document, figure, head, row, two_sided, Layout, NationalBudget};
use crate::table::{Cell, Col, Furniture, Style, TableSpec, TruthTable, INCOME, SPENDING};
use crate::{EmptyTable, Generated, Phase, Truth};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// 局 whose own work is classed under 政府办公厅（室）及相关机构事务.
const DEPARTMENTS: &[(&str, &str)] = &[
    ("南京市机关事务管理局", "20103"),
    ("苏州市机关事务管理局", "20103"),
    ("杭州市机关事务管理局", "20103"),
    ("成都市机关事务管理局", "20103"),
    ("西安市机关事务管理局", "20103"),
];

/// The year of the panel's budget and final account.
const YEAR: u32 = 2025;

/// A class, its 款 and a 项 of it: code and name each.
type Path3 = [(&'static str, &'static str); 3];

/// 政府性基金 项 a final account may spend on.
const GOV_FUND: &[Path3] = &[
    [
        ("212", "城乡社区支出"),
        ("21208", "国有土地使用权出让收入安排的支出"),
        ("2120803", "城市建设支出"),
    ],
    [
        ("229", "其他支出"),
        ("22960", "彩票公益金安排的支出"),
        ("2296002", "用于社会福利的彩票公益金支出"),
    ],
];

/// 国有资本经营 项 a final account may spend on.
const STATE_CAPITAL: &[Path3] = &[[
    ("223", "国有资本经营预算支出"),
    ("22301", "解决历史遗留问题及改革成本支出"),
    ("2230105", "国有企业退休人员社会化管理补助支出"),
]];

/// The statements printed below a fund's table published empty.
const NO_GOV_FUND: &str = "本年度没有政府性基金预算财政拨款收入和支出，故本表无数据。";
const NO_STATE_CAPITAL: &str = "本年度没有国有资本经营预算财政拨款收入和支出，故本表无数据。";

/// Execution rates a class is drawn from, in basis points of its budget.
const RATES: &[u32] = &[9000, 9500, 9800, 10000];

/// The name of a class or 款, of the budget's catalogue or the funds' own.
fn name_of(code: &str) -> &'static str {
    function_name(code)
        .or_else(|| {
            GOV_FUND
                .iter()
                .chain(STATE_CAPITAL)
                .flatten()
                .find(|(c, _)| *c == code)
                .map(|(_, n)| *n)
        })
        .unwrap_or_default()
}

/// A 项 of a fund of its own: its balances and spending.
struct FundLine {
    code: &'static str,
    name: &'static str,
    opening: i64,
    basic: i64,
    project: i64,
    closing: i64,
}

impl FundLine {
    fn spent(&self) -> i64 {
        self.basic + self.project
    }

    fn income(&self) -> i64 {
        self.spent() + self.closing - self.opening
    }

    fn draw(rng: &mut ChaCha8Rng, path: &Path3) -> FundLine {
        let project = rng.random_range(20_000..300_000);
        FundLine {
            code: path[2].0,
            name: path[2].1,
            opening: rng.random_range(0..project / 2),
            basic: 0,
            project,
            closing: rng.random_range(0..project / 3),
        }
    }
}

/// A budget and the final account of the same department and year.
pub struct Panel {
    /// The 2025 部门预算, in the national layouts.
    pub budget: Generated,
    /// The 2025 部门决算.
    pub final_account: Generated,
    /// Each function class of the budget's 一般公共预算 expenditure (code) with its execution
    /// rate in basis points: the final account's 一般公共预算财政拨款 expenditure of the class is
    /// the budget's × rate / 10000, rounded to the hundredth of 万元 (0.005 万元 half up).
    pub execution_rates: Vec<(String, u32)>,
}

/// A department's final account.
struct FinalAccount {
    department: &'static str,
    layout: Layout,
    /// Landscape tables stored portrait under `/Rotate 90`.
    rotated: bool,
    /// 一般公共预算 items as executed.
    general: Vec<Item>,
    gov_fund: Vec<FundLine>,
    state_capital: Vec<FundLine>,
    /// The 一般公共预算 item holding the non-fiscal money and the general balances.
    x: usize,
    general_opening: i64,
    general_closing: i64,
    /// 上级补助收入, 事业收入, 经营收入, 附属单位上缴收入, 其他收入.
    nonfiscal_income: [i64; 5],
    /// 上缴上级支出, 经营支出, 对附属单位补助支出.
    nonfiscal_uses: [i64; 3],
    /// 使用非财政拨款结余, 结余分配, the non-fiscal opening balance.
    use_of_balance: i64,
    distribution: i64,
    nonfiscal_opening: i64,
    /// 因公出国（境）, 公务用车购置, 公务用车运行维护, 公务接待: budget and final figures.
    three_public: [[i64; 2]; 4],
}

/// A draw of `lo..hi` one time in `odds`, else zero.
fn sometimes(rng: &mut ChaCha8Rng, odds: u32, lo: i64, hi: i64) -> i64 {
    if hi > lo && rng.random_range(0..odds) == 0 {
        rng.random_range(lo..hi)
    } else {
        0
    }
}

impl FinalAccount {
    /// The final account of `budget` (in the national layout `layout`), document `index`; the
    /// classes' execution rates are returned beside it.
    fn draw_from(
        rng: &mut ChaCha8Rng,
        national: &NationalBudget,
        index: u32,
    ) -> (FinalAccount, Vec<(String, u32)>) {
        let budget = national.general_items();
        let mut general = budget.clone();
        let mut rates = Vec::new();
        for (class, _) in crate::budget::classes(&budget) {
            let rate = RATES[rng.random_range(0..RATES.len())];
            rates.push((class.to_string(), rate));
            let planned = crate::budget::sum(&budget, class, Item::total);
            let target = (planned * i64::from(rate) + 5_000) / 10_000;
            let scale = |v: i64| v * i64::from(rate) / 10_000;
            let members: Vec<usize> = (0..general.len())
                .filter(|&k| general[k].code.starts_with(class))
                .collect();
            for &k in &members {
                let it = &mut general[k];
                it.personnel = scale(it.personnel);
                it.public = scale(it.public);
                it.project = scale(it.project);
            }
            let got: i64 = members.iter().map(|&k| general[k].total()).sum();
            if let Some(&last) = members.last() {
                let it = &mut general[last];
                let slot = if it.personnel > 0 {
                    &mut it.personnel
                } else if it.project > 0 {
                    &mut it.project
                } else {
                    &mut it.public
                };
                *slot += target - got;
            }
        }
        let x = (0..general.len())
            .max_by_key(|&k| (general[k].total(), std::cmp::Reverse(k)))
            .unwrap_or(0);
        let x_total = general.get(x).map_or(0, Item::total);
        // Every other pair of documents publishes one fund's table empty, 政府性基金 and
        // 国有资本经营 in turn.
        let gov_fund = if index % 4 == 1 {
            Vec::new()
        } else {
            let path = &GOV_FUND[rng.random_range(0..GOV_FUND.len())];
            vec![FundLine::draw(rng, path)]
        };
        let state_capital = if index % 4 == 3 {
            Vec::new()
        } else {
            vec![FundLine::draw(rng, &STATE_CAPITAL[0])]
        };
        let general_opening = rng.random_range(0..x_total / 10 + 1);
        let general_closing = rng.random_range(0..50_000);
        let nonfiscal_income = [
            sometimes(rng, 3, 1_000, 30_000),
            sometimes(rng, 3, 1_000, 30_000),
            sometimes(rng, 3, 1_000, 30_000),
            sometimes(rng, 3, 1_000, 30_000),
            sometimes(rng, 2, 1_000, 30_000),
        ];
        let income: i64 = nonfiscal_income.iter().sum();
        let nonfiscal_uses = [0; 3].map(|_| sometimes(rng, 2, 0, income / 4));
        let use_of_balance = sometimes(rng, 3, 500, 5_000);
        let distribution = sometimes(rng, 3, 0, income / 8);
        let nonfiscal_opening = rng.random_range(0..50_000);
        let [overseas, purchase, operation, reception, _, _] = national.b.three_public;
        let three_public = [overseas, purchase, operation, reception]
            .map(|v| [v, v * rng.random_range(60..=100) / 100]);
        let fa = FinalAccount {
            department: national.b.department,
            layout: national.layout,
            rotated: index % 5 == 2,
            general,
            gov_fund,
            state_capital,
            x,
            general_opening,
            general_closing,
            nonfiscal_income,
            nonfiscal_uses,
            use_of_balance,
            distribution,
            nonfiscal_opening,
            three_public,
        };
        (fa, rates)
    }

    fn exp_general(&self) -> i64 {
        self.general.iter().map(Item::total).sum()
    }

    fn income_general(&self) -> i64 {
        self.exp_general() + self.general_closing - self.general_opening
    }

    fn fund(lines: &[FundLine], f: fn(&FundLine) -> i64) -> i64 {
        lines.iter().map(f).sum()
    }

    fn nonfiscal_closing(&self) -> i64 {
        self.nonfiscal_opening + self.nonfiscal_income.iter().sum::<i64>() + self.use_of_balance
            - self.nonfiscal_uses.iter().sum::<i64>()
            - self.distribution
    }

    /// The fiscal balances, by fund: 一般公共预算, 政府性基金, 国有资本经营.
    fn fiscal_opening(&self) -> [i64; 3] {
        [
            self.general_opening,
            Self::fund(&self.gov_fund, |l| l.opening),
            Self::fund(&self.state_capital, |l| l.opening),
        ]
    }

    fn fiscal_closing(&self) -> [i64; 3] {
        [
            self.general_closing,
            Self::fund(&self.gov_fund, |l| l.closing),
            Self::fund(&self.state_capital, |l| l.closing),
        ]
    }

    fn fiscal_income(&self) -> [i64; 3] {
        [
            self.income_general(),
            Self::fund(&self.gov_fund, FundLine::income),
            Self::fund(&self.state_capital, FundLine::income),
        ]
    }

    fn fiscal_spent(&self) -> [i64; 3] {
        [
            self.exp_general(),
            Self::fund(&self.gov_fund, FundLine::spent),
            Self::fund(&self.state_capital, FundLine::spent),
        ]
    }

    /// Every 项 with `general` figures for the 一般公共预算 items (the item holding the
    /// non-fiscal money told apart) and `fund` figures for the funds' own.
    fn lines(
        &self,
        general: &dyn Fn(&Item, bool) -> Vec<i64>,
        fund: &dyn Fn(&FundLine, usize) -> Vec<i64>,
    ) -> Vec<Line> {
        let mut lines: Vec<Line> = self
            .general
            .iter()
            .enumerate()
            .map(|(k, i)| Line {
                code: i.code,
                name: i.name,
                figures: general(i, k == self.x),
            })
            .collect();
        for (which, fund_lines) in [&self.gov_fund, &self.state_capital].iter().enumerate() {
            lines.extend(fund_lines.iter().map(|l| Line {
                code: l.code,
                name: l.name,
                figures: fund(l, which),
            }));
        }
        lines
    }

    /// Rows by function code of every 项's expenditure: total, basic, project, 上缴上级,
    /// 经营, 对附属单位补助.
    fn expenditure_rows(&self) -> Vec<CodeRow> {
        let [remit, operation, subsidy] = self.nonfiscal_uses;
        let lines = self.lines(
            &|i, x| {
                let uses = if x {
                    [remit, operation, subsidy]
                } else {
                    [0; 3]
                };
                let mut f = vec![
                    i.total() + uses.iter().sum::<i64>(),
                    i.personnel + i.public,
                    i.project,
                ];
                f.extend(uses);
                f
            },
            &|l, _| vec![l.spent(), l.basic, l.project, 0, 0, 0],
        );
        code_rows(&lines, &name_of)
    }

    /// Rows by function code of every 项's income: total, fiscal, then the non-fiscal sources.
    fn revenue_rows(&self) -> Vec<CodeRow> {
        let nonfiscal = self.nonfiscal_income;
        let balance = self.general_closing - self.general_opening;
        let lines = self.lines(
            &|i, x| {
                let (fiscal, other) = if x {
                    (i.total() + balance, nonfiscal)
                } else {
                    (i.total(), [0; 5])
                };
                let mut f = vec![fiscal + other.iter().sum::<i64>(), fiscal];
                f.extend(other);
                f
            },
            &|l, _| vec![l.income(), l.income(), 0, 0, 0, 0, 0],
        );
        code_rows(&lines, &name_of)
    }

    /// Rows by function code of fiscal expenditure: total, then by fund.
    fn fiscal_rows(&self) -> Vec<CodeRow> {
        let lines = self.lines(&|i, _| vec![i.total(), i.total(), 0, 0], &|l, which| {
            let mut f = vec![l.spent(), 0, 0, 0];
            f[2 + which] = l.spent();
            f
        });
        code_rows(&lines, &name_of)
    }

    /// Class rows (code of 3 digits) of `rows`, numbered, with the first `width` figures.
    fn classes(rows: &[CodeRow], width: usize) -> Vec<(String, Vec<i64>)> {
        rows.iter()
            .filter(|(code, _, _)| code.len() == 3)
            .enumerate()
            .map(|(k, (_, name, f))| (format!("{}、{name}", numeral(k)), f[..width].to_vec()))
            .collect()
    }

    fn table(&self, number: usize, title: &str, kind: &'static str, wide: bool) -> TableSpec {
        // Every third table prints a meta line (`编制单位：` at the left, the unit at the
        // right) under its title; the others the layout's furniture.
        let jiangsu = number.is_multiple_of(3);
        TableSpec {
            label: Some(format!("公开{number:02}表")),
            title: title.into(),
            department: format!("编制单位：{}", self.department),
            unit: "万元".into(),
            widths: Vec::new(),
            header: Vec::new(),
            column_numbers: false,
            body: Vec::new(),
            ruling: self.layout.ruling,
            landscape: wide,
            style: Style {
                rotated: wide && self.rotated,
                ..self.layout.style
            },
            kind,
            columns: Vec::new(),
            furniture: if jiangsu {
                Furniture::Jiangsu
            } else {
                self.layout.furniture
            },
            basis: Some("final"),
            note: None,
        }
    }

    /// 收入支出决算总表.
    fn summary(&self) -> TableSpec {
        let [g, gf, sc] = self.fiscal_income();
        let nf = self.nonfiscal_income;
        let income = [
            row("一、一般公共预算财政拨款收入", &[g]),
            row("二、政府性基金预算财政拨款收入", &[gf]),
            row("三、国有资本经营预算财政拨款收入", &[sc]),
            row("四、上级补助收入", &[nf[0]]),
            row("五、事业收入", &[nf[1]]),
            row("六、经营收入", &[nf[2]]),
            row("七、附属单位上缴收入", &[nf[3]]),
            row("八、其他收入", &[nf[4]]),
        ];
        let rows = self.expenditure_rows();
        let spending = Self::classes(&rows, 1);
        let income_total = g + gf + sc + nf.iter().sum::<i64>();
        let spent = rows[0].2[0];
        let opening = self.fiscal_opening().iter().sum::<i64>() + self.nonfiscal_opening;
        let closing = self.fiscal_closing().iter().sum::<i64>() + self.nonfiscal_closing();
        let closing_rows = [
            (
                row("本年收入合计", &[income_total]),
                row("本年支出合计", &[spent]),
            ),
            (
                row("使用非财政拨款结余", &[self.use_of_balance]),
                row("结余分配", &[self.distribution]),
            ),
            (
                row("年初结转和结余", &[opening]),
                row("年末结转和结余", &[closing]),
            ),
            (
                row("总计", &[income_total + self.use_of_balance + opening]),
                row("总计", &[spent + self.distribution + closing]),
            ),
        ];
        TableSpec {
            columns: vec![
                Col::Label(INCOME),
                Col::Figure(INCOME, "total"),
                Col::Label(SPENDING),
                Col::Figure(SPENDING, "total"),
            ],
            widths: vec![170.0, 80.0, 150.0, 80.0],
            header: vec![
                vec![
                    Some(Cell::span("收入", 1, 2)),
                    None,
                    Some(Cell::span("支出", 1, 2)),
                    None,
                ],
                vec![head("项目"), head("决算数"), head("项目"), head("决算数")],
            ],
            body: two_sided(&income, &spending, &closing_rows),
            ..self.table(1, "收入支出决算总表", "summary", false)
        }
    }

    /// 收入决算表.
    fn revenue(&self) -> TableSpec {
        let l = self.layout;
        let words = [
            "本年收入合计",
            "财政拨款收入",
            "上级补助收入",
            "事业收入",
            "经营收入",
            "附属单位上缴收入",
            "其他收入",
        ];
        TableSpec {
            columns: l.code_columns(
                3,
                &[
                    "total",
                    "fiscal",
                    "superior_subsidy",
                    "business_revenue",
                    "operating_revenue",
                    "affiliate_remittance",
                    "other_revenue",
                ],
            ),
            widths: [l.code_widths(3), vec![200.0], vec![70.0; 7]].concat(),
            header: l.code_header(3, vec![words.map(head).to_vec()]),
            body: l.code_body(&self.revenue_rows(), 3),
            ..self.table(2, "收入决算表", "revenue", true)
        }
    }

    /// 支出决算表.
    fn expenditure(&self) -> TableSpec {
        let l = self.layout;
        let words = [
            "本年支出合计",
            "基本支出",
            "项目支出",
            "上缴上级支出",
            "经营支出",
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
            widths: [l.code_widths(3), vec![220.0], vec![76.0; 6]].concat(),
            header: l.code_header(3, vec![words.map(head).to_vec()]),
            body: l.code_body(&self.expenditure_rows(), 3),
            ..self.table(3, "支出决算表", "expenditure", true)
        }
    }

    /// 财政拨款收入支出决算总表.
    fn fiscal_summary(&self) -> TableSpec {
        let income = self.fiscal_income();
        let opening = self.fiscal_opening();
        let closing = self.fiscal_closing();
        let spent = self.fiscal_spent();
        let names = [
            "一、一般公共预算财政拨款",
            "二、政府性基金预算财政拨款",
            "三、国有资本经营预算财政拨款",
        ];
        let income_rows: Vec<(String, Vec<i64>)> = names
            .iter()
            .zip(income)
            .map(|(n, v)| row(n, &[v]))
            .collect();
        let spending = Self::classes(&self.fiscal_rows(), 4);
        let by_fund = |v: [i64; 3]| [v.iter().sum(), v[0], v[1], v[2]];
        let sum3 = |v: [i64; 3]| v.iter().sum::<i64>();
        let ends = [
            spent[0] + closing[0],
            spent[1] + closing[1],
            spent[2] + closing[2],
        ];
        let closing_rows = [
            (
                row("本年收入合计", &[sum3(income)]),
                row("本年支出合计", &by_fund(spent)),
            ),
            (
                row("年初财政拨款结转和结余", &[sum3(opening)]),
                row("年末财政拨款结转和结余", &by_fund(closing)),
            ),
            (
                row("总计", &[sum3(income) + sum3(opening)]),
                row("总计", &by_fund(ends)),
            ),
        ];
        let (columns, header) = crate::national::fiscal_summary_columns(
            "决算数",
            [
                "一般公共预算财政拨款",
                "政府性基金预算财政拨款",
                "国有资本经营预算财政拨款",
            ],
        );
        TableSpec {
            columns,
            widths: vec![170.0, 76.0, 170.0, 76.0, 90.0, 90.0, 90.0],
            header,
            body: two_sided(&income_rows, &spending, &closing_rows),
            ..self.table(4, "财政拨款收入支出决算总表", "fiscal_summary", true)
        }
    }

    /// 一般公共预算财政拨款支出决算表.
    fn general_expenditure(&self) -> TableSpec {
        let l = self.layout;
        let rows: Vec<CodeRow> = crate::budget::function_rows(&self.general)
            .into_iter()
            .map(|(code, name, p, u, j)| (code, name, vec![p + u + j, p + u, j]))
            .collect();
        TableSpec {
            columns: l.code_columns(3, &["total", "basic", "project"]),
            widths: [l.code_widths(3), vec![200.0], vec![80.0; 3]].concat(),
            header: l.code_header(
                3,
                vec![
                    vec![Some(Cell::span("本年支出", 1, 3)), None, None],
                    ["合计", "基本支出", "项目支出"].map(head).to_vec(),
                ],
            ),
            body: l.code_body(&rows, 3),
            ..self.table(
                5,
                "一般公共预算财政拨款支出决算表",
                "general_expenditure",
                false,
            )
        }
    }

    /// 一般公共预算财政拨款基本支出决算表: economic classes, then staff and public costs.
    fn general_basic(&self) -> TableSpec {
        let l = self.layout;
        let personnel: i64 = self.general.iter().map(|i| i.personnel).sum();
        let public: i64 = self.general.iter().map(|i| i.public).sum();
        let mut rows: Vec<CodeRow> = economic_rows(personnel, public)
            .into_iter()
            .map(|(code, name, v)| (code, name, vec![v]))
            .collect();
        rows.push(("", "人员经费合计", vec![personnel]));
        rows.push(("", "公用经费合计", vec![public]));
        TableSpec {
            columns: l.code_columns(2, &["total"]),
            widths: [l.code_widths(2), vec![220.0], vec![100.0]].concat(),
            header: l.code_header(2, vec![vec![head("决算数")]]),
            body: l.code_body(&rows, 2),
            ..self.table(
                6,
                "一般公共预算财政拨款基本支出决算表",
                "general_basic_expenditure",
                false,
            )
        }
    }

    /// 一般公共预算财政拨款“三公”经费支出决算表: budget and final figures of each part.
    fn three_public(&self) -> TableSpec {
        let [overseas, purchase, operation, reception] = self.three_public;
        let add = |a: [i64; 2], b: [i64; 2]| [a[0] + b[0], a[1] + b[1]];
        let vehicles = add(purchase, operation);
        let total = add(add(overseas, vehicles), reception);
        let parts = [
            // The vocabulary's row total of a table of "三公" alone.
            ("total", total),
            ("overseas_travel", overseas),
            ("vehicles", vehicles),
            ("vehicles.purchase", purchase),
            ("vehicles.operation", operation),
            ("reception", reception),
        ];
        let mut columns = Vec::new();
        let mut body = Vec::new();
        for (measure, [budget, actual]) in parts {
            columns.push(Col::FigureOn(None, measure, "budget"));
            columns.push(Col::FigureOn(None, measure, "final"));
            body.push(figure(budget));
            body.push(figure(actual));
        }
        let s = |t: &str, r, c| Some(Cell::span(t, r, c));
        let mut bases = Vec::new();
        for _ in 0..6 {
            bases.push(head("预算数"));
            bases.push(head("决算数"));
        }
        let mut header = vec![
            vec![
                s("合计", 2, 2),
                None,
                s("因公出国（境）费", 2, 2),
                None,
                s("公务用车购置及运行维护费", 1, 6),
            ],
            vec![None, None, None, None],
        ];
        header[0].extend(vec![None; 5]);
        header[0].extend([s("公务接待费", 2, 2), None]);
        header[1].extend([
            s("小计", 1, 2),
            None,
            s("公务用车购置费", 1, 2),
            None,
            s("公务用车运行维护费", 1, 2),
            None,
            None,
            None,
        ]);
        header.push(bases);
        TableSpec {
            columns,
            widths: vec![58.0; 12],
            header,
            body: vec![body],
            ..self.table(
                7,
                "一般公共预算财政拨款“三公”经费支出决算表",
                "three_public",
                true,
            )
        }
    }

    /// A fund's 收入支出决算表, empty with its statement where the fund had no money.
    fn fund_table(
        &self,
        number: usize,
        title: &str,
        kind: &'static str,
        lines: &[FundLine],
        statement: &str,
    ) -> TableSpec {
        let l = self.layout;
        let rows = if lines.is_empty() {
            vec![("", "合计", vec![0; 6])]
        } else {
            let lines: Vec<Line> = lines
                .iter()
                .map(|f| Line {
                    code: f.code,
                    name: f.name,
                    figures: vec![
                        f.opening,
                        f.income(),
                        f.spent(),
                        f.basic,
                        f.project,
                        f.closing,
                    ],
                })
                .collect();
            code_rows(&lines, &name_of)
        };
        let s = |t: &str, r, c| Some(Cell::span(t, r, c));
        TableSpec {
            columns: l.code_columns(
                3,
                &[
                    "opening_balance",
                    "income",
                    "expenditure",
                    "basic",
                    "project",
                    "closing_balance",
                ],
            ),
            widths: [l.code_widths(3), vec![220.0], vec![76.0; 6]].concat(),
            header: l.code_header(
                3,
                vec![
                    vec![
                        s("年初结转和结余", 2, 1),
                        s("本年收入", 2, 1),
                        s("本年支出", 1, 3),
                        None,
                        None,
                        s("年末结转和结余", 2, 1),
                    ],
                    vec![
                        None,
                        None,
                        head("合计"),
                        head("基本支出"),
                        head("项目支出"),
                        None,
                    ],
                ],
            ),
            body: l.code_body(&rows, 3),
            note: lines.is_empty().then(|| statement.to_string()),
            ..self.table(number, title, kind, true)
        }
    }

    /// The cover and explanation page.
    fn cover(&self) -> Canvas {
        let income =
            self.fiscal_income().iter().sum::<i64>() + self.nonfiscal_income.iter().sum::<i64>();
        let spent = self.expenditure_rows()[0].2[0];
        let [overseas, purchase, operation, reception] = self.three_public.map(|v| v[1]);
        let paragraphs = [
            "一、部门概况".to_string(),
            format!(
                "{}是市级一级预算单位，本部门决算包括机关本级决算。",
                self.department
            ),
            "二、收入支出决算总体情况说明".to_string(),
            format!(
                "{YEAR}年度本年收入合计{}万元，本年支出合计{}万元。",
                money(income),
                money(spent)
            ),
            "三、一般公共预算财政拨款支出决算情况说明".to_string(),
            format!(
                "{YEAR}年度一般公共预算财政拨款支出{}万元。",
                money(self.exp_general())
            ),
            "四、“三公”经费支出决算情况说明".to_string(),
            format!(
                "{YEAR}年度“三公”经费支出决算{}万元。",
                stated(overseas + purchase + operation + reception)
            ),
        ];
        text_page(
            &format!("{}{YEAR}年度部门决算", self.department),
            &paragraphs,
        )
    }

    /// The document's pages, its tables' truth and its empty tables.
    fn draw(&self) -> (Vec<Canvas>, Vec<TruthTable>, Vec<EmptyTable>) {
        let mut pages = vec![self.cover()];
        let funds = [
            (
                8,
                "政府性基金预算财政拨款收入支出决算表",
                "gov_fund_expenditure",
                &self.gov_fund,
                NO_GOV_FUND,
            ),
            (
                9,
                "国有资本经营预算财政拨款收入支出决算表",
                "state_capital_expenditure",
                &self.state_capital,
                NO_STATE_CAPITAL,
            ),
        ];
        let mut specs = vec![
            self.summary(),
            self.revenue(),
            self.expenditure(),
            self.fiscal_summary(),
            self.general_expenditure(),
            self.general_basic(),
            self.three_public(),
        ];
        let mut empty = Vec::new();
        for (number, title, kind, lines, statement) in funds {
            specs.push(self.fund_table(number, title, kind, lines, statement));
            if lines.is_empty() {
                empty.push(EmptyTable {
                    table_kind: kind.into(),
                    statement: statement.into(),
                });
            }
        }
        let tables = specs.iter().map(|t| t.draw(&mut pages)).collect();
        (pages, tables, empty)
    }
}

/// The 2025 budget and final account of a 局, document `index` of the panel drawn from
/// `seed`.
pub fn generate_panel(seed: u64, index: u32) -> Panel {
    let mut rng = ChaCha8Rng::seed_from_u64(
        seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ u64::from(index) ^ 0x4649_4E41_4C41_4343,
    );
    let mut b = Budget::generate_in(&mut rng, index % 4 == 3, DEPARTMENTS);
    b.year = YEAR;
    let national = NationalBudget::new(&b, Layout::of(index));
    let (fa, execution_rates) = FinalAccount::draw_from(&mut rng, &national, index);
    let budget = document(&b, index, format!("final-{index:04}-budget"));
    let (pages, tables, empty_tables) = fa.draw();
    let stem = format!("final-{index:04}");
    let cjk_font = cjk_font(index);
    let title = format!("{}{YEAR}年度部门决算", fa.department);
    let pdf = build_pdf_from(pages, &title, cjk_font, Cut::Current);
    let truth = Truth {
        file: format!("{stem}.pdf"),
        department: fa.department.into(),
        fiscal_year: YEAR,
        cjk_font,
        tables,
        injected: Vec::new(),
        phase: Phase::FinalAccount,
        empty_tables,
    };
    Panel {
        budget,
        final_account: Generated { stem, pdf, truth },
        execution_rates,
    }
}

/// Document `index` of the final-account family drawn from `seed` (the final account of
/// [`generate_panel`]).
pub fn generate_final(seed: u64, index: u32) -> Generated {
    generate_panel(seed, index).final_account
}
