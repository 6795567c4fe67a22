use std::process::Command;

use crate::support::{flisbot, text, SEED_DAY};

#[test]
fn ask_answers_from_any_directory_with_a_fresh_store() {
    let store = tempfile::tempdir().unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    let out = flisbot(store.path())
        .current_dir(elsewhere.path())
        .args(["ask", "--now", SEED_DAY, "hvornår", "kommer", "DREAM-data?"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let reply = text(&out.stdout);
    assert!(
        reply.contains("DREAM") && reply.contains("ca. 19.–26. september 2025"),
        "{reply}"
    );
    assert!(reply.contains("data t.o.m. juni 2025"), "{reply}");
    assert!(
        store.path().join("sled").exists(),
        "the store was created where --store says"
    );
}

#[test]
fn ask_takes_the_store_from_the_environment_and_defaults_to_the_user_data_folder() {
    let store = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_flisbot"))
        .env("FLISBOT_STORE", store.path())
        .args(["ask", "status ky"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(store.path().join("sled").exists());

    let home = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_flisbot"))
        .env_remove("FLISBOT_STORE")
        .env_remove("XDG_DATA_HOME")
        .env("HOME", home.path())
        .args(["ask", "status ky"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(home.path().join(".local/share/flisbot/sled").exists());
}

#[test]
fn any_question_text_exits_zero_with_a_useful_reply() {
    let store = tempfile::tempdir().unwrap();
    for (q, expect) in [
        ("", "Spørg fx"),
        ("fortæl en vittighed", "desværre ikke"),
        ("@everyone \u{202e}\u{1}", "desværre ikke"),
        ("--", "/hjaelp"),
        ("-x fortæl en vittighed", "desværre ikke"),
    ] {
        let out = flisbot(store.path())
            .args(["ask", "--", q])
            .output()
            .unwrap();
        assert!(out.status.success(), "{q:?}: {}", text(&out.stderr));
        assert!(
            text(&out.stdout).contains(expect),
            "{q:?}: {}",
            text(&out.stdout)
        );
    }
}

#[test]
fn a_bad_now_is_refused_in_danish() {
    let store = tempfile::tempdir().unwrap();
    let out = flisbot(store.path())
        .args(["ask", "--now", "i går", "status ky"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("RFC 3339"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn a_store_in_use_gives_a_clear_message_not_a_panic() {
    let store = tempfile::tempdir().unwrap();
    let mut holder = flisbot(store.path())
        .arg("console")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // The console opens the store before it reads; wait until it holds the lock.
    let lock = store.path().join("sled");
    for _ in 0..200 {
        if lock.exists() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let mut refused = None;
    for _ in 0..50 {
        let out = flisbot(store.path())
            .args(["ask", "status ky"])
            .output()
            .unwrap();
        if out.status.code() == Some(3) {
            refused = Some(out);
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    drop(holder.stdin.take());
    holder.wait().unwrap();
    let out = refused.expect("a second process is refused while the console holds the store");
    let err = text(&out.stderr);
    assert!(
        err.contains("bruges allerede") && !err.contains("panicked"),
        "{err}"
    );
    // Once the holder is gone, the store opens again with its data.
    let out = flisbot(store.path())
        .args(["ask", "status ky"])
        .output()
        .unwrap();
    assert!(out.status.success());
}
