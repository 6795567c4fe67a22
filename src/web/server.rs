//! Accepting connections: hyper's HTTP/1 server with bounds on everything a client controls.
//! Headers must arrive within `HEADER_READ_TIMEOUT` (also the idle keep-alive limit) and fit in
//! `MAX_HEAD_BYTES`; at most `MAX_CONNECTIONS` are open at once (the rest wait in the kernel's
//! backlog); a connection lives at most `CONNECTION_LIFETIME`; request bodies are never read.
//! Each response has its own timeout in the router (see `super::REQUEST_TIMEOUT`).

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;

use crate::error::AppError;

pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);
/// The most a request's head (request line and headers) may take; hyper's smallest is 8 KiB.
pub const MAX_HEAD_BYTES: usize = 16 * 1024;
pub const MAX_CONNECTIONS: usize = 512;
pub const CONNECTION_LIFETIME: Duration = Duration::from_secs(300);
/// How long in-flight requests get to finish when the server stops.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// Binds `addr`; a clear Danish error if it cannot.
pub async fn bind(addr: SocketAddr) -> Result<TcpListener, AppError> {
    TcpListener::bind(addr).await.map_err(|e| {
        AppError::invalid(format!(
            "Webserveren kan ikke lytte på {addr} ({e}). Vælg en anden adresse med --listen eller [web] listen."
        ))
    })
}

/// Serves `app` on `listener` until `shutdown` completes, then lets open requests finish for
/// up to `SHUTDOWN_GRACE`.
pub async fn serve(listener: TcpListener, app: Router, shutdown: impl Future<Output = ()>) {
    let graceful = GracefulShutdown::new();
    let slots = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let permit = tokio::select! {
            p = Arc::clone(&slots).acquire_owned() => match p {
                Ok(p) => p,
                Err(_) => break,
            },
            () = &mut shutdown => break,
        };
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(e) => {
                    // Out of file descriptors and the like: pause instead of spinning.
                    tracing::warn!(error = %e, "web: accept failed");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let conn = http1::Builder::new()
            .timer(TokioTimer::new())
            .header_read_timeout(HEADER_READ_TIMEOUT)
            .max_buf_size(MAX_HEAD_BYTES)
            .serve_connection(TokioIo::new(stream), TowerToHyperService::new(app.clone()));
        let conn = graceful.watch(conn);
        tokio::spawn(async move {
            let _ = tokio::time::timeout(CONNECTION_LIFETIME, conn).await;
            drop(permit);
        });
    }
    drop(listener);
    let _ = tokio::time::timeout(SHUTDOWN_GRACE, graceful.shutdown()).await;
}
