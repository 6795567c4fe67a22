//! The local control socket. sled lets one process hold a store; while `flisbot run` holds it,
//! `flisbot ask`, `admin …` and `announce …` send their arguments here and the bot runs the
//! same command (`cli::dispatch`) on its store, so they behave exactly as without it. A command
//! that reads stdin (`admin import-status -`) gets the caller's, sent along, since the bot cannot
//! see it. The socket lives in the store folder and is readable and writable by its owner only.

use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
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

/// Serves requests on a background thread, one connection at a time, until the listener
/// fails. `handle` runs a command and returns what it printed.
pub fn serve(
    listener: UnixListener,
    handle: Arc<dyn Fn(Request) -> Response + Send + Sync>,
) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        for conn in listener.incoming() {
            match conn {
                Ok(stream) => {
                    if let Err(e) = answer(stream, handle.as_ref()) {
                        tracing::warn!(error = %e, "control request failed");
                    }
                }
                Err(e) => {
                    tracing::error!(error = %e, "control socket stopped");
                    break;
                }
            }
        }
    })
}

fn answer(
    stream: UnixStream,
    handle: &(dyn Fn(Request) -> Response + Send + Sync),
) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
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

/// Sends `request` (relative paths taken from its `cwd`) to the bot holding `store_dir`; `Err`
/// if no bot listens there or it does not answer within a minute.
pub fn call(store_dir: &Path, request: &Request) -> std::io::Result<Response> {
    let stream = UnixStream::connect(socket_path(store_dir))?;
    stream.set_read_timeout(Some(Duration::from_secs(60)))?;
    stream.set_write_timeout(Some(Duration::from_secs(10)))?;
    let mut w = std::io::BufWriter::new(&stream);
    serde_json::to_writer(&mut w, request)?;
    w.write_all(b"\n")?;
    w.flush()?;
    drop(w);
    let mut line = String::new();
    BufReader::new(&stream).read_line(&mut line)?;
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
        let r = call(dir.path(), &request(&["ask", "status ky"], None)).unwrap();
        assert_eq!((r.stdout.as_str(), r.code), ("ask|status ky", 7));
        assert_eq!(r.stderr, "no stdin");
        let r = call(dir.path(), &request(&["again"], None)).unwrap();
        assert_eq!(r.stdout, "again");
        // The most stdin a caller sends, in the bytes that take the most room as JSON.
        let stdin = vec![0xff; MAX_STDIN_BYTES];
        let r = call(dir.path(), &request(&["import"], Some(stdin))).unwrap();
        assert_eq!(r.stderr, format!("{MAX_STDIN_BYTES} bytes"));
    }

    fn request(args: &[&str], stdin: Option<Vec<u8>>) -> Request {
        Request {
            args: args.iter().map(|a| (*a).to_owned()).collect(),
            cwd: PathBuf::new(),
            stdin,
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
        assert!(call(dir.path(), &request(&[], None)).is_err());
    }
}
