"""Damaged and read-only stores for ``bench/faults.py`` and the tests: each damage applied to a copy of a good
corpus, every CLI command run over it, and its outcome classified (a coded error, a traceback, or success)."""

from __future__ import annotations

import ctypes
import os
import random
import shutil
import stat
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path


def _truncated(db: Path) -> None:
    with open(db, "r+b") as fh:
        fh.truncate(max(4096, db.stat().st_size // 3))


def _random_bytes(db: Path) -> None:
    db.write_bytes(random.Random(0).randbytes(max(65536, db.stat().st_size)))


def _zero_length(db: Path) -> None:
    db.write_bytes(b"")


def _garbled_middle(db: Path) -> None:
    """8 KB of noise in the middle: the header and schema survive, some pages do not."""
    size = db.stat().st_size
    with open(db, "r+b") as fh:
        fh.seek(max(8192, (size // 2) // 4096 * 4096))
        fh.write(random.Random(1).randbytes(8192))


def _read_only_folder(db: Path) -> None:
    db.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    db.parent.chmod(stat.S_IRUSR | stat.S_IXUSR | stat.S_IRGRP | stat.S_IXGRP | stat.S_IROTH | stat.S_IXOTH)


def _read_only_file(db: Path) -> None:
    db.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)


# name -> (damage, whether it takes away write permission: then commands run without root's override)
DAMAGES: dict[str, tuple[Callable[[Path], None], bool]] = {
    "truncated": (_truncated, False),
    "random bytes": (_random_bytes, False),
    "zero-length": (_zero_length, False),
    "8 KB garbled in the middle": (_garbled_middle, False),
    "read-only folder": (_read_only_folder, True),
    "read-only file": (_read_only_file, True),
}


def damaged_copy(good: Path, folder: Path, damage: str) -> Path:
    """A checkpointed copy of the corpus ``good`` in ``folder`` (made anew), with ``damage`` applied."""
    if folder.exists():
        folder.chmod(0o755)
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    db = folder / "corpus.db"
    shutil.copyfile(good, db)
    for suffix in ("-wal", "-shm"):  # a corpus still open elsewhere: its log travels with it
        if Path(f"{good}{suffix}").exists():
            shutil.copyfile(f"{good}{suffix}", f"{db}{suffix}")
    DAMAGES[damage][0](db)
    return db


def commands(db: Path, inputs: Path, out: Path) -> dict[str, list[str]]:
    """Every CLI command that opens the store, with arguments that make it read (or write) something."""
    d = ["--db", str(db)]
    return {
        "ingest": ["ingest", str(inputs), *d], "ingest --reanalyze": ["ingest", str(inputs), "--reanalyze", *d],
        "search": ["search", "Berlin", *d], "show": ["show", "0000000000000000", *d],
        "times": ["times", "0000000000000000", *d], "failures": ["failures", *d],
        "failures --clear": ["failures", "--clear", *d], "statements": ["statements", *d],
        "events": ["events", *d], "export jsonl": ["export", "--out", str(out / "x.jsonl"), *d],
        "export parquet": ["export", "--format", "parquet", "--out", str(out / "tables"), *d],
        "network": ["network", *d], "duplicates": ["duplicates", *d], "stories": ["stories", *d],
        "stories --rebuild": ["stories", "--rebuild", *d], "entities list": ["entities", "list", *d],
        "entities rebuild": ["entities", "rebuild", *d], "entities curation": ["entities", "curation", *d],
        "entities merge": ["entities", "merge", "PER:a", "PER:b", *d], "check": ["check", *d],
        "datasette-metadata": ["datasette-metadata", *d],
        "serve": ["serve", "--port", "8765", *d],
    }


def _without_permission_override() -> None:
    """In the child, before exec: drop the capabilities that let root write what it may not (CAP_DAC_OVERRIDE,
    CAP_DAC_READ_SEARCH, CAP_FOWNER), so a read-only file is read-only for root too."""
    if os.geteuid() != 0:
        return
    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (1, 2, 3):
        if libc.prctl(24, cap, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP) failed")


@dataclass(frozen=True)
class Outcome:
    command: str
    exit_code: int
    kind: str  # "ok", "coded" (a one-line NGxxx error), "traceback", "uncoded" (failed without a code), "running"
    message: str


def classify(command: str, exit_code: int, stderr: str) -> Outcome:
    last = next((line for line in reversed(stderr.strip().splitlines()) if line.strip()), "")
    if "Traceback (most recent call last)" in stderr:
        kind = "traceback"
    elif exit_code == 0:
        kind = "ok"
    elif "Error: [NG" in stderr:
        kind = "coded"
    else:
        kind = "uncoded"
    return Outcome(command, exit_code, kind, last[:300])


CLI = "import sys; from newsgraph.interfaces.cli.main import main; sys.argv[0] = 'newsgraph'; main()"


def run_command(name: str, args: Sequence[str], *, read_only: bool, timeout: float = 300) -> Outcome:
    """``newsgraph ARGS`` in a child process (without root's permission override where ``read_only``)."""
    env = {**os.environ, "NEWSGRAPH_ARTICLE_TIME_BUDGET": "0"}
    try:
        done = subprocess.run([sys.executable, "-c", CLI, *args], capture_output=True, text=True, timeout=timeout,
                              env=env, preexec_fn=_without_permission_override if read_only else None)
    except subprocess.TimeoutExpired as exc:  # a server that started (or a command that hangs)
        return Outcome(name, -1, "running", str(exc.stderr or "")[-300:])
    return classify(name, done.returncode, done.stderr)
