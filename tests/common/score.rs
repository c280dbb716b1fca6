//! Scoring a reading against the generator's truth: every figure found with its table kind,
//! side, row label, measure and exact yuan, none invented (`tests/ground_truth*.rs`).

use cnbudget_normalize::DocumentRecords;
use cnbudget_synth::Truth;
use std::collections::BTreeMap;

/// A figure: table kind, side, row label (as printed, or as named: [`Label`]; spaces aside:
/// the table stage drops the justification spaces of CJK text), measure, basis, exact yuan.
pub type Key = (String, Option<String>, String, String, String, String);

pub fn label(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

pub fn truth_keys(truth: &Truth) -> Vec<Key> {
    truth
        .tables
        .iter()
        .flat_map(|t| {
            t.figures.iter().map(|f| {
                (
                    t.kind.clone(),
                    f.side.clone(),
                    label(&f.item),
                    f.measure.clone(),
                    // A budget's truth names no basis: its figures are all budget figures.
                    f.basis.clone().unwrap_or_else(|| "budget".into()),
                    f.amount_yuan.clone(),
                )
            })
        })
        .collect()
}

pub fn key_of<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// Which label a figure's key holds: as printed (to compare with a generator's truth, which
/// says what it printed), or as the dataset names it (`item_name`: to compare two readings of
/// one print, which may differ in a full-width `＝` the name makes `=`).
#[derive(Clone, Copy, Default)]
pub enum Label {
    #[default]
    Printed,
    Named,
}

pub fn record_keys(r: &DocumentRecords) -> Vec<Key> {
    keys_by(r, Label::Printed)
}

pub fn keys_by(r: &DocumentRecords, by: Label) -> Vec<Key> {
    r.line_items
        .iter()
        .map(|i| {
            (
                i.table_kind.key().to_string(),
                i.side.map(|s| key_of(&s)),
                label(&match by {
                    Label::Printed => i.item_name_raw.to_string(),
                    Label::Named => i.item_name.to_string(),
                }),
                i.measure.map_or(String::new(), |m| m.key().to_string()),
                <&str>::from(i.basis).to_string(),
                i.amount_yuan
                    .map_or(String::new(), |y| y.normalize().to_string()),
            )
        })
        .collect()
}

/// Matched, missed (in truth only) and invented (found only) figures, as multisets.
#[derive(Default)]
pub struct Score {
    pub matched: usize,
    pub missed: Vec<Key>,
    pub invented: Vec<Key>,
}

impl Score {
    pub fn add(&mut self, doc: &str, mut truth: Vec<Key>, mut found: Vec<Key>) {
        truth.sort();
        found.sort();
        let (mut i, mut j) = (0, 0);
        while i < truth.len() || j < found.len() {
            match (truth.get(i), found.get(j)) {
                (Some(t), Some(f)) if t == f => {
                    self.matched += 1;
                    i += 1;
                    j += 1;
                }
                (Some(t), Some(f)) if t < f => {
                    self.missed.push(tag(doc, t));
                    i += 1;
                }
                (Some(t), None) => {
                    self.missed.push(tag(doc, t));
                    i += 1;
                }
                (_, Some(f)) => {
                    self.invented.push(tag(doc, f));
                    j += 1;
                }
                (None, None) => break,
            }
        }
    }

    /// Prints precision and recall, and the classes of error.
    pub fn print(&self, what: &str) {
        let found = self.matched + self.invented.len();
        let truth = self.matched + self.missed.len();
        let precision = self.matched as f64 / found.max(1) as f64;
        let recall = self.matched as f64 / truth.max(1) as f64;
        eprintln!(
            "{what}: {truth} figures in truth, {found} found; precision {:.4} %, recall {:.4} %",
            precision * 100.0,
            recall * 100.0
        );
        self.classes();
    }

    /// Prints precision and recall; both must be 100 %.
    pub fn report(&self, what: &str) {
        self.print(what);
        let truth = self.matched + self.missed.len();
        assert!(truth > 0, "{what}: no figure in truth");
        assert!(
            self.missed.is_empty() && self.invented.is_empty(),
            "{what}: missed {:#?}\ninvented {:#?}",
            &self.missed[..self.missed.len().min(20)],
            &self.invented[..self.invented.len().min(20)]
        );
    }
}

impl Score {
    /// The misses and inventions counted by table kind, side and measure, with one example
    /// each: the classes of error, for the report.
    pub fn classes(&self) {
        for (what, keys) in [("missed", &self.missed), ("invented", &self.invented)] {
            let mut classes: BTreeMap<(String, Option<String>, String), (usize, &Key)> =
                BTreeMap::new();
            for k in keys {
                classes
                    .entry((k.0.clone(), k.1.clone(), k.3.clone()))
                    .or_insert((0, k))
                    .0 += 1;
            }
            for ((kind, side, measure), (n, example)) in classes {
                eprintln!(
                    "  {what} {n:5}  {kind} side={} measure={measure:?}  e.g. {} = {}",
                    side.unwrap_or_default(),
                    example.2,
                    example.5
                );
            }
        }
    }
}

/// Figures found (by table kind, side, label, measure and yuan) whose truth prints a code,
/// and those of them read with another code or none.
#[derive(Default)]
pub struct Codes {
    pub checked: usize,
    pub wrong: Vec<String>,
}

impl Codes {
    pub fn add(&mut self, doc: &str, truth: &Truth, records: &DocumentRecords) {
        let mut found: BTreeMap<Key, Vec<Option<String>>> = BTreeMap::new();
        for (key, item) in record_keys(records).into_iter().zip(&records.line_items) {
            found.entry(key).or_default().push(item.item_code.clone());
        }
        for t in &truth.tables {
            for f in &t.figures {
                let Some(code) = &f.code else { continue };
                let key = (
                    t.kind.clone(),
                    f.side.clone(),
                    label(&f.item),
                    f.measure.clone(),
                    // A budget's truth names no basis: its figures are all budget figures.
                    f.basis.clone().unwrap_or_else(|| "budget".into()),
                    f.amount_yuan.clone(),
                );
                // A figure not found is the score's miss, not a code's.
                let Some(read) = found.get(&key) else {
                    continue;
                };
                self.checked += 1;
                if !read.iter().any(|c| c.as_deref() == Some(code)) {
                    self.wrong.push(format!(
                        "{doc}: {} {} {} printed {code}, read {:?}",
                        t.kind,
                        f.item,
                        f.measure,
                        read.iter().flatten().collect::<Vec<_>>()
                    ));
                }
            }
        }
    }

    pub fn print(&self, what: &str) {
        eprintln!(
            "{what}: {} figures found with a printed code, {} of them read with that code",
            self.checked,
            self.checked - self.wrong.len()
        );
        for w in self.wrong.iter().take(5) {
            eprintln!("  e.g. {w}");
        }
    }

    /// Prints the count; every printed code must be read.
    pub fn report(&self, what: &str) {
        self.print(what);
        assert!(
            self.wrong.is_empty(),
            "{what}: codes missed {:#?}",
            &self.wrong[..self.wrong.len().min(20)]
        );
    }
}

/// The document's name put in front of a key's label, for the failure report.
pub fn tag(doc: &str, k: &Key) -> Key {
    let mut k = k.clone();
    k.2 = format!("{doc}: {}", k.2);
    k
}
