"""``newsgraph train core|statements``: one command per shipped model, from ../shared/data, fixed seeds."""

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


def train_core_model(out: Path, *, install: bool = False, max_steps: int = 12000) -> dict[str, Any]:
    """Floret vectors, the joint network (tagger, morphologizer, lemmatizer, NER), the lemma table and the NER
    corrections; card with NER and tagging scores."""
    from newsgraph.training.core import build_lemma_table, train_core
    from newsgraph.training.ner import add_corrections
    from newsgraph.training.vectors import train_vectors

    data = shared_data_dir()
    start = time.time()
    work = out / "work"
    vectors = train_vectors(data, work)
    best = train_core(data, work, vectors=vectors, max_steps=max_steps)
    model_dir = out / "core-de"
    shutil.rmtree(model_dir, ignore_errors=True)
    shutil.copytree(best, model_dir / "pipeline")
    add_corrections(model_dir / "pipeline", data / "ner/germeval2014/NER-de-train.outer.bio.tsv")
    (model_dir / "lemmas.json").write_text(json.dumps(build_lemma_table(work), ensure_ascii=False,
                                                      separators=(",", ":")), encoding="utf-8")
    run = json.loads((work / "training_run.json").read_text(encoding="utf-8"))
    card = write_core_card(model_dir, training_seconds=round(time.time() - start), hyperparameters=run)
    if install:
        _install(model_dir)
    return card


def write_core_card(model_dir: Path, *, training_seconds: int, hyperparameters: dict[str, Any]) -> dict[str, Any]:
    """Score the model (GermEval dev/test NER, UD German-GSD dev/test tagging) and write its card."""
    import spacy

    import newsgraph.pipeline.ner_corrections  # noqa: F401  (registers the components the pipeline uses)
    from newsgraph.evaluation.ner import evaluate_model
    from newsgraph.evaluation.tagging import read_ud, score_ud
    from newsgraph.pipeline.stages.morphology import CoreModel

    nlp = spacy.load(model_dir / "pipeline")
    germeval = shared_data_dir() / "ner/germeval2014"
    ner = {}
    for split, name in (("dev", "NER-de-dev.tsv"), ("test", "NER-de-test.tsv")):
        res = evaluate_model(nlp, germeval / name)
        p, r, f = res["strict"].prf()
        ner[split] = {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4),
                      "tokens_per_s": round(res["tokens"] / res["seconds"])}
    core = CoreModel(model_dir)
    gsd = shared_data_dir() / "treebanks/ud-german-gsd-devtest"
    tagging = {split: {k: round(v, 4) for k, v in score_ud(core.tag_words, list(read_ud(
        gsd / f"de_gsd-ud-{split}.conllu"))).items() if k != "tokens"} for split in ("dev", "test")}
    card = {
        "name": "newsgraph core-de",
        "description": "German core model: one spaCy tok2vec (hash embeddings and floret vectors) shared by an "
        "STTS tagger, a UD morphologizer (Mood, Tense, Person, Number, Case, VerbForm), an edit-tree lemmatizer "
        "and a transition-based NER for GermEval 2014's outer labels (PER, LOC, ORG, OTH with deriv/part); then a "
        "lexicon component from GermEval train and a span classifier that relabels an entity when it is at least "
        "60 % sure of another label. Tags and lemmas are learnt from HanTa's output (lemmas.json holds HanTa's "
        "usual lemma of each (word, tag) seen in training); morphology from UD German-PUD.",
        "licence": "CC BY 4.0 (GermEval 2014); HanTa (LGPL-3.0) labelled the CC BY / CC BY-SA train text, its "
                   "output is not its code; UD German-PUD CC BY-SA 3.0; no NC data; the span classifier's "
                   "first-name feature reads nam_dict.txt (GNU FDL) shipped in the gender-guesser package",
        "non_commercial": False,
        "training_data": "GermEval 2014 train (entities; HanTa tags and lemmas), Europarl NER and SpkAtt 2023 train "
                         "(HanTa tags and lemmas), UD German-PUD (morphology); floret vectors on the train splits "
                         "listed in training/unlabeled_text.py",
        "reproduce": "newsgraph train core --out DIR --install", "seed": 0, "hyperparameters": hyperparameters,
        "training_seconds": training_seconds, "size_mb": folder_size_mb(model_dir),
        "scores": {"ner": ner, "tagging_ud_gsd": tagging},
        "metric": "NER: strict span match, 12 outer labels, CoNLL style (bench/ner.py); tagging: accuracy on UD "
                  "German-GSD, STTS = XPOS, UPOS mapped from STTS, lemma case-insensitive (bench/tagger.py)",
    }
    write_card(model_dir, card)
    return card


def statement_scores(model_dir: Path) -> dict[str, dict[str, float]]:
    """Headline metrics of a statements model on news-quotation-2024 dev and test."""
    from newsgraph.evaluation.statements import evaluate_split

    keys = ("cue_f1", "joint_f1", "quote_f1", "kind_accuracy", "medium_accuracy")
    reports = {split: evaluate_split(split, model=model_dir)[0] for split in ("dev", "test")}
    return {split: {k: round(report[k], 4) for k in keys} for split, report in reports.items()}


def train_statements_model(out: Path, *, install: bool = False) -> dict[str, Any]:
    """CRF statements tagger on news-quotation-2024 train; card (non-commercial)."""
    from newsgraph.training.statements import MODELS, train_statements

    data = shared_data_dir()
    start = time.time()
    work = train_statements(data, out / "work")
    model_dir = out / "statements-de"
    model_dir.mkdir(parents=True, exist_ok=True)
    for name in MODELS:
        shutil.copy(work / f"{name}.crfsuite", model_dir / f"{name}.crfsuite")
    run = json.loads((out / "work" / "training_run.json").read_text(encoding="utf-8"))
    card = {
        "name": "newsgraph statements-de",
        "description": "CRFs with Konjunktiv, quotation and cue-lexicon features: cues.crfsuite (cue spans), "
                       "roles.crfsuite (speaker / message / addressee seen from one cue), spans.crfsuite (all "
                       "roles at once; its P(cue) is averaged with the cue tagger's), sentences.crfsuite (which "
                       "sentences are cue-less statements), kind.crfsuite (Direct ... Reported), medium.crfsuite "
                       "(Speech / Writing / SW / ST); "
                       "assembled into statements by pipeline/stages/statements.py.",
        "licence": "CC BY-NC-SA 4.0, inherited from news-quotation-2024", "non_commercial": True,
        "training_data": "news-quotation-2024 train (700 German Wikinews articles)",
        "reproduce": "newsgraph train statements --out DIR --install", "hyperparameters": run,
        "training_seconds": round(time.time() - start), "size_mb": folder_size_mb(model_dir),
        "scores": statement_scores(model_dir), "metric": "pinned in evaluation/statements.py (bench/statements.py)",
    }
    write_card(model_dir, card)
    if install:
        _install(model_dir)
    return card
