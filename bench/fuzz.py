"""Fuzz every reader and the pipeline with generated hostile input; count what escapes.

    python bench/fuzz.py [--inputs 100000] [--seed 0] [--hang-seconds 10]

Inputs are made by mutating valid text, HTML, RSS/Atom, WARC and JSONL files (byte flips, deletions, inserted
markup, NUL, surrogates, deep nesting, punctuation runs, truncation, gzip damage), one file per input. Each is
read, analysed with the default pipeline and stored in one SQLite corpus. Prints: inputs per format, stored,
failures by code, crashes (an exception escaped), hangs (an input took longer than --hang-seconds), lost (an
input that yielded neither an article nor a failure) and duplicated (an article stored twice).
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import random
import tempfile
import time
from collections import Counter
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsgraph.ingest import read_inputs
from newsgraph.model import Article, Failure
from newsgraph.pipeline import Pipeline, analyze_stream
from newsgraph.store import Corpus

ROOT = Path(__file__).resolve().parents[1]
TEXT = (ROOT / "samples" / "seed-article.txt").read_text(encoding="utf-8")
HTML = (f"<html><head><title>Telefonat</title><meta property='article:published_time' content='2025-02-13'>"
        f"</head><body><nav><a href='/'>Start</a></nav><article><h1>Telefonat</h1><p>{TEXT[:1500]}</p>"
        "</article></body></html>")
RSS = (f"<?xml version='1.0'?><rss version='2.0'><channel><title>T</title><item><title>Eins</title>"
       f"<link>https://example.org/a</link><description>&lt;p&gt;{TEXT[:600]}&lt;/p&gt;</description></item>"
       "</channel></rss>")
# A dated agency text dense with time expressions, for the dateline and times stages.
TIMES = ("BERLIN, 12. Februar 2025 (dpa) – Am Mittwoch telefonierte Merz mit Macron; am Freitag um 20.30 Uhr wird "
         "er nach Paris reisen. Seit Monaten, vor drei Tagen, Mitte März, Anfang der 1990er-Jahre, jeden Montag, "
         "zweimal pro Woche, Ostern 2025, 27./28. September 1939, Mai/Juni 1940, 14.30-18 Uhr, zwei Tage später. ")
INSERTS = [b"<", b">", b"&", b"\x00", b"\xff\xfe", b"\xed\xa0\x80", b"<div>" * 50, b"]]>", b"<!--", b"&#0;",
           b"!" * 5000, "😀".encode() * 500, b"\\ud800", b"[" * 3000, b'{"text":', b"\r\n", b"\xe2\x80\xae",
           b"am Mittwoch " * 2000, b"12.3." * 1000, b"im Mai 31. Februar 1.9.39 vor " * 500]


def warc(html: str) -> bytes:
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True)
    headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
    writer.write_record(writer.create_warc_record("https://example.org/a", "response",
                                                  payload=io.BytesIO(html.encode()), http_headers=headers))
    return buf.getvalue()


def seeds() -> dict[str, tuple[str, bytes]]:
    jsonl = "\n".join(json.dumps({"text": TEXT[i:i + 400], "title": f"T{i}"}) for i in range(0, 2000, 400))
    return {"text": ("x.txt", TEXT.encode()), "times": ("t.txt", (TIMES * 3).encode()),
            "html": ("x.html", HTML.encode()), "feed": ("x.rss", RSS.encode()),
            "warc": ("x.warc.gz", warc(HTML)), "jsonl": ("x.jsonl", jsonl.encode()),
            "jsonl.gz": ("x.jsonl.gz", gzip.compress(jsonl.encode()))}


def mutate(data: bytes, rng: random.Random) -> bytes:
    b = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        op, pos = rng.random(), rng.randrange(max(1, len(b)))
        if op < 0.3 and b:
            b[pos] = rng.randrange(256)
        elif op < 0.5 and b:
            del b[pos:pos + rng.randint(1, 50)]
        elif op < 0.85:
            b[pos:pos] = rng.choice(INSERTS)
        else:
            del b[pos:]  # truncation
    return bytes(b)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--inputs", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--hang-seconds", type=float, default=10.0)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    pipeline = Pipeline()
    pipeline.warm_up()
    formats, codes = Counter[str](), Counter[str]()
    stored = crashes = hangs = lost = 0
    slowest = 0.0
    start = time.perf_counter()
    base = seeds()
    with tempfile.TemporaryDirectory() as tmp, Corpus(Path(tmp) / "fuzz.db") as corpus:
        for n in range(args.inputs):
            kind = rng.choice(list(base))
            name, data = base[kind]
            path = Path(tmp) / f"{n}-{name}"
            path.write_bytes(mutate(data, rng))
            formats[kind] += 1
            began = time.perf_counter()
            try:
                results = list(analyze_stream(read_inputs([str(path)]), pipeline))
                articles = [r for r in results if isinstance(r, Article)]
                failures = [r for r in results if isinstance(r, Failure)]
                stored += corpus.add(articles).added
                corpus.record_failures(failures)
                codes.update(f.code for f in failures)
                if not results:
                    lost += 1
                    print(f"lost: {path.name} ({path.stat().st_size} bytes): {path.read_bytes()[:80]!r}")
            except Exception as exc:  # what the bench counts: anything that escapes is a crash
                crashes += 1
                print(f"crash on {path.name}: {type(exc).__name__}: {exc}")
            took = time.perf_counter() - began
            slowest = max(slowest, took)
            hangs += took > args.hang_seconds
            path.unlink()
        ids = corpus.conn.execute("SELECT COUNT(*) - COUNT(DISTINCT id) FROM articles").fetchone()[0]
    seconds = time.perf_counter() - start
    print(f"| inputs | {args.inputs:,} ({', '.join(f'{k} {v:,}' for k, v in sorted(formats.items()))}) |")
    print("|---|---|")
    print(f"| stored articles | {stored:,} |")
    print(f"| failures | {sum(codes.values()):,} ({', '.join(f'{k} {v:,}' for k, v in sorted(codes.items()))}) |")
    print(f"| crashes | {crashes} |")
    print(f"| hangs (> {args.hang_seconds:g} s) | {hangs} (slowest input {slowest:.2f} s) |")
    print(f"| lost | {lost} |")
    print(f"| duplicated | {ids} |")
    print(f"| time | {seconds:,.0f} s ({args.inputs / seconds:,.1f} inputs/s) |")


if __name__ == "__main__":
    main()
