"""BIO-tagged sentence files (GermEval 2014) and the spans their tags mark: read by training and evaluation."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path


def read_bio_sentences(path: Path) -> Iterator[tuple[list[str], list[str]]]:
    """Read GermEval files: ``token<TAB>BIO`` (train) or ``idx token outer inner`` (dev/test, ``#`` lines)."""
    words: list[str] = []
    tags: list[str] = []
    with open(path, encoding="utf-8") as fh:
        for raw in fh:
            line = raw.rstrip("\n")
            if line.startswith("#\t") or line.startswith("# "):
                continue
            if not line.strip():
                if words:
                    yield words, tags
                words, tags = [], []
                continue
            cols = line.split("\t")
            word, tag = (cols[0], cols[1]) if len(cols) == 2 else (cols[1], cols[2])
            words.append(word)
            tags.append(tag)
    if words:
        yield words, tags


def bio_spans(tags: Sequence[str]) -> list[tuple[int, int, str]]:
    """Spans from BIO tags; an I- without a matching B- starts a span (CoNLL convention)."""
    spans: list[tuple[int, int, str]] = []
    start, label = -1, ""
    for i, tag in enumerate([*tags, "O"]):
        if tag == "O" or tag.startswith("B-") or (tag.startswith("I-") and tag[2:] != label):
            if start >= 0:
                spans.append((start, i, label))
            start, label = (i, tag[2:]) if tag != "O" else (-1, "")
    return spans
