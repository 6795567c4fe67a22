//! The whole catalogue as a file: export (byte-stable) and the checks an imported file passes.

use crate::core::catalogue::Catalogue;
use crate::core::text::echo;
use crate::error::{error_text, AppError};

/// Parses a catalogue file, TOML or JSON (detected), and checks it is whole.
pub fn parse_catalogue_file(text: &str) -> Result<Catalogue, AppError> {
    let parsed: Result<Catalogue, String> = if text.trim_start().starts_with('{') {
        serde_json::from_str(text).map_err(|e| e.to_string())
    } else {
        toml::from_str(text).map_err(|e| e.to_string())
    };
    let mut catalogue = parsed.map_err(|e| {
        AppError::invalid(error_text(
            "catalogue_file_unreadable",
            &[("cause", echo(&e, 300))],
        ))
    })?;
    catalogue.validate().map_err(|e| {
        AppError::invalid(error_text(
            "catalogue_file_incomplete",
            &[("cause", e.to_string())],
        ))
    })?;
    // A file exported before areas had their own status date reads as it did then. Its values
    // are checked with the operation (`validate`), as a single command's are.
    crate::core::facts::settle_status_dates(&mut catalogue);
    Ok(catalogue)
}

/// The file format of an export (an import detects its own).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Format {
    #[default]
    Toml,
    Json,
}

/// The catalogue as a file: TOML or JSON, fixed order and no timestamp of its own, so two
/// exports of the same catalogue are the same bytes.
pub fn export(catalogue: &Catalogue, format: Format) -> Result<String, AppError> {
    let text = match format {
        Format::Json => {
            serde_json::to_string_pretty(catalogue).map_err(|e| AppError::invalid(e.to_string()))?
        }
        Format::Toml => toml::to_string(catalogue).map_err(|e| AppError::invalid(e.to_string()))?,
    };
    Ok(text)
}
