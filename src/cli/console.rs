use std::io::{BufRead, IsTerminal};

use super::Context;
use crate::answer::answer_question;
use crate::clock::Clock;
use crate::error::AppError;
use crate::render::render;

const WORDS_TO_LEAVE: [&str; 4] = ["exit", "quit", "afslut", "farvel"];

/// Line in, reply out, until end of input or an exit word. The prompt and greeting are shown
/// only on a terminal, so a pipe gets replies alone.
pub fn run(cx: &mut Context<'_>, clock: &dyn Clock) -> Result<(), AppError> {
    let catalogue = cx.store.catalogue()?;
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
