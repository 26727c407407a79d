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
from functools import cache

from marsad.extract import event_lexicon as lex
from marsad.model import Actor, DateRef, Doc, EventMention, Mention, Sentence, Token
from marsad.pipeline import component
from marsad.text.normalize import SEARCH
from marsad.text.sentences import clauses

ACTOR_TYPES = ("PER", "ORG", "GPE", "LOC")
PLACE_TYPES = ("GPE", "LOC")
WINDOW_AFTER = 10  # tokens after a trigger searched for its subject/object
CONTEXT_WINDOW = 5


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


class _Sent:
    """Token-level view of one sentence for argument finding."""

    def __init__(self, doc: Doc, sent: Sentence, toks: list[Token], words: list[str], bare: list[str],
                 cands: list[_Cand]):
        self.doc, self.sent, self.toks, self.words, self.bare, self.cands = doc, sent, toks, words, bare, cands


def _bare(norm: str) -> str:
    """A normalised word without و ف and ب ل ك + ال (for cue matching)."""
    w = norm
    for p in ("وال", "فال", "بال", "لل", "كال", "ال"):
        if w.startswith(p) and len(w) - len(p) >= 2:
            return w[len(p):]
    if len(w) > 3 and w[0] in "وف":
        w = w[1:]
    return w


def _prep_of(s: _Sent, i: int, mention_start: int) -> str:
    """The preposition governing a candidate starting at token ``i``."""
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
    if i > 1 and s.bare[i - 1] in ("نظيره", "نظيرته", "نظيرها", "نظيرتها") and lex.cue_match("preposition", s.bare[i - 2]):
        return s.bare[i - 2]
    return ""


def _candidates(doc: Doc, toks: list[Token], words: list[str], starts: list[int]) -> list[_Cand]:
    out: list[_Cand] = []
    if not toks:
        return out
    lo, hi = toks[0].start, toks[-1].end
    ms = doc.mentions
    titled = [(m.title_start, m.title_end) for m in ms if m.title_start >= 0]
    covered: set[int] = set()
    for mi, m in enumerate(ms):
        if m.end <= lo or m.start >= hi or m.type not in ACTOR_TYPES:
            continue
        if any(a <= m.start and m.end <= b for a, b in titled):
            continue  # an organisation inside a person's title
        i = max(0, bisect.bisect_right(starts, m.start) - 1)
        j = bisect.bisect_left(starts, m.end)
        country = m.country
        if country is None and m.type in ("GPE", "LOC"):
            country = country_of_name(m.canonical or m.text)
        if country is None and m.title:
            country = next((c for c in map(demonym, m.title.split()) if c), None)
        out.append(_Cand(i, max(j, i + 1), m.start, m.end, m.canonical or m.text, m.entity_id, m.type,
                         country, mi))
        covered.update(range(i, max(j, i + 1)))
    for i, t in enumerate(toks):
        if i in covered or t.kind != "word":
            continue
        c = demonym(t.text)
        if c is not None:
            out.append(_Cand(i, i + 1, t.start, t.end, c, None, "GPE", c, -1, adjective=True))
    out.sort(key=lambda c: c.tok)
    return out


def _actor(c: _Cand, role: str) -> Actor:
    return Actor(role=role, entity_id=c.entity_id, canonical=c.canonical, mention=c.mention, country=c.country)


def _context_ok(s: _Sent, i: int, trig: lex.Trigger, end_tok: int) -> bool:
    if trig.exclude and end_tok < len(s.words) and s.bare[end_tok] in trig.exclude:
        return False
    if not trig.context:
        return True
    for k in range(end_tok, min(len(s.words), end_tok + CONTEXT_WINDOW)):
        for p in trig.context:
            if lex.pattern_match(p, s.words[k]) or lex.pattern_match(p, s.bare[k]):
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
        if lex.cue_match("hypothetical", s.bare[k]):
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
    return False


def _find_actors(s: _Sent, i: int, j: int, trig: lex.Trigger, etype: str, lo: int, hi: int,
                 prev_subject: _Cand | None, speaker: _Cand | None) -> tuple[_Cand | None, _Cand | None]:
    """Source and target for a trigger spanning tokens [i, j) of a clause [lo, hi)."""
    cands = [c for c in s.cands if lo <= c.tok < hi and not (c.tok < j and c.end_tok > i)]
    # the topic after حول / بشأن is not an argument
    for k in range(j, hi):
        if s.bare[k] in ("حول", "بشان", "بخصوص"):
            cands = [c for c in cands if c.tok < k]
            break
    src = tgt = None
    after = [c for c in cands if j <= c.tok < j + WINDOW_AFTER]
    before = [c for c in cands if c.tok < i]
    # بين X و Y
    for k in range(j, min(hi, j + 6)):
        if lex.cue_match("between", s.bare[k]):
            two = [c for c in cands if c.tok > k][:2]
            if len(two) == 2:
                return two[0], two[1]
    force = None
    if etype in ("RETREAT", "ASSAULT", "MOBILIZE"):
        best = None
        for c in s.cands:
            if c.adjective and c.tok > 0 and any(lex.cue_match("force", s.bare[x]) for x in range(max(0, c.tok - 2), c.tok)):
                d = abs(c.tok - i)
                if best is None or d < best[0]:
                    best = (d, c)
        force = best[1] if best else None
    if trig.kind != "verb":
        gen = next((c for c in after if c.tok <= j + 1 and not c.prep), None)
        if gen is not None:
            role = trig.genitive or "source"
            if role == "auto":
                role = "target" if gen.type in PLACE_TYPES and not gen.adjective else "source"
            if gen.adjective:
                role = "source"
            if role == "source":
                src = gen
            else:
                tgt = gen
    if src is None and force is not None:
        src = force
    if src is None:
        src = next((c for c in after if not c.prep and c is not tgt and
                    not any(lex.cue_match("partner", s.bare[x]) for x in range(j, c.tok))), None)
    if src is None:
        src = next((c for c in reversed(before) if not c.prep), None)
    if src is None:
        sent_before = [c for c in s.cands if c.tok < i and not c.prep]
        if sent_before and trig.kind == "verb":
            src = sent_before[0]
    if src is None and speaker is not None:
        src = speaker
    if src is None and prev_subject is not None and any(lex.cue_match("report", s.bare[x]) for x in range(0, min(2, len(s.bare)))):
        if not [c for c in s.cands if c.tok < i]:
            src = prev_subject
    if tgt is None:
        for c in after:
            if c is src:
                continue
            if c.prep and lex.cue_match("partner", c.prep) or (c.prep == "ل" and etype in ("REQUEST", "SUPPORT", "AID")):
                tgt = c
                break
    if tgt is None and trig.kind == "verb":
        tgt = next((c for c in after if not c.prep and c is not src and (src is None or c.tok > src.tok)), None)
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
        future = [d for d in inside if d.value[:10] > published[:10]]
        if future:
            inside = future
    elif published:
        past = [d for d in inside if d.value[:10] <= published[:10]]
        if past:
            inside = past
    return min(inside, key=lambda d: abs(d.start - trig_start)).value


def _place(s: _Sent, i: int, lo: int, hi: int, etype: str) -> str | None:
    best = None
    for c in s.cands:
        if not (lo <= c.tok < hi) or c.type not in PLACE_TYPES or c.adjective or c.mention < 0:
            continue
        if c.prep in ("في", "ب") or (c.prep == "الى" and etype == "CONSULT"):
            d = abs(c.tok - i)
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
    return _Sent(doc, sent, toks, words, bare, _candidates(doc, toks, words, tstarts))


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
    for sent in doc.sentences:
        s = _sentence_view(doc, sent, tokens, starts)
        if not s.toks:
            continue
        cl = clauses(text, sent)
        cl_starts = [c.start for c in cl]
        used: set[int] = set()
        for i, w in enumerate(s.words):
            if i in used:
                continue
            forms = index.get(w)
            if not forms:
                continue
            hit = None
            for f in sorted(forms, key=lambda f: -len(f.rest)):
                n = len(f.rest)
                if n and not all(i + 1 + k < len(s.words) and s.bare[i + 1 + k] in (r, _bare(r))
                                 for k, r in enumerate(f.rest)):
                    continue
                hit = (f, i + 1 + n)
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
            used.update(range(i, j))
            ci = max(0, bisect.bisect_right(cl_starts, t0.start) - 1)
            clause = cl[ci] if cl else sent
            lo = bisect.bisect_left([t.start for t in s.toks], clause.start)
            hi = bisect.bisect_left([t.start for t in s.toks], clause.end)
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
            src, tgt = _find_actors(s, i, j, trig, etype, lo, hi, prev_subject, _speaker(doc, qi, s))
            if trig.actors in ("any", "visit") and src is None and tgt is None:
                continue
            if trig.actors == "source" and src is None:
                continue
            mode = _mode(s, i, lo, f.future)
            if not mode:
                mode = "announced" if _future_clause(s, lo, hi) else "happened"
            date = _pick_date(doc.dates, clause.start, clause.end, t0.start, mode == "announced", published)
            if date is None:
                date = _pick_date(doc.dates, sent.start, sent.end, t0.start, mode == "announced", published)
            today = any(lex.cue_match("today", s.bare[x]) for x in range(lo, hi))
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
            out.append(EventMention(
                start=clause.start, end=clause.end, type=etype, mode=mode,
                trigger=text[t0.start:t1.end], trigger_start=t0.start, trigger_end=t1.end,
                actors=actors, date=date, place=place, event_mode=pmode or None, quote=qi))
        first = next((c for c in s.cands if not c.prep and c.type in ("PER", "ORG", "GPE")), None)
        if first is not None:
            prev_subject = first
    return out


@component("events", requires=("tokens", "sentences", "mentions", "dates"), assigns=("events",))
def make_event_coder():
    """PLOVER event mentions with actors, mode, date, place and quote."""

    def run(doc: Doc) -> None:
        doc.events = extract_events(doc)

    return run
