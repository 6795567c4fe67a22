//! Dates in the document: its own date ("Pr. 10/9-25") and the months of "Data t.o.m.", whose
//! year the document leaves out.

use chrono::{Datelike, NaiveDate};

use super::format::format;
use super::text::fold;
use super::Problem;
use crate::core::text::echo;
use crate::core::year_month::{YearMonth, DANISH_MONTHS};

/// The document date on a line: "pr." followed by a date. `None` when no "pr." on the line is
/// followed by something starting with a digit, so prose such as "pr. måned" is passed by.
pub(super) fn date_on_line(words: &[&str]) -> Option<Result<NaiveDate, Problem>> {
    let f = format();
    let at = (0..words.len()).find(|&i| {
        f.is_date_word(words[i])
            && words
                .get(i + 1)
                .is_some_and(|w| w.starts_with(|c: char| c.is_ascii_digit()))
    })?;
    Some(parse_date(&words[at + 1..]))
}

/// "10/9-25", "10/9-2025" or "10. september 2025". Years are 2000–2099: FLIS began in this
/// century, and the bound keeps every month's year in range.
fn parse_date(words: &[&str]) -> Result<NaiveDate, Problem> {
    let bad = || Problem::BadDate {
        found: echo(&words[..words.len().min(3)].join(" "), 40),
    };
    let first = words
        .first()
        .map_or("", |w| w.trim_end_matches([',', ':', ';']));
    let number = |s: &str| s.parse::<u32>().ok();
    let (day, month, year) = if let Some((d, rest)) = first.split_once('/') {
        let (m, y) = rest.split_once('-').ok_or_else(bad)?;
        (number(d), number(m), year(y.trim_end_matches('.')))
    } else {
        let d = first.strip_suffix('.').unwrap_or(first);
        (
            number(d),
            words.get(1).and_then(|w| month_number(w)),
            words
                .get(2)
                .and_then(|w| year(w.trim_end_matches([',', '.'])).filter(|_| w.len() >= 4)),
        )
    };
    match (day, month, year) {
        (Some(d), Some(m), Some(y)) => NaiveDate::from_ymd_opt(y, m, d).ok_or_else(bad),
        _ => Err(bad()),
    }
}

/// "25" or "2025" as a year 2000–2099.
pub(super) fn year(s: &str) -> Option<i32> {
    if !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n: i32 = s.parse().ok()?;
    match s.len() {
        2 => Some(2000 + n),
        4 if (2000..=2099).contains(&n) => Some(n),
        _ => None,
    }
}

/// A Danish month name ("Juli", "juli"), or its first three or more letters ("Sep.").
pub(super) fn month_number(word: &str) -> Option<u32> {
    let w = fold(word.strip_suffix('.').unwrap_or(word));
    if w.chars().count() < 3 {
        return None;
    }
    let m = DANISH_MONTHS.iter().position(|name| name.starts_with(&w))?;
    u32::try_from(m + 1).ok()
}

/// The latest month `month` that is not after `date`: "Juli" in a document of 10/9-25 is July
/// 2025, "November" in one of 10/1-26 is November 2025.
pub(super) fn latest_month_not_after(month: u32, date: NaiveDate) -> Option<YearMonth> {
    let year = if month <= date.month() {
        date.year()
    } else {
        date.year() - 1
    };
    YearMonth::new(year, month)
}

/// A cell under "Data t.o.m." that is a month: not an empty cell, not prose.
pub(super) fn is_month_cell(word: &str) -> bool {
    format().is_none(word) || (word.starts_with(char::is_uppercase) && month_number(word).is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> Result<NaiveDate, Problem> {
        let words: Vec<&str> = s.split_whitespace().collect();
        date_on_line(&words).expect("a date is there")
    }

    #[test]
    fn document_dates_are_read_day_first() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(date("Pr. 10/9-25"), Ok(d(2025, 9, 10)));
        assert_eq!(date("pr. 10/11-2025"), Ok(d(2025, 11, 10)));
        assert_eq!(
            date("Status på drift og opdateringsfrekvens, pr. 10/9-25"),
            Ok(d(2025, 9, 10))
        );
        assert_eq!(date("Pr. 10. november 2025"), Ok(d(2025, 11, 10)));
        for bad in [
            "Pr. 10/9",
            "Pr. 31/2-25",
            "Pr. 10/13-25",
            "Pr. 10/9-1925",
            "Pr. 1x/9-25",
        ] {
            assert!(matches!(date(bad), Err(Problem::BadDate { .. })), "{bad}");
        }
        assert!(date_on_line(&["opdateres", "pr.", "måned"]).is_none());
    }

    #[test]
    fn a_month_gets_the_latest_year_not_after_the_document() {
        let doc = NaiveDate::from_ymd_opt(2026, 1, 10).unwrap();
        let ym = |m| latest_month_not_after(m, doc).unwrap().to_string();
        assert_eq!(ym(11), "2025-11");
        assert_eq!(ym(1), "2026-01");
        assert_eq!(ym(2), "2025-02");
        assert_eq!(month_number("Juli"), Some(7));
        assert_eq!(month_number("sep."), Some(9));
        assert_eq!(month_number("Juuli"), None);
        assert_eq!(month_number("ju"), None);
    }
}
