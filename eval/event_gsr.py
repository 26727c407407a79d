"""PROTEST and ASSAULT detection on the Arabic event gold standard
(../shared/data/event_gsr, Open Event Data Alliance, MIT licence).

A sentence is detected as TYPE when the events component finds any event of
that type in it (with or without actors).  label "yes" = positive, "easy no"
and "difficult no" = negative, "ambiguous" left out.  The published half is
split by a hash of the id into dev (rules tuned on it) and test (never
looked at while tuning).  Each sentence is analysed as an article published
on the date in its id (AAW_ARB_20070417... -> 2007-04-17), so its dates
resolve and history is told as the pipeline does on news.

Five configurations: the rules alone, the shipped default ("graded": the
learned sentence filter of training/train_event_gsr.py judges every
PROTEST/ASSAULT event but those that are evidence in themselves — a
happened event written as a past-tense verb, a fixed phrase or an
indefinite noun after a light verb, or a state's attack on a named target),
"state" (all but a state's attack), the filter judging only events without
actors, and the filter judging every one ("filter-all", the best setting
for this gold standard, whose "yes" needs all annotators to agree).  The filter is
trained on dev, so its dev figures here are a training fit: the honest dev
figures are the cross-validated ones the training script stored in the
model (printed as "dev-CV"); test is the held-out number.  Also prints the
filter's own cost per judged sentence.

    .venv/bin/python eval/event_gsr.py [--show-errors dev]
"""
from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
GSR = REPO.parent / "shared" / "data" / "event_gsr"


def split_of(rid: str) -> str:
    """dev or test, fixed by the id (md5, even = dev)."""
    return "dev" if int(hashlib.md5(rid.encode()).hexdigest(), 16) % 2 == 0 else "test"


def published_of(rid: str) -> str:
    """The article's date from a GSR id ("AAW_ARB_20070417.0014-6" ->
    2007-04-17), so dates resolve and history is told as in the pipeline;
    2008-01-01 for ids without one."""
    m = re.match(r"[A-Z]+_[A-Z]+_(\d{4})(\d\d)(\d\d)", rid)
    return "-".join(m.groups()) if m else "2008-01-01"


def load(etype: str) -> list[dict]:
    rows = []
    with (GSR / f"{etype.lower()}.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            if r["label"] == "ambiguous":
                continue
            r["gold"] = r["label"] == "yes"
            r["split"] = split_of(r["id"])
            rows.append(r)
    return rows


CONFIGS = {
    "rules": "none",  # the lexicon and rules alone
    "shipped": "graded",  # default: all judged but strong forms and a state's attack on a named target
    "state": "state",  # all judged but a state's attack on a named target
    "actorless": "actorless",  # the filter judges only events without actors
    "filter-all": "all",  # the filter judges every PROTEST/ASSAULT event
}


def detector():
    """Per configuration, the event types found in a sentence (one pipeline
    run; the filter applied afterwards)."""
    from marsad.extract.events import filter_events
    from marsad.ingest.files import article_from_text
    from marsad.model import Doc
    from marsad.pipeline import Pipeline

    pipe = Pipeline(config={"events": {"filter": "none"}})

    def types_of(text: str, published: str = "2008-01-01") -> dict[str, set[str]]:
        doc = pipe.run(Doc(article_from_text(text, id="gsr", published=published)))
        return {name: {e.type for e in (filter_events(doc, doc.events, mode) if mode != "none" else doc.events)}
                for name, mode in CONFIGS.items()}

    return types_of


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--show-errors", choices=["dev"], help="print dev false positives/negatives")
    args = ap.parse_args()
    if not GSR.exists():
        sys.exit(f"no event gold standard at {GSR}")
    types_of = detector()
    t0 = time.time()
    n = 0
    for etype in ("ASSAULT", "PROTEST"):
        rows = load(etype)
        for r in rows:
            r["found"] = types_of(r["text"], published_of(r["id"]))
        n += len(rows)
        for cfg in CONFIGS:
            counts = {s: [0, 0, 0] for s in ("dev", "test")}
            for r in rows:
                found = etype in r["found"][cfg]
                c = counts[r["split"]]
                show = args.show_errors and r["split"] == "dev" and cfg == "shipped"
                if found and r["gold"]:
                    c[0] += 1
                elif found:
                    c[1] += 1
                    if show:
                        print(f"FP {etype} [{r['label']}] {r['text'][:160]}")
                elif r["gold"]:
                    c[2] += 1
                    if show:
                        print(f"FN {etype} {r['text'][:160]}")
            for split in ("dev", "test"):
                tp, fp, fn = counts[split]
                p, rc, f = prf(tp, fp, fn)
                print(f"{etype:8s} {cfg:10s} {split:4s}  P {100 * p:5.1f}  R {100 * rc:5.1f}  F1 {100 * f:5.1f}  "
                      f"(tp {tp}, fp {fp}, fn {fn})")
        spec = (model() or {}).get("types", {}).get(etype)
        if spec:
            print(f"{etype:8s} {'shipped':10s} dev-CV P {100 * spec['cv_precision']:5.1f}  R {100 * spec['cv_recall']:5.1f}"
                  f"  F1 {100 * spec['cv_f1']:5.1f}  (L2 {spec['l2']}, threshold {spec['threshold']}, "
                  f"{len(spec['vocab'])} features)")
    print(f"{n} sentences in {time.time() - t0:.1f} s")
    filter_speed()


def model():
    from marsad.extract import event_filter

    return event_filter._model()


def filter_speed() -> None:
    """Milliseconds per judged sentence for the filter alone (features + score)."""
    from marsad.extract import event_filter
    from marsad.ingest.files import article_from_text
    from marsad.model import Doc
    from marsad.pipeline import Pipeline

    pipe = Pipeline(config={"events": {"filter": "none"}})
    jobs = []
    for etype in event_filter.FILTERED:
        for r in load(etype)[:400]:
            doc = pipe.run(Doc(article_from_text(r["text"], id="gsr", published=published_of(r["id"]))))
            if any(e.type == etype for e in doc.events):
                jobs.append((doc.tokens, doc.events, etype))
    event_filter.keep(*jobs[0])  # load the model and lexicon once
    t0 = time.perf_counter()
    for _ in range(3):
        for toks, evs, etype in jobs:
            event_filter.keep(toks, evs, etype)
    ms = (time.perf_counter() - t0) * 1000 / (3 * len(jobs))
    print(f"filter: {ms:.3f} ms per judged sentence ({len(jobs)} sentences)")


if __name__ == "__main__":
    main()
