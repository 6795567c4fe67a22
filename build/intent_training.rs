//! Trains the intent model (`src/core/understand/intent_model.rs`) on the labelled development
//! questions, and returns its weights as `intent_model.rs` reads them. Deterministic: the same
//! questions give the same bytes.

use super::understand::intent_model::{
    features, variants, words_read, BUCKETS, CLASSES, MODEL_BYTES,
};
use super::understand::normalize::{fold_into, Folded};

/// The sets the parser is developed against. The held-out sets (`questions-heldout*.tsv`) are
/// never trained on: they measure what the parser does with questions it has not seen.
pub const TRAINING_SETS: [&str; 164] = [
    "tests/eval/questions-own.tsv",
    "tests/eval/questions-probe.tsv",
    "tests/eval/questions-probe2.tsv",
    "tests/eval/questions-probe3.tsv",
    "tests/eval/questions-probe4.tsv",
    "tests/eval/questions-probe5.tsv",
    "tests/eval/questions-probe6.tsv",
    "tests/eval/questions-probe7.tsv",
    "tests/eval/questions-probe8.tsv",
    "tests/eval/questions-probe9.tsv",
    "tests/eval/questions-probe10.tsv",
    "tests/eval/questions-probe11.tsv",
    "tests/eval/questions-probe12.tsv",
    "tests/eval/questions-probe13.tsv",
    "tests/eval/questions-probe14.tsv",
    "tests/eval/questions-probe15.tsv",
    "tests/eval/questions-probe16.tsv",
    "tests/eval/questions-probe17.tsv",
    "tests/eval/questions-probe18.tsv",
    "tests/eval/questions-probe19.tsv",
    "tests/eval/questions-probe20.tsv",
    "tests/eval/questions-probe21.tsv",
    "tests/eval/questions-probe22.tsv",
    "tests/eval/questions-probe23.tsv",
    "tests/eval/questions-probe24.tsv",
    "tests/eval/questions-probe25.tsv",
    "tests/eval/questions-probe26.tsv",
    "tests/eval/questions-probe27.tsv",
    "tests/eval/questions-probe28.tsv",
    "tests/eval/questions-probe29.tsv",
    "tests/eval/questions-probe30.tsv",
    "tests/eval/questions-probe31.tsv",
    "tests/eval/questions-probe32.tsv",
    "tests/eval/questions-probe33.tsv",
    "tests/eval/questions-probe34.tsv",
    "tests/eval/questions-probe35.tsv",
    "tests/eval/questions-probe36.tsv",
    "tests/eval/questions-probe37.tsv",
    "tests/eval/questions-probe38.tsv",
    "tests/eval/questions-probe39.tsv",
    "tests/eval/questions-probe40.tsv",
    "tests/eval/questions-probe41.tsv",
    "tests/eval/questions-probe42.tsv",
    "tests/eval/questions-probe43.tsv",
    "tests/eval/questions-probe44.tsv",
    "tests/eval/questions-probe45.tsv",
    "tests/eval/questions-probe46.tsv",
    "tests/eval/questions-probe47.tsv",
    "tests/eval/questions-probe48.tsv",
    "tests/eval/questions-probe49.tsv",
    "tests/eval/questions-probe50.tsv",
    "tests/eval/questions-probe51.tsv",
    "tests/eval/questions-probe52.tsv",
    "tests/eval/questions-probe53.tsv",
    "tests/eval/questions-probe54.tsv",
    "tests/eval/questions-probe55.tsv",
    "tests/eval/questions-probe56.tsv",
    "tests/eval/questions-probe57.tsv",
    "tests/eval/questions-probe58.tsv",
    "tests/eval/questions-probe59.tsv",
    "tests/eval/questions-probe60.tsv",
    "tests/eval/questions-probe61.tsv",
    "tests/eval/questions-probe62.tsv",
    "tests/eval/questions-probe63.tsv",
    "tests/eval/questions-probe64.tsv",
    "tests/eval/questions-probe65.tsv",
    "tests/eval/questions-probe66.tsv",
    "tests/eval/questions-probe67.tsv",
    "tests/eval/questions-probe68.tsv",
    "tests/eval/questions-probe69.tsv",
    "tests/eval/questions-probe70.tsv",
    "tests/eval/questions-probe71.tsv",
    "tests/eval/questions-probe72.tsv",
    "tests/eval/questions-probe73.tsv",
    "tests/eval/questions-probe74.tsv",
    "tests/eval/questions-probe75.tsv",
    "tests/eval/questions-probe76.tsv",
    "tests/eval/questions-probe77.tsv",
    "tests/eval/questions-probe78.tsv",
    "tests/eval/questions-probe79.tsv",
    "tests/eval/questions-probe80.tsv",
    "tests/eval/questions-probe81.tsv",
    "tests/eval/questions-probe82.tsv",
    "tests/eval/questions-probe83.tsv",
    "tests/eval/questions-probe84.tsv",
    "tests/eval/questions-probe85.tsv",
    "tests/eval/questions-probe86.tsv",
    "tests/eval/questions-probe87.tsv",
    "tests/eval/questions-probe88.tsv",
    "tests/eval/questions-probe89.tsv",
    "tests/eval/questions-probe90.tsv",
    "tests/eval/questions-probe91.tsv",
    "tests/eval/questions-probe92.tsv",
    "tests/eval/questions-probe93.tsv",
    "tests/eval/questions-probe94.tsv",
    "tests/eval/questions-probe95.tsv",
    "tests/eval/questions-probe96.tsv",
    "tests/eval/questions-probe97.tsv",
    "tests/eval/questions-probe98.tsv",
    "tests/eval/questions-probe99.tsv",
    "tests/eval/questions-probe100.tsv",
    "tests/eval/questions-probe101.tsv",
    "tests/eval/questions-probe102.tsv",
    "tests/eval/questions-probe103.tsv",
    "tests/eval/questions-probe104.tsv",
    "tests/eval/questions-probe105.tsv",
    "tests/eval/questions-probe106.tsv",
    "tests/eval/questions-probe107.tsv",
    "tests/eval/questions-probe108.tsv",
    "tests/eval/questions-probe109.tsv",
    "tests/eval/questions-probe110.tsv",
    "tests/eval/questions-probe111.tsv",
    "tests/eval/questions-probe112.tsv",
    "tests/eval/questions-probe113.tsv",
    "tests/eval/questions-probe114.tsv",
    "tests/eval/questions-probe115.tsv",
    "tests/eval/questions-probe116.tsv",
    "tests/eval/questions-probe117.tsv",
    "tests/eval/questions-probe118.tsv",
    "tests/eval/questions-probe119.tsv",
    "tests/eval/questions-probe120.tsv",
    "tests/eval/questions-probe121.tsv",
    "tests/eval/questions-probe122.tsv",
    "tests/eval/questions-probe123.tsv",
    "tests/eval/questions-probe124.tsv",
    "tests/eval/questions-probe125.tsv",
    "tests/eval/questions-probe126.tsv",
    "tests/eval/questions-probe127.tsv",
    "tests/eval/questions-probe128.tsv",
    "tests/eval/questions-probe129.tsv",
    "tests/eval/questions-probe130.tsv",
    "tests/eval/questions-probe131.tsv",
    "tests/eval/questions-probe132.tsv",
    "tests/eval/questions-probe133.tsv",
    "tests/eval/questions-probe134.tsv",
    "tests/eval/questions-probe135.tsv",
    "tests/eval/questions-probe136.tsv",
    "tests/eval/questions-probe137.tsv",
    "tests/eval/questions-probe138.tsv",
    "tests/eval/questions-probe139.tsv",
    "tests/eval/questions-probe140.tsv",
    "tests/eval/questions-probe141.tsv",
    "tests/eval/questions-probe142.tsv",
    "tests/eval/questions-probe143.tsv",
    "tests/eval/questions-probe144.tsv",
    "tests/eval/questions-probe145.tsv",
    "tests/eval/questions-probe146.tsv",
    "tests/eval/questions-probe147.tsv",
    "tests/eval/questions-probe148.tsv",
    "tests/eval/questions-probe149.tsv",
    "tests/eval/questions-probe150.tsv",
    "tests/eval/questions-probe151.tsv",
    "tests/eval/questions-probe152.tsv",
    "tests/eval/questions-probe153.tsv",
    "tests/eval/questions-probe154.tsv",
    "tests/eval/questions-probe155.tsv",
    "tests/eval/questions-probe156.tsv",
    "tests/eval/questions-probe157.tsv",
    "tests/eval/questions-probe158.tsv",
    "tests/eval/questions-probe159.tsv",
    "tests/eval/questions-probe160.tsv",
    "tests/eval/questions-probe161.tsv",
    "tests/eval/questions-probe162.tsv",
    "tests/eval/questions-probe163.tsv",
];

const EPOCHS: usize = 30;
/// L2 weight decay per step, on the features a step touches.
const DECAY: f64 = 5e-4;
const RATE: f64 = 0.5;

/// (features, class) of each labelled line of `tsv`, and of its `variants`: the first
/// intent where several are accepted.
pub fn samples(tsv: &str) -> Result<Vec<(Vec<u32>, usize)>, String> {
    let mut out = Vec::new();
    let mut folded = Folded::default();
    for (n, line) in tsv.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let mut cols = line.split('\t');
        let question = cols.next().unwrap_or_default();
        let intent = cols.next().unwrap_or_default();
        let first = intent.split('|').next().unwrap_or_default();
        let class = CLASSES
            .iter()
            .position(|c| *c == first)
            .ok_or_else(|| format!("line {}: unknown intent {intent:?}", n + 1))?;
        fold_into(question, &mut folded);
        let mut f = Vec::new();
        features(words_read(&folded), &mut f);
        out.push((f, class));
        let words: Vec<&str> = folded.tokens().collect();
        for variant in variants(&words, n) {
            let mut f = Vec::new();
            features(variant.iter().map(|w| (w.as_str(), false)), &mut f);
            out.push((f, class));
        }
    }
    Ok(out)
}

/// Stochastic gradient descent on the cross-entropy, each input scaled to unit length, in an
/// order shuffled by a fixed generator.
pub fn train(samples: &[(Vec<u32>, usize)]) -> Vec<u8> {
    let n = CLASSES.len();
    let mut w = vec![0f64; BUCKETS * n];
    let mut bias = vec![0f64; n];
    let mut order: Vec<usize> = (0..samples.len()).collect();
    let mut state: u64 = 7;
    let mut next = move || {
        // xorshift64*: a fixed order, the same on every machine.
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        state.wrapping_mul(0x2545_f491_4f6c_dd1d)
    };
    let mut step = 0f64;
    let mut z = vec![0f64; n];
    for _ in 0..EPOCHS {
        for i in (1..order.len()).rev() {
            let j = (next() % (i as u64 + 1)) as usize;
            order.swap(i, j);
        }
        for &i in &order {
            let (fs, class) = &samples[i];
            let scale = 1.0 / (fs.len().max(1) as f64).sqrt();
            for (k, z) in z.iter_mut().enumerate() {
                *z = bias[k] + fs.iter().map(|&f| w[f as usize * n + k]).sum::<f64>() * scale;
            }
            let max = z.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let sum: f64 = z.iter().map(|v| (v - max).exp()).sum();
            let rate = RATE / (1.0 + step * 1e-4);
            step += 1.0;
            for k in 0..n {
                let g = (z[k] - max).exp() / sum - if k == *class { 1.0 } else { 0.0 };
                for &f in fs {
                    let x = &mut w[f as usize * n + k];
                    *x -= rate * (scale * g + DECAY * *x);
                }
                bias[k] -= rate * g;
            }
        }
    }
    let mut bytes = Vec::with_capacity(MODEL_BYTES);
    for v in w.iter().chain(bias.iter()) {
        bytes.extend_from_slice(&(*v as f32).to_le_bytes());
    }
    bytes
}
