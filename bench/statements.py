"""Statements on news-quotation-2024: cue, role, joint and quote-level scores (see evaluation/statements.py).

    python bench/statements.py [--splits dev,test] [--model DIR]

Runs the full newsgraph pipeline on each document's original text and prints one table, overall and by
kind (quote-level recall per gold kind), plus articles/s of the statements stage alone.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from newsgraph.evaluation.statements import Tally, gold_units, predicted_units
from newsgraph.model import Article, content_id
from newsgraph.models.train.data_paths import shared_data_dir
from newsgraph.pipeline import Pipeline
from newsgraph.pipeline.stages import statements as statements_stage

METRICS = ["cue_p", "cue_r", "cue_f1", "cue_exact_f1", "role_speaker_f1", "role_message_f1", "role_addressee_f1",
           "joint_p", "joint_r", "joint_f1", "quote_p", "quote_r", "quote_f1"]
KINDS = ["Direct", "Indirect", "FreeIndirect", "IndirectFreeIndirect", "Reported"]


def evaluate(split: str, *, limit: int | None = None, model: Path | None = None) -> tuple[dict[str, float], float, int]:
    pre = Pipeline(["tokens", "morphology", "entities", "coref"])
    taggers = statements_stage.open_taggers(model) if model else None
    tally = Tally()
    seconds = 0.0
    folder = shared_data_dir() / "statements/news-quotation-2024/data" / split
    files = sorted(folder.glob("*.json"))[:limit]
    for path in files:
        doc = json.loads(path.read_text(encoding="utf-8"))
        text = doc["originalText"]
        article = pre(Article(text=text, id=content_id(text), language="de"))
        start = time.perf_counter()
        article = article.with_layers(statements=statements_stage.extract_statements(article, taggers))
        seconds += time.perf_counter() - start
        tally.add(gold_units(doc["annotations"]), predicted_units(article, doc["tokens"]))
    return tally.report(), seconds, len(files)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--splits", default="dev,test")
    parser.add_argument("--limit", type=int, default=None, help="documents per split (for a quick look)")
    parser.add_argument("--model", type=Path, default=None,
                        help="folder with cues/roles/spans.crfsuite [default: the shipped statements-de]")
    args = parser.parse_args()
    results = {split: evaluate(split, limit=args.limit, model=args.model) for split in args.splits.split(",")}
    print("| metric | " + " | ".join(results) + " |")
    print("|---|" + "---:|" * len(results))
    for metric in METRICS + [f"quote_recall_{k}" for k in KINDS]:
        print(f"| {metric} | " + " | ".join(f"{r[0].get(metric, 0.0):.3f}" for r in results.values()) + " |")
    print()
    for split, (_r, secs, n) in results.items():
        print(f"{split}: {n} documents, statements stage {n / secs:.1f} articles/s")


if __name__ == "__main__":
    main()
