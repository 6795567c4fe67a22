//! The read-only web adapter: the status page, one page per area, the JSON feed, the release
//! calendar (iCalendar), health and metrics. Nothing here changes the catalogue: every route is
//! GET (HEAD too), every view is built by the pure core (`views::status_feed`, `views::ical`,
//! `views::web_page`) from the store's committed snapshot.
//!
//! Runs inside `flisbot run` when `[web] listen` is set, or alone as `flisbot serve`.

mod cache;
mod feed;
mod server;

use std::sync::Arc;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Path, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use crate::clock::Clock;
use crate::core::catalogue::AreaId;
use crate::core::history::Subject;
use crate::core::understand::default_parser;
use crate::metrics::{GatewayState, Metrics};
use crate::store::Store;
use crate::views::ical::{CalendarFilter, ReadFilter};
use crate::views::status_feed::{area_page, HISTORY_LIMIT};
use crate::views::web_page::{area_html, error_html, error_text, STYLESHEET};

pub(crate) use cache::{etag_of, http_date, not_modified, Modified};
pub(crate) use feed::FeedSettings;
pub(crate) use server::{bind, MAX_CONNECTIONS};
pub use server::{serve, Limits};

/// The longest any response may take; past it the client gets 503 and a Danish sentence.
pub(crate) const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a store read for `/healthz` or an area's history may take.
const STORE_TIMEOUT: Duration = Duration::from_secs(3);
/// How long the gateway may be connecting or disconnected before `/healthz` says 503.
pub(crate) const GATEWAY_GRACE: Duration = Duration::from_secs(60);

/// The default address: loopback only; put a reverse proxy in front for others.
pub(crate) const DEFAULT_LISTEN: &str = "127.0.0.1:8080";

/// What every handler reads.
pub struct WebState {
    pub(crate) store: Arc<Store>,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) metrics: &'static Metrics,
    /// The longest a response may take (`REQUEST_TIMEOUT`; shorter in tests).
    pub(crate) request_timeout: Duration,
    cache: cache::Cache,
    /// `/feed.atom`'s settings and the feeds built.
    pub(crate) feed: FeedSettings,
    feeds: feed::FeedCache,
}

impl WebState {
    pub fn new(store: Arc<Store>, clock: Arc<dyn Clock>, metrics: &'static Metrics) -> Self {
        WebState {
            store,
            clock,
            metrics,
            request_timeout: REQUEST_TIMEOUT,
            cache: cache::Cache::default(),
            feed: FeedSettings::default(),
            feeds: feed::FeedCache::default(),
        }
    }

    /// The feed's time of day for announcements, and the public address pages, calendars and
    /// the feed link under (`[web] public_url`, checked).
    pub(crate) fn with_feed(mut self, feed: FeedSettings) -> Self {
        self.cache = cache::Cache::new(feed.base.clone());
        self.feed = feed;
        self
    }

    fn snapshot(&self) -> Arc<cache::Snapshot> {
        self.cache.get(self.store.catalogue(), self.clock.now())
    }
}

type Shared = Arc<WebState>;

/// The web over the store's committed snapshot, bound at `addr`: the address bound, and the
/// server, which serves within `limits` until `stop` completes (`flisbot serve`, `flisbot run`).
pub(crate) async fn listen(
    addr: std::net::SocketAddr,
    limits: Limits,
    store: Arc<Store>,
    clock: Arc<dyn Clock>,
    feed: FeedSettings,
    stop: impl std::future::Future<Output = ()>,
) -> Result<(std::net::SocketAddr, impl std::future::Future<Output = ()>), crate::error::AppError> {
    let listener = bind(addr).await?;
    let local = listener.local_addr()?;
    let state = Arc::new(WebState::new(store, clock, crate::metrics::global()).with_feed(feed));
    tracing::info!(address = %local, "web server listening");
    Ok((local, serve(listener, router(state), limits, stop)))
}

/// Binds `addr` and serves the web within `limits` on the current runtime until the runtime
/// ends (inside `flisbot run`); returns the address bound.
pub(crate) async fn spawn(
    addr: std::net::SocketAddr,
    limits: Limits,
    store: Arc<Store>,
    clock: Arc<dyn Clock>,
    feed: FeedSettings,
) -> Result<std::net::SocketAddr, crate::error::AppError> {
    let (local, server) = listen(addr, limits, store, clock, feed, std::future::pending()).await?;
    tokio::spawn(server);
    Ok(local)
}

/// Every route, with the method check, the timeout, the security headers and the counting
/// around them.
pub fn router(state: Shared) -> Router {
    let routes = Router::new()
        .route("/", get(status_page))
        .route("/stil.css", get(stylesheet))
        .route("/omraade/{id}", get(area))
        .route("/api/status.json", get(status_json))
        .route("/kalender", get(kalender))
        .route("/kalender.ics", get(calendar))
        .route("/feed.atom", get(feed::feed))
        .route("/badge/{file}", get(badge))
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics))
        .fallback(not_found);
    guarded(routes, state)
}

/// `routes` behind the guard every request passes.
fn guarded(routes: Router<Shared>, state: Shared) -> Router {
    routes
        .layer(axum::middleware::from_fn_with_state(
            Arc::clone(&state),
            guard,
        ))
        .with_state(state)
}

/// The route name metrics count a path under (a fixed set, so labels stay few).
fn route_label(path: &str) -> &'static str {
    match path {
        "/" => "/",
        "/stil.css" => "/stil.css",
        "/api/status.json" => "/api/status.json",
        "/kalender" => "/kalender",
        "/kalender.ics" => "/kalender.ics",
        "/feed.atom" => "/feed.atom",
        "/healthz" => "/healthz",
        "/metrics" => "/metrics",
        p if p.starts_with("/omraade/") => "/omraade/{id}",
        p if p.starts_with("/badge/") => "/badge/{id}.svg",
        _ => "other",
    }
}

/// Read-only methods, a timeout on every response, headers every response carries, counting.
async fn guard(State(state): State<Shared>, req: Request, next: Next) -> Response {
    let route = route_label(req.uri().path());
    let mut response = if req.method() != Method::GET && req.method() != Method::HEAD {
        let mut r = text(StatusCode::METHOD_NOT_ALLOWED, error_text("method", None));
        r.headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        r
    } else {
        match tokio::time::timeout(state.request_timeout, next.run(req)).await {
            Ok(r) => r,
            Err(_) => {
                tracing::warn!(route, "web: response timed out");
                text(StatusCode::SERVICE_UNAVAILABLE, error_text("timeout", None))
            }
        }
    };
    let h = response.headers_mut();
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    // A route that is meant to be embedded (the badge) sets its own policy.
    h.entry(header::CONTENT_SECURITY_POLICY)
        .or_insert(HeaderValue::from_static(
            "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        ));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    state
        .metrics
        .http_request(route, response.status().as_u16());
    response
}

/// A page in the site's own style saying what went wrong (`responses/web/error.html`).
fn html_error(status: StatusCode, kind: &str, value: Option<&str>) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        error_html(status.as_u16(), kind, value),
    )
        .into_response()
}

/// A permanent redirect to `location` (a path of ours, ASCII): where a name leads to its id.
fn redirect(location: &str) -> Response {
    let mut r = text(
        StatusCode::PERMANENT_REDIRECT,
        error_text("moved", Some(location)),
    );
    if let Ok(v) = HeaderValue::from_str(location) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    r
}

/// What an area's address names: the area by its id, another way to write it (a name, a
/// case), or nothing the catalogue knows.
enum Named {
    Id(AreaId),
    Other(AreaId),
    Unknown,
}

/// Reads an area's id or name from a path segment, the way questions name areas.
fn area_in_path(raw: &str) -> Named {
    match raw.parse::<AreaId>() {
        Ok(id) => Named::Id(id),
        Err(()) => match raw
            .trim()
            .to_lowercase()
            .parse::<AreaId>()
            .ok()
            .or_else(|| default_parser().area_named(raw))
        {
            Some(id) => Named::Other(id),
            None => Named::Unknown,
        },
    }
}

fn text(status: StatusCode, body: String) -> Response {
    let mut body = body;
    body.push('\n');
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        body,
    )
        .into_response()
}

/// A cacheable body: 304 if the client's copy is current, else 200 with the validators.
fn conditional(
    headers: &HeaderMap,
    content_type: &'static str,
    body: Bytes,
    etag: &str,
    modified: Modified,
) -> Response {
    let fresh = not_modified(headers, etag, modified);
    let mut r = if fresh {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let mut r = Response::new(Body::from(body));
        r.headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
        r
    };
    let h = r.headers_mut();
    if let Ok(v) = HeaderValue::from_str(etag) {
        h.insert(header::ETAG, v);
    }
    if let Ok(v) = HeaderValue::from_str(&http_date(modified.at)) {
        h.insert(header::LAST_MODIFIED, v);
    }
    // Caches may keep it but must ask again each time (a 304 costs next to nothing).
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    r
}

async fn status_page(State(state): State<Shared>, headers: HeaderMap) -> Response {
    let s = state.snapshot();
    conditional(
        &headers,
        "text/html; charset=utf-8",
        s.page.body.clone(),
        &s.page.etag,
        s.modified,
    )
}

/// The feed, readable by any page (intranet dashboards): `Access-Control-Allow-Origin: *`,
/// and its ETag readable too. It carries nothing a visitor could not read on the page.
async fn status_json(State(state): State<Shared>, headers: HeaderMap) -> Response {
    let s = state.snapshot();
    let mut r = conditional(
        &headers,
        "application/json",
        s.json.body.clone(),
        &s.json.etag,
        s.modified,
    );
    let h = r.headers_mut();
    h.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    h.insert(
        header::ACCESS_CONTROL_EXPOSE_HEADERS,
        HeaderValue::from_static("ETag"),
    );
    r
}

async fn stylesheet(State(state): State<Shared>, headers: HeaderMap) -> Response {
    static CSS: std::sync::OnceLock<cache::Rendered> = std::sync::OnceLock::new();
    let css = CSS.get_or_init(|| cache::Rendered::new(STYLESHEET));
    let s = state.snapshot();
    conditional(
        &headers,
        "text/css; charset=utf-8",
        css.body.clone(),
        &css.etag,
        s.modified,
    )
}

/// Runs store work on a blocking thread (`blocking::on_store`) with a time limit; `None` if it
/// failed or took too long.
async fn on_store<T: Send + 'static>(
    store: &Arc<Store>,
    work: impl FnOnce(&Store) -> Result<T, crate::store::StoreError> + Send + 'static,
) -> Option<T> {
    match tokio::time::timeout(STORE_TIMEOUT, crate::blocking::on_store(store, work)).await {
        Ok(Some(Ok(t))) => Some(t),
        Ok(Some(Err(e))) => {
            tracing::warn!(error = %e, "web: store read failed");
            None
        }
        // Logged by `blocking::on_store`.
        Ok(None) => None,
        Err(_) => {
            tracing::warn!("web: store read timed out");
            None
        }
    }
}

async fn area(
    State(state): State<Shared>,
    headers: HeaderMap,
    id: Result<Path<String>, axum::extract::rejection::PathRejection>,
) -> Response {
    let raw = id.map(|Path(s)| s).unwrap_or_default();
    let id = match area_in_path(&raw) {
        Named::Id(id) => id,
        Named::Other(id) => return redirect(&format!("/omraade/{id}")),
        Named::Unknown => {
            let shown = crate::core::text::echo(&raw, 40);
            return html_error(StatusCode::NOT_FOUND, "unknown_area_page", Some(&shown));
        }
    };
    let Some(history) = on_store(&state.store, move |s| s.history(id, HISTORY_LIMIT)).await else {
        return text(StatusCode::SERVICE_UNAVAILABLE, error_text("store", None));
    };
    let snapshot = state.snapshot();
    let Some(page) = area_page(snapshot.catalogue(), snapshot.facts(), id, &history) else {
        return html_error(
            StatusCode::NOT_FOUND,
            "unknown_area_page",
            Some(id.as_str()),
        );
    };
    let body = area_html(&page);
    let etag = etag_of(body.as_bytes());
    conditional(
        &headers,
        "text/html; charset=utf-8",
        Bytes::from(body),
        &etag,
        snapshot.modified,
    )
}

/// An area's badge (`/badge/dream.svg`): a small SVG with its name, state colour and t.o.m.,
/// for intranet pages to embed. Only this route may be loaded by other sites
/// (`Cross-Origin-Resource-Policy: cross-origin`) and framed (no `frame-ancestors`).
async fn badge(
    State(state): State<Shared>,
    headers: HeaderMap,
    file: Result<Path<String>, axum::extract::rejection::PathRejection>,
) -> Response {
    let raw = file.map(|Path(s)| s).unwrap_or_default();
    let Some(name) = raw.strip_suffix(".svg") else {
        return text(StatusCode::NOT_FOUND, error_text("not_found", None));
    };
    let id = match area_in_path(name) {
        Named::Id(id) => id,
        Named::Other(id) => return redirect(&format!("/badge/{id}.svg")),
        Named::Unknown => {
            let shown = crate::core::text::echo(name, 40);
            return text(
                StatusCode::NOT_FOUND,
                error_text("unknown_area_page", Some(&shown)),
            );
        }
    };
    let s = state.snapshot();
    let Some(svg) = s.badge(id) else {
        return text(
            StatusCode::NOT_FOUND,
            error_text("unknown_area_page", Some(id.as_str())),
        );
    };
    let mut r = conditional(
        &headers,
        "image/svg+xml; charset=utf-8",
        svg.body.clone(),
        &svg.etag,
        s.modified,
    );
    let h = r.headers_mut();
    h.insert(
        header::HeaderName::from_static("cross-origin-resource-policy"),
        HeaderValue::from_static("cross-origin"),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; base-uri 'none'"),
    );
    r
}

/// The query read as a calendar filter: `Ok(filter)` when it names everything by id, else the
/// response to send (a redirect to the ids' query under `path`, or 400 from `refuse`).
fn calendar_filter(
    query: &str,
    pairs: Vec<(String, String)>,
    path: &str,
    refuse: impl FnOnce(String) -> Response,
) -> Result<CalendarFilter, Box<Response>> {
    match CalendarFilter::from_pairs(pairs, query.len()) {
        Ok(ReadFilter {
            filter,
            by_id: true,
        }) => Ok(filter),
        Ok(ReadFilter { filter, .. }) => {
            let q = filter.query();
            Err(Box::new(redirect(&if q.is_empty() {
                path.to_owned()
            } else {
                format!("{path}?{q}")
            })))
        }
        Err(e) => Err(Box::new(refuse(e.danish()))),
    }
}

fn query_pairs(query: &str) -> Vec<(String, String)> {
    form_urlencoded::parse(query.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

/// The release calendar page (`/kalender`), narrowed like the feed; a form's empty choice
/// means everything, and any other spelling of a filter is redirected to its ids.
async fn kalender(
    State(state): State<Shared>,
    headers: HeaderMap,
    uri: axum::http::Uri,
) -> Response {
    let query = uri.query().unwrap_or("");
    let pairs: Vec<(String, String)> = query_pairs(query)
        .into_iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .collect();
    let filter = match calendar_filter(query, pairs, "/kalender", |msg| {
        html_error(StatusCode::BAD_REQUEST, "filter", Some(&msg))
    }) {
        Ok(f) => f,
        Err(r) => return *r,
    };
    let canonical = filter.query();
    if query != canonical {
        return redirect(&if canonical.is_empty() {
            "/kalender".to_owned()
        } else {
            format!("/kalender?{canonical}")
        });
    }
    let s = state.snapshot();
    let page = s.kalender(&filter);
    conditional(
        &headers,
        "text/html; charset=utf-8",
        page.body.clone(),
        &page.etag,
        s.modified,
    )
}

async fn calendar(
    State(state): State<Shared>,
    headers: HeaderMap,
    uri: axum::http::Uri,
) -> Response {
    let query = uri.query().unwrap_or("");
    let filter = match calendar_filter(query, query_pairs(query), "/kalender.ics", |msg| {
        text(StatusCode::BAD_REQUEST, msg)
    }) {
        Ok(f) => f,
        Err(r) => return *r,
    };
    let s = state.snapshot();
    let ics = s.calendar(&filter);
    let mut r = conditional(
        &headers,
        "text/calendar; charset=utf-8",
        ics.body.clone(),
        &ics.etag,
        s.modified,
    );
    r.headers_mut().insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("inline; filename=\"flis-udgivelser.ics\""),
    );
    r
}

/// 200 when the store can be read and, where Discord runs, the gateway is connected (or has
/// been away less than `GATEWAY_GRACE`); 503 otherwise. The body says which.
async fn healthz(State(state): State<Shared>) -> Response {
    let store_ok = on_store(&state.store, |s| s.history(Subject::Catalogue, 1))
        .await
        .is_some();
    let (gateway, since) = state.metrics.gateway_state();
    let gateway_ok = match gateway {
        GatewayState::NotRunning | GatewayState::Connected => true,
        GatewayState::Connecting | GatewayState::Disconnected => since < GATEWAY_GRACE,
        GatewayState::Stopped => false,
    };
    let healthy = store_ok && gateway_ok;
    let body = serde_json::json!({
        "status": if healthy { "ok" } else { "fejl" },
        "store": if store_ok { "ok" } else { "unreadable" },
        "gateway": gateway.as_str(),
        "gateway_since_seconds": since.as_secs(),
    });
    let status = if healthy {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (
        status,
        [
            (header::CONTENT_TYPE, "application/json"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        format!("{body}\n"),
    )
        .into_response()
}

async fn metrics(State(state): State<Shared>) -> Response {
    let mut out = state.metrics.render();
    out.push_str(&crate::metrics::render_catalogue(state.snapshot().facts()));
    (
        StatusCode::OK,
        [
            (
                header::CONTENT_TYPE,
                "text/plain; version=0.0.4; charset=utf-8",
            ),
            (header::CACHE_CONTROL, "no-store"),
        ],
        out,
    )
        .into_response()
}

async fn not_found() -> Response {
    html_error(StatusCode::NOT_FOUND, "not_found", None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::FixedClock;
    use crate::test_support::at;

    /// Sends `GET path` to `addr` and returns the raw answer (blocking; run off the runtime).
    fn raw_get(addr: std::net::SocketAddr, path: &str) -> String {
        try_get(addr, path).unwrap()
    }

    fn try_get(addr: std::net::SocketAddr, path: &str) -> std::io::Result<String> {
        use std::io::{Read, Write};
        let mut s = std::net::TcpStream::connect(addr)?;
        s.set_read_timeout(Some(Duration::from_secs(10)))?;
        write!(
            s,
            "GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        )?;
        let mut out = String::new();
        s.read_to_string(&mut out)?;
        Ok(out)
    }

    #[tokio::test]
    async fn a_response_that_takes_too_long_is_a_503_in_danish_and_counted() {
        let dir = tempfile::tempdir().unwrap();
        let metrics: &'static Metrics = Box::leak(Box::new(Metrics::new()));
        let mut state = WebState::new(
            Arc::new(Store::open(dir.path()).unwrap()),
            Arc::new(FixedClock(at("2025-09-10T10:00:00+02:00"))),
            metrics,
        );
        state.request_timeout = Duration::from_millis(100);
        let slow = || async {
            tokio::time::sleep(Duration::from_secs(30)).await;
            "never"
        };
        let app = guarded(Router::new().route("/", get(slow)), Arc::new(state));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let server = tokio::spawn(serve(listener, app, Limits::default(), async {
            let _ = stopped.await;
        }));
        let started = std::time::Instant::now();
        let answer = tokio::task::spawn_blocking(move || raw_get(addr, "/"))
            .await
            .unwrap();
        assert!(started.elapsed() < Duration::from_secs(5));
        assert!(answer.starts_with("HTTP/1.1 503"), "{answer}");
        assert!(answer.contains("Svaret tog for lang tid"), "{answer}");
        assert!(metrics
            .render()
            .contains("flisbot_http_requests_total{route=\"/\",code=\"503\"} 1"));
        let _ = stop.send(());
        server.await.unwrap();
    }

    /// A client that pipelines requests and never reads its answers holds its connection only
    /// until the write timeout; then its place is free for the next client from its address.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_client_that_never_reads_is_disconnected_and_its_place_given_back() {
        use std::io::{Read, Write};
        let dir = tempfile::tempdir().unwrap();
        let metrics: &'static Metrics = Box::leak(Box::new(Metrics::new()));
        let state = WebState::new(
            Arc::new(Store::open(dir.path()).unwrap()),
            Arc::new(FixedClock(at("2025-09-10T10:00:00+02:00"))),
            metrics,
        );
        let limits = Limits {
            per_client: 1,
            write_timeout: Duration::from_millis(200),
        };
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let server = tokio::spawn(serve(listener, router(Arc::new(state)), limits, async {
            let _ = stopped.await;
        }));
        // Far more answers than the socket buffers between us hold (each page is ~19 KB).
        let slow = std::net::TcpStream::connect(addr).unwrap();
        let mut writer = slow.try_clone().unwrap();
        let pipelined = "GET / HTTP/1.1\r\nHost: x\r\n\r\n".repeat(1000);
        std::thread::spawn(move || {
            // Blocks once the server stops reading; ends with an error once it disconnects.
            let _ = writer.write_all(pipelined.as_bytes());
        });
        // The next client from the same address: refused while the slow one holds the only
        // place, answered once the slow one is gone.
        let answer = tokio::task::spawn_blocking(move || {
            let started = std::time::Instant::now();
            loop {
                let Ok(answer) = try_get(addr, "/healthz") else {
                    // Refused before our request was written: a 503 we did not see.
                    std::thread::sleep(Duration::from_millis(20));
                    continue;
                };
                if answer.starts_with("HTTP/1.1 200") {
                    return answer;
                }
                assert!(answer.starts_with("HTTP/1.1 503"), "{answer}");
                assert!(answer.contains("For mange forbindelser"), "{answer}");
                assert!(started.elapsed() < Duration::from_secs(60), "never let in");
                std::thread::sleep(Duration::from_millis(20));
            }
        })
        .await
        .unwrap();
        assert!(answer.contains("\"status\":\"ok\""), "{answer}");
        // The slow client's connection was closed by the server: reading it ends.
        let ended = tokio::task::spawn_blocking(move || {
            let mut slow = slow;
            slow.set_read_timeout(Some(Duration::from_secs(60)))
                .unwrap();
            let mut sink = vec![0u8; 1 << 16];
            loop {
                match slow.read(&mut sink) {
                    Ok(0) => return Ok(()),
                    Ok(_) => {}
                    Err(e) => return Err(e.kind()),
                }
            }
        })
        .await
        .unwrap();
        assert!(
            !matches!(
                ended,
                Err(std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut)
            ),
            "{ended:?}"
        );
        let _ = stop.send(());
        server.await.unwrap();
    }

    #[test]
    fn routes_are_counted_under_few_labels() {
        assert_eq!(route_label("/omraade/dream"), "/omraade/{id}");
        assert_eq!(route_label("/omraade/../../etc"), "/omraade/{id}");
        assert_eq!(route_label("/wp-login.php"), "other");
        assert_eq!(route_label("/"), "/");
    }
}
