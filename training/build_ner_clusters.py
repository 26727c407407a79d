"""Word clusters for the NER model, from the ANT news corpus (no labels).

Brown clustering proper is too slow in pure Python for 9M words, so this
builds Brown-like hierarchical clusters the cheap distributional way: each
frequent word form (clitics split off, ال kept: ``ner_features.word_form``)
is described by counts of its left and right neighbours among the most
frequent forms, weighted by positive PMI, reduced by truncated SVD and
grouped by k-means into ``--k`` fine clusters; the fine centroids are
grouped again into 128 and 16 coarse clusters.  Each word gets the path
``c16.c128.cK``.  Names never seen in the NER training data share clusters
with names that were (ماكسيموف sits with other Russian surnames).

    python training/build_ner_clusters.py      # writes src/marsad/models/ner.clusters.tsv

Deterministic: fixed seed for SVD start vector and k-means.
"""
from __future__ import annotations

import argparse
import collections
import gzip
import json
import time
from pathlib import Path

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.linalg import svds

from marsad.extract.ner_features import word_form
from marsad.text.tokenize import TOKEN_RE

ROOT = Path(__file__).resolve().parents[1]
ANT = ROOT.parent / "shared" / "data" / "ant"
OUT = ROOT / "src" / "marsad" / "models" / "ner.clusters.tsv"
SEED = 13


def kmeans(x: np.ndarray, k: int, iters: int = 25, seed: int = SEED) -> tuple[np.ndarray, np.ndarray]:
    """Spherical k-means with BLAS distances (scipy's kmeans2 is far slower
    here); rows of ``x`` are unit vectors.  Returns (centroids, labels)."""
    rng = np.random.default_rng(seed)
    c = x[rng.choice(len(x), size=k, replace=False)].copy()
    labels = np.zeros(len(x), dtype=np.int64)
    for _ in range(iters):
        labels = np.argmax(x @ c.T, axis=1)
        for j in range(k):
            members = x[labels == j]
            if len(members):
                v = members.sum(axis=0)
                c[j] = v / (np.linalg.norm(v) + 1e-9)
    return c, labels


def forms_of(text: str) -> list[str]:
    out = []
    for m in TOKEN_RE.finditer(text):
        kind = m.lastgroup
        if kind == "word":
            out.append(word_form(m.group()))
        elif kind in ("number", "latin"):
            out.append("<num>" if kind == "number" else "<lat>")
        elif kind == "punct":
            out.append(m.group())
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--ant", default=str(ANT))
    ap.add_argument("--months", type=int, default=8, help="how many monthly files to read")
    ap.add_argument("--min-count", type=int, default=10)
    ap.add_argument("--contexts", type=int, default=2000)
    ap.add_argument("--dims", type=int, default=80)
    ap.add_argument("--k", type=int, default=512)
    ap.add_argument("--out", default=str(OUT))
    args = ap.parse_args()
    t0 = time.time()
    files = sorted(Path(args.ant).glob("ant-2018-*.jsonl.gz"))[: args.months]
    docs: list[list[str]] = []
    for f in files:
        with gzip.open(f, "rt", encoding="utf-8") as fh:
            for line in fh:
                docs.append(forms_of(json.loads(line)["text"]))
    counts = collections.Counter(w for d in docs for w in d)
    vocab = [w for w, c in counts.most_common() if c >= args.min_count]
    index = {w: i for i, w in enumerate(vocab)}
    ctx = {w: i for i, w in enumerate(vocab[: args.contexts])}
    nc = len(ctx)
    print(f"{sum(counts.values())} tokens, {len(vocab)} words >= {args.min_count}; {time.time() - t0:.0f}s")
    pair: collections.Counter[tuple[int, int]] = collections.Counter()
    for d in docs:
        ids = [index.get(w, -1) for w in d]
        cids = [ctx.get(w, -1) for w in d]
        for p in range(len(d)):
            i = ids[p]
            if i < 0:
                continue
            if p > 0 and cids[p - 1] >= 0:
                pair[i, cids[p - 1]] += 1
            if p + 1 < len(d) and cids[p + 1] >= 0:
                pair[i, nc + cids[p + 1]] += 1
    del docs
    rows = np.fromiter((k[0] for k in pair), dtype=np.int64, count=len(pair))
    cols = np.fromiter((k[1] for k in pair), dtype=np.int64, count=len(pair))
    vals = np.fromiter(pair.values(), dtype=np.float64, count=len(pair))
    m = coo_matrix((vals, (rows, cols)), shape=(len(vocab), 2 * nc)).tocsr()
    total = m.sum()
    rs = np.asarray(m.sum(axis=1)).ravel()
    cs = np.asarray(m.sum(axis=0)).ravel() ** 0.75
    cs = cs / cs.sum() * total
    m = m.tocoo()
    pmi = np.log(m.data * total / (rs[m.row] * cs[m.col]))
    keep = pmi > 0
    ppmi = coo_matrix((pmi[keep], (m.row[keep], m.col[keep])), shape=m.shape).tocsr()
    rng = np.random.default_rng(SEED)
    u, s, _ = svds(ppmi, k=args.dims, v0=rng.standard_normal(min(ppmi.shape)))
    x = u * np.sqrt(s)
    x /= np.linalg.norm(x, axis=1, keepdims=True) + 1e-9
    print(f"SVD {x.shape}; {time.time() - t0:.0f}s")
    fine_c, fine = kmeans(x, args.k)
    mid_c, mid = kmeans(fine_c, 128)
    _, top = kmeans(mid_c, 16)
    out = Path(args.out)
    lines = [f"# word form -> cluster path c16.c128.c{args.k} (training/build_ner_clusters.py, ANT {len(files)} months)"]
    lines += [f"{w}\t{top[mid[fine[i]]]}.{mid[fine[i]]}.{fine[i]}" for i, w in enumerate(vocab)]
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {out} ({len(vocab)} words, {out.stat().st_size / 1e6:.1f} MB); {time.time() - t0:.0f}s")


if __name__ == "__main__":
    main()
