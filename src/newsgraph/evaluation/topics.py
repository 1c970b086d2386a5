"""Topic datasets mapped onto the IPTC Media Topics top level, and accuracy.

10kGNAD (test split, derStandard.at, CC BY-NC-SA 4.0) and XGLUE news classification (German dev split, MSN
news) use their own categories. Both are mapped to the IPTC top level; categories that name no topic are left
out: XGLUE's ``news`` (general news of any topic) and ``video`` (a format).

| IPTC Media Topic | 10kGNAD | XGLUE |
|---|---|---|
| politics | Inland, International | – |
| economy, business and finance | Wirtschaft | finance |
| arts, culture, entertainment and media | Kultur, Etat (the media section) | entertainment |
| science and technology | Web, Wissenschaft | – |
| sport | Sport | sports |
| society | Panorama | – |
| lifestyle and leisure | – | lifestyle, travel, foodanddrink, autos |
| health | – | health |
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

POLITICS, ECONOMY, CULTURE = "politics", "economy, business and finance", "arts, culture, entertainment and media"
SCIENCE, SPORT, SOCIETY = "science and technology", "sport", "society"
LIFESTYLE, HEALTH = "lifestyle and leisure", "health"

GNAD_TOPICS = {"Inland": POLITICS, "International": POLITICS, "Wirtschaft": ECONOMY, "Kultur": CULTURE,
               "Etat": CULTURE, "Web": SCIENCE, "Wissenschaft": SCIENCE, "Sport": SPORT, "Panorama": SOCIETY}
XGLUE_TOPICS = {"finance": ECONOMY, "entertainment": CULTURE, "sports": SPORT, "lifestyle": LIFESTYLE,
                "travel": LIFESTYLE, "foodanddrink": LIFESTYLE, "autos": LIFESTYLE, "health": HEALTH}


@dataclass(frozen=True)
class TopicDoc:
    text: str
    topic: str
    source_label: str


def read_10kgnad(path: Path) -> list[TopicDoc]:
    """``label;'text'`` lines (the test split)."""
    docs = []
    with open(path, encoding="utf-8", newline="") as fh:
        for row in csv.reader(fh, delimiter=";", quotechar="'"):
            if len(row) >= 2 and row[0] in GNAD_TOPICS:
                docs.append(TopicDoc(";".join(row[1:]), GNAD_TOPICS[row[0]], row[0]))
    return docs


def read_xglue(path: Path) -> list[TopicDoc]:
    """``title<TAB>body<TAB>category`` lines; unmappable categories are left out."""
    docs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) == 3 and parts[2] in XGLUE_TOPICS:
            docs.append(TopicDoc(f"{parts[0]}\n{parts[1]}", XGLUE_TOPICS[parts[2]], parts[2]))
    return docs


def datasets(data: Path) -> dict[str, list[TopicDoc]]:
    return {"10kGNAD": read_10kgnad(data / "topics" / "10kgnad" / "test.csv"),
            "XGLUE": read_xglue(data / "topics" / "xglue-news-de" / "xglue_nc_de_dev.tsv")}
