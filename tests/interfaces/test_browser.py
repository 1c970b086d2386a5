"""The web UI in a real browser: Debian's Chromium driven by Playwright (no browser download).

Skips when Chromium or Playwright is missing, except under CI=true, where .ci/run installs Chromium.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]


def _require(condition: bool, why: str) -> None:
    if not condition:
        if os.environ.get("CI") == "true":
            pytest.fail(why)
        pytest.skip(why)


@pytest.fixture(scope="module")
def server(demo_db: Path) -> Iterator[str]:
    uvicorn = pytest.importorskip("uvicorn")
    from newsgraph.interfaces.api import create_app

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    srv = uvicorn.Server(uvicorn.Config(create_app(demo_db), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not srv.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def page(server: str) -> Iterator[object]:
    _require(CHROMIUM is not None, "Chromium is not installed (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _require(False, "playwright is not installed (pip install -e '.[dev]')")
        raise
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser.new_page(viewport={"width": 1280, "height": 900})
        browser.close()


def test_api_docs_work_offline(page, server: str) -> None:  # type: ignore[no-untyped-def]
    outside: list[str] = []

    def only_local(route) -> None:  # type: ignore[no-untyped-def]
        if route.request.url.startswith(server):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", only_local)
    try:
        page.goto(server + "/docs")
        page.wait_for_selector(".swagger-ui .opblock", timeout=15000)
        assert page.locator(".swagger-ui .opblock", has_text="/api/articles").first.is_visible()
    finally:
        page.unroute("**/*")
    assert outside == []


def test_start_page_opens(page, server: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(server + "/")
    page.wait_for_url("**/index")
    assert page.locator("header input[name=q]").is_visible()
    assert "NG301" not in page.content()


def test_search_article_entity_click_path(page, server: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(server + "/index")
    page.fill("header input[name=q]", "Selenskyj")
    page.click("header button")
    page.wait_for_url("**/search?q=Selenskyj")
    hit = page.locator("a.hit-title").first
    assert hit.is_visible()
    assert page.locator(".snippet mark", has_text="Selenskyj").first.is_visible()
    hit.click()
    page.wait_for_url("**/articles/*")
    text = page.locator("#article-text")
    assert "Beide hätten vereinbart" in text.inner_text()
    putin = text.locator("a.ent-PER", has_text="Wladimir Putin").first
    assert putin.is_visible()
    assert "PER" in (putin.get_attribute("title") or "")
    putin.click()
    page.wait_for_url("**/entities/PER:wladimir-putin")
    assert page.locator("h1").inner_text() == "Wladimir Putin"
    assert page.locator("#timeline rect").count() >= 1 or page.locator("#undated").is_visible()
    assert page.locator("#statements-by li", has_text="russische Forderung").first.is_visible()


def test_article_page_highlights_statements(page, server: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(server + "/articles/c7a0c5fce984f6f9")
    cue = page.locator("#article-text span.cue", has_text="zufolge").first
    assert cue.is_visible()
    assert "Kreml" in (cue.get_attribute("title") or "")
    assert page.locator("#article-text span.message").count() >= 4
    assert page.locator("#statements li", has_text="Wladimir Putin").first.is_visible()


def test_article_page_marks_time_expressions(page, server: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(server + "/articles/0b0333a05e09339a")  # published 2005-09-17
    yesterday = page.locator("#article-text span.time", has_text="gestern").first
    assert yesterday.is_visible()
    assert "DATE 2005-09-16" in (yesterday.get_attribute("title") or "")
    assert "publication date" in (yesterday.get_attribute("title") or "")
    assert page.locator("#times li", has_text="2005-09-17TEV").first.is_visible()


def test_article_page_marks_events(page, server: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(server + "/articles/c7a0c5fce984f6f9")
    invitation = page.locator("#article-text span.event-REQUEST", has_text="Einladung").first
    assert invitation.is_visible()
    hover = invitation.get_attribute("title") or ""
    assert "Wladimir Putin (RUS/GOV) → REQUEST meet → Donald Trump (USA/GOV)" in hover
    assert page.locator("#events li", has_text="CONSULT phone").first.is_visible()


def test_article_story_and_entity_pages_show_corpus_links(page, server: str) -> None:  # type: ignore[no-untyped-def]
    """Issue 14: shared passages, story, topic and keywords on the article page; the story page; affiliations."""
    page.goto(server + "/search?q=Friedensgespräche")
    page.locator("a.hit-title", has_text="Trump und Putin vereinbaren").click()
    page.wait_for_url("**/articles/*")
    assert page.locator("#credits", has_text="dpa").is_visible()
    assert page.locator("#copies li", has_text="% of this text").first.is_visible()
    assert page.locator("#article-text .shared").count() >= 1  # the shared passage is marked in the text
    assert page.locator("#topic").is_visible() and page.locator("#keywords a.keyword").count() >= 3
    story_link = page.locator("#story a")
    assert "Donald Trump" in story_link.inner_text()
    story_link.click()
    page.wait_for_url("**/stories/*")
    assert page.locator("#story-articles li").count() == 2
    assert page.locator("#story-speakers li", has_text="Friedrich Merz").is_visible()
    assert page.locator("#story-statements li", has_text="Frieden").first.is_visible()
    page.locator("#story-speakers a", has_text="Friedrich Merz").click()
    page.wait_for_url("**/entities/PER:friedrich-merz")
    assert page.locator("h1").inner_text() == "Friedrich Merz"
    assert page.locator("#affiliations a", has_text="CDU").is_visible()
    page.goto(server + "/stories")
    assert page.locator("#stories td a", has_text="Donald Trump").is_visible()
    page.goto(server + "/search?q=Putin")
    page.locator("#story-facet a").first.click()
    page.wait_for_url("**story=*")
    assert page.locator("li.hit").count() == 2


def test_search_results_are_the_main_column(page, server: str) -> None:  # type: ignore[no-untyped-def]
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(server + "/search?q=Präsident")
    results = page.locator("section.results").bounding_box()
    facets = page.locator("aside.facets").bounding_box()
    assert results and facets and results["width"] > 2 * facets["width"]


def test_facet_click_narrows_results(page, server: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(server + "/search?q=Präsident")
    before = page.locator("li.hit").count()
    page.locator(".facets a.ent").first.click()
    page.wait_for_url("**entity=*")
    assert 1 <= page.locator("li.hit").count() <= before


def test_failures_page_lists_the_broken_line(page, server: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(server + "/failures")
    assert page.locator("#failures td", has_text="NG009").first.is_visible()


def test_network_page_is_readable(page, server: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(server + "/network?kind=events&top=30&labels=5")
    assert page.locator("#network circle.node").count() <= 30
    labels = page.locator("#network text.node-label")
    assert 1 <= labels.count() <= 5 and all(labels.nth(i).is_visible() for i in range(labels.count()))
    boxes = [labels.nth(i).bounding_box() for i in range(labels.count())]
    for i, a in enumerate(boxes):  # no two visible labels overlap
        for b in boxes[i + 1:]:
            assert a and b and (a["x"] + a["width"] <= b["x"] or b["x"] + b["width"] <= a["x"]
                                or a["y"] + a["height"] <= b["y"] or b["y"] + b["height"] <= a["y"])
    assert page.locator("#network-edges td a", has_text="Donald Trump").first.is_visible()
    page.fill("#network-filters input[name=entity]", "Putin")
    page.click("#network-filters button")
    page.wait_for_url("**entity=Putin*")
    rows = page.locator("#network-edges tr")
    assert rows.count() >= 2
    assert all("Putin" in rows.nth(i).inner_text() for i in range(1, rows.count()))


def test_statements_page_filters_and_links(page, server: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(server + "/statements")
    assert page.locator("#statements tr").count() > 1
    verbatim = page.locator("#statements td.verbatim")
    assert verbatim.count() >= 1 and verbatim.first.inner_text().startswith(("„", '"'))
    page.select_option("#statement-filters select[name=kind]", "Indirect")
    page.fill("#statement-filters input[name=speaker]", "Putin")
    page.click("#statement-filters button")
    page.wait_for_url("**kind=Indirect*")
    paraphrases = page.locator("#statements td.paraphrase")
    assert paraphrases.count() >= 1 and page.locator("#statements td.verbatim").count() == 0
    assert not paraphrases.first.inner_text().startswith("„")  # a paraphrase is not shown as verbatim
    assert page.locator("#statements-csv").get_attribute("href").startswith("/statements.csv?")
    page.locator("#statements td a.ent").first.click()
    page.wait_for_url("**/entities/PER:wladimir-putin")
    assert page.locator("h1").inner_text() == "Wladimir Putin"
    assert page.locator("#events-as-source li, #events-as-target li").first.is_visible()


def test_screenshots_for_docs(page, server: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = Path(os.environ.get("NEWSGRAPH_SCREENSHOTS", tmp_path))
    page.goto(server + "/articles/c7a0c5fce984f6f9")
    page.screenshot(path=str(out / "article.png"), full_page=True)
    page.goto(server + "/entities/PER:wladimir-putin")
    page.screenshot(path=str(out / "entity.png"), full_page=True)
    page.goto(server + "/network?kind=events")
    page.screenshot(path=str(out / "network.png"), full_page=True)
    page.goto(server + "/statements")
    page.screenshot(path=str(out / "statements.png"))
    assert (out / "article.png").stat().st_size > 10_000
