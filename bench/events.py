"""PLOVER event extraction on the German gold (tests/gold/events-de.jsonl), by split.

    python bench/events.py [--splits dev,test] [--errors train]

Each gold sentence is analysed alone with the default pipeline (no publication date). Prints trigger P/R/F1
(overlap), type F1, type+mode F1, source / target / modality accuracy on matched events and the share of
matched events linked to the right statement; "fully right" is the share of gold events found with type,
source and target right; "harmful" the share of system events whose source did not do it (wrong source, right
source but wrong type, or a source on an event the gold does not have; see newsgraph.evaluation.events).
--errors lists the mistakes on a split (study train and dev
only; test is for reporting).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from newsgraph import analyze
from newsgraph.evaluation.events import EventScores, read_gold, score_sentence
from newsgraph.pipeline import Pipeline

GOLD = Path(__file__).resolve().parents[1] / "tests" / "gold" / "events-de.jsonl"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--splits", default="train,dev,test")
    parser.add_argument("--errors", default="", help="a split whose mistakes are listed")
    args = parser.parse_args()
    pipeline = Pipeline()
    print("| split | sentences | gold | system | trigger P | trigger R | trigger F1 | type F1 | type+mode F1 "
          "| source acc | target acc | modality acc | statement share | fully right | harmful | wrong source "
          "| wrong type | spurious with source |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for split in args.splits.split(","):
        gold = read_gold(GOLD, [split])
        total = EventScores()
        for sentence in gold:
            article = analyze(sentence.text, pipeline=pipeline)
            scores = score_sentence(sentence, article)
            total.add(scores)
            if split == args.errors:
                show(sentence, article)
        p, r, f = total.trigger_prf()
        print(f"| {split} | {len(gold)} | {total.gold} | {total.system} | {p:.3f} | {r:.3f} | {f:.3f} "
              f"| {total.f1(total.type):.3f} | {total.f1(total.type_mode):.3f} | {total.accuracy(total.source):.3f} "
              f"| {total.accuracy(total.target):.3f} | {total.accuracy(total.modality):.3f} "
              f"| {total.accuracy(total.statement):.3f} | {total.full / total.gold if total.gold else 0:.3f} "
              f"| {total.harm_share():.3f} ({total.harmful}) | {total.harm_wrong_source} | {total.harm_wrong_type} "
              f"| {total.harm_spurious} |")

def show(sentence, article) -> None:  # type: ignore[no-untyped-def]
    text = sentence.text
    def span(s):  # type: ignore[no-untyped-def]
        return text[s[0]:s[1]] if s else None
    print(f"\n{sentence.doc}: {text}")
    for g in sentence.events:
        print(f"  gold {g.type:9} {g.mode or '-':12} {span(g.trigger)!r:22} {span(g.source)!r} -> {span(g.target)!r} "
              f"{g.modality}")
    for e in article.events:
        print(f"  sys  {e.type:9} {e.mode or '-':12} {e.trigger.text!r:22} "
              f"{e.source.text if e.source else None!r} -> {e.target.text if e.target else None!r} {e.modality}")


if __name__ == "__main__":
    main()
