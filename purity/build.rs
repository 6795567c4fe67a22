//! The parser's tables, laid out by the flisbot package's build script from its own inputs.
// A build script reads and writes files: clippy.toml's rules are for the core and the views.
#![allow(clippy::disallowed_methods, clippy::disallowed_macros)]

#[path = "../build.rs"]
#[allow(dead_code)]
mod flisbot_build;

fn main() {
    flisbot_build::build(std::path::Path::new(".."));
}
