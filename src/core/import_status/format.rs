//! The words a status document is built from (`data/status_document.toml`), folded once for
//! matching without regard to case.

use std::sync::OnceLock;

use serde::Deserialize;

use super::text::fold;

pub const STATUS_DOCUMENT_TOML: &str = include_str!("../../../data/status_document.toml");

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    date_word: String,
    titles: Vec<String>,
    page_header: String,
    column_headers: Vec<String>,
    frequencies: Vec<String>,
    none: Vec<String>,
    running: String,
    down: Vec<String>,
    bullets: String,
    rules_headings: Vec<String>,
}

/// The file, folded: every word lower-case, every phrase a list of words.
#[derive(Debug)]
pub struct Format {
    date_word: String,
    titles: Vec<Vec<String>>,
    page_header: String,
    column_headers: Vec<String>,
    frequencies: Vec<String>,
    none: Vec<String>,
    pub running: Vec<String>,
    pub down: Vec<Vec<String>>,
    bullets: Vec<char>,
    rules_headings: Vec<String>,
}

fn words(phrase: &str) -> Vec<String> {
    phrase.split_whitespace().map(fold).collect()
}

impl Format {
    fn parse(toml_text: &str) -> Result<Format, String> {
        let f: File = toml::from_str(toml_text).map_err(|e| e.to_string())?;
        if f.column_headers.is_empty() || f.frequencies.is_empty() || f.none.is_empty() {
            return Err("column_headers, frequencies and none must not be empty".into());
        }
        Ok(Format {
            date_word: fold(&f.date_word),
            titles: f.titles.iter().map(|t| words(t)).collect(),
            page_header: fold(&f.page_header),
            column_headers: f.column_headers.iter().map(|w| fold(w)).collect(),
            frequencies: f.frequencies.iter().map(|w| fold(w)).collect(),
            none: f.none,
            running: words(&f.running),
            down: f.down.iter().map(|p| words(p)).collect(),
            bullets: f.bullets.chars().collect(),
            rules_headings: f.rules_headings,
        })
    }

    pub fn is_date_word(&self, w: &str) -> bool {
        fold(w) == self.date_word
    }

    /// A line that is one of the document's title lines ("FLIS").
    pub fn is_title(&self, line: &[&str]) -> bool {
        self.titles
            .iter()
            .any(|t| t.len() == line.len() && t.iter().zip(line).all(|(a, b)| *a == fold(b)))
    }

    pub fn is_page_header_word(&self, w: &str) -> bool {
        fold(w) == self.page_header
    }

    /// The first column header: only it opens a header block.
    pub fn opens_column_headers(&self, w: &str) -> bool {
        self.column_headers.first() == Some(&fold(w))
    }

    pub fn is_column_header(&self, w: &str) -> bool {
        self.column_headers.contains(&fold(w))
    }

    /// "Månedligt", "Månedligt/årligt": frequency words, alone or joined by "/".
    pub fn is_frequency(&self, w: &str) -> bool {
        w.split('/')
            .all(|part| self.frequencies.contains(&fold(part)))
    }

    /// "-": an empty cell.
    pub fn is_none(&self, w: &str) -> bool {
        self.none.iter().any(|n| n == w)
    }

    /// The headings a whole rules section has ("Opdateringsfrekvens", "Undtagelser"), as written.
    pub fn rules_headings(&self) -> &[String] {
        &self.rules_headings
    }

    pub fn is_bullet(&self, c: char) -> bool {
        self.bullets.contains(&c)
    }
}

/// The embedded file, read once. It is part of the build, not input: a broken file is a bad
/// commit that `the_format_file_reads` catches, so the `panic` needs no user to reach it.
pub fn format() -> &'static Format {
    static FORMAT: OnceLock<Format> = OnceLock::new();
    FORMAT.get_or_init(|| {
        Format::parse(STATUS_DOCUMENT_TOML)
            .unwrap_or_else(|e| panic!("data/status_document.toml is broken: {e}"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_format_file_reads() {
        let f = Format::parse(STATUS_DOCUMENT_TOML).unwrap();
        assert!(f.is_frequency("Månedligt/årligt") && !f.is_frequency("Månedligt/år"));
        assert!(f.is_none("-") && !f.is_none("--"));
        assert_eq!(f.running, ["kører", "efter", "planen"]);
        assert!(
            f.is_title(&["FLIS"])
                && f.is_title(&["Status", "på", "drift", "og", "opdateringsfrekvens"])
        );
        assert!(!f.is_title(&["FLIS", "data"]));
        assert!(Format::parse("date_word = 1").is_err());
    }
}
