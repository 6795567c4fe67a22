//! Questions in chat: mentions, DMs and every message in the configured question channels; and
//! deleted messages, for the status boards.

use std::sync::Arc;

use poise::serenity_prelude as serenity;
use serenity::{async_trait, Context as SerenityContext, EventHandler, Message, Ready};

use super::send::to_create_message;
use super::BotData;
use crate::core::chat_layout::ChatMessage;
use crate::core::understand::{default_parser, Intent, Parsed};

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
    if !direct && !ours_in_a_channel(&parsed, &msg.content) {
        return None;
    }
    Some(data.answer(&parsed))
}

/// In a question channel people also talk among themselves: answer only what is about FLIS.
/// Silence on what the parser cannot place, on small talk (greetings, thanks, nothing to
/// read), and on help-intent text that is not a direct question to the bot: one with words it
/// does not know ("kan nogen hjælpe mig med printeren?") or with no letters at all. Addressed
/// directly (mention, DM) everything is answered; small talk then gets one short line.
pub(crate) fn ours_in_a_channel(parsed: &Parsed, text: &str) -> bool {
    if parsed.small_talk.is_some() || parsed.greeting_only {
        return false;
    }
    match parsed.intent {
        Intent::Unknown => false,
        Intent::Help => {
            parsed.unknown_words.is_empty()
                && parsed.suggestions.is_empty()
                && text.chars().any(char::is_alphanumeric)
        }
        Intent::Status | Intent::NextRelease | Intent::Overview => true,
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::understand::{Ask, SmallTalk};

    /// The question as the parser reads it, with what the parser does not set yet set by hand.
    fn parsed(text: &str, small_talk: Option<SmallTalk>, ask: Ask) -> Parsed {
        let mut p = default_parser().parse(text);
        p.small_talk = small_talk;
        p.ask = ask;
        p
    }

    #[test]
    fn a_question_channel_answers_only_what_is_about_flis() {
        use SmallTalk::*;
        // (message, small talk as the parser marks it, what it asks, answered in the channel)
        let cases = [
            ("status FSIII", None, Ask::Plain, true),
            ("er KY opdateret?", None, Ask::Updated, true),
            ("hvornår kommer datapakkerne?", None, Ask::When, true),
            ("oversigt", None, Ask::Plain, true),
            ("hjælp", None, Ask::Plain, true),
            ("hvad kan du?", None, Ask::Plain, true),
            ("god jul alle sammen", Some(Greeting), Ask::Plain, false),
            ("tak for det", Some(Thanks), Ask::Plain, false),
            ("tusind tak", Some(Thanks), Ask::Plain, false),
            ("🎉🎉", Some(Empty), Ask::Plain, false),
            ("", Some(Empty), Ask::Plain, false),
            // Before the parser marks small talk, a bare greeting is still silence.
            ("godmorgen", None, Ask::Plain, false),
            ("fortæl en vittighed", None, Ask::Plain, false),
            (
                "kan nogen hjælpe mig med min printer?",
                None,
                Ask::Plain,
                false,
            ),
            ("", None, Ask::Plain, false),
            ("🙂", None, Ask::Plain, false),
        ];
        for (text, small_talk, ask, answered) in cases {
            let p = parsed(text, small_talk, ask);
            assert_eq!(
                ours_in_a_channel(&p, text),
                answered,
                "{text:?} ({small_talk:?}, {:?})",
                p.intent
            );
        }
    }
}
