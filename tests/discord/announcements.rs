//! Scheduled announcements end to end: the announcer's step, driven with chosen "now"s, posting
//! to the fake Discord; the store is real sled.

use std::sync::Arc;
use std::time::Duration;

use flisbot::config::{Config, Secret};
use flisbot::discord::{rest_client, Announcer};
use flisbot::store::Store;
use serde_json::json;

use crate::fake_discord::{FakeDiscord, RecordedRequest};
use crate::support::{at, TempStore};

const A: u64 = 310_000_000_000_000_001;
const B: u64 = 310_000_000_000_000_002;
const SCHOOL: u64 = 310_000_000_000_000_003;

/// 09:00 Copenhagen on the 10th of October 2025.
const DUE: &str = "2025-10-10T07:00:00Z";

fn config() -> Config {
    Config::from_toml(&format!(
        "[announcements]\ntime = \"09:00\"\ngrace_days = 2\n\
         [[announcements.channels]]\nid = {A}\n\
         [[announcements.channels]]\nid = \"{B}\"\n\
         [[announcements.channels]]\nid = {SCHOOL}\ngroups = [\"skole_dagtilbud\"]\n"
    ))
    .unwrap()
}

fn announcer(fake: &FakeDiscord, store: &Arc<Store>) -> Announcer {
    announcer_with_timeout(fake, store, Duration::from_secs(10))
}

fn announcer_with_timeout(fake: &FakeDiscord, store: &Arc<Store>, timeout: Duration) -> Announcer {
    let http = rest_client(&Secret::new("fake-token"), Some(&fake.http_url()), timeout).unwrap();
    Announcer::new(
        Arc::new(http),
        Arc::clone(store),
        config().schedule().unwrap(),
    )
    .with_rate_limit_wait(Duration::from_millis(20))
}

fn posts_to(fake: &FakeDiscord, channel: u64) -> Vec<RecordedRequest> {
    let path = format!("/api/v10/channels/{channel}/messages");
    fake.requests()
        .into_iter()
        .filter(|r| r.is("POST", &path))
        .collect()
}

#[tokio::test]
async fn at_the_due_time_every_channel_gets_one_post_with_the_expected_text() {
    let fake = FakeDiscord::start().await;
    let TempStore { store, dir: _dir } = TempStore::new();
    let a = announcer(&fake, &store);
    assert!(
        a.step(at("2025-10-10T06:59:00Z")).await.sent.is_empty(),
        "not before 09:00"
    );
    let out = a.step(at(DUE)).await;
    assert_eq!(out.sent.len(), 3);
    for ch in [A, B, SCHOOL] {
        let p = posts_to(&fake, ch);
        assert_eq!(p.len(), 1, "{ch}");
        let body = &p[0].body;
        assert!(
            body["content"]
                .as_str()
                .unwrap()
                .contains("FLIS-udgivelsen for oktober 2025 ventes i dag"),
            "{body}"
        );
        assert_eq!(body["allowed_mentions"]["parse"], json!([]));
        assert_eq!(body["enforce_nonce"], true);
        assert!(body["nonce"].as_str().is_some_and(|n| n.len() <= 25));
    }
    let school = posts_to(&fake, SCHOOL)[0].body["content"]
        .as_str()
        .unwrap()
        .to_owned();
    // Skole's note says the timing is unknown: it is not promised with the others.
    assert!(
        school.contains("Data t.o.m. august 2025: Dagtilbud, Aula")
            && school.contains("Ikke med, se driftsnoten: **Skole**")
            && !school.contains("Borger"),
        "{school}"
    );
    assert!(
        a.step(at("2025-10-10T07:30:00Z")).await.sent.is_empty(),
        "once per channel"
    );
}

#[tokio::test]
async fn a_restart_after_posting_posts_nothing() {
    let fake = FakeDiscord::start().await;
    let dir = tempfile::tempdir().unwrap();
    {
        let store = Arc::new(Store::open(dir.path()).unwrap());
        assert_eq!(announcer(&fake, &store).step(at(DUE)).await.sent.len(), 3);
    }
    let store = Arc::new(Store::open(dir.path()).unwrap());
    let again = announcer(&fake, &store)
        .step(at("2025-10-10T07:05:00Z"))
        .await;
    assert!(again.sent.is_empty());
    assert_eq!(posts_to(&fake, A).len(), 1);
}

#[tokio::test]
async fn a_crash_between_send_and_record_posts_nothing_new() {
    let fake = FakeDiscord::start().await;
    let TempStore { store, dir: _dir } = TempStore::new();
    let a = announcer(&fake, &store);
    // Sent, then "crashed" before recording: the store does not know.
    let catalogue = store.catalogue();
    let due = flisbot::core::announce::due(
        &config().schedule().unwrap(),
        &catalogue,
        |_, _| false,
        at(DUE),
    );
    let first = due.iter().find(|d| d.channel == A).unwrap();
    a.post(&catalogue, first).await.unwrap();
    assert!(!store.was_announced(A, "monthly-2025-10").unwrap());
    // After the restart the pass sends again with the same nonce; Discord drops the repeat.
    let restarted = announcer(&fake, &store);
    restarted.step(at("2025-10-10T07:01:00Z")).await;
    assert_eq!(fake.deduplicated_posts(), 1);
    assert_eq!(posts_to(&fake, A).len(), 1, "no second post in channel A");
    assert!(
        store.was_announced(A, "monthly-2025-10").unwrap(),
        "now recorded"
    );
}

#[tokio::test]
async fn downtime_across_the_due_time_catches_up_once_but_never_too_late() {
    let fake = FakeDiscord::start().await;
    let TempStore { store, dir: _dir } = TempStore::new();
    let a = announcer(&fake, &store);
    let late = a.step(at("2025-10-11T09:00:00Z")).await;
    assert_eq!(late.sent.len(), 3, "a day late: caught up");
    assert!(
        a.step(at("2025-10-11T10:00:00Z")).await.sent.is_empty(),
        "once"
    );

    let fake = FakeDiscord::start().await;
    let TempStore { store, dir: _dir } = TempStore::new();
    let too_late = announcer(&fake, &store)
        .step(at("2025-10-12T07:00:00Z"))
        .await;
    assert!(too_late.sent.is_empty(), "two days late: left out");
    assert!(posts_to(&fake, A).is_empty());
}

#[tokio::test]
async fn a_forbidden_channel_does_not_stop_the_rest_and_is_retried_with_backoff() {
    let fake = FakeDiscord::start().await;
    fake.fail_channel(A, 403);
    let TempStore { store, dir: _dir } = TempStore::new();
    let a = announcer(&fake, &store);
    let out = a.step(at(DUE)).await;
    assert_eq!(
        out.sent.iter().map(|d| d.channel).collect::<Vec<_>>(),
        [B, SCHOOL]
    );
    assert_eq!(out.failed.len(), 1);
    fake.clear_overrides();
    assert!(
        a.step(at("2025-10-10T07:01:00Z")).await.sent.is_empty(),
        "backing off"
    );
    let retried = a.step(at("2025-10-10T07:06:00Z")).await;
    assert_eq!(
        retried.sent.iter().map(|d| d.channel).collect::<Vec<_>>(),
        [A]
    );
    assert!(store.was_announced(A, "monthly-2025-10").unwrap());
}

#[tokio::test]
async fn a_rate_limit_behind_the_proxy_is_waited_out() {
    let fake = FakeDiscord::start().await;
    fake.rate_limit_once(B, 0.05);
    let TempStore { store, dir: _dir } = TempStore::new();
    let out = announcer(&fake, &store).step(at(DUE)).await;
    assert_eq!(out.sent.len(), 3);
    let to_b = posts_to(&fake, B);
    assert_eq!(
        to_b.iter().map(|r| r.status).collect::<Vec<_>>(),
        [429, 200]
    );
}

/// A post that hangs past the request timeout fails that channel for this pass; the others
/// get theirs, and the hung channel is retried later.
#[tokio::test]
async fn a_hung_post_times_out_and_the_other_channels_get_theirs() {
    let fake = FakeDiscord::start().await;
    fake.delay(
        hyper::Method::POST,
        &format!("/api/v10/channels/{A}/messages"),
        Duration::from_secs(120),
        Some(1),
    );
    let TempStore { store, dir: _dir } = TempStore::new();
    let a = announcer_with_timeout(&fake, &store, Duration::from_secs(1));
    let out = tokio::time::timeout(Duration::from_secs(60), a.step(at(DUE)))
        .await
        .expect("the pass ends although a post hangs");
    assert_eq!(
        out.sent.iter().map(|d| d.channel).collect::<Vec<_>>(),
        [B, SCHOOL]
    );
    assert_eq!(out.failed.len(), 1);
    assert!(!store.was_announced(A, "monthly-2025-10").unwrap());
    let retried = a.step(at("2025-10-10T07:06:00Z")).await;
    assert_eq!(
        retried.sent.iter().map(|d| d.channel).collect::<Vec<_>>(),
        [A]
    );
}

/// Discord forgets nonces after a few minutes, so a post whose record failed must not be sent
/// again when the next pass comes: the announcer remembers it and records it then.
#[tokio::test]
async fn a_post_whose_record_failed_is_recorded_later_not_posted_again() {
    let fake = FakeDiscord::start().await;
    let TempStore { store, dir: _dir } = TempStore::new();
    let a = announcer(&fake, &store);
    store.fail_next_writes(1);
    let out = a.step(at(DUE)).await;
    assert_eq!(out.sent.len(), 3);
    assert!(
        !store.was_announced(A, "monthly-2025-10").unwrap(),
        "the first record failed"
    );
    fake.set_nonce_ttl(Duration::ZERO);
    let later = a.step(at("2025-10-10T07:10:00Z")).await;
    assert!(later.sent.is_empty(), "{later:?}");
    assert_eq!(posts_to(&fake, A).len(), 1, "one post, nonces or not");
    assert!(
        store.was_announced(A, "monthly-2025-10").unwrap(),
        "recorded now"
    );
    assert!(announcer(&fake, &store)
        .step(at("2025-10-10T08:00:00Z"))
        .await
        .sent
        .is_empty());
    assert_eq!(posts_to(&fake, A).len(), 1, "nor after a restart");
}
