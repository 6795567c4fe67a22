//! The core: an understood question + the catalogue + "now" in, a reply value out. Pure.

use chrono::{DateTime, NaiveDate, Utc};

use crate::core::calendar::{self, NextUpdate};
use crate::core::catalogue::{Area, Cadence, Catalogue, State};
use crate::core::danish_time::{danish_date, danish_today, dap_when, release_when};
use crate::core::reply::{
    AreaView, AskedView, ExceptionView, GeneralView, NextView, Reply, ReplyKind,
};
use crate::core::understand::{default_parser, Intent, MonthRef, Parsed};
use crate::core::year_month::YearMonth;

/// A status confirmed longer ago than this "kan være forældet".
pub const FRESHNESS_DAYS: i64 = 45;

/// Parses `question` with the default parser and answers it.
pub fn answer_question(question: &str, catalogue: &Catalogue, now: DateTime<Utc>) -> Reply {
    answer(&default_parser().parse(question), catalogue, now)
}

pub fn answer(parsed: &Parsed, catalogue: &Catalogue, now: DateTime<Utc>) -> Reply {
    let today = danish_today(now);
    let asked = parsed.month.map(|m| resolve_month(m, today));
    let kind = match parsed.intent {
        Intent::Status | Intent::NextRelease if parsed.areas.is_empty() && !parsed.general => {
            ReplyKind::UnknownArea
        }
        Intent::Status => ReplyKind::Status,
        Intent::NextRelease => ReplyKind::NextRelease,
        Intent::Overview => ReplyKind::Overview,
        Intent::Help => ReplyKind::Help,
        Intent::Unknown => ReplyKind::Unknown,
    };
    let mut areas: Vec<AreaView> = match kind {
        ReplyKind::Overview => catalogue.areas.iter().collect(),
        ReplyKind::Status | ReplyKind::NextRelease => parsed
            .areas
            .iter()
            .filter_map(|id| catalogue.area(*id))
            .collect(),
        _ => Vec::new(),
    }
    .into_iter()
    .map(|a| area_view(a, catalogue, today, asked))
    .collect();
    if kind == ReplyKind::Overview {
        // Lagging areas first, then the rest of the problems (down, then disturbed), then the
        // areas running to plan; catalogue order within each.
        areas.sort_by_key(|v| {
            let rank = match v.state {
                State::Down => 0,
                State::Disturbed => 1,
                State::Ok => 2,
            };
            (v.behind_months.is_none(), rank)
        });
    }
    let name_of = |id| catalogue.area(id).map(|a| a.name.clone());
    Reply {
        kind,
        general: (kind == ReplyKind::NextRelease && parsed.areas.is_empty())
            .then(|| general_view(catalogue, today, asked)),
        areas,
        asked_month: asked.map(YearMonth::danish),
        unknown_words: parsed.unknown_words.clone(),
        suggestions: parsed
            .suggestions
            .iter()
            .filter_map(|id| name_of(*id))
            .collect(),
        known_areas: catalogue.areas.iter().map(|a| a.name.clone()).collect(),
        catalogue_as_of: danish_date(catalogue.as_of),
        catalogue_stale: (today - catalogue.as_of).num_days() > FRESHNESS_DAYS,
        today: danish_date(today),
        omitted: 0,
    }
}

/// A month named without a year is the latest such month not after this one: people ask
/// about data they miss, not data from the future.
fn resolve_month(m: MonthRef, today: NaiveDate) -> YearMonth {
    let this = YearMonth::of_date(today);
    let year = m.year.unwrap_or(if m.month <= this.month() {
        this.year()
    } else {
        this.year() - 1
    });
    YearMonth::new(year, m.month).unwrap_or(this)
}

/// The day an area's status was last confirmed: its own change or the catalogue's as-of date.
pub fn status_date(area: &Area, catalogue: &Catalogue) -> NaiveDate {
    let changed = area.changed.as_ref().map(|c| danish_today(c.at));
    changed.map_or(catalogue.as_of, |d| d.max(catalogue.as_of))
}

/// Months the recorded t.o.m. lags what the rules expected on the status date.
pub fn behind_months(area: &Area, catalogue: &Catalogue) -> Option<(i64, YearMonth)> {
    let through = area.through?;
    let expected = calendar::expected_through(&area.rule, status_date(area, catalogue))?;
    let lag = expected.months_since(through);
    (lag > 0).then_some((lag, expected))
}

fn area_view(
    area: &Area,
    catalogue: &Catalogue,
    today: NaiveDate,
    asked: Option<YearMonth>,
) -> AreaView {
    let confirmed = status_date(area, catalogue);
    let behind = behind_months(area, catalogue);
    let next =
        (area.state != State::Down).then(|| match calendar::next_update(&area.rule, today) {
            NextUpdate::Monthly(r) => NextView {
                cadence: "monthly",
                when: release_when(&r),
                window: r.is_window(),
                carries: Some(r.carries.danish()),
                dap: dap_when(&r),
            },
            NextUpdate::Daily(d) => NextView {
                cadence: "daily",
                when: format!("natten til {}", danish_date(d)),
                window: false,
                carries: None,
                dap: None,
            },
            NextUpdate::Yearly => NextView {
                cadence: "yearly",
                when: String::new(),
                window: false,
                carries: None,
                dap: None,
            },
        });
    let asked = asked.and_then(|m| {
        let r = calendar::release_carrying(&area.rule, m)?;
        Some(AskedView {
            month: m.danish(),
            when: release_when(&r),
            out_by_rules: r.is_out(today),
            recorded: area.through.is_some_and(|t| t >= m),
        })
    });
    let (state_label, icon) = match area.state {
        State::Ok => (State::Ok.danish(), "🟢"),
        State::Disturbed => (State::Disturbed.danish(), "🟡"),
        State::Down => (State::Down.danish(), "🔴"),
    };
    AreaView {
        id: area.id.as_str(),
        name: area.name.clone(),
        group: area.group.danish(),
        state: area.state,
        state_label,
        icon,
        frequency: area.frequency.clone(),
        source: area.source.clone(),
        note: area.note.clone(),
        through: area.through.map(YearMonth::danish),
        status_date: danish_date(confirmed),
        changed_by: area.changed.as_ref().map(|c| c.by.clone()),
        changed_at: area
            .changed
            .as_ref()
            .map(|c| danish_date(danish_today(c.at))),
        behind_months: behind.map(|(n, _)| n),
        expected_through: behind.map(|(_, m)| m.danish()),
        stale: (today - confirmed).num_days() > FRESHNESS_DAYS,
        next,
        asked,
        remark: area.rule.remark.clone(),
    }
}

fn general_view(catalogue: &Catalogue, today: NaiveDate, asked: Option<YearMonth>) -> GeneralView {
    let standard = calendar::standard_rule();
    let next = calendar::next_monthly(&standard, today);
    let live = || {
        catalogue
            .areas
            .iter()
            .filter(|a| a.rule.cadence == Cadence::Monthly && a.state != State::Down)
    };
    let exception = |a: &Area| {
        let r = calendar::next_monthly(&a.rule, today);
        ExceptionView {
            name: a.name.clone(),
            when: release_when(&r),
            carries: r.carries.danish(),
        }
    };
    GeneralView {
        when: release_when(&next),
        carries: next.carries.danish(),
        dap: dap_when(&next).unwrap_or_default(),
        early: live()
            .filter(|a| a.rule.early.is_some())
            .map(exception)
            .collect(),
        other_lag: live()
            .filter(|a| a.rule.early.is_none() && a.rule.lag != standard.lag)
            .map(|a| {
                let r = calendar::monthly_release(&a.rule, next.release_month);
                ExceptionView {
                    name: a.name.clone(),
                    when: release_when(&r),
                    carries: r.carries.danish(),
                }
            })
            .collect(),
        asked: asked.and_then(|m| {
            let r = calendar::release_carrying(&standard, m)?;
            Some(AskedView {
                month: m.danish(),
                when: release_when(&r),
                out_by_rules: r.is_out(today),
                recorded: false,
            })
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::catalogue::{default_catalogue, AreaId, ChangeStamp};
    use crate::core::render::{render, MAX_REPLY_CHARS};
    use crate::test_support::at;

    fn ask(q: &str, now: &str) -> String {
        render(&answer_question(q, default_catalogue(), at(now)))
    }

    const SEED_DAY: &str = "2025-09-10T10:00:00+02:00";

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
        assert!(text.contains("bagud med 1 måned"), "{text}");
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
    fn a_change_stamp_moves_the_status_date_and_is_shown() {
        let mut c = default_catalogue().clone();
        let krl = c.area_mut(AreaId::Krl).unwrap();
        krl.changed = Some(ChangeStamp {
            by: "Mette".into(),
            at: at("2026-11-20T09:00:00Z"),
        });
        let text = render(&answer_question(
            "status krl",
            &c,
            at("2026-11-27T09:00:00Z"),
        ));
        assert!(
            text.contains("Opdateret 20. november 2026 af Mette"),
            "{text}"
        );
        assert!(!text.contains("forældet"), "{text}");
        // Confirmed on 20/11-26 with April 2025 recorded, KRL is far behind.
        assert!(text.contains("bagud med 15 måneder"), "{text}");
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
        // 23:30 UTC on 9 December is 00:30 on the 10th in Copenhagen: December's release is out.
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
        for q in ["hvornår kommer DFDG", "hvornår kommer ældredata"] {
            let text = ask(q, SEED_DAY);
            assert!(text.contains("nede") && !text.contains("ventes"), "{text}");
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
        let past = ask("hvornår kommer juni-tallene?", SEED_DAY);
        assert!(
            past.contains("skulle efter reglerne være kommet med udgivelsen ca. 10. august 2025"),
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
    fn the_overview_puts_lagging_areas_before_other_problems() {
        let mut c = default_catalogue().clone();
        c.area_mut(AreaId::Yr).unwrap().through = "2025-05".parse().ok();
        let reply = answer_question("oversigt", &c, at(SEED_DAY));
        let first: Vec<&str> = reply.areas.iter().take(3).map(|a| a.id).collect();
        assert_eq!(
            first,
            ["krl", "yr", "aeldre"],
            "lagging (KRL, YR) before down (Ældre)"
        );
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
    fn replies_are_deterministic() {
        for q in [
            "oversigt",
            "hvornår kommer DREAM-data",
            "status social og sundhed",
        ] {
            assert_eq!(ask(q, SEED_DAY), ask(q, SEED_DAY));
        }
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
            let text = render(&answer_question(q, &c, at(SEED_DAY)));
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
}
