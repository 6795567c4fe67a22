//! What unit tests share: fixed instants and months, and a real sled store in a temporary
//! folder (the store is never faked).

use std::ops::Deref;

use chrono::{DateTime, Utc};

use crate::core::year_month::YearMonth;
use crate::store::Store;

/// An instant written as RFC 3339, e.g. `at("2025-10-10T09:00:00+02:00")`.
pub fn at(rfc3339: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(rfc3339)
        .unwrap_or_else(|e| panic!("{rfc3339}: {e}"))
        .with_timezone(&Utc)
}

/// FLIS' status overview of 10 November 2025, written for the tests in the seed's style: other
/// months, notes that change and wrap differently, KRL and DFDG recovering, VH going down, a new
/// source for YR, a note running over a page break with the headers and the title repeated,
/// stray page numbers and form feeds.
pub const NOVEMBER: &str = include_str!("../tests/fixtures/statusoversigt-2025-11-10.txt");

/// The 1-based number of the one line of `text` that starts with `needle`.
pub fn line_of(text: &str, needle: &str) -> usize {
    let hits: Vec<usize> = text
        .split('\n')
        .enumerate()
        .filter(|(_, l)| l.starts_with(needle))
        .map(|(i, _)| i + 1)
        .collect();
    assert_eq!(hits.len(), 1, "{needle:?} is on lines {hits:?}");
    hits[0]
}

/// The processor time this thread has used so far (user and system), from
/// `/proc/thread-self/stat`, in steps of 10 ms: what a piece of work costs, however busy the
/// machine is with other things (wall-clock time is not, on a shared two-core box).
pub fn thread_cpu_time() -> std::time::Duration {
    let stat = std::fs::read_to_string("/proc/thread-self/stat").expect("Linux /proc");
    // After the command name in parentheses: state is field 3, utime 14, stime 15.
    let fields: Vec<u64> = stat
        .rsplit_once(')')
        .map(|(_, rest)| rest)
        .unwrap_or_default()
        .split_whitespace()
        .skip(11)
        .take(2)
        .map(|f| f.parse().expect("clock ticks"))
        .collect();
    // USER_HZ: /proc counts in hundredths of a second on every Linux architecture we run on.
    std::time::Duration::from_millis(fields.iter().sum::<u64>() * 10)
}

/// A month written as `2025-10`.
pub fn ym(s: &str) -> YearMonth {
    s.parse().unwrap_or_else(|e| panic!("{s}: {e:?}"))
}

/// A freshly seeded store that lives as long as the value.
pub struct TempStore {
    pub store: Store,
    pub dir: tempfile::TempDir,
}

impl TempStore {
    pub fn new() -> TempStore {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let store = Store::open(dir.path()).expect("a new store opens");
        TempStore { store, dir }
    }

    /// Closes the store and opens it again from disk, as a restart would. sled's own I/O
    /// threads may hold its file lock for a moment after the store is dropped (a restarted
    /// process never meets them); opening is tried again while that lock is still held, for a
    /// few seconds at most.
    pub fn reopen(self) -> TempStore {
        let TempStore { store, dir } = self;
        drop(store);
        let held = |e: &crate::store::StoreError| {
            matches!(e, crate::store::StoreError::Sled(sled::Error::Io(io))
                if io.to_string().contains("could not acquire lock"))
        };
        let mut tries = 0;
        let store = loop {
            match Store::open(dir.path()) {
                Err(e) if held(&e) && tries < 500 => {
                    tries += 1;
                    std::thread::sleep(std::time::Duration::from_millis(10));
                }
                other => break other.expect("the store reopens"),
            }
        };
        TempStore { store, dir }
    }
}

impl Deref for TempStore {
    type Target = Store;
    fn deref(&self) -> &Store {
        &self.store
    }
}

/// A webhook target as an operator added it (Mette, 10 October 2025), delivering, with
/// release announcements.
pub fn webhook_target(
    name: &str,
    url: &str,
    kind: crate::core::webhook::WebhookKind,
    topics: &[crate::core::notify::Topic],
) -> crate::core::webhook::WebhookTarget {
    crate::core::webhook::WebhookTarget {
        name: name.into(),
        url: url.into(),
        kind,
        topics: topics.iter().copied().collect(),
        announcements: true,
        secret_env: None,
        paused: false,
        told: false,
        added: crate::core::catalogue::ChangeStamp {
            by: crate::core::catalogue::Author::named("Mette"),
            at: at("2025-10-10T08:00:00Z"),
        },
    }
}
