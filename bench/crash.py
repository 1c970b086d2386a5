"""Crash safety: SIGKILL every writing command at random moments, check what it leaves, run it again, compare.

    python bench/crash.py [--trials 10] [--articles 121] [--seed 0] [--commands all]

``ingest``: each trial ingests the first N sample articles into a new SQLite file (batch size 4), is killed once a
random number of articles are stored, and is run again: integrity and FTS checks after the kill and after the
rerun, articles lost and duplicated.

The other writing commands run on a corpus of those articles: ``ingest --reanalyze``, ``entities rebuild``,
``stories --rebuild``, ``load`` (of a Parquet export), ``export --format parquet`` (over an earlier export) and
``export --out FILE`` (JSONL). Each is first run uninterrupted for its reference result and time, then killed at
a random moment within that time, checked and run again: the store must pass both checks and read back exactly
as the uninterrupted run left it (a digest of every article, entity key and story); an export folder must hold
a complete set of tables (its manifest checks) and load whole; an export file must be complete.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from newsgraph.errors import NewsgraphError
from newsgraph.store import Corpus
from newsgraph.store.crash_trial import crash_trial, digest, kill_trial, run_to_end
from newsgraph.store.manifest import check_manifest

ROOT = Path(__file__).resolve().parents[1]
ENV = {"NEWSGRAPH_BATCH_SIZE": "4", "NEWSGRAPH_ARTICLE_TIME_BUDGET": "0"}


def ingest_trials(tmp: Path, sample: Path, expected: int, trials: int, rng: random.Random) -> int:
    print("| trial | killed at | integrity | FTS | after resume | lost | duplicated |")
    print("|---:|---:|---|---|---:|---:|---:|")
    bad = 0
    for trial in range(1, trials + 1):
        r = crash_trial(tmp / f"t{trial}.db", [str(sample)], expected=expected, kill_after=rng.randint(1, expected - 1))
        ok = all(c["integrity"] == "ok" and c["fts"] == "ok" and c["fts_rows"] == c["articles"]
                 for c in (r["after_kill"], r["resumed"]))
        bad += (not ok) + r["lost"] + r["duplicated"]
        print(f"| {trial} | {r['stored_at_kill'] if r['killed'] else 'finished'} | {r['after_kill']['integrity']} | "
              f"{r['after_kill']['fts']} | {r['resumed']['articles']} | {r['lost']} | {r['duplicated']} |")
    return bad


def _consistent(db: Path) -> bool:
    with Corpus(db) as corpus:
        c = corpus.check()
    return bool(c["integrity"] == "ok" and c["fts"] == "ok" and c["fts_rows"] == c["articles"])


def _store_command(argv: Callable[[Path], list[str]]) -> Callable[[Path, Path], tuple[list[str], Callable[[], str]]]:
    """A command that changes the store: checked by the store's consistency and digest."""
    def setup(base: Path, work: Path) -> tuple[list[str], Callable[[], str]]:
        db = work / "c.db"
        shutil.copyfile(base, db)
        return argv(db), lambda: digest(db) if _consistent(db) else "inconsistent"
    return setup


def _load(base: Path, work: Path, tables: Path) -> tuple[list[str], Callable[[], str]]:
    db = work / "loaded.db"
    return ["load", str(tables), "--db", str(db)], lambda: digest(db) if _consistent(db) else "inconsistent"


def _export_parquet(base: Path, work: Path, tables: Path) -> tuple[list[str], Callable[[], str]]:
    out = work / "tables"
    shutil.copytree(tables, out)  # an earlier export, to be replaced

    def state() -> str:
        try:
            manifest = check_manifest(out)
        except NewsgraphError as exc:
            return f"incomplete: {exc.message}"
        return json.dumps({k: v["rows"] for k, v in sorted(manifest["files"].items())})
    return ["export", "--format", "parquet", "--out", str(out), "--db", str(base)], state


def _export_file(base: Path, work: Path, _tables: Path) -> tuple[list[str], Callable[[], str]]:
    out = work / "articles.jsonl"
    shutil.copyfile(work.parent / "reference.jsonl", out)  # an earlier export, to be replaced

    def state() -> str:
        try:
            lines = out.read_text(encoding="utf-8").splitlines()
            return str(len([json.loads(line)["id"] for line in lines]))
        except (OSError, ValueError, KeyError) as exc:
            return f"incomplete: {exc}"
    return ["export", "--out", str(out), "--db", str(base)], state


def command_trials(tmp: Path, sample: Path, base: Path, trials: int, rng: random.Random, names: list[str]) -> int:
    tables = tmp / "reference-tables"
    run_to_end(["export", "--format", "parquet", "--out", str(tables), "--db", str(base)])
    run_to_end(["export", "--out", str(tmp / "reference.jsonl"), "--db", str(base)])
    setups: dict[str, Callable[[Path, Path], tuple[list[str], Callable[[], str]]]] = {
        "ingest --reanalyze": _store_command(lambda db: ["ingest", str(sample), "--reanalyze", "--db", str(db)]),
        "entities rebuild": _store_command(lambda db: ["entities", "rebuild", "--db", str(db)]),
        "stories --rebuild": _store_command(lambda db: ["stories", "--rebuild", "--db", str(db)]),
        "load": lambda b, w: _load(b, w, tables),
        "export --format parquet": lambda b, w: _export_parquet(b, w, tables),
        "export --out FILE": lambda b, w: _export_file(b, w, tables),
    }
    print("\n| command | uninterrupted (s) | trials | killed | consistent after kill | rerun identical |")
    print("|---|---:|---:|---:|---:|---:|")
    bad = 0
    for name, setup in setups.items():
        if names != ["all"] and name not in names:
            continue
        work = tmp / "reference"
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir()
        argv, state = setup(base, work)
        began = time.monotonic()
        if run_to_end(argv, env=ENV) != 0:
            raise SystemExit(f"{name} failed uninterrupted: newsgraph {' '.join(argv)}")
        took, reference = time.monotonic() - began, state()
        killed = consistent = identical = 0
        for trial in range(trials):
            work = tmp / f"{name.replace(' ', '_')}-{trial}"
            work.mkdir()
            argv, state = setup(base, work)
            killed += kill_trial(argv, after=rng.uniform(0.2, took), env=ENV)
            after = state()
            consistent += not after.startswith(("inconsistent", "incomplete"))
            run_to_end(argv, env=ENV)
            identical += state() == reference
            shutil.rmtree(work, ignore_errors=True)
        bad += (trials - consistent) + (trials - identical)
        print(f"| {name} | {took:.1f} | {trials} | {killed} | {consistent} | {identical} |")
    return bad


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--trials", type=int, default=10)
    parser.add_argument("--articles", type=int, default=121)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--commands", default="all", help="comma-separated: ingest and the names in the table, or all")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    names = [n.strip() for n in args.commands.split(",")]
    lines = (ROOT / "samples" / "wikinews-de.jsonl").read_text(encoding="utf-8").splitlines()[:args.articles]
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        sample = tmp / "sample.jsonl"
        sample.write_text("\n".join(lines) + "\n", encoding="utf-8")
        bad = 0
        if names == ["all"] or "ingest" in names:
            bad += ingest_trials(tmp, sample, len(lines), args.trials, rng)
        if names == ["all"] or set(names) - {"ingest"}:
            base = tmp / "base.db"
            run_to_end(["ingest", str(sample), "--db", str(base)], env=ENV)
            bad += command_trials(tmp, sample, base, args.trials, rng, names)
    print(f"\n{bad} problems (inconsistent stores, incomplete exports, lost or duplicated articles, reruns that "
          "differ from the uninterrupted run)")


if __name__ == "__main__":
    main()
