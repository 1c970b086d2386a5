"""Statements on news-quotation-2024: cue, role, joint and quote-level scores (see evaluation/statements.py).

    python bench/statements.py [--splits dev,test] [--model DIR] [--tiers deep,lite] [--threads 1,2]

Runs the newsgraph pipeline on each document's original text and prints one table, overall and by kind
(quote-level recall per gold kind), a second with quote-level and joint precision and recall over the
statements whose confidence reaches 0.3, 0.5, 0.7 and 0.9, plus articles/s of the statements stage alone.

The tiers in ``--tiers`` run side by side (each tier also finds the mentions the speakers resolve to), and a
speed table follows: the whole pipeline over the first ``--speed-docs`` dev documents, tokens/s per tier and
number of threads, and this process's peak RSS.
"""

from __future__ import annotations

import argparse
import resource
import time
from pathlib import Path

from newsgraph.evaluation.statements import evaluate_split

METRICS = ["cue_p", "cue_r", "cue_f1", "cue_exact_f1", "role_speaker_f1", "role_message_f1", "role_addressee_f1",
           "joint_p", "joint_r", "joint_f1", "quote_p", "quote_r", "quote_f1", "kind_accuracy", "medium_accuracy"]
THRESHOLDS = (0.3, 0.5, 0.7, 0.9)
KINDS = ["Direct", "Indirect", "FreeIndirect", "IndirectFreeIndirect", "Reported"]


def speed(tier: str, threads: int, docs: int) -> tuple[int, float]:
    """Tokens and seconds of the whole default pipeline over the first ``docs`` dev texts (after a warm-up)."""
    import json

    from newsgraph.evaluation.data_paths import shared_data_dir
    from newsgraph.model import Article
    from newsgraph.pipeline import Pipeline
    from newsgraph.settings import load_settings

    if tier == "accurate":
        import torch

        torch.set_num_threads(threads)
    folder = shared_data_dir() / "statements/news-quotation-2024/data/dev"
    texts = [json.loads(p.read_text(encoding="utf-8"))["originalText"] for p in sorted(folder.glob("*.json"))[:docs]]
    pipeline = Pipeline(settings={**load_settings(), "tier": tier, "reader_threads": threads})
    pipeline.warm_up()
    start = time.perf_counter()
    tokens = sum(len(pipeline(Article.create(text)).tokens) for text in texts)
    return tokens, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--splits", default="dev,test")
    parser.add_argument("--limit", type=int, default=None, help="documents per split (for a quick look)")
    parser.add_argument("--model", type=Path, default=None,
                        help="folder with cues/roles/spans.crfsuite [default: the shipped statements-de]")
    parser.add_argument("--tiers", default="deep,lite", help="tiers side by side: deep, lite, accurate")
    parser.add_argument("--threads", default="1,2", help="encoder threads for the speed table")
    parser.add_argument("--speed-docs", type=int, default=30, help="0: no speed table")
    args = parser.parse_args()
    tiers = args.tiers.split(",")
    results = {(split, tier): evaluate_split(split, limit=args.limit, model=args.model, thresholds=THRESHOLDS,
                                             tier=tier)
               for split in args.splits.split(",") if split for tier in tiers}
    names = [f"{split} {tier}" if len(tiers) > 1 else split for split, tier in results]
    print("| metric | " + " | ".join(names) + " |")
    print("|---|" + "---:|" * len(results))
    for metric in METRICS + [f"quote_recall_{k}" for k in KINDS]:
        print(f"| {metric} | " + " | ".join(f"{r[0].get(metric, 0.0):.3f}" for r in results.values()) + " |")
    print("\n| split | tier | min confidence | statements kept | quote P | quote R | joint P | joint R |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for (split, tier), (r, _secs, _n) in results.items():
        print(f"| {split} | {tier} | 0 | 1.000 | {r['quote_p']:.3f} | {r['quote_r']:.3f} | {r['joint_p']:.3f} "
              f"| {r['joint_r']:.3f} |")
        for t in THRESHOLDS:
            print(f"| {split} | {tier} | {t:g} | {r[f'kept@{t:g}']:.3f} | {r[f'quote_p@{t:g}']:.3f} "
                  f"| {r[f'quote_r@{t:g}']:.3f} | {r[f'joint_p@{t:g}']:.3f} | {r[f'joint_r@{t:g}']:.3f} |")
    print()
    for (split, tier), (_r, secs, n) in results.items():
        print(f"{split} ({tier}): {n} documents, statements stage {n / secs:.1f} articles/s")
    if len(tiers) > 1 and args.speed_docs > 0:
        print("\n| tier | threads | documents | tokens | seconds (whole pipeline) | tokens/s |")
        print("|---|---:|---:|---:|---:|---:|")
        for tier in tiers:
            for n in [int(t) for t in args.threads.split(",")]:
                tokens, seconds = speed(tier, n, args.speed_docs)
                print(f"| {tier} | {n} | {args.speed_docs} | {tokens:,} | {seconds:.1f} | {tokens / seconds:,.0f} |")
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"\npeak RSS of this process (both tiers loaded): {peak:,.0f} MB")


if __name__ == "__main__":
    main()
