"""The ASGI app: REST API under ``/api``, web UI at ``/``, OpenAPI at ``/openapi.json``, docs at ``/docs``.

GET requests use a read-only database connection with a time limit; POST /api/ingest is off unless the
``ingest_token`` setting is set, and then needs ``Authorization: Bearer <token>``.
"""

from __future__ import annotations

import hmac
from pathlib import Path
from typing import Annotated, Any

from fastapi import Body, FastAPI, Header, HTTPException, Query, Request
from fastapi import Path as PathParam
from pydantic import BaseModel, Field

from newsgraph import __version__
from newsgraph.interfaces.api.deps import Reader
from newsgraph.interfaces.api.errors import install_error_handlers
from newsgraph.interfaces.api.guards import Guards
from newsgraph.interfaces.api.params import (
    EVENT_TYPE_PATTERN,
    KIND_PATTERN,
    MEDIUM_PATTERN,
    MODALITY_PATTERN,
    Confidence,
    Date,
    Limit,
    Offset,
    StoryId,
    Text,
)
from newsgraph.pipeline import Pipeline
from newsgraph.settings import load_settings
from newsgraph.store import queries, story_queries
from newsgraph.store.event_queries import list_events
from newsgraph.store.network import network as network_query


class ErrorDetail(BaseModel):
    status: int
    code: str = Field(description="stable error code, NGnnn")
    message: str
    hint: str = Field(description="what to do next")


class ErrorBody(BaseModel):
    error: ErrorDetail


# Every operation may answer these, always in the one error shape (interfaces/api/errors.py).
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorBody, "description": "bad request (Host not served, malformed query)"},
    404: {"model": ErrorBody, "description": "no such article, entity or page"},
    405: {"model": ErrorBody, "description": "method not allowed (see the Allow header)"},
    413: {"model": ErrorBody, "description": "request body too large"},
    422: {"model": ErrorBody, "description": "invalid parameters or body"},
    503: {"model": ErrorBody, "description": "query ran past its time limit, or the server is busy"},
}


class AnalyzeRequest(BaseModel):
    text: str | None = Field(None, description="plain text of one article")
    html: str | None = Field(None, description="an HTML page; its main text is extracted")
    title: str | None = Field(None, max_length=1000)
    published: str | None = Field(None, pattern=r"^\d{4}-\d{2}-\d{2}")
    source: str | None = Field(None, max_length=200)


class IngestRequest(BaseModel):
    articles: list[AnalyzeRequest] = Field(..., max_length=100)


def create_app(db: str | Path | None = None, settings: dict[str, Any] | None = None, *,
               allowed_hosts: list[str] | None = None) -> Any:
    """The app wrapped in its guards (body limit, security headers, Host allow-list where ``allowed_hosts`` or
    the ``allowed_hosts`` setting names hosts)."""
    cfg = settings or load_settings()
    app = _create_app(db, cfg)
    hosts = allowed_hosts or [h.strip() for h in str(cfg["allowed_hosts"]).split(",") if h.strip()] or None
    return Guards(app, max_body=int(cfg["analyze_max_bytes"]), allowed_hosts=hosts, bulk_paths=["/api/ingest"])


def _serve_docs_offline(app: FastAPI) -> None:
    """Swagger UI at /docs from the files the fastapi-offline package ships (Swagger UI 5, which reads OpenAPI
    3.1): no CDN, so the page works offline and within the Content-Security-Policy (this server's scripts only)."""
    from importlib.resources import files

    from fastapi.openapi.docs import get_swagger_ui_html
    from fastapi.responses import HTMLResponse
    from fastapi.staticfiles import StaticFiles

    assets = str(files("fastapi_offline") / "static")
    app.mount("/static/swagger-ui", StaticFiles(directory=assets), name="swagger-ui")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(openapi_url="/openapi.json", title="newsgraph API",
                                   swagger_js_url="/static/swagger-ui/swagger-ui-bundle.js",
                                   swagger_css_url="/static/swagger-ui/swagger-ui.css",
                                   swagger_favicon_url="/static/swagger-ui/favicon.png")


def _create_app(db: str | Path | None, cfg: dict[str, Any]) -> FastAPI:
    db_path = Path(db or cfg["db"])
    app = FastAPI(title="newsgraph", version=__version__,
                  description="German news as structured, attributed, searchable data.",
                  responses=ERROR_RESPONSES, docs_url=None, redoc_url=None)
    _serve_docs_offline(app)
    app.state.db_path = db_path
    app.state.settings = cfg
    app.state.pipeline = Pipeline(settings=cfg)  # POST /api/analyze: the tier and the other settings it was served with
    install_error_handlers(app)

    @app.get("/api/articles", tags=["articles"])
    def articles(corpus: Reader, q: Text = None, source: Text = None, author: Text = None, entity: Text = None,
                 date_from: Date = None, date_to: Date = None, mentioned_from: Date = None,
                 mentioned_to: Date = None, topic: Text = None, story: StoryId = None, limit: Limit = 20,
                 offset: Offset = 0) -> dict[str, Any]:
        """Articles, newest first, filtered by text query, source, author, entity, publication date range and the dates
        the articles talk about (``mentioned_from``/``mentioned_to``: a time expression in the article names a day
        in the range), IPTC topic (``politics``, ``sport``, …) and story id. ``q`` is SQLite FTS5 syntax (words, "phrases",
        OR, NOT, prefix*); text that is not valid FTS5 is searched as plain words (``query_as`` says which)."""
        query, query_as = queries.readable_query(corpus, q)
        return {**queries.list_articles(corpus, q=query, source=source, author=author, entity=entity,
                                        date_from=date_from,
                                        date_to=date_to, mentioned_from=mentioned_from, mentioned_to=mentioned_to,
                                        topic=topic, story=story, limit=limit, offset=offset), "query_as": query_as}

    @app.get("/api/articles/{article_id}", tags=["articles"])
    def article(corpus: Reader, article_id: Annotated[str, PathParam(pattern="^[0-9a-f]{16}$")]) -> dict[str, Any]:
        """One article with all its layers (the Article JSON contract)."""
        return corpus.get(article_id).to_dict()

    @app.get("/api/articles/{article_id}/copies", tags=["articles"])
    def article_copies(corpus: Reader,
                       article_id: Annotated[str, PathParam(pattern="^[0-9a-f]{16}$")]) -> dict[str, Any]:
        """Agency credits ("dpa", "AFP") and the stored articles this one shares passages with: both spans of
        each shared passage and the share of this article's text they cover."""
        return corpus.copies(article_id)

    @app.get("/api/articles/{article_id}/related", tags=["articles"])
    def article_related(corpus: Reader,
                        article_id: Annotated[str, PathParam(pattern="^[0-9a-f]{16}$")]) -> dict[str, Any]:
        """What ties the article to the corpus: its story, keywords (TF-IDF against the corpus), other versions
        (same URL, or same source with most of the text shared) and the articles it shares passages with."""
        return {"id": article_id, "keywords": corpus.keywords(article_id),
                "story": story_queries.story_of(corpus, article_id), **corpus.copies(article_id)}

    @app.get("/api/stories", tags=["stories"])
    def stories(corpus: Reader, q: Text = None, entity: Text = None, date_from: Date = None, date_to: Date = None,
                min_size: Annotated[int, Query(ge=1, le=10000)] = 2, limit: Limit = 20,
                offset: Offset = 0) -> dict[str, Any]:
        """Story clusters (articles about one news event), largest and newest first: label (top entities and
        keywords), size and dates. ``q`` matches their articles' text, ``entity`` a corpus entity id."""
        query, query_as = queries.readable_query(corpus, q)
        return {**story_queries.list_stories(corpus, q=query, entity=entity, date_from=date_from, date_to=date_to,
                                             min_size=min_size, limit=limit, offset=offset), "query_as": query_as}

    @app.get("/api/stories/{story_id}", tags=["stories"])
    def story(corpus: Reader, story_id: Annotated[int, PathParam(ge=1, le=2**53)]) -> dict[str, Any]:
        """One story: label, keywords, its articles on a timeline, statements across outlets, who said what."""
        return story_queries.get_story(corpus, story_id)

    @app.get("/api/search", tags=["search"])
    def search(corpus: Reader, q: Annotated[str, Query(min_length=1, max_length=500)], source: Text = None,
               author: Text = None, entity: Text = None, topic: Text = None, story: StoryId = None, limit: Limit = 20,
               offset: Offset = 0, facet_size: Annotated[int, Query(ge=1, le=50)] = 10) -> dict[str, Any]:
        """Full-text search with highlighted snippets, and facets by source, author, entity, month, topic and
        story. ``q`` is SQLite FTS5 syntax (words, "phrases", OR, NOT, prefix*); text that is not valid FTS5 is
        searched as plain words (``query_as`` says which)."""
        query, query_as = queries.readable_query(corpus, q)
        listing = queries.list_articles(corpus, q=query, source=source, author=author, entity=entity, topic=topic,
                                        story=story, limit=limit, offset=offset)
        queries.add_snippets(corpus, query, listing["articles"])
        return {**listing, "query": q, "query_as": query_as,
                "facets": queries.facets(corpus, q=query, source=source, author=author, entity=entity, topic=topic,
                                         story=story, size=facet_size)}

    @app.get("/api/entities", tags=["entities"])
    def entities(corpus: Reader, label: Annotated[str | None, Query(pattern="^(PER|LOC|ORG|OTH)$")] = None,
                 q: Text = None, limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
        """Entities across the corpus with the number of articles that mention them."""
        return queries.list_entities(corpus, label=label, q=q, limit=limit, offset=offset)

    @app.get("/api/entities/{entity_id}", tags=["entities"])
    def entity(corpus: Reader, entity_id: Annotated[str, PathParam(max_length=300)]) -> dict[str, Any]:
        """One entity: aliases, roles, mentions per month, statements by and about it."""
        return queries.get_entity(corpus, entity_id)

    @app.get("/api/statements", tags=["statements"])
    def statements(corpus: Reader, speaker: Text = None, about: Text = None,
                   kind: Annotated[str | None, Query(pattern=KIND_PATTERN)] = None,
                   medium: Annotated[str | None, Query(pattern=MEDIUM_PATTERN)] = None,
                   date_from: Date = None, date_to: Date = None, mentioned_from: Date = None,
                   mentioned_to: Date = None, min_confidence: Confidence = None, limit: Limit = 20,
                   offset: Offset = 0) -> dict[str, Any]:
        """Who said what, filtered by speaker, entity talked about, kind, medium (Speech, Writing, SW = either,
        ST = speech or thought), publication date, the dates the statement's article talks about
        (``mentioned_from``/``mentioned_to``) and ``min_confidence`` (0-1: the estimated chance that cue,
        speaker and message are right; bench/statements.py gives precision and recall per threshold)."""
        return queries.list_statements(corpus, speaker=speaker, about=about, kind=kind, medium=medium,
                                       date_from=date_from, date_to=date_to, mentioned_from=mentioned_from,
                                       mentioned_to=mentioned_to, min_confidence=min_confidence, limit=limit,
                                       offset=offset)

    @app.get("/api/events", tags=["events"])
    def events(corpus: Reader, type: Annotated[str | None, Query(pattern=EVENT_TYPE_PATTERN)] = None,
               actor: Text = None, country: Annotated[str | None, Query(pattern="^[A-Z0-9]{2,5}$")] = None,
               date_from: Date = None, date_to: Date = None,
               modality: Annotated[str | None, Query(pattern=MODALITY_PATTERN)] = None,
               min_confidence: Confidence = None, limit: Limit = 20, offset: Offset = 0) -> dict[str, Any]:
        """Political events (PLOVER) filtered by type, actor (entity id or part of a name, as source or target),
        country (ISO 3166 alpha-3 of either actor), event date range, modality and ``min_confidence`` (0-1: the
        estimated chance that type and source are right; bench/events.py); each with its sentence."""
        return list_events(corpus, kind=type, actor=actor, country=country, date_from=date_from, date_to=date_to,
                           modality=modality, min_confidence=min_confidence, limit=limit, offset=offset)

    @app.get("/api/network", tags=["statements"])
    def network(corpus: Reader, kind: Annotated[str, Query(pattern="^(quotes|events)$")] = "quotes",
                entity: Annotated[str | None, Query(max_length=300)] = None, date_from: Date = None,
                date_to: Date = None, top: Annotated[int, Query(ge=2, le=1000)] = 40) -> dict[str, Any]:
        """Who talks about whom (``quotes``: speaker -> entities named in the message) or who acts on whom
        (``events``: source -> target): the ``top`` entities by weight and the edges among them, with names.
        ``entity`` keeps the edges that touch it; dates filter by publication date. The same graph as GraphML
        or GEXF for Gephi: ``/network.graphml``, ``/network.gexf`` with the same parameters."""
        return network_query(corpus, kind=kind, entity=entity, date_from=date_from, date_to=date_to, top=top)

    @app.get("/api/failures", tags=["ingest"])
    def failures(corpus: Reader, limit: Limit = 50) -> dict[str, Any]:
        """Inputs that could not be read or analysed."""
        return {"failures": corpus.failures(limit=limit), "total": corpus.failure_count()}

    @app.post("/api/analyze", tags=["analyze"])
    async def analyze_text(request: Annotated[AnalyzeRequest, Body()], http: Request,
                           content_length: Annotated[int | None, Header()] = None) -> dict[str, Any]:
        """Analyse text or HTML and return the Article JSON; nothing is stored. Runs in the bounded analysis
        pool with the article time budget (503 past it, or when the pool is full)."""
        from newsgraph.interfaces.api.analysis import analyze_request, in_analysis_pool

        limit = int(cfg["analyze_max_bytes"])
        if content_length is not None and content_length > limit:
            raise HTTPException(413, f"request body over {limit} bytes")
        max_chars = min(limit, int(cfg["max_article_chars"]))
        article = await in_analysis_pool(lambda: analyze_request(request, max_chars=max_chars,
                                                                         pipeline=app.state.pipeline),
                                         budget=float(cfg["article_time_budget"]),
                                         hang_guard=float(cfg["article_hang_guard"]), disconnected=http.is_disconnected)
        return article.to_dict()

    @app.post("/api/ingest", tags=["ingest"], responses={
        401: {"model": ErrorBody, "description": "missing or wrong bearer token"},
        403: {"model": ErrorBody, "description": "ingest over the API is off (no ingest_token set)"}})
    async def ingest(request: Annotated[IngestRequest, Body()], http: Request,
                     authorization: Annotated[str | None, Header()] = None) -> dict[str, Any]:
        """Analyse and store articles. Off unless the ``ingest_token`` setting is set. Runs in the bounded
        analysis pool (each article within the time budget)."""
        from newsgraph.interfaces.api.analysis import in_analysis_pool, ingest_request

        token = str(cfg["ingest_token"])
        if not token:
            raise HTTPException(403, "ingest over the API is off; set the ingest_token setting to enable it")
        if not hmac.compare_digest((authorization or "").encode(), f"Bearer {token}".encode()):
            raise HTTPException(401, "missing or wrong bearer token")
        # each article has its own budget inside ingest; this call only ends when the client leaves
        return await in_analysis_pool(lambda: ingest_request(request.articles, db_path, cfg), budget=0,
                                      disconnected=http.is_disconnected)

    from newsgraph.interfaces.web.routes import mount_web

    mount_web(app)
    return app


