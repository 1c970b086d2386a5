from __future__ import annotations

import pytest

from newsgraph import analyze

CASES = [
    ("Beide hätten vereinbart, die Zusammenarbeit zu intensivieren.", "hätten", "haben", "VAFIN"),
    ("Der Kreml bestätigte das Gespräch.", "bestätigte", "bestätigen", "VVFIN"),
    ("Russlands Präsident sprach.", "Russlands", "Russland", "NE"),
    ("Die Gespräche verliefen gut.", "Gespräche", "Gespräch", "NN"),
]


@pytest.mark.parametrize(("text", "word", "lemma", "pos"), CASES)
def test_lemma_and_pos(text: str, word: str, lemma: str, pos: str) -> None:
    article = analyze(text)
    tok = next(t for t in article.tokens if article.text[t.start:t.end] == word)
    assert (tok.lemma, tok.pos) == (lemma, pos)


def test_every_german_token_gets_lemma_and_pos(seed_article) -> None:  # type: ignore[no-untyped-def]
    assert all(t.lemma and t.pos for t in seed_article.tokens)
