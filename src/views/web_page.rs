//! The web's wording and layout, from the templates in `responses/web/`: the status page and an
//! area's page (HTML, escaped by minijinja because the names end in `.html`), the calendar's
//! Danish texts and the short error texts (`.txt`, not escaped: the caller escapes for its
//! format). Embedded, like `responses/`, so the binary runs from any directory.

use std::sync::OnceLock;

use minijinja::Environment;
use serde::Serialize;

use super::kalender::KalenderPage;
use super::status_feed::{AreaPage, BadgeView, StatusPage};

super::render::templates! {
    /// A web template of `responses/web/`. Partials (`_…`) are included by the others.
    WebTemplate, WEB_TEMPLATES, "../../responses/web/", {
    Layout => "_layout.html",
    State => "_state.html",
    Status => "status.html",
    Area => "area.html",
    Kalender => "kalender.html",
    ErrorPage => "error.html",
    Badge => "badge.svg",
    BadgeText => "badge_text.txt",
    ErrorText => "error.txt",
    IcalSummary => "ical_summary.txt",
    IcalDescription => "ical_description.txt",
    IcalCalname => "ical_calname.txt",
    IcalCaldesc => "ical_caldesc.txt",
}
}

/// The page's stylesheet (`/stil.css`): no scripts, no web fonts, nothing fetched elsewhere.
pub const STYLESHEET: &str = include_str!("../../responses/web/stil.css");

/// The abbreviations the pages expand where each first appears (`<abbr title=…>`).
pub const ABBREVIATIONS_TOML: &str = include_str!("../../responses/web/abbreviations.toml");

/// Shown when a template fails, which only a bad commit can cause: read as they stand.
const FALLBACK_HTML: &str = include_str!("../../responses/web/fallback.html");
const FALLBACK_TEXT: &str = include_str!("../../responses/web/fallback.txt");

fn environment() -> &'static Environment<'static> {
    static ENV: OnceLock<Environment<'static>> = OnceLock::new();
    ENV.get_or_init(|| super::render::environment_of(WEB_TEMPLATES))
}

fn render(template: WebTemplate, context: &impl Serialize) -> Option<String> {
    let name = template.file();
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
pub fn render_text(name: WebTemplate, context: &impl Serialize) -> String {
    render(name, context).map_or_else(|| FALLBACK_TEXT.to_owned(), |s| s.trim().to_owned())
}

/// A page of ours as HTML, its abbreviations expanded where each first appears.
fn page_html(name: WebTemplate, context: &impl Serialize) -> String {
    render(name, context).map_or_else(|| FALLBACK_HTML.to_owned(), |html| abbreviate(&html))
}

/// The status page (`/`) as HTML.
pub fn status_html(page: &StatusPage) -> String {
    page_html(WebTemplate::Status, page)
}

/// An area's page (`/omraade/{id}`) as HTML.
pub fn area_html(page: &AreaPage) -> String {
    page_html(WebTemplate::Area, page)
}

/// The release calendar page (`/kalender`) as HTML.
pub fn kalender_html(page: &KalenderPage) -> String {
    page_html(WebTemplate::Kalender, page)
}

/// An error page in the site's style (a 404, a bad filter): `kind` and `value` as for
/// [`error_text`].
pub fn error_html(status: u16, kind: &str, value: Option<&str>) -> String {
    #[derive(Serialize)]
    struct ErrorPage<'a> {
        status: u16,
        kind: &'a str,
        message: String,
    }
    page_html(
        WebTemplate::ErrorPage,
        &ErrorPage {
            status,
            kind,
            message: error_text(kind, value),
        },
    )
}

/// The abbreviations, read once: (abbreviation, what it stands for or what is known of it).
fn abbreviations() -> &'static [(String, String)] {
    static ABBR: OnceLock<Vec<(String, String)>> = OnceLock::new();
    ABBR.get_or_init(|| {
        match toml::from_str::<std::collections::BTreeMap<String, String>>(ABBREVIATIONS_TOML) {
            Ok(map) => map.into_iter().collect(),
            Err(e) => {
                tracing::error!(error = %e, "responses/web/abbreviations.toml does not read");
                Vec::new()
            }
        }
    })
}

/// Elements whose text is not marked up: an `<abbr>` inside them would be shown as text, or
/// is one already.
const PLAIN_TEXT_ELEMENTS: [&str; 6] = ["title", "option", "abbr", "textarea", "script", "style"];

/// Wraps the first appearance of each abbreviation in the body's text in `<abbr title=…>`:
/// whole words only ("KRL" in "KRL Personale", "DAP" in "DAP-kuberne"), never inside a tag, an
/// attribute or an element whose text cannot hold markup.
pub fn abbreviate(html: &str) -> String {
    let Some(body) = html.find("<body") else {
        return html.to_owned();
    };
    let glossary = abbreviations();
    let mut seen = vec![false; glossary.len()];
    let mut out = String::with_capacity(html.len() + 1024);
    out.push_str(&html[..body]);
    let rest = &html[body..];
    let mut plain: Option<&str> = None;
    let mut i = 0;
    while i < rest.len() {
        let c = rest[i..].chars().next().unwrap_or(' ');
        if c == '<' {
            let end = rest[i..].find('>').map_or(rest.len(), |e| i + e + 1);
            let tag = &rest[i..end];
            let name: String = tag
                .trim_start_matches(['<', '/'])
                .chars()
                .take_while(char::is_ascii_alphanumeric)
                .collect::<String>()
                .to_ascii_lowercase();
            match plain {
                Some(p) if tag.starts_with("</") && name == p => plain = None,
                None if !tag.starts_with("</") => {
                    plain = PLAIN_TEXT_ELEMENTS.into_iter().find(|p| *p == name);
                }
                _ => {}
            }
            out.push_str(tag);
            i = end;
            continue;
        }
        if c.is_alphanumeric() {
            let len = rest[i..]
                .find(|ch: char| !ch.is_alphanumeric())
                .unwrap_or(rest.len() - i);
            let word = &rest[i..i + len];
            let hit = glossary.iter().position(|(a, _)| a == word);
            match hit {
                Some(k) if plain.is_none() && !seen[k] => {
                    seen[k] = true;
                    let title = glossary[k]
                        .1
                        .replace('&', "&amp;")
                        .replace('"', "&quot;")
                        .replace('<', "&lt;");
                    out.push_str(&format!("<abbr title=\"{title}\">{word}</abbr>"));
                }
                _ => out.push_str(word),
            }
            i += len;
            continue;
        }
        out.push(c);
        i += c.len_utf8();
    }
    out
}

/// What a reader sees of `html`: the text without tags (entities as they are), for tests that
/// read a page's words.
#[cfg(test)]
pub fn visible_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// Roughly how wide `text` is in 11 px Verdana, in pixels: the badge's boxes are cut to it and
/// each text is told its length (`textLength`), so a glyph wider than guessed cannot overflow.
fn text_width(text: &str) -> u32 {
    let tenths: u32 = text
        .chars()
        .map(|c| match c {
            'i' | 'j' | 'l' | '.' | ',' | ':' | ';' | '\'' | '|' | '!' => 35,
            'f' | 't' | 'r' | ' ' | '(' | ')' | '-' | '/' => 45,
            'm' | 'w' | 'M' | 'W' | 'Æ' | 'æ' | 'Ø' => 100,
            '–' | '·' => 70,
            c if c.is_ascii_digit() => 70,
            c if c.is_uppercase() => 78,
            _ => 68,
        })
        .sum();
    tenths.div_ceil(10)
}

/// An area's badge as SVG: the name on grey, the state's colour with its t.o.m. (words and
/// colour from `responses/web/badge_text.txt` and `badge.svg`).
pub fn badge_svg(view: &BadgeView) -> String {
    #[derive(Serialize)]
    struct Badge<'a> {
        #[serde(flatten)]
        view: &'a BadgeView,
        label: &'a str,
        message: &'a str,
        label_width: u32,
        message_width: u32,
        label_box: u32,
        message_box: u32,
        width: u32,
    }
    let text = render_text(WebTemplate::BadgeText, view);
    let (label, message) = text.split_once('\n').unwrap_or((&view.name, ""));
    let (label, message) = (label.trim(), message.trim());
    let (label_width, message_width) = (text_width(label), text_width(message));
    let (label_box, message_box) = (label_width + 12, message_width + 12);
    let badge = Badge {
        view,
        label,
        message,
        label_width,
        message_width,
        label_box,
        message_box,
        width: label_box + message_box,
    };
    render(WebTemplate::Badge, &badge).unwrap_or_default()
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
    render_text(WebTemplate::ErrorText, &ErrorText { kind, value })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::catalogue::{default_catalogue, AreaId};
    use crate::core::facts::catalogue_facts;
    use crate::views::status_feed::{area_page, status_page};

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
                name == "stil.css"
                    || name == "abbreviations.toml"
                    || name.starts_with("fallback.")
                    || WEB_TEMPLATES.iter().any(|(n, _)| *n == name),
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
    fn each_abbreviation_is_expanded_where_it_first_appears_and_only_in_text() {
        let html = "<html><head><title>KRL – FLIS</title></head><body><p>KRL Personale, \
                    <a href=\"/omraade/krl\" title=\"KRL\">KRL</a></p><select><option>DREAM</option>\
                    </select><p>DREAM og DAP-kuberne, VH-data; DAPHNE, aKY</p></body></html>";
        let out = abbreviate(html);
        assert!(
            out.contains("<title>KRL – FLIS</title>"),
            "the head is left alone"
        );
        assert_eq!(out.matches("<abbr").count(), 4, "{out}");
        assert!(out.contains(
            "<p><abbr title=\"Kommunernes og Regionernes Løndatakontor\">KRL</abbr> Personale"
        ));
        assert!(
            out.contains("title=\"KRL\">KRL</a>"),
            "once, and never in an attribute"
        );
        assert!(
            out.contains("<option>DREAM</option>"),
            "no markup inside an option"
        );
        assert!(out.contains("\">DREAM</abbr> og"), "{out}");
        assert!(
            out.contains("står for, er ikke oplyst.\">DAP</abbr>-kuberne"),
            "{out}"
        );
        assert!(out.contains(">VH</abbr>-data"));
        assert!(out.contains("DAPHNE, aKY"), "whole words only");
        // The pages expand the glossary's words: DREAM on the status page of the seed day.
        let c = default_catalogue();
        let html = status_html(&page(c, "2025-09-10"));
        for a in [
            "DREAM", "DFDG", "KRL", "DAP", "FSIII", "KY", "KP", "YR", "VH",
        ] {
            assert_eq!(
                html.matches(&format!(">{a}</abbr>")).count(),
                1,
                "{a} expanded once on the page"
            );
        }
    }

    #[test]
    fn a_badge_is_a_small_svg_with_name_state_colour_and_through() {
        use crate::views::status_feed::badge_view;
        let c = default_catalogue();
        let facts = catalogue_facts(c, "2025-09-10".parse().unwrap());
        for (id, fill, words) in [
            (AreaId::Ky, "#1a7f37", "t.o.m. juli 2025"),
            (
                AreaId::Fsiii,
                "#f5c542",
                "t.o.m. juli 2025 · driftsforstyrrelse",
            ),
            (
                AreaId::Krl,
                "#f5c542",
                "t.o.m. april 2025 · driftsforstyrrelse · bagud",
            ),
            (AreaId::Dfdg, "#b3261e", ">nede<"),
            (AreaId::Aeldre, "#b3261e", "t.o.m. juli 2025 · nede"),
            (AreaId::Ukraine, "#1a7f37", "opdateres dagligt"),
        ] {
            let svg = badge_svg(&badge_view(c, &facts, id).unwrap());
            assert!(
                svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""),
                "{svg}"
            );
            assert!(svg.contains(&format!("fill=\"{fill}\"")), "{id}: {svg}");
            assert!(svg.contains(words), "{id}: {svg}");
            assert!(svg.contains("<title>"), "{id}: named for screen readers");
            assert!(!svg.contains("<script"), "{id}");
        }
    }

    #[test]
    fn the_calendar_and_error_pages_are_in_the_sites_style() {
        use crate::views::ical::CalendarFilter;
        use crate::views::kalender::kalender_page;
        let c = default_catalogue();
        let facts = catalogue_facts(c, "2025-09-20".parse().unwrap());
        let html = kalender_html(&kalender_page(c, &facts, &CalendarFilter::default(), None));
        assert!(html.contains("<link rel=\"stylesheet\" href=\"/stil.css\">"));
        assert!(html.contains("id=\"udgivelse-2025-10-10\""), "{html}");
        assert!(html.contains("Abonnér i Outlook"));
        assert!(!html.contains("<script"));
        let text = visible_text(&html);
        assert!(text.contains("fredag 10. oktober 2025"), "{text}");
        assert!(text.contains("Uden fast dato"));
        let e = error_html(404, "not_found", None);
        assert!(e.contains("<link rel=\"stylesheet\" href=\"/stil.css\">"));
        assert!(visible_text(&e).contains("Siden findes ikke"));
    }

    #[test]
    fn error_texts_are_short_danish_sentences() {
        for (kind, value, words) in [
            ("unknown_area_page", Some("sport"), "findes ikke"),
            ("not_found", None, "ingen side"),
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
