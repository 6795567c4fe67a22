//! FLIS' status document's problems in Danish: the core's `Problem` and `StatusError` shown
//! with `responses/document_problem.md` (the variant's name is its `kind` there) and
//! `responses/document_error.md`.

use super::render::Template;
use std::fmt;

use serde::Serialize;

use super::render::render_template;
use crate::core::import_status::{Problem, StatusError};

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(render_template(Template::DocumentProblem, self).trim())
    }
}

impl std::error::Error for Problem {}

#[derive(Serialize)]
struct ErrorView {
    line: usize,
    problem: String,
    /// The whole sentence an operator sees, not the line and problem alone.
    refused: bool,
}

fn words(e: &StatusError, refused: bool) -> String {
    let view = ErrorView {
        line: e.line,
        problem: e.problem.to_string(),
        refused,
    };
    render_template(Template::DocumentError, &view)
        .trim()
        .to_owned()
}

impl fmt::Display for StatusError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&words(self, false))
    }
}

impl std::error::Error for StatusError {}

impl StatusError {
    /// The whole Danish sentence an operator sees.
    pub fn user_message(&self) -> String {
        words(self, true)
    }
}
