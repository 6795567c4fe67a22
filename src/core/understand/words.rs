//! Ordinary Danish and English words, so that typo tolerance is kept for words that are no
//! words at all: "burger", "still", "borgen" and "styr" are words, and are never read as Borger,
//! STIL or STAR. Inflections are judged by rule: the list holds Snowball stems, and a token is
//! an ordinary word when its Danish or English stem is in it.
//!
//! The list (`data/words.fst`, an `fst` set, about 1 MB) is built by `cargo run --example
//! wordlist` from the Danish hunspell dictionary of Stavekontrolden (MPL-1.1) and the SCOWL
//! American English list (permissive); see `data/README.md`.

use std::sync::OnceLock;

use rust_stemmers::{Algorithm, Stemmer};

static WORDS_FST: &[u8] = include_bytes!("../../../data/words.fst");

struct Words {
    set: Option<fst::Set<&'static [u8]>>,
    danish: Stemmer,
    english: Stemmer,
}

fn words() -> &'static Words {
    static WORDS: OnceLock<Words> = OnceLock::new();
    WORDS.get_or_init(|| Words {
        // A broken embedded file is a build defect the unit tests catch; without it no word
        // counts as ordinary, which is how the parser behaved before the list.
        set: fst::Set::new(WORDS_FST).ok(),
        danish: Stemmer::create(Algorithm::Danish),
        english: Stemmer::create(Algorithm::English),
    })
}

/// The Danish stem of a folded token (æ/ø/å written ae/oe/aa, as everywhere in the parser).
pub fn stem_danish(folded: &str) -> String {
    words().danish.stem(folded).into_owned()
}

/// The English stem of a folded token.
pub fn stem_english(folded: &str) -> String {
    words().english.stem(folded).into_owned()
}

/// Whether a folded token is an ordinary Danish or English word (in any inflection).
pub fn is_ordinary(folded: &str) -> bool {
    let w = words();
    let Some(set) = &w.set else { return false };
    set.contains(folded)
        || set.contains(w.danish.stem(folded).as_ref())
        || set.contains(w.english.stem(folded).as_ref())
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
            "burger", "burgere", "burgerne", "still", "borgen", "styr", "kantinen", "kage",
            "frokost", "julefrokosten", "waiting", "coffee", "meeting", "kop", "oplader",
            "moede", "moedet", "koekkenet", "weekend", "sammen", "hej", "tak",
        ] {
            assert!(is_ordinary(w), "{w} is an ordinary word");
        }
    }

    #[test]
    fn names_and_typos_of_names_are_not_ordinary_words() {
        for w in [
            "fsiii", "dfdg", "krl", "okonomi", "hvornar", "dubu", "qwxvk",
            "fraevaer", "skoel",
        ] {
            assert!(!is_ordinary(w), "{w} is no ordinary word");
        }
    }
}
