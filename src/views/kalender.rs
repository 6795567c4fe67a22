//! The release days in words, for every surface that lists them: the release calendar page
//! (`/kalender`, laid out by `responses/web/kalender.html`), the calendar feed's events
//! (`ical`) and `flisbot calendar` (`release_plan`). Each day is the area facts' release day
//! ([`facts::release_days`]); this module only names areas and dates.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use super::danish::danish_weekday;
use super::danish::{danish_date, danish_window, Danish};
use super::ical::CalendarFilter;
use crate::core::calendar;
use crate::core::catalogue::{AreaId, Catalogue};
use crate::core::facts::{
    self, AreaFacts, CatalogueFacts, DayKind, EntryStatus, Next, NoDate, NoteTiming, ReleaseDay,
};
use crate::core::year_month::YearMonth;

/// How many months ahead the calendar page shows (from a month back).
pub const PAGE_MONTHS_AHEAD: u32 = 6;

/// An area's name as the day lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NameView {
    pub id: &'static str,
    pub name: String,
    /// The month is the drift note's, not the rule's.
    pub by_note: bool,
}

/// The areas of a day that carry one month.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MonthGroupView {
    /// "august 2025"
    pub month: String,
    pub names: Vec<NameView>,
}

/// One release day in Danish words.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DayView {
    /// early | release | dap
    pub kind: &'static str,
    /// "udgivelse-2025-10-10": the day's anchor on the page and the base of its event's UID.
    pub anchor: String,
    /// "oktober 2025": the monthly release the day belongs to.
    pub release_month: String,
    /// "10. oktober 2025", "19.–26. september 2025"
    pub when: String,
    /// "fredag"; empty for a window.
    pub weekday: String,
    /// The day of the month and short month for the page's date column ("10. okt.").
    pub day_of_month: u32,
    /// The monthly release's 10th ("10. oktober 2025").
    pub release_day: String,
    /// The DAP cubes after a release on the 10th ("11.–12. oktober 2025").
    pub dap: Option<String>,
    /// expected | due_today | in_progress | recorded | partly | missed | dap_past | dap_today |
    /// dap_last_day
    pub status: &'static str,
    pub past: bool,
    pub today: bool,
    /// The areas that came or are expected, by month (most areas first).
    pub groups: Vec<MonthGroupView>,
    /// Their number.
    pub count: usize,
    /// The areas whose release on the day has come and is not recorded.
    pub missed: Vec<NameView>,
}

fn name_of(catalogue: &Catalogue, id: AreaId, by_note: bool) -> NameView {
    NameView {
        id: id.as_str(),
        name: catalogue
            .area(id)
            .map_or_else(|| id.as_str().to_owned(), |a| a.name.clone()),
        by_note,
    }
}

fn kind_word(kind: DayKind) -> &'static str {
    match kind {
        DayKind::Early => "early",
        DayKind::Release => "release",
        DayKind::Dap => "dap",
    }
}

/// The status of a day in one word the templates turn into Danish.
fn status(day: &ReleaseDay, today: NaiveDate) -> &'static str {
    let recorded = day.with_status(EntryStatus::Recorded).count();
    let expected = day.with_status(EntryStatus::Expected).count();
    let missed = day.with_status(EntryStatus::Missed).count();
    let past = day.is_past(today);
    let is_today = day.is_today(today);
    match day.kind {
        DayKind::Dap if past => "dap_past",
        DayKind::Dap if today == day.last_day => "dap_last_day",
        DayKind::Dap if is_today => "dap_today",
        DayKind::Dap => "expected",
        _ if expected > 0 && is_today && day.first_day != day.last_day => "in_progress",
        _ if expected > 0 && is_today => "due_today",
        _ if expected > 0 => "expected",
        _ if recorded > 0 && missed > 0 => "partly",
        _ if recorded > 0 => "recorded",
        _ => "missed",
    }
}

/// `day` in words, with the area names of `catalogue`.
pub fn day_view(catalogue: &Catalogue, day: &ReleaseDay, today: NaiveDate) -> DayView {
    let kind = kind_word(day.kind);
    let general = calendar::general_release(day.release_month);
    let groups: Vec<MonthGroupView> = day
        .by_month()
        .into_iter()
        .map(|(month, ids)| MonthGroupView {
            month: month.danish(),
            names: ids
                .into_iter()
                .map(|id| {
                    let by_note = day.entries.iter().any(|e| e.id == id && e.by_note);
                    name_of(catalogue, id, by_note)
                })
                .collect(),
        })
        .collect();
    // A window's weekdays ("søndag–søndag") say little: only a single day has one.
    let weekday = if day.first_day == day.last_day {
        danish_weekday(day.first_day).to_owned()
    } else {
        String::new()
    };
    DayView {
        kind,
        anchor: format!(
            "{}-{}",
            match day.kind {
                DayKind::Early => "tidlig",
                DayKind::Release => "udgivelse",
                DayKind::Dap => "dap",
            },
            day.first_day
        ),
        release_month: day.release_month.danish(),
        when: danish_window(day.first_day, day.last_day),
        weekday,
        day_of_month: day.first_day.day(),
        release_day: danish_date(general.last_day),
        dap: (day.kind == DayKind::Release).then(|| {
            let (a, b) = calendar::dap_window(&general);
            danish_window(a, b)
        }),
        status: status(day, today),
        past: day.is_past(today),
        today: day.is_today(today),
        count: groups.iter().map(|g| g.names.len()).sum(),
        groups,
        missed: day
            .with_status(EntryStatus::Missed)
            .map(|e| name_of(catalogue, e.id, e.by_note))
            .collect(),
    }
}

/// An area the calendar has no date for, and why.
#[derive(Clone, Debug, Serialize)]
pub struct NoDateView {
    pub id: &'static str,
    pub name: String,
    /// down | yearly | daily | note_unknown | note_asap
    pub why: &'static str,
    /// note_asap: the month the note says comes as soon as possible.
    pub note_month: Option<String>,
}

/// What an area without release days has instead, from its facts; `None` where it has days.
pub fn no_date(catalogue: &Catalogue, f: &AreaFacts) -> Option<NoDateView> {
    let (why, note_month) = match f.next {
        Next::Release { .. } => return None,
        Next::Daily { .. } => ("daily", None),
        Next::None { why: NoDate::Down } => ("down", None),
        Next::None {
            why: NoDate::Yearly,
        } => ("yearly", None),
        Next::None {
            why: NoDate::Note { timing, .. },
        } => match timing {
            NoteTiming::Asap { data } => ("note_asap", data.map(YearMonth::danish)),
            NoteTiming::Unknown | NoteTiming::WithRelease { .. } => ("note_unknown", None),
        },
    };
    let n = name_of(catalogue, f.id, false);
    Some(NoDateView {
        id: n.id,
        name: n.name,
        why,
        note_month,
    })
}

/// The days of one calendar month.
#[derive(Clone, Debug, Serialize)]
pub struct MonthView {
    /// "Oktober 2025"
    pub name: String,
    pub days: Vec<DayView>,
}

/// A way to narrow the page (all, a group, an area) and whether it is the one shown.
#[derive(Clone, Debug, Serialize)]
pub struct FilterChoice {
    /// The area's or group's id ("" for all).
    pub id: &'static str,
    pub label: String,
    /// The query string without "?" ("" for all).
    pub query: String,
    pub current: bool,
}

/// The release calendar page (`/kalender`).
#[derive(Clone, Debug, Serialize)]
pub struct KalenderPage {
    pub today: String,
    pub as_of: String,
    pub stale: bool,
    /// The areas the page is narrowed to ("DREAM, KRL Personale"), empty for all.
    pub narrowed_to: Vec<String>,
    /// The query string of the filter shown ("omraade=dream"), empty for all.
    pub query: String,
    pub groups: Vec<FilterChoice>,
    pub areas: Vec<FilterChoice>,
    pub months: Vec<MonthView>,
    pub no_date: Vec<NoDateView>,
    /// The calendar feed of this filter: absolute with a public address, else relative.
    pub ics_url: String,
    /// `webcal://…` with a public address.
    pub webcal_url: Option<String>,
}

/// The page of `filter` on the facts' day; links absolute under `public_url` when set.
pub fn kalender_page(
    catalogue: &Catalogue,
    facts: &CatalogueFacts,
    filter: &CalendarFilter,
    public_url: Option<&str>,
) -> KalenderPage {
    let today = facts.today;
    let (from, to) = facts::span(today, PAGE_MONTHS_AHEAD);
    // Whole months: from the first of last month to the end of the last month shown.
    let from = from.with_day(1).unwrap_or(from);
    let days = facts::release_days(catalogue, facts, |a| filter.admits(a.id, a.group), from, to);
    let mut months: Vec<MonthView> = Vec::new();
    for day in &days {
        let month = YearMonth::of_date(day.first_day).danish();
        let view = day_view(catalogue, day, today);
        match months.last_mut() {
            Some(m) if m.name.eq_ignore_ascii_case(&month) => m.days.push(view),
            _ => months.push(MonthView {
                name: capitalised(&month),
                days: vec![view],
            }),
        }
    }
    let query = filter.query();
    let ics_path = if query.is_empty() {
        "/kalender.ics".to_owned()
    } else {
        format!("/kalender.ics?{query}")
    };
    let (ics_url, webcal_url) = match public_url {
        Some(base) => {
            let url = format!("{base}{ics_path}");
            let webcal = url
                .split_once("://")
                .map(|(_, rest)| format!("webcal://{rest}"));
            (url, webcal)
        }
        None => (ics_path, None),
    };
    let current = |q: &str| q == query;
    KalenderPage {
        today: danish_date(today),
        as_of: danish_date(facts.status_date),
        stale: facts.stale,
        narrowed_to: filter.names(catalogue),
        groups: std::iter::once(FilterChoice {
            id: "",
            label: String::new(),
            query: String::new(),
            current: current(""),
        })
        .chain(crate::core::catalogue::Group::ALL.iter().map(|g| {
            let q = CalendarFilter::of_group(*g).query();
            FilterChoice {
                id: super::status_feed::group_id(*g),
                label: g.danish().to_owned(),
                current: current(&q),
                query: q,
            }
        }))
        .collect(),
        areas: catalogue
            .areas
            .iter()
            .map(|a| {
                let q = CalendarFilter::of_area(a.id).query();
                FilterChoice {
                    id: a.id.as_str(),
                    label: a.name.clone(),
                    current: current(&q),
                    query: q,
                }
            })
            .collect(),
        query,
        months,
        no_date: catalogue
            .areas
            .iter()
            .filter(|a| filter.admits(a.id, a.group))
            .filter_map(|a| facts.area(a.id))
            .filter_map(|f| no_date(catalogue, f))
            .collect(),
        ics_url,
        webcal_url,
    }
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
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

    fn find<'a>(p: &'a KalenderPage, anchor: &str) -> &'a DayView {
        p.months
            .iter()
            .flat_map(|m| &m.days)
            .find(|x| x.anchor == anchor)
            .unwrap_or_else(|| panic!("{anchor}"))
    }

    #[test]
    fn the_page_lists_release_days_by_month_with_what_they_bring() {
        let c = default_catalogue();
        let f = catalogue_facts(c, d("2025-09-20"));
        let page = kalender_page(c, &f, &CalendarFilter::default(), None);
        assert_eq!(page.months[0].name, "August 2025");
        assert_eq!(page.months.last().unwrap().name, "Marts 2026");
        let sep10 = find(&page, "udgivelse-2025-09-10");
        assert_eq!((sep10.status, sep10.past), ("partly", true));
        assert_eq!(sep10.missed[0].name, "KRL Personale");
        assert_eq!(sep10.weekday, "onsdag");
        let early = find(&page, "tidlig-2025-09-19");
        assert_eq!(early.status, "in_progress");
        assert_eq!(early.weekday, "");
        let oct = find(&page, "udgivelse-2025-10-10");
        assert_eq!((oct.status, oct.count), ("expected", 12));
        assert_eq!(oct.groups[0].month, "august 2025");
        assert_eq!(oct.dap.as_deref(), Some("11.–12. oktober 2025"));
        let why: Vec<(&str, &str)> = page.no_date.iter().map(|n| (n.id, n.why)).collect();
        assert_eq!(
            why,
            [
                ("krl", "note_asap"),
                ("ukraine", "daily"),
                ("skole", "note_unknown"),
                ("aeldre", "down"),
                ("dfdg", "down")
            ]
        );
        assert_eq!(page.ics_url, "/kalender.ics");
        assert_eq!(page.webcal_url, None);
        assert!(page.groups[0].current);
    }

    #[test]
    fn a_filtered_page_links_its_own_feed_under_the_public_address() {
        let c = default_catalogue();
        let f = catalogue_facts(c, d("2025-09-20"));
        let filter = CalendarFilter::of_area(AreaId::Dream);
        let page = kalender_page(c, &f, &filter, Some("https://flis.example.dk"));
        assert_eq!(
            page.ics_url,
            "https://flis.example.dk/kalender.ics?omraade=dream"
        );
        assert_eq!(
            page.webcal_url.as_deref(),
            Some("webcal://flis.example.dk/kalender.ics?omraade=dream")
        );
        assert_eq!(page.narrowed_to, ["DREAM"]);
        assert!(page.areas.iter().any(|a| a.current && a.label == "DREAM"));
        assert!(page.months.iter().flat_map(|m| &m.days).all(|x| x
            .groups
            .iter()
            .chain([])
            .all(|g| g.names.iter().all(|n| n.id == "dream"))));
    }

    #[test]
    fn the_11th_with_nothing_recorded_says_the_10th_did_not_come() {
        let m = moment("the 11th, nothing recorded");
        let page = kalender_page(&m.catalogue, &m.facts(), &CalendarFilter::default(), None);
        let oct = find(&page, "udgivelse-2025-10-10");
        assert_eq!((oct.status, oct.count), ("missed", 0));
        assert!(oct.missed.iter().any(|n| n.id == "ky"));
    }
}
