use std::path::Path;
use std::process::Output;

use crate::support::{flisbot, store_contents, text};

fn admin(store: &Path, args: &[&str]) -> Output {
    flisbot(store).arg("admin").args(args).output().unwrap()
}

fn export(store: &Path) -> String {
    let out = admin(store, &["export"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    text(&out.stdout)
}

#[test]
fn an_operator_change_shows_in_the_next_answer_with_its_author() {
    let store = tempfile::tempdir().unwrap();
    let out = admin(
        store.path(),
        &[
            "set",
            "KRL",
            "--through",
            "2025-05",
            "--state",
            "ok",
            "--by",
            "Mette",
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("data t.o.m. april 2025 → maj 2025"),
        "{}",
        text(&out.stdout)
    );
    let reply = flisbot(store.path())
        .args(["ask", "status krl"])
        .output()
        .unwrap();
    let reply = text(&reply.stdout);
    assert!(
        reply.contains("Data t.o.m. maj 2025") && reply.contains("af Mette"),
        "{reply}"
    );
}

#[test]
fn bad_admin_input_exits_non_zero_in_danish_and_changes_nothing() {
    let store = tempfile::tempdir().unwrap();
    let before = export(store.path());
    let broken = store.path().join("broken.toml");
    std::fs::write(&broken, "as_of = \"2025-09-10\"\n[[areas]]\nid = \"ky\"\n").unwrap();
    let cases: [(&[&str], &str); 8] = [
        (&["set", "krl", "--through", "2025-06"], "--by"),
        // The command line's own flags, not a slash command's options.
        (
            &["set", "krl", "--by", "M"],
            "--through, --state eller --note.",
        ),
        (
            &["set", "krl", "--through", "2025-13", "--by", "M"],
            "ÅÅÅÅ-MM",
        ),
        (&["set", "krl", "--through", "juni", "--by", "M"], "«juni»"),
        (
            &["set", "drem", "--through", "2025-06", "--by", "M"],
            "Mente du DREAM?",
        ),
        (
            &["set", "ky", "--state", "kaput", "--by", "M"],
            "ok, disturbed eller down",
        ),
        (
            &["import", broken.to_str().unwrap(), "--by", "M"],
            "intet er ændret",
        ),
        (&["export", "--format", "xml"], "toml eller json"),
    ];
    for (args, expect) in cases {
        let out = admin(store.path(), args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = text(&out.stderr);
        assert!(err.contains(expect), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
    }
    assert_eq!(export(store.path()), before);
}

/// One validation for every path: values out of bounds are refused by the single commands and
/// by a catalogue file alike, in Danish, with exit status 2 and every byte of the store as it was.
#[test]
fn out_of_bounds_values_are_refused_on_every_path_with_exit_2_and_no_change() {
    let store = tempfile::tempdir().unwrap();
    let exported = export(store.path());
    let file = |name: &str, from: &str, to: &str| {
        assert!(exported.contains(from), "{from}");
        let path = store.path().join(name);
        std::fs::write(&path, exported.replacen(from, to, 1)).unwrap();
        path.to_str().unwrap().to_owned()
    };
    let krl_lag = "lag = 4";
    let files = [
        file("lag-max.toml", krl_lag, "lag = 4294967295"),
        file("lag-999.toml", krl_lag, "lag = 999"),
        file(
            "future.toml",
            "as_of = \"2025-09-10\"",
            "as_of = \"2099-01-01\"",
        ),
        file(
            "year-0.toml",
            "as_of = \"2025-09-10\"",
            "as_of = \"0000-01-01\"",
        ),
        file(
            "through.toml",
            "through = \"2025-04\"",
            "through = \"9999-12\"",
        ),
    ];
    let now = "2025-10-10T09:00:00+02:00";
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["as-of", "0000-01-01"], "før FLIS fandtes"),
        (vec!["as-of", "2099-01-01"], "ligger i fremtiden"),
        (
            vec!["set", "krl", "--through", "9999-12"],
            "Data t.o.m. december 9999 ligger i fremtiden",
        ),
        (
            vec!["rule", "krl", "--lag", "4294967295"],
            "4294967295 måneder er for lang",
        ),
        (
            vec!["rule", "krl", "--lag", "999"],
            "999 måneder er for lang",
        ),
        (
            vec!["rule", "dream", "--early-days", "0-40"],
            "tidligt vindue",
        ),
        (
            vec!["release", "--month", "9999-12"],
            "data t.o.m. oktober 9999",
        ),
        (
            vec!["import", &files[0]],
            "Området «krl»: En forsinkelse på 4294967295 måneder",
        ),
        (vec!["import", &files[1]], "999 måneder er for lang"),
        (
            vec!["import", &files[2]],
            "Statusdatoen 1. januar 2099 ligger i fremtiden",
        ),
        (
            vec!["import", &files[3]],
            "Statusdatoen 1. januar 0 er fra før FLIS fandtes",
        ),
        (
            vec!["import", &files[4]],
            "Data t.o.m. december 9999 ligger efter",
        ),
    ];
    let before = store_contents(store.path());
    for (args, expect) in cases {
        let mut args = args.clone();
        args.extend(["--by", "Ops", "--now", now]);
        let out = admin(store.path(), &args);
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(
            err.contains(expect) && err.contains("ntet er ændret"),
            "{args:?}: {err}"
        );
        assert_eq!(
            store_contents(store.path()),
            before,
            "{args:?} changed the store"
        );
    }
}

#[test]
fn export_import_round_trip_and_dry_run() {
    let store = tempfile::tempdir().unwrap();
    admin(
        store.path(),
        &[
            "set",
            "dfdg",
            "--state",
            "ok",
            "--through",
            "2025-07",
            "--by",
            "Ops",
        ],
    );
    let file = store.path().join("catalogue.toml");
    let exported = export(store.path());
    assert_eq!(
        exported,
        export(store.path()),
        "two exports are the same bytes"
    );
    std::fs::write(&file, &exported).unwrap();
    let out = admin(
        store.path(),
        &["import", file.to_str().unwrap(), "--by", "Ops"],
    );
    assert!(
        text(&out.stdout).contains("Ingen ændringer"),
        "{}",
        text(&out.stdout)
    );

    let json = store.path().join("catalogue.json");
    let out = admin(store.path(), &["export", "--format", "json"]);
    let edited = text(&out.stdout).replace("\"through\": \"2025-07\"", "\"through\": \"2025-08\"");
    std::fs::write(&json, edited).unwrap();
    let dry = admin(
        store.path(),
        &["import", json.to_str().unwrap(), "--dry-run", "--by", "Ops"],
    );
    assert!(
        text(&dry.stdout).contains("Prøvekørsel"),
        "{}",
        text(&dry.stdout)
    );
    assert_eq!(export(store.path()), exported, "a dry run changes nothing");
    let real = admin(
        store.path(),
        &["import", json.to_str().unwrap(), "--by", "Ops"],
    );
    assert!(
        text(&real.stdout).contains("juli 2025 → august 2025"),
        "{}",
        text(&real.stdout)
    );
}

#[test]
fn release_history_and_undo_across_processes() {
    let store = tempfile::tempdir().unwrap();
    let out = admin(
        store.path(),
        &[
            "release", "--month", "2025-10", "--except", "fsiii,vh", "--by", "Ops",
        ],
    );
    assert!(
        text(&out.stdout).contains("DREAM: data t.o.m. maj 2025 → juni 2025"),
        "{}",
        text(&out.stdout)
    );
    let again = admin(
        store.path(),
        &["release", "--month", "2025-10", "--by", "Ops"],
    );
    assert!(text(&again.stdout).contains("FSIII") && !text(&again.stdout).contains("Borger:"));
    let h = admin(store.path(), &["history", "dream"]);
    assert!(
        text(&h.stdout).contains("Ops · udgivelse 2025-10"),
        "{}",
        text(&h.stdout)
    );
    let undo = admin(store.path(), &["undo", "dream", "--by", "Mette"]);
    assert!(
        text(&undo.stdout).contains("juni 2025 → maj 2025"),
        "{}",
        text(&undo.stdout)
    );
    let h = admin(store.path(), &["history", "dream", "--limit", "5"]);
    assert!(
        text(&h.stdout).contains("(fortrudt)"),
        "{}",
        text(&h.stdout)
    );
}

/// Kills `flisbot admin set` with SIGKILL at many points; every change that reported success
/// must be in the store afterwards, and the store must always open cleanly.
#[test]
fn confirmed_changes_survive_sigkill_at_any_moment() {
    let store = tempfile::tempdir().unwrap();
    // Seed first, so the kills hit updates, not seeding.
    admin(store.path(), &["export"]);
    // How long one update takes on this machine and build, so the kills spread over its life.
    let started = std::time::Instant::now();
    admin(
        store.path(),
        &["set", "ky", "--note", "warm-up", "--by", "crash"],
    );
    let mut life = started.elapsed().as_micros().max(1000) as u64 * 3 / 2;
    let mut confirmed = Vec::new();
    let mut killed = 0;
    for i in 0..200u64 {
        if i >= 60 && killed > 0 && !confirmed.is_empty() {
            break;
        }
        // A loaded machine may shift the process's life: widen or narrow the spread.
        if i > 0 && i % 20 == 0 {
            if confirmed.is_empty() {
                life *= 2;
            } else if killed == 0 {
                life /= 2;
            }
        }
        let note = format!("crash-note-{i}");
        let mut child = flisbot(store.path())
            .args(["admin", "set", "ky", "--note", &note, "--by", "crash"])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        // Spread the kills over the process's life: start-up, open, commit, flush, print.
        std::thread::sleep(std::time::Duration::from_micros((i * 7919) % life));
        let _ = child.kill();
        let out = child.wait_with_output().unwrap();
        if out.status.success() {
            assert!(text(&out.stdout).contains("Gemt"), "{}", text(&out.stdout));
            confirmed.push(note);
        } else {
            killed += 1;
            assert!(
                out.status.code().is_none(),
                "failed without being killed: {}",
                text(&out.stderr)
            );
        }
    }
    let out = admin(store.path(), &["history", "ky", "--limit", "1000"]);
    assert!(
        out.status.success(),
        "the store opens after all the kills: {}",
        text(&out.stderr)
    );
    let history = text(&out.stdout);
    for note in &confirmed {
        assert!(
            history.contains(&format!("«{note}»")),
            "confirmed {note} is lost"
        );
    }
    eprintln!("{} confirmed, {killed} killed", confirmed.len());
    assert!(
        killed > 0 && !confirmed.is_empty(),
        "the kills must land on both sides"
    );
}
