//! The lexicon file: the words users type and what they mean. Wording is data (`data/lexicon.toml`).

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::core::catalogue::{AreaId, Group};

pub const DEFAULT_LEXICON_TOML: &str = include_str!("../../../data/lexicon.toml");

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lexicon {
    pub areas: BTreeMap<AreaId, Vec<String>>,
    pub groups: BTreeMap<Group, Vec<String>>,
    pub words: Words,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Words {
    pub general: Vec<String>,
    pub data: Vec<String>,
    pub when: Vec<String>,
    pub how_often: Vec<String>,
    pub coming: Vec<String>,
    pub arrived: Vec<String>,
    pub status: Vec<String>,
    pub why: Vec<String>,
    pub missing: Vec<String>,
    pub problem: Vec<String>,
    pub works: Vec<String>,
    pub overview: Vec<String>,
    pub which: Vec<String>,
    pub all: Vec<String>,
    pub help: Vec<String>,
    pub greeting: Vec<String>,
    pub thanks: Vec<String>,
    pub filler: Vec<String>,
    pub negation: Vec<String>,
    pub asking: Vec<String>,
    pub addressee: Vec<String>,
    pub compound_tails: Vec<String>,
    pub months: Vec<Vec<String>>,
}

impl Lexicon {
    pub fn parse(toml_text: &str) -> Result<Self, String> {
        let lex: Lexicon = toml::from_str(toml_text).map_err(|e| e.to_string())?;
        if lex.words.months.len() != 12 {
            return Err(format!(
                "months has {} entries, not 12",
                lex.words.months.len()
            ));
        }
        Ok(lex)
    }
}
