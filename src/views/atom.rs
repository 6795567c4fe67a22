//! The Atom feed (RFC 4287) of `/feed.atom`: the catalogue's changes, from the history, and the
//! release announcements whose time has come, newest first, for the areas a filter admits (the
//! calendar's `?omraade=` / `?gruppe=`). Authors are shown by their public name only. Every
//! entry has an id that stays the same from one request to the next: a `tag:` URI of the
//! history seq or of the announcement's key. Pure: the adapter reads the history and passes it
//! in; the wording is `responses/atom/feed.xml` (escaped for XML by minijinja, as its name ends
//! in `.xml`).

use std::sync::OnceLock;

use chrono::{DateTime, SecondsFormat, Utc};
use minijinja::Environment;
use serde::Serialize;

use super::announce::render_announcement;
use super::danish::Danish;
use super::history::describe;
use super::ical::CalendarFilter;
use super::status_feed::group_id;
use crate::core::announce::{self, announcement, ChannelFilter, Kind};
use crate::core::catalogue::{Area, AreaId, Catalogue};
use crate::core::danish_time::danish_today;
use crate::core::history::{HistoryEntry, Snapshot};
use crate::core::year_month::YearMonth;

/// The most entries a feed carries: enough for a few months of changes, few enough for a feed
/// reader to take in one request.
pub const MAX_ENTRIES: usize = 50;

/// The tag URI prefix of every id: the name flisbot goes by, and the year FLIS went live.
const TAG: &str = "tag:flisbot,2012:";

const TEMPLATES: &[(&str, &str)] = &[("feed.xml", include_str!("../../responses/atom/feed.xml"))];

const FALLBACK: &str = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n\
<feed xmlns=\"http://www.w3.org/2005/Atom\"><id>tag:flisbot,2012:feed</id>\
<title>FLIS-status</title><updated>2012-01-01T00:00:00Z</updated>\
<author><name>flisbot</name></author></feed>\n";

fn environment() -> &'static Environment<'static> {
    static ENV: OnceLock<Environment<'static>> = OnceLock::new();
    ENV.get_or_init(|| {
        let mut env = super::render::environment_of(TEMPLATES);
        // Every value is written escaped for XML (element text and attribute values alike).
        env.set_formatter(|out, _state, value| {
            if !value.is_undefined() && !value.is_none() {
                out.write_str(&xml_escape(&value.to_string()))?;
            }
            Ok(())
        });
        env
    })
}

/// `s` as XML character data or an attribute value: markup characters escaped, and what XML
/// 1.0 cannot carry (control characters but tab and newline) left out.
fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\n' | '\t' => out.push(c),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// What a feed is made of besides the catalogue.
pub struct FeedInput<'a> {
    /// History entries of the areas (any order, any areas: the filter picks).
    pub changes: &'a [HistoryEntry],
    pub filter: &'a CalendarFilter,
    /// The announcements' time of day (`[announcements] time`).
    pub time: (u32, u32),
    /// The public address (`[web] public_url`), without a trailing slash; links are relative
    /// without it.
    pub base: Option<&'a str>,
    pub now: DateTime<Utc>,
}

#[derive(Serialize)]
struct FeedView {
    id: String,
    updated: String,
    self_href: String,
    home: String,
    /// The areas and groups the filter names, as people read them; empty: all.
    filter_names: Vec<String>,
    entries: Vec<EntryView>,
}

#[derive(Serialize)]
struct EntryView {
    id: String,
    /// change | early | monthly
    kind: &'static str,
    updated: String,
    published: String,
    /// The author's public name (changes only: announcements are flisbot's).
    author: Option<String>,
    link: String,
    /// The area's name (a change) or the release month (an announcement).
    name: String,
    /// A change: the action in the operator's words and what changed; undone since.
    action: String,
    diffs: Vec<String>,
    undone: bool,
    /// An announcement: its text as the chat says it, without its markup.
    text: String,
    #[serde(skip)]
    at: DateTime<Utc>,
}

/// Atom's date-time: RFC 3339 in UTC, whole seconds.
fn stamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn admits(filter: &CalendarFilter, area: &Area) -> bool {
    filter.is_all() || filter.areas.contains(&area.id) || filter.groups.contains(&area.group)
}

/// The filter as a query string, areas and groups in their order (the feed's own address).
pub fn query_of(filter: &CalendarFilter) -> String {
    let mut parts = Vec::new();
    if !filter.areas.is_empty() {
        let ids: Vec<&str> = filter.areas.iter().map(|a| a.as_str()).collect();
        parts.push(format!("omraade={}", ids.join(",")));
    }
    if !filter.groups.is_empty() {
        let ids: Vec<&str> = filter.groups.iter().map(|g| group_id(*g)).collect();
        parts.push(format!("gruppe={}", ids.join(",")));
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!("?{}", parts.join("&"))
    }
}

fn change_entry(e: &HistoryEntry, catalogue: &Catalogue, base: &str) -> Option<EntryView> {
    let (Snapshot::Area(before), Snapshot::Area(after)) = (&e.before, &e.after) else {
        return None;
    };
    let name = catalogue
        .area(after.id)
        .map_or_else(|| after.name.clone(), |a| a.name.clone());
    Some(EntryView {
        id: format!("{TAG}aendring/{}", e.seq),
        kind: "change",
        updated: stamp(e.at),
        published: stamp(e.at),
        author: Some(e.by.public_name()),
        link: format!("{base}/omraade/{}", after.id.as_str()),
        name,
        action: e.action.danish(),
        diffs: describe(before, after),
        undone: e.undone,
        text: String::new(),
        at: e.at,
    })
}

/// The catalogue as it stood at `at`: each area as the oldest of its changes after `at` found
/// it (as far back as the history passed in reaches).
fn catalogue_at(catalogue: &Catalogue, changes: &[HistoryEntry], at: DateTime<Utc>) -> Catalogue {
    let mut then = catalogue.clone();
    for area in &mut then.areas {
        let oldest_after = changes
            .iter()
            .filter(|e| e.at > at)
            .filter_map(|e| match &e.before {
                Snapshot::Area(before) if before.id == area.id => Some((e.at, e.seq, before)),
                _ => None,
            })
            .min_by_key(|(at, seq, _)| (*at, *seq));
        if let Some((_, _, before)) = oldest_after {
            *area = before.as_ref().clone();
        }
    }
    then
}

/// The announcements of the last three release months and the next, whose time has come, for
/// the areas the filter admits: each worded on what was recorded when it was due, as the chat
/// got it then, so an entry does not change afterwards.
fn announcement_entries(
    catalogue: &Catalogue,
    input: &FeedInput<'_>,
    base: &str,
) -> Vec<EntryView> {
    let this = YearMonth::of_date(danish_today(input.now));
    let filter = ChannelFilter {
        channel: 0,
        areas: input.filter.areas.iter().copied().collect(),
        groups: input.filter.groups.iter().copied().collect(),
    };
    let due = announce::past(
        catalogue,
        input.time,
        this.minus(3),
        this.plus(1),
        input.now,
    );
    due.into_iter()
        .filter_map(|s| {
            let then = catalogue_at(catalogue, input.changes, s.at);
            let view = announcement(&then, s.id, Some(&filter))?;
            Some(EntryView {
                id: format!("{TAG}udgivelse/{}", s.id.key()),
                kind: match s.id.kind {
                    Kind::Early => "early",
                    Kind::Monthly => "monthly",
                },
                updated: stamp(s.at),
                published: stamp(s.at),
                author: None,
                link: format!("{base}/"),
                name: s.id.release_month.danish(),
                action: String::new(),
                diffs: Vec::new(),
                undone: false,
                text: render_announcement(&view).replace("**", ""),
                at: s.at,
            })
        })
        .collect()
}

/// The feed as Atom XML, at most [`MAX_ENTRIES`] entries, newest first.
pub fn atom_feed(catalogue: &Catalogue, input: &FeedInput<'_>) -> String {
    let base = input.base.unwrap_or_default().trim_end_matches('/');
    let admitted = |id: AreaId| catalogue.area(id).is_some_and(|a| admits(input.filter, a));
    let mut entries: Vec<EntryView> = input
        .changes
        .iter()
        .filter(|e| match &e.after {
            Snapshot::Area(a) => admitted(a.id),
            _ => false,
        })
        .filter_map(|e| change_entry(e, catalogue, base))
        .collect();
    entries.extend(announcement_entries(catalogue, input, base));
    entries.sort_by(|a, b| (b.at, &b.published, &b.id).cmp(&(a.at, &a.published, &a.id)));
    entries.dedup_by(|a, b| a.id == b.id);
    entries.truncate(MAX_ENTRIES);
    let updated = entries.iter().map(|e| e.at).max().unwrap_or_else(|| {
        catalogue
            .as_of
            .and_hms_opt(0, 0, 0)
            .unwrap_or_default()
            .and_utc()
    });
    let query = query_of(input.filter);
    let names = input
        .filter
        .areas
        .iter()
        .filter_map(|id| catalogue.area(*id).map(|a| a.name.clone()))
        .chain(input.filter.groups.iter().map(|g| g.danish().to_owned()))
        .collect();
    let view = FeedView {
        id: format!("{TAG}feed{query}"),
        updated: stamp(updated),
        self_href: format!("{base}/feed.atom{query}"),
        home: format!("{base}/"),
        filter_names: names,
        entries,
    };
    match environment()
        .get_template("feed.xml")
        .and_then(|t| t.render(&view))
    {
        Ok(xml) => xml,
        Err(e) => {
            tracing::error!(error = %e, "the Atom feed cannot be rendered");
            FALLBACK.to_owned()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::catalogue::{default_catalogue, Author, Group, State};
    use crate::core::history::Action;
    use crate::test_support::at;

    fn entry(
        seq: u64,
        id: AreaId,
        when: &str,
        by: Author,
        f: impl FnOnce(&mut Area),
    ) -> HistoryEntry {
        let before = default_catalogue().area(id).unwrap().clone();
        let mut after = before.clone();
        f(&mut after);
        HistoryEntry {
            seq,
            at: at(when),
            by,
            action: Action::Set,
            before: Snapshot::Area(Box::new(before)),
            after: Snapshot::Area(Box::new(after)),
            undone: false,
            reverts: None,
            parts: Vec::new(),
        }
    }

    fn feed(changes: &[HistoryEntry], filter: &CalendarFilter, now: &str) -> String {
        atom_feed(
            default_catalogue(),
            &FeedInput {
                changes,
                filter,
                time: (9, 0),
                base: Some("https://flis.example.dk/"),
                now: at(now),
            },
        )
    }

    #[test]
    fn changes_and_announcements_newest_first_with_stable_ids_and_names_only() {
        let changes = [
            entry(
                7,
                AreaId::Krl,
                "2025-10-10T10:00:00Z",
                Author::chat("Pia <b>", 222222222222222222),
                |a| {
                    a.note = Some("Nede & <!channel> \u{c}".into());
                    a.state = State::Down;
                },
            ),
            entry(
                9,
                AreaId::Dream,
                "2025-10-11T10:00:00Z",
                Author::named("Ole"),
                |a| {
                    a.through = "2025-06".parse().ok();
                },
            ),
        ];
        let xml = feed(&changes, &CalendarFilter::default(), "2025-10-12T12:00:00Z");
        assert!(
            xml.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>"),
            "{xml}"
        );
        assert!(!xml.contains("222222222222222222"), "{xml}");
        assert!(
            !xml.contains("<b>") && xml.contains("Pia &lt;b&gt;"),
            "{xml}"
        );
        assert!(!xml.contains('\u{c}'), "no form feed in XML");
        assert!(xml.contains("&lt;!channel&gt;"), "{xml}");
        let dream = xml.find("tag:flisbot,2012:aendring/9").unwrap();
        let krl = xml.find("tag:flisbot,2012:aendring/7").unwrap();
        let monthly = xml
            .find("tag:flisbot,2012:udgivelse/monthly-2025-10")
            .unwrap();
        assert!(dream < krl && krl < monthly, "newest first:\n{xml}");
        assert!(
            xml.contains("https://flis.example.dk/omraade/dream"),
            "{xml}"
        );
        assert_eq!(
            xml,
            feed(&changes, &CalendarFilter::default(), "2025-10-12T12:00:00Z")
        );
    }

    #[test]
    fn a_filter_keeps_its_areas_and_announcements_come_when_due() {
        let changes = [
            entry(
                1,
                AreaId::Krl,
                "2025-10-10T10:00:00Z",
                Author::named("Pia"),
                |a| a.state = State::Ok,
            ),
            entry(
                2,
                AreaId::Dream,
                "2025-10-10T11:00:00Z",
                Author::named("Pia"),
                |a| a.state = State::Down,
            ),
        ];
        let filter = CalendarFilter {
            groups: [Group::Beskaeftigelse].into_iter().collect(),
            ..CalendarFilter::default()
        };
        let xml = feed(&changes, &filter, "2025-10-10T06:00:00Z");
        assert!(
            xml.contains("aendring/2") && !xml.contains("aendring/1"),
            "{xml}"
        );
        assert!(
            xml.contains("<id>tag:flisbot,2012:feed?gruppe=beskaeftigelse</id>"),
            "{xml}"
        );
        assert!(
            !xml.contains("udgivelse/monthly-2025-10"),
            "not before 09:00:\n{xml}"
        );
        assert!(xml.contains("udgivelse/monthly-2025-09"), "{xml}");
        let later = feed(&changes, &filter, "2025-10-10T08:00:00Z");
        assert!(later.contains("udgivelse/monthly-2025-10"), "{later}");
    }

    /// An announcement says what was recorded when it was due, not what was changed since.
    #[test]
    fn an_announcement_entry_is_worded_on_the_catalogue_of_its_time() {
        let change = entry(
            4,
            AreaId::Dfdg,
            "2025-10-10T10:00:00Z",
            Author::named("Pia"),
            |a| {
                a.state = State::Ok;
                a.note = Some("Kører igen".into());
            },
        );
        let Snapshot::Area(after) = &change.after else {
            panic!()
        };
        let mut now = default_catalogue().clone();
        *now.area_mut(AreaId::Dfdg).unwrap() = after.as_ref().clone();
        let xml = |changes: &[HistoryEntry]| {
            atom_feed(
                &now,
                &FeedInput {
                    changes,
                    filter: &CalendarFilter::default(),
                    time: (9, 0),
                    base: None,
                    now: at("2025-10-12T12:00:00Z"),
                },
            )
        };
        let with_history = xml(std::slice::from_ref(&change));
        let monthly = &with_history[with_history.find("udgivelse/monthly-2025-10").unwrap()..];
        let monthly = &monthly[..monthly.find("</entry>").unwrap()];
        assert!(
            monthly.contains("DFDG – Der er lukket"),
            "down at 09:00:\n{monthly}"
        );
        assert!(
            with_history.contains("href=\"/omraade/dfdg\""),
            "relative links without a base"
        );
    }

    #[test]
    fn the_feed_is_bounded() {
        let many: Vec<HistoryEntry> = (0..200)
            .map(|i| {
                entry(
                    i,
                    AreaId::Krl,
                    "2025-10-10T10:00:00Z",
                    Author::named("Pia"),
                    |a| a.note = Some(format!("note {i}")),
                )
            })
            .collect();
        let xml = feed(&many, &CalendarFilter::default(), "2025-10-12T12:00:00Z");
        assert_eq!(xml.matches("<entry>").count(), MAX_ENTRIES);
    }
}
