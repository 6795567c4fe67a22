//! Speed of the core, measured rather than asserted (timed tests are flaky on shared machines).
//! Run: `cargo bench --bench core`. Figures are in README.md.

use std::hint::black_box;
use std::process::Command;
use std::time::Duration;

use chrono::{DateTime, Utc};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use flisbot::core::answer::answer_with;
use flisbot::core::catalogue::default_catalogue;
use flisbot::core::danish_time::danish_today;
use flisbot::core::facts::catalogue_facts;
use flisbot::core::query::{query_of, Form};
use flisbot::core::understand::{default_parser, Folded};
use flisbot::views::render::render;

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

/// The labelled questions of tests/eval/ (written without looking at the parser): what users
/// type that the parser was not built around.
fn unseen_questions() -> Vec<String> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/eval");
    [
        "questions-own.tsv",
        "questions-probe.tsv",
        "questions-probe2.tsv",
        "questions-probe3.tsv",
        "questions-probe4.tsv",
        "questions-probe5.tsv",
        "questions-probe6.tsv",
        "questions-heldout.tsv",
        "questions-heldout2.tsv",
    ]
    .iter()
    .filter_map(|f| std::fs::read_to_string(format!("{dir}/{f}")).ok())
    .flat_map(|t| {
        t.lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| l.split('\t').next().map(str::to_owned))
            .collect::<Vec<_>>()
    })
    .collect()
}

/// Text nobody would type: random letters in word-sized runs, random Unicode, long runs. Every
/// token is unknown, so each goes through the ordinary-word list and the typo index. A fixed
/// seed (xorshift) keeps it the same on every run.
fn random_text(lines: usize) -> Vec<String> {
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    (0..lines)
        .map(|i| {
            let words = 3 + (next() % 12) as usize;
            (0..words)
                .map(|_| {
                    let len = 2 + (next() % 10) as usize;
                    (0..len)
                        .map(|_| match i % 3 {
                            0 => (b'a' + (next() % 26) as u8) as char,
                            1 => char::from_u32(0x61 + (next() % 0x2FF) as u32).unwrap_or('x'),
                            _ => ['d', 'r', 'e', 'a', 'm', 'k', 'o', 's', 't', 'i', 'l']
                                [(next() % 11) as usize],
                        })
                        .collect::<String>()
                })
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

fn parse_unseen_and_random(c: &mut Criterion) {
    let parser = default_parser();
    let mut g = c.benchmark_group("parse");
    for (name, questions) in [
        ("unseen_questions", unseen_questions()),
        ("random_text", random_text(600)),
    ] {
        g.throughput(Throughput::Elements(questions.len() as u64));
        g.bench_function(name, |b| {
            let mut buf = Folded::default();
            b.iter(|| {
                for q in &questions {
                    black_box(parser.parse_with(q, &mut buf));
                }
            })
        });
    }
    g.finish();
}

fn parse_and_answer(c: &mut Criterion) {
    let parser = default_parser();
    let catalogue = default_catalogue();
    let now = seed_day();
    // The bot keeps the area facts of its snapshot for the day (`discord::FactsCache`): computed
    // once, measured on their own below.
    let facts = catalogue_facts(catalogue, danish_today(now));
    let mut g = c.benchmark_group("answer");
    g.throughput(Throughput::Elements(QUESTIONS.len() as u64));
    g.bench_function("parse_and_answer", |b| {
        let mut buf = Folded::default();
        b.iter(|| {
            for q in QUESTIONS {
                let query = query_of(&parser.parse_with(q, &mut buf), &Form::read(q));
                black_box(answer_with(&query, catalogue, &facts));
            }
        })
    });
    g.bench_function("parse_answer_and_render", |b| {
        let mut buf = Folded::default();
        b.iter(|| {
            for q in QUESTIONS {
                let query = query_of(&parser.parse_with(q, &mut buf), &Form::read(q));
                black_box(render(&answer_with(&query, catalogue, &facts)));
            }
        })
    });
    g.finish();
    let mut g = c.benchmark_group("facts");
    g.bench_function("catalogue_facts", |b| {
        b.iter(|| black_box(catalogue_facts(catalogue, danish_today(now))))
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
    let parse_empty = || {
        Command::new(env!("CARGO_BIN_EXE_flisbot"))
            .arg("parse")
            .stdin(std::process::Stdio::null())
            .output()
    };
    let mut g = c.benchmark_group("cli");
    g.sample_size(30);
    g.bench_function("ask_cold_start", |b| b.iter(|| black_box(ask())));
    g.bench_function("parse_cold_start", |b| b.iter(|| black_box(parse_empty())));
    g.finish();
    let _ = std::fs::remove_dir_all(&store);
}

criterion_group!(
    benches,
    parse_end_to_end,
    parse_unseen_and_random,
    parse_and_answer,
    cold_start
);
criterion_main!(benches);
