//! Release announcements: which are due for which channel (`due`, pure), and what they say
//! (`announcement`, decided on what is recorded). The view holds typed values (the release's
//! `Month`, its day or early `Window`, the DAP days, each group's `Month`); `views::announce`
//! words it from `responses/announce_*.md` and `views::danish` writes the dates. The Discord
//! adapter only sends and records.
//!
//! Two announcements per release month M: the early release (areas with an early window,
//! DREAM and Borger Flex, on the window's first day) and the monthly release on the 10th, both
//! at the configured time of day in Copenhagen.

use crate::core::text::shorten;
use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Europe::Copenhagen;
use serde::Serialize;

use crate::core::calendar;
use crate::core::catalogue::{Area, AreaId, Cadence, Catalogue, Group, State};
use crate::core::danish_time::danish_today;
use crate::core::facts::{area_facts, area_release, AreaFacts, AreaRelease, Next};
use crate::core::reply::{Month, Window};
use crate::core::year_month::YearMonth;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Early,
    Monthly,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AnnouncementId {
    pub kind: Kind,
    pub release_month: YearMonth,
}

impl AnnouncementId {
    /// The key recorded per channel once sent: "monthly-2025-10", "early-2025-10".
    pub fn key(&self) -> String {
        let kind = match self.kind {
            Kind::Early => "early",
            Kind::Monthly => "monthly",
        };
        format!("{kind}-{}", self.release_month)
    }
}

/// One announcement and when it is due.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Scheduled {
    pub id: AnnouncementId,
    pub day: NaiveDate,
    pub at: DateTime<Utc>,
}

/// Which announcements a channel hears: areas of these groups or these areas (both empty: all).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ChannelFilter {
    pub channel: u64,
    pub groups: Vec<Group>,
    pub areas: Vec<AreaId>,
}

impl ChannelFilter {
    pub fn wants(&self, area: &Area) -> bool {
        (self.groups.is_empty() && self.areas.is_empty())
            || self.groups.contains(&area.group)
            || self.areas.contains(&area.id)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Schedule {
    /// Time of day in Copenhagen.
    pub time: (u32, u32),
    /// A missed announcement is still sent while it is less than this late.
    pub grace: chrono::Duration,
    pub channels: Vec<ChannelFilter>,
}

/// `day` at `time` in Copenhagen, as an instant. A time that does not exist that day (the
/// spring-forward gap) is taken an hour later; an ambiguous one (autumn) the first time.
pub fn copenhagen_instant(day: NaiveDate, (h, m): (u32, u32)) -> DateTime<Utc> {
    let time = NaiveTime::from_hms_opt(h.min(23), m.min(59), 0).unwrap_or_default();
    let local = NaiveDateTime::new(day, time);
    Copenhagen
        .from_local_datetime(&local)
        .earliest()
        .or_else(|| {
            Copenhagen
                .from_local_datetime(&(local + chrono::Duration::hours(1)))
                .earliest()
        })
        .map_or_else(|| Utc.from_utc_datetime(&local), |t| t.with_timezone(&Utc))
}

fn early_areas(catalogue: &Catalogue) -> impl Iterator<Item = &Area> {
    catalogue.areas.iter().filter(|a| {
        a.rule.cadence == Cadence::Monthly && a.rule.early.is_some() && a.state != State::Down
    })
}

/// The first day of release month `month`'s early window, if any area is released early.
fn early_day(catalogue: &Catalogue, month: YearMonth) -> Option<NaiveDate> {
    early_areas(catalogue)
        .map(|a| calendar::monthly_release(&a.rule, month).first_day)
        .min()
}

/// The announcements of the release months `from` … `from + months − 1`, in time order.
pub fn scheduled(
    catalogue: &Catalogue,
    time: (u32, u32),
    from: YearMonth,
    months: u32,
) -> Vec<Scheduled> {
    let mut out = Vec::new();
    for k in 0..i64::from(months) {
        let month = from.plus(k);
        if let Some(day) = early_day(catalogue, month) {
            out.push(Scheduled {
                id: AnnouncementId {
                    kind: Kind::Early,
                    release_month: month,
                },
                day,
                at: copenhagen_instant(day, time),
            });
        }
        let day = calendar::general_release(month).last_day;
        out.push(Scheduled {
            id: AnnouncementId {
                kind: Kind::Monthly,
                release_month: month,
            },
            day,
            at: copenhagen_instant(day, time),
        });
    }
    out.sort_by_key(|s| s.at);
    out
}

/// Announcements around `now`: a grace of up to a few weeks reaches back a month, an early
/// window reaches into the month before its release.
fn around(catalogue: &Catalogue, time: (u32, u32), now: DateTime<Utc>) -> Vec<Scheduled> {
    let this = YearMonth::of_date(danish_today(now));
    scheduled(catalogue, time, this.minus(1), 4)
}

/// One announcement due for one channel.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Due {
    pub channel: u64,
    pub id: AnnouncementId,
    pub at: DateTime<Utc>,
}

/// What to send now: every announcement whose time has come, less than `grace` ago, for every
/// channel that has not had it (`sent`) and hears about at least one of its areas.
pub fn due(
    schedule: &Schedule,
    catalogue: &Catalogue,
    sent: impl Fn(u64, &str) -> bool,
    now: DateTime<Utc>,
) -> Vec<Due> {
    let mut out = Vec::new();
    for s in come(catalogue, schedule.time, schedule.grace, now) {
        for ch in &schedule.channels {
            if !sent(ch.channel, &s.id.key()) && announcement(catalogue, s.id, Some(ch)).is_some() {
                out.push(Due {
                    channel: ch.channel,
                    id: s.id,
                    at: s.at,
                });
            }
        }
    }
    out
}

/// The announcements whose time has come at `now`, less than `grace` ago, oldest first: what is
/// due for every recipient that has not had it (channels, webhook targets).
pub fn come(
    catalogue: &Catalogue,
    time: (u32, u32),
    grace: chrono::Duration,
    now: DateTime<Utc>,
) -> Vec<Scheduled> {
    around(catalogue, time, now)
        .into_iter()
        .filter(|s| s.at <= now && now - s.at < grace)
        .collect()
}

/// The announcements whose time came within the release months `from` … `to` (both
/// included), newest first: what a feed lists.
pub fn past(
    catalogue: &Catalogue,
    time: (u32, u32),
    from: YearMonth,
    to: YearMonth,
    now: DateTime<Utc>,
) -> Vec<Scheduled> {
    let months = u32::try_from(to.months_since(from) + 1).unwrap_or(0);
    let mut out: Vec<Scheduled> = scheduled(catalogue, time, from, months)
        .into_iter()
        .filter(|s| s.at <= now)
        .collect();
    out.reverse();
    out
}

/// The next time anything becomes due after `now`.
pub fn next_due_time(
    schedule: &Schedule,
    catalogue: &Catalogue,
    now: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    around(catalogue, schedule.time, now)
        .into_iter()
        .map(|s| s.at)
        .find(|at| *at > now)
}

/// The announcement due on `now`'s Danish day, or else the next one after it.
pub fn due_on_or_after(
    catalogue: &Catalogue,
    time: (u32, u32),
    now: DateTime<Utc>,
) -> Option<Scheduled> {
    let today = danish_today(now);
    around(catalogue, time, now)
        .into_iter()
        .find(|s| s.day >= today)
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MonthGroup {
    pub month: Month,
    pub names: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NoteLine {
    pub name: String,
    pub note: String,
}

/// An area of the release that is not out with it, and its recorded t.o.m.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MissingLine {
    pub name: String,
    pub through: Option<Month>,
}

/// What an announcement says, worded on what is recorded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AnnouncementView {
    pub kind: Kind,
    /// "oktober 2025"
    pub release_month: Month,
    /// "10. oktober 2025" or "19.–26. september 2025"
    pub when: Window,
    /// Operators have recorded the release for every area in it.
    pub confirmed: bool,
    /// … for some of them (the others are in `missing`).
    pub partly: bool,
    /// Areas the release is recorded for, by their recorded data t.o.m.
    pub out: Vec<MonthGroup>,
    /// Areas it is expected for and not yet recorded (only while nothing of it is recorded),
    /// by the data t.o.m. it carries for them.
    pub expected: Vec<MonthGroup>,
    /// Areas of the release it is not recorded for and not (or no longer) expected for.
    pub missing: Vec<MissingLine>,
    /// Areas whose drift note gives their data another time than this release, or none.
    pub no_date: Vec<MissingLine>,
    /// In a monthly announcement: areas recorded out early, with their months.
    pub early: Vec<MonthGroup>,
    pub dap: Option<Window>,
    pub down: Vec<NoteLine>,
    pub disturbed: Vec<NoteLine>,
}

const NOTE_CHARS: usize = 220;

fn short(note: &str) -> String {
    shorten(note, NOTE_CHARS)
}

fn group_by_month(items: Vec<(YearMonth, String)>) -> Vec<MonthGroup> {
    let mut months: Vec<YearMonth> = items.iter().map(|(m, _)| *m).collect();
    months.sort_unstable_by(|a, b| b.cmp(a));
    months.dedup();
    months
        .into_iter()
        .map(|m| MonthGroup {
            month: Month(m),
            names: items
                .iter()
                .filter(|(im, _)| *im == m)
                .map(|(_, n)| n.clone())
                .collect(),
        })
        .collect()
}

/// The day announcement `id` is about: the 10th, or the first day of the early window.
pub fn announcement_day(catalogue: &Catalogue, id: AnnouncementId) -> Option<NaiveDate> {
    match id.kind {
        Kind::Monthly => Some(calendar::general_release(id.release_month).last_day),
        Kind::Early => early_day(catalogue, id.release_month),
    }
}

/// One area of a release as the facts have it on the release's day.
struct Member<'a> {
    area: &'a Area,
    release: AreaRelease,
    facts: AreaFacts,
}

impl Member<'_> {
    /// The facts' next release for the area is this one.
    fn expected(&self) -> bool {
        self.facts
            .next
            .release()
            .is_some_and(|r| r.release_month == self.release.release.release_month)
    }

    /// The drift note, not the rule, says when the area's data comes (or that nobody knows).
    fn by_note(&self) -> bool {
        self.facts.note_timing.is_some()
            && !matches!(self.facts.next, Next::Release { by_note: false, .. })
    }

    fn line(&self) -> MissingLine {
        MissingLine {
            name: self.area.name.clone(),
            through: self.facts.through.map(Month),
        }
    }
}

/// The members the release is recorded for, by their recorded data t.o.m.
fn recorded_groups(members: &[Member]) -> Vec<MonthGroup> {
    group_by_month(
        members
            .iter()
            .filter(|m| m.release.recorded)
            .map(|m| {
                let carries = m.release.release.carries;
                (
                    m.facts.through.unwrap_or(carries).max(carries),
                    m.area.name.clone(),
                )
            })
            .collect(),
    )
}

/// The announcement `id` for a channel (`None`: every channel), or `None` if it would say
/// nothing to that channel. What is out is what is recorded for each area (its release of that
/// month, as the facts give it); what is expected is what the facts of the release's day
/// expect next; the rest is named as not in it.
pub fn announcement<'a>(
    catalogue: &'a Catalogue,
    id: AnnouncementId,
    filter: Option<&ChannelFilter>,
) -> Option<AnnouncementView> {
    let heard = |a: &Area| filter.is_none_or(|f| f.wants(a));
    let day = announcement_day(catalogue, id)?;
    let monthly: Vec<&'a Area> = catalogue
        .areas
        .iter()
        .filter(|a| a.rule.cadence == Cadence::Monthly && heard(a))
        .collect();
    let member = |a: &&'a Area| -> Option<Member<'a>> {
        let a: &'a Area = a;
        area_release(a, catalogue, id.release_month).map(|release| Member {
            area: a,
            release,
            facts: area_facts(a, catalogue, day),
        })
    };
    let is_early = |a: &&Area| a.rule.early.is_some();
    let (members, others): (Vec<Member>, Vec<Member>) = match id.kind {
        Kind::Early => (
            monthly
                .iter()
                .filter(|a| is_early(a))
                .filter_map(member)
                .collect(),
            Vec::new(),
        ),
        Kind::Monthly => (
            monthly
                .iter()
                .filter(|a| !is_early(a))
                .filter_map(member)
                .collect(),
            monthly
                .iter()
                .filter(|a| is_early(a))
                .filter_map(member)
                .collect(),
        ),
    };
    let recorded = members.iter().filter(|m| m.release.recorded).count();
    let confirmed = !members.is_empty() && recorded == members.len();
    let partly = recorded > 0 && !confirmed;
    let out = recorded_groups(&members);
    let expected = group_by_month(
        members
            .iter()
            .filter(|m| recorded == 0 && !m.release.recorded && m.expected())
            .map(|m| (m.release.release.carries, m.area.name.clone()))
            .collect(),
    );
    let early = recorded_groups(&others);
    // Not out and not expected: by the note, or simply not recorded.
    let not_in: Vec<&Member> = members
        .iter()
        .filter(|m| !m.release.recorded && (recorded > 0 || !m.expected()))
        .chain(others.iter().filter(|m| !m.release.recorded))
        .collect();
    let (no_date, missing): (Vec<&Member>, Vec<&Member>) =
        not_in.into_iter().partition(|m| m.by_note());
    let (no_date, missing): (Vec<MissingLine>, Vec<MissingLine>) = (
        no_date.into_iter().map(Member::line).collect(),
        missing.into_iter().map(Member::line).collect(),
    );
    let note_lines = |state: State| -> Vec<NoteLine> {
        monthly
            .iter()
            .filter(|a| a.state == state)
            .filter(|a| match id.kind {
                Kind::Early => is_early(a),
                Kind::Monthly => true,
            })
            .map(|a| NoteLine {
                name: a.name.clone(),
                note: a.note.as_deref().map(short).unwrap_or_default(),
            })
            .collect()
    };
    let (down, disturbed) = (note_lines(State::Down), note_lines(State::Disturbed));
    if members.is_empty() && down.is_empty() {
        return None;
    }
    let release = calendar::general_release(id.release_month);
    let (when, dap) = match id.kind {
        Kind::Monthly => (
            Window {
                first: release.last_day,
                last: release.last_day,
            },
            Window::dap_after(&release),
        ),
        Kind::Early => {
            let first = members.iter().map(|m| m.release.release.first_day).min()?;
            let last = members.iter().map(|m| m.release.release.last_day).max()?;
            (Window { first, last }, None)
        }
    };
    Some(AnnouncementView {
        kind: id.kind,
        release_month: Month(id.release_month),
        when,
        confirmed,
        partly,
        out,
        expected,
        missing,
        no_date,
        early,
        dap,
        down,
        disturbed,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::catalogue::default_catalogue;
    use crate::core::facts::moments::recorded;
    use crate::test_support::{at, ym};
    use crate::views::announce::render_announcement;

    fn schedule(channels: Vec<ChannelFilter>) -> Schedule {
        Schedule {
            time: (9, 0),
            grace: chrono::Duration::days(2),
            channels,
        }
    }

    fn all(channel: u64) -> ChannelFilter {
        ChannelFilter {
            channel,
            ..ChannelFilter::default()
        }
    }

    #[test]
    fn nine_oclock_copenhagen_is_daylight_saving_correct() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        assert_eq!(
            copenhagen_instant(d("2025-10-10"), (9, 0)),
            at("2025-10-10T07:00:00Z")
        );
        assert_eq!(
            copenhagen_instant(d("2025-12-10"), (9, 0)),
            at("2025-12-10T08:00:00Z")
        );
        // The spring-forward night: 02:30 does not exist on 29 March 2026.
        assert_eq!(
            copenhagen_instant(d("2026-03-29"), (2, 30)),
            at("2026-03-29T01:30:00Z")
        );
        // The autumn night: 02:30 happens twice on 25 October 2026; the first is taken.
        assert_eq!(
            copenhagen_instant(d("2026-10-25"), (2, 30)),
            at("2026-10-25T00:30:00Z")
        );
    }

    #[test]
    fn a_year_of_months_has_an_early_and_a_monthly_announcement_each() {
        let s = scheduled(default_catalogue(), (9, 0), ym("2026-01"), 12);
        assert_eq!(s.len(), 24);
        for pair in s.chunks(2) {
            assert_eq!(pair[0].id.kind, Kind::Early);
            assert_eq!(pair[1].id.kind, Kind::Monthly);
            assert_eq!(pair[0].id.release_month, pair[1].id.release_month);
            assert!(pair[0].at < pair[1].at);
            assert_eq!(chrono::Datelike::day(&pair[1].day), 10);
        }
        // The October 2025 early window opens 19 September.
        let oct = scheduled(default_catalogue(), (9, 0), ym("2025-10"), 1);
        assert_eq!(oct[0].day.to_string(), "2025-09-19");
        assert_eq!(oct[0].at, at("2025-09-19T07:00:00Z"));
    }

    #[test]
    fn due_at_the_time_not_before_and_only_within_the_grace() {
        let c = default_catalogue();
        let s = schedule(vec![all(1), all(2)]);
        let never = |_: u64, _: &str| false;
        assert!(due(&s, c, never, at("2025-10-10T06:59:59Z")).is_empty());
        let d = due(&s, c, never, at("2025-10-10T07:00:00Z"));
        assert_eq!(d.len(), 2);
        assert!(d.iter().all(|d| d.id.key() == "monthly-2025-10"));
        assert_eq!(
            due(&s, c, never, at("2025-10-12T06:59:00Z")).len(),
            2,
            "1 day 23 h late: still sent"
        );
        assert!(
            due(&s, c, never, at("2025-10-12T07:00:00Z")).is_empty(),
            "2 days late: too old"
        );
        let sent_to_1 = |ch: u64, key: &str| ch == 1 && key == "monthly-2025-10";
        let d = due(&s, c, sent_to_1, at("2025-10-10T08:00:00Z"));
        assert_eq!(d.iter().map(|d| d.channel).collect::<Vec<_>>(), [2]);
    }

    #[test]
    fn due_across_a_dst_night_and_the_new_year() {
        let c = default_catalogue();
        let s = schedule(vec![all(1)]);
        let never = |_: u64, _: &str| false;
        // Early window of the April 2026 release opens 20 March (before the spring change).
        assert_eq!(
            due(&s, c, never, at("2026-03-20T08:00:00Z"))[0].id.key(),
            "early-2026-04"
        );
        // The January 2026 release: due at 08:00 UTC (winter time) on the 10th.
        assert!(due(&s, c, never, at("2026-01-10T07:59:00Z")).is_empty());
        assert_eq!(
            due(&s, c, never, at("2026-01-10T08:00:00Z"))[0].id.key(),
            "monthly-2026-01"
        );
        // The early window of January opens 20 December 2025.
        assert_eq!(
            due(&s, c, never, at("2025-12-20T08:30:00Z"))[0].id.key(),
            "early-2026-01"
        );
    }

    #[test]
    fn a_channel_hears_only_its_groups_and_areas() {
        let c = default_catalogue();
        let dream_only = ChannelFilter {
            channel: 7,
            groups: vec![],
            areas: vec![AreaId::Dream],
        };
        let school = ChannelFilter {
            channel: 8,
            groups: vec![Group::SkoleDagtilbud],
            areas: vec![],
        };
        let s = schedule(vec![dream_only.clone(), school.clone()]);
        let never = |_: u64, _: &str| false;
        let early = due(&s, c, never, at("2025-09-19T07:30:00Z"));
        assert_eq!(
            early.iter().map(|d| d.channel).collect::<Vec<_>>(),
            [7],
            "DREAM is early; school is not"
        );
        let monthly = due(&s, c, never, at("2025-10-10T07:30:00Z"));
        assert_eq!(
            monthly.iter().map(|d| d.channel).collect::<Vec<_>>(),
            [8],
            "DREAM came with the early release; the monthly one has nothing for a DREAM-only channel"
        );
        let view = announcement(c, monthly[0].id, Some(&school)).unwrap();
        let names: Vec<&String> = view.expected.iter().flat_map(|g| &g.names).collect();
        assert_eq!(names, ["Dagtilbud", "Aula"]);
        // Skole's note says the timing is unknown: no date, said as such.
        let no_date: Vec<&str> = view.no_date.iter().map(|m| m.name.as_str()).collect();
        assert_eq!(no_date, ["Skole"]);
    }

    fn names(groups: &[MonthGroup]) -> Vec<(String, Vec<&str>)> {
        groups
            .iter()
            .map(|g| {
                (
                    g.month.to_string(),
                    g.names.iter().map(String::as_str).collect(),
                )
            })
            .collect()
    }

    fn lines(lines: &[MissingLine]) -> Vec<&str> {
        lines.iter().map(|m| m.name.as_str()).collect()
    }

    fn monthly(month: &str) -> AnnouncementId {
        AnnouncementId {
            kind: Kind::Monthly,
            release_month: ym(month),
        }
    }

    #[test]
    fn the_monthly_announcement_is_worded_on_what_is_recorded() {
        let expected = announcement(default_catalogue(), monthly("2025-10"), None).unwrap();
        assert!(!expected.confirmed && !expected.partly);
        assert!(expected.out.is_empty(), "nothing recorded is out");
        assert_eq!(expected.expected[0].month.to_string(), "august 2025");
        assert_eq!(expected.expected.len(), 1, "{:?}", expected.expected);
        // KRL's and Skole's notes give no date; DREAM's and Borger Flex' early window closed
        // unrecorded.
        assert_eq!(lines(&expected.no_date), ["KRL Personale", "Skole"]);
        assert_eq!(lines(&expected.missing), ["Borger Flex", "DREAM"]);
        assert_eq!(
            expected.dap.map(|w| w.to_string()).as_deref(),
            Some("11.–12. oktober 2025")
        );
        assert_eq!(lines_of(&expected.down), ["Ældre", "DFDG"]);
        assert!(expected
            .disturbed
            .iter()
            .any(|d| d.name == "FSIII" && d.note.contains("TRIFORK")));

        let c = recorded(
            default_catalogue(),
            "2025-10",
            &[],
            "2025-10-10T09:00:00+02:00",
        );
        let out = announcement(&c, monthly("2025-10"), None).unwrap();
        assert!(out.confirmed && out.expected.is_empty() && out.missing.is_empty());
        assert_eq!(out.out[0].month.to_string(), "august 2025");
        assert!(names(&out.out)
            .iter()
            .any(|(m, n)| *m == "juni 2025" && n.contains(&"KRL Personale")));
        assert_eq!(
            names(&out.early),
            [
                ("juni 2025".to_owned(), vec!["DREAM"]),
                ("august 2025".to_owned(), vec!["Borger Flex"])
            ]
            .into_iter()
            .rev()
            .collect::<Vec<_>>()
        );
    }

    fn lines_of(lines: &[NoteLine]) -> Vec<&str> {
        lines.iter().map(|l| l.name.as_str()).collect()
    }

    #[test]
    fn after_a_release_with_krl_excepted_krl_is_named_as_not_in_it() {
        let c = recorded(
            default_catalogue(),
            "2025-10",
            &[AreaId::Krl],
            "2025-10-10T09:00:00+02:00",
        );
        let view = announcement(&c, monthly("2025-10"), None).unwrap();
        assert!(view.partly && !view.confirmed);
        assert!(
            view.expected.is_empty(),
            "once some is recorded, the rest is not coming today"
        );
        let out: Vec<&str> = view
            .out
            .iter()
            .flat_map(|g| g.names.iter().map(String::as_str))
            .collect();
        assert!(
            !out.contains(&"KRL Personale") && out.contains(&"Skole"),
            "{out:?}"
        );
        assert_eq!(
            lines(&view.no_date),
            ["KRL Personale"],
            "its note says when"
        );
        let text = render_announcement(&view);
        assert!(text.contains("er delvist ude"), "{text}");
        assert!(
            text.contains("Ikke med, se driftsnoten: **KRL Personale** (data t.o.m. april 2025)"),
            "{text}"
        );
        // Without a note of its own, KRL is simply not recorded.
        let mut c = c;
        c.area_mut(AreaId::Krl).unwrap().note = None;
        let view = announcement(&c, monthly("2025-10"), None).unwrap();
        assert_eq!(lines(&view.missing), ["KRL Personale"]);
    }

    #[test]
    fn no_area_down_behind_or_unrecorded_is_announced_as_out() {
        for m in crate::core::facts::moments::moments() {
            for kind in [Kind::Early, Kind::Monthly] {
                let month = YearMonth::of_date(m.today()).plus(i64::from(kind == Kind::Early));
                let id = AnnouncementId {
                    kind,
                    release_month: month,
                };
                let Some(view) = announcement(&m.catalogue, id, None) else {
                    continue;
                };
                let day = announcement_day(&m.catalogue, id).unwrap();
                for g in view.out.iter().chain(&view.early) {
                    for name in &g.names {
                        let a = m.catalogue.areas.iter().find(|a| &a.name == name).unwrap();
                        let f = area_facts(a, &m.catalogue, day);
                        let r = area_release(a, &m.catalogue, month).unwrap();
                        assert!(r.recorded, "{}: {name} out but not recorded", m.name);
                        assert!(
                            f.behind.is_none() && f.state != State::Down,
                            "{}: {name}",
                            m.name
                        );
                        assert_eq!(g.month, Month(f.through.unwrap()), "{}: {name}", m.name);
                    }
                }
            }
        }
    }

    #[test]
    fn a_note_naming_a_later_release_keeps_the_area_out_of_the_earlier_one() {
        let m = crate::core::facts::moments::moment("a note naming a later release");
        let nov = monthly("2025-11");
        // Before November's release is recorded, KRL is not expected in it: its July comes in
        // December.
        let before = recorded(
            default_catalogue(),
            "2025-10",
            &[AreaId::Krl],
            "2025-10-10T09:00:00+02:00",
        );
        let mut before = before;
        before.as_of = m.catalogue.as_of;
        before
            .area_mut(AreaId::Krl)
            .unwrap()
            .clone_from(m.catalogue.area(AreaId::Krl).unwrap());
        let view = announcement(&before, nov, None).unwrap();
        assert!(lines(&view.no_date).contains(&"KRL Personale"), "{view:?}");
        assert!(view
            .expected
            .iter()
            .all(|g| !g.names.contains(&"KRL Personale".to_owned())));
        let dec = monthly("2025-12");
        let view = announcement(&m.catalogue, dec, None).unwrap();
        assert!(
            names(&view.expected)
                .iter()
                .any(|(month, n)| *month == "juli 2025" && n.contains(&"KRL Personale")),
            "{view:?}"
        );
    }

    #[test]
    fn next_due_time_and_preview_day() {
        let c = default_catalogue();
        let s = schedule(vec![all(1)]);
        assert_eq!(
            next_due_time(&s, c, at("2025-09-20T00:00:00Z")),
            Some(at("2025-10-10T07:00:00Z"))
        );
        let p = due_on_or_after(c, (9, 0), at("2025-10-10T12:00:00Z")).unwrap();
        assert_eq!(
            p.id.key(),
            "monthly-2025-10",
            "the day's own announcement, even after 09:00"
        );
        let p = due_on_or_after(c, (9, 0), at("2025-10-11T12:00:00Z")).unwrap();
        assert_eq!(p.id.key(), "early-2025-11");
    }
}
