"""Cross-document entity coreference: one corpus entity per real-world referent?

    python bench/corpus_entities.py

Two gold sets, each scored twice: with the keys each article's analysis gives its entities (within article)
and with the corpus keys after merging across articles (store/entities.py):

- N3 News-100 (../shared/data/linking/n3-news100, CC BY-NC-SA): 100 German news articles; mentions linked to
  the same DBpedia (or notInWiki) URI are one gold entity. The articles are analysed and stored into a fresh
  corpus in file order.
- tests/gold/corpus-entities-de.jsonl: 226 mentions of 31 referents across 68 sample-corpus articles
  (docs/corpus-entities.md says how it was made); the sample corpus is stored into a fresh corpus.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from newsgraph.batch import ingest, ingest_items
from newsgraph.evaluation.corpus_entities import load_own_gold, read_n3, score
from newsgraph.evaluation.data_paths import shared_data_dir
from newsgraph.model import Article
from newsgraph.settings import load_settings
from newsgraph.store import Corpus
from newsgraph.store.entities import mention_keys

ROOT = Path(__file__).resolve().parents[1]


def n3_corpus(folder: Path) -> tuple[Corpus, dict[tuple[str, int, int], str]]:
    corpus = Corpus(folder / "n3.db")
    docs = list(read_n3(shared_data_dir() / "linking" / "n3-news100" / "News-100.ttl"))
    articles = [Article.create(text, source="N3 News-100", url=uri) for uri, text, _ in docs]
    ingest_items(articles, corpus, settings=load_settings())
    gold = {(a.id, s, e): ref for a, (_, _, spans) in zip(articles, docs, strict=True) for s, e, ref in spans}
    return corpus, gold


def sample_corpus(folder: Path) -> tuple[Corpus, dict[tuple[str, int, int], str]]:
    corpus = Corpus(folder / "sample.db")
    ingest([str(ROOT / "samples" / "wikinews-de.jsonl")], corpus, settings=load_settings())
    return corpus, load_own_gold(ROOT / "tests" / "gold" / "corpus-entities-de.jsonl")  # type: ignore[return-value]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=["n3", "sample"], default=None)
    args = parser.parse_args()
    print("| gold | keys | articles | mentions | entities | mentions found | B³ P | B³ R | B³ F1 | pair P | pair R "
          "| pair F1 |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for name, build in (("N3 News-100", n3_corpus), ("sample corpus (own)", sample_corpus)):
            if args.only and not name.lower().startswith(args.only):
                continue
            corpus, gold = build(Path(tmp))
            with corpus:
                ids = sorted({m[0] for m in gold})
                variants = {"names only": mention_keys(corpus.conn, ids, column="local_key"),
                            "merged across articles": mention_keys(corpus.conn, ids, column="key")}
                for r in score(gold, variants):
                    print(f"| {name} | {r['variant']} | {r['articles']} | {r['mentions']} | {r['entities']} "
                          f"| {r['found']:.3f} | {r['b3_p']:.3f} | {r['b3_r']:.3f} | {r['b3_f1']:.3f} "
                          f"| {r['pair_p']:.3f} | {r['pair_r']:.3f} | {r['pair_f1']:.3f} |")


if __name__ == "__main__":
    main()
