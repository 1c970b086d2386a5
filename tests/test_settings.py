from __future__ import annotations

from pathlib import Path

import pytest

from newsgraph.errors import UsageError
from newsgraph.settings import SETTINGS, load_settings, settings_markdown

ROOT = Path(__file__).resolve().parents[1]


def test_every_setting_is_documented() -> None:
    doc = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    assert settings_markdown() in doc
    assert all(s.help for s in SETTINGS)


def test_precedence_file_env_flag(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cfg = tmp_path / "newsgraph.toml"
    cfg.write_text("[newsgraph]\nbatch_size = 8\nn_process = 3\ndb = 'file.db'\n", encoding="utf-8")
    monkeypatch.setenv("NEWSGRAPH_N_PROCESS", "2")
    values = load_settings({"db": "flag.db"}, config=cfg)
    assert (values["batch_size"], values["n_process"], values["db"]) == (8, 2, "flag.db")


def test_bad_values_are_usage_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSGRAPH_BATCH_SIZE", "many")
    with pytest.raises(UsageError, match="batch_size"):
        load_settings()
    cfg = tmp_path / "newsgraph.toml"
    cfg.write_text("[newsgraph]\nnot_a_setting = 1\n", encoding="utf-8")
    monkeypatch.delenv("NEWSGRAPH_BATCH_SIZE")
    with pytest.raises(UsageError, match="unknown setting"):
        load_settings(config=cfg)
