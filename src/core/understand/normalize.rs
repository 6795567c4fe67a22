//! Folding question text into plain lowercase tokens: æ/ø/å and ae/oe/aa become the same,
//! punctuation separates, and Discord markup is text, not words: mentions (`<@123>`, `<@&5>`,
//! `<#456>`), custom emoji (`<:flis:789>`), timestamps (`<t:1700000000:R>`), links and the
//! markers of **bold**, __underline__, ~~strike~~, ||spoiler|| and `code` disappear, and the
//! words inside them stay.

use std::borrow::Cow;
use std::sync::OnceLock;

use regex::Regex;

/// Tokens longer than this are not words anyone asks about; they are kept out of fuzzy matching.
pub const MAX_WORD_CHARS: usize = 40;

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

/// Appends the folded form of one lowercase character; returns false for a separator.
fn fold_char(c: char, out: &mut String) -> bool {
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
        c if c.is_alphanumeric() => out.push(c),
        _ => return false,
    }
    true
}

/// Discord markup and links: replaced by a space before folding.
fn markup() -> &'static Regex {
    static MARKUP: OnceLock<Regex> = OnceLock::new();
    MARKUP.get_or_init(|| {
        // A fixed pattern the unit tests exercise; it cannot fail at run time.
        Regex::new(
            r"(?x)
              <(?:@[!&]?|\#)\d{1,24}>          # user, role and channel mentions
            | <a?:\w{1,40}:\d{1,24}>            # custom emoji
            | <t:-?\d{1,20}(?::[a-zA-Z])?>      # timestamps
            | <?https?://[^\s>]*>?             # links
            | \*\*|__|~~|\|\||`+               # bold, underline, strike, spoiler, code
            ",
        )
        .unwrap_or_else(|e| panic!("markup pattern: {e}"))
    })
}

/// `input` without Discord markup (borrowed when there is none).
pub fn strip_markup(input: &str) -> Cow<'_, str> {
    if !input.contains(['<', '*', '_', '~', '|', '`', ':']) {
        return Cow::Borrowed(input);
    }
    markup().replace_all(input, " ")
}

/// Folds `input` into `out`, reusing its buffers.
pub fn fold_into(input: &str, out: &mut Folded) {
    out.text.clear();
    out.spans.clear();
    out.capitalised.clear();
    let input = strip_markup(input);
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
        if matches!(c, '.' | '!' | '?' | ':' | '\n') {
            close(out, &mut start, &mut sentence_start);
            sentence_start = true;
            continue;
        }
        if c == '&' {
            close(out, &mut start, &mut sentence_start);
            let s = out.text.len();
            out.text.push_str("og");
            out.spans.push((s, out.text.len()));
            out.capitalised.push(false);
            continue;
        }
        let at = out.text.len();
        let mut kept = false;
        for lc in c.to_lowercase() {
            kept |= fold_char(lc, &mut out.text);
        }
        if kept {
            if start.is_none() {
                start = Some(at);
                out.capitalised.push(c.is_uppercase() && !sentence_start);
            }
        } else {
            close(out, &mut start, &mut sentence_start);
        }
    }
    close(out, &mut start, &mut sentence_start);
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
    fn discord_markup_is_text_not_words() {
        assert_eq!(
            toks("**status** __FSIII__ ~~nu~~ ||spoiler|| `dream` <@&123> <t:1700000000:R>"),
            ["status", "fsiii", "nu", "spoiler", "dream"]
        );
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
    fn empty_and_hostile_text_folds_without_panic() {
        assert!(toks("").is_empty());
        assert!(toks("\u{202e}\u{0000}\t\n @everyone").len() == 1);
        assert!(toks("<@").is_empty());
        let long = "å".repeat(100_000);
        assert_eq!(fold(&long).spans.len(), 1);
    }
}
