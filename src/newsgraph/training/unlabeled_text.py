"""Unlabeled German text for vectors and pretraining: train splits (and split-less corpora), never dev/test,
and no non-commercial (NC) corpora, so that the entity model built on it stays free of NC terms."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

_TAG = re.compile(r"<[^>]+>")


def germeval_train_sentences(data: Path) -> Iterator[str]:
    tokens: list[str] = []
    with open(data / "ner/germeval2014/NER-de-train.outer.bio.tsv", encoding="utf-8") as fh:
        for line in fh:
            line = line.rstrip("\n")
            if not line:
                if tokens:
                    yield " ".join(tokens)
                tokens = []
            elif not line.startswith("#"):
                tokens.append(line.split("\t")[0])
    if tokens:
        yield " ".join(tokens)


def quotation_train_texts(data: Path) -> Iterator[str]:
    for path in sorted((data / "statements/news-quotation-2024/data/train").glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        for sent in doc["sentences"]:
            yield " ".join(sent["tokens"])


def europarl_train_sentences(data: Path) -> Iterator[str]:
    tokens: list[str] = []
    with open(data / "ner/europarl/train.tsv", encoding="utf-8") as fh:
        for line in fh:
            cols = line.rstrip("\n").split("\t")
            if len(cols) < 2:
                if tokens:
                    yield " ".join(tokens)
                tokens = []
            else:
                tokens.append(cols[0])


def spkatt_train_sentences(data: Path) -> Iterator[str]:
    for path in sorted((data / "statements/spkatt2023-parliament/train").rglob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        for sent in doc.get("Sentences", []):
            yield " ".join(sent["Tokens"])


def redewiedergabe_sentences(data: Path) -> Iterator[str]:
    for path in sorted((data / "statements/redewiedergabe/data").rglob("*.tsv")):
        tokens: list[str] = []
        with open(path, encoding="utf-8") as fh:
            next(fh, None)
            for line in fh:
                cols = line.split("\t")
                if len(cols) < 6:
                    continue
                if cols[5] == "yes" and tokens:
                    yield " ".join(tokens)
                    tokens = []
                tokens.append(cols[0])
        if tokens:
            yield " ".join(tokens)


def legal_timex_sentences(data: Path) -> Iterator[str]:
    for path in sorted((data / "time/legal-timex/dataset_courts_timex").glob("*.txt")):
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("<?") or line.startswith("<!"):
                    continue
                text = _TAG.sub("", line).strip()
                if text:
                    yield text


# news-quotation-2024 and redewiedergabe are CC BY-NC-SA: readers kept for experiments, not used by default.
NC_SOURCES = {
    "news-quotation-2024-train": quotation_train_texts,
    "redewiedergabe": redewiedergabe_sentences,
}
SOURCES = {
    "germeval2014-train": germeval_train_sentences,       # CC BY 4.0
    "europarl-train": europarl_train_sentences,            # no licence stated (Faruqui & Padó)
    "spkatt2023-train": spkatt_train_sentences,            # CC BY-SA 4.0
    "legal-timex": legal_timex_sentences,                  # CC BY 4.0
}


def write_corpus(data: Path, out: Path) -> dict[str, int]:
    """Write one tokenised sentence per line; return token counts per source."""
    counts: dict[str, int] = {}
    with open(out, "w", encoding="utf-8") as fh:
        for name, source in SOURCES.items():
            n = 0
            for sentence in source(data):
                fh.write(sentence + "\n")
                n += sentence.count(" ") + 1
            counts[name] = n
    return counts
