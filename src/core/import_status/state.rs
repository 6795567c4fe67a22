//! An area's state from its drift note: the document has no state column, only the note.

use super::format::format;
use super::text::fold;
use crate::core::catalogue::State;

/// "Kører efter planen" alone (or no note) is running to plan; a note saying the data cannot be
/// had (closed off, phased out, no longer working: the `down` phrases of the format file) is
/// down; any other note reports a disturbance. The operator sees the result per area and can
/// override it.
pub fn infer_state(note: Option<&str>) -> State {
    let Some(note) = note else {
        return State::Ok;
    };
    let f = format();
    let words: Vec<String> = note
        .split_whitespace()
        .map(|w| fold(w.trim_matches(|c: char| !c.is_alphanumeric())))
        .filter(|w| !w.is_empty())
        .collect();
    if words.is_empty() || words == f.running {
        return State::Ok;
    }
    let says = |phrase: &Vec<String>| {
        !phrase.is_empty() && words.windows(phrase.len()).any(|w| w == phrase.as_slice())
    };
    if f.down.iter().any(says) {
        State::Down
    } else {
        State::Disturbed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_note_gives_its_state() {
        let cases = [
            (None, State::Ok),
            (Some("Kører efter planen"), State::Ok),
            (Some("kører efter planen."), State::Ok),
            (
                Some("Kører efter planen på nær for Københavns Kommune: Der er leveret fejlbehæftet data"),
                State::Disturbed,
            ),
            (
                Some("Der er lukket for adgang til DFDG-data pga. omfattende snitfladeændringer."),
                State::Down,
            ),
            (
                Some("OLAP-kuben er udfaset, og dataområdet virker ikke længere."),
                State::Down,
            ),
            (Some("Dashboardet virker ikke længere."), State::Down),
            (
                Some("Der er endnu ikke data fra fagløsningen Min Uddannelse."),
                State::Disturbed,
            ),
            (Some("Data for maj vil blive vist i FLIS snarest muligt"), State::Disturbed),
            (Some("Virker ikke for alle kommuner"), State::Disturbed),
        ];
        for (note, want) in cases {
            assert_eq!(infer_state(note), want, "{note:?}");
        }
    }
}
