//! A file an operator attaches to a slash command (`/importer`), fetched from the attachment's
//! URL: refused by its declared size before any byte is fetched, then read up to the limit and
//! no further, within the connect and total timeouts every Discord call has.

use std::time::Duration;

use super::said;
use crate::error::AppError;

/// Fetches attachments; one per bot, built with the REST client's timeouts and proxy choice.
pub(crate) struct Fetcher {
    client: reqwest::Client,
    timeout: Duration,
    max_bytes: usize,
}

impl Fetcher {
    pub(crate) fn new(client: reqwest::Client, timeout: Duration, max_bytes: usize) -> Fetcher {
        Fetcher {
            client,
            timeout,
            max_bytes,
        }
    }

    /// The bytes at `url`, an attachment Discord says is `declared` bytes long; nothing is
    /// fetched if that is over the limit, and a body that turns out longer is not read past it.
    pub(crate) async fn fetch(&self, url: &str, declared: u64) -> Result<Vec<u8>, AppError> {
        if declared > self.max_bytes as u64 {
            return Err(self.too_large(Some(declared)));
        }
        // reqwest's total timeout covers the body too; this bounds the whole read regardless.
        match tokio::time::timeout(self.timeout, self.read(url)).await {
            Ok(read) => read,
            Err(_) => Err(self.too_slow()),
        }
    }

    async fn read(&self, url: &str) -> Result<Vec<u8>, AppError> {
        let mut response = self
            .client
            .get(url)
            .send()
            .await
            .map_err(|e| self.failed(e))?;
        let status = response.status();
        if !status.is_success() {
            tracing::warn!(
                status = status.as_u16(),
                "an attachment could not be fetched"
            );
            return Err(AppError::Discord(said(
                "attachment_refused",
                &[("status", status.as_u16().to_string())],
            )));
        }
        if let Some(length) = response.content_length() {
            if length > self.max_bytes as u64 {
                return Err(self.too_large(Some(length)));
            }
        }
        let mut bytes = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(|e| self.failed(e))? {
            if bytes.len() + chunk.len() > self.max_bytes {
                return Err(self.too_large(None));
            }
            bytes.extend_from_slice(&chunk);
        }
        Ok(bytes)
    }

    fn too_large(&self, size: Option<u64>) -> AppError {
        // Without a size: the body ran past the limit, so it is "over" it.
        AppError::invalid(said(
            "attachment_too_large",
            &[
                ("size", size.map(|n| n.to_string()).unwrap_or_default()),
                ("max", self.max_bytes.to_string()),
            ],
        ))
    }

    fn too_slow(&self) -> AppError {
        AppError::Discord(said(
            "attachment_too_slow",
            &[("secs", self.timeout.as_secs().to_string())],
        ))
    }

    fn failed(&self, e: reqwest::Error) -> AppError {
        if e.is_timeout() {
            return self.too_slow();
        }
        // The URL's signed query stays out of the log.
        tracing::warn!(error = %e.without_url(), "an attachment could not be fetched");
        AppError::Discord(said("attachment_failed", &[]))
    }
}
