//! The values operators type, read into typed values: months, states, cadences, lags, notes,
//! early windows, dates, `AREA=STATE`. Every adapter reads its own arguments with these, so a
//! value means the same from the command line and from Discord; a refusal says what the value
//! should look like and names no argument (each adapter names its own).

use chrono::NaiveDate;

use super::request::AreaName;
use super::validate::MAX_LAG;
use crate::core::catalogue::{Cadence, EarlyWindow, State};
use crate::core::text::echo;
use crate::core::year_month::YearMonth;
use crate::error::{error_text, AppError};

/// A value that does not read, refused in the words of `responses/errors.md` (`kind`), which
/// echo the value as typed (shortened) and say what it should look like.
fn refused(kind: &str, value: &str) -> AppError {
    AppError::invalid(error_text(
        kind,
        &[("value", echo(value, 40)), ("max_lag", MAX_LAG.to_string())],
    ))
}

/// A list as typed, comma-separated; blank items dropped.
pub fn list(text: &str) -> Vec<String> {
    text.split(',')
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .collect()
}

/// The release month (`None` for "none" is refused: a release is of a month).
pub fn release_month(s: &str) -> Result<YearMonth, AppError> {
    month(s)?.ok_or_else(|| refused("input_release_month", ""))
}

/// The catalogue's "pr." date, `YYYY-MM-DD`.
pub fn date(s: &str) -> Result<NaiveDate, AppError> {
    s.trim()
        .parse::<NaiveDate>()
        .map_err(|_| refused("input_date", s))
}

/// `AREA=STATE`: a state for an area, the area as named.
pub fn area_state(arg: &str) -> Result<(AreaName, State), AppError> {
    let (area, state_text) = arg
        .split_once('=')
        .ok_or_else(|| refused("input_area_state", arg))?;
    Ok((AreaName::new(area), state(state_text)?))
}

pub fn state(s: &str) -> Result<State, AppError> {
    match s.trim().to_lowercase().as_str() {
        "ok" | "kører" | "koerer" => Ok(State::Ok),
        "disturbed" | "forstyrret" | "driftsforstyrrelse" => Ok(State::Disturbed),
        "down" | "nede" => Ok(State::Down),
        _ => Err(refused("input_state", s)),
    }
}

pub fn month(s: &str) -> Result<Option<YearMonth>, AppError> {
    match s.trim().to_lowercase().as_str() {
        "none" | "ingen" | "-" => Ok(None),
        _ => s
            .parse::<YearMonth>()
            .map(Some)
            .map_err(|_| refused("input_month", s)),
    }
}

pub fn cadence(s: &str) -> Result<Cadence, AppError> {
    s.parse::<Cadence>()
        .map_err(|()| refused("input_cadence", s))
}

/// A number of months; its bound is checked with the operation (`validate`).
pub fn lag(s: &str) -> Result<u32, AppError> {
    s.trim().parse::<u32>().map_err(|_| refused("input_lag", s))
}

/// A drift note as it will be kept: `None` clears it. Its length is checked with the operation
/// (`validate`).
pub fn note(s: &str) -> Option<String> {
    let note = s.replace('\r', "");
    let note = note.trim();
    (!note.is_empty()).then(|| note.to_owned())
}

pub fn early(s: &str) -> Result<Option<EarlyWindow>, AppError> {
    if matches!(
        s.trim().to_lowercase().as_str(),
        "none" | "ingen" | "-" | "0"
    ) {
        return Ok(None);
    }
    let bad = || refused("input_early", s);
    let (a, b) = s.trim().split_once('-').ok_or_else(bad)?;
    let a: u32 = a.trim().parse().map_err(|_| bad())?;
    let b: u32 = b.trim().parse().map_err(|_| bad())?;
    Ok(Some(EarlyWindow {
        from_days: a.max(b),
        to_days: a.min(b),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refusal<T: std::fmt::Debug>(r: Result<T, AppError>) -> String {
        match r {
            Err(AppError::Invalid(text)) => text,
            other => panic!("not refused as invalid: {other:?}"),
        }
    }

    /// Each value that does not read is refused with its own sentence, the value echoed and
    /// what it should look like said; none falls through to the templates' general apology.
    #[test]
    fn each_value_that_does_not_read_says_what_it_should_look_like() {
        let cases = [
            (refusal(release_month("none")), "Angiv udgivelsens måned på formen ÅÅÅÅ-MM."),
            (refusal(date("10/9")), "«10/9» er ikke en dato på formen ÅÅÅÅ-MM-DD (fx 2025-09-10)."),
            (refusal(area_state("krl")), "«krl» er ikke en tilstand for et område; skriv OMRÅDE=TILSTAND, fx krl=ok."),
            (refusal(state("grøn")), "«grøn» er ikke en tilstand. Brug ok, disturbed eller down."),
            (refusal(month("2025-13")), "«2025-13» er ikke en måned på formen ÅÅÅÅ-MM (fx 2025-07), eller none."),
            (refusal(cadence("ugentlig")), "«ugentlig» er ikke en kadence. Brug monthly, yearly eller daily."),
            (refusal(lag("-1")), &format!("«-1» er ikke en forsinkelse i måneder (0–{MAX_LAG}).")),
            (refusal(early("14")), "«14» er ikke et vindue i dage før d. 10. på formen FRA-TIL (fx 14-21), eller none."),
        ];
        for (got, want) in cases {
            assert_eq!(got, want);
        }
    }

    #[test]
    fn values_that_read_are_typed() {
        assert_eq!(state(" Nede ").unwrap(), State::Down);
        assert_eq!(month("none").unwrap(), None);
        assert_eq!(lag("3").unwrap(), 3);
        let w = early("21-14").unwrap().unwrap();
        assert_eq!((w.from_days, w.to_days), (21, 14));
        let (area, s) = area_state("krl=ok").unwrap();
        assert_eq!((area.as_str(), s), ("krl", State::Ok));
    }
}
