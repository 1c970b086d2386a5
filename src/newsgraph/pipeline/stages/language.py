"""Language identification with py3langid (model bundled with the package)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from newsgraph.model import Article
from newsgraph.pipeline.registry import stage
from newsgraph.settings import Settings

SAMPLE_CHARS = 3000


@lru_cache(maxsize=1)
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def identify_language(text: str, *, min_chars: int = 20, default: str = "de") -> str:
    """ISO 639-1 code of ``text``; ``default`` when the text is too short to tell."""
    sample = text[:SAMPLE_CHARS]
    if len(sample.strip()) < min_chars:
        return default
    lang, _prob = _identifier().classify(sample)
    return str(lang)


@stage("language", assigns=["language"])
def language_stage(article: Article, settings: Settings) -> dict[str, Any]:
    """Identify the article's language; keep a language given by the source."""
    if article.language:
        return {}
    return {"language": identify_language(article.text, min_chars=settings["min_language_chars"],
                                          default=settings["default_language"])}
