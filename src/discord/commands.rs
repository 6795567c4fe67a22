//! Slash commands. Their `///` lines are the descriptions Discord shows users, so they are in
//! Danish; `//` comments are for developers. Each command parses its options, calls the core
//! and sends the reply; operator commands go through `operations::execute`, which authorises.

use std::sync::Arc;

use poise::serenity_prelude as serenity;
use serenity::{AutocompleteChoice, CreateAllowedMentions, GuildId};

use super::send::embeds;
use super::{BotData, Context, Error};
use crate::core::announce::{AnnouncementId, Kind};
use crate::core::catalogue::Group;
use crate::core::chat_layout::ChatMessage;
use crate::core::danish_time::danish_today;
use crate::core::import_status::Problem;
use crate::core::notify::Target;
use crate::core::query::{scope_named, AreaAsk, OverviewAsk, Query, ReleaseAsk};
use crate::core::render::{render_template, split_to_limit};
use crate::core::understand::default_parser;
use crate::core::year_month::YearMonth;
use crate::error::AppError;
use crate::operations::authorisation::Actor;
use crate::operations::validate::Refusal;
use crate::operations::{
    execute, status_document_text, subscriptions, Outcome, ReleaseArgs, Request, SetArgs,
};

pub(super) async fn send(
    ctx: Context<'_>,
    message: ChatMessage,
    ephemeral: bool,
) -> Result<(), Error> {
    let mut reply = poise::CreateReply::default()
        .ephemeral(ephemeral)
        .allowed_mentions(CreateAllowedMentions::new());
    if !message.content.is_empty() {
        reply = reply.content(message.content.clone());
    }
    for e in embeds(&message) {
        reply = reply.embed(e);
    }
    ctx.send(reply).await?;
    Ok(())
}

pub(super) fn text(content: String) -> ChatMessage {
    ChatMessage {
        content,
        embeds: Vec::new(),
    }
}

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

/// Hvor langt data går, og om driften kører efter planen
#[poise::command(slash_command)]
pub async fn status(
    ctx: Context<'_>,
    #[description = "Dataområde, fx DREAM eller FSIII"]
    #[rename = "område"]
    #[autocomplete = "autocomplete_area"]
    omraade: String,
) -> Result<(), Error> {
    answer_query(ctx, about(&omraade, AreaAsk::Status)).await
}

/// Hvornår der ventes nye data (uden område: månedens udgivelse)
#[poise::command(slash_command)]
pub async fn hvornaar(
    ctx: Context<'_>,
    #[description = "Dataområde, fx DREAM; tomt for månedens udgivelse"]
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

/// Alle dataområder, problemer først
#[poise::command(slash_command)]
pub async fn oversigt(ctx: Context<'_>) -> Result<(), Error> {
    answer_query(ctx, Query::Overview(OverviewAsk::Plain)).await
}

/// Hvad flisbot kan svare på
#[poise::command(slash_command)]
pub async fn hjaelp(ctx: Context<'_>) -> Result<(), Error> {
    answer_query(ctx, Query::Help { plain: true }).await
}

#[derive(Debug, Clone, Copy, poise::ChoiceParameter)]
pub enum Tilstand {
    #[name = "kører efter planen"]
    Ok,
    #[name = "driftsforstyrrelse"]
    Disturbed,
    #[name = "nede"]
    Down,
}

impl Tilstand {
    fn arg(self) -> &'static str {
        match self {
            Tilstand::Ok => "ok",
            Tilstand::Disturbed => "disturbed",
            Tilstand::Down => "down",
        }
    }
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
    Ok(tokio::task::spawn_blocking(move || {
        execute(&data.store, &data.operators, &actor, &op, now, dry_run)
    })
    .await?)
}

/// Runs an operator change; the text says what changed, or why nothing did.
async fn change(ctx: Context<'_>, op: Request) -> Result<Result<String, String>, Error> {
    let actor = actor(ctx).await;
    Ok(match run_change(ctx, actor, op, false).await? {
        Ok(outcome) => Ok(render_template("admin_result.md", &outcome)),
        Err(e) => Err(e.report()),
    })
}

/// Runs an operator change and reports it (ephemeral: the operator sees it, nobody is pinged).
pub(super) async fn operate(ctx: Context<'_>, op: Request) -> Result<(), Error> {
    defer(ctx).await?;
    let message = change(ctx, op).await?.unwrap_or_else(|refusal| refusal);
    send(ctx, text(message), true).await
}

/// Ret et dataområde: data t.o.m., tilstand og/eller driftsbemærkning (kun operatører)
#[poise::command(slash_command, default_member_permissions = "MANAGE_GUILD")]
pub async fn opdater(
    ctx: Context<'_>,
    #[description = "Dataområde"]
    #[rename = "område"]
    #[autocomplete = "autocomplete_area"]
    omraade: String,
    #[description = "Data t.o.m. som ÅÅÅÅ-MM, eller none"] tom: Option<String>,
    #[description = "Driftstilstand"] tilstand: Option<Tilstand>,
    #[description = "Driftsbemærkning, ordret"] note: Option<String>,
) -> Result<(), Error> {
    let op = Request::Set(SetArgs {
        area: omraade,
        through: tom,
        state: tilstand.map(|t| t.arg().to_owned()),
        note,
    });
    operate(ctx, op).await
}

/// Registrér månedens udgivelse som ude: alle månedlige områder rykker frem (kun operatører)
#[poise::command(slash_command, default_member_permissions = "MANAGE_GUILD")]
pub async fn udgivet(
    ctx: Context<'_>,
    #[description = "Udgivelsens måned som ÅÅÅÅ-MM (tomt: denne måned)"]
    #[rename = "måned"]
    maaned: Option<String>,
    #[description = "Send udgivelsesmeddelelsen til kanalerne nu"] annoncer: Option<bool>,
) -> Result<(), Error> {
    defer(ctx).await?;
    let op = Request::Release(ReleaseArgs {
        month: maaned.clone(),
        except: Vec::new(),
    });
    let mut message = match change(ctx, op).await? {
        Ok(done) => done,
        Err(refusal) => return send(ctx, text(refusal), true).await,
    };
    if annoncer.unwrap_or(false) {
        let data = ctx.data();
        let now = data.clock.now();
        // The release month was validated by the change above.
        let month = match maaned.as_deref().map(str::parse::<YearMonth>) {
            Some(Ok(m)) => m,
            _ => YearMonth::of_date(danish_today(now)),
        };
        let id = AnnouncementId {
            kind: Kind::Monthly,
            release_month: month,
        };
        if let Some(announcer) = data.announcer.get() {
            let outcome = announcer.announce_now(id, now).await;
            message.push_str(&format!(
                "\nMeddelelsen er sendt til {} {}{}.",
                outcome.sent.len(),
                if outcome.sent.len() == 1 {
                    "kanal"
                } else {
                    "kanaler"
                },
                if outcome.failed.is_empty() {
                    String::new()
                } else {
                    format!("; {} fejlede og prøves igen", outcome.failed.len())
                }
            ));
        }
    }
    send(
        ctx,
        text(crate::core::render::shorten_to_limit(&message)),
        true,
    )
    .await
}

/// Fortryd den seneste ændring af et dataområde, eller hele den seneste import (kun operatører)
#[poise::command(slash_command, default_member_permissions = "MANAGE_GUILD")]
pub async fn fortryd(
    ctx: Context<'_>,
    #[description = "Dataområde (tomt med import:True)"]
    #[rename = "område"]
    #[autocomplete = "autocomplete_area"]
    omraade: Option<String>,
    #[description = "Fortryd hele den seneste import: alle dens områder og statusdatoen"]
    import: Option<bool>,
) -> Result<(), Error> {
    let op = match (omraade, import.unwrap_or(false)) {
        (None, true) => Request::UndoImport,
        (Some(area), false) => Request::Undo { area },
        (area, _) => {
            defer(ctx).await?;
            let refusal = AppError::from(Refusal::UndoWhich {
                both: area.is_some(),
            });
            return send(ctx, text(refusal.report()), true).await;
        }
    };
    operate(ctx, op).await
}

/// At most this many messages carry a status import's diff (about 19 areas and the document).
const MAX_IMPORT_MESSAGES: usize = 5;

/// Indlæs FLIS' statusoversigt (tekst): viser ændringerne, anvend gemmer dem (kun operatører)
#[poise::command(slash_command, default_member_permissions = "MANAGE_GUILD")]
pub async fn importer(
    ctx: Context<'_>,
    #[description = "Statusoversigtens tekst som fil, fx fra pdftotext"] fil: serenity::Attachment,
    #[description = "Gem ændringerne (uden: vis dem kun)"] anvend: Option<bool>,
    #[description = "Områder, FLIS har fjernet fra oversigten (kommasepareret); de bliver, som de er"]
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
                    .map(|d| d.split(',').map(|a| a.trim().to_owned()).collect())
                    .unwrap_or_default(),
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
    let mut message = render_template("admin_result.md", outcome);
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
        message.push_str(
            "\n\nGem ændringerne med /importer, den samme fil og anvend:True. En tilstand, der \
             er læst forkert, rettes bagefter med /opdater.",
        );
    } else if outcome.applied {
        message.push_str("\n\n");
        message.push_str(&hint("applied", &[]));
    }
    message
}

/// What a chat operator can do next (`responses/import_hint.md`).
fn hint(kind: &str, ids: &[String]) -> String {
    render_template(
        "import_hint.md",
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
        format!("{message} Vedhæft den nyeste statusoversigt.")
    } else if let Some(ids) = missing {
        format!("{message} {}", hint("dropped", &ids))
    } else {
        message
    }
}

/// Ændringshistorik for et dataområde (kun operatører)
#[poise::command(slash_command, default_member_permissions = "MANAGE_GUILD")]
pub async fn historik(
    ctx: Context<'_>,
    #[description = "Dataområde"]
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
    let message = match result {
        Ok(t) => t,
        Err(e) => e.report(),
    };
    send(
        ctx,
        text(crate::core::render::shorten_to_limit(&message)),
        true,
    )
    .await
}

/// Areas and groups matching what has been typed (groups first, by their Danish names).
async fn autocomplete_topic(ctx: Context<'_>, partial: &str) -> Vec<AutocompleteChoice> {
    let typed = partial.trim().to_lowercase();
    let mut out: Vec<AutocompleteChoice> = Group::ALL
        .iter()
        .filter(|g| typed.is_empty() || g.danish().to_lowercase().contains(&typed))
        .map(|g| AutocompleteChoice::new(format!("Gruppen {}", g.danish()), g.danish()))
        .collect();
    out.extend(autocomplete_area(ctx, partial).await);
    out.truncate(25);
    out
}

/// As [`autocomplete_topic`], with «alt» (everything) first.
async fn autocomplete_unfollow(ctx: Context<'_>, partial: &str) -> Vec<AutocompleteChoice> {
    let mut out = vec![AutocompleteChoice::new(
        "alt (slet alle dine abonnementer)",
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
    let message = result.unwrap_or_else(|e| e.report());
    send(
        ctx,
        text(crate::core::render::shorten_to_limit(&message)),
        true,
    )
    .await
}

/// Få en DM, når et dataområde eller en gruppe ændres eller udgives
#[poise::command(slash_command)]
pub async fn abonner(
    ctx: Context<'_>,
    #[description = "Dataområde eller gruppe, fx DREAM eller Skole/Dagtilbud"]
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

/// Stop en DM-besked om et dataområde eller en gruppe; «alt» sletter alt om dig
#[poise::command(slash_command)]
pub async fn afmeld(
    ctx: Context<'_>,
    #[description = "Dataområde eller gruppe, eller alt"]
    #[rename = "område-eller-gruppe"]
    #[autocomplete = "autocomplete_unfollow"]
    emne: String,
) -> Result<(), Error> {
    let me = Target::User(ctx.author().id.get());
    subscription_reply(ctx, move |store| subscriptions::unfollow(store, me, &emne)).await
}

/// Hvad du får besked om
#[poise::command(slash_command)]
pub async fn abonnementer(ctx: Context<'_>) -> Result<(), Error> {
    let me = Target::User(ctx.author().id.get());
    subscription_reply(ctx, move |store| subscriptions::list(store, me)).await
}

/// Lad denne kanal få besked om et dataområde eller en gruppe (kun operatører)
#[poise::command(slash_command, default_member_permissions = "MANAGE_GUILD")]
pub async fn kanalabonnement(
    ctx: Context<'_>,
    #[description = "Dataområde eller gruppe, eller alt (med fjern)"]
    #[rename = "område-eller-gruppe"]
    #[autocomplete = "autocomplete_topic"]
    emne: String,
    #[description = "En rolle, der nævnes i beskederne (den eneste ping, flisbot sender)"]
    rolle: Option<serenity::Role>,
    #[description = "Stop beskederne om det (alt: om alt) i denne kanal"] fjern: Option<bool>,
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

/// Et opslag i denne kanal med alle områders status, som holdes opdateret (kun operatører)
#[poise::command(slash_command, default_member_permissions = "MANAGE_GUILD")]
pub async fn statustavle(
    ctx: Context<'_>,
    #[description = "Stop opdateringen af tavlen i denne kanal"] fjern: Option<bool>,
) -> Result<(), Error> {
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
        Ok(_) if remove => {
            "Statustavlen i denne kanal opdateres ikke længere (opslaget bliver stående).".into()
        }
        Ok(existed) => {
            let data = ctx.data();
            if let Some(notifier) = data.notifier.get() {
                notifier.update_boards_now(data.clock.now()).await;
            }
            if existed {
                "Statustavlen i denne kanal findes allerede og holdes opdateret.".into()
            } else {
                "Statustavlen er slået op i denne kanal og rettes, når status ændres (højst hvert 10. sekund) og hver nat.".into()
            }
        }
    };
    send(ctx, text(message), true).await
}

/// A user whose subscription was paused (closed DMs) is told once, after the command's answer.
async fn tell_if_paused(ctx: Context<'_>) {
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

/// Every command, in one list.
pub fn all() -> Vec<poise::Command<Arc<BotData>, Error>> {
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
        super::webhook_commands::webhook(),
    ]
}

async fn on_error(error: poise::FrameworkError<'_, Arc<BotData>, Error>) {
    match error {
        poise::FrameworkError::Command { error, ctx, .. } => {
            tracing::error!(command = %ctx.command().name, error = %error, "command failed");
            let _ = send(
                ctx,
                text("Beklager, noget gik galt. Prøv igen om lidt.".into()),
                true,
            )
            .await;
        }
        poise::FrameworkError::ArgumentParse { ctx, input, .. } => {
            let _ = send(
                ctx,
                text(format!(
                    "Det kunne jeg ikke læse{}. Prøv igen.",
                    input
                        .map(|i| format!(" («{}»)", crate::core::text::echo(&i, 40)))
                        .unwrap_or_default()
                )),
                true,
            )
            .await;
        }
        other => {
            tracing::warn!(error = %other, "discord framework error");
            if let Some(ctx) = other.ctx() {
                let _ = send(
                    ctx,
                    text("Beklager, det kunne jeg ikke udføre. Prøv igen.".into()),
                    true,
                )
                .await;
            }
        }
    }
}

pub fn framework(
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
