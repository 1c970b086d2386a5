"""Throughput of analyze (stage by stage) and ingest over the bundled sample corpus.

    python bench/throughput.py [--repeat N] [--stages language,tokens,...] [--processes 1,2] [--tiers deep,lite]
    python bench/throughput.py --corpus-sizes 100,1000,5000

With ``--corpus-sizes``: full ingest (analysis, entity resolution, copies, stories, keywords, store) of a
stream of varied copies of the sample corpus into one new corpus, in blocks of 100 articles, one process;
prints articles/s of the block that ends at each size. Each pass over the sample rotates every article's
paragraphs, adds a line of its own and moves its date on by 60 days, so no text is a duplicate and stories
and copies meet what a growing corpus gives them.

Prints one table per reader tier (default: the deep reader, then the lite tier on the same run): articles/s,
tokens/s and peak RSS per phase, plus the tokenizer-only ceiling measured in
the same run and each row's ratio to it. Stages and "analyze, all stages" run in this process on one
thread. For ``n_process`` = 1 and 2: "CLI ingest" runs ``newsgraph ingest --n-process N`` on the sample into a new
SQLite file (Python start, model loading, workers, analysis and store: what a user waits for); "analyze (warm)"
times the second of two copies of the sample (each text with a suffix, so none is a duplicate) streamed through
the same workers. Peak RSS of those rows is the largest process: this one for n_process = 1, the largest
worker otherwise.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from newsgraph.ingest import read_inputs
from newsgraph.model import Article
from newsgraph.pipeline import DEFAULT_STAGES, Pipeline, analyze_stream
from newsgraph.pipeline.registry import apply_update
from newsgraph.pipeline.stages.tokens import tokenize
from newsgraph.settings import load_settings
from newsgraph.store import Corpus

ROOT = Path(__file__).resolve().parents[1]
INPUTS = [str(ROOT / "samples" / "wikinews-de.jsonl"), str(ROOT / "samples" / "seed-article.txt")]


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


Row = tuple[str, float, float, float, float]


def row(name: str, n_articles: int, n_tokens: int, seconds: float) -> Row:
    return (name, seconds, n_articles / seconds, n_tokens / seconds, peak_rss_mb())


def worker_peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def copies(tmp: Path, suffix: str) -> Path:
    """The sample corpus as JSONL with ``suffix`` appended to every text (new content ids, same work)."""
    out = tmp / f"sample{suffix.strip()}.jsonl"
    with open(out, "w", encoding="utf-8") as fh:
        for a in read_inputs(INPUTS):
            if isinstance(a, Article):
                fh.write(json.dumps({"text": a.text + suffix, "title": a.title, "published": a.published},
                                    ensure_ascii=False) + "\n")
    return out


def ingest_rows(tmp: Path, n_process: int, pipeline: Pipeline, n_tokens: int, tier: str) -> list[Row]:
    """Cold: ``ingest`` of the sample with fresh workers (start, model loading, analysis, store). Warm: one
    ``analyze_stream`` over two suffixed copies of the sample, timed from the first result of the second copy
    to the last (the workers are loaded and busy; nothing is stored)."""
    db = tmp / f"cold{n_process}-{tier}.db"
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "newsgraph.interfaces.cli.main", "ingest", "--db", str(db),
                    "--n-process", str(n_process), "--tier", tier, *INPUTS], check=True, capture_output=True)
    cold = time.perf_counter() - start
    with Corpus(db, readonly=True) as corpus:
        added = corpus.count()
    rss = worker_peak_rss_mb()
    stream = read_inputs([str(copies(tmp, f" ({n_process}{tier}a)")), str(copies(tmp, f" ({n_process}{tier}b)"))])
    done = [time.perf_counter() for _ in analyze_stream(stream, pipeline, n_process=n_process)]
    half = len(done) // 2
    warm = done[-1] - done[half - 1]
    rss = max(rss, peak_rss_mb() if n_process == 1 else worker_peak_rss_mb())
    return [(f"CLI ingest --n-process {n_process}", cold, added / cold, n_tokens / cold, rss),
            (f"analyze, n_process={n_process} (warm)", warm, half / warm, n_tokens / warm, rss)]


def varied(n: int) -> list[Article]:
    """``n`` articles: passes over the sample, each with rotated paragraphs, a line of its own and a date moved
    on by 60 days per pass."""
    from datetime import date, timedelta

    sample = [a for a in read_inputs(INPUTS) if isinstance(a, Article)]
    out: list[Article] = []
    rep = 0
    while len(out) < n:
        for i, a in enumerate(sample):
            paras = [p for p in a.text.split("\n") if p.strip()]
            k = rep % len(paras)
            text = "\n".join(paras[k:] + paras[:k]) + f"\nMeldung {rep}-{i}."
            day = date.fromisoformat(a.published[:10]) if a.published else date(2020, 1, 1)
            out.append(Article.create(text, title=a.title, source=a.source or "sample",
                                      published=(day + timedelta(days=60 * rep)).isoformat()))
        rep += 1
    return out[:n]


def corpus_sizes(sizes: list[int]) -> None:
    from newsgraph.batch import ingest_items

    settings = {**load_settings(), "n_process": 1}
    articles = varied(max(sizes))
    pipeline = Pipeline(settings=settings)
    print("| corpus size | articles/s of the last 100 added | seconds for them |")
    print("|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as tmp, Corpus(Path(tmp) / "scale.db") as corpus:
        ingest_items([Article.create("Aufwärmen: Der Kreml bestätigte das Gespräch.")], corpus,
                     pipeline=pipeline, settings=settings)
        for end in range(100, max(sizes) + 1, 100):
            start = time.perf_counter()
            summary = ingest_items(articles[end - 100:end], corpus, pipeline=pipeline, settings=settings)
            seconds = time.perf_counter() - start
            if end in sizes:
                print(f"| {end:,} | {summary.added / seconds:.1f} | {seconds:.1f} |", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=1, help="passes over the corpus per phase")
    parser.add_argument("--stages", default=",".join(DEFAULT_STAGES))
    parser.add_argument("--processes", default="1,2", help="n_process values for the ingest rows")
    parser.add_argument("--tiers", default="deep,lite", help="reader tiers, one table each")
    parser.add_argument("--corpus-sizes", default=None, help="e.g. 100,1000,5000: ingest rate as the corpus grows")
    args = parser.parse_args()
    if args.corpus_sizes:
        corpus_sizes([int(x) for x in args.corpus_sizes.split(",")])
        return
    articles = [a for a in read_inputs(INPUTS) if isinstance(a, Article)] * args.repeat
    n_tokens = sum(len(tokenize(a.text)) for a in articles)  # warm pass: fills spaCy's tokenizer cache
    start = time.perf_counter()
    n_tokens = sum(len(tokenize(a.text)) for a in articles)
    ceiling = row("tokenizer only (ceiling)", len(articles), n_tokens, time.perf_counter() - start)
    for tier in args.tiers.split(","):
        tier_table(tier, articles, args, n_tokens, ceiling)


def tier_table(tier: str, articles: list[Article], args: argparse.Namespace, n_tokens: int, ceiling: Row) -> None:
    pipeline = Pipeline(args.stages.split(","), settings={**load_settings(), "tier": tier})
    warm = Article.create("Aufwärmen: Der Kreml bestätigte das Gespräch. Er sagte, es sei gut.")
    for st in pipeline.stages:  # load models before timing
        warm = apply_update(warm, st, st.func(warm, pipeline.settings))
    rows = [ceiling]
    current = list(articles)
    total = 0.0
    for st in pipeline.stages:
        start = time.perf_counter()
        current = [apply_update(a, st, st.func(a, pipeline.settings)) if st.applies_to(a) else a for a in current]
        seconds = time.perf_counter() - start
        total += seconds
        rows.append(row(f"stage {st.name}", len(articles), n_tokens, seconds))
    full = row("analyze, all stages", len(articles), n_tokens, total)
    rows.append(full)

    with tempfile.TemporaryDirectory() as tmp:
        for n in (int(x) for x in args.processes.split(",")):
            rows += ingest_rows(Path(tmp), n, pipeline, n_tokens, tier)

    print(f"\ntier {tier}: {len(articles)} articles, {n_tokens:,} tokens; stages: {', '.join(pipeline.names)}")
    print(f"| {'phase':32} | {'seconds':>8} | {'articles/s':>10} | {'tokens/s':>10} | {'/ceiling':>8} "
          f"| {'peak RSS MB':>11} |")
    print(f"|{'-' * 34}|{'-' * 9}:|{'-' * 11}:|{'-' * 11}:|{'-' * 9}:|{'-' * 12}:|")
    for name, secs, aps, tps, rss in rows:
        print(f"| {name:32} | {secs:8.2f} | {aps:10.1f} | {tps:10,.0f} | {tps / ceiling[3]:8.4f} | {rss:11.0f} |")
    print(f"\nfull pipeline / tokenizer ceiling: {full[3] / ceiling[3]:.3f} ({full[3]:,.0f} vs {ceiling[3]:,.0f} "
          "tokens/s)", flush=True)


if __name__ == "__main__":
    main()
