"""Build the bundled sample corpus from German Wikinews texts in news-quotation-2024 *train*.

    python scripts/build_sample.py            # writes samples/wikinews-de.jsonl (120 articles)

Only the article texts are used (Wikinews, CC BY 2.5); the dataset's annotations (CC BY-NC-SA) are not.
Title and publication date come from the dataset's file names: "<id> - <title> (<YYYY-MM-DD>).pretty.json".
"""

from __future__ import annotations

import json
import random
import re
import sys
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
from newsgraph.evaluation.data_paths import shared_data_dir

NAME = re.compile(r"^(?P<wid>\d+) - (?P<title>.+) \((?P<date>\d{4}-\d{2}-\d{2})\)\.pretty\.json$")
N_ARTICLES = 120
SEED = 0


def main() -> None:
    train = shared_data_dir() / "statements/news-quotation-2024/data/train"
    files = sorted(p for p in train.glob("*.json") if NAME.match(p.name))
    chosen = sorted(random.Random(SEED).sample(files, N_ARTICLES), key=lambda p: p.name)
    out = Path(__file__).resolve().parents[1] / "samples" / "wikinews-de.jsonl"
    with open(out, "w", encoding="utf-8") as fh:
        for path in chosen:
            m = NAME.match(path.name)
            assert m is not None
            doc = json.loads(path.read_text(encoding="utf-8"))
            title = m["title"]
            record = {
                "title": title,
                "published": m["date"],
                "source": "Wikinews",
                "url": "https://de.wikinews.org/wiki/" + quote(title.replace(" ", "_")),
                "text": doc["originalText"],
                "meta": {"licence": "CC BY 2.5", "dataset_document": m["wid"]},
            }
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    print(f"wrote {len(chosen)} articles to {out}")


if __name__ == "__main__":
    main()
