//! The nom grammars and hand matchers of the budget language on arbitrary text: amounts,
//! titles, meta lines, row labels, header paths, narrative sentences, cover headings, years,
//! and the page furniture the table stage asks about.
#![no_main]

use cnbudget_grammar::{
    classify, column, department_in_heading, furniture, meta, narrative, parse_amount,
    parse_label, parse_meta, HeaderPath,
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
    let _ = meta::names_a_budget(s);
    let _ = meta::names_other_document(s);
    let _ = narrative::heading(s);
    let _ = furniture::split_table_label(s);
    let _ = furniture::is_note(s);
    let _ = furniture::is_page_number(s);
    let _ = furniture::reads_as_title(s);
    let _ = furniture::is_figure_cell(s);
    let _ = furniture::is_code_cell(s);
});
