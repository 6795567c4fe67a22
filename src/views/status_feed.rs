//! The catalogue for the web: the JSON feed (`/api/status.json`, a versioned schema documented
//! in docs/status-json.md), the status page's view (problems first, Danish words) and one
//! area's page with its history. Pure: the catalogue, history entries and "now" come in as
//! arguments; the web adapter lays the views out with the templates in `responses/web/`.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use super::danish::danish_date_time;
use super::danish::{danish_date, danish_window, Danish};
use super::history::describe;
use crate::core::calendar::{self, Release};
use crate::core::catalogue::{Area, AreaId, Catalogue, Group, State};
use crate::core::facts::{
    self, AreaFacts, CatalogueFacts, Next, NoDate, NoteTiming, Problem, Recorded, STALE_AFTER_DAYS,
};
use crate::core::history::{HistoryEntry, Snapshot};
use crate::core::year_month::YearMonth;

/// The version of the JSON feed's schema. Fields may be added within a version; a field removed,
/// renamed or given another meaning makes a new version.
pub const SCHEMA_VERSION: u32 = 2;

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
    /// The oldest status any area rests on.
    pub oldest_status_date: NaiveDate,
    /// The first general release not yet out by the rules.
    pub next_release: GeneralRelease,
    /// The newest general release out by the rules (today's included).
    pub latest_release: GeneralRelease,
    /// The general release whose day today is.
    pub today_release: Option<GeneralRelease>,
    /// The DAP cubes when today is one of their days.
    pub dap_today: Option<DapToday>,
    /// The areas with a problem, in the order problems are listed.
    pub problems: Vec<AreaId>,
    pub areas: Vec<AreaStatus>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DateRange {
    pub first_day: NaiveDate,
    pub last_day: NaiveDate,
}

/// The general monthly release on the 10th, with what is recorded of it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GeneralRelease {
    pub release_month: YearMonth,
    pub date: NaiveDate,
    /// Data t.o.m. the release carries.
    pub carries: YearMonth,
    pub dap_cubes: DateRange,
    /// all | some | none (of the areas released on the 10th)
    pub recorded: &'static str,
    /// The areas it is not recorded for, when it is recorded for some.
    pub missing: Vec<AreaId>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DapToday {
    pub release_month: YearMonth,
    pub first_day: NaiveDate,
    pub last_day: NaiveDate,
    pub last_day_today: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AreaStatus {
    pub id: AreaId,
    pub name: String,
    pub group: &'static str,
    pub group_name: &'static str,
    pub state: State,
    pub state_label: &'static str,
    /// monthly | daily | yearly
    pub cadence: &'static str,
    pub frequency: String,
    pub source: Option<String>,
    pub through: Option<YearMonth>,
    /// What the rules expect out today (a release due today included), where they name a month.
    pub expected_through: Option<YearMonth>,
    /// `behind.months`, 0 when not behind.
    pub behind_months: u32,
    pub behind: Option<BehindStatus>,
    pub problem: Option<Problem>,
    /// The release whose day today is, for this area.
    pub release_today: Option<ReleaseToday>,
    pub note: Option<String>,
    pub remark: Option<String>,
    /// The day this status was last confirmed.
    pub status_date: NaiveDate,
    pub stale: bool,
    pub changed_at: Option<DateTime<Utc>>,
    /// `None` where no date is promised (`no_release` says why).
    pub next_release: Option<NextRelease>,
    pub no_release: Option<NoRelease>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BehindStatus {
    pub months: u32,
    pub expected: YearMonth,
    pub judged_on: NaiveDate,
    pub release_month: YearMonth,
}

/// A release's month, days and what it carries.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ReleaseDates {
    pub release_month: YearMonth,
    pub first_day: NaiveDate,
    pub last_day: NaiveDate,
    pub carries: YearMonth,
}

impl From<&Release> for ReleaseDates {
    fn from(r: &Release) -> Self {
        ReleaseDates {
            release_month: r.release_month,
            first_day: r.first_day,
            last_day: r.last_day,
            carries: r.carries,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ReleaseToday {
    #[serde(flatten)]
    pub release: ReleaseDates,
    pub recorded: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NextRelease {
    /// monthly | daily
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
    /// The drift note names this release (and its month).
    pub by_note: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NoRelease {
    /// down | yearly | note_unknown | note_asap
    pub reason: &'static str,
    /// note_asap: the month the note says comes as soon as possible.
    pub note_month: Option<YearMonth>,
    /// For a note: the release the rules alone would give.
    pub rule: Option<ReleaseDates>,
}

fn recorded_word(r: &Recorded) -> (&'static str, Vec<AreaId>) {
    match r {
        Recorded::All => ("all", Vec::new()),
        Recorded::Some { missing } => ("some", missing.clone()),
        Recorded::None => ("none", Vec::new()),
    }
}

fn general(g: &facts::GeneralRelease) -> GeneralRelease {
    let (recorded, missing) = recorded_word(&g.recorded);
    GeneralRelease {
        release_month: g.release.release_month,
        date: g.release.last_day,
        carries: g.release.carries,
        dap_cubes: DateRange {
            first_day: g.dap.0,
            last_day: g.dap.1,
        },
        recorded,
        missing,
    }
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

fn next_release(next: &Next) -> Option<NextRelease> {
    match *next {
        Next::Release { release, by_note } => Some(NextRelease {
            cadence: "monthly",
            release_month: Some(release.release_month),
            first_day: Some(release.first_day),
            last_day: Some(release.last_day),
            carries: Some(release.carries),
            dap_cubes: dap_range(&release),
            by_note,
        }),
        Next::Daily { date } => Some(NextRelease {
            cadence: "daily",
            release_month: None,
            first_day: Some(date),
            last_day: Some(date),
            carries: None,
            dap_cubes: None,
            by_note: false,
        }),
        Next::None { .. } => None,
    }
}

fn no_release(next: &Next) -> Option<NoRelease> {
    let Next::None { why } = *next else {
        return None;
    };
    let bare = |reason| NoRelease {
        reason,
        note_month: None,
        rule: None,
    };
    Some(match why {
        NoDate::Down => bare("down"),
        NoDate::Yearly => bare("yearly"),
        NoDate::Note { timing, rule } => {
            let (reason, note_month) = match timing {
                NoteTiming::Asap { data } => ("note_asap", data),
                NoteTiming::Unknown | NoteTiming::WithRelease { .. } => ("note_unknown", None),
            };
            NoRelease {
                reason,
                note_month,
                rule: rule.as_ref().map(ReleaseDates::from),
            }
        }
    })
}

fn area_status(area: &Area, f: &AreaFacts) -> AreaStatus {
    let release_today = f
        .due
        .map(|r| (r, false))
        .or(f.out_today.map(|r| (r, true)))
        .map(|(r, recorded)| ReleaseToday {
            release: ReleaseDates::from(&r),
            recorded,
        });
    AreaStatus {
        id: area.id,
        name: area.name.clone(),
        group: group_id(area.group),
        group_name: area.group.danish(),
        state: f.state,
        state_label: f.state.danish(),
        cadence: area.rule.cadence.as_str(),
        frequency: area.frequency.clone(),
        source: area.source.clone(),
        through: f.through,
        expected_through: f.expected_now,
        behind_months: f.behind.map_or(0, |b| b.months),
        behind: f.behind.map(|b| BehindStatus {
            months: b.months,
            expected: b.expected,
            judged_on: b.on,
            release_month: b.missed.release_month,
        }),
        problem: f.problem,
        release_today,
        note: area.note.clone(),
        remark: area.rule.remark.clone(),
        status_date: f.status_date,
        stale: f.stale,
        changed_at: area.changed.as_ref().map(|c| c.at),
        next_release: next_release(&f.next),
        no_release: no_release(&f.next),
    }
}

/// The areas of `catalogue` with their facts, in the catalogue's order.
fn with_facts<'a>(
    catalogue: &'a Catalogue,
    facts: &'a CatalogueFacts,
) -> impl Iterator<Item = (&'a Area, &'a AreaFacts)> {
    catalogue
        .areas
        .iter()
        .filter_map(|a| facts.area(a.id).map(|f| (a, f)))
}

/// The feed of `catalogue` with its facts: every area in the catalogue's order.
pub fn status_feed(catalogue: &Catalogue, facts: &CatalogueFacts) -> StatusFeed {
    StatusFeed {
        schema_version: SCHEMA_VERSION,
        today: facts.today,
        as_of: facts.as_of,
        stale: facts.stale,
        stale_after_days: STALE_AFTER_DAYS,
        oldest_status_date: facts.oldest_status,
        next_release: general(&facts.next),
        latest_release: general(&facts.latest),
        today_release: facts.today_release.as_ref().map(general),
        dap_today: facts.dap_today.map(|d| DapToday {
            release_month: d.release.release_month,
            first_day: d.first_day,
            last_day: d.last_day,
            last_day_today: d.last_day_today,
        }),
        problems: facts.problems().iter().map(|f| f.id).collect(),
        areas: with_facts(catalogue, facts)
            .map(|(a, f)| area_status(a, f))
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
    /// The release or the DAP cubes whose day today is.
    pub today_release: Option<TodayView>,
    pub next: GeneralView,
    /// How many areas have a problem (down, disturbed, behind); a stale status is said once
    /// above, not counted.
    pub problems: usize,
    /// The banner at the top: ok | problems | stale (a stale status is said there, once).
    pub banner: &'static str,
    /// The first problem in the facts' order (the banner's colour): down | disturbed | behind.
    pub worst: Option<Problem>,
    /// The problem areas' names by problem, in the facts' order.
    pub down_names: Vec<String>,
    pub disturbed_names: Vec<String>,
    pub behind_names: Vec<String>,
    /// Problems first in the facts' order (down, disturbed, behind most months first), then
    /// the rest in catalogue order.
    pub rows: Vec<AreaRow>,
}

/// Today's general release or DAP cubes.
#[derive(Clone, Debug, Serialize)]
pub struct TodayView {
    /// release | dap
    pub kind: &'static str,
    pub release_month: String,
    pub carries: String,
    /// all | some | none
    pub recorded: &'static str,
    pub missing: Vec<String>,
    /// The DAP cubes' window ("11.–12. oktober 2025").
    pub dap: String,
    pub last_day_today: bool,
}

#[derive(Clone, Debug, Serialize)]
pub struct GeneralView {
    /// "10. oktober 2025"
    pub when: String,
    pub carries: String,
    pub dap: String,
    /// Early releases (DREAM, Borger Flex) coming next.
    pub early: Vec<EarlyView>,
}

#[derive(Clone, Debug, Serialize)]
pub struct EarlyView {
    pub id: &'static str,
    pub name: String,
    pub when: String,
    pub carries: String,
    /// The window is under way: "ventes nu".
    pub due: bool,
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
    /// down | disturbed | behind
    pub problem_kind: Option<Problem>,
    pub frequency: String,
    pub source: Option<String>,
    pub through: Option<String>,
    /// Recorded out today ("ny i dag").
    pub out_today: bool,
    pub behind_months: u32,
    /// What the rules expected, where the area is behind.
    pub expected_through: Option<String>,
    /// The day "behind" is judged on, where that is not today (a stale status's own day).
    pub behind_on: Option<String>,
    /// monthly | daily | yearly | down | note
    pub next_cadence: &'static str,
    /// "ca. 10. oktober 2025", "ca. 19.–26. september 2025", "11. september 2025" (daily)
    pub next_when: Option<String>,
    pub next_carries: Option<String>,
    pub next_dap: Option<String>,
    /// The next release is due today: "ventes i dag".
    pub next_today: bool,
    /// The drift note names the next release.
    pub next_by_note: bool,
    /// Where a note gives no date: unknown | asap, the month it says comes as soon as possible,
    /// and what the rules alone would say.
    pub note_timing: Option<&'static str>,
    pub note_month: Option<String>,
    pub rule_when: Option<String>,
    pub rule_carries: Option<String>,
    pub note: Option<String>,
    pub remark: Option<String>,
    pub status_date: String,
    /// The status was confirmed on another day than the catalogue's "pr." date.
    pub own_status_date: bool,
    pub stale: bool,
    pub changed_at: Option<String>,
}

fn row(area: &Area, f: &AreaFacts, catalogue_as_of: NaiveDate, today: NaiveDate) -> AreaRow {
    let mut r = AreaRow {
        id: area.id.as_str(),
        name: area.name.clone(),
        group: area.group.danish(),
        state: f.state.as_str(),
        state_label: f.state.danish(),
        problem: f.problem.is_some(),
        problem_kind: f.problem,
        frequency: area.frequency.clone(),
        source: area.source.clone(),
        through: f.through.map(YearMonth::danish),
        out_today: f.out_today.is_some(),
        behind_months: f.behind.map_or(0, |b| b.months),
        expected_through: f.behind.map(|b| b.expected.danish()),
        behind_on: f
            .behind
            .filter(|b| b.on != today)
            .map(|b| danish_date(b.on)),
        next_cadence: "down",
        next_when: None,
        next_carries: None,
        next_dap: None,
        next_today: false,
        next_by_note: false,
        note_timing: None,
        note_month: None,
        rule_when: None,
        rule_carries: None,
        note: area.note.clone(),
        remark: area.rule.remark.clone(),
        status_date: danish_date(f.status_date),
        own_status_date: f.status_date != catalogue_as_of,
        stale: f.stale,
        changed_at: area.changed.as_ref().map(|c| danish_date_time(c.at)),
    };
    match f.next {
        Next::Release { release, by_note } => {
            r.next_cadence = "monthly";
            r.next_when = Some(danish_window(release.first_day, release.last_day));
            r.next_carries = Some(release.carries.danish());
            r.next_dap = dap_range(&release).map(|d| danish_window(d.first_day, d.last_day));
            r.next_today = f.due == Some(release) && !release.is_window();
            r.next_by_note = by_note;
        }
        Next::Daily { date } => {
            r.next_cadence = "daily";
            r.next_when = Some(danish_date(date));
        }
        Next::None { why: NoDate::Down } => r.next_cadence = "down",
        Next::None {
            why: NoDate::Yearly,
        } => r.next_cadence = "yearly",
        Next::None {
            why: NoDate::Note { timing, rule },
        } => {
            r.next_cadence = "note";
            let (kind, month) = match timing {
                NoteTiming::Asap { data } => ("asap", data),
                NoteTiming::Unknown | NoteTiming::WithRelease { .. } => ("unknown", None),
            };
            r.note_timing = Some(kind);
            r.note_month = month.map(YearMonth::danish);
            r.rule_when = rule.map(|x| danish_window(x.first_day, x.last_day));
            r.rule_carries = rule.map(|x| x.carries.danish());
        }
    }
    r
}

fn today_view(catalogue: &Catalogue, facts: &CatalogueFacts) -> Option<TodayView> {
    let name = |id: &AreaId| {
        catalogue
            .area(*id)
            .map_or(id.as_str().to_owned(), |a| a.name.clone())
    };
    if let Some(g) = &facts.today_release {
        let (recorded, missing) = recorded_word(&g.recorded);
        return Some(TodayView {
            kind: "release",
            release_month: g.release.release_month.danish(),
            carries: g.release.carries.danish(),
            recorded,
            missing: missing.iter().map(name).collect(),
            dap: danish_window(g.dap.0, g.dap.1),
            last_day_today: false,
        });
    }
    facts.dap_today.map(|d| TodayView {
        kind: "dap",
        release_month: d.release.release_month.danish(),
        carries: d.release.carries.danish(),
        recorded: recorded_word(&facts.latest.recorded).0,
        missing: Vec::new(),
        dap: danish_window(d.first_day, d.last_day),
        last_day_today: d.last_day_today,
    })
}

/// The status page of `catalogue` with its facts.
pub fn status_page(catalogue: &Catalogue, facts: &CatalogueFacts) -> StatusPage {
    let early = with_facts(catalogue, facts)
        .filter_map(|(a, f)| match f.next {
            Next::Release { release, .. } if release.is_window() => Some(EarlyView {
                id: a.id.as_str(),
                name: a.name.clone(),
                when: danish_window(release.first_day, release.last_day),
                carries: release.carries.danish(),
                due: f.due == Some(release),
            }),
            _ => None,
        })
        .collect();
    let g = &facts.next;
    let rows = facts
        .problems_first()
        .into_iter()
        .filter_map(|f| {
            catalogue
                .area(f.id)
                .map(|a| row(a, f, facts.as_of, facts.today))
        })
        .collect();
    StatusPage {
        today: danish_date(facts.today),
        as_of: danish_date(facts.as_of),
        stale: facts.stale,
        stale_after_days: STALE_AFTER_DAYS,
        today_release: today_view(catalogue, facts),
        next: GeneralView {
            when: danish_date(g.release.last_day),
            carries: g.release.carries.danish(),
            dap: danish_window(g.dap.0, g.dap.1),
            early,
        },
        problems: facts.problems().len(),
        banner: if facts.stale {
            "stale"
        } else if facts.problems().is_empty() {
            "ok"
        } else {
            "problems"
        },
        worst: facts.problems().first().and_then(|f| f.problem),
        down_names: names_with(catalogue, facts, Problem::Down),
        disturbed_names: names_with(catalogue, facts, Problem::Disturbed),
        behind_names: names_with(catalogue, facts, Problem::Behind),
        rows,
    }
}

/// The names of the areas with `problem`, in the facts' order.
fn names_with(catalogue: &Catalogue, facts: &CatalogueFacts, problem: Problem) -> Vec<String> {
    facts
        .problems()
        .into_iter()
        .filter(|f| f.problem == Some(problem))
        .filter_map(|f| catalogue.area(f.id).map(|a| a.name.clone()))
        .collect()
}

// ------------------------------------------------------------------------------ the badge

/// An area's badge (`/badge/{id}.svg`): its name, state and t.o.m.
#[derive(Clone, Debug, Serialize)]
pub struct BadgeView {
    pub id: &'static str,
    pub name: String,
    /// ok | disturbed | down (the colour)
    pub state: &'static str,
    pub state_label: &'static str,
    pub through: Option<String>,
    pub behind_months: u32,
    /// monthly | daily | yearly
    pub cadence: &'static str,
    pub status_date: String,
    pub stale: bool,
}

/// The badge of area `id` with its facts; `None` for an id the catalogue does not hold.
pub fn badge_view(catalogue: &Catalogue, facts: &CatalogueFacts, id: AreaId) -> Option<BadgeView> {
    let area = catalogue.area(id)?;
    let f = facts.area(id)?;
    Some(BadgeView {
        id: area.id.as_str(),
        name: area.name.clone(),
        state: f.state.as_str(),
        state_label: f.state.danish(),
        through: f.through.map(YearMonth::danish),
        behind_months: f.behind.map_or(0, |b| b.months),
        cadence: area.rule.cadence.as_str(),
        status_date: danish_date(f.status_date),
        stale: f.stale,
    })
}

// ------------------------------------------------------------------------------ an area's page

/// One area's page (`/omraade/{id}`): its row, its coming releases and its recent history.
#[derive(Clone, Debug, Serialize)]
pub struct AreaPage {
    pub today: String,
    pub as_of: String,
    /// The catalogue as a whole is stale (said once, with the area's own date).
    pub catalogue_stale: bool,
    pub area: AreaRow,
    pub cadence: &'static str,
    pub lag: u32,
    /// FLIS' own delay ("én måneds forsinkelse").
    pub delay_months: u32,
    pub releases: Vec<ReleaseView>,
    pub history: Vec<HistoryRow>,
}

#[derive(Clone, Debug, Serialize)]
pub struct ReleaseView {
    pub when: String,
    pub window: bool,
    pub carries: String,
    pub dap: Option<String>,
    /// Due today.
    pub today: bool,
    /// The month is the drift note's.
    pub by_note: bool,
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

/// The page of area `id` with its facts and `history` (newest first); `None` for an id the
/// catalogue does not hold.
pub fn area_page(
    catalogue: &Catalogue,
    facts: &CatalogueFacts,
    id: AreaId,
    history: &[HistoryEntry],
) -> Option<AreaPage> {
    let area = catalogue.area(id)?;
    let f = facts.area(id)?;
    let releases = facts::coming_releases(area, catalogue, f, AREA_PAGE_RELEASES);
    Some(AreaPage {
        today: danish_date(facts.today),
        as_of: danish_date(facts.as_of),
        catalogue_stale: facts.stale,
        area: row(area, f, facts.as_of, facts.today),
        cadence: area.rule.cadence.as_str(),
        lag: area.rule.lag,
        delay_months: facts::flis_delay_months(&area.rule),
        releases: releases
            .iter()
            .map(|r| ReleaseView {
                when: danish_window(r.release.first_day, r.release.last_day),
                window: r.release.is_window(),
                carries: r.release.carries.danish(),
                dap: dap_range(&r.release).map(|d| danish_window(d.first_day, d.last_day)),
                today: f.due == Some(r.release),
                by_note: r.by_note,
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
    use crate::core::facts::catalogue_facts;
    use crate::core::facts::moments::{moment, moments, Moment};
    use crate::core::history::Action;
    use crate::test_support::{at, ym};

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn feed_at(c: &Catalogue, day: &str) -> StatusFeed {
        status_feed(c, &catalogue_facts(c, d(day)))
    }

    fn page_of(m: &Moment) -> StatusPage {
        status_page(&m.catalogue, &m.facts())
    }

    fn row<'a>(p: &'a StatusPage, id: &str) -> &'a AreaRow {
        p.rows.iter().find(|r| r.id == id).unwrap()
    }

    #[test]
    fn the_feed_carries_the_computed_fields_of_the_seed_day() {
        let feed = feed_at(default_catalogue(), "2025-09-10");
        assert_eq!(feed.schema_version, 2);
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
        // The seed records September's release for every area but KRL.
        let today = feed.today_release.as_ref().unwrap();
        assert_eq!(
            (today.recorded, today.missing.as_slice()),
            ("some", &[AreaId::Krl][..])
        );
        let area = |id| feed.areas.iter().find(|a| a.id == id).unwrap();
        let krl = area(AreaId::Krl);
        assert_eq!(krl.behind_months, 1);
        assert_eq!(
            krl.behind.as_ref().map(|b| (b.expected, b.judged_on)),
            Some((ym("2025-05"), d("2025-09-10")))
        );
        assert_eq!(krl.problem, Some(Problem::Disturbed));
        // KRL's note says May comes "snarest muligt": no date, and what the rules alone say.
        assert_eq!(krl.next_release, None);
        let why = krl.no_release.as_ref().unwrap();
        assert_eq!(
            (why.reason, why.note_month),
            ("note_asap", Some(ym("2025-05")))
        );
        assert_eq!(why.rule.as_ref().map(|r| r.carries), Some(ym("2025-06")));
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
            area(AreaId::Dfdg).no_release.as_ref().unwrap().reason,
            "down"
        );
        assert_eq!(
            area(AreaId::Ukraine).next_release.as_ref().unwrap().cadence,
            "daily"
        );
        assert_eq!(
            area(AreaId::Ky).release_today.as_ref().map(|r| r.recorded),
            Some(true),
            "out today"
        );
        assert_eq!(feed.areas.len(), AreaId::ALL.len());
        let facts = catalogue_facts(default_catalogue(), d("2025-09-10"));
        let order: Vec<AreaId> = facts.problems().iter().map(|f| f.id).collect();
        assert_eq!(feed.problems, order, "the facts' order");
    }

    /// What the feed, the page and an area's page say of some areas at the table's moments:
    /// (moment, area, t.o.m., behind months, stale, next release as "window / t.o.m." or none).
    #[test]
    fn feed_page_and_area_page_at_the_moments() {
        type Case = (
            &'static str,
            AreaId,
            Option<&'static str>,
            u32,
            bool,
            Option<(&'static str, &'static str)>,
        );
        let cases: &[Case] = &[
            (
                "mid-month",
                AreaId::Ky,
                Some("2025-07"),
                0,
                false,
                Some(("10. oktober 2025", "august 2025")),
            ),
            ("mid-month", AreaId::Krl, Some("2025-04"), 1, false, None),
            (
                "mid-month",
                AreaId::Dream,
                Some("2025-05"),
                0,
                false,
                Some(("19.–26. september 2025", "juni 2025")),
            ),
            (
                "inside DREAM's early window",
                AreaId::Dream,
                Some("2025-05"),
                0,
                false,
                Some(("19.–26. september 2025", "juni 2025")),
            ),
            (
                "the 10th, before the release is recorded",
                AreaId::Ky,
                Some("2025-07"),
                0,
                false,
                Some(("10. oktober 2025", "august 2025")),
            ),
            (
                "the 10th, before the release is recorded",
                AreaId::Dream,
                Some("2025-05"),
                1,
                false,
                Some(("20.–27. oktober 2025", "juli 2025")),
            ),
            (
                "the 10th, after the release is recorded",
                AreaId::Ky,
                Some("2025-08"),
                0,
                false,
                Some(("10. november 2025", "september 2025")),
            ),
            (
                "the 10th, after a release with KRL excepted",
                AreaId::Krl,
                Some("2025-04"),
                2,
                false,
                None,
            ),
            (
                "the 10th, after a release with KRL excepted",
                AreaId::Ky,
                Some("2025-08"),
                0,
                false,
                Some(("10. november 2025", "september 2025")),
            ),
            (
                "the 11th",
                AreaId::Ky,
                Some("2025-08"),
                0,
                false,
                Some(("10. november 2025", "september 2025")),
            ),
            (
                "the 12th",
                AreaId::Borger,
                Some("2025-08"),
                0,
                false,
                Some(("10. november 2025", "september 2025")),
            ),
            (
                "the 11th, nothing recorded",
                AreaId::Ky,
                Some("2025-07"),
                1,
                false,
                Some(("10. november 2025", "september 2025")),
            ),
            (
                "Christmas Eve",
                AreaId::Dream,
                Some("2025-08"),
                0,
                false,
                Some(("20.–27. december 2025", "september 2025")),
            ),
            (
                "a stale catalogue in March 2026",
                AreaId::Ky,
                Some("2025-07"),
                0,
                true,
                Some(("10. april 2026", "februar 2026")),
            ),
            (
                "a stale catalogue in March 2026",
                AreaId::Krl,
                Some("2025-04"),
                1,
                true,
                None,
            ),
            (
                "a note naming a later release",
                AreaId::Krl,
                Some("2025-06"),
                1,
                false,
                Some(("10. december 2025", "juli 2025")),
            ),
            (
                "a note naming a later release",
                AreaId::Ky,
                Some("2025-09"),
                0,
                false,
                Some(("10. december 2025", "oktober 2025")),
            ),
        ];
        for &(name, id, through, behind, stale, next) in cases {
            let m = moment(name);
            let facts = m.facts();
            let feed = status_feed(&m.catalogue, &facts);
            let a = feed.areas.iter().find(|a| a.id == id).unwrap();
            let case = format!("{name}, {id}");
            assert_eq!(a.through, through.map(ym), "{case}: feed t.o.m.");
            assert_eq!(a.behind_months, behind, "{case}: feed behind");
            assert_eq!(a.stale, stale, "{case}: feed stale");
            assert_eq!(
                a.next_release
                    .as_ref()
                    .and_then(|n| n.first_day.zip(n.last_day).zip(n.carries))
                    .map(|((f, l), c)| (danish_window(f, l), c.danish())),
                next.map(|(w, c)| (w.to_owned(), c.to_owned())),
                "{case}: feed next"
            );
            let page = status_page(&m.catalogue, &facts);
            let r = row(&page, id.as_str());
            assert_eq!(r.through, through.map(|t| ym(t).danish()), "{case}: page");
            assert_eq!((r.behind_months, r.stale), (behind, stale), "{case}: page");
            assert_eq!(
                r.next_when.clone().zip(r.next_carries.clone()),
                next.map(|(w, c)| (w.to_owned(), c.to_owned())),
                "{case}: page next"
            );
            let ap = area_page(&m.catalogue, &facts, id, &[]).unwrap();
            assert_eq!(
                ap.releases
                    .first()
                    .map(|r| (r.when.clone(), r.carries.clone())),
                next.map(|(w, c)| (w.to_owned(), c.to_owned())),
                "{case}: area page"
            );
        }
    }

    #[test]
    fn a_stale_catalogue_is_said_once_and_not_counted_as_problems() {
        let m = moment("a stale catalogue in March 2026");
        let page = page_of(&m);
        assert!(page.stale);
        assert_eq!(page.problems, 7, "down, disturbed: not the 19 stale rows");
        assert!(page.rows[7..].iter().all(|r| !r.problem && r.state == "ok"));
        let krl = row(&page, "krl");
        assert_eq!(
            krl.behind_on.as_deref(),
            Some("10. september 2025"),
            "behind is judged on the status's own day"
        );
        let html =
            crate::views::web_page::visible_text(&crate::views::web_page::status_html(&page));
        assert!(
            html.contains("Statussen er mere end 45 dage gammel"),
            "{html}"
        );
        assert!(
            html.contains("7 dataområder havde problemer pr. 10. september 2025"),
            "{html}"
        );
        assert_eq!(html.matches("kan være forældet").count(), 1, "said once");
        assert!(html.contains("pr. 10. september 2025 bagud med 1 måned"));
        // The feed: the catalogue is stale, the problems are the same seven.
        let feed = status_feed(&m.catalogue, &m.facts());
        assert!(feed.stale && feed.areas.iter().all(|a| a.stale));
        assert_eq!(feed.problems.len(), 7);
        // 45 days is still fresh.
        assert!(!feed_at(default_catalogue(), "2025-10-25").stale);
        assert!(feed_at(default_catalogue(), "2025-10-26").stale);
    }

    #[test]
    fn the_page_lists_problems_in_the_facts_order_down_disturbed_behind() {
        for m in moments() {
            let facts = m.facts();
            let page = status_page(&m.catalogue, &facts);
            let shown: Vec<&str> = page
                .rows
                .iter()
                .filter(|r| r.problem)
                .map(|r| r.id)
                .collect();
            let want: Vec<&str> = facts.problems().iter().map(|f| f.id.as_str()).collect();
            assert_eq!(shown, want, "{}", m.name);
            assert_eq!(page.problems, want.len(), "{}", m.name);
            let first_fine = page.rows.iter().position(|r| !r.problem).unwrap();
            assert!(
                page.rows[first_fine..].iter().all(|r| !r.problem),
                "{}",
                m.name
            );
        }
        // After a release with KRL excepted: KRL is disturbed (its rank), the early areas and the
        // rest are fine.
        let page = page_of(&moment("the 10th, after a release with KRL excepted"));
        let problems: Vec<&str> = page
            .rows
            .iter()
            .filter(|r| r.problem)
            .map(|r| r.id)
            .collect();
        assert_eq!(
            problems,
            ["aeldre", "dfdg", "oekonomi", "krl", "skole", "fsiii", "vh"]
        );
        // The 11th with nothing recorded: the behind areas that run to plan follow the disturbed.
        let page = page_of(&moment("the 11th, nothing recorded"));
        let kinds: Vec<Problem> = page.rows.iter().filter_map(|r| r.problem_kind).collect();
        assert!(kinds.windows(2).all(|w| w[0] <= w[1]), "{kinds:?}");
        assert!(kinds.contains(&Problem::Behind));
    }

    #[test]
    fn release_days_are_said_on_the_page() {
        let page = page_of(&moment("the 10th, before the release is recorded"));
        let today = page.today_release.as_ref().unwrap();
        assert_eq!((today.kind, today.recorded), ("release", "none"));
        assert!(row(&page, "ky").next_today, "ventes i dag");
        assert_eq!(row(&page, "ky").behind_months, 0, "due is not behind");
        let page = page_of(&moment("the 10th, after a release with KRL excepted"));
        let today = page.today_release.as_ref().unwrap();
        assert_eq!(
            (today.recorded, today.missing.as_slice()),
            ("some", &["KRL Personale".to_owned()][..])
        );
        assert!(row(&page, "ky").out_today && !row(&page, "ky").next_today);
        let html =
            crate::views::web_page::visible_text(&crate::views::web_page::status_html(&page));
        assert!(html.contains("men ikke for KRL Personale"), "{html}");
        let page = page_of(&moment("the 12th"));
        let dap = page.today_release.as_ref().unwrap();
        assert_eq!((dap.kind, dap.last_day_today), ("dap", true));
        assert!(
            crate::views::web_page::visible_text(&crate::views::web_page::status_html(&page))
                .contains("DAP-kuberne efter udgivelsen for oktober 2025 ventes i dag.")
        );
        let page = page_of(&moment("inside DREAM's early window"));
        let dream = page.next.early.iter().find(|e| e.id == "dream").unwrap();
        assert!(dream.due);
    }

    #[test]
    fn a_note_naming_a_later_release_is_followed_on_the_page_and_the_area_page() {
        let m = moment("a note naming a later release");
        let facts = m.facts();
        let krl = row(&status_page(&m.catalogue, &facts), "krl").clone();
        assert!(krl.next_by_note);
        let page = area_page(&m.catalogue, &facts, AreaId::Krl, &[]).unwrap();
        assert_eq!(
            (page.releases[0].carries.as_str(), page.releases[0].by_note),
            ("juli 2025", true)
        );
        assert_eq!(
            (page.releases[1].carries.as_str(), page.releases[1].by_note),
            ("september 2025", false),
            "January by the rule again"
        );
        let html = crate::views::web_page::visible_text(&crate::views::web_page::area_html(&page));
        assert!(html.contains("juli 2025 (ifølge driftsnoten)"), "{html}");
        assert!(html.contains("3 måneders forsinkelse"), "{html}");
    }

    #[test]
    fn an_area_page_shows_history_without_user_ids_and_the_coming_releases() {
        let c = default_catalogue();
        let before = c.area(AreaId::Ky).unwrap().clone();
        let mut after = before.clone();
        after.through = Some(ym("2025-08"));
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
        let facts = catalogue_facts(c, d("2025-09-10"));
        let page = area_page(c, &facts, AreaId::Ky, &[entry]).unwrap();
        assert_eq!(page.history[0].by, "Mette");
        assert_eq!(page.history[0].at, "11. september 2025 kl. 10:00");
        assert_eq!(
            page.history[0].changes,
            ["data t.o.m. juli 2025 → august 2025"]
        );
        let json = serde_json::to_string(&page).unwrap();
        assert!(!json.contains("123456789012345678"), "{json}");
        assert_eq!(page.releases.len(), AREA_PAGE_RELEASES as usize);
        assert_eq!(page.releases[0].when, "10. oktober 2025");
        assert_eq!(page.releases[0].carries, "august 2025");
        assert_eq!(page.delay_months, 1, "én måneds forsinkelse");
        let dfdg = area_page(c, &facts, AreaId::Dfdg, &[]).unwrap();
        assert!(dfdg.releases.is_empty(), "down: no promised releases");
        let krl = area_page(c, &facts, AreaId::Krl, &[]).unwrap();
        assert!(krl.releases.is_empty(), "the note gives no date");
        assert_eq!(krl.area.rule_carries.as_deref(), Some("juni 2025"));
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
