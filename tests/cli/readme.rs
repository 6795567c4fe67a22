//! Every command the README and `docs/` show runs as shown: the fenced `sh` blocks are run with
//! the built binary against a temporary store, and every `flisbot …` named in running text is a
//! command that exists. A block that cannot simply be run is marked by an HTML comment on the
//! line before its fence (`<!-- check: help -->`, `start-stop`, `ci`); docs/development.md
//! ("Commands in the documentation") says what each marker means.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::support::http::get;
use crate::support::{flisbot_bare, stop_with_signal, text};
use crate::web::spawn_serve;

#[derive(Clone, Copy, Debug, PartialEq)]
enum Mode {
    /// Each line run with `sh -c`; it must exit 0.
    Run,
    /// Each `flisbot` command run with `--help` appended; other lines not run.
    Help,
    /// Started, its page fetched once, stopped with SIGINT (Ctrl-C).
    StartStop,
    /// Each line must be a line of `.ci/run`.
    Ci,
}

#[derive(Debug)]
struct Block {
    at: String,
    mode: Mode,
    lines: Vec<String>,
}

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// README.md and every Markdown file in docs/, with their text.
fn documents() -> Vec<(PathBuf, String)> {
    let mut files = vec![repo().join("README.md")];
    let mut docs: Vec<PathBuf> = std::fs::read_dir(repo().join("docs"))
        .expect("docs/ is there")
        .map(|e| e.expect("docs/ can be listed").path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    docs.sort();
    files.extend(docs);
    files
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{p:?}: {e}"));
            (p, text)
        })
        .collect()
}

fn name(path: &Path) -> String {
    path.strip_prefix(repo())
        .unwrap_or(path)
        .display()
        .to_string()
}

/// The fenced `sh` blocks of `doc` with their marks; a mark that is not one of the four, or a
/// mark before anything but an `sh` block, fails the test (a typo must not switch a check off).
fn sh_blocks(path: &Path, doc: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut mark: Option<(Mode, usize)> = None;
    let mut lines = doc.lines().enumerate();
    while let Some((i, line)) = lines.next() {
        let t = line.trim();
        if let Some(rest) = t.strip_prefix("<!-- check:") {
            let m = match rest.trim_end_matches("-->").trim() {
                "help" => Mode::Help,
                "start-stop" => Mode::StartStop,
                "ci" => Mode::Ci,
                other => panic!("{}:{}: unknown check mark {other:?}", name(path), i + 1),
            };
            mark = Some((m, i));
            continue;
        }
        if let Some(info) = t.strip_prefix("```") {
            let mut body = Vec::new();
            for (_, l) in lines.by_ref() {
                if l.trim_start().starts_with("```") {
                    break;
                }
                body.push(l.to_owned());
            }
            let at = format!("{}:{}", name(path), i + 1);
            match (info.split_whitespace().next(), mark.take()) {
                (Some("sh"), m) => blocks.push(Block {
                    at,
                    mode: m.map_or(Mode::Run, |(m, _)| m),
                    lines: commands(&body),
                }),
                (_, Some((_, line))) => {
                    panic!(
                        "{}:{}: a check mark before a block that is not sh",
                        name(path),
                        line + 1
                    )
                }
                _ => {}
            }
            continue;
        }
        if !t.is_empty() {
            if let Some((_, line)) = mark {
                panic!(
                    "{}:{}: a check mark not right before a block",
                    name(path),
                    line + 1
                );
            }
        }
    }
    blocks
}

/// A block's commands: continuation lines joined, blank lines and comments left out.
fn commands(body: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut pending = String::new();
    for l in body {
        let t = l.trim();
        if let Some(head) = t.strip_suffix('\\') {
            pending.push_str(head.trim_end());
            pending.push(' ');
            continue;
        }
        pending.push_str(t);
        let line = std::mem::take(&mut pending);
        if !line.is_empty() && !line.starts_with('#') {
            out.push(line);
        }
    }
    out
}

/// The ways the documents spell the binary, all meaning the one `cargo test` built.
fn as_flisbot(line: &str) -> String {
    line.replace("cargo run --release -- ", "flisbot ")
        .replace("cargo run -- ", "flisbot ")
        .replace("target/release/flisbot", "flisbot")
        .replace("target/debug/flisbot", "flisbot")
}

/// Words as `sh` splits them, for the simple lines the documents hold: whitespace outside
/// quotes, quotes removed; an operator (`|`, `>`, `<`, `;`, `&&`) is a word of its own; a `#`
/// that starts a word begins a comment, which ends the line.
fn words(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut quote: Option<char> = None;
    let mut started = false;
    for c in line.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => word.push(c),
            (None, '#') if !started && word.is_empty() => break,
            (None, '\'' | '"') => {
                quote = Some(c);
                started = true;
            }
            (None, c) if c.is_whitespace() => {
                if started || !word.is_empty() {
                    out.push(std::mem::take(&mut word));
                }
                started = false;
            }
            (None, c) => word.push(c),
        }
    }
    if started || !word.is_empty() {
        out.push(word);
    }
    out
}

fn is_operator(word: &str) -> bool {
    word.starts_with(['|', '>', '<', ';', '&']) || word.starts_with("2>")
}

/// The arguments of each `flisbot` command in `line` (also one quoted for another program, as
/// hyperfine's), up to the first shell operator.
fn flisbot_commands(line: &str) -> Vec<Vec<String>> {
    let mut found = Vec::new();
    let ws = words(&as_flisbot(line));
    for (i, w) in ws.iter().enumerate() {
        if w == "flisbot" {
            found.push(
                ws[i + 1..]
                    .iter()
                    .take_while(|w| !is_operator(w))
                    .cloned()
                    .collect(),
            );
        } else if w.starts_with("flisbot ") {
            found.extend(flisbot_commands(w));
        }
    }
    found
}

/// The binary as `flisbot` on PATH, a store, a data home and a working folder of its own.
struct Sandbox {
    dir: tempfile::TempDir,
}

impl Sandbox {
    fn new() -> Sandbox {
        let dir = tempfile::tempdir().expect("a temporary folder");
        for sub in ["bin", "store", "data", "work"] {
            std::fs::create_dir(dir.path().join(sub)).unwrap();
        }
        std::os::unix::fs::symlink(
            env!("CARGO_BIN_EXE_flisbot"),
            dir.path().join("bin/flisbot"),
        )
        .unwrap();
        Sandbox { dir }
    }

    fn env(&self, cmd: &mut Command) {
        let path = format!(
            "{}:{}",
            self.dir.path().join("bin").display(),
            std::env::var("PATH").unwrap_or_default()
        );
        for v in [
            "DISCORD_TOKEN",
            "FLISBOT_CONFIG",
            "FLISBOT_DISCORD_PROXY",
            "FLISBOT_LOG_FORMAT",
            "RUST_LOG",
        ] {
            cmd.env_remove(v);
        }
        cmd.env("PATH", path)
            .env("FLISBOT_STORE", self.dir.path().join("store"))
            .env("XDG_DATA_HOME", self.dir.path().join("data"))
            .current_dir(self.dir.path().join("work"));
    }

    fn sh(&self, line: &str) -> std::process::Output {
        let mut cmd = Command::new("sh");
        cmd.arg("-c").arg(as_flisbot(line)).stdin(Stdio::null());
        self.env(&mut cmd);
        cmd.output().expect("sh runs")
    }

    fn flisbot(&self, args: &[String]) -> Command {
        let mut cmd = flisbot_bare();
        cmd.args(args);
        self.env(&mut cmd);
        cmd
    }
}

/// `args` with `--help` after them, or, for `ask`, before the question: every word after
/// `ask`'s options is the question, `--help` included.
fn with_help(args: &[String]) -> Vec<String> {
    let mut out = args.to_vec();
    if let Some(ask) = args.iter().position(|a| a == "ask") {
        let mut end = ask + 1;
        while out.get(end).is_some_and(|a| a == "--now") {
            end += 2;
        }
        out.truncate(end.min(out.len()));
    }
    out.push("--help".to_owned());
    out
}

fn check_block(block: &Block, ci: &[String]) {
    assert!(!block.lines.is_empty(), "{}: an empty block", block.at);
    match block.mode {
        Mode::Run => {
            let sandbox = Sandbox::new();
            for line in &block.lines {
                let out = sandbox.sh(line);
                assert!(
                    out.status.success(),
                    "{}: `{line}` failed ({}):\n{}{}",
                    block.at,
                    out.status,
                    text(&out.stdout),
                    text(&out.stderr)
                );
            }
        }
        Mode::Help => {
            let sandbox = Sandbox::new();
            let all: Vec<Vec<String>> = block
                .lines
                .iter()
                .flat_map(|l| flisbot_commands(l))
                .collect();
            assert!(!all.is_empty(), "{}: no flisbot command to check", block.at);
            for args in all {
                let with_help = with_help(&args);
                let out = sandbox
                    .flisbot(&with_help)
                    .output()
                    .expect("flisbot starts");
                assert!(
                    out.status.success() && text(&out.stdout).contains("Brug: flisbot"),
                    "{}: flisbot {} --help: {}\n{}",
                    block.at,
                    args.join(" "),
                    text(&out.stdout),
                    text(&out.stderr)
                );
            }
        }
        Mode::StartStop => {
            assert_eq!(block.lines.len(), 1, "{}: one command to start", block.at);
            let commands = flisbot_commands(&block.lines[0]);
            let [args] = commands.as_slice() else {
                panic!("{}: not one flisbot command", block.at)
            };
            let sandbox = Sandbox::new();
            let mut args = args.clone();
            args.extend(["--listen".to_owned(), "127.0.0.1:0".to_owned()]);
            let (child, addr) = spawn_serve(&mut sandbox.flisbot(&args));
            let page = get(&addr, "/");
            assert_eq!(page.status, 200, "{}", block.at);
            assert!(page.text().contains("FLIS-status"), "{}", block.at);
            // Ctrl-C, as the README says it stops.
            let status = stop_with_signal(child, "INT");
            assert!(status.success(), "{}: {status}", block.at);
        }
        Mode::Ci => {
            for line in &block.lines {
                assert!(
                    ci.iter().any(|c| c == line),
                    "{}: `{line}` is not what .ci/run runs",
                    block.at
                );
            }
        }
    }
}

/// `flisbot …` in running text (inline code, also one a line break runs through), as far as
/// its words name commands.
fn named_commands(doc: &str) -> Vec<Vec<String>> {
    let mut prose = String::new();
    let mut in_fence = false;
    for line in doc.lines() {
        if line.trim_start().starts_with("```") {
            in_fence = !in_fence;
        } else if !in_fence {
            prose.push_str(line);
            prose.push('\n');
        }
    }
    prose
        .split('`')
        .skip(1)
        .step_by(2)
        .filter_map(|span| {
            span.replace('\n', " ")
                .strip_prefix("flisbot ")
                .map(str::to_owned)
        })
        .map(|rest| {
            rest.split_whitespace()
                .take_while(|w| {
                    w.starts_with(|c: char| c.is_ascii_lowercase())
                        && w.chars().all(|c| c.is_ascii_lowercase() || c == '-')
                })
                .map(str::to_owned)
                .collect()
        })
        .collect()
}

#[test]
fn every_command_the_readme_and_docs_show_runs() {
    let ci: Vec<String> = std::fs::read_to_string(repo().join(".ci/run"))
        .expect(".ci/run is there")
        .lines()
        .map(|l| l.trim().to_owned())
        .collect();
    let mut checked = 0;
    for (path, doc) in documents() {
        for block in sh_blocks(&path, &doc) {
            check_block(&block, &ci);
            checked += 1;
        }
    }
    // README's own: run it, test it, the web page, Discord.
    assert!(checked >= 4, "only {checked} blocks found");
}

#[test]
fn every_flisbot_command_named_in_the_text_exists() {
    let sandbox = Sandbox::new();
    let mut seen = std::collections::BTreeSet::new();
    for (path, doc) in documents() {
        for command in named_commands(&doc) {
            if !seen.insert(command.clone()) {
                continue;
            }
            let out = sandbox
                .flisbot(&with_help(&command))
                .output()
                .expect("flisbot starts");
            assert!(
                out.status.success(),
                "{}: `flisbot {}` is no command: {}",
                name(&path),
                command.join(" "),
                text(&out.stderr)
            );
        }
    }
    assert!(seen.len() > 10, "{seen:?}");
}

#[test]
fn the_checks_read_the_marks_and_commands_as_documented() {
    let doc = "x\n\n```sh\ncargo run -- ask \"a b\"\n# a comment\n\nflisbot calendar \\\n  --months 2\n```\n\n<!-- check: help -->\n```sh\nDISCORD_TOKEN=… flisbot --store /var/lib/flisbot run --config f.toml\nhyperfine 'target/release/flisbot parse'\nvalgrind x target/release/flisbot parse < FILE\n```\n\n```toml\n[web]\n```\n";
    let blocks = sh_blocks(Path::new("t.md"), doc);
    assert_eq!(blocks.len(), 2);
    assert_eq!(blocks[0].mode, Mode::Run);
    assert_eq!(
        blocks[0].lines,
        ["cargo run -- ask \"a b\"", "flisbot calendar --months 2"]
    );
    assert_eq!(blocks[1].mode, Mode::Help);
    let found: Vec<Vec<String>> = blocks[1]
        .lines
        .iter()
        .flat_map(|l| flisbot_commands(l))
        .collect();
    assert_eq!(
        found,
        [
            vec!["--store", "/var/lib/flisbot", "run", "--config", "f.toml"],
            vec!["parse"],
            vec!["parse"],
        ]
    );
    assert_eq!(
        with_help(&["--store", "s", "ask", "--now", "T", "hvornår", "--x"].map(String::from)),
        ["--store", "s", "ask", "--now", "T", "--help"]
    );
    // A comment after a command is not part of it; a '#' inside a word or quotes is.
    assert_eq!(
        flisbot_commands("flisbot admin webhook list   # targets, paused?"),
        [vec!["admin", "webhook", "list"]]
    );
    assert_eq!(words("a#b '# c' # d"), ["a#b", "# c"]);
    assert_eq!(
        named_commands("Run `flisbot admin undo AREA|--import` or `flisbot.lock` and `flisbot\nask x`.\n```sh\n`flisbot run`\n```\n"),
        [vec!["admin", "undo"], vec!["ask", "x"]]
    );
    // A mark with a typo, or one before another kind of block, is an error, not a silent run.
    for bad in [
        "<!-- check: hlep -->\n```sh\nflisbot run\n```\n",
        "<!-- check: help -->\n```toml\n[web]\n```\n",
        "<!-- check: help -->\n\ntext\n```sh\nflisbot run\n```\n",
    ] {
        let r = std::panic::catch_unwind(|| sh_blocks(Path::new("t.md"), bad));
        assert!(r.is_err(), "{bad}");
    }
}

/// A heading's anchor as GitHub makes it: lower case, punctuation but `-` and `_` dropped,
/// spaces to `-`.
fn anchor(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '_'))
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

fn anchors(doc: &str) -> Vec<String> {
    let mut in_fence = false;
    let mut out = Vec::new();
    for line in doc.lines() {
        if line.trim_start().starts_with("```") {
            in_fence = !in_fence;
        } else if !in_fence && line.starts_with('#') {
            out.push(anchor(line.trim_start_matches('#')));
        }
    }
    out
}

/// Files the documents link to that another branch adds: issue 19's webhook guide.
const ADDED_ELSEWHERE: &[&str] = &["docs/webhooks.md"];

#[test]
fn every_link_between_the_documents_leads_somewhere() {
    let mut checked = 0;
    for (path, doc) in documents() {
        let dir = path.parent().unwrap();
        for piece in doc.split("](").skip(1) {
            let Some(target) = piece.split(')').next() else {
                continue;
            };
            if target.contains("://") || target.starts_with("mailto:") {
                continue;
            }
            let (file, fragment) = target.split_once('#').unwrap_or((target, ""));
            let linked = if file.is_empty() {
                path.clone()
            } else {
                dir.join(file)
            };
            let shown = name(&linked.canonicalize().unwrap_or(linked.clone()));
            if !linked.exists() {
                assert!(
                    ADDED_ELSEWHERE.iter().any(|p| repo().join(p) == linked),
                    "{}: a link to {target}, which is not there",
                    name(&path)
                );
                continue;
            }
            if !fragment.is_empty() {
                let text = std::fs::read_to_string(&linked).unwrap();
                assert!(
                    anchors(&text).iter().any(|a| a == fragment),
                    "{}: a link to {target}: no heading #{fragment} in {shown}",
                    name(&path)
                );
            }
            checked += 1;
        }
    }
    assert!(checked > 10, "{checked} links");
    assert_eq!(anchor("Where data lives"), "where-data-lives");
    assert_eq!(
        anchor("Teams, Slack and webhooks"),
        "teams-slack-and-webhooks"
    );
}
