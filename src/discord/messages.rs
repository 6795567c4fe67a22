//! Questions in chat: mentions, DMs and every message in the configured question channels; and
//! deleted messages, for the status boards.

use std::sync::Arc;

use poise::serenity_prelude as serenity;
use serenity::{async_trait, Context as SerenityContext, EventHandler, Message, Ready};

use super::send::to_create_message;
use super::BotData;
use crate::core::query::understand;
use crate::views::chat_layout::ChatMessage;

pub(crate) struct Handler {
    pub(crate) data: Arc<BotData>,
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
    let query = understand(&msg.content);
    // In a question channel people also talk among themselves: only what is about FLIS is
    // answered there (`Query::for_a_question_channel`); said to the bot, everything is.
    if !direct && !query.for_a_question_channel() {
        return None;
    }
    Some(data.answer(&query))
}

impl Handler {
    /// Messages deleted in `channel`: a status board among them comes back at once.
    async fn deleted(&self, channel: serenity::ChannelId, messages: Vec<u64>) {
        if let Some(notifier) = self.data.notifier.get() {
            notifier
                .board_deleted(channel.get(), messages, self.data.clock.now())
                .await;
        }
    }
}

#[async_trait]
impl EventHandler for Handler {
    async fn ready(&self, _ctx: SerenityContext, ready: Ready) {
        tracing::info!(user = %ready.user.name, guilds = ready.guilds.len(), "connected to Discord");
        crate::metrics::global().gateway_ready();
    }

    async fn resume(&self, _ctx: SerenityContext, _: serenity::ResumedEvent) {
        crate::metrics::global().gateway_resumed();
    }

    async fn shard_stage_update(&self, _ctx: SerenityContext, e: serenity::ShardStageUpdateEvent) {
        match e.new {
            serenity::ConnectionStage::Connected => crate::metrics::global().gateway_connected(),
            _ => crate::metrics::global().gateway_disconnected(),
        }
    }

    async fn message_delete(
        &self,
        _ctx: SerenityContext,
        channel: serenity::ChannelId,
        deleted: serenity::MessageId,
        _guild: Option<serenity::GuildId>,
    ) {
        self.deleted(channel, vec![deleted.get()]).await;
    }

    async fn message_delete_bulk(
        &self,
        _ctx: SerenityContext,
        channel: serenity::ChannelId,
        deleted: Vec<serenity::MessageId>,
        _guild: Option<serenity::GuildId>,
    ) {
        self.deleted(channel, deleted.iter().map(|m| m.get()).collect())
            .await;
    }

    async fn message(&self, ctx: SerenityContext, msg: Message) {
        let started = std::time::Instant::now();
        let Some(reply) = reply_to(&self.data, &msg) else {
            return;
        };
        match msg
            .channel_id
            .send_message(&ctx.http, to_create_message(&reply, Some(&msg)))
            .await
        {
            Ok(_) => crate::metrics::global().reply_latency(started.elapsed()),
            Err(e) => {
                tracing::warn!(channel = %msg.channel_id, error = %e, "reply could not be sent")
            }
        }
    }
}
