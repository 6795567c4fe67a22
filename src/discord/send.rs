//! Every message flisbot sends is built here, with every mention disabled: replies, commands'
//! answers, announcements, notices, status boards and operators' DMs. The one ping, a channel
//! subscription's opt-in role, is named by the notifier on top of `text`. Each call to Discord
//! is bounded by a timeout (`within`).

use std::future::Future;
use std::time::Duration;

use poise::serenity_prelude as serenity;
use serenity::{
    ChannelId, CreateAllowedMentions, CreateEmbed, CreateEmbedFooter, CreateMessage, EditMessage,
    Http, HttpError, Message, Nonce,
};

use crate::views::chat_layout::ChatMessage;

pub(crate) fn embeds(message: &ChatMessage) -> Vec<CreateEmbed> {
    message
        .embeds
        .iter()
        .map(|e| {
            CreateEmbed::new()
                .title(&e.title)
                .description(&e.description)
                .colour(e.colour)
                .footer(CreateEmbedFooter::new(&e.footer))
        })
        .collect()
}

/// A message that pings nobody, whatever the catalogue or the user wrote.
pub(crate) fn to_create_message(
    message: &ChatMessage,
    reply_to: Option<&Message>,
) -> CreateMessage {
    let mut m = text(&message.content).embeds(embeds(message));
    if let Some(to) = reply_to {
        m = m.reference_message(to);
    }
    m
}

/// A command's answer that pings nobody (`ephemeral`: only the one who asked sees it).
pub(crate) fn reply(message: &ChatMessage, ephemeral: bool) -> poise::CreateReply {
    let mut reply = poise::CreateReply::default()
        .ephemeral(ephemeral)
        .allowed_mentions(CreateAllowedMentions::new());
    if !message.content.is_empty() {
        reply = reply.content(message.content.clone());
    }
    for e in embeds(message) {
        reply = reply.embed(e);
    }
    reply
}

/// Plain text that pings nobody.
pub(crate) fn text(content: &str) -> CreateMessage {
    CreateMessage::new()
        .content(content)
        .allowed_mentions(CreateAllowedMentions::new())
}

/// A status board's new text, pinging nobody.
pub(crate) fn edit(content: &str) -> EditMessage {
    EditMessage::new()
        .content(content)
        .allowed_mentions(CreateAllowedMentions::new())
}

/// `message` sent at most once to `channel` for `key`: Discord drops a repeat with the same
/// nonce (for the few minutes it remembers nonces).
pub(crate) fn once(message: CreateMessage, channel: u64, key: &str) -> CreateMessage {
    message
        .nonce(Nonce::String(nonce(channel, key)))
        .enforce_nonce(true)
}

/// A nonce for (channel, key): the same on every try and after a restart, so Discord drops a
/// repeat sent with `enforce_nonce`. FNV-1a: stable across builds, unlike std's hasher.
pub(crate) fn nonce(channel: u64, key: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in channel.to_be_bytes().iter().chain(key.as_bytes()) {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("fa{h:016x}")
}

/// Why a call to Discord did not succeed.
#[derive(Debug, thiserror::Error)]
pub enum SendError {
    #[error(transparent)]
    Discord(#[from] serenity::Error),
    #[error("no answer from Discord within {0:?}")]
    TimedOut(Duration),
}

impl SendError {
    /// Discord's HTTP status and JSON error code, when Discord answered with an error.
    pub(crate) fn code(&self) -> Option<(u16, isize)> {
        match self {
            SendError::Discord(serenity::Error::Http(HttpError::UnsuccessfulRequest(r))) => {
                Some((r.status_code.as_u16(), r.error.code))
            }
            _ => None,
        }
    }
}

/// A call to Discord, bounded by `timeout` whatever the HTTP client's own timeouts.
pub(crate) async fn within<T>(
    timeout: Duration,
    call: impl Future<Output = Result<T, serenity::Error>>,
) -> Result<T, SendError> {
    tokio::time::timeout(timeout, call)
        .await
        .map_err(|_| SendError::TimedOut(timeout))?
        .map_err(SendError::Discord)
}

/// The DM channel with `user` (Discord gives the same one each time it is asked).
pub(crate) async fn dm_channel(
    http: &Http,
    user: u64,
    timeout: Duration,
) -> Result<ChannelId, SendError> {
    let body = serde_json::json!({ "recipient_id": user.to_string() });
    Ok(within(timeout, http.create_private_channel(&body))
        .await?
        .id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nonces_are_stable_short_and_distinct() {
        let a = nonce(1, "monthly-2025-10");
        // FNV-1a over the channel's 8 big-endian bytes and the key, worked out apart from this
        // code: the same in every build and after a restart, as Discord's dedupe needs.
        assert_eq!(a, "fa8e952e81421038fd");
        assert!(a.len() <= 25);
        assert_ne!(a, nonce(2, "monthly-2025-10"));
        assert_ne!(a, nonce(1, "early-2025-10"));
    }
}
