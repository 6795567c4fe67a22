//! `flisbot run` with `[web] listen`: the web server runs beside the bot, `/healthz` reports the
//! gateway, and `/metrics` counts what the bot did (questions by intent, reply latency,
//! reconnects, operator changes through the control socket).

use std::process::Stdio;
use std::time::Duration;

use serde_json::Value;

use crate::fake_discord::{payloads, FakeDiscord, CHANNEL_ID};
use crate::support::flisbot_bare;
use crate::support::http::get;
use crate::{mention, OPERATOR_ID, T};

/// A port free on loopback a moment ago.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// GETs `path` on a blocking thread (the test's runtime drives the fake Discord meanwhile).
async fn fetch(addr: &str, path: &str) -> crate::support::http::Response {
    let (addr, path) = (addr.to_owned(), path.to_owned());
    tokio::task::spawn_blocking(move || get(&addr, &path))
        .await
        .unwrap()
}

/// Polls `path` until `check` holds on its body (the bot counts from its own tasks).
async fn wait_for_body(addr: &str, path: &str, check: impl Fn(&str) -> bool) -> String {
    let started = std::time::Instant::now();
    loop {
        let body = fetch(addr, path).await.text();
        if check(&body) {
            return body;
        }
        assert!(
            started.elapsed() < T,
            "{path} never satisfied the check:\n{body}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Kills the bot (by its pid) if a failed assertion leaves it running.
struct KillOnDrop(Option<std::process::Child>);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        if let Some(child) = &mut self.0 {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

fn metric(text: &str, line_start: &str) -> f64 {
    text.lines()
        .find_map(|l| l.strip_prefix(line_start))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or_else(|| panic!("{line_start} not in\n{text}"))
}

#[tokio::test]
async fn the_bot_serves_the_web_with_gateway_health_and_its_metrics() {
    let fake = FakeDiscord::start().await;
    let dir = tempfile::tempdir().unwrap();
    let addr = format!("127.0.0.1:{}", free_port());
    let config = dir.path().join("flisbot.toml");
    std::fs::write(
        &config,
        format!("[web]\nlisten = \"{addr}\"\n[operators]\nusers = [{OPERATOR_ID}]\n"),
    )
    .unwrap();
    let mut bot = KillOnDrop(Some(
        flisbot_bare()
            .env("DISCORD_TOKEN", "secret-token-value")
            .env("FLISBOT_DISCORD_PROXY", fake.http_url())
            .arg("--store")
            .arg(dir.path())
            .args(["run", "--config"])
            .arg(&config)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    ));
    fake.wait_for_ready(1, T).await;

    let health = wait_for_body(&addr, "/healthz", |b| b.contains("\"connected\"")).await;
    let health: Value = serde_json::from_str(&health).unwrap();
    assert_eq!(
        (health["status"].as_str(), health["store"].as_str()),
        (Some("ok"), Some("ok"))
    );
    assert_eq!(fetch(&addr, "/healthz").await.status, 200);

    fake.send_dispatch("MESSAGE_CREATE", mention(5, "status ky"));
    fake.wait_for_message_post(CHANNEL_ID, T).await;
    fake.send_dispatch("MESSAGE_CREATE", mention(6, "hjælp"));
    fake.wait_for_message_post(CHANNEL_ID, T).await;
    let metrics = wait_for_body(&addr, "/metrics", |b| {
        b.contains("flisbot_reply_latency_seconds_count 2")
    })
    .await;
    assert_eq!(
        metric(
            &metrics,
            "flisbot_questions_answered_total{intent=\"status\"}"
        ),
        1.0
    );
    assert_eq!(
        metric(
            &metrics,
            "flisbot_questions_answered_total{intent=\"help\"}"
        ),
        1.0
    );
    assert!(metric(&metrics, "flisbot_reply_latency_seconds_sum") > 0.0);
    assert_eq!(metric(&metrics, "flisbot_gateway_connected"), 1.0);
    assert_eq!(metric(&metrics, "flisbot_gateway_reconnects_total"), 0.0);

    // A dropped connection and a resume count as one reconnect.
    fake.drop_connection();
    fake.wait_for_resumed(1, T).await;
    wait_for_body(&addr, "/metrics", |b| {
        b.contains("flisbot_gateway_reconnects_total 1")
            && b.contains("flisbot_gateway_connected 1")
    })
    .await;

    // An operator change through the control socket is counted in the bot and seen on the page.
    crate::support::set_krl_through_may(dir.path(), "Mette");
    let metrics = fetch(&addr, "/metrics").await.text();
    assert_eq!(metric(&metrics, "flisbot_operator_changes_total"), 1.0);
    let page = fetch(&addr, "/omraade/krl").await.text();
    assert!(page.contains("<td>Mette</td>"), "{page}");

    // A chat operator's change: the page, the feed, the CLI's answer and history show the name,
    // never the chat user id the store keeps for the audit.
    let mut ev = payloads::slash_command_by(
        71,
        "tok-71",
        "opdater",
        serde_json::json!([
            {"name": "område", "type": 3, "value": "dream"},
            {"name": "tom", "type": 3, "value": "2025-06"},
        ]),
        OPERATOR_ID,
        &[],
    );
    ev["member"]["user"]["global_name"] = "Pia".into();
    fake.send_dispatch("INTERACTION_CREATE", ev);
    crate::operator_reply(&fake, 71, "tok-71").await;
    let page = wait_for_body(&addr, "/omraade/dream", |b| b.contains("<td>Pia</td>")).await;
    let cli = |args: &[&str]| {
        let out = flisbot_bare()
            .arg("--store")
            .arg(dir.path())
            .args(args)
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let answer = cli(&["ask", "status dream"]);
    assert!(answer.contains("af Pia"), "{answer}");
    let history = cli(&["admin", "history", "dream"]);
    assert!(history.contains("· Pia ·"), "{history}");
    let id = OPERATOR_ID.to_string();
    for (what, text) in [
        ("page", page),
        ("status page", fetch(&addr, "/").await.text()),
        ("feed", fetch(&addr, "/api/status.json").await.text()),
        ("answer", answer),
        ("history", history),
    ] {
        assert!(!text.contains(&id), "a chat user id in the {what}:\n{text}");
    }

    let bot = bot.0.take().unwrap();
    let status = tokio::task::spawn_blocking(move || crate::support::stop_with_sigterm(bot))
        .await
        .unwrap();
    assert!(status.success());
}

#[test]
fn a_bad_web_address_is_refused_before_connecting() {
    let dir = tempfile::tempdir().unwrap();
    let out = crate::support::run_with_config(dir.path(), "[web]\nlisten = \"localhost\"\n");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("adresse med port") && !err.contains("panicked"),
        "{err}"
    );
}
