"""Token features for the statements tagger: words, STTS tags, Konjunktiv, quotation state and cue lexicon.

The same function serves training (``training/statements.py``) and the ``statements`` stage, so the
model always sees the features it was trained on.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from functools import cache

from newsgraph.model import Article, Mention, Statement, TextSpan, Token
from newsgraph.pipeline.resources import word_list

OPEN_QUOTES = frozenset("„»“\"‚")
CLOSE_QUOTES = frozenset("“«”\"‘")
KONJUNKTIV_FORMS = frozenset({
    "sei", "seist", "seien", "seiet", "habe", "hätte", "hätten", "hättest", "werde", "würde", "würden",
    "könne", "könnte", "könnten", "müsse", "müsste", "müssten", "solle", "sollte", "sollten", "wolle",
    "wollte", "dürfe", "dürfte", "dürften", "möge", "möchte", "möchten", "wäre", "wären", "gebe", "gäbe",
    "gäben", "komme", "käme", "kämen", "liege", "läge", "stehe", "stünde", "gehe", "ginge", "wisse", "wüsste",
})


def is_konjunktiv(word: str, lemma: str | None, pos: str | None) -> bool:
    """Finite verb in Konjunktiv I or II, read from its form: "sei", "hätten", or 3rd person "-e" forms
    ("gebe" beside infinitive "geben") where the indicative would end in "-t"."""
    lower = word.lower()
    if lower in KONJUNKTIV_FORMS:
        return True
    if not pos or not pos.endswith("FIN") or not lemma:
        return False
    lem = lemma.lower()
    return lower.endswith("e") and lem.endswith("en") and lower == lem[:-1] and lower not in {"habe", "werde"}


def quote_states(article: Article) -> list[int]:
    """Per token: 1 inside a quotation („…“, »…«, "…"), else 0. Straight quotes toggle."""
    states = []
    inside = False
    for t in article.tokens:
        ch = article.text[t.start:t.end]
        if ch in ("„", "»") or (ch == '"' and not inside):
            states.append(1)
            inside = True
            continue
        if ch in ("“", "«", "”") or (ch == '"' and inside):
            states.append(1)
            inside = False
            continue
        states.append(int(inside))
    return states


def sentence_ids(article: Article) -> list[int]:
    out = []
    si = 0
    sents = article.sentences
    for t in article.tokens:
        while si + 1 < len(sents) and t.start >= sents[si + 1].start:
            si += 1
        out.append(si)
    return out


def mention_labels(article: Article) -> list[str]:
    """Per token: the entity label of the mention covering it ("PER", "ORG", …, "PER-pronoun") or "-"."""
    out = ["-"] * len(article.tokens)
    starts = {t.start: i for i, t in enumerate(article.tokens)}
    for m in article.mentions:
        i = starts.get(m.start)
        while i is not None and i < len(article.tokens) and article.tokens[i].start < m.end:
            out[i] = m.label + (f"-{m.form}" if m.form in ("pronoun", "nominal") else "")
            i += 1
    return out


@cache
def speech_cues() -> frozenset[str]:
    return frozenset(word_list("de", "speech_cues.txt"))


def _token_features(article: Article, tok: Token, quoted: int, konj_in_sentence: bool) -> dict[str, float | str]:
    word = article.text[tok.start:tok.end]
    cues = speech_cues()
    lemma = tok.lemma or word
    return {
        "w": word.lower(), "suf3": word[-3:].lower(), "pos": tok.pos or "-", "lemma": lemma.lower(),
        "cap": float(word[:1].isupper()), "cue_lex": float(lemma in cues or lemma.lower() in cues),
        "konj": float(is_konjunktiv(word, tok.lemma, tok.pos)), "quoted": float(quoted),
        "konj_sent": float(konj_in_sentence), "punct": word if not word.isalnum() else "-",
    }


def article_features(article: Article) -> list[list[dict[str, float | str]]]:
    """Per sentence, per token feature dicts with a ±2 window."""
    quoted = quote_states(article)
    ents = mention_labels(article)
    sids = sentence_ids(article)
    by_sentence: dict[int, list[int]] = {}
    for i, s in enumerate(sids):
        by_sentence.setdefault(s, []).append(i)
    out: list[list[dict[str, float | str]]] = []
    prev: dict[str, float] = {"konj": 0.0, "cue": 0.0, "quote": 0.0}
    for s in sorted(by_sentence):
        idx = by_sentence[s]
        toks = [article.tokens[i] for i in idx]
        konj = any(is_konjunktiv(article.text[t.start:t.end], t.lemma, t.pos) for t in toks)
        base = [_token_features(article, t, quoted[i], konj) for t, i in zip(toks, idx, strict=True)]
        for f, i in zip(base, idx, strict=True):
            f["ent"] = ents[i]
        words = [str(f["w"]) for f in base]
        konj_at = [j for j, f in enumerate(base) if f["konj"]]
        quote_open_at = [j for j, w in enumerate(words) if w in ("„", "»", '"')]
        particles = [(j, w) for j, (w, f) in enumerate(zip(words, base, strict=True)) if f["pos"] == "PTKVZ"]
        sent_ctx = {"sent_cue": float(any(f["cue_lex"] for f in base)), "sent_quote": float(any(quoted[i] for i in idx)),
                    "prev_konj": prev["konj"], "prev_cue": prev["cue"], "prev_quote": prev["quote"]}
        feats = []
        for j, f in enumerate(base):
            full: dict[str, float | str] = dict(f)
            full.update(sent_ctx)
            full["first"] = float(j == 0)
            full["last"] = float(j == len(base) - 1)
            full["rel_pos"] = str(min(4, 5 * j // max(len(base), 1)))
            full["dass_after"] = float(any(w in ("dass", "ob") for w in words[j + 1:j + 5]))
            full["colon_after"] = float(":" in words[j + 1:j + 4])
            full["colon_before"] = float(":" in words[max(0, j - 3):j])
            full["comma_after"] = float("," in words[j + 1:j + 2])
            full["konj_after"] = float(bool(konj_at) and konj_at[-1] > j)
            full["quote_after"] = float(bool(quote_open_at) and quote_open_at[-1] > j)
            if str(f["pos"]).startswith("VV"):
                sep = next((w + str(f["lemma"]) for k, w in particles if k > j), None)
                full["sep_cue_lex"] = float(sep is not None and sep in speech_cues())
                if sep is not None:
                    full["sep"] = sep
                near = {str(base[k]["ent"]) for k in range(max(0, j - 5), min(len(base), j + 6))}
                full["actor_near"] = float(any(e.startswith(("PER", "ORG")) for e in near))
            if j + 1 < len(base):
                full["lemma_next"] = f"{f['lemma']}|{base[j + 1]['lemma']}"
            full["posbi"] = f"{base[j - 1]['pos'] if j else 'BOS'}_{f['pos']}"
            for off in (-3, -2, -1, 1, 2, 3):
                if 0 <= j + off < len(base):
                    other = base[j + off]
                    keys = ("w", "pos", "cue_lex", "quoted", "punct", "lemma", "ent") if abs(off) < 3 else ("pos", "ent")
                    for key in keys:
                        full[f"{off}:{key}"] = other[key]
            feats.append(full)
        out.append(feats)
        prev = {"konj": float(konj), "cue": sent_ctx["sent_cue"], "quote": sent_ctx["sent_quote"]}
    return out


def crf_items(feats: list[dict[str, float | str]]) -> list[dict[str, float]]:
    """crfsuite wants {name: value}; strings become one-hot names."""
    items = []
    for f in feats:
        item: dict[str, float] = {}
        for k, v in f.items():
            if isinstance(v, str):
                item[f"{k}={v}"] = 1.0
            elif v:
                item[k] = float(v)
        items.append(item)
    return items


# Features of one token, kept when it is seen from a cue (the role tagger's window is three sentences wide).
ROLE_KEYS = ("w", "pos", "lemma", "ent", "quoted", "konj", "punct", "cue_lex", "cap", "first", "last", "suf3",
             "-1:w", "1:w", "-1:pos", "1:pos", "-1:ent", "1:ent", "posbi", "-2:pos", "2:pos")
QUOTE_MARKS = frozenset("„»“«\"")


def _distance_bucket(d: int) -> str:
    a = abs(d)
    bucket = ("0" if a == 0 else "1" if a == 1 else "2" if a == 2 else "3-4" if a <= 4 else "5-8" if a <= 8
              else "9-16" if a <= 16 else "17+")
    return ("-" if d < 0 else "+") + bucket


# How far from its cue a role is looked for, in tokens: the three sentences of a cue's window hold about 90 tokens
# in news; on one endless "sentence" with a cue every few tokens the unbounded window made the stage quadratic.
MAX_ROLE_REACH = 150


def cue_window(sentence_of: list[int], cue: set[int]) -> list[int]:
    """Token indices a cue's roles are looked for in: its sentence, the one before and the one after
    (``sentence_of`` never decreases, so two binary searches find them), at most MAX_ROLE_REACH tokens from
    the cue on either side."""
    first, last = min(cue), max(cue)
    cs = sentence_of[first]
    return list(range(max(bisect_left(sentence_of, cs - 1), first - MAX_ROLE_REACH),
                      min(bisect_right(sentence_of, cs + 1), last + MAX_ROLE_REACH + 1)))


def cue_role_items(article: Article, flat: list[dict[str, float | str]], sentence_of: list[int], cue: set[int],
                   other_cues: set[int]) -> tuple[list[int], list[dict[str, float]]]:
    """The role tagger's input for one cue: each window token's features plus where it stands from the cue
    (before / inside / after, distance, sentence offset, punctuation in between) and the cue's lemma."""
    idx = cue_window(sentence_of, cue)
    first, last = min(cue), max(cue)
    cue_lemma = str(flat[first].get("lemma", "")).lower()
    cs = sentence_of[first]
    # running counts of the marks over the window, so "is there a comma between token i and the cue" is O(1)
    # (scanning the stretch for every token cost the square of the window on a very long sentence)
    lo = idx[0] if idx else 0
    counts: dict[str, list[int]] = {name: [0] for name in ("colon", "comma", "period", "quote")}
    for g in flat[lo:(idx[-1] + 1) if idx else 0]:
        w = str(g["w"])
        for name, hit in (("colon", w == ":"), ("comma", w == ","), ("period", w == "."),
                          ("quote", w in QUOTE_MARKS)):
            counts[name].append(counts[name][-1] + hit)

    def marks_between(a: int, b: int) -> set[str]:
        """Marks among tokens a .. b-1 (window indices)."""
        if b <= a:
            return set()
        return {name for name, c in counts.items() if c[b - lo] - c[a - lo] > 0}

    items = []
    for i in idx:
        f = flat[i]
        item: dict[str, float] = {}
        for key in ROLE_KEYS:
            v = f.get(key)
            if isinstance(v, str):
                item[f"{key}={v}"] = 1.0
            elif v:
                item[key] = float(v)
        rel = "cue" if i in cue else "before" if i < first else "after"
        d = 0 if rel == "cue" else (i - first if i < first else i - last)
        so = sentence_of[i] - cs
        pos, ent = f.get("pos"), f.get("ent")
        for name in (f"rel={rel}", f"dist={_distance_bucket(d)}", f"sent={so}", f"rel_pos={rel}|{pos}",
                     f"rel_ent={rel}|{ent}", f"rel_sent={rel}|{so}", f"cue={cue_lemma}|{rel}",
                     f"cue={cue_lemma}|{rel}|{pos}"):
            item[name] = 1.0
        if i in other_cues:
            item["other_cue"] = 1.0
        marks = marks_between(i + 1, first) if i < first else marks_between(last + 1, i)
        for name in ("colon", "comma", "period"):
            if name in marks:
                item[f"{name}_between|{rel}"] = 1.0
        if "quote" in marks:
            item[f"quote_between|{rel}"] = 1.0
        items.append(item)
    return idx, items


def _start(t: Token) -> int:
    return t.start


def _end(t: Token) -> int:
    return t.end


def overlapping(tokens: tuple[Token, ...], start: int, end: int) -> range:
    """Indices of the (sorted, disjoint) tokens that overlap ``[start, end)``."""
    return range(bisect_right(tokens, start, key=_end), bisect_left(tokens, end, key=_start))


def token_span(article: Article, first: int, last: int) -> TextSpan:
    """The text from token ``first`` to token ``last`` (inclusive)."""
    start, end = article.tokens[first].start, article.tokens[last].end
    return TextSpan(start, end, article.text[start:end])


# Longest mention looked back for when finding the mentions that overlap a span (no name runs this long); with
# it a look-up is a binary search plus a few mentions, not a scan of every mention for every statement.
MAX_MENTION_CHARS = 300


def _mention_start(m: Mention) -> int:
    return m.start


def mentions_overlapping(article: Article, start: int, end: int) -> range:
    """Indices of the mentions (in text order) that may overlap ``[start, end)``: those starting before ``end``
    and at most MAX_MENTION_CHARS before ``start``."""
    return range(bisect_left(article.mentions, start - MAX_MENTION_CHARS, key=_mention_start),
                 bisect_left(article.mentions, end, key=_mention_start))


def entity_overlapping(article: Article, start: int, end: int) -> int | None:
    """The entity of the mention that overlaps ``[start, end)`` most (the first such, on a tie)."""
    best, best_overlap = None, 0
    for k in mentions_overlapping(article, start, end):
        m = article.mentions[k]
        overlap = min(m.end, end) - max(m.start, start)
        if m.entity is not None and overlap > best_overlap:
            best, best_overlap = m.entity, overlap
    return best


def tokens_in(article: Article, spans: list[tuple[int, int]]) -> list[Token]:
    """The tokens overlapping any of the character spans, found by offset."""
    out = []
    n = len(article.tokens)
    for b, e in spans:
        i = max(0, bisect_right(article.tokens, b, key=_start) - 1)
        while i < n and article.tokens[i].start < e:
            if article.tokens[i].end > b:
                out.append(article.tokens[i])
            i += 1
    return out


MEDIA = ("Speech", "SW", "Writing", "ST")  # news-quotation-2024's media; rarer ones (TW, Thought) are not predicted
WRITING_WORDS = frozenset({"zeitung", "bericht", "brief", "schreiben", "mitteilung", "pressemitteilung", "erklärung",
                           "website", "internetseite", "twitter", "blog", "studie", "papier", "dokument", "magazin",
                           "agentur", "nachrichtenagentur", "schriftlich", "onlineausgabe", "urteil", "beschluss"})


def medium_features(article: Article, kind: str, cue: list[tuple[int, int]], speaker: tuple[int, int] | None,
                    message: list[tuple[int, int]]) -> dict[str, float]:
    """Evidence for how a statement was made (spoken, written, either, or thought): the cue's lemmas, the
    speaker's words and entity type, the kind, and writing words in the sentence around it."""
    item: dict[str, float] = {f"kind={kind}": 1.0, "bias": 1.0}
    for t in tokens_in(article, cue):
        item[f"cue={(t.lemma or article.text[t.start:t.end]).lower()}"] = 1.0
    if speaker is None:
        item["no_speaker"] = 1.0
    else:
        for t in tokens_in(article, [speaker]):
            item[f"spk={(t.lemma or article.text[t.start:t.end]).lower()}"] = 1.0
        for m in article.mentions:
            if m.start < speaker[1] and m.end > speaker[0]:
                item[f"spk_ent={m.label}-{m.form or 'name'}"] = 1.0
    spans = cue + ([speaker] if speaker else []) + message
    if spans:
        lo, hi = min(b for b, _ in spans), max(e for _, e in spans)
        sentence_words = {(t.lemma or "").lower() for t in tokens_in(article, [(max(0, lo - 200), hi)])}
        for word in sorted(sentence_words & WRITING_WORDS):  # sorted: the same feature order in every run
            item[f"near={word}"] = 1.0
    first = article.text[message[0][0]:message[0][0] + 1] if message else ""
    item[f"msg_starts_quote={first in OPEN_QUOTES}"] = 1.0
    return item


def sentence_groups(article: Article) -> dict[int, list[int]]:
    """Sentence index -> its token indices, in order."""
    groups: dict[int, list[int]] = {}
    for i, s in enumerate(sentence_ids(article)):
        groups.setdefault(s, []).append(i)
    return groups


def sentence_items(article: Article, groups: dict[int, list[int]], claimed: set[int],
                   cue_sentences: set[int]) -> list[dict[str, float]]:
    """Per sentence, evidence that it is a cue-less statement: Konjunktiv, "soll", how many sentences ago the
    last cue was, how much of it cue statements already claim, quotation marks, its finite verbs."""
    items = []
    last_cue = -99
    cues = speech_cues()
    actors = sorted(m.start for m in article.mentions if m.label in ("PER", "ORG"))
    for s in sorted(groups):
        toks = [article.tokens[i] for i in groups[s]]
        words = [article.text[t.start:t.end] for t in toks]
        konj = sum(is_konjunktiv(w, t.lemma, t.pos) for w, t in zip(words, toks, strict=True))
        share = sum(i in claimed for i in groups[s]) / len(toks)
        item = {"bias": 1.0, f"konj={min(konj, 2)}": 1.0, f"len={min(len(toks) // 10, 4)}": 1.0,
                f"claimed={'none' if share == 0 else 'some' if share < 0.5 else 'most'}": 1.0,
                f"since_cue={min(s - last_cue, 4)}": 1.0, f"first_pos={toks[0].pos}": 1.0,
                f"first={words[0].lower() if len(words[0]) < 4 else toks[0].pos}": 1.0}
        if s in cue_sentences:
            item["cue_here"] = 1.0
            last_cue = s
        if any(w.lower() in ("soll", "sollen", "solle", "sollten") for w in words):
            item["soll"] = 1.0
        if any(w in OPEN_QUOTES for w in words):
            item["quote"] = 1.0
        if words[0] in OPEN_QUOTES:
            item["starts_quote"] = 1.0
        if any((t.pos or "").startswith("VV") and t.lemma in cues for t in toks):
            item["cue_verb"] = 1.0
        k = bisect_left(actors, toks[0].start)
        if k < len(actors) and actors[k] < toks[-1].end:
            item["actor"] = 1.0
        if "\n" in article.text[max(0, toks[0].start - 2):toks[0].start]:
            item["paragraph_start"] = 1.0
        for w, t in zip(words, toks, strict=True):
            if (t.pos or "").endswith("FIN"):
                item[f"fin={(t.lemma or w).lower()}"] = 1.0
                if is_konjunktiv(w, t.lemma, t.pos):
                    item[f"konj_verb={w.lower()}"] = 1.0
        items.append(item)
    return items


KINDS = ("Direct", "Indirect", "FreeIndirect", "IndirectFreeIndirect", "Reported")
CharSpan = tuple[int, int]
Roles = tuple[list[CharSpan], CharSpan | None, list[CharSpan]]  # cue parts, speaker, message parts
CONTINUATION_GAP = 200  # characters: a statement starting this close after the last message continues it


def statement_roles(st: Statement) -> Roles:
    """A statement's cue, speaker and message as character spans, the shape the kind and medium features take."""
    return ([(p.start, p.end) for p in (st.cue, *st.cue_parts) if p],
            (st.speaker.start, st.speaker.end) if st.speaker else None, [(m.start, m.end) for m in st.message])


def continuations(roles: list[Roles]) -> list[bool]:
    """Per statement in text order (each with a message): does it start within CONTINUATION_GAP characters
    of the end of the message before it?"""
    out = []
    previous_end: int | None = None
    for cue, _speaker, message in roles:
        start = min(b for b, _ in message + cue)
        out.append(previous_end is not None and start - previous_end < CONTINUATION_GAP)
        previous_end = max(e for _, e in message)
    return out


def kind_features(article: Article, cue: list[tuple[int, int]], speaker: tuple[int, int] | None,
                  message: list[tuple[int, int]], continues: bool) -> dict[str, float]:
    """Evidence for a statement's kind: quotation marks, Konjunktiv, "dass"/"ob", a zu-infinitive, the cue's
    lemma and tag, whether the speaker sits inside the message, and whether it continues a statement."""
    item: dict[str, float] = {"bias": 1.0, f"has_cue={bool(cue)}": 1.0, f"continues={continues}": 1.0}
    for t in tokens_in(article, cue):
        item[f"cue={(t.lemma or article.text[t.start:t.end]).lower()}"] = 1.0
        item[f"cue_pos={t.pos}"] = 1.0
    words = tokens_in(article, message)
    texts = [article.text[t.start:t.end] for t in words]
    if texts:
        item[f"first={texts[0].lower() if not texts[0][:1].isupper() else 'Cap'}"] = 1.0
        item["starts_quote"] = float(texts[0] in OPEN_QUOTES)
        item["ends_quote"] = float(texts[-1] in CLOSE_QUOTES or (len(texts) > 1 and texts[-2] in CLOSE_QUOTES))
        item[f"len={min(len(texts) // 8, 4)}"] = 1.0
    item["quote_inside"] = float(any(w in OPEN_QUOTES for w in texts[1:]))
    konj = sum(is_konjunktiv(w, t.lemma, t.pos) for w, t in zip(texts, words, strict=True))
    item[f"konj={min(konj, 2)}"] = 1.0
    item["zu_inf"] = float(any(t.pos in ("PTKZU", "VVIZU") for t in words))
    item["soll"] = float(any(w.lower() in ("soll", "sollen", "solle") for w in texts))
    if speaker is None:
        item["no_speaker"] = 1.0
    elif any(b <= speaker[0] < e for b, e in message):
        item["speaker_in_message"] = 1.0
    return item
