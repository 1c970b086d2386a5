"""Commands over the whole corpus: export, network, Datasette metadata, Spark runs and loading their tables."""

from __future__ import annotations

import contextlib
import json
import os
import sys
from pathlib import Path
from typing import Any

import click

from newsgraph.errors import UsageError
from newsgraph.interfaces.cli.common import db_option, handle_errors, open_corpus
from newsgraph.interfaces.cli.progress import progress
from newsgraph.interfaces.cli.render import plural
from newsgraph.settings import load_settings
from newsgraph.store.export import EXPORT_FORMATS
from newsgraph.store.manifest import atomic_file
from newsgraph.store.tables import LAYERS


@click.command()
@db_option
@click.option("--format", "fmt", type=click.Choice(list(EXPORT_FORMATS)), default="jsonl", show_default=True,
              help="jsonl: articles (the Article JSON contract); csv: one layer's table; events-jsonl / events-csv: "
                   "PLOVER-style event records; parquet: one file per table in the --out folder.")
@click.option("--layer", type=click.Choice(list(LAYERS)), default=None,
              help="The table to write with --format csv [default: articles] or parquet [default: all]; columns "
                   "in docs/tables.md.")
@click.option("--out", type=click.Path(path_type=Path), default=None,
              help="Output file [default: stdout]; a folder for --format parquet.")
@handle_errors
def export(db: str | None, fmt: str, layer: str | None, out: Path | None) -> None:
    """Export the corpus as JSONL, CSV (any layer), PLOVER-style events, or Parquet tables for pandas, R and
    DuckDB. Progress goes to stderr."""
    from newsgraph.store.export import export as run_export
    from newsgraph.store.export import export_parquet, export_table_csv

    if out is not None and str(out) == "-":  # standard output, as everywhere
        out = None
    if layer is not None and fmt not in ("csv", "parquet"):
        raise UsageError(f"--layer applies to --format csv or parquet, not {fmt}",
                         hint="drop --layer, or use --format csv --layer " + layer)
    if fmt == "parquet" and out is None:
        raise UsageError("--format parquet writes one file per table and needs a folder",
                         hint="add --out DIR, e.g. --out tables/")
    with open_corpus(db, readonly=True) as corpus:
        layers = [layer] if layer else list(LAYERS)
        per_pass = corpus.count()
        if fmt == "parquet":
            assert out is not None
            total = per_pass * sum(name not in ("failures",) for name in layers)
            with progress("export", total, unit="articles") as advance:
                counts = export_parquet(corpus, out, layers, advance)
            for name, n in counts.items():
                click.echo(f"{out / (name + '.parquet')}: {plural(n, 'row')}", err=True)
            return
        with progress("export", per_pass, unit="articles") as advance, \
                (atomic_file(out) if out else _stdout()) as fh:
            if fmt == "csv":
                n = export_table_csv(corpus, layer or "articles", fh, advance)
            else:
                n = run_export(corpus, fmt, fh, advance)
    noun = "event" if fmt.startswith("events") else "row" if fmt == "csv" else "article"
    click.echo(f"exported {plural(n, noun)}", err=True)


def _stdout() -> Any:
    """stdout as a context manager that is not closed at the end."""
    return contextlib.nullcontext(sys.stdout)


@click.command()
@db_option
@click.option("--kind", type=click.Choice(["quotes", "events"]), default="quotes", show_default=True,
              help="quotes: who talks about whom (speaker -> entity named in the message); events: who acts on whom.")
@click.option("--entity", default=None, help="Keep the edges that touch this entity: id or part of a name.")
@click.option("--from", "date_from", default=None, help="Earliest publication date (YYYY, YYYY-MM or YYYY-MM-DD).")
@click.option("--to", "date_to", default=None, help="Latest publication date.")
@click.option("--top", type=click.IntRange(2, 100000), default=40, show_default=True,
              help="Keep the heaviest entities and the edges among them.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "graphml", "gexf"]), default="table",
              show_default=True, help="GraphML and GEXF open in Gephi.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Output file [default: stdout].")
@handle_errors
def network(db: str | None, kind: str, entity: str | None, date_from: str | None, date_to: str | None, top: int,
            fmt: str, out: Path | None) -> None:
    """The network of entities: who talks about whom, or who acts on whom, as a table, JSON, GraphML or GEXF."""
    from newsgraph.store.network import graph_bytes
    from newsgraph.store.network import network as network_query

    with open_corpus(db, readonly=True) as corpus:
        graph = network_query(corpus, kind=kind, entity=entity, date_from=date_from, date_to=date_to, top=top)
    if fmt in ("graphml", "gexf"):
        data = graph_bytes(graph, fmt)
    elif fmt == "json":
        data = (json.dumps(graph, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    else:
        verb = "talks about" if kind == "quotes" else "acts on"
        data = "".join(f"{e['weight']:>5}  {e['source_name']} {verb} {e['target_name']}"
                       f"{' (' + ', '.join(e['types']) + ')' if e.get('types') else ''}\n"
                       for e in graph["edges"]).encode("utf-8")
    if out is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        with atomic_file(out, "wb") as fh:
            fh.write(data)
    click.echo(f"{plural(len(graph['nodes']), 'entity', 'entities')} of {graph['total_nodes']}, "
               f"{plural(len(graph['edges']), 'edge')}", err=True)


@click.command("datasette-metadata")
@db_option
@handle_errors
def datasette_metadata_command(db: str | None) -> None:
    """Print a Datasette metadata.json for the store (table and column descriptions, facets). Use it with:
    datasette newsgraph.db --metadata metadata.json"""
    from newsgraph.store.datasette import datasette_metadata

    click.echo(json.dumps(datasette_metadata(db or load_settings()["db"]), ensure_ascii=False, indent=2))


@click.group()
def spark() -> None:
    """Run the pipeline on Apache Spark (needs pip install 'newsgraph[spark]' and Java)."""


@spark.command("run")
@click.option("--input", "inputs", multiple=True, required=True,
              help="JSONL(.gz) or WARC(.gz) file, a folder of them, or a Hadoop URI (s3a://, hdfs://, file://); "
                   "repeat for more.")
@click.option("--output", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Folder for the Parquet tables (replaced): one folder per table, partitioned by month.")
@click.option("--tier", type=click.Choice(["deep", "lite"]), default=None,
              help="Reader the executors' pipeline is built with [default: the tier setting, deep].")
@click.option("--partitions", type=click.IntRange(1, 100000), default=None,
              help="Analysis tasks [default: Spark's default parallelism].")
@click.option("--master", default=None,
              help="Spark master, e.g. local[2] [default: spark-submit's under spark-submit, else local[*]].")
@handle_errors
def spark_run(inputs: tuple[str, ...], output: Path, tier: str | None, partitions: int | None,
              master: str | None) -> None:
    """Analyse JSONL and WARC inputs on Spark and write the tables of export --format parquet under --output
    (plus documents, for newsgraph load, and failures)."""
    from newsgraph.scale.spark import run, spark_session

    # under spark-submit (which hands the driver its JVM through PYSPARK_GATEWAY_PORT) the master is its own
    submitted = "PYSPARK_GATEWAY_PORT" in os.environ
    session = spark_session(master or (None if submitted else "local[*]"))
    try:
        summary = run(session, list(inputs), output, partitions=partitions, settings=load_settings({"tier": tier}))
    finally:
        session.stop()
    for table, n in summary.rows.items():
        click.echo(f"{output / table}: {plural(n, 'row')}", err=True)
    click.echo(f"{plural(summary.articles, 'article')} from {plural(summary.inputs, 'input')}, duplicates skipped "
               f"{summary.duplicates}, failures {summary.failures} ({summary.seconds:.1f}s)")


@click.command()
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@db_option
@handle_errors
def load(folder: Path, db: str | None) -> None:
    """Merge Parquet tables (newsgraph spark run --output, or export --format parquet --out) into the store.
    Articles already stored are skipped, so loading twice changes nothing."""
    from newsgraph.scale.load import count_documents
    from newsgraph.scale.load import load as run_load

    with open_corpus(db) as corpus, progress("load", count_documents(folder), unit="articles") as advance:
        summary = run_load(folder, corpus, advance)
        total = corpus.count()
    click.echo(f"added {summary.added}, duplicates skipped {summary.duplicates}, failures recorded "
               f"{summary.failures}; corpus now has {plural(total, 'article')}")


@click.command()
@click.argument("article_id", required=False)
@db_option
@click.option("--min-share", type=click.FloatRange(0, 1), default=0.2, show_default=True,
              help="Without ARTICLE_ID: list pairs whose shared passages cover at least this share of a text.")
@click.option("--limit", type=click.IntRange(1, 10000), default=50, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@handle_errors
def duplicates(article_id: str | None, db: str | None, min_share: float, limit: int, as_json: bool) -> None:
    """Copies and rewrites: with ARTICLE_ID, its agency credits and the stored articles it shares passages with
    (both spans); without, the pairs of articles that share the most text."""
    with open_corpus(db, readonly=True) as corpus:
        result: Any = corpus.copies(article_id) if article_id else corpus.copy_pairs(min_share=min_share, limit=limit)
        text = corpus.get(article_id).text if article_id else ""
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
    elif article_id:
        if result["credits"]:
            click.echo(f"agency credit: {', '.join(result['credits'])}")
        for v in result["versions"]:
            mark = "this version" if v["id"] == article_id else v["id"]
            click.echo(f"version: {v['published'] or '----------'}  {mark}  {v['title'] or ''} ({v['chars']} characters)")
        for r in result["reuse"]:
            click.echo(f"{r['share']:.0%} shared with {r['id']} {r['title'] or ''} ({r['source'] or 'unknown source'})")
            for p in r["passages"]:
                click.echo(f"    [{p['start']}:{p['end']}] {' '.join(text[p['start']:p['end']].split())[:100]}")
        if not result["reuse"]:
            click.echo("no passages shared with stored articles", err=True)
    else:
        for p in result:
            click.echo(f"{p['share']:.0%}  {p['id']} {p['title'] or ''}  ~  {p['other_id']} {p['other_title'] or ''}")
        click.echo(f"{plural(len(result), 'pair')} sharing at least {min_share:.0%} of a text", err=True)



@click.command()
@click.argument("story_id", type=int, required=False)
@db_option
@click.option("--q", default=None, help="Words in the stories' articles (FTS5).")
@click.option("--entity", default=None, help="A corpus entity id, e.g. PER:angela-merkel.")
@click.option("--min-size", type=click.IntRange(1, 10000), default=2, show_default=True)
@click.option("--limit", type=click.IntRange(1, 1000), default=20, show_default=True)
@click.option("--rebuild", is_flag=True, help="Cluster every stored article again, in publication order.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@handle_errors
def stories(story_id: int | None, db: str | None, q: str | None, entity: str | None, min_size: int, limit: int,
            rebuild: bool, as_json: bool) -> None:
    """Story clusters: articles about one news event. With STORY_ID, its timeline, keywords and who said
    what; without, the largest stories."""
    from newsgraph.store.story_queries import get_story, list_stories

    if rebuild:
        with open_corpus(db) as corpus:
            n = corpus.rebuild_stories()
        click.echo(f"{plural(n, 'story', 'stories')} after clustering every article again", err=True)
    with open_corpus(db, readonly=True) as corpus:
        result: Any = get_story(corpus, story_id) if story_id else list_stories(
            corpus, q=q, entity=entity, min_size=min_size, limit=limit)
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
    elif story_id:
        click.echo(f"{result['label']}  ({result['size']} articles, {result['first_published']} – "
                   f"{result['last_published']})")
        click.echo("keywords: " + ", ".join(k["term"] for k in result["keywords"]))
        for a in result["articles"]:
            click.echo(f"  {a['published'] or '----------'}  {a['id']}  {a['title']}  ({a['source'] or ''})")
        for p in result["speakers"]:
            click.echo(f"  said: {p['name']} ({p['statements']})")
    else:
        for s in result["stories"]:
            click.echo(f"{s['id']:6}  {s['size']:4}  {s['first_published'] or '':10}  {s['label']}")
        click.echo(f"{plural(result['total'], 'story', 'stories')} with {min_size} or more articles", err=True)


@click.command()
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@handle_errors
def check(db: str | None, as_json: bool) -> None:
    """Check the corpus file: SQLite's integrity check, the search index against the articles, and the counts.
    Exit 1 when anything is damaged (then restore a backup, or ingest the inputs into a new file)."""
    from newsgraph.errors import StoreError

    path = db or load_settings()["db"]
    try:
        with open_corpus(path, readonly=True) as corpus:
            report: dict[str, Any] = {"db": str(path), **corpus.check()}
    except StoreError as exc:  # so damaged it does not open: the report says why
        report = {"db": str(path), "integrity": exc.message, "code": exc.code, "hint": exc.hint}
    damaged = report.get("integrity") != "ok" or not str(report.get("fts", "ok")).startswith("ok")
    report["ok"] = not damaged
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        for key, value in report.items():
            click.echo(f"{key:10} {value}")
        if damaged:
            click.echo(f"Error: [NG206] {path} is damaged → restore it from a backup, or ingest the inputs into a new "
                       "file; `newsgraph export` may still save what can be read", err=True)
    if damaged:
        sys.exit(1)
