"""How the round-3 quote sets ``ant-dev3`` and ``ant-test2`` were drawn from
../shared/data/ant (prints the article ids by set; writes nothing).

    .venv/bin/python eval/quotes_sample.py

Per outlet (SK, AL, FR, CN, BB), among internationalNews/middleEast articles
of 1000-2600 characters with three or more of a fixed set of reporting
verbs, from the months that no earlier set of ``quotes_ant.jsonl`` used for
that outlet: the months are shuffled, five articles drawn round-robin over
them (an article filed twice under two categories is drawn once); the
first three go to ant-dev3, the next two to ant-test2.  Run against the
gold as it was before these sets were added (the rows of sets ant-dev3 and
ant-test2 are ignored), it reproduces them.
"""
from __future__ import annotations

import gzip
import json
import random
from pathlib import Path

from marsad.text.normalize import SEARCH

HERE = Path(__file__).resolve().parent
ANT = HERE.parent.parent / "shared" / "data" / "ant"
SEED = 20261126
OUTLETS = ("SK", "AL", "FR", "CN", "BB")
NEW_SETS = ("ant-dev3", "ant-test2")
VERBS = frozenset(SEARCH.text(w) for w in
                  "قال قالت أكد أكدت أضاف أضافت أعلن أعلنت أشار أشارت ذكر ذكرت أوضح أوضحت صرح صرحت".split())


def n_verbs(text: str) -> int:
    n = 0
    for w in SEARCH.text(text).split():
        w = w.strip('.,،:"«»')
        n += w in VERBS or (w[:1] in "وف" and w[1:] in VERBS)
    return n


def draw() -> dict[str, list[tuple[str, str]]]:
    used: set[str] = set()
    used_months: dict[str, set[str]] = {}
    for line in (HERE / "gold" / "quotes_ant.jsonl").read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        if "article" not in r or r.get("set") in NEW_SETS:
            continue
        used.add(r["article"])
        used_months.setdefault(r["article"][:2], set()).add(r["file"][8:15])
    pool: dict[tuple[str, str], list[str]] = {}
    keys: dict[str, str] = {}
    for m in [f"2018-{k:02d}" for k in range(2, 10)]:
        with gzip.open(ANT / f"ant-{m}.jsonl.gz", "rt", encoding="utf-8") as fh:
            for line in fh:
                r = json.loads(line)
                o = r["id"][:2]
                if m in used_months.get(o, ()) or r["id"] in used:
                    continue
                if r["category"] not in ("internationalNews", "middleEast") or not 1000 <= len(r["text"]) <= 2600:
                    continue
                if n_verbs(r["text"]) < 3:
                    continue
                pool.setdefault((o, m), []).append(r["id"])
                keys[r["id"]] = r["title"].strip() + "|" + r["text"][:300]
    rng = random.Random(SEED)
    out: dict[str, list[tuple[str, str]]] = {s: [] for s in NEW_SETS}
    seen: set[str] = set()
    for o in OUTLETS:
        months = sorted(m for oo, m in pool if oo == o)
        rng.shuffle(months)
        picks: list[tuple[str, str]] = []
        for k in range(5):
            m = months[k % len(months)]
            ids = sorted(set(pool[(o, m)]) - {p for _, p in picks})
            while True:
                pick = rng.choice(ids)
                if keys[pick] not in seen:
                    break
            seen.add(keys[pick])
            picks.append((m, pick))
        out["ant-dev3"] += picks[:3]
        out["ant-test2"] += picks[3:]
    return out


def draw_dev4() -> list[tuple[str, str]]:
    """ant-dev4: one more article per outlet, drawn the same way (seed 4444)
    among the articles not in any earlier set, annotated before it was run."""
    taken = {aid for picks in draw().values() for _, aid in picks}
    global SEED
    seed, SEED = SEED, 4444
    try:
        rows = draw()
    finally:
        SEED = seed
    out = []
    for o in OUTLETS:
        out.append(next((m, a) for m, a in rows["ant-dev3"] + rows["ant-test2"] if a[:2] == o and a not in taken))
    return out


if __name__ == "__main__":
    for name, picks in draw().items():
        for month, aid in picks:
            print(name, month, aid)
    for month, aid in draw_dev4():
        print("ant-dev4", month, aid)
