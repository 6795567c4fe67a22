//! The store's own tests: opening, layout, reading back what was written.

use std::fs::File;
use std::time::Duration;

use chrono::Utc;

use super::open::is_sled_lock_busy;
use super::*;
use crate::core::catalogue::{default_catalogue, State};
use crate::test_support::TempStore;

/// Commits KRL as running to plan (it is disturbed in the default catalogue).
pub(super) fn mark_krl_ok(store: &Store) {
    let mut krl = store.catalogue().area(AreaId::Krl).unwrap().clone();
    krl.state = State::Ok;
    store
        .test_commit(Commit {
            areas: vec![krl],
            ..Commit::default()
        })
        .unwrap();
}

#[test]
fn a_new_store_is_seeded_and_reopens_with_its_data() {
    let store = TempStore::new();
    assert_eq!(&*store.catalogue(), default_catalogue());
    mark_krl_ok(&store);
    let store = store.reopen();
    let c = store.catalogue();
    assert_eq!(
        c.area(AreaId::Krl).unwrap().state,
        State::Ok,
        "reopen keeps the change"
    );
    assert_eq!(c.areas.len(), 19);
}

/// A store written before areas had their own status date: on open each area gets the date
/// it read as then (its last change's day or the catalogue's as-of date), on disk, so a
/// later as-of date moves none of them.
#[test]
fn an_older_store_gives_its_areas_their_own_status_date_once() {
    let store = TempStore::new();
    let mut krl = store.catalogue().area(AreaId::Krl).unwrap().clone();
    krl.status_date = None;
    krl.changed = Some(crate::core::catalogue::ChangeStamp {
        by: crate::core::catalogue::Author::named("Mette"),
        at: "2025-10-01T08:00:00Z".parse().unwrap(),
    });
    let mut ky = store.catalogue().area(AreaId::Ky).unwrap().clone();
    ky.status_date = None;
    store
        .test_commit(Commit {
            areas: vec![krl, ky],
            as_of: Some("2025-09-20".parse().unwrap()),
            ..Commit::default()
        })
        .unwrap();
    store
        .meta
        .insert(keys::SCHEMA, SCHEMA_1.as_bytes())
        .unwrap();
    let store = store.reopen();
    assert_eq!(
        store.meta.get(keys::SCHEMA).unwrap().as_deref(),
        Some(SCHEMA.as_bytes()),
        "upgraded"
    );
    let date = |id: AreaId| {
        store
            .catalogue()
            .area(id)
            .unwrap()
            .status_date
            .map(|d| d.to_string())
    };
    assert_eq!(date(AreaId::Krl).as_deref(), Some("2025-10-01"));
    assert_eq!(date(AreaId::Ky).as_deref(), Some("2025-09-20"));
    assert_eq!(date(AreaId::Dream).as_deref(), Some("2025-09-10"));
    store
        .test_commit(Commit {
            as_of: Some("2025-11-10".parse().unwrap()),
            ..Commit::default()
        })
        .unwrap();
    let store = store.reopen();
    assert_eq!(
        store
            .catalogue()
            .area(AreaId::Ky)
            .unwrap()
            .status_date
            .map(|d| d.to_string())
            .as_deref(),
        Some("2025-09-20"),
        "written on the first open, so the new as-of date moved nothing"
    );
}

/// Values exactly as a version-1 flisbot wrote them: an area without its own date whose
/// author is a plain string with a chat user id, and a history entry likewise.
#[test]
fn values_written_by_the_previous_layout_still_read() {
    let store = TempStore::new();
    let mut krl = serde_json::to_value(default_catalogue().area(AreaId::Krl).unwrap()).unwrap();
    krl.as_object_mut().unwrap().remove("status_date");
    krl["changed"] =
        serde_json::json!({"by": "Pia (222222222222222222)", "at": "2025-10-01T08:00:00Z"});
    let entry = serde_json::json!({
        "seq": 7, "at": "2025-10-01T08:00:00Z", "by": "Pia (222222222222222222)",
        "action": "set", "before": {"area": krl.clone()}, "after": {"area": krl.clone()},
    });
    store
        .areas
        .insert("krl", serde_json::to_vec(&krl).unwrap())
        .unwrap();
    store
        .history
        .insert(
            keys::history(Subject::Area(AreaId::Krl), 7),
            serde_json::to_vec(&entry).unwrap(),
        )
        .unwrap();
    store
        .meta
        .insert(keys::SCHEMA, SCHEMA_1.as_bytes())
        .unwrap();
    store.flush().unwrap();
    let store = store.reopen();
    let c = store.catalogue();
    let krl = c.area(AreaId::Krl).unwrap();
    let by = &krl.changed.as_ref().unwrap().by;
    assert_eq!(
        (by.name(), by.chat_user_id()),
        ("Pia", Some(222222222222222222))
    );
    assert_eq!(krl.status_date.unwrap().to_string(), "2025-10-01");
    let h = store.history(AreaId::Krl, 1).unwrap();
    assert_eq!(h[0].by.public_name(), "Pia");
    assert!(h[0].parts.is_empty());
}

#[test]
fn status_rules_are_written_with_their_commit_and_kept_across_reopen() {
    let store = TempStore::new();
    assert_eq!(store.status_rules(), None, "none before an import");
    let mut krl = default_catalogue().area(AreaId::Krl).unwrap().clone();
    krl.state = State::Ok;
    store
        .test_commit(Commit {
            areas: vec![krl],
            status_rules: Some("Opdateringsfrekvens\nUndtagelser:".into()),
            ..Commit::default()
        })
        .unwrap();
    assert_eq!(
        store.status_rules().as_deref(),
        Some("Opdateringsfrekvens\nUndtagelser:")
    );
    store
        .test_commit(Commit {
            as_of: Some("2025-10-10".parse().unwrap()),
            ..Commit::default()
        })
        .unwrap();
    assert_eq!(
        store.status_rules().as_deref(),
        Some("Opdateringsfrekvens\nUndtagelser:"),
        "a commit without rules keeps them"
    );
    store.fail_next_writes(1);
    assert!(store
        .test_commit(Commit {
            status_rules: Some("Ny".into()),
            ..Commit::default()
        })
        .is_err());
    let store = store.reopen();
    assert_eq!(
        store.status_rules().as_deref(),
        Some("Opdateringsfrekvens\nUndtagelser:"),
        "kept across reopen; a failed commit wrote nothing"
    );
    assert_eq!(
        store.catalogue().area(AreaId::Krl).unwrap().state,
        State::Ok
    );
}

/// A kill while sled writes a snapshot leaves `snap.*.generating`; without the clean-up sled
/// refuses the store for good ("Read corrupted data"), which the SIGKILL test hit.
#[test]
fn an_unfinished_snapshot_left_by_a_crash_does_not_lock_the_store_out() {
    let store = TempStore::new();
    mark_krl_ok(&store);
    let dir = store.dir.path().to_owned();
    drop(store.store);
    let unfinished = dir.join("sled").join("snap.FFFFFFFFFFFFFFF0.generating");
    std::fs::write(&unfinished, b"a snapshot cut short by SIGKILL").unwrap();
    let reopened = Store::open(&dir).expect("the store opens");
    assert_eq!(
        reopened.catalogue().area(AreaId::Krl).unwrap().state,
        State::Ok
    );
    assert!(!unfinished.exists());
}

#[test]
fn boards_are_kept_and_a_removed_board_is_not_brought_back() {
    let store = TempStore::new();
    store.put_board(5, Some(&Board::default())).unwrap();
    assert!(store.set_board_message(5, 77).unwrap());
    let store = store.reopen();
    assert_eq!(
        store.boards().unwrap(),
        [(
            5,
            Board {
                message_id: Some(77)
            }
        )]
    );
    assert!(
        !store.forget_board_message(5, &[76, 78]).unwrap(),
        "not its message"
    );
    assert!(
        !store.forget_board_message(6, &[77]).unwrap(),
        "not a board"
    );
    assert!(store.forget_board_message(5, &[76, 77]).unwrap());
    assert_eq!(store.boards().unwrap(), [(5, Board { message_id: None })]);
    store.put_board(5, None).unwrap();
    assert!(!store.set_board_message(5, 78).unwrap());
    assert!(!store.forget_board_message(5, &[78]).unwrap());
    assert!(store.boards().unwrap().is_empty());
}

#[test]
fn a_second_open_of_a_store_in_use_is_refused_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let _first = Store::open(dir.path()).unwrap();
    match Store::open(dir.path()) {
        Err(StoreError::InUse { dir: d }) => assert_eq!(d, dir.path()),
        other => panic!("expected InUse, got {:?}", other.map(|_| ())),
    }
}

/// sled says its lock is taken only in an I/O error's text; an upgrade that words it
/// otherwise must fail here, not make reopening flaky again.
#[test]
fn sled_reports_its_lock_as_busy_in_the_words_we_look_for() {
    let dir = tempfile::tempdir().unwrap();
    let _held = sled::Config::new().path(dir.path()).open().unwrap();
    let e = sled::Config::new().path(dir.path()).open().unwrap_err();
    assert!(is_sled_lock_busy(&e), "{e}");
    assert!(!is_sled_lock_busy(&sled::Error::Io(std::io::Error::other(
        "disk full"
    ))));
}

/// Holds sled's own lock file of the store in `dir`, as sled's writer threads do for a
/// moment after the last handle was dropped.
fn hold_sled_lock(dir: &Path) -> File {
    let file = File::options()
        .read(true)
        .write(true)
        .open(dir.join("sled").join("db"))
        .unwrap();
    file.try_lock().unwrap();
    file
}

#[test]
fn opening_waits_for_sled_to_let_go_and_then_reads_the_data() {
    let store = TempStore::new();
    mark_krl_ok(&store);
    let TempStore { store, dir } = store;
    drop(store);
    let held = hold_sled_lock(dir.path());
    let path = dir.path().to_owned();
    let opener = std::thread::spawn(move || Store::open(&path).map(|s| s.catalogue()));
    std::thread::sleep(Duration::from_millis(200));
    drop(held);
    let catalogue = opener.join().unwrap().expect("opens once sled lets go");
    assert_eq!(catalogue.area(AreaId::Krl).unwrap().state, State::Ok);
}

#[test]
fn a_sled_lock_that_stays_taken_is_a_store_in_use_after_the_wait() {
    let dir = tempfile::tempdir().unwrap();
    drop(Store::open(dir.path()).unwrap());
    let _held = hold_sled_lock(dir.path());
    match Store::open_with(dir.path(), Duration::ZERO, Duration::from_millis(50)) {
        Err(StoreError::InUse { dir: d }) => assert_eq!(d, dir.path()),
        other => panic!("expected InUse, got {:?}", other.map(|_| ())),
    }
}

#[test]
fn open_waiting_gets_a_store_another_handle_lets_go_of() {
    let dir = tempfile::tempdir().unwrap();
    let first = Store::open(dir.path()).unwrap();
    let path = dir.path().to_owned();
    let waiter =
        std::thread::spawn(move || Store::open_waiting(&path, Duration::from_secs(30)).is_ok());
    std::thread::sleep(Duration::from_millis(200));
    drop(first);
    assert!(waiter.join().unwrap(), "opened once the first let go");
    let _again = Store::open(dir.path()).unwrap();
}

#[test]
fn announcements_are_remembered_per_channel_across_reopen() {
    let dir = tempfile::tempdir().unwrap();
    {
        let store = Store::open(dir.path()).unwrap();
        assert!(!store.was_announced(1, "monthly-2025-10").unwrap());
        store
            .record_announced(1, "monthly-2025-10", Utc::now())
            .unwrap();
    }
    let store = Store::open(dir.path()).unwrap();
    assert!(store.was_announced(1, "monthly-2025-10").unwrap());
    assert!(!store.was_announced(2, "monthly-2025-10").unwrap());
    assert!(!store.was_announced(1, "early-2025-10").unwrap());
}

#[test]
fn history_is_newest_first_per_subject() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let area = default_catalogue().area(AreaId::Ky).unwrap().clone();
    // `borgerflex` starts with `borger`: a subject's entries are its own.
    for (id, action) in [
        (AreaId::Ky, "one"),
        (AreaId::Ky, "two"),
        (AreaId::BorgerFlex, "flex"),
        (AreaId::Ky, "three"),
    ] {
        let entry = HistoryEntry {
            seq: 0,
            at: Utc::now(),
            by: crate::core::catalogue::Author::named("test"),
            action: crate::core::history::Action::Recorded(action.into()),
            before: crate::core::history::Snapshot::Area(Box::new(area.clone())),
            after: crate::core::history::Snapshot::Area(Box::new(area.clone())),
            undone: false,
            reverts: None,
            parts: Vec::new(),
        };
        store
            .test_commit(Commit {
                entries: vec![(Subject::Area(id), entry)],
                ..Commit::default()
            })
            .unwrap();
    }
    let h = store.history(AreaId::Ky, 2).unwrap();
    let actions: Vec<String> = h.iter().map(|e| e.action.danish()).collect();
    assert_eq!(actions, ["three", "two"]);
    assert!(store.history(AreaId::Kp, 10).unwrap().is_empty());
    assert!(
        store.history(AreaId::Borger, 10).unwrap().is_empty(),
        "prefix must not leak across ids"
    );
    assert_eq!(store.history(AreaId::BorgerFlex, 10).unwrap().len(), 1);
}

/// A notice id is kept as 8 big-endian bytes after the recipient's key (a user, a channel or a
/// webhook target); once sled's ids have grown past what reads as UTF-8 the queues must still
/// be read and emptied, not refused as corrupt (a serve that met one delivered nothing).
#[test]
fn a_queued_notice_whose_id_is_not_text_is_read_with_its_recipient() {
    use crate::core::catalogue::AreaId;
    use crate::core::history::Action;
    use crate::core::notify::{notice, Target};
    let store = TempStore::new();
    let krl = default_catalogue().area(AreaId::Krl).unwrap().clone();
    let mut after = krl.clone();
    after.state = State::Down;
    let mut n = notice(&krl, &after, &Action::Set, Utc::now()).unwrap();
    n.id = 0x00ff_fe80_c3ff_0001;
    let user = keys::outbox(Target::User(1), &n);
    let hook = keys::webhook_outbox("hr", &n);
    assert!(std::str::from_utf8(&user).is_err() && std::str::from_utf8(&hook).is_err());
    store.outbox.insert(user, encode(&n).unwrap()).unwrap();
    store
        .webhook_outbox
        .insert(hook, encode(&n).unwrap())
        .unwrap();

    let queued = store.outbox().unwrap();
    assert_eq!(queued.len(), 1);
    assert_eq!(
        (queued[0].target, queued[0].notice.id),
        (Target::User(1), n.id)
    );
    let hooked = store.webhook_outbox().unwrap();
    assert_eq!(hooked.len(), 1);
    assert_eq!((hooked[0].0.as_str(), hooked[0].1.id), ("hr", n.id));

    store.delivered(Target::User(1), &[n.clone()]).unwrap();
    store.webhook_delivered("hr", &[n]).unwrap();
    assert!(store.outbox().unwrap().is_empty());
    assert!(store.webhook_outbox().unwrap().is_empty());
}
