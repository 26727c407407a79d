"""SQLite backend: one file, WAL mode, FTS5 over the normalised text.

Schema versions live in ``schema_versions`` (one row per owner: ``core`` for
the tables below, one per linker ``Schema``); ``MIGRATIONS`` upgrades the
core step by step.
"""
from __future__ import annotations

import sqlite3
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator, Sequence

from marsad.errors import StoreError
from marsad.model import Analysis, Article
from marsad.store.base import (Schema, SearchHit, SearchQuery, Store, article_filters, migrate_schema, pack,
                               unpack)
from marsad.store.snippets import snippet
from marsad.text.normalize import SEARCH
from marsad.text.search import fts_query, index_columns

CORE_VERSION = 1

MIGRATIONS: dict[int, tuple[str, ...]] = {
    1: (
        """CREATE TABLE IF NOT EXISTS articles (
            rowid INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            source TEXT, url TEXT, published TEXT, title TEXT, dateline TEXT,
            lang TEXT, content_hash TEXT NOT NULL, text TEXT NOT NULL,
            analysis BLOB, ingested_at TEXT DEFAULT CURRENT_TIMESTAMP)""",
        "CREATE UNIQUE INDEX IF NOT EXISTS articles_url ON articles(url) WHERE url IS NOT NULL",
        "CREATE INDEX IF NOT EXISTS articles_hash ON articles(content_hash)",
        "CREATE INDEX IF NOT EXISTS articles_published ON articles(published, id)",
        "CREATE INDEX IF NOT EXISTS articles_source ON articles(source)",
        """CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5(
            title, norm, stems, skels, content='', tokenize='unicode61 remove_diacritics 0')""",
    ),
}

# BM25 column weights: title, exact normalised form, stem, skeleton
_WEIGHTS = (3.0, 2.0, 1.0, 0.5)


class SQLiteStore(Store):
    def __init__(self, path: str | Path = "marsad.db"):
        self.path = str(path)
        self.url = self.path
        if self.path != ":memory:":
            parent = Path(self.path).parent
            if not parent.exists():
                raise StoreError(f"cannot create database {self.path}: folder {parent} does not exist")
        try:
            self.db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.execute("PRAGMA foreign_keys=ON")
            self.db.execute("PRAGMA busy_timeout=10000")
            # a 64 MB page cache (the default is 2 MB): the linkers' indexes are
            # read at random, and at 100k articles they no longer fit in 2 MB
            self.db.execute("PRAGMA cache_size=-65536")
            self.db.execute("PRAGMA temp_store=MEMORY")
        except sqlite3.DatabaseError as e:
            raise StoreError(f"{self.path} is not a marsad SQLite database ({e})") from e
        self._lock = threading.RLock()
        self._depth = 0
        self._migrate()

    # -- lifecycle ---------------------------------------------------------
    def close(self) -> None:
        self.db.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        with self._lock:
            outer = self._depth == 0
            if outer:
                self.db.execute("BEGIN IMMEDIATE")
            self._depth += 1
            try:
                yield
            except BaseException:
                self._depth -= 1
                if outer:
                    self.db.execute("ROLLBACK")
                raise
            else:
                self._depth -= 1
                if outer:
                    self.db.execute("COMMIT")

    def _version(self, owner: str) -> int:
        row = self.db.execute("SELECT version FROM schema_versions WHERE owner=?", (owner,)).fetchone()
        return row[0] if row else 0

    def _set_version(self, owner: str, version: int) -> None:
        self.db.execute("INSERT INTO schema_versions(owner, version) VALUES (?, ?) "
                        "ON CONFLICT(owner) DO UPDATE SET version=excluded.version", (owner, version))

    def _migrate(self) -> None:
        with self.transaction():
            self.db.execute("CREATE TABLE IF NOT EXISTS schema_versions (owner TEXT PRIMARY KEY, version INTEGER)")
            current = self._version("core")
            if current > CORE_VERSION:
                raise StoreError(f"{self.path} has schema version {current}, newer than this marsad "
                                 f"({CORE_VERSION}); upgrade marsad")
            for v in range(current + 1, CORE_VERSION + 1):
                for stmt in MIGRATIONS[v]:
                    self.db.execute(stmt)
                self._set_version("core", v)

    def ensure_schema(self, schema: Schema) -> None:
        with self.transaction():
            current = self._version(schema.name)
            if current == schema.version:
                return
            migrate_schema(self, schema, current)
            self._set_version(schema.name, schema.version)

    # -- articles ------------------------------------------------------------
    def find_existing(self, article: Article) -> str | None:
        row = self.db.execute("SELECT id FROM articles WHERE id=?", (article.id,)).fetchone()
        if row is None and article.url:
            row = self.db.execute("SELECT id FROM articles WHERE url=?", (article.url,)).fetchone()
        if row is None:
            row = self.db.execute("SELECT id FROM articles WHERE content_hash=?", (article.content_hash,)).fetchone()
        return row[0] if row else None

    def put(self, analysis: Analysis) -> None:
        a = analysis.article
        with self.transaction():
            old = self.db.execute("SELECT rowid, title, text FROM articles WHERE id=?", (a.id,)).fetchone()
            if old is not None:
                rowid, title, text = old
                self.db.execute("INSERT INTO articles_fts(articles_fts, rowid, title, norm, stems, skels) "
                                "VALUES ('delete', ?, ?, ?, ?, ?)",
                                (rowid, *self._fts_columns(title, text)))
                self.db.execute("DELETE FROM articles WHERE rowid=?", (rowid,))
            cur = self.db.execute(
                "INSERT INTO articles(id, source, url, published, title, dateline, lang, content_hash, text, analysis) "
                "VALUES (?,?,?,?,?,?,?,?,?,?)",
                (a.id, a.source, a.url, a.published, a.title, a.dateline, a.lang, a.content_hash, a.text,
                 pack(analysis)))
            self.db.execute("INSERT INTO articles_fts(rowid, title, norm, stems, skels) VALUES (?,?,?,?,?)",
                            (cur.lastrowid, *self._fts_columns(a.title, a.text, analysis.tokens)))

    @staticmethod
    def _fts_columns(title: str | None, text: str, tokens: Any = None) -> tuple[str, str, str, str]:
        tnorm = " ".join(SEARCH.text(title).split()) if title else ""
        return (tnorm, *index_columns(text, tokens))

    _ARTICLE_COLS = "id, text, source, url, published, title, dateline, lang, content_hash"

    def _article(self, row: Sequence[Any]) -> Article:
        return Article(*row[:9])

    def get_article(self, article_id: str) -> Article | None:
        row = self.db.execute(f"SELECT {self._ARTICLE_COLS} FROM articles WHERE id=?", (article_id,)).fetchone()
        return self._article(row) if row else None

    def get_analysis(self, article_id: str) -> Analysis | None:
        row = self.db.execute(f"SELECT {self._ARTICLE_COLS}, analysis FROM articles WHERE id=?",
                              (article_id,)).fetchone()
        return unpack(self._article(row), row[9]) if row else None

    def article_ids(self, *, source: str | None = None, date_from: str | None = None,
                    date_to: str | None = None, limit: int | None = None, offset: int = 0) -> list[str]:
        where, params = self._filters(source, date_from, date_to)
        sql = f"SELECT id FROM articles {where} ORDER BY published, id"
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            params += [limit, offset]
        return [r[0] for r in self.db.execute(sql, params)]

    @staticmethod
    def _filters(source: str | None, date_from: str | None, date_to: str | None,
                 prefix: str = "") -> tuple[str, list[Any]]:
        conds, params = article_filters(source, date_from, date_to, prefix)
        return ("WHERE " + " AND ".join(conds)) if conds else "", params

    def count(self) -> int:
        return self.db.execute("SELECT count(*) FROM articles").fetchone()[0]

    def _table_exists(self, name: str) -> bool:
        return self.db.execute("SELECT 1 FROM sqlite_master WHERE name=?", (name,)).fetchone() is not None

    def search(self, query: SearchQuery) -> tuple[list[SearchHit], int]:
        where, params = self._filters(query.source, query.date_from, query.date_to, prefix="a.")
        conds = [where.removeprefix("WHERE ")] if where else []
        if query.entity_id:
            if not self._table_exists("entity_mentions"):
                return [], 0
            conds.append("a.id IN (SELECT article_id FROM entity_mentions WHERE entity_id = ?)")
            params.append(query.entity_id)
        if query.story_id:
            if not self._table_exists("story_articles"):
                return [], 0
            conds.append("a.id IN (SELECT article_id FROM story_articles WHERE story_id = ?)")
            params.append(query.story_id)
        match = fts_query(query.text)
        if match:
            w = ", ".join(str(x) for x in _WEIGHTS)
            base = (f"FROM articles_fts f JOIN articles a ON a.rowid = f.rowid "
                    f"WHERE articles_fts MATCH ? {''.join(' AND ' + c for c in conds)}")
            args = [match, *params]
            rank = f"bm25(articles_fts, {w})"
        else:
            base = f"FROM articles a {('WHERE ' + ' AND '.join(conds)) if conds else ''}"
            args = list(params)
            rank = "0"
        text = "a.text" if query.snippets else "''"
        try:
            total = self.db.execute(f"SELECT count(*) {base}", args).fetchone()[0]
            rows = self.db.execute(
                f"SELECT a.id, a.title, a.source, a.published, {text} AS text, {rank} AS r {base} "
                f"ORDER BY r, a.published DESC LIMIT ? OFFSET ?", [*args, query.limit, query.offset]).fetchall()
        except sqlite3.OperationalError as e:
            raise StoreError(f"search failed: {e}") from e
        hits = []
        for aid, title, source, published, text, r in rows:
            snip, hl, spans = snippet(text, query.text) if query.snippets else ("", (), ())
            hits.append(SearchHit(aid, title, source, published, -float(r), snip, hl, spans))
        return hits, total

    def stats(self) -> dict[str, Any]:
        out: dict[str, Any] = {"backend": "sqlite", "path": self.path, "articles": self.count()}
        out["sources"] = dict(self.db.execute(
            "SELECT coalesce(source, 'unknown'), count(*) FROM articles GROUP BY 1 ORDER BY 2 DESC").fetchall())
        row = self.db.execute("SELECT min(published), max(published) FROM articles").fetchone()
        out["published"] = {"first": row[0], "last": row[1]}
        out["schema"] = dict(self.db.execute("SELECT owner, version FROM schema_versions").fetchall())
        return out

    # -- SQL surface ----------------------------------------------------------
    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        self.db.execute(sql, params)

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        self.db.executemany(sql, rows)

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return self.db.execute(sql, params).fetchall()
