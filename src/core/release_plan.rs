//! The coming releases of every area, for operators checking the rules at a glance
//! (`flisbot calendar`). Pure, like the rest of the core.

use chrono::NaiveDate;
use serde::Serialize;

use crate::core::calendar::Release;
use crate::core::catalogue::{Area, Catalogue, State};
use crate::core::danish_time::{danish_date, dap_when, release_when};
use crate::core::facts::{self, AreaFacts, CatalogueFacts, Next, NoDate, NoteTiming, Recorded};
use crate::core::year_month::YearMonth;

#[derive(Debug, Serialize)]
pub struct PlanView {
    pub today: String,
    pub months: u32,
    pub general: Vec<PlanRelease>,
    pub areas: Vec<PlanArea>,
}

#[derive(Debug, Serialize)]
pub struct PlanArea {
    pub name: String,
    /// monthly | daily | yearly
    pub cadence: &'static str,
    /// FLIS' own delay: "én måneds forsinkelse" (the rule's lag − 1).
    pub delay_months: u32,
    pub early: bool,
    pub down: bool,
    /// Months behind, and the day that is judged on when not today.
    pub behind_months: u32,
    pub behind_on: Option<String>,
    /// The drift note gives no date: unknown | asap, and the month it says comes asap.
    pub note_timing: Option<&'static str>,
    pub note_month: Option<String>,
    /// What the rules alone would give next, where the note gives no date.
    pub rule_release: Option<PlanRelease>,
    pub remark: Option<String>,
    pub releases: Vec<PlanRelease>,
}

#[derive(Debug, Serialize)]
pub struct PlanRelease {
    pub when: String,
    pub carries: String,
    pub dap: Option<String>,
    /// Due today, not yet recorded.
    pub today: bool,
    /// The month is the drift note's.
    pub by_note: bool,
}

fn plan_release(r: &Release, today: bool, by_note: bool) -> PlanRelease {
    PlanRelease {
        when: release_when(r),
        carries: r.carries.danish(),
        dap: dap_when(r),
        today,
        by_note,
    }
}

fn plan_area(
    area: &Area,
    catalogue: &Catalogue,
    f: &AreaFacts,
    today: NaiveDate,
    months: u32,
) -> PlanArea {
    let (note_timing, note_month, rule_release) = match f.next {
        Next::None {
            why: NoDate::Note { timing, rule },
        } => {
            let (kind, month) = match timing {
                NoteTiming::Asap { data } => ("asap", data),
                NoteTiming::Unknown | NoteTiming::WithRelease { .. } => ("unknown", None),
            };
            (
                Some(kind),
                month.map(YearMonth::danish),
                rule.map(|r| plan_release(&r, false, false)),
            )
        }
        _ => (None, None, None),
    };
    PlanArea {
        name: area.name.clone(),
        cadence: area.rule.cadence.as_str(),
        delay_months: facts::flis_delay_months(&area.rule),
        early: area.rule.early.is_some(),
        down: f.state == State::Down,
        behind_months: f.behind.map_or(0, |b| b.months),
        behind_on: f
            .behind
            .filter(|b| b.on != today)
            .map(|b| danish_date(b.on)),
        note_timing,
        note_month,
        rule_release,
        remark: area.rule.remark.clone(),
        releases: facts::coming_releases(area, catalogue, f, months)
            .iter()
            .map(|r| plan_release(&r.release, f.due == Some(r.release), r.by_note))
            .collect(),
    }
}

/// The next `months` releases from the facts' day, in general and per area as the facts have
/// them (the release due today first until it is recorded; a note's own timing; nothing for
/// an area that is down).
pub fn release_plan(catalogue: &Catalogue, facts: &CatalogueFacts, months: u32) -> PlanView {
    // Today's release first while nothing of it is recorded ("i dag"); once it is, the next.
    let pending_today = facts
        .today_release
        .as_ref()
        .filter(|g| g.recorded == Recorded::None);
    let first = pending_today.map_or(facts.next.release.release_month, |g| {
        g.release.release_month
    });
    let general = (0..i64::from(months))
        .map(|k| facts::general_release(catalogue, first.plus(k)).release)
        .map(|r| plan_release(&r, pending_today.is_some_and(|g| g.release == r), false))
        .collect();
    PlanView {
        today: danish_date(facts.today),
        months,
        general,
        areas: catalogue
            .areas
            .iter()
            .filter_map(|a| {
                facts
                    .area(a.id)
                    .map(|f| plan_area(a, catalogue, f, facts.today, months))
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::catalogue::default_catalogue;
    use crate::core::facts::catalogue_facts;
    use crate::core::facts::moments::moment;

    fn area<'a>(plan: &'a PlanView, name: &str) -> &'a PlanArea {
        plan.areas.iter().find(|a| a.name == name).unwrap()
    }

    #[test]
    fn plan_lists_each_area_with_its_own_months() {
        let c = default_catalogue();
        let plan = release_plan(c, &catalogue_facts(c, "2026-11-27".parse().unwrap()), 2);
        assert_eq!(plan.general.len(), 2);
        assert_eq!(plan.general[0].when, "ca. 10. december 2026");
        assert_eq!(
            plan.general[0].dap.as_deref(),
            Some("11.–12. december 2026")
        );
        let dream = area(&plan, "DREAM");
        assert_eq!(dream.releases[0].when, "ca. 20.–27. december 2026");
        assert_eq!(dream.releases[0].carries, "september 2026");
        assert_eq!(dream.delay_months, 3, "FLIS: 3 måneders forsinkelse");
        assert_eq!(
            area(&plan, "Borger").delay_months,
            1,
            "én måneds forsinkelse"
        );
        let ukraine = area(&plan, "Ukraine-kuben");
        assert!(ukraine.releases.is_empty() && ukraine.cadence == "daily");
        let dfdg = area(&plan, "DFDG");
        assert!(dfdg.down && dfdg.releases.is_empty());
    }

    #[test]
    fn the_plan_follows_the_facts_at_the_moments() {
        // The 10th before the release is recorded: today's release first, "i dag".
        let m = moment("the 10th, before the release is recorded");
        let plan = release_plan(&m.catalogue, &m.facts(), 2);
        assert!(plan.general[0].today);
        assert!(area(&plan, "KY").releases[0].today);
        assert_eq!(area(&plan, "KY").behind_months, 0, "due, not behind");
        // Recorded: the next month's.
        let m = moment("the 10th, after the release is recorded");
        let plan = release_plan(&m.catalogue, &m.facts(), 2);
        assert_eq!(plan.general[0].when, "ca. 10. november 2025");
        assert!(!area(&plan, "KY").releases[0].today);
        // KRL excepted: behind, and its note gives no date (the rules alone are named).
        let m = moment("the 10th, after a release with KRL excepted");
        let plan = release_plan(&m.catalogue, &m.facts(), 2);
        let krl = area(&plan, "KRL Personale");
        assert_eq!((krl.behind_months, krl.note_timing), (2, Some("asap")));
        assert!(krl.releases.is_empty());
        assert_eq!(
            krl.rule_release.as_ref().map(|r| r.carries.as_str()),
            Some("juli 2025")
        );
        // A stale catalogue: behind on the status's own day.
        let m = moment("a stale catalogue in March 2026");
        let plan = release_plan(&m.catalogue, &m.facts(), 1);
        let krl = area(&plan, "KRL Personale");
        assert_eq!(krl.behind_on.as_deref(), Some("10. september 2025"));
        // A note naming a later release: that release and the note's month.
        let m = moment("a note naming a later release");
        let plan = release_plan(&m.catalogue, &m.facts(), 2);
        let krl = area(&plan, "KRL Personale");
        assert_eq!(
            (
                krl.releases[0].when.as_str(),
                krl.releases[0].carries.as_str(),
                krl.releases[0].by_note
            ),
            ("ca. 10. december 2025", "juli 2025", true)
        );
    }

    #[test]
    fn the_plan_says_flis_own_delay_words() {
        let c = default_catalogue();
        let plan = release_plan(c, &catalogue_facts(c, "2025-09-20".parse().unwrap()), 1);
        let text = crate::core::render::render_template("calendar.md", &plan);
        for needle in [
            "Borger (én måneds forsinkelse)",
            "DREAM (3 måneders forsinkelse, 2–3 uger før)",
            "DFDG (én måneds forsinkelse) – NEDE",
            "data for maj 2025 kommer snarest muligt",
        ] {
            assert!(text.contains(needle), "{needle}: {text}");
        }
        assert!(!text.contains("mdr."), "{text}");
    }
}
