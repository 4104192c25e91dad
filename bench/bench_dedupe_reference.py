#!/usr/bin/env python3
"""Reference for tunesmith-bench-dedupe: an independent MinHash in plain Python (no packages).

Reads the rows (--rows, one JSON string a line) and the near-duplicate pairs the C++ dedupe found (--pairs, lines
"i j jaccard", 0-based row numbers). Uses the same comparison text (whitespace runs collapsed, ends trimmed, ASCII
lower case) and the same shingles (5 UTF-8 bytes; a text of 5 bytes or fewer is one shingle), but its own sketch:
one-permutation MinHash with 120 bins (murmur3's 64-bit finaliser as the hash, empty bins filled by optimal
densification), 20 bands of 6 bins, and every candidate pair whose set sizes allow the threshold checked with the
exact Jaccard of the shingle sets.

The true pairs are those either side proposed whose exact Jaccard reaches the threshold (the union: a pair both
miss is not counted, so the recall printed is an upper bound, tight when the two sides miss independently). Prints
the precision of the C++ pairs (exact Jaccard rechecked here), their recall, this script's own recall, and the
largest difference between the Jaccard values the two sides computed.
"""

import argparse
import functools
import json
import random
import sys
import time

MASK = (1 << 64) - 1
BINS = 120
BANDS = 20
ROWS_PER_BAND = 6
DENSIFY_TRIES = 64


def normalize(text):
    out = []
    pending_space = False
    for c in text:
        if c in " \t\n\r\f\v":
            pending_space = bool(out)
            continue
        if pending_space:
            out.append(" ")
        pending_space = False
        out.append(c.lower() if "A" <= c <= "Z" else c)
    return "".join(out)


def shingles(text, width):
    data = normalize(text).encode("utf-8")
    if not data:
        return frozenset()
    if len(data) <= width:
        return frozenset([int.from_bytes(data, "little")])
    return frozenset(int.from_bytes(data[i:i + width], "little") for i in range(len(data) - width + 1))


def fmix64(x):
    x ^= x >> 33
    x = (x * 0xFF51AFD7ED558CCD) & MASK
    x ^= x >> 33
    x = (x * 0xC4CEB9FE1A85EC53) & MASK
    x ^= x >> 33
    return x


def make_densify_order(seed):
    generator = random.Random(seed)
    return [[generator.randrange(BINS) for _ in range(DENSIFY_TRIES)] for _ in range(BINS)]


def sketch(shingle_set, densify_order):
    bins = [None] * BINS
    for shingle in shingle_set:
        h = fmix64(shingle ^ 0x7375626D696E6861)
        b = h % BINS
        v = h // BINS
        current = bins[b]
        if current is None or v < current:
            bins[b] = v
    filled = list(bins)
    for b in range(BINS):
        if bins[b] is not None:
            continue
        for attempt, source in enumerate(densify_order[b]):
            if bins[source] is not None:
                filled[b] = (bins[source], attempt)
                break
    return filled


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", required=True)
    parser.add_argument("--pairs", required=True)
    parser.add_argument("--threshold", type=float, default=0.8)
    parser.add_argument("--shingle", type=int, default=5)
    args = parser.parse_args()

    with open(args.rows, encoding="utf-8") as f:
        texts = [json.loads(line) for line in f]
    cpp_pairs = {}
    with open(args.pairs) as f:
        for line in f:
            i, j, jaccard = line.split()
            cpp_pairs[(int(i), int(j))] = float(jaccard)

    @functools.lru_cache(maxsize=50000)
    def shingle_set(index):
        return shingles(texts[index], args.shingle)

    def exact_jaccard(a, b):
        x, y = shingle_set(a), shingle_set(b)
        if not x and not y:
            return 1.0
        common = len(x & y)
        return common / (len(x) + len(y) - common)

    start = time.time()
    densify_order = make_densify_order(20250613)
    buckets = [dict() for _ in range(BANDS)]
    sizes = []
    for index, text in enumerate(texts):
        shingle_set_of_row = shingles(text, args.shingle)
        sizes.append(len(shingle_set_of_row))
        if not shingle_set_of_row:
            continue
        signature = sketch(shingle_set_of_row, densify_order)
        for band in range(BANDS):
            key = tuple(signature[band * ROWS_PER_BAND:(band + 1) * ROWS_PER_BAND])
            buckets[band].setdefault(key, []).append(index)
    sketch_seconds = time.time() - start

    candidates = set()
    for band in buckets:
        for members in band.values():
            for x in range(len(members)):
                for y in range(x + 1, len(members)):
                    candidates.add((members[x], members[y]))
    reference_pairs = {}
    for pair in sorted(candidates):
        smaller, larger = sorted((sizes[pair[0]], sizes[pair[1]]))
        if smaller < args.threshold * larger:
            continue  # |A ∩ B| / |A ∪ B| <= smaller / larger
        jaccard = exact_jaccard(*pair)
        if jaccard >= args.threshold:
            reference_pairs[pair] = jaccard
    reference_seconds = time.time() - start

    cpp_true = {}
    largest_difference = 0.0
    for pair, cpp_jaccard in cpp_pairs.items():
        jaccard = exact_jaccard(*pair)
        largest_difference = max(largest_difference, abs(jaccard - cpp_jaccard))
        if jaccard >= args.threshold:
            cpp_true[pair] = jaccard
    truth = set(reference_pairs) | set(cpp_true)

    def ratio(part, whole):
        return part / whole if whole else 1.0

    print(f"rows:               {len(texts)}")
    print(f"reference MinHash:  {BANDS} bands of {ROWS_PER_BAND} one-permutation bins, {len(candidates)} candidates, "
          f"{len(reference_pairs)} pairs at Jaccard >= {args.threshold:.2f} "
          f"({sketch_seconds:.1f} s sketches, {reference_seconds:.1f} s in all)")
    print(f"true pairs:         {len(truth)} (union of both sides, exact Jaccard checked here)")
    print(f"C++ pairs:          {len(cpp_pairs)}, of which {len(cpp_true)} reach the threshold here")
    print(f"C++ precision:      {ratio(len(cpp_true), len(cpp_pairs)):.5f}")
    print(f"C++ recall:         {ratio(len(cpp_true), len(truth)):.5f}")
    print(f"reference recall:   {ratio(len(reference_pairs), len(truth)):.5f}")
    print(f"pairs only C++ found: {len(set(cpp_true) - set(reference_pairs))}, "
          f"only the reference: {len(set(reference_pairs) - set(cpp_true))}")
    print(f"largest Jaccard difference on C++ pairs: {largest_difference:.2e}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
