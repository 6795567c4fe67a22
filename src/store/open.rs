//! Opening the store: its lock file, a bounded wait for a holder that is letting go (sled's
//! own lock included), sled's unfinished snapshots removed, seeding a new store, upgrading a
//! version-1 layout, and loading what readers see.

use std::fs::{File, TryLockError};
use std::path::Path;
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use sled::transaction::{ConflictableTransactionError, Transactional};

use super::faults::Faults;
use super::writer::Committed;
use super::{corrupt, encode, keys, snapshot, tx_error, Store, StoreError, SCHEMA, SCHEMA_1};
use crate::core::catalogue::{default_catalogue, Area, AreaId, Catalogue};

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
pub(super) fn is_sled_lock_busy(e: &sled::Error) -> bool {
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

    pub(super) fn open_with(
        dir: &Path,
        wait: Duration,
        sled_wait: Duration,
    ) -> Result<Store, StoreError> {
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
            faults: Faults::default(),
            closer: snapshot::Closer::new(dir),
            _lock: lock,
        };
        match store.meta.get(keys::SCHEMA)? {
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
                    areas.insert(keys::area(*id), v.as_slice())?;
                }
                meta.insert(keys::AS_OF, as_of.as_bytes())?;
                meta.insert(keys::SCHEMA, SCHEMA.as_bytes())?;
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
            .get(keys::SCHEMA)?
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
                    areas.insert(keys::area(*id), v.as_slice())?;
                }
                meta.insert(keys::SCHEMA, SCHEMA.as_bytes())?;
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

    /// The whole catalogue as sled holds it, in the default catalogue's area order.
    pub(super) fn load_catalogue(&self) -> Result<Catalogue, StoreError> {
        let raw = self
            .meta
            .get(keys::AS_OF)?
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

    pub(super) fn load_status_rules(&self) -> Result<Option<Arc<str>>, StoreError> {
        let Some(raw) = self.meta.get(keys::STATUS_RULES)? else {
            return Ok(None);
        };
        let text =
            std::str::from_utf8(&raw).map_err(|e| corrupt(keys::STATUS_RULES.as_bytes(), e))?;
        Ok(Some(Arc::from(text)))
    }

    pub(super) fn load_status_areas(&self) -> Result<Option<Arc<[AreaId]>>, StoreError> {
        let Some(raw) = self.meta.get(keys::STATUS_AREAS)? else {
            return Ok(None);
        };
        let areas: Vec<AreaId> =
            serde_json::from_slice(&raw).map_err(|e| corrupt(keys::STATUS_AREAS.as_bytes(), e))?;
        Ok(Some(Arc::from(areas)))
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
