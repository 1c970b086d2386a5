"""The NER corrections of the core model, built from GermEval 2014 train after the network is trained
(``training/core.py``): the lexicon and the span classifier (``pipeline/ner_corrections.py``).
Thresholds were chosen on GermEval dev; GermEval test is read only by ``bench/ner.py``.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path

from newsgraph.evaluation.bio import bio_spans, read_bio_sentences
from newsgraph.pipeline.ner_corrections import NerLexicon, SpanTypes


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

    from newsgraph.pipeline.ner_corrections import span_type_features
    from newsgraph.training.hanta import tag_words

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
    components after ``ner`` in a trained pipeline folder, in place: one load, one save."""
    import tempfile

    import spacy

    nlp = spacy.load(pipeline_dir)
    for name in ("newsgraph_ner_lexicon", "newsgraph_span_types"):
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
