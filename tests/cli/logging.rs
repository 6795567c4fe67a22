//! Operator logs fit where they go, and odd command lines never panic.

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

use crate::support::{flisbot, text};

#[test]
fn a_log_into_a_pipe_has_no_colour_codes_and_json_lines_parse() {
    let dir = tempfile::tempdir().unwrap();
    // Opening a new store logs its seeding at info.
    let out = flisbot(&dir.path().join("a"))
        .env("RUST_LOG", "info")
        .args(["ask", "status ky"])
        .output()
        .unwrap();
    let log = text(&out.stderr);
    assert!(log.contains("seeded a new store"), "{log}");
    assert!(!log.contains('\x1b'), "no escape codes: {log:?}");

    for how in [["--log-format", "json"], ["--log-format=json", ""]] {
        let mut cmd = flisbot(&dir.path().join(format!("b{}", how[1].len())));
        cmd.env("RUST_LOG", "info");
        cmd.args(how.iter().filter(|a| !a.is_empty()));
        let out = cmd.args(["ask", "status ky"]).output().unwrap();
        let log = text(&out.stderr);
        let lines: Vec<&str> = log.lines().collect();
        assert!(!lines.is_empty());
        for line in lines {
            let v: serde_json::Value = serde_json::from_str(line).expect(line);
            assert_eq!(v["level"], "INFO", "{line}");
            assert!(v["fields"]["message"].is_string(), "{line}");
        }
    }
    let out = flisbot(&dir.path().join("c"))
        .env("RUST_LOG", "info")
        .env("FLISBOT_LOG_FORMAT", "json")
        .args(["ask", "status ky"])
        .output()
        .unwrap();
    let first = text(&out.stderr);
    let first = first.lines().next().unwrap_or_default();
    assert!(
        serde_json::from_str::<serde_json::Value>(first).is_ok(),
        "{first}"
    );
}

#[test]
fn arguments_that_are_not_utf8_are_refused_without_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let bad = OsStr::from_bytes(b"status \xff\xfe");
    let out = flisbot(dir.path()).arg("ask").arg(bad).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        !text(&out.stderr).contains("panicked"),
        "{}",
        text(&out.stderr)
    );

    let file = OsStr::from_bytes(b"katalog-\xff.toml");
    let out = flisbot(dir.path())
        .current_dir(dir.path())
        .args(["admin", "import"])
        .arg(file)
        .args(["--by", "Mette"])
        .output()
        .unwrap();
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("kan ikke læses") && !err.contains("panicked"),
        "{err}"
    );

    let store = dir.path().join(OsStr::from_bytes(b"lager-\xff"));
    let out = flisbot(&store).args(["ask", "status ky"]).output().unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("KY"));
}
