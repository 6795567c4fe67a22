//! Slash commands. What Discord shows users is Danish and data: the commands', options' and
//! choices' texts are in `responses/discord_commands.toml` (set by `texts` where `all()` builds
//! the list), the sentences the commands say in `responses/discord.md`; the `///` lines here are
//! for developers. Each command parses its options, calls the core and sends the reply; operator
//! commands go through `operations::execute`, which authorises. One module per command family
//! (`questions`, `updates`, `subscriptions`, `webhook`); this one holds what they share
//! (sending, the actor, deferring, running a change) and the one list, `all()`.

use crate::views::render::Template;
use std::sync::Arc;

use poise::serenity_prelude as serenity;
use serenity::{AutocompleteChoice, GuildId};

mod questions;
mod subscriptions;
mod texts;
mod updates;
mod webhook;

use super::{said, BotData, Context, Error};
use crate::core::understand::default_parser;
use crate::error::AppError;
use crate::operations::arguments::Adapter;
use crate::operations::authorisation::Actor;
use crate::operations::{execute, Outcome, Request};
use crate::views::chat_layout::ChatMessage;
use crate::views::render::render_template;
use questions::{hjaelp, hvornaar, oversigt, status};
use subscriptions::{abonnementer, abonner, afmeld, kanalabonnement, statustavle, tell_if_paused};
use updates::{fortryd, historik, importer, opdater, udgivet};

pub(super) async fn send(
    ctx: Context<'_>,
    message: ChatMessage,
    ephemeral: bool,
) -> Result<(), Error> {
    ctx.send(super::send::reply(&message, ephemeral)).await?;
    Ok(())
}

/// Answers ephemerally with what was done, or why it was refused, within Discord's limit.
async fn report(ctx: Context<'_>, result: Result<String, AppError>) -> Result<(), Error> {
    let message = result.unwrap_or_else(|e| e.report());
    send(
        ctx,
        text(crate::views::render::shorten_to_limit(&message)),
        true,
    )
    .await
}

pub(super) fn text(content: String) -> ChatMessage {
    ChatMessage {
        content,
        embeds: Vec::new(),
    }
}

/// Areas matching what has been typed, named as the live catalogue names them.
async fn autocomplete_area(ctx: Context<'_>, partial: &str) -> Vec<AutocompleteChoice> {
    let catalogue = ctx.data().store.catalogue();
    default_parser()
        .complete(partial, 25)
        .into_iter()
        .filter_map(|id| catalogue.area(id).map(|a| (a.name.clone(), id)))
        .map(|(name, id)| AutocompleteChoice::new(name, id.as_str()))
        .collect()
}

pub(super) async fn actor(ctx: Context<'_>) -> Actor {
    let user = ctx.author();
    // Roles only exist in a guild; in a DM only the user allow-list can pass.
    let roles = match ctx.author_member().await {
        Some(m) if ctx.guild_id().is_some() => m.roles.iter().map(|r| r.get()).collect(),
        _ => Vec::new(),
    };
    Actor::Chat {
        user_id: user.id.get(),
        name: user
            .global_name
            .clone()
            .unwrap_or_else(|| user.name.clone()),
        roles,
    }
}

/// Operator commands answer within Discord's 3 seconds by deferring at once (an ephemeral
/// "thinking…"); the result follows when the change is flushed and any posts are out.
pub(super) async fn defer(ctx: Context<'_>) -> Result<(), Error> {
    ctx.defer_ephemeral().await?;
    Ok(())
}

/// Runs an operator change (or, with `dry_run`, plans it and changes nothing).
async fn run_change(
    ctx: Context<'_>,
    actor: Actor,
    op: Request,
    dry_run: bool,
) -> Result<Result<Outcome, AppError>, Error> {
    let data: Arc<BotData> = Arc::clone(ctx.data());
    let now = data.clock.now();
    // sled flushes to disk before confirming: keep that off the async workers.
    let outcome = tokio::task::spawn_blocking(move || {
        execute(&data.store, &data.operators, &actor, &op, now, dry_run)
    })
    .await?;
    Ok(outcome.map_err(|e| e.worded_for(Adapter::Discord)))
}

/// Runs an operator change; the text says what changed, or why nothing did. A change whose
/// options did not read (`Err`) is refused as `execute` would refuse it: a user who may not
/// change anything is told that first.
async fn change(
    ctx: Context<'_>,
    op: Result<Request, AppError>,
) -> Result<Result<String, String>, Error> {
    let actor = actor(ctx).await;
    let outcome = match op {
        Ok(op) => run_change(ctx, actor, op, false).await?,
        Err(e) => ctx.data().operators.authorise(&actor).and(Err(e)),
    };
    Ok(match outcome {
        Ok(outcome) => Ok(render_template(Template::AdminResult, &outcome)),
        Err(e) => Err(e.worded_for(Adapter::Discord).report()),
    })
}

/// Runs an operator change and reports it (ephemeral: the operator sees it, nobody is pinged).
pub(super) async fn operate(ctx: Context<'_>, op: Result<Request, AppError>) -> Result<(), Error> {
    defer(ctx).await?;
    let message = change(ctx, op).await?.unwrap_or_else(|refusal| refusal);
    send(ctx, text(message), true).await
}

/// Every command, in one list, with its Danish texts (`responses/discord_commands.toml`).
pub(crate) fn all() -> Vec<poise::Command<Arc<BotData>, Error>> {
    let mut commands = declared();
    texts::apply(&mut commands);
    commands
}

/// Every command as the code declares it: names, options, choices; no Danish texts yet.
fn declared() -> Vec<poise::Command<Arc<BotData>, Error>> {
    vec![
        status(),
        hvornaar(),
        oversigt(),
        hjaelp(),
        opdater(),
        udgivet(),
        fortryd(),
        historik(),
        importer(),
        abonner(),
        afmeld(),
        abonnementer(),
        kanalabonnement(),
        statustavle(),
        webhook::webhook(),
    ]
}

async fn on_error(error: poise::FrameworkError<'_, Arc<BotData>, Error>) {
    match error {
        poise::FrameworkError::Command { error, ctx, .. } => {
            tracing::error!(command = %ctx.command().name, error = %error, "command failed");
            let _ = send(ctx, text(said("command_failed", &[])), true).await;
        }
        poise::FrameworkError::ArgumentParse { ctx, input, .. } => {
            // What was typed, if poise has it, folded and cut as every echo is.
            let input: Vec<_> = input
                .map(|i| ("input", crate::core::text::echo(&i, 40)))
                .into_iter()
                .collect();
            let _ = send(ctx, text(said("option_unreadable", &input)), true).await;
        }
        other => {
            tracing::warn!(error = %other, "discord framework error");
            if let Some(ctx) = other.ctx() {
                let _ = send(ctx, text(said("command_not_run", &[])), true).await;
            }
        }
    }
}

pub(crate) fn framework(
    data: Arc<BotData>,
    guild: Option<GuildId>,
) -> poise::Framework<Arc<BotData>, Error> {
    poise::Framework::builder()
        .options(poise::FrameworkOptions {
            commands: all(),
            on_error: |e| Box::pin(on_error(e)),
            post_command: |ctx| Box::pin(tell_if_paused(ctx)),
            initialize_owners: false,
            prefix_options: poise::PrefixFrameworkOptions {
                mention_as_prefix: false,
                ..Default::default()
            },
            ..Default::default()
        })
        // The builder's own flag would otherwise turn owner lookup (an extra REST call) on.
        .initialize_owners(false)
        .setup(move |ctx, _ready, framework| {
            Box::pin(async move {
                let commands = &framework.options().commands;
                match guild {
                    Some(g) => poise::builtins::register_in_guild(ctx, commands, g).await?,
                    None => poise::builtins::register_globally(ctx, commands).await?,
                }
                Ok(data)
            })
        })
        .build()
}
