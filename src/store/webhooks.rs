//! Webhook targets in the store, beside the subscriptions: the targets themselves (tree
//! `webhooks`), what is queued for each (`webhook_outbox`, written by the commit of the change
//! it tells, like the Discord outbox), and which announcements each has had
//! (`webhook_announced`). Targets are added and removed by commits (`Commit::webhooks`, under the
//! writer, with their history); the delivery loop only takes what it delivered off the queue,
//! records announcements, and pauses or resumes a target.

use chrono::{DateTime, Utc};
use sled::transaction::{TransactionalTree, UnabortableTransactionError};

use super::{corrupt, encode, Store, StoreError, Writer};
use crate::core::notify::Notice;
use crate::core::webhook::WebhookTarget;

type Row = (Vec<u8>, Vec<u8>);

fn prefix(name: &str) -> Vec<u8> {
    let mut k = name.as_bytes().to_vec();
    k.push(b'/');
    k
}

fn outbox_key(name: &str, notice: &Notice) -> Vec<u8> {
    let mut k = prefix(name);
    k.extend_from_slice(notice.after.id.as_str().as_bytes());
    k.push(b'/');
    k.extend_from_slice(&notice.id.to_be_bytes());
    k
}

fn announced_key(name: &str, key: &str) -> Vec<u8> {
    let mut k = prefix(name);
    k.extend_from_slice(key.as_bytes());
    k
}

/// The outbox rows of `notice` (its id assigned) for every target that covers its area, paused
/// or not: a paused target gets its queue when it is resumed.
pub(super) fn fan_out(targets: &[WebhookTarget], notice: &Notice) -> Result<Vec<Row>, StoreError> {
    targets
        .iter()
        .filter(|t| t.covers(&notice.after))
        .map(|t| encode(notice).map(|v| (outbox_key(&t.name, notice), v)))
        .collect()
}

/// What a commit does to the webhook trees, prepared under the writer before its transaction.
#[derive(Default)]
pub(super) struct WebhookChanges {
    puts: Vec<Row>,
    removed: Vec<Vec<u8>>,
    /// A removed target's queue and announcement records.
    dropped_queue: Vec<sled::IVec>,
    dropped_records: Vec<sled::IVec>,
}

impl WebhookChanges {
    pub(super) fn apply(
        &self,
        webhooks: &TransactionalTree,
        outbox: &TransactionalTree,
        announced: &TransactionalTree,
    ) -> Result<(), UnabortableTransactionError> {
        for (k, v) in &self.puts {
            webhooks.insert(k.as_slice(), v.as_slice())?;
        }
        for k in &self.removed {
            webhooks.remove(k.as_slice())?;
        }
        for k in &self.dropped_queue {
            outbox.remove(k)?;
        }
        for k in &self.dropped_records {
            announced.remove(k)?;
        }
        Ok(())
    }
}

impl Writer<'_> {
    /// The webhook target of that name, as it stands; no other writer can change it meanwhile.
    pub fn webhook_target(&self, name: &str) -> Result<Option<WebhookTarget>, StoreError> {
        self.store.webhook_target(name)
    }
}

impl Store {
    /// Every webhook target, by name.
    pub fn webhook_targets(&self) -> Result<Vec<WebhookTarget>, StoreError> {
        self.webhooks
            .iter()
            .map(|item| {
                let (k, v) = item?;
                serde_json::from_slice(&v).map_err(|e| corrupt(&k, e))
            })
            .collect()
    }

    pub fn webhook_target(&self, name: &str) -> Result<Option<WebhookTarget>, StoreError> {
        self.webhooks
            .get(name.as_bytes())?
            .map(|v| serde_json::from_slice(&v).map_err(|e| corrupt(name.as_bytes(), e)))
            .transpose()
    }

    pub(super) fn webhook_changes(
        &self,
        changes: &[(String, Option<WebhookTarget>)],
    ) -> Result<WebhookChanges, StoreError> {
        let mut out = WebhookChanges::default();
        for (name, target) in changes {
            match target {
                Some(t) => out.puts.push((name.as_bytes().to_vec(), encode(t)?)),
                None => {
                    out.removed.push(name.as_bytes().to_vec());
                    for k in self.webhook_outbox.scan_prefix(prefix(name)).keys() {
                        out.dropped_queue.push(k?);
                    }
                    for k in self.webhook_announced.scan_prefix(prefix(name)).keys() {
                        out.dropped_records.push(k?);
                    }
                }
            }
        }
        Ok(out)
    }

    /// Everything waiting for webhook targets: (target name, notice), per target in key order.
    pub fn webhook_outbox(&self) -> Result<Vec<(String, Notice)>, StoreError> {
        self.webhook_outbox
            .iter()
            .map(|item| {
                let (k, v) = item?;
                let name = super::queue_key_head(&k)
                    .ok_or_else(|| corrupt(&k, "not a webhook target"))?
                    .to_owned();
                let notice = serde_json::from_slice(&v).map_err(|e| corrupt(&k, e))?;
                Ok((name, notice))
            })
            .collect()
    }

    /// Takes `notices`, delivered to target `name`, off its queue; flushed.
    pub fn webhook_delivered(&self, name: &str, notices: &[Notice]) -> Result<(), StoreError> {
        let _writer = self.writer();
        self.injected_failure()?;
        let keys: Vec<Vec<u8>> = notices.iter().map(|n| outbox_key(name, n)).collect();
        self.webhook_outbox
            .transaction(|outbox| {
                for k in &keys {
                    outbox.remove(k.as_slice())?;
                }
                Ok::<_, sled::transaction::ConflictableTransactionError<()>>(())
            })
            .map_err(super::tx_error)?;
        self.db.flush()?;
        Ok(())
    }

    /// Whether announcement `key` went to target `name`.
    pub fn webhook_was_announced(&self, name: &str, key: &str) -> Result<bool, StoreError> {
        Ok(self
            .webhook_announced
            .contains_key(announced_key(name, key))?)
    }

    /// Records that announcement `key` went to target `name`, flushed; nothing for a target
    /// removed meanwhile.
    pub fn record_webhook_announced(
        &self,
        name: &str,
        key: &str,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let _writer = self.writer();
        self.injected_failure()?;
        if self.webhooks.contains_key(name.as_bytes())? {
            self.webhook_announced
                .insert(announced_key(name, key), at.to_rfc3339().as_bytes())?;
            self.db.flush()?;
        }
        Ok(())
    }

    /// Changes target `name`'s delivery state (pause, told) under the writer, flushed; the
    /// target as it is now, `None` if there is none. Not an operator's change: no history.
    pub fn update_webhook_state(
        &self,
        name: &str,
        change: impl FnOnce(&mut WebhookTarget),
    ) -> Result<Option<WebhookTarget>, StoreError> {
        let _writer = self.writer();
        self.injected_failure()?;
        let Some(mut target) = self.webhook_target(name)? else {
            return Ok(None);
        };
        change(&mut target);
        self.webhooks.insert(name.as_bytes(), encode(&target)?)?;
        self.db.flush()?;
        self.bump();
        Ok(Some(target))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::catalogue::{default_catalogue, AreaId, Author, ChangeStamp, State};
    use crate::core::notify::Topic;
    use crate::core::webhook::WebhookKind;
    use crate::store::Commit;
    use crate::test_support::TempStore;

    fn target(name: &str, topics: &[Topic]) -> WebhookTarget {
        WebhookTarget {
            name: name.into(),
            url: format!("https://example.org/{name}/secret"),
            kind: WebhookKind::Slack,
            topics: topics.iter().copied().collect(),
            announcements: true,
            secret_env: None,
            paused: false,
            told: false,
            added: ChangeStamp {
                by: Author::named("Mette"),
                at: "2025-10-10T08:00:00Z".parse().unwrap(),
            },
        }
    }

    fn put(store: &Store, t: WebhookTarget) {
        store
            .commit(Commit {
                webhooks: vec![(t.name.clone(), Some(t))],
                ..Commit::default()
            })
            .unwrap();
    }

    fn krl_down(store: &Store) -> Commit {
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
            "2025-10-10T08:00:00Z".parse().unwrap(),
        );
        Commit {
            areas: vec![after],
            notices: notice.into_iter().collect(),
            ..Commit::default()
        }
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
        assert!(store.commit(krl_down(&store)).is_err());
        assert!(store.webhook_outbox().unwrap().is_empty());
        store.commit(krl_down(&store)).unwrap();
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
            .commit(Commit {
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
        let _ = default_catalogue();
    }

    /// A notice id is kept as 8 big-endian bytes after the target's name, and sled's ids grow
    /// large after restarts: a key that is not UTF-8 as a whole still names its target.
    #[test]
    fn a_queued_notice_whose_id_is_not_text_is_read_with_its_target() {
        let store = TempStore::new();
        let mut notice = krl_down(&store).notices.remove(0);
        notice.id = 0x00ff_fe80_c3ff_0001;
        for (k, v) in fan_out(&[target("hr", &[])], &notice).unwrap() {
            assert!(std::str::from_utf8(&k).is_err());
            store.webhook_outbox.insert(k, v).unwrap();
        }
        let queued = store.webhook_outbox().unwrap();
        assert_eq!(queued.len(), 1);
        assert_eq!((queued[0].0.as_str(), queued[0].1.id), ("hr", notice.id));
        store.webhook_delivered("hr", &[notice]).unwrap();
        assert!(store.webhook_outbox().unwrap().is_empty());
    }
}
