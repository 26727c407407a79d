"""Tokenizer with character offsets into the original text, and light clitic
segmentation that keeps the surface form (``Token.text``) while recording
where the stem lies (``Token.stem_start``/``stem_end``).

Written by hand: no offline library segments Arabic clitics with offsets
(CAMeL Tools' simple tokenizer returns bare strings; its morphological
segmenter needs a database download).
"""
from __future__ import annotations

import re
from functools import cache, lru_cache

from marsad.lang.ar import load_list, load_table
from marsad.model import Token
from marsad.text.normalize import ALEF, ORTHOGRAPHIC, SEARCH

_AR_LETTER = "\u0621-\u063A\u0641-\u064A\u066E-\u066F\u0671-\u06D3\u06D5\u06FA-\u06FF\uFB50-\uFDFF\uFE70-\uFEFC"
_AR_MARK = "\u064B-\u065F\u0670\u0640\u06D6-\u06ED"
_DIGIT = "0-9\u0660-\u0669\u06F0-\u06F9"

TOKEN_RE = re.compile(
    rf"(?P<url>https?://\S+|www\.\S+)"
    rf"|(?P<number>[{_DIGIT}]+(?:[.,\u066B\u066C/][{_DIGIT}]+)*)"
    rf"|(?P<word>[{_AR_LETTER}][{_AR_LETTER}{_AR_MARK}]*)"
    rf"|(?P<latin>[A-Za-z\u00C0-\u024F][A-Za-z\u00C0-\u024F0-9'_-]*)"
    rf"|(?P<punct>\.{{2,}}|…|[^\s\w]|_)"
    rf"|(?P<symbol>\S)"
)

_FOLD = ORTHOGRAPHIC | ALEF


@cache
def _clitics() -> tuple[list[tuple[str, int]], list[tuple[str, int]], list[tuple[str, int]], frozenset[str]]:
    pro, single, enc = [], [], []
    for row in load_table("clitics"):
        entry = (row["form"], int(row["min_stem"]))
        {"proclitic": pro, "enclitic": enc}.get(row["kind"], single).append(entry)
    pro.sort(key=lambda x: -len(x[0]))
    enc.sort(key=lambda x: -len(x[0]))
    return pro, single, enc, frozenset(load_list("stem_initial_letters"))


@lru_cache(maxsize=100_000)
def segment(word: str) -> tuple[int, int]:
    """Stem boundaries ``(i, j)`` within ``word`` (surface indices): the
    proclitics are ``word[:i]``, the enclitics ``word[j:]``.

    >>> w = "والمفاوضات"; i, j = segment(w); w[:i], w[i:j]
    ('وال', 'مفاوضات')
    """
    folded = _FOLD(word)
    f = folded.text
    pro, single, enc, inherent = _clitics()
    i, j = 0, len(f)
    definite = False
    for form, min_stem in pro:
        if f.startswith(form) and len(f) - len(form) >= min_stem:
            i = len(form)
            definite = True
            break
    else:
        # single-letter clitics: a conjunction, then a preposition
        for letters in ("وف", "بلك"):
            for form, min_stem in single:
                if (form in letters and f.startswith(form, i) and len(f) - i - 1 >= min_stem
                        and SEARCH.text(f[i:]) not in inherent):
                    i += 1
                    break
    if not definite:
        for form, min_stem in enc:
            if f.endswith(form) and j - len(form) - i >= min_stem:
                # the folded text keeps ة apart from ه, so a taa marbuta never matches
                j -= len(form)
                break
    return folded.original_span(i, j) if j > i else (0, len(word))


def tokenize(text: str, *, segment_clitics: bool = True) -> list[Token]:
    """Tokens of ``text`` with offsets; ``text[t.start:t.end] == t.text``."""
    out: list[Token] = []
    norm = SEARCH.text
    for m in TOKEN_RE.finditer(text):
        kind = m.lastgroup or "symbol"
        s, e = m.span()
        surface = m.group()
        if kind == "url":
            surface = surface.rstrip(".,;:!?)\"'»")
            e = s + len(surface)
        stem_s = stem_e = -1
        if kind == "word" and segment_clitics:
            i, j = segment(surface)
            stem_s, stem_e = s + i, s + j
        out.append(Token(s, e, surface, norm(surface), kind, stem_s, stem_e))
    return out


def words(text: str) -> list[str]:
    """Normalised word forms only (for indexing and similarity)."""
    return [m.group() for m in TOKEN_RE.finditer(SEARCH.text(text)) if m.lastgroup in ("word", "latin", "number")]
