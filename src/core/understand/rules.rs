//! Reading inflections by rule: shared by the parser and by the build script that lays out the
//! parser's tables (`build.rs` includes this file), so both read a word the same way.

use super::sense::NAME_RANK;
use super::words::{ordinary, Ordinary};

/// Whether `tok` is an inflection of the lexicon word `word` (of rank `rank`) whose Danish
/// stem `stem` it shares. A name must be the start of the token (nouns inflect by adding:
/// "borgerne", never "borgen"); a cue word must share the stem and all but its ending.
pub fn inflects(tok: &str, stem: &str, word: &str, rank: u8) -> bool {
    if rank == NAME_RANK {
        // A name of three letters or fewer ("feb", "ky") takes no ending: "feber", "kys".
        word.len() >= 4
            && tok
                .strip_prefix(word)
                .is_some_and(|ending| noun_ending(word, ending))
    } else {
        // An adjective in -ig has three forms: "årlig", "årligt", "årlige".
        let adjective = word
            .strip_suffix("igt")
            .is_some_and(|base| matches!(tok.strip_prefix(base), Some("ig" | "ige")));
        // "opdaterede" is "opdateret", but "måned" is no form of "månedligt", and a stem of
        // three letters is too short to say ("datter" is no form of "dato").
        adjective
            || (stem.len() >= 4
                && tok.starts_with(stem)
                && word.starts_with(stem)
                && tok.len() + 1 >= word.len())
    }
}

/// Whether `ending` inflects the noun `word`: plural, definite, genitive, with the last
/// consonant doubled where Danish doubles it ("skolerne", "borgerne", "ældres",
/// "dagtilbuddene"), but not "still" or "stille" after "stil".
pub fn noun_ending(word: &str, ending: &str) -> bool {
    const ENDINGS: [&str; 24] = [
        "s", "e", "es", "en", "ens", "et", "ets", "er", "ers", "ene", "enes", "erne", "ernes", "n",
        "ns", "t", "ts", "ne", "nes", "r", "rs", "rne", "rnes", "ers",
    ];
    if ENDINGS.contains(&ending) {
        return true;
    }
    // A doubled last consonant is the rule's reading only where the dictionary does not spell
    // the word out as something else: "dagtilbuddene", but not "stille" after "stil".
    let undoubled = word
        .chars()
        .last()
        .and_then(|last| ending.strip_prefix(last))
        .filter(|rest| !rest.is_empty());
    undoubled.is_some_and(|rest| ENDINGS.contains(&rest))
        && ordinary(&format!("{word}{ending}")) != Ordinary::Listed
}

/// Bits of the stem-prefix set: one per three-letter prefix over a–z, 0–9 and "other".
// Also compiled into build.rs, which lays out the tables with it.
#[allow(dead_code)]
pub const PREFIX_WORDS: usize = (37usize * 37 * 37).div_ceil(64);

/// The bit of the first three bytes of `s` in the stem-prefix set; `None` if shorter.
pub fn prefix_bit(s: &str) -> Option<usize> {
    let class = |b: u8| match b {
        b'a'..=b'z' => usize::from(b - b'a'),
        b'0'..=b'9' => 26 + usize::from(b - b'0'),
        _ => 36,
    };
    match s.as_bytes() {
        [a, b, c, ..] => Some((class(*a) * 37 + class(*b)) * 37 + class(*c)),
        _ => None,
    }
}

/// Whether a set built from `prefix_bit` holds `s`'s prefix.
pub fn has_prefix(set: &[u64], s: &str) -> bool {
    prefix_bit(s).is_some_and(|b| set.get(b / 64).is_some_and(|w| w & (1 << (b % 64)) != 0))
}

/// The letters of `s` as bits (a–z, 0–9, any other character by its code), for a quick bound
/// on edit distance: each edit changes the set by at most two letters, so two words whose sets
/// differ by more than 2·d letters are more than d edits apart.
pub fn letter_mask(s: &str) -> u64 {
    s.chars().fold(0, |m, c| {
        let bit = match c {
            'a'..='z' => c as u32 - 'a' as u32,
            '0'..='9' => 26 + c as u32 - '0' as u32,
            c => 36 + c as u32 % 28,
        };
        m | 1 << bit
    })
}
