//! The web server under load: `/api/status.json` and `/` over real HTTP/1.1 on loopback, the
//! server on a single-threaded runtime (one core), one keep-alive client on another thread
//! sending requests back to back (so the figure is a floor: no pipelining, no parallel clients).
//! Also what a cache miss costs (the page and feed built and rendered from the catalogue) and the
//! calendar, which is built per request.
//! Run: `cargo bench --bench web`. Figures are in README.md.

use std::hint::black_box;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::sync::Arc;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use flisbot::clock::FixedClock;
use flisbot::core::catalogue::default_catalogue;
use flisbot::core::facts::catalogue_facts;
use flisbot::store::Store;
use flisbot::views::ical::{calendar_text, CalendarFilter};
use flisbot::views::status_feed::{status_feed, status_page};
use flisbot::views::web_page::status_html;
use flisbot::web::{router, serve, Limits, WebState};

const SEED_DAY: &str = "2025-09-10T08:00:00Z";

/// Starts the server on its own thread with a current-thread runtime; returns its address.
fn start_server(dir: &std::path::Path) -> String {
    let store = Arc::new(Store::open(dir).expect("store"));
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            tx.send(listener.local_addr().unwrap().to_string()).unwrap();
            let state = Arc::new(WebState::new(
                store,
                Arc::new(FixedClock(SEED_DAY.parse().unwrap())),
                flisbot::metrics::global(),
            ));
            serve(
                listener,
                router(state),
                Limits::default(),
                std::future::pending(),
            )
            .await;
        });
    });
    rx.recv().expect("the server starts")
}

/// One keep-alive connection: sends GET `path`, reads the whole response (Content-Length).
struct Client {
    reader: BufReader<TcpStream>,
    request: Vec<u8>,
    body: Vec<u8>,
}

impl Client {
    fn new(addr: &str, path: &str) -> Client {
        let stream = TcpStream::connect(addr).expect("connect");
        stream.set_nodelay(true).unwrap();
        Client {
            reader: BufReader::new(stream),
            request: format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\n\r\n").into_bytes(),
            body: Vec::new(),
        }
    }

    /// Returns the status and the body's length.
    fn get(&mut self) -> (u16, usize) {
        self.reader.get_mut().write_all(&self.request).unwrap();
        let mut line = String::new();
        self.reader.read_line(&mut line).unwrap();
        let status = line
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let mut length = 0;
        loop {
            line.clear();
            self.reader.read_line(&mut line).unwrap();
            if line == "\r\n" {
                break;
            }
            if let Some((k, v)) = line.split_once(':') {
                if k.eq_ignore_ascii_case("content-length") {
                    length = v.trim().parse().unwrap();
                }
            }
        }
        self.body.resize(length, 0);
        self.reader.read_exact(&mut self.body).unwrap();
        (status, length)
    }
}

fn http(c: &mut Criterion) {
    let dir = std::env::temp_dir().join(format!("flisbot-bench-web-{}", std::process::id()));
    let addr = start_server(&dir);
    let mut g = c.benchmark_group("web");
    g.throughput(Throughput::Elements(1));
    for (name, path) in [
        ("status_json_keepalive", "/api/status.json"),
        ("status_page_keepalive", "/"),
        ("calendar_ics_keepalive", "/kalender.ics"),
    ] {
        let mut client = Client::new(&addr, path);
        assert_eq!(client.get().0, 200, "{path}");
        g.bench_function(name, |b| b.iter(|| black_box(client.get())));
    }
    g.finish();
    let _ = std::fs::remove_dir_all(&dir);
}

fn build(c: &mut Criterion) {
    let catalogue = default_catalogue();
    let now: chrono::DateTime<chrono::Utc> = SEED_DAY.parse().unwrap();
    let today = flisbot::core::danish_time::danish_today(now);
    let mut g = c.benchmark_group("web_build");
    g.throughput(Throughput::Elements(1));
    // What a new snapshot or a new day costs once: the facts, then each view from them.
    g.bench_function("area_facts", |b| {
        b.iter(|| catalogue_facts(black_box(catalogue), today))
    });
    g.bench_function("status_json_uncached", |b| {
        b.iter(|| {
            let facts = catalogue_facts(black_box(catalogue), today);
            serde_json::to_vec(&status_feed(catalogue, &facts)).unwrap()
        })
    });
    g.bench_function("status_page_uncached", |b| {
        b.iter(|| {
            let facts = catalogue_facts(black_box(catalogue), today);
            status_html(&status_page(catalogue, &facts))
        })
    });
    let facts = catalogue_facts(catalogue, today);
    g.bench_function("calendar_ics_all", |b| {
        b.iter(|| {
            calendar_text(
                black_box(catalogue),
                &facts,
                &CalendarFilter::default(),
                now,
                None,
            )
        })
    });
    g.finish();
}

criterion_group!(benches, http, build);
criterion_main!(benches);
