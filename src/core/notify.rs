//! Telling people before they ask: who follows what (`Topic`, `Subscription`), which changes
//! are worth a notice (`notice`), who gets one (`follows`), several notices of one area made
//! into one message (`coalesce`, `ready`). The wording is the views': the notice and the status
//! board (`views::notice`), a topic's name ("gruppen Skole/Dagtilbud": `views::danish::topic_name`).

use std::collections::BTreeSet;

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::core::catalogue::{Area, AreaId, Catalogue, Group};
use crate::core::history::Action;
use crate::core::year_month::YearMonth;

/// Discord's limit for a message's content.
pub const MAX_MESSAGE_CHARS: usize = 2000;

/// What a subscription follows: one area, or every area of a group (as the live catalogue has
/// it when a change comes).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Topic {
    Area(AreaId),
    Group(Group),
}

impl Topic {
    pub fn covers(self, area: &Area) -> bool {
        match self {
            Topic::Area(id) => area.id == id,
            Topic::Group(g) => area.group == g,
        }
    }

    /// The areas it covers in `catalogue`.
    pub fn areas(self, catalogue: &Catalogue) -> Vec<AreaId> {
        catalogue
            .areas
            .iter()
            .filter(|a| self.covers(a))
            .map(|a| a.id)
            .collect()
    }
}

/// Who gets notices: a user (by DM) or a channel.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Target {
    User(u64),
    Channel(u64),
}

impl Target {
    /// The store's key: `u<id>` or `c<id>`.
    pub fn key(self) -> String {
        match self {
            Target::User(id) => format!("u{id}"),
            Target::Channel(id) => format!("c{id}"),
        }
    }

    pub fn from_key(key: &str) -> Option<Target> {
        let (kind, id) = key.split_at_checked(1)?;
        let id = id.parse().ok()?;
        match kind {
            "u" => Some(Target::User(id)),
            "c" => Some(Target::Channel(id)),
            _ => None,
        }
    }
}

/// What a user or channel follows. Nothing else about them is kept: the id is the key.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subscription {
    pub topics: BTreeSet<Topic>,
    /// A channel's role to mention: the only ping flisbot ever sends.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<u64>,
    /// Discord refused to deliver (a user's closed DMs): nothing is queued until they subscribe
    /// again.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub paused: bool,
    /// The user has been told of the pause.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub told: bool,
}

impl Subscription {
    /// Whether a change to `area` is queued for this subscription.
    pub fn follows(&self, area: &Area) -> bool {
        !self.paused && self.topics.iter().any(|t| t.covers(area))
    }
}

/// One change of an area worth telling: its state, t.o.m. or drift note changed. `id` is the
/// store's (assigned when queued, in commit order).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notice {
    #[serde(default)]
    pub id: u64,
    pub before: Area,
    pub after: Area,
    pub action: Action,
    pub at: DateTime<Utc>,
}

/// Whether a subscriber hears of a change: state, t.o.m. or drift note.
pub fn notifies(before: &Area, after: &Area) -> bool {
    before.state != after.state || before.through != after.through || before.note != after.note
}

/// The notice for a change from `before` to `after`, if it is worth one.
pub fn notice(before: &Area, after: &Area, action: &Action, at: DateTime<Utc>) -> Option<Notice> {
    notifies(before, after).then(|| Notice {
        id: 0,
        before: before.clone(),
        after: after.clone(),
        action: action.clone(),
        at,
    })
}

/// Several notices of one area for one recipient, told as one message: from the first's
/// `before` to the last's `after`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Coalesced {
    pub area: AreaId,
    pub before: Area,
    pub after: Area,
    /// The release month, when one of the changes marked a release out.
    pub release: Option<YearMonth>,
    /// The notices it covers (ids), oldest first; the first names the message's nonce.
    pub ids: Vec<u64>,
    /// When the oldest was made.
    pub first_at: DateTime<Utc>,
}

/// `notices` grouped per area, each group oldest first, areas in order of their oldest notice.
pub fn coalesce(notices: &[Notice]) -> Vec<Coalesced> {
    let mut sorted: Vec<&Notice> = notices.iter().collect();
    sorted.sort_by_key(|n| (n.at, n.id));
    let mut out: Vec<Coalesced> = Vec::new();
    for n in sorted {
        let release = match &n.action {
            Action::Release { month } => Some(*month),
            _ => None,
        };
        match out.iter_mut().find(|c| c.area == n.after.id) {
            Some(c) => {
                c.after = n.after.clone();
                c.release = release.or(c.release);
                c.ids.push(n.id);
            }
            None => out.push(Coalesced {
                area: n.after.id,
                before: n.before.clone(),
                after: n.after.clone(),
                release,
                ids: vec![n.id],
                first_at: n.at,
            }),
        }
    }
    out
}

/// A group is sent once its oldest change is `window` old: changes within the window become one
/// message.
pub fn ready(c: &Coalesced, now: DateTime<Utc>, window: Duration) -> bool {
    c.first_at + window <= now
}

impl Coalesced {
    /// The queued notices it covers: what leaves the queue once it is delivered.
    pub fn covered(&self, notices: &[Notice]) -> Vec<Notice> {
        notices
            .iter()
            .filter(|n| self.ids.contains(&n.id))
            .cloned()
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::catalogue::{default_catalogue, State};
    use crate::test_support::{at, ym};
    use crate::views::notice::{board_text, render_notice};

    fn area(id: AreaId) -> Area {
        default_catalogue().area(id).unwrap().clone()
    }

    fn change(id: u64, before: &Area, f: impl FnOnce(&mut Area), minute: u32) -> Notice {
        let mut after = before.clone();
        f(&mut after);
        Notice {
            id,
            before: before.clone(),
            after,
            action: Action::Set,
            at: at(&format!("2025-10-10T08:{minute:02}:00Z")),
        }
    }

    #[test]
    fn state_through_and_note_notify_rules_and_sources_do_not() {
        let krl = area(AreaId::Krl);
        let mut x = krl.clone();
        x.rule.lag += 1;
        x.source = Some("Ny kilde".into());
        assert!(notice(&krl, &x, &Action::Rule, at("2025-10-10T08:00:00Z")).is_none());
        for f in [
            (|a: &mut Area| a.state = State::Down) as fn(&mut Area),
            |a| a.through = Some(ym("2025-09")),
            |a| a.note = Some("Ny note".into()),
        ] {
            let mut y = krl.clone();
            f(&mut y);
            assert!(notice(&krl, &y, &Action::Set, at("2025-10-10T08:00:00Z")).is_some());
        }
    }

    #[test]
    fn who_follows_a_change_areas_groups_and_paused() {
        let krl = area(AreaId::Krl);
        let dream = area(AreaId::Dream);
        let sub = |topics: &[Topic], paused| Subscription {
            topics: topics.iter().copied().collect(),
            paused,
            ..Subscription::default()
        };
        assert!(sub(&[Topic::Area(AreaId::Krl)], false).follows(&krl));
        assert!(!sub(&[Topic::Area(AreaId::Krl)], false).follows(&dream));
        assert!(sub(&[Topic::Group(krl.group)], false).follows(&krl));
        assert!(
            !sub(&[Topic::Group(krl.group)], true).follows(&krl),
            "paused"
        );
        assert!(!sub(&[], false).follows(&krl));
    }

    #[test]
    fn targets_round_trip_their_keys() {
        for t in [Target::User(42), Target::Channel(7)] {
            assert_eq!(Target::from_key(&t.key()), Some(t));
        }
        assert_eq!(Target::from_key("x1"), None);
        assert_eq!(Target::from_key(""), None);
    }

    #[test]
    fn several_changes_to_one_area_become_one_message_from_first_to_last() {
        let krl = area(AreaId::Krl);
        let a = change(1, &krl, |a| a.state = State::Down, 0);
        let b = change(
            2,
            &a.after,
            |a| a.note = Some("Nede til i morgen".into()),
            1,
        );
        let dream = change(3, &area(AreaId::Dream), |a| a.state = State::Down, 1);
        let c = coalesce(&[b.clone(), dream, a.clone()]);
        assert_eq!(c.len(), 2);
        assert_eq!((c[0].area, c[0].ids.clone()), (AreaId::Krl, vec![1, 2]));
        assert_eq!(c[0].before, krl);
        assert_eq!(c[0].after, b.after);
        assert!(!ready(
            &c[0],
            at("2025-10-10T08:01:59Z"),
            Duration::minutes(2)
        ));
        assert!(ready(
            &c[0],
            at("2025-10-10T08:02:00Z"),
            Duration::minutes(2)
        ));
    }

    #[test]
    fn a_notice_says_before_after_and_the_line_now_and_nothing_when_undone() {
        let mut catalogue = default_catalogue().clone();
        let krl = area(AreaId::Krl);
        let n = change(1, &krl, |a| a.state = State::Down, 0);
        *catalogue.area_mut(AreaId::Krl).unwrap() = n.after.clone();
        let c = &coalesce(std::slice::from_ref(&n))[0];
        let text = render_notice(c, &catalogue, at("2025-10-10T08:05:00Z"), None).unwrap();
        assert!(text.contains("**KRL Personale** er ændret"), "{text}");
        assert!(
            text.contains("tilstand driftsforstyrrelse → nede"),
            "{text}"
        );
        assert!(text.contains("Nu: 🔴 KRL Personale"), "{text}");
        assert!(!text.contains("<@"), "{text}");
        let with_role = render_notice(c, &catalogue, at("2025-10-10T08:05:00Z"), Some(9)).unwrap();
        assert!(with_role.starts_with("<@&9> "), "{with_role}");
        let back = change(2, &n.after, |a| a.state = krl.state, 1);
        let both = &coalesce(&[n, back])[0];
        assert_eq!(
            render_notice(both, &catalogue, at("2025-10-10T08:05:00Z"), None),
            None
        );
    }

    #[test]
    fn a_release_is_named_in_the_notice() {
        let krl = area(AreaId::Krl);
        let mut n = change(1, &krl, |a| a.through = Some(ym("2025-09")), 0);
        n.action = Action::Release {
            month: ym("2025-10"),
        };
        let c = &coalesce(&[n])[0];
        let text = render_notice(c, default_catalogue(), at("2025-10-10T08:05:00Z"), None).unwrap();
        assert!(text.contains("udgivelsen for oktober 2025"), "{text}");
        assert!(text.contains("data t.o.m."), "{text}");
    }

    #[test]
    fn the_board_has_every_area_problems_first_within_discords_limit() {
        let mut catalogue = default_catalogue().clone();
        let text = board_text(&catalogue, at("2025-10-10T08:00:00Z"));
        assert!(text.chars().count() <= MAX_MESSAGE_CHARS, "{}", text.len());
        for a in &catalogue.areas {
            assert!(text.contains(&a.name), "{} missing:\n{text}", a.name);
        }
        assert!(text.contains("Status pr. 10. september 2025"), "{text}");
        assert!(text.contains("opdateret 10. oktober 2025"), "{text}");
        let first_ok = text.find("🟢").unwrap();
        assert!(text.find("🔴").is_none_or(|p| p < first_ok), "{text}");
        // Long notes and names everywhere still fit.
        for a in &mut catalogue.areas {
            a.state = State::Down;
            a.note = Some("x ".repeat(400));
        }
        let long = board_text(&catalogue, at("2025-10-10T08:00:00Z"));
        assert!(long.chars().count() <= MAX_MESSAGE_CHARS, "{}", long.len());
        let next_day = board_text(default_catalogue(), at("2025-10-10T22:30:00Z"));
        assert!(
            next_day.contains("opdateret 11. oktober 2025"),
            "{next_day}"
        );
    }
}
