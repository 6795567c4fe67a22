//! A calendar month with its year: the unit of "data t.o.m." and of monthly releases. The Danish
//! month names are here to read months from questions and FLIS documents (`facts::note_timing`,
//! `import_status::date`); `views::danish` writes months with them ("juli 2025").

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Danish month names, January first, as questions and FLIS documents write them (lower case).
pub const DANISH_MONTHS: [&str; 12] = [
    "januar",
    "februar",
    "marts",
    "april",
    "maj",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "december",
];

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct YearMonth {
    year: i32,
    month: u32,
}

/// Text that is not a month on the form YYYY-MM (worded by `views::errors`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadYearMonth(pub String);

impl YearMonth {
    /// `None` unless `month` is 1–12 and `year` 1900–9999.
    pub fn new(year: i32, month: u32) -> Option<Self> {
        ((1..=12).contains(&month) && (1900..=9999).contains(&year)).then_some(Self { year, month })
    }

    /// The month `date` falls in. Years outside 1900–9999 cannot come from the store or the
    /// clock; they are clamped rather than allowed to panic.
    pub fn of_date(date: chrono::NaiveDate) -> Self {
        use chrono::Datelike;
        Self {
            year: date.year().clamp(1900, 9999),
            month: date.month(),
        }
    }

    pub fn year(self) -> i32 {
        self.year
    }

    pub fn month(self) -> u32 {
        self.month
    }

    /// Month index since year 0, so month arithmetic is plain integer arithmetic.
    fn index(self) -> i64 {
        i64::from(self.year) * 12 + i64::from(self.month) - 1
    }

    fn from_index(i: i64) -> Self {
        Self {
            year: i.div_euclid(12) as i32,
            month: (i.rem_euclid(12) + 1) as u32,
        }
    }

    pub fn plus(self, months: i64) -> Self {
        Self::from_index(self.index() + months)
    }

    pub fn minus(self, months: i64) -> Self {
        self.plus(-months)
    }

    /// How many months `self` lies after `earlier` (negative when before).
    pub fn months_since(self, earlier: YearMonth) -> i64 {
        self.index() - earlier.index()
    }
}

impl fmt::Display for YearMonth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl FromStr for YearMonth {
    type Err = BadYearMonth;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || BadYearMonth(s.chars().take(40).collect());
        let (y, m) = s.trim().split_once('-').ok_or_else(bad)?;
        if y.len() != 4 || m.len() != 2 {
            return Err(bad());
        }
        let year: i32 = y.parse().map_err(|_| bad())?;
        let month: u32 = m.parse().map_err(|_| bad())?;
        YearMonth::new(year, month).ok_or_else(bad)
    }
}

impl Serialize for YearMonth {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for YearMonth {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::ym;

    #[test]
    fn arithmetic_rolls_over_years_both_ways() {
        assert_eq!(ym("2025-11").plus(2), ym("2026-01"));
        assert_eq!(ym("2026-01").minus(2), ym("2025-11"));
        assert_eq!(ym("2026-02").minus(14), ym("2024-12"));
        assert_eq!(ym("2025-09").months_since(ym("2025-04")), 5);
        assert_eq!(ym("2025-04").months_since(ym("2025-09")), -5);
    }

    #[test]
    fn parses_only_the_strict_form() {
        for bad in [
            "2025-13",
            "2025-00",
            "juni",
            "2025-6",
            "25-06",
            "",
            "2025-06-01",
            "２０２５-06",
        ] {
            assert!(bad.parse::<YearMonth>().is_err(), "{bad} should be refused");
        }
        assert_eq!(ym(" 2025-06 ").to_string(), "2025-06");
    }

    #[test]
    fn serde_uses_the_string_form() {
        let j = serde_json::to_string(&ym("2025-05")).unwrap();
        assert_eq!(j, "\"2025-05\"");
        assert_eq!(
            serde_json::from_str::<YearMonth>(&j).unwrap(),
            ym("2025-05")
        );
        assert!(serde_json::from_str::<YearMonth>("\"2025-13\"").is_err());
    }
}
