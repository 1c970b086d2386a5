"""Tagger scores: STTS, UPOS (mapped from STTS) and lemma accuracy against UD German treebanks, and
agreement with another tagger on held-out text."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

# STTS -> UPOS as UD German maps them (modal verbs and auxiliaries are AUX; verb particles ADP).
STTS_TO_UPOS = {
    "ADJA": "ADJ", "ADJD": "ADJ", "ADV": "ADV", "APPR": "ADP", "APPRART": "ADP", "APPO": "ADP", "APZR": "ADP",
    "ART": "DET", "CARD": "NUM", "FM": "X", "ITJ": "INTJ", "KOUI": "SCONJ", "KOUS": "SCONJ", "KON": "CCONJ",
    "KOKOM": "CCONJ", "NN": "NOUN", "NE": "PROPN", "PDS": "PRON", "PDAT": "DET", "PIS": "PRON", "PIAT": "DET",
    "PIDAT": "DET", "PPER": "PRON", "PPOSS": "PRON", "PPOSAT": "DET", "PRELS": "PRON", "PRELAT": "DET",
    "PRF": "PRON", "PWS": "PRON", "PWAT": "DET", "PWAV": "ADV", "PAV": "ADV", "PROAV": "ADV", "PTKZU": "PART",
    "PTKNEG": "PART", "PTKVZ": "ADP", "PTKANT": "PART", "PTKA": "PART", "TRUNC": "X", "VVFIN": "VERB",
    "VVIMP": "VERB", "VVINF": "VERB", "VVIZU": "VERB", "VVPP": "VERB", "VAFIN": "AUX", "VAIMP": "AUX",
    "VAINF": "AUX", "VAPP": "AUX", "VMFIN": "AUX", "VMINF": "AUX", "VMPP": "AUX", "XY": "X", "$,": "PUNCT",
    "$.": "PUNCT", "$(": "PUNCT",
}

# A tagger: the words of one sentence -> (lemma, STTS tag) per word, or (lemma, STTS tag, UPOS) where the tagger
# predicts UPOS itself.
Tagger = Callable[[list[str]], Sequence[tuple[str, ...]]]


@dataclass
class UdSentence:
    words: list[str]
    lemmas: list[str]
    upos: list[str]
    xpos: list[str]
    feats: list[str]
    spaces: list[bool]


def read_ud(path: Path) -> Iterator[UdSentence]:
    """Sentences of a CoNLL-U file (multi-word token lines skipped: their parts carry the annotation)."""
    rows: list[list[str]] = []
    with open(path, encoding="utf-8") as fh:
        for line in [*fh, "\n"]:
            line = line.rstrip("\n")
            if not line:
                if rows:
                    yield UdSentence([r[1] for r in rows], [r[2] for r in rows], [r[3] for r in rows],
                                     [r[4] for r in rows], [r[5] for r in rows],
                                     ["SpaceAfter=No" not in r[9] for r in rows])
                rows = []
            elif not line.startswith("#"):
                cols = line.split("\t")
                if len(cols) == 10 and cols[0].isdigit():
                    rows.append(cols)


def _same_lemma(predicted: str, gold: str) -> bool:
    return predicted.lower() == gold.lower()


def score_ud(tagger: Tagger, sentences: list[UdSentence]) -> dict[str, float]:
    """STTS (UD's XPOS), UPOS (the tagger's own, else mapped from STTS) and case-insensitive lemma accuracy,
    and tokens/s."""
    n = stts = upos = lemma = 0
    start = time.perf_counter()
    predictions = [tagger(s.words) for s in sentences]
    seconds = time.perf_counter() - start
    for sent, pred in zip(sentences, predictions, strict=True):
        for tagged, g_lemma, g_upos, g_xpos in zip(pred, sent.lemmas, sent.upos, sent.xpos, strict=True):
            p_lemma, p_tag = tagged[0], tagged[1]
            n += 1
            stts += p_tag == g_xpos or (p_tag == "PAV" and g_xpos == "PROAV")
            upos += (tagged[2] if len(tagged) > 2 else STTS_TO_UPOS.get(p_tag, "X")) == g_upos
            lemma += _same_lemma(p_lemma, g_lemma)
    return {"tokens": n, "stts_acc": stts / n, "upos_acc": upos / n, "lemma_acc": lemma / n,
            "tokens_per_s": n / seconds}


def agreement(tagger: Tagger, reference: Tagger, sentences: list[list[str]]) -> dict[str, float]:
    """How often ``tagger`` gives the reference's STTS tag and lemma."""
    n = tags = lemmas = 0
    for words in sentences:
        for mine, ref in zip(tagger(words), reference(words), strict=True):
            (p_lemma, p_tag), (r_lemma, r_tag) = mine[:2], ref[:2]
            n += 1
            tags += p_tag == r_tag
            lemmas += p_lemma == r_lemma
    return {"tokens": n, "tag_agreement": tags / n, "lemma_agreement": lemmas / n}


def deep_tag_words(words: list[str]) -> list[tuple[str, ...]]:
    """(lemma, STTS, UPOS) per word from the deep reader's heads (one encoder pass over the sentence)."""
    from newsgraph.models.accurate import joined
    from newsgraph.models.reader import deep_lemma, shipped_heads, shipped_reader

    text, spans = joined(words)
    states = shipped_reader().sentences(text, [spans])[0].states
    heads = shipped_heads()
    out: list[tuple[str, ...]] = []
    for w, t, u, r in zip(words, heads.token_head("stts", states).argmax(1), heads.token_head("upos", states).argmax(1),
                          heads.token_head("lemma", states).argmax(1), strict=True):
        tag = heads.labels["stts"][t]
        out.append((deep_lemma(w, tag, heads.labels["lemma"][r]), tag, heads.labels["upos"][u]))
    return out
