//! A minimal HTTP/1.1 client over std's TcpStream for the web tests: one request per
//! connection (`Connection: close`), the raw bytes of the answer read to the end and split into
//! status, headers and body. Raw on purpose: tests can also send what no client library would.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    /// The first header called `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Sends `raw` to `addr` ("127.0.0.1:8080") and reads the answer until the server closes.
pub fn send_raw(addr: &str, raw: &[u8]) -> std::io::Result<Response> {
    send_raw_on(TcpStream::connect(addr)?, raw)
}

/// A connection to `addr` from the loopback address `source` (127.0.0.2, …): another client,
/// as the server sees it, on this machine.
pub fn connect_from(source: &str, addr: &str) -> std::io::Result<TcpStream> {
    connect_with(source, addr, None)
}

/// A connection from `source` for a client that will not read: its receive buffer is small, so
/// the server's writes wait on it after a few kilobytes rather than after megabytes.
pub fn connect_not_reading(source: &str, addr: &str) -> std::io::Result<TcpStream> {
    connect_with(source, addr, Some(4096))
}

fn connect_with(
    source: &str,
    addr: &str,
    receive_buffer: Option<u32>,
) -> std::io::Result<TcpStream> {
    let source: std::net::SocketAddr = format!("{source}:0")
        .parse()
        .map_err(std::io::Error::other)?;
    let addr: std::net::SocketAddr = addr.parse().map_err(std::io::Error::other)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .build()?;
    let stream = runtime.block_on(async {
        let socket = tokio::net::TcpSocket::new_v4()?;
        if let Some(bytes) = receive_buffer {
            socket.set_recv_buffer_size(bytes)?;
        }
        socket.bind(source)?;
        socket.connect(addr).await
    })?;
    let stream = stream.into_std()?;
    stream.set_nonblocking(false)?;
    Ok(stream)
}

/// `GET path` from the loopback address `source`.
pub fn get_from(source: &str, addr: &str, path: &str) -> Response {
    let raw = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    connect_from(source, addr)
        .and_then(|s| send_raw_on(s, raw.as_bytes()))
        .unwrap_or_else(|e| panic!("GET {path} from {source}: {e}"))
}

fn send_raw_on(mut s: TcpStream, raw: &[u8]) -> std::io::Result<Response> {
    s.set_read_timeout(Some(Duration::from_secs(20)))?;
    s.write_all(raw)?;
    let mut bytes = Vec::new();
    s.read_to_end(&mut bytes)?;
    parse(&bytes).ok_or_else(|| std::io::Error::other(format!("not HTTP: {bytes:?}")))
}

/// `METHOD path` with `headers`.
pub fn request(addr: &str, method: &str, path: &str, headers: &[(&str, &str)]) -> Response {
    let mut raw = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (k, v) in headers {
        raw.push_str(&format!("{k}: {v}\r\n"));
    }
    raw.push_str("\r\n");
    send_raw(addr, raw.as_bytes()).unwrap_or_else(|e| panic!("{method} {path}: {e}"))
}

pub fn get(addr: &str, path: &str) -> Response {
    request(addr, "GET", path, &[])
}

fn parse(bytes: &[u8]) -> Option<Response> {
    let end = bytes.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = std::str::from_utf8(&bytes[..end]).ok()?;
    let mut lines = head.split("\r\n");
    let status = lines.next()?.split(' ').nth(1)?.parse().ok()?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
        .collect();
    let mut body = bytes[end + 4..].to_vec();
    let chunked = headers.iter().any(|(k, v)| {
        k.eq_ignore_ascii_case("transfer-encoding") && v.eq_ignore_ascii_case("chunked")
    });
    if chunked {
        body = dechunk(&body)?;
    }
    Some(Response {
        status,
        headers,
        body,
    })
}

fn dechunk(mut b: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let eol = b.windows(2).position(|w| w == b"\r\n")?;
        let size = usize::from_str_radix(std::str::from_utf8(&b[..eol]).ok()?.trim(), 16).ok()?;
        b = &b[eol + 2..];
        if size == 0 {
            return Some(out);
        }
        out.extend_from_slice(b.get(..size)?);
        b = b.get(size + 2..)?;
    }
}
