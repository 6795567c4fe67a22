//! Refusals that name the operator's arguments. Operations know what is missing, not what the
//! adapter calls it: each adapter words the refusal with its own flags or options
//! ([`ArgumentRefusal::words`], `responses/arguments.md`), so no adapter's names reach another's
//! users; left unworded, the sentence names none.

use serde::Serialize;

use crate::core::webhook::WebhookKind;
use crate::views::render::{render_template, Template};

/// What an operator left out or gave too much of, in terms of the change (not of an adapter).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ArgumentRefusal {
    /// A set that changes no field.
    NoChange,
    /// A rule change that changes no part of the rule.
    NoRule,
    /// A generic webhook without the variable that holds its signing secret.
    SecretMissing,
    /// A signing secret for a webhook kind that is not signed.
    SecretNotSigned { target_kind: WebhookKind },
    /// A state given for an area the status document does not list (as named, echoed).
    UnlistedState { area: String },
    /// An undo that names both an area and the import, or neither.
    UndoWhich { both: bool },
    /// A change from the command line that does not say who makes it.
    AuthorMissing,
}

/// Whose arguments a refusal names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Adapter {
    /// The command line's flags (`--through`).
    Cli,
    /// A slash command's options (`tom`).
    Discord,
}

impl ArgumentRefusal {
    /// The refusal in `adapter`'s words (`None`: naming no argument).
    pub fn words(&self, adapter: Option<Adapter>) -> String {
        #[derive(Serialize)]
        struct Context<'a> {
            #[serde(flatten)]
            refusal: &'a ArgumentRefusal,
            adapter: Option<Adapter>,
        }
        render_template(
            Template::Arguments,
            &Context {
                refusal: self,
                adapter,
            },
        )
        .trim()
        .to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all() -> Vec<ArgumentRefusal> {
        vec![
            ArgumentRefusal::NoChange,
            ArgumentRefusal::NoRule,
            ArgumentRefusal::SecretMissing,
            ArgumentRefusal::SecretNotSigned {
                target_kind: WebhookKind::Teams,
            },
            ArgumentRefusal::UnlistedState { area: "vh".into() },
            ArgumentRefusal::UndoWhich { both: true },
            ArgumentRefusal::UndoWhich { both: false },
            ArgumentRefusal::AuthorMissing,
        ]
    }

    /// The command line's flags never reach a Discord user, nor Discord's options (`name:`)
    /// the command line; the unworded sentence names neither.
    #[test]
    fn each_adapter_names_only_its_own_arguments() {
        let cli_flags = [
            "--through",
            "--state",
            "--note",
            "--cadence",
            "--lag",
            "--early-days",
            "--secret-env",
            "--import",
            "--by",
            "admin set",
        ];
        let discord_options = [
            "tom,",
            "tilstand eller",
            "hemmelighed:",
            "Udelad hemmelighed",
            "import:True",
            "/opdater",
        ];
        for refusal in all() {
            let cli = refusal.words(Some(Adapter::Cli));
            let discord = refusal.words(Some(Adapter::Discord));
            let neutral = refusal.words(None);
            for text in [&cli, &discord, &neutral] {
                assert!(
                    !text.is_empty() && text.ends_with('.'),
                    "{refusal:?}: {text}"
                );
            }
            for flag in cli_flags {
                assert!(!discord.contains(flag), "{refusal:?}: {discord}");
                assert!(!neutral.contains(flag), "{refusal:?}: {neutral}");
            }
            for option in discord_options {
                assert!(!cli.contains(option), "{refusal:?}: {cli}");
                assert!(!neutral.contains(option), "{refusal:?}: {neutral}");
            }
        }
        assert_eq!(
            ArgumentRefusal::NoChange.words(Some(Adapter::Cli)),
            "Angiv mindst én ændring: --through, --state eller --note."
        );
        assert_eq!(
            ArgumentRefusal::NoChange.words(Some(Adapter::Discord)),
            "Angiv mindst én ændring: tom, tilstand eller note."
        );
        assert_eq!(
            ArgumentRefusal::UndoWhich { both: false }.words(Some(Adapter::Discord)),
            "Angiv et område, eller import:True for at fortryde hele den seneste import. Intet er ændret."
        );
    }
}
