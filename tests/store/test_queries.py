"""Corpus queries on hand-built articles: entities, statements by and about, network, facets."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsgraph.errors import NotFound
from newsgraph.model import Article, Entity, Mention, SpeakerSpan, Statement, TextSpan
from newsgraph.store import Corpus, queries
from newsgraph.store.network import network

TEXT = "Laut Trump war das Gespräch mit Putin gut. Putin schwieg."


def _article(text: str = TEXT, published: str = "2025-02-13") -> Article:
    a = Article.create(text, title="Telefonat", published=published, source="Test")
    trump = Entity("PER:donald-trump", "Donald Trump", "PER", ("Trump",), ("US-Präsident",))
    putin = Entity("PER:wladimir-putin", "Wladimir Putin", "PER", ("Putin",))
    return a.with_layers(
        mentions=[Mention(5, 10, "Trump", "PER", 0), Mention(32, 37, "Putin", "PER", 1),
                  Mention(43, 48, "Putin", "PER", 1)],
        entities=[trump, putin],
        statements=[Statement("Reported", TextSpan(0, 4, "Laut"), SpeakerSpan(5, 10, "Trump", 0),
                              (TextSpan(11, 41, "war das Gespräch mit Putin gut"),), medium="SW")],
    )


@pytest.fixture()
def corpus(tmp_path: Path) -> Corpus:
    c = Corpus(tmp_path / "q.db")
    c.add([_article(), Article.create("Ein zweiter Text ohne Aussagen.", published="2025-03-01")])
    return c


def test_statements_by_speaker_and_about(corpus: Corpus) -> None:
    by = queries.list_statements(corpus, speaker="PER:donald-trump")
    assert by["total"] == 1 and by["statements"][0]["statement"]["speaker"]["text"] == "Trump"
    assert queries.list_statements(corpus, speaker="Trump")["total"] == 1  # part of a name works too
    assert queries.list_statements(corpus, about="PER:wladimir-putin")["total"] == 1
    assert queries.list_statements(corpus, about="PER:donald-trump")["total"] == 0
    assert queries.list_statements(corpus, speaker="PER:wladimir-putin")["total"] == 0
    assert queries.list_statements(corpus, kind="Direct")["total"] == 0
    assert queries.list_statements(corpus, medium="SW")["total"] == 1
    assert queries.list_statements(corpus, medium="Writing")["total"] == 0
    assert "Gespräch mit Putin" in by["statements"][0]["evidence"]


def test_entity_page_data(corpus: Corpus) -> None:
    putin = queries.get_entity(corpus, "PER:wladimir-putin")
    assert putin["name"] == "Wladimir Putin" and putin["timeline"] == [{"month": "2025-02", "mentions": 2}]
    assert len(putin["statements_about"]) == 1 and putin["statements_by"] == []
    with pytest.raises(NotFound):
        queries.get_entity(corpus, "PER:nobody")


def test_network_edges_speaker_to_mentioned(corpus: Corpus) -> None:
    net = network(corpus)
    assert net["edges"] == [{"source": "PER:donald-trump", "target": "PER:wladimir-putin", "weight": 1,
                             "source_name": "Donald Trump", "target_name": "Wladimir Putin", "kind": "quotes"}]
    assert [n["name"] for n in net["nodes"]] == ["Donald Trump", "Wladimir Putin"]
    assert network(corpus, entity="Putin")["edges"] and not network(corpus, entity="Merkel")["edges"]
    assert not network(corpus, date_from="2026")["edges"]  # published 2025
    assert network(corpus, kind="events")["edges"] == []  # no events in these hand-built articles
    with pytest.raises(ValueError):
        network(corpus, kind="likes")


def test_entity_list_and_filters(corpus: Corpus) -> None:
    listing = queries.list_entities(corpus, label="PER")
    assert {e["id"] for e in listing["entities"]} == {"PER:donald-trump", "PER:wladimir-putin"}
    assert queries.list_entities(corpus, label="LOC")["total"] == 0
    arts = queries.list_articles(corpus, entity="PER:donald-trump")
    assert arts["total"] == 1
    months = {f["value"] for f in queries.facets(corpus)["month"]}
    assert months == {"2025-02", "2025-03"}


def test_surname_only_person_joins_the_stored_full_name(corpus: Corpus) -> None:
    text = "Putin sagte nichts."
    later = Article.create(text, published="2025-04-01").with_layers(
        mentions=[Mention(0, 5, "Putin", "PER", 0)], entities=[Entity("PER:putin", "Putin", "PER", ("Putin",))])
    corpus.add([later])
    assert corpus.get(later.id).entities[0].id == "PER:wladimir-putin"
    assert len(queries.get_entity(corpus, "PER:wladimir-putin")["articles"]) == 2


def test_untitled_articles_are_listed_by_their_first_words_on_one_line(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from newsgraph import analyze
    from newsgraph.store import Corpus, queries

    article = analyze("Kurze Meldung\nPutin sagte: „Wir sind bereit.“\nDer Kreml bestätigte das Gespräch.")
    assert article.title is None and article.statements
    with Corpus(tmp_path / "c.db") as corpus:
        corpus.add([article])
        lead = queries.list_articles(corpus)["articles"][0]["lead"]
        title = queries.list_statements(corpus)["statements"][0]["title"]
    assert lead.startswith("Kurze Meldung Putin sagte") and "\n" not in lead
    assert title.startswith("Kurze Meldung Putin") and "\n" not in title


@pytest.mark.parametrize(("text", "expected"), [
    ("Kurz.", "Kurz."),
    ("Ein\nzwei  drei", "Ein zwei …"),
    ("Ein\nzwei", "Ein zwei"),
    ("In einem überraschenden diplomatischen Vorstoß haben US-Präsident Donald Trump und", "In einem …"),
    ("Donaudampfschifffahrtsgesellschaftskapitän", "Donaudampf …"),
])
def test_first_words_cut_after_a_whole_word(text: str, expected: str) -> None:
    from newsgraph.store.corpus import first_words

    assert first_words(text, 10) == expected
