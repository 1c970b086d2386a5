"""Train the German core model (``models/core-de``): one spaCy tok2vec shared by a tagger (STTS), a
morphologizer (Mood, Tense, Person, Number, Case, VerbForm), an edit-tree lemmatizer and the NER, so an article
goes through the network once.

Reproduce with ``newsgraph train core --out DIR [--install]`` (fixed seed 0). Data: GermEval 2014 train with
its entity labels plus HanTa's STTS tags and lemmas; Europarl NER and SpkAtt 2023 train with HanTa's tags and
lemmas only (their entities count as unknown); UD German-PUD for morphology. Selected on GermEval 2014 dev
(entities, HanTa's tags and lemmas) and UD German-GSD dev (morphology). Test splits are read only by bench/.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from newsgraph.evaluation.bio import read_bio_sentences

SEED = 0
TAGGED_ONLY = ("europarl-train", "spkatt2023-train")
HANTA_SOURCES = ("germeval2014-train", *TAGGED_ONLY)
MORPH_FEATURES = ("Mood", "Tense", "Person", "Number", "Case", "VerbForm")

CONFIG = """
[paths]
train = null
dev = null
vectors = null

[system]
gpu_allocator = null
seed = {seed}

[nlp]
lang = "de"
pipeline = ["tok2vec","tagger","morphologizer","trainable_lemmatizer","ner"]
batch_size = 1000

[components]

[components.tok2vec]
factory = "tok2vec"

[components.tok2vec.model]
@architectures = "spacy.Tok2Vec.v2"

[components.tok2vec.model.embed]
@architectures = "spacy.MultiHashEmbed.v2"
width = {width}
attrs = ["NORM","PREFIX","SUFFIX","SHAPE"]
rows = [20000,2500,5000,2500]
include_static_vectors = true

[components.tok2vec.model.encode]
@architectures = "spacy.MaxoutWindowEncoder.v2"
width = {width}
depth = {depth}
window_size = 1
maxout_pieces = 3

{heads}

[components.ner]
factory = "ner"

[components.ner.model]
@architectures = "spacy.TransitionBasedParser.v2"
state_type = "ner"
extra_state_tokens = false
hidden_width = 64
maxout_pieces = 2
use_upper = true
nO = null

[components.ner.model.tok2vec]
@architectures = "spacy.Tok2VecListener.v1"
width = {width}
upstream = "tok2vec"

[corpora]

[corpora.train]
@readers = "spacy.Corpus.v1"
path = ${{paths.train}}
max_length = 0

[corpora.dev]
@readers = "spacy.Corpus.v1"
path = ${{paths.dev}}
max_length = 0

[training]
dev_corpus = "corpora.dev"
train_corpus = "corpora.train"
seed = ${{system.seed}}
dropout = 0.15
patience = {patience}
max_epochs = 0
max_steps = {max_steps}
eval_frequency = 1000

[training.batcher]
@batchers = "spacy.batch_by_words.v1"
discard_oversize = false
tolerance = 0.2

[training.batcher.size]
@schedules = "compounding.v1"
start = 100
stop = 1000
compound = 1.001

[training.optimizer]
@optimizers = "Adam.v1"
beta1 = 0.9
beta2 = 0.999
L2_is_weight_decay = true
L2 = 0.01
grad_clip = 1.0
use_averages = true
eps = 0.00000001
learn_rate = 0.001

[training.score_weights]
ents_f = 0.6
tag_acc = 0.2
lemma_acc = 0.1
morph_micro_f = 0.1
ents_p = 0.0
ents_r = 0.0
ents_per_type = null
pos_acc = 0.0
morph_acc = 0.0
morph_per_feat = null

[initialize]
vectors = ${{paths.vectors}}
"""

HEAD = """[components.{name}]
factory = "{factory}"{extra}

[components.{name}.model]
@architectures = "spacy.Tagger.v2"
nO = null

[components.{name}.model.tok2vec]
@architectures = "spacy.Tok2VecListener.v1"
width = {width}
upstream = "tok2vec"
"""


def config(*, width: int, depth: int, max_steps: int, patience: int) -> str:
    heads = "\n".join(HEAD.format(name=name, factory=factory, extra=extra, width=width) for name, factory, extra in (
        ("tagger", "tagger", ""), ("morphologizer", "morphologizer", ""),
        ("trainable_lemmatizer", "trainable_lemmatizer", '\nbackoff = "orth"\nmin_tree_freq = 3\ntop_k = 1')))
    return CONFIG.format(seed=SEED, width=width, depth=depth, max_steps=max_steps, patience=patience, heads=heads)


def germeval_docbin(data: Path, split_file: str, tagged: Path, out: Path) -> int:
    """GermEval sentences with their entity labels and HanTa's tags and lemmas (``tagged``: the same
    sentences labelled by HanTa, in the same order)."""
    import spacy
    from spacy.tokens import Doc, DocBin

    nlp = spacy.blank("de")
    labelled = DocBin().from_disk(tagged).get_docs(nlp.vocab)
    db = DocBin(attrs=["TAG", "LEMMA", "POS", "MORPH", "ENT_IOB", "ENT_TYPE"])
    n = 0
    for (words, bio), hanta in zip(read_bio_sentences(data / "ner/germeval2014" / split_file), labelled, strict=True):
        if [t.text for t in hanta] != words:
            raise ValueError(f"HanTa docs out of step with {split_file} at sentence {n}")
        db.add(Doc(nlp.vocab, words=words, tags=[t.tag_ for t in hanta], lemmas=[t.lemma_ for t in hanta], ents=bio))
        n += 1
    db.to_disk(out)
    return n


def write_corpora(data: Path, work: Path) -> dict[str, int]:
    """train.spacy and dev.spacy for the joint model (HanTa labels cached in ``work``)."""
    from spacy.tokens import DocBin

    from newsgraph.training.unlabeled_text import SOURCES

    counts: dict[str, int] = {}
    work.mkdir(parents=True, exist_ok=True)
    hanta_docbin((s.split() for s in SOURCES["germeval2014-train"](data)), work / "hanta-germeval2014-train.spacy")
    hanta_docbin(germeval_dev_sentences(data), work / "hanta-germeval2014-dev.spacy")
    counts["germeval2014-train"] = germeval_docbin(data, "NER-de-train.outer.bio.tsv",
                                                   work / "hanta-germeval2014-train.spacy", work / "ner-train.spacy")
    germeval_docbin(data, "NER-de-dev.tsv", work / "hanta-germeval2014-dev.spacy", work / "ner-dev.spacy")
    train = DocBin(attrs=["TAG", "LEMMA", "POS", "MORPH", "ENT_IOB", "ENT_TYPE"])
    train.merge(DocBin().from_disk(work / "ner-train.spacy"))
    for name in TAGGED_ONLY:
        part = work / f"hanta-{name}.spacy"
        counts[name] = hanta_docbin((s.split() for s in SOURCES[name](data)), part)
        train.merge(_widen(DocBin().from_disk(part)))
    counts["ud-german-pud"] = write_ud_docbin(train, data / "treebanks/ud-german-pud/de_pud-ud-test.conllu")
    train.to_disk(work / "train.spacy")
    dev = DocBin(attrs=["TAG", "LEMMA", "POS", "MORPH", "ENT_IOB", "ENT_TYPE"])
    dev.merge(DocBin().from_disk(work / "ner-dev.spacy"))
    write_ud_docbin(dev, data / "treebanks/ud-german-gsd-devtest/de_gsd-ud-dev.conllu")
    dev.to_disk(work / "dev.spacy")
    return counts


def _widen(db: Any) -> Any:
    """A DocBin with the joint attribute set (entity annotation left missing)."""
    import spacy
    from spacy.tokens import DocBin

    nlp = spacy.blank("de")
    wide = DocBin(attrs=["TAG", "LEMMA", "POS", "MORPH", "ENT_IOB", "ENT_TYPE"])
    for doc in db.get_docs(nlp.vocab):
        wide.add(doc)
    return wide


def train_core(data: Path, out: Path, *, vectors: Path, width: int = 128, depth: int = 4, max_steps: int = 12000,
               patience: int = 4000) -> Path:
    """Write the corpora and config, run ``spacy train``; return the best model folder."""
    start = time.time()
    counts = write_corpora(data, out)
    (out / "base.cfg").write_text(config(width=width, depth=depth, max_steps=max_steps, patience=patience),
                                  encoding="utf-8")
    subprocess.run([sys.executable, "-m", "spacy", "init", "fill-config", str(out / "base.cfg"),
                    str(out / "config.cfg")], check=True)
    labelled = time.time()
    subprocess.run([sys.executable, "-m", "spacy", "train", str(out / "config.cfg"), "--output", str(out / "training"),
                    "--paths.train", str(out / "train.spacy"), "--paths.dev", str(out / "dev.spacy"),
                    "--paths.vectors", str(vectors)], check=True)
    meta = {"labelling_seconds": round(labelled - start), "training_seconds": round(time.time() - labelled),
            "width": width, "depth": depth, "max_steps": max_steps, "tokens": counts}
    (out / "training_run.json").write_text(json.dumps(meta, indent=2), encoding="utf-8")
    return out / "training" / "model-best"


def hanta_labels(words: list[str]) -> tuple[list[str], list[str]]:
    """HanTa's STTS tags and lemmas for one sentence (HanTa is a training-only dependency)."""
    from newsgraph.training.hanta import tag_words

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

def write_ud_docbin(db: object, path: Path) -> int:
    """Add a UD treebank's sentences (UPOS and the kept features) to ``db``; tokens added."""
    import spacy

    return _add_ud(db, spacy.blank("de"), path)


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
    for name in HANTA_SOURCES:
        for doc in DocBin().from_disk(work / f"hanta-{name}.spacy").get_docs(nlp.vocab):
            for token in doc:
                counts[f"{token.text}\t{token.tag_}"][token.lemma_] += 1
    table = {}
    for key, lemmas in sorted(counts.items()):
        lemma = lemmas.most_common(1)[0][0]
        table[key] = "" if lemma == key.split("\t", 1)[0] else lemma
    return table
