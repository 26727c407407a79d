"""PostgreSQL backend: the server store, behind the same interface as SQLite.

psycopg 3 with a connection pool; a transaction pins one connection to the
calling thread until it ends.  Full-text search uses a ``tsvector`` over the
same normalised columns as the SQLite FTS5 index (the 'simple' configuration:
marsad normalises and stems itself), weighted title > exact form > stem >
skeleton and ranked with ``ts_rank_cd``.

Linkers write portable SQL with ``?`` placeholders; ``_translate`` turns it
into psycopg's ``%s`` and maps SQLite's ``INSERT OR IGNORE`` / ``INSERT OR
REPLACE`` spellings (linkers should prefer ``ON CONFLICT``).
"""
from __future__ import annotations

import re
import threading
from contextlib import contextmanager
from functools import lru_cache
from typing import Any, Iterable, Iterator, Sequence

from marsad.errors import StoreError
from marsad.model import Analysis, Article
from marsad.store.base import (Schema, SearchHit, SearchQuery, Store, article_filters, migrate_schema, pack,
                               unpack)
from marsad.store.snippets import snippet
from marsad.text.normalize import SEARCH
from marsad.text.search import index_columns, query_words

CORE_VERSION = 1

MIGRATIONS: dict[int, tuple[str, ...]] = {
    1: (
        """CREATE TABLE IF NOT EXISTS articles (
            rowid BIGSERIAL PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            source TEXT, url TEXT, published TEXT, title TEXT, dateline TEXT,
            lang TEXT, content_hash TEXT NOT NULL, text TEXT NOT NULL,
            analysis BYTEA, ingested_at TIMESTAMPTZ DEFAULT now(),
            tsv TSVECTOR)""",
        "CREATE UNIQUE INDEX IF NOT EXISTS articles_url ON articles(url) WHERE url IS NOT NULL",
        "CREATE INDEX IF NOT EXISTS articles_hash ON articles(content_hash)",
        "CREATE INDEX IF NOT EXISTS articles_published ON articles(published, id)",
        "CREATE INDEX IF NOT EXISTS articles_source ON articles(source)",
        "CREATE INDEX IF NOT EXISTS articles_tsv ON articles USING GIN (tsv)",
    ),
}

_Q = re.compile(r"\?")
_OR_IGNORE = re.compile(r"INSERT\s+OR\s+IGNORE\s+INTO", re.I)
_OR_REPLACE = re.compile(r"INSERT\s+OR\s+REPLACE\s+INTO", re.I)


def _translate(sql: str) -> str:
    """qmark -> psycopg placeholders (no '?' inside string literals in marsad SQL).
    Statements are remembered, but not long ones: a multi-row INSERT's text
    (tens of KB) differs with its row count, and 4,096 of them kept the main
    process growing by hundreds of MB over a 100k-article ingest."""
    return _translate_cached(sql) if len(sql) <= 2000 else _translate_any(sql)


@lru_cache(maxsize=4096)
def _translate_cached(sql: str) -> str:
    return _translate_any(sql)


def _translate_any(sql: str) -> str:
    sql = sql.replace("%", "%%")
    if _OR_IGNORE.search(sql):
        sql = _OR_IGNORE.sub("INSERT INTO", sql).rstrip().rstrip(";") + " ON CONFLICT DO NOTHING"
    if _OR_REPLACE.search(sql):
        raise StoreError("INSERT OR REPLACE is SQLite-only; write INSERT ... ON CONFLICT (...) DO UPDATE")
    return _Q.sub("%s", sql)


_MULTI_ROWS = 10_000  # rows per multi-row INSERT
_MAX_PARAMS = 30_000  # parameters per statement (the protocol allows 65,535)
_VALUE = r"\s*(?:\?|-?\d+|NULL)\s*"
_INSERT_VALUES = re.compile(rf"^\s*(INSERT\s+INTO\s+\w+(?:\s*\([^)]*\))?)\s*VALUES\s*(\((?:{_VALUE},)*{_VALUE}\))(.*)$",
                            re.I | re.S)
_CONFLICT_UPDATE = re.compile(r"ON\s+CONFLICT\s*\(([^)]*)\)\s*DO\s+UPDATE", re.I)


@lru_cache(maxsize=1024)
def _multi_row(sql: str) -> tuple[str, str, tuple[int, ...] | None, str] | None:
    """``INSERT INTO t(cols) VALUES (?, ...) [tail]`` as (head, values, conflict
    key positions, tail), so that many rows go in one multi-row statement;
    None for any other statement.  The key positions (an ``ON CONFLICT (...)
    DO UPDATE`` target) are checked for duplicates: PostgreSQL refuses to
    update one row twice in one statement, so such batches go row by row."""
    m = _INSERT_VALUES.match(sql)
    if m is None:
        return None
    head, values, tail = m.groups()
    if tail.strip() and not re.match(r"\s*ON\s+CONFLICT\b", tail, re.I):
        return None  # RETURNING etc.
    key: tuple[int, ...] | None = None
    cu = _CONFLICT_UPDATE.search(tail)
    if cu:
        if "(" not in head:
            return None
        cols = [c.strip().strip('"').lower() for c in head[head.index("(") + 1:head.rindex(")")].split(",")]
        try:
            key = tuple(cols.index(k.strip().strip('"').lower()) for k in cu.group(1).split(","))
        except ValueError:
            return None
    return head, values, key, tail


def _distinct_on(key: tuple[int, ...] | None, rows: list[tuple[Any, ...]]) -> bool:
    if key is None:
        return True
    return len({tuple(r[i] for i in key) for r in rows}) == len(rows)


_TYPES = ((re.compile(r"\bINTEGER\b", re.I), "BIGINT"), (re.compile(r"\bREAL\b", re.I), "DOUBLE PRECISION"),
          (re.compile(r"\bBLOB\b", re.I), "BYTEA"))


_WITHOUT_ROWID = re.compile(r"\)\s*WITHOUT\s+ROWID\s*$", re.I)


def _ddl(stmt: str) -> str:
    """Portable DDL -> PostgreSQL: SQLite's INTEGER and REAL are 64-bit;
    ``WITHOUT ROWID`` (a SQLite storage choice) is dropped."""
    for pat, rep in _TYPES:
        stmt = pat.sub(rep, stmt)
    return _WITHOUT_ROWID.sub(")", stmt)


def _lexeme(s: str) -> str:
    return "'" + s.replace("\\", "\\\\").replace("'", "''") + "'"


def tsquery(text: str) -> str:
    """Every query word must match one of its forms (as in the FTS5 query)."""
    parts = []
    for w in query_words(text):
        forms = sorted({w.norm, w.stem, w.skeleton})
        parts.append("(" + " | ".join(_lexeme(f) for f in forms) + ")")
    return " & ".join(parts)


class PostgresStore(Store):
    def __init__(self, url: str, *, schema: str | None = None, min_size: int = 1, max_size: int = 8):
        try:
            import psycopg
            from psycopg_pool import ConnectionPool
        except ImportError as e:  # pragma: no cover - depends on the install
            raise StoreError("PostgreSQL support needs psycopg: pip install 'marsad[postgres]'") from e
        self.url = url
        self.schema = schema
        kwargs: dict[str, Any] = {"autocommit": True}
        if schema:
            if not re.fullmatch(r"[a-z_][a-z0-9_]*", schema):
                raise StoreError(f"bad schema name {schema!r}")
            with psycopg.connect(url, autocommit=True) as c:
                c.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
            kwargs["options"] = f"-c search_path={schema}"
        try:
            self.pool = ConnectionPool(url, min_size=min_size, max_size=max_size, kwargs=kwargs, open=True,
                                       timeout=30)
            self.pool.wait(timeout=30)
        except Exception as e:
            raise StoreError(f"cannot connect to {url}: {e}") from e
        self._local = threading.local()
        self._migrate()

    # -- connections -------------------------------------------------------------
    @contextmanager
    def _conn(self) -> Iterator[Any]:
        pinned = getattr(self._local, "conn", None)
        if pinned is not None:
            yield pinned
        else:
            with self.pool.connection() as c:
                yield c

    def close(self) -> None:
        self.pool.close()

    def drop_schema(self) -> None:
        """Tests: remove the throwaway schema this store was opened on."""
        if self.schema:
            with self._conn() as c:
                c.execute(f"DROP SCHEMA IF EXISTS {self.schema} CASCADE")

    @contextmanager
    def transaction(self) -> Iterator[None]:
        if getattr(self._local, "conn", None) is not None:
            self._local.depth += 1
            try:
                yield
            finally:
                self._local.depth -= 1
            return
        with self.pool.connection() as c:
            self._local.conn, self._local.depth = c, 1
            try:
                with c.transaction():
                    yield
            finally:
                self._local.conn = None

    def _version(self, owner: str) -> int:
        rows = self.query("SELECT version FROM schema_versions WHERE owner=?", (owner,))
        return rows[0][0] if rows else 0

    def _set_version(self, owner: str, version: int) -> None:
        self.execute("INSERT INTO schema_versions(owner, version) VALUES (?, ?) "
                     "ON CONFLICT(owner) DO UPDATE SET version=excluded.version", (owner, version))

    def _migrate(self) -> None:
        with self.transaction():
            self.execute("SELECT pg_advisory_xact_lock(5551212)")
            self.execute("CREATE TABLE IF NOT EXISTS schema_versions (owner TEXT PRIMARY KEY, version INTEGER)")
            current = self._version("core")
            if current > CORE_VERSION:
                raise StoreError(f"database has schema version {current}, newer than this marsad; upgrade marsad")
            for v in range(current + 1, CORE_VERSION + 1):
                for stmt in MIGRATIONS[v]:
                    self.execute(stmt)
                self._set_version("core", v)

    def ensure_schema(self, schema: Schema) -> None:
        with self.transaction():
            self.execute("SELECT pg_advisory_xact_lock(5551212)")
            current = self._version(schema.name)
            if current == schema.version:
                return
            migrate_schema(self, schema, current, _ddl)
            self._set_version(schema.name, schema.version)

    # -- articles ----------------------------------------------------------------
    def find_existing(self, article: Article) -> str | None:
        # one round trip: same id first, then same URL, then same content
        rows = self.query("SELECT id FROM articles WHERE id=? OR (url IS NOT NULL AND url=?) OR content_hash=? "
                          "ORDER BY CASE WHEN id=? THEN 0 WHEN url=? THEN 1 ELSE 2 END, id LIMIT 1",
                          (article.id, article.url, article.content_hash, article.id, article.url))
        return rows[0][0] if rows else None

    def find_existing_many(self, articles: Sequence[Article]) -> list[str | None]:
        """As ``find_existing`` each (same id, then same URL, then the first
        id with the same content), in one query."""
        if not articles:
            return []
        ids = sorted({a.id for a in articles})
        urls = sorted({a.url for a in articles if a.url})
        hashes = sorted({a.content_hash for a in articles})
        by_id: set[str] = set()
        by_url: dict[str, str] = {}
        by_hash: dict[str, str] = {}
        conds, params = [], []
        for col, vals in (("id", ids), ("url", urls), ("content_hash", hashes)):
            if vals:
                c, p = self.any_of(col, vals)
                conds.append(c)
                params += p
        for aid, url, h in self.query(f"SELECT id, url, content_hash FROM articles WHERE {' OR '.join(conds)}",
                                      params):
            by_id.add(aid)
            if url is not None:
                by_url[url] = aid
            if h not in by_hash or aid < by_hash[h]:
                by_hash[h] = aid
        out: list[str | None] = []
        for a in articles:
            if a.id in by_id:
                out.append(a.id)
            elif a.url and a.url in by_url:
                out.append(by_url[a.url])
            else:
                out.append(by_hash.get(a.content_hash))
        return out

    def put(self, analysis: Analysis) -> None:
        a = analysis.article
        title = SEARCH.text(a.title) if a.title else ""
        norm, stems, skels = index_columns(a.text, analysis.tokens)
        with self.transaction():
            self.execute("DELETE FROM articles WHERE id=?", (a.id,))
            self.execute(
                "INSERT INTO articles(id, source, url, published, title, dateline, lang, content_hash, text, analysis, tsv) "
                "VALUES (?,?,?,?,?,?,?,?,?,?, setweight(to_tsvector('simple', ?), 'A') || "
                "setweight(to_tsvector('simple', ?), 'B') || setweight(to_tsvector('simple', ?), 'C') || "
                "setweight(to_tsvector('simple', ?), 'D'))",
                (a.id, a.source, a.url, a.published, a.title, a.dateline, a.lang, a.content_hash, a.text,
                 pack(analysis), title, norm, stems, skels))

    _PUT_VALUES = ("(?,?,?,?,?,?,?,?,?,?, setweight(to_tsvector('simple', ?), 'A') || "
                   "setweight(to_tsvector('simple', ?), 'B') || setweight(to_tsvector('simple', ?), 'C') || "
                   "setweight(to_tsvector('simple', ?), 'D'))")

    def put_many(self, analyses: Sequence[Analysis]) -> None:
        """As ``put`` each, in two statements (one DELETE, one multi-row
        INSERT) instead of two an article; an id given twice keeps the last."""
        last = {a.article.id: a for a in analyses}
        if len(last) < len(analyses):  # the same id twice: the later one replaces the earlier, as put does
            analyses = list(last.values())
        if not analyses:
            return
        rows = []
        for analysis in analyses:
            a = analysis.article
            title = SEARCH.text(a.title) if a.title else ""
            norm, stems, skels = index_columns(a.text, analysis.tokens)
            rows.append((a.id, a.source, a.url, a.published, a.title, a.dateline, a.lang, a.content_hash, a.text,
                         pack(analysis), title, norm, stems, skels))
        with self.transaction():
            cond, params = self.any_of("id", list(last))
            self.execute(f"DELETE FROM articles WHERE {cond}", params)
            for i in range(0, len(rows), 500):
                chunk = rows[i:i + 500]
                self.execute("INSERT INTO articles(id, source, url, published, title, dateline, lang, content_hash, "
                             "text, analysis, tsv) VALUES " + ",".join([self._PUT_VALUES] * len(chunk)),
                             [v for r in chunk for v in r])

    _ARTICLE_COLS = "id, text, source, url, published, title, dateline, lang, content_hash"

    def get_article(self, article_id: str) -> Article | None:
        rows = self.query(f"SELECT {self._ARTICLE_COLS} FROM articles WHERE id=?", (article_id,))
        return Article(*rows[0]) if rows else None

    def get_analysis(self, article_id: str) -> Analysis | None:
        rows = self.query(f"SELECT {self._ARTICLE_COLS}, analysis FROM articles WHERE id=?", (article_id,))
        return unpack(Article(*rows[0][:9]), rows[0][9]) if rows else None

    def article_ids(self, *, source: str | None = None, date_from: str | None = None,
                    date_to: str | None = None, limit: int | None = None, offset: int = 0) -> list[str]:
        conds, params = article_filters(source, date_from, date_to)
        sql = f"SELECT a.id FROM articles a {('WHERE ' + ' AND '.join(conds)) if conds else ''} ORDER BY a.published, a.id"
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            params += [limit, offset]
        return [r[0] for r in self.query(sql, params)]

    def count(self) -> int:
        return self.query("SELECT count(*) FROM articles")[0][0]

    def _table_exists(self, name: str) -> bool:
        return self.query("SELECT to_regclass(?) IS NOT NULL", (name,))[0][0]

    def search(self, query: SearchQuery) -> tuple[list[SearchHit], int]:
        conds, params = article_filters(query.source, query.date_from, query.date_to)
        for key, table, col in ((query.entity_id, "entity_mentions", "entity_id"),
                                (query.story_id, "story_articles", "story_id")):
            if key:
                if not self._table_exists(table):
                    return [], 0
                conds.append(f"a.id IN (SELECT article_id FROM {table} WHERE {col} = ?)")
                params.append(key)
        tq = tsquery(query.text)
        rank = "0"
        args: list[Any] = []
        if tq:
            conds.insert(0, "a.tsv @@ to_tsquery('simple', ?)")
            params.insert(0, tq)
            rank = "ts_rank_cd('{0.1, 0.2, 0.6, 1.0}', a.tsv, to_tsquery('simple', ?))"
            args = [tq]
        where = ("WHERE " + " AND ".join(conds)) if conds else ""
        total = self.query(f"SELECT count(*) FROM articles a {where}", params)[0][0]
        text = "a.text" if query.snippets else "''"
        rows = self.query(f"SELECT a.id, a.title, a.source, a.published, {text} AS text, {rank} AS r FROM articles a {where} "
                          f"ORDER BY r DESC, a.published DESC LIMIT ? OFFSET ?",
                          [*args, *params, query.limit, query.offset])
        hits = []
        for aid, title, source, published, text, r in rows:
            snip, hl, spans = snippet(text, query.text) if query.snippets else ("", (), ())
            hits.append(SearchHit(aid, title, source, published, float(r), snip, hl, spans))
        return hits, total

    def stats(self) -> dict[str, Any]:
        out: dict[str, Any] = {"backend": "postgresql", "path": re.sub(r"//[^@]*@", "//", self.url),
                               "articles": self.count()}
        out["sources"] = dict(self.query(
            "SELECT coalesce(source, 'unknown'), count(*) FROM articles GROUP BY 1 ORDER BY 2 DESC"))
        first, last = self.query("SELECT min(published), max(published) FROM articles")[0]
        out["published"] = {"first": first, "last": last}
        out["schema"] = dict(self.query("SELECT owner, version FROM schema_versions"))
        return out

    # -- SQL surface ---------------------------------------------------------------
    def copy(self, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
        """Rows into ``table`` with COPY (bulk loads: ``marsad load``)."""
        quoted = ", ".join(f'"{c}"' for c in columns)
        with self._conn() as c, c.cursor() as cur, cur.copy(f"COPY {table} ({quoted}) FROM STDIN") as cp:
            for r in rows:
                cp.write_row(r)

    IN_CHUNK = 5_000  # a larger array makes the planner scan whole tables (reuse_df) rather than probe the index
    ROW_ORDER = "ctid"  # physical order: insertion order for a table only ever appended to

    def any_of(self, column: str, values: Sequence[Any]) -> tuple[str, list[Any]]:
        return f"{column} = ANY(?)", [list(values)]

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        with self._conn() as c:
            c.execute(_translate(sql), tuple(params))

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        rows = [tuple(r) for r in rows]
        if not rows:
            return
        multi = _multi_row(sql)
        if multi is not None and multi[1].count("?") == len(rows[0]) and _distinct_on(multi[2], rows):
            # one statement per chunk (one round trip, one plan) instead of one per row
            head, values, _, tail = multi
            with self._conn() as c:
                per = max(1, min(_MULTI_ROWS, _MAX_PARAMS // max(1, len(rows[0]))))
                for i in range(0, len(rows), per):
                    chunk = rows[i:i + per]
                    c.execute(_translate(f"{head} VALUES {','.join([values] * len(chunk))}{tail}"),
                              [v for r in chunk for v in r])
            return
        with self._conn() as c, c.cursor() as cur:
            cur.executemany(_translate(sql), rows)

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        with self._conn() as c:
            return c.execute(_translate(sql), tuple(params)).fetchall()
