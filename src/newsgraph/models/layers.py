"""Custom spaCy/thinc layers used by newsgraph's trained models (registered on import).

``newsgraph.GazetteerEmbed.v1`` concatenates spaCy's MultiHashEmbed with an embedding of gazetteer flags
(country, city, first name, derivation stem, organisation head noun), then mixes them with a Maxout layer.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

from spacy.ml.models.tok2vec import MultiHashEmbed
from spacy.tokens import Doc
from spacy.util import registry
from thinc.api import Embed, Maxout, Model, chain, concatenate, with_array

GAZETTEER_FILE = Path(__file__).resolve().parents[1] / "pipeline" / "resources" / "de" / "gazetteer.json"
FLAGS = ("country", "city", "first_name", "deriv_stem", "org_head")
N_IDS = 2 ** len(FLAGS)
_INFLECTIONS = ("", "e", "en", "er", "es", "em")


@lru_cache(maxsize=1)
def _gazetteer() -> dict[str, frozenset[str]]:
    data = json.loads(GAZETTEER_FILE.read_text(encoding="utf-8"))
    return {k: frozenset(v) for k, v in data.items()}


@lru_cache(maxsize=200_000)
def gazetteer_id(word: str) -> int:
    """Bitmask of the gazetteer flags that ``word`` sets."""
    gaz = _gazetteer()
    lower = word.lower()
    head = lower.rsplit("-", 1)[-1]
    flags = (
        word in gaz["country"] or word.rstrip("s") in gaz["country"],
        word in gaz["city"],
        word in gaz["first_name"],
        any(lower.startswith(stem) and lower[len(stem):] in _INFLECTIONS for stem in gaz["deriv_stem"])
        if lower[-1:] in "enrsm" or lower.endswith("isch") else False,
        any(head.endswith(h) for h in gaz["org_head"]) if len(head) > 2 else False,
    )
    return sum(1 << i for i, on in enumerate(flags) if on)


def _gazetteer_ids() -> Model[list[Doc], list[Any]]:
    def forward(model: Model[list[Doc], list[Any]], docs: list[Doc], is_train: bool) -> tuple[list[Any], Callable[..., Any]]:
        ids = [model.ops.asarray2i([[gazetteer_id(t.text)] for t in doc]) if len(doc)
               else model.ops.alloc2i(0, 1) for doc in docs]
        return ids, lambda d_ids: []

    return Model("gazetteer_ids", forward)


@registry.architectures("newsgraph.GazetteerEmbed.v1")  # type: ignore[untyped-decorator]
def gazetteer_embed(width: int, attrs: list[str], rows: list[int], include_static_vectors: bool,
                    gaz_width: int = 16) -> Model[list[Doc], list[Any]]:
    base = MultiHashEmbed(width=width, attrs=attrs, rows=rows, include_static_vectors=include_static_vectors)
    gaz: Model[list[Doc], list[Any]] = chain(_gazetteer_ids(), with_array(Embed(gaz_width, N_IDS, column=0)))
    return chain(concatenate(base, gaz), with_array(Maxout(width, width + gaz_width, nP=3, normalize=True)))
