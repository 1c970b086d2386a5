"""Sentence and token boundaries: a table of German cases, negative cases included."""

from __future__ import annotations

import pytest

from newsgraph.pipeline.stages.tokens import split_sentences, tokenize

CASES = [
    ("Der Kreml bestätigte das Gespräch. Trump sprach von Erfolg.", 2),
    # ordinals and abbreviations do not end a sentence
    ("Am 5. August 1930 wurde er geboren. Er war z. B. Testpilot.", 2),
    ("Dr. Müller und Prof. Schmidt kamen u. a. nach Bonn.", 1),
    ("John F. Kennedy sprach in Berlin.", 1),
    # closing quotation marks stay with their sentence
    ("Er sagte: „Wir gehen.“ Dann ging er.", 2),
    ("Sie rief »Halt!« Niemand hörte sie.", 2),
    ("Das Telefonat verlief laut Trump „lang und sehr produktiv“. Beide hätten vereinbart, zu reden.", 2),
    # paragraph breaks always end a sentence, even without punctuation
    ("Überschrift ohne Punkt\nDer Text beginnt hier.", 2),
    ("Was nun? Niemand weiß es!", 2),
    ("Es war 14.30 Uhr am 3.10.2024 in Berlin.", 1),
]


@pytest.mark.parametrize(("text", "n"), CASES)
def test_sentence_count(text: str, n: int) -> None:
    sents = split_sentences(text, tokenize(text))
    assert len(sents) == n, [text[s:e] for s, e in sents]
    assert sents[0][0] == 0 and sents[-1][1] == len(text)


def test_quote_marks_are_tokens_and_offsets_are_exact() -> None:
    text = "Er sagte „lang“ und »kurz«."
    toks = [text[s:e] for s, e, _ in tokenize(text)]
    assert toks == ["Er", "sagte", "„", "lang", "“", "und", "»", "kurz", "«", "."]


def test_seed_article_has_sixteen_sentences(seed_article) -> None:  # type: ignore[no-untyped-def]
    assert len(seed_article.sentences) == 16
    first = seed_article.sentences[0]
    assert seed_article.text[first.start:first.end].endswith("abzielt.")
