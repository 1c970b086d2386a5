"""Given names, for telling a person's name from other capitalised words (NER features, author bylines)."""

from __future__ import annotations

from functools import cache
from pathlib import Path


@cache
def first_names() -> frozenset[str]:
    """Given names from the list the gender-guesser package ships (``data/nam_dict.txt``, GNU FDL). Read as
    data: the package's GPL code is not imported."""
    from importlib.util import find_spec

    spec = find_spec("gender_guesser")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("the NER span classifier needs the first-name list of the gender-guesser package: "
                          "pip install gender-guesser (a declared dependency of newsgraph)")
    path = Path(next(iter(spec.submodule_search_locations))) / "data" / "nam_dict.txt"
    names = set()
    with open(path, encoding="utf-8", errors="replace") as fh:
        for line in fh:
            parts = line.split()
            if len(parts) > 1 and not line.startswith("#") and parts[0] != "=" and "+" not in parts[1]:
                names.add(parts[1])
    return frozenset(names)
