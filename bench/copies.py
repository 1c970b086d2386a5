"""Copies and rewrites: precision and recall of the shared-passage links on rewrites of the sample corpus.

    python bench/copies.py [--seed 0]

Every sample article is stored; then, for each article with at least four sentences, rewrites of it are stored
too: sentence deletion, insertion of sentences from another article, paragraph reordering, a rewritten
lead, and a new headline with a dateline and agency credit, each at three strengths (10 %, 25 %, 50 % of the
sentences changed). Recall: a rewrite is linked to its source. Precision: of all links the rewrites get, the
share that join two texts sharing at least two sentences (a rewrite rightly links to the source's other
rewrites and to the article it took sentences from). Negatives: the distinct sample articles themselves must
get no link at all; 26 pairs of them share two or more person or organisation entities (the same topic).
"""

from __future__ import annotations

import argparse
import random
import re
import tempfile
from collections import Counter
from pathlib import Path

from newsgraph.ingest import read_inputs
from newsgraph.model import Article
from newsgraph.store import Corpus

ROOT = Path(__file__).resolve().parents[1]
STRENGTHS = {"light": 0.10, "medium": 0.25, "heavy": 0.50}
_SENTENCE = re.compile(r"(?<=[.!?“])\s+(?=[A-ZÄÖÜ„])")


def sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE.split(text) if s.strip()]


def rewrite(kind: str, text: str, strength: float, other: str, rng: random.Random) -> tuple[str, str | None]:
    """``(text, title)`` of one rewrite of ``text``, paragraphs kept; ``other`` gives sentences to insert."""
    paras = [sentences(p) for p in text.split("\n") if p.strip()]
    slots = [(i, j) for i, p in enumerate(paras) for j in range(len(p))]
    k = max(1, round(strength * len(slots)))
    if kind == "deletion":
        drop = set(rng.sample(slots, min(k, len(slots) - 1)))
        paras = [[s for j, s in enumerate(p) if (i, j) not in drop] for i, p in enumerate(paras)]
    elif kind == "insertion":
        for s in rng.sample(sentences(other), min(k, len(sentences(other)))):
            p = paras[rng.randrange(len(paras))]
            p.insert(rng.randrange(len(p) + 1), s)
    elif kind == "reordering":  # swap paragraphs, or sentences where there is one paragraph
        units = paras if len(paras) > 1 else [[s] for s in paras[0]]
        for _ in range(k):
            i, j = rng.randrange(len(units)), rng.randrange(len(units))
            units[i], units[j] = units[j], units[i]
        paras = units if len(paras) > 1 else [[s for u in units for s in u]]
    elif kind == "lead":  # the first k sentences rewritten (taken from another article)
        new = iter(sentences(other))
        for i, j in slots[:k]:
            paras[i][j] = next(new, paras[i][j])
    elif kind == "headline":
        paras[0][0] = "BERLIN (dpa) – " + paras[0][0]
        return "\n".join(" ".join(p) for p in paras if p), "Neue Überschrift: " + paras[0][0][15:75]
    else:
        raise ValueError(kind)
    return "\n".join(" ".join(p) for p in paras if p), None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    sample = [a for a in read_inputs([str(ROOT / "samples" / "wikinews-de.jsonl")]) if isinstance(a, Article)]
    with tempfile.TemporaryDirectory() as tmp, Corpus(Path(tmp) / "copies.db") as corpus:
        corpus.add(sample)
        negatives = sum(len(corpus.reuse(a.id)) for a in sample)
        found: Counter[tuple[str, str]] = Counter()
        total: Counter[tuple[str, str]] = Counter()
        wrong = links = 0
        # what each stored text is made of: two texts truly share a passage when they share two sentences
        made_of: dict[str, set[str]] = {a.id: set(sentences(a.text.replace("\n", " "))) for a in sample}
        for i, source in enumerate(sample):
            if len(sentences(source.text)) < 4:
                continue
            other = sample[(i + 1 + rng.randrange(len(sample) - 1)) % len(sample)]
            for kind in ("deletion", "insertion", "reordering", "lead", "headline"):
                for name, strength in STRENGTHS.items():
                    text, title = rewrite(kind, source.text, strength, other.text, rng)
                    variant = Article.create(text, title=title or source.title, source="rewrite")
                    if corpus.add([variant]).added == 0:
                        continue  # identical text: stored once already
                    made_of[variant.id] = set(sentences(variant.text.replace("\n", " ")))
                    linked = {r["id"] for r in corpus.reuse(variant.id)}
                    total[(kind, name)] += 1
                    found[(kind, name)] += source.id in linked
                    links += len(linked)
                    wrong += sum(len(made_of[variant.id] & made_of[x]) < 2 for x in linked)
    print("| rewrite | strength | rewrites | linked to source | recall |")
    print("|---|---|---|---|---|")
    for (kind, name), n in total.items():
        print(f"| {kind} | {name} ({STRENGTHS[name]:.0%}) | {n} | {found[(kind, name)]} | {found[(kind, name)] / n:.3f} |")
    all_found, all_total = sum(found.values()), sum(total.values())
    print(f"\nrecall over all rewrites: {all_found / all_total:.3f} ({all_found} of {all_total})")
    print(f"links from rewrites: {links}, of which {wrong} join texts that share fewer than two sentences; "
          f"precision {1 - wrong / max(links, 1):.3f}")
    print(f"links among the {len(sample)} distinct sample articles (negatives, same topics included): {negatives}")
    scale(sample)


def scale(sample: list[Article]) -> None:
    """The store's cost per article (layers, entity merging, passage index and lookup) as the corpus grows:
    unanalysed copies of the sample with a numbered suffix, added in batches of 100."""
    import time

    print("\n| corpus size | articles/s over the last 100 added |")
    print("|---|---|")
    with tempfile.TemporaryDirectory() as tmp, Corpus(Path(tmp) / "scale.db") as corpus:
        added = 0
        for size in (100, 1000, 5000):
            while added < size - 100:
                corpus.add([Article.create(f"{a.text}\n(Ausgabe {added + k})") for k, a in
                            enumerate((sample * 2)[:100])])
                added += 100
            batch = [Article.create(f"{a.text}\n(Ausgabe {added + k})") for k, a in enumerate((sample * 2)[:100])]
            start = time.perf_counter()
            corpus.add(batch)
            added += 100
            print(f"| {size:,} | {100 / (time.perf_counter() - start):,.0f} |")


if __name__ == "__main__":
    main()
