//! The core's small errors in Danish, from `responses/errors.md`: a month that is not one, a
//! catalogue that is not whole.

use std::fmt;

use super::render::{sentence, Template};
use crate::core::catalogue::CatalogueGap;
use crate::core::year_month::BadYearMonth;

impl fmt::Display for BadYearMonth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = sentence(
            Template::Errors,
            "month_invalid",
            &[("value", self.0.clone())],
        );
        f.write_str(&text)
    }
}

impl std::error::Error for BadYearMonth {}

impl fmt::Display for CatalogueGap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = match self {
            CatalogueGap::Missing(id) => sentence(
                Template::Errors,
                "catalogue_missing",
                &[("id", id.to_string())],
            ),
            CatalogueGap::Repeated(id, n) => sentence(
                Template::Errors,
                "catalogue_repeated",
                &[("id", id.to_string()), ("n", n.to_string())],
            ),
        };
        f.write_str(&text)
    }
}

impl std::error::Error for CatalogueGap {}
