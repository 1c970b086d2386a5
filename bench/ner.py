"""GermEval 2014 NER: strict span match, outer level, CoNLL style, on dev and test.

    python bench/ner.py [--model DIR] [--splits dev,test] [--tagger hanta|fast]
    python bench/ner.py --tier deep [--threads 1,2] [--fp32 FILE]
    python bench/ner.py --tier accurate [--accurate-adapters FILE] [--threads 1,2]

Prints precision, recall and F1 per type and overall (12 outer labels: PER, LOC, ORG, OTH and their
deriv/part forms), the same folded to 4 types, and tokens/s on one core
(gold tokenisation; STTS tags from --tagger, as the morphology stage gives them, not timed).

With ``--tier deep`` (or ``accurate``): the lite tier's overall scores and that tier's side by side (the deep
reader's NER head on its one pass per sentence, run by ONNX Runtime; for accurate the shipped
``models/accurate-de/ner-adapters.pt``, or ``--accurate-adapters``), with the accurate NER's tokens/s on each
number of threads and the peak RSS of this process (both tiers loaded).
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

from newsgraph.evaluation.data_paths import shared_data_dir
from newsgraph.evaluation.ner import evaluate_model
from newsgraph.models import model_path
from newsgraph.pipeline.stages.mentions import NER_MODEL
from newsgraph.pipeline.stages.morphology import stts_tags

FILES = {"dev": "NER-de-dev.tsv", "test": "NER-de-test.tsv"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", type=Path, default=None, help="spaCy pipeline folder [default: shipped]")
    parser.add_argument("--splits", default="dev,test")
    parser.add_argument("--tagger", choices=["hanta", "fast"], default="hanta", help="source of the STTS tags")
    parser.add_argument("--tier", choices=["lite", "deep", "accurate"], default="lite",
                        help="deep or accurate: that tier beside the lite one")
    parser.add_argument("--accurate-adapters", type=Path, default=None,
                        help="ner-adapters.pt to compare [default: the shipped accurate-de's]")
    parser.add_argument("--fp32", type=Path, default=None,
                        help="the deep reader's fp32 ONNX export: its F1 beside the shipped int8 encoder's")
    parser.add_argument("--threads", default="1,2", help="torch threads for the accurate NER's speed")
    args = parser.parse_args()
    import spacy

    import newsgraph.pipeline.ner_corrections  # noqa: F401  (registers the components the pipeline uses)

    nlp = spacy.load(args.model or model_path(NER_MODEL) / "pipeline")
    data = shared_data_dir() / "ner" / "germeval2014"
    def tag(words: list[str]) -> list[str]:
        return stts_tags(words, args.tagger)

    results = {split: evaluate_model(nlp, data / FILES[split], tag) for split in args.splits.split(",")}
    if args.tier == "deep":
        from newsgraph.evaluation.ner import evaluate_deep

        threads = [int(t) for t in args.threads.split(",")]
        deep = {split: {n: evaluate_deep(data / FILES[split], threads=n) for n in threads} for split in results}
        compare(results, {split: {**by[threads[0]], "seconds": {n: r["seconds"] for n, r in by.items()}}
                          for split, by in deep.items()}, "deep", threads)
        if args.fp32:
            print("\n| split | deep int8 F1 | deep fp32 F1 | int8 - fp32 (points) |")
            print("|---|---:|---:|---:|")
            for split, by in deep.items():
                full = evaluate_deep(data / FILES[split], encoder=args.fp32)["strict"].prf()[2]
                int8 = by[threads[0]]["strict"].prf()[2]
                print(f"| {split} | {int8:.4f} | {full:.4f} | {100 * (int8 - full):+.2f} |")
        return
    if args.tier == "accurate" or args.accurate_adapters:
        from newsgraph.models.accurate import ACCURATE_MODEL, NER_FILE

        adapters = args.accurate_adapters or model_path(ACCURATE_MODEL) / NER_FILE
        side_by_side(results, data, adapters, [int(t) for t in args.threads.split(",")])
        return
    print("| split | scheme | label | P | R | F1 |")
    print("|---|---|---|---:|---:|---:|")
    for split, res in results.items():
        for scheme in ("strict", "types4"):
            sc = res[scheme]
            for label in [*sc.labels(), None]:
                p, r, f = sc.prf(label)
                name = label or "**overall**"
                if scheme == "types4" and label is not None and label not in ("PER", "LOC", "ORG", "OTH"):
                    continue
                print(f"| {split} | {'12 outer labels' if scheme == 'strict' else '4 types'} | {name} "
                      f"| {p:.4f} | {r:.4f} | {f:.4f} |")
    print("\n| split | tokens | seconds | tokens/s (1 thread) |")
    print("|---|---:|---:|---:|")
    for split, res in results.items():
        print(f"| {split} | {res['tokens']:,} | {res['seconds']:.2f} | {res['tokens'] / res['seconds']:,.0f} |")


def side_by_side(fast: dict[str, dict[str, Any]], data: Path, adapters: Path, threads: list[int]) -> None:

    from newsgraph.training.accurate import evaluate_file

    accurate = {split: evaluate_file(data / FILES[split], adapters, threads=threads) for split in fast}
    compare(fast, accurate, "accurate", threads)


def compare(fast: dict[str, dict[str, Any]], accurate: dict[str, dict[str, Any]], name: str,
            threads: list[int]) -> None:
    import resource

    print(f"| split | scheme | lite P | lite R | lite F1 | {name} P | {name} R | {name} F1 |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for split in fast:
        for scheme in ("strict", "types4"):
            f, a = fast[split][scheme].prf(), accurate[split][scheme].prf()
            print(f"| {split} | {'12 outer labels' if scheme == 'strict' else '4 types'} | {f[0]:.4f} | {f[1]:.4f} "
                  f"| {f[2]:.4f} | {a[0]:.4f} | {a[1]:.4f} | {a[2]:.4f} |")
    print("\n| tier | split | threads | tokens | seconds | tokens/s |")
    print("|---|---|---:|---:|---:|---:|")
    for split in fast:
        res = fast[split]
        rate = res["tokens"] / res["seconds"]
        print(f"| lite | {split} | 1 | {res['tokens']:,} | {res['seconds']:.2f} | {rate:,.0f} |")
        acc = accurate[split]
        for n in threads:
            print(f"| {name} | {split} | {n} | {acc['tokens']:,} | {acc['seconds'][n]:.2f} "
                  f"| {acc['tokens'] / acc['seconds'][n]:,.0f} |")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak RSS of this process (both tiers loaded): {peak:,.0f} MB")


if __name__ == "__main__":
    main()
