//! The answer's tests: questions as typed or as built `Query` values, at fixed moments, against
//! the seed catalogue and catalogues as operators leave them (a release recorded, in part or
//! not yet). Most assert the reply's first line: the answer to what was asked.

use super::*;
use crate::core::catalogue::{default_catalogue, Author, ChangeStamp, Group};
use crate::core::query::{AskedMonth, Wish};
use crate::test_support::{at, ym};
use crate::views::chat_layout::layout;
use crate::views::danish::Danish;
use crate::views::render::{render, MAX_REPLY_CHARS};

/// The status pr. 10/9-25: September's release recorded for all but KRL.
const SEED_DAY: &str = "2025-09-10T10:00:00+02:00";
const MID_SEPTEMBER: &str = "2025-09-15T10:00:00+02:00";
const SEPTEMBER_20: &str = "2025-09-20T10:00:00+02:00";
const OCT_9: &str = "2025-10-09T10:00:00+02:00";
/// The morning of the release day, before or after operators record it.
const OCT_10: &str = "2025-10-10T08:00:00+02:00";
const OCT_11: &str = "2025-10-11T09:00:00+02:00";
const OCT_12: &str = "2025-10-12T14:00:00+02:00";
/// Inside DREAM's and Borger Flex' window for the January release (20.–27. december).
const EARLY_WINDOW: &str = "2025-12-22T10:00:00+01:00";
const CHRISTMAS_EVE: &str = "2025-12-24T10:00:00+01:00";
/// Six months after the seed's status.
const MARCH_2026: &str = "2026-03-15T10:00:00+01:00";
/// Fourteen months after the seed's status.
const NOV_2026: &str = "2026-11-20T10:00:00+01:00";

fn ask(q: &str, now: &str) -> String {
    ask_in(q, default_catalogue(), now)
}

fn ask_in(q: &str, c: &Catalogue, now: &str) -> String {
    render(&answer_question(q, c, at(now)))
}

fn say(q: &Query, c: &Catalogue, now: &str) -> String {
    render(&answer(q, c, at(now)))
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or_default()
}

/// The first line after the stale status's warning, if there is one.
fn answer_line(text: &str) -> &str {
    text.lines()
        .filter(|l| !l.is_empty())
        .find(|l| !l.starts_with("⚠️"))
        .unwrap_or_default()
}

fn about(ids: &[AreaId], ask: AreaAsk) -> Query {
    Query::Areas {
        scope: Scope {
            areas: ids.to_vec(),
            groups: Vec::new(),
        },
        ask,
    }
}

fn month(month: u32, of: MonthOf, question: MonthQuestion) -> MonthAsk {
    MonthAsk {
        month: AskedMonth {
            month,
            year: None,
            of,
        },
        question,
    }
}

/// The seed catalogue after operators recorded the release of `month` (as `flisbot admin
/// release` does: every live monthly area gets t.o.m. = month − its lag), except `except`.
fn released_except(month: &str, except: &[AreaId]) -> Catalogue {
    let mut c = default_catalogue().clone();
    for a in &mut c.areas {
        if a.rule.cadence == Cadence::Monthly && a.state != State::Down && !except.contains(&a.id) {
            a.through = Some(ym(month).minus(i64::from(a.rule.lag)));
        }
    }
    restamp(&mut c, &format!("{month}-10"));
    c
}

/// The catalogue as of a status document of `day`: it and every area are "pr." that day.
fn restamp(c: &mut Catalogue, day: &str) {
    c.as_of = day.parse().unwrap();
    for a in &mut c.areas {
        a.status_date = Some(c.as_of);
    }
}

fn released(month: &str) -> Catalogue {
    released_except(month, &[])
}

/// A question, as typed or as built by a command.
enum Q {
    Text(&'static str),
    Built(Query),
}

/// The moments the issue names, each with the first line every kind of question must get.
#[test]
fn every_kind_of_question_is_answered_first_line_first_at_the_moments_that_matter() {
    use Q::{Built, Text};
    let seed = default_catalogue().clone();
    let october = released("2025-10");
    let october_but_krl = released_except("2025-10", &[AreaId::Krl]);
    let december = released("2025-12");
    let mut later_note = default_catalogue().clone();
    restamp(&mut later_note, "2025-11-10");
    let krl = later_note.area_mut(AreaId::Krl).unwrap();
    krl.through = Some(ym("2025-06"));
    krl.note = Some("Data for juli forventes med udgivelsen i december.".into());
    let out = Query::Release(ReleaseAsk::Out);
    let today = Query::Release(ReleaseAsk::Today);
    let social = Query::Areas {
        scope: Scope {
            areas: Vec::new(),
            groups: vec![Group::Beskaeftigelse],
        },
        ask: AreaAsk::Updated,
    };
    // (moment, catalogue, question, the answer's first line begins, the reply also says, never
    // said)
    let cases: Vec<(&str, &Catalogue, Q, &str, &str, &str)> = vec![
        // Mid-month: ja/nej for every yes/no question; the note's own timing; yearly first.
        (MID_SEPTEMBER, &seed, Text("er der nyt i udsatte børn?"), "**Ja** – Udsatte børn og unge har data t.o.m. juli 2025", "", ""),
        (MID_SEPTEMBER, &seed, Text("er KRL opdateret?"), "**Nej** – KRL Personale har data t.o.m. april 2025", "burde data t.o.m. maj 2025 være ude", ""),
        (MID_SEPTEMBER, &seed, Text("er DFDG tilbage?"), "**Nej** – DFDG er nede", "ingen nye data", ""),
        (MID_SEPTEMBER, &seed, Text("hvornår kommer KRL?"), "🟡 **KRL Personale**: Driftsbemærkningen giver ingen dato", "snarest muligt", "ventes **ca."),
        (MID_SEPTEMBER, &seed, Text("hvornår kommer stil data"), "🟡 **Skole**: STIL-data opdateres årligt", "", ""),
        (MID_SEPTEMBER, &seed, Text("hvor ofte opdateres KY?"), "KY opdateres **månedligt**", "med én måneds forsinkelse", "2 måneder"),
        (MID_SEPTEMBER, &seed, Text("hvor ofte kommer DREAM-data?"), "DREAM opdateres **månedligt, 2–3 uger før**", "med 3 måneders forsinkelse", ""),
        (MID_SEPTEMBER, &seed, Text("hvor ofte kommer der nye datapakker?"), "FLIS udgives **månedligt omkring d. 10.** med én måneds forsinkelse", "KRL Personale og DREAM har 3 måneders forsinkelse", ""),
        (MID_SEPTEMBER, &seed, Text("hvornår kommer DFDG?"), "🔴 **DFDG**: Ingen forventet udgivelse – området er nede", "", "ventes"),
        // A month's release names the early releases in it.
        (SEPTEMBER_20, &seed, Text("kommer der nyt i oktober?"), "**Ja** – oktober-udgivelsen ventes **ca. 10. oktober 2025**", "tidlig udlæsning til november-udgivelsen ca. 20.–27. oktober 2025 for Borger Flex (data t.o.m. september 2025) og DREAM", ""),
        // The 10th at 08:00, not yet recorded: "i dag" for the whole catalogue and groups.
        (OCT_10, &seed, Built(today.clone()), "**Ja** – månedens udgivelse ventes i dag (10. oktober 2025) med data t.o.m. august 2025", "", ""),
        (OCT_10, &seed, Text("er data opdateret i dag?"), "**Nej, ikke endnu** – månedens udgivelse ventes i dag (10. oktober 2025)", "", ""),
        // A greeting that goes on to ask is answered, not greeted.
        (OCT_10, &seed, Text("godmorgen, er der nye tal i dag?"), "**Ja** – månedens udgivelse ventes i dag (10. oktober 2025)", "", "Hej"),
        (OCT_10, &seed, Built(out.clone()), "**Nej, ikke endnu** – månedens udgivelse ventes i dag (10. oktober 2025)", "", ""),
        (OCT_10, &seed, Text("hvornår kommer datapakkerne?"), "**Månedens udgivelse ventes i dag** (10. oktober 2025)", "", "er ude i dag"),
        (OCT_10, &seed, Built(social.clone()), "**Nej, ikke endnu** – 3 af 5 områder venter på en udgivelse, der ventes i dag (10. oktober 2025)", "", ""),
        (OCT_10, &seed, Text("er KY opdateret?"), "**Nej, ikke endnu** – data t.o.m. august 2025 for KY ventes i dag (10. oktober 2025)", "", "burde"),
        // The 10th, recorded.
        (OCT_10, &october, Built(today.clone()), "**Ja** – månedens udgivelse er ude i dag (10. oktober 2025)", "", ""),
        (OCT_10, &october, Text("er data opdateret i dag?"), "**Ja** – månedens udgivelse er ude i dag (10. oktober 2025) med data t.o.m. august 2025", "", ""),
        (OCT_10, &october, Text("er KY opdateret?"), "**Ja** – KY har data t.o.m. august 2025", "", ""),
        // The 10th, recorded with KRL excepted: KRL is behind at once, and said so everywhere.
        (OCT_10, &october_but_krl, Built(out.clone()), "**Ja** – månedens udgivelse er ude i dag (10. oktober 2025) med data t.o.m. august 2025; bagud: KRL Personale", "", ""),
        (OCT_10, &october_but_krl, Text("hvornår kommer datapakkerne?"), "**Månedens udgivelse er ude i dag** (10. oktober 2025) med data t.o.m. august 2025; bagud: KRL Personale", "", ""),
        (OCT_10, &october_but_krl, Text("er KRL opdateret?"), "**Nej** – KRL Personale har data t.o.m. april 2025", "burde data t.o.m. juni 2025 være ude (ca. 10. oktober 2025)", "ikke endnu"),
        // The 11th, nothing recorded: nothing unrecorded is stated as out.
        (OCT_11, &seed, Text("er datapakkerne kommet?"), "**Nej** – udgivelsen 10. oktober 2025 med data t.o.m. august 2025 er ikke registreret som ude", "datapakkerne fra 10. oktober 2025 er endnu ikke registreret som ude", " kom "),
        // The DAP cubes' days: "i dag eller i morgen" on the 11th, "i dag" on the 12th.
        (OCT_11, &october, Built(today.clone()), "**Ja** – DAP-kuberne fra oktober-udgivelsen ventes **i dag eller i morgen** (11.–12. oktober 2025)", "", ""),
        (OCT_12, &october, Built(today.clone()), "**Ja** – DAP-kuberne fra oktober-udgivelsen ventes **i dag** (12. oktober 2025)", "", "i morgen"),
        (OCT_12, &october, Text("hvornår kommer næste udgivelse"), "**Månedens udgivelse**: datapakkerne ventes ca. 10. november 2025", "DAP-kuberne fra oktober-udgivelsen ventes **i dag** (12. oktober 2025)", "i morgen"),
        (OCT_12, &october, Text("hvornår kommer KY?"), "🟢 **KY**: Næste udgivelse ventes **ca. 10. november 2025**", "DAP-kuberne fra oktober-udgivelsen ventes **i dag** (12. oktober 2025)", "i morgen"),
        (OCT_11, &october, Text("er der nyt i beskæftigelse i dag?"), "**Ja** – for 3 af 5 områder", "", ""),
        // An early window.
        (EARLY_WINDOW, &december, Text("hvornår kommer DREAM-data?"), "🟢 **DREAM**: Tidlig udlæsning til januar-udgivelsen er **i gang nu** (ca. 20.–27. december 2025)", "", "Næste tidlig "),
        (EARLY_WINDOW, &december, Built(today.clone()), "**Ja, måske** – tidlig udlæsning til januar-udgivelsen er i gang nu (ca. 20.–27. december 2025): Borger Flex og DREAM", "", ""),
        (EARLY_WINDOW, &december, Text("er DREAM opdateret?"), "**Nej, ikke endnu** – tidlig udlæsning til januar-udgivelsen er i gang", "", ""),
        // Christmas Eve: a wish said to the bot gets one friendly line.
        (CHRISTMAS_EVE, &seed, Text("god jul alle sammen"), "God jul!", "", "desværre"),
        (CHRISTMAS_EVE, &seed, Text("god weekend alle sammen"), "God weekend!", "", "desværre"),
        (CHRISTMAS_EVE, &seed, Text("god jul og godt nytår"), "God jul og godt nytår!", "", ""),
        // March 2026 with the September catalogue: the age on every answer, nothing expected of a
        // down area, ja/nej still first after it.
        (MARCH_2026, &seed, Text("er DFDG tilbage?"), "**Nej** – DFDG var nede pr. 10. september 2025", "", "burde"),
        (MARCH_2026, &seed, Text("virker aeldre kuben igen?"), "**Nej** – Ældre var nede pr. 10. september 2025", "", "burde"),
        (MARCH_2026, &seed, Text("hvornår kommer næste data?"), "**Månedens udgivelse**: datapakkerne ventes ca. 10. april 2026", "", ""),
        (MARCH_2026, &seed, Text("er KY opdateret?"), "**Nej**, ikke efter den registrerede status: den er fra 10. september 2025", "", ""),
        // A note naming a later release wins over the rule.
        ("2025-11-20T10:00:00+01:00", &later_note, Text("hvornår kommer KRL?"), "🟡 **KRL Personale**: Næste udgivelse ventes **ca. 10. december 2025** med data t.o.m. juli 2025, som driftsbemærkningen siger", "", "august 2025"),
    ];
    // A month's release names the early releases in it in its first line.
    let october = ask_in("kommer der nyt i oktober?", &seed, SEPTEMBER_20);
    assert!(
        first_line(&october)
            .contains("tidlig udlæsning til november-udgivelsen ca. 20.–27. oktober 2025"),
        "{october}"
    );
    for (now, c, q, begins, says, never) in cases {
        let (label, text) = match q {
            Text(t) => (t.to_owned(), ask_in(t, c, now)),
            Built(q) => (format!("{q:?}"), say(&q, c, now)),
        };
        let line = answer_line(&text);
        assert!(line.starts_with(begins), "{label} at {now}:\n{text}");
        assert!(text.contains(says), "{label} at {now}: {says:?}:\n{text}");
        assert!(
            never.is_empty() || !text.contains(never),
            "{label} at {now} says {never:?}:\n{text}"
        );
        // The status's age is said on every answer that rests on a stale status.
        if now == MARCH_2026 && !matches!(label.as_str(), "god jul alle sammen") {
            assert!(
                first_line(&text).starts_with("⚠️ **Statussen er fra 10. september 2025**"),
                "{label} at {now}:\n{text}"
            );
        }
    }
}

#[test]
fn every_seed_row_comes_back_with_its_month_and_note() {
    for area in &default_catalogue().areas {
        let text = ask(&format!("status {}", area.name), SEED_DAY);
        let through = area.through.map_or("ikke oplyst".into(), |m| m.danish());
        assert!(text.contains(&through), "{}: {text}", area.id);
        if let Some(note) = &area.note {
            assert!(
                text.contains(note.as_str()),
                "{}: note missing in {text}",
                area.id
            );
        }
        assert!(
            text.contains("pr. 10. september 2025"),
            "{}: {text}",
            area.id
        );
    }
}

#[test]
fn only_krl_is_behind_on_the_seed_day() {
    let c = default_catalogue();
    let behind: Vec<_> = c
        .areas
        .iter()
        .filter_map(|a| behind_months(a, c).map(|(n, m)| (a.id, n, m.to_string())))
        .collect();
    assert_eq!(behind, [(AreaId::Krl, 1, "2025-05".to_string())]);
    let text = ask("status KRL", SEED_DAY);
    assert!(
        text.contains("pr. 10. september 2025 var data 1 måned bagud"),
        "{text}"
    );
    assert!(text.contains("maj 2025"), "{text}");
}

#[test]
fn an_area_without_a_month_is_not_behind_but_not_stated() {
    let text = ask("status DFDG", SEED_DAY);
    assert!(
        text.contains("ikke oplyst") && !text.contains("bagud"),
        "{text}"
    );
}

#[test]
fn a_status_older_than_45_days_is_flagged_with_its_date() {
    let fresh = ask("status ky", "2025-10-24T12:00:00+02:00");
    assert!(!fresh.contains("forældet"), "{fresh}");
    let old = ask("status ky", "2025-10-26T12:00:00+01:00");
    assert!(
        old.contains("kan være forældet") && old.contains("10. september 2025"),
        "{old}"
    );
}

#[test]
fn an_areas_own_status_date_is_the_one_said_and_its_author_is_shown_by_name() {
    let mut c = default_catalogue().clone();
    let krl = c.area_mut(AreaId::Krl).unwrap();
    krl.status_date = Some("2026-11-20".parse().unwrap());
    krl.changed = Some(ChangeStamp {
        by: Author::chat("Mette", 123456789012345678),
        at: at("2026-11-20T09:00:00Z"),
    });
    let text = ask_in("status krl", &c, "2026-11-27T09:00:00Z");
    assert!(
        text.contains("Opdateret 20. november 2026 af Mette"),
        "{text}"
    );
    assert!(!text.contains("123456789012345678"), "name only: {text}");
    assert!(!text.contains("forældet"), "{text}");
    // A fresh status is judged today: with April 2025 recorded, KRL is far behind.
    assert!(text.contains("data er 15 måneder bagud"), "{text}");
}

/// An import two days after the document: the status is the document's, not the day the
/// operator ran it; an area the document did not list keeps its own date.
#[test]
fn an_imported_status_is_said_as_of_the_documents_date_not_the_import_day() {
    let mut c = default_catalogue().clone();
    c.as_of = "2025-11-10".parse().unwrap();
    let krl = c.area_mut(AreaId::Krl).unwrap();
    krl.through = Some(ym("2025-06"));
    krl.status_date = Some("2025-11-10".parse().unwrap());
    krl.changed = Some(ChangeStamp {
        by: Author::named("Pia"),
        at: at("2025-12-20T09:00:00Z"),
    });
    let now = "2025-12-22T09:00:00Z";
    let text = ask_in("status krl", &c, now);
    assert!(
        text.contains("data er 2 måneder bagud"),
        "42 days old, so judged today: {text}"
    );
    assert!(
        text.contains("Status pr. 10. november 2025, opdateret 20. december 2025 af Pia"),
        "{text}"
    );
    assert!(!text.contains("pr. 20. december"), "{text}");
    let flex = ask_in("status borger flex", &c, now);
    assert!(
        flex.contains("Status pr. 10. september 2025") && flex.contains("forældet"),
        "not listed, so as of its own date: {flex}"
    );
    // A store written before areas had their own date reads as it did.
    let mut old = c.clone();
    for a in &mut old.areas {
        a.status_date = None;
    }
    let krl = old.area(AreaId::Krl).unwrap();
    assert_eq!(status_date(krl, &old).to_string(), "2025-12-20");
    let ky = old.area(AreaId::Ky).unwrap();
    assert_eq!(status_date(ky, &old).to_string(), "2025-11-10");
    assert_eq!(crate::core::facts::settle_status_dates(&mut old).len(), 19);
    old.as_of = "2026-01-10".parse().unwrap();
    assert_eq!(
        status_date(old.area(AreaId::Ky).unwrap(), &old).to_string(),
        "2025-11-10",
        "settled: a later as-of date moves no area"
    );
}

#[test]
fn when_questions_give_the_next_date_and_months() {
    let text = ask("hvornår kommer FSIII", "2026-11-27T12:00:00+01:00");
    assert!(
        text.contains("ca. 10. december 2026") && text.contains("data t.o.m. oktober 2026"),
        "{text}"
    );
    assert!(text.contains("11.–12. december 2026"), "DAP cubes: {text}");
    let dream = ask("hvornår kommer DREAM-data", SEED_DAY);
    assert!(
        dream.contains("ca. 19.–26. september 2025") && dream.contains("juni 2025"),
        "{dream}"
    );
}

#[test]
fn the_copenhagen_date_decides_which_release_is_next() {
    // 23:30 UTC on 9 December is 00:30 on the 10th in Copenhagen: December's release is due.
    let text = ask("hvornår kommer KY", "2025-12-09T23:30:00Z");
    assert!(text.contains("ca. 10. januar 2026"), "{text}");
    let before = ask("hvornår kommer KY", "2025-12-09T22:30:00Z");
    assert!(before.contains("ca. 10. december 2025"), "{before}");
    // Summer time: 23:30 UTC on 9 September is 01:30 on the 10th.
    let summer = ask("hvornår kommer KY", "2025-09-09T23:30:00Z");
    assert!(summer.contains("ca. 10. oktober 2025"), "{summer}");
    let summer_before = ask("hvornår kommer KY", "2025-09-09T21:30:00Z");
    assert!(
        summer_before.contains("ca. 10. september 2025"),
        "{summer_before}"
    );
}

#[test]
fn down_areas_promise_no_date() {
    for q in [
        "hvornår kommer DFDG",
        "hvornår kommer ældredata",
        "er DFDG opdateret?",
    ] {
        for now in [SEED_DAY, OCT_10, MARCH_2026] {
            let text = ask(q, now);
            assert!(text.contains("nede"), "{q} {now}: {text}");
            assert!(
                !text.contains("ventes") && !text.contains("burde"),
                "{q} {now}: {text}"
            );
        }
    }
}

#[test]
fn stil_and_the_ukraine_cube_follow_their_own_cadence() {
    let stil = ask("hvornår kommer STIL-data", SEED_DAY);
    assert!(stil.contains("STIL-data opdateres årligt"), "{stil}");
    let ukraine = ask(
        "hvor ofte opdateres Ukraine-kuben",
        "2025-12-31T12:00:00+01:00",
    );
    assert!(
        ukraine.contains("dagligt") && ukraine.contains("natten til 1. januar 2026"),
        "{ukraine}"
    );
}

#[test]
fn a_named_month_is_answered_with_the_release_that_carries_it() {
    let future = ask("hvornår kommer august-tallene for YR?", SEED_DAY);
    assert!(
        future.contains("Data for august 2025 ventes med udgivelsen ca. 10. oktober 2025"),
        "{future}"
    );
    let recorded = ask("hvornår kommer juni-data for YR?", SEED_DAY);
    assert!(
        recorded.contains("Data for juni 2025 er allerede med"),
        "{recorded}"
    );
    let missing = ask(
        "vi kan ikke se maj-data for KRL. Hvornår kommer de?",
        SEED_DAY,
    );
    assert!(
        missing.contains("skulle efter reglerne være kommet ca. 10. september 2025"),
        "{missing}"
    );
}

#[test]
fn a_month_asked_without_an_area_gets_the_standard_release_that_carries_it() {
    let text = ask("hvornår kommer tallene for 2025-08?", SEED_DAY);
    assert!(
        text.contains("Data for august 2025 ventes med udgivelsen ca. 10. oktober 2025"),
        "{text}"
    );
    // June is recorded for the ordinary areas: it came with the August release.
    let past = ask("hvornår kommer juni-tallene?", SEED_DAY);
    assert!(
        past.contains(
            "Data for juni 2025 er allerede med – de kom med udgivelsen ca. 10. august 2025"
        ),
        "{past}"
    );
}

#[test]
fn the_general_release_names_dap_cubes_and_the_exceptions() {
    let text = ask("hvornår kommer datapakker", "2025-09-09T12:00:00+02:00");
    assert!(
        text.contains("ca. 10. september 2025 med data t.o.m. juli 2025"),
        "{text}"
    );
    assert!(
        text.contains("DAP-kuberne følger 11.–12. september 2025"),
        "{text}"
    );
    assert!(
        text.contains("DREAM") && text.contains("KRL Personale"),
        "{text}"
    );
    assert!(
        !text.contains("DFDG"),
        "down areas are not promised: {text}"
    );
}

#[test]
fn the_overview_lists_every_area_problems_first() {
    let reply = answer_question("oversigt", default_catalogue(), at(SEED_DAY));
    assert_eq!(reply.areas.len(), 19);
    let states: Vec<State> = reply.areas.iter().map(|a| a.state).collect();
    let first_ok = states.iter().position(|s| *s == State::Ok).unwrap();
    assert!(states[..first_ok].iter().all(|s| *s != State::Ok));
    assert!(states[first_ok..].iter().all(|s| *s == State::Ok));
    let text = render(&reply);
    assert!(text.chars().count() <= MAX_REPLY_CHARS);
    for a in &default_catalogue().areas {
        assert!(text.contains(&a.name), "{} missing", a.name);
    }
}

#[test]
fn the_overview_and_the_problems_list_share_one_order_down_disturbed_behind() {
    let mut c = default_catalogue().clone();
    c.area_mut(AreaId::Yr).unwrap().through = "2025-05".parse().ok();
    let order = [
        "aeldre", "dfdg", "oekonomi", "krl", "skole", "fsiii", "vh", "yr",
    ];
    let overview = answer_question("oversigt", &c, at(SEED_DAY));
    let first: Vec<&str> = overview.areas.iter().take(8).map(|a| a.id).collect();
    assert_eq!(first, order, "down, then disturbed (KRL too), then behind");
    let problems = answer_question("er der problemer?", &c, at(SEED_DAY));
    let ids: Vec<&str> = problems.areas.iter().map(|a| a.id).collect();
    assert_eq!(ids, order);
}

#[test]
fn help_unknown_and_unknown_area_replies() {
    assert!(ask("hjælp", SEED_DAY).contains("«status FSIII»"));
    assert!(ask("hvad er klokken", SEED_DAY).contains("desværre ikke"));
    let fsi = ask("status fsi", SEED_DAY);
    assert!(
        fsi.contains("«fsi»") && fsi.contains("Mente du **FSIII**?"),
        "{fsi}"
    );
    let xyz = ask("status qwxvk", SEED_DAY);
    assert!(xyz.contains("Jeg kender: Borger"), "{xyz}");
}

#[test]
fn long_notes_are_shortened_to_fit_discord() {
    let mut c = default_catalogue().clone();
    for a in &mut c.areas {
        a.note = Some(format!(
            "{} @everyone",
            "Meget lang driftsbemærkning. ".repeat(60)
        ));
    }
    for q in [
        "status tværgående",
        "status beskæftigelse",
        "oversigt",
        "hvornår kommer tværgående",
    ] {
        let text = ask_in(q, &c, SEED_DAY);
        assert!(
            text.chars().count() <= MAX_REPLY_CHARS,
            "{q}: {}",
            text.chars().count()
        );
        assert!(
            text.contains("pr. 10. september 2025"),
            "{q}: the as-of date survives: {text}"
        );
    }
}

#[test]
fn hostile_questions_get_a_bounded_reply() {
    let big = format!("{} status dream", "\u{202e}@everyone <@&1> ".repeat(5000));
    let text = ask(&big, SEED_DAY);
    assert!(text.contains("DREAM") && text.chars().count() <= MAX_REPLY_CHARS);
    let word = ask(&"ø".repeat(100_000), SEED_DAY);
    assert!(word.chars().count() <= MAX_REPLY_CHARS);
}

#[test]
fn small_talk_gets_one_short_line_and_only_a_help_question_the_full_help() {
    // (text, kind, said, not said)
    let cases = [
        ("tak", ReplyKind::Thanks, "Selv tak!", "Jeg kender"),
        (
            "tusind tak for hjælpen",
            ReplyKind::Thanks,
            "Selv tak!",
            "Jeg kender",
        ),
        ("hej", ReplyKind::Greeting, "/hjaelp", "Jeg kender"),
        ("godmorgen", ReplyKind::Greeting, "/hjaelp", "Jeg kender"),
        ("", ReplyKind::Greeting, "/hjaelp", "Jeg kender"),
        ("🎉", ReplyKind::Greeting, "Spørg fx", "Jeg kender"),
        (
            "god weekend alle sammen",
            ReplyKind::Wish,
            "God weekend!",
            "Jeg kender",
        ),
        ("hjælp", ReplyKind::Help, "Jeg kender:", "/hjaelp for alt"),
        (
            "hvad kan du?",
            ReplyKind::Help,
            "«status FSIII»",
            "/hjaelp for alt",
        ),
    ];
    for (text, kind, said, not_said) in cases {
        let reply = answer_question(text, default_catalogue(), at(SEED_DAY));
        assert_eq!(reply.kind, kind, "{text:?}");
        let out = render(&reply);
        assert!(
            out.contains(said) && !out.contains(not_said),
            "{text:?}: {out}"
        );
        if kind != ReplyKind::Help {
            assert_eq!(out.lines().count(), 1, "one line: {out}");
        }
    }
    // Every wish has its words in responses/wish.md.
    for wish in [
        Wish::Weekend,
        Wish::Christmas,
        Wish::NewYear,
        Wish::Easter,
        Wish::Summer,
        Wish::Holiday,
        Wish::Night,
    ] {
        let text = say(
            &Query::Talk(Talk::Wish(vec![wish])),
            default_catalogue(),
            SEED_DAY,
        );
        assert!(
            text.starts_with("God") && text.ends_with('!') && text.len() > "God !".len(),
            "{wish:?}: {text}"
        );
    }
}

#[test]
fn er_x_opdateret_is_answered_ja_or_nej_first() {
    let seed = default_catalogue().clone();
    let marked = released("2025-10");
    // (question, catalogue, now, first line begins, first line says)
    let cases: [(&str, &Catalogue, &str, &str, &str); 14] = [
        (
            "er KY opdateret?",
            &seed,
            MID_SEPTEMBER,
            "**Ja**",
            "data t.o.m. juli 2025, som reglerne venter nu",
        ),
        (
            "er FSIII opdateret?",
            &seed,
            MID_SEPTEMBER,
            "**Ja**",
            "men med driftsforstyrrelse",
        ),
        (
            "er KRL opdateret?",
            &seed,
            SEED_DAY,
            "**Nej**",
            "burde data t.o.m. maj 2025 være ude (ca. 10. september 2025)",
        ),
        (
            "er KRL opdateret?",
            &seed,
            SEED_DAY,
            "**Nej**",
            "snarest muligt",
        ),
        (
            "er DFDG opdateret?",
            &seed,
            SEED_DAY,
            "**Nej**",
            "DFDG er nede",
        ),
        (
            "er ældredata opdateret?",
            &seed,
            SEED_DAY,
            "**Nej**",
            "Ældre er nede",
        ),
        (
            "er Ukraine-kuben opdateret?",
            &seed,
            SEED_DAY,
            "**Ja**",
            "dagligt",
        ),
        (
            "er Borger Flex opdateret?",
            &seed,
            SEED_DAY,
            "**Det ved jeg ikke**",
            "ikke oplyst",
        ),
        // The day before the release the rules still expect July.
        ("er KY opdateret?", &seed, OCT_9, "**Ja**", "juli 2025"),
        // On the 10th, before operators mark it: due today, not behind.
        (
            "er KY opdateret?",
            &seed,
            OCT_10,
            "**Nej, ikke endnu**",
            "data t.o.m. august 2025 for KY ventes i dag (10. oktober 2025)",
        ),
        ("er KY opdateret?", &marked, OCT_10, "**Ja**", "august 2025"),
        // The day after, still not recorded: behind, with when it was due.
        (
            "er KY opdateret?",
            &seed,
            OCT_11,
            "**Nej**",
            "burde data t.o.m. august 2025 være ude (ca. 10. oktober 2025)",
        ),
        // DREAM inside its early window: recorded May is what the September release carried…
        (
            "er DREAM opdateret?",
            &seed,
            "2025-09-15T10:00:00+02:00",
            "**Ja**",
            "maj 2025",
        ),
        // …and the October release's window is open: due, not yet out.
        (
            "er DREAM opdateret?",
            &seed,
            "2025-09-26T10:00:00+02:00",
            "**Nej, ikke endnu**",
            "tidlig udlæsning til oktober-udgivelsen er i gang",
        ),
    ];
    for (q, c, now, begins, says) in cases {
        let text = ask_in(q, c, now);
        let line = first_line(&text);
        assert!(
            line.starts_with(begins) && line.contains(says),
            "{q} at {now}:\n{text}"
        );
    }
}

#[test]
fn an_old_status_is_said_first_with_what_the_rules_expect_now() {
    let c = default_catalogue();
    // (question, the line after the stale line begins)
    let cases = [
        ("status KY", "🟢 **KY**"),
        (
            "er KY opdateret?",
            "**Nej**, ikke efter den registrerede status: den er fra 10. september 2025",
        ),
        (
            "er DFDG nede?",
            "**Ja** – DFDG var nede pr. 10. september 2025",
        ),
        (
            "virker FSIII?",
            "**Delvist** – FSIII kørte pr. 10. september 2025",
        ),
        (
            "hvornår kommer KY?",
            "🟢 **KY**: Næste udgivelse ventes **ca. 10. december 2026**",
        ),
    ];
    for (q, second) in cases {
        let text = ask(q, NOV_2026);
        let mut lines = text.lines().filter(|l| !l.is_empty());
        let stale = lines.next().unwrap();
        assert!(
            stale.starts_with("⚠️ **Statussen er fra 10. september 2025**"),
            "{q}: {text}"
        );
        if q != "er DFDG nede?" {
            assert!(
                stale.contains("efter reglerne burde data t.o.m. september 2026 være ude nu"),
                "{q}: {text}"
            );
        } else {
            assert!(
                !stale.contains("burde"),
                "nothing is expected of a down area: {text}"
            );
        }
        assert!(lines.next().unwrap().starts_with(second), "{q}: {text}");
    }
    // KRL's lag is stated for the day the status is from, never as today's.
    let krl = ask("status KRL", NOV_2026);
    assert!(
        krl.contains("pr. 10. september 2025 var data 1 måned bagud"),
        "{krl}"
    );
    assert!(
        krl.contains("efter reglerne burde data t.o.m. juli 2026 være ude nu"),
        "{krl}"
    );
    assert!(!krl.contains("bagud med"), "{krl}");
    // Several areas: the standard release's expectation.
    let group = ask("oversigt", NOV_2026);
    assert!(
        first_line(&group).contains(
            "data t.o.m. september 2026 være ude nu for de almindelige månedlige områder"
        ),
        "{group}"
    );
    // A fresh status says nothing of the kind; 45 days is the limit.
    for (now, stale) in [
        ("2025-10-25T12:00:00+02:00", false),
        ("2025-10-26T12:00:00+01:00", true),
    ] {
        let text = ask("status ky", now);
        assert_eq!(text.starts_with("⚠️"), stale, "{now}: {text}");
    }
    // In chat the warning is the message's text, above the embed.
    let m = layout(&answer_question("status KY", c, at(NOV_2026)));
    assert!(
        m.content
            .starts_with("⚠️ **Statussen er fra 10. september 2025**"),
        "{}",
        m.content
    );
    assert_eq!(m.embeds.len(), 1);
}

#[test]
fn down_and_works_questions_get_the_state_first_then_the_note_once() {
    // (question, first line begins, note words in the first line)
    let cases = [
        (
            "er DFDG nede?",
            "**Ja** – DFDG er nede",
            "lukket for adgang",
        ),
        (
            "er FSIII nede?",
            "**Delvist** – FSIII er ikke nede, men har driftsforstyrrelse",
            "TRIFORK",
        ),
        ("er KY nede?", "**Nej** – KY er ikke nede", ""),
        ("er der problemer med KRL?", "**Delvist**", "snarest muligt"),
        ("virker KY?", "**Ja** – KY kører efter planen", ""),
        ("virker ældredata?", "**Nej** – Ældre er nede", "OLAP-kuben"),
        (
            "virker VH?",
            "**Delvist** – VH kører, men med driftsforstyrrelse",
            "benchmarkdata",
        ),
    ];
    for (q, begins, note) in cases {
        let text = ask(q, SEED_DAY);
        let line = first_line(&text);
        assert!(
            line.starts_with(begins) && line.contains(note),
            "{q}: {text}"
        );
        if !note.is_empty() {
            assert_eq!(text.matches(note).count(), 1, "the note once: {text}");
        }
    }
    // In chat: the answer above the embed, and the embed does not repeat the note.
    let m = layout(&answer_question(
        "virker FSIII?",
        default_catalogue(),
        at(SEED_DAY),
    ));
    assert!(m.content.starts_with("**Delvist**") && m.content.contains("TRIFORK"));
    assert!(
        !m.embeds[0].description.contains("TRIFORK"),
        "{:?}",
        m.embeds[0]
    );
}

#[test]
fn why_questions_get_the_drift_note_first() {
    let cases = [
        (
            "hvorfor mangler KRL-data?",
            "**KRL Personale**: Grundet et større implementeringsarbejde",
        ),
        (
            "hvorfor mangler der FSIII-data?",
            "**FSIII**: Da TRIFORK ændrer snitflader",
        ),
        (
            "hvorfor mangler skoledata?",
            "**Skole**: Der er endnu ikke data fra fagløsningen Min Uddannelse",
        ),
        (
            "hvorfor mangler KY-data?",
            "Der mangler ikke noget efter reglerne: KY har data t.o.m. juli 2025",
        ),
    ];
    for (q, begins) in cases {
        let text = ask(q, SEED_DAY);
        assert!(text.starts_with(begins), "{q}: {text}");
    }
    let krl = ask("hvorfor mangler KRL-data?", SEED_DAY);
    assert!(
        first_line(&krl).contains("Pr. 10. september 2025 var data 1 måned bagud"),
        "{krl}"
    );
}

#[test]
fn when_questions_give_the_date_first_and_know_the_release_days() {
    let seed = default_catalogue().clone();
    let marked = released("2025-10");
    let dec = released("2025-12");
    // (question, catalogue, now, first line says, not said anywhere)
    let cases: [(&str, &Catalogue, &str, &str, &str); 12] = [
        ("hvornår kommer KY?", &seed, OCT_9, "🟢 **KY**: Næste udgivelse ventes **ca. 10. oktober 2025** med data t.o.m. august 2025", "i dag"),
        // On the 10th: today's release, not next month's.
        ("hvornår kommer KY?", &seed, OCT_10, "Månedens udgivelse ventes **i dag** (10. oktober 2025) med data t.o.m. august 2025", "er ude i dag"),
        ("hvornår kommer KY?", &marked, OCT_10, "Månedens udgivelse er ude i dag (10. oktober 2025) med data t.o.m. august 2025", "ventes **i dag**"),
        // On the 11th and 12th: the next release first, then the DAP cubes.
        ("hvornår kommer KY?", &marked, OCT_11, "Næste udgivelse ventes **ca. 10. november 2025**", "følger næste måned"),
        ("hvornår kommer KY?", &marked, OCT_12, "Næste udgivelse ventes **ca. 10. november 2025**", "i morgen"),
        // An early window is named with the release it belongs to.
        ("hvornår kommer DREAM-data?", &dec, "2025-12-15T10:00:00+01:00", "Næste tidlige udlæsning til januar-udgivelsen ventes **ca. 20.–27. december 2025**", "i gang"),
        ("hvornår kommer DREAM-data?", &dec, EARLY_WINDOW, "Tidlig udlæsning til januar-udgivelsen er **i gang nu** (ca. 20.–27. december 2025)", "ventes **ca. 20.–27. december"),
        // No date where the rules or the note give none: said first.
        ("hvornår kommer DFDG?", &seed, SEED_DAY, "🔴 **DFDG**: Ingen forventet udgivelse – området er nede", "ventes"),
        ("hvornår kommer skoledata?", &seed, OCT_9, "🟡 **Skole**: STIL-data opdateres årligt", "Drift:"),
        ("hvornår kommer Ukraine-kuben?", &seed, SEED_DAY, "Opdateres dagligt; næste opdatering natten til 11. september 2025", "ca. 10."),
        ("hvornår kommer KRL?", &seed, SEED_DAY, "🟡 **KRL Personale**: Driftsbemærkningen giver ingen dato: Grundet", "ventes **i dag**"),
        ("hvornår kommer KRL?", &seed, OCT_9, "Driftsbemærkningen giver ingen dato", "i dag"),
    ];
    for (q, c, now, says, not_said) in cases {
        let text = ask_in(q, c, now);
        assert!(first_line(&text).contains(says), "{q} at {now}:\n{text}");
        assert!(
            !text.contains(not_said),
            "{q} at {now} says {not_said:?}:\n{text}"
        );
    }
    // Skole: the part without a date (the note's), then what the rules say of the rest.
    let skole = ask_in("hvornår kommer skoledata?", &seed, OCT_9);
    let lines: Vec<&str> = skole.lines().collect();
    assert!(
        lines[1].starts_with("Driftsbemærkningen giver ingen dato: Der er endnu ikke data"),
        "{skole}"
    );
    assert!(
        lines[2].starts_with("Efter reglerne ventes næste udgivelse ca. 10. oktober 2025"),
        "{skole}"
    );
    // A yearly area: no date, said first.
    let mut yearly = default_catalogue().clone();
    yearly.area_mut(AreaId::Aula).unwrap().rule.cadence = Cadence::Yearly;
    let text = ask_in("hvornår kommer aula-data?", &yearly, SEED_DAY);
    assert!(
        first_line(&text).contains("Ingen dato – opdateres årligt"),
        "{text}"
    );
}

#[test]
fn the_general_release_is_named_for_the_day_it_is_asked() {
    let seed = default_catalogue().clone();
    let marked = released("2025-10");
    // (now, catalogue, first line begins, also said, never said)
    let cases: [(&str, &Catalogue, &str, &str, &str); 6] = [
        (OCT_9, &seed, "**Månedens udgivelse**: datapakkerne ventes ca. 10. oktober 2025 med data t.o.m. august 2025", "DAP-kuberne følger 11.–12. oktober 2025", "i dag"),
        (OCT_10, &seed, "**Månedens udgivelse ventes i dag** (10. oktober 2025) med data t.o.m. august 2025", "Næste udgivelse: ca. 10. november 2025", "er ude"),
        (OCT_10, &marked, "**Månedens udgivelse er ude i dag** (10. oktober 2025)", "DAP-kuberne følger 11.–12. oktober 2025", "ventes i dag"),
        (OCT_11, &seed, "**Månedens udgivelse**: datapakkerne ventes ca. 10. november 2025", "DAP-kuberne fra oktober-udgivelsen ventes **i dag eller i morgen** (11.–12. oktober 2025); datapakkerne fra 10. oktober 2025 er endnu ikke registreret som ude", " kom "),
        (OCT_12, &marked, "**Månedens udgivelse**: datapakkerne ventes ca. 10. november 2025", "DAP-kuberne fra oktober-udgivelsen ventes **i dag** (12. oktober 2025).", "i morgen"),
        ("2025-12-15T10:00:00+01:00", &seed, "**Månedens udgivelse**", "Tidlig udlæsning til januar-udgivelsen, 2–3 uger før: Borger Flex ca. 20.–27. december 2025", ""),
    ];
    for (now, c, begins, also, never) in cases {
        let text = ask_in("hvornår kommer datapakkerne?", c, now);
        let line = answer_line(&text);
        assert!(
            line.starts_with(begins) && text.contains(also),
            "{now}:\n{text}"
        );
        assert!(
            never.is_empty() || !text.contains(never),
            "{now} says {never:?}:\n{text}"
        );
    }
    let open = ask_in(
        "hvornår kommer datapakkerne?",
        &seed,
        "2025-12-21T10:00:00+01:00",
    );
    assert!(
        open.contains("Tidlig udlæsning til januar-udgivelsen (i gang nu)"),
        "{open}"
    );
}

#[test]
fn is_the_release_out_is_answered_ja_or_nej_first() {
    let seed = default_catalogue().clone();
    let cases: [(&str, &Catalogue, &str); 4] = [
        (MID_SEPTEMBER, &seed, "**Ja** – månedens udgivelse 10. september 2025 er ude med data t.o.m. juli 2025; bagud: KRL Personale"),
        (OCT_10, &seed, "**Nej, ikke endnu** – månedens udgivelse ventes i dag (10. oktober 2025)"),
        (OCT_10, &released("2025-10"), "**Ja** – månedens udgivelse er ude i dag (10. oktober 2025)"),
        (OCT_11, &seed, "**Nej** – udgivelsen 10. oktober 2025 med data t.o.m. august 2025 er ikke registreret som ude"),
    ];
    for (now, c, begins) in cases {
        let text = ask_in("er datapakkerne ude?", c, now);
        assert!(text.starts_with(begins), "{now}:\n{text}");
    }
}

#[test]
fn how_often_questions_get_the_cadence_in_flis_own_words() {
    let cases = [
        ("hvor ofte opdateres KY?", "KY opdateres **månedligt** med månedens udgivelse omkring d. 10., med én måneds forsinkelse"),
        ("hvor ofte kommer DREAM-data?", "DREAM opdateres **månedligt, 2–3 uger før** de øvrige dataområder"),
        ("hvor tit opdateres Borger Flex?", "Borger Flex opdateres **månedligt, 2–3 uger før**"),
        ("hvor ofte opdateres Ukraine-kuben?", "Ukraine-kuben opdateres **dagligt**"),
    ];
    for (q, begins) in cases {
        let text = ask(q, SEED_DAY);
        assert!(text.starts_with(begins), "{q}: {text}");
    }
    let krl = ask("hvor ofte opdateres KRL?", SEED_DAY);
    assert!(krl.contains("med 3 måneders forsinkelse"), "{krl}");
    let skole = ask("hvor ofte opdateres skoledata?", SEED_DAY);
    assert!(skole.contains("STIL-data opdateres årligt"), "{skole}");
    assert_eq!(skole.matches("STIL-data").count(), 1, "{skole}");
    let general = ask("hvor ofte kommer der nye datapakker?", SEED_DAY);
    for part in [
        "FLIS udgives **månedligt omkring d. 10.** med én måneds forsinkelse",
        "Borger Flex og DREAM udlæses 2–3 uger før",
        "KRL Personale og DREAM har 3 måneders forsinkelse fra leverandøren",
        "STIL-data opdateres årligt",
        "Ukraine-kuben opdateres dagligt",
    ] {
        assert!(general.contains(part), "{part}: {general}");
    }
    assert!(general.starts_with("FLIS udgives"), "{general}");
    let text = say(
        &Query::Release(ReleaseAsk::HowOften),
        default_catalogue(),
        MARCH_2026,
    );
    assert!(
        text.starts_with("FLIS udgives"),
        "the cadence rests on the rules, not the status: {text}"
    );
}

#[test]
fn a_named_month_is_answered_for_what_it_names() {
    use MonthOf::{Data, Release};
    use MonthQuestion::{Comes, IsOut, What};
    let seed = default_catalogue().clone();
    let unmarked = {
        let mut c = released("2025-08");
        restamp(&mut c, "2025-09-09");
        c
    };
    let nov = released("2025-11");
    let at_nov = "2025-11-15T10:00:00+01:00";
    // (area, month, catalogue, now, first line says, not said in the first line)
    let cases: [(AreaId, MonthAsk, &Catalogue, &str, &str, &str); 11] = [
        // A release month in a forward question is the coming one.
        (AreaId::Aula, month(12, Release, What), &nov, at_nov, "Aula: December-udgivelsen ventes **ca. 10. december 2025** med data t.o.m. oktober 2025", "2024"),
        (AreaId::Ky, month(1, Release, What), &nov, at_nov, "KY: Januar-udgivelsen ventes **ca. 10. januar 2026** med data t.o.m. november 2025", "2025 med"),
        (AreaId::Dream, month(1, Release, What), &nov, at_nov, "DREAM: Tidlig udlæsning til januar-udgivelsen ventes **ca. 20.–27. december 2025** med data t.o.m. september 2025", ""),
        (AreaId::Ky, month(9, Release, What), &seed, SEPTEMBER_20, "KY: September-udgivelsen kom ca. 10. september 2025 med data t.o.m. juli 2025", "ventes"),
        (AreaId::Ky, month(9, Release, Comes), &unmarked, SEED_DAY, "**Ja** – KY: September-udgivelsen ventes **i dag** (ca. 10. september 2025) med data t.o.m. juli 2025", ""),
        // A data month: out (with when it came), due today, behind (the note, no date), ahead.
        (AreaId::Yr, month(6, Data, What), &seed, SEED_DAY, "YR: Data for juni 2025 er allerede med – de kom med udgivelsen ca. 10. august 2025", "ventes"),
        (AreaId::Ky, month(7, Data, What), &unmarked, SEED_DAY, "KY: Data for juli 2025 ventes **i dag** med udgivelsen ca. 10. september 2025", ""),
        (AreaId::Krl, month(5, Data, What), &seed, SEED_DAY, "KRL Personale: Data for maj 2025 skulle efter reglerne være kommet ca. 10. september 2025", "ventes"),
        (AreaId::Krl, month(5, Data, What), &seed, SEED_DAY, "Data for maj vil blive vist i FLIS snarest muligt", "ventes"),
        (AreaId::Yr, month(8, Data, What), &seed, SEED_DAY, "YR: Data for august 2025 ventes med udgivelsen ca. 10. oktober 2025", ""),
        (AreaId::Dfdg, month(7, Data, IsOut), &seed, SEED_DAY, "**Nej** – DFDG: Ingen dato for data for juli 2025 – området er nede", "ventes"),
    ];
    for (id, m, c, now, says, not_said) in cases {
        let text = say(&about(&[id], AreaAsk::Month(m)), c, now);
        let line = first_line(&text);
        assert!(line.contains(says), "{id} {m:?} at {now}:\n{text}");
        assert!(
            not_said.is_empty() || !line.contains(not_said),
            "{id}: {not_said:?} in {line}"
        );
    }
    // "Er maj-data kommet?" is a ja/nej on that month, as typed.
    let krl = ask("er maj-data for KRL kommet?", SEED_DAY);
    assert!(
        krl.starts_with("**Nej** – KRL Personale: Data for maj 2025 skulle"),
        "{krl}"
    );
    let yr = ask("er juni-data for YR kommet?", SEED_DAY);
    assert!(
        yr.starts_with("**Ja** – YR: Data for juni 2025 er allerede med"),
        "{yr}"
    );
    // Without an area: the standard release of that month, first.
    let december = ask_in("hvad kommer der med datapakkerne i december?", &nov, at_nov);
    assert!(
        december.starts_with(
            "December-udgivelsen ventes **ca. 10. december 2025** med data t.o.m. oktober 2025"
        ),
        "{december}"
    );
    assert!(
        first_line(&december).contains("I december 2025 også: tidlig udlæsning til januar-udgivelsen ca. 20.–27. december 2025"),
        "the early releases of the month: {december}"
    );
    // Asked late in a month whose release has come and whose window has closed: nothing more.
    let late = say(
        &Query::Release(ReleaseAsk::Month(month(10, Release, Comes))),
        &released("2025-10"),
        "2025-10-29T10:00:00+01:00",
    );
    assert!(
        late.starts_with("**Ja** – oktober-udgivelsen kom"),
        "{late}"
    );
}

#[test]
fn more_than_three_areas_get_one_line_each_and_details_on_request() {
    let c = default_catalogue();
    let text = ask("status på det sociale område", SEED_DAY);
    let reply = answer_question("status på det sociale område", c, at(SEED_DAY));
    assert!(reply.compact && reply.areas.len() == 4, "{text}");
    for (name, line) in [
        ("FSIII", "🟡 FSIII: t.o.m. juli 2025, driftsforstyrrelse"),
        ("Udsatte", "🟢 Udsatte børn og unge: t.o.m. juli 2025"),
        ("VH", "🟡 VH: t.o.m. juli 2025, driftsforstyrrelse"),
        ("Ældre", "🔴 Ældre: t.o.m. juli 2025, nede"),
    ] {
        assert!(text.lines().any(|l| l == line), "{name}: {text}");
    }
    assert!(
        text.contains("Spørg fx «status FSIII» for detaljer"),
        "{text}"
    );
    assert!(
        !text.contains("Opdateres:") && !text.contains("TRIFORK"),
        "{text}"
    );
    let m = layout(&reply);
    assert!(m.embeds.is_empty() && m.within_limits());
    // Three areas are still shown in full, as embeds.
    let three = answer_question("status FSIII, KY og DREAM", c, at(SEED_DAY));
    assert!(!three.compact && layout(&three).embeds.len() == 3);
    // A ja/nej question about a group is answered in its first line.
    let updated = ask("er beskæftigelsesdata opdateret?", MID_SEPTEMBER);
    assert!(
        updated.starts_with("**Nej** – 1 af 5 områder har ikke de data, reglerne venter nu:"),
        "{updated}"
    );
    assert!(
        updated.contains("🔴 DFDG: data ikke oplyst, nede – nej"),
        "{updated}"
    );
    // So is one about everything, line by line.
    let all = ask("er alle data opdateret?", MID_SEPTEMBER);
    assert!(
        all.starts_with("**Nej** – 3 af 19 områder har ikke de data, reglerne venter nu (for 1 er t.o.m. ikke oplyst):"),
        "{all}"
    );
    assert!(
        all.contains(
            "🟡 KRL Personale: t.o.m. april 2025, driftsforstyrrelse, data er 1 måned bagud – nej"
        ),
        "{all}"
    );
    assert_eq!(all.matches("**").count(), 4, "one lead, one title: {all}");
    // On the release's day, that release first.
    let release_day = ask("er alle data opdateret?", SEED_DAY);
    assert!(
        release_day.starts_with("**Ja** – månedens udgivelse er ude i dag (10. september 2025) med data t.o.m. juli 2025; 3 af 19 områder har ikke de data"),
        "{release_day}"
    );
    let when = ask("hvornår kommer beskæftigelse?", OCT_9);
    assert!(
        when.contains("🟢 KY: t.o.m. juli 2025 – næste ca. 10. oktober 2025"),
        "{when}"
    );
    assert!(
        when.contains("🔴 DFDG: data ikke oplyst, nede – ingen dato"),
        "{when}"
    );
}

#[test]
fn a_group_takes_its_members_from_the_live_catalogue() {
    let mut c = default_catalogue().clone();
    c.area_mut(AreaId::Ky).unwrap().group = Group::SocialSundhed;
    let group = |areas: Vec<AreaId>| Query::Areas {
        scope: Scope {
            areas,
            groups: vec![Group::SocialSundhed],
        },
        ask: AreaAsk::Status,
    };
    let reply = answer(&group(Vec::new()), &c, at(SEED_DAY));
    let ids: Vec<&str> = reply.areas.iter().map(|a| a.id).collect();
    assert_eq!(ids, ["fsiii", "udsatte", "vh", "aeldre", "ky"]);
    // An area named beside a group comes first.
    let reply = answer(&group(vec![AreaId::Dream]), &c, at(SEED_DAY));
    let ids: Vec<&str> = reply.areas.iter().map(|a| a.id).collect();
    assert_eq!(ids, ["dream", "fsiii", "udsatte", "vh", "aeldre", "ky"]);
    // As typed, the same.
    let typed = answer_question("status DREAM og social og sundhed", &c, at(SEED_DAY));
    let ids: Vec<&str> = typed.areas.iter().map(|a| a.id).collect();
    assert_eq!(ids, ["dream", "fsiii", "udsatte", "vh", "aeldre", "ky"]);
}

#[test]
fn a_problems_question_lists_only_the_areas_with_problems_down_first() {
    let c = default_catalogue();
    for q in ["er der problemer?", "any known issues?"] {
        let reply = answer_question(q, c, at(SEED_DAY));
        assert_eq!(reply.kind, ReplyKind::Problems);
        let ids: Vec<&str> = reply.areas.iter().map(|a| a.id).collect();
        assert_eq!(
            ids,
            ["aeldre", "dfdg", "oekonomi", "krl", "skole", "fsiii", "vh"],
            "{q}"
        );
        let text = render(&reply);
        assert!(
            text.starts_with("**Ja** – 7 af 19 dataområder har kendte problemer (nede først):"),
            "{text}"
        );
        assert!(text.contains("Resten kører efter planen."), "{text}");
        assert!(
            text.contains("🔴 Ældre: t.o.m. juli 2025, nede: OLAP-kuben er udfaset"),
            "{text}"
        );
        assert!(!text.contains("🟢"), "only problems: {text}");
        assert!(text.chars().count() <= MAX_REPLY_CHARS);
    }
    // An area only behind (state ok) is a problem too; a scope limits the list.
    let mut behind = default_catalogue().clone();
    behind.area_mut(AreaId::Yr).unwrap().through = Some(ym("2025-05"));
    let scoped = Query::Problems {
        scope: Some(Scope {
            areas: Vec::new(),
            groups: vec![Group::Beskaeftigelse],
        }),
        ask: ProblemsAsk::Any,
    };
    let text = say(&scoped, &behind, SEED_DAY);
    assert!(text.starts_with("**Ja** – 2 af 5 dataområder"), "{text}");
    assert!(
        text.contains("🟢 YR: t.o.m. maj 2025, pr. 10. september 2025 var data 2 måneder bagud"),
        "{text}"
    );
    // "Virker alt?" is the same list with nej first.
    let all_work = Query::Problems {
        scope: None,
        ask: ProblemsAsk::AllWork,
    };
    let text = say(&all_work, c, SEED_DAY);
    assert!(
        text.starts_with("**Nej** – 7 af 19 dataområder har kendte problemer"),
        "{text}"
    );
    // Nothing wrong: said so.
    let mut fine = released("2025-09");
    for a in &mut fine.areas {
        a.state = State::Ok;
        a.through = a.through.or(Some(ym("2025-07")));
    }
    let text = ask_in("er der problemer?", &fine, SEED_DAY);
    assert!(
        text.starts_with("**Nej** – ingen kendte problemer"),
        "{text}"
    );
    let text = say(&all_work, &fine, SEED_DAY);
    assert!(
        text.starts_with("**Ja** – ingen kendte problemer"),
        "{text}"
    );
}

/// Every kind of query, for the limits test.
fn every_query() -> Vec<Query> {
    let scopes = [
        Scope {
            areas: Vec::new(),
            groups: vec![Group::Tvaergaaende],
        },
        Scope {
            areas: vec![AreaId::Fsiii, AreaId::Ky, AreaId::Dream],
            groups: Vec::new(),
        },
        Scope::area(AreaId::Krl),
        Scope::area(AreaId::Skole),
        Scope::area(AreaId::Dfdg),
    ];
    let months = [
        month(5, MonthOf::Data, MonthQuestion::What),
        month(10, MonthOf::Release, MonthQuestion::Comes),
        month(12, MonthOf::Release, MonthQuestion::IsOut),
    ];
    let mut asks = vec![
        AreaAsk::Status,
        AreaAsk::Updated,
        AreaAsk::Down,
        AreaAsk::Works,
        AreaAsk::Why,
        AreaAsk::When,
        AreaAsk::Today,
        AreaAsk::HowOften,
    ];
    asks.extend(months.iter().map(|m| AreaAsk::Month(*m)));
    let mut out: Vec<Query> = Vec::new();
    for s in &scopes {
        for a in &asks {
            out.push(Query::Areas {
                scope: s.clone(),
                ask: *a,
            });
        }
    }
    let mut releases = vec![
        ReleaseAsk::When,
        ReleaseAsk::Out,
        ReleaseAsk::Today,
        ReleaseAsk::HowOften,
    ];
    releases.extend(months.iter().map(|m| ReleaseAsk::Month(*m)));
    out.extend(releases.into_iter().map(Query::Release));
    out.extend([
        Query::Overview(OverviewAsk::Plain),
        Query::Overview(OverviewAsk::Updated),
        Query::Problems {
            scope: None,
            ask: ProblemsAsk::Any,
        },
        Query::Problems {
            scope: Some(scopes[0].clone()),
            ask: ProblemsAsk::AllWork,
        },
        Query::Help { plain: true },
        Query::Talk(Talk::Greeting),
        Query::Talk(Talk::Thanks),
        Query::Talk(Talk::Wish(vec![Wish::Christmas, Wish::NewYear])),
        Query::UnknownArea {
            words: vec!["xyz".into()],
            suggestions: vec![AreaId::Fsiii],
        },
        Query::Unknown,
    ]);
    out
}

#[test]
fn every_query_at_every_kind_of_day_stays_within_discords_limits() {
    let mut long = released_except("2025-10", &[AreaId::Krl, AreaId::Ky]);
    for a in &mut long.areas {
        a.note = Some(format!(
            "{}@everyone",
            "Meget lang driftsbemærkning. ".repeat(60)
        ));
    }
    let catalogues = [default_catalogue().clone(), long];
    let nows = [SEED_DAY, OCT_10, OCT_12, EARLY_WINDOW, MARCH_2026];
    for c in &catalogues {
        for q in every_query() {
            for now in nows {
                let reply = answer(&q, c, at(now));
                let text = render(&reply);
                assert!(text.chars().count() <= MAX_REPLY_CHARS, "{q:?} {now}");
                assert!(!text.is_empty());
                assert!(
                    !text.contains("noget gik galt"),
                    "a template failed: {q:?} {now}"
                );
                assert!(
                    !text.contains("  "),
                    "a gap where a word is missing: {q:?} {now}\n{text}"
                );
                assert!(
                    !text.contains(" ."),
                    "a gap before a full stop: {q:?} {now}\n{text}"
                );
                let m = layout(&reply);
                assert!(m.within_limits(), "{q:?} {now}");
                let embeds: String = m.embeds.iter().map(|e| e.description.as_str()).collect();
                assert!(
                    !m.content.contains("noget gik galt") && !embeds.contains("noget gik galt"),
                    "a template failed in chat: {q:?} {now}"
                );
            }
        }
    }
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

        #[test]
        fn any_question_at_any_time_gets_a_reply_within_discords_limit(
            q in "\\PC{0,200}",
            secs in 0i64..4_000_000_000,
        ) {
            let now = DateTime::<Utc>::from_timestamp(secs, 0).unwrap();
            let text = render(&answer_question(&q, default_catalogue(), now));
            prop_assert!(!text.is_empty());
            prop_assert!(text.chars().count() <= MAX_REPLY_CHARS);
        }
    }
}

/// Every field a template names exists: rendered with undefined values as errors, no reply
/// fails (the product renders leniently, where a misspelt field would silently say nothing).
#[test]
fn every_reply_names_only_fields_that_exist() {
    let mut env = crate::views::render::environment_of(crate::views::render::TEMPLATES);
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
    let nows = [SEED_DAY, OCT_10, OCT_12, EARLY_WINDOW, MARCH_2026];
    let mut errors = std::collections::BTreeSet::new();
    for c in [
        default_catalogue().clone(),
        released_except("2025-10", &[AreaId::Krl]),
    ] {
        for q in every_query() {
            for now in nows {
                let reply = answer(&q, &c, at(now));
                let out = env
                    .get_template(crate::views::render::reply_template(reply.kind).file())
                    .and_then(|t| t.render(&reply));
                if let Err(e) = out {
                    errors.insert(format!("{q:?}: {e:#}"));
                }
            }
        }
    }
    assert!(errors.is_empty(), "{errors:#?}");
}
