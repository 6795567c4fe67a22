//! A bounded edit distance for the parser's hot path. Same metric as `strsim::osa_distance`
//! (optimal string alignment: insert, delete, substitute, swap two adjacent letters, each one
//! edit), but on the stack for words up to `MAX_CHARS` and giving up as soon as the distance
//! must exceed `max`, so unknown words cost little. A property test checks it against strsim.

const MAX_CHARS: usize = 48;

/// The OSA distance of `a` and `b` if it is at most `max`.
pub fn osa_within(a: &str, b: &str, max: usize) -> Option<usize> {
    if a.is_ascii() && b.is_ascii() {
        if a.len() > MAX_CHARS || b.len() > MAX_CHARS {
            return fallback(a, b, max);
        }
        return osa_slices(a.as_bytes(), b.as_bytes(), max);
    }
    let mut ab = ['\0'; MAX_CHARS];
    let mut bb = ['\0'; MAX_CHARS];
    let (mut n, mut m) = (0, 0);
    for c in a.chars() {
        if n == MAX_CHARS {
            return fallback(a, b, max);
        }
        ab[n] = c;
        n += 1;
    }
    for c in b.chars() {
        if m == MAX_CHARS {
            return fallback(a, b, max);
        }
        bb[m] = c;
        m += 1;
    }
    osa_slices(&ab[..n], &bb[..m], max)
}

/// The OSA distance of two sequences of at most `MAX_CHARS` if it is at most `max`. Only the
/// cells within `max` of the diagonal can hold a distance of `max` or less; the others are
/// left at "too far".
fn osa_slices<T: PartialEq>(a: &[T], b: &[T], max: usize) -> Option<usize> {
    if max <= 1 {
        return within_one(a, b).filter(|&d| d <= max);
    }
    let (n, m) = (a.len(), b.len());
    if n.abs_diff(m) > max {
        return None;
    }
    // Distances above `max` are all alike: "too far", one more than `max`.
    let far = max.min(MAX_CHARS) as u8 + 1;
    // Three rows: i−2, i−1, i.
    let mut rows = [[far; MAX_CHARS + 2]; 3];
    for (j, cell) in rows[0].iter_mut().enumerate().take(m.min(max) + 1) {
        *cell = j as u8;
    }
    for i in 1..=n {
        let (cur, prev, prev2) = (i % 3, (i + 2) % 3, (i + 1) % 3);
        let lo = i.saturating_sub(max).max(1);
        let hi = (i + max).min(m);
        rows[cur][0] = if i <= max { i as u8 } else { far };
        rows[cur][lo - 1] = if lo == 1 { rows[cur][0] } else { far };
        let mut row_min = usize::from(rows[cur][0]);
        for j in lo..=hi {
            let cost = u8::from(a[i - 1] != b[j - 1]);
            let mut v = (rows[prev][j] + 1)
                .min(rows[cur][j - 1] + 1)
                .min(rows[prev][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(rows[prev2][j - 2] + 1);
            }
            v = v.min(far);
            rows[cur][j] = v;
            row_min = row_min.min(usize::from(v));
        }
        // The cell right of the band is read by the next row as "too far".
        rows[cur][hi + 1] = far;
        if row_min > max {
            return None;
        }
    }
    let d = usize::from(rows[n % 3][m]);
    (d <= max).then_some(d)
}

/// The OSA distance of `a` and `b` if it is at most 1, in linear time: once their longest
/// common beginning and then their longest common end are set aside, one edit leaves nothing
/// (no edit), one letter on one side (a letter added or left out), one on each (a letter
/// changed) or two swapped; whatever else is left takes two edits or more.
fn within_one<T: PartialEq>(a: &[T], b: &[T]) -> Option<usize> {
    let start = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let (a, b) = (&a[start..], &b[start..]);
    let end = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    match (&a[..a.len() - end], &b[..b.len() - end]) {
        ([], []) => Some(0),
        ([_], []) | ([], [_]) | ([_], [_]) => Some(1),
        ([w, x], [y, z]) if w == z && x == y => Some(1),
        _ => None,
    }
}

fn fallback(a: &str, b: &str, max: usize) -> Option<usize> {
    let d = strsim::osa_distance(a, b);
    (d <= max).then_some(d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn known_distances() {
        assert_eq!(osa_within("stauts", "status", 2), Some(1));
        assert_eq!(osa_within("drem", "dream", 1), Some(1));
        assert_eq!(osa_within("okonomi", "oekonomi", 1), Some(1));
        assert_eq!(osa_within("xyzzy", "dream", 2), None);
        assert_eq!(osa_within("", "abc", 3), Some(3));
        assert_eq!(
            osa_within("æøå", "aeoeaa", 10),
            Some(strsim::osa_distance("æøå", "aeoeaa"))
        );
    }

    /// Within one edit (`within_one`), every pair of words of up to five letters over three
    /// letters (repeats, swaps and all) agrees with strsim.
    #[test]
    fn within_one_agrees_with_strsim_on_every_short_pair() {
        let mut words = vec![String::new()];
        let mut all = words.clone();
        for _ in 0..5 {
            words = words
                .iter()
                .flat_map(|w| ["a", "b", "c"].map(|l| format!("{w}{l}")))
                .collect();
            all.extend(words.iter().cloned());
        }
        for a in &all {
            for b in &all {
                let want = strsim::osa_distance(a, b);
                for max in 0..=1 {
                    assert_eq!(
                        osa_within(a, b, max),
                        (want <= max).then_some(want),
                        "{a} {b}"
                    );
                }
            }
        }
    }

    proptest! {
        #[test]
        fn agrees_with_strsim(a in "[a-eæø]{0,12}", b in "[a-eæø]{0,12}", max in 0usize..6) {
            let want = strsim::osa_distance(&a, &b);
            prop_assert_eq!(osa_within(&a, &b, max), (want <= max).then_some(want));
        }

        #[test]
        fn long_words_fall_back_correctly(a in "[ab]{40,60}", b in "[ab]{40,60}") {
            let want = strsim::osa_distance(&a, &b);
            prop_assert_eq!(osa_within(&a, &b, 100), Some(want));
        }
    }
}
