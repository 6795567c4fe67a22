use std::cell::RefCell;

use super::decide::{area_bit, chars, decide, month_role, Accum, MONTH_POINTS};
use super::distance::osa_within;
use super::fuzzy::DeletionIndex;
use super::intent_model;
use super::memo::TokenMemo;
use super::normalize::{fold_into, Folded, MAX_WORD_CHARS};
use super::parsed::Parsed;
use super::relevance::{NameSeen, POSSESSIVES};
use super::rules::{has_prefix, inflects, letter_mask};
use super::sense::{Cue, NAME_RANK};
use super::tables::{Phrase, Tables, INTENT_MODEL, TABLES, WORD_SET};
use super::words::{ordinary_where, prefix4_bit, stem_danish_cow, Ordinary};
use crate::core::catalogue::{AreaId, Group};

pub(super) use super::tables::Sense;

#[derive(Clone, Copy)]
enum Slot<'a> {
    Known(u32),
    Year(i32),
    /// A one- or two-digit number: a month beside a year ("2025-08", "8/2025").
    Num(u32),
    /// An ordinary Danish or English word the lexicon does not know: the question is (also)
    /// about something; `name` when written with a capital inside a sentence ("Teams").
    Word {
        text: &'a str,
        name: bool,
        content: bool,
    },
    /// Neither a lexicon word nor an ordinary word: a name we do not know, or a bad typo.
    Unknown {
        text: &'a str,
        name: bool,
    },
}

/// What a slot's token was, beside what it was read as.
#[derive(Clone, Copy)]
struct Meta<'a> {
    text: &'a str,
    /// Written with a capital inside a sentence.
    capital: bool,
    /// Written in capitals only ("DREAM"): a name, not the everyday word.
    shouted: bool,
    sentence: usize,
    /// Follows a comma: a phrase does not reach across one ("skole, dagtilbud").
    after_comma: bool,
}

/// At most this many unknown words per question are tried against the vocabulary by edit
/// distance, so hostile text costs linear time.
const FUZZY_BUDGET: usize = 24;

/// What `Parser::reading` made of a token: a lexicon word (in another inflection, or one typo
/// away), a name and a compound tail or two cue words in one, an ordinary word, or nothing.
#[derive(Clone, Copy, Default)]
enum Reading {
    Known(u32),
    Two(u32, u32),
    Word,
    #[default]
    Unknown,
}

thread_local! {
    static READINGS: RefCell<TokenMemo<Reading>> = const { RefCell::new(TokenMemo::EMPTY) };
    /// The same for two words written together (`Parser::joined_reading`).
    static JOINED_READINGS: RefCell<TokenMemo<Reading>> = const { RefCell::new(TokenMemo::EMPTY) };
    /// Whether a token is a word of FLIS' world (`Parser::is_context`): asked of every content
    /// word of every question, and answered by stemming.
    static CONTEXT: RefCell<TokenMemo<bool>> = const { RefCell::new(TokenMemo::EMPTY) };
    /// The cue or name one edit from a token that starts a phrase (`Parser::phrase_at`).
    static PHRASE_TYPOS: RefCell<TokenMemo<Option<u32>>> = const { RefCell::new(TokenMemo::EMPTY) };
}

/// The question parser over the tables `build.rs` laid out from the lexicon (`tables.rs`):
/// vocabulary, phrases, inflections by stem, compound tails and the typo index.
pub struct Parser {
    pub(super) t: &'static Tables,
}

impl Parser {
    fn vocab(&self, tok: &str) -> Option<u32> {
        self.t.words.get(tok)
    }

    fn word(&self, id: u32) -> &'static str {
        self.t.words.key(id)
    }

    fn rank(&self, id: u32) -> u8 {
        self.t
            .word_rank
            .get(id as usize)
            .copied()
            .unwrap_or_default()
    }

    /// The phrases starting with word `id`, longest first.
    fn phrases(&self, id: u32) -> &'static [Phrase] {
        let at = |i: usize| self.t.phrase_start.get(i).map(|&s| s as usize);
        match (at(id as usize), at(id as usize + 1)) {
            (Some(a), Some(b)) => self.t.phrases.get(a..b).unwrap_or_default(),
            _ => &[],
        }
    }

    /// Whether `tok` is an ordinary Danish or English word (`words::ordinary`).
    fn is_ordinary(&self, tok: &str) -> bool {
        let t = self.t;
        let stem = |w: &str| has_prefix(t.list_stem_prefixes, w) || has4(t.list_stem_prefixes4, w);
        let contains = |key: &[u8]| WORD_SET.contains(key);
        ordinary_where(tok, contains, |w| has4(t.listed_prefixes, w), stem) != Ordinary::No
    }

    /// Whether `tok` is a word of FLIS' world (`Tables::context`), in any inflection.
    pub(super) fn is_context(&self, tok: &str) -> bool {
        TokenMemo::get_or_put(&CONTEXT, tok, || self.is_context_uncached(tok))
    }

    fn is_context_uncached(&self, tok: &str) -> bool {
        let c = &self.t.context;
        // A stem is a prefix of its token, of three letters or more when the token has three
        // (`words::ordinary_where` rests on the same): a token of three letters or more that
        // starts like no context word has no stem among them, and is not stemmed.
        c.contains(tok)
            || tok.strip_suffix('s').is_some_and(|t| c.contains(t))
            || ((tok.len() < 3 || has_prefix(self.t.context_prefixes, tok))
                && c.contains(&stem_danish_cow(tok)))
    }

    fn fuzzy_index(&self) -> DeletionIndex<'static> {
        self.t.fuzzy
    }

    /// Each group's areas as the default catalogue has them.
    pub(super) fn groups(&self) -> &'static [(Group, &'static [AreaId])] {
        self.t.groups
    }

    /// The areas of group `g`.
    pub(super) fn group_members(&self, g: Group) -> &'static [AreaId] {
        self.t
            .groups
            .iter()
            .find(|(pg, _)| *pg == g)
            .map_or(&[], |(_, m)| m)
    }

    /// The areas `text` names as a whole (an id, name or alias, folded but with no typo
    /// allowance), for commands that change things: `None` if it is no such name.
    pub fn exact_areas(&self, text: &str) -> Option<Vec<AreaId>> {
        let ids: Vec<u32> = fold_tokens(text)
            .iter()
            .map(|t| self.vocab(t))
            .collect::<Option<_>>()?;
        let phrase = self
            .phrases(*ids.first()?)
            .iter()
            .find(|p| *p.ids == ids[..])?;
        let mut acc = Accum::default();
        for s in phrase.senses {
            acc.add(*s, self);
        }
        (!acc.areas.is_empty()).then_some(acc.areas)
    }

    /// Areas for an autocomplete box: those whose name or alias starts with what was typed,
    /// then those it resembles; all areas for empty input. At most `max`.
    pub fn complete(&self, partial: &str, max: usize) -> Vec<AreaId> {
        let typed: Vec<String> = fold_tokens(partial);
        if typed.is_empty() {
            return AreaId::ALL.iter().copied().take(max).collect();
        }
        let joined = typed.join(" ");
        let mut out: Vec<AreaId> = Vec::new();
        let push = |a: AreaId, out: &mut Vec<AreaId>| {
            if !out.contains(&a) && out.len() < max {
                out.push(a);
            }
        };
        for (word, _, area, _) in self.t.suggestion_words {
            if word.starts_with(joined.as_str()) || word.starts_with(typed[0].as_str()) {
                push(*area, &mut out);
            }
        }
        if let Some(areas) = self.exact_areas(partial) {
            for a in areas {
                push(a, &mut out);
            }
        }
        let parsed = self.parse(partial);
        for a in parsed.areas.into_iter().chain(parsed.suggestions) {
            push(a, &mut out);
        }
        out
    }

    /// How each word of `text` was read, for people tuning the lexicon (`flisbot parse
    /// --explain`): "exact", "inflection of …", "compound …", "ordinary word", "typo of …",
    /// "unknown".
    pub fn explain(&self, text: &str) -> Vec<(String, String)> {
        let folded = super::normalize::fold(text);
        let name = |id: u32| self.word(id).to_owned();
        folded
            .tokens()
            .map(|tok| {
                let how = if self.vocab(tok).is_some() {
                    "exact".to_owned()
                } else if let Some(id) = self.inflected(tok).filter(|_| tok.len() >= 4) {
                    format!("inflection of {}", name(id))
                } else if let Some((h, t)) = self.split_compound(tok).filter(|_| tok.len() >= 4) {
                    format!("compound {} + {}", name(h), name(t))
                } else if self.t.stop_words.contains(tok) {
                    "stop word".to_owned()
                } else if let Some((h, t)) = self.split_cue_compound(tok) {
                    format!("compound {} + {}", name(h), name(t))
                } else if self.is_ordinary(tok) {
                    "ordinary word".to_owned()
                } else if let Some(id) = self.fuzzy(tok, 2) {
                    format!("typo of {}", name(id))
                } else {
                    "unknown".to_owned()
                };
                (tok.to_owned(), how)
            })
            .collect()
    }

    /// What the intent model makes of `text`, for people weighing it against the rules
    /// (`flisbot parse --explain`): each intent's probability, to three decimals.
    pub fn model_reading(&self, text: &str) -> Vec<(&'static str, f64)> {
        let p = intent_probabilities(&super::normalize::fold(text));
        intent_model::CLASSES
            .into_iter()
            .zip(p.map(|v| (f64::from(v) * 1000.0).round() / 1000.0))
            .collect()
    }

    /// Understands one question. Never panics, whatever the text.
    pub fn parse(&self, text: &str) -> Parsed {
        let mut buf = Folded::default();
        self.parse_with(text, &mut buf)
    }

    /// As `parse`, reusing `buf` between calls (the `flisbot parse` hot loop).
    pub fn parse_with(&self, text: &str, buf: &mut Folded) -> Parsed {
        fold_into(text, buf);
        let model = intent_probabilities(buf);
        let acc = self.read(text, buf);
        decide(self, acc, buf.spans.is_empty(), model)
    }

    /// Reads the words of `text` (folded as `buf`): what they name and cue.
    fn read<'b>(&self, text: &str, buf: &'b Folded) -> Accum<'b> {
        let mut slots: Vec<Slot> = Vec::with_capacity(buf.spans.len() + 4);
        let mut meta: Vec<Meta> = Vec::with_capacity(buf.spans.len() + 4);
        let mut budget = FUZZY_BUDGET;
        let token = |j: usize| buf.spans.get(j).and_then(|&(s, e)| buf.text.get(s..e));
        let mut skip_next = false;
        // The next token's lexicon id, when `split_name` looked it up: each token is looked up
        // once, not up to three times (as the next word, then as itself twice).
        let mut lookahead: Option<Option<u32>> = None;
        for (i, tok) in buf.tokens().enumerate() {
            if std::mem::take(&mut skip_next) {
                lookahead = None;
                continue;
            }
            let known = lookahead.take().unwrap_or_else(|| self.vocab(tok));
            let name = buf.capitalised.get(i).copied().unwrap_or_default();
            let first = slots.len();
            let next = token(i + 1).filter(|_| {
                !buf.breaks.get(i + 1).copied().unwrap_or_default()
                    && buf.sentences.get(i + 1) == buf.sentences.get(i)
            });
            match next.and_then(|n| self.split_name(tok, known, n, &mut lookahead, &mut budget)) {
                Some(ids) => {
                    slots.extend(ids.into_iter().flatten().map(Slot::Known));
                    skip_next = true;
                }
                None => self.resolve(tok, known, name, &mut slots, &mut budget),
            }
            let m = Meta {
                text: tok,
                capital: name,
                shouted: buf.shouted.get(i).copied().unwrap_or_default(),
                sentence: usize::from(buf.sentences.get(i).copied().unwrap_or_default()),
                after_comma: false,
            };
            meta.resize(slots.len(), m);
            if let Some(m) = meta.get_mut(first) {
                m.after_comma = buf.breaks.get(i).copied().unwrap_or_default();
            }
        }
        let text_at = |j: usize| meta.get(j).map(|m| m.text);
        let capital_at = |j: usize| meta.get(j).is_some_and(|m| m.capital);
        let mut acc = Accum {
            blank: !buf.visible,
            question: text.contains('?'),
            ..Accum::default()
        };
        // Where the last "ikke"/"uden"/"minus" ended: a name there, or one word on, is left out.
        let mut exclude_end: Option<usize> = None;
        // Where the last month ended: "pakke" there is the month's release.
        let mut month_end: Option<usize> = None;
        let mut i = 0;
        while i < slots.len() {
            let sentence = meta.get(i).map_or(0, |m| m.sentence);
            if let Some(text) = text_at(i) {
                acc.evidence.pronoun(text, sentence);
            }
            // "vh Anne": a signature, not VH.
            let signature =
                capital_at(i + 1) && text_at(i).is_some_and(|t| self.t.sign_offs.contains(&t));
            if let Some(ph) = self.phrase_at(&slots, &meta, i).filter(|_| !signature) {
                // A name joined to a data word ("økonomi-tallene", "skoledata") is FLIS'.
                let with_data = matches!(slots.get(i + ph.ids.len()), Some(Slot::Known(next))
                    if self.phrases(*next).iter().any(|p| p.ids.len() == 1 && p.senses.contains(&Sense::Data)));
                if ph
                    .senses
                    .iter()
                    .any(|s| matches!(s, Sense::Area(_) | Sense::Group(_)))
                {
                    let first = ph.ids.first().copied().unwrap_or_default();
                    let word = self.word(first);
                    acc.evidence.name(NameSeen {
                        // An ordinary word of four letters or more, alone ("skole", "pension";
                        // not "KY", "borger flex"), or a name that starts with a possessive
                        // and is not written as a name ("min uddannelse", not "Min Uddannelse").
                        common: (ph.ids.len() == 1
                            && word.len() >= 4
                            && !with_data
                            && !meta.get(i).is_some_and(|m| m.shouted)
                            && self
                                .t
                                .word_common
                                .get(first as usize)
                                .copied()
                                .unwrap_or_default())
                            || (POSSESSIVES.contains(&word) && !capital_at(i + 1)),
                        sentence,
                        possessed: i
                            .checked_sub(1)
                            .and_then(text_at)
                            .is_some_and(|t| POSSESSIVES.contains(&t)),
                    });
                }
                let before = i.checked_sub(1).and_then(text_at);
                let after = slots.get(i + ph.ids.len()).and_then(|s| match s {
                    Slot::Known(next) => self
                        .phrases(*next)
                        .iter()
                        .find(|p| p.ids.len() == 1)
                        .map(|p| p.senses),
                    _ => None,
                });
                let names = ph
                    .senses
                    .iter()
                    .any(|s| matches!(s, Sense::Area(_) | Sense::Group(_)));
                let excluded = names
                    && exclude_end.is_some_and(|e| {
                        e == i
                            || (e + 1 == i
                                && !matches!(slots[e], Slot::Known(k) if self.rank(k) == NAME_RANK))
                    });
                // An adjective in -e before a noun says what the thing is, not how often
                // something happens: "vores årlige rapport" (but "er STIL-data kun årlige?").
                let attributive = ph.ids.len() == 1
                    && text_at(i).is_some_and(|t| t.ends_with("ige"))
                    && matches!(
                        slots.get(i + 1),
                        Some(Slot::Word { content: true, .. } | Slot::Unknown { .. })
                    );
                for s in ph.senses {
                    if attributive && matches!(s, Sense::Cue(Cue::HowOften)) {
                        continue;
                    }
                    match s {
                        Sense::Month(_) => {
                            acc.month_role = month_role(before, after.unwrap_or(&[]));
                            acc.month_point |= before.is_some_and(|w| MONTH_POINTS.contains(&w));
                            month_end = Some(i + ph.ids.len());
                        }
                        Sense::Exclude => exclude_end = Some(i + ph.ids.len()),
                        Sense::Cue(Cue::Overview) => {
                            acc.overview_of_other |= self.of_other(&slots, &meta, i + ph.ids.len());
                        }
                        Sense::MonthRelease if month_end == Some(i) => {
                            acc.add_in(Sense::General, sentence, self);
                        }
                        Sense::Area(a) if excluded => {
                            acc.excluded |= area_bit(*a);
                            // "minus KY og KP": the next name is left out too.
                            let end = i + ph.ids.len();
                            if meta.get(end).is_some_and(|m| {
                                !m.after_comma && ["og", "and", "eller", "or"].contains(&m.text)
                            }) {
                                exclude_end = Some(end);
                            }
                        }
                        Sense::Group(g) if excluded => {
                            for a in self.group_members(*g) {
                                acc.excluded |= area_bit(*a);
                            }
                        }
                        _ => {}
                    }
                    acc.add_in(*s, sentence, self);
                }
                i += ph.ids.len();
                continue;
            }
            match slots[i] {
                Slot::Known(id) => {
                    let alone = self
                        .t
                        .alone
                        .get(id as usize)
                        .copied()
                        .filter(|&a| a != u32::MAX);
                    match alone.and_then(|a| self.phrases(a).iter().find(|p| p.ids.len() == 1)) {
                        Some(ph) => {
                            for s in ph.senses {
                                acc.add_in(*s, sentence, self);
                            }
                        }
                        None => {
                            acc.other_words += 1;
                            // A word only known inside a phrase ("spørger"): content to its
                            // sentence, unless a stop word.
                            if !self.t.stop_words.contains(self.word(id)) {
                                acc.content_in(sentence);
                            }
                        }
                    }
                }
                Slot::Year(y) => {
                    acc.year = Some(y);
                    // "2025-08" or "8/2025": a month number beside the year.
                    let beside = [
                        slots.get(i + 1),
                        i.checked_sub(1).and_then(|j| slots.get(j)),
                    ];
                    for s in beside.into_iter().flatten() {
                        if let Slot::Num(m @ 1..=12) = s {
                            acc.month.get_or_insert(*m);
                        }
                    }
                }
                Slot::Num(_) => {}
                Slot::Word {
                    text,
                    name,
                    content,
                } => {
                    acc.other_words += 1;
                    acc.content_words += usize::from(content);
                    acc.foreign |= name;
                    if content {
                        acc.evidence.content(text, sentence);
                        if !self.is_context(text) {
                            acc.content_in(sentence);
                        }
                    }
                }
                Slot::Unknown { text, name } => {
                    acc.other_words += 1;
                    acc.content_words += 1;
                    acc.foreign |= name;
                    acc.unknown(text);
                    acc.evidence.content(text, sentence);
                    acc.content_in(sentence);
                }
            }
            i += 1;
        }
        acc
    }

    /// Reads one token, `known` its lexicon id if it has one.
    fn resolve<'a>(
        &self,
        tok: &'a str,
        known: Option<u32>,
        name: bool,
        out: &mut Vec<Slot<'a>>,
        budget: &mut usize,
    ) {
        if let Some(id) = known {
            out.push(Slot::Known(id));
            return;
        }
        if tok.bytes().all(|b| b.is_ascii_digit()) {
            match (tok.len(), tok.parse::<i32>()) {
                (4, Ok(y)) if (1990..=2100).contains(&y) => out.push(Slot::Year(y)),
                (1 | 2, Ok(n)) => out.push(Slot::Num(n.unsigned_abs())),
                _ => {}
            }
            return;
        }
        // Folding leaves every lexicon word and every listed word in a–z, and the stop words
        // too when they are all ASCII: a token with other letters is none of them, whatever
        // its spelling.
        if !tok.is_ascii() && self.t.stop_words.ascii {
            out.push(Slot::Unknown { text: tok, name });
            return;
        }
        let n = chars(tok);
        if n > MAX_WORD_CHARS || *budget == 0 {
            out.push(Slot::Unknown { text: tok, name });
            return;
        }
        if self.t.stop_words.contains(tok) {
            out.push(Slot::Word {
                text: tok,
                name,
                content: false,
            });
            return;
        }
        // Folding leaves every lexicon word and every listed word in a–z: a token with other
        // letters is none of them, whatever its spelling.
        if !tok.is_ascii() {
            out.push(Slot::Unknown { text: tok, name });
            return;
        }
        *budget -= 1;
        let reading = TokenMemo::get_or_put(&READINGS, tok, || self.reading(tok));
        match reading {
            Reading::Known(id) => out.push(Slot::Known(id)),
            Reading::Two(head, tail) => {
                out.push(Slot::Known(head));
                out.push(Slot::Known(tail));
            }
            // No stop word: those were read above.
            Reading::Word => out.push(Slot::Word {
                text: tok,
                name,
                content: true,
            }),
            Reading::Unknown => out.push(Slot::Unknown { text: tok, name }),
        }
    }

    /// What `resolve` reads an ASCII token that is no lexicon word, number or stop word as:
    /// a function of the token's text alone.
    fn reading(&self, tok: &str) -> Reading {
        let n = chars(tok);
        if n >= 4 {
            if let Some(id) = self.inflected(tok) {
                return Reading::Known(id);
            }
            if let Some((head, tail)) = self.split_compound(tok) {
                return Reading::Two(head, tail);
            }
            // Two cue words in one ("statusoversigt", "driftsoverblik") before the
            // dictionary, which may list the compound as an ordinary word.
            if let Some((head, tail)) = self.split_cue_compound(tok) {
                return Reading::Two(head, tail);
            }
        }
        if self.is_ordinary(tok) {
            return Reading::Word;
        }
        if n >= 4 {
            if let Some(id) = self.fuzzy(tok, 2) {
                return Reading::Known(id);
            }
        }
        Reading::Unknown
    }

    /// Whether the words from slot `at` say what an overview is of, and it is something else:
    /// "over"/"of" and a content word before any name, FLIS or cue word, in one sentence
    /// ("oversigt over mødelokaler", not "oversigt over alle områder").
    fn of_other(&self, slots: &[Slot<'_>], meta: &[Meta], at: usize) -> bool {
        const OF: [&str; 4] = ["over", "of", "af", "about"];
        let Some(m) = meta.get(at).filter(|m| OF.contains(&m.text)) else {
            return false;
        };
        for (slot, next) in slots.iter().zip(meta).skip(at + 1) {
            if next.sentence != m.sentence {
                return false;
            }
            match slot {
                Slot::Word {
                    content: true,
                    text,
                    ..
                }
                | Slot::Unknown { text, .. }
                    if !self.is_context(text) =>
                {
                    return true
                }
                Slot::Known(id) if self.rank(*id) >= 2 => return false,
                // A word known only inside a phrase ("ferie" of "god ferie") is content too.
                Slot::Known(id) if !self.t.stop_words.contains(self.word(*id)) => return true,
                _ => {}
            }
        }
        false
    }

    /// A name written in two words ("nøgle tal", "dag tilbud", "borger flexdata"): the name
    /// (and a compound tail) the two make together, when they are not both lexicon words
    /// already.
    ///
    /// `known` is `tok`'s lexicon id; `next`'s, when looked up here, is left in `next_known`.
    fn split_name(
        &self,
        tok: &str,
        known: Option<u32>,
        next: &str,
        next_known: &mut Option<Option<u32>>,
        budget: &mut usize,
    ) -> Option<[Option<u32>; 2]> {
        const MAX: usize = 40;
        // The cheap tests first: most pairs of words make no name.
        if tok.len() < 3
            || next.len() < 3
            || tok.len() + next.len() > MAX
            || *budget == 0
            || !has_prefix(self.t.stem_prefixes, tok)
            || !tok
                .bytes()
                .chain(next.bytes())
                .all(|b| b.is_ascii_lowercase())
            || (known.is_some() && next_known.get_or_insert_with(|| self.vocab(next)).is_some())
        {
            return None;
        }
        *budget -= 1;
        let mut joined = [0u8; MAX];
        joined[..tok.len()].copy_from_slice(tok.as_bytes());
        joined[tok.len()..tok.len() + next.len()].copy_from_slice(next.as_bytes());
        let joined = std::str::from_utf8(&joined[..tok.len() + next.len()]).ok()?;
        let reading =
            TokenMemo::get_or_put(&JOINED_READINGS, joined, || self.joined_reading(joined));
        match reading {
            Reading::Known(id) => Some([Some(id), None]),
            // The head must reach into the second word: "borger flexdata", not "skole data".
            Reading::Two(head, tail) => {
                (self.word(head).len() > tok.len()).then_some([Some(head), Some(tail)])
            }
            Reading::Word | Reading::Unknown => None,
        }
    }

    /// What two words written together are (`split_name`): a name (`Known`), a name and a
    /// compound tail (`Two`), or neither (`Unknown`); a function of the joined text alone.
    fn joined_reading(&self, joined: &str) -> Reading {
        let name = |id: u32| (self.rank(id) == NAME_RANK).then_some(id);
        if let Some(id) = self
            .vocab(joined)
            .or_else(|| self.inflected(joined))
            .and_then(name)
        {
            return Reading::Known(id);
        }
        match self.split_compound(joined) {
            Some((head, tail)) => Reading::Two(head, tail),
            None => Reading::Unknown,
        }
    }

    /// A lexicon word in another inflection, by its Danish stem: "skolernes" is "skole",
    /// "pensionerne" "pension", "opdateringen" "opdatering". A name must be the start of the
    /// token (nouns inflect by adding: "borgerne", never "borgen"); a cue word must share the
    /// stem and all but its ending.
    fn inflected(&self, tok: &str) -> Option<u32> {
        // Stemming costs; a token that starts like no stem of the lexicon, or like no word
        // with a stem entry, cannot be one.
        if !has_prefix(self.t.stem_prefixes, tok) || !has4(self.t.inflection_prefixes4, tok) {
            return None;
        }
        let stem = stem_danish_cow(tok);
        if stem.len() < 3 {
            return None;
        }
        let ids = self.t.stem_ids.get(self.t.stems.get(&stem)? as usize)?;
        ids.iter()
            .copied()
            .find(|&id| inflects(tok, &stem, self.word(id), self.rank(id)))
    }

    /// A name and a compound tail in one word: "økonomidataene" (økonomi + data),
    /// "beskæftigelsesområdet" (beskæftigelse + område), "oktoberudgivelsen".
    fn split_compound(&self, tok: &str) -> Option<(u32, u32)> {
        // A tail stands at the end, followed at most by an inflection ending of a few letters.
        const LONGEST_ENDING: usize = 5;
        let bytes = tok.as_bytes();
        let letters = letter_mask(tok);
        for (tail, tail_id, tail_stem, tail_letters) in self.t.tails {
            // A tail with a letter the token lacks is not in it.
            if tail_letters & !letters != 0 {
                continue;
            }
            let t = tail.as_bytes();
            let first = bytes.len().saturating_sub(t.len() + LONGEST_ENDING).max(2);
            let last = bytes.len().saturating_sub(t.len());
            let Some(&t0) = t.first() else { continue };
            for at in (first..=last).filter(|&at| bytes[at] == t0 && bytes[at..].starts_with(t)) {
                let Some(rest) = tok.get(at..) else { continue };
                if rest.len() != tail.len() && stem_danish_cow(rest) != *tail_stem {
                    continue;
                }
                if let Some(head) = self.name_stem(&tok[..at]) {
                    return Some((head, *tail_id));
                }
            }
        }
        None
    }

    /// Two cue or data words in one word that no dictionary lists: "driftsoverblik",
    /// "statusoverblik".
    fn split_cue_compound(&self, tok: &str) -> Option<(u32, u32)> {
        let cue = |w: &str| self.vocab(w).filter(|&id| self.rank(id) >= 2);
        // The head must be a cue word as it stands (with a linking -s); only then is the rest,
        // in any inflection, looked for.
        if !has_prefix(self.t.cue_prefixes, tok) {
            return None;
        }
        (3..tok.len().saturating_sub(2)).find_map(|at| {
            let (head, rest) = (tok.get(..at)?, tok.get(at..)?);
            let bare = head.strip_suffix('s').filter(|h| h.len() >= 3);
            let head = cue(head).or_else(|| bare.and_then(cue))?;
            let rest =
                cue(rest).or_else(|| self.inflected(rest).filter(|&id| self.rank(id) >= 2))?;
            Some((head, rest))
        })
    }

    /// A name (area, group, general word, month) in front of a compound tail, allowing a
    /// linking -s and, from four letters and when the part is no ordinary word, one typo.
    fn name_stem(&self, stem: &str) -> Option<u32> {
        let bare = stem.strip_suffix('s').filter(|b| b.len() >= 2);
        let exact = |w: &str| self.vocab(w).filter(|&id| self.rank(id) == NAME_RANK);
        let typo = |w: &str| {
            (chars(w) >= 4 && !self.is_ordinary(w))
                .then(|| self.fuzzy_within(w, 1, NAME_RANK))
                .flatten()
        };
        exact(stem)
            .or_else(|| bare.and_then(exact))
            .or_else(|| typo(stem))
            .or_else(|| bare.and_then(typo))
    }

    /// The longest lexicon phrase at slot `i`: its words as they stand, or with one of them an
    /// ordinary word of four letters or more one edit away ("udsate børn", "hvor lagt", "boger
    /// flex"), never across a comma ("skole, dagtilbud" is two areas, not the group); a word
    /// alone only as it stands.
    fn phrase_at(&self, slots: &[Slot<'_>], meta: &[Meta], i: usize) -> Option<&'static Phrase> {
        let (first, typo_first) = match slots.get(i)? {
            Slot::Known(id) => (*id, false),
            // Only before a word that stands inside some phrase is it worth the look.
            Slot::Word { text, .. }
                if matches!(slots.get(i + 1), Some(Slot::Known(k))
                    if self.t.word_inner.get(*k as usize).copied().unwrap_or_default()) =>
            {
                let typo = || self.fuzzy_within(text, 1, 2);
                (TokenMemo::get_or_put(&PHRASE_TYPOS, text, typo)?, true)
            }
            _ => return None,
        };
        self.phrases(first).iter().find(|ph| {
            let n = ph.ids.len();
            if (typo_first && n < 2)
                || slots.len() < i + n
                || meta
                    .get(i + 1..i + n)
                    .is_none_or(|m| m.iter().any(|m| m.after_comma))
            {
                return false;
            }
            let mut typos = usize::from(typo_first);
            ph.ids
                .iter()
                .zip(&slots[i..])
                .skip(1)
                .all(|(id, slot)| match slot {
                    Slot::Known(k) => k == id,
                    Slot::Word { text, .. }
                        if typos == 0
                            && chars(text) >= 4
                            && osa_within(text, self.word(*id), 1).is_some() =>
                    {
                        typos += 1;
                        true
                    }
                    _ => false,
                })
        })
    }

    /// The closest known word of 4+ letters with rank ≥ `min_rank`: one edit (an adjacent swap
    /// counts as one) up to 7 letters, two from 8; names before cue words at equal distance.
    fn fuzzy(&self, tok: &str, min_rank: u8) -> Option<u32> {
        let max = if chars(tok) <= 7 { 1 } else { 2 };
        self.fuzzy_within(tok, max, min_rank)
    }

    /// As `fuzzy`, within `max` edits.
    fn fuzzy_within(&self, tok: &str, max: usize, min_rank: u8) -> Option<u32> {
        if chars(tok) < 4 {
            return None;
        }
        let mut found = Vec::new();
        self.fuzzy_index()
            .lookup(tok, max, |id| self.word(id), &mut found);
        found
            .into_iter()
            .filter(|(id, _)| self.rank(*id) >= min_rank)
            .min_by_key(|(id, d)| (*d, std::cmp::Reverse(self.rank(*id)), *id))
            .map(|(id, _)| id)
    }

    /// Areas whose words resemble `unknown`, best first: a prefix of three or more letters, or
    /// an edit distance of at most 40 % of the longer word.
    pub(super) fn suggest(&self, unknown: &[&str]) -> Vec<AreaId> {
        const MIN_SCORE: f64 = 0.6;
        let mut scored: Vec<(f64, AreaId)> = Vec::new();
        for w in unknown {
            let wn = chars(w);
            if wn < 2 {
                continue;
            }
            let mask = letter_mask(w);
            // The letters of an ASCII word, counted, for the bag distance below (no count
            // can overflow in a word of 255 letters or fewer).
            let counts = (w.is_ascii() && w.len() <= 255).then(|| {
                let mut counts = [0u8; 128];
                for b in w.bytes() {
                    counts[usize::from(b)] += 1;
                }
                counts
            });
            for (cand, cn, area, cand_mask) in self.t.suggestion_words {
                let longer = wn.max(*cn) as f64;
                let mut score: f64 = if wn >= 3 && cand.starts_with(*w) {
                    0.75
                } else {
                    0.0
                };
                let allowed = ((1.0 - MIN_SCORE) * longer) as usize;
                // The lengths or the letters alone may rule the distance out; then skip
                // computing it.
                if wn.abs_diff(*cn) <= allowed
                    && (mask ^ cand_mask).count_ones() as usize <= 2 * allowed
                    && counts
                        .as_ref()
                        .is_none_or(|c| bag_distance(c, cand, wn, *cn) <= allowed)
                {
                    if let Some(d) = osa_within(w, cand, allowed) {
                        score = score.max(1.0 - d as f64 / longer);
                    }
                }
                if score >= MIN_SCORE {
                    scored.push((score, *area));
                }
            }
        }
        scored.sort_by(|a, b| b.0.total_cmp(&a.0));
        let mut out: Vec<AreaId> = Vec::new();
        for (_, a) in scored {
            if !out.contains(&a) && out.len() < 3 {
                out.push(a);
            }
        }
        out
    }
}

/// The bag distance of an ASCII word (its letters counted in `counts`, `wn` of them) and
/// `cand` (`cn` letters): how many letters of the longer are left over once each letter of the
/// one is paired with a like letter of the other. No edit pairs off more than one letter, and a
/// swap none, so the OSA distance is never less; the distance, which costs a hundred times
/// more, need not be computed when this alone is too far (`suggest` sees whole sentences of
/// unknown words in hostile text). A non-ASCII `cand` gives 0: no bound.
fn bag_distance(counts: &[u8; 128], cand: &str, wn: usize, cn: usize) -> usize {
    if !cand.is_ascii() {
        return 0;
    }
    let mut left = *counts;
    let mut paired = 0;
    for b in cand.bytes() {
        let c = &mut left[usize::from(b)];
        if *c > 0 {
            *c -= 1;
            paired += 1;
        }
    }
    wn.max(cn) - paired
}

/// Whether a set of word beginnings (`prefix4_bit`) holds `w`'s.
fn has4(set: &[u64], w: &str) -> bool {
    let bit = prefix4_bit(w);
    set.get(bit / 64)
        .is_some_and(|b| b & (1 << (bit % 64)) != 0)
}

/// The intent model's probabilities for the folded text.
fn intent_probabilities(folded: &Folded) -> [f32; 5] {
    intent_model::probabilities_of(INTENT_MODEL, intent_model::words_read(folded))
}

/// The parser over the tables laid out from the embedded lexicon and the default catalogue's
/// groups.
pub fn default_parser() -> &'static Parser {
    static PARSER: Parser = Parser { t: &TABLES };
    &PARSER
}

/// The folded tokens of user text (markup removed).
fn fold_tokens(text: &str) -> Vec<String> {
    super::normalize::fold(text)
        .tokens()
        .map(str::to_owned)
        .collect()
}
