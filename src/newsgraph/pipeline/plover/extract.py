"""Events from one analysed article: triggers from the lexicon, actors from the clause, modality, date, place.

Pure: ``find_events(article)`` reads the tokens (tags, lemmas), mentions, entities, statements and times, and
returns the events; the ``events`` stage writes them onto the article.

Who is source and who target is read from the clause (``roles.py``); names with their titles ("Russlands
Präsident Wladimir Putin") are one actor, coded from the title (``phrases.py``, ``actors.py``).
"""

from __future__ import annotations

import bisect
from collections.abc import Callable

from newsgraph.model import Article, Event, EventActor, TextSpan
from newsgraph.pipeline.plover import lexicon as lx
from newsgraph.pipeline.plover.actors import code_entity, code_text
from newsgraph.pipeline.plover.modality import clause_modality
from newsgraph.pipeline.plover.phrases import PRONOUN_ACTORS, Actor, Sentence, sentence_actors
from newsgraph.pipeline.plover.roles import (
    CLAUSE_WINDOW,
    clause,
    clause_roles,
    particle_index,
    verbal_attack,
    with_particle,
)

MODE_WINDOW = 20  # words after a REQUEST / REJECT trigger that may name what is asked for
# Verb triggers that are events only in some uses: "treffen" needs "sich"/"mit" ("eine Entscheidung treffen" is
# none), "reisen" a destination.
NEEDS = {"treffen": ("sich", "mit"), "reisen": ("nach",), "erwarten": ("von",), "ergeben": ("sich",),
         "räumen": ("gebiet", "stellungen", "siedlungen", "stadt")}
# ... or an object of a kind: one signs an agreement (an event), not a law or a letter
NEEDS_NOUN = {"unterzeichnen": ("abkommen", "vertrag", "vereinbarung", "erklärung", "memorandum", "pakt",
                                "abmachung", "übereinkunft", "waffenstillstand", "charta")}
COURT_WORDS = frozenset({"wegen", "haft", "haftstrafe", "gefängnis", "strafe", "geldstrafe", "jahren", "monaten",
                         "gericht", "richter", "angeklagte", "angeklagten"})
THING_TARGETS = frozenset({"ASSAULT"})  # types whose target may be a thing (a building, a vehicle)
CIVIL_PRONE = frozenset({"AGREE", "REQUEST", "SUPPORT", "CONCEDE", "AID", "COOPERATE"})
VERBAL = frozenset({"AGREE", "SUPPORT", "CONCEDE", "REQUEST", "ACCUSE", "REJECT", "THREATEN"})
CONCEDE_VERBS = frozenset({"machen", "einräumen", "gewähren", "anbieten"})


def find_events(article: Article) -> list[Event]:
    text, tokens = article.text, article.tokens
    if not tokens or not any(t.pos for t in tokens):
        return []
    verbs, nouns = lx.triggers()
    tok_starts = [t.start for t in tokens]
    words = [text[t.start:t.end] for t in tokens]
    entity_codes = [code_entity(e) for e in article.entities]
    # lookups built once, so that long articles cost time linear in their length
    mentions = sorted(article.mentions, key=lambda m: m.start)
    mention_starts = [m.start for m in mentions]
    times = sorted(article.times, key=lambda t: t.start)
    time_starts = [t.start for t in times]
    statement_at = _statement_lookup(article)
    country_entity: dict[str, int] = {}
    for k, (e, (country, _sector)) in enumerate(zip(article.entities, entity_codes, strict=True)):
        if e.label == "LOC" and country is not None:
            country_entity.setdefault(country, k)
    events: list[Event] = []
    for si, sent in enumerate(article.sentences):
        lo, hi = bisect.bisect_left(tok_starts, sent.start), bisect.bisect_left(tok_starts, sent.end)
        s = Sentence(si, sent.start, sent.end, lo, hi,
                     mentions=mentions[bisect.bisect_left(mention_starts, sent.start):
                                       bisect.bisect_left(mention_starts, sent.end)],
                     times=times[bisect.bisect_left(time_starts, sent.start):bisect.bisect_left(time_starts, sent.end)],
                     statement_at=statement_at, country_entity=country_entity)
        s.actors = sentence_actors(article, s, words, tok_starts, entity_codes)
        s.actor_starts = [a.start for a in s.actors]
        s.mention_starts = [m.start for m in s.mentions]
        for i in range(lo, hi):
            tok = tokens[i]
            pos, lemma = tok.pos or "", (tok.lemma or words[i]).lower()
            if not (pos.startswith("VV") or pos == "NN"):
                continue
            c_lo, c_hi = clause(article, words, lo, hi, i)
            if pos.startswith("VV"):
                lemma = with_particle(article, words, c_lo, c_hi, i, lemma)
                entry = verbs.get(lemma)
                if entry is None or not _verb_applies(lemma, words[c_lo:c_hi]):
                    continue
                if lemma == "verurteilen" and (pos == "VVPP" or any(w.lower() in COURT_WORDS
                                                                    for w in words[c_lo:c_hi])):
                    entry = lx.TriggerEntry("SANCTION", "convict", "legal")  # "zu drei Jahren verurteilt"
                parts = _particle_parts(article, words, c_lo, c_hi, i)
            elif pos == "NN":
                entry = None if lemma in lx.not_triggers() else nouns.get(lemma) or _compound_entry(lemma)
                if entry is None or (lemma == "telefon" and words[i - 1].lower() not in ("am", "per", "via")):
                    continue
                parts = []
                if lemma.endswith("zugeständnis") and any((tokens[j].lemma or "").lower() in CONCEDE_VERBS
                                                          for j in range(c_lo, c_hi)):
                    entry = lx.TriggerEntry("CONCEDE", None, entry.context)
            else:
                continue
            event = _event(article, s, i, entry, parts, c_lo, c_hi, words, pos == "NN")
            if _political(article, event):
                events.append(event)
    return events


def _statement_lookup(article: Article) -> Callable[[int], int | None]:
    """The index of the statement whose message holds a position, by bisection over the message parts."""
    parts = sorted((p.start, p.end, k) for k, st in enumerate(article.statements) for p in st.message)
    starts = [p[0] for p in parts]

    def at(pos: int) -> int | None:
        last = bisect.bisect_right(starts, pos) - 1
        # message parts may overlap (a quote inside a paraphrase): the first statement that holds pos wins
        holding = [parts[j][2] for j in range(max(0, last - 8), last + 1) if parts[j][0] <= pos < parts[j][1]]
        return min(holding) if holding else None

    return at


def _political(article: Article, event: Event) -> bool:
    """Cooperative words are common outside politics ("Gäste eingeladen", "Veranstaltungen angeboten"): such an
    event needs an actor that is a person, an organisation, a country or a coded group."""
    if event.type not in CIVIL_PRONE:
        return True
    for actor in (event.source, event.target):
        if actor is None:
            continue
        if actor.country or actor.sector:
            return True
        if actor.entity is not None and article.entities[actor.entity].label in ("PER", "ORG"):
            return True
    return False


def _compound_entry(lemma: str) -> lx.TriggerEntry | None:
    nouns = lx.triggers()[1]
    suffix = next((n for n in lx.noun_suffixes() if lemma.endswith(n) and len(lemma) - len(n) >= 3), None)
    return nouns[suffix] if suffix else None


def _particle_parts(article: Article, words: list[str], c_lo: int, c_hi: int, i: int) -> list[TextSpan]:
    j = particle_index(article, c_lo, c_hi, i)
    if j is None:
        return []
    t = article.tokens[j]
    return [TextSpan(t.start, t.end, words[j])]


def _verb_applies(lemma: str, clause_words: list[str]) -> bool:
    needed = NEEDS.get(lemma)
    if needed and not any(w.lower() in needed for w in clause_words):
        return False
    endings = NEEDS_NOUN.get(lemma)
    return not endings or any(w.lower().endswith(endings) for w in clause_words)


def _event(article: Article, s: Sentence, i: int, entry: lx.TriggerEntry, parts: list[TextSpan], c_lo: int,
           c_hi: int, words: list[str], noun: bool) -> Event:
    tok = article.tokens[i]
    trigger = TextSpan(tok.start, tok.end, words[i])
    clause_start, clause_end = article.tokens[c_lo].start, article.tokens[c_hi - 1].end
    starts = s.actor_starts
    in_clause = s.actors[bisect.bisect_left(starts, clause_start):bisect.bisect_left(starts, clause_end)]
    if entry.type not in THING_TARGETS:  # "den Wahlgang boykottieren": no actor; "Häuser zerstört": a target
        in_clause = [a for a in in_clause if a.people]
    source, target = clause_roles(article, s, i, entry, words, c_lo, c_hi, in_clause, noun)
    source, target = _resolved(source), _resolved(target)
    statement = s.statement_at(tok.start)
    # the rest of the sentence, within a window (one endless "sentence" must not make every event read it all)
    near_start = article.tokens[max(s.lo, i - 2 * CLAUSE_WINDOW)].start
    near_end = article.tokens[min(s.hi, i + 2 * CLAUSE_WINDOW) - 1].end
    others = [a for a in s.actors[bisect.bisect_left(starts, near_start):bisect.bisect_left(starts, near_end)]
              if a is not source and a is not target]
    if source is None and statement is not None and entry.type in VERBAL:
        source = _speaker_actor(article, statement)
    if target is None and source is not None and (entry.type == "CONSULT" or entry.mode == "meet"):
        # a meeting or an invitation has a counterpart: the other person named in the sentence
        target = next((a for a in others if a.named and a is not source and a.entity is not None
                       and (source is None or (a.entity != source.entity and a.country != source.country))
                       and article.entities[a.entity].label == "PER"), None)
    if entry.type == "ASSAULT" and verbal_attack(article, words, c_lo, c_hi, i, source, target):
        entry = lx.TriggerEntry("ACCUSE", "disapprove", None)  # "Klingbeil greift Klöckner an"
    mode = entry.mode
    if mode is None and entry.type in ("REQUEST", "REJECT"):
        mode = _request_mode(words, i, c_hi)
    modality = clause_modality(article, words, c_lo, c_hi, statement is not None, i)
    date, date_from = _date(article, s, clause_start, clause_end, modality)
    return Event(type=entry.type, trigger=trigger, mode=mode, context=entry.context, trigger_parts=tuple(parts),
                 source=_as_event_actor(s, source), target=_as_event_actor(s, target),
                 place=_place(article, s, source, target, clause_start, clause_end), date=date,
                 date_from=date_from, modality=modality, statement=statement, sentence=s.index)


def _resolved(actor: Actor | None) -> Actor | None:
    """A pronoun is an actor only where coreference linked it to an entity (of agreeing gender and number)."""
    if actor is not None and actor.entity is None and actor.text.lower() in PRONOUN_ACTORS:
        return None
    return actor


def _speaker_actor(article: Article, statement: int) -> Actor | None:
    sp = article.statements[statement].speaker
    if sp is None:
        return None
    country, sector = code_entity(article.entities[sp.entity]) if sp.entity is not None else code_text(sp.text)
    return Actor(sp.start, sp.end, sp.text, 0, sp.entity, country, sector, named=sp.entity is not None)


def _request_mode(words: list[str], i: int, c_hi: int) -> str | None:
    """The mode of a demand or refusal from what is asked for ("Forderung nach Rückzug" is yield), read in the
    next words of the clause; compounds count by their end ("Truppenabzug")."""
    modes = lx.request_modes()
    for w in words[i:min(c_hi, i + MODE_WINDOW)]:
        lower = w.lower()
        hit = modes.get(lower)
        if hit is None and w[:1].isupper():
            hit = next((m for k, m in modes.items() if lower.endswith(k) and len(lower) > len(k)), None)
        if hit:
            return hit
    return None


def _date(article: Article, s: Sentence, start: int, end: int, modality: str) -> tuple[str | None, str | None]:
    for t in s.times:
        if start <= t.start < end and t.kind in ("DATE", "TIME") and t.value and not t.value.endswith("_REF"):
            return t.value, "times"
    if modality == "happened" and article.published:
        return article.published[:10], "published"
    return None, None


def _place(article: Article, s: Sentence, source: Actor | None, target: Actor | None, start: int,
           end: int) -> int | None:
    """A place the clause names with "in" / "im", other than the actors."""
    taken = {a.entity for a in (source, target) if a is not None}
    starts = s.mention_starts
    for m in s.mentions[bisect.bisect_left(starts, start):bisect.bisect_left(starts, end)]:
        if m.label == "LOC" and m.entity is not None and m.form is None and m.entity not in taken:
            before = article.text[max(s.start, m.start - 4):m.start].lower()
            if before.endswith(("in ", "im ")):
                return m.entity
    return None


def _as_event_actor(s: Sentence, a: Actor | None) -> EventActor | None:
    if a is None:
        return None
    entity = a.entity
    if entity is None and a.country:  # "vonseiten Kiews", "russische": the entity of that country, if named
        entity = s.country_entity.get(a.country)
    return EventActor(a.start, a.end, a.text, entity, a.country, a.sector)
