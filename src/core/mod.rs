//! The pure core: question text, the catalogue and "now" in, a reply value out. Nothing here
//! touches the store, the clock, the network, tokio or a chat platform (a test in tests/cli
//! reads every path used here to keep it so); time arrives as an argument.

pub mod announce;
pub mod answer;
pub mod atom;
pub mod calendar;
pub mod catalogue;
pub mod chat_layout;
pub mod danish_time;
pub mod facts;
pub mod history;
pub mod ical;
pub mod import_status;
pub mod kalender;
pub mod notify;
pub mod query;
pub mod release_plan;
pub mod render;
pub mod reply;
pub mod status_feed;
pub mod text;
pub mod understand;
pub mod web_page;
pub mod webhook;
pub mod year_month;
