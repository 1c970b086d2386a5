"""Where the training commands find the shared datasets."""

from __future__ import annotations

import os
from pathlib import Path

from newsgraph.errors import MissingData


def shared_data_dir() -> Path:
    """The ``shared/data`` folder: ``NEWSGRAPH_DATA`` or ``../shared/data`` next to the checkout."""
    env = os.environ.get("NEWSGRAPH_DATA")
    candidates = [Path(env)] if env else []
    here = Path(__file__).resolve()
    candidates += [parent / "shared" / "data" for parent in here.parents]
    candidates.append(Path.cwd().parent / "shared" / "data")
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    raise MissingData("shared/data", hint="set NEWSGRAPH_DATA to the datasets folder")
