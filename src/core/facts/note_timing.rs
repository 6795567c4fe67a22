//! What a drift note says about when data comes. Where a note gives its own timing ("Data for
//! maj vil blive vist i FLIS snarest muligt", "tidsplan for udgivelse er pt. ukendt", "Data for
//! juli forventes med udgivelsen i december"), every surface follows the note, not the rule.
//!
//! Notes are free Danish text, so this reads only the few forms FLIS writes and says nothing
//! where it is unsure: a note it cannot place leaves the rule in charge.

use std::sync::OnceLock;

use serde::Serialize;

use crate::core::year_month::{YearMonth, DANISH_MONTHS};

/// The timing a drift note gives.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum NoteTiming {
    /// Nobody knows when (some of) the data comes: "tidsplan … pt. ukendt", "en ny tidsplan
    /// ventes", "vi melder ud, når …".
    Unknown,
    /// A month comes as soon as possible, with no date: "Data for maj vil blive vist i FLIS
    /// snarest muligt".
    Asap { data: Option<YearMonth> },
    /// A month comes with a named monthly release: "Data for juli forventes med udgivelsen i
    /// december".
    WithRelease {
        data: Option<YearMonth>,
        release_month: YearMonth,
    },
}

/// The phrases of `data/note_timing.toml`.
#[derive(serde::Deserialize)]
struct Phrases {
    unknown: Vec<String>,
    asap: Vec<String>,
    release_cues: Vec<String>,
}

/// The embedded file, read once. It is part of the build, not input: a broken file is a bad
/// commit that every test of this module catches, so the `panic` needs no user to reach it.
fn phrases() -> &'static Phrases {
    static PHRASES: OnceLock<Phrases> = OnceLock::new();
    PHRASES.get_or_init(|| {
        toml::from_str(include_str!("../../../data/note_timing.toml"))
            .unwrap_or_else(|e| panic!("data/note_timing.toml is broken: {e}"))
    })
}

/// The month a word names, if it is a Danish month name (any case, a trailing punctuation mark
/// or "-data" ignored).
fn month_of(word: &str) -> Option<u32> {
    let w = word
        .trim_matches(|c: char| !c.is_alphabetic())
        .trim_end_matches("-data");
    DANISH_MONTHS
        .iter()
        .position(|m| m.eq_ignore_ascii_case(w) || w.to_lowercase() == *m)
        .and_then(|i| u32::try_from(i + 1).ok())
}

/// The latest `month` not after `status` (data months are in the past when a note is written).
fn data_month(month: u32, status: YearMonth) -> Option<YearMonth> {
    let year = if month <= status.month() {
        status.year()
    } else {
        status.year() - 1
    };
    YearMonth::new(year, month)
}

/// The first `month` not before `status` (a release a note promises lies ahead).
fn release_month(month: u32, status: YearMonth) -> Option<YearMonth> {
    let year = if month >= status.month() {
        status.year()
    } else {
        status.year() + 1
    };
    YearMonth::new(year, month)
}

/// What `note` says about timing, read as of the month the status is from.
pub fn note_timing(note: &str, status: YearMonth) -> Option<NoteTiming> {
    let lower = note.to_lowercase();
    let words: Vec<&str> = lower.split_whitespace().collect();
    // "data for maj" / "data for juli": the month the note is about.
    let data = words.windows(3).find_map(|w| {
        (w[0].trim_end_matches(',') == "data" && w[1] == "for")
            .then(|| month_of(w[2]))
            .flatten()
    });
    let data = data.and_then(|m| data_month(m, status));
    // A month named after a release cue: the release it comes with.
    let cued = words.iter().enumerate().find_map(|(i, w)| {
        phrases()
            .release_cues
            .iter()
            .any(|c| w.trim_matches(|ch: char| !ch.is_alphabetic()) == *c)
            .then(|| words.iter().skip(i + 1).take(5).find_map(|x| month_of(x)))
            .flatten()
    });
    if phrases().unknown.iter().any(|p| lower.contains(p.as_str())) {
        return Some(NoteTiming::Unknown);
    }
    if let Some(m) = cued {
        if let Some(release_month) = release_month(m, status) {
            return Some(NoteTiming::WithRelease {
                data,
                release_month,
            });
        }
    }
    if phrases().asap.iter().any(|p| lower.contains(p.as_str())) {
        return Some(NoteTiming::Asap { data });
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::ym;

    #[test]
    fn the_notes_flis_writes_are_read_for_their_timing() {
        let sep = ym("2025-09");
        let cases: &[(&str, Option<NoteTiming>)] = &[
            ("Kører efter planen", None),
            (
                "Grundet et større implementeringsarbejde pga. de indgåede overenskomster i 2024 \
                 hos KRL har vi data tilbage fra marts. Data for maj vil blive vist i FLIS \
                 snarest muligt",
                Some(NoteTiming::Asap {
                    data: Some(ym("2025-05")),
                }),
            ),
            (
                "Der er endnu ikke data fra fagløsningen Min Uddannelse. Der arbejdes på en \
                 opdatering af løsningen, men tidsplan for udgivelse er pt. ukendt.",
                Some(NoteTiming::Unknown),
            ),
            (
                "Der arbejdes på en opdatering af løsningen, og en ny tidsplan ventes i december.",
                Some(NoteTiming::Unknown),
            ),
            (
                "Data for juli forventes med udgivelsen i december.",
                Some(NoteTiming::WithRelease {
                    data: Some(ym("2025-07")),
                    release_month: ym("2025-12"),
                }),
            ),
            (
                "Der er lukket for adgang til DFDG-data pga. omfattende snitfladeændringer. Vi \
                 melder ud, når data er tilgængelige igen.",
                Some(NoteTiming::Unknown),
            ),
            (
                "Da TRIFORK ændrer snitflader, mangler data fra en række kommuner. Se driftsinfo \
                 for nærmere oplysninger.",
                None,
            ),
            (
                "Vi opdaterer VH-data som vanligt, men bemærk, at benchmarkdata pt. ikke er \
                 retvisende.",
                None,
            ),
        ];
        for (note, want) in cases {
            assert_eq!(note_timing(note, sep), *want, "{note}");
        }
    }

    #[test]
    fn months_are_read_around_the_status_month() {
        // Written in November: "data for december" is last year's, "udgivelsen i januar" next year's.
        let nov = ym("2025-11");
        assert_eq!(
            note_timing("Data for december forventes med udgivelsen i januar", nov),
            Some(NoteTiming::WithRelease {
                data: Some(ym("2024-12")),
                release_month: ym("2026-01"),
            })
        );
    }

    #[test]
    fn any_text_is_read_without_panicking() {
        for note in [
            "",
            "data for",
            "forventes",
            "ventes i",
            "💥 data for 🎉 ventes ☃",
        ] {
            let _ = note_timing(note, ym("2025-09"));
        }
    }
}
