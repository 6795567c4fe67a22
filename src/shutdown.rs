//! The signal every long-running command stops on: the Discord bot and the web server alike.

/// SIGTERM or Ctrl-C, listened for from the moment it is installed: a holder of the store
/// installs it before it opens its control socket, so a SIGTERM that comes at once is a clean
/// stop too, never the default one that ends the process mid-command.
pub(crate) struct StopSignal {
    #[cfg(unix)]
    term: tokio::signal::unix::Signal,
    #[cfg(unix)]
    interrupt: tokio::signal::unix::Signal,
}

impl StopSignal {
    /// Listens for SIGTERM and Ctrl-C from now on. Needs a Tokio runtime (`Runtime::enter`).
    pub(crate) fn install() -> std::io::Result<StopSignal> {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{signal, SignalKind};
            Ok(StopSignal {
                term: signal(SignalKind::terminate())?,
                interrupt: signal(SignalKind::interrupt())?,
            })
        }
        #[cfg(not(unix))]
        Ok(StopSignal {})
    }

    /// Completes when either signal has come (also one that came before this was awaited).
    pub(crate) async fn recv(mut self) {
        #[cfg(unix)]
        tokio::select! {
            _ = self.term.recv() => {}
            _ = self.interrupt.recv() => {}
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}
