"""Limits shared by all readers."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypedDict

from newsgraph.errors import EmptyInput, InputTooLarge, NoArticleText


def check_length(text: str, where: str, max_chars: int, min_chars: int = 0) -> None:
    if not text.strip():
        raise EmptyInput("no text after decoding", where=where)
    if len(text) > max_chars:
        raise InputTooLarge(f"text has {len(text):,} characters; the limit is {max_chars:,}", where=where)
    if len(text.strip()) < min_chars:
        raise NoArticleText(f"the item has {len(text.strip())} characters of text; an article needs at least "
                            f"{min_chars} (the min_item_chars setting)", where=where,
                            hint="a feed item or record this short is no article; lower min_item_chars to keep it")


class ReadLimits(TypedDict):
    max_chars: int
    min_page_chars: int
    min_item_chars: int
    max_json_depth: int
    max_html_depth: int
    max_record_bytes: int


def read_limits(settings: Mapping[str, Any]) -> ReadLimits:
    """The readers' limits from the settings, as keyword arguments of ``read_inputs``."""
    return {"max_chars": int(settings["max_article_chars"]), "min_page_chars": int(settings["min_page_chars"]),
            "min_item_chars": int(settings["min_item_chars"]),
            "max_json_depth": int(settings["max_json_depth"]), "max_html_depth": int(settings["max_html_depth"]),
            "max_record_bytes": int(settings["max_record_bytes"])}
