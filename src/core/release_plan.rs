//! The coming releases of every area, for operators checking the rules at a glance
//! (`flisbot calendar`). Pure, like the rest of the core.

use chrono::NaiveDate;
use serde::Serialize;

use crate::core::calendar::{self, Release};
use crate::core::catalogue::{Cadence, Catalogue, State};
use crate::core::danish_time::{danish_date, dap_when, release_when};

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
    pub lag: u32,
    pub early: bool,
    pub down: bool,
    pub remark: Option<String>,
    pub releases: Vec<PlanRelease>,
}

#[derive(Debug, Serialize)]
pub struct PlanRelease {
    pub when: String,
    pub carries: String,
    pub dap: Option<String>,
}

fn plan_release(r: &Release) -> PlanRelease {
    PlanRelease {
        when: release_when(r),
        carries: r.carries.danish(),
        dap: dap_when(r),
    }
}

/// The next `months` monthly releases from `today`, in general and per area.
pub fn release_plan(catalogue: &Catalogue, today: NaiveDate, months: u32) -> PlanView {
    let general = calendar::upcoming(&calendar::standard_rule(), today, months);
    PlanView {
        today: danish_date(today),
        months,
        general: general.iter().map(plan_release).collect(),
        areas: catalogue
            .areas
            .iter()
            .map(|a| PlanArea {
                name: a.name.clone(),
                cadence: a.rule.cadence.as_str(),
                lag: a.rule.lag,
                early: a.rule.early.is_some(),
                down: a.state == State::Down,
                remark: a.rule.remark.clone(),
                releases: if a.rule.cadence == Cadence::Monthly {
                    calendar::upcoming(&a.rule, today, months)
                        .iter()
                        .map(plan_release)
                        .collect()
                } else {
                    Vec::new()
                },
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::catalogue::default_catalogue;

    #[test]
    fn plan_lists_each_area_with_its_own_months() {
        let plan = release_plan(default_catalogue(), "2026-11-27".parse().unwrap(), 2);
        assert_eq!(plan.general.len(), 2);
        assert_eq!(plan.general[0].when, "ca. 10. december 2026");
        assert_eq!(
            plan.general[0].dap.as_deref(),
            Some("11.–12. december 2026")
        );
        let dream = plan.areas.iter().find(|a| a.name == "DREAM").unwrap();
        assert_eq!(dream.releases[0].when, "ca. 20.–27. december 2026");
        assert_eq!(dream.releases[0].carries, "september 2026");
        let ukraine = plan
            .areas
            .iter()
            .find(|a| a.name == "Ukraine-kuben")
            .unwrap();
        assert!(ukraine.releases.is_empty() && ukraine.cadence == "daily");
        assert!(plan.areas.iter().find(|a| a.name == "DFDG").unwrap().down);
    }
}
