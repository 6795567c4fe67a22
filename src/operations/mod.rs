//! Operator changes to the catalogue, the one path by which anything changes: a request with
//! typed values (`request`, built by each adapter from its own arguments with the readers of
//! `input`; refusals that name arguments are `arguments`', worded by the adapter) is resolved
//! against the live catalogue into an operation, planned as a pure function of the
//! catalogue (`plan`), and committed by the store as one transaction with its history entries,
//! all under the store's one writer (`execute`). `transfer` reads and writes whole catalogue
//! files; `authorisation` says who may change.

pub mod arguments;
pub mod authorisation;
mod fan_out;
pub mod input;
pub mod plan;
pub mod request;
pub mod subscriptions;
pub mod transfer;
pub mod validate;
pub mod webhooks;

use chrono::{DateTime, Timelike, Utc};
use serde::Serialize;

use crate::core::catalogue::{AreaId, ChangeStamp};
use crate::core::history::Subject;
use crate::core::history::{HistoryEntry, Snapshot};
use crate::core::import_status::{LastDocument, StatusImportView};
use crate::error::AppError;
use crate::store::{Store, Writer};
use authorisation::{Actor, Operators};

pub use plan::{Operation, Plan};
pub use request::{
    resolve_area, status_document_text, AreaName, Request, RuleChange, SetChange, MAX_LAG,
    MAX_NOTE_CHARS,
};
pub use transfer::{export, parse_catalogue_file, Format};
pub use webhooks::WebhookAdd;

/// The right to take the store's writer (`Store::writer`): only this module makes one, so the
/// catalogue changes only through `operations` (and every change through [`execute`], which
/// authorises first).
pub(crate) struct WriteToken(());

impl WriteToken {
    const GRANTED: WriteToken = WriteToken(());
}

/// What the operator is told: per area the changed fields, in Danish.
#[derive(Clone, Debug, Serialize)]
pub struct Outcome {
    /// The action in the operator's words.
    pub action: String,
    pub applied: bool,
    pub dry_run: bool,
    pub changes: Vec<ChangeView>,
    /// For a status import: the states read, the areas left alone, the rules lines changed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<StatusImportView>,
}

#[derive(Clone, Debug, Serialize)]
pub struct ChangeView {
    pub name: String,
    pub diffs: Vec<String>,
}

/// Authorises, reads, plans and (unless `dry_run`) commits `request`. The read, the plan and the
/// commit happen under the store's one writer, so no concurrent change is lost or planned on a
/// stale catalogue. The commit is flushed to disk before this returns, so an `Ok` may be
/// confirmed to the user. Blocking: call it from a blocking thread, not an async worker.
pub fn execute(
    store: &Store,
    operators: &Operators,
    actor: &Actor,
    request: &Request,
    now: DateTime<Utc>,
    dry_run: bool,
) -> Result<Outcome, AppError> {
    operators.authorise(actor)?;
    let stamp = ChangeStamp {
        by: actor.author(),
        // Whole seconds: history and exports read better, and nothing needs finer.
        at: now.with_nanosecond(0).unwrap_or(now),
    };
    let writer = store.writer(&WriteToken::GRANTED);
    let catalogue = writer.catalogue();
    let op = request.resolve(&catalogue)?;
    let document = last_document(&writer);
    let plan = plan::plan(
        &op,
        &plan::Inputs {
            catalogue: &catalogue,
            document: &document,
            history: &writer,
            stamp: &stamp,
        },
    )?;
    if let Some(refusal) = plan.refusal.clone().filter(|_| !dry_run) {
        return Err(refusal.into());
    }
    let outcome = Outcome {
        action: plan.action.danish(),
        applied: !dry_run && !plan.is_empty(),
        dry_run,
        changes: plan.views(),
        status: plan.status.clone(),
    };
    if outcome.applied {
        let notices = fan_out::address(&writer, plan.notices(&stamp))?;
        let mut commit = plan.into_commit(&stamp);
        commit.notices = notices;
        writer.commit(commit)?;
        crate::metrics::global().operator_change();
        tracing::info!(by = %stamp.by.public_name(), action = %outcome.action, areas = outcome.changes.len(), "catalogue changed");
    }
    Ok(outcome)
}

/// An area's history, newest first, as Danish text.
pub fn history_text(store: &Store, area: &str, limit: usize) -> Result<String, AppError> {
    let catalogue = store.catalogue();
    let id = resolve_area(area, &catalogue)?;
    let entries = store.history(id, limit)?;
    let name = catalogue.area(id).map_or(id.as_str(), |a| a.name.as_str());
    Ok(crate::views::history::history_text(name, &entries))
}

/// What is kept of the last imported status document; the seed's in a store that never
/// imported one (it was seeded from the seed's transcription), and the seed's areas in one that
/// kept only the rules section.
fn last_document(writer: &Writer<'_>) -> LastDocument {
    let seed = LastDocument::seed();
    LastDocument {
        rules: writer
            .status_rules()
            .map_or_else(|| seed.rules.clone(), |r| r.to_string()),
        areas: writer
            .status_areas()
            .map_or_else(|| seed.areas.clone(), |a| a.to_vec()),
    }
}

/// The newest entry of `subject` that an undo would revert: not an undo itself, not undone.
fn last_undoable_of(
    writer: &Writer<'_>,
    subject: Subject,
) -> Result<Option<HistoryEntry>, AppError> {
    Ok(writer
        .history(subject, usize::MAX)?
        .into_iter()
        .find(|e| !e.undone && e.reverts.is_none()))
}

/// Read under the writer, so two undos at once never pick the same entry.
impl plan::History for Writer<'_> {
    fn last_change(&self, id: AreaId) -> Result<Option<HistoryEntry>, AppError> {
        last_undoable_of(self, Subject::Area(id))
    }

    fn last_import(&self) -> Result<Option<plan::ImportToUndo>, AppError> {
        let Some(record) = last_undoable_of(self, Subject::Import)? else {
            return Ok(None);
        };
        let mut parts = Vec::with_capacity(record.parts.len());
        for part in &record.parts {
            let history = self.history(part.subject, usize::MAX)?;
            let (Some(entry), Some(newest)) = (
                history.iter().find(|e| e.seq == part.seq).cloned(),
                history.first().cloned(),
            ) else {
                return Err(AppError::Store(crate::store::StoreError::Corrupt {
                    key: format!("{}/{}", part.subject, part.seq),
                    detail: "an import's entry is missing".into(),
                }));
            };
            parts.push(plan::ImportPart {
                subject: part.subject,
                entry,
                newest,
            });
        }
        Ok(Some(plan::ImportToUndo { record, parts }))
    }

    fn webhook(&self, name: &str) -> Result<Option<crate::core::webhook::WebhookTarget>, AppError> {
        Ok(self.webhook_target(name)?)
    }
}

/// Checks the invariants serial writing keeps: per area, the history is one chain from the
/// default catalogue (each entry's `before` is the previous entry's `after`), the catalogue is
/// the chain's end, and no entry was undone twice. Returns the number of area entries, or what
/// is broken.
pub fn verify_history(store: &Store) -> Result<usize, String> {
    let writer = store.writer(&WriteToken::GRANTED);
    let catalogue = writer.catalogue();
    let mut entries = 0;
    for seed in &crate::core::catalogue::default_catalogue().areas {
        let id = seed.id;
        let mut chain = writer.history(id, usize::MAX).map_err(|e| e.to_string())?;
        chain.reverse();
        entries += chain.len();
        let mut current = seed.clone();
        let mut reverted = std::collections::BTreeSet::new();
        for e in &chain {
            let (Snapshot::Area(before), Snapshot::Area(after)) = (&e.before, &e.after) else {
                return Err(format!("{id}: entry {} is not an area change", e.seq));
            };
            if !plan::same_area(before, &current) {
                return Err(format!(
                    "{id}: entry {} does not start where the last ended",
                    e.seq
                ));
            }
            if let Some(r) = e.reverts {
                if !reverted.insert(r) {
                    return Err(format!("{id}: entry {r} was undone twice"));
                }
            }
            current = (**after).clone();
        }
        if !catalogue
            .area(id)
            .is_some_and(|a| plan::same_area(a, &current))
        {
            return Err(format!("{id}: the catalogue is not the end of its history"));
        }
    }
    Ok(entries)
}

#[cfg(test)]
mod import_status_tests;
#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::catalogue::{default_catalogue, Author, EarlyWindow, State};
    use crate::test_support::{at, TempStore};

    const NOW: &str = "2025-10-10T09:00:00+02:00";

    fn cli(name: &str) -> Actor {
        Actor::Cli { name: name.into() }
    }

    /// A request as an operator types it, each value read as the adapters read it
    /// (`input`); a value that does not read is the refusal.
    type Typed = Result<Request, AppError>;

    fn set(area: &str, through: Option<&str>, state: Option<&str>, note: Option<&str>) -> Typed {
        Ok(Request::Set(SetChange {
            area: AreaName::new(area),
            through: through.map(input::month).transpose()?,
            state: state.map(input::state).transpose()?,
            note: note.map(input::note),
        }))
    }

    fn rule_of(
        area: String,
        cadence: Option<String>,
        lag: Option<String>,
        early: Option<String>,
    ) -> Typed {
        Ok(Request::Rule(RuleChange {
            area: AreaName::new(area),
            cadence: cadence.as_deref().map(input::cadence).transpose()?,
            lag: lag.as_deref().map(input::lag).transpose()?,
            early: early.as_deref().map(input::early).transpose()?,
        }))
    }

    fn release_of(month: Option<String>, except: Vec<String>) -> Typed {
        Ok(Request::Release {
            month: month.as_deref().map(input::release_month).transpose()?,
            except: except.into_iter().map(AreaName::new).collect(),
        })
    }

    fn as_of_of(date: String) -> Typed {
        Ok(Request::AsOf {
            date: input::date(&date)?,
        })
    }

    fn undo_of(area: String) -> Typed {
        Ok(Request::Undo {
            area: AreaName::new(area),
        })
    }

    fn import_of(text: String) -> Typed {
        Ok(Request::Import {
            catalogue: Box::new(parse_catalogue_file(&text)?),
        })
    }

    type Fixture = TempStore;

    fn fixture() -> Fixture {
        TempStore::new()
    }

    fn run(f: &Fixture, op: Typed) -> Result<Outcome, AppError> {
        let op = op?;
        execute(
            &f.store,
            &Operators::default(),
            &cli("Mette"),
            &op,
            at(NOW),
            false,
        )
    }

    fn refused(f: &Fixture, op: Typed) -> String {
        let before = f.store.catalogue();
        let err = run(f, op).expect_err("refused");
        assert_eq!(
            f.store.catalogue(),
            before,
            "a refused change changes nothing"
        );
        assert!(f.store.history(AreaId::Krl, 10).unwrap().is_empty());
        err.user_message()
    }

    #[test]
    fn set_changes_fields_stamps_author_and_records_history() {
        let f = fixture();
        let out = run(
            &f,
            set(
                "KRL Personale",
                Some("2025-05"),
                Some("ok"),
                Some("Kører efter planen"),
            ),
        )
        .unwrap();
        assert!(out.applied);
        let c = f.store.catalogue();
        let krl = c.area(AreaId::Krl).unwrap();
        assert_eq!(krl.through.unwrap().to_string(), "2025-05");
        assert_eq!(
            (krl.state, krl.note.as_deref()),
            (State::Ok, Some("Kører efter planen"))
        );
        assert_eq!(krl.changed.as_ref().unwrap().by, Author::named("Mette"));
        let h = f.store.history(AreaId::Krl, 10).unwrap();
        assert_eq!(h.len(), 1);
        let Snapshot::Area(before) = &h[0].before else {
            panic!()
        };
        assert_eq!(before.through.unwrap().to_string(), "2025-04");
    }

    /// An operator's set or release confirms an area's status today; a rule change and the
    /// catalogue's as-of date move no area's date.
    #[test]
    fn what_each_change_does_to_an_areas_status_date() {
        let f = fixture();
        let date = |id: AreaId| {
            f.store
                .catalogue()
                .area(id)
                .unwrap()
                .status_date
                .unwrap()
                .to_string()
        };
        run(&f, set("krl", None, Some("ok"), None)).unwrap();
        assert_eq!(date(AreaId::Krl), "2025-10-10");
        let rule = rule_of("dream".into(), None, Some("3".into()), None);
        run(&f, rule).unwrap();
        assert_eq!(date(AreaId::Dream), "2025-09-10");
        run(&f, as_of_of("2025-10-01".into())).unwrap();
        assert_eq!(f.store.catalogue().as_of.to_string(), "2025-10-01");
        assert_eq!(
            (date(AreaId::Ky), date(AreaId::Krl)),
            ("2025-09-10".into(), "2025-10-10".into())
        );
        // Set again the same day with the same values: nothing to confirm.
        let again = run(&f, set("krl", None, Some("ok"), None)).unwrap();
        assert!(!again.applied);
        run(&f, release_of(Some("2025-10".into()), vec![])).unwrap();
        assert_eq!(date(AreaId::Ky), "2025-10-10", "moved by the release");
        assert_eq!(date(AreaId::Dfdg), "2025-09-10", "down: not moved");
        verify_history(&f.store).unwrap();
    }

    /// Many writers at once, on the same areas: every confirmed change is in the history, each
    /// area's history is one chain (each `before` is the previous `after`), the catalogue is
    /// the chain's end, and no entry is undone twice.
    #[test]
    fn concurrent_writers_lose_no_update_and_history_chains() {
        let f = fixture();
        let store = &f.store;
        let applied_changes = std::sync::atomic::AtomicUsize::new(0);
        std::thread::scope(|scope| {
            for t in 0..8u32 {
                let applied_changes = &applied_changes;
                scope.spawn(move || {
                    for i in 0..24u32 {
                        let op = match (t + i) % 6 {
                            0 | 1 => set(
                                "krl",
                                Some(&format!("2025-{:02}", 1 + (t * 7 + i) % 12)),
                                None,
                                None,
                            ),
                            2 => set("ky", None, None, Some(&format!("note {t}-{i}"))),
                            3 => release_of(Some(format!("2025-{}", 10 + i % 3)), vec![]),
                            4 => undo_of("krl".into()),
                            _ => undo_of("ky".into()),
                        };
                        let who = cli(&format!("writer {t}"));
                        let ops = Operators::default();
                        let done =
                            op.and_then(|op| execute(store, &ops, &who, &op, at(NOW), false));
                        if let Ok(out) = done {
                            if out.applied {
                                applied_changes.fetch_add(
                                    out.changes.len(),
                                    std::sync::atomic::Ordering::SeqCst,
                                );
                            }
                        }
                    }
                });
            }
        });
        let entries_total = verify_history(store).unwrap();
        assert_eq!(
            entries_total,
            applied_changes.load(std::sync::atomic::Ordering::SeqCst),
            "every confirmed change is in the history"
        );
        assert!(
            entries_total > 50,
            "the test made real changes: {entries_total}"
        );
    }

    /// One validation for every path: what a single command refuses, a catalogue file and a
    /// status document are refused too, in Danish, with every byte of the store as it was.
    #[test]
    fn values_out_of_bounds_are_refused_on_every_path_with_the_store_untouched() {
        let f = fixture();
        let base = export(&f.store.catalogue(), Format::Toml).unwrap();
        let file = |from: &str, to: &str| {
            assert!(base.contains(from), "{from}");
            import_of(base.replacen(from, to, 1))
        };
        let rule = |lag: Option<&str>, early: Option<&str>| {
            rule_of(
                "dream".into(),
                None,
                lag.map(Into::into),
                early.map(Into::into),
            )
        };
        let as_of = |d: &str| as_of_of(d.into());
        let release = |m: &str| release_of(Some(m.into()), vec![]);
        let krl_lag = "lag = 4";
        let cases: Vec<(Typed, &str)> = vec![
            (as_of("0000-01-01"), "før FLIS fandtes; den kan tidligst være 1. januar 2012"),
            (as_of("2011-12-31"), "før FLIS"),
            (as_of("2099-01-01"), "ligger i fremtiden; den kan højst være i dag, 10. oktober 2025"),
            (set("krl", Some("9999-12"), None, None), "Data t.o.m. december 9999 ligger i fremtiden"),
            (set("krl", Some("2025-11"), None, None), "højst gå til og med denne måned, oktober 2025"),
            (set("krl", Some("2011-12"), None, None), "før FLIS"),
            (rule(Some("4294967295"), None), "En forsinkelse på 4294967295 måneder er for lang; den kan være 0–24"),
            (rule(Some("999"), None), "999 måneder er for lang"),
            (rule(Some("25"), None), "25 måneder"),
            (rule(None, Some("0-5")), "tidligt vindue"),
            (rule(None, Some("14-40")), "tidligt vindue"),
            (release("9999-12"), "Udgivelsen i december 9999 ville give Borger data t.o.m. oktober 9999"),
            (release("2011-06"), "før FLIS"),
            (file(krl_lag, "lag = 4294967295"), "Importfilen afvises, og intet er ændret. Området «krl»: En forsinkelse på 4294967295"),
            (file(krl_lag, "lag = 999"), "999 måneder"),
            (file("as_of = \"2025-09-10\"", "as_of = \"2099-01-01\""), "Importfilen afvises, og intet er ændret. Statusdatoen 1. januar 2099 ligger i fremtiden"),
            (file("as_of = \"2025-09-10\"", "as_of = \"0000-01-01\""), "før FLIS"),
            (file("through = \"2025-04\"", "through = \"9999-12\""), "Området «krl»: Data t.o.m. december 9999 ligger efter måneden for områdets status (september 2025)"),
            (file("through = \"2025-04\"", "through = \"2011-01\""), "før FLIS"),
            (file("status_date = \"2025-09-10\"", "status_date = \"2099-01-01\""), "Områdets statusdato 1. januar 2099 ligger i fremtiden"),
            (file("from_days = 21", "from_days = 40"), "tidligt vindue"),
            (file("name = \"Borger\"", "name = \" \""), "intet navn"),
        ];
        let store_before = f.store.contents().unwrap();
        for (op, expect) in cases {
            let shown = format!("{op:?}");
            let err = run(&f, op).expect_err("refused");
            let msg = err.user_message();
            assert!(msg.contains(expect), "{shown}:\n{msg}");
            assert!(msg.contains("ntet er ændret"), "{msg}");
            assert_eq!(err.exit_code(), 2);
            assert_eq!(f.store.contents().unwrap(), store_before, "{shown}");
        }
        // The bounds themselves are accepted.
        for op in [
            as_of("2012-01-01"),
            as_of("2025-10-10"),
            set("krl", Some("2025-10"), None, None),
            rule(Some("24"), Some("1-31")),
            release("2025-11"),
        ] {
            let shown = format!("{op:?}");
            run(&f, op).unwrap_or_else(|e| panic!("{shown}: {}", e.user_message()));
        }
    }

    #[test]
    fn bad_input_is_refused_in_danish_and_changes_nothing() {
        let f = fixture();
        let cases = [
            (set("krl", Some("2025-13"), None, None), "ÅÅÅÅ-MM"),
            (set("krl", Some("juni"), None, None), "«juni»"),
            (
                set("krll", Some("2025-05"), None, None),
                "Mente du KRL Personale?",
            ),
            (
                set("krl", None, Some("broken"), None),
                "ok, disturbed eller down",
            ),
            (set("krl", None, None, None), "mindst én ændring"),
            (
                set("beskæftigelse", None, Some("ok"), None),
                "flere områder",
            ),
            (
                set("krl", None, None, Some(&"x".repeat(MAX_NOTE_CHARS + 1))),
                "Forkort",
            ),
            (
                rule_of("dream".into(), Some("weekly".into()), None, None),
                "kadence",
            ),
            (
                rule_of("dream".into(), None, Some("-1".into()), None),
                "forsinkelse",
            ),
            (
                rule_of("dream".into(), None, None, Some("21".into())),
                "FRA-TIL",
            ),
            (as_of_of("10/9-25".into()), "ÅÅÅÅ-MM-DD"),
            (as_of_of("2030-01-01".into()), "fremtiden"),
            (undo_of("krl".into()), "ingen ændring at fortryde"),
            (
                import_of("as_of = \"2025-09-10\"\nareas = []".into()),
                "mangler",
            ),
            (import_of("{ not json".into()), "kan ikke læses"),
        ];
        for (op, expect) in cases {
            let shown = format!("{op:?}");
            let msg = refused(&f, op);
            assert!(msg.contains(expect), "{shown}: {msg}");
        }
        let err = execute(
            &f.store,
            &Operators::default(),
            &cli(" "),
            &set("krl", None, Some("ok"), None).unwrap(),
            at(NOW),
            false,
        )
        .unwrap_err();
        assert!(err
            .worded_for(arguments::Adapter::Cli)
            .user_message()
            .contains("--by"));
    }

    #[test]
    fn chat_users_outside_the_allow_list_are_refused() {
        let f = fixture();
        let ops = Operators {
            users: [1].into(),
            roles: [9].into(),
        };
        let stranger = Actor::Chat {
            user_id: 2,
            name: "x".into(),
            roles: vec![3],
        };
        let op = set("krl", None, Some("ok"), None).unwrap();
        let err = execute(&f.store, &ops, &stranger, &op, at(NOW), false).unwrap_err();
        assert!(matches!(err, AppError::Unauthorised(_)));
        assert_eq!(&*f.store.catalogue(), default_catalogue());
        let operator = Actor::Chat {
            user_id: 2,
            name: "y".into(),
            roles: vec![9],
        };
        assert!(
            execute(&f.store, &ops, &operator, &op, at(NOW), false)
                .unwrap()
                .applied
        );
    }

    #[test]
    fn release_advances_every_live_monthly_area_once() {
        let f = fixture();
        let op = release_of(Some("2025-10".into()), vec!["fsiii".into()]).unwrap();
        let out = run(&f, Ok(op.clone())).unwrap();
        let c = f.store.catalogue();
        let t = |id: AreaId| c.area(id).unwrap().through.map(|m| m.to_string());
        assert_eq!(t(AreaId::Borger).as_deref(), Some("2025-08"));
        assert_eq!(
            t(AreaId::Krl).as_deref(),
            Some("2025-06"),
            "KRL carries M−4"
        );
        assert_eq!(
            t(AreaId::Dream).as_deref(),
            Some("2025-06"),
            "DREAM carries M−4"
        );
        assert_eq!(t(AreaId::BorgerFlex).as_deref(), Some("2025-08"));
        assert_eq!(t(AreaId::Fsiii).as_deref(), Some("2025-07"), "excepted");
        assert_eq!(t(AreaId::Dfdg), None, "down areas stay");
        assert_eq!(
            t(AreaId::Aeldre).as_deref(),
            Some("2025-07"),
            "down areas stay"
        );
        assert_eq!(t(AreaId::Ukraine), None, "daily areas stay");
        assert_eq!(out.changes.len(), 15);
        let again = run(&f, Ok(op)).unwrap();
        assert!(
            !again.applied && again.changes.is_empty(),
            "a second run changes nothing"
        );
        assert_eq!(f.store.catalogue(), c);
    }

    #[test]
    fn release_follows_a_note_that_names_it_for_an_earlier_month() {
        let f = fixture();
        run(
            &f,
            set(
                "krl",
                Some("2025-06"),
                None,
                Some("Data for juli forventes med udgivelsen i december."),
            ),
        )
        .unwrap();
        let release = |month: &str| release_of(Some(month.into()), vec![]);
        run(&f, release("2025-12")).unwrap();
        let c = f.store.catalogue();
        let t = |id: AreaId| c.area(id).unwrap().through.map(|m| m.to_string());
        assert_eq!(
            t(AreaId::Krl).as_deref(),
            Some("2025-07"),
            "the note's month, not the rule's August"
        );
        assert_eq!(t(AreaId::Borger).as_deref(), Some("2025-10"));
        // The next release, which the note does not name, follows the rule again (run in
        // January: a release may not carry data past the month it is recorded in).
        execute(
            &f.store,
            &Operators::default(),
            &cli("Mette"),
            &release("2026-01").unwrap(),
            at("2026-01-10T09:00:00+01:00"),
            false,
        )
        .unwrap();
        let c = f.store.catalogue();
        assert_eq!(
            c.area(AreaId::Krl)
                .unwrap()
                .through
                .map(|m| m.to_string())
                .as_deref(),
            Some("2025-09")
        );
    }

    #[test]
    fn release_defaults_to_this_danish_month_and_never_moves_data_back() {
        let f = fixture();
        run(&f, set("ky", Some("2025-10"), None, None)).unwrap();
        run(&f, release_of(None, vec![])).unwrap();
        let c = f.store.catalogue();
        assert_eq!(
            c.area(AreaId::Borger).unwrap().through.unwrap().to_string(),
            "2025-08"
        );
        assert_eq!(
            c.area(AreaId::Ky).unwrap().through.unwrap().to_string(),
            "2025-10"
        );
    }

    #[test]
    fn undo_walks_back_one_change_at_a_time_and_survives_reopen() {
        let store = TempStore::new();
        {
            for m in ["2025-05", "2025-06"] {
                execute(
                    &store,
                    &Operators::default(),
                    &cli("A"),
                    &set("krl", Some(m), None, None).unwrap(),
                    at(NOW),
                    false,
                )
                .unwrap();
            }
        }
        let store = store.reopen();
        let undo = undo_of("krl".into()).unwrap();
        let through = |s: &Store| {
            s.catalogue()
                .area(AreaId::Krl)
                .unwrap()
                .through
                .unwrap()
                .to_string()
        };
        let undo_once =
            |s: &Store| execute(s, &Operators::default(), &cli("B"), &undo, at(NOW), false);
        undo_once(&store).unwrap();
        assert_eq!(through(&store), "2025-05");
        let store = store.reopen();
        undo_once(&store).unwrap();
        assert_eq!(through(&store), "2025-04");
        let krl = store.catalogue().area(AreaId::Krl).cloned().unwrap();
        assert_eq!(krl.changed, None, "the seed's own stamp is back");
        let err = undo_once(&store).unwrap_err();
        assert!(err.user_message().contains("ingen ændring at fortryde"));
        let h = store.history(AreaId::Krl, 10).unwrap();
        assert_eq!(h.len(), 4);
        assert!(h.iter().filter(|e| e.reverts.is_none()).all(|e| e.undone));
    }

    #[test]
    fn as_of_and_rule_changes() {
        let f = fixture();
        run(&f, as_of_of("2025-10-10".into())).unwrap();
        assert_eq!(f.store.catalogue().as_of.to_string(), "2025-10-10");
        assert_eq!(f.store.history(Subject::Catalogue, 5).unwrap().len(), 1);
        run(
            &f,
            rule_of("krl".into(), None, Some("5".into()), Some("21-14".into())),
        )
        .unwrap();
        let krl = f.store.catalogue().area(AreaId::Krl).cloned().unwrap();
        assert_eq!(krl.rule.lag, 5);
        assert_eq!(
            krl.rule.early,
            Some(EarlyWindow {
                from_days: 21,
                to_days: 14
            })
        );
    }

    #[test]
    fn export_is_byte_stable_and_round_trips_without_a_diff() {
        let f = fixture();
        run(
            &f,
            set(
                "krl",
                Some("2025-05"),
                None,
                Some("Note med \"citat\" og @everyone"),
            ),
        )
        .unwrap();
        let c = f.store.catalogue();
        for format in [Format::Toml, Format::Json] {
            let a = export(&c, format).unwrap();
            assert_eq!(a, export(&c, format).unwrap());
            let out = run(&f, import_of(a.clone())).unwrap();
            assert!(
                out.changes.is_empty(),
                "round trip has no diff: {:?}",
                out.changes
            );
            assert_eq!(parse_catalogue_file(&a).unwrap(), *c);
        }
    }

    #[test]
    fn import_applies_a_whole_file_atomically_with_a_diff() {
        let f = fixture();
        let mut c = (*f.store.catalogue()).clone();
        c.area_mut(AreaId::Dfdg).unwrap().state = State::Ok;
        c.area_mut(AreaId::Dfdg).unwrap().through = "2025-07".parse().ok();
        c.as_of = "2025-10-01".parse().unwrap();
        let text = export(&c, Format::Toml).unwrap();
        let dry = execute(
            &f.store,
            &Operators::default(),
            &cli("I"),
            &import_of(text.clone()).unwrap(),
            at(NOW),
            true,
        )
        .unwrap();
        assert!(!dry.applied && dry.changes.len() == 2);
        assert_eq!(
            &*f.store.catalogue(),
            default_catalogue(),
            "dry run changes nothing"
        );
        run(&f, import_of(text)).unwrap();
        let after = f.store.catalogue();
        assert_eq!(after.area(AreaId::Dfdg).unwrap().state, State::Ok);
        assert_eq!(after.as_of.to_string(), "2025-10-01");
        // A file whose second area is broken is refused whole.
        let broken =
            export(&c, Format::Toml)
                .unwrap()
                .replacen("state = \"ok\"", "state = \"kaput\"", 2);
        let before = f.store.catalogue();
        assert!(run(&f, import_of(broken)).is_err());
        assert_eq!(f.store.catalogue(), before);
    }
}
