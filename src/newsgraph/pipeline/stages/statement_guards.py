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
    """A speaker made of a cue phrase's words is replaced: by its possessive ("Seiner Meinung nach" -> "Seiner",
    which coreference resolves), else by the sentence's subject before its finite verb ("Das Unternehmen hat
    eigenen Angaben zufolge …"), else by none ("Demnach …"). news-quotation-2024 marks the phrase itself as
    the speaker; a reader wants the one who speaks."""
    out = []
    toks = article.tokens
    for st in statements:
        words = _tokens(article, st.speaker)
        content = [k for k in words if toks[k].pos not in DETERMINERS or _word(article, k).lower() in CUE_PHRASE_WORDS]
        if content and all(_word(article, k).lower() in CUE_PHRASE_WORDS for k in content):
            possessive = [k for k in words if toks[k].pos == "PPOSAT"]
            if possessive:
                speaker: SpeakerSpan | None = _speaker(article, possessive[0], possessive[0])
            else:
                speaker = _subject(article, words[0])
            st = dataclasses.replace(st, speaker=speaker)
        out.append(st)
    return out


def _subject(article: Article, token: int) -> SpeakerSpan | None:
    """The noun phrase that opens the token's sentence and ends right before a finite verb, if there is one."""
    toks = article.tokens
    sentence = next(s for s in article.sentences if s.start <= toks[token].start < s.end)
    span = overlapping(toks, sentence.start, sentence.end)
    k = span.start
    while k < span.stop and toks[k].pos in (*DETERMINERS, *NOUNS):
        k += 1
    if k == span.start or k >= span.stop or toks[k].pos not in ("VVFIN", "VAFIN", "VMFIN") or \
            toks[k - 1].pos not in NOUNS or k > token:
        return None
    return _speaker(article, span.start, k - 1)


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
        if len(cue) == 1 and (article.tokens[cue[0]].lemma or "").lower() == "sollen" and st.speaker is not None \
                and _sentence_of(article, st.speaker.start) == _sentence_of(article, st.cue.start if st.cue else 0):
            st = dataclasses.replace(st, speaker=None)  # the subject of "soll" is who it is said of
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




def _sentence_of(article: Article, offset: int) -> int:
    return next((k for k, s in enumerate(article.sentences) if s.start <= offset < s.end), -1)


def _covered(statements: list[Statement], start: int, end: int) -> bool:
    return any(m.start < end and start < m.end for st in statements for m in st.message)


def existential_cue(article: Article, statements: list[Statement]) -> list[Statement]:
    """"Es gab einen Bericht …": "geben" without a particle ("gab an", "gab bekannt") is no verb of saying."""
    out = []
    for st in statements:
        cue = _tokens(article, st.cue)
        if len(cue) == 1 and (article.tokens[cue[0]].lemma or "").lower() == "geben" and not st.cue_parts and \
                not any(_has_particle(article, cue[0], p) for p in ("an", "bekannt", "zu", "wieder")):
            continue
        out.append(st)
    return out


def so_attribution(article: Article, statements: list[Statement]) -> list[Statement]:
    """"…, so Lange." at the end of a message: the cue "so" and its speaker, not the message's words."""
    out = []
    for st in statements:
        if st.message:
            last = st.message[-1]
            words = overlapping(article.tokens, last.start, last.end)
            k = len(words) - 1
            while k >= 0 and article.tokens[words[k]].pos in ("$.",):
                k -= 1
            j = k
            while j >= 0 and article.tokens[words[j]].pos in ("NE", "NN"):
                j -= 1
            if 1 <= j < k + 1 and j < k and _word(article, words[j]).lower() == "so" and \
                    _word(article, words[j - 1]) == "," and j - 1 > 0:
                so, name_first, name_last = words[j], words[j + 1], words[k]
                keep_end = article.tokens[words[j - 2]].end
                message = (*st.message[:-1], TextSpan(last.start, keep_end, article.text[last.start:keep_end]))
                st = dataclasses.replace(st, cue=token_span(article, so, so), message=message,
                                         speaker=_speaker(article, name_first, name_last))
        out.append(st)
    return out


def cue_noun_speaker(article: Article, statements: list[Statement]) -> list[Statement]:
    """"Nach Ansicht von Experten": the speaker is what follows the cue noun and its preposition."""
    out = []
    toks = article.tokens
    for st in statements:
        words = _tokens(article, st.speaker)
        if len(words) >= 3 and _word(article, words[0]).lower() in CUE_PHRASE_WORDS and \
                _word(article, words[1]).lower() in ("von", "des", "der", "nach"):
            first = words[2] if _word(article, words[1]).lower() == "von" else words[1]
            if toks[words[-1]].pos in NOUNS:
                st = dataclasses.replace(st, speaker=_speaker(article, first, words[-1]))
        out.append(st)
    return out


def contained_duplicates(article: Article, statements: list[Statement]) -> list[Statement]:
    """A statement without a cue whose message lies inside another statement's message is part of it."""
    out = []
    for i, st in enumerate(statements):
        inside = st.cue is None and st.message and any(
            j != i and other.message and all(any(o.start <= m.start and m.end <= o.end for o in other.message)
                                             for m in st.message) for j, other in enumerate(statements))
        if not inside:
            out.append(st)
    return out


LEADING_NOUNS = frozenset({"hypothese", "these", "forderung", "botschaft", "devise", "prognose", "fazit", "urteil",
                           "einschätzung", "meinung", "antwort", "vorwurf", "appell", "warnung", "bilanz"})


def colon_thesis(article: Article, statements: list[Statement]) -> list[Statement]:
    """"Seine Hypothese: Die Inflation wird sinken." A cue noun before a colon reports what follows; its
    possessive is the speaker (coreference resolves it), else there is none."""
    out = list(statements)
    toks = article.tokens
    for sent in article.sentences:
        span = overlapping(toks, sent.start, sent.end)
        if len(span) < 4:
            continue
        k = span.start
        if toks[k].pos in ("PPOSAT", "ART"):
            k += 1
        if k + 1 < span.stop and _word(article, k).lower() in LEADING_NOUNS and _word(article, k + 1) == ":" and \
                not _covered(out, toks[k + 2].start, sent.end):
            end = toks[span.stop - 1].start if toks[span.stop - 1].pos == "$." else sent.end
            start = toks[k + 2].start
            speaker = _speaker(article, span.start, span.start) if toks[span.start].pos == "PPOSAT" else None
            out.append(Statement("Reported", token_span(article, k, k), speaker,
                                 (TextSpan(start, end, article.text[start:end]),)))
    return sorted(out, key=_first)


def _first(st: Statement) -> int:
    return min((p.start for p in (st.cue, *st.message) if p is not None), default=0)


def reportative_statement(article: Article, statements: list[Statement]) -> list[Statement]:
    """"Der Konzern soll Millionen hinterzogen haben." Reportative "soll" with a perfect infinitive reports an
    unnamed source: a statement without a speaker."""
    out = list(statements)
    toks = article.tokens
    for sent in article.sentences:
        span = overlapping(toks, sent.start, sent.end)
        last = span.stop - 1 if span and toks[span.stop - 1].pos == "$." else span.stop
        if last - span.start < 4:
            continue
        infinitive = toks[last - 1]
        perfect = infinitive.pos == "VAINF" and (infinitive.lemma or "").lower() in ("haben", "sein") and \
            toks[last - 2].pos == "VVPP"
        modal = [k for k in span if toks[k].pos == "VMFIN" and (toks[k].lemma or "").lower() == "sollen"]
        previous = article.sentences[article.sentences.index(sent) - 1] if article.sentences.index(sent) else None
        after_statement = previous is not None and _covered(out, previous.start, previous.end)
        if perfect and modal and not after_statement and not _covered(out, toks[modal[0]].end, toks[last - 1].end):
            start, end = toks[modal[0] + 1].start, toks[last - 1].end
            out.append(Statement("Reported", token_span(article, modal[0], modal[0]), None,
                                 (TextSpan(start, end, article.text[start:end]),)))
    return sorted(out, key=_first)


def quoted_sentence(article: Article, statements: list[Statement]) -> list[Statement]:
    """A sentence that is one quotation („…“) and that no statement holds is a Direct statement; its speaker
    comes from ``speaker_before_quote`` or stays empty."""
    out = list(statements)
    text = article.text
    for sent in article.sentences:
        body = text[sent.start:sent.end].strip()
        if len(body) > 3 and body[0] in OPEN and body[-1] in CLOSE and not any(c in body[1:-1] for c in OPEN) \
                and not _covered(out, sent.start, sent.end):
            start = sent.start + text[sent.start:sent.end].index(body[0])
            out.append(Statement("Direct", None, None, (TextSpan(start, start + len(body), body),)))
    return sorted(out, key=_first)


ADDRESSEE_CUES = frozenset({"vorwerfen", "vorhalten", "versichern", "versprechen", "raten", "empfehlen",
                            "mitteilen", "zusagen", "drohen", "danken", "widersprechen"})


def dative_addressee(article: Article, statements: list[Statement]) -> list[Statement]:
    """"Friedrich Merz warf der Koalition vor, …": after a cue that takes one, the noun phrase right after the
    verb is the addressee."""
    out = []
    toks = article.tokens
    for st in statements:
        cue = _tokens(article, st.cue)
        parts = "".join(_word(article, k) for p in st.cue_parts for k in _tokens(article, p))
        lemma = (toks[cue[0]].lemma or "").lower() if cue else ""
        if st.addressee is None and cue and (lemma in ADDRESSEE_CUES or parts + lemma in ADDRESSEE_CUES):
            k = cue[-1] + 1
            if k < len(toks) and toks[k].pos == "ART" and _word(article, k).lower() in ("dem", "der", "den"):
                j = k + 1
                while j < len(toks) and toks[j].pos in ("ADJA", "NN", "NE"):
                    j += 1
                if j > k + 1 and toks[j - 1].pos in NOUNS and (st.speaker is None or st.speaker.end <= toks[k].start
                                                                or st.speaker.start >= toks[j - 1].end):
                    span = token_span(article, k, j - 1)
                    st = dataclasses.replace(st, addressee=span)
        out.append(st)
    return out


GUARDS = (false_cues, existential_cue, cue_noun_speaker, cue_phrase_speaker, outlet_speaker, dative_speaker,
          reportative_soll, so_attribution, whole_quotation, narration, contained_duplicates, colon_thesis,
          reportative_statement, quoted_sentence, speaker_before_quote, dative_addressee)
