use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::author::Author;
use crate::core::year_month::YearMonth;

/// `a == b` for strings, in a const context.
const fn const_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

macro_rules! area_ids {
    ($($variant:ident = $id:literal),+ $(,)?) => {
        /// The canonical area ids of the spec. They are fixed: the parser, the store keys and the
        /// `flisbot parse` contract all use them.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        pub enum AreaId {
            $(#[serde(rename = $id)] $variant,)+
        }

        impl AreaId {
            pub const ALL: &'static [AreaId] = &[$(AreaId::$variant,)+];

            pub fn as_str(self) -> &'static str {
                match self {
                    $(AreaId::$variant => $id,)+
                }
            }

            /// The area of a canonical id, also in a const context (the parser's tables).
            pub const fn from_id(id: &str) -> Option<AreaId> {
                $(if const_eq(id, $id) {
                    return Some(AreaId::$variant);
                })+
                None
            }
        }

        impl FromStr for AreaId {
            type Err = ();

            fn from_str(s: &str) -> Result<Self, ()> {
                match s {
                    $($id => Ok(AreaId::$variant),)+
                    _ => Err(()),
                }
            }
        }
    };
}

area_ids! {
    Borger = "borger",
    Oekonomi = "oekonomi",
    Personale = "personale",
    Krl = "krl",
    Noegletal = "noegletal",
    BorgerFlex = "borgerflex",
    Ukraine = "ukraine",
    Skole = "skole",
    Dagtilbud = "dagtilbud",
    Aula = "aula",
    Fsiii = "fsiii",
    Udsatte = "udsatte",
    Vh = "vh",
    Aeldre = "aeldre",
    Ky = "ky",
    Kp = "kp",
    Dfdg = "dfdg",
    Dream = "dream",
    Yr = "yr",
}

impl fmt::Display for AreaId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The four groups of the FLIS overview.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Group {
    Tvaergaaende,
    SkoleDagtilbud,
    SocialSundhed,
    Beskaeftigelse,
}

impl Group {
    pub const ALL: [Group; 4] = [
        Group::Tvaergaaende,
        Group::SkoleDagtilbud,
        Group::SocialSundhed,
        Group::Beskaeftigelse,
    ];

    /// The group of its id as files write it ("skole_dagtilbud"), also in a const context.
    pub const fn from_id(id: &str) -> Option<Group> {
        let mut i = 0;
        while i < Group::ALL.len() {
            if const_eq(id, Group::ALL[i].id()) {
                return Some(Group::ALL[i]);
            }
            i += 1;
        }
        None
    }

    /// Its id as files write it.
    pub const fn id(self) -> &'static str {
        match self {
            Group::Tvaergaaende => "tvaergaaende",
            Group::SkoleDagtilbud => "skole_dagtilbud",
            Group::SocialSundhed => "social_sundhed",
            Group::Beskaeftigelse => "beskaeftigelse",
        }
    }

    /// Its name as FLIS writes it ("Skole/Dagtilbud"): domain, as what a status document's group
    /// heading and a typed topic are matched against; `views::danish` writes it.
    pub fn flis_name(self) -> &'static str {
        match self {
            Group::Tvaergaaende => "Tværgående",
            Group::SkoleDagtilbud => "Skole/Dagtilbud",
            Group::SocialSundhed => "Social/Sundhed",
            Group::Beskaeftigelse => "Beskæftigelse",
        }
    }
}

/// Drift state that goes with the drift note.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    /// Running to plan.
    Ok,
    /// Works, with caveats.
    Disturbed,
    /// No data to be had.
    Down,
}

impl State {
    /// Every state, from running to plan to down.
    pub const ALL: [State; 3] = [State::Ok, State::Disturbed, State::Down];

    pub fn as_str(self) -> &'static str {
        match self {
            State::Ok => "ok",
            State::Disturbed => "disturbed",
            State::Down => "down",
        }
    }
}

impl FromStr for State {
    type Err = ();

    fn from_str(s: &str) -> Result<Self, ()> {
        match s.trim().to_lowercase().as_str() {
            "ok" => Ok(State::Ok),
            "disturbed" => Ok(State::Disturbed),
            "down" => Ok(State::Down),
            _ => Err(()),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Cadence {
    Monthly,
    Yearly,
    Daily,
}

impl Cadence {
    pub fn as_str(self) -> &'static str {
        match self {
            Cadence::Monthly => "monthly",
            Cadence::Yearly => "yearly",
            Cadence::Daily => "daily",
        }
    }
}

impl FromStr for Cadence {
    type Err = ();

    fn from_str(s: &str) -> Result<Self, ()> {
        match s.trim().to_lowercase().as_str() {
            "monthly" => Ok(Cadence::Monthly),
            "yearly" => Ok(Cadence::Yearly),
            "daily" => Ok(Cadence::Daily),
            _ => Err(()),
        }
    }
}

/// An early release: the window `from_days`..`to_days` days before the 10th of the monthly
/// release it belongs to (DREAM and Borger Flex: 21 to 14 days, "2–3 uger før").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct EarlyWindow {
    pub from_days: u32,
    pub to_days: u32,
}

/// How an area is released, read from the seed's prose (see the spec).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReleaseRule {
    pub cadence: Cadence,
    /// The release in month M carries data t.o.m. M − lag.
    #[serde(default)]
    pub lag: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub early: Option<EarlyWindow>,
    /// A part of the area on another cadence, said in the reply (STIL-data in Skole is yearly).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remark: Option<String>,
}

/// Who last changed an area and when.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChangeStamp {
    pub by: Author,
    pub at: DateTime<Utc>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Area {
    pub id: AreaId,
    pub name: String,
    pub group: Group,
    /// As the overview words it ("Månedligt", "Månedligt/årligt").
    pub frequency: String,
    /// Data t.o.m.; `None` where the overview has "-" or nothing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub through: Option<YearMonth>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    pub state: State,
    /// The drift note, word for word.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The day this area's status was confirmed ("pr."): the date of the status document that
    /// listed it, or the day an operator set it. Read it through `facts::status_date`; `None`
    /// only in values written before areas had their own date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_date: Option<NaiveDate>,
    pub rule: ReleaseRule,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub changed: Option<ChangeStamp>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Catalogue {
    /// The day the recorded status was true ("pr. 10/9-25").
    pub as_of: NaiveDate,
    pub areas: Vec<Area>,
}

impl Catalogue {
    pub fn area(&self, id: AreaId) -> Option<&Area> {
        self.areas.iter().find(|a| a.id == id)
    }

    pub fn area_mut(&mut self, id: AreaId) -> Option<&mut Area> {
        self.areas.iter_mut().find(|a| a.id == id)
    }

    pub fn group_members(&self, group: Group) -> impl Iterator<Item = AreaId> + '_ {
        self.areas
            .iter()
            .filter(move |a| a.group == group)
            .map(|a| a.id)
    }

    /// Checks what serde cannot: each canonical id exactly once, in any order.
    pub fn validate(&self) -> Result<(), CatalogueGap> {
        for id in AreaId::ALL {
            let n = self.areas.iter().filter(|a| a.id == *id).count();
            match n {
                1 => {}
                0 => return Err(CatalogueGap::Missing(*id)),
                _ => return Err(CatalogueGap::Repeated(*id, n)),
            }
        }
        Ok(())
    }
}

/// Why a catalogue is not whole (worded by `views::errors`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CatalogueGap {
    /// An area is not in it.
    Missing(AreaId),
    /// An area is in it this many times.
    Repeated(AreaId, usize),
}
