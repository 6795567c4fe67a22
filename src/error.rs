//! The one place where errors become words: a Danish sentence for the person asking or
//! operating, and a log line with the cause chain for operators.

use crate::views::render::{sentence, Template};
use std::error::Error as _;

use crate::core::import_status::StatusError;
use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Bad input: the message is the Danish sentence the user sees; nothing was changed.
    #[error("{0}")]
    Invalid(String),
    /// A status document refused whole: the line and what was expected there; nothing was
    /// changed. Typed, so each adapter can add what its user may do about it.
    #[error(transparent)]
    Document(#[from] StatusError),
    /// A refusal that names the operator's arguments; nothing was changed. Typed, so each
    /// adapter words it with its own flags or options (`ArgumentRefusal::words`).
    #[error("{}", .0.words(None))]
    Argument(crate::operations::arguments::ArgumentRefusal),
    /// The caller is not allowed to change the catalogue.
    #[error("{}", error_text("unauthorised_who", &[("who", .0.clone())]))]
    Unauthorised(String),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("i/o: {0}")]
    Io(#[from] std::io::Error),
    /// Discord refused or ended the connection; the text says what to do, in Danish.
    #[error("{0}")]
    Discord(String),
    /// Logging in to Discord failed: the token, the proxy or the network.
    #[error(transparent)]
    Login(#[from] crate::discord::LoginFailure),
    /// The running bot took a command that may change the catalogue and stopped (or did not
    /// answer) before it said how it went. `area`: the one area the command changes, if any.
    #[error("the bot did not answer the command")]
    OutcomeUnknown { area: Option<String> },
}

/// A sentence of `responses/errors.md`: `kind` picks it, `values` fill it in.
pub fn error_text(kind: &str, values: &[(&str, String)]) -> String {
    sentence(Template::Errors, kind, values)
}

impl AppError {
    pub fn invalid(msg: impl Into<String>) -> Self {
        AppError::Invalid(msg.into())
    }

    /// The error as `adapter`'s user reads it: a refusal that names arguments in its words.
    pub fn worded_for(self, adapter: crate::operations::arguments::Adapter) -> Self {
        match self {
            AppError::Argument(r) => AppError::Invalid(r.words(Some(adapter))),
            e => e,
        }
    }

    /// What the user is told, in Danish. Internal details stay in the log.
    pub fn user_message(&self) -> String {
        match self {
            AppError::Invalid(msg) => msg.clone(),
            AppError::Argument(r) => r.words(None),
            AppError::Document(e) => e.user_message(),
            AppError::Unauthorised(_) => error_text("unauthorised", &[]),
            AppError::Store(StoreError::InUse { dir }) => {
                error_text("store_in_use", &[("dir", dir.display().to_string())])
            }
            AppError::Store(StoreError::Folder { dir, .. }) => {
                error_text("store_folder", &[("dir", dir.display().to_string())])
            }
            AppError::Store(StoreError::Schema { .. }) => error_text("store_schema", &[]),
            AppError::Discord(msg) => msg.clone(),
            AppError::Login(failure) => failure.user_message(),
            AppError::OutcomeUnknown { area } => error_text(
                "outcome_unknown",
                &area
                    .iter()
                    .map(|a| ("area", crate::core::text::echo(a, 40)))
                    .collect::<Vec<_>>(),
            ),
            AppError::Store(_) | AppError::Io(_) => error_text("store_failed", &[]),
        }
    }

    /// Process exit status for the CLI: 2 for bad input or refusal, 1 for everything else.
    pub fn exit_code(&self) -> u8 {
        match self {
            AppError::Invalid(_)
            | AppError::Argument(_)
            | AppError::Document(_)
            | AppError::Unauthorised(_) => 2,
            AppError::Store(StoreError::InUse { .. }) => 3,
            AppError::Discord(_) => 4,
            AppError::Login(failure) => failure.exit_code(),
            _ => 1,
        }
    }

    /// Logs the error for operators (with its causes) and returns the user's sentence.
    pub fn report(&self) -> String {
        let mut chain = self.to_string();
        let mut source = self.source();
        while let Some(s) = source {
            chain.push_str(": ");
            chain.push_str(&s.to_string());
            source = s.source();
        }
        match self {
            AppError::Invalid(_) | AppError::Argument(_) | AppError::Document(_) => {
                tracing::info!(error = %chain, "refused bad input")
            }
            AppError::Unauthorised(who) => {
                tracing::warn!(user = %who, "refused an unauthorised change")
            }
            _ => tracing::error!(error = %chain, "request failed"),
        }
        self.user_message()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    #[test]
    fn store_in_use_is_explained_in_danish_with_the_folder() {
        let e = AppError::Store(StoreError::InUse {
            dir: PathBuf::from("/data/flisbot"),
        });
        let msg = e.user_message();
        assert!(
            msg.contains("/data/flisbot") && msg.contains("bruges allerede"),
            "{msg}"
        );
        assert_eq!(e.exit_code(), 3);
    }

    #[test]
    fn a_command_the_bot_dropped_says_its_outcome_is_unknown_and_where_to_look() {
        let e = AppError::OutcomeUnknown {
            area: Some("krl".into()),
        };
        let msg = e.user_message();
        assert!(
            msg.contains("vides ikke") && msg.contains("«flisbot admin history krl»"),
            "{msg}"
        );
        assert!(!msg.contains("bruges allerede"), "{msg}");
        assert_eq!(e.exit_code(), 1);
        let msg = AppError::OutcomeUnknown { area: None }.user_message();
        assert!(msg.contains("flisbot admin history OMRÅDE"), "{msg}");
    }

    #[test]
    fn internal_errors_do_not_leak_details_to_users() {
        let e = AppError::Io(std::io::Error::other("secret path /root/x"));
        assert!(!e.user_message().contains("/root/x"));
        assert_eq!(e.exit_code(), 1);
    }
}
