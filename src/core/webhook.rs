//! Webhook targets as the domain sees them: a named receiver outside Discord (a Teams workflow,
//! a Slack incoming webhook, or any HTTPS endpoint that takes flisbot's signed JSON document),
//! what it follows (areas or groups, like a subscription, and optionally the monthly
//! announcements), and what of it may be shown. A target's URL carries its secret (Teams'
//! `sig=`, Slack's path): it is kept in the store and used to send, and shown nowhere beyond its
//! host ([`shown_url`]).

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::core::announce::ChannelFilter;
use crate::core::catalogue::{Area, ChangeStamp};
use crate::core::notify::Topic;

/// What a receiver expects.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WebhookKind {
    /// A Teams Workflows trigger ("When a Teams webhook request is received"): an Adaptive Card.
    Teams,
    /// A Slack incoming webhook: `text` and `blocks`.
    Slack,
    /// flisbot's own versioned JSON document, signed per Standard Webhooks.
    Generic,
}

impl WebhookKind {
    pub const ALL: [WebhookKind; 3] =
        [WebhookKind::Teams, WebhookKind::Slack, WebhookKind::Generic];

    pub fn as_str(self) -> &'static str {
        match self {
            WebhookKind::Teams => "teams",
            WebhookKind::Slack => "slack",
            WebhookKind::Generic => "generic",
        }
    }

    /// The kind named as on the command line (`teams`, `slack`, `generic`), case and spaces
    /// ignored.
    pub fn parse(s: &str) -> Option<WebhookKind> {
        let s = s.trim().to_ascii_lowercase();
        WebhookKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// One receiver, as the store keeps it (tree `webhooks`, keyed by name).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookTarget {
    pub name: String,
    /// Where to send: secret. Never logged, shown or written to the history.
    pub url: String,
    pub kind: WebhookKind,
    /// The areas and groups followed; empty: every area.
    #[serde(default)]
    pub topics: BTreeSet<Topic>,
    /// The monthly release announcements go to it too.
    #[serde(default)]
    pub announcements: bool,
    /// The environment variable holding the signing secret (`generic` only): its name, never
    /// its value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_env: Option<String>,
    /// Delivery kept failing: nothing is sent until an operator resumes it (or a test send
    /// succeeds). What it follows is still queued for it, so nothing is lost.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub paused: bool,
    /// The operators have been told of the pause.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub told: bool,
    /// Who added it and when.
    pub added: ChangeStamp,
}

impl WebhookTarget {
    /// Whether a change to `area` is queued for this target (paused or not: a pause holds
    /// delivery back, it loses nothing).
    pub fn covers(&self, area: &Area) -> bool {
        self.topics.is_empty() || self.topics.iter().any(|t| t.covers(area))
    }

    /// The announcements' filter for this target: its areas and groups (none: everything).
    pub fn announcement_filter(&self) -> ChannelFilter {
        let mut filter = ChannelFilter::default();
        for topic in &self.topics {
            match topic {
                Topic::Area(id) => filter.areas.push(*id),
                Topic::Group(g) => filter.groups.push(*g),
            }
        }
        filter
    }

    /// What may be shown of it.
    pub fn shown(&self) -> WebhookShown {
        WebhookShown {
            name: self.name.clone(),
            kind: self.kind,
            address: shown_url(&self.url),
            topics: self.topics.iter().copied().collect(),
            announcements: self.announcements,
            secret_env: self.secret_env.clone(),
            paused: self.paused,
        }
    }
}

/// A target as it may be shown and kept in the history: its address only as [`shown_url`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookShown {
    pub name: String,
    pub kind: WebhookKind,
    /// Scheme, host and port; the path and query (the secret) as "…".
    pub address: String,
    pub topics: Vec<Topic>,
    pub announcements: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_env: Option<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub paused: bool,
}

/// A URL as it may be shown: scheme, host and port, the rest (path, query: where Teams and
/// Slack put the secret) as "…"; a user name or password is left out.
/// `https://prod-1.westeurope.logic.azure.com:443/workflows/…?sig=…` →
/// `https://prod-1.westeurope.logic.azure.com:443/…`.
pub fn shown_url(url: &str) -> String {
    let Some((scheme, rest)) = url.trim().split_once("://") else {
        return "…".to_owned();
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    format!(
        "{}://{}/…",
        crate::core::text::echo(&scheme.to_ascii_lowercase(), 10),
        crate::core::text::echo(host, 100)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::catalogue::{default_catalogue, AreaId, Group};

    fn target(topics: &[Topic]) -> WebhookTarget {
        let url = "https://example.org/hook/SECRET?sig=SECRET2";
        crate::test_support::webhook_target("hr", url, WebhookKind::Teams, topics)
    }

    #[test]
    fn a_shown_url_keeps_the_host_and_hides_the_secret() {
        for (url, shown) in [
            (
                "https://prod-1.westeurope.logic.azure.com:443/workflows/abc/triggers/manual/paths/invoke?api-version=2016-06-01&sig=s3cr3t",
                "https://prod-1.westeurope.logic.azure.com:443/…",
            ),
            (
                "https://hooks.slack.com/services/T000/B000/XXXXXXXX",
                "https://hooks.slack.com/…",
            ),
            ("http://user:pw@127.0.0.1:8080/x", "http://127.0.0.1:8080/…"),
            ("HTTPS://example.org?token=abc", "https://example.org/…"),
            ("not a url", "…"),
        ] {
            assert_eq!(shown_url(url), shown, "{url}");
        }
        let shown = target(&[]).shown();
        let json = serde_json::to_string(&shown).unwrap();
        assert!(!json.contains("SECRET"), "{json}");
    }

    #[test]
    fn a_target_follows_its_topics_or_everything() {
        let c = default_catalogue();
        let krl = c.area(AreaId::Krl).unwrap();
        let dream = c.area(AreaId::Dream).unwrap();
        assert!(target(&[]).covers(krl) && target(&[]).covers(dream));
        let only = target(&[Topic::Area(AreaId::Krl)]);
        assert!(only.covers(krl) && !only.covers(dream));
        let group = target(&[Topic::Group(Group::Beskaeftigelse)]);
        assert!(group.covers(dream) && !group.covers(krl));
        let mut paused = only.clone();
        paused.paused = true;
        assert!(
            paused.covers(krl),
            "a pause holds delivery back, not the queue"
        );
        let filter = group.announcement_filter();
        assert_eq!(filter.groups, [Group::Beskaeftigelse]);
        assert!(filter.wants(dream) && !filter.wants(krl));
        assert!(target(&[]).announcement_filter().wants(krl));
    }

    #[test]
    fn kinds_read_as_typed() {
        for k in WebhookKind::ALL {
            assert_eq!(
                WebhookKind::parse(&format!(" {} ", k.as_str().to_uppercase())),
                Some(k)
            );
        }
        assert_eq!(WebhookKind::parse("discord"), None);
    }
}
