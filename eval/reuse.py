"""Text reuse recall against an exact count: every ANT article pair sharing
``--min-shared`` (default 20) or more seven-word sequences must be linked.

The reference is computed by brute force (every 7-gram of the SEARCH-
normalised words, an inverted index, a count per pair) over a few days of
ANT; the linker runs online over the same articles, in publication order,
through its LSH band table.  Reported: recall of the reference pairs, and
the linked pairs that share fewer than 5 seven-word sequences (weak links,
to read by hand: boilerplate that slipped through would show here).

    .venv/bin/python eval/reuse.py [--days 2018-05-01,2018-05-03]

ANT Corpus v2.1: Chouigui, Ben Khiroun & Elayeb, AICCSA 2017 (Apache 2.0).
"""
from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

from marsad.ingest.files import article_from_text
from marsad.link.reuse import ReuseLinker, words
from marsad.store.sqlite import SQLiteStore

ANT = Path(__file__).resolve().parents[2] / "shared" / "data" / "ant"


def load(first: dt.date, last: dt.date) -> list:
    out = []
    for y, m in sorted({(first.year, first.month), (last.year, last.month)}):
        with gzip.open(ANT / f"ant-{y}-{m:02d}.jsonl.gz", "rt", encoding="utf-8") as fh:
            for line in fh:
                r = json.loads(line)
                day = dt.date.fromisoformat(r["published"][:10])
                if first <= day <= last and (r.get("text") or "").strip():
                    out.append(article_from_text(r["text"], id=r["id"], source=r["source"],
                                                 published=r["published"], title=r.get("title")))
    out.sort(key=lambda a: (a.published or "", a.id))
    return out


def shared_sevengrams(articles: list) -> Counter:
    """Pairs -> number of distinct shared 7-word sequences (exact, brute force)."""
    index: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for a in articles:
        w = words(a.text).norms
        for g in {tuple(w[i:i + 7]) for i in range(len(w) - 6)}:
            index[g].append(a.id)
    pairs: Counter = Counter()
    for ids in index.values():
        if 1 < len(ids) <= 50:  # a 7-gram in > 50 articles is a formula, not reuse
            ids = sorted(set(ids))
            for i in range(len(ids)):
                for j in range(i + 1, len(ids)):
                    pairs[(ids[i], ids[j])] += 1
    return pairs


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--days", default="2018-05-01,2018-05-03", help="first,last day of ANT to use")
    ap.add_argument("--min-shared", type=int, default=20)
    args = ap.parse_args(argv)
    first, last = (dt.date.fromisoformat(x) for x in args.days.split(","))
    articles = load(first, last)
    by_id = {a.id: a for a in articles}
    t = time.perf_counter()
    ref = shared_sevengrams(articles)
    gold = {p for p, n in ref.items() if n >= args.min_shared}
    print(f"{len(articles)} ANT articles {first} .. {last}; {len(gold)} pairs share >= {args.min_shared} "
          f"seven-word sequences (brute force, {time.perf_counter() - t:.1f}s)")
    store = SQLiteStore(":memory:")
    linker = ReuseLinker()
    store.ensure_schema(linker.schema)
    t = time.perf_counter()
    with store.transaction():
        for a in articles:
            linker._texts[a.id] = a.text  # the store holds no articles here
            linker.link_one(store, a.id, a.text)
    ms = (time.perf_counter() - t) * 1000 / max(1, len(articles))
    linked = {tuple(sorted(r)) for r in store.query("SELECT DISTINCT a_id, b_id FROM reuse_passages")}
    found = gold & linked
    print(f"linked pairs: {len(linked)}; recall of the >= {args.min_shared} pairs: "
          f"{len(found)}/{len(gold)} = {len(found) / max(1, len(gold)):.3f}; linking {ms:.2f} ms/article")
    missed = sorted(gold - linked, key=lambda p: -ref[p])
    for p in missed[:10]:
        print(f"  missed {p[0]} {p[1]} ({ref[p]} shared 7-grams)")
    weak = sorted((p for p in linked if ref.get(p, 0) < 5), key=lambda p: ref.get(p, 0))
    print(f"weak links (< 5 shared 7-grams): {len(weak)} of {len(linked)}")
    for p in weak[:10]:
        rows = store.query("SELECT a_id, a_start, a_end FROM reuse_passages WHERE (a_id=? AND b_id=?) "
                           "OR (a_id=? AND b_id=?) LIMIT 1", (p[0], p[1], p[1], p[0]))
        aid, s, e = rows[0]
        print(f"  {p[0]} {p[1]} ({ref.get(p, 0)}): {' '.join(by_id[aid].text[s:e].split())[:120]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
