//! Question understanding: Danish (and a little English) chat text → intent + areas.
//! Pure and catalogue-independent but for group membership; built once, shared by every adapter.

mod decide;
mod distance;
mod fold;
mod fuzzy;
mod intent_model;
mod memo;
mod names;
pub mod normalize;
mod parsed;
mod parser;
mod relevance;
mod rules;
mod sense;
mod table;
mod tables;
pub mod words;

pub use normalize::{fold, fold_into, Folded};
pub use parsed::{Ask, Intent, MonthRef, MonthRole, Parsed, SmallTalk};
pub use parser::{default_parser, Parser};

#[cfg(test)]
mod tests;
