//! The nom grammars and regexes of the budget language on arbitrary text: amounts, titles,
//! meta lines, row labels, header paths and narrative sentences.
#![no_main]

use cnbudget_grammar::{classify, column, narrative, parse_amount, parse_label, parse_meta};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    let _ = parse_amount(s);
    let _ = classify(s);
    let _ = parse_meta(s);
    let _ = parse_label(s);
    let _ = column(s);
    let _ = narrative::facts(s);
});
