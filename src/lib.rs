//! flisbot: answers FLIS data status questions in Danish.
//!
//! `core` is pure and knows nothing of Discord, the store or the clock; `store` keeps the
//! catalogue in sled; `operations` is the one path by which operators change it; `cli` and
//! `discord` are thin adapters over them. See ARCHITECTURE.md.

pub(crate) mod backoff;
pub(crate) mod blocking;
pub mod cli;
pub mod clock;
pub mod config;
pub mod core;
pub mod discord;
pub mod error;
pub mod metrics;
pub mod operations;
pub mod shutdown;
pub mod store;
#[cfg(test)]
mod test_support;
pub mod views;
pub mod web;
pub mod webhooks;
