//! The web as people meet it (issue 20): names typed into addresses, the HTML 404, the badge
//! and who may embed it, the feed for other sites, the calendar feed read by Python's
//! `icalendar`, the release calendar page against the release days, and headless Chromium
//! showing `/`, an area page and `/kalender` at desktop and phone widths, light and dark,
//! with what the page says checked in its DOM and axe-core's accessibility rules run on it.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Stdio};

use chrono::NaiveDate;
use flisbot::core::catalogue::{default_catalogue, AreaId, Catalogue, State};
use flisbot::core::facts::{self, catalogue_facts, DayKind, EntryStatus};
use flisbot::views::danish::Danish;
use serde_json::Value;

use crate::support::{flisbot, python_module, text, tool_or_skip};
use crate::web::Server;

/// The problems day: the seed catalogue ten days after its status, two areas down, five
/// disturbed (KRL also behind).
const PROBLEMS_DAY: &str = "2025-09-20T10:00:00+02:00";
/// The seed catalogue in December: its status is more than 45 days old.
const STALE_DAY: &str = "2025-12-01T10:00:00+01:00";

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// The text of `html` without its tags.
fn visible(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// HTML as a browser reads it for these checks: the entities our templates write decoded.
fn unescaped(html: &str) -> String {
    html.replace("&#x2f;", "/")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// Operators put every area back to running to plan (and KRL and DFDG up to date) on the
/// seed's day: the store of a day where all is well.
fn all_well(store: &Path) {
    for (area, through) in [
        ("aeldre", None),
        ("dfdg", Some("2025-07")),
        ("oekonomi", None),
        ("krl", Some("2025-05")),
        ("skole", None),
        ("fsiii", None),
        ("vh", None),
    ] {
        let mut cmd = flisbot(store);
        cmd.args([
            "admin",
            "set",
            area,
            "--state",
            "ok",
            "--note",
            "Kører efter planen",
        ]);
        if let Some(t) = through {
            cmd.args(["--through", t]);
        }
        let out = cmd
            .args(["--by", "Test", "--now", "2025-09-10T10:00:00+02:00"])
            .output()
            .unwrap();
        assert!(out.status.success(), "{area}: {}", text(&out.stderr));
    }
}

#[test]
fn names_a_user_types_lead_to_the_id_and_an_unknown_page_is_html_in_the_sites_style() {
    let server = Server::start();
    for (path, to) in [
        ("/omraade/%C3%98konomi", "/omraade/oekonomi"),
        ("/omraade/okonomi", "/omraade/oekonomi"),
        ("/omraade/KRL", "/omraade/krl"),
        ("/omraade/KRL%20Personale", "/omraade/krl"),
        ("/omraade/fs3", "/omraade/fsiii"),
        ("/badge/%C3%98konomi.svg", "/badge/oekonomi.svg"),
        (
            "/kalender.ics?omraade=%C3%B8konomi",
            "/kalender.ics?omraade=oekonomi",
        ),
        (
            "/kalender.ics?gruppe=Social%20og%20sundhed&omraade=dream",
            "/kalender.ics?omraade=dream&gruppe=social_sundhed",
        ),
        (
            "/kalender?gruppe=Social+og+sundhed",
            "/kalender?gruppe=social_sundhed",
        ),
        ("/kalender?omraade=", "/kalender"),
    ] {
        let r = server.get(path);
        assert_eq!(r.status, 308, "{path}: {}", r.text());
        assert_eq!(r.header("location"), Some(to), "{path}");
        let target = server.get(to);
        assert_eq!(target.status, 200, "{to}");
    }
    for path in ["/findes-ikke", "/omraade/sport", "/omraade/star"] {
        let r = server.get(path);
        assert_eq!(r.status, 404, "{path}");
        assert_eq!(r.header("content-type"), Some("text/html; charset=utf-8"));
        let html = r.text();
        assert!(
            html.contains("<link rel=\"stylesheet\" href=\"/stil.css\">"),
            "{html}"
        );
        assert!(html.contains("href=\"/kalender\""), "a way on: {html}");
    }
    assert!(server
        .get("/omraade/sport")
        .text()
        .contains("«sport» findes ikke"));
    // A filter the page cannot read is a 400 in the page's style; the feed's stays text.
    let r = server.get("/kalender?gruppe=sport");
    assert_eq!(r.status, 400);
    assert!(r.text().contains("Ukendt gruppe «sport»") && r.text().contains("stil.css"));
}

#[test]
fn the_badge_is_an_svg_with_the_states_colour_that_other_sites_may_embed() {
    if !tool_or_skip(
        "the_badge_is_an_svg_with_the_states_colour_that_other_sites_may_embed",
        python_module("xml.etree.ElementTree", "python3 (standard library)"),
    ) {
        return;
    }
    let server = Server::start_at_day(PROBLEMS_DAY);
    // Python's own XML parser reads each badge: its size, the state box's colour, its words.
    const READ_SVG: &str = r#"
import json, sys
import xml.etree.ElementTree as ET
root = ET.fromstring(open(sys.argv[1], 'rb').read())
ns = '{http://www.w3.org/2000/svg}'
state = [r for r in root.iter(ns + 'rect') if r.get('class') == 'state'][0]
print(json.dumps({
    'tag': root.tag, 'width': root.get('width'), 'height': root.get('height'),
    'role': root.get('role'), 'label': root.get('aria-label'),
    'title': root.find(ns + 'title').text,
    'fill': state.get('fill'),
    'texts': [t.text for t in root.iter(ns + 'text')],
}))
"#;
    let dir = tempfile::tempdir().unwrap();
    for (id, state, fill, words) in [
        ("ky", State::Ok, "#1a7f37", "t.o.m. juli 2025"),
        ("fsiii", State::Disturbed, "#f5c542", "driftsforstyrrelse"),
        ("krl", State::Disturbed, "#f5c542", "bagud"),
        ("dfdg", State::Down, "#b3261e", "nede"),
    ] {
        let r = server.get(&format!("/badge/{id}.svg"));
        assert_eq!(r.status, 200, "{id}");
        assert_eq!(
            r.header("content-type"),
            Some("image/svg+xml; charset=utf-8")
        );
        // Embeddable on intranet pages: this route only.
        assert_eq!(
            r.header("cross-origin-resource-policy"),
            Some("cross-origin")
        );
        let csp = r.header("content-security-policy").unwrap();
        assert!(!csp.contains("frame-ancestors"), "{csp}");
        let file = dir.path().join(format!("{id}.svg"));
        std::fs::write(&file, &r.body).unwrap();
        let out = Command::new("python3")
            .args(["-c", READ_SVG])
            .arg(&file)
            .output()
            .unwrap();
        assert!(out.status.success(), "{id}: {}", text(&out.stderr));
        let svg: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(svg["tag"], "{http://www.w3.org/2000/svg}svg");
        assert_eq!(
            (svg["height"].as_str(), svg["role"].as_str()),
            (Some("20"), Some("img"))
        );
        assert!(
            svg["width"].as_str().unwrap().parse::<u32>().unwrap() < 400,
            "small"
        );
        assert_eq!(svg["fill"], fill, "{id}: {state:?}");
        let name = default_catalogue()
            .area(id.parse().unwrap())
            .unwrap()
            .name
            .clone();
        assert_eq!(svg["texts"][0], name.as_str());
        assert!(
            svg["texts"][1].as_str().unwrap().contains(words),
            "{id}: {svg}"
        );
        assert!(
            svg["title"].as_str().unwrap().contains("status pr."),
            "{svg}"
        );
        // ETag and 304, like every view of the snapshot.
        let etag = r.header("etag").unwrap().to_owned();
        let again = crate::support::http::request(
            &server.addr,
            "GET",
            &format!("/badge/{id}.svg"),
            &[("If-None-Match", etag.as_str())],
        );
        assert_eq!(again.status, 304, "{id}");
    }
    // Other routes keep refusing to be framed and get no cross-origin policy.
    let page = server.get("/");
    assert!(page
        .header("content-security-policy")
        .unwrap()
        .contains("frame-ancestors 'none'"));
    assert_eq!(page.header("cross-origin-resource-policy"), None);
    assert_eq!(server.get("/badge/sport.svg").status, 404);
}

#[test]
fn the_json_feed_may_be_read_by_pages_on_other_sites() {
    let server = Server::start();
    let r = server.get("/api/status.json");
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    assert_eq!(r.header("access-control-expose-headers"), Some("ETag"));
    let etag = r.header("etag").unwrap().to_owned();
    let again = crate::support::http::request(
        &server.addr,
        "GET",
        "/api/status.json",
        &[
            ("If-None-Match", etag.as_str()),
            ("Origin", "https://intra.kommune.dk"),
        ],
    );
    assert_eq!(again.status, 304);
    assert_eq!(again.header("access-control-allow-origin"), Some("*"));
    assert_eq!(
        server.get("/").header("access-control-allow-origin"),
        None,
        "the feed only"
    );
}

/// The calendar page lists the days the facts give, in order, with where each stands.
#[test]
fn the_calendar_page_lists_the_release_days_of_the_facts() {
    let server = Server::start_at_day(PROBLEMS_DAY);
    let c = default_catalogue();
    let f = catalogue_facts(c, d("2025-09-20"));
    for (query, admits) in [
        (
            "",
            Box::new(|_: AreaId| true) as Box<dyn Fn(AreaId) -> bool>,
        ),
        ("?omraade=dream", Box::new(|a: AreaId| a == AreaId::Dream)),
    ] {
        let html = unescaped(&server.get(&format!("/kalender{query}")).text());
        let (from, to) = facts::span(f.today, flisbot::views::kalender::PAGE_MONTHS_AHEAD);
        let from = NaiveDate::from_ymd_opt(
            chrono::Datelike::year(&from),
            chrono::Datelike::month(&from),
            1,
        )
        .unwrap();
        let days = facts::release_days(c, &f, |a| admits(a.id), from, to);
        assert!(!days.is_empty());
        let mut at = 0;
        for day in &days {
            let kind = match day.kind {
                DayKind::Early => "tidlig",
                DayKind::Release => "udgivelse",
                DayKind::Dap => "dap",
            };
            let anchor = format!("id=\"{kind}-{}\"", day.first_day);
            let pos = html[at..]
                .find(&anchor)
                .unwrap_or_else(|| panic!("{query}: {anchor} missing or out of order"));
            at += pos;
            let row_end = at + html[at..].find("</tr>").unwrap();
            let row = &html[at..row_end];
            let words = visible(row);
            for e in &day.entries {
                let name = &c.area(e.id).unwrap().name;
                assert!(
                    words.contains(name.as_str()),
                    "{query}: {anchor}: {name}: {words}"
                );
                if e.status == EntryStatus::Expected {
                    assert!(row.contains(&e.carries.danish()), "{anchor}: {}", e.carries);
                }
            }
            if day.is_past(f.today) && day.kind != DayKind::Dap {
                assert!(
                    row.contains("class=\"status status-recorded\"")
                        || row.contains("status-partly")
                        || row.contains("status-missed"),
                    "{anchor}: {row}"
                );
            }
        }
        // Subscribe links for this filter (relative without a public address).
        assert!(
            html.contains(&format!("href=\"/kalender.ics{}\"", query)),
            "{html}"
        );
    }
}

/// The calendar feed as Outlook reads it, through an independent parser: one event per
/// release day unfiltered (areas and months in its description), a filtered feed with its
/// areas only and the DAP cubes with their months, and a URL to each event's page under the
/// configured public address.
#[test]
fn the_calendar_feed_through_icalendar_has_one_event_per_release_day_and_links_its_pages() {
    if !tool_or_skip(
        "the_calendar_feed_through_icalendar_has_one_event_per_release_day_and_links_its_pages",
        python_module("icalendar", "python3 -m pip install icalendar==7.3.2"),
    ) {
        return;
    }
    let server = Server::start_with(
        crate::support::SEED_DAY,
        Some("[web]\npublic_url = \"https://flis-status.example.dk/\"\n"),
        |_| {},
    );
    let c = default_catalogue();
    let f = catalogue_facts(c, d("2025-09-10"));
    let names: BTreeMap<String, AreaId> = c.areas.iter().map(|a| (a.name.clone(), a.id)).collect();
    // Unfiltered: one event per day.
    let all = crate::web::parse_with_icalendar(&server.get("/kalender.ics").body);
    assert_eq!(all["errors"], Value::Array(vec![]), "{all}");
    let events = all["events"].as_array().unwrap();
    let mut starts: Vec<&str> = events
        .iter()
        .map(|e| e["start"].as_str().unwrap())
        .collect();
    starts.sort();
    let n = starts.len();
    starts.dedup();
    assert_eq!(starts.len(), n, "one event per release day");
    let (from, to) = flisbot::views::ical::horizon(f.today);
    let days: Vec<_> = facts::release_days(c, &f, |_| true, from, to)
        .into_iter()
        .filter(|x| x.brings_anything())
        .collect();
    assert_eq!(events.len(), days.len(), "every release day the facts give");
    for (e, day) in events.iter().zip(&days) {
        assert_eq!(e["start"].as_str().unwrap(), day.first_day.to_string());
        let desc = e["description"].as_str().unwrap();
        for entry in day
            .entries
            .iter()
            .filter(|x| x.status != EntryStatus::Missed)
        {
            let name = &c.area(entry.id).unwrap().name;
            assert!(
                desc.contains(name.as_str()),
                "{}: {name} not in {desc}",
                e["uid"]
            );
            assert!(
                desc.contains(&entry.carries.danish()),
                "{}: {}",
                e["uid"],
                entry.carries
            );
        }
        let url = e["url"].as_str().unwrap();
        assert!(
            url.starts_with("https://flis-status.example.dk/kalender#"),
            "{url}"
        );
    }
    let oct = crate::web::event_of(&all, "udgivelse-2025-10@flisbot");
    assert_eq!(oct["summary"], "FLIS: datapakker, data t.o.m. august 2025");
    assert_eq!(
        oct["url"],
        "https://flis-status.example.dk/kalender#udgivelse-2025-10-10"
    );
    // Filtered: only those areas; the DAP cubes with their months.
    for (query, want) in [
        ("?omraade=dream,ky", vec![AreaId::Dream, AreaId::Ky]),
        (
            "?gruppe=beskaeftigelse",
            c.group_members(flisbot::core::catalogue::Group::Beskaeftigelse)
                .collect(),
        ),
        ("?omraade=krl", vec![AreaId::Krl]),
    ] {
        let cal =
            crate::web::parse_with_icalendar(&server.get(&format!("/kalender.ics{query}")).body);
        assert_eq!(cal["errors"], Value::Array(vec![]), "{query}");
        for e in cal["events"].as_array().unwrap() {
            let desc = e["description"].as_str().unwrap();
            for (name, id) in &names {
                if desc.contains(&format!("{name},"))
                    || desc.contains(&format!("{name}."))
                    || desc.contains(&format!(": {name}"))
                {
                    // A name is in the description only if the filter admits it ("Borger" is
                    // also the start of "Borger Flex").
                    assert!(
                        want.contains(id) || name == "Borger",
                        "{query}: {name} in {desc}"
                    );
                }
            }
        }
    }
    let two = crate::web::parse_with_icalendar(&server.get("/kalender.ics?omraade=dream,ky").body);
    let dap = crate::web::event_of(&two, "dap-2025-10.ky.dream@flisbot");
    assert_eq!(
        dap["summary"],
        "FLIS: DAP-kuber, KY t.o.m. august 2025; DREAM t.o.m. juni 2025"
    );
    let dream = crate::web::parse_with_icalendar(&server.get("/kalender.ics?omraade=dream").body);
    for e in dream["events"].as_array().unwrap() {
        assert_eq!(
            e["url"], "https://flis-status.example.dk/omraade/dream",
            "an area's page"
        );
    }
    // The page offers webcal:// and https subscriptions under the public address.
    let page = unescaped(&server.get("/kalender?omraade=dream").text());
    assert!(
        page.contains("href=\"webcal://flis-status.example.dk/kalender.ics?omraade=dream\""),
        "{page}"
    );
    assert!(page.contains("https://flis-status.example.dk/kalender.ics?omraade=dream"));
}

// ------------------------------------------------------------------------------ the browser

/// Chromium, Node and the pinned packages in tests/browser (`npm ci`), or why not.
fn browser_tools() -> Result<(), String> {
    let ok = |cmd: &str, arg: &str| {
        Command::new(cmd)
            .arg(arg)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    if !ok("chromium", "--version") {
        return Err("no chromium; .ci/run installs it: apt-get install -y chromium".into());
    }
    if !ok("node", "--version") {
        return Err("no node; .ci/run installs it: apt-get install -y nodejs npm".into());
    }
    let modules = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser/node_modules");
    for package in ["playwright-core", "axe-core"] {
        if !modules.join(package).is_dir() {
            return Err(format!(
                "tests/browser has no {package}; .ci/run installs it: (cd tests/browser && npm ci)"
            ));
        }
    }
    Ok(())
}

/// Runs tests/browser/check.mjs over `shots` ((name, url, width, scheme)); its JSON.
fn look(shots: &[(String, String, &str, &str)]) -> Vec<Value> {
    let out_dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
    std::fs::create_dir_all(&out_dir).unwrap();
    let widths: BTreeMap<&str, Value> = [
        (
            "desktop",
            serde_json::json!({"name": "desktop", "width": 1280, "height": 900}),
        ),
        (
            "phone",
            serde_json::json!({"name": "phone", "width": 390, "height": 844}),
        ),
    ]
    .into_iter()
    .collect();
    let plan = serde_json::json!({
        "chromium": "/usr/bin/chromium",
        "out": out_dir,
        "shots": shots.iter().map(|(name, url, width, scheme)| serde_json::json!({
            "name": name, "url": url, "width": widths[width], "scheme": scheme,
        })).collect::<Vec<_>>(),
    });
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    let mut child = Command::new("node")
        .arg("check.mjs")
        .current_dir(&dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("node starts");
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(plan.to_string().as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "check.mjs failed: {}",
        text(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    v["pages"].as_array().unwrap().clone()
}

fn problem_order(c: &Catalogue, day: &str) -> Vec<String> {
    let f = catalogue_facts(c, d(day));
    f.problems()
        .iter()
        .map(|x| x.id.as_str().to_owned())
        .collect()
}

#[test]
fn headless_chromium_shows_the_state_at_a_glance_with_no_accessibility_violations() {
    if !tool_or_skip(
        "headless_chromium_shows_the_state_at_a_glance_with_no_accessibility_violations",
        browser_tools(),
    ) {
        return;
    }
    let problems = Server::start_at_day(PROBLEMS_DAY);
    let well = Server::start_with(PROBLEMS_DAY, None, all_well);
    let stale = Server::start_at_day(STALE_DAY);
    let mut shots = Vec::new();
    for width in ["desktop", "phone"] {
        for scheme in ["light", "dark"] {
            for (name, server, path) in [
                ("status", &problems, "/"),
                ("omraade", &problems, "/omraade/krl"),
                ("kalender", &problems, "/kalender"),
                ("status-all-well", &well, "/"),
                ("status-stale", &stale, "/"),
            ] {
                shots.push((name.to_owned(), server.url(path), width, scheme));
            }
        }
    }
    shots.push((
        "404".to_owned(),
        problems.url("/findes-ikke"),
        "desktop",
        "light",
    ));
    shots.push((
        "kalender-dream".to_owned(),
        problems.url("/kalender?omraade=dream"),
        "phone",
        "dark",
    ));
    let pages = look(&shots);
    assert_eq!(pages.len(), shots.len());
    let seed = default_catalogue();
    for p in &pages {
        let at = format!("{} {} {}", p["name"], p["width"], p["scheme"]);
        let facts = &p["facts"];
        // No accessibility violations, and axe really looked.
        assert_eq!(
            p["violations"],
            Value::Array(vec![]),
            "{at}: {:#}",
            p["violations"]
        );
        assert!(
            p["rules"].as_u64().unwrap() > 20,
            "{at}: axe ran {} rules",
            p["rules"]
        );
        assert_eq!(facts["scripts"], 0, "{at}: no JavaScript");
        assert_eq!(facts["overflow"], 0, "{at}: nothing wider than the window");
        assert_eq!(
            facts["spilling"],
            Value::Array(vec![]),
            "{at}: no cell's text runs into the next"
        );
        assert_eq!(
            facts["ragged"],
            Value::Array(vec![]),
            "{at}: a table's rows start at one edge"
        );
        let dark = p["scheme"] == "dark";
        assert_eq!(
            facts["background"].as_str(),
            Some(if dark {
                "rgb(18, 18, 18)"
            } else {
                "rgb(255, 255, 255)"
            }),
            "{at}"
        );
        let png = std::fs::read(p["screenshot"].as_str().unwrap()).unwrap();
        assert!(
            png.starts_with(b"\x89PNG\r\n\x1a\n") && png.len() > 10_000,
            "{at}"
        );
        let banner = &facts["banner"];
        let main = facts["text"].as_str().unwrap();
        match p["name"].as_str().unwrap() {
            "status" => {
                assert_eq!(banner["text"], "7 dataområder har problemer", "{at}");
                assert!(
                    banner["class"].as_str().unwrap().contains("banner-down"),
                    "{at}"
                );
                // Problems first, in the facts' order.
                let rows: Vec<&str> = facts["rows"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|r| r["id"].as_str().unwrap())
                    .collect();
                let want = problem_order(seed, "2025-09-20");
                assert_eq!(
                    &rows[..want.len()],
                    want.iter()
                        .map(String::as_str)
                        .collect::<Vec<_>>()
                        .as_slice(),
                    "{at}"
                );
                assert!(facts["rows"].as_array().unwrap()[want.len()..]
                    .iter()
                    .all(|r| r["problem"] == false));
                // Each abbreviation expanded once, where it first appears; DAP not invented.
                let abbrs = facts["abbrs"].as_array().unwrap();
                for a in [
                    "KY", "KP", "YR", "VH", "DFDG", "DREAM", "FSIII", "KRL", "DAP",
                ] {
                    let found: Vec<&Value> = abbrs.iter().filter(|x| x["text"] == a).collect();
                    assert_eq!(found.len(), 1, "{at}: {a}");
                    assert!(!found[0]["title"].as_str().unwrap().is_empty());
                }
                let dap = abbrs.iter().find(|x| x["text"] == "DAP").unwrap();
                assert!(
                    dap["title"].as_str().unwrap().contains("ikke oplyst"),
                    "{dap}"
                );
                assert_eq!(
                    abbrs.iter().find(|x| x["text"] == "KY").unwrap()["title"],
                    "Kommunernes Ydelsessystem"
                );
            }
            "status-all-well" => {
                assert_eq!(
                    banner["text"], "Alle dataområder kører efter planen",
                    "{at}"
                );
                assert!(
                    banner["class"].as_str().unwrap().contains("banner-ok"),
                    "{at}"
                );
                assert!(facts["rows"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .all(|r| r["problem"] == false));
            }
            "status-stale" => {
                assert_eq!(
                    banner["text"], "Statussen er mere end 45 dage gammel",
                    "{at}"
                );
                assert!(
                    banner["class"].as_str().unwrap().contains("banner-stale"),
                    "{at}"
                );
                // Said once, not counted as problems, not repeated per row.
                assert_eq!(main.matches("kan være forældet").count(), 1, "{at}: {main}");
                assert!(
                    main.contains("7 dataområder havde problemer pr. 10. september 2025"),
                    "{at}"
                );
                assert_eq!(
                    facts["rows"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .filter(|r| r["problem"] == true)
                        .count(),
                    7
                );
            }
            "omraade" => {
                assert_eq!(facts["h1"], "KRL Personale", "{at}");
                assert!(main.contains("bagud med 1 måned"), "{at}");
            }
            "kalender" | "kalender-dream" => {
                assert!(
                    facts["h1"]
                        .as_str()
                        .unwrap()
                        .starts_with("Udgivelseskalender"),
                    "{at}"
                );
                let days = facts["days"].as_array().unwrap();
                let oct = days.iter().find(|x| x["anchor"] == "udgivelse-2025-10-10");
                if p["name"] == "kalender" {
                    let oct = oct.unwrap();
                    assert_eq!(oct["status"], "Ventes", "{at}");
                    assert!(
                        oct["months"]
                            .as_str()
                            .unwrap()
                            .starts_with("august 2025: Borger"),
                        "{at}: {oct}"
                    );
                    let sep = days
                        .iter()
                        .find(|x| x["anchor"] == "udgivelse-2025-09-10")
                        .unwrap();
                    assert_eq!(
                        (sep["status"].as_str(), sep["past"].as_bool()),
                        (Some("Udgivet, ikke for alle"), Some(true))
                    );
                    assert!(sep["months"]
                        .as_str()
                        .unwrap()
                        .contains("Ikke registreret: KRL Personale"));
                    assert!(days
                        .iter()
                        .any(|x| x["what"].as_str().unwrap().starts_with("DAP-kuber")));
                    assert!(days
                        .iter()
                        .any(|x| x["what"].as_str().unwrap().starts_with("Tidlig udlæsning")));
                } else {
                    assert!(oct.is_none(), "DREAM comes early, not on the 10th");
                }
                assert!(
                    !facts["subscribe"].as_array().unwrap().is_empty(),
                    "{at}: Abonnér i Outlook"
                );
            }
            "404" => {
                assert_eq!(facts["status"], 404);
                assert_eq!(facts["h1"], "Siden findes ikke");
            }
            other => panic!("{other}"),
        }
    }
    eprintln!(
        "screenshots in {}",
        Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join("screenshots")
            .display()
    );
}
