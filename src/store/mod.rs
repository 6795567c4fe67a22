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
//! text), tree `history` (`<area id or @catalogue>/<seq u64 BE>` → HistoryEntry), tree `announced`
//! (`<channel id>/<announcement key>` → the time it was sent), tree `subscriptions` (target key
//! `u<user id>`/`c<channel id>` → Subscription: what it follows, nothing else), tree `outbox`
//! (`<target key>/<area id>/<notice id u64 BE>` → Notice: queued in the transaction of the change
//! it tells, removed once delivered), tree `boards` (`<channel id>` → Board).

use std::fs::{File, TryLockError};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, RwLock};

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use sled::transaction::{ConflictableTransactionError, TransactionError, Transactional};

use crate::core::catalogue::{default_catalogue, Area, AreaId, Catalogue};
use crate::core::history::HistoryEntry;
use crate::core::notify::{Notice, Subscription, Target};

mod snapshot;
pub use snapshot::read_closed;

const SCHEMA: &str = "1";
/// Meta key of the last imported status document's rules section.
const STATUS_RULES_KEY: &str = "status_rules";
/// History key prefix of catalogue-wide changes (the as-of date).
pub const CATALOGUE_KEY: &str = "@catalogue";

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
    /// Changes subscribers hear of: queued in the outbox for everyone following the area, in
    /// the same transaction, so a committed change is always told and an uncommitted never.
    pub notices: Vec<Notice>,
}

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

impl Store {
    /// Opens (creating and seeding on first use) the store in `dir`.
    pub fn open(dir: &Path) -> Result<Store, StoreError> {
        let folder = |source| StoreError::Folder {
            dir: dir.to_path_buf(),
            source,
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
            Err(TryLockError::WouldBlock) => {
                return Err(StoreError::InUse {
                    dir: dir.to_path_buf(),
                })
            }
            Err(TryLockError::Error(e)) => return Err(folder(e)),
        }
        remove_unfinished_snapshots(&dir.join("sled"));
        // No background flusher: every write flushes itself, and without the thread a store can
        // be reopened in the same process as soon as it is dropped.
        let db = sled::Config::new()
            .path(dir.join("sled"))
            .flush_every_ms(None)
            .open()?;
        let mut store = Store {
            areas: db.open_tree("areas")?,
            meta: db.open_tree("meta")?,
            history: db.open_tree("history")?,
            announced: db.open_tree("announced")?,
            subscriptions: db.open_tree("subscriptions")?,
            outbox: db.open_tree("outbox")?,
            boards: db.open_tree("boards")?,
            generation: std::sync::atomic::AtomicU64::new(0),
            db,
            dir: dir.to_path_buf(),
            snapshot: RwLock::new(Committed {
                catalogue: Arc::new(default_catalogue().clone()),
                status_rules: None,
            }),
            writer: Mutex::new(()),
            failing_writes: AtomicU32::new(0),
            closer: snapshot::Closer::new(dir),
            _lock: lock,
        };
        match store.meta.get("schema")? {
            None => store.seed(default_catalogue())?,
            Some(v) if v.as_ref() == SCHEMA.as_bytes() => {}
            Some(v) => {
                return Err(StoreError::Schema {
                    found: String::from_utf8_lossy(&v).into_owned(),
                })
            }
        }
        let catalogue = Arc::new(store.load_catalogue()?);
        store.closer.set(Arc::clone(&catalogue));
        store.snapshot = RwLock::new(Committed {
            catalogue,
            status_rules: store.load_status_rules()?,
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
        // Fan out under the writer: subscriptions change only under it too.
        let mut outbox_rows = Vec::new();
        if !commit.notices.is_empty() {
            let subscriptions = self.subscriptions()?;
            for notice in &commit.notices {
                let mut notice = notice.clone();
                // Never 0: a notice not yet queued has id 0.
                notice.id = self.db.generate_id()? + 1;
                for (target, sub) in &subscriptions {
                    if sub.follows(&notice.after) {
                        outbox_rows.push((outbox_key(*target, &notice), encode(&notice)?));
                    }
                }
            }
        }
        let as_of = commit.as_of.map(|d| d.to_string());
        (&self.areas, &self.meta, &self.history, &self.outbox)
            .transaction(|(areas, meta, history, outbox)| {
                for (id, v) in &area_rows {
                    areas.insert(id.as_str().as_bytes(), v.as_slice())?;
                }
                if let Some(d) = &as_of {
                    meta.insert("as_of", d.as_bytes())?;
                }
                if let Some(rules) = &commit.status_rules {
                    meta.insert(STATUS_RULES_KEY, rules.as_bytes())?;
                }
                for (k, v) in entry_rows.iter().chain(&undone_rows) {
                    history.insert(k.as_slice(), v.as_slice())?;
                }
                for (k, v) in &outbox_rows {
                    outbox.insert(k.as_slice(), v.as_slice())?;
                }
                Ok::<_, ConflictableTransactionError<()>>(())
            })
            .map_err(tx_error)?;
        self.db.flush()?;
        let next = Arc::new(next);
        self.closer.set(Arc::clone(&next));
        *self.snapshot.write().unwrap_or_else(|e| e.into_inner()) = Committed {
            catalogue: next,
            status_rules: commit.status_rules.map(Arc::from).or(current.status_rules),
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
            let target = std::str::from_utf8(&k)
                .ok()
                .and_then(|k| k.split('/').next())
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
        store.put_board(5, None).unwrap();
        assert!(!store.set_board_message(5, 78).unwrap());
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
                by: "test".into(),
                action: crate::core::history::Action::Recorded(action.into()),
                before: crate::core::history::Snapshot::Area(Box::new(area.clone())),
                after: crate::core::history::Snapshot::Area(Box::new(area.clone())),
                undone: false,
                reverts: None,
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
