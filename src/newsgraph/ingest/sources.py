"""Paths, directories and globs to a stream of articles and failures, dispatched by format."""

from __future__ import annotations

import glob
import gzip
import io
import os
import sys
import zlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from newsgraph.errors import InputTooLarge, NewsgraphError, ReaderFailed, UnreadableInput, UnsupportedFormat
from newsgraph.ingest.feeds import articles_from_feed_bytes
from newsgraph.ingest.html import articles_from_html_bytes
from newsgraph.ingest.jsonl import articles_from_jsonl
from newsgraph.ingest.text import articles_from_text_bytes
from newsgraph.ingest.warc import articles_from_warc
from newsgraph.model import Article, Failure

FORMATS = ("text", "html", "feed", "warc", "jsonl")
_SUFFIXES = {
    ".txt": "text", ".text": "text",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".rss": "feed", ".atom": "feed", ".xml": "feed",
    ".warc": "warc", ".jsonl": "jsonl", ".ndjson": "jsonl",
}
Item = Article | Failure


def detect_format(path: Path) -> str:
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    if suffixes and suffixes[-1] in _SUFFIXES:
        return _SUFFIXES[suffixes[-1]]
    raise UnsupportedFormat(f"cannot tell the format of {path.name!r} from its name", where=str(path))


DOC_NAMES = ("readme", "license", "licence", "copying", "notice", "attribution", "changelog", "authors",
             "contributing")
DOC_SUFFIXES = (".md", ".rst", ".pdf", ".doc", ".docx", ".odt")


def is_documentation(path: Path) -> bool:
    """README, LICENSE, ATTRIBUTION.md and the like: files that come with a corpus but are not articles."""
    name = path.name.lower()
    return name.startswith(DOC_NAMES) or name.endswith(DOC_SUFFIXES)


def expand_paths(inputs: Iterable[str], skipped: list[Path] | None = None) -> Iterator[Path | Failure]:
    """Files named, found under directories (recursively) or matched by globs, in a stable order. Documentation
    files found in a folder are left out (and added to ``skipped``); a file named explicitly is always read."""
    for raw in inputs:
        if raw == "-":
            yield Path("-")
            continue
        path = Path(raw)
        if path.is_dir():
            for p in sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith(".")):
                if is_documentation(p):
                    if skipped is not None:
                        skipped.append(p)
                    continue
                yield p
        elif path.is_file():
            yield path
        elif any(ch in raw for ch in "*?["):
            matches = sorted(Path(m) for m in glob.glob(raw, recursive=True))
            files = [m for m in matches if m.is_file()]
            if not files:
                yield UnreadableInput("glob matches no files", where=display_path(raw)).to_failure(input=raw)
            yield from files
        else:
            yield UnreadableInput("no such file or directory", where=display_path(raw)).to_failure(input=raw)


def count_items(inputs: Iterable[str], fmt: str | None = None) -> int | None:
    """How many items a read of ``inputs`` will yield, for a progress bar: one per text or HTML file, one per
    line of a JSONL file; None when a feed, a WARC archive or standard input makes that unknown without
    parsing. A failure to come (a missing path) counts as one item."""
    total = 0
    for path in expand_paths(inputs):
        if not isinstance(path, Path):
            total += 1
            continue
        if str(path) == "-":
            return None
        try:
            kind = fmt or detect_format(path)
        except UnsupportedFormat:
            total += 1
            continue
        if kind in ("feed", "warc"):
            return None
        if kind == "jsonl":
            try:
                opener = gzip.open if path.suffix.lower() == ".gz" else open
                with opener(path, "rb") as fh:
                    total += sum(1 for line in fh if line.strip())
            except (OSError, EOFError):
                total += 1
        else:
            total += 1
    return total


def display_path(path: Path | str) -> str:
    """A path as text that any encoder accepts: bytes that are not UTF-8 in a file name are shown as \\xNN."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def _read_bytes(path: Path) -> bytes:
    if str(path) == "-":
        return sys.stdin.buffer.read()
    data = path.read_bytes()
    return gzip.decompress(data) if path.suffix.lower() == ".gz" else data


def read_file(path: Path, fmt: str | None, *, max_chars: int, min_page_chars: int = 0, max_json_depth: int = 64,
              max_html_depth: int = 512, max_record_bytes: int = 16_000_000, min_item_chars: int = 0) -> Iterator[Item]:
    """Articles and failures from one file. Never raises for bad content. ``min_page_chars``: the least main
    text an HTML page (alone or in a WARC) must have; ``min_item_chars``: a feed item or JSON Lines record."""
    where = display_path(path)
    try:
        kind = fmt or ("text" if where == "-" else detect_format(path))
        if kind not in FORMATS:
            raise UnsupportedFormat(f"unknown format {kind!r}", where=where)
        if kind != "warc" and where != "-" and path.stat().st_size > 4 * max_chars + 4:
            raise InputTooLarge(f"file has {path.stat().st_size:,} bytes; the limit is {max_chars:,} "
                                "characters", where=where)
        readers: dict[str, Callable[[bytes, str], Iterator[Item]]] = {
            "text": lambda d, w: articles_from_text_bytes(d, w, max_chars=max_chars),
            "html": lambda d, w: articles_from_html_bytes(d, w, max_chars=max_chars, min_chars=min_page_chars,
                                                          max_depth=max_html_depth),
            "feed": lambda d, w: articles_from_feed_bytes(d, w, max_chars=max_chars, min_chars=min_item_chars),
        }
        if kind == "warc":
            with open(path, "rb") as fh:
                yield from articles_from_warc(fh, where, max_chars=max_chars, min_chars=min_page_chars,
                                              max_record_bytes=max_record_bytes, max_depth=max_html_depth)
        elif kind == "jsonl":
            yield from articles_from_jsonl(io.BytesIO(_read_bytes(path)), where, max_chars=max_chars,
                                           max_depth=max_json_depth, min_chars=min_item_chars)
        else:
            yield from readers[kind](_read_bytes(path), where)
    except NewsgraphError as exc:
        yield exc.to_failure(input=where)
    except (OSError, gzip.BadGzipFile, EOFError, zlib.error) as exc:
        yield UnreadableInput(f"cannot read file: {type(exc).__name__}: {exc}", where=where).to_failure(input=where)
    except Exception as exc:  # a reader bug on hostile input: recorded with its type, the batch goes on
        yield ReaderFailed(f"reading failed: {type(exc).__name__}: {exc}", where=where).to_failure(input=where)


def read_inputs(inputs: Iterable[str], *, fmt: str | None = None, max_chars: int = 1_000_000,
                min_page_chars: int = 200, max_json_depth: int = 64, max_html_depth: int = 512,
                max_record_bytes: int = 16_000_000, min_item_chars: int = 0,
                skipped: list[Path] | None = None) -> Iterator[Item]:
    for entry in expand_paths(inputs, skipped):
        if isinstance(entry, Failure):
            yield entry
        else:
            yield from read_file(entry, fmt, max_chars=max_chars, min_page_chars=min_page_chars,
                                 max_json_depth=max_json_depth, max_html_depth=max_html_depth,
                                 max_record_bytes=max_record_bytes, min_item_chars=min_item_chars)
