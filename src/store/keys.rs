//! Every key the store writes, built (and read back) here and nowhere else, so the on-disk
//! layout is in one place: the meta tree's names, history per subject, the outbox per
//! recipient, announcements per channel, subscriptions and boards, and the webhook trees.
//! Sequence numbers and notice ids are big-endian, so a tree's order is their order.

use crate::core::catalogue::AreaId;
use crate::core::history::Subject;
use crate::core::notify::{Notice, Target};

/// Meta: the catalogue's "pr." date (`YYYY-MM-DD`).
pub(super) const AS_OF: &str = "as_of";
/// Meta: the store's layout version.
pub(super) const SCHEMA: &str = "schema";
/// Meta: the last imported status document's rules section (plain text).
pub(super) const STATUS_RULES: &str = "status_rules";
/// Meta: the areas the last imported status document listed (JSON).
pub(super) const STATUS_AREAS: &str = "status_areas";

/// Areas: the area's id.
pub(super) fn area(id: AreaId) -> &'static [u8] {
    id.as_str().as_bytes()
}

/// `<head>/`: the prefix every key of one subject, recipient or target starts with.
fn prefix(head: &str) -> Vec<u8> {
    let mut k = Vec::with_capacity(head.len() + 1);
    k.extend_from_slice(head.as_bytes());
    k.push(b'/');
    k
}

/// The text of `key` up to its first `/`: the subject or recipient. What follows may be a
/// notice id as 8 big-endian bytes, which need not be UTF-8 (sled's ids jump after restarts),
/// so only this head is read as text.
fn head(key: &[u8]) -> Option<&str> {
    key.split(|b| *b == b'/')
        .next()
        .and_then(|head| std::str::from_utf8(head).ok())
}

/// History: `<subject>/` (an area id, `@catalogue`, `@import` or `@webhooks`).
pub(super) fn history_prefix(subject: Subject) -> Vec<u8> {
    prefix(subject.as_str())
}

/// History: `<subject>/<seq u64 BE>`.
pub(super) fn history(subject: Subject, seq: u64) -> Vec<u8> {
    let mut k = history_prefix(subject);
    k.extend_from_slice(&seq.to_be_bytes());
    k
}

/// `<prefix><area id>/<notice id u64 BE>`: a queued notice under its recipient's prefix.
fn queued(mut k: Vec<u8>, notice: &Notice) -> Vec<u8> {
    k.extend_from_slice(notice.after.id.as_str().as_bytes());
    k.push(b'/');
    k.extend_from_slice(&notice.id.to_be_bytes());
    k
}

/// Subscriptions: `u<user id>` or `c<channel id>`.
pub(super) fn subscription(target: Target) -> Vec<u8> {
    target.key().into_bytes()
}

/// The recipient a subscription or outbox key belongs to.
pub(super) fn target_of(key: &[u8]) -> Option<Target> {
    head(key).and_then(Target::from_key)
}

/// Outbox: `<target key>/`, everything queued for one recipient.
pub(super) fn outbox_prefix(target: Target) -> Vec<u8> {
    prefix(&target.key())
}

/// Outbox: `<target key>/<area id>/<notice id u64 BE>`.
pub(super) fn outbox(target: Target, notice: &Notice) -> Vec<u8> {
    queued(outbox_prefix(target), notice)
}

/// Announced: `<channel id>/<announcement key>`.
pub(super) fn announced(channel: u64, key: &str) -> Vec<u8> {
    let mut k = prefix(&channel.to_string());
    k.extend_from_slice(key.as_bytes());
    k
}

/// Boards: `<channel id>`.
pub(super) fn board(channel: u64) -> Vec<u8> {
    channel.to_string().into_bytes()
}

pub(super) fn board_channel(key: &[u8]) -> Option<u64> {
    std::str::from_utf8(key).ok()?.parse().ok()
}

/// Webhooks: the target's name.
pub(super) fn webhook(name: &str) -> Vec<u8> {
    name.as_bytes().to_vec()
}

/// Webhook outbox and announced: `<name>/`, everything kept for one target.
pub(super) fn webhook_prefix(name: &str) -> Vec<u8> {
    prefix(name)
}

/// Webhook outbox: `<name>/<area id>/<notice id u64 BE>`.
pub(super) fn webhook_outbox(name: &str, notice: &Notice) -> Vec<u8> {
    queued(webhook_prefix(name), notice)
}

/// The target a webhook outbox key belongs to.
pub(super) fn webhook_of(key: &[u8]) -> Option<&str> {
    head(key)
}

/// Webhook announced: `<name>/<announcement key>`.
pub(super) fn webhook_announced(name: &str, key: &str) -> Vec<u8> {
    let mut k = webhook_prefix(name);
    k.extend_from_slice(key.as_bytes());
    k
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::catalogue::default_catalogue;
    use crate::core::history::Action;

    /// The layout as earlier versions wrote it, byte for byte: a store they wrote still reads.
    #[test]
    fn keys_are_laid_out_as_the_store_always_wrote_them() {
        let mut h = b"krl/".to_vec();
        h.extend_from_slice(&7u64.to_be_bytes());
        assert_eq!(history(Subject::Area(AreaId::Krl), 7), h);
        assert_eq!(history_prefix(Subject::Catalogue), b"@catalogue/");
        assert_eq!(history_prefix(Subject::Import), b"@import/");
        assert_eq!(history_prefix(Subject::Webhooks), b"@webhooks/");
        let krl = default_catalogue().area(AreaId::Krl).unwrap().clone();
        let mut after = krl.clone();
        after.state = crate::core::catalogue::State::Down;
        let mut notice =
            crate::core::notify::notice(&krl, &after, &Action::Set, chrono::Utc::now()).unwrap();
        notice.id = 9;
        let mut o = b"u5/krl/".to_vec();
        o.extend_from_slice(&9u64.to_be_bytes());
        assert_eq!(outbox(Target::User(5), &notice), o);
        assert_eq!(target_of(&o), Some(Target::User(5)));
        assert_eq!(target_of(b"c12"), Some(Target::Channel(12)));
        assert_eq!(subscription(Target::Channel(12)), b"c12");
        let mut w = b"teams-hr/krl/".to_vec();
        w.extend_from_slice(&9u64.to_be_bytes());
        assert_eq!(webhook_outbox("teams-hr", &notice), w);
        assert_eq!(webhook_of(&w), Some("teams-hr"));
        assert_eq!(
            webhook_announced("x", "monthly-2025-10"),
            b"x/monthly-2025-10"
        );
        assert_eq!(announced(3, "monthly-2025-10"), b"3/monthly-2025-10");
        assert_eq!(board(44), b"44");
        assert_eq!(board_channel(b"44"), Some(44));
        assert_eq!(board_channel(b"x"), None);
        assert_eq!(area(AreaId::BorgerFlex), b"borgerflex");
        // A notice id that is not UTF-8 still leaves the recipient readable.
        notice.id = 0x00ff_fe80_c3ff_0001;
        let o = outbox(Target::User(5), &notice);
        assert!(std::str::from_utf8(&o).is_err());
        assert_eq!(target_of(&o), Some(Target::User(5)));
        let w = webhook_outbox("teams-hr", &notice);
        assert!(std::str::from_utf8(&w).is_err());
        assert_eq!(webhook_of(&w), Some("teams-hr"));
    }
}
