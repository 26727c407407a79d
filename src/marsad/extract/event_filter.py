"""A learned sentence filter for PROTEST and ASSAULT events.

The rules find nearly every attack and protest, but news is full of the
same words in background, analysis and questions ("مسلسل الاغتيالات",
"هل كان يتوقع هجوما").  A logistic regression trained by
training/train_event_gsr.py on the dev half of the OEDA Arabic event gold
standard scores a sentence from the rule coder's own output and its words;
an event of those types in a sentence scoring below the threshold is
dropped.  The model (``models/event_filter.json``) is loaded lazily; without
it the filter keeps everything.
"""
from __future__ import annotations

import json
import math
from functools import cache
from importlib import resources
from typing import Iterable

from marsad.model import EventMention, Token

FILTERED = ("ASSAULT", "PROTEST")


def features(tokens: Iterable[Token], events: Iterable[EventMention], etype: str) -> set[str]:
    """Binary features of one sentence for ``etype``."""
    out = set()
    for t in tokens:
        if t.kind == "word":
            out.add("w:" + t.norm)
            out.add("s:" + t.norm.lstrip("وف")[-6:])
        elif t.kind == "number":
            out.add("has_number")
        elif t.text in ("?", "؟"):
            out.add("question")
    for e in events:
        out.add("ev:" + e.type)
        out.add(f"ev:{e.type}:{e.mode}")
        if e.type == etype:
            out.add("trig:" + e.trigger)
            out.add("mode:" + e.mode)
            out.add("emode:" + str(e.event_mode))
            out.add(f"actors:{len(e.actors)}")
            if e.date:
                out.add("dated")
            if e.place:
                out.add("placed")
    return out


@cache
def _model() -> dict | None:
    try:
        path = resources.files("marsad") / "models" / "event_filter.json"
        return json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, OSError, ValueError):
        return None


@cache
def _index(etype: str) -> dict[str, int]:
    m = _model()
    return {k: i for i, k in enumerate(m["types"][etype]["vocab"])} if m else {}


def score(tokens: list[Token], events: list[EventMention], etype: str) -> float | None:
    """Log-odds that the sentence reports an ``etype`` event (None: no model)."""
    m = _model()
    if m is None or etype not in m["types"]:
        return None
    spec = m["types"][etype]
    w = spec["weights"]
    idx = _index(etype)
    z = w[-1] + sum(w[idx[f]] for f in features(tokens, events, etype) if f in idx)
    return z


def keep(tokens: list[Token], events: list[EventMention], etype: str) -> bool:
    z = score(tokens, events, etype)
    if z is None:
        return True
    return z >= _model()["types"][etype]["threshold"]


def probability(z: float) -> float:
    return 1 / (1 + math.exp(-z))
