"""Rules over the statement taggers' output for patterns they get wrong on news outside their training data.

Each is a pure function ``(article, statements) -> statements``; ``tests/gold/statement-patterns-de.jsonl``
holds one case per pattern.

- ``post_posed_speaker``: "Die Schuldenbremse sei kein Selbstzweck, betonte der Minister." The speaker is the
  noun phrase after the cue, the message the clause before the comma.
- ``colon_introduced_quote``: "Rupert von Plottnitz reagierte zurückhaltend: „Wir lassen …“" A quotation after
  a colon belongs to the person or organisation named before the colon, not to an earlier speaker.
- ``whole_names``: a speaker span covers whole names ("Ricarda Lang", not "Ricarda").
- ``message_after_adverbial``: "erklärte auf der Plattform X, die Partei …": the prepositional phrase between
  the cue and the comma is not part of the message.
- ``relative_source``: "…, dem zufolge Wedemeier …": a relative pronoun is no speaker; it stands for the noun
  before the comma. An existential "es gibt" is no statement.
- ``written_medium``: "schrieb", "twitterte", "auf der Plattform X", "in einem Brief" make the medium Writing.
"""

from __future__ import annotations

import dataclasses
import re

from newsgraph.model import Article, SpeakerSpan, Statement, TextSpan
from newsgraph.pipeline.stages.statement_features import entity_overlapping, overlapping, token_span

NOUN_PHRASE = frozenset({"ART", "ADJA", "NN", "NE", "PPOSAT", "CARD", "TRUNC"})
RELATIVE = frozenset({"PRELS", "PDS"})
# Verbs of saying that follow what was said ("…, betonte der Minister."); the cue lexicon is wider ("zeigen",
# "drohen") and would take objects for speakers.
SAYING = frozenset({"sagen", "betonen", "erklären", "meinen", "versichern", "unterstreichen", "ergänzen",
                    "hinzufügen", "mahnen", "warnen", "kritisieren", "bekräftigen", "behaupten", "berichten",
                    "erläutern", "argumentieren", "schreiben", "twittern", "antworten", "entgegnen", "erwidern",
                    "sagte", "fordern", "verlangen", "betonte", "versprechen", "zitieren", "klagen", "beklagen",
                    "loben", "räumen", "bestätigen", "dementieren", "erinnern", "resümieren", "vermuten", "glauben"})
FINITE = frozenset({"VVFIN", "VAFIN", "VMFIN"})
# Prepositions that open a phrase of channel, place or time, not of content ("warnte vor …" is content)
CIRCUMSTANCE = frozenset({"auf", "in", "im", "bei", "beim", "am", "gegenüber", "während", "anlässlich"})
WRITING_CUES = frozenset({"schreiben", "twittern", "posten", "veröffentlichen", "verbreiten", "bloggen"})
WRITTEN_CHANNEL = re.compile(r"\b(auf|bei|über) (der Plattform|dem Kurznachrichtendienst|Twitter|X|Instagram|"
                             r"Facebook|Telegram|Mastodon|Bluesky|Truth Social)\b|\bin (einem|einer|seinem|ihrem) "
                             r"(Brief|Schreiben|Beitrag|Post|Gastbeitrag|Mitteilung|Pressemitteilung|Erklärung)\b")


def _speaker(article: Article, span: TextSpan) -> SpeakerSpan:
    return SpeakerSpan(span.start, span.end, span.text, entity_overlapping(article, span.start, span.end))


def _sentence_tokens(article: Article, index: int) -> range:
    s = article.sentences[index]
    return overlapping(article.tokens, s.start, s.end)


def _within(st: Statement, start: int, end: int) -> bool:
    parts = [p for p in (st.cue, *st.message) if p is not None]
    return bool(parts) and all(start <= p.start and p.end <= end for p in parts)


def post_posed_speaker(article: Article, statements: list[Statement]) -> list[Statement]:
    out = list(statements)
    toks = article.tokens
    for si, sent in enumerate(article.sentences):
        span = _sentence_tokens(article, si)
        if len(span) < 5:
            continue
        for i in span[2:]:
            t = toks[i]
            after_comma = article.text[toks[i - 1].start:toks[i - 1].end] == ","
            if t.pos != "VVFIN" or (t.lemma or "").lower() not in SAYING or not after_comma:
                continue
            if not any(toks[k].pos in FINITE for k in range(span.start, i - 1)):
                continue  # "Der Minister, Binali Yildirim, charakterisierte …": no clause before the comma
            j = i + 1
            while j < span.stop and toks[j].pos in NOUN_PHRASE:
                j += 1
            end_ok = j == span.stop or toks[j].pos in ("$.", "$,", "APPR", "APPRART", "ADV")
            if j == i + 1 or not end_ok or not any(toks[k].pos in ("NN", "NE") for k in range(i + 1, j)):
                continue
            np_span = _whole_names(article, token_span(article, i + 1, j - 1))
            speaker = _speaker(article, np_span)
            cue_start = toks[i].start
            existing = next((k for k, st in enumerate(out) if st.cue is not None
                             and st.cue.start <= cue_start < st.cue.end), None)
            if existing is not None:
                st = out[existing]
                if st.speaker is None or not (st.speaker.start < np_span.end and np_span.start < st.speaker.end):
                    out[existing] = dataclasses.replace(st, speaker=speaker)  # the tagger's speaker was elsewhere
                break
            message = token_span(article, span.start, i - 2)
            out = [st for st in out if st.cue is not None or not _within(st, sent.start, sent.end)]
            out.append(Statement("Indirect", token_span(article, i, i), speaker, (message,)))
            break
    return sorted(out, key=_first_offset)


def _first_offset(st: Statement) -> int:
    return min((p.start for p in (st.cue, st.speaker, *st.message) if p is not None), default=0)


def colon_introduced_quote(article: Article, statements: list[Statement]) -> list[Statement]:
    out = []
    for st in statements:
        if st.cue is None and st.message and article.text[st.message[0].start:st.message[0].start + 1] in "„»\"":
            before = article.text[:st.message[0].start].rstrip()
            sentence = next((s for s in article.sentences if s.start <= st.message[0].start < s.end), None)
            if before.endswith(":") and sentence is not None and sentence.start < len(before):
                named = [m for m in article.mentions if sentence.start <= m.start and m.end <= len(before)
                         and m.entity is not None and m.label in ("PER", "ORG")]
                if named:
                    first = min(named, key=lambda m: m.start)
                    speaker = _speaker(article, TextSpan(first.start, first.end, first.text))
                    verbs = [i for i in overlapping(article.tokens, first.end, len(before))
                             if article.tokens[i].pos == "VVFIN"]
                    cue = token_span(article, verbs[0], verbs[0]) if verbs else None
                    st = dataclasses.replace(st, speaker=speaker, cue=cue)
        out.append(st)
    return out


def _whole_names(article: Article, span: TextSpan | SpeakerSpan) -> TextSpan:
    start, end = span.start, span.end
    for m in article.mentions:
        if m.form is None and m.start < end and start < m.end:
            start, end = min(start, m.start), max(end, m.end)
    return TextSpan(start, end, article.text[start:end])


def whole_names(article: Article, statements: list[Statement]) -> list[Statement]:
    out = []
    for st in statements:
        if st.speaker is not None:
            grown = _whole_names(article, st.speaker)
            if (grown.start, grown.end) != (st.speaker.start, st.speaker.end):
                st = dataclasses.replace(st, speaker=SpeakerSpan(grown.start, grown.end, grown.text,
                                                                 st.speaker.entity))
        out.append(st)
    return out


def message_after_adverbial(article: Article, statements: list[Statement]) -> list[Statement]:
    out = []
    for st in statements:
        if st.cue is not None and st.message:
            first = st.message[0]
            comma = article.text.find(",", st.cue.end, first.end)
            between = overlapping(article.tokens, st.cue.end, comma) if comma > 0 else range(0)
            opener = article.text[article.tokens[between[0]].start:article.tokens[between[0]].end].lower() \
                if len(between) else ""
            if comma > 0 and opener in CIRCUMSTANCE \
                    and first.start < comma and article.text[comma + 1:first.end].strip():
                rest = article.text[comma + 1:first.end]
                start = comma + 1 + len(rest) - len(rest.lstrip())
                st = dataclasses.replace(st, message=(TextSpan(start, first.end, article.text[start:first.end]),
                                                      *st.message[1:]))
        out.append(st)
    return out


# "dem zufolge": the source stands right before the cue. With "nach" and "gemäß" too, the accurate tier's
# dev joint F1 fell from 0.764 to 0.762 (a relative pronoun before "nach" is mostly a subject).
POSTPOSITION_CUES = frozenset({"zufolge"})


def relative_source(article: Article, statements: list[Statement]) -> list[Statement]:
    out = []
    toks = article.tokens
    for st in statements:
        sp = st.speaker
        words = overlapping(toks, sp.start, sp.end) if sp is not None else range(0)
        if sp is not None and sp.text.lower() == "es" and st.cue is not None and \
                (toks[overlapping(toks, st.cue.start, st.cue.end)[0]].lemma or "").lower() == "geben":
            continue  # "Es gab einen Bericht …": existential, nobody speaks
        relative = words[0] if sp is not None and len(words) == 1 and toks[words[0]].pos in RELATIVE else None
        if relative is None and st.cue is not None:  # "…, dem zufolge Wedemeier …": the tagger took the subject
            first = overlapping(toks, st.cue.start, st.cue.end)[0]
            if first > 0 and toks[first - 1].pos in RELATIVE and st.cue.text.lower() in POSTPOSITION_CUES:
                relative = first - 1
        if relative is not None and st.cue is not None:
            i = relative
            j = i - 1
            if j >= 0 and article.text[toks[j].start:toks[j].end] == ",":
                k = j - 1
                while k >= 0 and toks[k].pos in NOUN_PHRASE and toks[k].start >= _sentence_start(article, i):
                    k -= 1
                k += 1
                while k < j and toks[k].pos == "ART" and k + 1 < j and toks[k + 1].pos != "ART":
                    k += 1  # "einen Bericht des Senats" -> "Bericht des Senats"
                speaker = _speaker(article, token_span(article, k, j - 1)) if k < j else None
                cue_end = st.cue.end
                sentence_end = next(s.end for s in article.sentences if s.start <= cue_end <= s.end)
                rest = article.text[cue_end:sentence_end].strip().rstrip(".!?").strip()
                offset = article.text.find(rest, cue_end) if rest else -1
                message = (TextSpan(offset, offset + len(rest), rest),) if offset >= 0 else st.message
                st = dataclasses.replace(st, speaker=speaker, message=message)
        out.append(st)
    return out


def _sentence_start(article: Article, token: int) -> int:
    start = article.tokens[token].start
    return next((s.start for s in article.sentences if s.start <= start < s.end), 0)


def written_medium(article: Article, statements: list[Statement]) -> list[Statement]:
    out = []
    for st in statements:
        if st.cue is not None and st.medium != "Writing":
            lemma = " ".join((article.tokens[i].lemma or "").lower()
                             for i in overlapping(article.tokens, st.cue.start, st.cue.end))
            end = st.message[0].start if st.message and st.message[0].start > st.cue.end else st.cue.end + 60
            if lemma in WRITING_CUES or WRITTEN_CHANNEL.search(article.text[st.cue.start:end]):
                st = dataclasses.replace(st, medium="Writing")
        out.append(st)
    return out


def quoted_spans(article: Article, span: TextSpan, *, whole: bool = False) -> list[TextSpan]:
    """Quotations („…“, »…«) inside ``span``, marks included; the span itself only when ``whole``."""
    out = []
    text = article.text
    i = span.start
    while i < span.end:
        opener = text[i]
        closer = {"„": "“", "»": "«"}.get(opener)
        j = text.find(closer, i + 1, span.end) if closer else -1
        if j > i and (whole or (i, j + 1) != (span.start, span.end)):
            out.append(TextSpan(i, j + 1, text[i:j + 1]))
            i = j + 1
        else:
            i += 1
    return out


def with_nested_quotes(article: Article, statements: list[Statement]) -> list[Statement]:
    """A quotation inside the message of a statement that is not itself a quotation ("verlief laut Trump
    „lang und sehr produktiv“") is also a Direct statement of the same source, nested in it."""
    out = []
    for st in statements:
        out.append(st)
        for part in st.message:
            for q in quoted_spans(article, part, whole=st.kind != "Direct"):
                out.append(Statement("Direct", st.cue, st.speaker, (q,), st.addressee, st.medium, st.cue_parts))
    return out


BEFORE_KIND = (post_posed_speaker, relative_source, colon_introduced_quote, whole_names, message_after_adverbial)
AFTER_MEDIUM = (written_medium,)


def apply(rules: tuple[object, ...], article: Article, statements: list[Statement]) -> list[Statement]:
    for rule in rules:
        statements = rule(article, statements)  # type: ignore[operator]
    return statements
