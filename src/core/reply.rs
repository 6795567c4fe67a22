//! The reply value: everything a reply says, already computed and in Danish words, with no
//! layout. `render` lays it out as text from `responses/`; the Discord adapter can lay it out
//! as embeds from the same value. What a reply says first is decided here (`Lead`, `Verdict`,
//! the cases of `AskedView`); the templates only word it.

use crate::core::catalogue::State;
use crate::core::understand::Ask;
use serde::Serialize;

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
    Unknown,
    /// A status or release question naming only words that are not areas.
    UnknownArea,
}

impl ReplyKind {
    pub fn template(self) -> &'static str {
        match self {
            ReplyKind::Status => "status.md",
            ReplyKind::NextRelease => "next_release.md",
            ReplyKind::Overview => "overview.md",
            ReplyKind::Problems => "problems.md",
            ReplyKind::Help => "help.md",
            ReplyKind::Greeting => "greeting.md",
            ReplyKind::Thanks => "thanks.md",
            ReplyKind::Unknown => "unknown.md",
            ReplyKind::UnknownArea => "unknown_area.md",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Reply {
    pub kind: ReplyKind,
    /// What the question wants said first.
    pub ask: Ask,
    pub areas: Vec<AreaView>,
    /// The general monthly release, for release questions naming no area.
    pub general: Option<GeneralView>,
    /// Danish month asked about ("maj 2026").
    pub asked_month: Option<String>,
    pub unknown_words: Vec<String>,
    /// Display names close to the unknown words.
    pub suggestions: Vec<String>,
    /// Every area's display name, for help and unknown replies.
    pub known_areas: Vec<String>,
    /// The catalogue's as-of date, "10. september 2025".
    pub catalogue_as_of: String,
    /// True when the catalogue as a whole is older than the freshness limit.
    pub catalogue_stale: bool,
    pub today: String,
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

/// How many areas of a compact reply answer ja, nej, delvist or "ved ikke".
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Tally {
    pub yes: usize,
    pub no: usize,
    pub partly: usize,
    pub unknown: usize,
    pub total: usize,
}

/// The status shown was last confirmed more than 45 days ago.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StaleView {
    /// The day the (oldest) status shown is from, "10. september 2025".
    pub from: String,
    /// What the rules expect out today: the one area's month, or the standard release's.
    pub expected_now: Option<String>,
    /// `expected_now` is the one area's (not the standard release's).
    pub single: bool,
}

/// What the first line for an area says (the facts are in the `AreaView`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Lead {
    /// Updated: the recorded t.o.m. is what the rules expect today.
    UpToDate,
    /// Updated: the release that carries the missing month is due today (or its early window
    /// is open) and not yet recorded.
    DueToday,
    /// Updated: the recorded t.o.m. lags what the rules expect today.
    Behind,
    /// Updated: the status is old and shows less than the rules expect today.
    OldStatus,
    /// Updated: the area is down.
    IsDownNoData,
    /// Updated: no t.o.m. is recorded for a monthly area.
    NotRecorded,
    /// Updated: a daily cube.
    Daily,
    /// Updated: a yearly area; the rules give no date.
    Yearly,
    /// Down / Works / Problems: the state.
    IsDown,
    IsDisturbed,
    IsOk,
    /// Why: the drift note first.
    WhyNote,
    /// Why: nothing is missing and there is no note.
    NothingMissing,
    /// HowOften: the cadence.
    Cadence,
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

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AreaView {
    pub id: &'static str,
    pub name: String,
    pub group: &'static str,
    /// Serialised for the templates as ok | disturbed | down.
    pub state: State,
    pub state_label: &'static str,
    pub icon: &'static str,
    pub frequency: String,
    pub source: Option<String>,
    pub note: Option<String>,
    /// The note shortened for a one-line listing (problems, why), else `None`.
    pub note_short: Option<String>,
    /// The note only repeats the state ("Kører efter planen").
    pub note_is_plain: bool,
    /// The note says the timing is unknown ("pt. ukendt"): no standard date is promised first.
    pub note_unknown_date: bool,
    /// "juli 2025"; `None` where not recorded.
    pub through: Option<String>,
    /// The day this status was last confirmed, "10. september 2025".
    pub status_date: String,
    /// The author's public name: never a chat user id.
    pub changed_by: Option<String>,
    pub changed_at: Option<String>,
    /// Months the recorded t.o.m. lagged what the rules expected on `status_date`.
    pub behind_months: Option<i64>,
    /// What the rules expected on `status_date`, when behind.
    pub expected_through: Option<String>,
    /// What the rules expect out today (monthly areas).
    pub expected_now: Option<String>,
    /// When the release carrying `expected_now` was due, "ca. 10. september 2025" (for "er X
    /// opdateret?").
    pub expected_now_when: Option<String>,
    /// The status is older than the freshness limit.
    pub stale: bool,
    /// monthly | daily | yearly
    pub cadence: &'static str,
    /// The release in month M carries data t.o.m. M − lag.
    pub lag: u32,
    /// "2–3 uger" for an area released early.
    pub early: Option<String>,
    /// The release due today, or an early window open today.
    pub under_way: Option<UnderWayView>,
    /// The DAP cubes of this month's release are due today or tomorrow: their window.
    pub dap_today: Option<String>,
    /// The next release after today (and after one under way).
    pub next: Option<NextView>,
    pub asked: Option<AskedView>,
    /// A part on another cadence (STIL).
    pub remark: Option<String>,
    /// What to say first about this area, and its yes/no.
    pub lead: Option<Lead>,
    pub verdict: Option<Verdict>,
    /// The lead already says the drift note; the body leaves it out.
    pub note_in_lead: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NextView {
    /// monthly | daily | yearly
    pub cadence: &'static str,
    /// "ca. 10. december 2026", "ca. 19.–26. december 2026", "natten til 28. november 2026".
    pub when: String,
    pub window: bool,
    /// Data t.o.m. the release should carry.
    pub carries: Option<String>,
    /// DAP cubes after a release on the 10th.
    pub dap: Option<String>,
    /// The monthly release an early window belongs to, "januar" (as in "januar-udgivelsen").
    pub release_month: Option<String>,
}

/// A release on its day: the 10th, or a day in its early window.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct UnderWayView {
    /// "10. september 2025", "ca. 19.–26. september 2025".
    pub when: String,
    pub window: bool,
    /// The monthly release it belongs to, "oktober".
    pub release_month: String,
    pub carries: String,
    /// Operators have recorded it: the t.o.m. already carries it.
    pub out: bool,
    /// DAP cubes after it, for a release on the 10th.
    pub dap: Option<String>,
}

/// What is known about a month the question named.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AskedCase {
    /// The recorded t.o.m. carries it: it came with the release `when`.
    Recorded,
    /// Its release is due today (or its early window is open) and not yet recorded.
    DueToday,
    /// Its release is past by the rules but the month is not recorded: behind.
    Missing,
    /// Its release lies ahead.
    Expected,
    /// No date: the area is down or not released monthly.
    NoDate,
}

/// The release that carries a month the question named (or the release of a named month).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AskedView {
    /// "maj 2025": the data month, or the release month.
    pub month: String,
    /// data | release: what the named month is the month of.
    pub role: &'static str,
    /// The release's month name, "december" (as in "december-udgivelsen").
    pub release_month: String,
    pub when: String,
    pub window: bool,
    /// Data t.o.m. the release carries.
    pub carries: String,
    pub case: AskedCase,
    /// The rules say the release is out by today.
    pub out_by_rules: bool,
    /// The recorded t.o.m. already includes the month.
    pub recorded: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GeneralView {
    /// The next release not yet out (after one due today).
    pub when: String,
    pub carries: String,
    pub dap: String,
    pub release_month: String,
    /// The release due today (the 10th), recorded or not.
    pub today: Option<UnderWayView>,
    /// The DAP cubes due today or tomorrow (11th–12th).
    pub dap_today: Option<DapTodayView>,
    /// Areas released early, with their window (open today or next), by the release it
    /// belongs to.
    pub early: Vec<EarlyGroup>,
    /// Areas with another delay than the standard, with what they carry.
    pub other_lag: Vec<ExceptionView>,
    /// The standard release that carries a month the question named.
    pub asked: Option<AskedView>,
    /// Updated: the newest release by the rules, and whether operators have recorded it.
    pub latest: Option<LatestView>,
    /// HowOften: the cadences of the catalogue.
    pub cadences: Option<CadencesView>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DapTodayView {
    /// The datapakker's day, "10. september 2025".
    pub released: String,
    pub carries: String,
    /// "11.–12. september 2025"
    pub dap: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LatestView {
    pub when: String,
    pub carries: String,
    /// Its day is today.
    pub today: bool,
    /// The ordinary monthly areas all carry it.
    pub recorded: bool,
    /// Live monthly areas short of what the rules expect today, "KRL Personale og DREAM".
    pub lagging: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CadencesView {
    /// Areas released early, "Borger Flex og DREAM", and how early, "2–3 uger".
    pub early: String,
    pub early_weeks: Option<String>,
    pub daily: String,
    pub yearly: String,
    /// Parts on another cadence ("STIL-data opdateres årligt …").
    pub remarks: Vec<String>,
    /// Monthly areas with a longer delay, "KRL Personale".
    pub other_lag: String,
}

/// Early releases that belong to one monthly release.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EarlyGroup {
    /// "januar", as in "tidlig udlæsning til januar-udgivelsen".
    pub release_month: String,
    /// The window is open today.
    pub now: bool,
    /// "2–3 uger"
    pub weeks: Option<String>,
    pub areas: Vec<ExceptionView>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ExceptionView {
    pub name: String,
    pub when: String,
    pub carries: String,
    /// The monthly release it belongs to, "januar".
    pub release_month: String,
    /// Its early window is open today.
    pub now: bool,
}
