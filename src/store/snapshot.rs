//! A copy of the committed catalogue beside the store (`flisbot.catalogue.json`), written when
//! the store closes, so a command that only reads the catalogue (`flisbot ask`, `flisbot
//! calendar`) need not start sled, which is most of such a command's time.
//!
//! The copy is used only while sled's log is exactly as it was when the copy was written: it
//! records the log file's size, inode, modification and change times, and any later write to
//! the store (a commit, sled's own recovery after a crash, an older flisbot that knows nothing
//! of the copy) changes them. Then the store is opened as always, and its close writes a fresh
//! copy. A reader holds the store's lock while it reads, so no writer runs meanwhile, and a
//! store held by a running bot is `InUse`, answered through its control socket as before.

use std::fs::{File, TryLockError};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use super::{StoreError, SCHEMA};
use crate::core::catalogue::Catalogue;

/// The copy's file name in the store folder.
pub const FILE: &str = "flisbot.catalogue.json";
/// How long closing waits for sled's writer threads to let go of its log before it stamps it.
const SLED_RELEASE_WAIT: Duration = Duration::from_secs(2);

/// What identifies one state of sled's log file.
#[derive(Debug, PartialEq, Eq, Serialize, Deserialize)]
struct Stamp {
    len: u64,
    ino: u64,
    mtime: i64,
    mtime_ns: i64,
    ctime: i64,
    ctime_ns: i64,
}

fn log_file(dir: &Path) -> PathBuf {
    dir.join("sled").join("db")
}

fn stamp(path: &Path) -> std::io::Result<Stamp> {
    let m = std::fs::metadata(path)?;
    Ok(Stamp {
        len: m.len(),
        ino: m.ino(),
        mtime: m.mtime(),
        mtime_ns: m.mtime_nsec(),
        ctime: m.ctime(),
        ctime_ns: m.ctime_nsec(),
    })
}

#[derive(Serialize)]
struct Written<'a> {
    schema: &'a str,
    log: Stamp,
    catalogue: &'a Catalogue,
}

#[derive(Deserialize)]
struct Read {
    schema: String,
    log: Stamp,
    catalogue: Catalogue,
}

/// The committed catalogue from the copy, when the store is closed and the copy is current;
/// `Ok(None)` when the store must be opened (first use, no copy, a write since). `InUse` when
/// another process holds the store.
pub fn read_closed(dir: &Path) -> Result<Option<Catalogue>, StoreError> {
    // Nothing is created here: a store that does not exist yet is made by `Store::open`.
    let Ok(lock) = File::options().write(true).open(dir.join("flisbot.lock")) else {
        return Ok(None);
    };
    match lock.try_lock() {
        Ok(()) => {}
        Err(TryLockError::WouldBlock) => {
            return Err(StoreError::InUse {
                dir: dir.to_path_buf(),
            })
        }
        Err(TryLockError::Error(_)) => return Ok(None),
    }
    let Ok(bytes) = std::fs::read(dir.join(FILE)) else {
        return Ok(None);
    };
    let Ok(copy) = serde_json::from_slice::<Read>(&bytes) else {
        return Ok(None);
    };
    let current = stamp(&log_file(dir)).ok();
    if copy.schema != SCHEMA || current.as_ref() != Some(&copy.log) {
        return Ok(None);
    }
    if copy.catalogue.validate().is_err() {
        return Ok(None);
    }
    Ok(Some(copy.catalogue))
}

/// Writes the copy when the store closes: a field of `Store` declared after sled's handles,
/// so it is dropped after them. It holds the catalogue last committed, and nothing while a
/// commit is under way or after one failed (sled's state is then not known to match it).
pub struct Closer {
    dir: PathBuf,
    latest: Mutex<Option<Arc<Catalogue>>>,
}

impl Closer {
    pub fn new(dir: &Path) -> Closer {
        Closer {
            dir: dir.to_path_buf(),
            latest: Mutex::new(None),
        }
    }

    /// The catalogue as committed now; written at close.
    pub fn set(&self, catalogue: Arc<Catalogue>) {
        *self.latest.lock().unwrap_or_else(|e| e.into_inner()) = Some(catalogue);
    }

    /// Nothing to write at close (a commit is under way).
    pub fn forget(&self) {
        *self.latest.lock().unwrap_or_else(|e| e.into_inner()) = None;
    }
}

impl Drop for Closer {
    fn drop(&mut self) {
        let latest = self.latest.get_mut().unwrap_or_else(|e| e.into_inner());
        if let Some(catalogue) = latest.take() {
            if let Err(e) = write(&self.dir, &catalogue) {
                tracing::warn!(error = %e, "cannot write the catalogue copy for readers");
            }
        }
    }
}

fn write(dir: &Path, catalogue: &Catalogue) -> std::io::Result<()> {
    let log = log_file(dir);
    // sled's writer threads may still be finishing its last writes; they hold its lock until
    // then, and the stamp must be taken after them.
    let file = File::open(&log)?;
    let deadline = Instant::now() + SLED_RELEASE_WAIT;
    loop {
        match file.try_lock() {
            Ok(()) => break,
            Err(TryLockError::WouldBlock) if Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(1));
            }
            // Not let go in time: a stamp now may be overtaken; write no copy.
            Err(TryLockError::WouldBlock) => return Ok(()),
            Err(TryLockError::Error(e)) => return Err(e),
        }
    }
    let written = Written {
        schema: SCHEMA,
        log: stamp(&log)?,
        catalogue,
    };
    drop(file);
    let bytes = serde_json::to_vec(&written).map_err(std::io::Error::other)?;
    let tmp = dir.join(format!("{FILE}.tmp"));
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, dir.join(FILE))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::tests::mark_krl_ok;
    use crate::store::Store;

    /// Commits a change; the catalogue as committed.
    fn commit_krl_ok(store: &Store) -> Catalogue {
        mark_krl_ok(store);
        (*store.catalogue()).clone()
    }

    #[test]
    fn a_closed_store_is_read_from_its_copy_as_last_committed() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let committed = commit_krl_ok(&store);
        drop(store);
        assert_eq!(read_closed(dir.path()).unwrap(), Some(committed.clone()));
        // Reading changes nothing: the next reader gets the same.
        assert_eq!(read_closed(dir.path()).unwrap(), Some(committed));
    }

    #[test]
    fn an_open_store_is_in_use_and_nothing_is_read_past_it() {
        let dir = tempfile::tempdir().unwrap();
        drop(Store::open(dir.path()).unwrap());
        let _open = Store::open(dir.path()).unwrap();
        assert!(matches!(
            read_closed(dir.path()),
            Err(StoreError::InUse { .. })
        ));
    }

    #[test]
    fn a_missing_store_is_not_created_by_a_reader() {
        let parent = tempfile::tempdir().unwrap();
        let dir = parent.path().join("never");
        assert_eq!(read_closed(&dir).unwrap(), None);
        assert!(!dir.exists());
    }

    #[test]
    fn a_write_the_copy_does_not_know_of_makes_the_store_open_again() {
        // A writer that leaves no copy (an older flisbot, or a process killed after its
        // commit): the log changed after the copy was written.
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let before = (*store.catalogue()).clone();
        drop(store);
        assert_eq!(read_closed(dir.path()).unwrap(), Some(before));
        let store = Store::open(dir.path()).unwrap();
        commit_krl_ok(&store);
        // As if the process died now: the copy is not rewritten.
        store.closer.forget();
        drop(store);
        assert_eq!(read_closed(dir.path()).unwrap(), None);
        // Opening and closing it writes a current copy again.
        let store = Store::open(dir.path()).unwrap();
        let now = (*store.catalogue()).clone();
        drop(store);
        assert_eq!(read_closed(dir.path()).unwrap(), Some(now));
    }

    #[test]
    fn a_copy_that_cannot_be_read_or_is_of_another_schema_is_not_used() {
        let dir = tempfile::tempdir().unwrap();
        drop(Store::open(dir.path()).unwrap());
        let path = dir.path().join(FILE);
        let good = std::fs::read_to_string(&path).unwrap();
        for bad in [
            String::new(),
            good[..good.len() / 2].to_owned(),
            good.replacen(&format!("\"schema\":\"{SCHEMA}\""), "\"schema\":\"0\"", 1),
        ] {
            assert_ne!(bad, good);
            std::fs::write(&path, &bad).unwrap();
            assert_eq!(read_closed(dir.path()).unwrap(), None, "{bad:.40}");
        }
    }
}
