"""Bytes to text: BOMs, UTF-8, then cp1252 and latin-1 fallbacks that must yield plausible text."""

from __future__ import annotations

import codecs
import unicodedata

from newsgraph.errors import BinaryInput, EmptyInput, UndecodableInput

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)
_ALLOWED_CONTROLS = {"\n", "\r", "\t", "\f"}


def _implausible_share(text: str) -> float:
    """Share of characters that ordinary prose never contains: controls, private use, unassigned."""
    if not text:
        return 0.0
    bad = 0
    for ch in text:
        if ch in _ALLOWED_CONTROLS:
            continue
        cat = unicodedata.category(ch)
        if cat in ("Cc", "Co", "Cn", "Cs"):
            bad += 1
    return bad / len(text)


def _c0_share(data: bytes) -> float:
    """Share of C0 control bytes other than tab, newlines and form feed: high in binaries, ~0 in text."""
    return sum(b < 32 and b not in (9, 10, 12, 13) for b in data) / max(1, len(data))


def _letter_share(text: str) -> float:
    visible = [ch for ch in text if not ch.isspace()]
    if not visible:
        return 0.0
    return sum(ch.isalpha() for ch in visible) / len(visible)


def decode_bytes(data: bytes, where: str, *, encoding: str | None = None) -> tuple[str, str]:
    """Return ``(text, encoding_used)`` or raise a coded ingest error."""
    if not data.strip():
        raise EmptyInput("input is empty", where=where)
    if encoding:
        try:
            return data.decode(encoding), encoding
        except (UnicodeDecodeError, LookupError) as exc:
            raise UndecodableInput(f"cannot decode as {encoding}: {exc}", where=where) from exc
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec), codec
            except UnicodeDecodeError as exc:
                raise UndecodableInput(f"byte-order mark says {codec}, but decoding failed: {exc}",
                                       where=where) from exc
    if b"\x00" in data[:8192]:
        raise BinaryInput("input contains NUL bytes", where=where)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        if _implausible_share(text) > 0.01:
            raise BinaryInput("input decodes as UTF-8 but is mostly control characters", where=where)
        return text, "utf-8"
    for codec in ("cp1252", "latin-1"):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if _implausible_share(text) <= 0.001 and _letter_share(text) >= 0.5:
            return text, codec
    if _c0_share(data) > 0.05:
        raise BinaryInput("input has many control bytes: neither UTF-8 nor legacy 8-bit text", where=where)
    raise UndecodableInput("input is not UTF-8, and cp1252 / latin-1 give implausible text", where=where)
