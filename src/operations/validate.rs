//! The bounds every change keeps, checked on the typed operation, so that every path (the
//! command line, Discord, the control socket, a catalogue file, a status document) is held to
//! the same ones: no date in the future or before FLIS existed, no data t.o.m. after the month
//! it is stated in or before FLIS, no release delay or early window beyond what a rule can mean.
//! A refusal is one Danish sentence from `responses/refusal.md`, and nothing is changed.

use crate::views::render::Template;
use chrono::NaiveDate;
use serde::Serialize;

use super::plan::Operation;
use crate::core::catalogue::{Area, AreaId, Catalogue, EarlyWindow};
use crate::core::import_status::{Problem, StatusDocument, StatusError, StatusRow};
use crate::core::reply::{Day, Month};
use crate::core::year_month::YearMonth;
use crate::error::AppError;
use crate::views::danish::{danish_date, Danish};
use crate::views::render::render_template;

/// The first day a status date may be: FLIS went live in the autumn of 2012 (KOMBIT, "FLIS er
/// gået i luften"), so nothing it reports is older than that year.
pub const FLIS_START: NaiveDate = match NaiveDate::from_ymd_opt(2012, 1, 1) {
    Some(d) => d,
    None => panic!("2012-01-01 is a date"),
};

/// The longest release delay, in months: FLIS' longest is KRL's and DREAM's 4 (3 months from the
/// supplier); two years leaves room for any rule and none for a typo like 999.
pub const MAX_LAG: u32 = 24;

/// The longest note, in characters: a Discord embed field holds 1024, and a note must fit in one
/// with room to spare.
pub const MAX_NOTE_CHARS: usize = 1000;

/// The days of an early window lie within the month before the release's 10th.
const EARLY_DAYS: std::ops::RangeInclusive<u32> = 1..=31;

/// Why a change is refused. Rendered by `responses/refusal.md` (the `kind` picks the sentence).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Refusal {
    /// A date after the day it is stated on.
    DateInFuture {
        what: DateOf,
        date: String,
        today: String,
    },
    /// A date before FLIS existed.
    DateBeforeFlis {
        what: DateOf,
        date: String,
        earliest: String,
    },
    /// Data t.o.m. a month after the one it is stated in.
    MonthAfter {
        area: String,
        month: String,
        stated: String,
    },
    /// Data t.o.m. a month before FLIS existed.
    MonthBeforeFlis {
        area: String,
        month: String,
        earliest: String,
    },
    /// A release that would record data t.o.m. a month after this one.
    ReleaseInFuture {
        month: String,
        area: String,
        carries: String,
        this_month: String,
    },
    ReleaseBeforeFlis {
        month: String,
        earliest: String,
    },
    LagTooLong {
        area: String,
        lag: u32,
        max: u32,
    },
    BadEarlyWindow {
        area: String,
        from_days: u32,
        to_days: u32,
    },
    NoteTooLong {
        area: String,
        chars: usize,
        max: usize,
    },
    NoName {
        area: String,
    },
    /// `undo --import` with no import to undo.
    NoImport,
    /// An area confirmed dropped that the document lists.
    ListedNotDropped {
        area: String,
        line: usize,
    },
    /// The import to undo is no longer what stands: something it changed was changed since.
    ImportChangedSince {
        import: String,
        at: String,
        by: String,
        later: Vec<LaterChange>,
    },
}

/// A change made after an import, to something the import changed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LaterChange {
    /// The area's name; empty for the catalogue's "pr." date.
    pub what: String,
    pub action: String,
    pub at: String,
    /// The author's public name.
    pub by: String,
}

/// Whose date a refusal is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DateOf {
    /// The catalogue's "pr." date.
    Catalogue,
    /// An area's status date (named in `area` where a file holds it).
    Area,
}

/// A refusal of a catalogue file names the file as the thing refused.
#[derive(Serialize)]
struct View<'a> {
    #[serde(flatten)]
    refusal: &'a Refusal,
    file: bool,
    /// The area of a catalogue file the refusal is about.
    in_area: Option<&'a str>,
}

impl Refusal {
    fn message(&self, file: bool, area: Option<&str>) -> String {
        render_template(
            Template::Refusal,
            &View {
                refusal: self,
                file,
                in_area: area,
            },
        )
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
    }
}

impl From<Refusal> for AppError {
    fn from(r: Refusal) -> AppError {
        AppError::invalid(r.message(false, None))
    }
}

/// Checks `op`, to be planned on `catalogue`, as of `today` (Copenhagen): every bound, before
/// anything is planned.
pub fn check(op: &Operation, catalogue: &Catalogue, today: NaiveDate) -> Result<(), AppError> {
    let this_month = YearMonth::of_date(today);
    match op {
        Operation::Set {
            through: t, note, ..
        } => {
            if let Some(Some(month)) = t {
                through(*month, this_month, "")?;
            }
            if let Some(Some(note)) = note {
                self::note(note, "")?;
            }
            Ok(())
        }
        Operation::Undo { .. } | Operation::UndoImport => Ok(()),
        Operation::Rule { lag, early, .. } => {
            if let Some(lag) = lag {
                self::lag(*lag, "")?;
            }
            if let Some(Some(window)) = early {
                early_window(window, "")?;
            }
            Ok(())
        }
        Operation::Release {
            month: Some(month),
            except,
        } => Ok(release(*month, except, catalogue, this_month)?),
        Operation::Release { month: None, .. } => Ok(()),
        Operation::AsOf { date } => Ok(self::date(*date, today, DateOf::Catalogue)?),
        Operation::Import { catalogue: file } => catalogue_file(file, today),
        Operation::ImportStatus { document, .. } => Ok(status_document(document)?),
        Operation::Webhook(op) => super::webhooks::check(op, &|var| std::env::var(var).ok()),
    }
}

fn date(date: NaiveDate, today: NaiveDate, what: DateOf) -> Result<(), Refusal> {
    if date > today {
        return Err(Refusal::DateInFuture {
            what,
            date: danish_date(date),
            today: danish_date(today),
        });
    }
    if date < FLIS_START {
        return Err(Refusal::DateBeforeFlis {
            what,
            date: danish_date(date),
            earliest: danish_date(FLIS_START),
        });
    }
    Ok(())
}

/// Data t.o.m. `month` stated in `stated`: not after it, not before FLIS.
fn through(month: YearMonth, stated: YearMonth, area: &str) -> Result<(), Refusal> {
    if month > stated {
        return Err(Refusal::MonthAfter {
            area: area.to_owned(),
            month: month.danish(),
            stated: stated.danish(),
        });
    }
    let earliest = YearMonth::of_date(FLIS_START);
    if month < earliest {
        return Err(Refusal::MonthBeforeFlis {
            area: area.to_owned(),
            month: month.danish(),
            earliest: earliest.danish(),
        });
    }
    Ok(())
}

/// The release of `month`: not before FLIS, and no area it moves gets a t.o.m. after this month
/// (the month the release is recorded in; next month's may be recorded early).
fn release(
    month: YearMonth,
    except: &[AreaId],
    catalogue: &Catalogue,
    this_month: YearMonth,
) -> Result<(), Refusal> {
    let earliest = YearMonth::of_date(FLIS_START);
    if month < earliest {
        return Err(Refusal::ReleaseBeforeFlis {
            month: month.danish(),
            earliest: earliest.danish(),
        });
    }
    for (area, carries) in super::plan::released(catalogue, month, except) {
        if carries > this_month {
            return Err(Refusal::ReleaseInFuture {
                month: month.danish(),
                area: area.name.clone(),
                carries: carries.danish(),
                this_month: this_month.danish(),
            });
        }
    }
    Ok(())
}

fn lag(lag: u32, area: &str) -> Result<(), Refusal> {
    if lag > MAX_LAG {
        return Err(Refusal::LagTooLong {
            area: area.to_owned(),
            lag,
            max: MAX_LAG,
        });
    }
    Ok(())
}

fn early_window(w: &EarlyWindow, area: &str) -> Result<(), Refusal> {
    if !EARLY_DAYS.contains(&w.from_days)
        || !EARLY_DAYS.contains(&w.to_days)
        || w.to_days > w.from_days
    {
        return Err(Refusal::BadEarlyWindow {
            area: area.to_owned(),
            from_days: w.from_days,
            to_days: w.to_days,
        });
    }
    Ok(())
}

/// A catalogue file: its date, and every area as a single command would be held to it.
fn catalogue_file(catalogue: &Catalogue, today: NaiveDate) -> Result<(), AppError> {
    let in_file = |r: Refusal, area: Option<&Area>| {
        AppError::invalid(r.message(true, area.map(|a| a.id.as_str())))
    };
    date(catalogue.as_of, today, DateOf::Catalogue).map_err(|r| in_file(r, None))?;
    for a in &catalogue.areas {
        area(a, today).map_err(|r| in_file(r, Some(a)))?;
    }
    Ok(())
}

fn area(a: &Area, today: NaiveDate) -> Result<(), Refusal> {
    let name = a.id.as_str();
    if a.name.trim().is_empty() {
        return Err(Refusal::NoName { area: name.into() });
    }
    let stated = a.status_date.unwrap_or(today);
    date(stated, today, DateOf::Area)?;
    if let Some(m) = a.through {
        through(m, YearMonth::of_date(stated), name)?;
    }
    lag(a.rule.lag, name)?;
    if let Some(w) = &a.rule.early {
        early_window(w, name)?;
    }
    match &a.note {
        Some(n) => note(n, name),
        None => Ok(()),
    }
}

fn note(note: &str, area: &str) -> Result<(), Refusal> {
    let chars = note.chars().count();
    if chars > MAX_NOTE_CHARS {
        return Err(Refusal::NoteTooLong {
            area: area.to_owned(),
            chars,
            max: MAX_NOTE_CHARS,
        });
    }
    Ok(())
}

/// A status document: its date and months not before FLIS (that none is in the future, and no
/// month after the document's, the reader and the plan check), and every note short enough to
/// be shown, as an operator's must be (the first too long, in the document's order).
fn status_document(document: &StatusDocument) -> Result<(), StatusError> {
    let chars = |row: &StatusRow| row.note.as_deref().map_or(0, |n| n.chars().count());
    let too_long = document
        .rows
        .values()
        .filter(|row| chars(row) > MAX_NOTE_CHARS)
        .min_by_key(|row| row.line);
    if let Some(row) = too_long {
        return Err(StatusError::new(
            row.line,
            Problem::NoteTooLong {
                area: row.name.clone(),
                chars: chars(row),
                max: MAX_NOTE_CHARS,
            },
        ));
    }
    if document.as_of < FLIS_START {
        return Err(StatusError::new(
            document.as_of_line,
            Problem::BeforeFlis {
                date: Day(document.as_of),
                earliest: Day(FLIS_START),
            },
        ));
    }
    let earliest = YearMonth::of_date(FLIS_START);
    let early_row = document
        .rows
        .values()
        .filter(|r| r.through.is_some_and(|m| m < earliest))
        .min_by_key(|r| r.line);
    if let Some(row) = early_row {
        return Err(StatusError::new(
            row.line,
            Problem::MonthBeforeFlis {
                area: row.name.clone(),
                // The filter above keeps only rows with a month.
                month: Month(row.through.unwrap_or(earliest)),
                earliest: Month(earliest),
            },
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flis_started_in_2012() {
        assert_eq!(FLIS_START.to_string(), "2012-01-01");
    }
}
