//! The table of moments every surface is tested at (compiled for tests only): the catalogue
//! as operators would have left it, and the instant. Surfaces' table tests and the test that
//! they agree with the facts (`agreement`) read the same table.

use chrono::{DateTime, NaiveDate, Utc};

use crate::core::catalogue::{default_catalogue, AreaId, Catalogue, ChangeStamp, State};
use crate::core::danish_time::danish_today;
use crate::core::facts::{area_release, catalogue_facts, CatalogueFacts};
use crate::core::year_month::YearMonth;

/// An instant written as RFC 3339.
pub fn instant(rfc3339: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(rfc3339)
        .unwrap_or_else(|e| panic!("{rfc3339}: {e}"))
        .with_timezone(&Utc)
}

fn month(s: &str) -> YearMonth {
    s.parse().unwrap_or_else(|e| panic!("{s}: {e:?}"))
}

/// A catalogue at an instant.
#[derive(Clone, Debug)]
pub struct Moment {
    pub name: &'static str,
    pub catalogue: Catalogue,
    pub now: DateTime<Utc>,
}

impl Moment {
    pub fn today(&self) -> NaiveDate {
        danish_today(self.now)
    }

    pub fn facts(&self) -> CatalogueFacts {
        catalogue_facts(&self.catalogue, self.today())
    }
}

/// `catalogue` after operators recorded release month `release` at `at` (as `admin release
/// --except …` does: every area not excepted gets its release of that month as the facts give
/// it, stamped with the change), except the areas named.
pub fn recorded(catalogue: &Catalogue, release: &str, except: &[AreaId], at: &str) -> Catalogue {
    let mut after = catalogue.clone();
    let stamp = ChangeStamp {
        by: crate::core::catalogue::Author::named("Drift"),
        at: instant(at),
    };
    for area in after.areas.iter_mut().filter(|a| !except.contains(&a.id)) {
        let Some(r) = area_release(area, catalogue, month(release)) else {
            continue;
        };
        if !r.recorded {
            area.through = Some(r.release.carries);
            area.status_date = Some(danish_today(stamp.at));
            area.changed = Some(stamp.clone());
        }
    }
    after
}

/// The seed catalogue read as FLIS' November status: the October and November releases recorded
/// for all but KRL, whose note names a later release for its July data.
pub fn november_status() -> Catalogue {
    let seed = default_catalogue();
    let oct = recorded(seed, "2025-10", &[AreaId::Krl], "2025-10-10T09:30:00+02:00");
    let mut c = recorded(&oct, "2025-11", &[AreaId::Krl], "2025-11-10T09:30:00+01:00");
    c.as_of = "2025-11-10".parse().unwrap_or(c.as_of);
    for a in &mut c.areas {
        a.status_date = Some(c.as_of);
    }
    if let Some(krl) = c.area_mut(AreaId::Krl) {
        krl.through = Some(month("2025-06"));
        krl.state = State::Disturbed;
        krl.note = Some(
            "Grundet et større implementeringsarbejde hos KRL mangler der data. Data for juli \
             forventes med udgivelsen i december."
                .into(),
        );
    }
    c
}

/// FLIS' status overview of 10 November 2025 as `pdftotext` gives it (the tests' fixture).
const NOVEMBER_DOCUMENT: &str =
    include_str!("../../../tests/fixtures/statusoversigt-2025-11-10.txt");

/// The seed catalogue after FLIS' November status document (`tests/fixtures/`) was imported on
/// 12 November 2025, as `admin import-status` does: every area it lists takes its row, the
/// state its note says and the document's date; Borger Flex and the Ukraine cube, which it does
/// not list, keep their own (September) status.
pub fn november_document() -> Catalogue {
    let seed = default_catalogue();
    let document = crate::core::import_status::parse(NOVEMBER_DOCUMENT, seed)
        .unwrap_or_else(|e| panic!("the November document: {e}"));
    let stamp = ChangeStamp {
        by: crate::core::catalogue::Author::named("Drift"),
        at: instant("2025-11-12T10:00:00+01:00"),
    };
    let mut c = seed.clone();
    for area in &mut c.areas {
        if let Some(row) = document.rows.get(&area.id) {
            let state = crate::core::import_status::infer_state(row.note.as_deref());
            *area = row.applied_to(area, state);
            area.status_date = Some(document.as_of);
            area.changed = Some(stamp.clone());
        }
    }
    c.as_of = document.as_of;
    c
}

/// `catalogue` with KRL's drift note naming a later release for its data ("Data for juli
/// forventes med udgivelsen i december"), KRL running t.o.m. juni.
fn krl_named_later(catalogue: &Catalogue) -> Catalogue {
    let mut c = catalogue.clone();
    if let Some(krl) = c.area_mut(AreaId::Krl) {
        krl.through = Some(month("2025-06"));
        krl.state = State::Disturbed;
        krl.note = Some("Data for juli forventes med udgivelsen i december.".into());
    }
    c
}

/// The moments: mid-month, inside DREAM's early window, the 10th before and after the release
/// is recorded, after a partial release with KRL excepted (the 10th and the 11th), the 11th and
/// 12th (DAP cubes), the 11th with nothing recorded, Christmas Eve (a holiday inside DREAM's
/// January window), a stale catalogue in March 2026, a note naming a later release after a
/// November status (mid-month, and on the 10th before the release it skips is recorded), and
/// after the November status document imported (mid-month, a few areas stale on their own; and
/// on the next release day).
pub fn moments() -> Vec<Moment> {
    let seed = default_catalogue().clone();
    let october = recorded(&seed, "2025-10", &[], "2025-10-10T09:30:00+02:00");
    let without_krl = recorded(
        &seed,
        "2025-10",
        &[AreaId::Krl],
        "2025-10-10T09:30:00+02:00",
    );
    let december = recorded(&seed, "2025-12", &[], "2025-12-10T09:30:00+01:00");
    let m = |name, catalogue: &Catalogue, now| Moment {
        name,
        catalogue: catalogue.clone(),
        now: instant(now),
    };
    vec![
        m("mid-month", &seed, "2025-09-20T12:00:00+02:00"),
        m(
            "inside DREAM's early window",
            &seed,
            "2025-09-22T09:00:00+02:00",
        ),
        m(
            "the 10th, before the release is recorded",
            &seed,
            "2025-10-10T08:00:00+02:00",
        ),
        m(
            "the 10th, after the release is recorded",
            &october,
            "2025-10-10T14:00:00+02:00",
        ),
        m(
            "the 10th, after a release with KRL excepted",
            &without_krl,
            "2025-10-10T14:00:00+02:00",
        ),
        m("the 11th", &october, "2025-10-11T10:00:00+02:00"),
        m("the 12th", &october, "2025-10-12T14:00:00+02:00"),
        m(
            "the 11th, nothing recorded",
            &seed,
            "2025-10-11T10:00:00+02:00",
        ),
        m("Christmas Eve", &december, "2025-12-24T10:00:00+01:00"),
        m(
            "a stale catalogue in March 2026",
            &seed,
            "2026-03-15T12:00:00+01:00",
        ),
        m(
            "a note naming a later release",
            &november_status(),
            "2025-11-20T12:00:00+01:00",
        ),
        m(
            "the 11th, after a release with KRL excepted",
            &without_krl,
            "2025-10-11T10:00:00+02:00",
        ),
        m(
            "the 10th, a note naming a later release, nothing recorded",
            &krl_named_later(&october),
            "2025-11-10T08:00:00+01:00",
        ),
        m(
            "after the November status document",
            &november_document(),
            "2025-11-20T12:00:00+01:00",
        ),
        m(
            "the 10th after the November status document, nothing recorded",
            &november_document(),
            "2025-12-10T08:00:00+01:00",
        ),
    ]
}

/// The moment named `name`.
pub fn moment(name: &str) -> Moment {
    moments()
        .into_iter()
        .find(|m| m.name == name)
        .unwrap_or_else(|| panic!("no moment {name}"))
}
