"""The same corpus five ways: ingest, ingest --n-process 2, Spark local[1], local[2], local[2] on twice the input.

    python bench/spark.py [--articles 2000]

The corpus is the sample (wikinews-de.jsonl and the seed article) repeated with a numbered suffix on every
text, so that content ids differ, as JSONL. Each row is timed from start to finish of that way (ingest: read,
analyse, store in a new SQLite file; Spark: read, analyse, write every Parquet table). Spark session start-up
is timed apart and not in the Spark rows. "analysis only" is analyze_stream over the same articles in this
process (no store): the reference for the per-executor overhead. Needs pip install -e '.[spark]' and Java.
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import time
from pathlib import Path

from newsgraph.batch import ingest
from newsgraph.ingest import read_inputs
from newsgraph.model import Article
from newsgraph.pipeline import Pipeline, analyze_stream
from newsgraph.scale.spark import run, spark_session
from newsgraph.settings import load_settings
from newsgraph.store import Corpus

ROOT = Path(__file__).resolve().parents[1]
INPUTS = [str(ROOT / "samples" / "wikinews-de.jsonl"), str(ROOT / "samples" / "seed-article.txt")]


def corpus(path: Path, n: int, offset: int = 0) -> Path:
    """``n`` articles: the sample repeated, every text with a numbered suffix (new content id, same work)."""
    base = [a for a in read_inputs(INPUTS) if isinstance(a, Article)]
    with open(path, "w", encoding="utf-8") as fh:
        for k in range(n):
            a = base[k % len(base)]
            fh.write(json.dumps({"text": f"{a.text}\n(Ausgabe {offset + k // len(base) + 1})", "title": a.title,
                                 "published": a.published, "source": a.source}, ensure_ascii=False) + "\n")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=2000)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="newsgraph-spark-bench-"))
    one = corpus(tmp / "corpus.jsonl", args.articles)
    two = [str(one), str(corpus(tmp / "corpus2.jsonl", args.articles, offset=1000))]
    rows: list[tuple[str, int, float]] = []

    pipeline = Pipeline()
    start = time.perf_counter()
    n = sum(isinstance(a, Article) for a in analyze_stream(read_inputs([str(one)]), pipeline))
    rows.append(("analysis only, 1 process (reference)", n, time.perf_counter() - start))

    for n_process in (1, 2):
        settings = load_settings({"n_process": n_process})
        with Corpus(tmp / f"ingest{n_process}.db") as store:
            start = time.perf_counter()
            summary = ingest([str(one)], store, settings=settings)
            rows.append((f"ingest --n-process {n_process}", summary.added, time.perf_counter() - start))

    startup: list[tuple[str, float]] = []
    for master, inputs, label in (("local[1]", [str(one)], "Spark local[1]"),
                                  ("local[2]", [str(one)], "Spark local[2]"),
                                  ("local[2]", two, "Spark local[2], twice the input")):
        start = time.perf_counter()
        spark = spark_session(master, app_name="newsgraph-bench")
        spark.sparkContext.parallelize([0], 1).count()  # the JVM and one Python worker are up
        startup.append((label, time.perf_counter() - start))
        out = tmp / "out"
        shutil.rmtree(out, ignore_errors=True)
        result = run(spark, inputs, out, partitions=4 * int(master[6:-1]))
        rows.append((label, result.articles, result.seconds))
        spark.stop()

    print(f"{args.articles} articles per corpus; machine: 2 cores\n")
    print("| way | articles | seconds | articles/s |")
    print("|---|---|---|---|")
    for label, count, seconds in rows:
        print(f"| {label} | {count:,} | {seconds:.1f} | {count / seconds:.2f} |")
    print("\n| Spark session start-up | seconds |")
    print("|---|---|")
    for label, seconds in startup:
        print(f"| {label} | {seconds:.1f} |")
    rate = {label: count / seconds for label, count, seconds in rows}
    reference = rate["analysis only, 1 process (reference)"]
    local1, local2 = rate["Spark local[1]"], rate["Spark local[2]"]
    print(f"\nlocal[2] / local[1] = {local2 / local1:.2f} (efficiency {local2 / local1 / 2:.2f}); "
          f"per-executor overhead of local[1] over analysis only: {reference / local1 - 1:+.1%}")
    hours = 1_000_000 / local1 / 3600
    print(f"1 million articles at the local[1] rate: {hours:.1f} executor-core-hours "
          f"({local1 * 3600:,.0f} articles per core-hour); Fundus: about 7 h for 1M CC-NEWS articles, "
          "extraction alone")
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
