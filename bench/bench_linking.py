"""Cost of linking one article (stories + reuse) as the store grows.

The corpus is generated at run time by recombining sentences of ANT
articles (../shared/data/ant, never copied) with words swapped at random, so
that shared 5-grams are rare except where we copy on purpose: each synthetic
article takes most of its sentences from one ANT "topic" article (so stories
form), some at random, and one in ten copies a paragraph of a recent
synthetic article verbatim (so reuse is found).  150 articles a day, so the
14-day story window holds ~2,100 articles, as a busy news desk would.

The store is grown to each size; at each checkpoint the next ``--probe``
articles are added and their linking time (the two linkers only: analysis
and the core store write are excluded) is reported per article, as CPU time
(what the linkers cost) and wall time (with the waits of a shared machine).

    .venv/bin/python bench/bench_linking.py --sizes 1000,10000 [--sizes 100000]
"""
from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

from marsad.ingest.files import article_from_text
from marsad.link.reuse import ReuseLinker
from marsad.link.stories import StoriesLinker
from marsad.pipeline import Pipeline
from marsad.store.sqlite import SQLiteStore
from marsad.text.sentences import split_sentences

ANT = Path(__file__).resolve().parents[2] / "shared" / "data" / "ant"
PER_DAY = 150
OWN = [  # a few sentences of our own, mixed in everywhere
    "وقالت مصادر مطلعة إن المباحثات ستتواصل خلال الأيام المقبلة بمشاركة ممثلين عن الأطراف المعنية.",
    "وأكد المتحدث أن الحكومة تتابع التطورات عن كثب وستعلن موقفها في الوقت المناسب.",
    "ولم يصدر حتى الآن أي تعليق رسمي من الجهات المختصة على هذه الأنباء.",
    "ويأتي ذلك في وقت تشهد فيه المنطقة توترا متصاعدا منذ عدة أسابيع.",
]


def load_topics(limit: int, seed: int) -> tuple[list[list[str]], list[str]]:
    """Sentences of up to ``limit`` ANT articles, and a vocabulary."""
    topics: list[list[str]] = []
    vocab: set[str] = set()
    for path in sorted(ANT.glob("ant-2018-*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            for line in fh:
                text = json.loads(line).get("text") or ""
                sents = [s.text for s in split_sentences(text) if len(s.text.split()) >= 6]
                if len(sents) >= 4:
                    topics.append(sents)
                    if len(vocab) < 50_000:
                        vocab.update(sents[0].split())
                if len(topics) >= limit:
                    break
        if len(topics) >= limit:
            break
    random.Random(seed).shuffle(topics)
    return topics, sorted(vocab)


class Corpus:
    def __init__(self, topics: list[list[str]], vocab: list[str], seed: int = 7):
        self.topics, self.vocab = topics, vocab
        self.rng = random.Random(seed)
        self.recent: list[list[str]] = []
        self.n = 0

    def _perturb(self, sentence: str) -> str:
        words = sentence.split()
        return " ".join(self.rng.choice(self.vocab) if self.rng.random() < 0.3 else w for w in words)

    def next(self):
        rng = self.rng
        topic = self.topics[(self.n // 4 + rng.randrange(3)) % len(self.topics)]  # ~4 articles per topic
        k = rng.randint(6, 14)
        paras = [self._perturb(rng.choice(topic)) for _ in range(k * 2 // 3)]
        paras += [self._perturb(rng.choice(rng.choice(self.topics))) for _ in range(k - len(paras))]
        paras.append(rng.choice(OWN))
        if self.recent and rng.random() < 0.1:  # copy one paragraph of a recent article
            src = rng.choice(self.recent[-500:])
            i = rng.randrange(max(1, len(src) - 2))
            paras.insert(rng.randrange(len(paras)), " ".join(src[i:i + 3]))
        self.recent.append(paras)
        del self.recent[:-500]
        day = dt.date(2018, 1, 1) + dt.timedelta(days=self.n // PER_DAY)
        art = article_from_text("\n".join(paras), id=f"syn{self.n:07d}", source="bench",
                                published=day.isoformat())
        self.n += 1
        return art


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="1000,10000", help="store sizes to probe (comma-separated)")
    ap.add_argument("--probe", type=int, default=200, help="articles timed at each size")
    ap.add_argument("--batch", type=int, default=200)
    ap.add_argument("--db", help="SQLite file (default: a temporary file)")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args(argv)
    sizes = sorted(int(x) for x in args.sizes.split(","))
    if not ANT.exists():
        print(f"ANT not found at {ANT}", file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    topics, vocab = load_topics(6000, args.seed)
    print(f"corpus source: {len(topics)} ANT articles' sentences, {len(vocab)} words "
          f"({time.perf_counter() - t0:.1f}s)")
    tmp = tempfile.TemporaryDirectory()
    db = args.db or os.path.join(tmp.name, "bench.db")
    store = SQLiteStore(db)
    stories, reuse = StoriesLinker(), ReuseLinker()
    for lk in (stories, reuse):
        store.ensure_schema(lk.schema)
    pipe = Pipeline(names=["tokens", "sentences"])
    corpus = Corpus(topics, vocab, args.seed)

    def add(n: int) -> tuple[float, float, float, float]:
        """Add n articles; (stories, reuse) linking ms per article, wall and CPU."""
        wall = [0.0, 0.0]
        cpu = [0.0, 0.0]
        done = 0
        while done < n:
            batch = [pipe(corpus.next()) for _ in range(min(args.batch, n - done))]
            with store.transaction():
                for k, linker in enumerate((stories, reuse)):
                    t, c = time.perf_counter(), time.process_time()
                    linker.link(store, batch)
                    wall[k] += time.perf_counter() - t
                    cpu[k] += time.process_time() - c
                for a in batch:
                    store.put(a)
            done += len(batch)
        return wall[0] * 1000 / n, wall[1] * 1000 / n, cpu[0] * 1000 / n, cpu[1] * 1000 / n

    # CPU time is what the linkers cost; wall time also holds waits for the
    # (shared, 2-core) machine and the disk
    print(f"\n{'store size':>10}  {'stories ms':>10}  {'reuse ms':>8}  {'total ms':>8}  {'(wall ms)':>9}  "
          f"{'peak RSS MB':>11}  {'db MB':>6}  build s")
    for size in sizes:
        t = time.perf_counter()
        if store.count() < size:
            add(size - store.count())
        build = time.perf_counter() - t
        w_st, w_re, c_st, c_re = add(args.probe)
        db_mb = os.path.getsize(db) / 2**20 if os.path.exists(db) else 0
        print(f"{size:>10,}  {c_st:>10.2f}  {c_re:>8.2f}  {c_st + c_re:>8.2f}  {w_st + w_re:>9.2f}  "
              f"{rss_mb():>11.0f}  {db_mb:>6.0f}  {build:.0f}", flush=True)
    s = stories.stats(store)["stories"]
    r = reuse.stats(store)["reuse_pairs"]
    print(f"\n{store.count():,} articles: {s:,} stories, {r:,} article pairs with reuse")
    store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
