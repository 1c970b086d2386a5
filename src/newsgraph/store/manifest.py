"""Exports written whole or not at all.

A file is written beside its target and renamed onto it (``atomic_file``). A folder of Parquet tables is written
aside and swapped in, and its manifest is written last: a folder without one, or whose files differ from it, is
incomplete (a killed export or Spark run) and ``newsgraph load`` refuses it.

``manifest.json``: ``{"format": "newsgraph-tables", "schema_version", "written_at", "files": {relative path:
{"bytes", "rows", "sha256"}}}``.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from newsgraph.errors import IncompleteTables, UsageError
from newsgraph.model import SCHEMA_VERSION

MANIFEST = "manifest.json"
FORMAT = "newsgraph-tables"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_manifest(folder: Path, rows_of: Callable[[Path], int]) -> dict[str, Any]:
    """Describe every Parquet file under ``folder`` (``rows_of`` reads a file's row count) in its manifest,
    written to a temporary name and renamed, so that a manifest is either whole or absent."""
    files = {p.relative_to(folder).as_posix(): {"bytes": p.stat().st_size, "rows": rows_of(p), "sha256": _sha256(p)}
             for p in sorted(folder.rglob("*.parquet"))}
    manifest = {"format": FORMAT, "schema_version": SCHEMA_VERSION,
                "written_at": datetime.now(UTC).isoformat(timespec="seconds"), "files": files}
    partial = folder / f".{MANIFEST}.partial"
    partial.write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    os.replace(partial, folder / MANIFEST)
    return manifest


def check_manifest(folder: Path) -> dict[str, Any]:
    """The folder's manifest, after checking that the Parquet files are exactly those it lists, with the same
    sizes and hashes; IncompleteTables otherwise."""
    path = folder / MANIFEST
    if not path.is_file():
        raise IncompleteTables(f"{folder} has no {MANIFEST}: its tables may be incomplete", where=str(folder))
    try:
        manifest: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        listed: dict[str, dict[str, Any]] = manifest["files"]
    except (ValueError, KeyError, TypeError) as exc:
        raise IncompleteTables(f"{path} is not a readable manifest: {exc}", where=str(path)) from exc
    if manifest.get("format") != FORMAT or int(manifest.get("schema_version", 0)) > SCHEMA_VERSION:
        raise IncompleteTables(f"{path} is not a newsgraph tables manifest of schema version <= {SCHEMA_VERSION}",
                               where=str(path), hint="upgrade newsgraph, or write the tables again")
    present = {p.relative_to(folder).as_posix() for p in folder.rglob("*.parquet")}
    extra, missing = sorted(present - set(listed)), sorted(set(listed) - present)
    if extra or missing:
        raise IncompleteTables(f"{folder}: files not in the manifest {extra[:3]}, files missing {missing[:3]}",
                               where=str(folder))
    for name, entry in listed.items():
        file = folder / name
        if file.stat().st_size != entry.get("bytes") or _sha256(file) != entry.get("sha256"):
            raise IncompleteTables(f"{file} differs from its manifest entry (size or SHA-256)", where=str(file))
    return manifest


def check_replaceable(target: Path) -> None:
    """UsageError when ``target`` holds files that no export wrote (they would be lost)."""
    if target.exists() and any(target.iterdir()) and not (target / MANIFEST).is_file():
        raise UsageError(f"{target} is not empty and holds no newsgraph tables; refusing to replace it",
                         hint="give --out a new or empty folder, or one an earlier export wrote")


def replace_folder(partial: Path, target: Path) -> None:
    """Put the finished folder ``partial`` at ``target``: an earlier export there is moved aside first and removed
    after, so a reader finds the old tables, the new ones, or (between two renames) none, never a mix."""
    check_replaceable(target)
    old = target.with_name(f".{target.name}.old")
    if old.exists():
        shutil.rmtree(old)
    if target.exists():
        os.replace(target, old)
    os.replace(partial, target)
    if old.exists():
        shutil.rmtree(old)


def partial_folder(target: Path) -> Path:
    """A new, empty folder beside ``target`` to write into before ``replace_folder``."""
    partial = target.with_name(f".{target.name}.partial-{os.getpid()}")
    if partial.exists():
        shutil.rmtree(partial)
    partial.mkdir(parents=True)
    return partial


@contextmanager
def atomic_file(target: Path, mode: str = "w") -> Iterator[Any]:  # a text or binary file, by mode
    """Open a temporary file beside ``target``; on success it replaces ``target``, on any error (or a kill) the
    earlier ``target`` stays as it was and the temporary file is removed (or, after a kill, left as a dot file)."""
    partial = target.with_name(f".{target.name}.partial-{os.getpid()}")
    kwargs: dict[str, Any] = {} if "b" in mode else {"encoding": "utf-8", "newline": ""}
    try:
        with open(partial, mode, **kwargs) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
