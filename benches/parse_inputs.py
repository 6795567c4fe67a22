#!/usr/bin/env python3
"""Inputs for timing `flisbot parse` end to end (process start included), e.g. with hyperfine.

Usage: python3 benches/parse_inputs.py OUT_DIR [LINES]
Writes OUT_DIR/random.txt (LINES lines of the random text `cargo bench --bench core` uses: the
same xorshift seed and mix of a-z runs, random Unicode and near-lexicon letter soup) and
OUT_DIR/unseen.txt (the questions of tests/eval/*.tsv, repeated to LINES lines).
"""
import glob, os, sys

out, lines = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 200_000
os.makedirs(out, exist_ok=True)
M = (1 << 64) - 1
x = 0x9E3779B97F4A7C15


def nxt():
    global x
    x ^= (x << 13) & M
    x ^= x >> 7
    x ^= (x << 17) & M
    return x


SOUP = "dreamkostil"
with open(os.path.join(out, "random.txt"), "w", encoding="utf-8") as f:
    # The bench's 600 lines, repeated: the same text per line as criterion measures.
    block = []
    for i in range(600):
        words = []
        for _ in range(3 + nxt() % 12):
            n = 2 + nxt() % 10
            if i % 3 == 0:
                w = "".join(chr(ord("a") + nxt() % 26) for _ in range(n))
            elif i % 3 == 1:
                w = "".join(chr(0x61 + nxt() % 0x2FF) for _ in range(n))
            else:
                w = "".join(SOUP[nxt() % 11] for _ in range(n))
            words.append(w)
        block.append(" ".join(words).replace("\n", " "))
    f.write("".join(block[i % 600] + "\n" for i in range(lines)))

here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "eval")
qs = []
for tsv in sorted(glob.glob(os.path.join(here, "*.tsv"))):
    for line in open(tsv, encoding="utf-8"):
        if line.strip() and not line.startswith("#"):
            qs.append(line.split("\t")[0])
with open(os.path.join(out, "unseen.txt"), "w", encoding="utf-8") as f:
    f.write("".join(qs[i % len(qs)] + "\n" for i in range(lines)))
