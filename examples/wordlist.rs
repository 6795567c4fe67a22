//! Builds `data/words.fst`, the ordinary-word list the parser uses to keep typo tolerance for
//! non-words (`src/core/understand/words.rs`).
//!
//! Run on a machine with Debian's `hunspell-da`, `hunspell-tools` and `wamerican` installed:
//!     unmunch /usr/share/hunspell/da_DK.dic /usr/share/hunspell/da_DK.aff > /tmp/da_forms.txt
//!     cargo run --release --example wordlist -- /tmp/da_forms.txt /usr/share/dict/american-english
//! The list holds every Danish word form and English word, folded as questions are (æ → ae, …),
//! and, marked with a leading `~`, the Danish Snowball stem of every Danish form, so that a form
//! the dictionary does not spell out is still known by its stem.

use std::collections::BTreeSet;

use flisbot::core::understand::normalize::fold;
use flisbot::core::understand::words::stem_danish;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [danish, english] = args.as_slice() else {
        return Err("usage: wordlist DANISH-FORMS ENGLISH-WORDS".into());
    };
    let mut set = BTreeSet::new();
    // One-token words of two letters or more; names with digits or punctuation are no use.
    let one_word = |word: &str| {
        let folded = fold(word);
        let mut tokens = folded.tokens();
        match (tokens.next(), tokens.next()) {
            (Some(t), None) if t.len() >= 2 && t.chars().all(|c| c.is_ascii_lowercase()) => {
                Some(t.to_owned())
            }
            _ => None,
        }
    };
    // unmunch: WORD or WORD/FLAGS per line; it cuts a few multi-byte letters, and those lines
    // (read lossily) fall out as non-words.
    // A line may carry morphological fields after the word: "har st:have", and "nogen
    // al:noget al:nogle" names other forms of the same word.
    for line in String::from_utf8_lossy(&std::fs::read(danish)?).lines() {
        let mut fields = line.split_whitespace();
        let word = fields.next().unwrap_or_default();
        let forms = std::iter::once(word.split('/').next().unwrap_or_default())
            .chain(fields.filter_map(|f| f.strip_prefix("al:")));
        for w in forms.filter_map(one_word) {
            set.insert(format!("~{}", stem_danish(&w)));
            set.insert(w);
        }
    }
    for line in std::fs::read_to_string(english)?.lines() {
        if let Some(w) = one_word(line).filter(|_| !line.ends_with("'s")) {
            set.insert(w);
        }
    }
    let out = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/words.fst");
    let bytes = fst::Set::from_iter(&set)?.as_fst().as_bytes().to_vec();
    std::fs::write(&out, &bytes)?;
    println!(
        "{} entries, {} bytes → {}",
        set.len(),
        bytes.len(),
        out.display()
    );
    Ok(())
}
