"""Train the statements tagger (a CRF over cue / speaker / message / addressee BIO tags) on news-quotation-2024.

Reproduce with ``newsgraph train statements --out DIR`` (deterministic: L-BFGS, fixed settings). The data is
CC BY-NC-SA 4.0, so the model is non-commercial and says so in its card. Select on dev; test is for the
benchmark only.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsgraph.model import Article, content_id
from newsgraph.pipeline.runner import Pipeline
from newsgraph.pipeline.stages.statement_features import article_features, crf_items, sentence_ids

ROLES = {"cue": "CUE", "speaker": "SPK", "quote": "MSG", "addressee": "ADR"}
PRIORITY = ("CUE", "SPK", "ADR", "MSG")  # when annotations overlap on a token


@dataclass
class GoldDoc:
    name: str
    article: Article
    annotations: list[dict[str, Any]]


def load_split(data: Path, split: str, *, limit: int | None = None) -> Iterator[GoldDoc]:
    """Documents of one split, tokenised and tagged by newsgraph (the text is kept byte-for-byte)."""
    prep = Pipeline(["tokens", "morphology", "entities", "coref"])
    folder = data / "statements/news-quotation-2024/data" / split
    for n, path in enumerate(sorted(folder.glob("*.json"))):
        if limit is not None and n >= limit:
            break
        doc = json.loads(path.read_text(encoding="utf-8"))
        text = doc["originalText"]
        article = prep(Article(text=text, id=content_id(text), language="de"))
        yield GoldDoc(path.name, article, doc["annotations"])


SPKATT_ROLES = {"Cue": "cue", "Source": "speaker", "Message": "quote", "Addr": "addressee"}


def load_spkatt(data: Path) -> Iterator[GoldDoc]:
    """GermEval 2023 SpkAtt train (Bundestag speeches) in the news-quotation annotation shape: the tokens are
    joined with spaces into a text, and each role's token ids become character spans."""
    prep = Pipeline(["tokens", "morphology", "entities", "coref"])
    for path in sorted((data / "statements/spkatt2023-parliament/train").rglob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        offsets: dict[str, tuple[int, int]] = {}
        parts: list[str] = []
        pos = 0
        for sent in doc["Sentences"]:
            for ti, tok in enumerate(sent["Tokens"]):
                offsets[f"{sent['SentenceId']}:{ti}"] = (pos, pos + len(tok))
                parts.append(tok)
                pos += len(tok) + 1
        text = " ".join(parts)
        annotations = []
        for ann in doc.get("Annotations", []):
            converted: dict[str, Any] = {"isNested": False}
            for src, dst in SPKATT_ROLES.items():
                spans = sorted(offsets[t] for t in ann.get(src, []) if t in offsets)
                merged: list[list[int]] = []
                for b, e in spans:
                    if merged and b <= merged[-1][1] + 1:
                        merged[-1][1] = max(merged[-1][1], e)
                    else:
                        merged.append([b, e])
                converted[dst] = {"spans": [{"charBegin": b, "charEnd": e} for b, e in merged]}
            annotations.append(converted)
        article = prep(Article(text=text, id=content_id(text), language="de"))
        yield GoldDoc(path.name, article, annotations)


def char_spans(role: dict[str, Any] | list[Any]) -> list[tuple[int, int]]:
    if not isinstance(role, dict):
        return []
    return [(s["charBegin"], s["charEnd"]) for s in role.get("spans", [])]


def token_labels(doc: GoldDoc) -> list[str]:
    """BIO labels on newsgraph's tokens, from the outer (non-nested) gold annotations."""
    tokens = doc.article.tokens
    owner: list[tuple[str, int] | None] = [None] * len(tokens)
    for ai, ann in enumerate(doc.annotations):
        if ann.get("isNested"):
            continue
        for key, tag in ROLES.items():
            for start, end in char_spans(ann[key]):
                for i, t in enumerate(tokens):
                    if t.start < end and t.end > start:
                        cur = owner[i]
                        if cur is None or PRIORITY.index(tag) < PRIORITY.index(cur[0]):
                            owner[i] = (tag, ai)
    labels = []
    for i, o in enumerate(owner):
        if o is None:
            labels.append("O")
        else:
            labels.append(("I-" if i > 0 and owner[i - 1] == o else "B-") + o[0])
    return labels


def sequences(doc: GoldDoc) -> Iterator[tuple[list[dict[str, float]], list[str]]]:
    labels = token_labels(doc)
    sids = sentence_ids(doc.article)
    feats = article_features(doc.article)
    start = 0
    for sent_feats in feats:
        n = len(sent_feats)
        yield crf_items(sent_feats), labels[start:start + n]
        start += n
    assert start == len(sids)


def train_statements(data: Path, out: Path, *, c1: float = 0.05, c2: float = 0.05, max_iterations: int = 200,
                     spkatt: bool = False) -> Path:
    import pycrfsuite

    out.mkdir(parents=True, exist_ok=True)
    start = time.time()
    trainer = pycrfsuite.Trainer(verbose=False)
    n_docs = 0
    for doc in load_split(data, "train"):
        n_docs += 1
        for items, labels in sequences(doc):
            trainer.append(items, labels)
    if spkatt:
        for doc in load_spkatt(data):
            n_docs += 1
            for items, labels in sequences(doc):
                trainer.append(items, labels)
    print(f"features ready for {n_docs} train documents in {time.time() - start:.0f}s", flush=True)
    trainer.set_params({"c1": c1, "c2": c2, "max_iterations": max_iterations,
                        "feature.possible_transitions": True})
    model = out / "model.crfsuite"
    trainer.train(str(model))
    meta = {"c1": c1, "c2": c2, "max_iterations": max_iterations, "train_documents": n_docs, "spkatt": spkatt,
            "training_seconds": round(time.time() - start)}
    (out / "training_run.json").write_text(json.dumps(meta, indent=2), encoding="utf-8")
    return model
