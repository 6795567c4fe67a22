//! Delivers what the outbox holds and keeps the status boards current. `step(now)` is one pass,
//! driven directly by tests; `run` is the thin loop started once per process.
//!
//! Notices: the outbox is written in the transaction of the change it tells (`store::Commit`),
//! so a committed change is always delivered, also after a crash. Per recipient and area the
//! queued notices are sent as one message once the oldest is `window` old, with a nonce per
//! (recipient, first notice) and `enforce_nonce`, then removed from the outbox. A failing
//! recipient is backed off and the others still get theirs; a user whose DMs are closed
//! (Discord 50007) has the subscription paused (and its queue dropped): no retry storm.
//!
//! Boards: one message per channel, posted once and then edited in place (PATCH) when its text
//! changes (a change in the catalogue, or the day after midnight Copenhagen time), at most once
//! per `BOARD_EDIT_GAP`; a deleted message is posted anew at once (Discord's MESSAGE_DELETE) or
//! at the next edit (404), and remembered.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use poise::serenity_prelude as serenity;
use serenity::{ChannelId, CreateAllowedMentions, Http, RoleId};

use super::send::{self, dm_channel, within, SendError};
use crate::backoff::Backoff;
use crate::clock::Clock;
use crate::core::catalogue::Catalogue;
use crate::core::danish_time::danish_today;
use crate::core::notify::{coalesce, ready, Notice, Target};
use crate::store::Store;
use crate::views::notice::{board_text, render_notice};

/// Changes to one area within this long become one message (configurable).
pub const DEFAULT_WINDOW: chrono::Duration = chrono::Duration::minutes(2);
/// A board is edited at most once in this long.
pub const BOARD_EDIT_GAP: chrono::Duration = chrono::Duration::seconds(10);
const FIRST_BACKOFF: chrono::Duration = chrono::Duration::minutes(1);
const MAX_BACKOFF: chrono::Duration = chrono::Duration::hours(6);
const MAX_SLEEP: chrono::Duration = chrono::Duration::hours(1);

/// Discord: "Cannot send messages to this user" (closed DMs, blocked, no shared server).
const CANNOT_DM: isize = 50007;

#[derive(Debug, Default)]
pub struct NotifyOutcome {
    /// Messages sent (one per recipient and area).
    pub delivered: usize,
    /// Groups still inside their window.
    pub waiting: usize,
    pub failed: usize,
    /// Subscriptions paused because Discord cannot DM the user.
    pub paused: usize,
    pub boards_posted: usize,
    pub boards_edited: usize,
}

/// What a board last showed, and when it was last posted or edited.
#[derive(Clone)]
struct Shown {
    text: String,
    at: DateTime<Utc>,
}

pub struct Notifier {
    http: Arc<Http>,
    store: Arc<Store>,
    window: chrono::Duration,
    post_timeout: Duration,
    /// Failing recipients and when to try each again.
    backoff: Mutex<Backoff<Target>>,
    /// A user's DM channel, once Discord has given it.
    dm_channels: Mutex<HashMap<u64, u64>>,
    boards: Mutex<HashMap<u64, Shown>>,
    /// Sent but not yet removed from the outbox (the store write failed): (target, notice ids).
    unrecorded: Mutex<HashSet<(Target, u64)>>,
    /// One board pass at a time (the loop and `/statustavle`), so a board is never posted twice.
    board_pass: tokio::sync::Mutex<()>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// The first instant after the next midnight in Copenhagen.
fn next_midnight(now: DateTime<Utc>) -> DateTime<Utc> {
    let tomorrow = danish_today(now).succ_opt().unwrap_or(danish_today(now));
    chrono_tz::Europe::Copenhagen
        .from_local_datetime(&tomorrow.and_hms_opt(0, 0, 1).unwrap_or_default())
        .earliest()
        .map_or(now + MAX_SLEEP, |t| t.with_timezone(&Utc))
}

impl Notifier {
    pub fn new(http: Arc<Http>, store: Arc<Store>) -> Self {
        Notifier {
            http,
            store,
            window: DEFAULT_WINDOW,
            post_timeout: Duration::from_secs(60),
            backoff: Mutex::new(Backoff::new(FIRST_BACKOFF, MAX_BACKOFF)),
            dm_channels: Mutex::new(HashMap::new()),
            boards: Mutex::new(HashMap::new()),
            unrecorded: Mutex::new(HashSet::new()),
            board_pass: tokio::sync::Mutex::new(()),
        }
    }

    /// Changes to one area within `window` become one message.
    pub fn with_window(mut self, window: chrono::Duration) -> Self {
        self.window = window;
        self
    }

    pub fn with_post_timeout(mut self, timeout: Duration) -> Self {
        self.post_timeout = timeout;
        self
    }

    async fn on_store<T: Send + 'static>(
        &self,
        work: impl FnOnce(&Store) -> T + Send + 'static,
    ) -> Option<T> {
        crate::blocking::on_store(&self.store, work).await
    }

    /// One pass: the outbox, then the boards.
    pub async fn step(&self, now: DateTime<Utc>) -> NotifyOutcome {
        let mut outcome = NotifyOutcome::default();
        let catalogue = self.store.catalogue();
        self.deliver_outbox(&catalogue, now, &mut outcome).await;
        self.update_boards(&catalogue, now, &mut outcome).await;
        outcome
    }

    /// The boards alone, now (a board just set up is posted at once).
    pub async fn update_boards_now(&self, now: DateTime<Utc>) -> NotifyOutcome {
        let mut outcome = NotifyOutcome::default();
        let catalogue = self.store.catalogue();
        self.update_boards(&catalogue, now, &mut outcome).await;
        outcome
    }

    async fn deliver_outbox(
        &self,
        catalogue: &Catalogue,
        now: DateTime<Utc>,
        outcome: &mut NotifyOutcome,
    ) {
        let queued = match self.on_store(|s| s.outbox()).await {
            Some(Ok(q)) => q,
            Some(Err(e)) => {
                tracing::error!(error = %e, "cannot read the outbox");
                return;
            }
            None => return,
        };
        let mut per_target: BTreeMap<Target, Vec<Notice>> = BTreeMap::new();
        for q in queued {
            per_target.entry(q.target).or_default().push(q.notice);
        }
        for (target, notices) in per_target {
            if lock(&self.backoff).waiting(&target, now) {
                continue;
            }
            let role = match target {
                Target::Channel(_) => self
                    .on_store(move |s| s.subscription(target))
                    .await
                    .and_then(Result::ok)
                    .flatten()
                    .and_then(|s| s.role),
                Target::User(_) => None,
            };
            for group in coalesce(&notices) {
                if !ready(&group, now, self.window) {
                    outcome.waiting += 1;
                    continue;
                }
                let covered = group.covered(&notices);
                let first = group.ids[0];
                if lock(&self.unrecorded).contains(&(target, first)) {
                    self.mark_delivered(target, covered, first).await;
                    continue;
                }
                let Some(text) = render_notice(&group, catalogue, now, role) else {
                    // The changes cancel out: nothing to tell.
                    self.mark_delivered(target, covered, first).await;
                    continue;
                };
                let key = format!("{}-{}-{first}", target.key(), group.area.as_str());
                match self.send(target, &text, role, &key).await {
                    Ok(()) => {
                        lock(&self.backoff).clear(&target);
                        self.mark_delivered(target, covered, first).await;
                        outcome.delivered += 1;
                    }
                    Err(e) if e.code().is_some_and(|(_, c)| c == CANNOT_DM) => {
                        self.pause(target).await;
                        outcome.paused += 1;
                        break;
                    }
                    Err(e) => {
                        let failures = lock(&self.backoff).failed(target, now, None);
                        // The target kind only: no user id in the logs.
                        tracing::warn!(recipient = kind(target), failures, error = %e, "notice not delivered; will retry");
                        outcome.failed += 1;
                        break;
                    }
                }
            }
        }
    }

    /// Removes what was sent from the outbox; remembered in memory if the store write fails,
    /// so it is recorded again next pass, never sent again.
    async fn mark_delivered(&self, target: Target, notices: Vec<Notice>, first: u64) {
        lock(&self.unrecorded).insert((target, first));
        match self.on_store(move |s| s.delivered(target, &notices)).await {
            Some(Ok(())) => {
                lock(&self.unrecorded).remove(&(target, first));
            }
            Some(Err(e)) => {
                tracing::error!(error = %e, "notice sent but not marked delivered; will mark again");
            }
            None => {}
        }
    }

    async fn pause(&self, target: Target) {
        let paused = self
            .on_store(move |s| {
                s.update_subscription(target, |sub| {
                    sub.map(|mut sub| {
                        sub.paused = true;
                        sub.told = false;
                        sub
                    })
                })
            })
            .await;
        match paused {
            Some(Ok(_)) => tracing::info!("a user's DMs are closed; their subscription is paused"),
            Some(Err(e)) => tracing::error!(error = %e, "cannot pause a subscription"),
            None => {}
        }
    }

    async fn channel_of(&self, target: Target) -> Result<ChannelId, SendError> {
        match target {
            Target::Channel(id) => Ok(ChannelId::new(id)),
            Target::User(user) => {
                if let Some(c) = lock(&self.dm_channels).get(&user) {
                    return Ok(ChannelId::new(*c));
                }
                let dm = dm_channel(&self.http, user, self.post_timeout).await?;
                lock(&self.dm_channels).insert(user, dm.get());
                Ok(dm)
            }
        }
    }

    async fn send(
        &self,
        target: Target,
        text: &str,
        role: Option<u64>,
        key: &str,
    ) -> Result<(), SendError> {
        let channel = self.channel_of(target).await?;
        // The only ping flisbot sends: a channel's own opt-in role, named and nothing else.
        let mut message = send::text(text);
        if let Some(r) = role {
            message =
                message.allowed_mentions(CreateAllowedMentions::new().roles([RoleId::new(r)]));
        }
        let message = send::once(message, channel.get(), key);
        within(self.post_timeout, channel.send_message(&self.http, message)).await?;
        Ok(())
    }

    async fn post_board(&self, channel: u64, text: &str) -> Result<u64, SendError> {
        let posted = within(
            self.post_timeout,
            ChannelId::new(channel).send_message(&self.http, send::text(text)),
        )
        .await?;
        Ok(posted.id.get())
    }

    async fn edit_board(&self, channel: u64, message: u64, text: &str) -> Result<(), SendError> {
        within(
            self.post_timeout,
            ChannelId::new(channel).edit_message(&self.http, message, send::edit(text)),
        )
        .await?;
        Ok(())
    }

    /// Posts a board anew and remembers its message (unless it was removed meanwhile).
    async fn repost(&self, channel: u64, text: &str, now: DateTime<Utc>) -> bool {
        match self.post_board(channel, text).await {
            Ok(id) => {
                lock(&self.boards).insert(
                    channel,
                    Shown {
                        text: text.to_owned(),
                        at: now,
                    },
                );
                match self
                    .on_store(move |s| s.set_board_message(channel, id))
                    .await
                {
                    Some(Ok(_)) => {}
                    Some(Err(e)) => {
                        tracing::error!(channel, error = %e, "board posted but not recorded")
                    }
                    None => {}
                }
                true
            }
            Err(e) => {
                tracing::warn!(channel, error = %e, "cannot post the status board");
                self.mark_tried(channel, now);
                false
            }
        }
    }

    /// A failed post or edit waits the edit gap before the next try.
    fn mark_tried(&self, channel: u64, now: DateTime<Utc>) {
        lock(&self.boards)
            .entry(channel)
            .and_modify(|s| s.at = now)
            .or_insert(Shown {
                text: String::new(),
                at: now,
            });
    }

    async fn update_boards(
        &self,
        catalogue: &Catalogue,
        now: DateTime<Utc>,
        outcome: &mut NotifyOutcome,
    ) {
        let _pass = self.board_pass.lock().await;
        let boards = match self.on_store(|s| s.boards()).await {
            Some(Ok(b)) => b,
            Some(Err(e)) => {
                tracing::error!(error = %e, "cannot read the boards");
                return;
            }
            None => return,
        };
        lock(&self.boards).retain(|c, _| boards.iter().any(|(b, _)| b == c));
        if boards.is_empty() {
            return;
        }
        let text = board_text(catalogue, now);
        for (channel, board) in boards {
            let shown = lock(&self.boards).get(&channel).cloned();
            if shown.as_ref().is_some_and(|s| s.text == text) {
                continue;
            }
            if shown.as_ref().is_some_and(|s| s.at + BOARD_EDIT_GAP > now) {
                outcome.waiting += 1;
                continue;
            }
            let Some(message) = board.message_id else {
                if self.repost(channel, &text, now).await {
                    outcome.boards_posted += 1;
                }
                continue;
            };
            match self.edit_board(channel, message, &text).await {
                Ok(()) => {
                    lock(&self.boards).insert(
                        channel,
                        Shown {
                            text: text.clone(),
                            at: now,
                        },
                    );
                    outcome.boards_edited += 1;
                }
                Err(e) if e.code().is_some_and(|(status, _)| status == 404) => {
                    tracing::info!(
                        channel,
                        "the status board's message is gone; posting it anew"
                    );
                    if self.repost(channel, &text, now).await {
                        outcome.boards_posted += 1;
                    }
                }
                Err(e) => {
                    tracing::warn!(channel, error = %e, "cannot edit the status board");
                    self.mark_tried(channel, now);
                    outcome.failed += 1;
                }
            }
        }
    }

    /// A message was deleted in Discord (MESSAGE_DELETE, MESSAGE_DELETE_BULK): if it was
    /// `channel`'s board, forget it and post the board anew at once, without waiting for a
    /// change or the edit gap. Returns whether a board was posted.
    pub async fn board_deleted(&self, channel: u64, deleted: Vec<u64>, now: DateTime<Utc>) -> bool {
        match self
            .on_store(move |s| s.forget_board_message(channel, &deleted))
            .await
        {
            Some(Ok(true)) => {}
            Some(Ok(false)) | None => return false,
            Some(Err(e)) => {
                tracing::error!(channel, error = %e, "cannot forget a deleted status board");
                return false;
            }
        }
        tracing::info!(
            channel,
            "the status board's message was deleted; posting it anew"
        );
        lock(&self.boards).remove(&channel);
        let mut outcome = NotifyOutcome::default();
        self.update_boards(&self.store.catalogue(), now, &mut outcome)
            .await;
        outcome.boards_posted > 0
    }

    /// When the next pass is worth making without a new change in the store.
    pub fn next_wake(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        let mut next = (now + MAX_SLEEP).min(next_midnight(now));
        // Groups in their window, and boards waiting for the edit gap, are looked at again soon.
        next = next.min(now + chrono::Duration::seconds(5));
        if let Some(t) = lock(&self.backoff).next_retry(now) {
            next = next.min(t);
        }
        next
    }

    /// The loop: a pass, then wait until something changed in the store or the next wake.
    pub async fn run(self: Arc<Self>, clock: Arc<dyn Clock>) {
        loop {
            let generation = self.store.generation();
            let now = clock.now();
            self.step(now).await;
            let wake = self.next_wake(now);
            crate::blocking::changed_or(&self.store, generation, clock.as_ref(), wake).await;
        }
    }
}

fn kind(target: Target) -> &'static str {
    match target {
        Target::User(_) => "user",
        Target::Channel(_) => "channel",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_next_midnight_is_copenhagens() {
        let t = next_midnight("2025-10-10T20:00:00Z".parse().unwrap());
        assert_eq!(t, "2025-10-10T22:00:01Z".parse::<DateTime<Utc>>().unwrap());
        let winter = next_midnight("2025-12-10T10:00:00Z".parse().unwrap());
        assert_eq!(
            winter,
            "2025-12-10T23:00:01Z".parse::<DateTime<Utc>>().unwrap()
        );
    }
}
