//! Accepting connections: hyper's HTTP/1 server with bounds on everything a client controls.
//! Headers must arrive within `HEADER_READ_TIMEOUT` (also the idle keep-alive limit) and fit in
//! `MAX_HEAD_BYTES`; a response must be handed to the client within `WRITE_TIMEOUT` once the
//! client stops taking it (one that pipelines requests and never reads its answers is
//! disconnected); at most `MAX_CONNECTIONS` are open at once, and at most `Limits::per_client`
//! from one client address, so a few clients cannot take every place; when every place is taken
//! (clients from many addresses that do not read), a new connection takes the place of the one
//! whose output has waited on its client the longest, so `/healthz` and everyone else keep
//! being answered (without such a connection it waits for a place); a connection lives at most
//! `CONNECTION_LIFETIME`; request bodies are never read. Each response has its own timeout in
//! the router (see `super::REQUEST_TIMEOUT`).

use std::collections::HashMap;
use std::future::Future;
use std::io;
use std::net::{IpAddr, SocketAddr};
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use axum::Router;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Notify, OwnedSemaphorePermit, Semaphore};

use crate::error::AppError;
use crate::views::web_page::error_text;

pub(crate) const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);
/// The most a request's head (request line and headers) may take. A browser's own headers
/// with a long Cookie fit many times over; reverse proxies in front allow less.
pub(crate) const MAX_HEAD_BYTES: usize = 64 * 1024;
pub(crate) const MAX_CONNECTIONS: usize = 512;
/// The default for `[web] max_connections_per_client`: an eighth of `MAX_CONNECTIONS`.
pub(crate) const MAX_CONNECTIONS_PER_CLIENT: usize = 64;
/// How long a response may wait for a client that does not read it.
pub(crate) const WRITE_TIMEOUT: Duration = Duration::from_secs(10);
pub(crate) const CONNECTION_LIFETIME: Duration = Duration::from_secs(300);
/// How long in-flight requests get to finish when the server stops.
pub(crate) const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);
/// How long a client over its limit gets to take its 503.
const REFUSAL_TIMEOUT: Duration = Duration::from_secs(2);
/// How many refusals may be under way at once (each takes at most `REFUSAL_TIMEOUT`).
const MAX_REFUSALS: usize = 64;
/// The most of a refused client's request that is read (and dropped) before the close.
const REFUSAL_DRAIN: usize = 64 * 1024;

/// The bounds a server keeps; `Default` is what flisbot serves with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Open connections from one client address (an IPv6 client: its /64).
    pub(crate) per_client: usize,
    /// How long a response may wait for a client that does not read it.
    pub(crate) write_timeout: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            per_client: MAX_CONNECTIONS_PER_CLIENT,
            write_timeout: WRITE_TIMEOUT,
        }
    }
}

/// Binds `addr`; a clear Danish error if it cannot. Every connection accepted gets a kernel
/// send buffer of `SEND_BUFFER_BYTES` (the kernel doubles it) instead of one that grows to
/// megabytes: a client that does not read holds that little memory, and the write timeout and
/// the eviction of a connection stuck in a write see it waiting at once.
pub(crate) async fn bind(addr: SocketAddr) -> Result<TcpListener, AppError> {
    let listen = || -> io::Result<TcpListener> {
        let socket = match addr {
            SocketAddr::V4(_) => tokio::net::TcpSocket::new_v4()?,
            SocketAddr::V6(_) => tokio::net::TcpSocket::new_v6()?,
        };
        socket.set_reuseaddr(true)?;
        socket.set_send_buffer_size(SEND_BUFFER_BYTES)?;
        socket.bind(addr)?;
        socket.listen(LISTEN_BACKLOG)
    };
    listen().map_err(|e| {
        AppError::invalid(crate::error::error_text(
            "listen_failed",
            &[("addr", addr.to_string()), ("cause", e.to_string())],
        ))
    })
}

/// The kernel send buffer asked for each connection (accepted connections inherit the
/// listener's): many times the status page, and what a loopback reverse proxy needs.
const SEND_BUFFER_BYTES: u32 = 64 * 1024;
/// Connections the kernel holds until they are accepted.
const LISTEN_BACKLOG: u32 = 1024;

/// Serves `app` on `listener` within `limits` until `shutdown` completes, then lets open
/// requests finish for up to `SHUTDOWN_GRACE`.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: Limits,
    shutdown: impl Future<Output = ()>,
) {
    let graceful = GracefulShutdown::new();
    let slots = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    let refusals = Arc::new(Semaphore::new(MAX_REFUSALS));
    let clients = Arc::new(Clients::default());
    let open = Arc::new(Open::default());
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of file descriptors and the like: pause instead of spinning.
                    tracing::warn!(error = %e, "web: accept failed");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let Some(client) = clients.enter(peer.ip(), limits.per_client) else {
            // A refusal does not take a place from the clients that are served; when too many
            // are under way, the connection is just closed.
            crate::metrics::global().http_request("(refused)", 503);
            if let Ok(refusal) = Arc::clone(&refusals).try_acquire_owned() {
                tokio::spawn(async move {
                    refuse(stream).await;
                    drop(refusal);
                });
            }
            continue;
        };
        let permit = match Arc::clone(&slots).try_acquire_owned() {
            Ok(permit) => permit,
            Err(_) => tokio::select! {
                permit = open.place(&slots) => match permit {
                    Some(permit) => permit,
                    None => break,
                },
                () = &mut shutdown => break,
            },
        };
        let _ = stream.set_nodelay(true);
        let (id, watch) = open.register();
        let io = WriteDeadline::new(stream, limits.write_timeout, Arc::clone(&watch), &open);
        let conn = http1::Builder::new()
            .timer(TokioTimer::new())
            .header_read_timeout(HEADER_READ_TIMEOUT)
            .max_header_size(MAX_HEAD_BYTES)
            .max_buf_size(MAX_HEAD_BYTES)
            .serve_connection(TokioIo::new(io), TowerToHyperService::new(app.clone()));
        let conn = graceful.watch(conn);
        let open = Arc::clone(&open);
        tokio::spawn(async move {
            tokio::select! {
                _ = tokio::time::timeout(CONNECTION_LIFETIME, conn) => {}
                () = watch.evicted.notified() => {
                    tracing::debug!("web: a connection stuck in a write gave its place to a new one");
                }
            }
            // Out of the list before the place is free, so it is never chosen twice.
            open.remove(id);
            drop(client);
            drop(permit);
        });
    }
    drop(listener);
    let _ = tokio::time::timeout(SHUTDOWN_GRACE, graceful.shutdown()).await;
}

/// The open connections, weighed when every place is taken.
#[derive(Default)]
struct Open {
    conns: Mutex<HashMap<u64, Arc<Watch>>>,
    next: AtomicU64,
    /// Told when a connection's output starts to wait on its client.
    blocked: Notify,
}

/// What is known of one connection: since when its output has waited on its client, if it
/// does, and the signal that ends it.
#[derive(Default)]
struct Watch {
    blocked_since: Mutex<Option<Instant>>,
    evicted: Notify,
}

impl Watch {
    fn set_blocked(&self, since: Option<Instant>) {
        *self.blocked_since.lock().unwrap_or_else(|e| e.into_inner()) = since;
    }

    fn blocked_since(&self) -> Option<Instant> {
        *self.blocked_since.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Open {
    fn register(&self) -> (u64, Arc<Watch>) {
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        let watch = Arc::new(Watch::default());
        self.lock().insert(id, Arc::clone(&watch));
        (id, watch)
    }

    fn remove(&self, id: u64) {
        self.lock().remove(&id);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<u64, Arc<Watch>>> {
        self.conns.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Ends the connection whose output has waited on its client the longest; `false` if no
    /// connection's output waits.
    fn evict_longest_blocked(&self) -> bool {
        let conns = self.lock();
        let longest = conns
            .values()
            .filter_map(|w| w.blocked_since().map(|since| (since, w)))
            .min_by_key(|(since, _)| *since);
        match longest {
            Some((_, watch)) => {
                watch.evicted.notify_one();
                true
            }
            None => false,
        }
    }

    /// A place for a new connection when every place is taken: the place of the connection
    /// stuck longest in a write (now, or as soon as one is), or one given back meanwhile.
    async fn place(&self, slots: &Arc<Semaphore>) -> Option<OwnedSemaphorePermit> {
        loop {
            if let Ok(permit) = Arc::clone(slots).try_acquire_owned() {
                return Some(permit);
            }
            if self.evict_longest_blocked() {
                // Its place comes back as soon as its task has ended.
                return Arc::clone(slots).acquire_owned().await.ok();
            }
            tokio::select! {
                permit = Arc::clone(slots).acquire_owned() => return permit.ok(),
                () = self.blocked.notified() => {}
            }
        }
    }
}

/// A client over its limit: a short 503 in Danish, then the connection is closed. What it sent
/// is read and dropped (at most `REFUSAL_DRAIN` bytes, within `REFUSAL_TIMEOUT`) before the
/// close, so the client gets the 503 rather than a reset.
async fn refuse(mut stream: TcpStream) {
    let body = format!("{}\n", error_text("busy", None));
    let answer = format!(
        "HTTP/1.1 503 Service Unavailable\r\ncontent-type: text/plain; charset=utf-8\r\n\
         content-length: {}\r\nretry-after: 5\r\nx-content-type-options: nosniff\r\n\
         connection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = tokio::time::timeout(REFUSAL_TIMEOUT, async {
        stream.write_all(answer.as_bytes()).await?;
        stream.shutdown().await?;
        let mut sink = [0u8; 4096];
        let mut drained = 0;
        while drained < REFUSAL_DRAIN {
            match stream.read(&mut sink).await? {
                0 => break,
                n => drained += n,
            }
        }
        Ok::<(), io::Error>(())
    })
    .await;
}

/// Who a connection counts against: an IPv4 address, or an IPv6 /64 (one household or host
/// has a whole /64 to pick addresses from).
fn client_key(ip: IpAddr) -> IpAddr {
    match ip.to_canonical() {
        IpAddr::V6(v6) => {
            let bits = u128::from(v6) & !((1u128 << 64) - 1);
            IpAddr::V6(bits.into())
        }
        v4 => v4,
    }
}

/// Open connections per client.
#[derive(Default)]
struct Clients(Mutex<HashMap<IpAddr, usize>>);

impl Clients {
    /// A place for one more connection from `ip`, or `None` if it has `max` open already.
    fn enter(self: &Arc<Self>, ip: IpAddr, max: usize) -> Option<ClientSlot> {
        let key = client_key(ip);
        let mut open = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let n = open.entry(key).or_insert(0);
        if *n >= max {
            return None;
        }
        *n += 1;
        Some(ClientSlot {
            clients: Arc::clone(self),
            key,
        })
    }
}

/// One connection's place among its client's; given back when dropped.
struct ClientSlot {
    clients: Arc<Clients>,
    key: IpAddr,
}

impl Drop for ClientSlot {
    fn drop(&mut self) {
        let mut open = self.clients.0.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(n) = open.get_mut(&self.key) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                open.remove(&self.key);
            }
        }
    }
}

/// A connection whose output must not wait on the client for more than `timeout`: from the
/// moment a write cannot go on (the client's window is shut) until everything written so far
/// has gone out (the flush hyper makes after each response). A client that pipelines requests
/// and never reads its answers is then disconnected and gives its place back.
struct WriteDeadline<S> {
    inner: S,
    timeout: Duration,
    /// Set while output waits on the client.
    deadline: Option<Pin<Box<tokio::time::Sleep>>>,
    /// Where the server sees that this connection waits on its client.
    watch: Arc<Watch>,
    open: Arc<Open>,
}

impl<S> WriteDeadline<S> {
    fn new(inner: S, timeout: Duration, watch: Arc<Watch>, open: &Arc<Open>) -> Self {
        WriteDeadline {
            inner,
            timeout,
            deadline: None,
            watch,
            open: Arc::clone(open),
        }
    }

    /// Output is blocked: pending until the deadline, then an error that ends the connection.
    fn blocked<T>(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<T>> {
        let timeout = self.timeout;
        if self.deadline.is_none() {
            self.watch.set_blocked(Some(Instant::now()));
            self.open.blocked.notify_one();
        }
        let deadline = self
            .deadline
            .get_or_insert_with(|| Box::pin(tokio::time::sleep(timeout)));
        match deadline.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(Err(io::Error::new(
                io::ErrorKind::TimedOut,
                "the client did not take the response in time",
            ))),
            Poll::Pending => Poll::Pending,
        }
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for WriteDeadline<S> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_read(cx, buf)
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for WriteDeadline<S> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        match Pin::new(&mut this.inner).poll_write(cx, buf) {
            Poll::Pending => this.blocked(cx),
            ready => ready,
        }
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        match Pin::new(&mut this.inner).poll_write_vectored(cx, bufs) {
            Poll::Pending => this.blocked(cx),
            ready => ready,
        }
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        match Pin::new(&mut this.inner).poll_flush(cx) {
            Poll::Ready(Ok(())) => {
                // Everything written has gone to the client's side: the wait is over.
                if this.deadline.take().is_some() {
                    this.watch.set_blocked(None);
                }
                Poll::Ready(Ok(()))
            }
            Poll::Ready(Err(e)) => Poll::Ready(Err(e)),
            Poll::Pending => this.blocked(cx),
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        match Pin::new(&mut this.inner).poll_shutdown(cx) {
            Poll::Pending => this.blocked(cx),
            ready => ready,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// When every place is taken, the connection whose output has waited on its client the
    /// longest is the one ended; one that does not wait is never chosen.
    #[tokio::test]
    async fn the_connection_stuck_longest_in_a_write_gives_its_place() {
        let open = Open::default();
        let (_, reading) = open.register();
        let (_, newer) = open.register();
        let (_, older) = open.register();
        assert!(
            !open.evict_longest_blocked(),
            "no connection waits on its client"
        );
        let now = Instant::now();
        newer.set_blocked(Some(now));
        older.set_blocked(Some(now - Duration::from_secs(5)));
        assert!(open.evict_longest_blocked());
        let ended = |w: &Arc<Watch>| {
            let notified = w.evicted.notified();
            futures_util::FutureExt::now_or_never(notified).is_some()
        };
        assert!(ended(&older) && !ended(&newer) && !ended(&reading));
        // A place given back meanwhile is taken before anyone is ended.
        let slots = Arc::new(Semaphore::new(1));
        assert!(open.place(&slots).await.is_some());
        assert!(!ended(&newer));
    }

    #[test]
    fn clients_are_counted_by_address_and_ipv6_by_its_64() {
        let clients = Arc::new(Clients::default());
        let a: IpAddr = "192.0.2.1".parse().unwrap();
        let first = clients.enter(a, 2).unwrap();
        let _second = clients.enter(a, 2).unwrap();
        assert!(
            clients.enter(a, 2).is_none(),
            "a third from the same address"
        );
        assert!(clients.enter("192.0.2.2".parse().unwrap(), 2).is_some());
        drop(first);
        assert!(clients.enter(a, 2).is_some(), "a place given back is free");
        let mapped: IpAddr = "::ffff:192.0.2.1".parse().unwrap();
        assert_eq!(client_key(mapped), a, "an IPv4 client over IPv6 is itself");
        assert_eq!(
            client_key("2001:db8:1:2:aaaa::1".parse().unwrap()),
            client_key("2001:db8:1:2:bbbb::9".parse().unwrap())
        );
        assert_ne!(
            client_key("2001:db8:1:2::1".parse().unwrap()),
            client_key("2001:db8:1:3::1".parse().unwrap())
        );
        drop(_second);
    }
}
