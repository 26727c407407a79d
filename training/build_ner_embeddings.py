"""Word vectors for the NER model's window MLP, from the ANT news corpus
(no labels): skip-gram word2vec (gensim, training only; inference reads
the saved numpy matrix) over clitic-split word forms
(``ner_features.word_form``), numbers as ``<num>``, Latin words as ``<lat>``.

    pip install gensim
    python training/build_ner_embeddings.py   # writes src/marsad/models/ner.vectors.npz

The most frequent ``--vocab`` forms are kept, as unit vectors in float16
(about 6 MB).  Deterministic: one worker thread, fixed seed, and the script
re-runs itself with PYTHONHASHSEED=0 (gensim seeds each word's initial
vector from its hash).  Narrow window (3): the neighbours that tell a name's
type, not the topic.
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_ner_clusters import ANT, forms_of  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "marsad" / "models" / "ner.vectors.npz"
SEED = 13


class Corpus:
    """Paragraphs of ANT as lists of forms, re-iterable (one pass per epoch)."""

    def __init__(self, files: list[Path]):
        self.files = files

    def __iter__(self):
        for f in self.files:
            with gzip.open(f, "rt", encoding="utf-8") as fh:
                for line in fh:
                    for para in json.loads(line)["text"].split("\n"):
                        forms = forms_of(para)
                        if forms:
                            yield forms


def main() -> None:
    if os.environ.get("PYTHONHASHSEED") != "0":
        os.execve(sys.executable, [sys.executable, *sys.argv], {**os.environ, "PYTHONHASHSEED": "0"})
    from gensim.models import Word2Vec

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--ant", default=str(ANT))
    ap.add_argument("--months", type=int, default=8)
    ap.add_argument("--dims", type=int, default=100)
    ap.add_argument("--window", type=int, default=3)
    ap.add_argument("--vocab", type=int, default=30000)
    ap.add_argument("--out", default=str(OUT))
    args = ap.parse_args()
    t0 = time.time()
    files = sorted(Path(args.ant).glob("ant-2018-*.jsonl.gz"))[: args.months]
    sents = [s for s in Corpus(files)]  # ~8M forms; fits in memory, read once
    print(f"{sum(map(len, sents))} forms in {len(sents)} paragraphs; {time.time() - t0:.0f}s", flush=True)
    m = Word2Vec(sents, vector_size=args.dims, window=args.window, sg=1, min_count=5, workers=1, seed=SEED,
                 epochs=5, negative=5, sample=1e-4)
    words = m.wv.index_to_key[: args.vocab]  # by frequency
    x = m.wv.vectors[: len(words)]
    x = x / (np.linalg.norm(x, axis=1, keepdims=True) + 1e-9)
    out = Path(args.out)
    with open(out, "wb") as fh:
        np.savez_compressed(fh, words=np.array(words), vectors=x.astype(np.float16))
    print(f"wrote {out} ({len(words)} words x {args.dims}, {out.stat().st_size / 1e6:.1f} MB); {time.time() - t0:.0f}s")


if __name__ == "__main__":
    main()
