//! Synthetic department-budget PDFs with ground truth: cnbudget's default corpus, the tests'
//! independent path, and the benchmark's load.
//!
//! A seed fixes everything: the same seed gives byte-identical PDFs and truth files.

mod budget;
mod canvas;
#[cfg(test)]
mod family_tests;
mod final_account;
pub mod hostile;
mod national;
mod seed_tables;
mod table;
mod zhejiang;

pub use budget::money;
pub use canvas::{has_glyph, CjkFont};
pub use final_account::{generate_final, generate_panel, Panel};
pub use national::generate_national;
pub use table::{Col, Furniture, Ruling, Style, TruthFigure, TruthTable};
pub use zhejiang::shaoxing_2021;

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

/// Everything a reader should find in one generated document.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Truth {
    pub file: String,
    pub department: String,
    pub fiscal_year: u32,
    /// How the document's CJK text is encoded.
    pub cjk_font: CjkFont,
    pub tables: Vec<TruthTable>,
    /// Inconsistencies written in on purpose (`synth --inject`); the tables above hold the
    /// figures as printed, wrong ones included.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub injected: Vec<Injected>,
    /// A budget (the default, not written) or a final account.
    #[serde(default, skip_serializing_if = "Phase::is_budget")]
    pub phase: Phase,
    /// Tables published without figures, with the statement printed below them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub empty_tables: Vec<EmptyTable>,
}

/// Whether a document is a budget (预算) or a final account (决算).
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    #[default]
    Budget,
    FinalAccount,
}

impl Phase {
    pub fn is_budget(&self) -> bool {
        *self == Phase::Budget
    }
}

/// A table published empty, and the statement saying why.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct EmptyTable {
    /// The table's vocabulary key.
    pub table_kind: String,
    /// The statement as printed (`本年度没有政府性基金预算财政拨款收入和支出，故本表无数据。`).
    pub statement: String,
}

/// The kinds of inconsistency the generator can write into a document.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum InjectionKind {
    /// The function table's 合计 printed 1.00 万元 above the sum of its classes.
    WrongTotal,
    /// A 项 row's 人员经费 cell left blank.
    BlankCell,
    /// The narrative's 基本支出 and 项目支出 figures swapped.
    SwappedNarrative,
}

/// One inconsistency written into a document, and where.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Injected {
    pub kind: InjectionKind,
    /// The table's vocabulary key, none for the narrative.
    pub table_kind: Option<String>,
    /// The row labels (or narrative phrases) changed.
    pub items: Vec<String>,
    /// The measure key of the changed column.
    pub measure: Option<String>,
}

/// One generated document.
pub struct Generated {
    /// File name stem, e.g. `synth-0001`.
    pub stem: String,
    pub pdf: Vec<u8>,
    pub truth: Truth,
}

/// Generates document `index` of the corpus drawn from `seed`.
pub fn generate(seed: u64, index: u32) -> Generated {
    generate_with(seed, index, false)
}

/// Generates document `index`; with `inject`, one inconsistency is written into it (the kind
/// cycles with the index), recorded in its truth. The figures drawn are the same either way.
pub fn generate_with(seed: u64, index: u32, inject: bool) -> Generated {
    let mut rng =
        ChaCha8Rng::seed_from_u64(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ u64::from(index));
    // Every fourth document carries long tables that run over a page break.
    let b = budget::Budget::generate(&mut rng, index % 4 == 3);
    // The function table is ruled cell by cell with lines, only around the header (a stream
    // table), or with thin filled rectangles, in turn.
    let ruling = [Ruling::Grid, Ruling::HeaderOnly, Ruling::Filled][index as usize % 3];
    // Every other document justifies its short header words; every fifth stores its summary
    // on a landscape page turned by /Rotate 90.
    let style = Style {
        rotated: index % 5 == 2,
        justified: index % 2 == 1,
    };
    let injection = inject.then(|| {
        [
            InjectionKind::WrongTotal,
            InjectionKind::BlankCell,
            InjectionKind::SwappedNarrative,
        ][index as usize % 3]
    });
    let (pages, tables, injected) = budget::draw(&b, ruling, style, injection);
    let stem = format!("synth-{index:04}");
    // Half the documents embed a subset CJK font (Identity-H), half use the predefined CMap.
    let cjk_font = if index % 4 >= 2 {
        CjkFont::Embedded
    } else {
        CjkFont::Predefined
    };
    let title = format!("{}{}年部门预算", b.department, b.year);
    let pdf = canvas::build_pdf(pages, &title, cjk_font);
    let truth = Truth {
        file: format!("{stem}.pdf"),
        department: b.department.into(),
        fiscal_year: b.year,
        cjk_font,
        tables,
        injected,
        phase: Phase::Budget,
        empty_tables: Vec::new(),
    };
    Generated { stem, pdf, truth }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_bytes() {
        let (a, b) = (generate(7, 3), generate(7, 3));
        assert_eq!(a.pdf, b.pdf);
        assert_eq!(a.truth, b.truth);
        assert_ne!(generate(7, 4).pdf, a.pdf);
    }

    #[test]
    fn tables_add_up() {
        for index in 0..8 {
            let g = generate(1, index);
            let f = g
                .truth
                .tables
                .iter()
                .find(|t| t.kind == "general_expenditure")
                .unwrap();
            let parse = |s: &str| {
                if s.is_empty() {
                    0
                } else {
                    s.replace([',', '.'], "").parse::<i64>().unwrap()
                }
            };
            for row in &f.body {
                let parts: i64 = row[3..6].iter().map(|s| parse(s)).sum();
                assert_eq!(
                    parse(&row[2]),
                    parts,
                    "row total = personnel + public + project: {row:?}"
                );
            }
            let classes: i64 = f
                .body
                .iter()
                .filter(|r| r[0].len() == 3)
                .map(|r| parse(&r[2]))
                .sum();
            assert_eq!(parse(&f.body[0][2]), classes, "合计 = Σ classes");
            let s = &g.truth.tables[0];
            let last = s.body.last().unwrap();
            assert_eq!(last[1], last[3], "收入合计 = 支出合计");
        }
    }
}
