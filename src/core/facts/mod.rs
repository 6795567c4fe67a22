//! Area facts: what is true of an area at a moment, computed once and read by every surface
//! (chat answers, overview and problems, the status board, notices, the web page and area
//! pages, the JSON feed, the calendar feed, `flisbot calendar` and the announcements). None of
//! them recomputes a fact; they only word it. The spec's "Area facts" section is the contract:
//!
//! - **Due, not behind.** On a release's day (the 10th, or within an early window) an area whose
//!   release is not yet recorded is due ("ventes i dag"), unless its drift note gives its own
//!   timing; it is behind from the day after. An area left out of a release the operators
//!   recorded for the others that day is behind at once.
//! - **Recorded, not assumed.** A release is out for an area only when its recorded t.o.m.
//!   carries the release's months.
//! - **Down means no expectation**: never behind, no expected month or date.
//! - **Problems and their order**: down, then disturbed, then behind (most months first). A
//!   stale status is not a problem; it is said once, with its date.
//! - **Stale**: a status more than 45 days old; what the rules expect is then judged on the
//!   status's own day, since nothing later is known.
//! - **The note's own timing wins** over the rule ([`note_timing`]).

#[cfg(test)]
pub(crate) mod moments;
mod month;
mod note_timing;
mod release_days;

use std::cell::{OnceCell, RefCell};
use std::cmp::Reverse;

use chrono::{Days, NaiveDate};
use serde::Serialize;

use crate::core::calendar::{self, Release};
use crate::core::catalogue::{Area, AreaId, Cadence, Catalogue, State};
use crate::core::year_month::YearMonth;

pub use month::{
    area_data_month, area_release_month, early_in_month, general_data_month, general_release_month,
    AreaMonth, GeneralMonth, MonthState,
};
pub use note_timing::{note_timing, NoteTiming};
pub use release_days::{release_days, span, DayEntry, DayKind, EntryStatus, ReleaseDay};

/// A status confirmed longer ago than this is stale ("kan være forældet").
pub const STALE_AFTER_DAYS: i64 = 45;

/// The day an area's status was last confirmed ("pr."): its own date, which a status document
/// listing it or an operator's change sets. An area written before areas had their own date
/// reads as it did then: the later of its last change's day and the catalogue's as-of date.
pub fn status_date(area: &Area, catalogue: &Catalogue) -> NaiveDate {
    area.status_date.unwrap_or_else(|| {
        let changed = area
            .changed
            .as_ref()
            .map(|c| crate::core::danish_time::danish_today(c.at));
        changed.map_or(catalogue.as_of, |d| d.max(catalogue.as_of))
    })
}

/// Gives every area without its own status date the one [`status_date`] reads for it now, so
/// a later change of the catalogue's as-of date does not move it. Returns the areas it set.
pub fn settle_status_dates(catalogue: &mut Catalogue) -> Vec<AreaId> {
    let dates: Vec<(AreaId, NaiveDate)> = catalogue
        .areas
        .iter()
        .filter(|a| a.status_date.is_none())
        .map(|a| (a.id, status_date(a, catalogue)))
        .collect();
    for (id, date) in &dates {
        if let Some(a) = catalogue.area_mut(*id) {
            a.status_date = Some(*date);
        }
    }
    dates.into_iter().map(|(id, _)| id).collect()
}

/// A status from `date` is stale on `today`.
pub fn is_stale(date: NaiveDate, today: NaiveDate) -> bool {
    (today - date).num_days() > STALE_AFTER_DAYS
}

/// What makes an area a problem; the order is the order problems are listed in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Problem {
    Down,
    Disturbed,
    Behind,
}

/// The recorded t.o.m. lags what the rules expect.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Behind {
    /// By how many months.
    pub months: u32,
    /// What the rules expected by `on`.
    pub expected: YearMonth,
    /// The day it is judged on: today, or the status's own day when the status is stale.
    pub on: NaiveDate,
    /// The release that should have carried `expected`.
    pub missed: Release,
}

/// Why no date is promised.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum NoDate {
    /// The area is down: nothing is expected until it runs again.
    Down,
    /// Yearly with no date in the rules (STIL).
    Yearly,
    /// The drift note says the timing is unknown, or "snarest muligt". `rule` is what the
    /// rules alone would have said, for surfaces that name the conflict.
    Note {
        timing: NoteTiming,
        rule: Option<Release>,
    },
}

/// What comes next for an area.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Next {
    /// A monthly release: the rules' next one, or the one the drift note names (`by_note`,
    /// carrying the month the note names).
    Release {
        release: Release,
        by_note: bool,
    },
    /// Updated every night: the next update is the night into this date.
    Daily {
        date: NaiveDate,
    },
    None {
        why: NoDate,
    },
}

impl Next {
    pub fn release(&self) -> Option<&Release> {
        match self {
            Next::Release { release, .. } => Some(release),
            _ => None,
        }
    }
}

/// Everything the surfaces state about one area at one moment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AreaFacts {
    pub id: AreaId,
    pub state: State,
    pub through: Option<YearMonth>,
    /// The day this status was confirmed.
    pub status_date: NaiveDate,
    pub stale: bool,
    /// What the rules expect recorded today (a release due today included); `None` for a down
    /// area and where the rule names no month.
    pub expected_now: Option<YearMonth>,
    /// The release whose day today is (its day, or a day of its early window), not recorded
    /// for this area and not recorded without it, and the area's next release (not where the
    /// drift note gives its own timing, or none): "ventes i dag".
    pub due: Option<Release>,
    /// The release whose day today is, recorded for this area: "er ude i dag".
    pub out_today: Option<Release>,
    pub behind: Option<Behind>,
    pub problem: Option<Problem>,
    pub next: Next,
    /// What the drift note says about timing, where it says anything.
    pub note_timing: Option<NoteTiming>,
}

/// What a release month's release is for one area, and whether it is recorded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct AreaRelease {
    pub id: AreaId,
    pub release: Release,
    pub recorded: bool,
    /// The drift note names this release for a month: `release.carries` is the note's month,
    /// not the rule's.
    pub by_note: bool,
}

/// The area's release in release month `month`: the rules', or the one its drift note names
/// for that month (carrying the note's data month). `None` for an area that is down or not
/// monthly.
pub fn area_release(area: &Area, catalogue: &Catalogue, month: YearMonth) -> Option<AreaRelease> {
    Reading::new(catalogue).area_release(area, month)
}

/// One reading of a catalogue: each drift note's timing is read at most once, and whether a
/// release on the 10th is recorded for its members is worked out once per month, however many
/// areas ask (the facts of all areas would otherwise read every note for every area).
struct Reading<'c> {
    catalogue: &'c Catalogue,
    timings: Vec<OnceCell<Option<NoteTiming>>>,
    recorded: RefCell<Vec<(YearMonth, bool)>>,
}

impl<'c> Reading<'c> {
    fn new(catalogue: &'c Catalogue) -> Self {
        Reading {
            catalogue,
            timings: catalogue.areas.iter().map(|_| OnceCell::new()).collect(),
            recorded: RefCell::new(Vec::new()),
        }
    }

    fn timing(&self, area: &Area) -> Option<NoteTiming> {
        match self.catalogue.areas.iter().position(|a| a.id == area.id) {
            Some(i) => *self.timings[i].get_or_init(|| timing_of(area, self.catalogue)),
            None => timing_of(area, self.catalogue),
        }
    }

    fn area_release(&self, area: &Area, month: YearMonth) -> Option<AreaRelease> {
        area_release_timed(area, self.timing(area), month)
    }

    /// The release of the 10th of `month` was recorded for some of its members.
    fn recorded_for_others(&self, month: YearMonth) -> bool {
        if let Some((_, known)) = self.recorded.borrow().iter().find(|(m, _)| *m == month) {
            return *known;
        }
        let known = self
            .catalogue
            .areas
            .iter()
            .filter(|a| in_tenth_release(a))
            .filter_map(|a| self.area_release(a, month))
            .any(|r| r.recorded);
        self.recorded.borrow_mut().push((month, known));
        known
    }
}

/// As [`area_release`], with the drift note's timing already read (`AreaFacts::note_timing`),
/// so a surface holding an area's facts reads no note again.
pub fn area_release_timed(
    area: &Area,
    timing: Option<NoteTiming>,
    month: YearMonth,
) -> Option<AreaRelease> {
    if area.state == State::Down || area.rule.cadence != Cadence::Monthly {
        return None;
    }
    let mut release = calendar::monthly_release(&area.rule, month);
    let mut by_note = false;
    if let Some(NoteTiming::WithRelease {
        data: Some(data),
        release_month,
    }) = timing
    {
        if release_month == month {
            release.carries = data;
            by_note = true;
        }
    }
    Some(AreaRelease {
        id: area.id,
        release,
        recorded: area.through.is_some_and(|t| t >= release.carries),
        by_note,
    })
}

/// The area's coming releases: `months` release months from the facts' next release on, each
/// as [`area_release`] gives it (the next one as the drift note names it, where it does). Empty
/// where no monthly release is promised: down, yearly, daily, or a note that gives no date.
pub fn coming_releases(
    area: &Area,
    catalogue: &Catalogue,
    facts: &AreaFacts,
    months: u32,
) -> Vec<AreaRelease> {
    let Some(first) = facts.next.release() else {
        return Vec::new();
    };
    (0..i64::from(months))
        .filter_map(|k| area_release(area, catalogue, first.release_month.plus(k)))
        .collect()
}

/// FLIS' own delay of a rule, as FLIS words it: data released in month M runs t.o.m. M − lag,
/// which FLIS calls "én måneds forsinkelse" for the usual lag of 2 and "3 måneders forsinkelse"
/// for KRL's and DREAM's lag of 4 (the month of the release is not counted).
pub fn flis_delay_months(rule: &crate::core::catalogue::ReleaseRule) -> u32 {
    rule.lag.saturating_sub(1)
}

/// The drift note's timing, while it still speaks of data to come: a note promising a month
/// that is now recorded ("Data for maj … snarest muligt" with May recorded) has been kept, and
/// the rule is in charge again.
fn timing_of(area: &Area, catalogue: &Catalogue) -> Option<NoteTiming> {
    let status = YearMonth::of_date(status_date(area, catalogue));
    let timing = area.note.as_deref().and_then(|n| note_timing(n, status))?;
    let promised = match timing {
        NoteTiming::Asap { data } | NoteTiming::WithRelease { data, .. } => data,
        NoteTiming::Unknown => None,
    };
    let kept = promised.is_some_and(|m| area.through.is_some_and(|t| t >= m));
    (!kept).then_some(timing)
}

/// The members of a release on the 10th: live monthly areas without an early window that have
/// a recorded month (an area with none can record nothing). Their DAP cubes follow it.
pub fn in_tenth_release(area: &Area) -> bool {
    area.state != State::Down
        && area.rule.cadence == Cadence::Monthly
        && area.rule.early.is_none()
        && area.through.is_some()
}

/// The release of the 10th of `month` was recorded for some of its members (and not all, or
/// this area would not ask).
fn recorded_for_others(catalogue: &Catalogue, month: YearMonth) -> bool {
    Reading::new(catalogue).recorded_for_others(month)
}

fn day_before(d: NaiveDate) -> NaiveDate {
    d.checked_sub_days(Days::new(1)).unwrap_or(d)
}

fn under_way(release: &Release, day: NaiveDate) -> bool {
    release.first_day <= day && day <= release.last_day
}

/// The facts of `area` on `today` (a Copenhagen date).
pub fn area_facts(area: &Area, catalogue: &Catalogue, today: NaiveDate) -> AreaFacts {
    facts_in(&Reading::new(catalogue), area, today)
}

fn facts_in(reading: &Reading<'_>, area: &Area, today: NaiveDate) -> AreaFacts {
    let catalogue = reading.catalogue;
    let status_date = status_date(area, catalogue);
    let stale = is_stale(status_date, today);
    let live = area.state != State::Down;
    let monthly = live && area.rule.cadence == Cadence::Monthly;
    let timing = reading.timing(area);
    let release_on = |day: NaiveDate| -> Option<AreaRelease> {
        if !monthly {
            return None;
        }
        let this = YearMonth::of_date(day);
        (0..3)
            .filter_map(|k| reading.area_release(area, this.plus(k)))
            .find(|r| under_way(&r.release, day))
    };
    // A release whose day `day` is and that is still pending then: not recorded for this area,
    // and (on the 10th) not recorded for the others without it.
    let pending_on = |day: NaiveDate| -> Option<Release> {
        release_on(day).and_then(|r| {
            let left_out = !r.release.is_window()
                && in_tenth_release(area)
                && reading.recorded_for_others(r.release.release_month);
            (!r.recorded && !left_out).then_some(r.release)
        })
    };
    let today_release = release_on(today);
    let pending = pending_on(today);
    let out_today = today_release.filter(|r| r.recorded).map(|r| r.release);
    let expected_now = monthly
        .then(|| calendar::expected_through(&area.rule, today))
        .flatten();
    // Behind: judged today, or on the status's own day when it is stale; a release pending on
    // that day does not count yet.
    let on = if stale { status_date.min(today) } else { today };
    let behind = if monthly {
        let judge = pending_on(on).map_or(on, |r| day_before(r.first_day));
        let latest = calendar::latest_monthly(&area.rule, judge);
        match (
            area.through,
            reading.area_release(area, latest.release_month),
        ) {
            (Some(through), Some(r)) if through < r.release.carries => Some(Behind {
                months: u32::try_from(r.release.carries.months_since(through)).unwrap_or(0),
                expected: r.release.carries,
                on,
                missed: r.release,
            }),
            _ => None,
        }
    } else {
        None
    };
    let problem = match area.state {
        State::Down => Some(Problem::Down),
        State::Disturbed => Some(Problem::Disturbed),
        State::Ok => behind.map(|_| Problem::Behind),
    };
    let next = next_for(reading, area, today, pending, timing);
    // Due today only where the release pending today is the area's next one: a drift note that
    // gives its own timing (or none) wins over the rule's day, so nothing promises it today.
    let due = pending.filter(|r| next.release() == Some(r));
    AreaFacts {
        id: area.id,
        state: area.state,
        through: area.through,
        status_date,
        stale,
        expected_now,
        due,
        out_today,
        behind,
        problem,
        next,
        note_timing: timing,
    }
}

fn next_for(
    reading: &Reading<'_>,
    area: &Area,
    today: NaiveDate,
    due: Option<Release>,
    timing: Option<NoteTiming>,
) -> Next {
    if area.state == State::Down {
        return Next::None { why: NoDate::Down };
    }
    match area.rule.cadence {
        Cadence::Yearly => {
            return Next::None {
                why: NoDate::Yearly,
            }
        }
        Cadence::Daily => {
            return Next::Daily {
                date: today.succ_opt().unwrap_or(today),
            }
        }
        Cadence::Monthly => {}
    }
    // The release due today is the next one until it is recorded; otherwise the first not yet
    // out by the rules.
    let rule_next = due.unwrap_or_else(|| {
        let next = calendar::next_monthly(&area.rule, today);
        reading
            .area_release(area, next.release_month)
            .map_or(next, |r| r.release)
    });
    match timing {
        Some(t @ (NoteTiming::Unknown | NoteTiming::Asap { .. })) => Next::None {
            why: NoDate::Note {
                timing: t,
                rule: Some(rule_next),
            },
        },
        Some(NoteTiming::WithRelease { release_month, .. })
            if release_month >= rule_next.release_month =>
        {
            match reading.area_release(area, release_month) {
                Some(r) => Next::Release {
                    release: r.release,
                    by_note: true,
                },
                None => Next::Release {
                    release: rule_next,
                    by_note: false,
                },
            }
        }
        _ => Next::Release {
            release: rule_next,
            by_note: false,
        },
    }
}

/// What is recorded of a release on the 10th, over its members.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Recorded {
    /// Every member carries the release's months.
    All,
    /// Some do; these do not (catalogue order).
    Some {
        missing: Vec<AreaId>,
    },
    None,
}

impl Recorded {
    pub fn any(&self) -> bool {
        !matches!(self, Recorded::None)
    }
}

/// The general monthly release (datapakker on the 10th, DAP cubes after) in one month, with
/// what is recorded of it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct GeneralRelease {
    /// The standard rule's release (data t.o.m. M − 2).
    pub release: Release,
    /// The DAP cubes' window (the 11th–12th).
    pub dap: (NaiveDate, NaiveDate),
    pub recorded: Recorded,
}

/// The general release of release month `month`.
pub fn general_release(catalogue: &Catalogue, month: YearMonth) -> GeneralRelease {
    general_in(&Reading::new(catalogue), month)
}

fn general_in(reading: &Reading<'_>, month: YearMonth) -> GeneralRelease {
    let catalogue = reading.catalogue;
    let release = calendar::general_release(month);
    let mut all = true;
    let mut missing = Vec::new();
    for a in catalogue.areas.iter().filter(|a| in_tenth_release(a)) {
        match reading.area_release(a, month) {
            Some(r) if r.recorded => {}
            Some(_) => {
                all = false;
                missing.push(a.id);
            }
            None => {}
        }
    }
    let members = catalogue
        .areas
        .iter()
        .filter(|a| in_tenth_release(a))
        .count();
    let recorded = if all && members > 0 {
        Recorded::All
    } else if missing.len() < members {
        Recorded::Some { missing }
    } else {
        Recorded::None
    };
    GeneralRelease {
        release,
        dap: calendar::dap_window(&release),
        recorded,
    }
}

/// The DAP cubes on one of their days.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct DapToday {
    pub release: Release,
    pub first_day: NaiveDate,
    pub last_day: NaiveDate,
    /// Today is the window's last day: "i dag", not "i dag eller i morgen".
    pub last_day_today: bool,
}

/// Facts about the catalogue as a whole on one day.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CatalogueFacts {
    pub today: NaiveDate,
    /// The catalogue's "pr." date (its last status document or as-of).
    pub as_of: NaiveDate,
    /// The status date most areas share (the newest of equally common ones): the catalogue's
    /// "pr." as a listing of all areas says it; areas with another date say their own.
    pub status_date: NaiveDate,
    /// That status is stale: said once, for the whole catalogue. A few stale areas in a fresh
    /// catalogue (those the last document did not list) are said per area instead.
    pub stale: bool,
    /// The oldest status any area rests on.
    pub oldest_status: NaiveDate,
    /// What the standard rule expects recorded today.
    pub expected_now: Option<YearMonth>,
    /// The general release whose day today is (the 10th), with what is recorded of it.
    pub today_release: Option<GeneralRelease>,
    /// The latest general release out by the rules (today's included), with what is recorded.
    pub latest: GeneralRelease,
    /// The first general release not yet out by the rules.
    pub next: GeneralRelease,
    /// The DAP cubes when today is one of their days.
    pub dap_today: Option<DapToday>,
    /// Every area's facts, in the catalogue's order.
    pub areas: Vec<AreaFacts>,
}

impl CatalogueFacts {
    pub fn area(&self, id: AreaId) -> Option<&AreaFacts> {
        self.areas.iter().find(|f| f.id == id)
    }

    /// The areas with a problem, in the order problems are listed.
    pub fn problems(&self) -> Vec<&AreaFacts> {
        let mut out: Vec<&AreaFacts> = self.areas.iter().filter(|f| f.problem.is_some()).collect();
        out.sort_by_key(|f| problem_key(f));
        out
    }

    /// Every area, problems first in their order, then the rest in catalogue order.
    pub fn problems_first(&self) -> Vec<&AreaFacts> {
        let mut out: Vec<&AreaFacts> = self.areas.iter().collect();
        out.sort_by_key(|f| problem_key(f));
        out
    }
}

/// Down, disturbed, behind (most months first), then no problem; stable within.
pub fn problem_key(f: &AreaFacts) -> (u8, Reverse<u32>) {
    match f.problem {
        Some(Problem::Down) => (0, Reverse(0)),
        Some(Problem::Disturbed) => (1, Reverse(0)),
        Some(Problem::Behind) => (2, Reverse(f.behind.map_or(0, |b| b.months))),
        None => (3, Reverse(0)),
    }
}

/// The status date most of these areas share; of equally common dates, the newest.
pub fn common_status_date<'a>(areas: impl IntoIterator<Item = &'a AreaFacts>) -> Option<NaiveDate> {
    let mut counts: Vec<(NaiveDate, usize)> = Vec::new();
    for f in areas {
        match counts.iter_mut().find(|(d, _)| *d == f.status_date) {
            Some((_, n)) => *n += 1,
            None => counts.push((f.status_date, 1)),
        }
    }
    counts
        .into_iter()
        .max_by_key(|(d, n)| (*n, *d))
        .map(|(d, _)| d)
}

/// The facts of the whole catalogue on `today`.
pub fn catalogue_facts(catalogue: &Catalogue, today: NaiveDate) -> CatalogueFacts {
    let reading = Reading::new(catalogue);
    let standard = calendar::standard_rule();
    let this = YearMonth::of_date(today);
    let latest = calendar::latest_monthly(&standard, today);
    let next = calendar::next_monthly(&standard, today);
    let areas: Vec<AreaFacts> = catalogue
        .areas
        .iter()
        .map(|a| facts_in(&reading, a, today))
        .collect();
    let oldest_status = areas
        .iter()
        .map(|f| f.status_date)
        .min()
        .unwrap_or(catalogue.as_of);
    let dap_today = calendar::dap_due(today).map(|release| {
        let (first_day, last_day) = calendar::dap_window(&release);
        DapToday {
            release,
            first_day,
            last_day,
            last_day_today: last_day == today,
        }
    });
    let status_date = common_status_date(&areas).unwrap_or(catalogue.as_of);
    CatalogueFacts {
        today,
        as_of: catalogue.as_of,
        status_date,
        stale: is_stale(status_date, today),
        oldest_status,
        expected_now: calendar::expected_through(&standard, today),
        today_release: (calendar::general_release(this).last_day == today)
            .then(|| general_in(&reading, this)),
        latest: general_in(&reading, latest.release_month),
        next: general_in(&reading, next.release_month),
        dap_today,
        areas,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::catalogue::default_catalogue;
    use crate::test_support::ym;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn facts(c: &Catalogue, today: &str) -> CatalogueFacts {
        catalogue_facts(c, d(today))
    }

    fn behind(f: &CatalogueFacts) -> Vec<(AreaId, u32)> {
        f.areas
            .iter()
            .filter_map(|a| a.behind.map(|b| (a.id, b.months)))
            .collect()
    }

    fn due(f: &CatalogueFacts) -> Vec<AreaId> {
        f.areas
            .iter()
            .filter(|a| a.due.is_some())
            .map(|a| a.id)
            .collect()
    }

    /// The seed catalogue after operators recorded release month `month` (as `admin release`
    /// does), except the areas named.
    fn released(month: &str, except: &[AreaId]) -> Catalogue {
        let mut c = default_catalogue().clone();
        let m = ym(month);
        for a in &mut c.areas {
            if except.contains(&a.id) || a.state == State::Down {
                continue;
            }
            if a.rule.cadence == Cadence::Monthly {
                a.through = Some(calendar::monthly_release(&a.rule, m).carries);
            }
        }
        c
    }

    const ORDINARY: &[AreaId] = &[
        AreaId::Borger,
        AreaId::Oekonomi,
        AreaId::Personale,
        AreaId::Noegletal,
        AreaId::Skole,
        AreaId::Dagtilbud,
        AreaId::Aula,
        AreaId::Fsiii,
        AreaId::Udsatte,
        AreaId::Vh,
        AreaId::Ky,
        AreaId::Kp,
        AreaId::Yr,
    ];

    #[test]
    fn on_the_seed_day_only_krl_is_behind_and_problems_are_down_disturbed_behind() {
        let f = facts(default_catalogue(), "2025-09-10");
        assert_eq!(behind(&f), [(AreaId::Krl, 1)]);
        let krl = f.area(AreaId::Krl).unwrap();
        assert_eq!(krl.behind.unwrap().expected, ym("2025-05"));
        assert_eq!(krl.problem, Some(Problem::Disturbed));
        let order: Vec<AreaId> = f.problems().iter().map(|a| a.id).collect();
        assert_eq!(
            order,
            [
                AreaId::Aeldre,
                AreaId::Dfdg,
                AreaId::Oekonomi,
                AreaId::Krl,
                AreaId::Skole,
                AreaId::Fsiii,
                AreaId::Vh
            ]
        );
        assert!(due(&f).is_empty(), "the seed records September's release");
        assert_eq!(
            f.latest.recorded,
            Recorded::Some {
                missing: vec![AreaId::Krl]
            }
        );
        assert!(!f.stale);
    }

    #[test]
    fn a_release_is_due_on_its_day_and_behind_from_the_day_after() {
        let c = released("2025-09", &[]);
        // The 9th: nothing due; only the early areas, whose window for October closed in
        // September without being recorded, are behind.
        let f = facts(&c, "2025-10-09");
        assert!(due(&f).is_empty());
        assert_eq!(behind(&f), [(AreaId::BorgerFlex, 1), (AreaId::Dream, 1)]);
        // The 10th: every area of the release is due, none is behind because of it; but not
        // where the drift note gives its own timing (Skole "pt. ukendt"): the rule's day
        // promises nothing there, its next release says so. KRL's note ("Data for maj …
        // snarest muligt") was kept when September's release recorded May: the rule decides.
        let f = facts(&c, "2025-10-10");
        let mut want: Vec<AreaId> = ORDINARY
            .iter()
            .copied()
            .filter(|id| *id != AreaId::Skole)
            .chain([AreaId::Krl])
            .collect();
        want.sort();
        let mut got = due(&f);
        got.sort();
        assert_eq!(got, want);
        {
            let a = f.area(AreaId::Skole).unwrap();
            assert!(
                matches!(
                    a.next,
                    Next::None {
                        why: NoDate::Note { .. }
                    }
                ) && a.behind.is_none(),
                "skole: {a:?}"
            );
        }
        assert_eq!(behind(&f), [(AreaId::BorgerFlex, 1), (AreaId::Dream, 1)]);
        assert_eq!(f.today_release.as_ref().unwrap().recorded, Recorded::None);
        let fsiii = f.area(AreaId::Fsiii).unwrap();
        assert_eq!(
            fsiii.next.release().map(|r| r.release_month),
            Some(ym("2025-10")),
            "the release due today is the next one until recorded"
        );
        // The 11th, still not recorded: behind by one month.
        let f = facts(&c, "2025-10-11");
        assert!(due(&f).is_empty());
        let b = behind(&f);
        assert_eq!(
            b.len(),
            ORDINARY.len() + 3,
            "with KRL and the early areas: {b:?}"
        );
        assert!(b.iter().all(|(_, n)| *n == 1));
        assert_eq!(f.area(AreaId::Ky).unwrap().problem, Some(Problem::Behind));
    }

    #[test]
    fn a_release_due_today_is_the_areas_next_one_at_every_moment() {
        // "Ventes i dag" and the next release are one fact: where the drift note wins over the
        // rule, nothing is due.
        for m in moments::moments() {
            for f in m.facts().areas {
                if let Some(due) = f.due {
                    assert_eq!(f.next.release(), Some(&due), "{}: {}", m.name, f.id);
                }
            }
        }
    }

    #[test]
    fn once_recorded_a_release_is_out_today_and_an_area_left_out_is_behind_at_once() {
        let c = released("2025-10", &[AreaId::Krl]);
        let f = facts(&c, "2025-10-10");
        let ky = f.area(AreaId::Ky).unwrap();
        assert!(ky.due.is_none());
        assert_eq!(ky.out_today.map(|r| r.release_month), Some(ym("2025-10")));
        assert_eq!(
            ky.next.release().map(|r| r.release_month),
            Some(ym("2025-11"))
        );
        // KRL, left out of the release the others have, is behind now, not due.
        let krl = f.area(AreaId::Krl).unwrap();
        assert!(krl.due.is_none());
        assert_eq!(krl.behind.map(|b| b.months), Some(2));
        assert_eq!(
            f.today_release.as_ref().unwrap().recorded,
            Recorded::Some {
                missing: vec![AreaId::Krl]
            }
        );
    }

    #[test]
    fn an_early_window_is_due_through_its_last_day() {
        let c = default_catalogue();
        // DREAM's October release: 19.–26. september, data t.o.m. juni.
        for day in ["2025-09-19", "2025-09-22", "2025-09-26"] {
            let dream = facts(c, day).area(AreaId::Dream).cloned().unwrap();
            assert_eq!(
                dream.due.map(|r| (r.release_month, r.carries)),
                Some((ym("2025-10"), ym("2025-06"))),
                "{day}"
            );
            assert!(dream.behind.is_none(), "{day}");
        }
        let dream = facts(c, "2025-09-27").area(AreaId::Dream).cloned().unwrap();
        assert!(dream.due.is_none());
        assert_eq!(dream.behind.map(|b| b.months), Some(1));
    }

    #[test]
    fn down_areas_expect_nothing_and_are_never_behind() {
        for day in ["2025-09-10", "2025-10-10", "2026-03-15"] {
            let f = facts(default_catalogue(), day);
            for id in [AreaId::Dfdg, AreaId::Aeldre] {
                let a = f.area(id).unwrap();
                assert_eq!(a.problem, Some(Problem::Down));
                assert!(a.behind.is_none() && a.due.is_none() && a.expected_now.is_none());
                assert_eq!(a.next, Next::None { why: NoDate::Down }, "{id} {day}");
            }
        }
    }

    #[test]
    fn a_stale_status_is_judged_on_its_own_day_and_is_no_problem_itself() {
        // March 2026 with the September 2025 catalogue.
        let f = facts(default_catalogue(), "2026-03-15");
        assert!(f.stale);
        assert!(f.areas.iter().all(|a| a.stale));
        assert_eq!(behind(&f), [(AreaId::Krl, 1)]);
        assert_eq!(
            f.area(AreaId::Krl).unwrap().behind.unwrap().on,
            d("2025-09-10")
        );
        assert_eq!(f.problems().len(), 7, "stale is said, not counted");
        assert_eq!(
            f.area(AreaId::Ky).unwrap().expected_now,
            Some(ym("2026-01"))
        );
    }

    #[test]
    fn the_notes_timing_wins_over_the_rule() {
        let f = facts(default_catalogue(), "2025-09-15");
        // KRL: "Data for maj vil blive vist i FLIS snarest muligt".
        match f.area(AreaId::Krl).unwrap().next {
            Next::None {
                why:
                    NoDate::Note {
                        timing: NoteTiming::Asap { data },
                        rule: Some(rule),
                    },
            } => {
                assert_eq!(data, Some(ym("2025-05")));
                assert_eq!(rule.release_month, ym("2025-10"));
            }
            other => panic!("{other:?}"),
        }
        // Skole: "tidsplan for udgivelse er pt. ukendt".
        assert!(matches!(
            f.area(AreaId::Skole).unwrap().next,
            Next::None {
                why: NoDate::Note {
                    timing: NoteTiming::Unknown,
                    ..
                }
            }
        ));
        // A note naming a later release: that release, with the note's month.
        let mut c = default_catalogue().clone();
        c.as_of = d("2025-11-10");
        let krl = c.area_mut(AreaId::Krl).unwrap();
        krl.through = Some(ym("2025-06"));
        krl.note = Some("Data for juli forventes med udgivelsen i december.".into());
        let f = facts(&c, "2025-11-20");
        let krl = f.area(AreaId::Krl).unwrap();
        match krl.next {
            Next::Release { release, by_note } => {
                assert!(by_note);
                assert_eq!(release.release_month, ym("2025-12"));
                assert_eq!(release.carries, ym("2025-07"));
                assert_eq!(release.last_day, d("2025-12-10"));
            }
            other => panic!("{other:?}"),
        }
        let dec = area_release(c.area(AreaId::Krl).unwrap(), &c, ym("2025-12")).unwrap();
        assert_eq!(
            dec.release.carries,
            ym("2025-07"),
            "the calendar reads the same"
        );
    }

    #[test]
    fn the_catalogues_status_is_the_one_most_areas_share_and_a_few_old_ones_are_their_own() {
        // The November document lists 17 areas; Borger Flex and the Ukraine cube keep 10/9.
        let mut c = default_catalogue().clone();
        c.as_of = d("2025-11-10");
        for a in &mut c.areas {
            if !matches!(a.id, AreaId::BorgerFlex | AreaId::Ukraine) {
                a.status_date = Some(c.as_of);
            }
        }
        let f = facts(&c, "2025-12-05");
        assert_eq!(f.status_date, d("2025-11-10"));
        assert!(!f.stale, "the catalogue is fresh");
        assert!(
            f.area(AreaId::BorgerFlex).unwrap().stale,
            "the old one says so itself"
        );
        // After `admin release` confirmed most areas, the catalogue's as-of date no longer
        // decides: the status they rest on is fresh.
        let mut r = default_catalogue().clone();
        for a in r.areas.iter_mut().take(12) {
            a.status_date = Some(d("2025-11-10"));
        }
        let f = facts(&r, "2025-12-05");
        assert_eq!((f.status_date, f.stale), (d("2025-11-10"), false));
        // One area changed lately does not make an old catalogue fresh.
        let mut one = default_catalogue().clone();
        one.area_mut(AreaId::Krl).unwrap().status_date = Some(d("2025-11-30"));
        let f = facts(&one, "2025-12-05");
        assert_eq!((f.status_date, f.stale), (d("2025-09-10"), true));
    }

    #[test]
    fn a_note_whose_promised_month_is_recorded_no_longer_decides() {
        // KRL's seed note: "Data for maj vil blive vist i FLIS snarest muligt".
        let mut c = default_catalogue().clone();
        c.area_mut(AreaId::Krl).unwrap().through = Some(ym("2025-05"));
        let krl = facts(&c, "2025-09-15").area(AreaId::Krl).cloned().unwrap();
        assert_eq!(krl.note_timing, None);
        assert_eq!(
            krl.next.release().map(|r| (r.release_month, r.carries)),
            Some((ym("2025-10"), ym("2025-06"))),
            "the rule again"
        );
    }

    #[test]
    fn daily_and_yearly_areas() {
        let f = facts(default_catalogue(), "2025-12-31");
        assert_eq!(
            f.area(AreaId::Ukraine).unwrap().next,
            Next::Daily {
                date: d("2026-01-01")
            }
        );
        let mut c = default_catalogue().clone();
        c.area_mut(AreaId::Aula).unwrap().rule.cadence = Cadence::Yearly;
        let f = facts(&c, "2025-12-31");
        let aula = f.area(AreaId::Aula).unwrap();
        assert_eq!(
            aula.next,
            Next::None {
                why: NoDate::Yearly
            }
        );
        assert!(aula.behind.is_none() && aula.expected_now.is_none());
    }

    #[test]
    fn the_dap_cubes_window_knows_its_last_day() {
        let c = default_catalogue();
        assert!(facts(c, "2025-10-10").dap_today.is_none());
        let eleventh = facts(c, "2025-10-11").dap_today.unwrap();
        assert!(!eleventh.last_day_today);
        let twelfth = facts(c, "2025-10-12").dap_today.unwrap();
        assert!(twelfth.last_day_today);
        assert!(facts(c, "2025-10-13").dap_today.is_none());
    }

    #[test]
    fn behind_areas_that_run_are_problems_after_the_disturbed_most_months_first() {
        let mut c = released("2025-09", &[]);
        c.area_mut(AreaId::Yr).unwrap().through = Some(ym("2025-05"));
        c.area_mut(AreaId::Kp).unwrap().through = Some(ym("2025-06"));
        let f = facts(&c, "2025-09-20");
        let order: Vec<AreaId> = f.problems().iter().map(|a| a.id).collect();
        assert_eq!(&order[order.len() - 2..], [AreaId::Yr, AreaId::Kp]);
        assert_eq!(order[0], AreaId::Aeldre);
    }

    #[test]
    fn coming_releases_start_at_the_next_one_and_follow_the_note() {
        let c = default_catalogue();
        let f = facts(c, "2025-09-15");
        let ky = c.area(AreaId::Ky).unwrap();
        let coming = coming_releases(ky, c, f.area(AreaId::Ky).unwrap(), 3);
        let months: Vec<(YearMonth, YearMonth)> = coming
            .iter()
            .map(|r| (r.release.release_month, r.release.carries))
            .collect();
        assert_eq!(
            months,
            [
                (ym("2025-10"), ym("2025-08")),
                (ym("2025-11"), ym("2025-09")),
                (ym("2025-12"), ym("2025-10"))
            ]
        );
        assert!(coming.iter().all(|r| !r.recorded && !r.by_note));
        // Down, daily and a note without a date: nothing promised.
        for id in [AreaId::Dfdg, AreaId::Ukraine, AreaId::Krl, AreaId::Skole] {
            let a = c.area(id).unwrap();
            assert!(
                coming_releases(a, c, f.area(id).unwrap(), 3).is_empty(),
                "{id}"
            );
        }
        // A release due today is the first coming one.
        let c = released("2025-09", &[]);
        let f = facts(&c, "2025-10-10");
        let borger = c.area(AreaId::Borger).unwrap();
        let coming = coming_releases(borger, &c, f.area(AreaId::Borger).unwrap(), 1);
        assert_eq!(coming[0].release.release_month, ym("2025-10"));
        // A note naming a later release: that release first, with the note's month.
        let m = moments::moment("a note naming a later release");
        let (c, f) = (&m.catalogue, m.facts());
        let krl = c.area(AreaId::Krl).unwrap();
        let coming = coming_releases(krl, c, f.area(AreaId::Krl).unwrap(), 2);
        assert_eq!(
            (
                coming[0].release.release_month,
                coming[0].release.carries,
                coming[0].by_note
            ),
            (ym("2025-12"), ym("2025-07"), true)
        );
        assert_eq!(
            (coming[1].release.release_month, coming[1].by_note),
            (ym("2026-01"), false)
        );
    }

    #[test]
    fn flis_counts_the_delay_without_the_release_month() {
        let c = default_catalogue();
        let delay = |id| flis_delay_months(&c.area(id).unwrap().rule);
        assert_eq!(delay(AreaId::Ky), 1, "én måneds forsinkelse");
        assert_eq!(delay(AreaId::Krl), 3, "3 måneders forsinkelse");
        assert_eq!(delay(AreaId::Dream), 3);
        assert_eq!(delay(AreaId::BorgerFlex), 1);
    }
}
