"""One crash trial: start ``newsgraph ingest`` in a subprocess, kill it with SIGKILL once ``kill_after``
articles are stored, check the database, ingest again to the end, and count what was lost or duplicated.
Used by ``bench/crash.py`` (many trials at random moments) and the crash-safety test (one)."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from newsgraph.errors import NewsgraphError
from newsgraph.store.corpus import Corpus


def _ingest_command(db: Path, inputs: list[str]) -> list[str]:
    return [sys.executable, "-m", "newsgraph.interfaces.cli.main", "ingest", "--db", str(db), *inputs]


def _stored(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with Corpus(db, readonly=True, timeout=1.0) as corpus:
            return corpus.count()
    except (NewsgraphError, sqlite3.Error):  # the writer holds a lock or the file is new: poll again
        return 0


def crash_trial(db: Path, inputs: list[str], *, expected: int, kill_after: int, timeout: float = 300.0,
                batch_size: int = 4) -> dict[str, Any]:
    """Kill an ingest part-way, check, resume; return the checks, counts, lost and duplicated."""
    env = {**os.environ, "NEWSGRAPH_BATCH_SIZE": str(batch_size)}
    proc = subprocess.Popen(_ingest_command(db, inputs), env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + timeout
    while proc.poll() is None and _stored(db) < kill_after and time.monotonic() < deadline:
        time.sleep(0.05)
    killed = proc.poll() is None
    if killed:
        proc.send_signal(signal.SIGKILL)
    proc.wait()
    with Corpus(db) as corpus:
        after_kill = corpus.check()
    subprocess.run(_ingest_command(db, inputs), env=env, check=False, capture_output=True, timeout=timeout)
    with Corpus(db) as corpus:
        resumed = corpus.check()
        distinct = int(corpus.conn.execute("SELECT COUNT(DISTINCT id) FROM articles").fetchone()[0])
    return {"killed": killed, "stored_at_kill": after_kill["articles"], "after_kill": after_kill,
            "resumed": resumed, "lost": max(0, expected - distinct), "duplicated": resumed["articles"] - distinct}
