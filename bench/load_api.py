"""Load test of `marsad serve`: N concurrent clients for a fixed time.

Builds a temporary database (the two seeds plus the first ``--ant`` articles
of an ANT month, read from ../shared at run time), starts `marsad serve` in a
subprocess on a free port of 127.0.0.1, then runs ``--clients`` asyncio
clients for ``--seconds`` seconds that hit search (API and page) and article
pages (API and page).  Prints requests, errors, and p50/p95/max latency per
endpoint.  Bounded: every client stops at the deadline or after
``--max-requests`` requests, whichever comes first; the server is stopped at
the end.

    .venv/bin/python bench/load_api.py                 # 50 clients, 30 s, 500 ANT articles
    .venv/bin/python bench/load_api.py --clients 10 --seconds 5 --ant 100
"""
from __future__ import annotations

import argparse
import asyncio
import gzip
import itertools
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
# Search words (names and common news words), not article text.
QUERIES = ["العراق", "لافروف", "ترامب", "إيران", "النفط", "سوريا", "الانتخابات", "موسكو", "الأمم المتحدة",
           "مذكرة تفاهم", "وزير الخارجية", "كرة القدم", "اسعار", "غزة", "' OR 1=1 --", "NEAR("]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def build_db(path: Path, ant: Path, n: int, workers: int) -> int:
    from marsad.engine import Engine

    sys.path.insert(0, str(REPO / "tests"))
    from conftest import load_seeds

    src = path.parent / "input.jsonl"
    with src.open("w", encoding="utf-8") as out:
        for k, v in load_seeds().items():
            out.write(json.dumps(dict(v, id=k), ensure_ascii=False) + "\n")
        with gzip.open(ant, "rt", encoding="utf-8") as fh:
            for line in itertools.islice(fh, n):
                rec = json.loads(line)
                out.write(json.dumps({k: rec.get(k) for k in ("id", "url", "source", "published", "title", "text")},
                                     ensure_ascii=False) + "\n")
    t = time.perf_counter()
    with Engine(str(path), workers=workers) as engine:
        report = engine.ingest([str(src)])
        count = engine.store.count()
    print(f"ingest: {report.summary()} in {time.perf_counter() - t:.1f} s -> {count} articles", flush=True)
    return count


def start_server(db: Path, port: int) -> subprocess.Popen:
    env = dict(os.environ)
    env.pop("MARSAD_TOKEN", None)
    proc = subprocess.Popen([sys.executable, "-m", "marsad.cli", "serve", "--db", str(db), "--port", str(port)],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited: {proc.stderr.read().decode() if proc.stderr else ''}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/stats", timeout=2).status_code == 200:
                return proc
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    proc.terminate()
    raise SystemExit("server did not start within 60 s")


async def client(base: str, ids: list[str], deadline: float, max_requests: int, seed: int,
                 lat: dict[str, list[float]], errors: dict[str, list[str]]) -> None:
    rnd = random.Random(seed)
    async with httpx.AsyncClient(base_url=base, timeout=30) as http:
        for _ in range(max_requests):
            if time.monotonic() >= deadline:
                return
            kind = rnd.choice(["api_search", "page_search", "api_article", "page_article"])
            if kind.endswith("search"):
                params = {"q": rnd.choice(QUERIES)}
                url = "/api/search" if kind == "api_search" else "/search"
            else:
                params = {}
                aid = rnd.choice(ids)
                url = f"/api/articles/{aid}" if kind == "api_article" else f"/articles/{aid}"
            t = time.perf_counter()
            try:
                r = await http.get(url, params=params)
                ok = r.status_code == 200
                why = f"HTTP {r.status_code} {url}"
            except httpx.HTTPError as e:
                ok, why = False, f"{type(e).__name__} {url}"
            lat[kind].append(time.perf_counter() - t)
            if not ok:
                errors[kind].append(why)


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))] if xs else float("nan")


async def run_load(base: str, clients: int, seconds: float, max_requests: int) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=30) as http:
        ids = [a["id"] for a in (await http.get("/api/articles", params={"limit": 200})).json()["items"]]
    lat: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, list[str]] = defaultdict(list)
    deadline = time.monotonic() + seconds
    t = time.perf_counter()
    await asyncio.gather(*(client(base, ids, deadline, max_requests, i, lat, errors) for i in range(clients)))
    wall = time.perf_counter() - t
    total = sum(len(v) for v in lat.values())
    nerr = sum(len(v) for v in errors.values())
    print(f"\n{clients} clients, {wall:.1f} s: {total} requests ({total / wall:.1f}/s), {nerr} errors")
    print(f"{'endpoint':<14}{'requests':>9}{'errors':>8}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}")
    for kind in sorted(lat):
        xs = lat[kind]
        print(f"{kind:<14}{len(xs):>9}{len(errors[kind]):>8}{pct(xs, 50) * 1000:>9.0f}"
              f"{pct(xs, 95) * 1000:>9.0f}{max(xs) * 1000:>9.0f}")
    for kind, errs in errors.items():
        for e in errs[:3]:
            print(f"  error {kind}: {e}")
    if nerr:
        sys.exit(1)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=30.0)
    ap.add_argument("--max-requests", type=int, default=100_000, help="per client")
    ap.add_argument("--ant", type=int, default=500, help="ANT articles to ingest besides the seeds")
    ap.add_argument("--ant-file", default=str(SHARED / "data" / "ant" / "ant-2018-05.jsonl.gz"))
    ap.add_argument("--workers", type=int, default=2, help="analysis processes while building the db")
    ap.add_argument("--db", help="use this existing database instead of building one")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="marsad-load-") as tmp:
        db = Path(args.db) if args.db else Path(tmp) / "load.db"
        if not args.db:
            build_db(db, Path(args.ant_file), args.ant, args.workers)
        port = free_port()
        proc = start_server(db, port)
        try:
            asyncio.run(run_load(f"http://127.0.0.1:{port}", args.clients, args.seconds, args.max_requests))
        finally:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()


if __name__ == "__main__":
    main()
