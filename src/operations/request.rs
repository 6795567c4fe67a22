//! Operator requests as people type them (the command line's flags, a slash command's options),
//! and the one place they are read into typed operations: every value checked, every area
//! resolved against the live catalogue, refusals in Danish.

use chrono::NaiveDate;

use super::plan::Operation;
use super::transfer::parse_catalogue_file;
use crate::core::catalogue::{AreaId, Cadence, Catalogue, EarlyWindow, State};
use crate::core::import_status::{self, StatusDocument};
use crate::core::text::echo;
use crate::core::understand::default_parser;
use crate::core::year_month::YearMonth;
use crate::error::AppError;

use super::validate::Refusal;
pub use super::validate::{MAX_LAG, MAX_NOTE_CHARS};

/// `flisbot admin set` and `/opdater`.
#[derive(Clone, Debug, Default, PartialEq, Eq, clap::Args)]
pub struct SetArgs {
    /// Area id, name or alias (e.g. dream, "KRL Personale", fs3).
    pub area: String,
    /// YYYY-MM, or none.
    #[arg(long)]
    pub through: Option<String>,
    /// ok | disturbed | down
    #[arg(long)]
    pub state: Option<String>,
    /// The drift note, word for word ("" clears it).
    #[arg(long)]
    pub note: Option<String>,
}

/// `flisbot admin rule`.
#[derive(Clone, Debug, Default, PartialEq, Eq, clap::Args)]
pub struct RuleArgs {
    pub area: String,
    /// monthly | yearly | daily
    #[arg(long)]
    pub cadence: Option<String>,
    /// The release in month M carries data t.o.m. M − lag.
    #[arg(long)]
    pub lag: Option<String>,
    /// Early window in days before the 10th, FROM-TO (e.g. 14-21), or none.
    #[arg(long = "early-days")]
    pub early_days: Option<String>,
}

/// `flisbot admin release` and `/udgivet`.
#[derive(Clone, Debug, Default, PartialEq, Eq, clap::Args)]
pub struct ReleaseArgs {
    /// The release month, YYYY-MM (default: this month in Copenhagen).
    #[arg(long)]
    pub month: Option<String>,
    /// Areas to leave as they are, comma-separated.
    #[arg(long, value_delimiter = ',')]
    pub except: Vec<String>,
}

/// `flisbot admin import-status`: what the operator may add to the document (the adapter reads
/// the document itself).
#[derive(Clone, Debug, Default, PartialEq, Eq, clap::Args)]
pub struct ImportStatusArgs {
    /// Override a state read from a note: AREA=ok|disturbed|down (repeatable).
    #[arg(long = "state", value_name = "AREA=STATE")]
    pub states: Vec<String>,
    /// Accept a document older than the catalogue's status date.
    #[arg(long)]
    pub allow_older: bool,
    /// Areas the last document listed that FLIS has dropped from this one (comma-separated):
    /// they stay as they are, and the import is applied without them.
    #[arg(long, value_delimiter = ',', value_name = "AREA,…")]
    pub dropped: Vec<String>,
}

/// One operator change, with its arguments as typed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Request {
    Set(SetArgs),
    Rule(RuleArgs),
    Release(ReleaseArgs),
    Undo {
        area: String,
    },
    /// Undo the newest import (a status document or a catalogue file) as a whole.
    UndoImport,
    AsOf {
        date: String,
    },
    /// A whole catalogue file, TOML or JSON.
    Import {
        text: String,
    },
    /// FLIS' monthly status document as text (see [`status_document_text`]); `states`
    /// override states read from notes ("krl=ok"); `dropped` names areas the last document
    /// listed that FLIS dropped; `allow_older` accepts a document older than the catalogue.
    ImportStatus {
        text: String,
        states: Vec<String>,
        dropped: Vec<String>,
        allow_older: bool,
    },
    /// A webhook target to add (`admin webhook add`, `/webhook tilfoej`).
    WebhookAdd(super::webhooks::WebhookAddArgs),
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
    /// Reads the request into a typed operation; names areas as `catalogue` does.
    pub fn parse(&self, catalogue: &Catalogue) -> Result<Operation, AppError> {
        let area = |a: &str| resolve_area(a, catalogue);
        Ok(match self {
            Request::Set(a) => {
                if a.through.is_none() && a.state.is_none() && a.note.is_none() {
                    return Err(AppError::invalid(
                        "Angiv mindst én ændring: --through, --state eller --note.",
                    ));
                }
                Operation::Set {
                    area: area(&a.area)?,
                    through: a.through.as_deref().map(month_arg).transpose()?,
                    state: a.state.as_deref().map(state_word).transpose()?,
                    note: a.note.as_deref().map(note_arg).transpose()?,
                }
            }
            Request::Rule(a) => {
                if a.cadence.is_none() && a.lag.is_none() && a.early_days.is_none() {
                    return Err(AppError::invalid(
                        "Angiv mindst én regel: --cadence, --lag eller --early-days.",
                    ));
                }
                Operation::Rule {
                    area: area(&a.area)?,
                    cadence: a.cadence.as_deref().map(cadence_arg).transpose()?,
                    lag: a.lag.as_deref().map(lag_arg).transpose()?,
                    early: a.early_days.as_deref().map(early_arg).transpose()?,
                }
            }
            Request::Release(a) => Operation::Release {
                month: match &a.month {
                    Some(m) => Some(month_arg(m)?.ok_or_else(|| {
                        AppError::invalid("Angiv udgivelsens måned på formen ÅÅÅÅ-MM.")
                    })?),
                    None => None,
                },
                except: a.except.iter().map(|a| area(a)).collect::<Result<_, _>>()?,
            },
            Request::Undo { area: a } => Operation::Undo { area: area(a)? },
            Request::UndoImport => Operation::UndoImport,
            Request::AsOf { date } => Operation::AsOf {
                date: date.trim().parse::<NaiveDate>().map_err(|_| {
                    AppError::invalid(format!(
                        "«{}» er ikke en dato på formen ÅÅÅÅ-MM-DD (fx 2025-09-10).",
                        echo(date, 40)
                    ))
                })?,
            },
            Request::Import { text } => Operation::Import {
                catalogue: Box::new(parse_catalogue_file(text)?),
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
                        .map(|s| state_override(s, &document, catalogue))
                        .collect::<Result<_, _>>()?,
                    dropped: dropped
                        .iter()
                        .filter(|d| !d.trim().is_empty())
                        .map(|d| dropped_area(d, &document, catalogue))
                        .collect::<Result<_, _>>()?,
                    document: Box::new(document),
                    allow_older: *allow_older,
                }
            }
            Request::WebhookAdd(args) => {
                Operation::Webhook(super::webhooks::parse_add(args, catalogue)?)
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

/// `AREA=STATE`: the operator's state for an area the document lists.
fn state_override(
    arg: &str,
    document: &StatusDocument,
    catalogue: &Catalogue,
) -> Result<(AreaId, State), AppError> {
    let (area, state) = arg.split_once('=').ok_or_else(|| {
        AppError::invalid(format!(
            "«{}» er ikke en tilstand for et område; skriv OMRÅDE=TILSTAND, fx krl=ok.",
            echo(arg, 40)
        ))
    })?;
    let id = resolve_area(area, catalogue)?;
    if !document.rows.contains_key(&id) {
        return Err(AppError::invalid(format!(
            "«{}» står ikke i statusoversigten, så importen ændrer det ikke; brug admin set.",
            echo(area, 40)
        )));
    }
    Ok((id, state_word(state)?))
}

/// An area the operator says FLIS dropped: one the document does not list.
fn dropped_area(
    arg: &str,
    document: &StatusDocument,
    catalogue: &Catalogue,
) -> Result<AreaId, AppError> {
    let id = resolve_area(arg, catalogue)?;
    match document.rows.get(&id) {
        Some(row) => Err(Refusal::ListedNotDropped {
            area: row.name.clone(),
            line: row.line,
        }
        .into()),
        None => Ok(id),
    }
}

fn state_word(s: &str) -> Result<State, AppError> {
    match s.trim().to_lowercase().as_str() {
        "ok" | "kører" | "koerer" => Ok(State::Ok),
        "disturbed" | "forstyrret" | "driftsforstyrrelse" => Ok(State::Disturbed),
        "down" | "nede" => Ok(State::Down),
        _ => Err(AppError::invalid(format!(
            "«{}» er ikke en tilstand. Brug ok, disturbed eller down.",
            echo(s, 40)
        ))),
    }
}

pub(crate) fn month_arg(s: &str) -> Result<Option<YearMonth>, AppError> {
    match s.trim().to_lowercase().as_str() {
        "none" | "ingen" | "-" => Ok(None),
        _ => s.parse::<YearMonth>().map(Some).map_err(|_| {
            AppError::invalid(format!(
                "«{}» er ikke en måned på formen ÅÅÅÅ-MM (fx 2025-07), eller none.",
                echo(s, 40)
            ))
        }),
    }
}

fn cadence_arg(s: &str) -> Result<Cadence, AppError> {
    s.parse::<Cadence>().map_err(|()| {
        AppError::invalid(format!(
            "«{}» er ikke en kadence. Brug monthly, yearly eller daily.",
            echo(s, 40)
        ))
    })
}

/// A number of months; its bound is checked with the operation (`validate`).
fn lag_arg(s: &str) -> Result<u32, AppError> {
    s.trim().parse::<u32>().map_err(|_| {
        AppError::invalid(format!(
            "«{}» er ikke en forsinkelse i måneder (0–{MAX_LAG}).",
            echo(s, 40)
        ))
    })
}

/// A drift note as it will be kept: `None` clears it. Its length is checked with the operation
/// (`validate`).
fn note_arg(s: &str) -> Result<Option<String>, AppError> {
    let note = s.replace('\r', "");
    let note = note.trim();
    Ok((!note.is_empty()).then(|| note.to_owned()))
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
            echo(s, 40)
        ))
    };
    let (a, b) = s.trim().split_once('-').ok_or_else(bad)?;
    let a: u32 = a.trim().parse().map_err(|_| bad())?;
    let b: u32 = b.trim().parse().map_err(|_| bad())?;
    Ok(Some(EarlyWindow {
        from_days: a.max(b),
        to_days: a.min(b),
    }))
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
            Err(AppError::invalid(format!(
                "«{}» dækker flere områder ({}); nævn ét.",
                echo(trimmed, 40),
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
                echo(trimmed, 40)
            )))
        }
    }
}
