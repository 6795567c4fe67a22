//! Operator changes to the catalogue: validated in one place (the command line and chat both
//! come here with raw text), planned as a pure function of the catalogue, then committed by the
//! store as one transaction with its history entries.

pub mod authorisation;

use chrono::{DateTime, NaiveDate, Timelike, Utc};
use serde::Serialize;

use crate::core::calendar;
use crate::core::catalogue::{Area, AreaId, Cadence, Catalogue, ChangeStamp, EarlyWindow, State};
use crate::core::danish_time::{danish_date, danish_date_time, danish_today};
use crate::core::understand::default_parser;
use crate::core::year_month::YearMonth;
use crate::error::AppError;
use crate::operations::authorisation::{Actor, Operators};
use crate::store::{Commit, HistoryEntry, Snapshot, Store, Writer, CATALOGUE_KEY};

/// The longest drift note: a Discord embed field holds 1024 characters, and a note must fit in
/// one with room to spare.
pub const MAX_NOTE_CHARS: usize = 1000;
/// The longest release delay an operator may set, in months.
pub const MAX_LAG: u32 = 24;

/// One operator change, with its arguments as typed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Operation {
    Set {
        area: String,
        through: Option<String>,
        state: Option<String>,
        note: Option<String>,
    },
    Rule {
        area: String,
        cadence: Option<String>,
        lag: Option<String>,
        early_days: Option<String>,
    },
    /// Marks the monthly release of `month` (default: this month) out.
    Release {
        month: Option<String>,
        except: Vec<String>,
    },
    Undo {
        area: String,
    },
    AsOf {
        date: String,
    },
    /// A whole catalogue file, TOML or JSON.
    Import {
        text: String,
    },
}

/// What a change does, before it is committed.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Plan {
    /// History's word for it.
    pub action: String,
    pub changes: Vec<(Area, Area)>,
    pub as_of: Option<(NaiveDate, NaiveDate)>,
    /// For an undo: the entry it reverts.
    pub reverts: Option<(AreaId, u64)>,
}

/// What the operator is told: per area the changed fields, in Danish.
#[derive(Clone, Debug, Serialize)]
pub struct Outcome {
    pub action: String,
    pub applied: bool,
    pub dry_run: bool,
    pub changes: Vec<ChangeView>,
}

#[derive(Clone, Debug, Serialize)]
pub struct ChangeView {
    pub name: String,
    pub diffs: Vec<String>,
}

fn state_word(s: &str) -> Result<State, AppError> {
    match s.trim().to_lowercase().as_str() {
        "ok" | "kører" | "koerer" => Ok(State::Ok),
        "disturbed" | "forstyrret" | "driftsforstyrrelse" => Ok(State::Disturbed),
        "down" | "nede" => Ok(State::Down),
        _ => Err(AppError::invalid(format!(
            "«{}» er ikke en tilstand. Brug ok, disturbed eller down.",
            clip(s, 40)
        ))),
    }
}

fn clip(s: &str, n: usize) -> String {
    let mut out: String = s.chars().filter(|c| !c.is_control()).take(n).collect();
    if s.chars().count() > n {
        out.push('…');
    }
    out
}

fn month_arg(s: &str) -> Result<Option<YearMonth>, AppError> {
    match s.trim().to_lowercase().as_str() {
        "none" | "ingen" | "-" => Ok(None),
        _ => s.parse::<YearMonth>().map(Some).map_err(|_| {
            AppError::invalid(format!(
                "«{}» er ikke en måned på formen ÅÅÅÅ-MM (fx 2025-07), eller none.",
                clip(s, 40)
            ))
        }),
    }
}

/// An area named by id, name or alias; a group or an unknown word is refused with help.
pub fn resolve_area(arg: &str) -> Result<AreaId, AppError> {
    let trimmed = arg.trim();
    if let Ok(id) = trimmed.to_lowercase().parse::<AreaId>() {
        return Ok(id);
    }
    let name = |id: AreaId| {
        crate::core::catalogue::default_catalogue()
            .area(id)
            .map_or(id.as_str().to_owned(), |a| a.name.clone())
    };
    let parser = default_parser();
    match parser.exact_areas(trimmed).as_deref() {
        Some([one]) => Ok(*one),
        Some(many) => {
            let names: Vec<String> = many.iter().map(|a| name(*a)).collect();
            Err(AppError::invalid(format!(
                "«{}» dækker flere områder ({}); nævn ét.",
                clip(trimmed, 40),
                names.join(", ")
            )))
        }
        None => {
            // A change needs the exact name; what a typo-tolerant reading finds is only offered.
            let parsed = parser.parse(trimmed);
            let mut close = parsed.areas;
            close.extend(parsed.suggestions);
            close.dedup();
            close.truncate(3);
            let hint = if close.is_empty() {
                let ids: Vec<&str> = AreaId::ALL.iter().map(|a| a.as_str()).collect();
                format!(" Områderne er: {}.", ids.join(", "))
            } else {
                let names: Vec<String> = close.iter().map(|a| name(*a)).collect();
                format!(" Mente du {}?", names.join(" eller "))
            };
            Err(AppError::invalid(format!(
                "Jeg kender ikke området «{}».{hint}",
                clip(trimmed, 40)
            )))
        }
    }
}

fn note_arg(s: &str) -> Result<Option<String>, AppError> {
    let note = s.replace('\r', "");
    let note = note.trim();
    if note.is_empty() {
        return Ok(None);
    }
    let n = note.chars().count();
    if n > MAX_NOTE_CHARS {
        return Err(AppError::invalid(format!(
            "Driftsbemærkningen er {n} tegn; højst {MAX_NOTE_CHARS} kan vises i et Discord-svar. Forkort den."
        )));
    }
    Ok(Some(note.to_owned()))
}

fn early_arg(s: &str) -> Result<Option<EarlyWindow>, AppError> {
    if matches!(
        s.trim().to_lowercase().as_str(),
        "none" | "ingen" | "-" | "0"
    ) {
        return Ok(None);
    }
    let bad = || {
        AppError::invalid(format!(
            "«{}» er ikke et vindue i dage før d. 10. på formen FRA-TIL (fx 14-21), eller none.",
            clip(s, 40)
        ))
    };
    let (a, b) = s.trim().split_once('-').ok_or_else(bad)?;
    let a: u32 = a.trim().parse().map_err(|_| bad())?;
    let b: u32 = b.trim().parse().map_err(|_| bad())?;
    if !(1..=31).contains(&a) || !(1..=31).contains(&b) {
        return Err(bad());
    }
    Ok(Some(EarlyWindow {
        from_days: a.max(b),
        to_days: a.min(b),
    }))
}

/// Parses a catalogue file, TOML or JSON (detected), and checks it is whole.
pub fn parse_catalogue_file(text: &str) -> Result<Catalogue, AppError> {
    let parsed: Result<Catalogue, String> = if text.trim_start().starts_with('{') {
        serde_json::from_str(text).map_err(|e| e.to_string())
    } else {
        toml::from_str(text).map_err(|e| e.to_string())
    };
    let catalogue = parsed.map_err(|e| {
        AppError::invalid(format!(
            "Importfilen kan ikke læses; intet er ændret. Fejlen: {}",
            clip(&e, 300)
        ))
    })?;
    catalogue.validate().map_err(|e| {
        AppError::invalid(format!(
            "Importfilen er ikke et helt katalog ({e}); intet er ændret."
        ))
    })?;
    for a in &catalogue.areas {
        if let Some(n) = &a.note {
            note_arg(n)
                .map_err(|e| AppError::invalid(format!("{}: {}", a.id, e.user_message())))?;
        }
    }
    Ok(catalogue)
}

/// The catalogue as a file: TOML or JSON, fixed order and no timestamp of its own, so two
/// exports of the same catalogue are the same bytes.
pub fn export(catalogue: &Catalogue, json: bool) -> Result<String, AppError> {
    let text = if json {
        serde_json::to_string_pretty(catalogue).map_err(|e| AppError::invalid(e.to_string()))?
    } else {
        toml::to_string(catalogue).map_err(|e| AppError::invalid(e.to_string()))?
    };
    Ok(text)
}

/// Plans `op` against `catalogue`. `last_change` returns an area's newest change that can be
/// undone. Nothing is written here.
pub fn plan(
    op: &Operation,
    catalogue: &Catalogue,
    last_change: impl Fn(AreaId) -> Result<Option<HistoryEntry>, AppError>,
    stamp: &ChangeStamp,
) -> Result<Plan, AppError> {
    let stamped = |mut a: Area| {
        a.changed = Some(stamp.clone());
        a
    };
    let area_of = |id: AreaId| {
        catalogue
            .area(id)
            .cloned()
            .ok_or_else(|| AppError::invalid(format!("Området «{id}» mangler i kataloget.")))
    };
    let mut plan = Plan::default();
    match op {
        Operation::Set {
            area,
            through,
            state,
            note,
        } => {
            let id = resolve_area(area)?;
            if through.is_none() && state.is_none() && note.is_none() {
                return Err(AppError::invalid(
                    "Angiv mindst én ændring: --through, --state eller --note.",
                ));
            }
            let before = area_of(id)?;
            let mut after = before.clone();
            if let Some(t) = through {
                after.through = month_arg(t)?;
            }
            if let Some(s) = state {
                after.state = state_word(s)?;
            }
            if let Some(n) = note {
                after.note = note_arg(n)?;
            }
            plan.action = "ret".into();
            push_if_changed(&mut plan, before, stamped(after));
        }
        Operation::Rule {
            area,
            cadence,
            lag,
            early_days,
        } => {
            let id = resolve_area(area)?;
            if cadence.is_none() && lag.is_none() && early_days.is_none() {
                return Err(AppError::invalid(
                    "Angiv mindst én regel: --cadence, --lag eller --early-days.",
                ));
            }
            let before = area_of(id)?;
            let mut after = before.clone();
            if let Some(c) = cadence {
                after.rule.cadence = c.parse::<Cadence>().map_err(|()| {
                    AppError::invalid(format!(
                        "«{}» er ikke en kadence. Brug monthly, yearly eller daily.",
                        clip(c, 40)
                    ))
                })?;
            }
            if let Some(l) = lag {
                after.rule.lag = l
                    .trim()
                    .parse::<u32>()
                    .ok()
                    .filter(|l| *l <= MAX_LAG)
                    .ok_or_else(|| {
                        AppError::invalid(format!(
                            "«{}» er ikke en forsinkelse i måneder (0–{MAX_LAG}).",
                            clip(l, 40)
                        ))
                    })?;
            }
            if let Some(e) = early_days {
                after.rule.early = early_arg(e)?;
            }
            plan.action = "regel".into();
            push_if_changed(&mut plan, before, stamped(after));
        }
        Operation::Release { month, except } => {
            let month = match month {
                Some(m) => month_arg(m)?.ok_or_else(|| {
                    AppError::invalid("Angiv udgivelsens måned på formen ÅÅÅÅ-MM.")
                })?,
                None => YearMonth::of_date(danish_today(stamp.at)),
            };
            let except: Vec<AreaId> = except
                .iter()
                .map(|a| resolve_area(a))
                .collect::<Result<_, _>>()?;
            plan.action = format!("udgivelse {month}");
            for area in &catalogue.areas {
                if area.rule.cadence != Cadence::Monthly
                    || area.state == State::Down
                    || except.contains(&area.id)
                {
                    continue;
                }
                let carries = calendar::monthly_release(&area.rule, month).carries;
                // A release only moves data forward; a newer recorded month stays.
                if area.through.is_some_and(|t| t >= carries) {
                    continue;
                }
                let mut after = area.clone();
                after.through = Some(carries);
                push_if_changed(&mut plan, area.clone(), stamped(after));
            }
        }
        Operation::Undo { area } => {
            let id = resolve_area(area)?;
            let entry = last_change(id)?.ok_or_else(|| {
                AppError::invalid(format!(
                    "Der er ingen ændring at fortryde for {}.",
                    catalogue.area(id).map_or(id.as_str(), |a| a.name.as_str())
                ))
            })?;
            let Snapshot::Area(restored) = entry.before else {
                return Err(AppError::invalid("Den seneste ændring kan ikke fortrydes."));
            };
            plan.action = format!(
                "fortryd «{}» fra {}",
                entry.action,
                danish_date_time(entry.at)
            );
            plan.reverts = Some((id, entry.seq));
            plan.changes.push((area_of(id)?, *restored));
        }
        Operation::AsOf { date } => {
            let d: NaiveDate = date.trim().parse().map_err(|_| {
                AppError::invalid(format!(
                    "«{}» er ikke en dato på formen ÅÅÅÅ-MM-DD (fx 2025-09-10).",
                    clip(date, 40)
                ))
            })?;
            if d > danish_today(stamp.at) {
                return Err(AppError::invalid(format!(
                    "{} ligger i fremtiden; statusdatoen kan højst være i dag.",
                    danish_date(d)
                )));
            }
            plan.action = "statusdato".into();
            if d != catalogue.as_of {
                plan.as_of = Some((catalogue.as_of, d));
            }
        }
        Operation::Import { text } => {
            let incoming = parse_catalogue_file(text)?;
            plan.action = "import".into();
            for area in &catalogue.areas {
                if let Some(new) = incoming.area(area.id) {
                    push_if_changed(&mut plan, area.clone(), stamped(new.clone()));
                }
            }
            if incoming.as_of != catalogue.as_of {
                plan.as_of = Some((catalogue.as_of, incoming.as_of));
            }
        }
    }
    Ok(plan)
}

/// Adds the change unless `after` differs from `before` only in its change stamp.
fn push_if_changed(plan: &mut Plan, before: Area, after: Area) {
    let mut unstamped = after.clone();
    unstamped.changed = before.changed.clone();
    if unstamped != before {
        plan.changes.push((before, after));
    }
}

impl Plan {
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty() && self.as_of.is_none()
    }

    /// The store write: new values and one history entry per subject.
    pub fn into_commit(self, stamp: &ChangeStamp) -> Commit {
        let entry = |before, after| HistoryEntry {
            seq: 0,
            at: stamp.at,
            by: stamp.by.clone(),
            action: self.action.clone(),
            before,
            after,
            undone: false,
            reverts: self.reverts.map(|(_, s)| s),
        };
        let mut commit = Commit::default();
        for (before, after) in &self.changes {
            commit.entries.push((
                before.id.as_str().to_owned(),
                entry(
                    Snapshot::Area(Box::new(before.clone())),
                    Snapshot::Area(Box::new(after.clone())),
                ),
            ));
            commit.areas.push(after.clone());
        }
        if let Some((before, after)) = self.as_of {
            commit.entries.push((
                CATALOGUE_KEY.to_owned(),
                entry(Snapshot::AsOf(before), Snapshot::AsOf(after)),
            ));
            commit.as_of = Some(after);
        }
        if let Some((id, seq)) = self.reverts {
            commit.mark_undone.push((id.as_str().to_owned(), seq));
        }
        commit
    }

    pub fn views(&self) -> Vec<ChangeView> {
        let mut out: Vec<ChangeView> = self
            .changes
            .iter()
            .map(|(b, a)| ChangeView {
                name: b.name.clone(),
                diffs: describe(b, a),
            })
            .collect();
        if let Some((b, a)) = self.as_of {
            out.push(ChangeView {
                name: "Kataloget".into(),
                diffs: vec![format!(
                    "status pr. {} → {}",
                    danish_date(b),
                    danish_date(a)
                )],
            });
        }
        out
    }
}

fn month_text(m: Option<YearMonth>) -> String {
    m.map_or("ikke oplyst".into(), YearMonth::danish)
}

fn rule_text(a: &Area) -> String {
    let mut s = match a.rule.cadence {
        Cadence::Monthly => format!("månedligt, forsinkelse {} mdr.", a.rule.lag),
        Cadence::Yearly => "årligt".into(),
        Cadence::Daily => "dagligt".into(),
    };
    if let Some(w) = a.rule.early {
        s.push_str(&format!(", {}–{} dage før d. 10.", w.to_days, w.from_days));
    }
    s
}

/// The fields that differ between two versions of an area, in Danish.
pub fn describe(before: &Area, after: &Area) -> Vec<String> {
    let mut d = Vec::new();
    if before.through != after.through {
        d.push(format!(
            "data t.o.m. {} → {}",
            month_text(before.through),
            month_text(after.through)
        ));
    }
    if before.state != after.state {
        d.push(format!(
            "tilstand {} → {}",
            before.state.danish(),
            after.state.danish()
        ));
    }
    if before.note != after.note {
        let n = |n: &Option<String>| {
            n.as_deref()
                .map_or("(ingen)".into(), |t| format!("«{}»", clip(t, 80)))
        };
        d.push(format!("drift {} → {}", n(&before.note), n(&after.note)));
    }
    if before.rule != after.rule {
        d.push(format!(
            "regel {} → {}",
            rule_text(before),
            rule_text(after)
        ));
    }
    for (field, changed) in [
        ("navn", before.name != after.name),
        ("gruppe", before.group != after.group),
        ("frekvens", before.frequency != after.frequency),
        ("kilde", before.source != after.source),
    ] {
        if changed {
            d.push(format!("{field} ændret"));
        }
    }
    d
}

#[derive(Serialize)]
struct HistoryView {
    name: String,
    entries: Vec<EntryView>,
}

#[derive(Serialize)]
struct EntryView {
    at: String,
    by: String,
    action: String,
    diffs: Vec<String>,
    undone: bool,
}

/// An area's history, newest first, as Danish text (`responses/admin_history.md`).
pub fn history_text(store: &Store, area: &str, limit: usize) -> Result<String, AppError> {
    let id = resolve_area(area)?;
    let catalogue = store.catalogue();
    let entries = store
        .history(id.as_str(), limit)?
        .into_iter()
        .map(|e| EntryView {
            at: danish_date_time(e.at),
            by: e.by,
            action: e.action,
            diffs: match (&e.before, &e.after) {
                (Snapshot::Area(b), Snapshot::Area(a)) => describe(b, a),
                _ => Vec::new(),
            },
            undone: e.undone,
        })
        .collect();
    let view = HistoryView {
        name: catalogue
            .area(id)
            .map_or(id.as_str().to_owned(), |a| a.name.clone()),
        entries,
    };
    Ok(crate::core::render::render_template(
        "admin_history.md",
        &view,
    ))
}

/// Checks the invariants serial writing keeps: per area, the history is one chain from the
/// default catalogue (each entry's `before` is the previous entry's `after`), the catalogue is
/// the chain's end, and no entry was undone twice. Returns the number of area entries, or what
/// is broken.
pub fn verify_history(store: &Store) -> Result<usize, String> {
    let writer = store.writer();
    let catalogue = writer.catalogue();
    let mut entries = 0;
    for seed in &crate::core::catalogue::default_catalogue().areas {
        let id = seed.id;
        let mut chain = writer
            .history(id.as_str(), usize::MAX)
            .map_err(|e| e.to_string())?;
        chain.reverse();
        entries += chain.len();
        let mut current = seed.clone();
        let mut reverted = std::collections::BTreeSet::new();
        for e in &chain {
            let (Snapshot::Area(before), Snapshot::Area(after)) = (&e.before, &e.after) else {
                return Err(format!("{id}: entry {} is not an area change", e.seq));
            };
            if **before != current {
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
        if catalogue.area(id) != Some(&current) {
            return Err(format!("{id}: the catalogue is not the end of its history"));
        }
    }
    Ok(entries)
}

/// The newest change of `id` that an undo would revert: not an undo itself, not undone.
/// Read under the writer, so two undos at once never pick the same entry.
pub fn last_undoable(writer: &Writer<'_>, id: AreaId) -> Result<Option<HistoryEntry>, AppError> {
    Ok(writer
        .history(id.as_str(), usize::MAX)?
        .into_iter()
        .find(|e| !e.undone && e.reverts.is_none()))
}

/// Authorises, plans and (unless `dry_run`) commits `op`. The plan is made and committed under
/// the store's one writer, so no concurrent change is lost or planned on a stale catalogue. The
/// commit is flushed to disk before this returns, so an `Ok` may be confirmed to the user.
/// Blocking: call it from a blocking thread, not an async worker.
pub fn execute(
    store: &Store,
    operators: &Operators,
    actor: &Actor,
    op: &Operation,
    now: DateTime<Utc>,
    dry_run: bool,
) -> Result<Outcome, AppError> {
    operators.authorise(actor)?;
    let stamp = ChangeStamp {
        by: actor.name(),
        // Whole seconds: history and exports read better, and nothing needs finer.
        at: now.with_nanosecond(0).unwrap_or(now),
    };
    let writer = store.writer();
    let catalogue = writer.catalogue();
    let plan = plan(op, &catalogue, |id| last_undoable(&writer, id), &stamp)?;
    let outcome = Outcome {
        action: plan.action.clone(),
        applied: !dry_run && !plan.is_empty(),
        dry_run,
        changes: plan.views(),
    };
    if outcome.applied {
        writer.commit(plan.into_commit(&stamp))?;
        tracing::info!(by = %stamp.by, action = %outcome.action, areas = outcome.changes.len(), "catalogue changed");
    }
    Ok(outcome)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::catalogue::default_catalogue;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    const NOW: &str = "2025-10-10T09:00:00+02:00";

    fn cli(name: &str) -> Actor {
        Actor::Cli { name: name.into() }
    }

    fn set(
        area: &str,
        through: Option<&str>,
        state: Option<&str>,
        note: Option<&str>,
    ) -> Operation {
        Operation::Set {
            area: area.into(),
            through: through.map(Into::into),
            state: state.map(Into::into),
            note: note.map(Into::into),
        }
    }

    struct Fixture {
        _dir: tempfile::TempDir,
        store: Store,
    }

    fn fixture() -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        Fixture { _dir: dir, store }
    }

    fn run(f: &Fixture, op: Operation) -> Result<Outcome, AppError> {
        execute(
            &f.store,
            &Operators::default(),
            &cli("Mette"),
            &op,
            at(NOW),
            false,
        )
    }

    fn refused(f: &Fixture, op: Operation) -> String {
        let before = f.store.catalogue();
        let err = run(f, op).expect_err("refused");
        assert_eq!(
            f.store.catalogue(),
            before,
            "a refused change changes nothing"
        );
        assert!(f.store.history("krl", 10).unwrap().is_empty());
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
        assert_eq!(krl.changed.as_ref().unwrap().by, "Mette");
        let h = f.store.history("krl", 10).unwrap();
        assert_eq!(h.len(), 1);
        let Snapshot::Area(before) = &h[0].before else {
            panic!()
        };
        assert_eq!(before.through.unwrap().to_string(), "2025-04");
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
                            3 => Operation::Release {
                                month: Some(format!("2025-{}", 10 + i % 3)),
                                except: vec![],
                            },
                            4 => Operation::Undo { area: "krl".into() },
                            _ => Operation::Undo { area: "ky".into() },
                        };
                        let who = cli(&format!("writer {t}"));
                        let ops = Operators::default();
                        if let Ok(out) = execute(store, &ops, &who, &op, at(NOW), false) {
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
                Operation::Rule {
                    area: "dream".into(),
                    cadence: Some("weekly".into()),
                    lag: None,
                    early_days: None,
                },
                "kadence",
            ),
            (
                Operation::Rule {
                    area: "dream".into(),
                    cadence: None,
                    lag: Some("-1".into()),
                    early_days: None,
                },
                "forsinkelse",
            ),
            (
                Operation::Rule {
                    area: "dream".into(),
                    cadence: None,
                    lag: None,
                    early_days: Some("21".into()),
                },
                "FRA-TIL",
            ),
            (
                Operation::AsOf {
                    date: "10/9-25".into(),
                },
                "ÅÅÅÅ-MM-DD",
            ),
            (
                Operation::AsOf {
                    date: "2030-01-01".into(),
                },
                "fremtiden",
            ),
            (
                Operation::Undo { area: "krl".into() },
                "ingen ændring at fortryde",
            ),
            (
                Operation::Import {
                    text: "as_of = \"2025-09-10\"\nareas = []".into(),
                },
                "mangler",
            ),
            (
                Operation::Import {
                    text: "{ not json".into(),
                },
                "kan ikke læses",
            ),
        ];
        for (op, expect) in cases {
            let msg = refused(&f, op.clone());
            assert!(msg.contains(expect), "{op:?}: {msg}");
        }
        let err = execute(
            &f.store,
            &Operators::default(),
            &cli(" "),
            &set("krl", None, Some("ok"), None),
            at(NOW),
            false,
        )
        .unwrap_err();
        assert!(err.user_message().contains("--by"));
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
        let op = set("krl", None, Some("ok"), None);
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
        let op = Operation::Release {
            month: Some("2025-10".into()),
            except: vec!["fsiii".into()],
        };
        let out = run(&f, op.clone()).unwrap();
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
        let again = run(&f, op).unwrap();
        assert!(
            !again.applied && again.changes.is_empty(),
            "a second run changes nothing"
        );
        assert_eq!(f.store.catalogue(), c);
    }

    #[test]
    fn release_defaults_to_this_danish_month_and_never_moves_data_back() {
        let f = fixture();
        run(&f, set("ky", Some("2025-12"), None, None)).unwrap();
        run(
            &f,
            Operation::Release {
                month: None,
                except: vec![],
            },
        )
        .unwrap();
        let c = f.store.catalogue();
        assert_eq!(
            c.area(AreaId::Borger).unwrap().through.unwrap().to_string(),
            "2025-08"
        );
        assert_eq!(
            c.area(AreaId::Ky).unwrap().through.unwrap().to_string(),
            "2025-12"
        );
    }

    #[test]
    fn undo_walks_back_one_change_at_a_time_and_survives_reopen() {
        let dir = tempfile::tempdir().unwrap();
        {
            let store = Store::open(dir.path()).unwrap();
            for m in ["2025-05", "2025-06"] {
                execute(
                    &store,
                    &Operators::default(),
                    &cli("A"),
                    &set("krl", Some(m), None, None),
                    at(NOW),
                    false,
                )
                .unwrap();
            }
        }
        let store = Store::open(dir.path()).unwrap();
        let undo = Operation::Undo { area: "krl".into() };
        let through = |s: &Store| {
            s.catalogue()
                .area(AreaId::Krl)
                .unwrap()
                .through
                .unwrap()
                .to_string()
        };
        execute(
            &store,
            &Operators::default(),
            &cli("B"),
            &undo,
            at(NOW),
            false,
        )
        .unwrap();
        assert_eq!(through(&store), "2025-05");
        drop(store);
        let store = Store::open(dir.path()).unwrap();
        execute(
            &store,
            &Operators::default(),
            &cli("B"),
            &undo,
            at(NOW),
            false,
        )
        .unwrap();
        assert_eq!(through(&store), "2025-04");
        let krl = store.catalogue().area(AreaId::Krl).cloned().unwrap();
        assert_eq!(krl.changed, None, "the seed's own stamp is back");
        let err = execute(
            &store,
            &Operators::default(),
            &cli("B"),
            &undo,
            at(NOW),
            false,
        )
        .unwrap_err();
        assert!(err.user_message().contains("ingen ændring at fortryde"));
        let h = store.history("krl", 10).unwrap();
        assert_eq!(h.len(), 4);
        assert!(h.iter().filter(|e| e.reverts.is_none()).all(|e| e.undone));
    }

    #[test]
    fn as_of_and_rule_changes() {
        let f = fixture();
        run(
            &f,
            Operation::AsOf {
                date: "2025-10-10".into(),
            },
        )
        .unwrap();
        assert_eq!(f.store.catalogue().as_of.to_string(), "2025-10-10");
        assert_eq!(f.store.history(CATALOGUE_KEY, 5).unwrap().len(), 1);
        run(
            &f,
            Operation::Rule {
                area: "krl".into(),
                cadence: None,
                lag: Some("5".into()),
                early_days: Some("21-14".into()),
            },
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
        for json in [false, true] {
            let a = export(&c, json).unwrap();
            assert_eq!(a, export(&c, json).unwrap());
            let out = run(&f, Operation::Import { text: a.clone() }).unwrap();
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
        let text = export(&c, false).unwrap();
        let dry = execute(
            &f.store,
            &Operators::default(),
            &cli("I"),
            &Operation::Import { text: text.clone() },
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
        run(&f, Operation::Import { text }).unwrap();
        let after = f.store.catalogue();
        assert_eq!(after.area(AreaId::Dfdg).unwrap().state, State::Ok);
        assert_eq!(after.as_of.to_string(), "2025-10-01");
        // A file whose second area is broken is refused whole.
        let broken = export(&c, false)
            .unwrap()
            .replacen("state = \"ok\"", "state = \"kaput\"", 2);
        let before = f.store.catalogue();
        assert!(run(&f, Operation::Import { text: broken }).is_err());
        assert_eq!(f.store.catalogue(), before);
    }
}
