//! `/webhook`: operators keep the webhook targets (Teams, Slack, any HTTPS receiver) from
//! Discord as from the command line: `tilfoej`, `liste`, `fjern`, `test`, `genoptag`. Every
//! answer is ephemeral and never shows a target's URL (its host at most); changes go through
//! `operations::execute`, which authorises and records them.

use std::sync::Arc;

use super::{actor, defer, operate, send, text};
use crate::discord::{Context, Error};
use crate::error::AppError;
use crate::operations::{Request, WebhookAddArgs};

#[derive(Debug, Clone, Copy, poise::ChoiceParameter)]
pub enum Modtager {
    #[name = "Microsoft Teams (workflow)"]
    Teams,
    #[name = "Slack (incoming webhook)"]
    Slack,
    #[name = "generic (signeret JSON)"]
    Generic,
}

impl Modtager {
    fn arg(self) -> &'static str {
        match self {
            Modtager::Teams => "teams",
            Modtager::Slack => "slack",
            Modtager::Generic => "generic",
        }
    }
}

/// Webhooks til Teams, Slack og andre modtagere (kun operatører)
#[poise::command(
    slash_command,
    default_member_permissions = "MANAGE_GUILD",
    subcommands("tilfoej", "liste", "fjern", "test", "genoptag"),
    subcommand_required
)]
pub async fn webhook(_ctx: Context<'_>) -> Result<(), Error> {
    Ok(())
}

fn list(text: Option<String>) -> Vec<String> {
    text.map(|t| t.split(',').map(|s| s.trim().to_owned()).collect())
        .unwrap_or_default()
}

/// Tilføj en webhook: ændringer (og evt. udgivelser) sendes dertil (kun operatører)
#[poise::command(slash_command, default_member_permissions = "MANAGE_GUILD")]
// A slash command's options are its parameters: poise reads one argument per option.
#[allow(clippy::too_many_arguments)]
pub async fn tilfoej(
    ctx: Context<'_>,
    #[description = "Kort navn: små bogstaver, cifre, - og _ (fx teams-hr)"] navn: String,
    #[description = "Modtagerens adresse (https); vises aldrig igen"] url: String,
    #[description = "Hvad modtageren forventer"]
    #[rename = "type"]
    modtager: Modtager,
    #[description = "Dataområder, kommasepareret (tomt: alle)"]
    #[rename = "områder"]
    omraader: Option<String>,
    #[description = "Grupper, kommasepareret, fx beskaeftigelse (tomt: alle)"] grupper: Option<
        String,
    >,
    #[description = "Send også udgivelsesmeddelelserne"] udgivelser: Option<bool>,
    #[description = "generic: miljøvariablen med hemmeligheden (navnet, ikke værdien)"]
    hemmelighed: Option<String>,
) -> Result<(), Error> {
    let op = Request::WebhookAdd(WebhookAddArgs {
        name: navn,
        url,
        kind: modtager.arg().to_owned(),
        areas: list(omraader),
        groups: list(grupper),
        announcements: udgivelser.unwrap_or(false),
        secret_env: hemmelighed,
    });
    operate(ctx, op).await
}

/// Fjern en webhook og det, der venter til den (kun operatører)
#[poise::command(slash_command, default_member_permissions = "MANAGE_GUILD")]
pub async fn fjern(
    ctx: Context<'_>,
    #[description = "Webhookens navn"] navn: String,
) -> Result<(), Error> {
    operate(ctx, Request::WebhookRemove { name: navn }).await
}

/// Lever til en webhook på pause igen (kun operatører)
#[poise::command(slash_command, default_member_permissions = "MANAGE_GUILD")]
pub async fn genoptag(
    ctx: Context<'_>,
    #[description = "Webhookens navn"] navn: String,
) -> Result<(), Error> {
    operate(ctx, Request::WebhookResume { name: navn }).await
}

/// Webhooks, hvad de følger, og om de er på pause (kun operatører)
#[poise::command(slash_command, default_member_permissions = "MANAGE_GUILD")]
pub async fn liste(ctx: Context<'_>) -> Result<(), Error> {
    defer(ctx).await?;
    let actor = actor(ctx).await;
    let data = Arc::clone(ctx.data());
    let result = tokio::task::spawn_blocking(move || {
        data.operators.authorise(&actor)?;
        crate::operations::webhooks::list_text(&data.store)
    })
    .await?;
    reply(ctx, result).await
}

/// Send en prøve til en webhook og se svaret; genoptager den efter en pause (kun operatører)
#[poise::command(slash_command, default_member_permissions = "MANAGE_GUILD")]
pub async fn test(
    ctx: Context<'_>,
    #[description = "Webhookens navn"] navn: String,
) -> Result<(), Error> {
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
        Err(e) => return reply(ctx, Err(e)).await,
    };
    let sent = crate::webhooks::send_sample(&target, &crate::webhooks::environment(), now).await;
    let result = tokio::task::spawn_blocking(move || {
        let resumed = crate::webhooks::resume_if_taken(&data.store, &target, &sent)?;
        Ok::<_, AppError>(crate::webhooks::test_text(&target, &sent, resumed))
    })
    .await?;
    reply(ctx, result).await
}

async fn reply(ctx: Context<'_>, result: Result<String, AppError>) -> Result<(), Error> {
    let message = result.unwrap_or_else(|e| e.report());
    send(
        ctx,
        text(crate::views::render::shorten_to_limit(&message)),
        true,
    )
    .await
}
