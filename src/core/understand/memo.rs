//! What was worked out about a token before, on this thread.

use std::cell::RefCell;
use std::thread::LocalKey;

use super::table::hash;

/// How many tokens a memo remembers, and the longest token it remembers.
const SLOTS: usize = 16384;
const LEN: usize = 24;

/// What is known of tokens seen before on this thread, by the token's hash, one per slot (a
/// newer token takes an older one's slot). Questions repeat their words: most tokens that are
/// no lexicon word are read again and again ("hvornaar", "opdateret", names), and reading one
/// (stemming, compound splits, the word list, the typo index) costs hundreds to thousands of
/// instructions. Each memo holds a pure function of the token over static tables, so what is
/// remembered changes no answer, only its cost. `T` is what is remembered: a token's reading,
/// whether it is a context word, the length of its stem.
pub struct TokenMemo<T> {
    /// Per slot: the token, zero-padded, its length (0: empty slot) and what it is.
    slots: Vec<([u8; LEN], u8, T)>,
}

impl<T: Copy + Default> TokenMemo<T> {
    pub const EMPTY: Self = TokenMemo { slots: Vec::new() };

    /// The slot of `tok` and its padded key, for tokens of 1 to `LEN` bytes.
    fn at(tok: &str) -> Option<(usize, [u8; LEN])> {
        let bytes = tok.as_bytes();
        if bytes.is_empty() || bytes.len() > LEN {
            return None;
        }
        let mut key = [0u8; LEN];
        key[..bytes.len()].copy_from_slice(bytes);
        Some((hash(bytes) as usize % SLOTS, key))
    }

    fn get(&self, tok: &str) -> Option<T> {
        let (i, key) = Self::at(tok)?;
        let (k, n, value) = self.slots.get(i)?;
        // Whole fixed-size arrays compare as a few machine words, with no call.
        (usize::from(*n) == tok.len() && *k == key).then_some(*value)
    }

    fn put(&mut self, tok: &str, value: T) {
        let Some((i, key)) = Self::at(tok) else {
            return;
        };
        if self.slots.is_empty() {
            self.slots = vec![([0; LEN], 0, T::default()); SLOTS];
        }
        if let Some(slot) = self.slots.get_mut(i) {
            *slot = (key, tok.len() as u8, value);
        }
    }

    /// What `tok` is, remembered or worked out by `work` (and then remembered).
    pub fn get_or_put(
        memo: &'static LocalKey<RefCell<Self>>,
        tok: &str,
        work: impl FnOnce() -> T,
    ) -> T {
        match memo.with_borrow(|m| m.get(tok)) {
            Some(value) => value,
            None => {
                let value = work();
                memo.with_borrow_mut(|m| m.put(tok, value));
                value
            }
        }
    }
}
