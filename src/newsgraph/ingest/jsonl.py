"""JSON Lines: one article per line with ``text`` and optional ``title``, ``url``, ``published``, ``modified``,
``source`` (or ``publisher``), ``authors`` (a list of names, or one string), ``host`` and ``language``."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

from newsgraph.errors import EmptyInput, MalformedJsonLine, NewsgraphError
from newsgraph.ingest.limits import check_length
from newsgraph.model import Article, Failure, valid_unicode

_FIELDS = ("title", "url", "published", "source", "language", "modified", "host")


def article_from_json(obj: object, where: str, *, max_chars: int, min_chars: int = 0) -> Article:
    if not isinstance(obj, dict):
        raise MalformedJsonLine("line is JSON but not an object", where=where)
    text = obj.get("text")
    if not isinstance(text, str) or not text.strip():
        raise MalformedJsonLine("object has no non-empty string field \"text\"", where=where)
    check_length(text, where, max_chars, min_chars)
    fields: dict[str, object] = {k: obj[k] if isinstance(obj.get(k), str) else None for k in _FIELDS}
    if not fields["source"] and isinstance(obj.get("publisher"), str):  # the publication's name
        fields["source"] = obj["publisher"]
    authors = obj.get("authors")
    fields["authors"] = authors.split(";") if isinstance(authors, str) else authors if isinstance(authors, list) else ()
    given = obj.get("meta")
    meta: dict[str, object] = _valid(given) if isinstance(given, dict) else {}
    return Article.create(text, meta={**meta, "input": where}, **fields)


def _valid(meta: dict[str, object]) -> dict[str, object]:
    """The input's meta with lone surrogates replaced (they would fail when the store encodes it)."""
    text, replaced = valid_unicode(json.dumps(meta, ensure_ascii=False))
    clean: dict[str, object] = json.loads(text) if replaced else meta
    return clean


def json_depth(text: str) -> int:
    """How deeply a JSON text nests arrays and objects, in one pass that skips strings (no parsing)."""
    depth = deepest = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "]}":
            depth -= 1
    return deepest


def articles_from_jsonl(lines: Iterable[bytes], where: str, *, max_chars: int, max_depth: int = 64,
                        min_chars: int = 0) -> Iterator[Article | Failure]:
    seen = False
    for n, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        seen = True
        line_where = f"{where}#L{n}"
        try:
            try:
                line = raw.decode("utf-8-sig")
                if json_depth(line) > max_depth:
                    raise MalformedJsonLine(f"JSON nested deeper than {max_depth} levels (the max_json_depth setting)",
                                            where=line_where)
                obj = json.loads(line)
            except UnicodeDecodeError as exc:
                raise MalformedJsonLine(f"line is not UTF-8: {exc.reason} at byte {exc.start}",
                                        where=line_where) from exc
            except json.JSONDecodeError as exc:
                raise MalformedJsonLine(f"invalid JSON: {exc.msg} at column {exc.colno}",
                                        where=line_where) from exc
            except RecursionError as exc:
                raise MalformedJsonLine("JSON nested too deeply to read", where=line_where) from exc
            yield article_from_json(obj, line_where, max_chars=max_chars, min_chars=min_chars)
        except NewsgraphError as exc:
            yield exc.to_failure(input=line_where)
    if not seen:
        yield EmptyInput("the JSON Lines file has no lines", where=where).to_failure(input=where)
