"""The deep reader's training examples: sentences with token labels for the heads they train, and statement
documents whose cues carry role windows.

- GermEval 2014 (CC BY 4.0): NER labels; STTS tags and lemmas from HanTa (silver, as the old pipeline's tags);
- news-quotation-2024 (CC BY-NC-SA 4.0): cue and span labels per sentence, roles and kind per gold cue; HanTa
  STTS and lemmas (the documents pass through the ``morphology`` stage);
- UD German LIT (STTS, UPOS, morphology, lemmas) and PUD (UPOS, morphology, lemmas: its XPOS is not STTS).
  UD GSD dev selects, GSD test reports.

A UD multiword token ("zum" = "zu dem") is one token for newsgraph: it takes the first word's UPOS, the STTS tag
APPRART where the words are APPR + ART, and no lemma or morphology label.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsgraph.models.accurate import CUE_LABELS, IGNORE, KIND_LABELS, ROLE_LABELS, SPAN_LABELS, joined
from newsgraph.models.e5 import Encoder
from newsgraph.models.reader import MORPH_FEATURES, UPOS, lemma_rule, role_inputs
from newsgraph.pipeline.hanta import tag_words
from newsgraph.pipeline.stages.statement_features import cue_window, sentence_groups, sentence_ids
from newsgraph.training.accurate import LABELS as NER_LABELS
from newsgraph.training.accurate import SPLITS as NER_SPLITS
from newsgraph.training.statements import GoldDoc, cue_labels, cue_units, load_split, role_labels, token_labels

TREEBANKS = {"lit": "treebanks/ud-german-lit/de_lit-ud-test.conllu",
             "pud": "treebanks/ud-german-pud/de_pud-ud-test.conllu",
             "gsd-dev": "treebanks/ud-german-gsd-devtest/de_gsd-ud-dev.conllu",
             "gsd-test": "treebanks/ud-german-gsd-devtest/de_gsd-ud-test.conllu"}
STTS_TREEBANKS = ("lit", "gsd-dev", "gsd-test")  # PUD's XPOS is the Penn tag set


@dataclass
class Sentence:
    """Piece ids (``<s>`` … ``</s>``), each token's first piece (-1: cut off), and per head a label string
    per token (None: no label)."""

    ids: list[int]
    first: list[int]
    tags: dict[str, list[str | None]]
    words: list[str] = field(default_factory=list)


@dataclass
class Cue:
    window: list[int]  # doc token indices
    marks: list[int]
    dist: list[int]
    offsets: list[int]
    roles: list[str]
    kind: str | None


@dataclass
class StatementDoc:
    sentences: list[Sentence]
    token_of: list[tuple[int, int]]  # doc token -> (sentence, token in sentence)
    cues: list[Cue]


def sentence(encoder: Encoder, text: str, spans: list[tuple[int, int]], tags: dict[str, list[str | None]],
             words: list[str] | None = None) -> Sentence:
    from newsgraph.models.accurate import window

    win = window(encoder, text, spans)
    return Sentence(win.ids, win.first, tags, words or [text[a:b] for a, b in spans])


def words_sentence(encoder: Encoder, words: list[str], tags: dict[str, list[str | None]]) -> Sentence:
    text, spans = joined(words)
    return sentence(encoder, text, spans, tags, words)


def silver(words: list[str]) -> dict[str, list[str | None]]:
    pairs = tag_words(words)
    return {"stts": [tag for _, tag in pairs], "lemma": [lemma_rule(w, lemma) for w, (lemma, _) in
                                                         zip(words, pairs, strict=True)]}


def germeval(encoder: Encoder, data: Path, split: str, *, limit: int | None = None) -> list[Sentence]:
    from newsgraph.evaluation.bio import read_bio_sentences

    out = []
    for n, (words, tags) in enumerate(read_bio_sentences(data / "ner/germeval2014" / NER_SPLITS[split])):
        if limit is not None and n >= limit:
            break
        labels: dict[str, list[str | None]] = {"ner": [t if t in NER_LABELS else "O" for t in tags]}
        if split == "train":
            labels.update(silver(words))
        out.append(words_sentence(encoder, words, labels))
    return out


def read_conllu(path: Path) -> list[list[list[str]]]:
    """Sentences as rows of the ten columns; a multiword token's row is followed by its words' rows."""
    out: list[list[list[str]]] = []
    rows: list[list[str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            if rows:
                out.append(rows)
            rows = []
        elif not line.startswith("#"):
            cols = line.split("\t")
            if len(cols) == 10 and "." not in cols[0]:
                rows.append(cols)
    if rows:
        out.append(rows)
    return out


def _features(feats: str) -> dict[str, str]:
    return dict(f.split("=", 1) for f in feats.split("|") if "=" in f)


def treebank(encoder: Encoder, data: Path, name: str, *, limit: int | None = None) -> list[Sentence]:
    out = []
    for rows in read_conllu(data / TREEBANKS[name])[:limit]:
        words: list[str] = []
        tags: dict[str, list[str | None]] = {k: [] for k in ("upos", "stts", "lemma", *MORPH_FEATURES)}
        k = 0
        while k < len(rows):
            cols = rows[k]
            if "-" in cols[0]:
                a, b = (int(x) for x in cols[0].split("-"))
                parts = rows[k + 1:k + 2 + b - a]
                words.append(cols[1])
                tags["upos"].append(parts[0][3] if parts else None)
                xpos = [p[4] for p in parts]
                tags["stts"].append("APPRART" if xpos[:2] == ["APPR", "ART"] and name in STTS_TREEBANKS else None)
                tags["lemma"].append(None)
                for f in MORPH_FEATURES:
                    tags[f].append(None)
                k += 2 + b - a
                continue
            words.append(cols[1])
            tags["upos"].append(cols[3] if cols[3] in UPOS else None)
            tags["stts"].append(cols[4] if name in STTS_TREEBANKS else None)
            tags["lemma"].append(lemma_rule(cols[1], cols[2]) if cols[2] != "_" else None)
            feats = _features(cols[5])
            for f in MORPH_FEATURES:
                tags[f].append(feats.get(f, "_"))
            k += 1
        out.append(words_sentence(encoder, words, tags))
    return out


def statement_doc(encoder: Encoder, doc: GoldDoc) -> StatementDoc:
    art = doc.article
    text, tokens = art.text, art.tokens
    cues, spans = cue_labels(doc), token_labels(doc)
    sentences, token_of = [], [(-1, -1)] * len(tokens)
    for k, idx in enumerate(sentence_groups(art).values()):
        words = [text[tokens[i].start:tokens[i].end] for i in idx]
        tags: dict[str, list[str | None]] = {
            "cues": [cues[i] for i in idx], "spans": [spans[i] for i in idx],
            "stts": [tokens[i].pos for i in idx],
            "lemma": [lemma_rule(w, lemma) if (lemma := tokens[i].lemma) else None for w, i in
                      zip(words, idx, strict=True)]}
        sentences.append(sentence(encoder, text, [(tokens[i].start, tokens[i].end) for i in idx], tags, words))
        for j, i in enumerate(idx):
            token_of[i] = (k, j)
    sids = sentence_ids(art)
    units = cue_units(doc)
    every = set().union(*units) if units else set()
    out_cues = []
    for cue, anns in units.items():
        idx = cue_window(sids, set(cue))
        marks, dist, offsets = role_inputs(idx, set(cue), every - cue, sids)
        outer = min(anns, key=lambda a: bool(a.get("isNested")))
        out_cues.append(Cue(idx, marks.tolist(), dist.tolist(), offsets.tolist(), role_labels(doc, idx, anns),
                            outer.get("type")))
    return StatementDoc(sentences, token_of, out_cues)


def statement_docs(encoder: Encoder, data: Path, split: str, *, limit: int | None = None) -> list[StatementDoc]:
    return [statement_doc(encoder, doc) for doc in load_split(data, split, limit=limit)]


FIXED_TABLES: dict[str, tuple[str, ...]] = {"ner": NER_LABELS, "cues": CUE_LABELS, "spans": SPAN_LABELS,
                                             "roles": ROLE_LABELS, "kind": KIND_LABELS, "upos": UPOS}
MIN_LEMMA_RULE = 2  # rarer edit rules are left out of the table (the token keeps its word)


def label_tables(sentences: list[Sentence]) -> dict[str, list[str]]:
    """Fixed tables, and for STTS, lemma rules and each feature the labels seen in training (by frequency)."""
    counts: dict[str, Counter[str]] = {}
    for s in sentences:
        for head, tags in s.tags.items():
            if head not in FIXED_TABLES:
                counts.setdefault(head, Counter()).update(t for t in tags if t is not None)
    tables = {k: list(v) for k, v in FIXED_TABLES.items()}
    for head, c in counts.items():
        keep = [t for t, n in c.most_common() if head != "lemma" or n >= MIN_LEMMA_RULE or t == "="]
        tables[head] = keep
    if "=" in tables.get("lemma", []):
        tables["lemma"].remove("=")
        tables["lemma"].insert(0, "=")
    return tables


def label_ids(tags: list[str | None], table: list[str], index: dict[str, int] | None = None) -> list[int]:
    index = index or {t: k for k, t in enumerate(table)}
    return [index.get(t, IGNORE) if t is not None else IGNORE for t in tags]


def summary(items: dict[str, Any]) -> dict[str, int]:
    return {k: len(v) for k, v in items.items()}


def prepare(encoder: Encoder, data: Path, *, limit: int | None = None, log: Any = print) -> dict[str, Any]:
    """Train and dev examples of every task (``limit``: at most that many sentences or documents per file)."""
    import time

    start = time.time()
    train_sentences = germeval(encoder, data, "train", limit=limit) + treebank(encoder, data, "lit", limit=limit) \
        + treebank(encoder, data, "pud", limit=limit)
    log(f"sentences ready in {time.time() - start:.0f}s")
    train_docs = statement_docs(encoder, data, "train", limit=limit)
    dev = {"ner": germeval(encoder, data, "dev", limit=limit), "ud": treebank(encoder, data, "gsd-dev", limit=limit),
           "statements": statement_docs(encoder, data, "dev", limit=limit)}
    log(f"{len(train_sentences)} sentences and {len(train_docs)} statement documents to train on, prepared in "
        f"{time.time() - start:.0f}s")
    return {"train": {"sentences": train_sentences, "statements": train_docs}, "dev": dev}
