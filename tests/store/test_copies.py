"""Copies and rewrites: shared passages found through the LSH index in the store, credits, no false links."""

from __future__ import annotations

import json
from pathlib import Path

from newsgraph.model import Article
from newsgraph.store import Corpus
from newsgraph.store.copies import credits

ROOT = Path(__file__).resolve().parents[2]


def _sample(n: int) -> list[Article]:
    lines = (ROOT / "samples" / "wikinews-de.jsonl").read_text(encoding="utf-8").splitlines()
    rows = [json.loads(line) for line in lines]
    return [Article.create(r["text"], title=r.get("title"), source="Wikinews") for r in rows[:n]]


def test_a_rewrite_is_linked_to_its_source_with_both_spans(tmp_path: Path) -> None:
    source, other, *_ = articles = _sample(12)
    sentences = source.text.split(". ")
    rewrite = Article.create("BERLIN (dpa) – " + ". ".join(sentences[:1] + sentences[2:]), title="Neu",
                             source="Agentur")
    with Corpus(tmp_path / "c.db") as corpus:
        corpus.add(articles)
        assert all(corpus.reuse(a.id) == [] for a in articles)  # distinct articles: no links
        corpus.add([rewrite])
        found = corpus.copies(rewrite.id)
        assert found["credits"] == ["dpa"]
        [link] = found["reuse"]
        assert link["id"] == source.id and 0.5 < link["share"] <= 1.0
        for p in link["passages"]:
            here, there = rewrite.text[p["start"]:p["end"]], source.text[p["other_start"]:p["other_end"]]
            assert here.split()[-3:] == there.split()[-3:]
        assert corpus.reuse(source.id)[0]["id"] == rewrite.id  # and the other way round
        assert corpus.reuse(other.id) == []
        pairs = corpus.copy_pairs(min_share=0.2)
        assert len(pairs) == 1 and {pairs[0]["id"], pairs[0]["other_id"]} == {source.id, rewrite.id}


def test_short_texts_are_not_compared(tmp_path: Path) -> None:
    with Corpus(tmp_path / "c.db") as corpus:
        corpus.add([Article.create("Berlin (dpa) – Kurz."), Article.create("Berlin (dpa) – Kurz!")])
        assert corpus.copy_pairs(min_share=0.0) == []


def test_credits() -> None:
    assert credits("BERLIN (dpa/AFP) – Die Regierung …") == ["dpa", "AFP"]
    assert credits("Text ohne Agentur. Die APA-Studie und das Adapter-Kabel.") == []
    assert credits("… am Ende. (epd)") == ["epd"]
