"""Who does what in a clause: the source and target of an event trigger, read from the clause's phrases
(``phrases.py``) without a parser.

A German clause names its subject without a preposition and in the nominative (before or right after the
finite verb); a passive clause's subject is the target and its "von" / "durch" phrase the source; an
infinitive's doer is the subject of the clause it depends on, or the one asked after a verb of asking. For a
noun, an adjective ("die russische Forderung"), a genitive ("Forderung Russlands"; for acts done to someone,
"Freilassung der Geiseln", the one it is done to) or "durch X" names the owner; the clause's subject owns it
only where the verb merely carries the noun ("einen Angriff starten"). Victims, critics and reporters are
therefore not read as the doers of the act they suffer, condemn or report; a role that no rule supports stays
empty.
"""

from __future__ import annotations

import bisect

from newsgraph.model import Article
from newsgraph.pipeline.plover import lexicon as lx
from newsgraph.pipeline.plover.phrases import Actor, Sentence

CLAUSE_BREAKS = frozenset({",", ";", ":", "–", "—", "(", ")", "„", "“", "\""})
CLAUSE_WINDOW = 60  # tokens read on each side of a trigger
TARGET_PREPS = frozenset({"mit", "gegen", "an", "zu", "zum", "zur", "für", "vonseiten", "seitens", "bei", "beim"})
SYMMETRIC = frozenset({"CONSULT", "AGREE", "COOPERATE"})
LOCATIVE_TARGET_TYPES = {
    "CONSULT": frozenset({"in", "im", "nach"}), "RETREAT": frozenset({"aus"}),
    "ASSAULT": frozenset({"auf"}), "THREATEN": frozenset({"auf"}), "COERCE": frozenset({"über"}),
}
PASSIVE_AUX = frozenset({"wurde", "wurden", "wird", "werden", "worden", "werde"})
AGENT_PREPS = frozenset({"von", "vom", "durch"})
OBLIQUE_DETERMINERS = frozenset({"einen", "einem", "eines", "den", "dem", "des", "meinen", "meinem", "deinen",
                                 "seinen", "seinem", "seines", "ihrem", "ihres", "unseren", "unserem", "diesen",
                                 "diesem", "dieses", "jenen", "jenem", "keinen", "keinem", "ihn", "ihm", "ihnen"})
CLAUSE_OPENERS = frozenset({"PRELS", "PRELAT", "KOUS", "PWAV"})
NOMINATIVE_RELATIVES = frozenset({"der", "die", "das", "welcher", "welche", "welches"})
ARMED = frozenset({"MIL", "REB", "COP", "INS"})
PATIENT_TYPES = frozenset({"ASSAULT", "COERCE", "SANCTION", "RETREAT", "AID", "CONCEDE", "SUPPORT"})
FORCE_TYPES = frozenset({"ASSAULT", "COERCE", "SANCTION", "THREATEN"})
PARTAKING_PREPS = frozenset({"an", "am", "zu", "zum", "zur", "in", "im"})
# verbs whose subject answers a demand (so is the one asked)
ANSWER_VERBS = frozenset({"ablehnen", "zurückweisen", "erfüllen", "akzeptieren", "annehmen", "nachkommen",
                          "zustimmen", "folgen", "eingehen", "entsprechen", "ignorieren", "verweigern"})
VERBAL_ATTACK_TRIGGERS = ("angreifen", "attackieren", "angriff", "attacke")
# verbs of asking: the one asked does what the infinitive after them names ("forderte Irak auf, …")
OBJECT_CONTROL = frozenset({"auffordern", "aufrufen", "bitten", "drängen", "ersuchen", "appellieren", "zwingen",
                            "ermutigen", "ermahnen", "mahnen", "überreden", "beauftragen", "verpflichten"})



def clause_roles(article: Article, s: Sentence, i: int, entry: lx.TriggerEntry, words: list[str], c_lo: int,
                 c_hi: int, in_clause: list[Actor], noun: bool) -> tuple[Actor | None, Actor | None]:
    """Source and target of the trigger at token ``i`` among the clause's actors (either may be None)."""
    if noun:
        source, target = _noun_roles(article, in_clause, i, entry, words, c_lo, c_hi)
    elif _infinitive(article, i):
        # "Syrien ist bereit, seine Truppen abzuziehen", "forderte die EG auf, die PLO zu unterstützen": the
        # infinitive has no subject of its own; a phrase without a preposition there is its object
        finite = [j for j in range(c_lo, i) if (article.tokens[j].pos or "").endswith("FIN")]
        if finite:  # "Akajew hat eingewilligt zurückzutreten": the controller is in this clause
            f = article.tokens[finite[-1]].start
            source = next((a for a in in_clause if a.prep is None and not _oblique(article, a)), None)
            candidates = [a for a in in_clause if a is not source and a.start > f]
        else:
            source = _controller(article, s, words, c_lo)
            candidates = [a for a in in_clause if a is not source]
        target = _best_target(article, candidates, entry)
    elif _relative_subject(article, words, c_lo, c_hi):
        # "die Rebellen, die in das Dorf eindrangen": the relative pronoun is the subject, so its antecedent is the
        # source, where no other phrase could be the subject; "die Männer, die die Polizei festnahm" could be
        # read either way, so neither the subject nor the object is named
        plain = [a for a in in_clause if a.prep is None and not _oblique(article, a) and not _attribute(article, a)]
        if plain:
            source, target = None, _best_target(article, [a for a in in_clause if a.prep is not None], entry)
        else:
            source = _antecedent(article, s, c_lo)
            target = _best_target(article, [a for a in in_clause if a is not source], entry)
    elif article.tokens[c_lo].pos == "PRELAT" and not noun:
        # "die Partei, deren Chef die Regierung kritisierte": the phrase the relative genitive opens is the subject
        source = next((a for a in in_clause if a.first_token in (c_lo, c_lo + 1)), None)
        target = _best_target(article, [a for a in in_clause if a is not source and a.start > article.tokens[c_lo].end
                                        and (source is None or a.start >= source.end)], entry)
    else:
        source, target = _verb_roles(article, in_clause, i, entry, words[c_lo:c_hi])
    return named_apposition(article, s, source), named_apposition(article, s, target)


def _relative_subject(article: Article, words: list[str], c_lo: int, c_hi: int) -> bool:
    """Whether the clause is a relative clause whose pronoun may be its subject ("die", "der", "welche"; not
    "den", "dem", "denen") and that is not passive."""
    return (article.tokens[c_lo].pos == "PRELS" and words[c_lo].lower() in NOMINATIVE_RELATIVES
            and not _passive(words[c_lo:c_hi]))


def _antecedent(article: Article, s: Sentence, c_lo: int) -> Actor | None:
    """The phrase right before the comma that opens a relative clause ("die Terroristen, die …")."""
    if c_lo < 2 or article.text[article.tokens[c_lo - 1].start:article.tokens[c_lo - 1].end] != ",":
        return None
    end = article.tokens[c_lo - 2].end
    return next((a for a in reversed(s.actors) if a.end == end and a.people), None)


def clause(article: Article, words: list[str], lo: int, hi: int, i: int) -> tuple[int, int]:
    """The clause around token ``i``: between breaks, where a comma breaks only after a stretch with a finite
    verb or before a relative or subordinate clause, so that an apposition ("Der Präsident der Region, Qiangba
    Puncog, wies … zurück") stays inside.
    Only a window of CLAUSE_WINDOW tokens each side is read, so an endless "sentence" costs no more."""
    lo, hi = max(lo, i - CLAUSE_WINDOW), min(hi, i + CLAUSE_WINDOW)

    def finite(a: int, b: int) -> bool:
        return any((article.tokens[k].pos or "").endswith("FIN") for k in range(a, b))

    def opens_clause(j: int) -> bool:  # ", die …", ", deren …", ", weil …": a relative or subordinate clause
        return j + 1 < hi and (article.tokens[j + 1].pos or "") in CLAUSE_OPENERS

    breaks = [j for j in range(lo, hi) if words[j] in CLAUSE_BREAKS]
    start, previous = lo, lo
    for j in (b for b in breaks if b < i):
        if words[j] != "," or finite(previous, j) or opens_clause(j):
            start = j + 1
        previous = j + 1
    end, previous = hi, start
    for j in (b for b in breaks if b >= i):
        if words[j] != "," or finite(previous, j):
            end = j
            break
    return start, end


def particle_index(article: Article, c_lo: int, c_hi: int, i: int) -> int | None:
    """The separable particle of the verb at ``i``: the last one in the clause, which ends with it ("greift die
    Bahn scharf an" where the tagger also reads "scharf" as one)."""
    return next((j for j in range(c_hi - 1, i, -1) if article.tokens[j].pos == "PTKVZ"), None)


def with_particle(article: Article, words: list[str], c_lo: int, c_hi: int, i: int, lemma: str) -> str:
    j = particle_index(article, c_lo, c_hi, i)
    return words[j].lower() + lemma if j is not None else lemma


def _verb_roles(article: Article, actors: list[Actor], i: int, entry: lx.TriggerEntry,
                clause_words: list[str]) -> tuple[Actor | None, Actor | None]:
    # a genitive after a noun ("dem Angriff der Terroristen") is no subject
    subjects = [a for a in actors if a.prep is None and not _oblique(article, a) and not _attribute(article, a)]
    if article.tokens[i].pos == "VVPP" and _passive(clause_words):
        # "Die Männer werden beschuldigt", "… wurde vom Sprecher kritisiert": the subject is the target
        # "in der Nähe von Brüssel" is no agent: a "von" after a noun belongs to the noun
        agent = next((a for a in actors if a.prep in AGENT_PREPS and not _after_noun(article, a)), None)
        plain = [a for a in actors if a.prep is None and not _attribute(article, a)]  # "Dem Mitbegründer werden …"
        if plain:
            return agent, plain[0]
        return agent, _best_target(article, [a for a in actors if a is not agent], entry)  # "Gegen Fazio wird …"
    source = subjects[0] if subjects else None
    if len(subjects) >= 2 and entry.type in SYMMETRIC and " und " in article.text[subjects[0].end:subjects[1].start + 1]:
        return source, subjects[1]
    return source, _best_target(article, [a for a in actors if a is not source], entry)


def _coded(a: Actor) -> bool:
    return a.named or a.country is not None or a.sector is not None


def _target_preps(entry: lx.TriggerEntry) -> frozenset[str]:
    """Prepositions that introduce a target: "gegen X", "mit X"; a place for a visit or a withdrawal ("Besuch in
    Amman", "Abzug aus Panama"); "auf X" for an attack."""
    # a host receives guests at home: "empfing die Gesandten in Moskau" names the place, not the one received
    extra = LOCATIVE_TARGET_TYPES.get(entry.type, frozenset()) if entry.mode != "host" else frozenset()
    if entry.type == "REQUEST":
        extra = extra | {"von", "vom"}  # "verlangen … von den serbischen Behörden": the one asked
    if entry.type in FORCE_TYPES:  # "mit einem Messer", "drohte mit Sanktionen": the means, not the target
        return (TARGET_PREPS - {"mit"}) | extra
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


def _noun_roles(article: Article, actors: list[Actor], i: int, entry: lx.TriggerEntry, words: list[str],
                c_lo: int, c_hi: int) -> tuple[Actor | None, Actor | None]:
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
        if a.prep in ("vonseiten", "seitens", "von") and (entry.type == "REQUEST" or entry.mode == "host"):
            # "Empfang von Vertretern des Weißen Hauses": the guests
            target = target or a  # "Zugeständnisse vonseiten Kiews": Kiew is asked to yield
        elif a.prep == "zwischen" and a.named:
            owner, target = (owner or a), (target if owner is None else target or a)
        elif a.prep in preps and a.prep != "von" and (target is None or (_coded(a) and not _coded(target))):
            target = a
        elif a.prep == "durch" or (a.prep == "von" and entry.type != "REQUEST" and a.named and gap.strip() == "von"):
            # "Niederschlagung der Unruhen durch Serbien", "Abgang von Müntefering": the agent owns the act and
            # a genitive read as its owner was its object
            if owner is not None and owner.start > tok.end and target is None:
                target = owner
            owner = a
        elif a.prep is None and owner is None and target is None and _genitive(article, a, gap):
            if _patient_genitive(words[i], entry):
                target = a  # "Freilassung der Geiseln", "Ermordung des Präsidenten"
            else:
                owner = a  # "Forderung Russlands", "Besuch des Präsidenten", "Angriff der Terroristen"
    manner = words[i].lower() == "telefon"  # "haben Trump und Putin am Telefon … initiiert": the callers
    if owner is None and (manner or (_verb_object(article, words, i)
                                     and _light_verb(article, words, c_lo, c_hi, entry))):
        # "Russland startete einen Angriff", "Putin sprach eine Einladung aus": the subject of a verb that only
        # carries the noun owns it; elsewhere the subject is a victim, a critic or a reporter ("Putin
        # verurteilte den Anschlag", "Seine Tochter wurde bei dem Anschlag verletzt"), so the owner stays empty
        owner = next((a for a in before if a.prep is None and a is not target and not _oblique(article, a)), None)
        if owner is not None and target is None and entry.type in SYMMETRIC:
            # "Israel und Libanon nahmen die Verhandlungen auf": the second subject is the other side
            target = next((a for a in before if a.start > owner.end and a.prep is None
                           and article.text[owner.end:a.start].strip() == "und"), None)
    if target is None and entry.type == "REQUEST" and _answers_demand(article, words, c_lo, c_hi):
        # "Berlin lehnte Forderungen Minsks ab": the one who rejects or meets a demand is the one asked (but not
        # the one who stresses it: "Er betonte die russische Forderung")
        target = next((a for a in actors if a.prep is None and a is not owner and _coded(a)), None)
    return owner, target


def _oblique(article: Article, a: Actor) -> bool:
    """A phrase whose determiner marks it accusative, dative or genitive ("einen Mann", "dem Minister"): never
    the subject, so never the source of an active verb."""
    return article.text[article.tokens[a.first_token].start:article.tokens[a.first_token].end].lower() in \
        OBLIQUE_DETERMINERS


def _attribute(article: Article, a: Actor) -> bool:
    """A genitive phrase right after a noun ("der Angriff der Terroristen"): it belongs to that noun."""
    j = a.first_token
    first = article.text[article.tokens[j].start:article.tokens[j].end].lower()
    return j > 0 and (article.tokens[j - 1].pos or "") in ("NN", "NE") and first in ("des", "der", "eines", "einer")


def _after_noun(article: Article, a: Actor) -> bool:
    j = a.first_token - 2  # the word before the preposition
    return j >= 0 and (article.tokens[j].pos or "") in ("NN", "ADV")


def verbal_attack(article: Article, words: list[str], c_lo: int, c_hi: int, i: int, source: Actor | None,
                   target: Actor | None) -> bool:
    """An attack in words: "scharf angegriffen", or a person attacking a named person with nothing violent in
    the clause ("Klingbeil greift Klöckner an")."""
    lemma = (article.tokens[i].lemma or words[i]).lower()
    if (article.tokens[i].pos or "").startswith("VV"):
        lemma = with_particle(article, words, c_lo, c_hi, i, lemma)
    if not lemma.endswith(VERBAL_ATTACK_TRIGGERS):
        return False
    clause = [(article.tokens[j].lemma or words[j]).lower() for j in range(c_lo, c_hi)]
    if any(w.endswith(lx.violence_words()) for w in clause):
        return False
    if any(w in lx.verbal_attack_adverbs() for w in clause):
        return True
    if target is None or source is None or source.sector in ARMED or target.sector in ARMED:
        return False
    person = target.entity is not None and article.entities[target.entity].label == "PER"
    if person or (target.sector == "POL" and (source.sector == "POL" or source.named)):
        return True
    # a person who attacks a company or an authority in words ("Stenger greift die Bahn an")
    speaker = source.entity is not None and article.entities[source.entity].label == "PER"
    organisation = target.entity is not None and article.entities[target.entity].label == "ORG"
    return speaker and organisation


def _genitive(article: Article, a: Actor, gap: str) -> bool:
    """Whether a phrase right after a noun is its genitive: after "des" / "der", or a name in -s ("Russlands")."""
    if gap.strip() in ("des", "der"):
        return True
    if gap.strip() != "":
        return False
    first = article.text[article.tokens[a.first_token].start:article.tokens[a.first_token].end].lower()
    return first in ("des", "der", "eines", "einer") or \
        ((a.named or a.country is not None) and a.text.endswith(("s", "'")))


def _patient_genitive(noun: str, entry: lx.TriggerEntry) -> bool:
    """Whether a noun's genitive names whom the act is done to: the -ung nouns of acts done to someone
    ("Festnahme", "Freilassung", "Ermordung"), unlike those of speaking ("Forderung", "Einladung")."""
    lower = noun.lower()
    return entry.type in PATIENT_TYPES and (lower.endswith(("ung", "nahme", "ungen", "nahmen")))


def _verb_object(article: Article, words: list[str], i: int) -> bool:
    """Whether the noun at ``i`` heads a phrase a verb can carry: not a genitive ("Bekanntgabe des
    Telefonats") and not under a preposition other than those of taking part ("an Verhandlungen", "in einen
    Hungerstreik", "zu Gesprächen"), so "nach dem Treffen" and "bei dem Anschlag" are not."""
    j = i - 1
    while j >= 0 and (article.tokens[j].pos or "") in ("ART", "ADJA", "PPOSAT", "PIAT", "PIDAT", "CARD", "ADJD"):
        j -= 1
    if j < 0:
        return True
    word, pos = words[j].lower(), article.tokens[j].pos or ""
    if pos in ("APPR", "APPRART"):
        return word in PARTAKING_PREPS
    first = words[j + 1].lower() if j + 1 < i else ""
    return not (first in ("des", "eines") or (pos in ("NN", "NE") and first == "der"))


def _answers_demand(article: Article, words: list[str], c_lo: int, c_hi: int) -> bool:
    return bool(_clause_lemmas(article, words, c_lo, c_hi) & ANSWER_VERBS)


def _clause_lemmas(article: Article, words: list[str], c_lo: int, c_hi: int, verbs_only: bool = False) -> set[str]:
    """The clause's lemmas, lower case, each also with the clause's verb particles before it ("auffordern")."""
    lemmas = {(article.tokens[j].lemma or words[j]).lower() for j in range(c_lo, c_hi)
              if not verbs_only or (article.tokens[j].pos or "").startswith("VV")}
    particles = {words[j].lower() for j in range(c_lo, c_hi) if article.tokens[j].pos == "PTKVZ"}
    return lemmas | {p + lemma for p in particles for lemma in lemmas}


def _passive(clause_words: list[str]) -> bool:
    """Whether the clause has a passive auxiliary ("wurde", "werden", …)."""
    return any(w.lower() in PASSIVE_AUX for w in clause_words)


def _infinitive(article: Article, i: int) -> bool:
    return article.tokens[i].pos == "VVIZU" or (i > 0 and article.tokens[i - 1].pos == "PTKZU")


def _controller(article: Article, s: Sentence, words: list[str], c_lo: int) -> Actor | None:
    """Who does what an infinitive clause names: the subject of the clause before it ("Israel drohte, …"), or its
    object after a verb of asking ("forderte die EG auf, …"); none where that clause is passive or names none."""
    if c_lo - 2 < s.lo:
        return None
    m_lo, m_hi = clause(article, words, s.lo, s.hi, c_lo - 2)
    if m_hi > c_lo:
        return None
    if _passive(words[m_lo:m_hi]):
        return None
    start, end = article.tokens[m_lo].start, article.tokens[m_hi - 1].end
    actors = [a for a in s.actors if start <= a.start and a.end <= end and a.people]
    plain = [a for a in actors if a.prep is None]
    if _clause_lemmas(article, words, m_lo, m_hi) & OBJECT_CONTROL:
        asked = plain[1:] + [a for a in actors if a.prep == "an"]
        return asked[0] if asked else None
    return next((a for a in plain if not _oblique(article, a)), None)


def named_apposition(article: Article, s: Sentence, actor: Actor | None) -> Actor | None:
    """The name in an apposition ("Der Präsident der Region, Qiangba Puncog, …"): the shortest phrase that names
    the actor."""
    if actor is None or actor.named:
        return actor
    k = bisect.bisect_left(s.actor_starts, actor.end)
    if k < len(s.actors):
        nxt = s.actors[k]
        if nxt.named and nxt.entity is not None and article.entities[nxt.entity].label == "PER" and \
                article.text[actor.end:nxt.start].strip() == "," and \
                article.text[nxt.end:nxt.end + 2].strip()[:1] in (",", ""):
            return nxt
    return actor


def _light_verb(article: Article, words: list[str], c_lo: int, c_hi: int, entry: lx.TriggerEntry) -> bool:
    """Whether the clause's verb is one that carries an event noun for its subject (an active one: "wurde …
    verübt" has no subject of the act)."""
    if _passive(words[c_lo:c_hi]):
        return False
    return bool(_clause_lemmas(article, words, c_lo, c_hi, verbs_only=True) & lx.light_verbs(entry.type))
