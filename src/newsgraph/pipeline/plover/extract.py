"""Events from one analysed article: triggers from the lexicon, actors from the clause, modality, date, place.

Pure: ``find_events(article)`` reads the tokens (tags, lemmas), mentions, entities, statements and times, and
returns the events; the ``events`` stage writes them onto the article.

Roles follow clause structure without a parser. A German clause names its subject without a preposition
before it (before or right after the finite verb); a target follows "mit", "gegen", "an", "zu", "für" or
"vonseiten", or is a second actor without one. For a noun ("die russische Forderung", "Forderung Russlands",
"Zugeständnisse vonseiten Kiews"), the modifier or genitive is its owner. Names with their titles ("Russlands
Präsident Wladimir Putin") are one actor, coded from the title.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable

from newsgraph.model import Article, Event, EventActor, TextSpan
from newsgraph.pipeline.plover import lexicon as lx
from newsgraph.pipeline.plover.actors import code_entity, code_text
from newsgraph.pipeline.plover.modality import clause_modality
from newsgraph.pipeline.plover.phrases import Actor, Sentence, sentence_actors

CLAUSE_BREAKS = frozenset({",", ";", ":", "–", "—", "(", ")", "„", "“", "\""})
CLAUSE_WINDOW = 60  # tokens read on each side of a trigger
MODE_WINDOW = 20  # words after a REQUEST / REJECT trigger that may name what is asked for
TARGET_PREPS = frozenset({"mit", "gegen", "an", "zu", "zum", "zur", "für", "vonseiten", "seitens", "bei", "beim"})
SYMMETRIC = frozenset({"CONSULT", "AGREE", "COOPERATE"})
# Verb triggers that are events only in some uses: "treffen" needs "sich"/"mit" ("eine Entscheidung treffen" is
# none), "reisen" a destination.
NEEDS = {"treffen": ("sich", "mit"), "reisen": ("nach",), "erwarten": ("von",), "ergeben": ("sich",),
         "räumen": ("gebiet", "stellungen", "siedlungen", "stadt")}
# ... or an object of a kind: one signs an agreement (an event), not a law or a letter
NEEDS_NOUN = {"unterzeichnen": ("abkommen", "vertrag", "vereinbarung", "erklärung", "memorandum", "pakt",
                                "abmachung", "übereinkunft", "waffenstillstand", "charta")}
COURT_WORDS = frozenset({"wegen", "haft", "haftstrafe", "gefängnis", "strafe", "geldstrafe", "jahren", "monaten",
                         "gericht", "richter", "angeklagte", "angeklagten"})
LOCATIVE_TARGET_TYPES = {
    "CONSULT": frozenset({"in", "im", "nach"}), "RETREAT": frozenset({"aus"}), "MOBILIZE": frozenset({"in", "im"}),
    "PROTEST": frozenset({"in", "im"}), "ASSAULT": frozenset({"auf"}), "THREATEN": frozenset({"auf"}),
    "COERCE": frozenset({"über", "in", "im"}),
}
THING_TARGETS = frozenset({"ASSAULT"})  # types whose target may be a thing (a building, a vehicle)
PASSIVE_AUX = frozenset({"wurde", "wurden", "wird", "werden", "worden", "werde"})
AGENT_PREPS = frozenset({"von", "vom", "durch"})
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
            c_lo, c_hi = _clause(article, words, lo, hi, i)
            if pos.startswith("VV"):
                lemma = _with_particle(article, words, c_lo, c_hi, i, lemma)
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


def _clause(article: Article, words: list[str], lo: int, hi: int, i: int) -> tuple[int, int]:
    """The clause around token ``i``: between breaks, where a comma breaks only after a stretch with a finite
    verb, so that an apposition ("Der Präsident der Region, Qiangba Puncog, wies … zurück") stays inside.
    Only a window of CLAUSE_WINDOW tokens each side is read, so an endless "sentence" costs no more."""
    lo, hi = max(lo, i - CLAUSE_WINDOW), min(hi, i + CLAUSE_WINDOW)

    def finite(a: int, b: int) -> bool:
        return any((article.tokens[k].pos or "").endswith("FIN") for k in range(a, b))

    breaks = [j for j in range(lo, hi) if words[j] in CLAUSE_BREAKS]
    start, previous = lo, lo
    for j in (b for b in breaks if b < i):
        if words[j] != "," or finite(previous, j):
            start = j + 1
        previous = j + 1
    end, previous = hi, start
    for j in (b for b in breaks if b >= i):
        if words[j] != "," or finite(previous, j):
            end = j
            break
    return start, end


def _particle_index(article: Article, c_lo: int, c_hi: int, i: int) -> int | None:
    return next((j for j in range(i + 1, c_hi) if article.tokens[j].pos == "PTKVZ"), None)


def _with_particle(article: Article, words: list[str], c_lo: int, c_hi: int, i: int, lemma: str) -> str:
    j = _particle_index(article, c_lo, c_hi, i)
    return words[j].lower() + lemma if j is not None else lemma


def _particle_parts(article: Article, words: list[str], c_lo: int, c_hi: int, i: int) -> list[TextSpan]:
    j = _particle_index(article, c_lo, c_hi, i)
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
    if noun:
        source, target = _noun_roles(article, in_clause, i, entry, words)
    else:
        source, target = _verb_roles(article, in_clause, i, entry, words[c_lo:c_hi])
    statement = s.statement_at(tok.start)
    # the rest of the sentence, within a window (one endless "sentence" must not make every event read it all)
    near_start = article.tokens[max(s.lo, i - 2 * CLAUSE_WINDOW)].start
    near_end = article.tokens[min(s.hi, i + 2 * CLAUSE_WINDOW) - 1].end
    others = [a for a in s.actors[bisect.bisect_left(starts, near_start):bisect.bisect_left(starts, near_end)]
              if a is not source and a is not target]
    if source is None and statement is not None and entry.type in VERBAL:
        source = _speaker_actor(article, statement)
    if source is None:
        source = next((a for a in others if a.named and a.entity is not None and a.prep is None
                       and article.entities[a.entity].label in ("PER", "ORG")), None)
    if target is None and (entry.type == "CONSULT" or entry.mode == "meet"):
        # a meeting or an invitation has a counterpart: the other person named in the sentence
        target = next((a for a in others if a.named and a is not source and a.entity is not None
                       and (source is None or (a.entity != source.entity and a.country != source.country))
                       and article.entities[a.entity].label == "PER"), None)
    mode = entry.mode
    if mode is None and entry.type in ("REQUEST", "REJECT"):
        mode = _request_mode(words, i, c_hi)
    modality = clause_modality(article, words, c_lo, c_hi, statement is not None, i)
    date, date_from = _date(article, s, clause_start, clause_end, modality)
    return Event(type=entry.type, trigger=trigger, mode=mode, context=entry.context, trigger_parts=tuple(parts),
                 source=_as_event_actor(s, source), target=_as_event_actor(s, target),
                 place=_place(article, s, source, target, clause_start, clause_end), date=date,
                 date_from=date_from, modality=modality, statement=statement, sentence=s.index)


def _verb_roles(article: Article, actors: list[Actor], i: int, entry: lx.TriggerEntry,
                clause_words: list[str]) -> tuple[Actor | None, Actor | None]:
    subjects = [a for a in actors if a.prep is None]
    if article.tokens[i].pos == "VVPP" and any(w.lower() in PASSIVE_AUX for w in clause_words):
        # "Die Männer werden beschuldigt", "… wurde vom Sprecher kritisiert": the subject is the target
        agent = next((a for a in actors if a.prep in AGENT_PREPS), None)
        return agent, (subjects[0] if subjects else None)
    source = subjects[0] if subjects else None
    if len(subjects) >= 2 and entry.type in SYMMETRIC and " und " in article.text[subjects[0].end:subjects[1].start + 1]:
        return source, subjects[1]
    return source, _best_target(article, [a for a in actors if a is not source], entry)


def _coded(a: Actor) -> bool:
    return a.named or a.country is not None or a.sector is not None


def _target_preps(entry: lx.TriggerEntry) -> frozenset[str]:
    """Prepositions that introduce a target: "gegen X", "mit X"; a place for a visit or a withdrawal ("Besuch in
    Amman", "Abzug aus Panama"); "auf X" for an attack."""
    extra = LOCATIVE_TARGET_TYPES.get(entry.type, frozenset())
    return TARGET_PREPS | extra


def _best_target(article: Article, candidates: list[Actor], entry: lx.TriggerEntry) -> Actor | None:
    """A named or coded actor beats a generic phrase ("für die Unabhängigkeit vom Irak"); a prepositional
    target beats an object without a preposition."""
    preps = _target_preps(entry)

    def rank(a: Actor) -> int:
        if a.prep in preps:
            return 0 if _coded(a) else 2
        if a.prep is None:
            return 1 if _coded(a) else 3
        return 9

    ranked = sorted(((rank(a), k, a) for k, a in enumerate(candidates)), key=lambda t: (t[0], t[1]))
    return ranked[0][2] if ranked and ranked[0][0] < 9 else None


def _noun_roles(article: Article, actors: list[Actor], i: int, entry: lx.TriggerEntry,
                words: list[str]) -> tuple[Actor | None, Actor | None]:
    tok = article.tokens[i]
    before = [a for a in actors if a.end <= tok.start]
    after = [a for a in actors if a.start >= tok.end]
    owner = target = None
    if before and not before[-1].named and article.text[before[-1].end:tok.start].strip() == "" and \
            (article.tokens[before[-1].first_token].pos == "ADJA"):
        owner = before[-1]  # "die russische Forderung"
    preps = _target_preps(entry)
    for a in after:
        gap = article.text[tok.end:a.start]
        if len(gap) > 60:
            break
        if a.prep in ("vonseiten", "seitens", "von") and entry.type == "REQUEST":
            target = target or a  # "Zugeständnisse vonseiten Kiews": Kiew is asked to yield
        elif a.prep == "zwischen" and a.named:
            owner, target = (owner or a), (target if owner is None else target or a)
        elif a.prep in preps and a.prep != "von" and (target is None or (_coded(a) and not _coded(target))):
            target = a
        elif a.prep is None and gap.strip() in ("", "des", "der"):
            owner = owner or a  # "Forderung Russlands"
    if owner is None:
        owner = next((a for a in before if a.prep is None and a is not target), None) or \
            next((a for a in actors if a.prep is None and a is not target and a.named), None)
    if target is None and entry.type == "REQUEST":
        # "Berlin lehnte Forderungen Minsks ab": the one who rejects or meets a demand is the one asked
        target = next((a for a in actors if a.prep is None and a is not owner and _coded(a)), None)
    return owner, target


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
