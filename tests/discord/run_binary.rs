//! `flisbot run` as a process: token and config checks, the control socket beside a running
//! bot, and a clean shutdown on SIGTERM.

use std::process::Stdio;

use crate::fake_discord::{FakeDiscord, CHANNEL_ID};
use crate::support::flisbot_bare;
use crate::{mention, T};

#[test]
fn a_missing_token_or_a_bad_config_is_a_clear_message_and_exit_code() {
    let dir = tempfile::tempdir().unwrap();
    let out = flisbot_bare()
        .arg("--store")
        .arg(dir.path())
        .arg("run")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("DISCORD_TOKEN mangler") && !err.contains("panicked"),
        "{err}"
    );

    let out = crate::support::run_with_config(dir.path(), "[operators]\nusers = [\"nobody\"]\n");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("Discord-id") && !err.contains("secret-token-value"),
        "{err}"
    );
}

#[tokio::test]
async fn the_cli_reaches_a_running_bot_through_its_control_socket_and_sigterm_stops_it() {
    let fake = FakeDiscord::start().await;
    let dir = tempfile::tempdir().unwrap();
    let mut bot = flisbot_bare()
        .env("DISCORD_TOKEN", "secret-token-value")
        .env("FLISBOT_DISCORD_PROXY", fake.http_url())
        .env("RUST_LOG", "trace")
        .arg("--store")
        .arg(dir.path())
        .arg("run")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Drain the log as it comes (trace level fills a pipe), to search it for the token later.
    let mut stderr = bot.stderr.take().unwrap();
    let log = std::thread::spawn(move || {
        let mut s = String::new();
        use std::io::Read;
        let _ = stderr.read_to_string(&mut s);
        s
    });
    fake.wait_for_ready(1, T).await;
    fake.send_dispatch("MESSAGE_CREATE", mention(5, "status ky"));
    fake.wait_for_message_post(CHANNEL_ID, T).await;

    let socket = dir.path().join("control.sock");
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&socket).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600, "owner-only socket");

    let cli = |args: &[&str]| {
        flisbot_bare()
            .arg("--store")
            .arg(dir.path())
            .args(args)
            .output()
            .unwrap()
    };
    let out = cli(&["ask", "--now", "2025-09-10T10:00:00+02:00", "status krl"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout)
        .contains("pr. 10. september 2025 var data 1 måned bagud"));
    let out = cli(&[
        "admin",
        "set",
        "krl",
        "--through",
        "2025-05",
        "--by",
        "Mette",
    ]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("april 2025 → maj 2025"));
    let out = cli(&["admin", "set", "krl", "--through", "juni", "--by", "Mette"]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "bad input fails the same way through the bot"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("ÅÅÅÅ-MM"));
    let out = cli(&["admin", "as-of", "0000-01-01", "--by", "Mette"]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "the bounds hold through the bot"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("før FLIS fandtes"));
    {
        use std::os::unix::ffi::OsStrExt;
        let not_utf8 = std::ffi::OsStr::from_bytes(b"/tmp/katalog-\xff.toml");
        let out = flisbot_bare()
            .arg("--store")
            .arg(dir.path())
            .args(["admin", "import"])
            .arg(not_utf8)
            .args(["--by", "Mette"])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(err.contains("UTF-8") && !err.contains("panicked"), "{err}");
    }

    let mut console = flisbot_bare()
        .arg("--store")
        .arg(dir.path())
        .arg("console")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    console
        .stdin
        .take()
        .unwrap()
        .write_all(b"status ky\nexit\n")
        .unwrap();
    let out = console.wait_with_output().unwrap();
    assert!(out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("**KY**"),
        "the console asks the bot"
    );

    // A status document on stdin reaches the bot, which cannot read the caller's stdin.
    let mut import = flisbot_bare()
        .arg("--store")
        .arg(dir.path())
        .args(["admin", "import-status", "-", "--dry-run", "--by", "Mette"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    import
        .stdin
        .take()
        .unwrap()
        .write_all(include_bytes!("../../data/statusoversigt-2025-09-10.txt"))
        .unwrap();
    let out = import.wait_with_output().unwrap();
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && said.contains("KRL Personale: data t.o.m. maj 2025 → april 2025"),
        "{said}{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // SIGTERM: shards closed, store flushed, exit 0.
    let status = tokio::task::spawn_blocking(move || {
        let exit = crate::support::stop_with_sigterm(bot);
        (exit, log.join().unwrap())
    })
    .await
    .unwrap();
    assert!(status.0.success(), "{}", status.1);
    assert!(
        !status.1.contains("secret-token-value"),
        "the token is never logged"
    );
    assert!(
        status.1.contains("connected to Discord") && !status.1.contains('\x1b'),
        "a log into a pipe has no colour codes: {}",
        status.1
    );
    // The store is free again and holds the change made through the socket.
    let out = cli(&["admin", "history", "krl"]);
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("Mette"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}
