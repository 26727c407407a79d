"""Train the sentence filter for PROTEST and ASSAULT events: a logistic
regression (numpy, L2, fixed seed) over the rule coder's own output (event
types, modes, triggers, actors found) and the sentence's words, on the dev
half of the OEDA Arabic event gold standard (../shared/data/event_gsr, MIT
licence).  The test half is never read here.

    .venv/bin/python training/train_event_gsr.py

Writes src/marsad/models/event_filter.json (weights, vocabulary, thresholds,
data hashes).  The events component drops a rule PROTEST/ASSAULT event whose
sentence scores below the threshold.
"""
from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "eval"))
from event_gsr import GSR, load  # noqa: E402

from marsad.extract.event_filter import features  # noqa: E402
from marsad.ingest.files import article_from_text  # noqa: E402
from marsad.pipeline import Pipeline  # noqa: E402

OUT = REPO / "src" / "marsad" / "models" / "event_filter.json"
L2_GRID = (1.0, 4.0, 16.0)  # chosen by 5-fold cross-validated F1 on dev
EPOCHS = 300
LR = 0.5
MIN_COUNT = 2


def train(X: np.ndarray, y: np.ndarray, l2: float) -> np.ndarray:
    w = np.zeros(X.shape[1])
    pos = max(1, y.sum())
    sw = np.where(y == 1, (len(y) - pos) / pos, 1.0) ** 0.5  # mild class balance
    for _ in range(EPOCHS):
        p = 1 / (1 + np.exp(-(X @ w)))
        g = X.T @ ((p - y) * sw) / len(y) + l2 * w / len(y)
        w -= LR * g
    return w


def main() -> None:
    pipe = Pipeline(config={"events": {"filter": "none"}})
    model = {"version": 1, "types": {}, "data": {}}
    rng = np.random.default_rng(0)
    for etype in ("ASSAULT", "PROTEST"):
        rows = [r for r in load(etype) if r["split"] == "dev"]
        model["data"][etype] = hashlib.sha256((GSR / f"{etype.lower()}.jsonl").read_bytes()).hexdigest()[:16]
        feats = []
        for r in rows:
            a = pipe(article_from_text(r["text"], id="x", published="2008-01-01"))
            feats.append(features(a.tokens, a.events, etype))
        counts: dict[str, int] = {}
        for f in feats:
            for k in f:
                counts[k] = counts.get(k, 0) + 1
        vocab = sorted(k for k, n in counts.items() if n >= MIN_COUNT)
        idx = {k: i for i, k in enumerate(vocab)}
        X = np.zeros((len(rows), len(vocab) + 1))
        X[:, -1] = 1.0
        for i, f in enumerate(feats):
            for k in f:
                if k in idx:
                    X[i, idx[k]] = 1.0
        y = np.array([1.0 if r["gold"] else 0.0 for r in rows])
        # L2 and threshold by 5-fold cross-validation on dev (best F1)
        folds = rng.permutation(len(rows)) % 5
        best = (None, 0.0, None, 0.0, 0.0)
        for l2 in L2_GRID:
            scores = np.zeros(len(rows))
            for k in range(5):
                w = train(X[folds != k], y[folds != k], l2)
                scores[folds == k] = X[folds == k] @ w
            for t in sorted(set(np.round(scores, 3))):
                pred = scores >= t
                tp = (pred & (y == 1)).sum()
                p = tp / max(1, pred.sum())
                rc = tp / max(1, y.sum())
                f1 = 2 * p * rc / max(1e-9, p + rc)
                if f1 > best[1]:
                    best = (float(t), f1, l2, p, rc)
        w = train(X, y, best[2])
        model["types"][etype] = {"vocab": vocab, "weights": [round(float(x), 5) for x in w],
                                 "threshold": best[0], "l2": best[2], "cv_precision": round(best[3], 4),
                                 "cv_recall": round(best[4], 4), "cv_f1": round(best[1], 4)}
        print(f"{etype}: {len(rows)} dev sentences, {len(vocab)} features, L2 {best[2]}, threshold {best[0]}, "
              f"CV P {best[3]:.3f} R {best[4]:.3f} F1 {best[1]:.3f}")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(model, ensure_ascii=False), encoding="utf-8")
    print(f"wrote {OUT} ({OUT.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    main()
