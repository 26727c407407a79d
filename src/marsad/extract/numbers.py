"""Arabic number reading shared by the ``amounts`` and ``dates`` components:
the lexicons (from ``lang/ar/data``) and small pure helpers.

Why not ``pyarabic.number.text2number``: it reads a whole string, has no
offsets, keeps its word lists in code, and reads "الاثنين" (Monday) as 0 and
"بضعة" as 0; marsad needs token-level matching with spans, so the number
words are a data file (``number_words.tsv``) and the arithmetic is here.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from marsad.lang.ar import load_list, load_table
from marsad.text.normalize import SEARCH

_norm = SEARCH.text

# proclitics stripped when looking a word up: conjunction, preposition, article
_CONJ = ("و", "ف")
_PREP = ("ب", "ل", "ك")


@lru_cache(maxsize=50_000)
def variants(norm: str) -> tuple[str, ...]:
    """The SEARCH-normalised word and its forms with proclitics stripped, most
    specific first ("وبالبلدين" -> (وبالبلدين, بالبلدين, البلدين, بلدين)).
    Cached: news vocabulary repeats, and every token is looked up."""
    return tuple(_variants(norm))


def _variants(norm: str) -> list[str]:
    out = [norm]
    w = norm
    if len(w) > 2 and w[0] in _CONJ:
        w = w[1:]
        out.append(w)
    if w.startswith("لل") and len(w) > 3:
        out.append("ال" + w[2:])
        w = w[2:]
        out.append(w)
        return out
    if len(w) > 2 and w[0] in _PREP:
        w = w[1:]
        out.append(w)
    if w.startswith("ال") and len(w) > 3:
        out.append(w[2:])
    return out


@dataclass(frozen=True)
class NumberWord:
    value: int
    kind: str  # unit | teen | ten | hundred | scale | plural_scale | dual_scale | none


@dataclass(frozen=True)
class Lexicon:
    words: dict[str, NumberWord]  # one-word number words
    teens: dict[tuple[str, str], int]  # two-word teens ("اربعه", "عشر") -> 14
    currencies: dict[str, str]
    currency_adjectives: dict[tuple[str, str], str]
    units: dict[tuple[str, ...], str]  # one- or two-word units
    duals: dict[str, str]  # dual form -> singular (both SEARCH-normalised)
    dual_singulars: frozenset[str]
    stopwords: frozenset[str]
    markers: dict[str, frozenset[str]]  # kind -> words
    weekdays: dict[str, int]
    months: dict[tuple[str, ...], tuple[int, str]]  # name words -> (month, calendar)
    month_first: frozenset[str]
    date_markers: dict[str, frozenset[str]]


def _kinds(rows, key="word") -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = {}
    for r in rows:
        for kind in r["kind"].split(","):
            out.setdefault(kind, set()).add(_norm(r[key]))
    return {k: frozenset(v) for k, v in out.items()}


@cache
def lexicon() -> Lexicon:
    """All lexicons, loaded once and SEARCH-normalised."""
    words: dict[str, NumberWord] = {}
    teens: dict[tuple[str, str], int] = {}
    for r in load_table("number_words"):
        parts = _norm(r["word"]).split()
        if len(parts) == 2:
            teens[(parts[0], parts[1])] = int(r["value"])
        else:
            words[parts[0]] = NumberWord(int(r["value"]), r["kind"])
    units: dict[tuple[str, ...], str] = {tuple(_norm(r["word"]).split()): r["unit"]
                                         for r in load_table("units")}
    duals: dict[str, str] = {}
    for r in load_table("dual_nouns"):
        for form in r["duals"].split(","):
            if form and form not in words:
                duals[form] = r["singular"]
    months = {tuple(_norm(r["name"]).split()): (int(r["month"]), r["calendar"])
              for r in load_table("months")}
    return Lexicon(
        words=words,
        teens=teens,
        currencies={_norm(r["word"]): r["code"] for r in load_table("currencies")},
        currency_adjectives={(_norm(r["currency"]), _norm(r["adjective"])): r["code"]
                             for r in load_table("currency_adjectives")},
        units=units,
        duals=duals,
        dual_singulars=frozenset(duals.values()),
        stopwords=frozenset(_norm(w) for w in load_list("counted_stopwords")),
        markers=_kinds(load_table("amount_markers")),
        weekdays={_norm(r["name"]): int(r["weekday"]) for r in load_table("weekdays")},
        months=months,
        month_first=frozenset(k[0] for k in months),
        date_markers=_kinds(load_table("date_markers")),
    )


_SEP_RE = re.compile(r"[.,]")


def parse_digits(s: str) -> float | int | None:
    """Value of a digit string with thousands separators and a decimal mark,
    already SEARCH-normalised (Arabic-Indic digits folded to 0-9).

    "13.5", "13,5", "١٣٫٥" -> 13.5; "1,300", "1.300.000", "١٬٣٠٠" -> 1300,
    1300000; "1,300.5" -> 1300.5.  A single separator followed by exactly
    three digits is a thousands separator unless the integer part is 0.
    """
    s = s.replace("\u066b", ".").replace("\u066c", ",")
    if not s or "/" in s:
        return None
    seps = _SEP_RE.findall(s)
    try:
        if not seps:
            return int(s)
        if "." in seps and "," in seps:
            dec = "." if s.rfind(".") > s.rfind(",") else ","
            th = "," if dec == "." else "."
            return float(s.replace(th, "").replace(dec, "."))
        sep = seps[0]
        if len(seps) > 1:  # 1.300.000
            return int(s.replace(sep, ""))
        head, tail = s.split(sep)
        if len(tail) == 3 and head != "0" and len(head) <= 3:
            return int(head + tail)
        return float(head + "." + tail)
    except ValueError:
        return None


def clean(value: float) -> float | int:
    """Whole floats become ints (13.0 * 1e9 -> 13000000000)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value
