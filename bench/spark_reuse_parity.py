"""The bulk reuse job and the incremental reuse linker on the same ANT
articles: pairs and passages both ways, and their differences.

The articles (ANT, the first ``--articles`` in (published, id) order from
``--from`` on, duplicates by id, URL or content hash dropped as `marsad
ingest` drops them) are linked

* incrementally: ``ReuseLinker.link_one`` one by one in (published, id)
  order into an SQLite store (what `marsad ingest` does, without the rest of
  the pipeline);
* in bulk: ``marsad.scale.spark_link.link(..., what="reuse")`` on a Parquet
  of the same articles (Spark ``local[2]``).

Printed: articles, pairs and passages each way, the shingles the
incremental linker found formulaic, both timings (not a benchmark: run it
with ``nice``), and the passages only one side has (none expected).

    nice -n 15 .venv/bin/python bench/spark_reuse_parity.py --articles 5000
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ANT = Path(__file__).resolve().parents[2] / "shared" / "data" / "ant"


def ant_articles(n: int, first: str) -> list:
    from marsad.ingest.files import article_from_text

    rows = []
    for f in sorted(ANT.glob("ant-2018-*.jsonl.gz")):
        with gzip.open(f, "rt", encoding="utf-8") as fh:
            for line in fh:
                r = json.loads(line)
                if (r.get("published") or "") >= first and (r.get("text") or "").strip():
                    rows.append(r)
    rows.sort(key=lambda r: (r["published"] or "", r["id"]))
    out, seen = [], set()
    for r in rows:
        a = article_from_text(r["text"], id=r["id"], published=r["published"], url=r.get("url"))
        keys = {"i" + a.id, "u" + (a.url or a.id), "h" + a.content_hash}
        if keys & seen:
            continue
        seen |= keys
        out.append(a)
        if len(out) == n:
            break
    return out


def incremental(arts: list, db: str) -> tuple[set, dict]:
    from marsad.link.reuse import ReuseLinker, formula_limit
    from marsad.store.sqlite import SQLiteStore

    store = SQLiteStore(db)
    linker = ReuseLinker()
    store.ensure_schema(linker.schema)
    with store.transaction():
        for a in arts:
            linker._texts[a.id] = a.text  # the store holds no articles here
            linker.link_one(store, a.id, a.text)
    rows = {tuple(r) for r in store.query("SELECT a_id, a_start, a_end, b_id, b_start, b_end, similarity, kind "
                                          "FROM reuse_passages")}
    limit = formula_limit(len(arts))
    info = {"formulaic_now": store.query("SELECT COUNT(*) FROM reuse_df WHERE df > ?",
                                         (limit if limit is not None else 10**9,))[0][0]}
    store.close()
    return rows, info


def bulk(arts: list, work: Path) -> set:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from marsad.scale.spark_link import link

    pq.write_table(pa.Table.from_pylist([{"id": a.id, "published": a.published, "url": a.url, "text": a.text}
                                         for a in arts]), work / "arts.parquet")
    link(str(work / "arts.parquet"), str(work / "reuse.parquet"), master=os.environ.get("MASTER", "local[2]"))
    return {(r["a_id"], r["a_start"], r["a_end"], r["b_id"], r["b_start"], r["b_end"], r["similarity"], r["kind"])
            for r in pq.read_table(work / "reuse.parquet").to_pylist()}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=2000)
    ap.add_argument("--from", dest="first", default="2018-05-01")
    a = ap.parse_args()
    with open("/proc/loadavg") as f:
        print(f"load average at start {f.read().split()[:3]}", flush=True)
    arts = ant_articles(a.articles, a.first)
    print(f"{len(arts)} ANT articles {arts[0].published[:10]} .. {arts[-1].published[:10]}", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        inc, info = incremental(arts, str(Path(tmp) / "inc.db"))
        ti = time.perf_counter() - t
        t = time.perf_counter()
        blk = bulk(arts, Path(tmp))
        tb = time.perf_counter() - t

    def pairs(rows: set) -> set:
        return {(r[0], r[3]) for r in rows}

    print(f"incremental: {len(pairs(inc))} pairs, {len(inc)} passages ({ti:.0f} s); "
          f"shingles over the formula limit at the end: {info['formulaic_now']}")
    print(f"bulk:        {len(pairs(blk))} pairs, {len(blk)} passages ({tb:.0f} s)")
    only_inc, only_blk = sorted(inc - blk), sorted(blk - inc)
    print(f"passages only incremental: {len(only_inc)}, only bulk: {len(only_blk)}")
    for r in only_inc[:5]:
        print("  incremental only", r)
    for r in only_blk[:5]:
        print("  bulk only", r)
    with open("/proc/loadavg") as f:
        print(f"load average at the end {f.read().split()[:3]}")
    return 0 if inc == blk else 1


if __name__ == "__main__":
    sys.exit(main())
