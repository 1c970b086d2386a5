"""Fuzz every reader and the pipeline with generated hostile input; count what escapes.

    python bench/fuzz.py [--inputs 100000] [--seed 0] [--hang-seconds 15]

Inputs are made by mutating valid text, HTML, RSS/Atom, WARC and JSONL files (byte flips, deletions, inserted
markup, NUL, surrogates, deep nesting, punctuation runs, truncation, gzip damage) and JSONL records with extreme or
impossible publication dates and texts that count back past year 1, one file per input; one input in a hundred is
a JSONL record with one very large field (100,000-character title, source, URL or meta, or an endless sentence
full of speech cues). Damaged and read-only stores are bench/faults.py's. Each is
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
HUGE_SHARE = 0.01  # of the inputs: one JSON Lines record with a very large field (each takes seconds)
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


# Publication dates no calendar holds, or that are not dates at all, and texts that count back past year 1.
EXTREME_DATES = ["9999-12-31", "0001-01-01", "2025-02-30", "-0044-03-15", "1e20", "", "+275760-09-13",
                 "2025-02-13T25:61:00", "9999-12-31T23:59:59+14:00", "0000-00-00", "31.02.2025", "Thu, 31 Feb 2025"]
BC_TEXT = ("Vor 2900 Jahren gründeten Siedler die Stadt, sagte die Archäologin am Mittwoch. In 8000 Jahren, "
           "nächstes Jahr und übermorgen wird gegraben. ")


def dated_records() -> bytes:
    return "\n".join(json.dumps({"text": (BC_TEXT + TEXT[:300]) if i % 2 else TEXT[:600], "published": d,
                                  "title": f"D{i}"}) for i, d in enumerate(EXTREME_DATES)).encode()


def huge_record(rng: random.Random) -> bytes:
    """One JSON Lines record with one very large field (a title, source, URL or meta of 100,000 characters, or
    a text that is one endless sentence full of speech cues)."""
    n = 100_000
    record: dict[str, object] = {"text": TEXT[:800]}
    field = rng.choice(["title", "source", "url", "meta", "sentence", "quotes"])
    if field == "meta":
        record["meta"] = {f"k{i}": "v" * 10 for i in range(n // 14)}
    elif field == "sentence":
        record["text"] = "und Merkel sagte, " * (n // 18)
    elif field == "quotes":
        record["text"] = "„Ja“, sagte er. " * (n // 16)
    else:
        record[field] = "Trump sagt " * (n // 11)
    return json.dumps(record).encode()


def seeds() -> dict[str, tuple[str, bytes]]:
    jsonl = "\n".join(json.dumps({"text": TEXT[i:i + 400], "title": f"T{i}"}) for i in range(0, 2000, 400))
    return {"text": ("x.txt", TEXT.encode()), "times": ("t.txt", (TIMES * 3).encode()),
            "html": ("x.html", HTML.encode()), "feed": ("x.rss", RSS.encode()),
            "warc": ("x.warc.gz", warc(HTML)), "jsonl": ("x.jsonl", jsonl.encode()),
            "jsonl.gz": ("x.jsonl.gz", gzip.compress(jsonl.encode())), "dates": ("d.jsonl", dated_records())}


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
    # the article budget (10 s of CPU time) ends a costly input near 10 s; a hang is an input the budget did not end
    parser.add_argument("--hang-seconds", type=float, default=15.0)
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
            kind = "huge" if rng.random() < HUGE_SHARE else rng.choice(list(base))
            name, data = ("h.jsonl", huge_record(rng)) if kind == "huge" else base[kind]
            path = Path(tmp) / f"{n}-{name}"
            path.write_bytes(data if kind == "huge" else mutate(data, rng))
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
