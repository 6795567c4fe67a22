//! Every surface agrees with the area facts (issue 17, point 2). At each moment of the table
//! ([`moments`]), each surface states, for every area it shows, the same state, data t.o.m.,
//! behind, stale flag and next release as the facts, lists problems in the facts' order and
//! counts them as the facts do.
//!
//! A surface is a reader: it takes what the surface shows (the served JSON, the page's view and
//! HTML, the calendar's text, the announcement, the plan `flisbot calendar` prints) and turns it
//! into [`Said`], in words every surface can be brought to (months and dates in Danish, the next
//! release as "window / t.o.m.", "dagligt <date>" or "ingen"). A field a surface does not state
//! stays `None`. The chat surfaces (chat answers, the overview and problem list, the status
//! board and notices) have their readers in [`chat`]; the release calendar page (`/kalender`),
//! the badges and the day-by-day `flisbot calendar` are read here. A surface joins by adding a
//! reader to
//! [`SURFACES`]; the moments and the comparison stay as they are.

mod chat;

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};

use super::danish::{danish_date, danish_window, Danish};
use crate::core::announce::{announcement, announcement_day, AnnouncementId, Kind};
use crate::core::catalogue::{AreaId, Cadence, State};
use crate::core::facts::moments::{instant, moments, Moment};
use crate::core::facts::{catalogue_facts, AreaFacts, CatalogueFacts, Next};
use crate::core::year_month::YearMonth;
use crate::views::ical::{calendar_text, CalendarFilter};
use crate::views::kalender::{kalender_page, DayView, NoDateView};
use crate::views::release_plan::release_plan;
use crate::views::status_feed::{area_page, badge_view, status_feed, status_page, AreaRow};
use crate::views::web_page::{badge_svg, kalender_html, status_html, visible_text};

/// "Behind" as a surface states it: not at all, without the months, or by how many.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum BehindSaid {
    No,
    Yes,
    Months(u32),
}

impl BehindSaid {
    fn months(n: u64) -> BehindSaid {
        match u32::try_from(n) {
            Ok(0) => BehindSaid::No,
            Ok(n) => BehindSaid::Months(n),
            Err(_) => BehindSaid::Yes,
        }
    }
}

/// What a surface states about one area; `None` where it does not state it.
#[derive(Clone, Debug, Default, PartialEq)]
struct Said {
    state: Option<State>,
    through: Option<Option<String>>,
    behind: Option<BehindSaid>,
    stale: Option<bool>,
    /// The next release in words.
    next: Option<String>,
    /// A release the surface says is *not* the area's next (an announcement naming an area as
    /// not in it).
    next_is_not: Option<String>,
}

impl Said {
    /// Adds what `other` states (a surface that states an area in several places).
    fn merge(&mut self, other: Said) {
        self.state = self.state.or(other.state);
        self.through = self.through.take().or(other.through);
        self.behind = self.behind.or(other.behind);
        self.stale = self.stale.or(other.stale);
        self.next = self.next.take().or(other.next);
        self.next_is_not = self.next_is_not.take().or(other.next_is_not);
    }
}

/// What a surface states at one moment.
#[derive(Debug, Default)]
struct Reading {
    /// Which part of the surface ("the monthly announcement of oktober 2025").
    what: String,
    areas: BTreeMap<AreaId, Said>,
    /// The problems in the order shown.
    problems: Option<Vec<AreaId>>,
    /// The number of problems the surface says.
    problem_count: Option<usize>,
    catalogue_stale: Option<bool>,
    /// The day whose facts it states, when not the moment's (an announcement is about its
    /// release's day).
    day: Option<NaiveDate>,
}

type Reader = fn(&Moment, &CatalogueFacts) -> Vec<Reading>;

/// Every surface: its name, its reader, and whether it states every area (the others state
/// those they name).
const SURFACES: &[(&str, Reader, bool)] = &[
    ("JSON feed", feed, true),
    ("status page", page, true),
    ("area pages", area_pages, true),
    ("iCalendar", calendars, false),
    ("announcements", announcements, false),
    ("flisbot calendar", plan, true),
    ("chat answers", chat::chat_answers, true),
    ("chat overview", chat::chat_overview, true),
    ("chat problems", chat::chat_problems, false),
    ("status board", chat::board, true),
    ("notices", chat::notices, true),
    ("/kalender", kalender, true),
    ("badges", badges, true),
];

// ------------------------------------------------------------------------------ words

fn month_words(m: YearMonth) -> String {
    m.danish()
}

fn release_words(first: NaiveDate, last: NaiveDate, carries: &str) -> String {
    format!("{} / {carries}", danish_window(first, last))
}

fn daily_words(date: NaiveDate) -> String {
    format!("dagligt {}", danish_date(date))
}

const NONE: &str = "ingen";

fn next_words(next: &Next) -> String {
    match next {
        Next::Release { release, .. } => release_words(
            release.first_day,
            release.last_day,
            &month_words(release.carries),
        ),
        Next::Daily { date } => daily_words(*date),
        Next::None { .. } => NONE.to_owned(),
    }
}

// ------------------------------------------------------------------------------ the readers

fn feed(m: &Moment, facts: &CatalogueFacts) -> Vec<Reading> {
    let json = serde_json::to_value(status_feed(&m.catalogue, facts)).unwrap();
    let month = |v: &serde_json::Value| {
        v.as_str()
            .map(|s| month_words(s.parse::<YearMonth>().unwrap()))
    };
    let date = |v: &serde_json::Value| v.as_str().unwrap().parse::<NaiveDate>().unwrap();
    let mut r = Reading {
        what: "/api/status.json".into(),
        ..Reading::default()
    };
    for a in json["areas"].as_array().unwrap() {
        let id: AreaId = a["id"].as_str().unwrap().parse().unwrap();
        let n = &a["next_release"];
        let next = if n.is_null() {
            NONE.to_owned()
        } else if n["cadence"] == "daily" {
            daily_words(date(&n["first_day"]))
        } else {
            release_words(
                date(&n["first_day"]),
                date(&n["last_day"]),
                &month(&n["carries"]).unwrap(),
            )
        };
        r.areas.insert(
            id,
            Said {
                state: Some(a["state"].as_str().unwrap().parse().unwrap()),
                through: Some(month(&a["through"])),
                behind: Some(BehindSaid::months(a["behind_months"].as_u64().unwrap())),
                stale: a["stale"].as_bool(),
                next: Some(next),
                next_is_not: None,
            },
        );
    }
    let ids = |v: &serde_json::Value| -> Vec<AreaId> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_str().unwrap().parse().unwrap())
            .collect()
    };
    r.problems = Some(ids(&json["problems"]));
    r.problem_count = r.problems.as_ref().map(Vec::len);
    r.catalogue_stale = json["stale"].as_bool();
    vec![r]
}

/// What a row of the status page (or an area page) states.
fn row_said(row: &AreaRow) -> Said {
    let next = match row.next_cadence {
        "monthly" => release_words_of_row(row),
        "daily" => format!("dagligt {}", row.next_when.clone().unwrap()),
        _ => NONE.to_owned(),
    };
    Said {
        state: Some(row.state.parse().unwrap()),
        through: Some(row.through.clone()),
        behind: Some(BehindSaid::months(u64::from(row.behind_months))),
        stale: Some(row.stale),
        next: Some(next),
        next_is_not: None,
    }
}

fn release_words_of_row(row: &AreaRow) -> String {
    format!(
        "{} / {}",
        row.next_when.clone().unwrap(),
        row.next_carries.clone().unwrap()
    )
}

/// The number in the page's sentence about problems (the banner's title, or for a stale
/// status the sentence under it).
fn problems_sentence(html: &str) -> usize {
    let text = visible_text(html);
    let html = text.as_str();
    if html.contains("Alle dataområder kører efter planen")
        || html.contains("kørte alle dataområder efter planen")
    {
        return 0;
    }
    if html.contains("1 dataområde har problemer") || html.contains("1 dataområde havde problemer")
    {
        return 1;
    }
    let end = html
        .find(" dataområder har problemer")
        .or_else(|| html.find(" dataområder havde problemer"))
        .unwrap();
    let start = html[..end]
        .rfind(|c: char| !c.is_ascii_digit())
        .map_or(0, |i| i + 1);
    html[start..end].parse().unwrap()
}

fn page(m: &Moment, facts: &CatalogueFacts) -> Vec<Reading> {
    let view = status_page(&m.catalogue, facts);
    let html = status_html(&view);
    let mut r = Reading {
        what: "/".into(),
        ..Reading::default()
    };
    for row in &view.rows {
        r.areas.insert(row.id.parse().unwrap(), row_said(row));
    }
    r.problems = Some(
        view.rows
            .iter()
            .filter(|x| x.problem)
            .map(|x| x.id.parse().unwrap())
            .collect(),
    );
    r.problem_count = Some(problems_sentence(&html));
    r.catalogue_stale = Some(html.contains("banner-stale"));
    vec![r]
}

fn area_pages(m: &Moment, facts: &CatalogueFacts) -> Vec<Reading> {
    let mut r = Reading {
        what: "/omraade/{id}".into(),
        ..Reading::default()
    };
    for id in AreaId::ALL {
        let p = area_page(&m.catalogue, facts, *id, &[]).unwrap();
        let mut said = row_said(&p.area);
        // The table of coming releases must open with the next release the row names.
        if p.area.next_cadence == "monthly" {
            said.next = p
                .releases
                .first()
                .map(|x| format!("{} / {}", x.when, x.carries))
                .or(Some(NONE.to_owned()));
        } else if !p.releases.is_empty() {
            said.next = Some(format!("{} releases, no next release", p.releases.len()));
        }
        r.areas.insert(*id, said);
    }
    vec![r]
}

/// One VEVENT of a calendar text: UID, first and last day, SUMMARY, DESCRIPTION.
struct IcsEvent {
    uid: String,
    first: NaiveDate,
    last: NaiveDate,
    summary: String,
    description: String,
}

fn parse_ics(text: &str) -> Vec<IcsEvent> {
    let unfolded = text.replace("\r\n ", "");
    let unescape = |s: &str| {
        s.replace("\\n", "\n")
            .replace("\\,", ",")
            .replace("\\;", ";")
            .replace("\\\\", "\\")
    };
    let day = |s: &str| NaiveDate::parse_from_str(s, "%Y%m%d").unwrap();
    let mut out = Vec::new();
    for block in unfolded.split("BEGIN:VEVENT\r\n").skip(1) {
        let field = |name: &str| {
            block
                .split("\r\n")
                .find_map(|l| l.strip_prefix(name))
                .unwrap()
                .to_owned()
        };
        out.push(IcsEvent {
            uid: field("UID:"),
            first: day(&field("DTSTART;VALUE=DATE:")),
            last: day(&field("DTEND;VALUE=DATE:")).pred_opt().unwrap(),
            summary: unescape(&field("SUMMARY:")),
            description: unescape(&field("DESCRIPTION:")),
        });
    }
    out
}

/// The months a summary says ("…, data t.o.m. juli 2025").
fn summary_months(summary: &str) -> &str {
    summary.rsplit("data t.o.m. ").next().unwrap()
}

/// A summary of a release day said as recorded ("… – udgivet", "… – delvist udgivet").
fn said_recorded(summary: &str) -> bool {
    summary.ends_with(" – udgivet") || summary.ends_with(" – delvist udgivet")
}

fn calendars(m: &Moment, facts: &CatalogueFacts) -> Vec<Reading> {
    let stamp: DateTime<Utc> = instant("2025-01-01T00:00:00Z");
    let mut r = Reading {
        what: "/kalender.ics?omraade={id}".into(),
        ..Reading::default()
    };
    for area in &m.catalogue.areas {
        if area.rule.cadence == Cadence::Daily {
            continue; // the calendar has no nightly events
        }
        let filter = CalendarFilter::of_area(area.id);
        let events = parse_ics(&calendar_text(&m.catalogue, facts, &filter, stamp, None));
        // What is recorded stays in view; the first release day not said as recorded is next.
        let next = events
            .iter()
            .filter(|e| !e.uid.starts_with("dap-"))
            .filter(|e| !said_recorded(&e.summary))
            .min_by_key(|e| e.first);
        if let Some(e) = next {
            assert_eq!(
                e.summary,
                format!(
                    "FLIS: {}, data t.o.m. {}",
                    area.name,
                    summary_months(&e.summary)
                ),
                "{}: {}: a calendar of one area names it",
                m.name,
                area.id
            );
        }
        let said_next = next.map_or(NONE.to_owned(), |e| {
            release_words(e.first, e.last, summary_months(&e.summary))
        });
        // The DAP cubes after it say this area's months.
        if let Some(e) = next {
            let month = e
                .uid
                .split(['-', '.'])
                .skip(1)
                .take(2)
                .collect::<Vec<_>>()
                .join("-");
            if let Some(dap) = events
                .iter()
                .find(|d| d.uid.starts_with(&format!("dap-{month}.")))
            {
                assert_eq!(
                    summary_months(&dap.summary),
                    summary_months(&e.summary),
                    "{}: {}: the DAP cubes of a calendar of one area say its months",
                    m.name,
                    area.id
                );
            }
        }
        r.areas.insert(
            area.id,
            Said {
                next: Some(said_next),
                ..Said::default()
            },
        );
    }
    // The unfiltered calendar: one event a day, naming each area it brings with its month.
    let all = parse_ics(&calendar_text(
        &m.catalogue,
        facts,
        &CalendarFilter::default(),
        stamp,
        None,
    ));
    let mut starts: Vec<NaiveDate> = all.iter().map(|e| e.first).collect();
    starts.dedup();
    assert_eq!(
        starts.len(),
        all.len(),
        "{}: one event per release day",
        m.name
    );
    for f in &facts.areas {
        if let Next::Release { release, .. } = f.next {
            let name = &m.catalogue.area(f.id).unwrap().name;
            let day = all.iter().find(|e| e.first == release.first_day);
            assert!(
                day.is_some_and(|e| e.description.contains(name.as_str())),
                "{}: {name}'s next release is in the day's event",
                m.name
            );
        }
    }
    vec![r]
}

fn announcements(m: &Moment, facts: &CatalogueFacts) -> Vec<Reading> {
    let ids = [
        AnnouncementId {
            kind: Kind::Monthly,
            release_month: facts.latest.release.release_month,
        },
        AnnouncementId {
            kind: Kind::Early,
            release_month: facts.next.release.release_month,
        },
    ];
    let id_of = |name: &str| {
        m.catalogue
            .areas
            .iter()
            .find(|a| a.name == name)
            .map(|a| a.id)
            .unwrap()
    };
    let mut out = Vec::new();
    for id in ids {
        let Some(view) = announcement(&m.catalogue, id, None) else {
            continue;
        };
        let mut r = Reading {
            what: format!("the {:?} announcement of {}", id.kind, view.release_month),
            day: announcement_day(&m.catalogue, id),
            ..Reading::default()
        };
        let mut say = |name: &str, said: Said| {
            r.areas.entry(id_of(name)).or_default().merge(said);
        };
        // Out: recorded, with that t.o.m.; not behind.
        for g in view.out.iter().chain(&view.early) {
            for name in &g.names {
                say(
                    name,
                    Said {
                        through: Some(Some(g.month.to_string())),
                        behind: Some(BehindSaid::No),
                        ..Said::default()
                    },
                );
            }
        }
        // Expected: this release is the area's next.
        let when = view.when.to_string();
        for g in &view.expected {
            for name in &g.names {
                say(
                    name,
                    Said {
                        next: Some(format!("{when} / {}", g.month)),
                        ..Said::default()
                    },
                );
            }
        }
        // Not in it (not recorded, or by its note): this release is not the area's next.
        for line in view.missing.iter().chain(&view.no_date) {
            say(
                &line.name,
                Said {
                    through: Some(line.through.map(|m| m.to_string())),
                    next_is_not: Some(when.clone()),
                    ..Said::default()
                },
            );
        }
        for (lines, state) in [
            (&view.down, State::Down),
            (&view.disturbed, State::Disturbed),
        ] {
            for line in lines {
                say(
                    &line.name,
                    Said {
                        state: Some(state),
                        ..Said::default()
                    },
                );
            }
        }
        out.push(r);
    }
    out
}

/// Where a list of release days (the calendar page, `flisbot calendar`) puts each area: the
/// first day it is expected on, or its line without a date.
fn days_said(
    m: &Moment,
    days: &[&DayView],
    no_date: &[&NoDateView],
    behind: Option<&BTreeMap<String, u32>>,
) -> BTreeMap<AreaId, Said> {
    let mut out = BTreeMap::new();
    for area in &m.catalogue.areas {
        let id = area.id.as_str();
        let mut said = Said::default();
        if let Some(n) = no_date.iter().find(|n| n.id == id) {
            match n.why {
                "daily" => {}
                "down" => {
                    said.state = Some(State::Down);
                    said.next = Some(NONE.to_owned());
                }
                _ => said.next = Some(NONE.to_owned()),
            }
        } else {
            let next = days
                .iter()
                .filter(|d| d.kind != "dap")
                .filter(|d| matches!(d.status, "expected" | "due_today" | "in_progress"))
                .find_map(|d| {
                    d.groups
                        .iter()
                        .find(|g| g.names.iter().any(|n| n.id == id))
                        .map(|g| format!("{} / {}", d.when, g.month))
                });
            said.next = Some(next.unwrap_or_else(|| "not listed".to_owned()));
        }
        if let Some(behind) = behind {
            said.behind = Some(BehindSaid::months(u64::from(
                behind.get(&area.name).copied().unwrap_or(0),
            )));
        }
        out.insert(area.id, said);
    }
    out
}

fn plan(m: &Moment, facts: &CatalogueFacts) -> Vec<Reading> {
    let view = release_plan(&m.catalogue, facts, 3);
    let days: Vec<&DayView> = view.days.iter().collect();
    let no_date: Vec<&NoDateView> = view.no_date.iter().map(|n| &n.area).collect();
    let behind: BTreeMap<String, u32> = view
        .behind
        .iter()
        .map(|b| (b.name.clone(), b.months))
        .collect();
    vec![Reading {
        what: "flisbot calendar".into(),
        areas: days_said(m, &days, &no_date, Some(&behind)),
        ..Reading::default()
    }]
}

fn kalender(m: &Moment, facts: &CatalogueFacts) -> Vec<Reading> {
    let page = kalender_page(&m.catalogue, facts, &CalendarFilter::default(), None);
    let html = kalender_html(&page);
    let days: Vec<&DayView> = page.months.iter().flat_map(|x| &x.days).collect();
    let no_date: Vec<&NoDateView> = page.no_date.iter().collect();
    // Each day the page lists is in its HTML, with its anchor.
    for d in &days {
        assert!(
            html.contains(&format!("id=\"{}\"", d.anchor)),
            "{}: /kalender: {} not shown",
            m.name,
            d.anchor
        );
    }
    vec![Reading {
        what: "/kalender".into(),
        areas: days_said(m, &days, &no_date, None),
        catalogue_stale: Some(html.contains("banner-stale")),
        ..Reading::default()
    }]
}

fn badges(m: &Moment, facts: &CatalogueFacts) -> Vec<Reading> {
    let mut r = Reading {
        what: "/badge/{id}.svg".into(),
        ..Reading::default()
    };
    for id in AreaId::ALL {
        let svg = badge_svg(&badge_view(&m.catalogue, facts, *id).unwrap());
        // The state is its colour (the message box's fill), the t.o.m. and "bagud" its words.
        let fill = svg
            .split("class=\"state\"")
            .nth(1)
            .and_then(|rest| rest.split("fill=\"").nth(1))
            .and_then(|rest| rest.split('"').next())
            .unwrap();
        let state = match fill {
            "#1a7f37" => State::Ok,
            "#f5c542" => State::Disturbed,
            "#b3261e" => State::Down,
            other => panic!("{id}: fill {other}"),
        };
        let message = svg
            .rsplit("lengthAdjust=\"spacingAndGlyphs\">")
            .next()
            .and_then(|rest| rest.split('<').next())
            .unwrap();
        let through = message
            .split(" · ")
            .find_map(|part| part.strip_prefix("t.o.m. "))
            .map(str::to_owned);
        r.areas.insert(
            *id,
            Said {
                state: Some(state),
                through: Some(through),
                behind: Some(if message.contains("bagud") {
                    BehindSaid::Yes
                } else {
                    BehindSaid::No
                }),
                ..Said::default()
            },
        );
    }
    vec![r]
}

// ------------------------------------------------------------------------------ the comparison

/// Where `said` differs from the facts `f`, in words.
fn differences(said: &Said, f: &AreaFacts) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(s) = said.state {
        if s != f.state {
            out.push(format!("state {s:?}, the facts {:?}", f.state));
        }
    }
    if let Some(t) = &said.through {
        let want = f.through.map(month_words);
        if *t != want {
            out.push(format!("t.o.m. {t:?}, the facts {want:?}"));
        }
    }
    if let Some(b) = said.behind {
        let months = f.behind.map(|b| b.months);
        let agrees = match b {
            BehindSaid::No => months.is_none(),
            BehindSaid::Yes => months.is_some(),
            BehindSaid::Months(n) => months == Some(n),
        };
        if !agrees {
            out.push(format!("behind {b:?}, the facts {months:?}"));
        }
    }
    if let Some(s) = said.stale {
        if s != f.stale {
            out.push(format!("stale {s}, the facts {}", f.stale));
        }
    }
    let want = next_words(&f.next);
    if let Some(n) = &said.next {
        if *n != want {
            out.push(format!("next {n:?}, the facts {want:?}"));
        }
    }
    if let Some(not) = &said.next_is_not {
        if want.starts_with(&format!("{not} /")) {
            out.push(format!("not in the release of {not}, the facts {want:?}"));
        }
    }
    out
}

#[test]
fn every_surface_states_what_the_facts_say_at_every_moment() {
    let mut failures = Vec::new();
    let mut checked = 0;
    for m in moments() {
        let facts = m.facts();
        for (surface, read, all_areas) in SURFACES {
            for reading in read(&m, &facts) {
                let judged = reading
                    .day
                    .map_or_else(|| facts.clone(), |d| catalogue_facts(&m.catalogue, d));
                let at = format!("{} / {surface} ({})", m.name, reading.what);
                if *all_areas && reading.areas.len() != AreaId::ALL.len() {
                    failures.push(format!("{at}: {} areas", reading.areas.len()));
                }
                for (id, said) in &reading.areas {
                    let f = judged.area(*id).unwrap();
                    for d in differences(said, f) {
                        failures.push(format!("{at}: {id}: {d}"));
                    }
                    checked += 1;
                }
                let want: Vec<AreaId> = judged.problems().iter().map(|f| f.id).collect();
                if let Some(p) = &reading.problems {
                    if *p != want {
                        failures.push(format!("{at}: problems {p:?}, the facts {want:?}"));
                    }
                }
                if let Some(n) = reading.problem_count {
                    if n != want.len() {
                        failures.push(format!("{at}: {n} problems, the facts {}", want.len()));
                    }
                }
                if let Some(s) = reading.catalogue_stale {
                    if s != judged.stale {
                        failures.push(format!("{at}: stale {s}, the facts {}", judged.stale));
                    }
                }
            }
        }
    }
    assert!(checked > 1000, "the table is read: {checked} statements");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_surface_that_says_something_else_is_caught() {
    // The comparison itself: a wrong state, t.o.m., behind, stale flag or next release fails.
    let m = moments().remove(0);
    let facts = m.facts();
    let krl = facts.area(AreaId::Krl).unwrap();
    let right = Said {
        state: Some(krl.state),
        through: Some(krl.through.map(month_words)),
        behind: Some(BehindSaid::Months(1)),
        stale: Some(false),
        next: Some(next_words(&krl.next)),
        next_is_not: None,
    };
    assert!(differences(&right, krl).is_empty());
    let wrong = [
        Said {
            state: Some(State::Ok),
            ..right.clone()
        },
        Said {
            through: Some(Some("maj 2025".into())),
            ..right.clone()
        },
        Said {
            behind: Some(BehindSaid::No),
            ..right.clone()
        },
        Said {
            stale: Some(true),
            ..right.clone()
        },
        Said {
            next: Some("10. oktober 2025 / juni 2025".into()),
            ..right.clone()
        },
    ];
    for w in wrong {
        assert_eq!(differences(&w, krl).len(), 1, "{w:?}");
    }
    assert_eq!(
        problems_sentence("<p>7 dataområder har problemer og står øverst.</p>"),
        7
    );
}
