//! The nom grammars and regexes of the budget language on arbitrary text: amounts, titles,
//! meta lines, row labels, header paths, narrative sentences, cover headings and years.
#![no_main]

use cnbudget_grammar::{
    classify, column, department_in_heading, meta, narrative, parse_amount, parse_label,
    parse_meta, HeaderPath,
};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    let _ = parse_amount(s);
    let _ = classify(s);
    let _ = parse_meta(s);
    let _ = parse_label(s);
    // A header path of the levels the text's `/` separates.
    let _ = column(&HeaderPath::new(s.split('/').map(str::to_string).collect()));
    let _ = narrative::facts(s);
    let _ = department_in_heading(s);
    let _ = meta::year_in_text(s);
    let _ = meta::year_in_file_name(s);
});
