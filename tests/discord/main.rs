//! End to end: the real serenity/poise client of flisbot against a fake Discord (REST + gateway
//! websocket) on 127.0.0.1, started by each test. Events are injected over the gateway and the
//! JSON bodies the bot sends are asserted.

mod announcements;
mod answers;
mod fake_discord;
mod importer;
mod notices;
mod run_binary;
#[path = "../support/mod.rs"]
mod support;
mod web;
mod webhooks;

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use fake_discord::{payloads, FakeDiscord, RecordedRequest, BOT_USER_ID, CHANNEL_ID, USER_ID};
use flisbot::clock::FixedClock;
use flisbot::config::{Config, Secret};
use flisbot::core::catalogue::AreaId;
use flisbot::discord::{build_client, explain_end, BotSettings};
use flisbot::store::Store;
use serde_json::{json, Value};
use support::TempStore;
use tokio::task::JoinHandle;

const T: Duration = Duration::from_secs(15);
const OPERATOR_ID: u64 = 400_000_000_000_000_077;
const OPERATOR_ROLE: u64 = 700_000_000_000_000_001;
const QUESTION_CHANNEL: u64 = 300_000_000_000_000_009;
const DM_CHANNEL: u64 = 300_000_000_000_000_555;
const ANNOUNCE_CHANNEL: u64 = 300_000_000_000_000_777;

struct Bot {
    fake: FakeDiscord,
    store: Arc<Store>,
    _dir: tempfile::TempDir,
    task: JoinHandle<Result<(), serenity::Error>>,
}

fn seed_day() -> DateTime<Utc> {
    "2025-09-10T08:00:00Z".parse().unwrap()
}

fn config() -> Config {
    Config::from_toml(&format!(
        "[discord]\nquestion_channels = [{QUESTION_CHANNEL}]\n\
         [operators]\nusers = [{OPERATOR_ID}]\nroles = [\"{OPERATOR_ROLE}\"]\n\
         [[announcements.channels]]\nid = {ANNOUNCE_CHANNEL}\n"
    ))
    .unwrap()
}

async fn start_bot_with(fake: FakeDiscord) -> Bot {
    start_bot_configured(fake, config()).await
}

async fn start_bot_configured(fake: FakeDiscord, config: Config) -> Bot {
    start_bot_at(fake, config, seed_day()).await
}

/// A bot whose clock stands at `now`.
async fn start_bot_at(fake: FakeDiscord, config: Config, now: DateTime<Utc>) -> Bot {
    let TempStore { store, dir } = TempStore::new();
    let settings = BotSettings {
        token: Secret::new("fake-token"),
        config,
        proxy: Some(fake.http_url()),
        store: Arc::clone(&store),
        clock: Arc::new(FixedClock(now)),
    };
    let mut client = build_client(settings)
        .await
        .expect("client builds against the fake")
        .client;
    let task = tokio::spawn(async move { client.start().await });
    Bot {
        fake,
        store,
        _dir: dir,
        task,
    }
}

/// A bot connected, READY, with its commands registered.
async fn ready_bot() -> Bot {
    let bot = start_bot_with(FakeDiscord::start().await).await;
    bot.fake.wait_for_ready(1, T).await;
    bot.fake
        .wait_for_request(|r| r.method == "PUT" && r.path.ends_with("/commands"), T)
        .await;
    bot
}

fn mention(id: u64, text: &str) -> Value {
    payloads::message(
        id,
        CHANNEL_ID,
        USER_ID,
        &format!("<@{BOT_USER_ID}> {text}"),
        &[BOT_USER_ID],
    )
}

fn assert_no_pings(req: &RecordedRequest) {
    let am = &req.body["allowed_mentions"];
    assert_eq!(am["parse"], json!([]), "{}", req.body);
    assert!(
        am["users"].as_array().is_none_or(|a| a.is_empty()),
        "{}",
        req.body
    );
    assert!(
        am["roles"].as_array().is_none_or(|a| a.is_empty()),
        "{}",
        req.body
    );
}

fn posts(fake: &FakeDiscord) -> Vec<RecordedRequest> {
    fake.requests()
        .into_iter()
        .filter(|r| r.method == "POST" && r.path.ends_with("/messages"))
        .collect()
}

fn embed_text(body: &Value) -> String {
    body["embeds"]
        .as_array()
        .map(|es| {
            es.iter()
                .map(|e| {
                    format!(
                        "{}\n{}\n{}",
                        e["title"], e["description"], e["footer"]["text"]
                    )
                })
                .collect::<Vec<_>>()
                .join("\n")
        })
        .unwrap_or_default()
}

async fn callback(fake: &FakeDiscord, interaction_id: u64) -> RecordedRequest {
    let path = format!("/interactions/{interaction_id}/");
    fake.wait_for_request(|r| r.method == "POST" && r.path.contains(&path), T)
        .await
}

/// An operator command's answer: an ephemeral deferral at once (Discord's 3-second rule), then
/// the result as an ephemeral follow-up; returns the follow-up's body.
async fn operator_reply(fake: &FakeDiscord, interaction_id: u64, token: &str) -> Value {
    let cb = callback(fake, interaction_id).await;
    assert_eq!(cb.body["type"], 5, "deferred: {}", cb.body);
    assert_eq!(cb.body["data"]["flags"], 64, "ephemeral: {}", cb.body);
    let path = format!("/api/v10/webhooks/{}/{token}", fake_discord::APPLICATION_ID);
    let reply = fake
        .wait_for_request(|r| r.method == "POST" && r.path == path, T)
        .await
        .body;
    assert_eq!(reply["flags"], 64, "operator output is ephemeral: {reply}");
    assert_eq!(reply["allowed_mentions"]["parse"], json!([]), "{reply}");
    reply
}

fn reply_text(reply: &Value) -> &str {
    reply["content"].as_str().unwrap_or_default()
}

#[tokio::test]
async fn a_mention_is_answered_with_an_embed_and_pings_nobody() {
    let bot = ready_bot().await;
    bot.fake
        .send_dispatch("MESSAGE_CREATE", mention(11, "status FSIII"));
    let post = bot.fake.wait_for_message_post(CHANNEL_ID, T).await;
    assert_no_pings(&post);
    assert_eq!(post.body["message_reference"]["message_id"], "11");
    let text = embed_text(&post.body);
    assert!(text.contains("FSIII") && text.contains("TRIFORK"), "{text}");
    assert!(text.contains("Status pr. 10. september 2025"), "{text}");
    assert_eq!(post.body["embeds"][0]["color"], 0xF1C40F);
}

#[tokio::test]
async fn a_direct_message_is_answered() {
    let bot = ready_bot().await;
    bot.fake.send_dispatch(
        "MESSAGE_CREATE",
        payloads::dm_message(12, DM_CHANNEL, USER_ID, "hvornår kommer DREAM-data?"),
    );
    let post = bot.fake.wait_for_message_post(DM_CHANNEL, T).await;
    let text = embed_text(&post.body);
    assert!(
        text.contains("ca. 19.–26. september 2025") && text.contains("juni 2025"),
        "{text}"
    );
    assert_no_pings(&post);
}

#[tokio::test]
async fn a_question_channel_gets_answers_but_no_replies_to_chatter() {
    let bot = ready_bot().await;
    let msg = |id, text: &str| payloads::message(id, QUESTION_CHANNEL, USER_ID, text, &[]);
    bot.fake
        .send_dispatch("MESSAGE_CREATE", msg(21, "fortæl en vittighed"));
    bot.fake
        .send_dispatch("MESSAGE_CREATE", msg(22, "godmorgen"));
    for (id, chatter) in [
        (24, "kan nogen hjælpe mig med min printer?"),
        (26, "god jul alle sammen"),
        (27, "hej alle, er der nogen der har set min kop?"),
        (28, "tusind tak!"),
        (29, "er Teams nede igen?"),
        (30, "vi samler ind til Ukraine i kantinen på fredag"),
        (31, "👍"),
    ] {
        bot.fake.send_dispatch("MESSAGE_CREATE", msg(id, chatter));
    }
    bot.fake
        .send_dispatch("MESSAGE_CREATE", msg(23, "status ky"));
    let post = bot.fake.wait_for_message_post(QUESTION_CHANNEL, T).await;
    assert_eq!(post.body["message_reference"]["message_id"], "23");
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        posts(&bot.fake).len(),
        1,
        "chatter and greetings get no reply"
    );
}

#[tokio::test]
async fn thanks_addressed_to_the_bot_get_one_short_line() {
    let bot = ready_bot().await;
    bot.fake.send_dispatch(
        "MESSAGE_CREATE",
        payloads::dm_message(32, DM_CHANNEL, USER_ID, "tusind tak for hjælpen!"),
    );
    let post = bot.fake.wait_for_message_post(DM_CHANNEL, T).await;
    assert_eq!(reply_text(&post.body).trim(), "Selv tak!");
    assert_no_pings(&post);
}

#[tokio::test]
async fn a_greeting_addressed_to_the_bot_gets_one_line_not_the_whole_help() {
    let bot = ready_bot().await;
    bot.fake.send_dispatch(
        "MESSAGE_CREATE",
        payloads::dm_message(25, DM_CHANNEL, USER_ID, "hej"),
    );
    let post = bot.fake.wait_for_message_post(DM_CHANNEL, T).await;
    let text = reply_text(&post.body);
    assert!(
        text.contains("/hjaelp") && text.contains("Spørg fx"),
        "{text}"
    );
    assert_eq!(text.lines().count(), 1, "{text}");
    assert!(!text.contains("Jeg kender"), "not the full help: {text}");
    assert_no_pings(&post);
}

#[tokio::test]
async fn other_channels_its_own_messages_and_other_bots_are_ignored() {
    let bot = ready_bot().await;
    let f = &bot.fake;
    f.send_dispatch(
        "MESSAGE_CREATE",
        payloads::message(31, CHANNEL_ID, USER_ID, "status ky", &[]),
    );
    f.send_dispatch(
        "MESSAGE_CREATE",
        payloads::bot_message(32, QUESTION_CHANNEL, 999, "status ky"),
    );
    let own = payloads::message(33, QUESTION_CHANNEL, BOT_USER_ID, "status ky", &[]);
    f.send_dispatch("MESSAGE_CREATE", own);
    f.send_dispatch("MESSAGE_CREATE", mention(34, "status kp"));
    let post = f.wait_for_message_post(CHANNEL_ID, T).await;
    assert_eq!(post.body["message_reference"]["message_id"], "34");
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(posts(f).len(), 1);
}

#[tokio::test]
async fn slash_commands_are_registered_with_danish_names_and_operator_permissions() {
    let bot = ready_bot().await;
    let put = bot
        .fake
        .wait_for_request(|r| r.method == "PUT" && r.path.ends_with("/commands"), T)
        .await;
    let names: Vec<&str> = put
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    for n in [
        "status",
        "hvornaar",
        "oversigt",
        "hjaelp",
        "opdater",
        "udgivet",
        "fortryd",
        "historik",
        "importer",
        "abonner",
        "afmeld",
        "abonnementer",
        "kanalabonnement",
        "statustavle",
    ] {
        assert!(names.contains(&n), "{n} missing in {names:?}");
    }
    for c in put.body.as_array().unwrap() {
        let operator = [
            "opdater",
            "udgivet",
            "fortryd",
            "historik",
            "importer",
            "kanalabonnement",
            "statustavle",
            "webhook",
        ]
        .contains(&c["name"].as_str().unwrap());
        let perms = c["default_member_permissions"].as_str();
        assert_eq!(perms == Some("32"), operator, "{c}");
    }
    // Discord refuses a registration that breaks its rules; the fake does not, so check here.
    for c in put.body.as_array().unwrap() {
        check_discord_rules(c);
        for o in c["options"].as_array().into_iter().flatten() {
            check_discord_rules(o);
        }
        let required: Vec<bool> = c["options"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|o| o["required"].as_bool().unwrap_or(false))
            .collect();
        assert!(
            required.windows(2).all(|w| w[0] || !w[1]),
            "required options first: {c}"
        );
    }
    let status = put
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "status")
        .unwrap();
    assert_eq!(status["options"][0]["name"], "område");
    assert_eq!(status["options"][0]["autocomplete"], true);
    let importer = put
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "importer")
        .unwrap();
    let option = |i: usize| {
        let o = &importer["options"][i];
        (o["name"].clone(), o["type"].clone(), o["required"].clone())
    };
    assert_eq!(
        option(0),
        (json!("fil"), json!(11), json!(true)),
        "an attachment"
    );
    assert_eq!(option(1).0, "anvend");
    assert_eq!(option(1).1, 5, "a boolean");
}

/// Names: 1–32 lowercase letters, digits, - or _; descriptions: 1–100 characters.
fn check_discord_rules(item: &Value) {
    let name = item["name"].as_str().unwrap();
    assert!(
        (1..=32).contains(&name.chars().count())
            && name
                .chars()
                .all(|c| c.is_lowercase() || c.is_numeric() || c == '-' || c == '_'),
        "bad name {name:?}"
    );
    let description = item["description"].as_str().unwrap_or_default();
    assert!(
        (1..=100).contains(&description.chars().count()),
        "bad description for {name}: {description:?}"
    );
}

#[tokio::test]
async fn with_a_guild_id_the_commands_are_registered_in_that_guild() {
    let guild = fake_discord::GUILD_ID;
    let config = Config::from_toml(&format!("[discord]\nguild_id = \"{guild}\"\n")).unwrap();
    let bot = start_bot_configured(FakeDiscord::start().await, config).await;
    let put = bot
        .fake
        .wait_for_request(|r| r.method == "PUT" && r.path.ends_with("/commands"), T)
        .await;
    assert_eq!(
        put.path,
        format!(
            "/api/v10/applications/{}/guilds/{guild}/commands",
            fake_discord::APPLICATION_ID
        )
    );
}

#[tokio::test]
async fn a_slash_command_and_an_autocomplete() {
    let bot = ready_bot().await;
    let opts = json!([{"name": "område", "type": 3, "value": "fsiii"}]);
    bot.fake.send_dispatch(
        "INTERACTION_CREATE",
        payloads::slash_command(41, "tok-41", "status", opts),
    );
    let cb = callback(&bot.fake, 41).await;
    assert_eq!(cb.status, 204);
    assert_eq!(cb.body["type"], 4);
    assert!(
        embed_text(&cb.body["data"]).contains("FSIII"),
        "{}",
        cb.body
    );
    assert_eq!(cb.body["data"]["allowed_mentions"]["parse"], json!([]));

    let opts = json!([{"name": "område", "type": 3, "value": "drem", "focused": true}]);
    bot.fake.send_dispatch(
        "INTERACTION_CREATE",
        payloads::autocomplete(42, "tok-42", "status", opts),
    );
    let cb = callback(&bot.fake, 42).await;
    assert_eq!(cb.body["type"], 8);
    let choices = cb.body["data"]["choices"].as_array().unwrap();
    assert!(!choices.is_empty() && choices.len() <= 25);
    assert!(
        choices.contains(&json!({"name": "DREAM", "value": "dream"})),
        "{choices:?}"
    );
}

#[tokio::test]
async fn an_operator_update_by_an_allowed_user_changes_the_store() {
    let bot = ready_bot().await;
    let opts = json!([
        {"name": "område", "type": 3, "value": "krl"},
        {"name": "tom", "type": 3, "value": "2025-05"},
    ]);
    let ev = payloads::slash_command_by(51, "tok-51", "opdater", opts, OPERATOR_ID, &[]);
    bot.fake.send_dispatch("INTERACTION_CREATE", ev);
    let reply = operator_reply(&bot.fake, 51, "tok-51").await;
    let content = reply_text(&reply);
    assert!(content.contains("april 2025 → maj 2025"), "{content}");
    let krl = bot.store.catalogue().area(AreaId::Krl).cloned().unwrap();
    assert_eq!(krl.through.unwrap().to_string(), "2025-05");
    assert_eq!(krl.changed.unwrap().by.chat_user_id(), Some(OPERATOR_ID));

    // A role holder may too.
    let opts = json!([{"name": "område", "type": 3, "value": "ky"}, {"name": "tilstand", "type": 4, "value": 2}]);
    let ev = payloads::slash_command_by(52, "tok-52", "opdater", opts, 123, &[OPERATOR_ROLE]);
    bot.fake.send_dispatch("INTERACTION_CREATE", ev);
    let reply = operator_reply(&bot.fake, 52, "tok-52").await;
    assert!(reply_text(&reply).contains("→ nede"), "{reply}");
}

/// A chat operator is shown by name only: the answer in chat, the history (/historik) and a
/// notice-free reply never carry their user id, which the store keeps for the audit.
#[tokio::test]
async fn a_chat_operator_is_shown_by_name_and_never_by_user_id() {
    let bot = ready_bot().await;
    let named = |id, token: &str, name: &str, opts| {
        let mut ev = payloads::slash_command_by(id, token, name, opts, OPERATOR_ID, &[]);
        ev["member"]["user"]["global_name"] = json!("Pia");
        ev
    };
    let opts = json!([
        {"name": "område", "type": 3, "value": "dream"},
        {"name": "tom", "type": 3, "value": "2025-06"},
    ]);
    bot.fake
        .send_dispatch("INTERACTION_CREATE", named(53, "tok-53", "opdater", opts));
    operator_reply(&bot.fake, 53, "tok-53").await;
    let dream = bot.store.catalogue().area(AreaId::Dream).cloned().unwrap();
    let by = dream.changed.unwrap().by;
    assert_eq!((by.name(), by.chat_user_id()), ("Pia", Some(OPERATOR_ID)));

    bot.fake
        .send_dispatch("MESSAGE_CREATE", mention(54, "status DREAM"));
    let post = bot.fake.wait_for_message_post(CHANNEL_ID, T).await;
    let answer = format!("{}\n{}", reply_text(&post.body), embed_text(&post.body));
    assert!(answer.contains("af Pia"), "{answer}");
    let opts = json!([{"name": "område", "type": 3, "value": "dream"}]);
    bot.fake
        .send_dispatch("INTERACTION_CREATE", named(55, "tok-55", "historik", opts));
    let history = operator_reply(&bot.fake, 55, "tok-55").await;
    let history = reply_text(&history);
    assert!(history.contains("· Pia ·"), "{history}");
    let id = OPERATOR_ID.to_string();
    for r in bot.fake.requests() {
        assert!(
            !r.body.to_string().contains(&id),
            "a chat user id in what the bot sent: {} {}",
            r.path,
            r.body
        );
    }
}

/// The bounds the command line keeps hold on Discord: the same typed operation checks them.
#[tokio::test]
async fn values_out_of_bounds_are_refused_on_discord_and_change_nothing() {
    let bot = ready_bot().await;
    let before = bot.store.contents().unwrap();
    let cases = [
        (
            "opdater",
            json!([
                {"name": "område", "type": 3, "value": "krl"},
                {"name": "tom", "type": 3, "value": "9999-12"},
            ]),
            "Data t.o.m. december 9999 ligger i fremtiden",
        ),
        (
            "opdater",
            json!([
                {"name": "område", "type": 3, "value": "krl"},
                {"name": "tom", "type": 3, "value": "2011-12"},
            ]),
            "før FLIS fandtes",
        ),
        (
            "udgivet",
            json!([{"name": "måned", "type": 3, "value": "9999-12"}]),
            "data t.o.m. oktober 9999",
        ),
    ];
    for (i, (command, opts, says)) in cases.into_iter().enumerate() {
        let id = 90 + i as u64;
        let token = format!("tok-{id}");
        let ev = payloads::slash_command_by(id, &token, command, opts, OPERATOR_ID, &[]);
        bot.fake.send_dispatch("INTERACTION_CREATE", ev);
        let reply = operator_reply(&bot.fake, id, &token).await;
        let text = reply_text(&reply);
        assert!(
            text.contains(says) && text.contains("Intet er ændret"),
            "{command}: {text}"
        );
        assert_eq!(bot.store.contents().unwrap(), before, "{command}");
    }
}

#[tokio::test]
async fn anyone_else_gets_an_ephemeral_refusal_and_nothing_changes() {
    let bot = ready_bot().await;
    let before = bot.store.catalogue();
    let opts = json!([{"name": "område", "type": 3, "value": "krl"}, {"name": "tom", "type": 3, "value": "2025-05"}]);
    let ev = payloads::slash_command_by(61, "tok-61", "opdater", opts, USER_ID, &[5]);
    bot.fake.send_dispatch("INTERACTION_CREATE", ev);
    let reply = operator_reply(&bot.fake, 61, "tok-61").await;
    assert!(reply_text(&reply).contains("ikke ret"), "{reply}");
    assert_eq!(bot.store.catalogue(), before);
    assert!(bot.store.history(AreaId::Krl, 5).unwrap().is_empty());
}

#[tokio::test]
async fn in_a_dm_only_allow_listed_users_may_change() {
    let bot = ready_bot().await;
    let opts = || json!([{"name": "område", "type": 3, "value": "yr"}, {"name": "tom", "type": 3, "value": "2025-08"}]);
    let ev = payloads::slash_command_in_dm(63, "tok-63", "opdater", opts(), USER_ID);
    bot.fake.send_dispatch("INTERACTION_CREATE", ev);
    let reply = operator_reply(&bot.fake, 63, "tok-63").await;
    assert!(reply_text(&reply).contains("ikke ret"), "{reply}");
    let ev = payloads::slash_command_in_dm(64, "tok-64", "opdater", opts(), OPERATOR_ID);
    bot.fake.send_dispatch("INTERACTION_CREATE", ev);
    let reply = operator_reply(&bot.fake, 64, "tok-64").await;
    assert!(
        reply_text(&reply).contains("juli 2025 → august 2025"),
        "{reply}"
    );
}

#[tokio::test]
async fn an_operator_can_mark_the_release_out_and_announce_it_at_once() {
    let bot = ready_bot().await;
    let opts = json!([
        {"name": "måned", "type": 3, "value": "2025-10"},
        {"name": "annoncer", "type": 5, "value": true},
    ]);
    let ev = payloads::slash_command_by(65, "tok-65", "udgivet", opts, OPERATOR_ID, &[]);
    bot.fake.send_dispatch("INTERACTION_CREATE", ev);
    let post = bot.fake.wait_for_message_post(ANNOUNCE_CHANNEL, T).await;
    let content = post.body["content"].as_str().unwrap();
    assert!(
        content.contains("FLIS-udgivelsen for oktober 2025 er ude"),
        "{content}"
    );
    assert_no_pings(&post);
    let reply = operator_reply(&bot.fake, 65, "tok-65").await;
    let reply = reply_text(&reply);
    assert!(
        reply.contains("udgivelse 2025-10") && reply.contains("sendt til 1 kanal"),
        "{reply}"
    );
    assert!(bot
        .store
        .was_announced(ANNOUNCE_CHANNEL, "monthly-2025-10")
        .unwrap());
}

#[tokio::test]
async fn bad_operator_input_is_an_ephemeral_danish_answer() {
    let bot = ready_bot().await;
    let opts = json!([{"name": "område", "type": 3, "value": "krl"}, {"name": "tom", "type": 3, "value": "juni"}]);
    let ev = payloads::slash_command_by(62, "tok-62", "opdater", opts, OPERATOR_ID, &[]);
    bot.fake.send_dispatch("INTERACTION_CREATE", ev);
    let reply = operator_reply(&bot.fake, 62, "tok-62").await;
    assert!(reply_text(&reply).contains("ÅÅÅÅ-MM"), "{reply}");
}

/// A Discord user reads Discord's option names, never the command line's flags.
#[tokio::test]
async fn an_empty_update_names_the_commands_own_options() {
    let bot = ready_bot().await;
    let opts = json!([{"name": "område", "type": 3, "value": "krl"}]);
    let ev = payloads::slash_command_by(63, "tok-63", "opdater", opts, OPERATOR_ID, &[]);
    bot.fake.send_dispatch("INTERACTION_CREATE", ev);
    let reply = operator_reply(&bot.fake, 63, "tok-63").await;
    let said = reply_text(&reply);
    assert!(said.contains("tom, tilstand eller note"), "{reply}");
    assert!(!said.contains("--"), "{reply}");
    let opts = json!([{"name": "import", "type": 5, "value": false}]);
    let ev = payloads::slash_command_by(64, "tok-64", "fortryd", opts, OPERATOR_ID, &[]);
    bot.fake.send_dispatch("INTERACTION_CREATE", ev);
    let reply = operator_reply(&bot.fake, 64, "tok-64").await;
    let said = reply_text(&reply);
    assert!(
        said.contains("import:True") && !said.contains("--"),
        "{said}"
    );
}

#[tokio::test]
async fn everyone_in_a_drift_note_pings_nobody() {
    let bot = ready_bot().await;
    let mut c = (*bot.store.catalogue()).clone();
    let ky = c.area_mut(AreaId::Ky).unwrap();
    ky.note = Some("@everyone <@&700000000000000001> <@400000000000000001> se her".into());
    bot.store
        .test_commit(flisbot::store::Commit {
            areas: vec![ky.clone()],
            ..Default::default()
        })
        .unwrap();
    bot.fake
        .send_dispatch("MESSAGE_CREATE", mention(71, "status ky"));
    let post = bot.fake.wait_for_message_post(CHANNEL_ID, T).await;
    assert!(embed_text(&post.body).contains("@everyone"));
    assert_no_pings(&post);
}

#[tokio::test]
async fn a_reply_that_would_exceed_the_limits_is_shortened() {
    let bot = ready_bot().await;
    let mut c = (*bot.store.catalogue()).clone();
    for a in &mut c.areas {
        a.note = Some("Meget lang driftsbemærkning om snitflader. ".repeat(90));
    }
    bot.store
        .test_commit(flisbot::store::Commit {
            areas: c.areas.clone(),
            ..Default::default()
        })
        .unwrap();
    // Three areas are embeds (more are one line each): their notes share the 6000 characters.
    bot.fake.send_dispatch(
        "MESSAGE_CREATE",
        mention(81, "status Borger, Økonomi og KRL"),
    );
    let post = bot.fake.wait_for_message_post(CHANNEL_ID, T).await;
    let embeds = post.body["embeds"].as_array().unwrap();
    assert_eq!(embeds.len(), 3);
    let total: usize = embeds
        .iter()
        .map(|e| {
            ["title", "description"]
                .iter()
                .map(|k| e[k].as_str().unwrap_or("").chars().count())
                .sum::<usize>()
                + e["footer"]["text"].as_str().unwrap_or("").chars().count()
        })
        .sum();
    assert!(total <= 6000, "{total}");
    bot.fake
        .send_dispatch("MESSAGE_CREATE", mention(83, "status tværgående"));
    let post = bot
        .fake
        .wait_for_request(
            |r| r.method == "POST" && r.body["message_reference"]["message_id"] == "83",
            T,
        )
        .await;
    let content = post.body["content"].as_str().unwrap();
    assert!(content.chars().count() <= 2000, "{content}");
    assert!(
        content.contains("KRL Personale: t.o.m. april 2025"),
        "{content}"
    );
    bot.fake
        .send_dispatch("MESSAGE_CREATE", mention(82, "oversigt"));
    let post = bot
        .fake
        .wait_for_request(
            |r| r.method == "POST" && r.body["message_reference"]["message_id"] == "82",
            T,
        )
        .await;
    assert!(post.body["content"].as_str().unwrap().chars().count() <= 2000);
}

#[tokio::test]
async fn after_a_dropped_connection_the_bot_resumes_and_still_answers() {
    let bot = ready_bot().await;
    bot.fake.drop_connection();
    bot.fake
        .send_dispatch("MESSAGE_CREATE", mention(91, "status dream"));
    bot.fake.wait_for_resumed(1, T).await;
    let post = bot.fake.wait_for_message_post(CHANNEL_ID, T).await;
    assert_eq!(post.body["message_reference"]["message_id"], "91");
    assert_eq!(bot.fake.readies_sent(), 1, "resumed, not re-identified");
}

#[tokio::test]
async fn a_refused_message_content_intent_ends_with_a_clear_error() {
    let fake = FakeDiscord::start().await;
    fake.reject_identify_with(4014);
    let bot = start_bot_with(fake).await;
    let result = tokio::time::timeout(T, bot.task)
        .await
        .expect("ends, no hang")
        .unwrap();
    let err = result.expect_err("4014 ends the client");
    let msg = explain_end(&err).user_message();
    assert!(
        msg.contains("Message Content Intent") && msg.contains("4014"),
        "{msg}"
    );
}

/// Twenty operators' `/opdater` at once on one area, while the command line changes the same
/// area through the control socket: every change is confirmed, none is lost, and the area's
/// history is one chain.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_operator_commands_and_control_socket_changes_are_all_kept() {
    let bot = ready_bot().await;
    let listener = flisbot::cli::control::bind(bot._dir.path()).unwrap();
    let store = Arc::clone(&bot.store);
    let _socket = flisbot::cli::control::serve(
        listener,
        Arc::new(move |req| flisbot::cli::run_captured(&store, &FixedClock(seed_day()), req)),
    );
    const DISCORD: u64 = 20;
    const SOCKET: u64 = 10;
    let dir = bot._dir.path().to_owned();
    let socket_writers: Vec<_> = (0..SOCKET)
        .map(|i| {
            let dir = dir.clone();
            std::thread::spawn(move || {
                let args = [
                    "admin",
                    "set",
                    "krl",
                    "--note",
                    &format!("fra kommandolinjen {i}"),
                    "--by",
                    "cli",
                ];
                let request = flisbot::cli::control::Request {
                    args: args.iter().map(|s| s.to_string()).collect(),
                    cwd: dir.clone(),
                    stdin: None,
                };
                flisbot::cli::control::call(&dir, &request)
                    .answered()
                    .unwrap()
            })
        })
        .collect();
    for i in 0..DISCORD {
        let opts = json!([
            {"name": "område", "type": 3, "value": "krl"},
            {"name": "note", "type": 3, "value": format!("fra Discord {i}")},
        ]);
        let ev = payloads::slash_command_by(
            500 + i,
            &format!("tok-{}", 500 + i),
            "opdater",
            opts,
            OPERATOR_ID,
            &[],
        );
        bot.fake.send_dispatch("INTERACTION_CREATE", ev);
    }
    for i in 0..DISCORD {
        let reply = operator_reply(&bot.fake, 500 + i, &format!("tok-{}", 500 + i)).await;
        assert!(
            reply_text(&reply).contains(&format!("«fra Discord {i}»")),
            "{reply}"
        );
    }
    for w in socket_writers {
        let response = w.join().unwrap();
        assert_eq!(response.code, 0, "{}", response.stderr);
    }
    let history = bot.store.history(AreaId::Krl, usize::MAX).unwrap();
    assert_eq!(
        history.len() as u64,
        DISCORD + SOCKET,
        "no confirmed change is lost"
    );
    assert_eq!(
        flisbot::operations::verify_history(&bot.store),
        Ok((DISCORD + SOCKET) as usize)
    );
}

/// `/udgivet annoncer:True` waits for the announcement posts; with a slow Discord that is more
/// than the 3 seconds an interaction may go unanswered, so the command defers first.
#[tokio::test]
async fn a_slow_announcement_post_makes_the_release_command_defer_not_fail() {
    let fake = FakeDiscord::start().await;
    fake.delay(
        hyper::Method::POST,
        &format!("/api/v10/channels/{ANNOUNCE_CHANNEL}/messages"),
        Duration::from_secs(4),
        Some(1),
    );
    let bot = start_bot_with(fake).await;
    bot.fake.wait_for_ready(1, T).await;
    let opts = json!([
        {"name": "måned", "type": 3, "value": "2025-10"},
        {"name": "annoncer", "type": 5, "value": true},
    ]);
    let ev = payloads::slash_command_by(66, "tok-66", "udgivet", opts, OPERATOR_ID, &[]);
    bot.fake.send_dispatch("INTERACTION_CREATE", ev);
    let reply = operator_reply(&bot.fake, 66, "tok-66").await;
    assert!(reply_text(&reply).contains("sendt til 1 kanal"), "{reply}");
    let order: Vec<String> = bot
        .fake
        .requests()
        .into_iter()
        .filter(|r| r.method == "POST")
        .map(|r| r.path)
        .collect();
    let at = |needle: &str| order.iter().position(|p| p.contains(needle)).unwrap();
    assert!(
        at("/interactions/66/") < at(&format!("/channels/{ANNOUNCE_CHANNEL}/messages")),
        "the deferral is answered before the slow post: {order:?}"
    );
}
