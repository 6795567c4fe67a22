use super::Context;
use crate::clock::Clock;
use crate::core::answer::answer_question;
use crate::core::render::render;
use crate::error::AppError;

pub fn run(cx: &mut Context<'_>, clock: &dyn Clock, question: &str) -> Result<(), AppError> {
    let catalogue = cx.store.catalogue();
    let reply = answer_question(question, &catalogue, clock.now());
    cx.print(&render(&reply))
}
