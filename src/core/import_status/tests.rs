//! The reader against the real seed and against documents written in its style. The import
//! through `operations::execute` on a real store is tested in `operations`.

use super::*;
use crate::core::catalogue::default_catalogue;
use crate::test_support::{line_of, NOVEMBER};

/// A whole document, read as an import reads it.
fn read(text: &str) -> StatusDocument {
    parse(text, default_catalogue()).unwrap_or_else(|e| panic!("{e}"))
}

/// The rows of a part of a document (a few rows, no rules section): how the table is read.
fn rows_of(text: &str) -> StatusDocument {
    super::read(text, default_catalogue())
        .unwrap_or_else(|e| panic!("{e}"))
        .0
}

fn refusal(text: &str) -> StatusError {
    parse(text, default_catalogue()).expect_err("the document is refused")
}

fn ym(s: &str) -> Option<YearMonth> {
    Some(s.parse().unwrap())
}

fn row(doc: &StatusDocument, id: AreaId) -> &StatusRow {
    doc.rows.get(&id).unwrap_or_else(|| panic!("{id} is read"))
}

#[test]
fn the_seed_and_the_default_catalogue_agree_field_for_field() {
    let catalogue = default_catalogue();
    let doc = read(SEED_DOCUMENT);
    assert_eq!(doc.as_of, catalogue.as_of);
    assert_eq!(doc.label(), "pr. 10/9-25");
    let mut differences = Vec::new();
    for area in &catalogue.areas {
        let Some(r) = doc.rows.get(&area.id) else {
            differences.push(format!("{}: not in the seed", area.id));
            continue;
        };
        let fields = [
            ("name", text::fold(&r.name), text::fold(&area.name)),
            ("frequency", r.frequency.clone(), area.frequency.clone()),
            (
                "through",
                format!("{:?}", r.through),
                format!("{:?}", area.through),
            ),
            (
                "source",
                format!("{:?}", r.source),
                format!("{:?}", area.source),
            ),
            ("note", format!("{:?}", r.note), format!("{:?}", area.note)),
            (
                "state",
                format!("{:?}", infer_state(r.note.as_deref())),
                format!("{:?}", area.state),
            ),
        ];
        for (field, seed, default) in fields {
            if seed != default {
                differences.push(format!(
                    "{}.{field}: seed {seed}, default {default}",
                    area.id
                ));
            }
        }
    }
    assert_eq!(
        differences,
        ["borgerflex: not in the seed", "ukraine: not in the seed"],
        "every listed area is transcribed as the seed has it"
    );
}

#[test]
fn the_embedded_seed_is_the_shared_one() {
    let shared = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/seed/000_7f9b2e578c337fd2.txt"
    );
    // ../shared sits beside the repository in development and CI; elsewhere the copy stands.
    if let Ok(bytes) = std::fs::read(shared) {
        assert_eq!(bytes, SEED_DOCUMENT.as_bytes());
    }
}

#[test]
fn the_seed_rules_section_is_a_line_per_heading_and_bullet() {
    let lines: Vec<&str> = seed_rules_text().lines().collect();
    assert_eq!(lines.len(), 9, "{lines:#?}");
    assert_eq!(lines[0], "Opdateringsfrekvens");
    assert_eq!(
        lines[1],
        "Alle dataområder opdateres 1 x månedligt med én måneds forsinkelse. Det gælder DAP såvel som datapakker."
    );
    assert_eq!(lines[4], "Undtagelser:");
    assert_eq!(
        lines[6],
        "Borger Flex og DREAM udlæses 2-3 uger før de øvrige dataområder, så kommunerne har dem før. Data er med samme forsinkelse som ovenfor hhv. 1 måned og 3 mdr."
    );
    assert_eq!(lines[8], "Ukraine-kuben opdateres dagligt");
}

#[test]
fn a_later_document_reads_wrapped_names_notes_and_pages() {
    let doc = read(NOVEMBER);
    assert_eq!(doc.label(), "pr. 10/11-25");
    assert_eq!(doc.as_of_line, 4);
    assert_eq!(doc.rows.len(), 17);
    let names: Vec<(&str, usize)> = [AreaId::Personale, AreaId::Krl, AreaId::Udsatte]
        .iter()
        .map(|id| (row(&doc, *id).name.as_str(), row(&doc, *id).line))
        .collect();
    assert_eq!(
        names,
        [
            ("Personale & Fravær", line_of(NOVEMBER, "Personale ")),
            ("KRL Personale", line_of(NOVEMBER, "KRL ")),
            ("Udsatte børn og unge", line_of(NOVEMBER, "Udsatte")),
        ]
    );
    let skole = row(&doc, AreaId::Skole);
    assert_eq!(skole.frequency, "Månedligt/årligt");
    assert_eq!(
        skole.note.as_deref(),
        Some("Der er endnu ikke data fra fagløsningen Min Uddannelse. Der arbejdes på en opdatering af løsningen, og en ny tidsplan ventes i december."),
        "the note runs over the page break; page number, title and headers are left out"
    );
    assert_eq!(
        row(&doc, AreaId::Oekonomi).note.as_deref(),
        Some("Kører efter planen på nær for Københavns Kommune: Budgetdata for regnskabsåret 2025 er rettet, men regnskabsdata for 2024 mangler stadig.")
    );
    let fsiii = row(&doc, AreaId::Fsiii);
    assert_eq!(
        fsiii.source.as_deref(),
        Some("Fælleskommunal gateway (fra kommunernes EOJ-løsninger)")
    );
    assert_eq!(
        fsiii.note.as_deref(),
        Some("Da TRIFORK ændrer snitflader, mangler data fra en række kommuner. Se driftsinfo for nærmere oplysninger.")
    );
    assert_eq!(
        row(&doc, AreaId::Aeldre).source,
        default_catalogue().area(AreaId::Aeldre).unwrap().source,
        "a source wrapped elsewhere is the same source"
    );
    assert_eq!(
        row(&doc, AreaId::Yr).source.as_deref(),
        Some("Ydelsesrefusion (YR)"),
        "a new source is told from the note on its line"
    );
    let noegletal = row(&doc, AreaId::Noegletal);
    assert_eq!(
        (noegletal.source.as_ref(), noegletal.note.as_ref()),
        (None, None)
    );
    assert_eq!(row(&doc, AreaId::Borger).through, ym("2025-09"));
    assert_eq!(row(&doc, AreaId::Krl).through, ym("2025-06"));
    assert_eq!(row(&doc, AreaId::Dream).through, ym("2025-07"));
    assert_eq!(row(&doc, AreaId::Vh).through, ym("2025-08"));
    let states: Vec<(AreaId, State)> = [AreaId::Krl, AreaId::Dfdg, AreaId::Vh, AreaId::Oekonomi]
        .iter()
        .map(|id| (*id, infer_state(row(&doc, *id).note.as_deref())))
        .collect();
    assert_eq!(
        states,
        [
            (AreaId::Krl, State::Ok),
            (AreaId::Dfdg, State::Ok),
            (AreaId::Vh, State::Down),
            (AreaId::Oekonomi, State::Disturbed),
        ]
    );
}

#[test]
fn a_rewrapped_rules_section_compares_equal_and_a_changed_bullet_shows() {
    let doc = read(NOVEMBER);
    let changes = rules_changes(seed_rules_text(), &doc.rules_text);
    assert_eq!(
        changes,
        [
            RuleLine {
                change: RuleChange::Removed,
                text: "STIL-data opdateres årligt".into()
            },
            RuleLine {
                change: RuleChange::Added,
                text: "STIL-data opdateres årligt i oktober".into()
            },
        ]
    );
}

#[test]
fn months_take_the_latest_year_not_after_the_document() {
    let doc = rows_of(
        "Status på drift og opdateringsfrekvens\nPr. 12/1-26\n\nOversigt pr. 12/1\nBorger Månedligt November CPR-registret Kører efter planen\nKY Månedligt December KY Kører efter planen\nKP Månedligt Januar KP Kører efter planen\nYR Månedligt Sep. YR Kører efter planen\nAula Månedligt Juli 2025 Aula Kører efter planen\n",
    );
    let months: Vec<String> = [
        AreaId::Borger,
        AreaId::Ky,
        AreaId::Kp,
        AreaId::Yr,
        AreaId::Aula,
    ]
    .iter()
    .map(|id| {
        row(&doc, *id)
            .through
            .map(|m| m.to_string())
            .unwrap_or_default()
    })
    .collect();
    assert_eq!(
        months,
        ["2025-11", "2025-12", "2026-01", "2025-09", "2025-07"]
    );
    assert_eq!(row(&doc, AreaId::Aula).source.as_deref(), Some("Aula"));
}

#[test]
fn a_source_and_note_that_cannot_be_told_apart_are_refused_not_guessed() {
    let doc =
        |rest: &str| format!("Pr. 10/11-25\nOversigt pr. 10/11\nKY Månedligt September {rest}\n");
    let on_own_line = rows_of(&doc(
        "Nyt ydelsessystem\nStore forsinkelser hos leverandøren.",
    ));
    let ky = row(&on_own_line, AreaId::Ky);
    assert_eq!(
        (ky.source.as_deref(), ky.note.as_deref()),
        (
            Some("Nyt ydelsessystem"),
            Some("Store forsinkelser hos leverandøren.")
        )
    );
    let same_line = doc("Nyt ydelsessystem Store forsinkelser hos leverandøren.");
    let e = refusal(&same_line);
    assert_eq!(e.line, 3);
    assert!(matches!(e.problem, Problem::SourceOrNote { .. }), "{e}");
    let prefix_of_new = rows_of(&doc("KY og KY-ydelser Kører efter planen"));
    assert_eq!(
        row(&prefix_of_new, AreaId::Ky).source.as_deref(),
        Some("KY og KY-ydelser"),
        "the old source «KY» is not cut out of a longer new one"
    );
}

/// Replaces the one line of `NOVEMBER` that starts with `needle` by `by`.
fn november_with(needle: &str, by: &str) -> String {
    let at = line_of(NOVEMBER, needle);
    NOVEMBER
        .split('\n')
        .enumerate()
        .map(|(i, l)| if i + 1 == at { by } else { l })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn bad_documents_are_refused_with_their_line_and_what_was_expected() {
    let no_date = november_with("Pr. 10/11-25", "");
    let first_table_line = 1 + NOVEMBER
        .split('\n')
        .position(|l| l.starts_with("Oversigt pr."))
        .unwrap();
    let unknown_area = november_with(
        "KP Månedligt",
        "KPX Månedligt September KP Kører efter planen",
    );
    let unknown_wrapped = november_with(
        "Aula Månedligt",
        "Nyt\n\nområde\nMånedligt September Aula -",
    );
    let bad_month = november_with(
        "Borger Månedligt",
        "Borger Månedligt Septemper CPR-registret Kører efter planen",
    );
    let bad_frequency = november_with("Aula Månedligt", "Aula Halvmånedligt September Aula -");
    let duplicate = november_with(
        "KP Månedligt",
        "KY Månedligt September KY Kører efter planen",
    );
    let year_only = november_with("Pr. 10/11-25", "Pr. 10/11");
    let later_month = november_with("YR Månedligt", "YR Månedligt December 2025 YR -");
    let year = |y: &str| {
        november_with(
            "YR Månedligt",
            &format!("YR Månedligt December {y} Ydelsesrefusion (YR) Kører efter planen"),
        )
    };
    let cases: Vec<(&str, String, usize, &str)> = vec![
        ("empty", "  \n\n\t\n".into(), 1, "tomt"),
        (
            "binary",
            "FLIS\nPr. 10/11-25\n\u{0}\u{1}\u{2}".into(),
            3,
            "binære",
        ),
        ("no date", no_date.clone(), first_table_line, "dato mangler"),
        ("date without year", year_only, 4, "D/M-ÅÅ"),
        (
            "unknown area",
            unknown_area.clone(),
            line_of(&unknown_area, "KPX"),
            "«KPX»",
        ),
        (
            "unknown wrapped area",
            unknown_wrapped.clone(),
            line_of(&unknown_wrapped, "område"),
            "«område»",
        ),
        (
            "bad month",
            bad_month.clone(),
            line_of(&bad_month, "Borger Månedligt"),
            "«Septemper» er ikke en måned",
        ),
        (
            "bad frequency",
            bad_frequency.clone(),
            line_of(&bad_frequency, "Aula Halvmånedligt"),
            "opdateringsfrekvens",
        ),
        (
            "duplicate",
            duplicate.clone(),
            line_of(NOVEMBER, "KP Månedligt"),
            "første gang i linje",
        ),
        (
            "month after the document",
            later_month.clone(),
            line_of(&later_month, "YR Månedligt"),
            "efter dokumentets dato",
        ),
        (
            "a year that is no year",
            year("9999"),
            line_of(NOVEMBER, "YR Månedligt"),
            "«9999» efter «December» er ikke et årstal, der kan passe, for YR",
        ),
        (
            "a year of the last century",
            year("1999"),
            line_of(NOVEMBER, "YR Månedligt"),
            "«1999» efter «December» er ikke et årstal",
        ),
        (
            "a year in two digits",
            year("24"),
            line_of(NOVEMBER, "YR Månedligt"),
            "«24» efter «December» er ikke et årstal",
        ),
        (
            "no table",
            "FLIS\nPr. 10/11-25\nOpdateringsfrekvens\nIntet andet.\n".into(),
            4,
            "tabellen",
        ),
        (
            "junk where a row must start",
            "Pr. 10/11-25\nOversigt pr. 10/11\nHej med dig\nBorger Månedligt Juli - -".into(),
            3,
            "«Hej med dig»",
        ),
    ];
    assert_refused(cases);
}

/// Each (what, text, line, says) is refused on `line` with a message containing `says`.
fn assert_refused(cases: Vec<(&str, String, usize, &str)>) {
    let mut failures = Vec::new();
    for (what, text, line, says) in cases {
        match parse(&text, default_catalogue()) {
            Ok(_) => failures.push(format!("{what}: accepted")),
            Err(e) if e.line != line || !e.user_message().contains(says) => failures.push(format!(
                "{what}: want line {line} with {says:?}, got {}",
                e.user_message()
            )),
            Err(_) => {}
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn the_seed_cut_at_any_byte_is_refused_or_read_whole() {
    cut_at_every_byte(SEED_DOCUMENT);
}

#[test]
fn the_november_document_cut_at_any_byte_is_refused_or_read_whole() {
    cut_at_every_byte(NOVEMBER);
}

/// A document cut at any byte is refused, or, where the cut falls after the whole document's
/// last row, read exactly as the whole one: never a part taken for the whole.
fn cut_at_every_byte(whole: &str) {
    let catalogue = default_catalogue();
    let full = read(whole);
    let expected: Vec<AreaId> = full.rows.keys().copied().collect();
    // Both end with YR's row; after it comes at most a page number.
    assert_eq!(
        full.rows[&AreaId::Yr].note.as_deref(),
        Some("Kører efter planen")
    );
    let end = whole.rfind("Kører efter planen").unwrap() + "Kører efter planen".len();
    let mut accepted = Vec::new();
    for cut in 0..whole.len() {
        let bytes = &whole.as_bytes()[..cut];
        let outcome = decode(bytes)
            .and_then(|text| parse(text, catalogue))
            .and_then(|d| match d.missing(&expected, catalogue) {
                Some(e) => Err(e),
                None => Ok(d),
            });
        if let Ok(doc) = outcome {
            accepted.push(cut);
            assert!(
                cut >= end,
                "cut at byte {cut} of {} read as whole: …{:?}",
                full.label(),
                &whole[cut.saturating_sub(40)..cut]
            );
            assert_eq!(
                StatusDocument {
                    last_line: full.last_line,
                    ..doc
                },
                full
            );
        }
    }
    assert!(
        accepted.contains(&end),
        "{}: the text up to its last row's end reads",
        full.label()
    );
}

/// The 1-based numbers of the lines of `text` that start with `needle`.
fn lines_starting(text: &str, needle: &str) -> Vec<usize> {
    text.split('\n')
        .enumerate()
        .filter(|(_, l)| l.trim_start_matches('\x0c').starts_with(needle))
        .map(|(i, _)| i + 1)
        .collect()
}

/// `whole` without its line `no` (1-based).
fn without_line_no(whole: &str, no: usize) -> String {
    whole
        .split('\n')
        .enumerate()
        .filter(|(i, _)| i + 1 != no)
        .map(|(_, l)| l)
        .collect::<Vec<_>>()
        .join("\n")
}

/// What a document gives the catalogue: its date and every row's values.
#[allow(clippy::type_complexity)]
fn values(
    d: &StatusDocument,
) -> (
    NaiveDate,
    Vec<(
        AreaId,
        String,
        Option<YearMonth>,
        Option<String>,
        Option<String>,
    )>,
) {
    let rows = d
        .rows
        .iter()
        .map(|(id, r)| {
            let r = r.clone();
            (*id, r.frequency, r.through, r.source, r.note)
        })
        .collect();
    (d.as_of, rows)
}

/// Every single line dropped from either document (a line lost in the text extraction or a
/// copy): refused, or read into exactly what the whole document gives the catalogue. A lost
/// page-header piece (title, "Oversigt pr. …", any line of the column headers, a page number)
/// or blank line changes nothing and is read; a lost line of a note, source, name or row leaves
/// two blank lines where the document has one, and is refused with the area and line named.
/// Five drops in the rules section leave no trace (the second line of a bullet whose two lines
/// stand together, the section's last bullet): the rules section is never applied, and the
/// dry run shows such a line as changed.
#[test]
fn every_single_line_dropped_from_either_document_is_refused_or_read_whole() {
    let catalogue = default_catalogue();
    let mut wrong = Vec::new();
    let mut rules_only = Vec::new();
    let mut furniture_refused = Vec::new();
    for whole in [SEED_DOCUMENT, NOVEMBER] {
        let full = read(whole);
        let expected: Vec<AreaId> = full.rows.keys().copied().collect();
        let table = lines_starting(whole, "Oversigt pr.")[0];
        for (i, line) in whole.split('\n').enumerate() {
            let no = i + 1;
            let damaged = without_line_no(whole, no);
            let outcome =
                parse(&damaged, catalogue).and_then(|d| match d.missing(&expected, catalogue) {
                    Some(e) => Err(e),
                    None => Ok(d),
                });
            let words: Vec<&str> = line.split_whitespace().collect();
            let furniture = no >= table
                && (words.is_empty()
                    || super::is_page_header(&words)
                    || super::is_page_number(&words)
                    || format::format().is_title(&words)
                    || words.iter().all(|w| format::format().is_column_header(w)));
            let doc = match outcome {
                Err(e) => {
                    if furniture {
                        furniture_refused.push(format!("{} line {no} {line:?}: {e}", full.label()));
                    }
                    continue;
                }
                Ok(doc) => doc,
            };
            if values(&doc) != values(&full) {
                wrong.push(format!("{} line {no} {line:?}", full.label()));
            } else if doc.rules_text != full.rules_text {
                assert!(no < table, "{} line {no}", full.label());
                assert!(!rules_changes(&full.rules_text, &doc.rules_text).is_empty());
                rules_only.push(line.trim());
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "read with other values:\n{}",
        wrong.join("\n")
    );
    assert!(
        furniture_refused.is_empty(),
        "page furniture or a blank line lost, refused:\n{}",
        furniture_refused.join("\n")
    );
    assert_eq!(
        rules_only,
        [
            "betyder, at man med udlæsningen primo november kan se data t.o.m. juni.",
            "▪ Ukraine-kuben opdateres dagligt",
            "gælder DAP såvel som datapakker.",
            "betyder, at man med udlæsningen primo november kan se data t.o.m. juni.",
            "▪ Ukraine-kuben opdateres dagligt",
        ]
    );
}

/// A lost line is refused naming the area and the line, with what to do.
#[test]
fn a_line_lost_from_a_note_or_source_mid_document_is_refused_naming_the_area() {
    let drop = |needle: &str| without_line_no(NOVEMBER, line_of(NOVEMBER, needle));
    let vh_end = drop("tilgængelige igen.");
    let vh_mid = drop("benchmarkdata genberegnes");
    let fsiii_source = drop("kommunernes EOJ-løsninger)");
    // The second page's header (before it, Nøgletal's note is "-").
    let header = without_line_no(
        NOVEMBER,
        lines_starting(NOVEMBER, "Dataområde Opdaterings-")[1],
    );
    let cases: Vec<(&str, String, usize, &str)> = vec![
        (
            "the last line of VH's note",
            vh_end.clone(),
            line_of(&vh_end, "benchmarkdata genberegnes") + 1,
            "Linje 134: efter «benchmarkdata genberegnes efter GDPR-tilpasningen…» står 2 tomme linjer i træk (sidst i rækken for VH), hvor dokumentet ellers har 1 mellem to linjer: her mangler vist en linje (slutningen af driftsbemærkningen, en gruppeoverskrift eller en række).",
        ),
        (
            "a middle line of VH's note",
            vh_mid.clone(),
            line_of(&vh_mid, "VH Månedligt") + 1,
            "(i rækken for VH)",
        ),
        (
            "the second line of FSIII's source",
            fsiii_source.clone(),
            line_of(&fsiii_source, "FSIII Månedligt") + 1,
            "(i rækken for FSIII)",
        ),
    ];
    assert_refused(cases);
    for text in [&vh_end, &vh_mid] {
        assert!(refusal(text)
            .user_message()
            .contains("Tag teksten fra PDF'en igen med «pdftotext FIL.pdf -»; mangler der intet, så fjern de overskydende tomme linjer."));
    }
    // A page header's first line lost: the rest of it is still page furniture, not a note.
    let doc = read(&header);
    assert_eq!(doc.rows[&AreaId::Noegletal].note, None);
    assert!(values(&doc) == values(&read(NOVEMBER)) && doc.rules_text == read(NOVEMBER).rules_text);
}

/// What makes a document less than whole is named, with its line: a cut note, a row without
/// its note, a group with no rows, a rules section without its headings, areas it lacks.
#[test]
fn a_document_less_than_whole_is_refused_naming_what_is_missing() {
    let cut_at = |needle: &str| {
        let at = NOVEMBER.find(needle).unwrap() + needle.len();
        NOVEMBER[..at].to_owned()
    };
    let vh_cut = cut_at("Vi melder ud, når data er ");
    let first_line =
        |text: &str, start: &str| 1 + text.split('\n').position(|l| l.starts_with(start)).unwrap();
    let no_rules = {
        let start = NOVEMBER.find("Pr. 10/11-25\n").unwrap() + "Pr. 10/11-25\n".len();
        let table = NOVEMBER.find("Oversigt pr.").unwrap();
        format!("{}{}", &NOVEMBER[..start], &NOVEMBER[table..])
    };
    let seed_cut = {
        let at = SEED_DOCUMENT.find("YR Kører efter").unwrap() + "YR Kører efter".len();
        SEED_DOCUMENT[..at].to_owned()
    };
    let cases: Vec<(&str, String, usize, &str)> = vec![
        (
            "a note cut mid-sentence",
            cut_at("tilgængelige ig"),
            line_of(NOVEMBER, "tilgængelige igen"),
            "driftsbemærkningen for VH holder op midt i en sætning («… ud, når data er tilgængelige ig»)",
        ),
        (
            "a note cut after a word",
            vh_cut.clone(),
            line_of(&vh_cut, "benchmarkdata genberegnes"),
            "driftsbemærkningen for VH holder op midt i en sætning («… Vi melder ud, når data er»)",
        ),
        (
            "the running phrase cut",
            seed_cut,
            line_of(SEED_DOCUMENT, "YR Månedligt"),
            "driftsbemærkningen for YR holder op midt i en sætning («Kører efter»)",
        ),
        (
            "a row cut after its source",
            cut_at("KY Månedligt September KY"),
            line_of(NOVEMBER, "KY Månedligt"),
            "rækken for KY holder op efter kilden",
        ),
        (
            "a group heading and nothing under it",
            cut_at("Beskæftigelse\n"),
            line_of(NOVEMBER, "Beskæftigelse"),
            "gruppen «Beskæftigelse» har ingen rækker",
        ),
        (
            "no rules section",
            no_rules.clone(),
            first_line(&no_rules, "Oversigt pr."),
            "regelafsnittet mangler Opdateringsfrekvens og Undtagelser",
        ),
        (
            "no exceptions heading",
            NOVEMBER.replace("Undtagelser:\n\n", ""),
            first_line(NOVEMBER, "Opdateringsfrekvens"),
            "regelafsnittet mangler Undtagelser;",
        ),
    ];
    assert_refused(cases);

    // Rows dropped from a whole document (each with the blank line after it, as the text of a
    // document without them has it): it reads, and the areas it lacks are named with where it
    // stops.
    let expected: Vec<AreaId> = read(NOVEMBER).rows.keys().copied().collect();
    let dropped = NOVEMBER.replace(
        "YR Månedligt September Ydelsesrefusion (YR) Kører efter planen\n\n",
        "",
    );
    let doc = read(&dropped);
    let e = doc.missing(&expected, default_catalogue()).unwrap();
    assert_eq!(e.line, doc.last_line);
    assert!(
        e.user_message().contains(&format!(
            "Linje {}: her slutter dokumentet uden YR, som stod i den forrige statusoversigt.",
            doc.last_line
        )),
        "{}",
        e.user_message()
    );
    let two = dropped.replace(
        "KRL \n\nPersonale\n\nMånedligt Juni KRL Personale og KRL fravær Kører efter planen\n\n",
        "",
    );
    let doc = read(&two);
    let e = doc.missing(&expected, default_catalogue()).unwrap();
    assert!(
        matches!(&e.problem, Problem::Missing { ids, .. } if ids == &["krl", "yr"]),
        "{e}"
    );
    assert!(read(NOVEMBER)
        .missing(&expected, default_catalogue())
        .is_none());
}

#[test]
fn bytes_that_are_not_a_text_document_are_refused() {
    assert_eq!(decode("\u{feff}Pr. 10/9-25".as_bytes()), Ok("Pr. 10/9-25"));
    assert_eq!(decode(b"%PDF-1.7\n...").unwrap_err().problem, Problem::Pdf);
    let latin1 = b"FLIS\nPr. 10/9-25\nDataomr\xe5de";
    assert_eq!(
        decode(latin1),
        Err(StatusError::new(3, Problem::NotUtf8)),
        "the line of the first bad byte"
    );
    assert_eq!(decode(b"").unwrap_err().problem, Problem::Empty);
    assert!(matches!(
        decode(b"FLIS\n\x00\x00").unwrap_err(),
        StatusError {
            line: 2,
            problem: Problem::Binary { .. }
        }
    ));
    let big = vec![b'a'; MAX_DOCUMENT_BYTES + 1];
    assert!(matches!(
        decode(&big).unwrap_err().problem,
        Problem::TooLarge { .. }
    ));
    assert!(decode(SEED_DOCUMENT.as_bytes()).is_ok());
    let crlf = SEED_DOCUMENT.replace('\n', "\r\n");
    assert_eq!(
        read(&crlf),
        read(SEED_DOCUMENT),
        "Windows line ends read the same"
    );
}

#[test]
fn a_megabyte_is_read_in_linear_time() {
    // Shapes that once cost a search per line: prose without a table, a huge rules section,
    // one row with a note over a hundred thousand lines. Quadratic reading took minutes.
    let prose = |lines: usize| "data fra\n".repeat(lines);
    let rules = |lines: usize| {
        format!(
            "Pr. 10/11-25\n{}Oversigt pr. 10/11\nBorger Månedligt Juli CPR-registret -\n",
            "▪ Data fra\n".repeat(lines)
        )
    };
    let note = |lines: usize| {
        format!(
            "Pr. 10/11-25\nOversigt pr. 10/11\nBorger Månedligt Juli Ny kilde\n{}",
            "data fra\n".repeat(lines)
        )
    };
    let cost = |text: &str| {
        let before = crate::test_support::thread_cpu_time();
        let _ = parse(text, default_catalogue())
            .map(|d| rules_changes(seed_rules_text(), &d.rules_text));
        crate::test_support::thread_cpu_time() - before
    };
    let shapes: [(&dyn Fn(usize) -> String, usize); 3] =
        [(&prose, 110_000), (&rules, 70_000), (&note, 110_000)];
    for (shape, lines) in shapes {
        let whole = shape(lines);
        assert!(whole.len() <= MAX_DOCUMENT_BYTES);
        // Eight times the text costs eight times the time when reading is linear, 64 times
        // when it is quadratic. Processor time of this thread, so a busy machine (or a debug
        // build) shifts both alike; the 250 ms cover the clock's 10 ms steps and a slow start.
        let eighth = cost(&shape(lines / 8));
        let all = cost(&whole);
        assert!(
            all < eighth * 24 + std::time::Duration::from_millis(250),
            "{lines} lines: {all:?}, an eighth of them: {eighth:?}"
        );
    }
}

mod never_panics {
    use super::*;
    use proptest::prelude::*;

    fn seed_lines() -> Vec<&'static str> {
        SEED_DOCUMENT
            .split('\n')
            .chain(NOVEMBER.split('\n'))
            .collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

        #[test]
        fn on_any_text(s in proptest::collection::vec(any::<char>(), 0..400)) {
            let text: String = s.into_iter().collect();
            let _ = parse(&text, default_catalogue());
            let _ = decode(text.as_bytes());
        }

        #[test]
        fn on_any_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
            if let Ok(text) = decode(&bytes) {
                let _ = parse(text, default_catalogue());
            }
        }

        /// Real lines dropped, repeated, reordered and cut, with arbitrary words put in: the
        /// documents most like what an operator may hand in.
        #[test]
        fn on_shuffled_and_cut_document_lines(
            picks in proptest::collection::vec((0usize..400, 0usize..80, any::<bool>()), 0..160),
            noise in "[A-Za-zæøåÆØÅ0-9 ./:-]{0,20}",
        ) {
            let lines = seed_lines();
            let text: String = picks
                .iter()
                .map(|(i, cut, add_noise)| {
                    let line = lines[i % lines.len()];
                    let cut = line.char_indices().nth(*cut).map_or(line, |(b, _)| &line[..b]);
                    if *add_noise { format!("{cut} {noise}\n") } else { format!("{cut}\n") }
                })
                .collect();
            let _ = parse(&text, default_catalogue());
        }
    }
}
