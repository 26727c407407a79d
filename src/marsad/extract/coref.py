"""In-article coreference for people: short forms and role mentions bound to
the full name they stand for.

After "وزير الخارجية الروسي سيرغي لافروف", the article says "لافروف" (a short
form: the last name part of a full name met in the article), "الوزير الروسي"
and "نظيره الروسي" (role mentions: a title phrase with no name after it).
Each becomes a ``Mention`` of ``kind="short"`` or ``"role"`` whose
``antecedent`` is the index of the full-name mention it refers to; all
mentions of one in-article person share one ``canonical`` (the longest full
name).

Why rules and not a model: the seeds and news copy in general introduce a
person once with a full name and a title and then use exactly these two
devices; a rule that checks name parts, the title family and the role's
country is precise, and what it cannot decide it leaves alone.

Role resolution: among the persons whose titles (in this article) share the
role's family (minister, ambassador ...) and country, the most often
mentioned so far wins, then the most recent.  A person introduced as
"نظيره العراقي فؤاد حسين" (his counterpart) takes the title family of the
person titled just before (وزير الخارجية), and a later role "نظيره العراقي"
prefers the person so introduced.  A role with no candidate before it may point
forward to the first matching person after it (headlines).  A role with a
portfolio ("وزيرة الداخلية") never binds a person titled with another one.

A form of address before a surname met in the article ("سيد ظريف") is that
person's short form, not a new person; hashtag marks in a name are spaces.

Possessive roles ("وزير خارجيته"، "رئيس وزرائها") take the country of their
possessor from the context before them (``titles.possessor_country``).
A model mention of another type whose text is a person's surname in the
article ("ميركل" typed ORG) becomes that person's short form.  Definite
organisation heads of ``org_roles.tsv`` ("وقالت الوزارة") become ORG role
mentions bound to the latest organisation with that head.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Sequence

from marsad.lang.ar.gazetteer import first_forms
from marsad.model import Doc, Mention, Token
from marsad.pipeline import component
from marsad.text.normalize import ORTHOGRAPHIC, SEARCH
from marsad.extract.titles import Lexicon, TitlePhrase, covered_tokens, possessor_country

ORG_ROLE_CHARS = 3000  # how far back "الوزارة" looks for its ministry
MIN_SHORT_LETTERS = 3  # a short form the model proposed (ماي)
MIN_SCANNED_LETTERS = 4
MAX_ROLE_CANDIDATES = 50  # recent persons a role mention is weighed against  # a short form found by scanning tokens (صالح، حسين)


@dataclass
class _Rec:
    """A mention being resolved: its group (in-article person) and antecedent."""

    m: Mention
    group: int = -1
    ante: "_Rec | None" = None


@dataclass
class _Group:
    words: tuple[str, ...]
    full: list[_Rec] = field(default_factory=list)
    types: set[str] = field(default_factory=set)
    countries: set[str] = field(default_factory=set)
    starts: list[int] = field(default_factory=list)  # of ``full``, ascending
    mentioned: list[int] = field(default_factory=list)  # starts of every mention so far, ascending
    counterpart: bool = False  # introduced as someone's counterpart (نظيره العراقي فؤاد حسين)
    portfolios: set[str] = field(default_factory=set)  # organisations of the titles (وزارة الخارجية)

    @property
    def canonical(self) -> str:
        best = max(self.full, key=lambda r: (len(r.m.text.split()), len(r.m.text)))
        return " ".join(ORTHOGRAPHIC.text(best.m.text).translate(_HASHTAG).split())


_ADDRESS = frozenset(SEARCH.text(w) for w in ("سيد", "السيد", "سيدة", "السيدة"))  # forms of address before a surname
_HASHTAG = str.maketrans({"#": " ", "_": " "})  # "#إيمانويل_ماكرون": a name written as a hashtag


def _words(text: str) -> tuple[str, ...]:
    return tuple(SEARCH.text(text).translate(_HASHTAG).split())


def _same_person(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Full names of one person: equal, or one extends the other keeping the
    first and last parts (سيرغي لافروف ~ سيرغي فيكتوروفيتش لافروف)."""
    if a == b:
        return True
    if len(a) < 2 or len(b) < 2 or a[0] != b[0] or a[-1] != b[-1]:
        return False
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    it = iter(long_)
    return all(w in it for w in short)


def _token_at(tokens: Sequence[Token], offset: int) -> int:
    lo, hi = 0, len(tokens)
    while lo < hi:
        mid = (lo + hi) // 2
        if tokens[mid].end <= offset:
            lo = mid + 1
        else:
            hi = mid
    return lo


@cache
def org_role_heads() -> dict[str, tuple[str, ...]]:
    """org_roles.tsv: SEARCH form of the definite role word -> head words."""
    from marsad.lang.ar import load_table

    return {SEARCH.text(r["role"]): tuple(SEARCH.text(h) for h in r["heads"].split("|"))
            for r in load_table("org_roles")}


class Coref:
    def __init__(self, lexicon: Lexicon | None = None):
        self.lex = lexicon or Lexicon.default()

    def __call__(self, doc: Doc) -> None:
        tokens = doc.tokens
        recs = [_Rec(m) for m in sorted(doc.mentions, key=lambda m: (m.start, m.end))]
        groups: list[_Group] = []
        self._group_full_names(recs, groups, tokens)
        self._resolve_single_names(recs, groups)
        recs += self._scan_short_forms(doc, recs, groups)
        recs += self._scan_roles(doc, recs, groups)
        recs += self._scan_org_roles(doc, recs)
        doc.mentions = self._finish(recs, groups)

    # -- full names ------------------------------------------------------------
    def _title_type(self, tokens: Sequence[Token], m: Mention) -> str | None:
        ph = self._title_phrase(tokens, m)
        return ph.entry.type if ph is not None else None

    def _title_phrase(self, tokens: Sequence[Token], m: Mention) -> TitlePhrase | None:
        if m.title_start < 0 or not tokens:
            return None
        i = _token_at(tokens, m.title_start)
        return self.lex.parse(tokens, i) if i < len(tokens) else None

    def _group_full_names(self, recs: list[_Rec], groups: list[_Group], tokens: Sequence[Token]) -> None:
        last_titled: str | None = None  # family of the last non-counterpart title met
        by_first: dict[str, list[int]] = {}  # first name part -> groups
        for r in recs:
            m = r.m
            if m.type != "PER" or m.kind != "name":
                continue
            tph = self._title_phrase(tokens, m)
            ttype = tph.entry.type if tph is not None else None
            words = _words(m.text)
            if len(words) < 2:
                continue
            if len(words) == 2 and words[0] in _ADDRESS and any(g.words[-1] == words[1] for g in groups):
                continue  # "سيد ظريف، هل ...": a vocative of someone named before, not a new person
            g = next((gi for gi in by_first.get(words[0], ()) if _same_person(groups[gi].words, words)), None)
            if g is None:
                groups.append(_Group(words))
                g = len(groups) - 1
                by_first.setdefault(words[0], []).append(g)
            grp = groups[g]
            if len(words) > len(grp.words):
                grp.words = words
            grp.full.append(r)
            grp.starts.append(m.start)
            r.group = g
            if ttype == "counterpart":
                grp.counterpart = True
                if last_titled:
                    grp.types.add(last_titled)
            elif ttype and ttype != "honorific":
                grp.types.add(ttype)
                last_titled = ttype
                if tph.entry.org:
                    grp.portfolios.add(tph.entry.org)
            if m.country:
                grp.countries.add(m.country)

    def _parts(self, groups: list[_Group], *, first: bool) -> dict[str, list[int]]:
        out: dict[str, list[int]] = {}
        for gi, g in enumerate(groups):
            cands = [g.words[-1]] + ([g.words[0]] if first else [])
            for p in cands:
                if len(p) >= MIN_SHORT_LETTERS and not self.lex.is_stop(p):
                    out.setdefault(p, []).append(gi)
        return out

    @staticmethod
    def _pick(groups: list[_Group], cands: list[int], start: int) -> int | None:
        """The group whose full name came last before ``start``, else the
        first one after it."""
        best_before, best_after = None, None
        for g in cands:
            starts = groups[g].starts
            k = bisect.bisect_left(starts, start)
            if k:
                if best_before is None or starts[k - 1] > best_before[0]:
                    best_before = (starts[k - 1], g)
            elif starts and (best_after is None or starts[0] < best_after[0]):
                best_after = (starts[0], g)
        best = best_before or best_after
        return best[1] if best else None

    @staticmethod
    def _antecedent(group: _Group, start: int) -> _Rec:
        k = bisect.bisect_left(group.starts, start)
        return group.full[k - 1] if k else group.full[0]

    def _resolve_single_names(self, recs: list[_Rec], groups: list[_Group]) -> None:
        parts = self._parts(groups, first=True)
        for r in recs:
            m = r.m
            # a one-word model mention typed ORG/LOC/MISC that is a person's
            # surname in this article ("ميركل" after "أنغيلا ميركل") is that person
            retype = m.type != "PER" and m.source == "model" and m.canonical is None
            if (m.type != "PER" and not retype) or m.kind != "name" or r.group >= 0:
                continue
            words = _words(m.text)
            if len(words) == 2 and words[0] in _ADDRESS:
                words = words[1:]  # "سيد ظريف"
            if len(words) == 1 and words[0] not in parts and "ال" + words[0] in parts:
                words = ("ال" + words[0],)  # "للعبادي": the model's span lost the article under لل
            if len(words) != 1 or words[0] not in parts:
                continue
            g = self._pick(groups, parts[words[0]], m.start)
            if g is None:
                continue
            r.group = g
            r.ante = self._antecedent(groups[g], m.start)
            r.m = m.replace(kind="short", type="PER")

    # -- short forms the model missed -------------------------------------------
    def _scan_short_forms(self, doc: Doc, recs: list[_Rec], groups: list[_Group]) -> list[_Rec]:
        if not groups:
            return []
        parts = {p: g for p, g in self._parts(groups, first=False).items() if len(p) >= MIN_SCANNED_LETTERS}
        busy = covered_tokens(doc.tokens, [(r.m.start, r.m.end) for r in recs]
                              + [(r.m.title_start, r.m.title_end) for r in recs])
        out: list[_Rec] = []
        for ti, t in enumerate(doc.tokens):
            if t.kind != "word" or ti in busy:
                continue
            for form, cstart in first_forms(t):
                if form not in parts:
                    continue
                g = self._pick(groups, parts[form], cstart)
                if g is None:
                    break
                m = Mention(cstart, t.end, doc.text[cstart:t.end], "PER", kind="short",
                            source="coref", score=0.8, country=None)
                out.append(_Rec(m, g, self._antecedent(groups[g], cstart)))
                break
        return out

    # -- role mentions -------------------------------------------------------------
    def _is_role(self, ph: TitlePhrase) -> bool:
        e = ph.entry
        if e.dual or e.type in ("honorific",) or not ph.complete:
            return False
        if e.type == "counterpart":
            return ph.country is not None
        return ph.country is not None or (ph.definite and e.bare)

    def _scan_roles(self, doc: Doc, recs: list[_Rec], groups: list[_Group]) -> list[_Rec]:
        if not groups:
            return []
        tokens = doc.tokens
        busy = covered_tokens(tokens, [(r.m.start, r.m.end) for r in recs if r.m.type == "PER"]
                              + [(r.m.title_start, r.m.title_end) for r in recs])
        for r in recs:
            if r.group >= 0:
                groups[r.group].mentioned.append(r.m.start)
        for g in groups:
            g.mentioned.sort()
        index = self._index(groups)
        out: list[_Rec] = []
        i = 0
        while i < len(tokens):
            if i in busy:
                i += 1
                continue
            ph = self.lex.parse(tokens, i)
            if ph is not None and ph.entry.possessor and ph.country is None:
                ph = replace(ph, country=possessor_country(tokens, [r.m for r in recs], i, ph.entry.possessor,
                                                           self.lex))
            if ph is None or not self._is_role(ph):
                i += 1 if ph is None else ph.j - ph.i
                continue
            if any(x in busy for x in range(ph.i, ph.j)):
                i += 1
                continue
            g = self._resolve_role(ph, groups, index)
            if g is not None:
                s, e = ph.start, ph.end
                m = Mention(s, e, doc.text[s:e], "PER", kind="role", source="coref", score=0.7,
                            title=doc.text[s:e], title_start=s, title_end=e, country=ph.country)
                out.append(_Rec(m, g, self._antecedent(groups[g], s)))
                bisect.insort(groups[g].mentioned, s)
            i = ph.j
        return out

    @staticmethod
    def _index(groups: list[_Group]) -> dict[str, list[int]]:
        """Groups by title family ("t:minister") and by country ("c:روسيا")."""
        index: dict[str, list[int]] = {}
        for gi, g in enumerate(groups):
            for t in g.types:
                index.setdefault("t:" + t, []).append(gi)
            for c in g.countries:
                index.setdefault("c:" + c, []).append(gi)
        return index

    def _resolve_role(self, ph: TitlePhrase, groups: list[_Group], index: dict[str, list[int]]) -> int | None:
        rtype = ph.entry.type
        if rtype == "counterpart":
            pool = index.get("c:" + ph.country, []) if ph.country else []
        else:
            pool = index.get("t:" + rtype, [])
        # the index lists groups in order of first mention: look at the most
        # recent few before the role and the first few after it (bounded work
        # on a run-on text with thousands of people)
        k = bisect.bisect_left(pool, ph.start, key=lambda gi: groups[gi].starts[0])
        window = pool[max(0, k - MAX_ROLE_CANDIDATES):k + MAX_ROLE_CANDIDATES]
        cands = [gi for gi in window if ph.country is None or ph.country in groups[gi].countries]
        if ph.entry.org:  # "وزيرة الداخلية" is not the foreign minister
            cands = [gi for gi in cands if not groups[gi].portfolios or ph.entry.org in groups[gi].portfolios]
        if rtype == "counterpart":  # the person introduced as the counterpart, if any
            cands = [gi for gi in cands if groups[gi].counterpart] or cands
        if not cands:
            return None
        scores = []
        for gi in cands:
            seen = groups[gi].mentioned
            k = bisect.bisect_left(seen, ph.start)
            scores.append((k, seen[k - 1] if k else -1, gi))
        best = max(scores)
        if best[0] > 0:
            return best[2]
        return min(cands, key=lambda gi: groups[gi].starts[0])

    # -- organisation roles ----------------------------------------------------------
    def _scan_org_roles(self, doc: Doc, recs: list[_Rec]) -> list[_Rec]:
        """"وقالت الوزارة" after "وزارة الخارجية الروسية": a definite head noun
        of ``org_roles.tsv`` standing alone (no nationality adjective or name
        after it) becomes an ORG role mention whose antecedent is the latest
        organisation before it with that head (within ``ORG_ROLE_CHARS``)."""
        heads = org_role_heads()
        orgs = sorted((r for r in recs if r.m.type in ("ORG", "LOC") and r.m.kind == "name"),
                      key=lambda r: r.m.start)
        if not orgs:
            return []
        by_head: dict[str, list[_Rec]] = {}
        for r in orgs:
            w = _words(r.m.text)
            if w:
                first = w[0][2:] if w[0].startswith("ال") and len(w[0]) > 4 else w[0]
                by_head.setdefault(first, []).append(r)
        tokens = doc.tokens
        busy = covered_tokens(tokens, [(r.m.start, r.m.end) for r in recs]
                              + [(r.m.title_start, r.m.title_end) for r in recs])
        out: list[_Rec] = []
        for ti, t in enumerate(tokens):
            if t.kind != "word" or ti in busy:
                continue
            form, cstart = first_forms(t)[-1]
            want = heads.get(form)
            if want is None:
                continue
            nxt = tokens[ti + 1] if ti + 1 < len(tokens) else None
            if nxt is not None and nxt.kind == "word" and (self.lex.demonym(nxt.norm) or self.lex.is_place(nxt)):
                continue  # "الحكومة السورية": a description, not a back reference
            best = None
            for h in want:
                cands = by_head.get(h, [])
                k = bisect.bisect_left([r.m.start for r in cands], cstart)
                if k and cstart - cands[k - 1].m.end <= ORG_ROLE_CHARS:
                    if best is None or cands[k - 1].m.start > best.m.start:
                        best = cands[k - 1]
            if best is None:
                continue
            a = best.m
            m = Mention(cstart, t.end, doc.text[cstart:t.end], a.type, kind="role", source="coref", score=0.7,
                        canonical=a.canonical or " ".join(a.text.split()), country=a.country)
            out.append(_Rec(m, -1, best))
        return out

    # -- output ----------------------------------------------------------------------
    def _finish(self, recs: list[_Rec], groups: list[_Group]) -> list[Mention]:
        canon = [g.canonical for g in groups]
        recs.sort(key=lambda r: (r.m.start, r.m.end))
        pos = {id(r): i for i, r in enumerate(recs)}
        out: list[Mention] = []
        for r in recs:
            m = r.m
            if r.group >= 0:
                g = groups[r.group]
                country = m.country or (next(iter(sorted(g.countries))) if len(g.countries) == 1 else None)
                m = m.replace(canonical=canon[r.group], country=country)
            if r.ante is not None:
                m = m.replace(antecedent=pos[id(r.ante)])
            out.append(m)
        return out


@component("coref", requires=("tokens", "mentions"), assigns=("mentions",))
def make_coref():
    """Short forms and role mentions resolved to the full name, one canonical per person."""
    return Coref()
