//! The release calendar as iCalendar (RFC 5545) for `/kalender.ics`: the expected releases from
//! a month back to 12 months ahead as all-day VEVENTs (one day for a release on the 10th, a date
//! range for an early window and for the DAP cubes), with Danish summaries from
//! `responses/web/`, stable UIDs (area and release month) so a subscribed calendar updates
//! instead of duplicating, CRLF line ends, lines folded at 75 octets, TEXT escaped.
//! Pure: "today" and the DTSTAMP come in as arguments.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use chrono::{DateTime, Datelike, Days, Months, NaiveDate, Utc};
use serde::Serialize;

use crate::core::calendar::{self, Release};
use crate::core::catalogue::{AreaId, Cadence, Catalogue, Group, State};
use crate::core::danish_time::{danish_date, danish_window};
use crate::core::status_feed::{group_by_id, group_id};
use crate::core::text::echo;
use crate::core::web_page::render_text;

/// The longest query string `/kalender.ics` reads.
pub const MAX_QUERY_BYTES: usize = 1024;

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
        render_text("error.txt", self)
    }
}

impl CalendarFilter {
    /// Reads the decoded query pairs: `omraade=dream,krl` and `gruppe=beskaeftigelse`, each
    /// repeatable, values separated by commas, case and spaces ignored.
    pub fn from_pairs<K, V>(
        pairs: impl IntoIterator<Item = (K, V)>,
        query_len: usize,
    ) -> Result<Self, FilterError>
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
            for item in value.split(',').map(|s| s.trim().to_lowercase()) {
                if item.is_empty() {
                    continue;
                }
                any = true;
                if name == "omraade" {
                    let id = item
                        .parse::<AreaId>()
                        .map_err(|()| FilterError::UnknownArea {
                            value: echo(&item, 40),
                            known: AreaId::ALL.iter().map(|a| a.as_str()).collect(),
                        })?;
                    filter.areas.insert(id);
                } else {
                    let g = group_by_id(&item).ok_or_else(|| FilterError::UnknownGroup {
                        value: echo(&item, 40),
                        known: Group::ALL.iter().map(|g| group_id(*g)).collect(),
                    })?;
                    filter.groups.insert(g);
                }
            }
            if !any {
                return Err(FilterError::Empty { name });
            }
        }
        Ok(filter)
    }

    pub fn is_all(&self) -> bool {
        self.areas.is_empty() && self.groups.is_empty()
    }

    fn admits(&self, id: AreaId, group: Group) -> bool {
        self.is_all() || self.areas.contains(&id) || self.groups.contains(&group)
    }
}

/// One event before it is written out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    pub uid: String,
    pub first_day: NaiveDate,
    /// Inclusive; DTEND is the day after.
    pub last_day: NaiveDate,
    pub summary: String,
    pub description: String,
}

#[derive(Serialize)]
struct EventText<'a> {
    /// area | dap
    kind: &'static str,
    name: &'a str,
    carries: String,
    when: String,
    early: bool,
    release_day: String,
}

#[derive(Serialize)]
struct CalendarText<'a> {
    names: Vec<&'a str>,
    all: bool,
}

/// The first and last day an event may touch to be in the calendar: a month back (so this
/// month's release stays in view after its day) to 12 months ahead.
pub fn horizon(today: NaiveDate) -> (NaiveDate, NaiveDate) {
    let from = today.checked_sub_months(Months::new(1)).unwrap_or(today);
    let to = today.checked_add_months(Months::new(12)).unwrap_or(today);
    (from, to)
}

fn in_horizon(first: NaiveDate, last: NaiveDate, (from, to): (NaiveDate, NaiveDate)) -> bool {
    last >= from && first <= to
}

/// The releases of `rule` that touch the horizon, oldest first.
fn releases_in_horizon(
    rule: &crate::core::catalogue::ReleaseRule,
    today: NaiveDate,
) -> Vec<Release> {
    let h = horizon(today);
    let this = crate::core::year_month::YearMonth::of_date(today);
    (-2..=14)
        .map(|k| calendar::monthly_release(rule, this.plus(k)))
        .filter(|r| in_horizon(r.first_day, r.last_day, h))
        .collect()
}

/// The calendar's events: every monthly area the filter admits that is not down, each release
/// in the horizon; and the DAP cubes after each general release, when any admitted area is.
pub fn events(catalogue: &Catalogue, filter: &CalendarFilter, today: NaiveDate) -> Vec<Event> {
    let mut out = Vec::new();
    let admitted: Vec<_> = catalogue
        .areas
        .iter()
        .filter(|a| filter.admits(a.id, a.group))
        .filter(|a| a.rule.cadence == Cadence::Monthly && a.state != State::Down)
        .collect();
    for area in &admitted {
        for r in releases_in_horizon(&area.rule, today) {
            let text = EventText {
                kind: "area",
                name: &area.name,
                carries: r.carries.danish(),
                when: danish_window(r.first_day, r.last_day),
                early: r.is_window(),
                release_day: danish_date(release_day(&r)),
            };
            out.push(Event {
                uid: format!("{}-{}@flisbot", area.id, r.release_month),
                first_day: r.first_day,
                last_day: r.last_day,
                summary: render_text("ical_summary.txt", &text),
                description: render_text("ical_description.txt", &text),
            });
        }
    }
    if !admitted.is_empty() {
        let h = horizon(today);
        for r in releases_in_horizon(&calendar::standard_rule(), today) {
            let (first, last) = calendar::dap_window(&r);
            if !in_horizon(first, last, h) {
                continue;
            }
            let text = EventText {
                kind: "dap",
                name: "DAP",
                carries: r.carries.danish(),
                when: danish_window(first, last),
                early: false,
                release_day: danish_date(release_day(&r)),
            };
            out.push(Event {
                uid: format!("dap-{}@flisbot", r.release_month),
                first_day: first,
                last_day: last,
                summary: render_text("ical_summary.txt", &text),
                description: render_text("ical_description.txt", &text),
            });
        }
    }
    out.sort_by(|a, b| (a.first_day, &a.uid).cmp(&(b.first_day, &b.uid)));
    out
}

fn release_day(r: &Release) -> NaiveDate {
    NaiveDate::from_ymd_opt(
        r.release_month.year(),
        r.release_month.month(),
        calendar::RELEASE_DAY,
    )
    .unwrap_or(r.last_day)
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
/// bytes.
pub fn calendar_text(
    catalogue: &Catalogue,
    filter: &CalendarFilter,
    today: NaiveDate,
    stamp: DateTime<Utc>,
) -> String {
    let events = events(catalogue, filter, today);
    let mut names: Vec<&str> = catalogue
        .areas
        .iter()
        .filter(|a| filter.areas.contains(&a.id))
        .map(|a| a.name.as_str())
        .collect();
    names.extend(filter.groups.iter().map(|g| g.danish()));
    let cal = CalendarText {
        names,
        all: filter.is_all(),
    };
    let mut w = Writer::default();
    w.line("BEGIN:VCALENDAR");
    w.line("VERSION:2.0");
    w.line("PRODID:-//flisbot//FLIS-udgivelser//DA");
    w.line("CALSCALE:GREGORIAN");
    w.line("METHOD:PUBLISH");
    let name = render_text("ical_calname.txt", &cal);
    w.text("X-WR-CALNAME", &name);
    w.text("NAME", &name);
    w.text("X-WR-CALDESC", &render_text("ical_caldesc.txt", &cal));
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

    fn pairs(q: &str) -> Result<CalendarFilter, FilterError> {
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

    #[test]
    fn filters_read_areas_and_groups_and_refuse_the_rest_in_danish() {
        let f = pairs("omraade=dream,KRL&gruppe=beskaeftigelse").unwrap();
        assert_eq!(
            f.areas.iter().copied().collect::<Vec<_>>(),
            [AreaId::Krl, AreaId::Dream]
        );
        assert_eq!(f.groups.len(), 1);
        assert!(pairs("").unwrap().is_all());
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

    #[test]
    fn events_follow_the_release_rules_for_a_year() {
        let today = d("2025-09-10");
        let c = default_catalogue();
        let all = events(c, &CalendarFilter::default(), today);
        let dream: Vec<&Event> = all.iter().filter(|e| e.uid.starts_with("dream-")).collect();
        // From a month back to 12 months ahead: the windows of the Sept. 2025 … Sept. 2026
        // releases (the Sept. 2026 window lies in August 2026).
        let rule = &c.area(AreaId::Dream).unwrap().rule;
        for e in &dream {
            let month = e.uid["dream-".len()..e.uid.len() - "@flisbot".len()]
                .parse()
                .unwrap();
            let r = calendar::monthly_release(rule, month);
            assert_eq!((e.first_day, e.last_day), (r.first_day, r.last_day));
            assert!(e.summary.contains(&r.carries.danish()), "{}", e.summary);
        }
        assert!(dream.len() >= 12, "{}", dream.len());
        let first = dream
            .iter()
            .find(|e| e.uid == "dream-2025-10@flisbot")
            .unwrap();
        assert_eq!(first.summary, "FLIS: DREAM, data t.o.m. juni 2025");
        assert_eq!(
            (first.first_day, first.last_day),
            (d("2025-09-19"), d("2025-09-26"))
        );
        let dap = all.iter().find(|e| e.uid == "dap-2025-10@flisbot").unwrap();
        assert_eq!(
            (dap.first_day, dap.last_day),
            (d("2025-10-11"), d("2025-10-12"))
        );
        assert_eq!(dap.summary, "FLIS: DAP-kuber, data t.o.m. august 2025");
        assert!(all.iter().all(|e| !e.uid.starts_with("dfdg-")), "down");
        assert!(all.iter().all(|e| !e.uid.starts_with("ukraine-")), "daily");
        let (from, to) = horizon(today);
        assert!(all.iter().all(|e| e.last_day >= from && e.first_day <= to));
        // Today's release stays in view after its day.
        assert!(all.iter().any(|e| e.uid == "borger-2025-09@flisbot"));
    }

    #[test]
    fn a_filter_keeps_only_its_areas_and_no_filter_keeps_all() {
        let c = default_catalogue();
        let today = d("2026-11-27");
        let f = pairs("omraade=dream,krl").unwrap();
        let evs = events(c, &f, today);
        assert!(evs.iter().all(|e| e.uid.starts_with("dream-")
            || e.uid.starts_with("krl-")
            || e.uid.starts_with("dap-")));
        let g = pairs("gruppe=beskaeftigelse").unwrap();
        let members: BTreeSet<&str> = c
            .group_members(Group::Beskaeftigelse)
            .map(|id| id.as_str())
            .collect();
        for e in events(c, &g, today) {
            let id = e.uid.split('-').next().unwrap();
            assert!(id == "dap" || members.contains(id), "{}", e.uid);
        }
        let only_down = pairs("omraade=dfdg").unwrap();
        assert!(
            events(c, &only_down, today).is_empty(),
            "no DAP without areas"
        );
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
        let text = calendar_text(c, &f, d("2025-09-10"), stamp);
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
        assert_eq!(text, calendar_text(c, &f, d("2025-09-10"), stamp), "stable");
        let named = calendar_text(
            c,
            &pairs("omraade=dream&gruppe=beskaeftigelse").unwrap(),
            d("2025-09-10"),
            stamp,
        );
        assert!(
            named.contains("X-WR-CALNAME:FLIS-udgivelser: DREAM\\, Beskæftigelse\r\n"),
            "{named}"
        );
    }
}
