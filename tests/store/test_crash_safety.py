"""kill -9 during an ingest leaves an intact, consistent database, and a rerun completes it exactly."""

from __future__ import annotations

from pathlib import Path

from newsgraph.store.crash_trial import crash_trial

ROOT = Path(__file__).resolve().parents[2]


def test_kill_during_ingest_then_resume(tmp_path: Path) -> None:
    lines = (ROOT / "samples" / "wikinews-de.jsonl").read_text(encoding="utf-8").splitlines()[:24]
    sample = tmp_path / "sample.jsonl"
    sample.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = crash_trial(tmp_path / "c.db", [str(sample)], expected=24, kill_after=8)
    assert result["killed"] and 8 <= result["stored_at_kill"] < 24
    for check in (result["after_kill"], result["resumed"]):
        assert check["integrity"] == "ok" and check["fts"] == "ok"
        assert check["fts_rows"] == check["articles"]
    assert result["resumed"]["articles"] == 24 and result["lost"] == 0 and result["duplicated"] == 0
