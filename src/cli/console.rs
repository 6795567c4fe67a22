use std::io::{BufRead, IsTerminal};

use std::path::Path;

use chrono::{DateTime, Utc};

use super::Context;
use crate::clock::Clock;
use crate::core::answer::answer_question;
use crate::core::render::render;
use crate::error::AppError;
use crate::store::StoreError;

/// The console beside a running bot: each line goes to the bot as `flisbot ask`.
pub fn run_through_bot(dir: &Path, now: Option<DateTime<Utc>>) -> Result<(), AppError> {
    let stdin = std::io::stdin();
    let mut line = String::new();
    let mut input = stdin.lock();
    loop {
        line.clear();
        if input.read_line(&mut line)? == 0 {
            return Ok(());
        }
        let question = line.trim();
        if WORDS_TO_LEAVE.contains(&question.to_lowercase().as_str()) {
            return Ok(());
        }
        let mut args = vec!["ask".to_owned()];
        if let Some(t) = now {
            args.extend(["--now".to_owned(), t.to_rfc3339()]);
        }
        args.extend(["--".to_owned(), question.to_owned()]);
        let request = crate::cli::control::Request {
            args,
            cwd: std::env::current_dir().unwrap_or_default(),
            stdin: None,
        };
        let response = crate::cli::control::call(dir, &request).map_err(|_| {
            AppError::Store(StoreError::InUse {
                dir: dir.to_path_buf(),
            })
        })?;
        println!("{}", response.stdout);
    }
}

const WORDS_TO_LEAVE: [&str; 4] = ["exit", "quit", "afslut", "farvel"];

/// Line in, reply out, until end of input or an exit word. The prompt and greeting are shown
/// only on a terminal, so a pipe gets replies alone.
pub fn run(cx: &mut Context<'_>, clock: &dyn Clock) -> Result<(), AppError> {
    let catalogue = cx.store.catalogue();
    let stdin = std::io::stdin();
    let interactive = stdin.is_terminal();
    if interactive {
        cx.print("flisbot – skriv et spørgsmål, fx «status FSIII». «exit» afslutter.")?;
    }
    let mut line = Vec::new();
    let mut input = stdin.lock();
    loop {
        if interactive {
            write!(cx.out, "flisbot> ")?;
            cx.out.flush()?;
        }
        line.clear();
        if input.read_until(b'\n', &mut line)? == 0 {
            break;
        }
        let text = String::from_utf8_lossy(&line);
        let question = text.trim();
        if WORDS_TO_LEAVE.contains(&question.to_lowercase().as_str()) {
            break;
        }
        if question.is_empty() && interactive {
            continue;
        }
        let reply = answer_question(question, &catalogue, clock.now());
        cx.print(&format!("{}\n", render(&reply)))?;
    }
    Ok(())
}
