"""Copies and rewrites: passages that an article shares with articles stored before it (agency copy reused
across outlets, versions of one story), found with MinHash LSH over word shingles (datasketch).

A passage is a window of ``WINDOW`` consecutive sentences (every start, so a deleted or inserted sentence
changes only the windows around it). Each gets a MinHash signature of its word 5-grams; the signature's
``BANDS`` bands (``ROWS`` values each) are stored as keys in ``paragraph_bands``, indexed, so an article looks
up only the passages that share a band with its own: the index lives in the store, and a lookup does not grow
with the corpus beyond the candidates it returns. A candidate pair whose estimated Jaccard similarity reaches
``THRESHOLD`` is a shared passage, kept in ``copies`` with both spans.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
from collections.abc import Iterator
from typing import Any

import numpy as np

from newsgraph.model import Article

NUM_PERM = 64
BANDS, ROWS = 16, 4  # 16 bands of 4: pairs above about 0.5 Jaccard share a band with high probability
THRESHOLD = 0.5  # estimated Jaccard of the two passages' shingle sets
# A passage this close to one already indexed is linked to it but not indexed itself: the index keeps one
# representative per group of near-identical passages, so agency copy printed a hundred times does not make
# every later lookup return a hundred candidates.
REPRESENTED = 0.9
MAX_CANDIDATES = 50
SHINGLE = 5  # words per shingle
MIN_WORDS = 12  # shorter passages (datelines, captions) are not compared
WINDOW = 3  # sentences per passage
MAX_PASSAGES = 400  # a longer article is sampled at an even stride: store time per article stays bounded
_WORD = re.compile(r"\w+", re.UNICODE)
_SENTENCE_END = re.compile(r"(?<=[.!?“\"])\s+(?=[A-ZÄÖÜ„\"])|\n+")
# Agency credits: "(dpa)", "(AFP/Reuters)", "dpa/AFP", "© epd", at the start or end of the text
AGENCIES = ("dpa", "AFP", "Reuters", "AP", "epd", "KNA", "APA", "SDA", "dts", "Xinhua", "ANSA", "EFE")
_CREDIT = re.compile(r"(?<![\w-])(" + "|".join(AGENCIES) + r")(?![\w-])")


def _sentence_spans(article: Article) -> list[tuple[int, int]]:
    """The article's sentences (the pipeline's, or split at sentence ends and line breaks if it has none)."""
    if article.sentences:
        return [(s.start, s.end) for s in article.sentences]
    spans, start = [], 0
    for m in _SENTENCE_END.finditer(article.text):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(article.text)))
    return [(a, b) for a, b in spans if article.text[a:b].strip()]


def passages(article: Article) -> Iterator[tuple[int, int]]:
    """Spans of ``WINDOW`` consecutive sentences, starting at every sentence (at most MAX_PASSAGES, evenly
    spread), with at least MIN_WORDS words (an article shorter than a window is one passage)."""
    sents = _sentence_spans(article)
    starts = max(len(sents) - WINDOW + 1, 1)
    for i in range(0, starts, -(-starts // MAX_PASSAGES)):
        window = sents[i:i + WINDOW]
        if window:
            start, end = window[0][0], window[-1][1]
            if len(_WORD.findall(article.text[start:end])) >= MIN_WORDS:
                yield start, end


def signature(text: str) -> np.ndarray:
    from datasketch import MinHash

    words = [w.lower() for w in _WORD.findall(text)]
    shingles = {" ".join(words[i:i + SHINGLE]).encode("utf-8") for i in range(max(len(words) - SHINGLE + 1, 1))}
    minhash = MinHash(num_perm=NUM_PERM, seed=1)
    minhash.update_batch(list(shingles))
    return np.asarray(minhash.hashvalues, dtype=np.uint64)


def band_keys(sig: np.ndarray) -> list[int]:
    """One 63-bit key per band: the band's number and values, hashed."""
    keys = []
    for b in range(BANDS):
        digest = hashlib.blake2b(bytes([b]) + sig[b * ROWS:(b + 1) * ROWS].tobytes(), digest_size=8).digest()
        keys.append(int.from_bytes(digest, "big") >> 1)
    return keys


def credits(text: str) -> list[str]:
    """Agency credits in the first or last 200 characters ("(dpa)", "AFP/Reuters"), in order, once each."""
    found = [m.group(1) for part in (text[:200], text[-200:]) for m in _CREDIT.finditer(part)]
    return list(dict.fromkeys(found))


def index_article(conn: sqlite3.Connection, article: Article) -> int:
    """Store the article's passage signatures and band keys, and link the passages it shares with stored
    articles (``copies``, both directions); returns the number of shared passages found."""
    found = 0
    for idx, (start, end) in enumerate(passages(article)):
        sig = signature(article.text[start:end])
        keys = band_keys(sig)
        marks = ",".join("?" * len(keys))
        candidates = conn.execute(
            "SELECT p.article_id, p.start, p.end, p.signature FROM (SELECT DISTINCT b.article_id, b.paragraph"
            f" FROM paragraph_bands b WHERE b.band_key IN ({marks}) AND b.article_id != ? LIMIT ?) c"
            " JOIN paragraphs p ON p.article_id = c.article_id AND p.idx = c.paragraph",
            (*keys, article.id, MAX_CANDIDATES)).fetchall()
        represented = False
        for other_id, other_start, other_end, blob in candidates:
            similarity = float(np.mean(np.frombuffer(blob, dtype=np.uint64) == sig))
            if similarity >= THRESHOLD:
                conn.executemany(
                    "INSERT OR IGNORE INTO copies(article_id, start, end, other_id, other_start, other_end, similarity)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [(article.id, start, end, other_id, other_start, other_end, similarity),
                     (other_id, other_start, other_end, article.id, start, end, similarity)])
                found += 1
                represented = represented or similarity >= REPRESENTED
        if represented:
            continue
        conn.execute("INSERT INTO paragraphs(article_id, idx, start, end, signature) VALUES (?, ?, ?, ?, ?)",
                     (article.id, idx, start, end, sig.tobytes()))
        conn.executemany("INSERT INTO paragraph_bands(band_key, article_id, paragraph) VALUES (?, ?, ?)",
                         [(k, article.id, idx) for k in keys])
    return found


def reuse(conn: sqlite3.Connection, article_id: str, text_length: int) -> list[dict[str, Any]]:
    """The articles this one shares passages with: spans on both sides, and the share of this article's text
    that they cover."""
    rows = conn.execute(
        "SELECT c.other_id, c.start, c.end, c.other_start, c.other_end, c.similarity, a.title, a.source,"
        " a.published FROM copies c JOIN articles a ON a.id = c.other_id WHERE c.article_id = ?"
        " ORDER BY c.other_id, c.start", (article_id,)).fetchall()
    out: dict[str, dict[str, Any]] = {}
    for other, start, end, o_start, o_end, sim, title, source, published in rows:
        entry = out.setdefault(other, {"id": other, "title": title, "source": source, "published": published,
                                       "passages": []})
        entry["passages"].append({"start": start, "end": end, "other_start": o_start, "other_end": o_end,
                                  "similarity": round(sim, 3)})
    for entry in out.values():
        entry["passages"] = _merged(entry["passages"])
        entry["share"] = round(sum(p["end"] - p["start"] for p in entry["passages"]) / max(text_length, 1), 3)
    return sorted(out.values(), key=lambda e: -e["share"])


def _merged(passages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Overlapping matched windows as one passage on each side, with the best similarity among them."""
    out: list[dict[str, Any]] = []
    for p in sorted(passages, key=lambda p: (p["start"], p["end"])):
        if out and p["start"] <= out[-1]["end"]:
            last = out[-1]
            last["end"] = max(last["end"], p["end"])
            last["other_start"] = min(last["other_start"], p["other_start"])
            last["other_end"] = max(last["other_end"], p["other_end"])
            last["similarity"] = max(last["similarity"], p["similarity"])
        else:
            out.append(dict(p))
    return out


def pairs(conn: sqlite3.Connection, *, min_share: float, limit: int) -> list[dict[str, Any]]:
    """Article pairs with shared passages (each pair once): the share of the first article's text they cover."""
    rows = conn.execute(
        "SELECT c.article_id, c.other_id, c.start, c.end, length(a.text), a.title, o.title FROM copies c"
        " JOIN articles a ON a.id = c.article_id JOIN articles o ON o.id = c.other_id"
        " WHERE c.article_id < c.other_id ORDER BY c.article_id, c.other_id, c.start").fetchall()
    spans: dict[tuple[str, str], list[tuple[int, int]]] = {}
    info: dict[tuple[str, str], tuple[int, str | None, str | None]] = {}
    for a, o, start, end, length, title, other_title in rows:
        spans.setdefault((a, o), []).append((start, end))
        info[(a, o)] = (length, title, other_title)
    out: list[dict[str, Any]] = []
    for key, found in spans.items():
        covered, reach = 0, -1
        for start, end in found:  # sorted by start: count each character once
            covered += max(0, end - max(start, reach))
            reach = max(reach, end)
        length, title, other_title = info[key]
        out.append({"id": key[0], "other_id": key[1], "title": title, "other_title": other_title,
                    "share": round(covered / max(length, 1), 3)})
    return sorted((p for p in out if float(p["share"]) >= min_share), key=lambda p: -float(p["share"]))[:limit]
