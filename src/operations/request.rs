//! Operator changes as the adapters hand them over: every value typed, read by each adapter
//! from its own arguments (the command line's flags, a slash command's options, with the
//! readers of `input`), each adapter wording its own errors. Areas are kept as the operator
//! named them ([`AreaName`]) and resolved against the live catalogue under the writer
//! ([`Request::resolve`]), where a status document is read too.

use super::arguments::ArgumentRefusal;
use super::plan::Operation;
use super::validate::Refusal;
use super::webhooks::WebhookAdd;
use crate::core::catalogue::{AreaId, Cadence, Catalogue, EarlyWindow, State};
use crate::core::import_status::{self, StatusDocument};
use crate::core::text::echo;
use crate::core::understand::default_parser;
use crate::core::year_month::YearMonth;
use crate::error::{error_text, AppError};

pub use super::validate::{MAX_LAG, MAX_NOTE_CHARS};

/// An area as the operator named it (id, name or alias), resolved against the live catalogue.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AreaName(String);

impl AreaName {
    pub fn new(name: impl Into<String>) -> AreaName {
        AreaName(name.into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The area it names in `catalogue` (see [`resolve_area`]).
    pub fn resolve(&self, catalogue: &Catalogue) -> Result<AreaId, AppError> {
        resolve_area(&self.0, catalogue)
    }
}

impl From<&str> for AreaName {
    fn from(name: &str) -> AreaName {
        AreaName::new(name)
    }
}

impl From<String> for AreaName {
    fn from(name: String) -> AreaName {
        AreaName(name)
    }
}

/// `admin set`, `/opdater`: an area's t.o.m., state and/or note; `Some(None)` clears.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SetChange {
    pub area: AreaName,
    pub through: Option<Option<YearMonth>>,
    pub state: Option<State>,
    pub note: Option<Option<String>>,
}

impl SetChange {
    /// Whether it changes nothing (each adapter says which of its arguments to give).
    pub fn is_empty(&self) -> bool {
        self.through.is_none() && self.state.is_none() && self.note.is_none()
    }
}

/// `admin rule`: an area's release rule.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RuleChange {
    pub area: AreaName,
    pub cadence: Option<Cadence>,
    pub lag: Option<u32>,
    pub early: Option<Option<EarlyWindow>>,
}

impl RuleChange {
    pub fn is_empty(&self) -> bool {
        self.cadence.is_none() && self.lag.is_none() && self.early.is_none()
    }
}

/// One operator change, its values typed.
#[derive(Clone, Debug, PartialEq)]
pub enum Request {
    Set(SetChange),
    Rule(RuleChange),
    /// The monthly release of `month` (`None`: this Danish month), but for `except`.
    Release {
        month: Option<YearMonth>,
        except: Vec<AreaName>,
    },
    Undo {
        area: AreaName,
    },
    /// Undo the newest import (a status document or a catalogue file) as a whole.
    UndoImport,
    AsOf {
        date: chrono::NaiveDate,
    },
    /// A whole catalogue file, read (`parse_catalogue_file`).
    Import {
        catalogue: Box<Catalogue>,
    },
    /// FLIS' monthly status document as text (see [`status_document_text`]); `states` override
    /// states read from notes; `dropped` names areas the last document listed that FLIS
    /// dropped; `allow_older` accepts a document older than the catalogue.
    ImportStatus {
        text: String,
        states: Vec<(AreaName, State)>,
        dropped: Vec<AreaName>,
        allow_older: bool,
    },
    /// A webhook target to add (`admin webhook add`, `/webhook tilfoej`).
    WebhookAdd(Box<WebhookAdd>),
    /// A webhook target to remove, by name.
    WebhookRemove {
        name: String,
    },
    /// A paused webhook target to deliver to again, by name.
    WebhookResume {
        name: String,
    },
}

impl Request {
    /// The operation on `catalogue`: areas resolved as it names them, a status document read
    /// against it.
    pub fn resolve(&self, catalogue: &Catalogue) -> Result<Operation, AppError> {
        Ok(match self {
            Request::Set(s) => {
                if s.is_empty() {
                    return Err(AppError::Argument(ArgumentRefusal::NoChange));
                }
                Operation::Set {
                    area: s.area.resolve(catalogue)?,
                    through: s.through,
                    state: s.state,
                    note: s.note.clone(),
                }
            }
            Request::Rule(r) => {
                if r.is_empty() {
                    return Err(AppError::Argument(ArgumentRefusal::NoRule));
                }
                Operation::Rule {
                    area: r.area.resolve(catalogue)?,
                    cadence: r.cadence,
                    lag: r.lag,
                    early: r.early,
                }
            }
            Request::Release { month, except } => Operation::Release {
                month: *month,
                except: except
                    .iter()
                    .map(|a| a.resolve(catalogue))
                    .collect::<Result<_, _>>()?,
            },
            Request::Undo { area } => Operation::Undo {
                area: area.resolve(catalogue)?,
            },
            Request::UndoImport => Operation::UndoImport,
            Request::AsOf { date } => Operation::AsOf { date: *date },
            Request::Import { catalogue } => Operation::Import {
                catalogue: catalogue.clone(),
            },
            Request::ImportStatus {
                text,
                states,
                dropped,
                allow_older,
            } => {
                let document = import_status::parse(text, catalogue)?;
                Operation::ImportStatus {
                    states: states
                        .iter()
                        .map(|(area, state)| {
                            listed_area(area, &document, catalogue).map(|id| (id, *state))
                        })
                        .collect::<Result<_, _>>()?,
                    dropped: dropped
                        .iter()
                        .filter(|d| !d.as_str().trim().is_empty())
                        .map(|d| dropped_area(d, &document, catalogue))
                        .collect::<Result<_, _>>()?,
                    document: Box::new(document),
                    allow_older: *allow_older,
                }
            }
            Request::WebhookAdd(add) => {
                Operation::Webhook(super::webhooks::resolve_add(add, catalogue)?)
            }
            Request::WebhookRemove { name } => {
                Operation::Webhook(super::webhooks::WebhookOp::Remove {
                    name: name.trim().to_owned(),
                })
            }
            Request::WebhookResume { name } => {
                Operation::Webhook(super::webhooks::WebhookOp::Resume {
                    name: name.trim().to_owned(),
                })
            }
        })
    }
}

/// A status document's bytes as its text: UTF-8, not a PDF, not binary, not empty, not over
/// `MAX_DOCUMENT_BYTES`; a refusal names the line. Every adapter reads a document through it.
pub fn status_document_text(bytes: &[u8]) -> Result<String, AppError> {
    Ok(import_status::decode(bytes)?.to_owned())
}

/// An area the operator gives a state for: one the document lists.
fn listed_area(
    area: &AreaName,
    document: &StatusDocument,
    catalogue: &Catalogue,
) -> Result<AreaId, AppError> {
    let id = area.resolve(catalogue)?;
    if !document.rows.contains_key(&id) {
        return Err(AppError::Argument(ArgumentRefusal::UnlistedState {
            area: echo(area.as_str(), 40),
        }));
    }
    Ok(id)
}

/// An area the operator says FLIS dropped: one the document does not list.
fn dropped_area(
    area: &AreaName,
    document: &StatusDocument,
    catalogue: &Catalogue,
) -> Result<AreaId, AppError> {
    let id = area.resolve(catalogue)?;
    match document.rows.get(&id) {
        Some(row) => Err(Refusal::ListedNotDropped {
            area: row.name.clone(),
            line: row.line,
        }
        .into()),
        None => Ok(id),
    }
}

/// An area named by id, name or alias; a group or an unknown word is refused with help. Names
/// in the answer are the live catalogue's.
pub fn resolve_area(arg: &str, catalogue: &Catalogue) -> Result<AreaId, AppError> {
    let trimmed = arg.trim();
    if let Ok(id) = trimmed.to_lowercase().parse::<AreaId>() {
        return Ok(id);
    }
    if let Some(area) = catalogue
        .areas
        .iter()
        .find(|a| a.name.to_lowercase() == trimmed.to_lowercase())
    {
        return Ok(area.id);
    }
    let name = |id: AreaId| {
        catalogue
            .area(id)
            .map_or(id.as_str().to_owned(), |a| a.name.clone())
    };
    let parser = default_parser();
    match parser.exact_areas(trimmed).as_deref() {
        Some([one]) => Ok(*one),
        Some(many) => {
            let names: Vec<String> = many.iter().map(|a| name(*a)).collect();
            Err(AppError::invalid(error_text(
                "area_ambiguous",
                &[("value", echo(trimmed, 40)), ("names", names.join(", "))],
            )))
        }
        None => {
            // A change needs the exact name; what a typo-tolerant reading finds is only offered.
            let parsed = parser.parse(trimmed);
            let mut close = parsed.areas;
            close.extend(parsed.suggestions);
            close.dedup();
            close.truncate(3);
            let ids: Vec<&str> = AreaId::ALL.iter().map(|a| a.as_str()).collect();
            let names: Vec<String> = close.iter().map(|a| name(*a)).collect();
            Err(AppError::invalid(error_text(
                "area_unknown",
                &[
                    ("value", echo(trimmed, 40)),
                    ("suggestions", names.join(" eller ")),
                    ("ids", ids.join(", ")),
                ],
            )))
        }
    }
}
