"""Load: 20 clients read and analyse over HTTP while an ingest writes into the same corpus.

    python bench/load.py [--clients 20] [--seconds 30] [--burst 30] [--burst-chars 50000]

Builds a corpus from the sample, starts ``newsgraph serve`` on a free loopback port, starts ``newsgraph ingest``
of a second copy of the sample into the same file, and runs the clients for a bounded time: each sends, in
turn, GET /api/search, GET /articles/{id} (the HTML page) and POST /api/analyze. Prints requests, requests/s
and p50 / p95 / p99 latency per kind, errors (failed requests and 5xx other than 503; "database is locked"
among them), requests shed with 503 NG308 (the analysis queue was full) and the server's peak RSS.

Then, with ``--burst N`` (default 30), the article time budget under a flood: N clients send POST /api/analyze
of a --burst-chars text at once, each waiting as long as it takes. Prints how many were answered (200), shed at
once (503 NG308: the queue was full) and timed out (503 NG105: past the budget), and the slowest answer. The
budget counts CPU time from when an analysis starts, so an analysis that waits in the queue is not timed out.
"""

from __future__ import annotations

import argparse
import json
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

import httpx

from newsgraph.batch import ingest
from newsgraph.settings import load_settings
from newsgraph.store import Corpus

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "wikinews-de.jsonl"
WORDS = ["Putin", "Trump", "Regierung", "Berlin", "Wahl", "Polizei", "Ukraine", "sagte", "Präsident", "Gericht"]
TEXT = "Der Kreml bestätigte das Gespräch am Mittwoch. Trump sagte, es sei sehr produktiv gewesen."


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 else values[0]


def burst(base: str, n: int, chars: int) -> None:
    texts = [json.loads(line)["text"] for line in SAMPLE.read_text(encoding="utf-8").splitlines()]
    long_text = ""
    while len(long_text) < chars:
        long_text += texts[len(long_text) % len(texts)] + "\n\n"
    outcomes: dict[str, int] = defaultdict(int)
    slowest = [0.0]
    lock = threading.Lock()

    def one(k: int) -> None:
        began = time.perf_counter()
        try:
            r = httpx.post(f"{base}/api/analyze", json={"text": f"{long_text[:chars]} ({k})"}, timeout=900)
            kind = "answered" if r.status_code == 200 else str(r.json()["error"]["code"])
        except (httpx.HTTPError, ValueError, KeyError) as exc:
            kind = type(exc).__name__
        with lock:
            outcomes[kind] += 1
            if kind == "answered":
                slowest[0] = max(slowest[0], time.perf_counter() - began)

    threads = [threading.Thread(target=one, args=(k,)) for k in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print(f"\n{n} parallel POST /api/analyze of {chars:,} characters each (article_time_budget 10 s of CPU time)")
    print("| answered | shed (503 NG308) | timed out (503 NG105) | other | slowest answer (s) |")
    print("|---:|---:|---:|---:|---:|")
    other = sum(v for k, v in outcomes.items() if k not in ("answered", "NG308", "NG105"))
    print(f"| {outcomes['answered']} | {outcomes['NG308']} | {outcomes['NG105']} | {other} | {slowest[0]:.1f} |")
    for kind, count in outcomes.items():
        if kind not in ("answered", "NG308", "NG105"):
            print(f"other: {kind} x{count}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--burst", type=int, default=30, help="parallel large analyses after the load (0: none)")
    parser.add_argument("--burst-chars", type=int, default=50_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "load.db"
        with Corpus(db) as corpus:
            ingest([str(SAMPLE)], corpus, settings=load_settings())
            ids = [a.id for a in corpus.iter_articles()]
        copy = Path(tmp) / "copy.jsonl"
        copy.write_text("\n".join(json.dumps({"text": json.loads(line)["text"] + " (Kopie)"})
                                  for line in SAMPLE.read_text(encoding="utf-8").splitlines()) + "\n", encoding="utf-8")
        port = free_port()
        server = subprocess.Popen([sys.executable, "-m", "newsgraph.interfaces.cli.main", "serve", "--db", str(db),
                                   "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(300):
                try:
                    if httpx.get(f"{base}/api/articles", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.1)
            writer = subprocess.Popen([sys.executable, "-m", "newsgraph.interfaces.cli.main", "ingest", "--db",
                                       str(db), str(copy)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            latencies: dict[str, list[float]] = defaultdict(list)
            errors: dict[str, list[str]] = defaultdict(list)
            shed: dict[str, int] = defaultdict(int)
            lock = threading.Lock()
            deadline = time.monotonic() + args.seconds

            def client(n: int) -> None:
                with httpx.Client(base_url=base, timeout=60) as http:
                    i = n
                    while time.monotonic() < deadline:
                        kind = ("search", "article page", "analyze")[i % 3]
                        began = time.perf_counter()
                        try:
                            if kind == "search":
                                r = http.get("/api/search", params={"q": WORDS[i % len(WORDS)]})
                            elif kind == "article page":
                                r = http.get(f"/articles/{ids[i % len(ids)]}")
                            else:
                                r = http.post("/api/analyze", json={"text": f"{TEXT} ({i})"})
                            took = time.perf_counter() - began
                            with lock:
                                if r.status_code == 503 and "NG308" in r.text:
                                    shed[kind] += 1
                                elif r.status_code >= 500 or "locked" in r.text:
                                    errors[kind].append(f"{r.status_code} {r.text[:80]}")
                                else:
                                    latencies[kind].append(took)
                        except httpx.HTTPError as exc:
                            with lock:
                                errors[kind].append(type(exc).__name__)
                        i += 1

            threads = [threading.Thread(target=client, args=(n,)) for n in range(args.clients)]
            start = time.monotonic()
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            elapsed = time.monotonic() - start
            writer.wait(timeout=600)
            rss = peak_rss_mb(server.pid)
            if args.burst:
                burst(base, args.burst, args.burst_chars)
        finally:
            server.terminate()
            server.wait(timeout=30)
        with Corpus(db, readonly=True) as corpus:
            stored = corpus.count()
    print(f"{args.clients} clients for {elapsed:.0f} s against newsgraph serve while newsgraph ingest added "
          f"articles ({stored} stored at the end); server peak RSS {rss:.0f} MB")
    print("| kind | answered | req/s | p50 ms | p95 ms | p99 ms | errors | shed (503 NG308) |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for kind in ("search", "article page", "analyze"):
        lat = [1000 * x for x in latencies[kind]] or [float("nan")]
        print(f"| {kind} | {len(latencies[kind])} | {len(latencies[kind]) / elapsed:.1f} | {percentile(lat, 50):.0f} | "
              f"{percentile(lat, 95):.0f} | {percentile(lat, 99):.0f} | {len(errors[kind])} | {shed[kind]} |")
    for kind, messages in errors.items():
        for message in sorted(set(messages))[:3]:
            print(f"error ({kind}): {message}")


if __name__ == "__main__":
    main()
