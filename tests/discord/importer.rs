//! `/importer fil:<attachment> [anvend]` end to end: the interaction carries the attachment in
//! `resolved.attachments`, the fake serves the file (as Discord's CDN would), and the bot
//! answers with ephemeral follow-ups after an ephemeral deferral.

use std::time::Duration;

use chrono::{DateTime, Utc};
use flisbot::config::Config;
use flisbot::core::catalogue::{default_catalogue, AreaId, Author, State};
use flisbot::core::history::Action;
use serde_json::{json, Value};

use crate::fake_discord::{payloads, FakeDiscord, APPLICATION_ID, USER_ID};
use crate::{config, operator_reply, reply_text, start_bot_at, Bot, OPERATOR_ID, T};

const NOVEMBER: &str = include_str!("../fixtures/statusoversigt-2025-11-10.txt");
const SEED: &str = include_str!("../../data/statusoversigt-2025-09-10.txt");

/// Two days after the November document.
fn november_12() -> DateTime<Utc> {
    "2025-11-12T09:00:00Z".parse().unwrap()
}

async fn bot_with(config: Config) -> Bot {
    let bot = start_bot_at(FakeDiscord::start().await, config, november_12()).await;
    bot.fake.wait_for_ready(1, T).await;
    bot.fake
        .wait_for_request(|r| r.method == "PUT" && r.path.ends_with("/commands"), T)
        .await;
    bot
}

async fn bot() -> Bot {
    bot_with(config()).await
}

/// `/importer` by `user` with `url` attached, Discord saying it is `size` bytes.
fn importer(id: u64, user: u64, url: &str, size: u64, apply: Option<bool>) -> Value {
    let attachment_id = 800_000_000_000_000_000 + id;
    let mut options = vec![json!({"name": "fil", "type": 11, "value": attachment_id.to_string()})];
    if let Some(apply) = apply {
        options.push(json!({"name": "anvend", "type": 5, "value": apply}));
    }
    let interaction = payloads::slash_command_by(
        id,
        &format!("tok-{id}"),
        "importer",
        Value::Array(options),
        user,
        &[],
    );
    payloads::with_attachment(
        interaction,
        payloads::attachment(attachment_id, "statusoversigt.txt", size, url),
    )
}

/// Sends `/importer` and returns its answer: the ephemeral follow-ups up to the one `last`
/// accepts, their text joined. Every one is within Discord's limit and pings nobody.
async fn import(bot: &Bot, event: Value, last: impl Fn(&str) -> bool) -> String {
    let id: u64 = event["id"].as_str().unwrap().parse().unwrap();
    let token = format!("tok-{id}");
    bot.fake.send_dispatch("INTERACTION_CREATE", event);
    operator_reply(&bot.fake, id, &token).await;
    let path = format!("/api/v10/webhooks/{APPLICATION_ID}/{token}");
    let content = |r: &Value| r["content"].as_str().unwrap_or_default().to_owned();
    bot.fake
        .wait_for_request(
            |r| r.method == "POST" && r.path == path && last(&content(&r.body)),
            T,
        )
        .await;
    let replies: Vec<Value> = bot
        .fake
        .requests()
        .into_iter()
        .filter(|r| r.method == "POST" && r.path == path)
        .map(|r| r.body)
        .collect();
    for r in &replies {
        assert_eq!(r["flags"], 64, "ephemeral: {r}");
        assert_eq!(r["allowed_mentions"]["parse"], json!([]), "{r}");
        assert!(reply_text(r).chars().count() <= 2000, "{r}");
    }
    replies.iter().map(content).collect::<Vec<_>>().join("\n")
}

/// Whether the bot asked for a file at all.
fn fetched_a_file(bot: &Bot) -> bool {
    bot.fake
        .requests()
        .iter()
        .any(|r| r.method == "GET" && r.path.starts_with("/attachments/"))
}

fn assert_unchanged(bot: &Bot) {
    assert_eq!(&*bot.store.catalogue(), default_catalogue());
    assert!(bot.store.history(AreaId::Krl, 5).unwrap().is_empty());
    assert_eq!(bot.store.status_rules(), None);
}

#[tokio::test]
async fn a_dry_run_shows_the_diff_and_changes_nothing() {
    let bot = bot().await;
    let url = bot.fake.serve_file("statusoversigt.txt", NOVEMBER);
    let event = importer(101, OPERATOR_ID, &url, NOVEMBER.len() as u64, None);
    let said = import(&bot, event, |c| c.contains("anvend:True")).await;
    for line in [
        "Prøvekørsel – intet er gemt. Dette ville blive ændret (statusoversigt pr. 10/11-25):",
        "• KRL Personale: data t.o.m. april 2025 → juni 2025; tilstand driftsforstyrrelse → kører efter planen",
        "• YR: data t.o.m. juli 2025 → september 2025; kilde «YR» → «Ydelsesrefusion (YR)»",
        "• nede: VH, Ældre.",
        "+ STIL-data opdateres årligt i oktober",
        "Gem ændringerne med /importer, den samme fil og anvend:True.",
    ] {
        assert!(said.contains(line), "{line:?} missing in:\n{said}");
    }
    assert_unchanged(&bot);
    // The deferral went out before the file was fetched.
    let order: Vec<String> = bot.fake.requests().into_iter().map(|r| r.path).collect();
    let at = |p: &str| order.iter().position(|o| o.contains(p)).unwrap();
    assert!(at("/interactions/101/") < at("/attachments/"), "{order:?}");
}

#[tokio::test]
async fn anvend_applies_the_document_with_history_authored_by_the_user() {
    let bot = bot().await;
    let url = bot.fake.serve_file("statusoversigt.txt", NOVEMBER);
    let event = importer(102, OPERATOR_ID, &url, NOVEMBER.len() as u64, Some(true));
    let said = import(&bot, event, |c| c.contains("/fortryd")).await;
    assert!(
        said.starts_with("Gemt (statusoversigt pr. 10/11-25):"),
        "{said}"
    );
    let c = bot.store.catalogue();
    assert_eq!(c.as_of.to_string(), "2025-11-10");
    assert_eq!(c.area(AreaId::Vh).unwrap().state, State::Down);
    assert_eq!(c.area(AreaId::Krl).unwrap().state, State::Ok);
    let krl = bot.store.history(AreaId::Krl, 5).unwrap();
    assert_eq!(krl.len(), 1);
    assert_eq!(
        krl[0].action,
        Action::StatusImport {
            document: "2025-11-10".parse().unwrap()
        }
    );
    assert_eq!(krl[0].by, Author::chat("operatør", OPERATOR_ID));
    assert!(bot.store.status_rules().unwrap().contains("i oktober"));
    assert_eq!(
        flisbot::operations::verify_history(&bot.store),
        Ok(17),
        "every area the document lists, changed or confirmed"
    );

    // The same file again changes nothing; the older seed is refused without a flag to force it.
    let event = importer(103, OPERATOR_ID, &url, NOVEMBER.len() as u64, Some(true));
    let said = import(&bot, event, |_| true).await;
    assert!(
        said.starts_with("Ingen ændringer (statusoversigt pr. 10/11-25)"),
        "{said}"
    );
    let seed = bot.fake.serve_file("statusoversigt.txt", SEED);
    let event = importer(104, OPERATOR_ID, &seed, SEED.len() as u64, Some(true));
    let said = import(&bot, event, |_| true).await;
    assert!(
        said.contains("Linje 4: dokumentet er pr. 10/9-25, ældre end kataloget")
            && said.contains("Vedhæft den nyeste statusoversigt."),
        "{said}"
    );
    assert!(
        !said.contains("--"),
        "no command line flag for a chat user: {said}"
    );
    assert_eq!(bot.store.catalogue().as_of.to_string(), "2025-11-10");
}

#[tokio::test]
async fn a_non_operator_is_refused_and_no_file_is_fetched() {
    let bot = bot().await;
    let url = bot.fake.serve_file("statusoversigt.txt", NOVEMBER);
    let event = importer(111, USER_ID, &url, NOVEMBER.len() as u64, Some(true));
    let said = import(&bot, event, |_| true).await;
    assert!(said.contains("ikke ret til at ændre"), "{said}");
    assert!(!fetched_a_file(&bot));
    assert_unchanged(&bot);
}

#[tokio::test]
async fn an_oversize_attachment_is_refused_cleanly() {
    let bot = bot().await;
    let big = vec![b'a'; 2 << 20];
    // Discord says it is too large: nothing is fetched.
    let url = bot.fake.serve_file("stor.txt", big.clone());
    let said = import(
        &bot,
        importer(121, OPERATOR_ID, &url, 2 << 20, None),
        |_| true,
    )
    .await;
    assert!(
        said.contains("Filen fylder 2097152 byte") && said.contains("højst 1048576 byte"),
        "{said}"
    );
    assert!(!fetched_a_file(&bot), "refused by its declared size");
    // Discord's size is wrong, the answer's length is not.
    let said = import(&bot, importer(122, OPERATOR_ID, &url, 1000, None), |_| true).await;
    assert!(said.contains("Filen fylder 2097152 byte"), "{said}");
    // No length given: the reading stops at the limit.
    let url = bot.fake.serve_file_without_length("stor.txt", big);
    let said = import(&bot, importer(123, OPERATOR_ID, &url, 1000, None), |_| true).await;
    assert!(said.contains("Filen fylder over 1048576 byte"), "{said}");
    assert_unchanged(&bot);
}

#[tokio::test]
async fn a_slow_attachment_is_refused_cleanly_and_the_bot_goes_on() {
    let mut config = config();
    config.discord.request_timeout_secs = 2;
    let bot = bot_with(config).await;
    let url = bot.fake.serve_file("statusoversigt.txt", NOVEMBER);
    let path = url.trim_start_matches(&bot.fake.http_url()).to_owned();
    bot.fake
        .delay(hyper::Method::GET, &path, Duration::from_secs(20), Some(1));
    let started = std::time::Instant::now();
    let event = importer(131, OPERATOR_ID, &url, NOVEMBER.len() as u64, Some(true));
    let said = import(&bot, event, |_| true).await;
    assert!(
        said.contains("Filen kunne ikke hentes fra Discord inden for 2 sekunder; intet er ændret."),
        "{said}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
    assert_unchanged(&bot);
    let event = importer(132, OPERATOR_ID, &url, NOVEMBER.len() as u64, None);
    let said = import(&bot, event, |c| c.contains("anvend:True")).await;
    assert!(said.starts_with("Prøvekørsel"), "{said}");
}

#[tokio::test]
async fn a_file_that_is_not_the_documents_text_is_refused_with_its_line() {
    let bot = bot().await;
    for (id, bytes, says) in [
        (
            141,
            b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n".to_vec(),
            "Linje 1: det er selve PDF-filen",
        ),
        (
            142,
            NOVEMBER
                .replace("Borger Månedligt September", "Borger Månedligt Septemper")
                .into_bytes(),
            "«Septemper» er ikke en måned",
        ),
    ] {
        let url = bot.fake.serve_file("statusoversigt.pdf", bytes.clone());
        let said = import(
            &bot,
            importer(id, OPERATOR_ID, &url, bytes.len() as u64, Some(true)),
            |_| true,
        )
        .await;
        assert!(
            said.starts_with("Statusoversigten afvises, og intet er ændret.")
                && said.contains(says),
            "{said}"
        );
    }
    assert_unchanged(&bot);
}

/// `/importer` with more options than the file and anvend.
fn importer_with(id: u64, url: &str, size: u64, extra: Value) -> Value {
    let mut event = importer(id, OPERATOR_ID, url, size, Some(true));
    let options = event["data"]["options"].as_array_mut().unwrap();
    options.extend(extra.as_array().unwrap().iter().cloned());
    event
}

/// A slash command by the operator; returns the ephemeral follow-up's text.
async fn operator_command(bot: &Bot, id: u64, name: &str, options: Value) -> String {
    let token = format!("tok-{id}");
    let event = payloads::slash_command_by(id, &token, name, options, OPERATOR_ID, &[]);
    bot.fake.send_dispatch("INTERACTION_CREATE", event);
    crate::reply_text(&crate::operator_reply(&bot.fake, id, &token).await).to_owned()
}

/// `/fortryd import:True` by the operator; returns the answer's text.
async fn undo_import(bot: &Bot, id: u64) -> String {
    let options = json!([{"name": "import", "type": 5, "value": true}]);
    operator_command(bot, id, "fortryd", options).await
}

/// `/status område` as anyone asks it; returns the answer's text with its embeds.
async fn status(bot: &Bot, id: u64, area: &str) -> String {
    let event = payloads::slash_command_by(
        id,
        &format!("tok-{id}"),
        "status",
        json!([{"name": "område", "type": 3, "value": area}]),
        USER_ID,
        &[],
    );
    bot.fake.send_dispatch("INTERACTION_CREATE", event);
    let cb = crate::callback(&bot.fake, id).await;
    crate::embed_text(&cb.body["data"])
}

/// A document cut short, or one that lacks an area, is refused on Discord with the store as it
/// was; an area FLIS really dropped is imported with udeladt.
#[tokio::test]
async fn a_cut_document_is_refused_and_a_dropped_area_needs_udeladt() {
    let bot = bot().await;
    let untouched = bot.store.contents().unwrap();
    let cut = &NOVEMBER[..NOVEMBER.find("Vi melder ud, når").unwrap() + "Vi melder ud, når".len()];
    let url = bot.fake.serve_file("afskaaret.txt", cut);
    let said = import(
        &bot,
        importer(151, OPERATOR_ID, &url, cut.len() as u64, Some(true)),
        |_| true,
    )
    .await;
    assert!(
        said.starts_with("Statusoversigten afvises, og intet er ændret.")
            && said.contains("driftsbemærkningen for VH holder op midt i en sætning"),
        "{said}"
    );
    assert!(bot.store.contents().unwrap() == untouched);

    // A document without YR's row: the row and the blank line after it are gone.
    let without_yr = NOVEMBER.replace(
        "YR Månedligt September Ydelsesrefusion (YR) Kører efter planen\n\n",
        "",
    );
    let url = bot.fake.serve_file("uden-yr.txt", without_yr.clone());
    let size = without_yr.len() as u64;
    let said = import(&bot, importer(152, OPERATOR_ID, &url, size, None), |c| {
        c.contains("anvend:True")
    })
    .await;
    assert!(
        said.contains("**Mangler i oversigten:** YR")
            && said.contains("Det bekræftes med udeladt:yr"),
        "{said}"
    );
    let said = import(
        &bot,
        importer(153, OPERATOR_ID, &url, size, Some(true)),
        |_| true,
    )
    .await;
    assert!(
        said.contains("her slutter dokumentet uden YR, som stod i den forrige statusoversigt")
            && said.contains("udeladt:yr")
            && !said.contains("--"),
        "{said}"
    );
    assert!(bot.store.contents().unwrap() == untouched);
    let event = importer_with(
        154,
        &url,
        size,
        json!([{"name": "udeladt", "type": 3, "value": "yr"}]),
    );
    let said = import(&bot, event, |c| c.contains("/fortryd")).await;
    assert!(
        said.starts_with("Gemt (statusoversigt pr. 10/11-25):"),
        "{said}"
    );
    assert_eq!(
        bot.store.catalogue().area(AreaId::Yr),
        default_catalogue().area(AreaId::Yr),
        "dropped: kept as it was"
    );
}

/// After `/importer`, answers state the status as of the document's date; `/fortryd
/// import:True` takes the whole import back, the date included; `/opdater` confirms an area on
/// its own day.
#[tokio::test]
async fn an_import_is_dated_by_its_document_and_undone_whole_with_fortryd() {
    let bot = bot().await;
    let url = bot.fake.serve_file("statusoversigt.txt", NOVEMBER);
    let event = importer(161, OPERATOR_ID, &url, NOVEMBER.len() as u64, Some(true));
    import(&bot, event, |c| c.contains("/fortryd")).await;
    let krl = status(&bot, 162, "krl").await;
    assert!(
        krl.contains("Status pr. 10. november 2025, opdateret 12. november 2025 af operatør"),
        "{krl}"
    );
    let flex = status(&bot, 163, "borgerflex").await;
    assert!(flex.contains("Status pr. 10. september 2025"), "{flex}");

    let said = operator_command(&bot, 164, "fortryd", json!([])).await;
    assert!(
        said.contains("Angiv et område, eller import:True"),
        "{said}"
    );
    let said = undo_import(&bot, 165).await;
    assert!(
        said.starts_with("Gemt (fortryd «statusoversigt pr. 10/11-25»")
            && said.contains("• Kataloget: status pr. 10. november 2025 → 10. september 2025"),
        "{said}"
    );
    assert_eq!(&*bot.store.catalogue(), default_catalogue());
    let krl = status(&bot, 166, "krl").await;
    assert!(krl.contains("Status pr. 10. september 2025"), "{krl}");

    // Imported again, then an area set by hand: confirmed today, and the import can no longer
    // be undone whole.
    let event = importer(167, OPERATOR_ID, &url, NOVEMBER.len() as u64, Some(true));
    import(&bot, event, |c| c.contains("/fortryd")).await;
    let said = operator_command(
        &bot,
        168,
        "opdater",
        json!([
            {"name": "område", "type": 3, "value": "krl"},
            {"name": "note", "type": 3, "value": "Data for juli kommer sent."},
        ]),
    )
    .await;
    assert!(said.starts_with("Gemt (ret)"), "{said}");
    let krl = status(&bot, 169, "krl").await;
    assert!(
        krl.contains("Opdateret 12. november 2025 af operatør"),
        "{krl}"
    );
    let before = bot.store.contents().unwrap();
    let said = undo_import(&bot, 170).await;
    assert!(
        said.contains("kan ikke fortrydes samlet") && said.contains("KRL Personale («ret»"),
        "{said}"
    );
    assert!(bot.store.contents().unwrap() == before);
}
