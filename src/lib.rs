//! flisbot: answers FLIS data status questions in Danish.
//!
//! The core (`understand`, `answer`, `calendar`, `render`) is pure and knows nothing of Discord;
//! the store, the CLI and (later) the Discord adapter sit around it. See ARCHITECTURE.md.

pub mod announce;
pub mod answer;
pub mod authorisation;
pub mod calendar;
pub mod catalogue;
pub mod chat_layout;
pub mod cli;
pub mod clock;
pub mod config;
pub mod control;
pub mod danish_time;
pub mod discord;
pub mod error;
pub mod operations;
pub mod release_plan;
pub mod render;
pub mod reply;
pub mod store;
pub mod understand;
pub mod year_month;
