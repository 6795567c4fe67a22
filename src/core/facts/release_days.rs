//! The release days of a span of time, from the area facts: each day (or early window, or the
//! DAP cubes' two days) with the areas it brings, the months they carry and whether operators
//! have recorded it. The release calendar page (`/kalender`), the calendar feed and `flisbot
//! calendar` word these days; none of them works out which area comes when.
//!
//! An area is in a day as the facts have it: from its next release on, each release as
//! [`area_release_timed`] gives it (a drift note naming a later release moves its month), and
//! before that every release whose day has come, recorded or not, so a past day says what came
//! and what did not. An area that is down, not monthly, or whose note gives no date has nothing
//! ahead. The DAP cubes follow each release on the 10th with the months of the areas that came
//! or are expected in that release month (early windows included).

use chrono::{Days, NaiveDate};
use serde::Serialize;

use super::{area_release_timed, AreaFacts, AreaRelease, CatalogueFacts, Next, NoDate};
use crate::core::calendar;
use crate::core::catalogue::{Area, AreaId, Catalogue};
use crate::core::year_month::YearMonth;

/// What a release day is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DayKind {
    /// An early release window (DREAM, Borger Flex) before the 10th it belongs to.
    Early,
    /// The datapakker on the 10th.
    Release,
    /// The DAP cubes, 1–2 days after the 10th.
    Dap,
}

/// Where an area's release on a day stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryStatus {
    /// Operators have recorded it: the area's t.o.m. carries the release's months.
    Recorded,
    /// Expected by the facts: the area's next release or one after it (due today included).
    Expected,
    /// Its day has come and it is not recorded (left out, or behind).
    Missed,
}

/// One area's release on a day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct DayEntry {
    pub id: AreaId,
    /// Data t.o.m. the release carries for this area.
    pub carries: YearMonth,
    /// The month is the drift note's, not the rule's.
    pub by_note: bool,
    pub status: EntryStatus,
}

/// A release day (or window) with what it brings, the areas in catalogue order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ReleaseDay {
    pub kind: DayKind,
    /// The monthly release the day belongs to.
    pub release_month: YearMonth,
    pub first_day: NaiveDate,
    /// Equal to `first_day` but for an early window and the DAP cubes.
    pub last_day: NaiveDate,
    pub entries: Vec<DayEntry>,
}

impl ReleaseDay {
    /// The day is behind us.
    pub fn is_past(&self, today: NaiveDate) -> bool {
        self.last_day < today
    }

    /// Today is the day or within the window.
    pub fn is_today(&self, today: NaiveDate) -> bool {
        self.first_day <= today && today <= self.last_day
    }

    /// Some area's release on it is recorded or expected (not only missed).
    pub fn brings_anything(&self) -> bool {
        self.entries.iter().any(|e| e.status != EntryStatus::Missed)
    }

    /// The entries with `status`.
    pub fn with_status(&self, status: EntryStatus) -> impl Iterator<Item = &DayEntry> {
        self.entries.iter().filter(move |e| e.status == status)
    }

    /// The entries that are not missed, by the month they carry: the month most areas carry
    /// first (the newer on a tie), areas in catalogue order within a month.
    pub fn by_month(&self) -> Vec<(YearMonth, Vec<AreaId>)> {
        let mut groups: Vec<(YearMonth, Vec<AreaId>)> = Vec::new();
        for e in self
            .entries
            .iter()
            .filter(|e| e.status != EntryStatus::Missed)
        {
            match groups.iter_mut().find(|(m, _)| *m == e.carries) {
                Some((_, ids)) => ids.push(e.id),
                None => groups.push((e.carries, vec![e.id])),
            }
        }
        groups.sort_by(|(ma, a), (mb, b)| b.len().cmp(&a.len()).then(mb.cmp(ma)));
        groups
    }
}

/// The release month an area's releases are expected from (its next release), and whether
/// anything is expected at all. `None` for an area with no monthly releases (down, daily,
/// yearly).
fn expected_from(f: &AreaFacts) -> Option<(YearMonth, bool)> {
    match f.next {
        Next::Release { release, .. } => Some((release.release_month, true)),
        Next::None {
            why: NoDate::Note {
                rule: Some(rule), ..
            },
        } => Some((rule.release_month, false)),
        _ => None,
    }
}

/// The area's releases touching `from..=to`, as the facts have them.
fn area_entries(
    area: &Area,
    f: &AreaFacts,
    today: NaiveDate,
    (from, to): (NaiveDate, NaiveDate),
) -> Vec<AreaRelease> {
    let Some((ahead_from, ahead)) = expected_from(f) else {
        return Vec::new();
    };
    let first = YearMonth::of_date(from);
    // An early window lies weeks before its 10th: the month after the span's end covers it.
    let count = YearMonth::of_date(to).months_since(first) + 1;
    (0..=count)
        .filter_map(|k| area_release_timed(area, f.note_timing, first.plus(k)))
        .filter(|r| r.release.last_day >= from && r.release.first_day <= to)
        .filter(|r| {
            if r.release.release_month >= ahead_from {
                ahead
            } else {
                // Before the next release: what came, and what did not once its day has come.
                r.recorded || r.release.last_day <= today
            }
        })
        .collect()
}

fn status_of(r: &AreaRelease, f: &AreaFacts) -> EntryStatus {
    if r.recorded {
        EntryStatus::Recorded
    } else if f
        .next
        .release()
        .is_some_and(|n| r.release.release_month >= n.release_month)
    {
        EntryStatus::Expected
    } else {
        EntryStatus::Missed
    }
}

/// The release days touching `from..=to` (inclusive) on the facts' day, of the areas `admits`
/// lets in, oldest first (on one date: early windows, the 10th, the DAP cubes). A day is listed
/// when an admitted area has a release on it; the DAP cubes when the release month has an area
/// that came or is expected.
pub fn release_days(
    catalogue: &Catalogue,
    facts: &CatalogueFacts,
    admits: impl Fn(&Area) -> bool,
    from: NaiveDate,
    to: NaiveDate,
) -> Vec<ReleaseDay> {
    let today = facts.today;
    let (from, to) = (from.min(to), to.max(from));
    // The DAP cubes of a 10th just before `from` may touch the span, and they carry the months
    // of that release's early windows, which lie weeks before it.
    let wide_from = from.checked_sub_days(Days::new(45)).unwrap_or(from);
    let mut days: Vec<ReleaseDay> = Vec::new();
    let mut by_month: Vec<(YearMonth, Vec<DayEntry>)> = Vec::new();
    for area in catalogue.areas.iter().filter(|a| admits(a)) {
        let Some(f) = facts.area(area.id) else {
            continue;
        };
        for r in area_entries(area, f, today, (wide_from, to)) {
            let entry = DayEntry {
                id: area.id,
                carries: r.release.carries,
                by_note: r.by_note,
                status: status_of(&r, f),
            };
            if entry.status != EntryStatus::Missed {
                match by_month
                    .iter_mut()
                    .find(|(m, _)| *m == r.release.release_month)
                {
                    Some((_, es)) => es.push(entry),
                    None => by_month.push((r.release.release_month, vec![entry])),
                }
            }
            if r.release.last_day < from || r.release.first_day > to {
                continue;
            }
            let kind = if r.release.is_window() {
                DayKind::Early
            } else {
                DayKind::Release
            };
            match days.iter_mut().find(|d| {
                d.kind == kind
                    && d.first_day == r.release.first_day
                    && d.last_day == r.release.last_day
            }) {
                Some(d) => d.entries.push(entry),
                None => days.push(ReleaseDay {
                    kind,
                    release_month: r.release.release_month,
                    first_day: r.release.first_day,
                    last_day: r.release.last_day,
                    entries: vec![entry],
                }),
            }
        }
    }
    for (month, entries) in by_month {
        let (first_day, last_day) = calendar::dap_window(&calendar::general_release(month));
        if last_day < from || first_day > to {
            continue;
        }
        // A calendar of DREAM alone still gets the cubes, with DREAM's month.
        days.push(ReleaseDay {
            kind: DayKind::Dap,
            release_month: month,
            first_day,
            last_day,
            entries,
        });
    }
    days.sort_by_key(|d| (d.first_day, d.kind, d.last_day));
    days
}

/// The span a calendar shows on `today`: a month back (so this month's release stays in view
/// after its day) to `months_ahead` months ahead.
pub fn span(today: NaiveDate, months_ahead: u32) -> (NaiveDate, NaiveDate) {
    use chrono::Months;
    let from = today.checked_sub_months(Months::new(1)).unwrap_or(today);
    let to = today
        .checked_add_months(Months::new(months_ahead))
        .unwrap_or(today);
    (from, to)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::catalogue::default_catalogue;
    use crate::core::facts::catalogue_facts;
    use crate::core::facts::moments::moment;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn ym(s: &str) -> YearMonth {
        s.parse().unwrap()
    }

    fn day<'a>(days: &'a [ReleaseDay], kind: DayKind, first: &str) -> &'a ReleaseDay {
        days.iter()
            .find(|x| x.kind == kind && x.first_day == d(first))
            .unwrap_or_else(|| panic!("{kind:?} {first}: {days:#?}"))
    }

    fn ids(e: impl Iterator<Item = AreaId>) -> Vec<&'static str> {
        e.map(AreaId::as_str).collect()
    }

    #[test]
    fn the_seed_day_has_one_day_per_release_with_its_areas_and_months() {
        let c = default_catalogue();
        let f = catalogue_facts(c, d("2025-09-10"));
        let days = release_days(c, &f, |_| true, d("2025-09-01"), d("2025-12-31"));
        // Today, the 10th: recorded for all but KRL, which missed it.
        let today = day(&days, DayKind::Release, "2025-09-10");
        assert!(today.is_today(f.today) && !today.is_past(f.today));
        assert_eq!(
            ids(today.with_status(EntryStatus::Missed).map(|e| e.id)),
            ["krl"]
        );
        assert_eq!(today.with_status(EntryStatus::Expected).count(), 0);
        assert_eq!(
            today.by_month(),
            [(
                ym("2025-07"),
                today
                    .entries
                    .iter()
                    .filter(|e| e.id != AreaId::Krl)
                    .map(|e| e.id)
                    .collect()
            )]
        );
        // October's 10th: every live monthly area without a window, but KRL and Skole, whose
        // notes give no date; DFDG and Ældre are down.
        let oct = day(&days, DayKind::Release, "2025-10-10");
        assert_eq!(
            ids(oct.entries.iter().map(|e| e.id)),
            [
                "borger",
                "oekonomi",
                "personale",
                "noegletal",
                "dagtilbud",
                "aula",
                "fsiii",
                "udsatte",
                "vh",
                "ky",
                "kp",
                "yr"
            ]
        );
        assert!(oct
            .entries
            .iter()
            .all(|e| e.status == EntryStatus::Expected && e.carries == ym("2025-08")));
        // The early window before it: DREAM (June) and Borger Flex (August), one day.
        let early = day(&days, DayKind::Early, "2025-09-19");
        assert_eq!(early.last_day, d("2025-09-26"));
        assert_eq!(early.release_month, ym("2025-10"));
        assert_eq!(
            early.by_month(),
            [
                (ym("2025-08"), vec![AreaId::BorgerFlex]),
                (ym("2025-06"), vec![AreaId::Dream])
            ]
        );
        // The DAP cubes after October's 10th say every month in that release, early ones too.
        let dap = day(&days, DayKind::Dap, "2025-10-11");
        assert_eq!(dap.last_day, d("2025-10-12"));
        assert_eq!(dap.by_month()[0].0, ym("2025-08"));
        assert!(dap.entries.iter().any(|e| e.id == AreaId::Dream));
        // Oldest first; on one date early, 10th, DAP.
        assert!(days
            .windows(2)
            .all(|w| (w[0].first_day, w[0].kind) <= (w[1].first_day, w[1].kind)));
    }

    #[test]
    fn days_follow_the_facts_at_the_moments() {
        // Before the release is recorded, the 10th is expected ("ventes i dag").
        let m = moment("the 10th, before the release is recorded");
        let f = m.facts();
        let days = release_days(&m.catalogue, &f, |_| true, f.today, f.today);
        let today = day(&days, DayKind::Release, "2025-10-10");
        assert!(today
            .entries
            .iter()
            .any(|e| e.id == AreaId::Ky && e.status == EntryStatus::Expected));
        // The 11th with nothing recorded: the 10th is missed by all, and says so.
        let m = moment("the 11th, nothing recorded");
        let f = m.facts();
        let (from, to) = span(f.today, 2);
        let days = release_days(&m.catalogue, &f, |_| true, from, to);
        let oct = day(&days, DayKind::Release, "2025-10-10");
        assert!(oct.is_past(f.today) && !oct.brings_anything());
        assert!(oct.entries.iter().all(|e| e.status == EntryStatus::Missed));
        // No cubes said for a release nothing came in.
        assert!(days
            .iter()
            .all(|x| x.kind != DayKind::Dap || x.release_month != ym("2025-10")));
        // A note naming a later release: KRL is not in November's, but in December's with July.
        let m = moment("a note naming a later release");
        let f = m.facts();
        let (from, to) = span(f.today, 3);
        let days = release_days(&m.catalogue, &f, |a| a.id == AreaId::Krl, from, to);
        assert!(days.iter().all(|x| x.release_month != ym("2025-11")
            || x.entries.iter().all(|e| e.status != EntryStatus::Expected)));
        let dec = day(&days, DayKind::Release, "2025-12-10");
        assert_eq!(
            (dec.entries[0].carries, dec.entries[0].by_note),
            (ym("2025-07"), true)
        );
        // A filter keeps its areas only; a down area has no day.
        let c = default_catalogue();
        let f = catalogue_facts(c, d("2025-09-20"));
        let (from, to) = span(f.today, 12);
        assert!(release_days(c, &f, |a| a.id == AreaId::Dfdg, from, to).is_empty());
        let dream = release_days(c, &f, |a| a.id == AreaId::Dream, from, to);
        assert!(dream
            .iter()
            .all(|x| x.entries.iter().all(|e| e.id == AreaId::Dream)));
        assert!(
            dream.iter().any(|x| x.kind == DayKind::Dap),
            "the cubes carry DREAM too"
        );
    }
}
