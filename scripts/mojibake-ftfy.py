#!/usr/bin/env python3
"""Score ftfy on tests/fixtures/mojibake/cases.tsv, the anchor for src/text/mojibake.rs.

Prints, per kind, how many inputs ftfy.fix_text turned into exactly the expected text, and how
many negative (already correct) cases it changed. Usage: scripts/mojibake-ftfy.py [cases.tsv]

Two configurations are scored: fix_text with its defaults, and fix_text(uncurl_quotes=False).
The defaults turn every curly quote into a straight one, which counts as a failure on any case whose
expected text has ’ “ ” and as a false positive on such negatives although it has nothing to do with
mojibake; the second run is the fair anchor the Rust test compares against.
"""
import os
import sys

try:
    import ftfy
except ImportError:
    sys.exit("ftfy is not installed: `pip install ftfy` (the figures in mojibake.rs came from 6.3.1)")


def score(lines, label, **options):
    totals = {}
    false_positives = []
    for line in lines[1:]:
        if not line:
            continue
        kind, expected, garbled = line.split("\t")
        out = ftfy.fix_text(garbled, **options)
        ok, n = totals.get(kind, (0, 0))
        totals[kind] = (ok + (out == expected), n + 1)
        if kind == "negative" and out != expected:
            false_positives.append((expected, out))
    print(f"ftfy {ftfy.__version__} {label}")
    all_ok = all_n = 0
    for kind in sorted(totals):
        ok, n = totals[kind]
        if kind == "negative":
            continue
        all_ok += ok
        all_n += n
        print(f"  {kind:<10} {ok:>4}/{n:<4} {100.0 * ok / n:6.1f}%")
    if all_n:
        print(f"  {'overall':<10} {all_ok:>4}/{all_n:<4} {100.0 * all_ok / all_n:6.1f}%")
    neg = totals.get("negative", (0, 0))[1]
    print(f"  false positives: {len(false_positives)}/{neg} negative cases changed")
    for expected, out in false_positives:
        print(f"    {expected!r} -> {out!r}")


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, "tests", "fixtures", "mojibake", "cases.tsv")
    with open(path, encoding="utf-8", newline="") as f:
        # split on "\n" only: str.splitlines() would also break on U+0085, which latin-1 rows contain
        lines = f.read().split("\n")
    print(os.path.relpath(path, root))
    score(lines, "fix_text(defaults)")
    score(lines, "fix_text(uncurl_quotes=False)", uncurl_quotes=False)

if __name__ == "__main__":
    main()
