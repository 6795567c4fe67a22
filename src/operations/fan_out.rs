//! Who hears of a change: the policy the outboxes are filled by, read under the writer (where
//! subscriptions and webhook targets change too) and written by the store in the change's own
//! transaction (`Commit::notices`). A user or channel hears of an area it follows, directly or
//! through its group, unless it is paused; a webhook target of every area it covers, paused
//! or not (a pause holds delivery back; it loses nothing).

use crate::core::notify::Notice;
use crate::store::{Addressed, StoreError, Writer};

/// `notices` with their recipients as they stand under `writer`; nothing is read for none.
pub(super) fn address(
    writer: &Writer<'_>,
    notices: Vec<Notice>,
) -> Result<Vec<Addressed>, StoreError> {
    if notices.is_empty() {
        return Ok(Vec::new());
    }
    let subscriptions = writer.subscriptions()?;
    let targets = writer.webhook_targets()?;
    Ok(notices
        .into_iter()
        .map(|notice| Addressed {
            targets: subscriptions
                .iter()
                .filter(|(_, sub)| sub.follows(&notice.after))
                .map(|(target, _)| *target)
                .collect(),
            webhooks: targets
                .iter()
                .filter(|t| t.covers(&notice.after))
                .map(|t| t.name.clone())
                .collect(),
            notice,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use chrono::Utc;

    use super::*;
    use crate::core::catalogue::{AreaId, State};
    use crate::core::notify::{Target, Topic};
    use crate::core::webhook::{WebhookKind, WebhookTarget};
    use crate::operations::WriteToken;
    use crate::store::{Commit, Store, StoreError};
    use crate::test_support::TempStore;

    /// Turns KRL down, or back up when it is down, with the notice that tells it.
    fn krl_down(store: &Store) -> (Commit, Vec<Notice>) {
        let before = store.catalogue().area(AreaId::Krl).unwrap().clone();
        let mut after = before.clone();
        after.state = if before.state == State::Down {
            State::Ok
        } else {
            State::Down
        };
        let notice = crate::core::notify::notice(
            &before,
            &after,
            &crate::core::history::Action::Set,
            Utc::now(),
        );
        let commit = Commit {
            areas: vec![after],
            ..Commit::default()
        };
        (commit, notice.into_iter().collect())
    }

    /// Commits under the writer with the notices addressed as `execute` addresses them.
    fn commit(
        store: &Store,
        (mut commit, notices): (Commit, Vec<Notice>),
    ) -> Result<Vec<u64>, StoreError> {
        let writer = store.writer(&WriteToken::GRANTED);
        commit.notices = address(&writer, notices)?;
        writer.commit(commit)
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
        let store = TempStore::new();
        follow(&store, Target::User(1), Topic::Area(AreaId::Krl));
        let group = store.catalogue().area(AreaId::Krl).unwrap().group;
        follow(&store, Target::Channel(2), Topic::Group(group));
        follow(&store, Target::User(3), Topic::Area(AreaId::Dream));
        store.fail_next_writes(1);
        assert!(commit(&store, krl_down(&store)).is_err());
        assert!(
            store.outbox().unwrap().is_empty(),
            "nothing without a commit"
        );
        commit(&store, krl_down(&store)).unwrap();
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
        let counts = crate::operations::subscriptions::counts(
            &store.subscriptions().unwrap(),
            &store.catalogue(),
        );
        let krl = counts.iter().find(|c| c.0 == AreaId::Krl).unwrap();
        assert_eq!((krl.1, krl.2), (1, 0));
    }

    #[test]
    fn a_paused_subscription_queues_nothing_and_drops_its_queue() {
        let store = TempStore::new();
        follow(&store, Target::User(1), Topic::Area(AreaId::Krl));
        commit(&store, krl_down(&store)).unwrap();
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
        commit(&store, krl_down(&store)).unwrap();
        commit(&store, krl_down(&store)).unwrap();
        assert!(store.outbox().unwrap().is_empty(), "paused: nothing queued");
        assert!(store.subscription(Target::User(1)).unwrap().unwrap().paused);
    }

    fn target(name: &str, topics: &[Topic]) -> WebhookTarget {
        let url = format!("https://example.org/{name}/secret");
        crate::test_support::webhook_target(name, &url, WebhookKind::Slack, topics)
    }

    fn put(store: &Store, t: WebhookTarget) {
        store
            .test_commit(Commit {
                webhooks: vec![(t.name.clone(), Some(t))],
                ..Commit::default()
            })
            .unwrap();
    }

    /// Queued in the change's own transaction for the targets that cover the area, paused ones
    /// too; a failed commit queues nothing; a removed target takes its queue and records along.
    #[test]
    fn webhook_notices_are_queued_with_their_commit_and_go_with_their_target() {
        let store = TempStore::new();
        put(&store, target("alle", &[]));
        put(&store, target("krl", &[Topic::Area(AreaId::Krl)]));
        put(&store, target("dream", &[Topic::Area(AreaId::Dream)]));
        store
            .update_webhook_state("krl", |t| t.paused = true)
            .unwrap();
        store.fail_next_writes(1);
        assert!(commit(&store, krl_down(&store)).is_err());
        assert!(store.webhook_outbox().unwrap().is_empty());
        commit(&store, krl_down(&store)).unwrap();
        let store = store.reopen();
        let queued: Vec<String> = store
            .webhook_outbox()
            .unwrap()
            .into_iter()
            .map(|q| q.0)
            .collect();
        assert_eq!(queued, ["alle", "krl"]);
        store
            .record_webhook_announced(
                "krl",
                "monthly-2025-10",
                "2025-10-10T07:00:00Z".parse().unwrap(),
            )
            .unwrap();
        assert!(store
            .webhook_was_announced("krl", "monthly-2025-10")
            .unwrap());
        let (name, notice) = store.webhook_outbox().unwrap().remove(0);
        store.webhook_delivered(&name, &[notice]).unwrap();
        store
            .test_commit(Commit {
                webhooks: vec![("krl".into(), None)],
                ..Commit::default()
            })
            .unwrap();
        assert!(store.webhook_outbox().unwrap().is_empty());
        assert!(!store
            .webhook_was_announced("krl", "monthly-2025-10")
            .unwrap());
        let names: Vec<String> = store
            .webhook_targets()
            .unwrap()
            .into_iter()
            .map(|t| t.name)
            .collect();
        assert_eq!(names, ["alle", "dream"]);
        assert_eq!(
            store
                .update_webhook_state("krl", |t| t.paused = false)
                .unwrap(),
            None
        );
        store
            .record_webhook_announced(
                "krl",
                "monthly-2025-11",
                "2025-11-10T07:00:00Z".parse().unwrap(),
            )
            .unwrap();
        assert!(
            !store
                .webhook_was_announced("krl", "monthly-2025-11")
                .unwrap(),
            "no record for a target that is gone"
        );
    }
}
