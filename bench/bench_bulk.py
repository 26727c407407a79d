"""The bulk path, timed step by step: `marsad spark analyze` -> `marsad
spark link --what reuse,entities,stories` -> `marsad load` into SQLite and
into PostgreSQL, on the corpus of bench/bench_100k.py (ANT articles, then
articles recombined from their paragraphs and sentences of our own).

Each step runs as its own `marsad` command; printed per step: wall time,
articles/s, the peak of the summed RSS of the command's whole process tree
(driver, JVM, Python workers; sampled every 0.5 s) and, for the loads, the
store size per 1k articles.  Timed runs go under the machine-wide lock:

    nice -n 10 .venv/bin/python bench/bench_100k.py --make-corpus --articles 10000 --corpus /tmp/c10k
    flock /tmp/bench.lock .venv/bin/python bench/bench_bulk.py --corpus /tmp/c10k --work /tmp/bulk10k \\
        [--pg postgresql://marsad@127.0.0.1:54329/marsad]
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MARSAD = str(Path(sys.executable).with_name("marsad"))


def _tree_rss(pid: int) -> int:
    """Summed RSS (bytes) of ``pid`` and its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    page = os.sysconf("SC_PAGE_SIZE")
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat") as f:
                parts = f.read().rsplit(")", 1)[1].split()
            children.setdefault(int(parts[1]), []).append(int(d))
            rss[int(d)] = int(parts[21]) * page
        except (OSError, IndexError, ValueError):
            continue
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        total += rss.get(p, 0)
        todo += children.get(p, [])
    return total


def run(args: list[str]) -> tuple[float, float, str]:
    """(seconds, peak tree RSS in MB, stdout) of one command."""
    t = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = [0]

    def sample() -> None:
        while proc.poll() is None:
            peak[0] = max(peak[0], _tree_rss(proc.pid))
            time.sleep(0.5)

    th = threading.Thread(target=sample, daemon=True)
    th.start()
    out, err = proc.communicate()
    th.join()
    secs = time.perf_counter() - t
    if proc.returncode != 0:
        sys.exit(f"{' '.join(args)} failed:\n{err[-3000:]}")
    return secs, peak[0] / 2**20, out


def folder_mb(p: Path) -> float:
    return sum(f.stat().st_size for f in p.rglob("*") if f.is_file()) / 2**20


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", required=True, help="folder of part-*.jsonl.gz (bench_100k.py --make-corpus)")
    ap.add_argument("--work", required=True, help="scratch folder for the Parquet and the SQLite database")
    ap.add_argument("--pg", default=None, help="PostgreSQL URL: also load there (a fresh schema)")
    ap.add_argument("--master", default="local[2]")
    ap.add_argument("--steps", default="analyze,link,sqlite,pg",
                    help="which steps to run (the others reuse the results of an earlier run in --work)")
    a = ap.parse_args()
    work = Path(a.work)
    work.mkdir(parents=True, exist_ok=True)
    analysed, linked, db = work / "analysed.parquet", work / "linked", work / "loaded.db"
    with open("/proc/loadavg") as f:
        print(f"cores {os.cpu_count()}, load average at start {f.read().split()[:3]}", flush=True)
    results = {}
    steps = set(a.steps.split(","))
    if "analyze" in steps:
        secs, rss, out = run([MARSAD, "spark", "analyze", "--input", a.corpus, "--output", str(analysed),
                              "--master", a.master])
        n = json.loads(out.strip().splitlines()[-1])["articles"]
        results["analyze"] = (secs, rss)
        print(f"spark analyze: {n} articles, {secs:.0f} s = {n / secs:.1f} art/s, peak RSS {rss:.0f} MB, "
              f"Parquet {folder_mb(analysed):.0f} MB", flush=True)
    if "link" in steps:
        shutil.rmtree(linked, ignore_errors=True)
        secs, rss, out = run([MARSAD, "spark", "link", "--input", str(analysed), "--output", str(linked),
                              "--what", "reuse,entities,stories", "--master", a.master])
    manifest = json.loads((linked / "manifest.json").read_text())
    n = manifest["counts"]["articles"]
    if "link" in steps:
        print(f"spark link reuse,entities,stories: {n} articles, {secs:.0f} s = {n / secs:.1f} art/s, "
              f"peak RSS {rss:.0f} MB; steps {manifest['seconds']}; result {folder_mb(linked):.0f} MB", flush=True)
        print(f"  counts {manifest['counts']}", flush=True)
    if "sqlite" in steps:
        db.unlink(missing_ok=True)
        for suffix in ("-wal", "-shm"):
            Path(str(db) + suffix).unlink(missing_ok=True)
        secs, rss, _ = run([MARSAD, "load", str(linked), "--db", str(db)])
        size = sum(Path(str(db) + s).stat().st_size for s in ("", "-wal") if Path(str(db) + s).exists()) / 2**20
        print(f"marsad load -> SQLite: {secs:.0f} s = {n / secs:.1f} art/s, peak RSS {rss:.0f} MB, "
              f"{size / n * 1000:.1f} MB per 1k articles", flush=True)
    if a.pg and "pg" in steps:
        import psycopg

        schema = f"bulk_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(a.pg, autocommit=True) as c:
            c.execute(f"CREATE SCHEMA {schema}")
        url = a.pg + ("&" if "?" in a.pg else "?") + f"options=-csearch_path%3D{schema}"
        try:
            secs, rss, _ = run([MARSAD, "load", str(linked), "--db", url])
            with psycopg.connect(a.pg, autocommit=True) as c:
                size = c.execute("SELECT sum(pg_total_relation_size(quote_ident(schemaname) || '.' || "
                                 "quote_ident(tablename))) FROM pg_tables WHERE schemaname=%s",
                                 (schema,)).fetchone()[0] / 2**20
            print(f"marsad load -> PostgreSQL: {secs:.0f} s = {n / secs:.1f} art/s, peak RSS {rss:.0f} MB, "
                  f"{size / n * 1000:.1f} MB per 1k articles (tables and indexes)", flush=True)
        finally:
            with psycopg.connect(a.pg, autocommit=True) as c:
                c.execute(f"DROP SCHEMA {schema} CASCADE")
    with open("/proc/loadavg") as f:
        print(f"load average at the end {f.read().split()[:3]}")


if __name__ == "__main__":
    main()
