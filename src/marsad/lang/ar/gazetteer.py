"""Gazetteer of countries, places and organisations, read from the data files
``countries.tsv`` (generated from CLDR by training/build_gazetteers.py),
``places.tsv`` and ``organizations.tsv``, plus nationality adjectives
(``countries.tsv`` column ``adjectives`` and, when present,
``nationalities.tsv``).

All keys are SEARCH-normalised word sequences, so "أميركا" and "امريكا"
meet.  The API is deliberately small; the NER component, the titles/coref
extractor and the entity linker all share it:

    g = Gazetteer.default()
    g.lookup("امريكا").canonical        # 'الولايات المتحدة'
    g.match(tokens)                     # [(i, j, start, Entry)] longest matches
    g.demonym("الروسية").canonical      # 'روسيا'
    g.fuzzy("اغانستان").canonical       # 'أفغانستان' (edit distance 1)
    g.country("GB").canonical           # 'بريطانيا'

When two files give the same key, the first loaded wins: countries, then
places, then organisations (so "عمان" is Oman, not Amman).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Iterable, Sequence

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from marsad.lang.ar import DATA, load_list, load_table
from marsad.model import Token
from marsad.text.normalize import SEARCH

_AL = "ال"
FUZZY_MIN_LETTERS = 6


@dataclass(frozen=True, slots=True)
class Entry:
    """One gazetteer entity.  ``type`` is the NER type (LOC, ORG); ``kind``
    says more (country, city, region, intl, alliance, armed, agency ...);
    ``country`` is the canonical name of the country it belongs to (a
    country's own name for a country); ``code`` the ISO code of a country."""

    canonical: str
    type: str
    kind: str
    qid: str | None = None
    country: str | None = None
    variants: tuple[str, ...] = ()
    code: str | None = None


def key(text: str) -> tuple[str, ...]:
    """The lookup key of a name: its SEARCH-normalised words."""
    return tuple(SEARCH.text(text).split())


def _split(cell: str) -> list[str]:
    return [v.strip() for v in cell.replace(",", "|").split("|") if v.strip()]


def _adjective_forms(adj: str) -> list[str]:
    """Forms of a nationality adjective stem (روسي -> الروسي, الروسية, روسيون ...);
    a plural given with ال (الروس) is taken as written, with and without ال."""
    if " " in adj:
        return []
    if adj.startswith(_AL) and not adj.endswith("ي"):
        return [adj, adj[2:]]
    if not adj.endswith("ي"):  # an irregular plural such as روس, أتراك
        return [adj, _AL + adj]
    out = []
    for suffix in ("", "ة", "ين", "ون", "ان", "تين", "تان"):
        out += [adj + suffix, _AL + adj + suffix]
    return out


class Gazetteer:
    """Normalised-key lookup and longest match over tokens."""

    def __init__(self, entries: Iterable[tuple[Entry, Sequence[str]]],
                 demonyms: Iterable[tuple[str, Entry]] = (), fuzzy_stoplist: Iterable[str] = ()):
        self._keys: dict[tuple[str, ...], Entry] = {}
        self._by_first: dict[str, list[tuple[str, ...]]] = {}
        self._by_code: dict[str, Entry] = {}
        self._demonyms: dict[str, Entry] = {}
        self._fuzzy_cache: dict[str, str | None] = {}
        self._fuzzy_stop = frozenset(fuzzy_stoplist)
        self._by_canonical: dict[tuple[str, ...], list[Entry]] = {}
        for entry, names in entries:
            self._by_canonical.setdefault(key(entry.canonical), []).append(entry)
            if entry.code:
                self._by_code.setdefault(entry.code, entry)
            for name in names:
                k = key(name)
                if k and k not in self._keys:
                    self._keys[k] = entry
                    self._by_first.setdefault(k[0], []).append(k)
        for keys in self._by_first.values():
            keys.sort(key=len, reverse=True)
        self.max_len = max((len(k) for k in self._keys), default=0)
        for word, entry in demonyms:
            self._demonyms.setdefault(SEARCH.text(word), entry)
        # fuzzy candidates: one-word names of countries and cities, long enough
        self._fuzzy_keys = sorted({k[0] for k, e in self._keys.items()
                                   if len(k) == 1 and len(k[0]) >= FUZZY_MIN_LETTERS
                                   and e.kind in ("country", "city")})

    # -- construction -------------------------------------------------------
    @classmethod
    @cache
    def default(cls) -> "Gazetteer":
        """The gazetteer built from marsad's data files (cached)."""
        return cls(*_load_data())

    # -- lookups ------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._keys)

    def lookup(self, text: str) -> Entry | None:
        """The entry whose name or variant is ``text`` (any spelling the SEARCH
        normaliser folds), or None.  A leading clitic is not stripped here."""
        return self._keys.get(key(text))

    def named(self, canonical: str, kind: str | None = None) -> Entry | None:
        """The entry whose canonical name is ``canonical`` (and whose kind is
        ``kind``), even when another entry owns that name as a lookup key:
        ``named("عمان", kind="city")`` is Amman, which ``lookup`` reads as
        Oman."""
        return next((e for e in self._by_canonical.get(key(canonical), ())
                     if kind is None or e.kind == kind), None)

    def country(self, name_or_code: str) -> Entry | None:
        """A country by ISO code ("IQ") or by any of its names."""
        e = self._by_code.get(name_or_code.upper()) if len(name_or_code) == 2 else None
        if e is None:
            e = self.lookup(name_or_code)
            if e is not None and e.kind != "country":
                e = self._keys.get(key(e.country)) if e.country else None
        return e

    def demonym(self, word: str, normalized: bool = False) -> Entry | None:
        """The country of a nationality adjective (الروسي، العراقية، البريطانيين);
        ``normalized``: ``word`` is already SEARCH-normalised."""
        return self._demonyms.get(word if normalized else SEARCH.text(word).strip())

    def fuzzy(self, word: str) -> Entry | None:
        """A country or city one typo away from ``word`` ("اغانستان" ->
        أفغانستان), or None.  Only for words of >= 6 letters, only a dropped
        or substituted letter (never an added one, which would turn a name
        into its adjective: العراقي), never at the first or last letter
        (البحرية is not البحرين), never for a word of ``fuzzy_stoplist.txt``
        (ordinary words frequent in news: الجديدة is not الحديدة), and only
        when exactly one name is that close."""
        return _fuzzy(self, SEARCH.text(word))

    def match(self, tokens: Sequence[Token], start: int = 0, end: int | None = None
              ) -> list[tuple[int, int, int, Entry]]:
        """Longest, left-to-right, non-overlapping gazetteer matches over
        ``tokens[start:end]``: a list of ``(i, j, char_start, entry)`` where
        tokens i..j-1 spell a name.  The first token may carry proclitics
        (و ب ل ف ك): ``char_start`` is where the name begins inside it
        ("وبغداد" -> the offset of ب; "والعراق" keeps ال: the offset of ا).
        The match ends at ``tokens[j-1].end``."""
        end = len(tokens) if end is None else end
        out: list[tuple[int, int, int, Entry]] = []
        i = start
        while i < end:
            hit = self._match_at(tokens, i, end)
            if hit is None:
                i += 1
                continue
            out.append(hit)
            i = hit[1]
        return out

    def _match_at(self, tokens: Sequence[Token], i: int, end: int) -> tuple[int, int, int, Entry] | None:
        t = tokens[i]
        if t.kind not in ("word", "latin"):
            return None
        by_first = self._by_first
        if t.norm not in by_first and (t.stem_start <= t.start or not any(
                f in by_first for f, _ in _forms(t.text, t.stem_start - t.start)[1:])):
            return None
        for first, cstart in first_forms(t):
            for k in self._by_first.get(first, ()):
                n = len(k)
                if i + n > end:
                    continue
                if all(tokens[i + m].norm == k[m] for m in range(1, n)):
                    return i, i + n, cstart, self._keys[k]
        return None


def first_forms(t: Token) -> list[tuple[str, int]]:
    """Normalised forms of a token that may open a name, with the character
    offset where each begins: the whole token, then without its proclitics
    (keeping the article ال, and restoring it under لل: "للعراق" -> العراق
    at the offset of ع)."""
    if t.stem_start <= t.start:
        return [(t.norm, t.start)]
    return [(f, t.start + r) for f, r in _forms(t.text, t.stem_start - t.start)]


@lru_cache(maxsize=100_000)
def _forms(text: str, i: int) -> tuple[tuple[str, int], ...]:
    rest = SEARCH.text(text[i:])
    prefix = SEARCH.text(text[:i])
    whole = (SEARCH.text(text), 0)
    if prefix.endswith(_AL):
        return whole, (_AL + rest, i - 2)
    if prefix.endswith("لل"):
        return whole, (_AL + rest, i)
    return whole, (rest, i)


def _fuzzy(g: Gazetteer, word: str) -> Entry | None:
    cache_ = g._fuzzy_cache
    if word not in cache_:
        if len(cache_) > 100_000:
            cache_.clear()
        cache_[word] = _fuzzy_search(g, word)
    k = cache_[word]
    return g._keys[(k,)] if k else None


def _fuzzy_search(g: Gazetteer, word: str) -> str | None:
    if (len(word) < FUZZY_MIN_LETTERS or (word,) in g._keys or word in g._demonyms
            or word in g._fuzzy_stop):
        return None
    found = None
    for cand, _, _ in process.extract(word, g._fuzzy_keys, scorer=Levenshtein.distance,
                                      score_cutoff=1, limit=None):
        if not 0 <= len(cand) - len(word) <= 1:
            continue
        ops = Levenshtein.editops(cand, word)  # how the name became the word
        if any(op.tag == "insert" or op.src_pos in (0, len(cand) - 1) for op in ops):
            continue
        if found is not None:
            return None  # ambiguous
        found = cand
    return found


def _load_data(stoplist: bool = True) -> tuple[list[tuple[Entry, list[str]]], list[tuple[str, Entry]], frozenset[str]]:
    stop = frozenset(SEARCH.text(w) for w in load_list("fuzzy_stoplist")) if stoplist and (DATA / "fuzzy_stoplist.txt").exists() else frozenset()
    entries: list[tuple[Entry, list[str]]] = []
    demonyms: list[tuple[str, Entry]] = []
    by_code: dict[str, Entry] = {}
    for row in load_table("countries"):
        variants = [v for v in [row["cldr"], *_split(row["variants"])] if v != row["canonical"]]
        e = Entry(row["canonical"], "LOC", "country", row["qid"] or None, row["canonical"],
                  tuple(dict.fromkeys(variants)), row["code"])
        by_code[row["code"]] = e
        entries.append((e, [e.canonical, *e.variants]))
        for adj in _split(row.get("adjectives", "")):
            demonyms += [(f, e) for f in _adjective_forms(adj)]
    if (DATA / "nationalities.tsv").exists():  # kept by the titles extractor
        for row in load_table("nationalities"):
            e = by_code.get(row.get("iso", ""))
            if e is None:
                continue
            for adj in _split(row.get("masc", "")):
                demonyms += [(f, e) for f in _adjective_forms(adj)]
            for pl in _split(row.get("plural", "")):
                demonyms += [(pl, e), (_AL + pl, e)] if not pl.startswith(_AL) else [(pl, e)]
    for name in ("places", "organizations"):
        for row in load_table(name):
            variants = tuple(_split(row["variants"]))
            e = Entry(row["canonical"], row["type"], row["kind"], row["qid"] or None,
                      row["country"] or None, variants)
            entries.append((e, [e.canonical, *variants]))
    return entries, demonyms, stop
