"""Networks on the sample corpus: top-N nodes, event edges, and the GraphML / GEXF that Gephi reads."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from newsgraph.store import Corpus
from newsgraph.store.network import graph_bytes, network


@pytest.fixture(scope="module")
def corpus(demo_db: Path) -> Corpus:
    return Corpus(demo_db, readonly=True)


def test_top_nodes_and_only_their_edges(corpus: Corpus) -> None:
    full = network(corpus, top=1000)
    small = network(corpus, top=5)
    assert len(small["nodes"]) == 5 < len(full["nodes"])
    kept = {n["id"] for n in small["nodes"]}
    assert all(e["source"] in kept and e["target"] in kept for e in small["edges"])
    weights = [n["weight"] for n in full["nodes"]]
    assert weights == sorted(weights, reverse=True)
    assert min(n["weight"] for n in small["nodes"]) >= max(n["weight"] for n in full["nodes"][5:])


def test_event_edges_act_on(corpus: Corpus) -> None:
    events = network(corpus, kind="events", top=1000)
    trump_putin = [e for e in events["edges"] if e["source_name"] == "Donald Trump"
                   and e["target_name"] == "Wladimir Putin"]
    assert trump_putin and "CONSULT" in trump_putin[0]["types"]


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_graph_files_read_back_with_names(corpus: Corpus, fmt: str) -> None:
    nx = pytest.importorskip("networkx")
    graph = network(corpus, kind="events", top=20)
    data = graph_bytes(graph, fmt)
    g = nx.read_graphml(io.BytesIO(data)) if fmt == "graphml" else nx.read_gexf(io.BytesIO(data))
    assert g.number_of_nodes() == len(graph["nodes"]) and g.number_of_edges() == len(graph["edges"])
    labels = {d.get("label") for _, d in g.nodes(data=True)}
    assert "Donald Trump" in labels
