//! Danish civil time: "today" is the date in Europe/Copenhagen (domain: every rule counts in
//! Copenhagen days). The core holds days as dates; `views::danish` writes them the Danish way
//! ("10. september 2025", windows, the DAP days).

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Europe::Copenhagen;

/// The Danish calendar date at instant `now`: 23:30 UTC on the 9th of September is already the 10th.
pub fn danish_today(now: DateTime<Utc>) -> NaiveDate {
    now.with_timezone(&Copenhagen).date_naive()
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
}
