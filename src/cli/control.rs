//! The local control socket. sled lets one process hold a store; while `flisbot run` holds it,
//! `flisbot ask`, `admin …` and `announce …` send their arguments here and the bot runs the
//! same command (`cli::dispatch`) on its store, so they behave exactly as without it. A command
//! that reads stdin (`admin import-status -`) gets the caller's, sent along, since the bot cannot
//! see it. The socket lives in the store folder and is readable and writable by its owner only.

use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use serde::{Deserialize, Serialize};

/// The most of the caller's stdin a request carries: a status document and one byte more, so
/// the bot can say it is too large rather than read it cut short.
pub const MAX_STDIN_BYTES: usize = crate::core::import_status::MAX_DOCUMENT_BYTES + 1;

/// A request is at most this long; anything longer is refused unread. Room for `MAX_STDIN_BYTES`
/// as JSON (a byte is at most four characters, "255,") and a megabyte of arguments.
const MAX_REQUEST_BYTES: u64 = 4 * MAX_STDIN_BYTES as u64 + (1 << 20);

#[derive(Debug, Serialize, Deserialize)]
pub struct Request {
    /// The command line after the program name.
    pub args: Vec<String>,
    /// The caller's working folder, for relative paths.
    pub cwd: PathBuf,
    /// The caller's stdin, for a command that reads its input there (at most
    /// `MAX_STDIN_BYTES`); absent for every other command.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stdin: Option<Vec<u8>>,
}

#[derive(Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Response {
    pub stdout: String,
    pub stderr: String,
    pub code: u8,
}

pub fn socket_path(store_dir: &Path) -> PathBuf {
    store_dir.join("control.sock")
}

/// Binds the socket (replacing a stale one left by a crash) with owner-only permissions.
pub fn bind(store_dir: &Path) -> std::io::Result<UnixListener> {
    let path = socket_path(store_dir);
    // The store lock is ours, so any socket file here is a leftover.
    let _ = std::fs::remove_file(&path);
    let listener = UnixListener::bind(&path)?;
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))?;
    Ok(listener)
}

/// How many connections are served at once; a connection beyond it is told to try again.
pub const MAX_CONNECTIONS: usize = 32;
/// How long a connection may take to send its request, and the bot to hand over its answer.
const IO_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a connection beyond `MAX_CONNECTIONS` may take to send its request before it is
/// told to try again.
const REFUSAL_DRAIN: Duration = Duration::from_millis(200);
/// How long the caller waits for the bot to run its command and answer.
const ANSWER_TIMEOUT: Duration = Duration::from_secs(60);

/// Serves requests on a background thread until the listener fails, each connection on a thread
/// of its own (at most `MAX_CONNECTIONS` at once), so a client that connects and sends nothing
/// delays nobody else. `handle` runs a command and returns what it printed; commands that
/// change the catalogue still take the store's one write lock in turn.
pub fn serve(
    listener: UnixListener,
    handle: Arc<dyn Fn(Request) -> Response + Send + Sync>,
) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        let open = Arc::new(AtomicUsize::new(0));
        for conn in listener.incoming() {
            let stream = match conn {
                Ok(stream) => stream,
                Err(e) => {
                    tracing::error!(error = %e, "control socket stopped");
                    break;
                }
            };
            if open.fetch_add(1, Ordering::SeqCst) >= MAX_CONNECTIONS {
                open.fetch_sub(1, Ordering::SeqCst);
                let _ = refuse_busy(&stream);
                continue;
            }
            let slot = Slot(Arc::clone(&open));
            let handle = Arc::clone(&handle);
            let spawned = std::thread::Builder::new()
                .name("control".into())
                .spawn(move || {
                    let _slot = slot;
                    if let Err(e) = answer(stream, handle.as_ref()) {
                        tracing::warn!(error = %e, "control request failed");
                    }
                });
            if let Err(e) = spawned {
                tracing::error!(error = %e, "cannot start a thread for a control request");
            }
        }
    })
}

/// One connection's place among `MAX_CONNECTIONS`, given back when its thread ends.
struct Slot(Arc<AtomicUsize>);

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Tells a connection beyond `MAX_CONNECTIONS` to try again. Its request is read (and
/// dropped) first, for at most `REFUSAL_DRAIN` in all, so the caller reads the answer rather
/// than a reset; this runs on the accepting thread, so it is kept short.
fn refuse_busy(stream: &UnixStream) -> std::io::Result<()> {
    let deadline = std::time::Instant::now() + REFUSAL_DRAIN;
    let mut line = Vec::new();
    let mut reader = BufReader::new(stream.take(MAX_REQUEST_BYTES));
    while !line.ends_with(b"\n") {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        if left.is_zero() {
            break;
        }
        reader.get_ref().get_ref().set_read_timeout(Some(left))?;
        match reader.read_until(b'\n', &mut line) {
            Ok(0) | Err(_) => break,
            Ok(_) => {}
        }
    }
    stream.set_write_timeout(Some(IO_TIMEOUT))?;
    let response = Response {
        stdout: String::new(),
        stderr: format!("{}\n", crate::error::error_text("control_busy", &[])),
        code: 1,
    };
    let mut w = stream;
    serde_json::to_writer(&mut w, &response)?;
    w.write_all(b"\n")
}

fn answer(
    stream: UnixStream,
    handle: &(dyn Fn(Request) -> Response + Send + Sync),
) -> std::io::Result<()> {
    stream.set_read_timeout(Some(IO_TIMEOUT))?;
    stream.set_write_timeout(Some(IO_TIMEOUT))?;
    let mut line = String::new();
    BufReader::new((&stream).take(MAX_REQUEST_BYTES)).read_line(&mut line)?;
    let response = match serde_json::from_str::<Request>(&line) {
        Ok(req) => handle(req),
        Err(_) => Response {
            stdout: String::new(),
            stderr: "Ugyldig forespørgsel på kontrolsoklen.".into(),
            code: 2,
        },
    };
    let mut w = &stream;
    serde_json::to_writer(&mut w, &response)?;
    w.write_all(b"\n")?;
    w.flush()
}

/// How a call to the bot went.
#[derive(Debug)]
pub enum Called {
    /// The bot ran the command and answered.
    Answered(Response),
    /// Nobody listens on the socket: no bot runs, or it is stopping. Nothing was sent.
    NoBot,
    /// The request was sent (or may have been) but no answer came: the bot stopped or hung in
    /// the middle, so whether the command was carried out is unknown.
    Lost(std::io::Error),
}

impl Called {
    /// The bot's answer, if it gave one.
    pub fn answered(self) -> Option<Response> {
        match self {
            Called::Answered(r) => Some(r),
            Called::NoBot | Called::Lost(_) => None,
        }
    }
}

/// Sends `request` (relative paths taken from its `cwd`) to the bot holding `store_dir` and
/// waits up to a minute for its answer.
pub fn call(store_dir: &Path, request: &Request) -> Called {
    let Ok(stream) = UnixStream::connect(socket_path(store_dir)) else {
        return Called::NoBot;
    };
    match send_and_read(&stream, request) {
        Ok(r) => Called::Answered(r),
        Err(e) => Called::Lost(e),
    }
}

fn send_and_read(stream: &UnixStream, request: &Request) -> std::io::Result<Response> {
    stream.set_read_timeout(Some(ANSWER_TIMEOUT))?;
    stream.set_write_timeout(Some(IO_TIMEOUT))?;
    let mut w = std::io::BufWriter::new(stream);
    serde_json::to_writer(&mut w, request)?;
    w.write_all(b"\n")?;
    w.flush()?;
    drop(w);
    let mut line = String::new();
    BufReader::new(stream).read_line(&mut line)?;
    if line.is_empty() {
        return Err(std::io::ErrorKind::UnexpectedEof.into());
    }
    serde_json::from_str(&line).map_err(std::io::Error::other)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_round_trips_and_the_socket_is_owner_only() {
        let dir = tempfile::tempdir().unwrap();
        let listener = bind(dir.path()).unwrap();
        let mode = std::fs::metadata(socket_path(dir.path()))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
        serve(
            listener,
            Arc::new(|req: Request| Response {
                stdout: req.args.join("|"),
                stderr: req
                    .stdin
                    .map_or("no stdin".into(), |s| format!("{} bytes", s.len())),
                code: 7,
            }),
        );
        let r = call(dir.path(), &request(&["ask", "status ky"], None))
            .answered()
            .unwrap();
        assert_eq!((r.stdout.as_str(), r.code), ("ask|status ky", 7));
        assert_eq!(r.stderr, "no stdin");
        let r = call(dir.path(), &request(&["again"], None))
            .answered()
            .unwrap();
        assert_eq!(r.stdout, "again");
        // The most stdin a caller sends, in the bytes that take the most room as JSON.
        let stdin = vec![0xff; MAX_STDIN_BYTES];
        let r = call(dir.path(), &request(&["import"], Some(stdin)))
            .answered()
            .unwrap();
        assert_eq!(r.stderr, format!("{MAX_STDIN_BYTES} bytes"));
    }

    fn request(args: &[&str], stdin: Option<Vec<u8>>) -> Request {
        Request {
            args: args.iter().map(|a| (*a).to_owned()).collect(),
            cwd: PathBuf::new(),
            stdin,
        }
    }

    /// Beyond `MAX_CONNECTIONS` at once, a caller is told to try again instead of waiting.
    #[test]
    fn a_caller_beyond_the_limit_is_told_to_try_again() {
        let dir = tempfile::tempdir().unwrap();
        let (entered, wait) = std::sync::mpsc::channel::<()>();
        let (release, released) = std::sync::mpsc::channel::<()>();
        let released = std::sync::Mutex::new(released);
        serve(
            bind(dir.path()).unwrap(),
            Arc::new(move |_req: Request| {
                let _ = entered.send(());
                let _ = released.lock().unwrap().recv();
                Response {
                    stdout: "done".into(),
                    stderr: String::new(),
                    code: 0,
                }
            }),
        );
        // MAX_CONNECTIONS commands that do not finish until released.
        let busy: Vec<_> = (0..MAX_CONNECTIONS)
            .map(|_| {
                let dir = dir.path().to_owned();
                std::thread::spawn(move || call(&dir, &request(&["ask"], None)).answered())
            })
            .collect();
        for _ in 0..MAX_CONNECTIONS {
            wait.recv().unwrap();
        }
        let r = call(dir.path(), &request(&["ask"], None))
            .answered()
            .expect("an answer, not a reset");
        assert_eq!(r.code, 1);
        assert!(r.stderr.contains("for mange kommandoer"), "{}", r.stderr);
        for _ in 0..MAX_CONNECTIONS {
            release.send(()).unwrap();
        }
        for b in busy {
            assert_eq!(b.join().unwrap().unwrap().stdout, "done");
        }
    }

    #[test]
    fn a_request_without_stdin_reads_as_before() {
        let old: Request = serde_json::from_str(r#"{"args":["ask"],"cwd":"/tmp"}"#).unwrap();
        assert_eq!(old.stdin, None);
        let json = serde_json::to_string(&request(&["ask"], None)).unwrap();
        assert!(!json.contains("stdin"), "{json}");
    }

    #[test]
    fn without_a_bot_the_call_fails_quietly() {
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(
            call(dir.path(), &request(&[], None)),
            Called::NoBot
        ));
    }

    /// A client that connects and sends nothing, or a line that never ends, holds only its own
    /// connection: commands on others are answered meanwhile.
    #[test]
    fn an_idle_client_delays_no_other_command() {
        let dir = tempfile::tempdir().unwrap();
        serve(
            bind(dir.path()).unwrap(),
            Arc::new(|req: Request| Response {
                stdout: req.args.join(" "),
                stderr: String::new(),
                code: 0,
            }),
        );
        let idle = UnixStream::connect(socket_path(dir.path())).unwrap();
        let mut half = UnixStream::connect(socket_path(dir.path())).unwrap();
        half.write_all(b"{\"args\":[").unwrap();
        for n in 0..3 {
            let r = call(dir.path(), &request(&["ask", &n.to_string()], None))
                .answered()
                .expect("answered beside the idle clients");
            assert_eq!(r.stdout, format!("ask {n}"));
        }
        // The half-sent request is still served when it is finished.
        half.write_all(b"\"late\"],\"cwd\":\"/\"}\n").unwrap();
        let mut line = String::new();
        BufReader::new(&half).read_line(&mut line).unwrap();
        assert!(line.contains("\"stdout\":\"late\""), "{line}");
        drop(idle);
    }

    /// The bot took the request and went away without answering, as a killed bot does.
    #[test]
    fn a_request_taken_but_never_answered_is_lost_not_absent() {
        let dir = tempfile::tempdir().unwrap();
        let listener = bind(dir.path()).unwrap();
        let bot = std::thread::spawn(move || {
            let (stream, _) = listener.accept().unwrap();
            let mut line = String::new();
            BufReader::new(&stream).read_line(&mut line).unwrap();
            line
        });
        let called = call(dir.path(), &request(&["admin", "set", "krl"], None));
        assert!(matches!(called, Called::Lost(_)), "{called:?}");
        assert!(
            bot.join().unwrap().contains("\"krl\""),
            "the request went out"
        );
    }
}
