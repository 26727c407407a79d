"""Speed of the ``amounts`` and ``dates`` components on real news.

Tokens and sentences are computed first (not timed); then each component
runs over every article.  Prints articles/s, ms per 4,000 characters and the
peak memory the two components allocate.

    python bench/bench_dates_amounts.py [MONTH] [N]   (default 2018-05, 2000)
"""
from __future__ import annotations

import gzip
import json
import sys
import time
import tracemalloc
from pathlib import Path

from marsad.model import Article, Doc
from marsad.pipeline import Pipeline

ANT = Path(__file__).resolve().parents[2] / "shared" / "data" / "ant"


def main(month: str = "2018-05", n: int = 2000) -> None:
    docs = []
    with gzip.open(ANT / f"ant-{month}.jsonl.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            docs.append(Article(id=r["id"], text=r["text"], published=r["published"]))
            if len(docs) >= n:
                break
    prep = Pipeline(names=["tokens", "sentences"])
    work = [prep.run(Doc(a)) for a in docs]
    chars = sum(len(a.text) for a in docs)
    steps = Pipeline(names=["tokens", "sentences", "amounts", "dates"])._steps[2:]
    for d in work[:20]:  # warm the lexicon caches
        for _, fn in steps:
            fn(d)
    print(f"{len(docs)} ANT articles ({month}), {chars / len(docs):.0f} chars on average")
    for name, fn in steps:
        t0 = time.perf_counter()
        found = 0
        for d in work:
            fn(d)
            found += len(getattr(d, name))
        dt = time.perf_counter() - t0
        print(f"{name:8} {len(docs) / dt:8.0f} articles/s  {dt / chars * 4000 * 1000:6.3f} ms per 4k chars  "
              f"{found} found")
    tracemalloc.start()
    for d in work[:200]:
        for _, fn in steps:
            fn(d)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    print(f"peak memory over 200 articles: {peak / 1e6:.1f} MB")


if __name__ == "__main__":
    main(*(sys.argv[1:2] or ["2018-05"]), *(int(x) for x in sys.argv[2:3]))
