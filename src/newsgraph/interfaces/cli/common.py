"""What every CLI command shares: coded errors as one line, the --db option, opening the corpus."""

from __future__ import annotations

import functools
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from newsgraph.errors import NewsgraphError, UsageError
from newsgraph.settings import load_settings

F = TypeVar("F", bound=Callable[..., Any])


def handle_errors(func: F) -> F:
    """Coded errors become one line on stderr and exit 1 (2 for usage errors); no tracebacks."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            try:
                return func(*args, **kwargs)
            except sqlite3.Error as exc:  # a damaged, read-only or locked store, wherever the query ran
                from newsgraph.store.files import translate

                raise translate(exc, Path(kwargs.get("db") or load_settings()["db"])) from exc
        except NewsgraphError as exc:
            click.echo(f"Error: {exc}", err=True)
            sys.exit(2 if isinstance(exc, UsageError) else 1)

    return wrapper  # type: ignore[return-value]


def model_out_options(command: Any) -> Any:
    """--out DIR and --install, shared by the train commands."""
    command = click.option("--install", is_flag=True,
                           help="Also copy the model into the package (src/newsgraph/models).")(command)
    return click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True)(command)


tier_option = click.option("--tier", type=click.Choice(["deep", "lite", "accurate"]), default=None,
                           help="Reader the pipeline is built with [default: the tier setting, deep]: deep "
                                "(one encoder pass feeds every stage), lite (CRFs and HanTa, for bulk runs), "
                                "accurate (torch; needs pip install 'newsgraph[accurate]').")
db_option = click.option("--db", envvar="NEWSGRAPH_DB", default=None, type=click.Path(dir_okay=False),
                         help="Corpus database [default: newsgraph.db; env NEWSGRAPH_DB].")


def open_corpus(db: str | None, *, readonly: bool = False) -> Any:
    """The corpus for a command; a writing command first checks that the file is whole (NG206 if not)."""
    from newsgraph.store import Corpus

    settings = load_settings()
    corpus = Corpus(db or settings["db"], readonly=readonly, story_vectors=str(settings["story_vectors"]))
    if not readonly:
        try:
            corpus.verify()
        except BaseException:
            corpus.close()
            raise
    return corpus
