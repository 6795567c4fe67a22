//! A bounded edit distance for the parser's hot path. Same metric as `strsim::osa_distance`
//! (optimal string alignment: insert, delete, substitute, swap two adjacent letters, each one
//! edit), but on the stack for words up to `MAX_CHARS` and giving up as soon as the distance
//! must exceed `max`, so unknown words cost little. A property test checks it against strsim.

const MAX_CHARS: usize = 48;

/// The OSA distance of `a` and `b` if it is at most `max`.
pub fn osa_within(a: &str, b: &str, max: usize) -> Option<usize> {
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
    if n.abs_diff(m) > max {
        return None;
    }
    let (a, b) = (&ab[..n], &bb[..m]);
    // Three rows: i−2, i−1, i.
    let mut rows = [[0usize; MAX_CHARS + 1]; 3];
    for (j, cell) in rows[0].iter_mut().enumerate().take(m + 1) {
        *cell = j;
    }
    for i in 1..=n {
        let (cur, prev, prev2) = (i % 3, (i + 2) % 3, (i + 1) % 3);
        rows[cur][0] = i;
        let mut row_min = i;
        for j in 1..=m {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (rows[prev][j] + 1)
                .min(rows[cur][j - 1] + 1)
                .min(rows[prev][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(rows[prev2][j - 2] + 1);
            }
            rows[cur][j] = v;
            row_min = row_min.min(v);
        }
        if row_min > max {
            return None;
        }
    }
    let d = rows[n % 3][m];
    (d <= max).then_some(d)
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
