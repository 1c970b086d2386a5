"""Real news pages read whole: main-text fragments, lead, title, authors, publisher and date.

    python bench/pages.py [--limit N]

Set 1, ``../shared/data/web/trafilatura-eval-de`` (499 saved German-language pages with fragments the main text
must and must not contain), scored as upstream scores it: title and text together, a ``with`` fragment found is a
true positive, a ``without`` fragment found a false positive. newsgraph's HTML reader beside plain
``trafilatura.extract`` (default and ``favor_recall``). trafilatura is tuned on these pages: a floor, not an
estimate.

Set 2, ``tests/gold/pages-de.jsonl`` (pages of set 1 read by hand): lead kept (its fragment in the text, once),
title exact, authors exact (as a set), publisher right, date right (the day), pages failed.
"""

from __future__ import annotations

import argparse
import gzip
import json
from pathlib import Path
from typing import Any

import trafilatura

from newsgraph.errors import NewsgraphError
from newsgraph.evaluation.data_paths import shared_data_dir
from newsgraph.ingest.html import article_from_html

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "tests" / "gold" / "pages-de.jsonl"


def page_html(folder: Path, entry: dict[str, Any]) -> str:
    data = gzip.decompress((folder / "pages" / entry["file"]).read_bytes())
    return data.decode("utf-8", errors="replace")


def newsgraph_text(html: str, url: str) -> str:
    try:
        article = article_from_html(html, url, url=url, max_chars=10_000_000)
    except NewsgraphError:
        return ""
    return f"{article.title or ''}\n{article.text}"


def trafilatura_text(html: str, url: str, **options: Any) -> str:
    return trafilatura.extract(html, url=url, with_metadata=False, **options) or ""


def fragment_scores(folder: Path, expected: dict[str, Any], read: Any) -> dict[str, float]:
    tp = fn = fp = tn = 0
    for url, entry in expected.items():
        text = " ".join(read(page_html(folder, entry), url).split())
        for fragment in entry.get("with", []):
            found = " ".join(fragment.split()) in text
            tp, fn = tp + found, fn + (not found)
        for fragment in entry.get("without", []):
            found = " ".join(fragment.split()) in text
            fp, tn = fp + found, tn + (not found)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "accuracy": (tp + tn) / max(1, tp + fn + fp + tn)}


def gold_scores(folder: Path, expected: dict[str, Any]) -> dict[str, str]:
    rows = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]
    counts = {"lead": [0, 0], "title": [0, 0], "authors": [0, 0], "publisher": [0, 0], "date": [0, 0]}
    failed = 0
    for gold in rows:
        try:
            a = article_from_html(page_html(folder, expected[gold["url"]]), gold["url"], url=gold["url"],
                                  max_chars=10_000_000)
        except NewsgraphError:
            failed += 1
            continue
        text = " ".join(a.text.split())
        if gold.get("lead"):
            counts["lead"][1] += 1
            counts["lead"][0] += text.count(" ".join(gold["lead"].split())) == 1
        checks = {"title": a.title == gold["title"], "authors": set(a.authors) == set(gold["authors"]),
                  "publisher": a.source == gold["publisher"],
                  "date": (a.published or "")[:10] == gold["published"] if gold.get("published") else None}
        for name, ok in checks.items():
            if ok is not None:  # no date read from the page by hand: not counted
                counts[name][1] += 1
                counts[name][0] += ok
    out = {name: f"{right / total:.3f} ({right}/{total})" if total else "-" for name, (right, total) in counts.items()}
    out["pages failed"] = str(failed)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--limit", type=int, default=None, help="pages of set 1 (for a quick look; 0: set 2 only)")
    args = parser.parse_args()
    folder = shared_data_dir() / "web" / "trafilatura-eval-de"
    expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    if args.limit is not None:
        expected = dict(list(expected.items())[:args.limit])
    print(f"Set 1: trafilatura-eval-de, {len(expected)} pages, title + text, fragments as upstream scores them")
    print("| reader | precision | recall | F1 | accuracy |")
    print("|---|---:|---:|---:|---:|")
    readers = {"newsgraph (article_from_html)": newsgraph_text, "trafilatura.extract": trafilatura_text,
               "trafilatura.extract favor_recall": lambda h, u: trafilatura_text(h, u, favor_recall=True)}
    for name, read in readers.items() if expected else ():
        s = fragment_scores(folder, expected, read)
        print(f"| {name} | {s['precision']:.3f} | {s['recall']:.3f} | {s['f1']:.3f} | {s['accuracy']:.3f} |")
    if GOLD.exists():
        full = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
        scores = gold_scores(folder, full)
        print(f"\nSet 2: {GOLD.relative_to(ROOT)}, news pages read by hand")
        print("| " + " | ".join(scores) + " |")
        print("|" + "---:|" * len(scores))
        print("| " + " | ".join(scores.values()) + " |")


if __name__ == "__main__":
    main()
