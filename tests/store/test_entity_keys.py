"""Corpus-level entity resolution and curation on hand-built articles (store/entities.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsgraph.errors import BadQuery, NotFound
from newsgraph.model import Article, Entity, Mention
from newsgraph.store import Corpus, queries


def _article(text: str, published: str, *entities: Entity) -> Article:
    a = Article.create(text, published=published, source="Test")
    mentions = [Mention(0, 1, e.name, e.label, i) for i, e in enumerate(entities)]
    return a.with_layers(mentions=mentions, entities=list(entities))


def _person(first: str, last: str, *roles: str) -> Entity:
    return Entity(f"PER:{first.lower()}-{last.lower()}", f"{first} {last}", "PER", (f"{first} {last}", last),
                  tuple(roles))


def _surname(last: str, *roles: str) -> Entity:
    return Entity(f"PER:{last.lower()}", last, "PER", (last,), tuple(roles))


def _key(corpus: Corpus, article: Article, idx: int = 0) -> str:
    return corpus.get(article.id).entities[idx].id


@pytest.fixture()
def corpus(tmp_path: Path) -> Corpus:
    return Corpus(tmp_path / "e.db")


def test_surname_joins_the_only_full_name_and_never_two_first_names(corpus: Corpus) -> None:
    putin = _article("Wladimir Putin sprach.", "2025-02-01", _person("Wladimir", "Putin"))
    later = _article("Putin schwieg.", "2025-02-02", _surname("Putin"))
    corpus.add([putin, later])
    assert _key(corpus, later) == "PER:wladimir-putin"
    thomas = _article("Thomas Müller traf.", "2025-02-01", _person("Thomas", "Müller"))
    gerd = _article("Gerd Müller traf früher.", "2025-02-03", _person("Gerd", "Müller"))
    corpus.add([thomas, gerd])
    assert {_key(corpus, thomas), _key(corpus, gerd)} == {"PER:thomas-müller", "PER:gerd-müller"}
    alone = _article("Müller jubelte.", "2025-02-04", _surname("Müller"))
    corpus.add([alone])
    assert _key(corpus, alone) == "PER:müller"  # two candidates, nothing narrows them: no merge


def test_time_window_and_role_narrow_several_candidates(corpus: Corpus) -> None:
    donald = _article("Donald Trump regiert.", "2025-02-01", _person("Donald", "Trump", "US-Präsident"))
    melania = _article("Melania Trump reist.", "2018-05-01", _person("Melania", "Trump"))
    corpus.add([donald, melania])
    in_window = _article("Trump telefonierte.", "2025-02-10", _surname("Trump"))
    by_role = _article("Präsident Trump telefonierte.", "2017-01-01", _surname("Trump", "US-Präsident"))
    unclear = _article("Trump rief an.", "2017-01-01", _surname("Trump"))
    corpus.add([in_window, by_role, unclear])
    assert _key(corpus, in_window) == "PER:donald-trump"
    assert _key(corpus, by_role) == "PER:donald-trump"
    assert _key(corpus, unclear) == "PER:trump"


def test_abbreviation_joins_the_entity_it_is_an_alias_of(corpus: Corpus) -> None:
    eu = Entity("ORG:europäische-union", "Europäische Union", "ORG", ("Europäische Union", "EU"))
    corpus.add([_article("Die Europäische Union (EU) tagt.", "2025-01-01", eu)])
    later = _article("Die EU tagt.", "2025-01-02", Entity("ORG:eu", "EU", "ORG", ("EU",)))
    corpus.add([later])
    assert _key(corpus, later) == "ORG:europäische-union"
    listed = queries.list_entities(corpus, label="ORG")["entities"]
    assert [(e["id"], e["name"], e["articles"]) for e in listed] == [("ORG:europäische-union", "Europäische Union", 2)]


def test_merge_and_split_survive_reanalysis_and_rebuild(corpus: Corpus) -> None:
    full = _article("Olaf Scholz spricht.", "2025-01-01", _person("Olaf", "Scholz"))
    short = _article("Scholz spricht.", "2025-01-02", _surname("Scholz"))
    other = _article("Der Kanzler spricht.", "2025-01-03", Entity("PER:der-kanzler", "der Kanzler", "PER"))
    corpus.add([full, short, other])
    assert _key(corpus, short) == "PER:olaf-scholz"

    assert corpus.split_entity("PER:scholz") == 1  # the journalist knows this Scholz is someone else
    assert corpus.merge_entities("PER:der-kanzler", "PER:olaf-scholz") == 1
    assert _key(corpus, short) == "PER:scholz" and _key(corpus, other) == "PER:olaf-scholz"

    corpus.add([short, other], replace=True)  # re-analysis stores the articles anew
    assert _key(corpus, short) == "PER:scholz" and _key(corpus, other) == "PER:olaf-scholz"
    corpus.rebuild_entities()
    assert _key(corpus, short) == "PER:scholz" and _key(corpus, other) == "PER:olaf-scholz"
    entity = queries.get_entity(corpus, "PER:olaf-scholz")
    assert entity["name"] == "Olaf Scholz" and entity["merged"] == ["PER:der-kanzler"]

    undo = [c.id for c in corpus.entity_curation() if c.action == "split"]
    assert corpus.undo_curation(undo[0]) == 1
    assert _key(corpus, short) == "PER:olaf-scholz"


def test_split_in_one_article_only(corpus: Corpus) -> None:
    full = _article("Olaf Scholz spricht.", "2025-01-01", _person("Olaf", "Scholz"))
    a = _article("Scholz spricht.", "2025-01-02", _surname("Scholz"))
    b = _article("Scholz schweigt.", "2025-01-03", _surname("Scholz"))
    corpus.add([full, a, b])
    corpus.split_entity("PER:scholz", article_id=a.id)
    assert (_key(corpus, a), _key(corpus, b)) == ("PER:scholz", "PER:olaf-scholz")


def test_curation_refuses_bad_requests(corpus: Corpus) -> None:
    corpus.add([_article("Olaf Scholz spricht.", "2025-01-01", _person("Olaf", "Scholz")),
                _article("Berlin.", "2025-01-01", Entity("LOC:berlin", "Berlin", "LOC")),
                _article("Der Kanzler.", "2025-01-01", Entity("PER:der-kanzler", "der Kanzler", "PER"))])
    with pytest.raises(NotFound):
        corpus.merge_entities("PER:nobody", "PER:olaf-scholz")
    with pytest.raises(BadQuery):
        corpus.merge_entities("PER:olaf-scholz", "LOC:berlin")
    with pytest.raises(BadQuery):
        corpus.merge_entities("PER:olaf-scholz", "PER:olaf-scholz")
    corpus.merge_entities("PER:der-kanzler", "PER:olaf-scholz")
    with pytest.raises(BadQuery, match="cycle"):
        corpus.merge_entities("PER:olaf-scholz", "PER:der-kanzler")
    with pytest.raises(NotFound):
        corpus.undo_curation(99)


def test_order_of_arrival_does_not_matter(corpus: Corpus) -> None:
    early = _article("Putin schwieg.", "2025-02-02", _surname("Putin"))
    eu = _article("Die EU tagt.", "2025-01-02", Entity("ORG:eu", "EU", "ORG", ("EU",)))
    corpus.add([early, eu])
    assert (_key(corpus, early), _key(corpus, eu)) == ("PER:putin", "ORG:eu")
    corpus.add([_article("Wladimir Putin sprach.", "2025-02-01", _person("Wladimir", "Putin")),
                _article("Die Europäische Union tagt.", "2025-01-01",
                         Entity("ORG:europäische-union", "Europäische Union", "ORG", ("Europäische Union",)))])
    assert (_key(corpus, early), _key(corpus, eu)) == ("PER:wladimir-putin", "ORG:europäische-union")
    before = {(a.id, e.id) for a in corpus.iter_articles() for e in a.entities}
    corpus.rebuild_entities()
    assert {(a.id, e.id) for a in corpus.iter_articles() for e in a.entities} == before
