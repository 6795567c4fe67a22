//! The chat surfaces' readers: chat answers (`status <område>` and `hvornår kommer <område>`
//! for every area, the overview, the problem list), the status board and notices. Each reads
//! the `Reply` value a surface is made from and, separately, the text it sends, so a template
//! that words something other than the value is caught as well as a value computed apart from
//! the facts.

use std::sync::OnceLock;

use regex::Regex;

use super::{BehindSaid, Reading, Said, NONE};
use crate::core::answer::answer;
use crate::core::catalogue::{Area, AreaId, Cadence, Catalogue, State};
use crate::core::facts::moments::Moment;
use crate::core::facts::CatalogueFacts;
use crate::core::history::Action;
use crate::core::notify::{coalesce, notice, notifies};
use crate::core::query::{AreaAsk, OverviewAsk, ProblemsAsk, Query, Scope};
use crate::core::reply::{AreaView, Reply};
use crate::views::chat_layout::layout;
use crate::views::notice::{board_text, render_notice};
use crate::views::render::render;

// ------------------------------------------------------------------------------ the value

/// What an area's view in a reply states: the facts it was made from, as the templates get them.
fn view_said(v: &AreaView) -> Said {
    Said {
        state: Some(v.state),
        through: Some(v.through.map(|m| m.to_string())),
        behind: Some(
            v.behind
                .as_ref()
                .map_or(BehindSaid::No, |b| BehindSaid::months(u64::from(b.months))),
        ),
        stale: Some(v.stale),
        ..Said::default()
    }
}

/// The next release an area's view states: a release it says is expected today (a window
/// under way), else the one it names next, the next nightly update, or none.
fn view_next(v: &AreaView) -> String {
    if let Some(t) = v.today.as_ref().filter(|t| !t.out) {
        return format!("{} / {}", t.release.date, t.release.carries);
    }
    match (&v.next.release, &v.next.daily) {
        (Some(r), _) => format!("{} / {}", r.date, r.carries),
        (None, Some(d)) => format!("dagligt {d}"),
        (None, None) => NONE.to_owned(),
    }
}

/// A problem as a listing shows one: not running to plan, or behind.
fn listed_as_problem(said: &Said) -> bool {
    said.state.is_some_and(|s| s != State::Ok) || said.behind.is_some_and(|b| b != BehindSaid::No)
}

// ------------------------------------------------------------------------------ the text

fn re(cell: &'static OnceLock<Regex>, pattern: &str) -> &'static Regex {
    cell.get_or_init(|| Regex::new(pattern).unwrap())
}

/// "N måned(er) bagud" in `text`, else not behind.
fn behind_in(text: &str) -> BehindSaid {
    static RE: OnceLock<Regex> = OnceLock::new();
    re(&RE, r"(\d+) måned(?:er)? bagud")
        .captures(text)
        .map_or(BehindSaid::No, |c| {
            BehindSaid::months(c[1].parse().unwrap())
        })
}

fn state_of_icon(icon: &str) -> State {
    match icon {
        "🟢" => State::Ok,
        "🟡" => State::Disturbed,
        "🔴" => State::Down,
        other => panic!("no state icon {other:?}"),
    }
}

/// What one answer about one area says, read from its text (the rendered reply, or the chat
/// message's text and embeds): the state icon, the recorded t.o.m. and how far behind, whether
/// the status may be out of date, and the next release it names (one expected today or under
/// way first; "ingen" where it says there is no date).
fn answer_text_said(text: &str, area: &Area) -> Said {
    static STATE: OnceLock<Regex> = OnceLock::new();
    static THROUGH: OnceLock<Regex> = OnceLock::new();
    static TODAY: OnceLock<Regex> = OnceLock::new();
    static WINDOW_NOW: OnceLock<Regex> = OnceLock::new();
    static NO_DATE: OnceLock<Regex> = OnceLock::new();
    static NEXT: OnceLock<Regex> = OnceLock::new();
    static DAILY: OnceLock<Regex> = OnceLock::new();
    let state = re(&STATE, r"(?m)^(🟢|🟡|🔴) ")
        .captures(text)
        .map(|c| state_of_icon(&c[1]));
    let through_line = re(
        &THROUGH,
        r"(?m)(?:^Data|Registreret: data) t\.o\.m\. (er ikke oplyst|\p{L}+ \d{4})(.*)$",
    )
    .captures(text);
    let through = through_line.as_ref().map(|c| match &c[1] {
        "er ikke oplyst" => None,
        m => Some(m.to_owned()),
    });
    let behind = through_line.as_ref().map(|c| behind_in(&c[2]));
    let month = r"(\p{L}+ \d{4})";
    let pair = |c: regex::Captures<'_>, when: usize, carries: usize| {
        format!("{} / {}", &c[when], &c[carries])
    };
    // A release expected today (or a window under way) is the next one; a release named next
    // after it is the one that follows. Saying there is no date beside either is a
    // contradiction, said as such.
    let today = re(
        &TODAY,
        &format!(r"Månedens udgivelse ventes \*\*i dag\*\* \(([^)]+)\) med data t\.o\.m\. {month}"),
    )
    .captures(text)
    .or_else(|| {
        re(
            &WINDOW_NOW,
            &format!(
                r"Tidlig udlæsning til \p{{L}}+-udgivelsen er \*\*i gang nu\*\* \(ca\. ([^)]+)\) med data t\.o\.m\. {month}"
            ),
        )
        .captures(text)
    })
    .map(|c| pair(c, 1, 2));
    let named = re(
        &NEXT,
        &format!(
            r"Næste udgivelse: (?:tidlig udlæsning til \p{{L}}+-udgivelsen )?ca\. (.+?) \(data t\.o\.m\. {month}|Næste (?:udgivelse|tidlige udlæsning til \p{{L}}+-udgivelsen) ventes \*\*ca\. ([^*]+)\*\* med data t\.o\.m\. {month}"
        ),
    )
    .captures(text)
    .map(|c| {
        let when = c.get(1).or(c.get(3)).map_or("", |m| m.as_str());
        let carries = c.get(2).or(c.get(4)).map_or("", |m| m.as_str());
        format!("{when} / {carries}")
    });
    let no_date = re(
        &NO_DATE,
        r"Næste udgivelse: driftsbemærkningen giver ingen dato|Driftsbemærkningen giver ingen dato|Ingen forventet udgivelse – området er nede|Ingen dato – opdateres årligt",
    )
    .is_match(text);
    let daily = re(
        &DAILY,
        r"Opdateres dagligt; næste opdatering natten til (\d+\. \p{L}+ \d{4})",
    )
    .captures(text)
    .map(|c| format!("dagligt {}", &c[1]));
    let next = match (today.or(named), no_date, daily) {
        (Some(r), true, _) => Some(format!("{r} and {NONE}")),
        (Some(r), false, None) => Some(r),
        (None, true, None) => Some(NONE.to_owned()),
        (None, false, Some(d)) => Some(d),
        (Some(_) | None, _, Some(_)) => Some(format!("(contradicts itself) {text}")),
        // A status answer about a daily cube says "Opdateres: dagligt" and no date.
        (None, false, None) if area.rule.cadence == Cadence::Daily => None,
        (None, false, None) if text.contains("Næste ") => Some(format!("(unread) {text}")),
        // A status answer names no next release for an area that has none (down, yearly).
        (None, false, None) => Some(NONE.to_owned()),
    };
    Said {
        state,
        through,
        behind,
        stale: Some(text.contains("kan være forældet")),
        next,
        next_is_not: None,
    }
}

/// The chat message as one text: the message above, then each embed's title, text and footer.
fn message_text(reply: &Reply) -> String {
    let m = layout(reply);
    let mut out = m.content;
    for e in m.embeds {
        for part in [e.title, e.description, e.footer] {
            out.push('\n');
            out.push_str(&part);
        }
    }
    out
}

/// One line of a listing (`_line.md`): the area it names and what it says of it. `stale`:
/// what the listing says of the whole catalogue, which an area without a date of its own
/// shares.
fn line_said(line: &str, catalogue: &Catalogue, catalogue_stale: bool) -> Option<(AreaId, Said)> {
    line_read(line, catalogue, catalogue_stale).map(|l| (l.id, l.said))
}

/// What a listing's line says.
struct Line {
    id: AreaId,
    said: Said,
    /// It says the area's release is expected today ("– ventes i dag").
    due: bool,
}

fn line_read(line: &str, catalogue: &Catalogue, catalogue_stale: bool) -> Option<Line> {
    static LINE: OnceLock<Regex> = OnceLock::new();
    let c = re(
        &LINE,
        r"^(🟢|🟡|🔴) (.+?): (?:t\.o\.m\. (\p{L}+ \d{4})|(data ikke oplyst))(.*)$",
    )
    .captures(line)?;
    let id = catalogue.areas.iter().find(|a| a.name == c[2])?.id;
    let rest = &c[5];
    let own_date = rest.contains("(pr. ") || rest.contains("(opdateret ");
    let label = rest
        .strip_prefix(", ")
        .and_then(|r| r.split([',', ' ', ':']).next())
        .unwrap_or("");
    let state = state_of_icon(&c[1]);
    let labelled = match label {
        "driftsforstyrrelse" => State::Disturbed,
        "nede" => State::Down,
        _ => State::Ok,
    };
    assert_eq!(
        state, labelled,
        "the icon and the words say one state: {line}"
    );
    Some(Line {
        id,
        said: Said {
            state: Some(state),
            through: Some(c.get(3).map(|m| m.as_str().to_owned())),
            behind: Some(behind_in(rest)),
            stale: Some(rest.contains("kan være forældet") || (catalogue_stale && !own_date)),
            ..Said::default()
        },
        due: rest.contains(" – ventes i dag"),
    })
}

/// A listing's lines, in order.
fn lines_said(text: &str, catalogue: &Catalogue, catalogue_stale: bool) -> Vec<(AreaId, Said)> {
    text.lines()
        .filter_map(|l| line_said(l, catalogue, catalogue_stale))
        .collect()
}

/// A reading of a listing: its areas, and its problems in the order listed.
fn listing(what: String, lines: Vec<(AreaId, Said)>) -> Reading {
    let mut r = Reading {
        what,
        ..Reading::default()
    };
    let mut problems = Vec::new();
    for (id, said) in lines {
        if listed_as_problem(&said) {
            problems.push(id);
        }
        r.areas.insert(id, said);
    }
    r.problems = Some(problems);
    r
}

/// The stale line a reply opens with (`_stale.md`).
fn says_stale(text: &str) -> bool {
    text.contains("⚠️ **Statussen er fra")
}

// ------------------------------------------------------------------------------ the readers

/// `status <område>` and `hvornår kommer <område>` for every area, as typed queries: the reply
/// value, its rendered text and the chat message (text above, one embed per area).
pub(super) fn chat_answers(m: &Moment, _facts: &CatalogueFacts) -> Vec<Reading> {
    let mut out = Vec::new();
    for (words, ask) in [
        ("status", AreaAsk::Status),
        ("hvornår kommer", AreaAsk::When),
    ] {
        let mut value = Reading {
            what: format!("«{words} <område>» (Reply)"),
            ..Reading::default()
        };
        let mut text = Reading {
            what: format!("«{words} <område>» (text)"),
            ..Reading::default()
        };
        let mut message = Reading {
            what: format!("«{words} <område>» (chat message)"),
            ..Reading::default()
        };
        for area in &m.catalogue.areas {
            let query = Query::Areas {
                scope: Scope::area(area.id),
                ask,
            };
            let reply = answer(&query, &m.catalogue, m.now);
            let [v] = reply.areas.as_slice() else {
                panic!("{}: one area, one view: {reply:?}", area.id);
            };
            assert_eq!(v.id, area.id.as_str());
            value.areas.insert(
                area.id,
                Said {
                    next: Some(view_next(v)),
                    ..view_said(v)
                },
            );
            text.areas
                .insert(area.id, answer_text_said(&render(&reply), area));
            message
                .areas
                .insert(area.id, answer_text_said(&message_text(&reply), area));
        }
        out.extend([value, text, message]);
    }
    out
}

fn overview_reply(m: &Moment) -> Reply {
    answer(&Query::Overview(OverviewAsk::Plain), &m.catalogue, m.now)
}

fn problems_reply(m: &Moment) -> Reply {
    let query = Query::Problems {
        scope: None,
        ask: ProblemsAsk::Any,
    };
    answer(&query, &m.catalogue, m.now)
}

/// The overview ("oversigt"): its value and its text, every area one line, problems first.
pub(super) fn chat_overview(m: &Moment, _facts: &CatalogueFacts) -> Vec<Reading> {
    let reply = overview_reply(m);
    let id_of = |v: &AreaView| v.id.parse::<AreaId>().unwrap();
    let mut value = listing(
        "oversigt (Reply)".into(),
        reply
            .areas
            .iter()
            .map(|v| (id_of(v), view_said(v)))
            .collect(),
    );
    value.catalogue_stale = Some(reply.catalogue_stale);
    let rendered = render(&reply);
    let stale = says_stale(&rendered);
    let mut text = listing(
        "oversigt (text)".into(),
        lines_said(&rendered, &m.catalogue, stale),
    );
    text.catalogue_stale = Some(stale);
    vec![value, text]
}

/// "Er der problemer?": the problems in order and how many, the value and the text.
pub(super) fn chat_problems(m: &Moment, _facts: &CatalogueFacts) -> Vec<Reading> {
    static COUNT: OnceLock<Regex> = OnceLock::new();
    let reply = problems_reply(m);
    let id_of = |v: &AreaView| v.id.parse::<AreaId>().unwrap();
    let mut value = Reading {
        what: "«er der problemer?» (Reply)".into(),
        problems: Some(reply.areas.iter().map(id_of).collect()),
        problem_count: Some(reply.scope_total - reply.rest_ok),
        catalogue_stale: Some(reply.catalogue_stale),
        ..Reading::default()
    };
    for v in &reply.areas {
        value.areas.insert(id_of(v), view_said(v));
    }
    let rendered = render(&reply);
    let stale = says_stale(&rendered);
    let lines = lines_said(&rendered, &m.catalogue, stale);
    let count = if rendered.contains("ingen kendte problemer") {
        0
    } else {
        re(
            &COUNT,
            r"\*\*Ja\*\* – (\d+) af \d+ dataområder? har kendte problemer",
        )
        .captures(&rendered)
        .map_or(usize::MAX, |c| c[1].parse().unwrap())
    };
    let mut text = Reading {
        what: "«er der problemer?» (text)".into(),
        problems: Some(lines.iter().map(|(id, _)| *id).collect()),
        problem_count: Some(count),
        catalogue_stale: Some(stale),
        ..Reading::default()
    };
    text.areas.extend(lines);
    vec![value, text]
}

/// The status board (`/statustavle`): every area one line, problems first, and the "pr." date
/// with "forældet" when the catalogue is stale.
pub(super) fn board(m: &Moment, _facts: &CatalogueFacts) -> Vec<Reading> {
    let text = board_text(&m.catalogue, m.now);
    let stale = text.contains("(forældet: mere end 45 dage gammel)");
    let mut r = listing(
        "/statustavle".into(),
        lines_said(&text, &m.catalogue, stale),
    );
    r.catalogue_stale = Some(stale);
    vec![r]
}

/// A notice for a change to each area at the moment (from the seed's values where the moment
/// changed them, else a drift note changed): its "Nu:" line, the area's line now.
fn notice_lines(m: &Moment) -> Vec<(AreaId, String)> {
    let seed = crate::core::catalogue::default_catalogue();
    let mut out = Vec::new();
    for after in &m.catalogue.areas {
        let before = match seed.area(after.id) {
            Some(b) if notifies(b, after) => b.clone(),
            _ => Area {
                note: Some("En tidligere driftsbemærkning.".into()),
                ..after.clone()
            },
        };
        let n = notice(&before, after, &Action::Set, m.now).unwrap();
        let c = &coalesce(std::slice::from_ref(&n))[0];
        let text = render_notice(c, &m.catalogue, m.now, None).unwrap();
        let now = text
            .lines()
            .find_map(|l| l.strip_prefix("Nu: "))
            .unwrap_or_else(|| panic!("a notice says the area now: {text}"));
        out.push((after.id, now.to_owned()));
    }
    out
}

/// What each area's notice at the moment says about the area now.
pub(super) fn notices(m: &Moment, _facts: &CatalogueFacts) -> Vec<Reading> {
    let mut r = Reading {
        what: "notices".into(),
        ..Reading::default()
    };
    for (area, line) in notice_lines(m) {
        // A notice has no line about the catalogue as a whole: its line says all.
        let (id, said) = line_said(&line, &m.catalogue, false)
            .unwrap_or_else(|| panic!("a notice's line names its area: {line}"));
        assert_eq!(id, area, "{line}");
        r.areas.insert(id, said);
    }
    vec![r]
}

#[test]
fn listings_say_ventes_i_dag_where_the_facts_have_a_release_due() {
    // The lines of the overview, the problem list, the board and notices say "ventes i dag"
    // for an area exactly where the facts have its release due today (the answers about one
    // area say which release, read as its next in `chat_answers`).
    let mut failures = Vec::new();
    let mut due_said = 0;
    for m in crate::core::facts::moments::moments() {
        let facts = m.facts();
        let texts = [
            ("oversigt", render(&overview_reply(&m))),
            ("«er der problemer?»", render(&problems_reply(&m))),
            ("/statustavle", board_text(&m.catalogue, m.now)),
            (
                "notices",
                notice_lines(&m)
                    .into_iter()
                    .map(|(_, l)| l)
                    .collect::<Vec<_>>()
                    .join("\n"),
            ),
        ];
        for (what, text) in texts {
            for line in text.lines() {
                let Some(l) = line_read(line, &m.catalogue, false) else {
                    continue;
                };
                let due = facts.area(l.id).and_then(|f| f.due);
                if l.due != due.is_some() {
                    failures.push(format!(
                        "{} / {what}: {}: \"ventes i dag\" {}, the facts' due {due:?}",
                        m.name, l.id, l.due
                    ));
                }
                due_said += usize::from(l.due);
            }
        }
    }
    assert!(due_said > 0, "some moment has a release due");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
