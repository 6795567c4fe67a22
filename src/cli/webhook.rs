//! `flisbot admin webhook …`: the operators' webhook targets from the command line. Changes go
//! through `operations::execute` like every admin change (authorised, with history); `list`
//! and `test` only read (`test` resumes a paused target that takes the sample).

use clap::Subcommand;

use crate::error::AppError;
use crate::operations::{self, webhooks, AreaName, Request, WebhookAdd};

use super::admin::Common;
use super::Context;

#[derive(Debug, Subcommand)]
pub enum WebhookCommand {
    /// Add a target: a Teams workflow, a Slack incoming webhook or any HTTPS receiver (generic,
    /// signed per Standard Webhooks).
    Add {
        #[command(flatten)]
        args: WebhookAddArgs,
        #[command(flatten)]
        common: Common,
    },
    /// The targets, what each follows and whether it is paused (host only, never the URL).
    List,
    /// Remove a target, with what is queued for it.
    Remove {
        name: String,
        #[command(flatten)]
        common: Common,
    },
    /// Send a sample now and print the receiver's answer; a paused target that takes it is
    /// resumed.
    Test {
        name: String,
        /// Fix "now" (RFC 3339) for the sample's own time.
        #[arg(long, value_parser = super::parse_now, hide = true)]
        now: Option<chrono::DateTime<chrono::Utc>>,
    },
    /// Deliver to a paused target again (what it follows was kept for it).
    Resume {
        name: String,
        #[command(flatten)]
        common: Common,
    },
}

/// `admin webhook add`.
#[derive(Clone, Debug, Default, PartialEq, Eq, clap::Args)]
pub struct WebhookAddArgs {
    /// A short name for the target: lowercase letters, digits, - and _ (e.g. teams-hr).
    pub name: String,
    /// The receiver's address: https (http only to this machine, 127.0.0.1 or localhost).
    pub url: String,
    /// teams | slack | generic
    #[arg(long)]
    pub kind: String,
    /// Areas to follow, comma-separated (without --areas and --groups: every area).
    #[arg(
        long,
        value_delimiter = ',',
        value_name = "ID,…",
        conflicts_with = "groups"
    )]
    pub areas: Vec<String>,
    /// Groups to follow, comma-separated: tvaergaaende, skole_dagtilbud, social_sundhed,
    /// beskaeftigelse.
    #[arg(long, value_delimiter = ',', value_name = "ID,…")]
    pub groups: Vec<String>,
    /// Send the monthly release announcements too.
    #[arg(long)]
    pub announcements: bool,
    /// The environment variable of the running flisbot that holds the signing secret
    /// (required for generic; whsec_… or base64, 24–64 bytes).
    #[arg(long = "secret-env", value_name = "VAR")]
    pub secret_env: Option<String>,
}

impl WebhookAddArgs {
    fn request(self) -> Result<Request, AppError> {
        let kind = webhooks::kind(&self.kind)?;
        let groups = self
            .groups
            .iter()
            .filter(|g| !g.trim().is_empty())
            .map(|g| webhooks::group(g))
            .collect::<Result<_, _>>()?;
        Ok(Request::WebhookAdd(Box::new(WebhookAdd {
            name: self.name,
            url: self.url,
            kind,
            areas: self.areas.into_iter().map(AreaName::new).collect(),
            groups,
            announcements: self.announcements,
            secret_env: self.secret_env,
        })))
    }
}

impl WebhookCommand {
    pub(super) fn common(&self) -> Option<&Common> {
        match self {
            WebhookCommand::Add { common, .. }
            | WebhookCommand::Remove { common, .. }
            | WebhookCommand::Resume { common, .. } => Some(common),
            WebhookCommand::List | WebhookCommand::Test { .. } => None,
        }
    }

    /// The request a change makes (or why its arguments do not read), with its common flags;
    /// the command itself for a reading command.
    #[allow(clippy::type_complexity)]
    pub(super) fn into_request(
        self,
    ) -> Result<(Result<Request, AppError>, Common), Box<WebhookCommand>> {
        match self {
            WebhookCommand::Add { args, common } => Ok((args.request(), common)),
            WebhookCommand::Remove { name, common } => {
                Ok((Ok(Request::WebhookRemove { name }), common))
            }
            WebhookCommand::Resume { name, common } => {
                Ok((Ok(Request::WebhookResume { name }), common))
            }
            other => Err(Box::new(other)),
        }
    }
}

/// `list` and `test`: what only reads (a test's resume aside).
pub(super) fn read(cx: &mut Context<'_>, command: WebhookCommand) -> Result<(), AppError> {
    let text = match command {
        WebhookCommand::Test { name, now } => {
            let now = now.unwrap_or_else(|| cx.clock.now());
            crate::webhooks::test_blocking(cx.store, &name, now)?
        }
        _ => operations::webhooks::list_text(cx.store)?,
    };
    cx.print(&text)
}
