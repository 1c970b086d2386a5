"""``newsgraph train tagger|ner|statements``: one command per shipped model, from ../shared/data, fixed seeds."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path
from typing import Any

from newsgraph.evaluation.data_paths import shared_data_dir
from newsgraph.training.cards import folder_size_mb, write_card

PACKAGE_MODELS = Path(__file__).resolve().parents[1] / "models"


def _install(model_dir: Path) -> None:
    """Replace the packaged model of the same name (src/newsgraph/models/<name>)."""
    target = PACKAGE_MODELS / model_dir.name
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(model_dir, target)


def train_ner_model(out: Path, *, install: bool = False, max_steps: int = 12000) -> dict[str, Any]:
    """Floret vectors, tok2vec pretraining (1 epoch), spaCy NER with HanTa tags; dev/test scores; card."""
    from newsgraph.training.ner import add_corrections, pretrain_tok2vec, train_ner
    from newsgraph.training.vectors import train_vectors

    data = shared_data_dir()
    start = time.time()
    vectors = train_vectors(data, out / "work")
    weights = pretrain_tok2vec(data, out / "work" / "pretrain", vectors=vectors, epochs=1)
    best = train_ner(data, out / "work", vectors=vectors, max_steps=max_steps, patience=3000,
                     embed="multihash+tag", init_tok2vec=weights)
    model_dir = out / "ner-de"
    shutil.rmtree(model_dir, ignore_errors=True)
    shutil.copytree(best, model_dir / "pipeline")
    add_corrections(model_dir / "pipeline", data / "ner/germeval2014/NER-de-train.outer.bio.tsv")
    card = write_ner_card(model_dir, training_seconds=round(time.time() - start))
    if install:
        _install(model_dir)
    return card


def write_ner_card(model_dir: Path, *, training_seconds: int) -> dict[str, Any]:
    """Score the model on GermEval dev and test and write its card."""
    import spacy

    import newsgraph.pipeline.ner_corrections  # noqa: F401  (registers the components the pipeline uses)
    from newsgraph.evaluation.ner import evaluate_model
    from newsgraph.pipeline.stages.morphology import stts_tags

    nlp = spacy.load(model_dir / "pipeline")
    germeval = shared_data_dir() / "ner/germeval2014"
    scores = {}
    for split, name in (("dev", "NER-de-dev.tsv"), ("test", "NER-de-test.tsv")):
        res = evaluate_model(nlp, germeval / name, stts_tags)
        p, r, f = res["strict"].prf()
        scores[split] = {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4),
                         "tokens_per_s": round(res["tokens"] / res["seconds"])}
    card = {
        "name": "newsgraph ner-de", "description": "German NER, GermEval 2014 outer labels (PER, LOC, ORG, OTH "
        "with deriv/part): spaCy transition-based NER over hash embeddings, floret vectors and HanTa STTS tags, "
        "tok2vec pretrained (character objective) on the unlabeled train-split text; then a lexicon component "
        "built from GermEval train (usual labels of trained strings, name-hyphen compounds as part), and a "
        "span classifier (maxent over span words, affixes, tags, neighbours and a first-name list) that "
        "relabels an entity when it is at least 60 % sure of another label.",
        "licence": "CC BY 4.0 (GermEval 2014); the unlabeled text for vectors and pretraining is CC BY / CC BY-SA "
                   "or unlicensed research data (Europarl NER); no NC text is used; the span classifier's "
                   "first-name feature reads nam_dict.txt (GNU FDL) shipped in the gender-guesser package",
        "non_commercial": False,
        "training_data": "GermEval 2014 train (NER); floret vectors and tok2vec pretraining on the train splits "
                         "listed in training/unlabeled_text.py",
        "reproduce": "newsgraph train ner --out DIR --install", "seed": 0,
        "training_seconds": training_seconds, "size_mb": folder_size_mb(model_dir), "scores": scores,
        "metric": "strict span match, 12 outer labels, CoNLL style (bench/ner.py)",
    }
    write_card(model_dir, card)
    return card


def train_tagger_model(out: Path, *, install: bool = False, max_steps: int = 8000) -> dict[str, Any]:
    """HanTa-labelled text + UD PUD morphology -> spaCy tagger, morphologizer, lemmatizer; lemma table; card."""
    from newsgraph.training.tagger import build_lemma_table, train_tagger

    data = shared_data_dir()
    start = time.time()
    work = out / "work"
    best = train_tagger(data, work, max_steps=max_steps)
    model_dir = out / "tagger-de"
    shutil.rmtree(model_dir, ignore_errors=True)
    shutil.copytree(best, model_dir / "pipeline")
    (model_dir / "lemmas.json").write_text(json.dumps(build_lemma_table(work), ensure_ascii=False,
                                                      separators=(",", ":")), encoding="utf-8")
    run = json.loads((work / "training_run.json").read_text(encoding="utf-8"))
    card = {
        "name": "newsgraph tagger-de",
        "description": "The fast tagger (setting tagger = 'fast'): STTS tagger, UD morphologizer (Mood, Tense, "
                       "Person, Number, Case, VerbForm) and edit-tree lemmatizer over one small spaCy tok2vec "
                       "(hash embeddings, no static vectors), plus a table of HanTa's usual lemma for each (word, "
                       "tag) seen in training. Tags and lemmas are learnt from HanTa's output; morphology from "
                       "UD German-PUD.",
        "licence": "CC BY 4.0 / CC BY-SA 4.0 text (GermEval 2014 train, Europarl NER train, SpkAtt 2023 train) "
                   "labelled by HanTa (LGPL-3.0; its output is not its code); UD German-PUD CC BY-SA 3.0",
        "non_commercial": False,
        "training_data": "HanTa labels on the train splits above; UD German-PUD morphology; selected on "
                         "GermEval 2014 dev (HanTa labels) and UD German-GSD dev",
        "reproduce": "newsgraph train tagger --out DIR --install", "seed": 0, "hyperparameters": run,
        "training_seconds": round(time.time() - start), "size_mb": folder_size_mb(model_dir),
        "scores": tagger_scores(model_dir),
        "metric": "accuracy on UD German-GSD (STTS = XPOS; UPOS mapped from STTS; lemma case-insensitive); "
                  "bench/tagger.py compares with HanTa",
    }
    write_card(model_dir, card)
    if install:
        _install(model_dir)
    return card


def tagger_scores(model_dir: Path) -> dict[str, dict[str, float]]:
    from newsgraph.evaluation.tagging import read_ud, score_ud
    from newsgraph.pipeline.stages.morphology import Tagger

    tagger = Tagger(model_dir)
    gsd = shared_data_dir() / "treebanks/ud-german-gsd-devtest"
    scores = {}
    for split in ("dev", "test"):
        res = score_ud(tagger.tag_words, list(read_ud(gsd / f"de_gsd-ud-{split}.conllu")))
        scores[split] = {k: round(v, 4) for k, v in res.items() if k != "tokens"}
    return scores


def statement_scores(model_dir: Path) -> dict[str, dict[str, float]]:
    """Headline metrics of a statements model on news-quotation-2024 dev and test."""
    from newsgraph.evaluation.statements import evaluate_split

    keys = ("cue_f1", "joint_f1", "quote_f1", "kind_accuracy", "medium_accuracy")
    reports = {split: evaluate_split(split, model=model_dir)[0] for split in ("dev", "test")}
    return {split: {k: round(report[k], 4) for k in keys} for split, report in reports.items()}


def train_statements_model(out: Path, *, install: bool = False) -> dict[str, Any]:
    """CRF statements tagger on news-quotation-2024 train; card (non-commercial)."""
    from newsgraph.training.statement_confidence import fit_confidence
    from newsgraph.training.statements import MODELS, train_statements

    data = shared_data_dir()
    start = time.time()
    work = train_statements(data, out / "work")
    model_dir = out / "statements-de"
    model_dir.mkdir(parents=True, exist_ok=True)
    for name in MODELS:
        shutil.copy(work / f"{name}.crfsuite", model_dir / f"{name}.crfsuite")
    confidence = fit_confidence(data, model_dir)
    run = json.loads((out / "work" / "training_run.json").read_text(encoding="utf-8"))
    card = {
        "name": "newsgraph statements-de",
        "description": "CRFs with Konjunktiv, quotation and cue-lexicon features: cues.crfsuite (cue spans), "
                       "roles.crfsuite (speaker / message / addressee seen from one cue), spans.crfsuite (all "
                       "roles at once; its P(cue) is averaged with the cue tagger's), sentences.crfsuite (which "
                       "sentences are cue-less statements), kind.crfsuite (Direct ... Reported), medium.crfsuite "
                       "(Speech / Writing / SW / ST), confidence.json (logistic weights: the chance a statement is "
                       "right); assembled into statements by pipeline/stages/statements.py.",
        "licence": "CC BY-NC-SA 4.0, inherited from news-quotation-2024", "non_commercial": True,
        "training_data": "news-quotation-2024 train (700 German Wikinews articles)",
        "reproduce": "newsgraph train statements --out DIR --install", "hyperparameters": run,
        "confidence": {k: v for k, v in confidence.items() if k not in ("weights", "bias", "features")},
        "training_seconds": round(time.time() - start), "size_mb": folder_size_mb(model_dir),
        "scores": statement_scores(model_dir), "metric": "pinned in evaluation/statements.py (bench/statements.py)",
    }
    write_card(model_dir, card)
    if install:
        _install(model_dir)
    return card
