//! The core must not see Discord: only `src/discord/` may name serenity or poise.

fn rust_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn only_the_discord_adapter_imports_serenity_or_poise() {
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let adapter = src.join("discord");
    let offenders: Vec<String> = files
        .iter()
        .filter(|f| !f.starts_with(&adapter))
        .filter(|f| {
            let text = std::fs::read_to_string(f).unwrap();
            text.contains("serenity") || text.contains("poise")
        })
        .map(|f| f.display().to_string())
        .collect();
    assert!(
        offenders.is_empty(),
        "Discord types outside src/discord/: {offenders:?}"
    );
}
