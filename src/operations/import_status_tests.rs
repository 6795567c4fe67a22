//! The status import end to end in the library: `execute` with `Request::ImportStatus` on a
//! real store in a temporary folder (the reader itself is tested in `core::import_status`).

use std::sync::Arc;

use super::*;
use crate::core::catalogue::{default_catalogue, Area, Author, Catalogue, State};
use crate::core::history::Action;
use crate::core::history::Subject;
use crate::core::import_status::{seed_rules_text, RuleChange, SEED_DOCUMENT};
use crate::operations::transfer::Format;
use crate::store::Store;
use crate::test_support::{at, line_of, TempStore, NOVEMBER};
use crate::views::render::{render_template, Template};

/// Two days after the November document.
const NOW: &str = "2025-11-12T10:00:00+01:00";

struct Import<'a> {
    text: &'a str,
    states: &'a [&'a str],
    dropped: &'a [&'a str],
    allow_older: bool,
    dry_run: bool,
}

fn doc(text: &str) -> Import<'_> {
    Import {
        text,
        states: &[],
        dropped: &[],
        allow_older: false,
        dry_run: false,
    }
}

fn run(store: &Store, i: Import<'_>) -> Result<Outcome, AppError> {
    let request = Request::ImportStatus {
        text: i.text.to_owned(),
        // As the command line reads `--state AREA=STATE`.
        states: i
            .states
            .iter()
            .map(|s| crate::operations::input::area_state(s))
            .collect::<Result<_, _>>()?,
        dropped: i.dropped.iter().map(|s| (*s).into()).collect(),
        allow_older: i.allow_older,
    };
    as_mette(store, request, i.dry_run)
}

/// Runs `request` as Mette on the command line, two days after the November document.
fn as_mette(store: &Store, request: Request, dry_run: bool) -> Result<Outcome, AppError> {
    execute(
        store,
        &Operators::default(),
        &Actor::Cli {
            name: "Mette".into(),
        },
        &request,
        at(NOW),
        dry_run,
    )
}

/// Every history entry of the store, by subject.
fn all_history(store: &Store) -> Vec<(Subject, HistoryEntry)> {
    AreaId::ALL
        .iter()
        .map(|id| Subject::Area(*id))
        .chain([Subject::Catalogue])
        .flat_map(|s| {
            store
                .history(s, usize::MAX)
                .unwrap()
                .into_iter()
                .map(move |e| (s, e))
        })
        .collect()
}

type Everything = (
    Arc<Catalogue>,
    Vec<(Subject, HistoryEntry)>,
    Option<Arc<str>>,
);

/// Everything an import may write: the catalogue, its history, the stored rules section.
fn everything(store: &Store) -> Everything {
    (store.catalogue(), all_history(store), store.status_rules())
}

fn untouched() -> Everything {
    (Arc::new(default_catalogue().clone()), Vec::new(), None)
}

/// Runs an import that must be refused; checks that nothing changed and returns the message.
fn refused(store: &Store, i: Import<'_>) -> String {
    let before = store.contents().unwrap();
    let err = run(store, i).expect_err("the import is refused");
    assert_eq!(
        store.contents().unwrap(),
        before,
        "a refusal changes nothing"
    );
    assert!(
        matches!(
            err,
            AppError::Invalid(_) | AppError::Argument(_) | AppError::Document(_)
        ),
        "{err:?}"
    );
    assert_eq!(err.exit_code(), 2);
    err.user_message()
}

fn without_stamps(c: &Catalogue) -> Catalogue {
    let mut c = c.clone();
    for a in &mut c.areas {
        a.changed = None;
    }
    c
}

/// The default catalogue as the November document has it.
fn november_catalogue() -> Catalogue {
    let mut c = default_catalogue().clone();
    c.as_of = "2025-11-10".parse().unwrap();
    use AreaId::*;
    fn area(c: &mut Catalogue, id: AreaId) -> &mut Area {
        c.area_mut(id).unwrap()
    }
    for id in [
        Borger, Oekonomi, Personale, Noegletal, Skole, Dagtilbud, Aula, Fsiii, Udsatte, Ky, Kp,
        Dfdg, Yr,
    ] {
        area(&mut c, id).through = "2025-09".parse().ok();
    }
    area(&mut c, Dream).through = "2025-07".parse().ok();
    let krl = area(&mut c, Krl);
    krl.through = "2025-06".parse().ok();
    krl.state = State::Ok;
    krl.note = Some("Kører efter planen".into());
    let dfdg = area(&mut c, Dfdg);
    dfdg.state = State::Ok;
    dfdg.note = Some("Kører efter planen".into());
    let vh = area(&mut c, Vh);
    vh.through = "2025-08".parse().ok();
    vh.state = State::Down;
    vh.note = Some("Der er lukket for adgang til VH-data, mens benchmarkdata genberegnes efter GDPR-tilpasningen. Vi melder ud, når data er tilgængelige igen.".into());
    area(&mut c, Oekonomi).note = Some("Kører efter planen på nær for Københavns Kommune: Budgetdata for regnskabsåret 2025 er rettet, men regnskabsdata for 2024 mangler stadig.".into());
    area(&mut c, Skole).note = Some("Der er endnu ikke data fra fagløsningen Min Uddannelse. Der arbejdes på en opdatering af løsningen, og en ny tidsplan ventes i december.".into());
    area(&mut c, Yr).source = Some("Ydelsesrefusion (YR)".into());
    for a in &mut c.areas {
        if !matches!(a.id, BorgerFlex | Ukraine) {
            a.status_date = Some(c.as_of);
        }
    }
    c
}

#[test]
fn the_seed_imported_into_a_fresh_store_changes_nothing() {
    let store = TempStore::new();
    let out = run(&store, doc(SEED_DOCUMENT)).unwrap();
    assert!(!out.applied && out.changes.is_empty(), "{:?}", out.changes);
    let status = out.status.unwrap();
    assert!(status.rules_changes.is_empty());
    assert_eq!(status.rows, 17);
    assert_eq!(everything(&store), untouched());
}

#[test]
fn a_later_document_imports_to_exactly_the_expected_catalogue_once() {
    let store = TempStore::new();
    let out = run(&store, doc(NOVEMBER)).unwrap();
    assert!(out.applied);
    assert_eq!(out.action, "statusoversigt pr. 10/11-25");
    assert_eq!(
        out.changes.len(),
        18,
        "16 areas changed, Ældre confirmed as it was, and the catalogue's date"
    );
    let after = store.catalogue();
    assert_eq!(without_stamps(&after), november_catalogue());
    let action = Action::StatusImport {
        document: "2025-11-10".parse().unwrap(),
    };
    for area in &after.areas {
        let untouched = matches!(area.id, AreaId::BorgerFlex | AreaId::Ukraine);
        let history = store.history(area.id, 10).unwrap();
        if untouched {
            assert!(area.changed.is_none() && history.is_empty(), "{}", area.id);
        } else {
            assert_eq!(
                area.changed.as_ref().map(|s| s.by.clone()),
                Some(Author::named("Mette"))
            );
            assert_eq!(history.len(), 1, "{}", area.id);
            assert_eq!(history[0].action, action);
            assert_eq!(history[0].by, Author::named("Mette"));
        }
    }
    let dates = store.history(Subject::Catalogue, 10).unwrap();
    assert_eq!(dates.len(), 1);
    assert_eq!(
        dates[0].after,
        Snapshot::AsOf("2025-11-10".parse().unwrap())
    );
    assert_eq!(
        verify_history(&store),
        Ok(17),
        "each area's history is one chain"
    );
    let aeldre = &store.history(AreaId::Aeldre, 1).unwrap()[0];
    let Snapshot::Area(confirmed) = &aeldre.after else {
        panic!("an area entry")
    };
    assert_eq!(
        crate::views::history::describe(confirmed, confirmed).len(),
        0,
        "nothing but the date"
    );
    let text = crate::views::history::history_text("Ældre", std::slice::from_ref(aeldre));
    assert!(
        text.contains("status pr. 10. september 2025 → 10. november 2025"),
        "{text}"
    );
    let status = out.status.unwrap();
    assert_eq!(status.not_listed, ["Borger Flex", "Ukraine-kuben"]);
    let changed: Vec<(RuleChange, &str)> = status
        .rules_changes
        .iter()
        .map(|l| (l.change, l.text.as_str()))
        .collect();
    assert_eq!(
        changed,
        [
            (RuleChange::Removed, "STIL-data opdateres årligt"),
            (RuleChange::Added, "STIL-data opdateres årligt i oktober"),
        ]
    );
    let rules = store.status_rules().unwrap();
    assert!(
        rules.ends_with("STIL-data opdateres årligt i oktober\nUkraine-kuben opdateres dagligt")
    );

    let stored = everything(&store);
    let again = run(&store, doc(NOVEMBER)).unwrap();
    assert!(!again.applied && again.changes.is_empty());
    assert!(
        again.status.unwrap().rules_changes.is_empty(),
        "compared with this import now"
    );
    assert_eq!(everything(&store), stored, "a re-import changes nothing");
    let store = store.reopen();
    assert_eq!(everything(&store), stored, "and all of it is on disk");
}

#[test]
fn a_dry_run_shows_the_import_and_changes_nothing() {
    let store = TempStore::new();
    let out = run(
        &store,
        Import {
            dry_run: true,
            ..doc(NOVEMBER)
        },
    )
    .unwrap();
    assert!(!out.applied && out.dry_run && out.changes.len() == 18);
    assert_eq!(out.status.unwrap().rules_changes.len(), 2);
    assert_eq!(everything(&store), untouched());
}

#[test]
fn the_operator_overrides_an_inferred_state_for_a_listed_area_only() {
    let store = TempStore::new();
    let out = run(
        &store,
        Import {
            states: &["vh=disturbed", "Personale & Fravær = down"],
            ..doc(NOVEMBER)
        },
    )
    .unwrap();
    let c = store.catalogue();
    assert_eq!(c.area(AreaId::Vh).unwrap().state, State::Disturbed);
    assert_eq!(c.area(AreaId::Personale).unwrap().state, State::Down);
    let status = out.status.unwrap();
    let given: Vec<(&str, &str)> = status
        .states
        .iter()
        .flat_map(|s| {
            s.areas
                .iter()
                .filter(|a| a.given)
                .map(move |a| (s.state.as_str(), a.name.as_str()))
        })
        .collect();
    assert_eq!(given, [("disturbed", "VH"), ("down", "Personale & Fravær")]);

    let fresh = TempStore::new();
    for (states, says) in [
        (&["borgerflex=ok"][..], "står ikke i statusoversigten"),
        (&["krl"][..], "OMRÅDE=TILSTAND"),
        (&["krl=kaput"][..], "ok, disturbed eller down"),
        (&["krll=ok"][..], "Mente du KRL Personale?"),
    ] {
        let msg = refused(
            &fresh,
            Import {
                states,
                ..doc(NOVEMBER)
            },
        );
        assert!(msg.contains(says), "{states:?}: {msg}");
    }
}

#[test]
fn bad_documents_are_refused_with_their_line_and_leave_the_store_untouched() {
    let store = TempStore::new();
    run(&store, doc(NOVEMBER)).unwrap();
    let unknown = NOVEMBER.replace("KP Månedligt September KP", "KPX Månedligt September KP");
    let bad_month = NOVEMBER.replace("Borger Månedligt September", "Borger Månedligt Septemper");
    let future = NOVEMBER.replace("Pr. 10/11-25", "Pr. 10/12-25");
    let no_date = NOVEMBER.replace("Pr. 10/11-25", "");
    let huge_note = NOVEMBER.replace(
        "YR Månedligt September Ydelsesrefusion (YR) Kører efter planen",
        &format!(
            "YR Månedligt September Ydelsesrefusion (YR) Forsinket {}slut.",
            "data ".repeat(250)
        ),
    );
    let before_flis = NOVEMBER.replace("Pr. 10/11-25", "Pr. 10/11-05");
    let month_before_flis =
        NOVEMBER.replace("Borger Månedligt September", "Borger Månedligt Juli 2005");
    let first_table_line = 1 + NOVEMBER
        .split('\n')
        .position(|l| l.starts_with("Oversigt pr."))
        .unwrap();
    let cases: Vec<(&str, String, &str)> = vec![
        ("", "Linje 1: dokumentet er tomt".into(), "empty"),
        (
            "FLIS\n\u{0}\u{1}PDF",
            "Linje 2: her står binære data".into(),
            "binary",
        ),
        (
            &no_date,
            format!("Linje {first_table_line}: dokumentets dato mangler"),
            "no date",
        ),
        (
            &unknown,
            format!(
                "Linje {}: rækken «KPX»",
                line_of(&unknown, "KPX Månedligt")
            ),
            "unknown area",
        ),
        (
            &bad_month,
            format!(
                "Linje {}: «Septemper» er ikke en måned",
                line_of(&bad_month, "Borger Månedligt")
            ),
            "bad month",
        ),
        (
            SEED_DOCUMENT,
            "Linje 4: dokumentet er pr. 10/9-25, ældre end kataloget, som er pr. 10. november 2025."
                .into(),
            "older",
        ),
        (
            &future,
            "Linje 4: dokumentet er dateret 10. december 2025, som ligger i fremtiden".into(),
            "future",
        ),
        (
            &before_flis,
            "Linje 4: dokumentet er dateret 10. november 2005, før FLIS fandtes; en statusoversigt er tidligst fra 1. januar 2012".into(),
            "before FLIS",
        ),
        (
            &month_before_flis,
            format!(
                "Linje {}: Borger har data t.o.m. juli 2005, før FLIS fandtes",
                line_of(&month_before_flis, "Borger Månedligt")
            ),
            "a month before FLIS",
        ),
        (
            &huge_note,
            format!(
                "Linje {}: driftsbemærkningen for YR er 1265 tegn; højst 1000",
                line_of(&huge_note, "YR Månedligt")
            ),
            "note too long",
        ),
    ];
    for (text, says, what) in cases {
        let msg = refused(&store, doc(text));
        assert!(
            msg.starts_with("Statusoversigten afvises, og intet er ændret.") && msg.contains(&says),
            "{what}: {msg}"
        );
        assert!(
            !msg.contains("--"),
            "{what}: the core names no flag of an adapter: {msg}"
        );
    }
}

#[test]
fn an_older_document_is_imported_only_when_the_operator_allows_it() {
    let store = TempStore::new();
    run(&store, doc(NOVEMBER)).unwrap();
    let err = run(&store, doc(SEED_DOCUMENT)).unwrap_err();
    assert!(
        matches!(&err, AppError::Document(e) if matches!(e.problem, crate::core::import_status::Problem::Older { .. })),
        "typed, so an adapter can say how to allow it: {err:?}"
    );
    let out = run(
        &store,
        Import {
            allow_older: true,
            ..doc(SEED_DOCUMENT)
        },
    )
    .unwrap();
    assert!(out.applied);
    let mut c = without_stamps(&store.catalogue());
    assert_eq!(c.as_of.to_string(), "2025-09-10");
    c.as_of = default_catalogue().as_of;
    assert_eq!(c, *default_catalogue(), "the seed's rows are back");
    let rules = out.status.unwrap().rules_changes;
    assert_eq!(rules.len(), 2, "the rules compared with November's");
}

#[test]
fn an_undo_after_an_import_restores_the_area_as_it_was() {
    let store = TempStore::new();
    run(&store, doc(NOVEMBER)).unwrap();
    execute(
        &store,
        &Operators::default(),
        &Actor::Cli {
            name: "Mette".into(),
        },
        &Request::Undo { area: "vh".into() },
        at(NOW),
        false,
    )
    .unwrap();
    let vh = store.catalogue().area(AreaId::Vh).cloned().unwrap();
    assert_eq!(&vh, default_catalogue().area(AreaId::Vh).unwrap());
    let h = store.history(AreaId::Vh, 5).unwrap();
    assert_eq!(
        h[0].action.danish(),
        "fortryd «statusoversigt pr. 10/11-25» fra 12. november 2025 kl. 10:00"
    );
    assert_eq!(verify_history(&store), Ok(18));
}

#[test]
fn the_outcome_reads_as_the_operator_sees_it() {
    let store = TempStore::new();
    let out = run(&store, doc(NOVEMBER)).unwrap();
    let text = render_template(Template::AdminResult, &out);
    for line in [
        "Gemt (statusoversigt pr. 10/11-25):",
        "• KRL Personale: data t.o.m. april 2025 → juni 2025; tilstand driftsforstyrrelse → kører efter planen; drift «Grundet et større",
        "• YR: data t.o.m. juli 2025 → september 2025; kilde «YR» → «Ydelsesrefusion (YR)»",
        "• Kataloget: status pr. 10. september 2025 → 10. november 2025",
        "Statusoversigten pr. 10/11-25 (10. november 2025) har 17 områder. Tilstand ud fra driftsbemærkningerne:",
        "• nede: VH, Ældre.",
        "Står ikke i oversigten og bliver, som de er: Borger Flex, Ukraine-kuben.",
        "Regelafsnittet (opdateringsfrekvens og undtagelser) er ændret siden den forrige statusoversigt.",
        "− STIL-data opdateres årligt\n+ STIL-data opdateres årligt i oktober",
        // Notes read from the text are shown whole, so where one stops can be checked.
        "→ «Der er lukket for adgang til VH-data, mens benchmarkdata genberegnes efter GDPR-tilpasningen. Vi melder ud, når data er tilgængelige igen.»",
    ] {
        assert!(text.contains(line), "{line:?} missing in:\n{text}");
    }
    let again = render_template(Template::AdminResult, &run(&store, doc(NOVEMBER)).unwrap());
    assert!(
        again.starts_with("Ingen ændringer (statusoversigt pr. 10/11-25)"),
        "{again}"
    );
    assert!(!again.contains("Regelafsnittet"), "{again}");
    let other = execute(
        &store,
        &Operators::default(),
        &Actor::Cli {
            name: "Mette".into(),
        },
        &Request::AsOf {
            date: "2025-11-11".parse().unwrap(),
        },
        at(NOW),
        true,
    )
    .unwrap();
    assert!(
        !render_template(Template::AdminResult, &other).contains("Statusoversigten"),
        "other changes say nothing of a status document"
    );
}

fn cli_request(store: &Store, request: Request) -> Result<Outcome, AppError> {
    as_mette(store, request, false)
}

/// A document cut at bytes across the whole of it is refused with every byte of the store as
/// it was, or, only where the cut falls after the document's last row, imported exactly as the
/// whole document is. The seed goes into a store that has November's, and November's into a
/// fresh one, so that an import taken for whole would change something.
#[test]
fn a_cut_document_is_refused_with_the_store_untouched_or_imported_as_the_whole() {
    for (whole, allow_older, first) in [
        (NOVEMBER, false, None),
        (SEED_DOCUMENT, true, Some(NOVEMBER)),
    ] {
        let prepared = || {
            let store = TempStore::new();
            if let Some(first) = first {
                run(&store, doc(first)).unwrap();
            }
            store
        };
        let import = |store: &Store, text: &str| {
            run(
                store,
                Import {
                    allow_older,
                    ..doc(text)
                },
            )
        };
        let reference = prepared();
        import(&reference, whole).unwrap();
        let end = whole.rfind("Kører efter planen").unwrap() + "Kører efter planen".len();
        let mut store = prepared();
        let mut untouched = store.contents().unwrap();
        let mut cuts: Vec<usize> = (0..whole.len()).step_by(11).collect();
        cuts.extend([end - 1, end - 5, end - 12, end, whole.len() - 1]);
        for cut in cuts {
            let Ok(text) = std::str::from_utf8(&whole.as_bytes()[..cut]) else {
                continue;
            };
            match import(&store, text) {
                Err(e) => {
                    assert_eq!(e.exit_code(), 2, "{cut}: {e:?}");
                    assert!(
                        store.contents().unwrap() == untouched,
                        "cut at {cut} changed the store"
                    );
                }
                Ok(out) => {
                    assert!(
                        cut >= end,
                        "cut at {cut} imported: …{:?}",
                        &text[text.len().saturating_sub(40)..]
                    );
                    assert!(out.applied);
                    assert_eq!(store.catalogue(), reference.catalogue(), "{cut}");
                    assert_eq!(
                        (store.status_rules(), store.status_areas()),
                        (reference.status_rules(), reference.status_areas())
                    );
                    store = prepared();
                    untouched = store.contents().unwrap();
                }
            }
        }
    }
}

/// A whole document that no longer lists an area the last one listed: the dry run names it,
/// applying is refused until the operator confirms FLIS dropped it, and then it stays as it
/// was and is no longer expected.
#[test]
fn an_area_the_document_drops_needs_the_operators_word() {
    let store = TempStore::new();
    let without_yr = NOVEMBER.replace(
        "YR Månedligt September Ydelsesrefusion (YR) Kører efter planen\n\n",
        "",
    );
    let dry = run(
        &store,
        Import {
            dry_run: true,
            ..doc(&without_yr)
        },
    )
    .unwrap();
    let status = dry.status.clone().unwrap();
    assert_eq!(
        (status.missing, status.missing_ids),
        (vec!["YR".to_owned()], vec!["yr".to_owned()])
    );
    let text = render_template(Template::AdminResult, &dry);
    assert!(
        text.contains(
            "**Mangler i oversigten:** YR stod i den forrige statusoversigt, men ikke i denne."
        ),
        "{text}"
    );
    let msg = refused(&store, doc(&without_yr));
    assert!(
        msg.contains("her slutter dokumentet uden YR, som stod i den forrige statusoversigt."),
        "{msg}"
    );
    let msg = refused(
        &store,
        Import {
            dropped: &["krl"],
            ..doc(&without_yr)
        },
    );
    assert!(
        msg.contains("KRL Personale står i statusoversigten (linje"),
        "{msg}"
    );

    let out = run(
        &store,
        Import {
            dropped: &["yr"],
            ..doc(&without_yr)
        },
    )
    .unwrap();
    assert!(out.applied);
    assert_eq!(out.status.unwrap().dropped, ["YR"]);
    let yr = store.catalogue().area(AreaId::Yr).cloned().unwrap();
    assert_eq!(
        &yr,
        default_catalogue().area(AreaId::Yr).unwrap(),
        "kept as it was, date too"
    );
    assert!(!store.status_areas().unwrap().contains(&AreaId::Yr));
    // The next document need not list it; one that lists it again is welcome.
    assert!(!run(&store, doc(&without_yr)).unwrap().applied);
    run(&store, doc(NOVEMBER)).unwrap();
    assert!(store.status_areas().unwrap().contains(&AreaId::Yr));
}

/// `undo --import` restores everything a status import changed, the "pr." date and what is
/// kept of the document included, as one change; again, there is nothing left to undo.
#[test]
fn a_whole_import_is_undone_in_one_step() {
    let store = TempStore::new();
    let untouched = everything(&store);
    run(&store, doc(NOVEMBER)).unwrap();
    let out = cli_request(&store, Request::UndoImport).unwrap();
    assert!(out.applied);
    assert_eq!(
        out.action,
        "fortryd «statusoversigt pr. 10/11-25» fra 12. november 2025 kl. 10:00"
    );
    assert_eq!(out.changes.len(), 18, "17 areas and the catalogue's date");
    assert_eq!(
        store.catalogue(),
        untouched.0,
        "every area and the date as before"
    );
    assert_eq!(store.status_rules().as_deref(), Some(seed_rules_text()));
    assert_eq!(verify_history(&store), Ok(34));
    let record = &store.history(Subject::Import, 10).unwrap();
    assert_eq!(record.len(), 2, "the import's record and its undo's");
    assert!(record[1].undone && record[0].reverts == Some(record[1].seq));
    assert_eq!(record[1].parts.len(), 18);
    let msg = cli_request(&store, Request::UndoImport)
        .unwrap_err()
        .user_message();
    assert!(msg.contains("Der er ingen import at fortryde"), "{msg}");
    // And it can be imported again.
    assert!(run(&store, doc(NOVEMBER)).unwrap().applied);
}

/// Undo of an import after other changes: refused, naming what changed since, while anything
/// it changed was changed again; an area undone by itself since is simply already back.
#[test]
fn an_import_changed_since_is_not_undone_blind() {
    let store = TempStore::new();
    run(&store, doc(NOVEMBER)).unwrap();
    let set = Request::Set(crate::operations::SetChange {
        area: "krl".into(),
        note: Some(Some("Ny bemærkning".into())),
        ..Default::default()
    });
    cli_request(&store, set).unwrap();
    let before = store.contents().unwrap();
    let err = cli_request(&store, Request::UndoImport).unwrap_err();
    assert_eq!(err.exit_code(), 2);
    let msg = err.user_message();
    assert!(
        msg.contains("Importen «statusoversigt pr. 10/11-25» (12. november 2025 kl. 10:00, af Mette) kan ikke fortrydes samlet")
            && msg.contains("KRL Personale («ret», 12. november 2025 kl. 10:00, af Mette)"),
        "{msg}"
    );
    assert_eq!(store.contents().unwrap(), before);
    // Undo the later change, then the import goes back whole.
    cli_request(&store, Request::Undo { area: "krl".into() }).unwrap();
    cli_request(&store, Request::Undo { area: "vh".into() }).unwrap();
    let out = cli_request(&store, Request::UndoImport).unwrap();
    assert_eq!(out.changes.len(), 17, "VH was back already");
    let mut c = (*store.catalogue()).clone();
    for a in &mut c.areas {
        a.changed = None;
    }
    assert_eq!(c, *default_catalogue());
    verify_history(&store).unwrap();

    // A later "pr." date blocks it too.
    run(&store, doc(NOVEMBER)).unwrap();
    cli_request(
        &store,
        Request::AsOf {
            date: "2025-11-11".parse().unwrap(),
        },
    )
    .unwrap();
    let msg = cli_request(&store, Request::UndoImport)
        .unwrap_err()
        .user_message();
    assert!(msg.contains("katalogets statusdato («statusdato»"), "{msg}");
}

/// A catalogue file's import is one change too.
#[test]
fn a_catalogue_files_import_is_undone_in_one_step() {
    let store = TempStore::new();
    let mut c = (*store.catalogue()).clone();
    c.area_mut(AreaId::Dfdg).unwrap().state = State::Ok;
    c.area_mut(AreaId::Krl).unwrap().through = "2025-06".parse().ok();
    c.as_of = "2025-10-01".parse().unwrap();
    let text = crate::operations::export(&c, Format::Toml).unwrap();
    let catalogue = Box::new(crate::operations::parse_catalogue_file(&text).unwrap());
    cli_request(&store, Request::Import { catalogue }).unwrap();
    let out = cli_request(&store, Request::UndoImport).unwrap();
    assert_eq!(
        out.action,
        "fortryd «import» fra 12. november 2025 kl. 10:00"
    );
    assert_eq!(*store.catalogue(), *default_catalogue());
    assert_eq!(
        store.status_rules(),
        None,
        "a file import keeps no document"
    );
}
