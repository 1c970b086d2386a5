"""Throughput of analyze (stage by stage) and ingest over the bundled sample corpus.

    python bench/throughput.py [--repeat N] [--stages language,tokens,...]

Prints one table: articles/s, tokens/s and peak RSS per phase, plus the tokenizer-only ceiling measured in
the same run and the full pipeline's ratio to it. Single process (n_process=1).
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

from newsgraph.batch import ingest
from newsgraph.ingest import read_inputs
from newsgraph.model import Article
from newsgraph.pipeline import DEFAULT_STAGES, Pipeline
from newsgraph.pipeline.registry import apply_update
from newsgraph.pipeline.stages.tokens import tokenize
from newsgraph.settings import load_settings
from newsgraph.store import Corpus

ROOT = Path(__file__).resolve().parents[1]
INPUTS = [str(ROOT / "samples" / "wikinews-de.jsonl"), str(ROOT / "samples" / "seed-article.txt")]


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def row(name: str, n_articles: int, n_tokens: int, seconds: float) -> tuple[str, float, float, float, float]:
    return (name, seconds, n_articles / seconds, n_tokens / seconds, peak_rss_mb())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=1, help="passes over the corpus per phase")
    parser.add_argument("--stages", default=",".join(DEFAULT_STAGES))
    args = parser.parse_args()
    articles = [a for a in read_inputs(INPUTS) if isinstance(a, Article)] * args.repeat
    pipeline = Pipeline(args.stages.split(","))
    for st in pipeline.stages:  # load models before timing
        st.func(Article.create("Aufwärmen: Der Kreml bestätigte das Gespräch."))
    rows = []

    n_tokens = sum(len(tokenize(a.text)) for a in articles)  # warm pass: fills spaCy's tokenizer cache
    start = time.perf_counter()
    n_tokens = sum(len(tokenize(a.text)) for a in articles)
    ceiling = row("tokenizer only (ceiling)", len(articles), n_tokens, time.perf_counter() - start)
    rows.append(ceiling)

    current = list(articles)
    total = 0.0
    for st in pipeline.stages:
        start = time.perf_counter()
        current = [apply_update(a, st, st.func(a)) if st.applies_to(a) else a for a in current]
        seconds = time.perf_counter() - start
        total += seconds
        rows.append(row(f"stage {st.name}", len(articles), n_tokens, seconds))
    full = row("analyze, all stages", len(articles), n_tokens, total)
    rows.append(full)

    with tempfile.TemporaryDirectory() as tmp, Corpus(Path(tmp) / "bench.db") as corpus:
        cfg = load_settings({"n_process": 1})
        start = time.perf_counter()
        summary = ingest(INPUTS * 1, corpus, pipeline=pipeline, settings=cfg)
        seconds = time.perf_counter() - start
        n_stored = summary.added
        stored_tokens = sum(len(a.tokens) for a in corpus.iter_articles())
    rows.append(row("ingest (read+analyze+store)", n_stored, stored_tokens, seconds))

    print(f"corpus: {len(articles)} articles, {n_tokens:,} tokens; stages: {', '.join(pipeline.names)}")
    print(f"| {'phase':30} | {'seconds':>8} | {'articles/s':>10} | {'tokens/s':>10} | {'peak RSS MB':>11} |")
    print(f"|{'-' * 32}|{'-' * 10}:|{'-' * 12}:|{'-' * 12}:|{'-' * 13}:|")
    for name, secs, aps, tps, rss in rows:
        print(f"| {name:30} | {secs:8.2f} | {aps:10.1f} | {tps:10,.0f} | {rss:11.0f} |")
    print(f"\nfull pipeline / tokenizer ceiling: {full[3] / ceiling[3]:.3f} ({full[3]:,.0f} vs {ceiling[3]:,.0f} tokens/s)")


if __name__ == "__main__":
    main()
