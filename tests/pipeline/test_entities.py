"""Entities on the seed article, in-article merging, coref gold, and the GermEval dev floor."""

from __future__ import annotations

import pytest

from newsgraph import analyze
from newsgraph.model import Article


def _entity(article: Article, name: str):  # type: ignore[no-untyped-def]
    found = [e for e in article.entities if e.name == name]
    assert found, f"{name!r} not among {[e.name for e in article.entities]}"
    return found[0]


@pytest.mark.parametrize(("name", "label"), [
    ("Donald Trump", "PER"), ("Wladimir Putin", "PER"), ("Wolodymyr Selenskyj", "PER"), ("Pete Hegseth", "PER"),
    ("Ukraine", "LOC"), ("Russland", "LOC"), ("Brüssel", "LOC"), ("Moskau", "LOC"), ("Deutschland", "LOC"),
])
def test_seed_entities(seed_article: Article, name: str, label: str) -> None:
    assert _entity(seed_article, name).label == label


def test_seed_roles(seed_article: Article) -> None:
    assert "US-Verteidigungsminister" in _entity(seed_article, "Pete Hegseth").roles
    assert "US-Präsident" in _entity(seed_article, "Donald Trump").roles
    assert "Russlands Präsident" in _entity(seed_article, "Wladimir Putin").roles


@pytest.mark.parametrize(("surface", "name"), [("Trump", "Donald Trump"), ("Putin", "Wladimir Putin")])
def test_all_mentions_of_a_person_merge(seed_article: Article, surface: str, name: str) -> None:
    ids = {m.entity for m in seed_article.mentions if m.text == surface}
    assert ids == {seed_article.entities.index(_entity(seed_article, name))}


def test_pronoun_resolves_to_putin(seed_article: Article) -> None:
    er = next(m for m in seed_article.mentions if m.text == "Er")
    assert er.form == "pronoun" and seed_article.entities[er.entity].name == "Wladimir Putin"  # type: ignore[index]


@pytest.mark.parametrize(("text", "role", "nominal"), [
    ("US-Präsident Donald Trump sprach lange. Der US-Präsident sagte danach wenig.", "US-Präsident",
     "Der US-Präsident"),
    ("Russlands Präsident Wladimir Putin kam. Der Kremlchef lächelte.", "Russlands Präsident", "Der Kremlchef"),
])
def test_role_nouns_refer_back(text: str, role: str, nominal: str) -> None:
    article = analyze(text)
    person = next(e for e in article.entities if e.label == "PER")
    assert role in person.roles
    m = next(m for m in article.mentions if m.text == nominal)
    assert m.form == "nominal" and article.entities[m.entity] == person  # type: ignore[index]


def test_no_entities_in_plain_prose() -> None:
    assert analyze("Das Wetter war am Morgen schön und am Abend regnerisch.").entities == ()


# Floors measured by bench/coref.py and bench/ner.py. Never lower them.
COREF_FLOORS = {"precision": 0.95, "recall": 0.84}
NER_DEV_F1_FLOOR = 0.74


def test_coref_gold_floor() -> None:
    from collections import Counter
    from pathlib import Path

    from newsgraph.evaluation.coref import load_gold, pairwise, score

    total: Counter[str] = Counter()
    for text, clusters in load_gold(Path(__file__).resolve().parents[2]):
        total.update(pairwise(analyze(text), clusters))
    s = score(dict(total))
    assert s["precision"] >= COREF_FLOORS["precision"] and s["recall"] >= COREF_FLOORS["recall"], s


def test_germeval_dev_floor(shared_data) -> None:  # type: ignore[no-untyped-def]
    from newsgraph.evaluation.ner import evaluate_model
    from newsgraph.pipeline.stages.mentions import shipped_ner
    from newsgraph.pipeline.stages.morphology import stts_tags

    res = evaluate_model(shipped_ner(), shared_data / "ner/germeval2014/NER-de-dev.tsv", stts_tags)
    assert res["strict"].prf()[2] >= NER_DEV_F1_FLOOR


def test_an_affiliation_merged_into_another_name_points_at_it() -> None:
    article = analyze("Bundeskanzler Olaf Scholz (SPD) sprach am Mittwoch im Bundestag. Die Sozialdemokratische "
                      "Partei Deutschlands (SPD) tagte danach in Berlin.")
    assert not article.meta.get("failed_stages")
    scholz = next(e for e in article.entities if e.name == "Olaf Scholz")
    [party] = [article.entities[i] for i in scholz.affiliations]
    assert "SPD" in party.aliases


@pytest.mark.parametrize("note", ["Englisch", "auf Russisch", "Deutsch"])
def test_a_language_in_brackets_is_neither_short_form_nor_party(note: str) -> None:
    article = analyze(f"Der Autor John Smith ({note}) schrieb ein Buch. Die Universität Oxford ({note}) lobte es. "
                      "Später sagte John Smith, er sei zufrieden.")
    assert not article.meta.get("failed_stages")
    smith = next(e for e in article.entities if e.name == "John Smith")
    assert smith.affiliations == ()
