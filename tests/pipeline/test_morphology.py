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


def test_fast_tagger_gives_tags_lemmas_and_mood() -> None:
    from newsgraph.model import Article
    from newsgraph.pipeline import Pipeline
    from newsgraph.settings import load_settings

    fast = Pipeline(["language", "tokens", "reading", "morphology"], settings={**load_settings(), "tagger": "fast"})
    article = fast(Article.create("Beide hätten vereinbart, die Zusammenarbeit zu intensivieren."))
    token = next(t for t in article.tokens if article.text[t.start:t.end] == "hätten")
    assert (token.lemma, token.pos) == ("haben", "VAFIN")
    assert token.morph is not None and "Mood=Sub" in token.morph


def test_unknown_tagger_is_a_usage_error() -> None:
    from newsgraph.errors import UsageError
    from newsgraph.settings import load_settings

    with pytest.raises(UsageError, match="hanta, fast"):
        load_settings({"tagger": "spacy"})


# Floors measured by bench/tagger.py on UD German-GSD dev (the fast tagger; HanTa scores 0.911 / 0.978 on test).
FAST_TAGGER_DEV_FLOORS = {"stts_acc": 0.905, "lemma_acc": 0.955}


def test_fast_tagger_ud_gsd_dev_floor(shared_data) -> None:  # type: ignore[no-untyped-def]
    from newsgraph.evaluation.tagging import read_ud, score_ud
    from newsgraph.pipeline.stages.morphology import shipped_tagger

    scores = score_ud(shipped_tagger().tag_words,
                      list(read_ud(shared_data / "treebanks/ud-german-gsd-devtest/de_gsd-ud-dev.conllu")))
    assert all(scores[k] >= floor for k, floor in FAST_TAGGER_DEV_FLOORS.items()), scores


def test_overlong_token_is_tagged_without_analysis() -> None:
    import time

    from newsgraph.pipeline.hanta import tag_words

    # Before: HanTa's morpheme search on a 5,000-letter token took minutes (found by bench/fuzz.py).
    start = time.process_time()
    tagged = tag_words(["Der", "eil" * 1700, "sagte", "."])
    assert time.process_time() - start < 2.0
    assert tagged[1] == ("eil" * 1700, "XY") and tagged[2] == ("sagen", "VVFIN")
