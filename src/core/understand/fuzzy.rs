//! Typo lookup that does not grow with the lexicon: a deletion index (as in SymSpell). Every
//! word of the index is stored under each string it becomes with up to two letters deleted; a
//! token is looked up under each of its own deletions, and the few candidates found are checked
//! with the bounded edit distance. Deletions are keyed by a polynomial hash computed from prefix
//! sums, so no string is built on the lookup path; a hash collision only adds a candidate that
//! the distance check then drops.
//!
//! The index is laid out at build time (`build.rs` includes this file) as three flat arrays:
//! open-addressed slots holding a 32-bit fingerprint of each deletion key, each slot's span
//! of word ids, and the ids. The parser reads them in place.

use std::collections::BTreeMap;

use super::distance::osa_within;
use super::fold::PLAIN;

/// Up to this many letters are deleted on each side: two typos.
const MAX_EDITS: usize = 2;
/// Tokens longer than this are no typo of a lexicon word (and cost too many deletions).
pub const MAX_FUZZY_LEN: usize = 24;
const MIX: u64 = 0x9e37_79b9_7f4a_7c15;

/// Bits of the filter in front of the slots: most keys looked up are in no word, and the
/// filter (32 KiB) answers for them without touching the slots.
const FILTER_BITS: usize = 1 << 18;

/// The index, read in place.
#[derive(Clone, Copy)]
pub struct DeletionIndex<'a> {
    /// One bit per key (`filter_bit`): a clear bit means no word has the key.
    filter: &'a [u64],
    /// Per slot: the key's fingerprint (never 0), or 0 for an empty slot.
    fingerprints: &'a [u32],
    /// Per slot: where its ids start in `ids` (high 24 bits) and how many (low 8).
    spans: &'a [u32],
    ids: &'a [u32],
    /// The shortest and longest indexed word.
    lens: (usize, usize),
}

/// The index as built, before it is written out as static data (or viewed in tests).
// Also compiled into build.rs, which lays out the tables with it.
#[allow(dead_code)]
pub struct OwnedIndex {
    pub filter: Vec<u64>,
    pub fingerprints: Vec<u32>,
    pub spans: Vec<u32>,
    pub ids: Vec<u32>,
    pub lens: (usize, usize),
}

/// The multiplier of the position hash, and its inverse modulo 2⁶⁴ (it is odd).
const B: u64 = 0x0000_0100_0000_01b3;
const B_INV: u64 = inverse(B);

/// The inverse of an odd `x` modulo 2⁶⁴ (Newton's iteration doubles the good bits each step).
const fn inverse(x: u64) -> u64 {
    let mut y = x;
    let mut i = 0;
    while i < 6 {
        y = y.wrapping_mul(2u64.wrapping_sub(x.wrapping_mul(y)));
        i += 1;
    }
    y
}

/// Calls `f` with the key of `s` and of every string it becomes with one or two letters
/// deleted (repeats included). A string's hash is Σ v(letter) · Bᵖ over its positions p, so
/// deleting a letter shifts the rest down by one power, a multiplication by B⁻¹: with prefix
/// sums L, deleting i < j gives L(i) + (L(j) − L(i+1))·B⁻¹ + (L(n) − L(j+1))·B⁻², which is a
/// term of i plus a term of j. A key is (hash + length tag) · MIX, so the multiplication
/// distributes over that sum too: with the terms of j multiplied once per token, each of the
/// n(n−1)/2 two-letter keys costs one addition.
fn deletions(s: &[u8], edits: usize, mut f: impl FnMut(u64)) {
    let n = s.len().min(MAX_FUZZY_LEN);
    let tag = |len: usize| (len as u64) << 56;
    let key = |h: u64, len: usize| h.wrapping_add(tag(len)).wrapping_mul(MIX);
    let mut l = [0u64; MAX_FUZZY_LEN + 1];
    let mut power = 1u64;
    for (p, c) in s.iter().take(n).enumerate() {
        let v = (u64::from(*c) + 1).wrapping_mul(MIX);
        l[p + 1] = l[p].wrapping_add(v.wrapping_mul(power));
        power = power.wrapping_mul(B);
    }
    let total = l[n];
    f(key(total, n));
    if edits == 0 || n == 0 {
        return;
    }
    let b_inv2 = B_INV.wrapping_mul(B_INV);
    // C(j)·MIX, where C(j) = L(j)·B⁻¹ + (L(n) − L(j+1))·B⁻²
    let mut c = [0u64; MAX_FUZZY_LEN];
    if edits >= 2 {
        for j in 0..n {
            c[j] = l[j]
                .wrapping_mul(B_INV)
                .wrapping_add(total.wrapping_sub(l[j + 1]).wrapping_mul(b_inv2))
                .wrapping_mul(MIX);
        }
    }
    for i in 0..n {
        f(key(
            l[i].wrapping_add(total.wrapping_sub(l[i + 1]).wrapping_mul(B_INV)),
            n - 1,
        ));
        if edits < 2 {
            continue;
        }
        // (A(i) + tag)·MIX, where A(i) = L(i) − L(i+1)·B⁻¹
        let a = key(l[i].wrapping_sub(l[i + 1].wrapping_mul(B_INV)), n - 2);
        for cj in &c[i + 1..n] {
            f(a.wrapping_add(*cj));
        }
    }
}

/// A key's bit in the filter: its top bits, the best mixed of a product.
fn filter_bit(key: u64) -> usize {
    (key >> (64 - FILTER_BITS.trailing_zeros())) as usize
}

/// A key's fingerprint (never 0) and first slot.
fn place(key: u64, mask: usize) -> (u32, usize) {
    ((key >> 32) as u32 | 1, key as usize & mask)
}

fn indexable(w: &str) -> bool {
    w.len() <= MAX_FUZZY_LEN && w.bytes().all(|b| PLAIN[usize::from(b)])
}

// Also compiled into build.rs, which lays out the tables with it.
#[allow(dead_code)]
impl OwnedIndex {
    /// Indexes `(id, word)`; words with letters outside a–z/0–9 (folding leaves few) or longer
    /// than `MAX_FUZZY_LEN` are left out.
    pub fn new<'a>(words: impl IntoIterator<Item = (u32, &'a str)>) -> OwnedIndex {
        let mut by_key: BTreeMap<u64, Vec<u32>> = BTreeMap::new();
        let mut lens = (usize::MAX, 0);
        for (id, w) in words {
            if !indexable(w) {
                continue;
            }
            lens = (lens.0.min(w.len()), lens.1.max(w.len()));
            deletions(w.as_bytes(), MAX_EDITS, |k| {
                let ids = by_key.entry(k).or_default();
                if ids.last() != Some(&id) {
                    ids.push(id);
                }
            });
        }
        // Keys whose fingerprint and slot agree share one slot (a collision only adds
        // candidates, which the distance check drops).
        let mut filter = vec![0u64; FILTER_BITS / 64];
        for key in by_key.keys() {
            let bit = filter_bit(*key);
            filter[bit / 64] |= 1 << (bit % 64);
        }
        let cap = (by_key.len() * 2).next_power_of_two().max(8);
        let mut slots: Vec<(u32, Vec<u32>)> = vec![(0, Vec::new()); cap];
        for (key, ids) in by_key {
            let (fp, mut i) = place(key, cap - 1);
            while slots[i].0 != 0 && slots[i].0 != fp {
                i = (i + 1) & (cap - 1);
            }
            slots[i].0 = fp;
            for id in ids {
                if !slots[i].1.contains(&id) {
                    slots[i].1.push(id);
                }
            }
        }
        let mut index = OwnedIndex {
            filter,
            fingerprints: Vec::with_capacity(cap),
            spans: Vec::with_capacity(cap),
            ids: Vec::new(),
            lens,
        };
        for (fp, ids) in slots {
            index.fingerprints.push(fp);
            index
                .spans
                .push(((index.ids.len() as u32) << 8) | ids.len().min(255) as u32);
            index.ids.extend(ids.iter().take(255));
        }
        index
    }

    pub fn view(&self) -> DeletionIndex<'_> {
        DeletionIndex::from_parts(
            &self.filter,
            &self.fingerprints,
            &self.spans,
            &self.ids,
            self.lens,
        )
    }
}

impl<'a> DeletionIndex<'a> {
    pub const fn from_parts(
        filter: &'a [u64],
        fingerprints: &'a [u32],
        spans: &'a [u32],
        ids: &'a [u32],
        lens: (usize, usize),
    ) -> DeletionIndex<'a> {
        DeletionIndex {
            filter,
            fingerprints,
            spans,
            ids,
            lens,
        }
    }

    /// The ids stored under `key` (which passed the filter).
    fn candidates(&self, key: u64) -> &'a [u32] {
        let Some(mask) = self.fingerprints.len().checked_sub(1) else {
            return &[];
        };
        let (fp, mut i) = place(key, mask);
        loop {
            match self.fingerprints.get(i) {
                Some(&f) if f == fp => break,
                Some(&f) if f != 0 => i = (i + 1) & mask,
                _ => return &[],
            }
        }
        let span = self.spans.get(i).copied().unwrap_or_default() as usize;
        self.ids
            .get(span >> 8..(span >> 8) + (span & 0xff))
            .unwrap_or_default()
    }

    /// The indexed words within `max` edits of `token` (an adjacent swap counts as one), as
    /// (id, distance), by the `word` lookup given; `out` is cleared first.
    pub fn lookup<'w>(
        &self,
        token: &str,
        max: usize,
        word: impl Fn(u32) -> &'w str,
        out: &mut Vec<(u32, usize)>,
    ) {
        out.clear();
        let n = token.len();
        let max = max.min(MAX_EDITS);
        if n + max < self.lens.0 || n > self.lens.1 + max || !indexable(token) {
            return;
        }
        // Most keys are in no word, and the filter says so from one bit: that test stays in
        // the loop, the rest is called only for the few keys that pass it. (As an array, the
        // filter needs no bounds check: every bit is in it.)
        let Ok(filter) = <&[u64; FILTER_BITS / 64]>::try_from(self.filter) else {
            return;
        };
        deletions(token.as_bytes(), max, |k| {
            let bit = filter_bit(k);
            if filter[bit / 64] & (1 << (bit % 64)) != 0 {
                self.verify(k, token, max, &word, out);
            }
        });
    }

    /// Adds the words under `key` within `max` edits of `token` to `out`.
    #[inline(never)]
    fn verify<'w>(
        &self,
        key: u64,
        token: &str,
        max: usize,
        word: &impl Fn(u32) -> &'w str,
        out: &mut Vec<(u32, usize)>,
    ) {
        for &id in self.candidates(key) {
            if out.iter().any(|(seen, _)| *seen == id) {
                continue;
            }
            if let Some(d) = osa_within(token, word(id), max) {
                out.push((id, d));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const WORDS: [&str; 6] = [
        "hvornaar",
        "oekonomi",
        "dream",
        "borger",
        "status",
        "dagtilbud",
    ];

    fn find(token: &str, max: usize) -> Vec<(&'static str, usize)> {
        let index = OwnedIndex::new(WORDS.iter().enumerate().map(|(i, w)| (i as u32, *w)));
        let mut out = Vec::new();
        index
            .view()
            .lookup(token, max, |id| WORDS[id as usize], &mut out);
        let mut found: Vec<(&str, usize)> = out
            .iter()
            .map(|(id, d)| (WORDS[*id as usize], *d))
            .collect();
        found.sort_unstable();
        found
    }

    #[test]
    fn typos_are_found_within_their_distance_and_no_further() {
        type Case = (&'static str, usize, &'static [(&'static str, usize)]);
        let cases: [Case; 9] = [
            ("hvornar", 1, &[("hvornaar", 1)]),
            ("okonomi", 1, &[("oekonomi", 1)]),
            ("drem", 1, &[("dream", 1)]),
            ("dreem", 1, &[("dream", 1)]),
            ("satuts", 1, &[]),
            ("satuts", 2, &[("status", 2)]),
            ("sttaus", 1, &[("status", 1)]),
            ("dagtilbdu", 1, &[("dagtilbud", 1)]),
            ("kantine", 2, &[]),
        ];
        for (token, max, want) in cases {
            assert_eq!(find(token, max), want, "{token} within {max}");
        }
    }

    #[test]
    fn non_ascii_and_overlong_tokens_find_nothing() {
        assert!(find("drømme", 2).is_empty());
        assert!(find(&"a".repeat(200), 2).is_empty());
        assert!(find("", 2).is_empty());
    }

    #[test]
    fn agrees_with_a_scan_of_every_word() {
        // Every token over a small alphabet: the index finds exactly what a full scan finds.
        let letters = ["", "a", "e", "o", "r", "m", "d"];
        let mut tokens = vec![String::new()];
        for _ in 0..4 {
            tokens = tokens
                .iter()
                .flat_map(|t| letters.iter().map(move |l| format!("{t}{l}")))
                .collect();
            tokens.sort();
            tokens.dedup();
        }
        for t in tokens.iter().chain(
            WORDS
                .iter()
                .map(|w| w.to_string())
                .collect::<Vec<_>>()
                .iter(),
        ) {
            for max in 0..=2 {
                let mut scan: Vec<(&str, usize)> = WORDS
                    .iter()
                    .filter_map(|w| osa_within(t, w, max).map(|d| (*w, d)))
                    .collect();
                scan.sort_unstable();
                assert_eq!(find(t, max), scan, "{t:?} within {max}");
            }
        }
    }
}
