"""Damaged, truncated, zero-length and read-only stores through every command: coded errors, never tracebacks.

    python bench/faults.py [--articles 8]

Builds a small corpus from the sample articles, then for each damage (a copy of the corpus truncated to a third,
overwritten with random bytes, emptied, 8 KB garbled in the middle, its folder or the file made read-only) runs
every CLI command that opens the store, each on a fresh damaged copy, in a child process (read-only cases without
root's permission override), and classifies the outcome: ok (exit 0), coded (one NGxxx line), uncoded (failed
without a code), traceback, or running (``serve`` still serving after 20 s: right only for read-only stores).
Prints one row per damage, the outcomes that were neither coded errors nor successes, and the totals;
``--verbose`` prints every command's last line.
"""

from __future__ import annotations

import argparse
import tempfile
from collections import Counter
from pathlib import Path

from newsgraph.batch import ingest
from newsgraph.evaluation.faults import DAMAGES, commands, damaged_copy, run_command
from newsgraph.settings import load_settings
from newsgraph.store import Corpus

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=8)
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    lines = (ROOT / "samples" / "wikinews-de.jsonl").read_text(encoding="utf-8").splitlines()[:args.articles]
    with tempfile.TemporaryDirectory() as tmp:
        inputs = Path(tmp) / "sample.jsonl"
        inputs.write_text("\n".join(lines) + "\n", encoding="utf-8")
        good = Path(tmp) / "good.db"
        with Corpus(good) as corpus:
            ingest([str(inputs)], corpus, settings=load_settings({"article_time_budget": 0}))
        out = Path(tmp) / "out"
        out.mkdir()
        out.chmod(0o777)
        totals: Counter[str] = Counter()
        bad: list[str] = []
        print("| damage | commands | ok | coded error | serve running | uncoded | traceback |")
        print("|---|---:|---:|---:|---:|---:|---:|")
        for damage, (_apply, read_only) in DAMAGES.items():
            folder = Path(tmp) / damage.replace(" ", "-")
            kinds: Counter[str] = Counter()
            for name, argv in commands(folder / "corpus.db", inputs, out).items():
                damaged_copy(good, folder, damage)
                outcome = run_command(name, argv, read_only=read_only, timeout=20 if name == "serve" else 300)
                kinds[outcome.kind] += 1
                wrong = outcome.kind in ("traceback", "uncoded") or (outcome.kind == "running" and not read_only)
                if wrong or args.verbose:
                    bad.append(f"{damage} / {name}: {outcome.kind}, exit {outcome.exit_code}: {outcome.message}")
            totals.update(kinds)
            print(f"| {damage} | {sum(kinds.values())} | {kinds['ok']} | {kinds['coded']} | {kinds['running']} "
                  f"| {kinds['uncoded']} | {kinds['traceback']} |")
        print(f"| **all** | {sum(totals.values())} | {totals['ok']} | {totals['coded']} | {totals['running']} "
              f"| {totals['uncoded']} | {totals['traceback']} |")
        for line in bad:
            print(f"- {line}")


if __name__ == "__main__":
    main()
