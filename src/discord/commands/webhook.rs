//! `/webhook`: operators keep the webhook targets (Teams, Slack, any HTTPS receiver) from
//! Discord as from the command line: `tilfoej`, `liste`, `fjern`, `test`, `genoptag`. Every
//! answer is ephemeral and never shows a target's URL (its host at most); changes go through
//! `operations::execute`, which authorises and records them.

use std::sync::Arc;

use super::{actor, defer, operate, report};
use crate::core::webhook::WebhookKind;
use crate::discord::{Context, Error};
use crate::error::AppError;
use crate::operations::{input, webhooks, AreaName, Request, WebhookAdd};

/// `/webhook tilfoej`'s `type`. Its labels are in `responses/discord_commands.toml`, by
/// variant; Discord sends a choice's index, so the order of the variants is its identity.
#[derive(Debug, Clone, Copy, poise::ChoiceParameter)]
pub(crate) enum Modtager {
    Teams,
    Slack,
    Generic,
}

impl From<Modtager> for WebhookKind {
    fn from(m: Modtager) -> WebhookKind {
        match m {
            Modtager::Teams => WebhookKind::Teams,
            Modtager::Slack => WebhookKind::Slack,
            Modtager::Generic => WebhookKind::Generic,
        }
    }
}

/// `/webhook`: webhooks to Teams, Slack and other receivers (operators only).
#[poise::command(
    slash_command,
    default_member_permissions = "MANAGE_GUILD",
    subcommands("tilfoej", "liste", "fjern", "test", "genoptag"),
    subcommand_required
)]
pub(crate) async fn webhook(_ctx: Context<'_>) -> Result<(), Error> {
    Ok(())
}

fn list(text: Option<String>) -> Vec<String> {
    text.as_deref().map(input::list).unwrap_or_default()
}

/// `/webhook tilfoej`: a webhook that changes (and releases, if asked) are sent to (operators
/// only).
#[poise::command(slash_command, default_member_permissions = "MANAGE_GUILD")]
// A slash command's options are its parameters: poise reads one argument per option.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn tilfoej(
    ctx: Context<'_>,
    navn: String,
    url: String,
    #[rename = "type"] modtager: Modtager,
    #[rename = "områder"] omraader: Option<String>,
    grupper: Option<String>,
    udgivelser: Option<bool>,
    hemmelighed: Option<String>,
) -> Result<(), Error> {
    let groups = list(grupper)
        .iter()
        .map(|g| webhooks::group(g))
        .collect::<Result<Vec<_>, _>>();
    let op = groups.map(|groups| {
        Request::WebhookAdd(Box::new(WebhookAdd {
            name: navn,
            url,
            kind: modtager.into(),
            areas: list(omraader).into_iter().map(AreaName::new).collect(),
            groups,
            announcements: udgivelser.unwrap_or(false),
            secret_env: hemmelighed,
        }))
    });
    operate(ctx, op).await
}

/// `/webhook fjern`: removes a webhook and what waits for it (operators only).
#[poise::command(slash_command, default_member_permissions = "MANAGE_GUILD")]
pub(crate) async fn fjern(ctx: Context<'_>, navn: String) -> Result<(), Error> {
    operate(ctx, Ok(Request::WebhookRemove { name: navn })).await
}

/// `/webhook genoptag`: delivers to a paused webhook again (operators only).
#[poise::command(slash_command, default_member_permissions = "MANAGE_GUILD")]
pub(crate) async fn genoptag(ctx: Context<'_>, navn: String) -> Result<(), Error> {
    operate(ctx, Ok(Request::WebhookResume { name: navn })).await
}

/// `/webhook liste`: the webhooks, what they follow, and whether they are paused (operators
/// only).
#[poise::command(slash_command, default_member_permissions = "MANAGE_GUILD")]
pub(crate) async fn liste(ctx: Context<'_>) -> Result<(), Error> {
    defer(ctx).await?;
    let actor = actor(ctx).await;
    let data = Arc::clone(ctx.data());
    let result = tokio::task::spawn_blocking(move || {
        data.operators.authorise(&actor)?;
        crate::operations::webhooks::list_text(&data.store)
    })
    .await?;
    report(ctx, result).await
}

/// `/webhook test`: a sample to a webhook, and its answer; resumes it (operators only).
#[poise::command(slash_command, default_member_permissions = "MANAGE_GUILD")]
pub(crate) async fn test(ctx: Context<'_>, navn: String) -> Result<(), Error> {
    defer(ctx).await?;
    let actor = actor(ctx).await;
    let data = Arc::clone(ctx.data());
    let now = data.clock.now();
    let found = {
        let data = Arc::clone(&data);
        tokio::task::spawn_blocking(move || {
            data.operators.authorise(&actor)?;
            crate::webhooks::target_named(&data.store, &navn)
        })
        .await?
    };
    let target = match found {
        Ok(t) => t,
        Err(e) => return report(ctx, Err(e)).await,
    };
    let sent = crate::webhooks::send_sample(&target, &crate::webhooks::environment(), now).await;
    let result = tokio::task::spawn_blocking(move || {
        let resumed = crate::webhooks::resume_if_taken(&data.store, &target, &sent)?;
        Ok::<_, AppError>(crate::webhooks::test_text(&target, &sent, resumed))
    })
    .await?;
    report(ctx, result).await
}
