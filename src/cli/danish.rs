//! The command line in Danish. clap has no translations, so its help and errors are made
//! Danish here: every command's and argument's description comes from `responses/cli.toml`
//! (a test holds every argument to having one), the help's headings are ours, the few English
//! words clap writes into help lines are replaced by that file's Danish, and an error is
//! rendered from its kind and context (`responses/cli_error.md`: "ukendt kommando «aks» –
//! mente du «ask»?"), never from clap's English text.

use crate::views::render::Template;
use std::collections::BTreeMap;
use std::sync::OnceLock;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{ArgMatches, Command, CommandFactory, FromArgMatches};
use serde::Deserialize;

use super::Cli;
use crate::views::render::render_template;

const CLI_TOML: &str = include_str!("../../responses/cli.toml");

/// The Danish texts of the command line (`responses/cli.toml`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Texts {
    headings: Headings,
    /// clap's own English in help lines → Danish.
    replace: BTreeMap<String, String>,
    /// clap's placeholders for values ("FILE") → Danish ("FIL").
    value_names: BTreeMap<String, String>,
    /// Per command path ("flisbot admin set"): its description and its arguments'.
    commands: BTreeMap<String, CommandTexts>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Headings {
    usage: String,
    arguments: String,
    options: String,
    commands: String,
    command_value: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CommandTexts {
    about: String,
    #[serde(default)]
    args: BTreeMap<String, String>,
}

fn texts() -> &'static Texts {
    static TEXTS: OnceLock<Texts> = OnceLock::new();
    // The file is embedded: a broken one is a build defect the unit tests catch.
    TEXTS.get_or_init(|| {
        toml::from_str(CLI_TOML).unwrap_or_else(|e| panic!("responses/cli.toml is broken: {e}"))
    })
}

/// Applies the Danish texts to `cmd` (at `path`) and its subcommands.
fn danish(mut cmd: Command, path: &str, t: &'static Texts) -> Command {
    if let Some(ct) = t.commands.get(path) {
        cmd = cmd.about(ct.about.clone()).long_about(None);
        for (id, help) in &ct.args {
            let id = id.clone();
            if cmd.get_arguments().any(|a| a.get_id() == id.as_str()) {
                let help = help.clone();
                cmd = cmd.mut_arg(id, |a| a.help(help).long_help(None));
            }
        }
    }
    let placeholders: Vec<(String, &'static str)> = cmd
        .get_arguments()
        .filter(|a| a.get_action().takes_values())
        .filter_map(|a| {
            let shown = a
                .get_value_names()
                .and_then(|n| n.first().map(|s| s.to_string()))
                .unwrap_or_else(|| a.get_id().as_str().to_uppercase());
            t.value_names
                .get(&shown)
                .map(|da| (a.get_id().to_string(), da.as_str()))
        })
        .collect();
    for (id, da) in placeholders {
        cmd = cmd.mut_arg(id, |a| a.value_name(da));
    }
    let h = &t.headings;
    let mut template = format!("{{about-with-newline}}\n{} {{usage}}\n", h.usage);
    if cmd.get_positionals().next().is_some() {
        template.push_str(&format!("\n{}\n{{positionals}}\n", h.arguments));
    }
    template.push_str(&format!("\n{}\n{{options}}\n", h.options));
    if cmd.has_subcommands() {
        template.push_str(&format!("\n{}\n{{subcommands}}\n", h.commands));
    }
    cmd = cmd
        .help_template(template)
        .subcommand_value_name(h.command_value.as_str());
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_owned())
        .collect();
    for name in names {
        let sub_path = format!("{path} {name}");
        cmd = cmd.mut_subcommand(&name, |s| danish(s, &sub_path, t));
    }
    cmd
}

/// The command line's definition with its Danish texts.
pub(crate) fn command() -> Command {
    danish(Cli::command(), "flisbot", texts())
}

/// clap's English in `text` (help, usage) replaced by Danish.
fn translate(text: &str) -> String {
    static ORDERED: OnceLock<Vec<(&'static str, &'static str)>> = OnceLock::new();
    // Longest first: "Print help (see more …)" before "Print help".
    let ordered = ORDERED.get_or_init(|| {
        let mut v: Vec<(&str, &str)> = texts()
            .replace
            .iter()
            .map(|(en, da)| (en.as_str(), da.as_str()))
            .collect();
        v.sort_by_key(|(en, _)| std::cmp::Reverse(en.len()));
        v
    });
    ordered
        .iter()
        .fold(text.to_owned(), |acc, (en, da)| acc.replace(en, da))
}

/// What the command line said instead of a command: help or the version (stdout, exit 0) or a
/// Danish error (stderr, exit 2).
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Refused {
    pub(crate) text: String,
    pub(crate) to_stdout: bool,
    pub(crate) code: u8,
}

/// Reads `args` (with the program name first) into a command, or says in Danish why not.
pub(crate) fn parse<I, T>(args: I) -> Result<Cli, Refused>
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let args: Vec<std::ffi::OsString> = args.into_iter().map(Into::into).collect();
    let words: Vec<String> = args
        .iter()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let matches: ArgMatches = command()
        .try_get_matches_from(args)
        .map_err(|e| refused(&e, &words))?;
    Cli::from_arg_matches(&matches).map_err(|e| refused(&e, &words))
}

/// The command `words` (program name first) reach before `stop`: where an unknown word was.
fn reached(words: &[String], stop: &str) -> Command {
    let mut cmd = command();
    for w in words.iter().skip(1) {
        if w == stop {
            break;
        }
        match cmd.find_subcommand(w) {
            Some(sub) => cmd = sub.clone(),
            None if w.starts_with('-') => {}
            None => break,
        }
    }
    cmd
}

/// Names within one typo of `typed` (a letter left out, added, changed or two swapped; two
/// from 6 letters): clap's own suggestions miss "aks" for "ask".
fn near<'a>(typed: &str, names: impl Iterator<Item = &'a str>) -> Vec<String> {
    let most = if typed.chars().count() >= 6 { 2 } else { 1 };
    let mut hits: Vec<(usize, String)> = names
        .map(|n| (strsim::osa_distance(typed, n), n.to_owned()))
        .filter(|(d, _)| *d <= most)
        .collect();
    hits.sort();
    hits.into_iter().map(|(_, n)| n).collect()
}

/// A suggestion clap did not make, in its own context key.
fn own_suggestion(e: &clap::Error, words: &[String]) -> Option<(&'static str, serde_json::Value)> {
    let has = |k| {
        e.get(k)
            .is_some_and(|v| !matches!(v, ContextValue::Strings(s) if s.is_empty()))
    };
    match e.kind() {
        ErrorKind::InvalidSubcommand if !has(ContextKind::SuggestedSubcommand) => {
            let Some(ContextValue::String(typed)) = e.get(ContextKind::InvalidSubcommand) else {
                return None;
            };
            let cmd = reached(words, typed);
            let hits = near(typed, cmd.get_subcommands().map(Command::get_name));
            (!hits.is_empty()).then(|| ("suggested_subcommand", hits.into()))
        }
        ErrorKind::UnknownArgument if !has(ContextKind::SuggestedArg) => {
            let Some(ContextValue::String(typed)) = e.get(ContextKind::InvalidArg) else {
                return None;
            };
            let bare = typed.trim_start_matches('-');
            let cmd = reached(words, typed);
            let hits = near(bare, cmd.get_arguments().filter_map(|a| a.get_long()));
            hits.first()
                .map(|h| ("suggested_arg", format!("--{h}").into()))
        }
        _ => None,
    }
}

fn refused(e: &clap::Error, words: &[String]) -> Refused {
    match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => Refused {
            text: translate(&e.render().to_string()),
            to_stdout: true,
            code: 0,
        },
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => Refused {
            text: translate(&e.render().to_string()),
            to_stdout: false,
            code: 2,
        },
        _ => Refused {
            text: error_text(e, own_suggestion(e, words)),
            to_stdout: false,
            code: 2,
        },
    }
}

fn kind_name(kind: ErrorKind) -> &'static str {
    match kind {
        ErrorKind::InvalidValue => "invalid_value",
        ErrorKind::UnknownArgument => "unknown_argument",
        ErrorKind::InvalidSubcommand => "invalid_subcommand",
        ErrorKind::NoEquals => "no_equals",
        ErrorKind::ValueValidation => "value_validation",
        ErrorKind::TooManyValues => "too_many_values",
        ErrorKind::TooFewValues => "too_few_values",
        ErrorKind::WrongNumberOfValues => "wrong_number_of_values",
        ErrorKind::ArgumentConflict => "argument_conflict",
        ErrorKind::MissingRequiredArgument => "missing_required_argument",
        ErrorKind::MissingSubcommand => "missing_subcommand",
        ErrorKind::InvalidUtf8 => "invalid_utf8",
        _ => "other",
    }
}

fn context_name(kind: ContextKind) -> Option<&'static str> {
    Some(match kind {
        ContextKind::InvalidSubcommand => "invalid_subcommand",
        ContextKind::InvalidArg => "invalid_arg",
        ContextKind::PriorArg => "prior_arg",
        ContextKind::ValidSubcommand => "valid_subcommand",
        ContextKind::ValidValue => "valid_value",
        ContextKind::InvalidValue => "invalid_value",
        ContextKind::ActualNumValues => "actual_num_values",
        ContextKind::ExpectedNumValues => "expected_num_values",
        ContextKind::MinValues => "min_values",
        ContextKind::SuggestedCommand => "suggested_command",
        ContextKind::SuggestedSubcommand => "suggested_subcommand",
        ContextKind::SuggestedArg => "suggested_arg",
        ContextKind::SuggestedValue => "suggested_value",
        ContextKind::TrailingArg => "trailing_arg",
        ContextKind::Usage => "usage",
        _ => return None,
    })
}

fn context_value(v: &ContextValue) -> serde_json::Value {
    use serde_json::Value;
    match v {
        ContextValue::None => Value::Null,
        ContextValue::Bool(b) => Value::Bool(*b),
        ContextValue::String(s) => Value::from(translate(s)),
        ContextValue::Strings(v) => Value::from(v.iter().map(|s| translate(s)).collect::<Vec<_>>()),
        ContextValue::StyledStr(s) => Value::from(translate(&s.to_string())),
        ContextValue::StyledStrs(v) => Value::from(
            v.iter()
                .map(|s| translate(&s.to_string()))
                .collect::<Vec<_>>(),
        ),
        ContextValue::Number(n) => Value::from(*n),
        _ => Value::Null,
    }
}

/// clap's error in Danish, from its kind and context (and a suggestion of ours, where clap
/// made none).
fn error_text(e: &clap::Error, extra: Option<(&'static str, serde_json::Value)>) -> String {
    let mut context = serde_json::Map::new();
    context.insert("kind".into(), kind_name(e.kind()).into());
    for (k, v) in e.context() {
        if let Some(name) = context_name(k) {
            let mut value = context_value(v);
            if matches!(name, "invalid_arg" | "prior_arg") {
                // "--months <ANTAL>" → "--months": the option as it is typed.
                if let Some(s) = value.as_str().filter(|s| s.starts_with('-')) {
                    value = s.split([' ', '=']).next().unwrap_or(s).into();
                }
            }
            if name == "usage" {
                // "Usage: flisbot ask …" without clap's heading: the template has its own.
                if let Some(s) = value.as_str() {
                    value = s
                        .trim()
                        .split_once(' ')
                        .map_or(s, |(_, rest)| rest)
                        .trim()
                        .into();
                }
            }
            context.insert(name.into(), value);
        }
    }
    if let Some((k, v)) = extra {
        context.insert(k.into(), v);
    }
    if e.kind() == ErrorKind::ValueValidation {
        if let Some(source) = std::error::Error::source(e) {
            context.insert("reason".into(), source.to_string().into());
        }
    }
    render_template(Template::CliError, &serde_json::Value::Object(context))
}

/// `--months`: 1–24, said in Danish.
pub(crate) fn parse_months(s: &str) -> Result<u32, String> {
    bounded(s, 1, 24)
}

/// `--limit`: a count of history entries, 1–1000.
pub(crate) fn parse_limit(s: &str) -> Result<usize, String> {
    bounded(s, 1, 1000).map(|n| n as usize)
}

fn bounded(s: &str, min: u32, max: u32) -> Result<u32, String> {
    match s.trim().parse::<u32>() {
        Ok(n) if (min..=max).contains(&n) => Ok(n),
        _ => Err(render_template(
            Template::CliError,
            &serde_json::json!({ "kind": "number", "value": s, "min": min, "max": max }),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every command path and argument id of the command line, the built-in help and version
    /// flags aside.
    fn every_argument(cmd: &Command, path: &str, out: &mut Vec<(String, Option<String>)>) {
        out.push((path.to_owned(), None));
        for a in cmd.get_arguments() {
            out.push((path.to_owned(), Some(a.get_id().to_string())));
        }
        for s in cmd.get_subcommands() {
            every_argument(s, &format!("{path} {}", s.get_name()), out);
        }
    }

    #[test]
    fn every_command_and_argument_has_a_danish_description_and_no_text_is_left_over() {
        let t = texts();
        let mut all = Vec::new();
        every_argument(&Cli::command(), "flisbot", &mut all);
        let mut missing = Vec::new();
        for (path, arg) in &all {
            let Some(ct) = t.commands.get(path) else {
                missing.push(path.clone());
                continue;
            };
            if let Some(arg) = arg {
                if !ct.args.contains_key(arg) {
                    missing.push(format!("{path}: {arg}"));
                }
            }
        }
        assert!(
            missing.is_empty(),
            "no Danish text for:\n{}",
            missing.join("\n")
        );
        // Every value's placeholder is Danish.
        fn placeholders(cmd: &Command, t: &Texts, out: &mut Vec<String>) {
            for a in cmd
                .get_arguments()
                .filter(|a| a.get_action().takes_values())
            {
                let shown = a
                    .get_value_names()
                    .and_then(|n| n.first().map(|s| s.to_string()))
                    .unwrap_or_else(|| a.get_id().as_str().to_uppercase());
                if !t.value_names.contains_key(&shown) {
                    out.push(format!("{}: {shown}", cmd.get_name()));
                }
            }
            for s in cmd.get_subcommands() {
                placeholders(s, t, out);
            }
        }
        let mut english = Vec::new();
        placeholders(&Cli::command(), t, &mut english);
        assert!(english.is_empty(), "no Danish placeholder for {english:?}");
        for (path, ct) in &t.commands {
            assert!(
                all.iter().any(|(p, a)| p == path && a.is_none()),
                "{path}: no such command"
            );
            for arg in ct.args.keys() {
                assert!(
                    all.iter()
                        .any(|(p, a)| p == path && a.as_deref() == Some(arg)),
                    "{path}: no argument {arg}"
                );
            }
        }
        // The definition with the texts applied is one clap accepts.
        command().debug_assert();
    }

    fn refusal(args: &[&str]) -> Refused {
        let mut argv = vec!["flisbot"];
        argv.extend(args);
        parse(argv).unwrap_err()
    }

    #[test]
    fn clap_errors_are_danish_sentences_with_a_suggestion() {
        for (args, words) in [
            (&["aks"][..], "ukendt kommando «aks» – mente du «ask»?"),
            (
                &["admin", "relase"][..],
                "ukendt kommando «relase» – mente du «release»?",
            ),
            (
                &["calendar", "--mnoths", "2"][..],
                "ukendt valg «--mnoths» – mente du «--months»?",
            ),
            (
                &["calendar", "--month", "2"][..],
                "ukendt valg «--month» – mente du «--months»?",
            ),
            (
                &["calendar", "--months", "99"][..],
                "«99» er ikke et tal fra 1 til 24",
            ),
            (&["calendar", "--months"][..], "«--months» mangler en værdi"),
            (
                &["ask", "--now", "i går"][..],
                "«i går» er ikke et tidspunkt",
            ),
            (
                &["--log-format", "xml", "ask", "x"][..],
                "«xml» er ikke en mulig værdi for «--log-format»",
            ),
            (&["announce"][..], "mangler"),
            (&["admin", "undo"][..], "mangler"),
            (&[][..], "Brug:"),
        ] {
            let r = refusal(args);
            assert_eq!(r.code, 2, "{args:?}");
            assert!(r.text.contains(words), "{args:?}: {}", r.text);
            for english in [
                "error:",
                "Usage:",
                "For more information",
                "tip:",
                "[OPTIONS]",
                "<COMMAND>",
            ] {
                assert!(
                    !r.text.contains(english),
                    "{args:?}: {english} in {}",
                    r.text
                );
            }
        }
    }

    #[test]
    fn help_is_danish_with_every_argument_described() {
        for args in [
            &["--help"][..],
            &["ask", "--help"][..],
            &["admin", "--help"][..],
            &["admin", "import-status", "--help"][..],
            &["calendar", "-h"][..],
            &["help", "serve"][..],
        ] {
            let r = refusal(args);
            assert!(r.to_stdout && r.code == 0, "{args:?}");
            assert!(r.text.contains("Brug: flisbot"), "{args:?}: {}", r.text);
            assert!(r.text.contains("Valg:"), "{args:?}: {}", r.text);
            for english in [
                "Usage:",
                "Options:",
                "Commands:",
                "Arguments:",
                "Print help",
                "[OPTIONS]",
                "[default:",
                "[env:",
                "[possible values:",
            ] {
                assert!(
                    !r.text.contains(english),
                    "{args:?}: {english} in\n{}",
                    r.text
                );
            }
        }
        assert_eq!(refusal(&["--version"]).code, 0);
    }
}
