//! Table titles → `table_kind`. A title is normalised (label, numbering, year, brackets,
//! quotes, spaces stripped) and matched by its longest known ending, so a department name or
//! level word in front (`江苏省高级人民法院部门收支预算总表`, `市级部门支出预算总表`) does not
//! matter. The variants live in [`VARIANTS`]; `docs/vocabulary.md` lists them.

use crate::text::{canonical, title_key};

use regex::Regex;
use serde::{Deserialize, Serialize};
use std::sync::LazyLock;

/// The canonical table kinds of `vocabulary.md`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TableKind {
    Summary,
    Revenue,
    Expenditure,
    FiscalSummary,
    FiscalExpenditure,
    FiscalBasicExpenditure,
    GeneralExpenditure,
    GeneralBasicExpenditure,
    ThreePublic,
    OperatingCosts,
    GovFundExpenditure,
    StateCapitalExpenditure,
    Procurement,
    PerformanceTargets,
    Other,
}

impl TableKind {
    /// The vocabulary key (`summary`, `three_public` …).
    pub fn key(self) -> &'static str {
        match self {
            TableKind::Summary => "summary",
            TableKind::Revenue => "revenue",
            TableKind::Expenditure => "expenditure",
            TableKind::FiscalSummary => "fiscal_summary",
            TableKind::FiscalExpenditure => "fiscal_expenditure",
            TableKind::FiscalBasicExpenditure => "fiscal_basic_expenditure",
            TableKind::GeneralExpenditure => "general_expenditure",
            TableKind::GeneralBasicExpenditure => "general_basic_expenditure",
            TableKind::ThreePublic => "three_public",
            TableKind::OperatingCosts => "operating_costs",
            TableKind::GovFundExpenditure => "gov_fund_expenditure",
            TableKind::StateCapitalExpenditure => "state_capital_expenditure",
            TableKind::Procurement => "procurement",
            TableKind::PerformanceTargets => "performance_targets",
            TableKind::Other => "other",
        }
    }

    /// Whether the table's rows are classified by economic (rather than function) codes.
    pub fn economic_rows(self) -> bool {
        matches!(
            self,
            TableKind::FiscalBasicExpenditure
                | TableKind::GeneralBasicExpenditure
                | TableKind::OperatingCosts
        )
    }
}

/// Title endings (normalised: no quotes, `、`, brackets or spaces) and the kind they name.
/// The longest matching ending wins (`财政拨款收支预算总表` before `收支预算总表`).
pub const VARIANTS: &[(&str, TableKind)] = &[
    ("收支预算总表", TableKind::Summary),
    ("部门收支总表", TableKind::Summary),
    ("收支总表", TableKind::Summary),
    ("收支总体情况表", TableKind::Summary),
    ("收入预算总表", TableKind::Revenue),
    ("收入总表", TableKind::Revenue),
    ("收入总体情况表", TableKind::Revenue),
    ("支出预算总表", TableKind::Expenditure),
    ("支出总表", TableKind::Expenditure),
    ("支出总体情况表", TableKind::Expenditure),
    ("财政拨款收支预算总表", TableKind::FiscalSummary),
    ("财政拨款收支总表", TableKind::FiscalSummary),
    ("财政拨款支出预算表", TableKind::FiscalExpenditure),
    ("财政拨款支出表", TableKind::FiscalExpenditure),
    ("财政拨款基本支出预算表", TableKind::FiscalBasicExpenditure),
    ("财政拨款基本支出表", TableKind::FiscalBasicExpenditure),
    ("一般公共预算支出表", TableKind::GeneralExpenditure),
    ("一般公共预算支出预算表", TableKind::GeneralExpenditure),
    ("一般公共预算财政拨款支出表", TableKind::GeneralExpenditure),
    ("一般公共预算基本支出表", TableKind::GeneralBasicExpenditure),
    (
        "一般公共预算基本支出预算表",
        TableKind::GeneralBasicExpenditure,
    ),
    ("三公经费支出表", TableKind::ThreePublic),
    ("三公经费表", TableKind::ThreePublic),
    ("三公经费支出预算表", TableKind::ThreePublic),
    ("三公经费会议费培训费支出预算表", TableKind::ThreePublic),
    ("机关运行经费支出预算表", TableKind::OperatingCosts),
    ("机关运行经费支出表", TableKind::OperatingCosts),
    ("政府性基金预算支出表", TableKind::GovFundExpenditure),
    ("政府性基金支出预算表", TableKind::GovFundExpenditure),
    ("政府性基金支出表", TableKind::GovFundExpenditure),
    (
        "财政拨款政府性基金支出预算表",
        TableKind::GovFundExpenditure,
    ),
    (
        "政府性基金预算财政拨款支出预算表",
        TableKind::GovFundExpenditure,
    ),
    ("国有资本经营预算支出表", TableKind::StateCapitalExpenditure),
    (
        "国有资本经营预算支出预算表",
        TableKind::StateCapitalExpenditure,
    ),
    ("政府采购支出预算表", TableKind::Procurement),
    ("政府采购预算表", TableKind::Procurement),
    ("项目绩效目标表", TableKind::PerformanceTargets),
    ("预算项目绩效目标表", TableKind::PerformanceTargets),
    ("项目支出绩效目标表", TableKind::PerformanceTargets),
];

// Constant patterns: `expect` cannot fire on any input.
static PREFIX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^((部门预算|单位预算)?公开\d+表|附?表(\d+|[一二三四五六七八九十]+)|[一二三四五六七八九十]+、|\d+[.、])[:：]?").expect("valid regex")
});
static YEAR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(19|20)\d{2}年度?").expect("valid regex"));
static BRACKETS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[(（][^()（）]*[)）]").expect("valid regex"));

/// A recognised title: its kind and the title normalised for display.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Title {
    pub kind: TableKind,
    /// Without numbering, year and spaces; brackets kept (`财政拨款支出预算表(功能科目)`).
    pub normalised: String,
}

/// Classifies a printed title; an unknown one is `Other`, its text kept.
pub fn classify(raw: &str) -> Title {
    // Numbering is stripped before `、` goes (`一、` is numbering, `一` alone is not).
    let mut t = canonical(raw);
    while let Some(m) = PREFIX.find(&t) {
        if m.as_str().is_empty() {
            break;
        }
        t = t[m.end()..].to_string();
    }
    let normalised = YEAR.replace_all(&t, "").into_owned();
    let key = title_key(&BRACKETS.replace_all(&normalised, ""));
    let kind = VARIANTS
        .iter()
        .filter(|(v, _)| key.ends_with(v))
        .max_by_key(|(v, _)| v.chars().count())
        .map_or(TableKind::Other, |(_, k)| *k);
    Title { kind, normalised }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every title printed in ../shared/corpus/real and ../shared/seed.
    #[test]
    fn titles_of_both_provinces() {
        let cases = [
            ("收支预算总表", TableKind::Summary),
            ("一、收支预算总表", TableKind::Summary),
            (
                "一、2017年度江苏省高级人民法院部门收支预算总表",
                TableKind::Summary,
            ),
            ("收入预算总表", TableKind::Revenue),
            (
                "二、2018年度江苏省高级人民法院收入预算总表",
                TableKind::Revenue,
            ),
            ("支出预算总表", TableKind::Expenditure),
            ("2021年市级部门支出预算总表", TableKind::Expenditure),
            ("财政拨款收支预算总表", TableKind::FiscalSummary),
            (
                "2021年市级部门财政拨款收支预算总表",
                TableKind::FiscalSummary,
            ),
            ("财政拨款支出预算表", TableKind::FiscalExpenditure),
            (
                "财政拨款支出预算表（功能科目）",
                TableKind::FiscalExpenditure,
            ),
            (
                "财政拨款基本支出预算表（经济科目）",
                TableKind::FiscalBasicExpenditure,
            ),
            ("一般公共预算支出预算表", TableKind::GeneralExpenditure),
            (
                "一般公共预算支出预算表（功能科目）",
                TableKind::GeneralExpenditure,
            ),
            (
                "2021年市级部门一般公共预算支出表",
                TableKind::GeneralExpenditure,
            ),
            ("一般公共预算支出表", TableKind::GeneralExpenditure),
            (
                "一般公共预算基本支出预算表（经济科目）",
                TableKind::GeneralBasicExpenditure,
            ),
            (
                "2021年市级部门一般公共预算基本支出表",
                TableKind::GeneralBasicExpenditure,
            ),
            (
                "“三公”经费、会议费、培训费支出预算表",
                TableKind::ThreePublic,
            ),
            (
                "一般公共预算“三公”经费、会议费、培训费支出预算表",
                TableKind::ThreePublic,
            ),
            (
                "“三公”经费、会议费、培训费支出预算表（一般公共预算）",
                TableKind::ThreePublic,
            ),
            (
                "2021年市级部门一般公共预算“三公”经费表",
                TableKind::ThreePublic,
            ),
            (
                "一般公共预算机关运行经费支出预算表",
                TableKind::OperatingCosts,
            ),
            (
                "财政拨款政府性基金支出预算表",
                TableKind::GovFundExpenditure,
            ),
            (
                "政府性基金预算财政拨款支出预算表",
                TableKind::GovFundExpenditure,
            ),
            ("七、政府性基金支出预算表", TableKind::GovFundExpenditure),
            (
                "2021年市级部门政府性基金支出预算表",
                TableKind::GovFundExpenditure,
            ),
            ("政府采购支出预算表", TableKind::Procurement),
            ("2017年政府采购预算表", TableKind::Procurement),
            (
                "十二、2017年江苏省高级人民法院部门政府采购预算表",
                TableKind::Procurement,
            ),
            (
                "2021年市级部门预算项目绩效目标表",
                TableKind::PerformanceTargets,
            ),
            ("公开01表 收支预算总表", TableKind::Summary),
            (
                "部门预算公开06表 财政拨款基本支出预算表",
                TableKind::FiscalBasicExpenditure,
            ),
            ("表十二 2017年政府采购预算表", TableKind::Procurement),
            ("收 支 预 算 总 表", TableKind::Summary),
        ];
        for (raw, kind) in cases {
            assert_eq!(classify(raw).kind, kind, "{raw}");
        }
    }

    #[test]
    fn normalised_title_and_unknowns() {
        assert_eq!(
            classify("一、2017年度江苏省高级人民法院部门收支预算总表").normalised,
            "江苏省高级人民法院部门收支预算总表"
        );
        assert_eq!(
            classify("财政拨款支出预算表（功能科目）").normalised,
            "财政拨款支出预算表(功能科目)"
        );
        let other = classify("部门基本情况表");
        assert_eq!(
            (other.kind, other.normalised.as_str()),
            (TableKind::Other, "部门基本情况表")
        );
    }
}
