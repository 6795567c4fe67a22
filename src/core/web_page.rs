//! The web's wording and layout, from the templates in `responses/web/`: the status page and an
//! area's page (HTML, escaped by minijinja because the names end in `.html`), the calendar's
//! Danish texts and the short error texts (`.txt`, not escaped: the caller escapes for its
//! format). Embedded, like `responses/`, so the binary runs from any directory.

use std::sync::OnceLock;

use minijinja::Environment;
use serde::Serialize;

use crate::core::status_feed::{AreaPage, StatusPage};

macro_rules! web_templates {
    ($($name:literal),+ $(,)?) => {
        &[$(($name, include_str!(concat!("../../responses/web/", $name)))),+]
    };
}

/// (name, source) of every web template.
pub const WEB_TEMPLATES: &[(&str, &str)] = web_templates![
    "_layout.html",
    "_state.html",
    "status.html",
    "area.html",
    "error.txt",
    "ical_summary.txt",
    "ical_description.txt",
    "ical_calname.txt",
    "ical_caldesc.txt",
];

/// The page's stylesheet (`/stil.css`): no scripts, no web fonts, nothing fetched elsewhere.
pub const STYLESHEET: &str = include_str!("../../responses/web/stil.css");

const FALLBACK_HTML: &str = "<!doctype html><html lang=\"da\"><meta charset=\"utf-8\">\
<title>FLIS-status</title><p>Siden kan ikke vises lige nu. Prøv igen om lidt.</p></html>";
const FALLBACK_TEXT: &str = "Beklager, noget gik galt. Prøv igen om lidt.";

fn environment() -> &'static Environment<'static> {
    static ENV: OnceLock<Environment<'static>> = OnceLock::new();
    ENV.get_or_init(|| crate::core::render::environment_of(WEB_TEMPLATES))
}

fn render(name: &str, context: &impl Serialize) -> Option<String> {
    match environment()
        .get_template(name)
        .and_then(|t| t.render(context))
    {
        Ok(s) => Some(s),
        Err(e) => {
            tracing::error!(template = name, error = %e, "web rendering failed");
            None
        }
    }
}

/// A `.txt` template's text, trimmed (short texts: calendar words, error messages).
pub fn render_text(name: &str, context: &impl Serialize) -> String {
    render(name, context).map_or_else(|| FALLBACK_TEXT.to_owned(), |s| s.trim().to_owned())
}

/// The status page (`/`) as HTML.
pub fn status_html(page: &StatusPage) -> String {
    render("status.html", page).unwrap_or_else(|| FALLBACK_HTML.to_owned())
}

/// An area's page (`/omraade/{id}`) as HTML.
pub fn area_html(page: &AreaPage) -> String {
    render("area.html", page).unwrap_or_else(|| FALLBACK_HTML.to_owned())
}

/// What the error texts are told: the kind of error and its details.
#[derive(Serialize)]
pub struct ErrorText<'a> {
    pub kind: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<&'a str>,
}

/// A short Danish error text of kind `kind` (`responses/web/error.txt`).
pub fn error_text(kind: &str, value: Option<&str>) -> String {
    render_text("error.txt", &ErrorText { kind, value })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::catalogue::{default_catalogue, AreaId};
    use crate::core::facts::catalogue_facts;
    use crate::core::status_feed::{area_page, status_page};

    fn page(c: &crate::core::catalogue::Catalogue, day: &str) -> StatusPage {
        status_page(c, &catalogue_facts(c, day.parse().unwrap()))
    }

    #[test]
    fn every_web_template_compiles_and_every_file_is_embedded() {
        let env = environment();
        for (name, _) in WEB_TEMPLATES {
            env.get_template(name)
                .unwrap_or_else(|e| panic!("{name}: {e}"));
        }
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/responses/web");
        for entry in std::fs::read_dir(dir).unwrap() {
            let name = entry.unwrap().file_name().into_string().unwrap();
            assert!(
                name == "stil.css" || WEB_TEMPLATES.iter().any(|(n, _)| *n == name),
                "{name} is not in WEB_TEMPLATES"
            );
        }
    }

    #[test]
    fn the_status_page_has_headings_table_headers_labels_and_no_script() {
        let c = default_catalogue();
        let html = status_html(&page(c, "2025-09-10"));
        assert!(html.starts_with("<!doctype html>"), "{html}");
        for needle in [
            "<html lang=\"da\">",
            "<meta name=\"viewport\"",
            "<h1",
            "<th scope=\"col\">Tilstand</th>",
            "<th scope=\"row\"",
            "Næste månedlige udgivelse",
            "10. oktober 2025",
            "Status pr. <strong>10. september 2025</strong>",
            "Nede",
            "Driftsforstyrrelse",
            "Kører efter planen",
            "bagud med 1 måned",
            "href=\"/omraade/krl\"",
            "href=\"/kalender.ics\"",
        ] {
            assert!(html.contains(needle), "{needle} missing");
        }
        assert!(!html.contains("<script"), "no JavaScript");
        assert!(!html.contains("kan være forældet"), "fresh on the seed day");
        // Down comes before the first area running to plan.
        let down = html.find("state-down").unwrap();
        let ok = html.find("state-ok").unwrap();
        assert!(down < ok);
        let stale = status_html(&page(c, "2025-12-01"));
        assert!(stale.contains("kan være forældet"), "stale warning");
    }

    #[test]
    fn catalogue_text_is_escaped_in_html() {
        let mut c = default_catalogue().clone();
        c.area_mut(AreaId::Krl).unwrap().note = Some("<script>alert(1)</script> & co".into());
        let html = status_html(&page(&c, "2025-09-10"));
        assert!(!html.contains("<script>"));
        assert!(html.contains("&lt;script&gt;alert(1)&lt;") && html.contains("&amp; co"));
        let facts = catalogue_facts(&c, "2025-09-10".parse().unwrap());
        let page = area_page(&c, &facts, AreaId::Krl, &[]).unwrap();
        let html = area_html(&page);
        assert!(!html.contains("<script>") && html.contains("<h1"));
        assert!(html.contains("Ingen ændringer registreret"), "{html}");
    }

    #[test]
    fn error_texts_are_short_danish_sentences() {
        for (kind, value, words) in [
            ("unknown_area_page", Some("sport"), "findes ikke"),
            ("not_found", None, "findes ikke"),
            ("timeout", None, "for lang tid"),
            ("method", None, "kun læses"),
            ("internal", None, "gik galt"),
            ("busy", None, "For mange forbindelser"),
        ] {
            let t = error_text(kind, value);
            assert!(t.contains(words), "{kind}: {t}");
            assert!(t.len() < 300 && !t.contains('\n'), "{kind}: {t}");
        }
    }
}
