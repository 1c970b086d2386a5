"""The published JSON Schema of ``Article.to_dict()``, checked in at ``schema/article.schema.json``
(``python -m newsgraph.schema_dump > schema/article.schema.json`` writes it)."""

from __future__ import annotations

from newsgraph.model import EVENT_TYPES, JSON, LAYER_TYPES, MODALITIES, SCHEMA_VERSION

_INT = {"type": "integer", "minimum": 0}
_STR = {"type": "string"}
_NSTR = {"type": ["string", "null"]}
_NINT = {"type": ["integer", "null"], "minimum": 0}


def _obj(props: JSON, required: list[str] | None = None) -> JSON:
    return {"type": "object", "properties": props, "required": required or list(props)}


def _nullable(schema: JSON) -> JSON:
    return {"oneOf": [{"type": "null"}, schema]}


def article_json_schema() -> JSON:
    """The published JSON Schema of ``Article.to_dict()`` (checked in at ``schema/article.schema.json``)."""
    text_span = _obj({"start": _INT, "end": _INT, "text": _STR})
    speaker = _obj({"start": _INT, "end": _INT, "text": _STR, "entity": _NINT})
    actor = _obj({"start": _INT, "end": _INT, "text": _STR, "entity": _NINT, "country": _NSTR, "sector": _NSTR},
                 ["start", "end", "text", "entity"])
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://newsgraph.dev/schema/article.schema.json",
        "title": "newsgraph Article",
        "description": f"An analysed article; schema version {SCHEMA_VERSION}. Offsets index into `text`.",
        "type": "object",
        "required": ["id", "title", "url", "published", "source", "language", "text", *LAYER_TYPES],
        "properties": {
            "id": {"type": "string", "pattern": "^[0-9a-f]{16}$"},
            "title": _NSTR, "url": _NSTR,
            "published": {"type": ["string", "null"], "pattern": r"^\d{4}-\d{2}-\d{2}"},
            "source": _NSTR, "language": _NSTR, "text": _STR, "meta": {"type": "object"},
            "modified": {"type": ["string", "null"], "pattern": r"^\d{4}-\d{2}-\d{2}"},
            "authors": {"type": "array", "items": _STR}, "host": _NSTR,
            "sentences": {"type": "array", "items": _obj({"start": _INT, "end": _INT})},
            "tokens": {"type": "array", "items": _obj(
                {"start": _INT, "end": _INT, "lemma": _NSTR, "pos": _NSTR, "morph": _NSTR}, ["start", "end"])},
            "mentions": {"type": "array", "items": _obj(
                {"start": _INT, "end": _INT, "text": _STR, "label": {"enum": ["PER", "LOC", "ORG", "OTH"]},
                 "entity": _NINT, "form": {"enum": [None, "deriv", "part", "nominal", "pronoun"]}},
                ["start", "end", "text", "label", "entity"])},
            "entities": {"type": "array", "items": _obj(
                {"id": _STR, "name": _STR, "label": _STR, "aliases": {"type": "array", "items": _STR},
                 "roles": {"type": "array", "items": _STR}, "affiliations": {"type": "array", "items": _INT}})},
            "statements": {"type": "array", "items": _obj(
                {"kind": {"enum": ["Direct", "Indirect", "FreeIndirect", "IndirectFreeIndirect", "Reported"]},
                 "cue": _nullable(text_span), "speaker": _nullable(speaker),
                 "message": {"type": "array", "items": text_span}, "addressee": _nullable(text_span),
                 "medium": _NSTR, "cue_parts": {"type": "array", "items": text_span},
                 "confidence": {"type": ["number", "null"], "minimum": 0, "maximum": 1}},
                ["kind", "cue", "speaker", "message", "addressee"])},
            "events": {"type": "array", "items": _obj(
                {"type": {"enum": list(EVENT_TYPES)}, "trigger": text_span, "mode": _NSTR, "context": _NSTR,
                 "trigger_parts": {"type": "array", "items": text_span},
                 "source": _nullable(actor), "target": _nullable(actor), "place": _NINT, "date": _NSTR,
                 "date_from": {"enum": [None, "times", "published"]}, "modality": {"enum": list(MODALITIES)},
                 "statement": _NINT, "sentence": _NINT,
                 "confidence": {"type": ["number", "null"], "minimum": 0, "maximum": 1}},
                ["type", "trigger", "mode", "source", "target", "modality"])},
            "times": {"type": "array", "items": _obj(
                {"start": _INT, "end": _INT, "text": _STR, "value": _NSTR,
                 "kind": {"enum": ["DATE", "TIME", "DURATION", "SET"]},
                 "anchor": {"enum": [None, "published", "text"]}},
                ["start", "end", "text", "value", "kind"])},
        },
    }
