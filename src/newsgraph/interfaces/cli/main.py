"""``newsgraph`` CLI: each command parses flags, calls one library function and formats the result."""

from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path
from typing import Any

import click

from newsgraph.errors import UsageError
from newsgraph.interfaces.cli.common import db_option, handle_errors, model_out_options, open_corpus, tier_option
from newsgraph.interfaces.cli.corpus import (
    check,
    datasette_metadata_command,
    duplicates,
    export,
    load,
    network,
    spark,
    stories,
)
from newsgraph.interfaces.cli.entities import entities
from newsgraph.interfaces.cli.progress import progress
from newsgraph.interfaces.cli.render import plural
from newsgraph.model import EVENT_TYPES, MODALITIES
from newsgraph.settings import load_settings


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="newsgraph")
def main() -> None:
    """newsgraph: German news to structured, attributed, searchable data."""


@main.command()
@click.argument("path")
@click.option("--format", "out_format", type=click.Choice(["json", "text"]), default="text", show_default=True)
@click.option("--input-format", type=click.Choice(["text", "html", "feed", "warc", "jsonl"]), default=None,
              help="Input format; guessed from the file name when omitted ('-' reads text from stdin).")
@tier_option
@handle_errors
def analyze(path: str, out_format: str, input_format: str | None, tier: str | None) -> None:
    """Analyse PATH (a file, folder, glob or -) without storing anything."""
    from newsgraph.ingest import read_inputs
    from newsgraph.ingest.limits import read_limits
    from newsgraph.interfaces.cli.render import render_article_text
    from newsgraph.model import Failure
    from newsgraph.pipeline import Pipeline, analyze_stream

    cfg = load_settings({"tier": tier})
    failed = 0
    items = read_inputs([path], fmt=input_format, **read_limits(cfg))
    for item in analyze_stream(items, Pipeline(settings=cfg)):
        if isinstance(item, Failure):
            failed += 1
            click.echo(f"failed: {item.input}: [{item.code}] {item.reason} → {item.hint}", err=True)
        elif out_format == "json":
            click.echo(json.dumps(item.to_dict(), ensure_ascii=False))
        else:
            click.echo(render_article_text(item))
    sys.exit(1 if failed else 0)


@main.command()
@click.argument("paths", nargs=-1, required=True)
@db_option
@click.option("--input-format", type=click.Choice(["text", "html", "feed", "warc", "jsonl"]), default=None,
              help="Read every input as this format instead of guessing it from the file name.")
@click.option("--n-process", type=click.IntRange(1, 64), default=None,
              help="Worker processes for analysis [default: the n_process setting, 1]; this process reads and "
                   "writes.")
@click.option("--reanalyze", is_flag=True,
              help="Analyse articles already stored again and replace them (after a model update); curated "
                   "entity merges and splits still apply.")
@tier_option
@handle_errors
def ingest(paths: tuple[str, ...], db: str | None, input_format: str | None, n_process: int | None,
           reanalyze: bool, tier: str | None) -> None:
    """Ingest files, folders or globs into the corpus; failures are recorded and listed. In a folder,
    documentation files (README*, LICENSE*, ATTRIBUTION*, *.md, *.rst, *.pdf, …) are skipped and listed; a file
    named explicitly is always read."""
    from newsgraph.batch import ingest as run_ingest
    from newsgraph.ingest.sources import count_items

    cfg = load_settings({"n_process": n_process, "tier": tier})
    with open_corpus(db) as corpus, progress("ingest", count_items(paths, input_format)) as advance:
        summary = run_ingest(paths, corpus, settings=cfg, fmt=input_format, progress=advance, reanalyze=reanalyze)
        total = corpus.count()
    click.echo(f"added {summary.added}, duplicates skipped {summary.duplicates}, "
               f"failures {len(summary.failures)}; corpus now has {plural(total, 'article')} "
               f"({summary.seconds:.1f}s)")
    for f in summary.failures:
        click.echo(f"  failed: {f.input}: [{f.code}] {f.reason} → {f.hint}", err=True)
    if summary.skipped:
        click.echo(f"skipped {plural(len(summary.skipped), 'documentation file')}: {', '.join(summary.skipped)}",
                   err=True)
    if summary.failures:
        click.echo("see them again with: newsgraph failures", err=True)
    sys.exit(0 if summary.ok else 1)


@main.command()
@click.argument("query")
@db_option
@click.option("--limit", type=click.IntRange(1, 1000), default=10, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON lines.")
@click.option("--sql", "show_sql", is_flag=True, help="Print the SQL instead of running it.")
@click.option("--author", default=None, help="Only articles by this author (a name as stored, e.g. 'Ingo Arzt').")
@click.option("--source", default=None, help="Only articles of this publication (e.g. 'taz').")
@handle_errors
def search(query: str, db: str | None, limit: int, as_json: bool, show_sql: bool, author: str | None,
           source: str | None) -> None:
    """Full-text search (SQLite FTS5 syntax: words, "phrases", OR, NOT, prefix*), optionally by author or
    publication."""
    from newsgraph.store import queries
    from newsgraph.store.corpus import SearchHit

    with open_corpus(db, readonly=True) as corpus:
        if show_sql:
            q = corpus.search_query(query, limit=limit)
            click.echo(f"{q.sql}\n-- params: {q.params!r}")
            return
        if author or source:
            rows = queries.list_articles(corpus, q=query, author=author, source=source, limit=limit)["articles"]
            queries.add_snippets(corpus, query, rows)
            hits = [SearchHit(r["id"], r["title"], r["published"], r["source"], r["snippet"], 0.0) for r in rows]
        else:
            hits = corpus.search(query, limit=limit)
    for hit in hits:
        if as_json:
            click.echo(json.dumps(hit.__dict__, ensure_ascii=False))
        else:
            click.echo(f"{hit.id}  {hit.published or '----------'}  {hit.title or '(untitled)'}")
            click.echo(f"    {click.style(hit.snippet, dim=True)}")
    if not hits and not as_json:
        click.echo("no matches", err=True)


@main.command()
@click.argument("article_id")
@db_option
@click.option("--format", "out_format", type=click.Choice(["json", "text"]), default="text", show_default=True)
@handle_errors
def show(article_id: str, db: str | None, out_format: str) -> None:
    """Show one stored article with its layers."""
    from newsgraph.interfaces.cli.render import render_article_text

    with open_corpus(db, readonly=True) as corpus:
        article = corpus.get(article_id)
    click.echo(json.dumps(article.to_dict(), ensure_ascii=False, indent=2) if out_format == "json"
               else render_article_text(article))


@main.command()
@click.argument("article_id")
@db_option
@click.option("--json", "as_json", is_flag=True, help="One JSON object per expression.")
@handle_errors
def times(article_id: str, db: str | None, as_json: bool) -> None:
    """Print a stored article's time expressions: offsets, kind, TIMEX3 value and what it was resolved against."""
    from newsgraph.interfaces.cli.render import render_times

    with open_corpus(db, readonly=True) as corpus:
        article = corpus.get(article_id)
    if as_json:
        for t in article.times:
            click.echo(json.dumps({**dataclasses.asdict(t), "interval": t.interval()}, ensure_ascii=False))
    else:
        click.echo(render_times(article))


@main.command()
@db_option
@click.option("--limit", type=click.IntRange(1, 100000), default=100, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array of the failures ([] when there are none).")
@click.option("--clear", is_flag=True, help="Forget all recorded failures (after fixing or removing the inputs).")
@handle_errors
def failures(db: str | None, limit: int, as_json: bool, clear: bool) -> None:
    """List recorded failures, most recently seen first; the same input failing again is counted, not repeated."""
    if clear:
        with open_corpus(db) as corpus:
            click.echo(f"cleared {plural(corpus.clear_failures(), 'failure')}")
        return
    with open_corpus(db, readonly=True) as corpus:
        rows = corpus.failures(limit=limit)
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=1))
        return
    for row in rows:
        seen = f" (×{row['count']}, last {row['last_seen']})" if row["count"] > 1 else ""
        click.echo(f"{row['recorded_at']}  {row['stage']:8} {row['code']}  {row['input']}: {row['reason']} "
                   f"→ {row['hint']}{seen}")
    if not rows:
        click.echo("no failures recorded", err=True)


@main.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@tier_option
@handle_errors
def serve(db: str | None, host: str, port: int, tier: str | None) -> None:
    """Serve the REST API (/api, /docs) and the web UI over the corpus (needs the 'api' extra)."""
    try:
        import uvicorn

        from newsgraph.interfaces.api import create_app
    except ImportError as exc:
        raise UsageError(f"the API needs extra packages ({exc.name})",
                         hint="pip install 'newsgraph[api]'") from exc
    cfg = load_settings({"tier": tier})
    if Path(db or cfg["db"]).exists():  # a damaged store stops the server here, not as 500s on every page
        with open_corpus(db or cfg["db"], readonly=True) as corpus:
            corpus.verify()
    hosts = [h.strip() for h in str(cfg["allowed_hosts"]).split(",") if h.strip()] or [host, "localhost", "127.0.0.1"]
    app = create_app(db or cfg["db"], cfg, allowed_hosts=hosts)
    click.echo(f"newsgraph on http://{host}:{port}/  (API docs at /docs)", err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning")


@main.command()
@db_option
@click.option("--speaker", default=None, help="Speaker entity id (PER:wladimir-putin) or part of a name.")
@click.option("--about", default=None, help="Entity named inside the message: id or part of a name.")
@click.option("--kind", type=click.Choice(["Direct", "Indirect", "FreeIndirect", "IndirectFreeIndirect",
                                           "Reported"]), default=None)
@click.option("--medium", type=click.Choice(["Speech", "Writing", "SW", "ST"]), default=None,
              help="Spoken, written, SW = either, ST = speech or thought.")
@click.option("--min-confidence", type=click.FloatRange(0, 1), default=None,
              help="Only statements at least this sure (0-1; bench/statements.py gives precision per threshold).")
@click.option("--limit", type=click.IntRange(1, 100), default=20, show_default=True)
@click.option("--offset", type=click.IntRange(0), default=0, show_default=True, help="Skip this many (paging).")
@click.option("--json", "as_json", is_flag=True)
@handle_errors
def statements(db: str | None, speaker: str | None, about: str | None, kind: str | None, medium: str | None,
               min_confidence: float | None, limit: int, offset: int, as_json: bool) -> None:
    """Who said what: statements with speaker, cue, message, the article and the sentence."""
    from newsgraph.store import queries

    with open_corpus(db, readonly=True) as corpus:
        result = queries.list_statements(corpus, speaker=speaker, about=about, kind=kind, medium=medium,
                                         min_confidence=min_confidence, limit=limit, offset=offset)
    for row in result["statements"]:
        if as_json:
            click.echo(json.dumps(row, ensure_ascii=False))
            continue
        st = row["statement"]
        who = st["speaker"]["text"] if st["speaker"] else "?"
        cue = f" [{st['cue']['text']}]" if st["cue"] else ""
        message = " … ".join(m["text"] for m in st["message"])
        medium_note = f", {st['medium']}" if st.get("medium") else ""
        sure = f", confidence {st['confidence']:.2f}" if st.get("confidence") is not None else ""
        click.echo(f"{who}{cue} ({st['kind']}{medium_note}{sure}): {message}")
        click.echo(click.style(f"    {row['title'] or row['article_id']} {row['published'] or ''} · "
                               f"{row['evidence'][:160]}", dim=True))
    if not as_json:
        click.echo(plural(result["total"], "statement"), err=True)


@main.command()
@db_option
@click.option("--type", "kind", type=click.Choice(list(EVENT_TYPES)), default=None, help="PLOVER event type.")
@click.option("--actor", default=None, help="Source or target entity: id (PER:wladimir-putin) or part of a name.")
@click.option("--country", default=None, help="ISO 3166 alpha-3 code of the source or target (RUS, USA).")
@click.option("--from", "date_from", default=None, help="Earliest event date (YYYY, YYYY-MM or YYYY-MM-DD).")
@click.option("--to", "date_to", default=None, help="Latest event date.")
@click.option("--modality", type=click.Choice(list(MODALITIES)), default=None)
@click.option("--min-confidence", type=click.FloatRange(0, 1), default=None,
              help="Only events at least this sure of their type and source (0-1).")
@click.option("--limit", type=click.IntRange(1, 100), default=20, show_default=True)
@click.option("--json", "as_json", is_flag=True)
@handle_errors
def events(db: str | None, kind: str | None, actor: str | None, country: str | None, date_from: str | None,
           date_to: str | None, modality: str | None, min_confidence: float | None, limit: int,
           as_json: bool) -> None:
    """Political events (PLOVER): source -> type -> target, with date, modality, confidence and the sentence."""
    from newsgraph.store.event_queries import list_events

    with open_corpus(db, readonly=True) as corpus:
        result = list_events(corpus, kind=kind, actor=actor, country=country, date_from=date_from,
                             date_to=date_to, modality=modality, min_confidence=min_confidence, limit=limit)
    for row in result["events"]:
        if as_json:
            click.echo(json.dumps(row, ensure_ascii=False))
            continue
        ev = row["event"]
        mode = f" {ev['mode']}" if ev["mode"] else ""
        click.echo(f"{ev['date'] or '----------'}  {_actor_label(ev['source'])} -> {ev['type']}{mode} -> "
                   f"{_actor_label(ev['target'])}  "
                   f"[{ev['trigger']['text']}, {ev['modality']}{_confidence_label(ev.get('confidence'))}]")
        click.echo(click.style(f"    {row['title'] or row['article_id']} · {row['evidence'][:160]}", dim=True))
    if not as_json:
        click.echo(plural(result["total"], "event"), err=True)


def _actor_label(actor: dict[str, Any] | None) -> str:
    """"Putin (RUS/GOV)" for an event actor."""
    if actor is None:
        return "?"
    code = "/".join(x for x in (actor.get("country"), actor.get("sector")) if x)
    return str(actor["text"]) + (f" ({code})" if code else "")


@main.group()
def train() -> None:
    """Train a shipped model from ../shared/data (needs the 'train' extra; never run in CI)."""


def _confidence_label(confidence: float | None) -> str:
    return "" if confidence is None else f", confidence {confidence:.2f}"


def _report_training(card: dict[str, Any], bench: str) -> None:
    click.echo(f"trained in {card['training_seconds']}s; evaluate with: python bench/{bench}.py")


@train.command("tagger")
@model_out_options
@click.option("--max-steps", type=int, default=8000, show_default=True)
@handle_errors
def train_tagger_command(out: Path, install: bool, max_steps: int) -> None:
    """Fast tagger (STTS, lemmas, morphology) learnt from HanTa's output and UD German-PUD; card with UD GSD scores."""
    from newsgraph.training.commands import train_tagger_model

    card = train_tagger_model(out, install=install, max_steps=max_steps)
    click.echo(json.dumps(card["scores"], indent=2))


@train.command("ner")
@model_out_options
@click.option("--max-steps", type=int, default=12000, show_default=True)
@click.option("--silver", type=click.IntRange(0), default=0, show_default=True,
              help="Self-training: also train on this many unlabeled non-NC sentences tagged by the accurate "
                   "tier's NER (needs the accurate extra).")
@handle_errors
def train_ner_command(out: Path, install: bool, max_steps: int, silver: int) -> None:
    """Entity model: floret vectors, spaCy NER on GermEval 2014 train, lexicon, span classifier; card with scores."""
    from newsgraph.training.commands import train_ner_model

    card = train_ner_model(out, install=install, max_steps=max_steps, silver=silver)
    click.echo(json.dumps(card["scores"], indent=2))


@train.command("statements")
@model_out_options
@handle_errors
def train_statements_command(out: Path, install: bool) -> None:
    """Statements tagger (CRF) on news-quotation-2024 train; the model is non-commercial (CC BY-NC-SA)."""
    from newsgraph.training.commands import train_statements_model

    _report_training(train_statements_model(out, install=install), "statements")


@train.command("reader")
@model_out_options
@click.option("--epochs", type=click.IntRange(1, 20), default=2, show_default=True)
@click.option("--cache", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Checkpoints and prepared data; a stopped run resumes from here [default: ~/.cache/newsgraph/reader].")
@click.option("--device", default="cpu", show_default=True, help="torch device: cpu, cuda")
@handle_errors
def train_reader_command(out: Path, install: bool, epochs: int, cache: Path | None, device: str) -> None:
    """The deep reader (about 75 minutes on 2 CPU cores): one set of adapters on multilingual-e5-small shared by
    the NER, statement, tagging, lemma and morphology heads, exported to ONNX int8; non-commercial
    (news-quotation-2024). Needs pip install -e '.[train]'."""
    from newsgraph.training.commands import train_reader_model

    card = train_reader_model(out, install=install, epochs=epochs, cache=cache, device=device,
                              log=lambda line: click.echo(line, err=True))
    click.echo(json.dumps(card["scores"], indent=2))
    _report_training(card, "statements")


@train.command("accurate")
@model_out_options
@click.option("--ner-epochs", type=click.IntRange(1, 20), default=4, show_default=True)
@click.option("--statement-epochs", type=click.IntRange(1, 20), default=5, show_default=True)
@click.option("--device", default="cpu", show_default=True, help="torch device: cpu, cuda")
@handle_errors
def train_accurate_command(out: Path, install: bool, ner_epochs: int, statement_epochs: int, device: str) -> None:
    """The accurate tier (about 90 minutes on 2 CPU cores): NER and statement adapters on multilingual-e5-small,
    confidence weights, card; non-commercial (news-quotation-2024). Needs pip install -e '.[accurate,train]'."""
    from newsgraph.training.commands import train_accurate_model

    card = train_accurate_model(out, install=install, ner_epochs=ner_epochs, statement_epochs=statement_epochs,
                                device=device, log=lambda line: click.echo(line, err=True))
    click.echo(json.dumps(card["scores"], indent=2))
    _report_training(card, "statements --tier accurate")


@train.command("accurate-ner")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True)
@click.option("--epochs", type=click.IntRange(1, 20), default=3, show_default=True)
@click.option("--device", default="cpu", show_default=True, help="torch device: cpu, cuda")
@click.option("--targets", default="q,v", show_default=True,
              help="Projections that get adapters: q, k, v, ao (attention output), fi, fo (feed-forward).")
@handle_errors
def train_accurate_ner_command(out: Path, epochs: int, device: str, targets: str) -> None:
    """NER adapters alone (for experiments; `train accurate` makes the shipped model): LoRA adapters and an NER
    head on multilingual-e5-small (GermEval 2014 outer labels); needs pip install -e '.[accurate]'."""
    from newsgraph.evaluation.data_paths import shared_data_dir
    from newsgraph.training.accurate import train_ner_adapters

    run = train_ner_adapters(shared_data_dir(), out, epochs=epochs, device=device,
                             targets=tuple(t.strip() for t in targets.split(",") if t.strip()),
                             log=lambda line: click.echo(line, err=True))
    click.echo(f"best dev F1 (12 outer labels) {run['best_dev_f1_outer12']:.3f} in {run['seconds']}s; {out}")


@train.command("event-confidence")
@model_out_options
@handle_errors
def train_event_confidence_command(out: Path, install: bool) -> None:
    """Event confidence weights on the German event gold (tests/gold/events-de.jsonl train; dev selects)."""
    from newsgraph.training.event_confidence import train_event_confidence_model

    _report_training(train_event_confidence_model(out, install=install), "events")


@train.command("topics")
@model_out_options
@handle_errors
def train_topics_command(out: Path, install: bool) -> None:
    """Topic classifier (IPTC top level) on 10kGNAD and XGLUE; the model is non-commercial."""
    from newsgraph.training.topics import train_topics_model

    _report_training(train_topics_model(out, install=install), "topics")


@main.command()
def stages() -> None:
    """List the registered pipeline stages with their contracts."""
    from newsgraph.pipeline import DEFAULT_STAGES, registered_stages

    for name, st in registered_stages().items():
        default = "*" if name in DEFAULT_STAGES else " "
        langs = ",".join(sorted(st.languages)) if st.languages else "any"
        click.echo(f"{default} {name:12} requires={list(st.requires)} assigns={list(st.assigns)} "
                   f"languages={langs}  {st.doc}")


for command in (export, network, duplicates, datasette_metadata_command, spark, load, entities, stories, check):
    main.add_command(command)

if __name__ == "__main__":  # python -m newsgraph.interfaces.cli.main: every command, as the script has
    main()
