//! A webhook receiver on 127.0.0.1 for the tests: it records every request (headers, body) and
//! answers as the test scripts it (a status with headers, no answer at all, or a `kill -9` of
//! the sender before answering); unscripted requests get 200. One thread per connection, so a
//! receiver that hangs on one request still takes the next.

use std::collections::VecDeque;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[derive(Clone, Debug)]
pub struct Received {
    /// Header names in lower case.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Received {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).expect("the body is JSON")
    }

    /// The delivery's `webhook-id`.
    pub fn id(&self) -> String {
        self.header("webhook-id").unwrap_or_default().to_owned()
    }
}

/// How the receiver answers one request.
#[derive(Clone, Debug)]
pub enum Answer {
    /// This status, with these extra headers.
    Status(u16, Vec<(&'static str, String)>),
    /// Never answer (the connection is held open).
    Hang,
    /// `kill -9` the sender (its pid, once set), then close without answering.
    Kill(Pid),
    /// Answer 200, then `kill -9` the sender.
    OkThenKill(Pid),
}

/// A process id set once the process is started (the receiver waits for it).
pub type Pid = Arc<std::sync::atomic::AtomicU32>;

pub struct Receiver {
    pub port: u16,
    received: Arc<Mutex<Vec<Received>>>,
    script: Arc<Mutex<VecDeque<Answer>>>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

fn read_request(stream: &mut TcpStream) -> Option<Received> {
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .ok()?;
    let mut bytes = Vec::new();
    let mut buf = [0u8; 4096];
    let head_end = loop {
        if let Some(i) = bytes.windows(4).position(|w| w == b"\r\n\r\n") {
            break i;
        }
        let n = stream.read(&mut buf).ok()?;
        if n == 0 {
            return None;
        }
        bytes.extend_from_slice(&buf[..n]);
    };
    let head = String::from_utf8_lossy(&bytes[..head_end]).into_owned();
    let headers: Vec<(String, String)> = head
        .split("\r\n")
        .skip(1)
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_lowercase(), v.trim().to_owned()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(k, _)| k == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = bytes[head_end + 4..].to_vec();
    while body.len() < length {
        let n = stream.read(&mut buf).ok()?;
        if n == 0 {
            break;
        }
        body.extend_from_slice(&buf[..n]);
    }
    Some(Received { headers, body })
}

fn respond(stream: &mut TcpStream, status: u16, headers: &[(&str, String)]) {
    let mut head = format!("HTTP/1.1 {status} X\r\nContent-Length: 2\r\nConnection: close\r\n");
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\nok");
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.flush();
}

fn kill_9(pid: &Pid) {
    let started = Instant::now();
    let pid = loop {
        match pid.load(std::sync::atomic::Ordering::SeqCst) {
            0 if started.elapsed() < Duration::from_secs(30) => {
                std::thread::sleep(Duration::from_millis(5))
            }
            pid => break pid,
        }
    };
    let _ = std::process::Command::new("kill")
        .args(["-KILL", &pid.to_string()])
        .status();
}

impl Receiver {
    pub fn start() -> Receiver {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a port on loopback");
        let port = listener.local_addr().unwrap().port();
        let received = Arc::new(Mutex::new(Vec::new()));
        let script: Arc<Mutex<VecDeque<Answer>>> = Arc::new(Mutex::new(VecDeque::new()));
        let (r, s) = (Arc::clone(&received), Arc::clone(&script));
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let (r, s) = (Arc::clone(&r), Arc::clone(&s));
                std::thread::spawn(move || {
                    let Some(request) = read_request(&mut stream) else {
                        return;
                    };
                    lock(&r).push(request);
                    let answer = lock(&s)
                        .pop_front()
                        .unwrap_or(Answer::Status(200, Vec::new()));
                    match answer {
                        Answer::Status(code, headers) => respond(&mut stream, code, &headers),
                        Answer::Hang => std::thread::sleep(Duration::from_secs(600)),
                        Answer::Kill(pid) => kill_9(&pid),
                        Answer::OkThenKill(pid) => {
                            respond(&mut stream, 200, &[]);
                            kill_9(&pid);
                        }
                    }
                });
            }
        });
        Receiver {
            port,
            received,
            script,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// The next requests are answered so, in order.
    pub fn answer_next(&self, answers: impl IntoIterator<Item = Answer>) {
        lock(&self.script).extend(answers);
    }

    pub fn received(&self) -> Vec<Received> {
        lock(&self.received).clone()
    }

    /// Waits (polling, up to `limit`) until `done` holds for what was received.
    pub fn wait_until(&self, limit: Duration, done: impl Fn(&[Received]) -> bool) -> Vec<Received> {
        let started = Instant::now();
        loop {
            let got = self.received();
            if done(&got) || started.elapsed() > limit {
                return got;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

/// The folder of the tests' scripts (`tests/webhooks/`).
pub fn scripts() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/webhooks")
}
