"""Given names, for telling a person's name from other capitalised words (NER features, author bylines)."""

from __future__ import annotations

from functools import cache
from pathlib import Path


def _name_dict() -> Path:
    from importlib.util import find_spec

    spec = find_spec("gender_guesser")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("the NER span classifier needs the first-name list of the gender-guesser package: "
                          "pip install gender-guesser (a declared dependency of newsgraph)")
    return Path(next(iter(spec.submodule_search_locations))) / "data" / "nam_dict.txt"


@cache
def name_genders() -> dict[str, str]:
    """``"F"`` or ``"M"`` for each given name the list gives only one gender in any country (so "Andrea" and
    "Kim", female in some countries and male in others, have none)."""
    seen: dict[str, set[str]] = {}
    with open(_name_dict(), encoding="utf-8", errors="replace") as fh:
        for line in fh:
            parts = line.split()
            if len(parts) > 1 and not line.startswith("#") and parts[0] != "=" and "+" not in parts[1]:
                code = parts[0].lstrip("?1")
                seen.setdefault(parts[1], set()).add(code if code in ("F", "M") else "?")
    return {name: next(iter(codes)) for name, codes in seen.items() if len(codes) == 1 and codes != {"?"}}


def given_name_gender(name: str) -> str | None:
    """The gender of a person's name by its first word, where that is a given name of one gender."""
    first = name.split()[0] if name.split() else ""
    return name_genders().get(first)


@cache
def first_names() -> frozenset[str]:
    """Given names from the list the gender-guesser package ships (``data/nam_dict.txt``, GNU FDL). Read as
    data: the package's GPL code is not imported."""
    path = _name_dict()
    names = set()
    with open(path, encoding="utf-8", errors="replace") as fh:
        for line in fh:
            parts = line.split()
            if len(parts) > 1 and not line.startswith("#") and parts[0] != "=" and "+" not in parts[1]:
                names.add(parts[1])
    return frozenset(names)
