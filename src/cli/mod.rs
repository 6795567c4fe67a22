//! The command line: a thin adapter over the core and the store.

mod admin;
mod announce;
mod ask;
mod bot;
mod console;
pub mod control;
pub mod danish;
mod holder;
mod parse;
mod serve;
pub mod terminal;
mod webhook;

pub use parse::parse_stream;

use crate::views::render::Template;
use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use chrono::{DateTime, Utc};
use clap::{Parser, Subcommand};

use crate::clock::{Clock, FixedClock, SystemClock};
use crate::error::AppError;
use crate::store::{Store, StoreError, STORE_LOCK_WAIT};

#[derive(Debug, Parser)]
#[command(
    name = "flisbot",
    version,
    about = "Tells where FLIS data stands, in Danish: status, data t.o.m. and the next release.",
    long_about = None
)]
pub(crate) struct Cli {
    /// Folder of the sled store (created and seeded on first use).
    /// Default: the per-user data folder, e.g. ~/.local/share/flisbot.
    #[arg(long, global = true, env = "FLISBOT_STORE", value_name = "DIR")]
    pub(crate) store: Option<PathBuf>,

    /// Log lines on stderr as text (colours only on a terminal) or as one JSON object a line,
    /// for log shippers.
    #[arg(long, global = true, env = "FLISBOT_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    pub(crate) log_format: LogFormat,

    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
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
    Parse {
        /// With each JSON line, how every word was read and what the answer says first.
        #[arg(long)]
        explain: bool,
    },
    /// The expected releases of the coming months, per area, from the release rules.
    Calendar {
        #[arg(long, value_parser = parse_now)]
        now: Option<DateTime<Utc>>,
        /// How many monthly releases to list.
        #[arg(long, default_value_t = 3, value_parser = danish::parse_months)]
        months: u32,
    },
    /// Operator changes: set, release, rule, as-of, undo, history, export, import.
    Admin {
        #[command(subcommand)]
        command: admin::AdminCommand,
    },
    /// Release announcements: preview the one due (or next), or list the coming ones.
    #[command(group(clap::ArgGroup::new("what").required(true).args(["preview", "schedule"])))]
    Announce {
        /// Show the announcement due on that day, or the next one after it.
        #[arg(long)]
        preview: bool,
        /// List the coming monthly releases with their early releases and dates.
        #[arg(long)]
        schedule: bool,
        /// How many monthly releases --schedule lists.
        #[arg(long, default_value_t = 3, value_parser = danish::parse_months)]
        months: u32,
        #[arg(long, value_parser = parse_now)]
        now: Option<DateTime<Utc>>,
        /// The bot's configuration, for the time of day (default 09:00).
        #[arg(long, env = "FLISBOT_CONFIG", value_name = "FILE")]
        config: Option<PathBuf>,
    },
    /// Run the Discord bot: token from DISCORD_TOKEN, settings from --config.
    Run {
        /// The configuration file (see flisbot.example.toml).
        #[arg(long, env = "FLISBOT_CONFIG", value_name = "FILE")]
        config: Option<PathBuf>,
    },
    /// Serve the read-only status page, JSON feed and release calendar over HTTP, without
    /// Discord (`flisbot run` serves the same when [web] listen is set).
    Serve {
        /// Address to listen on. Default: [web] listen from --config, else 127.0.0.1:8080.
        #[arg(long, value_name = "ADDR")]
        listen: Option<String>,
        /// The configuration file, for [web] listen.
        #[arg(long, env = "FLISBOT_CONFIG", value_name = "FILE")]
        config: Option<PathBuf>,
        /// Fix "now" (RFC 3339) instead of the clock: previews and tests.
        #[arg(long, value_parser = parse_now)]
        now: Option<DateTime<Utc>>,
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
        .map_err(|_| crate::error::error_text("instant_invalid", &[("value", s.to_owned())]))
}

/// `--now` if given, else the context's clock.
fn clock<'a>(now: Option<DateTime<Utc>>, default: &'a dyn Clock) -> Box<dyn Clock + 'a> {
    match now {
        Some(t) => Box::new(FixedClock(t)),
        None => Box::new(ClockRef(default)),
    }
}

struct ClockRef<'a>(&'a dyn Clock);

impl Clock for ClockRef<'_> {
    fn now(&self) -> DateTime<Utc> {
        self.0.now()
    }
}

/// The store folder: `--store`, `FLISBOT_STORE`, or the per-user data folder.
pub(crate) fn store_dir(flag: Option<PathBuf>) -> PathBuf {
    flag.unwrap_or_else(|| {
        data_dir()
            .unwrap_or_else(|| PathBuf::from("."))
            .join("flisbot")
    })
}

/// The per-user data folder, from the environment as the platform defines it: on Linux and
/// other Unix `$XDG_DATA_HOME` (when absolute) or `$HOME/.local/share`, on macOS
/// `$HOME/Library/Application Support`, on Windows `%APPDATA%`.
fn data_dir() -> Option<PathBuf> {
    let var = |name| {
        std::env::var_os(name)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    if cfg!(windows) {
        var("APPDATA")
    } else if cfg!(target_os = "macos") {
        var("HOME").map(|h| h.join("Library/Application Support"))
    } else {
        var("XDG_DATA_HOME")
            .filter(|d| d.is_absolute())
            .or_else(|| var("HOME").map(|h| h.join(".local/share")))
    }
}

impl Command {
    /// Commands a running bot can run for us whole; the console sends it one question at a time.
    fn may_run_in_bot(&self) -> bool {
        !matches!(
            self,
            Command::Console { .. }
                | Command::Parse { .. }
                | Command::Run { .. }
                | Command::Serve { .. }
        )
    }

    /// Whether what the command prints is a reply in Markdown (laid out for the terminal), not
    /// a file's text (an export) or JSON.
    fn prints_markdown(&self) -> bool {
        match self {
            Command::Admin { command } => command.prints_markdown(),
            Command::Parse { .. } => false,
            _ => true,
        }
    }

    /// Whether the command reads its input from stdin, which a running bot cannot see: the
    /// caller then sends it along.
    fn reads_stdin(&self) -> bool {
        matches!(self, Command::Admin { command } if command.reads_stdin())
    }

    /// Whether the command only reads, so it may be run again when a bot stopped before it
    /// answered.
    fn changes_nothing(&self) -> bool {
        match self {
            Command::Admin { command } => !command.may_change(),
            _ => true,
        }
    }

    /// The one area the command changes, if it names one: where its history shows whether it
    /// was carried out.
    fn area_changed(&self) -> Option<String> {
        match self {
            Command::Admin { command } => command.area_changed(),
            _ => None,
        }
    }
}

/// Runs this process's command line inside the bot that holds the store, with `stdin` (this
/// process's, read by the caller) if the command reads it. The control socket speaks JSON, so
/// arguments and the working folder must be text.
fn forward_to_bot(
    dir: &std::path::Path,
    stdin: Option<Vec<u8>>,
) -> Result<control::Called, AppError> {
    let not_text = || AppError::invalid(crate::error::error_text("control_not_text", &[]));
    let args = std::env::args_os()
        .skip(1)
        .map(|a| a.into_string().map_err(|_| not_text()))
        .collect::<Result<Vec<String>, _>>()?;
    let cwd = std::env::current_dir().unwrap_or_default();
    if cwd.to_str().is_none() {
        return Err(not_text());
    }
    let request = control::Request { args, cwd, stdin };
    Ok(control::call(dir, &request))
}

/// Runs a command that needs the store: on the store if this process can open it, else inside
/// the running bot that holds it. If nobody answers on the bot's socket the holder is stopping,
/// and the store is waited for (`STORE_LOCK_WAIT`). If the bot stops in the middle of the
/// command, a command that changes nothing is tried again; one that may have changed the
/// catalogue is reported as such, with how to check it. `Ok(Some(code))` is the bot's exit code.
fn on_store(dir: &std::path::Path, command: Command) -> Result<Option<ExitCode>, AppError> {
    if let Command::Console { now } = command {
        return match Store::open(dir) {
            Err(StoreError::InUse { dir }) => console::run_through_bot(&dir, now).map(|()| None),
            opened => run_here(&opened?, Command::Console { now }, None).map(|()| None),
        };
    }
    // Read once, for the bot or for this process, whichever runs the command.
    let mut stdin = None;
    let mut tried_again = false;
    loop {
        match Store::open(dir) {
            Ok(store) => return run_here(&store, command, stdin).map(|()| None),
            Err(StoreError::InUse { .. }) if command.may_run_in_bot() => {}
            Err(e) => return Err(e.into()),
        }
        if command.reads_stdin() && stdin.is_none() {
            stdin = Some(read_stdin()?);
        }
        match forward_to_bot(dir, stdin.clone())? {
            control::Called::Answered(response) => {
                // The bot answers in Markdown; laid out here, where the reader is known.
                let style = if command.prints_markdown() {
                    terminal::Style::of_stdout()
                } else {
                    terminal::Style::Markdown
                };
                let _ = write!(
                    std::io::stdout(),
                    "{}",
                    terminal::for_terminal(&response.stdout, style)
                );
                eprint!("{}", response.stderr);
                return Ok(Some(ExitCode::from(response.code)));
            }
            control::Called::NoBot => {
                let store = Store::open_waiting(dir, STORE_LOCK_WAIT)?;
                return run_here(&store, command, stdin).map(|()| None);
            }
            control::Called::Lost(e) => {
                tracing::warn!(error = %e, "the bot did not answer the command");
                if command.changes_nothing() && !tried_again {
                    tried_again = true;
                    continue;
                }
                return Err(AppError::OutcomeUnknown {
                    area: command.area_changed(),
                });
            }
        }
    }
}

/// Runs `command` on `store` in this process, reading `stdin` if it was read already (for a bot
/// that stopped), else this process's own.
fn run_here(store: &Store, command: Command, stdin: Option<Vec<u8>>) -> Result<(), AppError> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    // Unlocked: a command that reads stdin line by line (the console) locks it itself, and a
    // lock held here would deadlock it.
    let mut own = std::io::stdin();
    let mut read = stdin.map(std::io::Cursor::new);
    let stdin: &mut dyn Read = match &mut read {
        Some(bytes) => bytes,
        None => &mut own,
    };
    let mut cx = Context {
        store,
        clock: &SystemClock,
        out: &mut out,
        stdin,
        cwd: std::env::current_dir().unwrap_or_default(),
        style: terminal::Style::of_stdout(),
    };
    dispatch(command, &mut cx)
}

/// Runs `args` (a command line without the program name) against `store`, capturing what it
/// prints: the control socket's handler inside the running bot.
pub fn run_captured(
    store: &Store,
    clock: &dyn Clock,
    request: crate::cli::control::Request,
) -> crate::cli::control::Response {
    let mut argv = vec!["flisbot".to_owned()];
    argv.extend(request.args);
    let cli = match danish::parse(argv) {
        Ok(cli) => cli,
        Err(r) => {
            let text = format!("{}\n", r.text.trim_end());
            let (stdout, stderr) = if r.to_stdout {
                (text, String::new())
            } else {
                (String::new(), text)
            };
            return crate::cli::control::Response {
                stdout,
                stderr,
                code: r.code,
            };
        }
    };
    if !cli.command.may_run_in_bot() {
        return crate::cli::control::Response {
            stdout: String::new(),
            stderr: crate::error::error_text("control_not_in_bot", &[]) + "\n",
            code: 2,
        };
    }
    let mut out = Vec::new();
    let mut stdin = std::io::Cursor::new(request.stdin.unwrap_or_default());
    let mut cx = Context {
        store,
        clock,
        out: &mut out,
        stdin: &mut stdin,
        cwd: request.cwd,
        // The caller lays the Markdown out for its own reader.
        style: terminal::Style::Markdown,
    };
    let (stderr, code) = match dispatch(cli.command, &mut cx) {
        Ok(()) => (String::new(), 0),
        Err(e) => (format!("{}\n", e.report()), e.exit_code()),
    };
    crate::cli::control::Response {
        stdout: String::from_utf8_lossy(&out).into_owned(),
        stderr,
        code,
    }
}

/// What a command that works on the store gets: the store, "now", where to write and read (the
/// caller's stdin, also when it runs inside the bot), and the folder relative paths are read
/// from (the caller's).
pub(crate) struct Context<'a> {
    pub(crate) store: &'a Store,
    pub(crate) clock: &'a dyn Clock,
    pub(crate) out: &'a mut dyn Write,
    pub(crate) stdin: &'a mut dyn Read,
    pub(crate) cwd: PathBuf,
    /// How replies' Markdown is shown where `out` goes.
    pub(crate) style: terminal::Style,
}

impl Context<'_> {
    /// Writes `text` (a reply in Markdown) laid out for the reader, and a newline.
    fn print(&mut self, text: &str) -> Result<(), AppError> {
        print_reply(self.out, text, self.style)
    }

    /// Writes `text` as it is (a file's bytes: an export) and a newline.
    fn print_raw(&mut self, text: &str) -> Result<(), AppError> {
        print_line(self.out, text)
    }
}

/// Writes `text`, a reply in Markdown, laid out for the reader `style` describes.
fn print_reply(out: &mut dyn Write, text: &str, style: terminal::Style) -> Result<(), AppError> {
    print_line(out, &terminal::for_terminal(text, style))
}

/// Writes `text` and a newline; a reader that went away (`| head`) is not an error.
fn print_line(out: &mut dyn Write, text: &str) -> Result<(), AppError> {
    match writeln!(out, "{text}").and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}

/// The calendar of the coming `months` from `catalogue` at `now`.
fn print_calendar(
    out: &mut dyn Write,
    catalogue: &crate::core::catalogue::Catalogue,
    now: DateTime<Utc>,
    months: u32,
    style: terminal::Style,
) -> Result<(), AppError> {
    let today = crate::core::danish_time::danish_today(now);
    let facts = crate::core::facts::catalogue_facts(catalogue, today);
    let plan = crate::views::release_plan::release_plan(catalogue, &facts, months);
    print_reply(
        out,
        &crate::views::render::render_template(Template::Calendar, &plan),
        style,
    )
}

/// `ask` and `calendar` read only the committed catalogue: from the copy a closed store keeps
/// beside it (`store::read_closed`) when it is current, without starting sled. `None` when the
/// command needs the store opened as usual (another command, no current copy, a running bot).
fn run_without_opening(dir: &std::path::Path, command: &Command) -> Option<Result<(), AppError>> {
    if !matches!(command, Command::Ask { .. } | Command::Calendar { .. }) {
        return None;
    }
    let catalogue = crate::store::read_closed(dir).ok().flatten()?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let style = terminal::Style::of_stdout();
    let now = |fixed: &Option<DateTime<Utc>>| fixed.unwrap_or_else(|| SystemClock.now());
    match command {
        Command::Ask {
            now: fixed,
            question,
        } => Some(ask::print(
            &mut out,
            &catalogue,
            now(fixed),
            &question.join(" "),
            style,
        )),
        Command::Calendar { now: fixed, months } => Some(print_calendar(
            &mut out,
            &catalogue,
            now(fixed),
            *months,
            style,
        )),
        _ => None,
    }
}

/// Runs a command that needs the store. The same function serves the command line and the
/// running bot's control socket, so both behave alike.
pub(crate) fn dispatch(command: Command, cx: &mut Context<'_>) -> Result<(), AppError> {
    match command {
        Command::Ask { now, question } => {
            let clock = clock(now, cx.clock);
            ask::run(cx, clock.as_ref(), &question.join(" "))
        }
        Command::Admin { command } => admin::run(cx, command),
        Command::Calendar { now, months } => {
            let now = clock(now, cx.clock).now();
            print_calendar(cx.out, &cx.store.catalogue(), now, months, cx.style)
        }
        Command::Announce {
            preview,
            schedule: _,
            months,
            now,
            config,
        } => {
            let now = clock(now, cx.clock).now();
            announce::run(cx, preview, months, now, config)
        }
        Command::Console { now } => {
            let clock = clock(now, cx.clock);
            console::run(cx, clock.as_ref())
        }
        Command::Parse { explain } => parse::run(explain).map_err(AppError::from),
        Command::Run { .. } | Command::Serve { .. } => Err(AppError::invalid(
            crate::error::error_text("bot_running", &[]),
        )),
    }
}

pub fn run() -> ExitCode {
    let cli = match danish::parse(std::env::args_os()) {
        Ok(cli) => cli,
        Err(r) => {
            let text = r.text.trim_end();
            // A reader that went away (`--help | head`) is no error.
            let _ = if r.to_stdout {
                writeln!(std::io::stdout(), "{text}")
            } else {
                writeln!(std::io::stderr(), "{text}")
            };
            return ExitCode::from(r.code);
        }
    };
    // A running bot tells its operator what it does; a command line stays quiet but for trouble.
    let level = if matches!(cli.command, Command::Run { .. } | Command::Serve { .. }) {
        "info"
    } else {
        "warn"
    };
    init_logging(level, cli.log_format);
    let dir = store_dir(cli.store.clone());
    if let Some(result) = run_without_opening(&dir, &cli.command) {
        return finish(result);
    }
    let result = match cli.command {
        Command::Parse { explain } => parse::run(explain).map_err(AppError::from),
        Command::Run { config } => bot::run(&dir, config.as_deref()),
        Command::Serve {
            listen,
            config,
            now,
        } => serve::run(&dir, listen.as_deref(), config.as_deref(), now),
        command => match on_store(&dir, command) {
            Ok(Some(code)) => return code,
            Ok(None) => Ok(()),
            Err(e) => Err(e),
        },
    };
    finish(result)
}

/// The exit status of a command's result, its error reported on stderr.
fn finish(result: Result<(), AppError>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{}", e.report());
            ExitCode::from(e.exit_code())
        }
    }
}

/// This process's stdin for a command the running bot runs, up to `MAX_STDIN_BYTES`.
fn read_stdin() -> Result<Vec<u8>, AppError> {
    let mut bytes = Vec::new();
    std::io::stdin()
        .take(control::MAX_STDIN_BYTES as u64)
        .read_to_end(&mut bytes)
        .map_err(|e| {
            AppError::invalid(crate::error::error_text(
                "stdin_unreadable",
                &[("cause", e.kind().to_string())],
            ))
        })?;
    Ok(bytes)
}

/// Logs go to stderr: coloured only where a person reads them (a terminal), never into journald
/// or a file; as JSON lines when asked.
fn init_logging(default: &str, format: LogFormat) {
    use std::io::IsTerminal;
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(false);
    let _ = match format {
        LogFormat::Json => builder.json().with_ansi(false).try_init(),
        LogFormat::Text => builder
            .with_ansi(std::io::stderr().is_terminal())
            .try_init(),
    };
}
