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
use crate::error::AppError;

/// A list as typed, comma-separated; blank items dropped.
pub fn list(text: &str) -> Vec<String> {
    text.split(',')
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .collect()
}

/// The release month (`None` for "none" is refused: a release is of a month).
pub fn release_month(s: &str) -> Result<YearMonth, AppError> {
    month(s)?.ok_or_else(|| AppError::invalid("Angiv udgivelsens måned på formen ÅÅÅÅ-MM."))
}

/// The catalogue's "pr." date, `YYYY-MM-DD`.
pub fn date(s: &str) -> Result<NaiveDate, AppError> {
    s.trim().parse::<NaiveDate>().map_err(|_| {
        AppError::invalid(format!(
            "«{}» er ikke en dato på formen ÅÅÅÅ-MM-DD (fx 2025-09-10).",
            echo(s, 40)
        ))
    })
}

/// `AREA=STATE`: a state for an area, the area as named.
pub fn area_state(arg: &str) -> Result<(AreaName, State), AppError> {
    let (area, state_text) = arg.split_once('=').ok_or_else(|| {
        AppError::invalid(format!(
            "«{}» er ikke en tilstand for et område; skriv OMRÅDE=TILSTAND, fx krl=ok.",
            echo(arg, 40)
        ))
    })?;
    Ok((AreaName::new(area), state(state_text)?))
}

pub fn state(s: &str) -> Result<State, AppError> {
    match s.trim().to_lowercase().as_str() {
        "ok" | "kører" | "koerer" => Ok(State::Ok),
        "disturbed" | "forstyrret" | "driftsforstyrrelse" => Ok(State::Disturbed),
        "down" | "nede" => Ok(State::Down),
        _ => Err(AppError::invalid(format!(
            "«{}» er ikke en tilstand. Brug ok, disturbed eller down.",
            echo(s, 40)
        ))),
    }
}

pub fn month(s: &str) -> Result<Option<YearMonth>, AppError> {
    match s.trim().to_lowercase().as_str() {
        "none" | "ingen" | "-" => Ok(None),
        _ => s.parse::<YearMonth>().map(Some).map_err(|_| {
            AppError::invalid(format!(
                "«{}» er ikke en måned på formen ÅÅÅÅ-MM (fx 2025-07), eller none.",
                echo(s, 40)
            ))
        }),
    }
}

pub fn cadence(s: &str) -> Result<Cadence, AppError> {
    s.parse::<Cadence>().map_err(|()| {
        AppError::invalid(format!(
            "«{}» er ikke en kadence. Brug monthly, yearly eller daily.",
            echo(s, 40)
        ))
    })
}

/// A number of months; its bound is checked with the operation (`validate`).
pub fn lag(s: &str) -> Result<u32, AppError> {
    s.trim().parse::<u32>().map_err(|_| {
        AppError::invalid(format!(
            "«{}» er ikke en forsinkelse i måneder (0–{MAX_LAG}).",
            echo(s, 40)
        ))
    })
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
    let bad = || {
        AppError::invalid(format!(
            "«{}» er ikke et vindue i dage før d. 10. på formen FRA-TIL (fx 14-21), eller none.",
            echo(s, 40)
        ))
    };
    let (a, b) = s.trim().split_once('-').ok_or_else(bad)?;
    let a: u32 = a.trim().parse().map_err(|_| bad())?;
    let b: u32 = b.trim().parse().map_err(|_| bad())?;
    Ok(Some(EarlyWindow {
        from_days: a.max(b),
        to_days: a.min(b),
    }))
}
