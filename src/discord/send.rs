use poise::serenity_prelude as serenity;
use serenity::{CreateAllowedMentions, CreateEmbed, CreateEmbedFooter, CreateMessage, Message};

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
pub fn to_create_message(message: &ChatMessage, reply_to: Option<&Message>) -> CreateMessage {
    let mut m = CreateMessage::new()
        .content(&message.content)
        .embeds(embeds(message))
        .allowed_mentions(CreateAllowedMentions::new());
    if let Some(to) = reply_to {
        m = m.reference_message(to);
    }
    m
}
