//! Replies are written in Discord's Markdown (`**fed**`, `_kursiv_`). On a terminal that is
//! shown as bold and italic (ANSI), in a pipe or a file as plain text, never as asterisks.

use std::io::IsTerminal;

/// How Markdown reaches whoever reads the output.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Style {
    /// A terminal: bold and italic as ANSI escapes.
    Ansi,
    /// A pipe or a file, or a terminal with `NO_COLOR` set: the words alone.
    Plain,
    /// Left as Markdown: output the caller lays out itself (the running bot answering a
    /// command through its socket).
    Markdown,
}

impl Style {
    /// ANSI when stdout is a terminal and `NO_COLOR` is unset (or empty), else plain.
    pub(crate) fn of_stdout() -> Style {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        if std::io::stdout().is_terminal() && !no_color {
            Style::Ansi
        } else {
            Style::Plain
        }
    }
}

const BOLD: (&str, &str) = ("\x1b[1m", "\x1b[22m");
const ITALIC: (&str, &str) = ("\x1b[3m", "\x1b[23m");

/// `markdown` for `style`: `**x**` bold, `_x_` (between word boundaries) italic; an
/// unmatched marker and an underscore inside a word stay as they are.
pub(crate) fn for_terminal(markdown: &str, style: Style) -> String {
    if style == Style::Markdown {
        return markdown.to_owned();
    }
    markdown
        .split('\n')
        .map(|line| line_for_terminal(line, style))
        .collect::<Vec<_>>()
        .join("\n")
}

fn line_for_terminal(line: &str, style: Style) -> String {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::with_capacity(line.len() + 16);
    let wrap = |out: &mut String, (on, off): (&str, &str), inner: &str| {
        if style == Style::Ansi {
            out.push_str(on);
            out.push_str(inner);
            out.push_str(off);
        } else {
            out.push_str(inner);
        }
    };
    let boundary = |c: Option<&char>| c.is_none_or(|c| !c.is_alphanumeric() && *c != '_');
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '*' && chars.get(i + 1) == Some(&'*') {
            let close = (i + 2..chars.len().saturating_sub(1))
                .find(|&j| chars[j] == '*' && chars[j + 1] == '*');
            if let Some(j) = close.filter(|&j| j > i + 2) {
                let inner: String = chars[i + 2..j].iter().collect();
                // Markdown inside bold (italic in a bold name) is laid out too.
                let inner = line_for_terminal(&inner, style);
                wrap(&mut out, BOLD, &inner);
                i = j + 2;
                continue;
            }
        }
        if chars[i] == '_'
            && boundary(i.checked_sub(1).and_then(|p| chars.get(p)))
            && chars
                .get(i + 1)
                .is_some_and(|c| !c.is_whitespace() && *c != '_')
        {
            let close = (i + 2..chars.len()).find(|&j| {
                chars[j] == '_' && !chars[j - 1].is_whitespace() && boundary(chars.get(j + 1))
            });
            if let Some(j) = close {
                let inner: String = chars[i + 1..j].iter().collect();
                let inner = line_for_terminal(&inner, style);
                wrap(&mut out, ITALIC, &inner);
                i = j + 1;
                continue;
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_is_bold_on_a_terminal_and_plain_in_a_pipe() {
        let md = "**Ja** – KY har data t.o.m. juli 2025.\n_Status pr. 10. september 2025._";
        assert_eq!(
            for_terminal(md, Style::Plain),
            "Ja – KY har data t.o.m. juli 2025.\nStatus pr. 10. september 2025."
        );
        assert_eq!(
            for_terminal(md, Style::Ansi),
            "\x1b[1mJa\x1b[22m – KY har data t.o.m. juli 2025.\n\x1b[3mStatus pr. 10. september 2025.\x1b[23m"
        );
        assert_eq!(for_terminal(md, Style::Markdown), md);
    }

    #[test]
    fn what_is_not_markdown_is_left_alone() {
        for (text, plain) in [
            (
                "flisbot_questions_answered_total",
                "flisbot_questions_answered_total",
            ),
            ("2 * 3 ** 4", "2 * 3 ** 4"),
            ("**", "**"),
            ("****", "****"),
            ("a _ b", "a _ b"),
            ("__init__", "__init__"),
            (
                "🟡 **KRL Personale** (Tværgående): _se noten_.",
                "🟡 KRL Personale (Tværgående): se noten.",
            ),
            ("**Nej, ikke endnu** – **i dag**", "Nej, ikke endnu – i dag"),
        ] {
            assert_eq!(for_terminal(text, Style::Plain), plain, "{text}");
        }
    }
}
