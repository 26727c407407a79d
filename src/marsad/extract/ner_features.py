"""CRF features for Arabic NER, shared by training (training/train_ner.py)
and inference (marsad.extract.entities) so the two can never drift apart.

A token's features are strings (python-crfsuite treats each as a binary
feature).  Word-level features depend only on the token's surface and are
cached; sequence features (window, gazetteer membership, trigger words
before the token, word clusters) are added per sentence.

Why these features: Arabic attaches conjunctions, prepositions and the
article to names ("وبغداد", "لإيران"), so the clitic-split stem and the
proclitic string carry most of the signal; names are announced by a title
or head noun one to three words before them (وزير الخارجية الروسي سيرغي
لافروف), hence the trigger features; gazetteer membership carries names the
training data never saw; quotation marks around a short phrase carry the
titles of programmes, books and operations (MISC).

Two optional stacked resources (named in the model's sidecar, absent from
models trained without them) add what a linear model over sparse strings
cannot learn from 113k tokens:

* a name lexicon (``models/ner.lexicon.tsv``): how often the base CRF
  tagged each word form as PER/LOC/ORG/MISC over 8 months of ANT news (the
  easy contexts of a name teach its hard ones) -> ``L`` features for the
  token and its neighbours;
* optionally (``train_ner.py --stack mlp``; not in the shipped model: it
  halves the tagger's speed for +1.1 dev F1) a window MLP
  (``models/ner.mlp.npz``) over ANT word vectors (``models/ner.vectors.npz``)
  of the tokens -2..+2: its label probabilities become float features
  (``nnp*``) and its best label a string feature.  Inference is two numpy
  matrix products per sentence.
"""
from __future__ import annotations

import contextlib
from functools import cache, lru_cache
from pathlib import Path
from typing import Sequence

import numpy as np

from marsad.lang.ar import load_table
from marsad.lang.ar.gazetteer import Entry, Gazetteer, first_forms
from marsad.model import Token
from marsad.text.normalize import SEARCH
from marsad.text.tokenize import segment

NER_KINDS = frozenset({"word", "latin", "number", "punct"})
FEATURE_VERSION = 4


@cache
def triggers() -> tuple[dict[tuple[str, ...], str], dict[str, bool]]:
    """Trigger word sequences -> the type of name they announce; and the
    single-word triggers that compose an organisation name (وزارة)."""
    seqs: dict[tuple[str, ...], str] = {}
    compose: dict[str, bool] = {}
    for row in load_table("ner_triggers"):
        k = tuple(SEARCH.text(row["trigger"]).split())
        seqs.setdefault(k, row["type"])
        if row["compose"] == "yes" and len(k) == 1:
            compose[k[0]] = True
    return seqs, compose


def load_clusters(path: Path) -> dict[str, str]:
    """Word form -> cluster path, from a ``word<TAB>path`` file (# comments)."""
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            w, _, c = line.partition("\t")
            out[w] = c
    return out


def token_form(t: Token) -> str:
    """The normalised form a trigger or cluster is looked up by: the token
    without conjunction/preposition clitics (the article ال kept)."""
    return word_form(t.text) if t.kind == "word" else t.norm


@lru_cache(maxsize=50_000)
def word_form(word: str) -> str:
    """``token_form`` of an Arabic word given as a string (cached)."""
    i, _ = segment(word)
    t = Token(0, len(word), word, SEARCH.text(word), "word", i, len(word))
    return first_forms(t)[-1][0]


@lru_cache(maxsize=50_000)
def _word_features(text: str, norm: str, kind: str, i: int, j: int) -> tuple[str, ...]:
    """Features of the token itself; ``text[i:j]`` is its stem (i < 0: none)."""
    f = [f"w={norm}", f"k={kind}"]
    if kind == "word":
        prefix, stem = (text[:i], text[i:j]) if i >= 0 else ("", text)
        s = SEARCH.text(stem)
        f += [f"s={s}", f"pre={SEARCH.text(prefix)}", f"p1={s[:1]}", f"p2={s[:2]}", f"p3={s[:3]}",
              f"x1={norm[-1:]}", f"x2={norm[-2:]}", f"x3={norm[-3:]}",
              f"len={min(len(s), 10)}"]
        if norm.startswith("ال") or SEARCH.text(prefix).endswith("ال"):
            f.append("def")
    elif kind == "number":
        f.append(f"dig={min(len(norm), 5)}")
    elif kind == "latin":
        f.append("cap" if text[:1].isupper() else "lower")
    return tuple(f)


@lru_cache(maxsize=50_000)
def _neighbour(form: str, gaz: str, dem: bool, cluster: str) -> tuple[tuple[str, ...], ...]:
    """Features a token lends to the tokens 2 and 1 before it and 1 and 2
    after it (cached: the same word lends the same strings)."""
    out = []
    for d in (2, 1, -1, -2):  # its offset seen from the token it describes: -2, -1, 1, 2
        f = [f"{-d}w={form}"]
        if gaz:
            f.append(f"{-d}g={gaz}")
        if dem:
            f.append(f"{-d}dem")
        if cluster and d in (-1, 1):
            f.append(f"{-d}c={cluster.rsplit('.', 1)[0]}")
        out.append(tuple(f))
    return tuple(out)


@lru_cache(maxsize=50_000)
def _cluster_features(cluster: str) -> tuple[str, ...]:
    parts = cluster.split(".")
    return tuple(f"c{n}={'.'.join(parts[:n])}" for n in range(1, len(parts) + 1))


MLP_WINDOW = 2
LEX_TYPES = ("PER", "LOC", "ORG", "MISC")


def lexicon_entry(counts: dict[str, int]) -> tuple[str, ...]:
    """Lexicon features of a word form from its tag counts (BIO label -> n)."""
    n = sum(counts.values())
    out = []
    for typ in LEX_TYPES:
        b, i = counts.get("B-" + typ, 0), counts.get("I-" + typ, 0)
        fr = (b + i) / n if n else 0.0
        level = "hi" if fr >= 0.5 else "mid" if fr >= 0.2 else "lo" if fr >= 0.05 else None
        if level:
            out.append(typ + level)
        if fr >= 0.2:
            out.append(typ + ("B" if b >= i else "I"))
    return tuple(out)


def load_lexicon(path: Path) -> dict[str, tuple[str, ...]]:
    """Word form -> lexicon features, from a ``form<TAB>feat feat`` file."""
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            w, _, f = line.partition("\t")
            out[w] = tuple(f.split())
    return out


class Vectors:
    """ANT word vectors (training/build_ner_embeddings.py): unit rows, plus
    an all-zero row for unknown words and one for padding."""

    def __init__(self, words: Sequence[str], matrix: np.ndarray):
        self.index = {w: k for k, w in enumerate(words)}
        dim = matrix.shape[1]
        self.matrix = np.vstack([matrix.astype(np.float32), np.zeros((2, dim), np.float32)])
        self.unk, self.pad = len(words), len(words) + 1

    @classmethod
    def load(cls, path: Path) -> "Vectors":
        z = np.load(path)
        return cls([str(w) for w in z["words"]], z["vectors"])

    def window_input(self, forms: Sequence[str], kinds: Sequence[str]) -> np.ndarray:
        """One row per token: the vectors of tokens -2..+2 and, for each, a
        1/0 unknown-word flag (the MLP's input)."""
        get, unk, w = self.index.get, self.unk, MLP_WINDOW
        ids = [get(f, unk) if k == "word" else get(_VEC_FORM.get(k, f), unk) for f, k in zip(forms, kinds)]
        n = len(ids)
        p = np.array([self.pad] * w + ids + [self.pad] * w, dtype=np.int64)
        win = np.lib.stride_tricks.sliding_window_view(p, 2 * w + 1)  # n x 5
        return np.hstack([self.matrix[win].reshape(n, -1), (win == unk).astype(np.float32)])


_VEC_FORM = {"number": "<num>", "latin": "<lat>"}  # as in the corpus the vectors were trained on


@cache
def _blas_controller():
    try:
        from threadpoolctl import ThreadpoolController
    except ImportError:  # pragma: no cover - a declared dependency
        return None
    return ThreadpoolController()


def _one_blas_thread():
    """A context in which BLAS runs on one thread: a sentence's matrices are
    small, and waking BLAS threads costs 10x the product itself when the
    cores are busy (measured: 0.1 ms vs 1-15 ms for 30 tokens)."""
    c = _blas_controller()
    return c.limit(limits=1, user_api="blas") if c is not None else contextlib.nullcontext()


class WindowMLP:
    """One hidden ReLU layer, softmax output (weights trained by
    training/train_ner.py with scikit-learn; inference here in numpy)."""

    def __init__(self, w1, b1, w2, b2, labels: Sequence[str]):
        self.w1, self.b1, self.w2, self.b2 = (np.asarray(a, np.float32) for a in (w1, b1, w2, b2))
        self.labels = list(labels)

    @classmethod
    def load(cls, path: Path) -> "WindowMLP":
        z = np.load(path)
        return cls(z["w1"], z["b1"], z["w2"], z["b2"], [str(x) for x in z["labels"]])

    def save(self, path: Path) -> None:
        with open(path, "wb") as fh:
            np.savez_compressed(fh, w1=self.w1.astype(np.float16), b1=self.b1, w2=self.w2.astype(np.float16),
                                b2=self.b2, labels=np.array(self.labels))

    def proba(self, x: np.ndarray) -> np.ndarray:
        with _one_blas_thread():
            return self._proba(x)

    def _proba(self, x: np.ndarray) -> np.ndarray:
        h = np.maximum(x @ self.w1 + self.b1, 0.0)
        z = h @ self.w2 + self.b2
        z -= z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)


class Stack:
    """The optional stacked resources of one model (see the module docstring)."""

    def __init__(self, lexicon: dict[str, tuple[str, ...]] | None = None,
                 vectors: Vectors | None = None, mlp: WindowMLP | None = None):
        self.lexicon, self.vectors, self.mlp = lexicon, vectors, mlp
        # each lexicon entry as the strings it gives the token, the one after and the one before it
        self._lex = None if lexicon is None else {
            w: (tuple(f"L{x}" for x in fs), tuple(f"-1L{x}" for x in fs), tuple(f"1L{x}" for x in fs))
            for w, fs in {**lexicon, "\0unk": ("unk",)}.items()}
        self._names = [f"nnp{lab}" for lab in mlp.labels] if mlp else []
        self._best = [f"nn={lab}" for lab in mlp.labels] if mlp else []

    def add(self, tokens: Sequence[Token], forms: Sequence[str], feats: list[list[str]]) -> list:
        n = len(tokens)
        if self._lex is not None:
            lx, unk, none = self._lex, self._lex["\0unk"], ((), (), ())
            L = [lx.get(f, unk) if t.kind == "word" else none for f, t in zip(forms, tokens)]
            for i in range(n):
                f = feats[i]
                f += L[i][0]
                if i:
                    f += L[i - 1][1]
                if i + 1 < n:
                    f += L[i + 1][2]
        if self.mlp is None or self.vectors is None or not n:
            return feats
        return self.add_mlp(feats, self.mlp.proba(self.vectors.window_input(forms, [t.kind for t in tokens])))

    def add_mlp(self, feats: list[list[str]], proba: np.ndarray) -> list[dict[str, float]]:
        names, best = self._names, self._best
        out = []
        for f, row, b in zip(feats, proba.tolist(), proba.argmax(axis=1).tolist()):
            d = dict.fromkeys(f, 1.0)
            d.update(zip(names, row))
            d[best[b]] = 1.0
            out.append(d)
        return out


_QUOTES = {"«": "»", '"': '"', "\u201c": "\u201d", "'": "'"}
QUOTE_SPAN = 12  # a quoted title closes within this many tokens


def quoted(tokens: Sequence[Token]) -> list[int]:
    """For each token: 0 outside quotation marks, else 1 + its position in a
    short quoted phrase (1 first, 2 last, 3 inside, 4 first and last) --
    news quotes the titles of programmes, films, operations and products
    («الناس وأنا», "غصن الزيتون"), which the news gold tags MISC."""
    n = len(tokens)
    out = [0] * n
    k = 0
    while k < n:
        close = _QUOTES.get(tokens[k].text) if tokens[k].kind == "punct" else None
        if close is not None:
            for e in range(k + 1, min(n, k + QUOTE_SPAN)):
                if tokens[e].kind == "punct" and tokens[e].text == close:
                    for m in range(k + 1, e):
                        out[m] = 3
                    if e > k + 1:
                        out[k + 1], out[e - 1] = (4, 4) if e == k + 2 else (1, 2)
                    k = e
                    break
        k += 1
    return out


_QUOTE_FEATURES = ((), ("inq", "qB"), ("inq", "qE"), ("inq",), ("inq", "qB", "qE"))
_EDGE = {d: (f"{d}w=<s>",) if d < 0 else (f"{d}w=</s>",) for d in (-2, -1, 1, 2)}


def sentence_features(tokens: Sequence[Token], gazetteer: Gazetteer | None = None,
                      clusters: dict[str, str] | None = None,
                      matches: list[tuple[int, int, int, Entry]] | None = None,
                      stack: Stack | None = None) -> list:
    """Feature strings for each token of one sentence (tokens of kinds in
    ``NER_KINDS``, in order).  ``clusters``: word form -> cluster path
    (models/ner.clusters.tsv) when the model was trained with them;
    ``matches``: ``gazetteer.match(tokens)`` if the caller already has it;
    ``stack``: the model's stacked resources (then items are dicts name ->
    value, the MLP's probabilities being real-valued)."""
    g = gazetteer or Gazetteer.default()
    trig, _ = triggers()
    n = len(tokens)
    words = [_word_features(t.text, t.norm, t.kind, t.stem_start - t.start, t.stem_end - t.start)
             for t in tokens]
    forms = [token_form(t) for t in tokens]
    # gazetteer membership: B-/I- with the entry type
    gaz = [""] * n
    for i, j, _, e in (g.match(tokens) if matches is None else matches):
        gaz[i] = f"B-{e.type}"
        for m in range(i + 1, j):
            gaz[m] = f"I-{e.type}"
    dem = [g.demonym(f, normalized=True) is not None for f in forms]
    cl = [clusters.get(f, "") for f in forms] if clusters is not None else [""] * n
    # the type announced by a trigger (one or two words) that ends at token e-1
    te: list[str | None] = [None] * (n + 1)
    for e in range(1, n + 1):
        te[e] = (trig.get((forms[e - 2], forms[e - 1])) if e >= 2 else None) or trig.get((forms[e - 1],))
    nb = [_neighbour(forms[m], gaz[m], dem[m], cl[m]) for m in range(n)]
    q = quoted(tokens)
    out: list[list[str]] = []
    for i in range(n):
        f = ["b", *words[i]]
        for k, d in enumerate((-2, -1, 1, 2)):
            m = i + d
            f += nb[m][k] if 0 <= m < n else _EDGE[d]
        f.append(f"-1w2={forms[i - 1] if i else '<s>'}|{forms[i]}")
        if gaz[i]:
            f.append(f"g={gaz[i]}")
        if dem[i]:
            f.append("dem")
        if cl[i]:
            f += _cluster_features(cl[i])
        if q[i]:
            f += _QUOTE_FEATURES[q[i]]
        for back in (1, 2, 3, 4, 5):  # a trigger ending 1-5 tokens before this one
            e = i - back + 1
            if e >= 1 and te[e]:
                f.append(f"trg{back}={te[e]}" if back <= 3 else f"trgfar={te[e]}")
        out.append(f)
    if stack is not None:
        return stack.add(tokens, forms, out)
    return out
