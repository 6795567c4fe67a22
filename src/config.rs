//! The bot's configuration: one typed value, loaded once in `main` from a TOML file plus
//! environment variables. The Discord token comes only from the environment and is wrapped so
//! it cannot be printed.

use std::collections::BTreeSet;
use std::fmt;
use std::path::Path;

use serde::{Deserialize, Deserializer};

use crate::core::catalogue::{AreaId, Group};
use crate::error::{error_text, AppError};
use crate::operations::authorisation::Operators;

/// A secret string: `Debug` shows `[redacted]`, there is no `Display`, and the value is read
/// only through `expose`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(s: impl Into<String>) -> Self {
        Secret(s.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret([redacted])")
    }
}

/// A Discord snowflake, written as a number or a string in the file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Snowflake(pub u64);

impl<'de> Deserialize<'de> for Snowflake {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            N(u64),
            S(String),
        }
        let n = match Raw::deserialize(d)? {
            Raw::N(n) => n,
            Raw::S(s) => s.trim().parse().map_err(|_| {
                serde::de::Error::custom(error_text("discord_id_invalid", &[("value", s.clone())]))
            })?,
        };
        if n == 0 {
            return Err(serde::de::Error::custom(error_text("discord_id_zero", &[])));
        }
        Ok(Snowflake(n))
    }
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(default)]
    pub discord: DiscordConfig,
    #[serde(default)]
    pub operators: OperatorsConfig,
    #[serde(default)]
    pub announcements: AnnouncementsConfig,
    #[serde(default)]
    pub web: WebConfig,
    #[serde(default)]
    pub notifications: NotificationsConfig,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NotificationsConfig {
    /// Changes to one area within this many seconds become one message to each subscriber.
    #[serde(default = "default_window")]
    pub window_secs: u32,
}

impl Default for NotificationsConfig {
    fn default() -> Self {
        NotificationsConfig {
            window_secs: default_window(),
        }
    }
}

fn default_window() -> u32 {
    120
}

impl NotificationsConfig {
    pub fn window(&self) -> chrono::Duration {
        chrono::Duration::seconds(i64::from(self.window_secs))
    }
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WebConfig {
    /// Where the read-only web server listens ("127.0.0.1:8080"); unset: `flisbot run` serves
    /// no web (`flisbot serve` then listens on 127.0.0.1:8080).
    pub listen: Option<String>,
    /// The most connections open at once from one client address (default 64).
    pub max_connections_per_client: Option<usize>,
    /// How long a response may wait for a client that does not read it, in seconds (default
    /// 10).
    pub write_timeout_secs: Option<u64>,
    /// The address people reach the web at ("https://flis-status.example.dk"), through the
    /// reverse proxy: calendar events, webhook messages and the Atom feed link to pages under it,
    /// and `/kalender` offers `webcal://` and https subscription links. Unset: links are relative
    /// where HTML allows, and calendars and messages carry none.
    pub public_url: Option<String>,
}

/// The longest `write_timeout_secs` allowed: a connection lives at most this long anyway.
const MAX_WRITE_TIMEOUT_SECS: u64 = 300;

impl WebConfig {
    pub fn listen_addr(&self) -> Result<Option<std::net::SocketAddr>, AppError> {
        self.listen.as_deref().map(parse_listen).transpose()
    }

    /// The server's bounds, with this file's per-client limit.
    pub fn limits(&self) -> crate::web::Limits {
        let mut limits = crate::web::Limits::default();
        if let Some(n) = self.max_connections_per_client {
            limits.per_client = n;
        }
        if let Some(secs) = self.write_timeout_secs {
            limits.write_timeout = std::time::Duration::from_secs(secs);
        }
        limits
    }

    /// `public_url` checked and without a trailing slash: an http(s) address with a host and
    /// no query or fragment.
    pub fn public_url(&self) -> Result<Option<String>, AppError> {
        let Some(raw) = &self.public_url else {
            return Ok(None);
        };
        let url = raw.trim().trim_end_matches('/');
        let host = url
            .strip_prefix("https://")
            .or_else(|| url.strip_prefix("http://"))
            .map(|rest| rest.split('/').next().unwrap_or_default())
            .unwrap_or_default();
        let bad = |c: char| {
            c.is_whitespace() || c.is_control() || matches!(c, '?' | '#' | '"' | '<' | '>' | '\\')
        };
        if host.is_empty() || url.chars().any(bad) {
            return Err(AppError::invalid(error_text(
                "public_url_invalid",
                &[("value", crate::core::text::echo(raw, 80))],
            )));
        }
        Ok(Some(url.to_owned()))
    }

    fn validate(&self) -> Result<(), AppError> {
        self.listen_addr()?;
        self.public_url()?;
        match self.max_connections_per_client {
            Some(n) if n == 0 || n > crate::web::MAX_CONNECTIONS => {
                Err(AppError::invalid(error_text(
                    "config_range",
                    &[
                        ("key", "web.max_connections_per_client".to_owned()),
                        ("max", crate::web::MAX_CONNECTIONS.to_string()),
                    ],
                )))
            }
            _ => Ok(()),
        }?;
        match self.write_timeout_secs {
            Some(n) if n == 0 || n > MAX_WRITE_TIMEOUT_SECS => {
                Err(AppError::invalid(crate::error::error_text(
                    "config_range",
                    &[
                        ("key", "web.write_timeout_secs".to_owned()),
                        ("max", MAX_WRITE_TIMEOUT_SECS.to_string()),
                    ],
                )))
            }
            _ => Ok(()),
        }
    }
}

/// "127.0.0.1:8080", "[::1]:8080", "0.0.0.0:80": an IP address and a port.
pub fn parse_listen(s: &str) -> Result<std::net::SocketAddr, AppError> {
    s.trim().parse().map_err(|_| {
        AppError::invalid(error_text(
            "listen_invalid",
            &[("value", crate::core::text::echo(s, 60))],
        ))
    })
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DiscordConfig {
    /// Register slash commands in this guild (instant) instead of globally.
    pub guild_id: Option<Snowflake>,
    /// Channels where every message is read as a question.
    #[serde(default)]
    pub question_channels: BTreeSet<Snowflake>,
    /// A Discord REST proxy (e.g. twilight-http-proxy); `FLISBOT_DISCORD_PROXY` overrides it.
    pub proxy: Option<String>,
    /// The longest one REST call to Discord may take, in seconds (connecting: at most 10).
    #[serde(default = "default_request_timeout")]
    pub request_timeout_secs: u64,
}

fn default_request_timeout() -> u64 {
    30
}

impl Default for DiscordConfig {
    fn default() -> Self {
        DiscordConfig {
            guild_id: None,
            question_channels: BTreeSet::new(),
            proxy: None,
            request_timeout_secs: default_request_timeout(),
        }
    }
}

impl DiscordConfig {
    /// The REST call timeout; 0 or absurd values are clamped to 1 s – 5 min.
    pub fn request_timeout(&self) -> std::time::Duration {
        std::time::Duration::from_secs(self.request_timeout_secs.clamp(1, 300))
    }
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OperatorsConfig {
    #[serde(default)]
    pub users: BTreeSet<Snowflake>,
    #[serde(default)]
    pub roles: BTreeSet<Snowflake>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnnouncementsConfig {
    /// Time of day the announcements go out, Copenhagen time, "HH:MM".
    #[serde(default = "default_time")]
    pub time: String,
    /// A missed announcement is still posted if it is less than this many days late.
    #[serde(default = "default_grace")]
    pub grace_days: u32,
    #[serde(default)]
    pub channels: Vec<AnnouncementChannel>,
}

impl Default for AnnouncementsConfig {
    fn default() -> Self {
        AnnouncementsConfig {
            time: default_time(),
            grace_days: default_grace(),
            channels: Vec::new(),
        }
    }
}

fn default_time() -> String {
    "09:00".into()
}

fn default_grace() -> u32 {
    2
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnnouncementChannel {
    pub id: Snowflake,
    /// Only these groups (empty: all).
    #[serde(default)]
    pub groups: Vec<Group>,
    /// Only these areas (empty: all).
    #[serde(default)]
    pub areas: Vec<AreaId>,
}

/// The committed example, every key commented.
pub const EXAMPLE_CONFIG: &str = include_str!("../flisbot.example.toml");

impl Config {
    pub fn from_toml(text: &str) -> Result<Config, AppError> {
        let config: Config = toml::from_str(text).map_err(|e| {
            AppError::invalid(error_text(
                "config_unreadable",
                &[("cause", e.message().to_owned())],
            ))
        })?;
        config.validate()?;
        Ok(config)
    }

    pub fn load(path: &Path) -> Result<Config, AppError> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            AppError::invalid(error_text(
                "config_file_unreadable",
                &[
                    ("path", path.display().to_string()),
                    ("cause", e.kind().to_string()),
                ],
            ))
        })?;
        Config::from_toml(&text)
            .map_err(|e| AppError::invalid(format!("{}: {}", path.display(), e.user_message())))
    }

    fn validate(&self) -> Result<(), AppError> {
        parse_time(&self.announcements.time)?;
        self.web.validate()?;
        Ok(())
    }

    pub fn operators(&self) -> Operators {
        Operators {
            users: self.operators.users.iter().map(|s| s.0).collect(),
            roles: self.operators.roles.iter().map(|s| s.0).collect(),
        }
    }

    /// The announcement schedule: time of day, grace and channel filters.
    pub fn schedule(&self) -> Result<crate::core::announce::Schedule, AppError> {
        let a = &self.announcements;
        Ok(crate::core::announce::Schedule {
            time: parse_time(&a.time)?,
            grace: chrono::Duration::days(i64::from(a.grace_days)),
            channels: a
                .channels
                .iter()
                .map(|c| crate::core::announce::ChannelFilter {
                    channel: c.id.0,
                    groups: c.groups.clone(),
                    areas: c.areas.clone(),
                })
                .collect(),
        })
    }

    /// The REST proxy: `FLISBOT_DISCORD_PROXY` if set and not empty, else the file's.
    pub fn proxy(&self, env: Option<String>) -> Option<String> {
        env.filter(|s| !s.trim().is_empty())
            .or_else(|| self.discord.proxy.clone())
    }
}

/// "09:00" → (9, 0).
pub fn parse_time(s: &str) -> Result<(u32, u32), AppError> {
    let bad = || AppError::invalid(error_text("time_invalid", &[("value", s.to_owned())]));
    let (h, m) = s.trim().split_once(':').ok_or_else(bad)?;
    let (h, m): (u32, u32) = (h.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
    if h > 23 || m > 59 {
        return Err(bad());
    }
    Ok((h, m))
}

/// The token from `DISCORD_TOKEN`; its absence is a clear error, its value is never shown.
pub fn token_from_env(value: Option<String>) -> Result<Secret, AppError> {
    match value.map(|t| t.trim().to_owned()) {
        Some(t) if !t.is_empty() => Ok(Secret(t)),
        _ => Err(AppError::invalid(error_text("token_missing", &[]))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_committed_example_parses() {
        let c = Config::from_toml(EXAMPLE_CONFIG).unwrap();
        assert_eq!(c.announcements.time, "09:00");
        assert_eq!(c.announcements.grace_days, 2);
    }

    #[test]
    fn ids_may_be_numbers_or_strings() {
        let c = Config::from_toml(
            "[operators]\nusers = [123, \"456\"]\nroles = [\"789\"]\n[discord]\nquestion_channels = [5]",
        )
        .unwrap();
        let ops = c.operators();
        assert!(ops.users.contains(&123) && ops.users.contains(&456) && ops.roles.contains(&789));
    }

    #[test]
    fn bad_config_is_explained_in_danish() {
        for (text, expect) in [
            ("[operators]\nusers = [\"abc\"]", "Discord-id"),
            ("[discord]\ntoken = \"x\"", "kan ikke læses"),
            ("[announcements]\ntime = \"25:00\"", "klokkeslæt"),
            (
                "[[announcements.channels]]\nid = 1\ngroups = [\"sport\"]",
                "kan ikke læses",
            ),
        ] {
            let err = Config::from_toml(text).unwrap_err();
            assert!(
                err.user_message().contains(expect),
                "{text}: {}",
                err.user_message()
            );
        }
    }

    #[test]
    fn the_web_listen_address_is_checked() {
        let c = Config::from_toml("[web]\nlisten = \"127.0.0.1:8080\"").unwrap();
        assert_eq!(c.web.listen_addr().unwrap().unwrap().port(), 8080);
        assert!(Config::default().web.listen_addr().unwrap().is_none());
        for bad in ["localhost", "127.0.0.1", ":8080"] {
            let err = Config::from_toml(&format!("[web]\nlisten = \"{bad}\"")).unwrap_err();
            assert!(err.user_message().contains("adresse med port"), "{bad}");
        }
    }

    #[test]
    fn the_public_address_is_checked_and_kept_without_a_trailing_slash() {
        assert_eq!(Config::default().web.public_url().unwrap(), None);
        for (given, kept) in [
            ("https://flis.example.dk/", "https://flis.example.dk"),
            (
                "http://intra.kommune.dk/flis",
                "http://intra.kommune.dk/flis",
            ),
        ] {
            let c = Config::from_toml(&format!("[web]\npublic_url = \"{given}\"")).unwrap();
            assert_eq!(c.web.public_url().unwrap().as_deref(), Some(kept));
        }
        for bad in [
            "flis.example.dk",
            "https://",
            "ftp://x",
            "https://x/?a=1",
            "https://a b",
        ] {
            let err = Config::from_toml(&format!("[web]\npublic_url = \"{bad}\"")).unwrap_err();
            assert!(err.user_message().contains("public_url"), "{bad}");
        }
    }

    #[test]
    fn the_web_limit_per_client_has_a_default_and_is_checked() {
        assert_eq!(Config::default().web.limits().per_client, 64);
        let c = Config::from_toml("[web]\nmax_connections_per_client = 8").unwrap();
        assert_eq!(c.web.limits().per_client, 8);
        for bad in ["0", "513"] {
            let err = Config::from_toml(&format!("[web]\nmax_connections_per_client = {bad}"))
                .unwrap_err();
            assert!(err.user_message().contains("mellem 1 og 512"), "{bad}");
        }
        let err = Config::from_toml("[web]\nmax_connections_per_client = -1").unwrap_err();
        assert!(err.user_message().contains("kan ikke læses"));
        assert_eq!(
            Config::default().web.limits().write_timeout,
            std::time::Duration::from_secs(10)
        );
        let c = Config::from_toml("[web]\nwrite_timeout_secs = 2").unwrap();
        assert_eq!(
            c.web.limits().write_timeout,
            std::time::Duration::from_secs(2)
        );
        for bad in ["0", "301"] {
            let err = Config::from_toml(&format!("[web]\nwrite_timeout_secs = {bad}")).unwrap_err();
            assert!(err.user_message().contains("mellem 1 og 300"), "{bad}");
        }
    }

    #[test]
    fn the_token_is_required_and_never_printed() {
        assert!(token_from_env(None).is_err());
        assert!(token_from_env(Some("  ".into())).is_err());
        let t = token_from_env(Some("abc.def.ghi".into())).unwrap();
        assert_eq!(t.expose(), "abc.def.ghi");
        assert!(!format!("{t:?}").contains("abc"));
    }

    #[test]
    fn the_proxy_environment_variable_wins_over_the_file() {
        let c = Config::from_toml("[discord]\nproxy = \"http://file:3000\"").unwrap();
        assert_eq!(c.proxy(None).as_deref(), Some("http://file:3000"));
        assert_eq!(
            c.proxy(Some("http://env:1".into())).as_deref(),
            Some("http://env:1")
        );
        assert_eq!(
            c.proxy(Some("".into())).as_deref(),
            Some("http://file:3000")
        );
    }
}
