"""The store interface that every backend implements.

Articles and their analyses are the core; cross-article linkers (entities,
stories, reuse, events) keep their own tables, declared as ``Schema`` objects
and created by the store's migrations, and talk to them through the small SQL
surface (``execute``/``query``/``executemany``, qmark ``?`` placeholders; the
PostgreSQL backend translates them).  Everything written inside one
``transaction()`` becomes visible at once or not at all.
"""
from __future__ import annotations

import json
import zlib
from abc import ABC, abstractmethod
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any, Iterator, Sequence

from marsad.model import Analysis, Article


@dataclass(frozen=True)
class Schema:
    """Tables owned by one part of marsad.  ``version`` grows with each change;
    ``statements`` are portable DDL (TEXT, INTEGER, REAL; no AUTOINCREMENT)."""

    name: str
    version: int
    statements: tuple[str, ...]


@dataclass(frozen=True)
class SearchQuery:
    text: str = ""
    source: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    entity_id: str | None = None
    story_id: str | None = None
    limit: int = 20
    offset: int = 0
    snippets: bool = True  # False: ranking only (facets over many hits)


@dataclass(frozen=True)
class SearchHit:
    article_id: str
    title: str | None
    source: str | None
    published: str | None
    score: float
    snippet: str
    highlights: tuple[tuple[int, int], ...] = ()  # offsets into snippet
    spans: tuple[tuple[int, int], ...] = field(default=())  # offsets into the article text


def article_filters(source: str | None, date_from: str | None, date_to: str | None,
                    prefix: str = "a.") -> tuple[list[str], list[Any]]:
    """SQL conditions (qmark parameters) selecting articles by source and by
    publication date, shared by every backend."""
    conds: list[str] = []
    params: list[Any] = []
    if source:
        conds.append(f"{prefix}source = ?")
        params.append(source)
    if date_from:
        conds.append(f"{prefix}published >= ?")
        params.append(date_from)
    if date_to:
        conds.append(f"substr({prefix}published, 1, 10) <= ?")
        params.append(date_to)
    return conds, params


def pack(analysis: Analysis) -> bytes:
    """Analysis as stored: JSON without tokens (recomputed on load), zlib'd."""
    d = analysis.to_dict()
    d.pop("tokens", None)
    d.pop("article", None)
    return zlib.compress(json.dumps(d, ensure_ascii=False, separators=(",", ":")).encode("utf-8"), 6)


def unpack(article: Article, blob: bytes | None) -> Analysis:
    if not blob:
        return Analysis(article=article)
    d = json.loads(zlib.decompress(bytes(blob)).decode("utf-8"))
    d["article"] = article.to_dict()
    return Analysis.from_dict(d)


class Store(ABC):
    """One backend.  Use as a context manager; ``close()`` releases it."""

    url: str

    # -- lifecycle -------------------------------------------------------
    @abstractmethod
    def close(self) -> None: ...

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    @abstractmethod
    def transaction(self) -> AbstractContextManager[None]:
        """All writes inside commit together, or roll back on error."""

    @abstractmethod
    def ensure_schema(self, schema: Schema) -> None:
        """Create or migrate a linker's tables (idempotent)."""

    # -- articles ----------------------------------------------------------
    @abstractmethod
    def find_existing(self, article: Article) -> str | None:
        """Id of a stored article with the same id, URL or content hash."""

    @abstractmethod
    def put(self, analysis: Analysis) -> None:
        """Store one analysed article (insert or replace by id)."""

    @abstractmethod
    def get_article(self, article_id: str) -> Article | None: ...

    @abstractmethod
    def get_analysis(self, article_id: str) -> Analysis | None: ...

    @abstractmethod
    def article_ids(self, *, source: str | None = None, date_from: str | None = None,
                    date_to: str | None = None, limit: int | None = None, offset: int = 0) -> list[str]:
        """Ids ordered by publication date then id."""

    def iter_analyses(self, ids: Sequence[str] | None = None) -> Iterator[Analysis]:
        for aid in ids if ids is not None else self.article_ids():
            a = self.get_analysis(aid)
            if a is not None:
                yield a

    @abstractmethod
    def count(self) -> int: ...

    @abstractmethod
    def search(self, query: SearchQuery) -> tuple[list[SearchHit], int]:
        """Ranked hits (BM25) and the total number of matching articles."""

    @abstractmethod
    def stats(self) -> dict[str, Any]: ...

    # -- SQL surface for linkers ----------------------------------------------
    @abstractmethod
    def execute(self, sql: str, params: Sequence[Any] = ()) -> None: ...

    @abstractmethod
    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None: ...

    @abstractmethod
    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]: ...
