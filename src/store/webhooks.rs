//! Webhook targets in the store, beside the subscriptions: the targets themselves (tree
//! `webhooks`), what is queued for each (`webhook_outbox`, written by the commit of the change
//! it tells, like the Discord outbox), and which announcements each has had
//! (`webhook_announced`). Targets are added and removed by commits (`Commit::webhooks`, under the
//! writer, with their history); the delivery loop only takes what it delivered off the queue,
//! records announcements, and pauses or resumes a target.

use chrono::{DateTime, Utc};
use sled::transaction::{TransactionalTree, UnabortableTransactionError};

use super::{corrupt, encode, keys, read_all, Store, StoreError};
use crate::core::notify::Notice;
use crate::core::webhook::WebhookTarget;

type Row = (Vec<u8>, Vec<u8>);

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
            .get(keys::webhook(name))?
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
                Some(t) => out.puts.push((keys::webhook(name), encode(t)?)),
                None => {
                    out.removed.push(keys::webhook(name));
                    let prefix = keys::webhook_prefix(name);
                    for k in self.webhook_outbox.scan_prefix(&prefix).keys() {
                        out.dropped_queue.push(k?);
                    }
                    for k in self.webhook_announced.scan_prefix(&prefix).keys() {
                        out.dropped_records.push(k?);
                    }
                }
            }
        }
        Ok(out)
    }

    /// Everything waiting for webhook targets: (target name, notice), per target in key order.
    pub fn webhook_outbox(&self) -> Result<Vec<(String, Notice)>, StoreError> {
        read_all(&self.webhook_outbox, "webhook target", |k| {
            keys::webhook_of(k).map(str::to_owned)
        })
    }

    /// Takes `notices`, delivered to target `name`, off its queue; flushed.
    pub fn webhook_delivered(&self, name: &str, notices: &[Notice]) -> Result<(), StoreError> {
        let _writer = self.lock();
        self.faults.check()?;
        let keys: Vec<Vec<u8>> = notices
            .iter()
            .map(|n| keys::webhook_outbox(name, n))
            .collect();
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
            .contains_key(keys::webhook_announced(name, key))?)
    }

    /// Records that announcement `key` went to target `name`, flushed; nothing for a target
    /// removed meanwhile.
    pub fn record_webhook_announced(
        &self,
        name: &str,
        key: &str,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let _writer = self.lock();
        self.faults.check()?;
        if self.webhooks.contains_key(keys::webhook(name))? {
            self.webhook_announced.insert(
                keys::webhook_announced(name, key),
                at.to_rfc3339().as_bytes(),
            )?;
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
        let _writer = self.lock();
        self.faults.check()?;
        let Some(mut target) = self.webhook_target(name)? else {
            return Ok(None);
        };
        change(&mut target);
        self.webhooks
            .insert(keys::webhook(name), encode(&target)?)?;
        self.db.flush()?;
        self.bump();
        Ok(Some(target))
    }
}
