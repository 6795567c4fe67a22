//! Questions in chat: mentions, DMs and every message in the configured question channels.

use std::sync::Arc;

use poise::serenity_prelude as serenity;
use serenity::{async_trait, Context as SerenityContext, EventHandler, Message, Ready};

use super::send::to_create_message;
use super::BotData;
use crate::core::chat_layout::ChatMessage;
use crate::core::understand::{default_parser, Intent};

pub struct Handler {
    pub data: Arc<BotData>,
}

/// Whether and how to answer a message: `None` to stay silent.
pub(crate) fn reply_to(data: &BotData, msg: &Message) -> Option<ChatMessage> {
    if msg.author.bot || msg.author.id == data.bot_id {
        return None;
    }
    let direct = msg.guild_id.is_none() || msg.mentions_user_id(data.bot_id);
    if !direct && !data.question_channels.contains(&msg.channel_id.get()) {
        return None;
    }
    let parsed = default_parser().parse(&msg.content);
    // In a question channel people also talk among themselves: answer only what is ours.
    if !direct && (parsed.intent == Intent::Unknown || parsed.greeting_only) {
        return None;
    }
    Some(data.answer(&parsed))
}

#[async_trait]
impl EventHandler for Handler {
    async fn ready(&self, _ctx: SerenityContext, ready: Ready) {
        tracing::info!(user = %ready.user.name, guilds = ready.guilds.len(), "connected to Discord");
    }

    async fn message(&self, ctx: SerenityContext, msg: Message) {
        let Some(reply) = reply_to(&self.data, &msg) else {
            return;
        };
        if let Err(e) = msg
            .channel_id
            .send_message(&ctx.http, to_create_message(&reply, Some(&msg)))
            .await
        {
            tracing::warn!(channel = %msg.channel_id, error = %e, "reply could not be sent");
        }
    }
}
