//! What a word or phrase of the lexicon means. Generic over the area and group types so the
//! build script (`build.rs`, which includes this file) can compute with the same values before
//! the crate's own types exist.

/// Cue words: what kind of question the words make.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cue {
    When,
    HowOften,
    Coming,
    Arrived,
    Status,
    Why,
    Missing,
    Problem,
    Works,
    Overview,
    Which,
    All,
    Help,
    Greeting,
    Thanks,
    /// "hvordan går det": small talk unless about data.
    Pleasantry,
    /// Praise, wishes, laughter: chatter unless something is asked.
    Chatter,
    /// The bot's own name ("flisbot", "botten"): a request for help when little else is said.
    BotName,
}

/// How many cues there are (the `Cue`s as indexes).
pub const CUES: usize = Cue::BotName as usize + 1;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sense<A, G> {
    Area(A),
    Group(G),
    General,
    Data,
    Cue(Cue),
    Month(u32),
    Filler,
    Negation,
    /// "ikke", "uden", "minus", "glem": a name right after it is left out ("ikke DREAM men KRL",
    /// "social og sundhed uden ældre"), when another is still asked about.
    Exclude,
    /// "hvor mange", "how many": a count of things in the world, not of data.
    Quantity,
    /// "nej vent", "jeg mente": the writer takes back the names before it, for those after it
    /// ("ky… nej vent, kp").
    Correction,
    /// "pakke": the general release, but only joined to a month ("decemberpakken").
    MonthRelease,
    /// "jeg ville høre om", "ved nogen om": a question without a question mark.
    Asking,
    /// "du", "dig", "you": the text speaks to the bot.
    Addressee,
}

/// The rank of names (areas, groups, release words, months).
pub const NAME_RANK: u8 = 3;

// Also compiled into build.rs, which lays out the tables with it.
#[allow(dead_code)]
impl<A, G> Sense<A, G> {
    /// Preference when a typo is equally close to two words: names first, then cue words.
    pub fn rank(&self) -> u8 {
        match self {
            Sense::Area(_)
            | Sense::Group(_)
            | Sense::General
            | Sense::MonthRelease
            | Sense::Month(_) => NAME_RANK,
            Sense::Cue(_) | Sense::Data => 2,
            Sense::Filler
            | Sense::Negation
            | Sense::Exclude
            | Sense::Correction
            | Sense::Quantity
            | Sense::Asking
            | Sense::Addressee => 1,
        }
    }
}
