"""Cross-document entity coreference: the metrics, and the floor on the sample-corpus gold."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsgraph.evaluation.corpus_entities import b_cubed, load_own_gold, pairwise, score
from newsgraph.store import Corpus
from newsgraph.store.entities import mention_keys

ROOT = Path(__file__).resolve().parents[2]
GOLD = ROOT / "tests" / "gold" / "corpus-entities-de.jsonl"
B3_F1_FLOOR = 0.90  # measured 0.919 (bench/corpus_entities.py); never lower


def _m(i: int) -> tuple[str, int, int]:
    return ("a", i, i + 1)


def test_b_cubed_and_pairwise_on_a_textbook_case() -> None:
    gold = {_m(0): "x", _m(1): "x", _m(2): "x", _m(3): "y"}
    perfect = b_cubed(gold, gold)
    assert (perfect.precision, perfect.recall) == (1.0, 1.0)
    split = {_m(0): 1, _m(1): 1, _m(2): 2, _m(3): 3}  # one gold entity split in two
    b3 = b_cubed(gold, split)
    assert b3.precision == 1.0 and b3.recall == pytest.approx((2 / 3 + 2 / 3 + 1 / 3 + 1) / 4)
    merged = {m: 0 for m in gold}  # everything one entity
    assert b_cubed(gold, merged).recall == 1.0 and b_cubed(gold, merged).precision == pytest.approx(10 / 16)
    pw = pairwise(gold, split)
    assert (pw.precision, pw.recall) == (1.0, pytest.approx(1 / 3))
    assert b_cubed({}, {}).f1 == 0.0


def test_gold_covers_enough_mentions_and_articles() -> None:
    gold = load_own_gold(GOLD)
    assert len(gold) >= 150 and len({m[0] for m in gold}) >= 40


@pytest.mark.xfail(strict=True, reason="issue 25: on the deep reader's mentions the sample corpus gives B3 F1 0.899, "
                   "below the floor of 0.90 (the lite tier measured 0.919); the floor is not lowered")
def test_sample_corpus_gold_floor(sample_db: Path) -> None:
    gold = load_own_gold(GOLD)
    ids = sorted({m[0] for m in gold})
    with Corpus(sample_db, readonly=True) as corpus:
        names_only, merged = score(gold, {"names only": mention_keys(corpus.conn, ids, column="local_key"),
                                          "merged": mention_keys(corpus.conn, ids, column="key")})
    assert merged["found"] > 0.95
    assert merged["b3_f1"] >= B3_F1_FLOOR, merged
    assert merged["b3_r"] > names_only["b3_r"]  # merging across articles is what joins the inflected and short
