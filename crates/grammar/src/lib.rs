//! The budget language of cnbudget: nom grammars and hand matchers (no regex at run time, see
//! `text::pattern`; each matcher's tests hold the regex it replaced)
//! for printed amounts, table titles, meta lines, row labels and codes, header paths, and the
//! figures stated in the narrative. Every reader keeps what it cannot place as `None` or
//! `Other`; the raw text stays with the caller.

pub mod amount;
pub mod error;
pub mod furniture;
pub mod label;
pub mod measure;
pub mod meta;
pub mod narrative;
pub mod operator;

pub mod text;
pub mod title;
pub mod vocabulary;

pub use amount::{is_printed_number, parse_amount, Amount, Unit};
pub use error::GrammarError;
pub use label::{
    code_part, infer_function_class, is_code, is_group_subtotal, names_carryover, numbering_rank,
    numbers_a_part, parse_label, procurement_category, row_name, Classification, ItemCode, Label,
    LabelPath, Level, RowName, SummaryRow,
};
pub use measure::{
    aside_column, column, target_column, Basis, Breakdown, Column, HeaderPath, Measure, Period,
    Side, TargetColumn,
};
pub use meta::{
    department_in_heading, department_key, is_department_key, is_department_name, names_a_budget,
    names_other_document, parse_meta, Department, Meta, YearSource,
};
pub use operator::Operator;
pub use title::{classify, Flow, Form, Fund, Phase, Spending, TableKind, Title, TitleParts, Topic};
