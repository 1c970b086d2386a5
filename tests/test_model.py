from __future__ import annotations

import json
from pathlib import Path

import jsonschema
from hypothesis import given
from hypothesis import strategies as st

from newsgraph.json_schema import article_json_schema
from newsgraph.model import (
    Article,
    Entity,
    Mention,
    Sentence,
    SpeakerSpan,
    Statement,
    TextSpan,
    content_id,
)

ROOT = Path(__file__).resolve().parents[1]


def test_checked_in_schema_matches_code() -> None:
    checked_in = json.loads((ROOT / "schema" / "article.schema.json").read_text(encoding="utf-8"))
    assert checked_in == article_json_schema(), "run: python -m newsgraph.schema_dump > schema/article.schema.json"


def test_content_id_ignores_whitespace_layout_only() -> None:
    assert content_id("Der Kreml  bestätigte.\r\n") == content_id("Der Kreml bestätigte.")
    assert content_id("Der Kreml bestätigte.") != content_id("Der Kreml dementierte.")
    assert len(content_id("x")) == 16


def test_create_normalises_text_and_derives_id() -> None:
    a = Article.create("\ufeffZeile eins  \r\nZeile zwei\n\n")
    assert a.text == "Zeile eins\nZeile zwei"
    assert a.id == content_id(a.text)


def _hand_built() -> Article:
    text = "Trump sagte: „Das war gut.“"
    a = Article.create(text, title="T", published="2025-02-13", source="Test")
    return a.with_layers(
        sentences=[Sentence(0, len(a.text))],
        mentions=[Mention(0, 5, "Trump", "PER", 0)],
        entities=[Entity("e0", "Trump", "PER", ("Trump",), ("US-Präsident",))],
        statements=[Statement("Direct", TextSpan(6, 11, "sagte"), SpeakerSpan(0, 5, "Trump", 0),
                              (TextSpan(14, 26, "Das war gut."),), None)],
    )


def test_round_trip_and_schema_valid() -> None:
    a = _hand_built()
    data = a.to_dict()
    jsonschema.validate(data, article_json_schema())
    assert Article.from_dict(json.loads(json.dumps(data))) == a


def test_cue_less_statement_is_schema_valid() -> None:
    a = _hand_built()
    st_ = Statement("FreeIndirect", None, None, (TextSpan(0, 5, "Trump"),))
    jsonschema.validate(a.with_layers(statements=[st_]).to_dict(), article_json_schema())


def test_schema_rejects_bad_label() -> None:
    data = _hand_built().to_dict()
    data["mentions"][0]["label"] = "PERSON"
    try:
        jsonschema.validate(data, article_json_schema())
    except jsonschema.ValidationError:
        return
    raise AssertionError("schema accepted an unknown mention label")


@given(st.text(min_size=1, max_size=200), st.one_of(st.none(), st.text(max_size=30)))
def test_round_trip_any_text(text: str, title: str | None) -> None:
    a = Article.create(text, title=title)
    assert Article.from_dict(json.loads(json.dumps(a.to_dict()))) == a
