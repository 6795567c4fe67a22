//! Delivery to webhook targets in process: a real store, changes made through
//! `operations::execute`, the deliverer's `step(now)` driven with chosen "now"s (no sleeps
//! beyond a receiver's own timeout), and real HTTP receivers on 127.0.0.1. The payloads are
//! checked by their receivers' own libraries: the Teams card by the Adaptive Cards reference
//! library (npm adaptivecards), the generic signature by the Standard Webhooks reference
//! library (PyPI standardwebhooks).

use std::collections::{BTreeMap, BTreeSet};
use std::future::Future;
use std::pin::Pin;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};
use flisbot::core::catalogue::{AreaId, Author, ChangeStamp};
use flisbot::core::history::Subject;
use flisbot::core::notify::Topic;
use flisbot::core::webhook::{WebhookKind, WebhookTarget};
use flisbot::operations::authorisation::{Actor, Operators};
use flisbot::operations::{execute, Request, SetChange};
use flisbot::store::{Commit, Store};
use flisbot::webhooks::{Deliverer, OperatorAlert, Outcome, Settings};
use serde_json::Value;

use crate::support::webhook_receiver::{scripts, Answer, Received, Receiver};
use crate::support::{at, python_module, tool_or_skip, TempStore};

/// A Standard Webhooks secret (24 bytes), as `--secret-env` would name it.
pub const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const T0: &str = "2025-10-10T10:00:00Z";

fn t(secs: i64) -> DateTime<Utc> {
    at(T0) + chrono::Duration::seconds(secs)
}

pub fn target(name: &str, url: String, kind: WebhookKind, topics: &[Topic]) -> WebhookTarget {
    WebhookTarget {
        name: name.into(),
        url,
        kind,
        topics: topics.iter().copied().collect(),
        announcements: false,
        secret_env: (kind == WebhookKind::Generic).then(|| "HOOK_SECRET".to_owned()),
        paused: false,
        told: false,
        added: ChangeStamp {
            by: Author::named("Mette"),
            at: at("2025-10-01T08:00:00Z"),
        },
    }
}

pub fn put(store: &Store, t: WebhookTarget) {
    store
        .test_commit(Commit {
            webhooks: vec![(t.name.clone(), Some(t))],
            ..Commit::default()
        })
        .unwrap();
}

fn set_note(store: &Store, area: &str, note: &str, now: DateTime<Utc>) {
    let request = Request::Set(SetChange {
        area: area.into(),
        note: Some(Some(note.into())),
        ..SetChange::default()
    });
    let actor = Actor::Cli {
        name: "Mette".into(),
    };
    assert!(
        execute(store, &Operators::default(), &actor, &request, now, false)
            .unwrap()
            .applied
    );
}

fn settings() -> Settings {
    Settings {
        window: chrono::Duration::zero(),
        time: (9, 0),
        grace: chrono::Duration::days(2),
        base: Some("https://flis-status.example.dk".into()),
        timeout: Duration::from_secs(5),
    }
}

/// Counts what the operators are told.
#[derive(Default)]
struct Told(Mutex<Vec<String>>, AtomicUsize);

impl OperatorAlert for Told {
    fn tell<'a>(&'a self, text: &'a str) -> Pin<Box<dyn Future<Output = bool> + Send + 'a>> {
        self.0.lock().unwrap().push(text.to_owned());
        self.1.fetch_add(1, Ordering::SeqCst);
        Box::pin(async { true })
    }
}

fn deliverer(store: &Arc<Store>, told: Arc<Told>) -> Deliverer {
    Deliverer::new(Arc::clone(store), settings(), told)
        .unwrap()
        .with_secrets(Arc::new(|var| {
            (var == "HOOK_SECRET").then(|| SECRET.to_owned())
        }))
}

fn write_temp(dir: &std::path::Path, name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

fn node_adaptivecards() -> Result<(), String> {
    let lib = scripts().join("node_modules/adaptivecards/dist/adaptivecards.js");
    if !lib.exists() {
        return Err(
            "tests/webhooks has no adaptivecards; .ci/run installs it: (cd tests/webhooks && npm ci)"
                .into(),
        );
    }
    Command::new("node")
        .arg("--version")
        .output()
        .map(|_| ())
        .map_err(|e| format!("node cannot be run ({e})"))
}

/// The Teams body read by the Adaptive Cards reference library: "ok" or what is wrong.
fn check_card(dir: &std::path::Path, body: &[u8]) -> String {
    let file = write_temp(dir, "card.json", body);
    let out = Command::new("node")
        .arg(scripts().join("check_card.js"))
        .arg(&file)
        .output()
        .expect("node runs");
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

/// The generic delivery verified by the Standard Webhooks reference library: the document, or
/// the library's error.
fn verify(dir: &std::path::Path, secret: &str, r: &Received) -> Result<Value, String> {
    let headers: BTreeMap<&str, &str> = ["webhook-id", "webhook-timestamp", "webhook-signature"]
        .into_iter()
        .filter_map(|h| r.header(h).map(|v| (h, v)))
        .collect();
    let h = write_temp(dir, "headers.json", &serde_json::to_vec(&headers).unwrap());
    let b = write_temp(dir, "body.json", &r.body);
    let out = Command::new("python3")
        .arg(scripts().join("verify_signature.py"))
        .args([std::ffi::OsStr::new(secret), h.as_os_str(), b.as_os_str()])
        .output()
        .expect("python3 runs");
    let text = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    if out.status.success() {
        Ok(serde_json::from_str(&text).unwrap())
    } else {
        Err(text)
    }
}

/// A drift note written to ping: on Slack none of it may mention anyone.
const PINGING_NOTE: &str = "Nede <!channel> @here <@U1> & <!everyone> @Channel";

#[tokio::test]
async fn teams_slack_and_generic_get_what_their_receivers_take_and_nobody_is_mentioned() {
    let TempStore { store, dir } = TempStore::new();
    let (teams, slack, generic) = (Receiver::start(), Receiver::start(), Receiver::start());
    put(
        &store,
        target(
            "teams",
            teams.url("/workflow?sig=s3cr3t"),
            WebhookKind::Teams,
            &[],
        ),
    );
    put(
        &store,
        target(
            "slack",
            slack.url("/services/T/B/X"),
            WebhookKind::Slack,
            &[],
        ),
    );
    put(
        &store,
        target(
            "generic",
            generic.url("/hook"),
            WebhookKind::Generic,
            &[Topic::Area(AreaId::Krl)],
        ),
    );
    set_note(&store, "krl", PINGING_NOTE, t(0));
    let outcome = deliverer(&store, Arc::default()).step(t(0)).await;
    assert_eq!((outcome.delivered, outcome.failed), (3, 0), "{outcome:?}");

    // Teams: the Workflows envelope around an Adaptive Card the reference library reads whole.
    let card = &teams.received()[0];
    let body = card.json();
    assert_eq!(body["type"], "message");
    let content = &body["attachments"][0]["content"];
    assert_eq!(
        body["attachments"][0]["contentType"],
        "application/vnd.microsoft.card.adaptive"
    );
    assert_eq!(content["version"], "1.4");
    let text = content.to_string();
    assert!(text.contains("KRL Personale er ændret"), "{text}");
    assert!(
        text.contains("\"title\":\"Driftsbemærkning\""),
        "each change as state, t.o.m., note: {text}"
    );
    assert_eq!(
        content["actions"][0]["url"], "https://flis-status.example.dk/omraade/krl",
        "a link to the area's page"
    );
    if tool_or_skip("the Teams card through adaptivecards", node_adaptivecards()) {
        assert_eq!(check_card(dir.path(), &card.body), "ok");
        // The check can fail: a card with an element it does not know.
        let mut broken = body.clone();
        broken["attachments"][0]["content"]["body"][0]["type"] = "Bogus".into();
        assert_ne!(
            check_card(dir.path(), &serde_json::to_vec(&broken).unwrap()),
            "ok"
        );
    }

    // Slack: text and blocks, and nothing in them that can mention anyone.
    let s = slack.received()[0].json();
    assert!(
        s["text"]
            .as_str()
            .unwrap()
            .contains("KRL Personale er ændret"),
        "{s}"
    );
    let blocks = s["blocks"].as_array().unwrap();
    assert_eq!(blocks[0]["type"], "header");
    assert_eq!(blocks[0]["text"]["type"], "plain_text");
    assert_eq!(blocks[1]["type"], "section");
    assert_eq!(blocks[1]["text"]["type"], "mrkdwn");
    let all = s.to_string();
    for pinging in [
        "<!channel>",
        "<!here>",
        "<!everyone>",
        "<@U1>",
        "@here",
        "@Channel",
        "<!",
    ] {
        assert!(!all.contains(pinging), "{pinging} in {all}");
    }
    assert!(
        all.contains("&lt;!channel&gt;") && all.contains("@\u{200B}here"),
        "{all}"
    );
    assert!(
        all.contains("<https://flis-status.example.dk/omraade/krl|"),
        "{all}"
    );

    // Generic: signed per Standard Webhooks, the id in the header and the document.
    let g = &generic.received()[0];
    assert!(g.header("webhook-signature").unwrap().starts_with("v1,"));
    if tool_or_skip(
        "the generic signature through standardwebhooks",
        python_module(
            "standardwebhooks",
            "python3 -m pip install standardwebhooks==1.1.0",
        ),
    ) {
        let doc = verify(dir.path(), SECRET, g).expect("the reference library verifies it");
        assert_eq!(doc["version"], 1);
        assert_eq!(doc["type"], "notice");
        assert_eq!(doc["id"], g.id());
        assert_eq!(doc["notice"]["area"], "krl");
        assert_eq!(doc["notice"]["after"]["note"], PINGING_NOTE);
        assert_eq!(doc["notice"]["before"]["state"], "disturbed");
        // Another secret, or a body changed on the way: refused.
        let other = "whsec_QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFB";
        assert!(verify(dir.path(), other, g).is_err());
        let mut tampered = g.clone();
        tampered.body = String::from_utf8_lossy(&g.body)
            .replace("krl", "kp")
            .into_bytes();
        assert!(verify(dir.path(), SECRET, &tampered).is_err());
    }
    assert!(
        store.webhook_outbox().unwrap().is_empty(),
        "all taken off the queue"
    );
}

/// One receiver fails with 500, then 429 with Retry-After, then hangs; each is retried, later
/// each time, and the message arrives once it answers, always with the same `webhook-id`; the
/// other receiver gets its message at once and only once.
#[tokio::test]
async fn a_500_a_429_with_retry_after_and_a_hang_are_retried_without_duplicates() {
    let TempStore { store, dir: _dir } = TempStore::new();
    let (flaky, fine) = (Receiver::start(), Receiver::start());
    put(
        &store,
        target("flaky", flaky.url("/"), WebhookKind::Slack, &[]),
    );
    put(
        &store,
        target("fine", fine.url("/"), WebhookKind::Slack, &[]),
    );
    flaky.answer_next([
        Answer::Status(500, vec![]),
        Answer::Status(429, vec![("Retry-After", "120".into())]),
        Answer::Hang,
    ]);
    set_note(&store, "krl", "Forsinket", t(0));
    let d = deliverer(&store, Arc::default());
    let count = |r: &Receiver| r.received().len();
    let step = |secs| d.step(t(secs));

    let o = step(0).await;
    assert_eq!(
        (o.delivered, o.failed),
        (1, 1),
        "500: the other still delivered"
    );
    assert_eq!((count(&flaky), count(&fine)), (1, 1));
    assert_eq!(step(10).await.failed, 0, "backing off: not tried");
    assert_eq!(count(&flaky), 1);
    assert_eq!(step(31).await.failed, 1, "429");
    assert_eq!(count(&flaky), 2);
    assert_eq!(step(100).await.failed, 0, "Retry-After 120 s is honoured");
    assert_eq!(count(&flaky), 2);
    assert_eq!(step(152).await.failed, 1, "hung: the total timeout ends it");
    assert_eq!(count(&flaky), 3);
    let o = step(1000).await;
    assert_eq!((o.delivered, o.failed), (1, 0), "answered at last");
    assert_eq!(step(5000).await.delivered, 0, "and never again");
    let ids: Vec<String> = flaky.received().iter().map(Received::id).collect();
    assert_eq!(ids.len(), 4);
    assert!(
        ids.iter().all(|id| *id == ids[0]),
        "one message, one id: {ids:?}"
    );
    assert_eq!(count(&fine), 1);
    assert_ne!(
        fine.received()[0].id(),
        ids[0],
        "the id is the target's own"
    );
    assert!(store.webhook_outbox().unwrap().is_empty());
}

/// A target that keeps failing is paused after the set number of tries, the operators are told
/// once, what it follows is still queued for it, and once resumed it gets it, coalesced.
#[tokio::test]
async fn a_target_that_keeps_failing_is_paused_the_operators_told_once_and_nothing_lost() {
    let TempStore { store, dir: _dir } = TempStore::new();
    let down = Receiver::start();
    put(
        &store,
        target("nede", down.url("/secret-path"), WebhookKind::Teams, &[]),
    );
    down.answer_next(std::iter::repeat_n(Answer::Status(503, vec![]), 3));
    set_note(&store, "krl", "Første", t(0));
    let told = Arc::new(Told::default());
    let d = deliverer(&store, Arc::clone(&told)).with_pause_after(3);
    let mut outcomes: Vec<Outcome> = Vec::new();
    for secs in [0, 100, 1000] {
        outcomes.push(d.step(t(secs)).await);
    }
    assert_eq!(outcomes[2].paused, 1, "{outcomes:?}");
    assert_eq!(told.1.load(Ordering::SeqCst), 1);
    let message = told.0.lock().unwrap()[0].clone();
    assert!(
        message.contains("«nede»") && message.contains("pause"),
        "{message}"
    );
    assert!(!message.contains("secret-path"), "{message}");
    assert!(store.webhook_target("nede").unwrap().unwrap().paused);
    // Paused: nothing sent, nobody told again, and a new change is kept for it.
    set_note(&store, "krl", "Anden", t(2000));
    for secs in [2000, 9000, 90000] {
        let o = d.step(t(secs)).await;
        assert_eq!((o.delivered, o.failed, o.told), (0, 0, 0));
    }
    assert_eq!(down.received().len(), 3);
    assert_eq!(told.1.load(Ordering::SeqCst), 1, "told once");
    assert_eq!(store.webhook_outbox().unwrap().len(), 2);
    // An operator resumes it: both changes as one message, from the first before to the last.
    let actor = Actor::Cli {
        name: "Mette".into(),
    };
    let resume = Request::WebhookResume {
        name: "nede".into(),
    };
    execute(
        &store,
        &Operators::default(),
        &actor,
        &resume,
        t(95000),
        false,
    )
    .unwrap();
    let o = d.step(t(95000)).await;
    assert_eq!(o.delivered, 1, "{o:?}");
    let card = down.received()[3].json().to_string();
    assert!(card.contains("Anden") && card.contains("Grundet"), "{card}");
    assert!(store.webhook_outbox().unwrap().is_empty());
    let history = store.history(Subject::Webhooks, 5).unwrap();
    assert_eq!(history[0].action.danish(), "webhook «nede» genoptaget");
}

/// A target with `announcements` gets each announcement the schedule makes due, once, filtered
/// to its areas; one without gets none.
#[tokio::test]
async fn announcements_go_once_to_the_targets_that_want_them() {
    let TempStore { store, dir: _dir } = TempStore::new();
    let (wants, not) = (Receiver::start(), Receiver::start());
    let mut krl = target(
        "krl",
        wants.url("/"),
        WebhookKind::Slack,
        &[Topic::Area(AreaId::Krl)],
    );
    krl.announcements = true;
    put(&store, krl);
    put(
        &store,
        target("uden", not.url("/"), WebhookKind::Slack, &[]),
    );
    let d = deliverer(&store, Arc::default());
    // 09:00 in Copenhagen on the 10th.
    let before = d.step(at("2025-10-10T06:59:00Z")).await;
    assert_eq!(before.announced, 0);
    let o = d.step(at("2025-10-10T07:00:00Z")).await;
    assert_eq!(o.announced, 1, "{o:?}");
    assert_eq!(
        d.step(at("2025-10-10T09:00:00Z")).await.announced,
        0,
        "once"
    );
    let d2 = deliverer(&store, Arc::default());
    assert_eq!(
        d2.step(at("2025-10-10T09:00:00Z")).await.announced,
        0,
        "once, across restarts"
    );
    assert!(not.received().is_empty());
    let text = wants.received()[0].json().to_string();
    assert!(text.contains("FLIS-udgivelsen for oktober 2025"), "{text}");
    assert!(
        text.contains("KRL") && !text.contains("DREAM"),
        "its areas only: {text}"
    );
    let ids: BTreeSet<String> = wants.received().iter().map(Received::id).collect();
    assert_eq!(ids.len(), 1);
}
