use super::Context;
use crate::answer::answer_question;
use crate::clock::Clock;
use crate::error::AppError;
use crate::render::render;

pub fn run(cx: &mut Context<'_>, clock: &dyn Clock, question: &str) -> Result<(), AppError> {
    let catalogue = cx.store.catalogue();
    let reply = answer_question(question, &catalogue, clock.now());
    cx.print(&render(&reply))
}
