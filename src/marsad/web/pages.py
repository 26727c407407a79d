"""The web UI: Arabic, right to left, everything served locally.

Pages are rendered server-side from the same ``Views`` the REST API uses;
Jinja2 autoescapes every value and annotated text is built by
``render.highlight``, which escapes each piece, so article text is always
shown as text.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import jinja2
from markupsafe import Markup, escape
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from marsad.api.views import Views
from marsad.web.render import LEGEND, cooccurrence_svg, highlight, marked_snippet, marks_from_record

HERE = Path(__file__).parent
TYPE_NAMES = {"PER": "شخص", "LOC": "مكان", "ORG": "منظمة", "GPE": "دولة أو مدينة", "MISC": "أخرى"}

_env = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE / "templates"),
                          autoescape=jinja2.select_autoescape(default=True, default_for_string=True))
_env.globals.update(TYPE_NAMES=TYPE_NAMES, LEGEND=LEGEND, marked_snippet=marked_snippet)
templates = Jinja2Templates(env=_env)


def url_with(base: str, params: dict[str, Any], **changes: Any) -> str:
    """``base`` with the query ``params`` updated (None drops a key): facet
    links keep the rest of the query in the URL."""
    p = {k: v for k, v in {**params, **changes}.items() if v not in (None, "")}
    return base + ("?" + urlencode(p) if p else "")


_env.globals["url_with"] = url_with


def article_label(title: str | None, article_id: str) -> Markup:
    """An article's title, or its id isolated left to right (an id such as
    000_86a... would otherwise be reordered by the bidi algorithm)."""
    if title:
        return Markup(escape(title))
    return Markup(f'<bdi dir="ltr">{escape(article_id)}</bdi>')


_env.globals["article_label"] = article_label


def lead(text: str, width: int = 90) -> str:
    """The opening words of an article without a title, dateline dropped."""
    first = text.strip().split("\n", 1)[0]
    head, sep, rest = first.partition(":")
    if sep and len(head) < 40 and rest.strip():
        first = rest.strip()
    return first if len(first) <= width else first[:width].rsplit(" ", 1)[0] + "…"


_env.globals["lead"] = lead


def _page(request: Request, name: str, status_code: int = 200, **ctx: Any) -> HTMLResponse:
    return templates.TemplateResponse(request, name, ctx, status_code=status_code)


def error_page(request: Request, status: int, message: str) -> HTMLResponse:
    return _page(request, "error.html", status, status=status, message=message)


def docs_page(request: Request, schema: dict[str, Any]) -> HTMLResponse:
    ops = []
    for path, methods in schema.get("paths", {}).items():
        for method, op in methods.items():
            params = [p.get("name") for p in op.get("parameters", [])]
            ops.append({"method": method.upper(), "path": path, "summary": op.get("summary") or "",
                        "doc": op.get("description") or "", "params": params})
    return _page(request, "docs.html", ops=ops, title=schema.get("info", {}).get("title"))


def register_pages(app: FastAPI, views: Views) -> None:
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    @app.get("/", include_in_schema=False, response_class=HTMLResponse)
    def home(request: Request) -> HTMLResponse:
        return _page(request, "index.html", articles=views.articles(limit=15),
                     stories=views.stories(limit=10)["items"], entities=views.entities(limit=20)["items"],
                     stats=views.engine.store.count())

    @app.get("/articles/{article_id}", include_in_schema=False, response_class=HTMLResponse)
    def article(request: Request, article_id: str) -> HTMLResponse:
        rec = views.article(article_id)
        body = highlight(rec["text"], marks_from_record(rec))
        reuse = views.reuse(article_id, rec)
        uniq: dict[str, dict[str, Any]] = {}
        for m in rec["entities"]:
            uniq.setdefault(m.get("entity_id") or m["text"], m)
        return _page(request, "article.html", a=rec, body=body, reuse=reuse, uniq=list(uniq.values()),
                     heading=rec.get("title") or lead(rec["text"]))

    @app.get("/entities/{entity_id}", include_in_schema=False, response_class=HTMLResponse)
    def entity(request: Request, entity_id: str) -> HTMLResponse:
        e = views.entity(entity_id)
        graph = cooccurrence_svg(e["canonical"], e["cooccurring"])
        return _page(request, "entity.html", e=e, graph=graph)

    @app.get("/stories/{story_id}", include_in_schema=False, response_class=HTMLResponse)
    def story(request: Request, story_id: str) -> HTMLResponse:
        return _page(request, "story.html", s=views.story_page(story_id), story_id=story_id)

    @app.get("/search", include_in_schema=False, response_class=HTMLResponse)
    def search(request: Request, q: str = "", source: str = "", date_from: str = "", date_to: str = "",
               entity: str = "", type: str = "", offset: int = 0) -> HTMLResponse:
        params = {"q": q, "source": source, "date_from": date_from, "date_to": date_to, "entity": entity,
                  "type": type}
        res = views.search(q, source=source or None, date_from=date_from or None, date_to=date_to or None,
                           entity=entity or None, type=type or None, limit=20, offset=max(0, offset))
        return _page(request, "search.html", r=res, params=params)
