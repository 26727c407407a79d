"""Titles and roles: the phrase that introduces a person, bound to that person.

"وزير الخارجية الروسي سيرغي لافروف" gives the PER mention "سيرغي لافروف" its
title "وزير الخارجية الروسي" (offsets kept in ``title_start``/``title_end``)
and the role's country روسيا.  A title phrase is a head from ``titles.tsv``
("وزير الخارجية", "السفير", "المتحدثة باسم") extended over what Arabic news
hangs on it: modifiers (السابق), a nationality adjective (الروسي), a country
after a construct head (وزير خارجية روسيا), "لدى" + host (لدى بغداد), an
organisation (في وزارة الدفاع البريطانية, باسم الخارجية الروسية), then
honorifics before the name (السير).

The same phrase parser serves ``coref``: a phrase with no name after it is a
role mention ("الوزير الروسي") that refers back to a person.

These rules change ``doc.mentions``:

* bind: a PER mention right after a title phrase gets its title and country
  (also a name set off by commas: "وزيرة الداخلية البريطانية، أمبر رود،"); a
  possessive title ("وزير خارجيته") takes its possessor's country from the
  context (``possessor_country``);
* missed names: a title followed by two name-like words the model did not
  tag ("جمعة عناد") becomes a PER mention (``source="rule"``) -- or by one
  word that is a name part of a person already found in the article
  ("الرئيس صالح").  Name-like is guarded: no stop word (name_stops.txt),
  title word, nationality, gazetteer place, article-prefixed noun, attached
  pronoun or feminine plural;
* repaired model spans: two PER mentions separated only by white space (or
  a hashtag's # and _: "#إيمانويل_ماكرون") are merged; a name right after a
  title whose first letter the model read as a clitic ("الرئيس اليوناني
  بروكوبيس") gets it back; a PER mention that ran past the name is trimmed ("لافروف ومع");
  a titled name that lost its first name ("ألينا" + "رومانوسكي") or its
  family nisba ("محمد شياع" + "السوداني") gets it back.

The component requires only tokens and sentences: after the ``entities``
model it repairs and binds the model's mentions; without it, it still finds
the titled people by rule.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from functools import cache
from typing import Iterable, Sequence

from marsad.lang.ar import load_list, load_table
from marsad.lang.ar.gazetteer import Gazetteer, first_forms
from marsad.model import Doc, Mention, Token
from marsad.pipeline import component
from marsad.text.normalize import ORTHOGRAPHIC, SEARCH

_AL = "ال"
NAME_PARTICLES = frozenset(SEARCH.text(w) for w in ("بن", "ابن", "بنت", "أبو", "عبد", "آل"))
MAX_NAME_TOKENS = 3
MAX_EXTENSION_TOKENS = 8
# One-word title types that may stand between a title and the name as an
# honorific: "ولي العهد السعودي الأمير محمد بن سلمان", "... السير جون لوريمر".
HONORIFIC_TYPES = frozenset({"honorific", "prince", "princess", "sheikh", "general"})
LOCAL_TYPES = frozenset({"governor", "mayor"})  # titles completed by a city or province (محافظ كركوك)


@dataclass(frozen=True, slots=True)
class TitleEntry:
    """One row of titles.tsv: ``words`` SEARCH-normalised, the first without
    its article; ``definite`` when the data wrote the article (الرئيس), so
    the text must have it too."""

    phrase: str
    words: tuple[str, ...]
    type: str
    org: str | None
    bare: bool
    dual: bool
    definite: bool
    possessor: str = ""  # m | f: a possessive role (وزير خارجيته) whose country is its possessor's


@dataclass(frozen=True, slots=True)
class TitlePhrase:
    """A title phrase found over ``tokens[i:j]`` (``start``/``end`` are
    character offsets, the conjunction of the first token left out);
    ``name_at`` is the token index where the name would begin (after any
    honorifics)."""

    i: int
    j: int
    start: int
    end: int
    entry: TitleEntry
    country: str | None
    definite: bool
    name_at: int
    complete: bool = True  # False for a construct still waiting for its complement (وزير، سفير)

    @property
    def is_honorific(self) -> bool:
        return self.entry.type == "honorific"


def is_definite(tok: Token) -> bool:
    """Does the token carry the article?  Read on the surface, where the
    article is always a bare alef (ال), so that ألينا or إلياس are not
    definite although their folded forms begin with ال."""
    s = ORTHOGRAPHIC.text(tok.text)
    if s[:1] in ("و", "ف", "ب", "ك") and s[1:3] in ("ال", "لل"):
        s = s[1:]
    return s.startswith("ال") or (s.startswith("لل") and len(s) > 3)


def _strip_al(w: str) -> tuple[str, bool]:
    return (w[2:], True) if w.startswith(_AL) and len(w) > 3 else (w, False)


class Lexicon:
    """titles.tsv, name_stops.txt and the gazetteer, indexed for matching."""

    def __init__(self, gazetteer: Gazetteer | None = None):
        self.gazetteer = gazetteer or Gazetteer.default()
        self.titles: dict[str, list[TitleEntry]] = {}
        self.modifiers: set[str] = set()
        self.links: set[str] = set()
        self.org_heads: dict[str, list[tuple[str, ...]]] = {}
        self.title_words: set[str] = set()
        for row in load_table("titles"):
            words = tuple(SEARCH.text(row["phrase"]).split())
            if not words:
                continue
            kind = row["type"]
            if kind == "modifier":
                self.modifiers.add(words[0])
            elif kind == "link":
                self.links.add(words[0])
            elif kind == "org_head":
                self.org_heads.setdefault(words[0], []).append(words)
            else:
                first, definite = _strip_al(words[0])
                e = TitleEntry(row["phrase"], (first, *words[1:]), kind, row["org"] or None,
                               row["bare"] == "yes", row["number"] == "du", definite,
                               row.get("possessor", ""))
                self.titles.setdefault(first, []).append(e)
                self.title_words.add(first)
                self.title_words.add(_AL + first)
        for v in self.titles.values():
            v.sort(key=lambda e: -len(e.words))
        for v in self.org_heads.values():
            v.sort(key=len, reverse=True)
        stops = set(load_list("name_stops"))
        try:
            stops |= set(load_list("stopwords"))
        except FileNotFoundError:  # the story linker's list, optional here
            pass
        self.stops = frozenset(SEARCH.text(s) for s in stops)

    @classmethod
    @cache
    def default(cls) -> "Lexicon":
        return cls()

    # -- word classes ----------------------------------------------------------
    def demonym(self, norm: str) -> str | None:
        e = self.gazetteer.demonym(norm)
        return e.canonical if e is not None else None

    def is_stop(self, norm: str) -> bool:
        return norm in self.stops or (norm[:1] in "وف" and norm[1:] in self.stops)

    def is_place(self, tok: Token) -> bool:
        g = self.gazetteer
        return any(g.lookup(f) is not None for f, _ in first_forms(tok))

    # -- title phrases -----------------------------------------------------------
    def match_entry(self, tokens: Sequence[Token], i: int) -> tuple[TitleEntry, int, bool, int] | None:
        """Longest title entry at token i: (entry, end token, definite, char start)."""
        t = tokens[i]
        if t.kind != "word":
            return None
        for form, cstart in first_forms(t):
            bare, definite = _strip_al(form)
            for e in self.titles.get(bare, ()):
                if e.definite and not definite:
                    continue
                n = len(e.words)
                if i + n > len(tokens):
                    continue
                if all(tokens[i + m].norm == e.words[m] for m in range(1, n)):
                    return e, i + n, definite, cstart
        return None

    def _org_chunk(self, tokens: Sequence[Token], k: int, loose: bool) -> tuple[int, str | None]:
        """An organisation after a title ("وزارة الدفاع البريطانية"): its end
        token and the country of its nationality adjective.  ``loose``
        (after باسم) also takes definite nouns with no head word."""
        n = len(tokens)
        start = k
        if k < n:
            for words in self.org_heads.get(tokens[k].norm, ()):
                if all(k + m < n and tokens[k + m].norm == words[m] for m in range(len(words))):
                    k += len(words)
                    break
        if k == start and not loose:
            return start, None
        taken = 0
        while k < n and taken < 2 and tokens[k].kind == "word":
            w = tokens[k].norm
            if not w.startswith(_AL) or self.demonym(w) or self.is_stop(w) or w in self.modifiers:
                break
            k += 1
            taken += 1
        if k == start:
            return start, None
        country = None
        if k < n and (c := self.demonym(tokens[k].norm)):
            country, k = c, k + 1
        return k, country

    def parse(self, tokens: Sequence[Token], i: int) -> TitlePhrase | None:
        """The title phrase starting at token i, or None."""
        m = self.match_entry(tokens, i)
        if m is None:
            return None
        entry, k, definite, cstart = m
        country: str | None = None
        n = len(tokens)
        last_definite = definite if len(entry.words) == 1 else tokens[k - 1].norm.startswith(_AL)
        org_done = False
        for _ in range(MAX_EXTENSION_TOKENS):
            if k >= n or tokens[k].kind != "word":
                break
            w = tokens[k].norm
            if w in self.modifiers:
                k += 1
                continue
            if (k == i + len(entry.words) and len(entry.words) > 1 and last_definite
                    and w.startswith("وال") and not self.demonym(w[1:]) and w[1:] not in self.title_words):
                k += 1  # a compound portfolio: وزير الثقافة والإعلام
                continue
            if country is None and (c := self.demonym(w)):
                country, k = c, k + 1
                continue
            if entry.words[-1] == SEARCH.text("باسم") and not org_done:
                k2, c = self._org_chunk(tokens, k, loose=True)
                if k2 > k:
                    k, org_done, country = k2, True, country or c
                    continue
            if w == "لدي" and k + 1 < n:  # لدى, SEARCH-folded
                hits = self.gazetteer.match(tokens, k + 1, min(n, k + 4))
                if hits and hits[0][0] == k + 1:
                    k = hits[0][1]
                    continue
                break
            if w in self.links and k + 1 < n and not org_done:  # في + organisation
                k2, c = self._org_chunk(tokens, k + 1, loose=False)
                if k2 > k + 1:
                    k, org_done, country = k2, True, country or c
                    continue
                break
            if not org_done and tokens[k].stem_start > tokens[k].start and w.startswith("ل"):
                hits = self.gazetteer.match(tokens, k, min(n, k + 5))  # للأمم المتحدة
                if hits and hits[0][0] == k and hits[0][3].type == "ORG":
                    k, org_done = hits[0][1], True
                    continue
            if not org_done and not last_definite:
                k2, c = self._org_chunk(tokens, k, loose=False)
                if k2 > k:
                    k, org_done, country = k2, True, country or c
                    continue
                if country is None:  # construct: وزير خارجية روسيا
                    hits = self.gazetteer.match(tokens, k, min(n, k + 3))
                    if hits and hits[0][0] == k and hits[0][3].kind == "country":
                        country, k = hits[0][3].canonical, hits[0][1]
                        continue
                    if hits and hits[0][0] == k and entry.type in LOCAL_TYPES and hits[0][3].type == "LOC":
                        k = hits[0][1]  # "محافظ كركوك": a local office, its place is no country
                        org_done = True
                        continue
            break
        j = k
        complete = (last_definite or j > i + len(entry.words) or bool(entry.possessor)
                    or entry.type in ("counterpart", "honorific"))
        while k < n and tokens[k].text == "#" and k + 1 < n and tokens[k + 1].start == tokens[k].end:
            k += 1  # "الرئيس الفرنسي #إيمانويل_ماكرون": the name as a hashtag
        while k < n:  # honorifics between title and name: السير، الدكتور
            h = self.match_entry(tokens, k)
            if h is None or h[0].type not in HONORIFIC_TYPES or len(h[0].words) > 1 or h[0] is entry:
                break
            k = h[1]
        return TitlePhrase(i, j, cstart, tokens[j - 1].end, entry, country, definite, k, complete)

    # -- names -------------------------------------------------------------------
    def name_like(self, tok: Token, position: int) -> bool:
        """Could ``tok`` be word ``position`` (0-based) of a person's name?"""
        if tok.kind != "word":
            return False
        w = tok.norm
        if len(w) < 2 or self.is_stop(w) or w in self.title_words or w in self.modifiers:
            return False
        if self.demonym(w) or self.is_place(tok) or w in self.org_heads:
            return False
        if "\u064b" in tok.text:
            return False  # tanween fatha: an adverb or indefinite noun (مؤقتاً)
        surface = ORTHOGRAPHIC.text(tok.text)
        if surface.endswith("ه") or surface.endswith("ات"):
            return False  # an attached pronoun or a feminine plural: not a name
        if is_definite(tok):
            # only a nisba family name after a first name: الكاظمي
            return position > 0 and surface.startswith("ال") and w.endswith("ي")
        prefix = SEARCH.text(tok.prefix)
        if prefix and not prefix.endswith(_AL):  # أل of ألينا is no article
            # و ف ب ل ك are often the first letter of a name (فيصل، لوريمر), but
            # not of a stem that looks like a common noun (لحركة، لشؤون), nor
            # a preposition inside a name (مرسوما بتاريخ)
            if position > 0 and prefix != "ل":
                return False
            stem = SEARCH.text(tok.stem)
            if stem.endswith(("ه", "ات", "ين", "ون")) or self.is_stop(stem):
                return False
        if position > 0 and surface.endswith("ة"):
            return False
        return True

    def name_run(self, tokens: Sequence[Token], k: int) -> int:
        """How many tokens from k look like a person's name (0-3)."""
        n = 0
        while k + n < len(tokens) and n < MAX_NAME_TOKENS:
            t = tokens[k + n]
            prev_particle = n > 0 and tokens[k + n - 1].norm in NAME_PARTICLES
            if t.norm in NAME_PARTICLES and n < MAX_NAME_TOKENS - 1:
                n += 1
                continue
            if not (self.name_like(t, n) or (prev_particle and t.kind == "word")):
                break
            if n == 2 and not (prev_particle or t.norm.startswith(_AL)):
                break  # a third word only after بن/عبد or as a nisba: الكاظمي
            n += 1
        while n and tokens[k + n - 1].norm in NAME_PARTICLES:
            n -= 1
        return n


def _merge_split(mentions: list[Mention], text: str) -> list[Mention]:
    """Join PER mentions that only white space separates ("سيرغي" "لافروف"),
    or a hashtag's marks ("#إيمانويل_ماكرون"، "مايك #بومبيو")."""
    out: list[Mention] = []
    for m in sorted(mentions, key=lambda m: (m.start, -m.end)):
        prev = out[-1] if out else None
        if (prev is not None and prev.type == "PER" and m.type == "PER" and prev.end <= m.start
                and not text[prev.end:m.start].strip(" \t#_") and "\n" not in text[prev.end:m.start]
                and len(text[prev.start:m.end].split()) <= 4):
            out[-1] = prev.replace(end=m.end, text=text[prev.start:m.end], score=min(prev.score, m.score))
            continue
        out.append(m)
    return out


def _repair_overreach(mentions: list[Mention], tokens: Sequence[Token], text: str,
                      lex: Lexicon) -> list[Mention]:
    """Trim PER mentions the model ran past the name: trailing stop words
    ("لافروف ومع"), and a known surname followed by words never seen in a
    name of this article ("لافروف سيناقشان" after "سيرغي لافروف"); give back
    a surname's first letter the model took for a clitic ("بايدن")."""
    full = [SEARCH.text(m.text).split() for m in mentions if m.type == "PER"]
    surnames = {w[-1] for w in full if len(w) >= 2}
    seen_parts = Counter(p for w in full for p in w)
    out = []
    for m in mentions:
        if m.type != "PER":
            out.append(m)
            continue
        toks = [tokens[x] for x in token_range(tokens, m.start, m.end)]
        if toks and toks[0].start < m.start and toks[0].norm in surnames:
            # the model read a name's first letter as a clitic: "ب" + "ايدن"
            m = m.replace(start=toks[0].start, text=text[toks[0].start:m.end])
        keep = len(toks)
        while keep > 1 and (lex.is_stop(toks[keep - 1].norm)
                            or (_verb_with_object(toks[keep - 1]) and seen_parts[toks[keep - 1].norm] <= 1)):
            keep -= 1
        words = SEARCH.text(m.text).split()
        if (keep >= 2 and len(words) == len(toks) and words[0] in surnames
                and all(seen_parts[w] <= 1 for w in words[1:keep])):
            keep = 1
        if 0 < keep < len(toks):
            e = toks[keep - 1].end
            m = m.replace(end=e, text=text[m.start:e])
        out.append(m)
    return out


def _verb_with_object(tok: Token) -> bool:
    """A feminine past verb (or noun) with an attached pronoun — "تابعته"،
    "نقلتها" — as in "فؤاد حسين تابعته ايلاف": never the end of a name."""
    return tok.kind == "word" and bool(tok.suffix) and tok.stem.endswith("ت")


def token_range(tokens: Sequence[Token], start: int, end: int) -> range:
    """Indices of the tokens that overlap the character span [start, end)."""
    lo, hi = 0, len(tokens)
    while lo < hi:  # first token ending after start
        mid = (lo + hi) // 2
        if tokens[mid].end <= start:
            lo = mid + 1
        else:
            hi = mid
    j = lo
    while j < len(tokens) and tokens[j].start < end:
        j += 1
    return range(lo, j)


def covered_tokens(tokens: Sequence[Token], spans: Iterable[tuple[int, int]]) -> set[int]:
    """The token indices any of ``spans`` touches: O(1) overlap tests."""
    out: set[int] = set()
    for s, e in spans:
        if 0 <= s < e:
            out.update(token_range(tokens, s, e))
    return out


POSSESSOR_WINDOW = 60  # tokens looked back for the possessor of "وزير خارجيته"


def possessor_country(tokens: Sequence[Token], mentions: Sequence[Mention], i: int, gender: str,
                      lex: Lexicon) -> str | None:
    """The country of the possessor of a possessive role at token ``i``:
    for "his" (``m``) the latest person before it whose title gave a
    country ("الرئيس المصري ... وزير خارجيته" -> مصر), else, and first for
    "its/her" (``f``), the latest country named or implied by a nationality
    adjective ("الحكومة الأردنية ... رئيس وزرائها" -> الأردن)."""
    if i <= 0:
        return None
    lo = max(0, i - POSSESSOR_WINDOW)
    pos, floor = tokens[i].start, tokens[lo].start
    if gender == "m":
        for m in sorted(mentions, key=lambda m: -m.end):
            if m.end > pos:
                continue
            if m.end < floor:
                break
            if m.type == "PER" and m.country and m.kind != "pronoun":
                return m.country
    g = lex.gazetteer
    found: list[str] = []  # countries named or implied, nearest first
    for k in range(i - 1, lo - 1, -1):
        t = tokens[k]
        if t.kind != "word":
            continue
        c = lex.demonym(t.norm)
        if c:
            found.append(c)
            continue
        for form, _ in first_forms(t):
            e = g.lookup(form)
            if e is not None and e.kind == "country":
                found.append(e.canonical)
                break
    if gender == "m":  # "أجرى العراق مباحثات مع بريطانيا ... وزير خارجيته": العراق
        masc = masculine_countries()
        return next((c for c in found if c in masc), found[0] if found else None)
    return found[0] if found else None


@cache
def masculine_countries() -> frozenset[str]:
    return frozenset(load_list("masculine_countries"))


def _name_parts(mentions: Sequence[Mention]) -> set[str]:
    parts: set[str] = set()
    for m in mentions:
        words = SEARCH.text(m.text).split()
        if m.type == "PER" and len(words) >= 2:
            parts.update(words)
    return parts


def bind_titles(doc: Doc, lexicon: Lexicon | None = None) -> None:
    """The ``titles`` rules over ``doc`` (see module docstring)."""
    lex = lexicon or Lexicon.default()
    tokens = doc.tokens
    mentions = _merge_split(list(doc.mentions), doc.text)
    mentions = _repair_overreach(mentions, tokens, doc.text, lex)
    by_start = {m.start: idx for idx, m in enumerate(mentions)}
    covered = covered_tokens(tokens, ((m.start, m.end) for m in mentions))
    parts = _name_parts(mentions)
    inside = {}  # token index -> PER mention starting after a one-letter clitic of that token
    for idx, m in enumerate(mentions):
        r = token_range(tokens, m.start, m.start + 1)
        if m.type == "PER" and r and tokens[r.start].start < m.start and m.start - tokens[r.start].start == 1:
            inside[r.start] = idx

    i = 0
    while i < len(tokens):
        ph = lex.parse(tokens, i) if i not in covered else None
        if ph is None or ph.entry.dual or not ph.complete:
            i += 1 if ph is None else ph.j - ph.i
            continue
        if ph.entry.possessor and ph.country is None:
            ph = replace(ph, country=possessor_country(tokens, mentions, i, ph.entry.possessor, lex))
        hit = next((by_start[tokens[x].start] for x in range(ph.j, min(ph.name_at + 1, len(tokens)))
                    if tokens[x].start in by_start), None)
        k = ph.name_at
        if hit is None and k < len(tokens) and k in inside:
            # "الرئيس اليوناني بروكوبيس": the model read the name's first letter as a clitic
            hit = inside.pop(k)
            old = mentions[hit]
            mentions[hit] = old.replace(start=tokens[k].start, text=doc.text[tokens[k].start:old.end])
            by_start[tokens[k].start] = hit
        if hit is None and _comma(tokens, k) and k + 1 < len(tokens):
            # "وزيرة الداخلية البريطانية، أمبر رود،": the name between commas
            n = lex.name_run(tokens, k + 1)
            end = k + 1 + n
            if tokens[k + 1].start in by_start and mentions[by_start[tokens[k + 1].start]].type == "PER":
                m = mentions[by_start[tokens[k + 1].start]]
                end = _token_at_end(tokens, m.end) + 1
                if end < len(tokens) and _comma(tokens, end) and m.title is None:
                    mentions[by_start[tokens[k + 1].start]] = _with_title(m, ph, doc.text)
                    i = end
                    continue
            elif n >= 2 and end < len(tokens) and _comma(tokens, end) and not any(
                    x in covered for x in range(k + 1, end)):
                s_, e_ = tokens[k + 1].start, tokens[end - 1].end
                m = _with_title(Mention(s_, e_, doc.text[s_:e_], "PER", source="rule", score=0.85), ph, doc.text)
                mentions.append(m)
                by_start[s_] = len(mentions) - 1
                covered.update(range(k + 1, end))
                parts.update(SEARCH.text(m.text).split())
                i = end
                continue
        if (hit is None and k + 1 < len(tokens) and k not in covered and tokens[k + 1].start in by_start
                and mentions[by_start[tokens[k + 1].start]].type == "PER" and lex.name_like(tokens[k], 0)
                and not doc.text[tokens[k].end:tokens[k + 1].start].strip()):
            # the model left out the first name: "ألينا" + "رومانوسكي"
            hit = by_start[tokens[k + 1].start]
            old = mentions[hit]
            mentions[hit] = old.replace(start=tokens[k].start, text=doc.text[tokens[k].start:old.end])
            by_start[tokens[k].start] = hit
            covered.add(k)
        if hit is not None and mentions[hit].type == "PER":
            m = mentions[hit]
            if m.title is None:
                m = mentions[hit] = _extend_nisba(_with_title(m, ph, doc.text), tokens, covered, lex, doc.text)
            i = ph.name_at + 1
            continue
        n = lex.name_run(tokens, k) if hit is None else 0
        if n == 1 and tokens[k].norm not in parts:
            n = 0
        if n:
            s, e = tokens[k].start, tokens[k + n - 1].end
            if not any(x in covered for x in range(k, k + n)):
                m = _with_title(Mention(s, e, doc.text[s:e], "PER", source="rule", score=0.9), ph, doc.text)
                covered.update(range(k, k + n))
                m = _extend_nisba(m, tokens, covered, lex, doc.text)
                mentions.append(m)
                by_start[s] = len(mentions) - 1
                parts.update(SEARCH.text(m.text).split() if n >= 2 else ())
                i = k + n
                continue
        i = ph.j
    doc.mentions = sorted(mentions, key=lambda m: (m.start, m.end))


def _comma(tokens: Sequence[Token], k: int) -> bool:
    return 0 <= k < len(tokens) and tokens[k].kind == "punct" and tokens[k].text in ("،", ",")


def _token_at_end(tokens: Sequence[Token], end: int) -> int:
    """Index of the token that ends at or contains offset ``end - 1``."""
    r = token_range(tokens, end - 1, end)
    return r.start if r else len(tokens) - 1


def _extend_nisba(m: Mention, tokens: Sequence[Token], covered: set[int], lex: Lexicon, text: str) -> Mention:
    """A titled name the model cut before its family nisba: "محمد شياع" +
    "السوداني".  The nisba may look like a nationality; it is taken only when
    that nationality is not the title's own country (which the title said)."""
    r = token_range(tokens, m.start, m.end)
    k = r.stop
    if not r or k >= len(tokens) or k in covered or len(r) > 2:
        return m
    t = tokens[k]
    if t.start - m.end > 1 or not is_definite(t) or not t.norm.endswith("ي") or "\n" in text[m.end:t.start]:
        return m
    if lex.is_stop(t.norm) or t.norm in lex.modifiers or t.norm in lex.title_words:
        return m
    nationality = lex.demonym(t.norm)
    if nationality is not None and (m.country is None or nationality == m.country):
        return m
    covered.add(k)
    return m.replace(end=t.end, text=text[m.start:t.end])


def _with_title(m: Mention, ph: TitlePhrase, text: str) -> Mention:
    if ph.is_honorific:
        return m
    return m.replace(title=text[ph.start:ph.end], title_start=ph.start, title_end=ph.end,
                     country=ph.country or m.country)


@component("titles", requires=("tokens", "sentences"), assigns=("mentions",))
def make_titles():
    """Title phrases bound to the person they introduce; missed names after a title."""
    lex = Lexicon.default()

    def run(doc: Doc) -> None:
        bind_titles(doc, lex)

    return run
