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


def identify_language(text: str, *, min_chars: int = 20, default: str = "de", min_confidence: float = 0.5) -> str:
    """ISO 639-1 code of ``text``; ``default`` when the text is too short or too ambiguous to tell (a headline of
    names, "Putin empfing Trump in Moskau.", scores 0.09 for Nigerian Pidgin and 0.08 for English)."""
    sample = text[:SAMPLE_CHARS]
    if len(sample.strip()) < min_chars:
        return default
    lang, prob = _identifier().classify(sample)
    return str(lang) if prob >= min_confidence else default


@stage("language", assigns=["language"])
def language_stage(article: Article, settings: Settings) -> dict[str, Any]:
    """Identify the article's language; keep a language given by the source."""
    if article.language:
        return {}
    return {"language": identify_language(article.text, min_chars=settings["min_language_chars"],
                                          default=settings["default_language"],
                                          min_confidence=float(settings.get("min_language_confidence", 0.5)))}
