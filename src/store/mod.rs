//! The sled store: the catalogue, its change history and what was announced.
//! Every write is one transaction and is flushed before the call returns, so whatever the
//! caller confirms survives a crash.
//!
//! One writer at a time: every change goes through a [`Writer`], which holds the store's write
//! lock from the read its plan is made on until its commit is flushed, so no change is planned
//! on a catalogue another change is about to replace. Readers never wait for it: they get the
//! catalogue (and the last status import's rules section) as an immutable snapshot that a commit
//! swaps whole once it is on disk.
//!
//! Layout (all values JSON but where said): tree `areas` (area id → Area), tree `meta` (`as_of`,
//! `schema`, `status_rules`: the rules section of the last imported status document, plain
//! text; `status_areas`: the areas it listed), tree `history` (`<area id, @catalogue or
//! @import>/<seq u64 BE>` → HistoryEntry; an `@import` entry is the record of a whole import,
//! its `parts` the entries it wrote), tree `announced`
//! (`<channel id>/<announcement key>` → the time it was sent), tree `subscriptions` (target key
//! `u<user id>`/`c<channel id>` → Subscription: what it follows, nothing else), tree `outbox`
//! (`<target key>/<area id>/<notice id u64 BE>` → Notice: queued in the transaction of the change
//! it tells, removed once delivered), tree `boards` (`<channel id>` → Board); for webhook
//! targets (`webhooks.rs`) tree `webhooks` (name → WebhookTarget), `webhook_outbox`
//! (`<name>/<area id>/<notice id u64 BE>` → Notice, queued with the change like `outbox`) and
//! `webhook_announced` (`<name>/<announcement key>` → the time it was sent).
//!
//! One module per thing kept: `keys` (every key, the layout in one place), `open` (lock,
//! seeding, upgrade, loading), `writer` (the snapshot readers see and the one writer),
//! `history`, `announced`, `subscriptions`, `outbox`, `boards`, `webhooks`, `snapshot` (the
//! copy beside a closed store) and `faults` (fault injection, test builds only). The store only
//! keeps and reads; what a change means and who hears of it is `operations`'.

mod announced;
mod boards;
mod faults;
mod history;
mod keys;
mod open;
mod outbox;
mod snapshot;
mod subscriptions;
mod webhooks;
mod writer;

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, RwLock};

use chrono::NaiveDate;
use serde::Serialize;
use sled::transaction::TransactionError;

use crate::core::catalogue::{Area, AreaId};
use crate::core::history::{HistoryEntry, Subject};
use crate::core::webhook::WebhookTarget;

pub use boards::Board;
pub use open::{SLED_LOCK_WAIT, STORE_LOCK_WAIT};
pub use outbox::{Addressed, Queued};
pub use snapshot::read_closed;
pub use writer::Writer;

/// The store's layout version. 2: areas have their own status date, authors are typed, imports
/// have a record, the listed areas are kept. A version-1 store is upgraded on open (see
/// `settle_status_dates`; the rest reads as written); a flisbot that knows only version 1
/// refuses a version-2 store clearly instead of failing on a field it does not know.
const SCHEMA: &str = "2";
/// The layout before areas had their own status date, upgraded on open.
const SCHEMA_1: &str = "1";

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("store {dir} is in use by another flisbot process")]
    InUse { dir: PathBuf },
    #[error("cannot create or lock store folder {dir}: {source}")]
    Folder {
        dir: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("sled error: {0}")]
    Sled(#[from] sled::Error),
    #[error("store holds an unreadable value under {key}: {detail}")]
    Corrupt { key: String, detail: String },
    #[error("store was written by a newer flisbot (schema {found})")]
    Schema { found: String },
}

/// One atomic write: new area values, a new as-of date, history entries, marks on old entries,
/// the rules section of an imported status document, the notices it queues.
#[derive(Default, Debug)]
pub struct Commit {
    pub areas: Vec<Area>,
    pub as_of: Option<NaiveDate>,
    /// (history subject, entry without seq); seqs are assigned on commit.
    pub entries: Vec<(Subject, HistoryEntry)>,
    /// (subject, seq) of entries to mark undone.
    pub mark_undone: Vec<(Subject, u64)>,
    /// The rules section of the status document this change imports, when it is new.
    pub status_rules: Option<String>,
    /// The areas the status document this change imports lists, when they are new.
    pub status_areas: Option<Vec<AreaId>>,
    /// For a whole import (or its undo): the record tying its entries together, written under
    /// `Subject::Import` with `parts` set to every entry of this commit.
    pub import_record: Option<HistoryEntry>,
    /// Changes their recipients hear of, with the recipients `operations` chose: queued in the
    /// outboxes in the same transaction, so a committed change is always told and an
    /// uncommitted never.
    pub notices: Vec<Addressed>,
    /// Webhook targets to put (`Some`) or remove (`None`, with their queue and records), by name.
    pub webhooks: Vec<(String, Option<WebhookTarget>)>,
}

/// One key of the store as raw bytes: (tree, key, value).
pub type Entry = (Vec<u8>, Vec<u8>, Vec<u8>);

pub struct Store {
    db: sled::Db,
    areas: sled::Tree,
    meta: sled::Tree,
    history: sled::Tree,
    announced: sled::Tree,
    subscriptions: sled::Tree,
    outbox: sled::Tree,
    boards: sled::Tree,
    webhooks: sled::Tree,
    webhook_outbox: sled::Tree,
    webhook_announced: sled::Tree,
    /// Bumped after every flushed write a worker may care about (commits, subscriptions,
    /// boards), so a worker can tell cheaply that something changed.
    generation: AtomicU64,
    dir: PathBuf,
    /// The committed state; replaced whole, after the flush, by each commit.
    snapshot: RwLock<writer::Committed>,
    /// Serialises writers: read, plan and commit happen under it.
    writer: Mutex<()>,
    /// Fault injection for tests of the failure paths (nothing outside test builds).
    faults: faults::Faults,
    /// Writes the committed catalogue beside the store when it closes, for readers that need
    /// nothing else (`read_closed`). Declared after sled's handles: dropped after them.
    closer: snapshot::Closer,
    // Held for the life of the store: a second process gets `InUse` instead of a sled panic.
    _lock: File,
}

fn corrupt(key: &[u8], e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt {
        key: String::from_utf8_lossy(key).into_owned(),
        detail: e.to_string(),
    }
}

fn encode<T: Serialize>(v: &T) -> Result<Vec<u8>, StoreError> {
    serde_json::to_vec(v).map_err(|e| corrupt(b"encode", e))
}

/// Every entry of `tree`, in key order: the key read by `key` (named `what` when it does not
/// read), the value decoded from JSON.
fn read_all<K, V: serde::de::DeserializeOwned>(
    tree: &sled::Tree,
    what: &str,
    key: impl Fn(&[u8]) -> Option<K>,
) -> Result<Vec<(K, V)>, StoreError> {
    let mut out = Vec::new();
    for item in tree.iter() {
        let (k, v) = item?;
        let read = key(&k).ok_or_else(|| corrupt(&k, format!("not a {what}")))?;
        out.push((
            read,
            serde_json::from_slice(&v).map_err(|e| corrupt(&k, e))?,
        ));
    }
    Ok(out)
}

fn tx_error(e: TransactionError<()>) -> StoreError {
    match e {
        TransactionError::Storage(e) => StoreError::Sled(e),
        TransactionError::Abort(()) => StoreError::Corrupt {
            key: "transaction".into(),
            detail: "aborted".into(),
        },
    }
}

impl Store {
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn bump(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
    }

    /// Changes with every flushed commit, subscription or board change.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }

    /// Every key and value of every tree, in order: what "the store is unchanged" is checked
    /// against in tests (sled's files themselves change on every open).
    #[doc(hidden)]
    pub fn contents(&self) -> Result<Vec<Entry>, StoreError> {
        let mut out = Vec::new();
        for name in self.db.tree_names() {
            for item in self.db.open_tree(&name)?.iter() {
                let (k, v) = item?;
                out.push((name.to_vec(), k.to_vec(), v.to_vec()));
            }
        }
        Ok(out)
    }

    pub fn flush(&self) -> Result<(), StoreError> {
        self.db.flush()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests;
