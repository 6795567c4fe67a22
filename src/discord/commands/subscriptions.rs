//! Subscriptions and status boards: `/abonner`, `/afmeld`, `/abonnementer`, `/kanalabonnement`,
//! `/statustavle`, and the notice after any command that a user's DMs were paused.

use std::sync::Arc;

use poise::serenity_prelude as serenity;
use serenity::AutocompleteChoice;

use super::{actor, autocomplete_area, defer, report, send, text};
use crate::core::catalogue::Group;
use crate::core::notify::Target;
use crate::discord::{said, Context, Error};
use crate::error::AppError;
use crate::operations::subscriptions;
use crate::views::danish::Danish;

/// Areas and groups matching what has been typed (groups first, by their Danish names).
async fn autocomplete_topic(ctx: Context<'_>, partial: &str) -> Vec<AutocompleteChoice> {
    let typed = partial.trim().to_lowercase();
    let mut out: Vec<AutocompleteChoice> = Group::ALL
        .iter()
        .filter(|g| typed.is_empty() || g.danish().to_lowercase().contains(&typed))
        .map(|g| {
            let label = said("topic_group", &[("group", g.danish().to_owned())]);
            AutocompleteChoice::new(label, g.danish())
        })
        .collect();
    out.extend(autocomplete_area(ctx, partial).await);
    out.truncate(25);
    out
}

/// As [`autocomplete_topic`], with «alt» (everything) first.
async fn autocomplete_unfollow(ctx: Context<'_>, partial: &str) -> Vec<AutocompleteChoice> {
    let mut out = vec![AutocompleteChoice::new(
        said("unfollow_all", &[]),
        subscriptions::ALL,
    )];
    out.extend(autocomplete_topic(ctx, partial).await);
    out.truncate(25);
    out
}

/// Runs subscription store work on a blocking thread and answers ephemerally with its text.
async fn subscription_reply(
    ctx: Context<'_>,
    work: impl FnOnce(&crate::store::Store) -> Result<String, AppError> + Send + 'static,
) -> Result<(), Error> {
    defer(ctx).await?;
    let data = Arc::clone(ctx.data());
    let result = tokio::task::spawn_blocking(move || work(&data.store)).await?;
    report(ctx, result).await
}

/// `/abonner`: a DM when an area or a group changes or is released.
#[poise::command(slash_command)]
pub(crate) async fn abonner(
    ctx: Context<'_>,
    #[rename = "område-eller-gruppe"]
    #[autocomplete = "autocomplete_topic"]
    emne: String,
) -> Result<(), Error> {
    let me = Target::User(ctx.author().id.get());
    subscription_reply(ctx, move |store| {
        subscriptions::follow(store, me, &emne, None)
    })
    .await
}

/// `/afmeld`: no more DMs about an area or a group; «alt» deletes everything about the user.
#[poise::command(slash_command)]
pub(crate) async fn afmeld(
    ctx: Context<'_>,
    #[rename = "område-eller-gruppe"]
    #[autocomplete = "autocomplete_unfollow"]
    emne: String,
) -> Result<(), Error> {
    let me = Target::User(ctx.author().id.get());
    subscription_reply(ctx, move |store| subscriptions::unfollow(store, me, &emne)).await
}

/// `/abonnementer`: what the user is told about.
#[poise::command(slash_command)]
pub(crate) async fn abonnementer(ctx: Context<'_>) -> Result<(), Error> {
    let me = Target::User(ctx.author().id.get());
    subscription_reply(ctx, move |store| subscriptions::list(store, me)).await
}

/// `/kanalabonnement`: this channel is told about an area or a group (operators only).
#[poise::command(slash_command, default_member_permissions = "MANAGE_GUILD")]
pub(crate) async fn kanalabonnement(
    ctx: Context<'_>,
    #[rename = "område-eller-gruppe"]
    #[autocomplete = "autocomplete_topic"]
    emne: String,
    rolle: Option<serenity::Role>,
    fjern: Option<bool>,
) -> Result<(), Error> {
    let actor = actor(ctx).await;
    let channel = Target::Channel(ctx.channel_id().get());
    let role = rolle.map(|r| r.id.get());
    let operators = ctx.data().operators.clone();
    subscription_reply(ctx, move |store| {
        operators.authorise(&actor)?;
        if fjern.unwrap_or(false) {
            subscriptions::unfollow(store, channel, &emne)
        } else {
            subscriptions::follow(store, channel, &emne, role)
        }
    })
    .await
}

/// `/statustavle`: a post in this channel with every area's status, kept current (operators
/// only).
#[poise::command(slash_command, default_member_permissions = "MANAGE_GUILD")]
pub(crate) async fn statustavle(ctx: Context<'_>, fjern: Option<bool>) -> Result<(), Error> {
    defer(ctx).await?;
    let actor = actor(ctx).await;
    let channel = ctx.channel_id().get();
    let remove = fjern.unwrap_or(false);
    let data = Arc::clone(ctx.data());
    let stored = tokio::task::spawn_blocking(move || {
        data.operators.authorise(&actor)?;
        let exists = data.store.boards()?.iter().any(|(c, _)| *c == channel);
        match (remove, exists) {
            (true, _) => data.store.put_board(channel, None)?,
            (false, false) => data
                .store
                .put_board(channel, Some(&crate::store::Board::default()))?,
            (false, true) => {}
        }
        Ok::<_, AppError>(exists)
    })
    .await?;
    let message = match stored {
        Err(e) => e.report(),
        Ok(_) if remove => said("board_removed", &[]),
        Ok(existed) => {
            let data = ctx.data();
            if let Some(notifier) = data.notifier.get() {
                notifier.update_boards_now(data.clock.now()).await;
            }
            let kind = if existed {
                "board_exists"
            } else {
                "board_posted"
            };
            said(kind, &[])
        }
    };
    send(ctx, text(message), true).await
}

/// A user whose subscription was paused (closed DMs) is told once, after the command's answer.
pub(super) async fn tell_if_paused(ctx: Context<'_>) {
    let data = Arc::clone(ctx.data());
    let user = ctx.author().id.get();
    let notice =
        tokio::task::spawn_blocking(move || subscriptions::pause_notice(&data.store, user)).await;
    match notice {
        Ok(Ok(Some(message))) => {
            let _ = send(ctx, text(message), true).await;
        }
        Ok(Ok(None)) => {}
        Ok(Err(e)) => tracing::warn!(error = %e, "cannot read a subscription"),
        Err(e) => tracing::warn!(error = %e, "subscription task failed"),
    }
}
