//! Sends the release announcements `announce::due` says are due, and records each in the store.
//! `step(now)` is one pass, driven directly by tests; `run` is the thin loop that sleeps between
//! passes, started once per process (not on every READY).
//!
//! Exactly once rests on three things: the record in the store (across restarts), the set of
//! posts sent but not yet recorded (kept in memory and recorded again on the next pass, so a
//! failed record never causes a second post), and the per-(channel, release) nonce with
//! `enforce_nonce`, which covers a crash between post and record only for the few minutes
//! Discord remembers nonces.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};
use poise::serenity_prelude as serenity;
use serenity::{ChannelId, CreateAllowedMentions, CreateMessage, Http, HttpError, Nonce};

use crate::clock::Clock;
use crate::core::announce::{self, AnnouncementId, Due, Schedule};
use crate::core::catalogue::Catalogue;
use crate::store::Store;
use crate::views::announce::render_announcement;

/// A failing channel is retried after this, doubling per failure up to `MAX_BACKOFF`.
const FIRST_BACKOFF: chrono::Duration = chrono::Duration::minutes(5);
const MAX_BACKOFF: chrono::Duration = chrono::Duration::hours(6);
/// How often a rate-limited post is retried before the channel is given up for this pass.
const RATE_LIMIT_TRIES: u32 = 5;
/// The loop never sleeps longer than this, so a changed clock or catalogue is seen.
const MAX_SLEEP: chrono::Duration = chrono::Duration::hours(1);
/// A pass with posts sent but not recorded comes back this soon to record them.
const RECORD_RETRY: chrono::Duration = chrono::Duration::seconds(30);

pub struct Announcer {
    http: Arc<Http>,
    store: Arc<Store>,
    schedule: Schedule,
    /// Per failing channel: failures so far and when to try again.
    backoff: Mutex<HashMap<u64, (u32, DateTime<Utc>)>>,
    /// First wait after a 429: with the proxy's limiter in front, serenity does not expose
    /// `retry_after`, so the wait grows with each try instead.
    rate_limit_wait: Duration,
    /// The longest one post may take, whatever the HTTP client's own timeouts.
    post_timeout: Duration,
    /// (channel, announcement key) posted but not yet recorded in the store.
    unrecorded: Mutex<HashSet<(u64, String)>>,
}

#[derive(Debug, Default)]
pub struct StepOutcome {
    pub sent: Vec<Due>,
    pub failed: Vec<(Due, String)>,
}

/// A nonce for (channel, announcement): the same on every try and after a restart, so Discord
/// drops a repeat sent with `enforce_nonce`. FNV-1a: stable across builds, unlike std's hasher.
pub fn nonce(channel: u64, key: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in channel.to_be_bytes().iter().chain(key.as_bytes()) {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("fa{h:016x}")
}

/// Why a post did not go out.
#[derive(Debug, thiserror::Error)]
pub enum PostError {
    #[error(transparent)]
    Discord(#[from] serenity::Error),
    #[error("no answer from Discord within {0:?}")]
    TimedOut(Duration),
}

fn is_rate_limited(e: &serenity::Error) -> bool {
    matches!(e, serenity::Error::Http(HttpError::UnsuccessfulRequest(r)) if r.status_code.as_u16() == 429)
}

impl Announcer {
    pub fn new(http: Arc<Http>, store: Arc<Store>, schedule: Schedule) -> Self {
        Announcer {
            http,
            store,
            schedule,
            backoff: Mutex::new(HashMap::new()),
            rate_limit_wait: Duration::from_secs(1),
            post_timeout: Duration::from_secs(60),
            unrecorded: Mutex::new(HashSet::new()),
        }
    }

    /// For tests: a shorter first wait after a 429.
    pub fn with_rate_limit_wait(mut self, wait: Duration) -> Self {
        self.rate_limit_wait = wait;
        self
    }

    /// The longest a post may take before the channel counts as failed for this pass.
    pub fn with_post_timeout(mut self, timeout: Duration) -> Self {
        self.post_timeout = timeout;
        self
    }

    fn backoff(&self) -> std::sync::MutexGuard<'_, HashMap<u64, (u32, DateTime<Utc>)>> {
        self.backoff.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn unrecorded(&self) -> std::sync::MutexGuard<'_, HashSet<(u64, String)>> {
        self.unrecorded.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Runs store work (reads and flushed writes) on a blocking thread, off the async workers.
    async fn on_store<T: Send + 'static>(
        &self,
        work: impl FnOnce(&Store) -> T + Send + 'static,
    ) -> Option<T> {
        super::on_store(&self.store, work).await
    }

    /// Records `key` for `channel`; kept in memory until the store has it.
    async fn record(&self, channel: u64, key: String, now: DateTime<Utc>) {
        self.unrecorded().insert((channel, key.clone()));
        let k = key.clone();
        let recorded = self
            .on_store(move |s| s.record_announced(channel, &k, now))
            .await;
        match recorded {
            Some(Ok(())) => {
                self.unrecorded().remove(&(channel, key));
            }
            Some(Err(e)) => {
                tracing::error!(channel, announcement = %key, error = %e, "announcement sent but not recorded; will record again, not post again");
            }
            None => {}
        }
    }

    /// Records what an earlier pass sent but could not record.
    async fn record_pending(&self, now: DateTime<Utc>) {
        let pending: Vec<(u64, String)> = self.unrecorded().iter().cloned().collect();
        for (channel, key) in pending {
            self.record(channel, key, now).await;
        }
    }

    /// A test of whether an announcement went to a channel, for use on a blocking thread: sent
    /// if recorded in the store or known to this process. An unreadable record counts as sent:
    /// better one missing post than a repeated one.
    fn sent_check(&self) -> impl Fn(&Store, u64, &str) -> bool + Send + 'static {
        let pending = self.unrecorded().clone();
        move |store, channel, key| {
            pending.contains(&(channel, key.to_owned()))
                || store.was_announced(channel, key).unwrap_or(true)
        }
    }

    /// Posts one announcement (with its nonce) without recording it.
    pub async fn post(&self, catalogue: &Catalogue, due: &Due) -> Result<(), PostError> {
        let filter = self
            .schedule
            .channels
            .iter()
            .find(|c| c.channel == due.channel);
        let Some(view) = announce::announcement(catalogue, due.id, filter) else {
            return Ok(());
        };
        let message = CreateMessage::new()
            .content(render_announcement(&view))
            .allowed_mentions(CreateAllowedMentions::new())
            .nonce(Nonce::String(nonce(due.channel, &due.id.key())))
            .enforce_nonce(true);
        let channel = ChannelId::new(due.channel);
        let mut tries = 0;
        loop {
            tries += 1;
            let sent = tokio::time::timeout(
                self.post_timeout,
                channel.send_message(&self.http, message.clone()),
            )
            .await
            .map_err(|_| PostError::TimedOut(self.post_timeout))?;
            match sent {
                Ok(_) => return Ok(()),
                Err(e) if is_rate_limited(&e) && tries < RATE_LIMIT_TRIES => {
                    tracing::info!(channel = due.channel, tries, "rate limited; waiting");
                    tokio::time::sleep(self.rate_limit_wait * tries).await;
                }
                Err(e) => return Err(PostError::Discord(e)),
            }
        }
    }

    /// Sends and records `due`, one by one; a failing channel is logged and backed off, and
    /// the others still get theirs.
    async fn send_all(
        &self,
        catalogue: &Catalogue,
        due: Vec<Due>,
        now: DateTime<Utc>,
    ) -> StepOutcome {
        let mut outcome = StepOutcome::default();
        for d in due {
            if self
                .backoff()
                .get(&d.channel)
                .is_some_and(|(_, next)| *next > now)
            {
                continue;
            }
            match self.post(catalogue, &d).await {
                Ok(()) => {
                    self.record(d.channel, d.id.key(), now).await;
                    self.backoff().remove(&d.channel);
                    tracing::info!(channel = d.channel, announcement = %d.id.key(), "announcement sent");
                    crate::metrics::global().announcement_sent();
                    outcome.sent.push(d);
                }
                Err(e) => {
                    let mut backoff = self.backoff();
                    let failures = backoff.get(&d.channel).map_or(0, |(n, _)| *n) + 1;
                    let wait = (FIRST_BACKOFF * 2i32.pow(failures.min(10) - 1)).min(MAX_BACKOFF);
                    backoff.insert(d.channel, (failures, now + wait));
                    tracing::warn!(channel = d.channel, announcement = %d.id.key(), failures, error = %e, "announcement failed; will retry");
                    crate::metrics::global().announcement_failed();
                    outcome.failed.push((d, e.to_string()));
                }
            }
        }
        outcome
    }

    /// One pass: records what an earlier pass could not, then sends everything due at `now`
    /// that has not gone out.
    pub async fn step(&self, now: DateTime<Utc>) -> StepOutcome {
        self.record_pending(now).await;
        let catalogue = self.store.catalogue();
        let (c, schedule, sent) = (
            Arc::clone(&catalogue),
            self.schedule.clone(),
            self.sent_check(),
        );
        let due = self
            .on_store(move |store| {
                announce::due(&schedule, &c, |ch, key| sent(store, ch, key), now)
            })
            .await
            .unwrap_or_default();
        self.send_all(&catalogue, due, now).await
    }

    /// Sends `id` now to every channel that has not had it (an operator's "announce at once").
    pub async fn announce_now(&self, id: AnnouncementId, now: DateTime<Utc>) -> StepOutcome {
        self.record_pending(now).await;
        let catalogue = self.store.catalogue();
        let (channels, sent) = (self.schedule.channels.clone(), self.sent_check());
        let unsent: Vec<u64> = self
            .on_store(move |store| {
                channels
                    .iter()
                    .map(|c| c.channel)
                    .filter(|ch| !sent(store, *ch, &id.key()))
                    .collect()
            })
            .await
            .unwrap_or_default();
        let due = self
            .schedule
            .channels
            .iter()
            .filter(|c| unsent.contains(&c.channel))
            .filter(|c| announce::announcement(&catalogue, id, Some(c)).is_some())
            .map(|c| Due {
                channel: c.channel,
                id,
                at: now,
            })
            .collect();
        self.send_all(&catalogue, due, now).await
    }

    /// When the next pass is worth making.
    pub fn next_wake(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        let mut next = now + MAX_SLEEP;
        if let Some(t) = announce::next_due_time(&self.schedule, &self.store.catalogue(), now) {
            next = next.min(t);
        }
        if !self.unrecorded().is_empty() {
            next = next.min(now + RECORD_RETRY);
        }
        if let Some(t) = super::next_retry(&self.backoff(), now) {
            next = next.min(t);
        }
        next
    }

    /// The scheduler loop: a pass, then sleep to the next due time. Never returns.
    pub async fn run(self: Arc<Self>, clock: Arc<dyn Clock>) {
        if self.schedule.channels.is_empty() {
            tracing::info!("no announcement channels configured");
            return;
        }
        loop {
            let now = clock.now();
            self.step(now).await;
            let wait = (self.next_wake(now) - now)
                .to_std()
                .unwrap_or(Duration::from_secs(1));
            tokio::time::sleep(wait.max(Duration::from_secs(1))).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nonces_are_stable_short_and_distinct() {
        let a = nonce(1, "monthly-2025-10");
        assert_eq!(a, nonce(1, "monthly-2025-10"));
        assert!(a.len() <= 25);
        assert_ne!(a, nonce(2, "monthly-2025-10"));
        assert_ne!(a, nonce(1, "early-2025-10"));
    }
}
