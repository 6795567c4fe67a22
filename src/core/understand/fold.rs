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
    let mut lower = c.to_lowercase();
    let (Some(lc), None) = (lower.next(), lower.next()) else {
        return MULTI;
    };
    let mut scratch = String::new();
    let kept = fold_char(lc, &mut scratch);
    lc as u32 | if c.is_uppercase() { UPPER } else { 0 } | if kept { KEPT } else { 0 }
}

/// Folds `c` by `table` where it can: (kept, written as a capital); the same as `fold_any`.
pub fn fold_by_table(table: &[u32], c: char, out: &mut String) -> (bool, bool) {
    let Some(&e) = table.get(c as usize) else {
        return fold_any(c, out);
    };
    if e & MULTI != 0 {
        return fold_any(c, out);
    }
    if e & KEPT != 0 {
        let lc = char::from_u32(e & CHAR_BITS).unwrap_or(c);
        if !fold_letter(lc, out) {
            out.push(lc);
        }
    }
    (e & KEPT != 0, e & UPPER != 0)
}

/// Folds `input` (markup already removed) into `out`, which is cleared first; characters
/// outside ASCII go through `fold_other`, which returns (kept, written as a capital).
pub fn fold_text_into(
    input: &str,
    out: &mut Folded,
    mut fold_other: impl FnMut(char, &mut String) -> (bool, bool),
) {
    out.text.clear();
    out.spans.clear();
    out.capitalised.clear();
    out.visible = !input.trim().is_empty();
    let mut start: Option<usize> = None;
    // A capital after the sentence's first word marks a name; after . ! ? a new sentence starts.
    let mut sentence_start = true;
    let close = |out: &mut Folded, start: &mut Option<usize>, sentence_start: &mut bool| {
        if let Some(s) = start.take() {
            out.spans.push((s, out.text.len()));
            *sentence_start = false;
        }
    };
    for c in input.chars() {
        let at = out.text.len();
        let (kept, upper) = match c {
            'a'..='z' | '0'..='9' => {
                out.text.push(c);
                (true, false)
            }
            'A'..='Z' => {
                out.text.push(c.to_ascii_lowercase());
                (true, true)
            }
            '.' | '!' | '?' | ':' | '\n' => {
                close(out, &mut start, &mut sentence_start);
                sentence_start = true;
                continue;
            }
            '&' => {
                close(out, &mut start, &mut sentence_start);
                let s = out.text.len();
                out.text.push_str("og");
                out.spans.push((s, out.text.len()));
                out.capitalised.push(false);
                continue;
            }
            c if c.is_ascii() => (false, false),
            c => fold_other(c, &mut out.text),
        };
        if kept {
            if start.is_none() {
                start = Some(at);
                out.capitalised.push(upper && !sentence_start);
            }
        } else {
            close(out, &mut start, &mut sentence_start);
        }
    }
    close(out, &mut start, &mut sentence_start);
}

/// The folded tokens of `text` (no markup in it), the long way: for the lexicon.
// Also compiled into build.rs, which lays out the tables with it.
#[allow(dead_code)]
pub fn fold_tokens(text: &str) -> Vec<String> {
    let mut f = Folded::default();
    fold_text_into(text, &mut f, fold_any);
    f.tokens().map(str::to_owned).collect()
}
