//! The local control socket. sled lets one process hold a store; while `flisbot run` holds it,
//! `flisbot ask`, `admin …` and `announce …` send their arguments here and the bot runs the
//! same command (`cli::dispatch`) on its store, so they behave exactly as without it. A command
//! that reads stdin (`admin import-status -`) gets the caller's, sent along, since the bot cannot
//! see it. The socket lives in the store folder and is readable and writable by its owner only.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::Shutdown;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::Duration;

use serde::{Deserialize, Serialize};

/// The most of the caller's stdin a request carries: a status document and one byte more, so
/// the bot can say it is too large rather than read it cut short.
pub(crate) const MAX_STDIN_BYTES: usize = crate::core::import_status::MAX_DOCUMENT_BYTES + 1;

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

pub(crate) fn socket_path(store_dir: &Path) -> PathBuf {
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
pub(crate) const MAX_CONNECTIONS: usize = 32;
/// How long a connection may take to send its request, and the bot to hand over its answer.
const IO_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a connection beyond `MAX_CONNECTIONS` may take to send its request before it is
/// told to try again.
const REFUSAL_DRAIN: Duration = Duration::from_millis(200);
/// How long the caller waits for the bot to run its command and answer.
const ANSWER_TIMEOUT: Duration = Duration::from_secs(60);

/// The line the bot sends when it has read a request and will run it, before it does. A caller
/// whose connection ends before this line knows its command was not run (the bot was stopping,
/// or went away before taking it) and may run it itself; one whose connection ends after it
/// cannot know whether the command was carried out.
#[derive(Debug, Serialize, Deserialize)]
struct Taken {
    taken: bool,
}

/// The control socket of a running holder of the store. Requests are served on background
/// threads, each connection on a thread of its own (at most `MAX_CONNECTIONS` at once), so a
/// client that connects and sends nothing delays nobody else. `handle` runs a command and
/// returns what it printed; commands that change the catalogue still take the store's one
/// write lock in turn.
///
/// A clean stop is two steps: [`ControlServer::stop_accepting`] (on the stop signal) closes
/// the socket, so a later command finds no bot and runs on the store itself once it is let go
/// of, and lets go of every connection whose request is not yet taken (its caller runs the
/// command itself); [`ControlServer::finish`] then waits until every request taken has been
/// run and answered. Only after that may the holder flush the store and exit.
#[must_use = "the socket stops serving when its server is dropped"]
pub struct ControlServer {
    path: PathBuf,
    shared: Arc<Shared>,
}

/// What the accepting thread, the connections and the stopping holder share.
#[derive(Default)]
struct Shared {
    state: Mutex<Connections>,
    /// Signalled when the last request taken has been answered.
    answered: Condvar,
}

#[derive(Default)]
struct Connections {
    stopping: bool,
    /// Connections whose request is not taken yet (a handle each, to end them on a stop).
    waiting: HashMap<u64, UnixStream>,
    next: u64,
    /// Requests taken and not yet answered.
    running: usize,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, Connections> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Serves `listener` until the returned server is stopped (or dropped).
pub fn serve(
    listener: UnixListener,
    handle: Arc<dyn Fn(Request) -> Response + Send + Sync>,
) -> ControlServer {
    let path = listener
        .local_addr()
        .ok()
        .and_then(|a| a.as_pathname().map(Path::to_path_buf))
        .unwrap_or_default();
    let shared = Arc::new(Shared::default());
    let accepting = Arc::clone(&shared);
    let spawned = std::thread::Builder::new()
        .name("control-accept".into())
        .spawn(move || accept(&listener, &accepting, &handle));
    if let Err(e) = spawned {
        tracing::error!(error = %e, "cannot start the control socket's thread");
    }
    ControlServer { path, shared }
}

impl ControlServer {
    /// Stops taking requests: no connection is accepted any more, the socket file is removed,
    /// and every connection whose request was not taken is closed unanswered (its caller runs
    /// the command on the store itself). Requests already taken run on; see `finish`.
    pub fn stop_accepting(&self) {
        {
            let mut state = self.shared.lock();
            if state.stopping {
                return;
            }
            state.stopping = true;
            for stream in state.waiting.values() {
                let _ = stream.shutdown(Shutdown::Both);
            }
        }
        // Wakes the accepting thread, which then closes the listener; the file goes so that no
        // one connects after it.
        let _ = UnixStream::connect(&self.path);
        let _ = std::fs::remove_file(&self.path);
    }

    /// Stops accepting (if not done yet) and waits until every request taken has been run and
    /// answered.
    pub fn finish(self) {
        self.stop_accepting();
        let mut state = self.shared.lock();
        while state.running > 0 {
            state = self
                .shared
                .answered
                .wait(state)
                .unwrap_or_else(|e| e.into_inner());
        }
    }
}

impl Drop for ControlServer {
    fn drop(&mut self) {
        self.stop_accepting();
    }
}

/// The accepting thread: until the server stops, each connection gets a thread of its own.
fn accept(
    listener: &UnixListener,
    shared: &Arc<Shared>,
    handle: &Arc<dyn Fn(Request) -> Response + Send + Sync>,
) {
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
            if shared.lock().stopping {
                break;
            }
            let _ = refuse_busy(&stream);
            continue;
        }
        let slot = Slot(Arc::clone(&open));
        let id = {
            let mut state = shared.lock();
            if state.stopping {
                // Closed unanswered: its caller runs the command itself. Those behind it in
                // the queue are reset with the listener, which is closed when this returns.
                break;
            }
            let Ok(clone) = stream.try_clone() else {
                continue;
            };
            let id = state.next;
            state.next += 1;
            state.waiting.insert(id, clone);
            id
        };
        let (shared, handle) = (Arc::clone(shared), Arc::clone(handle));
        let spawned = std::thread::Builder::new()
            .name("control".into())
            .spawn(move || {
                let _slot = slot;
                if let Err(e) = answer(stream, id, &shared, handle.as_ref()) {
                    tracing::warn!(error = %e, "control request failed");
                }
            });
        if let Err(e) = spawned {
            tracing::error!(error = %e, "cannot start a thread for a control request");
        }
    }
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

/// A connection's request not yet taken: leaves the server's list when its thread ends.
struct Waiting<'a> {
    shared: &'a Shared,
    id: u64,
}

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.shared.lock().waiting.remove(&self.id);
    }
}

/// A request taken: counted until it has been answered (or failed to be).
struct Running<'a>(&'a Shared);

impl Drop for Running<'_> {
    fn drop(&mut self) {
        let mut state = self.0.lock();
        state.running -= 1;
        if state.running == 0 {
            self.0.answered.notify_all();
        }
    }
}

/// Reads one request, takes it (unless the server is stopping), runs it and answers.
fn answer(
    stream: UnixStream,
    id: u64,
    shared: &Shared,
    handle: &(dyn Fn(Request) -> Response + Send + Sync),
) -> std::io::Result<()> {
    let waiting = Waiting { shared, id };
    stream.set_read_timeout(Some(IO_TIMEOUT))?;
    stream.set_write_timeout(Some(IO_TIMEOUT))?;
    let mut line = String::new();
    BufReader::new((&stream).take(MAX_REQUEST_BYTES)).read_line(&mut line)?;
    let mut w = &stream;
    let response = match serde_json::from_str::<Request>(&line) {
        Ok(req) => {
            let running = {
                let mut state = shared.lock();
                if state.stopping {
                    // Not taken: closed unanswered, and the caller runs it itself.
                    return Ok(());
                }
                // Taken: a stop no longer closes it, and waits for its answer.
                state.waiting.remove(&id);
                state.running += 1;
                Running(shared)
            };
            drop(waiting);
            serde_json::to_writer(&mut w, &Taken { taken: true })?;
            w.write_all(b"\n")?;
            w.flush()?;
            let response = handle(req);
            write_response(w, &response)?;
            drop(running);
            return Ok(());
        }
        Err(_) => Response {
            stdout: String::new(),
            stderr: crate::error::error_text("control_bad_request", &[]),
            code: 2,
        },
    };
    write_response(w, &response)
}

fn write_response(mut w: &UnixStream, response: &Response) -> std::io::Result<()> {
    serde_json::to_writer(&mut w, response)?;
    w.write_all(b"\n")?;
    w.flush()
}

/// How a call to the bot went.
#[derive(Debug)]
pub enum Called {
    /// The bot ran the command and answered.
    Answered(Response),
    /// No bot took the request: none runs, or it is stopping (it closed the connection before
    /// taking the request). The command was not run.
    NoBot,
    /// The bot took the request but no answer came: it stopped or hung in the middle, so
    /// whether the command was carried out is unknown.
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
        Err(Failed::NotTaken(e)) => {
            tracing::debug!(error = %e, "the bot did not take the command");
            Called::NoBot
        }
        Err(Failed::AfterTaken(e)) => Called::Lost(e),
    }
}

/// Where a call failed: before the bot took the request, or after.
enum Failed {
    NotTaken(std::io::Error),
    AfterTaken(std::io::Error),
}

fn send_and_read(stream: &UnixStream, request: &Request) -> Result<Response, Failed> {
    let before = |e: std::io::Error| Failed::NotTaken(e);
    stream
        .set_read_timeout(Some(ANSWER_TIMEOUT))
        .map_err(before)?;
    stream.set_write_timeout(Some(IO_TIMEOUT)).map_err(before)?;
    let mut w = std::io::BufWriter::new(stream);
    serde_json::to_writer(&mut w, request)
        .map_err(std::io::Error::from)
        .map_err(before)?;
    w.write_all(b"\n").map_err(before)?;
    w.flush().map_err(before)?;
    drop(w);
    let mut reader = BufReader::new(stream);
    let first = read_line(&mut reader).map_err(before)?;
    // A bot that answers at once (a refusal, a request it cannot read) sends no `Taken`.
    if serde_json::from_str::<Taken>(&first).is_err() {
        return serde_json::from_str(&first).map_err(|e| Failed::AfterTaken(e.into()));
    }
    let line = read_line(&mut reader).map_err(Failed::AfterTaken)?;
    serde_json::from_str(&line).map_err(|e| Failed::AfterTaken(e.into()))
}

/// One line; the end of the stream before it is an error.
fn read_line(reader: &mut BufReader<&UnixStream>) -> std::io::Result<String> {
    let mut line = String::new();
    reader.read_line(&mut line)?;
    if line.is_empty() {
        return Err(std::io::ErrorKind::UnexpectedEof.into());
    }
    Ok(line)
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
        let _socket = serve(
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
        let _socket = serve(
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
        let _socket = serve(
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
        let mut lines = String::new();
        let mut reader = BufReader::new(&half);
        reader.read_line(&mut lines).unwrap();
        reader.read_line(&mut lines).unwrap();
        assert!(
            lines.starts_with("{\"taken\":true}\n") && lines.contains("\"stdout\":\"late\""),
            "{lines}"
        );
        drop(idle);
    }

    /// The bot read the request and went away without taking it: the command was not run, and
    /// the caller may run it itself.
    #[test]
    fn a_request_read_but_not_taken_finds_no_bot() {
        let dir = tempfile::tempdir().unwrap();
        let listener = bind(dir.path()).unwrap();
        let bot = std::thread::spawn(move || {
            let (stream, _) = listener.accept().unwrap();
            let mut line = String::new();
            BufReader::new(&stream).read_line(&mut line).unwrap();
            line
        });
        let called = call(dir.path(), &request(&["admin", "set", "krl"], None));
        assert!(matches!(called, Called::NoBot), "{called:?}");
        assert!(
            bot.join().unwrap().contains("\"krl\""),
            "the request went out"
        );
    }

    /// The bot took the request and went away without answering, as a killed bot does.
    #[test]
    fn a_request_taken_but_never_answered_is_lost_not_absent() {
        let dir = tempfile::tempdir().unwrap();
        let listener = bind(dir.path()).unwrap();
        let bot = std::thread::spawn(move || {
            let (mut stream, _) = listener.accept().unwrap();
            let mut line = String::new();
            BufReader::new(&stream).read_line(&mut line).unwrap();
            stream.write_all(b"{\"taken\":true}\n").unwrap();
            line
        });
        let called = call(dir.path(), &request(&["admin", "set", "krl"], None));
        assert!(matches!(called, Called::Lost(_)), "{called:?}");
        assert!(
            bot.join().unwrap().contains("\"krl\""),
            "the request went out"
        );
    }

    /// A stop: the command under way is answered, the connection that has not sent its request
    /// is let go of unanswered (its caller runs it itself), the socket file is gone, and
    /// `finish` returns only once the command under way has been answered.
    #[test]
    fn a_stop_answers_what_it_took_and_takes_nothing_more() {
        let dir = tempfile::tempdir().unwrap();
        let (entered, wait) = std::sync::mpsc::channel::<()>();
        let (release, released) = std::sync::mpsc::channel::<()>();
        let released = std::sync::Mutex::new(released);
        let server = serve(
            bind(dir.path()).unwrap(),
            Arc::new(move |req: Request| {
                let _ = entered.send(());
                let _ = released.lock().unwrap().recv();
                Response {
                    stdout: req.args.join(" "),
                    stderr: String::new(),
                    code: 0,
                }
            }),
        );
        let path = dir.path().to_owned();
        let under_way =
            std::thread::spawn(move || call(&path, &request(&["admin", "set"], None)).answered());
        wait.recv().unwrap();
        let idle = UnixStream::connect(socket_path(dir.path())).unwrap();
        server.stop_accepting();
        assert!(!socket_path(dir.path()).exists());
        assert!(matches!(
            call(dir.path(), &request(&["ask"], None)),
            Called::NoBot
        ));
        // The idle connection was let go of: it reads the end, no answer.
        let mut line = String::new();
        assert_eq!(BufReader::new(&idle).read_line(&mut line).unwrap_or(0), 0);
        let finished = std::thread::spawn(move || server.finish());
        release.send(()).unwrap();
        finished.join().unwrap();
        let answer = under_way.join().unwrap().expect("answered");
        assert_eq!(answer.stdout, "admin set");
    }
}
