"""``newsgraph spark run``: the project's readers and pipeline on Apache Spark, writing the export's Parquet tables.

The job: list the input files (JSONL(.gz), WARC(.gz); local paths or Hadoop URIs) → read each file record by
record (``partitions.read_input``) → keep one copy per content id → spread the articles over ``partitions``
tasks → analyse (``partitions.analyse_partition``: models load once per executor process) → write every table
of ``export --format parquet`` under the output folder, partitioned by publication month, plus ``documents``
(the whole Article JSON, in input order) for ``newsgraph load`` and ``failures``.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsgraph.errors import MissingExtra, UsageError
from newsgraph.scale import partitions as part
from newsgraph.settings import load_settings
from newsgraph.store.manifest import MANIFEST, write_manifest
from newsgraph.store.tables import TABLES

ARTICLE_TABLES = tuple(t for t in TABLES if t != "failures")


@dataclass
class SparkRunSummary:
    inputs: int = 0
    articles: int = 0
    duplicates: int = 0
    failures: int = 0
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def spark_session(master: str | None = None, app_name: str = "newsgraph") -> Any:
    """A SparkSession (``master`` such as ``local[2]``; None: whatever spark-submit configured)."""
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:
        raise MissingExtra("pyspark", "spark", needed_for="newsgraph spark") from exc
    builder = SparkSession.builder.appName(app_name)
    if master:
        builder = builder.master(master)
    # Python workers are reused across tasks, so each keeps its loaded pipeline (executor_pipeline)
    builder = builder.config("spark.python.worker.reuse", "true").config("spark.ui.showConsoleProgress", "false")
    return builder.getOrCreate()


def list_inputs(uris: Sequence[str]) -> list[str]:
    """Local folders expand to the JSONL and WARC files under them (sorted, as ``ingest`` reads them); files and
    remote URIs stay as given."""
    out: list[str] = []
    for uri in uris:
        path = part.local_path(uri)
        if path is not None and path.is_dir():
            out += [str(p) for p in sorted(path.rglob("*")) if p.is_file()
                    and p.name.lower().endswith((".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz", ".warc",
                                                 ".warc.gz"))]
        else:
            out.append(uri)
    if not out:
        raise UsageError("no input files", hint="give JSONL or WARC files, folders holding them, or s3a:// / hdfs:// URIs")
    return out


def from_json(column: str, schema: Any) -> Any:
    from pyspark.sql import functions

    return functions.from_json(column, schema)


def _schema(table: str, with_month: bool) -> Any:
    from pyspark.sql.types import DoubleType, LongType, StringType, StructField, StructType

    types = {"int64": LongType(), "double": DoubleType(), "string": StringType()}
    fields = [StructField(name, types[kind]) for name, kind in TABLES[table]]
    return StructType(fields + ([StructField("month", StringType())] if with_month else []))


def run(spark: Any, inputs: Sequence[str], output: Path | str, *, partitions: int | None = None,
        settings: dict[str, Any] | None = None) -> SparkRunSummary:
    """Analyse ``inputs`` on ``spark`` and write the tables under ``output`` (replaced if it exists)."""
    started = time.perf_counter()
    cfg = settings or load_settings()
    sc = spark.sparkContext
    files = list_inputs(inputs)
    n = partitions or sc.defaultParallelism
    out = str(output)
    summary = SparkRunSummary(inputs=len(files))
    local = None if "://" in out else Path(out)
    if local is not None:  # until the new manifest is written, the folder is not a complete set of tables
        (local / MANIFEST).unlink(missing_ok=True)

    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    read = sc.parallelize(list(enumerate(files)), min(len(files), max(n, 1))) \
        .flatMap(lambda f: part.read_input(f, cfg)).cache()
    unreadable = read.filter(lambda kv: kv[0] == "").map(lambda kv: part.failure_row(json.loads(kv[1]), now))
    copies = read.filter(lambda kv: kv[0] != "")
    unique = copies.reduceByKey(part.first_in_order, numPartitions=n).values().cache()
    analysed = unique.mapPartitions(lambda records: part.analyse_partition(records, now, cfg))
    unreadable_rows = unreadable.map(lambda row: ("failures", row))
    # one pass through Python; the JVM then splits the rows by table and parses them (cached, columnar)
    rows = spark.createDataFrame(analysed.union(unreadable_rows), "table string, row string").cache()

    for table in (*ARTICLE_TABLES, "failures"):
        parsed = rows.where(rows["table"] == table).select(from_json("row", _schema(table, table != "failures"))
                                                          .alias("r")).select("r.*")
        if table == "documents":
            # in input order, unpartitioned: newsgraph load adds them in the order ingest would
            parsed.drop("month").orderBy("order").write.mode("overwrite").parquet(f"{out}/{table}")
        elif table == "failures":
            parsed.coalesce(1).write.mode("overwrite").parquet(f"{out}/{table}")
        else:
            # one shuffle so that each month is one file, not one small file per task and month
            parsed.repartition("month").write.mode("overwrite").partitionBy("month").parquet(f"{out}/{table}")
    counted = {r["table"]: r["count"] for r in rows.groupBy("table").count().collect()}
    summary.rows = {table: counted.get(table, 0) for table in (*ARTICLE_TABLES, "failures")}
    summary.articles = summary.rows["articles"]
    summary.failures = summary.rows["failures"]
    summary.duplicates = copies.count() - unique.count()
    for cached in (read, unique, rows):
        cached.unpersist()
    if local is not None:
        import pyarrow.parquet as pq

        write_manifest(local, lambda p: int(pq.ParquetFile(p).metadata.num_rows))
    summary.seconds = time.perf_counter() - started
    return summary
