"""Scale benchmark: analysis throughput on one core and on all cores
(processes, and local Spark), store size per 1k articles, and the time to
ingest + link N articles into SQLite and PostgreSQL.

The corpus is ANT (../shared/data/ant) articles, recombined when more are
asked for than exist (sentences of different articles shuffled into new
ones, so content hashes differ).

    .venv/bin/python bench/bench_scale.py --articles 2000 [--pg URL] [--spark]
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import resource
import tempfile
import time
from pathlib import Path

SHARED = Path(__file__).resolve().parents[2] / "shared"


def corpus(n: int, seed: int = 7) -> list[dict]:
    rows: list[dict] = []
    for f in sorted((SHARED / "data" / "ant").glob("ant-2018-*.jsonl.gz")):
        with gzip.open(f, "rt", encoding="utf-8") as fh:
            for line in fh:
                rows.append(json.loads(line))
                if len(rows) >= n:
                    return rows
    rng = random.Random(seed)
    paras = [p for r in rows for p in r["text"].split("\n") if len(p) > 40]
    base = len(rows)
    while len(rows) < n:
        k = len(rows)
        rows.append({"id": f"synth-{k}", "source": "synthetic", "published": rows[k % base]["published"],
                     "title": rows[k % base]["title"], "text": "\n".join(rng.sample(paras, 8))})
    return rows


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def articles(rows: list[dict]):
    from marsad.ingest.files import article_from_text

    return [article_from_text(r["text"], id=r["id"], source=r.get("source"), published=r.get("published"),
                              title=r.get("title"), url=r.get("url")) for r in rows]


def bench_analysis(arts, workers: int) -> float:
    from marsad.engine import Engine

    with Engine(":memory:", linkers=[], workers=workers) as e:
        e.pipeline  # load models before timing
        e.pipeline(arts[0])
        t = time.perf_counter()
        e.analyze_many(arts)
        return len(arts) / (time.perf_counter() - t)


def bench_store(arts, db: str) -> tuple[float, float]:
    from marsad.engine import Engine

    with Engine(db) as e:
        t = time.perf_counter()
        e.add(arts)
        rate = len(arts) / (time.perf_counter() - t)
    return rate, peak_mb()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=2000)
    ap.add_argument("--pg", default=os.environ.get("MARSAD_TEST_PG"), help="PostgreSQL URL (optional)")
    ap.add_argument("--spark", action="store_true", help="also time `marsad spark analyze` on local[*]")
    args = ap.parse_args()
    rows = corpus(args.articles)
    arts = articles(rows)
    chars = sum(len(a.text) for a in arts) / len(arts)
    print(f"corpus: {len(arts)} articles, {chars:.0f} characters on average, {os.cpu_count()} cores")
    one = bench_analysis(arts, 1)
    print(f"analysis, 1 process : {one:8.1f} articles/s")
    cores = os.cpu_count() or 1
    if cores > 1:
        many = bench_analysis(arts, cores)
        print(f"analysis, {cores} processes: {many:8.1f} articles/s")
    with tempfile.TemporaryDirectory() as d:
        db = str(Path(d) / "bench.db")
        rate, mem = bench_store(arts, db)
        size = sum(p.stat().st_size for p in Path(d).glob("bench.db*"))
        print(f"ingest+analyse+link+store into SQLite: {rate:8.1f} articles/s, peak RSS {mem:.0f} MB, "
              f"store {size / len(arts) * 1000 / 2**20:.1f} MB per 1k articles")
    if args.pg:
        from marsad.store.postgres import PostgresStore

        store = PostgresStore(args.pg, schema=f"bench_{os.getpid()}")
        try:
            from marsad.engine import Engine

            with Engine(store) as e:
                t = time.perf_counter()
                e.add(arts)
                rate = len(arts) / (time.perf_counter() - t)
                size = store.query("SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c "
                                   "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ? "
                                   "AND c.relkind = 'r'", (store.schema,))[0][0]
                print(f"ingest+analyse+link+store into PostgreSQL: {rate:8.1f} articles/s, "
                      f"store {int(size) / len(arts) * 1000 / 2**20:.1f} MB per 1k articles")
                store.drop_schema()
        finally:
            pass
    if args.spark:
        from marsad.scale.spark import analyze

        with tempfile.TemporaryDirectory() as d:
            inp = Path(d) / "in.jsonl"
            inp.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
            t = time.perf_counter()
            analyze(str(inp), str(Path(d) / "out.parquet"), master=f"local[{cores}]", partitions=cores * 4)
            print(f"spark analyze local[{cores}]: {len(rows) / (time.perf_counter() - t):8.1f} articles/s "
                  "(including Spark start-up)")


if __name__ == "__main__":
    main()
