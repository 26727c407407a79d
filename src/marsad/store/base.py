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
from dataclasses import dataclass, field, fields
from typing import Any, Callable, Iterator, Sequence

from marsad.errors import StoreError

from marsad.model import Analysis, Article, _Record


Migration = str | Callable[["Store", Callable[[str], str]], None]


@dataclass(frozen=True)
class Schema:
    """Tables owned by one part of marsad.  ``version`` grows with each change;
    ``statements`` are portable DDL (TEXT, INTEGER, REAL, BLOB; no
    AUTOINCREMENT; ``WITHOUT ROWID`` is kept by SQLite and dropped by
    PostgreSQL) that create the current version from nothing.

    ``migrations[v]`` upgrades tables at version ``v - 1`` to ``v``: SQL
    statements, or callables given the store and its DDL translation
    (``ddl(statement)``), run in order inside the
    migration's transaction (see :func:`migrate_schema`).  A version without
    an entry only adds tables or indexes: ``statements`` (all ``IF NOT
    EXISTS``) are run again."""

    name: str
    version: int
    statements: tuple[str, ...]
    migrations: dict[int, tuple[Migration, ...]] = field(default_factory=dict, hash=False, compare=False)


def migrate_schema(store: "Store", schema: Schema, current: int, ddl: Callable[[str], str] = lambda s: s) -> None:
    """Bring ``schema``'s tables from version ``current`` to ``schema.version``
    (the caller holds a transaction and records the new version)."""
    if current > schema.version:
        raise StoreError(f"{store.url}: the {schema.name} tables are at version {current}, newer than this "
                         f"marsad knows ({schema.version}); upgrade marsad")
    if current > 0:
        for v in range(current + 1, schema.version + 1):
            for step in schema.migrations.get(v, ()):
                if callable(step):
                    step(store, ddl)
                else:
                    store.execute(ddl(step))
    for stmt in schema.statements:
        store.execute(ddl(stmt))


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


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _plain(record: Any, skip: tuple[str, ...] = ()) -> dict[str, Any]:
    """``record.to_dict()`` without the ``skip`` fields, with the field names
    looked up once per class."""
    names = _FIELD_NAMES.get(type(record))
    if names is None:
        names = _FIELD_NAMES[type(record)] = tuple(f.name for f in fields(record))
    out: dict[str, Any] = {}
    for n in names:
        if n in skip:
            continue
        v = getattr(record, n)
        if isinstance(v, _Record):
            v = _plain(v)
        elif isinstance(v, tuple):
            v = [_plain(x) if isinstance(x, _Record) else x for x in v]
        out[n] = v
    return out


def pack(analysis: Analysis) -> bytes:
    """Analysis as stored: JSON without tokens (recomputed on load) and
    without the article (stored in its own columns), zlib'd.  The same JSON
    as ``analysis.to_dict()`` minus those two keys, built without converting
    the tokens first."""
    d = _plain(analysis, ("article", "tokens"))
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

    def find_existing_many(self, articles: Sequence[Article]) -> list[str | None]:
        """``find_existing`` of each article (a backend may ask once for all)."""
        return [self.find_existing(a) for a in articles]

    @abstractmethod
    def put(self, analysis: Analysis) -> None:
        """Store one analysed article (insert or replace by id)."""

    def put_many(self, analyses: Sequence[Analysis]) -> None:
        """Store analysed articles (as ``put`` each; a backend may send them
        in fewer statements)."""
        for a in analyses:
            self.put(a)

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

    # an expression ordering a table's rows as they were inserted (for tables never updated): ties
    # in ORDER BY are broken by it, so that a LIMIT keeps the same rows on every backend
    ROW_ORDER = "rowid"

    IN_CHUNK = 500  # values per ``any_of`` condition (SQLite binds at most 32,766 values a statement)

    def any_of(self, column: str, values: Sequence[Any]) -> tuple[str, list[Any]]:
        """A condition "``column`` is one of ``values``" and its parameters:
        ``column IN (?, ...)`` here, one array parameter on PostgreSQL (one
        plan whatever the number of values).  Callers cut ``values`` into
        chunks of ``IN_CHUNK``."""
        return f"{column} IN ({','.join('?' * len(values))})", list(values)

    @abstractmethod
    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]: ...
