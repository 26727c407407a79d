"""Arabic normalisers: small, named, one job each, composable, and always
returning an offset map back to the original text.

Each normaliser is a character map read from ``lang/ar/data/normalize.tsv``
(plus Unicode's own compatibility decompositions for the Arabic presentation
forms, and Latin lower-casing).  Because they are all character maps, a chain
of them is again one character map, applied with one ``str.translate``; the
offset map is built only when the chain deleted or expanded a character.

>>> n = SEARCH("الأَمريكيّ")
>>> n.text
'الامريكي'
>>> n.original_span(0, 3)
(0, 3)
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache
from typing import Iterable

from marsad.lang.ar import load_table

CharMap = dict[int, str]


@dataclass(frozen=True, slots=True)
class Normalized:
    """Normalised text with, for each of its characters, the index of the
    original character it came from (``offsets[len(text)]`` is the original
    length, so end offsets map too).  ``offsets`` is None for the identity."""

    text: str
    original_length: int
    offsets: tuple[int, ...] | None = None

    def original_index(self, i: int) -> int:
        if self.offsets is None:
            return i
        return self.offsets[i]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a span of the normalised text back to the original text."""
        if self.offsets is None:
            return start, end
        if end <= start:
            o = self.offsets[start]
            return o, o
        # characters the normaliser deleted (diacritics, tatweel) belong to the
        # character before them: the end maps to where the next kept one starts
        return self.offsets[start], max(self.offsets[end], self.offsets[end - 1] + 1)


@cache
def _tables() -> dict[str, CharMap]:
    tables: dict[str, CharMap] = {}
    for row in load_table("normalize"):
        src = int(row["from"], 16)
        dst = "".join(chr(int(h, 16)) for h in row["to"].split())
        tables.setdefault(row["normalizer"], {})[src] = dst
    return tables


@cache
def _presentation_forms() -> CharMap:
    """Arabic presentation forms A (U+FB50-FDFF) and B (U+FE70-FEFF) to their
    compatibility decomposition (ﻻ -> لا), from Unicode's own data."""
    out: CharMap = {}
    for cp in list(range(0xFB50, 0xFE00)) + list(range(0xFE70, 0xFEFF)):
        ch = chr(cp)
        if unicodedata.category(ch) == "Cn":
            continue
        nf = unicodedata.normalize("NFKC", ch)
        if nf != ch:
            out[cp] = nf.strip() or ""
    return out


@cache
def _latin_lower() -> CharMap:
    return {cp: chr(cp).lower() for cp in range(0x41, 0x5B)}


class Normalizer:
    """A named character map.  ``a | b`` chains two normalisers (a first)."""

    def __init__(self, name: str, table: CharMap):
        self.name = name
        self.table: CharMap = dict(table)
        self._changes_length = any(len(v) != 1 for v in self.table.values())

    def __repr__(self) -> str:
        return f"Normalizer({self.name!r}, {len(self.table)} chars)"

    def __or__(self, other: "Normalizer") -> "Normalizer":
        merged: CharMap = {}
        for cp in set(self.table) | set(other.table):
            first = self.table.get(cp, chr(cp))
            merged[cp] = "".join(other.table.get(ord(c), c) for c in first)
        # drop identity entries so translate stays lean
        merged = {k: v for k, v in merged.items() if v != chr(k)}
        return Normalizer(f"{self.name}|{other.name}", merged)

    def text(self, text: str) -> str:
        """Only the normalised string (fast path, no offset map)."""
        return text.translate(self.table)

    def __call__(self, text: str) -> Normalized:
        out = text.translate(self.table)
        if not self._changes_length or not self._length_changed(text):
            return Normalized(out, len(text))
        offsets: list[int] = []
        table = self.table
        for i, ch in enumerate(text):
            rep = table.get(ord(ch))
            if rep is None:
                offsets.append(i)
            else:
                offsets.extend([i] * len(rep))
        offsets.append(len(text))
        return Normalized(out, len(text), tuple(offsets))

    def _length_changed(self, text: str) -> bool:
        table = self.table
        return any(len(table[ord(c)]) != 1 for c in set(text) if ord(c) in table)


def _named(name: str) -> Normalizer:
    return Normalizer(name, _tables()[name])


DIACRITICS = _named("diacritics")
"""Harakat, shadda, sukun, dagger alef: deleted."""
TATWEEL = _named("tatweel")
ALEF = _named("alef")
"""أ إ آ ٱ -> ا"""
HAMZA = _named("hamza")
"""ؤ -> و, ئ -> ي (search only: it merges forms a reader tells apart)."""
ALEF_MAQSURA = _named("alef_maqsura")
TEH_MARBUTA = _named("teh_marbuta")
DIGITS = _named("digits")
"""Arabic-Indic ٠-٩ and Persian ۰-۹ -> 0-9."""
PERSIAN_LETTERS = _named("persian_letters")
PUNCTUATION = _named("punctuation")
"""Arabic comma, semicolon, question mark, guillemets, curly quotes, invisible marks."""
PRESENTATION_FORMS = Normalizer("presentation_forms", _presentation_forms())
LATIN_LOWER = Normalizer("latin_lower", _latin_lower())


def chain(*normalizers: Normalizer) -> Normalizer:
    out = normalizers[0]
    for n in normalizers[1:]:
        out = out | n
    return out


# Orthographic: what every matcher wants (keeps hamza, ة and ى apart).
ORTHOGRAPHIC = chain(PRESENTATION_FORMS, DIACRITICS, TATWEEL, DIGITS, PERSIAN_LETTERS, PUNCTUATION)
# Search: folds every spelling variant Arabic news writes for one word.
SEARCH = chain(ORTHOGRAPHIC, ALEF, HAMZA, ALEF_MAQSURA, TEH_MARBUTA, LATIN_LOWER)

NAMED: dict[str, Normalizer] = {
    n.name: n
    for n in (DIACRITICS, TATWEEL, ALEF, HAMZA, ALEF_MAQSURA, TEH_MARBUTA, DIGITS,
              PERSIAN_LETTERS, PUNCTUATION, PRESENTATION_FORMS, LATIN_LOWER)
}


def normalize(text: str) -> str:
    """The search normalisation of ``text`` (no offset map)."""
    return SEARCH.text(text)


def normalize_all(texts: Iterable[str]) -> list[str]:
    tr = SEARCH.table
    return [t.translate(tr) for t in texts]
