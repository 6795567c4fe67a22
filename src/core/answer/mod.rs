//! The answer: a typed question ([`Query`]) + the catalogue + "now" in, a reply value out. Pure.
//!
//! What is true of each area and of the monthly release comes from the area facts
//! (`core::facts`), computed once per answer; nothing here recomputes them. This module only
//! decides what the reply says first, from what the question asks: ja or nej on the data being
//! what the rules expect, on the state or on a release today; the drift note; the date (or why
//! there is none); the cadence; or what a named month means. A status older than the freshness
//! limit is said before anything else, with what the rules expect now.

use chrono::{DateTime, NaiveDate, Utc};

use crate::core::calendar::{self, Release};
use crate::core::catalogue::{Area, AreaId, Cadence, Catalogue, State};
use crate::core::danish_time::danish_today;
use crate::core::facts::{
    self, AreaFacts, CatalogueFacts, DapToday, GeneralRelease, MonthState, Next, NoDate,
    NoteTiming, Recorded,
};
use crate::core::query::{
    self, AreaAsk, MonthAsk, MonthOf, MonthQuestion, OverviewAsk, ProblemsAsk, Query, ReleaseAsk,
    Scope, Talk,
};
use crate::core::reply::{
    Approx, AreaView, Asked, AskedView, BehindView, CadencesView, DapTodayView, Day, EarlyGroup,
    ExceptionView, GeneralTodayView, GeneralView, LagGroup, LatestView, Lead, Month, NextView,
    ReleaseMonth, ReleaseView, Reply, ReplyKind, StaleView, Tally, TodayView, Verdict, Window,
};
use crate::core::text::shorten;
use crate::core::year_month::YearMonth;

/// Kept for the surfaces that still read them from here (the status feed, the web, metrics)
/// until they read the area facts themselves: the facts module owns both.
pub use crate::core::facts::{status_date, STALE_AFTER_DAYS as FRESHNESS_DAYS};

/// More areas than this are listed one line each, details on request.
pub const COMPACT_ABOVE: usize = 3;
/// A drift note in a one-line listing is shortened to this.
const NOTE_LINE_CHARS: usize = 120;

/// Months the recorded t.o.m. lags what the rules expected on the status's own day, and the
/// month they expected: the area facts judged on that day. Kept for the status feed and the
/// web until they read the facts themselves.
pub fn behind_months(area: &Area, catalogue: &Catalogue) -> Option<(i64, YearMonth)> {
    let on = facts::status_date(area, catalogue);
    facts::area_facts(area, catalogue, on)
        .behind
        .map(|b| (i64::from(b.months), b.expected))
}

/// Understands `question` and answers it.
pub fn answer_question(question: &str, catalogue: &Catalogue, now: DateTime<Utc>) -> Reply {
    answer(&query::understand(question), catalogue, now)
}

/// What every view is made from: the catalogue and its facts today.
struct Cx<'c> {
    catalogue: &'c Catalogue,
    facts: &'c CatalogueFacts,
    today: NaiveDate,
}

impl Cx<'_> {
    fn facts_of(&self, id: AreaId) -> Option<&AreaFacts> {
        self.facts.area(id)
    }

    fn name_of(&self, id: AreaId) -> String {
        self.catalogue
            .area(id)
            .map_or_else(|| id.as_str().to_owned(), |a| a.name.clone())
    }
}

/// Answers `query` about `catalogue` at `now`.
pub fn answer(query: &Query, catalogue: &Catalogue, now: DateTime<Utc>) -> Reply {
    let facts = facts::catalogue_facts(catalogue, danish_today(now));
    answer_with(query, catalogue, &facts)
}

/// Answers `query` from `facts`, the facts of `catalogue` on their day: what an adapter that
/// keeps the facts of its snapshot for the day calls, so they are computed once, not per
/// question.
pub fn answer_with(query: &Query, catalogue: &Catalogue, facts: &CatalogueFacts) -> Reply {
    let cx = Cx {
        catalogue,
        facts,
        today: facts.today,
    };
    match query {
        Query::Areas { scope, ask } => areas_reply(&cx, scope, *ask),
        Query::Release(ask) => release_reply(&cx, *ask),
        Query::Overview(ask) => overview_reply(&cx, *ask),
        Query::Problems { scope, ask } => problems_reply(&cx, scope.as_ref(), *ask),
        Query::Help { .. } => base(&cx, ReplyKind::Help, Asked::Nothing),
        Query::Talk(Talk::Greeting) => base(&cx, ReplyKind::Greeting, Asked::Nothing),
        Query::Talk(Talk::Thanks) => base(&cx, ReplyKind::Thanks, Asked::Nothing),
        Query::Talk(Talk::Wish(wishes)) => Reply {
            wishes: wishes.clone(),
            ..base(&cx, ReplyKind::Wish, Asked::Nothing)
        },
        Query::UnknownArea { words, suggestions } => Reply {
            unknown_words: words.clone(),
            suggestions: suggestions.iter().map(|id| cx.name_of(*id)).collect(),
            ..base(&cx, ReplyKind::UnknownArea, Asked::Nothing)
        },
        Query::Unknown => base(&cx, ReplyKind::Unknown, Asked::Nothing),
    }
}

/// A reply of `kind` with nothing shown yet.
fn base(cx: &Cx<'_>, kind: ReplyKind, ask: Asked) -> Reply {
    Reply {
        kind,
        ask,
        areas: Vec::new(),
        general: None,
        release_today: None,
        unknown_words: Vec::new(),
        suggestions: Vec::new(),
        // Only help and an unknown area list every area.
        known_areas: if matches!(kind, ReplyKind::Help | ReplyKind::UnknownArea) {
            cx.catalogue.areas.iter().map(|a| a.name.clone()).collect()
        } else {
            Vec::new()
        },
        wishes: Vec::new(),
        catalogue_as_of: Day(cx.facts.status_date),
        catalogue_stale: cx.facts.stale,
        today: Day(cx.today),
        stale: None,
        compact: false,
        detail_example: None,
        tally: None,
        scope_total: 0,
        rest_ok: 0,
        omitted: 0,
    }
}

/// The areas `scope` names: its areas, then its groups' members in the live catalogue.
fn members<'c>(scope: &Scope, catalogue: &'c Catalogue) -> Vec<&'c Area> {
    let mut ids: Vec<AreaId> = Vec::new();
    for id in &scope.areas {
        if !ids.contains(id) {
            ids.push(*id);
        }
    }
    for a in &catalogue.areas {
        if scope.groups.contains(&a.group) && !ids.contains(&a.id) {
            ids.push(a.id);
        }
    }
    ids.iter().filter_map(|id| catalogue.area(*id)).collect()
}

fn areas_reply(cx: &Cx<'_>, scope: &Scope, ask: AreaAsk) -> Reply {
    let shown = members(scope, cx.catalogue);
    let kind = match ask {
        AreaAsk::When | AreaAsk::Today | AreaAsk::HowOften => ReplyKind::NextRelease,
        AreaAsk::Month(m) if m.question != MonthQuestion::IsOut => ReplyKind::NextRelease,
        _ => ReplyKind::Status,
    };
    let views: Vec<AreaView> = shown
        .iter()
        .filter_map(|a| area_view(cx, a, Some(ask), ask == AreaAsk::Why))
        .collect();
    let compact = views.len() > COMPACT_ABOVE;
    let stale = areas_stale(cx, &shown);
    Reply {
        tally: (compact && views.iter().any(|v| v.verdict.is_some())).then(|| tally(&views)),
        detail_example: compact.then(|| detail_example(&views)).flatten(),
        compact,
        stale,
        areas: views,
        ..base(cx, kind, Asked::Areas(ask))
    }
}

fn overview_reply(cx: &Cx<'_>, ask: OverviewAsk) -> Reply {
    let area_ask = match ask {
        OverviewAsk::Plain => None,
        OverviewAsk::Updated => Some(AreaAsk::Updated),
    };
    let views: Vec<AreaView> = cx
        .facts
        .problems_first()
        .iter()
        .filter_map(|f| cx.catalogue.area(f.id))
        .filter_map(|a| area_view(cx, a, area_ask, false))
        .collect();
    let updated = ask == OverviewAsk::Updated;
    Reply {
        tally: updated.then(|| tally(&views)),
        release_today: cx
            .facts
            .today_release
            .as_ref()
            .filter(|_| updated)
            .map(|g| general_today_view(cx, g)),
        detail_example: detail_example(&views),
        stale: catalogue_stale(cx),
        areas: views,
        ..base(cx, ReplyKind::Overview, Asked::Overview(ask))
    }
}

fn problems_reply(cx: &Cx<'_>, scope: Option<&Scope>, ask: ProblemsAsk) -> Reply {
    let in_scope: Vec<AreaId> = match scope {
        Some(s) => members(s, cx.catalogue).iter().map(|a| a.id).collect(),
        None => cx.catalogue.areas.iter().map(|a| a.id).collect(),
    };
    let views: Vec<AreaView> = cx
        .facts
        .problems()
        .iter()
        .filter(|f| in_scope.contains(&f.id))
        .filter_map(|f| cx.catalogue.area(f.id))
        .filter_map(|a| area_view(cx, a, None, true))
        .collect();
    Reply {
        scope_total: in_scope.len(),
        rest_ok: in_scope.len() - views.len(),
        detail_example: detail_example(&views),
        stale: catalogue_stale(cx),
        areas: views,
        ..base(cx, ReplyKind::Problems, Asked::Problems(ask))
    }
}

fn release_reply(cx: &Cx<'_>, ask: ReleaseAsk) -> Reply {
    Reply {
        general: Some(general_view(cx, ask)),
        // The cadences rest on the rules alone; everything else on the recorded status.
        stale: (ask != ReleaseAsk::HowOften)
            .then(|| catalogue_stale(cx))
            .flatten(),
        ..base(cx, ReplyKind::NextRelease, Asked::Release(ask))
    }
}

/// The area a listing names in "spørg fx «status …» for detaljer": the first with a problem.
fn detail_example(views: &[AreaView]) -> Option<String> {
    views
        .iter()
        .find(|a| a.state != State::Ok || a.behind.is_some())
        .or(views.first())
        .map(|a| a.name.clone())
}

fn tally(views: &[AreaView]) -> Tally {
    let count = |f: &dyn Fn(&AreaView) -> bool| views.iter().filter(|a| f(a)).count();
    let due = |a: &AreaView| a.lead == Some(Lead::DueToday);
    Tally {
        yes: count(&|a| a.verdict == Some(Verdict::Yes)),
        no: count(&|a| a.verdict == Some(Verdict::No) && !due(a)),
        due: count(&due),
        partly: count(&|a| a.verdict == Some(Verdict::Partly)),
        unknown: count(&|a| a.verdict == Some(Verdict::Unknown)),
        total: views.len(),
    }
}

/// The stale line for areas shown: the oldest of their stale statuses, with what the rules
/// expect now (the one area's, or the standard release's).
fn areas_stale(cx: &Cx<'_>, shown: &[&Area]) -> Option<StaleView> {
    let facts: Vec<&AreaFacts> = shown.iter().filter_map(|a| cx.facts_of(a.id)).collect();
    // One area: its own status. Several: the status most of them share (a few stale ones in a
    // fresh listing are said on their own lines).
    let oldest = facts::common_status_date(facts.iter().copied())
        .filter(|d| facts::is_stale(*d, cx.today))?;
    let single = facts.len() == 1;
    let expected_now = if single {
        facts[0].expected_now
    } else {
        cx.facts.expected_now
    };
    Some(StaleView {
        from: Day(oldest),
        expected_now: expected_now.map(Month),
        single,
    })
}

/// The stale line for replies about all areas or the monthly release.
fn catalogue_stale(cx: &Cx<'_>) -> Option<StaleView> {
    cx.facts.stale.then(|| StaleView {
        from: Day(cx.facts.status_date),
        expected_now: cx.facts.expected_now.map(Month),
        single: false,
    })
}

fn release_view(r: &Release) -> ReleaseView {
    ReleaseView {
        when: Approx::of(r),
        date: Window::of(r),
        window: r.is_window(),
        release_month: ReleaseMonth(r.release_month),
        carries: Month(r.carries),
        dap: Window::dap_after(r),
    }
}

/// The note only says the area runs to plan.
fn note_is_plain(note: &str) -> bool {
    let n = note.trim().trim_end_matches('.');
    n.is_empty() || n.eq_ignore_ascii_case("kører efter planen")
}

/// The release after `r` for `area` (the one named next while `r` is due today).
fn following(area: &Area, f: &AreaFacts, r: &Release) -> Release {
    facts::area_release_timed(area, f.note_timing, r.release_month.plus(1))
        .map_or(*r, |x| x.release)
}

fn next_view(area: &Area, f: &AreaFacts) -> NextView {
    // A release due today is said as today's; "next" is the one after it.
    let after_today = |r: Release| {
        if f.due == Some(r) {
            following(area, f, &r)
        } else {
            r
        }
    };
    let blank = |kind| NextView {
        kind,
        release: None,
        by_note: false,
        why: None,
        note_timing: None,
        rule: None,
        daily: None,
    };
    let none = |why| NextView {
        why: Some(why),
        ..blank("none")
    };
    match f.next {
        Next::Release { release, by_note } => {
            let shown = after_today(release);
            NextView {
                release: Some(release_view(&shown)),
                by_note: by_note && shown == release,
                ..blank("release")
            }
        }
        Next::Daily { date } => NextView {
            daily: Some(Day(date)),
            ..blank("daily")
        },
        Next::None { why: NoDate::Down } => none("down"),
        Next::None {
            why: NoDate::Yearly,
        } => none("yearly"),
        Next::None {
            why: NoDate::Note { timing, rule },
        } => NextView {
            note_timing: Some(match timing {
                NoteTiming::Asap { .. } => "asap",
                _ => "unknown",
            }),
            rule: rule.map(|r| release_view(&after_today(r))),
            ..none("note")
        },
    }
}

fn dap_today_view(cx: &Cx<'_>, d: &DapToday) -> DapTodayView {
    DapTodayView {
        window: Window {
            first: d.first_day,
            last: d.last_day,
        },
        date: Day(cx.today),
        last_day: d.last_day_today,
        release_month: ReleaseMonth(d.release.release_month),
        released: Day(d.release.last_day),
        carries: Month(d.release.carries),
        recorded: cx.facts.latest.release == d.release && cx.facts.latest.recorded.any(),
    }
}

/// The view of `area` for a reply asking `ask` (`None`: a listing). `None` if the area has no
/// facts (it is always in the catalogue the facts were computed from).
fn area_view(
    cx: &Cx<'_>,
    area: &Area,
    ask: Option<AreaAsk>,
    short_notes: bool,
) -> Option<AreaView> {
    let f = cx.facts_of(area.id)?;
    let asked = match ask {
        Some(AreaAsk::Month(m)) => Some(area_asked(cx, area, m)),
        _ => None,
    };
    let dap_today = cx
        .facts
        .dap_today
        .as_ref()
        .filter(|_| facts::in_tenth_release(area))
        .map(|d| dap_today_view(cx, d));
    let today = f
        .due
        .map(|r| (r, false))
        .or(f.out_today.map(|r| (r, true)))
        .map(|(r, out)| TodayView {
            release: release_view(&r),
            out,
        });
    let note_plain = area.note.as_deref().is_none_or(note_is_plain);
    let (lead, verdict) = lead_for(area, f, ask, asked.as_ref(), dap_today.is_some());
    let note_in_lead = !note_plain
        && match lead {
            Some(
                Lead::WhyNote
                | Lead::IsDown
                | Lead::IsDisturbed
                | Lead::IsDownNoData
                | Lead::Behind,
            ) => true,
            Some(Lead::Month) => asked
                .as_ref()
                .is_some_and(|x| matches!(x.case, MonthState::Missing | MonthState::NoDate)),
            _ => false,
        };
    Some(AreaView {
        id: area.id.as_str(),
        name: area.name.clone(),
        group: area.group,
        state: area.state,
        frequency: area.frequency.clone(),
        source: area.source.clone(),
        note: area.note.clone(),
        note_short: area
            .note
            .as_deref()
            .filter(|_| short_notes)
            .map(|n| shorten(n, NOTE_LINE_CHARS)),
        note_is_plain: note_plain,
        through: area.through.map(Month),
        status_date: Day(f.status_date),
        changed_by: area.changed.as_ref().map(|c| c.by.public_name()),
        changed_at: area.changed.as_ref().map(|c| Day(danish_today(c.at))),
        behind: f.behind.map(|b| BehindView {
            months: b.months,
            expected: Month(b.expected),
            on: Day(b.on),
            on_status_day: b.on == f.status_date,
            missed_when: Approx::of(&b.missed),
        }),
        expected_now: f.expected_now.map(Month),
        stale: f.stale,
        cadence: area.rule.cadence.as_str(),
        delay_months: facts::flis_delay_months(&area.rule),
        early: area
            .rule
            .early
            .map(|w| (w.from_days.min(w.to_days), w.from_days.max(w.to_days))),
        today,
        dap_today,
        next: next_view(area, f),
        asked,
        remark: area.rule.remark.clone(),
        lead,
        verdict,
        note_in_lead,
    })
}

/// What to say first about `area`, and its ja/nej.
fn lead_for(
    area: &Area,
    f: &AreaFacts,
    ask: Option<AreaAsk>,
    asked: Option<&AskedView>,
    dap_today: bool,
) -> (Option<Lead>, Option<Verdict>) {
    let state_lead = || match area.state {
        State::Down => Lead::IsDown,
        State::Disturbed => Lead::IsDisturbed,
        State::Ok => Lead::IsOk,
    };
    let Some(ask) = ask else {
        return (None, None);
    };
    match ask {
        AreaAsk::Status | AreaAsk::When => (None, None),
        AreaAsk::Down | AreaAsk::Works => {
            // "Er X nede?" and "virker X?" ask the same of the state, the other way round.
            let (down, runs) = if ask == AreaAsk::Down {
                (Verdict::Yes, Verdict::No)
            } else {
                (Verdict::No, Verdict::Yes)
            };
            let v = match area.state {
                State::Down => down,
                State::Disturbed => Verdict::Partly,
                State::Ok => runs,
            };
            (Some(state_lead()), Some(v))
        }
        AreaAsk::Why => {
            let note = area.note.as_deref().is_some_and(|n| !note_is_plain(n));
            if note || f.behind.is_some() || area.state != State::Ok {
                (Some(Lead::WhyNote), None)
            } else {
                (Some(Lead::NothingMissing), None)
            }
        }
        AreaAsk::HowOften => (Some(Lead::Cadence), None),
        AreaAsk::Updated => {
            let (lead, v) = updated(area, f);
            (Some(lead), Some(v))
        }
        AreaAsk::Today => {
            let (lead, v) = today(area, f, dap_today);
            (Some(lead), Some(v))
        }
        AreaAsk::Month(_) => (Some(Lead::Month), asked.and_then(|x| x.verdict)),
    }
}

/// "Er X opdateret?": ja when the recorded t.o.m. is what the rules expect today and the area
/// is not down; "nej, ikke endnu" while its release is due today.
fn updated(area: &Area, f: &AreaFacts) -> (Lead, Verdict) {
    if area.state == State::Down {
        return (Lead::IsDownNoData, Verdict::No);
    }
    match area.rule.cadence {
        Cadence::Daily => return (Lead::Daily, Verdict::Yes),
        Cadence::Yearly => return (Lead::Yearly, Verdict::Unknown),
        Cadence::Monthly => {}
    }
    let Some(through) = area.through else {
        return (Lead::NotRecorded, Verdict::Unknown);
    };
    if f.stale && f.expected_now.is_some_and(|e| through < e) {
        (Lead::OldStatus, Verdict::No)
    } else if f.due.is_some() {
        (Lead::DueToday, Verdict::No)
    } else if f.behind.is_some() {
        (Lead::Behind, Verdict::No)
    } else {
        (Lead::UpToDate, Verdict::Yes)
    }
}

/// "Kommer X i dag?": ja on its release's day (due or out), an open early window or the DAP
/// cubes' days; a daily cube always.
fn today(area: &Area, f: &AreaFacts, dap_today: bool) -> (Lead, Verdict) {
    if area.state == State::Down {
        return (Lead::IsDownNoData, Verdict::No);
    }
    if area.rule.cadence == Cadence::Daily {
        return (Lead::Daily, Verdict::Yes);
    }
    let comes = f.due.is_some() || f.out_today.is_some() || dap_today;
    (Lead::Today, if comes { Verdict::Yes } else { Verdict::No })
}

fn month_verdict(question: MonthQuestion, state: MonthState, early_ahead: bool) -> Option<Verdict> {
    let yes = |b: bool| Some(if b { Verdict::Yes } else { Verdict::No });
    match question {
        MonthQuestion::What => None,
        MonthQuestion::IsOut => yes(state == MonthState::Recorded),
        MonthQuestion::Comes => yes(early_ahead
            || matches!(
                state,
                MonthState::Recorded | MonthState::DueToday | MonthState::Expected
            )),
    }
}

fn question_word(q: MonthQuestion) -> &'static str {
    match q {
        MonthQuestion::What => "what",
        MonthQuestion::IsOut => "is_out",
        MonthQuestion::Comes => "comes",
    }
}

fn asked_view(
    month: YearMonth,
    m: MonthAsk,
    release: Option<Release>,
    case: MonthState,
    verdict: Option<Verdict>,
) -> AskedView {
    AskedView {
        month: Month(month),
        role: match m.month.of {
            MonthOf::Data => "data",
            MonthOf::Release => "release",
        },
        question: question_word(m.question),
        release_month: ReleaseMonth(release.map_or(month, |r| r.release_month)),
        when: release.as_ref().map(Approx::of),
        window: release.is_some_and(|r| r.is_window()),
        carries: release.map(|r| Month(r.carries)),
        case,
        verdict,
        missing: Vec::new(),
        early: Vec::new(),
    }
}

/// What is known about the month `m` names, for `area`.
fn area_asked(cx: &Cx<'_>, area: &Area, m: MonthAsk) -> AskedView {
    let month = m.month.resolve(cx.today);
    let am = match m.month.of {
        MonthOf::Data => facts::area_data_month(area, cx.catalogue, cx.today, month),
        MonthOf::Release => facts::area_release_month(area, cx.catalogue, cx.today, month),
    };
    let verdict = month_verdict(m.question, am.state, false);
    asked_view(month, m, am.release, am.state, verdict)
}

/// What is known about the month `m` names, for the general release: its release, what is
/// recorded of it, and (for a release month) the early releases with a day in it.
fn general_asked(cx: &Cx<'_>, m: MonthAsk) -> AskedView {
    let month = m.month.resolve(cx.today);
    let gm = match m.month.of {
        MonthOf::Data => facts::general_data_month(cx.catalogue, cx.today, month),
        MonthOf::Release => facts::general_release_month(cx.catalogue, cx.today, month),
    };
    let early: Vec<ExceptionView> = match m.month.of {
        MonthOf::Data => Vec::new(),
        MonthOf::Release => facts::early_in_month(cx.catalogue, month)
            .iter()
            .map(|r| ExceptionView {
                name: cx.name_of(r.id),
                release: release_view(&r.release),
                now: r.release.first_day <= cx.today && cx.today <= r.release.last_day,
            })
            .collect(),
    };
    let early_ahead = facts::early_in_month(cx.catalogue, month)
        .iter()
        .any(|r| r.release.last_day >= cx.today)
        && m.month.of == MonthOf::Release;
    let verdict = month_verdict(m.question, gm.state, early_ahead);
    AskedView {
        missing: missing_names(cx, &gm.general.recorded),
        early,
        ..asked_view(month, m, Some(gm.general.release), gm.state, verdict)
    }
}

fn missing_names(cx: &Cx<'_>, recorded: &Recorded) -> Vec<String> {
    match recorded {
        Recorded::Some { missing } => missing.iter().map(|id| cx.name_of(*id)).collect(),
        _ => Vec::new(),
    }
}

fn recorded_word(recorded: &Recorded) -> &'static str {
    match recorded {
        Recorded::All => "all",
        Recorded::Some { .. } => "some",
        Recorded::None => "none",
    }
}

fn general_today_view(cx: &Cx<'_>, g: &GeneralRelease) -> GeneralTodayView {
    GeneralTodayView {
        release: release_view(&g.release),
        recorded: recorded_word(&g.recorded),
        missing: missing_names(cx, &g.recorded),
    }
}

/// The early windows open today (`now`), or else the next of each early area, grouped by the
/// release they belong to.
fn early_groups(cx: &Cx<'_>, now: bool) -> Vec<EarlyGroup> {
    let mut groups: Vec<EarlyGroup> = Vec::new();
    for area in cx
        .catalogue
        .areas
        .iter()
        .filter(|a| a.state != State::Down && a.rule.early.is_some())
    {
        let Some(f) = cx.facts_of(area.id) else {
            continue;
        };
        let open = f.due.or(f.out_today).filter(Release::is_window);
        let release = match (now, open) {
            (true, Some(r)) | (false, Some(r)) => r,
            (true, None) => continue,
            (false, None) => match f.next.release() {
                Some(r) => *r,
                None => continue,
            },
        };
        let item = ExceptionView {
            name: area.name.clone(),
            release: release_view(&release),
            now: open.is_some(),
        };
        let days = area
            .rule
            .early
            .map(|w| (w.from_days.min(w.to_days), w.from_days.max(w.to_days)));
        match groups
            .iter_mut()
            .find(|g| g.release_month == item.release.release_month && g.now == item.now)
        {
            Some(g) => g.areas.push(item),
            None => groups.push(EarlyGroup {
                release_month: item.release.release_month,
                now: item.now,
                days,
                areas: vec![item],
            }),
        }
    }
    groups
}

fn general_view(cx: &Cx<'_>, ask: ReleaseAsk) -> GeneralView {
    let catalogue = cx.catalogue;
    let standard = calendar::standard_rule();
    let next = cx.facts.next.release;
    let live_monthly = || {
        catalogue
            .areas
            .iter()
            .filter(|a| a.rule.cadence == Cadence::Monthly && a.state != State::Down)
    };
    let other_lag = live_monthly()
        .filter(|a| a.rule.early.is_none() && a.rule.lag != standard.lag)
        .filter_map(|a| {
            let timing = cx.facts_of(a.id).and_then(|f| f.note_timing);
            facts::area_release_timed(a, timing, next.release_month)
        })
        .map(|r| ExceptionView {
            name: cx.name_of(r.id),
            release: release_view(&r.release),
            now: false,
        })
        .collect();
    let today = cx
        .facts
        .today_release
        .as_ref()
        .map(|g| general_today_view(cx, g));
    let dap_today = cx.facts.dap_today.as_ref().map(|d| dap_today_view(cx, d));
    let early_now = early_groups(cx, true);
    let latest = (ask == ReleaseAsk::Out).then(|| {
        let l = &cx.facts.latest;
        LatestView {
            release: release_view(&l.release),
            today: l.release.last_day == cx.today,
            recorded: recorded_word(&l.recorded),
            behind: cx
                .facts
                .areas
                .iter()
                .filter(|f| f.behind.is_some())
                .map(|f| cx.name_of(f.id))
                .collect(),
        }
    });
    GeneralView {
        next: release_view(&next),
        comes_today: today.is_some() || dap_today.is_some() || !early_now.is_empty(),
        today,
        dap_today,
        early_now,
        early: early_groups(cx, false),
        other_lag,
        asked: match ask {
            ReleaseAsk::Month(m) => Some(general_asked(cx, m)),
            _ => None,
        },
        latest,
        cadences: (ask == ReleaseAsk::HowOften).then(|| cadences_view(catalogue)),
    }
}

/// Monthly areas with another delay than `standard` (FLIS' months), grouped by their delay.
fn lag_groups(catalogue: &Catalogue, standard: u32) -> Vec<LagGroup> {
    let mut groups: Vec<LagGroup> = Vec::new();
    for a in catalogue
        .areas
        .iter()
        .filter(|a| a.rule.cadence == Cadence::Monthly)
    {
        let delay_months = facts::flis_delay_months(&a.rule);
        if delay_months == standard {
            continue;
        }
        match groups.iter_mut().find(|g| g.delay_months == delay_months) {
            Some(g) => g.names.push(a.name.clone()),
            None => groups.push(LagGroup {
                delay_months,
                names: vec![a.name.clone()],
            }),
        }
    }
    groups
}

/// How often each part of the catalogue is updated, from the rules.
fn cadences_view(catalogue: &Catalogue) -> CadencesView {
    let names = |f: &dyn Fn(&Area) -> bool| -> Vec<String> {
        catalogue
            .areas
            .iter()
            .filter(|a| f(a))
            .map(|a| a.name.clone())
            .collect()
    };
    let standard = calendar::standard_rule();
    let early = |a: &Area| a.rule.cadence == Cadence::Monthly && a.rule.early.is_some();
    CadencesView {
        early: names(&early),
        early_days: catalogue
            .areas
            .iter()
            .find(|a| early(a))
            .and_then(|a| a.rule.early)
            .map(|w| (w.from_days.min(w.to_days), w.from_days.max(w.to_days))),
        daily: names(&|a| a.rule.cadence == Cadence::Daily),
        yearly: names(&|a| a.rule.cadence == Cadence::Yearly),
        remarks: catalogue
            .areas
            .iter()
            .filter_map(|a| a.rule.remark.clone())
            .collect(),
        other_lag: lag_groups(catalogue, facts::flis_delay_months(&standard)),
        delay_months: facts::flis_delay_months(&standard),
    }
}

#[cfg(test)]
mod tests;
