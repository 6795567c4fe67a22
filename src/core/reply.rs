//! The reply value: what a reply says, as the area facts and the query give it, in typed values
//! (days, months, windows, the state and the group), with no wording and no layout. What a reply
//! says first is decided in `answer` (`Lead`, `Verdict`, `AskedView::case`); the templates only
//! word it. The views write the values: `views::danish` gives [`Day`], [`Month`],
//! [`ReleaseMonth`], [`Window`] and [`Approx`] their Danish `Display` and `Serialize` (so a
//! template reads "10. september 2025"), and `views::render`'s filters word the state and the
//! group (`state_word`, `icon`, `group_name`); `render` words the reply from `responses/` and
//! the chat layout lays it out as embeds from the same value.

use chrono::NaiveDate;

use crate::core::calendar::{self, Release};
use crate::core::catalogue::{Group, State};
use crate::core::facts::MonthState;
use crate::core::query::{AreaAsk, OverviewAsk, ProblemsAsk, ReleaseAsk, Wish};
use crate::core::year_month::YearMonth;
use serde::Serialize;

/// A calendar day in Europe/Copenhagen. No `Serialize` here: `views::danish` writes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day(pub NaiveDate);

/// A month with its year: data t.o.m., or what the rules expect. Written by `views::danish`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month(pub YearMonth);

/// The monthly release a month belongs to, named by its month alone (as in
/// "december-udgivelsen"). Written by `views::danish`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ReleaseMonth(pub YearMonth);

/// The days from `first` to `last`, one day when they are equal. Written by `views::danish`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Window {
    pub first: NaiveDate,
    pub last: NaiveDate,
}

impl Window {
    /// The days of release `r`: its day, or its early window.
    pub fn of(r: &Release) -> Self {
        Self {
            first: r.first_day,
            last: r.last_day,
        }
    }

    /// The days the DAP cubes follow release `r` on the 10th; `None` for an early window,
    /// which has no cubes of its own.
    pub fn dap_after(r: &Release) -> Option<Self> {
        (!r.is_window()).then(|| {
            let (first, last) = calendar::dap_window(r);
            Self { first, last }
        })
    }
}

/// When a release is expected: its window, which the rules give only approximately (the
/// views say "ca."). Written by `views::danish`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Approx(pub Window);

impl Approx {
    /// When release `r` is expected.
    pub fn of(r: &Release) -> Self {
        Self(Window::of(r))
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReplyKind {
    Status,
    NextRelease,
    Overview,
    /// Only the areas with problems (down first), then "resten kører efter planen".
    Problems,
    Help,
    /// A bare greeting or an empty message addressed to the bot: one line pointing to /hjaelp.
    Greeting,
    /// Thanks addressed to the bot: one short line.
    Thanks,
    /// Wishes addressed to the bot: the wishes back, one line.
    Wish,
    Unknown,
    /// A status or release question naming only words that are not areas.
    UnknownArea,
}

/// What the question asks, for the templates: the query's own ask, serialised as its word
/// ("updated", "works", "today", …); nothing for help, talk and unknown questions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Asked {
    Areas(AreaAsk),
    Release(ReleaseAsk),
    Overview(OverviewAsk),
    Problems(ProblemsAsk),
    Nothing,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Reply {
    pub kind: ReplyKind,
    /// What the question wants said first.
    pub ask: Asked,
    pub areas: Vec<AreaView>,
    /// The general monthly release, for release questions naming no area.
    pub general: Option<GeneralView>,
    /// The general release whose day today is (the 10th), for questions about all or many areas.
    pub release_today: Option<GeneralTodayView>,
    pub unknown_words: Vec<String>,
    /// Display names close to the unknown words.
    pub suggestions: Vec<String>,
    /// Every area's display name, for help and unknown-area replies (empty otherwise).
    pub known_areas: Vec<String>,
    /// The wishes said to the bot.
    pub wishes: Vec<Wish>,
    /// The catalogue's as-of date.
    pub catalogue_as_of: Day,
    /// True when the catalogue as a whole is older than the freshness limit.
    pub catalogue_stale: bool,
    pub today: Day,
    /// A status older than the freshness limit, said before anything else.
    pub stale: Option<StaleView>,
    /// One line per area instead of a block each (more than three areas).
    pub compact: bool,
    /// The area a compact reply names in "spørg fx «status …» for detaljer".
    pub detail_example: Option<String>,
    /// A compact reply to a ja/nej question: how the areas answer.
    pub tally: Option<Tally>,
    /// Problems: how many areas were looked at, and how many of them run to plan (left out).
    pub scope_total: usize,
    pub rest_ok: usize,
    /// Areas left out to stay within the length limit (set by `render`).
    pub omitted: usize,
}

/// How many areas of a compact reply answer ja, nej (and of those, how many wait for a
/// release due today), delvist or "ved ikke".
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Tally {
    pub yes: usize,
    pub no: usize,
    pub due: usize,
    pub partly: usize,
    pub unknown: usize,
    pub total: usize,
}

/// The status shown was last confirmed more than 45 days ago.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StaleView {
    /// The day the (oldest) status shown is from.
    pub from: Day,
    /// What the rules expect out today: the one area's month, or the standard release's;
    /// nothing for an area that is down.
    pub expected_now: Option<Month>,
    /// `expected_now` is the one area's (not the standard release's).
    pub single: bool,
}

/// What the first line for an area says (the facts are in the `AreaView`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Lead {
    /// Updated: the recorded t.o.m. is what the rules expect today.
    UpToDate,
    /// Updated: the area's release is due today (or its early window is open), not recorded.
    DueToday,
    /// Updated: the recorded t.o.m. lags what the rules expect (`AreaView::behind`).
    Behind,
    /// Updated: the status is old and shows less than the rules expect today.
    OldStatus,
    /// Updated, today: the area is down.
    IsDownNoData,
    /// Updated: no t.o.m. is recorded for a monthly area.
    NotRecorded,
    /// Updated, today: a daily cube.
    Daily,
    /// Updated: a yearly area; the rules give no date.
    Yearly,
    /// Down / Works: the state.
    IsDown,
    IsDisturbed,
    IsOk,
    /// Why: the drift note first.
    WhyNote,
    /// Why: nothing is missing and there is no note.
    NothingMissing,
    /// HowOften: the cadence.
    Cadence,
    /// Today: whether a release of the area comes today (`AreaView::today`, `dap_today`).
    Today,
    /// A named month: see `AreaView::asked`.
    Month,
}

/// The yes/no a lead gives, for short lines.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Yes,
    No,
    Partly,
    Unknown,
}

/// How far the recorded t.o.m. lags what the rules expect.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BehindView {
    pub months: u32,
    /// What the rules expected.
    pub expected: Month,
    /// The day it is judged on: today, or the status's day when stale.
    pub on: Day,
    /// It is judged on the status's own day ("pr. … var data … bagud").
    pub on_status_day: bool,
    /// When the release that should have carried it was due.
    pub missed_when: Approx,
}

/// A monthly release.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ReleaseView {
    /// When it is expected (its day or early window, approximately).
    pub when: Approx,
    /// Its day alone (or its window), not approximate.
    pub date: Window,
    pub window: bool,
    /// The monthly release it belongs to (as in "december-udgivelsen").
    pub release_month: ReleaseMonth,
    /// Data t.o.m. it carries.
    pub carries: Month,
    /// The DAP cubes' days after it, for a release on the 10th.
    pub dap: Option<Window>,
}

/// The area's release whose day today is.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TodayView {
    pub release: ReleaseView,
    /// Operators have recorded it for the area.
    pub out: bool,
}

/// The DAP cubes on one of their days.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DapTodayView {
    /// Their days.
    pub window: Window,
    /// Today.
    pub date: Day,
    /// Today is the window's last day: "i dag", not "i dag eller i morgen".
    pub last_day: bool,
    /// The release they follow, its day and data t.o.m.
    pub release_month: ReleaseMonth,
    pub released: Day,
    pub carries: Month,
    /// Operators have recorded the datapakker they follow (for some areas at least).
    pub recorded: bool,
}

/// What comes next for an area (after a release due or out today).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NextView {
    /// release | daily | none
    pub kind: &'static str,
    /// The release (kind release).
    pub release: Option<ReleaseView>,
    /// The release is the one the drift note names.
    pub by_note: bool,
    /// Why no date (kind none): down | yearly | note.
    pub why: Option<&'static str>,
    /// What the note says (why note): unknown | asap.
    pub note_timing: Option<&'static str>,
    /// What the rules alone would say (why note).
    pub rule: Option<ReleaseView>,
    /// The day of the next nightly update (the night before it; kind daily).
    pub daily: Option<Day>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AreaView {
    pub id: &'static str,
    pub name: String,
    /// Serialised for the templates as its id; the `group_name` filter words it.
    pub group: Group,
    /// Serialised for the templates as ok | disturbed | down; the `state_word` and `icon`
    /// filters word it.
    pub state: State,
    pub frequency: String,
    pub source: Option<String>,
    pub note: Option<String>,
    /// The note shortened for a one-line listing (problems, why), else `None`.
    pub note_short: Option<String>,
    /// The note only repeats the state ("Kører efter planen").
    pub note_is_plain: bool,
    /// Data t.o.m.; `None` where not recorded.
    pub through: Option<Month>,
    /// The day this status was last confirmed.
    pub status_date: Day,
    /// The author's public name: never a chat user id.
    pub changed_by: Option<String>,
    /// The Copenhagen day of the last change.
    pub changed_at: Option<Day>,
    pub behind: Option<BehindView>,
    /// What the rules expect out today (monthly areas that run).
    pub expected_now: Option<Month>,
    /// The status is older than the freshness limit.
    pub stale: bool,
    /// monthly | daily | yearly
    pub cadence: &'static str,
    /// FLIS' delay in months (`facts::flis_delay_months`).
    pub delay_months: u32,
    /// An early window, days before the 10th: (nearest, farthest).
    pub early: Option<(u32, u32)>,
    /// The area's release whose day today is, due or out.
    pub today: Option<TodayView>,
    /// The DAP cubes of this month's release are due today.
    pub dap_today: Option<DapTodayView>,
    pub next: NextView,
    pub asked: Option<AskedView>,
    /// A part on another cadence (STIL).
    pub remark: Option<String>,
    /// What to say first about this area, and its yes/no.
    pub lead: Option<Lead>,
    pub verdict: Option<Verdict>,
    /// The lead already says the drift note; the body leaves it out.
    pub note_in_lead: bool,
}

/// The release that carries a month the question named (or the release of a named month).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AskedView {
    /// The data month, or the release month.
    pub month: Month,
    /// data | release: what the named month is the month of.
    pub role: &'static str,
    /// what | is_out | comes
    pub question: &'static str,
    /// The release's month (as in "december-udgivelsen"): the named month when there is no
    /// release.
    pub release_month: ReleaseMonth,
    /// When the release is expected; `None` without a release.
    pub when: Option<Approx>,
    pub window: bool,
    /// Data t.o.m. the release carries; `None` without a release.
    pub carries: Option<Month>,
    pub case: MonthState,
    /// Ja or nej, when the question asks for it.
    pub verdict: Option<Verdict>,
    /// Areas whose release it is not recorded for, though it is for others (general only).
    pub missing: Vec<String>,
    /// Early releases with a day in the named month (general, a release month only).
    pub early: Vec<ExceptionView>,
}

/// The general release whose day today is, with what is recorded of it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GeneralTodayView {
    pub release: ReleaseView,
    /// all | some | none
    pub recorded: &'static str,
    /// The areas it is not recorded for when it is for others.
    pub missing: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GeneralView {
    /// The next general release not yet out (after one due today).
    pub next: ReleaseView,
    /// The release due today (the 10th), recorded or not.
    pub today: Option<GeneralTodayView>,
    /// The DAP cubes due today (11th–12th).
    pub dap_today: Option<DapTodayView>,
    /// Early releases open today, by the release they belong to.
    pub early_now: Vec<EarlyGroup>,
    /// Areas released early, with their next window, by the release it belongs to.
    pub early: Vec<EarlyGroup>,
    /// Areas with another delay than the standard, with what they carry.
    pub other_lag: Vec<ExceptionView>,
    /// The standard release asked for by month.
    pub asked: Option<AskedView>,
    /// Out: the newest release by the rules, with what is recorded.
    pub latest: Option<LatestView>,
    /// Today: whether anything comes today.
    pub comes_today: bool,
    /// HowOften: the cadences of the catalogue.
    pub cadences: Option<CadencesView>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LatestView {
    pub release: ReleaseView,
    /// Its day is today.
    pub today: bool,
    /// all | some | none
    pub recorded: &'static str,
    /// Areas behind what the rules expect, by name.
    pub behind: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CadencesView {
    /// Areas released early, and how early (days before the 10th: nearest, farthest).
    pub early: Vec<String>,
    pub early_days: Option<(u32, u32)>,
    pub daily: Vec<String>,
    pub yearly: Vec<String>,
    /// Parts on another cadence ("STIL-data opdateres årligt …").
    pub remarks: Vec<String>,
    /// Monthly areas with another delay than the standard, by delay.
    pub other_lag: Vec<LagGroup>,
    /// FLIS' delay of the standard release, in months.
    pub delay_months: u32,
}

/// Areas with one delay (FLIS' months).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LagGroup {
    pub delay_months: u32,
    pub names: Vec<String>,
}

/// Early releases that belong to one monthly release.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EarlyGroup {
    /// As in "tidlig udlæsning til januar-udgivelsen".
    pub release_month: ReleaseMonth,
    /// The window is open today.
    pub now: bool,
    /// Days before the 10th: (nearest, farthest).
    pub days: Option<(u32, u32)>,
    pub areas: Vec<ExceptionView>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ExceptionView {
    pub name: String,
    pub release: ReleaseView,
    /// Its early window is open today.
    pub now: bool,
}
