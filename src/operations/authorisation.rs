//! Who may change the catalogue. Operators are configured user ids and role ids; the command
//! line is trusted (whoever runs it on the server already holds the store).

use std::collections::BTreeSet;

use super::arguments::ArgumentRefusal;
use crate::core::catalogue::Author;
use crate::error::AppError;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Operators {
    pub users: BTreeSet<u64>,
    pub roles: BTreeSet<u64>,
}

/// The author of a change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Actor {
    /// The command line on the server, named by `--by`.
    Cli { name: String },
    /// A chat user with their roles in the guild the command came from (none in a DM).
    Chat {
        user_id: u64,
        name: String,
        roles: Vec<u64>,
    },
}

impl Actor {
    /// The author history records: the name, and a chat user's id for the audit.
    pub fn author(&self) -> Author {
        match self {
            Actor::Cli { name } => Author::named(name),
            Actor::Chat { user_id, name, .. } => Author::chat(name, *user_id),
        }
    }
}

impl Operators {
    /// Refuses anyone who is neither an allow-listed user nor holds an operator role. The
    /// refusal is logged by `AppError::report`, never written to the catalogue.
    pub fn authorise(&self, actor: &Actor) -> Result<(), AppError> {
        match actor {
            Actor::Cli { name } if name.trim().is_empty() => {
                Err(AppError::Argument(ArgumentRefusal::AuthorMissing))
            }
            Actor::Cli { .. } => Ok(()),
            Actor::Chat { user_id, roles, .. }
                if self.users.contains(user_id) || roles.iter().any(|r| self.roles.contains(r)) =>
            {
                Ok(())
            }
            Actor::Chat { .. } => Err(AppError::Unauthorised(actor.author().public_name())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ops() -> Operators {
        Operators {
            users: [10].into(),
            roles: [77].into(),
        }
    }

    fn chat(user_id: u64, roles: &[u64]) -> Actor {
        Actor::Chat {
            user_id,
            name: "Mette".into(),
            roles: roles.to_vec(),
        }
    }

    #[test]
    fn allow_listed_users_and_role_holders_may_change() {
        assert!(ops().authorise(&chat(10, &[])).is_ok());
        assert!(ops().authorise(&chat(11, &[5, 77])).is_ok());
    }

    #[test]
    fn anyone_else_is_refused_even_with_other_roles() {
        for actor in [chat(11, &[]), chat(11, &[5, 6])] {
            assert!(matches!(
                ops().authorise(&actor),
                Err(AppError::Unauthorised(_))
            ));
        }
        assert!(
            Operators::default().authorise(&chat(10, &[77])).is_err(),
            "nobody by default"
        );
    }

    #[test]
    fn the_cli_is_trusted_but_needs_a_name() {
        assert!(ops().authorise(&Actor::Cli { name: "ops".into() }).is_ok());
        let err = ops()
            .authorise(&Actor::Cli { name: "  ".into() })
            .unwrap_err();
        // The command line's flag is named by the command line only.
        assert!(!err.user_message().contains("--by"));
        let cli = err
            .worded_for(crate::operations::arguments::Adapter::Cli)
            .user_message();
        assert_eq!(
            cli,
            "Angiv hvem der foretager ændringen med --by NAVN; hver ændring har en forfatter."
        );
    }
}
