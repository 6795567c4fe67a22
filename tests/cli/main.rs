//! End-to-end tests of the real `flisbot` binary. One test binary with a module per command
//! group keeps link time down.

mod admin;
mod announce;
mod ask;
mod calendar;
mod console;
mod control;
mod import_status;
mod layering;
mod logging;
mod parse;
mod readme;
mod source;
#[path = "../support/mod.rs"]
mod support;
mod terminal;
mod web;
mod web_pages;
mod webhooks;
mod wording;
