//! A reply laid out as a chat message: embeds for areas (colour = state), plain text where that
//! reads better (overview, help, the general release). Pure and platform-neutral; the Discord
//! adapter only copies these fields into its builders. Discord's limits hold here.

use super::render::Template;
use crate::core::catalogue::State;
use crate::core::text::shorten;
use serde::Serialize;

use super::render::{render, render_part_within, render_template, MAX_REPLY_CHARS};
use crate::core::reply::{AreaView, Reply, ReplyKind};

pub const MAX_EMBEDS: usize = 10;
pub const MAX_EMBED_TOTAL: usize = 6000;
pub const MAX_TITLE: usize = 256;
pub const MAX_DESCRIPTION: usize = 4096;
pub const MAX_FOOTER: usize = 2048;

#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct ChatMessage {
    pub content: String,
    pub embeds: Vec<Embed>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Embed {
    pub title: String,
    pub description: String,
    pub colour: u32,
    pub footer: String,
}

impl Embed {
    fn chars(&self) -> usize {
        [&self.title, &self.description, &self.footer]
            .iter()
            .map(|s| s.chars().count())
            .sum()
    }
}

pub fn colour(state: State) -> u32 {
    match state {
        State::Ok => 0x2E_CC_71,
        State::Disturbed => 0xF1_C4_0F,
        State::Down => 0xE7_4C_3C,
    }
}

#[derive(Serialize)]
struct AreaContext<'a> {
    a: &'a AreaView,
    embed: bool,
}

fn area_embed(kind: ReplyKind, a: &AreaView, description_max: usize) -> Embed {
    let cx = AreaContext { a, embed: true };
    let body = match kind {
        ReplyKind::NextRelease => Template::NextBody,
        _ => Template::StatusBody,
    };
    Embed {
        title: shorten(&render_template(Template::EmbedTitle, &cx), MAX_TITLE),
        description: shorten(&render_template(body, &cx), description_max),
        colour: colour(a.state),
        footer: shorten(&render_template(Template::EmbedFooter, &cx), MAX_FOOTER),
    }
}

/// Lays `reply` out for chat: for status and release questions about up to three areas, what
/// the question asks first as text (a stale status, ja/nej, the note, the month) and one embed
/// per area below it; text otherwise (one line per area beyond three). Never beyond Discord's
/// limits.
pub fn layout(reply: &Reply) -> ChatMessage {
    let per_area = matches!(reply.kind, ReplyKind::Status | ReplyKind::NextRelease)
        && reply.general.is_none()
        && !reply.compact
        && !reply.areas.is_empty()
        && reply.areas.len() <= MAX_EMBEDS;
    if !per_area {
        return ChatMessage {
            content: render(reply),
            embeds: Vec::new(),
        };
    }
    let content = render_part_within(Template::Lead, reply, MAX_REPLY_CHARS);
    // Share the 6000 characters fairly; shorten descriptions until the whole fits.
    let mut max = MAX_DESCRIPTION;
    loop {
        let embeds: Vec<Embed> = reply
            .areas
            .iter()
            .map(|a| area_embed(reply.kind, a, max))
            .collect();
        let total: usize = embeds.iter().map(Embed::chars).sum();
        if total <= MAX_EMBED_TOTAL || max <= 200 {
            return ChatMessage { content, embeds };
        }
        max = (max * 2 / 3).max(200);
    }
}

impl ChatMessage {
    /// Whether the message is within Discord's limits (checked in tests for every layout).
    pub fn within_limits(&self) -> bool {
        self.content.chars().count() <= MAX_REPLY_CHARS
            && self.embeds.len() <= MAX_EMBEDS
            && self.embeds.iter().map(Embed::chars).sum::<usize>() <= MAX_EMBED_TOTAL
            && self.embeds.iter().all(|e| {
                e.title.chars().count() <= MAX_TITLE
                    && e.description.chars().count() <= MAX_DESCRIPTION
                    && e.footer.chars().count() <= MAX_FOOTER
            })
            && (!self.content.is_empty() || !self.embeds.is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::answer::answer_question;
    use crate::core::catalogue::default_catalogue;
    use chrono::{DateTime, Utc};

    fn now() -> DateTime<Utc> {
        "2025-09-10T08:00:00Z".parse().unwrap()
    }

    #[test]
    fn an_area_question_gets_an_embed_per_area_coloured_by_state() {
        let m = layout(&answer_question(
            "status FSIII og KY",
            default_catalogue(),
            now(),
        ));
        assert_eq!(m.embeds.len(), 2);
        assert!(m.content.is_empty());
        assert_eq!(m.embeds[0].colour, colour(State::Disturbed));
        assert_eq!(m.embeds[1].colour, colour(State::Ok));
        assert!(m.embeds[0].title.contains("FSIII") && m.embeds[0].description.contains("TRIFORK"));
        assert_eq!(
            m.embeds[0].footer,
            "Status pr. 10. september 2025 (FLIS' statusoversigt)"
        );
        let dfdg = layout(&answer_question(
            "hvornår kommer DFDG",
            default_catalogue(),
            now(),
        ));
        assert_eq!(dfdg.embeds[0].colour, colour(State::Down));
        assert!(dfdg.embeds[0].description.contains("nede"));
    }

    #[test]
    fn overview_help_and_the_general_release_are_text() {
        for q in [
            "oversigt",
            "hjælp",
            "hvornår kommer datapakker",
            "fortæl en vittighed",
        ] {
            let m = layout(&answer_question(q, default_catalogue(), now()));
            assert!(m.embeds.is_empty() && !m.content.is_empty(), "{q}");
        }
    }

    #[test]
    fn what_the_question_asks_is_the_text_above_the_embeds_and_many_areas_are_lines() {
        // (question, text begins, embeds)
        let cases = [
            ("status FSIII og KY", "", 2),
            ("er KRL opdateret?", "**Nej** – KRL Personale", 1),
            ("er FSIII og KY opdateret?", "**Ja** – FSIII", 2),
            ("virker DFDG?", "**Nej** – DFDG er nede", 1),
            ("status beskæftigelse", "🟢 KY: t.o.m. juli 2025", 0),
            ("er beskæftigelse opdateret?", "**Nej** – 1 af 5", 0),
        ];
        for (q, begins, embeds) in cases {
            let m = layout(&answer_question(q, default_catalogue(), now()));
            assert!(m.content.starts_with(begins), "{q}: {}", m.content);
            assert_eq!(m.embeds.len(), embeds, "{q}");
            assert!(m.within_limits(), "{q}");
        }
        // The lead answers each area it names, in order, above their embeds.
        let m = layout(&answer_question(
            "er FSIII og KRL opdateret?",
            default_catalogue(),
            now(),
        ));
        let lines: Vec<&str> = m.content.lines().filter(|l| !l.is_empty()).collect();
        assert!(lines[0].starts_with("**Ja** – FSIII") && lines[1].starts_with("**Nej** – KRL"));
    }

    #[test]
    fn a_long_lead_shortens_its_notes_and_keeps_every_area() {
        let mut c = default_catalogue().clone();
        for a in &mut c.areas {
            a.note = Some("Meget lang driftsbemærkning om snitflader. ".repeat(90));
        }
        let m = layout(&answer_question(
            "hvorfor mangler FSIII, KY og DREAM?",
            &c,
            now(),
        ));
        assert!(m.within_limits() && m.embeds.len() == 3);
        for name in ["**FSIII**", "**KY**", "**DREAM**"] {
            assert!(m.content.contains(name), "{name}: {}", m.content);
        }
        // Each note shortened on a word, with an ellipsis; nothing cut blind.
        assert_eq!(m.content.matches("lang…").count(), 3, "{}", m.content);
    }

    #[test]
    fn every_layout_stays_within_discords_limits_even_with_huge_notes() {
        let mut c = default_catalogue().clone();
        for a in &mut c.areas {
            a.note = Some("Lang note med @everyone og <@&123>. ".repeat(30));
            a.name = "N".repeat(300);
        }
        for q in [
            "status tværgående",
            "hvornår kommer tværgående",
            "status beskæftigelse",
            "oversigt",
        ] {
            let m = layout(&answer_question(q, &c, now()));
            assert!(m.within_limits(), "{q}: {} embeds", m.embeds.len());
        }
    }
}
