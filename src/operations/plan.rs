//! Typed operations and what each would change: one pure planning function per operation, of
//! the catalogue as it stands (and, for an undo, the entry it reverts; for a status import, the
//! last import's rules section). Nothing is written here.

use chrono::NaiveDate;

use crate::core::answer::status_date;
use crate::core::calendar;
use crate::core::catalogue::{Area, AreaId, Cadence, Catalogue, ChangeStamp, EarlyWindow, State};
use crate::core::danish_time::{danish_date, danish_today};
use crate::core::history::{describe, Action, HistoryEntry, Snapshot};
use crate::core::import_status::{
    infer_state, seed_rules_text, view, Problem, StatusDocument, StatusError, StatusImportView,
};
use crate::core::year_month::YearMonth;
use crate::error::AppError;
use crate::store::{Commit, CATALOGUE_KEY};

use super::ChangeView;

/// An operator change with every value checked (see `Request::parse`).
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
    AsOf {
        date: NaiveDate,
    },
    Import {
        catalogue: Box<Catalogue>,
    },
    /// FLIS' status document as read; `states` are the operator's, for areas it lists.
    ImportStatus {
        document: Box<StatusDocument>,
        states: Vec<(AreaId, State)>,
        allow_older: bool,
    },
}

/// What a change does, before it is committed.
#[derive(Clone, Debug, PartialEq)]
pub struct Plan {
    pub action: Action,
    pub changes: Vec<(Area, Area)>,
    pub as_of: Option<(NaiveDate, NaiveDate)>,
    /// For an undo: the entry it reverts.
    pub reverts: Option<(AreaId, u64)>,
    /// For a status import: what the operator is shown besides the diff.
    pub status: Option<StatusImportView>,
    /// For a status import: its rules section, when it differs from the stored one.
    pub status_rules: Option<String>,
}

impl Plan {
    fn new(action: Action) -> Plan {
        Plan {
            action,
            changes: Vec::new(),
            as_of: None,
            reverts: None,
            status: None,
            status_rules: None,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.changes.is_empty() && self.as_of.is_none() && self.status_rules.is_none()
    }

    /// Adds the change unless `after` differs from `before` only in its change stamp.
    fn push_if_changed(&mut self, before: Area, after: Area) {
        let mut unstamped = after.clone();
        unstamped.changed = before.changed.clone();
        if unstamped != before {
            self.changes.push((before, after));
        }
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
            commit.notices.extend(crate::core::notify::notice(
                before,
                after,
                &self.action,
                stamp.at,
            ));
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
        commit.status_rules = self.status_rules;
        commit
    }

    /// Per area the changed fields, in Danish.
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

fn area_of(catalogue: &Catalogue, id: AreaId) -> Result<Area, AppError> {
    catalogue
        .area(id)
        .cloned()
        .ok_or_else(|| AppError::invalid(format!("Området «{id}» mangler i kataloget.")))
}

fn stamped(mut a: Area, stamp: &ChangeStamp) -> Area {
    a.changed = Some(stamp.clone());
    a
}

/// Plans `op`. `last_change` gives an area's newest change an undo would revert;
/// `status_rules` is the rules section of the last status import (`None` before the first).
pub fn plan(
    op: &Operation,
    catalogue: &Catalogue,
    last_change: impl FnOnce(AreaId) -> Result<Option<HistoryEntry>, AppError>,
    status_rules: Option<&str>,
    stamp: &ChangeStamp,
) -> Result<Plan, AppError> {
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
        Operation::Undo { area } => plan_undo(catalogue, *area, last_change(*area)?),
        Operation::AsOf { date } => plan_as_of(catalogue, *date, stamp),
        Operation::Import {
            catalogue: incoming,
        } => Ok(plan_import(catalogue, incoming, stamp)),
        Operation::ImportStatus {
            document,
            states,
            allow_older,
        } => plan_import_status(
            catalogue,
            document,
            states,
            *allow_older,
            status_rules,
            stamp,
        ),
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

/// Every live monthly area not excepted gets t.o.m. = what `month`'s release carries; a release
/// only moves data forward.
pub fn plan_release(
    catalogue: &Catalogue,
    month: YearMonth,
    except: &[AreaId],
    stamp: &ChangeStamp,
) -> Plan {
    let mut plan = Plan::new(Action::Release { month });
    for area in &catalogue.areas {
        if area.rule.cadence != Cadence::Monthly
            || area.state == State::Down
            || except.contains(&area.id)
        {
            continue;
        }
        let carries = calendar::monthly_release(&area.rule, month).carries;
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

/// Restores the area as it was before `last`, its newest change not yet undone.
pub fn plan_undo(
    catalogue: &Catalogue,
    id: AreaId,
    last: Option<HistoryEntry>,
) -> Result<Plan, AppError> {
    let entry = last.ok_or_else(|| {
        AppError::invalid(format!(
            "Der er ingen ændring at fortryde for {}.",
            catalogue.area(id).map_or(id.as_str(), |a| a.name.as_str())
        ))
    })?;
    let Snapshot::Area(mut restored) = entry.before else {
        return Err(AppError::invalid("Den seneste ændring kan ikke fortrydes."));
    };
    // An entry written before areas had their own status date.
    if restored.status_date.is_none() {
        restored.status_date = Some(status_date(&restored, catalogue));
    }
    let mut plan = Plan::new(Action::Undo {
        of: Box::new(entry.action),
        at: entry.at,
    });
    plan.reverts = Some((id, entry.seq));
    plan.changes.push((area_of(catalogue, id)?, *restored));
    Ok(plan)
}

pub fn plan_as_of(
    catalogue: &Catalogue,
    date: NaiveDate,
    stamp: &ChangeStamp,
) -> Result<Plan, AppError> {
    if date > danish_today(stamp.at) {
        return Err(AppError::invalid(format!(
            "{} ligger i fremtiden; statusdatoen kan højst være i dag.",
            danish_date(date)
        )));
    }
    let mut plan = Plan::new(Action::AsOf);
    if date != catalogue.as_of {
        plan.as_of = Some((catalogue.as_of, date));
    }
    Ok(plan)
}

/// Every area the file holds replaces the stored one; the as-of date follows the file.
pub fn plan_import(catalogue: &Catalogue, incoming: &Catalogue, stamp: &ChangeStamp) -> Plan {
    let mut plan = Plan::new(Action::Import);
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
/// last for an area winning) or else the one its note says; areas it does not list, names,
/// groups and release rules stay. The as-of date follows the document, which may be older than
/// the catalogue only if `allow_older`, and never later than today. `previous_rules` is the last
/// import's rules section; a store that never imported one was seeded from the seed document's
/// transcription, so the seed's is compared with then.
pub fn plan_import_status(
    catalogue: &Catalogue,
    document: &StatusDocument,
    given: &[(AreaId, State)],
    allow_older: bool,
    previous_rules: Option<&str>,
    stamp: &ChangeStamp,
) -> Result<Plan, AppError> {
    let at_date = |problem| StatusError::new(document.as_of_line, problem);
    if document.as_of < catalogue.as_of && !allow_older {
        return Err(at_date(Problem::Older {
            document: document.label(),
            catalogue: danish_date(catalogue.as_of),
        })
        .into());
    }
    if document.as_of > danish_today(stamp.at) {
        return Err(at_date(Problem::Future {
            date: danish_date(document.as_of),
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
    let previous = previous_rules.unwrap_or_else(|| seed_rules_text());
    if previous != document.rules_text {
        plan.status_rules = Some(document.rules_text.clone());
    }
    plan.status = Some(view(document, catalogue, &decided, previous));
    Ok(plan)
}
