//! The catalogue for the web: the JSON feed (`/api/status.json`, a versioned schema documented
//! in docs/status-json.md), the status page's view (problems first, Danish words) and one
//! area's page with its history. Pure: the catalogue, history entries and "now" come in as
//! arguments; the web adapter lays the views out with the templates in `responses/web/`.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use crate::core::answer::{behind_months, status_date, FRESHNESS_DAYS};
use crate::core::calendar::{self, NextUpdate, Release};
use crate::core::catalogue::{Area, AreaId, Cadence, Catalogue, Group, State};
use crate::core::danish_time::{danish_date, danish_date_time, danish_today, danish_window};
use crate::core::history::{describe, HistoryEntry, Snapshot};
use crate::core::year_month::YearMonth;

/// The version of the JSON feed's schema. Fields may be added within a version; a field removed,
/// renamed or given another meaning makes a new version.
pub const SCHEMA_VERSION: u32 = 1;

/// How many history entries an area's page shows.
pub const HISTORY_LIMIT: usize = 20;

/// How many coming releases an area's page lists.
pub const AREA_PAGE_RELEASES: u32 = 6;

/// The group's id as the catalogue file and the filters write it.
pub fn group_id(group: Group) -> &'static str {
    match group {
        Group::Tvaergaaende => "tvaergaaende",
        Group::SkoleDagtilbud => "skole_dagtilbud",
        Group::SocialSundhed => "social_sundhed",
        Group::Beskaeftigelse => "beskaeftigelse",
    }
}

/// The group with id `id` (as [`group_id`] writes it).
pub fn group_by_id(id: &str) -> Option<Group> {
    Group::ALL.into_iter().find(|g| group_id(*g) == id)
}

// ------------------------------------------------------------------------------ the JSON feed

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StatusFeed {
    pub schema_version: u32,
    /// The Copenhagen date the computed fields are for.
    pub today: NaiveDate,
    /// The catalogue's "pr." date.
    pub as_of: NaiveDate,
    /// The catalogue's status is older than `stale_after_days`.
    pub stale: bool,
    pub stale_after_days: i64,
    pub next_release: GeneralRelease,
    pub areas: Vec<AreaStatus>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DateRange {
    pub first_day: NaiveDate,
    pub last_day: NaiveDate,
}

/// The general monthly release on the 10th.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GeneralRelease {
    pub release_month: YearMonth,
    pub date: NaiveDate,
    /// Data t.o.m. the release carries.
    pub carries: YearMonth,
    pub dap_cubes: DateRange,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AreaStatus {
    pub id: AreaId,
    pub name: String,
    pub group: &'static str,
    pub group_name: &'static str,
    pub state: State,
    pub state_label: &'static str,
    pub frequency: String,
    pub source: Option<String>,
    pub through: Option<YearMonth>,
    /// What the rules expected on the status date, where the rule names a month.
    pub expected_through: Option<YearMonth>,
    /// Months `through` lags `expected_through` (0 when it does not, or either is unknown).
    pub behind_months: i64,
    pub note: Option<String>,
    pub remark: Option<String>,
    /// The day this status was last confirmed.
    pub status_date: NaiveDate,
    pub stale: bool,
    pub changed_at: Option<DateTime<Utc>>,
    /// `None` while the area is down.
    pub next_release: Option<NextRelease>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NextRelease {
    /// monthly | daily | yearly
    pub cadence: &'static str,
    /// Monthly: the release month it belongs to.
    pub release_month: Option<YearMonth>,
    /// Monthly: the expected day, or the early window's first day; daily: the next date.
    pub first_day: Option<NaiveDate>,
    /// The day the release counts as out (equal to `first_day` unless an early window).
    pub last_day: Option<NaiveDate>,
    /// Monthly: data t.o.m. it carries.
    pub carries: Option<YearMonth>,
    /// Monthly on the 10th: the DAP cubes that follow.
    pub dap_cubes: Option<DateRange>,
}

fn next_release(area: &Area, today: NaiveDate) -> Option<NextRelease> {
    if area.state == State::Down {
        return None;
    }
    let none = |cadence| NextRelease {
        cadence,
        release_month: None,
        first_day: None,
        last_day: None,
        carries: None,
        dap_cubes: None,
    };
    Some(match calendar::next_update(&area.rule, today) {
        NextUpdate::Monthly(r) => NextRelease {
            cadence: "monthly",
            release_month: Some(r.release_month),
            first_day: Some(r.first_day),
            last_day: Some(r.last_day),
            carries: Some(r.carries),
            dap_cubes: dap_range(&r),
        },
        NextUpdate::Daily(d) => NextRelease {
            first_day: Some(d),
            last_day: Some(d),
            ..none("daily")
        },
        NextUpdate::Yearly => none("yearly"),
    })
}

fn dap_range(r: &Release) -> Option<DateRange> {
    (!r.is_window()).then(|| {
        let (first_day, last_day) = calendar::dap_window(r);
        DateRange {
            first_day,
            last_day,
        }
    })
}

fn area_status(area: &Area, catalogue: &Catalogue, today: NaiveDate) -> AreaStatus {
    let confirmed = status_date(area, catalogue);
    let behind = behind_months(area, catalogue);
    AreaStatus {
        id: area.id,
        name: area.name.clone(),
        group: group_id(area.group),
        group_name: area.group.danish(),
        state: area.state,
        state_label: area.state.danish(),
        frequency: area.frequency.clone(),
        source: area.source.clone(),
        through: area.through,
        expected_through: calendar::expected_through(&area.rule, confirmed),
        behind_months: behind.map_or(0, |(n, _)| n),
        note: area.note.clone(),
        remark: area.rule.remark.clone(),
        status_date: confirmed,
        stale: (today - confirmed).num_days() > FRESHNESS_DAYS,
        changed_at: area.changed.as_ref().map(|c| c.at),
        next_release: next_release(area, today),
    }
}

fn general_release(today: NaiveDate) -> GeneralRelease {
    let r = calendar::next_monthly(&calendar::standard_rule(), today);
    let (first_day, last_day) = calendar::dap_window(&r);
    GeneralRelease {
        release_month: r.release_month,
        date: r.last_day,
        carries: r.carries,
        dap_cubes: DateRange {
            first_day,
            last_day,
        },
    }
}

/// The feed at instant `now`: every area in the catalogue's order, with computed fields.
pub fn status_feed(catalogue: &Catalogue, now: DateTime<Utc>) -> StatusFeed {
    let today = danish_today(now);
    StatusFeed {
        schema_version: SCHEMA_VERSION,
        today,
        as_of: catalogue.as_of,
        stale: (today - catalogue.as_of).num_days() > FRESHNESS_DAYS,
        stale_after_days: FRESHNESS_DAYS,
        next_release: general_release(today),
        areas: catalogue
            .areas
            .iter()
            .map(|a| area_status(a, catalogue, today))
            .collect(),
    }
}

// ---------------------------------------------------------------------------- the status page

/// The status page (`/`), in Danish words; `responses/web/status.html` lays it out.
#[derive(Clone, Debug, Serialize)]
pub struct StatusPage {
    pub today: String,
    pub as_of: String,
    pub stale: bool,
    pub stale_after_days: i64,
    pub next: GeneralView,
    /// How many rows are problems (down, disturbed, behind or stale).
    pub problems: usize,
    /// Problems first: down, disturbed, behind, stale, then the rest; catalogue order within.
    pub rows: Vec<AreaRow>,
}

#[derive(Clone, Debug, Serialize)]
pub struct GeneralView {
    /// "10. oktober 2025"
    pub when: String,
    pub carries: String,
    pub dap: String,
    /// Early releases (DREAM, Borger Flex) not yet out.
    pub early: Vec<EarlyView>,
}

#[derive(Clone, Debug, Serialize)]
pub struct EarlyView {
    pub id: &'static str,
    pub name: String,
    pub when: String,
    pub carries: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct AreaRow {
    pub id: &'static str,
    pub name: String,
    pub group: &'static str,
    /// ok | disturbed | down (the colour's class)
    pub state: &'static str,
    pub state_label: &'static str,
    pub problem: bool,
    pub frequency: String,
    pub source: Option<String>,
    pub through: Option<String>,
    pub behind_months: i64,
    pub expected_through: Option<String>,
    /// monthly | daily | yearly | down
    pub next_cadence: &'static str,
    /// "ca. 10. oktober 2025", "ca. 19.–26. september 2025", "natten til 11. september 2025"
    pub next_when: Option<String>,
    pub next_carries: Option<String>,
    pub next_dap: Option<String>,
    pub note: Option<String>,
    pub remark: Option<String>,
    pub status_date: String,
    pub stale: bool,
    pub changed_at: Option<String>,
}

fn row(status: &AreaStatus) -> AreaRow {
    let next = status.next_release.as_ref();
    let window = |n: &NextRelease| match (n.first_day, n.last_day) {
        (Some(a), Some(b)) => Some(danish_window(a, b)),
        _ => None,
    };
    AreaRow {
        id: status.id.as_str(),
        name: status.name.clone(),
        group: status.group_name,
        state: status.state.as_str(),
        state_label: status.state_label,
        problem: is_problem(status),
        frequency: status.frequency.clone(),
        source: status.source.clone(),
        through: status.through.map(YearMonth::danish),
        behind_months: status.behind_months,
        expected_through: (status.behind_months > 0)
            .then_some(status.expected_through)
            .flatten()
            .map(YearMonth::danish),
        next_cadence: next.map_or("down", |n| n.cadence),
        next_when: next.and_then(window),
        next_carries: next.and_then(|n| n.carries).map(YearMonth::danish),
        next_dap: next
            .and_then(|n| n.dap_cubes.as_ref())
            .map(|d| danish_window(d.first_day, d.last_day)),
        note: status.note.clone(),
        remark: status.remark.clone(),
        status_date: danish_date(status.status_date),
        stale: status.stale,
        changed_at: status.changed_at.map(danish_date_time),
    }
}

fn is_problem(s: &AreaStatus) -> bool {
    s.state != State::Ok || s.behind_months > 0 || s.stale
}

fn problem_rank(s: &AreaStatus) -> u8 {
    match s.state {
        State::Down => 0,
        State::Disturbed => 1,
        State::Ok if s.behind_months > 0 => 2,
        State::Ok if s.stale => 3,
        State::Ok => 4,
    }
}

/// The status page's view of `feed`.
pub fn status_page(feed: &StatusFeed, catalogue: &Catalogue) -> StatusPage {
    let mut areas: Vec<&AreaStatus> = feed.areas.iter().collect();
    areas.sort_by_key(|s| problem_rank(s));
    let early = catalogue
        .areas
        .iter()
        .filter(|a| a.rule.cadence == Cadence::Monthly && a.state != State::Down)
        .filter(|a| a.rule.early.is_some())
        .map(|a| {
            let r = calendar::next_monthly(&a.rule, feed.today);
            EarlyView {
                id: a.id.as_str(),
                name: a.name.clone(),
                when: danish_window(r.first_day, r.last_day),
                carries: r.carries.danish(),
            }
        })
        .collect();
    let g = &feed.next_release;
    StatusPage {
        today: danish_date(feed.today),
        as_of: danish_date(feed.as_of),
        stale: feed.stale,
        stale_after_days: feed.stale_after_days,
        next: GeneralView {
            when: danish_date(g.date),
            carries: g.carries.danish(),
            dap: danish_window(g.dap_cubes.first_day, g.dap_cubes.last_day),
            early,
        },
        problems: areas.iter().filter(|s| is_problem(s)).count(),
        rows: areas.into_iter().map(row).collect(),
    }
}

// ------------------------------------------------------------------------------ an area's page

/// One area's page (`/omraade/{id}`): its row, its coming releases and its recent history.
#[derive(Clone, Debug, Serialize)]
pub struct AreaPage {
    pub today: String,
    pub as_of: String,
    pub area: AreaRow,
    pub cadence: &'static str,
    pub lag: u32,
    pub releases: Vec<ReleaseView>,
    pub history: Vec<HistoryRow>,
}

#[derive(Clone, Debug, Serialize)]
pub struct ReleaseView {
    pub when: String,
    pub window: bool,
    pub carries: String,
    pub dap: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct HistoryRow {
    pub at: String,
    /// The author's public name (`Author::public_name`): never a chat user id.
    pub by: String,
    pub action: String,
    pub changes: Vec<String>,
    pub undone: bool,
}

/// The page of area `id` at `now`, with `history` (newest first); `None` for an id the
/// catalogue does not hold.
pub fn area_page(
    catalogue: &Catalogue,
    id: AreaId,
    history: &[HistoryEntry],
    now: DateTime<Utc>,
) -> Option<AreaPage> {
    let area = catalogue.area(id)?;
    let today = danish_today(now);
    let releases = if area.state == State::Down {
        Vec::new()
    } else {
        calendar::upcoming(&area.rule, today, AREA_PAGE_RELEASES)
    };
    Some(AreaPage {
        today: danish_date(today),
        as_of: danish_date(catalogue.as_of),
        area: row(&area_status(area, catalogue, today)),
        cadence: area.rule.cadence.as_str(),
        lag: area.rule.lag,
        releases: releases
            .iter()
            .map(|r| ReleaseView {
                when: danish_window(r.first_day, r.last_day),
                window: r.is_window(),
                carries: r.carries.danish(),
                dap: dap_range(r).map(|d| danish_window(d.first_day, d.last_day)),
            })
            .collect(),
        history: history
            .iter()
            .take(HISTORY_LIMIT)
            .map(|e| HistoryRow {
                at: danish_date_time(e.at),
                by: e.by.public_name(),
                action: e.action.danish(),
                changes: match (&e.before, &e.after) {
                    (Snapshot::Area(b), Snapshot::Area(a)) => describe(b, a),
                    _ => Vec::new(),
                },
                undone: e.undone,
            })
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::catalogue::{default_catalogue, Author, ChangeStamp};
    use crate::core::history::Action;
    use crate::test_support::{at, ym};

    const SEED_DAY: &str = "2025-09-10T10:00:00+02:00";

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn the_feed_carries_the_computed_fields_of_the_seed_day() {
        let feed = status_feed(default_catalogue(), at(SEED_DAY));
        assert_eq!(feed.schema_version, 1);
        assert_eq!((feed.today, feed.as_of), (d("2025-09-10"), d("2025-09-10")));
        assert!(!feed.stale);
        // On the 10th the September release counts as out: the next is October's.
        assert_eq!(feed.next_release.date, d("2025-10-10"));
        assert_eq!(feed.next_release.carries, ym("2025-08"));
        assert_eq!(
            feed.next_release.dap_cubes,
            DateRange {
                first_day: d("2025-10-11"),
                last_day: d("2025-10-12")
            }
        );
        let area = |id| feed.areas.iter().find(|a| a.id == id).unwrap();
        let krl = area(AreaId::Krl);
        assert_eq!(krl.behind_months, 1);
        assert_eq!(krl.expected_through, Some(ym("2025-05")));
        let dream = area(AreaId::Dream).next_release.clone().unwrap();
        assert_eq!(
            (dream.first_day, dream.last_day, dream.carries),
            (
                Some(d("2025-09-19")),
                Some(d("2025-09-26")),
                Some(ym("2025-06"))
            )
        );
        assert_eq!(dream.dap_cubes, None, "an early window has no cubes");
        assert_eq!(area(AreaId::Dfdg).next_release, None, "down");
        assert_eq!(
            area(AreaId::Ukraine).next_release.as_ref().unwrap().cadence,
            "daily"
        );
        assert_eq!(feed.areas.len(), AreaId::ALL.len());
    }

    #[test]
    fn the_whole_catalogue_goes_stale_after_the_freshness_limit() {
        let feed = status_feed(default_catalogue(), at("2025-10-25T12:00:00Z"));
        assert!(!feed.stale, "45 days is still fresh");
        let feed = status_feed(default_catalogue(), at("2025-10-26T12:00:00Z"));
        assert!(feed.stale && feed.areas.iter().all(|a| a.stale));
        let page = status_page(&feed, default_catalogue());
        assert_eq!(page.problems, page.rows.len(), "every row is stale");
    }

    #[test]
    fn the_page_puts_problems_first_down_disturbed_then_behind() {
        let c = default_catalogue();
        let page = status_page(&status_feed(c, at(SEED_DAY)), c);
        let states: Vec<&str> = page.rows.iter().map(|r| r.state).collect();
        let first_ok = states.iter().position(|s| *s == "ok").unwrap();
        assert!(states[..first_ok].iter().all(|s| *s != "ok"));
        assert!(states[first_ok..].iter().all(|s| *s == "ok"));
        assert_eq!(states[0], "down");
        assert_eq!(page.problems, first_ok);
        assert_eq!(page.next.when, "10. oktober 2025");
        assert_eq!(page.next.dap, "11.–12. oktober 2025");
        let names: Vec<&str> = page.next.early.iter().map(|e| e.name.as_str()).collect();
        assert!(names.contains(&"DREAM"), "{names:?}");
        let krl = page.rows.iter().find(|r| r.id == "krl").unwrap();
        assert_eq!(krl.expected_through.as_deref(), Some("maj 2025"));
    }

    #[test]
    fn an_ok_area_behind_its_rules_counts_as_a_problem() {
        let mut c = default_catalogue().clone();
        c.area_mut(AreaId::Borger).unwrap().through = Some(ym("2025-05"));
        let page = status_page(&status_feed(&c, at(SEED_DAY)), &c);
        let borger = page.rows.iter().position(|r| r.id == "borger").unwrap();
        let first_ok_fine = page.rows.iter().position(|r| !r.problem).unwrap();
        assert!(page.rows[borger].problem && borger < first_ok_fine);
        assert_eq!(page.rows[borger].behind_months, 2);
    }

    #[test]
    fn an_area_page_shows_history_without_user_ids_and_the_coming_releases() {
        let c = default_catalogue();
        let before = c.area(AreaId::Krl).unwrap().clone();
        let mut after = before.clone();
        after.through = Some(ym("2025-05"));
        after.changed = Some(ChangeStamp {
            by: Author::chat("Mette", 123456789012345678),
            at: at("2025-09-11T08:00:00Z"),
        });
        let entry = HistoryEntry {
            seq: 7,
            at: at("2025-09-11T08:00:00Z"),
            by: Author::chat("Mette", 123456789012345678),
            action: Action::Set,
            before: Snapshot::Area(Box::new(before)),
            after: Snapshot::Area(Box::new(after)),
            undone: false,
            reverts: None,
            parts: Vec::new(),
        };
        let page = area_page(c, AreaId::Krl, &[entry], at(SEED_DAY)).unwrap();
        assert_eq!(page.history[0].by, "Mette");
        assert_eq!(page.history[0].at, "11. september 2025 kl. 10:00");
        assert_eq!(
            page.history[0].changes,
            ["data t.o.m. april 2025 → maj 2025"]
        );
        let json = serde_json::to_string(&page).unwrap();
        assert!(!json.contains("123456789012345678"), "{json}");
        assert_eq!(page.releases.len(), AREA_PAGE_RELEASES as usize);
        assert_eq!(page.releases[0].when, "10. oktober 2025");
        assert_eq!(
            page.releases[0].carries, "juni 2025",
            "KRL lags four months"
        );
        let dfdg = area_page(c, AreaId::Dfdg, &[], at(SEED_DAY)).unwrap();
        assert!(dfdg.releases.is_empty(), "down: no promised releases");
    }

    #[test]
    fn group_ids_read_back() {
        for g in Group::ALL {
            assert_eq!(group_by_id(group_id(g)), Some(g));
            assert_eq!(
                serde_json::to_value(g).unwrap(),
                serde_json::Value::from(group_id(g))
            );
        }
        assert_eq!(group_by_id("sport"), None);
    }
}
