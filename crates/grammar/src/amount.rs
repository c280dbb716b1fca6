//! Printed amounts → exact decimals. `5,068,099.82`, `13,297.11`, `0.00`, `-12.50`,
//! `（12.50）`, full-width digits, stray spaces inside; `34.5%`. A blank cell and a dash are
//! no figure (`None`); `0.00` is zero. Never `f64`.

use crate::error::GrammarError;
use crate::text::canonical;
use nom::branch::alt;
use nom::bytes::complete::{tag, take_while1, take_while_m_n};
use nom::character::complete::char;
use nom::combinator::{all_consuming, opt, recognize};
use nom::multi::many1;
use nom::sequence::{delimited, pair, preceded};
use nom::{IResult, Parser};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::str::FromStr;

/// The unit a table or sentence prints its money in; its key (`yuan`, `wan_yuan`) is the one
/// serde and strum spell.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    strum::IntoStaticStr,
    strum::EnumString,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Unit {
    /// 元
    Yuan,
    /// 万元 (ten thousand yuan)
    WanYuan,
}

impl Unit {
    /// Whether a text names the unit anywhere (`单位：万元`, `…共计 12.5 万元`).
    pub fn named_in(self, text: &str) -> bool {
        text.contains(self.as_str())
    }

    /// Yuan per unit: 1 or 10 000.
    pub fn factor(self) -> Decimal {
        match self {
            Unit::Yuan => Decimal::ONE,
            Unit::WanYuan => Decimal::from(10_000),
        }
    }

    /// The amount in yuan, exactly.
    pub fn to_yuan(self, value: Decimal) -> Decimal {
        value * self.factor()
    }

    /// The unit's printed name.
    pub fn as_str(self) -> &'static str {
        match self {
            Unit::Yuan => "元",
            Unit::WanYuan => "万元",
        }
    }
}

/// A parsed printed amount.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Amount {
    /// The value as printed (in the table's unit, or percent points).
    pub value: Decimal,
    /// Printed with `%`.
    pub percent: bool,
}

fn digits(i: &str) -> IResult<&str, &str> {
    take_while1(|c: char| c.is_ascii_digit()).parse(i)
}

/// `1,234,567` or `1234567`: digits, or one to three digits and thousands groups.
fn integer(i: &str) -> IResult<&str, &str> {
    let grouped = recognize(pair(
        take_while_m_n(1, 3, |c: char| c.is_ascii_digit()),
        many1(preceded(
            char(','),
            take_while_m_n(3, 3, |c: char| c.is_ascii_digit()),
        )),
    ));
    alt((grouped, digits)).parse(i)
}

/// Whether `s` is a number as budgets print one, in ASCII digits (`1,234.56`, `1234`),
/// nothing around it: what a recogniser's reading must be before it is taken for an amount.
/// [`parse_amount`] reads full-width digits, signs and brackets besides.
pub fn is_printed_number(s: &str) -> bool {
    all_consuming(number).parse(s).is_ok()
}

fn number(i: &str) -> IResult<&str, &str> {
    recognize(pair(integer, opt(preceded(char('.'), digits)))).parse(i)
}

/// The whole amount: sign, or brackets for a negative, then the number and an optional `%`.
fn amount(i: &str) -> IResult<&str, (bool, &str, bool)> {
    let negative_bracketed = delimited(char('('), number, char(')')).map(|n| (true, n));
    let signed = pair(opt(alt((tag("-"), tag("+")))), number).map(|(s, n)| (s == Some("-"), n));
    all_consuming(pair(alt((negative_bracketed, signed)), opt(char('%'))))
        .map(|((neg, n), pct)| (neg, n, pct.is_some()))
        .parse(i)
}

/// Parses a printed amount; `Ok(None)` for a blank cell or a dash (no figure).
pub fn parse_amount(raw: &str) -> Result<Option<Amount>, GrammarError> {
    let s: String = canonical(raw)
        .chars()
        .map(|c| {
            if matches!(c, '—' | '–' | '－') {
                '-'
            } else {
                c
            }
        })
        .collect();
    if s.is_empty() || s.chars().all(|c| c == '-') {
        return Ok(None);
    }
    let (_, (negative, number, percent)) =
        amount(&s).map_err(|_| GrammarError::NotAnAmount(raw.to_string()))?;
    let plain: String = number.chars().filter(|c| *c != ',').collect();
    let mut value =
        Decimal::from_str(&plain).map_err(|_| GrammarError::AmountOutOfRange(raw.to_string()))?;
    if negative {
        value = -value;
    }
    Ok(Some(Amount { value, percent }))
}

/// Prints an amount as budgets do: thousands grouped, the scale it was parsed with.
pub fn format_amount(value: Decimal) -> String {
    let s = value.abs().to_string();
    let (whole, frac) = s
        .split_once('.')
        .map_or((s.as_str(), None), |(w, f)| (w, Some(f)));
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let sign = if value.is_sign_negative() && !value.is_zero() {
        "-"
    } else {
        ""
    };
    match frac {
        Some(f) => format!("{sign}{grouped}.{f}"),
        None => format!("{sign}{grouped}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn v(raw: &str) -> Option<String> {
        parse_amount(raw).unwrap().map(|a| a.value.to_string())
    }

    #[test]
    fn forms_printed_in_the_corpus_and_seed() {
        assert_eq!(
            v("5,068,099.82").as_deref(),
            Some("5068099.82"),
            "绍兴 2021, 元"
        );
        assert_eq!(
            v("13,649.07").as_deref(),
            Some("13649.07"),
            "人大 2017, 万元"
        );
        assert_eq!(
            v("20849.45").as_deref(),
            Some("20849.45"),
            "委办 2017 narrative, ungrouped"
        );
        assert_eq!(v("0.00").as_deref(), Some("0.00"));
        assert_eq!(v("0").as_deref(), Some("0"), "三公 cell printed as 0");
        assert_eq!(v("-12.50").as_deref(), Some("-12.50"));
        assert_eq!(v("（12.50）").as_deref(), Some("-12.50"));
        assert_eq!(
            v("１２，３４５．６７").as_deref(),
            Some("12345.67"),
            "full-width, as poppler prints GBK-EUC text"
        );
        assert_eq!(
            v("13, 649 .07").as_deref(),
            Some("13649.07"),
            "stray spaces inside"
        );
        assert_eq!(
            v("33, 172. 15").as_deref(),
            Some("33172.15"),
            "法院 2018 spacing"
        );
        assert_eq!(v(""), None, "blank is no figure");
        assert_eq!(v("-"), None, "a dash is no figure");
        assert_eq!(v("—"), None);
        let pct = parse_amount("34.5%").unwrap().unwrap();
        assert!(pct.percent && pct.value.to_string() == "34.5");
        assert_eq!(
            parse_amount("99.13 %").unwrap().map(|a| a.percent),
            Some(true)
        );
    }

    #[test]
    fn thousands_groups_follow_one_to_three_digits() {
        for ok in ["1,234.56", "12,345", "123,456,789.01", "1234", "0.5"] {
            assert!(is_printed_number(ok), "{ok}");
        }
        for not in [
            "1234,567", "1,23", "1,2345", ",123", "1.2.3", "1,234.", "1;234", "",
        ] {
            assert!(!is_printed_number(not), "{not}");
        }
        assert!(parse_amount("1234,567").is_err());
    }

    #[test]
    fn text_is_not_an_amount() {
        for s in ["合计", "12.5.3", "1,23", "2010301行政运行", "(12.5", "万元"] {
            assert!(parse_amount(s).is_err(), "{s}");
        }
    }

    #[test]
    fn wan_yuan_to_yuan_is_exact() {
        let a = parse_amount("13,649.07").unwrap().unwrap().value;
        assert_eq!(Unit::WanYuan.to_yuan(a).to_string(), "136490700.00");
        assert_eq!(Unit::Yuan.to_yuan(a), a);
    }

    proptest! {
        /// Parsing what was printed gives back the printed value, for any amount.
        #[test]
        fn print_then_parse_round_trips(units in -10_000_000_000_000i64..10_000_000_000_000i64, scale in 0u32..=4) {
            let value = Decimal::new(units, scale);
            let printed = format_amount(value);
            let parsed = parse_amount(&printed).unwrap().unwrap().value;
            prop_assert_eq!(parsed, value);
            prop_assert_eq!(format_amount(parsed), printed);
        }

        /// 万元 → 元 is exact: dividing back gives the printed figure to the last digit.
        #[test]
        fn wan_yuan_conversion_is_exact(units in -10_000_000_000_000i64..10_000_000_000_000i64, scale in 0u32..=4) {
            let value = Decimal::new(units, scale);
            let yuan = Unit::WanYuan.to_yuan(value);
            prop_assert_eq!(yuan / Decimal::from(10_000), value);
            prop_assert_eq!((yuan * Decimal::new(1, 0)).scale(), value.scale());
        }
    }
}
