"""Entities merged within an article: names, roles, role nouns and pronouns.

Rules, in order (see docs/stages/entities.md for the guidelines the gold set follows):
1. Name mentions cluster by key: persons by surname (last token), others by the lemma-normalised text;
   a genitive ("Trumps", "Russlands") shares the key of its base form.
2. An entity is named by its longest name mention; aliases are all name forms; its label is the majority.
3. Roles are the role nouns right before a person's name ("US-Verteidigungsminister Pete Hegseth",
   "Russlands Präsident Wladimir Putin").
4. A definite role noun with no name after it ("der US-Präsident", "der Kremlchef") refers to the last
   person whose roles fit it.
5. "er" (and "sie" where that person has a feminine role) refers to the first person named earlier in the
   same sentence, else to the last person mentioned before the sentence.
Parts ("Ukraine-Konflikt") join the entity whose name they start with; derivations stay unlinked.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from newsgraph.model import Article, Entity, Mention, Token, entity_key
from newsgraph.models.first_names import given_name_gender
from newsgraph.pipeline.entity_names import base_name
from newsgraph.pipeline.registry import stage
from newsgraph.pipeline.resources import word_list, word_table
from newsgraph.settings import Settings

DEFINITE = frozenset({"der", "die", "den", "dem", "des"})
PRONOUNS_M = frozenset({"er", "ihn", "ihm"})
PRONOUNS_F = frozenset({"sie"})


@dataclass
class Cluster:
    key: str
    mentions: list[int] = field(default_factory=list)  # indexes into the mention list
    roles: list[str] = field(default_factory=list)
    label: str | None = None  # set where the context decides it (a party in brackets is an ORG)
    affiliations: list[Cluster] = field(default_factory=list)


def is_role_noun(word: str) -> bool:
    lower = word.lower()
    return any(lower.endswith(head) for head in word_list("de", "roles.txt")) and word[:1].isupper()


def _token_index(tokens: tuple[Token, ...]) -> dict[int, int]:
    return {t.start: i for i, t in enumerate(tokens)}


def _tokens_in(tokens: Sequence[Token], start: int, end: int) -> list[Token]:
    """The tokens that start inside ``[start, end)`` (tokens are sorted: two binary searches)."""
    return list(tokens[bisect_left(tokens, start, key=_start):bisect_left(tokens, end, key=_start)])


def _start(t: Token) -> int:
    return t.start


def _name_key(article: Article, m: Mention, tokens: list[Token]) -> str:
    """Persons: the surname; others: lemmas of the words. Genitive -s folds onto the base form."""
    words = _tokens_in(tokens, m.start, m.end)
    if not words:
        return m.text.lower()
    if m.label == "PER":
        last = words[-1]
        return _base(article.text[last.start:last.end], last.lemma, last.pos).lower()
    return " ".join(_base(article.text[t.start:t.end], t.lemma, t.pos).lower() for t in words)


def _base(surface: str, lemma: str | None, pos: str | None = None) -> str:
    if pos in ("NE", "NN") and lemma and surface.lower()[len(lemma):] not in ("", "s", "es"):
        lemma = None  # a name declines by genitive -s alone: "Polen" is no plural of "Pole"
    if lemma and surface.startswith(lemma[:-1] if len(lemma) > 3 else lemma) and len(lemma) <= len(surface):
        return lemma
    if surface.endswith("s") and len(surface) > 4:
        return surface[:-1]
    return surface


def _roles_before(article: Article, tokens: tuple[Token, ...], first: int) -> list[str]:
    """Role phrase ending right before token ``first``: [genitive name] role-noun."""
    i = first - 1
    if i < 0 or not is_role_noun(article.text[tokens[i].start:tokens[i].end]):
        return []
    start = i
    if i > 0 and tokens[i - 1].pos == "NE" and article.text[tokens[i - 1].start:tokens[i - 1].end].endswith("s"):
        start = i - 1
    return [article.text[tokens[start].start:tokens[i].end]]


def _person_surnames(article: Article, mentions: list[Mention], tokens: list[Token]) -> set[str]:
    """Surname keys of multi-token person names ("Donald Trump" -> "trump")."""
    return {_name_key(article, m, tokens) for m in mentions
            if m.form is None and m.label == "PER" and len(m.text.split()) > 1}


def _cluster_names(article: Article, mentions: list[Mention]) -> list[Cluster]:
    tokens = list(article.tokens)
    index = _token_index(article.tokens)
    surnames = _person_surnames(article, mentions, tokens)
    clusters: dict[tuple[str, str], Cluster] = {}
    for mi, m in enumerate(mentions):
        if m.form is not None:
            continue
        key = _name_key(article, m, tokens)
        single = len(m.text.split()) == 1
        # A lone surname of a person named in full is that person, whatever label the tagger gave it.
        label = "PER" if m.label == "PER" or (single and key in surnames) else m.label
        cluster = clusters.setdefault((label, key), Cluster(key))
        cluster.mentions.append(mi)
        if label == "PER" and m.start in index:
            cluster.roles.extend(r for r in _roles_before(article, article.tokens, index[m.start])
                                 if r not in cluster.roles)
    return _merge_short_forms(clusters)


def _merge_short_forms(clusters: dict[tuple[str, str], Cluster]) -> list[Cluster]:
    """A non-person name that ends another name of the same type is that entity ("Bayern München" in
    "FC Bayern München", "Union" in "Europäische Union")."""
    merged: dict[tuple[str, str], Cluster] = {}
    for (label, key), cluster in sorted(clusters.items(), key=lambda kv: -len(kv[0][1].split())):
        host = None
        if label != "PER":
            host = next((c for (lab, k), c in merged.items() if lab == label and k != key
                         and k.split()[-len(key.split()):] == key.split()), None)
        if host is not None:
            host.mentions.extend(cluster.mentions)
        else:
            merged[(label, key)] = cluster
    return list(merged.values())


def _entity(article: Article, cluster: Cluster, mentions: list[Mention]) -> Entity:
    ms = [mentions[i] for i in cluster.mentions]
    label = cluster.label or ("PER" if any(m.label == "PER" for m in ms)
                              else Counter(m.label for m in ms).most_common(1)[0][0])
    forms = list(dict.fromkeys(m.text for m in ms))
    name = max(forms, key=lambda f: (len(f.split()), -forms.index(f)))
    if (" " not in name and name.lower() != cluster.key and name.lower().startswith(cluster.key)
            and name.lower()[len(cluster.key):] in ("s", "es")):
        name = name[: len(cluster.key)]  # "Russlands" alone: "Russland"; but "Polen" stays (lemma "Pole")
    elif " " in name and label != "PER":  # "Europäischen Union" -> "Europäische Union"
        m = next(m for m in ms if m.text == name)
        words = [(article.text[t.start:t.end], t.pos, t.lemma) for t in _tokens_in(article.tokens, m.start, m.end)]
        name = base_name(words) or name
    return Entity(id=entity_key(label, name), name=name, label=label, aliases=tuple(forms), roles=tuple(cluster.roles))


def _fits(role_noun: str, roles: tuple[str, ...]) -> bool:
    lower = role_noun.lower()
    needed = word_table("de", "role_synonyms.txt").get(lower)
    if needed:
        return any(all(w in r.lower() for w in needed) for r in roles)
    return any(r.lower().endswith(lower) or r.lower().split()[-1] == lower for r in roles)


def _inside(spans: list[tuple[int, int]], offset: int) -> bool:
    """Whether ``offset`` lies in one of the sorted, non-nested ``spans``."""
    k = bisect_right(spans, (offset, float("inf")))
    return any(s <= offset < e for s, e in spans[max(0, k - 2):k])


def _anaphora(article: Article, mentions: list[Mention], entities: list[Entity]) -> list[Mention]:
    """Role nouns ("der US-Präsident") and pronouns ("er") linked to the last fitting person."""
    covered = sorted((m.start, m.end) for m in mentions if m.form is None)  # "US-Präsident" may be a role
    found: list[Mention] = []
    toks = article.tokens
    # Linear in the article: each token looks up the persons named before it by binary search, not by scan.
    timeline = sorted((m.start, m.entity) for m in mentions if m.entity is not None and m.label == "PER")
    starts = [s for s, _e in timeline]
    sentence_starts = [s.start for s in article.sentences]
    for i, t in enumerate(toks):
        word = article.text[t.start:t.end]
        prev = article.text[toks[i - 1].start:toks[i - 1].end].lower() if i else ""
        n_before = bisect_left(starts, t.start)
        if not n_before or _inside(covered, t.start):
            continue
        nxt = toks[i + 1].pos if i + 1 < len(toks) else None
        if prev in DEFINITE and is_role_noun(word) and nxt != "NE":
            for k in range(n_before - 1, -1, -1):
                ent_idx = timeline[k][1]
                if ent_idx is not None and _fits(word, entities[ent_idx].roles):
                    found.append(Mention(toks[i - 1].start, t.end, article.text[toks[i - 1].start:t.end], "PER",
                                         ent_idx, "nominal"))
                    break
        elif t.pos == "PPER" and word.lower() in PRONOUNS_M | PRONOUNS_F:
            # Within a sentence the first person named (usually the subject) wins; across sentences the latest.
            at = bisect_right(sentence_starts, t.start)
            sent_start = sentence_starts[at - 1] if at else 0
            first_in_sentence = bisect_left(starts, sent_start)
            last = timeline[first_in_sentence][1] if first_in_sentence < n_before else timeline[n_before - 1][1]
            if last is None:
                continue
            gender = _gender(entities[last])
            if word.lower() in PRONOUNS_F and _plural_verb_next(article, i):
                continue  # "sie sagten": they, not she
            if (word.lower() in PRONOUNS_M and gender != "F") or (word.lower() in PRONOUNS_F and gender == "F"):
                found.append(Mention(t.start, t.end, word, "PER", last, "pronoun"))
    return found


def _gender(entity: Entity) -> str | None:
    """"F" or "M" from a role noun ("Ministerin", "Minister") or a given name of one gender ("Julia"); None where
    neither tells."""
    if any(r.lower().endswith("in") for r in entity.roles):
        return "F"
    named = given_name_gender(entity.name)
    if named is not None:
        return named
    return "M" if entity.roles else None


def _plural_verb_next(article: Article, i: int) -> bool:
    """Whether a finite verb within the next two tokens is plural ("sie sagten", "sagten sie" is not seen)."""
    for t in article.tokens[i + 1:i + 3]:
        if (t.pos or "").endswith("FIN"):
            return "Number=Plur" in (t.morph or "")
    return False


def resolve(article: Article) -> tuple[list[Mention], list[Entity]]:
    """Pure function: mentions (with entity links, anaphora added) and the article's entities."""
    mentions = sorted(article.mentions, key=lambda m: (m.start, m.end))
    clusters = _merge_bracketed_short_forms(article, mentions,
                                            sorted(_cluster_names(article, mentions), key=lambda c: min(c.mentions)))
    entities = [_entity(article, c, mentions) for c in clusters]
    position = {id(c): i for i, c in enumerate(clusters)}
    entities = [replace(e, affiliations=tuple(position[id(a)] for a in c.affiliations)) if c.affiliations else e
                for e, c in zip(entities, clusters, strict=True)]
    linked = list(mentions)
    for ei, c in enumerate(clusters):
        for mi in c.mentions:
            linked[mi] = _with_entity(mentions[mi], ei, entities[ei].label)
    for mi, m in enumerate(linked):
        if m.form == "part":
            for ei, e in enumerate(entities):
                if m.text.startswith(e.name + "-") or any(m.text.startswith(a + "-") for a in e.aliases):
                    linked[mi] = _with_entity(m, ei)
                    break
    linked += _anaphora(article, linked, entities)
    return sorted(linked, key=lambda m: (m.start, m.end)), entities


def _merge_bracketed_short_forms(article: Article, mentions: list[Mention], clusters: list[Cluster]) -> list[Cluster]:
    """ "Internationale Atomenergie-Organisation (IAEO)": a name in brackets right after a name is its short form.
    After a person it is an organisation of its own that the person belongs to: "Olaf Scholz (SPD)"."""
    owner = {mi: c for c in clusters for mi in c.mentions}
    merged: dict[int, Cluster] = {}  # id of a cluster merged away -> the cluster that took its mentions
    for i in range(len(mentions) - 1):
        a, b = mentions[i], mentions[i + 1]
        if a.form is None and b.form is None and article.text[a.end:b.start].strip() == "(" \
                and article.text[b.end:b.end + 1] == ")" and owner[i] is not owner[i + 1] \
                and not LANGUAGE_NOTE.fullmatch(b.text):
            host, short = owner[i], owner[i + 1]
            if a.label == "PER":
                short.label = "ORG"
                if short not in host.affiliations:
                    host.affiliations.append(short)
                continue
            host.mentions.extend(short.mentions)
            for mi in short.mentions:
                owner[mi] = host
            short.mentions = []
            merged[id(short)] = host
    kept = [c for c in clusters if c.mentions]
    for c in kept:  # an affiliation merged into another cluster afterwards points at that one
        finals = {id(f): f for f in (_final(a, merged) for a in c.affiliations) if f is not c}
        c.affiliations = list(finals.values())
    return kept


# "(Englisch)", "(auf Russisch)": the language a name or title is given in, not its short form or a party
LANGUAGE_NOTE = re.compile(r"(?:auf )?(?:[A-ZÄÖÜ][a-zäöüß]+isch|Deutsch|Latein)")


def _final(cluster: Cluster, merged: dict[int, Cluster]) -> Cluster:
    while id(cluster) in merged:
        cluster = merged[id(cluster)]
    return cluster


def _with_entity(m: Mention, entity: int, label: str | None = None) -> Mention:
    return Mention(m.start, m.end, m.text, label or m.label, entity, m.form)


@stage("entities", requires=["mentions", "tokens.pos", "tokens.lemma"], assigns=["mentions", "entities"],
       languages=["de"])
def entities_stage(article: Article, settings: Settings) -> dict[str, Any]:
    """Merge mentions of the same entity; add roles, role nouns and pronouns."""
    mentions, entities = resolve(article)
    return {"mentions": mentions, "entities": entities}
