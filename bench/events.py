"""Speed of the events component alone (the earlier components run once,
outside the timing): milliseconds per 4k characters on the seeds and on ANT
articles (../shared/data/ant), and the lexicon's load time and size.

    .venv/bin/python bench/events.py [N_ANT_ARTICLES]
"""
from __future__ import annotations

import gzip
import json
import sys
import time
import tracemalloc
from pathlib import Path

from marsad.extract import event_lexicon as lex
from marsad.extract.events import extract_events, filter_events
from marsad.ingest.files import article_from_text
from marsad.model import Doc
from marsad.pipeline import Pipeline

SHARED = Path(__file__).resolve().parents[2] / "shared"


def articles(n: int):
    for line in (SHARED / "seeds" / "seeds.jsonl").read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        yield article_from_text(r["text"], id=r["id"], published=r["published"])
    files = sorted((SHARED / "data" / "ant").glob("*.jsonl.gz"))
    k = 0
    for f in files:
        with gzip.open(f, "rt", encoding="utf-8") as fh:
            for line in fh:
                r = json.loads(line)
                if k >= n:
                    return
                k += 1
                yield article_from_text(r["text"], id=r["id"], published=r["published"][:10])


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    tracemalloc.start()
    t = time.perf_counter()
    size = len(lex.form_index())
    load = time.perf_counter() - t
    mem = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    print(f"lexicon: {size} written forms, built in {1000 * load:.0f} ms, {mem:.1f} MB")
    pipe = Pipeline(disable=["events"])
    docs = [pipe.run(Doc(a)) for a in articles(n)]
    chars = sum(len(d.text) for d in docs)
    from marsad.extract import event_filter

    event_filter._model(), event_filter._trigger_info()  # one-off loads, outside the timing
    t = time.perf_counter()
    events = 0
    for d in docs:
        events += len(filter_events(d, extract_events(d)))
    dt = time.perf_counter() - t
    print(f"{len(docs)} articles, {chars} chars, {events} events: {1000 * dt / len(docs):.2f} ms/article, "
          f"{1000 * dt / (chars / 4000):.2f} ms per 4k chars")


if __name__ == "__main__":
    main()
