"""Corpus-level entities: one key per real-world referent across articles, with curation that sticks.

Each stored entity row keeps the key its article's analysis gave it (``local_key``, "PER:putin") and the corpus
key it resolves to (``data.id``, "PER:wladimir-putin"). Resolution, in order:

1. a curated merge of the local key (``newsgraph entities merge A B``) decides;
2. a person named by surname alone joins the one full-named person with that surname: the only one in the
   corpus, else the only one mentioned within ``WINDOW_DAYS`` of the article, else the only one sharing a role
   ("Präsident Trump" joins the US-Präsident); two full names never merge, whatever their surname;
3. a one-word name that is an alias, or the initials, of exactly one other entity of its type joins it ("EU"
   in one article, "Europäische Union" in another);
4. the same name under another type in at least twice as many articles is that entity (the tagger's label
   flipped: "ORG:berlin" joins "LOC:berlin");
5. otherwise the local key stands. A curated split (``newsgraph entities split``) rules out 2 to 4 for that
   key, everywhere or in one article.

Adding an article resolves its entities against what is stored (incremental); ``rebuild`` resets every row to
its local key and resolves all of them again against the whole corpus, curation included.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from newsgraph.errors import BadQuery, NotFound
from newsgraph.model import Article, Entity, _record_from_dict, day_window, entity_key

# A corpus entity's display name: that of a row analysed under the key itself ("Wladimir Putin", not a "Putin"
# joined to it), else any of its names.
CANONICAL_NAME = "COALESCE(MAX(CASE WHEN local_key = key THEN name END), MAX(name))"
WINDOW_DAYS = 30
MAX_ROLE_ROWS = 50  # rows read per candidate to compare roles
ANY = "*"  # a split kept apart from every other key
LABELS = ("PER", "ORG", "LOC", "OTH")
LABEL_MAJORITY = 2


@dataclass(frozen=True)
class Curation:
    id: int
    action: str  # merge | split
    key: str
    target: str
    article_id: str | None
    created_at: str


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _is_surname_only(local_key: str) -> bool:
    label, slug = local_key.split(":", 1)
    return label == "PER" and "-" not in slug


def _merges(conn: sqlite3.Connection) -> dict[str, str]:
    return {k: t for k, t in conn.execute("SELECT key, target FROM entity_curation WHERE action = 'merge'"
                                          " ORDER BY id")}


def _follow(merges: dict[str, str], key: str) -> str:
    seen = {key}
    while key in merges and merges[key] not in seen:  # a cycle of merges stops where it closes
        key = merges[key]
        seen.add(key)
    return key


def _kept_apart(conn: sqlite3.Connection, local_key: str, article_id: str) -> set[str]:
    return {t for (t,) in conn.execute(
        "SELECT target FROM entity_curation WHERE action = 'split' AND key = ?"
        " AND (article_id IS NULL OR article_id = ?)", (local_key, article_id))}


def _in_window(conn: sqlite3.Connection, keys: list[str], published: str | None) -> list[str]:
    window = day_window(published, WINDOW_DAYS)
    if window is None:
        return []
    lo, hi = window
    return [k for k in keys if conn.execute(
        "SELECT 1 FROM entities e JOIN articles a ON a.id = e.article_id"
        " WHERE e.local_key = ? AND a.published BETWEEN ? AND ? LIMIT 1", (k, lo, hi)).fetchone()]


def _sharing_role(conn: sqlite3.Connection, keys: list[str], roles: tuple[str, ...]) -> list[str]:
    wanted = {r.lower() for r in roles}
    if not wanted:
        return []
    out = []
    for k in keys:
        for (data,) in conn.execute("SELECT data FROM entities WHERE local_key = ? LIMIT ?", (k, MAX_ROLE_ROWS)):
            if wanted & {r.lower() for r in json.loads(data).get("roles", ())}:
                out.append(k)
                break
    return out


def _candidates(conn: sqlite3.Connection, entity: Entity, local_key: str) -> list[str]:
    label, slug = local_key.split(":", 1)
    found: set[str] = set()
    if _is_surname_only(local_key):
        # "Woods" may have lost its -s to genitive folding ("wood"), "Putins" may keep one: try both.
        for surname in {slug, slug + "s", slug[:-1] if slug.endswith("s") else slug}:
            found |= {k for (k,) in conn.execute(
                "SELECT DISTINCT local_key FROM entities WHERE surname = ?", (surname,))}
    if " " not in entity.name.strip():
        found |= {k for (k,) in conn.execute(
            "SELECT DISTINCT local_key FROM entity_names WHERE name = ? AND label = ?",
            (entity.name.strip().lower(), label))}
    found.discard(local_key)
    # A candidate must be a full name of its own: for persons, one with a first name.
    return sorted(k for k in found if not _is_surname_only(k))


def resolve(conn: sqlite3.Connection, entity: Entity, local_key: str, article_id: str,
            published: str | None, merges: dict[str, str] | None = None) -> str:
    """The corpus key of one entity of an article (see the module's docstring for the rules)."""
    merges = _merges(conn) if merges is None else merges
    if local_key in merges:
        return _follow(merges, local_key)
    apart = _kept_apart(conn, local_key, article_id)
    if ANY in apart:
        return local_key
    candidates = [k for k in _candidates(conn, entity, local_key) if k not in apart]
    for narrow in (lambda ks: ks, lambda ks: _in_window(conn, ks, published),
                   lambda ks: _sharing_role(conn, ks, entity.roles)):
        targets = {_follow(merges, k) for k in (narrow(candidates) if candidates else [])} - apart
        if len(targets) == 1:  # several local keys may already be one corpus entity
            return targets.pop()
    majority = _majority_label(conn, local_key)
    if majority is not None and _follow(merges, majority) not in apart:
        return _follow(merges, majority)
    return local_key


def _other_labels(local_key: str) -> list[str]:
    label, slug = local_key.split(":", 1)
    return [f"{other}:{slug}" for other in LABELS if other != label] if slug else []


def _majority_label(conn: sqlite3.Connection, local_key: str) -> str | None:
    """The same name under another type in at least ``LABEL_MAJORITY`` times as many articles (and two or
    more): the tagger's label flipped ("ORG:berlin" beside "LOC:berlin"), the referent is the same."""
    others = _other_labels(local_key)
    if not others:
        return None
    counts = dict(conn.execute(
        "SELECT local_key, COUNT(DISTINCT article_id) FROM entities WHERE local_key IN (?, ?, ?, ?)"
        " GROUP BY local_key", (local_key, *others)).fetchall())
    own = counts.pop(local_key, 0)
    ranked = sorted(counts.items(), key=lambda kv: -kv[1])
    if ranked and ranked[0][1] >= max(2, LABEL_MAJORITY * max(own, 1)) and (
            len(ranked) == 1 or ranked[0][1] > ranked[1][1]):
        return str(ranked[0][0])
    return None


def resolve_article(conn: sqlite3.Connection, article: Article) -> Article:
    """The article with each entity's id set to its corpus key (the local keys are kept by the store)."""
    merges = _merges(conn)
    return article.with_layers(entities=[
        replace(e, id=resolve(conn, e, e.id, article.id, article.published, merges)) for e in article.entities])


def _initials(name: str) -> str | None:
    """ "Europäische Union" -> "eu", "Alternative für Deutschland" -> "afd": what an abbreviation would be."""
    words = name.split()
    return "".join(w[0] for w in words).lower() if len(words) > 1 and all(w[0].isalpha() for w in words) else None


def _lookup_names(entity: Entity) -> set[str]:
    names = {a.strip().lower() for a in (entity.name, *entity.aliases) if a.strip()}
    if entity.label != "PER":
        names |= {i for i in map(_initials, (entity.name, *entity.aliases)) if i}
    return names


def index_names(conn: sqlite3.Connection, article_id: str, entities: Sequence[Entity]) -> None:
    """Record the names, aliases and (for non-persons) initials of an article's entities under their local keys
    (lookup rule 3)."""
    conn.executemany("INSERT OR IGNORE INTO entity_names(name, label, local_key, article_id) VALUES (?, ?, ?, ?)",
                     [(name, e.label, e.id, article_id) for e in entities for name in _lookup_names(e)])


def backfill(conn: sqlite3.Connection, article_id: str, entities: Sequence[Entity]) -> int:
    """A newly stored full name may be what earlier one-word names were waiting for ("Putin" stored before
    "Wladimir Putin"): resolve those rows again, so that adding in any order ends where ``rebuild`` would."""
    keys: set[str] = set()
    for e in entities:
        keys |= set(_other_labels(e.id))
        if " " not in e.name.strip():
            continue
        if e.label == "PER":
            surname = e.id.rsplit("-", 1)[-1]
            keys |= {"PER:" + surname, "PER:" + surname + "s", "PER:" + surname.removesuffix("s")}
        keys |= {entity_key(e.label, n) for n in _lookup_names(e) if " " not in n}
    keys -= {e.id for e in entities}
    if not keys:
        return 0
    marks = ", ".join("?" * len(keys))
    return _reresolve(conn, f"e.local_key IN ({marks}) AND e.article_id != ?", (*sorted(keys), article_id))


def _reresolve(conn: sqlite3.Connection, where: str, params: tuple[object, ...]) -> int:
    """Resolve the matching rows again and write the keys that change; return how many changed."""
    merges = _merges(conn)
    changed = 0
    rows = conn.execute("SELECT e.article_id, e.idx, e.data, e.local_key, e.key, a.published FROM entities e"
                        f" JOIN articles a ON a.id = e.article_id WHERE {where}", params).fetchall()
    for article_id, idx, data, local_key, key, published in rows:
        new = resolve(conn, _record_from_dict(Entity, json.loads(data)), local_key, article_id, published, merges)
        if new != key:
            conn.execute("UPDATE entities SET data = json_set(data, '$.id', ?) WHERE article_id = ? AND idx = ?",
                         (new, article_id, idx))
            changed += 1
    return changed


def _known(conn: sqlite3.Connection, key: str) -> None:
    if not conn.execute("SELECT 1 FROM entities WHERE key = ? OR local_key = ? LIMIT 1", (key, key)).fetchone():
        raise NotFound(f"no entity {key!r} in this corpus",
                       hint="entity keys look like PER:wladimir-putin; list them with newsgraph entities list")


def merge(conn: sqlite3.Connection, key: str, into: str) -> int:
    """Curate: ``key`` and everything resolved to it become ``into``. Returns the rows changed."""
    if key == into:
        raise BadQuery(f"cannot merge {key!r} into itself", hint="name two different entity keys")
    _known(conn, key)
    _known(conn, into)
    if key.split(":", 1)[0] != into.split(":", 1)[0]:
        raise BadQuery(f"{key!r} and {into!r} have different types",
                       hint="merge entities of one type (PER, ORG, LOC, OTH)")
    if _follow({**_merges(conn), key: into}, into) == key:
        raise BadQuery(f"merging {key!r} into {into!r} would close a cycle", hint=f"split {into!r} first")
    with conn:
        conn.execute("DELETE FROM entity_curation WHERE action = 'split' AND key = ? AND target IN (?, ?)",
                     (key, into, ANY))
        conn.execute("INSERT INTO entity_curation(action, key, target, article_id, created_at)"
                     " VALUES ('merge', ?, ?, NULL, ?)", (key, into, _now()))
        return _reresolve(conn, "e.key = ? OR e.local_key = ?", (key, key))


def split(conn: sqlite3.Connection, key: str, *, apart_from: str | None = None, article_id: str | None = None) -> int:
    """Curate: the rows whose own (local) key is ``key`` stop joining ``apart_from`` (by default: any other
    entity), in every article or in ``article_id`` alone. Returns the rows changed."""
    _known(conn, key)
    if article_id is not None and not conn.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,)).fetchone():
        raise NotFound(f"no article with id {article_id!r}", hint="article ids are listed by newsgraph search")
    target = apart_from or ANY
    with conn:
        conn.execute("DELETE FROM entity_curation WHERE action = 'merge' AND key = ?"
                     + ("" if target == ANY else " AND target = ?"), (key,) if target == ANY else (key, target))
        conn.execute("INSERT INTO entity_curation(action, key, target, article_id, created_at)"
                     " VALUES ('split', ?, ?, ?, ?)", (key, target, article_id, _now()))
        if article_id is None:
            return _reresolve(conn, "e.local_key = ?", (key,))
        return _reresolve(conn, "e.local_key = ? AND e.article_id = ?", (key, article_id))


def curation(conn: sqlite3.Connection) -> list[Curation]:
    return [Curation(*r) for r in conn.execute(
        "SELECT id, action, key, target, article_id, created_at FROM entity_curation ORDER BY id")]


def undo(conn: sqlite3.Connection, curation_id: int) -> int:
    """Forget one curated choice and resolve its rows again."""
    row = conn.execute("SELECT key FROM entity_curation WHERE id = ?", (curation_id,)).fetchone()
    if row is None:
        raise NotFound(f"no curation #{curation_id}", hint="list them with newsgraph entities curation")
    with conn:
        conn.execute("DELETE FROM entity_curation WHERE id = ?", (curation_id,))
        return _reresolve(conn, "e.key = ? OR e.local_key = ?", (row[0], row[0]))


def rebuild(conn: sqlite3.Connection) -> int:
    """Full pass: every row back to its local key, then resolved against the whole corpus and the curation.
    Returns how many rows end on a key other than their local one."""
    with conn:
        conn.execute("UPDATE entities SET data = json_set(data, '$.id', local_key) WHERE key IS NOT local_key")
        conn.execute("DELETE FROM entity_names")
        for article_id, data in conn.execute("SELECT article_id, data FROM entities").fetchall():
            index_names(conn, article_id, [_record_from_dict(Entity, json.loads(data))])
        _reresolve(conn, "1", ())
    return int(conn.execute("SELECT COUNT(*) FROM entities WHERE key IS NOT local_key").fetchone()[0])


def mention_keys(conn: sqlite3.Connection, article_ids: Sequence[str], *,
                 column: str = "key") -> dict[str, list[tuple[int, int, str]]]:
    """(start, end, entity key) of every stored mention of the articles: ``key`` (corpus) or ``local_key``."""
    if column not in ("key", "local_key"):
        raise ValueError(f"column must be key or local_key, not {column!r}")
    out: dict[str, list[tuple[int, int, str]]] = {a: [] for a in article_ids}
    for article_id in article_ids:
        out[article_id] = [(s, e, k) for s, e, k in conn.execute(
            f"SELECT json_extract(m.data, '$.start'), json_extract(m.data, '$.end'), en.{column} FROM mentions m"
            " JOIN entities en ON en.article_id = m.article_id AND en.idx = m.entity WHERE m.article_id = ?",
            (article_id,))]
    return out
