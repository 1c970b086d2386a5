"""Temporal tagging, TempEval-3 style, on KRAUTS Dolomiten-42 (dev), WikiWarsDE and legal-timex.

    python bench/times.py [--sets krauts,wikiwars-dev,wikiwars,wikiwars-all,legal] [--legal-lines N] [--errors krauts]

Prints strict and relaxed extent P/R/F1, value F1 and type accuracy per set. KRAUTS values are resolved
against each article's creation date. WikiWarsDE has no split, so its first 11 documents (by file name) are a
dev half whose mistakes may be studied, and its last 11 are held out and only reported. WikiWarsDE is
narrative (its DATETIME is only the download date), so it is run without a publication date and relative
expressions take the last explicit date in the text. legal-timex has no creation date and is scored on
extents. Tags come from the default morphology stage (HanTa), as in ingest.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from newsgraph.evaluation.data_paths import shared_data_dir
from newsgraph.evaluation.timex import (
    GoldDoc,
    SystemTimex,
    TimexScores,
    normalise_value,
    read_krauts,
    read_legal,
    read_wikiwars,
    score_doc,
)
from newsgraph.model import Article
from newsgraph.pipeline import Pipeline


def WIKIWARS(data: Path) -> Path:
    return data / "wikiwarsde" / "WikiWarsDE_20110412" / "keyinline"


# HeidelTime's own output on Dolomiten-42, scored the same way (the anchor).
HEIDELTIME_KRAUTS = {"strict F1": 0.794, "relaxed F1": 0.831, "value F1": 0.800}


def run(docs: list[GoldDoc], *, dated: bool, tagged: bool, errors: bool) -> tuple[TimexScores, int, float]:
    pipeline = Pipeline(["tokens", "reading", "morphology", "times"] if tagged else ["tokens", "times"])
    total = TimexScores()
    tokens = 0
    seconds = 0.0
    for doc in docs:
        article = Article(text=doc.text, id=doc.name, language="de", published=doc.creation if dated else None)
        t0 = time.perf_counter()
        out = pipeline(article)
        seconds += time.perf_counter() - t0
        tokens += len(out.tokens)
        system = [SystemTimex(t.start, t.end, t.kind, t.value) for t in out.times]
        total.add(score_doc(doc.timexes, system))
        if errors:
            show_errors(doc, system)
    return total, tokens, seconds


def show_errors(doc: GoldDoc, system: list[SystemTimex]) -> None:
    for g in doc.timexes:
        s = next((s for s in system if s.start < g.end and g.start < s.end), None)
        gold = f"{doc.text[g.start:g.end]!r} {g.kind} {g.value}"
        if s is None:
            print(f"  MISS {doc.creation} {gold} | …{doc.text[max(0, g.start - 40):g.start]!r}")
        elif normalise_value(s.value) != normalise_value(g.value) or (s.start, s.end) != (g.start, g.end):
            print(f"  DIFF {doc.creation} {gold} -> {doc.text[s.start:s.end]!r} {s.kind} {s.value}")
    for s in system:
        if not any(s.start < g.end and g.start < s.end for g in doc.timexes):
            print(f"  EXTRA {doc.creation} {doc.text[s.start:s.end]!r} {s.kind} {s.value} | "
                  f"…{doc.text[max(0, s.start - 40):s.end + 20]!r}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sets", default="krauts,wikiwars-dev,wikiwars,wikiwars-all,legal")
    parser.add_argument("--legal-lines", type=int, default=None, help="first N sentences per court [default: all]")
    parser.add_argument("--errors", default="",
                        help="sets whose mistakes are listed (only dev sets: krauts, wikiwars-dev)")
    args = parser.parse_args()
    data = shared_data_dir() / "time"
    sets = {
        "krauts": ("KRAUTS Dolomiten-42 (dev)", lambda: read_krauts(data / "krauts-dolomiten42" / "tml"), True, True),
        "wikiwars-dev": ("WikiWarsDE docs 1-11 (dev half, values of TIMEX2)",
                         lambda: read_wikiwars(WIKIWARS(data))[:11], False, True),
        "wikiwars": ("WikiWarsDE docs 12-22 (held out, values of TIMEX2)",
                     lambda: read_wikiwars(WIKIWARS(data))[11:], False, True),
        "wikiwars-all": ("WikiWarsDE all 22 docs (values of TIMEX2)",
                         lambda: read_wikiwars(WIKIWARS(data)), False, True),
        "legal": ("legal-timex (extent only)",
                  lambda: read_legal(data / "legal-timex" / "dataset_courts_timex", args.legal_lines), False, False),
    }
    rows = []
    for key in args.sets.split(","):
        label, load, dated, tagged = sets[key]
        docs = load()
        scores, tokens, seconds = run(docs, dated=dated, tagged=tagged, errors=key in args.errors.split(","))
        rows.append((label, scores, tokens, seconds, key == "legal"))
    print("| set | gold | system | strict P | strict R | strict F1 | relaxed P | relaxed R | relaxed F1 | value F1 "
          "| type acc | tokens |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for label, s, tokens, _seconds, extent_only in rows:
        sp, sr, sf = s.strict_prf()
        rp, rr, rf = s.relaxed_prf()
        value = "–" if extent_only else f"{s.value_f1():.3f}"
        kind = "–" if extent_only or not s.kind else f"{s.type_accuracy():.3f}"
        print(f"| {label} | {s.gold} | {s.system} | {sp:.3f} | {sr:.3f} | {sf:.3f} | {rp:.3f} | {rr:.3f} | {rf:.3f} "
              f"| {value} | {kind} | {tokens:,} |")
    if any(key == "krauts" for key in args.sets.split(",")):
        h = HEIDELTIME_KRAUTS
        print(f"| HeidelTime on Dolomiten-42 (published) | | | | | {h['strict F1']:.3f} | | | {h['relaxed F1']:.3f} "
              f"| {h['value F1']:.3f} | | |")


if __name__ == "__main__":
    main()
