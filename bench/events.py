"""PLOVER event extraction on the German gold (tests/gold/events-de.jsonl), by split and reading.

    python bench/events.py [--splits dev,test] [--readings rules,default] [--errors train]

Each gold sentence is analysed alone with the default pipeline (no publication date); the "realnews" split
is tests/gold/events-de-realnews.jsonl (sentences of saved German news pages: police, courts, protest, war).
Two readings side by side: "rules" keeps every source the rules read (event_source_confidence 0), "default"
leaves the sources the confidence model doubts empty (the shipped threshold). Prints trigger P/R/F1 (overlap),
type F1, type+mode F1, source / target / modality accuracy on matched events and the share of matched events
linked to the right statement; "fully right" is the share of gold events found with type, source and target
right; "harmful" the share of system events whose source did not do it (wrong source, right source but wrong
type, or a source on an event the gold does not have; see newsgraph.evaluation.events), with its three parts.
The events stage's own speed (rules and confidence, on the analysed sentences) closes the table. --errors
lists the mistakes on a split (study train and dev only; test and realnews are for reporting).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from newsgraph import analyze
from newsgraph.evaluation.events import EventScores, read_gold, score_sentence
from newsgraph.pipeline import Pipeline
from newsgraph.pipeline.plover.confidence import with_confidence
from newsgraph.pipeline.plover.extract import find_events
from newsgraph.settings import load_settings

GOLD = Path(__file__).resolve().parents[1] / "tests" / "gold" / "events-de.jsonl"
# real news of several outlets and genres, annotated without looking at the system's output on them
REAL_NEWS = GOLD.with_name("events-de-realnews.jsonl")
READINGS = {"rules": 0.0, "default": -1.0}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--splits", default="train,dev,test,realnews")
    parser.add_argument("--readings", default="rules,default")
    parser.add_argument("--errors", default="", help="a split whose mistakes are listed (default reading)")
    args = parser.parse_args()
    print("| split | reading | sentences | gold | system | trigger P | trigger R | trigger F1 | type F1 "
          "| type+mode F1 | source acc | target acc | modality acc | statement share | fully right | harmful "
          "| wrong source | wrong type | spurious with source |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    analysed = []
    for split in args.splits.split(","):
        gold = read_gold(REAL_NEWS if split == "realnews" else GOLD, [split])
        for reading in args.readings.split(","):
            pipeline = Pipeline(settings={**load_settings(), "event_source_confidence": READINGS[reading]})
            total = EventScores()
            for sentence in gold:
                article = analyze(sentence.text, pipeline=pipeline)
                total.add(score_sentence(sentence, article))
                if reading == "default":
                    analysed.append(article)
                if split == args.errors and reading == "default":
                    show(sentence, article)
            p, r, f = total.trigger_prf()
            print(f"| {split} | {reading} | {len(gold)} | {total.gold} | {total.system} | {p:.3f} | {r:.3f} | {f:.3f} "
                  f"| {total.f1(total.type):.3f} | {total.f1(total.type_mode):.3f} "
                  f"| {total.accuracy(total.source):.3f} | {total.accuracy(total.target):.3f} "
                  f"| {total.accuracy(total.modality):.3f} | {total.accuracy(total.statement):.3f} "
                  f"| {total.full / total.gold if total.gold else 0:.3f} | {total.harm_share():.3f} ({total.harmful}) "
                  f"| {total.harm_wrong_source} | {total.harm_wrong_type} | {total.harm_spurious} |")
    tokens = sum(len(a.tokens) for a in analysed)
    start = time.perf_counter()
    for article in analysed:
        with_confidence(article, find_events(article))
    seconds = time.perf_counter() - start
    print(f"\nevents stage (rules + confidence) on {len(analysed)} analysed sentences, {tokens:,} tokens: "
          f"{tokens / seconds:,.0f} tokens/s, one thread")


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
              f"{e.source.text if e.source else None!r} -> {e.target.text if e.target else None!r} {e.modality} "
              f"{e.confidence}")


if __name__ == "__main__":
    main()
