//! Typed operations and what each would change: one pure planning function per operation, of
//! the catalogue as it stands (and, for an undo, the entries it reverts; for a status import,
//! what is kept of the last one). Nothing is written here.

use chrono::NaiveDate;

use crate::core::catalogue::{Area, AreaId, Cadence, Catalogue, ChangeStamp, EarlyWindow, State};
use crate::core::danish_time::danish_today;
use crate::core::facts::{self, status_date};
use crate::core::history::Subject;
use crate::core::history::{Action, HistoryEntry, Snapshot};
use crate::core::import_status::{
    infer_state, view, LastDocument, Problem, StatusDocument, StatusError, StatusImportView,
};
use crate::core::notify::Notice;
use crate::core::reply::Day;
use crate::core::webhook::WebhookTarget;
use crate::core::year_month::YearMonth;
use crate::error::{error_text, AppError};
use crate::store::Commit;
use crate::views::danish::danish_date;
use crate::views::danish::danish_date_time;
use crate::views::history::{describe, describe_in_full};

use super::validate::{LaterChange, Refusal};
use super::ChangeView;

/// An operator change with every value checked (see `Request::resolve`).
#[derive(Clone, Debug, PartialEq)]
pub enum Operation {
    /// `Some(None)` clears a field.
    Set {
        area: AreaId,
        through: Option<Option<YearMonth>>,
        state: Option<State>,
        note: Option<Option<String>>,
    },
    Rule {
        area: AreaId,
        cadence: Option<Cadence>,
        lag: Option<u32>,
        early: Option<Option<EarlyWindow>>,
    },
    /// Marks the monthly release of `month` (`None`: this Danish month) out.
    Release {
        month: Option<YearMonth>,
        except: Vec<AreaId>,
    },
    Undo {
        area: AreaId,
    },
    /// Undoes the newest import (a status document or a catalogue file) as a whole.
    UndoImport,
    AsOf {
        date: NaiveDate,
    },
    Import {
        catalogue: Box<Catalogue>,
    },
    /// FLIS' status document as read; `states` are the operator's, for areas it lists;
    /// `dropped` are areas the last document listed that the operator confirms FLIS dropped.
    ImportStatus {
        document: Box<StatusDocument>,
        states: Vec<(AreaId, State)>,
        dropped: Vec<AreaId>,
        allow_older: bool,
    },
    /// Adds, removes or resumes a webhook target.
    Webhook(super::webhooks::WebhookOp),
}

/// The newest import not undone, read under the writer: its record, and for each entry it
/// wrote that entry and the newest entry of the same subject now (to name a later change).
#[derive(Clone, Debug)]
pub struct ImportToUndo {
    pub record: HistoryEntry,
    pub parts: Vec<ImportPart>,
}

#[derive(Clone, Debug)]
pub struct ImportPart {
    pub subject: Subject,
    pub entry: HistoryEntry,
    pub newest: HistoryEntry,
}

/// What planning may read of the history, under the writer.
pub trait History {
    /// The newest change of `id` an undo would revert: not an undo itself, not undone.
    fn last_change(&self, id: AreaId) -> Result<Option<HistoryEntry>, AppError>;
    /// The newest import not undone, with its entries.
    fn last_import(&self) -> Result<Option<ImportToUndo>, AppError>;
    /// The webhook target of that name.
    fn webhook(&self, name: &str) -> Result<Option<WebhookTarget>, AppError>;
}

/// What a plan is made of besides the operation.
pub struct Inputs<'a> {
    pub catalogue: &'a Catalogue,
    /// What is kept of the last status document (the seed's before the first import).
    pub document: &'a LastDocument,
    pub history: &'a dyn History,
    pub stamp: &'a ChangeStamp,
}

/// What a change does, before it is committed.
#[derive(Clone, Debug, PartialEq)]
pub struct Plan {
    pub action: Action,
    pub changes: Vec<(Area, Area)>,
    pub as_of: Option<(NaiveDate, NaiveDate)>,
    /// For an undo: the entries it reverts, by subject and seq.
    pub reverts: Vec<(Subject, u64)>,
    /// For a status import: what the operator is shown besides the diff.
    pub status: Option<StatusImportView>,
    /// What is kept of the last status document, before and after.
    pub document: Option<(LastDocument, LastDocument)>,
    /// An import, or its undo: one record ties its entries together.
    pub record: bool,
    /// Why applying it would be refused though a dry run may show it (a status document that
    /// lacks areas the last one listed, not confirmed dropped).
    pub refusal: Option<StatusError>,
    /// A webhook target added, removed or resumed.
    pub webhook: Option<super::webhooks::WebhookPlan>,
}

impl Plan {
    pub(super) fn new(action: Action) -> Plan {
        Plan {
            action,
            changes: Vec::new(),
            as_of: None,
            reverts: Vec::new(),
            status: None,
            document: None,
            record: false,
            refusal: None,
            webhook: None,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
            && self.as_of.is_none()
            && self.document.as_ref().is_none_or(|(b, a)| b == a)
            && self.webhook.is_none()
    }

    /// Adds the change unless `after` differs from `before` only in its change stamp.
    fn push_if_changed(&mut self, before: Area, after: Area) {
        let mut unstamped = after.clone();
        unstamped.changed = before.changed.clone();
        if unstamped != before {
            self.changes.push((before, after));
        }
    }

    /// What the change tells those who follow its areas (see `fan_out`).
    pub fn notices(&self, stamp: &ChangeStamp) -> Vec<Notice> {
        self.changes
            .iter()
            .filter_map(|(before, after)| {
                crate::core::notify::notice(before, after, &self.action, stamp.at)
            })
            .collect()
    }

    /// The store write: new values, one history entry per subject, and for an import (or its
    /// undo) the record that ties them together. Its notices are addressed by `fan_out`.
    pub fn into_commit(self, stamp: &ChangeStamp) -> Commit {
        let reverts_of = |subject: Subject| {
            self.reverts
                .iter()
                .find(|(s, _)| *s == subject)
                .map(|(_, seq)| *seq)
        };
        let entry = |subject: Subject, before, after| HistoryEntry {
            seq: 0,
            at: stamp.at,
            by: stamp.by.clone(),
            action: self.action.clone(),
            before,
            after,
            undone: false,
            reverts: reverts_of(subject),
            parts: Vec::new(),
        };
        let mut commit = Commit::default();
        for (before, after) in &self.changes {
            let subject = Subject::Area(before.id);
            commit.entries.push((
                subject,
                entry(
                    subject,
                    Snapshot::Area(Box::new(before.clone())),
                    Snapshot::Area(Box::new(after.clone())),
                ),
            ));
            commit.areas.push(after.clone());
        }
        if let Some((before, after)) = self.as_of {
            commit.entries.push((
                Subject::Catalogue,
                entry(
                    Subject::Catalogue,
                    Snapshot::AsOf(before),
                    Snapshot::AsOf(after),
                ),
            ));
            commit.as_of = Some(after);
        }
        commit.mark_undone = self.reverts.clone();
        if let Some(w) = &self.webhook {
            let shown = |t: &Option<WebhookTarget>| {
                Snapshot::Webhook(t.as_ref().map(|t| Box::new(t.shown())))
            };
            commit.entries.push((
                Subject::Webhooks,
                entry(Subject::Webhooks, shown(&w.before), shown(&w.after)),
            ));
            commit.webhooks.push((w.name.clone(), w.after.clone()));
        }
        if let Some((before, after)) = &self.document {
            if before.rules != after.rules {
                commit.status_rules = Some(after.rules.clone());
            }
            if before.areas != after.areas {
                commit.status_areas = Some(after.areas.clone());
            }
            if self.record {
                commit.import_record = Some(entry(
                    Subject::Import,
                    Snapshot::Document(Box::new(before.clone())),
                    Snapshot::Document(Box::new(after.clone())),
                ));
            }
        }
        commit
    }

    /// Per area the changed fields, in Danish.
    pub fn views(&self) -> Vec<ChangeView> {
        let mut out: Vec<ChangeView> = self
            .changes
            .iter()
            .map(|(b, a)| ChangeView {
                name: b.name.clone(),
                diffs: match self.action {
                    // Read from a document's text: the operator must see where each note ends.
                    Action::StatusImport { .. } => describe_in_full(b, a),
                    _ => describe(b, a),
                },
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
        out.extend(
            self.webhook
                .as_ref()
                .map(super::webhooks::WebhookPlan::view),
        );
        out
    }
}

/// Two versions of an area are the same; a status date missing from one (written before areas
/// had their own, and given one when the store was next opened) matches any.
pub(super) fn same_area(a: &Area, b: &Area) -> bool {
    let mut a = a.clone();
    if a.status_date.is_none() || b.status_date.is_none() {
        a.status_date = b.status_date;
    }
    a == *b
}

fn area_of(catalogue: &Catalogue, id: AreaId) -> Result<Area, AppError> {
    catalogue.area(id).cloned().ok_or_else(|| {
        AppError::invalid(error_text(
            "area_not_in_catalogue",
            &[("id", id.as_str().to_owned())],
        ))
    })
}

fn stamped(mut a: Area, stamp: &ChangeStamp) -> Area {
    a.changed = Some(stamp.clone());
    a
}

/// Plans `op` on what `inputs` give, after checking it (`validate`).
pub fn plan(op: &Operation, inputs: &Inputs<'_>) -> Result<Plan, AppError> {
    let (catalogue, stamp) = (inputs.catalogue, inputs.stamp);
    super::validate::check(op, catalogue, danish_today(stamp.at))?;
    match op {
        Operation::Set {
            area,
            through,
            state,
            note,
        } => plan_set(catalogue, *area, *through, *state, note.clone(), stamp),
        Operation::Rule {
            area,
            cadence,
            lag,
            early,
        } => plan_rule(catalogue, *area, *cadence, *lag, *early, stamp),
        Operation::Release { month, except } => {
            let month = month.unwrap_or_else(|| YearMonth::of_date(danish_today(stamp.at)));
            Ok(plan_release(catalogue, month, except, stamp))
        }
        Operation::Undo { area } => plan_undo(catalogue, *area, inputs.history.last_change(*area)?),
        Operation::UndoImport => {
            plan_undo_import(catalogue, inputs.document, inputs.history.last_import()?)
        }
        Operation::AsOf { date } => Ok(plan_as_of(catalogue, *date)),
        Operation::Import {
            catalogue: incoming,
        } => Ok(plan_import(catalogue, incoming, inputs.document, stamp)),
        Operation::ImportStatus {
            document,
            states,
            dropped,
            allow_older,
        } => plan_import_status(
            catalogue,
            document,
            states,
            dropped,
            *allow_older,
            inputs.document,
            stamp,
        ),
        Operation::Webhook(op) => {
            let name = match op {
                super::webhooks::WebhookOp::Add(spec) => spec.name.as_str(),
                super::webhooks::WebhookOp::Remove { name }
                | super::webhooks::WebhookOp::Resume { name } => name.as_str(),
            };
            let current = inputs.history.webhook(name)?;
            super::webhooks::plan(op, current, catalogue, stamp)
        }
    }
}

pub fn plan_set(
    catalogue: &Catalogue,
    id: AreaId,
    through: Option<Option<YearMonth>>,
    state: Option<State>,
    note: Option<Option<String>>,
    stamp: &ChangeStamp,
) -> Result<Plan, AppError> {
    let before = area_of(catalogue, id)?;
    let mut after = before.clone();
    if let Some(t) = through {
        after.through = t;
    }
    if let Some(s) = state {
        after.state = s;
    }
    if let Some(n) = note {
        after.note = n;
    }
    // An operator setting an area confirms its status now.
    after.status_date = Some(danish_today(stamp.at));
    let mut plan = Plan::new(Action::Set);
    plan.push_if_changed(before, stamped(after, stamp));
    Ok(plan)
}

pub fn plan_rule(
    catalogue: &Catalogue,
    id: AreaId,
    cadence: Option<Cadence>,
    lag: Option<u32>,
    early: Option<Option<EarlyWindow>>,
    stamp: &ChangeStamp,
) -> Result<Plan, AppError> {
    let before = area_of(catalogue, id)?;
    let mut after = before.clone();
    if let Some(c) = cadence {
        after.rule.cadence = c;
    }
    if let Some(l) = lag {
        after.rule.lag = l;
    }
    if let Some(e) = early {
        after.rule.early = e;
    }
    let mut plan = Plan::new(Action::Rule);
    plan.push_if_changed(before, stamped(after, stamp));
    Ok(plan)
}

/// Every area not excepted that has a release in `month` (live and monthly) gets t.o.m. = what
/// that release carries for it, as the area facts give it (a drift note naming this release
/// for a month is followed); a release only moves data forward.
pub fn plan_release(
    catalogue: &Catalogue,
    month: YearMonth,
    except: &[AreaId],
    stamp: &ChangeStamp,
) -> Plan {
    let mut plan = Plan::new(Action::Release { month });
    for (area, carries) in released(catalogue, month, except) {
        if area.through.is_some_and(|t| t >= carries) {
            continue;
        }
        let mut after = area.clone();
        after.through = Some(carries);
        after.status_date = Some(danish_today(stamp.at));
        plan.push_if_changed(area.clone(), stamped(after, stamp));
    }
    plan
}

/// The areas the release of `month` is for (every live monthly area not excepted), each with
/// the month it carries.
pub(super) fn released<'c>(
    catalogue: &'c Catalogue,
    month: YearMonth,
    except: &'c [AreaId],
) -> impl Iterator<Item = (&'c Area, YearMonth)> + 'c {
    catalogue
        .areas
        .iter()
        .filter(move |a| !except.contains(&a.id))
        .filter_map(move |a| {
            facts::area_release(a, catalogue, month).map(|r| (a, r.release.carries))
        })
}

/// Restores the area as it was before `last`, its newest change not yet undone.
pub fn plan_undo(
    catalogue: &Catalogue,
    id: AreaId,
    last: Option<HistoryEntry>,
) -> Result<Plan, AppError> {
    let entry = last.ok_or_else(|| {
        AppError::invalid(error_text(
            "undo_nothing",
            &[(
                "area",
                catalogue
                    .area(id)
                    .map_or(id.as_str(), |a| a.name.as_str())
                    .to_owned(),
            )],
        ))
    })?;
    let Snapshot::Area(mut restored) = entry.before else {
        return Err(AppError::invalid(error_text("undo_not_area", &[])));
    };
    // An entry written before areas had their own status date.
    if restored.status_date.is_none() {
        restored.status_date = Some(status_date(&restored, catalogue));
    }
    let mut plan = Plan::new(Action::Undo {
        of: Box::new(entry.action),
        at: entry.at,
    });
    plan.reverts = vec![(Subject::Area(id), entry.seq)];
    plan.changes.push((area_of(catalogue, id)?, *restored));
    Ok(plan)
}

/// Restores everything the newest import changed (its areas, the catalogue's date, what is kept
/// of the status document), as one change with its own record. Refused, with what changed
/// since, unless each of them is still as the import left it: an area undone by itself since
/// is already back and is left as it is.
pub fn plan_undo_import(
    catalogue: &Catalogue,
    document: &LastDocument,
    import: Option<ImportToUndo>,
) -> Result<Plan, AppError> {
    let import = import.ok_or(Refusal::NoImport)?;
    let record = &import.record;
    let mut plan = Plan::new(Action::Undo {
        of: Box::new(record.action.clone()),
        at: record.at,
    });
    let mut later = Vec::new();
    let later_change = |what: String, newest: &HistoryEntry| LaterChange {
        what,
        action: newest.action.danish(),
        at: danish_date_time(newest.at),
        by: newest.by.public_name(),
    };
    for part in import.parts.iter().filter(|p| !p.entry.undone) {
        match (&part.entry.before, &part.entry.after) {
            (Snapshot::Area(before), Snapshot::Area(after)) => {
                let Some(now) = catalogue.area(after.id) else {
                    continue;
                };
                if !same_area(now, after.as_ref()) {
                    later.push(later_change(now.name.clone(), &part.newest));
                    continue;
                }
                let mut restored = before.as_ref().clone();
                if restored.status_date.is_none() {
                    restored.status_date = Some(status_date(&restored, catalogue));
                }
                plan.changes.push((now.clone(), restored));
                plan.reverts.push((part.subject, part.entry.seq));
            }
            (Snapshot::AsOf(before), Snapshot::AsOf(after)) => {
                if catalogue.as_of != *after {
                    later.push(later_change(String::new(), &part.newest));
                    continue;
                }
                plan.as_of = Some((catalogue.as_of, *before));
                plan.reverts.push((part.subject, part.entry.seq));
            }
            _ => {}
        }
    }
    if let (Snapshot::Document(before), Snapshot::Document(_)) = (&record.before, &record.after) {
        plan.document = Some((document.clone(), before.as_ref().clone()));
    }
    if !later.is_empty() {
        return Err(Refusal::ImportChangedSince {
            import: record.action.danish(),
            at: danish_date_time(record.at),
            by: record.by.public_name(),
            later,
        }
        .into());
    }
    plan.reverts.push((Subject::Import, record.seq));
    plan.record = true;
    Ok(plan)
}

/// The catalogue's own "pr." date; no area's status date moves (see README, *Status dates*).
pub fn plan_as_of(catalogue: &Catalogue, date: NaiveDate) -> Plan {
    let mut plan = Plan::new(Action::AsOf);
    if date != catalogue.as_of {
        plan.as_of = Some((catalogue.as_of, date));
    }
    plan
}

/// Every area the file holds replaces the stored one; the as-of date follows the file. One
/// record ties it together, so it can be undone as one.
pub fn plan_import(
    catalogue: &Catalogue,
    incoming: &Catalogue,
    document: &LastDocument,
    stamp: &ChangeStamp,
) -> Plan {
    let mut plan = Plan::new(Action::Import);
    plan.document = Some((document.clone(), document.clone()));
    plan.record = true;
    for area in &catalogue.areas {
        if let Some(new) = incoming.area(area.id) {
            plan.push_if_changed(area.clone(), stamped(new.clone(), stamp));
        }
    }
    if incoming.as_of != catalogue.as_of {
        plan.as_of = Some((catalogue.as_of, incoming.as_of));
    }
    plan
}

/// Every area the document lists takes its row, in the state the operator gave (`given`, the
/// last for an area winning) or else the one its note says, and the document's date as its
/// status date; areas it does not list, names, groups and release rules stay. The as-of date
/// follows the document, which may be older than the catalogue only if `allow_older`, and never
/// later than today. `previous` is what is kept of the last import (the seed's before the
/// first): its rules section is compared with, and each area it listed must be listed again or
/// be confirmed `dropped` by the operator; until then applying is refused (`Plan::refusal`),
/// though a dry run shows the rest.
pub fn plan_import_status(
    catalogue: &Catalogue,
    document: &StatusDocument,
    given: &[(AreaId, State)],
    dropped: &[AreaId],
    allow_older: bool,
    previous: &LastDocument,
    stamp: &ChangeStamp,
) -> Result<Plan, AppError> {
    let at_date = |problem| StatusError::new(document.as_of_line, problem);
    if document.as_of < catalogue.as_of && !allow_older {
        return Err(at_date(Problem::Older {
            document: document.label(),
            catalogue: Day(catalogue.as_of),
        })
        .into());
    }
    if document.as_of > danish_today(stamp.at) {
        return Err(at_date(Problem::Future {
            date: Day(document.as_of),
        })
        .into());
    }
    let mut plan = Plan::new(Action::StatusImport {
        document: document.as_of,
    });
    let mut decided = Vec::new();
    for area in &catalogue.areas {
        let Some(row) = document.rows.get(&area.id) else {
            continue;
        };
        let (state, by_operator) = match given.iter().rev().find(|(id, _)| *id == area.id) {
            Some((_, s)) => (*s, true),
            None => (infer_state(row.note.as_deref()), false),
        };
        decided.push((area.id, state, by_operator));
        // Changed or confirmed, the area's status is now as of the document.
        let mut after = row.applied_to(area, state);
        after.status_date = Some(document.as_of);
        plan.push_if_changed(area.clone(), stamped(after, stamp));
    }
    if document.as_of != catalogue.as_of {
        plan.as_of = Some((catalogue.as_of, document.as_of));
    }
    let expected: Vec<AreaId> = previous
        .areas
        .iter()
        .filter(|id| !dropped.contains(id))
        .copied()
        .collect();
    plan.refusal = document.missing(&expected, catalogue);
    let confirmed: Vec<AreaId> = previous
        .areas
        .iter()
        .filter(|id| dropped.contains(id) && !document.rows.contains_key(id))
        .copied()
        .collect();
    plan.status = Some(view(
        document,
        catalogue,
        &decided,
        &previous.rules,
        &previous.areas,
        &confirmed,
    ));
    plan.document = Some((previous.clone(), LastDocument::of(document)));
    plan.record = true;
    Ok(plan)
}
