"""Titles, coreference and cross-article entity linking: speed on ANT news.

    python bench/bench_entity_linking.py [--articles 1000] [--batch 200]

Prints tokens/s of the ``titles`` and ``coref`` components alone (tokens,
sentences and NER computed beforehand, one core), then links the articles
batch by batch into a fresh SQLite store and prints articles/s per batch: a
flat line as the store grows is what "incremental" means.  Peak memory last.
"""
from __future__ import annotations

import argparse
import gzip
import json
import resource
import tempfile
import time
from pathlib import Path

from marsad.extract.coref import Coref
from marsad.extract.titles import Lexicon, bind_titles
from marsad.link.entities import EntityLinker
from marsad.model import Article, Doc
from marsad.pipeline import Pipeline
from marsad.store import open_store

ANT = Path(__file__).resolve().parents[2] / "shared" / "data" / "ant" / "ant-2018-04.jsonl.gz"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--batch", type=int, default=200)
    args = ap.parse_args()
    pre = Pipeline(names=["tokens", "sentences", "entities"])
    docs: list[Doc] = []
    with gzip.open(ANT, "rt", encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            a = Article(id=r["id"], text=r["text"], source=r.get("source"), published=(r.get("published") or "")[:10])
            docs.append(pre.run(Doc(a)))
            if len(docs) >= args.articles:
                break
    tokens = sum(len(d.tokens) for d in docs)
    lex, coref = Lexicon.default(), Coref()
    t = time.perf_counter()
    for d in docs:
        bind_titles(d, lex)
    t_titles = time.perf_counter() - t
    t = time.perf_counter()
    for d in docs:
        coref(d)
    t_coref = time.perf_counter() - t
    print(f"{len(docs)} articles, {tokens:,} tokens")
    print(f"titles: {tokens / t_titles:,.0f} tokens/s   coref: {tokens / t_coref:,.0f} tokens/s")
    analyses = [d.to_analysis() for d in docs]
    linker = EntityLinker()
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(str(Path(tmp) / "bench.db"))
        store.ensure_schema(linker.schema)
        for i in range(0, len(analyses), args.batch):
            batch = analyses[i:i + args.batch]
            t = time.perf_counter()
            with store.transaction():
                linker.link(store, batch)
            dt = time.perf_counter() - t
            mentions = sum(len(a.mentions) for a in batch)
            print(f"link batch {i // args.batch + 1}: {len(batch) / dt:7.1f} articles/s, "
                  f"{mentions / dt:8,.0f} mentions/s, store {linker.stats(store)['entities']:,} entities")
        store.close()
    print(f"peak memory: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
