//! What readers see and the one writer: the committed snapshot (catalogue, the last status
//! import's rules section and listed areas), swapped whole after each flushed commit, and the
//! [`Writer`], held from the read a change is planned on until its commit. Only `operations`
//! can take the writer (it needs an [`operations::WriteToken`](crate::operations::WriteToken)),
//! so the catalogue changes only through `operations::execute`.

use std::sync::{Arc, MutexGuard};

use sled::transaction::{ConflictableTransactionError, Transactional};

use super::outbox::Addressed;
use super::{corrupt, encode, keys, tx_error, Commit, Store, StoreError};
use crate::core::catalogue::{AreaId, Catalogue};
use crate::core::history::{HistoryEntry, Part, Subject};
use crate::core::notify::{Subscription, Target};
use crate::core::webhook::WebhookTarget;
use crate::operations::WriteToken;

/// What readers see: the committed catalogue and the last status import's rules section,
/// replaced together, after the flush, by each commit.
#[derive(Clone)]
pub(super) struct Committed {
    pub(super) catalogue: Arc<Catalogue>,
    pub(super) status_rules: Option<Arc<str>>,
    pub(super) status_areas: Option<Arc<[AreaId]>>,
}

/// The store's one writer, held from the read a change is planned on until its commit.
pub struct Writer<'a> {
    store: &'a Store,
    _guard: MutexGuard<'a, ()>,
}

impl Writer<'_> {
    /// The catalogue as it stands; no other writer can change it while this one is held.
    pub fn catalogue(&self) -> Arc<Catalogue> {
        self.store.catalogue()
    }

    pub fn history(
        &self,
        subject: impl Into<Subject>,
        limit: usize,
    ) -> Result<Vec<HistoryEntry>, StoreError> {
        self.store.history(subject, limit)
    }

    /// The rules section of the last imported status document, as it stands.
    pub fn status_rules(&self) -> Option<Arc<str>> {
        self.store.status_rules()
    }

    /// The areas the last imported status document listed, as they stand.
    pub fn status_areas(&self) -> Option<Arc<[AreaId]>> {
        self.store.status_areas()
    }

    /// Every subscription, as it stands (subscriptions change only under the writer).
    pub fn subscriptions(&self) -> Result<Vec<(Target, Subscription)>, StoreError> {
        self.store.subscriptions()
    }

    /// Every webhook target, as it stands (targets change only under the writer).
    pub fn webhook_targets(&self) -> Result<Vec<WebhookTarget>, StoreError> {
        self.store.webhook_targets()
    }

    /// The webhook target of that name, as it stands; no other writer can change it meanwhile.
    pub fn webhook_target(&self, name: &str) -> Result<Option<WebhookTarget>, StoreError> {
        self.store.webhook_target(name)
    }

    /// Applies `commit` atomically, flushes it, then publishes the new snapshot; returns the
    /// history seqs it assigned (in commit order, as they are assigned under the lock).
    pub(crate) fn commit(&self, commit: Commit) -> Result<Vec<u64>, StoreError> {
        self.store.commit_locked(commit)
    }
}

impl Store {
    /// The committed catalogue: a snapshot that no later change alters, so a reader never sees
    /// half of a change.
    pub fn catalogue(&self) -> Arc<Catalogue> {
        Arc::clone(&self.committed().catalogue)
    }

    /// The rules section of the last imported status document; `None` before the first. From
    /// the same snapshot as [`Store::catalogue`], so it never runs ahead of the catalogue.
    pub fn status_rules(&self) -> Option<Arc<str>> {
        self.committed().status_rules.clone()
    }

    /// The areas the last imported status document listed; `None` before the first (or in a
    /// store written before they were kept).
    pub fn status_areas(&self) -> Option<Arc<[AreaId]>> {
        self.committed().status_areas.clone()
    }

    fn committed(&self) -> std::sync::RwLockReadGuard<'_, Committed> {
        self.snapshot.read().unwrap_or_else(|e| e.into_inner())
    }

    /// Takes the write lock (waiting for the writer before). Blocking: keep it off async workers.
    /// Only `operations` holds a token.
    pub(crate) fn writer(&self, _token: &WriteToken) -> Writer<'_> {
        Writer {
            store: self,
            _guard: self.lock(),
        }
    }

    /// The write lock itself, for the store's own writes that change no catalogue.
    pub(super) fn lock(&self) -> MutexGuard<'_, ()> {
        self.writer.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Applies `commit` without operations: for tests that need a catalogue no operation makes
    /// (a note longer than a reply may hold, say). Test builds only.
    #[cfg(any(test, feature = "test-hooks"))]
    #[doc(hidden)]
    pub fn test_commit(&self, commit: Commit) -> Result<Vec<u64>, StoreError> {
        let _guard = self.lock();
        self.commit_locked(commit)
    }

    fn commit_locked(&self, commit: Commit) -> Result<Vec<u64>, StoreError> {
        self.faults.check()?;
        // Until this commit is flushed and published, the copy for readers is not known to
        // match sled: none is written at close.
        self.closer.forget();
        let current = self.committed().clone();
        let mut next = (*current.catalogue).clone();
        for area in &commit.areas {
            match next.area_mut(area.id) {
                Some(slot) => *slot = area.clone(),
                None => next.areas.push(area.clone()),
            }
        }
        if let Some(d) = commit.as_of {
            next.as_of = d;
        }
        let mut entries = commit.entries;
        let mut seqs = Vec::with_capacity(entries.len());
        for (_, e) in &mut entries {
            e.seq = self.db.generate_id()?;
            seqs.push(e.seq);
        }
        if let Some(mut record) = commit.import_record {
            record.parts = entries
                .iter()
                .map(|(subject, e)| Part {
                    subject: *subject,
                    seq: e.seq,
                })
                .collect();
            record.seq = self.db.generate_id()?;
            entries.push((Subject::Import, record));
        }
        let area_rows: Vec<(AreaId, Vec<u8>)> = commit
            .areas
            .iter()
            .map(|a| encode(a).map(|v| (a.id, v)))
            .collect::<Result<_, _>>()?;
        let entry_rows: Vec<(Vec<u8>, Vec<u8>)> = entries
            .iter()
            .map(|(s, e)| encode(e).map(|v| (keys::history(*s, e.seq), v)))
            .collect::<Result<_, _>>()?;
        let mut undone_rows = Vec::new();
        for (subject, seq) in &commit.mark_undone {
            let key = keys::history(*subject, *seq);
            let raw = self
                .history
                .get(&key)?
                .ok_or_else(|| corrupt(&key, "missing entry"))?;
            let mut e: HistoryEntry = serde_json::from_slice(&raw).map_err(|e| corrupt(&key, e))?;
            e.undone = true;
            undone_rows.push((key, encode(&e)?));
        }
        let mut outbox_rows = Vec::new();
        let mut webhook_rows = Vec::new();
        for addressed in commit.notices {
            let Addressed {
                mut notice,
                targets,
                webhooks,
            } = addressed;
            // Never 0: a notice not yet queued has id 0.
            notice.id = self.db.generate_id()? + 1;
            let value = encode(&notice)?;
            for target in targets {
                outbox_rows.push((keys::outbox(target, &notice), value.clone()));
            }
            for name in webhooks {
                webhook_rows.push((keys::webhook_outbox(&name, &notice), value.clone()));
            }
        }
        let webhook_changes = self.webhook_changes(&commit.webhooks)?;
        let as_of = commit.as_of.map(|d| d.to_string());
        let status_areas = commit.status_areas.as_ref().map(encode).transpose()?;
        (
            &self.areas,
            &self.meta,
            &self.history,
            &self.outbox,
            &self.webhooks,
            &self.webhook_outbox,
            &self.webhook_announced,
        )
            .transaction(
                |(areas, meta, history, outbox, webhooks, w_outbox, w_announced)| {
                    for (id, v) in &area_rows {
                        areas.insert(keys::area(*id), v.as_slice())?;
                    }
                    if let Some(d) = &as_of {
                        meta.insert(keys::AS_OF, d.as_bytes())?;
                    }
                    if let Some(rules) = &commit.status_rules {
                        meta.insert(keys::STATUS_RULES, rules.as_bytes())?;
                    }
                    if let Some(areas) = &status_areas {
                        meta.insert(keys::STATUS_AREAS, areas.as_slice())?;
                    }
                    for (k, v) in entry_rows.iter().chain(&undone_rows) {
                        history.insert(k.as_slice(), v.as_slice())?;
                    }
                    for (k, v) in &outbox_rows {
                        outbox.insert(k.as_slice(), v.as_slice())?;
                    }
                    for (k, v) in &webhook_rows {
                        w_outbox.insert(k.as_slice(), v.as_slice())?;
                    }
                    webhook_changes.apply(webhooks, w_outbox, w_announced)?;
                    Ok::<_, ConflictableTransactionError<()>>(())
                },
            )
            .map_err(tx_error)?;
        self.db.flush()?;
        let next = Arc::new(next);
        self.closer.set(Arc::clone(&next));
        *self.snapshot.write().unwrap_or_else(|e| e.into_inner()) = Committed {
            catalogue: next,
            status_rules: commit.status_rules.map(Arc::from).or(current.status_rules),
            status_areas: commit.status_areas.map(Arc::from).or(current.status_areas),
        };
        self.bump();
        Ok(seqs)
    }
}
