"""One error shape for every error: ``{"error": {"code", "message", "hint", "status"}}``."""

from __future__ import annotations

import logging
import sqlite3

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from newsgraph.errors import (
    ArticleTimeout,
    BadQuery,
    ClientGone,
    NewsgraphError,
    NotFound,
    QueryTimeout,
    ServerBusy,
    StoreDamaged,
    StoreLocked,
    StoreReadOnly,
    UsageError,
)
from newsgraph.store.files import translate

log = logging.getLogger("newsgraph.api")

STATUS = {NotFound: 404, BadQuery: 400, UsageError: 400, QueryTimeout: 503, ArticleTimeout: 503, ServerBusy: 503,
          StoreDamaged: 503, StoreReadOnly: 503, StoreLocked: 503, ClientGone: 503}


def error_body(status: int, code: str, message: str, hint: str = "") -> dict[str, dict[str, object]]:
    return {"error": {"status": status, "code": code, "message": message, "hint": hint}}


def status_for(exc: NewsgraphError) -> int:
    for cls, status in STATUS.items():
        if isinstance(exc, cls):
            return status
    return 422 if exc.code.startswith("NG0") else 500


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(NewsgraphError)
    async def coded(request: Request, exc: NewsgraphError) -> JSONResponse:
        status = status_for(exc)
        return JSONResponse(error_body(status, exc.code, exc.message, exc.hint), status_code=status)

    @app.exception_handler(sqlite3.Error)
    async def store(request: Request, exc: sqlite3.Error) -> JSONResponse:  # damaged, read-only or locked store
        return await coded(request, translate(exc, request.app.state.db_path))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors())
        return JSONResponse(error_body(422, "NG301", f"invalid request: {problems}",
                                       "see /docs for the parameters this endpoint takes"), status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {404: "NG302", 405: "NG303", 401: "NG304", 403: "NG305", 413: "NG306"}.get(exc.status_code, "NG300")
        hint = {404: "see /docs for the available endpoints", 405: "see the Allow header for the methods served",
                413: "send less (one article per request to /api/analyze), or raise analyze_max_bytes"}.get(
            exc.status_code, "")
        return JSONResponse(error_body(exc.status_code, code, str(exc.detail), hint), status_code=exc.status_code,
                            headers=getattr(exc, "headers", None))  # keeps Allow on 405

    @app.exception_handler(Exception)
    async def crash(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s", request.url.path)
        return JSONResponse(error_body(500, "NG399", f"internal error: {type(exc).__name__}",
                                       "this is a bug; report it with the request"), status_code=500)
