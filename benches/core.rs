//! Speed of the core, measured rather than asserted (timed tests are flaky on shared machines).
//! Run: `cargo bench --bench core`. Figures are in README.md.

use std::hint::black_box;
use std::process::Command;
use std::time::Duration;

use chrono::{DateTime, Utc};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use flisbot::core::answer::answer;
use flisbot::core::catalogue::default_catalogue;
use flisbot::core::render::render;
use flisbot::core::understand::{default_parser, Folded};

/// A mix of what users type: clean, typo'd, compounds, groups, English, chatter.
const QUESTIONS: &[&str] = &[
    "hvornår kommer DREAM-data",
    "status FSIII",
    "Hvad er status på DREAM?",
    "hvornår kommer der nye FSIII-data?",
    "Hvorfor mangler der FSIII-data?",
    "status fælles sprog 3",
    "er DFDG åben igen?",
    "hvor langt er KRL personale",
    "status personale & fravær",
    "hvornår kommer fraværsdata",
    "er Københavns økonomidata i orden?",
    "hvornår kommer borger flex",
    "hvornår kommer der data fra Min Uddannelse?",
    "status udsatte børn og unge",
    "er benchmark for VH retvisende",
    "hvornaar kommer aeldre",
    "hvor ofte opdateres Ukraine-kuben?",
    "status dream og krl",
    "status skole/dagtilbud",
    "status social og sundhed",
    "oversigt",
    "er der driftsproblemer?",
    "hvornår er DAP opdateret",
    "hvad kan du hjælpe med?",
    "godmorgen",
    "fortæl en vittighed",
    "when does DREAM update?",
    "stauts økonomi",
    "hvornår kommer DREM",
    "Hej, vi kan ikke se maj-data for KRL. Hvornår kommer de?",
    "Er VH-tallene til at stole på lige nu?",
    "<@123456789> hvornår kommer august-tallene for YR?",
    "status udsate børn og unge",
    "hvordan står det til med beskæftigelsesområdet",
    "status xyzzy",
];

fn corpus(lines: usize) -> String {
    let mut s = String::new();
    for i in 0..lines {
        s.push_str(QUESTIONS[i % QUESTIONS.len()]);
        s.push('\n');
    }
    s
}

fn seed_day() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2025-09-10T10:00:00+02:00")
        .map(|d| d.with_timezone(&Utc))
        .unwrap_or_default()
}

fn parse_end_to_end(c: &mut Criterion) {
    let input = corpus(100_000);
    default_parser();
    let mut g = c.benchmark_group("parse");
    g.throughput(Throughput::Elements(100_000));
    g.sample_size(10).measurement_time(Duration::from_secs(10));
    g.bench_function("stream_100k_lines_to_json", |b| {
        b.iter(|| flisbot::cli::parse_stream(input.as_bytes(), std::io::sink()))
    });
    g.finish();
}

fn parse_and_answer(c: &mut Criterion) {
    let parser = default_parser();
    let catalogue = default_catalogue();
    let now = seed_day();
    let mut g = c.benchmark_group("answer");
    g.throughput(Throughput::Elements(QUESTIONS.len() as u64));
    g.bench_function("parse_and_answer", |b| {
        let mut buf = Folded::default();
        b.iter(|| {
            for q in QUESTIONS {
                black_box(answer(&parser.parse_with(q, &mut buf), catalogue, now));
            }
        })
    });
    g.bench_function("parse_answer_and_render", |b| {
        let mut buf = Folded::default();
        b.iter(|| {
            for q in QUESTIONS {
                black_box(render(&answer(
                    &parser.parse_with(q, &mut buf),
                    catalogue,
                    now,
                )));
            }
        })
    });
    g.finish();
}

fn cold_start(c: &mut Criterion) {
    let store = std::env::temp_dir().join(format!("flisbot-bench-{}", std::process::id()));
    let ask = || {
        Command::new(env!("CARGO_BIN_EXE_flisbot"))
            .arg("--store")
            .arg(&store)
            .args(["ask", "hvornår kommer DREAM-data"])
            .output()
    };
    // The first run seeds the store; what is measured is every later start.
    let _ = ask();
    let mut g = c.benchmark_group("cli");
    g.sample_size(30);
    g.bench_function("ask_cold_start", |b| b.iter(|| black_box(ask())));
    g.finish();
    let _ = std::fs::remove_dir_all(&store);
}

criterion_group!(benches, parse_end_to_end, parse_and_answer, cold_start);
criterion_main!(benches);
