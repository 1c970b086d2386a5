"""Tokens and sentences: spaCy's rule-based German tokenizer plus German sentence boundaries.

spaCy keeps ordinals ("5.") and abbreviations ("z. B.", "Dr.") as single tokens, so a sentence ends at a
token made only of ``.!?…``, together with any closing quotation marks or brackets after it, and always
at a paragraph break.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from newsgraph.model import Article, Sentence, Token
from newsgraph.pipeline.registry import stage
from newsgraph.settings import Settings

FINAL_PUNCT = frozenset(".!?…")
CLOSERS = frozenset("“”\"'‘’»«›‹)]")
# Opening marks: „ and » open German quotes, but « and » swap roles in Swiss/French style; „…“ is primary.
OPENERS = frozenset("„»‚›([")


@lru_cache(maxsize=1)
def _tokenizer() -> Any:
    import spacy

    return spacy.blank("de").tokenizer


# spaCy peels prefixes and suffixes off a word one at a time, re-matching the rest each time: a run of
# punctuation or emoji without spaces costs the square of its length (4,000 "!" take 2 s). No real word or URL
# is this long, so longer runs are split by LONG_RUN_TOKEN instead: letters and digits, or one symbol repeated.
LONG_WORD = 256
_WORD = re.compile(r"\S+")
LONG_RUN_TOKEN = re.compile(r"\w+|(\W)\1*")


def _spacy_tokens(text: str, offset: int) -> list[tuple[int, int, str]]:
    return [(offset + t.idx, offset + t.idx + len(t.text), t.whitespace_) for t in _tokenizer()(text)
            if not t.is_space]


def tokenize(text: str) -> list[tuple[int, int, str]]:
    """``(start, end, whitespace_after)`` for every non-space token, in time linear in the text."""
    out: list[tuple[int, int, str]] = []
    done = 0
    for word in _WORD.finditer(text):
        if word.end() - word.start() <= LONG_WORD:
            continue
        out += _spacy_tokens(text[done:word.start()], done)
        out += [(m.start(), m.end(), "") for m in LONG_RUN_TOKEN.finditer(text, word.start(), word.end())]
        done = word.end()
    out += _spacy_tokens(text[done:], done)
    return [(s, e, " " if e < len(text) and text[e].isspace() else "") for s, e, _ in out]


def _is_final(tok: str) -> bool:
    return bool(tok) and all(ch in FINAL_PUNCT for ch in tok)


# No sentence of news runs this long; an endless one (a list, a table, generated text) is cut at its last comma,
# semicolon or colon, else at the limit, so that every stage that looks at whole sentences stays linear.
MAX_SENTENCE_TOKENS = 200
SOFT_BREAKS = frozenset(",;:")


def split_sentences(text: str, tokens: list[tuple[int, int, str]]) -> list[tuple[int, int]]:
    """Sentence ``(start, end)`` offsets over the token list."""
    sentences: list[tuple[int, int]] = []
    start_idx = 0
    soft = -1  # the last comma, semicolon or colon of the current sentence
    n = len(tokens)
    i = 0
    while i < n:
        start, end, _ = tokens[i]
        tok = text[start:end]
        boundary = False
        if _is_final(tok):
            while i + 1 < n and text[tokens[i + 1][0]:tokens[i + 1][1]] in CLOSERS and \
                    tokens[i + 1][0] == tokens[i][1]:
                i += 1
            boundary = True
        elif i + 1 < n and "\n" in text[end:tokens[i + 1][0]]:
            boundary = True
        elif tok in SOFT_BREAKS:
            soft = i
        if boundary or i == n - 1:
            sentences.append((tokens[start_idx][0], tokens[i][1]))
            start_idx, soft = i + 1, -1
        elif i - start_idx + 1 >= MAX_SENTENCE_TOKENS:
            cut = soft if soft >= start_idx + MAX_SENTENCE_TOKENS // 2 else i
            sentences.append((tokens[start_idx][0], tokens[cut][1]))
            start_idx, soft = cut + 1, -1
        i += 1
    return sentences


@stage("tokens", requires=["text"], assigns=["tokens", "sentences"])
def tokens_stage(article: Article, settings: Settings) -> dict[str, Any]:
    """Split the text into tokens and sentences."""
    toks = tokenize(article.text)
    sents = split_sentences(article.text, toks)
    return {
        "tokens": [Token(s, e) for s, e, _ in toks],
        "sentences": [Sentence(s, e) for s, e in sents],
    }
