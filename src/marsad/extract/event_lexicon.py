"""The event trigger lexicon: ``event_triggers.tsv`` expanded into every
written form a trigger takes, and the context cues of ``event_cues.tsv``.

Why expand instead of stemming: Arabic verbs inflect at both ends and carry
clitics (و ف س ل, object pronouns); a light stemmer cuts ``سيبحث`` and
``سيارة`` alike.  Listing the stems once in data and deriving the inflected
forms from ``event_affixes.tsv`` gives an exact-match dictionary (one lookup
per token) that knows, for each form, whether it carried the future prefix.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from marsad.lang.ar import load_table
from marsad.text.normalize import SEARCH

PLOVER_TYPES = ("AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
                "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT")
KINDS = ("verb", "noun", "phrase")
ACTOR_RULES = ("any", "source", "none", "visit", "both", "speaker", "warn")
GENITIVE_ROLES = ("", "source", "target", "auto")


@dataclass(frozen=True, slots=True)
class Trigger:
    """One row of ``event_triggers.tsv``."""

    index: int
    type: str
    mode: str  # PLOVER mode, "" or "?" (infer)
    kind: str
    words: tuple[tuple[str, ...], ...]  # phrase alternatives (normalised words); one word for verb/noun
    context: tuple[str, ...]
    genitive: str
    actors: str
    alt_type: str
    exclude: tuple[str, ...]
    note: str


@dataclass(frozen=True, slots=True)
class Form:
    """A written form of a trigger's first word."""

    trigger: int
    future: bool  # carried the future prefix س
    rest: tuple[str, ...] = ()  # further words of a phrase (normalised)
    enclitic: bool = False  # carried a pronoun (توقيعهما, دعمها)


def _n(s: str) -> str:
    return SEARCH.text(s).strip()


@cache
def affixes() -> dict[str, tuple[str, ...]]:
    out: dict[str, list[str]] = {}
    for row in load_table("event_affixes"):
        out.setdefault(row["kind"], []).append(_n(row["form"]))
    return {k: tuple(v) for k, v in out.items()}


@cache
def triggers() -> tuple[Trigger, ...]:
    out = []
    for i, row in enumerate(load_table("event_triggers")):
        t = row["type"]
        if t not in PLOVER_TYPES:
            raise ValueError(f"event_triggers.tsv row {i + 1}: unknown PLOVER type {t!r}")
        if row["kind"] not in KINDS or row["actors"] not in ACTOR_RULES or row["genitive"] not in GENITIVE_ROLES:
            raise ValueError(f"event_triggers.tsv row {i + 1}: bad kind/actors/genitive in {row}")
        if row["alt_type"] and row["alt_type"] not in PLOVER_TYPES:
            raise ValueError(f"event_triggers.tsv row {i + 1}: unknown alt_type {row['alt_type']!r}")
        if row["kind"] == "phrase":
            words = tuple(tuple(_n(w) for w in alt.split()) for alt in row["forms"].split("|"))
        else:
            words = tuple((_n(w),) for w in row["forms"].split())
        out.append(Trigger(i, t, row["mode"], row["kind"], words,
                           tuple(_n(c) for c in row["context"].split()), row["genitive"],
                           row["actors"], row["alt_type"], tuple(_n(x) for x in row["exclude"].split()),
                           row["note"]))
    return tuple(out)


def _verb_forms(word: str) -> set[str]:
    """Inflected forms of one past stem or present 3ms form."""
    a = affixes()
    forms = {word}
    if word.startswith("ي") and len(word) >= 3:  # present
        bases = {word} | {p + word[1:] for p in a["present_prefix"]}
        for b in bases:
            forms.add(b)
            stem = b[:-1] if b.endswith("ي") else b  # يلتقي -> يلتقون
            if stem != b:
                forms.add(stem)  # jussive after لم: يلتق
            for s in a["present_suffix"]:
                forms.add(b + s)
                forms.add(stem + s)
    else:  # past
        if word[-1] in "اي":  # weak final: دعا -> دعت دعوا, التقى -> التقت
            forms |= {word[:-1] + s for s in a["weak_past"]}
        else:
            forms |= {word + s for s in a["past_suffix"]}
    return forms


def _with_enclitics(form: str) -> dict[str, bool]:
    """The form and its forms with a possessive pronoun (-> True)."""
    base = form[:-1] + "ت" if form.endswith("ه") else form  # ة (folded to ه) -> ت
    out = {base + e: True for e in affixes()["enclitic"]}
    out[form] = False
    return out


def _alternative(t: Trigger, words: tuple[str, ...]) -> dict[str, Form]:
    """Written forms of one alternative (its first word with clitics)."""
    a = affixes()
    conj = ("",) + a["conjunction"]
    out: dict[str, Form] = {}
    first, rest = words[0], words[1:]
    if t.kind == "verb":
        present = first.startswith("ي")
        for f in _verb_forms(first):
            # no bare ه: "ايده" would read "ايدة", "رحله" "رحلة" (ة folds to ه)
            for g in {f} | {f + e for e in a["enclitic"] if e != "ه"}:
                for c in conj:
                    out.setdefault(c + g, Form(t.index, False, rest))
                    if present:
                        for fut in a["future"]:
                            out.setdefault(c + fut + g, Form(t.index, True, rest))
                        for sub in a["subjunctive"]:
                            out.setdefault(c + sub + g, Form(t.index, False, rest))
        return out
    bare = _with_enclitics(first) if t.kind == "noun" else {first: False}
    if not first.endswith("ه"):
        bare.pop(first + "ه", None)  # ضرب + ه would read ضربة
    for c in conj:
        for p in ("",) + a["preposition"]:
            for g, enc in bare.items():
                out.setdefault(c + p + g, Form(t.index, False, rest, enc))
            for art in a["article"]:
                d = (p + art[1:] if p == "ل" else p + art) + first
                out.setdefault(c + d, Form(t.index, False, rest))
    return out


@cache
def form_index() -> dict[str, tuple[Form, ...]]:
    """Every written form (SEARCH-normalised) -> the triggers it can be."""
    out: dict[str, list[Form]] = {}
    stop = set(cues().get("not_trigger", {}))
    for t in triggers():
        for words in t.words:  # phrase alternatives sharing a first word each count
            for form, f in _alternative(t, words).items():
                if form not in stop:
                    out.setdefault(form, []).append(f)
    return {k: tuple(v) for k, v in out.items()}


@cache
def cues() -> dict[str, dict[str, tuple[str, ...]]]:
    """kind -> {normalised form (trailing * = prefix) -> types it applies to}."""
    out: dict[str, dict[str, tuple[str, ...]]] = {}
    for row in load_table("event_cues"):
        out.setdefault(row["kind"], {})[_n(row["form"])] = tuple(row["types"].split())
    return out


@cache
def _cue_tables(kind: str) -> tuple[dict[str, tuple[str, ...]], tuple[tuple[str, tuple[str, ...]], ...]]:
    table = cues().get(kind, {})
    exact = {k: v for k, v in table.items() if not k.endswith("*")}
    prefixes = tuple((k[:-1], v) for k, v in table.items() if k.endswith("*"))
    return exact, prefixes


def cue_match(kind: str, word: str, etype: str | None = None) -> bool:
    """Does the normalised ``word`` match a cue of ``kind`` (for ``etype``)?"""
    exact, prefixes = _cue_tables(kind)
    hit = exact.get(word)
    if hit is None:
        for form, types in prefixes:
            if word.startswith(form):
                hit = types
                break
    if hit is None:
        return False
    return not hit or etype is None or etype in hit


def pattern_match(pattern: str, word: str) -> bool:
    return word.startswith(pattern[:-1]) if pattern.endswith("*") else word == pattern


@cache
def verb_forms() -> frozenset[str]:
    """Written forms of the verb triggers (to spot a future prefix on one)."""
    return frozenset(w for w, fs in form_index().items()
                     if any(triggers()[f.trigger].kind == "verb" for f in fs))


@dataclass(frozen=True)
class ActorGroup:
    """A group or force that can be an event actor without a name
    (event_actor_groups.tsv): its written form (first word clitic-free, then
    the further words), canonical name, sector and country rule."""

    first: str
    rest: tuple[str, ...]
    canonical: str
    sector: str
    country_required: bool


@cache
def actor_groups() -> dict[str, tuple[ActorGroup, ...]]:
    """first clitic-free word -> its groups, the longest phrase first."""
    out: dict[str, list[ActorGroup]] = {}
    for row in load_table("event_actor_groups"):
        words = _n(row["form"]).split()
        first = words[0][2:] if words[0].startswith("ال") and len(words) > 1 else words[0]
        g = ActorGroup(first, tuple(words[1:]), row["canonical"], row["sector"], row["country"] == "required")
        out.setdefault(first, []).append(g)
    return {k: tuple(sorted(v, key=lambda g: -len(g.rest))) for k, v in out.items()}
