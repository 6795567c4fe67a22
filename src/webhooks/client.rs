//! The HTTP side of a delivery: one POST with a connect and a total timeout, no redirects
//! followed (a receiver's body goes to the address the operator gave, nowhere else), the
//! receiver's answer read no further than `MAX_ANSWER_BYTES`, and what failed said without the
//! URL (it carries the target's secret): by its host only.

use std::time::Duration;

use chrono::{DateTime, Utc};

/// How long connecting may take.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a whole delivery may take, connecting and the receiver's answer included.
pub const TOTAL_TIMEOUT: Duration = Duration::from_secs(30);
/// The most of a receiver's answer that is read (and shown by `webhook test`).
pub const MAX_ANSWER_BYTES: usize = 2048;
/// The longest `Retry-After` honoured; a longer one waits this long.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(3600);

/// A receiver's answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answer {
    pub status: u16,
    pub reason: Option<&'static str>,
    /// `Retry-After` (seconds or an HTTP date), bounded by [`MAX_RETRY_AFTER`].
    pub retry_after: Option<Duration>,
    /// The start of the answer's body, as text.
    pub body: String,
}

impl Answer {
    pub fn ok(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

/// Why a delivery got no answer; never names the URL.
#[derive(Debug, thiserror::Error)]
pub enum SendError {
    #[error("no answer from {host} within {timeout:?}")]
    TimedOut { host: String, timeout: Duration },
    #[error("cannot reach {host}: {detail}")]
    Unreachable { host: String, detail: String },
}

/// The host of `url`, for logs and messages: never the path or query.
pub fn host_of(url: &str) -> String {
    url::Url::parse(url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_owned))
        .unwrap_or_else(|| "?".into())
}

#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    timeout: Duration,
}

impl Client {
    /// A client whose every call is bounded by [`CONNECT_TIMEOUT`] (or `total`, if shorter) to
    /// connect and `total` in all; the environment's proxy settings are honoured.
    pub fn new(total: Duration) -> Result<Client, reqwest::Error> {
        let http = reqwest::Client::builder()
            .use_rustls_tls()
            .connect_timeout(CONNECT_TIMEOUT.min(total))
            .timeout(total)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("flisbot/", env!("CARGO_PKG_VERSION")))
            .build()?;
        Ok(Client {
            http,
            timeout: total,
        })
    }

    /// POSTs `body` (JSON) to `url` with `headers`; the answer, or why there was none.
    pub async fn post(
        &self,
        url: &str,
        headers: &[(&'static str, String)],
        body: Vec<u8>,
        now: DateTime<Utc>,
    ) -> Result<Answer, SendError> {
        let host = host_of(url);
        let mut request = self
            .http
            .post(url)
            .header(reqwest::header::CONTENT_TYPE, "application/json");
        for (k, v) in headers {
            request = request.header(*k, v);
        }
        let failed = |e: reqwest::Error| {
            if e.is_timeout() {
                SendError::TimedOut {
                    host: host.clone(),
                    timeout: self.timeout,
                }
            } else {
                SendError::Unreachable {
                    host: host.clone(),
                    detail: e.without_url().to_string(),
                }
            }
        };
        let mut response = request.body(body).send().await.map_err(failed)?;
        let status = response.status();
        let retry_after = response
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| retry_after(v, now));
        let mut bytes = Vec::new();
        while bytes.len() < MAX_ANSWER_BYTES {
            match response.chunk().await {
                Ok(Some(chunk)) => bytes.extend_from_slice(&chunk),
                Ok(None) => break,
                // The status is what counts; a body cut short is shown as far as it came.
                Err(e) if e.is_timeout() => return Err(failed(e)),
                Err(_) => break,
            }
        }
        bytes.truncate(MAX_ANSWER_BYTES);
        Ok(Answer {
            status: status.as_u16(),
            reason: status.canonical_reason(),
            retry_after,
            body: String::from_utf8_lossy(&bytes).trim().to_owned(),
        })
    }
}

/// `Retry-After` as seconds or an HTTP date (RFC 9110 §10.2.3), at most [`MAX_RETRY_AFTER`].
pub fn retry_after(value: &str, now: DateTime<Utc>) -> Option<Duration> {
    let value = value.trim();
    let wait = match value.parse::<u64>() {
        Ok(secs) => Duration::from_secs(secs),
        Err(_) => {
            let at = DateTime::parse_from_rfc2822(value)
                .ok()?
                .with_timezone(&Utc);
            (at - now).to_std().unwrap_or(Duration::ZERO)
        }
    };
    Some(wait.min(MAX_RETRY_AFTER))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_reads_seconds_and_dates_and_is_bounded() {
        let now: DateTime<Utc> = "2025-10-10T08:00:00Z".parse().unwrap();
        assert_eq!(retry_after("120", now), Some(Duration::from_secs(120)));
        assert_eq!(
            retry_after("Fri, 10 Oct 2025 08:00:30 GMT", now),
            Some(Duration::from_secs(30))
        );
        assert_eq!(
            retry_after("Fri, 10 Oct 2025 07:00:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(retry_after("99999999", now), Some(MAX_RETRY_AFTER));
        assert_eq!(retry_after("soon", now), None);
    }

    #[test]
    fn only_the_host_is_named() {
        assert_eq!(
            host_of("https://hooks.slack.com/services/T/B/SECRET"),
            "hooks.slack.com"
        );
        assert_eq!(host_of("nonsense"), "?");
    }
}
