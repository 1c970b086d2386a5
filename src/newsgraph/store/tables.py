"""Every layer of the corpus as a flat table, for pandas, R, DuckDB and spreadsheets.

One schema per table (column name and type), shared by the CSV and the Parquet export; docs/tables.md
describes the columns. Rows carry the article id and the item's index in its article, so tables join on
``(article_id, <layer index>)`` and back to the article text through the character offsets.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

from newsgraph.model import Article
from newsgraph.store.corpus import Corpus

Row = dict[str, Any]
Progress = Callable[[int], None]
# (column, type); types are "string", "int64" and "double", the Parquet types they are written as
Schema = tuple[tuple[str, str], ...]


def _schema(names: str, ints: str = "", doubles: str = "") -> Schema:
    """Columns in the order of ``names`` (space-separated); those also in ``ints`` are integers, those in
    ``doubles`` floating point."""
    int_names, double_names = set(ints.split()), set(doubles.split())
    return tuple((name, "int64" if name in int_names else "double" if name in double_names else "string")
                 for name in names.split())


TABLES: dict[str, Schema] = {
    "articles": _schema("id title url published source language modified authors host sentences tokens mentions "
                        "entities statements events times time_values text",
                        "sentences tokens mentions entities statements events times"),
    "mentions": _schema("article_id mention start end text label form entity entity_id",
                        "mention start end entity"),
    "entities": _schema("article_id entity entity_id name label aliases roles mentions", "entity mentions"),
    "statements": _schema("article_id statement published kind medium cue cue_start cue_end speaker speaker_start "
                          "speaker_end speaker_entity_id speaker_name addressee message message_start message_end "
                          "confidence",
                          "statement cue_start cue_end speaker_start speaker_end message_start message_end",
                          "confidence"),
    "events": _schema("article_id event published event_type mode context trigger trigger_start trigger_end "
                      "source source_entity_id source_name source_country source_sector target target_entity_id "
                      "target_name target_country target_sector date date_from location modality statement "
                      "confidence sentence_text",
                      "event trigger_start trigger_end statement", "confidence"),
    "times": _schema("article_id time start end text kind value anchor first_day last_day", "time start end"),
    "failures": _schema("input code reason hint stage recorded_at count last_seen", "count"),
    # the whole Article JSON (every layer, tokens and sentences too), for a lossless reload: newsgraph load
    "documents": _schema("id order json", "order"),
}
LAYERS = tuple(TABLES)
LIST_SEPARATOR = " | "  # aliases and roles: one string cell, so CSV and Parquet have the same schema


def _entity_id(article: Article, index: int | None) -> str | None:
    return article.entities[index].id if index is not None else None


def _entity_name(article: Article, index: int | None) -> str | None:
    return article.entities[index].name if index is not None else None


def _article_rows(article: Article) -> Iterator[Row]:
    yield {"id": article.id, "title": article.title, "url": article.url, "published": article.published,
           "source": article.source, "language": article.language, "modified": article.modified,
           "authors": LIST_SEPARATOR.join(article.authors), "host": article.host, "sentences": len(article.sentences),
           "tokens": len(article.tokens), "mentions": len(article.mentions), "entities": len(article.entities),
           "statements": len(article.statements), "events": len(article.events), "times": len(article.times),
           # "Mittwoch=2025-02-12 | bald=FUTURE_REF": every time expression with its value, in text order
           "time_values": LIST_SEPARATOR.join(f"{t.text}={t.value or '?'}" for t in article.times),
           "text": article.text}


def _mention_rows(article: Article) -> Iterator[Row]:
    for i, m in enumerate(article.mentions):
        yield {"article_id": article.id, "mention": i, "start": m.start, "end": m.end, "text": m.text,
               "label": m.label, "form": m.form, "entity": m.entity, "entity_id": _entity_id(article, m.entity)}


def _entity_rows(article: Article) -> Iterator[Row]:
    counts = [0] * len(article.entities)
    for m in article.mentions:
        if m.entity is not None:
            counts[m.entity] += 1
    for i, e in enumerate(article.entities):
        yield {"article_id": article.id, "entity": i, "entity_id": e.id, "name": e.name, "label": e.label,
               "aliases": LIST_SEPARATOR.join(e.aliases), "roles": LIST_SEPARATOR.join(e.roles),
               "mentions": counts[i]}


def _statement_rows(article: Article) -> Iterator[Row]:
    for i, s in enumerate(article.statements):
        speaker, cue, message = s.speaker, s.cue, s.message
        yield {"article_id": article.id, "statement": i, "published": article.published, "kind": s.kind,
               "medium": s.medium, "cue": cue.text if cue else None, "cue_start": cue.start if cue else None,
               "cue_end": cue.end if cue else None, "speaker": speaker.text if speaker else None,
               "speaker_start": speaker.start if speaker else None, "speaker_end": speaker.end if speaker else None,
               "speaker_entity_id": _entity_id(article, speaker.entity) if speaker else None,
               "speaker_name": _entity_name(article, speaker.entity) if speaker else None,
               "addressee": s.addressee.text if s.addressee else None,
               "message": " … ".join(part.text for part in message),
               "message_start": message[0].start if message else None,
               "message_end": message[-1].end if message else None, "confidence": s.confidence}


def _event_rows(article: Article) -> Iterator[Row]:
    for i, ev in enumerate(article.events):
        sentence = article.sentences[ev.sentence] if ev.sentence is not None else None
        row: Row = {"article_id": article.id, "event": i, "published": article.published, "event_type": ev.type,
                    "mode": ev.mode, "context": ev.context, "trigger": ev.trigger.text,
                    "trigger_start": ev.trigger.start, "trigger_end": ev.trigger.end, "date": ev.date,
                    "date_from": ev.date_from, "location": _entity_name(article, ev.place),
                    "modality": ev.modality, "statement": ev.statement, "confidence": ev.confidence,
                    "sentence_text": article.text[sentence.start:sentence.end] if sentence else None}
        for role, actor in (("source", ev.source), ("target", ev.target)):
            entity = actor.entity if actor else None
            row.update({role: actor.text if actor else None, f"{role}_entity_id": _entity_id(article, entity),
                        f"{role}_name": _entity_name(article, entity) or (actor.text if actor else None),
                        f"{role}_country": actor.country if actor else None,
                        f"{role}_sector": actor.sector if actor else None})
        yield row


def _time_rows(article: Article) -> Iterator[Row]:
    for i, t in enumerate(article.times):
        first, last = t.interval() or (None, None)
        yield {"article_id": article.id, "time": i, "start": t.start, "end": t.end, "text": t.text, "kind": t.kind,
               "value": t.value, "anchor": t.anchor, "first_day": first, "last_day": last}


def _document_rows(article: Article) -> Iterator[Row]:
    yield {"id": article.id, "order": None, "json": json.dumps(article.to_dict(), ensure_ascii=False)}


ROWS = {"documents": _document_rows, "articles": _article_rows, "mentions": _mention_rows, "entities": _entity_rows,
        "statements": _statement_rows, "events": _event_rows, "times": _time_rows}


def articles_with_progress(corpus: Corpus, progress: Progress | None) -> Iterator[Article]:
    for article in corpus.iter_articles():
        yield article
        if progress is not None:
            progress(1)


def table_rows(corpus: Corpus, table: str, progress: Progress | None = None) -> Iterator[Row]:
    """The rows of one table (one of LAYERS), in article order; ``progress(1)`` after each article."""
    if table == "failures":
        yield from corpus.failures(limit=corpus.failure_count() or 1)
        return
    rows, names = ROWS[table], [name for name, _ in TABLES[table]]
    for order, article in enumerate(articles_with_progress(corpus, progress)):
        for row in rows(article):
            if table == "documents":
                row["order"] = order  # the order to add them in again (newsgraph load)
            yield {name: row[name] for name in names}  # schema order, and a KeyError if a column were missing
