//! QA audit of issue 21 on main: tests that show where what the issue asks does not hold yet.
//! Each fails on main (the last one most of the time: it races a stopping process), so each is
//! ignored to keep the suite green; run them with
//! `cargo test --test cli qa_gap -- --ignored`.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use crate::import_status::export;
use crate::support::{flisbot, store_contents, text};

const NOW: &str = "2025-11-12T10:00:00+01:00";

fn november() -> String {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/statusoversigt-2025-11-10.txt");
    std::fs::read_to_string(path).unwrap()
}

/// November's document without the one line that is exactly `line` (trimmed).
fn november_without(line: &str) -> String {
    let doc = november();
    let kept: Vec<&str> = doc.split('\n').filter(|l| l.trim() != line).collect();
    assert_eq!(kept.len() + 1, doc.split('\n').count(), "{line:?} once");
    kept.join("\n")
}

fn import(store: &Path, file: &Path) -> Output {
    flisbot(store)
        .args(["admin", "import-status"])
        .arg(file)
        .args(["--by", "QA", "--now", NOW])
        .output()
        .unwrap()
}

/// Imports `damaged` into a fresh store: it must be refused with the store untouched, or give
/// exactly what the whole document gives. Returns what went wrong, if anything.
fn refused_or_whole(what: &str, damaged: &str) -> Option<String> {
    let whole = tempfile::tempdir().unwrap();
    let file = whole.path().join("whole.txt");
    std::fs::write(&file, november()).unwrap();
    assert!(import(whole.path(), &file).status.success());
    let expected = export(whole.path());

    let store = tempfile::tempdir().unwrap();
    export(store.path());
    let untouched = store_contents(store.path());
    let file = store.path().join("damaged.txt");
    std::fs::write(&file, damaged).unwrap();
    let out = import(store.path(), &file);
    if out.status.code() == Some(2) {
        return (store_contents(store.path()) != untouched)
            .then(|| format!("{what}: refused but the store changed"));
    }
    let got = export(store.path());
    if got == expected {
        return None;
    }
    // The lines of its export that the whole document's export does not have.
    let differs: Vec<String> = got
        .lines()
        .filter(|g| !g.starts_with("at = ") && !expected.lines().any(|e| e == *g))
        .map(|g| format!("  {g}"))
        .collect();
    Some(format!(
        "{what}: imported (exit {:?}) and differs from the whole document:\n{}",
        out.status.code(),
        differs.join("\n")
    ))
}

/// Issue 21 point 1 ("cut notes"): a note that lost its last line in the middle of the
/// document is imported as it stands, cut mid-sentence ("… Vi melder ud, når data er"); only
/// the document's last note is checked for that. The same for a wrapped source that lost its
/// second line.
#[test]
#[ignore = "QA gap, issue 21 point 1: fails on main"]
fn qa_gap_p1_a_note_or_source_that_lost_a_line_mid_document_is_imported_cut() {
    let failures: Vec<String> = [
        "tilgængelige igen.",
        "mangler stadig.",
        "løsningen, og en ny tidsplan ventes i december.",
        "driftsinfo for nærmere oplysninger.",
        "kommunernes EOJ-løsninger)",
    ]
    .iter()
    .filter_map(|line| refused_or_whole(&format!("without «{line}»"), &november_without(line)))
    .collect();
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

/// Issue 21 point 1: a page-header line missing from the text (pdftotext versions differ in
/// what they put out around page breaks) is not refused: the rest of the header is read into
/// the note above it ("- frekvens Data t.o.m. Kilde Drift"), which changes Nøgletal's state
/// from ok to disturbed; without the title line "FLIS" at the top, the "FLIS" of a later page
/// header is read into Skole's note.
#[test]
#[ignore = "QA gap, issue 21 point 1: fails on main"]
fn qa_gap_p1_a_missing_page_header_line_is_read_into_a_note() {
    let doc = november();
    let first_header = doc.find("\nDataområde Opdaterings-\n").unwrap();
    let second_header = first_header
        + 1
        + doc[first_header + 1..]
            .find("\nDataområde Opdaterings-\n")
            .unwrap();
    let without_second_header = format!(
        "{}{}",
        &doc[..second_header],
        &doc[second_header + "\nDataområde Opdaterings-".len()..]
    );
    let without_title = doc.replacen("\nFLIS\n", "\n", 1);
    let failures: Vec<String> = [
        (
            "without the page 2 header's first line",
            without_second_header,
        ),
        ("without the title line FLIS", without_title),
    ]
    .iter()
    .filter_map(|(what, text)| refused_or_whole(what, text))
    .collect();
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

/// Issue 21 points 7 and 11 ("the CLI right after the bot stops"): a command sent while the
/// holder is stopping on SIGTERM may be accepted on the control socket and never answered:
/// the holder flushes, removes the socket file and exits without stopping the socket's
/// listener or waiting for the commands it accepted. The CLI then says the outcome is unknown
/// (exit 1), although nothing was lost to a crash; 1 to 5 in 100 such commands on a loaded
/// 2-core machine. Expected: answered by the stopping holder, or run on the store once it is
/// let go of.
#[test]
#[ignore = "QA gap, issue 21 points 7/11: fails on main (a race, most runs)"]
fn qa_gap_p11_a_cli_command_right_after_sigterm_is_not_left_unanswered() {
    let dir = tempfile::tempdir().unwrap();
    export(dir.path());
    let serve = |dir: &PathBuf| {
        let mut child = flisbot(dir)
            .args(["serve", "--listen", "127.0.0.1:0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        assert!(line.starts_with("flisbot serve: http://"), "{line:?}");
        child
    };
    let dir_path = dir.path().to_path_buf();
    let mut unknown = Vec::new();
    for i in 0..100 {
        let mut holder = serve(&dir_path);
        Command::new("kill")
            .args(["-TERM", &holder.id().to_string()])
            .status()
            .unwrap();
        let out = flisbot(dir.path())
            .args([
                "admin",
                "set",
                "krl",
                "--note",
                &format!("Note {i}."),
                "--by",
            ])
            .arg(format!("QA{i}"))
            .output()
            .unwrap();
        let _ = holder.wait();
        if !out.status.success() {
            unknown.push(format!("{i}: {}", text(&out.stderr)));
        }
    }
    assert!(
        unknown.is_empty(),
        "{} of 100 commands sent right after SIGTERM were not answered:\n{}",
        unknown.len(),
        unknown.join("\n")
    );
}
