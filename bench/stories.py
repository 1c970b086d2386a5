"""Story clusters: B³ of the online clustering against hand-labelled stories.

    python bench/stories.py [--vectors reader|e5-small|lemma-hash]

tests/gold/stories-de.jsonl labels 173 articles: every article of the news-quotation-2024 train split
published April to August 2005 (a dense stretch of the stream) and the rest of the sample corpus; 5 stories
have more than one article, the others are stories of their own. The articles are analysed and stored in
publication order into a fresh corpus, which clusters them as they arrive (store/stories.py). The table gives
B³ over the labelled articles for the shipped threshold and its neighbours, the all-singletons baseline, and
the cosine of same-story and other pairs published within the window.
"""

from __future__ import annotations

import argparse
import json
import re
import tempfile
from itertools import combinations
from pathlib import Path

import numpy as np

from newsgraph.batch import ingest_items
from newsgraph.evaluation.corpus_entities import b_cubed
from newsgraph.evaluation.data_paths import shared_data_dir
from newsgraph.model import Article
from newsgraph.settings import load_settings
from newsgraph.store import Corpus, stories

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "tests" / "gold" / "stories-de.jsonl"


def labelled_articles() -> list[tuple[Article, str]]:
    sample = {json.loads(li)["title"]: json.loads(li) for li in
              (ROOT / "samples" / "wikinews-de.jsonl").read_text(encoding="utf-8").splitlines()}
    train = shared_data_dir() / "statements" / "news-quotation-2024" / "data" / "train"
    by_number = {re.match(r"\d+", p.name).group(0): p for p in train.glob("*.json")}  # type: ignore[union-attr]
    out = []
    for line in GOLD.read_text(encoding="utf-8").splitlines():
        g = json.loads(line)
        if g["dataset"].startswith("news-quotation"):
            text = json.loads(by_number[g["doc"]].read_text(encoding="utf-8"))["originalText"]
            article = Article.create(text, title=g["title"], published=g["published"], source="Wikinews")
        else:
            s = sample[g["title"]]
            article = Article.create(s["text"], title=s["title"], published=s["published"], source=s["source"],
                                     url=s.get("url"))
        out.append((article, g["story"]))
    return sorted(out, key=lambda x: (x[0].published or "", x[0].id))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vectors", choices=stories.VECTOR_KINDS, default=None,
                        help="vector kind [default: the story_vectors setting, reader]")
    args = parser.parse_args()
    chosen = args.vectors or str(load_settings()["story_vectors"])
    labelled = labelled_articles()
    gold = {(a.id, 0, 0): story for a, story in labelled}
    with tempfile.TemporaryDirectory() as tmp, Corpus(Path(tmp) / "stories.db", story_vectors=chosen) as corpus:
        ingest_items([a for a, _ in labelled], corpus, settings=load_settings())
        kind = corpus.run("SELECT value FROM corpus_meta WHERE key = 'story_vectors'")[0]["value"]
        vecs = {r["article_id"]: np.frombuffer(r["vector"], dtype=np.float32)
                for r in corpus.run("SELECT article_id, vector FROM story_articles")}
        same, other = [], []
        for (a, sa), (b, sb) in combinations(labelled, 2):
            if abs(_day(a) - _day(b)) <= stories.WINDOW_DAYS:
                (same if sa == sb else other).append(float(vecs[a.id] @ vecs[b.id]))
        print(f"vectors: {kind}; cosine within {stories.WINDOW_DAYS} days: same story mean "
              f"{np.mean(same):.3f} (n={len(same)}), other pairs mean {np.mean(other):.3f} "
              f"(95th percentile {np.percentile(other, 95):.3f}, max {max(other):.3f}, n={len(other)})\n")
        print("| clustering | threshold | stories | multi-article stories | B³ P | B³ R | B³ F1 |")
        print("|---|---|---|---|---|---|---|")
        singletons = b_cubed(gold, {m: m for m in gold})
        print(f"| all singletons (baseline) | – | {len(gold)} | 0 | {singletons.precision:.3f} "
              f"| {singletons.recall:.3f} | {singletons.f1:.3f} |")
        articles = list(corpus.iter_articles())
        shipped = stories.THRESHOLDS[kind]
        for threshold in sorted({shipped - 0.10, shipped - 0.05, shipped, shipped + 0.02, shipped + 0.05}):
            stories.THRESHOLDS[kind] = threshold
            stories.rebuild(corpus.conn, articles)
            assigned = {r["article_id"]: r["story_id"] for r in corpus.run("SELECT article_id, story_id"
                                                                          " FROM story_articles")}
            system = {m: assigned[m[0]] for m in gold}
            b3 = b_cubed(gold, system)
            multi = corpus.run("SELECT COUNT(*) AS n FROM stories WHERE size > 1")[0]["n"]
            mark = " (shipped)" if threshold == shipped else ""
            print(f"| online, {stories.WINDOW_DAYS}-day window{mark} | {threshold:.2f} | {len(set(system.values()))} "
                  f"| {multi} | {b3.precision:.3f} | {b3.recall:.3f} | {b3.f1:.3f} |")
        stories.THRESHOLDS[kind] = shipped


def _day(article: Article) -> int:
    from datetime import date

    return date.fromisoformat((article.published or "1970-01-01")[:10]).toordinal()


if __name__ == "__main__":
    main()
