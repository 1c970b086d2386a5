"""Progress of long CLI work: a rich bar (total, rate, ETA) on a terminal, a plain line every N items
otherwise (logs, CI), nothing on stdout, which carries the command's data."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import click

PLAIN_EVERY = 1000  # items between plain progress lines when stderr is not a terminal


@contextmanager
def progress(task: str, total: int | None, *, unit: str = "items",
             every: int = PLAIN_EVERY) -> Iterator[Callable[[int], None]]:
    """Yield ``advance(n)``; show the count, and the rate and ETA where ``total`` is known."""
    if sys.stderr.isatty():
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            ProgressColumn,
            SpinnerColumn,
            Task,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )
        from rich.text import Text

        class Rate(ProgressColumn):
            def render(self, task: Task) -> Text:
                return Text(f"{task.speed:,.1f}/s" if task.speed else "")

        columns = [SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                   TextColumn(unit), Rate(), TimeElapsedColumn(), TimeRemainingColumn()]
        with Progress(*columns, console=Console(stderr=True), transient=False) as bar:
            task_id = bar.add_task(task, total=total)
            yield lambda n: bar.advance(task_id, n)
        return
    done = [0]
    start = time.perf_counter()

    def advance(n: int) -> None:
        before = done[0]
        done[0] += n
        if done[0] // every > before // every:
            rate = done[0] / max(time.perf_counter() - start, 1e-9)
            of = f" of {total:,}" if total else ""
            click.echo(f"{task}: {done[0]:,}{of} {unit} ({rate:,.1f}/s)", err=True)

    yield advance
