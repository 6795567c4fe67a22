use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

pub const SEED_DAY: &str = "2025-09-10T10:00:00+02:00";

/// A `flisbot` command with its own store folder and no inherited store or log settings.
pub fn flisbot(store: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_flisbot"));
    cmd.env_remove("FLISBOT_STORE")
        .env_remove("RUST_LOG")
        .arg("--store")
        .arg(store);
    cmd
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

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}
