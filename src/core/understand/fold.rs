//! Folding text into plain lowercase tokens: æ/ø/å and ae/oe/aa become the same, punctuation
//! separates, and a capital after a sentence's first word marks a name. Markup is removed
//! before (`normalize`); this file knows nothing of it, so the build script folds the lexicon
//! with the very same code (`build.rs` includes this file).
//!
//! Characters below `TABLE_LEN` are folded through a table computed from the standard
//! library's case and letter data at build time (`table_entry`), so the hot path does no
//! Unicode lookups; the rest go the same way through the standard library directly.

/// The folded text, the byte spans of its tokens, and whether each token was written with a
/// capital first letter in the middle of a sentence (a name, as "Teams" or "Borgen").
#[derive(Default, Debug)]
pub struct Folded {
    pub text: String,
    pub spans: Vec<(usize, usize)>,
    pub capitalised: Vec<bool>,
    /// Whether each token was written with a capital first letter, wherever it stands ("Vh.
    /// Ellen": a signature's name starts a sentence of its own).
    pub initial_capital: Vec<bool>,
    /// Whether each token was written in capitals only, two or more ("DREAM", "ÆLDRE").
    pub shouted: Vec<bool>,
    /// Whether each token follows a comma or semicolon: a list's items, never one name.
    pub breaks: Vec<bool>,
    /// Each token's sentence, counted from 0 (a sentence ends at . ! ? : or a line break).
    pub sentences: Vec<u16>,
    /// The sentences (as `sentences` counts them) that end in a question mark.
    pub asked: Vec<u16>,
    /// Anything but white space was left after the markup went: punctuation or emoji count.
    pub visible: bool,
}

impl Folded {
    pub fn tokens(&self) -> impl Iterator<Item = &str> + '_ {
        self.spans.iter().map(|&(s, e)| &self.text[s..e])
    }
}

/// Characters below this are folded by table.
// Also compiled into build.rs, which lays out the tables with it.
#[allow(dead_code)]
pub const TABLE_LEN: usize = 0x800;
/// Table entry bits: the lowercase character in the low 21 bits, then these flags.
const UPPER: u32 = 1 << 24;
const KEPT: u32 = 1 << 25;
/// The lowercase form is more than one character: fold it the long way.
const MULTI: u32 = 1 << 26;
/// The character itself is alphabetic.
const ALPHA: u32 = 1 << 27;
/// Folded to one or two ASCII letters, held in the low 16 bits instead of the character.
const SPELLED: u32 = 1 << 28;
/// Kept as it is: a lowercase letter folding leaves alone.
const SAME: u32 = 1 << 29;
const CHAR_BITS: u32 = (1 << 21) - 1;

/// Appends the folded form of one lowercase character; returns false for a separator.
pub fn fold_char(c: char, out: &mut String) -> bool {
    if fold_letter(c, out) {
        return true;
    }
    if c.is_alphanumeric() {
        out.push(c);
        return true;
    }
    false
}

/// Appends the folded form of a lowercase letter or digit that folding spells in a–z/0–9;
/// false (nothing appended) for any other character.
fn fold_letter(c: char, out: &mut String) -> bool {
    match c {
        'a'..='z' | '0'..='9' => out.push(c),
        'æ' | 'ä' => out.push_str("ae"),
        'ø' | 'ö' => out.push_str("oe"),
        'å' => out.push_str("aa"),
        'é' | 'è' | 'ê' | 'ë' => out.push('e'),
        'á' | 'à' | 'â' => out.push('a'),
        'ó' | 'ò' | 'ô' => out.push('o'),
        'í' | 'ì' | 'î' | 'ï' => out.push('i'),
        'ú' | 'ù' | 'û' | 'ü' => out.push('u'),
        'ß' => out.push_str("ss"),
        _ => return false,
    }
    true
}

/// Folds `c` the long way: (kept as part of a word, written as a capital).
pub fn fold_any(c: char, out: &mut String) -> (bool, bool) {
    let mut kept = false;
    for lc in c.to_lowercase() {
        kept |= fold_char(lc, out);
    }
    (kept, c.is_uppercase())
}

/// The table entry of `c` (below `TABLE_LEN`), from the standard library's character data.
// Also compiled into build.rs, which lays out the tables with it.
#[allow(dead_code)]
pub fn table_entry(c: char) -> u32 {
    let alpha = if c.is_alphabetic() { ALPHA } else { 0 };
    let mut lower = c.to_lowercase();
    let (Some(lc), None) = (lower.next(), lower.next()) else {
        return MULTI | alpha;
    };
    let mut spelled = String::new();
    let kept = fold_char(lc, &mut spelled);
    let flags = if c.is_uppercase() { UPPER } else { 0 } | if kept { KEPT } else { 0 } | alpha;
    match spelled.as_bytes() {
        [a] if a.is_ascii() => flags | SPELLED | u32::from(*a),
        [a, b] if a.is_ascii() && b.is_ascii() => {
            flags | SPELLED | u32::from(*a) | u32::from(*b) << 8
        }
        _ if kept && lc == c && !c.is_uppercase() => flags | SAME | lc as u32,
        _ => flags | lc as u32,
    }
}

/// The bytes folding copies as they are, in runs: a–z and 0–9 (a table costs less a byte than
/// two ranges). The typo index takes words of these bytes only (`fuzzy.rs`).
pub const PLAIN: [bool; 256] = {
    let mut set = [false; 256];
    let mut b = 0;
    while b < 256 {
        set[b] = matches!(b as u8, b'a'..=b'z' | b'0'..=b'9');
        b += 1;
    }
    set
};

/// The length in bytes of the run of two-byte characters from `bytes[i]` that `table` keeps
/// as they are.
fn same_run(table: &[u32], bytes: &[u8], i: usize) -> usize {
    let mut j = i;
    while let (Some(&a @ 0xc2..=0xdf), Some(&b @ 0x80..=0xbf)) = (bytes.get(j), bytes.get(j + 1)) {
        let c = (usize::from(a & 0x1f) << 6) | usize::from(b & 0x3f);
        if table.get(c).is_none_or(|e| e & SAME == 0) {
            break;
        }
        j += 2;
    }
    j - i
}

/// `c.is_alphabetic()`, by `table` where it can.
pub fn alphabetic_by_table(table: &[u32], c: char) -> bool {
    match table.get(c as usize) {
        Some(e) => e & ALPHA != 0,
        None => c.is_alphabetic(),
    }
}

/// Folds `c` by `table` where it can: (kept, written as a capital); the same as `fold_any`.
pub fn fold_by_table(table: &[u32], c: char, out: &mut String) -> (bool, bool) {
    let Some(&e) = table.get(c as usize) else {
        return fold_any(c, out);
    };
    if e & MULTI != 0 {
        return fold_any(c, out);
    }
    if e & SPELLED != 0 {
        out.push(char::from(e as u8));
        if (e >> 8) as u8 != 0 {
            out.push(char::from((e >> 8) as u8));
        }
    } else if e & KEPT != 0 {
        out.push(char::from_u32(e & CHAR_BITS).unwrap_or(c));
    }
    (e & KEPT != 0, e & UPPER != 0)
}

/// Folds `input` (markup already removed) into `out`, which is cleared first; characters
/// outside ASCII by `table` (`table_entry` of each character below `TABLE_LEN`) where given,
/// else by the standard library (`fold_any`).
pub fn fold_text_into(input: &str, out: &mut Folded, table: Option<&[u32]>) {
    out.text.clear();
    out.spans.clear();
    out.capitalised.clear();
    out.initial_capital.clear();
    out.shouted.clear();
    out.breaks.clear();
    out.sentences.clear();
    out.asked.clear();
    out.visible = !input.trim().is_empty();
    let mut start: Option<usize> = None;
    let mut after_comma = false;
    let mut sentence: u16 = 0;
    // A capital after the sentence's first word marks a name; after . ! ? a new sentence starts.
    let mut sentence_start = true;
    // The current token's capitals, and whether it has a lowercase letter.
    let mut case = (0u8, false);
    let close = |out: &mut Folded,
                 start: &mut Option<usize>,
                 sentence_start: &mut bool,
                 case: &mut (u8, bool)| {
        if let Some(s) = start.take() {
            out.spans.push((s, out.text.len()));
            out.shouted.push(case.0 >= 2 && !case.1);
            *sentence_start = false;
        }
        *case = (0, false);
    };
    let bytes = input.as_bytes();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let at = out.text.len();
        let (kept, upper) = match b {
            b'a'..=b'z' | b'0'..=b'9' => {
                // A run of lowercase letters and digits is copied as it is.
                let run = bytes[i..]
                    .iter()
                    .position(|&c| !PLAIN[usize::from(c)])
                    .unwrap_or(bytes.len() - i);
                case.1 |=
                    b.is_ascii_lowercase() || bytes[i..i + run].iter().any(u8::is_ascii_lowercase);
                out.text.push_str(&input[i..i + run]);
                i += run;
                (true, false)
            }
            b'A'..=b'Z' => {
                out.text.push(char::from(b.to_ascii_lowercase()));
                i += 1;
                (true, true)
            }
            b'.' | b'!' | b'?' | b':' | b'\n' => {
                i += 1;
                // A dot after a number is an ordinal ("0. klasse", "d. 10."), no sentence end.
                let ordinal = b == b'.'
                    && start.is_some_and(|s| out.text[s..].bytes().all(|c| c.is_ascii_digit()));
                close(out, &mut start, &mut sentence_start, &mut case);
                if b == b'?' && !sentence_start {
                    out.asked.push(sentence);
                }
                if !sentence_start && !ordinal {
                    sentence = sentence.saturating_add(1);
                }
                sentence_start = true;
                continue;
            }
            b'&' => {
                i += 1;
                close(out, &mut start, &mut sentence_start, &mut case);
                let s = out.text.len();
                out.text.push_str("og");
                out.spans.push((s, out.text.len()));
                out.capitalised.push(false);
                out.initial_capital.push(false);
                out.shouted.push(false);
                out.breaks.push(std::mem::take(&mut after_comma));
                out.sentences.push(sentence);
                continue;
            }
            b',' | b';' => {
                i += 1;
                close(out, &mut start, &mut sentence_start, &mut case);
                after_comma = true;
                continue;
            }
            0..=0x7f => {
                i += 1;
                (false, false)
            }
            _ => {
                // Lowercase letters folding keeps as they are, copied as a run.
                let run = table.map_or(0, |t| same_run(t, bytes, i));
                if run > 0 {
                    case.1 = true;
                    out.text.push_str(&input[i..i + run]);
                    i += run;
                    if start.is_none() {
                        start = Some(at);
                        out.capitalised.push(false);
                        out.initial_capital.push(false);
                        out.breaks.push(std::mem::take(&mut after_comma));
                        out.sentences.push(sentence);
                    }
                    continue;
                }
                // Two-byte characters (Latin, Greek, Cyrillic …) decoded here; longer ones by
                // the standard library.
                let two = match (b, bytes.get(i + 1)) {
                    (0xc2..=0xdf, Some(&c @ 0x80..=0xbf)) => {
                        char::from_u32(u32::from(b & 0x1f) << 6 | u32::from(c & 0x3f))
                    }
                    _ => None,
                };
                let Some(c) = two.or_else(|| input.get(i..).and_then(|rest| rest.chars().next()))
                else {
                    break;
                };
                i += c.len_utf8();
                let (kept, upper) = match table {
                    Some(t) => fold_by_table(t, c, &mut out.text),
                    None => fold_any(c, &mut out.text),
                };
                (kept, upper)
            }
        };
        if upper {
            case.0 = case.0.saturating_add(1);
        } else if kept {
            case.1 = true;
        }
        if kept {
            if start.is_none() {
                start = Some(at);
                out.capitalised.push(upper && !sentence_start);
                out.initial_capital.push(upper);
                out.breaks.push(std::mem::take(&mut after_comma));
                out.sentences.push(sentence);
            }
        } else {
            close(out, &mut start, &mut sentence_start, &mut case);
        }
    }
    close(out, &mut start, &mut sentence_start, &mut case);
}

/// The folded tokens of `text` (no markup in it), the long way: for the lexicon.
// Also compiled into build.rs, which lays out the tables with it.
#[allow(dead_code)]
pub fn fold_tokens(text: &str) -> Vec<String> {
    let mut f = Folded::default();
    fold_text_into(text, &mut f, None);
    f.tokens().map(str::to_owned).collect()
}
