//! Sends the release announcements `announce::due` says are due, and records each in the store.
//! `step(now)` is one pass, driven directly by tests; `run` is the thin loop that sleeps between
//! passes, started once per process (not on every READY).
//!
//! Exactly once rests on three things: the record in the store (across restarts), the set of
//! posts sent but not yet recorded (kept in memory and recorded again on the next pass, so a
//! failed record never causes a second post), and the per-(channel, release) nonce with
//! `enforce_nonce`, which covers a crash between post and record only for the few minutes
//! Discord remembers nonces.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};
use poise::serenity_prelude as serenity;
use serenity::{ChannelId, Http};

use super::send::{self, within, SendError};

use crate::backoff::Backoff;
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
    /// Failing channels and when to try each again.
    backoff: Mutex<Backoff<u64>>,
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

impl Announcer {
    pub fn new(http: Arc<Http>, store: Arc<Store>, schedule: Schedule) -> Self {
        Announcer {
            http,
            store,
            schedule,
            backoff: Mutex::new(Backoff::new(FIRST_BACKOFF, MAX_BACKOFF)),
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

    fn backoff(&self) -> std::sync::MutexGuard<'_, Backoff<u64>> {
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
        crate::blocking::on_store(&self.store, work).await
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
    pub async fn post(&self, catalogue: &Catalogue, due: &Due) -> Result<(), SendError> {
        let filter = self
            .schedule
            .channels
            .iter()
            .find(|c| c.channel == due.channel);
        let Some(view) = announce::announcement(catalogue, due.id, filter) else {
            return Ok(());
        };
        let message = send::once(
            send::text(&render_announcement(&view)),
            due.channel,
            &due.id.key(),
        );
        let channel = ChannelId::new(due.channel);
        let mut tries = 0;
        loop {
            tries += 1;
            let sent = within(
                self.post_timeout,
                channel.send_message(&self.http, message.clone()),
            )
            .await;
            match sent {
                Ok(_) => return Ok(()),
                Err(e)
                    if e.code().is_some_and(|(status, _)| status == 429)
                        && tries < RATE_LIMIT_TRIES =>
                {
                    tracing::info!(channel = due.channel, tries, "rate limited; waiting");
                    tokio::time::sleep(self.rate_limit_wait * tries).await;
                }
                Err(e) => return Err(e),
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
            if self.backoff().waiting(&d.channel, now) {
                continue;
            }
            match self.post(catalogue, &d).await {
                Ok(()) => {
                    self.record(d.channel, d.id.key(), now).await;
                    self.backoff().clear(&d.channel);
                    tracing::info!(channel = d.channel, announcement = %d.id.key(), "announcement sent");
                    crate::metrics::global().announcement_sent();
                    outcome.sent.push(d);
                }
                Err(e) => {
                    let failures = self.backoff().failed(d.channel, now, None);
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
        if let Some(t) = self.backoff().next_retry(now) {
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
