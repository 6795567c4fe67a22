//! What the operator is shown about a status import besides the per-area diff: the document,
//! the state each area was given and why, the areas it leaves alone, and how its rules section
//! differs from the previous one. Laid out by `responses/_import_status.md`.

use serde::Serialize;

use super::{rules_changes, RuleLine, StatusDocument};
use crate::core::catalogue::{AreaId, Catalogue, State};
use crate::core::danish_time::danish_date;

/// The most changed rules lines shown: a real section has about ten, and the view must also fit
/// a chat message.
const MAX_RULES_LINES: usize = 20;

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StatusImportView {
    /// "pr. 10/11-25".
    pub document: String,
    /// "10. november 2025".
    pub date: String,
    /// How many areas the document lists.
    pub rows: usize,
    /// The areas by the state they get (ok, disturbed, down), in catalogue order.
    pub states: Vec<StateView>,
    /// Areas of the catalogue the document does not list; they stay as they are.
    pub not_listed: Vec<String>,
    /// The rules section's lines that differ from the previous import's (the first
    /// `MAX_RULES_LINES`) and how many more there are.
    pub rules_changes: Vec<RuleLine>,
    pub rules_more: usize,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StateView {
    /// "ok", "disturbed", "down".
    pub state: &'static str,
    /// "kører efter planen", "driftsforstyrrelse", "nede".
    pub label: &'static str,
    pub areas: Vec<AreaStateView>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AreaStateView {
    pub name: String,
    /// The operator gave the state; it was not read from the note.
    pub given: bool,
}

/// The view of importing `doc` into `catalogue`, where `decided` holds each listed area's
/// state and whether the operator gave it, and `previous_rules` is the last import's rules.
pub fn view(
    doc: &StatusDocument,
    catalogue: &Catalogue,
    decided: &[(AreaId, State, bool)],
    previous_rules: &str,
) -> StatusImportView {
    let name = |id: AreaId| {
        catalogue
            .area(id)
            .map_or_else(|| id.as_str().to_owned(), |a| a.name.clone())
    };
    let states = [State::Ok, State::Disturbed, State::Down]
        .into_iter()
        .map(|state| StateView {
            state: state.as_str(),
            label: state.danish(),
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
    StatusImportView {
        document: doc.label(),
        date: danish_date(doc.as_of),
        rows: doc.rows.len(),
        states,
        not_listed: catalogue
            .areas
            .iter()
            .filter(|a| !doc.rows.contains_key(&a.id))
            .map(|a| a.name.clone())
            .collect(),
        rules_more: changes.len().saturating_sub(MAX_RULES_LINES),
        rules_changes: changes.into_iter().take(MAX_RULES_LINES).collect(),
    }
}
