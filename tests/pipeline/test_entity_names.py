"""Base forms of names: one entity per referent whatever case the article used."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsgraph import analyze
from newsgraph.pipeline.entity_names import base_name, gender

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(("words", "expected"), [
    ([("Europäischen", "ADJA", "europäisch"), ("Union", "NN", "Union")], "Europäische Union"),
    ([("Statistischen", "ADJA", "statistisch"), ("Bundesamtes", "NN", "Bundesamt")], "Statistisches Bundesamt"),
    ([("Weißen", "ADJA", "weiß"), ("Hauses", "NN", "Haus")], "Weißes Haus"),
    ([("Europäischen", "ADJA", "europäisch"), ("Gerichtshof", "NN", "Gerichtshof")], "Europäischer Gerichtshof"),
    ([("Europäischer", "ADJA", "europäisch"), ("Zentralbank", "NN", "Zentralbank")], "Europäische Zentralbank"),
    ([("Bundesamts", "NN", "Bundesamt"), ("für", "APPR", "für"), ("Umwelt", "NN", "Umwelt")],
     "Bundesamt für Umwelt"),
    ([("Vereinten", "ADJA", "vereint"), ("Nationen", "NN", "Nation")], "Vereinte Nationen"),  # plural stays
    ([("FC", "NE", "Fc"), ("Bayern", "NE", "Bayern")], "FC Bayern"),  # the surface's spelling is kept
    ([("Washingtoner", "ADJA", "washingtoner"), ("SITE-Institut", "NN", "Site-institut")],
     "Washingtoner SITE-Institut"),  # an undeclined adjective stays
])
def test_base_names(words: list[tuple[str, str, str]], expected: str) -> None:
    assert base_name(words) == expected


def test_names_it_cannot_read_stay_as_written() -> None:
    # a declined adjective before a noun of unknown gender
    assert base_name([("Blauen", "ADJA", "blau"), ("Zwiebelturm", "NN", "Zwiebelturm")]) is None
    assert gender("Zwiebelturm") is None and gender("Zentralbank") == "f" and gender("Bundesamt") == "n"
    assert base_name([("von", "APPR", "von"), ("Bülow", "NE", "Bülow")]) is None  # no head noun first


def test_an_inflected_name_gets_its_base_form_as_entity_name() -> None:
    article = analyze("Die Kritik der Europäischen Union am Weißen Hauses wuchs. Der Sprecher des Statistischen "
                      "Bundesamtes schwieg.")
    names = {e.name: e.id for e in article.entities}
    assert names.get("Europäische Union") == "ORG:europäische-union"
    assert "Weißes Haus" in names and "Statistisches Bundesamt" in names
    aliases = {a for e in article.entities for a in e.aliases}
    assert {"Europäischen Union", "Weißen Hauses"} <= aliases  # the forms as written stay as aliases


def test_sample_corpus_has_one_entity_per_referent(sample_db: Path) -> None:
    """Issue 14's check: the inflected duplicates found on the sample corpus are one entity each."""
    import sqlite3

    with sqlite3.connect(sample_db) as conn:
        keys = {k for (k,) in conn.execute("SELECT DISTINCT key FROM entities")}
    for base, inflected in [("ORG:europäische-union", "ORG:europäischen-union"),
                            ("ORG:europäische-kommission", "ORG:europäischen-kommission"),
                            ("ORG:europäischer-gerichtshof", "ORG:europäischen-gerichtshof"),
                            ("LOC:weißes-haus", "LOC:weißen-hauses")]:
        assert base in keys and inflected not in keys, base
    assert "ORG:europäische-gerichtshof" not in keys


def test_a_party_in_brackets_is_an_organisation_the_person_belongs_to() -> None:
    article = analyze("Bundeskanzler Olaf Scholz (SPD) sagte, die Regierung werde handeln. Die SPD widersprach. "
                      "Die Internationale Atomenergie-Organisation (IAEO) prüft.")
    by_name = {e.name: (i, e) for i, e in enumerate(article.entities)}
    scholz, spd = by_name["Olaf Scholz"][1], by_name["SPD"]
    assert "SPD" not in scholz.aliases and spd[1].label == "ORG"
    assert scholz.affiliations == (spd[0],)
    assert all(m.entity == spd[0] for m in article.mentions if m.text == "SPD")
    # after an organisation, a bracketed name is still its short form
    assert "IAEO" in by_name["Internationale Atomenergie-Organisation"][1].aliases
