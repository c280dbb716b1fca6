//! The 计算符号 of a performance indicator.

use crate::text::canonical;
use serde::{Deserialize, Serialize};

/// How an indicator's target is compared.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, strum::IntoStaticStr)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Operator {
    /// ≥
    AtLeast,
    /// ≤
    AtMost,
    /// =
    Equal,
    /// >
    Above,
    /// <
    Below,
    /// 定性: a qualitative target.
    Qualitative,
    /// Printed but none of the above: kept as printed.
    Other(String),
    /// Nothing printed.
    None,
}

impl Operator {
    /// Reads a printed operator (`≥`, `>=`, `≧`, `定性` …).
    pub fn parse(raw: &str) -> Operator {
        match canonical(raw).as_str() {
            "" => Operator::None,
            "≥" | ">=" | "≧" => Operator::AtLeast,
            "≤" | "<=" | "≦" => Operator::AtMost,
            "=" | "＝" => Operator::Equal,
            ">" => Operator::Above,
            "<" => Operator::Below,
            "定性" => Operator::Qualitative,
            other => Operator::Other(other.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Operator;

    #[test]
    fn operators_printed_in_the_seed() {
        assert_eq!(Operator::parse("≥"), Operator::AtLeast);
        assert_eq!(Operator::parse("≤"), Operator::AtMost);
        assert_eq!(Operator::parse("="), Operator::Equal);
        assert_eq!(Operator::parse("定性"), Operator::Qualitative);
        assert_eq!(Operator::parse(""), Operator::None);
        assert_eq!(Operator::parse("约"), Operator::Other("约".into()));
    }
}
