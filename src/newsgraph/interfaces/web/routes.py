"""Web pages. Each view returns a context dict; it is rendered as HTML, or as JSON at ``<path>.json``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import FastAPI, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from newsgraph.errors import NewsgraphError
from newsgraph.interfaces.api.deps import Reader
from newsgraph.interfaces.api.errors import status_for
from newsgraph.interfaces.api.params import (
    MEDIA,
    NETWORK_KIND_PATTERN,
    STATEMENT_KINDS,
    FormConfidence,
    FormDate,
    FormKind,
    FormMedium,
    Offset,
    StoryId,
    Text,
)
from newsgraph.interfaces.web.render import (
    bar_chart,
    force_layout,
    message_text,
    segments,
    shared_marks,
    stacked_chart,
    statements_as_csv,
)
from newsgraph.store import queries, story_queries
from newsgraph.store.event_queries import dyad, list_events
from newsgraph.store.network import EDGE_KIND_LABELS, GRAPH_FORMATS, graph_bytes
from newsgraph.store.network import network as network_query

HERE = Path(__file__).resolve().parent
templates = Jinja2Templates(directory=str(HERE / "templates"))
templates.env.filters["message"] = message_text
View = Callable[..., dict[str, Any]]
STATEMENTS_PAGE = 50
STORIES_PAGE = 50
CONFIDENCE_STEPS = (0.3, 0.5, 0.7, 0.9)  # as bench/statements.py reports them
CSV_ROWS = 100_000  # a download's cap; the CLI's export has none


def _page(app: FastAPI, path: str, template: str, view: View) -> None:
    """Register ``path`` (HTML) and ``path.json`` (the same context as JSON) for ``view``."""

    def render(request: Request, as_json: bool, **kwargs: Any) -> Response:
        try:
            context = view(**kwargs)
        except NewsgraphError as exc:
            status = status_for(exc)
            body = {"status": status, "code": exc.code, "message": exc.message, "hint": exc.hint}
            if as_json:
                return JSONResponse({"error": body}, status_code=status)
            return templates.TemplateResponse(request, "error.html", {"error": body}, status_code=status)
        if as_json:
            return JSONResponse({k: v for k, v in context.items() if not k.startswith("_")})
        return templates.TemplateResponse(request, template, context)

    import inspect

    params = [p for p in inspect.signature(view).parameters.values()]

    def make(as_json: bool) -> Callable[..., Response]:
        def endpoint(request: Request, **kwargs: Any) -> Response:
            return render(request, as_json, **kwargs)

        endpoint.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
            [inspect.Parameter("request", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=Request),
             *[p.replace(kind=inspect.Parameter.KEYWORD_ONLY) for p in params]])
        return endpoint

    app.add_api_route(path + ".json", make(True), methods=["GET"], include_in_schema=False)
    app.add_api_route(path, make(False), methods=["GET"], include_in_schema=False, response_class=HTMLResponse)


def mount_web(app: FastAPI) -> None:
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    def home(corpus: Reader) -> dict[str, Any]:
        return {"title": "newsgraph", "articles": queries.list_articles(corpus, limit=10)["articles"],
                "entities": queries.list_entities(corpus, limit=20)["entities"], "count": corpus.count()}

    def search(corpus: Reader, q: Text = None, source: Text = None, author: Text = None, entity: Text = None,
               month: Annotated[str | None, Query(pattern=r"^\d{4}-\d{2}$")] = None,
               topic: Text = None, story: StoryId = None) -> dict[str, Any]:
        date_from, date_to = (month, month) if month else (None, None)
        listing = queries.list_articles(corpus, q=q or None, source=source, author=author, entity=entity,
                                        date_from=date_from, date_to=date_to, topic=topic or None, story=story,
                                        limit=50)
        queries.add_snippets(corpus, q, listing["articles"])
        facets = queries.facets(corpus, q=q or None, source=source, author=author, entity=entity,
                                date_from=date_from, date_to=date_to, topic=topic or None, story=story)
        return {"title": f"Search: {q}" if q else "Search", "q": q or "", "source": source, "author": author,
                "entity": entity,
                "month": month, "topic": topic, "story": story, "results": listing, "facets": facets}

    def article(corpus: Reader, article_id: str) -> dict[str, Any]:
        art = corpus.get(article_id)
        shared = corpus.copies(article_id)
        return {"title": art.title or art.text[:60], "article": art.to_dict(), "copies": shared,
                "story": story_queries.story_of(corpus, article_id), "keywords": corpus.keywords(article_id),
                "_segments": segments(art, shared_marks(shared["reuse"]))}

    def stories(corpus: Reader, q: Text = None, entity: Text = None,
                min_size: Annotated[int, Query(ge=1, le=10000)] = 2, offset: Offset = 0) -> dict[str, Any]:
        listing = story_queries.list_stories(corpus, q=q or None, entity=entity or None, min_size=min_size,
                                             limit=STORIES_PAGE, offset=offset)
        return {"title": "Stories", "q": q or "", "entity": entity or "", "min_size": min_size, "results": listing}

    def story(corpus: Reader, story_id: Annotated[int, PathParam(ge=1, le=2**53)]) -> dict[str, Any]:
        st = story_queries.get_story(corpus, story_id)
        return {"title": st["label"], "story": st}

    def entities(corpus: Reader, q: Text = None,
                 label: Annotated[str | None, Query(pattern="^(PER|LOC|ORG|OTH)$")] = None) -> dict[str, Any]:
        return {"title": "Entities", "q": q or "", "label": label,
                "entities": queries.list_entities(corpus, q=q, label=label, limit=100)}

    def entity(corpus: Reader, entity_id: str) -> dict[str, Any]:
        ent = queries.get_entity(corpus, entity_id)
        ent["events_as_source"] = list_events(corpus, actor=entity_id, role="source", limit=50)["events"]
        ent["events_as_target"] = list_events(corpus, actor=entity_id, role="target", limit=50)["events"]
        return {"title": ent["name"], "entity": ent, "_chart": bar_chart(ent["timeline"])}

    def dyads(corpus: Reader, a: Annotated[str, Query(max_length=300)],
              b: Annotated[str, Query(max_length=300)]) -> dict[str, Any]:
        pair = dyad(corpus, a, b)
        return {"title": f"{pair['a']['name']} ↔ {pair['b']['name']}", "dyad": pair,
                "_chart": stacked_chart(pair["months"], pair["types"])}

    def network(corpus: Reader, kind: Annotated[str, Query(pattern=NETWORK_KIND_PATTERN)] = "quotes",
                entity: Text = None, date_from: FormDate = None, date_to: FormDate = None,
                top: Annotated[int, Query(ge=2, le=300)] = 40,
                labels: Annotated[int, Query(ge=0, le=300)] = 12) -> dict[str, Any]:
        graph = network_query(corpus, kind=kind, entity=entity, date_from=date_from, date_to=date_to, top=top)
        query = urlencode({k: v for k, v in (("kind", kind), ("entity", entity), ("date_from", date_from),
                                             ("date_to", date_to), ("top", top)) if v})
        return {"title": "Network", "network": graph, "kind": kind, "kinds": EDGE_KIND_LABELS, "entity": entity or "",
                "date_from": date_from or "", "date_to": date_to or "", "top": top, "labels": labels,
                "query": query, "_layout": force_layout(graph, labels=labels)}

    def network_file(fmt: str) -> Callable[..., Response]:
        def download(corpus: Reader, kind: Annotated[str, Query(pattern=NETWORK_KIND_PATTERN)] = "quotes",
                     entity: Text = None, date_from: FormDate = None, date_to: FormDate = None,
                     top: Annotated[int, Query(ge=2, le=5000)] = 40) -> Response:
            graph = network_query(corpus, kind=kind, entity=entity, date_from=date_from, date_to=date_to, top=top)
            return Response(graph_bytes(graph, fmt), media_type="application/xml", headers={
                "Content-Disposition": f'attachment; filename="newsgraph-{kind}.{fmt}"'})
        return download

    for fmt in GRAPH_FORMATS:  # before the page's routes, so "/network.graphml" is not read as a page
        app.add_api_route(f"/network.{fmt}", network_file(fmt), methods=["GET"], include_in_schema=False)

    def statements(corpus: Reader, speaker: Text = None, about: Text = None,
                   kind: FormKind = None, medium: FormMedium = None, date_from: FormDate = None,
                   date_to: FormDate = None, mentioned_from: FormDate = None, mentioned_to: FormDate = None,
                   min_confidence: FormConfidence = None, offset: Offset = 0) -> dict[str, Any]:
        given: dict[str, Any] = {"speaker": speaker, "about": about, "kind": kind, "medium": medium,
                                 "date_from": date_from, "date_to": date_to, "mentioned_from": mentioned_from,
                                 "mentioned_to": mentioned_to,
                                 "min_confidence": float(min_confidence) if min_confidence else None}
        filters = {k: v or None for k, v in given.items()}  # an empty form field means "any"
        listing = queries.list_statements(corpus, **filters, limit=STATEMENTS_PAGE, offset=offset)
        set_filters = {k: v for k, v in filters.items() if v}
        return {"title": "Statements", "filters": {k: v or "" for k, v in filters.items()}, "kinds": STATEMENT_KINDS,
                "media": MEDIA, "confidences": CONFIDENCE_STEPS, "results": listing, "query": urlencode(set_filters),
                "previous": urlencode({**set_filters, "offset": max(offset - STATEMENTS_PAGE, 0)}) if offset else None,
                "next": urlencode({**set_filters, "offset": offset + STATEMENTS_PAGE})
                if offset + STATEMENTS_PAGE < listing["total"] else None}

    def statements_csv(corpus: Reader, speaker: Text = None, about: Text = None,
                       kind: FormKind = None, medium: FormMedium = None, date_from: FormDate = None,
                       date_to: FormDate = None, mentioned_from: FormDate = None,
                       mentioned_to: FormDate = None, min_confidence: FormConfidence = None) -> Response:
        rows = queries.list_statements(corpus, speaker=speaker, about=about, kind=kind, medium=medium,
                                       date_from=date_from, date_to=date_to, mentioned_from=mentioned_from,
                                       mentioned_to=mentioned_to,
                                       min_confidence=float(min_confidence) if min_confidence else None,
                                       limit=CSV_ROWS)["statements"]
        return Response(statements_as_csv(rows), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": 'attachment; filename="newsgraph-statements.csv"'})

    app.add_api_route("/statements.csv", statements_csv, methods=["GET"], include_in_schema=False)

    def failures(corpus: Reader) -> dict[str, Any]:
        return {"title": "Failures", "failures": corpus.failures(limit=200), "total": corpus.failure_count()}

    _page(app, "/search", "search.html", search)
    _page(app, "/articles/{article_id}", "article.html", article)
    _page(app, "/stories", "stories.html", stories)
    _page(app, "/stories/{story_id}", "story.html", story)
    _page(app, "/entities", "entities.html", entities)
    _page(app, "/entities/{entity_id}", "entity.html", entity)
    _page(app, "/network", "network.html", network)
    _page(app, "/statements", "statements.html", statements)
    _page(app, "/dyads", "dyad.html", dyads)
    _page(app, "/failures", "failures.html", failures)
    _page(app, "/index", "home.html", home)
    app.add_api_route("/", _home_redirect, methods=["GET"], include_in_schema=False)


def _home_redirect() -> Response:
    from fastapi.responses import RedirectResponse

    return RedirectResponse("/index")
