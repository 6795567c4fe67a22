//! The rules section ("Opdateringsfrekvens", "Undtagelser"): prose the import never turns into
//! release rules, but whose change the operator must see. It is kept as one line per heading or
//! bullet, joined over wrapped lines, so a document that only wraps differently compares equal.

use std::collections::HashSet;

use serde::Serialize;

use super::format::format;
use super::text::{join_wrapped, Line};

/// The most heading words: "Undtagelser:" is one; a longer line ending in ":" is prose.
const MAX_HEADING_WORDS: usize = 4;

/// The section as text: a line per heading or bullet (bullet marks left out, since the
/// extraction may render them differently from month to month).
pub(super) fn rules_text(lines: &[Line<'_>]) -> String {
    items(lines)
        .iter()
        .map(|item| join_wrapped(&item.lines).0)
        .filter(|t| !t.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The first heading, bullet or paragraph of the section that opens in lower case, as the rest
/// of a sentence whose start is missing ("betyder, at man …" right after "Undtagelser:"): its
/// line and words. Every item of a whole section opens with a capital or a digit.
pub(super) fn opening_mid_sentence(lines: &[Line<'_>]) -> Option<(usize, String)> {
    items(lines).into_iter().find_map(|item| {
        let first = item.lines.first()?;
        first
            .starts_with(char::is_lowercase)
            .then(|| (item.line, first.clone()))
    })
}

/// A heading, bullet or paragraph: the line it starts on and its lines' words (bullet left out).
struct Item {
    line: usize,
    lines: Vec<String>,
}

fn items(lines: &[Line<'_>]) -> Vec<Item> {
    let mut items: Vec<Item> = Vec::new();
    let mut after_heading = false;
    for line in lines.iter().filter(|l| !l.words.is_empty()) {
        let (bullet, words) = strip_bullet(&line.words);
        let text = words.join(" ");
        let sentence_ended = items
            .last()
            .and_then(|i| i.lines.last())
            .is_none_or(|l| l.ends_with(['.', ':', '!', '?']));
        let heading =
            !bullet && words.len() <= MAX_HEADING_WORDS && text.ends_with(':') && sentence_ended;
        if bullet || heading || after_heading || items.is_empty() {
            items.push(Item {
                line: line.no,
                lines: vec![text],
            });
        } else if let Some(item) = items.last_mut() {
            item.lines.push(text);
        }
        after_heading = heading;
    }
    items
}

/// The line's words without a bullet mark, and whether it had one. ASCII marks ("-", "*") count
/// only standing alone, since a word may begin with them; a glyph may be fused to its word
/// ("▪Alle").
fn strip_bullet(words: &[&str]) -> (bool, Vec<String>) {
    let f = format();
    let owned = |ws: &[&str]| ws.iter().map(|w| (*w).to_owned()).collect::<Vec<_>>();
    let Some((first, rest)) = words.split_first() else {
        return (false, Vec::new());
    };
    let mut chars = first.chars();
    match (chars.next(), chars.as_str()) {
        (Some(c), "") if f.is_bullet(c) => (true, owned(rest)),
        (Some(c), fused) if !c.is_ascii() && f.is_bullet(c) => {
            let mut out = vec![fused.to_owned()];
            out.extend(owned(rest));
            (true, out)
        }
        _ => (false, owned(words)),
    }
}

/// Whether a rules line was taken out or put in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleChange {
    Removed,
    Added,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RuleLine {
    pub change: RuleChange,
    pub text: String,
}

/// The largest diff table built; a real section has tens of lines, so only a document that is
/// not a status overview gets the plain comparison below.
const MAX_DIFF_CELLS: usize = 1 << 20;

/// The lines of `current` not in `previous` and the other way round, in reading order (a
/// longest-common-subsequence diff: a section has tens of lines, so the table is small).
pub fn rules_changes(previous: &str, current: &str) -> Vec<RuleLine> {
    let a: Vec<&str> = previous.lines().collect();
    let b: Vec<&str> = current.lines().collect();
    let line = |change, text: &str| RuleLine {
        change,
        text: text.to_owned(),
    };
    if (a.len() + 1).saturating_mul(b.len() + 1) > MAX_DIFF_CELLS {
        let (in_a, in_b): (HashSet<&str>, HashSet<&str>) =
            (a.iter().copied().collect(), b.iter().copied().collect());
        let removed = a.iter().filter(|l| !in_b.contains(*l));
        let added = b.iter().filter(|l| !in_a.contains(*l));
        return removed
            .map(|l| line(RuleChange::Removed, l))
            .chain(added.map(|l| line(RuleChange::Added, l)))
            .collect();
    }
    // common[i][j]: the longest common subsequence of a[i..] and b[j..].
    let mut common = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            common[i][j] = if a[i] == b[j] {
                common[i + 1][j + 1] + 1
            } else {
                common[i + 1][j].max(common[i][j + 1])
            };
        }
    }
    let (mut i, mut j, mut out) = (0, 0, Vec::new());
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            i += 1;
            j += 1;
        } else if i < a.len() && (j == b.len() || common[i + 1][j] >= common[i][j + 1]) {
            out.push(line(RuleChange::Removed, a[i]));
            i += 1;
        } else {
            out.push(line(RuleChange::Added, b[j]));
            j += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::import_status::text::lines;

    fn section(text: &str) -> String {
        rules_text(&lines(text))
    }

    #[test]
    fn bullets_and_headings_make_lines_and_wrapping_does_not_matter() {
        let a = section(
            "Opdateringsfrekvens\n\n▪ Alle områder opdateres 1 x \n\nmånedligt. \nUndtagelser:\n▪ KRL-data med 3 måneders \nforsinkelse.\n• STIL-data opdateres årligt",
        );
        assert_eq!(
            a,
            "Opdateringsfrekvens\nAlle områder opdateres 1 x månedligt.\nUndtagelser:\nKRL-data med 3 måneders forsinkelse.\nSTIL-data opdateres årligt"
        );
        let b = section(
            "Opdateringsfrekvens\n▪ Alle områder opdateres\n1 x månedligt.\n\nUndtagelser:\n\n▪ KRL-data med 3\nmåneders forsinkelse.\n▪STIL-data opdateres årligt",
        );
        assert_eq!(a, b);
    }

    #[test]
    fn the_diff_shows_only_changed_lines_in_order() {
        let before = "A\nB\nC\nD";
        let after = "A\nB2\nC\nD\nE";
        let changes = rules_changes(before, after);
        let shown: Vec<String> = changes
            .iter()
            .map(|l| format!("{:?} {}", l.change, l.text))
            .collect();
        assert_eq!(shown, ["Removed B", "Added B2", "Added E"]);
        assert!(rules_changes(before, before).is_empty());
        assert_eq!(rules_changes("", "A").len(), 1);
    }
}
