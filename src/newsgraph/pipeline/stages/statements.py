"""Who said what: statements with cue, speaker (resolved to an entity), message, addressee and kind.

Three CRFs (``models/statements-de``) work cue first. The ``cues`` tagger finds the cues (verbs of saying,
"laut", "zufolge", nouns such as "Forderung"); function-word parts join their main cue ("teilte … mit"). For each
cue the ``roles`` tagger reads a three-sentence window as seen from that cue and marks its speaker, message and
addressee, so two statements in one sentence keep their own roles. The ``spans`` tagger marks messages
everywhere; those no cue claimed become cue-less statements that continue the last source ("Beide hätten
vereinbart …" after "laut Trump …"). The kind follows news-quotation-2024.
"""

from __future__ import annotations

import dataclasses
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsgraph.model import Article, SpeakerSpan, Statement, TextSpan
from newsgraph.models import model_path
from newsgraph.models.accurate import ACCURATE_MODEL, accurate_statements
from newsgraph.models.reader import READER_MODEL, shipped_heads
from newsgraph.pipeline.stages.statement_confidence import (
    CONFIDENCE_FILE,
    Signals,
    load_weights,
    with_confidence,
)
from newsgraph.pipeline.stages.statement_features import (
    OPEN_QUOTES,
    article_features,
    continuations,
    crf_items,
    cue_role_items,
    entity_overlapping,
    is_konjunktiv,
    kind_features,
    medium_features,
    mentions_overlapping,
    overlapping,
    sentence_groups,
    sentence_ids,
    sentence_items,
    statement_roles,
    token_span,
)
from newsgraph.pipeline.stages.statement_guards import GUARDS
from newsgraph.pipeline.stages.statement_rules import AFTER_MEDIUM, BEFORE_KIND, apply, with_nested_quotes
from newsgraph.pipeline.stages.statements_accurate import AccurateStatementTagger
from newsgraph.pipeline.stages.statements_deep import DeepStatementTagger

STATEMENTS_MODEL = "statements-de"
PREPOSITION_CUES = frozenset({"laut", "zufolge", "nach", "gemäß", "demnach", "wonach", "so"})
# A cue span made only of these parts of speech (auxiliary, particle, reflexive, "als") belongs to the main cue
# of its sentence: "hatte … erklärt", "teilte … mit", "bezeichnete … als".
FUNCTION_TAGS = frozenset({"VAFIN", "VAINF", "VAPP", "VMFIN", "VMINF", "PTKVZ", "PRF", "KOKOM", "PTKZU", "PAV"})


@dataclass
class Span:
    role: str  # CUE, SPK, MSG, ADR
    sentence: int
    first: int  # token index
    last: int  # token index, inclusive
    parts: list[Span] | None = None  # further parts of a discontinuous cue


def merge_cue_parts(article: Article, cues: list[Span]) -> list[Span]:
    """Attach function-word cue spans to the nearest main cue span of the same sentence."""
    def is_function(s: Span) -> bool:
        return all((article.tokens[i].pos or "") in FUNCTION_TAGS or _word(article, i).lower() == "wie"
                   for i in range(s.first, s.last + 1))

    main = [c for c in cues if not is_function(c)]
    if not main:
        return []  # an auxiliary or particle alone is no cue
    for c in cues:
        if is_function(c):
            host = min(main, key=lambda m: abs(m.first - c.first))
            host.parts = [*(host.parts or []), c]
    return main


@dataclass(frozen=True)
class Taggers:
    """The CRFs of a statements model folder: cue, role and span taggers, the sentence model for cue-less
    statements, and the kind and medium classifiers."""

    cues: Any
    roles: Any
    spans: Any
    sentences: Any
    kind: Any
    medium: Any
    confidence: tuple[Any, float] | None = None  # logistic weights (statement_confidence.py), if shipped
    # the deep or accurate tier's tagger (DeepStatementTagger, AccurateStatementTagger): it tags cues, spans and
    # roles instead of the CRFs
    network: DeepStatementTagger | AccurateStatementTagger | None = None


def open_taggers(folder: Path, *, tier: str = "lite", accurate: Path | None = None) -> Taggers:
    """The CRFs of ``folder``; in the deep and accurate tiers also the encoder's statement tagger and its
    confidence weights (from ``accurate``, default: the shipped accurate-de, or from the deep reader's folder;
    the sentence, kind and medium CRFs serve every tier)."""
    import pycrfsuite

    def one(name: str) -> Any:
        tagger = pycrfsuite.Tagger()
        tagger.open(str(folder / f"{name}.crfsuite"))
        return tagger

    network: DeepStatementTagger | AccurateStatementTagger | None = None
    confidence = folder / CONFIDENCE_FILE
    if tier == "accurate":
        accurate = accurate or model_path(ACCURATE_MODEL)
        network, confidence = AccurateStatementTagger(accurate_statements(accurate)), accurate / CONFIDENCE_FILE
    elif tier == "deep":
        network, confidence = DeepStatementTagger(shipped_heads()), model_path(READER_MODEL) / CONFIDENCE_FILE
    return Taggers(one("cues"), one("roles"), one("spans"), one("sentences"), one("kind"), one("medium"),
                   load_weights(confidence), network)


# A pycrfsuite Tagger keeps the sequence it was last ``set`` to, so one shared tagger gives wrong marginals (or
# IndexError) under concurrent calls. Each thread opens its own; opening costs about 10 ms.
_per_thread = threading.local()


def _taggers(tier: str = "lite") -> Taggers:
    taggers: Taggers | None = getattr(_per_thread, tier, None)
    if taggers is None:
        taggers = open_taggers(model_path(STATEMENTS_MODEL), tier=tier)
        setattr(_per_thread, tier, taggers)
    return taggers


# A token is a cue when the mean of P(cue) from the cue tagger and from the span tagger exceeds this. The two
# CRFs see different labels and disagree usefully: the mean beat either alone on dev (cue F1 0.809 vs 0.795).
CUE_THRESHOLD = 0.4


@dataclass(frozen=True)
class Features:
    """The article's token features, computed once: per sentence as dicts (for the role windows) and as
    CRF items (for the cue and span taggers), and each token's sentence."""

    flat: list[dict[str, float | str]]
    items: list[list[dict[str, float]]]
    sentence_of: list[int]  # per token, the index of its sentence

    @classmethod
    def of(cls, article: Article) -> Features:
        per_sentence = article_features(article)
        return cls([f for sentence in per_sentence for f in sentence], [crf_items(s) for s in per_sentence],
                   sentence_ids(article))


def tag_cues(features: Features, signals: Signals, *, threshold: float = CUE_THRESHOLD) -> list[str]:
    """BIO cue labels for every token, sentence by sentence, from P(cue) (the mean of the two taggers')."""
    labels: list[str] = []
    k = 0
    for items in features.items:
        inside = False
        for _ in items:
            is_cue = bool(signals.cue[k] > threshold)
            labels.append(("I-CUE" if inside else "B-CUE") if is_cue else "O")
            inside = is_cue
            k += 1
    return labels


def tag_spans(features: Features, tagger: Any) -> list[str]:
    """The span tagger's BIO labels (cue, speaker, message, addressee) for every token."""
    return [tag for items in features.items for tag in tagger.tag(items)]


SOURCE_NOUNS = frozenset({"angaben", "informationen", "ansicht", "auffassung", "meinung", "einschätzung",
                          "darstellung", "worten", "aussage", "aussagen", "berichten", "erkenntnissen", "schätzungen",
                          "ermittlungsstand", "kenntnisstand", "überzeugung", "meldungen", "polizeiangaben",
                          "medienberichten", "expertenschätzungen", "umfragen", "einschätzungen", "ansichten"})


def _word(article: Article, i: int) -> str:
    t = article.tokens[i]
    return article.text[t.start:t.end]


def _source_nach(article: Article, i: int) -> bool:
    """ "nach" that names a source: "nach Angaben der Polizei", "nach eigener Aussage", "seiner Ansicht nach"."""
    ahead = [_word(article, j).lower() for j in range(i + 1, min(i + 4, len(article.tokens)))]
    ahead = ahead[:next((k for k, w in enumerate(ahead) if not w.isalnum()), len(ahead))]
    before = _word(article, i - 1).lower() if i else ""
    return any(w in SOURCE_NOUNS for w in ahead) or before in SOURCE_NOUNS


def rule_cues(article: Article, labels: list[str]) -> list[str]:
    """Prepositional cues the tagger may miss ("laut X", "X zufolge", "gemäß X", "nach Angaben …", "demnach",
    "wonach"), and "nach" the tagger took that names no source ("ließen … nach", "nach denen")."""
    out = list(labels)
    for i, t in enumerate(article.tokens):
        word = _word(article, i).lower()
        if word == "nach" and out[i] != "O" and not _source_nach(article, i) and out[i].endswith("CUE"):
            out[i] = "O"
            if i + 1 < len(out) and out[i + 1] == "I-CUE":
                out[i + 1] = "B-CUE"
            continue
        if out[i] != "O":
            continue
        if (word in ("laut", "zufolge", "gemäß") and t.pos in ("APPR", "APPO")) or word in ("demnach", "wonach") \
                or (word == "nach" and _source_nach(article, i)):
            out[i] = "B-CUE"
    return out


def label_spans(labels: list[str], sent_of: list[int]) -> list[Span]:
    spans: list[Span] = []
    for i, lab in enumerate(labels):
        if lab == "O":
            continue
        role = lab[2:]
        prev = spans[-1] if spans else None
        if lab.startswith("I-") and prev and prev.role == role and prev.last == i - 1 and prev.sentence == sent_of[i]:
            prev.last = i
        else:
            spans.append(Span(role, sent_of[i], i, i))
    return spans


def _text_span(article: Article, s: Span) -> TextSpan:
    return token_span(article, s.first, s.last)


NOUN_PHRASE_TAGS = frozenset({"ART", "ADJA", "NN", "NE", "PPOSAT", "CARD", "TRUNC"})


def _with_title(article: Article, s: Span | None) -> Span | None:
    """A speaker span that starts at a name also takes the noun phrase before it in the same sentence
    ("der Wissenschaftsjournalist Dirk Lorenzen"), as the annotation does."""
    if s is None or (article.tokens[s.first].pos or "") != "NE":
        return s
    first = s.first
    sentence_start = article.sentences[s.sentence].start
    while first > 0 and article.tokens[first - 1].start >= sentence_start \
            and (article.tokens[first - 1].pos or "") in NOUN_PHRASE_TAGS:
        first -= 1
    return Span(s.role, s.sentence, first, s.last)


def _speaker(article: Article, s: Span | None) -> SpeakerSpan | None:
    if s is None:
        return None
    ts = _text_span(article, s)
    best = entity_overlapping(article, ts.start, ts.end)
    if best is None:
        best = _entity_named_in(article, ts.text)
    return SpeakerSpan(ts.start, ts.end, ts.text, best)


def _entity_named_in(article: Article, text: str) -> int | None:
    """An entity whose name or alias occurs as whole words in ``text`` ("Dem Kreml" -> Kreml), longest first."""
    words = f" {text} "
    names = sorted(((alias, i) for i, e in enumerate(article.entities) for alias in (e.name, *e.aliases)),
                   key=lambda pair: -len(pair[0]))
    return next((i for alias, i in names if f" {alias} " in words), None)


def _mention_near(article: Article, cue: Span) -> Span | None:
    """When the tagger marks no speaker: the person or organisation mention (or pronoun) of the cue's
    sentence that is closest to the cue."""
    sent = article.sentences[cue.sentence]
    anchor = article.tokens[cue.first].start
    in_sentence = (article.mentions[k] for k in mentions_overlapping(article, sent.start, sent.end))
    candidates = [m for m in in_sentence if sent.start <= m.start < sent.end and m.entity is not None
                  and m.label in ("PER", "ORG") and m.form in (None, "pronoun", "nominal")
                  and not (article.tokens[cue.first].start <= m.start < article.tokens[cue.last].end)]
    if not candidates:
        return None
    best = min(candidates, key=lambda m: abs(m.start - anchor))
    tokens = overlapping(article.tokens, best.start, best.end)
    return Span("SPK", cue.sentence, tokens[0], tokens[-1])


def _nearest(spans: list[Span], anchor: Span) -> Span | None:
    return min(spans, key=lambda s: abs(s.first - anchor.first), default=None)


def _kind(article: Article, cue: Span | None, message: list[Span], continues: bool) -> str:
    """A first guess by rule; the kind classifier (``with_kind``) replaces it wherever there is a message."""
    if not message:
        return "Reported"
    first = article.text[article.tokens[message[0].first].start:article.tokens[message[0].first].end]
    if any(article.text[article.tokens[m.first].start:article.tokens[m.first].end] in OPEN_QUOTES for m in message):
        return "Direct"
    konj = any(is_konjunktiv(article.text[t.start:t.end], t.lemma, t.pos)
               for m in message for t in article.tokens[m.first:m.last + 1])
    if cue is None:
        if konj:
            return "IndirectFreeIndirect" if continues else "FreeIndirect"
        return "Reported"
    cue_word = article.text[article.tokens[cue.first].start:article.tokens[cue.first].end].lower()
    if konj or cue_word not in PREPOSITION_CUES:
        return "Indirect" if konj or first.lower() in ("dass", "ob") else "Reported"
    return "Reported"


def _rest_of_clause(article: Article, cue: Span) -> list[Span]:
    """A cue the tagger gave no message ("Er betonte jedoch die Forderung …"): the message is what follows
    the cue up to the end of its sentence."""
    sent = article.sentences[cue.sentence]
    last = cue.last
    while last + 1 < len(article.tokens) and article.tokens[last + 1].end <= sent.end:
        last += 1
    if last > cue.last and not article.text[article.tokens[last].start:article.tokens[last].end].isalnum():
        last -= 1
    return [Span("MSG", cue.sentence, cue.last + 1, last)] if last > cue.last else []


def _quote_left_open(statement: Statement) -> bool:
    text = "".join(m.text for m in statement.message)
    return sum(text.count(q) for q in "„»") > sum(text.count(q) for q in "“«")


def find_cues(article: Article, features: Features, signals: Signals) -> list[Span]:
    """Cue spans, with function-word parts attached to their main cue."""
    by_sentence: dict[int, list[Span]] = {}
    for span in label_spans(rule_cues(article, tag_cues(features, signals)), features.sentence_of):
        by_sentence.setdefault(span.sentence, []).append(span)
    return [c for si in sorted(by_sentence) for c in merge_cue_parts(article, by_sentence[si])]


def _tokens(span: Span) -> set[int]:
    return set(range(span.first, span.last + 1)).union(*(range(p.first, p.last + 1) for p in span.parts or []))


def _role_spans(labels: list[str], window: list[int], sentence_of: list[int], role: str) -> list[Span]:
    spans: list[Span] = []
    for lab, i in zip(labels, window, strict=True):
        if not lab.endswith(role):
            continue
        if lab.startswith("I-") and spans and spans[-1].last == i - 1:
            spans[-1].last = i
        else:
            spans.append(Span(role, sentence_of[i], i, i))
    return spans


def cue_statements(article: Article, features: Features, cues: list[Span], taggers: Taggers
                   ) -> list[tuple[int, Statement]]:
    """One statement per cue, its roles tagged in the cue's window; paired with the cue's first token."""
    flat, sentence_of = features.flat, features.sentence_of
    cue_tokens = [_tokens(c) for c in cues]
    every_cue = set().union(*cue_tokens) if cue_tokens else set()
    tagged: list[tuple[list[int], list[str], str | None]] = []
    if taggers.network is not None:
        tagged += taggers.network.cue_roles(article, sentence_of, cue_tokens)
    else:
        for mine in cue_tokens:
            window, items = cue_role_items(article, flat, sentence_of, mine, every_cue - mine)
            tagged.append((window, taggers.roles.tag(items), None))
    out = []
    for cue, (window, labels, head_kind) in zip(cues, tagged, strict=True):
        speakers, messages, addressees = (_role_spans(labels, window, sentence_of, r) for r in ("SPK", "MSG", "ADR"))
        messages = messages or _rest_of_clause(article, cue)
        addressee = _nearest(addressees, cue)
        # No speaker from the tagger: a person or organisation next to the cue, else none (passives have none).
        speaker = _speaker(article, _with_title(article, _nearest(speakers, cue) or _mention_near(article, cue)))
        out.append((cue.first, Statement(
            head_kind or _kind(article, cue, messages, False), _text_span(article, cue), speaker,
            tuple(_text_span(article, m) for m in messages), _text_span(article, addressee) if addressee else None,
            cue_parts=tuple(_text_span(article, p) for p in cue.parts or []))))
    return out


# Cue-less statements: the span tagger's messages that no cue claimed, kept where the sentence model gives
# P(cue-less statement) > CUELESS_KEEP, and whole sentences with P > CUELESS_ADD where the span tagger marked
# none ("Der Schriftführer soll Gelder veruntreut haben."). Chosen on dev: quote F1 0.592 -> 0.601.
CUELESS_KEEP = 0.1
CUELESS_ADD = 0.7


def cueless_messages(article: Article, features: Features, taggers: Taggers, claimed: set[int],
                     cue_sentences: set[int], span_labels: list[str] | None) -> list[tuple[list[Span], Span | None]]:
    """Messages of cue-less statements, each with the speaker span the span tagger marked in its sentence
    (``span_labels``: the accurate tier's; None: the span CRF's)."""
    spans = span_labels if span_labels is not None else tag_spans(features, taggers.spans)
    labels = [lab if not lab.endswith("CUE") else "O" for lab in spans]
    labels = ["B-" + lab[2:] if lab.startswith("I-") and (i == 0 or labels[i - 1][2:] != lab[2:]) else lab
              for i, lab in enumerate(labels)]
    by_sentence: dict[int, dict[str, list[Span]]] = {}
    for span in label_spans(labels, features.sentence_of):
        by_sentence.setdefault(span.sentence, {}).setdefault(span.role, []).append(span)
    groups = sentence_groups(article)
    taggers.sentences.set(sentence_items(article, groups, claimed, cue_sentences))
    out = []
    for k, si in enumerate(sorted(groups)):
        p = taggers.sentences.marginal("S", k)
        roles = by_sentence.get(si, {})
        rest = [m for m in roles.get("MSG", []) if not claimed & set(range(m.first, m.last + 1))]
        free = [i for i in groups[si] if i not in claimed]
        if rest and p > CUELESS_KEEP:
            out.append((rest, _nearest(roles.get("SPK", []), rest[0])))
        elif not rest and p > CUELESS_ADD and len(free) >= 3:
            out.append(([Span("MSG", si, free[0], free[-1])], next(iter(roles.get("SPK", [])), None)))
    return out


def assemble(article: Article, taggers: Taggers, features: Features, signals: Signals,
             span_labels: list[str] | None = None) -> list[Statement]:
    """Cue statements, then cue-less ones in text order: a cue-less message continues an open quotation of the
    statement before it, or is a statement of its own that, without a speaker in sight, takes the last one."""
    cued = cue_statements(article, features, find_cues(article, features, signals), taggers)
    claimed: set[int] = set()
    for _first, st in cued:
        for part in (st.cue, *st.cue_parts, *st.message):
            if part is not None:
                claimed.update(overlapping(article.tokens, part.start, part.end))
    cue_sentences = {features.sentence_of[first] for first, _st in cued}
    pending: list[tuple[int, Statement | tuple[list[Span], Span | None]]] = [*cued]
    pending += [(msgs[0].first, (msgs, spk))
                for msgs, spk in cueless_messages(article, features, taggers, claimed, cue_sentences, span_labels)]
    pending.sort(key=lambda pair: pair[0])
    out: list[Statement] = []
    last_speaker: SpeakerSpan | None = None
    for _first, item in pending:
        if isinstance(item, Statement):
            st = item
        else:
            messages, speaker_span = item
            texts = tuple(_text_span(article, m) for m in messages)
            if out and _quote_left_open(out[-1]):
                out[-1] = dataclasses.replace(out[-1], message=out[-1].message + texts)
                continue
            speaker = _speaker(article, speaker_span) or last_speaker
            st = Statement(_kind(article, None, messages, bool(out)), None, speaker, texts)
        out.append(st)
        last_speaker = st.speaker or last_speaker
    return out


def with_kind(article: Article, statements: list[Statement], tagger: Any) -> list[Statement]:
    """Each statement's kind (Direct, Indirect, FreeIndirect, IndirectFreeIndirect, Reported) from a classifier
    over quotation marks, Konjunktiv, the cue, and whether it continues the statement before it. A statement
    without a message keeps its rule-based kind."""
    spoken = [i for i, st in enumerate(statements) if st.message]
    roles = [statement_roles(statements[i]) for i in spoken]
    out = list(statements)
    for i, role, continues in zip(spoken, roles, continuations(roles), strict=True):
        out[i] = dataclasses.replace(out[i], kind=tagger.tag([kind_features(article, *role, continues)])[0])
    return out


def with_medium(article: Article, statements: list[Statement], tagger: Any) -> list[Statement]:
    """Each statement's medium (Speech, Writing, SW = either, ST = speech or thought), from its cue, speaker
    and kind."""
    return [dataclasses.replace(st, medium=tagger.tag([medium_features(article, st.kind, *statement_roles(st))])[0])
            for st in statements]


def statements_and_signals(article: Article, taggers: Taggers) -> tuple[list[Statement], Signals]:
    """The statements before confidence, and the per-token probabilities that cues and confidence both read."""
    features = Features.of(article)
    span_labels = None
    if taggers.network is None:
        signals = Signals.of(features.items, taggers.cues, taggers.spans)
    else:
        signals, span_labels = taggers.network.sentence_tags(article)
    # the guards (issue 25) serve the deep reader; the lite tier keeps its measured behaviour
    guards = GUARDS if isinstance(taggers.network, DeepStatementTagger) else ()
    before_kind = apply((*BEFORE_KIND, *guards), article, assemble(article, taggers, features, signals, span_labels))
    statements = with_kind(article, before_kind, taggers.kind)
    # In the deep and accurate tiers a cue statement keeps the kind head's answer (accurate: dev kind accuracy
    # 0.913 against the kind CRF's 0.907)
    if taggers.network is not None:
        statements = [dataclasses.replace(st, kind=b.kind) if st.cue is not None and st.message else st
                      for st, b in zip(statements, before_kind, strict=True)]
    statements = apply(AFTER_MEDIUM, article, with_medium(article, statements, taggers.medium))
    return with_nested_quotes(article, statements), signals


def extract_statements(article: Article, taggers: Taggers | None = None, *, tier: str = "lite") -> list[Statement]:
    """Pure function: the article's statements, each with its confidence when the model has weights for it."""
    if not article.tokens:
        return []
    taggers = taggers or _taggers(tier)
    statements, signals = statements_and_signals(article, taggers)
    return with_confidence(article, statements, signals, taggers.confidence)
