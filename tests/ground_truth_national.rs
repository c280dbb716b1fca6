//! The families beyond the Jiangsu corpus read through the whole pipeline, scored as
//! `ground_truth.rs` scores the corpus (precision and recall printed; both must be 100 %):
//! budgets in other provinces' layouts (`generate_national`: 情况表 titles, codes split into
//! 类 / 款 / 项, the number above or beside the title), and final accounts (`generate_final`:
//! the nine 决算 tables) with the same department's budget of the year beside each.
//!
//! What the reader does not record yet is reported, not scored: the basis of a figure
//! (预算数 / 决算数), which the truth gives in final accounts.

mod common;

use cnbudget_grammar::Phase;
use cnbudget_synth::{generate_national, generate_panel, Generated};
use common::score::{record_keys, truth_keys, Codes, Key, Score};

/// Documents of each family (a few seconds each).
const N: u32 = 24;

/// The seed of the families' documents here.
const SEED: u64 = 2026;

/// Scores `g` into `score`, and into `layout` too (the score of documents printing codes
/// as `g` does: split into 类 / 款 / 项 in even documents, joined in odd ones), its printed
/// codes into `codes`; returns its records' phase.
fn read(g: &Generated, score: &mut Score, layout: &mut Score, codes: &mut Codes) -> Phase {
    let records = common::records(&g.pdf, &g.truth.file);
    for s in [score, layout] {
        s.add(&g.truth.file, truth_keys(&g.truth), record_keys(&records));
    }
    codes.add(&g.truth.file, &g.truth, &records);
    records.phase
}

/// The scores of documents with codes split (even) and joined (odd), printed.
fn print_layouts(what: &str, layouts: &[Score; 2]) {
    for (score, codes) in layouts
        .iter()
        .zip(["split into 类 / 款 / 项", "in one column"])
    {
        let truth = score.matched + score.missed.len();
        eprintln!(
            "{what}, codes {codes}: {} of {truth} figures found, {} invented",
            score.matched,
            score.invented.len()
        );
    }
}

/// Keys with the measure left out: whether the reader found the figure at all.
fn measure_blind(keys: Vec<Key>) -> Vec<Key> {
    keys.into_iter()
        .map(|(kind, side, item, _, basis, yuan)| (kind, side, item, String::new(), basis, yuan))
        .collect()
}

#[test]
fn national_layouts_all_found_none_invented() {
    let (mut score, mut codes) = (Score::default(), Codes::default());
    let mut layouts: [Score; 2] = Default::default();
    let mut phases = Vec::new();
    for index in 0..N {
        let g = generate_national(SEED, index);
        let layout = &mut layouts[index as usize % 2];
        if read(&g, &mut score, layout, &mut codes) != Phase::Budget {
            phases.push(g.truth.file.clone());
        }
    }
    let what = format!("national layouts ({N} documents)");
    print_layouts(&what, &layouts);
    score.print(&what);
    codes.print(&what);
    assert!(phases.is_empty(), "read as final accounts: {phases:?}");
    score.report(&what);
    codes.report(&what);
}

#[test]
fn final_accounts_all_found_none_invented() {
    let (mut score, mut codes) = (Score::default(), Codes::default());
    let (mut budgets, mut budget_codes) = (Score::default(), Codes::default());
    let mut blind = Score::default();
    let mut layouts: [Score; 2] = Default::default();
    let mut budget_layouts: [Score; 2] = Default::default();
    let mut phases = Vec::new();
    let (mut based, mut budget_basis, mut empty_seen) = (0, 0, 0);
    for index in 0..N {
        let p = generate_panel(SEED, index);
        let f = &p.final_account;
        let layout = &mut layouts[index as usize % 2];
        if read(f, &mut score, layout, &mut codes) != Phase::FinalAccount {
            phases.push(f.truth.file.clone());
        }
        let records = common::records(&f.pdf, &f.truth.file);
        // A table published empty is read as disclosed empty, with its statement; no other is.
        let empty: Vec<(String, String)> = records
            .empty_tables
            .iter()
            .map(|t| (t.kind.key().to_string(), t.statement.clone()))
            .collect();
        let stated: Vec<(String, String)> = f
            .truth
            .empty_tables
            .iter()
            .map(|e| (e.table_kind.clone(), e.statement.clone()))
            .collect();
        assert_eq!(empty, stated, "{}: tables disclosed empty", f.truth.file);
        empty_seen += empty.len();
        blind.add(
            &f.truth.file,
            measure_blind(truth_keys(&f.truth)),
            measure_blind(record_keys(&records)),
        );
        for fig in f.truth.tables.iter().flat_map(|t| &t.figures) {
            based += 1;
            budget_basis += usize::from(fig.basis.as_deref() == Some("budget"));
        }
        let layout = &mut budget_layouts[index as usize % 2];
        if read(&p.budget, &mut budgets, layout, &mut budget_codes) != Phase::Budget {
            phases.push(p.budget.truth.file.clone());
        }
    }
    eprintln!(
        "final accounts: {based} figures in truth, {budget_basis} of them 预算数; \
         {empty_seen} tables disclosed empty"
    );
    assert!(empty_seen > 0, "the generator publishes some tables empty");
    let panel = format!("the panel's budgets ({N} documents)");
    print_layouts(&panel, &budget_layouts);
    budgets.print(&panel);
    budget_codes.print(&panel);
    blind.classes();
    let found = blind.matched + blind.invented.len();
    eprintln!(
        "final accounts, measures aside: {} of {} figures found, {found} read",
        blind.matched,
        blind.matched + blind.missed.len()
    );
    let what = format!("final accounts ({N} documents)");
    print_layouts(&what, &layouts);
    score.print(&what);
    codes.print(&what);
    assert!(phases.is_empty(), "read in the wrong phase: {phases:?}");
    budgets.report(&panel);
    budget_codes.report(&panel);
    score.report(&what);
    codes.report(&what);
}
