//! The questions anyone may ask: `/status`, `/hvornaar`, `/oversigt`, `/hjaelp`. Each builds its
//! `Query` directly from its options and answers in the channel.

use super::{autocomplete_area, send};
use crate::core::query::{scope_named, AreaAsk, OverviewAsk, Query, ReleaseAsk};
use crate::discord::{Context, Error};

/// Answers a question a command asks, built as a `Query` from its options.
async fn answer_query(ctx: Context<'_>, query: Query) -> Result<(), Error> {
    send(ctx, ctx.data().answer(&query), false).await
}

/// The areas an option names, asked `ask`; an option naming no area gets the unknown-area
/// answer ("mente du …?").
fn about(option: &str, ask: AreaAsk) -> Query {
    match scope_named(option) {
        Ok(scope) => Query::Areas { scope, ask },
        Err(unknown) => unknown,
    }
}

/// `/status`: how far an area's data goes, and whether it runs as planned.
#[poise::command(slash_command)]
pub(crate) async fn status(
    ctx: Context<'_>,
    #[rename = "område"]
    #[autocomplete = "autocomplete_area"]
    omraade: String,
) -> Result<(), Error> {
    answer_query(ctx, about(&omraade, AreaAsk::Status)).await
}

/// `/hvornaar`: when new data is expected (without an area: the month's release).
#[poise::command(slash_command)]
pub(crate) async fn hvornaar(
    ctx: Context<'_>,
    #[rename = "område"]
    #[autocomplete = "autocomplete_area"]
    omraade: Option<String>,
) -> Result<(), Error> {
    let query = match omraade.as_deref().map(str::trim) {
        None | Some("") => Query::Release(ReleaseAsk::When),
        Some(o) => about(o, AreaAsk::When),
    };
    answer_query(ctx, query).await
}

/// `/oversigt`: every area, problems first.
#[poise::command(slash_command)]
pub(crate) async fn oversigt(ctx: Context<'_>) -> Result<(), Error> {
    answer_query(ctx, Query::Overview(OverviewAsk::Plain)).await
}

/// `/hjaelp`: what flisbot can answer.
#[poise::command(slash_command)]
pub(crate) async fn hjaelp(ctx: Context<'_>) -> Result<(), Error> {
    answer_query(ctx, Query::Help { plain: true }).await
}
