"""Train the statements taggers (CRFs: cues, per-cue roles, role spans) on news-quotation-2024.

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
from newsgraph.pipeline.stages.statement_features import (
    KINDS,
    MEDIA,
    Roles,
    article_features,
    continuations,
    crf_items,
    cue_role_items,
    kind_features,
    medium_features,
    sentence_groups,
    sentence_ids,
    sentence_items,
)
from newsgraph.settings import load_settings

# The CRFs were trained on HanTa's tags and the lite NER's mentions, and the deep reader learns HanTa's tags from
# these documents: the gold documents are prepared by the lite tier.
LITE = {**load_settings(), "tier": "lite"}
ROLES = {"cue": "CUE", "speaker": "SPK", "quote": "MSG", "addressee": "ADR"}
PRIORITY = ("CUE", "SPK", "ADR", "MSG")  # when annotations overlap on a token


@dataclass
class GoldDoc:
    name: str
    article: Article
    annotations: list[dict[str, Any]]


def load_split(data: Path, split: str, *, limit: int | None = None) -> Iterator[GoldDoc]:
    """Documents of one split, tokenised and tagged by newsgraph (the text is kept byte-for-byte)."""
    prep = Pipeline(["tokens", "reading", "morphology", "mentions", "entities"], settings=LITE)
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
    prep = Pipeline(["tokens", "reading", "morphology", "mentions", "entities"], settings=LITE)
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


def sentence_sequences(doc: GoldDoc, feats: list[list[dict[str, float | str]]]
                       ) -> Iterator[tuple[list[dict[str, float]], list[str], list[str]]]:
    """Per sentence: CRF items, span-tagger labels and cue-tagger labels."""
    spans, cues = token_labels(doc), cue_labels(doc)
    start = 0
    for sent_feats in feats:
        end = start + len(sent_feats)
        yield crf_items(sent_feats), spans[start:end], cues[start:end]
        start = end
    assert start == len(doc.article.tokens)


def cue_labels(doc: GoldDoc) -> list[str]:
    """BIO cue labels from every annotation, nested ones too: the cue tagger sees all cues, also those inside
    another statement's message."""
    tokens = doc.article.tokens
    owner: list[tuple[int, int] | None] = [None] * len(tokens)
    for ai, ann in enumerate(doc.annotations):
        for start, end in char_spans(ann["cue"]):
            for i, t in enumerate(tokens):
                if t.start < end and t.end > start and owner[i] is None:
                    owner[i] = (ai, start)
    return ["O" if o is None else ("I-CUE" if i and owner[i - 1] == o else "B-CUE") for i, o in enumerate(owner)]


def token_ids(article: Article, spans: list[tuple[int, int]]) -> set[int]:
    return {i for i, t in enumerate(article.tokens) if any(t.start < e and t.end > b for b, e in spans)}


def cue_units(doc: GoldDoc) -> dict[frozenset[int], list[dict[str, Any]]]:
    """Distinct cue token sets and the annotations that share each."""
    units: dict[frozenset[int], list[dict[str, Any]]] = {}
    for ann in doc.annotations:
        cue = frozenset(token_ids(doc.article, char_spans(ann["cue"])))
        if cue:
            units.setdefault(cue, []).append(ann)
    return units


def role_labels(doc: GoldDoc, window: list[int], annotations: list[dict[str, Any]]) -> list[str]:
    """BIO speaker / message / addressee labels of one cue's window, from its outermost annotation."""
    ann = min(annotations, key=lambda a: bool(a.get("isNested")))
    owner: dict[int, str] = {}
    for key in ("speaker", "addressee", "quote"):  # speaker wins over addressee over message
        for i in token_ids(doc.article, char_spans(ann[key])):
            owner.setdefault(i, ROLES[key])
    labels: list[str] = []
    prev = None
    for i in window:
        tag = owner.get(i)
        labels.append("O" if tag is None else ("I-" if prev == tag else "B-") + tag)
        prev = tag
    return labels


def role_sequences(doc: GoldDoc, flat: list[dict[str, float | str]]) -> Iterator[tuple[list[dict[str, float]], list[str]]]:
    sids = sentence_ids(doc.article)
    units = cue_units(doc)
    all_cues = set().union(*units) if units else set()
    for cue, anns in units.items():
        window, items = cue_role_items(doc.article, flat, sids, set(cue), all_cues - cue)
        yield items, role_labels(doc, window, anns)


# One CRF per task; c1/c2 chosen on dev (cue and role taggers: 0.02/0.1 beat 0.05/0.05, 0.1/0.01 and 0.2/0.05).
MODELS: dict[str, dict[str, float]] = {
    "cues": {"c1": 0.02, "c2": 0.1},
    "roles": {"c1": 0.02, "c2": 0.1},
    "spans": {"c1": 0.05, "c2": 0.05},
    "medium": {"c1": 0.0, "c2": 1.0},
    "sentences": {"c1": 0.05, "c2": 0.1},
    "kind": {"c1": 0.0, "c2": 1.0},
}


def kind_examples(doc: GoldDoc) -> Iterator[tuple[dict[str, float], str]]:
    """One example per outer gold annotation with a message, features from its gold spans, in text order
    (for "continues", as at run time)."""
    annotations = sorted((a for a in doc.annotations if not a.get("isNested") and char_spans(a["quote"])
                          and a["type"] in KINDS),
                         key=lambda a: min(b for b, _ in char_spans(a["quote"]) + char_spans(a["cue"])))
    roles = [gold_roles(a) for a in annotations]
    for ann, role, continues in zip(annotations, roles, continuations(roles), strict=True):
        yield kind_features(doc.article, *role, continues), ann["type"]


def gold_roles(ann: dict[str, Any]) -> Roles:
    """A gold annotation's cue, (first) speaker and message as character spans."""
    speaker = char_spans(ann["speaker"])
    return char_spans(ann["cue"]), speaker[0] if speaker else None, char_spans(ann["quote"])


def sentence_sequence(doc: GoldDoc) -> tuple[list[dict[str, float]], list[str]]:
    """The article's sentences, labelled S where a gold cue-less statement covers half of the sentence (or the
    sentence holds half of its message); the features see the gold cue statements."""
    article = doc.article
    groups = sentence_groups(article)
    sids = sentence_ids(article)
    claimed: set[int] = set()
    cue_sentences: set[int] = set()
    cueless: list[set[int]] = []
    for ann in doc.annotations:
        cue = token_ids(article, char_spans(ann["cue"]))
        message = token_ids(article, char_spans(ann["quote"]))
        if cue:
            claimed |= cue | message
            cue_sentences.add(sids[min(cue)])
        elif message:
            cueless.append(message)
    labels = []
    for s in sorted(groups):
        mine = set(groups[s])
        hit = any(len(m & mine) >= 0.5 * len(mine) or len(m & mine) >= 0.5 * len(m) for m in cueless)
        labels.append("S" if hit else "O")
    return sentence_items(article, groups, claimed, cue_sentences), labels


def medium_examples(doc: GoldDoc) -> Iterator[tuple[dict[str, float], str]]:
    """One example per gold annotation with one of the predicted media: features from its gold spans."""
    for ann in doc.annotations:
        if ann.get("medium") not in MEDIA:
            continue
        yield medium_features(doc.article, ann["type"], *gold_roles(ann)), ann["medium"]


def train_statements(data: Path, out: Path, *, max_iterations: int = 200, spkatt: bool = False) -> Path:
    """Train the models into ``out``: ``cues`` (every cue), ``roles`` (speaker / message / addressee seen from
    one cue), ``spans`` (all roles at once, for the messages of cue-less statements), ``sentences`` (which
    sentences are cue-less statements), ``kind`` and ``medium``."""
    import pycrfsuite

    out.mkdir(parents=True, exist_ok=True)
    start = time.time()
    docs = list(load_split(data, "train"))
    if spkatt:
        docs += list(load_spkatt(data))
    print(f"{len(docs)} train documents prepared in {time.time() - start:.0f}s", flush=True)
    trainers = {name: pycrfsuite.Trainer(verbose=False) for name in MODELS}
    for doc in docs:
        feats = article_features(doc.article)  # computed once per document, shared by the taggers
        for items, spans, cues in sentence_sequences(doc, feats):
            trainers["spans"].append(items, spans)
            trainers["cues"].append(items, cues)
        for items, roles in role_sequences(doc, [f for sentence in feats for f in sentence]):
            trainers["roles"].append(items, roles)
        trainers["sentences"].append(*sentence_sequence(doc))
        for item, kind in kind_examples(doc):
            trainers["kind"].append([item], [kind])
        for item, medium in medium_examples(doc):  # a one-item sequence: the CRF acts as a maxent classifier
            trainers["medium"].append([item], [medium])
    for name, trainer in trainers.items():
        trainer.set_params({**MODELS[name], "max_iterations": max_iterations, "feature.possible_transitions": True})
        trainer.train(str(out / f"{name}.crfsuite"))
        print(f"{name} trained at {time.time() - start:.0f}s", flush=True)
    meta = {"models": MODELS, "max_iterations": max_iterations, "train_documents": len(docs), "spkatt": spkatt,
            "training_seconds": round(time.time() - start)}
    (out / "training_run.json").write_text(json.dumps(meta, indent=2), encoding="utf-8")
    return out
