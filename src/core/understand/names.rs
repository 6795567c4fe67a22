//! One name as a user types it in an address or a filter ("Økonomi", "okonomi", "Social og
//! sundhed"), read the way the parser reads area and group names in questions: the lexicon's
//! names and aliases, folded, with its typo tolerance. No second alias table.

use super::parser::Parser;
use crate::core::catalogue::{AreaId, Group};

impl Parser {
    /// The one area `text` names, if it names exactly one: its id, name or an alias, as a
    /// question would name it.
    pub fn area_named(&self, text: &str) -> Option<AreaId> {
        let areas = self
            .exact_areas(text)
            .unwrap_or_else(|| self.parse(text).areas);
        match areas[..] {
            [one] => Some(one),
            _ => None,
        }
    }

    /// The group `text` names: a name or alias that stands for exactly that group's areas.
    pub fn group_named(&self, text: &str) -> Option<Group> {
        let mut areas = self
            .exact_areas(text)
            .unwrap_or_else(|| self.parse(text).areas);
        areas.sort();
        self.groups().iter().find_map(|(g, members)| {
            let mut members = members.to_vec();
            members.sort();
            (!members.is_empty() && members == areas).then_some(*g)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::default_parser;
    use super::*;

    #[test]
    fn names_a_user_types_resolve_to_one_area_or_group() {
        let p = default_parser();
        for (typed, want) in [
            ("Økonomi", Some(AreaId::Oekonomi)),
            ("okonomi", Some(AreaId::Oekonomi)),
            ("oekonomi", Some(AreaId::Oekonomi)),
            ("KRL Personale", Some(AreaId::Krl)),
            ("Borger Flex", Some(AreaId::BorgerFlex)),
            ("Udsatte børn og unge", Some(AreaId::Udsatte)),
            ("fs3", Some(AreaId::Fsiii)),
            ("star", None),
            ("sport", None),
            ("", None),
        ] {
            assert_eq!(p.area_named(typed), want, "{typed}");
        }
        for (typed, want) in [
            ("Social og sundhed", Some(Group::SocialSundhed)),
            ("social_sundhed", Some(Group::SocialSundhed)),
            ("beskæftigelse", Some(Group::Beskaeftigelse)),
            ("Skole/Dagtilbud", Some(Group::SkoleDagtilbud)),
            ("tværgående", Some(Group::Tvaergaaende)),
            ("skole", None),
            ("sport", None),
        ] {
            assert_eq!(p.group_named(typed), want, "{typed}");
        }
    }
}
