"""Limits shared by all readers."""

from __future__ import annotations

from newsgraph.errors import EmptyInput, InputTooLarge


def check_length(text: str, where: str, max_chars: int) -> None:
    if not text.strip():
        raise EmptyInput("no text after decoding", where=where)
    if len(text) > max_chars:
        raise InputTooLarge(f"text has {len(text):,} characters; the limit is {max_chars:,}", where=where)
