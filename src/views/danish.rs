//! Every Danish form of the core's values: `Display` and `Serialize` for `core::reply`'s
//! [`Day`], [`Month`], [`ReleaseMonth`], [`Window`] and [`Approx`], so a template reads
//! "10. september 2025" where the core holds a date (the reply, the announcements, the status
//! document's view and its problems all hold these); the date, window and month forms
//! (`danish_date`, `danish_window`, `dap_when`, `danish_month_name`, and [`Danish`] for a
//! `YearMonth`, a `State` and a `Group`); the state's emoji; a subscription topic's name
//! (`topic_name`, its wording in `responses/phrases.md`); and the forms only the views need: when
//! a release is expected ("ca. …"), weekdays, a time of day.
//!
//! The core keeps no Danish writer. It keeps what reads Danish: the month names
//! (`core::year_month::DANISH_MONTHS`, read from questions and FLIS documents) and the groups'
//! names (`Group::flis_name`, matched against a status document's group headings and typed
//! topics), which [`Danish`] writes; and the Copenhagen calendar day (`danish_today`), which is
//! domain.

use std::fmt;
use std::sync::LazyLock;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use chrono_tz::Europe::Copenhagen;
use serde::{Serialize, Serializer};

use super::render::{sentence, Template};
use crate::core::calendar::{dap_window, Release};
use crate::core::catalogue::{Catalogue, Group, State};
use crate::core::notify::Topic;
use crate::core::reply::{Approx, Day, Month, ReleaseMonth, Window};
use crate::core::year_month::{YearMonth, DANISH_MONTHS};

/// Returns the Danish name of month `m` (1–12): "september". Never capitalised mid-sentence.
pub fn danish_month_name(m: u32) -> &'static str {
    DANISH_MONTHS[(m.clamp(1, 12) - 1) as usize]
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
        let (a, b) = dap_window(r);
        danish_window(a, b)
    })
}

/// The Danish word for a value of the core: a month "juli 2025", a state "driftsforstyrrelse",
/// a group "Skole/Dagtilbud". Import it where such a value is written.
pub trait Danish {
    type Text: AsRef<str> + Into<String> + fmt::Display;
    fn danish(self) -> Self::Text;
}

impl Danish for YearMonth {
    type Text = String;
    /// "juli 2025".
    fn danish(self) -> String {
        format!("{} {}", danish_month_name(self.month()), self.year())
    }
}

impl Danish for State {
    type Text = &'static str;
    /// "kører efter planen", "driftsforstyrrelse", "nede": the words of `responses/phrases.md`,
    /// rendered once.
    fn danish(self) -> &'static str {
        static WORDS: LazyLock<[String; 3]> = LazyLock::new(|| {
            State::ALL.map(|state| {
                sentence(
                    Template::Phrases,
                    "state",
                    &[("state", state.as_str().to_owned())],
                )
            })
        });
        // In `State::ALL`'s order.
        let words: &'static [String; 3] = &WORDS;
        match self {
            State::Ok => &words[0],
            State::Disturbed => &words[1],
            State::Down => &words[2],
        }
    }
}

impl Danish for Group {
    type Text = &'static str;
    /// "Skole/Dagtilbud": the name FLIS gives it (`Group::flis_name`).
    fn danish(self) -> &'static str {
        self.flis_name()
    }
}

/// The name a user reads for what they follow: the area's name, or "gruppen Skole/Dagtilbud".
pub fn topic_name(topic: Topic, catalogue: &Catalogue) -> String {
    match topic {
        Topic::Area(id) => catalogue
            .area(id)
            .map_or(id.as_str().to_owned(), |a| a.name.clone()),
        Topic::Group(g) => sentence(
            Template::Phrases,
            "topic_group",
            &[("group", g.danish().to_owned())],
        ),
    }
}

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

    #[test]
    fn months_states_and_topics_read_danish() {
        assert_eq!(ym("2025-07").danish(), "juli 2025");
        assert_eq!(ym("2026-03").danish(), "marts 2026");
        assert_eq!(danish_month_name(12), "december");
        assert_eq!(State::Down.danish(), "nede");
        let catalogue = crate::core::catalogue::default_catalogue();
        assert_eq!(
            topic_name(Topic::Group(Group::SkoleDagtilbud), catalogue),
            "gruppen Skole/Dagtilbud"
        );
    }
}
