//! Question understanding: Danish (and a little English) chat text → intent + areas.
//! Pure and catalogue-independent but for group membership; built once, shared by every adapter.

mod distance;
mod fuzzy;
mod lexicon;
pub mod normalize;
mod parser;
pub mod words;

pub use lexicon::{Lexicon, DEFAULT_LEXICON_TOML};
pub use normalize::{fold, fold_into, Folded};
pub use parser::{default_parser, Ask, Intent, MonthRef, MonthRole, Parsed, Parser, SmallTalk};

#[cfg(test)]
mod tests;
