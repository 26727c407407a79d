"""How the real-news NER sets ``ant-dev`` and ``ant-test`` of
eval/gold/ner_ant.jsonl were drawn from ../shared/data/ant (prints the
article ids by set; writes nothing).

    .venv/bin/python eval/ner_sample.py

ant-dev comes from 2018-02..2018-05, ant-test from 2018-06..2018-09 (no
month in both).  Per set: for each outlet (SK, AL, FR, CN, BB) two news
articles (internationalNews or middleEast) from two different months, then
one economy and one sport article from two outlets drawn at random — twelve
articles.  Candidates are 700-1800 characters long (so that every mention of
every article can be annotated by hand), not in any other ANT gold file of
eval/gold/ (ids read from them), and an article filed twice (same title and
opening) is drawn once.  Fixed seed; the draw was made before any NER change
and before the gold was written.

``ant-dev2`` (round 2, drawn after round 1's changes, so its first score
is a fair held-out figure for round 1; a second set to tune against so that
ant-dev is not overfitted): ten more articles of 2018-02..2018-05 under the
same rules and their own seed, none of them in ant-dev, ant-test or any other
ANT gold file — one news article per outlet, then two economy, two sport and
one more news article from outlets drawn at random.
"""
from __future__ import annotations

import gzip
import json
import random
import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
ANT = HERE.parent.parent / "shared" / "data" / "ant"
SEED = 20261123
SEED2 = 20261124  # ant-dev2
OUTLETS = ("SK", "AL", "FR", "CN", "BB")
MONTHS = {"ant-dev": [f"2018-{k:02d}" for k in range(2, 6)],
          "ant-test": [f"2018-{k:02d}" for k in range(6, 10)]}
NEWS = ("internationalNews", "middleEast")
MIN_LEN, MAX_LEN = 700, 1800


# the other ANT gold files when the sets were drawn (a file added later must
# not change the draw)
OTHER_GOLD = ("amounts_ant_audit.jsonl", "amounts_ant_heldout.jsonl", "dates_ant_audit.jsonl",
              "dates_ant_heldout.jsonl", "events_ant.jsonl", "events_ant_dev.jsonl", "quotes_ant.jsonl",
              "stories_ant_2018-05-19.tsv", "stories_ant_2018-05-20.tsv")


def used_ids() -> set[str]:
    """Article ids of the other ANT gold files (never drawn again)."""
    ids: set[str] = set()
    for name in OTHER_GOLD:
        text = (HERE / "gold" / name).read_text(encoding="utf-8")
        ids.update(re.findall(r"\b(?:SK|AL|FR|CN|BB)-[A-Za-z]+-\d+-\d{8}\b", text))
    return ids


def candidates(months, used: set[str]):
    """(month, kind, id, duplicate key) of every ANT article of ``months``
    that may be drawn: not in ``used``, of a length that can be annotated
    whole, news (international, Middle East), economy or sport.  The key
    (title + opening) keeps an article filed twice from being drawn twice."""
    for m in months:
        with gzip.open(ANT / f"ant-{m}.jsonl.gz", "rt", encoding="utf-8") as fh:
            for line in fh:
                r = json.loads(line)
                if r["id"] in used or not MIN_LEN <= len(r["text"]) <= MAX_LEN:
                    continue
                kind = "news" if r["category"] in NEWS else r["category"]
                if kind in ("news", "economy", "sport"):
                    yield m, kind, r["id"], r["title"].strip() + "|" + r["text"][:300]


def draw() -> dict[str, list[tuple[str, str]]]:
    used = used_ids()
    rng = random.Random(SEED)
    out: dict[str, list[tuple[str, str]]] = {}
    seen: set[str] = set()
    for name, months in MONTHS.items():
        pool: dict[tuple[str, str, str], list[str]] = {}  # (outlet, month, kind) -> ids
        keys: dict[str, str] = {}
        for m, kind, aid, key in candidates(months, used):
            pool.setdefault((aid[:2], m, kind), []).append(aid)
            keys[aid] = key

        def pick(outlet: str, month_choices: list[str], kind: str) -> tuple[str, str]:
            for m in month_choices:
                ids = sorted(pool.get((outlet, m, kind), ()))
                rng.shuffle(ids)
                for a in ids:
                    if keys[a] not in seen:
                        seen.add(keys[a])
                        return m, a
            raise LookupError((outlet, kind))

        picks: list[tuple[str, str]] = []
        for o in OUTLETS:
            ms = list(months)
            rng.shuffle(ms)
            first = pick(o, ms, "news")
            picks.append(first)
            picks.append(pick(o, [m for m in ms if m != first[0]], "news"))
        extra = list(OUTLETS)
        rng.shuffle(extra)
        for o, kind in zip(extra, ("economy", "sport")):
            ms = list(months)
            rng.shuffle(ms)
            picks.append(pick(o, ms, kind))
        out[name] = picks
    return out


def draw_dev2() -> list[tuple[str, str]]:
    """The ant-dev2 articles (month, id): not in the first draw nor in any gold."""
    used = used_ids() | {a for picks in draw().values() for _, a in picks}  # = the round-1 rows of ner_ant.jsonl
    rng = random.Random(SEED2)
    months = MONTHS["ant-dev"]
    pool: dict[tuple[str, str], list[tuple[str, str]]] = {}  # (outlet, kind) -> (month, id)
    keys: dict[str, str] = {}
    for m, kind, aid, key in candidates(months, used):
        pool.setdefault((aid[:2], kind), []).append((m, aid))
        keys[aid] = key
    seen: set[str] = set()
    picks: list[tuple[str, str]] = []

    def pick(outlet: str, kind: str) -> None:
        cands = sorted(pool.get((outlet, kind), ()))
        rng.shuffle(cands)
        for m, a in cands:
            if keys[a] not in seen:
                seen.add(keys[a])
                picks.append((m, a))
                return
        raise LookupError((outlet, kind))

    for o in OUTLETS:
        pick(o, "news")
    extra = list(OUTLETS)
    rng.shuffle(extra)
    for o, kind in zip(extra, ("economy", "economy", "sport", "sport", "news")):
        pick(o, kind)
    return picks


if __name__ == "__main__":
    for month, aid in draw_dev2():
        print("ant-dev2", month, aid)
    for name, picks in draw().items():
        for month, aid in picks:
            print(name, month, aid)
