//! The signal every long-running command stops on: the Discord bot and the web server alike.

/// SIGTERM or Ctrl-C, listened for from the moment it is installed: a holder of the store
/// installs it before it opens its control socket, so a SIGTERM that comes at once is a clean
/// stop too, never the default one that ends the process mid-command.
pub struct StopSignal {
    #[cfg(unix)]
    term: tokio::signal::unix::Signal,
    #[cfg(unix)]
    interrupt: tokio::signal::unix::Signal,
}

impl StopSignal {
    /// Listens for SIGTERM and Ctrl-C from now on. Needs a Tokio runtime (`Runtime::enter`).
    pub fn install() -> std::io::Result<StopSignal> {
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
    pub async fn recv(mut self) {
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

/// SIGTERM or Ctrl-C, listened for from the first poll.
pub async fn shutdown_signal() {
    match StopSignal::install() {
        Ok(signal) => signal.recv().await,
        Err(e) => {
            tracing::warn!(error = %e, "cannot listen for SIGTERM and Ctrl-C");
            std::future::pending::<()>().await;
        }
    }
}
