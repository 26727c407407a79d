"""Ingest benchmark: articles per second and peak memory of ``Engine.ingest``
(read JSONL -> analyse -> link -> store in SQLite), for

  text  the text layer only: Pipeline(names=["tokens", "sentences"]), no linkers
  pipe  the default pipeline, no linkers (what the per-article analysis costs)
  full  the default pipeline and linkers, as installed at the moment you run it

on 1 and 2 worker processes.  The corpus is built by repeating the two seed
articles (read from ../shared at run time, never copied into the repo), each
copy with its own id and a closing line that makes its content hash differ;
``--ant N`` takes the first N articles of the ANT corpus instead.

Each configuration runs in a fresh Python process, so that ``ru_maxrss``
(the peak resident set size) belongs to it alone; worker processes are
reported apart (RUSAGE_CHILDREN: the largest child).

    .venv/bin/python bench/bench_ingest.py                 # 2,000 seed copies
    .venv/bin/python bench/bench_ingest.py --n 500 --modes text
    .venv/bin/python bench/bench_ingest.py --ant 1000 --workers 2
"""
from __future__ import annotations

import argparse
import gzip
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
ANT = SHARED / "data" / "ant" / "ant-2018-05.jsonl.gz"


def build_seed_corpus(n: int, out: Path) -> int:
    seeds = [json.loads(line) for line in (SHARED / "seeds" / "seeds.jsonl").open(encoding="utf-8")]
    chars = 0
    with out.open("w", encoding="utf-8") as fh:
        for i in range(n):
            s = seeds[i % len(seeds)]
            text = s["text"] + f"\n\nنسخة للاختبار رقم {i}."  # a distinct content hash per copy
            chars += len(text)
            fh.write(json.dumps({"id": f"{s['id']}-{i}", "source": s["source"], "published": s["published"],
                                 "text": text}, ensure_ascii=False) + "\n")
    return chars


def build_ant_corpus(n: int, out: Path, path: Path = ANT) -> tuple[int, int]:
    chars = count = 0
    with gzip.open(path, "rt", encoding="utf-8") as src, out.open("w", encoding="utf-8") as fh:
        for line in src:
            if count >= n:
                break
            rec = json.loads(line)
            if not (rec.get("text") or "").strip():
                continue
            fh.write(json.dumps({k: rec.get(k) for k in ("id", "url", "source", "published", "title", "text")},
                                ensure_ascii=False) + "\n")
            chars += len(rec["text"])
            count += 1
    return count, chars


def run_one(corpus: Path, mode: str, workers: int) -> dict:
    """One configuration, in this (fresh) process."""
    from marsad.engine import Engine
    from marsad.pipeline import Pipeline

    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "bench.db")
        t0 = time.perf_counter()
        if mode == "text":
            engine = Engine(db, pipeline=Pipeline(names=["tokens", "sentences"]), linkers=[], workers=workers)
        elif mode == "pipe":
            engine = Engine(db, linkers=[], workers=workers)
        else:
            engine = Engine(db, workers=workers)
        with engine:
            names = engine.pipeline.names
            linkers = [lk.name for lk in engine.linkers]
            t1 = time.perf_counter()
            report = engine.ingest([str(corpus)])
            t2 = time.perf_counter()
            stored = engine.store.count()
        db_mb = sum(p.stat().st_size for p in Path(tmp).glob("bench.db*")) / 2**20
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"mode": mode, "workers": workers, "articles": len(report.added), "stored": stored,
            "rejected": len(report.errors), "setup_s": round(t1 - t0, 2), "ingest_s": round(t2 - t1, 2),
            "articles_per_s": round(len(report.added) / (t2 - t1), 1) if t2 > t1 else None,
            "peak_mb": round(own, 1), "peak_worker_mb": round(kids, 1) if workers > 1 else None,
            "db_mb": round(db_mb, 1), "pipeline": names, "linkers": linkers}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=2000, help="seed copies (default 2000)")
    ap.add_argument("--ant", type=int, metavar="N", help="use the first N ANT articles instead of seed copies")
    ap.add_argument("--ant-file", type=Path, default=ANT)
    ap.add_argument("--modes", nargs="+", default=["text", "full"], choices=["text", "pipe", "full"],
                    help="text, pipe and/or full (default: text full)")
    ap.add_argument("--workers", nargs="+", type=int, default=[1, 2])
    ap.add_argument("--json", action="store_true", help="one JSON object per configuration")
    ap.add_argument("--_one", nargs=3, metavar=("CORPUS", "MODE", "WORKERS"), help=argparse.SUPPRESS)
    args = ap.parse_args()

    if args._one:
        corpus, mode, workers = args._one
        print(json.dumps(run_one(Path(corpus), mode, int(workers))))
        return

    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus.jsonl"
        if args.ant:
            n, chars = build_ant_corpus(args.ant, corpus, args.ant_file)
            label = f"{n} ANT articles from {args.ant_file.name}"
        else:
            n, chars = args.n, build_seed_corpus(args.n, corpus)
            label = f"{n} seed copies"
        print(f"corpus: {label}, {chars / max(n, 1):,.0f} characters an article, "
              f"{corpus.stat().st_size / 2**20:.1f} MB of JSONL", flush=True)
        if not args.json:
            print(f"{'mode':<5} {'workers':>7} {'articles':>8} {'art/s':>8} {'s':>7} {'peak MB':>8} "
                  f"{'worker MB':>9} {'db MB':>6}  components")
        for mode in args.modes:
            for w in args.workers:
                proc = subprocess.run([sys.executable, __file__, "--_one", str(corpus), mode, str(w)],
                                      capture_output=True, text=True)
                if proc.returncode != 0:
                    lines = proc.stderr.strip().splitlines() or ["?"]
                    where = [ln.strip() for ln in lines if ln.strip().startswith("File ")][-1:]
                    print(f"{mode:<5} {w:>7}  FAILED: {lines[-1]} {' '.join(where)}", flush=True)
                    continue
                r = json.loads(proc.stdout.strip().splitlines()[-1])
                if args.json:
                    print(json.dumps(r), flush=True)
                    continue
                comps = ",".join(r["pipeline"]) + (" + " + ",".join(r["linkers"]) if r["linkers"] else "")
                print(f"{mode:<5} {w:>7} {r['articles']:>8} {r['articles_per_s'] or 0:>8.1f} {r['ingest_s']:>7.2f} "
                      f"{r['peak_mb']:>8.1f} {r['peak_worker_mb'] or '-':>9} {r['db_mb']:>6.1f}  {comps}",
                      flush=True)


if __name__ == "__main__":
    main()
