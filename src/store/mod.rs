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

mod webhooks;

use std::fs::{File, TryLockError};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, RwLock};
use std::time::{Duration, Instant};

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use sled::transaction::{ConflictableTransactionError, TransactionError, Transactional};

use crate::core::catalogue::{default_catalogue, Area, AreaId, Catalogue};
use crate::core::history::{HistoryEntry, Part};
use crate::core::notify::{Notice, Subscription, Target};

mod snapshot;
pub use snapshot::read_closed;

/// The store's layout version. 2: areas have their own status date, authors are typed, imports
/// have a record, the listed areas are kept. A version-1 store is upgraded on open (see
/// `settle_status_dates`; the rest reads as written); a flisbot that knows only version 1
/// refuses a version-2 store clearly instead of failing on a field it does not know.
const SCHEMA: &str = "2";
/// The layout before areas had their own status date, upgraded on open.
const SCHEMA_1: &str = "1";
/// Meta key of the last imported status document's rules section.
const STATUS_RULES_KEY: &str = "status_rules";
/// Meta key of the areas the last imported status document listed (JSON).
const STATUS_AREAS_KEY: &str = "status_areas";
/// History key prefix of catalogue-wide changes (the as-of date).
pub const CATALOGUE_KEY: &str = "@catalogue";
/// History key prefix of the records that tie each import's entries together.
pub const IMPORT_KEY: &str = "@import";
/// History key prefix of the changes to webhook targets.
pub const WEBHOOKS_KEY: &str = "@webhooks";

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
/// the rules section of an imported status document.
#[derive(Default, Debug)]
pub struct Commit {
    pub areas: Vec<Area>,
    pub as_of: Option<NaiveDate>,
    /// (history subject, entry without seq); seqs are assigned on commit.
    pub entries: Vec<(String, HistoryEntry)>,
    /// (subject, seq) of entries to mark undone.
    pub mark_undone: Vec<(String, u64)>,
    /// The rules section of the status document this change imports, when it is new.
    pub status_rules: Option<String>,
    /// The areas the status document this change imports lists, when they are new.
    pub status_areas: Option<Vec<AreaId>>,
    /// For a whole import (or its undo): the record tying its entries together, written under
    /// `IMPORT_KEY` with `parts` set to every entry of this commit.
    pub import_record: Option<HistoryEntry>,
    /// Changes subscribers hear of: queued in the outbox for everyone following the area, in
    /// the same transaction, so a committed change is always told and an uncommitted never.
    pub notices: Vec<Notice>,
    /// Webhook targets to put (`Some`) or remove (`None`, with their queue and records), by name.
    pub webhooks: Vec<(String, Option<crate::core::webhook::WebhookTarget>)>,
}

/// One key of the store as raw bytes: (tree, key, value).
pub type Entry = (Vec<u8>, Vec<u8>, Vec<u8>);

/// A status board: the channel's one message kept current in place.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Board {
    /// The message to edit; `None` until it is posted (or after it was deleted).
    pub message_id: Option<u64>,
}

/// A notice waiting in the outbox for one recipient.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Queued {
    pub target: Target,
    pub notice: Notice,
}

/// What readers see: the committed catalogue and the last status import's rules section,
/// replaced together, after the flush, by each commit.
#[derive(Clone)]
struct Committed {
    catalogue: Arc<Catalogue>,
    status_rules: Option<Arc<str>>,
    status_areas: Option<Arc<[AreaId]>>,
}

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
    generation: std::sync::atomic::AtomicU64,
    dir: PathBuf,
    /// The committed state; replaced whole, after the flush, by each commit.
    snapshot: RwLock<Committed>,
    /// Serialises writers: read, plan and commit happen under it.
    writer: Mutex<()>,
    /// Fault injection for tests of the failure paths: this many writes fail with an I/O error.
    failing_writes: AtomicU32,
    /// Writes the committed catalogue beside the store when it closes, for readers that need
    /// nothing else (`read_closed`). Declared after sled's handles: dropped after them.
    closer: snapshot::Closer,
    // Held for the life of the store: a second process gets `InUse` instead of a sled panic.
    _lock: File,
}

/// The store's one writer, held from the read a change is planned on until its commit.
pub struct Writer<'a> {
    store: &'a Store,
    _guard: MutexGuard<'a, ()>,
}

impl Writer<'_> {
    /// The catalogue as it stands; no other writer can change it while this one is held.
    pub fn catalogue(&self) -> Arc<Catalogue> {
        self.store.catalogue()
    }

    pub fn history(&self, subject: &str, limit: usize) -> Result<Vec<HistoryEntry>, StoreError> {
        self.store.history(subject, limit)
    }

    /// The rules section of the last imported status document, as it stands.
    pub fn status_rules(&self) -> Option<Arc<str>> {
        self.store.status_rules()
    }

    /// The areas the last imported status document listed, as they stand.
    pub fn status_areas(&self) -> Option<Arc<[AreaId]>> {
        self.store.status_areas()
    }

    /// Applies `commit` atomically, flushes it, then publishes the new snapshot; returns the
    /// history seqs it assigned (in commit order, as they are assigned under the lock).
    pub fn commit(&self, commit: Commit) -> Result<Vec<u64>, StoreError> {
        self.store.commit_locked(commit)
    }
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

fn outbox_key(target: Target, notice: &Notice) -> Vec<u8> {
    let mut k = outbox_prefix(target);
    k.extend_from_slice(notice.after.id.as_str().as_bytes());
    k.push(b'/');
    k.extend_from_slice(&notice.id.to_be_bytes());
    k
}

/// The text of a queue key up to its first '/': the recipient. What follows is the area and the
/// notice id as 8 big-endian bytes, which need not be UTF-8 (sled's ids jump after restarts),
/// so only this head is read as text.
fn queue_key_head(k: &[u8]) -> Option<&str> {
    k.split(|b| *b == b'/')
        .next()
        .and_then(|head| std::str::from_utf8(head).ok())
}

fn outbox_prefix(target: Target) -> Vec<u8> {
    let mut k = target.key().into_bytes();
    k.push(b'/');
    k
}

fn history_key(subject: &str, seq: u64) -> Vec<u8> {
    let mut k = Vec::with_capacity(subject.len() + 9);
    k.extend_from_slice(subject.as_bytes());
    k.push(b'/');
    k.extend_from_slice(&seq.to_be_bytes());
    k
}

/// How long `Store::open` waits for sled's own lock once it holds `flisbot.lock`: sled lets go
/// of its files only when its background writes end, a moment after the last handle is dropped
/// (in this process or a stopping one).
pub const SLED_LOCK_WAIT: Duration = Duration::from_secs(5);

/// How long a process that needs the store itself (`flisbot run`, `flisbot serve`, a command
/// no running bot answers for) waits for a stopping process to let go of it: longer than such a
/// stop may take. A stopping bot no longer takes commands, yet holds the store while it closes
/// its gateway connection (serenity 0.12 waits up to 5 s for that, and on a quiet connection
/// it takes all 5) and its web server lets requests finish (up to 5 s).
pub const STORE_LOCK_WAIT: Duration = Duration::from_secs(15);

/// Whether `e` is sled refusing to open because another handle still holds its lock file (sled
/// 0.34 says so only in the message: "could not acquire lock on …"; a test pins it).
fn is_sled_lock_busy(e: &sled::Error) -> bool {
    matches!(e, sled::Error::Io(io) if io.to_string().starts_with("could not acquire lock"))
}

/// Calls `attempt` until it gives something other than `Busy`, pausing a little longer each
/// time, for at most `wait`; the last `Busy` if it never does.
fn retry_while_busy<T>(
    wait: Duration,
    mut attempt: impl FnMut() -> Result<T, Busy>,
) -> Result<T, Busy> {
    let deadline = Instant::now() + wait;
    let mut pause = Duration::from_millis(10);
    loop {
        match attempt() {
            Err(Busy::Yes(e)) if Instant::now() < deadline => {
                drop(e);
                std::thread::sleep(pause.min(deadline.saturating_duration_since(Instant::now())));
                pause = (pause * 2).min(Duration::from_millis(200));
            }
            other => return other,
        }
    }
}

/// An attempt's result when another holder may let go soon (`Yes`) or not (`No`).
enum Busy {
    Yes(StoreError),
    No(StoreError),
}

impl Busy {
    fn into_error(self) -> StoreError {
        match self {
            Busy::Yes(e) | Busy::No(e) => e,
        }
    }
}

impl Store {
    /// Opens (creating and seeding on first use) the store in `dir`. A store another process
    /// holds is `InUse` at once (a running bot answers through its control socket instead); a
    /// store being let go of by a handle in this process is waited for (`SLED_LOCK_WAIT`).
    pub fn open(dir: &Path) -> Result<Store, StoreError> {
        Store::open_with(dir, Duration::ZERO, SLED_LOCK_WAIT)
    }

    /// As [`Store::open`], but waits up to `wait` for another process to let go of the store
    /// (one that is stopping, say) before it is `InUse`.
    pub fn open_waiting(dir: &Path, wait: Duration) -> Result<Store, StoreError> {
        Store::open_with(dir, wait, SLED_LOCK_WAIT)
    }

    fn open_with(dir: &Path, wait: Duration, sled_wait: Duration) -> Result<Store, StoreError> {
        let started = Instant::now();
        let opened = retry_while_busy(wait, || match Store::open_once(dir, sled_wait) {
            Err(e @ StoreError::InUse { .. }) => Err(Busy::Yes(e)),
            other => other.map_err(Busy::No),
        });
        let waited = started.elapsed();
        if waited > Duration::from_millis(100) {
            tracing::info!(
                waited_ms = waited.as_millis() as u64,
                opened = opened.is_ok(),
                "waited for the store's lock"
            );
        }
        opened.map_err(Busy::into_error)
    }

    fn open_once(dir: &Path, sled_wait: Duration) -> Result<Store, StoreError> {
        let folder = |source| StoreError::Folder {
            dir: dir.to_path_buf(),
            source,
        };
        let in_use = || StoreError::InUse {
            dir: dir.to_path_buf(),
        };
        std::fs::create_dir_all(dir).map_err(folder)?;
        let lock = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(dir.join("flisbot.lock"))
            .map_err(folder)?;
        match lock.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => return Err(in_use()),
            Err(TryLockError::Error(e)) => return Err(folder(e)),
        }
        remove_unfinished_snapshots(&dir.join("sled"));
        // No background flusher: every write flushes itself. sled's writer threads may still
        // hold its lock for a moment after the last handle of this store was dropped (here or in
        // a stopping process); we hold `flisbot.lock`, so nobody else will take it: wait.
        let db = retry_while_busy(sled_wait, || {
            sled::Config::new()
                .path(dir.join("sled"))
                .flush_every_ms(None)
                .open()
                .map_err(|e| {
                    if is_sled_lock_busy(&e) {
                        Busy::Yes(StoreError::Sled(e))
                    } else {
                        Busy::No(StoreError::Sled(e))
                    }
                })
        })
        .map_err(|busy| match busy {
            Busy::Yes(e) => {
                tracing::warn!(error = %e, "sled's lock was not released in time");
                in_use()
            }
            Busy::No(e) => e,
        })?;
        let mut store = Store {
            areas: db.open_tree("areas")?,
            meta: db.open_tree("meta")?,
            history: db.open_tree("history")?,
            announced: db.open_tree("announced")?,
            subscriptions: db.open_tree("subscriptions")?,
            outbox: db.open_tree("outbox")?,
            boards: db.open_tree("boards")?,
            webhooks: db.open_tree("webhooks")?,
            webhook_outbox: db.open_tree("webhook_outbox")?,
            webhook_announced: db.open_tree("webhook_announced")?,
            generation: std::sync::atomic::AtomicU64::new(0),
            db,
            dir: dir.to_path_buf(),
            snapshot: RwLock::new(Committed {
                catalogue: Arc::new(default_catalogue().clone()),
                status_rules: None,
                status_areas: None,
            }),
            writer: Mutex::new(()),
            failing_writes: AtomicU32::new(0),
            closer: snapshot::Closer::new(dir),
            _lock: lock,
        };
        match store.meta.get("schema")? {
            None => store.seed(default_catalogue())?,
            Some(v) if v.as_ref() == SCHEMA.as_bytes() || v.as_ref() == SCHEMA_1.as_bytes() => {}
            Some(v) => {
                return Err(StoreError::Schema {
                    found: String::from_utf8_lossy(&v).into_owned(),
                })
            }
        }
        let mut catalogue = store.load_catalogue()?;
        store.settle_status_dates(&mut catalogue)?;
        let catalogue = Arc::new(catalogue);
        store.closer.set(Arc::clone(&catalogue));
        store.snapshot = RwLock::new(Committed {
            catalogue,
            status_rules: store.load_status_rules()?,
            status_areas: store.load_status_areas()?,
        });
        Ok(store)
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Writes the default catalogue into an empty store; the schema mark goes last, in the same
    /// transaction, so a crash mid-seed leaves a store that seeds again on next open.
    fn seed(&self, catalogue: &Catalogue) -> Result<(), StoreError> {
        let rows: Vec<(AreaId, Vec<u8>)> = catalogue
            .areas
            .iter()
            .map(|a| encode(a).map(|v| (a.id, v)))
            .collect::<Result<_, _>>()?;
        let as_of = catalogue.as_of.to_string();
        (&self.areas, &self.meta)
            .transaction(|(areas, meta)| {
                for (id, v) in &rows {
                    areas.insert(id.as_str().as_bytes(), v.as_slice())?;
                }
                meta.insert("as_of", as_of.as_bytes())?;
                meta.insert("schema", SCHEMA.as_bytes())?;
                Ok::<_, ConflictableTransactionError<()>>(())
            })
            .map_err(tx_error)?;
        self.db.flush()?;
        tracing::info!(dir = %self.dir.display(), "seeded a new store from the default catalogue");
        Ok(())
    }

    /// A store written before areas had their own status date (schema 1): each area without
    /// one gets the date it reads as now (the later of its last change and the catalogue's
    /// as-of date), written once with the new schema mark, so that a later as-of date does not
    /// move it. No history: nothing changed.
    fn settle_status_dates(&self, catalogue: &mut Catalogue) -> Result<(), StoreError> {
        let settled = crate::core::facts::settle_status_dates(catalogue);
        let current = self
            .meta
            .get("schema")?
            .is_some_and(|v| v.as_ref() == SCHEMA.as_bytes());
        if settled.is_empty() && current {
            return Ok(());
        }
        let rows: Vec<(AreaId, Vec<u8>)> = catalogue
            .areas
            .iter()
            .filter(|a| settled.contains(&a.id))
            .map(|a| encode(a).map(|v| (a.id, v)))
            .collect::<Result<_, _>>()?;
        (&self.areas, &self.meta)
            .transaction(|(areas, meta)| {
                for (id, v) in &rows {
                    areas.insert(id.as_str().as_bytes(), v.as_slice())?;
                }
                meta.insert("schema", SCHEMA.as_bytes())?;
                Ok::<_, ConflictableTransactionError<()>>(())
            })
            .map_err(tx_error)?;
        self.db.flush()?;
        tracing::info!(
            areas = settled.len(),
            "upgraded an older store: areas have their own status date"
        );
        Ok(())
    }

    /// The committed catalogue: a snapshot that no later change alters, so a reader never sees
    /// half of a change.
    pub fn catalogue(&self) -> Arc<Catalogue> {
        Arc::clone(&self.committed().catalogue)
    }

    /// The rules section of the last imported status document; `None` before the first. From
    /// the same snapshot as [`Store::catalogue`], so it never runs ahead of the catalogue.
    pub fn status_rules(&self) -> Option<Arc<str>> {
        self.committed().status_rules.clone()
    }

    /// The areas the last imported status document listed; `None` before the first (or in a
    /// store written before they were kept).
    pub fn status_areas(&self) -> Option<Arc<[AreaId]>> {
        self.committed().status_areas.clone()
    }

    fn committed(&self) -> std::sync::RwLockReadGuard<'_, Committed> {
        self.snapshot.read().unwrap_or_else(|e| e.into_inner())
    }

    /// Takes the write lock (waiting for the writer before). Blocking: keep it off async workers.
    pub fn writer(&self) -> Writer<'_> {
        Writer {
            store: self,
            _guard: self.writer.lock().unwrap_or_else(|e| e.into_inner()),
        }
    }

    /// Makes the next `n` writes fail as a full or broken disk would; for failure-path tests.
    #[doc(hidden)]
    pub fn fail_next_writes(&self, n: u32) {
        self.failing_writes.store(n, Ordering::SeqCst);
    }

    fn injected_failure(&self) -> Result<(), StoreError> {
        let failing = self
            .failing_writes
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1));
        match failing {
            Ok(_) => Err(StoreError::Sled(sled::Error::Io(std::io::Error::other(
                "injected write failure",
            )))),
            Err(_) => Ok(()),
        }
    }

    /// The whole catalogue as sled holds it, in the default catalogue's area order.
    fn load_catalogue(&self) -> Result<Catalogue, StoreError> {
        let raw = self
            .meta
            .get("as_of")?
            .ok_or_else(|| corrupt(b"as_of", "missing"))?;
        let as_of: NaiveDate = std::str::from_utf8(&raw)
            .map_err(|e| corrupt(b"as_of", e))?
            .parse()
            .map_err(|e| corrupt(b"as_of", e))?;
        let mut areas = Vec::with_capacity(AreaId::ALL.len());
        for item in self.areas.iter() {
            let (k, v) = item?;
            let area: Area = serde_json::from_slice(&v).map_err(|e| corrupt(&k, e))?;
            areas.push(area);
        }
        let order = |a: &Area| default_catalogue().areas.iter().position(|d| d.id == a.id);
        areas.sort_by_key(order);
        let catalogue = Catalogue { as_of, areas };
        catalogue.validate().map_err(|e| corrupt(b"areas", e))?;
        Ok(catalogue)
    }

    fn load_status_rules(&self) -> Result<Option<Arc<str>>, StoreError> {
        let Some(raw) = self.meta.get(STATUS_RULES_KEY)? else {
            return Ok(None);
        };
        let text =
            std::str::from_utf8(&raw).map_err(|e| corrupt(STATUS_RULES_KEY.as_bytes(), e))?;
        Ok(Some(Arc::from(text)))
    }

    fn load_status_areas(&self) -> Result<Option<Arc<[AreaId]>>, StoreError> {
        let Some(raw) = self.meta.get(STATUS_AREAS_KEY)? else {
            return Ok(None);
        };
        let areas: Vec<AreaId> =
            serde_json::from_slice(&raw).map_err(|e| corrupt(STATUS_AREAS_KEY.as_bytes(), e))?;
        Ok(Some(Arc::from(areas)))
    }

    /// Applies `commit` as the only writer (see [`Writer::commit`]).
    pub fn commit(&self, commit: Commit) -> Result<Vec<u64>, StoreError> {
        self.writer().commit(commit)
    }

    fn commit_locked(&self, commit: Commit) -> Result<Vec<u64>, StoreError> {
        self.injected_failure()?;
        // Until this commit is flushed and published, the copy for readers is not known to
        // match sled: none is written at close.
        self.closer.forget();
        let current = self.committed().clone();
        let mut next = (*current.catalogue).clone();
        for area in &commit.areas {
            match next.area_mut(area.id) {
                Some(slot) => *slot = area.clone(),
                None => next.areas.push(area.clone()),
            }
        }
        if let Some(d) = commit.as_of {
            next.as_of = d;
        }
        let mut entries = commit.entries;
        let mut seqs = Vec::with_capacity(entries.len());
        for (_, e) in &mut entries {
            e.seq = self.db.generate_id()?;
            seqs.push(e.seq);
        }
        if let Some(mut record) = commit.import_record {
            record.parts = entries
                .iter()
                .map(|(subject, e)| Part {
                    subject: subject.clone(),
                    seq: e.seq,
                })
                .collect();
            record.seq = self.db.generate_id()?;
            entries.push((IMPORT_KEY.to_owned(), record));
        }
        let area_rows: Vec<(AreaId, Vec<u8>)> = commit
            .areas
            .iter()
            .map(|a| encode(a).map(|v| (a.id, v)))
            .collect::<Result<_, _>>()?;
        let entry_rows: Vec<(Vec<u8>, Vec<u8>)> = entries
            .iter()
            .map(|(s, e)| encode(e).map(|v| (history_key(s, e.seq), v)))
            .collect::<Result<_, _>>()?;
        let mut undone_rows = Vec::new();
        for (subject, seq) in &commit.mark_undone {
            let key = history_key(subject, *seq);
            let raw = self
                .history
                .get(&key)?
                .ok_or_else(|| corrupt(&key, "missing entry"))?;
            let mut e: HistoryEntry = serde_json::from_slice(&raw).map_err(|e| corrupt(&key, e))?;
            e.undone = true;
            undone_rows.push((key, encode(&e)?));
        }
        // Fan out under the writer: subscriptions and webhook targets change only under it too.
        let mut outbox_rows = Vec::new();
        let mut webhook_rows = Vec::new();
        if !commit.notices.is_empty() {
            let subscriptions = self.subscriptions()?;
            let targets = self.webhook_targets()?;
            for notice in &commit.notices {
                let mut notice = notice.clone();
                // Never 0: a notice not yet queued has id 0.
                notice.id = self.db.generate_id()? + 1;
                for (target, sub) in &subscriptions {
                    if sub.follows(&notice.after) {
                        outbox_rows.push((outbox_key(*target, &notice), encode(&notice)?));
                    }
                }
                webhook_rows.extend(webhooks::fan_out(&targets, &notice)?);
            }
        }
        let webhook_changes = self.webhook_changes(&commit.webhooks)?;
        let as_of = commit.as_of.map(|d| d.to_string());
        let status_areas = commit.status_areas.as_ref().map(encode).transpose()?;
        (
            &self.areas,
            &self.meta,
            &self.history,
            &self.outbox,
            &self.webhooks,
            &self.webhook_outbox,
            &self.webhook_announced,
        )
            .transaction(
                |(areas, meta, history, outbox, webhooks, w_outbox, w_announced)| {
                    for (id, v) in &area_rows {
                        areas.insert(id.as_str().as_bytes(), v.as_slice())?;
                    }
                    if let Some(d) = &as_of {
                        meta.insert("as_of", d.as_bytes())?;
                    }
                    if let Some(rules) = &commit.status_rules {
                        meta.insert(STATUS_RULES_KEY, rules.as_bytes())?;
                    }
                    if let Some(areas) = &status_areas {
                        meta.insert(STATUS_AREAS_KEY, areas.as_slice())?;
                    }
                    for (k, v) in entry_rows.iter().chain(&undone_rows) {
                        history.insert(k.as_slice(), v.as_slice())?;
                    }
                    for (k, v) in &outbox_rows {
                        outbox.insert(k.as_slice(), v.as_slice())?;
                    }
                    for (k, v) in &webhook_rows {
                        w_outbox.insert(k.as_slice(), v.as_slice())?;
                    }
                    webhook_changes.apply(webhooks, w_outbox, w_announced)?;
                    Ok::<_, ConflictableTransactionError<()>>(())
                },
            )
            .map_err(tx_error)?;
        self.db.flush()?;
        let next = Arc::new(next);
        self.closer.set(Arc::clone(&next));
        *self.snapshot.write().unwrap_or_else(|e| e.into_inner()) = Committed {
            catalogue: next,
            status_rules: commit.status_rules.map(Arc::from).or(current.status_rules),
            status_areas: commit.status_areas.map(Arc::from).or(current.status_areas),
        };
        self.bump();
        Ok(seqs)
    }

    /// The history of `subject` (an area id or `CATALOGUE_KEY`), newest first.
    pub fn history(&self, subject: &str, limit: usize) -> Result<Vec<HistoryEntry>, StoreError> {
        let mut prefix = subject.as_bytes().to_vec();
        prefix.push(b'/');
        let mut out = Vec::new();
        for item in self.history.scan_prefix(&prefix).rev().take(limit) {
            let (k, v) = item?;
            out.push(serde_json::from_slice(&v).map_err(|e| corrupt(&k, e))?);
        }
        Ok(out)
    }

    /// Whether announcement `key` was sent to `channel`.
    pub fn was_announced(&self, channel: u64, key: &str) -> Result<bool, StoreError> {
        Ok(self.announced.contains_key(format!("{channel}/{key}"))?)
    }

    /// Records that announcement `key` went to `channel`, flushed before returning.
    pub fn record_announced(
        &self,
        channel: u64,
        key: &str,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let _writer = self.writer();
        self.injected_failure()?;
        self.announced
            .insert(format!("{channel}/{key}"), at.to_rfc3339().as_bytes())?;
        self.db.flush()?;
        Ok(())
    }

    fn bump(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
    }

    /// Changes with every flushed commit, subscription or board change.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }

    /// Every subscription, users and channels.
    pub fn subscriptions(&self) -> Result<Vec<(Target, Subscription)>, StoreError> {
        let mut out = Vec::new();
        for item in self.subscriptions.iter() {
            let (k, v) = item?;
            let target = std::str::from_utf8(&k)
                .ok()
                .and_then(Target::from_key)
                .ok_or_else(|| corrupt(&k, "not a target"))?;
            out.push((
                target,
                serde_json::from_slice(&v).map_err(|e| corrupt(&k, e))?,
            ));
        }
        Ok(out)
    }

    pub fn subscription(&self, target: Target) -> Result<Option<Subscription>, StoreError> {
        let key = target.key();
        self.subscriptions
            .get(&key)?
            .map(|v| serde_json::from_slice(&v).map_err(|e| corrupt(key.as_bytes(), e)))
            .transpose()
    }

    /// Changes `target`'s subscription under the writer (read and write together), flushed; an
    /// empty or `None` result deletes it and everything queued for it. Returns it as it is now.
    pub fn update_subscription(
        &self,
        target: Target,
        change: impl FnOnce(Option<Subscription>) -> Option<Subscription>,
    ) -> Result<Option<Subscription>, StoreError> {
        let _writer = self.writer();
        self.injected_failure()?;
        let next = change(self.subscription(target)?).filter(|s| !s.topics.is_empty());
        let key = target.key();
        let value = next.as_ref().map(encode).transpose()?;
        // A subscription that ends, or pauses, takes its queued notices with it.
        let drop_queue = next.as_ref().is_none_or(|s| s.paused);
        let queued: Vec<sled::IVec> = if drop_queue {
            self.outbox
                .scan_prefix(outbox_prefix(target))
                .keys()
                .collect::<Result<_, _>>()?
        } else {
            Vec::new()
        };
        (&self.subscriptions, &self.outbox)
            .transaction(|(subscriptions, outbox)| {
                match &value {
                    Some(v) => subscriptions.insert(key.as_bytes(), v.as_slice())?,
                    None => subscriptions.remove(key.as_bytes())?,
                };
                for k in &queued {
                    outbox.remove(k)?;
                }
                Ok::<_, ConflictableTransactionError<()>>(())
            })
            .map_err(tx_error)?;
        self.db.flush()?;
        self.bump();
        Ok(next)
    }

    /// Everything waiting in the outbox, per recipient in key order.
    pub fn outbox(&self) -> Result<Vec<Queued>, StoreError> {
        let mut out = Vec::new();
        for item in self.outbox.iter() {
            let (k, v) = item?;
            let target = queue_key_head(&k)
                .and_then(Target::from_key)
                .ok_or_else(|| corrupt(&k, "not a target"))?;
            let notice = serde_json::from_slice(&v).map_err(|e| corrupt(&k, e))?;
            out.push(Queued { target, notice });
        }
        Ok(out)
    }

    /// Marks `notices` delivered to `target` (removes them from the outbox), flushed.
    pub fn delivered(&self, target: Target, notices: &[Notice]) -> Result<(), StoreError> {
        let _writer = self.writer();
        self.injected_failure()?;
        let keys: Vec<Vec<u8>> = notices.iter().map(|n| outbox_key(target, n)).collect();
        self.outbox
            .transaction(|outbox| {
                for k in &keys {
                    outbox.remove(k.as_slice())?;
                }
                Ok::<_, ConflictableTransactionError<()>>(())
            })
            .map_err(tx_error)?;
        self.db.flush()?;
        Ok(())
    }

    /// Per area: how many users and channels follow it (directly or through its group). No ids.
    pub fn subscription_counts(&self) -> Result<Vec<(AreaId, usize, usize)>, StoreError> {
        let subs = self.subscriptions()?;
        let catalogue = self.catalogue();
        Ok(catalogue
            .areas
            .iter()
            .map(|a| {
                let count = |user: bool| {
                    subs.iter()
                        .filter(|(t, _)| matches!(t, Target::User(_)) == user)
                        .filter(|(_, s)| s.topics.iter().any(|t| t.covers(a)))
                        .count()
                };
                (a.id, count(true), count(false))
            })
            .collect())
    }

    pub fn boards(&self) -> Result<Vec<(u64, Board)>, StoreError> {
        let mut out = Vec::new();
        for item in self.boards.iter() {
            let (k, v) = item?;
            let channel = std::str::from_utf8(&k)
                .ok()
                .and_then(|k| k.parse().ok())
                .ok_or_else(|| corrupt(&k, "not a channel"))?;
            out.push((
                channel,
                serde_json::from_slice(&v).map_err(|e| corrupt(&k, e))?,
            ));
        }
        Ok(out)
    }

    /// Sets (or with `None` removes) the board of `channel`, flushed.
    pub fn put_board(&self, channel: u64, board: Option<&Board>) -> Result<(), StoreError> {
        let _writer = self.writer();
        self.injected_failure()?;
        let key = channel.to_string();
        match board {
            Some(b) => {
                self.boards.insert(key.as_bytes(), encode(b)?)?;
            }
            None => {
                self.boards.remove(key.as_bytes())?;
            }
        }
        self.db.flush()?;
        self.bump();
        Ok(())
    }

    /// Remembers the message a board was posted as; `false` (and nothing written) when the
    /// board was removed meanwhile.
    pub fn set_board_message(&self, channel: u64, message_id: u64) -> Result<bool, StoreError> {
        let _writer = self.writer();
        self.injected_failure()?;
        let key = channel.to_string();
        if !self.boards.contains_key(key.as_bytes())? {
            return Ok(false);
        }
        let board = Board {
            message_id: Some(message_id),
        };
        self.boards.insert(key.as_bytes(), encode(&board)?)?;
        self.db.flush()?;
        Ok(true)
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

    /// Forgets the message of `channel`'s board if it is one of `deleted` (Discord deleted it),
    /// so the board is posted anew; `true` if it was.
    pub fn forget_board_message(&self, channel: u64, deleted: &[u64]) -> Result<bool, StoreError> {
        let _writer = self.writer();
        self.injected_failure()?;
        let key = channel.to_string();
        let Some(raw) = self.boards.get(key.as_bytes())? else {
            return Ok(false);
        };
        let board: Board = serde_json::from_slice(&raw).map_err(|e| corrupt(key.as_bytes(), e))?;
        if !board.message_id.is_some_and(|m| deleted.contains(&m)) {
            return Ok(false);
        }
        self.boards
            .insert(key.as_bytes(), encode(&Board { message_id: None })?)?;
        self.db.flush()?;
        Ok(true)
    }

    pub fn flush(&self) -> Result<(), StoreError> {
        self.db.flush()?;
        Ok(())
    }
}

/// sled 0.34 writes a snapshot to `snap.<lsn>.generating` and renames it when done; a process
/// killed in between leaves the unfinished file, and sled then refuses every later open with
/// "Read corrupted data" (sled issues #1527, #1533). The file is by its name unfinished, the log
/// it summarises is still there, and we hold the store's lock, so it is removed before opening.
fn remove_unfinished_snapshots(sled_dir: &Path) {
    let Ok(entries) = std::fs::read_dir(sled_dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with("snap.") && name.ends_with(".generating") {
            match std::fs::remove_file(entry.path()) {
                Ok(()) => {
                    tracing::warn!(file = %name, "removed an unfinished sled snapshot left by a crash")
                }
                Err(e) => {
                    tracing::error!(file = %name, error = %e, "cannot remove an unfinished sled snapshot")
                }
            }
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::catalogue::State;
    use crate::test_support::TempStore;

    /// Commits KRL as running to plan (it is disturbed in the default catalogue).
    pub(super) fn mark_krl_ok(store: &Store) {
        let mut krl = store.catalogue().area(AreaId::Krl).unwrap().clone();
        krl.state = State::Ok;
        store
            .commit(Commit {
                areas: vec![krl],
                ..Commit::default()
            })
            .unwrap();
    }

    #[test]
    fn a_new_store_is_seeded_and_reopens_with_its_data() {
        let store = TempStore::new();
        assert_eq!(&*store.catalogue(), default_catalogue());
        mark_krl_ok(&store);
        let store = store.reopen();
        let c = store.catalogue();
        assert_eq!(
            c.area(AreaId::Krl).unwrap().state,
            State::Ok,
            "reopen keeps the change"
        );
        assert_eq!(c.areas.len(), 19);
    }

    /// A store written before areas had their own status date: on open each area gets the date
    /// it read as then (its last change's day or the catalogue's as-of date), on disk, so a
    /// later as-of date moves none of them.
    #[test]
    fn an_older_store_gives_its_areas_their_own_status_date_once() {
        let store = TempStore::new();
        let mut krl = store.catalogue().area(AreaId::Krl).unwrap().clone();
        krl.status_date = None;
        krl.changed = Some(crate::core::catalogue::ChangeStamp {
            by: crate::core::catalogue::Author::named("Mette"),
            at: "2025-10-01T08:00:00Z".parse().unwrap(),
        });
        let mut ky = store.catalogue().area(AreaId::Ky).unwrap().clone();
        ky.status_date = None;
        store
            .commit(Commit {
                areas: vec![krl, ky],
                as_of: Some("2025-09-20".parse().unwrap()),
                ..Commit::default()
            })
            .unwrap();
        store.meta.insert("schema", SCHEMA_1.as_bytes()).unwrap();
        let store = store.reopen();
        assert_eq!(
            store.meta.get("schema").unwrap().as_deref(),
            Some(SCHEMA.as_bytes()),
            "upgraded"
        );
        let date = |id: AreaId| {
            store
                .catalogue()
                .area(id)
                .unwrap()
                .status_date
                .map(|d| d.to_string())
        };
        assert_eq!(date(AreaId::Krl).as_deref(), Some("2025-10-01"));
        assert_eq!(date(AreaId::Ky).as_deref(), Some("2025-09-20"));
        assert_eq!(date(AreaId::Dream).as_deref(), Some("2025-09-10"));
        store
            .commit(Commit {
                as_of: Some("2025-11-10".parse().unwrap()),
                ..Commit::default()
            })
            .unwrap();
        let store = store.reopen();
        assert_eq!(
            store
                .catalogue()
                .area(AreaId::Ky)
                .unwrap()
                .status_date
                .map(|d| d.to_string())
                .as_deref(),
            Some("2025-09-20"),
            "written on the first open, so the new as-of date moved nothing"
        );
    }

    /// Values exactly as a version-1 flisbot wrote them: an area without its own date whose
    /// author is a plain string with a chat user id, and a history entry likewise.
    #[test]
    fn values_written_by_the_previous_layout_still_read() {
        let store = TempStore::new();
        let mut krl = serde_json::to_value(default_catalogue().area(AreaId::Krl).unwrap()).unwrap();
        krl.as_object_mut().unwrap().remove("status_date");
        krl["changed"] =
            serde_json::json!({"by": "Pia (222222222222222222)", "at": "2025-10-01T08:00:00Z"});
        let entry = serde_json::json!({
            "seq": 7, "at": "2025-10-01T08:00:00Z", "by": "Pia (222222222222222222)",
            "action": "set", "before": {"area": krl.clone()}, "after": {"area": krl.clone()},
        });
        store
            .areas
            .insert("krl", serde_json::to_vec(&krl).unwrap())
            .unwrap();
        store
            .history
            .insert(history_key("krl", 7), serde_json::to_vec(&entry).unwrap())
            .unwrap();
        store.meta.insert("schema", SCHEMA_1.as_bytes()).unwrap();
        store.flush().unwrap();
        let store = store.reopen();
        let c = store.catalogue();
        let krl = c.area(AreaId::Krl).unwrap();
        let by = &krl.changed.as_ref().unwrap().by;
        assert_eq!(
            (by.name(), by.chat_user_id()),
            ("Pia", Some(222222222222222222))
        );
        assert_eq!(krl.status_date.unwrap().to_string(), "2025-10-01");
        let h = store.history("krl", 1).unwrap();
        assert_eq!(h[0].by.public_name(), "Pia");
        assert!(h[0].parts.is_empty());
    }

    #[test]
    fn status_rules_are_written_with_their_commit_and_kept_across_reopen() {
        let store = TempStore::new();
        assert_eq!(store.status_rules(), None, "none before an import");
        let mut krl = default_catalogue().area(AreaId::Krl).unwrap().clone();
        krl.state = State::Ok;
        store
            .commit(Commit {
                areas: vec![krl],
                status_rules: Some("Opdateringsfrekvens\nUndtagelser:".into()),
                ..Commit::default()
            })
            .unwrap();
        assert_eq!(
            store.status_rules().as_deref(),
            Some("Opdateringsfrekvens\nUndtagelser:")
        );
        store
            .commit(Commit {
                as_of: Some("2025-10-10".parse().unwrap()),
                ..Commit::default()
            })
            .unwrap();
        assert_eq!(
            store.status_rules().as_deref(),
            Some("Opdateringsfrekvens\nUndtagelser:"),
            "a commit without rules keeps them"
        );
        store.fail_next_writes(1);
        assert!(store
            .commit(Commit {
                status_rules: Some("Ny".into()),
                ..Commit::default()
            })
            .is_err());
        let store = store.reopen();
        assert_eq!(
            store.status_rules().as_deref(),
            Some("Opdateringsfrekvens\nUndtagelser:"),
            "kept across reopen; a failed commit wrote nothing"
        );
        assert_eq!(
            store.catalogue().area(AreaId::Krl).unwrap().state,
            State::Ok
        );
    }

    /// A kill while sled writes a snapshot leaves `snap.*.generating`; without the clean-up sled
    /// refuses the store for good ("Read corrupted data"), which the SIGKILL test hit.
    #[test]
    fn an_unfinished_snapshot_left_by_a_crash_does_not_lock_the_store_out() {
        let store = TempStore::new();
        mark_krl_ok(&store);
        let dir = store.dir.path().to_owned();
        drop(store.store);
        let unfinished = dir.join("sled").join("snap.FFFFFFFFFFFFFFF0.generating");
        std::fs::write(&unfinished, b"a snapshot cut short by SIGKILL").unwrap();
        let reopened = Store::open(&dir).expect("the store opens");
        assert_eq!(
            reopened.catalogue().area(AreaId::Krl).unwrap().state,
            State::Ok
        );
        assert!(!unfinished.exists());
    }

    fn krl_down_commit(store: &Store) -> Commit {
        let before = store.catalogue().area(AreaId::Krl).unwrap().clone();
        let mut after = before.clone();
        after.state = State::Down;
        let notice = crate::core::notify::notice(
            &before,
            &after,
            &crate::core::history::Action::Set,
            Utc::now(),
        );
        Commit {
            areas: vec![after],
            notices: notice.into_iter().collect(),
            ..Commit::default()
        }
    }

    fn follow(store: &Store, target: Target, topic: crate::core::notify::Topic) {
        store
            .update_subscription(target, |s| {
                let mut s = s.unwrap_or_default();
                s.topics.insert(topic);
                Some(s)
            })
            .unwrap();
    }

    /// A notice id is kept as 8 big-endian bytes after the recipient's key; once sled's ids have
    /// grown past what reads as UTF-8 the queue must still be read, not refused as corrupt.
    #[test]
    fn a_queued_notice_whose_id_is_not_text_is_read_with_its_recipient() {
        let store = TempStore::new();
        let mut notice = krl_down_commit(&store).notices.remove(0);
        notice.id = 0x00ff_fe80_c3ff_0001;
        let key = outbox_key(Target::User(1), &notice);
        assert!(std::str::from_utf8(&key).is_err());
        store.outbox.insert(key, encode(&notice).unwrap()).unwrap();
        let queued = store.outbox().unwrap();
        assert_eq!(queued.len(), 1);
        assert_eq!(
            (queued[0].target, queued[0].notice.id),
            (Target::User(1), notice.id)
        );
        store.delivered(Target::User(1), &[notice]).unwrap();
        assert!(store.outbox().unwrap().is_empty());
    }

    /// The outbox is written by the commit itself: a failed commit queues nothing, a committed
    /// one queues for each follower (by area or group) and survives reopening.
    #[test]
    fn notices_are_queued_with_their_commit_for_followers_only() {
        use crate::core::notify::Topic;
        let store = TempStore::new();
        follow(&store, Target::User(1), Topic::Area(AreaId::Krl));
        let group = store.catalogue().area(AreaId::Krl).unwrap().group;
        follow(&store, Target::Channel(2), Topic::Group(group));
        follow(&store, Target::User(3), Topic::Area(AreaId::Dream));
        store.fail_next_writes(1);
        assert!(store.commit(krl_down_commit(&store)).is_err());
        assert!(
            store.outbox().unwrap().is_empty(),
            "nothing without a commit"
        );
        store.commit(krl_down_commit(&store)).unwrap();
        let store = store.reopen();
        let queued = store.outbox().unwrap();
        let targets: Vec<Target> = queued.iter().map(|q| q.target).collect();
        assert_eq!(targets, [Target::Channel(2), Target::User(1)]);
        assert!(queued
            .iter()
            .all(|q| q.notice.id > 0 && q.notice.after.state == State::Down));
        store
            .delivered(Target::User(1), std::slice::from_ref(&queued[1].notice))
            .unwrap();
        assert_eq!(store.outbox().unwrap().len(), 1);
        // Unsubscribing everything deletes the subscription and what was queued for it.
        store
            .update_subscription(Target::Channel(2), |_| None)
            .unwrap();
        assert!(store.outbox().unwrap().is_empty());
        assert_eq!(store.subscription(Target::Channel(2)).unwrap(), None);
        let counts = store.subscription_counts().unwrap();
        let krl = counts.iter().find(|c| c.0 == AreaId::Krl).unwrap();
        assert_eq!((krl.1, krl.2), (1, 0));
    }

    #[test]
    fn a_paused_subscription_queues_nothing_and_drops_its_queue() {
        use crate::core::notify::Topic;
        let store = TempStore::new();
        follow(&store, Target::User(1), Topic::Area(AreaId::Krl));
        store.commit(krl_down_commit(&store)).unwrap();
        assert_eq!(store.outbox().unwrap().len(), 1);
        store
            .update_subscription(Target::User(1), |s| {
                s.map(|mut s| {
                    s.paused = true;
                    s
                })
            })
            .unwrap();
        assert!(store.outbox().unwrap().is_empty());
        mark_krl_ok(&store);
        store.commit(krl_down_commit(&store)).unwrap();
        assert!(store.outbox().unwrap().is_empty(), "paused: nothing queued");
        assert!(store.subscription(Target::User(1)).unwrap().unwrap().paused);
    }

    #[test]
    fn boards_are_kept_and_a_removed_board_is_not_brought_back() {
        let store = TempStore::new();
        store.put_board(5, Some(&Board::default())).unwrap();
        assert!(store.set_board_message(5, 77).unwrap());
        let store = store.reopen();
        assert_eq!(
            store.boards().unwrap(),
            [(
                5,
                Board {
                    message_id: Some(77)
                }
            )]
        );
        assert!(
            !store.forget_board_message(5, &[76, 78]).unwrap(),
            "not its message"
        );
        assert!(
            !store.forget_board_message(6, &[77]).unwrap(),
            "not a board"
        );
        assert!(store.forget_board_message(5, &[76, 77]).unwrap());
        assert_eq!(store.boards().unwrap(), [(5, Board { message_id: None })]);
        store.put_board(5, None).unwrap();
        assert!(!store.set_board_message(5, 78).unwrap());
        assert!(!store.forget_board_message(5, &[78]).unwrap());
        assert!(store.boards().unwrap().is_empty());
    }

    #[test]
    fn a_second_open_of_a_store_in_use_is_refused_cleanly() {
        let dir = tempfile::tempdir().unwrap();
        let _first = Store::open(dir.path()).unwrap();
        match Store::open(dir.path()) {
            Err(StoreError::InUse { dir: d }) => assert_eq!(d, dir.path()),
            other => panic!("expected InUse, got {:?}", other.map(|_| ())),
        }
    }

    /// sled says its lock is taken only in an I/O error's text; an upgrade that words it
    /// otherwise must fail here, not make reopening flaky again.
    #[test]
    fn sled_reports_its_lock_as_busy_in_the_words_we_look_for() {
        let dir = tempfile::tempdir().unwrap();
        let _held = sled::Config::new().path(dir.path()).open().unwrap();
        let e = sled::Config::new().path(dir.path()).open().unwrap_err();
        assert!(is_sled_lock_busy(&e), "{e}");
        assert!(!is_sled_lock_busy(&sled::Error::Io(std::io::Error::other(
            "disk full"
        ))));
    }

    /// Holds sled's own lock file of the store in `dir`, as sled's writer threads do for a
    /// moment after the last handle was dropped.
    fn hold_sled_lock(dir: &Path) -> File {
        let file = File::options()
            .read(true)
            .write(true)
            .open(dir.join("sled").join("db"))
            .unwrap();
        file.try_lock().unwrap();
        file
    }

    #[test]
    fn opening_waits_for_sled_to_let_go_and_then_reads_the_data() {
        let store = TempStore::new();
        mark_krl_ok(&store);
        let TempStore { store, dir } = store;
        drop(store);
        let held = hold_sled_lock(dir.path());
        let path = dir.path().to_owned();
        let opener = std::thread::spawn(move || Store::open(&path).map(|s| s.catalogue()));
        std::thread::sleep(Duration::from_millis(200));
        drop(held);
        let catalogue = opener.join().unwrap().expect("opens once sled lets go");
        assert_eq!(catalogue.area(AreaId::Krl).unwrap().state, State::Ok);
    }

    #[test]
    fn a_sled_lock_that_stays_taken_is_a_store_in_use_after_the_wait() {
        let dir = tempfile::tempdir().unwrap();
        drop(Store::open(dir.path()).unwrap());
        let _held = hold_sled_lock(dir.path());
        match Store::open_with(dir.path(), Duration::ZERO, Duration::from_millis(50)) {
            Err(StoreError::InUse { dir: d }) => assert_eq!(d, dir.path()),
            other => panic!("expected InUse, got {:?}", other.map(|_| ())),
        }
    }

    #[test]
    fn open_waiting_gets_a_store_another_handle_lets_go_of() {
        let dir = tempfile::tempdir().unwrap();
        let first = Store::open(dir.path()).unwrap();
        let path = dir.path().to_owned();
        let waiter =
            std::thread::spawn(move || Store::open_waiting(&path, Duration::from_secs(30)).is_ok());
        std::thread::sleep(Duration::from_millis(200));
        drop(first);
        assert!(waiter.join().unwrap(), "opened once the first let go");
        let _again = Store::open(dir.path()).unwrap();
    }

    #[test]
    fn announcements_are_remembered_per_channel_across_reopen() {
        let dir = tempfile::tempdir().unwrap();
        {
            let store = Store::open(dir.path()).unwrap();
            assert!(!store.was_announced(1, "monthly-2025-10").unwrap());
            store
                .record_announced(1, "monthly-2025-10", Utc::now())
                .unwrap();
        }
        let store = Store::open(dir.path()).unwrap();
        assert!(store.was_announced(1, "monthly-2025-10").unwrap());
        assert!(!store.was_announced(2, "monthly-2025-10").unwrap());
        assert!(!store.was_announced(1, "early-2025-10").unwrap());
    }

    #[test]
    fn history_is_newest_first_per_subject() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let area = default_catalogue().area(AreaId::Ky).unwrap().clone();
        for action in ["one", "two", "three"] {
            let entry = HistoryEntry {
                seq: 0,
                at: Utc::now(),
                by: crate::core::catalogue::Author::named("test"),
                action: crate::core::history::Action::Recorded(action.into()),
                before: crate::core::history::Snapshot::Area(Box::new(area.clone())),
                after: crate::core::history::Snapshot::Area(Box::new(area.clone())),
                undone: false,
                reverts: None,
                parts: Vec::new(),
            };
            store
                .commit(Commit {
                    entries: vec![("ky".into(), entry)],
                    ..Commit::default()
                })
                .unwrap();
        }
        let h = store.history("ky", 2).unwrap();
        let actions: Vec<String> = h.iter().map(|e| e.action.danish()).collect();
        assert_eq!(actions, ["three", "two"]);
        assert!(store.history("kp", 10).unwrap().is_empty());
        assert!(
            store.history("k", 10).unwrap().is_empty(),
            "prefix must not leak across ids"
        );
    }
}
