//! The Discord adapter: serenity for the gateway and REST, poise for the slash commands. Thin:
//! it reads a message or command, calls the core, lays the reply out with `chat_layout` and
//! sends it with every mention disabled.

mod announcer;
mod attachment;
mod commands;
mod login;
mod messages;
mod notifier;
mod operator_alert;
mod send;

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;

use poise::serenity_prelude as serenity;
use serenity::{Client, ClientBuilder, GatewayIntents, HttpBuilder, UserId};

use crate::clock::Clock;
use crate::config::{Config, Secret};
use crate::core::catalogue::Catalogue;
use crate::core::danish_time::danish_today;
use crate::core::facts::{catalogue_facts, CatalogueFacts};
use crate::core::import_status::MAX_DOCUMENT_BYTES;
use crate::error::AppError;
use crate::operations::authorisation::Operators;
use crate::store::Store;

pub use announcer::Announcer;
pub use login::LoginFailure;
use login::RestProxy;
pub use notifier::Notifier;
pub use operator_alert::OperatorDm;

/// What every handler and command shares.
pub(crate) struct BotData {
    pub store: Arc<Store>,
    pub(crate) operators: Operators,
    pub clock: Arc<dyn Clock>,
    pub(crate) question_channels: BTreeSet<u64>,
    pub(crate) bot_id: UserId,
    /// Set once the client exists (it owns the REST client the announcer sends with).
    pub announcer: std::sync::OnceLock<Arc<Announcer>>,
    /// Set once the client exists: delivers notices and keeps status boards current.
    pub notifier: std::sync::OnceLock<Arc<Notifier>>,
    /// Fetches files operators attach (`/importer`), bounded in size and time.
    pub(crate) attachments: attachment::Fetcher,
    /// The area facts of the snapshot questions are answered from, for the day.
    pub(crate) facts: FactsCache,
}

/// The area facts of one committed catalogue snapshot on one Copenhagen day: computed once and
/// shared by every question until the catalogue changes or the day turns.
#[derive(Default)]
pub(crate) struct FactsCache(std::sync::Mutex<Option<(Arc<Catalogue>, Arc<CatalogueFacts>)>>);

impl FactsCache {
    fn of(&self, catalogue: &Arc<Catalogue>, today: chrono::NaiveDate) -> Arc<CatalogueFacts> {
        // A panic elsewhere while holding the lock leaves nothing half-written here.
        let mut slot = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some((c, f)) = slot.as_ref() {
            if Arc::ptr_eq(c, catalogue) && f.today == today {
                return Arc::clone(f);
            }
        }
        let facts = Arc::new(catalogue_facts(catalogue, today));
        *slot = Some((Arc::clone(catalogue), Arc::clone(&facts)));
        facts
    }
}

impl BotData {
    /// The chat message answering `query` now, from the committed catalogue snapshot (no
    /// store I/O: safe on the async workers).
    pub(crate) fn answer(
        &self,
        query: &crate::core::query::Query,
    ) -> crate::views::chat_layout::ChatMessage {
        crate::metrics::global().question_answered(query.intent());
        let catalogue = self.store.catalogue();
        let facts = self.facts.of(&catalogue, danish_today(self.clock.now()));
        let reply = crate::core::answer::answer_with(query, &catalogue, &facts);
        crate::views::chat_layout::layout(&reply)
    }
}

pub(crate) type Error = Box<dyn std::error::Error + Send + Sync>;
pub(crate) type Context<'a> = poise::Context<'a, Arc<BotData>, Error>;

/// Everything needed to connect.
pub struct BotSettings {
    pub token: Secret,
    pub config: Config,
    /// A Discord REST proxy (also how tests point the bot at a fake Discord).
    pub proxy: Option<String>,
    pub store: Arc<Store>,
    pub clock: Arc<dyn Clock>,
}

/// The intents the bot asks for. MESSAGE_CONTENT is privileged: without it enabled in the
/// Developer Portal the gateway closes with 4014.
pub fn intents() -> GatewayIntents {
    GatewayIntents::GUILDS
        | GatewayIntents::GUILD_MESSAGES
        | GatewayIntents::DIRECT_MESSAGES
        | GatewayIntents::MESSAGE_CONTENT
}

/// A sentence of `responses/discord.md`, the Discord adapter's own: `kind` picks it, `values`
/// fill it in.
pub(crate) fn said(kind: &str, values: &[(&str, String)]) -> String {
    crate::views::render::sentence(crate::views::render::Template::Discord, kind, values)
}

/// The longest a connection to Discord (or the proxy) may take to open.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// An HTTP client for Discord: every call bounded by a connect timeout and the total `timeout`;
/// with a Discord REST proxy set, environment proxies are not used (they must not intercept the
/// way to it), otherwise `HTTPS_PROXY` / `NO_PROXY` are honoured.
fn http_client(proxy: Option<&str>, timeout: Duration) -> Result<reqwest::Client, AppError> {
    let mut client = reqwest::Client::builder()
        .use_rustls_tls()
        .connect_timeout(CONNECT_TIMEOUT.min(timeout))
        .timeout(timeout);
    if proxy.is_some() {
        client = client.no_proxy();
    }
    client
        .build()
        .map_err(|e| AppError::Discord(said("http_client", &[("cause", e.to_string())])))
}

/// The REST client: every call bounded by `timeout` (serenity's own client has none), through
/// the proxy if one is set. serenity gets the proxy's address without user name or password
/// (it records the address in its log spans).
pub fn rest_client(
    token: &Secret,
    proxy: Option<&str>,
    timeout: Duration,
) -> Result<serenity::Http, AppError> {
    let proxy = proxy.map(RestProxy::parse).transpose()?;
    let client = http_client(proxy.as_ref().map(|p| p.url.as_str()), timeout)?;
    let mut http = HttpBuilder::new(token.expose()).client(client);
    if let Some(proxy) = proxy {
        // The proxy limits rates itself, and serenity's limiter would bypass it.
        http = http.proxy(proxy.url).ratelimiter_disabled(true);
    }
    Ok(http.build())
}

/// Builds the client: REST, the bot's own id, handlers, commands, and the announcer (not yet
/// running: `run` starts it once).
pub async fn build_client(settings: BotSettings) -> Result<Bot, AppError> {
    let schedule = settings.config.schedule()?;
    let timeout = settings.config.discord.request_timeout();
    let rest_proxy = settings
        .proxy
        .as_deref()
        .map(RestProxy::parse)
        .transpose()?;
    let via = match &rest_proxy {
        Some(p) => {
            if p.had_credentials {
                tracing::warn!(proxy = %p.shown.address, "the Discord REST proxy's address carries a user name or password; they are not sent (the Authorization header carries the bot token) and never logged");
            }
            Some(p.shown.clone())
        }
        None => login::env_proxy_for_discord(),
    };
    if let Some(p) = &via {
        tracing::info!(proxy = %p.address, from = p.from, "reaching Discord through a proxy");
    }
    let http = rest_client(
        &settings.token,
        rest_proxy.as_ref().map(|p| p.url.as_str()),
        timeout,
    )?;
    // Fails fast on a bad token, and gives the handlers our id before any event arrives
    // (serenity runs each handler call in its own task, so READY may not have been seen yet).
    // A failure says whose fault it is: the token, the proxy or the network.
    let me = http
        .get_current_user()
        .await
        .map_err(|e| LoginFailure::from_error(&e, via.as_ref(), timeout))?;
    let data = Arc::new(BotData {
        store: settings.store,
        operators: settings.config.operators(),
        clock: settings.clock,
        question_channels: settings
            .config
            .discord
            .question_channels
            .iter()
            .map(|c| c.0)
            .collect(),
        bot_id: me.id,
        announcer: std::sync::OnceLock::new(),
        notifier: std::sync::OnceLock::new(),
        // Attachments come from Discord's CDN, not through the REST proxy, but with the same
        // bounds and the same choice about environment proxies.
        attachments: attachment::Fetcher::new(
            http_client(rest_proxy.as_ref().map(|p| p.url.as_str()), timeout)?,
            timeout,
            MAX_DOCUMENT_BYTES,
        ),
        facts: FactsCache::default(),
    });
    let guild = settings
        .config
        .discord
        .guild_id
        .map(|g| serenity::GuildId::new(g.0));
    let client = ClientBuilder::new_with_http(http, intents())
        .event_handler(messages::Handler {
            data: Arc::clone(&data),
        })
        .framework(commands::framework(Arc::clone(&data), guild))
        .await
        .map_err(|e| AppError::Discord(said("client_build", &[("cause", e.to_string())])))?;
    // A try may wait in serenity's own limiter as well as on the wire.
    let announcer = Arc::new(
        Announcer::new(Arc::clone(&client.http), Arc::clone(&data.store), schedule)
            .with_post_timeout(timeout * 2),
    );
    let _ = data.announcer.set(Arc::clone(&announcer));
    let notifier = Arc::new(
        Notifier::new(Arc::clone(&client.http), Arc::clone(&data.store))
            .with_window(settings.config.notifications.window())
            .with_post_timeout(timeout * 2),
    );
    let _ = data.notifier.set(Arc::clone(&notifier));
    Ok(Bot {
        client,
        announcer,
        notifier,
    })
}

/// A built, not yet connected bot.
pub struct Bot {
    pub client: Client,
    pub announcer: Arc<Announcer>,
    pub notifier: Arc<Notifier>,
}

/// Explains why the gateway connection ended, for the operator's log and exit message.
pub fn explain_end(e: &serenity::Error) -> AppError {
    use serenity::GatewayError;
    match e {
        serenity::Error::Gateway(GatewayError::DisallowedGatewayIntents) => {
            AppError::Discord(said("gateway_intents", &[]))
        }
        serenity::Error::Gateway(GatewayError::InvalidAuthentication) => {
            AppError::Discord(said("gateway_token", &[]))
        }
        other => AppError::Discord(said("gateway_ended", &[("cause", other.to_string())])),
    }
}

/// Runs the bot until the gateway ends or `stop` completes (SIGTERM/Ctrl-C): shards are
/// closed before returning. The caller flushes the store once the control socket's commands
/// are answered.
pub async fn run(
    settings: BotSettings,
    stop: impl std::future::Future<Output = ()>,
) -> Result<(), AppError> {
    crate::metrics::global().gateway_starting();
    let clock = Arc::clone(&settings.clock);
    let store = Arc::clone(&settings.store);
    let hooks = crate::webhooks::Settings::from_config(&settings.config)?;
    let operator_users = settings.config.operators().users.into_iter().collect();
    let timeout = settings.config.discord.request_timeout();
    let Bot {
        mut client,
        announcer,
        notifier,
    } = build_client(settings).await?;
    // The workers start here, once per process; a gateway reconnect does not start another.
    tokio::spawn(announcer.run(Arc::clone(&clock)));
    tokio::spawn(notifier.run(Arc::clone(&clock)));
    let alert = OperatorDm::new(Arc::clone(&client.http), operator_users, timeout * 2);
    crate::webhooks::start(Arc::clone(&store), hooks, Arc::new(alert), clock)?;
    let shards = Arc::clone(&client.shard_manager);
    let result = tokio::select! {
        r = client.start() => r.map_err(|e| explain_end(&e)),
        () = stop => {
            tracing::info!("shutting down");
            shards.shutdown_all().await;
            Ok(())
        }
    };
    crate::metrics::global().gateway_stopped();
    result
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::catalogue::default_catalogue;

    #[test]
    fn the_adapters_sentences_are_worded_from_its_template() {
        let n = |k: &'static str, v: usize| (k, v.to_string());
        assert_eq!(
            said("announced", &[n("sent", 1), n("failed", 0)]),
            "Meddelelsen er sendt til 1 kanal."
        );
        assert_eq!(
            said("announced", &[n("sent", 0), n("failed", 2)]),
            "Meddelelsen er sendt til 0 kanaler; 2 fejlede og prøves igen."
        );
        assert_eq!(
            said("option_unreadable", &[("input", "12x".into())]),
            "Det kunne jeg ikke læse («12x»). Prøv igen."
        );
        assert_eq!(
            said("option_unreadable", &[]),
            "Det kunne jeg ikke læse. Prøv igen."
        );
        let large = |size: &str| {
            said(
                "attachment_too_large",
                &[("size", size.into()), n("max", 1024)],
            )
        };
        assert_eq!(
            large("2048"),
            "Filen fylder 2048 byte; en statusoversigt som tekst fylder nogle få kilobyte, og \
             højst 1024 byte læses. Vedhæft teksten (fx fra pdftotext), ikke PDF'en. Intet er \
             ændret."
        );
        assert!(large("").starts_with("Filen fylder over 1024 byte; "));
        assert_eq!(
            said("topic_group", &[("group", "Skole/Dagtilbud".into())]),
            "Gruppen Skole/Dagtilbud"
        );
        let ended = explain_end(&serenity::Error::Other("lukket"));
        assert_eq!(
            ended.user_message(),
            "Forbindelsen til Discord sluttede: lukket"
        );
        let intents = serenity::Error::Gateway(serenity::GatewayError::DisallowedGatewayIntents);
        assert!(explain_end(&intents)
            .user_message()
            .starts_with("Discord afviste forbindelsen (4014): slå «Message Content Intent» til"));
    }

    #[test]
    fn the_facts_are_computed_once_per_snapshot_and_day() {
        let cache = FactsCache::default();
        let snapshot = Arc::new(default_catalogue().clone());
        let day: chrono::NaiveDate = "2025-10-10".parse().unwrap();
        let first = cache.of(&snapshot, day);
        assert!(Arc::ptr_eq(&first, &cache.of(&snapshot, day)), "shared");
        let next_day = cache.of(&snapshot, day.succ_opt().unwrap());
        assert!(!Arc::ptr_eq(&first, &next_day) && next_day.today != first.today);
        let changed = Arc::new(default_catalogue().clone());
        let after_change = cache.of(&changed, day);
        assert!(
            !Arc::ptr_eq(&next_day, &after_change),
            "a new snapshot, new facts"
        );
        assert_eq!(*after_change, catalogue_facts(&changed, day));
    }
}
