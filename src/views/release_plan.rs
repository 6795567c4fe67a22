//! The coming release days, for operators checking the rules at a glance (`flisbot
//! calendar`): a row per release day (the 10th with every area it brings, an early window,
//! the DAP cubes) as the area facts' release days have them, the areas without a date and why,
//! the areas behind, and FLIS' delays in its own words. Pure, like the rest of the core.

use serde::Serialize;

use super::danish::release_when;
use super::danish::{danish_date, Danish};
use super::kalender::{day_view, no_date, DayView, NoDateView};
use crate::core::calendar;
use crate::core::catalogue::{Area, Catalogue};
use crate::core::facts::{self, AreaFacts, CatalogueFacts, Next, NoDate, Recorded};

#[derive(Debug, Serialize)]
pub struct PlanView {
    pub today: String,
    pub months: u32,
    /// The release days from today through the DAP cubes of the `months`th monthly release.
    pub days: Vec<DayView>,
    /// Areas without a date, and why (with what the rules alone would say for a note).
    pub no_date: Vec<PlanNoDate>,
    /// Areas behind, most months first.
    pub behind: Vec<PlanBehind>,
    /// Monthly areas by FLIS' delay and early window, the usual delay first.
    pub delays: Vec<PlanDelay>,
    /// Remarks on the rules (STIL-data yearly).
    pub remarks: Vec<PlanRemark>,
}

#[derive(Debug, Serialize)]
pub struct PlanNoDate {
    #[serde(flatten)]
    pub area: NoDateView,
    /// What the rules alone would give next, where the note gives no date: "ca. 10. oktober
    /// 2025" and its t.o.m.
    pub rule_when: Option<String>,
    pub rule_carries: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct PlanBehind {
    pub name: String,
    pub months: u32,
    /// The day it is judged on, where that is not today (a stale status's own day).
    pub on: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct PlanDelay {
    /// FLIS' own delay: "én måneds forsinkelse" (the rule's lag − 1).
    pub delay_months: u32,
    pub early: bool,
    pub names: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct PlanRemark {
    pub name: String,
    pub remark: String,
}

fn plan_no_date(catalogue: &Catalogue, f: &AreaFacts) -> Option<PlanNoDate> {
    let area = no_date(catalogue, f)?;
    let rule = match f.next {
        Next::None {
            why: NoDate::Note { rule, .. },
        } => rule,
        _ => None,
    };
    Some(PlanNoDate {
        area,
        rule_when: rule.as_ref().map(release_when),
        rule_carries: rule.map(|r| r.carries.danish()),
    })
}

fn delays(catalogue: &Catalogue) -> Vec<PlanDelay> {
    let mut out: Vec<PlanDelay> = Vec::new();
    let monthly = |a: &&Area| a.rule.cadence == crate::core::catalogue::Cadence::Monthly;
    for a in catalogue.areas.iter().filter(monthly) {
        let (delay_months, early) = (facts::flis_delay_months(&a.rule), a.rule.early.is_some());
        match out
            .iter_mut()
            .find(|d| d.delay_months == delay_months && d.early == early)
        {
            Some(d) => d.names.push(a.name.clone()),
            None => out.push(PlanDelay {
                delay_months,
                early,
                names: vec![a.name.clone()],
            }),
        }
    }
    out.sort_by_key(|d| std::cmp::Reverse(d.names.len()));
    out
}

/// The release days of the next `months` monthly releases from the facts' day (today's first
/// while nothing of it is recorded), the areas without a date, behind, and the rules' delays.
pub fn release_plan(catalogue: &Catalogue, facts: &CatalogueFacts, months: u32) -> PlanView {
    let today = facts.today;
    // Today's release first while nothing of it is recorded ("i dag"); once it is, the next.
    let pending_today = facts
        .today_release
        .as_ref()
        .filter(|g| g.recorded == Recorded::None);
    let first = pending_today.map_or(facts.next.release.release_month, |g| {
        g.release.release_month
    });
    let last = calendar::general_release(first.plus(i64::from(months.max(1)) - 1));
    let (_, to) = calendar::dap_window(&last);
    let days = facts::release_days(catalogue, facts, |_| true, today, to)
        .iter()
        .filter(|d| !d.is_past(today))
        .map(|d| day_view(catalogue, d, today))
        .collect();
    let mut behind: Vec<(u32, PlanBehind)> = facts
        .problems()
        .into_iter()
        .filter_map(|f| {
            let b = f.behind?;
            let name = catalogue.area(f.id)?.name.clone();
            Some((
                b.months,
                PlanBehind {
                    name,
                    months: b.months,
                    on: (b.on != today).then(|| danish_date(b.on)),
                },
            ))
        })
        .collect();
    behind.sort_by_key(|(m, _)| std::cmp::Reverse(*m));
    PlanView {
        today: danish_date(today),
        months,
        days,
        no_date: facts
            .areas
            .iter()
            .filter_map(|f| plan_no_date(catalogue, f))
            .collect(),
        behind: behind.into_iter().map(|(_, b)| b).collect(),
        delays: delays(catalogue),
        remarks: catalogue
            .areas
            .iter()
            .filter_map(|a| {
                a.rule.remark.as_ref().map(|r| PlanRemark {
                    name: a.name.clone(),
                    remark: r.clone(),
                })
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
    use crate::views::render::{render_template, Template};

    fn plan_at(day: &str, months: u32) -> PlanView {
        let c = default_catalogue();
        release_plan(c, &catalogue_facts(c, day.parse().unwrap()), months)
    }

    #[test]
    fn the_plan_is_a_row_per_release_day_with_what_it_brings() {
        let plan = plan_at("2026-11-27", 2);
        let kinds: Vec<(&str, &str)> = plan
            .days
            .iter()
            .map(|d| (d.kind, d.when.as_str()))
            .collect();
        assert_eq!(
            kinds,
            [
                ("release", "10. december 2026"),
                ("dap", "11.–12. december 2026"),
                ("early", "20.–27. december 2026"),
                ("release", "10. januar 2027"),
                ("dap", "11.–12. januar 2027"),
            ]
        );
        let dec = &plan.days[0];
        assert_eq!(
            (dec.groups[0].month.as_str(), dec.count),
            ("oktober 2026", 12)
        );
        let why: Vec<(&str, &str)> = plan
            .no_date
            .iter()
            .map(|n| (n.area.name.as_str(), n.area.why))
            .collect();
        assert!(why.contains(&("DFDG", "down")) && why.contains(&("Ukraine-kuben", "daily")));
        let text = render_template(Template::Calendar, &plan);
        assert!(
            text.lines().count() < 40,
            "a row a day, not a row per area and month:\n{text}"
        );
        for needle in [
            "**torsdag 10. december 2026** – datapakker",
            "**20.–27. december 2026** – tidlig udlæsning",
            "data t.o.m. oktober 2026: Borger, Økonomi,",
            "DAP-kuber",
            "tidlig udlæsning",
            "Ældre og DFDG: nede",
            "Ukraine-kuben: opdateres hver nat",
        ] {
            assert!(text.contains(needle), "{needle}: {text}");
        }
    }

    #[test]
    fn the_plan_follows_the_facts_at_the_moments() {
        // The 10th before the release is recorded: today's release first, "i dag".
        let m = moment("the 10th, before the release is recorded");
        let plan = release_plan(&m.catalogue, &m.facts(), 2);
        assert_eq!(
            (plan.days[0].when.as_str(), plan.days[0].status),
            ("10. oktober 2025", "due_today")
        );
        assert!(
            plan.behind.iter().all(|b| b.name != "KY"),
            "due, not behind"
        );
        // Recorded: today's day says so, the next release follows.
        let m = moment("the 10th, after the release is recorded");
        let plan = release_plan(&m.catalogue, &m.facts(), 2);
        assert_eq!(plan.days[0].status, "recorded");
        assert!(plan.days.iter().any(|d| d.when == "10. november 2025"));
        // KRL excepted: behind, and its note gives no date (the rules alone are named).
        let m = moment("the 10th, after a release with KRL excepted");
        let plan = release_plan(&m.catalogue, &m.facts(), 2);
        let krl = plan.no_date.iter().find(|n| n.area.id == "krl").unwrap();
        assert_eq!(
            (krl.area.why, krl.rule_carries.as_deref()),
            ("note_asap", Some("juli 2025"))
        );
        assert_eq!(plan.behind[0].name, "KRL Personale");
        assert_eq!(plan.behind[0].months, 2);
        assert_eq!(plan.days[0].status, "partly");
        // A stale catalogue: behind on the status's own day.
        let m = moment("a stale catalogue in March 2026");
        let plan = release_plan(&m.catalogue, &m.facts(), 1);
        let krl = plan
            .behind
            .iter()
            .find(|b| b.name == "KRL Personale")
            .unwrap();
        assert_eq!(krl.on.as_deref(), Some("10. september 2025"));
        // A note naming a later release: that release and the note's month.
        let m = moment("a note naming a later release");
        let plan = release_plan(&m.catalogue, &m.facts(), 2);
        let dec = plan
            .days
            .iter()
            .find(|d| d.when == "10. december 2025")
            .unwrap();
        let krl = dec
            .groups
            .iter()
            .find(|g| g.names.iter().any(|n| n.id == "krl"))
            .unwrap();
        assert_eq!(krl.month, "juli 2025");
        assert!(krl.names.iter().any(|n| n.id == "krl" && n.by_note));
    }

    #[test]
    fn the_plan_says_flis_own_delay_words() {
        let plan = plan_at("2025-09-20", 1);
        let text = render_template(Template::Calendar, &plan);
        for needle in [
            "én måneds forsinkelse: Borger,",
            "3 måneders forsinkelse: KRL Personale",
            "3 måneders forsinkelse, 2–3 uger før de øvrige: DREAM",
            "data for maj 2025 kommer snarest muligt",
            "STIL-data opdateres årligt",
        ] {
            assert!(text.contains(needle), "{needle}: {text}");
        }
        assert!(!text.contains("mdr."), "{text}");
    }
}
