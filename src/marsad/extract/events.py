"""The ``events`` component: who did what to whom, when and where, coded in
PLOVER from the Arabic itself (docs/events.md).

Per sentence, each token is looked up in the trigger lexicon
(``event_lexicon``); a hit becomes an :class:`EventMention` when its context
allows it (not inside a name, not a topic of talk, not "فكرة الأمن"), with:

* actors from the entity mentions of its clause, read the way Arabic news
  writes them: verb-subject-object (the first mention after a verb that no
  preposition governs is the source), the genitive of a verbal noun
  (زيارة الوزير, اغتيال القائد), a nationality adjective (غارات بريطانية,
  القوات الأميركية), مع / على / ضد / الى for the target, بين X و Y for both;
  failing those the subject before the trigger, the speaker of the quote the
  trigger stands in, or the subject of the previous sentence after a
  reporting verb ("وقال انه بحث ...").
* mode: negated (لم، لن، نفى), hypothetical (إذا، لو، في حال), announced (the
  future prefix س, سيتم، المقبل، قريبا، مستعد، a date after publication), else
  happened.
* date: the resolved date of the clause (then of the sentence), else the
  publication date for "today" reporting; place: a LOC/GPE after في or
  الى, else the dateline for "today" reporting; the quote that states it.

Precision first: a trigger that needs actors and finds none is dropped.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass
from functools import cache, lru_cache

from marsad.extract import event_lexicon as lex
from marsad.model import Actor, DateRef, Doc, EventMention, Mention, Sentence, Token
from marsad.errors import ConfigError
from marsad.pipeline import component
from marsad.text.normalize import SEARCH
from marsad.text.sentences import clauses

ACTOR_TYPES = ("PER", "ORG", "GPE", "LOC")
PLACE_TYPES = ("GPE", "LOC")
WINDOW_AFTER = 10  # tokens after a trigger searched for its subject/object
CONTEXT_WINDOW = 5
HYPOTHETICAL_WINDOW = 6
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


class _Sent:
    """Token-level view of one sentence for argument finding."""

    def __init__(self, doc: Doc, sent: Sentence, toks: list[Token], words: list[str], bare: list[str],
                 cands: list[_Cand]):
        self.doc, self.sent, self.toks, self.words, self.bare, self.cands = doc, sent, toks, words, bare, cands
        self.cand_toks = [c.tok for c in cands]


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
    if i > 1 and not s.words[i - 1].startswith("ال") and lex.cue_match("partner", s.bare[i - 2]) \
            and not lex.cue_match("preposition", s.bare[i - 1]) and not lex.cue_match("particle", s.bare[i - 1]) \
            and s.toks[i - 1].kind == "word":
        return s.bare[i - 2]  # a construct noun between: "على مواقع داعش", "مع نظيره"
    return ""


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
        out.append(_Cand(i, max(j, i + 1), m.start, m.end, m.canonical or m.text, m.entity_id, m.type,
                         country, mi))
        covered.update(range(i, max(j, i + 1)))
    per_starts = {c.tok for c in out if c.type == "PER"}
    owners = sorted((c.tok, c.country) for c in out if c.type == "PER" and c.country)
    owner_toks = [o[0] for o in owners]
    for i, t in enumerate(toks):
        if i in covered or t.kind != "word" or any(a <= t.start and t.end <= b for a, b in titled):
            continue
        if any(k in per_starts for k in (i + 1, i + 2)):
            continue  # part of a title: "الرئيس العراقي برهم صالح"
        c = demonym(t.text)
        if c is not None:
            out.append(_Cand(i, i + 1, t.start, t.end, c, None, "GPE", c, -1, adjective=True))
        elif lex.cue_match("possessive_country", _bare(words[i])):
            # "بلاده": the country of the nearest person before it
            k = bisect.bisect_left(owner_toks, i)
            if k > 0:
                owner = owners[k - 1][1]
                out.append(_Cand(i, i + 1, t.start, t.end, owner, None, "GPE", owner, -1, adjective=True))
    out.sort(key=lambda c: c.tok)
    return out


def _actor(c: _Cand, role: str) -> Actor:
    return Actor(role=role, entity_id=c.entity_id, canonical=c.canonical, mention=c.mention, country=c.country)


def _context_ok(s: _Sent, i: int, trig: lex.Trigger, end_tok: int) -> bool:
    if trig.exclude and end_tok < len(s.words) and s.bare[end_tok] in trig.exclude:
        return False
    if not trig.context:
        return True
    before = list(range(max(0, i - 3), i)) if trig.kind != "verb" else []  # "مذكرة سيتم توقيعها"
    for k in list(range(end_tok, min(len(s.words), end_tok + CONTEXT_WINDOW))) + before:
        for p in trig.context:
            # a one-letter prefix pattern (ب*) is the clitic itself: never the bare word
            if lex.pattern_match(p, s.words[k]) or (len(p) > 3 and lex.pattern_match(p, s.bare[k])):
                return True
    return False


def _mode(s: _Sent, i: int, lo: int, future_form: bool) -> str:
    """happened | announced | negated | hypothetical for a trigger at token i
    whose clause starts at token lo."""
    for k in range(max(lo, i - 2), i):
        if lex.cue_match("negation", s.bare[k]):
            # "لم ... الا" is an exception, not a negation
            if not any(s.bare[x] == "الا" for x in range(k + 1, i)):
                return "negated"
    for k in range(lo, i):
        if lex.cue_match("denial", s.bare[k]):
            return "negated"
        if lex.cue_match("hypothetical", s.bare[k]) and i - k <= HYPOTHETICAL_WINDOW:
            return "hypothetical"
    if future_form:
        return "announced"
    return ""


def _future_clause(s: _Sent, lo: int, hi: int) -> bool:
    for k in range(lo, hi):
        w = s.words[k]
        if lex.cue_match("future", s.bare[k]) or lex.cue_match("future", w):
            return True
        if w.startswith(("سيتم", "ستتم", "سيقوم", "ستقوم", "سيجري", "ستجري", "سيعقد", "ستعقد")):
            return True
        v = w[1:] if w[:1] in "وف" else w
        if v[:1] == "س" and v[1:2] in "يتن" and v[1:] in lex.verb_forms():
            return True
    return False


def _cand_at(s: _Sent, tok: int) -> int:
    """Index of the first candidate at or after token ``tok``."""
    return bisect.bisect_left(s.cand_toks, tok)


def _topic_at(s: _Sent, j: int, hi: int) -> int:
    """Token where the topic of talk starts after a trigger (حول، بشأن ...)."""
    return next((k for k in range(j, hi) if lex.cue_match("topic_marker", s.bare[k])), hi)


def _first_subject(s: _Sent, before: int) -> _Cand | None:
    """The sentence's subject: its first candidate no preposition governs."""
    return next((c for c in s.cands if c.tok < before and not c.prep and c.tok >= 0), None)


def _find_actors(s: _Sent, i: int, j: int, trig: lex.Trigger, etype: str, lo: int, hi: int,
                 prev_subject: _Cand | None, speaker: _Cand | None,
                 enclitic: bool) -> tuple[_Cand | None, _Cand | None]:
    """Source and target for a trigger spanning tokens [i, j) of a clause [lo, hi)."""
    cands = [c for c in s.cands[_cand_at(s, lo):_cand_at(s, hi)] if not (c.tok < j and c.end_tok > i)]
    # the topic after حول / بشأن is not an argument
    k = _topic_at(s, j, hi)
    cands = [c for c in cands if c.tok < k]
    src = tgt = None
    after = [c for c in cands if c.tok >= j]
    near = [c for c in after if c.tok < j + WINDOW_AFTER]
    before = [c for c in cands if c.tok < i]
    passive = any(lex.cue_match("passive", s.bare[x]) or lex.cue_match("passive", s.words[x])
                  for x in range(max(lo, i - 3), i))
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
    if etype in ("RETREAT", "ASSAULT", "MOBILIZE"):
        best = None
        for c in s.cands[_cand_at(s, i - MAX_REACH):_cand_at(s, j + MAX_REACH)]:
            if c.adjective and not c.prep and c.tok > 0 and \
                    any(lex.cue_match("force", s.bare[x]) for x in range(max(0, c.tok - 2), c.tok)):
                d = abs(c.tok - i)
                if best is None or d < best[0]:
                    best = (d, c)
        src = best[1] if best else None
    if src is None and trig.kind != "verb":
        gen = next((c for c in near if c.tok <= j + 1 and not c.prep), None)
        if gen is not None:
            role = trig.genitive or "source"
            if role == "auto":
                role = "target" if gen.type in PLACE_TYPES and not gen.adjective else "source"
            if gen.adjective and gen.tok == j:
                role = "source"  # the adjective agrees with the trigger: "غارات بريطانية"
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
            src = _first_subject(s, i)
    visit = trig.actors == "visit" or (trig.kind == "verb" and trig.mode == "visit")
    if src is None and trig.kind == "verb" and s.words[i].endswith("ان") and etype in ("CONSULT", "AGREE", "COOPERATE"):
        pair = [c for c in before if not c.prep][-2:]  # "الوزيرين حسين ولافروف سيناقشان"
        if len(pair) == 2 and i - pair[0].tok <= 4:
            return pair[0], pair[1]
    if src is None:
        src = next((c for c in near if not c.prep and c is not tgt
                    and not (visit and c.type in PLACE_TYPES and not c.adjective)
                    and not any(lex.cue_match("partner", s.bare[x]) for x in range(j, c.tok))), None)
    if src is None:
        src = next((c for c in reversed(before) if not c.prep), None)
    if src is None and trig.kind == "verb" and i < MAX_REACH:
        src = _first_subject(s, i)
    if src is None and speaker is not None and not passive:
        src = speaker
    if src is None and prev_subject is not None and not passive and \
            any(lex.cue_match("report", s.bare[x]) for x in range(0, min(2, len(s.bare)))):
        if _cand_at(s, i) == 0:
            src = prev_subject
    if tgt is None:
        for c in after:
            if c is src:
                continue
            if (c.prep and (lex.cue_match("partner", c.prep) or lex.cue_match("partner_for", c.prep, etype))) or (
                    c.prep[:1] == "ل" and etype in ("REQUEST", "SUPPORT", "AID")):
                tgt = c
                break
            if visit and not c.prep and c.type in PLACE_TYPES and not c.adjective and c.tok <= j + 1:
                tgt = c
                break
    if tgt is None and trig.kind == "verb":
        # the object: the next free candidate, right after the subject (or the verb)
        base = src.end_tok if src is not None and src.tok >= j else j
        tgt = next((c for c in after if not c.prep and c is not src
                    and base <= (c.lead if c.lead >= 0 else c.tok) <= base + OBJECT_GAP), None)
    if tgt is None and etype in ("ASSAULT", "COERCE", "SANCTION"):
        tgt = next((c for c in s.cands if c.prep == "ضد" and c is not src), None)
    if tgt is not None and src is not None and (tgt.canonical == src.canonical or
                                                (tgt.country and tgt.country == src.country and tgt.adjective)):
        tgt = None
    return src, tgt


def _pick_date(dates: list[DateRef], lo: int, hi: int, trig_start: int, announced: bool,
               published: str | None) -> str | None:
    inside = [d for d in dates if lo <= d.start < hi and d.value]
    if not inside:
        return None
    if published and announced:
        # a date before publication dates the announcement, not the event
        inside = [d for d in inside if d.value[:10] > published[:10]]
        if not inside:
            return None
    elif published:
        past = [d for d in inside if d.value[:10] <= published[:10]]
        if past:
            inside = past
    return min(inside, key=lambda d: abs(d.start - trig_start)).value


def _place(s: _Sent, i: int, lo: int, hi: int, etype: str) -> str | None:
    """A LOC/GPE after في (or الى for a visit), the first after the trigger,
    else the nearest before it."""
    if etype in SPEECH_ACTS:
        return None
    hi = _topic_at(s, i + 1, hi)
    best = None
    for c in s.cands[_cand_at(s, lo):_cand_at(s, hi)]:
        if c.type not in PLACE_TYPES or c.adjective or c.mention < 0:
            continue
        if c.prep in ("في", "ب") or (c.prep == _TO and etype == "CONSULT"):
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
    return view


def _phrase_end(s: _Sent, k: int, rest: tuple[str, ...]) -> int | None:
    """Token index after the words ``rest`` starting at ``k`` (a quantifier
    such as جميع may stand between), or None."""
    for r in rest:
        if k < len(s.words) and lex.cue_match("quantifier", s.bare[k]) and not lex.cue_match("quantifier", r):
            k += 1
        if k >= len(s.words) or s.bare[k] not in (r, _bare(r)):
            return None
        k += 1
    return k


def _governed(s: _Sent, i: int, index, trigs) -> bool:
    """Is a noun trigger the object of a demand, threat or refusal verb
    within six words before it?"""
    for k in range(max(0, i - 6), i):
        for f in index.get(s.words[k], ()):
            t = trigs[f.trigger]
            if t.kind == "verb" and t.type in ("REQUEST", "THREATEN", "REJECT"):
                return True
    return False


def _purpose(s: _Sent, i: int) -> bool:
    """Is the word before a noun trigger a purpose verbal noun (لتعزيز، لضمان)?"""
    for k in range(max(0, i - 2), i):
        w = s.words[k]
        if len(w) > 4 and w[0] == "ل" and w[:2] != "لل" and w not in ("لدي", "لكن") and not w.startswith(("لم", "لن", "لا")):
            return True
    return False


def _quote_at(doc: Doc, pos: int) -> int:
    for k, q in enumerate(doc.quotes):
        if q.start <= pos < q.end:
            return k
    return -1


def _speaker(doc: Doc, qi: int, s: _Sent) -> _Cand | None:
    if qi < 0:
        return None
    sp = doc.quotes[qi].speaker
    if sp is None or (sp.canonical is None and sp.mention < 0):
        return None
    m: Mention | None = doc.mentions[sp.mention] if 0 <= sp.mention < len(doc.mentions) else None
    country = m.country if m is not None else None
    if country is None and m is not None and m.title:
        country = next((c for c in map(demonym, m.title.split()) if c), None)
    return _Cand(-1, -1, m.start if m else -1, m.end if m else -1, sp.canonical or (m.text if m else None),
                 sp.entity_id, m.type if m else "PER", country, sp.mention)


def extract_events(doc: Doc) -> list[EventMention]:
    text = doc.text
    if not text or not doc.tokens:
        return []
    index = lex.form_index()
    trigs = lex.triggers()
    tokens = doc.tokens
    starts = [t.start for t in tokens]
    published = doc.article.published
    mention_spans = sorted((m.start, m.end) for m in doc.mentions)
    mstarts = [a for a, _ in mention_spans]
    out: list[EventMention] = []
    seen: set[tuple] = set()
    prev_subject: _Cand | None = None
    prev_sent: Sentence | None = None
    hits = [t.start for t in tokens if t.norm in index]
    for sent in doc.sentences:
        h = bisect.bisect_left(hits, sent.start)
        if h == len(hits) or hits[h] >= sent.end:
            prev_sent = sent  # no trigger here
            continue
        if prev_sent is not None:  # the subject of the sentence before ("وقال انه بحث ...")
            pv = _sentence_view(doc, prev_sent, tokens, starts)
            prev_subject = next((c for c in pv.cands if not c.prep and c.type in ("PER", "ORG", "GPE")), None)
        prev_sent = sent
        s = _sentence_view(doc, sent, tokens, starts)
        if not s.toks:
            continue
        cl = clauses(text, sent)
        cl_starts = [c.start for c in cl]
        used: set[int] = set()
        talks_at: int | None = None
        demand_at: int | None = None
        verb_subjects: set[int] = set()  # candidates already the subject of a verb trigger
        verb_types: set[str] = set()
        tstarts = [t.start for t in s.toks]
        for i, w in enumerate(s.words):
            if i in used:
                continue
            forms = index.get(w)
            if not forms:
                continue
            hit = None
            if i > 0 and (s.words[i - 1].startswith("ال") or lex.cue_match("report", s.bare[i - 1])
                          or lex.cue_match("preposition", s.bare[i - 1])):
                forms = sorted(forms, key=lambda f: trigs[f.trigger].kind == "verb")  # a noun reading first
            for f in sorted(forms, key=lambda f: -len(f.rest)):
                end = _phrase_end(s, i + 1, f.rest)
                if end is not None:
                    hit = (f, end)
                    break
            if hit is None:
                continue
            f, j = hit
            trig = trigs[f.trigger]
            t0, t1 = s.toks[i], s.toks[j - 1]
            # inside a named entity: "مجلس التعاون الخليجي"
            k = bisect.bisect_right(mstarts, t0.end) - 1
            if k >= 0 and mention_spans[k][0] < t1.end and mention_spans[k][1] > t0.start and \
                    any(a < t1.end and b > t0.start for a, b in mention_spans[max(0, k - 3):k + 1]):
                continue
            if not _context_ok(s, i, trig, j):
                continue
            if i > 0 and trig.kind != "verb" and (lex.cue_match("blocker", s.bare[i - 1]) or
                                                  lex.cue_match("topic", s.bare[i - 1], trig.type)):
                continue
            if i > 0 and trig.kind != "verb" and not f.enclitic and lex.cue_match("blocker_plain", s.bare[i - 1]):
                continue
            if any(lex.cue_match("blocker2", s.bare[k]) for k in range(max(0, i - 2), i)):
                continue
            if trig.kind != "verb" and _governed(s, i, index, trigs):
                continue  # the content of a demand, threat or refusal (طالبت بالإفراج), not an event
            if trig.kind != "verb" and trig.type in ("AID", "COOPERATE", "SUPPORT") and (
                    talks_at is not None and talks_at < i or _purpose(s, i)):
                continue  # a topic of talks or a purpose ("لتعزيز التعاون"), not an event
            used.update(range(i, j))
            ci = max(0, bisect.bisect_right(cl_starts, t0.start) - 1)
            clause = cl[ci] if cl else sent
            # the clause, at most MAX_REACH tokens either side (run-on text stays linear)
            lo = max(bisect.bisect_left(tstarts, clause.start), i - MAX_REACH)
            hi = min(bisect.bisect_left(tstarts, clause.end), j + MAX_REACH)
            etype, pmode = trig.type, trig.mode
            if pmode == "?":
                pmode = ""
                for m in ("military", "economic", "humanitarian"):
                    if any(lex.cue_match("mode_" + m, s.bare[x]) for x in range(lo, hi)):
                        pmode = m
                        break
                if pmode and trig.alt_type:
                    etype = trig.alt_type
            if trig.actors == "visit":
                nxt = [c for c in s.cands if j <= c.tok <= j + 1 and c.type in PLACE_TYPES and not c.adjective]
                if not nxt:
                    continue
            qi = _quote_at(doc, t0.start)
            src, tgt = _find_actors(s, i, j, trig, etype, lo, hi, prev_subject, _speaker(doc, qi, s), f.enclitic)
            if trig.kind != "verb" and not f.enclitic and src is not None and src.tok in verb_subjects \
                    and src.tok < i and etype not in verb_types:
                src = None  # "أدانت الجامعة الهجوم": the subject of the verb is not the attacker
            if trig.actors in ("any", "visit", "speaker") and src is None and tgt is None:
                continue
            if trig.actors == "source" and src is None:
                continue
            if trig.actors == "both" and (src is None or tgt is None):
                continue
            mode = _mode(s, i, lo, f.future)
            if not mode:
                mode = "announced" if _future_clause(s, lo, hi) else "happened"
            date = _pick_date(doc.dates, clause.start, clause.end, t0.start, mode == "announced", published)
            if date is None:
                date = _pick_date(doc.dates, sent.start, sent.end, t0.start, mode == "announced", published)
            today = any(lex.cue_match("today", s.words[x]) or lex.cue_match("today", s.bare[x]) for x in range(lo, hi))
            if date is None and today and mode == "happened" and published:
                date = published[:10]
            if mode == "happened" and date and published and date[:10] > published[:10] and len(date) >= 10:
                mode = "announced"
            place = _place(s, i, lo, hi, etype) or (doc.article.dateline if today and mode == "happened" else None)
            actors = tuple(a for a in (_actor(src, "source") if src else None,
                                       _actor(tgt, "target") if tgt else None) if a)
            key = (sent.start, etype, src.canonical if src else None, tgt.canonical if tgt else None, mode)
            if key in seen:
                continue
            seen.add(key)
            if etype == "CONSULT" and talks_at is None:
                talks_at = i
            if etype in ("REQUEST", "THREATEN") and demand_at is None:
                demand_at = i
            if trig.kind == "verb" and src is not None:
                verb_subjects.add(src.tok)
                verb_types.add(etype)
            out.append(EventMention(
                start=clause.start, end=clause.end, type=etype, mode=mode,
                trigger=text[t0.start:t1.end], trigger_start=t0.start, trigger_end=t1.end,
                actors=actors, date=date, place=place, event_mode=pmode or None, quote=qi))
    return out


FILTER_MODES = ("none", "actorless", "all")


def filter_events(doc: Doc, events: list[EventMention], mode: str = "actorless") -> list[EventMention]:
    """Drop actor-less PROTEST/ASSAULT events of sentences the learned filter
    rejects (an event with actors found by the rules is kept)."""
    from marsad.extract import event_filter

    if not any(e.type in event_filter.FILTERED for e in events):
        return events
    starts = [t.start for t in doc.tokens]
    out = []
    verdict: dict[tuple[int, str], bool] = {}
    for e in events:
        if e.type in event_filter.FILTERED and (mode == "all" or not e.actors):  # actors: evidence enough
            sent = next((x for x in doc.sentences if x.start <= e.trigger_start < x.end), None)
            if sent is not None:
                key = (sent.start, e.type)
                if key not in verdict:
                    toks = doc.tokens[bisect.bisect_left(starts, sent.start):bisect.bisect_left(starts, sent.end)]
                    same = [x for x in events if sent.start <= x.trigger_start < sent.end]
                    verdict[key] = event_filter.keep(toks, same, e.type)
                if not verdict[key]:
                    continue
        out.append(e)
    return out


@component("events", requires=("tokens", "sentences", "mentions"), assigns=("events",))
def make_event_coder(filter: str = "actorless"):
    """PLOVER event mentions with actors, mode, date, place and quote.

    ``filter``: which PROTEST/ASSAULT events the learned sentence filter may
    drop: none, actorless (default: those without actors), all."""
    if filter not in FILTER_MODES:
        raise ConfigError(f"events filter must be one of {', '.join(FILTER_MODES)}, not {filter!r}")

    def run(doc: Doc) -> None:
        events = extract_events(doc)
        doc.events = filter_events(doc, events, filter) if filter != "none" else events

    return run
