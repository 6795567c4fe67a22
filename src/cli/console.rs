use std::io::{BufRead, IsTerminal, Write};

use crate::answer::answer_question;
use crate::clock::Clock;
use crate::error::AppError;
use crate::render::render;
use crate::store::Store;

const WORDS_TO_LEAVE: [&str; 4] = ["exit", "quit", "afslut", "farvel"];

/// Line in, reply out, until end of input or an exit word. The prompt and greeting are shown
/// only on a terminal, so a pipe gets replies alone.
pub fn run(store: &Store, clock: &dyn Clock) -> Result<(), AppError> {
    let catalogue = store.catalogue()?;
    let stdin = std::io::stdin();
    let interactive = stdin.is_terminal();
    let mut out = std::io::stdout().lock();
    if interactive {
        writeln!(
            out,
            "flisbot – skriv et spørgsmål, fx «status FSIII». «exit» afslutter."
        )?;
    }
    let mut line = Vec::new();
    let mut input = stdin.lock();
    loop {
        if interactive {
            let mut out = std::io::stdout().lock();
            write!(out, "flisbot> ")?;
            out.flush()?;
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
        print(&format!("{}\n", render(&reply)))?;
    }
    Ok(())
}

fn print(text: &str) -> Result<(), AppError> {
    let mut out = std::io::stdout().lock();
    match writeln!(out, "{text}").and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}
