//! Who follows what: reading what a user typed into a `Topic`, following and unfollowing (each
//! one flushed write under the store's writer), and the operators' counts. Only the user's or
//! channel's id and what it follows are kept; unfollowing everything deletes both.

use crate::views::render::Template;
use serde::Serialize;

use crate::core::catalogue::{AreaId, Catalogue, Group};
use crate::core::notify::{Subscription, Target, Topic};
use crate::core::understand::default_parser;
use crate::error::AppError;
use crate::store::Store;
use crate::views::danish::topic_name;
use crate::views::render::{render_template, sentence};

use super::resolve_area;

/// The word that unfollows everything (`/afmeld alt`).
pub const ALL: &str = "alt";

/// A group by its Danish name ("Skole/Dagtilbud", "skole dagtilbud"), or what the parser reads
/// as one group and no single area ("beskæftigelse").
pub fn resolve_group(text: &str) -> Option<Group> {
    let fold = |s: &str| {
        s.to_lowercase()
            .chars()
            .filter(|c| c.is_alphanumeric())
            .collect::<String>()
    };
    let typed = fold(
        text.trim()
            .trim_start_matches("gruppen")
            .trim_start_matches("Gruppen"),
    );
    if let Some(g) = Group::ALL.iter().find(|g| fold(g.flis_name()) == typed) {
        return Some(*g);
    }
    let parsed = default_parser().parse(text);
    match (parsed.groups.as_slice(), parsed.named.is_empty()) {
        ([one], true) => Some(*one),
        _ => None,
    }
}

/// An area or a group named as users type them.
pub fn resolve_topic(text: &str, catalogue: &Catalogue) -> Result<Topic, AppError> {
    if let Ok(id) = resolve_area(text, catalogue) {
        return Ok(Topic::Area(id));
    }
    if let Some(g) = resolve_group(text) {
        return Ok(Topic::Group(g));
    }
    resolve_area(text, catalogue).map(Topic::Area)
}

/// What a subscriber is told; worded in `responses/subscriptions.md`.
#[derive(Serialize)]
struct View {
    kind: &'static str,
    topic: Option<String>,
    topics: Vec<String>,
    channel: bool,
    role: Option<String>,
    paused: bool,
}

fn topics(sub: Option<&Subscription>, catalogue: &Catalogue) -> Vec<String> {
    sub.map(|s| s.topics.iter().map(|t| topic_name(*t, catalogue)).collect())
        .unwrap_or_default()
}

fn say(
    kind: &'static str,
    target: Target,
    topic: Option<String>,
    sub: Option<&Subscription>,
    catalogue: &Catalogue,
) -> String {
    render_template(
        Template::Subscriptions,
        &View {
            kind,
            topic,
            topics: topics(sub, catalogue),
            channel: matches!(target, Target::Channel(_)),
            role: sub.and_then(|s| s.role).map(|r| r.to_string()),
            paused: sub.is_some_and(|s| s.paused),
        },
    )
}

/// Follows `text` (an area or group) for `target`; a paused subscription is resumed. `role`
/// (channels only) replaces the channel's role when given. Blocking: a flushed write.
pub fn follow(
    store: &Store,
    target: Target,
    text: &str,
    role: Option<u64>,
) -> Result<String, AppError> {
    let catalogue = store.catalogue();
    let topic = resolve_topic(text, &catalogue)?;
    let sub = store.update_subscription(target, |s| {
        let mut s = s.unwrap_or_default();
        s.topics.insert(topic);
        s.paused = false;
        s.told = false;
        if role.is_some() {
            s.role = role;
        }
        Some(s)
    })?;
    Ok(say(
        "followed",
        target,
        Some(topic_name(topic, &catalogue)),
        sub.as_ref(),
        &catalogue,
    ))
}

/// Unfollows `text`, or with [`ALL`] deletes everything kept about `target`. Blocking.
pub fn unfollow(store: &Store, target: Target, text: &str) -> Result<String, AppError> {
    let catalogue = store.catalogue();
    if text.trim().eq_ignore_ascii_case(ALL) {
        store.update_subscription(target, |_| None)?;
        return Ok(say("deleted", target, None, None, &catalogue));
    }
    let topic = resolve_topic(text, &catalogue)?;
    let mut followed = false;
    let sub = store.update_subscription(target, |s| {
        s.map(|mut s| {
            followed = s.topics.remove(&topic);
            s
        })
    })?;
    let kind = if followed {
        "unfollowed"
    } else {
        "not_followed"
    };
    Ok(say(
        kind,
        target,
        Some(topic_name(topic, &catalogue)),
        sub.as_ref(),
        &catalogue,
    ))
}

/// What `target` follows. Blocking: a read.
pub fn list(store: &Store, target: Target) -> Result<String, AppError> {
    let catalogue = store.catalogue();
    let sub = store.subscription(target)?;
    Ok(say("list", target, None, sub.as_ref(), &catalogue))
}

/// For a user about to be answered: if their subscription was paused (closed DMs) and they have
/// not been told, marks them told and returns what to tell them. Blocking.
pub fn pause_notice(store: &Store, user: u64) -> Result<Option<String>, AppError> {
    let target = Target::User(user);
    match store.subscription(target)? {
        Some(s) if s.paused && !s.told => {}
        _ => return Ok(None),
    }
    let catalogue = store.catalogue();
    let sub = store.update_subscription(target, |s| {
        s.map(|mut s| {
            s.told = true;
            s
        })
    })?;
    Ok(Some(say("paused", target, None, sub.as_ref(), &catalogue)))
}

/// Per area how many users and channels follow it, then the webhook targets by name and what
/// each follows; no ids, no URLs.
pub fn counts_text(store: &Store) -> Result<String, AppError> {
    let catalogue = store.catalogue();
    let mut out = sentence(Template::Phrases, "subscription_counts_header", &[]);
    out.push('\n');
    for (id, users, channels) in counts(&store.subscriptions()?, &catalogue) {
        let name = catalogue.area(id).map_or(id.as_str(), |a| a.name.as_str());
        out.push_str(&format!("{name}\t{users}\t{channels}\n"));
    }
    out.push('\n');
    out.push_str(&super::webhooks::counts_text(store)?);
    Ok(out.trim_end().to_owned())
}

/// Per area: how many users and channels follow it (directly or through its group). No ids.
pub fn counts(
    subscriptions: &[(Target, Subscription)],
    catalogue: &Catalogue,
) -> Vec<(AreaId, usize, usize)> {
    catalogue
        .areas
        .iter()
        .map(|a| {
            let count = |user: bool| {
                subscriptions
                    .iter()
                    .filter(|(t, _)| matches!(t, Target::User(_)) == user)
                    .filter(|(_, s)| s.topics.iter().any(|t| t.covers(a)))
                    .count()
            };
            (a.id, count(true), count(false))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::TempStore;

    #[test]
    fn areas_and_groups_are_read_as_typed() {
        let c = crate::core::catalogue::default_catalogue();
        assert_eq!(resolve_topic("krl", c).unwrap(), Topic::Area(AreaId::Krl));
        assert_eq!(
            resolve_topic("DREAM", c).unwrap(),
            Topic::Area(AreaId::Dream)
        );
        assert_eq!(
            resolve_topic("Skole/Dagtilbud", c).unwrap(),
            Topic::Group(Group::SkoleDagtilbud)
        );
        assert_eq!(
            resolve_topic("beskæftigelse", c).unwrap(),
            Topic::Group(Group::Beskaeftigelse)
        );
        assert!(resolve_topic("krll", c).is_err());
    }

    #[test]
    fn follow_unfollow_and_delete_everything() {
        let store = TempStore::new();
        let me = Target::User(5);
        let text = follow(&store, me, "krl", None).unwrap();
        assert!(text.contains("KRL Personale"), "{text}");
        follow(&store, me, "Skole/Dagtilbud", None).unwrap();
        let listed = list(&store, me).unwrap();
        assert!(
            listed.contains("KRL Personale") && listed.contains("Skole/Dagtilbud"),
            "{listed}"
        );
        let text = unfollow(&store, me, "krl").unwrap();
        assert!(text.contains("følger ikke længere"), "{text}");
        let text = unfollow(&store, me, "alt").unwrap();
        assert!(text.contains("slettet"), "{text}");
        assert_eq!(store.subscription(me).unwrap(), None, "nothing kept");
        let counts = counts_text(&store).unwrap();
        assert!(counts.starts_with("område\tbrugere\tkanaler"), "{counts}");
        assert!(!counts.contains('5'.to_string().repeat(2).as_str()));
    }

    #[test]
    fn a_paused_user_is_told_once_and_following_again_resumes() {
        let store = TempStore::new();
        let me = Target::User(5);
        follow(&store, me, "krl", None).unwrap();
        assert_eq!(pause_notice(&store, 5).unwrap(), None);
        store
            .update_subscription(me, |s| {
                s.map(|mut s| {
                    s.paused = true;
                    s
                })
            })
            .unwrap();
        let told = pause_notice(&store, 5).unwrap().expect("told");
        assert!(told.contains("pause"), "{told}");
        assert_eq!(pause_notice(&store, 5).unwrap(), None, "once");
        follow(&store, me, "krl", None).unwrap();
        assert!(!store.subscription(me).unwrap().unwrap().paused);
    }
}
