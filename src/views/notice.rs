//! A notice and the status board as Danish text: what changed (before → after) and the area's
//! line now, as the overview answers it (`notice.md`, `notice_line.md`, `board.md`, with the
//! answers' own line per area, `_line.md`). Which changes notify and how they are grouped is
//! `core::notify`.

use super::render::Template;
use chrono::{DateTime, Utc};
use serde::Serialize;

use super::danish::Danish;
use super::history::describe;
use super::render::{render_named_within, render_template, shorten_to_limit};
use crate::core::answer::answer;
use crate::core::catalogue::{AreaId, Catalogue};
use crate::core::notify::{Coalesced, MAX_MESSAGE_CHARS};
use crate::core::query::{OverviewAsk, Query};
use crate::core::reply::{AreaView, Reply};
use crate::core::year_month::YearMonth;

/// The overview reply at `now`: every area's view, problems first.
fn overview(catalogue: &Catalogue, now: DateTime<Utc>) -> Reply {
    answer(&Query::Overview(OverviewAsk::Plain), catalogue, now)
}

#[derive(Serialize)]
struct NoticeView<'a> {
    a: &'a AreaView,
    kind: &'static str,
    ask: crate::core::reply::Asked,
    changes: &'a [String],
    release: Option<&'a str>,
    role: Option<String>,
    /// What `_line.md` compares the area's own status date with in a listing. A notice is
    /// about one area and says nothing of the catalogue: none, so its line says the area's own
    /// date (and "kan være forældet" when that is stale).
    catalogue_as_of: &'static str,
    catalogue_stale: bool,
}

/// What a notice says, for every surface that tells it: the area, the release a change marked
/// out, each change (before → after) and the area as the overview answers it now. Discord words
/// it with `notice.md` ([`render_notice`]); webhook payloads lay it out their own way.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NoticeContent {
    pub area: AreaId,
    pub name: String,
    /// "oktober 2025", when one of the changes marked that release out.
    pub release: Option<String>,
    /// Each change, "data t.o.m. april 2025 → maj 2025".
    pub changes: Vec<String>,
    /// The area's line now, as chat words it (`_line.md`).
    pub line: String,
    /// The area now (state, t.o.m., drift note, …), from the area facts.
    pub view: AreaView,
    #[serde(skip)]
    ask: crate::core::reply::Asked,
}

impl NoticeContent {
    fn view(&self, role: Option<u64>) -> NoticeView<'_> {
        NoticeView {
            a: &self.view,
            kind: "overview",
            ask: self.ask,
            changes: &self.changes,
            release: self.release.as_deref(),
            role: role.map(|r| r.to_string()),
            catalogue_as_of: "",
            catalogue_stale: false,
        }
    }
}

/// What `c` says at `now`; `None` when the changes cancel out.
pub fn notice_content(
    c: &Coalesced,
    catalogue: &Catalogue,
    now: DateTime<Utc>,
) -> Option<NoticeContent> {
    // Only the fields a subscriber hears of: rules, frequency and source are the operator's.
    let mut from = c.after.clone();
    from.through = c.before.through;
    from.state = c.before.state;
    from.note = c.before.note.clone();
    let changes = describe(&from, &c.after);
    if changes.is_empty() {
        return None;
    }
    let reply = overview(catalogue, now);
    let view = reply.areas.iter().find(|v| v.id == c.area.as_str())?;
    let mut content = NoticeContent {
        area: c.area,
        name: view.name.clone(),
        release: c.release.map(YearMonth::danish),
        changes,
        line: String::new(),
        view: view.clone(),
        ask: reply.ask,
    };
    content.line = render_template(Template::NoticeLine, &content.view(None));
    Some(content)
}

/// The message for `c`: what changed (before → after) and the area's line now; `None` when the
/// changes cancel out. `role` is mentioned first (a channel's opt-in ping).
pub fn render_notice(
    c: &Coalesced,
    catalogue: &Catalogue,
    now: DateTime<Utc>,
    role: Option<u64>,
) -> Option<String> {
    let content = notice_content(c, catalogue, now)?;
    Some(shorten_to_limit(&render_template(
        Template::Notice,
        &content.view(role),
    )))
}

/// The status board: every area's line (problems first), the as-of date and the day it was
/// drawn, within Discord's 2000 characters.
pub fn board_text(catalogue: &Catalogue, now: DateTime<Utc>) -> String {
    render_named_within(
        Template::Board,
        &overview(catalogue, now),
        MAX_MESSAGE_CHARS,
    )
}
