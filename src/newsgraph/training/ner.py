"""Train the German entity model (spaCy NER over floret vectors) on GermEval 2014 train.

Reproduce with ``newsgraph train ner --out DIR`` (fixed seed 0). Model selection uses GermEval dev only;
GermEval test is read only by ``bench/ner.py`` to report the final figure.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

from newsgraph.evaluation.bio import bio_spans, read_bio_sentences
from newsgraph.pipeline.ner_corrections import NerLexicon, SpanTypes
from newsgraph.training.spacy_config import BATCHER, CORPORA, tok2vec_block

SEED = 0
OUTER_LABELS = [f"{t}{s}" for t in ("PER", "LOC", "ORG", "OTH") for s in ("", "deriv", "part")]

CONFIG = """
[paths]
train = null
dev = null
vectors = null
init_tok2vec = null

[system]
gpu_allocator = null
seed = {seed}

[nlp]
lang = "de"
pipeline = ["hanta_tags","tok2vec","ner"]
batch_size = 1000

[components]

[components.hanta_tags]
factory = "newsgraph_hanta_tags"

{tok2vec}

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
upstream = "*"

{corpora}

[training]
dev_corpus = "corpora.dev"
train_corpus = "corpora.train"
seed = ${{system.seed}}
gpu_allocator = ${{system.gpu_allocator}}
dropout = 0.15
accumulate_gradient = 1
patience = {patience}
max_epochs = 0
max_steps = {max_steps}
eval_frequency = 500
frozen_components = []
annotating_components = ["hanta_tags"]
before_to_disk = null

{batcher}

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
ents_f = 1.0
ents_p = 0.0
ents_r = 0.0
ents_per_type = null

[initialize]
vectors = ${{paths.vectors}}
init_tok2vec = ${{paths.init_tok2vec}}
"""


def to_docbin(path: Path, out: Path, *, pos_tags: bool = True) -> int:
    """GermEval sentences as spaCy Docs; ``pos_tags`` adds HanTa's STTS tags as ``Token.tag_``, the same
    tags the ``morphology`` stage gives the NER stage at run time."""
    import spacy
    from spacy.tokens import Doc, DocBin

    from newsgraph.pipeline.hanta import tag_words

    nlp = spacy.blank("de")
    db = DocBin(attrs=["ENT_IOB", "ENT_TYPE", "TAG"])
    n = 0
    for words, tags in read_bio_sentences(path):
        stts = [pos for _lemma, pos in tag_words(words)] if pos_tags else None
        db.add(Doc(nlp.vocab, words=words, tags=stts, ents=tags))
        n += 1
    db.to_disk(out)
    return n


EMBEDS = {
    "multihash": """[components.tok2vec.model.embed]
@architectures = "spacy.MultiHashEmbed.v2"
width = {width}
attrs = ["NORM","PREFIX","SUFFIX","SHAPE"]
rows = [20000,2500,5000,2500]
include_static_vectors = {static}""",
    "multihash+tag": """[components.tok2vec.model.embed]
@architectures = "spacy.MultiHashEmbed.v2"
width = {width}
attrs = ["NORM","PREFIX","SUFFIX","SHAPE","TAG"]
rows = [20000,2500,5000,2500,200]
include_static_vectors = {static}""",
    "chars": """[components.tok2vec.model.embed]
@architectures = "spacy.CharacterEmbed.v2"
width = {width}
rows = 20000
nM = 64
nC = 8
include_static_vectors = {static}""",
}


# Registers the HanTa tags component for the spacy train / pretrain subprocesses.
HANTA_CODE = str(Path(__file__).resolve().parent / "hanta_tags.py")


def _config(width: int, depth: int, patience: int, max_steps: int, embed: str, vectors: Path | None) -> str:
    static = "true" if vectors else "false"
    return CONFIG.format(
        seed=SEED, width=width, patience=patience, max_steps=max_steps,
        tok2vec=tok2vec_block(width, depth, EMBEDS[embed].format(width=width, static=static)), corpora=CORPORA,
        batcher=BATCHER,
    )


def write_config(out: Path, *, width: int, depth: int, patience: int, max_steps: int, embed: str,
                 vectors: Path | None) -> Path:
    """The training config, completed by spaCy with a [pretraining] block: spaCy ignores init_tok2vec
    weights silently unless that block names the component they belong to."""
    out.mkdir(parents=True, exist_ok=True)
    (out / "base.cfg").write_text(_config(width, depth, patience, max_steps, embed, vectors), encoding="utf-8")
    subprocess.run([sys.executable, "-m", "spacy", "init", "fill-config", str(out / "base.cfg"),
                    str(out / "config.cfg"), "--pretraining", "--code", HANTA_CODE], check=True)
    return out / "config.cfg"


def pretrain_tok2vec(data: Path, out: Path, *, vectors: Path, epochs: int = 1, width: int = 128, depth: int = 4,
                     embed: str = "multihash+tag") -> Path:
    """spaCy's character-objective pretraining of the tok2vec layer on the unlabeled text; returns weights."""
    from newsgraph.training.unlabeled_text import write_corpus

    out.mkdir(parents=True, exist_ok=True)
    raw = out / "pretrain.txt"
    write_corpus(data, raw)
    jsonl = out / "pretrain.jsonl"
    with open(raw, encoding="utf-8") as src, open(jsonl, "w", encoding="utf-8") as dst:
        for line in src:
            if 3 <= line.count(" ") + 1 <= 120:
                dst.write(json.dumps({"text": line.strip()}, ensure_ascii=False) + "\n")
    config = write_config(out, width=width, depth=depth, patience=1000, max_steps=1000, embed=embed,
                          vectors=vectors)
    subprocess.run([sys.executable, "-m", "spacy", "pretrain", str(config), str(out / "pretrain"),
                    "--paths.raw_text", str(jsonl), "--paths.vectors", str(vectors),
                    "--pretraining.max_epochs", str(epochs), "--code", HANTA_CODE], check=True)
    return out / "pretrain" / f"model{epochs - 1}.bin"


def train_ner(
    data: Path, out: Path, *, vectors: Path | None, width: int = 128, depth: int = 4,
    max_steps: int = 20000, patience: int = 5000, embed: str = "multihash", init_tok2vec: Path | None = None,
    silver: Path | None = None,
) -> Path:
    """Convert data, write the config, run ``spacy train``; return the best model folder. ``silver``: a BIO
    file of machine-labelled sentences trained on alongside GermEval train (self-training)."""
    out.mkdir(parents=True, exist_ok=True)
    germeval = data / "ner/germeval2014"
    (out / "train").mkdir(exist_ok=True)  # spaCy reads every .spacy file of the folder
    n_train = to_docbin(germeval / "NER-de-train.outer.bio.tsv", out / "train" / "gold.spacy")
    if silver:
        n_train += to_docbin(silver, out / "train" / "silver.spacy")
    n_dev = to_docbin(germeval / "NER-de-dev.tsv", out / "dev.spacy")
    print(f"train {n_train} sentences, dev {n_dev}", flush=True)
    config = write_config(out, width=width, depth=depth, patience=patience, max_steps=max_steps, embed=embed,
                          vectors=vectors)
    cmd = [
        sys.executable, "-m", "spacy", "train", str(config), "--output", str(out / "training"),
        "--paths.train", str(out / "train"), "--paths.dev", str(out / "dev.spacy"), "--code", HANTA_CODE,
    ]
    if vectors:
        cmd += ["--paths.vectors", str(vectors)]
    if init_tok2vec:
        cmd += ["--paths.init_tok2vec", str(init_tok2vec)]
    start = time.time()
    subprocess.run(cmd, check=True)
    meta = {"training_seconds": round(time.time() - start), "width": width, "depth": depth,
            "vectors": bool(vectors), "max_steps": max_steps, "embed": embed,
            "init_tok2vec": str(init_tok2vec) if init_tok2vec else None, "silver": str(silver) if silver else None}
    (out / "training_run.json").write_text(json.dumps(meta, indent=2), encoding="utf-8")
    return out / "training" / "model-best"


def build_lexicon(train: Path, *, min_count: int = 1, share: float = 0.8, part_share: float = 0.7) -> NerLexicon:
    """The ``newsgraph_ner_lexicon`` tables from GermEval train (thresholds chosen on dev)."""
    strings: defaultdict[str, Counter[str]] = defaultdict(Counter)
    names: defaultdict[str, Counter[str]] = defaultdict(Counter)
    unlabelled: Counter[str] = Counter()
    for words, tags in read_bio_sentences(train):
        unlabelled.update(w for w, t in zip(words, tags, strict=True) if t == "O")
        for start, end, label in bio_spans(tags):
            strings[" ".join(words[start:end])][label] += 1
            if label in ("PER", "LOC", "ORG", "OTH") and end - start == 1:
                names[words[start]][label] += 1
            elif label == "PER":
                names[words[end - 1]][label] += 1  # a surname alone names the person too
    lexicon = NerLexicon()
    for text, counts in strings.items():
        label, n = counts.most_common(1)[0]
        total = sum(counts.values())
        if n < min_count or n / total < share:
            continue
        lexicon.usual[text] = label
        if " " not in text and text[:1].isupper() and total / (total + unlabelled[text]) >= share:
            lexicon.always[text] = label
    for name, counts in names.items():
        label, n = counts.most_common(1)[0]
        if n >= min_count and n / sum(counts.values()) >= part_share:
            lexicon.first_parts[name] = label
    return lexicon


def train_span_types(train: Path, out: Path) -> Path:
    """The span classifier of ``newsgraph_span_types``: maxent (a one-item CRF, L2) over GermEval train's
    gold spans."""
    import pycrfsuite

    from newsgraph.pipeline.hanta import tag_words
    from newsgraph.pipeline.ner_corrections import span_type_features

    trainer = pycrfsuite.Trainer(verbose=False)
    for words, tags in read_bio_sentences(train):
        stts = [pos for _lemma, pos in tag_words(words)]
        for start, end, label in bio_spans(tags):
            trainer.append([span_type_features(words, stts, start, end)], [label])
    trainer.set_params({"c1": 0.0, "c2": 1.0, "max_iterations": 200})
    trainer.train(str(out))
    return out


def add_corrections(pipeline_dir: Path, train: Path) -> None:
    """Build the lexicon and train the span classifier from GermEval train, and append (or replace) their
    components after ``ner`` in a trained pipeline folder, in place: one load, one save. The HanTa component
    that annotated training is dropped."""
    import tempfile

    import spacy

    import newsgraph.training.hanta_tags  # noqa: F401  (the training pipeline's annotating component)

    nlp = spacy.load(pipeline_dir)
    # HanTa's tags were a training-time feature only: at run time the shipped tagger sets Token.tag_.
    for name in ("hanta_tags", "newsgraph_ner_lexicon", "newsgraph_span_types"):
        if name in nlp.pipe_names:
            nlp.remove_pipe(name)
    lexicon = nlp.add_pipe("newsgraph_ner_lexicon", after="ner")
    assert isinstance(lexicon, NerLexicon)
    built = build_lexicon(train)
    lexicon.usual, lexicon.always, lexicon.first_parts = built.usual, built.always, built.first_parts
    span_types = nlp.add_pipe("newsgraph_span_types", after="newsgraph_ner_lexicon")
    assert isinstance(span_types, SpanTypes)
    with tempfile.TemporaryDirectory() as tmp:
        span_types.model = train_span_types(train, Path(tmp) / "span_types.crfsuite").read_bytes()
    nlp.to_disk(pipeline_dir)
