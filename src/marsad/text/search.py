"""Search forms of Arabic words: what the full-text index stores and what a
query is expanded to, so that spelling variants meet.

Three forms per word, each a column of the index:

* ``norm``: the search normalisation (alef, hamza, ى/ي, ة/ه, diacritics):
  إيران = ايران, مؤتمر = موتمر.
* ``stem``: ``norm`` without clitics (وإيران -> ايران, والأمريكي -> امريكي).
* ``skeleton``: the stem without its medial long vowels ا و ي, which Arabic
  spells inconsistently in foreign names (الأمريكي / الأميركي -> امركي,
  بوتين / بوتن).  Lower weight: it merges more.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from marsad.model import Token
from marsad.text.normalize import SEARCH
from marsad.text.tokenize import segment, tokenize

_MEDIAL_VOWELS = re.compile(r"(?<=.)[اوي](?=.)")


def skeleton(stem: str) -> str:
    if len(stem) <= 3:
        return stem
    return _MEDIAL_VOWELS.sub("", stem)


@dataclass(frozen=True, slots=True)
class WordForms:
    norm: str
    stem: str
    skeleton: str


def forms(word: str) -> WordForms:
    norm = SEARCH.text(word)
    i, j = segment(word)
    stem = SEARCH.text(word[i:j]) or norm
    return WordForms(norm, stem, skeleton(stem))


def index_columns(text: str, tokens: Sequence[Token] | None = None) -> tuple[str, str, str]:
    """(norm, stems, skeletons) space-joined, for the full-text index
    (``tokens``: the pipeline's tokens of ``text``, to save tokenising again)."""
    norms, stems, skels = [], [], []
    norm = SEARCH.text
    for t in tokens or tokenize(text):
        if t.kind not in ("word", "latin", "number"):
            continue
        norms.append(t.norm)
        if t.kind == "word":
            st = (norm(t.stem) if t.stem_start > t.start or 0 <= t.stem_end < t.end else t.norm) or t.norm
            stems.append(st)
            skels.append(skeleton(st))
        else:
            stems.append(t.norm)
            skels.append(t.norm)
    return " ".join(norms), " ".join(stems), " ".join(skels)


def query_words(query: str) -> list[WordForms]:
    return [forms(t.text) if t.kind == "word" else WordForms(t.norm, t.norm, t.norm)
            for t in tokenize(query) if t.kind in ("word", "latin", "number")]


def fts_query(query: str) -> str:
    """An FTS5 MATCH expression: every query word must match one of its forms.
    Terms are quoted, so no user input is read as FTS5 syntax."""
    parts = []
    for w in query_words(query):
        q = lambda s: '"' + s.replace('"', '""') + '"'  # noqa: E731
        parts.append(f"(norm : {q(w.norm)} OR stems : {q(w.stem)} OR skels : {q(w.skeleton)})")
    return " AND ".join(parts)


def match_spans(text: str, query: str) -> list[tuple[int, int]]:
    """Spans of ``text`` (original offsets) whose word matches a query word."""
    wanted = query_words(query)
    norms = {w.norm for w in wanted}
    stems = {w.stem for w in wanted}
    skels = {w.skeleton for w in wanted}
    out = []
    for t in tokenize(text):
        if t.kind not in ("word", "latin", "number"):
            continue
        if t.norm in norms:
            out.append((t.start, t.end))
            continue
        st = SEARCH.text(t.stem) if t.kind == "word" else t.norm
        if st in stems or skeleton(st) in skels:
            out.append((t.start, t.end))
    return out
