//! The release calendar: when an area's data is expected, computed from its release rule and
//! the Danish date. Pure: every function takes "today" (a Copenhagen date) as an argument.
//!
//! Readings fixed by the spec: the monthly release is on the 10th whatever the weekday; an early
//! window (DREAM, Borger Flex) belongs to the release whose 10th it follows and carries that
//! release's months; DAP cubes follow on the 11th–12th; a release counts as out from its expected
//! day on, a window from its last day.

use chrono::{Days, NaiveDate};

use crate::core::catalogue::{Cadence, ReleaseRule};
use crate::core::year_month::YearMonth;

/// The day of the month the datapakker are expected.
pub const RELEASE_DAY: u32 = 10;
/// DAP cubes come 1–2 days after the datapakker.
pub const DAP_DELAY_DAYS: (u64, u64) = (1, 2);
/// The general monthly release: data t.o.m. M − 2, on the 10th.
pub const STANDARD_LAG: u32 = 2;

/// One expected release of a monthly area.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Release {
    /// The monthly release this belongs to (an early window belongs to the next 10th).
    pub release_month: YearMonth,
    pub first_day: NaiveDate,
    /// The day the release counts as out.
    pub last_day: NaiveDate,
    /// Data t.o.m. that the release carries.
    pub carries: YearMonth,
}

impl Release {
    pub fn is_window(&self) -> bool {
        self.first_day != self.last_day
    }

    pub fn is_out(&self, today: NaiveDate) -> bool {
        today >= self.last_day
    }
}

/// What the rules say about the next update of an area.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NextUpdate {
    Monthly(Release),
    /// Updated every night; the next update is the night into this date.
    Daily(NaiveDate),
    /// Yearly with no date in the rules: promise none.
    Yearly,
}

fn release_day(month: YearMonth) -> NaiveDate {
    // The 10th exists in every month; the fallback only satisfies the type.
    NaiveDate::from_ymd_opt(month.year(), month.month(), RELEASE_DAY).unwrap_or_default()
}

fn days_before(day: NaiveDate, n: u32) -> NaiveDate {
    day.checked_sub_days(Days::new(u64::from(n))).unwrap_or(day)
}

/// The release of a monthly area in release month `month`.
pub fn monthly_release(rule: &ReleaseRule, month: YearMonth) -> Release {
    let tenth = release_day(month);
    let (first_day, last_day) = match rule.early {
        Some(w) => {
            let (far, near) = (w.from_days.max(w.to_days), w.from_days.min(w.to_days));
            (days_before(tenth, far), days_before(tenth, near))
        }
        None => (tenth, tenth),
    };
    Release {
        release_month: month,
        first_day,
        last_day,
        carries: month.minus(i64::from(rule.lag)),
    }
}

/// The general monthly release (datapakker, then DAP cubes) in release month `month`.
pub fn general_release(month: YearMonth) -> Release {
    monthly_release(&standard_rule(), month)
}

/// The rule of an ordinary monthly area.
pub fn standard_rule() -> ReleaseRule {
    ReleaseRule {
        cadence: Cadence::Monthly,
        lag: STANDARD_LAG,
        early: None,
        remark: None,
    }
}

/// The DAP cube window that follows a release on the 10th.
pub fn dap_window(release: &Release) -> (NaiveDate, NaiveDate) {
    let tenth = release_day(release.release_month);
    let add = |n| tenth.checked_add_days(Days::new(n)).unwrap_or(tenth);
    (add(DAP_DELAY_DAYS.0), add(DAP_DELAY_DAYS.1))
}

/// The first monthly release not yet out on `today`.
pub fn next_monthly(rule: &ReleaseRule, today: NaiveDate) -> Release {
    let this_month = YearMonth::of_date(today);
    // An early window lies at most a few weeks before its 10th, so three months always suffice.
    (0..3)
        .map(|k| monthly_release(rule, this_month.plus(k)))
        .find(|r| !r.is_out(today))
        .unwrap_or_else(|| monthly_release(rule, this_month.plus(3)))
}

/// The newest monthly release out on `today`.
pub fn latest_monthly(rule: &ReleaseRule, today: NaiveDate) -> Release {
    let this_month = YearMonth::of_date(today);
    (-1..3)
        .rev()
        .map(|k| monthly_release(rule, this_month.plus(k)))
        .find(|r| r.is_out(today))
        .unwrap_or_else(|| monthly_release(rule, this_month.minus(2)))
}

pub fn next_update(rule: &ReleaseRule, today: NaiveDate) -> NextUpdate {
    match rule.cadence {
        Cadence::Monthly => NextUpdate::Monthly(next_monthly(rule, today)),
        Cadence::Daily => NextUpdate::Daily(today.succ_opt().unwrap_or(today)),
        Cadence::Yearly => NextUpdate::Yearly,
    }
}

/// The monthly release whose day `today` is: the 10th, or a day of its early window (the last
/// day included). On such a day the release "ventes i dag" until operators have recorded it.
pub fn release_under_way(rule: &ReleaseRule, today: NaiveDate) -> Option<Release> {
    if rule.cadence != Cadence::Monthly {
        return None;
    }
    let this_month = YearMonth::of_date(today);
    (0..3)
        .map(|k| monthly_release(rule, this_month.plus(k)))
        .find(|r| r.first_day <= today && today <= r.last_day)
}

/// The general release whose DAP cubes are due on `today` (the 11th–12th: "i dag eller i morgen").
pub fn dap_due(today: NaiveDate) -> Option<Release> {
    let r = general_release(YearMonth::of_date(today));
    let (first, last) = dap_window(&r);
    (first <= today && today <= last).then_some(r)
}

/// The data t.o.m. the rules expect to be out on `date`; `None` where the rule names no month.
pub fn expected_through(rule: &ReleaseRule, date: NaiveDate) -> Option<YearMonth> {
    (rule.cadence == Cadence::Monthly).then(|| latest_monthly(rule, date).carries)
}

/// The release that carries data t.o.m. `data_month`.
pub fn release_carrying(rule: &ReleaseRule, data_month: YearMonth) -> Option<Release> {
    (rule.cadence == Cadence::Monthly)
        .then(|| monthly_release(rule, data_month.plus(i64::from(rule.lag))))
}

/// The monthly releases of the `months` release months starting with the one not yet out.
pub fn upcoming(rule: &ReleaseRule, today: NaiveDate, months: u32) -> Vec<Release> {
    if rule.cadence != Cadence::Monthly {
        return Vec::new();
    }
    let first = next_monthly(rule, today).release_month;
    (0..i64::from(months))
        .map(|k| monthly_release(rule, first.plus(k)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::catalogue::EarlyWindow;
    use crate::test_support::ym;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn rule(lag: u32, early: bool) -> ReleaseRule {
        ReleaseRule {
            cadence: Cadence::Monthly,
            lag,
            early: early.then_some(EarlyWindow {
                from_days: 21,
                to_days: 14,
            }),
            remark: None,
        }
    }

    #[test]
    fn standard_next_release_around_the_tenth() {
        let r = rule(2, false);
        // (today, next release day, carries)
        let cases = [
            ("2025-09-09", "2025-09-10", "2025-07"),
            ("2025-09-10", "2025-10-10", "2025-08"),
            ("2025-09-11", "2025-10-10", "2025-08"),
            ("2025-12-31", "2026-01-10", "2025-11"),
            ("2026-01-10", "2026-02-10", "2025-12"),
            ("2026-11-27", "2026-12-10", "2026-10"),
            ("2024-02-29", "2024-03-10", "2024-01"),
        ];
        for (today, day, carries) in cases {
            let n = next_monthly(&r, d(today));
            assert_eq!(
                (n.last_day, n.carries),
                (d(day), ym(carries)),
                "today {today}"
            );
            assert!(!n.is_window());
        }
    }

    #[test]
    fn early_window_belongs_to_the_next_tenth() {
        let r = rule(4, true);
        // DREAM in the October release: 19.–26. september, data t.o.m. juni.
        let n = next_monthly(&r, d("2025-09-10"));
        assert_eq!(n.release_month, ym("2025-10"));
        assert_eq!(
            (n.first_day, n.last_day),
            (d("2025-09-19"), d("2025-09-26"))
        );
        assert_eq!(n.carries, ym("2025-06"));
        // Inside the window it is not out yet; on its last day it is.
        assert_eq!(
            next_monthly(&r, d("2025-09-25")).release_month,
            ym("2025-10")
        );
        assert_eq!(
            next_monthly(&r, d("2025-09-26")).release_month,
            ym("2025-11")
        );
        // A window across the new year: the January 2026 release is 20.–27. december 2025.
        let j = monthly_release(&r, ym("2026-01"));
        assert_eq!(
            (j.first_day, j.last_day),
            (d("2025-12-20"), d("2025-12-27"))
        );
        assert_eq!(
            next_monthly(&r, d("2025-12-28")).release_month,
            ym("2026-02")
        );
        // March: the window lies in February, shorter than 21 days before.
        let m = monthly_release(&r, ym("2026-03"));
        assert_eq!(
            (m.first_day, m.last_day),
            (d("2026-02-17"), d("2026-02-24"))
        );
    }

    #[test]
    fn the_seed_day_agrees_with_the_table() {
        let day = d("2025-09-10");
        assert_eq!(expected_through(&rule(2, false), day), Some(ym("2025-07")));
        assert_eq!(expected_through(&rule(4, true), day), Some(ym("2025-05")));
        assert_eq!(expected_through(&rule(2, true), day), Some(ym("2025-07")));
        // KRL: M−4 without an early window expects May; the table records April (behind).
        assert_eq!(expected_through(&rule(4, false), day), Some(ym("2025-05")));
        assert_eq!(
            expected_through(&rule(2, false), d("2025-09-09")),
            Some(ym("2025-06"))
        );
    }

    #[test]
    fn latest_and_next_are_adjacent() {
        for r in [rule(2, false), rule(4, true)] {
            let mut day = d("2025-01-01");
            while day < d("2027-01-01") {
                let (l, n) = (latest_monthly(&r, day), next_monthly(&r, day));
                assert!(l.is_out(day) && !n.is_out(day), "{day}");
                assert_eq!(n.release_month, l.release_month.plus(1), "{day}");
                day = day.succ_opt().unwrap();
            }
        }
    }

    #[test]
    fn release_carrying_a_named_month() {
        let yr = rule(2, false);
        let aug = release_carrying(&yr, ym("2025-08")).unwrap();
        assert_eq!(aug.last_day, d("2025-10-10"));
        let krl = release_carrying(&rule(4, false), ym("2025-05")).unwrap();
        assert_eq!(krl.last_day, d("2025-09-10"));
        let yearly = ReleaseRule {
            cadence: Cadence::Yearly,
            ..rule(2, false)
        };
        assert_eq!(release_carrying(&yearly, ym("2025-08")), None);
    }

    #[test]
    fn daily_and_yearly_cadences() {
        let daily = ReleaseRule {
            cadence: Cadence::Daily,
            lag: 0,
            early: None,
            remark: None,
        };
        assert_eq!(
            next_update(&daily, d("2025-12-31")),
            NextUpdate::Daily(d("2026-01-01"))
        );
        assert_eq!(expected_through(&daily, d("2025-12-31")), None);
        let yearly = ReleaseRule {
            cadence: Cadence::Yearly,
            ..daily.clone()
        };
        assert_eq!(next_update(&yearly, d("2025-12-31")), NextUpdate::Yearly);
        assert!(upcoming(&yearly, d("2025-12-31"), 3).is_empty());
    }

    #[test]
    fn a_release_is_under_way_on_its_day_and_in_its_early_window() {
        let standard = rule(2, false);
        // (today, the release month under way, if any)
        let cases = [
            ("2025-09-09", None),
            ("2025-09-10", Some("2025-09")),
            ("2025-09-11", None),
            ("2025-12-10", Some("2025-12")),
        ];
        for (today, month) in cases {
            let got = release_under_way(&standard, d(today)).map(|r| r.release_month);
            assert_eq!(got, month.map(ym), "today {today}");
        }
        let early = rule(4, true);
        let cases = [
            ("2025-09-18", None),
            ("2025-09-19", Some("2025-10")),
            ("2025-09-26", Some("2025-10")),
            ("2025-09-27", None),
            ("2025-10-10", None),
            // The January release's window lies in December.
            ("2025-12-20", Some("2026-01")),
        ];
        for (today, month) in cases {
            let got = release_under_way(&early, d(today)).map(|r| r.release_month);
            assert_eq!(got, month.map(ym), "early, today {today}");
        }
        let yearly = ReleaseRule {
            cadence: Cadence::Yearly,
            ..standard
        };
        assert_eq!(release_under_way(&yearly, d("2025-09-10")), None);
    }

    #[test]
    fn dap_cubes_are_due_on_the_eleventh_and_twelfth_only() {
        for (today, due) in [
            ("2025-09-10", false),
            ("2025-09-11", true),
            ("2025-09-12", true),
            ("2025-09-13", false),
        ] {
            let got = dap_due(d(today));
            assert_eq!(got.is_some(), due, "today {today}");
            if let Some(r) = got {
                assert_eq!(r.release_month, ym("2025-09"));
            }
        }
    }

    #[test]
    fn general_release_and_dap_cubes() {
        let g = general_release(ym("2026-12"));
        assert_eq!(g.last_day, d("2026-12-10"));
        assert_eq!(g.carries, ym("2026-10"));
        assert_eq!(dap_window(&g), (d("2026-12-11"), d("2026-12-12")));
    }

    #[test]
    fn upcoming_lists_consecutive_months() {
        let list = upcoming(&rule(2, false), d("2025-12-10"), 3);
        let months: Vec<String> = list.iter().map(|r| r.release_month.to_string()).collect();
        assert_eq!(months, ["2026-01", "2026-02", "2026-03"]);
    }
}
