"""Stages registered by name, each declaring what it requires and what it assigns.

A stage is a pure function ``(Article, settings) -> dict`` of layer updates; ``apply_update`` is the thin layer that
writes them onto the article and refuses anything the stage did not declare.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from newsgraph.errors import ContractError, StageFailed, UnknownStage
from newsgraph.model import Article
from newsgraph.settings import Settings

StageFunc = Callable[[Article, Settings], dict[str, Any]]

# Attributes every article has before any stage runs.
BASE_ATTRIBUTES = frozenset({"text", "id", "title", "url", "published", "source", "meta"})


@dataclass(frozen=True)
class Stage:
    name: str
    func: StageFunc
    requires: tuple[str, ...]
    assigns: tuple[str, ...]
    languages: frozenset[str] | None  # None: runs on any language
    doc: str

    def applies_to(self, article: Article) -> bool:
        return self.languages is None or (article.language or "") in self.languages

    def writable_fields(self) -> frozenset[str]:
        return frozenset(a.split(".", 1)[0] for a in self.assigns)


_REGISTRY: dict[str, Stage] = {}


def stage(name: str, *, requires: Iterable[str] = (), assigns: Iterable[str],
          languages: Iterable[str] | None = None) -> Callable[[StageFunc], StageFunc]:
    """Register ``func`` as pipeline stage ``name``."""

    def register(func: StageFunc) -> StageFunc:
        _REGISTRY[name] = Stage(
            name=name, func=func, requires=tuple(requires), assigns=tuple(assigns),
            languages=frozenset(languages) if languages is not None else None,
            doc=(func.__doc__ or "").strip().split("\n")[0],
        )
        return func

    return register


def registered_stages() -> dict[str, Stage]:
    """Every stage registered so far (``newsgraph.pipeline`` registers the built-in ones on import)."""
    return dict(_REGISTRY)


def get_stage(name: str) -> Stage:
    stages = registered_stages()
    if name not in stages:
        raise UnknownStage(f"no stage named {name!r}; known: {', '.join(sorted(stages))}")
    return stages[name]


def check_contracts(stages: Sequence[Stage]) -> None:
    """Every requirement must be assigned by an earlier stage (or be a base attribute)."""
    available = set(BASE_ATTRIBUTES)
    for st in stages:
        for need in st.requires:
            if need not in available and need.split(".", 1)[0] not in available:
                raise ContractError(f"stage {st.name!r} requires {need!r}, which no earlier stage assigns")
        available.update(st.assigns)
        available.update(a.split(".", 1)[0] for a in st.assigns)


def apply_update(article: Article, st: Stage, update: dict[str, Any]) -> Article:
    undeclared = set(update) - st.writable_fields()
    if undeclared:
        raise StageFailed(f"stage {st.name!r} wrote {sorted(undeclared)} but declares only {list(st.assigns)}",
                          where=article.id)
    layers = {k: v for k, v in update.items() if k in Article.LAYERS}
    scalars = {k: v for k, v in update.items() if k not in Article.LAYERS}
    out = article.with_layers(**layers) if layers else article
    if scalars:
        import dataclasses

        out = dataclasses.replace(out, **scalars)
    return out
