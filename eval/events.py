"""Event mentions against gold: precision and recall of the event type, and
of type + actors + mode + date together.

Gold: eval/gold/events_seeds.tsv (the two seed articles, by short key
phrases; the texts are read from ../shared/seeds), eval/gold/events_dev.jsonl
(sentences we wrote; rules were tuned on them) and events_test.jsonl
(written after tuning, never tuned on), and eval/gold/events_ant.jsonl: 44
real sentences of ANT (../shared/data/ant, August 2018; article id +
sentence offsets, no text), sampled at random among sentences holding a
lexicon word (one per article, seed 20261123) and annotated with every
event they report BEFORE any tuning on them: held out, never tuned on (its
errors are never printed).  eval/gold/events_ant_dev.jsonl ("ant-dev"):
102 ANT sentences of other months drawn the same way by ``sample_ant_dev``
(seeds ANT_DEV_SEED, ANT_DEV2_SEED), annotated before the rules were
changed on them, then tuned on.  eval/gold/events_ant_dev2.jsonl
("ant-dev2"): 100 ANT sentences of May 2018 (the month neither ant-dev nor
ant drew from), 20 articles per outlet, 16 sentences holding a lexicon word
and 4 holding none, drawn by ``sample_ant_dev2`` (seed ANT_DEV3_SEED, the
lexicon as of commit b29f056) and annotated by reading the text before any
change to the rules.  eval/gold/events_ant_test2.jsonl ("ant-test2", held
out like ant: its errors are never printed): 120 ANT sentences of June,
July and September 2018 from days ant-dev did not draw from, drawn by
``sample_ant_test2`` (seed ANT_TEST2_SEED) and annotated by reading the
text before the system was run on them.  An
ANT gold event marked ``optional`` (a borderline reading) counts neither as
a miss nor, when matched, as a false positive; predictions are matched to
gold events of the same type in the sentence, one to one.  An actor matches when its canonical
name or its country is one of the gold alternatives; for CONSULT, AGREE and
COOPERATE the two sides are compared as a set; an empty gold role or date is
not scored.

    .venv/bin/python eval/events.py [--show]
"""
from __future__ import annotations

import argparse
import csv
import json
from pathlib import Path

from marsad.ingest.files import article_from_text
from marsad.model import Doc
from marsad.pipeline import Pipeline
from marsad.text.normalize import SEARCH

REPO = Path(__file__).resolve().parents[1]
GOLD = REPO / "eval" / "gold"
SEEDS = REPO.parent / "shared" / "seeds" / "seeds.jsonl"
ANT = REPO.parent / "shared" / "data" / "ant"
SYMMETRIC = ("CONSULT", "AGREE", "COOPERATE")


def _n(s: str | None) -> str:
    return SEARCH.text(s or "").strip()


def _alts(cell: str) -> set[str]:
    return {_n(x) for x in cell.split("|") if x.strip()}


def _names(actor) -> set[str]:
    return {_n(actor.canonical), _n(actor.country)} - {""}


def actors_ok(g: dict, e) -> bool:
    src, tgt = _alts(g.get("source", "")), _alts(g.get("target", ""))
    if g["type"] in SYMMETRIC:
        need = [x for x in (src, tgt) if x]
        pool = [_names(a) for a in e.actors]
        used = set()
        for alts in need:
            k = next((k for k, names in enumerate(pool) if k not in used and names & alts), None)
            if k is None:
                return False
            used.add(k)
        return True
    for role, alts in (("source", src), ("target", tgt)):
        if alts and not any(a.role == role and _names(a) & alts for a in e.actors):
            return False
    return True


def locate(text: str, key: str, n: int = 1) -> tuple[int, int]:
    pos = -1
    for _ in range(n):
        pos = text.find(key, pos + 1)
        if pos < 0:
            raise ValueError(f"gold key {key!r} (occurrence {n}) not in the text")
    return pos, pos + len(key)


def score(items, pipe, show: bool) -> dict[str, int]:
    """items: (article, [gold dicts with span]); counts for P/R."""
    c = dict(pred=0, gold=0, type_tp=0, full_tp=0, type_found=0, full_found=0)
    for article, golds in items:
        events = pipe(article).events
        c["pred"] += len(events)
        c["gold"] += len(golds)
        matched_type, matched_full = set(), set()
        for gi, g in enumerate(golds):
            s, e_ = g["span"]
            cands = [k for k, e in enumerate(events) if s <= e.trigger_start < e_ and e.type == g["type"]]
            full = [k for k in cands if actors_ok(g, events[k]) and events[k].mode == g["mode"]
                    and (not g.get("date") or events[k].date == g["date"])]
            if cands:
                c["type_found"] += 1
                matched_type.update(cands)
            if full:
                c["full_found"] += 1
                matched_full.update(full)
            if show and not full:
                got = [(events[k].type, events[k].mode, [(a.role, a.canonical) for a in events[k].actors],
                        events[k].date) for k in cands]
                print(f"  MISS {g['type']} {g['mode']} {g.get('source')}->{g.get('target')} {g.get('date')} "
                      f"at {article.text[s:e_]!r}: got {got}")
        c["type_tp"] += len(matched_type)
        c["full_tp"] += len(matched_full)
        if show:
            for k, e in enumerate(events):
                if k not in matched_full:
                    print(f"  FP? {e.type} {e.mode} {e.trigger!r} {[(a.role, a.canonical) for a in e.actors]} "
                          f"{e.date} | {article.text[e.start:e.end][:80]}")
    return c


def seed_items():
    recs = {json.loads(l)["id"]: json.loads(l) for l in SEEDS.read_text(encoding="utf-8").splitlines()}
    golds: dict[str, list] = {}
    with (GOLD / "events_seeds.tsv").open(encoding="utf-8") as fh:
        rows = csv.DictReader((l for l in fh if not l.startswith("#")), delimiter="\t")
        for r in rows:
            text = recs[r["article"]]["text"]
            r["span"] = locate(text, r["key"], int(r["n"]))
            golds.setdefault(r["article"], []).append(r)
    for aid, gs in golds.items():
        r = recs[aid]
        yield article_from_text(r["text"], id=aid, source=r["source"], published=r["published"]), gs


def sentence_items(name: str):
    path = GOLD / f"events_{name}.jsonl"
    if not path.exists():
        return
    for i, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
        rec = json.loads(line)
        for g in rec["events"]:
            g["span"] = locate(rec["text"], g["key"])
        yield article_from_text(rec["text"], id=f"{name}{i}", published="2020-11-19"), rec["events"]


def ant_items(name: str = "ant"):
    """(article, sentence span, gold events) of events_<name>.jsonl."""
    import gzip

    path = GOLD / f"events_{name}.jsonl"
    if not path.exists():
        return
    recs = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    months = {r["month"] for r in recs}
    arts = {}
    for month in months:
        f = ANT / f"ant-{month}.jsonl.gz"
        if not f.exists():
            return
        want = {r["article"] for r in recs if r["month"] == month}
        with gzip.open(f, "rt", encoding="utf-8") as fh:
            for line in fh:
                a = json.loads(line)
                if a["id"] in want:
                    arts[a["id"]] = article_from_text(a["text"], id=a["id"], source=a["source"],
                                                      published=a["published"][:10])
    for r in recs:
        yield arts[r["article"]], (r["start"], r["end"]), r["events"]


def score_ant(items, pipe, show: bool) -> dict[str, int]:
    """Sentence-level matching: a prediction matches an unmatched gold event
    of its type in the sentence (a full match preferred); optional gold is
    neither missed nor, when matched, counted as a prediction."""
    c = dict(pred=0, gold=0, type_tp=0, full_tp=0, type_found=0, full_found=0)
    cache: dict[str, list] = {}
    for article, (s, e_), golds in items:
        if article.id not in cache:
            cache[article.id] = pipe(article).events
        events = [e for e in cache[article.id] if s <= e.trigger_start < e_]
        c["gold"] += sum(1 for g in golds if not g.get("optional"))
        free = list(range(len(golds)))
        for e in events:
            def full(gi):
                g = golds[gi]
                return actors_ok(g, e) and e.mode == g["mode"] and (not g.get("date") or e.date == g["date"])
            cands = [gi for gi in free if golds[gi]["type"] == e.type]
            cands.sort(key=lambda gi: (not full(gi), bool(golds[gi].get("optional"))))
            desc = f"{e.type} {e.mode} {e.trigger!r} {[(a.role, a.canonical) for a in e.actors]}"
            if not cands:
                c["pred"] += 1
                if show:
                    print(f"  FP {article.id} {desc} | {article.text[s:e_][:90]}")
                continue
            gi = cands[0]
            free.remove(gi)
            if golds[gi].get("optional"):
                continue
            c["pred"] += 1
            c["type_tp"] += 1
            c["type_found"] += 1
            if full(gi):
                c["full_tp"] += 1
                c["full_found"] += 1
            elif show:
                g = golds[gi]
                print(f"  WRONG {article.id} {desc}: gold {g['mode']} {g['source']}->{g['target']}")
        if show:
            for gi in free:
                if not golds[gi].get("optional"):
                    print(f"  MISS {article.id} {golds[gi]['type']} | {article.text[s:e_][:90]}")
    return c


ANT_DEV_MONTHS = ("2018-03", "2018-06", "2018-09")  # not August, the held-out month
ANT_DEV_SEED = 20261124
ANT_DEV2_MONTHS = ("2018-02", "2018-04", "2018-07")  # the second batch (events_ant_dev.jsonl lines 61-)
ANT_DEV2_SEED = 20261125


def sample_ant_dev(per_month: int = 20, months=ANT_DEV_MONTHS, seed=ANT_DEV_SEED) -> list[dict]:
    """The ant-dev sample: per month of ANT_DEV_MONTHS, ``per_month`` articles
    drawn at random (fixed seed), one random sentence per article among those
    holding a lexicon word.  Returns records (month, article, start, end) with
    no events, to be annotated by hand before any tuning on them."""
    import gzip
    import random

    from marsad.extract import event_lexicon as lex

    index = lex.form_index()
    pipe = Pipeline(names=["tokens", "sentences"])
    rng = random.Random(seed)
    out = []
    for month in months:
        with gzip.open(ANT / f"ant-{month}.jsonl.gz", "rt", encoding="utf-8") as fh:
            arts = [json.loads(line) for line in fh]
        rng.shuffle(arts)
        n = 0
        for a in arts:
            if n == per_month:
                break
            doc = pipe.run(Doc(article_from_text(a["text"], id=a["id"], published=a["published"][:10])))
            sents = [s for s in doc.sentences
                     if any(t.norm in index for t in doc.tokens if s.start <= t.start < s.end)]
            sents = [s for s in sents if s.end - s.start <= 400]
            if not sents:
                continue
            s = rng.choice(sents)
            out.append({"month": month, "article": a["id"], "start": s.start, "end": s.end, "events": []})
            n += 1
    return out


ANT_DEV3_MONTH = "2018-05"  # ant-dev2: the one month neither ant-dev nor ant drew from
ANT_DEV3_SEED = 20261126
ANT_DEV3_OUTLETS = ("Al Arabiya", "BBC Arabic", "CNN Arabic", "France 24 Arabic", "Sky News Arabia")


def sample_ant_dev2(per_outlet: int = 20, without: int = 4, month: str = ANT_DEV3_MONTH,
                    seed: int = ANT_DEV3_SEED) -> list[dict]:
    """The ant-dev2 sample (events_ant_dev2.jsonl): May 2018, ``per_outlet``
    articles of each outlet drawn at random (fixed seed, an outlet's articles
    in file order then shuffled), one random sentence (<= 400 characters) per
    article: for the first ``per_outlet - without`` articles of an outlet
    among the sentences holding a lexicon word, for the last ``without``
    among the sentences holding none (events the lexicon misses).  Returns
    records (month, article, start, end, lex) with no events, annotated by
    hand before any change to the rules."""
    import gzip
    import random

    rng = random.Random(seed)
    with gzip.open(ANT / f"ant-{month}.jsonl.gz", "rt", encoding="utf-8") as fh:
        arts = [json.loads(line) for line in fh]
    return _draw_sentences(arts, month, per_outlet, lambda n: n < per_outlet - without, rng)


ANT_TEST2_MONTHS = ("2018-06", "2018-07", "2018-09")
ANT_TEST2_SEED = 20261127


def sample_ant_test2(per_outlet: int = 10, p_lex: float = 0.8, months=ANT_TEST2_MONTHS,
                     seed: int = ANT_TEST2_SEED) -> list[dict]:
    """The ant-test2 sample (events_ant_test2.jsonl, held out): June, July and
    September 2018, only articles of days that ant-dev did not draw from in
    those months (and no article of ant, ant-dev or ant-dev2), ``per_outlet``
    articles of each outlet a month drawn at random (fixed seed), one random
    sentence (<= 400 characters, >= 5 words) per article, holding a lexicon
    word with probability ``p_lex`` (else holding none).  Returns records
    (month, article, start, end, lex) with no events, annotated by hand before
    the system was run on them."""
    import gzip
    import random

    rng = random.Random(seed)
    used_arts, used_days = set(), set()
    for name in ("ant", "ant_dev", "ant_dev2"):
        for line in (GOLD / f"events_{name}.jsonl").read_text(encoding="utf-8").splitlines():
            r = json.loads(line)
            used_arts.add(r["article"])
            used_days.add(r["article"].rsplit("-", 1)[1])
    out = []
    for month in months:
        with gzip.open(ANT / f"ant-{month}.jsonl.gz", "rt", encoding="utf-8") as fh:
            arts = [json.loads(line) for line in fh]
        arts = [a for a in arts if a["id"] not in used_arts and a["id"].rsplit("-", 1)[1] not in used_days]
        out += _draw_sentences(arts, month, per_outlet, lambda n: rng.random() < p_lex, rng)
    return out


def _draw_sentences(arts: list[dict], month: str, per_outlet: int, want_lex, rng) -> list[dict]:
    """Per outlet (ANT_DEV3_OUTLETS), its articles of ``arts`` shuffled and
    ``per_outlet`` of them drawn, one random sentence each (<= 400
    characters, >= 5 words) that holds a lexicon word when ``want_lex(n)``
    is true for the outlet's n-th drawn article, none otherwise; an article
    with no such sentence is passed over.  Records (month, article, start,
    end, lex) with no events."""
    from marsad.extract import event_lexicon as lex

    index = lex.form_index()
    pipe = Pipeline(names=["tokens", "sentences"])
    out = []
    for outlet in ANT_DEV3_OUTLETS:
        mine = [a for a in arts if a["source"] == outlet]
        rng.shuffle(mine)
        n = 0
        for a in mine:
            if n == per_outlet:
                break
            lexical = want_lex(n)
            doc = pipe.run(Doc(article_from_text(a["text"], id=a["id"], published=a["published"][:10])))
            sents = [s for s in doc.sentences if s.end - s.start <= 400
                     and any(t.norm in index for t in doc.tokens if s.start <= t.start < s.end) == lexical
                     and len(a["text"][s.start:s.end].split()) >= 5]
            if not sents:
                continue
            s = rng.choice(sents)
            out.append({"month": month, "article": a["id"], "start": s.start, "end": s.end,
                        "lex": lexical, "events": []})
            n += 1
    return out


def report(name: str, c: dict[str, int]) -> None:
    def pr(tp, found):
        p = tp / c["pred"] if c["pred"] else 0.0
        r = found / c["gold"] if c["gold"] else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    tp, tr, tf = pr(c["type_tp"], c["type_found"])
    fp, fr, ff = pr(c["full_tp"], c["full_found"])
    print(f"{name:7s} gold {c['gold']:3d} pred {c['pred']:3d} | type P {100 * tp:5.1f} R {100 * tr:5.1f} "
          f"F1 {100 * tf:5.1f} | type+actors+mode+date P {100 * fp:5.1f} R {100 * fr:5.1f} F1 {100 * ff:5.1f}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--show", action="store_true", help="print misses and unmatched predictions")
    ap.add_argument("--filter", default=None, help="events filter mode (default: the shipped one)")
    args = ap.parse_args()
    pipe = Pipeline(config={"events": {"filter": args.filter}} if args.filter else {})
    if SEEDS.exists():
        report("seeds", score(list(seed_items()), pipe, args.show))
    for name in ("dev", "test"):
        items = list(sentence_items(name))
        if items:
            report(name, score(items, pipe, args.show))
    for name, label in (("ant_dev", "ant-dev"), ("ant_dev2", "ant-dev2"), ("ant", "ant"),
                        ("ant_test2", "ant-test2")):
        items = list(ant_items(name))
        if items:
            report(label, score_ant(items, pipe, args.show and name in ("ant_dev", "ant_dev2")))


if __name__ == "__main__":
    main()
