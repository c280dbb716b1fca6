//! `docs/vocabulary.md`, made from the tables the grammar reads with: the words of table
//! titles, header words, narrative phrases and function classes. The page is generated, never
//! edited: `cargo test` fails when it differs from what these tables make, and
//! `CNBUDGET_BLESS=1 cargo test -p cnbudget-grammar vocabulary` writes it anew.

use crate::label::{SummaryRow, FUNCTION_CLASSES, FUNDS, HEADERS, SUBTOTALS, TOTALS};
use crate::measure::{ASIDE_WORDS, BASIS_WORDS, CHANGE_WORDS, MEASURE_WORDS};
use crate::narrative::{COUNTS, PHRASES};
use crate::title::{TableKind, Word, KIND_RULES, WORDS};
use std::collections::BTreeMap;
use std::fmt::Write;

/// Rows `key | words` in first-seen order of the keys.
fn grouped<'a>(pairs: impl Iterator<Item = (String, &'a str)>) -> String {
    let mut order: Vec<String> = Vec::new();
    let mut words: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for (key, word) in pairs {
        if !words.contains_key(&key) {
            order.push(key.clone());
        }
        words.entry(key).or_default().push(word);
    }
    let mut out = String::new();
    for key in order {
        let _ = writeln!(out, "| `{key}` | {} |", words[&key].join(", "));
    }
    out
}

/// The title part a word sets, as the page names it.
fn part(w: Word) -> String {
    match w {
        Word::Fund(f) => format!("fund = {}", <&str>::from(f)),
        Word::Spending(s) => format!("spending = {}", <&str>::from(s)),
        Word::Topic(t) => format!("topic = {}", <&str>::from(t)),
        Word::Flow(f) => format!("flow = {}", <&str>::from(f)),
        Word::Breakdown(b) => format!("breakdown = {}", <&str>::from(b)),
        Word::Form(f) => format!("form = {}", <&str>::from(f)),
        Word::WholeDepartment => "whole_department".into(),
        Word::Level => "level (read, no part)".into(),
    }
}

/// The whole page.
pub fn markdown() -> String {
    let mut out = String::from(HEAD);
    out.push_str(TITLES);
    out.push_str("| part | words |\n|---|---|\n");
    out.push_str(&grouped(WORDS.iter().map(|(t, w)| (part(*w), *t))));
    let _ = write!(out, "\n{KIND_RULES}\n");
    out.push_str("\nKinds: ");
    let kinds: Vec<String> = <TableKind as strum::IntoEnumIterator>::iter()
        .map(|k| format!("`{}`", k.key()))
        .collect();
    out.push_str(&kinds.join(", "));
    out.push_str(".\n");
    out.push_str(MEASURES);
    out.push_str("| measure | header words |\n|---|---|\n");
    out.push_str(&grouped(
        MEASURE_WORDS.iter().map(|(w, m)| (m.key().to_string(), *w)),
    ));
    out.push_str(BASES);
    out.push_str("| basis | header words |\n|---|---|\n");
    out.push_str(&grouped(BASIS_WORDS.iter().map(|(w, b)| {
        let key: &str = (*b).into();
        (key.to_string(), *w)
    })));
    out.push_str(PERIODS);
    let words: Vec<String> = CHANGE_WORDS.iter().map(|w| format!("`{w}`")).collect();
    let _ = writeln!(out, "Change words: {}.\n", words.join(", "));
    let words: Vec<String> = ASIDE_WORDS.iter().map(|w| format!("`{w}`")).collect();
    let _ = writeln!(
        out,
        "Aside columns (text, no part of a row's name): {}.",
        words.join(", ")
    );
    out.push_str(FACTS);
    out.push_str("| fact key | phrases |\n|---|---|\n");
    out.push_str(&grouped(PHRASES.iter().map(|(p, k)| (k.to_string(), *p))));
    out.push_str("\n| count key | phrase … measure word |\n|---|---|\n");
    for (phrase, word, key) in COUNTS {
        let _ = writeln!(out, "| `{key}` | {phrase} … {word} |");
    }
    out.push_str(CODES);
    out.push_str("| class | names |\n|---|---|\n");
    out.push_str(&grouped(
        FUNCTION_CLASSES.iter().map(|(n, c)| (c.to_string(), *n)),
    ));
    out.push_str(ROWS);
    out.push_str("| row | names |\n|---|---|\n");
    let rows = [
        ("total", TOTALS),
        ("subtotal", SUBTOTALS),
        ("year_header", HEADERS),
        ("balance_fund", FUNDS),
    ];
    out.push_str(&grouped(rows.iter().flat_map(|(role, names)| {
        names.iter().map(move |n| (role.to_string(), *n))
    })));
    out.push_str(&grouped(
        <SummaryRow as strum::IntoEnumIterator>::iter().flat_map(|r| {
            let key: &str = r.into();
            r.words()
                .iter()
                .map(move |w| (format!("summary.{key}"), *w))
        }),
    ));
    out.push_str(REST);
    out
}

const HEAD: &str = "# cnbudget vocabulary (the project's extension of `../shared/reference/vocabulary.md`)

Generated from the tables in `crates/grammar` (`crates/grammar/src/vocabulary.rs`); do not edit:
change the table, then run `CNBUDGET_BLESS=1 cargo test -p cnbudget-grammar vocabulary`. The
shared vocabulary's keys are used unchanged; this page lists what the code matches to them and
the keys the project adds (table kinds, title parts, narrative fact keys, code sources,
department keys).

Where to add a new form of the budget language — one answer each:

| a new … | goes into |
|---|---|
| title word (a fund source, a form, a topic) | `WORDS` in `crates/grammar/src/title.rs`; a new kind: `TableKind` and `TitleParts::kind` there |
| header word of a figure column | `MEASURE_WORDS` in `crates/grammar/src/measure.rs` |
| narrative phrase naming a figure | `PHRASES` in `crates/grammar/src/narrative.rs` |
| function class name | `FUNCTION_CLASSES` in `crates/grammar/src/label.rs` |
";

const TITLES: &str = "
## Table titles → parts → `table_kind`

A title is read in parts (`crates/grammar/src/title.rs`): its printed number (`预算01表`,
`公开06表`, `表一`, `表3-1`, `-6`, `一、`) and year (`2026年`, `2026年度`) are cut off the front; a
sentence leading to it (`具体资金情况如下表：`) is dropped; brackets give the breakdown
(`（按支出经济分类科目）`), a fund (`（一般公共预算）`) or a qualifier (`（不含上年结转）`); the rest
is read word by word, the longest known word at each place, free text (a department's name)
skipped — the free text before the first word is the title's `subject`. `决算` anywhere makes
the title a final account's (`phase = final_account`); 财政拨款 is the broadest fund source, so
a title naming another as well is that one's. The parts reach the dataset
(`line_items.fund`, `spending`, `breakdown`, `table_no`, `phase`).

";

const MEASURES: &str = "
## Header words → `measure`

A column's header path (`基本支出/人员经费`) is read level by level; `小计` and a group's `合计`
take the group's own measure (`一般公共预算基本支出/合计` → `basic`); `收入`/`支出` set the side and
`功能分类`/`支出用途`/`经济分类` the breakdown. A row's whole amount is `total` in every layout (合计, 总计, 金额, 预算数 as a table's one figure column; the shared vocabulary's key, formerly `amount`).

A header word a narrow cell cuts short (`务用车购置及运行维护`, what the cell shows of
公务用车购置及运行维护费) stands for the one measure whose words hold it, if it is five characters
or more and at least 60 % of the shortest word holding it; `total` is never guessed so.
Procurement columns beside a table's spending (Shenzhen's 支出总表: `2026年政府采购项目` over
`小计` and the shares reserved for small firms) are `procurement`, `procurement.sme_reserved`
and `procurement.small_micro_reserved`: a header under the procurement group or its shares, or
one naming 政府采购 itself, that names 预留 is the first share where it names 中小 (中小企业,
中小微企业) and the second where it names 小型、微型企业, 小型和微型企业 or 小微企业. They cut
across a row's parts and add to no total of theirs. In a procurement table with no 合计 of its
own, `procurement` is the row's `total`. `special_account.education_fees` and
`special_account.other` are read only under the special account's group.

";

const BASES: &str = "
Final accounts (决算) print their balances as columns of the fund tables — `opening_balance`
(年初结转和结余), `income` (本年收入), `expenditure` (本年支出, its 小计), `closing_balance`
(年末结转和结余) — and as rows of the two 总表 (使用非财政拨款结余, 结余分配, 年初 / 年末结转和结余:
the row's name is the item, its figure `total`). 人员经费合计 / 公用经费合计 are rows of the basic
expenditure table. The 决算 tables are the budget's kinds (收入支出决算总表 is a `summary`, 一般公共
预算财政拨款基本支出决算表 a `general_basic_expenditure` …) with `phase = final_account`: one kind
per table family, so a budget and its final account join on kind, code and measure. A table
printed without figures and with a statement saying so (`…故本表无数据。`, `公开空表`:
`EMPTY_TABLE` in `crates/grammar/src/narrative.rs`) is disclosed empty
(`documents.empty_tables`), which differs from a table missing.

## Header words → `basis`

Which figure of the year a column holds (`line_items.basis`): `budget` (the budget passed at the
start of the year), `adjusted_budget` (as adjusted during the year), `final` (what was received
or spent). A column whose header names none holds its document's own: `budget` in a budget,
`final` in a final account. 三公 tables of a final account print `budget` and `final` for each
part; a header naming only the basis (`预算数`, `决算数`) is the row's `total` on that basis.

";

const PERIODS: &str = "
## Other years and changes (added by this project)

A column whose header names a year other than the document's own (`2020年` beside `2021年`) or a
change on the year before (`增减变化情况`) keeps its measure and says which in
`line_items.period_year` / `line_items.change`; its figures are checked within their table only
(the narrative and the other tables state the document's own year). A header naming the
document's own year (`2026年预算数`) is its own.

";

const FACTS: &str = "
## Narrative fact keys (added by this project)

A figure stated in a sentence is named by the nearest phrase before it in its clause; a clause
stating a change (`增加`, `减少`, `增长`, `下降`, `相比`, `比上年` …) gives no fact; a share (`占 34.5%`) in the
same or the next clause is kept with it. Function classes are `expenditure.function.<code>`
(`一般公共服务支出`, `一般公共服务（类）支出`); listed after a basic or project spending figure
(`项目支出预算 417.41 万元，…，其中：一般公共服务支出 417.41 万元`) they are its parts,
`expenditure.basic.function.<code>` and `expenditure.project.function.<code>`. A phrase
qualified as carried over or as one source (`上年结转结余的一般公共预算收入`,
`上级专项转移支付支出预算`) names no fact.

";

const CODES: &str = "
## Item codes

- Printed codes: 3/5/7 digits are function codes (类/款/项), or economic (类/款) where the
  title says so (`按经济分类`) or, saying nothing, the table is one of basic expenditure by
  economic class (`fiscal_basic_expenditure`, `general_basic_expenditure`, `basic_expenditure`,
  `operating_costs`); 6 or 9+ digits are unit codes (`253001`, `253001001`). `parent_code` is
  the code two digits shorter.
- `code_source`: `printed`, or `inferred` where a row name is exactly a function class name
  (old and new names below), in rows by function or on the expenditure side of a summary not
  broken down by use, or `document` where a row printed by name only (a Zhejiang summary's 款
  and 项) takes the code another table of the same document prints beside that name, under the
  class and 款 the rows above it are in.

";

const ROWS: &str = "
## Row names (added by this project)

What a row's name (numbering and code taken off) says of its place among the rows, as the audit
reads it (`crates/grammar/src/label.rs`): totals and subtotals close the rows above them, a year
header opens the rows below it, a balance carried over (a name holding `结转`) is split by fund on
the unnumbered rows below it; a summary row names a part of the budget whose figure the
narrative and the other tables state too. `total` to `balance_fund` are whole names; a
`summary.…` row's name starts with one of its words. Numbering ranks a row: `一、` 1, `（一）` 2,
`1.` 3, `(1)` 4, `①` 5; `其中` makes it a part of the row above.

";

const REST: &str = "
## Departments

`department.key` groups a department across years and file names: NFKC, no spaces,
`中国共产党` and a leading `中共` dropped, `委员会` → `委`, a trailing `本级` dropped; the province or
city prefix stays. `name_raw` keeps the printed name. An alias file merges renamed departments:

```toml
[departments]
\"江苏省人大常委会办公厅\" = \"江苏省人民代表大会常务委员会办公厅\"
```

## Units

`单位：元` / `单位：万元` / `金额单位：万元` above each table. A table printing none takes the unit every
other table of its document prints; with none, or disagreement, its records have no `amount_yuan`
and a `unit_missing` diagnostic (never a default of 万元). 万元 × 10 000 = 元, exactly (`Decimal`).
";

#[cfg(test)]
mod tests {
    /// `docs/vocabulary.md` is what the tables make (check mode; bless with CNBUDGET_BLESS=1).
    #[test]
    fn vocabulary_page_is_generated() {
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/vocabulary.md");
        let page = super::markdown();
        if std::env::var_os("CNBUDGET_BLESS").is_some() {
            std::fs::write(&path, &page).unwrap();
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == page,
            "docs/vocabulary.md is out of date: run CNBUDGET_BLESS=1 cargo test -p cnbudget-grammar vocabulary"
        );
    }
}
