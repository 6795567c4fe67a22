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
/// notes, which is also the state's name (FLIS' own words, and a slash command's choice).
const DATA: &[&str] = &["kører efter planen"];

/// Danish sentences still in files that the other parts of issue 18 rework at the same time
/// (`src/operations/`, `src/cli/admin.rs`: typed operations; `src/discord/`: a module per
/// command family): they move to `responses/` with that work. Each is (file, its text's
/// beginning). Remove an entry when its sentence moves; never add one.
const PENDING: &[(&str, &str)] = &[
    ("src/discord/attachment.rs", "Discord udleverede ikke filen (HTTP {}); intet er ændret. Prøv igen om lidt."),
    ("src/discord/attachment.rs", "Filen fylder {size}; en statusoversigt som tekst fylder nogle få kilobyte, og højst {}"),
    ("src/discord/attachment.rs", "Filen kunne ikke hentes fra Discord inden for {} sekunder; intet er ændret. Prøv"),
    ("src/discord/attachment.rs", "Filen kunne ikke hentes fra Discord; intet er ændret. Prøv igen om lidt."),
    ("src/discord/commands/mod.rs", "Beklager, noget gik galt. Prøv igen om lidt."),
    ("src/discord/commands/mod.rs", "Det kunne jeg ikke læse{}. Prøv igen."),
    ("src/discord/commands/mod.rs", "Beklager, det kunne jeg ikke udføre. Prøv igen."),
    ("src/discord/commands/questions.rs", "Dataområde, fx DREAM eller FSIII"),
    ("src/discord/commands/questions.rs", "Dataområde, fx DREAM; tomt for månedens udgivelse"),
    ("src/discord/commands/subscriptions.rs", "alt (slet alle dine abonnementer)"),
    ("src/discord/commands/subscriptions.rs", "Dataområde eller gruppe, fx DREAM eller Skole/Dagtilbud"),
    ("src/discord/commands/subscriptions.rs", "område-eller-gruppe"),
    ("src/discord/commands/subscriptions.rs", "Dataområde eller gruppe, eller alt"),
    ("src/discord/commands/subscriptions.rs", "En rolle, der nævnes i beskederne (den eneste ping, flisbot sender)"),
    ("src/discord/commands/subscriptions.rs", "Stop beskederne om det (alt: om alt) i denne kanal"),
    ("src/discord/commands/subscriptions.rs", "Stop opdateringen af tavlen i denne kanal"),
    ("src/discord/commands/subscriptions.rs", "Statustavlen i denne kanal opdateres ikke længere (opslaget bliver stående)."),
    ("src/discord/commands/subscriptions.rs", "Statustavlen i denne kanal findes allerede og holdes opdateret."),
    ("src/discord/commands/subscriptions.rs", "Statustavlen er slået op i denne kanal og rettes, når status ændres (højst hvert 10. sekund) og hver nat."),
    ("src/discord/commands/updates.rs", "kører efter planen"),
    ("src/discord/commands/updates.rs", "Data t.o.m. som ÅÅÅÅ-MM, eller none"),
    ("src/discord/commands/updates.rs", "Driftsbemærkning, ordret"),
    ("src/discord/commands/updates.rs", "Udgivelsens måned som ÅÅÅÅ-MM (tomt: denne måned)"),
    ("src/discord/commands/updates.rs", "Send udgivelsesmeddelelsen til kanalerne nu"),
    ("src/discord/commands/updates.rs", "\\nMeddelelsen er sendt til {} {}{}."),
    ("src/discord/commands/updates.rs", "; {} fejlede og prøves igen"),
    ("src/discord/commands/updates.rs", "Dataområde (tomt med import:True)"),
    ("src/discord/commands/updates.rs", "Fortryd hele den seneste import: alle dens områder og statusdatoen"),
    ("src/discord/commands/updates.rs", "Statusoversigtens tekst som fil, fx fra pdftotext"),
    ("src/discord/commands/updates.rs", "Gem ændringerne (uden: vis dem kun)"),
    ("src/discord/commands/updates.rs", "Områder, FLIS har fjernet fra oversigten (kommasepareret); de bliver, som de er"),
    ("src/discord/commands/updates.rs", "\\n\\nGem ændringerne med /importer, den samme fil og anvend:True. En tilstand, der"),
    ("src/discord/commands/updates.rs", "{message} Vedhæft den nyeste statusoversigt."),
    ("src/discord/commands/webhook.rs", "Kort navn: små bogstaver, cifre, - og _ (fx teams-hr)"),
    ("src/discord/commands/webhook.rs", "Hvad modtageren forventer"),
    ("src/discord/commands/webhook.rs", "Dataområder, kommasepareret (tomt: alle)"),
    ("src/discord/commands/webhook.rs", "Grupper, kommasepareret, fx beskaeftigelse (tomt: alle)"),
    ("src/discord/commands/webhook.rs", "Send også udgivelsesmeddelelserne"),
    ("src/discord/commands/webhook.rs", "generic: miljøvariablen med hemmeligheden (navnet, ikke værdien)"),
    ("src/discord/mod.rs", "HTTP-klienten kan ikke bygges: {e}"),
    ("src/discord/mod.rs", "Discord-klienten kan ikke bygges"),
    ("src/discord/mod.rs", "Discord afviste forbindelsen (4014): slå «Message Content Intent» til for botten"),
    ("src/discord/mod.rs", "Forbindelsen til Discord sluttede: {other}"),
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
