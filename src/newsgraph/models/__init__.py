"""Trained models shipped as package data, loaded lazily once per process."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from newsgraph.errors import ModelMissing

MODELS_DIR = Path(__file__).resolve().parent


def model_path(name: str) -> Path:
    path = MODELS_DIR / name
    if not path.is_dir():
        raise ModelMissing(f"model {name!r} is not installed at {path}")
    return path


@cache
def load_spacy_model(name: str) -> Any:
    """Load a shipped spaCy pipeline once per process."""
    import spacy



    return spacy.load(model_path(name) / "pipeline")
