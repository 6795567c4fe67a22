//! The change history in Danish: an action in the operator's words, what changed between two
//! versions of an area, and an area's history listing (`responses/admin_history.md`; authors
//! by public name).

use super::render::Template;
use chrono::NaiveDate;
use serde::Serialize;

use super::render::render_template;
use crate::core::catalogue::{Area, Cadence};
use crate::core::danish_time::{danish_date, danish_date_time};
use crate::core::history::{Action, HistoryEntry, Snapshot, WebhookChange};
use crate::core::import_status::document_label;
use crate::core::text::shorten;
use crate::core::year_month::YearMonth;

impl Action {
    /// The action in the operator's words: "ret", "udgivelse 2025-10", "fortryd «ret» fra …",
    /// "statusoversigt pr. 10/11-25".
    pub fn danish(&self) -> String {
        match self {
            Action::Set => "ret".into(),
            Action::Rule => "regel".into(),
            Action::Release { month } => format!("udgivelse {month}"),
            Action::Undo { of, at } => {
                format!("fortryd «{}» fra {}", of.danish(), danish_date_time(*at))
            }
            Action::AsOf => "statusdato".into(),
            Action::Import => "import".into(),
            Action::StatusImport { document } => {
                format!("statusoversigt {}", document_label(*document))
            }
            Action::Webhook { change, name } => {
                let what = match change {
                    WebhookChange::Added => "tilføjet",
                    WebhookChange::Removed => "fjernet",
                    WebhookChange::Resumed => "genoptaget",
                };
                format!("webhook «{name}» {what}")
            }
            Action::Recorded(words) => words.clone(),
        }
    }
}

fn month_text(m: Option<YearMonth>) -> String {
    m.map_or("ikke oplyst".into(), YearMonth::danish)
}

fn rule_text(a: &Area) -> String {
    let mut s = match a.rule.cadence {
        Cadence::Monthly => format!("månedligt, forsinkelse {} mdr.", a.rule.lag),
        Cadence::Yearly => "årligt".into(),
        Cadence::Daily => "dagligt".into(),
    };
    if let Some(w) = a.rule.early {
        s.push_str(&format!(", {}–{} dage før d. 10.", w.to_days, w.from_days));
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
        d.push(format!(
            "data t.o.m. {} → {}",
            month_text(before.through),
            month_text(after.through)
        ));
    }
    if before.state != after.state {
        d.push(format!(
            "tilstand {} → {}",
            before.state.danish(),
            after.state.danish()
        ));
    }
    if before.note != after.note {
        let n = |n: &Option<String>| {
            n.as_deref()
                .map_or("(ingen)".into(), |t| format!("«{}»", shorten(t, shown)))
        };
        d.push(format!("drift {} → {}", n(&before.note), n(&after.note)));
    }
    if before.rule != after.rule {
        d.push(format!(
            "regel {} → {}",
            rule_text(before),
            rule_text(after)
        ));
    }
    // A status import reads frequency and source from a document's text: the operator must see
    // the values to review them.
    let quoted =
        |s: Option<&str>| s.map_or("(ingen)".into(), |t| format!("«{}»", shorten(t, shown)));
    if before.frequency != after.frequency {
        d.push(format!(
            "frekvens {} → {}",
            quoted(Some(&before.frequency)),
            quoted(Some(&after.frequency))
        ));
    }
    if before.source != after.source {
        d.push(format!(
            "kilde {} → {}",
            quoted(before.source.as_deref()),
            quoted(after.source.as_deref())
        ));
    }
    for (field, changed) in [
        ("navn", before.name != after.name),
        ("gruppe", before.group != after.group),
    ] {
        if changed {
            d.push(format!("{field} ændret"));
        }
    }
    // A status confirmed as it was: the date is the change.
    if d.is_empty() && before.status_date != after.status_date {
        let date = |d: Option<NaiveDate>| d.map_or("(ingen)".into(), danish_date);
        d.push(format!(
            "status pr. {} → {}",
            date(before.status_date),
            date(after.status_date)
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
