//! From what a question's words were read as to what it asks: the intent, what the answer says
//! first (`Ask`), the month's role and small talk. The rules weigh evidence: a name, a FLIS
//! word, cue words of each kind, content words, and names of other things.

use super::intent_model;
use super::normalize::{is_alphabetic, MAX_WORD_CHARS};
use super::parsed::{Ask, Intent, MonthRef, MonthRole, Parsed, SmallTalk};
use super::parser::{Parser, Sense};
use super::relevance::Evidence;
use super::sense::{Cue, CUES};
use crate::core::catalogue::{AreaId, Group};

const MAX_UNKNOWN_REPORTED: usize = 4;
/// Words a question may hold beside a greeting and still be only a greeting ("hej alle").
const GREETING_WORDS: usize = 3;

/// What the question asks, from what its words were read as.
pub(super) fn decide(parser: &Parser, mut acc: Accum<'_>, empty: bool, model: [f32; 5]) -> Parsed {
    acc.focus(parser);
    let month = acc.month.map(|m| MonthRef {
        month: m,
        year: acc.year,
        role: acc.month_role,
    });
    // Both read the cues as the words gave them, before they are weighed below.
    let data_cue = acc.data_cue();
    let everyday = acc.everyday_sense(parser);
    // "virker ikke", "der ikke virker", "not working": a works word denied is a problem.
    let mut cues = acc.cues;
    if acc.negated && cues.contains(Cue::Works) {
        cues.remove(Cue::Works);
        cues.insert(Cue::Problem);
    }
    // "hvordan går det med DREAM?", "hvordan går det med driften?": a status question when a
    // name, a FLIS word or another cue says it is about data.
    if cues.contains(Cue::Pleasantry)
        && (!acc.areas.is_empty() || acc.general || acc.data || data_cue)
    {
        cues.insert(Cue::Status);
    }
    let has = |c: Cue| cues.contains(c);
    let when = has(Cue::When) || has(Cue::HowOften);
    let forward = when || has(Cue::Coming);
    let about_state = has(Cue::Status)
        || has(Cue::Why)
        || has(Cue::Missing)
        || has(Cue::Problem)
        || has(Cue::Works)
        || has(Cue::Arrived);
    // Something other than FLIS is named: "Teams", "Outlook", or a word nobody knows (of
    // four letters or more: "pls" and "lol" name nothing).
    let elsewhere = acc.foreign || acc.unknown.iter().any(|w| chars(w) >= 4);
    let any_cue = !cues.within(Cues::of(&[
        Cue::Greeting,
        Cue::Thanks,
        Cue::All,
        Cue::Pleasantry,
        Cue::Chatter,
    ]));
    let plain_question = acc.question && acc.plain_data_question();
    let only_lexicon = acc.other_words == 0 && acc.unknown.is_empty();
    let mut parsed = Parsed {
        intent: Intent::Unknown,
        areas: acc.areas,
        month,
        general: acc.general,
        unknown_words: acc.unknown.iter().map(|w| w.to_string()).collect(),
        suggestions: Vec::new(),
        greeting_only: false,
        ask: Ask::Plain,
        small_talk: None,
        groups: acc.groups,
        named: acc.named,
    };
    let about_areas = !parsed.areas.is_empty();
    let flis = about_areas || acc.general || acc.data;
    parsed.ask = if has(Cue::HowOften) {
        Ask::HowOften
    } else if has(Cue::When) {
        Ask::When
    } else if has(Cue::Why) || has(Cue::Missing) {
        Ask::Why
    } else if has(Cue::Problem) {
        if about_areas {
            Ask::Down
        } else {
            Ask::Problems
        }
    } else if has(Cue::Works) {
        Ask::Works
    } else if has(Cue::Arrived) {
        Ask::Updated
    } else if has(Cue::Coming) {
        Ask::When
    } else {
        Ask::Plain
    };
    parsed.intent = if has(Cue::Chatter) && !acc.question && !when && !has(Cue::Why) {
        // Praise, wishes, laughter, and nothing asked: ":tada: juli-tallene er landet, godt
        // arbejde alle".
        Intent::Unknown
    } else if about_areas
        && !any_cue
        && !acc.general
        && !acc.data
        && !acc.question
        && acc.content_words >= 1
    {
        // A name in talk about something else: "min søn starter i skole i morgen", "vi
        // samler ind til Ukraine".
        Intent::Unknown
    } else if about_areas && acc.quantity && !acc.data && !acc.general && !data_cue {
        // A count of the things themselves: "hvor mange udsatte børn er der i Danmark?".
        Intent::Unknown
    } else if about_areas {
        let trouble = has(Cue::Why) || has(Cue::Problem) || has(Cue::Missing) || has(Cue::Works);
        if when || (has(Cue::Coming) && !about_state) || (acc.month_point && !trouble) {
            Intent::NextRelease
        } else {
            Intent::Status
        }
    } else if has(Cue::Pleasantry) && !acc.general && !acc.data && !data_cue {
        // "hvordan går det?", "hej bot, hvordan har du det?": small talk.
        Intent::Unknown
    } else if has(Cue::Thanks)
        && !acc.general
        && cues.within(Cues::of(&[
            Cue::Thanks,
            Cue::Greeting,
            Cue::All,
            Cue::Help,
            Cue::BotName,
        ]))
    {
        parsed.small_talk = Some(SmallTalk::Thanks);
        Intent::Unknown
    } else if has(Cue::Help)
        && (acc.content_words == 0 || acc.cue_sentences[Cue::Help as usize] & acc.sentence_bot != 0)
    {
        // "hvad kan du hjælpe med?" and "hvilke spørgsmål kan jeg stille dig?" ask the bot;
        // "kan nogen hjælpe mig med min printer?" asks colleagues about something else, and
        // so does "IT kan ikke hjælpe. har du en idé?" (the bot is spoken to elsewhere).
        Intent::Help
    } else if acc.general && elsewhere && !any_cue {
        // "min datapakke fra Telia er opbrugt": a release word about something else.
        Intent::Unknown
    } else if acc.general {
        if (has(Cue::Overview) || has(Cue::Which)) && !forward {
            Intent::Overview
        } else {
            Intent::NextRelease
        }
    } else if (!elsewhere || acc.data)
        && ((has(Cue::Overview) && (acc.data || !acc.overview_of_other))
            || (has(Cue::Problem) && (acc.data || acc.content_words == 0))
            || (has(Cue::Which) && acc.data && !forward)
            || (has(Cue::All)
                && (has(Cue::Status) || has(Cue::Works) || has(Cue::Arrived) || acc.data)))
    {
        Intent::Overview
    } else {
        // A near-name alone ("fsi") or in a question is a typo worth a "mente du …?"; in
        // a sentence about something else it is not (and is not worth the comparisons).
        if forward || about_state || acc.other_words <= 1 {
            parsed.suggestions = parser.suggest(&acc.unknown);
        }
        if !parsed.suggestions.is_empty() {
            if when || (has(Cue::Coming) && !about_state) {
                Intent::NextRelease
            } else {
                Intent::Status
            }
        } else if forward
            && (acc.data
                || month.is_some()
                || (acc.sentence_content == [0; SENTENCES] && !elsewhere && !acc.to_the_bot))
        {
            parsed.general = true;
            Intent::NextRelease
        } else if has(Cue::Status)
            && !acc.unknown.is_empty()
            && acc.other_words <= 2
            && !acc.evidence.speaks_of_own()
        {
            // "status xyzzy": a status asked of something we do not know; not "status på min
            // ferieansøgning?".
            Intent::Status
        } else if !elsewhere
            && acc.content_words == 0
            && (has(Cue::Status) || (acc.data && about_state))
        {
            // "status", "hvordan ser FLIS ud?"; not "status på julefrokosten?".
            Intent::Overview
        } else if has(Cue::BotName) && !elsewhere && acc.content_words <= 1 {
            // "hvad kan botten?", "how does this bot work?"; not "hvad laver du i weekenden
            // bot?".
            Intent::Help
        } else if has(Cue::Greeting) && !elsewhere && acc.other_words <= GREETING_WORDS {
            parsed.greeting_only = true;
            parsed.small_talk = Some(SmallTalk::Greeting);
            Intent::Help
        } else if empty {
            // Nothing to read: a bare mention is a request for help; emoji alone are not.
            parsed.small_talk = Some(SmallTalk::Empty);
            if acc.blank {
                Intent::Help
            } else {
                Intent::Unknown
            }
        } else {
            Intent::Unknown
        }
    };
    if matches!(
        parsed.intent,
        Intent::Status | Intent::NextRelease | Intent::Overview
    ) && everyday
    {
        // About something else after all: "hvornår kan jeg gå på pension", "min søn starter
        // i 0. klasse på skolen i næste uge".
        parsed.intent = Intent::Unknown;
    }
    if !empty {
        let seen = Seen {
            flis_word: acc.general || acc.data,
            other_words: acc.content_words > 0 || elsewhere,
            overview_of_other: acc.overview_of_other,
            asks_state: about_state && acc.question,
            asks_when: when,
            plain_question,
            only_lexicon,
        };
        weigh_model(&mut parsed, model, cues, seen);
    }
    if !flis && parsed.intent == Intent::Overview && parsed.ask != Ask::Problems {
        parsed.ask = Ask::Plain;
    }
    if matches!(
        parsed.intent,
        Intent::Overview | Intent::Help | Intent::Unknown
    ) {
        parsed.suggestions.clear();
        parsed.areas.clear();
        parsed.named.clear();
        parsed.groups.clear();
        parsed.general = false;
    }
    parsed
}

/// How sure the intent model must be to overrule the rules (of five intents; chosen by leaving
/// sets out of the training, see docs/development.md)…
const MODEL_SURE: f32 = 0.4;
/// … to call text that names an area chatter, or to read text in which the rules found a name
/// misspelt as anything else: an unsure model never silences a name ("hvad med pensionerne")
/// or hides the "mente du …?" of one ("fsi").
const MODEL_SURE_AGAINST_A_NAME: f32 = 0.5;
/// … to make a release question of text that names no FLIS word but other things ("samme tid
/// som altid?", "kan jeg gå i gang med månedsrapporten?"): the model has seen how such
/// questions are worded, but a sentence about something else can share the wording.
const MODEL_QUITE_SURE: f32 = 0.6;
/// … and where that text asks when ("hvornår kommer toget?"), the wording most shared with
/// talk about other things. Trained on 164 sets the model reads "hvornår kommer toget?" at
/// 0.871 and "hvornår lander næste levering?" at 0.929.
const MODEL_VERY_SURE: f32 = 0.88;
/// How sure the model must be that text is chatter to overrule a greeting, or a name asked
/// about ("hvornår er der juleafslutning for ældreområdet?", "er julegaverne til personalet
/// kommet?": the name is a word of everyday talk there).
const MODEL_SURE_OF_CHATTER: f32 = 0.85;
/// How sure the model must be that a greeting goes on to ask something else ("godmorgen, er
/// der nye tal i dag?"), where the rules read only the greeting.
const MODEL_SURE_OF_QUESTION: f32 = 0.8;

/// What the rules saw that the intent model may not overrule.
struct Seen {
    /// A FLIS word: a release word ("datapakker"), "data".
    flis_word: bool,
    /// Words that say what else the text is about: content words, unknown names ("bussen").
    other_words: bool,
    /// "oversigt over mødelokaler": an overview of something else.
    overview_of_other: bool,
    /// A question ("?") with a word asking about a state: status, works, arrived, a problem,
    /// why, missing.
    asks_state: bool,
    /// A when-word or a how-often word.
    asks_when: bool,
    /// The text asks and ends in a sentence of nothing but names, words asking about data and
    /// stop words ("… Er YR opdateret?"; `Accum::plain_data_question`).
    plain_question: bool,
    /// Every word is a word of the lexicon, read exactly, inflected or by a typo ("oversgt").
    only_lexicon: bool,
}

/// Lets the intent model (`intent_model.rs`) overrule the rules where it is sure of another
/// intent and the question holds what that intent needs: a status needs an area; a release
/// question without one is about the general release. The rules keep what they read:
/// - small talk ("hvordan har du det?"; not thanks: "hele listen tak" asks), and a greeting
///   unless the model is sure it is chatter;
/// - a when-word with a name ("hvornår kommer pension-tallene" asks for a date however else it
///   reads) and a name asked about, unless the model is sure they are chatter; a sentence that
///   only asks about a name ("Vi holder møde med direktøren. Er YR opdateret?") is never
///   chatter, however sure the model is of the rest;
/// - talk about other things that names no FLIS word ("oversigt over mødelokaler"; "hvornår
///   kommer bussen" unless the model is very sure);
/// - "er alle data opdateret?", an overview of what is updated;
/// - a status asked of an area the text names itself, which the model may not make an
///   overview ("Er der nogle kendte fejl i KP lige nu");
/// - a text of nothing but lexicon words, which the model may not make chatter: it has seen
///   "oversigt" but not every typo of it ("oversgt", "hlep", "relese??").
///
/// What the answer says first stays the rules' reading where it still fits: "er data
/// opdateret?", which the rules read as an overview of what is updated, becomes a question
/// about the month's release and is still answered ja or nej.
fn weigh_model(parsed: &mut Parsed, model: [f32; 5], cues: Cues, seen: Seen) {
    let Some((k, &p)) = model.iter().enumerate().max_by(|a, b| a.1.total_cmp(b.1)) else {
        return;
    };
    // The model names its classes as the contract does, which `Intent::as_str` writes.
    let Some(wanted) = Intent::ALL
        .into_iter()
        .find(|i| Some(i.as_str()) == intent_model::CLASSES.get(k).copied())
    else {
        return;
    };
    let named = !parsed.areas.is_empty();
    let sure = if (wanted == Intent::Unknown && named) || !parsed.suggestions.is_empty() {
        MODEL_SURE_AGAINST_A_NAME
    } else {
        MODEL_SURE
    };
    if p <= sure || wanted == parsed.intent {
        return;
    }
    // A greeting alone stays help unless the model is sure it is chatter after all ("godnat",
    // "hav en god dag derude" take leave) or asks something else.
    let greeting = parsed.small_talk == Some(SmallTalk::Greeting) || parsed.greeting_only;
    let greeting_kept = match wanted {
        Intent::Unknown => p < MODEL_SURE_OF_CHATTER,
        Intent::Help => true,
        _ => p < MODEL_SURE_OF_QUESTION,
    };
    let small_talk = parsed.small_talk == Some(SmallTalk::Empty)
        || (greeting && greeting_kept)
        || (parsed.intent == Intent::Unknown && cues.contains(Cue::Pleasantry));
    let timed = seen.asks_when;
    let refused = small_talk
        || (timed && named && !matches!(wanted, Intent::NextRelease | Intent::Unknown))
        || ((timed || seen.asks_state)
            && named
            && wanted == Intent::Unknown
            && p < MODEL_SURE_OF_CHATTER)
        || (seen.plain_question && named && wanted == Intent::Unknown)
        || (seen.only_lexicon && wanted == Intent::Unknown)
        || (wanted == Intent::NextRelease
            && !named
            && !seen.flis_word
            && seen.other_words
            && p < if timed {
                MODEL_VERY_SURE
            } else {
                MODEL_QUITE_SURE
            })
        || (wanted == Intent::Overview && seen.overview_of_other && !seen.flis_word)
        // An overview is of every area: a status asked of an area the text names itself
        // ("Er der nogle kendte fejl i KP lige nu", "hvad står der i driftsnoten for skole?")
        // stays one, however the rest reads. Through a group ("social og sundhed – er der
        // noget …") the rules' reading is weaker, and the model may still overrule it.
        || (wanted == Intent::Overview
            && parsed.intent == Intent::Status
            && !parsed.named.is_empty())
        // "er alle data opdateret?" asks whether every area is, explicitly: the overview.
        || (parsed.intent == Intent::Overview
            && parsed.ask == Ask::Updated
            && cues.contains(Cue::All)
            && wanted == Intent::NextRelease);
    if refused {
        return;
    }
    match wanted {
        Intent::Status => {
            if !named {
                return;
            }
            if matches!(parsed.ask, Ask::When | Ask::HowOften) {
                parsed.ask = Ask::Plain;
            }
        }
        Intent::NextRelease => {
            if parsed.areas.is_empty() {
                parsed.general = true;
            }
            if parsed.ask == Ask::Plain {
                parsed.ask = Ask::When;
            }
        }
        Intent::Overview => {
            parsed.ask = if cues.contains(Cue::Problem) {
                Ask::Problems
            } else {
                Ask::Plain
            };
        }
        Intent::Help | Intent::Unknown => {}
    }
    if wanted != Intent::Help {
        parsed.greeting_only = false;
        parsed.small_talk = None;
    }
    parsed.intent = wanted;
}

/// Words that put a month as a point in time ahead ("primo november", "medio oktober"): a
/// question about an area then asks what that release brings.
pub(super) const MONTH_POINTS: [&str; 6] = ["primo", "medio", "ultimo", "start", "starten", "midt"];

/// Whether a month named in a question is a release's ("i oktober", "oktober-udgivelsen",
/// "ude i oktober") or the data's ("maj-data", "data for maj", "tal for maj").
pub(super) fn month_role(before: Option<&str>, after: &[Sense]) -> MonthRole {
    let release_words = [
        "i", "in", "primo", "medio", "ultimo", "start", "starten", "midt", "slut",
    ];
    if after
        .iter()
        .any(|s| matches!(s, Sense::General | Sense::MonthRelease))
        || before.is_some_and(|w| release_words.contains(&w))
    {
        MonthRole::Release
    } else {
        MonthRole::Data
    }
}

#[derive(Default)]
pub(super) struct Accum<'a> {
    pub(super) areas: Vec<AreaId>,
    pub(super) named: Vec<AreaId>,
    pub(super) groups: Vec<Group>,
    pub(super) cues: Cues,
    pub(super) general: bool,
    pub(super) data: bool,
    pub(super) month: Option<u32>,
    pub(super) month_role: MonthRole,
    pub(super) year: Option<i32>,
    pub(super) unknown: Vec<&'a str>,
    /// A capitalised name inside a sentence that the lexicon does not know.
    pub(super) foreign: bool,
    /// Words that are neither names nor cues (ordinary or unknown).
    pub(super) other_words: usize,
    /// Of those, the ones that say what the text is about (not stop words).
    pub(super) content_words: usize,
    /// "ikke", "not": turns a works word into a problem.
    pub(super) negated: bool,
    /// The text held nothing but white space and markup.
    pub(super) blank: bool,
    /// The text asks something (a question mark, "jeg ville høre om"): a name in a question
    /// is asked about.
    pub(super) question: bool,
    /// The text speaks to the bot ("du", "dig", "you").
    pub(super) to_the_bot: bool,
    /// What the words around the names say (`relevance.rs`).
    pub(super) evidence: Evidence<'a>,
    /// "hvor mange": a count is asked.
    pub(super) quantity: bool,
    /// An overview asked of something else: "oversigt over mødelokaler", "an overview of
    /// yesterday's meeting" (a content word follows "over"/"of" before any FLIS word).
    pub(super) overview_of_other: bool,
    /// A month named as a point ahead ("primo november").
    pub(super) month_point: bool,
    /// Areas named right after "ikke", "uden", "minus" … (`Sense::Exclude`), as bits.
    pub(super) excluded: u32,
    /// A correction ("nej vent", `Sense::Correction`) was read: the areas named before the
    /// last one, and those named after it, as bits (only counted once one was read).
    pub(super) corrected: bool,
    pub(super) named_before_correction: u32,
    pub(super) named_after_correction: u32,
    /// Per sentence (`SENTENCES`, later ones count as the last): the areas it names (bits),
    /// whether it holds a cue of a question about data (bit per sentence), and its content
    /// words.
    pub(super) sentence_areas: [u32; SENTENCES],
    pub(super) sentence_cue: u8,
    /// Per cue (`Cue as usize`), the sentences it stands in (bits).
    pub(super) cue_sentences: [u8; CUES],
    /// The sentences that speak to the bot (bits).
    pub(super) sentence_bot: u8,
    pub(super) sentence_content: [u8; SENTENCES],
}

/// Sentences told apart by the per-sentence counts.
pub(super) const SENTENCES: usize = 8;

/// An area as a bit.
pub(super) fn area_bit(a: AreaId) -> u32 {
    1 << (a as u32)
}

impl<'a> Accum<'a> {
    pub(super) fn add(&mut self, sense: Sense, parser: &Parser) {
        match sense {
            Sense::Area(a) => {
                self.push_area(a);
                if !self.named.contains(&a) {
                    self.named.push(a);
                }
            }
            Sense::Group(g) => {
                if !self.groups.contains(&g) {
                    self.groups.push(g);
                }
                if let Some((_, members)) = parser.groups().iter().find(|(pg, _)| *pg == g) {
                    for a in members.iter() {
                        self.push_area(*a);
                    }
                }
            }
            Sense::General => self.general = true,
            Sense::Data => self.data = true,
            Sense::Cue(c) => self.cues.insert(c),
            Sense::Month(m) => {
                self.month.get_or_insert(m);
            }
            Sense::Filler | Sense::Exclude | Sense::Correction | Sense::MonthRelease => {}
            Sense::Negation => self.negated = true,
            Sense::Quantity => self.quantity = true,
            Sense::Asking => self.question = true,
            Sense::Addressee => self.to_the_bot = true,
        }
    }

    /// As `add`, for a word in sentence `sentence`: what each sentence names and asks is kept
    /// apart too.
    pub(super) fn add_in(&mut self, sense: Sense, sentence: usize, parser: &Parser) {
        let s = sentence.min(SENTENCES - 1);
        let named = match sense {
            Sense::Area(a) => area_bit(a),
            Sense::Group(g) => parser
                .group_members(g)
                .iter()
                .fold(0, |m, a| m | area_bit(*a)),
            _ => 0,
        };
        self.sentence_areas[s] |= named;
        if self.corrected {
            self.named_after_correction |= named;
        }
        match sense {
            Sense::Correction => {
                self.corrected = true;
                self.named_before_correction = self.sentence_areas.iter().fold(0, |m, b| m | b);
                self.named_after_correction = 0;
            }
            Sense::Cue(c) => {
                if DATA_CUES.contains(c) {
                    self.sentence_cue |= 1 << s;
                }
                if let Some(bits) = self.cue_sentences.get_mut(c as usize) {
                    *bits |= 1 << s;
                }
            }
            Sense::Addressee => self.sentence_bot |= 1 << s,
            _ => {}
        }
        self.add(sense, parser);
    }

    /// Whether the text ends in a sentence that names an area and asks about data with no
    /// other content word, and counts nothing: "… Er YR opdateret?" (but not "Er Aula nede?
    /// Forældrene kan ikke logge ind", where what follows says what it is about).
    pub(super) fn plain_data_question(&self) -> bool {
        !self.quantity
            && (0..SENTENCES).any(|s| {
                self.sentence_areas[s] != 0
                    && self.sentence_cue & (1 << s) != 0
                    && self.sentence_content[s] == 0
                    && self.sentence_content[s + 1..].iter().all(|&c| c == 0)
            })
    }

    /// A content word (ordinary but no stop word, or unknown) in sentence `sentence`.
    pub(super) fn content_in(&mut self, sentence: usize) {
        let s = sentence.min(SENTENCES - 1);
        self.sentence_content[s] = self.sentence_content[s].saturating_add(1);
    }

    /// Leaves out the areas of `keep`'s complement, and the groups none of whose areas is left.
    fn retain_areas(&mut self, keep: u32, parser: &Parser) {
        self.areas.retain(|a| keep & area_bit(*a) != 0);
        self.named.retain(|a| keep & area_bit(*a) != 0);
        self.groups.retain(|g| {
            parser
                .group_members(*g)
                .iter()
                .any(|a| keep & area_bit(*a) != 0)
        });
    }

    /// Which areas the question asks about, of those it names: not those taken back by a
    /// correction ("ky… nej vent, kp"), not those named right after
    /// "ikke"/"uden"/"minus" ("ikke DREAM men KRL", "beskæftigelse uden DFDG"), and, when a
    /// sentence naming areas asks something of them, not those named only in sentences that
    /// ask nothing and speak of other things ("Vi har haft besøg af revisionen, der spurgte
    /// til kontanthjælp. Er YR opdateret?"). Never all of them: a question about one area
    /// keeps it.
    pub(super) fn focus(&mut self, parser: &Parser) {
        let named: u32 = self
            .areas
            .iter()
            .map(|a| area_bit(*a))
            .fold(0, |m, b| m | b);
        let all = self.cues.contains(Cue::All) || self.cues.contains(Cue::Overview);
        // "status aula… nej vent, jeg mente dagtilbud": only what comes after the correction,
        // when it names an area.
        let taken_back = self.named_before_correction & !self.named_after_correction;
        if self.named_after_correction != 0 && taken_back != 0 {
            self.retain_areas(!taken_back, parser);
        }
        if self.excluded != 0 && (named & !self.excluded != 0 || all) {
            // "alle områder undtagen DFDG": all but those; the overview says them all.
            self.retain_areas(!self.excluded, parser);
        }
        let asked: u32 = (0..SENTENCES)
            .filter(|s| self.sentence_cue & (1 << s) != 0)
            .map(|s| self.sentence_areas[s])
            .fold(0, |m, b| m | b);
        if asked == 0 {
            return;
        }
        let aside: u32 = (0..SENTENCES)
            .filter(|&s| self.sentence_cue & (1 << s) == 0 && self.sentence_content[s] > 0)
            .map(|s| self.sentence_areas[s])
            .fold(0, |m, b| m | b);
        let drop = aside & !asked;
        let left: u32 = self
            .areas
            .iter()
            .map(|a| area_bit(*a))
            .fold(0, |m, b| m | b);
        if drop != 0 && left & !drop != 0 {
            self.retain_areas(!drop, parser);
        }
    }

    fn push_area(&mut self, a: AreaId) {
        if !self.areas.contains(&a) {
            self.areas.push(a);
        }
    }

    /// A cue of a question about data: when, how often, coming, arrived, status, why,
    /// missing, a problem, whether it works.
    pub(super) fn data_cue(&self) -> bool {
        self.cues.meets(DATA_CUES)
    }

    pub(super) fn unknown(&mut self, w: &'a str) {
        // Cheapest checks first: hostile text brings many unknown words, few are reported.
        if self.unknown.len() < MAX_UNKNOWN_REPORTED
            && !self.unknown.contains(&w)
            && chars(w) <= MAX_WORD_CHARS
            && w.chars().filter(|c| is_alphabetic(*c)).count() >= 2
        {
            self.unknown.push(w);
        }
    }
}

/// The cues of a question about data: when, how often, coming, arrived, status, why, missing,
/// a problem, whether it works.
const DATA_CUES: Cues = Cues::of(&[
    Cue::When,
    Cue::HowOften,
    Cue::Coming,
    Cue::Arrived,
    Cue::Status,
    Cue::Why,
    Cue::Missing,
    Cue::Problem,
    Cue::Works,
]);

/// A set of cues, a bit each (`Cue as u32`): every question has one, and a set of bits needs
/// no allocation, as a list would. The rules only ask what is in it, never in what order.
#[derive(Clone, Copy, Default)]
pub(super) struct Cues(u32);

const _: () = assert!(CUES <= 32);

impl Cues {
    const fn of(cues: &[Cue]) -> Cues {
        let mut bits = 0;
        let mut i = 0;
        while i < cues.len() {
            bits |= 1 << cues[i] as u32;
            i += 1;
        }
        Cues(bits)
    }

    pub(super) fn contains(self, c: Cue) -> bool {
        self.0 & 1 << c as u32 != 0
    }

    fn insert(&mut self, c: Cue) {
        self.0 |= 1 << c as u32;
    }

    fn remove(&mut self, c: Cue) {
        self.0 &= !(1 << c as u32);
    }

    /// Whether every cue here is one of `others` (true when there is none).
    fn within(self, others: Cues) -> bool {
        self.0 & !others.0 == 0
    }

    /// Whether some cue here is one of `others`.
    fn meets(self, others: Cues) -> bool {
        self.0 & others.0 != 0
    }
}

/// How many characters `s` has (its length, when it is ASCII).
pub(super) fn chars(s: &str) -> usize {
    if s.is_ascii() {
        s.len()
    } else {
        s.chars().count()
    }
}
