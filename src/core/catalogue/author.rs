//! Who made a change: the name people know them by and, for a chat user, their user id. The id
//! is kept for the audit (the store, exports) and is never shown: every reply, history listing,
//! page and feed shows [`Author::public_name`] only.

use serde::{Deserialize, Serialize};

/// What a change's author is shown as when no name is known (an old entry that kept only an id).
pub const UNNAMED: &str = "operatør";

/// The longest name shown; a longer one is shortened.
const MAX_SHOWN_CHARS: usize = 60;

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(from = "Stored", into = "Typed")]
pub struct Author {
    name: String,
    chat_user_id: Option<u64>,
}

impl Author {
    /// An author known by name only (the command line's `--by`).
    pub fn named(name: &str) -> Author {
        Author {
            name: name.trim().to_owned(),
            chat_user_id: None,
        }
    }

    /// A chat user: the name shown, and the id kept for the audit.
    pub fn chat(name: &str, user_id: u64) -> Author {
        Author {
            name: name.trim().to_owned(),
            chat_user_id: Some(user_id),
        }
    }

    /// The name as given; may be empty (see [`Author::public_name`]).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The chat user id, for the audit only: never put it in anything a person reads.
    pub fn chat_user_id(&self) -> Option<u64> {
        self.chat_user_id
    }

    /// The author as anyone may see them: the name, shortened and without control characters,
    /// or [`UNNAMED`]. Never the chat user id.
    pub fn public_name(&self) -> String {
        let shown = crate::core::text::echo(&self.name, MAX_SHOWN_CHARS);
        if shown.is_empty() {
            UNNAMED.to_owned()
        } else {
            shown
        }
    }

    /// An author as flisbot stored it before authors were typed: `"Mette"` from the command
    /// line, `"Mette (123456789012345678)"` from chat (the name, then the user id in
    /// parentheses), or an id alone.
    fn from_legacy(text: &str) -> Author {
        let text = text.trim();
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if let Some((name, rest)) = text.rsplit_once(" (") {
            if let Some(id) = rest.strip_suffix(')').filter(|d| digits(d)) {
                if let Ok(id) = id.parse() {
                    return Author::chat(name, id);
                }
            }
        }
        if let Some(id) = text
            .strip_prefix('(')
            .and_then(|t| t.strip_suffix(')'))
            .or(Some(text))
            .filter(|t| digits(t) && t.len() >= 15)
            .and_then(|t| t.parse().ok())
        {
            return Author::chat("", id);
        }
        Author::named(text)
    }
}

/// How an author is written: a name and, for a chat user, the id.
#[derive(Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Typed {
    name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    chat_user_id: Option<u64>,
}

/// What the store may hold: the typed form, or a plain string written before it.
#[derive(Deserialize)]
#[serde(untagged)]
enum Stored {
    Typed(Typed),
    Legacy(String),
}

impl From<Stored> for Author {
    fn from(s: Stored) -> Author {
        match s {
            Stored::Typed(t) => Author {
                name: t.name,
                chat_user_id: t.chat_user_id,
            },
            Stored::Legacy(text) => Author::from_legacy(&text),
        }
    }
}

impl From<Author> for Typed {
    fn from(a: Author) -> Typed {
        Typed {
            name: a.name,
            chat_user_id: a.chat_user_id,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn legacy(s: &str) -> Author {
        serde_json::from_value(serde_json::Value::String(s.into())).unwrap()
    }

    #[test]
    fn old_plain_string_authors_still_read_and_keep_their_id_for_the_audit() {
        for (stored, name, id, shown) in [
            (
                "Pia (222222222222222222)",
                "Pia",
                Some(222222222222222222),
                "Pia",
            ),
            ("Mette Hansen", "Mette Hansen", None, "Mette Hansen"),
            ("  Ole  ", "Ole", None, "Ole"),
            (
                "Drift (KL) (987654321098765432)",
                "Drift (KL)",
                Some(987654321098765432),
                "Drift (KL)",
            ),
            ("Team 2 (42)", "Team 2", Some(42), "Team 2"),
            (
                "(123456789012345678)",
                "",
                Some(123456789012345678),
                UNNAMED,
            ),
            ("123456789012345678", "", Some(123456789012345678), UNNAMED),
            ("", "", None, UNNAMED),
        ] {
            let a = legacy(stored);
            assert_eq!(
                (a.name(), a.chat_user_id(), a.public_name().as_str()),
                (name, id, shown),
                "{stored}"
            );
        }
    }

    #[test]
    fn authors_are_written_typed_and_read_back() {
        let a = Author::chat("Pia", 222222222222222222);
        let json = serde_json::to_string(&a).unwrap();
        assert_eq!(json, r#"{"name":"Pia","chat_user_id":222222222222222222}"#);
        assert_eq!(serde_json::from_str::<Author>(&json).unwrap(), a);
        let cli = Author::named("Mette (123456789012345678)");
        let json = serde_json::to_string(&cli).unwrap();
        assert_eq!(json, r#"{"name":"Mette (123456789012345678)"}"#);
        assert_eq!(
            serde_json::from_str::<Author>(&json).unwrap(),
            cli,
            "a name typed on the command line is a name, whatever it holds"
        );
        assert_eq!(a.public_name(), "Pia");
    }
}
