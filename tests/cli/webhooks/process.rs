//! `flisbot admin webhook …` and `flisbot serve` as processes: refusals in Danish that change
//! nothing, a target's URL shown by its host only, `test` against a real receiver (and resuming
//! a paused target), changes through a running server's control socket, and `kill -9` between
//! sending and recording: one delivery per change and target.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Output, Stdio};
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use flisbot::store::Store;

use super::delivery::SECRET;
use crate::support::webhook_receiver::{Answer, Pid, Received, Receiver};
use crate::support::{flisbot, store_contents, text};

fn admin(dir: &Path, args: &[&str]) -> Output {
    flisbot(dir)
        .env("HOOK_SECRET", SECRET)
        .arg("admin")
        .args(args)
        .output()
        .expect("flisbot starts")
}

fn ok(out: &Output) -> String {
    assert!(out.status.success(), "{}", text(&out.stderr));
    text(&out.stdout)
}

#[test]
fn refusals_are_danish_and_change_nothing_and_a_url_is_shown_by_its_host_only() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(&admin(d, &["webhook", "list"]));
    let before = store_contents(d);
    let add = |url: &str, more: &[&str]| {
        let mut args = vec!["webhook", "add", "hr", url];
        args.extend_from_slice(more);
        admin(d, &args)
    };
    let url = "https://prod-1.westeurope.logic.azure.com/workflows/abc?sig=SECRETSIG";
    for (out, says) in [
        (
            add(
                "ftp://example.org/SECRETSIG",
                &["--kind", "teams", "--by", "M"],
            ),
            "https",
        ),
        (
            add(
                "http://example.org/SECRETSIG",
                &["--kind", "teams", "--by", "M"],
            ),
            "https",
        ),
        (
            add("ikke-en-adresse", &["--kind", "teams", "--by", "M"]),
            "ikke en adresse",
        ),
        (
            add(url, &["--kind", "discord", "--by", "M"]),
            "«discord» er ikke en webhook-type",
        ),
        (
            add(url, &["--kind", "teams", "--areas", "sport", "--by", "M"]),
            "Jeg kender ikke området «sport»",
        ),
        (
            add(url, &["--kind", "teams", "--groups", "sport", "--by", "M"]),
            "Jeg kender ikke gruppen «sport»",
        ),
        (
            add(url, &["--kind", "generic", "--by", "M"]),
            "--secret-env",
        ),
        (
            add(
                url,
                &[
                    "--kind",
                    "generic",
                    "--secret-env",
                    "NOT_SET_ANYWHERE",
                    "--by",
                    "M",
                ],
            ),
            "NOT_SET_ANYWHERE er ikke sat",
        ),
        (add(url, &["--kind", "teams"]), "--by"),
    ] {
        assert_eq!(out.status.code(), Some(2), "{says}: {}", text(&out.stderr));
        let err = text(&out.stderr);
        assert!(err.contains(says), "{says}: {err}");
        assert!(!err.contains("SECRETSIG"), "{err}");
    }
    assert_eq!(
        store_contents(d),
        before,
        "every refusal left the store as it was"
    );

    let receiver = Receiver::start();
    let hook = receiver.url("/hook/SECRETPATH");
    let added = ok(&admin(
        d,
        &[
            "webhook",
            "add",
            "hr",
            &hook,
            "--kind",
            "generic",
            "--secret-env",
            "HOOK_SECRET",
            "--groups",
            "beskaeftigelse",
            "--announcements",
            "--by",
            "Mette",
        ],
    ));
    assert!(added.starts_with("Gemt (webhook «hr» tilføjet)"), "{added}");
    let twice = admin(
        d,
        &[
            "webhook", "add", "hr", &hook, "--kind", "slack", "--by", "M",
        ],
    );
    assert!(text(&twice.stderr).contains("findes allerede"));
    let listed = ok(&admin(d, &["webhook", "list"]));
    let counts = ok(&admin(d, &["subscriptions"]));
    for shown in [&added, &listed, &counts] {
        assert!(!shown.contains("SECRETPATH"), "{shown}");
    }
    assert!(
        listed.contains(&format!("http://127.0.0.1:{}/…", receiver.port)),
        "{listed}"
    );
    assert!(
        listed.contains("gruppen Beskæftigelse") && listed.contains("Mette"),
        "{listed}"
    );
    assert!(counts.contains("Webhooks: hr (generic"), "{counts}");

    // A test sends a signed sample and prints the receiver's answer.
    let tested = ok(&admin(d, &["webhook", "test", "hr"]));
    assert!(
        tested.contains("200") && tested.contains("modtaget") && tested.contains("Svar: ok"),
        "{tested}"
    );
    let sample = &receiver.received()[0];
    assert_eq!(sample.json()["type"], "test");
    assert!(sample.header("webhook-signature").is_some());
    // A paused target that takes the test is resumed.
    {
        let store = Store::open(d).unwrap();
        store
            .update_webhook_state("hr", |t| t.paused = true)
            .unwrap();
    }
    assert!(ok(&admin(d, &["webhook", "list"])).contains("PÅ PAUSE"));
    let resumed = ok(&admin(d, &["webhook", "test", "hr"]));
    assert!(resumed.contains("leveres der til igen"), "{resumed}");
    assert!(!ok(&admin(d, &["webhook", "list"])).contains("PÅ PAUSE"));
    let refused = admin(d, &["webhook", "resume", "hr", "--by", "M"]);
    assert!(text(&refused.stderr).contains("ikke på pause"));
    receiver.answer_next([Answer::Status(500, vec![])]);
    let failed = ok(&admin(d, &["webhook", "test", "hr"]));
    assert!(
        failed.contains("500") && failed.contains("afvist"),
        "{failed}"
    );
    let gone = admin(d, &["webhook", "test", "nope"]);
    assert_eq!(gone.status.code(), Some(2));
    assert!(text(&gone.stderr).contains("ingen webhook ved navn «nope»"));

    let removed = ok(&admin(d, &["webhook", "remove", "hr", "--by", "Mette"]));
    assert!(removed.contains("fjernet"), "{removed}");
    assert!(ok(&admin(d, &["webhook", "list"])).contains("Der er ingen webhooks"));
    let history = Store::open(d)
        .unwrap()
        .history(flisbot::core::history::Subject::Webhooks, 10)
        .unwrap();
    let actions: Vec<String> = history.iter().map(|e| e.action.danish()).collect();
    assert_eq!(actions, ["webhook «hr» fjernet", "webhook «hr» tilføjet"]);
    let kept = serde_json::to_string(&history).unwrap();
    assert!(
        !kept.contains("SECRETPATH"),
        "the history keeps no URL: {kept}"
    );
}

/// `flisbot serve` holding the store, with `[notifications] window_secs = 0`; killed when
/// dropped still running (a failed test leaves no server behind).
struct Serve {
    child: Option<Child>,
}

impl Serve {
    fn start(dir: &Path, pid: &Pid) -> Serve {
        let config = dir.join("flisbot.toml");
        std::fs::write(&config, "[notifications]\nwindow_secs = 0\n").unwrap();
        let mut child = flisbot(dir)
            .env("HOOK_SECRET", SECRET)
            .args(["serve", "--listen", "127.0.0.1:0", "--config"])
            .arg(&config)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("flisbot serve starts");
        pid.store(child.id(), Ordering::SeqCst);
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        Serve { child: Some(child) }
    }

    /// Waits for the process to end (it is killed by a receiver), up to a minute: a server
    /// that sent nothing fails the test rather than hanging it.
    fn killed(mut self) {
        let child = self.child.as_mut().unwrap();
        let started = std::time::Instant::now();
        let status = loop {
            if let Some(status) = child.try_wait().unwrap() {
                break status;
            }
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "flisbot serve was not killed: no delivery reached the receiver"
            );
            std::thread::sleep(Duration::from_millis(50));
        };
        self.child = None;
        assert!(!status.success(), "killed, not stopped: {status}");
    }

    fn stop(mut self) {
        crate::support::stop_with_sigterm(self.child.take().unwrap());
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

fn ids(received: &[Received]) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    for r in received {
        *out.entry(r.id()).or_default() += 1;
    }
    out
}

/// A receiver kills `flisbot serve` (-9) when a delivery arrives, before answering; another
/// answers and then kills it. After the restarts every change reaches every target, each
/// delivery id at most twice (the same id: the receiver keeps one), and nothing stays queued.
#[test]
fn kill_9_between_sending_and_recording_gives_one_delivery_per_change_and_target() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (a, b) = (Receiver::start(), Receiver::start());
    ok(&admin(
        d,
        &[
            "webhook",
            "add",
            "a-generic",
            &a.url("/"),
            "--kind",
            "generic",
            "--secret-env",
            "HOOK_SECRET",
            "--by",
            "M",
        ],
    ));
    ok(&admin(
        d,
        &[
            "webhook",
            "add",
            "b-slack",
            &b.url("/"),
            "--kind",
            "slack",
            "--by",
            "M",
        ],
    ));
    ok(&admin(
        d,
        &["set", "krl", "--note", "Første ændring", "--by", "M"],
    ));
    ok(&admin(d, &["set", "dream", "--state", "down", "--by", "M"]));
    let pid: Pid = Arc::default();
    // Targets are served in name order: a-generic's first delivery kills the first server.
    a.answer_next([Answer::Kill(Arc::clone(&pid))]);
    Serve::start(d, &pid).killed();
    assert_eq!(a.received().len(), 1);
    assert!(b.received().is_empty());
    // The second server sends it again, then b-slack's first delivery is answered and killed.
    pid.store(0, Ordering::SeqCst);
    b.answer_next([Answer::OkThenKill(Arc::clone(&pid))]);
    Serve::start(d, &pid).killed();
    // The third runs to the end; a change through its control socket is delivered too.
    pid.store(0, Ordering::SeqCst);
    let server = Serve::start(d, &pid);
    ok(&admin(
        d,
        &["set", "ky", "--note", "Gennem soklen", "--by", "M"],
    ));
    let limit = Duration::from_secs(60);
    a.wait_until(limit, |got| ids(got).len() == 3);
    b.wait_until(limit, |got| ids(got).len() == 3);
    let queue_empty = || !ok(&admin(d, &["webhook", "list"])).contains("venter");
    let started = std::time::Instant::now();
    while !queue_empty() && started.elapsed() < limit {
        std::thread::sleep(Duration::from_millis(100));
    }
    server.stop();
    for (name, r) in [("a-generic", &a), ("b-slack", &b)] {
        let seen = ids(&r.received());
        assert_eq!(seen.len(), 3, "{name}: one message per change: {seen:?}");
        assert!(seen.values().all(|n| *n <= 2), "{name}: {seen:?}");
    }
    assert_eq!(
        ids(&a.received()).values().filter(|n| **n == 2).count(),
        1,
        "the killed send came again, same id"
    );
    let store = Store::open(d).unwrap();
    assert!(
        store.webhook_outbox().unwrap().is_empty(),
        "nothing left queued"
    );
}

/// With `flisbot serve` holding the store, `admin webhook …` goes through its control socket:
/// the signing secret is looked for in the server's environment (the one that signs), not the
/// command's; a change is then delivered signed to the target that follows its area, and `test`
/// and `remove` work as without a server.
#[test]
fn a_running_server_takes_webhook_commands_through_its_control_socket() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let receiver = Receiver::start();
    let server = Serve::start(d, &Pid::default());
    // The command's own environment has no HOOK_SECRET; the server's has.
    let plain = |args: &[&str]| flisbot(d).arg("admin").args(args).output().unwrap();
    ok(&plain(&[
        "webhook",
        "add",
        "hr",
        &receiver.url("/hook"),
        "--kind",
        "generic",
        "--secret-env",
        "HOOK_SECRET",
        "--areas",
        "krl",
        "--by",
        "Mette",
    ]));
    let unset = plain(&[
        "webhook",
        "add",
        "it",
        &receiver.url("/it"),
        "--kind",
        "generic",
        "--secret-env",
        "NOT_SET_ANYWHERE",
        "--by",
        "Mette",
    ]);
    assert_eq!(unset.status.code(), Some(2));
    assert!(text(&unset.stderr).contains("NOT_SET_ANYWHERE er ikke sat"));
    ok(&plain(&[
        "set",
        "dream",
        "--note",
        "Ikke fulgt",
        "--by",
        "M",
    ]));
    ok(&plain(&["set", "krl", "--note", "Fulgt", "--by", "M"]));
    let limit = Duration::from_secs(60);
    let got = receiver.wait_until(limit, |got| !got.is_empty());
    assert_eq!(got.len(), 1, "KRL only");
    assert_eq!(got[0].json()["notice"]["area"], "krl");
    assert!(got[0].header("webhook-signature").is_some());
    let tested = ok(&plain(&["webhook", "test", "hr"]));
    assert!(tested.contains("200"), "{tested}");
    assert_eq!(receiver.received()[1].json()["type"], "test");
    ok(&plain(&["webhook", "remove", "hr", "--by", "Mette"]));
    assert!(ok(&plain(&["webhook", "list"])).contains("Der er ingen webhooks"));
    server.stop();
}
