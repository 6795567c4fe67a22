//! Reading the document: bytes to text (or a refusal naming the line), text to numbered lines
//! of words, and the joining of wrapped lines the way a reader reads them.

use super::{Problem, StatusError};

/// The largest document read. A status overview is a few kilobytes; this bounds what a wrong
/// file (or a chat attachment) can make us hold.
pub const MAX_DOCUMENT_BYTES: usize = 1 << 20;

/// The document's bytes as text: UTF-8 (a byte-order mark is dropped), not a PDF, not binary,
/// not empty, not over `MAX_DOCUMENT_BYTES`.
pub fn decode(bytes: &[u8]) -> Result<&str, StatusError> {
    let line_at = |offset: usize| {
        1 + bytes[..offset.min(bytes.len())]
            .iter()
            .filter(|b| **b == b'\n')
            .count()
    };
    if bytes.len() > MAX_DOCUMENT_BYTES {
        return Err(StatusError::new(
            line_at(MAX_DOCUMENT_BYTES),
            Problem::TooLarge {
                max: MAX_DOCUMENT_BYTES,
            },
        ));
    }
    if bytes.starts_with(b"%PDF-") {
        return Err(StatusError::new(1, Problem::Pdf));
    }
    let text = std::str::from_utf8(bytes)
        .map_err(|e| StatusError::new(line_at(e.valid_up_to()), Problem::NotUtf8))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    check_text(text)?;
    Ok(text)
}

/// Refuses text that is empty or holds control characters a text extraction never writes
/// (tab, carriage return and the form feed pdftotext puts between pages are fine).
pub(super) fn check_text(text: &str) -> Result<(), StatusError> {
    if text.trim().is_empty() {
        return Err(StatusError::new(1, Problem::Empty));
    }
    for (i, line) in raw_lines(text).enumerate() {
        let binary = line
            .chars()
            .find(|c| c.is_control() && !matches!(c, '\t' | '\r' | '\x0c'));
        if let Some(c) = binary {
            return Err(StatusError::new(
                i + 1,
                Problem::Binary {
                    code: format!("U+{:04X}", u32::from(c)),
                },
            ));
        }
    }
    Ok(())
}

/// Lines split on "\n" ("\r\n" leaves a "\r" that is whitespace), or on "\r" for a file that
/// has no "\n" at all.
fn raw_lines(text: &str) -> impl Iterator<Item = &str> {
    let sep = if text.contains('\n') { '\n' } else { '\r' };
    text.split(sep)
}

/// One line of the document: its 1-based number and its words.
#[derive(Debug)]
pub(super) struct Line<'a> {
    pub no: usize,
    pub words: Vec<&'a str>,
}

pub(super) fn lines(text: &str) -> Vec<Line<'_>> {
    raw_lines(text)
        .enumerate()
        .map(|(i, l)| Line {
            no: i + 1,
            words: l.split_whitespace().collect(),
        })
        .collect()
}

/// A word in the stream of the table's words.
#[derive(Clone, Copy, Debug)]
pub(super) struct Tok<'a> {
    pub word: &'a str,
    pub line: usize,
    /// The first word of its line: rows start only there.
    pub line_start: bool,
}

/// The words of some lines as one stream: table cells run over lines with no marker of where
/// a cell ends, so rows are read from the words, with line starts kept as the one clue.
pub(super) struct Stream<'a> {
    pub tokens: Vec<Tok<'a>>,
    /// Per line number, the index of its first word (looked up for every line: no search).
    first: std::collections::HashMap<usize, usize>,
}

impl<'a> Stream<'a> {
    pub fn of(lines: &[Line<'a>], keep: impl Fn(&Line<'a>) -> bool) -> Self {
        let mut tokens = Vec::new();
        let mut first = std::collections::HashMap::new();
        for line in lines.iter().filter(|l| keep(l)) {
            if !line.words.is_empty() {
                first.insert(line.no, tokens.len());
            }
            for (i, w) in line.words.iter().enumerate() {
                tokens.push(Tok {
                    word: w,
                    line: line.no,
                    line_start: i == 0,
                });
            }
        }
        Stream { tokens, first }
    }

    /// The index of line `no`'s first word, if it has one.
    pub fn first_token_of(&self, no: usize) -> Option<usize> {
        self.first.get(&no).copied()
    }
}

/// Lower case, for matching without regard to case.
pub(super) fn fold(s: &str) -> String {
    s.to_lowercase()
}

/// Joins wrapped lines as a reader reads them: with one space, but with none after a hyphen
/// that ends a word part ("EOJ-" + "løsninger)" is "EOJ-løsninger)"; the slides wrap at
/// hyphens rather than adding them). Also returns where each line starts in the result.
pub(super) fn join_wrapped<S: AsRef<str>>(lines: &[S]) -> (String, Vec<usize>) {
    let mut out = String::new();
    let mut starts = Vec::with_capacity(lines.len());
    for line in lines {
        let line = line.as_ref().trim();
        if !out.is_empty() && !line.is_empty() && !wraps_at_hyphen(&out, line) {
            out.push(' ');
        }
        starts.push(out.len());
        out.push_str(line);
    }
    (out, starts)
}

fn wraps_at_hyphen(before: &str, next: &str) -> bool {
    let mut tail = before.chars().rev();
    tail.next() == Some('-')
        && tail.next().is_some_and(char::is_alphanumeric)
        && next.chars().next().is_some_and(char::is_alphanumeric)
}
