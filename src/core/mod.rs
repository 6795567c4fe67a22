//! The pure core: question text, the catalogue and "now" in, a reply value out. Nothing here
//! touches the store, the clock, the network, tokio or a chat platform (a test in tests/cli
//! reads every path used here to keep it so); time arrives as an argument.

pub mod announce;
pub mod answer;
pub mod calendar;
pub mod catalogue;
pub mod danish_time;
pub mod facts;
pub mod history;
pub mod import_status;
pub mod notify;
pub mod query;
pub mod reply;
pub mod text;
pub mod understand;
pub mod webhook;
pub mod year_month;
