"""GermEval 2014 NER: strict span match, outer level, CoNLL style, on dev and test.

    python bench/ner.py [--model DIR] [--splits dev,test] [--tagger hanta|fast]

Prints precision, recall and F1 per type and overall (12 outer labels: PER, LOC, ORG, OTH and their
deriv/part forms), the same folded to 4 types, and tokens/s on one core
(gold tokenisation; STTS tags from --tagger, as the morphology stage gives them, not timed).
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

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
    args = parser.parse_args()
    import spacy

    import newsgraph.pipeline.ner_corrections  # noqa: F401  (registers the components the pipeline uses)

    nlp = spacy.load(args.model or model_path(NER_MODEL) / "pipeline")
    data = shared_data_dir() / "ner" / "germeval2014"
    def tag(words: list[str]) -> list[str]:
        return stts_tags(words, args.tagger)

    results = {split: evaluate_model(nlp, data / FILES[split], tag) for split in args.splits.split(",")}
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


if __name__ == "__main__":
    main()
