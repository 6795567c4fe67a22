//! How flisbot reaches Discord (directly, through a Discord REST proxy, or through an HTTPS proxy
//! from the environment), shown without a user name or password; and why logging in failed, in
//! the terms an operator acts on: the token, the proxy or the network.
//!
//! A proxy's password never reaches a log line: serenity records its client (with the REST
//! proxy's address) in its tracing spans, so the address it gets has no credentials at all, and
//! every message shows a proxy by scheme, host and port only.

use poise::serenity_prelude as serenity;
use serenity::HttpError;

use crate::error::{error_text, AppError};

/// Where a proxy's address was set, as the operator knows it.
pub(crate) const REST_PROXY_SOURCE: &str = "FLISBOT_DISCORD_PROXY / discord.proxy";

/// A proxy as it may be shown: scheme, host and port, and where it was set.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShownProxy {
    pub(crate) address: String,
    pub(crate) from: &'static str,
}

/// The Discord REST proxy, read from its configured address.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct RestProxy {
    /// The base URL serenity sends requests to, without user name or password.
    pub(crate) url: String,
    pub(crate) shown: ShownProxy,
    /// Whether the configured address carried a user name or password (not sent: serenity's
    /// Authorization header carries the bot token, so a REST proxy cannot use them).
    pub(crate) had_credentials: bool,
}

impl RestProxy {
    /// Reads the configured address; a Danish refusal (that does not repeat it, since it may
    /// hold a password) if it is not an http(s) URL.
    pub(crate) fn parse(raw: &str) -> Result<RestProxy, AppError> {
        let invalid = || {
            AppError::invalid(error_text(
                "proxy_invalid",
                &[("from", REST_PROXY_SOURCE.to_owned())],
            ))
        };
        let mut url = reqwest::Url::parse(raw.trim()).map_err(|_| invalid())?;
        if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
            return Err(invalid());
        }
        let had_credentials = !url.username().is_empty() || url.password().is_some();
        url.set_username("").map_err(|()| invalid())?;
        url.set_password(None).map_err(|()| invalid())?;
        let shown = ShownProxy {
            address: shown_address(url.scheme(), url.host_str(), url.port()),
            from: REST_PROXY_SOURCE,
        };
        Ok(RestProxy {
            url: url.as_str().trim_end_matches('/').to_owned(),
            shown,
            had_credentials,
        })
    }
}

fn shown_address(scheme: &str, host: Option<&str>, port: Option<u16>) -> String {
    let port = port.map(|p| format!(":{p}")).unwrap_or_default();
    format!("{scheme}://{}{port}", host.unwrap_or("?"))
}

/// The proxy from the environment (`HTTPS_PROXY`, `ALL_PROXY`, minus `NO_PROXY`) that the HTTP
/// client uses for Discord when no REST proxy is set, read by the same rules it reads them by.
pub(crate) fn env_proxy_for_discord() -> Option<ShownProxy> {
    use hyper_util::client::proxy::matcher::Matcher;
    let discord = hyper::Uri::from_static("https://discord.com/");
    let intercept = Matcher::from_env().intercept(&discord)?;
    let uri = intercept.uri();
    let from = ["HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"]
        .into_iter()
        .find(|v| std::env::var(v).is_ok_and(|s| !s.trim().is_empty()))
        .unwrap_or("HTTPS_PROXY");
    Some(ShownProxy {
        address: shown_address(
            uri.scheme_str().unwrap_or("http"),
            uri.host(),
            uri.port_u16(),
        ),
        from,
    })
}

/// Why logging in to Discord failed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum LoginFailure {
    /// Discord answered that the token is wrong.
    #[error("Discord refused the token ({status})")]
    Token {
        status: u16,
        proxy: Option<ShownProxy>,
    },
    /// The proxy wants credentials, or others than it got (407).
    #[error("the proxy {} refused us (407)", .proxy.address)]
    ProxyAuth { proxy: ShownProxy },
    /// Nothing answered at the proxy's address.
    #[error("the proxy {} cannot be reached: {cause}", .proxy.address)]
    ProxyUnreachable { proxy: ShownProxy, cause: String },
    /// The proxy took the connection but no answer came in time.
    #[error("the proxy {} did not answer within {secs} s", .proxy.address)]
    ProxyNoAnswer { proxy: ShownProxy, secs: u64 },
    /// The proxy answered, but could not reach Discord.
    #[error("the proxy {} cannot reach Discord: {cause}", .proxy.address)]
    ProxyNoDiscord { proxy: ShownProxy, cause: String },
    /// No proxy, and Discord could not be reached.
    #[error("Discord cannot be reached: {cause}")]
    Network { cause: String },
    /// No proxy, and Discord did not answer in time.
    #[error("Discord did not answer within {secs} s")]
    NoAnswer { secs: u64 },
    /// Discord (or what answered in its place) gave an error that says nothing about the
    /// token, or an answer that could not be read: `what` is its status or why.
    #[error("Discord answered the login with {what}")]
    Unexpected {
        what: String,
        proxy: Option<ShownProxy>,
    },
}

impl LoginFailure {
    /// Reads `e`, the failure of the first REST call (`GET /users/@me`), made through `proxy`
    /// (if any) with a total timeout of `timeout`.
    pub(crate) fn from_error(
        e: &serenity::Error,
        proxy: Option<&ShownProxy>,
        timeout: std::time::Duration,
    ) -> LoginFailure {
        let proxy = proxy.cloned();
        let secs = timeout.as_secs();
        let request = match e {
            serenity::Error::Http(HttpError::UnsuccessfulRequest(r)) => {
                let status = r.status_code.as_u16();
                return match (status, proxy) {
                    (401, proxy) => LoginFailure::Token { status, proxy },
                    (407, Some(proxy)) => LoginFailure::ProxyAuth { proxy },
                    // A REST proxy that cannot reach Discord answers with a gateway error.
                    (502..=504, Some(proxy)) => LoginFailure::ProxyNoDiscord {
                        proxy,
                        cause: format!("HTTP {status}"),
                    },
                    (status, proxy) => LoginFailure::Unexpected {
                        what: status.to_string(),
                        proxy,
                    },
                };
            }
            serenity::Error::Http(HttpError::Request(r)) => r,
            // An answer, but not one serenity could read (a proxy that is not a Discord proxy).
            other => {
                return LoginFailure::Unexpected {
                    what: crate::core::text::echo(&other.to_string(), 120),
                    proxy,
                }
            }
        };
        let chain = causes(request);
        let cause = innermost(request);
        match proxy {
            // An HTTPS proxy answers CONNECT with 407 or another refusal.
            Some(proxy) if chain.contains("proxy authorization required") => {
                LoginFailure::ProxyAuth { proxy }
            }
            Some(proxy) if chain.contains("unsuccessful") => LoginFailure::ProxyNoDiscord {
                proxy,
                cause: "CONNECT afvist".into(),
            },
            Some(proxy) if request.is_timeout() => LoginFailure::ProxyNoAnswer { proxy, secs },
            Some(proxy) => LoginFailure::ProxyUnreachable { proxy, cause },
            None if request.is_timeout() => LoginFailure::NoAnswer { secs },
            None => LoginFailure::Network { cause },
        }
    }

    /// Exit status: 4 when Discord refused the bot (the token), 5 when Discord was not reached
    /// (the network or the proxy), which a later try may mend.
    pub(crate) fn exit_code(&self) -> u8 {
        match self {
            LoginFailure::Token { .. } => 4,
            _ => 5,
        }
    }

    /// The operator's sentence, in Danish (`responses/errors.md`).
    pub(crate) fn user_message(&self) -> String {
        let shown = |p: &ShownProxy| [("proxy", p.address.clone()), ("from", p.from.to_owned())];
        let optional = |p: &Option<ShownProxy>| p.as_ref().map(|p| ("proxy", p.address.clone()));
        let (kind, values): (&str, Vec<(&str, String)>) = match self {
            LoginFailure::Token { status, proxy } => (
                "login_token",
                std::iter::once(("status", status.to_string()))
                    .chain(optional(proxy))
                    .collect(),
            ),
            LoginFailure::ProxyAuth { proxy } => ("login_proxy_auth", shown(proxy).to_vec()),
            LoginFailure::ProxyUnreachable { proxy, cause } => (
                "login_proxy_unreachable",
                [shown(proxy).as_slice(), &[("cause", cause.clone())]].concat(),
            ),
            LoginFailure::ProxyNoAnswer { proxy, secs } => (
                "login_proxy_no_answer",
                [shown(proxy).as_slice(), &[("secs", secs.to_string())]].concat(),
            ),
            LoginFailure::ProxyNoDiscord { proxy, cause } => (
                "login_proxy_no_discord",
                [shown(proxy).as_slice(), &[("cause", cause.clone())]].concat(),
            ),
            LoginFailure::Network { cause } => ("login_network", vec![("cause", cause.clone())]),
            LoginFailure::NoAnswer { secs } => {
                ("login_no_answer", vec![("secs", secs.to_string())])
            }
            LoginFailure::Unexpected { what, proxy } => (
                "login_unexpected",
                std::iter::once(("what", what.clone()))
                    .chain(optional(proxy))
                    .collect(),
            ),
        };
        error_text(kind, &values)
    }
}

/// Every cause in `e`'s chain, lower case, for the few phrases that tell a proxy's refusal.
fn causes(e: &(dyn std::error::Error + 'static)) -> String {
    let mut all = String::new();
    let mut next: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(e) = next {
        all.push_str(&e.to_string().to_lowercase());
        all.push_str(": ");
        next = e.source();
    }
    all
}

/// The innermost cause of `e` (e.g. "Connection refused (os error 111)"), short. It names no
/// URL with credentials: the HTTP client strips them, and the REST proxy's URL has none.
fn innermost(e: &(dyn std::error::Error + 'static)) -> String {
    let mut last = e;
    while let Some(next) = last.source() {
        last = next;
    }
    crate::core::text::echo(&last.to_string(), 120)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rest_proxy_address_loses_its_credentials_and_is_shown_without_them() {
        let p = RestProxy::parse(" http://flis:hemmelig%40kode@127.0.0.1:3000/ ").unwrap();
        assert_eq!(p.url, "http://127.0.0.1:3000");
        assert_eq!(p.shown.address, "http://127.0.0.1:3000");
        assert!(p.had_credentials);
        let p = RestProxy::parse("https://proxy.example.dk/discord/").unwrap();
        assert_eq!(p.url, "https://proxy.example.dk/discord");
        assert_eq!(p.shown.address, "https://proxy.example.dk");
        assert!(!p.had_credentials);
        for bad in ["127.0.0.1:3000", "ftp://h:1", "http://:pw@", "nonsens"] {
            let e = RestProxy::parse(bad).unwrap_err();
            assert!(e.user_message().contains("kan ikke læses"), "{bad}");
            assert_eq!(e.exit_code(), 2);
        }
        let e = RestProxy::parse("hxxp://u:topsecret@h").unwrap_err();
        assert!(!e.user_message().contains("topsecret"));
    }

    /// No proxy, nothing listening: the network is named, not the token.
    #[tokio::test]
    async fn discord_out_of_reach_without_a_proxy_is_the_network() {
        let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = closed.local_addr().unwrap();
        drop(closed);
        let timeout = std::time::Duration::from_secs(5);
        let http = super::super::rest_client(
            &crate::config::Secret::new("t"),
            Some(&format!("http://{addr}")),
            timeout,
        )
        .unwrap();
        let e = http.get_current_user().await.unwrap_err();
        // Classified as if no proxy were in the way: what a direct connection meets.
        let failure = LoginFailure::from_error(&e, None, timeout);
        assert!(
            matches!(failure, LoginFailure::Network { .. }),
            "{failure:?}"
        );
        let text = failure.user_message();
        assert!(
            text.contains("Discord kan ikke nås") && text.contains("refused"),
            "{text}"
        );
        assert_eq!(failure.exit_code(), 5);
    }

    #[test]
    fn each_failure_says_whose_fault_it_is() {
        let proxy = ShownProxy {
            address: "http://127.0.0.1:3128".into(),
            from: "HTTPS_PROXY",
        };
        for (failure, words, code) in [
            (
                LoginFailure::Token {
                    status: 401,
                    proxy: None,
                },
                "tjek DISCORD_TOKEN",
                4,
            ),
            (
                LoginFailure::ProxyAuth {
                    proxy: proxy.clone(),
                },
                "brugernavn og adgangskode",
                5,
            ),
            (
                LoginFailure::ProxyUnreachable {
                    proxy: proxy.clone(),
                    cause: "Connection refused".into(),
                },
                "Proxyen http://127.0.0.1:3128 (HTTPS_PROXY) kan ikke nås",
                5,
            ),
            (
                LoginFailure::ProxyNoAnswer {
                    proxy: proxy.clone(),
                    secs: 30,
                },
                "svarede ikke inden for 30 sekunder",
                5,
            ),
            (
                LoginFailure::ProxyNoDiscord {
                    proxy,
                    cause: "HTTP 502".into(),
                },
                "når ikke Discord (HTTP 502)",
                5,
            ),
            (
                LoginFailure::NoAnswer { secs: 30 },
                "Discord svarede ikke",
                5,
            ),
            (
                LoginFailure::Unexpected {
                    what: "500".into(),
                    proxy: None,
                },
                "uventet på login (500). Prøv igen",
                5,
            ),
        ] {
            let text = failure.user_message();
            assert!(text.contains(words), "{failure:?}: {text}");
            assert_eq!(failure.exit_code(), code, "{failure:?}");
        }
    }
}
