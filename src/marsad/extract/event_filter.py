"""A learned sentence filter for PROTEST and ASSAULT events.

The rules find nearly every attack and protest, but news is full of the
same words in background, analysis, reactions and questions ("مسلسل
الاغتيالات", "هل كان يتوقع هجوما", "ندد بالهجوم").  A logistic regression
per type, trained by training/train_event_gsr.py on the dev half of the OEDA
Arabic event gold standard, scores a sentence from the rule coder's own
output (trigger lemma and how it is written — tense, definite, after a
preposition —, mode, actors, where the trigger stands), the words and cue
groups around the trigger, the sentence's word stems and stem bigrams, and
cue groups (``lang/ar/data/event_filter_cues.tsv``: casualties, reporting,
background, negation, sports ...), and the signs of one concrete incident
rather than the concept (``_concrete``: a toll — a number next to a
casualty or victim word —, a day or time of day, an informant, a year
written out; ``strong``, ``generic``, ``plural``, ``participant`` for the
trigger); an event of that type in a sentence scoring below the type's
threshold is dropped.  ``strong`` tells which
rule events are evidence in themselves (events.filter_events does not let
the filter judge those in its default "graded" mode).  The model
(``models/event_filter.json``, a JSON of feature weights) is loaded lazily;
without it the filter keeps everything.
"""
from __future__ import annotations

import bisect
import json
import math
from functools import cache
from importlib import resources
from typing import Iterable, Sequence

from marsad.model import EventMention, Token

FILTERED = ("ASSAULT", "PROTEST")
WINDOW = 3  # words either side of the trigger that become features


@cache
def _cues() -> tuple[dict[str, str], tuple[tuple[str, str], ...]]:
    """(exact word -> kind, (prefix, kind) pairs) from event_filter_cues.tsv."""
    from marsad.lang.ar import load_table
    from marsad.text.normalize import SEARCH

    exact: dict[str, str] = {}
    prefix: list[tuple[str, str]] = []
    for row in load_table("event_filter_cues"):
        word = SEARCH.text(row["word"])
        if word.endswith("*"):
            prefix.append((word[:-1], row["kind"]))
        else:
            exact.setdefault(word, row["kind"])
    return exact, tuple(prefix)


@cache
def _kind_words(kind: str) -> frozenset[str]:
    """Every exact word of one kind in event_filter_cues.tsv (a word may be
    of several kinds; ``_cue`` gives only its first)."""
    from marsad.lang.ar import load_table
    from marsad.text.normalize import SEARCH

    return frozenset(SEARCH.text(r["word"]) for r in load_table("event_filter_cues")
                     if r["kind"] == kind and not r["word"].endswith("*"))


def _cue(stem: str) -> str | None:
    exact, prefix = _cues()
    kind = exact.get(stem)
    if kind is None:
        for p, k in prefix:
            if stem.startswith(p):
                return k
    return kind


def _stem(t: Token) -> str:
    """The normalised stem (clitics off) when the normaliser kept the length."""
    if t.stem_start < 0 or len(t.norm) != len(t.text):
        return t.norm
    return t.norm[t.stem_start - t.start: len(t.norm) - (t.end - t.stem_end)] or t.norm


@cache
def _trigger_info() -> dict[tuple[str, str], tuple[str, str, tuple[str, ...]]]:
    """(written form, type) -> (lemma, kind, past-tense stems) from the
    trigger lexicon."""
    from marsad.extract import event_lexicon as lex

    trigs = lex.triggers()
    out: dict[tuple[str, str], tuple[str, str, tuple[str, ...]]] = {}
    for form, fs in lex.form_index().items():
        for f in fs:
            t = trigs[f.trigger]
            past = tuple(w[0] for w in t.words if not w[0].startswith("ي"))
            out.setdefault((form, t.type), (" ".join(t.words[0]), t.kind, past))
    return out


def _form(tok: Token, kind: str, past: tuple[str, ...]) -> str:
    """How the trigger is written: a verb's tense (past, present, future), a
    noun's state (definite, after a preposition ب ل ك, with a pronoun,
    indefinite); definiteness and prepositions tell a reference back or a
    purpose (الهجوم، لاغتيال) from the report of a new event."""
    pre, norm = tok.prefix, tok.norm
    if kind == "verb":
        w = norm[1:] if norm[:1] in "وف" and len(norm) > 3 else norm
        if w[:1] == "س" and w[1:2] in "يتن":
            return "future"
        if w[:1] in "بكل" and len(w) > 3 and not any(p[:1] == w[:1] for p in past):
            # ليفجر، لتقتحم: a purpose, not a report; بخطف، لقتل: the
            # verbal noun, written like the past tense, after a preposition
            return "present" if w[:1] == "ل" and w[1:2] in "يتن" else "prep"
        if w[:1] in "يتن" and not any(p[:1] == w[:1] for p in past):
            return "present"
        return "past"
    if kind not in ("noun", "phrase"):
        return kind
    bare = pre[1:] if pre[:1] in "وف" else pre
    if bare[:1] in ("ب", "ل", "ك"):
        return "prep"
    if "ال" in pre:
        return "definite"
    if tok.suffix and kind == "noun":
        return "pronoun"
    return "indefinite" if kind == "noun" else "phrase"


def strong(tokens: Sequence[Token], i: int, e: EventMention) -> bool:
    """Is the rule event at ``tokens[i]`` evidence in itself: a happened
    event whose trigger is a verb (قصفت، اغتال), a fixed phrase (سيارة
    مفخخة) or an indefinite noun after a light verb (شنت غارات)?  A definite
    noun (الهجوم) or one after a preposition (باغتيال) refers back to an event
    or names a purpose, a verb in a relative clause (الذين قتلوا) tells a
    known event, and the participants (المتظاهرون) are no report of a
    protest: the filter judges those.  So does it a verbal noun written
    like the past tense (قتل، خطف) after a word that governs it (عملية خطف،
    في قتل، وراء خطف، تم اغتيال: cue kind ``construct``) or after a
    preposition (بخطف), and a purpose (ليفجر)."""
    if e.mode != "happened":
        return False
    from marsad.extract import event_lexicon as lex
    from marsad.extract.event_arguments import _bare

    token = tokens[i]
    lemma, kind, past = _trigger_info().get((token.norm, e.type), ("?", "?", ()))
    if lex.cue_match("participant", lemma):
        return False
    form = _form(token, kind, past)
    if any(lex.cue_match("relative", t.norm) for t in tokens[max(0, i - 3):i]):
        return False  # "الجنود الذين خطفوا ...": told as known, not reported
    before = [_bare(t.norm) for t in tokens[max(0, i - 3):i]]
    if form in ("indefinite", "definite") and any(lex.cue_match("onset", b) for b in before):
        return True  # "اندلعت مظاهرات"، "تجددت المظاهرات"، "دارت معارك"
    after = [_bare(t.norm) for t in tokens[i + 1:i + 3] if t.kind == "word"]
    if form == "definite" and after and lex.cue_match("onset", after[0]) and after[0] != "وقع":
        return True  # "المواجهات اندلعت"
    if form == "indefinite":
        return any(lex.cue_match("light", b) for b in before)
    gov = _kind_words("construct")
    prev = tokens[i - 1].norm if i > 0 else ""
    if form == "past" and prev and (prev in gov or _bare(prev) in gov or prev[:1] in "وف" and prev[1:] in gov):
        return False  # "عملية خطف"، "في قتل"، "تم اغتيال": the verbal noun, written like the verb
    return form in ("past", "phrase")


def features(tokens: Sequence[Token], events: Iterable[EventMention], etype: str) -> set[str]:
    """Binary features of one sentence for ``etype``: about the trigger (its
    lemma, how it is written, its mode and actors, the words and cue groups
    next to it) and the sentence (cue groups, question, quotes, numbers,
    length, the other event types, the signs of a concrete incident), the
    sentence's stems and stem bigrams (not its full word forms: too sparse
    for the few gold sentences)."""
    from marsad.extract import event_lexicon as lex

    out = set()
    words = [t for t in tokens if t.kind == "word"]
    stems = [_stem(t) for t in words]
    cues = [_cue(s) for s in stems]
    out.update("cue:" + k for k in cues if k)
    prev = "<s>"
    for t, s in zip(words, stems):
        out.add("s:" + s)
        out.add(f"b:{prev}_{s}")
        prev = s
    if stems:
        out.add("first:" + stems[0])
    for t in tokens:
        if t.kind == "number":
            out.add("has_number")
        elif t.text in ("?", "؟"):
            out.add("question")
        elif t.text in ('"', "«", "»", "“", "”"):
            out.add("quoted")
    out.add(f"len:{min(len(words) // 10, 5)}")
    out.update(_concrete(tokens, words, cues))
    starts = {t.start: i for i, t in enumerate(words)}
    tstart = {t.start: k for k, t in enumerate(tokens)}
    info = _trigger_info()
    n = n_strong = 0
    for e in events:
        out.add("ev:" + e.type)
        if e.type != etype:
            continue
        n += 1
        out.add("mode:" + e.mode)
        out.add(f"actors:{min(len(e.actors), 2)}")
        for a in e.actors:
            out.add("role:" + a.role)
            if a.country and a.canonical == a.country:
                out.add(f"role:{a.role}:country")
        if e.date:
            out.add("dated")
        if e.place:
            out.add("placed")
        if e.quote >= 0:
            out.add("in_quote")
        i = starts.get(e.trigger_start)
        if i is None:
            continue
        lemma, kind, past = info.get((words[i].norm, etype), ("?", "?", ()))
        form = _form(words[i], kind, past)
        out.add("tl:" + lemma)
        out.add("tf:" + form)
        out.add(f"tlf:{lemma}:{form}")
        out.add(f"tf:{form}:{e.mode}")
        out.add("tpos:" + ("0" if i == 0 else "1-2" if i < 3 else "3-7" if i < 8 else "8+"))
        if i > 0:
            out.add("L1:" + stems[i - 1])
        if i + 1 < len(words):
            out.add("R1:" + stems[i + 1])
        for j in range(max(0, i - WINDOW), i):
            out.add("L:" + stems[j])
            if cues[j]:
                out.add("Lcue:" + cues[j])
        for j in range(i + 1, min(len(words), i + 1 + WINDOW)):
            out.add("R:" + stems[j])
            if cues[j]:
                out.add("Rcue:" + cues[j])
        if any(s in ("كان", "كانت", "قد") for s in stems[max(0, i - 6):i]):
            out.add("pluperfect")  # "وكان ... قد": background
        if any(c == "generic" for c in cues[max(0, i - 2):i]):
            out.add("generic")  # "عمليات الخطف": a class of events, not one
        bare = words[i].norm[len(words[i].prefix):] if words[i].prefix else words[i].norm
        if bare.endswith("ات") and not lemma.endswith("ات"):
            out.add("plural")  # "الهجمات"، "تفجيرات": several or a kind
        k = tstart.get(e.trigger_start)
        if k is not None:
            if strong(tokens, k, e):
                out.add("strong")  # evidence in itself (graded mode keeps it unjudged)
                n_strong += 1
            if lex.cue_match("participant", lemma):
                out.add("participant")
    out.add(f"n:{min(n, 3)}")
    out.add(f"strong:{min(n_strong, 2)}")
    return out


def _concrete(tokens: Sequence[Token], words: Sequence[Token], cues: Sequence[str | None]) -> set[str]:
    """Signs of one concrete incident rather than the concept: a toll (a
    number, in digits or words, next to a casualty or victim word: "مقتل
    ثلاثة اشخاص"), a year written out (background or a timeline), a day or
    part of the day, an informant (مصدر امني، شهود)."""
    out = set()
    wstarts = [w.start for w in words]
    marks = [j for j, c in enumerate(cues) if c == "numword"]
    for t in tokens:
        if t.kind == "number":
            digits = t.text.translate(_DIGITS)
            if digits.isdigit() and len(digits) == 4 and 1900 <= int(digits) <= 2100:
                out.add("year")
            else:
                marks.append(bisect.bisect_left(wstarts, t.start))
    if any("casualty" in cues[max(0, j - 3):j + 4] or "victim" in cues[max(0, j - 3):j + 4] for j in marks):
        out.add("toll")
    if any(c in ("weekday", "recent") for c in cues):
        out.add("anchored")
    if "informant" in cues or ("report" in cues and "security" in cues):
        out.add("informant")
    return out


_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789")


@cache
def _model() -> dict | None:
    try:
        path = resources.files("marsad") / "models" / "event_filter.json"
        return json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, OSError, ValueError):
        return None


@cache
def _weights(etype: str) -> dict[str, float]:
    m = _model()
    if not m or etype not in m["types"]:
        return {}
    spec = m["types"][etype]
    return dict(zip(spec["vocab"], spec["weights"]))


def score(tokens: Sequence[Token], events: Sequence[EventMention], etype: str) -> float | None:
    """Log-odds that the sentence reports an ``etype`` event (None: no model)."""
    m = _model()
    if m is None or etype not in m["types"]:
        return None
    w = _weights(etype)
    return m["types"][etype]["bias"] + sum(w.get(f, 0.0) for f in features(tokens, events, etype))


def passes(z: float | None, etype: str) -> bool:
    """Whether a sentence scoring ``z`` keeps its ``etype`` events (True
    without a model)."""
    return z is None or z >= _model()["types"][etype]["threshold"]


def keep(tokens: Sequence[Token], events: Sequence[EventMention], etype: str) -> bool:
    """Whether the sentence's ``etype`` events stay (True without a model)."""
    return passes(score(tokens, events, etype), etype)


def probability(z: float) -> float:
    return 1 / (1 + math.exp(-z))
