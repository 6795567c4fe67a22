//! What both integration-test binaries share: the real `flisbot` binary with a clean
//! environment, fixed instants, and a real store in a temporary folder.
// Each test binary includes this module and uses a part of it.
#![allow(dead_code)]

pub mod http;
pub mod webhook_receiver;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::sync::Arc;

use chrono::{DateTime, Utc};
use flisbot::store::Store;

/// The seed's day, 10 September 2025, mid-morning in Copenhagen.
pub const SEED_DAY: &str = "2025-09-10T10:00:00+02:00";

/// An instant written as RFC 3339.
pub fn at(rfc3339: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(rfc3339)
        .unwrap_or_else(|e| panic!("{rfc3339}: {e}"))
        .with_timezone(&Utc)
}

/// The real `flisbot` binary, with no store, token, config, proxy or log settings inherited.
pub fn flisbot_bare() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_flisbot"));
    for v in [
        "DISCORD_TOKEN",
        "FLISBOT_STORE",
        "FLISBOT_CONFIG",
        "FLISBOT_DISCORD_PROXY",
        "FLISBOT_LOG_FORMAT",
        "RUST_LOG",
    ] {
        cmd.env_remove(v);
    }
    cmd
}

/// `flisbot --store STORE …`, otherwise as [`flisbot_bare`].
pub fn flisbot(store: &Path) -> Command {
    let mut cmd = flisbot_bare();
    cmd.arg("--store").arg(store);
    cmd
}

/// Sends SIGTERM to `child` and waits for it to exit (killing it and failing after 15 s):
/// how `flisbot run` is stopped in the tests, as systemd stops it.
pub fn stop_with_sigterm(child: std::process::Child) -> std::process::ExitStatus {
    stop_with_signal(child, "TERM")
}

/// Sends `signal` ("TERM", "INT": Ctrl-C in a terminal) to `child` and waits for it to exit
/// (killing it and failing after 15 s).
pub fn stop_with_signal(mut child: std::process::Child, signal: &str) -> std::process::ExitStatus {
    Command::new("kill")
        .args([&format!("-{signal}"), &child.id().to_string()])
        .status()
        .expect("kill runs");
    let started = std::time::Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("the child can be waited for") {
            return status;
        }
        if started.elapsed() > std::time::Duration::from_secs(15) {
            let _ = child.kill();
            panic!("flisbot did not stop on SIG{signal}");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

/// `flisbot --store STORE run --config FILE` with `toml` as the file and a token set, to its
/// end: for configurations refused before any connection is tried.
pub fn run_with_config(store: &Path, toml: &str) -> Output {
    let config = store.join("flisbot.toml");
    std::fs::write(&config, toml).expect("the config file is written");
    flisbot(store)
        .env("DISCORD_TOKEN", "secret-token-value")
        .args(["run", "--config"])
        .arg(&config)
        .output()
        .expect("flisbot starts")
}

/// `flisbot admin set krl --through 2025-05 --by BY` on `store` (through the running bot that
/// holds it, if one does), which must succeed; what it printed.
pub fn set_krl_through_may(store: &Path, by: &str) -> Output {
    let out = flisbot(store)
        .args(["admin", "set", "krl", "--through", "2025-05", "--by", by])
        .output()
        .expect("flisbot starts");
    assert!(out.status.success(), "{}", text(&out.stderr));
    out
}

pub fn run_with_stdin(cmd: &mut Command, stdin: &[u8]) -> Output {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("flisbot starts");
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    child.wait_with_output().unwrap()
}

/// Every key and value the store in `dir` holds, read after the process that used it ended:
/// what "the store is unchanged" is checked against (sled's files change on every open).
pub fn store_contents(dir: &Path) -> Vec<flisbot::store::Entry> {
    Store::open(dir)
        .expect("the store opens")
        .contents()
        .expect("the store reads")
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A freshly seeded store in a folder that lives as long as the value.
pub struct TempStore {
    pub store: Arc<Store>,
    pub dir: tempfile::TempDir,
}

impl TempStore {
    pub fn new() -> TempStore {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let store = Arc::new(Store::open(dir.path()).expect("a new store opens"));
        TempStore { store, dir }
    }
}

/// Whether a test may use an outside tool (Python's icalendar, Chromium, Node's packages): with
/// `Ok` it may; with `Err(why)` it may not, and the test returns after saying `SKIPPED` on
/// stderr, unless `CI=true`, where a missing tool is a failure (CI installs every tool these
/// tests need, so a missing one is a broken CI, not a pass).
pub fn tool_or_skip(test: &str, found: Result<(), String>) -> bool {
    match found {
        Ok(()) => true,
        Err(why) if std::env::var("CI").is_ok_and(|v| v == "true") => {
            panic!("{test}: a tool it needs is missing under CI=true: {why}")
        }
        Err(why) => {
            eprintln!("SKIPPED {test}: {why}");
            false
        }
    }
}

/// `python3` can import `module`, or why not.
pub fn python_module(module: &str, install: &str) -> Result<(), String> {
    let out = Command::new("python3")
        .args(["-c", &format!("import {module}")])
        .output()
        .map_err(|e| format!("python3 cannot be run ({e})"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "python3 has no {module} ({}); .ci/run installs it: {install}",
            String::from_utf8_lossy(&out.stderr).trim()
        ))
    }
}
