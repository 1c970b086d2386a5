"""Agreement of the two annotations of the German PLOVER gold.

    python bench/events_agreement.py

``tests/gold/events-de-second.jsonl`` is a second annotation, made a day after the first and without looking
at it, of 67 sentences drawn at random from ``tests/gold/events-de.jsonl`` (all splits). Events are matched one
to one by overlapping triggers, as the system is scored; the table gives the trigger agreement (P/R/F1 with the
first annotation as reference), type agreement with Cohen's kappa on matched events, and the other fields'
agreement on matched events.
"""

from __future__ import annotations

from pathlib import Path

from newsgraph.evaluation.events import EventScores, cohen_kappa, compare, read_gold

GOLD = Path(__file__).resolve().parents[1] / "tests" / "gold"


def main() -> None:
    first = {(s.doc, s.text): s for s in read_gold(GOLD / "events-de.jsonl")}
    second = read_gold(GOLD / "events-de-second.jsonl")
    total = EventScores()
    pairs: list[tuple[str, str]] = []
    for sentence in second:
        total.add(compare(first[(sentence.doc, sentence.text)].events, sentence.events, pairs))
    p, r, f = total.trigger_prf()
    print("| sentences | events (first) | events (second) | matched | trigger P | trigger R | trigger F1 "
          "| type agreement | type kappa | type+mode | source | target | modality | reported by |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    print(f"| {len(second)} | {total.gold} | {total.system} | {total.matched} | {p:.3f} | {r:.3f} | {f:.3f} "
          f"| {total.accuracy(total.type):.3f} | {cohen_kappa(pairs):.3f} | {total.accuracy(total.type_mode):.3f} "
          f"| {total.accuracy(total.source):.3f} | {total.accuracy(total.target):.3f} "
          f"| {total.accuracy(total.modality):.3f} | {total.accuracy(total.statement):.3f} |")


if __name__ == "__main__":
    main()
