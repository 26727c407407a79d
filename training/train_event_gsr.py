"""Train the sentence filter for PROTEST and ASSAULT events: one logistic
regression per type (numpy, L2, class-balanced, Adam, fixed seed) over the
features of marsad.extract.event_filter.features (the rule coder's own
output: trigger lemma, kind, mode, actors, trigger position, whether it
is a strong form; the words around the trigger; word stems and stem
bigrams; cue groups; signs of a concrete incident: a toll, a time, an
informant, a year), each sentence analysed as published on its id's date
and its events seen as the filter sees them (events.as_trained), on the dev
half of the OEDA Arabic event gold standard (../shared/data/event_gsr, MIT
licence).  The test half is never read here.

Model selection on dev only: 3 x stratified 5-fold cross-validation over the
sentences the rules fire on picks the L2 strength and the threshold (best
F1, with the rules' misses counted as false negatives), and compares the
filter judging every PROTEST/ASSAULT event ("all"), every one but a
state's attack on a named target ("state"), every one but those that are
evidence in themselves (``event_filter.strong``: a happened past-tense
verb, fixed phrase or indefinite noun after a light verb) or a state's
attack ("graded", the default) and only those without actors
("actorless"); L2 and threshold are kept for the shipped mode, the
threshold no higher than the type's CEILING (which keeps eval/events.py's
tuned-on news events).  The cross-validated dev figures are stored in the
model and printed by eval/event_gsr.py.

    .venv/bin/python training/train_event_gsr.py

Writes src/marsad/models/event_filter.json (per type: vocabulary, weights,
bias, threshold, CV figures; data hashes).  ~1 minute on one idle core.
"""
from __future__ import annotations

import bisect
import hashlib
import json
import os
import sys

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # deterministic sums, and no thread thrash under load
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "eval"))
from event_gsr import GSR, load, published_of  # noqa: E402

from marsad.extract import event_filter  # noqa: E402
from marsad.extract.event_filter import FILTERED, features  # noqa: E402
from marsad.ingest.files import article_from_text  # noqa: E402
from marsad.model import Doc  # noqa: E402
from marsad.pipeline import Pipeline  # noqa: E402

OUT = REPO / "src" / "marsad" / "models" / "event_filter.json"
SEED = 0
L2_GRID = (2.0, 8.0, 32.0)
FOLDS = 5
REPEATS = 3
EPOCHS = 400
STEP = 0.05  # Adam step size
BALANCE = 0.5  # positive weight = (negatives / positives) ** BALANCE
MIN_COUNT = 2  # a feature must occur in this many training sentences
PRUNE = 1e-3
# The component's default filter mode (events.FILTER_MODES): "graded" judges
# every PROTEST/ASSAULT event except the strong forms (event_filter.strong)
# and a state's attack on a named target (events.state_sourced).  "all" is
# better in CV on this gold standard, whose "yes" needs every annotator to
# agree (a sentence one annotator doubted is a "no"), but on news it drops
# plain reports ("قصفت طائرات ... مواقع", seed 003's British air strikes):
# eval/events.py (own dev sentences, ANT) chose graded.
SHIPPED_MODE = "graded"
# The shipped threshold may not exceed this per type: at the CV-best
# ASSAULT threshold the filter dropped one hedged attack report of ant-dev
# (article BB-middleEast-251-20180326, an attack "as it seems"), scored
# about -1.2 by the models trained here; eval/events.py's tuned-on sets
# (seeds, own dev sentences, ant-dev) keep every event under this ceiling.
CEILING = {"ASSAULT": -1.3}
# Tried and left out: holding the strong forms to a second, lower threshold
# chosen by CV under a ceiling that keeps eval/events.py's tuned-on news
# events (ceiling -2.0): dev-CV ASSAULT F1 +0.6, and still one ant-dev event lost.


def train(X: np.ndarray, y: np.ndarray, l2: float) -> tuple[np.ndarray, float]:
    """L2 logistic regression by full-batch Adam (deterministic)."""
    w = np.zeros(X.shape[1], dtype=X.dtype)
    b = 0.0
    pos = max(1.0, y.sum())
    sw = np.where(y == 1, ((len(y) - pos) / pos) ** BALANCE, 1.0)
    m, v, mb, vb = np.zeros_like(w), np.zeros_like(w), 0.0, 0.0
    for it in range(1, EPOCHS + 1):
        g = (1 / (1 + np.exp(-(X @ w + b))) - y) * sw
        gw = X.T @ g / len(y) + l2 * w / len(y)
        gb = g.mean()
        m, v = 0.9 * m + 0.1 * gw, 0.999 * v + 0.001 * gw * gw
        mb, vb = 0.9 * mb + 0.1 * gb, 0.999 * vb + 0.001 * gb * gb
        c1, c2 = 1 - 0.9 ** it, 1 - 0.999 ** it
        w -= STEP * (m / c1) / (np.sqrt(v / c2) + 1e-8)
        b -= STEP * (mb / c1) / (np.sqrt(vb / c2) + 1e-8)
    return w, b


def sentences(pipe: Pipeline, text: str, etype: str, published: str) -> list[tuple[set[str], tuple[bool, bool, bool]]]:
    """Per sentence with an ``etype`` rule event: (features, (an event has
    actors, one has a source and a target)), as events.filter_events sees it."""
    doc = pipe.run(Doc(article_from_text(text, id="gsr", published=published)))
    starts = [t.start for t in doc.tokens]
    out = []
    seen = [as_trained(e) for e in doc.events]  # as events.filter_events scores them
    for s in doc.sentences:
        same = [e for e in seen if s.start <= e.trigger_start < s.end]
        mine = [e for e in same if e.type == etype]
        if mine:
            toks = doc.tokens[bisect.bisect_left(starts, s.start):bisect.bisect_left(starts, s.end)]
            at = {t.start: k for k, t in enumerate(toks)}
            strong = any(state_attack(e) or (e.trigger_start in at and event_filter.strong(toks, at[e.trigger_start], e))
                         for e in mine)
            out.append((features(toks, same, etype), (any(e.actors for e in mine), strong, any(map(state_attack, mine)))))
    return out


def as_trained(e):
    from marsad.extract.events import as_trained

    return as_trained(e)


def state_attack(e) -> bool:
    from marsad.extract.events import state_sourced

    return state_sourced(e)


def prf(pred: np.ndarray, gold: np.ndarray) -> tuple[float, float, float]:
    tp = float((pred & gold).sum())
    p, r = tp / max(1, pred.sum()), tp / max(1, gold.sum())
    return p, r, 2 * p * r / max(1e-9, p + r)


def fit_type(pipe: Pipeline, etype: str, rng: np.random.Generator) -> dict:
    rows = [r for r in load(etype) if r["split"] == "dev"]
    sents = [sentences(pipe, r["text"], etype, published_of(r["id"])) for r in rows]
    gold = np.array([r["gold"] for r in rows])
    # one training instance per sentence with a rule event, labelled by its row
    inst = [(i, f, has_actors) for i, ss in enumerate(sents) for f, has_actors in ss]
    counts: dict[str, int] = {}
    for _, f, _ in inst:
        for k in f:
            counts[k] = counts.get(k, 0) + 1
    allf = sorted(k for k, n in counts.items() if n >= MIN_COUNT)  # a fold's train part needs as many
    col = {k: j for j, k in enumerate(allf)}
    X = np.zeros((len(inst), len(allf)), dtype=np.float32)
    for n, (_, f, _) in enumerate(inst):
        X[n, [col[k] for k in f if k in col]] = 1.0
    row_of = np.array([i for i, _, _ in inst])
    evidence = {"all": np.zeros(len(inst), bool), "actorless": np.array([a[0] for _, _, a in inst]),
                "graded": np.array([a[1] for _, _, a in inst]), "state": np.array([a[2] for _, _, a in inst])}
    y = gold[row_of].astype(float)
    cand = np.array(sorted(set(row_of.tolist())))

    def row_pred(inst_scores: np.ndarray, t: float, mode: str) -> np.ndarray:
        keep = (inst_scores >= t) | evidence[mode]
        pred = np.zeros(len(rows), bool)
        pred[row_of[keep]] = True
        return pred

    by_mode: dict[str, dict] = {}
    for l2 in L2_GRID:
        runs = []
        for _ in range(REPEATS):
            folds = np.zeros(len(rows), int)
            for g in (False, True):  # stratified over the rows the rules fire on
                sel = rng.permutation(cand[gold[cand] == g])
                folds[sel] = np.arange(len(sel)) % FOLDS
            scores = np.zeros(len(inst))
            for k in range(FOLDS):
                te = folds[row_of] == k
                cols = X[~te].sum(0) >= MIN_COUNT
                w, b = train(X[~te][:, cols], y[~te], l2)
                scores[te] = X[te][:, cols] @ w + b
            runs.append(scores)
        for t in np.unique(np.round(np.quantile(np.concatenate(runs), np.linspace(0.3, 1, 141)), 2)):
            for mode in evidence:
                if mode == SHIPPED_MODE and t > CEILING.get(etype, np.inf):
                    continue
                p, r, f = (float(np.mean(x)) for x in zip(*(prf(row_pred(s, t, mode), gold) for s in runs)))
                if f > by_mode.get(mode, {}).get("cv_f1", -1) + 1e-9:
                    by_mode[mode] = {"l2": l2, "threshold": float(t), "mode": mode, "cv_precision": round(p, 4),
                                     "cv_recall": round(r, 4), "cv_f1": round(f, 4)}
    for mode, b in by_mode.items():
        print(f"  {etype} dev CV, filter {mode}: P {b['cv_precision']:.3f} R {b['cv_recall']:.3f} F1 {b['cv_f1']:.3f}"
              f" (L2 {b['l2']}, threshold {b['threshold']})")
    best = by_mode[SHIPPED_MODE]
    rules = prf(np.array([len(s) > 0 for s in sents]), gold)
    cols = X.sum(0) >= MIN_COUNT
    w, b = train(X[:, cols], y, best["l2"])
    vocab = [k for k, c in zip(allf, cols) if c]
    kept = [(k, round(float(x), 4)) for k, x in zip(vocab, w) if abs(x) >= PRUNE]
    print(f"{etype}: {len(rows)} dev sentences ({int(gold.sum())} yes), rules fire on {len(cand)}; "
          f"{len(kept)} features; L2 {best['l2']}, threshold {best['threshold']}, mode {best['mode']}; "
          f"dev CV P {best['cv_precision']:.3f} R {best['cv_recall']:.3f} F1 {best['cv_f1']:.3f} "
          f"(rules alone P {rules[0]:.3f} R {rules[1]:.3f} F1 {rules[2]:.3f})")
    return {"vocab": [k for k, _ in kept], "weights": [x for _, x in kept], "bias": round(float(b), 4), **best}


def main() -> None:
    pipe = Pipeline(config={"events": {"filter": "none"}})
    rng = np.random.default_rng(SEED)
    model = {"version": 3, "types": {}, "data": {}}
    for etype in FILTERED:
        model["data"][etype] = hashlib.sha256((GSR / f"{etype.lower()}.jsonl").read_bytes()).hexdigest()[:16]
        model["types"][etype] = fit_type(pipe, etype, rng)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(model, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    print(f"wrote {OUT} ({OUT.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    main()
