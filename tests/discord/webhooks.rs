//! `/webhook` on the fake Discord: operators only (anyone else is refused, ephemerally, and
//! nothing changes or is sent), a target's URL never echoed; and a target that keeps failing
//! told to the operators once, by DM, without mentions.

use std::sync::Arc;
use std::time::Duration;

use flisbot::config::Secret;
use flisbot::core::webhook::WebhookKind;
use flisbot::discord::{rest_client, OperatorDm};
use flisbot::operations::authorisation::{Actor, Operators};
use flisbot::operations::{execute, Request, SetChange, WebhookAdd};
use flisbot::webhooks::{Deliverer, Settings};
use serde_json::{json, Value};

use crate::fake_discord::{dm_channel_id, payloads, FakeDiscord};
use crate::support::webhook_receiver::{Answer, Receiver};
use crate::support::{at, TempStore};
use crate::{operator_reply, ready_bot, reply_text, OPERATOR_ID, USER_ID};

/// `/webhook SUB` with `options`, as `user` holding `roles`.
fn webhook(id: u64, sub: &str, options: Value, user: u64, roles: &[u64]) -> Value {
    let opts = json!([{"name": sub, "type": 1, "options": options}]);
    payloads::slash_command_by(id, &format!("tok-{id}"), "webhook", opts, user, roles)
}

fn named(name: &str) -> Value {
    json!([{"name": "navn", "type": 3, "value": name}])
}

#[tokio::test]
async fn only_operators_keep_webhooks_from_discord_and_the_url_is_never_echoed() {
    let bot = ready_bot().await;
    let receiver = Receiver::start();
    let url = receiver.url("/hook/SECRETPATH");
    let add = |name: &str| {
        json!([
            {"name": "navn", "type": 3, "value": name},
            {"name": "url", "type": 3, "value": url},
            {"name": "type", "type": 4, "value": 1},
            {"name": "områder", "type": 3, "value": "krl,dream"},
        ])
    };
    bot.fake.send_dispatch(
        "INTERACTION_CREATE",
        webhook(71, "tilfoej", add("hr"), OPERATOR_ID, &[]),
    );
    let added = operator_reply(&bot.fake, 71, "tok-71").await;
    assert!(reply_text(&added).contains("tilføjet"), "{added}");
    assert!(bot.store.webhook_target("hr").unwrap().is_some());

    // Anyone else: refused for every subcommand, nothing changed, nothing sent to the target.
    let before = bot.store.contents().unwrap();
    for (i, (sub, options)) in [
        ("tilfoej", add("andet")),
        ("liste", json!([])),
        ("test", named("hr")),
        ("fjern", named("hr")),
        ("genoptag", named("hr")),
    ]
    .into_iter()
    .enumerate()
    {
        let id = 72 + i as u64;
        bot.fake.send_dispatch(
            "INTERACTION_CREATE",
            webhook(id, sub, options, USER_ID, &[5]),
        );
        let reply = operator_reply(&bot.fake, id, &format!("tok-{id}")).await;
        assert!(reply_text(&reply).contains("ikke ret"), "{sub}: {reply}");
    }
    assert_eq!(bot.store.contents().unwrap(), before);
    assert!(
        receiver.received().is_empty(),
        "a refused test sends nothing"
    );

    // The operator lists it by host and tests it: the receiver's answer comes back.
    bot.fake.send_dispatch(
        "INTERACTION_CREATE",
        webhook(80, "liste", json!([]), OPERATOR_ID, &[]),
    );
    let listed = operator_reply(&bot.fake, 80, "tok-80").await;
    let listed = reply_text(&listed);
    assert!(
        listed.contains("hr (slack) → http://127.0.0.1:"),
        "{listed}"
    );
    bot.fake.send_dispatch(
        "INTERACTION_CREATE",
        webhook(81, "test", named("hr"), OPERATOR_ID, &[]),
    );
    let tested = operator_reply(&bot.fake, 81, "tok-81").await;
    assert!(reply_text(&tested).contains("200"), "{tested}");
    assert_eq!(receiver.received().len(), 1);
    for r in bot.fake.requests() {
        assert!(
            !r.body.to_string().contains("SECRETPATH"),
            "the URL in what the bot sent: {} {}",
            r.path,
            r.body
        );
    }
}

/// A target that keeps failing is paused and the operator users get one DM about it, with no
/// mentions and without the URL; later passes tell nobody again.
#[tokio::test]
async fn a_paused_target_is_told_to_the_operators_once_by_dm() {
    let fake = FakeDiscord::start().await;
    let TempStore { store, dir: _dir } = TempStore::new();
    let down = Receiver::start();
    down.answer_next(std::iter::repeat_n(Answer::Status(503, vec![]), 10));
    let cli = Actor::Cli {
        name: "Mette".into(),
    };
    let now = at("2025-10-10T08:00:00Z");
    let run = |request: Request| {
        execute(&store, &Operators::default(), &cli, &request, now, false).unwrap();
    };
    run(Request::WebhookAdd(Box::new(WebhookAdd {
        name: "nede".into(),
        url: down.url("/SECRETPATH"),
        kind: WebhookKind::Teams,
        areas: Vec::new(),
        groups: Vec::new(),
        announcements: false,
        secret_env: None,
    })));
    run(Request::Set(SetChange {
        area: "krl".into(),
        note: Some(Some("Forsinket <@U1> @everyone".into())),
        ..SetChange::default()
    }));
    let http = rest_client(
        &Secret::new("fake-token"),
        Some(&fake.http_url()),
        Duration::from_secs(10),
    )
    .unwrap();
    let alert = OperatorDm::new(Arc::new(http), vec![OPERATOR_ID], Duration::from_secs(10));
    let settings = Settings {
        window: chrono::Duration::zero(),
        time: (9, 0),
        grace: chrono::Duration::days(2),
        base: None,
        timeout: Duration::from_secs(5),
    };
    let deliverer = Deliverer::new(Arc::clone(&store), settings, Arc::new(alert))
        .unwrap()
        .with_pause_after(2);
    let mut told = 0;
    for secs in [0, 100, 1000, 5000, 90000] {
        told += deliverer
            .step(now + chrono::Duration::seconds(secs))
            .await
            .told;
    }
    assert_eq!(told, 1);
    assert_eq!(down.received().len(), 2, "paused after two tries");
    let dms: Vec<_> = fake
        .requests()
        .into_iter()
        .filter(|r| {
            r.method == "POST"
                && r.path.ends_with(&format!(
                    "/channels/{}/messages",
                    dm_channel_id(OPERATOR_ID)
                ))
        })
        .collect();
    assert_eq!(dms.len(), 1, "told once");
    let body = &dms[0].body;
    assert_eq!(body["allowed_mentions"]["parse"], json!([]), "{body}");
    let content = body["content"].as_str().unwrap();
    assert!(
        content.contains("«nede»") && content.contains("pause"),
        "{content}"
    );
    assert!(!content.contains("SECRETPATH"), "{content}");
}
