"""Ingest + analyse + link + store N articles (default 100k) into SQLite or
PostgreSQL, the way `marsad ingest` does it (streaming JSONL, pipelined
worker processes), and report time, articles/s, store size per 1k articles
and peak RSS (main process and the largest worker).

Corpus: the ANT articles (../shared/data/ant, 29,440) as they are, then
synthetic articles recombined from their paragraphs (eight a piece, so
content hashes differ and reuse is plentiful) with one sentence of our own
text each (``OWN`` below, written for this benchmark), dated like the
article they borrow from.  The corpus is written to a temporary folder as
ten JSONL.gz parts (generated in a child process, so its memory does not
count), and the parts are ingested one after the other, the cumulative rate
printed after each, so a run cut short still gives figures.

    nice -n 10 .venv/bin/python bench/bench_100k.py --articles 100000 [--db sqlite|URL] [--workers 2]
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SHARED = Path(__file__).resolve().parents[2] / "shared"
PARTS = 10

# our own sentences (not from any corpus), recombined with names and numbers
OWN = [
    "وقال مصدر مطلع إن {who} سيعقد اجتماعا مع ممثلي {where} خلال {n} أيام لبحث الملفات العالقة.",
    "وأعلنت وزارة الخارجية في {where} أن {who} تلقى اتصالا هاتفيا تناول التطورات الأخيرة في المنطقة.",
    "وذكرت وسائل إعلام محلية أن {n} أشخاص أصيبوا في حادث سير على الطريق الرئيسي قرب {where}.",
    "ومن المقرر أن تستضيف {where} مؤتمرا اقتصاديا يشارك فيه {n} وفدا من دول عربية وأجنبية.",
    "وأكد {who} في تصريحات صحفية أن الحوار هو السبيل الوحيد لحل الأزمة الراهنة.",
]
WHO = ["وزير الخارجية", "رئيس الوزراء", "المتحدث باسم الحكومة", "الأمين العام للجامعة العربية", "وزير الاقتصاد"]
WHERE = ["القاهرة", "عمان", "بيروت", "الرباط", "تونس", "الدوحة", "بغداد", "الخرطوم"]


def make_corpus(n: int, folder: Path, seed: int = 7) -> None:
    rng = random.Random(seed)
    base: list[dict] = []
    for f in sorted((SHARED / "data" / "ant").glob("ant-2018-*.jsonl.gz")):
        with gzip.open(f, "rt", encoding="utf-8") as fh:
            base += [json.loads(line) for line in fh]
    paras = [p for r in base for p in r["text"].split("\n") if len(p) > 40]
    per = -(-n // PARTS)
    k = 0
    for part in range(PARTS):
        with gzip.open(folder / f"part-{part:02d}.jsonl.gz", "wt", encoding="utf-8", compresslevel=1) as out:
            for _ in range(min(per, n - k)):
                if k < len(base):
                    r = base[k]
                    rec = {"id": r["id"], "url": r.get("url"), "source": r.get("source"),
                           "published": r.get("published"), "title": r.get("title"), "text": r["text"]}
                else:
                    r = base[k % len(base)]
                    own = rng.choice(OWN).format(who=rng.choice(WHO), where=rng.choice(WHERE), n=rng.randint(2, 40))
                    body = rng.sample(paras, 8)
                    body.insert(rng.randint(1, 8), own)
                    rec = {"id": f"synth-{k}", "source": "synthetic", "published": r.get("published"),
                           "title": r.get("title"), "text": "\n".join(body)}
                out.write(json.dumps(rec, ensure_ascii=False) + "\n")
                k += 1


def store_size(db: str) -> float:
    """Bytes on disk of the store."""
    if db.startswith(("postgres://", "postgresql://")):
        from marsad.store.postgres import PostgresStore

        with PostgresStore(db) as s:
            return float(s.query("SELECT pg_database_size(current_database())")[0][0])
    return float(sum(p.stat().st_size for p in Path(db).parent.glob(Path(db).name + "*")))


class WorkerPeak:
    """Peak RSS (VmHWM) of the processes below this one, sampled every
    second: pool workers start from a forkserver, so they are not children
    of the main process and RUSAGE_CHILDREN never sees them."""

    def __init__(self) -> None:
        import threading

        self.peak_kb = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _descendants(self) -> list[int]:
        children: dict[int, list[int]] = {}
        for d in Path("/proc").iterdir():
            if d.name.isdigit():
                try:
                    ppid = int((d / "stat").read_text().rsplit(")", 1)[1].split()[1])
                except (OSError, IndexError, ValueError):
                    continue
                children.setdefault(ppid, []).append(int(d.name))
        out, todo = [], [os.getpid()]
        while todo:
            for c in children.get(todo.pop(), ()):
                out.append(c)
                todo.append(c)
        return out

    def _run(self) -> None:
        while not self._stop.wait(1.0):
            for pid in self._descendants():
                try:
                    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                        if line.startswith("VmHWM:"):
                            self.peak_kb = max(self.peak_kb, int(line.split()[1]))
                except OSError:
                    pass

    def stop(self) -> float:
        self._stop.set()
        return self.peak_kb / 1024


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=100_000)
    ap.add_argument("--db", default="sqlite", help="'sqlite' (a temporary file) or a postgresql:// URL "
                                                   "(use a throwaway database: it is written to)")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--corpus", help="folder to write the corpus parts to / read them from (default: temporary)")
    ap.add_argument("--make-corpus", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    tmp = tempfile.TemporaryDirectory(prefix="marsad-100k-")
    folder = Path(args.corpus or tmp.name)
    folder.mkdir(parents=True, exist_ok=True)
    if args.make_corpus:
        make_corpus(args.articles, folder)
        return
    if not list(folder.glob("part-*.jsonl.gz")):
        t = time.perf_counter()
        subprocess.run([sys.executable, __file__, "--make-corpus", "--articles", str(args.articles),
                        "--corpus", str(folder)], check=True)
        print(f"corpus: {args.articles} articles in {PARTS} parts ({time.perf_counter() - t:.0f} s to build)",
              flush=True)
    db = args.db if args.db != "sqlite" else str(Path(tmp.name) / "bench.db")
    from marsad.engine import Engine

    print(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at start, workers {args.workers}, "
          f"store {'PostgreSQL' if db.startswith('postgres') else 'SQLite'}", flush=True)
    done = 0
    workers_peak = WorkerPeak() if Path("/proc/self/status").exists() else None
    t0 = time.perf_counter()
    with Engine(db, workers=args.workers) as eng:
        for part in sorted(folder.glob("part-*.jsonl.gz")):
            rep = eng.ingest([str(part)])
            done += len(rep.added)
            el = time.perf_counter() - t0
            ru = resource.getrusage(resource.RUSAGE_SELF)
            print(f"{done:7d} articles  {el:7.0f} s  {done / el:6.1f} articles/s  "
                  f"main CPU {(ru.ru_utime + ru.ru_stime) / done * 1000:5.1f} ms/article  "
                  f"rss {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB  "
                  f"load {os.getloadavg()[0]:.1f}  ({len(rep.duplicates)} duplicates, {len(rep.errors)} errors)",
                  flush=True)
    el = time.perf_counter() - t0
    main_cpu = sum(resource.getrusage(resource.RUSAGE_SELF)[:2])
    workers_cpu = sum(resource.getrusage(resource.RUSAGE_CHILDREN)[:2])
    print(f"CPU: main {main_cpu / done * 1000:.1f} ms/article (linking, storing), workers "
          f"{workers_cpu / done * 1000:.1f} ms/article (analysis; includes the corpus builder when built by "
          f"this run); on an idle machine with C cores the rate is at most "
          f"min(1000 / main, C * 1000 / (main + workers)) articles/s", flush=True)
    size = store_size(db)
    print(f"total: {done} articles in {el:.0f} s = {done / el:.1f} articles/s; store {size / 2**20:.0f} MB = "
          f"{size / done * 1000 / 2**20:.1f} MB per 1k articles; peak RSS main "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB, largest worker "
          f"{workers_peak.stop() if workers_peak else float('nan'):.0f} MB (sampled each second; the corpus "
          f"builder, when built by this run, counts too: build it first with --make-corpus --corpus DIR)", flush=True)
    tmp.cleanup()


if __name__ == "__main__":
    main()
