//! The release calendar as iCalendar (RFC 5545) for `/kalender.ics`: one all-day VEVENT per
//! release day from a month back to 12 months ahead (the area facts' release days: the 10th
//! with every area it brings and their months, an early window as a date range, the DAP cubes'
//! two days), so Outlook shows one entry a day, not one per area. A filtered calendar has the
//! days of its areas only, the DAP cubes with those areas' months. Danish texts from
//! `responses/web/`, stable UIDs (kind, release month and filter) so a subscribed calendar
//! updates instead of duplicating, a `URL` to the day's page under a configured public address,
//! CRLF line ends, lines folded at 75 octets, TEXT escaped.
//! Pure: "today" and the DTSTAMP come in as arguments.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use chrono::{DateTime, Datelike, Days, NaiveDate, Utc};
use serde::Serialize;

use super::danish::Danish;
use super::kalender::{day_view, DayView};
use super::status_feed::{group_by_id, group_id};
use super::web_page::{render_text, WebTemplate};
use crate::core::catalogue::{AreaId, Catalogue, Group};
use crate::core::facts::{self, CatalogueFacts, DayEntry, DayKind};
use crate::core::text::echo;
use crate::core::understand::default_parser;
use crate::core::year_month::YearMonth;

/// The longest query string `/kalender.ics` reads.
pub const MAX_QUERY_BYTES: usize = 1024;

/// How many months ahead the calendar feed reaches.
pub const MONTHS_AHEAD: u32 = 12;

/// Which areas a calendar shows: those named and the members of the groups named; everything
/// when both are empty.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct CalendarFilter {
    pub areas: BTreeSet<AreaId>,
    pub groups: BTreeSet<Group>,
}

/// A query `/kalender.ics` refuses (400), with what to say in Danish.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FilterError {
    TooLong {
        max: usize,
    },
    UnknownParameter {
        name: String,
    },
    Empty {
        name: &'static str,
    },
    UnknownArea {
        value: String,
        known: Vec<&'static str>,
    },
    UnknownGroup {
        value: String,
        known: Vec<&'static str>,
    },
}

impl FilterError {
    /// The short Danish text the 400 response carries (`responses/web/error.txt`).
    pub fn danish(&self) -> String {
        render_text(WebTemplate::ErrorText, self)
    }
}

/// A filter as read from a query, and whether the query named everything by its id (else the
/// adapter redirects to [`CalendarFilter::query`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReadFilter {
    pub filter: CalendarFilter,
    pub by_id: bool,
}

impl CalendarFilter {
    /// Reads the decoded query pairs: `omraade=dream,krl` and `gruppe=beskaeftigelse`, each
    /// repeatable, values separated by commas, case and spaces ignored. A value that is no id
    /// is read as a name the way questions name areas and groups ("Økonomi", "social og
    /// sundhed"); `by_id` then says the query is not the canonical one.
    pub fn from_pairs<K, V>(
        pairs: impl IntoIterator<Item = (K, V)>,
        query_len: usize,
    ) -> Result<ReadFilter, FilterError>
    where
        K: AsRef<str>,
        V: AsRef<str>,
    {
        if query_len > MAX_QUERY_BYTES {
            return Err(FilterError::TooLong {
                max: MAX_QUERY_BYTES,
            });
        }
        let mut filter = CalendarFilter::default();
        let mut by_id = true;
        for (key, value) in pairs {
            let (key, value) = (key.as_ref(), value.as_ref());
            let name: &'static str = match key {
                "omraade" => "omraade",
                "gruppe" => "gruppe",
                other => {
                    return Err(FilterError::UnknownParameter {
                        name: echo(other, 40),
                    })
                }
            };
            let mut any = false;
            for item in value.split(',').map(str::trim) {
                if item.is_empty() {
                    continue;
                }
                any = true;
                let id = item.to_lowercase();
                if name == "omraade" {
                    let area = match id.parse::<AreaId>() {
                        Ok(a) => a,
                        Err(()) => {
                            by_id = false;
                            default_parser().area_named(item).ok_or_else(|| {
                                FilterError::UnknownArea {
                                    value: echo(item, 40),
                                    known: AreaId::ALL.iter().map(|a| a.as_str()).collect(),
                                }
                            })?
                        }
                    };
                    filter.areas.insert(area);
                } else {
                    let group = match group_by_id(&id) {
                        Some(g) => g,
                        None => {
                            by_id = false;
                            default_parser().group_named(item).ok_or_else(|| {
                                FilterError::UnknownGroup {
                                    value: echo(item, 40),
                                    known: Group::ALL.iter().map(|g| group_id(*g)).collect(),
                                }
                            })?
                        }
                    };
                    filter.groups.insert(group);
                }
            }
            if !any {
                return Err(FilterError::Empty { name });
            }
        }
        Ok(ReadFilter { filter, by_id })
    }

    /// The filter of one area.
    pub fn of_area(id: AreaId) -> Self {
        CalendarFilter {
            areas: [id].into_iter().collect(),
            ..CalendarFilter::default()
        }
    }

    /// The filter of one group.
    pub fn of_group(group: Group) -> Self {
        CalendarFilter {
            groups: [group].into_iter().collect(),
            ..CalendarFilter::default()
        }
    }

    pub fn is_all(&self) -> bool {
        self.areas.is_empty() && self.groups.is_empty()
    }

    /// Whether the filter lets area `id` of `group` in.
    pub fn admits(&self, id: AreaId, group: Group) -> bool {
        self.is_all() || self.areas.contains(&id) || self.groups.contains(&group)
    }

    /// The canonical query string, by ids ("omraade=krl,dream&gruppe=beskaeftigelse"); empty
    /// for all.
    pub fn query(&self) -> String {
        let mut parts = Vec::new();
        if !self.areas.is_empty() {
            let ids: Vec<&str> = self.areas.iter().map(|a| a.as_str()).collect();
            parts.push(format!("omraade={}", ids.join(",")));
        }
        if !self.groups.is_empty() {
            let ids: Vec<&str> = self.groups.iter().map(|g| group_id(*g)).collect();
            parts.push(format!("gruppe={}", ids.join(",")));
        }
        parts.join("&")
    }

    /// The names of what the filter names: areas in catalogue order, then groups.
    pub fn names(&self, catalogue: &Catalogue) -> Vec<String> {
        catalogue
            .areas
            .iter()
            .filter(|a| self.areas.contains(&a.id))
            .map(|a| a.name.clone())
            .chain(self.groups.iter().map(|g| g.danish().to_owned()))
            .collect()
    }

    /// What tells this filter's events from another's in a UID: "" for all, else its ids.
    fn uid_key(&self) -> String {
        let mut key = String::new();
        for a in &self.areas {
            let _ = write!(key, ".{a}");
        }
        for g in &self.groups {
            let _ = write!(key, ".{}", group_id(*g));
        }
        key
    }
}

/// One event before it is written out: a release day of the filter's areas.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    pub uid: String,
    pub kind: DayKind,
    pub first_day: NaiveDate,
    /// Inclusive; DTEND is the day after.
    pub last_day: NaiveDate,
    pub summary: String,
    pub description: String,
    /// The day's page, under the public address.
    pub url: Option<String>,
    pub release_month: YearMonth,
    /// The areas' releases on the day (missed ones included, said as not recorded).
    pub entries: Vec<DayEntry>,
}

#[derive(Serialize)]
struct EventText<'a> {
    #[serde(flatten)]
    day: &'a DayView,
    /// The calendar is not filtered.
    all: bool,
    /// The event is about one area: its name leads the summary.
    single: Option<&'a str>,
    url: Option<&'a str>,
}

#[derive(Serialize)]
struct CalendarText<'a> {
    names: Vec<&'a str>,
    all: bool,
}

/// The first and last day an event may touch to be in the calendar: a month back (so this
/// month's release stays in view after its day) to 12 months ahead.
pub fn horizon(today: NaiveDate) -> (NaiveDate, NaiveDate) {
    facts::span(today, MONTHS_AHEAD)
}

/// The calendar's events on the facts' day: every release day of the areas the filter admits
/// that brings something recorded or expected (a day behind us that nothing came on is left
/// out; one where some came says which did not). `public_url` gives each event its `URL`: an
/// area's page for a calendar of one area, else the day on `/kalender`.
pub fn events(
    catalogue: &Catalogue,
    facts: &CatalogueFacts,
    filter: &CalendarFilter,
    public_url: Option<&str>,
) -> Vec<Event> {
    let today = facts.today;
    let (from, to) = horizon(today);
    let days = facts::release_days(catalogue, facts, |a| filter.admits(a.id, a.group), from, to);
    let single_area = match (filter.areas.len(), filter.groups.is_empty()) {
        (1, true) => filter.areas.first().copied(),
        _ => None,
    };
    let query = filter.query();
    let key = filter.uid_key();
    let mut out: Vec<Event> = Vec::new();
    for day in days.iter().filter(|d| d.brings_anything()) {
        let view = day_view(catalogue, day, today);
        let url = public_url.map(|base| match single_area {
            Some(id) => format!("{base}/omraade/{id}"),
            None if query.is_empty() => format!("{base}/kalender#{}", view.anchor),
            // A comma is TEXT's separator in some readers: encoded, the server reads it alike.
            None => format!(
                "{base}/kalender?{}#{}",
                query.replace(',', "%2C"),
                view.anchor
            ),
        });
        let names: Vec<&str> = view
            .groups
            .iter()
            .flat_map(|g| g.names.iter().map(|n| n.name.as_str()))
            .collect();
        let text = EventText {
            day: &view,
            all: filter.is_all(),
            single: match names[..] {
                [one] if day.kind != DayKind::Dap => Some(one),
                _ => None,
            },
            url: url.as_deref(),
        };
        // Two early windows of one release month (areas with different windows) keep apart.
        let base = format!("{}-{}", uid_kind(day.kind), day.release_month);
        let n = out
            .iter()
            .filter(|e| e.uid.starts_with(&base) && e.kind == day.kind)
            .count();
        let uid = match n {
            0 => format!("{base}{key}@flisbot"),
            n => format!("{base}-{}{key}@flisbot", n + 1),
        };
        out.push(Event {
            uid,
            kind: day.kind,
            first_day: day.first_day,
            last_day: day.last_day,
            summary: render_text(WebTemplate::IcalSummary, &text),
            description: render_text(WebTemplate::IcalDescription, &text),
            url,
            release_month: day.release_month,
            entries: day.entries.clone(),
        });
    }
    out
}

fn uid_kind(kind: DayKind) -> &'static str {
    match kind {
        DayKind::Early => "tidlig",
        DayKind::Release => "udgivelse",
        DayKind::Dap => "dap",
    }
}

/// Europe/Copenhagen as a VTIMEZONE (CET/CEST, EU rules since 1996), for clients that want the
/// calendar's zone spelt out; the events themselves are all-day dates.
const VTIMEZONE: &[&str] = &[
    "BEGIN:VTIMEZONE",
    "TZID:Europe/Copenhagen",
    "BEGIN:DAYLIGHT",
    "TZOFFSETFROM:+0100",
    "TZOFFSETTO:+0200",
    "TZNAME:CEST",
    "DTSTART:19700329T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
    "END:DAYLIGHT",
    "BEGIN:STANDARD",
    "TZOFFSETFROM:+0200",
    "TZOFFSETTO:+0100",
    "TZNAME:CET",
    "DTSTART:19701025T030000",
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
    "END:STANDARD",
    "END:VTIMEZONE",
];

/// The whole calendar as RFC 5545 text. `stamp` is the DTSTAMP of every event: the adapter
/// passes the time the catalogue was last seen to change, so the same catalogue gives the same
/// bytes. `public_url` gives every event its page's `URL`.
pub fn calendar_text(
    catalogue: &Catalogue,
    facts: &CatalogueFacts,
    filter: &CalendarFilter,
    stamp: DateTime<Utc>,
    public_url: Option<&str>,
) -> String {
    let events = events(catalogue, facts, filter, public_url);
    let names = filter.names(catalogue);
    let cal = CalendarText {
        names: names.iter().map(String::as_str).collect(),
        all: filter.is_all(),
    };
    let mut w = Writer::default();
    w.line("BEGIN:VCALENDAR");
    w.line("VERSION:2.0");
    w.line("PRODID:-//flisbot//FLIS-udgivelser//DA");
    w.line("CALSCALE:GREGORIAN");
    w.line("METHOD:PUBLISH");
    let name = render_text(WebTemplate::IcalCalname, &cal);
    w.text("X-WR-CALNAME", &name);
    w.text("NAME", &name);
    w.text("X-WR-CALDESC", &render_text(WebTemplate::IcalCaldesc, &cal));
    w.line("X-WR-TIMEZONE:Europe/Copenhagen");
    w.line("REFRESH-INTERVAL;VALUE=DURATION:PT12H");
    w.line("X-PUBLISHED-TTL:PT12H");
    for l in VTIMEZONE {
        w.line(l);
    }
    let dtstamp = stamp.format("%Y%m%dT%H%M%SZ").to_string();
    for e in &events {
        w.line("BEGIN:VEVENT");
        w.text("UID", &e.uid);
        w.line(&format!("DTSTAMP:{dtstamp}"));
        w.line(&format!("DTSTART;VALUE=DATE:{}", ical_date(e.first_day)));
        let end = e
            .last_day
            .checked_add_days(Days::new(1))
            .unwrap_or(e.last_day);
        w.line(&format!("DTEND;VALUE=DATE:{}", ical_date(end)));
        w.text("SUMMARY", &e.summary);
        w.text("DESCRIPTION", &e.description);
        if let Some(url) = &e.url {
            w.line(&format!("URL:{url}"));
        }
        w.line("CATEGORIES:FLIS");
        w.line("TRANSP:TRANSPARENT");
        w.line("CLASS:PUBLIC");
        w.line("END:VEVENT");
    }
    w.line("END:VCALENDAR");
    w.out
}

fn ical_date(d: NaiveDate) -> String {
    format!("{:04}{:02}{:02}", d.year(), d.month(), d.day())
}

/// RFC 5545 TEXT: backslash, semicolon, comma and newline escaped; other controls dropped.
pub fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A content line folded at 75 octets (never inside a UTF-8 sequence), CRLF-terminated.
pub fn fold_line(line: &str, out: &mut String) {
    let mut width = 0;
    for c in line.chars() {
        let n = c.len_utf8();
        if width + n > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += n;
    }
    out.push_str("\r\n");
}

#[derive(Default)]
struct Writer {
    out: String,
}

impl Writer {
    fn line(&mut self, l: &str) {
        fold_line(l, &mut self.out);
    }

    fn text(&mut self, name: &str, value: &str) {
        let mut l = String::with_capacity(name.len() + value.len() + 1);
        let _ = write!(l, "{name}:{}", escape_text(value));
        self.line(&l);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::catalogue::default_catalogue;
    use crate::test_support::at;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn read(q: &str) -> Result<ReadFilter, FilterError> {
        let p: Vec<(String, String)> = q
            .split('&')
            .filter(|s| !s.is_empty())
            .map(|kv| {
                let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
                (k.to_owned(), v.to_owned())
            })
            .collect();
        CalendarFilter::from_pairs(p, q.len())
    }

    fn pairs(q: &str) -> Result<CalendarFilter, FilterError> {
        read(q).map(|r| r.filter)
    }

    #[test]
    fn filters_read_ids_and_names_and_refuse_the_rest_in_danish() {
        let r = read("omraade=dream,KRL&gruppe=beskaeftigelse").unwrap();
        assert!(r.by_id);
        assert_eq!(
            r.filter.areas.iter().copied().collect::<Vec<_>>(),
            [AreaId::Krl, AreaId::Dream]
        );
        assert_eq!(r.filter.groups.len(), 1);
        assert_eq!(r.filter.query(), "omraade=krl,dream&gruppe=beskaeftigelse");
        assert!(pairs("").unwrap().is_all());
        // Names as questions name them: read, and not by id (the adapter redirects).
        let r = read("omraade=Økonomi,okonomi&gruppe=Social og sundhed").unwrap();
        assert!(!r.by_id);
        assert_eq!(r.filter.query(), "omraade=oekonomi&gruppe=social_sundhed");
        for (q, words) in [
            ("omraade=sport", "Ukendt område «sport»"),
            ("gruppe=sport", "Ukendt gruppe «sport»"),
            ("omrade=dream", "Ukendt parameter «omrade»"),
            ("omraade=", "mindst ét"),
            ("omraade=,,", "mindst ét"),
        ] {
            let e = pairs(q).unwrap_err();
            let text = e.danish();
            assert!(text.contains(words), "{q}: {text}");
            assert!(text.len() < 400, "short: {text}");
        }
        let long = format!("omraade={}", "dream,".repeat(300));
        assert!(pairs(&long).unwrap_err().danish().contains("for lang"));
    }

    fn facts(c: &Catalogue, day: &str) -> CatalogueFacts {
        crate::core::facts::catalogue_facts(c, d(day))
    }

    fn find<'a>(evs: &'a [Event], uid: &str) -> &'a Event {
        evs.iter().find(|e| e.uid == uid).unwrap_or_else(|| {
            panic!(
                "{uid}: {:#?}",
                evs.iter().map(|e| &e.uid).collect::<Vec<_>>()
            )
        })
    }

    #[test]
    fn the_unfiltered_calendar_has_one_event_per_release_day_with_its_areas_and_months() {
        let c = default_catalogue();
        let f = facts(c, "2025-09-10");
        let all = events(c, &f, &CalendarFilter::default(), None);
        // One event a day: never two starting on one date.
        let mut starts: Vec<NaiveDate> = all.iter().map(|e| e.first_day).collect();
        starts.dedup();
        assert_eq!(starts.len(), all.len(), "one event per release day");
        let oct = find(&all, "udgivelse-2025-10@flisbot");
        assert_eq!(
            (oct.first_day, oct.last_day),
            (d("2025-10-10"), d("2025-10-10"))
        );
        assert_eq!(oct.summary, "FLIS: datapakker, data t.o.m. august 2025");
        for name in ["Borger", "Økonomi", "KY", "YR", "Udsatte børn og unge"] {
            assert!(
                oct.description.contains(name),
                "{name}: {}",
                oct.description
            );
        }
        assert!(oct
            .description
            .contains("Data t.o.m. august 2025: Borger, Økonomi"));
        assert!(!oct.description.contains("KRL"), "KRL's note gives no date");
        assert!(!oct.description.contains("DFDG"), "down");
        assert!(oct.url.is_none(), "no public address, no URL");
        // Today's release: out for all but KRL.
        let sep = find(&all, "udgivelse-2025-09@flisbot");
        assert_eq!(
            sep.summary,
            "FLIS: datapakker, data t.o.m. juli 2025 – delvist udgivet"
        );
        assert!(sep
            .description
            .contains("Ikke registreret som udgivet: KRL Personale."));
        // The early window: DREAM and Borger Flex in one event, each with its month.
        let early = find(&all, "tidlig-2025-10@flisbot");
        assert_eq!(
            (early.first_day, early.last_day),
            (d("2025-09-19"), d("2025-09-26"))
        );
        assert_eq!(
            early.summary,
            "FLIS: tidlig udlæsning, Borger Flex t.o.m. august 2025; DREAM t.o.m. juni 2025"
        );
        // The DAP cubes: the months of the areas in that release.
        let dap = find(&all, "dap-2025-10@flisbot");
        assert_eq!(
            (dap.first_day, dap.last_day),
            (d("2025-10-11"), d("2025-10-12"))
        );
        assert_eq!(
            dap.summary,
            "FLIS: DAP-kuber, data t.o.m. august 2025; DREAM t.o.m. juni 2025"
        );
        let (from, to) = horizon(f.today);
        assert!(all.iter().all(|e| e.last_day >= from && e.first_day <= to));
        // Every release day the facts give in the horizon that brings anything is an event.
        let days = facts::release_days(c, &f, |_| true, from, to);
        assert_eq!(
            days.iter().filter(|x| x.brings_anything()).count(),
            all.len()
        );
    }

    #[test]
    fn a_filtered_calendar_has_its_areas_only_and_the_dap_cubes_with_their_months() {
        let c = default_catalogue();
        let f = facts(c, "2025-09-10");
        let dream = events(c, &f, &pairs("omraade=dream").unwrap(), None);
        assert_eq!(
            find(&dream, "tidlig-2025-10.dream@flisbot").summary,
            "FLIS: DREAM, data t.o.m. juni 2025"
        );
        assert_eq!(
            find(&dream, "dap-2025-10.dream@flisbot").summary,
            "FLIS: DAP-kuber, data t.o.m. juni 2025",
            "DREAM's month, not the general one"
        );
        assert!(dream
            .iter()
            .all(|e| e.entries.iter().all(|x| x.id == AreaId::Dream)));
        let two = events(c, &f, &pairs("omraade=dream,ky").unwrap(), None);
        assert_eq!(
            find(&two, "dap-2025-10.ky.dream@flisbot").summary,
            "FLIS: DAP-kuber, KY t.o.m. august 2025; DREAM t.o.m. juni 2025"
        );
        assert!(
            events(c, &f, &pairs("omraade=dfdg").unwrap(), None).is_empty(),
            "down"
        );
        let g = pairs("gruppe=beskaeftigelse").unwrap();
        let members: BTreeSet<AreaId> = c.group_members(Group::Beskaeftigelse).collect();
        for e in events(c, &f, &g, None) {
            assert!(
                e.entries.iter().all(|x| members.contains(&x.id)),
                "{}",
                e.uid
            );
        }
    }

    #[test]
    fn events_link_their_page_under_the_public_address() {
        let c = default_catalogue();
        let f = facts(c, "2025-09-10");
        let base = Some("https://flis.example.dk");
        let all = events(c, &f, &CalendarFilter::default(), base);
        assert_eq!(
            find(&all, "udgivelse-2025-10@flisbot").url.as_deref(),
            Some("https://flis.example.dk/kalender#udgivelse-2025-10-10")
        );
        let dream = events(c, &f, &pairs("omraade=dream").unwrap(), base);
        assert!(dream
            .iter()
            .all(|e| e.url.as_deref() == Some("https://flis.example.dk/omraade/dream")));
        let two = events(c, &f, &pairs("omraade=dream,ky").unwrap(), base);
        assert_eq!(
            find(&two, "udgivelse-2025-10.ky.dream@flisbot")
                .url
                .as_deref(),
            Some("https://flis.example.dk/kalender?omraade=ky%2Cdream#udgivelse-2025-10-10")
        );
        let text = calendar_text(
            c,
            &f,
            &CalendarFilter::default(),
            at("2025-09-10T08:00:00Z"),
            base,
        );
        assert!(text.contains("URL:https://flis.example.dk/kalender#udgivelse-2025-10-10\r\n"));
        let plain = calendar_text(
            c,
            &f,
            &CalendarFilter::default(),
            at("2025-09-10T08:00:00Z"),
            None,
        );
        assert!(!plain.contains("URL:"));
    }

    #[test]
    fn a_note_naming_a_later_release_moves_the_event_and_its_month() {
        let m = crate::core::facts::moments::moment("a note naming a later release");
        let krl = events(
            &m.catalogue,
            &m.facts(),
            &pairs("omraade=krl").unwrap(),
            None,
        );
        assert!(
            krl.iter()
                .all(|e| e.release_month != YearMonth::new(2025, 11).unwrap()),
            "November's release did not bring July"
        );
        let dec = find(&krl, "udgivelse-2025-12.krl@flisbot");
        assert_eq!(dec.summary, "FLIS: KRL Personale, data t.o.m. juli 2025");
        assert!(
            dec.description.contains("driftsnoten"),
            "{}",
            dec.description
        );
        assert_eq!(
            find(&krl, "dap-2025-12.krl@flisbot").summary,
            "FLIS: DAP-kuber, data t.o.m. juli 2025"
        );
        assert!(find(&krl, "udgivelse-2026-01.krl@flisbot")
            .summary
            .contains("september 2025"));
    }

    #[test]
    fn release_days_nothing_came_on_leave_the_calendar() {
        // March 2026 with the September catalogue: nothing since is recorded.
        let m = crate::core::facts::moments::moment("a stale catalogue in March 2026");
        let ky = events(
            &m.catalogue,
            &m.facts(),
            &pairs("omraade=ky").unwrap(),
            None,
        );
        assert_eq!(ky[0].uid, "udgivelse-2026-04.ky@flisbot");
        // After a release with KRL excepted, KRL alone has no October event: it did not come.
        let m = crate::core::facts::moments::moment("the 10th, after a release with KRL excepted");
        let krl = events(
            &m.catalogue,
            &m.facts(),
            &pairs("omraade=krl").unwrap(),
            None,
        );
        assert!(krl
            .iter()
            .all(|e| e.release_month != YearMonth::new(2025, 10).unwrap()));
        let all = events(&m.catalogue, &m.facts(), &CalendarFilter::default(), None);
        let oct = find(&all, "udgivelse-2025-10@flisbot");
        assert!(oct.summary.ends_with("delvist udgivet"), "{}", oct.summary);
    }

    #[test]
    fn text_is_escaped_and_lines_are_folded_at_75_octets() {
        assert_eq!(escape_text("a,b;c\\d\ne\u{7}"), "a\\,b\\;c\\\\d\\ne");
        let long = format!("SUMMARY:{}", "æøå ".repeat(40));
        let mut out = String::new();
        fold_line(&long, &mut out);
        for l in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(l.len() <= 75, "{} octets: {l}", l.len());
        }
        let unfolded = out.trim_end_matches("\r\n").replace("\r\n ", "");
        assert_eq!(unfolded, long);
    }

    #[test]
    fn the_calendar_is_well_formed_and_stable() {
        let c = default_catalogue();
        let f = CalendarFilter::default();
        let stamp = at("2025-09-10T08:00:00Z");
        let day = facts(c, "2025-09-10");
        let text = calendar_text(c, &day, &f, stamp, None);
        assert!(text.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
        assert!(text.ends_with("END:VCALENDAR\r\n"));
        assert!(!text.replace("\r\n", "").contains('\n'), "only CRLF");
        assert!(text.split("\r\n").all(|l| l.len() <= 75));
        assert!(text.contains("X-WR-CALNAME:FLIS-udgivelser\r\n"));
        assert!(text.contains("DTSTAMP:20250910T080000Z\r\n"));
        assert!(text.contains("DTSTART;VALUE=DATE:20250919\r\nDTEND;VALUE=DATE:20250927\r\n"));
        assert_eq!(
            text.matches("BEGIN:VEVENT").count(),
            text.matches("END:VEVENT").count()
        );
        assert_eq!(text, calendar_text(c, &day, &f, stamp, None), "stable");
        let named = calendar_text(
            c,
            &day,
            &pairs("omraade=dream&gruppe=beskaeftigelse").unwrap(),
            stamp,
            None,
        );
        assert!(
            named.contains("X-WR-CALNAME:FLIS-udgivelser: DREAM\\, Beskæftigelse\r\n"),
            "{named}"
        );
    }
}
