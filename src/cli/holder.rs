//! What `flisbot run` and `flisbot serve` share as the process holding the store: the store
//! opened (waiting for a previous holder to let go of it), the runtime, the stop signal
//! (listened for before the control socket opens), the control socket, and the clean stop:
//! the socket stops taking commands, every command it took is answered, then the store is
//! flushed and let go of.

use std::future::Future;
use std::path::Path;
use std::pin::Pin;
use std::sync::Arc;

use super::control::{self, ControlServer};
use super::run_captured;
use crate::clock::Clock;
use crate::error::AppError;
use crate::shutdown::StopSignal;
use crate::store::{Store, STORE_LOCK_WAIT};

/// Completes on SIGTERM or Ctrl-C, once the control socket has stopped taking commands.
pub(super) type Stop<'a> = Pin<Box<dyn Future<Output = ()> + 'a>>;

/// What the holder runs until it is stopped.
pub(super) type Work<'a> = Pin<Box<dyn Future<Output = Result<(), AppError>> + 'a>>;

pub(super) struct Holder {
    pub(super) store: Arc<Store>,
    pub(super) clock: Arc<dyn Clock>,
    pub(super) runtime: tokio::runtime::Runtime,
    signal: StopSignal,
    control: ControlServer,
}

impl Holder {
    /// Opens the store in `dir` and its control socket, commands on it run at `clock`.
    pub(super) fn open(dir: &Path, clock: Arc<dyn Clock>) -> Result<Holder, AppError> {
        // A restart may find the previous process still letting go of the store: wait for it.
        let store = Arc::new(Store::open_waiting(dir, STORE_LOCK_WAIT)?);
        let runtime = tokio::runtime::Runtime::new()?;
        // From here on SIGTERM is a clean stop: the control socket stops taking commands first.
        let signal = {
            let _entered = runtime.enter();
            StopSignal::install()?
        };
        let (socket_store, socket_clock) = (Arc::clone(&store), Arc::clone(&clock));
        let control = control::serve(
            control::bind(dir)?,
            Arc::new(move |req| run_captured(&socket_store, socket_clock.as_ref(), req)),
        );
        Ok(Holder {
            store,
            clock,
            runtime,
            signal,
            control,
        })
    }

    /// Runs `work` on the runtime until it ends (it ends on the stop it is given), then answers
    /// every command the socket took before the store is flushed and let go of.
    pub(super) fn run(
        self,
        work: impl for<'a> FnOnce(Stop<'a>) -> Work<'a>,
    ) -> Result<(), AppError> {
        let Holder {
            store,
            runtime,
            signal,
            control,
            ..
        } = self;
        let stop = Box::pin(async {
            signal.recv().await;
            control.stop_accepting();
        });
        let result = runtime.block_on(work(stop));
        control.finish();
        let flushed = store.flush();
        result?;
        Ok(flushed?)
    }
}
