//! The core and the views of flisbot, compiled on their own to prove them pure (see
//! ARCHITECTURE.md, "Purity"). `crate::core` is `src/core/`, so the core's own paths resolve;
//! anything else they might name (`crate::store`, `crate::operations`, `crate::config`, an
//! adapter, sled, tokio, serenity, clap, reqwest, hyper, axum) does not exist here, and a use of
//! it fails to compile. The views are mounted as `presentation`, not `views`: the core naming
//! `crate::views` fails too (the views name each other by `super::`). Clocks, files, network,
//! processes, threads and the environment are refused by `purity/clippy.toml`.
//!
//! The rule is for the code, not its unit tests (they may read fixtures and name the test
//! support): compiled as a test (`cargo clippy --all-targets`), the crate is empty.
#![cfg(not(test))]

#[path = "../src/core/mod.rs"]
pub mod core;

#[path = "../src/views/mod.rs"]
pub mod presentation;
