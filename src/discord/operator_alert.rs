//! Telling the operators something no command asked for (a webhook target paused after repeated
//! failures): a DM to each operator user of `[operators] users`, with no mentions. Told once
//! one of them has it; with no operator users the log line is all there is.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use poise::serenity_prelude as serenity;
use serenity::{CreateAllowedMentions, CreateMessage, Http};

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

    async fn dm(&self, user: u64, text: &str) -> Result<(), String> {
        let body = serde_json::json!({ "recipient_id": user.to_string() });
        let channel = tokio::time::timeout(self.timeout, self.http.create_private_channel(&body))
            .await
            .map_err(|_| "no answer from Discord".to_owned())?
            .map_err(|e| e.to_string())?;
        let message = CreateMessage::new()
            .content(crate::views::render::shorten_to_limit(text))
            .allowed_mentions(CreateAllowedMentions::new());
        tokio::time::timeout(self.timeout, channel.id.send_message(&self.http, message))
            .await
            .map_err(|_| "no answer from Discord".to_owned())?
            .map_err(|e| e.to_string())?;
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
