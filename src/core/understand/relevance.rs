//! Whether the names in a question the rules read as about FLIS data are used in their
//! everyday sense. Many area names are ordinary words ("skole", "pension", "ældre",
//! "personale", "dream"), and a sentence that uses one of them for the thing itself ("min søn
//! starter i 0. klasse på skolen", "hvornår kan jeg gå på pension", "har nogen en ældre
//! version af Excel-skabelonen?") differs from a FLIS question in the words around it: it
//! speaks of other things (several content words), of a person's own ("min", "jeg"), and
//! nothing in it is FLIS' alone (no name that is only a name, no data or release word, no
//! month).

use super::decide::{Accum, SENTENCES};
use super::parser::Parser;
use super::sense::Cue;

/// Possessive pronouns that make the next name something of a person's ("min datter", "min
/// ældre bror", "my grandma"), never FLIS' ("vores økonomidata" is FLIS').
pub(super) const POSSESSIVES: [&str; 17] = [
    "min", "mit", "mine", "din", "dit", "dine", "hans", "hendes", "sin", "sit", "sine", "deres",
    "my", "your", "his", "her", "their",
];

/// First-person singular (and generic "man"): someone speaking of their own affairs.
const FIRST_PERSON: [&str; 8] = ["jeg", "mig", "min", "mit", "mine", "my", "me", "man"];

/// A name (of an area or a group) as the question wrote it.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct NameSeen {
    /// The name is an ordinary word too ("skole", "pension"), not only a name ("fsiii").
    pub common: bool,
    /// A possessive pronoun stands right before it.
    pub possessed: bool,
    /// Its sentence.
    pub sentence: usize,
}

/// What the words around the names say, per sentence, collected while the words are read.
#[derive(Default)]
pub(super) struct Evidence<'a> {
    /// Content words (ordinary words that are no stop words, and unknown words) of two letters
    /// or more, with their sentence; the first `MAX_SEEN` (kept in place: no allocation).
    content: [(&'a str, usize); MAX_SEEN],
    n_content: usize,
    /// Per sentence (bit): someone speaks of their own affairs ("jeg", "min").
    first_person: u8,
    names: [NameSeen; MAX_SEEN],
    n_names: usize,
}

/// At most this many names and content words are kept.
const MAX_SEEN: usize = 12;

fn sentence(s: usize) -> usize {
    s.min(SENTENCES - 1)
}

impl<'a> Evidence<'a> {
    /// A content word in sentence `s`.
    pub(super) fn content(&mut self, w: &'a str, s: usize) {
        if w.chars().nth(1).is_some() {
            if let Some(slot) = self.content.get_mut(self.n_content) {
                *slot = (w, sentence(s));
                self.n_content += 1;
            }
        }
    }

    pub(super) fn name(&mut self, name: NameSeen) {
        if let Some(slot) = self.names.get_mut(self.n_names) {
            *slot = NameSeen {
                sentence: sentence(name.sentence),
                ..name
            };
            self.n_names += 1;
        }
    }

    fn names(&self) -> &[NameSeen] {
        &self.names[..self.n_names]
    }

    /// Someone speaks of their own affairs somewhere in the text ("min", "jeg").
    pub(super) fn speaks_of_own(&self) -> bool {
        self.first_person != 0
    }

    pub(super) fn pronoun(&mut self, w: &str, s: usize) {
        // Every first-person word is short and starts with j or m: most words are none.
        if w.len() <= 4
            && matches!(w.as_bytes().first(), Some(b'j' | b'm'))
            && FIRST_PERSON.contains(&w)
        {
            self.first_person |= 1 << sentence(s);
        }
    }
}

impl Accum<'_> {
    /// Whether the question is about something else than FLIS though the rules read it as a
    /// FLIS question: nothing in it is FLIS' alone (a name that is only a name, a release word,
    /// a month, two words of FLIS' world; a data word only where the question does not speak
    /// of several other things), and each sentence with a name speaks of a person's own thing
    /// ("min ældre bror"), of three other things, of two without asking for a status or
    /// whether data is out, or of one in the first person without asking that.
    pub(super) fn everyday_sense(&self, parser: &Parser) -> bool {
        let ev = &self.evidence;
        let first_person = |s: usize| ev.first_person & (1 << s) != 0;
        // The cheap tests first: most questions end here.
        if (ev.names().is_empty() && !self.data)
            || ev.names().iter().any(|n| !n.common)
            || self.general
            || self.month.is_some()
        {
            return false;
        }
        // Content words of another subject, per sentence; those of FLIS' world apart.
        let mut other = [0usize; SENTENCES];
        let mut context = 0;
        for (w, s) in &ev.content[..ev.n_content] {
            if parser.is_context(w) {
                context += 1;
            } else {
                other[*s] += 1;
            }
        }
        let flis_only = context >= 2;
        let total: usize = other.iter().sum();
        let data_flis = self.data && !(total >= 3 || (total >= 2 && ev.first_person != 0));
        if flis_only || data_flis {
            return false;
        }
        if ev.names().is_empty() {
            // No name: a data word among several other things ("hvornår kommer min nye
            // data-sim"), unless an overview is asked for.
            return self.data && !self.cues.contains(Cue::Overview);
        }
        let asks_data = self.cues.contains(Cue::Status) || self.cues.contains(Cue::Arrived);
        ev.names().iter().all(|n| {
            let o = other[n.sentence];
            n.possessed
                || o >= 3
                || (o >= 2 && !asks_data)
                || (o >= 1 && first_person(n.sentence) && !asks_data)
        })
    }
}
