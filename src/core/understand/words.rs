//! Ordinary Danish and English words, so that typo tolerance is kept for words that are no
//! words at all: "burger", "still", "borgen" and "styr" are words, and are never read as Borger,
//! STIL or STAR.
//!
//! The list (`data/words.fst`, an `fst` set) holds every Danish word form of the hunspell
//! dictionary of Stavekontrolden (MPL-1.1) and every word of the SCOWL American English list,
//! folded as questions are, and the Danish Snowball stem of each Danish form (marked `~`), so a
//! form the dictionary does not spell out ("burgerne") is known by rule. Built by `cargo run
//! --example wordlist`; see `data/README.md`.

use std::sync::OnceLock;

use rust_stemmers::{Algorithm, Stemmer};

static WORDS_FST: &[u8] = include_bytes!("../../../data/words.fst");

struct Words {
    set: Option<fst::Set<&'static [u8]>>,
    danish: Stemmer,
}

fn words() -> &'static Words {
    static WORDS: OnceLock<Words> = OnceLock::new();
    WORDS.get_or_init(|| Words {
        // A broken embedded file is a build defect the unit tests catch; without it no word
        // counts as ordinary, which is how the parser behaved before the list.
        set: fst::Set::new(WORDS_FST).ok(),
        danish: Stemmer::create(Algorithm::Danish),
    })
}

/// The Danish stem of a folded token (æ/ø/å written ae/oe/aa, as everywhere in the parser).
pub fn stem_danish(folded: &str) -> String {
    words().danish.stem(folded).into_owned()
}

/// How sure the list is that a folded token is an ordinary word.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ordinary {
    /// Not a word the list knows.
    No,
    /// A word form the dictionaries spell out.
    Listed,
    /// Not spelled out, but an inflection ending (two letters or more) on a known stem:
    /// "burgerne", "kantinen". A stem with one letter more ("ældr") is more likely a typo.
    Inflected,
}

/// Whether a folded token is an ordinary Danish or English word.
pub fn ordinary(folded: &str) -> Ordinary {
    let w = words();
    let Some(set) = &w.set else {
        return Ordinary::No;
    };
    // The list is folded to a–z; nothing else can be in it.
    if !folded.bytes().all(|b| b.is_ascii_lowercase()) {
        return Ordinary::No;
    }
    if set.contains(folded) {
        return Ordinary::Listed;
    }
    let stem = w.danish.stem(folded);
    if folded.len() >= stem.len() + 2 && set.contains(format!("~{stem}")) {
        Ordinary::Inflected
    } else {
        Ordinary::No
    }
}

/// Whether a folded token is an ordinary word, listed or inflected.
pub fn is_ordinary(folded: &str) -> bool {
    ordinary(folded) != Ordinary::No
}

/// How many entries the list has (for its tests).
pub fn len() -> usize {
    words().set.as_ref().map_or(0, |s| s.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_list_loads_and_knows_ordinary_words_in_any_form() {
        assert!(len() > 100_000, "{}", len());
        for w in [
            "burger",
            "burgere",
            "burgerne",
            "still",
            "borgen",
            "styr",
            "kantinen",
            "kage",
            "frokost",
            "julefrokosten",
            "waiting",
            "coffee",
            "meeting",
            "kop",
            "oplader",
            "moede",
            "moedet",
            "koekken",
            "weekend",
            "sammen",
            "hej",
            "tak",
            "burgerne",
        ] {
            assert!(is_ordinary(w), "{w} is an ordinary word");
        }
    }

    #[test]
    fn names_and_typos_of_names_are_not_ordinary_words() {
        for w in [
            "fsiii", "dfdg", "krl", "okonomi", "hvornar", "dubu", "qwxvk", "fraevaer", "skoel",
            "aeldr",
        ] {
            assert!(!is_ordinary(w), "{w} is no ordinary word");
        }
    }
}
