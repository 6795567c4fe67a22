//! Builds `data/words.fst`, the ordinary-word list the parser uses to keep typo tolerance for
//! non-words (`src/core/understand/words.rs`).
//!
//! Run on a machine with Debian's `hunspell-da` and `wamerican` installed:
//!     cargo run --example wordlist -- /usr/share/hunspell/da_DK.dic /usr/share/dict/american-english
//! The list holds every word folded as questions are (æ → ae, …), and its Danish and English
//! Snowball stems, so any inflection of a listed word is found by stemming.

use std::collections::BTreeSet;

use flisbot::core::understand::normalize::fold;
use flisbot::core::understand::words::{stem_danish, stem_english};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [danish, english] = args.as_slice() else {
        return Err("usage: wordlist DANISH.dic ENGLISH-WORDS".into());
    };
    let mut set = BTreeSet::new();
    let mut add = |word: &str| {
        let folded = fold(word);
        // One-token words of two letters or more; names with digits or punctuation are no use.
        let mut tokens = folded.tokens();
        if let (Some(t), None) = (tokens.next(), tokens.next()) {
            if t.chars().count() >= 2 && t.chars().all(|c| c.is_ascii_lowercase()) {
                set.insert(t.to_owned());
                set.insert(stem_danish(t));
                set.insert(stem_english(t));
            }
        }
    };
    // hunspell: a count on the first line, then WORD/FLAGS per line.
    for line in std::fs::read_to_string(danish)?.lines().skip(1) {
        add(line.split('/').next().unwrap_or_default());
    }
    for line in std::fs::read_to_string(english)?.lines() {
        if !line.ends_with("'s") {
            add(line);
        }
    }
    set.retain(|w| w.len() >= 2);
    let out = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/words.fst");
    let bytes = fst::Set::from_iter(&set)?.as_fst().as_bytes().to_vec();
    std::fs::write(&out, &bytes)?;
    println!("{} entries, {} bytes → {}", set.len(), bytes.len(), out.display());
    Ok(())
}
