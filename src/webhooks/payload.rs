//! What each kind of receiver is sent. A message (a notice, an announcement, a test) is first
//! worded once, from the same notice content and announcement the chat sends
//! (`views::notice::notice_content`, `views::announce::render_announcement`) and the words of
//! `responses/webhook.md`, into a `Layout` (a title, lines, facts, a link); each kind then lays
//! that out: `teams` an Adaptive Card in the envelope Teams' Workflows trigger takes, `slack`
//! incoming-webhook JSON (`text` and `blocks`) escaped so no text can mention anyone, `generic`
//! flisbot's own versioned document (`docs/webhooks.md`). Nothing here computes a fact.

use crate::views::render::Template;
use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use serde::Serialize;
use serde_json::{json, Value};

use crate::core::announce::{AnnouncementView, Kind};
use crate::core::catalogue::Area;
use crate::core::webhook::WebhookKind;
use crate::core::year_month::YearMonth;
use crate::views::danish::state_word;
use crate::views::notice::NoticeContent;
use crate::views::render::render_template;

/// The generic document's version (`docs/webhooks.md`).
pub const GENERIC_VERSION: u32 = 1;

/// What is sent, before it is laid out for a receiver.
pub enum Message<'a> {
    /// Changes of one area, coalesced as the chat's notice: from the first's before to the
    /// last's after.
    Notice {
        content: &'a NoticeContent,
        before: &'a Area,
        after: &'a Area,
        /// The release one of the changes marked out.
        release: Option<YearMonth>,
        /// When the first of the changes was made.
        at: DateTime<Utc>,
    },
    Announcement {
        key: String,
        kind: Kind,
        release_month: YearMonth,
        day: NaiveDate,
        at: DateTime<Utc>,
        view: &'a AnnouncementView,
    },
    /// `admin webhook test`, `/webhook test`.
    Sample {
        name: &'a str,
        announcements: bool,
        at: DateTime<Utc>,
    },
}

/// A message worded: Discord-style markup (`**bold**`) in `title` and `lines`, laid out per
/// receiver.
struct Layout {
    title: String,
    lines: Vec<String>,
    facts: Vec<(String, String)>,
    link: Option<(String, String)>,
}

fn words(context: Value) -> String {
    render_template(Template::Webhook, &context)
        .trim()
        .to_owned()
}

fn label(which: &str) -> String {
    words(json!({"kind": "label", "which": which}))
}

fn layout(message: &Message<'_>, base: Option<&str>) -> Layout {
    let base = base.map(|b| b.trim_end_matches('/'));
    match message {
        Message::Notice { content, .. } => {
            let v = &content.view;
            let mut lines: Vec<String> = content.changes.iter().map(|c| format!("• {c}")).collect();
            lines.push(words(json!({"kind": "now", "line": content.line})));
            Layout {
                title: words(json!({
                    "kind": "notice_title",
                    "name": content.name,
                    "release": content.release,
                })),
                lines,
                facts: vec![
                    (label("state"), state_word(v.state).to_owned()),
                    (
                        label("through"),
                        v.through
                            .map_or_else(|| label("not_stated"), |m| m.to_string()),
                    ),
                    (
                        label("note"),
                        v.note.clone().unwrap_or_else(|| label("none")),
                    ),
                ],
                link: base.map(|b| {
                    (
                        format!("{b}/omraade/{}", content.area.as_str()),
                        words(json!({"kind": "label", "which": "open_area", "name": content.name})),
                    )
                }),
            }
        }
        Message::Announcement { view, .. } => {
            let text = crate::views::announce::render_announcement(view);
            let mut lines = text
                .lines()
                .map(str::to_owned)
                .filter(|l| !l.trim().is_empty());
            Layout {
                title: lines.next().unwrap_or_default(),
                lines: lines.collect(),
                facts: Vec::new(),
                link: base.map(|b| (format!("{b}/"), label("open_status"))),
            }
        }
        Message::Sample {
            name,
            announcements,
            ..
        } => Layout {
            title: words(json!({"kind": "sample_title", "name": name})),
            lines: vec![words(
                json!({"kind": "sample_text", "announcements": announcements}),
            )],
            facts: Vec::new(),
            link: base.map(|b| (format!("{b}/"), label("open_status"))),
        },
    }
}

/// Text without the chat's markup.
fn plain(s: &str) -> String {
    s.replace("**", "")
}

/// The body `kind` expects for `message`; `id` is the delivery's id (also `webhook-id`).
pub fn body(kind: WebhookKind, id: &str, message: &Message<'_>, base: Option<&str>) -> Vec<u8> {
    let l = layout(message, base);
    let value = match kind {
        WebhookKind::Teams => teams(&l),
        WebhookKind::Slack => slack(&l),
        WebhookKind::Generic => generic(id, message, &l),
    };
    serde_json::to_vec(&value).unwrap_or_default()
}

/// An Adaptive Card (1.4) in the envelope of Teams' Workflows trigger "When a Teams webhook
/// request is received". TextBlocks take the chat's `**bold**` as it is (Adaptive Cards'
/// Markdown); one block a line, as a single newline does not break a line there.
fn teams(l: &Layout) -> Value {
    let mut body = vec![json!({
        "type": "TextBlock",
        "text": plain(&l.title),
        "weight": "Bolder",
        "size": "Medium",
        "wrap": true,
    })];
    body.extend(
        l.lines.iter().map(
            |line| json!({"type": "TextBlock", "text": line, "wrap": true, "spacing": "Small"}),
        ),
    );
    if !l.facts.is_empty() {
        body.push(json!({
            "type": "FactSet",
            "facts": l.facts.iter().map(|(t, v)| json!({"title": t, "value": v})).collect::<Vec<_>>(),
        }));
    }
    let mut card = json!({
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "type": "AdaptiveCard",
        "version": "1.4",
        "body": body,
    });
    if let Some((url, title)) = &l.link {
        card["actions"] = json!([{"type": "Action.OpenUrl", "title": title, "url": url}]);
    }
    json!({
        "type": "message",
        "attachments": [{
            "contentType": "application/vnd.microsoft.card.adaptive",
            "contentUrl": null,
            "content": card,
        }],
    })
}

/// Slack's longest section text.
const SLACK_SECTION_CHARS: usize = 3000;
/// Slack's longest header text.
const SLACK_HEADER_CHARS: usize = 150;

/// Text for Slack's mrkdwn (and its `text` field): `&`, `<`, `>` escaped, so no `<!channel>`,
/// `<!here>` or `<@U…>` can be formed, and `@here`, `@channel`, `@everyone` broken by a
/// zero-width space, so nothing in it mentions anyone, whatever Slack's parse settings.
pub fn slack_escape(s: &str) -> String {
    let escaped = s
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    let mut out = String::with_capacity(escaped.len());
    let mut rest = escaped.as_str();
    while let Some(i) = rest.find('@') {
        out.push_str(&rest[..=i]);
        rest = &rest[i + 1..];
        let word: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric())
            .collect::<String>()
            .to_lowercase();
        if matches!(word.as_str(), "here" | "channel" | "everyone") {
            out.push('\u{200B}');
        }
    }
    out.push_str(rest);
    out
}

/// Slack's mrkdwn bold is `*x*`; the chat's is `**x**`.
fn slack_text(s: &str) -> String {
    slack_escape(s).replace("**", "*")
}

fn slack(l: &Layout) -> Value {
    let mut blocks = vec![json!({
        "type": "header",
        "text": {
            "type": "plain_text",
            "text": crate::core::text::shorten(&plain(&l.title), SLACK_HEADER_CHARS),
            "emoji": true,
        },
    })];
    let mut body: Vec<String> = l.lines.iter().map(|line| slack_text(line)).collect();
    body.extend(
        l.facts
            .iter()
            .map(|(t, v)| format!("*{}:* {}", slack_escape(t), slack_escape(v))),
    );
    let body = crate::core::text::shorten(&body.join("\n"), SLACK_SECTION_CHARS);
    if !body.is_empty() {
        blocks.push(json!({"type": "section", "text": {"type": "mrkdwn", "text": body}}));
    }
    if let Some((url, title)) = &l.link {
        // A link Slack's way: <url|label>; neither may hold `|` or `>` unescaped.
        let url = url
            .replace('|', "%7C")
            .replace('>', "%3E")
            .replace('<', "%3C");
        blocks.push(json!({
            "type": "context",
            "elements": [{"type": "mrkdwn", "text": format!("<{url}|{}>", slack_escape(title))}],
        }));
    }
    json!({
        "text": slack_escape(&plain(&l.title)),
        "blocks": blocks,
        "unfurl_links": false,
        "unfurl_media": false,
    })
}

fn stamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

#[derive(Serialize)]
struct Recorded<'a> {
    state: &'a str,
    through: Option<String>,
    note: Option<&'a str>,
}

fn recorded(a: &Area) -> Recorded<'_> {
    Recorded {
        state: a.state.as_str(),
        through: a.through.map(|m| m.to_string()),
        note: a.note.as_deref(),
    }
}

/// flisbot's own document, version [`GENERIC_VERSION`] (`docs/webhooks.md` has its fields).
fn generic(id: &str, message: &Message<'_>, l: &Layout) -> Value {
    let mut text = vec![plain(&l.title)];
    text.extend(l.lines.iter().map(|line| plain(line)));
    let mut doc = json!({
        "version": GENERIC_VERSION,
        "id": id,
        "title": plain(&l.title),
        "text": text.join("\n"),
        "url": l.link.as_ref().map(|(u, _)| u),
    });
    match message {
        Message::Notice {
            content,
            before,
            after,
            release,
            at,
        } => {
            doc["type"] = json!("notice");
            doc["at"] = json!(stamp(*at));
            doc["notice"] = json!({
                "area": content.area.as_str(),
                "name": content.name,
                "release_month": release.map(|m| m.to_string()),
                "changes": content.changes,
                "before": recorded(before),
                "after": recorded(after),
                "line": plain(&content.line),
            });
        }
        Message::Announcement {
            key,
            kind,
            release_month,
            day,
            at,
            view,
        } => {
            doc["type"] = json!("announcement");
            doc["at"] = json!(stamp(*at));
            doc["announcement"] = json!({
                "key": key,
                "kind": kind,
                "release_month": release_month.to_string(),
                "day": day.to_string(),
                "confirmed": view.confirmed,
                "partly": view.partly,
            });
        }
        Message::Sample { at, .. } => {
            doc["type"] = json!("test");
            doc["at"] = json!(stamp(*at));
        }
    }
    doc
}
