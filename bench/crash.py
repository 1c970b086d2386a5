"""Crash safety: SIGKILL an ingest at random moments, check the database, resume, count lost and duplicated.

    python bench/crash.py [--trials 10] [--articles 121] [--seed 0]

Each trial ingests the first N sample articles into a new SQLite file with ``newsgraph ingest`` (batch size 4),
kills it with SIGKILL once a random number of articles are stored, runs SQLite's integrity check and FTS5's,
ingests again and counts. Prints one row per trial and the totals.
"""

from __future__ import annotations

import argparse
import random
import tempfile
from pathlib import Path

from newsgraph.store.crash_trial import crash_trial

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--trials", type=int, default=10)
    parser.add_argument("--articles", type=int, default=121)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    lines = (ROOT / "samples" / "wikinews-de.jsonl").read_text(encoding="utf-8").splitlines()[:args.articles]
    print("| trial | killed at | integrity | FTS | after resume | lost | duplicated |")
    print("|---:|---:|---|---|---:|---:|---:|")
    totals = {"lost": 0, "duplicated": 0, "bad": 0}
    with tempfile.TemporaryDirectory() as tmp:
        sample = Path(tmp) / "sample.jsonl"
        sample.write_text("\n".join(lines) + "\n", encoding="utf-8")
        for trial in range(1, args.trials + 1):
            r = crash_trial(Path(tmp) / f"t{trial}.db", [str(sample)], expected=len(lines),
                            kill_after=rng.randint(1, len(lines) - 1))
            ok = all(c["integrity"] == "ok" and c["fts"] == "ok" and c["fts_rows"] == c["articles"]
                     for c in (r["after_kill"], r["resumed"]))
            totals["lost"] += r["lost"]
            totals["duplicated"] += r["duplicated"]
            totals["bad"] += not ok
            print(f"| {trial} | {r['stored_at_kill'] if r['killed'] else 'finished'} | "
                  f"{r['after_kill']['integrity']} | {r['after_kill']['fts']} | {r['resumed']['articles']} | "
                  f"{r['lost']} | {r['duplicated']} |")
    print(f"\n{args.trials} trials, {len(lines)} articles each: {totals['bad']} inconsistent databases, "
          f"{totals['lost']} lost, {totals['duplicated']} duplicated")


if __name__ == "__main__":
    main()
