"""Are linking outputs unchanged?  Link + store pickled analyses (see
bench_grow.py --analyse) into a fresh SQLite store, then compare two such
stores table by table.

    # before (e.g. PYTHONPATH=/path/to/old/src) and after a change:
    .venv/bin/python bench/compare_linking.py --analyses /tmp/ant2k.pkl --db /tmp/before.db
    .venv/bin/python bench/compare_linking.py --analyses /tmp/ant2k.pkl --db /tmp/after.db
    .venv/bin/python bench/compare_linking.py --compare /tmp/before.db /tmp/after.db
"""
from __future__ import annotations

import argparse
import pickle
import sqlite3
import time
from pathlib import Path

# internal bookkeeping that may change with the implementation, not outputs
SKIP = {"schema_versions", "reuse_words", "reuse_ids", "reuse_bands"}


def build(analyses: str, db: str, batch: int) -> None:
    from marsad.engine import Engine

    with open(analyses, "rb") as fh:
        items = pickle.load(fh)
    seen: set[str] = set()
    kept = []
    for a in items:  # duplicates (same id, URL or content) are skipped by ingestion before linking
        keys = {"id:" + a.article.id, "hash:" + a.article.content_hash} | ({"url:" + a.article.url} if a.article.url else set())
        if not keys & seen:
            kept.append(a)
        seen |= keys
    items = kept
    for f in Path(db).parent.glob(Path(db).name + "*"):
        f.unlink()
    t = time.process_time()
    with Engine(db, workers=1) as eng:
        for i in range(0, len(items), batch):
            eng.add_analyses(items[i:i + batch])
    print(f"{len(items)} articles linked + stored in {time.process_time() - t:.1f} s CPU -> {db}")


def compare(a: str, b: str) -> int:
    ca, cb = sqlite3.connect(a), sqlite3.connect(b)
    tables = lambda c: {r[0] for r in c.execute(  # noqa: E731
        "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE '%fts%' AND name NOT LIKE 'sqlite_%'")}
    ta, tb = tables(ca) - SKIP, tables(cb) - SKIP
    bad = 0
    if ta != tb:
        print("tables differ:", sorted(ta ^ tb))
        bad += 1
    for t in sorted(ta & tb):
        cols = [r[1] for r in ca.execute(f"PRAGMA table_info({t})") if r[1] != "ingested_at"]
        q = f"SELECT {', '.join(cols)} FROM {t}"
        ra = sorted(map(repr, ca.execute(q)))
        rb = sorted(map(repr, cb.execute(q)))
        if ra == rb:
            print(f"{t:24s} {len(ra):8d} rows  identical")
        else:
            sa, sb = set(ra), set(rb)
            print(f"{t:24s} {len(ra):8d} / {len(rb)} rows  DIFFER: {len(sa - sb)} only in first, "
                  f"{len(sb - sa)} only in second")
            for r in sorted(sa - sb)[:3]:
                print("   <", r[:300])
            for r in sorted(sb - sa)[:3]:
                print("   >", r[:300])
            bad += 1
    return bad


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--analyses")
    ap.add_argument("--db")
    ap.add_argument("--batch", type=int, default=200)
    ap.add_argument("--compare", nargs=2)
    args = ap.parse_args()
    if args.compare:
        raise SystemExit(1 if compare(*args.compare) else 0)
    build(args.analyses, args.db, args.batch)
