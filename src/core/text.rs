//! Shortening text to a limit, the one way every reply, embed, note and echo does it.

/// `text` within `max` characters: unchanged if it fits, else cut with an ellipsis, on a word
/// boundary when one is near the end, so no word is cut blind.
pub fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    if max == 0 {
        return String::new();
    }
    let mut cut: String = text.chars().take(max.saturating_sub(1)).collect();
    if let Some(i) = cut.rfind(' ').filter(|&i| i > cut.len() * 2 / 3) {
        cut.truncate(i);
    }
    cut.push('…');
    cut
}

/// Text a user typed, to echo back in a message: control characters dropped, within `max`.
pub fn echo(text: &str, max: usize) -> String {
    let visible: String = text.chars().filter(|c| !c.is_control()).collect();
    shorten(visible.trim(), max)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortening_keeps_short_text_and_cuts_long_text_on_a_word() {
        let cases = [
            ("kort", 10, "kort"),
            ("præcis ti", 9, "præcis ti"),
            (
                "data for maj vil blive vist snarest",
                20,
                "data for maj vil…",
            ),
            ("ææææææææææææ", 5, "ææææ…"),
            ("", 0, ""),
            ("ab", 0, ""),
            ("abc", 1, "…"),
        ];
        for (text, max, want) in cases {
            assert_eq!(shorten(text, max), want, "{text:?} within {max}");
        }
        assert!(shorten(&"ord ".repeat(1000), 2000).chars().count() <= 2000);
    }

    #[test]
    fn an_echo_drops_control_characters() {
        assert_eq!(echo("juni\u{7}\n", 40), "juni");
        assert_eq!(echo(&"x".repeat(50), 40).chars().count(), 40);
    }
}
