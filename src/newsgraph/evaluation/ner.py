"""Strict span-match NER scores, CoNLL style: a predicted entity counts only with exact boundaries and type."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsgraph.evaluation.bio import bio_spans, read_bio_sentences
from newsgraph.evaluation.counts import prf

Span = tuple[int, int, int, str]  # sentence index, start token, end token (exclusive), label


@dataclass
class Scores:
    tp: Counter[str]
    fp: Counter[str]
    fn: Counter[str]

    def prf(self, label: str | None = None) -> tuple[float, float, float]:
        tp = sum(self.tp.values()) if label is None else self.tp[label]
        fp = sum(self.fp.values()) if label is None else self.fp[label]
        fn = sum(self.fn.values()) if label is None else self.fn[label]
        return prf(tp, tp + fp, tp + fn)

    def labels(self) -> list[str]:
        return sorted(set(self.tp) | set(self.fp) | set(self.fn))


def score(gold: Iterable[Span], pred: Iterable[Span]) -> Scores:
    g, p = set(gold), set(pred)
    return Scores(Counter(s[3] for s in g & p), Counter(s[3] for s in p - g), Counter(s[3] for s in g - p))


def collapse(spans: Iterable[Span]) -> list[Span]:
    """deriv/part folded into their base type (LOCderiv -> LOC)."""
    return [(s, a, b, label.replace("deriv", "").replace("part", "")) for s, a, b, label in spans]


def evaluate_model(nlp: Any, path: Path, tag: Callable[[list[str]], list[str]]) -> dict[str, Any]:
    """Run the NER pipeline over a GermEval file (gold tokenisation); return scores and speed. ``tag`` gives
    each sentence's STTS tags, the feature the network reads, as the morphology stage does (not timed)."""
    from spacy.tokens import Doc

    sentences = list(read_bio_sentences(path))
    docs = [Doc(nlp.vocab, words=words, tags=tag(words)) for words, _ in sentences]
    n_tokens = sum(len(d) for d in docs)
    start = time.perf_counter()
    docs = list(nlp.pipe(docs, batch_size=256))
    seconds = time.perf_counter() - start
    gold = [(i, a, b, lab) for i, (_, tags) in enumerate(sentences) for a, b, lab in bio_spans(tags)]
    pred = [(i, e.start, e.end, e.label_) for i, d in enumerate(docs) for e in d.ents]
    return {"strict": score(gold, pred), "types4": score(collapse(gold), collapse(pred)),
            "tokens": n_tokens, "seconds": seconds}


def evaluate_deep(path: Path, *, threads: int = 1, encoder: Path | None = None) -> dict[str, Any]:
    """The deep reader's NER head over a GermEval file (gold tokenisation, one encoder pass per sentence, valid
    BIO decoding); scores and speed (the encoder pass included). ``encoder``: another ONNX file of the same
    layers (the fp32 export, to measure what int8 costs)."""
    from newsgraph.models import model_path
    from newsgraph.models.accurate import joined
    from newsgraph.models.reader import READER_MODEL, Reader, shipped_heads, shipped_reader, viterbi

    reader = Reader(model_path(READER_MODEL), threads=threads, encoder=encoder) if encoder else shipped_reader(threads)
    heads = shipped_heads()
    labels = heads.labels["ner"]
    sentences = list(read_bio_sentences(path))
    start = time.perf_counter()
    predicted = []
    for words, _ in sentences:
        text, spans = joined(words)
        one = reader.sentences(text, [spans])[0]
        log_probs = heads.token_head("ner", one.states)
        log_probs[~one.covered] = -1e9
        log_probs[~one.covered, 0] = 0.0
        predicted.append([labels[k] for k in viterbi(log_probs, labels)])
    seconds = time.perf_counter() - start
    gold = [(i, a, b, lab) for i, (_, tags) in enumerate(sentences) for a, b, lab in bio_spans(tags)]
    pred = [(i, a, b, lab) for i, tags in enumerate(predicted) for a, b, lab in bio_spans(tags)]
    return {"strict": score(gold, pred), "types4": score(collapse(gold), collapse(pred)),
            "tokens": sum(len(w) for w, _ in sentences), "seconds": seconds}
