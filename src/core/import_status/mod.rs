//! FLIS' monthly status document ("Status på drift og opdateringsfrekvens, pr. 10/9-25") read
//! from its text as a PDF text extraction gives it: one cell per line or several, names,
//! sources and notes wrapped, page and column headers repeated mid-table, blank lines, stray page
//! numbers. `parse` is pure: text and the catalogue (for the area names) in, a typed
//! `StatusDocument` or an error naming the line and what was expected out. It never touches the
//! store, the clock or a chat platform; `operations` reads a request into a document and plans
//! the import from it.
//!
//! The modules follow the reading: `text` (bytes to lines), `date` (the document date, the years
//! of months), `rows` (table rows matched to areas, source and note told apart), `state` (a
//! note's state), `rules` (the rules section and how it changed), `view` (what the operator is
//! shown). The words the document is built from are data: `data/status_document.toml`.
//!
//! No Danish is written here: the operator's view holds the document's day (`reply::Day`) and
//! each area's `State`, a `Problem` holds typed days, months and groups, and `views::danish`,
//! `responses/_import_status.md` and `responses/document_problem.md` word them. What stays is
//! reading: the groups' names (`Group::flis_name`) are matched against the document's group
//! headings, the month names (`DANISH_MONTHS`) against its month cells; and `document_label`
//! ("pr. 10/11-25") is FLIS' own dating of the document, by which history names the import.

mod date;
mod format;
mod rows;
mod rules;
mod state;
mod text;
mod view;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::OnceLock;

use chrono::{Datelike, NaiveDate};

use crate::core::catalogue::{default_catalogue, Area, AreaId, Catalogue, Group, State};
use crate::core::reply::{Day, Month};
use crate::core::text::echo;
use crate::core::year_month::YearMonth;

pub use rules::{rules_changes, RuleChange, RuleLine};
pub use state::infer_state;
pub use text::{decode, MAX_DOCUMENT_BYTES};
pub use view::{view, AreaStateView, StateView, StatusImportView};

/// The overview the default catalogue was transcribed from (a copy of `../shared/seed/`).
pub const SEED_DOCUMENT: &str = include_str!("../../../data/statusoversigt-2025-09-10.txt");

/// A status document as read: its date, a row per area it lists, and its rules section.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatusDocument {
    /// The day the document's status was true ("Pr. 10/9-25").
    pub as_of: NaiveDate,
    /// The line the date was read from, for refusals that concern the date.
    pub as_of_line: usize,
    /// The last line with words: where a document that lacks areas stops.
    pub last_line: usize,
    pub rows: BTreeMap<AreaId, StatusRow>,
    /// The prose before the table ("Opdateringsfrekvens", "Undtagelser"), one paragraph or
    /// bullet a line, whitespace and wrapping normalised so only a change of words shows.
    pub rules_text: String,
}

/// One table row, word for word; `None` where the document has "-" or nothing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatusRow {
    /// The line the row starts on.
    pub line: usize,
    /// The name as the document writes it (it matched the catalogue's, wrapping aside).
    pub name: String,
    pub frequency: String,
    pub through: Option<YearMonth>,
    pub source: Option<String>,
    pub note: Option<String>,
}

impl StatusDocument {
    /// "pr. 10/11-25": how FLIS dates its overview, and how history names the import.
    pub fn label(&self) -> String {
        document_label(self.as_of)
    }

    /// The areas of `expected` (the areas the previous document listed) this one does not list:
    /// cut off, or really dropped by FLIS. `None` when it lists them all.
    pub fn missing(&self, expected: &[AreaId], catalogue: &Catalogue) -> Option<StatusError> {
        let missing: Vec<&Area> = catalogue
            .areas
            .iter()
            .filter(|a| expected.contains(&a.id) && !self.rows.contains_key(&a.id))
            .collect();
        (!missing.is_empty()).then(|| {
            StatusError::new(
                self.last_line,
                Problem::Missing {
                    areas: missing.iter().map(|a| a.name.clone()).collect(),
                    ids: missing.iter().map(|a| a.id.as_str().to_owned()).collect(),
                },
            )
        })
    }
}

/// "pr. 10/11-25" for a document of 10 November 2025.
pub fn document_label(as_of: NaiveDate) -> String {
    format!(
        "pr. {}/{}-{:02}",
        as_of.day(),
        as_of.month(),
        as_of.year().rem_euclid(100)
    )
}

impl StatusRow {
    /// `area` as this row records it, in `state`. Name, group and release rule are the
    /// catalogue's: names only identify the row, and rules are never guessed from a document.
    pub fn applied_to(&self, area: &Area, state: State) -> Area {
        Area {
            frequency: self.frequency.clone(),
            through: self.through,
            source: self.source.clone(),
            note: self.note.clone(),
            state,
            ..area.clone()
        }
    }
}

/// Why a document is refused: the 1-based line and what was expected there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatusError {
    pub line: usize,
    pub problem: Problem,
}

impl StatusError {
    pub fn new(line: usize, problem: Problem) -> Self {
        Self { line, problem }
    }
}

/// What is wrong, with what was expected instead. Worded by `views::import_status` from
/// `responses/document_problem.md` (the variant's name is its `kind` there).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Problem {
    Empty,
    Pdf,
    NotUtf8,
    Binary {
        code: String,
    },
    TooLarge {
        max: usize,
    },
    NoDate,
    BadDate {
        found: String,
    },
    NoTable,
    NotARow {
        found: String,
    },
    UnknownArea {
        name: String,
    },
    BadFrequency {
        area: String,
        found: String,
    },
    BadMonth {
        area: String,
        found: String,
    },
    MissingMonth {
        area: String,
    },
    MonthAfterDocument {
        area: String,
        month: Month,
    },
    DuplicateArea {
        area: String,
        first_line: usize,
    },
    SourceOrNote {
        area: String,
        text: String,
    },
    /// Worded for every adapter: how to import it anyway is theirs to say (or not).
    Older {
        document: String,
        catalogue: Day,
    },
    Future {
        date: Day,
    },
    NoteTooLong {
        area: String,
        chars: usize,
        max: usize,
    },
    NoRules {
        missing: String,
        expected: String,
    },
    NoNote {
        area: String,
    },
    EmptyGroup {
        group: Group,
    },
    CutNote {
        area: String,
        end: String,
    },
    MissingLine {
        /// The blank lines in a row here.
        blank: usize,
        /// The blank lines the document usually has between two lines.
        usual: usize,
        /// The words of the line before them.
        after: String,
        place: Place,
        /// The area the place is named by, where it is a row.
        area: Option<String>,
    },
    RulesMidSentence {
        found: String,
    },
    BadYear {
        area: String,
        month: String,
        found: String,
    },
    Missing {
        /// The areas' names, in the catalogue's order.
        areas: Vec<String>,
        /// Their ids, as an operator confirms them dropped.
        ids: Vec<String>,
    },
    BeforeFlis {
        date: Day,
        earliest: Day,
    },
    MonthBeforeFlis {
        area: String,
        month: Month,
        earliest: Month,
    },
}

/// Where in a document a line seems to be missing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Place {
    /// The rules section.
    Rules,
    /// Inside an area's row (its name, source or note).
    Row,
    /// After an area's row: the end of its note, a group heading, or a whole row.
    RowEnd,
    /// Before an area's row, after page furniture or a group heading.
    BeforeRow,
}

/// Reads a whole status document's text, and refuses anything less (see [`Layout::check`]):
/// a rules section without its headings, a row without its drift-note cell, a group heading
/// with no rows under it, a line missing inside the text (more blank lines between two lines
/// than the document has elsewhere), a last note that stops mid-sentence where the text stops.
/// Which areas it should list is the caller's to compare (`StatusDocument::missing`).
/// `catalogue` gives the area names rows are matched to and, where a source and a note share a
/// line, the source the area had last (see `rows`).
pub fn parse(text: &str, catalogue: &Catalogue) -> Result<StatusDocument, StatusError> {
    let (document, layout) = read(text, catalogue)?;
    layout.check(&document, catalogue)?;
    Ok(document)
}

/// How the document was laid out, beyond its values: what tells a whole document from a part.
struct Layout {
    /// The rules section's first line (or the table's, where there is none).
    rules_line: usize,
    /// A rules paragraph that opens mid-sentence: its line and words.
    rules_cut: Option<(usize, String)>,
    /// The table's first line.
    table_line: usize,
    /// The table's group headings: (line, group).
    groups: Vec<(usize, Group)>,
    /// Per row: whether its drift-note cell was there, and the last line of its text.
    rows: Vec<(AreaId, bool, usize)>,
    /// How lines follow each other: where more blank lines stand between two than usual.
    spacing: Spacing,
}

/// The blank lines between the lines of the document's body (the rules section and the table).
/// pdftotext lays a document out evenly: FLIS' overviews have one blank line between any two
/// lines, none between some, and more only where a new page starts (its title, page header and
/// column headers follow). A line lost from the text leaves its blank line and the one after it
/// together: two where there is one everywhere else.
struct Spacing {
    /// The most common number of blank lines between two lines of the body.
    usual: usize,
    /// Two lines of the body (the second not the start of a page) with more blank lines between
    /// them than `usual`: (the line before, the line after, the words of the line before).
    wider: Vec<(usize, usize, String)>,
}

impl Spacing {
    /// `lines` are the body's; `page_start` tells the lines a page starts with.
    fn of(lines: &[text::Line<'_>], page_start: impl Fn(usize) -> bool) -> Spacing {
        let written: Vec<&text::Line<'_>> = lines.iter().filter(|l| !l.words.is_empty()).collect();
        let pairs: Vec<(&text::Line<'_>, usize)> = written
            .windows(2)
            .map(|w| (w[0], w[1].no))
            .filter(|(_, next)| !page_start(*next))
            .collect();
        let mut counts: BTreeMap<usize, usize> = BTreeMap::new();
        for (line, next) in &pairs {
            *counts.entry(next - line.no - 1).or_default() += 1;
        }
        // The most common; of two as common, the fewer blank lines.
        let usual = counts
            .iter()
            .max_by_key(|(blank, n)| (**n, std::cmp::Reverse(**blank)))
            .map_or(0, |(blank, _)| *blank);
        // Where lines usually follow each other directly, a lost line leaves nothing to see.
        let wider = if usual == 0 {
            Vec::new()
        } else {
            pairs
                .into_iter()
                .filter(|(line, next)| next - line.no - 1 > usual)
                .map(|(line, next)| (line.no, next, echo(&line.words.join(" "), 50)))
                .collect()
        };
        Spacing { usual, wider }
    }
}

impl Layout {
    /// Refuses what is less than a whole document, the first problem in the document's order.
    /// A line missing in the rules section is named before the headings it may have hidden.
    fn check(&self, document: &StatusDocument, catalogue: &Catalogue) -> Result<(), StatusError> {
        let name = |id: AreaId| {
            document
                .rows
                .get(&id)
                .map_or_else(|| id.as_str().to_owned(), |r| r.name.clone())
        };
        let first_line = |id: &AreaId| document.rows.get(id).map_or(0, |r| r.line);
        let mut rows_by_line: Vec<&(AreaId, bool, usize)> = self.rows.iter().collect();
        rows_by_line.sort_by_key(|(id, _, _)| first_line(id));
        let mut problems: Vec<StatusError> = Vec::new();
        // Every note, every row and the rules section: a line lost inside or after one shows in
        // the spacing.
        for (line, next, after) in &self.spacing.wider {
            let (line, next) = (*line, *next);
            let (place, area) = if next <= self.table_line {
                (Place::Rules, None)
            } else if self.groups.iter().any(|(l, _)| *l == line) {
                // Right after a group heading: the row that lost its first line is not read as
                // one, so no row can be named.
                (Place::BeforeRow, None)
            } else if let Some((id, _, last)) = rows_by_line
                .iter()
                .find(|(id, _, last)| first_line(id) <= line && line <= *last)
            {
                let place = if line < *last {
                    Place::Row
                } else {
                    Place::RowEnd
                };
                (place, Some(name(*id)))
            } else {
                let after = rows_by_line
                    .iter()
                    .find(|(id, _, _)| first_line(id) >= next);
                (Place::BeforeRow, after.map(|(id, _, _)| name(*id)))
            };
            problems.push(StatusError::new(
                line + 1,
                Problem::MissingLine {
                    blank: next - line - 1,
                    usual: self.spacing.usual,
                    after: after.clone(),
                    place,
                    area,
                },
            ));
        }
        if let Some((line, words)) = &self.rules_cut {
            problems.push(StatusError::new(
                *line,
                Problem::RulesMidSentence {
                    found: echo(words, 50),
                },
            ));
        }
        let in_rules = |e: &StatusError| e.line < self.table_line;
        if let Some(e) = problems
            .iter()
            .filter(|e| in_rules(e))
            .min_by_key(|e| e.line)
        {
            return Err(e.clone());
        }
        let f = format::format();
        let headings: Vec<String> = document
            .rules_text
            .lines()
            .map(|l| text::fold(l.trim().trim_end_matches(':')))
            .collect();
        let missing: Vec<&str> = f
            .rules_headings()
            .iter()
            .filter(|h| !headings.contains(&text::fold(h)))
            .map(String::as_str)
            .collect();
        if !missing.is_empty() {
            return Err(StatusError::new(
                self.rules_line,
                Problem::NoRules {
                    missing: missing.join(" og "),
                    expected: f.rules_headings().join(" og "),
                },
            ));
        }
        for (id, note_cell, last) in &rows_by_line {
            if !note_cell {
                problems.push(StatusError::new(*last, Problem::NoNote { area: name(*id) }));
            }
        }
        for (i, (line, group)) in self.groups.iter().enumerate() {
            let next = self.groups.get(i + 1).map_or(usize::MAX, |(l, _)| *l);
            let has_rows = document
                .rows
                .values()
                .any(|r| r.line > *line && r.line < next);
            if !has_rows {
                problems.push(StatusError::new(
                    *line,
                    Problem::EmptyGroup { group: *group },
                ));
            }
        }
        // The note that ends where the text ends has nothing after it to show a lost line: only
        // its own words can tell that it was cut.
        if let Some((id, true, last)) = rows_by_line.last() {
            let note = document.rows.get(id).and_then(|r| r.note.as_deref());
            let known = catalogue.area(*id).and_then(|a| a.note.as_deref());
            if let Some(note) = note.filter(|n| !note_is_whole(n, known)) {
                problems.push(StatusError::new(
                    *last,
                    Problem::CutNote {
                        area: name(*id),
                        end: note_end(note),
                    },
                ));
            }
        }
        match problems.into_iter().min_by_key(|e| e.line) {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }
}

/// A note that may be whole where the text ends: the running-to-plan phrase, the note the area
/// has now, or one whose last sentence is ended. A note cut short ("… Vi fo", "Kører efter")
/// is none of these. (A note whole but for its full stop is refused too: better asked about
/// than stored cut.)
fn note_is_whole(note: &str, known: Option<&str>) -> bool {
    let f = format::format();
    let words: Vec<String> = note.split_whitespace().map(text::fold).collect();
    let same = |a: &str, b: &str| a.split_whitespace().eq(b.split_whitespace());
    words == f.running
        || known.is_some_and(|k| same(k, note))
        || note
            .trim_end()
            .ends_with(['.', '!', '?', '…', ')', '»', '"', '”'])
}

/// The last words of a note, to quote where it stops.
fn note_end(note: &str) -> String {
    let words: Vec<&str> = note.split_whitespace().collect();
    let tail = words[words.len().saturating_sub(6)..].join(" ");
    if words.len() > 6 {
        format!("… {tail}")
    } else {
        tail
    }
}

/// Reads a status document's text as far as it goes: the document and how it was laid out.
fn read(text: &str, catalogue: &Catalogue) -> Result<(StatusDocument, Layout), StatusError> {
    text::check_text(text)?;
    let lines = text::lines(text);
    let table = rows::Table::new(catalogue);
    // Every word as one stream, so a row start whose name wraps over lines is seen.
    let stream = text::Stream::of(&lines, |_| true);

    let mut date: Option<(NaiveDate, usize)> = None;
    let mut table_start = None;
    for (i, line) in lines.iter().enumerate() {
        if line.words.is_empty() {
            continue;
        }
        let row_starts_here = stream
            .first_token_of(line.no)
            .is_some_and(|t| table.head_at(&stream.tokens, t).is_some());
        if is_table_marker(&line.words) || row_starts_here {
            table_start = Some(i);
            break;
        }
        if date.is_none() {
            if let Some(found) = date::date_on_line(&line.words) {
                let d = found.map_err(|p| StatusError::new(line.no, p))?;
                date = Some((d, i));
            }
        }
    }
    let Some((as_of, date_index)) = date else {
        let line = table_start.map_or(1, |i| lines[i].no);
        return Err(StatusError::new(line, Problem::NoDate));
    };
    let Some(table_start) = table_start else {
        let last = lines.iter().rev().find(|l| !l.words.is_empty());
        return Err(StatusError::new(last.map_or(1, |l| l.no), Problem::NoTable));
    };

    // The title block (through the date line) may be repeated on every page: such lines are
    // page furniture in the table, not part of a note.
    let titles: HashSet<String> = lines[..=date_index]
        .iter()
        .filter(|l| !l.words.is_empty())
        .map(|l| text::fold(&l.words.join(" ")))
        .collect();
    let rules_lines = &lines[date_index + 1..table_start];
    let rules_text = rules::rules_text(rules_lines);
    let furniture = page_furniture(&lines[table_start..], &titles);
    let content = text::Stream::of(&lines[table_start..], |l| !furniture.contains_key(&l.no));
    let found = table.rows(&content.tokens, as_of)?;
    if found.is_empty() {
        return Err(StatusError::new(lines[table_start].no, Problem::NoTable));
    }
    let spacing = Spacing::of(&lines[date_index + 1..], |no| {
        furniture.get(&no) == Some(&Furniture::PageStart)
    });
    let layout = Layout {
        rules_cut: rules::opening_mid_sentence(rules_lines),
        rules_line: rules_lines
            .iter()
            .find(|l| !l.words.is_empty())
            .map_or(lines[table_start].no, |l| l.no),
        table_line: lines[table_start].no,
        groups: lines[table_start..]
            .iter()
            .filter_map(|l| group_header(&l.words).map(|g| (l.no, g)))
            .collect(),
        rows: found
            .iter()
            .map(|r| (r.area, r.note_cell, r.last_line))
            .collect(),
        spacing,
    };
    let document = StatusDocument {
        as_of,
        as_of_line: lines[date_index].no,
        last_line: lines
            .iter()
            .rev()
            .find(|l| !l.words.is_empty())
            .map_or(1, |l| l.no),
        rows: found.into_iter().map(|r| (r.area, r.row)).collect(),
        rules_text,
    };
    Ok((document, layout))
}

/// A line that can only open the table: a page header ("Oversigt pr. 10/9"), the column
/// headers, or a group header.
fn is_table_marker(words: &[&str]) -> bool {
    is_page_header(words) || starts_column_headers(words) || is_group_header(words)
}

fn is_page_header(words: &[&str]) -> bool {
    let f = format::format();
    words.len() <= 4
        && words.first().is_some_and(|w| f.is_page_header_word(w))
        && words.get(1).is_some_and(|w| f.is_date_word(w))
}

fn starts_column_headers(words: &[&str]) -> bool {
    let f = format::format();
    words.first().is_some_and(|w| f.opens_column_headers(w))
        && words.iter().all(|w| f.is_column_header(w))
}

fn is_group_header(words: &[&str]) -> bool {
    group_header(words).is_some()
}

fn group_header(words: &[&str]) -> Option<Group> {
    let line = text::fold(&words.join(" "));
    Group::ALL
        .into_iter()
        .find(|g| text::fold(g.flis_name()) == line)
}

/// A stray page number: "7" or "7/12" alone on a line.
fn is_page_number(words: &[&str]) -> bool {
    let short_number =
        |s: &str| (1..=3).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit());
    match words {
        [w] => match w.split_once('/') {
            Some((a, b)) => short_number(a) && short_number(b),
            None => short_number(w),
        },
        _ => false,
    }
}

/// What a line of the table that is not a row's text is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Furniture {
    Blank,
    /// What a page starts with: a title line, the page header, a line of the column headers.
    PageStart,
    /// A group heading or a page number: in the flow of the text, spaced like a row's lines.
    InFlow,
}

/// The lines of the table that are page furniture rather than rows. Each piece of a page's
/// header is recognised on its own, wherever it stands (the extraction may lose any line of
/// it): a title line (from `data/status_document.toml`, or as the document's first page has
/// it), the page header, a line holding only column-header words; and group headings, page
/// numbers and blank lines.
fn page_furniture(lines: &[text::Line<'_>], titles: &HashSet<String>) -> HashMap<usize, Furniture> {
    let f = format::format();
    lines
        .iter()
        .filter_map(|line| {
            let words = &line.words;
            let kind = if words.is_empty() {
                Furniture::Blank
            } else if is_page_header(words)
                || words.iter().all(|w| f.is_column_header(w))
                || f.is_title(words)
                || titles.contains(&text::fold(&words.join(" ")))
            {
                Furniture::PageStart
            } else if is_group_header(words) || is_page_number(words) {
                Furniture::InFlow
            } else {
                return None;
            };
            Some((line.no, kind))
        })
        .collect()
}

/// What is kept of the last imported status document: its rules section (to show how the next
/// one's differs) and the areas it listed (the next one must list them too, or the operator must
/// confirm that FLIS dropped them).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LastDocument {
    pub rules: String,
    pub areas: Vec<AreaId>,
}

impl LastDocument {
    pub fn of(document: &StatusDocument) -> LastDocument {
        LastDocument {
            rules: document.rules_text.clone(),
            areas: document.rows.keys().copied().collect(),
        }
    }

    /// The overview the default catalogue came from: what a store that has never imported a
    /// status document compares a new one with.
    pub fn seed() -> &'static LastDocument {
        static SEED: OnceLock<LastDocument> = OnceLock::new();
        SEED.get_or_init(|| match parse(SEED_DOCUMENT, default_catalogue()) {
            Ok(doc) => LastDocument::of(&doc),
            Err(e) => {
                // Only a bad commit of data/ gets here (a unit test reads the seed); comparing
                // against nothing then shows every rules line as new and expects no area, which
                // is safe.
                tracing::error!(error = %e, "the embedded seed document does not parse");
                LastDocument {
                    rules: String::new(),
                    areas: Vec::new(),
                }
            }
        })
    }
}

/// The rules section of the overview the default catalogue came from.
pub fn seed_rules_text() -> &'static str {
    &LastDocument::seed().rules
}

#[cfg(test)]
mod tests;
