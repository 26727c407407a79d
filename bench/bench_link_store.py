"""Link + store pre-analysed articles (``bench_grow.py --analyse`` pickles,
or a plain pickled list of analyses) into a fresh store, SQLite or
PostgreSQL, and report wall time and main-process CPU per article, time
inside store calls, and SQL statements per article split by caller (each
linker, ``put``, ingestion's duplicate check); optionally dump every linker
table to compare two runs (or the two backends) row by row.

    .venv/bin/python bench/bench_link_store.py --analyses /tmp/ant2k.pkl --db sqlite [--dump /tmp/a.dump]
    .venv/bin/python bench/bench_link_store.py --analyses /tmp/ant2k.pkl --db postgresql://.../marsad_bench
    .venv/bin/python bench/bench_link_store.py --compare /tmp/a.dump /tmp/b.dump

A PostgreSQL URL names a database this script drops and re-creates (it must
not be the one the tests or anything else use).
"""
from __future__ import annotations

import argparse
import pickle
import re
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

# internal bookkeeping that may change with the implementation, not outputs
SKIP = {"schema_versions", "reuse_words", "reuse_ids", "reuse_bands"}


def load(path: str, limit: int | None) -> list[Any]:
    with open(path, "rb") as fh:
        items = pickle.load(fh)
    if items and isinstance(items[0], bytes):  # bench_grow.py --analyse: pickled batches
        items = [a for chunk in items for a in pickle.loads(chunk)]
    return items[:limit] if limit else items


def fresh_pg(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    if name in ("marsad", "postgres", "template1"):
        raise SystemExit(f"refusing to drop database {name!r}: give a throwaway name")
    with psycopg.connect(base + "/postgres", autocommit=True) as c:
        c.execute(f'DROP DATABASE IF EXISTS "{name}"')
        c.execute(f'CREATE DATABASE "{name}"')


def run(analyses: list[Any], db: str, batch: int, dump: str | None, per_sql: bool = False) -> None:
    from marsad.engine import Engine

    stmts: Counter[str] = Counter()
    spent: Counter[str] = Counter()
    who = ["other"]
    by_sql: defaultdict[tuple[str, str, str], list[float]] | None = defaultdict(lambda: [0, 0.0]) if per_sql else None
    with Engine(db, workers=1) as eng:
        store = eng.store
        for name in ("execute", "query", "executemany", "copy"):
            orig = getattr(store, name, None)
            if orig is None:
                continue

            def counted(*a: Any, _orig: Any = orig, _name: str = name, **k: Any) -> Any:
                stmts[who[-1]] += 1
                t = time.perf_counter()
                try:
                    return _orig(*a, **k)
                finally:
                    d = time.perf_counter() - t
                    spent[who[-1]] += d
                    if by_sql is not None:
                        key = (who[-1], _name, re.sub(r"(\?,)+\?", "?..", str(a[0]))[:90])
                        by_sql[key][0] += 1
                        by_sql[key][1] += d
            setattr(store, name, counted)
        for lk in eng.linkers:
            orig_link = lk.link

            def link(store_: Any, b: Any, _orig: Any = orig_link, _name: str = lk.name) -> Any:
                who.append(_name)
                try:
                    return _orig(store_, b)
                finally:
                    who.pop()
            lk.link = link
        orig_put = store.put

        def put(a: Any) -> None:
            who.append("put")
            try:
                orig_put(a)
            finally:
                who.pop()
        store.put = put
        orig_put_many = getattr(store, "put_many", None)  # (older code has none)

        def put_many(a: Any) -> None:
            who.append("put")
            try:
                orig_put_many(a)
            finally:
                who.pop()
        if orig_put_many is not None:
            store.put_many = put_many
        t0, c0 = time.perf_counter(), time.process_time()
        seen: set[str] = set()
        n = 0
        for i in range(0, len(analyses), batch):
            who.append("duplicates")
            chunk = analyses[i:i + batch]
            if hasattr(eng, "_duplicates_of"):  # one query a batch
                dups = eng._duplicates_of([a.article for a in chunk], seen)
            else:
                dups = [eng.duplicate_of(a.article, seen) for a in chunk]
            items = [a for a, d in zip(chunk, dups) if d is None]
            who.pop()
            n += len(items)
            eng.add_analyses(items)
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
        total = sum(stmts.values())
        print(f"{n} articles into {'PostgreSQL' if db.startswith('postgres') else 'SQLite'} in batches of {batch}: "
              f"{wall:.1f} s wall = {wall / n * 1000:.1f} ms/article, main CPU {cpu / n * 1000:.1f} ms/article, "
              f"store calls {sum(spent.values()) / n * 1000:.1f} ms/article, {total / n:.1f} statements/article")
        for k, v in stmts.most_common():
            print(f"  {k:12s} {v / n:6.2f} statements/article  {spent[k] / n * 1000:6.2f} ms/article in store calls")
        if by_sql:
            print("  heaviest statements (caller, call, SQL): calls/article, ms/article")
            for (w, call, sql), (c, d) in sorted(by_sql.items(), key=lambda kv: -kv[1][1])[:25]:
                print(f"    {w:10s} {call:11s} {c / n:6.2f} {d / n * 1000:7.2f}  {sql}")
        if dump:
            with open(dump, "wb") as fh:
                pickle.dump(tables(store), fh)
            print(f"tables -> {dump}")


def _norm(v: Any) -> Any:
    if isinstance(v, memoryview):
        return bytes(v)
    return v


def tables(store: Any) -> dict[str, list[str]]:
    """Every table (but bookkeeping and full-text index) as sorted row reprs."""
    if store.url.startswith("postgres"):
        names = [r[0] for r in store.query("SELECT table_name FROM information_schema.tables "
                                           "WHERE table_schema = current_schema()")]
        cols = lambda t: [r[0] for r in store.query(  # noqa: E731
            "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() "
            "AND table_name = ? ORDER BY ordinal_position", (t,))]
    else:
        names = [r[0] for r in store.query("SELECT name FROM sqlite_master WHERE type='table'")]
        cols = lambda t: [r[1] for r in store.query(f"PRAGMA table_info({t})")]  # noqa: E731
    out = {}
    for t in names:
        if t in SKIP or "fts" in t or t.startswith("sqlite_"):
            continue
        cs = [c for c in cols(t) if c not in ("ingested_at", "tsv", "rowid")]
        sel = ", ".join(f'"{c}"' for c in cs)
        out[t] = sorted(repr(tuple(_norm(v) for v in r)) for r in store.query(f"SELECT {sel} FROM {t}"))
    return out


def compare(a: str, b: str) -> int:
    with open(a, "rb") as fa, open(b, "rb") as fb:
        ta, tb = pickle.load(fa), pickle.load(fb)
    bad = 0
    if set(ta) != set(tb):
        print("tables differ:", sorted(set(ta) ^ set(tb)))
        bad += 1
    for t in sorted(set(ta) & set(tb)):
        ra, rb = ta[t], tb[t]
        if ra == rb:
            print(f"{t:24s} {len(ra):8d} rows  identical")
            continue
        sa, sb = set(ra), set(rb)
        print(f"{t:24s} {len(ra):8d} / {len(rb)} rows  DIFFER: {len(sa - sb)} only in first, {len(sb - sa)} only in second")
        for r in sorted(sa - sb)[:3]:
            print("   <", r[:300])
        for r in sorted(sb - sa)[:3]:
            print("   >", r[:300])
        bad += 1
    return bad


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--analyses")
    ap.add_argument("--db", default="sqlite", help="'sqlite' (a temporary file) or a postgresql:// URL of a "
                                                   "throwaway database (dropped and re-created)")
    ap.add_argument("--limit", type=int)
    ap.add_argument("--batch", type=int, default=200)
    ap.add_argument("--dump", help="pickle every linker table here (for --compare)")
    ap.add_argument("--compare", nargs=2)
    ap.add_argument("--per-sql", action="store_true", help="time each statement (by its text)")
    args = ap.parse_args()
    if args.compare:
        raise SystemExit(1 if compare(*args.compare) else 0)
    items = load(args.analyses, args.limit)
    with tempfile.TemporaryDirectory(prefix="marsad-ls-") as tmp:
        db = args.db
        if db == "sqlite":
            db = str(Path(tmp) / "bench.db")
        elif re.match(r"postgres(ql)?://", db):
            fresh_pg(db)
        run(items, db, args.batch, args.dump, args.per_sql)
