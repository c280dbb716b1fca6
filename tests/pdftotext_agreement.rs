//! `cnbudget text` against poppler's `pdftotext`, an independent reader: on the real corpus,
//! and on the generated corpus (both CJK encodings: the predefined `UniGB-UCS2-H` CMap, which
//! pdftotext reads with poppler-data, and an embedded Identity-H subset with `/ToUnicode`).

mod common;

use common::{cnbudget, have_pdftotext, name, pdftotext_pages, real_corpus, split_pages};
use std::collections::HashMap;

fn multiset(text: &str) -> HashMap<char, usize> {
    let mut m = HashMap::new();
    for c in text.chars().filter(|c| !c.is_whitespace()) {
        *m.entry(c).or_insert(0) += 1;
    }
    m
}

/// Characters both texts hold (multiset intersection) and the larger of the two totals.
fn agreement(a: &str, b: &str) -> (usize, usize) {
    let (ma, mb) = (multiset(a), multiset(b));
    let common = ma
        .iter()
        .map(|(c, n)| (*n).min(*mb.get(c).unwrap_or(&0)))
        .sum();
    let total = ma.values().sum::<usize>().max(mb.values().sum());
    (common, total)
}

#[test]
fn every_page_agrees_with_pdftotext_on_nonspace_characters() {
    let (Some(files), true) = (real_corpus(), have_pdftotext()) else {
        return;
    };
    agree_on_every_page(&files);
}

#[test]
fn generated_pages_agree_with_pdftotext_in_both_cjk_encodings() {
    if !have_pdftotext() {
        return;
    }
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "pdf"))
        .collect();
    files.sort();
    let fonts: Vec<String> = files
        .iter()
        .map(|f| cnbudget(&["info".as_ref(), f.as_os_str()]))
        .collect();
    assert!(fonts.iter().any(|i| i.contains("UniGB-UCS2-H")));
    assert!(fonts
        .iter()
        .any(|i| i.contains("Identity-H") && i.contains("embedded=yes")));
    agree_on_every_page(&files);
}

/// Every page of `files` within 99.5 % of pdftotext's characters; prints the figures.
fn agree_on_every_page(files: &[std::path::PathBuf]) {
    let (mut all_common, mut all_total) = (0, 0);
    let mut failures = Vec::new();
    for file in files {
        let ours = split_pages(&cnbudget(&["text".as_ref(), file.as_os_str()]));
        let theirs = pdftotext_pages(file);
        assert_eq!(ours.len(), theirs.len(), "{}: page count", name(file));
        let (mut fc, mut ft) = (0, 0);
        for (i, (a, b)) in ours.iter().zip(&theirs).enumerate() {
            let (common, total) = agreement(a, b);
            fc += common;
            ft += total;
            if total > 0 && (common as f64) < 0.995 * total as f64 {
                failures.push(format!("{} page {}: {common}/{total}", name(file), i + 1));
            }
        }
        println!(
            "{:8.3}%  {:>6} chars  {:>3} pages  {}",
            100.0 * fc as f64 / ft.max(1) as f64,
            ft,
            ours.len(),
            name(file)
        );
        all_common += fc;
        all_total += ft;
    }
    println!(
        "total {:.3}% of {all_total} characters",
        100.0 * all_common as f64 / all_total as f64
    );
    assert!(
        failures.is_empty(),
        "pages under 99.5% agreement: {failures:#?}"
    );
}

fn lcs(a: &[char], b: &[char]) -> usize {
    let mut prev = vec![0usize; b.len() + 1];
    for x in a {
        let mut cur = vec![0usize; b.len() + 1];
        for (j, y) in b.iter().enumerate() {
            cur[j + 1] = if x == y {
                prev[j] + 1
            } else {
                prev[j + 1].max(cur[j])
            };
        }
        prev = cur;
    }
    prev[b.len()]
}

/// On the Distiller tables stored as `/Rotate 90` pages, reading order (every character in
/// line order) matches pdftotext's: a page read sideways would scramble it.
#[test]
fn rotated_pages_read_in_pdftotexts_order() {
    let (Some(files), true) = (real_corpus(), have_pdftotext()) else {
        return;
    };
    let file = files
        .iter()
        .find(|f| name(f) == "江苏省委办公厅2018年度部门预算公开表.pdf")
        .expect("the rotated Distiller file is in the corpus");
    let info = cnbudget(&["info".as_ref(), file.as_os_str()]);
    assert!(
        info.contains("rotate  90"),
        "the file stores its pages rotated:\n{info}"
    );
    let ours = split_pages(&cnbudget(&["text".as_ref(), file.as_os_str()]));
    let theirs = pdftotext_pages(file);
    for (i, (a, b)) in ours.iter().zip(&theirs).enumerate() {
        let a: Vec<char> = a.chars().filter(|c| !c.is_whitespace()).collect();
        let b: Vec<char> = b.chars().filter(|c| !c.is_whitespace()).collect();
        let ratio = lcs(&a, &b) as f64 / a.len().max(b.len()).max(1) as f64;
        println!(
            "page {:>2}: {} chars, order agreement {:.4}",
            i + 1,
            b.len(),
            ratio
        );
        assert!(
            ratio >= 0.995,
            "page {}: reading order differs from pdftotext ({ratio:.4})",
            i + 1
        );
    }
}
