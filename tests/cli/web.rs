//! `flisbot serve` as a process, over real HTTP on 127.0.0.1: every route's status and content
//! type, the JSON feed against its documented schema, 304s, bad requests, the calendar read by
//! an independent iCalendar parser (Python's `icalendar`), and the page rendered by headless
//! Chromium.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use chrono::NaiveDate;
use flisbot::core::year_month::YearMonth;
use serde_json::Value;

use crate::support::http::{get, request, send_raw, Response};
use crate::support::{flisbot, SEED_DAY};

/// A running `flisbot serve`; stopped with SIGTERM (by its pid) when dropped. It holds its
/// store and the control socket as `flisbot run` does, so the control tests use it too.
pub(crate) struct Server {
    pub(crate) child: Child,
    pub(crate) addr: String,
    pub(crate) dir: tempfile::TempDir,
}

/// Starts `cmd` (a `flisbot serve` on a free port) and reads the address it prints first.
pub(crate) fn spawn_serve(cmd: &mut Command) -> (Child, String) {
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("flisbot serve starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line
        .trim()
        .strip_prefix("flisbot serve: http://")
        .and_then(|s| s.strip_suffix('/'))
        .unwrap_or_else(|| panic!("no address in {line:?}"))
        .to_owned();
    (child, addr)
}

impl Server {
    pub(crate) fn start() -> Server {
        Server::start_at_day(SEED_DAY)
    }

    pub(crate) fn start_at_day(now: &str) -> Server {
        Server::start_with(now, None, |_| {})
    }

    /// `flisbot serve` at `now` on a store `prepare` has set up, with `config` (TOML) if
    /// given.
    pub(crate) fn start_with(
        now: &str,
        config: Option<&str>,
        prepare: impl FnOnce(&std::path::Path),
    ) -> Server {
        let dir = tempfile::tempdir().unwrap();
        prepare(dir.path());
        let mut cmd = flisbot(dir.path());
        cmd.args(["serve", "--listen", "127.0.0.1:0", "--now", now]);
        if let Some(toml) = config {
            let file = dir.path().join("flisbot.toml");
            std::fs::write(&file, toml).unwrap();
            cmd.arg("--config").arg(file);
        }
        let (child, addr) = spawn_serve(&mut cmd);
        Server { child, addr, dir }
    }

    pub(crate) fn get(&self, path: &str) -> Response {
        get(&self.addr, path)
    }

    pub(crate) fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Stops the server with SIGTERM and returns its exit status.
    fn stop(mut self) -> std::process::ExitStatus {
        self.terminate()
            .expect("flisbot serve stops within 10 s of SIGTERM")
    }

    /// SIGTERM, then up to 10 s for it to exit; killed (and `None`) if it does not.
    fn terminate(&mut self) -> Option<std::process::ExitStatus> {
        let pid = self.child.id().to_string();
        let _ = Command::new("kill").args(["-TERM", &pid]).status();
        for _ in 0..200 {
            if let Ok(Some(s)) = self.child.try_wait() {
                return Some(s);
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        None
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if self.child.try_wait().ok().flatten().is_none() {
            self.terminate();
        }
    }
}

#[test]
fn every_route_answers_with_its_status_and_content_type() {
    let server = Server::start();
    for (path, status, content_type) in [
        ("/", 200, "text/html; charset=utf-8"),
        ("/stil.css", 200, "text/css; charset=utf-8"),
        ("/omraade/dream", 200, "text/html; charset=utf-8"),
        ("/omraade/KRL", 308, "text/plain; charset=utf-8"),
        ("/kalender", 200, "text/html; charset=utf-8"),
        (
            "/kalender?gruppe=beskaeftigelse",
            200,
            "text/html; charset=utf-8",
        ),
        ("/badge/dream.svg", 200, "image/svg+xml; charset=utf-8"),
        ("/api/status.json", 200, "application/json"),
        ("/kalender.ics", 200, "text/calendar; charset=utf-8"),
        (
            "/kalender.ics?omraade=dream,krl",
            200,
            "text/calendar; charset=utf-8",
        ),
        (
            "/kalender.ics?gruppe=beskaeftigelse",
            200,
            "text/calendar; charset=utf-8",
        ),
        ("/healthz", 200, "application/json"),
        ("/metrics", 200, "text/plain; version=0.0.4; charset=utf-8"),
        ("/omraade/sport", 404, "text/html; charset=utf-8"),
        ("/omraade/%FF%FE", 404, "text/html; charset=utf-8"),
        ("/findes-ikke", 404, "text/html; charset=utf-8"),
        ("/kalender?gruppe=sport", 400, "text/html; charset=utf-8"),
        (
            "/kalender.ics?omraade=sport",
            400,
            "text/plain; charset=utf-8",
        ),
        (
            "/kalender.ics?gruppe=sport",
            400,
            "text/plain; charset=utf-8",
        ),
        (
            "/kalender.ics?omrade=dream",
            400,
            "text/plain; charset=utf-8",
        ),
        ("/kalender.ics?omraade=", 400, "text/plain; charset=utf-8"),
    ] {
        let r = server.get(path);
        assert_eq!(r.status, status, "{path}: {}", r.text());
        assert_eq!(r.header("content-type"), Some(content_type), "{path}");
        assert_eq!(
            r.header("x-content-type-options"),
            Some("nosniff"),
            "{path}"
        );
        assert!(r.header("content-security-policy").is_some(), "{path}");
        if status >= 400 {
            let text = r.text();
            let short = text.len() < 400 || content_type.starts_with("text/html");
            assert!(short && !text.contains("panicked"), "{path}: {text}");
        }
    }
    assert!(server
        .get("/omraade/sport")
        .text()
        .contains("«sport» findes ikke"));
    assert!(server
        .get("/kalender.ics?gruppe=sport")
        .text()
        .contains("Ukendt gruppe «sport»"));
    // Read-only: nothing but GET and HEAD.
    for method in ["POST", "PUT", "DELETE", "PATCH"] {
        let r = request(&server.addr, method, "/api/status.json", &[]);
        assert_eq!(r.status, 405, "{method}");
        assert_eq!(r.header("allow"), Some("GET, HEAD"));
        assert!(r.text().contains("kun læses"));
    }
    let head = request(&server.addr, "HEAD", "/", &[]);
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    let metrics = server.get("/metrics").text();
    assert!(
        metrics.contains("flisbot_http_requests_total{route=\"/omraade/{id}\",code=\"404\"} 3"),
        "{metrics}"
    );
    assert!(
        metrics.contains("flisbot_areas{state=\"down\"} 2"),
        "{metrics}"
    );
    let health: Value = serde_json::from_slice(&server.get("/healthz").body).unwrap();
    assert_eq!(health["status"], "ok");
    assert_eq!(health["gateway"], "not_running");
    assert!(server.stop().success(), "SIGTERM stops it cleanly");
}

/// The field table of docs/status-json.md: (path, type, nullable).
fn documented_fields() -> Vec<(String, String, bool)> {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/status-json.md"))
        .unwrap();
    doc.lines()
        .filter(|l| l.starts_with("| `"))
        .map(|l| {
            let cells: Vec<&str> = l.split('|').map(str::trim).collect();
            let path = cells[1].trim_matches('`').to_owned();
            let (ty, nullable) = match cells[2].strip_suffix(" or null") {
                Some(t) => (t.to_owned(), true),
                None => (cells[2].to_owned(), false),
            };
            (path, ty, nullable)
        })
        .collect()
}

/// Every value at `path` ("areas[].next_release.carries") in `v`.
fn values_at<'a>(v: &'a Value, path: &str) -> Vec<&'a Value> {
    let mut current = vec![v];
    for part in path.split('.') {
        let (key, each) = match part.strip_suffix("[]") {
            Some(k) => (k, true),
            None => (part, false),
        };
        let mut next = Vec::new();
        for c in current {
            if c.is_null() {
                continue; // inside an optional object that is absent
            }
            let value = c
                .get(key)
                .unwrap_or_else(|| panic!("{path}: `{key}` missing in {c}"));
            if each {
                next.extend(
                    value
                        .as_array()
                        .unwrap_or_else(|| panic!("{path}: not an array")),
                );
            } else {
                next.push(value);
            }
        }
        current = next;
    }
    current
}

fn has_type(v: &Value, ty: &str) -> bool {
    let is_date = |s: &str| s.parse::<NaiveDate>().is_ok() && s.len() == 10;
    match ty {
        "integer" => v.is_i64() || v.is_u64(),
        "boolean" => v.is_boolean(),
        "string" => v.is_string(),
        "object" => v.is_object(),
        "array" => v.is_array(),
        "date" => v.as_str().is_some_and(is_date),
        "month" => v.as_str().is_some_and(|s| s.parse::<YearMonth>().is_ok()),
        "datetime" => v
            .as_str()
            .is_some_and(|s| chrono::DateTime::parse_from_rfc3339(s).is_ok()),
        other => panic!("undocumented type {other}"),
    }
}

/// Every field path in `v`, in the doc's notation.
fn served_paths(v: &Value, prefix: &str, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                let p = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                out.push(p.clone());
                served_paths(x, &p, out);
            }
        }
        Value::Array(a) => {
            let p = format!("{prefix}[]");
            for x in a {
                served_paths(x, &p, out);
            }
        }
        _ => {}
    }
}

#[test]
fn the_json_feed_matches_its_documented_schema_and_answers_304() {
    let server = Server::start();
    let r = server.get("/api/status.json");
    assert_eq!(r.status, 200);
    let json: Value = serde_json::from_slice(&r.body).unwrap();
    let fields = documented_fields();
    assert!(
        fields.len() > 30,
        "the doc's table is read: {}",
        fields.len()
    );
    // A field inside an object that may be null need not be served when that object is null.
    let under_nullable = |path: &str| {
        fields
            .iter()
            .any(|(p, _, nullable)| *nullable && path.starts_with(&format!("{p}.")))
    };
    for (path, ty, nullable) in &fields {
        let values = values_at(&json, path);
        assert!(
            !values.is_empty() || under_nullable(path),
            "{path}: none served"
        );
        for v in values {
            assert!(
                has_type(v, ty) || (*nullable && v.is_null()),
                "{path}: {v} is not {ty}{}",
                if *nullable { " or null" } else { "" }
            );
        }
    }
    let mut served = Vec::new();
    served_paths(&json, "", &mut served);
    served.sort();
    served.dedup();
    let documented: Vec<&str> = fields.iter().map(|(p, _, _)| p.as_str()).collect();
    for p in &served {
        assert!(
            documented.contains(&p.as_str()),
            "{p} is served but not documented"
        );
    }
    // The computed fields, on the seed day.
    assert_eq!(json["schema_version"], 2);
    assert_eq!(json["next_release"]["date"], "2025-10-10");
    assert_eq!(json["today_release"]["recorded"], "some");
    assert_eq!(json["problems"][0], "aeldre");
    let krl = json["areas"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == "krl")
        .unwrap();
    assert_eq!(
        (krl["behind_months"].as_i64(), krl["through"].as_str()),
        (Some(1), Some("2025-04"))
    );

    // Validators: If-None-Match and If-Modified-Since give 304 with no body.
    let etag = r.header("etag").unwrap().to_owned();
    let last_modified = r.header("last-modified").unwrap().to_owned();
    assert_eq!(last_modified, "Wed, 10 Sep 2025 08:00:00 GMT");
    let not_modified = request(
        &server.addr,
        "GET",
        "/api/status.json",
        &[("If-None-Match", &etag)],
    );
    assert_eq!(not_modified.status, 304);
    assert!(not_modified.body.is_empty());
    assert_eq!(not_modified.header("etag"), Some(etag.as_str()));
    let since = request(
        &server.addr,
        "GET",
        "/api/status.json",
        &[("If-Modified-Since", &last_modified)],
    );
    assert_eq!(since.status, 304);
    let page = server.get("/");
    let page_304 = request(
        &server.addr,
        "GET",
        "/",
        &[("If-None-Match", page.header("etag").unwrap())],
    );
    assert_eq!(page_304.status, 304);

    // A change through the control socket (the server holds the store) shows at once, with a
    // new ETag; the history shows the operator's name but never a chat user id.
    crate::support::set_krl_through_may(server.dir.path(), "Mette");
    let changed = request(
        &server.addr,
        "GET",
        "/api/status.json",
        &[("If-None-Match", &etag)],
    );
    assert_eq!(changed.status, 200);
    assert_ne!(changed.header("etag"), Some(etag.as_str()));
    let json: Value = serde_json::from_slice(&changed.body).unwrap();
    let krl = json["areas"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == "krl")
        .unwrap();
    assert_eq!(krl["through"], "2025-05");
    assert_eq!(krl["behind_months"], 0);
    assert_eq!(krl["behind"], Value::Null);
    let area = server.get("/omraade/krl").text();
    assert!(area.contains("<td>Mette</td>"), "{area}");
    assert!(area.contains("data t.o.m. april 2025 → maj 2025"), "{area}");
    let metrics = server.get("/metrics").text();
    assert!(
        metrics.contains("flisbot_operator_changes_total 1"),
        "{metrics}"
    );
}

#[test]
fn bad_and_oversized_requests_are_refused_and_the_server_keeps_serving() {
    let server = Server::start();
    let huge = format!(
        "GET / HTTP/1.1\r\nHost: x\r\nX-Big: {}\r\n\r\n",
        "a".repeat(64 * 1024)
    );
    // hyper answers 431 or closes; either way no crash and no unbounded buffer.
    if let Ok(r) = send_raw(&server.addr, huge.as_bytes()) {
        assert!(r.status == 431 || r.status == 400, "{}", r.status);
    }
    let long_query = format!("/kalender.ics?omraade={}", "dream,".repeat(400));
    let r = server.get(&long_query);
    assert_eq!(r.status, 400);
    assert!(r.text().contains("for lang"), "{}", r.text());
    if let Ok(r) = send_raw(&server.addr, b"\x16\x03\x01 not http at all\r\n\r\n") {
        assert_eq!(r.status, 400);
    }
    let r = server.get(&format!("/omraade/{}", "x".repeat(4000)));
    assert_eq!(r.status, 404);
    assert!(
        !r.text().contains(&"x".repeat(100)),
        "the echo is shortened"
    );
    // A request with a body: refused by method, the body never read.
    let r = send_raw(
        &server.addr,
        b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000000\r\nConnection: close\r\n\r\nabc",
    )
    .unwrap();
    assert_eq!(r.status, 405);
    assert_eq!(server.get("/").status, 200, "still serving");
}

/// The issue's siege, bounded: 520 connections from one client that pipeline requests and
/// never read their answers used to take all 512 places, and every other GET timed out. Now
/// that client has its 64 places (their writes blocked: 300 pages each are far more than the
/// socket buffers hold) and a Danish 503 for the rest, while other clients get the page and
/// `/healthz` their answer.
#[test]
fn clients_that_never_read_their_answers_do_not_starve_the_others() {
    use std::io::{Read, Write};
    let server = Server::start();
    let pipelined = "GET / HTTP/1.1\r\nHost: x\r\n\r\n".repeat(300);
    let mut siege = Vec::new();
    for _ in 0..520 {
        let mut s = std::net::TcpStream::connect(&server.addr).unwrap();
        s.set_write_timeout(Some(Duration::from_secs(5))).unwrap();
        // A refused connection may be closed before all of it is written: that is fine.
        let _ = s.write_all(pipelined.as_bytes());
        siege.push(s);
    }
    let page = crate::support::http::get_from("127.0.0.2", &server.addr, "/");
    assert_eq!(page.status, 200);
    assert!(page.text().contains("FLIS"), "the whole page");
    let health = crate::support::http::get_from("127.0.0.3", &server.addr, "/healthz");
    assert_eq!(health.status, 200, "{}", health.text());
    // The besieging client was told, in Danish, to come back later.
    let refused = siege.iter_mut().rev().find_map(|s| {
        s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
        let mut answer = Vec::new();
        let mut head = [0u8; 12];
        s.read_exact(&mut head).ok()?;
        if &head != b"HTTP/1.1 503" {
            return None;
        }
        answer.extend_from_slice(&head);
        let _ = s.read_to_end(&mut answer);
        Some(String::from_utf8_lossy(&answer).into_owned())
    });
    let refused = refused.expect("some of the 520 were refused");
    assert!(refused.contains("For mange forbindelser"), "{refused}");
    assert!(refused.contains("retry-after: 5"), "{refused}");
    let metrics = crate::support::http::get_from("127.0.0.2", &server.addr, "/metrics").text();
    let refusals: u64 = metrics
        .lines()
        .find_map(|l| {
            l.strip_prefix("flisbot_http_requests_total{route=\"(refused)\",code=\"503\"} ")
        })
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    // 456 when the siege is opened within the write timeout, as it is by far.
    assert!(refusals >= 300, "{metrics}");
    drop(siege);
    assert!(server.stop().success());
}

/// Clients that pipeline requests and never read their answers hold their places only until
/// the write timeout (here 1 s): a normal client from the same address, refused while they
/// hold its address's four places, is served once they are disconnected. Without the write
/// timeout they kept the places for a connection's whole life (5 minutes) and this client got
/// a 503 every time; the test above does not show it, its normal clients come from other
/// addresses.
#[test]
fn slow_readers_give_their_places_back_to_a_client_from_the_same_address() {
    use std::io::Write;
    let server = Server::start_with(
        SEED_DAY,
        Some("[web]\nmax_connections_per_client = 4\nwrite_timeout_secs = 1\n"),
        |_| {},
    );
    // 300 pages (5.7 MB) are far more than the socket buffers hold.
    let pipelined = "GET / HTTP/1.1\r\nHost: x\r\n\r\n".repeat(300);
    let mut slow = Vec::new();
    for _ in 0..4 {
        let mut s = crate::support::http::connect_not_reading("127.0.0.5", &server.addr).unwrap();
        s.set_write_timeout(Some(Duration::from_secs(5))).unwrap();
        let _ = s.write_all(pipelined.as_bytes());
        slow.push(s);
    }
    // Accepted after the four, this client is refused until their writes time out. Bounded by
    // a minute, many times the timeout, and never a timing assertion.
    let mut refused = 0;
    let served = (0..600).find_map(|_| {
        let page = crate::support::http::get_from("127.0.0.5", &server.addr, "/");
        if page.status == 200 {
            return Some(page);
        }
        assert_eq!(page.status, 503, "{}", page.text());
        refused += 1;
        std::thread::sleep(Duration::from_millis(100));
        None
    });
    let page = served.unwrap_or_else(|| panic!("still refused after {refused} tries"));
    assert!(page.text().contains("FLIS"), "the whole page");
    drop(slow);
    assert!(server.stop().success());
}

/// 520 clients that never read, spread over ten addresses so none reaches its own limit, take
/// all 512 places. A new connection then takes the place of the one stuck longest in a write:
/// `/healthz` and a page are answered at once, though the write timeout is set to five
/// minutes (without the eviction they waited in the backlog for it, far past their 20 s).
#[test]
fn healthz_answers_while_clients_from_many_addresses_fill_every_place() {
    use std::io::Write;
    let server = Server::start_with(
        SEED_DAY,
        Some("[web]\nmax_connections_per_client = 4\nwrite_timeout_secs = 1\n"),
        |_| {},
    );
    let pipelined = "GET / HTTP/1.1\r\nHost: x\r\n\r\n".repeat(300);
    let mut siege = Vec::new();
    for i in 0..520 {
        let source = format!("127.0.1.{}", 10 + i % 10);
        let mut s = crate::support::http::connect_not_reading(&source, &server.addr).unwrap();
        s.set_write_timeout(Some(Duration::from_secs(5))).unwrap();
        let _ = s.write_all(pipelined.as_bytes());
        siege.push(s);
    }
    let health = crate::support::http::get_from("127.0.0.99", &server.addr, "/healthz");
    assert_eq!(health.status, 200, "{}", health.text());
    let page = crate::support::http::get_from("127.0.0.98", &server.addr, "/");
    assert_eq!(page.status, 200);
    drop(siege);
    assert!(server.stop().success());
}

/// A poller that sends back only Last-Modified: a change made within the second the page was
/// fetched in (here every change is, the clock being fixed) is served, not hidden behind a 304.
#[test]
fn if_modified_since_never_hides_a_change_made_within_the_same_second() {
    let server = Server::start();
    let before = server.get("/api/status.json");
    let last_modified = before.header("last-modified").unwrap().to_owned();
    let since = |path: &str| {
        request(
            &server.addr,
            "GET",
            path,
            &[("If-Modified-Since", last_modified.as_str())],
        )
    };
    assert_eq!(since("/api/status.json").status, 304, "nothing changed yet");
    crate::support::set_krl_through_may(server.dir.path(), "Mette");
    let after = since("/api/status.json");
    assert_eq!(after.status, 200, "the change is served");
    assert_eq!(
        after.header("last-modified"),
        Some(last_modified.as_str()),
        "the same second"
    );
    assert!(
        after.text().contains("\"through\":\"2025-05\""),
        "{}",
        after.text()
    );
    assert_eq!(since("/").status, 200);
    assert_eq!(since("/kalender.ics").status, 200);
    // The version itself still validates: its ETag gives 304.
    let etag = after.header("etag").unwrap();
    let again = request(
        &server.addr,
        "GET",
        "/api/status.json",
        &[
            ("If-None-Match", etag),
            ("If-Modified-Since", &last_modified),
        ],
    );
    assert_eq!(again.status, 304);
}

/// What Chrome sends to an intranet host where single sign-on has set large cookies: about
/// 20 KB of headers, more than the 16 KiB the server allowed before (431).
#[test]
fn a_browsers_ordinary_headers_never_get_431() {
    let server = Server::start();
    let cookie: Vec<String> = (0..5)
        .map(|i| format!("sso_session_{i}={}", "Zm9vYmFy".repeat(480)))
        .collect();
    let ua = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) \
              Chrome/128.0.0.0 Safari/537.36";
    let headers = [
        ("Connection", "close"),
        ("Cache-Control", "max-age=0"),
        (
            "sec-ch-ua",
            "\"Chromium\";v=\"128\", \"Not;A=Brand\";v=\"24\", \"Google Chrome\";v=\"128\"",
        ),
        ("sec-ch-ua-mobile", "?0"),
        ("sec-ch-ua-platform", "\"Windows\""),
        ("Upgrade-Insecure-Requests", "1"),
        ("User-Agent", ua),
        (
            "Accept",
            "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,\
             image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7",
        ),
        ("Sec-Fetch-Site", "none"),
        ("Sec-Fetch-Mode", "navigate"),
        ("Sec-Fetch-User", "?1"),
        ("Sec-Fetch-Dest", "document"),
        ("Accept-Encoding", "gzip, deflate, br, zstd"),
        ("Accept-Language", "da-DK,da;q=0.9,en-US;q=0.8,en;q=0.7"),
        ("Cookie", &cookie.join("; ")),
    ];
    let size: usize = headers.iter().map(|(k, v)| k.len() + v.len() + 4).sum();
    assert!(size > 16 * 1024, "{size} bytes of headers");
    let mut raw = format!("GET / HTTP/1.1\r\nHost: {}\r\n", server.addr);
    for (k, v) in headers {
        raw.push_str(&format!("{k}: {v}\r\n"));
    }
    raw.push_str("\r\n");
    let r = send_raw(&server.addr, raw.as_bytes()).unwrap();
    assert_eq!(r.status, 200);
    assert!(r.text().contains("FLIS"));
}

/// Parses the calendar file at `path` with Python's icalendar and returns its events and
/// calendar properties as JSON; fails on any parse error icalendar records.
const PARSE_ICS: &str = r#"
import json, sys
from icalendar import Calendar
raw = open(sys.argv[1], 'rb').read()
cal = Calendar.from_ical(raw)
errors = [(c.name, e) for c in cal.walk() for e in getattr(c, 'errors', [])]
events = []
for e in cal.walk('VEVENT'):
    events.append({
        'uid': str(e['UID']),
        'summary': str(e['SUMMARY']),
        'description': str(e['DESCRIPTION']),
        'start': e.decoded('DTSTART').isoformat(),
        'end': e.decoded('DTEND').isoformat(),
        'start_is_date': type(e.decoded('DTSTART')).__name__ == 'date',
        'stamp': e.decoded('DTSTAMP').isoformat(),
        'url': str(e['URL']) if 'URL' in e else None,
    })
print(json.dumps({
    'errors': [str(x) for x in errors],
    'name': str(cal.get('X-WR-CALNAME')),
    'tz': str(cal.get('X-WR-TIMEZONE')),
    'version': str(cal.get('VERSION')),
    'prodid': str(cal.get('PRODID')),
    'timezones': [str(t['TZID']) for t in cal.walk('VTIMEZONE')],
    'events': events,
}))
"#;

pub(crate) fn parse_with_icalendar(ics: &[u8]) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("kalender.ics");
    std::fs::write(&file, ics).unwrap();
    let out = Command::new("python3")
        .args(["-c", PARSE_ICS])
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "icalendar could not parse the calendar: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The event with `uid` in a calendar `parse_with_icalendar` read.
pub(crate) fn event_of(cal: &Value, uid: &str) -> Value {
    cal["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["uid"] == uid)
        .unwrap_or_else(|| panic!("{uid}"))
        .clone()
}
