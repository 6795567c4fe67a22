//! The layers, checked on the source text so the rule cannot drift from the code:
//! - `src/core/` is pure: every path it names (in `use` trees and inline) stays inside
//!   `crate::core` or a pure library; no store, clock, config, adapter, sled, tokio,
//!   serenity/poise, clap, HTTP, file system, network, process, environment or wall clock.
//! - only `src/discord/` names serenity or poise.

use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

#[derive(Debug, PartialEq)]
enum Token {
    Ident(String),
    PathSep,
    Open,
    Close,
    Comma,
    Other,
}

/// Rust source as tokens, without comments, string and char literals (their words are not
/// code), and without lifetimes.
fn tokens(text: &str) -> Vec<Token> {
    let c: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < c.len() {
        let ch = c[i];
        let next = c.get(i + 1).copied();
        if ch == '/' && next == Some('/') {
            while i < c.len() && c[i] != '\n' {
                i += 1;
            }
        } else if ch == '/' && next == Some('*') {
            let mut depth = 0;
            while i < c.len() {
                if c[i] == '/' && c.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if c[i] == '*' && c.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
        } else if ch == 'r' && (next == Some('"') || next == Some('#')) && {
            let mut j = i + 1;
            while c.get(j) == Some(&'#') {
                j += 1;
            }
            c.get(j) == Some(&'"')
        } {
            let mut hashes = 0;
            i += 1;
            while c[i] == '#' {
                hashes += 1;
                i += 1;
            }
            i += 1;
            'raw: while i < c.len() {
                if c[i] == '"' && (1..=hashes).all(|k| c.get(i + k) == Some(&'#')) {
                    i += 1 + hashes;
                    break 'raw;
                }
                i += 1;
            }
            out.push(Token::Other);
        } else if ch == '"' {
            i += 1;
            while i < c.len() && c[i] != '"' {
                if c[i] == '\\' {
                    i += 1;
                }
                i += 1;
            }
            i += 1;
            out.push(Token::Other);
        } else if ch == '\'' {
            // A char literal ('a', '\n', '\u{..}') or a lifetime ('a): skip either.
            if next == Some('\\') {
                i += 2;
                while i < c.len() && c[i] != '\'' {
                    i += 1;
                }
                i += 1;
            } else if c.get(i + 2) == Some(&'\'') {
                i += 3;
            } else {
                i += 1;
                while i < c.len() && (c[i].is_alphanumeric() || c[i] == '_') {
                    i += 1;
                }
            }
            out.push(Token::Other);
        } else if ch.is_alphabetic() || ch == '_' {
            let start = i;
            while i < c.len() && (c[i].is_alphanumeric() || c[i] == '_') {
                i += 1;
            }
            out.push(Token::Ident(c[start..i].iter().collect()));
        } else if ch == ':' && next == Some(':') {
            out.push(Token::PathSep);
            i += 2;
        } else {
            out.push(match ch {
                '{' => Token::Open,
                '}' => Token::Close,
                ',' => Token::Comma,
                c if c.is_whitespace() => {
                    i += 1;
                    continue;
                }
                _ => Token::Other,
            });
            i += 1;
        }
    }
    out
}

/// Every path the source names: `use` trees expanded (`use std::{fs, io}` names `std::fs` and
/// `std::io`), and every inline `a::b::c`.
fn paths(text: &str) -> Vec<String> {
    let t = tokens(text);
    let mut out = Vec::new();
    let mut i = 0;
    while i < t.len() {
        if t[i] == Token::Ident("use".into()) {
            i = use_tree(&t, i + 1, String::new(), &mut out);
            continue;
        }
        if let Token::Ident(first) = &t[i] {
            let mut path = first.clone();
            let mut j = i + 1;
            while t.get(j) == Some(&Token::PathSep) {
                match t.get(j + 1) {
                    Some(Token::Ident(next)) => {
                        path.push_str("::");
                        path.push_str(next);
                        j += 2;
                    }
                    _ => break,
                }
            }
            out.push(path);
            i = j.max(i + 1);
            continue;
        }
        i += 1;
    }
    out
}

fn use_tree(t: &[Token], mut i: usize, prefix: String, out: &mut Vec<String>) -> usize {
    let mut path = prefix.clone();
    while i < t.len() {
        match &t[i] {
            Token::Ident(name) => {
                if name == "as" {
                    i += 2;
                    continue;
                }
                if !path.is_empty() && !path.ends_with("::") {
                    out.push(std::mem::take(&mut path));
                    path = prefix.clone();
                }
                path.push_str(name);
                i += 1;
            }
            Token::PathSep => {
                path.push_str("::");
                i += 1;
            }
            Token::Open => {
                i = use_tree(t, i + 1, path.clone(), out);
                path = prefix.clone();
            }
            Token::Comma => {
                if path != prefix {
                    out.push(std::mem::take(&mut path));
                }
                path = prefix.clone();
                i += 1;
            }
            Token::Close => {
                if path != prefix {
                    out.push(path);
                }
                return i + 1;
            }
            Token::Other => {
                // `;` ends the item (or `*` for a glob, which adds nothing new).
                if path != prefix {
                    out.push(path);
                }
                return i + 1;
            }
        }
    }
    i
}

/// Why `path` may not appear in the core, if it may not. `depth` is how deep the file's module
/// sits below `crate::core` (for `super::`).
fn forbidden_in_core(path: &str, depth: usize) -> Option<&'static str> {
    let supers = path.split("::").take_while(|s| *s == "super").count();
    if supers > depth {
        return Some("`super::` reaches out of the core");
    }
    // `crate` alone is `pub(crate)`, a visibility, not a path.
    if path == "crate" || path == "crate::core" || path.starts_with("crate::core::") {
        return None;
    }
    // Named from the root of the path: crates and `std` modules the core must not use.
    let roots: &[(&str, &str)] = &[
        ("crate", "only `crate::core::…` is inside the core"),
        ("sled", "the store's database"),
        ("tokio", "the async runtime"),
        ("serenity", "the chat platform"),
        ("poise", "the chat platform"),
        ("clap", "the command line"),
        ("reqwest", "the network"),
        ("hyper", "the network"),
        ("hyper_util", "the network"),
        ("axum", "the web server"),
        ("dirs", "the user's folders"),
        ("tracing_subscriber", "log set-up"),
        ("std::fs", "the file system"),
        ("std::net", "the network"),
        ("std::process", "processes"),
        ("std::thread", "threads"),
        ("std::env", "the environment"),
        (
            "chrono::Local",
            "the machine's time zone: Copenhagen is explicit",
        ),
    ];
    // Named anywhere in the path: ways to read the wall clock.
    let anywhere: &[(&str, &str)] = &[
        ("SystemTime", "the wall clock"),
        ("Instant::now", "the wall clock"),
        ("Utc::now", "the wall clock: time comes in as an argument"),
        ("Local::now", "the wall clock: time comes in as an argument"),
    ];
    let segments = format!("::{path}::");
    roots
        .iter()
        .find(|(rule, _)| format!("{path}::").starts_with(&format!("{rule}::")))
        .or_else(|| {
            anywhere
                .iter()
                .find(|(rule, _)| segments.contains(&format!("::{rule}::")))
        })
        .map(|(_, why)| *why)
}

#[test]
fn the_core_names_nothing_outside_itself_but_pure_libraries() {
    let core = src().join("core");
    let mut files = Vec::new();
    rust_files(&core, &mut files);
    assert!(
        files.len() >= 15,
        "the core is where it should be: {files:?}"
    );
    let mut offences = Vec::new();
    let mut inside = 0;
    for f in &files {
        let rel = f.strip_prefix(&core).unwrap();
        let mut depth = rel.components().count();
        if f.file_name().is_some_and(|n| n == "mod.rs") {
            depth -= 1;
        }
        let text = std::fs::read_to_string(f).unwrap();
        // Unit tests may read fixtures; the rule is for the code they test. A module's tests
        // stand at its end, behind `#[cfg(test)]`, or in a `tests.rs` of their own.
        if f.file_name().is_some_and(|n| n == "tests.rs") {
            let parent = std::fs::read_to_string(f.with_file_name("mod.rs")).unwrap_or_default();
            assert!(
                parent.contains("#[cfg(test)]\nmod tests;"),
                "{} is compiled only for tests",
                rel.display()
            );
            continue;
        }
        let code = text.split("#[cfg(test)]").next().unwrap_or_default();
        for path in paths(code) {
            if path.starts_with("crate::core") {
                inside += 1;
            }
            if let Some(why) = forbidden_in_core(&path, depth) {
                offences.push(format!("{}: {path} ({why})", rel.display()));
            }
        }
    }
    assert!(inside > 20, "the scan sees the core's own paths");
    assert!(
        offences.is_empty(),
        "the core reaches out:\n{}",
        offences.join("\n")
    );
}

#[test]
fn the_scan_catches_every_way_of_naming_the_outside() {
    let sample = r#"
        use std::{fs, net::TcpStream};
        use crate::{core::calendar, store::Store};
        use super::super::clock;
        // use sled::Db; a comment is not code
        fn f() { let _ = "tokio::spawn in a string"; let t = chrono::Utc::now(); tokio::spawn(x); }
    "#;
    let found: Vec<(String, bool)> = paths(sample)
        .into_iter()
        .map(|p| {
            let bad = forbidden_in_core(&p, 1).is_some();
            (p, bad)
        })
        .filter(|(_, bad)| *bad)
        .collect();
    let names: Vec<&str> = found.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(
        names,
        [
            "std::fs",
            "std::net::TcpStream",
            "crate::store::Store",
            "super::super::clock",
            "chrono::Utc::now",
            "tokio::spawn"
        ]
    );
}

#[test]
fn only_the_discord_adapter_imports_serenity_or_poise() {
    let src = src();
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let adapter = src.join("discord");
    let offenders: Vec<String> = files
        .iter()
        .filter(|f| !f.starts_with(&adapter))
        .filter(|f| {
            paths(&std::fs::read_to_string(f).unwrap())
                .iter()
                .any(|p| p.starts_with("serenity") || p.starts_with("poise"))
        })
        .map(|f| f.display().to_string())
        .collect();
    assert!(
        offenders.is_empty(),
        "Discord types outside src/discord/: {offenders:?}"
    );
}
