"""Statements on news-quotation-2024: cue, role, joint and quote-level scores (see evaluation/statements.py).

    python bench/statements.py [--splits dev,test] [--model DIR]

Runs the full newsgraph pipeline on each document's original text and prints one table, overall and by
kind (quote-level recall per gold kind), a second with quote-level and joint precision and recall over the
statements whose confidence reaches 0.3, 0.5, 0.7 and 0.9, plus articles/s of the statements stage alone.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from newsgraph.evaluation.statements import evaluate_split

METRICS = ["cue_p", "cue_r", "cue_f1", "cue_exact_f1", "role_speaker_f1", "role_message_f1", "role_addressee_f1",
           "joint_p", "joint_r", "joint_f1", "quote_p", "quote_r", "quote_f1", "kind_accuracy", "medium_accuracy"]
THRESHOLDS = (0.3, 0.5, 0.7, 0.9)
KINDS = ["Direct", "Indirect", "FreeIndirect", "IndirectFreeIndirect", "Reported"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--splits", default="dev,test")
    parser.add_argument("--limit", type=int, default=None, help="documents per split (for a quick look)")
    parser.add_argument("--model", type=Path, default=None,
                        help="folder with cues/roles/spans.crfsuite [default: the shipped statements-de]")
    args = parser.parse_args()
    results = {split: evaluate_split(split, limit=args.limit, model=args.model, thresholds=THRESHOLDS)
               for split in args.splits.split(",")}
    print("| metric | " + " | ".join(results) + " |")
    print("|---|" + "---:|" * len(results))
    for metric in METRICS + [f"quote_recall_{k}" for k in KINDS]:
        print(f"| {metric} | " + " | ".join(f"{r[0].get(metric, 0.0):.3f}" for r in results.values()) + " |")
    print("\n| split | min confidence | statements kept | quote P | quote R | joint P | joint R |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for split, (r, _secs, _n) in results.items():
        print(f"| {split} | 0 | 1.000 | {r['quote_p']:.3f} | {r['quote_r']:.3f} | {r['joint_p']:.3f} "
              f"| {r['joint_r']:.3f} |")
        for t in THRESHOLDS:
            print(f"| {split} | {t:g} | {r[f'kept@{t:g}']:.3f} | {r[f'quote_p@{t:g}']:.3f} | {r[f'quote_r@{t:g}']:.3f} "
                  f"| {r[f'joint_p@{t:g}']:.3f} | {r[f'joint_r@{t:g}']:.3f} |")
    print()
    for split, (_r, secs, n) in results.items():
        print(f"{split}: {n} documents, statements stage {n / secs:.1f} articles/s")


if __name__ == "__main__":
    main()
