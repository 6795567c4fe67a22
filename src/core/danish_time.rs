//! Danish civil time: "today" is the date in Europe/Copenhagen (domain: every rule counts in
//! Copenhagen days). The Danish date and window forms below are here only because the core's
//! own wording still uses them (announcements, notices, the status document); the reply value
//! holds typed days, and `views::danish` writes them with these same functions.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use chrono_tz::Europe::Copenhagen;

use crate::core::calendar::Release;
use crate::core::year_month::danish_month_name;

/// The Danish calendar date at instant `now`: 23:30 UTC on the 9th of September is already the 10th.
pub fn danish_today(now: DateTime<Utc>) -> NaiveDate {
    now.with_timezone(&Copenhagen).date_naive()
}

/// "10. september 2025".
pub fn danish_date(date: NaiveDate) -> String {
    format!(
        "{}. {} {}",
        date.day(),
        danish_month_name(date.month()),
        date.year()
    )
}

/// "19.–26. september 2025", "28. februar–7. marts 2026", "28. december 2025–4. januar 2026".
pub fn danish_window(first: NaiveDate, last: NaiveDate) -> String {
    if first == last {
        danish_date(first)
    } else if first.year() != last.year() {
        format!("{}–{}", danish_date(first), danish_date(last))
    } else if first.month() != last.month() {
        format!(
            "{}. {}–{}",
            first.day(),
            danish_month_name(first.month()),
            danish_date(last)
        )
    } else {
        format!("{}.–{}", first.day(), danish_date(last))
    }
}

/// When the DAP cubes follow a release on the 10th ("11.–12. december 2026"); `None` for an
/// early window, which has no cubes of its own.
pub fn dap_when(r: &Release) -> Option<String> {
    (!r.is_window()).then(|| {
        let (a, b) = crate::core::calendar::dap_window(r);
        danish_window(a, b)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::at;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn today_is_the_copenhagen_date_in_summer_and_winter() {
        // Summer time, UTC+2: 22:30 UTC on the 9th is 00:30 on the 10th.
        assert_eq!(danish_today(at("2025-09-09T22:30:00Z")), d(2025, 9, 10));
        assert_eq!(danish_today(at("2025-09-09T21:59:59Z")), d(2025, 9, 9));
        // Winter time, UTC+1: 23:30 UTC on the 9th is 00:30 on the 10th.
        assert_eq!(danish_today(at("2025-12-09T23:30:00Z")), d(2025, 12, 10));
        assert_eq!(danish_today(at("2025-12-09T22:59:00Z")), d(2025, 12, 9));
        assert_eq!(danish_today(at("2025-12-31T23:00:00Z")), d(2026, 1, 1));
    }

    #[test]
    fn dates_and_windows_read_danish() {
        assert_eq!(danish_date(d(2025, 9, 10)), "10. september 2025");
        assert_eq!(
            danish_window(d(2025, 9, 19), d(2025, 9, 26)),
            "19.–26. september 2025"
        );
        assert_eq!(
            danish_window(d(2026, 2, 28), d(2026, 3, 7)),
            "28. februar–7. marts 2026"
        );
        assert_eq!(
            danish_window(d(2025, 12, 28), d(2026, 1, 4)),
            "28. december 2025–4. januar 2026"
        );
        assert_eq!(
            danish_window(d(2025, 9, 10), d(2025, 9, 10)),
            "10. september 2025"
        );
    }
}
