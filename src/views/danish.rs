//! The reply value's days, months and windows written the Danish way: `Display` and `Serialize`
//! for `core::reply`'s [`Day`], [`Month`], [`ReleaseMonth`], [`Window`] and [`Approx`], so a
//! template reads "10. september 2025" where the core holds a date; the state's and the group's
//! words and the state's emoji (`views::render`'s filters); and the Danish forms only the views
//! need: when a release is expected ("ca. …"), weekdays, a time of day.
//!
//! The core keeps what its own wording still needs (`core::danish_time::danish_date`,
//! `danish_window`, `dap_when`, `YearMonth::danish`, `State::danish`, `Group::danish`: the
//! announcements, notices and the status document word some of their values) and the
//! Copenhagen calendar day (`danish_today`), which is domain.

use std::fmt;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use chrono_tz::Europe::Copenhagen;
use serde::{Serialize, Serializer};

use crate::core::calendar::Release;
use crate::core::catalogue::{Group, State};
use crate::core::danish_time::{danish_date, danish_window};
use crate::core::reply::{Approx, Day, Month, ReleaseMonth, Window};
use crate::core::year_month::danish_month_name;

impl fmt::Display for Day {
    /// "10. september 2025".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&danish_date(self.0))
    }
}

impl fmt::Display for Month {
    /// "juli 2025".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.danish())
    }
}

impl fmt::Display for ReleaseMonth {
    /// "december", as in "december-udgivelsen".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(danish_month_name(self.0.month()))
    }
}

impl fmt::Display for Window {
    /// "19.–26. september 2025", "28. februar–7. marts 2026", "10. september 2025".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&danish_window(self.first, self.last))
    }
}

impl fmt::Display for Approx {
    /// "ca. 10. december 2026", "ca. 19.–26. september 2025".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ca. {}", self.0)
    }
}

/// Each is serialised as its Danish text: what the templates read.
macro_rules! serialize_as_text {
    ($($t:ty),+) => {
        $(impl Serialize for $t {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_str(self)
            }
        })+
    };
}
serialize_as_text!(Day, Month, ReleaseMonth, Window, Approx);

/// When a release is expected: "ca. 10. december 2026", "ca. 19.–26. september 2025".
pub fn release_when(r: &Release) -> String {
    Approx::of(r).to_string()
}

/// The state in words: "kører efter planen", "driftsforstyrrelse", "nede".
pub fn state_word(state: State) -> &'static str {
    state.danish()
}

/// The state's emoji, first on an area's line and in its embed's title.
pub fn state_icon(state: State) -> &'static str {
    match state {
        State::Ok => "🟢",
        State::Disturbed => "🟡",
        State::Down => "🔴",
    }
}

/// The group's name: "Skole/Dagtilbud".
pub fn group_name(group: Group) -> &'static str {
    group.danish()
}

/// Danish weekday names, Monday first.
pub const DANISH_WEEKDAYS: [&str; 7] = [
    "mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag",
];

/// "fredag".
pub fn danish_weekday(date: NaiveDate) -> &'static str {
    DANISH_WEEKDAYS[date.weekday().num_days_from_monday() as usize]
}

/// "10. september 2025 kl. 14:05", in Copenhagen time.
pub fn danish_date_time(at: DateTime<Utc>) -> String {
    let local = at.with_timezone(&Copenhagen);
    format!(
        "{} kl. {}",
        danish_date(local.date_naive()),
        local.format("%H:%M")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{at, ym};

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn the_reply_values_read_danish() {
        assert_eq!(Day(d(2025, 9, 10)).to_string(), "10. september 2025");
        assert_eq!(Month(ym("2025-07")).to_string(), "juli 2025");
        assert_eq!(ReleaseMonth(ym("2026-12")).to_string(), "december");
        let window = Window {
            first: d(2025, 9, 19),
            last: d(2025, 9, 26),
        };
        assert_eq!(window.to_string(), "19.–26. september 2025");
        assert_eq!(Approx(window).to_string(), "ca. 19.–26. september 2025");
        assert_eq!(
            serde_json::to_string(&Month(ym("2026-03"))).unwrap(),
            "\"marts 2026\""
        );
    }

    #[test]
    fn states_and_groups_read_danish() {
        assert_eq!(state_word(State::Disturbed), "driftsforstyrrelse");
        assert_eq!(state_icon(State::Down), "🔴");
        assert_eq!(group_name(Group::SkoleDagtilbud), "Skole/Dagtilbud");
    }

    #[test]
    fn weekdays_read_danish() {
        assert_eq!(danish_weekday(d(2025, 10, 10)), "fredag");
        assert_eq!(danish_weekday(d(2025, 9, 14)), "søndag");
    }

    #[test]
    fn date_time_is_shown_in_copenhagen_time() {
        assert_eq!(
            danish_date_time(at("2026-01-15T12:05:00Z")),
            "15. januar 2026 kl. 13:05"
        );
        assert_eq!(
            danish_date_time(at("2026-07-15T12:05:00Z")),
            "15. juli 2026 kl. 14:05"
        );
    }
}
