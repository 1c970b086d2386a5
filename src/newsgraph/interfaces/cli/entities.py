"""``newsgraph entities``: list corpus entities and curate them (merge, split, undo, rebuild)."""

from __future__ import annotations

import json

import click

from newsgraph.interfaces.cli.common import db_option, handle_errors, open_corpus
from newsgraph.interfaces.cli.render import plural


@click.group()
def entities() -> None:
    """Corpus entities: one key per real-world referent; merges and splits you make are kept in the store and
    survive re-analysis and rebuilds."""


@entities.command("list")
@db_option
@click.option("--label", type=click.Choice(["PER", "ORG", "LOC", "OTH"]), default=None)
@click.option("--q", default=None, help="Part of the name.")
@click.option("--limit", type=click.IntRange(1, 1000), default=30, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON lines.")
@handle_errors
def list_command(db: str | None, label: str | None, q: str | None, limit: int, as_json: bool) -> None:
    """Entities by number of articles."""
    from newsgraph.store.queries import list_entities

    with open_corpus(db, readonly=True) as corpus:
        result = list_entities(corpus, label=label, q=q, limit=limit)
    for row in result["entities"]:
        if as_json:
            click.echo(json.dumps(row, ensure_ascii=False))
        else:
            click.echo(f"{row['articles']:5}  {row['id']:40}  {row['name']}")
    click.echo(f"{plural(result['total'], 'entity', 'entities')}", err=True)


@entities.command()
@click.argument("key")
@click.argument("into")
@db_option
@handle_errors
def merge(key: str, into: str, db: str | None) -> None:
    """KEY (and whatever was joined to it) becomes INTO, now and after every re-analysis or rebuild."""
    with open_corpus(db) as corpus:
        changed = corpus.merge_entities(key, into)
    click.echo(f"merged {key} into {into}: {plural(changed, 'entity row')} changed")


@entities.command()
@click.argument("key")
@click.option("--from", "apart_from", default=None, help="Keep KEY apart from this key only [default: from all].")
@click.option("--article", "article_id", default=None, help="In this article only [default: everywhere].")
@db_option
@handle_errors
def split(key: str, apart_from: str | None, article_id: str | None, db: str | None) -> None:
    """The entities whose own key is KEY stop being joined to another (a wrong merge by surname or alias)."""
    with open_corpus(db) as corpus:
        changed = corpus.split_entity(key, apart_from=apart_from, article_id=article_id)
    click.echo(f"split {key}: {plural(changed, 'entity row')} changed")


@entities.command()
@db_option
@click.option("--undo", "undo_id", type=int, default=None, help="Forget the curated choice with this number.")
@handle_errors
def curation(db: str | None, undo_id: int | None) -> None:
    """The merges and splits made by hand, oldest first."""
    with open_corpus(db, readonly=undo_id is None) as corpus:
        if undo_id is not None:
            click.echo(f"undone #{undo_id}: {plural(corpus.undo_curation(undo_id), 'entity row')} changed")
            return
        for c in corpus.entity_curation():
            where = f" in {c.article_id}" if c.article_id else ""
            click.echo(f"#{c.id}  {c.created_at}  {c.action:5}  {c.key} → {c.target}{where}")


@entities.command()
@db_option
@handle_errors
def rebuild(db: str | None) -> None:
    """Resolve every entity of the corpus again (full pass, curation included)."""
    with open_corpus(db) as corpus:
        joined = corpus.rebuild_entities()
        total = corpus.entity_count()
    click.echo(f"{plural(joined, 'entity row')} joined to another key; {plural(total, 'corpus entity', 'corpus entities')}")
