//! The understood question: what `flisbot parse` prints, and what the answer needs first.

use serde::Serialize;

use crate::core::catalogue::{AreaId, Group};

/// What the user wants, as the spec's contract names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Intent {
    Status,
    NextRelease,
    Overview,
    Help,
    Unknown,
}

impl Intent {
    pub const ALL: [Intent; 5] = [
        Intent::Status,
        Intent::NextRelease,
        Intent::Overview,
        Intent::Help,
        Intent::Unknown,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Intent::Status => "status",
            Intent::NextRelease => "next_release",
            Intent::Overview => "overview",
            Intent::Help => "help",
            Intent::Unknown => "unknown",
        }
    }
}

/// A month the question names ("maj-data", "august 2025", "i oktober").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct MonthRef {
    pub month: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub year: Option<i32>,
    /// Whether the month is the data's ("maj-data") or a release's ("i oktober").
    #[serde(skip)]
    pub role: MonthRole,
}

/// What a named month is the month of.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MonthRole {
    /// The data's month: "maj-data", "data for maj", "tal for maj", "t.o.m. maj".
    #[default]
    Data,
    /// A release's month: "i oktober", "oktober-udgivelsen", "ude i oktober".
    Release,
}

/// What the question wants said first, within its intent.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Ask {
    /// "status X", "hvor langt er X": the status.
    #[default]
    Plain,
    /// "er X opdateret / kommet / ude?": ja or nej on the data being what the rules expect.
    Updated,
    /// "er X nede?", "er der problemer med X?": ja or nej on X being down or disturbed.
    Down,
    /// "virker X?", "kører X?", "er problemet løst?": ja or nej on X running to plan.
    Works,
    /// "hvorfor mangler …": the drift note first.
    Why,
    /// "hvornår …": the date first.
    When,
    /// "hvor ofte / hvor tit …": the cadence.
    HowOften,
    /// "er der problemer (nogen steder)?", "any known issues?": only the areas with problems.
    Problems,
}

/// Talk that is not a question about data.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SmallTalk {
    /// Only a greeting ("hej", "godmorgen").
    Greeting,
    /// Thanks ("tak", "tusind tak", "thanks").
    Thanks,
    /// Nothing to read: empty, only emoji or punctuation.
    Empty,
}

/// The understood question. Serialised as one `flisbot parse` line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Parsed {
    pub intent: Intent,
    /// Areas in the order the question names them, groups expanded, no repeats.
    pub areas: Vec<AreaId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub month: Option<MonthRef>,
    /// The question is about the general monthly release (datapakker, DAP cubes).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub general: bool,
    /// Words that looked like a name but matched nothing (folded, at most a few).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unknown_words: Vec<String>,
    /// Areas close to the unknown words: "mente du …?".
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub suggestions: Vec<AreaId>,
    /// Only a greeting ("hej", "godmorgen"): in a busy question channel that is no question.
    #[serde(skip)]
    pub greeting_only: bool,
    /// What to say first.
    #[serde(skip)]
    pub ask: Ask,
    /// Greetings, thanks or nothing at all: silence in a channel, one short line when addressed.
    #[serde(skip)]
    pub small_talk: Option<SmallTalk>,
    /// Groups the question names; `areas` holds their members as the default catalogue has
    /// them, and the answer takes the members from the live catalogue instead.
    #[serde(skip)]
    pub groups: Vec<Group>,
    /// Areas the question names itself (not through a group).
    #[serde(skip)]
    pub named: Vec<AreaId>,
}
