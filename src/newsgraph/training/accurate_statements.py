"""The accurate tier's statement tagger: adapters on multilingual-e5-small and four heads, trained on
news-quotation-2024 train (CC BY-NC-SA 4.0: the model is non-commercial and its card says so).

Two kinds of example, mixed in each epoch:
- a **sentence** (no marks): every token's cue label (all cues, nested ones too) and span label (cue, speaker,
  message, addressee of the outer statements), as the fast tier's cue and span CRFs see them;
- a **cue window** (the cue's sentence and its neighbours, the cue's pieces marked, other gold cues marked
  as such): the speaker / message / addressee labels of that cue's statement, and its kind from the mean
  state of the cue's pieces.

Dev (news-quotation-2024 dev) picks the epoch: the mean of the span and role taggers' strict span F1.
"""

from __future__ import annotations

import json
import random
import time
from pathlib import Path
from typing import Any

from newsgraph.evaluation.bio import bio_spans
from newsgraph.evaluation.ner import score
from newsgraph.models.accurate import (
    CUE_LABELS,
    IGNORE,
    KIND_LABELS,
    MARK_CUE,
    MARK_OTHER_CUE,
    ROLE_LABELS,
    SPAN_LABELS,
    Window,
    batch_tensors,
    statement_network,
    window,
)
from newsgraph.models.e5 import Encoder, load_encoder
from newsgraph.pipeline.stages.statement_features import cue_window, sentence_groups, sentence_ids
from newsgraph.training.accurate import step, warmup_then_decay
from newsgraph.training.statements import GoldDoc, cue_labels, cue_units, load_split, role_labels, token_labels


class Example:
    """One encoder input with per-piece labels for the heads it trains (``IGNORE`` elsewhere)."""

    def __init__(self, win: Window, labels: dict[str, list[str]], tables: dict[str, tuple[str, ...]],
                 kind: str | None = None) -> None:
        self.window = win
        self.targets: dict[str, list[int]] = {}
        for head, tags in labels.items():
            row = [IGNORE] * len(win.ids)
            for tag, piece in zip(tags, win.first, strict=True):
                if piece >= 0:
                    row[piece] = tables[head].index(tag)
            self.targets[head] = row
        self.kind = KIND_LABELS.index(kind) if kind in KIND_LABELS else IGNORE
        self.tags = labels  # the token labels, for scoring


def _spans(doc: GoldDoc, idx: list[int]) -> list[tuple[int, int]]:
    return [(doc.article.tokens[i].start, doc.article.tokens[i].end) for i in idx]


def examples(encoder: Encoder, doc: GoldDoc) -> tuple[list[Example], list[Example]]:
    """The document's sentence examples and cue-window examples."""
    text = doc.article.text
    cues, spans = cue_labels(doc), token_labels(doc)
    tables = {"cues": CUE_LABELS, "spans": SPAN_LABELS, "roles": ROLE_LABELS}
    sentences = [Example(window(encoder, text, _spans(doc, idx)),
                         {"cues": [cues[i] for i in idx], "spans": [spans[i] for i in idx]}, tables)
                 for idx in sentence_groups(doc.article).values()]
    sids = sentence_ids(doc.article)
    units = cue_units(doc)
    every_cue = set().union(*units) if units else set()
    windows = []
    for cue, anns in units.items():
        idx = cue_window(sids, set(cue))
        marks = [MARK_CUE if i in cue else MARK_OTHER_CUE if i in every_cue else 0 for i in idx]
        outer = min(anns, key=lambda a: bool(a.get("isNested")))
        windows.append(Example(window(encoder, text, _spans(doc, idx), marks),
                               {"roles": role_labels(doc, idx, anns)}, tables, outer.get("type")))
    return sentences, windows


def load_examples(encoder: Encoder, data: Path, split: str, *, limit: int | None = None
                  ) -> tuple[list[Example], list[Example]]:
    sentences: list[Example] = []
    windows: list[Example] = []
    for doc in load_split(data, split, limit=limit):
        s, w = examples(encoder, doc)
        sentences += s
        windows += w
    return sentences, windows


def _batches(items: list[Example], size: int) -> list[list[Example]]:
    order = sorted(items, key=lambda e: len(e.window.ids))
    return [order[i:i + size] for i in range(0, len(order), size)]


def _loss(net: Any, batch: list[Example], pad: int) -> Any:
    import torch

    ids, attention, marks = batch_tensors([e.window for e in batch], pad)
    states = net(ids, attention, marks)
    ce = torch.nn.CrossEntropyLoss(ignore_index=IGNORE)
    total = states.new_zeros(())
    for head in batch[0].targets:
        n = max(len(e.window.ids) for e in batch)
        gold = torch.tensor([e.targets[head] + [IGNORE] * (n - len(e.targets[head])) for e in batch])
        logits = net.heads[head](states)
        total = total + ce(logits.reshape(-1, logits.shape[-1]), gold.reshape(-1))
    if "roles" in batch[0].targets:
        kinds = torch.tensor([e.kind for e in batch])
        if (kinds != IGNORE).any():
            total = total + ce(net.heads["kind"](net.cue_state(states, marks)), kinds)
    return total


def predict_tags(net: Any, items: list[Example], pad: int, batch_size: int = 64) -> list[dict[str, list[str]]]:
    """Each example's token labels per head it has (BIO-constrained decoding) and its kind."""
    import torch

    from newsgraph.models.accurate import STATEMENT_HEADS, viterbi

    out: dict[int, dict[str, list[str]]] = {}
    position = {id(e): k for k, e in enumerate(items)}
    net.eval()
    with torch.no_grad():
        for batch in _batches(items, batch_size):
            ids, attention, marks = batch_tensors([e.window for e in batch], pad)
            states = net(ids, attention, marks)
            logp = {head: torch.log_softmax(net.heads[head](states), -1).numpy() for head in batch[0].targets}
            kinds = net.heads["kind"](net.cue_state(states, marks)).argmax(-1).tolist()
            for row, e in enumerate(batch):
                tags: dict[str, list[str]] = {}
                for head, lp in logp.items():
                    table = STATEMENT_HEADS[head]
                    keep = [p for p in e.window.first if p >= 0]
                    best = iter(viterbi(lp[row][keep], table))
                    tags[head] = [table[next(best)] if p >= 0 else "O" for p in e.window.first]
                tags["kind"] = [KIND_LABELS[kinds[row]]]
                out[position[id(e)]] = tags
    net.train()
    return [out[k] for k in range(len(items))]


def span_f1(items: list[Example], predicted: list[dict[str, list[str]]], head: str) -> float:
    gold = [(k, a, b, lab) for k, e in enumerate(items) for a, b, lab in bio_spans(e.tags[head])]
    pred = [(k, a, b, lab) for k, p in enumerate(predicted) for a, b, lab in bio_spans(p[head])]
    return score(gold, pred).prf()[2]


def dev_scores(net: Any, dev: tuple[list[Example], list[Example]], pad: int) -> dict[str, float]:
    sentences, windows = dev
    ps, pw = predict_tags(net, sentences, pad), predict_tags(net, windows, pad)
    kinds = [(e.kind, KIND_LABELS.index(p["kind"][0])) for e, p in zip(windows, pw, strict=True) if e.kind != IGNORE]
    return {"cues_f1": span_f1(sentences, ps, "cues"), "spans_f1": span_f1(sentences, ps, "spans"),
            "roles_f1": span_f1(windows, pw, "roles"),
            "kind_accuracy": sum(g == p for g, p in kinds) / max(len(kinds), 1)}


def train_statement_adapters(data: Path, out: Path, *, epochs: int = 5, batch_size: int = 16, lr: float = 5e-4,
                             head_lr: float = 5e-3, rank: int = 16,
                             targets: tuple[str, ...] = ("q", "k", "v", "ao", "fi", "fo"), seed: int = 0,
                             limit: int | None = None, log: Any = print) -> dict[str, Any]:
    """Train on news-quotation-2024 train, select the epoch on dev; writes ``out/statements-adapters.pt`` and
    ``out/statements-run.json``."""
    import torch

    torch.manual_seed(seed)
    rng = random.Random(seed)
    start = time.time()
    encoder = load_encoder()
    train = load_examples(encoder, data, "train", limit=limit)
    dev = load_examples(encoder, data, "dev", limit=limit)
    log(f"{len(train[0])} sentences and {len(train[1])} cue windows to train on, prepared in "
        f"{time.time() - start:.0f}s")
    net = statement_network(encoder, rank=rank, alpha=2.0 * rank, targets=targets)
    pad = encoder.tokenizer.eos
    sample = _batches(train[0], batch_size)[::20]
    net.standardise([batch_tensors([e.window for e in batch], pad) for batch in sample])
    # Fresh heads learn at ten times the adapters' rate: at one rate, 1e-3 made the heads collapse to the
    # majority label in the second epoch and at 3e-4 they had not left it after 200 steps.
    adapters = [p for name, p in net.named_parameters() if "lora_" in name]
    heads = [p for name, p in net.named_parameters() if p.requires_grad and "lora_" not in name]
    params = adapters + heads
    optimiser = torch.optim.AdamW([{"params": adapters, "lr": lr}, {"params": heads, "lr": head_lr}],
                                  weight_decay=0.01)
    per_epoch = len(_batches(train[0], batch_size)) + len(_batches(train[1], batch_size))
    schedule = warmup_then_decay(optimiser, epochs * per_epoch)
    out.mkdir(parents=True, exist_ok=True)
    history: list[dict[str, Any]] = []
    best = -1.0
    for epoch in range(epochs):
        batches = _batches(train[0], batch_size) + _batches(train[1], batch_size)
        rng.shuffle(batches)
        for n, batch in enumerate(batches):
            loss = _loss(net, batch, pad)
            step(loss, params, optimiser, schedule)
            if n % 100 == 0:
                log(f"epoch {epoch} batch {n}/{per_epoch} loss {loss.item():.4f} {time.time() - start:.0f}s")
        scores = dev_scores(net, dev, pad)
        history.append({"epoch": epoch, **scores, "seconds": round(time.time() - start)})
        log(json.dumps(history[-1]))
        selected = (scores["spans_f1"] + scores["roles_f1"]) / 2
        if selected > best:
            best = selected
            torch.save({**{k: _cpu(v) for k, v in net.trainable_state().items()}, "rank": rank,
                        "alpha": 2.0 * rank, "targets": list(targets), "epoch": epoch,
                        "labels": {"cues": CUE_LABELS, "spans": SPAN_LABELS, "roles": ROLE_LABELS,
                                   "kind": KIND_LABELS}},
                       out / "statements-adapters.pt")
    run = {"history": history, "best_dev_mean_span_role_f1": best, "seconds": round(time.time() - start),
           "epochs": epochs, "batch_size": batch_size, "lr": lr, "head_lr": head_lr, "rank": rank, "targets": list(targets),
           "seed": seed, "train_sentences": len(train[0]), "train_cue_windows": len(train[1]),
           "data": "news-quotation-2024 train (CC BY-NC-SA 4.0)"}
    (out / "statements-run.json").write_text(json.dumps(run, indent=2) + "\n", encoding="utf-8")
    return run


def _cpu(state: dict[str, Any]) -> dict[str, Any]:
    return {k: v.detach().cpu() for k, v in state.items()}

