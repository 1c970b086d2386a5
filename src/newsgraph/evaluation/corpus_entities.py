"""Cross-document entity coreference: are the mentions of one real-world referent one corpus entity?

Gold is a list of mentions (article id, offsets) each with a referent id: a DBpedia URI in N3 News-100, a name
in ``tests/gold/corpus-entities-de.jsonl``. A stored mention that overlaps a gold mention gives it its
entity's key (``store.entities.mention_keys``: the corpus key after merging, or the local key for the
names-only baseline); a gold mention the system did not find is a cluster of its own. Scores are B³ and pairwise
precision, recall and F1 over the gold mentions.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Hashable, Iterator, Mapping
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from typing import Any

GoldMention = tuple[str, int, int]  # article id, start, end


@dataclass(frozen=True)
class Scores:
    precision: float
    recall: float

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def _clusters(assign: Mapping[GoldMention, Hashable]) -> dict[Hashable, set[GoldMention]]:
    out: dict[Hashable, set[GoldMention]] = defaultdict(set)
    for m, c in assign.items():
        out[c].add(m)
    return out


def b_cubed(gold: Mapping[GoldMention, Hashable], system: Mapping[GoldMention, Hashable]) -> Scores:
    """B³ over the gold mentions; ``system`` assigns each of them a cluster id."""
    if not gold:
        return Scores(0.0, 0.0)
    g, s = _clusters(gold), _clusters(system)
    p = r = 0.0
    for m in gold:
        both = len(g[gold[m]] & s[system[m]])
        p += both / len(s[system[m]])
        r += both / len(g[gold[m]])
    return Scores(p / len(gold), r / len(gold))


def pairwise(gold: Mapping[GoldMention, Hashable], system: Mapping[GoldMention, Hashable]) -> Scores:
    pairs = list(combinations(sorted(gold), 2))
    same_gold = {pair for pair in pairs if gold[pair[0]] == gold[pair[1]]}
    same_system = {pair for pair in pairs if system[pair[0]] == system[pair[1]]}
    both = len(same_gold & same_system)
    return Scores(both / len(same_system) if same_system else 0.0, both / len(same_gold) if same_gold else 0.0)


StoredMentions = Mapping[str, list[tuple[int, int, str]]]  # article id -> (start, end, entity key) per mention


def system_clusters(stored: StoredMentions,
                    gold: Mapping[GoldMention, Hashable]) -> tuple[dict[GoldMention, Hashable], int]:
    """Each gold mention's system cluster: the key of the stored mention that overlaps it most (a mention not
    found is a cluster of its own); and how many were found."""
    out: dict[GoldMention, Hashable] = {}
    found = 0
    for m in gold:
        article_id, start, end = m
        overlapping = [(min(end, e) - max(start, s), k) for s, e, k in stored.get(article_id, [])
                       if s < end and start < e]
        if overlapping:
            out[m] = max(overlapping, key=lambda x: x[0])[1]
            found += 1
        else:
            out[m] = ("unfound", m)
    return out, found


def load_own_gold(path: Path) -> dict[GoldMention, Hashable]:
    gold = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            d = json.loads(line)
            gold[(d["article"], d["start"], d["end"])] = d["entity"]
    return gold


def read_n3(path: Path) -> Iterator[tuple[str, str, list[tuple[int, int, str]]]]:
    """(document URI, text, [(start, end, referent URI)]) per document of an N3 NIF Turtle file."""
    from rdflib import Graph, Namespace
    from rdflib.term import URIRef

    nif = Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")
    its = Namespace("http://www.w3.org/2005/11/its/rdf#")
    graph = Graph()
    graph.parse(path, format="turtle")
    texts = {str(s): str(o) for s, o in graph.subject_objects(nif.isString)}
    spans: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    for mention, context in graph.subject_objects(nif.referenceContext):
        ref = graph.value(mention, its.taIdentRef)
        begin, end = graph.value(mention, nif.beginIndex), graph.value(mention, nif.endIndex)
        if isinstance(ref, URIRef) and begin is not None and end is not None:
            spans[str(context)].append((int(str(begin)), int(str(end)), str(ref)))
    for doc in sorted(texts, key=lambda d: (len(d), d)):
        yield doc, texts[doc], sorted(spans.get(doc, []))


def score(gold: Mapping[GoldMention, Hashable], variants: Mapping[str, StoredMentions]) -> list[dict[str, Any]]:
    """One row per system variant (e.g. local keys, corpus keys): B³ and pairwise scores over ``gold``."""
    rows = []
    for variant, stored in variants.items():
        system, found = system_clusters(stored, gold)
        b3, pw = b_cubed(gold, system), pairwise(gold, system)
        rows.append({"variant": variant, "mentions": len(gold), "entities": len(set(gold.values())),
                     "articles": len({m[0] for m in gold}), "found": found / len(gold) if gold else 0.0,
                     "b3_p": b3.precision, "b3_r": b3.recall, "b3_f1": b3.f1,
                     "pair_p": pw.precision, "pair_r": pw.recall, "pair_f1": pw.f1})
    return rows
