"""Stage ``dateline``: the dateline of agency copy ("BERLIN, 12. Februar 2025 (dpa) –") as the publication
date of an article that has none. It runs first in every pipeline, so ingest, ``analyze`` and the API all apply
it before the ``times`` stage resolves relative dates.

Only a dateline with a year gives ``published`` (``meta["published_from"] = "dateline"``). One without a year
("BERLIN, 12. Februar (dpa) –") names no year, so it is kept as ``meta["dateline"]`` with its ISO month-day
(``--02-12``) and ``published`` stays empty: a year taken from anywhere else would be a guess.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from newsgraph.model import Article
from newsgraph.pipeline.registry import stage
from newsgraph.pipeline.resources import word_table
from newsgraph.settings import Settings

# Place (capitals, hyphens, slashes; "BERLIN", "Frankfurt/Main"), a comma, the date, an optional agency in
# brackets, then a dash; all within the first line.
_DATELINE = re.compile(
    r"^\s*(?P<place>[A-ZÄÖÜ][\wÄÖÜäöüß.\-/ ]{1,40}?)\s*(?:\((?P<agency1>[\w/ ]{2,20})\)\s*)?,\s*"
    r"(?:(?P<d>\d{1,2})\.\s*(?P<mon>[A-Za-zäÄ]+\.?)|(?P<dn>\d{1,2})\.(?P<mn>\d{1,2})\.)\s*(?P<y>\d{4})?\s*"
    r"(?:\((?P<agency>[\w/ ]{2,20})\)\s*)?[–—-]")


def dateline(text: str) -> dict[str, str] | None:
    """The dateline at the start of ``text``: its text, ``date`` (ISO, when it has a year) or ``month_day``."""
    m = _DATELINE.match(text[:200])
    if not m:
        return None
    months = word_table("de", "time_months.txt")
    if m.group("mon"):
        month_word = months.get(m.group("mon").lower())
        if not month_word:
            return None
        day, month = int(m.group("d")), int(month_word[0])
    else:
        day, month = int(m.group("dn")), int(m.group("mn"))
    try:
        dt.date(2000, month, day)  # a leap year: is the month-day possible at all?
        found = {"text": m.group(0).rstrip("–—- ").strip(), "month_day": f"--{month:02d}-{day:02d}"}
        if m.group("y"):
            found["date"] = dt.date(int(m.group("y")), month, day).isoformat()
    except ValueError:
        return None
    return found


@stage("dateline", requires=["text"], assigns=["published", "meta"])
def dateline_stage(article: Article, settings: Settings) -> dict[str, Any]:
    """Take the publication date from the dateline when the article has none."""
    if article.published:
        return {}
    found = dateline(article.text)
    if found is None:
        return {}
    if "date" in found:
        return {"published": found["date"],
                "meta": {**article.meta, "published_from": "dateline", "dateline": found["text"]}}
    return {"meta": {**article.meta, "dateline": found["text"], "dateline_month_day": found["month_day"]}}
