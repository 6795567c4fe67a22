//! `flisbot admin webhook …`: the operators' webhook targets from the command line. Changes go
//! through `operations::execute` like every admin change (authorised, with history); `list`
//! and `test` only read (`test` resumes a paused target that takes the sample).

use clap::Subcommand;

use crate::error::AppError;
use crate::operations::{self, Request, WebhookAddArgs};

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

impl WebhookCommand {
    pub(super) fn common(&self) -> Option<&Common> {
        match self {
            WebhookCommand::Add { common, .. }
            | WebhookCommand::Remove { common, .. }
            | WebhookCommand::Resume { common, .. } => Some(common),
            WebhookCommand::List | WebhookCommand::Test { .. } => None,
        }
    }

    /// The request a change makes, with its common flags; `None` for a reading command.
    pub(super) fn into_request(self) -> Result<(Request, Common), Box<WebhookCommand>> {
        match self {
            WebhookCommand::Add { args, common } => Ok((Request::WebhookAdd(args), common)),
            WebhookCommand::Remove { name, common } => {
                Ok((Request::WebhookRemove { name }, common))
            }
            WebhookCommand::Resume { name, common } => {
                Ok((Request::WebhookResume { name }, common))
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
