"""The deep reader's parts (models/reader.py): lemma edit rules, the role head's inputs, and the shipped
encoder and heads on real sentences."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsgraph.model import Article
from newsgraph.models.reader import (
    MARK_CUE,
    MARK_OTHER_CUE,
    apply_rule,
    distance_bucket,
    lemma_rule,
    role_inputs,
    shipped_heads,
    shipped_reader,
)
from newsgraph.pipeline import Pipeline


@pytest.mark.parametrize(("word", "lemma"), [("Häuser", "Haus"), ("sagte", "sagen"), ("Die", "der"),
                                             ("gestrichen", "streichen"), ("Merkel", "Merkel"), ("am", "an")])
def test_a_lemma_rule_turns_the_word_into_its_lemma(word: str, lemma: str) -> None:
    assert apply_rule(word, lemma_rule(word, lemma)) == lemma


@given(st.text(min_size=1, max_size=12), st.text(min_size=1, max_size=12))
def test_every_rule_inverts_on_its_own_pair(word: str, lemma: str) -> None:
    rule = lemma_rule(word, lemma)
    if rule.startswith("k") or rule == "=":
        assert apply_rule(word, rule) == lemma


def test_a_rule_that_does_not_fit_keeps_the_word() -> None:
    assert apply_rule("zu", "k|5|en") == "zu"
    assert apply_rule("Wort", "no rule") == "Wort"


def test_role_inputs_mark_the_cue_and_measure_from_it() -> None:
    window = [0, 1, 2, 3, 4, 5]
    sentence_of = [0, 0, 0, 1, 1, 1]
    marks, dist, offsets = role_inputs(window, {2}, {4}, sentence_of)
    assert marks.tolist() == [0, 0, MARK_CUE, 0, MARK_OTHER_CUE, 0]
    assert dist[2] == distance_bucket(0) and dist[0] < dist[1] < dist[2] < dist[3]
    assert offsets.tolist() == [0, 0, 0, 2, 2, 2]
    assert distance_bucket(-1000) == 0 and distance_bucket(1000) == distance_bucket(31)


def test_one_pass_gives_every_token_a_state() -> None:
    article = Pipeline(["tokens", "reading"], keep_encoding=True)(
        Article.create("Der Kreml bestätigte das Gespräch. Trump sagte, es sei sehr gut gewesen.", language="de"))
    enc = article.encoding
    assert enc.states.shape == (len(article.tokens), shipped_reader().hidden)
    assert enc.covered.all() and np.isfinite(enc.states).all()
    # the same sentence reads the same in another article: one pass per sentence, no state carried over
    other = Pipeline(["tokens", "reading"], keep_encoding=True)(
        Article.create("Der Kreml bestätigte das Gespräch.", language="de"))
    n = len(other.tokens)
    assert np.allclose(other.encoding.states, enc.states[:n], atol=1e-4)


def test_the_encoding_is_not_kept_past_the_pipeline() -> None:
    article = Pipeline(["tokens", "reading"])(Article.create("Der Kreml bestätigte das Gespräch.", language="de"))
    assert article.encoding is None and "encoding" not in article.to_dict()


def test_a_sentence_past_the_piece_limit_keeps_its_tokens_unread() -> None:
    text = " ".join(["Donaudampfschifffahrtsgesellschaftskapitänsmütze"] * 150) + "."  # one sentence, >510 pieces
    article = Pipeline(["tokens", "reading", "morphology"], keep_encoding=True)(Article.create(text, language="de"))
    enc = article.encoding
    assert enc.covered[:20].all() and not enc.covered[-5:].any()
    assert article.tokens[-2].pos is None and article.tokens[0].pos is not None


def test_the_heads_have_their_label_tables() -> None:
    heads = shipped_heads()
    assert heads.labels["ner"][0] == "O" and "B-PER" in heads.labels["ner"]
    assert {"NN", "NE", "VVFIN", "APPRART"} <= set(heads.labels["stts"])
    for name in ("ner", "cues", "spans", "stts", "upos", "lemma"):
        assert heads.weights[f"{name}.w"].shape[0] == len(heads.labels[name])
