//! The area facts, computed once per catalogue snapshot and Copenhagen day, and the status page
//! and the JSON feed rendered from them, with their validators (ETag, Last-Modified). Every
//! view of that snapshot and day (page, feed, calendars, area pages, metrics) reads the one
//! `CatalogueFacts`; every request in between is a pointer compare and a copy of shared bytes,
//! which is what lets `/` and `/api/status.json` serve thousands of requests a second on one
//! core.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};

use axum::body::Bytes;
use axum::http::{header, HeaderMap};
use chrono::{DateTime, NaiveDate, SubsecRound, TimeZone, Utc};
use chrono_tz::Europe::Copenhagen;

use crate::core::catalogue::AreaId;
use crate::core::catalogue::Catalogue;
use crate::core::danish_time::danish_today;
use crate::core::facts::{catalogue_facts, CatalogueFacts};
use crate::views::ical::{calendar_text, CalendarFilter};
use crate::views::kalender::kalender_page;
use crate::views::status_feed::{badge_view, status_feed, status_page};
use crate::views::web_page::{badge_svg, kalender_html, status_html};

/// A body with its strong validator.
pub(crate) struct Rendered {
    pub(crate) body: Bytes,
    pub(crate) etag: String,
}

impl Rendered {
    pub(crate) fn new(body: impl Into<Bytes>) -> Self {
        let body = body.into();
        let etag = etag_of(&body);
        Rendered { body, etag }
    }
}

/// When what a snapshot serves last changed, as HTTP can say it (whole seconds), and when the
/// version before it did. Two versions in one second share a Last-Modified, so a client whose
/// If-Modified-Since names that second may hold either: only its ETag can tell, and without
/// one it gets the body again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Modified {
    pub(crate) at: DateTime<Utc>,
    /// The Last-Modified of the snapshot this one replaced, if this process served one.
    pub(crate) previous: Option<DateTime<Utc>>,
}

/// What `/` and `/api/status.json` serve for one catalogue snapshot on one day.
pub(crate) struct Snapshot {
    catalogue: Arc<Catalogue>,
    /// What is true of every area on `today`: the one computation every view reads.
    facts: CatalogueFacts,
    pub(crate) today: NaiveDate,
    /// `at`: the latest of when this process first saw the catalogue and the start of `today`
    /// (the computed fields change with the day). Whole seconds, as HTTP dates are.
    pub(crate) modified: Modified,
    pub(crate) page: Rendered,
    pub(crate) json: Rendered,
    /// Calendars built so far, per filter; at most `MAX_CALENDARS`, so odd filters cannot grow
    /// it without bound.
    calendars: Mutex<HashMap<CalendarFilter, Arc<Rendered>>>,
    /// Calendar pages (`/kalender`) built so far, per filter, bounded the same way.
    pages: Mutex<HashMap<CalendarFilter, Arc<Rendered>>>,
    /// Badges built so far, one per area at most.
    badges: Mutex<HashMap<AreaId, Arc<Rendered>>>,
    /// The configured public address, for links in calendars and on the calendar page.
    public_url: Option<Arc<str>>,
}

/// How many differently filtered calendars a snapshot keeps.
const MAX_CALENDARS: usize = 64;

impl Snapshot {
    pub(crate) fn catalogue(&self) -> &Arc<Catalogue> {
        &self.catalogue
    }

    pub(crate) fn facts(&self) -> &CatalogueFacts {
        &self.facts
    }

    /// The calendar for `filter`, built on first use (about a millisecond for all areas).
    pub(crate) fn calendar(&self, filter: &CalendarFilter) -> Arc<Rendered> {
        kept(&self.calendars, filter, || {
            calendar_text(
                &self.catalogue,
                &self.facts,
                filter,
                self.modified.at,
                self.public_url.as_deref(),
            )
        })
    }

    /// The release calendar page for `filter`, built on first use.
    pub(crate) fn kalender(&self, filter: &CalendarFilter) -> Arc<Rendered> {
        kept(&self.pages, filter, || {
            kalender_html(&kalender_page(
                &self.catalogue,
                &self.facts,
                filter,
                self.public_url.as_deref(),
            ))
        })
    }

    /// Area `id`'s badge, built on first use; `None` for an area the catalogue lacks.
    pub(crate) fn badge(&self, id: AreaId) -> Option<Arc<Rendered>> {
        let view = badge_view(&self.catalogue, &self.facts, id)?;
        Some(kept(&self.badges, &id, || badge_svg(&view)))
    }
}

/// What `map` keeps under `key`, rendered by `render` on first use; the map is emptied when it
/// holds `MAX_CALENDARS`, so odd keys cannot grow it without bound.
fn kept<K: Clone + Eq + std::hash::Hash>(
    map: &Mutex<HashMap<K, Arc<Rendered>>>,
    key: &K,
    render: impl FnOnce() -> String,
) -> Arc<Rendered> {
    if let Some(r) = map.lock().unwrap_or_else(|e| e.into_inner()).get(key) {
        return Arc::clone(r);
    }
    let rendered = Arc::new(Rendered::new(render()));
    let mut map = map.lock().unwrap_or_else(|e| e.into_inner());
    if map.len() >= MAX_CALENDARS {
        map.clear();
    }
    map.insert(key.clone(), Arc::clone(&rendered));
    rendered
}

#[derive(Default)]
pub(crate) struct Cache {
    current: RwLock<Option<Arc<Snapshot>>>,
    /// The catalogue last seen and when: its Last-Modified.
    seen: Mutex<Option<(Arc<Catalogue>, DateTime<Utc>)>>,
    /// `[web] public_url`, checked.
    public_url: Option<Arc<str>>,
}

impl Cache {
    /// A cache whose calendars link under `public_url`.
    pub(crate) fn new(public_url: Option<String>) -> Self {
        Cache {
            public_url: public_url.map(Arc::from),
            ..Cache::default()
        }
    }

    /// The snapshot for `catalogue` at `now`, rendered if it is not the cached one.
    pub(crate) fn get(&self, catalogue: Arc<Catalogue>, now: DateTime<Utc>) -> Arc<Snapshot> {
        let today = danish_today(now);
        let previous = match &*self.current.read().unwrap_or_else(|e| e.into_inner()) {
            Some(s) if Arc::ptr_eq(&s.catalogue, &catalogue) && s.today == today => {
                return Arc::clone(s);
            }
            Some(s) => Some(s.modified.at),
            None => None,
        };
        let seen_at = {
            let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
            match &*seen {
                Some((c, at)) if Arc::ptr_eq(c, &catalogue) => *at,
                _ => {
                    // A new snapshot is never older than the last one served.
                    let at = seen.as_ref().map_or(now, |(_, prev)| now.max(*prev));
                    *seen = Some((Arc::clone(&catalogue), at));
                    at
                }
            }
        };
        let facts = catalogue_facts(&catalogue, today);
        let mut json = serde_json::to_vec(&status_feed(&catalogue, &facts)).unwrap_or_default();
        json.push(b'\n');
        let page = status_html(&status_page(&catalogue, &facts));
        let snapshot = Arc::new(Snapshot {
            facts,
            today,
            modified: Modified {
                at: seen_at.max(start_of(today)).trunc_subsecs(0),
                previous,
            },
            page: Rendered::new(page),
            json: Rendered::new(json),
            calendars: Mutex::new(HashMap::new()),
            pages: Mutex::new(HashMap::new()),
            badges: Mutex::new(HashMap::new()),
            public_url: self.public_url.clone(),
            catalogue,
        });
        *self.current.write().unwrap_or_else(|e| e.into_inner()) = Some(Arc::clone(&snapshot));
        snapshot
    }
}

/// Midnight in Copenhagen at the start of `day`, as an instant.
fn start_of(day: NaiveDate) -> DateTime<Utc> {
    let midnight = day.and_hms_opt(0, 0, 0).unwrap_or_default();
    Copenhagen
        .from_local_datetime(&midnight)
        .earliest()
        .map_or_else(|| midnight.and_utc(), |t| t.with_timezone(&Utc))
}

/// A strong ETag: FNV-1a over the body (stable across builds and restarts).
pub(crate) fn etag_of(body: &[u8]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in body {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("\"{h:016x}-{:x}\"", body.len())
}

/// An HTTP date (IMF-fixdate): "Wed, 10 Sep 2025 08:00:00 GMT".
pub(crate) fn http_date(t: DateTime<Utc>) -> String {
    t.format("%a, %d %b %Y %H:%M:%S GMT").to_string()
}

fn parse_http_date(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc2822(s.trim())
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// Whether the client's copy is current (RFC 9110 §13.1): If-None-Match decides when present
/// (weak comparison), else If-Modified-Since, which must be after the previous version's
/// Last-Modified too (a version changed within the second it names is not proven current).
pub(crate) fn not_modified(headers: &HeaderMap, etag: &str, modified: Modified) -> bool {
    if let Some(inm) = headers.get(header::IF_NONE_MATCH) {
        let Ok(inm) = inm.to_str() else {
            return false;
        };
        let bare = |t: &str| t.trim().trim_start_matches("W/").to_owned();
        return inm
            .split(',')
            .any(|t| t.trim() == "*" || bare(t) == bare(etag));
    }
    headers
        .get(header::IF_MODIFIED_SINCE)
        .and_then(|v| v.to_str().ok())
        .and_then(parse_http_date)
        .is_some_and(|since| modified.at <= since && modified.previous.is_none_or(|p| p < since))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::catalogue::default_catalogue;
    use crate::test_support::at;
    use axum::http::HeaderValue;

    #[test]
    fn one_render_per_snapshot_and_day_with_monotonic_last_modified() {
        let cache = Cache::default();
        let c = Arc::new(default_catalogue().clone());
        let a = cache.get(Arc::clone(&c), at("2025-09-10T10:00:00+02:00"));
        let b = cache.get(Arc::clone(&c), at("2025-09-10T18:00:00+02:00"));
        assert!(Arc::ptr_eq(&a, &b), "same snapshot, same day: cached");
        assert_eq!(a.facts().today, a.today, "the facts are the day's");
        assert_eq!(a.modified.at, at("2025-09-10T10:00:00+02:00"));
        assert_eq!(a.modified.previous, None);
        let next_day = cache.get(Arc::clone(&c), at("2025-09-11T09:00:00+02:00"));
        assert!(!Arc::ptr_eq(&a, &next_day));
        assert_eq!(next_day.modified.at, at("2025-09-11T00:00:00+02:00"));
        assert_eq!(next_day.modified.previous, Some(a.modified.at));
        assert_ne!(a.json.etag, next_day.json.etag, "today is in the feed");
        let changed = Arc::new(default_catalogue().clone());
        let d = cache.get(changed, at("2025-09-11T09:30:00.5+02:00"));
        assert_eq!(d.modified.at, at("2025-09-11T09:30:00+02:00"));
    }

    /// A poller that sends back only Last-Modified: a change within the same second is not
    /// hidden behind a 304 (it was, 4 tries in 6), one in a later second is told apart.
    #[test]
    fn if_modified_since_never_hides_a_change_within_the_same_second() {
        let cache = Cache::default();
        let first = cache.get(
            Arc::new(default_catalogue().clone()),
            at("2025-09-10T10:00:00.1+02:00"),
        );
        let since = |s: &Snapshot| {
            let mut h = HeaderMap::new();
            h.insert(
                header::IF_MODIFIED_SINCE,
                HeaderValue::from_str(&http_date(s.modified.at)).unwrap(),
            );
            h
        };
        let asked = since(&first);
        assert!(not_modified(&asked, &first.json.etag, first.modified));
        let changed = cache.get(
            Arc::new(default_catalogue().clone()),
            at("2025-09-10T10:00:00.9+02:00"),
        );
        assert_eq!(changed.modified.at, first.modified.at, "the same second");
        assert!(
            !not_modified(&asked, &changed.json.etag, changed.modified),
            "the copy from before the change is not current"
        );
        assert!(
            !not_modified(&since(&changed), &changed.json.etag, changed.modified),
            "that second may hold either version: the body again"
        );
        let later = cache.get(
            Arc::new(default_catalogue().clone()),
            at("2025-09-10T10:00:01.2+02:00"),
        );
        assert!(!not_modified(&asked, &later.json.etag, later.modified));
        assert!(not_modified(
            &since(&later),
            &later.json.etag,
            later.modified
        ));
    }

    #[test]
    fn calendars_are_kept_per_filter_and_bounded() {
        use crate::core::catalogue::AreaId;
        let cache = Cache::default();
        let s = cache.get(
            Arc::new(default_catalogue().clone()),
            at("2025-09-10T10:00:00+02:00"),
        );
        let all = CalendarFilter::default();
        assert!(Arc::ptr_eq(&s.calendar(&all), &s.calendar(&all)));
        // Every pair of areas is another filter: far more than the cache keeps.
        for a in AreaId::ALL {
            for b in AreaId::ALL {
                let f = CalendarFilter {
                    areas: [*a, *b].into_iter().collect(),
                    ..CalendarFilter::default()
                };
                assert!(s.calendar(&f).body.starts_with(b"BEGIN:VCALENDAR"));
                assert!(s.calendars.lock().unwrap().len() <= MAX_CALENDARS);
            }
        }
    }

    #[test]
    fn validators_decide_not_modified() {
        let lm = Modified {
            at: at("2025-09-10T08:00:00Z"),
            previous: Some(at("2025-09-10T07:00:00Z")),
        };
        let etag = "\"abc-1\"";
        let h = |pairs: &[(header::HeaderName, &str)]| {
            let mut m = HeaderMap::new();
            for (k, v) in pairs {
                m.insert(k.clone(), HeaderValue::from_str(v).unwrap());
            }
            m
        };
        assert!(not_modified(
            &h(&[(header::IF_NONE_MATCH, "\"abc-1\"")]),
            etag,
            lm
        ));
        assert!(not_modified(
            &h(&[(header::IF_NONE_MATCH, "\"x\", W/\"abc-1\"")]),
            etag,
            lm
        ));
        assert!(not_modified(&h(&[(header::IF_NONE_MATCH, "*")]), etag, lm));
        assert!(!not_modified(
            &h(&[(header::IF_NONE_MATCH, "\"x\"")]),
            etag,
            lm
        ));
        // If-None-Match wins over If-Modified-Since.
        assert!(!not_modified(
            &h(&[
                (header::IF_NONE_MATCH, "\"x\""),
                (header::IF_MODIFIED_SINCE, &http_date(lm.at))
            ]),
            etag,
            lm
        ));
        assert!(not_modified(
            &h(&[(header::IF_MODIFIED_SINCE, &http_date(lm.at))]),
            etag,
            lm
        ));
        assert!(!not_modified(
            &h(&[(header::IF_MODIFIED_SINCE, "Wed, 10 Sep 2025 07:59:59 GMT")]),
            etag,
            lm
        ));
        assert!(!not_modified(
            &h(&[(header::IF_MODIFIED_SINCE, "nonsense")]),
            etag,
            lm
        ));
        assert!(!not_modified(&HeaderMap::new(), etag, lm));
        assert_eq!(http_date(lm.at), "Wed, 10 Sep 2025 08:00:00 GMT");
    }
}
