//! Typed errors of the budget grammar.

/// Text that a grammar expected to read but could not.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum GrammarError {
    /// A cell or phrase that should be an amount is not one.
    #[error("not an amount: {0:?}")]
    NotAnAmount(String),
    /// An amount with more digits than an exact decimal can hold.
    #[error("amount out of range: {0:?}")]
    AmountOutOfRange(String),
    /// A classification code of a length no classification uses.
    #[error("not a classification code: {0:?}")]
    NotACode(String),
    /// A narrative fact key the vocabulary does not have.
    #[error("not a fact key: {0:?}")]
    UnknownKey(String),
}
