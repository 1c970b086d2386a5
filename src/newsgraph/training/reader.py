"""Train the deep reader: one set of low-rank adapters on multilingual-e5-small shared by every head, trained
on all tasks at once (``training/reader_data.py`` says which data trains which head), then exported: the
adapters folded into the layers, the layers to ONNX with int8 per-channel weights, the heads to numpy.

Reproduce with ``newsgraph train reader --out DIR --install``. Each epoch's state is a checkpoint in the cache
folder (``--cache``, default ``~/.cache/newsgraph/reader``): a run that was stopped resumes from its last
finished epoch. Dev picks the epoch (the mean of GermEval dev NER F1, news-quotation dev span and role F1 and
UD GSD dev UPOS accuracy); test is for ``bench/`` only.
"""

from __future__ import annotations

import json
import math
import random
import time
from pathlib import Path
from typing import Any

import numpy as np

from newsgraph.models.accurate import IGNORE
from newsgraph.models.e5 import Encoder, load_encoder
from newsgraph.models.reader import DISTANCE_EDGES, ENCODER_FILE, HEADS_FILE, LABELS_FILE, SENTENCE_OFFSETS
from newsgraph.training.reader_data import Sentence, StatementDoc, label_ids

TOKEN_HEADS = ("ner", "cues", "spans", "stts", "upos", "lemma", "Case", "Number", "Gender", "Person", "Tense",
               "Mood", "VerbForm")
ROLE_HIDDEN = 256


def network(encoder: Encoder, tables: dict[str, list[str]], *, rank: int = 16) -> Any:
    import torch
    from torch import nn

    from newsgraph.models.e5_torch import E5

    h = encoder.config["H"]

    class ReaderNetwork(nn.Module):
        center: torch.Tensor
        spread: torch.Tensor

        def __init__(self) -> None:
            super().__init__()
            self.e5 = E5(encoder, rank=rank, alpha=2.0 * rank, targets=("q", "k", "v", "ao", "fi", "fo"))
            self.dropout = nn.Dropout(0.1)
            self.heads = nn.ModuleDict({name: nn.Linear(h, len(tables[name])) for name in TOKEN_HEADS
                                        if name in tables})
            self.role_mark = nn.Embedding(3, 32)
            self.role_dist = nn.Embedding(len(DISTANCE_EDGES) + 1, 32)
            self.role_sentence = nn.Embedding(SENTENCE_OFFSETS, 16)
            self.role_in = nn.Linear(3 * h + 80, ROLE_HIDDEN)
            self.role_context = nn.Linear(3 * ROLE_HIDDEN, ROLE_HIDDEN)
            self.role_out = nn.Linear(ROLE_HIDDEN, len(tables["roles"]))
            self.kind = nn.Linear(2 * h, len(tables["kind"]))
            self.register_buffer("center", torch.zeros(h))
            self.register_buffer("spread", torch.ones(h))

        def states(self, ids: torch.Tensor, attention: torch.Tensor) -> torch.Tensor:
            out: torch.Tensor = (self.e5(ids, attention) - self.center) / self.spread
            return out

        def roles(self, x: torch.Tensor, marks: torch.Tensor, dist: torch.Tensor, offsets: torch.Tensor
                  ) -> tuple[torch.Tensor, torch.Tensor]:
            on = marks == 1
            cue = x[on].mean(dim=0) if bool(on.any()) else x.mean(dim=0)
            feats = torch.cat([x, cue.expand_as(x), x * cue, self.role_mark(marks), self.role_dist(dist),
                               self.role_sentence(offsets)], dim=1)
            hidden = nn.functional.gelu(self.role_in(feats), approximate="tanh")
            zero = hidden.new_zeros(1, hidden.shape[1])
            padded = torch.cat([zero, hidden, zero])
            context = torch.cat([padded[:-2], hidden, padded[2:]], dim=1)
            hidden = nn.functional.gelu(self.role_context(context), approximate="tanh") + hidden
            return self.role_out(hidden), self.kind(torch.cat([cue, x.mean(dim=0)]))

    return ReaderNetwork()


def _encode(net: Any, sentences: list[Sentence], pad: int) -> tuple[Any, list[list[int]]]:
    """Token states of the sentences, concatenated ``[tokens, H]``, and per sentence the row of each token
    (-1: cut off)."""
    import torch

    n = max(len(s.ids) for s in sentences)
    device = net.center.device
    ids = torch.tensor([s.ids + [pad] * (n - len(s.ids)) for s in sentences], device=device)
    attention = torch.tensor([[1.0] * len(s.ids) + [0.0] * (n - len(s.ids)) for s in sentences], device=device)
    states = net.states(ids, attention)
    rows_b: list[int] = []
    rows_p: list[int] = []
    where: list[list[int]] = []
    for b, s in enumerate(sentences):
        mine = []
        for p in s.first:
            if p >= 0:
                mine.append(len(rows_b))
                rows_b.append(b)
                rows_p.append(p)
            else:
                mine.append(-1)
        where.append(mine)
    return states[torch.tensor(rows_b, dtype=torch.long, device=device),
                  torch.tensor(rows_p, dtype=torch.long, device=device)], where


def _token_loss(net: Any, tokens: Any, where: list[list[int]], sentences: list[Sentence],
                tables: dict[str, list[str]], indexes: dict[str, dict[str, int]]) -> Any:
    import torch

    ce = torch.nn.CrossEntropyLoss(ignore_index=IGNORE)
    x = net.dropout(tokens)
    total = tokens.new_zeros(())
    for head in net.heads:
        gold = [IGNORE] * tokens.shape[0]
        seen = False
        for s, rows in zip(sentences, where, strict=True):
            tags = s.tags.get(head)
            if tags is None:
                continue
            for r, lab in zip(rows, label_ids(tags, tables[head], indexes[head]), strict=True):
                if r >= 0 and lab != IGNORE:
                    gold[r] = lab
                    seen = True
        if seen:
            total = total + ce(net.heads[head](x), torch.tensor(gold, device=x.device))
    return total


def _cue_rows(doc: StatementDoc, where: list[list[int]], window: list[int]) -> list[int]:
    out = []
    for i in window:
        k, j = doc.token_of[i]
        out.append(where[k][j] if k >= 0 else -1)
    return out


def _gather(tokens: Any, rows: list[int]) -> Any:
    import torch

    zero = tokens.new_zeros(1, tokens.shape[1])
    padded = torch.cat([tokens, zero])
    return padded[torch.tensor([r if r >= 0 else tokens.shape[0] for r in rows], device=tokens.device)]


def _doc_loss(net: Any, doc: StatementDoc, tables: dict[str, list[str]], indexes: dict[str, dict[str, int]],
              pad: int) -> Any:
    import torch

    tokens, where = _encode(net, doc.sentences, pad)
    total = _token_loss(net, tokens, where, doc.sentences, tables, indexes)
    ce = torch.nn.CrossEntropyLoss(ignore_index=IGNORE)
    x = net.dropout(tokens)
    dev = x.device
    for cue in doc.cues:
        roles, kind = net.roles(_gather(x, _cue_rows(doc, where, cue.window)), torch.tensor(cue.marks, device=dev),
                                torch.tensor(cue.dist, device=dev), torch.tensor(cue.offsets, device=dev))
        gold = label_ids(list(cue.roles), tables["roles"], indexes["roles"])
        total = total + ce(roles, torch.tensor(gold, device=dev))
        if cue.kind in indexes["kind"]:
            total = total + ce(kind[None], torch.tensor([indexes["kind"][cue.kind]], device=dev))
    return total


def _sentence_batches(items: list[Sentence], size: int) -> list[list[Sentence]]:
    order = sorted(items, key=lambda s: len(s.ids))
    return [order[i:i + size] for i in range(0, len(order), size)]


def predict_sentences(net: Any, items: list[Sentence], tables: dict[str, list[str]], heads: tuple[str, ...],
                      pad: int) -> list[dict[str, list[str]]]:
    """Each sentence's labels per head (argmax; BIO heads decoded as valid BIO)."""
    import torch

    from newsgraph.models.accurate import viterbi

    out: dict[int, dict[str, list[str]]] = {}
    position = {id(s): k for k, s in enumerate(items)}
    net.eval()
    with torch.no_grad():
        for batch in _sentence_batches(items, 64):
            tokens, where = _encode(net, batch, pad)
            logp = {h: torch.log_softmax(net.heads[h](tokens), -1).cpu().numpy() for h in heads}
            for s, rows in zip(batch, where, strict=True):
                keep = [r for r in rows if r >= 0]
                tags: dict[str, list[str]] = {}
                for h, lp in logp.items():
                    table = tables[h]
                    best = viterbi(lp[keep], table) if h in ("ner", "cues", "spans") else \
                        list(lp[keep].argmax(-1))
                    it = iter(best)
                    tags[h] = [table[next(it)] if r >= 0 else table[0] for r in rows]
                out[position[id(s)]] = tags
    net.train()
    return [out[k] for k in range(len(items))]


def predict_roles(net: Any, docs: list[StatementDoc], tables: dict[str, list[str]], pad: int
                  ) -> list[tuple[list[str], str]]:
    import torch

    from newsgraph.models.accurate import viterbi

    out = []
    net.eval()
    with torch.no_grad():
        for doc in docs:
            tokens, where = _encode(net, doc.sentences, pad)
            for cue in doc.cues:
                dev = tokens.device
                roles, kind = net.roles(_gather(tokens, _cue_rows(doc, where, cue.window)),
                                        torch.tensor(cue.marks, device=dev), torch.tensor(cue.dist, device=dev),
                                        torch.tensor(cue.offsets, device=dev))
                best = viterbi(torch.log_softmax(roles, -1).cpu().numpy(), tables["roles"])
                out.append(([tables["roles"][k] for k in best], tables["kind"][int(kind.argmax())]))
    net.train()
    return out


def span_f1(gold: list[list[str]], pred: list[list[str]]) -> float:
    from newsgraph.evaluation.bio import bio_spans
    from newsgraph.evaluation.ner import score

    g = [(k, a, b, lab) for k, tags in enumerate(gold) for a, b, lab in bio_spans(tags)]
    p = [(k, a, b, lab) for k, tags in enumerate(pred) for a, b, lab in bio_spans(tags)]
    return score(g, p).prf()[2]


def accuracy(gold: list[list[str | None]], pred: list[list[str]]) -> float:
    pairs = [(g, p) for gs, ps in zip(gold, pred, strict=True) for g, p in zip(gs, ps, strict=True) if g is not None]
    return sum(g == p for g, p in pairs) / max(len(pairs), 1)


def dev_scores(net: Any, dev: dict[str, Any], tables: dict[str, list[str]], pad: int) -> dict[str, float]:
    ner = predict_sentences(net, dev["ner"], tables, ("ner",), pad)
    ud_heads = tuple(h for h in ("upos", "stts", "lemma", "Case", "Mood") if h in tables)
    ud = predict_sentences(net, dev["ud"], tables, ud_heads, pad)
    sents = [s for d in dev["statements"] for s in d.sentences]
    st = predict_sentences(net, sents, tables, ("cues", "spans"), pad)
    roles = predict_roles(net, dev["statements"], tables, pad)
    cues = [c for d in dev["statements"] for c in d.cues]
    scores = {"ner_f1": span_f1([s.tags["ner"] for s in dev["ner"]], [p["ner"] for p in ner]),
              "cues_f1": span_f1([s.tags["cues"] for s in sents], [p["cues"] for p in st]),
              "spans_f1": span_f1([s.tags["spans"] for s in sents], [p["spans"] for p in st]),
              "roles_f1": span_f1([c.roles for c in cues], [r for r, _ in roles]),
              "kind_accuracy": sum(c.kind == k for c, (_, k) in zip(cues, roles, strict=True) if c.kind) /
              max(sum(1 for c in cues if c.kind), 1)}
    for h in ud_heads:
        scores[f"{h}_accuracy"] = accuracy([s.tags[h] for s in dev["ud"]], [p[h] for p in ud])
    return {k: round(v, 4) for k, v in scores.items()}


def selection(scores: dict[str, float]) -> float:
    return (scores["ner_f1"] + scores["spans_f1"] + scores["roles_f1"] + scores.get("upos_accuracy", 0.0)) / 4


def standardise(net: Any, sentences: list[Sentence], pad: int) -> None:
    import torch

    with torch.no_grad():
        rows = torch.cat([_encode(net, batch, pad)[0] for batch in _sentence_batches(sentences, 32)[::25]])
        net.center.copy_(rows.mean(dim=0))
        net.spread.copy_(rows.std(dim=0).clamp(min=1e-4))


def train(data: dict[str, Any], tables: dict[str, list[str]], cache: Path, *, epochs: int = 2,
          batch_size: int = 32, lr: float = 7e-4, head_lr: float = 5e-3, seed: int = 0, device: str = "cpu",
          log: Any = print) -> tuple[Any, dict[str, Any]]:
    """Train on ``data["train"]`` (sentences and statement documents), a checkpoint per epoch in ``cache``;
    the best epoch's network and the run's record."""
    import torch

    torch.manual_seed(seed)
    rng = random.Random(seed)
    encoder = load_encoder()
    pad = encoder.tokenizer.eos
    net = network(encoder, tables).to(device)
    indexes = {h: {t: k for k, t in enumerate(table)} for h, table in tables.items()}
    sentences, docs = data["train"]["sentences"], data["train"]["statements"]
    adapters = [p for name, p in net.named_parameters() if "lora_" in name]
    heads = [p for name, p in net.named_parameters() if p.requires_grad and "lora_" not in name]
    optimiser = torch.optim.AdamW([{"params": adapters, "lr": lr}, {"params": heads, "lr": head_lr}],
                                  weight_decay=0.01)
    per_epoch = math.ceil(len(sentences) / batch_size) + len(docs)
    from newsgraph.training.accurate import step, warmup_then_decay

    schedule = warmup_then_decay(optimiser, epochs * per_epoch)
    cache.mkdir(parents=True, exist_ok=True)
    history: list[dict[str, Any]] = []
    first_epoch, start = 0, time.time()
    last = cache / "last.pt"
    if last.exists():
        state = torch.load(last, weights_only=False, map_location=device)
        net.load_state_dict(state["network"], strict=False)
        optimiser.load_state_dict(state["optimiser"])
        schedule.load_state_dict(state["schedule"])
        history, first_epoch = state["history"], state["epoch"] + 1
        rng.setstate(state["rng"])
        log(f"resumed after epoch {state['epoch']} from {last}")
    else:
        standardise(net, sentences, pad)
    params = adapters + heads
    for epoch in range(first_epoch, epochs):
        batches: list[Any] = [("s", b) for b in _sentence_batches(sentences, batch_size)] + [("d", d) for d in docs]
        rng.shuffle(batches)
        for n, (what, item) in enumerate(batches):
            if what == "s":
                tokens, where = _encode(net, item, pad)
                loss = _token_loss(net, tokens, where, item, tables, indexes)
            else:
                loss = _doc_loss(net, item, tables, indexes, pad)
            step(loss, params, optimiser, schedule)
            if n % 200 == 0:
                log(f"epoch {epoch} batch {n}/{per_epoch} loss {loss.item():.4f} {time.time() - start:.0f}s")
        scores = dev_scores(net, data["dev"], tables, pad)
        history.append({"epoch": epoch, **scores, "selection": round(selection(scores), 4),
                        "seconds": round(time.time() - start)})
        log(json.dumps(history[-1]))
        trainable = {k: v for k, v in net.state_dict().items() if "lora_" in k or not k.startswith("e5.")}
        if selection(scores) >= max(h["selection"] for h in history):
            torch.save(trainable, cache / "best.pt")
        torch.save({"network": trainable, "optimiser": optimiser.state_dict(), "schedule": schedule.state_dict(),
                    "history": history, "epoch": epoch, "rng": rng.getstate()}, last)
    net.load_state_dict(torch.load(cache / "best.pt", weights_only=True, map_location=device), strict=False)
    best = max(history, key=lambda h: h["selection"])
    return net.cpu().eval(), {"history": history, "best": best, "epochs": epochs, "device": device,
                              "batch_size": batch_size, "lr": lr, "head_lr": head_lr, "seed": seed, "rank": 16,
                              "seconds": round(time.time() - start)}


def export(net: Any, tables: dict[str, list[str]], out: Path) -> dict[str, Any]:
    """``encoder.onnx`` (int8 per-channel weights; input the word rows and the mask, output standardised
    states), ``heads.npz`` and ``labels.json`` in ``out``; the fp32 file is removed after quantising."""
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    out.mkdir(parents=True, exist_ok=True)
    net.e5.merge_adapters()
    net.eval()

    class Layers(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.net = net

        def forward(self, embeds: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
            e5 = self.net.e5
            x = embeds + e5.pos[: embeds.shape[1]] + e5.type0
            x = torch.nn.functional.layer_norm(x, (int(e5.hidden),), e5.emb_ln_w, e5.emb_ln_b, e5.eps)
            bias = (1.0 - mask[:, None, None, :]) * -1e4  # additive: padded keys get no attention
            for layer in e5.layers:
                x = _layer(layer, x, bias)
            out: torch.Tensor = (x - self.net.center) / self.net.spread
            return out

    fp32 = out / "encoder-fp32.onnx"
    embeds = torch.randn(2, 7, net.e5.hidden)
    mask = torch.ones(2, 7)
    with torch.no_grad():
        torch.onnx.export(Layers(), (embeds, mask), str(fp32), input_names=["embeds", "mask"],
                          output_names=["states"], dynamic_axes={"embeds": {0: "batch", 1: "pieces"},
                                                                 "mask": {0: "batch", 1: "pieces"},
                                                                 "states": {0: "batch", 1: "pieces"}},
                          opset_version=17, dynamo=False)
    quantize_dynamic(str(fp32), str(out / ENCODER_FILE), per_channel=True, weight_type=QuantType.QInt8)
    weights: dict[str, np.ndarray] = {}
    for name, head in net.heads.items():
        weights[f"{name}.w"], weights[f"{name}.b"] = _np(head.weight), _np(head.bias)
    for name in ("role_in", "role_context", "role_out", "kind"):
        layer = getattr(net, name)
        key = name.replace("_", ".") if name != "kind" else "kind"
        weights[f"{key}.w"], weights[f"{key}.b"] = _np(layer.weight), _np(layer.bias)
    weights["role.mark"], weights["role.dist"] = _np(net.role_mark.weight), _np(net.role_dist.weight)
    weights["role.sentence"] = _np(net.role_sentence.weight)
    np.savez_compressed(out / HEADS_FILE, **{k: v.astype(np.float16) for k, v in weights.items()})  # type: ignore[arg-type]
    (out / LABELS_FILE).write_text(json.dumps(tables, ensure_ascii=False) + "\n", encoding="utf-8")
    fp32_bytes = fp32.stat().st_size
    fp32.rename(out.parent / (out.name + "-encoder-fp32.onnx"))  # kept beside, not shipped: fidelity checks
    return {"encoder_fp32_mb": round(fp32_bytes / 1e6, 1),
            "encoder_int8_mb": round((out / ENCODER_FILE).stat().st_size / 1e6, 1),
            "heads_mb": round((out / HEADS_FILE).stat().st_size / 1e6, 1)}


def _layer(layer: Any, x: Any, bias: Any) -> Any:
    """One encoder layer with explicit attention (what the ONNX exporter maps to plain MatMul / Softmax)."""
    import torch

    h = int(layer.q.weight.shape[0])  # Python ints: the exporter keeps them constant
    heads = int(layer.heads)
    d = h // heads

    def split(y: torch.Tensor) -> torch.Tensor:
        return y.reshape(y.shape[0], y.shape[1], heads, d).transpose(1, 2)

    att = torch.softmax(split(layer.q(x)) @ split(layer.k(x)).transpose(-1, -2) / math.sqrt(d) + bias, dim=-1)
    ctx = (att @ split(layer.v(x))).transpose(1, 2).flatten(2)
    x = torch.nn.functional.layer_norm(x + layer.ao(ctx), (h,), layer.aln_w, layer.aln_b, layer.eps)
    mid = torch.nn.functional.gelu(layer.fi(x))
    return torch.nn.functional.layer_norm(x + layer.fo(mid), (h,), layer.oln_w, layer.oln_b, layer.eps)


def _np(t: Any) -> np.ndarray:
    return np.asarray(t.detach().cpu().numpy(), dtype=np.float32)


def train_reader(data_dir: Path, out: Path, *, cache: Path, epochs: int = 2, limit: int | None = None,
                 device: str = "cpu", log: Any = print) -> dict[str, Any]:
    """Prepare, train (resumable from ``cache``), export to ``out``; returns the run record."""
    import pickle

    from newsgraph.training.reader_data import label_tables, prepare

    encoder = load_encoder()
    cache.mkdir(parents=True, exist_ok=True)
    prepared = cache / f"data-{limit or 'all'}.pickle"
    if prepared.exists():
        data = pickle.loads(prepared.read_bytes())
    else:
        data = prepare(encoder, data_dir, limit=limit, log=log)
        prepared.write_bytes(pickle.dumps(data))
    tables = label_tables(data["train"]["sentences"] + [s for d in data["train"]["statements"] for s in d.sentences])
    net, run = train(data, tables, cache, epochs=epochs, device=device, log=log)
    run["files"] = export(net, tables, out)
    run["train_sentences"] = len(data["train"]["sentences"])
    run["train_statement_documents"] = len(data["train"]["statements"])
    (out / "run.json").write_text(json.dumps(run, indent=2) + "\n", encoding="utf-8")
    return run


def export_checkpoint(cache: Path, out: Path) -> dict[str, Any]:
    """Export the best epoch of a run in ``cache`` (its prepared data gives the label tables), without more
    training: for a run stopped before its last epoch."""
    import pickle

    import torch

    from newsgraph.training.reader_data import label_tables

    data = pickle.loads((cache / "data-all.pickle").read_bytes())
    tables = label_tables(data["train"]["sentences"] + [s for d in data["train"]["statements"] for s in d.sentences])
    net = network(load_encoder(), tables)
    net.load_state_dict(torch.load(cache / "best.pt", weights_only=True), strict=False)
    history = torch.load(cache / "last.pt", weights_only=False)["history"]
    run = {"history": history, "best": max(history, key=lambda h: h["selection"]), "files": export(net.eval(), tables, out)}
    (out / "run.json").write_text(json.dumps(run, indent=2) + "\n", encoding="utf-8")
    return run
