//! The process's counters, for `/metrics` (Prometheus text format) and `/healthz`: questions
//! answered by intent, operator changes, announcements sent and failed, the gateway's state and
//! reconnects, the reply latency histogram, and HTTP requests by route and status; and the
//! catalogue's gauges (areas by state, areas behind) from the area facts.
//!
//! One registry a process ([`global`]); the adapters count with one-line calls
//! (`crate::metrics::global().question_answered(intent)`). Counting is a relaxed atomic add, so
//! it costs nothing on the hot paths. Tests build their own [`Metrics`] to read in isolation.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use crate::core::catalogue::State;
use crate::core::facts::CatalogueFacts;
use crate::core::understand::Intent;

/// The intents, in the order of the counters.
const INTENTS: [Intent; 5] = [
    Intent::Status,
    Intent::NextRelease,
    Intent::Overview,
    Intent::Help,
    Intent::Unknown,
];

/// Upper bounds (seconds) of the reply latency buckets; `+Inf` follows.
pub(crate) const LATENCY_BUCKETS: [f64; 12] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
];

/// Where the Discord gateway connection stands, as `/healthz` reports it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum GatewayState {
    /// No Discord in this process (`flisbot serve`).
    NotRunning,
    /// `flisbot run` is logging in or (re)connecting.
    Connecting,
    Connected,
    Disconnected,
    /// The bot has stopped.
    Stopped,
}

impl GatewayState {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            GatewayState::NotRunning => "not_running",
            GatewayState::Connecting => "connecting",
            GatewayState::Connected => "connected",
            GatewayState::Disconnected => "disconnected",
            GatewayState::Stopped => "stopped",
        }
    }
}

struct Gateway {
    state: GatewayState,
    since: Instant,
    ever_ready: bool,
}

/// A latency histogram with fixed buckets: counts per bucket (not cumulative) and the sum.
struct Histogram {
    buckets: [AtomicU64; LATENCY_BUCKETS.len() + 1],
    sum_micros: AtomicU64,
}

impl Histogram {
    fn new() -> Self {
        Histogram {
            buckets: std::array::from_fn(|_| AtomicU64::new(0)),
            sum_micros: AtomicU64::new(0),
        }
    }

    fn observe(&self, d: Duration) {
        let secs = d.as_secs_f64();
        let i = LATENCY_BUCKETS
            .iter()
            .position(|b| secs <= *b)
            .unwrap_or(LATENCY_BUCKETS.len());
        self.buckets[i].fetch_add(1, Ordering::Relaxed);
        let micros = u64::try_from(d.as_micros()).unwrap_or(u64::MAX);
        self.sum_micros.fetch_add(micros, Ordering::Relaxed);
    }

    fn write(&self, out: &mut String, name: &str) {
        let mut cumulative = 0;
        for (i, bound) in LATENCY_BUCKETS.iter().enumerate() {
            cumulative += self.buckets[i].load(Ordering::Relaxed);
            let _ = writeln!(out, "{name}_bucket{{le=\"{bound}\"}} {cumulative}");
        }
        cumulative += self.buckets[LATENCY_BUCKETS.len()].load(Ordering::Relaxed);
        let _ = writeln!(out, "{name}_bucket{{le=\"+Inf\"}} {cumulative}");
        let sum = self.sum_micros.load(Ordering::Relaxed) as f64 / 1e6;
        let _ = writeln!(out, "{name}_sum {sum}");
        let _ = writeln!(out, "{name}_count {cumulative}");
    }
}

pub struct Metrics {
    questions: [AtomicU64; INTENTS.len()],
    operator_changes: AtomicU64,
    announcements_sent: AtomicU64,
    announcements_failed: AtomicU64,
    gateway_reconnects: AtomicU64,
    reply_latency: Histogram,
    gateway: Mutex<Gateway>,
    /// (route, status) → count. Routes are the server's fixed names, so the map stays small.
    http: Mutex<BTreeMap<(&'static str, u16), u64>>,
}

/// The process's registry.
pub fn global() -> &'static Metrics {
    static GLOBAL: OnceLock<Metrics> = OnceLock::new();
    GLOBAL.get_or_init(Metrics::new)
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    pub(crate) fn new() -> Self {
        Metrics {
            questions: std::array::from_fn(|_| AtomicU64::new(0)),
            operator_changes: AtomicU64::new(0),
            announcements_sent: AtomicU64::new(0),
            announcements_failed: AtomicU64::new(0),
            gateway_reconnects: AtomicU64::new(0),
            reply_latency: Histogram::new(),
            gateway: Mutex::new(Gateway {
                state: GatewayState::NotRunning,
                since: Instant::now(),
                ever_ready: false,
            }),
            http: Mutex::new(BTreeMap::new()),
        }
    }

    /// A question answered (chat message or slash command).
    pub(crate) fn question_answered(&self, intent: Intent) {
        let i = INTENTS.iter().position(|x| *x == intent).unwrap_or(0);
        self.questions[i].fetch_add(1, Ordering::Relaxed);
    }

    /// An operator change applied to the catalogue.
    pub(crate) fn operator_change(&self) {
        self.operator_changes.fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn announcement_sent(&self) {
        self.announcements_sent.fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn announcement_failed(&self) {
        self.announcements_failed.fetch_add(1, Ordering::Relaxed);
    }

    /// The time from a question's arrival to its reply being posted.
    pub(crate) fn reply_latency(&self, d: Duration) {
        self.reply_latency.observe(d);
    }

    /// An HTTP response of the web adapter.
    pub(crate) fn http_request(&self, route: &'static str, status: u16) {
        let mut http = self.http.lock().unwrap_or_else(|e| e.into_inner());
        *http.entry((route, status)).or_insert(0) += 1;
    }

    fn gateway(&self) -> std::sync::MutexGuard<'_, Gateway> {
        self.gateway.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn set_gateway(&self, state: GatewayState) {
        let mut g = self.gateway();
        if g.state != state {
            g.state = state;
            g.since = Instant::now();
        }
    }

    /// `flisbot run` is about to log in.
    pub(crate) fn gateway_starting(&self) {
        self.set_gateway(GatewayState::Connecting);
    }

    /// READY: a new session. Every READY after the first is a reconnect.
    pub(crate) fn gateway_ready(&self) {
        let again = std::mem::replace(&mut self.gateway().ever_ready, true);
        if again {
            self.gateway_reconnects.fetch_add(1, Ordering::Relaxed);
        }
        self.set_gateway(GatewayState::Connected);
    }

    /// RESUMED: the session continued on a new connection, a reconnect.
    pub(crate) fn gateway_resumed(&self) {
        self.gateway_reconnects.fetch_add(1, Ordering::Relaxed);
        self.set_gateway(GatewayState::Connected);
    }

    /// The shard reached the connected stage (state only; READY and RESUMED count).
    pub(crate) fn gateway_connected(&self) {
        self.set_gateway(GatewayState::Connected);
    }

    /// The gateway left the connected stage (closed, resuming, reconnecting).
    pub(crate) fn gateway_disconnected(&self) {
        if self.gateway().state != GatewayState::NotRunning {
            self.set_gateway(GatewayState::Disconnected);
        }
    }

    pub(crate) fn gateway_stopped(&self) {
        self.set_gateway(GatewayState::Stopped);
    }

    /// The gateway's state and how long it has been so.
    pub(crate) fn gateway_state(&self) -> (GatewayState, Duration) {
        let g = self.gateway();
        (g.state, g.since.elapsed())
    }

    /// Every metric in the Prometheus text exposition format (version 0.0.4).
    pub(crate) fn render(&self) -> String {
        let mut out = String::with_capacity(4096);
        let counter = |out: &mut String, name: &str, help: &str| {
            let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} counter");
        };
        counter(
            &mut out,
            "flisbot_questions_answered_total",
            "Questions answered in chat, by the intent understood.",
        );
        for (intent, n) in INTENTS.iter().zip(&self.questions) {
            let _ = writeln!(
                out,
                "flisbot_questions_answered_total{{intent=\"{}\"}} {}",
                intent.as_str(),
                n.load(Ordering::Relaxed)
            );
        }
        for (name, help, value) in [
            (
                "flisbot_operator_changes_total",
                "Operator changes applied to the catalogue.",
                &self.operator_changes,
            ),
            (
                "flisbot_gateway_reconnects_total",
                "Discord gateway connections after the first.",
                &self.gateway_reconnects,
            ),
        ] {
            counter(&mut out, name, help);
            let _ = writeln!(out, "{name} {}", value.load(Ordering::Relaxed));
        }
        counter(
            &mut out,
            "flisbot_announcements_total",
            "Release announcement posts, by result.",
        );
        for (result, n) in [
            ("sent", &self.announcements_sent),
            ("failed", &self.announcements_failed),
        ] {
            let _ = writeln!(
                out,
                "flisbot_announcements_total{{result=\"{result}\"}} {}",
                n.load(Ordering::Relaxed)
            );
        }
        let (state, _) = self.gateway_state();
        let _ = writeln!(
            out,
            "# HELP flisbot_gateway_connected 1 while the Discord gateway is connected.\n\
             # TYPE flisbot_gateway_connected gauge\n\
             flisbot_gateway_connected {}",
            u8::from(state == GatewayState::Connected)
        );
        let _ = writeln!(
            out,
            "# HELP flisbot_reply_latency_seconds From a chat question's arrival to its reply posted.\n\
             # TYPE flisbot_reply_latency_seconds histogram"
        );
        self.reply_latency
            .write(&mut out, "flisbot_reply_latency_seconds");
        counter(
            &mut out,
            "flisbot_http_requests_total",
            "Web requests answered, by route and status code.",
        );
        let http = self.http.lock().unwrap_or_else(|e| e.into_inner()).clone();
        for ((route, code), n) in http {
            let _ = writeln!(
                out,
                "flisbot_http_requests_total{{route=\"{route}\",code=\"{code}\"}} {n}"
            );
        }
        out
    }
}

/// The catalogue's gauges from its facts: areas by state, and the areas the facts call behind
/// (an area whose release is due today is not behind).
pub(crate) fn render_catalogue(facts: &CatalogueFacts) -> String {
    let mut out = String::from(
        "# HELP flisbot_areas Data areas in the catalogue, by state.\n# TYPE flisbot_areas gauge\n",
    );
    for st in State::ALL {
        let n = facts.areas.iter().filter(|f| f.state == st).count();
        let _ = writeln!(out, "flisbot_areas{{state=\"{}\"}} {n}", st.as_str());
    }
    let behind = facts.areas.iter().filter(|f| f.behind.is_some()).count();
    let _ = writeln!(
        out,
        "# HELP flisbot_areas_behind Data areas behind the release rules (a release due today is not behind).\n\
         # TYPE flisbot_areas_behind gauge\nflisbot_areas_behind {behind}"
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn areas_behind_counts_what_the_facts_call_behind() {
        use crate::core::catalogue::default_catalogue;
        use crate::core::facts::catalogue_facts;
        let c = default_catalogue();
        let gauge = |day: &str| {
            let text = render_catalogue(&catalogue_facts(c, day.parse().unwrap()));
            assert!(text.contains("flisbot_areas{state=\"down\"} 2"), "{text}");
            text.lines()
                .find_map(|l| l.strip_prefix("flisbot_areas_behind "))
                .unwrap()
                .parse::<usize>()
                .unwrap()
        };
        // The seed day: KRL, left out of the September release the others have.
        assert_eq!(gauge("2025-09-10"), 1);
        // On the 10th the release is due, not behind: only what was behind before counts (KRL
        // since September, DREAM since its window closed unrecorded; Borger Flex has no month
        // recorded to be behind with).
        assert_eq!(gauge("2025-10-10"), 2);
        // The day after, nothing recorded: every live monthly area with a month recorded.
        assert_eq!(gauge("2025-10-11"), 15);
    }

    #[test]
    fn counters_and_the_histogram_render_as_prometheus_text() {
        let m = Metrics::new();
        m.question_answered(Intent::Status);
        m.question_answered(Intent::Status);
        m.question_answered(Intent::Help);
        m.operator_change();
        m.announcement_sent();
        m.announcement_failed();
        m.reply_latency(Duration::from_micros(700));
        m.reply_latency(Duration::from_millis(30));
        m.reply_latency(Duration::from_secs(60));
        m.http_request("/", 200);
        let text = m.render();
        for line in [
            "flisbot_questions_answered_total{intent=\"status\"} 2",
            "flisbot_questions_answered_total{intent=\"help\"} 1",
            "flisbot_questions_answered_total{intent=\"next_release\"} 0",
            "flisbot_operator_changes_total 1",
            "flisbot_announcements_total{result=\"sent\"} 1",
            "flisbot_announcements_total{result=\"failed\"} 1",
            "flisbot_reply_latency_seconds_bucket{le=\"0.001\"} 1",
            "flisbot_reply_latency_seconds_bucket{le=\"0.025\"} 1",
            "flisbot_reply_latency_seconds_bucket{le=\"0.05\"} 2",
            "flisbot_reply_latency_seconds_bucket{le=\"5\"} 2",
            "flisbot_reply_latency_seconds_bucket{le=\"+Inf\"} 3",
            "flisbot_reply_latency_seconds_count 3",
            "flisbot_reply_latency_seconds_sum 60.0307",
            "flisbot_http_requests_total{route=\"/\",code=\"200\"} 1",
            "# TYPE flisbot_reply_latency_seconds histogram",
        ] {
            assert!(text.lines().any(|l| l == line), "{line} missing:\n{text}");
        }
        // Every sample line is `name{labels} value` with a number for value.
        for l in text.lines().filter(|l| !l.starts_with('#')) {
            let value = l.rsplit(' ').next().unwrap();
            assert!(value.parse::<f64>().is_ok(), "{l}");
        }
    }

    #[test]
    fn the_gateway_counts_every_ready_after_the_first_and_every_resume() {
        let m = Metrics::new();
        assert_eq!(m.gateway_state().0, GatewayState::NotRunning);
        m.gateway_disconnected();
        assert_eq!(m.gateway_state().0, GatewayState::NotRunning, "no Discord");
        m.gateway_starting();
        m.gateway_ready();
        m.gateway_connected();
        assert!(m.render().contains("flisbot_gateway_reconnects_total 0"));
        assert!(m.render().contains("flisbot_gateway_connected 1"));
        m.gateway_disconnected();
        assert_eq!(m.gateway_state().0, GatewayState::Disconnected);
        m.gateway_resumed();
        assert!(m.render().contains("flisbot_gateway_reconnects_total 1"));
        m.gateway_disconnected();
        m.gateway_ready();
        assert!(m.render().contains("flisbot_gateway_reconnects_total 2"));
        assert_eq!(m.gateway_state().0, GatewayState::Connected);
        m.gateway_stopped();
        assert!(m.render().contains("flisbot_gateway_connected 0"));
    }
}
