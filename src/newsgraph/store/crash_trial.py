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
    return _cli("ingest", "--db", str(db), *inputs)


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


# --- every writing command ------------------------------------------------------------------------------------

def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "newsgraph.interfaces.cli.main", *args]


def digest(db: Path) -> str:
    """What a user reads back from a corpus, as one hash: every article's JSON (in id order), the corpus entity
    keys and the stories' memberships. Two runs that end alike give the same digest."""
    import hashlib
    import json

    h = hashlib.sha256()
    with Corpus(db, readonly=True) as corpus:
        for article in sorted(corpus.iter_articles(), key=lambda a: a.id):
            h.update(json.dumps(article.to_dict(), sort_keys=True, ensure_ascii=False).encode())
        for row in corpus.conn.execute("SELECT article_id, idx, key FROM entities ORDER BY article_id, idx"):
            h.update(repr(tuple(row)).encode())
        groups = corpus.conn.execute("SELECT GROUP_CONCAT(article_id) FROM (SELECT story_id, article_id FROM"
                                     " story_articles ORDER BY story_id, article_id) GROUP BY story_id").fetchall()
        for members in sorted(str(g[0]) for g in groups):
            h.update(members.encode())
    return h.hexdigest()[:16]


def kill_trial(argv: list[str], *, after: float, timeout: float = 600.0,
               env: dict[str, str] | None = None) -> bool:
    """Run ``newsgraph ARGV`` and SIGKILL it ``after`` seconds in; whether it was still running then."""
    proc = subprocess.Popen(_cli(*argv), env={**os.environ, **(env or {})}, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        proc.wait(timeout=after)
        return False
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=timeout)
        return True


def run_to_end(argv: list[str], *, timeout: float = 600.0, env: dict[str, str] | None = None) -> int:
    return subprocess.run(_cli(*argv), env={**os.environ, **(env or {})}, capture_output=True, check=False,
                          timeout=timeout).returncode
