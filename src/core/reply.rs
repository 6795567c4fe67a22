//! The reply value: everything a reply says, already computed and in Danish words, with no
//! layout. `render` lays it out as text from `responses/`; the Discord adapter can lay it out
//! as embeds from the same value.

use crate::core::catalogue::State;
use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReplyKind {
    Status,
    NextRelease,
    Overview,
    Help,
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
            ReplyKind::Help => "help.md",
            ReplyKind::Unknown => "unknown.md",
            ReplyKind::UnknownArea => "unknown_area.md",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Reply {
    pub kind: ReplyKind,
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
    /// Areas left out to stay within the length limit (set by `render`).
    pub omitted: usize,
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
    /// "juli 2025"; `None` where not recorded.
    pub through: Option<String>,
    /// The day this status was last confirmed, "10. september 2025".
    pub status_date: String,
    pub changed_by: Option<String>,
    pub changed_at: Option<String>,
    /// Months the recorded t.o.m. lags what the rules expected on `status_date`.
    pub behind_months: Option<i64>,
    pub expected_through: Option<String>,
    /// The status is older than the freshness limit.
    pub stale: bool,
    pub next: Option<NextView>,
    pub asked: Option<AskedView>,
    /// A part on another cadence (STIL).
    pub remark: Option<String>,
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
}

/// The release that carries a month the question named.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AskedView {
    pub month: String,
    pub when: String,
    /// The rules say the release is out by today.
    pub out_by_rules: bool,
    /// The recorded t.o.m. already includes the month.
    pub recorded: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GeneralView {
    pub when: String,
    pub carries: String,
    pub dap: String,
    /// Areas released early, with their next window.
    pub early: Vec<ExceptionView>,
    /// Areas with another delay than the standard, with what they carry.
    pub other_lag: Vec<ExceptionView>,
    /// The standard release that carries a month the question named.
    pub asked: Option<AskedView>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ExceptionView {
    pub name: String,
    pub when: String,
    pub carries: String,
}
