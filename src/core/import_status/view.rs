//! What the operator is shown about a status import besides the per-area diff: the document,
//! the state each area was given and why, the areas it leaves alone, and how its rules section
//! differs from the previous one, in typed values (the document's `Day`, each `State`). Laid
//! out by `responses/_import_status.md`; `views::danish` writes the day and the state's word.

use serde::Serialize;

use super::{rules_changes, RuleLine, StatusDocument};
use crate::core::catalogue::{AreaId, Catalogue, State};
use crate::core::reply::Day;

/// The most changed rules lines shown: a real section has about ten, and the view must also fit
/// a chat message.
const MAX_RULES_LINES: usize = 20;

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StatusImportView {
    /// "pr. 10/11-25".
    pub document: String,
    /// "10. november 2025".
    pub date: Day,
    /// How many areas the document lists.
    pub rows: usize,
    /// The areas by the state they get (ok, disturbed, down), in catalogue order.
    pub states: Vec<StateView>,
    /// Areas of the catalogue neither this document nor the last one lists; they stay as they
    /// are.
    pub not_listed: Vec<String>,
    /// Areas the last document listed that this one lacks, not confirmed dropped: applying is
    /// refused until the operator says the document is whole and FLIS dropped them.
    pub missing: Vec<String>,
    /// Their ids, as an operator confirms them dropped.
    pub missing_ids: Vec<String>,
    /// Areas the last document listed that the operator confirms FLIS dropped: they stay as
    /// they are, and the next document need not list them.
    pub dropped: Vec<String>,
    /// The rules section's lines that differ from the previous import's (the first
    /// `MAX_RULES_LINES`) and how many more there are.
    pub rules_changes: Vec<RuleLine>,
    pub rules_more: usize,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StateView {
    /// "ok", "disturbed", "down"; the template words it (`state_word`).
    pub state: State,
    pub areas: Vec<AreaStateView>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AreaStateView {
    pub name: String,
    /// The operator gave the state; it was not read from the note.
    pub given: bool,
}

/// The view of importing `doc` into `catalogue`, where `decided` holds each listed area's
/// state and whether the operator gave it, `previous_rules` and `previous_areas` are what was
/// kept of the last import, and `dropped` the areas the operator confirms FLIS dropped.
pub fn view(
    doc: &StatusDocument,
    catalogue: &Catalogue,
    decided: &[(AreaId, State, bool)],
    previous_rules: &str,
    previous_areas: &[AreaId],
    dropped: &[AreaId],
) -> StatusImportView {
    let name = |id: AreaId| {
        catalogue
            .area(id)
            .map_or_else(|| id.as_str().to_owned(), |a| a.name.clone())
    };
    let states = State::ALL
        .into_iter()
        .map(|state| StateView {
            state,
            areas: decided
                .iter()
                .filter(|(_, s, _)| *s == state)
                .map(|(id, _, given)| AreaStateView {
                    name: name(*id),
                    given: *given,
                })
                .collect(),
        })
        .filter(|s| !s.areas.is_empty())
        .collect();
    let changes = rules_changes(previous_rules, &doc.rules_text);
    let unlisted = |which: &dyn Fn(AreaId) -> bool| -> Vec<String> {
        catalogue
            .areas
            .iter()
            .filter(|a| !doc.rows.contains_key(&a.id) && which(a.id))
            .map(|a| a.name.clone())
            .collect()
    };
    StatusImportView {
        document: doc.label(),
        date: Day(doc.as_of),
        rows: doc.rows.len(),
        states,
        not_listed: unlisted(&|id| !previous_areas.contains(&id)),
        missing: unlisted(&|id| previous_areas.contains(&id) && !dropped.contains(&id)),
        missing_ids: catalogue
            .areas
            .iter()
            .filter(|a| {
                !doc.rows.contains_key(&a.id)
                    && previous_areas.contains(&a.id)
                    && !dropped.contains(&a.id)
            })
            .map(|a| a.id.as_str().to_owned())
            .collect(),
        dropped: unlisted(&|id| dropped.contains(&id)),
        rules_more: changes.len().saturating_sub(MAX_RULES_LINES),
        rules_changes: changes.into_iter().take(MAX_RULES_LINES).collect(),
    }
}
