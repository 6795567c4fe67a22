//! Rust source as the layering and wording tests read it: the code with comments and literals
//! blanked, the string literals with where they stand, and which parts are compiled only for
//! tests. Lines and offsets are kept, so a finding names its line.

use std::path::{Path, PathBuf};

/// Every `.rs` file under `dir`.
pub fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut dirs = vec![dir.to_path_buf()];
    while let Some(d) = dirs.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

pub fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// A string literal: its byte offset in the file and its text (escapes as written).
pub struct Literal {
    pub at: usize,
    pub text: String,
}

/// One file read: the code (comments, string and char literals blanked to spaces, newlines
/// kept) and its string literals.
pub struct Source {
    pub code: String,
    pub literals: Vec<Literal>,
}

pub fn read(text: &str) -> Source {
    let b = text.as_bytes();
    let mut code = b.to_vec();
    let mut literals = Vec::new();
    let blank = |code: &mut Vec<u8>, from: usize, to: usize| {
        for c in &mut code[from..to] {
            if *c != b'\n' {
                *c = b' ';
            }
        }
    };
    let mut i = 0;
    while i < b.len() {
        let rest = &b[i..];
        if rest.starts_with(b"//") {
            let end = rest
                .iter()
                .position(|&c| c == b'\n')
                .map_or(b.len(), |n| i + n);
            blank(&mut code, i, end);
            i = end;
        } else if rest.starts_with(b"/*") {
            let (mut depth, mut j) = (0, i);
            while j < b.len() {
                if b[j..].starts_with(b"/*") {
                    depth += 1;
                    j += 2;
                } else if b[j..].starts_with(b"*/") {
                    depth -= 1;
                    j += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    j += 1;
                }
            }
            blank(&mut code, i, j);
            i = j;
        } else if let Some(hashes) = raw_string_start(b, i) {
            // r"…", r#"…"#, br"…": no escapes; ends at a quote and as many hashes.
            let open = b[i..].iter().position(|&c| c == b'"').unwrap() + i + 1;
            let close: Vec<u8> = std::iter::once(b'"')
                .chain(std::iter::repeat_n(b'#', hashes))
                .collect();
            let end = b[open..]
                .windows(close.len())
                .position(|w| w == close.as_slice())
                .map_or(b.len(), |n| open + n);
            literals.push(Literal {
                at: i,
                text: text[open..end].to_owned(),
            });
            let stop = (end + close.len()).min(b.len());
            blank(&mut code, i, stop);
            i = stop;
        } else if b[i] == b'"' {
            let mut j = i + 1;
            while j < b.len() && b[j] != b'"' {
                j += if b[j] == b'\\' { 2 } else { 1 };
            }
            literals.push(Literal {
                at: i,
                text: text[i + 1..j.min(b.len())].to_owned(),
            });
            blank(&mut code, i, (j + 1).min(b.len()));
            i = j + 1;
        } else if b[i] == b'\'' {
            // A char literal ('"', '\'', 'x', 'æ') or a lifetime ('a): only the first is blanked.
            let j = if b.get(i + 1) == Some(&b'\\') {
                b[i + 2..]
                    .iter()
                    .position(|&c| c == b'\'')
                    .map(|n| i + 2 + n)
            } else {
                let width = text[i + 1..].chars().next().map_or(1, char::len_utf8);
                (b.get(i + 1 + width) == Some(&b'\'')).then_some(i + 1 + width)
            };
            match j {
                Some(j) => {
                    blank(&mut code, i, j + 1);
                    i = j + 1;
                }
                None => i += 1,
            }
        } else if is_ident(b[i]) {
            // A whole identifier, so an `r` or `br` inside one is not taken for a raw string.
            while i < b.len() && is_ident(b[i]) {
                i += 1;
            }
        } else {
            i += 1;
        }
    }
    Source {
        code: String::from_utf8(code).unwrap(),
        literals,
    }
}

fn is_ident(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// The number of hashes when a raw string (`r"`, `r#"`, `br"`) starts at `i`.
fn raw_string_start(b: &[u8], i: usize) -> Option<usize> {
    let mut j = i;
    if b.get(j) == Some(&b'b') {
        j += 1;
    }
    if b.get(j) != Some(&b'r') {
        return None;
    }
    j += 1;
    let hashes = b[j..].iter().take_while(|&&c| c == b'#').count();
    (b.get(j + hashes) == Some(&b'"')).then_some(hashes)
}

/// The byte ranges of `code` compiled only for tests: each item behind `#[cfg(test)]` (to its
/// `;` or its closing brace), and the names of test-only modules declared as `mod name;`.
pub fn test_only(code: &str) -> (Vec<(usize, usize)>, Vec<String>) {
    let b = code.as_bytes();
    let (mut ranges, mut modules) = (Vec::new(), Vec::new());
    let mut from = 0;
    while let Some(n) = code[from..].find("#[cfg(test)]") {
        let start = from + n;
        let body = start + "#[cfg(test)]".len();
        let stop = b[body..]
            .iter()
            .position(|&c| c == b'{' || c == b';')
            .map_or(b.len(), |n| body + n);
        let end = if b.get(stop) == Some(&b';') {
            let item: Vec<&str> = code[body..stop].split_whitespace().collect();
            if let [.., "mod", name] = item.as_slice() {
                modules.push((*name).to_owned());
            }
            stop + 1
        } else {
            let mut depth = 0;
            let mut j = stop;
            while j < b.len() {
                match b[j] {
                    b'{' => depth += 1,
                    b'}' => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    _ => {}
                }
                j += 1;
            }
            j + 1
        };
        ranges.push((start, end));
        from = end.min(b.len());
    }
    (ranges, modules)
}

/// The files under `src/` whose every line is compiled only for tests: modules declared behind
/// `#[cfg(test)]`, with everything below them.
pub fn test_only_files(files: &[PathBuf]) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = Vec::new();
    for f in files {
        let (_, modules) = test_only(&read(&std::fs::read_to_string(f).unwrap()).code);
        let stem = f.file_stem().unwrap().to_str().unwrap();
        let dir = match stem {
            "mod" | "lib" | "main" => f.parent().unwrap().to_path_buf(),
            _ => f.with_extension(""),
        };
        for m in modules {
            out.push(dir.join(format!("{m}.rs")));
            out.push(dir.join(&m));
        }
    }
    let under = |f: &PathBuf| out.iter().any(|t| f == t || f.starts_with(t));
    files.iter().filter(|f| under(f)).cloned().collect()
}

/// The 1-based line of byte offset `at`.
pub fn line_of(text: &str, at: usize) -> usize {
    text[..at].matches('\n').count() + 1
}
