"""Within-article entity merging: pairwise precision / recall on tests/gold/coref.json.

    python bench/coref.py
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from newsgraph import analyze
from newsgraph.evaluation.coref import load_gold, pairwise, score

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    total: Counter[str] = Counter()
    print("| document | gold pairs | found | predicted pairs | correct |")
    print("|---|---:|---:|---:|---:|")
    for text, clusters in load_gold(ROOT):
        counts = pairwise(analyze(text), clusters)
        total.update(counts)
        print(f"| {text[:40]!r} | {counts['gold_pairs']} | {counts['found']} | {counts['pred_pairs']} "
              f"| {counts['correct']} |")
    s = score(dict(total))
    print(f"\npairwise precision {s['precision']:.3f}, recall {s['recall']:.3f}, F1 {s['f1']:.3f}")


if __name__ == "__main__":
    main()
