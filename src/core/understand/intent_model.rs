//! A small learned reading of what a question asks, beside the rules: a multinomial logistic
//! regression over hashed word, word-pair, letter-quadruple, first/last-word and length features
//! of the folded text, the words of a question among other sentences read twice
//! (`words_read`).
//!
//! Why: the rules (`decide.rs`) are exact where their words are, but new questions keep finding
//! phrasings no rule names ("hele listen tak", "tjek lige YR for mig"). A model trained on the
//! labelled questions generalises over those from the words around them. `decide` lets it
//! overrule the rules' intent only where it is sure (see `decide::weigh_model`).
//!
//! The weights are trained at compile time by `build/intent_training.rs` from the development
//! sets in `tests/eval/` (never the held-out ones), with the features of this very file
//! (`build.rs` includes it), and read in place at run time: nothing to load or build at start.

use super::fold::Folded;

/// Hashed feature buckets; collisions cost little at this size (the training sets have about
/// 20,000 distinct features).
pub const BUCKETS: usize = 1 << 15;
/// The intents, in the order the weights hold them.
pub const CLASSES: [&str; 5] = ["status", "next_release", "overview", "help", "unknown"];
/// Bytes of the weights: per bucket one `f32` per class, then one bias per class.
pub const MODEL_BYTES: usize = (BUCKETS * CLASSES.len() + CLASSES.len()) * 4;

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0100_0000_01b3;
/// Salts that keep a word, a pair and a run of letters with the same bytes apart.
const PAIR: u64 = 0x9e37_79b9_7f4a_7c15;
const RUN: u64 = 0x632b_e59b_d9b4_e019;
const EMPTY: u64 = 0x8cb9_2ba7_2f3d_8dd7;
const FIRST: u64 = 0x5851_f42d_4c95_7f2d;
const LAST: u64 = 0x1405_7b7e_f767_814f;
const LENGTH: u64 = 0xd6e8_feb8_6659_fd93;

fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(FNV_OFFSET, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(FNV_PRIME)
    })
}

/// A bucket from the top bits of a well-mixed hash (splitmix64's finaliser).
fn bucket(mut x: u64) -> u32 {
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^= x >> 31;
    // BUCKETS is a power of two below 2^32: the top bits always fit.
    (x >> (64 - BUCKETS.trailing_zeros())) as u32
}

/// The buckets of `tokens` (folded words, in order, each with whether it is `asked` again),
/// one for each word, each pair of neighbouring words, and each run of four letters of a word
/// padded by a space on both sides (which catches typos and inflections the words themselves
/// miss), then the first word and the last as such ("hvornår …", "… tak") and the number of
/// words (up to 12); a feature that occurs twice counts twice. A word read again as asked is
/// another word ("?" before its letters). A text with no words has one feature of its own.
// The parser sums the features as they come (`probabilities_of`); the training in `build.rs`
// lists them.
#[cfg_attr(not(test), allow(dead_code))]
pub fn features<'a>(tokens: impl Iterator<Item = (&'a str, bool)>, out: &mut Vec<u32>) {
    out.clear();
    each_feature(tokens, |f| out.push(f));
}

/// Calls `f` with each of `features`' buckets, in the same order.
fn each_feature<'a>(tokens: impl Iterator<Item = (&'a str, bool)>, mut f: impl FnMut(u32)) {
    let mut previous: Option<u64> = None;
    let mut words: u64 = 0;
    for (word, asked) in tokens {
        // Few words are read as asked: only they are copied.
        let marked: Vec<u8>;
        let bytes = if asked {
            marked = [b"?", word.as_bytes()].concat();
            &marked[..]
        } else {
            word.as_bytes()
        };
        let h = fnv(bytes);
        f(bucket(h));
        match previous {
            Some(p) => f(bucket(p.rotate_left(21) ^ h ^ PAIR)),
            None => f(bucket(h ^ FIRST)),
        }
        previous = Some(h);
        words += 1;
        // The runs of " word ": a space, then the word's bytes, then a space. `run` holds the
        // last four bytes read, the oldest lowest (as `u32::from_le_bytes` of the four), so
        // each byte is read once; the first run ends at the word's third byte, the last at the
        // closing space.
        let mut run = u32::from(b' ') << 24;
        for (i, &b) in bytes.iter().enumerate() {
            run = run >> 8 | u32::from(b) << 24;
            if i >= 2 {
                f(bucket(u64::from(run) ^ RUN));
            }
        }
        if bytes.len() >= 2 {
            run = run >> 8 | u32::from(b' ') << 24;
            f(bucket(u64::from(run) ^ RUN));
        }
    }
    match previous {
        Some(p) => {
            f(bucket(p ^ LAST));
            f(bucket(LENGTH ^ words.min(12)));
        }
        None => f(bucket(EMPTY)),
    }
}

/// The words the model reads in `folded`: each word, then, where the text has more than one
/// sentence, the words of each sentence that ends in "?" again, marked as asked. A question
/// among other sentences ("Hvad er status på Fælles Sprog? Vi har hjemmeplejen på besøg i
/// morgen.", "Hej flisbot, kan du give mig en status på det hele? Jeg har møde …") is what the
/// text asks; read once among the rest, its words are outweighed by the context's, which
/// reads as chatter. A text of one sentence is read as it is.
pub fn words_read(folded: &Folded) -> impl Iterator<Item = (&str, bool)> + '_ {
    let again = folded.sentences.last().is_some_and(|&s| s > 0) && !folded.asked.is_empty();
    let read_again = if again { folded.spans.len() } else { 0 };
    folded.tokens().map(|t| (t, false)).chain(
        folded
            .tokens()
            .take(read_again)
            .zip(&folded.sentences)
            .filter(|(_, s)| folded.asked.contains(s))
            .map(|(t, _)| (t, true)),
    )
}

/// Questions of this many words or more are also trained on as `variants`.
const VARIED_FROM_WORDS: usize = 3;

/// For the training (`build/intent_training.rs`): the question `words` (line `line` of its
/// set) as a writer might also have put it: without one of its words, and with two
/// neighbouring letters of one word swapped (a typo), where the word has four letters or more. New questions mostly differ from known ones in such
/// ways, and a model trained on them leans less on any one word (leaving sets out scored
/// this higher, `docs/development.md`). Which word, and where, comes from a fixed hash of the
/// line's number, so the same sets give the same weights.
#[cfg_attr(not(test), allow(dead_code))]
pub fn variants(words: &[&str], line: usize) -> Vec<Vec<String>> {
    if words.len() < VARIED_FROM_WORDS {
        return Vec::new();
    }
    let pick = |k: u64| {
        (line as u64 + 1)
            .wrapping_mul(0x9e37_79b9_7f4a_7c15)
            .wrapping_add(k.wrapping_mul(0x632b_e59b_d9b4_e019))
    };
    let owned = || {
        words
            .iter()
            .map(|w| (*w).to_owned())
            .collect::<Vec<String>>()
    };
    let h = pick(0);
    let mut without = owned();
    without.remove((h >> 33) as usize % words.len());
    let h = pick(1);
    let mut typo = owned();
    let at = (h >> 33) as usize % words.len();
    let word = &mut typo[at];
    if word.len() >= 4 && word.is_ascii() {
        let k = 1 + (h >> 20) as usize % (word.len() - 2);
        let mut bytes = std::mem::take(word).into_bytes();
        bytes.swap(k, k + 1);
        *word = String::from_utf8(bytes).unwrap_or_default();
    }
    vec![without, typo]
}

/// The probability of each class (`CLASSES`' order) for the words `tokens` gives: the weights
/// of their `features`, summed one by one in their order with no list of them, scaled to the
/// input's unit length and added to the biases, as in training.
pub fn probabilities_of<'a>(
    model: &[u8],
    tokens: impl Iterator<Item = (&'a str, bool)>,
) -> [f32; 5] {
    // Each bucket's five weights are one chunk of 20 bytes, then the biases; a model cut
    // short (only in tests) reads as zeros where it ends.
    let (rows, _) = model.as_chunks::<20>();
    let weights = |i: usize| {
        rows.get(i).map_or([0.0; 5], |row: &[u8; 20]| {
            std::array::from_fn(|k| {
                f32::from_le_bytes([row[4 * k], row[4 * k + 1], row[4 * k + 2], row[4 * k + 3]])
            })
        })
    };
    let mut sum = [0f32; 5];
    let mut count = 0usize;
    each_feature(tokens, |f| {
        for (s, w) in sum.iter_mut().zip(weights(f as usize)) {
            *s += w;
        }
        count += 1;
    });
    let scale = 1.0 / (count.max(1) as f32).sqrt();
    let bias = weights(BUCKETS);
    let mut z: [f32; 5] = std::array::from_fn(|k| bias[k] + scale * sum[k]);
    softmax(&mut z);
    z
}

/// Turns scores into probabilities, in place.
pub fn softmax(z: &mut [f32; 5]) {
    let max = z.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let mut sum = 0.0;
    for v in z.iter_mut() {
        *v = (*v - max).exp();
        sum += *v;
    }
    for v in z.iter_mut() {
        *v /= sum;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn of(words: &[&str]) -> Vec<u32> {
        let mut out = Vec::new();
        features(words.iter().map(|w| (*w, false)), &mut out);
        out
    }

    fn probabilities(model: &[u8], words: &[&str]) -> [f32; 5] {
        probabilities_of(model, words.iter().map(|w| (*w, false)))
    }

    #[test]
    fn features_are_the_same_for_the_same_words_and_count_repeats() {
        let f = of(&["status", "dream", "status", "dream"]);
        assert_eq!(f, of(&["status", "dream", "status", "dream"]));
        // "status": the word, as the first word, " sta", "stat", "tatu", "atus", "tus ", then
        // as the last word, and one word; "dream" the word and four runs; the three pairs.
        assert_eq!(of(&["status"]).len(), 9);
        assert_eq!(f.len(), 2 * 6 + 2 * 5 + 3 + 3);
        // Word order counts through the pairs and the ends.
        assert_ne!(of(&["status", "dream"]), of(&["dream", "status"]));
        // The number of words counts, up to 12.
        let words = |n: usize| of(&vec!["ja"; n]);
        assert_ne!(words(2).last(), words(3).last());
        assert_eq!(words(12).last(), words(13).last());
        assert!(f.iter().all(|&b| (b as usize) < BUCKETS));
    }

    #[test]
    fn the_classes_are_the_contracts_intents() {
        let names: Vec<&str> = crate::core::understand::Intent::ALL
            .iter()
            .map(|i| i.as_str())
            .collect();
        assert_eq!(names, CLASSES);
    }

    #[test]
    fn the_runs_are_the_four_byte_windows_of_the_word_between_spaces() {
        for w in ["a", "ab", "abc", "status", "æøå", "fs3"] {
            let padded = format!(" {w} ");
            let runs: Vec<u32> = padded
                .as_bytes()
                .windows(4)
                .map(|r| bucket(u64::from(u32::from_le_bytes([r[0], r[1], r[2], r[3]])) ^ RUN))
                .collect();
            // After the word and the word as the first; before the word as the last, and
            // the count.
            let f = of(&[w]);
            assert_eq!(f[2..f.len() - 2], runs[..], "{w}");
        }
    }

    #[test]
    fn a_question_is_varied_by_one_word_left_out_and_one_typo_the_same_way_each_time() {
        assert!(variants(&["status", "dream"], 0).is_empty());
        let words = ["hvornaar", "kommer", "dream", "data"];
        for line in 0..50 {
            let v = variants(&words, line);
            assert_eq!(v, variants(&words, line));
            let [without, typo] = &v[..] else {
                panic!("{v:?}")
            };
            // One word fewer, the rest in order.
            assert_eq!(without.len(), 3);
            let left_out = (0..4).find(|&i| {
                let rest: Vec<&str> = (0..4).filter(|&j| j != i).map(|j| words[j]).collect();
                rest == *without
            });
            assert!(left_out.is_some(), "{without:?}");
            // One word with two neighbouring letters swapped, none at its start.
            let changed: Vec<usize> = (0..4).filter(|&i| typo[i] != words[i]).collect();
            assert!(changed.len() <= 1, "{typo:?}");
            for i in changed {
                let (a, b) = (typo[i].as_bytes(), words[i].as_bytes());
                let diff: Vec<usize> = (0..a.len()).filter(|&k| a[k] != b[k]).collect();
                assert!(
                    matches!(diff[..], [k, l] if l == k + 1 && k >= 1),
                    "{typo:?}"
                );
                assert_eq!((a[diff[0]], a[diff[1]]), (b[diff[1]], b[diff[0]]));
            }
        }
        // Different lines leave out different words.
        let firsts: std::collections::HashSet<Vec<String>> = (0..50)
            .map(|line| variants(&words, line)[0].clone())
            .collect();
        assert_eq!(firsts.len(), 4);
    }

    #[test]
    fn the_words_of_a_question_among_other_sentences_are_read_again_as_asked() {
        let read = |text: &str| {
            let folded = crate::core::understand::fold(text);
            words_read(&folded)
                .map(|(w, asked)| format!("{}{w}", if asked { "?" } else { "" }))
                .collect::<Vec<_>>()
        };
        // One sentence, asked or not: as it is.
        assert_eq!(read("status dream?"), ["status", "dream"]);
        assert_eq!(read("status dream. ky"), ["status", "dream", "ky"]);
        // Several: the asked ones again, wherever they stand.
        assert_eq!(
            read("Møde i morgen. Status DREAM? Tak!"),
            ["moede", "i", "morgen", "status", "dream", "tak", "?status", "?dream"]
        );
        assert_eq!(
            read("ky?? og dream?"),
            ["ky", "og", "dream", "?ky", "?og", "?dream"]
        );
        // A word read as asked is another feature than the word.
        let mut asked = Vec::new();
        features([("dream", true)].into_iter(), &mut asked);
        assert!(asked.iter().all(|f| !of(&["dream"])[..3].contains(f)));
    }

    #[test]
    fn a_text_without_words_has_one_feature_of_its_own() {
        assert_eq!(of(&[]).len(), 1);
        assert!(!of(&["x"]).contains(&of(&[])[0]));
    }

    #[test]
    fn the_probabilities_are_the_softmax_of_the_scaled_sum_of_the_listed_features_in_order() {
        let model: Vec<u8> = (0..BUCKETS * 5 + 5)
            .flat_map(|i| ((i % 97) as f32 * 0.013 - 0.6).to_le_bytes())
            .collect();
        let weight = |i: usize, k: usize| {
            let at = (i * 5 + k) * 4;
            f32::from_le_bytes([model[at], model[at + 1], model[at + 2], model[at + 3]])
        };
        for words in [&[][..], &["a"], &["hvornaar", "kommer", "ky", "data"]] {
            let features = of(words);
            let scale = 1.0 / (features.len() as f32).sqrt();
            let mut sum = [0f32; 5];
            for &f in &features {
                for (k, s) in sum.iter_mut().enumerate() {
                    *s += weight(f as usize, k);
                }
            }
            let mut z: [f32; 5] = std::array::from_fn(|k| weight(BUCKETS, k) + scale * sum[k]);
            softmax(&mut z);
            let p = probabilities(&model, words);
            assert_eq!(p.map(f32::to_bits), z.map(f32::to_bits), "{words:?}");
        }
    }

    #[test]
    fn a_short_model_reads_as_zero_weights() {
        // Every weight missing: all classes equally likely.
        let p = probabilities(&[], &["hej"]);
        assert!(p.iter().all(|&v| (v - 0.2).abs() < 1e-6), "{p:?}");
    }

    proptest! {
        #[test]
        fn probabilities_are_a_distribution_whatever_the_weights(
            weights in proptest::collection::vec(-1e6f32..1e6, 0..64),
            words in proptest::collection::vec("[a-zæøå0-9]{0,12}", 0..12),
        ) {
            let model: Vec<u8> = weights.iter().flat_map(|w| w.to_le_bytes()).collect();
            let words: Vec<&str> = words.iter().map(String::as_str).collect();
            let p = probabilities(&model, &words);
            prop_assert!(p.iter().all(|v| v.is_finite() && *v >= 0.0));
            prop_assert!((p.iter().sum::<f32>() - 1.0).abs() < 1e-4);
        }
    }
}
