//! The views: the domain's values (replies, area facts, history, the catalogue) turned into what
//! a reader sees: Danish text from the templates in `responses/`, chat messages within Discord's
//! limits, HTML pages, the iCalendar and Atom feeds and the JSON feed. Pure like the core (no
//! I/O, no clock); the core never names them.

#[cfg(test)]
mod agreement;
pub mod announce;
pub mod atom;
pub mod chat_layout;
pub mod danish;
pub mod errors;
pub mod history;
pub mod ical;
pub mod import_status;
pub mod kalender;
pub mod notice;
pub mod release_plan;
pub mod render;
pub mod status_feed;
pub mod web_page;
