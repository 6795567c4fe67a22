//! The outbox: notices waiting per recipient (a user or a channel), written by the commit of
//! the change they tell (`Commit::notices`, each with the recipients `operations` chose) and
//! removed once delivered.

use sled::transaction::ConflictableTransactionError;

use super::{keys, read_all, tx_error, Store, StoreError};
use crate::core::notify::{Notice, Target};

/// A notice and who gets it: written for each recipient in the transaction of the change it
/// tells, with one id the store assigns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Addressed {
    pub notice: Notice,
    /// Users and channels (their outbox).
    pub targets: Vec<Target>,
    /// Webhook targets by name (their outbox).
    pub webhooks: Vec<String>,
}

/// A notice waiting in the outbox for one recipient.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Queued {
    pub target: Target,
    pub notice: Notice,
}

impl Store {
    /// Everything waiting in the outbox, per recipient in key order.
    pub fn outbox(&self) -> Result<Vec<Queued>, StoreError> {
        let queued = read_all(&self.outbox, "target", keys::target_of)?;
        Ok(queued
            .into_iter()
            .map(|(target, notice)| Queued { target, notice })
            .collect())
    }

    /// Marks `notices` delivered to `target` (removes them from the outbox), flushed.
    pub fn delivered(&self, target: Target, notices: &[Notice]) -> Result<(), StoreError> {
        let _writer = self.lock();
        self.faults.check()?;
        let keys: Vec<Vec<u8>> = notices.iter().map(|n| keys::outbox(target, n)).collect();
        self.outbox
            .transaction(|outbox| {
                for k in &keys {
                    outbox.remove(k.as_slice())?;
                }
                Ok::<_, ConflictableTransactionError<()>>(())
            })
            .map_err(tx_error)?;
        self.db.flush()?;
        Ok(())
    }
}
