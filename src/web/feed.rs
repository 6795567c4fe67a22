//! `/feed.atom`: the Atom feed of changes and release announcements (`views::atom`), filtered
//! like the calendar (`?omraade=`, `?gruppe=`, read by `CalendarFilter::from_pairs`). The
//! history is read on a blocking thread with a time limit; the feed is built once per catalogue
//! snapshot, filter and set of announcements whose time has come, and served with the other
//! routes' validators (ETag, Last-Modified, 304).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use chrono::SubsecRound;

use super::cache::{Modified, Rendered};
use super::{conditional, on_store, text, Shared};
use crate::core::announce;
use crate::core::catalogue::{AreaId, Catalogue};
use crate::core::danish_time::danish_today;
use crate::core::year_month::YearMonth;
use crate::views::atom::{atom_feed, FeedInput, MAX_ENTRIES};
use crate::views::ical::CalendarFilter;
use crate::views::web_page::error_text;

/// What the feed needs from the configuration.
#[derive(Clone, Debug)]
pub(crate) struct FeedSettings {
    /// The announcements' time of day (`[announcements] time`).
    pub(crate) time: (u32, u32),
    /// `[web] public_url`, for absolute links; relative without it.
    pub(crate) base: Option<String>,
}

impl Default for FeedSettings {
    fn default() -> Self {
        FeedSettings {
            time: (9, 0),
            base: None,
        }
    }
}

impl FeedSettings {
    /// From `[announcements] time` and `[web] public_url`.
    pub(crate) fn from_config(
        config: &crate::config::Config,
    ) -> Result<Self, crate::error::AppError> {
        Ok(FeedSettings {
            time: config.schedule()?.time,
            base: config.web.public_url()?,
        })
    }
}

/// How many differently filtered feeds a snapshot keeps.
const MAX_FEEDS: usize = 64;

type Key = (CalendarFilter, Vec<String>);

/// The feeds of one catalogue snapshot, per filter and announcements come.
#[derive(Default)]
pub(crate) struct FeedCache(Mutex<Option<Feeds>>);

/// The snapshot the feeds were rendered from, and each filter's feed.
type Feeds = (Arc<Catalogue>, HashMap<Key, Arc<Rendered>>);

impl FeedCache {
    fn get(&self, catalogue: &Arc<Catalogue>, key: &Key) -> Option<Arc<Rendered>> {
        let slot = self.0.lock().unwrap_or_else(|e| e.into_inner());
        match &*slot {
            Some((c, feeds)) if Arc::ptr_eq(c, catalogue) => feeds.get(key).cloned(),
            _ => None,
        }
    }

    fn put(&self, catalogue: &Arc<Catalogue>, key: Key, feed: Arc<Rendered>) {
        let mut slot = self.0.lock().unwrap_or_else(|e| e.into_inner());
        match &mut *slot {
            Some((c, feeds)) if Arc::ptr_eq(c, catalogue) && feeds.len() < MAX_FEEDS => {
                feeds.insert(key, feed);
            }
            _ => *slot = Some((Arc::clone(catalogue), HashMap::from([(key, feed)]))),
        }
    }
}

pub(super) async fn feed(
    State(state): State<Shared>,
    headers: HeaderMap,
    uri: axum::http::Uri,
) -> Response {
    let query = uri.query().unwrap_or("");
    let filter =
        match super::calendar_filter(query, super::query_pairs(query), "/feed.atom", |msg| {
            text(StatusCode::BAD_REQUEST, msg)
        }) {
            Ok(f) => f,
            Err(r) => return *r,
        };
    let snapshot = state.snapshot();
    let catalogue = Arc::clone(snapshot.catalogue());
    let now = state.clock.now();
    let this = YearMonth::of_date(danish_today(now));
    let time = state.feed.time;
    let come = announce::past(&catalogue, time, this.minus(3), this.plus(1), now);
    let key = (filter, come.iter().map(|s| s.id.key()).collect::<Vec<_>>());
    let rendered = match state.feeds.get(&catalogue, &key) {
        Some(r) => r,
        None => {
            let areas: Vec<AreaId> = catalogue.areas.iter().map(|a| a.id).collect();
            let Some(changes) = on_store(&state.store, move |s| {
                let mut all = Vec::new();
                for id in areas {
                    all.extend(s.history(id, MAX_ENTRIES)?);
                }
                Ok(all)
            })
            .await
            else {
                return text(StatusCode::SERVICE_UNAVAILABLE, error_text("store", None));
            };
            let xml = atom_feed(
                &catalogue,
                &FeedInput {
                    changes: &changes,
                    filter: &key.0,
                    time,
                    base: state.feed.base.as_deref(),
                    now,
                },
            );
            let r = Arc::new(Rendered::new(xml));
            state.feeds.put(&catalogue, key.clone(), Arc::clone(&r));
            r
        }
    };
    // An announcement whose time came today changes the feed within the snapshot's day.
    let latest = come.first().map(|s| s.at.trunc_subsecs(0));
    let modified = match latest {
        Some(at) if at > snapshot.modified.at => Modified {
            at,
            previous: Some(snapshot.modified.at),
        },
        _ => snapshot.modified,
    };
    let mut r = conditional(
        &headers,
        "application/atom+xml; charset=utf-8",
        Bytes::clone(&rendered.body),
        &rendered.etag,
        modified,
    );
    r.headers_mut().insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("inline; filename=\"flis-status.atom\""),
    );
    r
}
