//! The core: an understood question + the catalogue + "now" in, a reply value out. Pure.
//!
//! What the reply says first is decided here, from what the question asks (`Ask`): ja or nej
//! on the data being up to date or on the state, the drift note, the date (or that there is
//! none), the cadence, or what a named month means. A status older than the freshness limit is
//! said before anything else, with what the rules expect now.

use chrono::{DateTime, Days, NaiveDate, Utc};

use crate::core::calendar::{self, NextUpdate, Release};
use crate::core::catalogue::{Area, AreaId, Cadence, Catalogue, State};
use crate::core::danish_time::{danish_date, danish_today, danish_window, dap_when, release_when};
use crate::core::reply::{
    AreaView, AskedCase, AskedView, CadencesView, DapTodayView, EarlyGroup, ExceptionView,
    GeneralView, LatestView, Lead, NextView, Reply, ReplyKind, StaleView, Tally, UnderWayView,
    Verdict,
};
use crate::core::text::shorten;
use crate::core::understand::{
    default_parser, Ask, Intent, MonthRef, MonthRole, Parsed, SmallTalk,
};
use crate::core::year_month::{danish_month_name, YearMonth};

/// A status confirmed longer ago than this "kan være forældet", and is said so first.
pub const FRESHNESS_DAYS: i64 = 45;
/// More areas than this are listed one line each, details on request.
pub const COMPACT_ABOVE: usize = 3;
/// A drift note in a one-line listing is shortened to this.
const NOTE_LINE_CHARS: usize = 120;

/// Parses `question` with the default parser and answers it.
pub fn answer_question(question: &str, catalogue: &Catalogue, now: DateTime<Utc>) -> Reply {
    answer(&default_parser().parse(question), catalogue, now)
}

/// What the reply is, from the question's intent, what it asks and whether it names areas.
fn reply_kind(parsed: &Parsed, names_areas: bool) -> ReplyKind {
    match parsed.small_talk {
        Some(SmallTalk::Thanks) => return ReplyKind::Thanks,
        Some(SmallTalk::Greeting | SmallTalk::Empty) => return ReplyKind::Greeting,
        None if parsed.greeting_only => return ReplyKind::Greeting,
        None => {}
    }
    match parsed.intent {
        Intent::Help => ReplyKind::Help,
        Intent::Unknown => ReplyKind::Unknown,
        _ if parsed.ask == Ask::Problems => ReplyKind::Problems,
        Intent::Overview if matches!(parsed.ask, Ask::Down | Ask::Works | Ask::Why) => {
            ReplyKind::Problems
        }
        // "Hvornår / hvor ofte kommer der data?": the general release.
        Intent::Overview if matches!(parsed.ask, Ask::When | Ask::HowOften) => {
            ReplyKind::NextRelease
        }
        Intent::Overview => ReplyKind::Overview,
        Intent::Status | Intent::NextRelease if !names_areas => {
            if parsed.general {
                ReplyKind::NextRelease
            } else {
                ReplyKind::UnknownArea
            }
        }
        Intent::Status | Intent::NextRelease => match parsed.ask {
            Ask::When | Ask::HowOften => ReplyKind::NextRelease,
            Ask::Updated | Ask::Down | Ask::Works | Ask::Why => ReplyKind::Status,
            Ask::Plain | Ask::Problems if parsed.intent == Intent::Status => ReplyKind::Status,
            Ask::Plain | Ask::Problems => ReplyKind::NextRelease,
        },
    }
}

/// The areas the question is about: when it names groups, their members in the live catalogue
/// (after the areas it names itself); otherwise the areas as parsed.
fn members<'c>(parsed: &Parsed, catalogue: &'c Catalogue) -> Vec<&'c Area> {
    if parsed.groups.is_empty() {
        return parsed
            .areas
            .iter()
            .filter_map(|id| catalogue.area(*id))
            .collect();
    }
    let mut ids: Vec<AreaId> = Vec::new();
    for id in &parsed.named {
        if !ids.contains(id) {
            ids.push(*id);
        }
    }
    for a in &catalogue.areas {
        if parsed.groups.contains(&a.group) && !ids.contains(&a.id) {
            ids.push(a.id);
        }
    }
    ids.iter().filter_map(|id| catalogue.area(*id)).collect()
}

/// What every area's facts are computed against.
struct Ctx<'c> {
    catalogue: &'c Catalogue,
    today: NaiveDate,
    ask: Ask,
    asked: Option<(YearMonth, MonthRole)>,
    /// The general release due today (the 10th), and whether operators have recorded it.
    general_today: Option<(Release, bool)>,
    /// One-line listings that show notes need them shortened.
    short_notes: bool,
    /// The DAP cubes' window when they are due today or tomorrow (the 11th–12th).
    dap_today: Option<String>,
}

pub fn answer(parsed: &Parsed, catalogue: &Catalogue, now: DateTime<Utc>) -> Reply {
    let today = danish_today(now);
    let asked = parsed.month.map(|m| (resolve_month(m, today), m.role));
    let named = members(parsed, catalogue);
    let kind = reply_kind(parsed, !named.is_empty());
    let ctx = Ctx {
        catalogue,
        today,
        ask: parsed.ask,
        asked,
        general_today: calendar::release_under_way(&calendar::standard_rule(), today)
            .map(|r| (r, ordinary_areas_carry(catalogue, r.carries))),
        short_notes: kind == ReplyKind::Problems || parsed.ask == Ask::Why,
        dap_today: calendar::dap_due(today).and_then(|r| dap_when(&r)),
    };
    let scope: Vec<&Area> = match kind {
        ReplyKind::Overview => catalogue.areas.iter().collect(),
        ReplyKind::Problems if named.is_empty() => catalogue.areas.iter().collect(),
        ReplyKind::Status | ReplyKind::NextRelease | ReplyKind::Problems => named,
        _ => Vec::new(),
    };
    let scope_total = scope.len();
    let mut areas: Vec<AreaView> = scope.into_iter().map(|a| area_view(a, &ctx)).collect();
    match kind {
        ReplyKind::Overview => {
            // Lagging areas first, then the rest of the problems (down, then disturbed), then
            // the areas running to plan; catalogue order within each.
            areas.sort_by_key(|v| (v.behind_months.is_none(), state_rank(v.state)));
        }
        ReplyKind::Problems => {
            areas.retain(has_problem);
            // Down first, then disturbed, then areas only behind; catalogue order within each.
            areas.sort_by_key(|v| state_rank(v.state));
            for a in &mut areas {
                a.lead = None;
                a.verdict = None;
            }
        }
        _ => {}
    }
    let compact =
        matches!(kind, ReplyKind::Status | ReplyKind::NextRelease) && areas.len() > COMPACT_ABOVE;
    let general = (kind == ReplyKind::NextRelease && areas.is_empty()).then(|| general_view(&ctx));
    let stale = stale_view(kind, &areas, general.as_ref(), &ctx);
    let detail_example = (compact || matches!(kind, ReplyKind::Problems | ReplyKind::Overview))
        .then(|| {
            areas
                .iter()
                .find(|a| has_problem(a))
                .or(areas.first())
                .map(|a| a.name.clone())
        })
        .flatten();
    let tally = ((compact || kind == ReplyKind::Overview)
        && matches!(parsed.ask, Ask::Updated | Ask::Down | Ask::Works))
    .then(|| tally(&areas));
    let rest_ok = if kind == ReplyKind::Problems {
        scope_total - areas.len()
    } else {
        0
    };
    let name_of = |id| catalogue.area(id).map(|a| a.name.clone());
    Reply {
        kind,
        ask: parsed.ask,
        general,
        areas,
        asked_month: asked.map(|(m, _)| m.danish()),
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
        stale,
        compact,
        detail_example,
        tally,
        scope_total,
        rest_ok,
        omitted: 0,
    }
}

fn state_rank(state: State) -> u8 {
    match state {
        State::Down => 0,
        State::Disturbed => 1,
        State::Ok => 2,
    }
}

fn has_problem(a: &AreaView) -> bool {
    a.state != State::Ok || a.behind_months.is_some()
}

fn tally(areas: &[AreaView]) -> Tally {
    let count = |v: Verdict| areas.iter().filter(|a| a.verdict == Some(v)).count();
    Tally {
        yes: count(Verdict::Yes),
        no: count(Verdict::No),
        partly: count(Verdict::Partly),
        unknown: count(Verdict::Unknown),
        total: areas.len(),
    }
}

/// A month named without a year means what the user means: a release month ("i december",
/// "oktober-udgivelsen") is the coming one, this month included; a data month ("maj-data") is
/// the latest that can exist, not after this month.
pub fn resolve_month(m: MonthRef, today: NaiveDate) -> YearMonth {
    let this = YearMonth::of_date(today);
    let year = m.year.unwrap_or(match m.role {
        MonthRole::Data if m.month <= this.month() => this.year(),
        MonthRole::Data => this.year() - 1,
        MonthRole::Release if m.month >= this.month() => this.year(),
        MonthRole::Release => this.year() + 1,
    });
    YearMonth::new(year, m.month).unwrap_or(this)
}

/// The day an area's status was last confirmed ("pr."): its own date, which a status document
/// listing it or an operator's change sets. An area written before areas had their own date
/// reads as it did then: the later of its last change's day and the catalogue's as-of date.
pub fn status_date(area: &Area, catalogue: &Catalogue) -> NaiveDate {
    area.status_date.unwrap_or_else(|| {
        let changed = area.changed.as_ref().map(|c| danish_today(c.at));
        changed.map_or(catalogue.as_of, |d| d.max(catalogue.as_of))
    })
}

/// Gives every area without its own status date the one [`status_date`] reads for it now, so
/// a later change of the catalogue's as-of date does not move it. Returns the areas it set.
pub fn settle_status_dates(catalogue: &mut Catalogue) -> Vec<AreaId> {
    let dates: Vec<(AreaId, NaiveDate)> = catalogue
        .areas
        .iter()
        .filter(|a| a.status_date.is_none())
        .map(|a| (a.id, status_date(a, catalogue)))
        .collect();
    for (id, date) in &dates {
        if let Some(a) = catalogue.area_mut(*id) {
            a.status_date = Some(*date);
        }
    }
    dates.into_iter().map(|(id, _)| id).collect()
}

/// Months the recorded t.o.m. lags what the rules expected on the status date.
pub fn behind_months(area: &Area, catalogue: &Catalogue) -> Option<(i64, YearMonth)> {
    behind_on(area, status_date(area, catalogue))
}

fn behind_on(area: &Area, date: NaiveDate) -> Option<(i64, YearMonth)> {
    let through = area.through?;
    let expected = calendar::expected_through(&area.rule, date)?;
    let lag = expected.months_since(through);
    (lag > 0).then_some((lag, expected))
}

/// A live monthly area on the standard delay without an early window: what "the monthly
/// release" is made of.
fn is_ordinary(a: &Area) -> bool {
    let standard = calendar::standard_rule();
    a.rule.cadence == Cadence::Monthly
        && a.rule.lag == standard.lag
        && a.rule.early.is_none()
        && a.state != State::Down
}

/// Whether the recorded status carries data month `m` for the ordinary monthly areas: every
/// one of them that had the month before carries it now, and at least one does. Areas that
/// were already behind do not hold the release back.
fn ordinary_areas_carry(catalogue: &Catalogue, m: YearMonth) -> bool {
    let before = m.minus(1);
    let mut any = false;
    for t in catalogue
        .areas
        .iter()
        .filter(|a| is_ordinary(a))
        .filter_map(|a| a.through)
    {
        if t >= m {
            any = true;
        } else if t >= before {
            return false;
        }
    }
    any
}

fn day_before(d: NaiveDate) -> NaiveDate {
    d.checked_sub_days(Days::new(1)).unwrap_or(d)
}

/// The note only says the area runs to plan.
fn note_is_plain(note: &str) -> bool {
    let n = note.trim().trim_end_matches('.');
    n.is_empty() || n.eq_ignore_ascii_case("kører efter planen")
}

/// The note says the timing is unknown ("tidsplan for udgivelse er pt. ukendt").
fn note_says_no_date(note: &str) -> bool {
    // Most notes do not say "ukendt" at all: only those are folded (an allocation).
    if !["ukendt", "Ukendt", "UKENDT"]
        .iter()
        .any(|w| note.contains(w))
    {
        return false;
    }
    let n = note.to_lowercase();
    [
        "pt. ukendt",
        "p.t. ukendt",
        "endnu ukendt",
        "ukendt tidsplan",
    ]
    .iter()
    .any(|w| n.contains(w))
}

/// "2–3 uger" (whole weeks) or "14–21 dage".
fn early_span(rule: &crate::core::catalogue::ReleaseRule) -> Option<String> {
    let w = rule.early?;
    let (near, far) = (w.from_days.min(w.to_days), w.from_days.max(w.to_days));
    Some(if near % 7 == 0 && far % 7 == 0 {
        if near == far {
            format!("{} uger", near / 7)
        } else {
            format!("{}–{} uger", near / 7, far / 7)
        }
    } else {
        format!("{near}–{far} dage")
    })
}

/// "A", "A og B", "A, B og C".
fn danish_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} og {last}", rest.join(", ")),
    }
}

fn under_way_view(r: &Release, out: bool) -> UnderWayView {
    UnderWayView {
        when: if r.is_window() {
            release_when(r)
        } else {
            danish_date(r.last_day)
        },
        window: r.is_window(),
        release_month: danish_month_name(r.release_month.month()).to_owned(),
        carries: r.carries.danish(),
        out,
        dap: dap_when(r),
    }
}

fn next_view(area: &Area, after: Option<&Release>, today: NaiveDate) -> NextView {
    let monthly = |r: Release| NextView {
        cadence: "monthly",
        when: release_when(&r),
        window: r.is_window(),
        carries: Some(r.carries.danish()),
        dap: dap_when(&r),
        release_month: Some(danish_month_name(r.release_month.month()).to_owned()),
    };
    if let Some(r) = after {
        return monthly(calendar::monthly_release(
            &area.rule,
            r.release_month.plus(1),
        ));
    }
    match calendar::next_update(&area.rule, today) {
        NextUpdate::Monthly(r) => monthly(r),
        NextUpdate::Daily(d) => NextView {
            cadence: "daily",
            when: format!("natten til {}", danish_date(d)),
            window: false,
            carries: None,
            dap: None,
            release_month: None,
        },
        NextUpdate::Yearly => NextView {
            cadence: "yearly",
            when: String::new(),
            window: false,
            carries: None,
            dap: None,
            release_month: None,
        },
    }
}

fn area_view(area: &Area, ctx: &Ctx<'_>) -> AreaView {
    let today = ctx.today;
    let confirmed = status_date(area, ctx.catalogue);
    let stale = (today - confirmed).num_days() > FRESHNESS_DAYS;
    let live = area.state != State::Down;
    let carries = |m: YearMonth| area.through.is_some_and(|t| t >= m);
    // The release whose day today is: "ventes i dag" until recorded. On the 10th an ordinary
    // area waits for the whole release; once operators have recorded it, an area without it
    // is behind, not due.
    let under_way = calendar::release_under_way(&area.rule, today)
        .filter(|_| live)
        .and_then(|r| {
            let out = carries(r.carries);
            let released_without_it = area.rule.early.is_none()
                && ctx
                    .general_today
                    .is_some_and(|(g, recorded)| recorded && g.release_month == r.release_month);
            (out || !released_without_it).then_some((r, out))
        });
    let pending = under_way.filter(|(_, out)| !out).map(|(r, _)| r);
    // "Bagud" on the status date; a release due that very day and still pending does not count.
    let behind = match pending {
        Some(r) => behind_on(area, confirmed.min(day_before(r.first_day))),
        None => behind_on(area, confirmed),
    };
    let expected_now = calendar::expected_through(&area.rule, today);
    let expected_now_when = expected_now
        .filter(|_| ctx.ask == Ask::Updated)
        .and_then(|m| calendar::release_carrying(&area.rule, m))
        .map(|r| release_when(&r));
    let next = live.then(|| next_view(area, under_way.as_ref().map(|(r, _)| r), today));
    let dap_today = ctx
        .dap_today
        .clone()
        .filter(|_| live && area.rule.cadence == Cadence::Monthly && area.rule.early.is_none());
    let asked = ctx.asked.map(|(m, role)| asked_view(area, m, role, ctx));
    let note_plain = area.note.as_deref().is_none_or(note_is_plain);
    let (lead, verdict) = lead_for(area, ctx, stale, expected_now, pending, asked.as_ref());
    let shows_note = !note_plain
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
                .is_some_and(|x| matches!(x.case, AskedCase::Missing | AskedCase::NoDate)),
            _ => false,
        };
    let (state_label, icon) = match area.state {
        State::Ok => (State::Ok.danish(), "🟢"),
        State::Disturbed => (State::Disturbed.danish(), "🟡"),
        State::Down => (State::Down.danish(), "🔴"),
    };
    AreaView {
        id: area.id.as_str(),
        name: area.name.clone(),
        group: area.group.danish(),
        state: area.state,
        state_label,
        icon,
        frequency: area.frequency.clone(),
        source: area.source.clone(),
        note: area.note.clone(),
        note_short: area
            .note
            .as_deref()
            .filter(|_| ctx.short_notes)
            .map(|n| shorten(n, NOTE_LINE_CHARS)),
        note_is_plain: note_plain,
        note_unknown_date: area.note.as_deref().is_some_and(note_says_no_date),
        through: area.through.map(YearMonth::danish),
        status_date: danish_date(confirmed),
        changed_by: area.changed.as_ref().map(|c| c.by.public_name()),
        changed_at: area
            .changed
            .as_ref()
            .map(|c| danish_date(danish_today(c.at))),
        behind_months: behind.map(|(n, _)| n),
        expected_through: behind.map(|(_, m)| m.danish()),
        expected_now: expected_now.map(YearMonth::danish),
        expected_now_when,
        stale,
        cadence: area.rule.cadence.as_str(),
        lag: area.rule.lag,
        early: early_span(&area.rule),
        under_way: under_way.map(|(r, out)| under_way_view(&r, out)),
        dap_today,
        next,
        asked,
        remark: area.rule.remark.clone(),
        lead,
        verdict,
        note_in_lead: shows_note,
    }
}

/// What to say first about `area`, and its ja/nej.
fn lead_for(
    area: &Area,
    ctx: &Ctx<'_>,
    stale: bool,
    expected_now: Option<YearMonth>,
    pending: Option<Release>,
    asked: Option<&AskedView>,
) -> (Option<Lead>, Option<Verdict>) {
    let state_lead = || match area.state {
        State::Down => Lead::IsDown,
        State::Disturbed => Lead::IsDisturbed,
        State::Ok => Lead::IsOk,
    };
    match ctx.ask {
        Ask::Down | Ask::Problems => {
            let v = match area.state {
                State::Down => Verdict::Yes,
                State::Disturbed => Verdict::Partly,
                State::Ok => Verdict::No,
            };
            (Some(state_lead()), Some(v))
        }
        Ask::Works => {
            let v = match area.state {
                State::Down => Verdict::No,
                State::Disturbed => Verdict::Partly,
                State::Ok => Verdict::Yes,
            };
            (Some(state_lead()), Some(v))
        }
        Ask::Why => {
            let note = area.note.as_deref().is_some_and(|n| !note_is_plain(n));
            let behind = behind_months(area, ctx.catalogue).is_some();
            if note || behind || area.state != State::Ok {
                (Some(Lead::WhyNote), None)
            } else {
                (Some(Lead::NothingMissing), None)
            }
        }
        Ask::HowOften => (Some(Lead::Cadence), None),
        Ask::Updated => match asked {
            Some(x) => {
                let v = if x.case == AskedCase::Recorded {
                    Verdict::Yes
                } else {
                    Verdict::No
                };
                (Some(Lead::Month), Some(v))
            }
            None => {
                let (lead, v) = updated(area, stale, expected_now, pending);
                (Some(lead), Some(v))
            }
        },
        Ask::Plain | Ask::When => (asked.map(|_| Lead::Month), None),
    }
}

/// "Er X opdateret?": ja when the recorded t.o.m. is what the rules expect today and the area
/// is not down.
fn updated(
    area: &Area,
    stale: bool,
    expected_now: Option<YearMonth>,
    pending: Option<Release>,
) -> (Lead, Verdict) {
    if area.state == State::Down {
        return (Lead::IsDownNoData, Verdict::No);
    }
    match area.rule.cadence {
        Cadence::Daily => return (Lead::Daily, Verdict::Yes),
        Cadence::Yearly => return (Lead::Yearly, Verdict::Unknown),
        Cadence::Monthly => {}
    }
    let (Some(through), Some(expected)) = (area.through, expected_now) else {
        return (Lead::NotRecorded, Verdict::Unknown);
    };
    if through >= expected {
        (Lead::UpToDate, Verdict::Yes)
    } else if pending.is_some_and(|r| through >= r.carries.minus(1)) {
        (Lead::DueToday, Verdict::No)
    } else if stale {
        (Lead::OldStatus, Verdict::No)
    } else {
        (Lead::Behind, Verdict::No)
    }
}

/// What is known about month `m` for `area`: a data month, or the release month `m`.
fn asked_view(area: &Area, m: YearMonth, role: MonthRole, ctx: &Ctx<'_>) -> AskedView {
    let release = match role {
        MonthRole::Data => calendar::release_carrying(&area.rule, m),
        MonthRole::Release => (area.rule.cadence == Cadence::Monthly)
            .then(|| calendar::monthly_release(&area.rule, m)),
    };
    let data_month = match (role, release) {
        (MonthRole::Data, _) => Some(m),
        (MonthRole::Release, r) => r.map(|r| r.carries),
    };
    let recorded = data_month.is_some_and(|d| area.through.is_some_and(|t| t >= d));
    let today = ctx.today;
    let case = match release {
        _ if recorded => AskedCase::Recorded,
        None => AskedCase::NoDate,
        Some(_) if area.state == State::Down => AskedCase::NoDate,
        Some(r) if r.first_day <= today && today <= r.last_day => {
            let released_without_it = !r.is_window()
                && ctx
                    .general_today
                    .is_some_and(|(g, rec)| rec && g.release_month == r.release_month);
            if released_without_it {
                AskedCase::Missing
            } else {
                AskedCase::DueToday
            }
        }
        Some(r) if r.is_out(today) => AskedCase::Missing,
        Some(_) => AskedCase::Expected,
    };
    asked_fields(m, role, release, case, today, recorded)
}

fn asked_fields(
    m: YearMonth,
    role: MonthRole,
    release: Option<Release>,
    case: AskedCase,
    today: NaiveDate,
    recorded: bool,
) -> AskedView {
    AskedView {
        month: m.danish(),
        role: match role {
            MonthRole::Data => "data",
            MonthRole::Release => "release",
        },
        release_month: release
            .map(|r| danish_month_name(r.release_month.month()).to_owned())
            .unwrap_or_else(|| danish_month_name(m.month()).to_owned()),
        when: release.map(|r| release_when(&r)).unwrap_or_default(),
        window: release.is_some_and(|r| r.is_window()),
        carries: release.map(|r| r.carries.danish()).unwrap_or_default(),
        case,
        out_by_rules: release.is_some_and(|r| r.is_out(today)),
        recorded,
    }
}

/// The stale status line: when any area shown (or the catalogue, for replies about all or
/// the recorded release) was last confirmed more than 45 days ago.
fn stale_view(
    kind: ReplyKind,
    areas: &[AreaView],
    general: Option<&GeneralView>,
    ctx: &Ctx<'_>,
) -> Option<StaleView> {
    let catalogue = ctx.catalogue;
    let catalogue_stale = (ctx.today - catalogue.as_of).num_days() > FRESHNESS_DAYS;
    let standard_now =
        || calendar::expected_through(&calendar::standard_rule(), ctx.today).map(YearMonth::danish);
    match kind {
        ReplyKind::Status | ReplyKind::NextRelease if !areas.is_empty() => {
            let stale: Vec<&AreaView> = areas.iter().filter(|a| a.stale).collect();
            let oldest = catalogue
                .areas
                .iter()
                .filter(|a| stale.iter().any(|v| v.id == a.id.as_str()))
                .map(|a| status_date(a, catalogue))
                .min()?;
            let single = areas.len() == 1;
            Some(StaleView {
                from: danish_date(oldest),
                expected_now: if single {
                    areas[0].expected_now.clone()
                } else {
                    standard_now()
                },
                single,
            })
        }
        ReplyKind::Overview | ReplyKind::Problems => {
            let oldest = catalogue
                .areas
                .iter()
                .map(|a| status_date(a, catalogue))
                .min()?;
            ((ctx.today - oldest).num_days() > FRESHNESS_DAYS).then(|| StaleView {
                from: danish_date(oldest),
                expected_now: standard_now(),
                single: false,
            })
        }
        // A question about the general release hears about the recorded status only when it
        // asks whether the release is out or about a month.
        ReplyKind::NextRelease
            if catalogue_stale
                && general.is_some_and(|g| g.latest.is_some() || g.asked.is_some()) =>
        {
            Some(StaleView {
                from: danish_date(catalogue.as_of),
                expected_now: standard_now(),
                single: false,
            })
        }
        _ => None,
    }
}

fn general_view(ctx: &Ctx<'_>) -> GeneralView {
    let (catalogue, today) = (ctx.catalogue, ctx.today);
    let standard = calendar::standard_rule();
    let next = calendar::next_monthly(&standard, today);
    let live = || {
        catalogue
            .areas
            .iter()
            .filter(|a| a.rule.cadence == Cadence::Monthly && a.state != State::Down)
    };
    // Early windows: the one open today, else the next; grouped by the release they belong to.
    let mut early: Vec<EarlyGroup> = Vec::new();
    for a in live().filter(|a| a.rule.early.is_some()) {
        let open = calendar::release_under_way(&a.rule, today);
        let r = open.unwrap_or_else(|| calendar::next_monthly(&a.rule, today));
        let item = ExceptionView {
            name: a.name.clone(),
            when: release_when(&r),
            carries: r.carries.danish(),
            release_month: danish_month_name(r.release_month.month()).to_owned(),
            now: open.is_some(),
        };
        match early
            .iter_mut()
            .find(|g| g.release_month == item.release_month && g.now == item.now)
        {
            Some(g) => g.areas.push(item),
            None => early.push(EarlyGroup {
                release_month: item.release_month.clone(),
                now: item.now,
                weeks: early_span(&a.rule),
                areas: vec![item],
            }),
        }
    }
    let other_lag = live()
        .filter(|a| a.rule.early.is_none() && a.rule.lag != standard.lag)
        .map(|a| {
            let r = calendar::monthly_release(&a.rule, next.release_month);
            ExceptionView {
                name: a.name.clone(),
                when: release_when(&r),
                carries: r.carries.danish(),
                release_month: danish_month_name(r.release_month.month()).to_owned(),
                now: false,
            }
        })
        .collect();
    let asked = ctx.asked.map(|(m, role)| {
        let release = match role {
            MonthRole::Data => calendar::release_carrying(&standard, m),
            MonthRole::Release => Some(calendar::monthly_release(&standard, m)),
        };
        let data_month = release.map_or(m, |r| match role {
            MonthRole::Data => m,
            MonthRole::Release => r.carries,
        });
        let recorded = ordinary_areas_carry(catalogue, data_month);
        let case = match release {
            _ if recorded => AskedCase::Recorded,
            None => AskedCase::NoDate,
            Some(r) if r.last_day == today => AskedCase::DueToday,
            Some(r) if r.is_out(today) => AskedCase::Missing,
            Some(_) => AskedCase::Expected,
        };
        asked_fields(m, role, release, case, today, recorded)
    });
    let latest = (ctx.ask == Ask::Updated).then(|| {
        let r = calendar::latest_monthly(&standard, today);
        let recorded = ordinary_areas_carry(catalogue, r.carries);
        let lagging = if recorded {
            live()
                .filter(
                    |a| match (a.through, calendar::expected_through(&a.rule, today)) {
                        (Some(t), Some(e)) => t < e,
                        _ => false,
                    },
                )
                .map(|a| a.name.clone())
                .collect()
        } else {
            Vec::new()
        };
        LatestView {
            when: danish_date(r.last_day),
            carries: r.carries.danish(),
            today: r.last_day == today,
            recorded,
            lagging: danish_list(&lagging),
        }
    });
    let cadences = (ctx.ask == Ask::HowOften).then(|| cadences_view(catalogue));
    GeneralView {
        when: release_when(&next),
        carries: next.carries.danish(),
        dap: dap_when(&next).unwrap_or_default(),
        release_month: danish_month_name(next.release_month.month()).to_owned(),
        today: ctx
            .general_today
            .map(|(r, recorded)| under_way_view(&r, recorded)),
        dap_today: calendar::dap_due(today).map(|r| {
            let (first, last) = calendar::dap_window(&r);
            DapTodayView {
                released: danish_date(r.last_day),
                carries: r.carries.danish(),
                dap: danish_window(first, last),
            }
        }),
        early,
        other_lag,
        asked,
        latest,
        cadences,
    }
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
    let early_rule = catalogue
        .areas
        .iter()
        .find(|a| a.rule.cadence == Cadence::Monthly && a.rule.early.is_some())
        .map(|a| &a.rule);
    CadencesView {
        early: danish_list(&names(&|a| {
            a.rule.cadence == Cadence::Monthly && a.rule.early.is_some()
        })),
        early_weeks: early_rule.and_then(early_span),
        daily: danish_list(&names(&|a| a.rule.cadence == Cadence::Daily)),
        yearly: danish_list(&names(&|a| a.rule.cadence == Cadence::Yearly)),
        remarks: catalogue
            .areas
            .iter()
            .filter_map(|a| a.rule.remark.clone())
            .collect(),
        other_lag: danish_list(&names(&|a| {
            a.rule.cadence == Cadence::Monthly
                && a.rule.early.is_none()
                && a.rule.lag != standard.lag
        })),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::catalogue::{default_catalogue, AreaId, Author, ChangeStamp};
    use crate::core::render::{render, MAX_REPLY_CHARS};
    use crate::test_support::at;

    fn ask(q: &str, now: &str) -> String {
        render(&answer_question(q, default_catalogue(), at(now)))
    }

    const SEED_DAY: &str = "2025-09-10T10:00:00+02:00";

    #[test]
    fn every_seed_row_comes_back_with_its_month_and_note() {
        for area in &default_catalogue().areas {
            let text = ask(&format!("status {}", area.name), SEED_DAY);
            let through = area.through.map_or("ikke oplyst".into(), |m| m.danish());
            assert!(text.contains(&through), "{}: {text}", area.id);
            if let Some(note) = &area.note {
                assert!(
                    text.contains(note.as_str()),
                    "{}: note missing in {text}",
                    area.id
                );
            }
            assert!(
                text.contains("pr. 10. september 2025"),
                "{}: {text}",
                area.id
            );
        }
    }

    #[test]
    fn only_krl_is_behind_on_the_seed_day() {
        let c = default_catalogue();
        let behind: Vec<_> = c
            .areas
            .iter()
            .filter_map(|a| behind_months(a, c).map(|(n, m)| (a.id, n, m.to_string())))
            .collect();
        assert_eq!(behind, [(AreaId::Krl, 1, "2025-05".to_string())]);
        let text = ask("status KRL", SEED_DAY);
        assert!(
            text.contains("pr. 10. september 2025 var data 1 måned bagud"),
            "{text}"
        );
        assert!(text.contains("maj 2025"), "{text}");
    }

    #[test]
    fn an_area_without_a_month_is_not_behind_but_not_stated() {
        let text = ask("status DFDG", SEED_DAY);
        assert!(
            text.contains("ikke oplyst") && !text.contains("bagud"),
            "{text}"
        );
    }

    #[test]
    fn a_status_older_than_45_days_is_flagged_with_its_date() {
        let fresh = ask("status ky", "2025-10-24T12:00:00+02:00");
        assert!(!fresh.contains("forældet"), "{fresh}");
        let old = ask("status ky", "2025-10-26T12:00:00+01:00");
        assert!(
            old.contains("kan være forældet") && old.contains("10. september 2025"),
            "{old}"
        );
    }

    #[test]
    fn an_areas_own_status_date_is_the_one_said_and_its_author_is_shown() {
        let mut c = default_catalogue().clone();
        let krl = c.area_mut(AreaId::Krl).unwrap();
        krl.status_date = Some("2026-11-20".parse().unwrap());
        krl.changed = Some(ChangeStamp {
            by: Author::chat("Mette", 123456789012345678),
            at: at("2026-11-20T09:00:00Z"),
        });
        let text = render(&answer_question(
            "status krl",
            &c,
            at("2026-11-27T09:00:00Z"),
        ));
        assert!(
            text.contains("Opdateret 20. november 2026 af Mette"),
            "{text}"
        );
        assert!(!text.contains("123456789012345678"), "name only: {text}");
        assert!(!text.contains("forældet"), "{text}");
        // Confirmed on 20/11-26 with April 2025 recorded, KRL is far behind, said for that day.
        assert!(
            text.contains("pr. 20. november 2026 var data 15 måneder bagud"),
            "{text}"
        );
    }

    /// An import two days after the document: the status is the document's, not the day the
    /// operator ran it; an area the document did not list keeps its own date.
    #[test]
    fn an_imported_status_is_said_as_of_the_documents_date_not_the_import_day() {
        let mut c = default_catalogue().clone();
        c.as_of = "2025-11-10".parse().unwrap();
        let krl = c.area_mut(AreaId::Krl).unwrap();
        krl.through = Some(crate::test_support::ym("2025-06"));
        krl.status_date = Some("2025-11-10".parse().unwrap());
        krl.changed = Some(ChangeStamp {
            by: Author::named("Pia"),
            at: at("2025-12-20T09:00:00Z"),
        });
        let now = at("2025-12-22T09:00:00Z");
        let text = render(&answer_question("status krl", &c, now));
        assert!(
            text.contains("pr. 10. november 2025 var data 1 måned bagud"),
            "{text}"
        );
        assert!(
            text.contains("Status pr. 10. november 2025, opdateret 20. december 2025 af Pia"),
            "{text}"
        );
        assert!(!text.contains("pr. 20. december"), "{text}");
        let flex = render(&answer_question("status borger flex", &c, now));
        assert!(
            flex.contains("Status pr. 10. september 2025") && flex.contains("forældet"),
            "not listed, so as of its own date: {flex}"
        );
        // A store written before areas had their own date reads as it did.
        let mut old = c.clone();
        for a in &mut old.areas {
            a.status_date = None;
        }
        let krl = old.area(AreaId::Krl).unwrap();
        assert_eq!(status_date(krl, &old).to_string(), "2025-12-20");
        let ky = old.area(AreaId::Ky).unwrap();
        assert_eq!(status_date(ky, &old).to_string(), "2025-11-10");
        assert_eq!(settle_status_dates(&mut old).len(), 19);
        old.as_of = "2026-01-10".parse().unwrap();
        assert_eq!(
            status_date(old.area(AreaId::Ky).unwrap(), &old).to_string(),
            "2025-11-10",
            "settled: a later as-of date moves no area"
        );
    }

    #[test]
    fn when_questions_give_the_next_date_and_months() {
        let text = ask("hvornår kommer FSIII", "2026-11-27T12:00:00+01:00");
        assert!(
            text.contains("ca. 10. december 2026") && text.contains("data t.o.m. oktober 2026"),
            "{text}"
        );
        assert!(text.contains("11.–12. december 2026"), "DAP cubes: {text}");
        let dream = ask("hvornår kommer DREAM-data", SEED_DAY);
        assert!(
            dream.contains("ca. 19.–26. september 2025") && dream.contains("juni 2025"),
            "{dream}"
        );
    }

    #[test]
    fn the_copenhagen_date_decides_which_release_is_next() {
        // 23:30 UTC on 9 December is 00:30 on the 10th in Copenhagen: December's release is out.
        let text = ask("hvornår kommer KY", "2025-12-09T23:30:00Z");
        assert!(text.contains("ca. 10. januar 2026"), "{text}");
        let before = ask("hvornår kommer KY", "2025-12-09T22:30:00Z");
        assert!(before.contains("ca. 10. december 2025"), "{before}");
        // Summer time: 23:30 UTC on 9 September is 01:30 on the 10th.
        let summer = ask("hvornår kommer KY", "2025-09-09T23:30:00Z");
        assert!(summer.contains("ca. 10. oktober 2025"), "{summer}");
        let summer_before = ask("hvornår kommer KY", "2025-09-09T21:30:00Z");
        assert!(
            summer_before.contains("ca. 10. september 2025"),
            "{summer_before}"
        );
    }

    #[test]
    fn down_areas_promise_no_date() {
        for q in ["hvornår kommer DFDG", "hvornår kommer ældredata"] {
            let text = ask(q, SEED_DAY);
            assert!(text.contains("nede") && !text.contains("ventes"), "{text}");
        }
    }

    #[test]
    fn stil_and_the_ukraine_cube_follow_their_own_cadence() {
        let stil = ask("hvornår kommer STIL-data", SEED_DAY);
        assert!(stil.contains("STIL-data opdateres årligt"), "{stil}");
        let ukraine = ask(
            "hvor ofte opdateres Ukraine-kuben",
            "2025-12-31T12:00:00+01:00",
        );
        assert!(
            ukraine.contains("dagligt") && ukraine.contains("natten til 1. januar 2026"),
            "{ukraine}"
        );
    }

    #[test]
    fn a_named_month_is_answered_with_the_release_that_carries_it() {
        let future = ask("hvornår kommer august-tallene for YR?", SEED_DAY);
        assert!(
            future.contains("Data for august 2025 ventes med udgivelsen ca. 10. oktober 2025"),
            "{future}"
        );
        let recorded = ask("hvornår kommer juni-data for YR?", SEED_DAY);
        assert!(
            recorded.contains("Data for juni 2025 er allerede med"),
            "{recorded}"
        );
        let missing = ask(
            "vi kan ikke se maj-data for KRL. Hvornår kommer de?",
            SEED_DAY,
        );
        assert!(
            missing.contains("skulle efter reglerne være kommet ca. 10. september 2025"),
            "{missing}"
        );
    }

    #[test]
    fn a_month_asked_without_an_area_gets_the_standard_release_that_carries_it() {
        let text = ask("hvornår kommer tallene for 2025-08?", SEED_DAY);
        assert!(
            text.contains("Data for august 2025 ventes med udgivelsen ca. 10. oktober 2025"),
            "{text}"
        );
        // June is recorded for the ordinary areas: it came with the August release.
        let past = ask("hvornår kommer juni-tallene?", SEED_DAY);
        assert!(
            past.contains(
                "Data for juni 2025 er allerede med – de kom med udgivelsen ca. 10. august 2025"
            ),
            "{past}"
        );
    }

    #[test]
    fn the_general_release_names_dap_cubes_and_the_exceptions() {
        let text = ask("hvornår kommer datapakker", "2025-09-09T12:00:00+02:00");
        assert!(
            text.contains("ca. 10. september 2025 med data t.o.m. juli 2025"),
            "{text}"
        );
        assert!(
            text.contains("DAP-kuberne følger 11.–12. september 2025"),
            "{text}"
        );
        assert!(
            text.contains("DREAM") && text.contains("KRL Personale"),
            "{text}"
        );
        assert!(
            !text.contains("DFDG"),
            "down areas are not promised: {text}"
        );
    }

    #[test]
    fn the_overview_lists_every_area_problems_first() {
        let reply = answer_question("oversigt", default_catalogue(), at(SEED_DAY));
        assert_eq!(reply.areas.len(), 19);
        let states: Vec<State> = reply.areas.iter().map(|a| a.state).collect();
        let first_ok = states.iter().position(|s| *s == State::Ok).unwrap();
        assert!(states[..first_ok].iter().all(|s| *s != State::Ok));
        assert!(states[first_ok..].iter().all(|s| *s == State::Ok));
        let text = render(&reply);
        assert!(text.chars().count() <= MAX_REPLY_CHARS);
        for a in &default_catalogue().areas {
            assert!(text.contains(&a.name), "{} missing", a.name);
        }
    }

    #[test]
    fn the_overview_puts_lagging_areas_before_other_problems() {
        let mut c = default_catalogue().clone();
        c.area_mut(AreaId::Yr).unwrap().through = "2025-05".parse().ok();
        let reply = answer_question("oversigt", &c, at(SEED_DAY));
        let first: Vec<&str> = reply.areas.iter().take(3).map(|a| a.id).collect();
        assert_eq!(
            first,
            ["krl", "yr", "aeldre"],
            "lagging (KRL, YR) before down (Ældre)"
        );
    }

    #[test]
    fn help_unknown_and_unknown_area_replies() {
        assert!(ask("hjælp", SEED_DAY).contains("«status FSIII»"));
        assert!(ask("hvad er klokken", SEED_DAY).contains("desværre ikke"));
        let fsi = ask("status fsi", SEED_DAY);
        assert!(
            fsi.contains("«fsi»") && fsi.contains("Mente du **FSIII**?"),
            "{fsi}"
        );
        let xyz = ask("status qwxvk", SEED_DAY);
        assert!(xyz.contains("Jeg kender: Borger"), "{xyz}");
    }

    #[test]
    fn replies_are_deterministic() {
        for q in [
            "oversigt",
            "hvornår kommer DREAM-data",
            "status social og sundhed",
        ] {
            assert_eq!(ask(q, SEED_DAY), ask(q, SEED_DAY));
        }
    }

    #[test]
    fn long_notes_are_shortened_to_fit_discord() {
        let mut c = default_catalogue().clone();
        for a in &mut c.areas {
            a.note = Some(format!(
                "{} @everyone",
                "Meget lang driftsbemærkning. ".repeat(60)
            ));
        }
        for q in [
            "status tværgående",
            "status beskæftigelse",
            "oversigt",
            "hvornår kommer tværgående",
        ] {
            let text = render(&answer_question(q, &c, at(SEED_DAY)));
            assert!(
                text.chars().count() <= MAX_REPLY_CHARS,
                "{q}: {}",
                text.chars().count()
            );
            assert!(
                text.contains("pr. 10. september 2025"),
                "{q}: the as-of date survives: {text}"
            );
        }
    }

    #[test]
    fn hostile_questions_get_a_bounded_reply() {
        let big = format!("{} status dream", "\u{202e}@everyone <@&1> ".repeat(5000));
        let text = ask(&big, SEED_DAY);
        assert!(text.contains("DREAM") && text.chars().count() <= MAX_REPLY_CHARS);
        let word = ask(&"ø".repeat(100_000), SEED_DAY);
        assert!(word.chars().count() <= MAX_REPLY_CHARS);
    }

    // ------------------------------------------------------------------ issue 11: the answer
    // side. The parser does not yet set `ask`, `small_talk` or a month's role; these tests
    // parse the question and set them by hand, so they hold whatever the parser does.

    use crate::core::catalogue::Group;
    use crate::core::chat_layout::layout;
    use crate::core::understand::{Ask, MonthRole, SmallTalk};
    use crate::test_support::ym;

    /// `q` as parsed, asking `ask`.
    fn asking(q: &str, ask: Ask) -> Parsed {
        let mut p = default_parser().parse(q);
        p.ask = ask;
        p
    }

    fn say(p: &Parsed, c: &Catalogue, now: &str) -> String {
        render(&answer(p, c, at(now)))
    }

    fn first_line(text: &str) -> &str {
        text.lines().next().unwrap_or_default()
    }

    /// The default catalogue as it would be before operators marked the release of `month`:
    /// every ordinary area (and KRL) one month short of what that release carries.
    fn before_release(month: &str) -> Catalogue {
        let mut c = default_catalogue().clone();
        let carries = ym(month).minus(2);
        for a in &mut c.areas {
            if a.through.is_some() && a.rule.early.is_none() && a.rule.lag == 2 {
                a.through = Some(carries.minus(1));
            }
        }
        c
    }

    /// The default catalogue after operators marked the release of `month` (as
    /// `flisbot admin release` does): every live monthly area gets t.o.m. = month − its lag.
    fn after_release(month: &str) -> Catalogue {
        let mut c = default_catalogue().clone();
        for a in &mut c.areas {
            if a.rule.cadence == Cadence::Monthly && a.state != State::Down {
                a.through = Some(ym(month).minus(i64::from(a.rule.lag)));
            }
        }
        c.as_of = format!("{month}-10").parse().unwrap();
        for a in &mut c.areas {
            a.status_date = Some(c.as_of);
        }
        c
    }

    const OCT_9: &str = "2025-10-09T10:00:00+02:00";
    const OCT_10: &str = "2025-10-10T09:00:00+02:00";
    const OCT_11: &str = "2025-10-11T09:00:00+02:00";
    const OCT_12: &str = "2025-10-12T09:00:00+02:00";
    /// Fourteen months after the seed's status.
    const NOV_2026: &str = "2026-11-20T10:00:00+01:00";

    #[test]
    fn small_talk_gets_one_short_line_and_only_a_help_question_the_full_help() {
        let c = default_catalogue();
        // (text, small talk, kind, said, not said)
        let cases = [
            (
                "tak",
                Some(SmallTalk::Thanks),
                ReplyKind::Thanks,
                "Selv tak!",
                "Jeg kender",
            ),
            (
                "tusind tak for hjælpen",
                Some(SmallTalk::Thanks),
                ReplyKind::Thanks,
                "Selv tak!",
                "Jeg kender",
            ),
            (
                "hej",
                Some(SmallTalk::Greeting),
                ReplyKind::Greeting,
                "/hjaelp",
                "Jeg kender",
            ),
            (
                "",
                Some(SmallTalk::Empty),
                ReplyKind::Greeting,
                "/hjaelp",
                "Jeg kender",
            ),
            (
                "🎉",
                Some(SmallTalk::Empty),
                ReplyKind::Greeting,
                "Spørg fx",
                "Jeg kender",
            ),
            // Before the parser marks small talk, its bare-greeting flag gives the same line.
            (
                "godmorgen",
                None,
                ReplyKind::Greeting,
                "/hjaelp",
                "Jeg kender",
            ),
            (
                "hjælp",
                None,
                ReplyKind::Help,
                "Jeg kender:",
                "/hjaelp for alt",
            ),
            (
                "hvad kan du?",
                None,
                ReplyKind::Help,
                "«status FSIII»",
                "/hjaelp for alt",
            ),
        ];
        for (text, small_talk, kind, said, not_said) in cases {
            let mut p = default_parser().parse(text);
            p.small_talk = small_talk;
            let reply = answer(&p, c, at(SEED_DAY));
            assert_eq!(reply.kind, kind, "{text:?}");
            let out = render(&reply);
            assert!(
                out.contains(said) && !out.contains(not_said),
                "{text:?}: {out}"
            );
            if kind != ReplyKind::Help {
                assert_eq!(out.lines().count(), 1, "one line: {out}");
            }
        }
    }

    #[test]
    fn er_x_opdateret_is_answered_ja_or_nej_first() {
        let seed = default_catalogue().clone();
        let marked = after_release("2025-10");
        let unmarked = before_release("2025-10");
        let _ = &unmarked;
        // (question, catalogue, now, first line begins, first line says)
        let cases: [(&str, &Catalogue, &str, &str, &str); 14] = [
            (
                "er KY opdateret?",
                &seed,
                SEED_DAY,
                "**Ja**",
                "data t.o.m. juli 2025, som reglerne venter nu",
            ),
            (
                "er FSIII opdateret?",
                &seed,
                SEED_DAY,
                "**Ja**",
                "men med driftsforstyrrelse",
            ),
            (
                "er KRL opdateret?",
                &seed,
                SEED_DAY,
                "**Nej**",
                "burde data t.o.m. maj 2025 være ude (ca. 10. september 2025)",
            ),
            (
                "er KRL opdateret?",
                &seed,
                SEED_DAY,
                "**Nej**",
                "snarest muligt",
            ),
            (
                "er DFDG opdateret?",
                &seed,
                SEED_DAY,
                "**Nej**",
                "DFDG er nede",
            ),
            (
                "er ældredata opdateret?",
                &seed,
                SEED_DAY,
                "**Nej**",
                "Ældre er nede",
            ),
            (
                "er Ukraine-kuben opdateret?",
                &seed,
                SEED_DAY,
                "**Ja**",
                "dagligt",
            ),
            (
                "er Borger Flex opdateret?",
                &seed,
                SEED_DAY,
                "**Det ved jeg ikke**",
                "ikke oplyst",
            ),
            // The day before the release the rules still expect July.
            ("er KY opdateret?", &seed, OCT_9, "**Ja**", "juli 2025"),
            // On the 10th, before operators mark it: due today, not behind.
            (
                "er KY opdateret?",
                &seed,
                OCT_10,
                "**Nej, ikke endnu**",
                "data t.o.m. august 2025 for KY ventes i dag (10. oktober 2025)",
            ),
            ("er KY opdateret?", &marked, OCT_10, "**Ja**", "august 2025"),
            // The day after, still not recorded: behind, with when it was due.
            (
                "er KY opdateret?",
                &seed,
                OCT_11,
                "**Nej**",
                "burde data t.o.m. august 2025 være ude (ca. 10. oktober 2025)",
            ),
            // DREAM inside its early window: the rules count it out on the window's last day.
            (
                "er DREAM opdateret?",
                &seed,
                "2025-09-22T10:00:00+02:00",
                "**Ja**",
                "maj 2025",
            ),
            (
                "er DREAM opdateret?",
                &seed,
                "2025-09-26T10:00:00+02:00",
                "**Nej, ikke endnu**",
                "tidlig udlæsning til oktober-udgivelsen er i gang",
            ),
        ];
        for (q, c, now, begins, says) in cases {
            let text = say(&asking(q, Ask::Updated), c, now);
            let line = first_line(&text);
            assert!(
                line.starts_with(begins) && line.contains(says),
                "{q} at {now}:\n{text}"
            );
        }
    }

    #[test]
    fn an_old_status_is_said_first_with_what_the_rules_expect_now() {
        let c = default_catalogue();
        // (question, what it asks, the line after the stale line begins)
        let cases = [
            ("status KY", Ask::Plain, "🟢 **KY**"),
            (
                "er KY opdateret?",
                Ask::Updated,
                "**Nej**, ikke efter den registrerede status: den er fra 10. september 2025",
            ),
            (
                "er DFDG nede?",
                Ask::Down,
                "**Ja** – DFDG var nede pr. 10. september 2025",
            ),
            (
                "virker FSIII?",
                Ask::Works,
                "**Delvist** – FSIII kørte pr. 10. september 2025",
            ),
            (
                "hvornår kommer KY?",
                Ask::When,
                "🟢 **KY**: Næste udgivelse ventes **ca. 10. december 2026**",
            ),
        ];
        for (q, ask, second) in cases {
            let text = say(&asking(q, ask), c, NOV_2026);
            let mut lines = text.lines().filter(|l| !l.is_empty());
            let stale = lines.next().unwrap();
            assert!(
                stale.starts_with("⚠️ **Statussen er fra 10. september 2025**")
                    && stale
                        .contains("efter reglerne burde data t.o.m. september 2026 være ude nu"),
                "{q}: {text}"
            );
            assert!(lines.next().unwrap().starts_with(second), "{q}: {text}");
        }
        // KRL's lag is stated for the day the status is from, never as today's.
        let krl = ask("status KRL", NOV_2026);
        assert!(
            krl.contains("pr. 10. september 2025 var data 1 måned bagud"),
            "{krl}"
        );
        assert!(
            krl.contains("efter reglerne burde data t.o.m. juli 2026 være ude nu"),
            "{krl}"
        );
        assert!(!krl.contains("bagud med"), "{krl}");
        // Several areas: the standard release's expectation.
        let group = ask("oversigt", NOV_2026);
        assert!(
            first_line(&group).contains(
                "data t.o.m. september 2026 være ude nu for de almindelige månedlige områder"
            ),
            "{group}"
        );
        // A fresh status says nothing of the kind; 45 days is the limit.
        for (now, stale) in [
            ("2025-10-25T12:00:00+02:00", false),
            ("2025-10-26T12:00:00+01:00", true),
        ] {
            let text = ask("status ky", now);
            assert_eq!(text.starts_with("⚠️"), stale, "{now}: {text}");
        }
        // In chat the warning is the message's text, above the embed.
        let m = layout(&answer_question("status KY", c, at(NOV_2026)));
        assert!(
            m.content
                .starts_with("⚠️ **Statussen er fra 10. september 2025**"),
            "{}",
            m.content
        );
        assert_eq!(m.embeds.len(), 1);
    }

    #[test]
    fn down_and_works_questions_get_the_state_first_then_the_note_once() {
        let c = default_catalogue();
        // (question, ask, first line begins, note words in the first line)
        let cases = [
            (
                "er DFDG nede?",
                Ask::Down,
                "**Ja** – DFDG er nede",
                "lukket for adgang",
            ),
            (
                "er FSIII nede?",
                Ask::Down,
                "**Delvist** – FSIII er ikke nede, men har driftsforstyrrelse",
                "TRIFORK",
            ),
            ("er KY nede?", Ask::Down, "**Nej** – KY er ikke nede", ""),
            (
                "er der problemer med KRL?",
                Ask::Down,
                "**Delvist**",
                "snarest muligt",
            ),
            (
                "virker KY?",
                Ask::Works,
                "**Ja** – KY kører efter planen",
                "",
            ),
            (
                "virker ældredata?",
                Ask::Works,
                "**Nej** – Ældre er nede",
                "OLAP-kuben",
            ),
            (
                "virker VH?",
                Ask::Works,
                "**Delvist** – VH kører, men med driftsforstyrrelse",
                "benchmarkdata",
            ),
        ];
        for (q, ask, begins, note) in cases {
            let text = say(&asking(q, ask), c, SEED_DAY);
            let line = first_line(&text);
            assert!(
                line.starts_with(begins) && line.contains(note),
                "{q}: {text}"
            );
            if !note.is_empty() {
                assert_eq!(text.matches(note).count(), 1, "the note once: {text}");
            }
        }
        // In chat: the answer above the embed, and the embed does not repeat the note.
        let m = layout(&answer(
            &asking("virker FSIII?", Ask::Works),
            c,
            at(SEED_DAY),
        ));
        assert!(m.content.starts_with("**Delvist**") && m.content.contains("TRIFORK"));
        assert!(
            !m.embeds[0].description.contains("TRIFORK"),
            "{:?}",
            m.embeds[0]
        );
    }

    #[test]
    fn why_questions_get_the_drift_note_first() {
        let c = default_catalogue();
        let cases = [
            (
                "hvorfor mangler KRL-data?",
                "**KRL Personale**: Grundet et større implementeringsarbejde",
            ),
            (
                "hvorfor mangler der FSIII-data?",
                "**FSIII**: Da TRIFORK ændrer snitflader",
            ),
            (
                "hvorfor mangler skoledata?",
                "**Skole**: Der er endnu ikke data fra fagløsningen Min Uddannelse",
            ),
            (
                "hvorfor mangler KY-data?",
                "Der mangler ikke noget efter reglerne: KY har data t.o.m. juli 2025",
            ),
        ];
        for (q, begins) in cases {
            let text = say(&asking(q, Ask::Why), c, SEED_DAY);
            assert!(text.starts_with(begins), "{q}: {text}");
        }
        let krl = say(&asking("hvorfor mangler KRL-data?", Ask::Why), c, SEED_DAY);
        assert!(
            first_line(&krl).contains("Pr. 10. september 2025 var data 1 måned bagud"),
            "{krl}"
        );
    }

    #[test]
    fn when_questions_give_the_date_first_and_know_the_release_days() {
        let seed = default_catalogue().clone();
        let marked = after_release("2025-10");
        let dec = after_release("2025-12");
        // (question, catalogue, now, first line says, not said anywhere)
        let cases: [(&str, &Catalogue, &str, &str, &str); 12] = [
            ("hvornår kommer KY?", &seed, OCT_9, "🟢 **KY**: Næste udgivelse ventes **ca. 10. oktober 2025** med data t.o.m. august 2025", "i dag"),
            // On the 10th: today's release, not next month's.
            ("hvornår kommer KY?", &seed, OCT_10, "Månedens udgivelse ventes **i dag** (10. oktober 2025) med data t.o.m. august 2025", "er ude i dag"),
            ("hvornår kommer KY?", &marked, OCT_10, "Månedens udgivelse er ude i dag (10. oktober 2025) med data t.o.m. august 2025", "ventes **i dag**"),
            // On the 11th and 12th: the DAP cubes today or tomorrow, not next month.
            ("hvornår kommer KY?", &marked, OCT_11, "DAP-kuberne fra månedens udgivelse ventes **i dag eller i morgen** (11.–12. oktober 2025)", "følger næste måned"),
            ("hvornår kommer KY?", &marked, OCT_12, "ventes **i dag eller i morgen**", "ventes **i dag** (10."),
            // An early window is named with the release it belongs to.
            ("hvornår kommer DREAM-data?", &dec, "2025-12-15T10:00:00+01:00", "Næste tidlige udlæsning til januar-udgivelsen ventes **ca. 20.–27. december 2025**", "i gang"),
            ("hvornår kommer DREAM-data?", &dec, "2025-12-22T10:00:00+01:00", "Tidlig udlæsning til januar-udgivelsen er **i gang nu** (ca. 20.–27. december 2025)", "ventes **ca. 20.–27. december"),
            // No date where the rules give none: said first, no standard date.
            ("hvornår kommer DFDG?", &seed, SEED_DAY, "🔴 **DFDG**: Ingen forventet udgivelse – området er nede", "ventes"),
            ("hvornår kommer skoledata?", &seed, OCT_9, "🟡 **Skole**: Ingen fast dato for en del af data: Der er endnu ikke data fra fagløsningen Min Uddannelse", "Drift:"),
            ("hvornår kommer Ukraine-kuben?", &seed, SEED_DAY, "Opdateres dagligt; næste opdatering natten til 11. september 2025", "ca. 10."),
            ("hvornår kommer KRL?", &seed, SEED_DAY, "🟡 **KRL Personale**: Næste udgivelse ventes **ca. 10. oktober 2025**", "ventes **i dag**"),
            ("hvornår kommer KRL?", &seed, OCT_9, "ca. 10. oktober 2025", "i dag"),
        ];
        for (q, c, now, says, not_said) in cases {
            for ask in [Ask::Plain, Ask::When] {
                let text = say(&asking(q, ask), c, now);
                assert!(first_line(&text).contains(says), "{q} at {now}:\n{text}");
                assert!(
                    !text.contains(not_said),
                    "{q} at {now} says {not_said:?}:\n{text}"
                );
            }
        }
        // A yearly area: no date, said first.
        let mut yearly = default_catalogue().clone();
        yearly.area_mut(AreaId::Aula).unwrap().rule.cadence = Cadence::Yearly;
        let text = say(
            &asking("hvornår kommer aula-data?", Ask::When),
            &yearly,
            SEED_DAY,
        );
        assert!(
            first_line(&text).contains("Ingen dato – opdateres årligt"),
            "{text}"
        );
    }

    #[test]
    fn the_general_release_is_named_for_the_day_it_is_asked() {
        let seed = default_catalogue().clone();
        let unmarked = before_release("2025-10");
        // (now, catalogue, first line begins, also said)
        let cases: [(&str, &Catalogue, &str, &str); 6] = [
            (OCT_9, &seed, "**Månedens udgivelse**: datapakkerne ventes ca. 10. oktober 2025 med data t.o.m. august 2025", "DAP-kuberne følger 11.–12. oktober 2025"),
            (OCT_10, &unmarked, "**Månedens udgivelse ventes i dag** (10. oktober 2025) med data t.o.m. august 2025", "Næste udgivelse: ca. 10. november 2025"),
            (OCT_10, &after_release("2025-10"), "**Månedens udgivelse er ude i dag** (10. oktober 2025)", "DAP-kuberne følger 11.–12. oktober 2025"),
            (OCT_11, &seed, "**DAP-kuberne ventes i dag eller i morgen** (11.–12. oktober 2025)", "datapakkerne ventes ca. 10. november 2025"),
            (OCT_12, &seed, "**DAP-kuberne ventes i dag eller i morgen**", "kom 10. oktober 2025"),
            ("2025-12-15T10:00:00+01:00", &seed, "**Månedens udgivelse**", "Tidlig udlæsning til januar-udgivelsen, 2–3 uger før: Borger Flex ca. 20.–27. december 2025"),
        ];
        for (now, c, begins, also) in cases {
            let text = say(&asking("hvornår kommer datapakkerne?", Ask::When), c, now);
            assert!(
                text.starts_with(begins) && text.contains(also),
                "{now}:\n{text}"
            );
        }
        let open = say(
            &asking("hvornår kommer datapakkerne?", Ask::When),
            &seed,
            "2025-12-21T10:00:00+01:00",
        );
        assert!(
            open.contains("Tidlig udlæsning til januar-udgivelsen (i gang nu)"),
            "{open}"
        );
    }

    #[test]
    fn is_the_release_out_is_answered_ja_or_nej_first() {
        let seed = default_catalogue().clone();
        let cases: [(&str, &Catalogue, &str); 4] = [
            (SEED_DAY, &seed, "**Ja** – månedens udgivelse 10. september 2025 er ude med data t.o.m. juli 2025; bagud: KRL Personale"),
            (OCT_10, &seed, "**Nej, ikke endnu** – månedens udgivelse ventes i dag (10. oktober 2025)"),
            (OCT_10, &after_release("2025-10"), "**Ja** – månedens udgivelse 10. oktober 2025 er ude"),
            (OCT_11, &seed, "**Nej** – udgivelsen 10. oktober 2025 med data t.o.m. august 2025 er ikke registreret som ude"),
        ];
        for (now, c, begins) in cases {
            let text = say(&asking("er datapakkerne ude?", Ask::Updated), c, now);
            assert!(text.starts_with(begins), "{now}:\n{text}");
        }
    }

    #[test]
    fn how_often_questions_get_the_cadence() {
        let c = default_catalogue();
        let cases = [
            (
                "hvor ofte opdateres KY?",
                "KY opdateres **månedligt** med månedens udgivelse omkring d. 10.",
            ),
            (
                "hvor ofte kommer DREAM-data?",
                "DREAM opdateres **månedligt, 2–3 uger før** de øvrige dataområder",
            ),
            (
                "hvor tit opdateres Borger Flex?",
                "Borger Flex opdateres **månedligt, 2–3 uger før**",
            ),
            (
                "hvor ofte opdateres Ukraine-kuben?",
                "Ukraine-kuben opdateres **dagligt**",
            ),
        ];
        for (q, begins) in cases {
            let text = say(&asking(q, Ask::HowOften), c, SEED_DAY);
            assert!(text.starts_with(begins), "{q}: {text}");
        }
        let skole = say(
            &asking("hvor ofte opdateres skoledata?", Ask::HowOften),
            c,
            SEED_DAY,
        );
        assert!(skole.contains("STIL-data opdateres årligt"), "{skole}");
        assert_eq!(skole.matches("STIL-data").count(), 1, "{skole}");
        let general = say(
            &asking("hvor ofte kommer der nye datapakker?", Ask::HowOften),
            c,
            SEED_DAY,
        );
        for part in [
            "FLIS udgives **månedligt omkring d. 10.**",
            "Borger Flex og DREAM udlæses 2–3 uger før",
            "STIL-data opdateres årligt",
            "Ukraine-kuben opdateres dagligt",
        ] {
            assert!(general.contains(part), "{part}: {general}");
        }
        assert!(general.starts_with("FLIS udgives"), "{general}");
        // Asked about everything ("hvor ofte kommer der nye data?"): the same.
        let mut everything = asking("hvor ofte kommer der nye data?", Ask::HowOften);
        everything.intent = Intent::Overview;
        let text = say(&everything, c, SEED_DAY);
        assert!(text.starts_with("FLIS udgives"), "{text}");
    }

    #[test]
    fn a_month_without_a_year_means_what_the_user_means() {
        let m = |month, role| MonthRef {
            month,
            year: None,
            role,
        };
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        // (month, role, today, resolved)
        let cases = [
            (12, MonthRole::Release, "2025-11-15", "2025-12"),
            (1, MonthRole::Release, "2025-11-15", "2026-01"),
            (11, MonthRole::Release, "2025-11-15", "2025-11"),
            (10, MonthRole::Release, "2025-11-15", "2026-10"),
            (12, MonthRole::Data, "2025-11-15", "2024-12"),
            (5, MonthRole::Data, "2025-11-15", "2025-05"),
            (11, MonthRole::Data, "2025-11-15", "2025-11"),
            (1, MonthRole::Data, "2026-01-03", "2026-01"),
            (12, MonthRole::Data, "2026-01-03", "2025-12"),
        ];
        for (month, role, today, want) in cases {
            assert_eq!(
                resolve_month(m(month, role), d(today)),
                ym(want),
                "{month} {role:?} {today}"
            );
        }
        let with_year = MonthRef {
            month: 12,
            year: Some(2024),
            role: MonthRole::Release,
        };
        assert_eq!(resolve_month(with_year, d("2025-11-15")), ym("2024-12"));
    }

    /// `q` asking `ask`, its month taken as `role`.
    fn month_question(q: &str, ask: Ask, role: MonthRole) -> Parsed {
        let mut p = asking(q, ask);
        let month = p.month.as_mut().expect("the question names a month");
        month.role = role;
        p
    }

    #[test]
    fn a_named_month_is_answered_for_what_it_names() {
        let seed = default_catalogue().clone();
        let unmarked = before_release("2025-09");
        // In November, a status confirmed with the November release.
        let nov = after_release("2025-11");
        use MonthRole::{Data, Release};
        // (question, ask, role, catalogue, now, first line says, not said in the first line)
        let cases: [(&str, Ask, MonthRole, &Catalogue, &str, &str, &str); 11] = [
            // A release month in a forward question is the coming one.
            ("hvornår kommer aula-tallene i december?", Ask::When, Release, &nov, "2025-11-15T10:00:00+01:00",
             "Aula: December-udgivelsen ventes **ca. 10. december 2025** med data t.o.m. oktober 2025", "2024"),
            ("hvad kommer der for KY i januar?", Ask::When, Release, &nov, "2025-11-15T10:00:00+01:00",
             "KY: Januar-udgivelsen ventes **ca. 10. januar 2026** med data t.o.m. november 2025", "2025 med"),
            ("hvornår kommer DREAM i januar?", Ask::When, Release, &nov, "2025-11-15T10:00:00+01:00",
             "DREAM: Tidlig udlæsning til januar-udgivelsen ventes **ca. 20.–27. december 2025** med data t.o.m. september 2025", ""),
            ("hvad kom der med KY i september?", Ask::Plain, Release, &seed, "2025-09-20T10:00:00+02:00",
             "KY: September-udgivelsen kom ca. 10. september 2025 med data t.o.m. juli 2025", "ventes"),
            ("kommer KY i september?", Ask::When, Release, &unmarked, SEED_DAY,
             "KY: September-udgivelsen ventes **i dag** (ca. 10. september 2025) med data t.o.m. juli 2025", ""),
            // A data month: out (with when it came), due today, behind (the note, no date), ahead.
            ("hvornår kommer juni-data for YR?", Ask::When, Data, &seed, SEED_DAY,
             "YR: Data for juni 2025 er allerede med – de kom med udgivelsen ca. 10. august 2025", "ventes"),
            ("hvornår kommer juli-data for KY?", Ask::When, Data, &unmarked, SEED_DAY,
             "KY: Data for juli 2025 ventes **i dag** med udgivelsen ca. 10. september 2025", ""),
            ("hvornår kommer maj-data for KRL?", Ask::When, Data, &seed, SEED_DAY,
             "KRL Personale: Data for maj 2025 skulle efter reglerne være kommet ca. 10. september 2025", "ventes"),
            ("hvornår kommer maj-data for KRL?", Ask::When, Data, &seed, SEED_DAY,
             "Data for maj vil blive vist i FLIS snarest muligt", "ventes"),
            ("hvornår kommer august-tallene for YR?", Ask::When, Data, &seed, SEED_DAY,
             "YR: Data for august 2025 ventes med udgivelsen ca. 10. oktober 2025", ""),
            ("hvornår kommer juli-data for DFDG?", Ask::When, Data, &seed, SEED_DAY,
             "DFDG: Ingen dato for data for juli 2025 – området er nede", "ventes"),
        ];
        for (q, ask, role, c, now, says, not_said) in cases {
            let text = say(&month_question(q, ask, role), c, now);
            let line = first_line(&text);
            assert!(line.contains(says), "{q} at {now}:\n{text}");
            assert!(
                not_said.is_empty() || !line.contains(not_said),
                "{q}: {not_said:?} in {line}"
            );
        }
        // "Er maj-data kommet?" is a ja/nej on that month.
        let krl = say(
            &month_question("er maj-data for KRL kommet?", Ask::Updated, Data),
            &seed,
            SEED_DAY,
        );
        assert!(
            krl.starts_with("**Nej** – KRL Personale: Data for maj 2025 skulle"),
            "{krl}"
        );
        let yr = say(
            &month_question("er juni-data for YR kommet?", Ask::Updated, Data),
            &seed,
            SEED_DAY,
        );
        assert!(
            yr.starts_with("**Ja** – YR: Data for juni 2025 er allerede med"),
            "{yr}"
        );
        // Without an area: the standard release of that month, first.
        let december = say(
            &month_question(
                "hvad kommer der med datapakkerne i december?",
                Ask::When,
                Release,
            ),
            &nov,
            "2025-11-15T10:00:00+01:00",
        );
        assert!(
            december.starts_with(
                "December-udgivelsen ventes **ca. 10. december 2025** med data t.o.m. oktober 2025"
            ),
            "{december}"
        );
    }

    #[test]
    fn more_than_three_areas_get_one_line_each_and_details_on_request() {
        let c = default_catalogue();
        let text = ask("status på det sociale område", SEED_DAY);
        let reply = answer_question("status på det sociale område", c, at(SEED_DAY));
        assert!(reply.compact && reply.areas.len() == 4, "{text}");
        for (name, line) in [
            ("FSIII", "🟡 FSIII: t.o.m. juli 2025, driftsforstyrrelse"),
            ("Udsatte", "🟢 Udsatte børn og unge: t.o.m. juli 2025"),
            ("VH", "🟡 VH: t.o.m. juli 2025, driftsforstyrrelse"),
            ("Ældre", "🔴 Ældre: t.o.m. juli 2025, nede"),
        ] {
            assert!(text.lines().any(|l| l == line), "{name}: {text}");
        }
        assert!(
            text.contains("Spørg fx «status FSIII» for detaljer"),
            "{text}"
        );
        assert!(
            !text.contains("Opdateres:") && !text.contains("TRIFORK"),
            "{text}"
        );
        let m = layout(&reply);
        assert!(m.embeds.is_empty() && m.within_limits());
        // Three areas are still shown in full, as embeds.
        let three = answer_question("status FSIII, KY og DREAM", c, at(SEED_DAY));
        assert!(!three.compact && layout(&three).embeds.len() == 3);
        // A ja/nej question about a group is answered in its first line.
        let updated = say(
            &asking("er beskæftigelsesdata opdateret?", Ask::Updated),
            c,
            SEED_DAY,
        );
        assert!(
            updated.starts_with("**Nej** – 1 af 5 områder har ikke de data, reglerne venter nu:"),
            "{updated}"
        );
        assert!(
            updated.contains("🔴 DFDG: data ikke oplyst, nede – nej"),
            "{updated}"
        );
        // So is one about everything, line by line.
        let mut all = asking("er alle data opdateret?", Ask::Updated);
        all.intent = Intent::Overview;
        let all = say(&all, c, SEED_DAY);
        assert!(
            all.starts_with("**Nej** – 3 af 19 områder har ikke de data, reglerne venter nu (for 1 er t.o.m. ikke oplyst):"),
            "{all}"
        );
        assert!(all.contains("🟡 KRL Personale: t.o.m. april 2025, driftsforstyrrelse, pr. 10. september 2025 var data 1 måned bagud – nej"), "{all}");
        assert_eq!(all.matches("**").count(), 4, "one lead, one title: {all}");
        let when = say(
            &asking("hvornår kommer beskæftigelse?", Ask::When),
            c,
            OCT_9,
        );
        assert!(
            when.contains("🟢 KY: t.o.m. juli 2025 – næste ca. 10. oktober 2025"),
            "{when}"
        );
        assert!(
            when.contains("🔴 DFDG: data ikke oplyst, nede – ingen dato"),
            "{when}"
        );
    }

    #[test]
    fn a_group_takes_its_members_from_the_live_catalogue() {
        let mut c = default_catalogue().clone();
        c.area_mut(AreaId::Ky).unwrap().group = Group::SocialSundhed;
        let p = default_parser().parse("status social og sundhed");
        assert!(
            !p.areas.contains(&AreaId::Ky),
            "the parser knows the default groups"
        );
        let reply = answer(&p, &c, at(SEED_DAY));
        let ids: Vec<&str> = reply.areas.iter().map(|a| a.id).collect();
        assert_eq!(ids, ["fsiii", "udsatte", "vh", "aeldre", "ky"]);
        // An area named beside a group comes first.
        let p = default_parser().parse("status DREAM og social og sundhed");
        let reply = answer(&p, &c, at(SEED_DAY));
        let ids: Vec<&str> = reply.areas.iter().map(|a| a.id).collect();
        assert_eq!(ids, ["dream", "fsiii", "udsatte", "vh", "aeldre", "ky"]);
    }

    #[test]
    fn a_problems_question_lists_only_the_areas_with_problems_down_first() {
        let c = default_catalogue();
        for q in ["er der problemer?", "any known issues?"] {
            let mut p = asking(q, Ask::Problems);
            p.intent = Intent::Overview;
            let reply = answer(&p, c, at(SEED_DAY));
            assert_eq!(reply.kind, ReplyKind::Problems);
            let ids: Vec<&str> = reply.areas.iter().map(|a| a.id).collect();
            assert_eq!(
                ids,
                ["aeldre", "dfdg", "oekonomi", "krl", "skole", "fsiii", "vh"],
                "{q}"
            );
            let text = render(&reply);
            assert!(
                text.starts_with("**Ja** – 7 af 19 dataområder har kendte problemer (nede først):"),
                "{text}"
            );
            assert!(text.contains("Resten kører efter planen."), "{text}");
            assert!(
                text.contains("🔴 Ældre: t.o.m. juli 2025, nede: OLAP-kuben er udfaset"),
                "{text}"
            );
            assert!(!text.contains("🟢"), "only problems: {text}");
            assert!(text.chars().count() <= MAX_REPLY_CHARS);
        }
        // An area only behind (state ok) is a problem too.
        let mut behind = default_catalogue().clone();
        behind.area_mut(AreaId::Yr).unwrap().through = Some(ym("2025-05"));
        let p = asking("er der problemer med beskæftigelse?", Ask::Problems);
        let text = say(&p, &behind, SEED_DAY);
        assert!(text.starts_with("**Ja** – 2 af 5 dataområder"), "{text}");
        assert!(
            text.contains(
                "🟢 YR: t.o.m. maj 2025, pr. 10. september 2025 var data 2 måneder bagud"
            ),
            "{text}"
        );
        // Nothing wrong: said so.
        let mut fine = after_release("2025-09");
        for a in &mut fine.areas {
            a.state = State::Ok;
            a.through = a.through.or(Some(ym("2025-07")));
        }
        let mut p = asking("er der problemer?", Ask::Problems);
        p.intent = Intent::Overview;
        let text = say(&p, &fine, SEED_DAY);
        assert!(
            text.starts_with("**Nej** – ingen kendte problemer"),
            "{text}"
        );
    }

    #[test]
    fn every_ask_at_every_kind_of_day_stays_within_discords_limits_and_is_deterministic() {
        let mut long = default_catalogue().clone();
        for a in &mut long.areas {
            a.note = Some(format!(
                "{} @everyone",
                "Meget lang driftsbemærkning. ".repeat(60)
            ));
        }
        let catalogues = [default_catalogue().clone(), long, before_release("2025-10")];
        let asks = [
            Ask::Plain,
            Ask::Updated,
            Ask::Down,
            Ask::Works,
            Ask::Why,
            Ask::When,
            Ask::HowOften,
            Ask::Problems,
        ];
        let questions = [
            "status tværgående",
            "status FSIII, KY og DREAM",
            "hvornår kommer datapakkerne",
            "oversigt",
            "hvornår kommer maj-data for KRL",
            "status skole",
        ];
        let nows = [
            SEED_DAY,
            OCT_9,
            OCT_10,
            OCT_11,
            OCT_12,
            "2025-12-22T10:00:00+01:00",
            NOV_2026,
        ];
        for c in &catalogues {
            for q in questions {
                for ask in asks {
                    for now in nows {
                        let p = asking(q, ask);
                        let reply = answer(&p, c, at(now));
                        let text = render(&reply);
                        assert!(text.chars().count() <= MAX_REPLY_CHARS, "{q} {ask:?} {now}");
                        assert!(!text.is_empty());
                        assert!(
                            !text.contains("noget gik galt"),
                            "a template failed: {q} {ask:?} {now}"
                        );
                        assert!(
                            !text.contains("  "),
                            "a gap where a word is missing: {text}"
                        );
                        let m = layout(&reply);
                        assert!(m.within_limits(), "{q} {ask:?} {now}");
                        let embeds: String =
                            m.embeds.iter().map(|e| e.description.as_str()).collect();
                        assert!(
                            !m.content.contains("noget gik galt")
                                && !embeds.contains("noget gik galt"),
                            "a template failed in chat: {q} {ask:?} {now}"
                        );
                        assert_eq!(text, render(&answer(&p, c, at(now))), "deterministic");
                    }
                }
            }
        }
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

            #[test]
            fn any_question_at_any_time_gets_a_reply_within_discords_limit(
                q in "\\PC{0,200}",
                secs in 0i64..4_000_000_000,
            ) {
                let now = DateTime::<Utc>::from_timestamp(secs, 0).unwrap();
                let text = render(&answer_question(&q, default_catalogue(), now));
                prop_assert!(!text.is_empty());
                prop_assert!(text.chars().count() <= MAX_REPLY_CHARS);
            }
        }
    }
}
