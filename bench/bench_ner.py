"""NER throughput: tokens per second of the ``entities`` component alone
(tokens and sentences computed beforehand), on one core, over ANT articles.

    python bench/bench_ner.py [--articles 500] [--model path/to/ner.crfsuite]

Prints tokens/s by wall clock and per CPU-second (target >= 50k on one
core), articles/s and peak memory.
"""
from __future__ import annotations

import argparse
import gzip
import json
import resource
import time
from pathlib import Path

from marsad.model import Article, Doc
from marsad.pipeline import REGISTRY, Pipeline

ANT = Path(__file__).resolve().parents[2] / "shared" / "data" / "ant" / "ant-2018-05.jsonl.gz"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--articles", type=int, default=500)
    ap.add_argument("--model", default=None, help="NER model file (default: the shipped one)")
    args = ap.parse_args()
    docs = []
    pre = Pipeline(names=["tokens", "sentences"])
    with gzip.open(ANT, "rt", encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            docs.append(pre.run(Doc(Article(rec["id"], rec["text"]))))
            if len(docs) >= args.articles:
                break
    import marsad.extract.entities  # noqa: F401  (registers the component)
    run = REGISTRY["entities"].factory(**({"model": args.model} if args.model else {}))
    run(Doc(Article("warm", "زار وزير الخارجية موسكو.")))  # load the model outside the timing
    n_tok = sum(len(d.tokens) for d in docs)
    t0, c0 = time.perf_counter(), time.process_time()
    n_m = 0
    for d in docs:
        run(d)
        n_m += len(d.mentions)
    dt, cpu = time.perf_counter() - t0, time.process_time() - c0
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"entities: {len(docs)} ANT articles, {n_tok} tokens, {n_m} mentions in {dt:.2f}s")
    print(f"  wall: {n_tok / dt:,.0f} tokens/s, {len(docs) / dt:.1f} articles/s (one process)")
    print(f"  cpu:  {n_tok / cpu:,.0f} tokens per CPU-second (less sensitive to a shared machine)")
    print(f"  peak RSS {rss:.0f} MB")


if __name__ == "__main__":
    main()
