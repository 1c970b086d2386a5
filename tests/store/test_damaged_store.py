"""A damaged, foreign, empty or read-only store: every command answers with one coded error naming the file and
what to do (NG206 damaged, NG200 read-only), never a traceback; read commands read a read-only store."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsgraph.evaluation.faults import DAMAGES, commands, damaged_copy, run_command
from newsgraph.interfaces.cli.main import main

ROOT = Path(__file__).resolve().parents[2]
DAMAGED = [name for name, (_apply, read_only) in DAMAGES.items() if not read_only]


@pytest.fixture()
def inputs(tmp_path: Path) -> Path:
    path = tmp_path / "two.jsonl"
    lines = (ROOT / "samples" / "wikinews-de.jsonl").read_text(encoding="utf-8").splitlines()[:2]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("damage", DAMAGED)
def test_every_command_on_a_damaged_store_gives_a_coded_error(damage: str, demo_db: Path, inputs: Path,
                                                              tmp_path: Path) -> None:
    runner = CliRunner()
    folder, out = tmp_path / "damaged", tmp_path / "out"
    out.mkdir()
    outcomes = {}
    for name, argv in commands(folder / "corpus.db", inputs, out).items():
        if name == "serve":
            continue  # below: it must stop before serving
        damaged_copy(demo_db, folder, damage)
        result = runner.invoke(main, argv)
        assert result.exception is None or isinstance(result.exception, SystemExit), (name, result.exception)
        assert result.exit_code in (0, 1), (name, result.output)
        if result.exit_code:
            assert "Error: [NG2" in result.output, (name, result.output)
        outcomes[name] = result.output
    if damage == "zero-length":  # an empty file is no corpus to read, but one to start
        assert "[NG206]" in outcomes["search"] and "empty (0 bytes)" in outcomes["search"]
        assert "[NG" not in outcomes["ingest"]
    else:
        assert "[NG206]" in outcomes["search"] or damage.startswith("8 KB")
        assert "[NG206]" in outcomes["ingest"]  # nothing is written into a damaged file
        assert "[NG206]" in outcomes["check"]


@pytest.mark.parametrize("damage", DAMAGED)
def test_serve_refuses_a_damaged_store(damage: str, demo_db: Path, tmp_path: Path) -> None:
    db = damaged_copy(demo_db, tmp_path / "damaged", damage)
    result = CliRunner().invoke(main, ["serve", "--db", str(db), "--port", "8766"])
    assert result.exit_code == 1 and "[NG206]" in result.output


def test_the_api_on_a_damaged_store_says_so(demo_db: Path, tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from newsgraph.interfaces.api import create_app

    db = damaged_copy(demo_db, tmp_path / "damaged", "truncated")
    answer = TestClient(create_app(db), raise_server_exceptions=False).get("/api/articles")
    assert answer.status_code == 503 and answer.json()["error"]["code"] == "NG206"


def test_check_reports_a_good_store(demo_db: Path) -> None:
    result = CliRunner().invoke(main, ["check", "--db", str(demo_db)])
    assert result.exit_code == 0 and "integrity  ok" in result.output and "fts        ok" in result.output


needs_permissions = pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")


@needs_permissions
@pytest.mark.parametrize("damage", ["read-only folder", "read-only file"])
def test_a_read_only_store_is_read_and_never_misread(damage: str, demo_db: Path, inputs: Path,
                                                     tmp_path: Path) -> None:
    folder, out = tmp_path / "ro", tmp_path / "out"
    out.mkdir()
    out.chmod(0o777)
    argv = commands(folder / "corpus.db", inputs, out)
    outcomes = {}
    for name in ("search", "entities list", "check", "entities rebuild", "ingest", "failures --clear"):
        damaged_copy(demo_db, folder, damage)
        outcomes[name] = run_command(name, argv[name], read_only=True)
    assert all(o.kind != "traceback" for o in outcomes.values()), outcomes
    for reader in ("search", "entities list", "check"):
        assert outcomes[reader].kind == "ok", outcomes[reader]
    for writer in ("entities rebuild", "ingest", "failures --clear"):
        assert outcomes[writer].kind == "coded" and "[NG200]" in outcomes[writer].message, outcomes[writer]
