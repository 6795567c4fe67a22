//! Folding question text into plain lowercase tokens: æ/ø/å and ae/oe/aa become the same,
//! punctuation separates, Discord mentions (`<@123>`, `<#456>`, `<:emoji:789>`) disappear.

/// Tokens longer than this are not words anyone asks about; they are kept out of fuzzy matching.
pub const MAX_WORD_CHARS: usize = 40;

/// The folded text and the byte spans of its tokens.
#[derive(Default, Debug)]
pub struct Folded {
    pub text: String,
    pub spans: Vec<(usize, usize)>,
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

/// Folds `input` into `out`, reusing its buffers.
pub fn fold_into(input: &str, out: &mut Folded) {
    out.text.clear();
    out.spans.clear();
    let mut start: Option<usize> = None;
    let mut chars = input.chars().peekable();
    let close = |out: &mut Folded, start: &mut Option<usize>| {
        if let Some(s) = start.take() {
            out.spans.push((s, out.text.len()));
        }
    };
    while let Some(c) = chars.next() {
        if c == '<' && matches!(chars.peek(), Some('@' | '#' | ':' | 'a')) {
            // A Discord mention or custom emoji: skip to the closing '>' if it is near.
            let rest: String = chars.clone().take(80).collect();
            if let Some(end) = rest.find('>') {
                let inner = &rest[..end];
                if inner.starts_with(['@', '#', ':']) || inner.starts_with("a:") {
                    close(out, &mut start);
                    for _ in 0..=inner.chars().count() {
                        chars.next();
                    }
                    continue;
                }
            }
        }
        if c == '&' {
            close(out, &mut start);
            let s = out.text.len();
            out.text.push_str("og");
            out.spans.push((s, out.text.len()));
            continue;
        }
        let at = out.text.len();
        let mut kept = false;
        for lc in c.to_lowercase() {
            kept |= fold_char(lc, &mut out.text);
        }
        if kept {
            start.get_or_insert(at);
        } else {
            close(out, &mut start);
        }
    }
    close(out, &mut start);
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
    fn empty_and_hostile_text_folds_without_panic() {
        assert!(toks("").is_empty());
        assert!(toks("\u{202e}\u{0000}\t\n @everyone").len() == 1);
        assert!(toks("<@").is_empty());
        let long = "å".repeat(100_000);
        assert_eq!(fold(&long).spans.len(), 1);
    }
}
