"""Arguments of an event mention: the actor candidates of a sentence (entity
mentions and nationality adjectives, with the preposition that governs
each) and the rules that pick the source, the target and the place of a
trigger, read the way Arabic news writes them (see extract/events.py and
docs/events.md).
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass
from functools import cache, lru_cache

from marsad.extract import event_lexicon as lex
from marsad.model import Actor, Doc, Mention, Sentence, Token
from marsad.text.normalize import SEARCH

ACTOR_TYPES = ("PER", "ORG", "GPE", "LOC")
PLACE_TYPES = ("GPE", "LOC")
WINDOW_AFTER = 10  # tokens after a trigger searched for its subject/object
MAX_REACH = 40
OBJECT_GAP = 5  # tokens between the subject and the object at most
_TO = SEARCH.text("الى")
SPEECH_ACTS = ("ACCUSE", "REQUEST", "REJECT", "THREATEN", "SUPPORT")  # placed where said: no place


@cache
def _gazetteer():
    try:
        from marsad.lang.ar.gazetteer import Gazetteer

        return Gazetteer.default()
    except Exception:  # the gazetteer is optional: without it no adjective actors
        return None


def country_of_name(name: str | None) -> str | None:
    """Country canonical name for a country or city name (بغداد -> العراق)."""
    g = _gazetteer()
    if not name or g is None:
        return None
    e = g.country(name)
    return e.canonical if e is not None else None


@lru_cache(maxsize=50_000)
def demonym(word: str) -> str | None:
    g = _gazetteer()
    if g is None:
        return None
    e = g.demonym(word)
    return e.canonical if e is not None else None


@dataclass
class _Cand:
    """An actor candidate in a sentence: a mention or a nationality adjective."""

    tok: int  # index of its first token
    end_tok: int  # one past its last token
    start: int
    end: int
    canonical: str | None
    entity_id: str | None
    type: str
    country: str | None
    mention: int = -1
    prep: str = ""  # governing preposition ("" = none)
    adjective: bool = False
    lead: int = -1  # first token of its title ("وزير الخارجية الأمريكي أنتوني بلينكن"), else tok
    sector: str | None = None  # a group (event_actor_groups.tsv): MIL, COP, REB ...
    oblique: bool = False  # a group in the accusative/genitive (المسلحين، مسلحي): never a verb's subject after it


class _Sent:
    """Token-level view of one sentence for argument finding."""

    def __init__(self, doc: Doc, sent: Sentence, toks: list[Token], words: list[str], bare: list[str],
                 cands: list[_Cand]):
        self.doc, self.sent, self.toks, self.words, self.bare, self.cands = doc, sent, toks, words, bare, cands
        self.cand_toks = [c.tok for c in cands]
        self._skip: list[bool] | None = None

    def skippable(self, k: int) -> bool:
        """Can token k stand between a verb and its subject (a date, "أمس",
        "أيضا", "بدوره")?"""
        if self._skip is None:
            spans = [(d.start, d.end) for d in self.doc.dates if d.end > self.sent.start and d.start < self.sent.end]
            self._skip = [any(a <= t.start < b for a, b in spans) or lex.cue_match("adverb", self.bare[x])
                          or lex.cue_match("adverb", self.words[x]) for x, t in enumerate(self.toks)]
        return self._skip[k]


@lru_cache(maxsize=100_000)
def _bare(norm: str) -> str:
    """A normalised word without و ف and ب ل ك + ال (for cue matching)."""
    w = norm
    for p in ("وال", "فال", "بال", "لل", "كال", "ال"):
        if w.startswith(p) and len(w) - len(p) >= 2:
            return w[len(p):]
    if len(w) > 3 and w[0] in "وف":
        w = w[1:]
    return w


def _prep_of(s: _Sent, i: int, mention_start: int, titled: bool = False) -> str:
    """The preposition governing a candidate starting at token ``i``; for a
    person, looked up before the title words that open the mention ("مع
    السفير البريطاني ستيفن هيكي")."""
    if titled:
        k = i
        while k > 0 and i - k < 4 and (s.words[k - 1].startswith("ال") or demonym(s.toks[k - 1].text)) \
                and not lex.cue_match("preposition", s.bare[k - 1]):
            k -= 1
        if k < i:
            return _prep_of(s, k, s.toks[k].start)
    t = s.toks[i]
    if t.start < mention_start <= t.end:  # clitic prefix inside the token
        pre = SEARCH.text(s.doc.text[t.start:mention_start]).lstrip("وف")
        if pre[:1] in ("ب", "ل", "ك"):
            return pre[:1]
    elif t.stem_start > t.start:
        pre = SEARCH.text(t.prefix).lstrip("وف")
        if pre[:1] in ("ب", "ل", "ك") and t.kind == "word":
            return pre[:1]
    if i > 0 and lex.cue_match("preposition", s.bare[i - 1]):
        return s.bare[i - 1]
    if i > 0 and s.words[i - 1][:1] in ("ل", "ب") and lex.cue_match("informant", s.words[i - 1][1:]):
        return s.words[i - 1][:1]  # "لمراسل وكالة الأنباء": who was told, not who did
    if i > 1 and s.toks[i - 1].kind == "number" and lex.cue_match("preposition", s.bare[i - 2]):
        return s.bare[i - 2]  # "إلى 13 روسياً"
    if i > 1 and not s.words[i - 1].startswith("ال") and lex.cue_match("partner", s.bare[i - 2]) \
            and not lex.cue_match("preposition", s.bare[i - 1]) and not lex.cue_match("particle", s.bare[i - 1]) \
            and s.toks[i - 1].kind == "word":
        return s.bare[i - 2]  # a construct noun between: "على مواقع داعش", "مع نظيره"
    return ""


DEFINITE = ("ال", "وال", "فال", "بال", "كال", "لل", "ولل", "فلل")
GROUP = "GRP"  # the candidate type of a group that is no named entity
UNKNOWN = frozenset(("مجهولون", "مجهولين", "مجهول", "مجهوله", "مجهولان"))
FORCE_SECTORS = ("MIL", "COP")


def _group_at(words: list[str], i: int) -> tuple[lex.ActorGroup, int] | None:
    """The group (event_actor_groups.tsv) written at token i and the token
    after it: "قوات الأمن", "المتمردون", "الجيش"."""
    gs = lex.actor_groups().get(_bare(words[i]))
    if not gs:
        return None
    for g in gs:
        k = i + 1
        for r in g.rest:
            if k >= len(words) or (words[k] != r and _bare(words[k]) != _bare(r)):
                break
            k += 1
        else:
            return g, k
    return None


NISBA = ("يتين", "يين", "يون", "يات", "يه", "ي")


@lru_cache(maxsize=10_000)
def nisba_country(word: str) -> str | None:
    """A nationality adjective the gazetteer lacks, read as a country name
    plus the nisba ending: "النيوزيلندية" -> نيوزيلندا (only a country's
    name, never a city's)."""
    g = _gazetteer()
    w = _bare(SEARCH.text(word))
    if g is None or len(w) < 5:
        return None
    for end in NISBA:
        if w.endswith(end) and len(w) - len(end) >= 3:
            stem = w[: -len(end)]
            for name in (stem, stem + "ا", stem + "ه", "ال" + stem):
                e = g.lookup(name)
                if e is not None and e.kind == "country":
                    return e.canonical
            return None
    return None


def _adjective_form(t: Token, definite: bool) -> str:
    """A nationality adjective as it joins a group's name ("السوري" in
    "الجيش السوري"; "جنود أمريكيون" -> "الجنود الأمريكيون")."""
    w = t.text
    if t.prefix[:1] in ("و", "ف") and len(w) > 3:
        w = w[1:]
    if definite and not SEARCH.text(w).startswith("ال"):
        w = "ال" + w
    return w


def _groups(toks: list[Token], words: list[str], out: list[_Cand], covered: set[int],
            titled: list[tuple[int, int]], per_starts: set[int]) -> None:
    """Groups and forces that are no named entity as actor candidates
    (المتمردون، قوات الأمن العراقية، الجيش السوري، شرطة دبي): a nationality
    adjective after one, or a country in its genitive, gives its country."""
    i, n = 0, len(toks)
    while i < n:
        t = toks[i]
        hit = None
        if i not in covered and t.kind == "word":
            hit = _group_at(words, i)  # a dict lookup first: the checks below are rarely needed
            if hit is not None and (any(a <= t.start and t.end <= b for a, b in titled)
                                    or (i + 1) in per_starts or (i + 2) in per_starts):
                hit = None
        if hit is None or any(x in covered for x in range(i, hit[1])):
            i += 1
            continue
        g, k = hit
        canonical, country, end = g.canonical, None, k
        definite = words[k - 1].startswith(DEFINITE)
        if not definite and k < n and (any(c.tok == k and c.type in ("ORG", "PER") for c in out)
                                       or _group_at(words, k) is not None):
            i += 1  # a construct head before the real actor: "ميليشيات حزب الله", "مسلحي الميليشيات"
            continue
        if k < n and k not in covered and toks[k].kind == "word" and \
                words[k].startswith(DEFINITE) == definite:
            country = demonym(toks[k].text) or nisba_country(toks[k].text)  # "الجيش السوري", "جنود أمريكيون"
            if country is not None:
                canonical = f"{g.canonical} {_adjective_form(toks[k], g.canonical.startswith('ال'))}"
                end = k + 1
        if country is None and end < n and _bare(words[end]) in UNKNOWN:
            end += 1  # "مسلحون مجهولون"
        if country is None and not definite and not g.rest and end == k:
            gen = next((c for c in out if c.tok == k and c.type in PLACE_TYPES and c.country and c.mention >= 0), None)
            if gen is not None:  # "شرطة دبي", "جيش مصر"
                head = g.canonical[2:] if g.canonical.startswith("ال") else g.canonical
                canonical, country, end = f"{head} {gen.canonical}", gen.country, gen.end_tok
                out.remove(gen)
        if g.country_required and country is None:
            i += 1
            continue
        head = _bare(words[k - 1]) if g.rest else _bare(words[i])
        oblique = head.endswith("ين") or (head.endswith("ي") and len(head) > 4 and head[:-1] + "ون" in lex.actor_groups())
        out.append(_Cand(i, end, t.start, toks[end - 1].end, canonical, None, GROUP, country, -1, sector=g.sector,
                         oblique=oblique))
        covered.update(range(i, end))
        i = end


def _medium(text: str | None) -> bool:
    """A platform (تويتر، فيسبوك): where something was said, never an actor."""
    return any(lex.cue_match("medium", SEARCH.text(w)) or lex.cue_match("medium", _bare(SEARCH.text(w)))
               for w in (text or "").split()[:1])


def _first_name_only(m: Mention) -> bool:
    """A person named by one word that is only the first name of the
    entity it was linked to, without a title: news refers back to a person
    by the family name (لافروف), so "إبراهيم" -> "إبراهيم خليل يلديز" is a
    namesake or a name cut short, not a reliable actor."""
    if m.type != "PER" or not m.canonical or m.title or " " in m.text.strip():
        return False
    canon = SEARCH.text(m.canonical).split()
    return len(canon) >= 2 and canon[0] == SEARCH.text(m.text).strip() and canon[-1] != canon[0]


QUANTITY = frozenset(("الاف", "عشرات", "مئات", "ملايين", "بعض", "جميع", "كل", "عدد", "غالبيه", "اغلب", "معظم", "مليون"))


def _quantified(toks: list[Token], words: list[str], i: int) -> bool:
    """"تظاهر آلاف اللبنانيين": a genitive after a quantity (or a number) is
    the phrase's head, which may be the subject."""
    k = i - 1
    if k >= 0 and words[k] == "من":
        k -= 1  # "عدد من الإيرانيين"
    w = words[k].lstrip("وف") if k >= 0 and len(words[k]) > 4 else (words[k] if k >= 0 else "")
    return k >= 0 and (toks[k].kind == "number" or w in QUANTITY or _bare(words[k]) in QUANTITY
                       or _bare(words[k]) in NUMBER_WORDS)


def _candidates(doc: Doc, toks: list[Token], words: list[str], starts: list[int]) -> list[_Cand]:
    out: list[_Cand] = []
    if not toks:
        return out
    lo, hi = toks[0].start, toks[-1].end
    ms = doc.mentions
    titled = [(m.title_start, m.title_end) for m in ms if m.title_start >= 0 and m.title_end <= m.start]
    covered: set[int] = set()
    head = doc.text.find(":", 0, 60) if doc.article.dateline else -1
    for mi, m in enumerate(ms):
        if m.end <= lo or m.start >= hi or m.type not in ACTOR_TYPES or m.end <= head:
            continue  # (the dateline "ايلاف من لندن:" names no actor)
        if any(a <= m.start and m.end <= b for a, b in titled):
            continue  # an organisation inside a person's title
        i = max(0, bisect.bisect_right(starts, m.start) - 1)
        j = bisect.bisect_left(starts, m.end)
        country = m.country
        if country is None and m.type in ("GPE", "LOC"):
            country = country_of_name(m.canonical or m.text)
        if country is None and m.title:
            country = next((c for c in map(demonym, m.title.split()) if c), None)
        if country is None and m.type == "ORG":
            country = next((c for c in map(demonym, m.text.split()) if c), None)  # القوات الأمريكية
        if _medium(m.text):
            continue  # "على تويتر": where it was said, not who
        if _first_name_only(m):
            covered.update(range(i, max(j, i + 1)))
            continue  # "إبراهيم" (of إبراهيم كالن, cut) linked to another إبراهيم: no reliable actor
        if m.type == "PER" and j < len(toks) and toks[j].kind == "word" and toks[j].start >= m.end:
            adj = demonym(toks[j].text)  # "ولي العهد السعودي", "المراهق الفلسطيني"
            if adj is not None and words[j].startswith("ال") == words[max(i, j - 1)].startswith("ال"):
                country = country or adj
                covered.add(j)
        g = _group_at(words, i) if m.type == "ORG" and toks[i].start >= m.start else None
        out.append(_Cand(i, max(j, i + 1), m.start, m.end, m.canonical or m.text, m.entity_id, m.type,
                         country, mi, sector=g[0].sector if g else None))  # "قوات الأمن المصرية" as a name
        covered.update(range(i, max(j, i + 1)))
    per_starts = {c.tok for c in out if c.type == "PER"}
    _groups(toks, words, out, covered, titled, per_starts)
    owners = sorted((c.tok, c.country) for c in out if c.type == "PER" and c.country)
    owner_toks = [o[0] for o in owners]
    for i, t in enumerate(toks):
        if i in covered or t.kind != "word" or any(a <= t.start and t.end <= b for a, b in titled):
            continue
        if any(k in per_starts for k in (i + 1, i + 2)):
            continue  # part of a title: "الرئيس العراقي برهم صالح"
        c = demonym(t.text)
        if c is not None and i > 0 and lex.cue_match("informant", _bare(words[i - 1])):
            continue  # "أفادت مصادر يمنية": who told it, no actor
        if c is not None:  # a plural or dual nisba in -يين / -يتين is accusative or genitive: never a subject
            out.append(_Cand(i, i + 1, t.start, t.end, c, None, "GPE", c, -1, adjective=True,
                             oblique=_bare(words[i]).endswith(("يين", "يتين")) and not _quantified(toks, words, i)))
        elif lex.cue_match("possessive_country", _bare(words[i])):
            # "بلاده": the country of the nearest person before it
            k = bisect.bisect_left(owner_toks, i)
            if k > 0:
                owner = owners[k - 1][1]
                out.append(_Cand(i, i + 1, t.start, t.end, owner, None, "GPE", owner, -1, adjective=True))
    out.sort(key=lambda c: c.tok)
    return out


def _actor(c: _Cand, role: str) -> Actor:
    return Actor(role=role, entity_id=c.entity_id, canonical=c.canonical, mention=c.mention, country=c.country,
                 sector=c.sector)


def _cand_at(s: _Sent, tok: int) -> int:
    """Index of the first candidate at or after token ``tok``."""
    return bisect.bisect_left(s.cand_toks, tok)


def _topic_at(s: _Sent, j: int, hi: int) -> int:
    """Token where the topic of talk starts after a trigger (حول، بشأن ...)."""
    return next((k for k in range(j, hi) if lex.cue_match("topic_marker", s.bare[k])), hi)


def _first_subject(s: _Sent, before: int) -> _Cand | None:
    """The sentence's subject: its first candidate no preposition governs."""
    return next((c for c in s.cands if c.tok < before and not c.prep and c.tok >= 0 and not c.oblique), None)


DAMMA = "\u064f"
AGENT_NOUNS = ("قبل", "يد", "ايدي", "جانب", "طرف")  # من قبل / على يد / من جانب / من طرف X: the doer
AGENT_WORDS = ("بايدي", "بايد", "بيد", "بنيران", "برصاص")  # بأيدي الشرطة، برصاص الجيش: the doer
VICTIM_NOUNS = ("مقتل", "اغتيال", "اعتقال", "احتجاز", "خطف", "اختطاف", "تعذيب", "اغتصاب")  # X after one is the victim


def passive_verb(text: str, trig: lex.Trigger | None = None) -> bool:
    """A past verb written with its passive vowel (قُتل، اعتُقل، أُطلق); with
    the trigger, also a present of a three-letter verb with a damma on its
    prefix (يُقتل: is killed; not يُطلق, which is active)."""
    w = text[1:] if text[:1] in "وف" and len(text) > 3 else text
    if w[:1] not in "يتن":
        return DAMMA in w[:5]
    if trig is None or w[1:2] != DAMMA:
        return False
    plain = SEARCH.text(w)
    plain = "ي" + plain[1:] if plain[:1] in "يت" else plain
    return any(x[0] == plain and len(x[0]) == 4 for x in trig.words)


def first_person(word: str, trig: lex.Trigger) -> bool:
    """A present verb trigger with the prefix ن ("ندعو نظام مادورو"): we, the
    speaker -- the noun after it is its object, not its subject."""
    w = word[1:] if word[:1] in "وف" and len(word) > 3 else word
    w = w[1:] if w[:1] == "س" and len(w) > 3 else w
    if w[:1] != "ن" or len(w) < 3:
        return False
    third = "ي" + w[1:]
    stems = {x[0] for x in trig.words if x[0].startswith("ي")}
    past = {x[0] for x in trig.words if not x[0].startswith("ي")}
    return w not in past and any(third == st or (third.startswith(st) and len(third) - len(st) <= 2) for st in stems)


def _agent_of(s: _Sent, c: _Cand) -> bool:
    """Is the candidate the doer after من قبل / على يد / من جانب?"""
    k = c.lead if c.lead >= 0 else c.tok
    if c.adjective:
        k -= 1  # "من قبل الجيش الإسرائيلي": the adjective's noun
    if k >= 1 and s.bare[k - 1] in AGENT_WORDS:
        return True
    return k >= 2 and s.bare[k - 1] in AGENT_NOUNS and s.bare[k - 2] in ("من", "علي", "على")


PURPOSE_NOT = frozenset(("لكنه", "لكنها", "لكنهم", "لانه", "لانها", "لانهم", "لاسيما", "لدينا", "لديها", "لديهم"))


def _clause_between(s: _Sent, a: int, b: int) -> bool:
    """Does another verb or a relative clause start between tokens a and b
    ("طلب ستتلقاه من قبل العراق": the agent of the other verb)?"""
    for x in range(a, b):
        w = s.words[x]
        v = w[1:] if w[:1] in "وف" else w
        if lex.cue_match("relative", w) or (v[:1] == "س" and v[1:2] in "يتن" and len(v) > 4) or v in lex.verb_forms():
            return True
    return False


def _adjacent(s: _Sent, j: int, c: _Cand, gap: int | None = None) -> bool:
    """Does the candidate follow token j as a verb's subject does: at once,
    after a date or an adverb ("قال أمس الوزير"), or after the title words
    of its noun phrase ("وزير الخارجية السعودي", "الرئيس العراقي برهم
    صالح") — but never across a preposition, a relative pronoun or a
    clause ("تحقق في اتهامات أطلقها عميل روسي")?"""
    lead = c.lead if c.lead >= 0 else c.tok
    verb = gap is None  # a verb's subject; a noun's may stand after a verb ("زيارة سيقوم بها الوزير")
    if gap is None:  # a person's title words, an adjective's noun, an organisation's construct noun
        gap = 4 if c.type == "PER" else 3 if c.adjective else 1
    n = 0
    for x in range(j, lead):
        if s.skippable(x):
            continue
        b = s.bare[x]
        if lex.cue_match("preposition", b) or lex.cue_match("relative", s.words[x]) or b in ("ان", "انه", "انها") \
                or b in ("بان", "بانه", "بانها", "لان", "لانه", "لانها") \
                or lex.cue_match("report", b) or s.toks[x].kind != "word":
            return False
        w = s.words[x]
        if len(w) >= 5 and w[0] == "ل" and w[:2] != "لل" and w not in PURPOSE_NOT:
            return False  # a purpose: "لإنهاء حرب الاستقلال الأمريكية"
        if verb and _clause_between(s, x, x + 1):
            return False  # another verb: "قتلت وستقتل الإرهابيين"
        n += 1
    return n <= gap


NUMBER_WORDS = frozenset(("واحد", "اثنان", "اثنين", "ثلاثه", "اربعه", "خمسه", "سته", "سبعه", "ثمانيه", "تسعه", "عشره",
                          "عشرات", "مئات", "الاف", "عدد", "بضعه", "ثلاث", "اربع", "خمس", "ست", "سبع", "ثماني", "تسع", "عشر"))


def _svo_subject(s: _Sent, i: int, before: list[_Cand]) -> _Cand | None:
    """"أن الحكومة السورية هاجمت دوما", "إن ثلاثة مسلحين قتلوا": the noun
    right before a verb, opening the clause of إن/أن/لكن (a number or
    title words between), is the verb's subject; the noun after is its
    object."""
    c = next((c for c in reversed(before) if c.end_tok == i), None)
    if c is None or c.prep:
        return None
    k = c.lead if c.lead >= 0 else c.tok
    n = 0
    while k > 0 and n < 3 and (s.toks[k - 1].kind == "number" or s.bare[k - 1] in NUMBER_WORDS
                               or (s.words[k - 1].startswith("ال") and not c.adjective)):
        k, n = k - 1, n + 1
    return c if k > 0 and s.bare[k - 1] in ("ان", "لكن") else None


STATEMENT = frozenset(("اعلن", "اكد", "اوضح", "ذكر", "صرح", "افاد", "كشف", "زعم", "اشار", "ادعي", "ادعى"))


def _plural_antecedent(s: _Sent, i: int) -> _Cand | None:
    """"إن المسلحين فروا ...، وأضافت أنهم هاجموا": the group that opened an
    earlier reported clause of the sentence is what أنهم stands for (the
    reporter is never it)."""
    best = None
    for c in s.cands[:_cand_at(s, i - 1)]:
        if c.prep or c.adjective or not (c.sector or c.type == "ORG"):
            continue
        k = c.lead if c.lead >= 0 else c.tok
        n = 0
        while k > 0 and n < 3 and (s.toks[k - 1].kind == "number" or s.bare[k - 1] in NUMBER_WORDS):
            k, n = k - 1, n + 1
        if k > 0 and s.bare[k - 1] in ("ان", "لكن"):
            best = c
    return best


def reporting(bare: str) -> bool:
    """A reporting verb, masculine or feminine (قال، قالت، أضافت)."""
    return lex.cue_match("report", bare) or (len(bare) > 3 and bare[-1] == "ت" and lex.cue_match("report", bare[:-1]))


def _reporter(s: _Sent, c: _Cand, i: int) -> bool:
    """Is the candidate the subject of a reporting verb (وأضاف الحرس الثوري)
    whose reported clause (أن / إن ...) holds token i?"""
    k = c.lead if c.lead >= 0 else c.tok
    if k == 0 or not reporting(s.bare[k - 1]):
        return False
    return any(s.bare[x] in ("ان", "انه", "انها", "انهم") for x in range(c.end_tok, i))


def _pronoun_subject(s: _Sent, i: int) -> str:
    """"انه بحث" / "انهم هاجموا": the verb's subject is the pronoun of the
    word before it: "sg" or "pl", else ""."""
    if i == 0:
        return ""
    b = s.bare[i - 1]
    b = b[1:] if b[:1] in "ول" and len(b) > 4 else b
    if b in ("انه", "انها", "لانه", "لانها"):
        return "sg"
    if b in ("انهم", "انهن", "لانهم"):
        return "pl"
    return ""


def _embedded_subject(s: _Sent, i: int) -> _Cand | None:
    """"قالت ساندرز إن ترمب ... يتفاوض": the noun after ان/إن/أن (its
    title words between) before the trigger is the subject of the reported
    clause."""
    best = None
    for c in s.cands[_cand_at(s, i - 15):_cand_at(s, i)]:
        k = c.lead if c.lead >= 0 else c.tok
        n = 0
        while k > 0 and n < 3 and s.words[k - 1].startswith("ال") and not lex.cue_match("preposition", s.bare[k - 1]):
            k, n = k - 1, n + 1
        if k > 0 and s.bare[k - 1] in ("ان", "لكن") and not c.adjective:
            best = c
    return best


COMPLEMENTS = frozenset(("ان", "انه", "انها", "انهم", "بان", "بانه", "بانها", "بانهم", "لان", "لانه", "لانها"))


def _object_gap_ok(s: _Sent, base: int, c: _Cand) -> bool:
    """Between a verb (or its subject) and its object only names, titles,
    dates and prepositional phrases of names stand ("استقبل الرئيس في
    القاهرة اليوم الوزير"), never a phrase about something else ("تحقق في
    اتهامات أطلقها رجل تركي")."""
    lead = c.lead if c.lead >= 0 else c.tok
    starts = {x.tok for x in s.cands} | {x.lead for x in s.cands if x.lead >= 0}
    for x in range(base, lead):
        if lex.cue_match("preposition", s.bare[x]) and x + 1 not in starts:
            return False
        if lex.cue_match("relative", s.words[x]) or s.bare[x] in COMPLEMENTS:
            return False  # "يهدد بأن إسرائيل ستتصدى": the subject of the clause after بأن, no object
    return True


def _subordinate_between(s: _Sent, c: _Cand, i: int) -> bool:
    """Does a complement clause (أن، إن، بأن) or a relative clause (الذي،
    التي، الذين) open between the candidate and token i?  Then a noun
    trigger at i belongs to that clause, whose doer is another."""
    return any(s.bare[x] in COMPLEMENTS or lex.cue_match("relative", s.words[x]) for x in range(c.end_tok, i))


def _patient_subject(s: _Sent, i: int, cands: list[_Cand]) -> "_Cand | bool | None":
    """A noun trigger after a verb whose subject undergoes it (تعرض لـ،
    واجه، أثار، تلقى: cue ``patient``): that subject (after the verb, else
    right before it), True when the verb has none named, None when no such
    verb governs the trigger."""
    pv = None
    for x in range(i - 1, max(-1, i - 6), -1):
        if s.toks[x].kind != "word" or s.bare[x] in COMPLEMENTS or lex.cue_match("relative", s.words[x]):
            return None
        if lex.cue_match("patient", s.bare[x]) or lex.cue_match("patient", s.words[x]):
            pv = x
            break
    if pv is None:
        return None
    subj = next((c for c in cands if pv < c.tok < i and not c.prep), None)
    if subj is None:
        subj = next((c for c in cands if c.end_tok == pv and not c.prep), None)
    return subj if subj is not None else True


RESUMPTIVE = frozenset(("منها", "منه", "منهم", "فيها", "فيه", "فيهم", "عليها", "عليه", "عليهم", "اليها", "اليه",
                        "اليهم", "لها", "له", "لهم", "بها", "به", "بهم", "عنها", "عنه", "عنهم"))
REL_SUFFIX = {"الذي": "ه", "التي": "ها", "الذين": "هم", "اللواتي": "هن", "اللاتي": "هن", "اللذين": "هما",
              "اللذان": "هما", "اللتين": "هما", "اللتان": "هما"}


def _resumptive(rel: str, word: str) -> bool:
    """"المدن التي طردت منها": a preposition right after the relative
    clause's verb whose pronoun agrees with the relative pronoun refers back
    to the antecedent (not "رجال الشرطة الذين طلبوا منه": him, another)."""
    rel = rel[1:] if rel[:1] in "وف" and rel[1:] in REL_SUFFIX else rel
    suffix = REL_SUFFIX.get(rel)
    return word in RESUMPTIVE and suffix is not None and word.endswith(suffix) and \
        not (suffix == "ه" and word.endswith(("ها", "هم", "هن", "هما")))


CAUSE_WORDS = frozenset(("جراء", "اثر", "برصاص", "بنيران", "بقذيفه", "بصاروخ"))


def _killed_in(s: _Sent, i: int, j: int, trig: lex.Trigger) -> bool:
    """"قتل فلسطيني وأصيب آخر في قصف إسرائيلي": an unvowelled قتل at the
    head of its clause, with the attack the dead fell in after it (في / بـ
    + an attack noun, جراء، برصاص ...), is the passive قُتل: the noun
    after it is the victim, the doer the attack's."""
    if not any(x[0] == "قتل" for x in trig.words) or SEARCH.text(s.toks[i].text).lstrip("وف")[:1] in "يتن":
        return False
    if j < len(s.words) and (s.bare[j] in ("في", "جراء", "اثر") or s.bare[j] in CAUSE_WORDS):
        return True  # no object after it: "أربعة عناصر أمن قتلوا في إطلاق نار" (were killed)
    if i > 0 and not (s.toks[i - 1].kind != "word" or s.bare[i - 1] in ("حين", "عندما", "بعدما", "فيما", "حيث")
                      or s.sent.start == s.toks[i].start or s.doc.text[s.toks[i - 1].end:s.toks[i].start].strip()):
        return False  # a subject before it ("الجيش قتل"): active
    if j < len(s.words) and len(s.bare[j]) > 4 and s.bare[j].endswith(("ون", "ان")):
        return False  # a nominative plural or dual after it is its subject: "قتل مسلحون ثلاثة جنود"
    index = lex.form_index()
    trigs = lex.triggers()
    for k in range(j, min(len(s.words), j + 14)):
        if s.bare[k] in CAUSE_WORDS or s.words[k] in CAUSE_WORDS:
            return True
        w = s.words[k]
        for cand, prep in ((w, s.bare[k - 1] if k > 0 else ""), (w[1:] if w[:1] == "ب" else "", "ب")):
            if prep in ("في", "ب") and any(trigs[f.trigger].type == "ASSAULT" and trigs[f.trigger].kind != "verb"
                                          and trigs[f.trigger].words[0][0] != "مقتل" for f in index.get(cand, ())):
                return True
    return False


def _dual_verb(w: str) -> bool:
    """A dual verb: present سيناقشان، يبحثان or past بحثا، التقيا، اتفقا (the
    past stem + ا, not a stem ending in ا like دعا)."""
    if w.endswith("ان"):
        return True
    v = w[1:] if w[:1] in "وف" and len(w) > 4 else w
    return len(v) >= 4 and v.endswith("ا") and v[:-1] in lex.verb_forms() and not v.startswith(("ي", "ت"))


def _find_actors(s: _Sent, i: int, j: int, trig: lex.Trigger, etype: str, lo: int, hi: int,
                 prev_subject: _Cand | None, speaker: _Cand | None,
                 enclitic: bool, coord: _Cand | None = None) -> tuple[_Cand | None, _Cand | None]:
    """Source and target for a trigger spanning tokens [i, j) of a clause [lo, hi)."""
    # a person whose title opens inside the clause belongs to it ("مع رئيس الوزراء الإسرائيلي، بنيامين نتنياهو")
    cands = [c for c in s.cands[_cand_at(s, lo):_cand_at(s, hi + 4)]
             if not (c.tok < j and c.end_tok > i) and (c.tok < hi or lo <= c.lead < hi)]
    # the topic after حول / بشأن is not an argument
    k = _topic_at(s, j, hi)
    cands = [c for c in cands if c.tok < k]
    src = tgt = None
    after = [c for c in cands if c.tok >= j]
    near = [c for c in after if c.tok < j + WINDOW_AFTER]
    before = [c for c in cands if c.tok < i]
    passive = any(lex.cue_match("passive", s.bare[x]) or lex.cue_match("passive", s.words[x])
                  for x in range(max(lo, i - 3), i))
    if etype == "AGREE" and trig.context:  # "معاهدة باريس", "اتفاق أوسلو": the treaty's name, not a party
        cands = [c for c in cands if not (c.type in PLACE_TYPES and not c.adjective and c.tok > 0 and any(
            lex.pattern_match(p, s.bare[c.tok - 1]) for p in trig.context))]
        after = [c for c in after if c in cands]
        near = [c for c in near if c in cands]
        before = [c for c in before if c in cands]
    # the doer after من قبل / على يد / من جانب is the source, never a target
    agent = next((c for c in after if c.tok <= j + 8 and _agent_of(s, c) and not _clause_between(s, j, c.tok)), None)
    if agent is not None:
        cands = [c for c in cands if c is agent or not (c.tok > agent.tok and c.tok <= agent.end_tok)]
        after = [c for c in after if c is not agent]
        near = [c for c in near if c is not agent]
    if trig.kind != "verb" and not enclitic:
        undergone = _patient_subject(s, i, cands)
        if undergone is not None:
            # "تعرضت وزيرة الهجرة الدنماركية إلى انتقادات": who underwent it is its target; the doer
            # only an agent or "من" right after ("انتقادات من بعض الشخصيات")
            subj = undergone if isinstance(undergone, _Cand) else None
            doer = agent or next((c for c in after if c.prep == "من" and c.tok <= j + 3 and c is not subj), None)
            return doer, subj
    killed = trig.kind == "verb" and _killed_in(s, i, j, trig)
    if killed and agent is None:  # "قتل ثلاثة فلسطينيين وأصيب 400 آخرين، برصاص الجيش الإسرائيلي"
        agent = next((c for c in s.cands if j <= c.tok <= j + 14 and _agent_of(s, c)), None)  # across a comma
    if trig.kind == "verb" and (passive_verb(s.toks[i].text, trig) or killed):
        # "قُتل المراهق X على يد ...": the noun after a passive verb is its patient
        obj = next((c for c in after if not c.prep and _adjacent(s, j, c)), None)
        return agent, (obj if obj is not agent else None)
    pron = _pronoun_subject(s, i) if trig.kind == "verb" else ""
    if trig.kind == "verb" and first_person(s.words[i], trig):
        # "ندعو نظام مادورو إلى ...": we (the speaker) call on Maduro's regime
        pron = "pl"
        if agent is None and speaker is not None:
            agent = speaker
    rel_verb = trig.kind == "verb" and i > 0 and lex.cue_match("relative", s.words[i - 1])
    if rel_verb and agent is None:
        # "مولر الذي يحقق في ...": the antecedent is the subject; with an
        # object pronoun ("الغارات التي شنتها القوات") it is the object
        ante = next((c for c in reversed(before) if c.end_tok in (i - 1, i - 2)), None)
        if ante is not None and j < len(s.bare) and _resumptive(s.words[i - 1], s.bare[j]):
            ante = None  # "المدن اليمنية التي طردت منها": the antecedent is what the verb's preposition takes
        if ante is not None and not enclitic:
            agent = ante
    if agent is not None:
        src = agent
    # بين X و Y
    for k in range(lo, min(hi, j + 6)) if etype in ("AGREE", "CONSULT", "COOPERATE") or trig.mode == "clash" else ():
        if lex.cue_match("between", s.bare[k]):
            two = [c for c in cands if c.tok > k][:2]
            if len(two) == 2:
                return two[0], two[1]
    if trig.actors == "speaker":
        if speaker is None:
            return None, None
        subj = next((c for c in reversed(before) if not c.prep), None) or \
            next((c for c in near if not c.prep), None)
        return speaker, subj
    if etype in ("RETREAT", "ASSAULT", "MOBILIZE") and src is None:
        best = None
        for c in s.cands[_cand_at(s, i - MAX_REACH):_cand_at(s, j + MAX_REACH)]:
            if (c.adjective and not c.prep and c.tok > 0 and
                    any(lex.cue_match("force", s.bare[x]) for x in range(max(0, c.tok - 2), c.tok))) or \
                    (c.type == GROUP and c.sector in FORCE_SECTORS and c.country and not c.prep
                     and not (c.tok < i and _reporter(s, c, i))):  # "قال الجيش العراقي إن متشددين ..."
                d = abs(c.tok - i)
                if best is None or d < best[0]:
                    best = (d, c)
        src = best[1] if best else None
    b = s.bare[i]
    victim = trig.kind != "verb" and trig.genitive == "target" and not enclitic and (
        b in VICTIM_NOUNS or (b[:1] in "بل" and b[1:] in VICTIM_NOUNS))
    if victim and (agent is None or agent is src):
        # "مقتل رضيعة فلسطينية تدعى ليلى": whoever is named after the death died, no doer named
        obj = next((c for c in near if not c.prep and c.tok <= j + 6 and _adjacent(s, j, c, 6)), None)
        arrest = (b[1:] if b[:1] in "بل" and b[1:] in VICTIM_NOUNS else b) in ("اعتقال", "احتجاز")
        if obj is not None and not (arrest and obj.sector in FORCE_SECTORS):  # "اعتقال الشرطة لـ": the police arrest
            if src is None:  # "أعلن الجيش الإسرائيلي مقتل ...": a force reports what it did; a ministry does not
                src = next((c for c in reversed(before) if not c.prep), None)
                src = src if src is not None and src.sector in FORCE_SECTORS and not _reporter(s, src, i) else None
            return (None if src is not None and src.tok == obj.tok else src), obj  # a force's own announcement ("أعلن الجيش الإسرائيلي مقتل ثلاثة مسلحين") keeps it as source
    if trig.kind != "verb" and (src is None or src is agent):
        # an adjective agreeing with the trigger carries the trigger's own preposition: "بغارة إسرائيلية"
        gen = next((c for c in near if c.tok <= j + 1 and (not c.prep or (c.adjective and c.tok == j))
                    and c is not src), None)
        if gen is not None and not (src is not None and (trig.genitive or "source") == "source"):
            role = trig.genitive or "source"
            if role == "auto":
                role = "target" if gen.type in PLACE_TYPES and not gen.adjective else "source"
            if gen.adjective and gen.tok == j:
                role = "source"  # the adjective agrees with the trigger: "غارات بريطانية"
            elif gen.adjective and gen.tok == j + 1 and lex.cue_match("force", s.bare[j]):
                role = "source"  # the weapon or force in the genitive fired: "قصف دبابة إسرائيلية"
            if role == "source":
                src = gen
            else:
                tgt = gen
        light = i > 0 and (lex.cue_match("light", s.bare[i - 1]) or lex.cue_match("light", s.words[i - 1]))
        if src is None and enclitic and s.words[i].endswith("هما"):
            # dual pronoun (توقيعهما، محادثاتهما): the two nearest parties before
            two: list[_Cand] = []
            for c in reversed(s.cands[_cand_at(s, i - MAX_REACH):_cand_at(s, i)]):
                if all(c.canonical != o.canonical and (c.country is None or c.country != o.country) for o in two):
                    two.append(c)
                if len(two) == 2:
                    break
            if len(two) == 2:
                return two[1], two[0]
        if src is None and (enclitic or light):
            # the noun right before the verb ("إن متشددين فتحوا النار"), else the sentence's subject
            src = next((c for c in reversed(before) if c.end_tok == i and not c.prep and not c.adjective), None) \
                or _first_subject(s, i)
    visit = trig.actors == "visit" or (trig.kind == "verb" and trig.mode == "visit")
    if src is None and trig.kind == "verb" and _dual_verb(s.words[i]) and etype in ("CONSULT", "AGREE", "COOPERATE"):
        pair = [c for c in before if not c.prep][-2:]  # "الوزيرين حسين ولافروف سيناقشان"
        if len(pair) == 2 and i - pair[0].tok <= 4:
            return pair[0], pair[1]
    if src is None and not pron and trig.kind == "verb":
        src = _svo_subject(s, i, before)
    if src is None and not pron and trig.kind == "verb":
        # "رحب الأمين العام للأمم المتحدة بالاتفاق": the role's organisation did it
        c = next((c for c in after if c.tok <= j + 3), None)
        if c is not None and c.prep == "ل" and not c.adjective and c.type in ("ORG", "GPE", GROUP) and c.tok > j \
                and all(s.words[x].startswith("ال") and lex.cue_match("role", s.bare[x]) for x in range(j, c.tok)):
            src = c
    if src is None and not pron:
        src = next((c for c in near if not c.prep and c is not tgt and not c.oblique
                    and not (visit and c.type in PLACE_TYPES and not c.adjective)
                    and _adjacent(s, j, c, None if trig.kind == "verb" else 6)
                    and not any(lex.cue_match("partner", s.bare[x]) for x in range(j, c.tok))), None)
    if src is None and not pron and trig.kind == "verb" and coord is not None and coord.tok < i \
            and s.words[i][:1] in "وف" and s.words[i][1:] in lex.verb_forms():
        src = coord  # "انتقدت منظمة العفو ... المحاكمة وطالبت بـ": a coordinated verb shares the first one's subject
    if passive and trig.kind != "verb" and src is None:
        pron = "pl"  # "تم التوقيع على ...": no doer but the agent phrase
    if src is None and pron == "sg":
        # "أعلنت وزارة الخارجية السودانية، مساء السبت، إنها استدعت ...": انها is the reporter
        for r in range(i - 2, max(-1, i - 25), -1):
            b = s.bare[r]
            if (reporting(b) or b in STATEMENT or (b[-1:] == "ت" and b[:-1] in STATEMENT)) and s.toks[r].kind == "word":
                src = next((c for c in s.cands if r < c.tok < i - 1 and not c.prep and not c.adjective
                            and _adjacent(s, r + 1, c)), None)
                break
    if src is None and rel_verb and not pron:
        pron = "rel"  # "المدن التي طردت منها": a relative clause's verb has no subject but its own
    if src is None and pron == "pl" and trig.kind == "verb":
        src = _plural_antecedent(s, i)
    if src is None and pron not in ("pl", "rel"):  # the subject before the trigger
        src = next((c for c in reversed(before) if not c.prep), None)
        if src is not None and trig.kind != "verb" and (_reporter(s, src, i) or _subordinate_between(s, src, i)):
            # "وأضاف الحرس الثوري ... أن ... مقتل 10": who reports the deaths did not kill; "إن القرار يظهر
            # أن تل أبيب تقمع الذين يوجهون لها انتقادات": a noun in another clause has another doer
            src = None
    if src is None and trig.kind == "verb" and pron not in ("pl", "rel"):
        src = _embedded_subject(s, i)
    if src is None and trig.kind == "verb" and i < MAX_REACH and pron not in ("pl", "rel"):
        src = _first_subject(s, i)
    # "أسفر عن مقتل 10", "قالت الشرطة إن انفجار عبوة ...": who reports an attack did not carry it out
    death = trig.kind != "verb" and etype in ("ASSAULT", "COERCE")
    if src is None and speaker is not None and not passive and pron not in ("pl", "rel") and not death:
        src = speaker
    if src is None and prev_subject is not None and not passive and \
            any(lex.cue_match("report", s.bare[x]) for x in range(0, min(2, len(s.bare)))):
        if _cand_at(s, i) == 0:
            src = prev_subject
    if tgt is None:
        base = src.end_tok if src is not None and src.tok >= j else j
        for c in after:
            if c is src:
                continue
            if c.tok > base + WINDOW_AFTER:
                break
            if c.prep == "مع" and etype == "ASSAULT" and trig.mode != "clash":
                continue  # "هاجموا الموقع على الحدود مع العراق"
            if (c.prep and (lex.cue_match("partner", c.prep) or lex.cue_match("partner_for", c.prep, etype))) or (
                    c.prep[:1] == "ل" and etype in ("REQUEST", "SUPPORT", "AID")):
                tgt = c
                break
            if visit and not c.prep and c.type in PLACE_TYPES and not c.adjective and c.tok <= j + 1:
                tgt = c
                break
    if tgt is None and trig.mode == "investigate":  # "يحقق في التدخل الروسي"
        tgt = next((c for c in after if c.prep == "في" and c is not src and c.tok <= j + 6), None)
    if tgt is None and trig.kind == "verb":
        # the object: the next free candidate, right after the subject (or the verb)
        base = src.end_tok if src is not None and src.tok >= j else j
        tgt = next((c for c in after if not c.prep and c is not src and c is not agent
                    and base <= (c.lead if c.lead >= 0 else c.tok) <= base + OBJECT_GAP
                    and _object_gap_ok(s, base, c)), None)
        if tgt is not None and tgt.adjective and etype == "CONSULT":
            tgt = None  # "بحثوا الأزمة السورية": what was discussed, not with whom
    if tgt is None and etype in ("ASSAULT", "COERCE"):
        # "هاجموا مركزا للشرطة", "على دورية للجيش": the owner of the object is the target
        base = src.end_tok if src is not None and src.tok >= j else j
        for c in after:
            k = c.tok - 1
            if c is src or c.prep != "ل" or c.tok - base > 4 or k < base or s.words[k].startswith("ال") \
                    or s.toks[k].kind != "word" or any(k == x.tok for x in s.cands):
                continue
            first = base if trig.kind == "verb" else base + 1  # a noun trigger: "هجوم على مواقع للمعارضة"
            if trig.kind != "verb" and not (base < len(s.bare) and lex.cue_match("partner", s.bare[base])):
                continue
            between = [x for x in range(first, k) if not s.skippable(x)]
            if len(between) <= 2 and all(s.bare[x] == "نار" or lex.cue_match("partner", s.bare[x]) for x in between):
                tgt = c  # "أطلقوا النار على دورية للشرطة"
            break
    if tgt is None and etype == "SANCTION":
        # "فرضت عقوبات على شبكة تمويل للحرس الثوري": the owner of what is sanctioned
        on = next((k for k in range(j, min(len(s.bare), j + 3)) if s.bare[k] in ("علي", "على")), None)
        c = next((c for c in after if c.tok > (on or 0)), None) if on is not None else None
        if c is not None and c is not src and c.prep == "ل" and 1 <= c.tok - on - 1 <= 3 and all(
                not s.words[x].startswith("ال") and s.toks[x].kind == "word" and not _clause_between(s, x, x + 1)
                for x in range(on + 1, c.tok - (0 if c.adjective else 0))):
            tgt = c
    if tgt is None and etype in ("ASSAULT", "COERCE", "SANCTION"):
        tgt = next((c for c in s.cands if c.prep == "ضد" and c is not src), None)
    if tgt is not None and src is not None and (tgt.canonical == src.canonical or (
            tgt.country and tgt.country == src.country and (
                tgt.adjective or (src.sector and tgt.canonical == tgt.country)
                or (tgt.sector and src.canonical == src.country)))):
        tgt = None  # a country and its own forces ("القوات الأمريكية ... الولايات المتحدة")
    return src, tgt


@cache
def _place_heads() -> frozenset[str]:
    """Place-class nouns (مدينة، محافظة، بلدة ...: the LOC rows of
    ner_triggers.tsv), SEARCH-normalised without ال."""
    from marsad.lang.ar import load_table

    out = set()
    for row in load_table("ner_triggers"):
        if row["type"] == "LOC":
            w = SEARCH.text(row["trigger"])
            out.add(w[2:] if w.startswith("ال") else w)
    return frozenset(out)


def _place_prep(s: _Sent, c: "_Cand") -> str:
    """The preposition of a place, also across a place-class noun: "في مدينة الموصل"."""
    if c.prep or c.tok < 2:
        return c.prep
    head = s.bare[c.tok - 1]
    if head[:1] == "ب" and head[1:] in _place_heads():
        return "ب"  # "بمدينة البصرة"
    if (head[2:] if head.startswith("ال") else head) in _place_heads():
        k = c.tok - 1
        if lex.cue_match("preposition", s.bare[k - 1]):
            return s.bare[k - 1]
    return c.prep


def _place_adverb(w: str) -> bool:
    w = w[1:] if w[:1] in "وف" and len(w) > 4 else w
    return lex.cue_match("place_adverb", w) or (w[:1] in "بل" and lex.cue_match("place_adverb", w[1:]))


def _where_prep(s: _Sent, c: "_Cand") -> str:
    """The word that makes a place name a where: a place adverb before it
    (شرق خان يونس، بشمال العراق), or a place-class noun with a preposition
    or a place adverb before it (بالعاصمة كابول، شرق مدينة غزة، في مدينة
    الموصل); "" when none."""
    k = c.tok - 1
    if k < 0:
        return ""
    if _place_adverb(s.words[k]):
        return s.bare[k]
    if s.bare[k] not in _place_heads():
        return ""
    w = s.words[k]
    w = w[1:] if w[:1] in "وف" and len(w) > 4 else w
    if w[:1] in "بل" and not w.startswith("ال"):
        return w[:1]  # "بالعاصمة كابول", "لمدينة حلب"
    if k >= 1 and (lex.cue_match("preposition", s.bare[k - 1]) or _place_adverb(s.words[k - 1])):
        return s.bare[k - 1]
    return ""


def _place(s: _Sent, i: int, lo: int, hi: int, etype: str) -> str | None:
    """A LOC/GPE after في (or الى for a visit), also across a place-class noun
    (في مدينة الموصل), the first after the trigger, else the nearest before it."""
    if etype in SPEECH_ACTS:
        return None
    hi = _topic_at(s, i + 1, hi)
    best = None
    for c in s.cands[_cand_at(s, lo):_cand_at(s, hi)]:
        if c.type not in PLACE_TYPES or c.adjective or c.mention < 0:
            continue
        prep = _place_prep(s, c)
        if prep in ("في", "ب") or (prep == _TO and etype == "CONSULT") or _place_adverb(prep):
            d = c.tok - i if c.tok > i else 1000 + i - c.tok
            if best is None or d < best[0]:
                best = (d, c)
    return best[1].canonical if best else None


def _sentence_view(doc: Doc, sent: Sentence, tokens: list[Token], starts: list[int]) -> _Sent:
    a = bisect.bisect_left(starts, sent.start)
    b = bisect.bisect_left(starts, sent.end)
    toks = [t for t in tokens[a:b] if t.kind in ("word", "number", "latin")]
    words = [t.norm for t in toks]
    bare = [_bare(w) for w in words]
    tstarts = [t.start for t in toks]
    view = _Sent(doc, sent, toks, words, bare, _candidates(doc, toks, words, tstarts))
    prev: _Cand | None = None
    for c in view.cands:
        if c.adjective:
            # "القوات الأميركية", "مع نظيره العراقي": the adjective takes the
            # preposition of its noun
            k = c.tok - 1
            c.prep = _prep_of(view, k, toks[k].start) if k >= 0 else ""
        else:
            m = doc.mentions[c.mention] if c.mention >= 0 else None
            if m is not None and m.title_start >= 0 and m.title_start < m.start:
                k = max(0, bisect.bisect_right(tstarts, m.title_start) - 1)
                c.prep = _prep_of(view, k, m.title_start)
                c.lead = k
            else:
                c.prep = _prep_of(view, c.tok, c.start, titled=c.type == "PER")
        if not c.prep and prev is not None and prev.prep and prev.end_tok == c.tok and words[c.tok][:1] == "و":
            c.prep = prev.prep  # "في العراق وسوريا"
        prev = c
    for c in view.cands:
        if c.type in PLACE_TYPES and not c.adjective and not c.prep and c.mention >= 0:
            c.prep = _where_prep(view, c)  # "بالعاصمة كابول", "شرق مدينة غزة": where, not who
    taken = {x for c in view.cands for x in range(c.tok, c.end_tok)}
    for c in view.cands:
        if c.type not in ("ORG", GROUP):
            continue
        k = c.lead if c.lead >= 0 else c.tok
        if k >= 3 and words[k - 1] not in ("في", "من") and k - 1 not in taken and not words[k - 1].startswith("ال"):
            k -= 1  # a construct noun between: "قياديا في حركة حماس"
        if k >= 2 and words[k - 1] in ("في", "من") and k - 2 not in taken \
                and lex.cue_match("member", _bare(words[k - 2])):
            # "اغتال مسلحون قياديا في حركة حماس": the member stands for his organisation
            c.prep, c.lead = _prep_of(view, k - 2, toks[k - 2].start), k - 2
    return view


def _speaker(doc: Doc, qi: int, s: _Sent) -> _Cand | None:
    if qi < 0:
        return None
    sp = doc.quotes[qi].speaker
    if sp is None or (sp.canonical is None and sp.mention < 0):
        return None
    m: Mention | None = doc.mentions[sp.mention] if 0 <= sp.mention < len(doc.mentions) else None
    if _medium(sp.canonical) or (m is not None and _medium(m.text)):
        return None
    if m is None and sp.canonical and lex.cue_match("informant", _bare(SEARCH.text(sp.canonical.split()[0]))):
        return None  # "قالت مصادر عسكرية إن ...": who told it, not who did it
    country = m.country if m is not None else None
    if country is None and m is not None and m.title:
        country = next((c for c in map(demonym, m.title.split()) if c), None)
    return _Cand(-1, -1, m.start if m else -1, m.end if m else -1, sp.canonical or (m.text if m else None),
                 sp.entity_id, m.type if m else "PER", country, sp.mention)
