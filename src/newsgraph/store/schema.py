"""Schema migrations, applied in order and recorded in ``schema_migrations``."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

from newsgraph.errors import StoreVersionError

# Layer tables share one shape: (article_id, idx, data JSON) plus generated columns for what is queried.
_LAYER_COLUMNS = {
    "sentences": "",
    "tokens": "",
    "mentions": """,
        label TEXT GENERATED ALWAYS AS (json_extract(data, '$.label')) VIRTUAL,
        entity INTEGER GENERATED ALWAYS AS (json_extract(data, '$.entity')) VIRTUAL,
        text TEXT GENERATED ALWAYS AS (json_extract(data, '$.text')) VIRTUAL""",
    "entities": """,
        name TEXT GENERATED ALWAYS AS (json_extract(data, '$.name')) VIRTUAL,
        label TEXT GENERATED ALWAYS AS (json_extract(data, '$.label')) VIRTUAL""",
    "statements": """,
        kind TEXT GENERATED ALWAYS AS (json_extract(data, '$.kind')) VIRTUAL,
        speaker_entity INTEGER GENERATED ALWAYS AS (json_extract(data, '$.speaker.entity')) VIRTUAL""",
    "events": """,
        code TEXT GENERATED ALWAYS AS (json_extract(data, '$.code')) VIRTUAL""",
    "times": """,
        value TEXT GENERATED ALWAYS AS (json_extract(data, '$.value')) VIRTUAL""",
}


def _layer_tables() -> str:
    parts = []
    for name, extra in _LAYER_COLUMNS.items():
        parts.append(f"""
    CREATE TABLE {name} (
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        idx INTEGER NOT NULL,
        data TEXT NOT NULL{extra},
        PRIMARY KEY (article_id, idx)
    ) WITHOUT ROWID;""")
    return "\n".join(parts)


MIGRATIONS: list[tuple[str, str]] = [
    ("articles, layers, failures and full-text search", f"""
    CREATE TABLE articles (
        id TEXT PRIMARY KEY,
        title TEXT,
        url TEXT,
        published TEXT,
        source TEXT,
        language TEXT,
        text TEXT NOT NULL,
        meta TEXT NOT NULL DEFAULT '{{}}',
        added_at TEXT NOT NULL
    );
    CREATE INDEX articles_published ON articles(published);
    CREATE INDEX articles_source ON articles(source);
    {_layer_tables()}
    CREATE INDEX mentions_label ON mentions(label);
    CREATE INDEX entities_name ON entities(name);
    CREATE INDEX statements_kind ON statements(kind);
    CREATE TABLE failures (
        id INTEGER PRIMARY KEY,
        input TEXT NOT NULL,
        code TEXT NOT NULL,
        reason TEXT NOT NULL,
        hint TEXT NOT NULL,
        stage TEXT NOT NULL,
        recorded_at TEXT NOT NULL
    );
    CREATE VIRTUAL TABLE articles_fts USING fts5(
        title, text, content='articles', content_rowid='rowid', tokenize='unicode61'
    );
    CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN
        INSERT INTO articles_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text);
    END;
    CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.rowid, old.title, old.text);
    END;
    CREATE TRIGGER articles_au AFTER UPDATE ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.rowid, old.title, old.text);
        INSERT INTO articles_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text);
    END;
    """),
]

MIGRATIONS.append(("corpus-level entity keys and statement speakers", """
    ALTER TABLE entities ADD COLUMN key TEXT GENERATED ALWAYS AS (json_extract(data, '$.id')) VIRTUAL;
    CREATE INDEX entities_key ON entities(key);
    CREATE INDEX mentions_entity ON mentions(article_id, entity);
    CREATE INDEX statements_speaker ON statements(article_id, speaker_entity);
"""))

# A person's surname (the last part of "PER:wladimir-putin"), indexed, so that corpus-level merging finds the
# full name of a surname-only mention by equality instead of a LIKE '%-putin' scan of every entity row.
MIGRATIONS.append(("indexed person surnames", """
    ALTER TABLE entities ADD COLUMN surname TEXT GENERATED ALWAYS AS (
        CASE WHEN key LIKE 'PER:%-%' THEN replace(key, rtrim(key, replace(key, '-', '')), '') END) VIRTUAL;
    CREATE INDEX entities_surname ON entities(surname);
"""))

# The days a time expression names (TimeExpression.interval()), written with each row, so that articles can be
# found by the dates they talk about: "mentioned_from"/"mentioned_to" overlap [first_day, last_day].
MIGRATIONS.append(("days that time expressions name", """
    ALTER TABLE times ADD COLUMN first_day TEXT;
    ALTER TABLE times ADD COLUMN last_day TEXT;
    CREATE INDEX times_days ON times(first_day, last_day);
"""))

# Events as PLOVER records: type, and the actors' entities and countries, queried by /api/events and the dyad
# page. (The first schema's "code" column stays; it is always null.)
MIGRATIONS.append(("event types, actors and dates", """
    ALTER TABLE events ADD COLUMN type TEXT GENERATED ALWAYS AS (json_extract(data, '$.type')) VIRTUAL;
    ALTER TABLE events ADD COLUMN source_entity INTEGER GENERATED ALWAYS AS (json_extract(data, '$.source.entity'))
        VIRTUAL;
    ALTER TABLE events ADD COLUMN target_entity INTEGER GENERATED ALWAYS AS (json_extract(data, '$.target.entity'))
        VIRTUAL;
    ALTER TABLE events ADD COLUMN source_country TEXT GENERATED ALWAYS AS (json_extract(data, '$.source.country'))
        VIRTUAL;
    ALTER TABLE events ADD COLUMN target_country TEXT GENERATED ALWAYS AS (json_extract(data, '$.target.country'))
        VIRTUAL;
    CREATE INDEX events_type ON events(type);
"""))

# One row per (input, code): re-ingesting the same bad input counts it again instead of adding a row.
MIGRATIONS.append(("failures counted once per input and code", """
    ALTER TABLE failures ADD COLUMN count INTEGER NOT NULL DEFAULT 1;
    ALTER TABLE failures ADD COLUMN last_seen TEXT;
    UPDATE failures SET last_seen = recorded_at;
    UPDATE failures SET
        count = (SELECT COUNT(*) FROM failures f WHERE f.input = failures.input AND f.code = failures.code),
        last_seen = (SELECT MAX(recorded_at) FROM failures f WHERE f.input = failures.input AND f.code = failures.code)
        WHERE id IN (SELECT MIN(id) FROM failures GROUP BY input, code);
    DELETE FROM failures WHERE id NOT IN (SELECT MIN(id) FROM failures GROUP BY input, code);
    CREATE UNIQUE INDEX failures_input_code ON failures(input, code);
"""))

# Copies and rewrites (store/copies.py): paragraph MinHash signatures, their LSH band keys (the index that
# makes a lookup touch only candidates), and the shared passages found, one row per direction.
MIGRATIONS.append(("paragraph signatures and shared passages", """
    CREATE TABLE paragraphs (
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        idx INTEGER NOT NULL, start INTEGER NOT NULL, end INTEGER NOT NULL, signature BLOB NOT NULL,
        PRIMARY KEY (article_id, idx)
    ) WITHOUT ROWID;
    CREATE TABLE paragraph_bands (
        band_key INTEGER NOT NULL,
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        paragraph INTEGER NOT NULL
    );
    CREATE INDEX paragraph_bands_key ON paragraph_bands(band_key);
    CREATE TABLE copies (
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        start INTEGER NOT NULL, end INTEGER NOT NULL,
        other_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        other_start INTEGER NOT NULL, other_end INTEGER NOT NULL, similarity REAL NOT NULL,
        PRIMARY KEY (article_id, start, other_id, other_start)
    ) WITHOUT ROWID;
"""))

# Corpus-level entities (store/entities.py): the key each row's analysis gave it, the names and aliases looked
# up to merge across articles, and the curated merges and splits that every later resolution obeys.
MIGRATIONS.append(("local entity keys, entity names and curation", """
    ALTER TABLE entities ADD COLUMN local_key TEXT;
    UPDATE entities SET local_key = key;
    CREATE INDEX entities_local_key ON entities(local_key);
    CREATE TABLE entity_names (
        name TEXT NOT NULL, label TEXT NOT NULL, local_key TEXT NOT NULL,
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        PRIMARY KEY (name, label, local_key, article_id)
    ) WITHOUT ROWID;
    CREATE TABLE entity_curation (
        id INTEGER PRIMARY KEY,
        action TEXT NOT NULL CHECK (action IN ('merge', 'split')),
        key TEXT NOT NULL, target TEXT NOT NULL, article_id TEXT,
        created_at TEXT NOT NULL
    );
    CREATE INDEX entity_curation_key ON entity_curation(key);
"""))

# Stories, version chains and keywords (store/stories.py).
MIGRATIONS.append(("stories, version chains and term statistics", """
    CREATE TABLE corpus_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE stories (
        id INTEGER PRIMARY KEY,
        first_published TEXT, last_published TEXT,
        size INTEGER NOT NULL, centroid BLOB NOT NULL,
        entities TEXT NOT NULL, terms TEXT NOT NULL
    );
    CREATE INDEX stories_dates ON stories(last_published, first_published);
    CREATE TABLE story_articles (
        article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
        story_id INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
        similarity REAL NOT NULL, vector BLOB NOT NULL
    );
    CREATE INDEX story_articles_story ON story_articles(story_id);
    CREATE TABLE article_versions (
        article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
        chain_id TEXT NOT NULL
    );
    CREATE INDEX article_versions_chain ON article_versions(chain_id);
    CREATE TABLE term_df (term TEXT PRIMARY KEY, df INTEGER NOT NULL) WITHOUT ROWID;
    CREATE TABLE article_terms (
        article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
        terms TEXT NOT NULL
    );
"""))

# Who wrote an article, where it was published and when it last changed: authors as rows of their own (indexed,
# for the author filter and facet), the host and the modified date as columns.
MIGRATIONS.append(("authors, host and modified date", """
    ALTER TABLE articles ADD COLUMN modified TEXT;
    ALTER TABLE articles ADD COLUMN host TEXT;
    CREATE INDEX articles_host ON articles(host);
    CREATE TABLE article_authors (
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        name TEXT NOT NULL,
        PRIMARY KEY (article_id, position)
    ) WITHOUT ROWID;
    CREATE INDEX article_authors_name ON article_authors(name);
"""))

LAYER_TABLES = tuple(_LAYER_COLUMNS)


def current_version(conn: sqlite3.Connection) -> int:
    conn.execute("""CREATE TABLE IF NOT EXISTS schema_migrations (
        version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)""")
    row = conn.execute("SELECT MAX(version) FROM schema_migrations").fetchone()
    return int(row[0] or 0)


def migrate(conn: sqlite3.Connection) -> int:
    """Apply pending migrations, each in its own transaction; return the schema version."""
    version = current_version(conn)
    if version > len(MIGRATIONS):
        raise StoreVersionError(f"database schema version {version} is newer than this newsgraph "
                                f"({len(MIGRATIONS)})")
    for number, (name, sql) in enumerate(MIGRATIONS[version:], start=version + 1):
        with conn:
            conn.executescript("BEGIN;" + sql + ";")  # executescript commits; BEGIN keeps it atomic
            conn.execute("INSERT INTO schema_migrations(version, name, applied_at) VALUES (?, ?, ?)",
                         (number, name, datetime.now(UTC).isoformat(timespec="seconds")))
    return len(MIGRATIONS)
