"""Main-process cost of linking + storing as the store grows: add N analysed
articles to a *copy* of an existing (large) store and report CPU per article,
split by linker and by the store's put.

    # once: analyse the articles to add (pickled, so runs compare link + store only)
    .venv/bin/python bench/bench_grow.py --analyse PART.jsonl.gz --n 2000 --out /tmp/grow.pkl
    # then, as often as needed (the store is copied first, the original is untouched)
    .venv/bin/python bench/bench_grow.py --store BIG.db --analyses /tmp/grow.pkl [--profile out.prof]
"""
from __future__ import annotations

import argparse
import cProfile
import gzip
import itertools
import json
import os
import pickle
import shutil
import tempfile
import time
from pathlib import Path


def analyse(part: str, n: int, out: str) -> None:
    from marsad.engine import Engine
    from marsad.ingest import read
    from marsad.model import Article

    arts = [a for a in itertools.islice(read(part), n) if isinstance(a, Article)]
    with Engine(":memory:", workers=2, linkers=[]) as eng:
        analyses = eng.analyze_many(arts)
    with open(out, "wb") as fh:  # pickled by batches of 200: a batch is unpickled when linked, as in ingestion
        pickle.dump([pickle.dumps(analyses[i:i + 200], protocol=pickle.HIGHEST_PROTOCOL)
                     for i in range(0, len(analyses), 200)], fh, protocol=pickle.HIGHEST_PROTOCOL)
    print(f"{len(analyses)} analyses -> {out}")


def grow(store: str, analyses_path: str, profile: str | None, keep: str | None) -> None:
    from marsad.engine import Engine

    with open(analyses_path, "rb") as fh:
        analyses = pickle.load(fh)
    tmp = tempfile.TemporaryDirectory(prefix="marsad-grow-", dir="/tmp")
    if store.startswith("postgres"):
        db = store
    else:
        db = str(Path(keep or tmp.name) / "grow.db")
        for f in Path(store).parent.glob(Path(store).name + "*"):
            shutil.copy(f, db + f.name[len(Path(store).name):])
    spent: dict[str, float] = {}
    import gc

    gc_t = [0.0, 0, 0]

    def on_gc(phase, info):
        if phase == "start":
            gc_t[1] = time.process_time()
        else:
            gc_t[0] += time.process_time() - gc_t[1]
            gc_t[2] += info["generation"] == 2
    gc.callbacks.append(on_gc)
    if os.environ.get("GC_THRESHOLD"):
        gc.set_threshold(*map(int, os.environ["GC_THRESHOLD"].split(",")))
    with Engine(db, workers=1) as eng:
        n0 = eng.store.count()
        for lk in eng.linkers:  # time each linker
            orig = lk.link

            def timed(store, batch_, _orig=orig, _name=lk.name):
                t = time.process_time()
                try:
                    return _orig(store, batch_)
                finally:
                    spent[_name] = spent.get(_name, 0.0) + time.process_time() - t
            lk.link = timed
        put = eng.store.put

        def timed_put(a, _put=put):
            t = time.process_time()
            try:
                return _put(a)
            finally:
                spent["put"] = spent.get("put", 0.0) + time.process_time() - t
        eng.store.put = timed_put
        put_many = eng.store.put_many

        def timed_put_many(a, _put_many=put_many):
            t = time.process_time()
            try:
                return _put_many(a)
            finally:
                spent["put"] = spent.get("put", 0.0) + time.process_time() - t
        eng.store.put_many = timed_put_many
        prof = cProfile.Profile() if profile else None
        t0, c0 = time.perf_counter(), time.process_time()
        if prof:
            prof.enable()
        n = 0
        for chunk in analyses:
            items = pickle.loads(chunk)
            n += len(items)
            eng.add_analyses(items)
            del items
        if prof:
            prof.disable()
            prof.dump_stats(profile)
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    print(f"store of {n0} articles + {n}: {wall:.1f} s wall, {cpu / n * 1000:.1f} ms CPU/article "
          f"({n / wall:.0f} art/s); " + ", ".join(f"{k} {v / n * 1000:.1f}" for k, v in spent.items()) + " ms/article; "
          f"garbage collection {gc_t[0] / n * 1000:.1f} ms/article ({gc_t[2]} full)")
    tmp.cleanup()


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--analyse")
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--out", default="/tmp/grow.pkl")
    ap.add_argument("--store")
    ap.add_argument("--analyses", default="/tmp/grow.pkl")
    ap.add_argument("--profile")
    ap.add_argument("--keep", help="folder to keep the grown copy in")
    args = ap.parse_args()
    if args.analyse:
        analyse(args.analyse, args.n, args.out)
    else:
        grow(args.store, args.analyses, args.profile, args.keep)
