//! `flisbot console`: a question per line, the reply below it, on the store or through the
//! running bot that holds it. A line that is not UTF-8 is read lossily and answered like any
//! other, so one stray byte never ends the session.

use crate::views::render::{sentence, Template};
use std::io::{BufRead, IsTerminal, Write};
use std::path::Path;

use chrono::{DateTime, Utc};

use super::terminal::{for_terminal, Style};
use super::Context;
use crate::cli::control::{self, Called};
use crate::clock::{Clock, FixedClock, SystemClock};
use crate::core::answer::answer_question;
use crate::error::AppError;
use crate::store::{Store, STORE_LOCK_WAIT};
use crate::views::render::render;

const WORDS_TO_LEAVE: [&str; 4] = ["exit", "quit", "afslut", "farvel"];

/// Line in, reply out, until end of input or an exit word. The prompt and greeting are shown
/// only on a terminal, so a pipe gets replies alone.
fn session(
    out: &mut dyn Write,
    style: Style,
    mut answer: impl FnMut(&str) -> Result<String, AppError>,
) -> Result<(), AppError> {
    let stdin = std::io::stdin();
    let interactive = stdin.is_terminal();
    let print = |out: &mut dyn Write, text: &str| match writeln!(out, "{text}")
        .and_then(|()| out.flush())
    {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    };
    if interactive {
        print(out, &sentence(Template::Phrases, "console_banner", &[]))?;
    }
    let mut line = Vec::new();
    let mut input = stdin.lock();
    loop {
        if interactive {
            write!(out, "flisbot> ")?;
            out.flush()?;
        }
        line.clear();
        if input.read_until(b'\n', &mut line)? == 0 {
            return Ok(());
        }
        let text = String::from_utf8_lossy(&line);
        let question = text.trim();
        if WORDS_TO_LEAVE.contains(&question.to_lowercase().as_str()) {
            return Ok(());
        }
        if question.is_empty() && interactive {
            continue;
        }
        print(out, &for_terminal(&answer(question)?, style))?;
    }
}

/// The console on a store this process holds.
pub(crate) fn run(cx: &mut Context<'_>, clock: &dyn Clock) -> Result<(), AppError> {
    let store = cx.store;
    session(cx.out, cx.style, |question| {
        Ok(reply_text(question, store, clock))
    })
}

/// The console beside a running bot: each line goes to the bot as `flisbot ask`. Should the
/// bot stop, the console opens the store itself (once the bot has let go of it) and goes on.
pub(crate) fn run_through_bot(dir: &Path, now: Option<DateTime<Utc>>) -> Result<(), AppError> {
    let clock: Box<dyn Clock> = match now {
        Some(t) => Box::new(FixedClock(t)),
        None => Box::new(SystemClock),
    };
    let mut local: Option<Store> = None;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    session(&mut out, Style::of_stdout(), |question| {
        if local.is_none() {
            if let Some(answer) = ask_bot(dir, now, question) {
                return Ok(answer);
            }
            tracing::warn!("the bot stopped answering; the console opens the store");
            local = Some(Store::open_waiting(dir, STORE_LOCK_WAIT)?);
        }
        Ok(local
            .as_ref()
            .map(|store| reply_text(question, store, clock.as_ref()))
            .unwrap_or_default())
    })
}

fn reply_text(question: &str, store: &Store, clock: &dyn Clock) -> String {
    let reply = answer_question(question, &store.catalogue(), clock.now());
    format!("{}\n", render(&reply))
}

/// The bot's answer to `question`, or `None` if it did not answer (an `ask` changes nothing,
/// so it can be asked again elsewhere).
fn ask_bot(dir: &Path, now: Option<DateTime<Utc>>, question: &str) -> Option<String> {
    let mut args = vec!["ask".to_owned()];
    if let Some(t) = now {
        args.extend(["--now".to_owned(), t.to_rfc3339()]);
    }
    args.extend(["--".to_owned(), question.to_owned()]);
    let request = control::Request {
        args,
        cwd: std::env::current_dir().unwrap_or_default(),
        stdin: None,
    };
    match control::call(dir, &request) {
        Called::Answered(r) => Some(r.stdout),
        Called::NoBot => None,
        Called::Lost(e) => {
            tracing::warn!(error = %e, "the bot did not answer a question");
            None
        }
    }
}
