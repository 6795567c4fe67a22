//! Delivery to webhook targets (Teams, Slack, any HTTPS receiver), in `flisbot run` and
//! `flisbot serve` alike. `Deliverer::step(now)` is one pass, driven directly by tests; `run`
//! is the thin loop started once per process.
//!
//! Notices: the store queues them per target in the transaction of the change they tell
//! (`store::Commit`, fanned out like the Discord outbox). Per target and area the queued notices
//! are coalesced as the chat's are and sent as one message once the oldest is `window` old,
//! with a delivery id (`webhook-id`) derived from the target and the notices it covers, then
//! taken off the queue. A send whose record failed is remembered and recorded on the next pass,
//! never sent again; a crash between sending and recording sends it once more with the same id,
//! which the receiver can drop (Standard Webhooks).
//!
//! Announcements: a target with `announcements` gets each one the announcer's schedule makes
//! due, once, recorded per (target, release) in the store the way channels' are.
//!
//! Failures: 5xx, 429 (its `Retry-After` honoured), timeouts and refused connections are
//! retried with a growing pause per target while the others get theirs; a target that keeps
//! failing (`PAUSE_AFTER` tries in a row) is paused: nothing is sent to it, what it follows is
//! still queued, and the operators are told once, in the log and through `OperatorAlert` (a DM
//! to the operators when Discord runs). `admin webhook test` succeeding, or `resume`, resumes it.
//! URLs carry secrets: logs name a target by its name and host only.

pub mod client;
pub mod payload;
pub mod sign;

use crate::views::render::Template;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde_json::json;

use crate::backoff::Backoff;
use crate::clock::{Clock, SystemClock};
use crate::config::Config;
use crate::core::announce::{self, announcement, Schedule, Scheduled};
use crate::core::catalogue::Catalogue;
use crate::core::notify::{coalesce, ready, Coalesced, Notice};
use crate::core::webhook::{shown_url, WebhookTarget};
use crate::error::AppError;
use crate::operations::webhooks::{secret_key, WebhookRefusal};
use crate::store::{Store, StoreError};
use crate::views::notice::notice_content;
use crate::views::render::render_template;
use client::{host_of, Answer, Client, SendError};
use payload::Message;

/// The first pause after a failed delivery; it doubles with each failure in a row.
const FIRST_BACKOFF: chrono::Duration = chrono::Duration::seconds(30);
const MAX_BACKOFF: chrono::Duration = chrono::Duration::hours(1);
/// Failed tries in a row after which a target is paused (about an hour of failing).
pub const PAUSE_AFTER: u32 = 8;
const MAX_SLEEP: chrono::Duration = chrono::Duration::hours(1);

/// Tells the operators something (a target was paused). `true` once they have been told, or
/// when there is nobody else to tell (the log line is always written).
pub trait OperatorAlert: Send + Sync {
    fn tell<'a>(&'a self, text: &'a str) -> Pin<Box<dyn Future<Output = bool> + Send + 'a>>;
}

/// Without Discord (`flisbot serve`) the log line is the operators' only word.
pub struct LogOnly;

impl OperatorAlert for LogOnly {
    fn tell<'a>(&'a self, _text: &'a str) -> Pin<Box<dyn Future<Output = bool> + Send + 'a>> {
        Box::pin(async { true })
    }
}

/// Reads a secret variable's value (the process environment; tests give their own).
pub type Secrets = Arc<dyn Fn(&str) -> Option<String> + Send + Sync>;

/// The process environment, where `--secret-env` names the variable.
pub fn environment() -> Secrets {
    Arc::new(|var| std::env::var(var).ok())
}

/// What the loop needs from the configuration.
#[derive(Clone, Debug)]
pub struct Settings {
    /// Changes to one area within this long become one message (`[notifications] window_secs`).
    pub window: chrono::Duration,
    /// The announcements' time of day and grace (`[announcements]`).
    pub time: (u32, u32),
    pub grace: chrono::Duration,
    /// `[web] public_url`: links to the area's page and the status page.
    pub base: Option<String>,
    /// Every call's total timeout.
    pub timeout: Duration,
}

impl Settings {
    pub fn from_config(config: &Config) -> Result<Settings, AppError> {
        let schedule = config.schedule()?;
        Ok(Settings {
            window: config.notifications.window(),
            time: schedule.time,
            grace: schedule.grace,
            base: config.web.public_url()?,
            timeout: client::TOTAL_TIMEOUT,
        })
    }
}

#[derive(Debug, Default)]
pub struct Outcome {
    /// Notice messages taken (one per target and area).
    pub delivered: usize,
    pub announced: usize,
    /// Groups still inside their window.
    pub waiting: usize,
    pub failed: usize,
    /// Targets paused in this pass.
    pub paused: usize,
    /// Pauses the operators were told of in this pass.
    pub told: usize,
}

/// Why one delivery failed; never names the URL.
#[derive(Debug, thiserror::Error)]
enum Failure {
    #[error("HTTP {status}")]
    Status {
        status: u16,
        retry_after: Option<Duration>,
    },
    #[error(transparent)]
    Send(#[from] SendError),
    #[error("the secret variable {0} is not set or not a Standard Webhooks secret")]
    Secret(String),
}

struct Memory {
    backoff: Backoff<String>,
    /// (target, delivery id) sent but not yet recorded in the store.
    unrecorded: HashSet<(String, String)>,
    /// Why a target was paused, for the operators' message.
    paused_why: HashMap<String, (u32, String)>,
}

pub struct Deliverer {
    store: Arc<Store>,
    client: Client,
    settings: Settings,
    alert: Arc<dyn OperatorAlert>,
    secrets: Secrets,
    /// Signatures carry the time of sending, whatever "now" the schedule runs on.
    wall: Arc<dyn Clock>,
    pause_after: u32,
    memory: Mutex<Memory>,
}

/// The key a message is known by for one target: its delivery id is derived from it.
fn notice_key(group: &Coalesced) -> String {
    let first = group.ids.first().copied().unwrap_or_default();
    let last = group.ids.last().copied().unwrap_or_default();
    format!("notice/{}/{first}/{last}", group.area.as_str())
}

fn announcement_key(s: &Scheduled) -> String {
    format!("announcement/{}", s.id.key())
}

/// Starts delivery on the current runtime, once per process (`flisbot run` and `flisbot serve`).
pub fn start(
    store: Arc<Store>,
    settings: Settings,
    alert: Arc<dyn OperatorAlert>,
    clock: Arc<dyn Clock>,
) -> Result<(), AppError> {
    let deliverer = Deliverer::new(store, settings, alert)?;
    tokio::spawn(Arc::new(deliverer).run(clock));
    Ok(())
}

impl Deliverer {
    pub fn new(
        store: Arc<Store>,
        settings: Settings,
        alert: Arc<dyn OperatorAlert>,
    ) -> Result<Deliverer, AppError> {
        let client = Client::new(settings.timeout).map_err(|e| {
            AppError::Io(std::io::Error::other(format!(
                "the webhook HTTP client cannot be built: {e}"
            )))
        })?;
        Ok(Deliverer {
            store,
            client,
            settings,
            alert,
            secrets: environment(),
            wall: Arc::new(SystemClock),
            pause_after: PAUSE_AFTER,
            memory: Mutex::new(Memory {
                backoff: Backoff::new(FIRST_BACKOFF, MAX_BACKOFF),
                unrecorded: HashSet::new(),
                paused_why: HashMap::new(),
            }),
        })
    }

    /// Where secret variables are read (tests).
    pub fn with_secrets(mut self, secrets: Secrets) -> Self {
        self.secrets = secrets;
        self
    }

    /// Failed tries in a row before a target is paused (tests).
    pub fn with_pause_after(mut self, tries: u32) -> Self {
        self.pause_after = tries.max(1);
        self
    }

    fn memory(&self) -> std::sync::MutexGuard<'_, Memory> {
        self.memory.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Store work on a blocking thread (reads, and flushed writes), off the async workers.
    async fn store<T: Send + 'static>(
        &self,
        work: impl FnOnce(&Store) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        crate::blocking::on_store(&self.store, work)
            .await
            .unwrap_or_else(|| {
                Err(StoreError::Sled(sled::Error::Io(std::io::Error::other(
                    "store task failed",
                ))))
            })
    }

    /// One pass: what earlier passes sent but could not record, every target's notices and
    /// announcements, and the operators told of pauses.
    pub async fn step(&self, now: DateTime<Utc>) -> Outcome {
        let mut outcome = Outcome::default();
        let read = self
            .store(|s| Ok((s.webhook_targets()?, s.webhook_outbox()?)))
            .await;
        let (targets, queued) = match read {
            Ok(r) => r,
            Err(e) => {
                tracing::error!(error = %e, "cannot read the webhook targets");
                return outcome;
            }
        };
        let catalogue = self.store.catalogue();
        let mut per_target: BTreeMap<String, Vec<Notice>> = BTreeMap::new();
        for (name, notice) in queued {
            per_target.entry(name).or_default().push(notice);
        }
        for target in &targets {
            if target.paused {
                continue;
            }
            let waiting = self.memory().backoff.waiting(&target.name, now);
            if waiting {
                continue;
            }
            let notices = per_target.remove(&target.name).unwrap_or_default();
            let delivered = self
                .deliver_notices(target, &notices, &catalogue, now, &mut outcome)
                .await;
            if delivered && target.announcements {
                self.deliver_announcements(target, &catalogue, now, &mut outcome)
                    .await;
            }
        }
        self.tell_operators(&targets, &mut outcome).await;
        outcome
    }

    /// The target's notices, coalesced per area; `false` when a delivery failed (the rest
    /// waits for the next try).
    async fn deliver_notices(
        &self,
        target: &WebhookTarget,
        notices: &[Notice],
        catalogue: &Catalogue,
        now: DateTime<Utc>,
        outcome: &mut Outcome,
    ) -> bool {
        for group in coalesce(notices) {
            if !ready(&group, now, self.settings.window) {
                outcome.waiting += 1;
                continue;
            }
            let covered = group.covered(notices);
            let key = notice_key(&group);
            let id = sign::delivery_id(&target.name, &key);
            let sent_before = self
                .memory()
                .unrecorded
                .contains(&(target.name.clone(), id.clone()));
            let content = notice_content(&group, catalogue, now);
            if let (false, Some(content)) = (sent_before, &content) {
                let message = Message::Notice {
                    content,
                    before: &group.before,
                    after: &group.after,
                    release: group.release,
                    at: group.first_at,
                };
                if let Err(e) = self.send(target, &id, &message, now).await {
                    self.failed(target, &e, now, outcome).await;
                    return false;
                }
                outcome.delivered += 1;
            }
            // Sent, sent before, or changes that cancel out: off the queue.
            self.mark_delivered(&target.name, id, covered).await;
        }
        true
    }

    async fn mark_delivered(&self, name: &str, id: String, notices: Vec<Notice>) {
        let entry = (name.to_owned(), id);
        self.memory().unrecorded.insert(entry.clone());
        let owned = name.to_owned();
        match self
            .store(move |s| s.webhook_delivered(&owned, &notices))
            .await
        {
            Ok(()) => {
                self.memory().unrecorded.remove(&entry);
            }
            Err(e) => {
                tracing::error!(target = name, error = %e, "webhook notice sent but not recorded; will record again, not send again")
            }
        }
    }

    async fn deliver_announcements(
        &self,
        target: &WebhookTarget,
        catalogue: &Catalogue,
        now: DateTime<Utc>,
        outcome: &mut Outcome,
    ) {
        let filter = target.announcement_filter();
        for s in announce::come(catalogue, self.settings.time, self.settings.grace, now) {
            let key = s.id.key();
            let id = sign::delivery_id(&target.name, &announcement_key(&s));
            let (name, k) = (target.name.clone(), key.clone());
            let recorded = self
                .store(move |st| st.webhook_was_announced(&name, &k))
                .await
                // An unreadable record counts as sent: better one missing than one twice.
                .unwrap_or(true);
            let pending = self
                .memory()
                .unrecorded
                .contains(&(target.name.clone(), id.clone()));
            if recorded && !pending {
                continue;
            }
            if !pending {
                let Some(view) = announcement(catalogue, s.id, Some(&filter)) else {
                    continue;
                };
                let message = Message::Announcement {
                    key: key.clone(),
                    kind: s.id.kind,
                    release_month: s.id.release_month,
                    day: s.day,
                    at: s.at,
                    view: &view,
                };
                if let Err(e) = self.send(target, &id, &message, now).await {
                    self.failed(target, &e, now, outcome).await;
                    return;
                }
                outcome.announced += 1;
                tracing::info!(target = %target.name, announcement = %key, "announcement sent to a webhook target");
            }
            let entry = (target.name.clone(), id);
            self.memory().unrecorded.insert(entry.clone());
            let name = target.name.clone();
            match self
                .store(move |st| st.record_webhook_announced(&name, &key, now))
                .await
            {
                Ok(()) => {
                    self.memory().unrecorded.remove(&entry);
                }
                Err(e) => {
                    tracing::error!(target = %target.name, error = %e, "announcement sent but not recorded; will record again, not send again")
                }
            }
        }
    }

    /// Sends `message` to `target` as its kind expects, signed where it has a secret.
    async fn send(
        &self,
        target: &WebhookTarget,
        id: &str,
        message: &Message<'_>,
        now: DateTime<Utc>,
    ) -> Result<Answer, Failure> {
        let answer = post(
            &self.client,
            target,
            id,
            message,
            self.settings.base.as_deref(),
            &self.secrets,
            self.wall.now(),
            now,
        )
        .await?;
        if answer.ok() {
            self.memory().backoff.clear(&target.name);
            Ok(answer)
        } else {
            Err(Failure::Status {
                status: answer.status,
                retry_after: answer.retry_after,
            })
        }
    }

    /// A failed delivery: the target waits longer each time (at least what `Retry-After` says),
    /// and after `pause_after` failures in a row it is paused.
    async fn failed(
        &self,
        target: &WebhookTarget,
        e: &Failure,
        now: DateTime<Utc>,
        outcome: &mut Outcome,
    ) {
        outcome.failed += 1;
        let host = host_of(&target.url);
        let failures = {
            let mut memory = self.memory();
            let retry_after = match e {
                Failure::Status {
                    retry_after: Some(after),
                    ..
                } => Some(chrono::Duration::from_std(*after).unwrap_or(MAX_BACKOFF)),
                _ => None,
            };
            memory.backoff.failed(target.name.clone(), now, retry_after)
        };
        tracing::warn!(target = %target.name, host = %host, failures, error = %e, "webhook delivery failed; will retry");
        if failures < self.pause_after {
            return;
        }
        let name = target.name.clone();
        let paused = self
            .store(move |s| {
                s.update_webhook_state(&name, |t| {
                    t.paused = true;
                    t.told = false;
                })
            })
            .await;
        match paused {
            Ok(_) => {
                tracing::warn!(target = %target.name, host = %host, failures, error = %e, "webhook target paused after repeated failures; what it follows is kept for it; `flisbot admin webhook test` or `resume` resumes it");
                let mut memory = self.memory();
                memory.backoff.clear(&target.name);
                memory
                    .paused_why
                    .insert(target.name.clone(), (failures, e.to_string()));
                outcome.paused += 1;
            }
            Err(e) => {
                tracing::error!(target = %target.name, error = %e, "cannot pause a webhook target")
            }
        }
    }

    /// Tells the operators of every paused target they have not been told of.
    async fn tell_operators(&self, before: &[WebhookTarget], outcome: &mut Outcome) {
        // Pauses of this pass are in the store, not in `before`.
        let targets = match self.store(|s| s.webhook_targets()).await {
            Ok(t) => t,
            Err(_) => before.to_vec(),
        };
        for t in targets.iter().filter(|t| t.paused && !t.told) {
            let why = self.memory().paused_why.get(&t.name).cloned();
            let text = render_template(
                Template::Webhook,
                &json!({
                    "kind": "paused",
                    "name": t.name,
                    "target_kind": t.kind,
                    "address": shown_url(&t.url),
                    "failures": why.as_ref().map(|w| w.0),
                    "error": why.as_ref().map(|w| w.1.clone()),
                }),
            );
            if !self.alert.tell(&text).await {
                continue;
            }
            let name = t.name.clone();
            if self
                .store(move |s| s.update_webhook_state(&name, |t| t.told = true))
                .await
                .is_ok()
            {
                self.memory().paused_why.remove(&t.name);
                outcome.told += 1;
            }
        }
    }

    /// When the next pass is worth making without a new change in the store.
    pub fn next_wake(&self, now: DateTime<Utc>, outcome: &Outcome) -> DateTime<Utc> {
        let mut next = now + MAX_SLEEP;
        if outcome.waiting > 0 {
            next = next.min(now + chrono::Duration::seconds(5));
        }
        let schedule = Schedule {
            time: self.settings.time,
            grace: self.settings.grace,
            channels: Vec::new(),
        };
        if let Some(t) = announce::next_due_time(&schedule, &self.store.catalogue(), now) {
            next = next.min(t);
        }
        let memory = self.memory();
        if let Some(t) = memory.backoff.next_retry(now) {
            next = next.min(t);
        }
        if !memory.unrecorded.is_empty() {
            next = next.min(now + chrono::Duration::seconds(30));
        }
        next
    }

    /// The loop: a pass, then wait until something changed in the store or the next wake.
    pub async fn run(self: Arc<Self>, clock: Arc<dyn Clock>) {
        loop {
            let generation = self.store.generation();
            let now = clock.now();
            let outcome = self.step(now).await;
            let wake = self.next_wake(now, &outcome);
            crate::blocking::changed_or(&self.store, generation, clock.as_ref(), wake).await;
        }
    }
}

/// POSTs `message` to `target`: its kind's body, `webhook-id` and `webhook-timestamp` (the
/// time of sending, `sent`), and for a target with a secret `webhook-signature`.
#[allow(clippy::too_many_arguments)]
async fn post(
    client: &Client,
    target: &WebhookTarget,
    id: &str,
    message: &Message<'_>,
    base: Option<&str>,
    secrets: &Secrets,
    sent: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<Answer, Failure> {
    let body = payload::body(target.kind, id, message, base);
    let timestamp = sent.timestamp();
    let mut headers = vec![
        ("webhook-id", id.to_owned()),
        ("webhook-timestamp", timestamp.to_string()),
    ];
    if let Some(var) = &target.secret_env {
        let key = secrets(var)
            .and_then(|v| secret_key(&v))
            .ok_or_else(|| Failure::Secret(var.clone()))?;
        headers.push((
            "webhook-signature",
            sign::signature(&key, id, timestamp, &body),
        ));
    }
    Ok(client.post(&target.url, &headers, body, now).await?)
}

/// The target `name`, or the refusal that there is none. Blocking: a store read.
pub fn target_named(store: &Store, name: &str) -> Result<WebhookTarget, AppError> {
    store.webhook_target(name.trim())?.ok_or_else(|| {
        WebhookRefusal::Unknown {
            name: crate::core::text::echo(name, 40),
        }
        .into()
    })
}

/// `admin webhook test NAME`, `/webhook test`: a sample sent to `target` now (paused or not),
/// signed like every delivery; the receiver's answer, or why there was none.
pub async fn send_sample(
    target: &WebhookTarget,
    secrets: &Secrets,
    now: DateTime<Utc>,
) -> Result<Answer, String> {
    let client = Client::new(client::TOTAL_TIMEOUT).map_err(|e| e.without_url().to_string())?;
    let id = sign::delivery_id(&target.name, &format!("test/{}", now.timestamp_millis()));
    let message = Message::Sample {
        name: &target.name,
        announcements: target.announcements,
        at: now,
    };
    post(
        &client,
        target,
        &id,
        &message,
        None,
        secrets,
        Utc::now(),
        now,
    )
    .await
    .map_err(|e| e.to_string())
}

/// A paused target that took the sample is resumed; whether it was. Blocking: a flushed write.
pub fn resume_if_taken(
    store: &Store,
    target: &WebhookTarget,
    sent: &Result<Answer, String>,
) -> Result<bool, AppError> {
    if !(target.paused && sent.as_ref().is_ok_and(Answer::ok)) {
        return Ok(false);
    }
    store.update_webhook_state(&target.name, |t| {
        t.paused = false;
        t.told = false;
    })?;
    tracing::info!(target = %target.name, "a paused webhook target took a test and is resumed");
    Ok(true)
}

/// What a test says: the receiver's status and the start of its answer, or why nothing came.
pub fn test_text(target: &WebhookTarget, sent: &Result<Answer, String>, resumed: bool) -> String {
    let address = shown_url(&target.url);
    let view = match sent {
        Ok(a) => json!({
            "kind": "test", "sent": true, "name": target.name, "address": address,
            "status": a.status, "reason": a.reason, "ok": a.ok(),
            "body": crate::core::text::echo(&a.body, 500), "resumed": resumed,
        }),
        Err(e) => json!({
            "kind": "test", "sent": false, "name": target.name, "address": address, "error": e,
        }),
    };
    render_template(Template::Webhook, &view)
}

/// The whole test from a thread that is not on an async runtime (the command line, the control
/// socket's threads).
pub fn test_blocking(store: &Store, name: &str, now: DateTime<Utc>) -> Result<String, AppError> {
    let target = target_named(store, name)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let sent = runtime.block_on(send_sample(&target, &environment(), now));
    let resumed = resume_if_taken(store, &target, &sent)?;
    Ok(test_text(&target, &sent, resumed))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_name_the_area_and_the_notices_covered() {
        let c = crate::core::catalogue::default_catalogue();
        let krl = c.area(crate::core::catalogue::AreaId::Krl).unwrap().clone();
        let group = Coalesced {
            area: krl.id,
            before: krl.clone(),
            after: krl,
            release: None,
            ids: vec![3, 5, 8],
            first_at: "2025-10-10T08:00:00Z".parse().unwrap(),
        };
        assert_eq!(notice_key(&group), "notice/krl/3/8");
    }
}
