//! The store from async code. Its work (reads and flushed writes) runs on a blocking thread,
//! never on the async workers (the Discord adapter, the web and the webhook deliverer); the
//! delivery loops wait for its next commit by polling its generation counter.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::clock::Clock;
use crate::store::Store;

/// How often a waiting loop looks at the store's generation, to see a new change soon.
const POLL: Duration = Duration::from_secs(1);

/// Runs `work` on a blocking thread; `None` (logged) if the task died.
pub(crate) async fn on_store<T: Send + 'static>(
    store: &Arc<Store>,
    work: impl FnOnce(&Store) -> T + Send + 'static,
) -> Option<T> {
    let store = Arc::clone(store);
    match tokio::task::spawn_blocking(move || work(&store)).await {
        Ok(t) => Some(t),
        Err(e) => {
            tracing::error!(error = %e, "store task failed");
            None
        }
    }
}

/// Waits until the store has changed since `generation` (a commit, subscription or board) or
/// `clock` reaches `wake`, looking once a second (the notifier's and the deliverer's loops).
pub(crate) async fn changed_or(
    store: &Store,
    generation: u64,
    clock: &dyn Clock,
    wake: DateTime<Utc>,
) {
    loop {
        tokio::time::sleep(POLL).await;
        if store.generation() != generation || clock.now() >= wake {
            return;
        }
    }
}
