//! Subscriptions, the outbox and status boards end to end: operator changes through
//! `operations::execute` on a real store, the notifier's `step(now)` driven with chosen "now"s
//! (no sleeps), posting to the fake Discord.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use flisbot::config::Secret;
use flisbot::core::catalogue::AreaId;
use flisbot::core::notify::{Subscription, Target, Topic};
use flisbot::discord::{rest_client, Notifier};
use flisbot::operations::authorisation::{Actor, Operators};
use flisbot::operations::{execute, input, Request, SetChange};
use flisbot::store::{Board, Store};
use serde_json::{json, Value};

use crate::fake_discord::{dm_channel_id, FakeDiscord, RecordedRequest};
use crate::support::{at, TempStore};

const SUBSCRIBER: u64 = 410_000_000_000_000_001;
const OTHER: u64 = 410_000_000_000_000_002;
const CHANNEL: u64 = 320_000_000_000_000_001;
const ROLE: u64 = 720_000_000_000_000_001;
const T0: &str = "2025-10-10T08:00:00Z";

fn t(secs: i64) -> DateTime<Utc> {
    at(T0) + chrono::Duration::seconds(secs)
}

pub fn notifier(fake: &FakeDiscord, store: &Arc<Store>) -> Notifier {
    let http = rest_client(
        &Secret::new("fake-token"),
        Some(&fake.http_url()),
        Duration::from_secs(10),
    )
    .unwrap();
    Notifier::new(Arc::new(http), Arc::clone(store))
}

pub fn follow(store: &Store, target: Target, topic: Topic, role: Option<u64>) {
    store
        .update_subscription(target, |s| {
            let mut s: Subscription = s.unwrap_or_default();
            s.topics.insert(topic);
            s.role = role;
            Some(s)
        })
        .unwrap();
}

/// An operator's change, as `/opdater` or `flisbot admin set` makes it.
pub fn set(
    store: &Store,
    area: &str,
    through: Option<&str>,
    state: Option<&str>,
    now: DateTime<Utc>,
) {
    let request = Request::Set(SetChange {
        area: area.into(),
        through: through.map(|m| input::month(m).unwrap()),
        state: state.map(|s| input::state(s).unwrap()),
        note: None,
    });
    let actor = Actor::Cli {
        name: "Mette".into(),
    };
    let out = execute(store, &Operators::default(), &actor, &request, now, false).unwrap();
    assert!(out.applied);
}

fn posts_to(fake: &FakeDiscord, channel: u64) -> Vec<RecordedRequest> {
    let path = format!("/api/v10/channels/{channel}/messages");
    fake.requests()
        .into_iter()
        .filter(|r| r.is("POST", &path))
        .collect()
}

fn patches(fake: &FakeDiscord) -> Vec<RecordedRequest> {
    fake.requests()
        .into_iter()
        .filter(|r| r.method == "PATCH")
        .collect()
}

fn content(r: &RecordedRequest) -> &str {
    r.body["content"].as_str().unwrap_or_default()
}

fn assert_no_pings(body: &Value) {
    let am = &body["allowed_mentions"];
    assert_eq!(am["parse"], json!([]), "{body}");
    assert!(
        am["users"].as_array().is_none_or(|a| a.is_empty()),
        "{body}"
    );
    assert!(
        am["roles"].as_array().is_none_or(|a| a.is_empty()),
        "{body}"
    );
}

#[tokio::test]
async fn a_followed_change_is_one_dm_and_quick_changes_are_coalesced() {
    let fake = FakeDiscord::start().await;
    let TempStore { store, dir: _dir } = TempStore::new();
    follow(
        &store,
        Target::User(SUBSCRIBER),
        Topic::Area(AreaId::Krl),
        None,
    );
    follow(
        &store,
        Target::User(OTHER),
        Topic::Area(AreaId::Dream),
        None,
    );
    let n = notifier(&fake, &store);
    set(&store, "krl", None, Some("down"), t(0));
    let first = n.step(t(30)).await;
    assert_eq!(
        (first.delivered, first.waiting),
        (0, 1),
        "inside the window"
    );
    set(&store, "krl", Some("2025-08"), None, t(60));
    let out = n.step(t(121)).await;
    assert_eq!(out.delivered, 1, "{out:?}");
    let dms = posts_to(&fake, dm_channel_id(SUBSCRIBER));
    assert_eq!(dms.len(), 1, "exactly one DM");
    let text = content(&dms[0]);
    assert!(text.contains("**KRL Personale** er ændret"), "{text}");
    assert!(
        text.contains("tilstand driftsforstyrrelse → nede"),
        "{text}"
    );
    assert!(
        text.contains("data t.o.m. april 2025 → august 2025"),
        "{text}"
    );
    assert!(
        text.contains("Nu: 🔴 KRL Personale: t.o.m. august 2025"),
        "{text}"
    );
    assert_no_pings(&dms[0].body);
    assert_eq!(dms[0].body["enforce_nonce"], true);
    assert!(dms[0].body["nonce"].as_str().is_some_and(|n| n.len() <= 25));
    assert!(
        posts_to(&fake, dm_channel_id(OTHER)).is_empty(),
        "DREAM's follower hears nothing of KRL"
    );
    assert!(store.outbox().unwrap().is_empty(), "marked delivered");
    assert_eq!(n.step(t(600)).await.delivered, 0);
    assert_eq!(posts_to(&fake, dm_channel_id(SUBSCRIBER)).len(), 1);
    // A release carrying the area is told too.
    let release = Request::Release {
        month: Some("2025-10".parse().unwrap()),
        except: vec![],
    };
    let actor = Actor::Cli {
        name: "Mette".into(),
    };
    execute(
        &store,
        &Operators::default(),
        &actor,
        &release,
        t(700),
        false,
    )
    .unwrap();
    n.step(t(900)).await;
    let dms = posts_to(&fake, dm_channel_id(OTHER));
    assert_eq!(dms.len(), 1, "DREAM moved with the release");
    assert!(
        content(&dms[0]).contains("udgivelsen for oktober 2025"),
        "{}",
        content(&dms[0])
    );
}

/// The outbox is written with the change: a change committed while no worker runs, then the
/// process gone, is delivered by the next process, once; a send whose "delivered" mark failed
/// is sent again after a restart with the same nonce, which Discord drops.
#[tokio::test]
async fn a_crash_between_commit_and_delivery_is_delivered_after_restart_once() {
    let fake = FakeDiscord::start().await;
    let dir = tempfile::tempdir().unwrap();
    {
        let store = Arc::new(Store::open(dir.path()).unwrap());
        follow(
            &store,
            Target::User(SUBSCRIBER),
            Topic::Area(AreaId::Krl),
            None,
        );
        set(&store, "krl", None, Some("down"), t(0));
        // No worker ran; everything is dropped as a crash would.
    }
    {
        let store = Arc::new(Store::open(dir.path()).unwrap());
        let n = notifier(&fake, &store);
        // Sent, but the mark fails: then the process dies.
        store.fail_next_writes(1);
        assert_eq!(n.step(t(200)).await.delivered, 1);
        assert_eq!(store.outbox().unwrap().len(), 1, "not marked");
    }
    let store = Arc::new(Store::open(dir.path()).unwrap());
    let n = notifier(&fake, &store);
    n.step(t(260)).await;
    assert_eq!(posts_to(&fake, dm_channel_id(SUBSCRIBER)).len(), 1, "once");
    assert_eq!(
        fake.deduplicated_posts(),
        1,
        "the repeat carried the same nonce"
    );
    assert!(store.outbox().unwrap().is_empty());
    n.step(t(900)).await;
    assert_eq!(posts_to(&fake, dm_channel_id(SUBSCRIBER)).len(), 1);
}

#[tokio::test]
async fn closed_dms_pause_the_subscription_without_a_retry_storm() {
    let fake = FakeDiscord::start().await;
    let TempStore { store, dir: _dir } = TempStore::new();
    follow(
        &store,
        Target::User(SUBSCRIBER),
        Topic::Area(AreaId::Krl),
        None,
    );
    follow(&store, Target::User(OTHER), Topic::Area(AreaId::Krl), None);
    fake.close_dms(SUBSCRIBER);
    let n = notifier(&fake, &store);
    set(&store, "krl", None, Some("down"), t(0));
    let out = n.step(t(130)).await;
    assert_eq!((out.paused, out.delivered), (1, 1), "{out:?}");
    let sub = store
        .subscription(Target::User(SUBSCRIBER))
        .unwrap()
        .unwrap();
    assert!(sub.paused && !sub.told);
    for (i, state) in ["ok", "down", "ok"].into_iter().enumerate() {
        let i = i as i64;
        set(&store, "krl", None, Some(state), t(200 + 200 * i));
        n.step(t(350 + 200 * i)).await;
    }
    assert_eq!(
        posts_to(&fake, dm_channel_id(SUBSCRIBER)).len(),
        1,
        "tried once, then paused"
    );
    assert_eq!(
        posts_to(&fake, dm_channel_id(OTHER)).len(),
        4,
        "the others still get theirs"
    );
    assert!(store
        .outbox()
        .unwrap()
        .iter()
        .all(|q| q.target != Target::User(SUBSCRIBER)));
}

#[tokio::test]
async fn a_channel_subscription_with_a_role_mentions_only_that_role() {
    let fake = FakeDiscord::start().await;
    let TempStore { store, dir: _dir } = TempStore::new();
    let group = store.catalogue().area(AreaId::Krl).unwrap().group;
    follow(
        &store,
        Target::Channel(CHANNEL),
        Topic::Group(group),
        Some(ROLE),
    );
    let n = notifier(&fake, &store);
    set(&store, "krl", None, Some("down"), t(0));
    n.step(t(130)).await;
    let posts = posts_to(&fake, CHANNEL);
    assert_eq!(posts.len(), 1);
    let body = &posts[0].body;
    assert!(
        content(&posts[0]).starts_with(&format!("<@&{ROLE}> ")),
        "{body}"
    );
    assert_eq!(body["allowed_mentions"]["parse"], json!([]), "{body}");
    assert_eq!(
        body["allowed_mentions"]["roles"],
        json!([ROLE.to_string()]),
        "{body}"
    );
    assert!(body["allowed_mentions"]["users"]
        .as_array()
        .is_none_or(|a| a.is_empty()));
    assert!(body["allowed_mentions"]["replied_user"].as_bool() != Some(true));
}

#[tokio::test]
async fn the_board_is_posted_then_edited_in_place_and_posted_anew_after_a_404() {
    let fake = FakeDiscord::start().await;
    let TempStore { store, dir: _dir } = TempStore::new();
    store.put_board(CHANNEL, Some(&Board::default())).unwrap();
    let n = notifier(&fake, &store);
    assert_eq!(n.step(t(0)).await.boards_posted, 1);
    let posted = posts_to(&fake, CHANNEL);
    assert_eq!(posted.len(), 1);
    assert!(content(&posted[0]).contains("FLIS-status for alle dataområder"));
    assert!(content(&posted[0]).chars().count() <= 2000);
    assert_no_pings(&posted[0].body);
    let (_, board) = &store.boards().unwrap()[0];
    let id = board.message_id.expect("remembered").to_string();
    assert_eq!(n.step(t(30)).await.boards_edited, 0, "nothing changed");
    set(&store, "krl", Some("2025-08"), None, t(40));
    assert_eq!(n.step(t(41)).await.boards_edited, 1);
    let edits = patches(&fake);
    assert_eq!(edits.len(), 1);
    assert_eq!(
        edits[0].path,
        format!("/api/v10/channels/{CHANNEL}/messages/{id}")
    );
    assert!(
        content(&edits[0]).contains("KRL Personale: t.o.m. august 2025"),
        "{}",
        content(&edits[0])
    );
    assert_no_pings(&edits[0].body);
    assert_eq!(posts_to(&fake, CHANNEL).len(), 1, "edited, not re-posted");
    // Deleted in Discord: the next update posts a new one and remembers it.
    fake.delete_message(CHANNEL, &id);
    set(&store, "krl", Some("2025-09"), None, t(60));
    assert_eq!(n.step(t(61)).await.boards_posted, 1);
    assert_eq!(posts_to(&fake, CHANNEL).len(), 2);
    let new_id = store.boards().unwrap()[0].1.message_id.unwrap().to_string();
    assert_ne!(new_id, id);
    set(&store, "krl", Some("2025-10"), None, t(80));
    n.step(t(81)).await;
    assert_eq!(
        patches(&fake).last().unwrap().path,
        format!("/api/v10/channels/{CHANNEL}/messages/{new_id}")
    );
    // After midnight in Copenhagen the board is drawn again (its date), unprompted.
    let before = patches(&fake).len();
    assert_eq!(n.step(at("2025-10-10T22:00:05Z")).await.boards_edited, 1);
    assert!(content(patches(&fake).last().unwrap()).contains("opdateret 11. oktober 2025"));
    assert_eq!(patches(&fake).len(), before + 1);
    // Removed: nothing more.
    store.put_board(CHANNEL, None).unwrap();
    set(
        &store,
        "krl",
        Some("2025-07"),
        None,
        at("2025-10-11T08:00:00Z"),
    );
    n.step(at("2025-10-11T08:01:00Z")).await;
    assert_eq!(patches(&fake).len(), before + 1);
}

#[tokio::test]
async fn a_burst_of_changes_edits_the_board_at_most_once_per_10_seconds() {
    let fake = FakeDiscord::start().await;
    let TempStore { store, dir: _dir } = TempStore::new();
    store.put_board(CHANNEL, Some(&Board::default())).unwrap();
    let n = notifier(&fake, &store);
    n.step(t(0)).await;
    let mut edit_times = Vec::new();
    for s in 1..=35 {
        // A change every second, a pass after each.
        let month = format!("2024-{:02}", 1 + s % 12);
        set(&store, "krl", Some(&month), None, t(s));
        if n.step(t(s)).await.boards_edited > 0 {
            edit_times.push(s);
        }
    }
    assert_eq!(edit_times, [10, 20, 30], "one edit per 10 s");
    assert_eq!(patches(&fake).len(), 3);
    // The last change is shown once the gap has passed.
    n.step(t(45)).await;
    let last = patches(&fake);
    assert!(
        content(last.last().unwrap()).contains("t.o.m. december 2024"),
        "{}",
        content(last.last().unwrap())
    );
}

/// Through the gateway: `/abonner` in a DM, an operator's `/opdater`, one DM; DMs closed, the
/// subscription paused and the user told once, on their next command.
#[tokio::test]
async fn subscribing_by_command_then_an_operator_change_is_one_dm() {
    use crate::fake_discord::payloads;
    use crate::{operator_reply, ready_bot, reply_text, seed_day, OPERATOR_ID, T};
    let bot = ready_bot().await;
    let topic = |v: &str| json!([{"name": "område-eller-gruppe", "type": 3, "value": v}]);
    let ev = payloads::slash_command_in_dm(81, "tok-81", "abonner", topic("krl"), SUBSCRIBER);
    bot.fake.send_dispatch("INTERACTION_CREATE", ev);
    let reply = operator_reply(&bot.fake, 81, "tok-81").await;
    assert!(
        reply_text(&reply).contains("Du følger nu KRL Personale"),
        "{reply}"
    );
    let ev = payloads::slash_command_by(
        82,
        "tok-82",
        "abonner",
        topic("Skole/Dagtilbud"),
        SUBSCRIBER,
        &[],
    );
    bot.fake.send_dispatch("INTERACTION_CREATE", ev);
    let reply = operator_reply(&bot.fake, 82, "tok-82").await;
    assert!(
        reply_text(&reply).contains("gruppen Skole/Dagtilbud"),
        "{reply}"
    );

    let opts = json!([
        {"name": "område", "type": 3, "value": "krl"},
        {"name": "tom", "type": 3, "value": "2025-05"},
    ]);
    let ev = payloads::slash_command_by(83, "tok-83", "opdater", opts, OPERATOR_ID, &[]);
    bot.fake.send_dispatch("INTERACTION_CREATE", ev);
    operator_reply(&bot.fake, 83, "tok-83").await;
    let n = notifier(&bot.fake, &bot.store);
    let later = seed_day() + chrono::Duration::minutes(3);
    assert_eq!(n.step(later).await.delivered, 1);
    let dms = posts_to(&bot.fake, dm_channel_id(SUBSCRIBER));
    assert_eq!(dms.len(), 1);
    assert!(
        content(&dms[0]).contains("data t.o.m. april 2025 → maj 2025"),
        "{}",
        content(&dms[0])
    );
    assert!(bot
        .fake
        .requests()
        .iter()
        .any(|r| r.is("POST", "/api/v10/users/@me/channels")));

    // DMs closed: paused; the user is told once, after their next command's answer.
    bot.fake.close_dms(SUBSCRIBER);
    let opts = json!([
        {"name": "område", "type": 3, "value": "krl"},
        {"name": "tom", "type": 3, "value": "2025-06"},
    ]);
    let ev = payloads::slash_command_by(84, "tok-84", "opdater", opts, OPERATOR_ID, &[]);
    bot.fake.send_dispatch("INTERACTION_CREATE", ev);
    operator_reply(&bot.fake, 84, "tok-84").await;
    assert_eq!(n.step(later + chrono::Duration::minutes(3)).await.paused, 1);
    let ev = payloads::slash_command_in_dm(85, "tok-85", "abonnementer", json!([]), SUBSCRIBER);
    bot.fake.send_dispatch("INTERACTION_CREATE", ev);
    let told = bot
        .fake
        .wait_for_request(
            |r| {
                r.method == "POST"
                    && r.path.contains("tok-85")
                    && content(r).contains("sat på pause")
            },
            T,
        )
        .await;
    assert_eq!(told.body["flags"], 64, "ephemeral");
    // `/afmeld alt` deletes everything.
    let ev = payloads::slash_command_in_dm(86, "tok-86", "afmeld", topic("alt"), SUBSCRIBER);
    bot.fake.send_dispatch("INTERACTION_CREATE", ev);
    let reply = operator_reply(&bot.fake, 86, "tok-86").await;
    assert!(reply_text(&reply).contains("Alt er slettet"), "{reply}");
    assert_eq!(
        bot.store.subscription(Target::User(SUBSCRIBER)).unwrap(),
        None
    );
}

#[tokio::test]
async fn an_operator_sets_up_a_board_by_command_and_removes_it() {
    use crate::fake_discord::{payloads, CHANNEL_ID};
    use crate::{operator_reply, ready_bot, reply_text, OPERATOR_ID, T};
    let bot = ready_bot().await;
    let ev = payloads::slash_command_by(91, "tok-91", "statustavle", json!([]), OPERATOR_ID, &[]);
    bot.fake.send_dispatch("INTERACTION_CREATE", ev);
    let reply = operator_reply(&bot.fake, 91, "tok-91").await;
    assert!(
        reply_text(&reply).contains("Statustavlen er slået op"),
        "{reply}"
    );
    let board = bot.fake.wait_for_message_post(CHANNEL_ID, T).await;
    assert!(content(&board).contains("FLIS-status for alle dataområder"));
    assert!(bot.store.boards().unwrap()[0].1.message_id.is_some());
    let opts = json!([{"name": "fjern", "type": 5, "value": true}]);
    let ev = payloads::slash_command_by(92, "tok-92", "statustavle", opts, OPERATOR_ID, &[]);
    bot.fake.send_dispatch("INTERACTION_CREATE", ev);
    let reply = operator_reply(&bot.fake, 92, "tok-92").await;
    assert!(
        reply_text(&reply).contains("opdateres ikke længere"),
        "{reply}"
    );
    assert!(bot.store.boards().unwrap().is_empty());
    // Not an operator: refused.
    let ev = payloads::slash_command_by(93, "tok-93", "statustavle", json!([]), 123, &[]);
    bot.fake.send_dispatch("INTERACTION_CREATE", ev);
    let reply = operator_reply(&bot.fake, 93, "tok-93").await;
    assert!(reply_text(&reply).contains("ikke ret"), "{reply}");
    assert!(bot.store.boards().unwrap().is_empty());
}

/// Deleted in Discord, the board used to stay gone until a change altered it. MESSAGE_DELETE
/// (and MESSAGE_DELETE_BULK) of the board's message post it anew at once, with no change made,
/// and the new message is remembered; a deleted message that is not the board posts nothing.
#[tokio::test]
async fn a_deleted_board_comes_back_at_once_and_is_remembered() {
    use crate::fake_discord::{payloads, CHANNEL_ID};
    use crate::{operator_reply, ready_bot, OPERATOR_ID, T};
    let bot = ready_bot().await;
    let ev = payloads::slash_command_by(94, "tok-94", "statustavle", json!([]), OPERATOR_ID, &[]);
    bot.fake.send_dispatch("INTERACTION_CREATE", ev);
    operator_reply(&bot.fake, 94, "tok-94").await;
    bot.fake.wait_for_message_post(CHANNEL_ID, T).await;
    let board_id = |store: &Store| store.boards().unwrap()[0].1.message_id;
    let first = wait_for(|| board_id(&bot.store)).await;

    let count = bot.fake.request_count();
    let before = posts_to(&bot.fake, CHANNEL_ID).len();
    // A message that is not the board: nothing happens.
    bot.fake.send_dispatch(
        "MESSAGE_DELETE",
        payloads::message_delete(CHANNEL_ID, "123"),
    );
    bot.fake
        .delete_message_and_tell(CHANNEL_ID, &first.to_string());
    let posted = |r: &RecordedRequest| {
        r.is("POST", &format!("/api/v10/channels/{CHANNEL_ID}/messages")) && r.status == 200
    };
    let again = bot.fake.wait_for_request_from(count, posted, T).await;
    assert!(content(&again).contains("FLIS-status for alle dataområder"));
    let second = wait_for(|| board_id(&bot.store).filter(|id| *id != first)).await;
    assert_eq!(
        posts_to(&bot.fake, CHANNEL_ID).len(),
        before + 1,
        "posted once"
    );

    // A purge that takes the board with other messages.
    let count = bot.fake.request_count();
    bot.fake
        .delete_messages_and_tell(CHANNEL_ID, &["456", &second.to_string()]);
    bot.fake.wait_for_request_from(count, posted, T).await;
    let third = wait_for(|| board_id(&bot.store).filter(|id| *id != second)).await;
    assert_ne!(third, first);
    assert_eq!(posts_to(&bot.fake, CHANNEL_ID).len(), before + 2);
}

/// Polls `check` until it gives a value (the bot records from its own tasks).
async fn wait_for<V>(check: impl Fn() -> Option<V>) -> V {
    let started = std::time::Instant::now();
    loop {
        if let Some(v) = check() {
            return v;
        }
        assert!(started.elapsed() < crate::T, "never came");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}
