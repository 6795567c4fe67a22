//! The status catalogue: every FLIS data area with its recorded status and release rule.
//! Plain data, no storage and no I/O; `store` persists it, `answer` reads it.

mod author;
mod default;
mod model;

pub use author::{Author, UNNAMED};
pub use default::default_catalogue;
pub use model::{
    Area, AreaId, Cadence, Catalogue, CatalogueGap, ChangeStamp, EarlyWindow, Group, ReleaseRule,
    State,
};
