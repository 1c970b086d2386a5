"""Train the German tagger (``models/tagger-de``): STTS tags, lemmas and verb/noun morphology in one small spaCy
network, to replace HanTa at run time.

Reproduce with ``newsgraph train tagger --out DIR [--install]`` (fixed seed 0). The STTS tags and lemmas are
HanTa's own output on non-NC train text (GermEval 2014 train, Europarl NER train, SpkAtt 2023 train): the model
learns HanTa and runs several times faster. Morphology (Mood, Tense, Person, Number, Case, VerbForm) is learnt from
UD German-PUD, a split-less treebank (CC BY-SA 3.0). Model selection uses GermEval dev (HanTa labels) and UD
German-GSD dev; GSD test is read only by ``bench/tagger.py``.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path

from newsgraph.training.spacy_config import BATCHER, CORPORA, listener_heads, tok2vec_block

SEED = 0
MORPH_FEATURES = ("Mood", "Tense", "Person", "Number", "Case", "VerbForm")
TRAIN_SOURCES = ("germeval2014-train", "europarl-train", "spkatt2023-train")

CONFIG = """
[paths]
train = null
dev = null

[system]
gpu_allocator = null
seed = {seed}

[nlp]
lang = "de"
pipeline = ["tok2vec","tagger","morphologizer","trainable_lemmatizer"]
batch_size = 1000

[components]

{tok2vec}

{heads}
{corpora}

[training]
dev_corpus = "corpora.dev"
train_corpus = "corpora.train"
seed = ${{system.seed}}
dropout = 0.1
patience = {patience}
max_epochs = 0
max_steps = {max_steps}
eval_frequency = 500

{batcher}

[training.optimizer]
@optimizers = "Adam.v1"
learn_rate = 0.001

[training.score_weights]
tag_acc = 0.5
lemma_acc = 0.3
morph_micro_f = 0.2
pos_acc = 0.0
morph_acc = 0.0
morph_per_feat = null
"""


HEADS = [("tagger", "tagger", ""), ("morphologizer", "morphologizer", ""),
         ("trainable_lemmatizer", "trainable_lemmatizer", '\nbackoff = "orth"\nmin_tree_freq = 3\ntop_k = 1')]


EMBED = """[components.tok2vec.model.embed]
@architectures = "spacy.MultiHashEmbed.v2"
width = {width}
attrs = ["NORM","PREFIX","SUFFIX","SHAPE"]
rows = [10000,1000,5000,1000]
include_static_vectors = false"""


def config(*, width: int, depth: int, patience: int, max_steps: int) -> str:
    return CONFIG.format(seed=SEED, patience=patience, max_steps=max_steps,
                         tok2vec=tok2vec_block(width, depth, EMBED.format(width=width)),
                         heads=listener_heads(width, HEADS), corpora=CORPORA, batcher=BATCHER)


def write_docbins(data: Path, work: Path) -> dict[str, int]:
    """train.spacy (HanTa-labelled text + PUD morphology) and dev.spacy (GermEval dev by HanTa + GSD dev)."""
    import spacy
    from spacy.tokens import DocBin

    from newsgraph.training.unlabeled_text import SOURCES

    nlp = spacy.blank("de")
    counts: dict[str, int] = {}
    train = DocBin(attrs=["TAG", "LEMMA", "POS", "MORPH"])
    for name in TRAIN_SOURCES:
        part = work / f"hanta-{name}.spacy"
        counts[name] = hanta_docbin((s.split() for s in SOURCES[name](data)), part)
        train.merge(DocBin().from_disk(part))
        print(f"{name}: {counts[name]:,} tokens labelled by HanTa", flush=True)
    counts["ud-german-pud"] = _add_ud(train, nlp, data / "treebanks/ud-german-pud/de_pud-ud-test.conllu")
    train.to_disk(work / "train.spacy")
    dev = DocBin(attrs=["TAG", "LEMMA", "POS", "MORPH"])
    hanta_docbin(germeval_dev_sentences(data), work / "hanta-germeval2014-dev.spacy")
    dev.merge(DocBin().from_disk(work / "hanta-germeval2014-dev.spacy"))
    _add_ud(dev, nlp, data / "treebanks/ud-german-gsd-devtest/de_gsd-ud-dev.conllu")
    dev.to_disk(work / "dev.spacy")
    return counts


def train_tagger(data: Path, out: Path, *, width: int = 96, depth: int = 2, max_steps: int = 8000,
                 patience: int = 3000) -> Path:
    """Label the data, write the config, run ``spacy train``; return the best model folder."""
    out.mkdir(parents=True, exist_ok=True)
    start = time.time()
    counts = write_docbins(data, out)
    (out / "base.cfg").write_text(config(width=width, depth=depth, patience=patience, max_steps=max_steps),
                                  encoding="utf-8")
    subprocess.run([sys.executable, "-m", "spacy", "init", "fill-config", str(out / "base.cfg"),
                    str(out / "config.cfg")], check=True)
    labelled = time.time()
    subprocess.run([sys.executable, "-m", "spacy", "train", str(out / "config.cfg"), "--output",
                    str(out / "training"), "--paths.train", str(out / "train.spacy"), "--paths.dev",
                    str(out / "dev.spacy")], check=True)
    meta = {"labelling_seconds": round(labelled - start), "training_seconds": round(time.time() - labelled),
            "width": width, "depth": depth, "max_steps": max_steps, "tokens": counts}
    (out / "training_run.json").write_text(json.dumps(meta, indent=2), encoding="utf-8")
    return out / "training" / "model-best"


def hanta_labels(words: list[str]) -> tuple[list[str], list[str]]:
    """HanTa's STTS tags and lemmas for one sentence (HanTa is a training-only dependency)."""
    from newsgraph.pipeline.hanta import tag_words

    pairs = tag_words(words)
    return [pos for _lemma, pos in pairs], [lemma for lemma, _pos in pairs]


def kept_features(feats: str) -> str:
    """The UD features newsgraph predicts, in UD's order; '' when none."""
    if feats == "_":
        return ""
    keep = [f for f in feats.split("|") if f.split("=", 1)[0] in MORPH_FEATURES]
    return "|".join(keep)

def _label_chunk(sentences: list[list[str]]) -> list[tuple[list[str], list[str], list[str]]]:
    out = []
    for words in sentences:
        tags, lemmas = hanta_labels(words)
        out.append((words, tags, lemmas))
    return out


def hanta_docbin(sentences: Iterator[list[str]], path: Path, *, processes: int = 2) -> int:
    """HanTa-label sentences into a DocBin at ``path`` (cached: an existing file is reused); tokens."""
    import multiprocessing

    import spacy
    from spacy.tokens import Doc, DocBin

    nlp = spacy.blank("de")
    if path.exists():
        return sum(len(d) for d in DocBin().from_disk(path).get_docs(nlp.vocab))
    words = [w for w in sentences if w]
    chunks = [words[i:i + 500] for i in range(0, len(words), 500)]
    db = DocBin(attrs=["TAG", "LEMMA", "POS", "MORPH"])
    with multiprocessing.get_context("spawn").Pool(processes) as pool:
        for chunk in pool.imap(_label_chunk, chunks):
            for w, tags, lemmas in chunk:
                db.add(Doc(nlp.vocab, words=w, tags=tags, lemmas=lemmas))
    db.to_disk(path)
    return sum(len(w) for w in words)

def _add_ud(db: object, nlp: object, path: Path) -> int:
    """UD sentences with UPOS and the kept features only (tags and lemmas stay unset: HanTa's conventions
    rule those)."""
    from spacy.tokens import Doc

    from newsgraph.evaluation.tagging import read_ud

    n = 0
    for sent in read_ud(path):
        doc = Doc(nlp.vocab, words=sent.words, spaces=sent.spaces, pos=sent.upos,  # type: ignore[attr-defined]
                  morphs=[kept_features(f) for f in sent.feats])
        db.add(doc)  # type: ignore[attr-defined]
        n += len(sent.words)
    return n


def germeval_dev_sentences(data: Path) -> Iterator[list[str]]:
    """GermEval 2014 dev sentences (words only): held-out text for HanTa agreement during model selection."""
    from newsgraph.evaluation.bio import read_bio_sentences

    for words, _tags in read_bio_sentences(data / "ner/germeval2014/NER-de-dev.tsv"):
        yield words

def build_lemma_table(work: Path) -> dict[str, str]:
    """HanTa's usual lemma of each (word, STTS tag) seen in the labelled training text, keyed ``word<TAB>tag``;
    "" stands for the word itself. The edit-tree lemmatizer handles the words the table has not seen."""
    import spacy
    from spacy.tokens import DocBin

    nlp = spacy.blank("de")
    counts: defaultdict[str, Counter[str]] = defaultdict(Counter)
    for name in TRAIN_SOURCES:
        for doc in DocBin().from_disk(work / f"hanta-{name}.spacy").get_docs(nlp.vocab):
            for token in doc:
                counts[f"{token.text}\t{token.tag_}"][token.lemma_] += 1
    table = {}
    for key, lemmas in sorted(counts.items()):
        lemma = lemmas.most_common(1)[0][0]
        table[key] = "" if lemma == key.split("\t", 1)[0] else lemma
    return table
