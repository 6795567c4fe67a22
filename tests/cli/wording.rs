//! Wording is data: every Danish sentence the bot says is in `responses/`, none in Rust code.
//! A string literal outside test code is a Danish sentence when it has two words or more and
//! one of them is Danish (a letter æ, ø or å, or a common Danish word no English text uses).

use crate::source::{line_of, read, rust_files, src, test_only, test_only_files};

/// Common Danish words that are not English ones.
const DANISH: &[&str] = &[
    "af", "alle", "angiv", "blev", "både", "dag", "de", "dem", "den", "denne", "der", "det",
    "dette", "din", "dine", "dit", "du", "eller", "en", "er", "et", "efter", "endnu", "fandtes",
    "fejl", "findes", "fra", "galt", "gik", "har", "hvad", "hvis", "hvor", "ikke", "ingen",
    "intet", "jeg", "kan", "kender", "kun", "mangler", "med", "mindst", "mig", "nogen", "noget",
    "nu", "og", "om", "op", "også", "prøv", "sig", "skal", "skulle", "som", "til", "ud", "ukendt",
    "var", "ved", "vil", "være",
];

/// Literals that are data, not wording: the phrase `answer::note_is_plain` reads in FLIS' drift
/// notes, which is also the state's name (FLIS' own words); the name of a slash command's option,
/// which users type and poise reads the option by (its macro takes the name from the attribute,
/// so it cannot come from `responses/discord_commands.toml` as the option's description does).
const DATA: &[&str] = &["kører efter planen", "område-eller-gruppe"];

fn danish_sentence(text: &str) -> bool {
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    words.len() >= 2
        && words
            .iter()
            .any(|w| w.contains(['æ', 'ø', 'å']) || DANISH.contains(&w.as_str()))
}

/// Every Danish sentence literal under `src/` outside test code, as "file:line: text".
fn danish_literals() -> Vec<String> {
    let files = rust_files(&src());
    let tests = test_only_files(&files);
    let mut out = Vec::new();
    for f in files.iter().filter(|f| !tests.contains(f)) {
        let text = std::fs::read_to_string(f).unwrap();
        let source = read(&text);
        let (ranges, _) = test_only(&source.code);
        for l in &source.literals {
            let in_test = ranges.iter().any(|(a, b)| (*a..*b).contains(&l.at));
            if !in_test && danish_sentence(&l.text) && !DATA.contains(&l.text.as_str()) {
                let rel = format!("src/{}", f.strip_prefix(src()).unwrap().display());
                out.push(format!("{rel}:{}: {}", line_of(&text, l.at), l.text));
            }
        }
    }
    out
}

#[test]
fn no_danish_sentence_is_written_in_rust_code() {
    let found = danish_literals();
    assert!(
        found.is_empty(),
        "Danish sentences belong in responses/ ({} found):\n{}",
        found.len(),
        found.join("\n")
    );
}

#[test]
fn the_wording_test_knows_a_danish_sentence() {
    assert!(danish_sentence("Beklager, noget gik galt."));
    assert!(danish_sentence("Ingen meddelelse er planlagt."));
    assert!(danish_sentence("ikke oplyst"));
    assert!(!danish_sentence("cannot read the store: {e}"));
    assert!(!danish_sentence("rendering failed"));
    assert!(!danish_sentence("Økonomi"));
}
