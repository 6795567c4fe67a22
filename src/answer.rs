//! The core: an understood question + the catalogue + "now" in, a reply value out. Pure.

use chrono::{DateTime, NaiveDate, Utc};

use crate::calendar::{self, NextUpdate, Release};
use crate::catalogue::{Area, Cadence, Catalogue, State};
use crate::danish_time::{danish_date, danish_today, danish_window};
use crate::reply::{AreaView, AskedView, ExceptionView, GeneralView, NextView, Reply, ReplyKind};
use crate::understand::{default_parser, Intent, MonthRef, Parsed};
use crate::year_month::YearMonth;

/// A status confirmed longer ago than this "kan være forældet".
pub const FRESHNESS_DAYS: i64 = 45;

/// Parses `question` with the default parser and answers it.
pub fn answer_question(question: &str, catalogue: &Catalogue, now: DateTime<Utc>) -> Reply {
    answer(&default_parser().parse(question), catalogue, now)
}

pub fn answer(parsed: &Parsed, catalogue: &Catalogue, now: DateTime<Utc>) -> Reply {
    let today = danish_today(now);
    let asked = parsed.month.map(|m| resolve_month(m, today));
    let kind = match parsed.intent {
        Intent::Status | Intent::NextRelease if parsed.areas.is_empty() && !parsed.general => {
            ReplyKind::UnknownArea
        }
        Intent::Status => ReplyKind::Status,
        Intent::NextRelease => ReplyKind::NextRelease,
        Intent::Overview => ReplyKind::Overview,
        Intent::Help => ReplyKind::Help,
        Intent::Unknown => ReplyKind::Unknown,
    };
    let mut areas: Vec<AreaView> = match kind {
        ReplyKind::Overview => catalogue.areas.iter().collect(),
        ReplyKind::Status | ReplyKind::NextRelease => parsed
            .areas
            .iter()
            .filter_map(|id| catalogue.area(*id))
            .collect(),
        _ => Vec::new(),
    }
    .into_iter()
    .map(|a| area_view(a, catalogue, today, asked))
    .collect();
    if kind == ReplyKind::Overview {
        // Problems first: down, then disturbed, then behind; otherwise catalogue order.
        areas.sort_by_key(|v| {
            let rank = match v.state {
                "down" => 0,
                "disturbed" => 1,
                _ if v.behind_months.is_some() => 2,
                _ => 3,
            };
            (rank, v.behind_months.is_none())
        });
    }
    let name_of = |id| catalogue.area(id).map(|a| a.name.clone());
    Reply {
        kind,
        general: (kind == ReplyKind::NextRelease && parsed.areas.is_empty())
            .then(|| general_view(catalogue, today)),
        areas,
        asked_month: asked.map(YearMonth::danish),
        unknown_words: parsed.unknown_words.clone(),
        suggestions: parsed
            .suggestions
            .iter()
            .filter_map(|id| name_of(*id))
            .collect(),
        known_areas: catalogue.areas.iter().map(|a| a.name.clone()).collect(),
        catalogue_as_of: danish_date(catalogue.as_of),
        catalogue_stale: (today - catalogue.as_of).num_days() > FRESHNESS_DAYS,
        today: danish_date(today),
        omitted: 0,
    }
}

/// A month named without a year is the latest such month not after this one: people ask
/// about data they miss, not data from the future.
fn resolve_month(m: MonthRef, today: NaiveDate) -> YearMonth {
    let this = YearMonth::of_date(today);
    let year = m.year.unwrap_or(if m.month <= this.month() {
        this.year()
    } else {
        this.year() - 1
    });
    YearMonth::new(year, m.month).unwrap_or(this)
}

/// The day an area's status was last confirmed: its own change or the catalogue's as-of date.
pub fn status_date(area: &Area, catalogue: &Catalogue) -> NaiveDate {
    let changed = area.changed.as_ref().map(|c| danish_today(c.at));
    changed.map_or(catalogue.as_of, |d| d.max(catalogue.as_of))
}

/// Months the recorded t.o.m. lags what the rules expected on the status date.
pub fn behind_months(area: &Area, catalogue: &Catalogue) -> Option<(i64, YearMonth)> {
    let through = area.through?;
    let expected = calendar::expected_through(&area.rule, status_date(area, catalogue))?;
    let lag = expected.months_since(through);
    (lag > 0).then_some((lag, expected))
}

fn release_when(r: &Release) -> String {
    format!("ca. {}", danish_window(r.first_day, r.last_day))
}

fn area_view(
    area: &Area,
    catalogue: &Catalogue,
    today: NaiveDate,
    asked: Option<YearMonth>,
) -> AreaView {
    let confirmed = status_date(area, catalogue);
    let behind = behind_months(area, catalogue);
    let next =
        (area.state != State::Down).then(|| match calendar::next_update(&area.rule, today) {
            NextUpdate::Monthly(r) => NextView {
                cadence: "monthly",
                when: release_when(&r),
                window: r.is_window(),
                carries: Some(r.carries.danish()),
                dap: (!r.is_window()).then(|| {
                    let (a, b) = calendar::dap_window(&r);
                    danish_window(a, b)
                }),
            },
            NextUpdate::Daily(d) => NextView {
                cadence: "daily",
                when: format!("natten til {}", danish_date(d)),
                window: false,
                carries: None,
                dap: None,
            },
            NextUpdate::Yearly => NextView {
                cadence: "yearly",
                when: String::new(),
                window: false,
                carries: None,
                dap: None,
            },
        });
    let asked = asked.and_then(|m| {
        let r = calendar::release_carrying(&area.rule, m)?;
        Some(AskedView {
            month: m.danish(),
            when: release_when(&r),
            out_by_rules: r.is_out(today),
            recorded: area.through.is_some_and(|t| t >= m),
        })
    });
    let (state_label, icon) = match area.state {
        State::Ok => (State::Ok.danish(), "🟢"),
        State::Disturbed => (State::Disturbed.danish(), "🟡"),
        State::Down => (State::Down.danish(), "🔴"),
    };
    AreaView {
        id: area.id.as_str(),
        name: area.name.clone(),
        group: area.group.danish(),
        state: area.state.as_str(),
        state_label,
        icon,
        frequency: area.frequency.clone(),
        source: area.source.clone(),
        note: area.note.clone(),
        through: area.through.map(YearMonth::danish),
        status_date: danish_date(confirmed),
        changed_by: area.changed.as_ref().map(|c| c.by.clone()),
        changed_at: area
            .changed
            .as_ref()
            .map(|c| danish_date(danish_today(c.at))),
        behind_months: behind.map(|(n, _)| n),
        expected_through: behind.map(|(_, m)| m.danish()),
        stale: (today - confirmed).num_days() > FRESHNESS_DAYS,
        next,
        asked,
        remark: area.rule.remark.clone(),
    }
}

fn general_view(catalogue: &Catalogue, today: NaiveDate) -> GeneralView {
    let standard = calendar::standard_rule();
    let next = calendar::next_monthly(&standard, today);
    let (dap_first, dap_last) = calendar::dap_window(&next);
    let live = || {
        catalogue
            .areas
            .iter()
            .filter(|a| a.rule.cadence == Cadence::Monthly && a.state != State::Down)
    };
    let exception = |a: &Area| {
        let r = calendar::next_monthly(&a.rule, today);
        ExceptionView {
            name: a.name.clone(),
            when: release_when(&r),
            carries: r.carries.danish(),
        }
    };
    GeneralView {
        when: release_when(&next),
        carries: next.carries.danish(),
        dap: danish_window(dap_first, dap_last),
        early: live()
            .filter(|a| a.rule.early.is_some())
            .map(exception)
            .collect(),
        other_lag: live()
            .filter(|a| a.rule.early.is_none() && a.rule.lag != standard.lag)
            .map(|a| {
                let r = calendar::monthly_release(&a.rule, next.release_month);
                ExceptionView {
                    name: a.name.clone(),
                    when: release_when(&r),
                    carries: r.carries.danish(),
                }
            })
            .collect(),
    }
}
