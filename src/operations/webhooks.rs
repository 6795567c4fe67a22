//! Webhook targets as operators keep them: an add as an adapter read it (`WebhookAdd`), resolved
//! under the writer into a typed operation (`resolve_add`), held to their bounds
//! (`check`: a sane name, https or loopback http, the signing secret's variable set and
//! readable), planned against the target that stands (`plan`) and committed by
//! `operations::execute` with authorisation and a history entry under `@webhooks`, like every
//! other change. Refusals and listings are worded in `responses/webhook.md`; a target's URL is
//! never in either (only its host, `core::webhook::shown_url`).

use crate::views::render::Template;
use std::collections::BTreeSet;

use base64::Engine as _;
use serde::Serialize;

use crate::core::catalogue::{Catalogue, ChangeStamp, Group};
use crate::core::history::{Action, WebhookChange};
use crate::core::notify::Topic;
use crate::core::text::echo;
use crate::core::webhook::{WebhookKind, WebhookShown, WebhookTarget};
use crate::error::AppError;
use crate::store::Store;
use crate::views::danish::{danish_date_time, topic_name};
use crate::views::render::render_template;
use crate::views::status_feed::{group_by_id, group_id};

use super::arguments::ArgumentRefusal;
use super::plan::Plan;
use super::request::AreaName;
use super::ChangeView;

/// The longest name: short enough for a log line and a Discord option.
pub const MAX_NAME_CHARS: usize = 40;
/// The longest URL accepted (Teams' workflow URLs are about 300 characters).
pub const MAX_URL_CHARS: usize = 2048;
/// A signing secret's size in bytes, decoded, as Standard Webhooks asks (24–64).
pub const SECRET_BYTES: std::ops::RangeInclusive<usize> = 24..=64;
/// The prefix Standard Webhooks gives a secret.
pub const SECRET_PREFIX: &str = "whsec_";

/// A target to add, as an adapter read it (`admin webhook add`, `/webhook tilfoej`): the kind
/// and groups typed (see [`kind`], [`group`]), areas as named.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WebhookAdd {
    pub name: String,
    pub url: String,
    pub kind: WebhookKind,
    /// Areas to follow (with no groups either: every area).
    pub areas: Vec<AreaName>,
    pub groups: Vec<Group>,
    pub announcements: bool,
    /// The environment variable that holds the signing secret (generic only).
    pub secret_env: Option<String>,
}

/// A webhook change with every value read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WebhookOp {
    Add(Box<WebhookSpec>),
    Remove { name: String },
    Resume { name: String },
}

/// A target to add, as read from the arguments.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WebhookSpec {
    pub name: String,
    pub url: String,
    pub kind: WebhookKind,
    pub topics: BTreeSet<Topic>,
    pub announcements: bool,
    pub secret_env: Option<String>,
}

/// What a webhook change does: the target before and after (`None`: none).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WebhookPlan {
    pub name: String,
    pub change: WebhookChange,
    pub before: Option<WebhookTarget>,
    pub after: Option<WebhookTarget>,
    /// The change as the operator reads it (never the URL).
    pub shown: String,
}

/// Why a webhook change is refused; worded in `responses/webhook.md` (the `kind` picks it).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum WebhookRefusal {
    BadName {
        name: String,
        max: usize,
    },
    BadUrl {
        url: String,
    },
    NotHttps {
        scheme: String,
    },
    UrlTooLong {
        chars: usize,
        max: usize,
    },
    UnknownKind {
        typed: String,
    },
    UnknownGroup {
        group: String,
        known: Vec<&'static str>,
    },
    SecretMissing,
    SecretNotSigned {
        target_kind: WebhookKind,
    },
    BadVariable {
        var: String,
    },
    SecretUnset {
        var: String,
    },
    SecretInvalid {
        var: String,
        min: usize,
        max: usize,
    },
    Exists {
        name: String,
    },
    NotPaused {
        name: String,
    },
    Unknown {
        name: String,
    },
}

impl From<WebhookRefusal> for AppError {
    fn from(r: WebhookRefusal) -> AppError {
        match r {
            // These name an argument: each adapter words them (`ArgumentRefusal`).
            WebhookRefusal::SecretMissing => AppError::Argument(ArgumentRefusal::SecretMissing),
            WebhookRefusal::SecretNotSigned { target_kind } => {
                AppError::Argument(ArgumentRefusal::SecretNotSigned { target_kind })
            }
            r => AppError::invalid(say(&r)),
        }
    }
}

/// One sentence or listing of `responses/webhook.md`, blank runs collapsed.
fn say(context: &impl Serialize) -> String {
    render_template(Template::Webhook, context)
}

/// A receiver's kind as typed: teams, slack or generic.
pub fn kind(text: &str) -> Result<WebhookKind, AppError> {
    WebhookKind::parse(text).ok_or_else(|| {
        WebhookRefusal::UnknownKind {
            typed: echo(text, 40),
        }
        .into()
    })
}

/// The add as an operation: its areas as the live catalogue names them. Bounds are checked by
/// [`check`].
pub fn resolve_add(add: &WebhookAdd, catalogue: &Catalogue) -> Result<WebhookOp, AppError> {
    let mut topics = BTreeSet::new();
    for area in add.areas.iter().filter(|a| !a.as_str().trim().is_empty()) {
        topics.insert(Topic::Area(area.resolve(catalogue)?));
    }
    topics.extend(add.groups.iter().map(|g| Topic::Group(*g)));
    Ok(WebhookOp::Add(Box::new(WebhookSpec {
        name: add.name.trim().to_owned(),
        url: add.url.trim().to_owned(),
        kind: add.kind,
        topics,
        announcements: add.announcements,
        secret_env: add
            .secret_env
            .as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_owned),
    })))
}

/// A group by its id (`beskaeftigelse`) or its Danish name (`Beskæftigelse`).
pub fn group(text: &str) -> Result<Group, AppError> {
    group_by_id(&text.trim().to_lowercase())
        .or_else(|| super::subscriptions::resolve_group(text))
        .ok_or_else(|| {
            WebhookRefusal::UnknownGroup {
                group: echo(text, 40),
                known: Group::ALL.iter().map(|g| group_id(*g)).collect(),
            }
            .into()
        })
}

/// The bounds of a webhook change; `env` reads this process's environment (where the delivery
/// loop will read the secret).
pub fn check(op: &WebhookOp, env: &dyn Fn(&str) -> Option<String>) -> Result<(), AppError> {
    let name = match op {
        WebhookOp::Add(spec) => &spec.name,
        WebhookOp::Remove { name } | WebhookOp::Resume { name } => name,
    };
    check_name(name)?;
    if let WebhookOp::Add(spec) = op {
        check_url(&spec.url)?;
        check_secret(spec, env)?;
    }
    Ok(())
}

fn check_name(name: &str) -> Result<(), WebhookRefusal> {
    let ok = (1..=MAX_NAME_CHARS).contains(&name.chars().count())
        && name.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
    if ok {
        Ok(())
    } else {
        Err(WebhookRefusal::BadName {
            name: echo(name, 60),
            max: MAX_NAME_CHARS,
        })
    }
}

/// https anywhere; http only to this machine (tests, a local relay).
fn check_url(text: &str) -> Result<(), WebhookRefusal> {
    let chars = text.chars().count();
    if chars > MAX_URL_CHARS {
        return Err(WebhookRefusal::UrlTooLong {
            chars,
            max: MAX_URL_CHARS,
        });
    }
    // Echo only what may be shown: the URL's secret is its path and query.
    let bad = || WebhookRefusal::BadUrl {
        url: crate::core::webhook::shown_url(text),
    };
    let url = url::Url::parse(text).map_err(|_| bad())?;
    let loopback = match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        None => return Err(bad()),
    };
    match url.scheme() {
        "https" => Ok(()),
        "http" if loopback => Ok(()),
        other => Err(WebhookRefusal::NotHttps {
            scheme: echo(other, 20),
        }),
    }
}

fn check_secret(
    spec: &WebhookSpec,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<(), WebhookRefusal> {
    let var = match (&spec.secret_env, spec.kind) {
        (None, WebhookKind::Generic) => return Err(WebhookRefusal::SecretMissing),
        (None, _) => return Ok(()),
        (Some(_), WebhookKind::Teams | WebhookKind::Slack) => {
            return Err(WebhookRefusal::SecretNotSigned {
                target_kind: spec.kind,
            })
        }
        (Some(var), WebhookKind::Generic) => var,
    };
    let sane = !var.is_empty()
        && var.len() <= 100
        && var.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !var.starts_with(|c: char| c.is_ascii_digit());
    if !sane {
        return Err(WebhookRefusal::BadVariable { var: echo(var, 60) });
    }
    let value = env(var).ok_or_else(|| WebhookRefusal::SecretUnset { var: var.clone() })?;
    secret_key(&value)
        .map(|_| ())
        .ok_or_else(|| WebhookRefusal::SecretInvalid {
            var: var.clone(),
            min: *SECRET_BYTES.start(),
            max: *SECRET_BYTES.end(),
        })
}

/// The signing key a secret variable's value stands for, as Standard Webhooks reads it: base64,
/// with or without the `whsec_` prefix, 24–64 bytes once decoded.
pub fn secret_key(value: &str) -> Option<Vec<u8>> {
    let encoded = value.trim();
    let encoded = encoded.strip_prefix(SECRET_PREFIX).unwrap_or(encoded);
    let key = base64::engine::general_purpose::STANDARD
        .decode(encoded)
        .ok()?;
    SECRET_BYTES.contains(&key.len()).then_some(key)
}

/// Plans `op` against the target that stands under that name (read under the writer).
pub fn plan(
    op: &WebhookOp,
    current: Option<WebhookTarget>,
    catalogue: &Catalogue,
    stamp: &ChangeStamp,
) -> Result<Plan, AppError> {
    let (name, change, after) = match op {
        WebhookOp::Add(spec) => {
            if current.is_some() {
                return Err(WebhookRefusal::Exists {
                    name: spec.name.clone(),
                }
                .into());
            }
            let target = WebhookTarget {
                name: spec.name.clone(),
                url: spec.url.clone(),
                kind: spec.kind,
                topics: spec.topics.clone(),
                announcements: spec.announcements,
                secret_env: spec.secret_env.clone(),
                paused: false,
                told: false,
                added: stamp.clone(),
            };
            (&spec.name, WebhookChange::Added, Some(target))
        }
        WebhookOp::Remove { name } | WebhookOp::Resume { name } if current.is_none() => {
            return Err(WebhookRefusal::Unknown { name: name.clone() }.into())
        }
        WebhookOp::Remove { name } => (name, WebhookChange::Removed, None),
        WebhookOp::Resume { name } if current.as_ref().is_some_and(|t| !t.paused) => {
            return Err(WebhookRefusal::NotPaused { name: name.clone() }.into())
        }
        WebhookOp::Resume { name } => {
            let mut target = current.clone();
            if let Some(t) = target.as_mut() {
                t.paused = false;
                t.told = false;
            }
            (name, WebhookChange::Resumed, target)
        }
    };
    let mut plan = Plan::new(Action::Webhook {
        change,
        name: name.clone(),
    });
    if current != after {
        let shown = after.as_ref().or(current.as_ref()).map(|t| {
            say(&serde_json::json!({
                "kind": "diff",
                "change": change,
                "target": target_view(t, catalogue, 0),
            }))
        });
        plan.webhook = Some(WebhookPlan {
            name: name.clone(),
            change,
            before: current,
            after,
            shown: shown.unwrap_or_default(),
        });
    }
    Ok(plan)
}

#[derive(Serialize)]
struct TargetView<'a> {
    #[serde(flatten)]
    shown: WebhookShown,
    /// The areas and groups it follows, by name; empty: every area.
    follows: Vec<String>,
    added_by: String,
    added_at: String,
    /// Notices waiting for it.
    queued: usize,
    #[serde(skip)]
    _target: &'a WebhookTarget,
}

fn target_view<'a>(t: &'a WebhookTarget, catalogue: &Catalogue, queued: usize) -> TargetView<'a> {
    TargetView {
        shown: t.shown(),
        follows: t
            .topics
            .iter()
            .map(|topic| topic_name(*topic, catalogue))
            .collect(),
        added_by: t.added.by.public_name(),
        added_at: danish_date_time(t.added.at),
        queued,
        _target: t,
    }
}

impl WebhookPlan {
    pub fn view(&self) -> ChangeView {
        ChangeView {
            name: format!("Webhook «{}»", self.name),
            diffs: vec![self.shown.clone()],
        }
    }
}

/// Every target, what it follows and whether it is paused; never a URL beyond its host.
pub fn list_text(store: &Store) -> Result<String, AppError> {
    let catalogue = store.catalogue();
    let targets = store.webhook_targets()?;
    let queue = store.webhook_outbox()?;
    let views: Vec<TargetView> = targets
        .iter()
        .map(|t| {
            let queued = queue.iter().filter(|(n, _)| *n == t.name).count();
            target_view(t, &catalogue, queued)
        })
        .collect();
    Ok(say(&serde_json::json!({"kind": "list", "targets": views})))
}

/// The names of the targets and what each follows, for `admin subscriptions` (no URLs).
pub fn counts_text(store: &Store) -> Result<String, AppError> {
    let catalogue = store.catalogue();
    let targets = store.webhook_targets()?;
    let views: Vec<TargetView> = targets
        .iter()
        .map(|t| target_view(t, &catalogue, 0))
        .collect();
    Ok(say(
        &serde_json::json!({"kind": "counts", "targets": views}),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::catalogue::{default_catalogue, AreaId, Author};
    use crate::operations::arguments::Adapter;
    use crate::test_support::at;

    const KEY: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    /// An add as an operator types it; read as the adapters read it by [`parse_add`].
    #[derive(Clone, Debug, Default)]
    struct Typed {
        name: String,
        url: String,
        kind: String,
        areas: Vec<String>,
        groups: Vec<String>,
        secret_env: Option<String>,
    }

    fn args(name: &str, url: &str, kind: &str) -> Typed {
        Typed {
            name: name.into(),
            url: url.into(),
            kind: kind.into(),
            ..Typed::default()
        }
    }

    fn parse_add(a: &Typed, catalogue: &Catalogue) -> Result<WebhookOp, AppError> {
        let add = WebhookAdd {
            name: a.name.clone(),
            url: a.url.clone(),
            kind: kind(&a.kind)?,
            areas: a.areas.iter().map(|a| AreaName::new(a.as_str())).collect(),
            groups: a
                .groups
                .iter()
                .map(|g| group(g))
                .collect::<Result<_, _>>()?,
            announcements: false,
            secret_env: a.secret_env.clone(),
        };
        resolve_add(&add, catalogue)
    }

    fn env(var: &str) -> Option<String> {
        match var {
            "HOOK_SECRET" => Some(KEY.into()),
            "SHORT" => Some("whsec_c2hvcnQ=".into()),
            _ => None,
        }
    }

    fn refusal(a: &Typed) -> String {
        // As the command line words them (`--secret-env`).
        let cli = |e: AppError| e.worded_for(Adapter::Cli).user_message();
        let op = match parse_add(a, default_catalogue()) {
            Ok(op) => op,
            Err(e) => return cli(e),
        };
        cli(check(&op, &env).expect_err("refused"))
    }

    #[test]
    fn refusals_say_what_is_wrong_in_danish_and_never_echo_the_secret() {
        let with = |f: &dyn Fn(&mut Typed)| {
            let mut a = args("hr", "https://example.org/hook/SECRET", "teams");
            f(&mut a);
            a
        };
        for (a, says) in [
            (with(&|a| a.name = "HR team".into()), "navn"),
            (
                with(&|a| a.url = "ftp://example.org/SECRET".into()),
                "https",
            ),
            (
                with(&|a| a.url = "http://example.org/SECRET".into()),
                "https",
            ),
            (with(&|a| a.url = "ikke en adresse".into()), "adresse"),
            (with(&|a| a.kind = "discord".into()), "«discord»"),
            (
                with(&|a| a.areas = vec!["krll".into()]),
                "Jeg kender ikke området",
            ),
            (with(&|a| a.groups = vec!["sport".into()]), "«sport»"),
            (with(&|a| a.kind = "generic".into()), "--secret-env"),
            (
                with(&|a| a.secret_env = Some("HOOK_SECRET".into())),
                "Kun generic",
            ),
            (
                with(&|a| {
                    a.kind = "generic".into();
                    a.secret_env = Some("NOT_SET".into());
                }),
                "NOT_SET",
            ),
            (
                with(&|a| {
                    a.kind = "generic".into();
                    a.secret_env = Some("SHORT".into());
                }),
                "24–64",
            ),
            (
                with(&|a| {
                    a.kind = "generic".into();
                    a.secret_env = Some("A=B".into());
                }),
                "variabel",
            ),
        ] {
            let text = refusal(&a);
            assert!(text.contains(says), "{a:?}: {text}");
            assert!(
                !text.contains("SECRET") && !text.contains("MfKQ9r8"),
                "{text}"
            );
        }
    }

    #[test]
    fn good_targets_pass_https_anywhere_http_to_this_machine() {
        for (url, kind, secret) in [
            (
                "https://prod-1.westeurope.logic.azure.com/workflows/x?sig=y",
                "teams",
                None,
            ),
            ("https://hooks.slack.com/services/T/B/X", "slack", None),
            ("http://127.0.0.1:8080/hook", "generic", Some("HOOK_SECRET")),
            ("http://localhost/hook", "slack", None),
            ("http://[::1]:9/x", "teams", None),
        ] {
            let mut a = args("t-1", url, kind);
            a.secret_env = secret.map(Into::into);
            a.areas = vec!["KRL Personale".into()];
            let op = parse_add(&a, default_catalogue()).unwrap();
            check(&op, &env).unwrap_or_else(|e| panic!("{url}: {}", e.user_message()));
        }
        let mut a = args("grp", "https://example.org/x", "slack");
        a.groups = vec!["beskaeftigelse".into(), "Skole/Dagtilbud".into()];
        let WebhookOp::Add(spec) = parse_add(&a, default_catalogue()).unwrap() else {
            panic!()
        };
        assert_eq!(
            spec.topics,
            [
                Topic::Group(Group::SkoleDagtilbud),
                Topic::Group(Group::Beskaeftigelse)
            ]
            .into_iter()
            .collect()
        );
    }

    #[test]
    fn secrets_read_as_standard_webhooks_reads_them() {
        assert_eq!(secret_key(KEY).map(|k| k.len()), Some(24));
        assert_eq!(
            secret_key("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"),
            secret_key(KEY)
        );
        assert_eq!(secret_key("whsec_c2hvcnQ="), None, "too short");
        assert_eq!(secret_key("not base64 at all!"), None);
    }

    #[test]
    fn plans_refuse_a_second_add_and_an_unknown_name_and_resume_only_what_is_paused() {
        let stamp = ChangeStamp {
            by: Author::named("Mette"),
            at: at("2025-10-10T08:00:00Z"),
        };
        let mut a = args("hr", "https://example.org/x", "teams");
        a.areas = vec!["krl".into()];
        let op = parse_add(&a, default_catalogue()).unwrap();
        let c = default_catalogue();
        let added = plan(&op, None, c, &stamp).unwrap();
        let target = added.webhook.clone().unwrap().after.unwrap();
        assert_eq!(
            target.topics,
            [Topic::Area(AreaId::Krl)].into_iter().collect()
        );
        let again = plan(&op, Some(target.clone()), c, &stamp).unwrap_err();
        assert!(
            again.user_message().contains("findes allerede"),
            "{}",
            again.user_message()
        );
        let remove = WebhookOp::Remove { name: "x".into() };
        assert!(plan(&remove, None, c, &stamp)
            .unwrap_err()
            .user_message()
            .contains("«x»"));
        let resume = WebhookOp::Resume { name: "hr".into() };
        let not_paused = plan(&resume, Some(target.clone()), c, &stamp).unwrap_err();
        assert!(not_paused.user_message().contains("ikke på pause"));
        let mut paused = target.clone();
        paused.paused = true;
        let resumed = plan(&resume, Some(paused), c, &stamp).unwrap();
        assert!(!resumed.webhook.unwrap().after.unwrap().paused);
        let view = added.webhook.unwrap().view();
        let shown = view.diffs.join(" ");
        assert!(
            shown.contains("https://example.org/…") && shown.contains("KRL"),
            "{shown}"
        );
    }
}
