"""Trained models shipped as package data: where they are. The stages that use a model load it once per process."""

from __future__ import annotations

from pathlib import Path

from newsgraph.errors import ModelMissing

MODELS_DIR = Path(__file__).resolve().parent


def model_path(name: str) -> Path:
    path = MODELS_DIR / name
    if not path.is_dir():
        raise ModelMissing(f"model {name!r} is not installed at {path}")
    return path
