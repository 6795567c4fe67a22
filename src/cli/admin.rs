//! `flisbot admin …`: operator changes from the server's command line (trusted, but every
//! change names its author with --by).

use crate::views::render::Template;
use std::io::Read;
use std::path::PathBuf;

use chrono::{DateTime, Utc};
use clap::Subcommand;

use crate::core::import_status::{Problem, MAX_DOCUMENT_BYTES};
use crate::error::{error_text, AppError};
use crate::operations::arguments::Adapter;
use crate::operations::authorisation::{Actor, Operators};
use crate::operations::{
    self, execute, input, parse_catalogue_file, status_document_text, AreaName, Format, Request,
    RuleChange, SetChange,
};
use crate::views::render::{render_template, sentence};

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
    /// Undo the newest change of an area (again to go further back), or with --import the
    /// newest import as a whole.
    Undo {
        #[arg(required_unless_present = "import", conflicts_with = "import")]
        area: Option<String>,
        /// Undo the newest import (a status document or a catalogue file) as a whole: every area
        /// it changed and the "pr." date.
        #[arg(long)]
        import: bool,
        #[command(flatten)]
        common: Common,
    },
    /// Show an area's change history, newest first.
    History {
        area: String,
        #[arg(long, default_value_t = 20, value_parser = super::danish::parse_limit)]
        limit: usize,
    },
    /// How many users and channels follow each area (counts only, no ids), and the webhook
    /// targets by name.
    Subscriptions,
    /// Webhook targets: Microsoft Teams, Slack and any HTTPS receiver (see docs/webhooks.md).
    Webhook {
        #[command(subcommand)]
        command: super::webhook::WebhookCommand,
    },
    /// Write the whole catalogue to stdout (byte-stable).
    Export {
        /// toml (default) or json
        #[arg(long, value_enum, ignore_case = true, default_value = "toml")]
        format: ExportFormat,
    },
    /// Apply a whole catalogue file (TOML or JSON), showing the per-area diff first.
    Import {
        file: PathBuf,
        #[command(flatten)]
        common: Common,
    },
    /// Import FLIS' monthly status document: states read from the notes, the per-area diff,
    /// the new status date, and any change to its rules section. Applies all or nothing.
    ImportStatus {
        /// The document's text (`pdftotext FILE.pdf FILE.txt`), or - to read it from stdin.
        file: PathBuf,
        #[command(flatten)]
        args: ImportStatusArgs,
        #[command(flatten)]
        common: Common,
    },
}

impl AdminCommand {
    /// Whether the command reads its input from stdin.
    pub(super) fn reads_stdin(&self) -> bool {
        matches!(self, AdminCommand::ImportStatus { file, .. } if file.as_os_str() == "-")
    }

    /// Whether the command prints a reply (Markdown) rather than a file's text.
    pub(super) fn prints_markdown(&self) -> bool {
        !matches!(self, AdminCommand::Export { .. })
    }

    /// Whether the command may change the store (not a dry run, not a reading command).
    pub(super) fn may_change(&self) -> bool {
        self.common().is_some_and(|c| !c.dry_run)
    }

    /// The one area the command changes, as the operator named it, if it names one.
    pub(super) fn area_changed(&self) -> Option<String> {
        match self {
            AdminCommand::Set { args, .. } => Some(args.area.clone()),
            AdminCommand::Rule { args, .. } => Some(args.area.clone()),
            AdminCommand::Undo { area, .. } => area.clone(),
            _ => None,
        }
    }

    fn common(&self) -> Option<&Common> {
        match self {
            AdminCommand::Set { common, .. }
            | AdminCommand::Release { common, .. }
            | AdminCommand::Rule { common, .. }
            | AdminCommand::AsOf { common, .. }
            | AdminCommand::Undo { common, .. }
            | AdminCommand::Import { common, .. }
            | AdminCommand::ImportStatus { common, .. } => Some(common),
            AdminCommand::Webhook { command } => command.common(),
            AdminCommand::History { .. }
            | AdminCommand::Subscriptions
            | AdminCommand::Export { .. } => None,
        }
    }
}

/// `admin set`.
#[derive(Clone, Debug, Default, PartialEq, Eq, clap::Args)]
pub struct SetArgs {
    /// Area id, name or alias (e.g. dream, "KRL Personale", fs3).
    pub area: String,
    /// YYYY-MM, or none.
    #[arg(long)]
    pub through: Option<String>,
    /// ok | disturbed | down
    #[arg(long)]
    pub state: Option<String>,
    /// The drift note, word for word ("" clears it).
    #[arg(long)]
    pub note: Option<String>,
}

impl SetArgs {
    fn request(self) -> Result<Request, AppError> {
        Ok(Request::Set(SetChange {
            area: AreaName::new(self.area),
            through: self.through.as_deref().map(input::month).transpose()?,
            state: self.state.as_deref().map(input::state).transpose()?,
            note: self.note.as_deref().map(input::note),
        }))
    }
}

/// `admin rule`.
#[derive(Clone, Debug, Default, PartialEq, Eq, clap::Args)]
pub struct RuleArgs {
    pub area: String,
    /// monthly | yearly | daily
    #[arg(long)]
    pub cadence: Option<String>,
    /// The release in month M carries data t.o.m. M − lag.
    #[arg(long)]
    pub lag: Option<String>,
    /// Early window in days before the 10th, FROM-TO (e.g. 14-21), or none.
    #[arg(long = "early-days")]
    pub early_days: Option<String>,
}

impl RuleArgs {
    fn request(self) -> Result<Request, AppError> {
        Ok(Request::Rule(RuleChange {
            area: AreaName::new(self.area),
            cadence: self.cadence.as_deref().map(input::cadence).transpose()?,
            lag: self.lag.as_deref().map(input::lag).transpose()?,
            early: self.early_days.as_deref().map(input::early).transpose()?,
        }))
    }
}

/// `admin release`.
#[derive(Clone, Debug, Default, PartialEq, Eq, clap::Args)]
pub struct ReleaseArgs {
    /// The release month, YYYY-MM (default: this month in Copenhagen).
    #[arg(long)]
    pub month: Option<String>,
    /// Areas to leave as they are, comma-separated.
    #[arg(long, value_delimiter = ',')]
    pub except: Vec<String>,
}

impl ReleaseArgs {
    fn request(self) -> Result<Request, AppError> {
        Ok(Request::Release {
            month: self
                .month
                .as_deref()
                .map(input::release_month)
                .transpose()?,
            except: self.except.into_iter().map(AreaName::new).collect(),
        })
    }
}

/// `admin import-status`: what the operator may add to the document (read by `run`).
#[derive(Clone, Debug, Default, PartialEq, Eq, clap::Args)]
pub struct ImportStatusArgs {
    /// Override a state read from a note: AREA=ok|disturbed|down (repeatable).
    #[arg(long = "state", value_name = "AREA=STATE")]
    pub states: Vec<String>,
    /// Accept a document older than the catalogue's status date.
    #[arg(long)]
    pub allow_older: bool,
    /// Areas the last document listed that FLIS has dropped from this one (comma-separated):
    /// they stay as they are, and the import is applied without them.
    #[arg(long, value_delimiter = ',', value_name = "AREA,…")]
    pub dropped: Vec<String>,
}

/// `admin export --format`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    Toml,
    Json,
}

impl From<ExportFormat> for Format {
    fn from(f: ExportFormat) -> Format {
        match f {
            ExportFormat::Toml => Format::Toml,
            ExportFormat::Json => Format::Json,
        }
    }
}

#[derive(Debug, clap::Args)]
pub struct Common {
    /// Who makes the change (required: every change has an author).
    #[arg(long)]
    pub(super) by: Option<String>,
    /// Show what would change and change nothing.
    #[arg(long)]
    pub(super) dry_run: bool,
    /// Fix "now" (RFC 3339) for the change's time stamp and default month.
    #[arg(long, value_parser = super::parse_now, hide = true)]
    pub(super) now: Option<DateTime<Utc>>,
}

pub fn run(cx: &mut Context<'_>, cmd: AdminCommand) -> Result<(), AppError> {
    let store = cx.store;
    let (op, common) = match cmd {
        AdminCommand::History { area, limit } => return history(cx, &area, limit),
        AdminCommand::Subscriptions => {
            let text = operations::subscriptions::counts_text(store)?;
            return cx.print(&text);
        }
        AdminCommand::Export { format } => {
            let text = operations::export(&store.catalogue(), format.into())?;
            return cx.print_raw(text.trim_end());
        }
        AdminCommand::Webhook { command } => match command.into_request() {
            Ok(change) => change,
            Err(reading) => return super::webhook::read(cx, *reading),
        },
        AdminCommand::Set { args, common } => (args.request(), common),
        AdminCommand::Release { args, common } => (args.request(), common),
        AdminCommand::Rule { args, common } => (args.request(), common),
        AdminCommand::AsOf { date, common } => {
            let date = input::date(&date).map(|date| Request::AsOf { date });
            (date, common)
        }
        AdminCommand::Undo {
            area: Some(area),
            common,
            ..
        } => {
            let area = AreaName::new(area);
            (Ok(Request::Undo { area }), common)
        }
        AdminCommand::Undo {
            area: None, common, ..
        } => (Ok(Request::UndoImport), common),
        AdminCommand::Import { file, common } => {
            let file = cx.cwd.join(file);
            let text = std::fs::read_to_string(&file).map_err(|e| {
                AppError::invalid(error_text(
                    "import_file_unreadable",
                    &[
                        ("path", file.display().to_string()),
                        ("cause", e.kind().to_string()),
                    ],
                ))
            })?;
            let catalogue = parse_catalogue_file(&text).map(|c| Request::Import {
                catalogue: Box::new(c),
            });
            (catalogue, common)
        }
        AdminCommand::ImportStatus { file, args, common } => {
            let text = status_document_text(&read_document(cx, &file)?)?;
            let states: Result<Vec<_>, _> =
                args.states.iter().map(|s| input::area_state(s)).collect();
            let request = states.map(|states| Request::ImportStatus {
                text,
                states,
                dropped: args.dropped.into_iter().map(AreaName::new).collect(),
                allow_older: args.allow_older,
            });
            (request, common)
        }
    };
    let actor = Actor::Cli {
        name: common.by.unwrap_or_default(),
    };
    let now = common.now.unwrap_or_else(|| cx.clock.now());
    // The command line is trusted: an empty operator list, and `Actor::Cli` passes it (with an
    // author). As `execute` does, the author is asked for before the arguments are read.
    let operators = Operators::default();
    operators.authorise(&actor).map_err(with_cli_hint)?;
    let outcome = op
        .and_then(|op| execute(store, &operators, &actor, &op, now, common.dry_run))
        .map_err(with_cli_hint)?;
    let mut text = render_template(Template::AdminResult, &outcome);
    if let Some(status) = outcome.status.as_ref().filter(|s| !s.missing.is_empty()) {
        text.push_str("\n\n");
        text.push_str(&dropped_hint(&status.missing_ids));
    }
    cx.print(&text)
}

/// How the command line confirms that FLIS dropped areas.
fn dropped_hint(ids: &[String]) -> String {
    render_template(
        Template::ImportHint,
        &serde_json::json!({"kind": "dropped", "adapter": "cli", "ids": ids}),
    )
}

/// A refusal with what the command line can do about it: an older status document is imported
/// with --allow-older (the words are the command line's; the bot words its own).
fn with_cli_hint(e: AppError) -> AppError {
    match e {
        AppError::Document(d) if matches!(d.problem, Problem::Missing { .. }) => {
            let ids = match &d.problem {
                Problem::Missing { ids, .. } => ids.clone(),
                _ => Vec::new(),
            };
            AppError::invalid(format!("{} {}", d.user_message(), dropped_hint(&ids)))
        }
        AppError::Document(d) if matches!(d.problem, Problem::Older { .. }) => AppError::invalid(
            error_text("document_older_cli", &[("problem", d.user_message())]),
        ),
        e => e.worded_for(Adapter::Cli),
    }
}

/// The document's bytes from `file` or, for "-", stdin; at most one byte more than a document
/// may have, so it is refused as too large rather than read cut short.
fn read_document(cx: &mut Context<'_>, file: &std::path::Path) -> Result<Vec<u8>, AppError> {
    let limit = MAX_DOCUMENT_BYTES as u64 + 1;
    let mut bytes = Vec::new();
    let (read, from) = if file.as_os_str() == "-" {
        (
            (&mut *cx.stdin).take(limit).read_to_end(&mut bytes),
            sentence(Template::Phrases, "stdin", &[]),
        )
    } else {
        let path = cx.cwd.join(file);
        (
            std::fs::File::open(&path).and_then(|f| f.take(limit).read_to_end(&mut bytes)),
            path.display().to_string(),
        )
    };
    read.map_err(|e| {
        AppError::invalid(error_text(
            "document_unreadable",
            &[("from", from), ("cause", e.kind().to_string())],
        ))
    })?;
    Ok(bytes)
}

fn history(cx: &mut Context<'_>, area: &str, limit: usize) -> Result<(), AppError> {
    let text = operations::history_text(cx.store, area, limit)?;
    cx.print(&text)
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use crate::cli::control::{self, Request, MAX_STDIN_BYTES};
    use crate::clock::FixedClock;
    use crate::core::catalogue::default_catalogue;
    use crate::store::Store;
    use crate::test_support::{at, NOVEMBER};

    /// Two days after the November document.
    const NOW: &str = "2025-11-12T10:00:00+01:00";

    /// A running bot's part, in process: the control socket served on a store, as `flisbot run`
    /// serves it; the caller's stdin goes along with the request.
    #[test]
    fn a_document_on_stdin_reaches_a_running_bot_through_the_control_socket() {
        let dir = tempfile::tempdir().unwrap();
        let store = Arc::new(Store::open(dir.path()).unwrap());
        let bot = Arc::clone(&store);
        let _socket = control::serve(
            control::bind(dir.path()).unwrap(),
            Arc::new(move |req| crate::cli::run_captured(&bot, &FixedClock(at(NOW)), req)),
        );
        let call = |stdin: Vec<u8>, extra: &[&str]| {
            let mut args: Vec<String> = ["admin", "import-status", "-", "--by", "Mette"]
                .map(String::from)
                .to_vec();
            args.extend(extra.iter().map(|a| (*a).to_owned()));
            let request = Request {
                args,
                cwd: dir.path().to_owned(),
                stdin: Some(stdin),
            };
            control::call(dir.path(), &request).answered().unwrap()
        };
        let r = call(NOVEMBER.as_bytes().to_vec(), &["--dry-run"]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert!(r.stdout.starts_with("Prøvekørsel"), "{}", r.stdout);
        for (stdin, says) in [
            (
                b"FLIS\nPr. 10/11-25\n\xff\xfe".to_vec(),
                "Linje 3: her er filen ikke tekst",
            ),
            (
                vec![0xff; MAX_STDIN_BYTES],
                "dokumentet er over 1048576 byte",
            ),
            (Vec::new(), "Linje 1: dokumentet er tomt"),
        ] {
            let r = call(stdin, &[]);
            assert_eq!(r.code, 2);
            assert!(r.stderr.contains(says), "{says}: {}", r.stderr);
        }
        assert_eq!(&*store.catalogue(), default_catalogue());
        let r = call(NOVEMBER.as_bytes().to_vec(), &[]);
        assert!(r.stdout.starts_with("Gemt (statusoversigt pr. 10/11-25)"));
        assert_eq!(store.catalogue().as_of.to_string(), "2025-11-10");
    }
}
