"""The REST API and the web UI: one FastAPI app, a thin layer over ``Engine``.

    app = create_app("marsad.db", token="s3cret")   # uvicorn app

JSON lives under ``/api/``; pages at ``/``, ``/articles/{id}``,
``/entities/{id}``, ``/stories/{id}``, ``/search`` (marsad.web.pages).
Errors are JSON ``{"error": message}`` with the status of the library error
(``MarsadError.status``).  The write endpoint (``POST /api/ingest``) needs
``Authorization: Bearer <token>``; with no token configured it is disabled.
The OpenAPI schema is at ``/openapi.json``; ``/docs`` is a local page (the
stock Swagger page loads its assets from a CDN).
"""
from __future__ import annotations

import hmac
import json
import os
import threading
from typing import Any

from fastapi import FastAPI, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from marsad.api.views import Views
from marsad.engine import Engine
from marsad.errors import InputError, MarsadError

MAX_BODY = 5 * 1024 * 1024
MAX_BATCH = 1000


class Unauthorized(MarsadError):
    status = 401


class Forbidden(MarsadError):
    status = 403


class TooLarge(MarsadError):
    status = 413


def _error(status: int, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status, headers=headers)


def check_token(request: Request, token: str | None) -> None:
    """401 without credentials, 403 with wrong ones or when writes are off."""
    if not token:
        raise Forbidden("write endpoints are disabled: start the server with `marsad serve --token ...` "
                        "or set MARSAD_TOKEN")
    auth = request.headers.get("authorization", "")
    scheme, _, given = auth.partition(" ")
    if not auth or scheme.lower() != "bearer" or not given.strip():
        raise Unauthorized("missing credentials: send `Authorization: Bearer <token>`")
    if not hmac.compare_digest(given.strip().encode(), token.encode()):
        raise Forbidden("wrong token")


async def read_limited(request: Request, limit: int) -> bytes:
    """The body, refused with 413 when Content-Length or the bytes actually
    streamed exceed ``limit`` (a client may lie or send chunks)."""
    declared = request.headers.get("content-length")
    if declared is not None:
        try:
            if int(declared) > limit:
                raise TooLarge(f"body of {int(declared):,} bytes is over the {limit:,} byte limit")
        except ValueError:
            raise InputError("Content-Length is not a number") from None
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise TooLarge(f"body is over the {limit:,} byte limit")
        chunks.append(chunk)
    return b"".join(chunks)


def _articles_from_json(data: Any) -> tuple[list[Any], list[dict[str, Any]]]:
    from marsad.ingest.files import article_from_text
    from marsad.model import content_hash

    records = data if isinstance(data, list) else [data]
    if not records:
        raise InputError("empty list: send one article object or a list of them")
    if len(records) > MAX_BATCH:
        raise InputError(f"{len(records)} articles in one request; send at most {MAX_BATCH}")
    articles, errors = [], []
    for i, r in enumerate(records):
        if not isinstance(r, dict):
            errors.append({"index": i, "error": "not an object with fields id, source, published, title, text, url"})
            continue
        text = r.get("text")
        if not isinstance(text, str):
            errors.append({"index": i, "error": "field 'text' (a string) is required"})
            continue
        try:
            aid = r.get("id") or f"api-{content_hash(text)[:16]}"
            articles.append(article_from_text(text, id=str(aid), source=r.get("source"),
                                              published=r.get("published"), title=r.get("title"),
                                              url=r.get("url"), line=i))
        except InputError as e:
            errors.append({"index": i, "error": e.reason})
    return articles, errors


def create_app(engine_or_db_path: Engine | str, token: str | None = None, *,
               max_body: int = MAX_BODY) -> FastAPI:
    """The app over an engine (or a database path/URL it opens).  ``token``
    defaults to the MARSAD_TOKEN environment variable."""
    engine = engine_or_db_path if isinstance(engine_or_db_path, Engine) else Engine(engine_or_db_path)
    token = token if token is not None else (os.environ.get("MARSAD_TOKEN") or None)
    views = Views(engine)
    ingest_lock = threading.Lock()
    app = FastAPI(title="marsad", version="1.0",
                  description="Arabic news intelligence: articles with entities, quotes, dates, amounts, "
                              "events, stories and reuse; search with facets.",
                  docs_url=None, redoc_url=None)
    app.state.engine = engine
    app.state.views = views

    @app.exception_handler(MarsadError)
    async def marsad_error(request: Request, exc: MarsadError) -> Any:
        headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
        if not request.url.path.startswith("/api/"):
            from marsad.web.pages import error_page

            return error_page(request, exc.status, str(exc))
        return _error(exc.status, str(exc), headers)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Any:
        if not request.url.path.startswith("/api/") and exc.status_code == 404:
            from marsad.web.pages import error_page

            return error_page(request, 404, "الصفحة غير موجودة (page not found)")
        return _error(exc.status_code, str(exc.detail), getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        parts = []
        for e in exc.errors():
            where = ".".join(str(x) for x in e.get("loc", ()))
            parts.append(f"{where}: {e.get('msg')}")
        return _error(422, "; ".join(parts) or "invalid request")

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        return _error(500, f"internal error: {type(exc).__name__}")

    # -- read endpoints ----------------------------------------------------------
    @app.get("/api/articles", tags=["articles"])
    def list_articles(source: str | None = None, date_from: str | None = None, date_to: str | None = None,
                      entity: str | None = None, story: str | None = None,
                      limit: int = Query(20, description="1..200"), offset: int = 0) -> dict[str, Any]:
        """Articles, newest first, filtered by source, date, entity id, story id."""
        return views.articles(source=source, date_from=date_from, date_to=date_to, entity=entity, story=story,
                              limit=limit, offset=offset)

    @app.get("/api/articles/{article_id}", tags=["articles"])
    def get_article(article_id: str) -> dict[str, Any]:
        """One article in the export contract with all its annotations."""
        return views.article(article_id)

    @app.get("/api/articles/{article_id}/reuse", tags=["articles"])
    def get_reuse(article_id: str) -> dict[str, Any]:
        """Passages this article shares with others, with both texts."""
        return {"article_id": article_id, "items": views.reuse(article_id)}

    @app.get("/api/entities", tags=["entities"])
    def list_entities(q: str | None = None, type: str | None = None, limit: int = 50,
                      offset: int = 0) -> dict[str, Any]:
        """Entities across the store (empty until the entity linker is installed)."""
        return views.entities(q=q, type=type, limit=limit, offset=offset)

    @app.get("/api/entities/{entity_id}", tags=["entities"])
    def get_entity(entity_id: str) -> dict[str, Any]:
        """Aliases, titles, mentions, quotes said and co-occurring entities."""
        return views.entity(entity_id)

    @app.get("/api/events", tags=["events"])
    def list_events(type: str | None = Query(None, description="PLOVER type, e.g. CONSULT"),
                    mode: str | None = Query(None, description="happened, announced, negated, hypothetical"),
                    date_from: str | None = None, date_to: str | None = None,
                    actor: str | None = Query(None, description="entity id of an actor"),
                    article: str | None = Query(None, description="events reported by this article"),
                    limit: int = 50, offset: int = 0) -> dict[str, Any]:
        """Events (one per real-world event, merged across reports), newest first."""
        return views.events(type=type, mode=mode, date_from=date_from, date_to=date_to, actor=actor,
                            article=article, limit=limit, offset=offset)

    @app.get("/api/events/{event_id}", tags=["events"])
    def get_event(event_id: str) -> dict[str, Any]:
        """One event with its actors and every report of it."""
        return views.event(event_id)

    @app.get("/api/stories", tags=["stories"])
    def list_stories(limit: int = 50, offset: int = 0) -> dict[str, Any]:
        return views.stories(limit=limit, offset=offset)

    @app.get("/api/stories/{story_id}", tags=["stories"])
    def get_story(story_id: str) -> dict[str, Any]:
        """A story with its articles (time order), events and reuse passages."""
        return views.story_page(story_id)

    @app.get("/api/search", tags=["search"])
    def search(q: str = "", source: str | None = None, date_from: str | None = None, date_to: str | None = None,
               entity: str | None = None, type: str | None = Query(None, description="entity type: PER LOC ORG GPE MISC"),
               limit: int = 20, offset: int = 0) -> dict[str, Any]:
        """Full-text search (Arabic spelling folded) with facets by source,
        month, entity type and entity."""
        return views.search(q, source=source, date_from=date_from, date_to=date_to, entity=entity or None,
                            type=type or None, limit=limit, offset=offset)

    @app.get("/api/stats", tags=["meta"])
    def stats() -> dict[str, Any]:
        with views.lock:
            return engine.stats()

    # -- write endpoint -------------------------------------------------------------
    def _ingest(articles: list[Any]) -> dict[str, Any]:
        with ingest_lock:
            new, dups = [], []
            with views.lock:
                for a in articles:
                    existing = engine.store.find_existing(a)
                    (dups.append(existing) if existing else new.append(a))
            if new:
                engine.add(new)
                views.invalidate()
        return {"added": [a.id for a in new], "duplicates": dups}

    @app.post("/api/ingest", tags=["write"], status_code=201,
              responses={401: {"description": "no token"}, 403: {"description": "wrong token or writes disabled"},
                         413: {"description": "body over the limit"}})
    async def ingest(request: Request) -> JSONResponse:
        """Analyse and store one article or a list (JSON objects with id,
        source, published, title, text, url).  Needs ``Authorization: Bearer``."""
        check_token(request, token)
        body = await read_limited(request, max_body)
        try:
            data = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as e:
            raise InputError(f"body is not JSON ({e})") from None
        articles, errors = _articles_from_json(data)
        if not articles:
            return _error(400, "; ".join(f"article {e['index']}: {e['error']}" for e in errors))
        result = await run_in_threadpool(_ingest, articles)
        result["errors"] = errors
        return JSONResponse(result, status_code=201 if result["added"] else 200)

    # -- docs and pages ------------------------------------------------------------------
    @app.get("/docs", include_in_schema=False, response_class=HTMLResponse)
    def docs(request: Request) -> Any:
        from marsad.web.pages import docs_page

        return docs_page(request, app.openapi())

    from marsad.web.pages import register_pages

    register_pages(app, views)
    return app

