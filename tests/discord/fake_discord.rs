//! A self-contained fake Discord (REST over HTTP + gateway over plain `ws://`) for
//! end-to-end tests of a serenity 0.12 / poise 0.6 bot.
//!
//! The fake listens on two ephemeral ports on 127.0.0.1:
//! * REST (`http_url()`): serenity is pointed at it with
//!   `HttpBuilder::new(token).proxy(fake.http_url()).ratelimiter_disabled(true)`.
//!   Serenity's `proxy` replaces `https://discord.com` in every route, so requests arrive as
//!   `/api/v10/...`. Every request is recorded and can be awaited with [`FakeDiscord::wait_for_request`].
//! * Gateway (`ws_url()`): returned by `GET /api/v10/gateway`, which serenity asks while the
//!   client is being built (if that call fails serenity silently falls back to the real
//!   gateway and hangs, so the route must work).
//!
//! Gateway behaviour: HELLO on connect, ACK for every heartbeat, READY on IDENTIFY,
//! replay + RESUMED on RESUME. Dispatches injected with [`FakeDiscord::send_dispatch`] are
//! validated with serenity's own deserialiser (serenity silently turns a malformed dispatch
//! into `Event::Unknown` and drops it, which makes tests hang instead of fail) and are buffered
//! until READY (or RESUMED) has been sent on the current connection.
//!
//! * Deleted messages: [`FakeDiscord::delete_message_and_tell`] answers 404 for the message from
//!   then on and dispatches MESSAGE_DELETE (MESSAGE_DELETE_BULK for several), as Discord does.
//! * Attachments: files registered with [`FakeDiscord::serve_file`] are served on the REST port
//!   (`GET /attachments/...`), standing in for Discord's CDN; put the URL in an interaction's
//!   `resolved.attachments` with [`payloads::with_attachment`].
//!
//! This module is used only from the tests in `tests/discord/`.
//! Dev-dependencies: hyper 1 (`server`, `http1`), hyper-util (`tokio`), http-body-util, bytes,
//! futures-util (`sink`, `std`), tokio-tungstenite 0.21 (`handshake`), serde_json, tokio.

#![allow(dead_code)] // not every test uses every helper

use std::collections::HashMap;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use bytes::Bytes;
use futures_util::{SinkExt, StreamExt};
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use serde_json::{json, Value};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc, Notify};
use tokio::task::JoinHandle;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::Message as WsMessage;

/// Default ids used by the fake. Any snowflake-looking number works.
pub const BOT_USER_ID: u64 = 100_000_000_000_000_001;
pub const APPLICATION_ID: u64 = 100_000_000_000_000_002;
pub const GUILD_ID: u64 = 200_000_000_000_000_001;
pub const CHANNEL_ID: u64 = 300_000_000_000_000_001;
pub const USER_ID: u64 = 400_000_000_000_000_001;
pub const BOT_NAME: &str = "flisbot";

/// Set `FAKE_DISCORD_LOG=1` to print gateway traffic and REST requests to stderr.
fn debug_log(what: std::fmt::Arguments<'_>) {
    static ON: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    if *ON.get_or_init(|| std::env::var_os("FAKE_DISCORD_LOG").is_some()) {
        eprintln!("[fake discord {:?}] {what}", tokio::time::Instant::now());
    }
}

/// Heartbeat interval announced in HELLO. Serenity heartbeats at this period; the fake ACKs.
const HEARTBEAT_INTERVAL_MS: u64 = 41_250;

/// Identity of the bot the fake pretends to be.
#[derive(Clone, Debug)]
pub struct FakeConfig {
    pub bot_user_id: u64,
    pub application_id: u64,
    pub bot_name: String,
    /// Guild ids announced (as unavailable guilds) in READY.
    pub guild_ids: Vec<u64>,
}

impl Default for FakeConfig {
    fn default() -> Self {
        Self {
            bot_user_id: BOT_USER_ID,
            application_id: APPLICATION_ID,
            bot_name: BOT_NAME.to_owned(),
            guild_ids: vec![GUILD_ID],
        }
    }
}

/// One REST request received by the fake.
#[derive(Clone, Debug)]
pub struct RecordedRequest {
    /// Upper-case HTTP method, e.g. `"POST"`.
    pub method: String,
    /// Path without query string, e.g. `/api/v10/channels/1/messages`.
    pub path: String,
    pub query: Option<String>,
    /// Parsed JSON body; `Value::Null` when empty or not JSON.
    pub body: Value,
    /// Status code the fake answered with.
    pub status: u16,
}

impl RecordedRequest {
    pub fn is(&self, method: &str, path: &str) -> bool {
        self.method == method && self.path == path
    }
}

/// Something the gateway received from the bot (IDENTIFY, RESUME, heartbeats, ...).
#[derive(Clone, Debug)]
pub struct GatewayFrame {
    /// Index of the websocket connection (0 = first connection).
    pub connection: u64,
    pub op: u64,
    pub payload: Value,
}

/// A canned answer that replaces the normal behaviour of one route.
#[derive(Clone, Debug)]
struct Override {
    method: Method,
    path: String,
    status: u16,
    body: Value,
    headers: Vec<(String, String)>,
    /// `None` = forever, `Some(n)` = for the next `n` matching requests.
    remaining: Option<u32>,
}

/// Commands sent to the task owning the current websocket.
enum ConnCmd {
    Frame(String),
    /// Close with a close frame (clean close), e.g. 4014.
    Close(u16, String),
    /// Drop the TCP stream without a close frame (network failure).
    Drop,
}

#[derive(Default)]
struct Session {
    id: String,
    seq: u64,
    /// Every dispatch of the session, for RESUME replay: (seq, serialized frame).
    log: Vec<(u64, String)>,
}

#[derive(Default)]
struct Inner {
    requests: Vec<RecordedRequest>,
    gateway_frames: Vec<GatewayFrame>,
    overrides: Vec<Override>,
    /// (channel id, nonce) -> message returned the first time and when (for `enforce_nonce`).
    nonces: HashMap<(String, String), (Value, tokio::time::Instant)>,
    /// How long a nonce is remembered: Discord keeps them only for a few minutes.
    nonce_ttl: Option<Duration>,
    /// Requests held this long before they are answered: (method, path, delay, times left).
    delays: Vec<(Method, String, Duration, Option<u32>)>,
    deduplicated_posts: u64,
    /// Attachment files by path: (bytes, sent without a Content-Length).
    files: HashMap<String, (Bytes, bool)>,
    /// The current websocket, if any: (connection index, sender).
    conn: Option<(u64, mpsc::UnboundedSender<ConnCmd>)>,
    /// True once READY/RESUMED was sent on the current connection.
    conn_ready: bool,
    connections: u64,
    session: Option<Session>,
    /// Dispatches injected before the connection was ready.
    pending: Vec<(String, Value)>,
    readies_sent: u64,
    resumes_completed: u64,
    /// If set, every IDENTIFY is answered by closing with this code (e.g. 4014, 4004).
    reject_identify: Option<u16>,
}

struct State {
    config: FakeConfig,
    ws_url: String,
    inner: Mutex<Inner>,
    /// Notified whenever anything observable changes.
    changed: Notify,
    next_id: AtomicU64,
}

impl State {
    fn lock(&self) -> MutexGuard<'_, Inner> {
        // A panicking test must not poison the fake for its Drop.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn snowflake(&self) -> String {
        self.next_id.fetch_add(1, Ordering::Relaxed).to_string()
    }

    fn bot_user(&self) -> Value {
        json!({
            "id": self.config.bot_user_id.to_string(),
            "username": self.config.bot_name,
            "discriminator": "0",
            "global_name": null,
            "avatar": null,
            "bot": true,
            "flags": 0,
        })
    }
}

/// The running fake. Dropping it stops the listeners and closes the gateway connection.
pub struct FakeDiscord {
    state: Arc<State>,
    http_addr: SocketAddr,
    ws_addr: SocketAddr,
    tasks: Vec<JoinHandle<()>>,
}

impl FakeDiscord {
    /// Start with the default ids ([`BOT_USER_ID`], [`APPLICATION_ID`], [`GUILD_ID`]).
    pub async fn start() -> Self {
        Self::start_with(FakeConfig::default()).await
    }

    pub async fn start_with(config: FakeConfig) -> Self {
        let http_listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind fake REST");
        let ws_listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind fake gateway");
        let http_addr = http_listener.local_addr().unwrap();
        let ws_addr = ws_listener.local_addr().unwrap();
        let state = Arc::new(State {
            config,
            ws_url: format!("ws://{ws_addr}"),
            inner: Mutex::new(Inner::default()),
            changed: Notify::new(),
            next_id: AtomicU64::new(900_000_000_000_000_000),
        });
        let tasks = vec![
            tokio::spawn(accept_http(http_listener, Arc::clone(&state))),
            tokio::spawn(accept_ws(ws_listener, Arc::clone(&state))),
        ];
        Self {
            state,
            http_addr,
            ws_addr,
            tasks,
        }
    }

    /// Base URL for `HttpBuilder::proxy`, e.g. `http://127.0.0.1:41234`.
    pub fn http_url(&self) -> String {
        format!("http://{}", self.http_addr)
    }

    /// Gateway URL, e.g. `ws://127.0.0.1:41235` (also served by `GET /api/v10/gateway`).
    pub fn ws_url(&self) -> String {
        self.state.ws_url.clone()
    }

    pub fn config(&self) -> &FakeConfig {
        &self.state.config
    }

    // ----------------------------------------------------------------- gateway

    /// Queue a dispatch (`op 0`) such as `MESSAGE_CREATE` or `INTERACTION_CREATE`.
    ///
    /// Panics if serenity could not deserialize it (serenity would silently drop it).
    /// Buffered until READY/RESUMED has been sent on the current connection.
    pub fn send_dispatch(&self, event_name: &str, data: Value) {
        validate_dispatch(event_name, &data);
        let mut inner = self.state.lock();
        if inner.conn_ready {
            dispatch_locked(&mut inner, event_name, data);
        } else {
            inner.pending.push((event_name.to_owned(), data));
        }
    }

    /// Drop the websocket abruptly (no close frame). Serenity reconnects and RESUMEs.
    pub fn drop_connection(&self) {
        self.send_conn(ConnCmd::Drop);
    }

    /// Close the websocket with a close frame, e.g. 4014 (disallowed intents) or 4004
    /// (authentication failed). Codes serenity treats as recoverable lead to RESUME.
    pub fn close_with(&self, code: u16) {
        self.send_conn(ConnCmd::Close(code, format!("fake close {code}")));
    }

    /// Answer every IDENTIFY by closing the socket with `code`, as Discord does for 4014
    /// (disallowed intents) or 4004 (bad token). Call before starting the bot.
    pub fn reject_identify_with(&self, code: u16) {
        self.state.lock().reject_identify = Some(code);
    }

    /// Send op 7 RECONNECT; serenity reconnects and RESUMEs.
    pub fn send_reconnect(&self) {
        self.send_conn(ConnCmd::Frame(json!({"op": 7, "d": null}).to_string()));
    }

    /// Send op 9 INVALID SESSION (`resumable = false` forces a new IDENTIFY, which serenity
    /// delays by a hard-coded 5 s: use `#[tokio::test(start_paused = true)]`).
    pub fn send_invalid_session(&self, resumable: bool) {
        self.send_conn(ConnCmd::Frame(json!({"op": 9, "d": resumable}).to_string()));
    }

    fn send_conn(&self, cmd: ConnCmd) {
        let mut inner = self.state.lock();
        match inner.conn.take() {
            Some((idx, tx)) => {
                let keep = matches!(cmd, ConnCmd::Frame(_));
                let _ = tx.send(cmd);
                if keep {
                    inner.conn = Some((idx, tx));
                } else {
                    // Stop routing dispatches to the dying connection right away;
                    // they are buffered until the next READY/RESUMED.
                    inner.conn_ready = false;
                }
            }
            None => panic!("fake discord: no gateway connection to act on"),
        }
    }

    /// Number of READY dispatches sent (one per successful IDENTIFY).
    pub fn readies_sent(&self) -> u64 {
        self.state.lock().readies_sent
    }

    /// Number of RESUMEs answered with RESUMED.
    pub fn resumes_completed(&self) -> u64 {
        self.state.lock().resumes_completed
    }

    /// Wait until READY has been sent `n` times in total.
    pub async fn wait_for_ready(&self, n: u64, timeout: Duration) {
        self.wait_until(timeout, "READY", |i| (i.readies_sent >= n).then_some(()))
            .await
    }

    /// Wait until `n` RESUMEs in total have been answered with RESUMED.
    pub async fn wait_for_resumed(&self, n: u64, timeout: Duration) {
        self.wait_until(timeout, "RESUMED", |i| {
            (i.resumes_completed >= n).then_some(())
        })
        .await
    }

    /// Frames received from the bot (IDENTIFY payload includes `intents`, handy to assert).
    pub fn gateway_frames(&self) -> Vec<GatewayFrame> {
        self.state.lock().gateway_frames.clone()
    }

    /// Wait for a frame from the bot with the given opcode (2 = IDENTIFY, 6 = RESUME, ...).
    pub async fn wait_for_gateway_op(&self, op: u64, timeout: Duration) -> GatewayFrame {
        self.wait_until(timeout, &format!("gateway op {op}"), |i| {
            i.gateway_frames.iter().find(|f| f.op == op).cloned()
        })
        .await
    }

    // -------------------------------------------------------------------- REST

    /// Snapshot of all recorded REST requests, oldest first.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.state.lock().requests.clone()
    }

    /// Number of recorded requests; pass it to [`Self::wait_for_request_from`] to only look
    /// at requests made after this point.
    pub fn request_count(&self) -> usize {
        self.state.lock().requests.len()
    }

    /// Wait for the first recorded request (since the start) matching `pred`.
    /// Panics on timeout, listing every request seen.
    pub async fn wait_for_request(
        &self,
        pred: impl Fn(&RecordedRequest) -> bool,
        timeout: Duration,
    ) -> RecordedRequest {
        self.wait_for_request_from(0, pred, timeout).await
    }

    /// Like [`Self::wait_for_request`] but ignores the first `from` requests.
    pub async fn wait_for_request_from(
        &self,
        from: usize,
        pred: impl Fn(&RecordedRequest) -> bool,
        timeout: Duration,
    ) -> RecordedRequest {
        self.wait_until(timeout, "matching REST request", |i| {
            i.requests.iter().skip(from).find(|r| pred(r)).cloned()
        })
        .await
    }

    /// Wait for a successful message POST to `channel_id`.
    pub async fn wait_for_message_post(
        &self,
        channel_id: u64,
        timeout: Duration,
    ) -> RecordedRequest {
        let path = format!("/api/v10/channels/{channel_id}/messages");
        self.wait_for_request(|r| r.is("POST", &path) && r.status == 200, timeout)
            .await
    }

    /// How many message POSTs were answered from the `enforce_nonce` cache (not recorded).
    pub fn deduplicated_posts(&self) -> u64 {
        self.state.lock().deduplicated_posts
    }

    /// Replace the answer of `method path` (path as received, e.g. `/api/v10/channels/1/messages`).
    /// `times = None` means forever. Overridden requests are still recorded, with this status.
    pub fn respond(
        &self,
        method: Method,
        path: &str,
        status: u16,
        body: Value,
        times: Option<u32>,
    ) {
        self.push_override(Override {
            method,
            path: path.to_owned(),
            status,
            body,
            headers: Vec::new(),
            remaining: times,
        });
    }

    /// Every message POST to `channel_id` fails with `status` (403 -> Missing Access 50001,
    /// 404 -> Unknown Channel 10003, other -> generic) until [`Self::clear_overrides`].
    pub fn fail_channel(&self, channel_id: u64, status: u16) {
        let (message, code) = match status {
            403 => ("Missing Access", 50001),
            404 => ("Unknown Channel", 10003),
            _ => ("Fake failure", 0),
        };
        self.respond(
            Method::POST,
            &format!("/api/v10/channels/{channel_id}/messages"),
            status,
            json!({"message": message, "code": code}),
            None,
        );
    }

    /// The next message POST to `channel_id` gets a 429 with `retry_after` seconds.
    /// Note: with `ratelimiter_disabled(true)` serenity does not retry by itself; the 429
    /// surfaces as `HttpError::UnsuccessfulRequest` with status 429.
    pub fn rate_limit_once(&self, channel_id: u64, retry_after: f64) {
        self.push_override(Override {
            method: Method::POST,
            path: format!("/api/v10/channels/{channel_id}/messages"),
            status: 429,
            body: json!({
                "message": "You are being rate limited.",
                "retry_after": retry_after,
                "global": false,
            }),
            headers: vec![
                (
                    "retry-after".into(),
                    format!("{}", retry_after.ceil() as u64),
                ),
                ("x-ratelimit-limit".into(), "5".into()),
                ("x-ratelimit-remaining".into(), "0".into()),
                (
                    "x-ratelimit-reset-after".into(),
                    format!("{retry_after:.3}"),
                ),
                ("x-ratelimit-scope".into(), "user".into()),
            ],
            remaining: Some(1),
        });
    }

    /// Holds the next `times` requests to `method path` (all if `None`) for `delay` before
    /// answering: a slow or hung Discord.
    pub fn delay(&self, method: Method, path: &str, delay: Duration, times: Option<u32>) {
        self.state
            .lock()
            .delays
            .push((method, path.to_owned(), delay, times));
    }

    /// Serves `bytes` as an attachment named `name` (as Discord's CDN would) and returns its URL.
    pub fn serve_file(&self, name: &str, bytes: impl Into<Vec<u8>>) -> String {
        self.serve(name, bytes.into(), false)
    }

    /// As [`Self::serve_file`], but the answer has no Content-Length (chunked): a reader learns
    /// the size only by reading.
    pub fn serve_file_without_length(&self, name: &str, bytes: impl Into<Vec<u8>>) -> String {
        self.serve(name, bytes.into(), true)
    }

    fn serve(&self, name: &str, bytes: Vec<u8>, chunked: bool) -> String {
        let path = format!(
            "/attachments/{CHANNEL_ID}/{}/{name}",
            self.state.snowflake()
        );
        self.state
            .lock()
            .files
            .insert(path.clone(), (Bytes::from(bytes), chunked));
        format!("{}{path}", self.http_url())
    }

    /// Forgets `enforce_nonce` nonces older than `ttl` (Discord: a few minutes; default 5 min).
    pub fn set_nonce_ttl(&self, ttl: Duration) {
        self.state.lock().nonce_ttl = Some(ttl);
    }

    /// Every message POST to `user_id`'s DM channel fails as Discord does when the user's DMs
    /// are closed: 403 with code 50007 ("Cannot send messages to this user").
    pub fn close_dms(&self, user_id: u64) {
        self.respond(
            Method::POST,
            &format!("/api/v10/channels/{}/messages", dm_channel_id(user_id)),
            403,
            json!({"message": "Cannot send messages to this user", "code": 50007}),
            None,
        );
    }

    /// The message is deleted: every PATCH of it answers 404 Unknown Message (10008).
    pub fn delete_message(&self, channel_id: u64, message_id: &str) {
        self.respond(
            Method::PATCH,
            &format!("/api/v10/channels/{channel_id}/messages/{message_id}"),
            404,
            json!({"message": "Unknown Message", "code": 10008}),
            None,
        );
    }

    /// Someone deletes the message in Discord: every PATCH of it answers 404 from now on, and
    /// the gateway tells the bot (MESSAGE_DELETE).
    pub fn delete_message_and_tell(&self, channel_id: u64, message_id: &str) {
        self.delete_message(channel_id, message_id);
        self.send_dispatch(
            "MESSAGE_DELETE",
            payloads::message_delete(channel_id, message_id),
        );
    }

    /// Several messages deleted at once (a moderator's purge): 404 for each, and one
    /// MESSAGE_DELETE_BULK.
    pub fn delete_messages_and_tell(&self, channel_id: u64, message_ids: &[&str]) {
        for id in message_ids {
            self.delete_message(channel_id, id);
        }
        self.send_dispatch(
            "MESSAGE_DELETE_BULK",
            payloads::message_delete_bulk(channel_id, message_ids),
        );
    }

    pub fn clear_overrides(&self) {
        self.state.lock().overrides.clear();
    }

    fn push_override(&self, o: Override) {
        self.state.lock().overrides.push(o);
    }

    // ------------------------------------------------------------------ helper

    async fn wait_until<T>(
        &self,
        timeout: Duration,
        what: &str,
        check: impl Fn(&Inner) -> Option<T>,
    ) -> T {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let notified = self.state.changed.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            if let Some(found) = check(&self.state.lock()) {
                return found;
            }
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                let inner = self.state.lock();
                let seen: Vec<String> = inner
                    .requests
                    .iter()
                    .map(|r| format!("  {} {} -> {} {}", r.method, r.path, r.status, r.body))
                    .collect();
                panic!(
                    "fake discord: timed out after {timeout:?} waiting for {what}.\n\
                     READY sent: {}, RESUMED sent: {}, connections: {}\nrequests:\n{}",
                    inner.readies_sent,
                    inner.resumes_completed,
                    inner.connections,
                    seen.join("\n")
                );
            }
        }
    }
}

impl Drop for FakeDiscord {
    fn drop(&mut self) {
        for t in &self.tasks {
            t.abort();
        }
        if let Some((_, tx)) = self.state.lock().conn.take() {
            let _ = tx.send(ConnCmd::Drop);
        }
    }
}

// ===================================================================== payloads

/// Ready-made dispatch payloads containing every field serenity requires.
pub mod payloads {
    use super::*;

    pub fn user(id: u64, name: &str) -> Value {
        json!({
            "id": id.to_string(),
            "username": name,
            "discriminator": "0",
            "global_name": name,
            "avatar": null,
        })
    }

    pub fn member(user_id: u64, name: &str) -> Value {
        json!({
            "user": user(user_id, name),
            "nick": null,
            "roles": [],
            "joined_at": "2024-01-01T00:00:00.000000+00:00",
            "deaf": false,
            "mute": false,
            "flags": 0,
            "permissions": "2248473465835073",
        })
    }

    /// `MESSAGE_CREATE` in a guild channel. `mentions` are user ids mentioned by the message.
    pub fn message(
        id: u64,
        channel_id: u64,
        author_id: u64,
        content: &str,
        mentions: &[u64],
    ) -> Value {
        let mentions: Vec<Value> = mentions.iter().map(|&u| user(u, "mentioned")).collect();
        json!({
            "id": id.to_string(),
            "channel_id": channel_id.to_string(),
            "guild_id": GUILD_ID.to_string(),
            "author": user(author_id, "someone"),
            "member": {"roles": [], "joined_at": "2024-01-01T00:00:00.000000+00:00",
                       "deaf": false, "mute": false, "flags": 0},
            "content": content,
            "timestamp": "2024-05-01T12:00:00.000000+00:00",
            "edited_timestamp": null,
            "tts": false,
            "mention_everyone": false,
            "mentions": mentions,
            "mention_roles": [],
            "attachments": [],
            "embeds": [],
            "pinned": false,
            "type": 0,
        })
    }

    /// `MESSAGE_DELETE` of a message in a guild channel.
    pub fn message_delete(channel_id: u64, message_id: &str) -> Value {
        json!({
            "id": message_id,
            "channel_id": channel_id.to_string(),
            "guild_id": GUILD_ID.to_string(),
        })
    }

    /// `MESSAGE_DELETE_BULK` of messages in a guild channel.
    pub fn message_delete_bulk(channel_id: u64, message_ids: &[&str]) -> Value {
        json!({
            "ids": message_ids,
            "channel_id": channel_id.to_string(),
            "guild_id": GUILD_ID.to_string(),
        })
    }

    /// `MESSAGE_CREATE` in a DM channel: no guild, no member.
    pub fn dm_message(id: u64, channel_id: u64, author_id: u64, content: &str) -> Value {
        let mut m = message(id, channel_id, author_id, content, &[]);
        let o = m.as_object_mut().unwrap();
        o.remove("guild_id");
        o.remove("member");
        m
    }

    /// `MESSAGE_CREATE` by another bot.
    pub fn bot_message(id: u64, channel_id: u64, author_id: u64, content: &str) -> Value {
        let mut m = message(id, channel_id, author_id, content, &[]);
        m["author"]["bot"] = json!(true);
        m
    }

    /// A slash command by `user_id` holding `roles` in the guild.
    pub fn slash_command_by(
        interaction_id: u64,
        token: &str,
        name: &str,
        options: Value,
        user_id: u64,
        roles: &[u64],
    ) -> Value {
        let mut i = interaction(2, interaction_id, token, name, options);
        i["member"] = member(user_id, "operatør");
        i["member"]["roles"] = json!(roles.iter().map(|r| r.to_string()).collect::<Vec<_>>());
        i
    }

    /// A slash command in a DM with the bot: `user` instead of `member`, no guild.
    pub fn slash_command_in_dm(
        interaction_id: u64,
        token: &str,
        name: &str,
        options: Value,
        user_id: u64,
    ) -> Value {
        let mut i = interaction(2, interaction_id, token, name, options);
        let o = i.as_object_mut().unwrap();
        o.remove("member");
        o.remove("guild_id");
        o.remove("guild_locale");
        o.insert("user".into(), user(user_id, "dm-bruger"));
        o.insert("context".into(), json!(1));
        o.insert(
            "authorizing_integration_owners".into(),
            json!({"1": user_id.to_string()}),
        );
        i
    }

    /// An attachment as Discord resolves it: `size` is what Discord says, whatever `url` serves.
    pub fn attachment(id: u64, filename: &str, size: u64, url: &str) -> Value {
        json!({
            "id": id.to_string(),
            "filename": filename,
            "size": size,
            "url": url,
            "proxy_url": url,
            "content_type": "text/plain; charset=utf-8",
        })
    }

    /// `interaction` with `attachment` in its `data.resolved.attachments`, where an option of
    /// type 11 (ATTACHMENT) whose value is its id finds it.
    pub fn with_attachment(mut interaction: Value, attachment: Value) -> Value {
        let id = attachment["id"].as_str().unwrap().to_owned();
        interaction["data"]["resolved"]["attachments"][id] = attachment;
        interaction
    }

    /// `INTERACTION_CREATE` for a chat-input (slash) command in a guild.
    /// `options` is Discord's `data.options` array, e.g. `[{"name":"x","type":3,"value":"y"}]`.
    pub fn slash_command(interaction_id: u64, token: &str, name: &str, options: Value) -> Value {
        interaction(2, interaction_id, token, name, options)
    }

    /// `INTERACTION_CREATE` of type 4 (APPLICATION_COMMAND_AUTOCOMPLETE). Mark the option
    /// being typed with `"focused": true`.
    pub fn autocomplete(interaction_id: u64, token: &str, name: &str, options: Value) -> Value {
        interaction(4, interaction_id, token, name, options)
    }

    fn interaction(
        kind: u8,
        interaction_id: u64,
        token: &str,
        name: &str,
        options: Value,
    ) -> Value {
        json!({
            "id": interaction_id.to_string(),
            "application_id": APPLICATION_ID.to_string(),
            "type": kind,
            "data": {
                "id": "500000000000000001",
                "name": name,
                "type": 1,
                "options": options,
            },
            "guild_id": GUILD_ID.to_string(),
            "channel_id": CHANNEL_ID.to_string(),
            "member": member(USER_ID, "someone"),
            "token": token,
            "version": 1,
            "app_permissions": "2248473465835073",
            "locale": "da",
            "guild_locale": "da",
            "entitlements": [],
            "authorizing_integration_owners": {"0": GUILD_ID.to_string()},
            "context": 0,
            "attachment_size_limit": 10_485_760,
        })
    }
}

/// Panics if serenity would not understand this dispatch.
fn validate_dispatch(event_name: &str, data: &Value) {
    use serenity::model::prelude::*;
    // Give the precise serde error for the common events...
    let precise = match event_name {
        "MESSAGE_CREATE" => serde_json::from_value::<Message>(data.clone()).err(),
        "INTERACTION_CREATE" => serde_json::from_value::<Interaction>(data.clone()).err(),
        "READY" => serde_json::from_value::<Ready>(data.clone()).err(),
        _ => None,
    };
    if let Some(err) = precise {
        panic!("fake discord: serenity cannot parse {event_name}: {err}\npayload: {data}");
    }
    // ...and catch everything else the way serenity does it.
    let event: Event = serde_json::from_value(json!({"t": event_name, "d": data}))
        .unwrap_or_else(|e| panic!("fake discord: bad dispatch {event_name}: {e}"));
    if let Event::Unknown(_) = event {
        panic!(
            "fake discord: serenity would drop {event_name} as Event::Unknown \
             (unknown name or missing field)\npayload: {data}"
        );
    }
}

/// Assign the next sequence number, log it for RESUME and send it if a connection is ready.
fn dispatch_locked(inner: &mut Inner, event_name: &str, data: Value) {
    let Some(session) = inner.session.as_mut() else {
        inner.pending.push((event_name.to_owned(), data));
        return;
    };
    session.seq += 1;
    let seq = session.seq;
    let frame = json!({"op": 0, "s": seq, "t": event_name, "d": data}).to_string();
    session.log.push((seq, frame.clone()));
    if let (true, Some((_, tx))) = (inner.conn_ready, &inner.conn) {
        // If the socket is already gone the frame is still in the log for RESUME.
        let _ = tx.send(ConnCmd::Frame(frame));
    }
}

fn flush_pending(inner: &mut Inner) {
    for (name, data) in std::mem::take(&mut inner.pending) {
        dispatch_locked(inner, &name, data);
    }
}

// ====================================================================== gateway

async fn accept_ws(listener: TcpListener, state: Arc<State>) {
    while let Ok((stream, _)) = listener.accept().await {
        // Like Discord's edge: no Nagle delay on small frames.
        let _ = stream.set_nodelay(true);
        tokio::spawn(serve_ws(stream, Arc::clone(&state)));
    }
}

async fn serve_ws(stream: TcpStream, state: Arc<State>) {
    let Ok(ws) = tokio_tungstenite::accept_async(stream).await else {
        return;
    };
    let (mut sink, mut source) = ws.split();
    let (tx, mut rx) = mpsc::unbounded_channel();

    let conn_idx = {
        let mut inner = state.lock();
        let idx = inner.connections;
        inner.connections += 1;
        inner.conn = Some((idx, tx.clone()));
        inner.conn_ready = false;
        idx
    };
    let hello = json!({"op": 10, "d": {"heartbeat_interval": HEARTBEAT_INTERVAL_MS}});
    if sink.send(WsMessage::Text(hello.to_string())).await.is_err() {
        return;
    }

    loop {
        tokio::select! {
            cmd = rx.recv() => match cmd {
                Some(ConnCmd::Frame(text)) => {
                    debug_log(format_args!("conn {conn_idx} -> {text}"));
                    if sink.send(WsMessage::Text(text)).await.is_err() { break; }
                }
                Some(ConnCmd::Close(code, reason)) => {
                    debug_log(format_args!("conn {conn_idx} -> close {code}"));
                    let frame = CloseFrame { code: CloseCode::from(code), reason: reason.into() };
                    let _ = sink.send(WsMessage::Close(Some(frame))).await;
                    let _ = sink.flush().await;
                    // Give serenity a moment to read the frame before the TCP stream goes.
                    let _ = tokio::time::timeout(Duration::from_millis(500), source.next()).await;
                    break;
                }
                Some(ConnCmd::Drop) | None => {
                    debug_log(format_args!("conn {conn_idx} dropped"));
                    break;
                }
            },
            msg = source.next() => match msg {
                Some(Ok(WsMessage::Text(text))) => {
                    debug_log(format_args!("conn {conn_idx} <- {text}"));
                    let Ok(frame) = serde_json::from_str::<Value>(&text) else { continue };
                    handle_client_frame(&state, conn_idx, frame);
                    state.changed.notify_waiters();
                }
                Some(Ok(WsMessage::Ping(p))) => { let _ = sink.send(WsMessage::Pong(p)).await; }
                Some(Ok(WsMessage::Close(frame))) => {
                    // Answer the close as Discord does: serenity's shard waits for the answer.
                    debug_log(format_args!("conn {conn_idx} <- close {frame:?}"));
                    let _ = sink.close().await;
                    break;
                }
                other @ (Some(Err(_)) | None) => {
                    debug_log(format_args!("conn {conn_idx} <- end {other:?}"));
                    break;
                }
                Some(Ok(_)) => {}
            },
        }
    }

    let mut inner = state.lock();
    if inner.conn.as_ref().is_some_and(|(idx, _)| *idx == conn_idx) {
        inner.conn = None;
        inner.conn_ready = false;
    }
    drop(inner);
    state.changed.notify_waiters();
}

fn handle_client_frame(state: &State, conn_idx: u64, frame: Value) {
    let op = frame["op"].as_u64().unwrap_or(u64::MAX);
    let mut inner = state.lock();
    inner.gateway_frames.push(GatewayFrame {
        connection: conn_idx,
        op,
        payload: frame.clone(),
    });
    let Some((idx, tx)) = inner.conn.clone() else {
        return;
    };
    if idx != conn_idx {
        return; // a connection we already told to go away
    }
    match op {
        // Heartbeat -> Heartbeat ACK.
        1 => {
            let _ = tx.send(ConnCmd::Frame(json!({"op": 11, "d": null}).to_string()));
        }
        // IDENTIFY -> fresh session, READY, then anything buffered.
        2 => {
            if let Some(code) = inner.reject_identify {
                let _ = tx.send(ConnCmd::Close(code, format!("fake close {code}")));
                inner.conn = None;
                inner.conn_ready = false;
                return;
            }
            let session_id = format!("fake-session-{}", state.snowflake());
            inner.session = Some(Session {
                id: session_id.clone(),
                seq: 0,
                log: Vec::new(),
            });
            let guilds: Vec<Value> = state
                .config
                .guild_ids
                .iter()
                .map(|g| json!({"id": g.to_string(), "unavailable": true}))
                .collect();
            let ready = json!({
                "v": 10,
                "user": state.bot_user(),
                "guilds": guilds,
                "session_id": session_id,
                "resume_gateway_url": state.ws_url,
                "shard": [0, 1],
                "application": {"id": state.config.application_id.to_string(), "flags": 0},
            });
            inner.conn_ready = true;
            dispatch_locked(&mut inner, "READY", ready);
            inner.readies_sent += 1;
            flush_pending(&mut inner);
        }
        // RESUME -> replay what the bot missed, RESUMED, then anything buffered.
        6 => {
            let d = &frame["d"];
            let known = inner
                .session
                .as_ref()
                .is_some_and(|s| Some(s.id.as_str()) == d["session_id"].as_str());
            if !known {
                let _ = tx.send(ConnCmd::Frame(json!({"op": 9, "d": false}).to_string()));
                return;
            }
            let after = d["seq"].as_u64().unwrap_or(0);
            let session = inner.session.as_ref().unwrap();
            for (_, text) in session.log.iter().filter(|(s, _)| *s > after) {
                let _ = tx.send(ConnCmd::Frame(text.clone()));
            }
            inner.conn_ready = true;
            dispatch_locked(&mut inner, "RESUMED", json!({}));
            inner.resumes_completed += 1;
            flush_pending(&mut inner);
        }
        _ => {}
    }
}

// ========================================================================= REST

async fn accept_http(listener: TcpListener, state: Arc<State>) {
    while let Ok((stream, _)) = listener.accept().await {
        let _ = stream.set_nodelay(true);
        let state = Arc::clone(&state);
        tokio::spawn(async move {
            let service =
                hyper::service::service_fn(move |req| handle_http(Arc::clone(&state), req));
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

async fn handle_http(
    state: Arc<State>,
    req: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let method = req.method().clone();
    let path = req.uri().path().to_owned();
    let query = req.uri().query().map(str::to_owned);
    let bytes = req
        .into_body()
        .collect()
        .await
        .map(|b| b.to_bytes())
        .unwrap_or_default();
    let body: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    let delay = {
        let mut inner = state.lock();
        match inner
            .delays
            .iter()
            .position(|(m, p, _, _)| *m == method && *p == path)
        {
            Some(i) => {
                let d = inner.delays[i].2;
                match inner.delays[i].3 {
                    Some(1) => {
                        inner.delays.remove(i);
                    }
                    Some(n) => inner.delays[i].3 = Some(n - 1),
                    None => {}
                }
                Some(d)
            }
            None => None,
        }
    };
    if let Some(d) = delay {
        tokio::time::sleep(d).await;
    }

    let file = (method == Method::GET)
        .then(|| state.lock().files.get(&path).cloned())
        .flatten();
    if let Some((bytes, chunked)) = file {
        debug_log(format_args!(
            "{method} {path} -> file of {} bytes",
            bytes.len()
        ));
        state.lock().requests.push(RecordedRequest {
            method: method.to_string(),
            path,
            query,
            body: Value::Null,
            status: 200,
        });
        state.changed.notify_waiters();
        let mut resp = Response::builder()
            .status(StatusCode::OK)
            .header("content-type", "text/plain; charset=utf-8");
        if chunked {
            // hyper then sends the body chunked, without a Content-Length.
            resp = resp.header("transfer-encoding", "chunked");
        }
        return Ok(resp.body(Full::new(bytes)).unwrap());
    }

    let (status, answer, headers, record) = route(&state, &method, &path, &body);
    debug_log(format_args!("{method} {path} {body} -> {status}"));
    if record {
        state.lock().requests.push(RecordedRequest {
            method: method.to_string(),
            path,
            query,
            body,
            status,
        });
    }
    state.changed.notify_waiters();

    let mut resp = Response::builder().status(StatusCode::from_u16(status).unwrap());
    for (k, v) in headers {
        resp = resp.header(k, v);
    }
    let resp = match answer {
        Some(v) => resp
            .header("content-type", "application/json")
            .body(Full::new(Bytes::from(v.to_string()))),
        None => resp.body(Full::new(Bytes::new())),
    };
    Ok(resp.unwrap())
}

/// The DM channel the fake gives `user_id` (POST /users/@me/channels): fixed per user.
pub fn dm_channel_id(user_id: u64) -> u64 {
    900_000_000_000_000_000 + user_id % 100_000_000_000_000_000
}

type Routed = (u16, Option<Value>, Vec<(String, String)>, bool);

/// Decide the answer: (status, JSON body or none for 204, extra headers, record it?).
fn route(state: &State, method: &Method, path: &str, body: &Value) -> Routed {
    // Canned answers first.
    {
        let mut inner = state.lock();
        if let Some(i) = inner
            .overrides
            .iter()
            .position(|o| o.method == *method && o.path == path)
        {
            let o = inner.overrides[i].clone();
            match o.remaining {
                Some(1) => {
                    inner.overrides.remove(i);
                }
                Some(n) => inner.overrides[i].remaining = Some(n - 1),
                None => {}
            }
            return (o.status, Some(o.body), o.headers, true);
        }
    }

    let segs: Vec<&str> = path.trim_start_matches("/api/v10/").split('/').collect();
    let ok = |v: Value| (200, Some(v), Vec::new(), true);
    match (method.as_str(), segs.as_slice()) {
        ("GET", ["gateway"]) => ok(json!({"url": state.ws_url})),
        ("GET", ["gateway", "bot"]) => ok(json!({
            "url": state.ws_url,
            "shards": 1,
            "session_start_limit": {"total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1},
        })),
        ("GET", ["users", "@me"]) => ok(state.bot_user()),
        ("GET", ["oauth2", "applications", "@me"]) => ok(json!({
            "id": state.config.application_id.to_string(),
            "name": state.config.bot_name,
            "icon": null,
            "description": "",
            "bot_public": false,
            "bot_require_code_grant": false,
            "owner": payloads::user(USER_ID, "owner"),
            "verify_key": "00",
            "team": null,
            "flags": 0,
        })),
        ("POST", ["channels", channel, "messages"]) => post_message(state, channel, body),
        ("PATCH", ["channels", channel, "messages", id]) => {
            ok(message_from(state, channel, Some(id), body))
        }
        ("POST", ["users", "@me", "channels"]) => {
            let recipient: u64 = body["recipient_id"]
                .as_str()
                .and_then(|r| r.parse().ok())
                .or_else(|| body["recipient_id"].as_u64())
                .unwrap_or(0);
            ok(json!({
                "id": dm_channel_id(recipient).to_string(),
                "type": 1,
                "last_message_id": null,
                "recipients": [payloads::user(recipient, "abonnent")],
            }))
        }
        ("POST", ["channels", _, "typing"]) => (204, None, Vec::new(), true),
        ("PUT", ["applications", _, "commands"])
        | ("PUT", ["applications", _, "guilds", _, "commands"]) => {
            let guild_id = segs.get(3).copied();
            ok(commands_from(state, body, guild_id))
        }
        ("POST", ["interactions", _, _, "callback"]) => (204, None, Vec::new(), true),
        ("GET" | "PATCH", ["webhooks", _, _, "messages", id]) => {
            ok(message_from(state, &CHANNEL_ID.to_string(), Some(id), body))
        }
        ("POST", ["webhooks", _, _]) => {
            ok(message_from(state, &CHANNEL_ID.to_string(), None, body))
        }
        _ => {
            eprintln!("fake discord: unhandled route {method} {path}");
            (
                404,
                Some(json!({"message": "404: Not Found (fake discord)", "code": 0})),
                Vec::new(),
                true,
            )
        }
    }
}

fn post_message(state: &State, channel: &str, body: &Value) -> Routed {
    let nonce_key = match (&body["nonce"], body["enforce_nonce"].as_bool()) {
        (Value::String(n), Some(true)) => Some((channel.to_owned(), n.clone())),
        (Value::Number(n), Some(true)) => Some((channel.to_owned(), n.to_string())),
        _ => None,
    };
    if let Some(key) = &nonce_key {
        let mut inner = state.lock();
        let ttl = inner.nonce_ttl.unwrap_or(Duration::from_secs(300));
        match inner.nonces.get(key).cloned() {
            Some((original, at)) if at.elapsed() < ttl => {
                inner.deduplicated_posts += 1;
                return (200, Some(original), Vec::new(), false);
            }
            _ => {}
        }
    }
    let message = message_from(state, channel, None, body);
    if let Some(key) = nonce_key {
        state
            .lock()
            .nonces
            .insert(key, (message.clone(), tokio::time::Instant::now()));
    }
    (200, Some(message), Vec::new(), true)
}

/// A full Message object as Discord returns it, echoing the fields the bot sent.
fn message_from(state: &State, channel: &str, id: Option<&str>, body: &Value) -> Value {
    let id = match id {
        Some(id) if id != "@original" => id.to_owned(),
        _ => state.snowflake(),
    };
    let reference = &body["message_reference"];
    let mut message = json!({
        "id": id,
        "channel_id": channel,
        "author": state.bot_user(),
        "content": body["content"].as_str().unwrap_or(""),
        "timestamp": "2024-05-01T12:00:01.000000+00:00",
        "edited_timestamp": null,
        "tts": body["tts"].as_bool().unwrap_or(false),
        "mention_everyone": false,
        "mentions": [],
        "mention_roles": [],
        "attachments": [],
        "embeds": body.get("embeds").cloned().unwrap_or(json!([])),
        "components": body.get("components").cloned().unwrap_or(json!([])),
        "pinned": false,
        "type": if reference.is_object() { 19 } else { 0 },
    });
    if reference.is_object() {
        let mut r = reference.clone();
        r["channel_id"] = r.get("channel_id").cloned().unwrap_or(json!(channel));
        message["message_reference"] = r;
    }
    if !body["nonce"].is_null() {
        message["nonce"] = body["nonce"].clone();
    }
    message
}

/// Echo bulk-overwritten commands back as full Command objects.
fn commands_from(state: &State, body: &Value, guild_id: Option<&str>) -> Value {
    let commands = body.as_array().cloned().unwrap_or_default();
    let out: Vec<Value> = commands
        .into_iter()
        .map(|mut c| {
            c["id"] = json!(state.snowflake());
            c["application_id"] = json!(state.config.application_id.to_string());
            c["version"] = json!(state.snowflake());
            if c.get("type").is_none() {
                c["type"] = json!(1);
            }
            if c.get("description").is_none() {
                c["description"] = json!("");
            }
            if c.get("default_member_permissions").is_none() {
                c["default_member_permissions"] = Value::Null;
            }
            if let Some(g) = guild_id {
                c["guild_id"] = json!(g);
            }
            c
        })
        .collect();
    Value::Array(out)
}
