//! Which release announcements went to which channel: recorded after each post, so none is
//! posted twice.

use chrono::{DateTime, Utc};

use super::{keys, Store, StoreError};

impl Store {
    /// Whether announcement `key` was sent to `channel`.
    pub fn was_announced(&self, channel: u64, key: &str) -> Result<bool, StoreError> {
        Ok(self.announced.contains_key(keys::announced(channel, key))?)
    }

    /// Records that announcement `key` went to `channel`, flushed before returning.
    pub fn record_announced(
        &self,
        channel: u64,
        key: &str,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let _writer = self.lock();
        self.faults.check()?;
        self.announced
            .insert(keys::announced(channel, key), at.to_rfc3339().as_bytes())?;
        self.db.flush()?;
        Ok(())
    }
}
