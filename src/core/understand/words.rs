//! Ordinary Danish and English words, so that typo tolerance is kept for words that are no
//! words at all: "burger", "still", "borgen" and "styr" are words, and are never read as Borger,
//! STIL or STAR.
//!
//! The list (`data/words.fst`, an `fst` set) holds every Danish word form of the hunspell
//! dictionary of Stavekontrolden (MPL-1.1) and every word of the SCOWL American English list,
//! folded as questions are, and the Danish Snowball stem of each Danish form (marked `~`), so a
//! form the dictionary does not spell out ("burgerne") is known by rule. Built by `cargo run
//! --example wordlist`; see `data/README.md`.

use std::borrow::Cow;
use std::cell::RefCell;
use std::sync::OnceLock;

use rust_stemmers::{Algorithm, Stemmer};

use super::memo::TokenMemo;

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
    stem_danish_cow(folded).into_owned()
}

/// As `stem_danish`, borrowing the token when its stem is a prefix of it (as Snowball's
/// Danish stems are). The parser asks for one token's stem up to four times (as an inflection,
/// an ordinary word, a compound's tail, a word of FLIS' world) and for the same words in
/// question after question, and Snowball costs hundreds of instructions a word, so the stem's
/// length is remembered (`STEMS`).
pub fn stem_danish_cow(folded: &str) -> Cow<'_, str> {
    // A stem's length is remembered in a byte.
    if folded.len() > usize::from(u8::MAX) {
        return words().danish.stem(folded);
    }
    // 0 when the stem is no prefix (none is known, but nothing is assumed): then it is
    // stemmed each time.
    let len = TokenMemo::get_or_put(&STEMS, folded, || {
        let stem = words().danish.stem(folded);
        if folded.starts_with(&*stem) {
            stem.len() as u8
        } else {
            0
        }
    });
    match folded.get(..usize::from(len)) {
        Some(stem) if len > 0 => Cow::Borrowed(stem),
        _ => words().danish.stem(folded),
    }
}

thread_local! {
    static STEMS: RefCell<TokenMemo<u8>> = const { RefCell::new(TokenMemo::EMPTY) };
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
    let Some(set) = &words().set else {
        return Ordinary::No;
    };
    ordinary_where(folded, |key| set.contains(key), |_| true, |_| true)
}

/// As `ordinary`, with the list's membership test `contains` (the `fst` set, or the same keys
/// laid out for faster lookups), told cheaply by `may_be_listed` whether any word of the list
/// begins as the token does (`PREFIX_BITS`), and by `may_have_stem` whether any stem of the
/// list begins as the token does, so that most tokens that are no word are neither looked up
/// nor stemmed. A Danish (Snowball) stem is a prefix of its word and, for a word of three
/// letters or more, of three letters or more (suffixes are removed only after the third).
pub fn ordinary_where(
    folded: &str,
    contains: impl Fn(&[u8]) -> bool,
    may_be_listed: impl Fn(&str) -> bool,
    may_have_stem: impl Fn(&str) -> bool,
) -> Ordinary {
    // The list is folded to a–z; nothing else can be in it.
    if !folded.bytes().all(|b| b.is_ascii_lowercase()) {
        return Ordinary::No;
    }
    if may_be_listed(folded) && contains(folded.as_bytes()) {
        return Ordinary::Listed;
    }
    // An inflection ending of two letters or more on a stem of three or more.
    if folded.len() < MIN_STEM + 2 || !may_have_stem(folded) {
        return Ordinary::No;
    }
    let stem = stem_danish_cow(folded);
    let mut key = [0u8; 64];
    let listed = match key.get_mut(1..=stem.len()) {
        Some(k) => {
            k.copy_from_slice(stem.as_bytes());
            key[0] = b'~';
            contains(&key[..=stem.len()])
        }
        None => contains(format!("~{stem}").as_bytes()),
    };
    if folded.len() >= stem.len() + 2 && listed {
        Ordinary::Inflected
    } else {
        Ordinary::No
    }
}

/// Calls `f` with every key of the list: word forms, and stems marked `~` (for the build
/// script's faster copy).
pub fn each_key(mut f: impl FnMut(&[u8])) {
    use fst::{IntoStreamer, Streamer};
    let Some(set) = &words().set else { return };
    let mut stream = set.into_stream();
    while let Some(key) = stream.next() {
        f(key);
    }
}

/// Whether a folded token is an ordinary word, listed or inflected.
pub fn is_ordinary(folded: &str) -> bool {
    ordinary(folded) != Ordinary::No
}

/// The shortest stem of a word of at least this many letters.
pub const MIN_STEM: usize = 3;

/// Bits of a set of word beginnings: the first four letters (a–z), a shorter word padded.
pub const PREFIX_BITS: usize = 27 * 27 * 27 * 27;

/// The bit of `folded`'s beginning (a–z only) in a set of word beginnings.
pub fn prefix4_bit(folded: &str) -> usize {
    let b = folded.as_bytes();
    (0..4).fold(0, |acc, i| {
        let class = b
            .get(i)
            .map_or(26, |c| usize::from(c.saturating_sub(b'a')).min(26));
        acc * 27 + class
    })
}

/// Calls `f` with every word form the list spells out (for the build script's prefix set).
pub fn each_word(mut f: impl FnMut(&[u8])) {
    use fst::{IntoStreamer, Streamer};
    let Some(set) = &words().set else { return };
    let mut stream = set.range().lt("~").into_stream();
    while let Some(key) = stream.next() {
        f(key);
    }
}

/// Calls `f` with every stem the list holds (for the build script's prefix set).
pub fn each_stem(mut f: impl FnMut(&[u8])) {
    use fst::{IntoStreamer, Streamer};
    let Some(set) = &words().set else { return };
    let mut stream = set.range().ge("~").into_stream();
    while let Some(key) = stream.next() {
        match key.strip_prefix(b"~") {
            Some(stem) => f(stem),
            None => break,
        }
    }
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
    fn a_danish_stem_is_a_prefix_of_its_word_of_three_letters_or_more() {
        // What `ordinary_where`'s prefix test rests on, checked on a sample of the list.
        use fst::{IntoStreamer, Streamer};
        let set = words().set.as_ref().unwrap();
        let mut stream = set.range().lt("~").into_stream();
        let mut checked = 0;
        while let Some(word) = stream.next() {
            checked += 1;
            if checked % 5 != 0 {
                continue;
            }
            let word = std::str::from_utf8(word).unwrap();
            let stem = stem_danish(word);
            assert!(word.starts_with(&stem), "{word} → {stem}");
            assert!(
                stem.len() >= MIN_STEM || word.len() < MIN_STEM,
                "{word} → {stem}"
            );
        }
        assert!(checked > 100_000, "{checked}");
    }

    #[test]
    fn a_remembered_stem_is_the_stemmers_own_for_any_token_asked_twice() {
        let stemmer = Stemmer::create(Algorithm::Danish);
        let long = "opdateringerne".repeat(30);
        for w in [
            "opdateringerne",
            "hvornaar",
            "a",
            "",
            "dataene",
            &long,
            &long[..300],
        ] {
            for _ in 0..2 {
                assert_eq!(stem_danish_cow(w), stemmer.stem(w), "{w}");
            }
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
