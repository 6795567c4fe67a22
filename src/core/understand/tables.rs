//! The parser's tables, laid out at compile time by `build.rs` from `data/lexicon.toml` and
//! the default catalogue's groups (`build/tables.rs`), and read in place: starting the parser
//! builds nothing.

use super::fuzzy::DeletionIndex;
use super::sense::Cue;
use super::table::{HashSet64, StrTable};
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
    /// Whether a word is an ordinary word too (`words::ordinary`): "skole" is, "fsiii" not.
    pub word_common: &'static [bool],
    /// Whether a word stands after the first in some phrase ("flex" in "borger flex").
    pub word_inner: &'static [bool],
    /// Phrases by their first word (`phrase_start[id]..phrase_start[id + 1]`), longest first.
    pub phrase_start: &'static [u32],
    pub phrases: &'static [Phrase],
    /// Danish stem → one-word lexicon entries with that stem: inflections by rule.
    pub stems: StrTable<'static>,
    pub stem_ids: &'static [&'static [u32]],
    /// The first three letters of every stem (`rules::prefix_bit`).
    pub stem_prefixes: &'static [u64],
    /// The first four letters (`prefix4_bit`) of every token an entry of `stem_ids` can be
    /// read from (`rules::inflects`): a token with other first letters is no inflection.
    pub inflection_prefixes4: &'static [u64],
    /// The first three letters of every word of rank 2 or more (a cue compound's head).
    pub cue_prefixes: &'static [u64],
    /// The first four letters of every word form of the ordinary-word list (`prefix4_bit`).
    pub listed_prefixes: &'static [u64],
    /// Every stem of the ordinary-word list of three letters (`rules::prefix_bit`), and the
    /// first four letters of every longer one (`prefix4_bit`).
    pub list_stem_prefixes: &'static [u64],
    pub list_stem_prefixes4: &'static [u64],
    /// For a word known only inside longer phrases ("områder" in "tværgående områder"): the
    /// one-word entry it inflects (`u32::MAX`: none), used when the phrase does not match.
    pub alone: &'static [u32],
    /// Words of 4+ letters with a name or cue sense, for typos.
    pub fuzzy: DeletionIndex<'static>,
    /// Compound tails (base form, its id, its stem, its `letter_mask`), longest first.
    pub tails: &'static [(&'static str, u32, &'static str, u64)],
    /// Each group's areas, as the default catalogue has them.
    pub groups: &'static [(Group, &'static [AreaId])],
    /// (folded word, its length in chars, area, `letter_mask`) for "mente du …?"
    /// suggestions, no repeats.
    pub suggestion_words: &'static [(&'static str, usize, AreaId, u64)],
    /// Danish and English stop words, folded: ordinary words that carry no content.
    pub stop_words: StrTable<'static>,
    /// Words of FLIS' world that are neither names nor cues (the municipalities, "dashboard"):
    /// ordinary or unknown words to the rules, a sign of a FLIS question to the model.
    pub context: StrTable<'static>,
    /// The first three letters of every word of `context` (`rules::prefix_bit`).
    pub context_prefixes: &'static [u64],
    /// Sign-offs ("vh"): before a capitalised name they end a message.
    pub sign_offs: &'static [&'static str],
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

/// Emoji shortcodes the lexicon names (`:wave:`), by their name.
pub(super) static SHORTCODES: &[&str] = SHORTCODE_NAMES;
/// The lexicon's sign-offs ("vh") and closings ("med venlig hilsen"), folded, for `normalize`.
pub(super) static SIGN_OFF_WORDS: &[&str] = SIGN_OFFS;
pub(super) static CLOSING_PHRASES: &[&[&str]] = CLOSINGS;
/// The lengths of the words that may start and end a signature, by first letter.
pub(super) static SIGNATURE_STARTS: [u32; 26] = SIGNATURE_START_LENGTHS;
pub(super) static SIGNATURE_ENDS: [u32; 26] = SIGNATURE_END_LENGTHS;

pub(super) static TABLES: Tables = Tables {
    words: StrTable {
        keys: WORDS,
        slots: WORD_SLOTS,
        ascii: WORDS_ASCII,
    },
    word_rank: WORD_RANK,
    word_common: WORD_COMMON,
    word_inner: WORD_INNER,
    phrase_start: PHRASE_START,
    phrases: PHRASES,
    stems: StrTable {
        keys: STEMS,
        slots: STEM_SLOTS,
        ascii: STEMS_ASCII,
    },
    stem_ids: STEM_IDS,
    stem_prefixes: STEM_PREFIXES,
    inflection_prefixes4: INFLECTION_PREFIXES4,
    cue_prefixes: CUE_PREFIXES,
    listed_prefixes: LISTED_PREFIXES,
    list_stem_prefixes: LIST_STEM_PREFIXES,
    list_stem_prefixes4: LIST_STEM_PREFIXES4,
    alone: ALONE,
    fuzzy: DeletionIndex::from_parts(
        FUZZY_FILTER,
        FUZZY_FINGERPRINTS,
        FUZZY_SPANS,
        FUZZY_IDS,
        FUZZY_LENS,
    ),
    tails: TAILS,
    groups: GROUPS,
    suggestion_words: SUGGESTION_WORDS,
    stop_words: StrTable {
        keys: STOP_WORDS,
        slots: STOP_SLOTS,
        ascii: STOP_ASCII,
    },
    sign_offs: SIGN_OFFS,
    context: StrTable {
        keys: CONTEXT_WORDS,
        slots: CONTEXT_SLOTS,
        ascii: false,
    },
    context_prefixes: CONTEXT_PREFIXES,
};

/// The intent model's weights, trained by the build script (`build/intent_training.rs`).
pub(super) static INTENT_MODEL: &[u8] =
    include_bytes!(concat!(env!("OUT_DIR"), "/intent_model.bin"));
const _: () = assert!(INTENT_MODEL.len() == super::intent_model::MODEL_BYTES);

/// The ordinary-word list (`data/words.fst`) as a hash set, for the parser's membership test.
pub(super) static WORD_SET: HashSet64<'static> =
    HashSet64::new(include_bytes!(concat!(env!("OUT_DIR"), "/words.set64")));

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::understand::words::{each_key, is_ordinary};

    #[test]
    fn the_word_set_holds_every_key_of_the_word_list_and_nothing_else() {
        let mut keys = 0;
        each_key(|k| {
            keys += 1;
            assert!(WORD_SET.contains(k), "{}", String::from_utf8_lossy(k));
        });
        assert!(keys > 500_000, "{keys}");
        for w in ["qwxvk", "dreamm", "fsiii", "okonomi", "~qqq", "", "aeldr"] {
            assert!(!WORD_SET.contains(w.as_bytes()), "{w}");
            assert!(!is_ordinary(w), "{w}");
        }
    }

    #[test]
    fn group_ids_are_the_ids_files_use() {
        for g in Group::ALL {
            assert_eq!(serde_json::to_value(g).unwrap(), g.id());
            assert_eq!(Group::from_id(g.id()), Some(g));
        }
        for a in AreaId::ALL {
            assert_eq!(AreaId::from_id(a.as_str()), Some(*a));
        }
        assert_eq!(AreaId::from_id("sport"), None);
    }
}
