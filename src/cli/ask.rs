use std::io::Write;

use chrono::{DateTime, Utc};

use super::Context;
use crate::clock::Clock;
use crate::core::answer::answer_question;
use crate::core::catalogue::Catalogue;
use crate::error::AppError;
use crate::views::render::render;

pub(crate) fn run(cx: &mut Context<'_>, clock: &dyn Clock, question: &str) -> Result<(), AppError> {
    let catalogue = cx.store.catalogue();
    print(cx.out, &catalogue, clock.now(), question, cx.style)
}

/// Writes the answer to `question` from `catalogue` at `now`.
pub(crate) fn print(
    out: &mut dyn Write,
    catalogue: &Catalogue,
    now: DateTime<Utc>,
    question: &str,
    style: super::terminal::Style,
) -> Result<(), AppError> {
    let reply = answer_question(question, catalogue, now);
    super::print_reply(out, &render(&reply), style)
}
