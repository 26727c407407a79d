"""`marsad load FOLDER`: a whole bulk result into a store, as if ingested.

A folder written by ``marsad spark link --what reuse,entities,stories``
holds every table the linkers write (see marsad.scale.spark_stories and
spark_entities) and a ``manifest.json`` naming the analysed Parquet it
links.  ``load_folder`` writes the articles -- each analysis with the entity
and event ids of the bulk result, as the linkers return it -- and copies the
linker tables: PostgreSQL ``COPY``, SQLite ``executemany``, in one
transaction, so a failed load leaves nothing behind.

It loads a result as a whole: into a database holding none of its articles
(then everything) or all of them (loaded before: nothing is added).  A
database holding some of them, or other linked articles whose entities and
stories the bulk result never saw, is refused -- merge those with
`marsad ingest` instead.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterable, Iterator, Sequence

from marsad.errors import ConfigError

# table -> parquet files holding its rows (columns not in the table, like
# ``seq``/``i``/``idx``, give the order and are not loaded)
TABLES: dict[str, str] = {
    "entities": "entities", "entity_aliases": "entity_aliases", "entity_blocks": "entity_blocks",
    "entity_titles": "entity_titles", "entity_mentions": "entity_mentions",
    "events": "events", "event_mentions": "event_mentions", "event_keys": "event_keys",
    "stories": "stories", "story_articles": "story_articles", "story_links": "story_links",
    "story_vectors": "story_vectors", "story_index": "story_index", "story_df": "story_df",
    "reuse_passages": "reuse", "reuse_ids": "reuse_ids", "reuse_df": "reuse_df",
}
PARTS = (*sorted(set(TABLES.values())), "articles")  # articles.parquet: the ids linked (first copies only)
ENTITY_COLUMNS = ("id", "canonical", "type", "country", "qid", "mention_count", "first_seen", "last_seen")
ORDER_COLUMNS = ("seq", "i", "idx")


def is_result_folder(path: str | Path) -> bool:
    p = Path(path)
    return p.is_dir() and ((p / "manifest.json").exists() or (p / "entities.parquet").exists()
                           or (p / "reuse.parquet").exists())


def check_folder(folder: str | Path, analysis: str | None = None) -> tuple[Path, Path]:
    """(folder, analysed Parquet) of a complete bulk result, or ConfigError
    naming what is missing and how to make it."""
    f = Path(folder)
    manifest = f / "manifest.json"
    missing = [f"{name}.parquet" for name in PARTS if not (f / f"{name}.parquet").exists()]
    if not manifest.exists():
        missing.append("manifest.json")
    if missing:
        raise ConfigError(
            f"{f} is not a complete bulk result: missing {', '.join(missing)}. `marsad load` of a folder needs "
            "every result: marsad spark link --input ANALYSED.parquet --output FOLDER --what reuse,entities,stories "
            "(or load the analysed Parquet alone: marsad load ANALYSED.parquet links it as it loads)")
    meta = json.loads(manifest.read_text(encoding="utf-8"))
    src = Path(analysis or meta.get("input") or "")
    if not src.exists():
        raise ConfigError(f"{f}: the analysed Parquet {src} it links is not there; pass it with --analysis")
    return f, src


def _read(path: Path, columns: Sequence[str] | None = None) -> list[dict[str, Any]]:
    import pyarrow.parquet as pq

    return pq.read_table(path, columns=list(columns) if columns else None).to_pylist()


def _rows(folder: Path, table: str) -> tuple[list[str], list[tuple]]:
    """Columns and rows of one table, in the order the incremental linker writes them."""
    data = _read(folder / f"{TABLES[table]}.parquet")
    if table == "entities":
        return list(ENTITY_COLUMNS), [tuple(r[c] for c in ENTITY_COLUMNS) for r in data]
    if table == "reuse_ids":
        return [], []  # written from the articles' arrival order, see load_folder
    if not data:
        return [], []
    cols = [c for c in data[0] if c not in ORDER_COLUMNS]
    if "seq" in data[0]:
        data.sort(key=lambda r: (r["seq"], r.get("i") or 0))
    return cols, [tuple(r[c] for c in cols) for r in data]


def linked_analyses(folder: Path, src: Path) -> Iterator[Any]:
    """The analyses of ``src`` with the bulk result's entity and event ids,
    in arrival order (published, id)."""
    import pyarrow.parquet as pq

    from marsad.model import Analysis
    from marsad.scale.spark_stories import with_entity_ids, with_event_ids

    canonical = {r["id"]: r["canonical"] for r in _read(folder / "entities.parquet", ("id", "canonical"))}
    ids: dict[str, list[tuple]] = {}
    for r in _read(folder / "entity_mentions.parquet", ("entity_id", "article_id", "start", "end")):
        ids.setdefault(r["article_id"], []).append((r["start"], r["end"], r["entity_id"], canonical[r["entity_id"]]))
    events: dict[str, dict[int, str]] = {}
    for r in _read(folder / "event_mentions.parquet", ("event_id", "article_id", "idx")):
        events.setdefault(r["article_id"], {})[r["idx"]] = r["event_id"]
    order = sorted((r["published"] or "", r["id"]) for r in _read(folder / "articles.parquet"))
    table = pq.read_table(src, columns=["id", "analysis", "error"])
    where = {i: k for k, (i, e) in enumerate(zip(table.column("id").to_pylist(), table.column("error").to_pylist()))
             if e is None}
    lost = [i for _, i in order if i not in where]
    if lost:
        raise ConfigError(f"{src} is not the analysed Parquet {folder} links: {len(lost)} of its articles "
                          f"are missing there (e.g. {lost[0]!r})")
    order = [(p, i, where[i]) for p, i in order]
    col = table.column("analysis")
    for _, aid, k in order:
        an = Analysis.from_dict(json.loads(col[k].as_py()))
        yield with_event_ids(with_entity_ids(an, ids.get(aid, ())), events.get(aid, {}))


def _insert(store: Any, table: str, cols: list[str], rows: Iterable[tuple]) -> int:
    """Rows into a table: COPY on PostgreSQL, executemany on SQLite (inside
    the caller's transaction)."""
    rows = list(rows)
    if not rows:
        return 0
    if hasattr(store, "copy"):  # PostgreSQL
        store.copy(table, cols, rows)
    else:
        quoted = ", ".join(f'"{c}"' for c in cols)
        for i in range(0, len(rows), 50_000):
            store.executemany(f"INSERT INTO {table} ({quoted}) VALUES ({','.join('?' * len(cols))})",
                              rows[i:i + 50_000])
    return len(rows)


def _put_articles(store: Any, analyses: list[Any]) -> None:
    if not hasattr(store, "copy"):
        for a in analyses:
            store.put(a)
        return
    # PostgreSQL: COPY into a scratch table, then one INSERT computing the tsvector as ``put`` does
    from marsad.store.base import pack
    from marsad.text.normalize import SEARCH
    from marsad.text.search import index_columns

    store.execute("CREATE TEMP TABLE IF NOT EXISTS load_articles (id TEXT, source TEXT, url TEXT, published TEXT, "
                 "title TEXT, dateline TEXT, lang TEXT, content_hash TEXT, text TEXT, analysis BYTEA, "
                 "tnorm TEXT, norm TEXT, stems TEXT, skels TEXT) ON COMMIT DROP")
    store.execute("TRUNCATE load_articles")
    store.copy("load_articles", ("id", "source", "url", "published", "title", "dateline", "lang", "content_hash",
                                 "text", "analysis", "tnorm", "norm", "stems", "skels"),
               ((an.article.id, an.article.source, an.article.url, an.article.published, an.article.title,
                 an.article.dateline, an.article.lang, an.article.content_hash, an.article.text, pack(an),
                 SEARCH.text(an.article.title) if an.article.title else "",
                 *index_columns(an.article.text, an.tokens)) for an in analyses))
    store.execute("INSERT INTO articles(id, source, url, published, title, dateline, lang, content_hash, text, "
                 "analysis, tsv) SELECT id, source, url, published, title, dateline, lang, content_hash, text, "
                 "analysis, setweight(to_tsvector('simple', tnorm), 'A') || setweight(to_tsvector('simple', norm), 'B')"
                 " || setweight(to_tsvector('simple', stems), 'C') || setweight(to_tsvector('simple', skels), 'D') "
                 "FROM load_articles")


def _load_words(store: Any, path: Path, key: dict[str, int]) -> int:
    """``reuse_words`` rows (integer key, packed words) from the bulk result, in batches."""
    import pyarrow.dataset as ds

    n = 0
    for batch in ds.dataset(path, format="parquet").to_batches(batch_size=20_000):
        n += _insert(store, "reuse_words", ["n", "data"],
                     [(key[r["article_id"]], r["data"]) for r in batch.to_pylist()])
    return n


def load_folder(folder: str | Path, db: Any, *, analysis: str | None = None, batch_size: int = 1000,
                progress: Any = None) -> dict[str, int]:
    """Load a complete bulk result (see the module notes) into ``db`` (a
    SQLite path, a postgresql:// URL or a Store); returns rows written per table (``articles``: 0 when the folder was loaded before)."""
    from marsad.engine import Engine

    f, src = check_folder(folder, analysis)

    ids = [r["id"] for r in _read(f / "articles.parquet", ("id",))]
    if len(set(ids)) != len(ids):
        raise ConfigError(f"{f}: articles.parquet holds an article id more than once")
    counts: dict[str, int] = {}
    with Engine(db) as engine:
        store = engine.store
        present = {r[0] for r in store.query("SELECT id FROM articles")}
        mine = present & set(ids)
        if mine and len(mine) == len(ids) and len(present) == len(ids):
            return {"articles": 0}  # loaded before: nothing to add
        if present:
            raise ConfigError(
                f"{db} already holds {len(present)} articles ({len(mine)} of this result's {len(ids)}): a bulk "
                "result is loaded into an empty database as a whole (its entities and stories never saw the "
                "stored articles); ingest new articles with `marsad ingest` instead")
        with store.transaction():
            n = 0
            batch: list[Any] = []
            for an in linked_analyses(f, src):
                batch.append(an)
                if len(batch) >= batch_size:
                    _put_articles(store, batch)
                    n += len(batch)
                    batch = []
                    if progress:
                        progress(n)
            if batch:
                _put_articles(store, batch)
                n += len(batch)
            counts["articles"] = n
            order = sorted((r["published"] or "", r["id"]) for r in _read(f / "articles.parquet"))
            arrival = {aid: k for k, (_, aid) in enumerate(order)}
            for table in TABLES:
                cols, rows = _rows(f, table)
                counts[table] = _insert(store, table, cols, rows)
            # reuse index: integer keys in arrival order, the buckets, and the meta counters
            index = sorted(_read(f / "reuse_ids.parquet"), key=lambda r: arrival[r["article_id"]])
            from marsad.link.reuse import _band_blob

            counts["reuse_ids"] = _insert(store, "reuse_ids", ["n", "article_id", "bands"],
                                          [(k + 1, r["article_id"], _band_blob(r["bands"]))
                                           for k, r in enumerate(index)])
            counts["reuse_bands"] = _insert(store, "reuse_bands", ["hash", "n"],
                                            [(h, k + 1) for k, r in enumerate(index) for h in r["bands"]])
            words = f / "reuse_words.parquet"
            if words.exists():  # (a folder written before it was: the reuse linker fills it lazily)
                key = {r["article_id"]: k + 1 for k, r in enumerate(index)}
                counts["reuse_words"] = _load_words(store, words, key)
            _insert(store, "reuse_meta", ["key", "value"], [("articles", len(index))])
            _insert(store, "story_meta", ["key", "value"], [("articles", counts["story_vectors"])])
    return counts
