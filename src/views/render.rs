//! Lays a reply out as Danish text from the templates in `responses/`, within Discord's
//! 2000-character limit.

use crate::core::text::shorten;
use std::sync::OnceLock;

use minijinja::Environment;

use crate::core::catalogue::{Group, State};
use crate::core::reply::{Reply, ReplyKind};

/// Discord's limit on a message's content, in characters.
pub const MAX_REPLY_CHARS: usize = 2000;

/// A closed set of templates named by a type (a name that is not a template does not compile),
/// each variant with its file in `$dir`, and the list of (file, source) embedded so the binary
/// runs from any directory.
macro_rules! templates {
    ($(#[$doc:meta])* $name:ident, $list:ident, $dir:literal, { $($variant:ident => $file:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum $name {
            $($variant),+
        }

        impl $name {
            /// Its file.
            pub fn file(self) -> &'static str {
                match self {
                    $($name::$variant => $file),+
                }
            }
        }

        /// (file, source) of every template, embedded.
        pub const $list: &[(&str, &str)] = &[$(($file, include_str!(concat!($dir, $file)))),+];
    };
}
pub(super) use templates;

templates! {
    /// A template of `responses/`. Partials (`_…`) are included by the others.
    Template, TEMPLATES, "../../responses/", {
    StatusBody => "_status_body.md",
    NextBody => "_next_body.md",
    Footer => "_footer.md",
    Changed => "_changed.md",
    Stale => "_stale.md",
    Lead => "_lead.md",
    AreaLead => "_area_lead.md",
    Asked => "_asked.md",
    Verdict => "_verdict.md",
    Words => "_words.md",
    Bagud => "_bagud.md",
    Today => "_today.md",
    DapToday => "_dap_today.md",
    Tally => "_tally.md",
    ReleaseToday => "_release_today.md",
    Line => "_line.md",
    General => "_general.md",
    EmbedTitle => "embed_title.md",
    EmbedFooter => "embed_footer.md",
    Status => "status.md",
    NextRelease => "next_release.md",
    Overview => "overview.md",
    Problems => "problems.md",
    Help => "help.md",
    Greeting => "greeting.md",
    Thanks => "thanks.md",
    Wish => "wish.md",
    Unknown => "unknown.md",
    UnknownArea => "unknown_area.md",
    Calendar => "calendar.md",
    AdminResult => "admin_result.md",
    Refusal => "refusal.md",
    ImportHint => "import_hint.md",
    Arguments => "arguments.md",
    DocumentProblem => "document_problem.md",
    DocumentError => "document_error.md",
    ImportStatus => "_import_status.md",
    AdminHistory => "admin_history.md",
    AnnounceMonthly => "announce_monthly.md",
    AnnounceEarly => "announce_early.md",
    AnnounceSchedule => "announce_schedule.md",
    Notice => "notice.md",
    NoticeLine => "notice_line.md",
    Board => "board.md",
    Subscriptions => "subscriptions.md",
    Webhook => "webhook.md",
    Errors => "errors.md",
    Discord => "discord.md",
    CliError => "cli_error.md",
    Phrases => "phrases.md",
    HistoryWords => "history_words.md",
}
}

/// Said when a template fails, which only a bad commit can cause: read as it stands, not
/// rendered.
const FALLBACK: &str = include_str!("../../responses/fallback.txt").trim_ascii_end();

/// A template environment over embedded templates, as every template here is written: blocks
/// trimmed. A template that does not compile is logged; rendering it then gives the fallback.
pub(crate) fn environment_of(
    templates: &'static [(&'static str, &'static str)],
) -> Environment<'static> {
    let mut env = Environment::new();
    // SVG is XML: escaped like HTML (the badge); everything else as minijinja names it.
    env.set_auto_escape_callback(|name| {
        if name.ends_with(".svg") {
            minijinja::AutoEscape::Html
        } else {
            minijinja::default_auto_escape_callback(name)
        }
    });
    env.set_trim_blocks(true);
    env.set_lstrip_blocks(true);
    // The reply value's state and group are typed (serialised as their ids): worded here.
    env.add_filter("state_word", |id: &str| {
        state_of(id).map(super::danish::state_word)
    });
    env.add_filter("icon", |id: &str| {
        state_of(id).map(super::danish::state_icon)
    });
    env.add_filter("group_name", |id: &str| {
        Group::from_id(id)
            .map(super::danish::group_name)
            .ok_or_else(|| not_a("group", id))
    });
    for (name, source) in templates {
        if let Err(e) = env.add_template(name, source) {
            tracing::error!(template = name, error = %e, "template does not compile");
        }
    }
    env
}

/// The state of its id ("ok", "disturbed", "down"), for the filters.
fn state_of(id: &str) -> Result<State, minijinja::Error> {
    id.parse().map_err(|()| not_a("state", id))
}

fn not_a(what: &str, id: &str) -> minijinja::Error {
    minijinja::Error::new(
        minijinja::ErrorKind::InvalidOperation,
        format!("not a {what}: {id}"),
    )
}

fn environment() -> &'static Environment<'static> {
    static ENV: OnceLock<Environment<'static>> = OnceLock::new();
    ENV.get_or_init(|| environment_of(TEMPLATES))
}

/// Renders any template of `responses/` with `context`, without a length limit (operator
/// output on the command line).
pub fn render_template(template: Template, context: &impl serde::Serialize) -> String {
    let name = template.file();
    let out = environment()
        .get_template(name)
        .and_then(|t| t.render(context));
    match out {
        Ok(text) => tidy(&text),
        Err(e) => {
            tracing::error!(template = name, error = %e, "rendering failed");
            FALLBACK.to_owned()
        }
    }
}

/// One sentence of a template that holds several, each under `{% if kind == "…" %}`
/// (`errors.md`, `discord.md`, `phrases.md`, `history_words.md`): `kind` picks it, `values`
/// fill it in.
pub fn sentence(template: Template, kind: &str, values: &[(&str, String)]) -> String {
    let mut context: std::collections::BTreeMap<&str, &str> =
        values.iter().map(|(k, v)| (*k, v.as_str())).collect();
    context.insert("kind", kind);
    render_template(template, &context).trim().to_owned()
}

/// Trims trailing spaces and collapses runs of blank lines that template branches leave.
fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank = 0;
    for line in text.lines().map(str::trim_end) {
        if line.is_empty() {
            blank += 1;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank > 0 { "\n\n" } else { "\n" });
        }
        blank = 0;
        out.push_str(line);
    }
    out
}

fn chars(s: &str) -> usize {
    s.chars().count()
}

/// Any text within `MAX_REPLY_CHARS`, cut on a word with an ellipsis if it must be.
pub fn shorten_to_limit(text: &str) -> String {
    shorten(text, MAX_REPLY_CHARS)
}

/// Long operator output (a status import's diff) as at most `max_messages` messages, each within
/// `MAX_REPLY_CHARS`, split between lines; a line longer than a message is shortened. If the
/// text needs more messages, the last says how many lines were left out.
pub fn split_to_limit(text: &str, max_messages: usize) -> Vec<String> {
    let mut messages: Vec<Vec<String>> = Vec::new();
    let mut size = 0;
    for line in text.lines().map(|l| shorten(l, MAX_REPLY_CHARS)) {
        match messages.last_mut() {
            Some(m) if size + 1 + chars(&line) <= MAX_REPLY_CHARS => {
                size += 1 + chars(&line);
                m.push(line);
            }
            // A message never opens with a blank line.
            _ if line.trim().is_empty() => {}
            _ => {
                size = chars(&line);
                messages.push(vec![line]);
            }
        }
    }
    let left_out: usize = messages.iter().skip(max_messages).map(Vec::len).sum();
    messages.truncate(max_messages);
    if let (Some(last), true) = (messages.last_mut(), left_out > 0) {
        let mut left_out = left_out;
        let note =
            |n: usize| sentence(Template::Phrases, "lines_left_out", &[("n", n.to_string())]);
        while last.len() > 1
            && last.iter().map(|l| chars(l) + 1).sum::<usize>() + chars(&note(left_out + 1))
                > MAX_REPLY_CHARS
        {
            last.pop();
            left_out += 1;
        }
        last.push(note(left_out));
    }
    messages
        .into_iter()
        .map(|m| m.join("\n").trim_end().to_owned())
        .collect()
}

/// The template a reply of `kind` is worded with.
pub fn reply_template(kind: ReplyKind) -> Template {
    match kind {
        ReplyKind::Status => Template::Status,
        ReplyKind::NextRelease => Template::NextRelease,
        ReplyKind::Overview => Template::Overview,
        ReplyKind::Problems => Template::Problems,
        ReplyKind::Help => Template::Help,
        ReplyKind::Greeting => Template::Greeting,
        ReplyKind::Thanks => Template::Thanks,
        ReplyKind::Wish => Template::Wish,
        ReplyKind::Unknown => Template::Unknown,
        ReplyKind::UnknownArea => Template::UnknownArea,
    }
}

/// Renders `reply` within `MAX_REPLY_CHARS`: first in full, then with drift notes shortened,
/// then without notes, then with areas left out (and said so), and as a last guard cut.
pub fn render(reply: &Reply) -> String {
    render_within(reply, MAX_REPLY_CHARS)
}

pub fn render_within(reply: &Reply, max: usize) -> String {
    fit(reply_template(reply.kind), reply, max, true)
}

/// The part `name` of `reply` (the lead above a chat message's embeds) within `max`: drift
/// notes shortened, then left out, and as a last guard cut; its areas are never left out.
pub fn render_part_within(name: Template, reply: &Reply, max: usize) -> String {
    fit(name, reply, max, false)
}

/// Any whole-reply template `name` of `reply` within `max` (notes shortened, then areas left
/// out and said so): the status board.
pub fn render_named_within(name: Template, reply: &Reply, max: usize) -> String {
    fit(name, reply, max, true)
}

fn fit(name: Template, reply: &Reply, max: usize, may_omit_areas: bool) -> String {
    let full = render_template(name, reply);
    if chars(&full) <= max {
        return full;
    }
    let mut r = reply.clone();
    for limit in [400, 200, 100] {
        for a in &mut r.areas {
            a.note = a.note.as_deref().map(|n| shorten(n, limit));
        }
        let text = render_template(name, &r);
        if chars(&text) <= max {
            return text;
        }
    }
    for a in &mut r.areas {
        a.note = None;
        a.remark = None;
    }
    loop {
        let text = render_template(name, &r);
        if chars(&text) <= max || r.areas.len() <= 1 || !may_omit_areas {
            return shorten(&text, max);
        }
        r.areas.pop();
        r.omitted += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_compiles() {
        let env = environment();
        for (name, _) in TEMPLATES {
            env.get_template(name)
                .unwrap_or_else(|e| panic!("{name}: {e}"));
        }
    }

    #[test]
    fn every_file_in_responses_is_embedded() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/responses");
        for entry in std::fs::read_dir(dir).unwrap() {
            let entry = entry.unwrap();
            if entry.path().is_dir() {
                continue; // responses/web/: the web adapter's own templates
            }
            let name = entry.file_name().into_string().unwrap();
            assert!(
                // cli.toml, discord_commands.toml: the command line's and the slash commands'
                // texts, read by their adapters; fallback.txt: said when a template fails, so
                // read as it stands.
                name == "cli.toml"
                    || name == "discord_commands.toml"
                    || name == "fallback.txt"
                    || TEMPLATES.iter().any(|(n, _)| *n == name),
                "{name} is not in TEMPLATES"
            );
        }
    }

    #[test]
    fn long_output_is_split_between_lines_into_messages_within_the_limit() {
        let line = |i: usize| format!("• område {i}: {}", "x".repeat(90));
        let text: String = (0..60).map(|i| line(i) + "\n").collect();
        let parts = split_to_limit(&text, 10);
        assert!(parts.len() > 2, "{}", parts.len());
        assert!(parts.iter().all(|p| chars(p) <= MAX_REPLY_CHARS));
        assert_eq!(
            parts.join("\n"),
            text.trim_end(),
            "nothing lost, no line cut"
        );
        assert_eq!(split_to_limit("kort\n\nsvar", 3), ["kort\n\nsvar"]);
        let cut = split_to_limit(&text, 2);
        assert_eq!(cut.len(), 2);
        assert!(cut.iter().all(|p| chars(p) <= MAX_REPLY_CHARS));
        let shown = cut
            .join("\n")
            .lines()
            .filter(|l| l.starts_with('•'))
            .count();
        assert!(
            cut[1].ends_with(&format!(
                "… og {} linjer mere, som ikke er vist.",
                60 - shown
            )),
            "{}",
            cut[1]
        );
        let long = split_to_limit(&"ord ".repeat(1000), 3);
        assert_eq!(long.len(), 1);
        assert!(chars(&long[0]) <= MAX_REPLY_CHARS && long[0].ends_with('…'));
    }

    #[test]
    fn tidy_collapses_blank_runs_and_trailing_space() {
        assert_eq!(tidy("a  \n\n\n\nb\n\n"), "a\n\nb");
        assert_eq!(tidy("\n\na\nb"), "a\nb");
    }

    #[test]
    fn shorten_ends_with_an_ellipsis_on_a_word_boundary() {
        let s = shorten(
            "Der er lukket for adgang til DFDG-data pga. omfattende snitfladeændringer.",
            40,
        );
        assert!(chars(&s) <= 40, "{s}");
        assert!(s.ends_with('…'));
        assert!(!s.contains("snitflade"));
        assert_eq!(shorten("kort", 40), "kort");
    }
}
