//! The change history as the domain sees it: what a change was (`Action`, rendered in Danish
//! only when shown), the entries the store keeps, what changed between two versions of an area,
//! and the Danish history listing.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::core::catalogue::{Area, Author};
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
    /// An area id or `@catalogue`.
    pub subject: String,
    pub seq: u64,
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
