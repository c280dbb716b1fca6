//! The national and final-account families: the same seed writes the same bytes, and every
//! identity of their tables holds in the truth, summed here from the figures as printed.

use crate::{generate_final, generate_national, generate_panel, has_glyph, Phase, TruthTable};
use rust_decimal::Decimal;
use std::str::FromStr;

/// A figure in hundredths of 万元 (yuan / 100), as the generator counts.
fn cents(yuan: &str) -> i64 {
    let v = Decimal::from_str(yuan).unwrap() / Decimal::from(100);
    assert!(
        v.fract().is_zero(),
        "{yuan} is not whole hundredths of 万元"
    );
    i64::try_from(v).unwrap()
}

/// One table's figures, looked up by row (code, or label where no code) and measure.
struct Figures<'a>(&'a TruthTable);

impl Figures<'_> {
    /// The figure of `measure` (on `basis`, if given) in the row with code `code`, or
    /// labelled `item` on `side`; 0 where the cell is blank.
    fn get(&self, side: Option<&str>, row: Row, measure: &str, basis: Option<&str>) -> i64 {
        let found: Vec<i64> = self
            .0
            .figures
            .iter()
            .filter(|f| {
                f.measure == measure
                    && f.side.as_deref() == side
                    && (basis.is_none() || f.basis.as_deref() == basis)
                    && match row {
                        Row::Code(c) => f.code.as_deref() == Some(c),
                        Row::Item(i) => f.item == i && f.code.is_none(),
                    }
            })
            .map(|f| cents(&f.amount_yuan))
            .collect();
        assert!(
            found.len() <= 1,
            "{} {row:?} {measure}: {found:?}",
            self.0.kind
        );
        found.first().copied().unwrap_or(0)
    }

    fn at(&self, row: Row, measure: &str) -> i64 {
        self.get(None, row, measure, None)
    }

    /// The codes printed, each once.
    fn codes(&self) -> Vec<String> {
        let mut codes: Vec<String> = self
            .0
            .figures
            .iter()
            .filter_map(|f| f.code.clone())
            .collect();
        codes.sort();
        codes.dedup();
        codes
    }

    /// Every class and 款 is the sum of the codes two digits longer under it, 合计 the sum of
    /// the classes, for each measure.
    fn hierarchy_adds_up(&self, measures: &[&str]) {
        let codes = self.codes();
        for m in measures {
            for c in &codes {
                let children: i64 = codes
                    .iter()
                    .filter(|k| k.len() == c.len() + 2 && k.starts_with(c.as_str()))
                    .map(|k| self.at(Row::Code(k), m))
                    .sum();
                if codes.iter().any(|k| k.len() == c.len() + 2) && c.len() < 7 {
                    assert_eq!(
                        self.at(Row::Code(c), m),
                        children,
                        "{} {c} {m}",
                        self.0.kind
                    );
                }
            }
            let classes: i64 = codes
                .iter()
                .filter(|k| k.len() == 3)
                .map(|k| self.at(Row::Code(k), m))
                .sum();
            if self.0.figures.iter().any(|f| f.item == "合计") {
                assert_eq!(
                    self.at(Row::Item("合计"), m),
                    classes,
                    "{} 合计 {m}",
                    self.0.kind
                );
            }
        }
    }

    /// Each row's `whole` is the sum of its `parts`.
    fn rows_add_up(&self, whole: &str, parts: &[&str]) {
        let mut rows: Vec<(Option<String>, String)> = self
            .0
            .figures
            .iter()
            .map(|f| (f.code.clone(), f.item.clone()))
            .collect();
        rows.dedup();
        for (code, item) in rows {
            let row = match &code {
                Some(c) => Row::Code(c),
                None => Row::Item(&item),
            };
            let sum: i64 = parts.iter().map(|p| self.at(row, p)).sum();
            assert_eq!(self.at(row, whole), sum, "{} {row:?}", self.0.kind);
        }
    }
}

#[derive(Debug, Clone, Copy)]
enum Row<'a> {
    Code(&'a str),
    Item(&'a str),
}

fn table<'a>(tables: &'a [TruthTable], kind: &str) -> Figures<'a> {
    Figures(
        tables
            .iter()
            .find(|t| t.kind == kind)
            .unwrap_or_else(|| panic!("no {kind}")),
    )
}

const IN: Option<&str> = Some("income");
const OUT: Option<&str> = Some("expenditure");

#[test]
fn same_seed_same_bytes() {
    for (a, b) in [
        (generate_national(7, 2), generate_national(7, 2)),
        (generate_final(7, 3), generate_final(7, 3)),
    ] {
        assert_eq!(a.pdf, b.pdf);
        assert_eq!(a.truth, b.truth);
    }
    assert_ne!(generate_national(7, 2).pdf, generate_national(7, 3).pdf);
    assert_ne!(generate_final(7, 2).pdf, generate_final(8, 2).pdf);
    let (p, q) = (generate_panel(7, 1), generate_panel(7, 1));
    assert_eq!(p.budget.pdf, q.budget.pdf);
    assert_eq!(p.final_account.pdf, generate_final(7, 1).pdf);
}

/// The current cut of the font holds every character the new families print (the cover
/// texts, names and titles are all in these sources).
#[test]
fn the_font_has_every_character() {
    let sources = [
        include_str!("national.rs"),
        include_str!("final_account.rs"),
        include_str!("budget.rs"),
    ];
    let missing: String = sources
        .concat()
        .chars()
        .filter(|c| !c.is_ascii() && !has_glyph(*c))
        .collect();
    assert!(missing.is_empty(), "run scripts/make-font: {missing}");
}

#[test]
fn national_tables_add_up() {
    for index in 0..12 {
        let g = generate_national(5, index);
        let t = &g.truth.tables;
        assert_eq!(g.truth.phase, Phase::Budget);
        let kinds: Vec<&str> = t.iter().map(|t| t.kind.as_str()).collect();
        assert_eq!(
            kinds,
            [
                "summary",
                "revenue",
                "expenditure",
                "fiscal_summary",
                "general_expenditure",
                "general_basic_expenditure",
                "three_public"
            ]
        );
        assert!(t.iter().flat_map(|t| &t.figures).all(|f| f.basis.is_none()));

        let s = table(t, "summary");
        let total = s.get(IN, Row::Item("本年收入合计"), "total", None);
        let sources: i64 = [
            "一、一般公共预算拨款收入",
            "二、政府性基金预算拨款收入",
            "三、国有资本经营预算拨款收入",
            "四、财政专户管理资金收入",
            "五、事业收入",
            "六、其他收入",
        ]
        .iter()
        .map(|i| s.get(IN, Row::Item(i), "total", None))
        .sum();
        assert_eq!(total, sources);
        let classes: i64 =
            s.0.figures
                .iter()
                .filter(|f| f.side.as_deref() == OUT && f.item.contains('、'))
                .map(|f| cents(&f.amount_yuan))
                .sum();
        assert_eq!(
            s.get(OUT, Row::Item("本年支出合计"), "total", None),
            classes
        );
        assert_eq!(classes, total);
        assert_eq!(s.get(IN, Row::Item("收入总计"), "total", None), total);
        assert_eq!(s.get(OUT, Row::Item("支出总计"), "total", None), total);

        let r = table(t, "revenue");
        r.rows_add_up(
            "total",
            &[
                "prior_carryover",
                "fiscal.general",
                "fiscal.gov_fund",
                "other_revenue",
            ],
        );
        r.hierarchy_adds_up(&["total", "fiscal.general", "other_revenue"]);
        assert_eq!(r.at(Row::Item("合计"), "total"), total);
        assert_eq!(
            r.at(Row::Item("合计"), "other_revenue"),
            s.get(IN, Row::Item("六、其他收入"), "total", None)
        );

        let e = table(t, "expenditure");
        e.rows_add_up(
            "total",
            &[
                "basic",
                "project",
                "remit_to_superior",
                "business_operation",
                "subsidy_to_affiliates",
            ],
        );
        e.hierarchy_adds_up(&["total", "basic", "project"]);
        assert_eq!(e.at(Row::Item("合计"), "total"), total);

        let general = table(t, "general_expenditure");
        general.rows_add_up("total", &["basic", "project"]);
        general.rows_add_up("basic", &["basic.personnel", "basic.public"]);
        general.hierarchy_adds_up(&["total", "basic", "basic.personnel", "basic.public"]);
        let fiscal = r.at(Row::Item("合计"), "fiscal.general");
        assert_eq!(general.at(Row::Item("合计"), "total"), fiscal);
        assert_eq!(
            s.get(IN, Row::Item("一、一般公共预算拨款收入"), "total", None),
            fiscal
        );

        let fs = table(t, "fiscal_summary");
        assert_eq!(fs.get(IN, Row::Item("本年收入合计"), "total", None), fiscal);
        assert_eq!(fs.get(IN, Row::Item("收入总计"), "total", None), fiscal);
        for m in ["total", "fiscal.general"] {
            assert_eq!(fs.get(OUT, Row::Item("本年支出合计"), m, None), fiscal);
            assert_eq!(fs.get(OUT, Row::Item("支出总计"), m, None), fiscal);
        }
        let fiscal_classes: i64 = fs
            .0
            .figures
            .iter()
            .filter(|f| f.side.as_deref() == OUT && f.item.contains('、') && f.measure == "total")
            .map(|f| cents(&f.amount_yuan))
            .sum();
        assert_eq!(fiscal_classes, fiscal);

        let basic = table(t, "general_basic_expenditure");
        basic.rows_add_up("total", &["basic.personnel", "basic.public"]);
        basic.hierarchy_adds_up(&["total", "basic.personnel", "basic.public"]);
        assert_eq!(
            basic.at(Row::Item("合计"), "total"),
            general.at(Row::Item("合计"), "basic")
        );

        let three = table(t, "three_public");
        let one = |m| three.at(Row::Item(""), m);
        assert_eq!(
            one("total"),
            one("overseas_travel") + one("vehicles") + one("reception")
        );
        assert_eq!(
            one("vehicles"),
            one("vehicles.purchase") + one("vehicles.operation")
        );

        // Split codes print 类, 款 and 项 apart; the truth holds the joined code.
        if index % 2 == 0 {
            let row = general
                .0
                .body
                .iter()
                .find(|r| r[0].len() == 3 && !r[1].is_empty() && !r[2].is_empty())
                .expect("a 项 row");
            let joined = format!("{}{}{}", row[0], row[1], row[2]);
            assert!(general.codes().contains(&joined), "{joined}");
            assert_eq!(general.0.header[0][0], "科目编码");
            assert_eq!(&general.0.header[1][..3], ["类", "款", "项"]);
        }
    }
}

#[test]
fn final_accounts_add_up() {
    for index in 0..12 {
        let g = generate_final(5, index);
        let t = &g.truth.tables;
        assert_eq!(g.truth.phase, Phase::FinalAccount);
        assert_eq!(g.truth.fiscal_year, 2025);
        for f in t.iter().flat_map(|t| &t.figures) {
            assert!(matches!(f.basis.as_deref(), Some("final" | "budget")));
        }
        let (income, spent) = final_summary_adds_up(t);
        let r = final_revenue_and_expenditure_add_up(t, income, spent);
        let fs = table(t, "fiscal_summary");
        let fin = |i| fs.get(IN, Row::Item(i), "total", None);
        let fout = |i: &str, m: &str| fs.get(OUT, Row::Item(i), m, None);
        let fiscal_income = final_fiscal_summary_adds_up(&fs);
        assert_eq!(r.at(Row::Item("合计"), "fiscal"), fiscal_income);
        assert_eq!(
            table(t, "summary").get(IN, Row::Item("一、一般公共预算财政拨款收入"), "total", None),
            fin("一、一般公共预算财政拨款")
        );
        final_general_and_three_public_add_up(t, fout("本年支出合计", "fiscal.general"));
        let empty = final_fund_tables_add_up(t, &fout);
        let stated: Vec<&str> = g
            .truth
            .empty_tables
            .iter()
            .map(|e| e.table_kind.as_str())
            .collect();
        assert_eq!(stated, empty);
        assert_eq!(empty.len(), usize::from(index % 2 == 1), "{index}");
    }
}

/// A final account's 收入支出决算总表: the year's income and spending add up to their
/// 合计, and 总计 balances on both sides; returns the year's income and spending.
fn final_summary_adds_up(t: &[TruthTable]) -> (i64, i64) {
    let s = table(t, "summary");
    let get_in = |i| s.get(IN, Row::Item(i), "total", None);
    let get_out = |i| s.get(OUT, Row::Item(i), "total", None);
    let income: i64 = [
        "一、一般公共预算财政拨款收入",
        "二、政府性基金预算财政拨款收入",
        "三、国有资本经营预算财政拨款收入",
        "四、上级补助收入",
        "五、事业收入",
        "六、经营收入",
        "七、附属单位上缴收入",
        "八、其他收入",
    ]
    .iter()
    .map(|i| get_in(i))
    .sum();
    assert_eq!(get_in("本年收入合计"), income);
    let total = get_in("本年收入合计") + get_in("使用非财政拨款结余") + get_in("年初结转和结余");
    assert_eq!(get_in("总计"), total);
    let spent: i64 =
        s.0.figures
            .iter()
            .filter(|f| f.side.as_deref() == OUT && f.item.contains('、'))
            .map(|f| cents(&f.amount_yuan))
            .sum();
    assert_eq!(get_out("本年支出合计"), spent);
    assert_eq!(
        get_out("总计"),
        spent + get_out("结余分配") + get_out("年末结转和结余")
    );
    assert_eq!(get_out("总计"), total, "总计 balances");
    (income, spent)
}

/// The revenue and expenditure tables: their columns add up in every row and their rows up
/// the hierarchy, and their 合计 are the summary's year income and spending; returns the
/// revenue table (its 财政拨款 column is the fiscal summary's income).
fn final_revenue_and_expenditure_add_up(t: &[TruthTable], income: i64, spent: i64) -> Figures<'_> {
    let r = table(t, "revenue");
    let sources = [
        "fiscal",
        "superior_subsidy",
        "business_revenue",
        "operating_revenue",
        "affiliate_remittance",
        "other_revenue",
    ];
    r.rows_add_up("total", &sources);
    r.hierarchy_adds_up(&[&["total"][..], &sources[..]].concat());
    assert_eq!(r.at(Row::Item("合计"), "total"), income);

    let e = table(t, "expenditure");
    let uses = [
        "basic",
        "project",
        "remit_to_superior",
        "business_operation",
        "subsidy_to_affiliates",
    ];
    e.rows_add_up("total", &uses);
    e.hierarchy_adds_up(&[&["total"][..], &uses[..]].concat());
    assert_eq!(e.at(Row::Item("合计"), "total"), spent);
    r
}

/// The 财政拨款收入支出决算总表: its income by fund adds up, each spending row's funds add up
/// to its total, the classes to the year's spending, and 总计 balances; returns the year's
/// fiscal income.
fn final_fiscal_summary_adds_up(fs: &Figures) -> i64 {
    let funds = ["fiscal.general", "fiscal.gov_fund", "fiscal.state_capital"];
    let fin = |i| fs.get(IN, Row::Item(i), "total", None);
    let fout = |i, m| fs.get(OUT, Row::Item(i), m, None);
    let fiscal_income = fin("一、一般公共预算财政拨款")
        + fin("二、政府性基金预算财政拨款")
        + fin("三、国有资本经营预算财政拨款");
    assert_eq!(fin("本年收入合计"), fiscal_income);
    assert_eq!(fin("总计"), fiscal_income + fin("年初财政拨款结转和结余"));
    for item in ["本年支出合计", "年末财政拨款结转和结余", "总计"] {
        let parts: i64 = funds.iter().map(|m| fout(item, m)).sum();
        assert_eq!(fout(item, "total"), parts, "{item}");
    }
    for m in [
        "total",
        "fiscal.general",
        "fiscal.gov_fund",
        "fiscal.state_capital",
    ] {
        let classes: i64 =
            fs.0.figures
                .iter()
                .filter(|f| f.side.as_deref() == OUT && f.item.contains('、') && f.measure == m)
                .map(|f| cents(&f.amount_yuan))
                .sum();
        assert_eq!(fout("本年支出合计", m), classes, "{m}");
        assert_eq!(
            fout("总计", m),
            fout("本年支出合计", m) + fout("年末财政拨款结转和结余", m),
            "{m}"
        );
    }
    assert_eq!(fout("总计", "total"), fin("总计"), "fiscal 总计 balances");
    fiscal_income
}

/// The general budget's expenditure and basic expenditure tables (whose 合计 is the fiscal
/// summary's general spending, `general_spent`) and the 三公 table, on both bases.
fn final_general_and_three_public_add_up(t: &[TruthTable], general_spent: i64) {
    let general = table(t, "general_expenditure");
    general.rows_add_up("total", &["basic", "project"]);
    general.hierarchy_adds_up(&["total", "basic", "project"]);
    assert_eq!(general.at(Row::Item("合计"), "total"), general_spent);

    let basic = table(t, "general_basic_expenditure");
    basic.hierarchy_adds_up(&["total"]);
    let personnel = basic.at(Row::Item("人员经费合计"), "total");
    let public = basic.at(Row::Item("公用经费合计"), "total");
    assert_eq!(basic.at(Row::Code("301"), "total"), personnel);
    assert_eq!(basic.at(Row::Code("302"), "total"), public);
    assert_eq!(personnel + public, general.at(Row::Item("合计"), "basic"));

    let three = table(t, "three_public");
    for basis in ["budget", "final"] {
        let one = |m| three.get(None, Row::Item(""), m, Some(basis));
        assert_eq!(
            one("total"),
            one("overseas_travel") + one("vehicles") + one("reception")
        );
        assert_eq!(
            one("vehicles"),
            one("vehicles.purchase") + one("vehicles.operation")
        );
    }
    assert_eq!(three.0.header[2].len(), 12);
}

/// The 政府性基金 and 国有资本经营 tables: each balances row by row and spends what the fiscal
/// summary says that fund spent, or is published empty where the fund spent nothing; returns
/// the kinds published empty.
fn final_fund_tables_add_up(
    t: &[TruthTable],
    fout: &dyn Fn(&str, &str) -> i64,
) -> Vec<&'static str> {
    let mut empty = Vec::new();
    for (kind, fund) in [
        ("gov_fund_expenditure", "fiscal.gov_fund"),
        ("state_capital_expenditure", "fiscal.state_capital"),
    ] {
        let f = table(t, kind);
        if f.0.figures.is_empty() {
            empty.push(kind);
            assert_eq!(fout("本年支出合计", fund), 0);
            continue;
        }
        f.rows_add_up("expenditure", &["basic", "project"]);
        f.hierarchy_adds_up(&[
            "opening_balance",
            "income",
            "expenditure",
            "basic",
            "project",
            "closing_balance",
        ]);
        for code in f.codes() {
            let at = |m| f.at(Row::Code(&code), m);
            assert_eq!(
                at("opening_balance") + at("income") - at("expenditure"),
                at("closing_balance"),
                "{kind} {code}"
            );
        }
        assert_eq!(
            f.at(Row::Item("合计"), "expenditure"),
            fout("本年支出合计", fund)
        );
    }
    empty
}

#[test]
fn final_account_executes_the_budget_at_known_rates() {
    for index in 0..8 {
        let p = generate_panel(9, index);
        let (b, f) = (&p.budget.truth, &p.final_account.truth);
        assert_eq!(
            (b.department.as_str(), b.fiscal_year),
            (f.department.as_str(), 2025)
        );
        assert_eq!(b.phase, Phase::Budget);
        let planned = table(&b.tables, "general_expenditure");
        let done = table(&f.tables, "general_expenditure");
        assert!(!p.execution_rates.is_empty());
        let mut total = 0;
        for (class, rate) in &p.execution_rates {
            let budget = planned.at(Row::Code(class), "total");
            let actual = done.at(Row::Code(class), "total");
            // budget × rate, rounded half up to the hundredth of 万元.
            assert_eq!(
                actual,
                (budget * i64::from(*rate) + 5_000) / 10_000,
                "{class}"
            );
            total += actual;
        }
        assert_eq!(done.at(Row::Item("合计"), "total"), total);
    }
}
