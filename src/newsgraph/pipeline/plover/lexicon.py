"""The event lexicons as lookup tables."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from newsgraph.pipeline.resources import word_list


@dataclass(frozen=True, slots=True)
class TriggerEntry:
    type: str
    mode: str | None
    context: str | None


@dataclass(frozen=True, slots=True)
class ActorCode:
    country: str | None  # None: take it from the context
    sector: str | None


def _dash(value: str) -> str | None:
    return None if value == "-" else value


@cache
def triggers() -> tuple[dict[str, TriggerEntry], dict[str, TriggerEntry]]:
    """Verb triggers by lemma, noun triggers by lower-cased lemma."""
    verbs: dict[str, TriggerEntry] = {}
    nouns: dict[str, TriggerEntry] = {}
    for line in word_list("de", "event_triggers.txt"):
        lemma, kind, mode, context = line.split("\t")
        if kind == "-":
            continue
        entry = TriggerEntry(kind, _dash(mode), _dash(context))
        (nouns if lemma[0].isupper() else verbs)[lemma.lower()] = entry
    return verbs, nouns


@cache
def not_triggers() -> frozenset[str]:
    """Compounds that end in a trigger but name no event ("Pressekonferenz", "Mobiltelefon"), lower case."""
    return frozenset(line.split("\t")[0].lower() for line in word_list("de", "event_triggers.txt")
                     if line.split("\t")[1] == "-")


@cache
def noun_suffixes() -> tuple[str, ...]:
    """Noun triggers longest first, for matching the end of a compound ("Rücktrittsforderung")."""
    return tuple(sorted(triggers()[1], key=len, reverse=True))


@cache
def request_modes() -> dict[str, str]:
    return {word: mode for word, mode in (line.split("\t") for line in word_list("de", "event_modes.txt"))}


@cache
def countries() -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """Country names (with genitive -s), adjective stems and capitals, each lower case -> ISO 3166 alpha-3."""
    names: dict[str, str] = {}
    adjectives: dict[str, str] = {}
    capitals: dict[str, str] = {}
    for line in word_list("de", "event_countries.txt"):
        code, name_list, adjective_list, capital_list = line.split("\t")
        for name in name_list.split("|"):
            names[name.lower()] = code
            if not name.endswith(("s", "z", "x", "ß")):
                names[name.lower() + "s"] = code
        for stem in adjective_list.split("|"):
            adjectives[stem.lower()] = code
        for capital in capital_list.split("|"):
            capitals[capital.lower()] = code
            if not capital.endswith(("s", "z", "x", "ß")):
                capitals[capital.lower() + "s"] = code
    return names, adjectives, capitals


@cache
def actor_words() -> dict[str, ActorCode]:
    """Organisations, groups and role nouns, lower case."""
    table: dict[str, ActorCode] = {}
    for line in word_list("de", "event_actors.txt"):
        word, code, sector = line.split("\t")
        table[word] = ActorCode(_dash(code), sector)
    return table


@cache
def role_suffixes() -> tuple[str, ...]:
    return tuple(sorted((w for w, c in actor_words().items() if c.country is None), key=len, reverse=True))


@cache
def people_endings() -> tuple[str, ...]:
    """Endings of head nouns that name people or groups, lower case: whole words ("truppen", which also ends
    "Koalitionstruppen") and the suffixes of agent and nationality nouns ("-er", "-ist")."""
    return tuple(sorted((line.lstrip("-") for line in word_list("de", "event_people.txt")), key=len, reverse=True))


@cache
def _light_verb_table() -> dict[str, frozenset[str]]:
    table: dict[str, frozenset[str]] = {}
    for line in word_list("de", "event_light_verbs.txt"):
        lemma, types = line.split("\t")
        table[lemma] = frozenset(types.split(","))
    return table


@cache
def light_verbs(event_type: str) -> frozenset[str]:
    """Lemmas of the verbs whose subject owns an event noun of ``event_type`` ("einen Angriff starten")."""
    return frozenset(lemma for lemma, types in _light_verb_table().items() if "*" in types or event_type in types)


@cache
def violence_words() -> tuple[str, ...]:
    """Lemma endings that make an attack physical ("Messer", "Rakete", "verletzen"), lower case."""
    return tuple(line for line in word_list("de", "event_violence.txt") if not line.startswith("~"))


@cache
def verbal_attack_adverbs() -> frozenset[str]:
    """Words that make an attack verbal ("scharf angegriffen"), lower case."""
    return frozenset(line[1:] for line in word_list("de", "event_violence.txt") if line.startswith("~"))
