"""The article time budget on a busy machine: no normal article is dropped at two-fold CPU contention.

    python bench/contention.py [--articles 12] [--tiers deep,lite] [--busy 0]

Analyses the longest sample articles with each tier, with the default budget (article_time_budget 10 s of the
analysing thread's CPU time, hang guard 120 s of wall time), first on an idle machine, then while --busy processes
(default: one per core, so the machine has twice the work it has cores for) spin. Prints per tier and condition:
articles, dropped (NG105), the largest wall time and CPU time one article took, and how many a 10 s wall-clock
budget (the old one) would have dropped.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import time
from pathlib import Path

from newsgraph.errors import ArticleTimeout
from newsgraph.model import Article
from newsgraph.pipeline import Pipeline
from newsgraph.pipeline.budget import time_budget
from newsgraph.settings import load_settings

ROOT = Path(__file__).resolve().parents[1]


def spin() -> None:
    while True:
        pass


def measure(pipeline: Pipeline, articles: list[Article]) -> tuple[int, float, float, int]:
    """(dropped, largest wall seconds, largest CPU seconds, dropped by a 10 s wall budget) over the articles."""
    budget, guard = float(pipeline.settings["article_time_budget"]), float(pipeline.settings["article_hang_guard"])
    dropped = wall_dropped = 0
    worst_wall = worst_cpu = 0.0
    for article in articles:
        began = time.monotonic()
        try:
            with time_budget(budget, hang_guard=guard, where=article.id) as spent:
                pipeline(article)
                cpu, _ = spent.used()
        except ArticleTimeout:
            dropped += 1
            cpu = budget
        wall = time.monotonic() - began
        worst_wall, worst_cpu = max(worst_wall, wall), max(worst_cpu, cpu)
        wall_dropped += wall > budget
    return dropped, worst_wall, worst_cpu, wall_dropped


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=12)
    parser.add_argument("--tiers", default="deep,lite")
    parser.add_argument("--busy", type=int, default=0, help="spinning processes (0: one per core)")
    args = parser.parse_args()
    lines = (ROOT / "samples" / "wikinews-de.jsonl").read_text(encoding="utf-8").splitlines()
    records = sorted((json.loads(line) for line in lines), key=lambda r: -len(r["text"]))[:args.articles]
    articles = [Article.create(r["text"], title=r.get("title"), published=r.get("published")) for r in records]
    busy = args.busy or os.cpu_count() or 2
    print(f"{len(articles)} longest sample articles ({min(len(a.text) for a in articles):,} to "
          f"{max(len(a.text) for a in articles):,} characters); busy: {busy} spinning processes on "
          f"{os.cpu_count()} cores")
    print("| tier | machine | articles | dropped (NG105) | largest wall s | largest CPU s | a 10 s wall budget drops |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for tier in args.tiers.split(","):
        pipeline = Pipeline(settings=load_settings({"tier": tier}))
        pipeline.warm_up()
        for condition in ("idle", "two-fold contention"):
            spinners = []
            if condition != "idle":
                spinners = [multiprocessing.Process(target=spin, daemon=True) for _ in range(busy)]
                for p in spinners:
                    p.start()
            try:
                dropped, wall, cpu, wall_dropped = measure(pipeline, articles)
            finally:
                for p in spinners:
                    p.terminate()
            print(f"| {tier} | {condition} | {len(articles)} | {dropped} | {wall:.2f} | {cpu:.2f} | {wall_dropped} |")


if __name__ == "__main__":
    main()
