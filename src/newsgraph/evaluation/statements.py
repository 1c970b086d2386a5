"""Statement metrics on news-quotation-2024, pinned here and in docs/stages/statements.md.

All comparisons use gold token ids. Predicted character spans become the gold tokens they overlap.

* Cue units: the distinct non-empty cue token sets of a document (nested annotations share a cue).
* Cue P/R/F1: predicted and gold cue units paired one-to-one, greedily by token-overlap ratio
  (|a ∩ b| / |a ∪ b|); any overlap counts. Exact: identical token sets.
* Role F1: per matched pair, token-level F1 of speaker, message and addressee against the gold annotation
  with that cue that fits best (highest mean).
* Joint F1: per matched pair, the mean role F1 over the roles non-empty in gold or prediction;
  P = sum / predicted cues, R = sum / gold cue units.
* Kind accuracy: over all quote-level pairs, the share of predicted statements with the gold kind.
* Medium accuracy: over the quote-level pairs whose gold medium is one of Speech, SW, Writing, ST, the share
  of predicted statements with the same medium.
* Quote-level F1: every gold annotation (cue-less ones too) against every predicted statement, paired
  one-to-one greedily by message overlap ratio; the same mean role F1; P = sum / predicted statements,
  R = sum / gold annotations.
"""

from __future__ import annotations

import json
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsgraph.model import Article
from newsgraph.pipeline.stages.statement_features import MEDIA

ROLE_KEYS = ("speaker", "message", "addressee")
Tokens = frozenset[int]


@dataclass
class Unit:
    """One annotation or predicted statement as gold token-id sets."""

    cue: Tokens
    speaker: Tokens
    message: Tokens
    addressee: Tokens
    kind: str
    medium: str | None = None


def gold_units(annotations: list[dict[str, Any]]) -> list[Unit]:
    def ids(role: Any) -> Tokens:
        return frozenset(role.get("tokenIds", [])) if isinstance(role, dict) else frozenset()

    return [Unit(ids(a["cue"]), ids(a["speaker"]), ids(a["quote"]), ids(a["addressee"]), a["type"], a.get("medium"))
            for a in annotations]


def predicted_units(article: Article, gold_tokens: list[dict[str, Any]]) -> list[Unit]:
    """Predicted statements as sets of gold token ids (by character overlap)."""
    bounds = [(t["charBegin"], t["charEnd"], t["id"]) for t in gold_tokens]

    def ids(spans: list[Any]) -> Tokens:
        return frozenset(i for s in spans for b, e, i in bounds if b < s.end and e > s.start)

    units = []
    for st in article.statements:
        units.append(Unit(ids([st.cue, *st.cue_parts] if st.cue else []), ids([st.speaker] if st.speaker else []),
                          ids(list(st.message)), ids([st.addressee] if st.addressee else []), st.kind, st.medium))
    return units


def overlap_ratio(a: Tokens, b: Tokens) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def token_f1(gold: Tokens, pred: Tokens) -> float:
    if not gold and not pred:
        return 1.0
    if not gold or not pred:
        return 0.0
    tp = len(gold & pred)
    return 2 * tp / (len(gold) + len(pred))


def mean_role_f1(gold: Unit, pred: Unit) -> float:
    roles = [k for k in ROLE_KEYS if getattr(gold, k) or getattr(pred, k)]
    if not roles:
        return 1.0
    return sum(token_f1(getattr(gold, k), getattr(pred, k)) for k in roles) / len(roles)


def greedy_pairs(gold: list[Tokens], pred: list[Tokens]) -> list[tuple[int, int]]:
    candidates = sorted(((overlap_ratio(g, p), gi, pi) for gi, g in enumerate(gold) for pi, p in enumerate(pred)
                         if g & p), reverse=True)
    used_g: set[int] = set()
    used_p: set[int] = set()
    pairs = []
    for _ratio, gi, pi in candidates:
        if gi not in used_g and pi not in used_p:
            used_g.add(gi)
            used_p.add(pi)
            pairs.append((gi, pi))
    return pairs


@dataclass
class Tally:
    pred_cues: int = 0
    gold_cues: int = 0
    matched_cues: int = 0
    exact_cues: int = 0
    joint_sum: float = 0.0
    role_sums: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    pred_statements: int = 0
    gold_annotations: int = 0
    quote_sum: float = 0.0
    by_kind_gold: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    by_kind_sum: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    medium_pairs: int = 0
    medium_right: int = 0
    kind_pairs: int = 0
    kind_right: int = 0

    def add(self, gold: list[Unit], pred: list[Unit]) -> None:
        self._cues(gold, pred)
        self._quotes(gold, pred)

    def _cues(self, gold: list[Unit], pred: list[Unit]) -> None:
        gold_cues = list(dict.fromkeys(u.cue for u in gold if u.cue))
        pred_cues = list(dict.fromkeys(u.cue for u in pred if u.cue))
        self.gold_cues += len(gold_cues)
        self.pred_cues += len(pred_cues)
        for gi, pi in greedy_pairs(gold_cues, pred_cues):
            self.matched_cues += 1
            self.exact_cues += gold_cues[gi] == pred_cues[pi]
            g_anns = [u for u in gold if u.cue == gold_cues[gi]]
            p_ann = next(u for u in pred if u.cue == pred_cues[pi])
            best = max(g_anns, key=lambda g: mean_role_f1(g, p_ann))
            self.joint_sum += mean_role_f1(best, p_ann)
            for k in ROLE_KEYS:
                self.role_sums[k] += token_f1(getattr(best, k), getattr(p_ann, k))

    def _quotes(self, gold: list[Unit], pred: list[Unit]) -> None:
        self.gold_annotations += len(gold)
        self.pred_statements += len(pred)
        for g in gold:
            self.by_kind_gold[g.kind] += 1
        for gi, pi in greedy_pairs([g.message for g in gold], [p.message for p in pred]):
            score = mean_role_f1(gold[gi], pred[pi])
            self.kind_pairs += 1
            self.kind_right += gold[gi].kind == pred[pi].kind
            if gold[gi].medium in MEDIA:
                self.medium_pairs += 1
                self.medium_right += gold[gi].medium == pred[pi].medium
            self.quote_sum += score
            self.by_kind_sum[gold[gi].kind] += score

    def report(self) -> dict[str, float]:
        def f1(p: float, r: float) -> float:
            return 2 * p * r / (p + r) if p + r else 0.0

        cp = self.matched_cues / self.pred_cues if self.pred_cues else 0.0
        cr = self.matched_cues / self.gold_cues if self.gold_cues else 0.0
        ep = self.exact_cues / self.pred_cues if self.pred_cues else 0.0
        er = self.exact_cues / self.gold_cues if self.gold_cues else 0.0
        jp = self.joint_sum / self.pred_cues if self.pred_cues else 0.0
        jr = self.joint_sum / self.gold_cues if self.gold_cues else 0.0
        qp = self.quote_sum / self.pred_statements if self.pred_statements else 0.0
        qr = self.quote_sum / self.gold_annotations if self.gold_annotations else 0.0
        out = {"cue_p": cp, "cue_r": cr, "cue_f1": f1(cp, cr), "cue_exact_f1": f1(ep, er),
               "joint_p": jp, "joint_r": jr, "joint_f1": f1(jp, jr),
               "quote_p": qp, "quote_r": qr, "quote_f1": f1(qp, qr)}
        for k in ROLE_KEYS:
            out[f"role_{k}_f1"] = self.role_sums[k] / self.matched_cues if self.matched_cues else 0.0
        out["kind_accuracy"] = self.kind_right / self.kind_pairs if self.kind_pairs else 0.0
        out["medium_accuracy"] = self.medium_right / self.medium_pairs if self.medium_pairs else 0.0
        for kind, n in self.by_kind_gold.items():
            out[f"quote_recall_{kind}"] = self.by_kind_sum[kind] / n
        return out



def evaluate_split(split: str, *, limit: int | None = None, model: Path | None = None,
                   thresholds: tuple[float, ...] = (), tier: str = "lite", accurate: Path | None = None
                   ) -> tuple[dict[str, float], float, int]:
    """Run the pipeline on one news-quotation-2024 split and score it; returns the report, the seconds the
    statements stage took, and the number of documents. ``model``: a statements model folder (default: shipped).
    For each confidence threshold t in ``thresholds`` the report also scores only the statements with
    confidence ≥ t: ``quote_p@t``, ``quote_r@t``, ``joint_p@t``, ``joint_r@t``, ``kept@t`` (their share).
    ``tier``: "deep" or "accurate" also find the mentions and tags with that tier (the speakers resolve to them);
    ``accurate``: an accurate-tier model folder (default: shipped)."""
    from newsgraph.evaluation.data_paths import shared_data_dir
    from newsgraph.model import content_id
    from newsgraph.models import model_path
    from newsgraph.pipeline import Pipeline
    from newsgraph.pipeline.stages import statements as statements_stage
    from newsgraph.settings import load_settings

    pre = Pipeline(["tokens", "reading", "morphology", "mentions", "entities"],
                   settings={**load_settings(), "tier": tier}, keep_encoding=True)
    taggers = statements_stage.open_taggers(model or model_path(statements_stage.STATEMENTS_MODEL), tier=tier,
                                           accurate=accurate)
    tally = Tally()
    by_threshold = {t: Tally() for t in thresholds}
    seconds = 0.0
    folder = shared_data_dir() / "statements/news-quotation-2024/data" / split
    files = sorted(folder.glob("*.json"))[:limit]
    for path in files:
        doc = json.loads(path.read_text(encoding="utf-8"))
        text = doc["originalText"]
        article = pre(Article(text=text, id=content_id(text), language="de"))
        start = time.perf_counter()
        article = article.with_layers(statements=statements_stage.extract_statements(article, taggers))
        seconds += time.perf_counter() - start
        gold = gold_units(doc["annotations"])
        tally.add(gold, predicted_units(article, doc["tokens"]))
        for t, sub in by_threshold.items():
            kept = [st for st in article.statements if st.confidence is None or st.confidence >= t]
            sub.add(gold, predicted_units(article.with_layers(statements=kept), doc["tokens"]))
    report = tally.report()
    for t, sub in by_threshold.items():
        r = sub.report()
        for k in ("quote_p", "quote_r", "joint_p", "joint_r"):
            report[f"{k}@{t:g}"] = r[k]
        report[f"kept@{t:g}"] = sub.pred_statements / tally.pred_statements if tally.pred_statements else 0.0
    return report, seconds, len(files)
