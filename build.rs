//! Lays out the question parser's tables at compile time (see `build/tables.rs`) and trains its
//! intent model (`build/intent_training.rs`).

use std::path::Path;

// The parser's own reading rules, compiled into this script too, so the tables are built by
// the code that reads them.
#[path = "src/core/understand"]
#[allow(dead_code)]
mod understand {
    pub mod distance;
    pub mod fold;
    pub mod fuzzy;
    pub mod intent_model;
    pub mod memo;
    pub mod normalize;
    pub mod rules;
    pub mod sense;
    pub mod table;
    pub mod words;

    /// What `normalize.rs` reads from the parser's generated tables, for the intent model's
    /// training: no fold table (folding then takes the standard library's way, with the same
    /// result), the lexicon's emoji shortcodes, sign-offs and closings.
    pub mod tables {
        pub static FOLD_TABLE: [u32; 0] = [];
        pub static SHORTCODES: std::sync::LazyLock<Vec<&'static str>> =
            std::sync::LazyLock::new(|| super::super::tables::shortcodes().to_vec());
        pub static SIGN_OFF_WORDS: std::sync::LazyLock<&'static [&'static str]> =
            std::sync::LazyLock::new(|| &super::super::tables::signatures().sign_offs);
        pub static CLOSING_PHRASES: std::sync::LazyLock<&'static [&'static [&'static str]]> =
            std::sync::LazyLock::new(|| &super::super::tables::signatures().closings);
        pub static SIGNATURE_STARTS: std::sync::LazyLock<[u32; 26]> =
            std::sync::LazyLock::new(|| super::super::tables::signatures().starts);
        pub static SIGNATURE_ENDS: std::sync::LazyLock<[u32; 26]> =
            std::sync::LazyLock::new(|| super::super::tables::signatures().ends);
    }
}

#[path = "build/tables.rs"]
mod tables;

#[path = "build/intent_training.rs"]
mod intent_training;

fn main() {
    build(Path::new("."));
}

/// Writes the tables to `$OUT_DIR`, reading the inputs under `root` (the flisbot package; the
/// purity check crate in `purity/` builds the same tables from its parent).
pub fn build(root: &Path) {
    for input in [
        "build.rs",
        "build/tables.rs",
        "build/intent_training.rs",
        "data/lexicon.toml",
        "data/catalogue.toml",
        "data/words.fst",
        "src/core/understand/distance.rs",
        "src/core/understand/fold.rs",
        "src/core/understand/fuzzy.rs",
        "src/core/understand/intent_model.rs",
        "src/core/understand/normalize.rs",
        "src/core/understand/rules.rs",
        "src/core/understand/sense.rs",
        "src/core/understand/table.rs",
        "src/core/understand/words.rs",
    ]
    .into_iter()
    .chain(intent_training::TRAINING_SETS)
    {
        println!("cargo:rerun-if-changed={}", root.join(input).display());
    }
    let read = |p: &str| {
        std::fs::read_to_string(root.join(p)).unwrap_or_else(|e| panic!("cannot read {p}: {e}"))
    };
    let code = tables::generate(&read("data/lexicon.toml"), &read("data/catalogue.toml"))
        .unwrap_or_else(|e| panic!("{e}"));
    let out = std::env::var("OUT_DIR").unwrap_or_else(|e| panic!("OUT_DIR: {e}"));
    let write = |name: &str, bytes: &[u8]| {
        let path = Path::new(&out).join(name);
        std::fs::write(&path, bytes)
            .unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
    };
    write("parser_tables.rs", code.as_bytes());
    write("words.set64", &tables::word_set());
    // A set named here is left out of the training, to score it as the parser would a new one
    // (`docs/development.md`).
    println!("cargo:rerun-if-env-changed=FLISBOT_TRAIN_WITHOUT");
    let without = std::env::var("FLISBOT_TRAIN_WITHOUT").unwrap_or_default();
    let left_out = |set: &str| {
        without
            .split(',')
            .any(|w| !w.is_empty() && set.ends_with(&format!("questions-{w}.tsv")))
    };
    let mut samples = Vec::new();
    for set in intent_training::TRAINING_SETS
        .into_iter()
        .filter(|s| !left_out(s))
    {
        samples
            .extend(intent_training::samples(&read(set)).unwrap_or_else(|e| panic!("{set}: {e}")));
    }
    write("intent_model.bin", &intent_training::train(&samples));
}
