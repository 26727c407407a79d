"""Per-component cost of the analysis pipeline on ANT articles (one core).

    .venv/bin/python bench/bench_pipeline.py [--articles 300]
"""
from __future__ import annotations

import argparse
import gzip
import json
import time
from collections import defaultdict
from pathlib import Path

SHARED = Path(__file__).resolve().parents[2] / "shared"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=300)
    args = ap.parse_args()
    from marsad.ingest.files import article_from_text
    from marsad.model import Doc
    from marsad.pipeline import Pipeline

    rows = []
    with gzip.open(SHARED / "data" / "ant" / "ant-2018-05.jsonl.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            rows.append(json.loads(line))
            if len(rows) == args.articles:
                break
    arts = [article_from_text(r["text"], id=r["id"], published=r["published"]) for r in rows]
    pipe = Pipeline()
    pipe(arts[0])  # load models and lexicons
    cost: dict[str, float] = defaultdict(float)
    t0 = time.perf_counter()
    for a in arts:
        doc = Doc(a)
        for name, fn in pipe._steps:
            t = time.perf_counter()
            fn(doc)
            cost[name] += time.perf_counter() - t
    total = time.perf_counter() - t0
    chars = sum(len(a.text) for a in arts) / len(arts)
    print(f"{len(arts)} ANT articles, {chars:.0f} chars on average: {len(arts) / total:.1f} articles/s on one core")
    for name, c in cost.items():
        print(f"  {name:10s} {c / len(arts) * 1000:7.2f} ms/article")


if __name__ == "__main__":
    main()
