//! The release calendar as iCalendar (RFC 5545) for `/kalender.ics`: the expected releases from
//! a month back to 12 months ahead as all-day VEVENTs (one day for a release on the 10th, a date
//! range for an early window and for the DAP cubes), with Danish summaries from
//! `responses/web/`, stable UIDs (area and release month) so a subscribed calendar updates
//! instead of duplicating, CRLF line ends, lines folded at 75 octets, TEXT escaped.
//! Pure: "today" and the DTSTAMP come in as arguments.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use chrono::{DateTime, Datelike, Days, Months, NaiveDate, Utc};
use serde::Serialize;

use crate::core::calendar::{self, Release};
use crate::core::catalogue::{Area, AreaId, Catalogue, Group};
use crate::core::danish_time::{danish_date, danish_window};
use crate::core::facts::{area_release, AreaFacts, AreaRelease, CatalogueFacts, Next, NoDate};
use crate::core::status_feed::{group_by_id, group_id};
use crate::core::text::echo;
use crate::core::web_page::render_text;
use crate::core::year_month::YearMonth;

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
    /// The area whose release this is; `None` for the DAP cubes.
    pub area: Option<AreaId>,
    pub release_month: YearMonth,
    /// Data t.o.m. it carries (for the DAP cubes: the most areas' month).
    pub carries: YearMonth,
    /// Operators have recorded the release for the area.
    pub recorded: bool,
}

/// Areas that carry one month, for the DAP cubes' texts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
struct MonthGroup<'a> {
    month: String,
    names: Vec<&'a str>,
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
    recorded: bool,
    by_note: bool,
    /// The DAP cubes: the admitted areas by the month they carry, most areas first.
    groups: Vec<MonthGroup<'a>>,
    /// The calendar is not filtered.
    all: bool,
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

/// The area's releases in the calendar, oldest first, as the facts have them: from its next
/// release on, each as `area_release` gives it (a note naming a later release included), and
/// before that only the releases recorded for it. Nothing ahead where a note gives no date, and
/// nothing at all for an area that is down or not monthly.
pub fn area_releases(
    area: &Area,
    catalogue: &Catalogue,
    f: &AreaFacts,
    today: NaiveDate,
) -> Vec<AreaRelease> {
    let (ahead_from, ahead) = match f.next {
        Next::Release { release, .. } => (release.release_month, true),
        Next::None {
            why: NoDate::Note {
                rule: Some(rule), ..
            },
        } => (rule.release_month, false),
        _ => return Vec::new(),
    };
    let h = horizon(today);
    let this = YearMonth::of_date(today);
    (-2..=14)
        .filter_map(|k| area_release(area, catalogue, this.plus(k)))
        .filter(|r| in_horizon(r.release.first_day, r.release.last_day, h))
        .filter(|r| {
            if r.release.release_month >= ahead_from {
                ahead
            } else {
                r.recorded
            }
        })
        .collect()
}

/// Groups `(month, name)` by month: the month most areas carry first (the newer on a tie).
fn by_month<'a>(items: &[(YearMonth, &'a str)]) -> Vec<(YearMonth, Vec<&'a str>)> {
    let mut groups: Vec<(YearMonth, Vec<&'a str>)> = Vec::new();
    for (m, name) in items {
        match groups.iter_mut().find(|(gm, _)| gm == m) {
            Some((_, names)) => names.push(name),
            None => groups.push((*m, vec![name])),
        }
    }
    groups.sort_by(|(ma, a), (mb, b)| b.len().cmp(&a.len()).then(mb.cmp(ma)));
    groups
}

/// The calendar's events on the facts' day: the releases of every area the filter admits (see
/// [`area_releases`]), and the DAP cubes after each release on the 10th that an admitted area
/// has an event in, saying the months those areas carry.
pub fn events(
    catalogue: &Catalogue,
    facts: &CatalogueFacts,
    filter: &CalendarFilter,
) -> Vec<Event> {
    let today = facts.today;
    let mut out = Vec::new();
    let mut dap: BTreeMap<YearMonth, Vec<(YearMonth, &str)>> = BTreeMap::new();
    for area in catalogue
        .areas
        .iter()
        .filter(|a| filter.admits(a.id, a.group))
    {
        let Some(f) = facts.area(area.id) else {
            continue;
        };
        for r in area_releases(area, catalogue, f, today) {
            let rel = r.release;
            let text = EventText {
                kind: "area",
                name: &area.name,
                carries: rel.carries.danish(),
                when: danish_window(rel.first_day, rel.last_day),
                early: rel.is_window(),
                release_day: danish_date(release_day(&rel)),
                recorded: r.recorded,
                by_note: r.by_note,
                groups: Vec::new(),
                all: filter.is_all(),
            };
            out.push(Event {
                uid: format!("{}-{}@flisbot", area.id, rel.release_month),
                first_day: rel.first_day,
                last_day: rel.last_day,
                summary: render_text("ical_summary.txt", &text),
                description: render_text("ical_description.txt", &text),
                area: Some(area.id),
                release_month: rel.release_month,
                carries: rel.carries,
                recorded: r.recorded,
            });
            dap.entry(rel.release_month)
                .or_default()
                .push((rel.carries, area.name.as_str()));
        }
    }
    let h = horizon(today);
    for (month, members) in &dap {
        let general = calendar::general_release(*month);
        let (first, last) = calendar::dap_window(&general);
        if !in_horizon(first, last, h) {
            continue;
        }
        let groups = by_month(members);
        let Some((carries, _)) = groups.first() else {
            continue;
        };
        let carries = *carries;
        let text = EventText {
            kind: "dap",
            name: "DAP",
            carries: carries.danish(),
            when: danish_window(first, last),
            early: false,
            release_day: danish_date(general.last_day),
            recorded: false,
            by_note: false,
            groups: groups
                .into_iter()
                .map(|(m, names)| MonthGroup {
                    month: m.danish(),
                    names,
                })
                .collect(),
            all: filter.is_all(),
        };
        out.push(Event {
            uid: format!("dap-{month}@flisbot"),
            first_day: first,
            last_day: last,
            summary: render_text("ical_summary.txt", &text),
            description: render_text("ical_description.txt", &text),
            area: None,
            release_month: *month,
            carries,
            recorded: false,
        });
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
    facts: &CatalogueFacts,
    filter: &CalendarFilter,
    stamp: DateTime<Utc>,
) -> String {
    let events = events(catalogue, facts, filter);
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

    fn facts(c: &Catalogue, day: &str) -> CatalogueFacts {
        crate::core::facts::catalogue_facts(c, d(day))
    }

    fn find<'a>(evs: &'a [Event], uid: &str) -> Option<&'a Event> {
        evs.iter().find(|e| e.uid == uid)
    }

    #[test]
    fn events_follow_the_facts_for_a_year() {
        let c = default_catalogue();
        let f = facts(c, "2025-09-10");
        let all = events(c, &f, &CalendarFilter::default());
        let dream: Vec<&Event> = all.iter().filter(|e| e.uid.starts_with("dream-")).collect();
        // From a month back to 12 months ahead, each as the facts give it: September's window
        // (recorded) and the windows of the October 2025 … September 2026 releases.
        let area = c.area(AreaId::Dream).unwrap();
        for e in &dream {
            let r = area_release(area, c, e.release_month).unwrap();
            assert_eq!(
                (e.first_day, e.last_day),
                (r.release.first_day, r.release.last_day)
            );
            assert_eq!(e.carries, r.release.carries);
            assert!(
                e.summary.contains(&r.release.carries.danish()),
                "{}",
                e.summary
            );
        }
        assert_eq!(dream.len(), 13);
        let first = find(&all, "dream-2025-10@flisbot").unwrap();
        assert_eq!(first.summary, "FLIS: DREAM, data t.o.m. juni 2025");
        assert_eq!(
            (first.first_day, first.last_day),
            (d("2025-09-19"), d("2025-09-26"))
        );
        assert!(find(&all, "dream-2025-09@flisbot").unwrap().recorded);
        // The DAP cubes after October's release: the months the areas in it carry.
        let dap = find(&all, "dap-2025-10@flisbot").unwrap();
        assert_eq!(
            (dap.first_day, dap.last_day),
            (d("2025-10-11"), d("2025-10-12"))
        );
        assert_eq!(
            dap.summary,
            "FLIS: DAP-kuber, data t.o.m. august 2025; DREAM t.o.m. juni 2025"
        );
        assert!(
            dap.description.contains("Data t.o.m. juni 2025: DREAM."),
            "{}",
            dap.description
        );
        for gone in ["dfdg-", "aeldre-", "ukraine-"] {
            assert!(
                all.iter().all(|e| !e.uid.starts_with(gone)),
                "{gone}: down or daily"
            );
        }
        // KRL's note ("Data for maj … snarest muligt") and Skole's ("tidsplan … pt. ukendt")
        // give no date: nothing ahead; what is recorded stays in view (KRL has April, which
        // came in August, not May, which September's release should have brought).
        let of = |id| -> Vec<&str> {
            all.iter()
                .filter(|e| e.area == Some(id))
                .map(|e| e.uid.as_str())
                .collect()
        };
        assert_eq!(of(AreaId::Krl), ["krl-2025-08@flisbot"]);
        assert_eq!(
            of(AreaId::Skole),
            ["skole-2025-08@flisbot", "skole-2025-09@flisbot"]
        );
        assert!(all
            .iter()
            .filter(|e| e.area.is_some())
            .filter(|e| e.recorded)
            .all(|e| e.first_day <= f.today));
        let (from, to) = horizon(f.today);
        assert!(all.iter().all(|e| e.last_day >= from && e.first_day <= to));
        // Today's release stays in view after its day, said as recorded.
        let borger = find(&all, "borger-2025-09@flisbot").unwrap();
        assert!(borger.recorded && borger.description.contains("registreret som udgivet"));
    }

    #[test]
    fn a_filtered_calendar_says_its_own_areas_months_in_the_dap_event() {
        let c = default_catalogue();
        let f = facts(c, "2025-09-10");
        let dream = events(c, &f, &pairs("omraade=dream").unwrap());
        assert_eq!(
            find(&dream, "dap-2025-10@flisbot").unwrap().summary,
            "FLIS: DAP-kuber, data t.o.m. juni 2025",
            "DREAM's month, not the general one"
        );
        let two = events(c, &f, &pairs("omraade=dream,ky").unwrap());
        assert_eq!(
            find(&two, "dap-2025-10@flisbot").unwrap().summary,
            "FLIS: DAP-kuber, KY t.o.m. august 2025; DREAM t.o.m. juni 2025"
        );
        let only_down = events(c, &f, &pairs("omraade=dfdg").unwrap());
        assert!(only_down.is_empty(), "no DAP without areas");
    }

    #[test]
    fn a_note_naming_a_later_release_moves_the_event_and_its_month() {
        let m = crate::core::facts::moments::moment("a note naming a later release");
        let krl = events(&m.catalogue, &m.facts(), &pairs("omraade=krl").unwrap());
        assert!(
            find(&krl, "krl-2025-11@flisbot").is_none(),
            "November's release did not bring July"
        );
        let dec = find(&krl, "krl-2025-12@flisbot").unwrap();
        assert_eq!(dec.summary, "FLIS: KRL Personale, data t.o.m. juli 2025");
        assert!(
            dec.description.contains("driftsnoten"),
            "{}",
            dec.description
        );
        assert_eq!(
            find(&krl, "dap-2025-12@flisbot").unwrap().summary,
            "FLIS: DAP-kuber, data t.o.m. juli 2025"
        );
        assert_eq!(
            find(&krl, "krl-2026-01@flisbot").unwrap().carries,
            YearMonth::new(2025, 9).unwrap()
        );
    }

    #[test]
    fn unrecorded_releases_behind_us_leave_the_calendar() {
        // March 2026 with the September catalogue: nothing since is recorded.
        let m = crate::core::facts::moments::moment("a stale catalogue in March 2026");
        let ky = events(&m.catalogue, &m.facts(), &pairs("omraade=ky").unwrap());
        let first = ky.iter().find(|e| e.area.is_some()).unwrap();
        assert_eq!(first.uid, "ky-2026-04@flisbot");
        // After a release with KRL excepted, KRL has no October event: it did not come.
        let m = crate::core::facts::moments::moment("the 10th, after a release with KRL excepted");
        let all = events(&m.catalogue, &m.facts(), &CalendarFilter::default());
        assert!(find(&all, "krl-2025-10@flisbot").is_none());
        assert!(find(&all, "ky-2025-10@flisbot").unwrap().recorded);
    }

    #[test]
    fn a_filter_keeps_only_its_areas_and_no_filter_keeps_all() {
        let c = default_catalogue();
        let f = facts(c, "2026-11-27");
        let evs = events(c, &f, &pairs("omraade=dream,krl").unwrap());
        assert!(evs.iter().all(|e| e.uid.starts_with("dream-")
            || e.uid.starts_with("krl-")
            || e.uid.starts_with("dap-")));
        let g = pairs("gruppe=beskaeftigelse").unwrap();
        let members: BTreeSet<&str> = c
            .group_members(Group::Beskaeftigelse)
            .map(|id| id.as_str())
            .collect();
        for e in events(c, &f, &g) {
            let id = e.uid.split('-').next().unwrap();
            assert!(id == "dap" || members.contains(id), "{}", e.uid);
        }
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
        let text = calendar_text(c, &day, &f, stamp);
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
        assert_eq!(text, calendar_text(c, &day, &f, stamp), "stable");
        let named = calendar_text(
            c,
            &day,
            &pairs("omraade=dream&gruppe=beskaeftigelse").unwrap(),
            stamp,
        );
        assert!(
            named.contains("X-WR-CALNAME:FLIS-udgivelser: DREAM\\, Beskæftigelse\r\n"),
            "{named}"
        );
    }
}
