//! The change history in Danish: an action in the operator's words, what changed between two
//! versions of an area, and an area's history listing (`responses/admin_history.md`; authors
//! by public name).

use super::render::Template;
use chrono::NaiveDate;
use serde::Serialize;

use super::danish::danish_date_time;
use super::danish::{danish_date, Danish};
use super::render::{render_template, sentence};
use crate::core::catalogue::{Area, Cadence};
use crate::core::history::{Action, HistoryEntry, Snapshot, WebhookChange};
use crate::core::import_status::document_label;
use crate::core::text::shorten;
use crate::core::year_month::YearMonth;

/// A word or phrase of `responses/history_words.md`; `values` are put in after the template is
/// rendered, as they stand (a note keeps its own spacing).
fn w(kind: &str, values: &[(&str, &str)]) -> String {
    let mark = |i: usize| format!("\u{E000}{i}\u{E001}");
    let marks: Vec<(&str, String)> = values
        .iter()
        .enumerate()
        .map(|(i, (k, _))| (*k, mark(i)))
        .collect();
    let mut text = sentence(Template::HistoryWords, kind, &marks);
    for (i, (_, v)) in values.iter().enumerate() {
        text = text.replace(&mark(i), v);
    }
    text
}

/// A change of a field: `kind` names it, with its value before and after.
fn change(kind: &str, before: &str, after: &str) -> String {
    w(kind, &[("before", before), ("after", after)])
}

impl Action {
    /// The action in the operator's words: "ret", "udgivelse 2025-10", "fortryd «ret» fra …",
    /// "statusoversigt pr. 10/11-25".
    pub fn danish(&self) -> String {
        match self {
            Action::Set => w("set", &[]),
            Action::Rule => w("rule", &[]),
            Action::Release { month } => w("release", &[("month", &month.to_string())]),
            Action::Undo { of, at } => w(
                "undo",
                &[("of", &of.danish()), ("at", &danish_date_time(*at))],
            ),
            Action::AsOf => w("as_of", &[]),
            Action::Import => w("import", &[]),
            Action::StatusImport { document } => {
                w("status_import", &[("document", &document_label(*document))])
            }
            Action::Webhook { change, name } => {
                let kind = match change {
                    WebhookChange::Added => "webhook_added",
                    WebhookChange::Removed => "webhook_removed",
                    WebhookChange::Resumed => "webhook_resumed",
                };
                w(kind, &[("name", name)])
            }
            Action::Recorded(words) => words.clone(),
        }
    }
}

fn month_text(m: Option<YearMonth>) -> String {
    m.map_or_else(|| w("no_month", &[]), YearMonth::danish)
}

fn rule_text(a: &Area) -> String {
    let mut s = match a.rule.cadence {
        Cadence::Monthly => w("monthly", &[("lag", &a.rule.lag.to_string())]),
        Cadence::Yearly => w("yearly", &[]),
        Cadence::Daily => w("daily", &[]),
    };
    if let Some(e) = a.rule.early {
        s.push_str(&w(
            "early",
            &[
                ("to", &e.to_days.to_string()),
                ("from", &e.from_days.to_string()),
            ],
        ));
    }
    s
}

/// How much of a note or source a change shows.
const SHOWN_CHARS: usize = 80;

/// The fields that differ between two versions of an area, in Danish; notes and sources
/// shortened to `SHOWN_CHARS`.
pub fn describe(before: &Area, after: &Area) -> Vec<String> {
    describe_within(before, after, SHOWN_CHARS)
}

/// The same with notes and sources in full: for what a status document would change, where a
/// shortened note would hide whether the text it was read from stops mid-sentence.
pub fn describe_in_full(before: &Area, after: &Area) -> Vec<String> {
    describe_within(before, after, usize::MAX)
}

fn describe_within(before: &Area, after: &Area, shown: usize) -> Vec<String> {
    let mut d = Vec::new();
    if before.through != after.through {
        d.push(change(
            "through",
            &month_text(before.through),
            &month_text(after.through),
        ));
    }
    if before.state != after.state {
        d.push(change("state", before.state.danish(), after.state.danish()));
    }
    // Notes, frequency and source quoted and shortened: a status import reads frequency and
    // source from a document's text, and the operator must see the values to review them.
    let quoted = |s: Option<&str>| {
        s.map_or_else(
            || w("none", &[]),
            |t| w("quoted", &[("text", &shorten(t, shown))]),
        )
    };
    if before.note != after.note {
        d.push(change(
            "note",
            &quoted(before.note.as_deref()),
            &quoted(after.note.as_deref()),
        ));
    }
    if before.rule != after.rule {
        d.push(change("rule_change", &rule_text(before), &rule_text(after)));
    }
    if before.frequency != after.frequency {
        d.push(change(
            "frequency",
            &quoted(Some(&before.frequency)),
            &quoted(Some(&after.frequency)),
        ));
    }
    if before.source != after.source {
        d.push(change(
            "source",
            &quoted(before.source.as_deref()),
            &quoted(after.source.as_deref()),
        ));
    }
    for (kind, changed) in [
        ("name_changed", before.name != after.name),
        ("group_changed", before.group != after.group),
    ] {
        if changed {
            d.push(w(kind, &[]));
        }
    }
    // A status confirmed as it was: the date is the change.
    if d.is_empty() && before.status_date != after.status_date {
        let date = |d: Option<NaiveDate>| d.map_or_else(|| w("none", &[]), danish_date);
        d.push(change(
            "status_date",
            &date(before.status_date),
            &date(after.status_date),
        ));
    }
    d
}

#[derive(Serialize)]
struct HistoryView<'a> {
    name: &'a str,
    entries: Vec<EntryView>,
}

#[derive(Serialize)]
struct EntryView {
    at: String,
    /// The public name: never a chat user id.
    by: String,
    action: String,
    diffs: Vec<String>,
    undone: bool,
}

/// An area's history (`entries` newest first) as Danish text (`responses/admin_history.md`).
pub fn history_text(area_name: &str, entries: &[HistoryEntry]) -> String {
    let entries = entries
        .iter()
        .map(|e| EntryView {
            at: danish_date_time(e.at),
            by: e.by.public_name(),
            action: e.action.danish(),
            diffs: match (&e.before, &e.after) {
                (Snapshot::Area(b), Snapshot::Area(a)) => describe(b, a),
                _ => Vec::new(),
            },
            undone: e.undone,
        })
        .collect();
    render_template(
        Template::AdminHistory,
        &HistoryView {
            name: area_name,
            entries,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::catalogue::Author;
    use chrono::{DateTime, Utc};

    #[test]
    fn actions_are_stored_typed_and_old_entries_still_read() {
        let at: DateTime<Utc> = "2025-10-10T07:00:00Z".parse().unwrap();
        let undo = Action::Undo {
            of: Box::new(Action::Release {
                month: "2025-10".parse().unwrap(),
            }),
            at,
        };
        let json = serde_json::to_string(&undo).unwrap();
        assert_eq!(serde_json::from_str::<Action>(&json).unwrap(), undo);
        assert_eq!(
            undo.danish(),
            "fortryd «udgivelse 2025-10» fra 10. oktober 2025 kl. 09:00"
        );
        assert_eq!(serde_json::to_string(&Action::Set).unwrap(), "\"set\"");
        // Written by flisbot before actions were typed.
        let old: Action = serde_json::from_str("\"ret\"").unwrap();
        assert_eq!(old, Action::Recorded("ret".into()));
        assert_eq!(old.danish(), "ret");
        let import = Action::StatusImport {
            document: "2025-11-10".parse().unwrap(),
        };
        let json = serde_json::to_string(&import).unwrap();
        assert_eq!(json, r#"{"status_import":{"document":"2025-11-10"}}"#);
        assert_eq!(serde_json::from_str::<Action>(&json).unwrap(), import);
        assert_eq!(import.danish(), "statusoversigt pr. 10/11-25");
    }

    #[test]
    fn the_history_listing_shows_authors_by_name_only() {
        let area = crate::core::catalogue::default_catalogue()
            .area(crate::core::catalogue::AreaId::Krl)
            .unwrap()
            .clone();
        let mut after = area.clone();
        after.through = "2025-05".parse().ok();
        let entry = |by: Author| HistoryEntry {
            seq: 1,
            at: "2025-10-10T07:00:00Z".parse().unwrap(),
            by,
            action: Action::Set,
            before: Snapshot::Area(Box::new(area.clone())),
            after: Snapshot::Area(Box::new(after.clone())),
            undone: false,
            reverts: None,
            parts: Vec::new(),
        };
        let text = history_text(
            "KRL Personale",
            &[
                entry(Author::chat("Pia", 222222222222222222)),
                entry(serde_json::from_str("\"Ole (333333333333333333)\"").unwrap()),
            ],
        );
        assert!(
            text.contains("· Pia · ret") && text.contains("· Ole · ret"),
            "{text}"
        );
        assert!(!text.contains("2222") && !text.contains("3333"), "{text}");
    }

    #[test]
    fn frequency_and_source_changes_show_both_values() {
        let before = crate::core::catalogue::default_catalogue()
            .area(crate::core::catalogue::AreaId::Yr)
            .unwrap()
            .clone();
        let mut after = before.clone();
        after.frequency = "Månedligt/årligt".into();
        after.source = None;
        assert_eq!(
            describe(&before, &after),
            [
                "frekvens «Månedligt» → «Månedligt/årligt»",
                "kilde «YR» → (ingen)"
            ]
        );
    }
}
