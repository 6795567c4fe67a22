//! Subscriptions: per user or channel what it follows (the id is the key; nothing else about
//! them is kept). Who of them hears of a change is `operations`' to say.

use sled::transaction::{ConflictableTransactionError, Transactional};

use super::{corrupt, encode, keys, read_all, tx_error, Store, StoreError};
use crate::core::notify::{Subscription, Target};

impl Store {
    /// Every subscription, users and channels.
    pub fn subscriptions(&self) -> Result<Vec<(Target, Subscription)>, StoreError> {
        read_all(&self.subscriptions, "target", keys::target_of)
    }

    pub fn subscription(&self, target: Target) -> Result<Option<Subscription>, StoreError> {
        let key = keys::subscription(target);
        self.subscriptions
            .get(&key)?
            .map(|v| serde_json::from_slice(&v).map_err(|e| corrupt(&key, e)))
            .transpose()
    }

    /// Changes `target`'s subscription under the writer (read and write together), flushed; an
    /// empty or `None` result deletes it and everything queued for it. Returns it as it is now.
    pub fn update_subscription(
        &self,
        target: Target,
        change: impl FnOnce(Option<Subscription>) -> Option<Subscription>,
    ) -> Result<Option<Subscription>, StoreError> {
        let _writer = self.lock();
        self.faults.check()?;
        let next = change(self.subscription(target)?).filter(|s| !s.topics.is_empty());
        let key = keys::subscription(target);
        let value = next.as_ref().map(encode).transpose()?;
        // A subscription that ends, or pauses, takes its queued notices with it.
        let drop_queue = next.as_ref().is_none_or(|s| s.paused);
        let queued: Vec<sled::IVec> = if drop_queue {
            self.outbox
                .scan_prefix(keys::outbox_prefix(target))
                .keys()
                .collect::<Result<_, _>>()?
        } else {
            Vec::new()
        };
        (&self.subscriptions, &self.outbox)
            .transaction(|(subscriptions, outbox)| {
                match &value {
                    Some(v) => subscriptions.insert(key.as_slice(), v.as_slice())?,
                    None => subscriptions.remove(key.as_slice())?,
                };
                for k in &queued {
                    outbox.remove(k)?;
                }
                Ok::<_, ConflictableTransactionError<()>>(())
            })
            .map_err(tx_error)?;
        self.db.flush()?;
        self.bump();
        Ok(next)
    }
}
