"""Run `spark analyze` over N ANT articles (default 10k) on local[*] and check
a sample against the single-machine pipeline, byte for byte.

    .venv/bin/python bench/spark_identity.py [--articles 10000] [--sample 200]
"""
from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
from pathlib import Path

from bench_scale import corpus


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=10_000)
    ap.add_argument("--sample", type=int, default=200)
    args = ap.parse_args()
    import pyarrow.parquet as pq

    from marsad.ingest.files import article_from_text
    from marsad.pipeline import Pipeline
    from marsad.scale.spark import analysis_json, analyze

    rows = corpus(args.articles)
    with tempfile.TemporaryDirectory() as d:
        inp = Path(d) / "in.jsonl"
        inp.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
        t = time.perf_counter()
        counts = analyze(str(inp), str(Path(d) / "out.parquet"))
        took = time.perf_counter() - t
        got = {r["id"]: r["analysis"] for r in pq.read_table(Path(d) / "out.parquet", columns=["id", "analysis"]).to_pylist()}
    print(f"spark analyze: {counts} in {took:.0f} s ({len(rows) / took:.0f} articles/s)")
    pipe = Pipeline()
    same = 0
    sample = random.Random(1).sample(rows, min(args.sample, len(rows)))
    for r in sample:
        a = article_from_text(r["text"], id=r["id"], source=r.get("source"), published=r.get("published"),
                              title=r.get("title"), url=r.get("url"))
        same += got.get(r["id"]) == analysis_json(pipe(a))
    print(f"byte-identical to the single-machine analysis: {same}/{len(sample)} sampled articles")


if __name__ == "__main__":
    main()
