//! Operator updates: `/opdater`, `/udgivet`, `/fortryd`, `/importer`, `/historik`. Changes go
//! through `operations::execute`, which authorises and records them; every answer is ephemeral.

use crate::views::render::Template;
use std::sync::Arc;

use poise::serenity_prelude as serenity;

use super::{actor, autocomplete_area, change, defer, operate, report, run_change, send, text};
use crate::core::announce::{AnnouncementId, Kind};
use crate::core::catalogue::State;
use crate::core::danish_time::danish_today;
use crate::core::import_status::Problem;
use crate::core::year_month::YearMonth;
use crate::discord::{said, Context, Error};
use crate::error::AppError;
use crate::operations::arguments::{Adapter, ArgumentRefusal};
use crate::operations::{input, status_document_text, AreaName, Outcome, Request, SetChange};
use crate::views::render::{render_template, split_to_limit};

/// `/opdater`'s `tilstand`. Its labels are in `responses/discord_commands.toml`, by variant;
/// Discord sends a choice's index, so the order of the variants is its identity.
#[derive(Debug, Clone, Copy, poise::ChoiceParameter)]
pub(crate) enum Tilstand {
    Ok,
    Disturbed,
    Down,
}

impl From<Tilstand> for State {
    fn from(t: Tilstand) -> State {
        match t {
            Tilstand::Ok => State::Ok,
            Tilstand::Disturbed => State::Disturbed,
            Tilstand::Down => State::Down,
        }
    }
}

/// `/opdater`: an area's data through, state and/or drift note (operators only).
#[poise::command(slash_command, default_member_permissions = "MANAGE_GUILD")]
pub(crate) async fn opdater(
    ctx: Context<'_>,
    #[rename = "område"]
    #[autocomplete = "autocomplete_area"]
    omraade: String,
    tom: Option<String>,
    tilstand: Option<Tilstand>,
    note: Option<String>,
) -> Result<(), Error> {
    let op = tom.as_deref().map(input::month).transpose().map(|through| {
        Request::Set(SetChange {
            area: AreaName::new(omraade),
            through,
            state: tilstand.map(State::from),
            note: note.as_deref().map(input::note),
        })
    });
    operate(ctx, op).await
}

/// `/udgivet`: the month's release is out, every monthly area moves on (operators only).
#[poise::command(slash_command, default_member_permissions = "MANAGE_GUILD")]
pub(crate) async fn udgivet(
    ctx: Context<'_>,
    #[rename = "måned"] maaned: Option<String>,
    annoncer: Option<bool>,
) -> Result<(), Error> {
    defer(ctx).await?;
    let (op, month) = match maaned.as_deref().map(input::release_month).transpose() {
        Ok(month) => {
            let release = Request::Release {
                month,
                except: Vec::new(),
            };
            (Ok(release), month)
        }
        Err(e) => (Err(e), None),
    };
    let mut message = match change(ctx, op).await? {
        Ok(done) => done,
        Err(refusal) => return send(ctx, text(refusal), true).await,
    };
    if annoncer.unwrap_or(false) {
        let data = ctx.data();
        let now = data.clock.now();
        let month = month.unwrap_or_else(|| YearMonth::of_date(danish_today(now)));
        let id = AnnouncementId {
            kind: Kind::Monthly,
            release_month: month,
        };
        if let Some(announcer) = data.announcer.get() {
            let outcome = announcer.announce_now(id, now).await;
            message.push('\n');
            message.push_str(&said(
                "announced",
                &[
                    ("sent", outcome.sent.len().to_string()),
                    ("failed", outcome.failed.len().to_string()),
                ],
            ));
        }
    }
    send(
        ctx,
        text(crate::views::render::shorten_to_limit(&message)),
        true,
    )
    .await
}

/// `/fortryd`: undo an area's latest change, or the whole latest import (operators only).
#[poise::command(slash_command, default_member_permissions = "MANAGE_GUILD")]
pub(crate) async fn fortryd(
    ctx: Context<'_>,
    #[rename = "område"]
    #[autocomplete = "autocomplete_area"]
    omraade: Option<String>,
    import: Option<bool>,
) -> Result<(), Error> {
    let op = match (omraade, import.unwrap_or(false)) {
        (None, true) => Request::UndoImport,
        (Some(area), false) => Request::Undo {
            area: AreaName::new(area),
        },
        (area, _) => {
            defer(ctx).await?;
            let refusal = AppError::Argument(ArgumentRefusal::UndoWhich {
                both: area.is_some(),
            });
            return send(
                ctx,
                text(refusal.worded_for(Adapter::Discord).report()),
                true,
            )
            .await;
        }
    };
    operate(ctx, Ok(op)).await
}

/// At most this many messages carry a status import's diff (about 19 areas and the document).
const MAX_IMPORT_MESSAGES: usize = 5;

/// `/importer`: FLIS' status document (text) read, its changes shown or saved (operators only).
#[poise::command(slash_command, default_member_permissions = "MANAGE_GUILD")]
pub(crate) async fn importer(
    ctx: Context<'_>,
    fil: serenity::Attachment,
    anvend: Option<bool>,
    udeladt: Option<String>,
) -> Result<(), Error> {
    defer(ctx).await?;
    let dry_run = !anvend.unwrap_or(false);
    let actor = actor(ctx).await;
    let data = Arc::clone(ctx.data());
    // Only an operator makes the bot fetch a file; `execute` authorises the change again.
    let fetched = match data.operators.authorise(&actor) {
        Ok(()) => data.attachments.fetch(&fil.url, u64::from(fil.size)).await,
        Err(e) => Err(e),
    };
    let result = match fetched.and_then(|bytes| status_document_text(&bytes)) {
        Ok(text) => {
            let op = Request::ImportStatus {
                text,
                states: Vec::new(),
                dropped: udeladt
                    .as_deref()
                    .map(input::list)
                    .unwrap_or_default()
                    .into_iter()
                    .map(AreaName::new)
                    .collect(),
                allow_older: false,
            };
            run_change(ctx, actor, op, dry_run).await?
        }
        Err(e) => Err(e),
    };
    let message = match result {
        Ok(outcome) => imported(&outcome),
        Err(e) => refused_import(e),
    };
    for part in split_to_limit(&message, MAX_IMPORT_MESSAGES) {
        send(ctx, text(part), true).await?;
    }
    Ok(())
}

/// What the operator reads after `/importer`: the outcome, and what to do next.
fn imported(outcome: &Outcome) -> String {
    let mut message = render_template(Template::AdminResult, outcome);
    let changes = !outcome.changes.is_empty()
        || outcome
            .status
            .as_ref()
            .is_some_and(|s| !s.rules_changes.is_empty());
    if let Some(status) = outcome.status.as_ref().filter(|s| !s.missing.is_empty()) {
        message.push_str("\n\n");
        message.push_str(&hint("dropped", &status.missing_ids));
    }
    if outcome.dry_run && changes {
        message.push_str("\n\n");
        message.push_str(&said("import_save", &[]));
    } else if outcome.applied {
        message.push_str("\n\n");
        message.push_str(&hint("applied", &[]));
    }
    message
}

/// What a chat operator can do next (`responses/import_hint.md`).
fn hint(kind: &str, ids: &[String]) -> String {
    render_template(
        Template::ImportHint,
        &serde_json::json!({"kind": kind, "adapter": "discord", "ids": ids}),
    )
    .trim()
    .to_owned()
}

/// A refusal in the words of a chat user, who has no command line flags: an older document is
/// one to check, not one to force.
fn refused_import(e: AppError) -> String {
    let older = matches!(&e, AppError::Document(d) if matches!(d.problem, Problem::Older { .. }));
    let missing = match &e {
        AppError::Document(d) => match &d.problem {
            Problem::Missing { ids, .. } => Some(ids.clone()),
            _ => None,
        },
        _ => None,
    };
    let message = e.report();
    if older {
        format!("{message} {}", said("import_attach_newest", &[]))
    } else if let Some(ids) = missing {
        format!("{message} {}", hint("dropped", &ids))
    } else {
        message
    }
}

/// `/historik`: an area's history of changes (operators only).
#[poise::command(slash_command, default_member_permissions = "MANAGE_GUILD")]
pub(crate) async fn historik(
    ctx: Context<'_>,
    #[rename = "område"]
    #[autocomplete = "autocomplete_area"]
    omraade: String,
) -> Result<(), Error> {
    defer(ctx).await?;
    let actor = actor(ctx).await;
    let data = Arc::clone(ctx.data());
    let result = tokio::task::spawn_blocking(move || {
        data.operators
            .authorise(&actor)
            .and_then(|()| crate::operations::history_text(&data.store, &omraade, 10))
    })
    .await?;
    report(ctx, result).await
}
