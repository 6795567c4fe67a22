//! The change history as the domain sees it: what a change was (`Action`, rendered in Danish
//! only when shown), the entries the store keeps, what changed between two versions of an area,
//! and the Danish history listing.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::core::catalogue::{Area, AreaId, Author};
use crate::core::import_status::LastDocument;
use crate::core::webhook::WebhookShown;
use crate::core::year_month::YearMonth;

/// What an operator did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Set t.o.m., state and/or note.
    Set,
    /// Changed a release rule.
    Rule,
    /// Marked the monthly release of `month` out.
    Release { month: YearMonth },
    /// Reverted an earlier change.
    Undo { of: Box<Action>, at: DateTime<Utc> },
    /// Set the catalogue's "pr." date.
    AsOf,
    /// Applied a whole catalogue file.
    Import,
    /// Imported FLIS' monthly status document of that date.
    StatusImport { document: NaiveDate },
    /// Added, removed or resumed the webhook target `name` (subject `@webhooks`).
    Webhook { change: WebhookChange, name: String },
    /// An entry written before actions were typed: its Danish words as stored.
    #[serde(untagged)]
    Recorded(String),
}

/// What an operator did to a webhook target.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WebhookChange {
    Added,
    Removed,
    Resumed,
}

/// One change as history keeps it: who, when, what before and after.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryEntry {
    pub seq: u64,
    pub at: DateTime<Utc>,
    pub by: Author,
    pub action: Action,
    pub before: Snapshot,
    pub after: Snapshot,
    /// Set when a later undo reverted this entry.
    #[serde(default)]
    pub undone: bool,
    /// For an undo: the seq of the entry it reverted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reverts: Option<u64>,
    /// For the record of a whole import (subject `@import`): the entries it wrote, by subject
    /// and seq, so that it can be undone as one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parts: Vec<Part>,
}

/// One entry of a change that wrote several.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Part {
    /// An area or the catalogue.
    pub subject: Subject,
    pub seq: u64,
}

/// What a history entry is about: each subject's entries form one chain.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Subject {
    /// An area's values (state, t.o.m., note, rule, ...).
    Area(AreaId),
    /// Catalogue-wide changes (the as-of date).
    Catalogue,
    /// The records that tie each import's entries together.
    Import,
    /// Changes to webhook targets.
    Webhooks,
}

impl Subject {
    const CATALOGUE: &'static str = "@catalogue";
    const IMPORT: &'static str = "@import";
    const WEBHOOKS: &'static str = "@webhooks";

    /// The subject as it is written (an area id, or `@catalogue`, `@import`, `@webhooks`).
    pub fn as_str(self) -> &'static str {
        match self {
            Subject::Area(id) => id.as_str(),
            Subject::Catalogue => Subject::CATALOGUE,
            Subject::Import => Subject::IMPORT,
            Subject::Webhooks => Subject::WEBHOOKS,
        }
    }
}

impl From<AreaId> for Subject {
    fn from(id: AreaId) -> Subject {
        Subject::Area(id)
    }
}

impl From<Subject> for String {
    fn from(s: Subject) -> String {
        s.as_str().to_owned()
    }
}

impl TryFrom<String> for Subject {
    type Error = String;
    fn try_from(s: String) -> Result<Subject, String> {
        s.parse()
    }
}

impl std::str::FromStr for Subject {
    type Err = String;
    fn from_str(s: &str) -> Result<Subject, String> {
        match s {
            Subject::CATALOGUE => Ok(Subject::Catalogue),
            Subject::IMPORT => Ok(Subject::Import),
            Subject::WEBHOOKS => Ok(Subject::Webhooks),
            _ => s
                .parse::<AreaId>()
                .map(Subject::Area)
                .map_err(|_| format!("not a history subject: {s}")),
        }
    }
}

impl std::fmt::Display for Subject {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The state of one history subject before or after a change.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Snapshot {
    Area(Box<Area>),
    AsOf(NaiveDate),
    /// What was kept of the last status document (an import's record).
    Document(Box<LastDocument>),
    /// A webhook target as it may be shown (never its URL); `None`: there was none.
    Webhook(Option<Box<WebhookShown>>),
}
