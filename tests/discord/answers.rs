//! Answers through the real client at fixed moments: messages read by the parser into a
//! `Query`, slash commands that build their `Query` from their options. Each reply's first line
//! answers what was asked, and pings nobody.

use chrono::{DateTime, Utc};
use serde_json::{json, Value};

use super::fake_discord::{payloads, FakeDiscord};
use super::{
    assert_no_pings, callback, config, start_bot_at, Bot, DM_CHANNEL, QUESTION_CHANNEL, T,
};
use crate::fake_discord::USER_ID;

/// The 10th of October 2025 at 08:00 in Copenhagen: the release is due, not yet recorded.
fn release_morning() -> DateTime<Utc> {
    "2025-10-10T06:00:00Z".parse().unwrap()
}

/// The 12th of October 2025 at 14:00 in Copenhagen: the DAP cubes' last day.
fn dap_last_day() -> DateTime<Utc> {
    "2025-10-12T12:00:00Z".parse().unwrap()
}

async fn bot_at(now: DateTime<Utc>) -> Bot {
    let bot = start_bot_at(FakeDiscord::start().await, config(), now).await;
    bot.fake.wait_for_ready(1, T).await;
    bot.fake
        .wait_for_request(|r| r.method == "PUT" && r.path.ends_with("/commands"), T)
        .await;
    bot
}

/// Sends `text` as a DM and returns the bot's reply to it (content, then embeds).
async fn ask_dm(bot: &Bot, id: u64, text: &str) -> String {
    bot.fake.send_dispatch(
        "MESSAGE_CREATE",
        payloads::dm_message(id, DM_CHANNEL, USER_ID, text),
    );
    let path = format!("/api/v10/channels/{DM_CHANNEL}/messages");
    let id = id.to_string();
    let post = bot
        .fake
        .wait_for_request(
            |r| {
                r.is("POST", &path)
                    && r.body["message_reference"]["message_id"].as_str() == Some(id.as_str())
            },
            T,
        )
        .await;
    assert_no_pings(&post);
    message_text(&post.body)
}

/// A message as read: its text, then each embed's description (the title names the area).
fn message_text(body: &Value) -> String {
    let mut parts = vec![body["content"].as_str().unwrap_or_default()];
    if let Some(embeds) = body["embeds"].as_array() {
        parts.extend(embeds.iter().filter_map(|e| e["description"].as_str()));
    }
    parts.join("\n").trim_start().to_owned()
}

/// Runs slash command `name` with `options` and returns its answer's text.
async fn command(bot: &Bot, id: u64, name: &str, options: Value) -> String {
    bot.fake.send_dispatch(
        "INTERACTION_CREATE",
        payloads::slash_command(id, &format!("tok-{id}"), name, options),
    );
    let cb = callback(&bot.fake, id).await;
    assert_eq!(cb.body["type"], 4, "{}", cb.body);
    assert_eq!(cb.body["data"]["allowed_mentions"]["parse"], json!([]));
    message_text(&cb.body["data"])
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or_default()
}

#[tokio::test]
async fn slash_commands_ask_their_question_directly_on_the_release_morning() {
    let bot = bot_at(release_morning()).await;
    let area = |v: &str| json!([{"name": "område", "type": 3, "value": v}]);
    // (command, options, the answer's first line begins)
    let cases = [
        (
            "hvornaar",
            json!([]),
            "**Månedens udgivelse ventes i dag** (10. oktober 2025) med data t.o.m. august 2025",
        ),
        (
            "hvornaar",
            area("ky"),
            "Månedens udgivelse ventes **i dag** (10. oktober 2025)",
        ),
        (
            "hvornaar",
            area("KRL"),
            "Driftsbemærkningen giver ingen dato: Grundet",
        ),
        (
            "hvornaar",
            area("dfdg"),
            "Ingen forventet udgivelse – området er nede",
        ),
        (
            "status",
            area("fsi"),
            "Jeg kender ikke «fsi» som dataområde i FLIS.",
        ),
        (
            "oversigt",
            json!([]),
            "**FLIS-status for alle dataområder** (problemer først)",
        ),
        ("hjaelp", json!([]), "Hej! Jeg er flisbot"),
    ];
    for (i, (name, options, begins)) in cases.into_iter().enumerate() {
        let text = command(&bot, 600 + i as u64, name, options).await;
        assert!(first_line(&text).starts_with(begins), "/{name}: {text}");
    }
    // The overview lists the problems first, down before disturbed.
    let text = command(&bot, 650, "oversigt", json!([])).await;
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines[1].starts_with("🔴 Ældre") && lines[3].starts_with("🟡"),
        "{text}"
    );
    let typo = command(&bot, 651, "status", area("fsi")).await;
    assert!(typo.contains("Mente du **FSIII**?"), "{typo}");
}

#[tokio::test]
async fn messages_are_answered_first_line_first_on_the_dap_cubes_last_day() {
    let bot = bot_at(dap_last_day()).await;
    // (message, the answer's first line begins, also said, never said)
    let cases = [
        (
            "hvornår kommer næste udgivelse",
            "**Månedens udgivelse**: datapakkerne ventes ca. 10. november 2025",
            "DAP-kuberne fra oktober-udgivelsen ventes **i dag** (12. oktober 2025)",
            "i morgen",
        ),
        (
            "er datapakkerne kommet?",
            "**Nej** – udgivelsen 10. oktober 2025 med data t.o.m. august 2025 er ikke registreret som ude",
            "",
            " kom ",
        ),
        ("er der nyt i udsatte børn?", "**Nej** – Udsatte børn og unge har data t.o.m. juli 2025", "", ""),
        ("er DFDG tilbage?", "**Nej** – DFDG er nede", "", "burde"),
        ("god weekend alle sammen", "God weekend!", "", "desværre"),
    ];
    for (i, (text, begins, also, never)) in cases.into_iter().enumerate() {
        let reply = ask_dm(&bot, 700 + i as u64, text).await;
        assert!(first_line(&reply).starts_with(begins), "{text}: {reply}");
        assert!(reply.contains(also), "{text}: {reply}");
        assert!(
            never.is_empty() || !reply.contains(never),
            "{text}: {reply}"
        );
    }
}

#[tokio::test]
async fn a_wish_in_a_question_channel_gets_no_reply_but_a_question_does() {
    let bot = bot_at(release_morning()).await;
    let msg = |id, text: &str| payloads::message(id, QUESTION_CHANNEL, USER_ID, text, &[]);
    bot.fake
        .send_dispatch("MESSAGE_CREATE", msg(801, "god weekend alle sammen"));
    bot.fake
        .send_dispatch("MESSAGE_CREATE", msg(802, "er data opdateret i dag?"));
    let post = bot.fake.wait_for_message_post(QUESTION_CHANNEL, T).await;
    assert_eq!(post.body["message_reference"]["message_id"], "802");
    assert!(
        first_line(&message_text(&post.body)).starts_with(
            "**Nej, ikke endnu** – månedens udgivelse ventes i dag (10. oktober 2025)"
        ),
        "{}",
        post.body
    );
    assert_no_pings(&post);
    // One more question after it: by its answer the wish has long been read.
    bot.fake
        .send_dispatch("MESSAGE_CREATE", msg(803, "status ky"));
    let path = format!("/api/v10/channels/{QUESTION_CHANNEL}/messages");
    bot.fake
        .wait_for_request(
            |r| r.is("POST", &path) && r.body["message_reference"]["message_id"] == "803",
            T,
        )
        .await;
    let answered: Vec<String> = bot
        .fake
        .requests()
        .iter()
        .filter(|r| r.is("POST", &path))
        .map(|r| r.body["message_reference"]["message_id"].to_string())
        .collect();
    assert_eq!(
        answered,
        ["\"802\"", "\"803\""],
        "a wish among colleagues is not the bot's to answer"
    );
}
