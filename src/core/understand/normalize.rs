//! Folding question text into plain lowercase tokens: æ/ø/å and ae/oe/aa become the same,
//! punctuation separates, and Discord markup is text, not words: mentions (`<@123>`, `<@&5>`,
//! `<#456>`), custom emoji (`<:flis:789>`), timestamps (`<t:1700000000:R>`), links and the
//! markers of **bold**, __underline__, ||spoiler|| and `code` disappear, and the words inside
//! them stay. Struck-out text (`~~ky~~ kp`) disappears whole: the writer took it back. Emoji
//! shortcodes (`:eyes:`) disappear too, but for those the lexicon names (`:wave:`), which stay
//! as their name. A signature that ends the message is left out (`drop_signature`).

use std::borrow::Cow;

pub use super::fold::Folded;
use super::fold::{alphabetic_by_table, fold_text_into};
use super::tables::{
    CLOSING_PHRASES, FOLD_TABLE, SHORTCODES, SIGNATURE_ENDS, SIGNATURE_STARTS, SIGN_OFF_WORDS,
};

/// Tokens longer than this are not words anyone asks about; they are kept out of fuzzy matching.
pub const MAX_WORD_CHARS: usize = 40;

/// The length of the Discord markup or link starting at byte `i` of `s`, if one does: a
/// mention, custom emoji or timestamp in angle brackets, a link (optionally in angle
/// brackets), struck-out text with its markers, or a run of markup markers.
fn markup_at(s: &str, i: usize) -> Option<usize> {
    let b = s.as_bytes();
    let rest = &b[i..];
    match rest {
        [b'~', b'~', ..] => Some(
            rest[2..]
                .windows(2)
                .position(|w| w == b"~~")
                .map_or(2, |end| end + 4),
        ),
        [b'*', b'*', ..] | [b'_', b'_', ..] | [b'|', b'|', ..] => Some(2),
        [b'`', ..] => Some(rest.iter().take_while(|&&c| c == b'`').count()),
        [b'<', ..] => mention(rest)
            .or_else(|| emoji(s, i))
            .or_else(|| timestamp(rest))
            .or_else(|| link(s, i + 1).map(|n| n + 1)),
        [b'h', ..] => link(s, i),
        [b':', ..] => shortcode(rest).map(|n| n.len),
        _ => None,
    }
}

/// An emoji shortcode at the start of `b` (`:eyes:`, `:white_check_mark:`): its length, and
/// whether the lexicon names it (`:wave:` is a greeting), when its name is then kept as a word.
struct Shortcode {
    len: usize,
    kept: bool,
}

fn shortcode(b: &[u8]) -> Option<Shortcode> {
    let name_len = b
        .get(1..)?
        .iter()
        .take_while(|c| {
            c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, b'_' | b'+' | b'-')
        })
        .count();
    let name = b.get(1..1 + name_len)?;
    if !(1..=40).contains(&name_len)
        || b.get(1 + name_len) != Some(&b':')
        || !name.iter().any(u8::is_ascii_lowercase)
    {
        return None;
    }
    Some(Shortcode {
        len: name_len + 2,
        kept: SHORTCODES.iter().any(|s| s.as_bytes() == name),
    })
}

/// Up to `max` ASCII digits at the start of `b` (at least one): how many.
fn digits(b: &[u8], max: usize) -> Option<usize> {
    let n = b.iter().take_while(|c| c.is_ascii_digit()).count();
    (1..=max).contains(&n).then_some(n)
}

/// `<@123>`, `<@!123>`, `<@&123>`, `<#123>`.
fn mention(b: &[u8]) -> Option<usize> {
    let head = match b {
        [b'<', b'@', b'!' | b'&', ..] => 3,
        [b'<', b'@' | b'#', ..] => 2,
        _ => return None,
    };
    let n = digits(&b[head..], 24)?;
    (b.get(head + n) == Some(&b'>')).then_some(head + n + 1)
}

/// `<:name:123>`, `<a:name:123>` (a name of word characters).
fn emoji(s: &str, i: usize) -> Option<usize> {
    let b = s.as_bytes();
    let head = match &b[i..] {
        [b'<', b':', ..] => 2,
        [b'<', b'a', b':', ..] => 3,
        _ => return None,
    };
    let name = s.get(i + head..)?;
    let (mut chars, mut bytes) = (0, 0);
    for c in name.chars() {
        if !(c.is_alphanumeric() || c == '_') || chars == 40 {
            break;
        }
        chars += 1;
        bytes += c.len_utf8();
    }
    let at = i + head + bytes;
    if chars == 0 || b.get(at) != Some(&b':') {
        return None;
    }
    let n = digits(&b[at + 1..], 24)?;
    (b.get(at + 1 + n) == Some(&b'>')).then_some(at + 2 + n - i)
}

/// `<t:1700000000>`, `<t:1700000000:R>`.
fn timestamp(b: &[u8]) -> Option<usize> {
    let mut at = match b {
        [b'<', b't', b':', b'-', ..] => 4,
        [b'<', b't', b':', ..] => 3,
        _ => return None,
    };
    at += digits(&b[at..], 20)?;
    if let [b':', c, ..] = &b[at..] {
        if c.is_ascii_alphabetic() {
            at += 2;
        }
    }
    (b.get(at) == Some(&b'>')).then_some(at + 1)
}

/// `http://…` or `https://…` up to white space or `>`, and a closing `>`.
fn link(s: &str, i: usize) -> Option<usize> {
    let rest = s.get(i..)?;
    let head = if rest.starts_with("https://") {
        8
    } else if rest.starts_with("http://") {
        7
    } else {
        return None;
    };
    let body: usize = rest[head..]
        .chars()
        .take_while(|c| !c.is_whitespace() && *c != '>')
        .map(char::len_utf8)
        .sum();
    let end = head + body;
    Some(if rest.as_bytes().get(end) == Some(&b'>') {
        end + 1
    } else {
        end
    })
}

/// The web address around the dot at `bytes[dot]` when a common top-level domain follows it
/// ("borger.dk"): its start and end (the end of its path, up to white space).
fn bare_domain(bytes: &[u8], dot: usize) -> Option<(usize, usize)> {
    const TLDS: [&[u8]; 9] = [
        b"dk", b"com", b"org", b"net", b"eu", b"io", b"nu", b"gov", b"edu",
    ];
    let host = |c: &u8| c.is_ascii_alphanumeric() || *c == b'-';
    let tld_len = bytes[dot + 1..]
        .iter()
        .take_while(|c| c.is_ascii_alphabetic())
        .count();
    let tld = &bytes[dot + 1..dot + 1 + tld_len];
    if !TLDS.iter().any(|t| t.eq_ignore_ascii_case(tld)) || dot == 0 || !host(&bytes[dot - 1]) {
        return None;
    }
    let start = bytes[..dot]
        .iter()
        .rposition(|c| !(host(c) || *c == b'.'))
        .map_or(0, |p| p + 1);
    let mut end = dot + 1 + tld_len;
    if bytes.get(end) == Some(&b'/') {
        end += bytes[end..]
            .iter()
            .take_while(|c| !c.is_ascii_whitespace())
            .count();
    }
    Some((start, end))
}

/// A lookup table of `bytes`.
const fn byte_set(bytes: &[u8]) -> [bool; 256] {
    let mut set = [false; 256];
    let mut i = 0;
    while i < bytes.len() {
        set[bytes[i] as usize] = true;
        i += 1;
    }
    set
}

/// Whether the markup at the start of `b` is an emoji (custom or a shortcode).
fn is_emoji(b: &[u8]) -> bool {
    matches!(b, [b'<', b':', ..] | [b'<', b'a', b':', ..] | [b':', ..])
}

/// `input` without Discord markup (borrowed when there is none); each piece of markup becomes
/// a space.
pub fn strip_markup(input: &str) -> Cow<'_, str> {
    // Every piece of markup holds one of these bytes (a link its colon).
    const ANY: [bool; 256] = byte_set(b"<*_~|`:.");
    // Markup starts with one of these, never inside a multi-byte character.
    const START: [bool; 256] = byte_set(b"<*_~|`h:.");
    let bytes = input.as_bytes();
    if !bytes.iter().any(|&b| ANY[usize::from(b)]) {
        return Cow::Borrowed(input);
    }
    let mut out = String::new();
    let (mut i, mut copied) = (0, 0);
    while i < bytes.len() {
        if bytes[i] == b'.' {
            // A web address without its scheme ("borger.dk", "www.kl.dk/nyheder"): the whole
            // address goes, name and all.
            if let Some((start, end)) = bare_domain(bytes, i).filter(|(start, _)| *start >= copied)
            {
                out.push_str(&input[copied..start]);
                out.push(' ');
                i = end;
                copied = end;
            } else {
                i += 1;
            }
            continue;
        }
        match START[usize::from(bytes[i])]
            .then(|| markup_at(input, i))
            .flatten()
        {
            Some(n) => {
                out.push_str(&input[copied..i]);
                // Emoji leave the text visible (an emoji alone is chatter, not a bare mention).
                out.push_str(if is_emoji(&bytes[i..]) { " ~ " } else { " " });
                // A shortcode the lexicon names stays as its name.
                if let Some(code) = shortcode(&bytes[i..]).filter(|c| c.kept && c.len == n) {
                    out.push_str(&input[i + 1..i + code.len - 1]);
                    out.push(' ');
                }
                i += n;
                copied = i;
            }
            None => i += 1,
        }
    }
    if copied == 0 {
        return Cow::Borrowed(input);
    }
    out.push_str(&input[copied..]);
    Cow::Owned(out)
}

/// Folds `input` into `out`, reusing its buffers; a signature at the end is left out.
pub fn fold_into(input: &str, out: &mut Folded) {
    let input = strip_markup(input);
    fold_text_into(&input, out, Some(&FOLD_TABLE));
    drop_signature(out);
}

/// A name after a closing has at most this many words ("Ellen Marie Kristensen", "K.
/// Mikkelsen").
const NAME_WORDS: usize = 4;
/// The most words a closing has ("med de venligste hilsner"); a test holds the lexicon to it.
const CLOSING_WORDS: usize = 4;

/// Whether `token` may be one of the words whose lengths `lengths` holds by first letter
/// (`SIGNATURE_STARTS`, `SIGNATURE_ENDS`): most words are ruled out without comparing them to
/// any.
fn may_be(lengths: &[u32; 26], token: &str) -> bool {
    match token.as_bytes().first() {
        Some(&c @ b'a'..=b'z') => lengths[usize::from(c - b'a')] & 1 << token.len().min(31) != 0,
        _ => false,
    }
}

/// Leaves out the signature that ends a message, closing by closing: "… Vh. Ellen", "… På
/// forhånd tak. Med venlig hilsen Tove". The words of a signature say nothing the message
/// asks, and would be read as if they did: "Vh." as VH, "hilsen" as a greeting, the many
/// courteous words as chatter. A closing (`CLOSING_PHRASES`) ends a message alone or before
/// a name; a sign-off (`SIGN_OFF_WORDS`, "vh") only before a name written with a capital, at
/// the start of a sentence or after a comma (inside a sentence the parser reads "vh Anne"
/// itself). A message that is nothing but a signature is left as it is.
fn drop_signature(out: &mut Folded) {
    loop {
        let n = out.spans.len();
        let token = |i: usize| out.spans.get(i).map(|&(s, e)| &out.text[s..e]);
        let capital = |j: usize| out.initial_capital.get(j) == Some(&true);
        let names_from = |i: usize, any_case: bool| {
            n - i <= NAME_WORDS && (any_case && n - i <= 2 || (i..n).all(capital))
        };
        let starts_sentence = |i: usize| {
            out.breaks.get(i) == Some(&true)
                || i.checked_sub(1)
                    .is_some_and(|p| out.sentences.get(p) != out.sentences.get(i))
        };
        // A signature ends in a name written as one, or within two words of a closing's end
        // ("… mvh ole"): most messages are ruled out here.
        let ends_like_one = n.checked_sub(1).is_some_and(capital)
            || (n.saturating_sub(3)..n)
                .any(|i| may_be(&SIGNATURE_ENDS, token(i).unwrap_or_default()));
        if !ends_like_one {
            return;
        }
        // A signature is a closing of at most `CLOSING_WORDS` words and a name.
        // The earliest start wins: "med venlig hilsen", not "venlig hilsen" inside it.
        let found = (n.saturating_sub(CLOSING_WORDS + NAME_WORDS)..n).find(|&i| {
            let first = token(i).unwrap_or_default();
            if !may_be(&SIGNATURE_STARTS, first) {
                return false;
            }
            let from = CLOSING_PHRASES.partition_point(|c| c[0] < first);
            let closing = CLOSING_PHRASES[from..]
                .iter()
                .take_while(|c| c[0] == first)
                .any(|c| {
                    (1..c.len()).all(|k| token(i + k) == Some(c[k]))
                        && names_from(i + c.len(), true)
                });
            closing
                || (SIGN_OFF_WORDS.contains(&first)
                    && starts_sentence(i)
                    && i + 1 < n
                    && names_from(i + 1, false))
        });
        let Some(at) = found.filter(|&at| at > 0) else {
            return;
        };
        out.spans.truncate(at);
        out.capitalised.truncate(at);
        out.initial_capital.truncate(at);
        out.shouted.truncate(at);
        out.breaks.truncate(at);
        out.sentences.truncate(at);
    }
}

/// `c.is_alphabetic()`, without Unicode lookups for most characters.
pub fn is_alphabetic(c: char) -> bool {
    alphabetic_by_table(&FOLD_TABLE, c)
}

pub fn fold(input: &str) -> Folded {
    let mut out = Folded::default();
    fold_into(input, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str) -> Vec<String> {
        fold(s).tokens().map(str::to_owned).collect()
    }

    #[test]
    fn danish_letters_and_their_ascii_spellings_fold_alike() {
        assert_eq!(
            toks("Hvornår kommer ÆLDRE-data?"),
            ["hvornaar", "kommer", "aeldre", "data"]
        );
        assert_eq!(
            toks("hvornaar kommer aeldre"),
            ["hvornaar", "kommer", "aeldre"]
        );
        assert_eq!(toks("Økonomi"), toks("oekonomi"));
    }

    #[test]
    fn punctuation_separates_and_ampersand_means_og() {
        assert_eq!(toks("personale & fravær"), ["personale", "og", "fravaer"]);
        assert_eq!(
            toks("status skole/dagtilbud!!"),
            ["status", "skole", "dagtilbud"]
        );
        assert_eq!(toks("/status FSIII"), ["status", "fsiii"]);
        assert_eq!(toks("t.o.m."), ["t", "o", "m"]);
    }

    #[test]
    fn discord_mentions_and_emoji_are_dropped() {
        assert_eq!(toks("<@123456> status dream"), ["status", "dream"]);
        assert_eq!(
            toks("<@!123>hvornår <#99> kommer <:flis:42> <a:x:1> KY"),
            ["hvornaar", "kommer", "ky"]
        );
        assert_eq!(toks("a<b og c>d"), ["a", "b", "og", "c", "d"]);
    }

    #[test]
    fn a_signature_at_the_end_is_left_out() {
        let cases: [(&str, &[&str]); 10] = [
            // A sign-off at a sentence's start before a written name.
            (
                "Hej flisbot. DFDG, noget nyt? Vh. Jørgen",
                &["hej", "flisbot", "dfdg", "noget", "nyt"],
            ),
            (
                "Er data kommet? Vh. Ellen Marie Kristensen",
                &["er", "data", "kommet"],
            ),
            // Closing by closing, and a closing before an initial and a name.
            (
                "Er VH opdateret? På forhånd tak. Med venlig hilsen Else",
                &["er", "vh", "opdateret"],
            ),
            (
                "Hvad er datoen? Med kollegial hilsen K. Mikkelsen",
                &["hvad", "er", "datoen"],
            ),
            // A closing needs no name, and its name may be written small.
            ("status dream, mvh", &["status", "dream"]),
            ("status dream mvh ole", &["status", "dream"]),
            // A sign-off asked about is no signature: no name after it, a name not written as
            // one, or inside a sentence (which the parser reads itself).
            (
                "hvornår kommer dream? vh",
                &["hvornaar", "kommer", "dream", "vh"],
            ),
            ("status? vh tak", &["status", "vh", "tak"]),
            ("status VH Nord", &["status", "vh", "nord"]),
            // A message that is only a signature stays.
            (
                "Med venlig hilsen Tove",
                &["med", "venlig", "hilsen", "tove"],
            ),
        ];
        for (text, want) in cases {
            assert_eq!(toks(text), want, "{text}");
        }
        // Every field is cut where the tokens are.
        let f = fold("Er KY oppe? Vh. Anne");
        assert_eq!(
            [
                f.capitalised.len(),
                f.initial_capital.len(),
                f.shouted.len(),
                f.breaks.len()
            ],
            [3; 4]
        );
        assert_eq!(f.sentences.len(), 3);
    }

    #[test]
    fn every_closing_and_sign_off_may_start_a_signature_and_every_closing_end_one() {
        let firsts = CLOSING_PHRASES
            .iter()
            .map(|c| c[0])
            .chain(SIGN_OFF_WORDS.iter().copied());
        for w in firsts {
            assert!(may_be(&SIGNATURE_STARTS, w), "{w}");
        }
        for c in CLOSING_PHRASES {
            assert!(may_be(&SIGNATURE_ENDS, c[c.len() - 1]), "{c:?}");
        }
        for w in ["status", "dream", "hvornaar", "", "æ", "x"] {
            assert!(
                !may_be(&SIGNATURE_STARTS, w) && !may_be(&SIGNATURE_ENDS, w),
                "{w}"
            );
        }
    }

    proptest::proptest! {
        /// Any mix of closings, sign-offs, names and other words, with any punctuation, folds
        /// without a panic into tokens whose every field has one entry per token.
        #[test]
        fn signatures_of_any_shape_fold_to_whole_tokens(
            words in proptest::collection::vec(
                proptest::sample::select(vec![
                    "Vh", "vh", "mvh", "Mvh.", "Med", "venlig", "hilsen", "hilsner", "de",
                    "bedste", "På", "forhånd", "tak", "Ellen", "K.", "status", "DREAM", "?",
                    ",", ".", "~~", "\n", "",
                ]),
                0..14,
            ),
        ) {
            let text = words.join(" ");
            let f = fold(&text);
            let n = f.spans.len();
            proptest::prop_assert_eq!(
                [f.capitalised.len(), f.initial_capital.len(), f.shouted.len(), f.breaks.len(),
                    f.sentences.len()],
                [n; 5]
            );
        }
    }

    #[test]
    fn the_closings_are_in_order_of_their_first_word() {
        assert!(CLOSING_PHRASES.windows(2).all(|w| w[0][0] <= w[1][0]));
    }

    #[test]
    fn no_closing_is_longer_than_the_signature_search_looks() {
        assert!(CLOSING_PHRASES.iter().all(|c| c.len() <= CLOSING_WORDS));
        assert!(CLOSING_PHRASES.iter().any(|c| c.len() == CLOSING_WORDS));
    }

    #[test]
    fn discord_markup_is_text_not_words() {
        assert_eq!(
            toks("**status** __FSIII__ ~~nu~~ ||spoiler|| `dream` <@&123> <t:1700000000:R>"),
            ["status", "fsiii", "spoiler", "dream"]
        );
        // What is struck out was taken back; a lone marker is only a marker.
        assert_eq!(toks("~~ky~~ kp status"), ["kp", "status"]);
        assert_eq!(toks("~~ky, dream~~kp"), ["kp"]);
        assert_eq!(toks("ky ~~ kp"), ["ky", "kp"]);
        assert_eq!(
            toks("se https://flis.dk/status?x=1 og <https://example.org/a> tak"),
            ["se", "og", "tak"]
        );
        assert_eq!(toks("```\nstatus ky\n```"), ["status", "ky"]);
    }

    #[test]
    fn a_capital_inside_a_sentence_marks_a_name() {
        let f = fold("Virker Teams? Er Outlook nede, og er DREAM ok");
        let caps: Vec<(&str, bool)> = f.tokens().zip(f.capitalised.iter().copied()).collect();
        assert_eq!(
            caps,
            [
                ("virker", false),
                ("teams", true),
                ("er", false),
                ("outlook", true),
                ("nede", false),
                ("og", false),
                ("er", false),
                ("dream", true),
                ("ok", false)
            ]
        );
    }

    #[test]
    fn a_word_in_capitals_only_is_marked() {
        let f = fold("Er DREAM og ÆLDRE ude, FS3 og Aula? I");
        let shouted: Vec<(&str, bool)> = f.tokens().zip(f.shouted.iter().copied()).collect();
        assert_eq!(
            shouted,
            [
                ("er", false),
                ("dream", true),
                ("og", false),
                ("aeldre", true),
                ("ude", false),
                ("fs3", false),
                ("og", false),
                ("aula", false),
                ("i", false)
            ]
        );
        assert_eq!(f.shouted.len(), f.spans.len());
    }

    #[test]
    fn the_folding_table_folds_as_the_standard_library_does() {
        use crate::core::understand::fold::{fold_any, fold_by_table};
        for c in (0..0x3000).filter_map(char::from_u32) {
            let (mut by_table, mut by_std) = (String::new(), String::new());
            let flags = fold_by_table(&FOLD_TABLE, c, &mut by_table);
            assert_eq!(flags, fold_any(c, &mut by_std), "{c:?}");
            assert_eq!(by_table, by_std, "{c:?}");
            assert_eq!(is_alphabetic(c), c.is_alphabetic(), "{c:?}");
        }
        let mixed = "Æblegrød ÅRHUS İstanbul Σίσυφος Ǆemal ﬀ 東京 ⅫX ɯɐʇ Ʒ ǅ ΐΰ ǰ ßẞ";
        let mut by_std = Folded::default();
        fold_text_into(mixed, &mut by_std, None);
        let by_table = fold(mixed);
        assert_eq!(by_table.text, by_std.text);
        assert_eq!(by_table.spans, by_std.spans);
        assert_eq!(by_table.capitalised, by_std.capitalised);
        assert_eq!(by_table.shouted, by_std.shouted);
    }

    #[test]
    fn empty_and_hostile_text_folds_without_panic() {
        assert!(toks("").is_empty());
        assert!(toks("\u{202e}\u{0000}\t\n @everyone").len() == 1);
        assert!(toks("<@").is_empty());
        let long = "å".repeat(100_000);
        assert_eq!(fold(&long).spans.len(), 1);
    }
}
