//! The slash commands in Danish: every command's description, every option's and the labels of
//! fixed choices come from `responses/discord_commands.toml`, set on the commands once, where
//! `all()` builds the list. A test holds every command and option to having a text there,
//! within Discord's limits, and every entry to a command, option or choice that exists.
//!
//! Names stay in the code: they are what users type, and poise's macro reads an option by the
//! name its attribute gives it. A choice's label is only shown: Discord sends back its index,
//! which poise's `ChoiceParameter::from_index` turns into the variant, so a label is replaced in
//! place and the order of the variants is kept.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;

const COMMANDS_TOML: &str = include_str!("../../../responses/discord_commands.toml");

/// The slash commands' Danish texts, by command path ("webhook tilfoej").
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Texts {
    commands: BTreeMap<String, CommandTexts>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CommandTexts {
    description: String,
    /// Option name → its description.
    #[serde(default)]
    options: BTreeMap<String, String>,
    /// Option name → (the choice's variant → its label).
    #[serde(default)]
    choices: BTreeMap<String, BTreeMap<String, String>>,
}

fn texts() -> &'static Texts {
    static TEXTS: OnceLock<Texts> = OnceLock::new();
    // The file is embedded: a broken one is a build defect the unit tests catch.
    TEXTS.get_or_init(|| {
        toml::from_str(COMMANDS_TOML)
            .unwrap_or_else(|e| panic!("responses/discord_commands.toml is broken: {e}"))
    })
}

/// Sets the Danish texts on `commands` and their subcommands.
pub(super) fn apply<U, E>(commands: &mut [poise::Command<U, E>]) {
    apply_at(commands, "", texts());
}

fn apply_at<U, E>(commands: &mut [poise::Command<U, E>], parent: &str, t: &Texts) {
    for command in commands {
        let path = path_of(parent, &command.name);
        if let Some(ct) = t.commands.get(&path) {
            command.description = Some(ct.description.clone());
            for p in &mut command.parameters {
                if let Some(d) = ct.options.get(&p.name) {
                    p.description = Some(d.clone());
                }
                if let Some(labels) = ct.choices.get(&p.name) {
                    for c in &mut p.choices {
                        if let Some(label) = labels.get(&c.name) {
                            c.name = label.clone();
                        }
                    }
                }
            }
        }
        apply_at(&mut command.subcommands, &path, t);
    }
}

fn path_of(parent: &str, name: &str) -> String {
    if parent.is_empty() {
        name.to_owned()
    } else {
        format!("{parent} {name}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::discord::commands::updates::Tilstand;
    use crate::discord::commands::webhook::Modtager;
    use poise::ChoiceParameter;

    type Command = poise::Command<std::sync::Arc<crate::discord::BotData>, crate::discord::Error>;

    /// Every command as (path, command), subcommands after their parent.
    fn every_command<'a>(
        commands: &'a [Command],
        parent: &str,
        out: &mut Vec<(String, &'a Command)>,
    ) {
        for c in commands {
            let path = path_of(parent, &c.name);
            out.push((path.clone(), c));
            every_command(&c.subcommands, &path, out);
        }
    }

    fn within_discords_limit(what: &str, text: Option<&str>) {
        let n = text.map_or(0, |t| t.trim().chars().count());
        assert!(
            (1..=100).contains(&n) && text.is_some_and(|t| t.chars().count() <= 100),
            "{what}: Discord takes 1–100 characters, not {text:?}"
        );
    }

    #[test]
    fn every_command_option_and_choice_has_its_danish_text_from_the_file_within_discords_limits() {
        let t = texts();
        // The commands as the code declares them, and as they are registered.
        let (declared, applied) = (super::super::declared(), super::super::all());
        let mut before = Vec::new();
        every_command(&declared, "", &mut before);
        let mut after = Vec::new();
        every_command(&applied, "", &mut after);
        assert_eq!(before.len(), after.len());
        for ((path, old), (_, c)) in before.iter().zip(&after) {
            let ct = t
                .commands
                .get(path)
                .unwrap_or_else(|| panic!("/{path}: no entry in responses/discord_commands.toml"));
            assert_eq!(
                c.description.as_deref(),
                Some(ct.description.as_str()),
                "/{path}"
            );
            within_discords_limit(&format!("/{path}"), c.description.as_deref());
            for (p, old_p) in c.parameters.iter().zip(&old.parameters) {
                let what = format!("/{path} {}", p.name);
                assert_eq!(
                    p.description.as_ref(),
                    Some(
                        ct.options
                            .get(&p.name)
                            .unwrap_or_else(|| panic!("{what}: no text"))
                    ),
                    "{what}"
                );
                within_discords_limit(&what, p.description.as_deref());
                assert_eq!(p.choices.len(), old_p.choices.len(), "{what}");
                if p.choices.is_empty() {
                    continue;
                }
                let labels = ct
                    .choices
                    .get(&p.name)
                    .unwrap_or_else(|| panic!("{what}: no labels for its choices"));
                // Each label replaces its own variant's, in place: the index Discord sends back
                // still names the same variant.
                for (c, old_c) in p.choices.iter().zip(&old_p.choices) {
                    assert_eq!(
                        Some(&c.name),
                        labels.get(&old_c.name),
                        "{what}: choice {}",
                        old_c.name
                    );
                    within_discords_limit(&format!("{what}: choice {}", old_c.name), Some(&c.name));
                }
            }
        }
        // Nothing in the file names a command, option or choice that does not exist.
        for (path, ct) in &t.commands {
            let Some((_, old)) = before.iter().find(|(p, _)| p == path) else {
                panic!("/{path}: no such command");
            };
            let param = |name: &str| old.parameters.iter().find(|p| p.name == name);
            for name in ct.options.keys() {
                assert!(param(name).is_some(), "/{path}: no option {name}");
            }
            for (name, labels) in &ct.choices {
                let p = param(name).unwrap_or_else(|| panic!("/{path}: no option {name}"));
                for variant in labels.keys() {
                    assert!(
                        p.choices.iter().any(|c| &c.name == variant),
                        "/{path} {name}: no choice {variant}"
                    );
                }
            }
        }
    }

    /// Discord sends a choice's index; poise makes it the variant at that index.
    fn chosen<T: ChoiceParameter>(path: &str, option: &str) -> Vec<(String, T)> {
        let commands = super::super::all();
        let mut all = Vec::new();
        every_command(&commands, "", &mut all);
        let (_, command) = all.iter().find(|(p, _)| p == path).unwrap();
        let p = command
            .parameters
            .iter()
            .find(|p| p.name == option)
            .unwrap();
        p.choices
            .iter()
            .enumerate()
            .map(|(i, c)| (c.name.clone(), T::from_index(i).unwrap()))
            .collect()
    }

    #[test]
    fn a_chosen_label_reaches_its_own_variant() {
        let states: Vec<(String, crate::core::catalogue::State)> =
            chosen::<Tilstand>("opdater", "tilstand")
                .into_iter()
                .map(|(label, t)| (label, t.into()))
                .collect();
        use crate::core::catalogue::State;
        assert_eq!(
            states,
            [
                ("kører efter planen".to_owned(), State::Ok),
                ("driftsforstyrrelse".to_owned(), State::Disturbed),
                ("nede".to_owned(), State::Down),
            ]
        );
        let kinds: Vec<(String, crate::core::webhook::WebhookKind)> =
            chosen::<Modtager>("webhook tilfoej", "type")
                .into_iter()
                .map(|(label, m)| (label, m.into()))
                .collect();
        use crate::core::webhook::WebhookKind;
        assert_eq!(
            kinds,
            [
                ("Microsoft Teams (workflow)".to_owned(), WebhookKind::Teams),
                ("Slack (incoming webhook)".to_owned(), WebhookKind::Slack),
                ("generic (signeret JSON)".to_owned(), WebhookKind::Generic),
            ]
        );
    }
}
