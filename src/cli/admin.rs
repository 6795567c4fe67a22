//! `flisbot admin …`: operator changes from the server's command line (trusted, but every
//! change names its author with --by).

use std::path::PathBuf;

use chrono::{DateTime, Utc};
use clap::Subcommand;

use crate::core::render::render_template;
use crate::error::AppError;
use crate::operations::authorisation::{Actor, Operators};
use crate::operations::{self, execute, ReleaseArgs, Request, RuleArgs, SetArgs};

use super::Context;

#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Set an area's data t.o.m., state and/or drift note.
    Set {
        #[command(flatten)]
        args: SetArgs,
        #[command(flatten)]
        common: Common,
    },
    /// Mark the monthly release out: every monthly area not down gets t.o.m. = month − its lag.
    Release {
        #[command(flatten)]
        args: ReleaseArgs,
        #[command(flatten)]
        common: Common,
    },
    /// Change an area's release rule.
    Rule {
        #[command(flatten)]
        args: RuleArgs,
        #[command(flatten)]
        common: Common,
    },
    /// Set the date the catalogue's status is "pr." (YYYY-MM-DD).
    AsOf {
        date: String,
        #[command(flatten)]
        common: Common,
    },
    /// Undo the newest change of an area (again to go further back).
    Undo {
        area: String,
        #[command(flatten)]
        common: Common,
    },
    /// Show an area's change history, newest first.
    History {
        area: String,
        #[arg(long, default_value_t = 20)]
        limit: usize,
    },
    /// Write the whole catalogue to stdout (byte-stable).
    Export {
        /// toml (default) or json
        #[arg(long, default_value = "toml")]
        format: String,
    },
    /// Apply a whole catalogue file (TOML or JSON), showing the per-area diff first.
    Import {
        file: PathBuf,
        #[command(flatten)]
        common: Common,
    },
}

#[derive(Debug, clap::Args)]
pub struct Common {
    /// Who makes the change (required: every change has an author).
    #[arg(long)]
    by: Option<String>,
    /// Show what would change and change nothing.
    #[arg(long)]
    dry_run: bool,
    /// Fix "now" (RFC 3339) for the change's time stamp and default month.
    #[arg(long, value_parser = super::parse_now, hide = true)]
    now: Option<DateTime<Utc>>,
}

pub fn run(cx: &mut Context<'_>, cmd: AdminCommand) -> Result<(), AppError> {
    let store = cx.store;
    let (op, common) = match cmd {
        AdminCommand::History { area, limit } => return history(cx, &area, limit),
        AdminCommand::Export { format } => {
            let json = match format.trim().to_lowercase().as_str() {
                "toml" => false,
                "json" => true,
                other => {
                    return Err(AppError::invalid(format!(
                        "«{other}» er ikke et format. Brug toml eller json."
                    )))
                }
            };
            let text = operations::export(&store.catalogue(), json)?;
            return cx.print(text.trim_end());
        }
        AdminCommand::Set { args, common } => (Request::Set(args), common),
        AdminCommand::Release { args, common } => (Request::Release(args), common),
        AdminCommand::Rule { args, common } => (Request::Rule(args), common),
        AdminCommand::AsOf { date, common } => (Request::AsOf { date }, common),
        AdminCommand::Undo { area, common } => (Request::Undo { area }, common),
        AdminCommand::Import { file, common } => {
            let file = cx.cwd.join(file);
            let text = std::fs::read_to_string(&file).map_err(|e| {
                AppError::invalid(format!(
                    "Importfilen {} kan ikke læses ({}); intet er ændret.",
                    file.display(),
                    e.kind()
                ))
            })?;
            (Request::Import { text }, common)
        }
    };
    let actor = Actor::Cli {
        name: common.by.unwrap_or_default(),
    };
    let now = common.now.unwrap_or_else(|| cx.clock.now());
    // The command line is trusted: an empty operator list, and `Actor::Cli` passes it.
    let outcome = execute(
        store,
        &Operators::default(),
        &actor,
        &op,
        now,
        common.dry_run,
    )?;
    cx.print(&render_template("admin_result.md", &outcome))
}

fn history(cx: &mut Context<'_>, area: &str, limit: usize) -> Result<(), AppError> {
    let text = operations::history_text(cx.store, area, limit)?;
    cx.print(&text)
}
