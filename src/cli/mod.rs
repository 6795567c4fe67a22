//! The command line: a thin adapter over the core and the store.

mod admin;
mod ask;
mod console;
mod parse;

pub use parse::parse_stream;

use std::path::PathBuf;
use std::process::ExitCode;

use chrono::{DateTime, Utc};
use clap::{Parser, Subcommand};

use crate::clock::{Clock, FixedClock, SystemClock};
use crate::error::AppError;
use crate::store::Store;

#[derive(Debug, Parser)]
#[command(
    name = "flisbot",
    version,
    about = "Tells where FLIS data stands, in Danish: status, data t.o.m. and the next release.",
    long_about = None
)]
pub struct Cli {
    /// Folder of the sled store (created and seeded on first use).
    /// Default: the per-user data folder, e.g. ~/.local/share/flisbot.
    #[arg(long, global = true, env = "FLISBOT_STORE", value_name = "DIR")]
    pub store: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Answer one question, as the bot would: flisbot ask "hvornår kommer DREAM-data?"
    Ask {
        /// Fix "now" (RFC 3339, e.g. 2025-09-10T09:00:00+02:00) instead of the clock.
        #[arg(long, value_parser = parse_now)]
        now: Option<DateTime<Utc>>,
        /// The question; several words are joined with spaces.
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        question: Vec<String>,
    },
    /// Read questions one per line on stdin; write one JSON line each (intent, areas, …).
    Parse,
    /// The expected releases of the coming months, per area, from the release rules.
    Calendar {
        #[arg(long, value_parser = parse_now)]
        now: Option<DateTime<Utc>>,
        /// How many monthly releases to list.
        #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..=24))]
        months: u32,
    },
    /// Operator changes: set, release, rule, as-of, undo, history, export, import.
    Admin {
        #[command(subcommand)]
        command: admin::AdminCommand,
    },
    /// Interactive prompt: a question per line, the reply below it. "exit" or Ctrl-D ends.
    Console {
        #[arg(long, value_parser = parse_now)]
        now: Option<DateTime<Utc>>,
    },
}

fn parse_now(s: &str) -> Result<DateTime<Utc>, String> {
    DateTime::parse_from_rfc3339(s.trim())
        .map(|d| d.with_timezone(&Utc))
        .map_err(|_| {
            format!("«{s}» er ikke et tidspunkt på formen 2025-09-10T09:00:00+02:00 (RFC 3339)")
        })
}

fn clock(now: Option<DateTime<Utc>>) -> Box<dyn Clock> {
    match now {
        Some(t) => Box::new(FixedClock(t)),
        None => Box::new(SystemClock),
    }
}

/// The store folder: `--store`, `FLISBOT_STORE`, or the per-user data folder.
pub fn store_dir(flag: Option<PathBuf>) -> PathBuf {
    flag.unwrap_or_else(|| {
        dirs::data_dir()
            .unwrap_or_else(|| PathBuf::from("."))
            .join("flisbot")
    })
}

fn open_store(flag: Option<PathBuf>) -> Result<Store, AppError> {
    Ok(Store::open(&store_dir(flag))?)
}

/// Writes `text` and a newline to stdout; a reader that went away (`| head`) is not an error.
fn print(text: &str) -> Result<(), AppError> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match writeln!(out, "{text}").and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}

pub fn run() -> ExitCode {
    init_logging();
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Ask { now, question } => open_store(cli.store)
            .and_then(|s| ask::run(&s, clock(now).as_ref(), &question.join(" "))),
        Command::Parse => parse::run().map_err(AppError::from),
        Command::Admin { command } => {
            open_store(cli.store).and_then(|s| admin::run(&s, &SystemClock, command))
        }
        Command::Calendar { now, months } => open_store(cli.store).and_then(|s| {
            let today = crate::danish_time::danish_today(clock(now).now());
            let plan = crate::release_plan::release_plan(&s.catalogue()?, today, months);
            print(&crate::render::render_template("calendar.md", &plan))
        }),
        Command::Console { now } => {
            open_store(cli.store).and_then(|s| console::run(&s, clock(now).as_ref()))
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{}", e.report());
            ExitCode::from(e.exit_code())
        }
    }
}

fn init_logging() {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(false)
        .try_init();
}
