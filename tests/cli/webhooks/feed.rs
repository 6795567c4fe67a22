//! `/feed.atom` from `flisbot serve`, read by an independent Atom parser (PyPI feedparser,
//! through `tests/webhooks/read_feed.py`): changes and announcements newest first, the
//! calendar's filters, ids that stay the same across requests and changes, 304 on
//! If-None-Match, and authors by name without a chat user id.

use std::path::Path;
use std::process::Command;

use flisbot::core::catalogue::State;
use flisbot::operations::authorisation::{Actor, Operators};
use flisbot::operations::{execute, Request, SetChange};
use flisbot::store::Store;
use serde_json::Value;

use crate::support::http::request;
use crate::support::webhook_receiver::scripts;
use crate::support::{at, python_module, set_krl_through_may, text, tool_or_skip};
use crate::web::Server;

/// A Discord user's id: kept in the store for the audit, never shown in a feed.
const CHAT_USER: u64 = 123_456_789_012_345_678;

fn set(store: &Store, actor: &Actor, args: SetChange, when: &str) {
    let operators = Operators {
        users: [CHAT_USER].into(),
        roles: Default::default(),
    };
    let done = execute(
        store,
        &operators,
        actor,
        &Request::Set(args),
        at(when),
        false,
    )
    .expect("the change is made");
    assert!(done.applied);
}

/// Three changes at three days: KRL by a Discord user, DREAM and KY from the command line.
fn three_changes(dir: &Path) {
    let store = Store::open(dir).unwrap();
    let chat = Actor::Chat {
        user_id: CHAT_USER,
        name: "Mette".into(),
        roles: Vec::new(),
    };
    let cli = Actor::Cli {
        name: "Jens".into(),
    };
    let note = |area: &str, note: &str| SetChange {
        area: area.into(),
        note: Some(Some(note.into())),
        ..SetChange::default()
    };
    set(
        &store,
        &chat,
        note("krl", "Data for maj kommer <snart> & uden forsinkelse"),
        "2025-09-01T08:00:00Z",
    );
    set(
        &store,
        &cli,
        SetChange {
            area: "dream".into(),
            state: Some(State::Down),
            ..SetChange::default()
        },
        "2025-09-20T08:00:00Z",
    );
    set(
        &store,
        &chat,
        note("ky", "Kører efter planen igen"),
        "2025-10-05T08:00:00Z",
    );
}

/// The feed as feedparser reads it.
fn read_feed(xml: &[u8]) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("feed.atom");
    std::fs::write(&file, xml).unwrap();
    let out = Command::new("python3")
        .arg(scripts().join("read_feed.py"))
        .arg(&file)
        .output()
        .expect("python3 runs");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let feed: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(feed["bozo"], false, "feedparser found it malformed: {feed}");
    assert_eq!(feed["version"], "atom10");
    feed
}

fn entries(feed: &Value) -> &Vec<Value> {
    feed["entries"].as_array().unwrap()
}

fn ids(feed: &Value) -> Vec<String> {
    entries(feed)
        .iter()
        .map(|e| e["id"].as_str().unwrap().to_owned())
        .collect()
}

/// The areas of the change entries, in feed order (from their links to the area's page).
fn changed_areas(feed: &Value) -> Vec<String> {
    entries(feed)
        .iter()
        .filter_map(|e| e["link"].as_str()?.split("/omraade/").nth(1))
        .map(str::to_owned)
        .collect()
}

#[test]
fn the_atom_feed_through_feedparser_is_newest_first_filtered_stable_and_names_no_chat_user() {
    if !tool_or_skip(
        "the_atom_feed_through_feedparser",
        python_module("feedparser", "python3 -m pip install feedparser==6.0.12"),
    ) {
        return;
    }
    let server = Server::start_with("2025-10-12T10:00:00+02:00", None, three_changes);
    let first = server.get("/feed.atom");
    assert_eq!(first.status, 200);
    assert!(
        first
            .header("content-type")
            .is_some_and(|t| t.starts_with("application/atom+xml")),
        "{:?}",
        first.headers
    );
    let raw = first.text();
    assert!(!raw.contains(&CHAT_USER.to_string()), "{raw}");
    let feed = read_feed(&first.body);
    assert!(
        feed["title"].as_str().unwrap().starts_with("FLIS-status"),
        "{feed}"
    );

    // Newest first: the three changes and the announcements of September and October.
    let updated: Vec<&str> = entries(&feed)
        .iter()
        .map(|e| e["updated"].as_str().unwrap())
        .collect();
    let mut sorted = updated.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(updated, sorted, "newest first");
    assert_eq!(changed_areas(&feed), ["ky", "dream", "krl"]);
    let titles: Vec<&str> = entries(&feed)
        .iter()
        .map(|e| e["title"].as_str().unwrap())
        .collect();
    for release in [
        "FLIS-udgivelsen for oktober 2025",
        "FLIS-udgivelsen for september 2025",
    ] {
        assert!(titles.contains(&release), "{titles:?}");
    }
    let ids_first = ids(&feed);
    let unique: std::collections::BTreeSet<&String> = ids_first.iter().collect();
    assert_eq!(unique.len(), ids_first.len(), "{ids_first:?}");
    assert!(ids_first.iter().all(|id| id.starts_with("tag:")));
    // Authors by name; the note's markup characters arrive as text.
    let krl = entries(&feed)
        .iter()
        .find(|e| e["link"].as_str().unwrap().ends_with("/omraade/krl"))
        .unwrap();
    assert_eq!(krl["author"], "Mette");
    assert!(
        krl["summary"]
            .as_str()
            .unwrap()
            .contains("<snart> & uden forsinkelse"),
        "{krl}"
    );

    // The same feed again: the same ids; with its ETag, 304 and no body.
    let again = server.get("/feed.atom");
    assert_eq!(ids(&read_feed(&again.body)), ids_first);
    let etag = first.header("etag").expect("an ETag").to_owned();
    let not_modified = request(
        &server.addr,
        "GET",
        "/feed.atom",
        &[("If-None-Match", &etag)],
    );
    assert_eq!(not_modified.status, 304);
    assert!(not_modified.body.is_empty());

    // Filtered like the calendar: by area, by group, and names redirect to ids.
    let krl_only = read_feed(&server.get("/feed.atom?omraade=krl").body);
    assert_eq!(changed_areas(&krl_only), ["krl"]);
    assert!(krl_only["title"].as_str().unwrap().contains("KRL"));
    let jobs = read_feed(&server.get("/feed.atom?gruppe=beskaeftigelse").body);
    assert_eq!(changed_areas(&jobs), ["ky", "dream"]);
    for id in ids(&jobs) {
        assert!(
            ids_first.contains(&id),
            "an entry has one id in every feed: {id}"
        );
    }
    let named = server.get("/feed.atom?gruppe=Besk%C3%A6ftigelse");
    assert_eq!(named.status, 308, "{}", named.text());
    assert_eq!(
        named.header("location"),
        Some("/feed.atom?gruppe=beskaeftigelse")
    );
    let unknown = server.get("/feed.atom?omraade=sport");
    assert_eq!(unknown.status, 400, "{}", unknown.text());

    // A change through the running server: a new ETag, the new entry first, the old ids kept.
    set_krl_through_may(server.dir.path(), "Jens");
    let after = request(
        &server.addr,
        "GET",
        "/feed.atom",
        &[("If-None-Match", &etag)],
    );
    assert_eq!(after.status, 200, "a change is never a 304");
    let feed = read_feed(&after.body);
    assert_eq!(changed_areas(&feed)[0], "krl");
    assert_eq!(ids(&feed)[1..], ids_first[..], "{feed}");

    // The status page tells browsers and feed readers where the feed is.
    let page = server.get("/").text();
    assert!(
        page.contains(r#"<link rel="alternate" type="application/atom+xml" href="/feed.atom""#),
        "{page}"
    );
}
