//! A string set laid out at build time: open addressing over a power-of-two slot array, so the
//! build script can write it as static data and the parser reads it in place, with nothing to
//! build when the process starts. `build.rs` includes this file.

const K: u64 = 0xf135_7aea_2e62_a9c5;

/// A fast hash of a short byte string (the parser's tokens): whole words of eight bytes, and
/// the rest read as overlapping words, never byte by byte.
pub fn hash(s: &[u8]) -> u64 {
    let n = s.len();
    let word = |i: usize| {
        s.get(i..i + 8)
            .and_then(|w| <[u8; 8]>::try_from(w).ok())
            .map_or(0, u64::from_le_bytes)
    };
    let half = |i: usize| {
        s.get(i..i + 4)
            .and_then(|w| <[u8; 4]>::try_from(w).ok())
            .map_or(0, |w| u64::from(u32::from_le_bytes(w)))
    };
    let mix = |h: u64, v: u64| (h ^ v).wrapping_mul(K).rotate_left(26);
    let mut h = n as u64;
    let mut i = 0;
    while i + 8 <= n {
        h = mix(h, word(i));
        i += 8;
    }
    if i < n {
        let rest = if n >= 8 {
            word(n - 8)
        } else if n >= 4 {
            half(0) | half(n - 4) << 32
        } else {
            u64::from(s[0]) | u64::from(s[n / 2]) << 8 | u64::from(s[n - 1]) << 16
        };
        h = mix(h, rest);
    }
    let h = h.wrapping_mul(K);
    h ^ (h >> 32)
}

/// The first slot of hash `h` in a table of `mask + 1` slots.
pub fn slot(h: u64, mask: usize) -> usize {
    (h >> 40) as usize & mask
}

/// Strings by index: `slots` holds, for the key whose probe sequence passes there, its index
/// + 1 (low 32 bits) and its hash's low 32 bits (high), or 0.
#[derive(Clone, Copy)]
pub struct StrTable<'a> {
    pub keys: &'a [&'a str],
    pub slots: &'a [u64],
    /// Every key is ASCII: no other string need be looked for.
    pub ascii: bool,
}

impl<'a> StrTable<'a> {
    /// The index of `s` among the keys. (A string outside ASCII is looked for like any other,
    /// even when every key is ASCII: it matches none, and testing every token for ASCII first
    /// costs more than the few lookups it spares.)
    pub fn get(&self, s: &str) -> Option<u32> {
        let mask = self.slots.len().checked_sub(1)?;
        let h = hash(s.as_bytes());
        let tag = h as u32;
        let mut i = slot(h, mask);
        loop {
            let v = *self.slots.get(i)?;
            let k = (v as u32).checked_sub(1)?;
            if (v >> 32) as u32 == tag && self.keys.get(k as usize).is_some_and(|key| same(key, s))
            {
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

/// `a == b`, compared in place: the parser's words are short, and a call to the C library's
/// `bcmp` costs more than comparing them.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).all(|(x, y)| x == y)
}

/// The slots for `keys` (no repeats): at most half full.
// Also compiled into build.rs, which lays out the tables with it.
#[allow(dead_code)]
pub fn build_slots<'k>(keys: impl ExactSizeIterator<Item = &'k str>) -> Vec<u64> {
    let cap = (keys.len() * 2).next_power_of_two().max(8);
    let mut slots = vec![0u64; cap];
    for (k, key) in keys.enumerate() {
        let h = hash(key.as_bytes());
        let mut i = slot(h, cap - 1);
        while slots[i] != 0 {
            i = (i + 1) & (cap - 1);
        }
        slots[i] = (u64::from(h as u32) << 32) | (k as u64 + 1);
    }
    slots
}

/// A set of byte strings known by their 64-bit hashes (two keys alike in all 64 bits would be
/// taken for each other: for the ordinary-word list's 600,000 keys, a chance of about one in
/// 10¹⁴ per lookup), laid out as little-endian words in one byte array, so it is read in place
/// from data the build script wrote. Slot 0 is empty; a key's hash is never 0.
pub struct HashSet64<'a> {
    bytes: &'a [u8],
}

fn key_hash(key: &[u8]) -> u64 {
    hash(key) | 1
}

impl<'a> HashSet64<'a> {
    pub const fn new(bytes: &'a [u8]) -> HashSet64<'a> {
        HashSet64 { bytes }
    }

    fn at(&self, i: usize) -> u64 {
        self.bytes
            .get(i * 8..i * 8 + 8)
            .and_then(|w| <[u8; 8]>::try_from(w).ok())
            .map_or(0, u64::from_le_bytes)
    }

    pub fn contains(&self, key: &[u8]) -> bool {
        let Some(mask) = (self.bytes.len() / 8).checked_sub(1) else {
            return false;
        };
        let h = key_hash(key);
        let mut i = slot(h, mask);
        loop {
            match self.at(i) {
                0 => return false,
                v if v == h => return true,
                _ => i = (i + 1) & mask,
            }
        }
    }
}

/// The bytes of a `HashSet64` of `keys`: at most 5/8 full.
// Also compiled into build.rs, which lays out the tables with it.
#[allow(dead_code)]
pub fn build_set64(keys: &[Vec<u8>]) -> Vec<u8> {
    let cap = (keys.len() * 8 / 5 + 1).next_power_of_two().max(8);
    let mut slots = vec![0u64; cap];
    for key in keys {
        let h = key_hash(key);
        let mut i = slot(h, cap - 1);
        while slots[i] != 0 && slots[i] != h {
            i = (i + 1) & (cap - 1);
        }
        slots[i] = h;
    }
    slots.iter().flat_map(|s| s.to_le_bytes()).collect()
}
