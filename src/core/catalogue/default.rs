use std::sync::OnceLock;

use super::model::Catalogue;

/// The default catalogue file, embedded so the binary runs from any directory.
pub const DEFAULT_CATALOGUE_TOML: &str = include_str!("../../../data/catalogue.toml");

/// The default catalogue, parsed once per process. A broken embedded file is a build defect that
/// the unit tests catch, so reaching the `panic` needs a bad commit, never bad user input.
pub fn default_catalogue() -> &'static Catalogue {
    static CATALOGUE: OnceLock<Catalogue> = OnceLock::new();
    CATALOGUE.get_or_init(|| {
        let mut catalogue: Catalogue = toml::from_str(DEFAULT_CATALOGUE_TOML)
            .unwrap_or_else(|e| panic!("data/catalogue.toml is broken: {e}"));
        // Every area is as of the overview the file was transcribed from.
        for area in &mut catalogue.areas {
            area.status_date.get_or_insert(catalogue.as_of);
        }
        if let Err(e) = catalogue.validate() {
            panic!("data/catalogue.toml is incomplete: {e}");
        }
        catalogue
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::catalogue::{AreaId, Cadence, Group, State};

    #[test]
    fn default_catalogue_has_every_area_of_the_spec_once() {
        let c = default_catalogue();
        assert_eq!(c.areas.len(), AreaId::ALL.len());
        assert_eq!(c.areas.len(), 19);
        c.validate().unwrap();
        assert_eq!(c.as_of.to_string(), "2025-09-10");
    }

    #[test]
    fn table_rows_are_transcribed_as_the_spec_reads_them() {
        let c = default_catalogue();
        let row = |id: AreaId| c.area(id).unwrap();
        let through = |id: AreaId| row(id).through.map(|m| m.to_string());
        assert_eq!(through(AreaId::Borger).as_deref(), Some("2025-07"));
        assert_eq!(through(AreaId::Krl).as_deref(), Some("2025-04"));
        assert_eq!(through(AreaId::Dream).as_deref(), Some("2025-05"));
        assert_eq!(through(AreaId::Dfdg), None);
        assert_eq!(through(AreaId::BorgerFlex), None);
        assert_eq!(row(AreaId::Dfdg).state, State::Down);
        assert_eq!(row(AreaId::Aeldre).state, State::Down);
        for id in [
            AreaId::Oekonomi,
            AreaId::Krl,
            AreaId::Skole,
            AreaId::Fsiii,
            AreaId::Vh,
        ] {
            assert_eq!(row(id).state, State::Disturbed, "{id}");
        }
        assert_eq!(row(AreaId::Ukraine).rule.cadence, Cadence::Daily);
        assert_eq!(row(AreaId::Dream).rule.lag, 4);
        assert_eq!(row(AreaId::Krl).rule.lag, 4);
        assert!(row(AreaId::Dream).rule.early.is_some());
        assert!(row(AreaId::BorgerFlex).rule.early.is_some());
        assert!(row(AreaId::Oekonomi)
            .note
            .as_deref()
            .unwrap()
            .ends_with("ikke retvisende."));
        assert_eq!(
            c.group_members(Group::Beskaeftigelse).collect::<Vec<_>>(),
            [
                AreaId::Ky,
                AreaId::Kp,
                AreaId::Dfdg,
                AreaId::Dream,
                AreaId::Yr
            ]
        );
    }
}
