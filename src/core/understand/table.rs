//! A string set laid out at build time: open addressing over a power-of-two slot array, so the
//! build script can write it as static data and the parser reads it in place, with nothing to
//! build when the process starts. `build.rs` includes this file.

const K: u64 = 0xf135_7aea_2e62_a9c5;

/// A fast hash of a short byte string (the parser's tokens).
pub fn hash(s: &[u8]) -> u64 {
    let mut h = s.len() as u64;
    let mut chunks = s.chunks_exact(8);
    for c in &mut chunks {
        let mut a = [0u8; 8];
        a.copy_from_slice(c);
        h = (h ^ u64::from_le_bytes(a)).wrapping_mul(K).rotate_left(26);
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut a = [0u8; 8];
        a[..rest.len()].copy_from_slice(rest);
        h = (h ^ u64::from_le_bytes(a)).wrapping_mul(K).rotate_left(26);
    }
    h.wrapping_mul(K)
}

/// The first slot of hash `h` in a table of `mask + 1` slots.
pub fn slot(h: u64, mask: usize) -> usize {
    (h >> 40) as usize & mask
}

/// Strings by index: `slots` holds index + 1 of the key whose probe sequence passes there, or 0.
#[derive(Clone, Copy)]
pub struct StrTable<'a> {
    pub keys: &'a [&'a str],
    pub slots: &'a [u32],
}

impl<'a> StrTable<'a> {
    /// The index of `s` among the keys.
    pub fn get(&self, s: &str) -> Option<u32> {
        let mask = self.slots.len().checked_sub(1)?;
        let mut i = slot(hash(s.as_bytes()), mask);
        loop {
            let v = *self.slots.get(i)?;
            let k = v.checked_sub(1)?;
            if self.keys.get(k as usize).is_some_and(|key| *key == s) {
                return Some(k);
            }
            i = (i + 1) & mask;
        }
    }

    pub fn contains(&self, s: &str) -> bool {
        self.get(s).is_some()
    }

    pub fn key(&self, i: u32) -> &'a str {
        self.keys.get(i as usize).copied().unwrap_or_default()
    }
}

/// The slots for `keys` (no repeats): at most half full.
// Also compiled into build.rs, which lays out the tables with it.
#[allow(dead_code)]
pub fn build_slots<'k>(keys: impl ExactSizeIterator<Item = &'k str>) -> Vec<u32> {
    let cap = (keys.len() * 2).next_power_of_two().max(8);
    let mut slots = vec![0u32; cap];
    for (k, key) in keys.enumerate() {
        let mut i = slot(hash(key.as_bytes()), cap - 1);
        while slots[i] != 0 {
            i = (i + 1) & (cap - 1);
        }
        slots[i] = k as u32 + 1;
    }
    slots
}
