//! The parser's tables, laid out at compile time by `build.rs` from `data/lexicon.toml` and
//! the default catalogue's groups (`build/tables.rs`), and read in place: starting the parser
//! builds nothing.

use super::fuzzy::DeletionIndex;
use super::sense::Cue;
use super::table::StrTable;
use crate::core::catalogue::{AreaId, Group};

pub(super) type Sense = super::sense::Sense<AreaId, Group>;

/// A lexicon phrase: its words' ids and what it means.
pub(super) struct Phrase {
    pub ids: &'static [u32],
    pub senses: &'static [Sense],
}

pub(super) struct Tables {
    /// Every word of the lexicon, folded; a word's index is its id.
    pub words: StrTable<'static>,
    /// Best rank among the one-word senses of a word (0: only part of longer phrases).
    pub word_rank: &'static [u8],
    /// Phrases by their first word (`phrase_start[id]..phrase_start[id + 1]`), longest first.
    pub phrase_start: &'static [u32],
    pub phrases: &'static [Phrase],
    /// Danish stem → one-word lexicon entries with that stem: inflections by rule.
    pub stems: StrTable<'static>,
    pub stem_ids: &'static [&'static [u32]],
    /// The first three letters of every stem (`rules::prefix_bit`).
    pub stem_prefixes: &'static [u64],
    /// For a word known only inside longer phrases ("områder" in "tværgående områder"): the
    /// one-word entry it inflects (`u32::MAX`: none), used when the phrase does not match.
    pub alone: &'static [u32],
    /// Words of 4+ letters with a name or cue sense, for typos.
    pub fuzzy: DeletionIndex<'static>,
    /// Compound tails (base form, its id, its stem), longest first.
    pub tails: &'static [(&'static str, u32, &'static str)],
    /// Each group's areas, as the default catalogue has them.
    pub groups: &'static [(Group, &'static [AreaId])],
    /// (folded word, its length in chars, area) for "mente du …?" suggestions, no repeats.
    pub suggestion_words: &'static [(&'static str, usize, AreaId)],
    /// Danish and English stop words, folded: ordinary words that carry no content.
    pub stop_words: StrTable<'static>,
}

const fn area(id: &str) -> AreaId {
    match AreaId::from_id(id) {
        Some(a) => a,
        None => panic!("data/lexicon.toml or data/catalogue.toml names an unknown area"),
    }
}

const fn group(id: &str) -> Group {
    match Group::from_id(id) {
        Some(g) => g,
        None => panic!("data/catalogue.toml names an unknown group"),
    }
}

include!(concat!(env!("OUT_DIR"), "/parser_tables.rs"));

// The build script writes areas in the catalogue's order and groups in their order there;
// the parser relies on both being the order of `AreaId::ALL` and `Group::ALL`.
const _: () = {
    assert!(AREA_ORDER.len() == AreaId::ALL.len());
    let mut i = 0;
    while i < AREA_ORDER.len() {
        assert!(area(AREA_ORDER[i]) as u8 == AreaId::ALL[i] as u8);
        i += 1;
    }
    assert!(GROUP_ORDER.len() == Group::ALL.len());
    let mut i = 0;
    while i < GROUP_ORDER.len() {
        assert!(group(GROUP_ORDER[i]) as u8 == Group::ALL[i] as u8);
        i += 1;
    }
};

pub(super) static TABLES: Tables = Tables {
    words: StrTable {
        keys: WORDS,
        slots: WORD_SLOTS,
    },
    word_rank: WORD_RANK,
    phrase_start: PHRASE_START,
    phrases: PHRASES,
    stems: StrTable {
        keys: STEMS,
        slots: STEM_SLOTS,
    },
    stem_ids: STEM_IDS,
    stem_prefixes: STEM_PREFIXES,
    alone: ALONE,
    fuzzy: DeletionIndex::from_parts(FUZZY_FINGERPRINTS, FUZZY_SPANS, FUZZY_IDS, FUZZY_LENS),
    tails: TAILS,
    groups: GROUPS,
    suggestion_words: SUGGESTION_WORDS,
    stop_words: StrTable {
        keys: STOP_WORDS,
        slots: STOP_SLOTS,
    },
};
