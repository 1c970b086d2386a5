"""Stages registered by name, each declaring what it requires and what it assigns.

A stage may come in variants, one per reader tier (``@stage("mentions", variant="deep")``): the pipeline picks
each stage's variant once, when it is built, from the ``tier`` setting; a stage registered without a variant
serves every tier, and one registered only for some tiers is left out of the others.

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
    variant: str = ""  # "" serves every tier
    check: Callable[[], None] | None = None  # run when a pipeline is built with the stage: NG309 for a missing package

    def applies_to(self, article: Article) -> bool:
        return self.languages is None or (article.language or "") in self.languages

    def writable_fields(self) -> frozenset[str]:
        return frozenset(a.split(".", 1)[0] for a in self.assigns)


_REGISTRY: dict[str, dict[str, Stage]] = {}  # name -> variant -> stage


def stage(name: str, *, requires: Iterable[str] = (), assigns: Iterable[str],
          languages: Iterable[str] | None = None, variant: str = "",
          check: Callable[[], None] | None = None) -> Callable[[StageFunc], StageFunc]:
    """Register ``func`` as pipeline stage ``name`` (for one tier where ``variant`` names it)."""

    def register(func: StageFunc) -> StageFunc:
        _REGISTRY.setdefault(name, {})[variant] = Stage(
            name=name, func=func, requires=tuple(requires), assigns=tuple(assigns),
            languages=frozenset(languages) if languages is not None else None,
            doc=(func.__doc__ or "").strip().split("\n")[0], variant=variant, check=check,
        )
        return func

    return register


def registered_stages(tier: str | None = None) -> dict[str, Stage]:
    """Every stage registered so far (``newsgraph.pipeline`` registers the built-in ones on import), in the
    variant ``tier`` picks (default: the default tier's); stages the tier leaves out are not listed."""
    out = {}
    for name in _REGISTRY:
        chosen = stage_for(name, tier or DEFAULT_TIER)
        if chosen is not None:
            out[name] = chosen
    return out


def stage_variants(name: str) -> dict[str, Stage]:
    return dict(_REGISTRY.get(name, {}))


DEFAULT_TIER = "deep"


def stage_for(name: str, tier: str) -> Stage | None:
    """The stage's variant for ``tier``, else its variant for every tier; None where the tier leaves it out."""
    if name not in _REGISTRY:
        raise UnknownStage(f"no stage named {name!r}; known: {', '.join(sorted(_REGISTRY))}")
    variants = _REGISTRY[name]
    return variants.get(tier, variants.get(""))


def get_stage(name: str, tier: str = DEFAULT_TIER) -> Stage:
    chosen = stage_for(name, tier)
    if chosen is None:
        raise UnknownStage(f"stage {name!r} has no variant for the {tier!r} tier; it has "
                           f"{', '.join(sorted(_REGISTRY[name]))}")
    return chosen


def check_contracts(stages: Sequence[Stage]) -> None:
    """Every requirement must be assigned by an earlier stage (or be a base attribute): a requirement of a
    field (``tokens.pos``) only by a stage that assigns that field or the whole layer, not by one that assigns
    another field of the layer."""
    available = set(BASE_ATTRIBUTES)
    for st in stages:
        for need in st.requires:
            if need not in available and need.split(".", 1)[0] not in BASE_ATTRIBUTES:
                raise ContractError(f"stage {st.name!r} requires {need!r}, which no earlier stage assigns")
        available.update(st.assigns)


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
