use crate::answer::answer_question;
use crate::clock::Clock;
use crate::error::AppError;
use crate::render::render;
use crate::store::Store;

pub fn run(store: &Store, clock: &dyn Clock, question: &str) -> Result<(), AppError> {
    let catalogue = store.catalogue()?;
    let reply = answer_question(question, &catalogue, clock.now());
    super::print(&render(&reply))
}
