//! Telling the operators something no command asked for (a webhook target paused after repeated
//! failures): a DM to each operator user of `[operators] users`, with no mentions. Told once
//! one of them has it; with no operator users the log line is all there is.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use poise::serenity_prelude as serenity;
use serenity::Http;

use super::send::{self, dm_channel, within, SendError};

use crate::webhooks::OperatorAlert;

pub struct OperatorDm {
    http: Arc<Http>,
    users: Vec<u64>,
    timeout: Duration,
}

impl OperatorDm {
    pub fn new(http: Arc<Http>, users: Vec<u64>, timeout: Duration) -> Self {
        OperatorDm {
            http,
            users,
            timeout,
        }
    }

    async fn dm(&self, user: u64, text: &str) -> Result<(), SendError> {
        let channel = dm_channel(&self.http, user, self.timeout).await?;
        let message = send::text(&crate::views::render::shorten_to_limit(text));
        within(self.timeout, channel.send_message(&self.http, message)).await?;
        Ok(())
    }
}

impl OperatorAlert for OperatorDm {
    fn tell<'a>(&'a self, text: &'a str) -> Pin<Box<dyn Future<Output = bool> + Send + 'a>> {
        Box::pin(async move {
            if self.users.is_empty() {
                return true;
            }
            let mut told = false;
            for user in &self.users {
                match self.dm(*user, text).await {
                    Ok(()) => told = true,
                    // No user id in the log.
                    Err(e) => tracing::warn!(error = %e, "cannot DM an operator"),
                }
            }
            told
        })
    }
}
