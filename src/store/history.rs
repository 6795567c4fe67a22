//! History: per subject (an area, the catalogue, the imports, the webhook targets) one chain
//! of entries, newest last in key order. Entries are written by commits only (`writer`).

use super::{corrupt, keys, Store, StoreError};
use crate::core::history::{HistoryEntry, Subject};

impl Store {
    /// The history of `subject`, newest first.
    pub fn history(
        &self,
        subject: impl Into<Subject>,
        limit: usize,
    ) -> Result<Vec<HistoryEntry>, StoreError> {
        let prefix = keys::history_prefix(subject.into());
        let mut out = Vec::new();
        for item in self.history.scan_prefix(&prefix).rev().take(limit) {
            let (k, v) = item?;
            out.push(serde_json::from_slice(&v).map_err(|e| corrupt(&k, e))?);
        }
        Ok(out)
    }
}
