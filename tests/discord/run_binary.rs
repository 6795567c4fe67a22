//! `flisbot run` as a process: token and config checks, the control socket beside a running
//! bot, and a clean shutdown on SIGTERM.

use std::process::{Output, Stdio};

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
    // A password in the proxy's address: never sent, never logged, even at trace.
    let proxy = fake
        .http_url()
        .replace("http://", "http://flis:hemmeligt-kodeord@");
    let mut bot = flisbot_bare()
        .env("DISCORD_TOKEN", "secret-token-value")
        .env("FLISBOT_DISCORD_PROXY", proxy)
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
    let said = String::from_utf8_lossy(&out.stdout);
    // The bot's reply is Markdown; the console lays it out for a pipe: plain text.
    assert!(
        said.contains("KY") && !said.contains("**"),
        "the console asks the bot: {said}"
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

    // SIGTERM, and a change sent right after it: the stopping bot answers it, or, once it no
    // longer takes commands, the CLI runs it on the store itself. Never left unanswered.
    let term = std::process::Command::new("kill")
        .args(["-TERM", &bot.id().to_string()])
        .status()
        .unwrap();
    assert!(term.success());
    let out = cli(&[
        "admin",
        "set",
        "krl",
        "--note",
        "Sendt lige efter SIGTERM.",
        "--by",
        "Ole",
    ]);
    assert!(
        out.status.success() && String::from_utf8_lossy(&out.stdout).starts_with("Gemt"),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );

    // Shards closed, store flushed, exit 0.
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
        !status.1.contains("hemmeligt-kodeord"),
        "the proxy's password is never logged"
    );
    assert!(
        status.1.contains("carries a user name or password"),
        "the operator is told it is not used"
    );
    assert!(
        status.1.contains("connected to Discord") && !status.1.contains('\x1b'),
        "a log into a pipe has no colour codes: {}",
        status.1
    );
    // The store is free again and holds the change made through the socket.
    let out = cli(&["admin", "history", "krl"]);
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("Mette")
            && String::from_utf8_lossy(&out.stdout).contains("Ole"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

/// `flisbot run` against `proxy` (a Discord REST proxy) or, with `env_proxy`, through an HTTPS
/// proxy from the environment; run to its end at trace level. No other proxy setting of the
/// test's own environment leaks in.
async fn run_until_it_gives_up(rest_proxy: Option<String>, env_proxy: Option<String>) -> Output {
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = flisbot_bare();
    for v in [
        "HTTPS_PROXY",
        "https_proxy",
        "HTTP_PROXY",
        "http_proxy",
        "ALL_PROXY",
        "all_proxy",
        "NO_PROXY",
        "no_proxy",
    ] {
        cmd.env_remove(v);
    }
    cmd.env("DISCORD_TOKEN", "secret-token-value")
        .env("RUST_LOG", "trace")
        .arg("--store")
        .arg(dir.path())
        .arg("run");
    if let Some(p) = rest_proxy {
        cmd.env("FLISBOT_DISCORD_PROXY", p);
    }
    if let Some(p) = env_proxy {
        cmd.env("HTTPS_PROXY", p);
    }
    tokio::task::spawn_blocking(move || cmd.output().unwrap())
        .await
        .unwrap()
}

/// A port on 127.0.0.1 where nothing listens.
fn closed_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port()
}

fn assert_no_secret(all: &str) {
    for secret in ["hemmeligt-kodeord", "secret-token-value", "aGVtbWVsaWd0"] {
        assert!(!all.contains(secret), "{secret} in the log");
    }
    // base64 of "flis:hemmeligt-kodeord", as a Proxy-Authorization header would carry it.
    assert!(
        !all.contains("ZmxpczpoZW1tZWxpZ3Qta29kZW9yZA"),
        "credentials in the log"
    );
}

/// A fake Discord that answers the bot's first call (GET /users/@me) with `status`.
async fn fake_answering_login_with(status: u16, message: &str) -> FakeDiscord {
    let fake = FakeDiscord::start().await;
    fake.respond(
        hyper::Method::GET,
        "/api/v10/users/@me",
        status,
        serde_json::json!({"message": message, "code": 0}),
        None,
    );
    fake
}

/// Runs the bot to its end as [`run_until_it_gives_up`] and checks its exit code, its last
/// line (the operator's sentence) and that no secret is in anything it wrote.
async fn gives_up_saying(
    rest_proxy: Option<String>,
    env_proxy: Option<String>,
    code: i32,
    words: &str,
) {
    let out = run_until_it_gives_up(rest_proxy, env_proxy).await;
    let all = String::from_utf8_lossy(&out.stderr).into_owned();
    let last = all.lines().last().unwrap_or_default();
    assert_eq!(out.status.code(), Some(code), "{all}");
    assert!(last.contains(words), "{words}: {last}");
    assert_no_secret(&all);
}

#[tokio::test]
async fn a_failed_login_says_whether_the_token_the_proxy_or_the_network_was_at_fault() {
    // The token: Discord (through the REST proxy, which works) says 401.
    let fake = fake_answering_login_with(401, "401: Unauthorized").await;
    let words = "Discord afviste tokenet (401): tjek DISCORD_TOKEN";
    gives_up_saying(Some(fake.http_url()), None, 4, words).await;

    // The REST proxy answers, but cannot reach Discord.
    let fake = fake_answering_login_with(502, "Bad Gateway").await;
    let words = "svarer, men når ikke Discord (HTTP 502)";
    gives_up_saying(Some(fake.http_url()), None, 5, words).await;

    // The REST proxy cannot be reached; its password is shown nowhere.
    let port = closed_port();
    let proxy = format!("http://flis:hemmeligt-kodeord@127.0.0.1:{port}");
    let words = format!(
        "Proxyen http://127.0.0.1:{port} (FLISBOT_DISCORD_PROXY / discord.proxy) kan ikke nås"
    );
    gives_up_saying(Some(proxy.clone()), None, 5, &words).await;

    // An HTTPS proxy from the environment that cannot be reached.
    let words = format!("Proxyen http://127.0.0.1:{port} (HTTPS_PROXY) kan ikke nås");
    gives_up_saying(None, Some(proxy), 5, &words).await;
}

/// A fake HTTPS proxy on 127.0.0.1 that answers every CONNECT with `status`; returns its
/// address and what it was sent.
fn refusing_connect_proxy(status: &'static str) -> (u16, std::thread::JoinHandle<String>) {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let seen = std::thread::spawn(move || {
        let (mut s, _) = listener.accept().unwrap();
        s.set_read_timeout(Some(std::time::Duration::from_secs(30)))
            .unwrap();
        let mut head = Vec::new();
        let mut byte = [0u8; 1];
        while !head.ends_with(b"\r\n\r\n") && s.read(&mut byte).unwrap_or(0) == 1 {
            head.push(byte[0]);
        }
        let _ = s.write_all(format!("HTTP/1.1 {status}\r\nContent-Length: 0\r\n\r\n").as_bytes());
        String::from_utf8_lossy(&head).into_owned()
    });
    (port, seen)
}

#[tokio::test]
async fn an_https_proxy_that_refuses_is_named_and_its_credentials_stay_out_of_the_log() {
    let (port, seen) = refusing_connect_proxy("407 Proxy Authentication Required");
    let words = format!(
        "Proxyen http://127.0.0.1:{port} (HTTPS_PROXY) afviste flisbot (407 Proxy \
         Authentication Required): tjek brugernavn og adgangskode"
    );
    let proxy = format!("http://flis:hemmeligt-kodeord@127.0.0.1:{port}");
    gives_up_saying(None, Some(proxy), 5, &words).await;
    let request = seen.join().unwrap();
    assert!(request.starts_with("CONNECT discord.com:443"), "{request}");
    assert!(
        request
            .to_lowercase()
            .contains("proxy-authorization: basic"),
        "the HTTP client sends the environment proxy's credentials: {request}"
    );

    let (port, _seen) = refusing_connect_proxy("502 Bad Gateway");
    let words =
        format!("Proxyen http://127.0.0.1:{port} (HTTPS_PROXY) svarer, men når ikke Discord");
    gives_up_saying(None, Some(format!("http://127.0.0.1:{port}")), 5, &words).await;
}
