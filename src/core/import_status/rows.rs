//! The table: rows matched to the catalogue's areas. A row is NAME FREQUENCY MONTH SOURCE NOTE
//! with the columns lost, so it is read from the stream of words: a row starts at the start of
//! a line with an area's name (its words may wrap over lines) followed by a frequency; the
//! month follows; everything up to the next row start is the source and the note.

use chrono::NaiveDate;

use super::date::{is_month_cell, latest_month_not_after, month_number, year};
use super::format::format;
use super::text::{fold, join_wrapped, Tok};
use super::{Problem, StatusError, StatusRow};
use crate::core::catalogue::{Area, AreaId, Catalogue};
use crate::core::reply::Month;
use crate::core::text::echo;
use crate::core::year_month::YearMonth;

/// The longest source the table has held is nine words; a "source" much longer than that is a
/// sentence, that is, a note.
const MAX_SOURCE_WORDS: usize = 12;

/// How many words may stand before a frequency on a line for it to look like a row's start.
const MAX_NAME_WORDS: usize = 4;

pub(super) struct Table<'c> {
    catalogue: &'c Catalogue,
    /// Every area's name as folded words, longest first so "Borger Flex" wins over "Borger".
    names: Vec<(AreaId, Vec<String>)>,
}

/// A row as read, with what tells a whole row from a cut one: whether its drift-note cell was
/// there (a note, or "-"), and the last line its text is on.
pub(super) struct RowRead {
    pub area: AreaId,
    pub row: StatusRow,
    pub note_cell: bool,
    pub last_line: usize,
}

/// Where a row starts: the area, its name as written, its frequency, and the index after it.
pub(super) struct Head {
    area: AreaId,
    name: String,
    frequency: String,
    next: usize,
}

impl<'c> Table<'c> {
    pub fn new(catalogue: &'c Catalogue) -> Self {
        let mut names: Vec<(AreaId, Vec<String>)> = catalogue
            .areas
            .iter()
            .map(|a| (a.id, a.name.split_whitespace().map(fold).collect()))
            .filter(|(_, words): &(AreaId, Vec<String>)| !words.is_empty())
            .collect();
        names.sort_by_key(|(_, words)| std::cmp::Reverse(words.len()));
        Table { catalogue, names }
    }

    /// The areas whose name starts at `p` (longest first), with the index after the name.
    fn names_at<'t>(
        &'t self,
        toks: &'t [Tok<'_>],
        p: usize,
    ) -> impl Iterator<Item = (AreaId, usize)> + 't {
        self.names.iter().filter_map(move |(id, words)| {
            let end = p + words.len();
            let here = toks.get(p..end)?;
            here.iter()
                .zip(words)
                .all(|(t, w)| fold(t.word) == *w)
                .then_some((*id, end))
        })
    }

    /// A row start at `p`: a line's first word, an area's name, a frequency.
    pub fn head_at(&self, toks: &[Tok<'_>], p: usize) -> Option<Head> {
        if !toks.get(p)?.line_start {
            return None;
        }
        self.names_at(toks, p).find_map(|(area, end)| {
            let (frequency, next) = frequency_at(toks, end)?;
            Some(Head {
                area,
                name: words(&toks[p..end]),
                frequency,
                next,
            })
        })
    }

    /// Reads every row of the table's words (page furniture already left out).
    pub fn rows(&self, toks: &[Tok<'_>], date: NaiveDate) -> Result<Vec<RowRead>, StatusError> {
        let mut rows: Vec<RowRead> = Vec::new();
        let mut p = 0;
        while p < toks.len() {
            let Some(head) = self.head_at(toks, p) else {
                return Err(self.not_a_row(toks, p));
            };
            let line = toks[p].line;
            if let Some(first) = rows.iter().find(|r| r.area == head.area) {
                return Err(StatusError::new(
                    line,
                    Problem::DuplicateArea {
                        area: head.name,
                        first_line: first.row.line,
                    },
                ));
            }
            let (through, body) = month_at(toks, &head, line, date)?;
            let end = (body..toks.len())
                .find(|&q| self.head_at(toks, q).is_some())
                .unwrap_or(toks.len());
            self.check_body(toks, body, end)?;
            let area = self.catalogue.area(head.area).ok_or_else(|| {
                StatusError::new(
                    line,
                    Problem::UnknownArea {
                        name: head.name.clone(),
                    },
                )
            })?;
            let lines = by_line(&toks[body..end]);
            let (source, note, note_cell) = source_and_note(&lines, area).map_err(|text| {
                StatusError::new(
                    lines.first().map_or(line, |(no, _)| *no),
                    Problem::SourceOrNote {
                        area: head.name.clone(),
                        text,
                    },
                )
            })?;
            rows.push(RowRead {
                area: head.area,
                row: StatusRow {
                    line,
                    name: head.name,
                    frequency: head.frequency,
                    through,
                    source,
                    note,
                },
                note_cell,
                last_line: toks[..end].last().map_or(line, |t| t.line),
            });
            p = end;
        }
        Ok(rows)
    }

    /// Why the words at `p` (where a row must start) are not one.
    fn not_a_row(&self, toks: &[Tok<'_>], p: usize) -> StatusError {
        if let Some(e) = self.row_like_at(toks, p, None) {
            return e;
        }
        let line = toks[p].line;
        let text = words(
            &toks[p..]
                .iter()
                .take_while(|t| t.line == line)
                .copied()
                .collect::<Vec<_>>(),
        );
        StatusError::new(
            line,
            Problem::NotARow {
                found: echo(&text, 60),
            },
        )
    }

    /// Lines inside a row's source and note that look like a row of their own: an area's name
    /// with a frequency that is not one ("Borger Halvårsvis Juli"), or a frequency and a month
    /// after a name the catalogue does not have ("Nyt område Månedligt Juli"). Without this
    /// check such a row would silently become part of the note above it.
    fn check_body(&self, toks: &[Tok<'_>], from: usize, to: usize) -> Result<(), StatusError> {
        let mut line_start = from;
        for u in from..to {
            if !toks[u].line_start {
                continue;
            }
            let before = (u > line_start).then(|| &toks[line_start..u]);
            if let Some(e) = self.row_like_at(&toks[..to], u, before) {
                return Err(e);
            }
            line_start = u;
        }
        Ok(())
    }

    /// A refusal if the line starting at `u` looks like a row this table cannot place.
    /// `previous` is the line before, which holds the name when the name wrapped.
    fn row_like_at(
        &self,
        toks: &[Tok<'_>],
        u: usize,
        previous: Option<&[Tok<'_>]>,
    ) -> Option<StatusError> {
        let line = toks.get(u)?.line;
        for (_, end) in self.names_at(toks, u) {
            let Some(after) = toks.get(end) else {
                continue;
            };
            if frequency_at(toks, end).is_none()
                && toks.get(end + 1).is_some_and(|t| is_month_cell(t.word))
            {
                return Some(StatusError::new(
                    line,
                    Problem::BadFrequency {
                        area: words(&toks[u..end]),
                        found: echo(after.word, 40),
                    },
                ));
            }
        }
        let same_line = toks[u..]
            .iter()
            .take(MAX_NAME_WORDS + 1)
            .take_while(|t| t.line == line)
            .count();
        for v in u..u + same_line {
            if !toks[v].word.starts_with(char::is_uppercase) {
                continue;
            }
            let Some((_, w)) = frequency_at(toks, v) else {
                continue;
            };
            if !toks.get(w).is_some_and(|t| is_month_cell(t.word)) {
                continue;
            }
            let (name, at) = match (v > u, previous) {
                (true, _) => (words(&toks[u..v]), line),
                (false, Some(prev)) => (words(prev), prev[0].line),
                (false, None) => ("?".to_owned(), line),
            };
            return Some(StatusError::new(
                at,
                Problem::UnknownArea {
                    name: echo(&name, 60),
                },
            ));
        }
        None
    }
}

/// A frequency at `t`: one word, or a word the extraction broke over lines without a hyphen
/// ("Månedligt/år" + "ligt").
fn frequency_at(toks: &[Tok<'_>], t: usize) -> Option<(String, usize)> {
    let f = format();
    (1..=3).rev().find_map(|k| {
        let parts = toks.get(t..t + k)?;
        if parts[1..].iter().any(|p| !p.line_start) {
            return None;
        }
        let word: String = parts.iter().map(|p| p.word).collect();
        f.is_frequency(&word).then_some((word, t + k))
    })
}

/// The month cell after a row's frequency: a month (its year inferred, or written after it),
/// or "-"; the index after it.
fn month_at(
    toks: &[Tok<'_>],
    head: &Head,
    line: usize,
    date: NaiveDate,
) -> Result<(Option<YearMonth>, usize), StatusError> {
    let t = head.next;
    let Some(cell) = toks.get(t) else {
        return Err(StatusError::new(
            toks.last().map_or(line, |t| t.line),
            Problem::MissingMonth {
                area: head.name.clone(),
            },
        ));
    };
    if format().is_none(cell.word) {
        return Ok((None, t + 1));
    }
    let bad = || {
        StatusError::new(
            cell.line,
            Problem::BadMonth {
                area: head.name.clone(),
                found: echo(cell.word, 40),
            },
        )
    };
    let m = month_number(cell.word).ok_or_else(bad)?;
    // A number right after the month on its line is its year ("Juli 2025"): one that is not a
    // year of this century is refused, never taken for the start of the source.
    let written_year = toks
        .get(t + 1)
        .filter(|n| !n.line_start && n.word.bytes().all(|b| b.is_ascii_digit()));
    let (month, next) = match written_year {
        Some(n) => {
            let y = Some(n.word)
                .filter(|w| w.len() == 4)
                .and_then(year)
                .ok_or_else(|| {
                    StatusError::new(
                        n.line,
                        Problem::BadYear {
                            area: head.name.clone(),
                            month: echo(cell.word, 20),
                            found: echo(n.word, 20),
                        },
                    )
                })?;
            (YearMonth::new(y, m), t + 2)
        }
        None => (latest_month_not_after(m, date), t + 1),
    };
    let month = month.ok_or_else(bad)?;
    if month > YearMonth::of_date(date) {
        return Err(StatusError::new(
            cell.line,
            Problem::MonthAfterDocument {
                area: head.name.clone(),
                month: Month(month),
            },
        ));
    }
    Ok((Some(month), next))
}

fn words(toks: &[Tok<'_>]) -> String {
    toks.iter().map(|t| t.word).collect::<Vec<_>>().join(" ")
}

/// The words grouped back into their lines, each line's words joined by one space.
fn by_line(toks: &[Tok<'_>]) -> Vec<(usize, String)> {
    let mut out: Vec<(usize, String)> = Vec::new();
    for t in toks {
        match out.last_mut() {
            Some((no, text)) if *no == t.line => {
                text.push(' ');
                text.push_str(t.word);
            }
            _ => out.push((t.line, t.word.to_owned())),
        }
    }
    out
}

/// Tells the source from the note in a row's remaining text. The two columns run together
/// ("CPR-registret Kører efter planen"), so the split is taken from the first of these that
/// gives a short source and a note that opens like a sentence:
/// 1. "-" first: no source;
/// 2. the source the catalogue has for the area (sources rarely change);
/// 3. the running-to-plan phrase, or the opening words of the note the catalogue has;
/// 4. a line break (where the source wrapped, the note starts on a line of its own);
/// 5. a final "-": no note.
///
/// If none fits, the text is returned as the refusal's quote: a guess would put words in the
/// wrong field without anyone seeing it. The third value says whether the note's cell was there
/// at all (a note, or "-"): a row cut after its source has none.
fn source_and_note(
    lines: &[(usize, String)],
    area: &Area,
) -> Result<(Option<String>, Option<String>, bool), String> {
    let f = format();
    let texts: Vec<&str> = lines.iter().map(|(_, t)| t.as_str()).collect();
    let (joined, line_starts) = join_wrapped(&texts);
    if joined.is_empty() {
        return Ok((None, None, false));
    }
    let starts = word_starts(&joined);
    if let Some(first) = joined.split(' ').next().filter(|w| f.is_none(w)) {
        let rest = &joined[first.len()..];
        return Ok((None, note_value(rest), !rest.trim().is_empty()));
    }
    // Only the catalogue's own source may be longer than a plausible one; other splits past
    // that many words are not tried, which also keeps a long note from costing a check per line.
    let longest_source = starts
        .get(MAX_SOURCE_WORDS)
        .copied()
        .unwrap_or(joined.len());
    let mut splits: Vec<(usize, bool)> = Vec::new();
    if let Some(source) = &area.source {
        let source = source.split_whitespace().collect::<Vec<_>>().join(" ");
        let ends_on_a_word = joined
            .strip_prefix(&source)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with(' '));
        if ends_on_a_word {
            splits.push((source.len(), true));
        }
    }
    if let Some(at) = find_words(&joined, &starts, &f.running) {
        splits.push((at, false));
    }
    if let Some(note) = &area.note {
        let opening: Vec<String> = note.split_whitespace().take(4).map(fold).collect();
        if let Some(at) = find_words(&joined, &starts, &opening) {
            splits.push((at, false));
        }
    }
    splits.extend(
        line_starts
            .iter()
            .skip(1)
            .take_while(|&&at| at <= longest_source)
            .map(|&at| (at, false)),
    );
    if let Some(&last) = starts.last().filter(|&&i| f.is_none(&joined[i..])) {
        splits.push((last, false));
    }
    for (at, known) in splits {
        let (Some(source), Some(note)) = (joined.get(..at), joined.get(at..)) else {
            continue;
        };
        let (source, note) = (source.trim(), note.trim());
        let short_enough = known || at <= longest_source;
        if at == 0 || !short_enough || !(known || plausible_source(source)) || !opens_a_note(note) {
            continue;
        }
        return Ok((Some(source.to_owned()), note_value(note), !note.is_empty()));
    }
    Err(echo(&joined, 60))
}

/// Byte offsets where the words of `s` (single-spaced) start.
fn word_starts(s: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(s.match_indices(' ').map(|(i, _)| i + 1))
        .collect()
}

/// Where `phrase` (folded words) first starts after the first word of `s`.
fn find_words(s: &str, starts: &[usize], phrase: &[String]) -> Option<usize> {
    if phrase.is_empty() {
        return None;
    }
    starts.iter().skip(1).copied().find(|&i| {
        let mut here = s[i..].split(' ');
        phrase
            .iter()
            .all(|p| here.next().is_some_and(|w| fold(w) == *p))
    })
}

/// A source is a name: short, without the punctuation of sentences.
fn plausible_source(s: &str) -> bool {
    !s.is_empty()
        && s.split(' ').count() <= MAX_SOURCE_WORDS
        && ![". ", ", ", ": ", "; "].iter().any(|p| s.contains(p))
        && !s.ends_with(['.', ',', ':', ';'])
}

/// A note opens like a sentence (capital, digit, quote) or is empty or "-"; a lower-case word
/// means the split fell inside a source ("KY" of "KY og KY-ydelser").
fn opens_a_note(note: &str) -> bool {
    let Some(first) = note.split(' ').next().filter(|w| !w.is_empty()) else {
        return true;
    };
    format().is_none(first)
        || first.starts_with(|c: char| c.is_uppercase() || c.is_numeric() || "«\"“„".contains(c))
}

fn note_value(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty() && !format().is_none(s)).then(|| s.to_owned())
}
