//! Gateway MESSAGE_CREATE to the reply POST, over a fake Discord on loopback.
//! Run: `cargo bench --bench discord`. Figures are in README.md.

#[path = "../tests/discord/fake_discord.rs"]
mod fake_discord;

use std::sync::Arc;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion};
use fake_discord::{payloads, FakeDiscord, BOT_USER_ID, CHANNEL_ID, USER_ID};
use flisbot::clock::SystemClock;
use flisbot::config::{Config, Secret};
use flisbot::discord::{build_client, BotSettings};
use flisbot::store::Store;

fn message_to_reply(c: &mut Criterion) {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let dir = std::env::temp_dir().join(format!("flisbot-bench-discord-{}", std::process::id()));
    let (fake, _client) = rt.block_on(async {
        let fake = FakeDiscord::start().await;
        let settings = BotSettings {
            token: Secret::new("fake-token"),
            config: Config::default(),
            proxy: Some(fake.http_url()),
            store: Arc::new(Store::open(&dir).expect("store")),
            clock: Arc::new(SystemClock),
        };
        let mut client = build_client(settings).await.expect("client").client;
        let task = tokio::spawn(async move { client.start().await });
        fake.wait_for_ready(1, Duration::from_secs(10)).await;
        (fake, task)
    });
    let mut id = 1_000u64;
    let mut g = c.benchmark_group("discord");
    g.sample_size(50);
    g.bench_function("message_create_to_reply_post", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                id += 1;
                let msg = payloads::message(
                    id,
                    CHANNEL_ID,
                    USER_ID,
                    &format!("<@{BOT_USER_ID}> hvornår kommer DREAM-data?"),
                    &[BOT_USER_ID],
                );
                let want = id.to_string();
                let seen = fake.request_count();
                let started = Instant::now();
                fake.send_dispatch("MESSAGE_CREATE", msg);
                rt.block_on(fake.wait_for_request_from(
                    seen,
                    |r| {
                        r.method == "POST"
                            && r.body["message_reference"]["message_id"] == want.as_str()
                    },
                    Duration::from_secs(10),
                ));
                total += started.elapsed();
            }
            total
        })
    });
    g.finish();
    drop(fake);
    let _ = std::fs::remove_dir_all(&dir);
}

criterion_group!(benches, message_to_reply);
criterion_main!(benches);
