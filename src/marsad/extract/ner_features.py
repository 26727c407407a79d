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
training data never saw.
"""
from __future__ import annotations

from functools import cache, lru_cache
from typing import Sequence

from marsad.lang.ar import load_table
from marsad.lang.ar.gazetteer import Gazetteer, first_forms
from marsad.model import Token
from marsad.text.normalize import SEARCH

NER_KINDS = frozenset({"word", "latin", "number", "punct"})
FEATURE_VERSION = 1


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


def token_form(t: Token) -> str:
    """The normalised form a trigger or cluster is looked up by: the token
    without conjunction/preposition clitics (the article ال kept)."""
    forms = first_forms(t)
    return forms[-1][0]


@lru_cache(maxsize=300_000)
def _word_features(text: str, norm: str, kind: str, prefix: str, stem: str) -> tuple[str, ...]:
    f = [f"w={norm}", f"k={kind}"]
    if kind == "word":
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


def sentence_features(tokens: Sequence[Token], gazetteer: Gazetteer | None = None,
                      clusters: dict[str, str] | None = None) -> list[list[str]]:
    """Feature strings for each token of one sentence (tokens of kinds in
    ``NER_KINDS``, in order)."""
    g = gazetteer or Gazetteer.default()
    trig, _ = triggers()
    n = len(tokens)
    words = [_word_features(t.text, t.norm, t.kind, t.prefix, t.stem) for t in tokens]
    forms = [token_form(t) if t.kind == "word" else t.norm for t in tokens]
    # gazetteer membership: B-/I- with the entry type
    gaz = [""] * n
    for i, j, _, e in g.match(tokens):
        gaz[i] = f"B-{e.type}"
        for m in range(i + 1, j):
            gaz[m] = f"I-{e.type}"
    dem = [g.demonym(forms[i]) is not None for i in range(n)]
    out: list[list[str]] = []
    for i in range(n):
        f = ["b", *words[i]]
        for d in (-2, -1, 1, 2):
            m = i + d
            if 0 <= m < n:
                f.append(f"{d}w={forms[m]}")
                if gaz[m]:
                    f.append(f"{d}g={gaz[m]}")
                if dem[m]:
                    f.append(f"{d}dem")
            else:
                f.append(f"{d}w=<s>" if m < 0 else f"{d}w=</s>")
        f.append(f"-1w2={forms[i - 1] if i else '<s>'}|{forms[i]}")
        if gaz[i]:
            f.append(f"g={gaz[i]}")
        if dem[i]:
            f.append("dem")
        # trigger words ending 1-3 tokens before this one
        for back in (1, 2, 3):
            e = i - back + 1  # the trigger ends at token e-1
            for length in (1, 2):
                s = e - length
                if s < 0:
                    continue
                typ = trig.get(tuple(forms[s:e]))
                if typ:
                    f.append(f"trg{back}={typ}")
        if clusters is not None:
            c = clusters.get(forms[i]) or clusters.get(SEARCH.text(tokens[i].stem))
            if c:
                f += [f"c4={c[:4]}", f"c8={c[:8]}", f"c={c}"]
            for d in (-1, 1):
                m = i + d
                if 0 <= m < n:
                    cm = clusters.get(forms[m])
                    if cm:
                        f.append(f"{d}c6={cm[:6]}")
        out.append(f)
    return out
