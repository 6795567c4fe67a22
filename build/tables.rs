//! Lays out the question parser's tables from `data/lexicon.toml` and the default catalogue's
//! groups, and writes them as Rust statics (`$OUT_DIR/parser_tables.rs`), so `flisbot` starts
//! with nothing to build: no TOML to read, no stems to compute, no typo index to fill.
//! Everything that decides how a word is read is the parser's own code, included from
//! `src/core/understand/` by `build.rs`.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write;

use serde::Deserialize;

use super::understand::fold::{fold_tokens, table_entry, TABLE_LEN};
use super::understand::fuzzy::OwnedIndex;
use super::understand::rules::{inflects, letter_mask, prefix_bit, PREFIX_WORDS};
use super::understand::sense::{Cue, Sense};
use super::understand::table::{build_set64, build_slots};
use super::understand::words::{
    each_key, each_stem, each_word, is_ordinary, prefix4_bit, stem_danish, PREFIX_BITS,
};

/// Senses over indexes into the catalogue's area ids and groups.
type S = Sense<usize, usize>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Lexicon {
    areas: BTreeMap<String, Vec<String>>,
    groups: BTreeMap<String, Vec<String>>,
    words: Words,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Words {
    general: Vec<String>,
    month_release: Vec<String>,
    data: Vec<String>,
    when: Vec<String>,
    how_often: Vec<String>,
    coming: Vec<String>,
    arrived: Vec<String>,
    status: Vec<String>,
    why: Vec<String>,
    missing: Vec<String>,
    problem: Vec<String>,
    works: Vec<String>,
    overview: Vec<String>,
    which: Vec<String>,
    all: Vec<String>,
    help: Vec<String>,
    greeting: Vec<String>,
    thanks: Vec<String>,
    pleasantry: Vec<String>,
    chatter: Vec<String>,
    bot_name: Vec<String>,
    filler: Vec<String>,
    negation: Vec<String>,
    exclude: Vec<String>,
    correction: Vec<String>,
    quantity: Vec<String>,
    asking: Vec<String>,
    addressee: Vec<String>,
    function_words: Vec<String>,
    context: Vec<String>,
    sign_off: Vec<String>,
    closing: Vec<String>,
    compound_tails: Vec<String>,
    months: Vec<Vec<String>>,
}

#[derive(Deserialize)]
struct Catalogue {
    areas: Vec<CatalogueArea>,
}

#[derive(Deserialize)]
struct CatalogueArea {
    id: String,
    group: String,
}

struct Phrase {
    ids: Vec<u32>,
    senses: Vec<S>,
}

#[derive(Default)]
struct Builder {
    vocab: HashMap<String, u32>,
    words: Vec<String>,
    word_rank: Vec<u8>,
    phrases: Vec<Vec<Phrase>>,
}

impl Builder {
    fn intern(&mut self, tok: &str) -> u32 {
        if let Some(&id) = self.vocab.get(tok) {
            return id;
        }
        let id = self.words.len() as u32;
        self.vocab.insert(tok.to_owned(), id);
        self.words.push(tok.to_owned());
        self.word_rank.push(0);
        self.phrases.push(Vec::new());
        id
    }

    fn add(&mut self, phrase: &str, sense: S) {
        let ids: Vec<u32> = fold_tokens(phrase).iter().map(|t| self.intern(t)).collect();
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
}

/// `&[a,b,…]` of numbers.
fn nums<T: std::fmt::Display>(v: &[T]) -> String {
    let mut s = String::from("&[");
    for x in v {
        let _ = write!(s, "{x},");
    }
    s.push(']');
    s
}

/// The ordinary-word list's keys (`data/words.fst`) as a `HashSet64`: the parser's membership
/// test, a few hashes instead of walking the automaton.
pub fn word_set() -> Vec<u8> {
    let mut keys = Vec::new();
    each_key(|k| keys.push(k.to_vec()));
    build_set64(&keys)
}

/// The emoji shortcodes the lexicon names, as `generate` found them (for the build script's
/// own markup stripping, `build.rs`).
static SHORTCODES: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();

/// The lexicon's emoji shortcodes; empty before `generate` ran.
pub fn shortcodes() -> &'static [&'static str] {
    SHORTCODES.get().map_or(&[], Vec::as_slice)
}

/// The lexicon's sign-offs and closings, folded, as `generate` found them (for the build
/// script's own folding, `build.rs`).
static SIGNATURES: std::sync::OnceLock<Signatures> = std::sync::OnceLock::new();

/// What `normalize` reads to leave a signature out (`src/core/understand/tables.rs` holds the
/// same for the parser).
#[derive(Default)]
pub struct Signatures {
    pub sign_offs: Vec<&'static str>,
    pub closings: Vec<&'static [&'static str]>,
    pub starts: [u32; 26],
    pub ends: [u32; 26],
}

/// For each letter a–z, the lengths (bit n: n bytes, 31 for longer) of `words` that start
/// with it: `normalize`'s quick test of a word (the sign-offs and the closings' first words;
/// the closings' last words).
fn signature_lengths<'a>(words: impl Iterator<Item = &'a str>) -> Result<[u32; 26], String> {
    let mut lengths = [0u32; 26];
    for w in words {
        match w.as_bytes().first() {
            Some(&c @ b'a'..=b'z') => lengths[usize::from(c - b'a')] |= 1 << w.len().min(31),
            _ => {
                return Err(format!(
                    "data/lexicon.toml: the sign-off or closing word {w:?} does not start with a-z"
                ))
            }
        }
    }
    Ok(lengths)
}

/// The lexicon's sign-offs and closings; empty before `generate` ran.
pub fn signatures() -> &'static Signatures {
    SIGNATURES.get_or_init(Signatures::default)
}

fn leak(s: &str) -> &'static str {
    Box::leak(s.to_owned().into_boxed_str())
}

/// The Rust source of the parser's tables (and the folding table) for `lexicon` and the
/// default `catalogue` (both TOML text).
pub fn generate(lexicon: &str, catalogue: &str) -> Result<String, String> {
    let lex: Lexicon = toml::from_str(lexicon).map_err(|e| format!("data/lexicon.toml: {e}"))?;
    let cat: Catalogue =
        toml::from_str(catalogue).map_err(|e| format!("data/catalogue.toml: {e}"))?;
    if lex.words.months.len() != 12 {
        return Err(format!(
            "data/lexicon.toml: months has {} entries, not 12",
            lex.words.months.len()
        ));
    }
    // Areas in the catalogue's order (the order of `AreaId`, checked where the tables are
    // compiled), groups in the order they first appear there (that of `Group::ALL`).
    let area_ids: Vec<&str> = cat.areas.iter().map(|a| a.id.as_str()).collect();
    let mut group_ids: Vec<&str> = Vec::new();
    for a in &cat.areas {
        if !group_ids.contains(&a.group.as_str()) {
            group_ids.push(&a.group);
        }
    }
    let area_ix = |id: &str| {
        area_ids
            .iter()
            .position(|a| *a == id)
            .ok_or_else(|| format!("data/lexicon.toml names an unknown area {id:?}"))
    };
    let group_ix = |id: &str| {
        group_ids
            .iter()
            .position(|g| *g == id)
            .ok_or_else(|| format!("data/lexicon.toml names an unknown group {id:?}"))
    };
    let mut areas: Vec<(usize, &Vec<String>)> = Vec::new();
    for (id, phrases) in &lex.areas {
        areas.push((area_ix(id)?, phrases));
    }
    areas.sort_by_key(|(ix, _)| *ix);
    let mut groups: Vec<(usize, &Vec<String>)> = Vec::new();
    for (id, phrases) in &lex.groups {
        groups.push((group_ix(id)?, phrases));
    }
    groups.sort_by_key(|(ix, _)| *ix);

    let mut b = Builder::default();
    let mut suggestion_words: Vec<(String, usize, usize)> = Vec::new();
    for (area, phrases) in &areas {
        for ph in *phrases {
            b.add(ph, Sense::Area(*area));
            for tok in fold_tokens(ph) {
                let n = tok.chars().count();
                if n >= 2
                    && !suggestion_words
                        .iter()
                        .any(|(w, _, a)| *w == tok && a == area)
                {
                    suggestion_words.push((tok, n, *area));
                }
            }
        }
    }
    for (group, phrases) in &groups {
        for ph in *phrases {
            b.add(ph, Sense::Group(*group));
        }
    }
    // A name of several words is also written as one ("udsattebørn", "fællessprog").
    let glued: Vec<(String, S)> = areas
        .iter()
        .flat_map(|(a, phs)| phs.iter().map(move |ph| (ph, Sense::Area(*a))))
        .chain(
            groups
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
        if !b.vocab.contains_key(word.as_str()) {
            b.add(&word, sense);
        }
    }
    let w = &lex.words;
    let lists: [(&[String], S); 28] = [
        (&w.general, Sense::General),
        (&w.month_release, Sense::MonthRelease),
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
        (&w.pleasantry, Sense::Cue(Cue::Pleasantry)),
        (&w.chatter, Sense::Cue(Cue::Chatter)),
        (&w.bot_name, Sense::Cue(Cue::BotName)),
        (&w.filler, Sense::Filler),
        (&w.negation, Sense::Negation),
        (&w.exclude, Sense::Exclude),
        (&w.correction, Sense::Correction),
        (&w.quantity, Sense::Quantity),
        (&w.asking, Sense::Asking),
        (&w.addressee, Sense::Addressee),
    ];
    for (list, sense) in lists {
        for ph in list {
            b.add(ph, sense);
        }
    }
    for (i, names) in w.months.iter().enumerate() {
        for name in names {
            b.add(name, Sense::Month(i as u32 + 1));
        }
    }
    let mut tails: Vec<(String, u32, String)> = Vec::new();
    for tail in &w.compound_tails {
        if let Some(tok) = fold_tokens(tail).into_iter().next() {
            let id = b.intern(&tok);
            let stem = stem_danish(&tok);
            tails.push((tok, id, stem));
        }
    }
    tails.sort_by_key(|(t, _, _)| std::cmp::Reverse(t.len()));
    for list in &mut b.phrases {
        list.sort_by_key(|ph| std::cmp::Reverse(ph.ids.len()));
    }
    // Danish stem → one-word lexicon entries with that stem, in id order.
    let mut stem_keys: Vec<String> = Vec::new();
    let mut stem_ids: Vec<Vec<u32>> = Vec::new();
    for (id, word) in b.words.iter().enumerate() {
        if b.word_rank[id] >= 2 && word.len() >= 3 {
            let stem = stem_danish(word);
            match stem_keys.iter().position(|s| *s == stem) {
                Some(i) => stem_ids[i].push(id as u32),
                None => {
                    stem_keys.push(stem);
                    stem_ids.push(vec![id as u32]);
                }
            }
        }
    }
    let mut stem_prefixes = vec![0u64; PREFIX_WORDS];
    for bit in stem_keys.iter().filter_map(|s| prefix_bit(s)) {
        stem_prefixes[bit / 64] |= 1 << (bit % 64);
    }
    // The first four letters (`prefix4_bit`) of every token `rules::inflects` can take for a
    // word with a stem entry: the word's own (a name is the start of its inflections, a cue
    // word shares a stem of four letters or more with them), and an -igt adjective's -ig and
    // -ige forms.
    let mut inflection_prefixes4 = vec![0u64; PREFIX_BITS.div_ceil(64)];
    for id in stem_ids.iter().flatten() {
        let word = &b.words[*id as usize];
        let mut forms = vec![word.clone()];
        if let Some(base) = word.strip_suffix("igt") {
            forms.push(format!("{base}ig"));
            forms.push(format!("{base}ige"));
        }
        for form in forms {
            let bit = prefix4_bit(&form);
            inflection_prefixes4[bit / 64] |= 1 << (bit % 64);
        }
    }
    let stems: HashMap<&str, &Vec<u32>> = stem_keys
        .iter()
        .map(String::as_str)
        .zip(stem_ids.iter())
        .collect();
    // The parser's own `inflected`, over the tables being built.
    let inflected = |tok: &str| -> Option<u32> {
        let p = prefix_bit(tok)?;
        if stem_prefixes[p / 64] & (1 << (p % 64)) == 0 {
            return None;
        }
        let stem = stem_danish(tok);
        if stem.len() < 3 {
            return None;
        }
        stems
            .get(stem.as_str())?
            .iter()
            .copied()
            .find(|&id| inflects(tok, &stem, &b.words[id as usize], b.word_rank[id as usize]))
    };
    let alone: Vec<u32> = (0..b.words.len())
        .map(|id| {
            (b.word_rank[id] == 0 && b.words[id].len() >= 4)
                .then(|| inflected(&b.words[id]))
                .flatten()
                .unwrap_or(u32::MAX)
        })
        .collect();
    let fuzzy = OwnedIndex::new(
        b.words
            .iter()
            .enumerate()
            .filter(|(id, w)| b.word_rank[*id] >= 2 && w.chars().count() >= 4)
            .map(|(id, w)| (id as u32, w.as_str())),
    );
    let mut stop: Vec<String> = Vec::new();
    let mut seen = HashSet::new();
    let mut stop_sources: Vec<&str> = [stop_words::Language::Danish, stop_words::Language::English]
        .into_iter()
        .flat_map(stop_words::get)
        .copied()
        .collect();
    stop_sources.extend(lex.words.function_words.iter().map(String::as_str));
    for w in stop_sources {
        for tok in fold_tokens(w) {
            if seen.insert(tok.clone()) {
                stop.push(tok);
            }
        }
    }
    // A stop word inside a name ("for" of "styrelsen for it og læring", "og" of "udsatte børn
    // og unge") resembles no area: "ftr" is no misspelt name.
    suggestion_words.retain(|(w, _, _)| !seen.contains(w));
    // The first three letters of every cue or data word (a cue compound's head).
    let mut cue_prefixes = vec![0u64; PREFIX_WORDS];
    for (id, word) in b.words.iter().enumerate() {
        if let Some(bit) = prefix_bit(word).filter(|_| b.word_rank[id] >= 2) {
            cue_prefixes[bit / 64] |= 1 << (bit % 64);
        }
    }
    // The first three letters of every stem of the ordinary-word list (shorter stems are of
    // words too short for an inflection ending: `words::MIN_STEM`).
    // Stems of three letters by those, longer ones by their first four (`prefix4_bit`).
    let mut list_prefixes = vec![0u64; PREFIX_WORDS];
    let mut list_prefixes4 = vec![0u64; PREFIX_BITS.div_ceil(64)];
    each_stem(|stem| {
        let Ok(stem) = std::str::from_utf8(stem) else {
            return;
        };
        if stem.len() == 3 {
            if let Some(bit) = prefix_bit(stem) {
                list_prefixes[bit / 64] |= 1 << (bit % 64);
            }
        } else if stem.len() > 3 {
            let bit = prefix4_bit(stem);
            list_prefixes4[bit / 64] |= 1 << (bit % 64);
        }
    });
    // The first four letters of every word form the list spells out.
    let mut listed_prefixes = vec![0u64; PREFIX_BITS.div_ceil(64)];
    each_word(|word| {
        if let Ok(word) = std::str::from_utf8(word) {
            let bit = prefix4_bit(word);
            listed_prefixes[bit / 64] |= 1 << (bit % 64);
        }
    });
    let members: Vec<Vec<usize>> = (0..group_ids.len())
        .map(|g| {
            cat.areas
                .iter()
                .enumerate()
                .filter(|(_, a)| a.group == group_ids[g])
                .map(|(i, _)| i)
                .collect()
        })
        .collect();

    // ---- write it out
    let mut o = String::new();
    let strs = |v: &[String]| {
        let mut s = String::from("&[");
        for x in v {
            let _ = write!(s, "{x:?},");
        }
        s.push(']');
        s
    };
    let sense = |s: &S| match s {
        Sense::Area(a) => format!("Sense::Area(area({:?}))", area_ids[*a]),
        Sense::Group(g) => format!("Sense::Group(group({:?}))", group_ids[*g]),
        Sense::Cue(c) => format!("Sense::Cue(Cue::{c:?})"),
        Sense::Month(m) => format!("Sense::Month({m})"),
        other => format!("Sense::{other:?}"),
    };
    let _ = writeln!(
        o,
        "// Generated by build.rs from data/lexicon.toml and data/catalogue.toml."
    );
    let _ = writeln!(
        o,
        "const AREA_ORDER: [&str; {}] = {:?};",
        area_ids.len(),
        area_ids
    );
    let _ = writeln!(
        o,
        "const GROUP_ORDER: [&str; {}] = {:?};",
        group_ids.len(),
        group_ids
    );
    let _ = writeln!(o, "const WORDS: &[&str] = {};", strs(&b.words));
    let _ = writeln!(
        o,
        "const WORD_SLOTS: &[u64] = {};",
        nums(&build_slots(b.words.iter().map(String::as_str)))
    );
    let _ = writeln!(o, "const WORD_RANK: &[u8] = &{:?};", b.word_rank);
    let mut starts = vec![0u32];
    let _ = writeln!(o, "const PHRASES: &[Phrase] = &[");
    for list in &b.phrases {
        for ph in list {
            let senses: Vec<String> = ph.senses.iter().map(sense).collect();
            let _ = writeln!(
                o,
                "Phrase {{ ids: {}, senses: &[{}] }},",
                nums(&ph.ids),
                senses.join(",")
            );
        }
        starts.push(starts[starts.len() - 1] + list.len() as u32);
    }
    let _ = writeln!(o, "];");
    let _ = writeln!(o, "const PHRASE_START: &[u32] = {};", nums(&starts));
    let _ = writeln!(o, "const STEMS: &[&str] = {};", strs(&stem_keys));
    let _ = writeln!(
        o,
        "const STEM_SLOTS: &[u64] = {};",
        nums(&build_slots(stem_keys.iter().map(String::as_str)))
    );
    let _ = writeln!(o, "const STEM_IDS: &[&[u32]] = &[");
    for ids in &stem_ids {
        let _ = writeln!(o, "{},", nums(ids));
    }
    let _ = writeln!(o, "];");
    let _ = writeln!(o, "const STEM_PREFIXES: &[u64] = &{stem_prefixes:?};");
    let _ = writeln!(
        o,
        "const INFLECTION_PREFIXES4: &[u64] = &{inflection_prefixes4:?};"
    );
    let _ = writeln!(o, "const CUE_PREFIXES: &[u64] = &{cue_prefixes:?};");
    let _ = writeln!(o, "const LISTED_PREFIXES: &[u64] = &{listed_prefixes:?};");
    let _ = writeln!(o, "const LIST_STEM_PREFIXES: &[u64] = &{list_prefixes:?};");
    let _ = writeln!(
        o,
        "const LIST_STEM_PREFIXES4: &[u64] = &{list_prefixes4:?};"
    );
    let _ = writeln!(o, "const ALONE: &[u32] = {};", nums(&alone));
    let _ = writeln!(o, "const FUZZY_FILTER: &[u64] = &{:?};", fuzzy.filter);
    let _ = writeln!(
        o,
        "const FUZZY_FINGERPRINTS: &[u32] = {};",
        nums(&fuzzy.fingerprints)
    );
    let _ = writeln!(o, "const FUZZY_SPANS: &[u32] = {};", nums(&fuzzy.spans));
    let _ = writeln!(o, "const FUZZY_IDS: &[u32] = {};", nums(&fuzzy.ids));
    let _ = writeln!(o, "const FUZZY_LENS: (usize, usize) = {:?};", fuzzy.lens);
    let _ = writeln!(o, "const TAILS: &[(&str, u32, &str, u64)] = &[");
    for (t, id, stem) in &tails {
        let _ = writeln!(o, "({t:?}, {id}, {stem:?}, {}),", letter_mask(t));
    }
    let _ = writeln!(o, "];");
    let _ = writeln!(o, "const GROUPS: &[(Group, &[AreaId])] = &[");
    for (g, m) in members.iter().enumerate() {
        let ms: Vec<String> = m
            .iter()
            .map(|a| format!("area({:?})", area_ids[*a]))
            .collect();
        let _ = writeln!(o, "(group({:?}), &[{}]),", group_ids[g], ms.join(","));
    }
    let _ = writeln!(o, "];");
    let _ = writeln!(
        o,
        "const SUGGESTION_WORDS: &[(&str, usize, AreaId, u64)] = &["
    );
    for (w, n, a) in &suggestion_words {
        let _ = writeln!(
            o,
            "({w:?}, {n}, area({:?}), {}),",
            area_ids[*a],
            letter_mask(w)
        );
    }
    let _ = writeln!(o, "];");
    // Emoji shortcodes the lexicon names (":wave:"), which the markup scanner keeps.
    let mut shortcodes: Vec<String> = Vec::new();
    let all_lists = lex
        .areas
        .values()
        .chain(lex.groups.values())
        .map(Vec::as_slice)
        .chain(lists.iter().map(|(l, _)| *l))
        .flatten();
    for ph in all_lists {
        if let Some(name) = ph.strip_prefix(':').and_then(|p| p.strip_suffix(':')) {
            if !shortcodes.iter().any(|s| s == name) {
                shortcodes.push(name.to_owned());
            }
        }
    }
    let _ = writeln!(o, "const SHORTCODE_NAMES: &[&str] = {};", strs(&shortcodes));
    let _ = SHORTCODES.set(
        shortcodes
            .iter()
            .map(|s| &*Box::leak(s.clone().into_boxed_str()))
            .collect(),
    );
    let ascii = |v: &[String]| v.iter().all(|w| w.is_ascii());
    let _ = writeln!(o, "const WORDS_ASCII: bool = {};", ascii(&b.words));
    let _ = writeln!(o, "const STEMS_ASCII: bool = {};", ascii(&stem_keys));
    let _ = writeln!(o, "const STOP_ASCII: bool = {};", ascii(&stop));
    let common: Vec<String> = b.words.iter().map(|w| is_ordinary(w).to_string()).collect();
    // Words that stand after the first in some phrase: only before one of them can an
    // ordinary word be a phrase's first word with a typo.
    let mut inner = vec![false; b.words.len()];
    for ph in b.phrases.iter().flatten() {
        for id in ph.ids.iter().skip(1) {
            inner[*id as usize] = true;
        }
    }
    let inner: Vec<String> = inner.iter().map(bool::to_string).collect();
    let _ = writeln!(o, "const WORD_INNER: &[bool] = &[{}];", inner.join(","));
    let _ = writeln!(o, "const WORD_COMMON: &[bool] = &[{}];", common.join(","));
    let context: Vec<String> = {
        let mut seen = HashSet::new();
        w.context
            .iter()
            .flat_map(|c| fold_tokens(c))
            .flat_map(|t| [stem_danish(&t), t])
            .filter(|t| seen.insert(t.clone()))
            .collect()
    };
    let sign_off: Vec<String> = w.sign_off.iter().flat_map(|t| fold_tokens(t)).collect();
    let _ = writeln!(o, "const SIGN_OFFS: &[&str] = {};", strs(&sign_off));
    // By their first word, for `normalize` to find those a word starts.
    let mut closings: Vec<Vec<String>> = w.closing.iter().map(|c| fold_tokens(c)).collect();
    closings.sort();
    let _ = writeln!(
        o,
        "const CLOSINGS: &[&[&str]] = &[{}];",
        closings
            .iter()
            .map(|c| strs(c))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let starts = signature_lengths(
        sign_off
            .iter()
            .chain(closings.iter().filter_map(|c| c.first()))
            .map(String::as_str),
    )?;
    let ends = signature_lengths(closings.iter().filter_map(|c| c.last()).map(String::as_str))?;
    let _ = writeln!(o, "const SIGNATURE_START_LENGTHS: [u32; 26] = {starts:?};");
    let _ = writeln!(o, "const SIGNATURE_END_LENGTHS: [u32; 26] = {ends:?};");
    let _ = SIGNATURES.set(Signatures {
        starts,
        ends,
        sign_offs: sign_off.iter().map(|t| leak(t)).collect(),
        closings: closings
            .iter()
            .map(|c| {
                &*Box::leak(
                    c.iter()
                        .map(|t| leak(t))
                        .collect::<Vec<_>>()
                        .into_boxed_slice(),
                )
            })
            .collect(),
    });
    let _ = writeln!(o, "const CONTEXT_WORDS: &[&str] = {};", strs(&context));
    let mut context_prefixes = vec![0u64; PREFIX_WORDS];
    for bit in context.iter().filter_map(|c| prefix_bit(c)) {
        context_prefixes[bit / 64] |= 1 << (bit % 64);
    }
    let _ = writeln!(o, "const CONTEXT_PREFIXES: &[u64] = &{context_prefixes:?};");
    let _ = writeln!(
        o,
        "const CONTEXT_SLOTS: &[u64] = {};",
        nums(&build_slots(context.iter().map(String::as_str)))
    );
    let _ = writeln!(o, "const STOP_WORDS: &[&str] = {};", strs(&stop));
    let _ = writeln!(
        o,
        "const STOP_SLOTS: &[u64] = {};",
        nums(&build_slots(stop.iter().map(String::as_str)))
    );
    let fold: Vec<u32> = (0..TABLE_LEN as u32)
        .map(|c| char::from_u32(c).map_or(0, table_entry))
        .collect();
    let _ = writeln!(
        o,
        "pub(super) static FOLD_TABLE: [u32; {TABLE_LEN}] = {};",
        &nums(&fold)[1..]
    );
    Ok(o)
}
