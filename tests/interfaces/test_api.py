"""REST API and web pages, called in process."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient

from newsgraph.interfaces.api import create_app
from newsgraph.settings import load_settings

SEED_ID = "c7a0c5fce984f6f9"


@pytest.fixture(scope="module")
def client(demo_db: Path) -> TestClient:
    return TestClient(create_app(demo_db), raise_server_exceptions=False)


def assert_error_shape(response, status: int, code: str | None = None) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == status
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"status", "code", "message", "hint"}
    assert body["error"]["status"] == status and body["error"]["code"].startswith("NG")
    if code:
        assert body["error"]["code"] == code


def test_openapi_and_docs(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert {"/api/articles", "/api/search", "/api/entities/{entity_id}", "/api/statements", "/api/analyze"} <= set(
        spec["paths"])
    assert client.get("/docs").status_code == 200


def test_articles_filters_and_pagination(client: TestClient) -> None:
    everything = client.get("/api/articles", params={"limit": 100}).json()
    assert everything["total"] == 22
    page = client.get("/api/articles", params={"limit": 5, "offset": 5}).json()
    assert len(page["articles"]) == 5
    assert client.get("/api/articles", params={"source": "Wikinews"}).json()["total"] == 20
    assert SEED_ID in [a["id"] for a in client.get("/api/articles", params={"q": "Selenskyj"}).json()["articles"]]
    putin = client.get("/api/articles", params={"entity": "PER:wladimir-putin"}).json()
    assert SEED_ID in [a["id"] for a in putin["articles"]]
    dated = client.get("/api/articles", params={"date_from": "2006", "date_to": "2006-12"}).json()
    assert all(a["published"].startswith("2006") for a in dated["articles"])
    assert_error_shape(client.get("/api/articles", params={"limit": 1000}), 422, "NG301")


def test_articles_and_statements_filter_by_mentioned_dates(client: TestClient) -> None:
    # 0b0333a05e09339a (published 2005-09-17) says "gestern": 2005-09-16; ef481cc4bf6b7b73 says "nächsten Jahr": 2006
    day = client.get("/api/articles", params={"mentioned_from": "2005-09-16", "mentioned_to": "2005-09-16",
                                              "limit": 100}).json()
    ids = {a["id"] for a in day["articles"]}
    assert "0b0333a05e09339a" in ids and "ef481cc4bf6b7b73" not in ids
    assert all(a["published"] != "2005-08-06" for a in day["articles"])  # 0c9880547e7dd70e mentions no date
    year = {a["id"] for a in client.get("/api/articles", params={"mentioned_from": "2006", "mentioned_to": "2006",
                                                                  "limit": 100}).json()["articles"]}
    assert "ef481cc4bf6b7b73" in year and "0b0333a05e09339a" not in year
    everything = client.get("/api/articles", params={"limit": 100}).json()["total"]
    assert 0 < day["total"] < everything
    statements = client.get("/api/statements", params={"mentioned_from": "2005-09-16", "mentioned_to": "2005-09-16",
                                                       "limit": 100}).json()["statements"]
    assert {s["article_id"] for s in statements} <= ids
    assert_error_shape(client.get("/api/articles", params={"mentioned_from": "gestern"}), 422)


def test_events_endpoint_filters(client: TestClient) -> None:
    everything = client.get("/api/events", params={"limit": 100}).json()
    assert everything["total"] > 0
    calls = client.get("/api/events", params={"type": "CONSULT", "actor": "Putin", "limit": 100}).json()
    phone = [row for row in calls["events"] if row["event"]["mode"] == "phone" and row["article_id"] == SEED_ID]
    assert phone and phone[0]["source_entity"]["name"] == "Donald Trump"
    assert phone[0]["target_entity"]["name"] == "Wladimir Putin"
    assert "Telefon" in phone[0]["evidence"]
    russia = client.get("/api/events", params={"country": "RUS", "type": "REQUEST", "limit": 100}).json()["events"]
    pairs = [((r["event"]["source"] or {}).get("country"), (r["event"]["target"] or {}).get("country")) for r in russia]
    assert pairs and all("RUS" in pair for pair in pairs)
    planned = client.get("/api/events", params={"modality": "planned", "limit": 100}).json()["events"]
    assert all(r["event"]["modality"] == "planned" for r in planned)
    assert_error_shape(client.get("/api/events", params={"type": "PARTY"}), 422)
    assert_error_shape(client.get("/api/events", params={"country": "russia!"}), 422)


def test_entity_page_events_and_dyad(client: TestClient) -> None:
    putin = client.get("/entities/PER:wladimir-putin.json").json()["entity"]
    assert any(r["event"]["type"] == "REQUEST" and r["event"]["mode"] == "meet" for r in putin["events_as_source"])
    assert any(r["event"]["type"] == "CONSULT" and r["source_entity"]["name"] == "Donald Trump"
               for r in putin["events_as_target"])
    page = client.get("/entities/PER:wladimir-putin").text
    assert 'id="events-as-source"' in page and "/dyads?a=" in page
    pair = client.get("/dyads.json", params={"a": "PER:donald-trump", "b": "PER:wladimir-putin"}).json()["dyad"]
    assert pair["total"] >= 2 and "CONSULT" in pair["types"]
    assert {r["direction"] for r in pair["by_direction"]} == {"a->b", "b->a"}
    page = client.get("/dyads", params={"a": "PER:donald-trump", "b": "PER:wladimir-putin"}).text
    chart = page[page.index('<svg id="dyad-chart"'):page.index("</svg>")]
    assert chart.count("<rect") >= 2 and "CONSULT" in chart and 'id="dyad-legend"' in page
    empty = client.get("/dyads.json", params={"a": "PER:donald-trump", "b": "LOC:nowhere"}).json()["dyad"]
    assert empty["total"] == 0 and empty["months"] == []
    assert_error_shape(client.get("/dyads.json", params={"a": "PER:donald-trump"}), 422)


@pytest.mark.xfail(strict=True, reason="issue 25: on the deep reader's reading the seed page quotes 'Beide hätten "
                   "vereinbart' (a message the deep statement heads do not take as indirect speech)")
def test_quotation_marks_only_on_verbatim_quotes(client: TestClient) -> None:
    from newsgraph.interfaces.web.render import message_text

    direct = {"kind": "Direct", "message": [{"text": "„lang und sehr produktiv“"}]}
    assert message_text(direct) == "„lang und sehr produktiv“"
    assert message_text({"kind": "Direct", "message": [{"text": "Wir sind bereit"}]}) == "„Wir sind bereit“"
    indirect = {"kind": "Indirect", "message": [{"text": "die Maßnahmen könnten bald wirken"}]}
    assert message_text(indirect) == "die Maßnahmen könnten bald wirken"
    for page in (client.get("/entities/PER:donald-trump").text, client.get(f"/articles/{SEED_ID}").text):
        assert "„„" not in page and "““" not in page
    trump = client.get("/entities/PER:donald-trump").text
    assert "„lang und sehr produktiv“" in trump
    assert "„Beide hätten vereinbart" not in trump and "Beide hätten vereinbart" in trump


def test_entity_timeline_has_an_axis_and_counts_undated_apart(client: TestClient) -> None:
    trump = client.get("/entities/PER:donald-trump").text  # only in the undated seed article
    assert 'id="undated"' in trump and 'id="no-dated-mentions"' in trump and '<svg id="timeline"' not in trump
    keys = [e["id"] for e in client.get("/api/entities", params={"limit": 50}).json()["entities"]]
    dated = next(k for k in keys
                 if any(p["month"] != "undated" for p in client.get(f"/api/entities/{k}").json()["timeline"]))
    page = client.get(f"/entities/{dated}").text
    timeline = page[page.index('<svg id="timeline"'):page.index("</svg>")]
    assert 'class="axis-y"' in timeline and 'class="count"' in timeline and ">undated<" not in timeline


def test_article_with_layers(client: TestClient) -> None:
    data = client.get(f"/api/articles/{SEED_ID}").json()
    assert len(data["sentences"]) == 16 and data["entities"]
    assert_error_shape(client.get("/api/articles/0000000000000000"), 404, "NG203")


def test_search_highlights_and_facets(client: TestClient) -> None:
    data = client.get("/api/search", params={"q": "Putin"}).json()
    assert SEED_ID in [a["id"] for a in data["articles"]]
    assert any("[Putin]" in a["snippet"] for a in data["articles"])
    assert {"source", "author", "entity", "month", "topic", "story"} == set(data["facets"])
    assert sum(f["count"] for f in data["facets"]["source"]) == data["total"]
    narrowed = client.get("/api/search", params={"q": "Putin", "entity": "PER:wladimir-putin", "facet_size": 50}).json()
    putin = next(f for f in narrowed["facets"]["entity"] if f["value"] == "PER:wladimir-putin")
    assert putin["count"] == narrowed["total"] >= 1
    # Text that is not valid FTS5 is searched as plain words, so any string the schema allows is answered.
    for path, q in (("/api/search", '"Putin'), ("/api/search", "foo:bar"), ("/api/articles", "Putin AND")):
        answer = client.get(path, params={"q": q})
        assert answer.status_code == 200 and answer.json()["query_as"] == "words", answer.text
    assert client.get("/api/search", params={"q": '"Putin'}).json()["total"] >= 1
    assert client.get("/api/search", params={"q": "Putin OR Trump"}).json()["query_as"] == "fts"


def test_entities_and_entity_page(client: TestClient) -> None:
    listing = client.get("/api/entities", params={"label": "PER"}).json()
    assert all(e["label"] == "PER" for e in listing["entities"])
    putin = client.get("/api/entities/PER:wladimir-putin").json()
    assert "Putin" in putin["aliases"] and putin["timeline"]
    assert_error_shape(client.get("/api/entities/PER:nobody"), 404, "NG203")


def test_statements_and_network_endpoints(client: TestClient) -> None:
    data = client.get("/api/statements", params={"kind": "Direct"}).json()
    assert {"total", "statements"} <= set(data)
    assert_error_shape(client.get("/api/statements", params={"kind": "Shouted"}), 422)
    net = client.get("/api/network", params={"kind": "events", "top": 10}).json()
    assert {"kind", "nodes", "edges", "total_nodes", "total_edges"} == set(net)
    assert len(net["nodes"]) <= 10 and all(n["name"] for n in net["nodes"])
    assert_error_shape(client.get("/api/network", params={"kind": "likes"}), 422)
    assert_error_shape(client.get("/api/network", params={"top": 1}), 422)


def test_start_page_redirects_to_the_index(client: TestClient) -> None:
    response = client.get("/", follow_redirects=False)
    assert response.status_code in (302, 307) and response.headers["location"] == "/index"
    assert client.get("/").status_code == 200


def test_analyze_empty_text_says_it_is_empty(client: TestClient) -> None:
    response = client.post("/api/analyze", json={"text": "   "})
    assert_error_shape(response, 400)
    assert response.json()["error"]["message"] == "the text is empty"


def test_analyze_text_and_html(client: TestClient) -> None:
    data = client.post("/api/analyze", json={"text": "Der Kreml bestätigte das Gespräch mit Trump."}).json()
    assert data["id"] and len(data["sentences"]) == 1 and data["language"] == "de"
    html = "<html><body><article><p>" + "Wladimir Putin sprach lange mit Donald Trump. " * 5 + "</p></article></body></html>"
    assert "Putin" in client.post("/api/analyze", json={"html": html}).json()["text"]
    assert_error_shape(client.post("/api/analyze", json={}), 400, "NG300")
    assert_error_shape(client.post("/api/analyze", json={"text": "x" * 3_000_000}), 413)
    assert client.get(f"/api/articles/{data['id']}").status_code == 404  # nothing stored


def test_ingest_is_off_by_default_and_needs_token(demo_db: Path, tmp_path: Path) -> None:
    client = TestClient(create_app(demo_db))
    assert_error_shape(client.post("/api/ingest", json={"articles": [{"text": "Hallo Welt."}]}), 403)
    db = tmp_path / "w.db"
    import shutil

    shutil.copy(demo_db, db)
    settings = {**load_settings(), "ingest_token": "s3cret"}
    writer = TestClient(create_app(db, settings))
    assert_error_shape(writer.post("/api/ingest", json={"articles": [{"text": "Hallo."}]},
                                   headers={"Authorization": "Bearer wrong"}), 401)
    ok = writer.post("/api/ingest", json={"articles": [{"text": "Neuer Artikel über Putin und Trump."}, {}]},
                     headers={"Authorization": "Bearer s3cret"}).json()
    assert ok["added"] == 1 and ok["failures"][0]["code"] == "NG300"
    assert writer.get(f"/api/articles/{ok['ids'][0]}").status_code == 200


def test_unknown_route_and_method_use_the_error_shape(client: TestClient) -> None:
    assert_error_shape(client.get("/api/nothing"), 404, "NG302")
    assert_error_shape(client.delete("/api/articles"), 405, "NG303")


@pytest.mark.parametrize("path", ["/index", "/search?q=Putin", f"/articles/{SEED_ID}", "/entities",
                                  "/entities/PER:wladimir-putin", "/network", "/network?kind=events",
                                  "/statements?kind=Direct", "/failures",
                                  "/dyads?a=PER:donald-trump&b=PER:wladimir-putin"])
def test_every_page_has_a_json_twin(client: TestClient, path: str) -> None:
    html = client.get(path)
    assert html.status_code == 200 and html.headers["content-type"].startswith("text/html")
    base, _, query = path.partition("?")
    twin = client.get(base + ".json" + ("?" + query if query else ""))
    assert twin.status_code == 200 and isinstance(twin.json(), dict) and twin.json()["title"]


def test_article_page_highlights_entities(client: TestClient) -> None:
    page = client.get(f"/articles/{SEED_ID}").text
    assert 'class="ent ent-PER"' in page and "/entities/PER:wladimir-putin" in page


def test_missing_page_json_twin_uses_error_shape(client: TestClient) -> None:
    assert_error_shape(client.get("/articles/0000000000000000.json"), 404, "NG203")
    assert client.get("/articles/0000000000000000").status_code == 404


def test_failures_listed(client: TestClient) -> None:
    data = client.get("/api/failures").json()
    assert data["total"] == 1 and data["failures"][0]["code"] == "NG009"


def test_sixteen_concurrent_analyze_requests_match_sequential(client: TestClient) -> None:
    import json
    from concurrent.futures import ThreadPoolExecutor

    root = Path(__file__).resolve().parents[2]
    lines = (root / "samples" / "wikinews-de.jsonl").read_text(encoding="utf-8").splitlines()[20:36]
    bodies = [{"text": json.loads(line)["text"]} for line in lines]
    sequential = [client.post("/api/analyze", json=b).json() for b in bodies]
    with ThreadPoolExecutor(max_workers=16) as pool:
        concurrent = [r.json() for r in pool.map(lambda b: client.post("/api/analyze", json=b), bodies)]
    assert all("statements" in r for r in concurrent)
    assert concurrent == sequential


def test_statements_page_filters_pages_and_downloads(client: TestClient) -> None:
    import csv
    import io

    page = client.get("/statements", params={"speaker": "PER:wladimir-putin"})
    assert page.status_code == 200 and "/entities/PER:wladimir-putin" in page.text
    listing = client.get("/statements.json", params={"speaker": "PER:wladimir-putin"}).json()["results"]
    assert listing["total"] >= 1
    assert all(s["speaker"]["id"] == "PER:wladimir-putin" for s in listing["statements"])
    everything = client.get("/statements.json").json()
    assert everything["results"]["total"] > 50 and everything["next"] == "offset=50" and everything["previous"] is None
    second = client.get("/statements.json", params={"offset": 50}).json()
    assert second["previous"] == "offset=0" and second["results"]["statements"][0] != everything["results"]["statements"][0]
    download = client.get("/statements.csv", params={"speaker": "PER:wladimir-putin"})
    assert download.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(download.text)))
    assert len(rows) == listing["total"] and {r["speaker_id"] for r in rows} == {"PER:wladimir-putin"}
    assert client.get("/statements", params={"kind": "Shouted"}).status_code == 422


def test_network_page_names_nodes_and_limits_labels(client: TestClient) -> None:
    page = client.get("/network", params={"top": 30, "labels": 3}).text
    assert page.count('class="node-label"') <= 3 and ">PER:" not in page.split('<table id="network-edges">')[1]
    data = client.get("/network.json", params={"kind": "events", "top": 30}).json()
    assert all(n["name"] for n in data["network"]["nodes"]) and len(data["network"]["nodes"]) <= 30
    graphml = client.get("/network.graphml", params={"kind": "events"})
    assert graphml.status_code == 200 and graphml.text.startswith("<?xml") and "Donald Trump" in graphml.text
    assert "<gexf" in client.get("/network.gexf").text
    assert client.get("/network", params={"top": 1}).status_code == 422


def test_entity_page_shows_the_party_in_brackets_as_affiliation(client: TestClient) -> None:
    schmidt = client.get("/api/entities/PER:renate-schmidt").json()
    assert {"id": "ORG:spd", "name": "SPD"}.items() <= schmidt["affiliations"][0].items()
    assert "SPD" not in schmidt["aliases"]
    page = client.get("/entities/PER:renate-schmidt").text
    assert 'id="affiliations"' in page and 'href="/entities/ORG:spd"' in page


def test_article_copies_endpoint(client: TestClient) -> None:
    data = client.get(f"/api/articles/{SEED_ID}/copies").json()
    assert set(data) == {"id", "credits", "reuse", "versions"}
    [copy] = data["reuse"]  # the demo corpus holds another outlet's rewrite of the seed article
    assert copy["title"] == "Trump und Putin vereinbaren Friedensgespräche" and copy["share"] > 0.3
    assert data["versions"] == []  # another source: a copy, not a version
    assert client.get(f"/api/articles/{copy['id']}/copies").json()["credits"] == ["dpa"]
    assert_error_shape(client.get("/api/articles/0000000000000000/copies"), 404, "NG203")


def test_stories_and_related_endpoints(client: TestClient) -> None:
    listing = client.get("/api/stories").json()
    [story] = listing["stories"]  # stories of two or more articles by default
    assert story["size"] == 2 and "Donald Trump" in story["label"]
    assert client.get("/api/stories", params={"min_size": 1}).json()["total"] == 21
    assert client.get("/api/stories", params={"entity": "PER:friedrich-merz"}).json()["total"] == 1
    assert client.get("/api/stories", params={"q": "Federer"}).json()["total"] == 0
    full = client.get(f"/api/stories/{story['id']}").json()
    assert {a["id"] for a in full["articles"]} >= {SEED_ID} and full["keywords"]
    assert {p["name"] for p in full["speakers"]} >= {"Donald Trump", "Friedrich Merz"}
    related = client.get(f"/api/articles/{SEED_ID}/related").json()
    assert related["story"]["id"] == story["id"] and related["keywords"] and related["reuse"]
    in_story = client.get("/api/articles", params={"story": story["id"]}).json()
    assert in_story["total"] == 2 and {a["story"] for a in in_story["articles"]} == {story["id"]}
    facet = client.get("/api/search", params={"q": "Putin"}).json()["facets"]["story"]
    assert facet == [{"value": story["id"], "count": 2, "name": story["label"]}]
    assert_error_shape(client.get("/api/stories/999999"), 404, "NG203")
    assert_error_shape(client.get("/api/stories/0"), 422, "NG301")
    assert_error_shape(client.get("/api/articles", params={"story": "x"}), 422, "NG301")


def test_article_page_marks_text_shared_with_another_article(tmp_path: Path) -> None:
    import json as json_module

    from newsgraph.model import Article
    from newsgraph.store import Corpus

    sample = Path(__file__).resolve().parents[2] / "samples" / "wikinews-de.jsonl"
    text = json_module.loads(sample.read_text(encoding="utf-8").splitlines()[0])["text"]
    first, copy = Article.create(text, title="Erst"), Article.create("MÜNCHEN (dpa) – " + text, title="Kopie")
    with Corpus(tmp_path / "c.db") as corpus:
        corpus.add([first, copy])
    page = TestClient(create_app(tmp_path / "c.db")).get(f"/articles/{copy.id}").text
    assert 'id="copies"' in page and f'href="/articles/{first.id}"' in page and 'class="shared"' in page
    assert "agency credit: dpa" in page


def test_search_has_a_topic_facet_and_filter(client: TestClient) -> None:
    data = client.get("/api/search", params={"q": "Putin"}).json()
    topics = {f["value"]: f["count"] for f in data["facets"]["topic"]}
    assert "politics" in topics
    narrowed = client.get("/api/articles", params={"topic": "politics", "limit": 100}).json()
    assert narrowed["total"] >= topics["politics"] and all(a["topic"] == "politics" for a in narrowed["articles"])
    assert client.get("/api/articles", params={"topic": "no such topic"}).json()["total"] == 0
    page = client.get("/search", params={"q": "Putin", "topic": "politics"}).text
    assert 'id="topic-facet"' in page and "topic politics" in page
    assert 'id="topic" ' not in page and '>politics</a>' in client.get(f"/articles/{SEED_ID}").text


def test_statements_carry_confidence_and_filter_by_it(client: TestClient) -> None:
    everything = client.get("/api/statements", params={"limit": 100}).json()
    confidences = [s["statement"]["confidence"] for s in everything["statements"]]
    assert confidences and all(0 <= c <= 1 for c in confidences)
    cut = sorted(confidences)[len(confidences) // 2]
    sure = client.get("/api/statements", params={"limit": 100, "min_confidence": cut}).json()
    assert 0 < sure["total"] < everything["total"] or cut == min(confidences)
    assert all(s["statement"]["confidence"] >= cut for s in sure["statements"])
    assert_error_shape(client.get("/api/statements", params={"min_confidence": 1.5}), 422, "NG301")
    page = client.get("/statements", params={"min_confidence": "0.9"})
    assert page.status_code == 200 and 'value="0.9" selected' in page.text
    assert client.get("/statements", params={"min_confidence": ""}).status_code == 200  # "any"
    assert "confidence" in client.get("/statements.csv").text.splitlines()[0]
