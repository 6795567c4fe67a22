//! Facts about one release asked for by month: "hvornår kommer maj-data for KRL?" (a data
//! month), "hvad kommer der med KY i december?" (a release month), "kommer der nyt i oktober?"
//! (what a calendar month brings). Read with the same rules as [`area_facts`](super::area_facts):
//! recorded only when the t.o.m. carries it, due on its day, missing from the day after (at once
//! for an area left out of a release the others have), nothing for an area that is down.

use chrono::NaiveDate;
use serde::Serialize;

use super::{
    area_release, general_release, in_tenth_release, recorded_for_others, timing_of, AreaRelease,
    GeneralRelease, NoteTiming, Recorded,
};
use crate::core::calendar::{self, Release};
use crate::core::catalogue::{Area, Cadence, Catalogue, State};
use crate::core::year_month::YearMonth;

/// Where one release stands on a day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MonthState {
    /// The recorded t.o.m. carries it.
    Recorded,
    /// Its day is today (or its early window is open) and it is not recorded.
    DueToday,
    /// Its day has passed and it is not recorded: behind.
    Missing,
    /// Its day lies ahead.
    Expected,
    /// No release carries it: the area is down or not released monthly.
    NoDate,
}

/// One area's release asked for by month.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct AreaMonth {
    /// The release that carries it (the rules', or the one the drift note names).
    pub release: Option<Release>,
    pub state: MonthState,
}

fn no_date() -> AreaMonth {
    AreaMonth {
        release: None,
        state: MonthState::NoDate,
    }
}

fn released(area: &Area) -> bool {
    area.state != State::Down && area.rule.cadence == Cadence::Monthly
}

fn state_of(area: &Area, catalogue: &Catalogue, today: NaiveDate, r: AreaRelease) -> MonthState {
    let release = r.release;
    if r.recorded {
        MonthState::Recorded
    } else if release.first_day <= today && today <= release.last_day {
        let left_out = !release.is_window()
            && in_tenth_release(area)
            && recorded_for_others(catalogue, release.release_month);
        if left_out {
            MonthState::Missing
        } else {
            MonthState::DueToday
        }
    } else if release.is_out(today) {
        MonthState::Missing
    } else {
        MonthState::Expected
    }
}

/// The release of `area` in release month `month` on `today`.
pub fn area_release_month(
    area: &Area,
    catalogue: &Catalogue,
    today: NaiveDate,
    month: YearMonth,
) -> AreaMonth {
    match area_release(area, catalogue, month) {
        Some(r) => AreaMonth {
            release: Some(r.release),
            state: state_of(area, catalogue, today, r),
        },
        None => no_date(),
    }
}

/// The release of `area` that carries data month `data` on `today`: the one the drift note
/// names for that month, else the rules'.
pub fn area_data_month(
    area: &Area,
    catalogue: &Catalogue,
    today: NaiveDate,
    data: YearMonth,
) -> AreaMonth {
    if !released(area) {
        return no_date();
    }
    let by_note = match timing_of(area, catalogue) {
        Some(NoteTiming::WithRelease {
            data: Some(d),
            release_month,
        }) if d == data => area_release(area, catalogue, release_month),
        _ => None,
    };
    let r = by_note.unwrap_or_else(|| {
        let release = calendar::monthly_release(&area.rule, data.plus(i64::from(area.rule.lag)));
        AreaRelease {
            id: area.id,
            release,
            recorded: false,
            by_note: false,
        }
    });
    let r = AreaRelease {
        recorded: area.through.is_some_and(|t| t >= data),
        ..r
    };
    AreaMonth {
        release: Some(r.release),
        state: state_of(area, catalogue, today, r),
    }
}

/// The general release asked for by month, with what is recorded of it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct GeneralMonth {
    pub general: GeneralRelease,
    /// `Recorded` when any member carries it (`general.recorded` says which do not).
    pub state: MonthState,
}

/// The general release of release month `month` on `today`.
pub fn general_release_month(
    catalogue: &Catalogue,
    today: NaiveDate,
    month: YearMonth,
) -> GeneralMonth {
    let general = general_release(catalogue, month);
    let release = general.release;
    let state = if general.recorded != Recorded::None {
        MonthState::Recorded
    } else if release.last_day == today {
        MonthState::DueToday
    } else if release.is_out(today) {
        MonthState::Missing
    } else {
        MonthState::Expected
    };
    GeneralMonth { general, state }
}

/// The general release that carries data month `data` (on the standard delay) on `today`.
pub fn general_data_month(
    catalogue: &Catalogue,
    today: NaiveDate,
    data: YearMonth,
) -> GeneralMonth {
    general_release_month(
        catalogue,
        today,
        data.plus(i64::from(calendar::STANDARD_LAG)),
    )
}

/// The early releases (DREAM's and Borger Flex' windows) with a day in calendar month `month`,
/// by release, then in catalogue order; areas that are down have none.
pub fn early_in_month(catalogue: &Catalogue, month: YearMonth) -> Vec<AreaRelease> {
    let mut out: Vec<AreaRelease> = Vec::new();
    for k in 0..3 {
        for area in catalogue
            .areas
            .iter()
            .filter(|a| released(a) && a.rule.early.is_some())
        {
            if let Some(r) = area_release(area, catalogue, month.plus(k)) {
                let (first, last) = (
                    YearMonth::of_date(r.release.first_day),
                    YearMonth::of_date(r.release.last_day),
                );
                if first <= month && month <= last {
                    out.push(r);
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::catalogue::{default_catalogue, AreaId};
    use crate::test_support::ym;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn area(c: &Catalogue, id: AreaId) -> &Area {
        c.area(id).unwrap()
    }

    #[test]
    fn a_data_month_is_recorded_due_missing_expected_or_has_no_date() {
        let c = default_catalogue();
        let seed = d("2025-09-10");
        // (area, data month, today, state, release day)
        let cases = [
            (
                AreaId::Yr,
                "2025-06",
                seed,
                MonthState::Recorded,
                "2025-08-10",
            ),
            (
                AreaId::Yr,
                "2025-08",
                seed,
                MonthState::Expected,
                "2025-10-10",
            ),
            (
                AreaId::Krl,
                "2025-05",
                seed,
                MonthState::Missing,
                "2025-09-10",
            ),
            (
                AreaId::Ky,
                "2025-08",
                d("2025-10-10"),
                MonthState::DueToday,
                "2025-10-10",
            ),
            (
                AreaId::Ky,
                "2025-08",
                d("2025-10-11"),
                MonthState::Missing,
                "2025-10-10",
            ),
            (
                AreaId::Dream,
                "2025-06",
                d("2025-09-22"),
                MonthState::DueToday,
                "2025-09-26",
            ),
        ];
        for (id, data, today, state, day) in cases {
            let m = area_data_month(area(c, id), c, today, ym(data));
            assert_eq!(m.state, state, "{id} {data} {today}");
            assert_eq!(m.release.map(|r| r.last_day), Some(d(day)), "{id} {data}");
        }
        let dfdg = area_data_month(area(c, AreaId::Dfdg), c, seed, ym("2025-07"));
        assert_eq!((dfdg.state, dfdg.release), (MonthState::NoDate, None));
    }

    #[test]
    fn a_data_month_the_note_names_comes_with_the_notes_release() {
        let mut c = default_catalogue().clone();
        c.as_of = d("2025-11-10");
        let krl = c.area_mut(AreaId::Krl).unwrap();
        krl.through = Some(ym("2025-06"));
        krl.note = Some("Data for juli forventes med udgivelsen i december.".into());
        let m = area_data_month(area(&c, AreaId::Krl), &c, d("2025-11-20"), ym("2025-07"));
        assert_eq!(m.state, MonthState::Expected);
        assert_eq!(m.release.map(|r| r.last_day), Some(d("2025-12-10")));
    }

    #[test]
    fn an_area_left_out_of_a_recorded_release_misses_it_on_the_day() {
        let mut c = default_catalogue().clone();
        for a in &mut c.areas {
            if a.id != AreaId::Krl && a.through == Some(ym("2025-07")) {
                a.through = Some(ym("2025-08"));
            }
        }
        let today = d("2025-10-10");
        let krl = area_release_month(area(&c, AreaId::Krl), &c, today, ym("2025-10"));
        assert_eq!(krl.state, MonthState::Missing);
        let ky = area_release_month(area(&c, AreaId::Ky), &c, today, ym("2025-10"));
        assert_eq!(ky.state, MonthState::Recorded);
    }

    #[test]
    fn the_general_release_by_month() {
        let c = default_catalogue();
        let seed = d("2025-09-10");
        assert_eq!(
            general_release_month(c, seed, ym("2025-09")).state,
            MonthState::Recorded,
            "recorded for all but KRL"
        );
        assert_eq!(
            general_release_month(c, d("2025-10-10"), ym("2025-10")).state,
            MonthState::DueToday
        );
        assert_eq!(
            general_release_month(c, d("2025-10-11"), ym("2025-10")).state,
            MonthState::Missing
        );
        let dec = general_data_month(c, seed, ym("2025-10"));
        assert_eq!(dec.state, MonthState::Expected);
        assert_eq!(dec.general.release.last_day, d("2025-12-10"));
    }

    #[test]
    fn the_early_releases_of_a_calendar_month_are_those_with_a_day_in_it() {
        let c = default_catalogue();
        // October 2025: the windows of the November release (20.–27. oktober).
        let oct = early_in_month(c, ym("2025-10"));
        let ids: Vec<AreaId> = oct.iter().map(|r| r.id).collect();
        assert_eq!(ids, [AreaId::BorgerFlex, AreaId::Dream]);
        assert!(oct.iter().all(|r| r.release.release_month == ym("2025-11")));
        assert_eq!(oct[1].release.first_day, d("2025-10-20"));
        assert_eq!(oct[1].release.carries, ym("2025-07"));
        // February 2026: the March release's window begins in February.
        let feb = early_in_month(c, ym("2026-02"));
        assert!(feb.iter().all(|r| r.release.release_month == ym("2026-03")));
        assert_eq!(feb.len(), 2);
    }
}
