//! The terminal speaks Danish (issue 20): clap's errors and help in Danish through the real
//! binary, and replies' Markdown bold on a terminal (a pseudo-terminal from util-linux's
//! `script`), plain in a pipe and with `NO_COLOR`.

use std::process::Command;

use crate::support::{flisbot, flisbot_bare, text, tool_or_skip, SEED_DAY};

#[test]
fn bad_command_lines_are_refused_in_danish_with_a_suggestion() {
    for (args, said) in [
        (
            &["aks", "status krl"][..],
            "ukendt kommando «aks» – mente du «ask»?",
        ),
        (
            &["admin", "relase", "--by", "x"][..],
            "ukendt kommando «relase» – mente du «release»?",
        ),
        (
            &["calendar", "--month", "2"][..],
            "ukendt valg «--month» – mente du «--months»?",
        ),
        (
            &["calendar", "--months", "x"][..],
            "«x» er ikke et tal fra 1 til 24",
        ),
        (
            &["admin", "history", "krl", "--limit"][..],
            "«--limit» mangler en værdi",
        ),
        (
            &["ask", "--now", "i morgen", "x"][..],
            "er ikke et tidspunkt",
        ),
        (&["announce"][..], "Fejl: mangler <--preview|--schedule>"),
    ] {
        let store = tempfile::tempdir().unwrap();
        let out = flisbot(store.path()).args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = text(&out.stderr);
        assert!(err.contains(said), "{args:?}: {err}");
        assert!(
            err.contains("Se mere med «flisbot --help»"),
            "{args:?}: {err}"
        );
        for english in [
            "error:",
            "Usage:",
            "For more information",
            "tip:",
            "[OPTIONS]",
        ] {
            assert!(!err.contains(english), "{args:?}: {english} in {err}");
        }
        assert!(out.stdout.is_empty(), "{args:?}");
    }
}

#[test]
fn help_is_danish_and_describes_every_argument() {
    let out = flisbot_bare()
        .args(["admin", "import-status", "--help"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let help = text(&out.stdout);
    for line in [
        "Brug: flisbot admin import-status [VALG] <FIL>",
        "Argumenter:",
        "Valg:",
        "--dropped <OMRÅDE,…>",
        "Vis hjælp",
    ] {
        assert!(help.contains(line), "{line} missing in {help}");
    }
    // Every option line has a description after its name.
    for l in help.lines().filter(|l| l.trim_start().starts_with('-')) {
        let described = l
            .trim()
            .split("  ")
            .filter(|p| !p.trim().is_empty())
            .count()
            >= 2;
        assert!(described, "no description: {l}");
    }
    for english in [
        "Usage:",
        "Options:",
        "Arguments:",
        "Print help",
        "[default:",
    ] {
        assert!(!help.contains(english), "{english} in {help}");
    }
}

/// `flisbot ask …` on a pseudo-terminal (util-linux's `script`), with `env` added.
fn on_a_terminal(store: &std::path::Path, env: &[(&str, &str)]) -> String {
    let bin = env!("CARGO_BIN_EXE_flisbot");
    let line = format!(
        "{bin} --store {} ask --now {SEED_DAY} 'er KRL opdateret?'",
        store.display()
    );
    let mut cmd = Command::new("script");
    cmd.args(["-qec", &line, "/dev/null"])
        .env_remove("NO_COLOR");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    text(&out.stdout)
}

#[test]
fn markdown_is_bold_on_a_terminal_and_plain_in_a_pipe() {
    let store = tempfile::tempdir().unwrap();
    let piped = flisbot(store.path())
        .args(["ask", "--now", SEED_DAY, "er KRL opdateret?"])
        .output()
        .unwrap();
    let piped = text(&piped.stdout);
    assert!(piped.starts_with("Nej – KRL Personale"), "{piped}");
    assert!(
        !piped.contains("**") && !piped.contains('\u{1b}'),
        "{piped}"
    );
    let found = Command::new("script")
        .arg("--version")
        .output()
        .map_err(|e| format!("no script ({e}); .ci/run installs util-linux's bsdutils"))
        .map(|_| ());
    if !tool_or_skip("markdown_is_bold_on_a_terminal_and_plain_in_a_pipe", found) {
        return;
    }
    let tty = on_a_terminal(store.path(), &[]);
    assert!(
        tty.contains("\u{1b}[1mNej\u{1b}[22m – KRL Personale"),
        "{tty:?}"
    );
    assert!(!tty.contains("**"), "{tty:?}");
    let no_color = on_a_terminal(store.path(), &[("NO_COLOR", "1")]);
    assert!(no_color.contains("Nej – KRL Personale"), "{no_color:?}");
    assert!(
        !no_color.contains('\u{1b}') && !no_color.contains("**"),
        "{no_color:?}"
    );
}
