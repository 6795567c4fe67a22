//! The layers. The core's and the views' purity is a compile error: `purity/` compiles
//! `src/core/` and `src/views/` as a crate of their own with only the pure libraries, and its
//! clippy.toml refuses clocks, files, network, processes, threads, the environment and the
//! terminal (ARCHITECTURE.md, "Purity"). These tests hold that check in place, and keep
//! serenity and poise inside `src/discord/`.

use std::path::Path;

use crate::source::{read, rust_files, src, test_only, test_only_files};

fn file(rel: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)).unwrap()
}

#[test]
fn the_purity_crate_is_built_and_mounts_the_core_and_the_views() {
    let manifest: toml::Table = toml::from_str(&file("Cargo.toml")).unwrap();
    let workspace = &manifest["workspace"];
    for key in ["members", "default-members"] {
        let members = workspace[key].as_array().unwrap();
        assert!(
            members.iter().any(|m| m.as_str() == Some("purity")),
            "purity is in the workspace's {key}, so cargo clippy and cargo build check it"
        );
    }
    let lib = file("purity/lib.rs");
    for mount in [
        "#[path = \"../src/core/mod.rs\"]\npub mod core;",
        "#[path = \"../src/views/mod.rs\"]\npub mod presentation;",
    ] {
        assert!(lib.contains(mount), "purity/lib.rs mounts {mount}");
    }
    // Nothing but these two modules: no path the core may name by mistake.
    let code = read(&lib).code;
    assert_eq!(code.matches("mod ").count(), 2, "{code}");
    let clippy: toml::Table = toml::from_str(&file("purity/clippy.toml")).unwrap();
    let refused: Vec<&str> = [
        "disallowed-types",
        "disallowed-methods",
        "disallowed-macros",
    ]
    .iter()
    .flat_map(|k| clippy[*k].as_array().unwrap())
    .map(|v| v["path"].as_str().unwrap())
    .collect();
    for must in [
        "chrono::Utc::now",
        "chrono::Local",
        "std::time::SystemTime",
        "std::time::Instant",
        "std::fs::File",
        "std::fs::read_to_string",
        "std::net::TcpStream",
        "std::process::Command",
        "std::thread::spawn",
        "std::env::var",
        "std::println",
    ] {
        assert!(refused.contains(&must), "purity/clippy.toml refuses {must}");
    }
}

#[test]
fn the_purity_crate_depends_on_pure_libraries_only() {
    let manifest: toml::Table = toml::from_str(&file("purity/Cargo.toml")).unwrap();
    let pure = [
        "chrono",
        "chrono-tz",
        "fst",
        "minijinja",
        "rust-stemmers",
        "serde",
        "stop-words",
        "strsim",
        "thiserror",
        "toml",
        "tracing",
    ];
    let deps: Vec<&String> = manifest["dependencies"]
        .as_table()
        .unwrap()
        .keys()
        .collect();
    assert!(deps.iter().all(|d| pure.contains(&d.as_str())), "{deps:?}");
    assert!(manifest.get("dev-dependencies").is_none());
    // Without `clock`, chrono has no Utc::now when the purity crate is built alone.
    let chrono = &manifest["dependencies"]["chrono"];
    let features = chrono["features"].as_array().unwrap();
    assert!(!features.iter().any(|f| f.as_str() == Some("clock")));
}

#[test]
fn only_the_discord_adapter_names_serenity_or_poise() {
    let src = src();
    let adapter = src.join("discord");
    let word = |code: &str, w: &str| {
        code.match_indices(w).any(|(i, _)| {
            let before = code[..i].chars().next_back();
            let after = code[i + w.len()..].chars().next();
            let ident = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
            !ident(before) && !ident(after)
        })
    };
    let offenders: Vec<String> = rust_files(&src)
        .into_iter()
        .filter(|f| !f.starts_with(&adapter))
        .filter(|f| {
            let code = read(&std::fs::read_to_string(f).unwrap()).code;
            word(&code, "serenity") || word(&code, "poise")
        })
        .map(|f| f.display().to_string())
        .collect();
    assert!(
        offenders.is_empty(),
        "Discord types outside src/discord/: {offenders:?}"
    );
}

#[test]
fn the_source_reader_blanks_comments_and_literals_and_finds_test_code() {
    let text = r##"
        use serenity::x; // serenity in a comment
        /* poise /* nested */ still a comment */
        fn f<'a>(c: char) -> &'a str { let q = '"'; let e = '\''; g("a \" b"); r#"raw "x" y"# }
        #[cfg(test)]
        mod tests { fn t() { "inside a test" } }
        #[cfg(test)]
        mod more;
        fn after() { "after" }
    "##;
    let s = read(text);
    assert!(s.code.contains("use serenity::x;"));
    assert!(!s.code.contains("poise") && !s.code.contains("comment"));
    assert!(s.code.contains("fn f<'a>(c: char) -> &'a str"));
    let lits: Vec<&str> = s.literals.iter().map(|l| l.text.as_str()).collect();
    assert_eq!(
        lits,
        [r#"a \" b"#, r#"raw "x" y"#, "inside a test", "after"]
    );
    let (ranges, modules) = test_only(&s.code);
    assert_eq!(modules, ["more"]);
    let tested: Vec<&str> = s
        .literals
        .iter()
        .filter(|l| ranges.iter().any(|(a, b)| (*a..*b).contains(&l.at)))
        .map(|l| l.text.as_str())
        .collect();
    assert_eq!(tested, ["inside a test"]);
    let files = rust_files(&src());
    let tests = test_only_files(&files);
    for t in [
        "core/answer/tests.rs",
        "views/agreement/chat.rs",
        "test_support.rs",
    ] {
        assert!(tests.contains(&src().join(t)), "{t} is test code");
    }
    assert!(!tests.contains(&src().join("views/render.rs")));
}
