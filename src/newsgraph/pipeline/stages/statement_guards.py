"""Guards over assembled statements, for the patterns of issue 25 (one gold case each in
``tests/gold/statement-patterns-de.jsonl``). A wrong speaker is worse than none: where a guard cannot name the
right one, it leaves the speaker empty.

- ``false_cues``: "laut geworden" (the adjective), "teilte einen Eintrag" (shared a post, no "mit") are no
  statements.
- ``cue_phrase_speaker``: "Seiner Meinung nach", "eigenen Angaben zufolge", "Demnach" point to a speaker; their
  words are none.
- ``outlet_speaker``: "In einem Podcast des „Stern“ nannte sie …": the outlet of an interview or podcast is
  not its speaker; the pronoun after the cue is.
- ``dative_speaker``: "Die Opposition wirft dem Minister vor, …": a phrase in the dative ("dem Minister") is the
  addressee or the accused, not the speaker; the subject before the cue is.
- ``reportative_soll``: "Der Konzern soll … hinterzogen haben." reports an unnamed source: no speaker.
- ``whole_quotation``: "„A. B. C“, sagte X." The message runs from the quotation's opening mark.
- ``narration``: a statement without a cue, whose speaker (if any) is carried over from another sentence and
  whose message has neither quotation marks nor a subjunctive, is the author's narration.
- ``speaker_before_quote``: "Die Ministerin Clara Weiß stellt … aus. „…“" A quotation without a cue right after
  a sentence that opens with a person's name is that person's.
"""

from __future__ import annotations

import dataclasses

from newsgraph.model import Article, SpeakerSpan, Statement, TextSpan
from newsgraph.pipeline.stages.statement_features import entity_overlapping, is_konjunktiv, overlapping, token_span

CUE_PHRASE_WORDS = frozenset({"meinung", "ansicht", "auffassung", "angaben", "angabe", "einschätzung", "demnach",
                              "zufolge", "laut", "nach", "wonach", "darin", "dazu", "hypothese", "these",
                              "überzeugung", "worten", "aussage", "aussagen", "sicht", "eigenen", "eigener"})
DETERMINERS = frozenset({"ART", "PPOSAT", "PIAT", "PDAT", "ADJA"})
MEDIUM_NOUNS = frozenset({"podcast", "interview", "gespräch", "beitrag", "sendung", "talkshow", "gastbeitrag",
                          "bericht", "video", "artikel", "kolumne", "fernsehinterview", "radiointerview"})
NOMINATIVE_PRONOUNS = frozenset({"er", "sie", "es", "wir", "ihr", "ich"})
POST_CUES = frozenset({"geteilt", "eintrag", "beitrag", "post", "video", "foto", "bild", "link", "tweet", "artikel",
                       "nachricht", "posting"})
OPEN, CLOSE = "„»", "“«"
NOUNS = frozenset({"NN", "NE"})


def _tokens(article: Article, span: TextSpan | SpeakerSpan | None) -> range:
    return overlapping(article.tokens, span.start, span.end) if span is not None else range(0)


def _word(article: Article, i: int) -> str:
    t = article.tokens[i]
    return article.text[t.start:t.end]


def _speaker(article: Article, first: int, last: int) -> SpeakerSpan:
    span = token_span(article, first, last)
    return SpeakerSpan(span.start, span.end, span.text, entity_overlapping(article, span.start, span.end))


def false_cues(article: Article, statements: list[Statement]) -> list[Statement]:
    out = []
    n = len(article.tokens)
    for st in statements:
        cue = _tokens(article, st.cue)
        if len(cue) == 1:
            i = cue[0]
            word, lemma = _word(article, i).lower(), (article.tokens[i].lemma or "").lower()
            after = _word(article, i + 1).lower() if i + 1 < n else ""
            after_lemma = (article.tokens[i + 1].lemma or "").lower() if i + 1 < n else ""
            if word == "laut" and (after_lemma == "werden" or after in ("geworden", "werden", "wurde", "wurden",
                                                                        "gewesen")):
                continue  # "laut geworden": loud, not "according to"
            if word == "laut" and i > 0 and (article.tokens[i - 1].lemma or "").lower() in ("sein", "werden"):
                continue  # "war laut", "wurde laut"
            if lemma == "teilen" and not st.cue_parts and not _has_particle(article, i, "mit") and \
                    any(_word(article, k).lower() in POST_CUES for k in range(i + 1, min(n, i + 5))):
                continue  # "teilte einen Eintrag": shared a post
        out.append(st)
    return out


def _has_particle(article: Article, cue: int, particle: str) -> bool:
    sentence = next((s for s in article.sentences if s.start <= article.tokens[cue].start < s.end), None)
    end = sentence.end if sentence is not None else len(article.text)
    return any(_word(article, k).lower() == particle and article.tokens[k].pos == "PTKVZ"
               for k in overlapping(article.tokens, article.tokens[cue].end, end))


def cue_phrase_speaker(article: Article, statements: list[Statement]) -> list[Statement]:
    out = []
    for st in statements:
        words = _tokens(article, st.speaker)
        content = [k for k in words if article.tokens[k].pos not in DETERMINERS or
                   _word(article, k).lower() in CUE_PHRASE_WORDS]
        if words and all(_word(article, k).lower() in CUE_PHRASE_WORDS for k in content):
            st = dataclasses.replace(st, speaker=None)
        out.append(st)
    return out


def outlet_speaker(article: Article, statements: list[Statement]) -> list[Statement]:
    out = []
    toks = article.tokens
    for st in statements:
        words = _tokens(article, st.speaker)
        if words:
            k = words[0] - 1
            while k >= 0 and (_word(article, k) in OPEN or _word(article, k).lower() in ("des", "der", "von")):
                k -= 1
            if k >= 0 and k < words[0] - 1 and _word(article, k).lower() in MEDIUM_NOUNS:
                cue = _tokens(article, st.cue)
                nxt = cue[-1] + 1 if cue else -1
                pronoun = 0 <= nxt < len(toks) and toks[nxt].pos == "PPER" and \
                    _word(article, nxt).lower() in NOMINATIVE_PRONOUNS
                st = dataclasses.replace(st, speaker=_speaker(article, nxt, nxt) if pronoun else None)
        out.append(st)
    return out


def dative_speaker(article: Article, statements: list[Statement]) -> list[Statement]:
    out = []
    toks = article.tokens
    for st in statements:
        words = _tokens(article, st.speaker)
        cue = _tokens(article, st.cue)
        if words and cue and _word(article, words[0]).lower() == "dem" and words[0] > cue[0] and \
                (st.cue.text.lower() if st.cue else "") not in ("zufolge", "laut", "nach", "gemäß"):
            sentence = next(s for s in article.sentences if s.start <= toks[cue[0]].start < s.end)
            first = overlapping(toks, sentence.start, sentence.end)[0]
            subject = range(first, cue[0])
            noun_phrase = len(subject) > 0 and all(toks[k].pos in (*DETERMINERS, *NOUNS) for k in subject) and \
                toks[subject[-1]].pos in NOUNS
            st = dataclasses.replace(st, speaker=_speaker(article, first, cue[0] - 1) if noun_phrase else None)
        out.append(st)
    return out


def reportative_soll(article: Article, statements: list[Statement]) -> list[Statement]:
    out = []
    for st in statements:
        cue = _tokens(article, st.cue)
        if len(cue) == 1 and (article.tokens[cue[0]].lemma or "").lower() == "sollen" and st.speaker is not None:
            st = dataclasses.replace(st, speaker=None)
        out.append(st)
    return out


def whole_quotation(article: Article, statements: list[Statement]) -> list[Statement]:
    out = []
    text = article.text
    for st in statements:
        if st.cue is not None and st.message:
            first = st.message[0]
            if text[first.start:first.start + 1] not in OPEN and first.end <= st.cue.start:
                ends_quote = text[first.end - 1:first.end] in CLOSE or text[first.end:first.end + 1] in CLOSE
                lo = max(0, first.start - 1500)
                opened = max(text.rfind(c, lo, first.start) for c in OPEN)
                closed = max(text.rfind(c, lo, first.start) for c in CLOSE)
                if ends_quote and opened > closed:
                    end = first.end + (1 if text[first.end:first.end + 1] in CLOSE else 0)
                    message = (TextSpan(opened, end, text[opened:end]), *st.message[1:])
                    st = dataclasses.replace(st, message=message)
        out.append(st)
    return out


def narration(article: Article, statements: list[Statement]) -> list[Statement]:
    out = []
    for st in statements:
        if st.cue is None and st.message and not _speaker_in_sentence(article, st):
            quoted = any(c in article.text[m.start:m.end] for m in st.message for c in OPEN + CLOSE + '"')
            subjunctive = any(is_konjunktiv(_word(article, k), article.tokens[k].lemma, article.tokens[k].pos)
                              for m in st.message for k in overlapping(article.tokens, m.start, m.end))
            if not quoted and not subjunctive:
                continue  # the author's narration, nobody's statement
        out.append(st)
    return out


def _speaker_in_sentence(article: Article, st: Statement) -> bool:
    if st.speaker is None:
        return False
    sentence = next((s for s in article.sentences if s.start <= st.message[0].start < s.end), None)
    return sentence is not None and sentence.start <= st.speaker.start < sentence.end


def speaker_before_quote(article: Article, statements: list[Statement]) -> list[Statement]:
    out = []
    for st in statements:
        if st.cue is None and st.speaker is None and st.message and article.text[st.message[0].start] in OPEN:
            si = next((k for k, s in enumerate(article.sentences) if s.start <= st.message[0].start < s.end), 0)
            if si > 0:
                prev = article.sentences[si - 1]
                names = [m for m in article.mentions if prev.start <= m.start < prev.end and m.label == "PER"
                         and m.form is None]
                words = overlapping(article.tokens, prev.start, names[0].start) if names else range(0)
                if names and all(article.tokens[k].pos in (*DETERMINERS, "NN") for k in words):
                    m = names[0]
                    st = dataclasses.replace(st, speaker=SpeakerSpan(m.start, m.end, m.text,
                                                                     entity_overlapping(article, m.start, m.end)))
        out.append(st)
    return out


GUARDS = (false_cues, cue_phrase_speaker, outlet_speaker, dative_speaker, reportative_soll, whole_quotation,
          narration, speaker_before_quote)
