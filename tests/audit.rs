//! The arithmetic audit end to end: the Zhejiang seed's own errors, inconsistencies injected
//! into generated documents, and the findings on the real Jiangsu corpus (each confirmed on
//! the page, see `docs/audit.md`).

mod common;

use cnbudget_audit::{audit, Check, Finding, Severity};
use cnbudget_grammar::{Measure, TableKind};
use cnbudget_synth::InjectionKind;
use rust_decimal::Decimal;
use std::str::FromStr;

fn errors(findings: &[Finding]) -> Vec<&Finding> {
    findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .collect()
}

/// An expected error: check, table, item, measure, printed and expected yuan.
type Expected<'a> = (
    Check,
    Option<TableKind>,
    &'a str,
    Option<Measure>,
    &'a str,
    &'a str,
);

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

/// Every error of the seed (read off `../shared/seed` by hand), and nothing else at `error`.
#[test]
fn seed_budget_errors_are_all_found_and_nothing_else() {
    let g = cnbudget_synth::shaoxing_2021();
    let result = audit(&common::records(&g.pdf, &g.truth.file));
    use Check::*;
    use TableKind as K;
    let narrative = None;
    // (check, table, item, measure, printed yuan, expected yuan)
    let expected: Vec<Expected> = vec![
        // (四): 住房保障 and 社会保障和就业 swapped.
        (
            Narrative,
            narrative,
            "住房保障支出",
            None,
            "202100",
            "244896.00",
        ),
        // (六): 一般公共预算基本支出 stated as the 一般公共服务 class figure.
        (
            Narrative,
            narrative,
            "基本支出",
            None,
            "4621100",
            "2184299.82",
        ),
        (
            Narrative,
            narrative,
            "社会保障和就业支出",
            None,
            "244900",
            "202070.16",
        ),
        // 收支预算总表: 本年收入合计 two fen short of its one part.
        (
            TotalSum,
            Some(K::Summary),
            "本年收入合计",
            Some(Measure::Total),
            "5068099.80",
            "5068099.82",
        ),
        // 支出预算总表: 公用经费 left blank in the unit, 201 and 20103 rows.
        (
            ParentSum,
            Some(K::Expenditure),
            "政府办公厅（室）及相关机构事务",
            Some(Measure::BasicPublic),
            "0",
            "435519.18",
        ),
        (
            RowTotal,
            Some(K::Expenditure),
            "一般公共服务支出",
            Some(Measure::Total),
            "4621133.66",
            "4185614.48",
        ),
        (
            RowTotal,
            Some(K::Expenditure),
            "政府办公厅（室）及相关机构事务",
            Some(Measure::Total),
            "4621133.66",
            "4185614.48",
        ),
        (
            RowTotal,
            Some(K::Expenditure),
            "绍兴市大数据发展管理局本级",
            Some(Measure::Total),
            "5068099.82",
            "4632580.64",
        ),
        // 财政拨款收支预算总表: the 201 class prints the grand total; its 款 is 10 yuan short.
        (
            ParentSum,
            Some(K::FiscalSummary),
            "一般公共服务支出",
            Some(Measure::Total),
            "5068099.82",
            "4621133.66",
        ),
        (
            ParentSum,
            Some(K::FiscalSummary),
            "政府办公厅(室)及相关机构事务",
            Some(Measure::Total),
            "4621123.66",
            "4621133.66",
        ),
    ];
    let found: Vec<_> = errors(&result.findings)
        .into_iter()
        .map(|f| {
            (
                f.check,
                f.table_kind,
                f.item.as_str(),
                f.measure,
                f.printed_yuan,
                f.expected_yuan,
            )
        })
        .collect();
    let expected: Vec<_> = expected
        .into_iter()
        .map(|(c, t, i, m, p, e)| (c, t, i, m, d(p), d(e)))
        .collect();
    assert_eq!(found, expected);
    assert!(
        result.checked > 150,
        "{} identities checked",
        result.checked
    );
}

/// Clean generated documents have no error; each injected inconsistency is found, and only
/// the findings it explains are errors (two, or three where a second table contradicts it).
#[test]
fn injected_inconsistencies_are_found_and_clean_documents_pass() {
    for index in 0..45 {
        let clean = cnbudget_synth::generate(11, index);
        let r = audit(&common::records(&clean.pdf, &clean.truth.file));
        assert!(r.checked >= 40, "{}: {} checked", clean.stem, r.checked);
        assert!(
            errors(&r.findings).is_empty(),
            "{}: {:#?}",
            clean.stem,
            errors(&r.findings)
        );

        let dirty = cnbudget_synth::generate_with(11, index, true);
        let r = audit(&common::records(&dirty.pdf, &dirty.truth.file));
        let errs = errors(&r.findings);
        let [inj] = dirty.truth.injected.as_slice() else {
            panic!("{}: one injection expected", dirty.stem)
        };
        let row = |item: &str, check: Check, measure: Measure| {
            errs.iter().any(|f| {
                f.table_kind == Some(TableKind::GeneralExpenditure)
                    && f.item == item
                    && f.check == check
                    && f.measure == Some(measure)
            })
        };
        let ok = match inj.kind {
            InjectionKind::WrongTotal => {
                row("合计", Check::TotalSum, Measure::Total)
                    && row("合计", Check::RowTotal, Measure::Total)
            }
            // The row's total no longer adds up, nor does its 款's 人员经费.
            InjectionKind::BlankCell => {
                row(&inj.items[0], Check::RowTotal, Measure::Total)
                    && errs.iter().any(|f| {
                        f.check == Check::ParentSum
                            && f.measure == Some(Measure::BasicPersonnel)
                            && f.item_code.as_ref().is_some_and(|c| c.len() == 5)
                    })
            }
            InjectionKind::SwappedNarrative => inj.items.iter().all(|phrase| {
                errs.iter()
                    .any(|f| f.check == Check::Narrative && f.item == *phrase)
            }),
        };
        assert!(ok, "{}: {inj:?} not found in {errs:#?}", dirty.stem);
        // Every error is one the injection explains: at the changed row (and, for a wrong
        // 合计, the 财政拨款收支预算总表 it now contradicts), at its 款, or in the narrative.
        let explained = |f: &&Finding| match inj.kind {
            InjectionKind::WrongTotal => {
                f.item == "合计" && f.table_kind == Some(TableKind::GeneralExpenditure)
            }
            InjectionKind::BlankCell => {
                f.item == inj.items[0]
                    || (f.check == Check::ParentSum && f.measure == Some(Measure::BasicPersonnel))
            }
            InjectionKind::SwappedNarrative => f.check == Check::Narrative,
        };
        assert!(errs.iter().all(explained), "{}: {errs:#?}", dirty.stem);
        assert!(errs.len() <= 3, "{}: {errs:#?}", dirty.stem);
    }
}

/// The real corpus: every identity holds except one narrative figure of 检察院 2017, confirmed
/// on page 19 (基本支出预算数 printed 12323.46 万元; the tables and page 19's own 支出预算
/// paragraph print 12323.48, and 12323.48 + 5533 + 140.2 = 17996.68).
#[test]
fn real_corpus_findings_are_the_confirmed_ones() {
    let Some(files) = common::real_corpus() else {
        return;
    };
    let mut all = Vec::new();
    for f in &files {
        let bytes = std::fs::read(f).unwrap();
        let name = f.file_name().unwrap().to_string_lossy().into_owned();
        let records = common::records(&bytes, &name);
        let r = audit(&records);
        if !records.tables.is_empty() {
            assert!(r.checked >= 40, "{name}: only {} checked", r.checked);
        }
        all.extend(errors(&r.findings).into_iter().map(|e| {
            (
                name.clone(),
                e.page,
                e.check,
                e.item.clone(),
                e.printed_yuan,
                e.expected_yuan,
            )
        }));
    }
    assert_eq!(
        all,
        vec![(
            "2017年省检察院部门预算.pdf".to_string(),
            Some(19),
            Check::Narrative,
            "基本支出预算数".to_string(),
            d("123234600"),
            d("123234800"),
        )]
    );
}

/// A Jiangsu department publishes its narrative and its tables as two files: `cnbudget check`
/// over the folder checks each narrative-only file against its tables' file (same department
/// and year, same folder first), and finds nothing but the confirmed error.
#[test]
fn narrative_only_files_are_checked_against_their_tables_file() {
    if common::real_corpus().is_none() {
        return;
    }
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/real");
    // A generated budget of the same department and year (中共江苏省委办公厅 2017) beside the
    // folder: the tables file in the narrative's own folder is still the one chosen.
    let namesake = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/synth-0003.pdf");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_cnbudget"))
        .arg("check")
        .arg(&dir)
        .arg(&namesake)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(2), "{text}");
    assert_eq!(
        text.matches("narrative checked against the tables of")
            .count(),
        4,
        "{text}"
    );
    assert_eq!(text.matches("  ERROR").count(), 1, "{text}");
    assert!(text.contains("12323.46"), "{text}");
}

/// Verified figures (`line_items.verified`): in clean generated documents every figure that
/// takes part in an identity is verified; an injected inconsistency unverifies exactly the
/// figures all of whose identities it breaks — the wrong 合计 itself (its column sum, its row
/// sum and, where the document prints one, the 财政拨款收支预算总表 figure all disagree with
/// it) — and takes held identities from the figures of a broken identity that other
/// identities still confirm.
#[test]
fn an_injected_inconsistency_unverifies_exactly_the_figures_it_breaks() {
    use cnbudget_audit::Place;
    use std::collections::BTreeMap;
    let tallies = |g: &cnbudget_synth::Generated| {
        let records = common::records(&g.pdf, &g.truth.file);
        let a = audit(&records);
        let by_place: BTreeMap<Place, (cnbudget_audit::Tally, String, Option<Measure>)> = records
            .line_items
            .iter()
            .map(|i| (Place::of(i), (a.tally(i), i.item_name.clone(), i.measure)))
            .collect();
        (by_place, a)
    };
    let mut seen = [0; 3];
    for index in 0..45 {
        let (clean, _) = tallies(&cnbudget_synth::generate(11, index));
        let unverified: Vec<_> = clean
            .values()
            .filter(|(t, ..)| t.checks > 0 && !t.verified())
            .collect();
        assert!(unverified.is_empty(), "{index}: {unverified:?}");
        let dirty_doc = cnbudget_synth::generate_with(11, index, true);
        let (dirty, a) = tallies(&dirty_doc);
        let inj = &dirty_doc.truth.injected[0];
        let newly: Vec<(&str, Option<Measure>)> = dirty
            .iter()
            .filter(|(p, (t, ..))| !t.verified() && clean.get(p).is_some_and(|c| c.0.verified()))
            .map(|(_, (_, name, m))| (name.as_str(), *m))
            .collect();
        // Figures whose tally lost held identities: those of the broken ones.
        let lost: usize = dirty
            .iter()
            .filter_map(|(p, (t, ..))| clean.get(p).map(|c| c.0.held.saturating_sub(t.held)))
            .map(usize::from)
            .sum();
        let failing = a.checked - a.held;
        match inj.kind {
            InjectionKind::WrongTotal => {
                seen[0] += 1;
                assert_eq!(newly, vec![("合计", Some(Measure::Total))], "{index}");
                assert!(failing >= 2, "{index}: {failing}");
            }
            InjectionKind::BlankCell => {
                seen[1] += 1;
                assert!(newly.is_empty(), "{index}: {newly:?}");
                assert!(lost > 0, "{index}");
            }
            InjectionKind::SwappedNarrative => {
                seen[2] += 1;
                assert!(newly.is_empty(), "{index}: {newly:?}");
                assert_eq!(failing, 2, "{index}: the two swapped figures");
            }
        }
    }
    assert!(seen.iter().all(|&n| n > 0), "{seen:?}");
}
