"""Actors of a sentence: noun phrases read from the STTS tags, with the entity, country and sector they name,
and the preposition that governs them."""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from newsgraph.model import Article, Mention, TimeExpression
from newsgraph.pipeline.plover import lexicon as lx
from newsgraph.pipeline.plover.actors import code_text, code_word

PREP_WORDS = frozenset({"vonseiten", "seitens"})  # prepositions the tagger reads as verbs
NP_CHUNK = frozenset({"ART", "PIAT", "PIDAT", "PDAT", "PPOSAT", "ADJA", "CARD", "NN", "NE", "TRUNC"})
DETERMINERS = frozenset({"ART", "PPOSAT", "PDAT", "PIAT"})
GENITIVE_ARTICLES = frozenset({"der", "des", "eines", "einer", "seines", "seiner", "ihres", "ihrer", "dieses",
                               "dieser", "meines", "unseres", "unserer", "jenes", "keines", "keiner"})
PRONOUN_ACTORS = frozenset({"er", "sie", "wir", "ich", "ihr", "dieser", "diese", "ihm", "ihn", "ihnen"})


@dataclass
class Actor:
    start: int
    end: int
    text: str
    first_token: int
    entity: int | None
    country: str | None
    sector: str | None
    prep: str | None = None  # the preposition that governs it
    named: bool = False  # a PER/ORG/LOC entity, not a modifier or a role word
    people: bool = True  # names people or groups: a name, a coded word, a pronoun or a person noun as its head


@dataclass
class Sentence:
    index: int
    start: int
    end: int
    lo: int  # first token
    hi: int  # one past the last token
    actors: list[Actor] = field(default_factory=list)  # sorted by start
    actor_starts: list[int] = field(default_factory=list)
    mentions: Sequence[Mention] = ()  # the article's mentions inside the sentence, sorted by start
    mention_starts: list[int] = field(default_factory=list)
    times: Sequence[TimeExpression] = ()
    statement_at: Callable[[int], int | None] = lambda _pos: None
    country_entity: dict[str, int] = field(default_factory=dict)  # an entity for each country the article names


def sentence_actors(article: Article, s: Sentence, words: list[str], tok_starts: list[int],
            entity_codes: list[tuple[str | None, str | None]]) -> list[Actor]:
    """Mentions, lexicon words (countries, capitals, organisations, role nouns) and names the NER missed."""
    text = article.text
    out: list[Actor] = []
    covered: set[int] = set()
    for m in s.mentions:
        first = bisect.bisect_left(tok_starts, m.start)
        last = bisect.bisect_left(tok_starts, m.end)
        if m.form == "deriv" and last - first > 1 and (article.tokens[first].pos or "") == "ADJA" and \
                not names_people(words[last - 1], article.tokens[last - 1].lemma):
            # "russische Forderung": the adjective names the actor, its noun is a thing (often the trigger);
            # "des französischen Staatspräsidenten" stays one phrase
            m = replace(m, end=article.tokens[first].end, text=words[first])
            last = first + 1
        covered.update(range(first, last))
        if m.entity is not None:
            country, sector = entity_codes[m.entity]
            if article.entities[m.entity].label == "LOC" and m.form is None and country is None:
                continue  # a place that is no country (a city, a region): not an actor
        else:
            country, sector = code_text(m.text)
            if country is None and sector is None:
                continue
        out.append(Actor(m.start, m.end, m.text, first, m.entity, country, sector,
                         named=m.entity is not None and m.form in (None, "pronoun")))
    j = s.lo
    while j < s.hi:
        tok = article.tokens[j]
        if j in covered or not (tok.pos or "").startswith(("NN", "NE", "ADJA")):
            j += 1
            continue
        country, sector = code_word(words[j])
        if country or sector:
            out.append(Actor(tok.start, tok.end, words[j], j, None, country, sector))
        elif tok.pos == "NE":  # a name the NER missed ("mit Macron"): an actor without an entity
            k = j
            while k + 1 < s.hi and article.tokens[k + 1].pos == "NE" and k + 1 not in covered:
                k += 1
            end = article.tokens[k].end
            out.append(Actor(tok.start, end, text[tok.start:end], j, None, None, None, named=True))
            j = k
        j += 1
    out.sort(key=lambda a: a.start)
    out = _noun_phrases(article, s, words, out)
    for a in out:
        a.prep = governing_prep(article, words, a.first_token, s.lo)
    return out


def _noun_phrases(article: Article, s: Sentence, words: list[str], actors: list[Actor]) -> list[Actor]:
    """Widen actors to their noun phrase ("zwei deutsche Ingenieure", "die Außenminister der Europäischen
    Union"), fold several actors of one phrase into its name ("Russlands Präsident Wladimir Putin"), and add
    the phrases and personal pronouns that name no entity ("Die Männer", "tausende Menschen", "Sie")."""
    tokens = article.tokens
    nouns = lx.triggers()[1]
    starts = [a.start for a in actors]  # actors come sorted by start
    by_first: dict[int, list[Actor]] = {}
    for a in actors:
        by_first.setdefault(a.first_token, []).append(a)
    out: list[Actor] = []
    j = s.lo
    while j < s.hi:
        pos = tokens[j].pos or ""
        if pos in ("PPER", "PDS") and words[j].lower() in PRONOUN_ACTORS:
            inside = by_first.get(j, [])
            out += inside or [Actor(tokens[j].start, tokens[j].end, words[j], j, None, None, None)]
            j += 1
            continue
        if pos not in NP_CHUNK:
            out += by_first.get(j, [])
            j += 1
            continue
        k = j
        while k + 1 < s.hi and (tokens[k + 1].pos or "") in NP_CHUNK and \
                not (tokens[k + 1].pos == "CARD" and tokens[k].pos in ("NN", "NE")) and \
                not (tokens[k + 1].pos in DETERMINERS and tokens[k].pos in ("NN", "NE")
                     and words[k + 1].lower() not in GENITIVE_ARTICLES):
            # a number after a noun starts the next phrase ("in Tel Aviv | 23 Menschen"), and so does an
            # article that is no genitive ("am Montag | den US-Gesandten")
            k += 1
        while k > j and (tokens[k].pos or "") not in ("NN", "NE"):  # a phrase ends in its noun
            k -= 1
        trigger_at = [i for i in range(j, k + 1) if tokens[i].pos == "NN" and (tokens[i].lemma or "").lower() in nouns]
        if trigger_at and trigger_at[-1] < k:
            k = trigger_at[-1]  # "dem Angriff | der Terroristen": what follows the event noun is a phrase of its own
        start, end = tokens[j].start, tokens[k].end
        inside = actors[bisect.bisect_left(starts, start):bisect.bisect_left(starts, end)]
        has_trigger = bool(trigger_at)
        if inside and not has_trigger:
            head = next((a for a in reversed(inside) if a.named), inside[-1])
            for a in inside:
                if a is not head:
                    head.country = head.country or a.country
                    head.sector = head.sector or a.sector
            head.start, head.end, head.text, head.first_token = start, end, article.text[start:end], j
            out.append(head)
        elif inside:
            out += inside
        elif (tokens[k].pos or "") in ("NN", "NE") and not has_trigger and \
                not any(t.start < end and start < t.end for t in s.times):  # "den 20. Juni"
            out.append(Actor(start, end, article.text[start:end], j, None, None, None,
                             people=tokens[k].pos == "NE" or names_people(words[k], tokens[k].lemma)))
        j = k + 1
    seen = {id(a) for a in out}
    out += [a for a in actors if id(a) not in seen and a.start >= tokens[s.hi - 1].end]
    return sorted(out, key=lambda a: a.start)


def governing_prep(article: Article, words: list[str], first: int, lo: int) -> str | None:
    j = first - 1
    while j >= lo and (article.tokens[j].pos or "") in ("ADV", "ADJD"):
        j -= 1  # "nach Angaben …" ends before the phrase; "rund", "fast" may stand between
    if j < lo:
        return None
    pos, word = article.tokens[j].pos or "", words[j].lower()
    if word in ("zu", "über") and (article.tokens[first].pos == "CARD" or words[first][:1].isdigit()):
        return None  # "bis zu 100 Albaner", "über 1.000 Menschen": a number, not a place
    return word if pos in ("APPR", "APPRART") or word in PREP_WORDS else None




def names_people(word: str, lemma: str | None) -> bool:
    """Whether a head noun names people or groups ("Menschen", "Talibankämpfern"), not a thing or an idea
    ("Lösung", "Wahlgang")."""
    endings = lx.people_endings()
    return any(w.lower().endswith(endings) for w in (word, lemma or word)) or code_word(word) != (None, None)
