//! The one retry policy of the delivery loops (the announcer, the notifier and the webhook
//! deliverer): per failing recipient, the wait before the next try doubles with each failure in
//! a row, from a first wait up to a longest one. Time is given, never read.

use std::collections::HashMap;
use std::hash::Hash;

use chrono::{DateTime, Duration, Utc};

/// Failing recipients: failures in a row and when each may be tried again.
pub(crate) struct Backoff<K> {
    first: Duration,
    max: Duration,
    failing: HashMap<K, (u32, DateTime<Utc>)>,
}

impl<K: Eq + Hash> Backoff<K> {
    /// Waits `first` after one failure, doubling per further failure, never more than `max`.
    pub(crate) fn new(first: Duration, max: Duration) -> Self {
        Backoff {
            first,
            max,
            failing: HashMap::new(),
        }
    }

    /// Whether `key` failed and its next try is still ahead of `now`.
    pub(crate) fn waiting(&self, key: &K, now: DateTime<Utc>) -> bool {
        self.failing.get(key).is_some_and(|(_, next)| *next > now)
    }

    /// One more failure of `key` at `now`; it waits at least `at_least` (a `Retry-After`).
    /// Returns the failures in a row so far.
    pub(crate) fn failed(&mut self, key: K, now: DateTime<Utc>, at_least: Option<Duration>) -> u32 {
        let failures = self.failing.get(&key).map_or(0, |(n, _)| *n) + 1;
        let mut wait = (self.first * 2i32.pow(failures.min(10) - 1)).min(self.max);
        if let Some(at_least) = at_least {
            wait = wait.max(at_least);
        }
        self.failing.insert(key, (failures, now + wait));
        failures
    }

    /// `key` succeeded (or is no longer tried): it starts afresh.
    pub(crate) fn clear(&mut self, key: &K) {
        self.failing.remove(key);
    }

    /// The soonest retry still ahead of `now`.
    pub(crate) fn next_retry(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        self.failing
            .values()
            .map(|(_, t)| *t)
            .filter(|t| *t > now)
            .min()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    #[test]
    fn the_wait_doubles_per_failure_up_to_the_longest() {
        let mut b = Backoff::new(Duration::minutes(5), Duration::minutes(30));
        let now = at("2025-10-10T10:00:00Z");
        assert_eq!(b.failed(1, now, None), 1);
        assert_eq!(b.next_retry(now), Some(now + Duration::minutes(5)));
        assert_eq!(b.failed(1, now, None), 2);
        assert_eq!(b.next_retry(now), Some(now + Duration::minutes(10)));
        b.failed(1, now, None);
        b.failed(1, now, None);
        assert_eq!(b.next_retry(now), Some(now + Duration::minutes(30)));
        assert!(b.waiting(&1, now) && !b.waiting(&2, now));
        assert!(!b.waiting(&1, now + Duration::minutes(30)));
    }

    #[test]
    fn a_retry_after_is_waited_at_least_and_success_starts_afresh() {
        let mut b = Backoff::new(Duration::seconds(30), Duration::hours(1));
        let now = at("2025-10-10T10:00:00Z");
        b.failed("a", now, Some(Duration::minutes(2)));
        b.failed("b", now, None);
        assert_eq!(b.next_retry(now), Some(now + Duration::seconds(30)));
        b.clear(&"b");
        assert_eq!(b.next_retry(now), Some(now + Duration::minutes(2)));
        b.clear(&"a");
        assert_eq!(b.next_retry(now), None);
        assert_eq!(b.failed("a", now, None), 1, "afresh after success");
    }
}
