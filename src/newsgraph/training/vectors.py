"""Static subword vectors (floret) trained on the unlabeled German text available here."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from newsgraph.training.unlabeled_text import write_corpus


def train_vectors(data: Path, out_dir: Path, *, dim: int = 100, bucket: int = 50_000, epoch: int = 10) -> Path:
    """Train floret vectors and convert them into a spaCy vectors folder; return that folder."""
    import floret  # training-only dependency

    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus.txt"
        counts = write_corpus(data, corpus)
        print(f"vector corpus: {sum(counts.values()):,} tokens {counts}", flush=True)
        model = floret.train_unsupervised(
            str(corpus), model="cbow", mode="floret", hashCount=2, bucket=bucket,
            minn=3, maxn=5, minCount=3, dim=dim, epoch=epoch, thread=2, lr=0.05,
        )
        floret_file = Path(tmp) / "vectors.floret"
        model.save_floret_vectors(str(floret_file))
        spacy_dir = out_dir / "vectors"
        subprocess.run(
            [sys.executable, "-m", "spacy", "init", "vectors", "de", str(floret_file), str(spacy_dir),
             "--mode", "floret"],
            check=True,
        )
    return spacy_dir
