"""The database file itself: is it one, can it be written, and what an SQLite error on it means for the user.

Every SQLite error that leaves the store goes through ``translate``, so a damaged, foreign, read-only or locked
file gives one coded error naming the file and what to do, never a traceback.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from newsgraph.errors import StoreDamaged, StoreError, StoreLocked, StoreReadOnly

SQLITE_HEADER = b"SQLite format 3\x00"

_LOCKED = ("locked", "busy")
_READ_ONLY = ("readonly", "read-only", "unable to open database file", "attempt to write")
_DAMAGED = ("malformed", "not a database", "file is encrypted", "corrupt", "disk i/o error", "no such table")


def translate(exc: sqlite3.Error, path: Path) -> StoreError:
    """The coded error for an SQLite error on ``path``."""
    text = str(exc).lower()
    where = str(path)
    if any(word in text for word in _LOCKED):
        return StoreLocked(f"database {path} is locked", where=where)
    if any(word in text for word in _READ_ONLY):
        return StoreReadOnly(f"cannot write to {path}: {exc}", where=where)
    if any(word in text for word in _DAMAGED):
        return StoreDamaged(f"database {path} is damaged or not a newsgraph corpus: {exc}", where=where)
    if "full" in text:
        return StoreError(f"cannot write to {path}: {exc}", where=where,
                          hint="the disk is full: free space or use a --db on another disk, then run again")
    return StoreError(f"SQLite error on {path}: {exc}", where=where,
                      hint="check that the file is a newsgraph database; `newsgraph check --db FILE` says more")


def check_header(path: Path) -> None:
    """StoreDamaged unless ``path`` is missing, empty (SQLite makes a new database there) or starts as an SQLite
    database does: a truncated or overwritten file is named before any query fails on it."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(len(SQLITE_HEADER))
    except FileNotFoundError:
        return
    except OSError as exc:
        raise StoreError(f"cannot read {path}: {exc.strerror}", where=str(path),
                         hint="check that the path is a readable file") from exc
    if head and head != SQLITE_HEADER:
        raise StoreDamaged(f"{path} is not an SQLite database (its first bytes are {head[:8]!r})", where=str(path))


def writable(path: Path) -> bool:
    """Whether this process can write the file and the folder it is in (SQLite writes its -wal and -shm files
    beside it)."""
    folder = path.parent if str(path.parent) else Path(".")
    if not os.access(folder, os.W_OK | os.X_OK):
        return False
    return not path.exists() or os.access(path, os.W_OK)


def readonly_uri(path: Path) -> str:
    """The URI a reader opens ``path`` with. In a folder it cannot write, SQLite cannot make the shared-memory
    file that WAL mode reads through, so a database without a pending write-ahead log is opened as immutable
    (safe: nobody can be writing it there either)."""
    uri = f"file:{path}?mode=ro"
    if writable(path):
        return uri
    wal = Path(f"{path}-wal")
    if wal.exists() and wal.stat().st_size > 0 and not Path(f"{path}-shm").exists():
        raise StoreReadOnly(f"{path} has unsaved changes in {wal.name}, and its folder cannot be written",
                            where=str(path), hint="open it where its folder is writable once (any newsgraph read "
                                                  "command does), or copy the three files to a writable folder")
    return uri + "&immutable=1"
