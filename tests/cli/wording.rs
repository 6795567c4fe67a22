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

/// Danish sentences still in files that the other parts of issue 18 rework at the same time
/// (`src/operations/`, `src/cli/admin.rs`: typed operations): they move to `responses/` with that
/// work. Each is (file, its text's beginning). Remove an entry when its sentence moves; never add
/// one. One entry a line, as written (rustfmt would break the short ones).
#[rustfmt::skip]
const PENDING: &[(&str, &str)] = &[
    ("src/cli/admin.rs", "Importfilen {} kan ikke læses ({}); intet er ændret."),
    ("src/cli/admin.rs", "{} Brug --allow-older for at indlæse det alligevel."),
    ("src/cli/admin.rs", "fra standard-input"),
    ("src/cli/admin.rs", "Statusoversigten {from} kan ikke læses ({}); intet er ændret."),
    ("src/operations/authorisation.rs", "Angiv hvem der foretager ændringen med --by NAVN; hver ændring har en forfatter."),
    ("src/operations/plan.rs", "Området «{id}» mangler i kataloget."),
    ("src/operations/plan.rs", "Der er ingen ændring at fortryde for {}."),
    ("src/operations/plan.rs", "Den seneste ændring kan ikke fortrydes."),
    ("src/operations/request.rs", "«{}» dækker flere områder ({}); nævn ét."),
    ("src/operations/request.rs", " Områderne er: {}."),
    ("src/operations/request.rs", " Mente du {}?"),
    ("src/operations/request.rs", "Jeg kender ikke området «{}».{hint}"),
    ("src/operations/subscriptions.rs", "område\\tbrugere\\tkanaler\\n"),
    ("src/operations/transfer.rs", "Importfilen kan ikke læses; intet er ændret. Fejlen: {}"),
    ("src/operations/transfer.rs", "Importfilen er ikke et helt katalog ({e}); intet er ændret."),
];

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

/// Every Danish sentence literal under `src/` outside test code, as "file:line: text", and the
/// `PENDING` entries no literal matches any more.
fn danish_literals() -> (Vec<String>, Vec<(&'static str, &'static str)>) {
    let files = rust_files(&src());
    let tests = test_only_files(&files);
    let mut out = Vec::new();
    let mut used = vec![false; PENDING.len()];
    for f in files.iter().filter(|f| !tests.contains(f)) {
        let text = std::fs::read_to_string(f).unwrap();
        let source = read(&text);
        let (ranges, _) = test_only(&source.code);
        for l in &source.literals {
            let in_test = ranges.iter().any(|(a, b)| (*a..*b).contains(&l.at));
            let rel = format!("src/{}", f.strip_prefix(src()).unwrap().display());
            let pending = PENDING
                .iter()
                .position(|(file, start)| *file == rel && l.text.starts_with(start));
            if let Some(i) = pending {
                used[i] = true;
            }
            let pending = pending.is_some();
            if !in_test && danish_sentence(&l.text) && !DATA.contains(&l.text.as_str()) && !pending
            {
                out.push(format!("{rel}:{}: {}", line_of(&text, l.at), l.text));
            }
        }
    }
    let stale = PENDING
        .iter()
        .zip(used)
        .filter(|(_, used)| !used)
        .map(|(entry, _)| *entry)
        .collect();
    (out, stale)
}

#[test]
fn no_danish_sentence_is_written_in_rust_code() {
    let (found, stale) = danish_literals();
    assert!(
        found.is_empty(),
        "Danish sentences belong in responses/ ({} found):\n{}",
        found.len(),
        found.join("\n")
    );
    assert!(
        stale.is_empty(),
        "these PENDING entries match no literal any more; remove them: {stale:?}"
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
