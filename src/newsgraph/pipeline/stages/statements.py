"""Who said what: statements with cue, speaker (resolved to an entity), message, addressee and kind.

A CRF (``models/statements-de``) tags each token as cue, speaker, message or addressee. Assembly then builds
statements: each cue takes the nearest speaker, addressee and message spans of its sentence (or of the next
sentence after a colon); message spans left without a cue become cue-less statements that continue the last
source ("Beide hätten vereinbart …" after "laut Trump …"). The kind follows news-quotation-2024.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from functools import cache
from typing import Any

from newsgraph.model import Article, SpeakerSpan, Statement, TextSpan
from newsgraph.models import model_path
from newsgraph.pipeline.registry import stage
from newsgraph.pipeline.stages.statement_features import (
    OPEN_QUOTES,
    article_features,
    crf_items,
    is_konjunktiv,
    sentence_ids,
)

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
        return all((article.tokens[i].pos or "") in FUNCTION_TAGS for i in range(s.first, s.last + 1))

    main = [c for c in cues if not is_function(c)]
    if not main:
        return cues
    for c in cues:
        if is_function(c):
            host = min(main, key=lambda m: abs(m.first - c.first))
            host.parts = [*(host.parts or []), c]
    return main


@cache
def _tagger() -> Any:
    import pycrfsuite

    tagger = pycrfsuite.Tagger()
    tagger.open(str(model_path(STATEMENTS_MODEL) / "model.crfsuite"))
    return tagger


CUE_RECALL_THRESHOLD = 0.5  # a token the CRF leaves outside becomes a cue when P(cue) exceeds this (tuned on dev)


def tag_tokens(article: Article, *, cue_threshold: float = CUE_RECALL_THRESHOLD) -> list[str]:
    """BIO role labels for every token; cues are recovered from marginals for recall."""
    labels: list[str] = []
    tagger = _tagger()
    known = set(tagger.labels())
    for sent_feats in article_features(article):
        tags = list(tagger.tag(crf_items(sent_feats)))
        for i, tag in enumerate(tags):
            if tag == "O" and "B-CUE" in known:
                p = tagger.marginal("B-CUE", i) + (tagger.marginal("I-CUE", i) if "I-CUE" in known else 0.0)
                if p > cue_threshold:
                    tags[i] = "I-CUE" if i and tags[i - 1].endswith("CUE") else "B-CUE"
        labels.extend(tags)
    return labels


SOURCE_NOUNS = frozenset({"angaben", "informationen", "ansicht", "auffassung", "meinung", "einschätzung",
                          "darstellung", "worten", "aussage", "aussagen", "berichten", "erkenntnissen", "schätzungen"})


def rule_cues(article: Article, labels: list[str]) -> list[str]:
    """Prepositional cues the tagger may miss: "laut X", "X zufolge", "gemäß X", "nach Angaben …",
    "demnach", "wonach"."""
    out = list(labels)
    toks = article.tokens
    for i, t in enumerate(toks):
        if out[i] != "O":
            continue
        word = article.text[t.start:t.end].lower()
        nxt = article.text[toks[i + 1].start:toks[i + 1].end].lower() if i + 1 < len(toks) else ""
        if (word in ("laut", "zufolge", "gemäß") and t.pos in ("APPR", "APPO")) or word in ("demnach", "wonach") \
                or (word == "nach" and nxt in SOURCE_NOUNS):
            out[i] = "B-CUE"
    return out


def label_spans(article: Article, labels: list[str]) -> list[Span]:
    sent_of = sentence_ids(article)
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
    start, end = article.tokens[s.first].start, article.tokens[s.last].end
    return TextSpan(start, end, article.text[start:end])


def _speaker(article: Article, s: Span | None) -> SpeakerSpan | None:
    if s is None:
        return None
    ts = _text_span(article, s)
    best, best_overlap = None, 0
    for m in article.mentions:
        overlap = min(m.end, ts.end) - max(m.start, ts.start)
        if m.entity is not None and overlap > best_overlap:
            best, best_overlap = m.entity, overlap
    if best is None:
        best = _entity_named_in(article, ts.text)
    return SpeakerSpan(ts.start, ts.end, ts.text, best)


def _entity_named_in(article: Article, text: str) -> int | None:
    """An entity whose name or alias occurs as whole words in ``text`` ("Dem Kreml" -> Kreml), longest first."""
    words = f" {text} "
    names = sorted(((alias, i) for i, e in enumerate(article.entities) for alias in (e.name, *e.aliases)),
                   key=lambda pair: -len(pair[0]))
    return next((i for alias, i in names if f" {alias} " in words), None)


def _mention_near(article: Article, cue: Span) -> SpeakerSpan | None:
    """When the tagger marks no speaker: the person or organisation mention (or pronoun) of the cue's
    sentence that is closest to the cue."""
    sent = article.sentences[cue.sentence]
    anchor = article.tokens[cue.first].start
    candidates = [m for m in article.mentions if sent.start <= m.start < sent.end and m.entity is not None
                  and m.label in ("PER", "ORG") and m.form in (None, "pronoun", "nominal")
                  and not (article.tokens[cue.first].start <= m.start < article.tokens[cue.last].end)]
    if not candidates:
        return None
    best = min(candidates, key=lambda m: abs(m.start - anchor))
    return SpeakerSpan(best.start, best.end, best.text, best.entity)


def _nearest(spans: list[Span], anchor: Span) -> Span | None:
    return min(spans, key=lambda s: abs(s.first - anchor.first), default=None)


def _kind(article: Article, cue: Span | None, message: list[Span], continues: bool) -> str:
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


def assemble(article: Article, spans: list[Span]) -> list[Statement]:
    by_sentence: dict[int, dict[str, list[Span]]] = {}
    for s in spans:
        by_sentence.setdefault(s.sentence, {}).setdefault(s.role, []).append(s)
    taken: set[int] = set()
    statements: list[Statement] = []
    last_speaker: SpeakerSpan | None = None
    for si in sorted(by_sentence):
        roles = by_sentence[si]
        cues = merge_cue_parts(article, roles.get("CUE", []))
        messages = [m for m in roles.get("MSG", []) if id(m) not in taken]
        for cue in cues:
            mine = [m for m in messages if _nearest(cues, m) is cue]
            if not mine and si + 1 in by_sentence and not by_sentence[si + 1].get("CUE"):
                mine = by_sentence[si + 1].get("MSG", [])
            taken.update(id(m) for m in mine)
            if not mine:
                mine = _rest_of_clause(article, cue)
            speaker = (_speaker(article, _nearest(roles.get("SPK", []), cue)) or _mention_near(article, cue)
                       or last_speaker)
            addressee = _nearest(roles.get("ADR", []), cue)
            statements.append(Statement(
                _kind(article, cue, mine, False), _text_span(article, cue), speaker,
                tuple(_text_span(article, m) for m in mine),
                _text_span(article, addressee) if addressee else None,
                cue_parts=tuple(_text_span(article, p) for p in cue.parts or [])))
            last_speaker = speaker or last_speaker
        rest = [m for m in messages if id(m) not in taken]
        if rest and statements and _quote_left_open(statements[-1]):
            # A quotation running on into this sentence continues the previous statement's message.
            taken.update(id(m) for m in rest)
            prev = statements[-1]
            statements[-1] = dataclasses.replace(prev, message=prev.message + tuple(_text_span(article, m) for m in rest))
            rest = []
        if rest:
            taken.update(id(m) for m in rest)
            own = _speaker(article, _nearest(roles.get("SPK", []), rest[0]))
            speaker = own or last_speaker
            statements.append(Statement(_kind(article, None, rest, bool(statements)), None, speaker,
                                        tuple(_text_span(article, m) for m in rest)))
            last_speaker = speaker or last_speaker
    return statements


def quoted_spans(article: Article, span: TextSpan) -> list[TextSpan]:
    """Quotations („…“, »…«) strictly inside ``span``, marks included."""
    out = []
    text = article.text
    i = span.start
    while i < span.end:
        opener = text[i]
        closer = {"„": "“", "»": "«"}.get(opener)
        j = text.find(closer, i + 1, span.end) if closer else -1
        if j > i and (i, j + 1) != (span.start, span.end):
            out.append(TextSpan(i, j + 1, text[i:j + 1]))
            i = j + 1
        else:
            i += 1
    return out


def with_nested_quotes(article: Article, statements: list[Statement]) -> list[Statement]:
    """A quotation inside a longer message is also a Direct statement of the same source (nested)."""
    out = []
    for st in statements:
        out.append(st)
        if len(st.message) == 1:
            for q in quoted_spans(article, st.message[0]):
                out.append(Statement("Direct", st.cue, st.speaker, (q,), st.addressee, st.medium, st.cue_parts))
    return out


def extract_statements(article: Article) -> list[Statement]:
    """Pure function: the article's statements."""
    if not article.tokens:
        return []
    labels = rule_cues(article, tag_tokens(article))
    return with_nested_quotes(article, assemble(article, label_spans(article, labels)))


@stage("statements", requires=["tokens.pos", "tokens.lemma", "sentences", "mentions", "entities"],
       assigns=["statements"], languages=["de"])
def statements_stage(article: Article) -> dict[str, Any]:
    """Find direct, indirect and reported speech with cue, speaker, message and addressee."""
    return {"statements": extract_statements(article)}
