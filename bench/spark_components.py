"""The connected components of the bulk entity linker, two ways, on one
analysed Parquet: min-label propagation in Spark (``components``, the
fallback for unit graphs too big for the driver) and stars of edges
labelled on the driver with scipy (``components_local``, the default).

Printed: units, edges, components, the seconds of each way (from the units
in cache to every unit's label), whether both give the same partition of
the units, and the load average.

    nice -n 15 .venv/bin/python bench/spark_components.py --analysed /tmp/bulk/analysed.parquet
"""
from __future__ import annotations

import argparse
import time


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--analysed", required=True, help="Parquet written by `marsad spark analyze`")
    ap.add_argument("--master", default="local[2]")
    a = ap.parse_args()
    from marsad.scale.spark import session
    from marsad.scale.spark_entities import (MAX_LOCAL_EDGES, _labelled, article_units, components,
                                             components_local, unit_tokens)

    spark = session(a.master)
    spark.sparkContext.setLogLevel("ERROR")
    df = spark.read.parquet(a.analysed)
    if "error" in df.columns:
        df = df.filter("error IS NULL")
    with open("/proc/loadavg") as f:
        print(f"load average at start {f.read().split()[:3]}", flush=True)
    units = df.select("analysis").rdd.mapPartitions(article_units).cache()
    edges = units.flatMap(lambda kv: [(t, kv[0]) for t in unit_tokens(kv[1][1])]).cache()
    print(f"{units.count()} units, {edges.count()} unit-token edges", flush=True)

    def partition(pairs: list[tuple]) -> set[frozenset]:
        groups: dict = {}
        for uid, label in pairs:
            groups.setdefault(label, set()).add(uid)
        return {frozenset(g) for g in groups.values()}

    t = time.perf_counter()
    table = components_local(edges, MAX_LOCAL_EDGES)
    b = spark.sparkContext.broadcast(table)
    local = units.map(lambda kv: (kv[0], kv[0])).mapPartitions(lambda rows: _labelled(rows, *b.value)) \
        .map(lambda lm: (lm[1], lm[0])).collect()
    t_local = time.perf_counter() - t
    print(f"driver components (scipy): {t_local:.1f} s", flush=True)
    t = time.perf_counter()
    lp = components(spark, edges).collect()
    t_lp = time.perf_counter() - t
    print(f"label propagation (Spark): {t_lp:.1f} s", flush=True)
    p_local, p_lp = partition(local), partition(lp)
    print(f"components: {len(p_local)} (driver), {len(p_lp)} (label propagation); "
          f"same partition of the units: {p_local == p_lp}")
    with open("/proc/loadavg") as f:
        print(f"load average at the end {f.read().split()[:3]}")


if __name__ == "__main__":
    main()
