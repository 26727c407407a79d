"""Story clustering quality: B-cubed precision, recall and F1 against
hand-labelled story groups of ANT (eval/gold/stories_ant_*.tsv: article ids
and group labels only; the articles are read from ../shared/data at run time).

The linker runs online, in publication order, over every ANT article (all
categories) from ``--context`` days before the first gold day to the last
gold day, so the document frequencies and the candidates are realistic; the
scores count only the gold articles.  The threshold is chosen on the dev day
(2018-05-19) and reported on the test day (2018-05-20).

    .venv/bin/python eval/stories.py [--thresholds 0.2,0.25,0.3,...]

ANT Corpus v2.1: Chouigui, Ben Khiroun & Elayeb, AICCSA 2017 (Apache 2.0).
"""
from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

from marsad.ingest.files import article_from_text
from marsad.link.stories import THRESHOLD, StoriesLinker
from marsad.pipeline import Pipeline
from marsad.store.sqlite import SQLiteStore

REPO = Path(__file__).resolve().parents[1]
ANT = REPO.parent / "shared" / "data" / "ant"
GOLD = REPO / "eval" / "gold"
SPLITS = {"dev": "stories_ant_2018-05-19.tsv", "test": "stories_ant_2018-05-20.tsv"}


def read_gold(name: str) -> dict[str, str]:
    out = {}
    for line in (GOLD / name).read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#") or line.startswith("article_id"):
            continue
        aid, group = line.split("\t")
        out[aid] = group
    return out


def bcubed(gold: dict[str, str], pred: dict[str, str]) -> tuple[float, float, float]:
    """B-cubed over the gold items (Bagga & Baldwin 1998)."""
    g_members: dict[str, set[str]] = defaultdict(set)
    p_members: dict[str, set[str]] = defaultdict(set)
    for i in gold:
        g_members[gold[i]].add(i)
        p_members[pred[i]].add(i)
    p = r = 0.0
    for i in gold:
        same = len(g_members[gold[i]] & p_members[pred[i]])
        p += same / len(p_members[pred[i]])
        r += same / len(g_members[gold[i]])
    p, r = p / len(gold), r / len(gold)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def load_articles(first: dt.date, last: dt.date) -> list:
    months = sorted({(first.year, first.month), (last.year, last.month)})
    out = []
    for y, m in months:
        with gzip.open(ANT / f"ant-{y}-{m:02d}.jsonl.gz", "rt", encoding="utf-8") as fh:
            for line in fh:
                r = json.loads(line)
                day = dt.date.fromisoformat(r["published"][:10])
                if first <= day <= last and r.get("text", "").strip():
                    out.append(article_from_text(r["text"], id=r["id"], source=r["source"],
                                                 published=r["published"], title=r.get("title")))
    out.sort(key=lambda a: (a.published or "", a.id))
    return out


def cluster(analyses: list, threshold: float) -> dict[str, str]:
    store = SQLiteStore(":memory:")
    linker = StoriesLinker(threshold=threshold)
    store.ensure_schema(linker.schema)
    with store.transaction():
        for a in analyses:
            linker.link_one(store, a)
    out = dict(store.query("SELECT article_id, story_id FROM story_articles"))
    store.close()
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--thresholds", default="0.15,0.2,0.25,0.3,0.35,0.4,0.45,0.5")
    ap.add_argument("--context", type=int, default=7, help="days of ANT linked before the gold days")
    ap.add_argument("--full", action="store_true",
                    help="run the default pipeline and the linkers before stories (entities, events) "
                         "instead of tokens + sentences only")
    args = ap.parse_args(argv)
    if not ANT.exists():
        print(f"ANT not found at {ANT}", file=sys.stderr)
        return 2
    golds = {split: read_gold(name) for split, name in SPLITS.items()}
    days = sorted(dt.date.fromisoformat(name.split("_")[-1][:10]) for name in SPLITS.values())
    t0 = time.perf_counter()
    articles = load_articles(days[0] - dt.timedelta(days=args.context), days[-1])
    pipe = Pipeline() if args.full else Pipeline(names=["tokens", "sentences"])
    analyses = [pipe(a) for a in articles]
    if args.full:  # entity ids and event ids, as the engine would give them to the stories linker
        from marsad.link import default_linkers

        store = SQLiteStore(":memory:")
        before = [lk for lk in default_linkers() if lk.name in ("entities", "events")]
        for lk in before:
            store.ensure_schema(lk.schema)
        with store.transaction():
            for lk in before:
                analyses = lk.link(store, analyses)
        store.close()
    print(f"{len(articles)} ANT articles {days[0] - dt.timedelta(days=args.context)} .. {days[-1]} "
          f"analysed in {time.perf_counter() - t0:.1f}s; gold: "
          + ", ".join(f"{s} {len(g)} articles / {len(set(g.values()))} groups" for s, g in golds.items()))
    thresholds = [float(x) for x in args.thresholds.split(",")]
    results: dict[float, dict[str, tuple[float, float, float]]] = {}
    print(f"\n{'threshold':>9}  {'split':<5} {'B3 P':>6} {'B3 R':>6} {'B3 F1':>6}  link ms/article")
    for th in thresholds:
        t = time.perf_counter()
        pred = cluster(analyses, th)
        ms = (time.perf_counter() - t) * 1000 / len(analyses)
        results[th] = {}
        for split, gold in golds.items():
            results[th][split] = bcubed(gold, pred)
            p, r, f = results[th][split]
            print(f"{th:>9.2f}  {split:<5} {p:>6.3f} {r:>6.3f} {f:>6.3f}  {ms:.2f}")
    best = max(thresholds, key=lambda th: results[th]["dev"][2])
    p, r, f = results[best]["test"]
    print(f"\nthreshold chosen on dev: {best:.2f} (shipped default {THRESHOLD:.2f}); "
          f"test B3 P {p:.3f} R {r:.3f} F1 {f:.3f}")
    sizes = sorted(__import__("collections").Counter(cluster(analyses, best).values()).values(), reverse=True)
    print(f"at {best:.2f}: {len(sizes)} stories over {len(analyses)} articles; largest: {sizes[:8]}")
    # the trivial baselines, for scale
    for split, gold in golds.items():
        singles = bcubed(gold, {i: i for i in gold})
        print(f"baseline all-singletons {split}: P {singles[0]:.3f} R {singles[1]:.3f} F1 {singles[2]:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
