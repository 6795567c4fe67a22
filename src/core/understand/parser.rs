use std::collections::{HashMap, HashSet};

use rustc_hash::{FxHashMap, FxHashSet};
use std::sync::OnceLock;

use super::decide::{decide, month_role, Accum, Cue};
use super::distance::osa_within;
use super::fuzzy::DeletionIndex;
use super::lexicon::{Lexicon, DEFAULT_LEXICON_TOML};
use super::normalize::{fold_into, Folded, MAX_WORD_CHARS};
use super::parsed::Parsed;
use super::words::{is_ordinary, ordinary, stem_danish, Ordinary};
use crate::core::catalogue::{default_catalogue, AreaId, Group};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Sense {
    Area(AreaId),
    Group(Group),
    General,
    Data,
    Cue(Cue),
    Month(u32),
    Filler,
    Negation,
    /// "jeg ville høre om", "ved nogen om": a question without a question mark.
    Asking,
    /// "du", "dig", "you": the text speaks to the bot.
    Addressee,
}

impl Sense {
    /// Preference when a typo is equally close to two words: names first, then cue words.
    fn rank(self) -> u8 {
        match self {
            Sense::Area(_) | Sense::Group(_) | Sense::General | Sense::Month(_) => 3,
            Sense::Cue(_) | Sense::Data => 2,
            Sense::Filler | Sense::Negation | Sense::Asking | Sense::Addressee => 1,
        }
    }
}

struct Phrase {
    ids: Box<[u32]>,
    senses: Vec<Sense>,
}

#[derive(Clone, Copy)]
enum Slot<'a> {
    Known(u32),
    Year(i32),
    /// A one- or two-digit number: a month beside a year ("2025-08", "8/2025").
    Num(u32),
    /// An ordinary Danish or English word the lexicon does not know: the question is (also)
    /// about something; `name` when written with a capital inside a sentence ("Teams").
    Word {
        name: bool,
        content: bool,
    },
    /// Neither a lexicon word nor an ordinary word: a name we do not know, or a bad typo.
    Unknown {
        text: &'a str,
        name: bool,
    },
}

/// At most this many unknown words per question are tried against the vocabulary by edit
/// distance, so hostile text costs linear time.
const FUZZY_BUDGET: usize = 24;

/// The question parser: vocabulary, phrase table, inflection and typo indexes built from a
/// lexicon.
pub struct Parser {
    vocab: FxHashMap<Box<str>, u32>,
    words: Vec<Box<str>>,
    /// Best rank among the one-word senses of a word (0: only part of longer phrases).
    word_rank: Vec<u8>,
    /// Phrases by their first word, longest first.
    phrases: Vec<Vec<Phrase>>,
    /// Danish stem → one-word lexicon entries with that stem: inflections by rule.
    stems: HashMap<String, Vec<u32>>,
    /// For a word known only inside longer phrases ("områder" in "tværgående områder"): the
    /// one-word entry it inflects, used when the phrase does not match.
    alone: Vec<Option<u32>>,
    /// Words of 4+ letters with a name or cue sense, for typos.
    fuzzy: DeletionIndex,
    /// Compound tails (base forms, with their stems), longest first.
    tails: Vec<(Box<str>, u32, String)>,
    /// The first three letters of every stem in `stems`.
    stem_prefixes: HashSet<String>,
    pub(super) groups: Vec<(Group, Vec<AreaId>)>,
    /// (folded word, its length in chars, area) for "mente du …?" suggestions, no repeats.
    suggestion_words: Vec<(Box<str>, usize, AreaId)>,
    /// Danish and English stop words, folded: ordinary words that carry no content.
    stop_words: FxHashSet<String>,
}

impl Parser {
    /// Builds the tables; `membership` says which areas a group question covers.
    pub fn new(lexicon: &Lexicon, membership: &[(AreaId, Group)]) -> Self {
        let mut p = Parser {
            vocab: FxHashMap::default(),
            words: Vec::new(),
            word_rank: Vec::new(),
            phrases: Vec::new(),
            stems: HashMap::new(),
            alone: Vec::new(),
            fuzzy: DeletionIndex::new([]),
            tails: Vec::new(),
            stem_prefixes: HashSet::new(),
            groups: Group::ALL
                .iter()
                .map(|g| {
                    let members = membership.iter().filter(|(_, mg)| mg == g).map(|(a, _)| *a);
                    (*g, members.collect())
                })
                .collect(),
            suggestion_words: Vec::new(),
            stop_words: [stop_words::Language::Danish, stop_words::Language::English]
                .into_iter()
                .flat_map(stop_words::get)
                .flat_map(|w| fold_tokens(w))
                .collect(),
        };
        let w = &lexicon.words;
        for (area, phrases) in &lexicon.areas {
            for ph in phrases {
                p.add(ph, Sense::Area(*area));
                for tok in fold_tokens(ph) {
                    let n = tok.chars().count();
                    if n >= 2
                        && !p
                            .suggestion_words
                            .iter()
                            .any(|(w, _, a)| **w == *tok && a == area)
                    {
                        p.suggestion_words.push((tok.into(), n, *area));
                    }
                }
            }
        }
        for (group, phrases) in &lexicon.groups {
            for ph in phrases {
                p.add(ph, Sense::Group(*group));
            }
        }
        // A name of several words is also written as one ("udsattebørn", "fællessprog").
        let glued: Vec<(String, Sense)> = lexicon
            .areas
            .iter()
            .flat_map(|(a, phs)| phs.iter().map(move |ph| (ph, Sense::Area(*a))))
            .chain(
                lexicon
                    .groups
                    .iter()
                    .flat_map(|(g, phs)| phs.iter().map(move |ph| (ph, Sense::Group(*g)))),
            )
            .filter_map(|(ph, sense)| {
                let toks = fold_tokens(ph);
                (toks.len() >= 2).then(|| (toks.concat(), sense))
            })
            .filter(|(w, _)| w.len() >= 6)
            .collect();
        for (word, sense) in glued {
            if !p.vocab.contains_key(word.as_str()) {
                p.add(&word, sense);
            }
        }
        let lists: [(&[String], Sense); 21] = [
            (&w.general, Sense::General),
            (&w.data, Sense::Data),
            (&w.when, Sense::Cue(Cue::When)),
            (&w.how_often, Sense::Cue(Cue::HowOften)),
            (&w.coming, Sense::Cue(Cue::Coming)),
            (&w.arrived, Sense::Cue(Cue::Arrived)),
            (&w.status, Sense::Cue(Cue::Status)),
            (&w.why, Sense::Cue(Cue::Why)),
            (&w.missing, Sense::Cue(Cue::Missing)),
            (&w.problem, Sense::Cue(Cue::Problem)),
            (&w.works, Sense::Cue(Cue::Works)),
            (&w.overview, Sense::Cue(Cue::Overview)),
            (&w.which, Sense::Cue(Cue::Which)),
            (&w.all, Sense::Cue(Cue::All)),
            (&w.help, Sense::Cue(Cue::Help)),
            (&w.greeting, Sense::Cue(Cue::Greeting)),
            (&w.thanks, Sense::Cue(Cue::Thanks)),
            (&w.filler, Sense::Filler),
            (&w.negation, Sense::Negation),
            (&w.asking, Sense::Asking),
            (&w.addressee, Sense::Addressee),
        ];
        for (list, sense) in lists {
            for ph in list {
                p.add(ph, sense);
            }
        }
        for (i, names) in w.months.iter().enumerate() {
            for name in names {
                p.add(name, Sense::Month(i as u32 + 1));
            }
        }
        for tail in &w.compound_tails {
            if let Some(tok) = fold_tokens(tail).into_iter().next() {
                let id = p.intern(&tok);
                let stem = stem_danish(&tok);
                p.tails.push((tok.into(), id, stem));
            }
        }
        p.tails.sort_by_key(|(t, _, _)| std::cmp::Reverse(t.len()));
        for list in &mut p.phrases {
            list.sort_by_key(|ph| std::cmp::Reverse(ph.ids.len()));
        }
        for (id, word) in p.words.iter().enumerate() {
            if p.word_rank[id] >= 2 && word.len() >= 3 {
                p.stems
                    .entry(stem_danish(word))
                    .or_default()
                    .push(id as u32);
            }
        }
        p.stem_prefixes = p
            .stems
            .keys()
            .filter_map(|s| s.get(..3).map(str::to_owned))
            .collect();
        p.alone = (0..p.words.len())
            .map(|id| {
                (p.word_rank[id] == 0 && p.words[id].len() >= 4)
                    .then(|| p.inflected(&p.words[id]))
                    .flatten()
            })
            .collect();
        let fuzzy_words = p
            .words
            .iter()
            .enumerate()
            .filter(|(id, w)| p.word_rank[*id] >= 2 && w.chars().count() >= 4)
            .map(|(id, w)| (id as u32, &**w));
        p.fuzzy = DeletionIndex::new(fuzzy_words);
        p
    }

    fn intern(&mut self, tok: &str) -> u32 {
        if let Some(&id) = self.vocab.get(tok) {
            return id;
        }
        let id = self.words.len() as u32;
        self.vocab.insert(tok.into(), id);
        self.words.push(tok.into());
        self.word_rank.push(0);
        self.phrases.push(Vec::new());
        id
    }

    fn add(&mut self, phrase: &str, sense: Sense) {
        let ids: Box<[u32]> = fold_tokens(phrase).iter().map(|t| self.intern(t)).collect();
        let Some(&first) = ids.first() else { return };
        if ids.len() == 1 {
            let r = &mut self.word_rank[first as usize];
            *r = (*r).max(sense.rank());
        }
        let list = &mut self.phrases[first as usize];
        match list.iter_mut().find(|p| p.ids == ids) {
            Some(p) if !p.senses.contains(&sense) => p.senses.push(sense),
            Some(_) => {}
            None => list.push(Phrase {
                ids,
                senses: vec![sense],
            }),
        }
    }

    /// The areas `text` names as a whole (an id, name or alias, folded but with no typo
    /// allowance), for commands that change things: `None` if it is no such name.
    pub fn exact_areas(&self, text: &str) -> Option<Vec<AreaId>> {
        let ids: Vec<u32> = fold_tokens(text)
            .iter()
            .map(|t| self.vocab.get(t.as_str()).copied())
            .collect::<Option<_>>()?;
        let phrase = self.phrases[*ids.first()? as usize]
            .iter()
            .find(|p| *p.ids == ids[..])?;
        let mut acc = Accum::default();
        for s in &phrase.senses {
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
        for (word, _, area) in &self.suggestion_words {
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
        let name = |id: u32| self.words[id as usize].to_string();
        folded
            .tokens()
            .map(|tok| {
                let how = if self.vocab.contains_key(tok) {
                    "exact".to_owned()
                } else if let Some(id) = self.inflected(tok).filter(|_| tok.len() >= 4) {
                    format!("inflection of {}", name(id))
                } else if let Some((h, t)) = self.split_compound(tok).filter(|_| tok.len() >= 4) {
                    format!("compound {} + {}", name(h), name(t))
                } else if is_ordinary(tok) {
                    "ordinary word".to_owned()
                } else if let Some((h, t)) = self.split_cue_compound(tok) {
                    format!("compound {} + {}", name(h), name(t))
                } else if let Some(id) = self.fuzzy(tok, 2) {
                    format!("typo of {}", name(id))
                } else {
                    "unknown".to_owned()
                };
                (tok.to_owned(), how)
            })
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
        let mut slots: Vec<Slot> = Vec::with_capacity(buf.spans.len() + 4);
        let mut budget = FUZZY_BUDGET;
        for (tok, name) in buf.tokens().zip(buf.capitalised.iter().copied()) {
            self.resolve(tok, name, &mut slots, &mut budget);
        }
        let mut acc = Accum {
            blank: !buf.visible,
            question: text.contains('?'),
            ..Accum::default()
        };
        let mut i = 0;
        while i < slots.len() {
            match slots[i] {
                Slot::Known(id) => {
                    let matched = self.phrases[id as usize]
                        .iter()
                        .find(|ph| phrase_matches(&slots[i..], &ph.ids));
                    if let Some(ph) = matched {
                        let before = i.checked_sub(1).and_then(|j| match slots[j] {
                            Slot::Known(prev) => Some(&*self.words[prev as usize]),
                            _ => None,
                        });
                        let after = slots.get(i + ph.ids.len()).and_then(|s| match s {
                            Slot::Known(next) => self.phrases[*next as usize]
                                .iter()
                                .find(|p| p.ids.len() == 1)
                                .map(|p| p.senses.as_slice()),
                            _ => None,
                        });
                        for s in &ph.senses {
                            if let Sense::Month(_) = s {
                                acc.month_role = month_role(before, after.unwrap_or(&[]));
                            }
                            acc.add(*s, self);
                        }
                        i += ph.ids.len();
                        continue;
                    }
                    let alone = self.alone.get(id as usize).copied().flatten();
                    match alone
                        .and_then(|a| self.phrases[a as usize].iter().find(|p| p.ids.len() == 1))
                    {
                        Some(ph) => {
                            for s in &ph.senses {
                                acc.add(*s, self);
                            }
                        }
                        None => acc.other_words += 1,
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
                Slot::Word { name, content } => {
                    acc.other_words += 1;
                    acc.content_words += usize::from(content);
                    acc.foreign |= name;
                }
                Slot::Unknown { text, name } => {
                    acc.other_words += 1;
                    acc.content_words += 1;
                    acc.foreign |= name;
                    acc.unknown(text);
                }
            }
            i += 1;
        }
        decide(self, acc, buf.spans.is_empty())
    }

    fn resolve<'a>(&self, tok: &'a str, name: bool, out: &mut Vec<Slot<'a>>, budget: &mut usize) {
        if let Some(&id) = self.vocab.get(tok) {
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
        let n = tok.chars().count();
        if n > MAX_WORD_CHARS || *budget == 0 {
            out.push(Slot::Unknown { text: tok, name });
            return;
        }
        if self.stop_words.contains(tok) {
            out.push(Slot::Word {
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
        if n >= 4 {
            if let Some(id) = self.inflected(tok) {
                out.push(Slot::Known(id));
                return;
            }
            if let Some((head, tail)) = self.split_compound(tok) {
                out.push(Slot::Known(head));
                out.push(Slot::Known(tail));
                return;
            }
        }
        if is_ordinary(tok) {
            let content = !self.stop_words.contains(tok);
            out.push(Slot::Word { name, content });
            return;
        }
        if n >= 4 {
            if let Some((head, tail)) = self.split_cue_compound(tok) {
                out.push(Slot::Known(head));
                out.push(Slot::Known(tail));
                return;
            }
            if let Some(id) = self.fuzzy(tok, 2) {
                out.push(Slot::Known(id));
                return;
            }
        }
        out.push(Slot::Unknown { text: tok, name });
    }

    /// A lexicon word in another inflection, by its Danish stem: "skolernes" is "skole",
    /// "pensionerne" "pension", "opdateringen" "opdatering". A name must be the start of the
    /// token (nouns inflect by adding: "borgerne", never "borgen"); a cue word must share the
    /// stem and all but its ending.
    fn inflected(&self, tok: &str) -> Option<u32> {
        // Stemming costs; a token that starts like no stem of the lexicon cannot be one.
        if !tok.get(..3).is_some_and(|p| self.stem_prefixes.contains(p)) {
            return None;
        }
        let stem = stem_danish(tok);
        if stem.len() < 3 {
            return None;
        }
        let ids = self.stems.get(&stem)?;
        ids.iter().copied().find(|&id| {
            let word = &*self.words[id as usize];
            if self.word_rank[id as usize] == 3 {
                tok.strip_prefix(word)
                    .is_some_and(|ending| noun_ending(word, ending))
            } else {
                // "opdaterede" is "opdateret", but "måned" is no form of "månedligt", and a
                // stem of three letters is too short to say ("datter" is no form of "dato").
                stem.len() >= 4
                    && tok.starts_with(&stem)
                    && word.starts_with(&stem)
                    && tok.len() + 1 >= word.len()
            }
        })
    }

    /// A name and a compound tail in one word: "økonomidataene" (økonomi + data),
    /// "beskæftigelsesområdet" (beskæftigelse + område), "oktoberudgivelsen".
    fn split_compound(&self, tok: &str) -> Option<(u32, u32)> {
        // A tail stands at the end, followed at most by an inflection ending of a few letters.
        const LONGEST_ENDING: usize = 5;
        let bytes = tok.as_bytes();
        for (tail, tail_id, tail_stem) in &self.tails {
            let t = tail.as_bytes();
            let first = bytes.len().saturating_sub(t.len() + LONGEST_ENDING).max(2);
            let last = bytes.len().saturating_sub(t.len());
            for at in (first..=last).filter(|&at| bytes[at..].starts_with(t)) {
                let Some(rest) = tok.get(at..) else { continue };
                if rest.len() != tail.len() && stem_danish(rest) != *tail_stem {
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
        let cue = |w: &str| {
            self.vocab
                .get(w)
                .copied()
                .filter(|&id| self.word_rank[id as usize] >= 2)
        };
        // The head must be a cue word as it stands (with a linking -s); only then is the rest,
        // in any inflection, looked for.
        (3..tok.len().saturating_sub(2)).find_map(|at| {
            let (head, rest) = (tok.get(..at)?, tok.get(at..)?);
            let bare = head.strip_suffix('s').filter(|h| h.len() >= 3);
            let head = cue(head).or_else(|| bare.and_then(cue))?;
            let rest = cue(rest).or_else(|| {
                self.inflected(rest)
                    .filter(|&id| self.word_rank[id as usize] >= 2)
            })?;
            Some((head, rest))
        })
    }

    /// A name (area, group, general word, month) in front of a compound tail, allowing a
    /// linking -s and, from four letters and when the part is no ordinary word, one typo.
    fn name_stem(&self, stem: &str) -> Option<u32> {
        let bare = stem.strip_suffix('s').filter(|b| b.len() >= 2);
        let exact = |w: &str| {
            self.vocab
                .get(w)
                .copied()
                .filter(|&id| self.word_rank[id as usize] == 3)
        };
        let typo = |w: &str| {
            (w.chars().count() >= 4 && !is_ordinary(w))
                .then(|| self.fuzzy(w, 3))
                .flatten()
        };
        exact(stem)
            .or_else(|| bare.and_then(exact))
            .or_else(|| typo(stem))
            .or_else(|| bare.and_then(typo))
    }

    /// The closest known word of 4+ letters with rank ≥ `min_rank`: one edit (an adjacent swap
    /// counts as one) up to 7 letters, two from 8; names before cue words at equal distance.
    fn fuzzy(&self, tok: &str, min_rank: u8) -> Option<u32> {
        let n = tok.chars().count();
        if n < 4 {
            return None;
        }
        let max = if n <= 7 { 1 } else { 2 };
        let mut found = Vec::new();
        self.fuzzy
            .lookup(tok, max, |id| &self.words[id as usize], &mut found);
        found
            .into_iter()
            .filter(|(id, _)| self.word_rank[*id as usize] >= min_rank)
            .min_by_key(|(id, d)| (*d, std::cmp::Reverse(self.word_rank[*id as usize]), *id))
            .map(|(id, _)| id)
    }

    /// Areas whose words resemble `unknown`, best first: a prefix of three or more letters, or
    /// an edit distance of at most 40 % of the longer word.
    pub(super) fn suggest(&self, unknown: &[&str]) -> Vec<AreaId> {
        const MIN_SCORE: f64 = 0.6;
        let mut scored: Vec<(f64, AreaId)> = Vec::new();
        for w in unknown {
            let wn = w.chars().count();
            if wn < 2 {
                continue;
            }
            for (cand, cn, area) in &self.suggestion_words {
                let longer = wn.max(*cn) as f64;
                let mut score: f64 = if wn >= 3 && cand.starts_with(*w) {
                    0.75
                } else {
                    0.0
                };
                let allowed = ((1.0 - MIN_SCORE) * longer) as usize;
                // The lengths alone may rule the distance out; then skip computing it.
                if wn.abs_diff(*cn) <= allowed {
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

/// Whether `ending` inflects the noun `word`: plural, definite, genitive, with the last
/// consonant doubled where Danish doubles it ("skolerne", "borgerne", "ældres",
/// "dagtilbuddene"), but not "still" or "stille" after "stil".
fn noun_ending(word: &str, ending: &str) -> bool {
    const ENDINGS: [&str; 24] = [
        "s", "e", "es", "en", "ens", "et", "ets", "er", "ers", "ene", "enes", "erne", "ernes", "n",
        "ns", "t", "ts", "ne", "nes", "r", "rs", "rne", "rnes", "ers",
    ];
    if ENDINGS.contains(&ending) {
        return true;
    }
    // A doubled last consonant is the rule's reading only where the dictionary does not spell
    // the word out as something else: "dagtilbuddene", but not "stille" after "stil".
    let undoubled = word
        .chars()
        .last()
        .and_then(|last| ending.strip_prefix(last))
        .filter(|rest| !rest.is_empty());
    undoubled.is_some_and(|rest| ENDINGS.contains(&rest))
        && ordinary(&format!("{word}{ending}")) != Ordinary::Listed
}

fn phrase_matches(slots: &[Slot<'_>], ids: &[u32]) -> bool {
    slots.len() >= ids.len()
        && ids
            .iter()
            .zip(slots)
            .all(|(id, s)| matches!(s, Slot::Known(k) if k == id))
}

fn fold_tokens(text: &str) -> Vec<String> {
    let mut f = Folded::default();
    fold_into(text, &mut f);
    f.tokens().map(str::to_owned).collect()
}

/// The parser over the embedded lexicon and the default catalogue's groups, built once.
pub fn default_parser() -> &'static Parser {
    static PARSER: OnceLock<Parser> = OnceLock::new();
    PARSER.get_or_init(|| {
        // A broken embedded lexicon is a build defect the unit tests catch, never user input.
        let lexicon = Lexicon::parse(DEFAULT_LEXICON_TOML)
            .unwrap_or_else(|e| panic!("data/lexicon.toml is broken: {e}"));
        let membership: Vec<(AreaId, Group)> = default_catalogue()
            .areas
            .iter()
            .map(|a| (a.id, a.group))
            .collect();
        Parser::new(&lexicon, &membership)
    })
}
