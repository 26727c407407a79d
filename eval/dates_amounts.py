"""Quality of the ``dates`` and ``amounts`` components against gold.

Three gold sets in ``eval/gold/``:

* ``dates_seeds.jsonl`` / ``amounts_seeds.jsonl``: the two seed articles (read
  from ../shared/seeds at run time), each gold item named by a short key
  phrase and its occurrence number in the article, never by a sentence;
* ``dates_amounts_dev.jsonl``: 47 sentences written for this project, used
  while writing the rules;
* ``dates_amounts_test.jsonl``: 20 sentences written after the rules were
  finished and never tuned on;
* ``dates_ant_audit.jsonl`` / ``amounts_ant_audit.jsonl``: a precision audit
  on real news (ANT corpus, read from ../shared/data at run time): 40 random
  predictions per component from 300 random August 2018 articles and 40
  from September 2018, each judged by hand (a true date/amount or not, and
  its right value), referenced by article id and offsets.  Both audits were
  judged on the rules as they then stood and prompted fixes afterwards, so
  the printed figures (the current rules on those judged spans) are
  optimistic; the figures at judging time are in the module notes below;
* ``dates_ant_heldout.jsonl`` / ``amounts_ant_heldout.jsonl``: the same kind
  of audit, 30 predictions per component from 300 July 2018 articles,
  judged once the rules were otherwise finished (figures at judging time in
  the notes below).

A prediction matches a gold item when their spans overlap (one-to-one).
Printed per set: detection precision / recall / F1, and the share of matched
items whose value is exactly right (dates: the ISO value, or vague with no
value; amounts: value, value_max, unit, and counted noun when gold names one).

    python eval/dates_amounts.py

Audit at judging time (before the fixes they prompted): dates 2018-08:
40/40 real dates, 34/40 right value; 2018-09: 38/40 real, 36/38 right value.
Amounts 2018-08: 30/40 real amounts (false: model names "نوت 9", scores,
list numbers, times), 30/30 right value; 2018-09: 31/40 real, 30/31 right
value (false: minute marks, ordinals, a plural read as a dual).
Held-out audit (2018-07) at judging time: dates 30/30 real, 26/30 right
value (a present-tense weekday on publication day, "يونيو من العام 2013",
a fixture months ahead); amounts 21/30 real (false: minutes in brackets,
a flight number, a score, ordinals "الثاني عشر"، "العشرين", a surname read
as a dual, "مجموعة العشرين"), 20/21 right value.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from marsad.model import Article
from marsad.pipeline import Pipeline

HERE = Path(__file__).resolve().parent
GOLD = HERE / "gold"
SEEDS = HERE.parents[0].parent / "shared" / "seeds" / "seeds.jsonl"


def _locate(text: str, phrase: str, n: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(n + 1):
        start = text.find(phrase, start + 1)
        if start < 0:
            raise ValueError(f"gold phrase {phrase!r} (occurrence {n}) not in text")
    return start, start + len(phrase)


def _load_seed_sets() -> list[dict]:
    if not SEEDS.exists():
        return []
    seeds = {json.loads(l)["id"]: json.loads(l) for l in SEEDS.read_text(encoding="utf-8").splitlines()}
    docs: dict[str, dict] = {}
    for kind in ("dates", "amounts"):
        for line in (GOLD / f"{kind}_seeds.jsonl").read_text(encoding="utf-8").splitlines():
            g = json.loads(line)
            s = seeds[g["seed"]]
            d = docs.setdefault(g["seed"], {"id": g["seed"], "published": s["published"], "text": s["text"],
                                            "dates": [], "amounts": []})
            d[kind].append(g)
    return list(docs.values())


def _load(name: str) -> list[dict]:
    return [json.loads(l) for l in (GOLD / name).read_text(encoding="utf-8").splitlines() if l.strip()]


def _date_ok(pred, gold: dict) -> bool:
    if gold.get("vague"):
        return pred.vague and pred.value is None
    return pred.value == gold.get("value")


def _amount_ok(pred, gold: dict) -> bool:
    if pred.value != gold["value"] or pred.value_max != gold.get("value_max"):
        return False
    if pred.unit != gold.get("unit"):
        return False
    want = gold.get("counted")
    return want is None or pred.counted == want or (pred.counted or "").split()[:1] == [want]


def score(docs: list[dict], pipe: Pipeline) -> dict[str, dict[str, float]]:
    out = {}
    for kind, ok in (("dates", _date_ok), ("amounts", _amount_ok)):
        tp = fp = fn = exact = 0
        errors = []
        for d in docs:
            analysis = pipe(Article(id=d["id"], text=d["text"], published=d.get("published")))
            preds = list(getattr(analysis, kind))
            golds = [(_locate(d["text"], g["text"], g.get("n", 0)), g) for g in d[kind]]
            used = set()
            for (gs, ge), g in golds:
                hit = next((k for k, p in enumerate(preds)
                            if k not in used and p.start < ge and gs < p.end), None)
                if hit is None:
                    fn += 1
                    errors.append(f"  miss {d['id']}: {g['text']!r}")
                    continue
                used.add(hit)
                tp += 1
                if ok(preds[hit], g):
                    exact += 1
                else:
                    p = preds[hit]
                    errors.append(f"  value {d['id']}: {g['text']!r} gold={g.get('value')} "
                                  f"pred={p.value} {getattr(p, 'unit', '')} {getattr(p, 'counted', '')}")
            for k, p in enumerate(preds):
                if k not in used:
                    fp += 1
                    errors.append(f"  extra {d['id']}: {p.text!r} -> {p.value}")
        prec = tp / (tp + fp) if tp + fp else 1.0
        rec = tp / (tp + fn) if tp + fn else 1.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        out[kind] = {"gold": tp + fn, "pred": tp + fp, "P": prec, "R": rec, "F1": f1,
                     "exact": exact / tp if tp else 0.0, "errors": errors}
    return out


ANT = HERE.parents[0].parent / "shared" / "data" / "ant"


def audit(kind: str, pipe: Pipeline, which: str = "audit") -> dict[str, float] | None:
    """Current rules on the hand-judged spans of an ANT audit."""
    path = GOLD / f"{kind}_ant_{which}.jsonl"
    if not ANT.exists() or not path.exists():
        return None
    import gzip

    recs = _load(path.name)
    wanted = {r["article"] for r in recs}
    arts = {}
    for month in sorted({r["month"] for r in recs}):
        with gzip.open(ANT / f"ant-{month}.jsonl.gz", "rt", encoding="utf-8") as fh:
            for line in fh:
                a = json.loads(line)
                if a["id"] in wanted:
                    arts[a["id"]] = a
    tp = fp = lost = exact = removed = 0
    cache: dict[str, list] = {}
    ok = _date_ok if kind == "dates" else (lambda p, g: p.value == g["value"])
    for r in recs:
        if r["article"] not in cache:
            a = arts[r["article"]]
            cache[r["article"]] = list(getattr(pipe(Article(id=a["id"], text=a["text"],
                                                            published=a["published"])), kind))
        hit = next((p for p in cache[r["article"]] if p.start < r["end"] and r["start"] < p.end), None)
        if r["true"]:
            if hit is None:
                lost += 1
            else:
                tp += 1
                exact += ok(hit, r)
        elif hit is None:
            removed += 1
        else:
            fp += 1
    return {"judged": len(recs), "P": tp / (tp + fp) if tp + fp else 1.0, "lost": lost,
            "removed": removed, "exact": exact / tp if tp else 0.0}


def main(argv: list[str]) -> None:
    verbose = "-v" in argv
    pipe = Pipeline(names=["tokens", "sentences", "amounts", "dates"])
    sets = [("seeds", _load_seed_sets()), ("dev", _load("dates_amounts_dev.jsonl")),
            ("test", _load("dates_amounts_test.jsonl"))]
    print(f"{'set':6} {'what':8} {'gold':>5} {'pred':>5} {'P':>6} {'R':>6} {'F1':>6} {'value-exact':>11}")
    for name, docs in sets:
        if not docs:
            print(f"{name:6} (not available)")
            continue
        for kind, r in score(docs, pipe).items():
            print(f"{name:6} {kind:8} {r['gold']:5d} {r['pred']:5d} {r['P']:6.3f} {r['R']:6.3f} "
                  f"{r['F1']:6.3f} {r['exact']:11.3f}")
            if verbose and r["errors"]:
                print("\n".join(r["errors"]))
    for which in ("audit", "heldout"):
        for kind in ("dates", "amounts"):
            r = audit(kind, pipe, which)
            if r is None:
                print(f"ant-{which} {kind}: ../shared/data/ant not available")
                continue
            print(f"ant-{which:7} {kind:8} {r['judged']} judged predictions: P {r['P']:.3f}, value-exact "
                  f"{r['exact']:.3f}, true ones no longer found {r['lost']}, false ones removed {r['removed']}")


if __name__ == "__main__":
    main(sys.argv[1:])
