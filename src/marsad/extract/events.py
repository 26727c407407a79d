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
from functools import cache

from marsad.extract import event_lexicon as lex
from marsad.extract.event_arguments import (MAX_REACH, PLACE_TYPES, _actor, _adjacent, _bare, _Cand, _clause_between,
                                            _find_actors, _place,
                                            STATEMENT, _Sent, _sentence_view, _speaker, reporting)
from marsad.errors import ConfigError
from marsad.model import DateRef, Doc, EventMention, Sentence
from marsad.pipeline import component
from marsad.text.normalize import SEARCH
from marsad.text.sentences import clauses

CONTEXT_WINDOW = 5
HYPOTHETICAL_WINDOW = 6


def _context_ok(s: _Sent, i: int, trig: lex.Trigger, end_tok: int) -> bool:
    if trig.exclude:  # the next word; for a verb also the one after its subject ("فجر القرار موجة")
        for k in range(end_tok, min(len(s.words), end_tok + (2 if trig.kind == "verb" else 1))):
            if s.bare[k] in trig.exclude or s.words[k] in trig.exclude:
                return False
    if not trig.context:
        return True
    before = list(range(max(0, i - 3), i)) if trig.kind != "verb" else []  # "مذكرة سيتم توقيعها"
    # "حقق في": right after the verb or its subject ("حققت تطورا مهما في برنامج" achieved)
    reach = 1 if trig.mode == "investigate" else CONTEXT_WINDOW
    window = list(range(end_tok, min(len(s.words), end_tok + reach)))
    if trig.kind == "verb":  # after the subject: "دعا وزير الإعلام اليمني معمر الإرياني السبت الحكومة إلى"
        subj = next((c for c in s.cands if c.tok >= end_tok and not c.prep and _adjacent(s, end_tok, c)), None)
        if subj is not None:
            window += list(range(subj.end_tok, min(len(s.words), subj.end_tok + reach)))
    for k in window + before:
        for p in trig.context:
            # a one-letter prefix pattern (ب*) is the clitic itself: never the bare word
            if lex.pattern_match(p, s.words[k]) or (len(p) > 3 and lex.pattern_match(p, s.bare[k])):
                return True
    return False


def _mode(s: _Sent, i: int, lo: int, future_form: bool) -> str:
    """happened | announced | negated | hypothetical for a trigger at token i
    whose clause starts at token lo."""
    for k in range(max(lo, i - 2), i):
        w = s.words[k]
        if lex.cue_match("negation", s.bare[k]) or (w[:1] in "وف" and lex.cue_match("negation", w[1:])):  # ولن، فلم
            # "لم ... الا" is an exception, not a negation
            if not any(s.bare[x] == "الا" for x in range(k + 1, i)):
                return "negated"
    for k in range(lo, i):
        if lex.cue_match("denial", s.bare[k]):
            return "negated"
        if lex.cue_match("fear", s.bare[k]) or lex.cue_match("fear", s.words[k]):
            return "hypothetical"  # "مخاوف من أن يحاول مهاجم خطف طائرة": feared, not done
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


def _future_light_verb(s: _Sent, i: int) -> bool:
    """A verb with the future prefix right before a noun trigger ("ستفرض
    عقوبات", "ستشن هجوما")."""
    for k in range(max(0, i - 2), i):
        w = s.words[k]
        v = w[1:] if w[:1] in "وف" and len(w) > 4 else w
        if v[:1] == "س" and v[1:2] in "يتن" and 4 <= len(v) <= 7 and not v.endswith(("ه", "ات", "ين")):
            return True
    return False


DEAD_WORDS = frozenset(("قتل", "مقتل", "انفجر"))
DOERS = {"PROTEST": ("PRO",), "ASSAULT": ("UAF", "INS", "REB")}  # group sectors a trigger word itself names


def _accident(s: _Sent) -> bool:
    """A crash, a fire or a storm in the sentence and no sign of an attack
    (weapons, gunmen, terror): its dead are no ASSAULT."""
    if not any(lex.cue_match("accident", b) or lex.cue_match("accident", w) for w, b in zip(s.words, s.bare)):
        return False
    return not any(lex.cue_match("violence", b) and not b.startswith(("قتل", "مقتل", "قتيل", "جرح", "اصاب"))
                   for b in s.bare)


def _accident_before(s: _Sent, prev: _Sent | None) -> bool:
    """The sentence before tells of a crash or a storm and this one names no
    weapon, gunmen or force: "واجتاحت العواصف ... وتم تأكيد مقتل 46 شخصا"."""
    if prev is None or not _accident(prev):
        return False
    return not any(lex.cue_match("violence", b) and not b.startswith(("قتل", "مقتل", "قتيل", "جرح", "اصاب"))
                   for b in s.bare)


def _inanimate_subject(s: _Sent, i: int, j: int) -> bool:
    """Is the subject of the verb at i a text or a measure (cue
    ``inanimate``): the noun right after it ("يحظر قانون لوغان"), or the
    antecedent of the relative pronoun before it, across its adjectives
    ("القرار الوزاري الذي يستهدف")?"""
    if j < len(s.bare) and s.toks[j].kind == "word" and lex.cue_match("inanimate", s.bare[j]):
        return True
    if i >= 2 and lex.cue_match("relative", s.words[i - 1]):
        k = i - 2
        while k > 0 and i - 2 - k < 2 and s.words[k].startswith("ال") and not lex.cue_match("inanimate", s.bare[k]):
            k -= 1
        return lex.cue_match("inanimate", s.bare[k])
    return False


def _generic(s: _Sent, i: int, w: str, trig: lex.Trigger) -> bool:
    """A present-tense verb right after ما (مما يدعم، فيما يدعم، عادة ما
    يطلب): a property or a habit, not an event."""
    return trig.kind == "verb" and i > 0 and _present(w, trig) and (
        lex.cue_match("generic", s.words[i - 1]) or lex.cue_match("generic", s.bare[i - 1]))


def _warning_that(s: _Sent, j: int) -> bool:
    """"حذرت ماي من أنه إذا ...": a warning of what will follow (a threat),
    not of a danger ("حذر من اشتباكات")."""
    for k in range(j, min(len(s.words), j + 8)):
        if s.bare[k] == "من" and k + 1 < len(s.words):
            return s.bare[k + 1] in COMPLEMENTIZERS or s.bare[k + 1] in ("انه", "انهم")
    return False


def _construct_before(s: _Sent, i: int) -> bool:
    """Is the word before a verb trigger an indefinite plural noun whose
    construct the trigger completes ("عمليات بحث", "جولات تفاوض")?"""
    w = s.words[i - 1]
    return len(w) >= 5 and w.endswith("ات") and not w.startswith(("ال", "وال", "فال")) and \
        not any(c.tok <= i - 1 < c.end_tok for c in s.cands)


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


COMPLEMENTIZERS = ("ان", "انه", "انها", "انهم", "انهما")


def _statement(b: str) -> bool:
    """A statement verb (أعلن، أكد، ذكر ...; feminine with ت): "أعلنت
    الوزارة، مساء السبت، إنها استدعت" -- Saturday dates the statement."""
    return b in STATEMENT or (b[-1:] == "ت" and b[:-1] in STATEMENT)


def _reported_from(s: _Sent, i: int) -> int:
    """Character offset where the reported clause holding token i starts
    (its ان / إن after a reporting verb), else 0."""
    for r in range(i - 1, 0, -1):
        if s.bare[r] in COMPLEMENTIZERS and s.toks[r].kind == "word":
            if any(reporting(s.bare[x]) or _statement(s.bare[x]) for x in range(0, r)):
                return s.toks[r].start
            return 0
    return 0


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


def _governed(s: _Sent, i: int, index, trigs, lo: int = 0) -> bool:
    """Is a noun trigger the object of a demand, threat or refusal verb
    within six words before it, or one of the demands coordinated after
    دعا ... إلى ("ندعو نظام مادورو إلى استعادة الديمقراطية ... وإطلاق
    سراح السجناء")?"""
    for k in range(max(0, i - 6), i):
        for f in index.get(s.words[k], ()):
            t = trigs[f.trigger]
            if t.kind == "verb" and t.type in ("REQUEST", "THREATEN", "REJECT"):
                return True
    for k in range(max(lo, i - 30), i - 6):
        for f in index.get(s.words[k], ()):
            t = trigs[f.trigger]
            if t.kind != "verb" or not (t.type == "REQUEST" or t.actors == "warn"):
                continue
            preps = ("الي", "الى") if t.type == "REQUEST" else ("من",)
            p = next((x for x in range(k + 1, min(i, k + 12)) if s.bare[x] in preps or s.words[x] in preps
                      or (t.type == "REQUEST" and s.words[x][:1] == "ب" and len(s.words[x]) > 3)), None)
            if p is not None and not _clause_between(s, p + 1, i):
                return True  # "حذر ظريف الولايات المتحدة من عواقب انسحابها": what is warned of
    return False


def _purpose(s: _Sent, i: int) -> bool:
    """Is the word before a noun trigger a purpose verbal noun (لتعزيز، لضمان)?"""
    for k in range(max(0, i - 2), i):
        w = s.words[k]
        if len(w) > 4 and w[0] == "ل" and w[:2] != "لل" and w not in ("لدي", "لكن") and not w.startswith(("لم", "لن", "لا")):
            return True
    return False


SPORTS_ARTICLE = 5  # sport cue words that make an article a sports report
FICTION_BEFORE = 8  # a trigger this many words before a film/series word is still its plot
BACKGROUND_DAYS = 365  # an event dated this long before publication is background


def _sport_words(s: _Sent) -> int:
    return sum(1 for b in s.bare if lex.cue_match("sport", b))


def _present(w: str, trig: lex.Trigger) -> bool:
    """Is the verb trigger written in the present tense (يقاطع after قد: "may")?"""
    v = w[1:] if w[:1] in "وف" and len(w) > 3 else w
    past = [x[0] for x in trig.words if not x[0].startswith("ي")]
    return v[:1] in "يتن" and not any(p[:1] == v[:1] for p in past)


def _scene_ok(s: _Sent, i: int, trig: lex.Trigger) -> bool:
    """احتجاج / مسيرة also mean objection, career or drone: a PROTEST only
    with a street-protest scene in the sentence (protesters, a square,
    slogans, crowds ...)."""
    if trig.type != "PROTEST" or not any(lex.cue_match("scene_required", w[0]) for w in trig.words):
        return True
    if not any(s.bare[i].startswith(st) for st in _scene_stems()):
        return True  # the row's other words (مظاهرات، تظاهرة) are protests in themselves
    return _protest_scene(s, i)


def _protest_scene(s: _Sent, i: int) -> bool:
    """Protesters, a square, slogans ... in the sentence (but token i)."""
    return any(lex.cue_match("protest_scene", b) or lex.cue_match("protest_scene", w)
               for k, (w, b) in enumerate(zip(s.words, s.bare)) if k != i)


@cache
def _scene_stems() -> tuple[str, ...]:
    out = []
    for c in lex.cues().get("scene_required", {}):
        out.append(c[:-2] if c.endswith("ات") else c[:-1] if c.endswith("ه") else c)
    return tuple(out)


def _verbal_attack(s: _Sent, i: int, lo: int, hi: int, trig: lex.Trigger) -> bool:
    """"شن هجوما حادا على رئيس البرلمان قائلا ...": an attack in words
    (speech cues in the clause, no weapon, casualty or force)."""
    if trig.type != "ASSAULT" or not lex.cue_match("verbal_attack", s.bare[i]):
        return False
    near = range(max(0, lo), min(len(s.words), hi))
    if any(lex.cue_match("violence", s.bare[k]) for k in near):
        return False
    return any(lex.cue_match("speech", s.bare[k]) or lex.cue_match("speech", s.words[k]) for k in near)


def _background(date: str | None, published: str | None) -> bool:
    """Dated more than a year before publication: history told as background."""
    if not date or not published or len(date) < 4 or not date[:4].isdigit():
        return False
    import datetime as dt

    try:
        pub = dt.date.fromisoformat(published[:10])
    except ValueError:
        return False
    y = int(date[:4])
    m = int(date[5:7]) if len(date) >= 7 and date[5:7].isdigit() else 12
    d = int(date[8:10]) if len(date) >= 10 and date[8:10].isdigit() else 28
    try:
        when = dt.date(y, m, d)
    except ValueError:
        return False
    return (pub - when).days > BACKGROUND_DAYS


def _quote_at(doc: Doc, pos: int) -> int:
    for k, q in enumerate(doc.quotes):
        if q.start <= pos < q.end:
            return k
    return -1


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
    sports: bool | None = None
    for sent in doc.sentences:
        h = bisect.bisect_left(hits, sent.start)
        if h == len(hits) or hits[h] >= sent.end:
            prev_sent = sent  # no trigger here
            continue
        prev_view = None
        if prev_sent is not None:  # the subject of the sentence before ("وقال انه بحث ...")
            pv = prev_view = _sentence_view(doc, prev_sent, tokens, starts)
            prev_subject = next((c for c in pv.cands if not c.prep and c.type in ("PER", "ORG", "GPE")), None)
        prev_sent = sent
        s = _sentence_view(doc, sent, tokens, starts)
        if not s.toks:
            continue
        if sports is None:  # a sports report: هجوم، ضربة، يلتقي are football words
            sports = sum(1 for t in tokens if t.kind == "word" and lex.cue_match("sport", _bare(t.norm))) >= SPORTS_ARTICLE
        if sports or _sport_words(s):
            continue  # a match report: no political events
        # a film's or a series' plot: nothing after the title word, nor just before it; a protest
        # at what a series showed ("استدعت سفير مصر ... احتجاجا على ما جاء في مسلسل") is real
        fiction = [k for k, w in enumerate(s.bare) if lex.cue_match("fiction", w)]
        cl = clauses(text, sent)
        cl_starts = [c.start for c in cl]
        used: set[int] = set()
        talks_at: int | None = None
        demand_at: int | None = None
        verb_subjects: set[int] = set()  # candidates already the subject of a verb trigger
        verb_types: set[str] = set()
        verb_src: _Cand | None = None  # the subject of the last verb event of the sentence
        tstarts = [t.start for t in s.toks]
        here: list[tuple[int, int, int, str]] = []  # (index in out, first token, end token, kind) of this sentence's events
        for i, w in enumerate(s.words):
            if i in used:
                continue
            forms = index.get(w)
            if not forms:
                continue
            if fiction and fiction[0] - FICTION_BEFORE <= i:
                continue
            hit = None
            if i > 0 and (s.words[i - 1].startswith("ال") or lex.cue_match("report", s.bare[i - 1])
                          or lex.cue_match("preposition", s.bare[i - 1])):
                forms = sorted(forms, key=lambda f: trigs[f.trigger].kind == "verb")  # a noun reading first
            for f in sorted(forms, key=lambda f: -len(f.rest)):
                end = _phrase_end(s, i + 1, f.rest)
                if end is not None and (hit is None or _context_ok(s, i, trigs[f.trigger], end)):
                    if hit is None or not _context_ok(s, i, trigs[hit[0].trigger], hit[1]):
                        hit = (f, end)  # the first reading whose context is there ("أطلقت صواريخ", "أطلقت سراح")
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
            if not _context_ok(s, i, trig, j) or not _scene_ok(s, i, trig):
                continue
            if trig.type == "ASSAULT" and any(x[0] in DEAD_WORDS for x in trig.words) and (
                    _accident(s) or _accident_before(s, prev_view)):
                continue  # "تحطمت مروحية ... ما أدى إلى مقتل أربعة": dead, no attack
            if trig.type == "ASSAULT" and any(lex.cue_match("accident", s.bare[k]) or lex.cue_match("accident", s.words[k])
                                              for k in range(j, min(len(s.words), j + 2))):
                continue  # "ضرب زلزال قوي شمال اليابان": a quake struck, no one attacked
            if trig.type == "SANCTION" and trig.kind != "verb" and any(
                    lex.cue_match("lift", s.bare[k]) for k in range(max(0, i - 6), i)):
                continue  # "ورفعت الولايات المتحدة العقوبات عن السودان": sanctions lifted, none imposed
            if _generic(s, i, w, trig):
                continue  # "فيما يدعم أنشطتهم": what supports, no event
            if trig.kind == "verb" and trig.type == "ASSAULT" and j < len(s.words) and any(
                    trigs[g.trigger].type == "ASSAULT" and trigs[g.trigger].kind != "verb"
                    for g in index.get(s.words[j], ())):
                continue  # "قتل هجوم كيميائي 80 شخصا", "واستهدف الهجوم الأمنيين": one attack, told by its noun
            if trig.kind == "verb" and trig.type in ("ASSAULT", "COERCE") and _inanimate_subject(s, i, j):
                continue  # "القرار الوزاري الذي يستهدف مسؤول المنظمة", "يحظر قانون لوغان": a measure, no deed
            if trig.kind == "verb" and i > 0 and _construct_before(s, i):
                continue  # "عمليات بحث": a verbal noun in a construct, not the verb بحث
            if trig.kind == "verb" and i > 0 and lex.cue_match("preposition", s.bare[i - 1]) and \
                    not s.words[i - 1].startswith(("ان", "أن")):
                continue  # "من فجر السبت": a noun after a preposition, not the verb
            if i > 0 and trig.kind != "verb" and lex.cue_match("blocker", s.bare[i - 1]):
                continue
            if i > 0 and lex.cue_match("topic", s.bare[i - 1], trig.type):
                continue  # a topic or a purpose ("بهدف دعم القطاع الخاص"): no verb can follow these
            if i > 0 and trig.kind != "verb" and not f.enclitic and lex.cue_match("blocker_plain", s.bare[i - 1]):
                continue
            if any(lex.cue_match("blocker2", s.bare[k]) for k in range(max(0, i - 2), i)):
                continue
            if trig.type == "REQUEST" and trig.kind != "verb" and s.words[i][:1] == "ل" and _protest_scene(s, i):
                continue  # "خرج المتظاهرون للمطالبة بـ ...": the protest's demand, part of the PROTEST
            if trig.type == "ASSAULT" and trig.kind != "verb" and s.bare[i].startswith("مقتل") and any(
                    e.type == "ASSAULT" and sent.start <= e.trigger_start < t0.start for e in out) and any(
                    lex.cue_match("consequence", s.bare[k]) for k in range(max(0, i - 4), i)):
                # "انفجار عبوة أدى إلى مقتل جنديين": the deaths are the attack's, one event; its victims its target
                victim = next((c for c in s.cands if j <= c.tok <= j + 2 and not c.prep), None)
                k = max(x for x, e in enumerate(out) if e.type == "ASSAULT" and sent.start <= e.trigger_start)
                if victim is not None and not any(a.role == "target" for a in out[k].actors):
                    out[k] = out[k].replace(actors=out[k].actors + (_actor(victim, "target"),))
                continue
            if trig.kind != "verb" and _governed(s, i, index, trigs, bisect.bisect_left(
                    tstarts, cl[max(0, bisect.bisect_right(cl_starts, t0.start) - 1)].start) if cl else 0):
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
            # a clause cut by the commas of an apposition ("دعا وزير الإعلام اليمني، معمر
            # الإرياني، السبت، الحكومة ..."): read on over the short pieces
            ck, short = ci, bool(cl) and hi - j <= 4
            while short and ck + 1 < len(cl):
                ck += 1
                a, b = bisect.bisect_left(tstarts, cl[ck].start), bisect.bisect_left(tstarts, cl[ck].end)
                hi = min(b, j + MAX_REACH)
                short = b - a <= 3
            etype, pmode = trig.type, trig.mode
            if _verbal_attack(s, i, lo, hi, trig):
                etype, pmode = "ACCUSE", "disapprove"
            if pmode == "?":
                pmode = ""
                for m in ("military", "economic", "humanitarian"):
                    if any(lex.cue_match("mode_" + m, s.bare[x]) for x in range(lo, hi)):
                        pmode = m
                        break
                if pmode and trig.alt_type:
                    etype = trig.alt_type
            if trig.actors == "visit":
                nxt = [c for c in s.cands if j <= c.tok <= j + 1 and c.type in PLACE_TYPES and not c.adjective
                       and c.prep not in ("من", "عن")]  # "الدولارات التي وصلتهم من قطر": no visit
                if not nxt:
                    continue
            qi = _quote_at(doc, t0.start)
            src, tgt = _find_actors(s, i, j, trig, etype, lo, hi, prev_subject, _speaker(doc, qi, s), f.enclitic,
                                    verb_src)
            if etype in ("PROTEST", "ASSAULT"):  # "المتظاهرون", "انتحاري": the trigger names its doers
                who = next((c for c in s.cands if c.sector in DOERS[etype] and c.mention < 0 and c.tok <= i < c.end_tok),
                           None)
                if who is not None:
                    src, tgt = who, (tgt if tgt is not None and tgt.prep else None)
            if trig.kind != "verb" and not f.enclitic and src is not None and src.tok in verb_subjects \
                    and src.tok < i and etype not in verb_types:
                src = None  # "أدانت الجامعة الهجوم": the subject of the verb is not the attacker
            if etype == "ASSAULT" and tgt is not None and tgt.type == "PER" and lex.cue_match("verbal_attack", s.bare[i]) \
                    and not any(lex.cue_match("violence", s.bare[k]) for k in range(lo, hi)):
                etype, pmode = "ACCUSE", "disapprove"  # "شن هجوما على رئيس البرلمان": words, not arms
            if etype == "ASSAULT" and trig.kind != "verb" and i > 0 and (
                    s.bare[i - 1] == "في" or s.words[i][:1] == "ب"):
                # "مقتل ثلاثة مسلحين في اشتباك", "مقتل خمسة بغارة إسرائيلية": where they died, the same event
                dead = next((x for x, e in enumerate(out) if e.type == "ASSAULT" and sent.start <= e.trigger_start < t0.start
                             and _bare(SEARCH.text(e.trigger)).lstrip("بل").startswith(("مقتل", "قتل"))
                             and e.trigger_start >= s.toks[max(0, i - 6)].start), None)
                if dead is not None:
                    if src is not None and src.tok > i and not any(a.role == "source" for a in out[dead].actors):
                        out[dead] = out[dead].replace(actors=(_actor(src, "source"),) + out[dead].actors)
                    continue
            if trig.actors in ("any", "visit", "speaker") and src is None and tgt is None:
                continue
            if trig.actors == "source" and src is None:
                continue
            if trig.actors == "both" and src is not None and tgt is None and j < len(s.words) and any(
                    lex.cue_match("proposal", s.bare[k]) for k in range(j, min(len(s.words), j + 2))):
                pass  # "ترفض اقتراحا": a refusal of a proposal, with its source alone
            elif trig.actors == "both" and (src is None or tgt is None):
                continue
            if trig.actors == "warn":
                if tgt is not None and tgt.prep:
                    tgt = None
                if tgt is None and not _warning_that(s, j):
                    continue  # "حذر من اشتباكات": a warning of a danger, no threat
                if src is None and tgt is None:
                    continue
            if etype == "ACCUSE" and pmode == "disapprove" and trig.type == "ASSAULT" and tgt is None:
                continue  # "بعد الكثير من العراقيل والهجمات": attacks in words, at no one
            mode = _mode(s, i, lo, f.future)
            if not mode and trig.kind == "verb" and i > 0 and s.bare[i - 1] == "قد" and _present(w, trig):
                mode = "hypothetical"  # قد + present: "may"
            if not mode and trig.kind != "verb" and _future_light_verb(s, i):
                mode = "announced"  # "ستفرض عقوبات"
            # a past verb trigger has happened, whatever else the clause announces ("قتلت وستقتل")
            past_verb = trig.kind == "verb" and not f.future and not _present(w, trig)
            if not mode:
                mode = "announced" if not past_verb and _future_clause(s, lo, hi) else "happened"
            # the date of "قال الخميس إن ..." dates the statement, not the event -- unless the reported verb is
            # in the present: "أعلنت الشرطة، الخميس، أنها تحقق" (what goes on as it is said)
            said = 0 if trig.kind == "verb" and _present(w, trig) else _reported_from(s, i)
            date = _pick_date(doc.dates, max(clause.start, said), clause.end, t0.start, mode == "announced", published)
            if date is None:
                date = _pick_date(doc.dates, max(sent.start, said), sent.end, t0.start, mode == "announced", published)
            today = any(lex.cue_match("today", s.words[x]) or lex.cue_match("today", s.bare[x]) for x in range(lo, hi))
            if date is None and today and mode == "happened" and published:
                date = published[:10]
            if mode == "happened" and date and published and date[:10] > published[:10] and len(date) >= 10:
                if past_verb:  # "سيناقش ... غدا الثلاثاء، بعدما انسحب ترمب": tomorrow dates the other clause
                    date = None
                else:
                    mode = "announced"
            if _background(date, published):
                continue  # "وفي عام 2003 ... قتل": history, not the news
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
                verb_src = src
            out.append(EventMention(
                start=clause.start, end=clause.end, type=etype, mode=mode,
                trigger=text[t0.start:t1.end], trigger_start=t0.start, trigger_end=t1.end,
                actors=actors, date=date, place=place, event_mode=pmode or None, quote=qi))
            here.append((len(out) - 1, i, j, trig.kind))
        _condemned(out, here, s.words)
    return out


def _condemned(out: list[EventMention], here: list[tuple[int, int, int, str]], words: list[str]) -> None:
    """"نددت الحكومة بالهجوم الإسرائيلي على غزة": what an accusation
    condemns is an event right after it, so its target is that event's
    doer (Israel), not the place attacked."""
    for x, i, j, kind in here:
        e = out[x]
        if e.type != "ACCUSE" or kind != "verb":
            continue
        inner = next((y for y, i2, _, k2 in here if y != x and k2 != "verb" and out[y].type != "ACCUSE" and (
            j <= i2 <= j + 3 or (j <= i2 <= j + 8 and words[i2][:1] == "ب"))), None)  # ندد وزير ... بالعقوبات
        if inner is None:
            continue
        doer = next((a for a in out[inner].actors if a.role == "source"), None)
        actors = tuple(a for a in e.actors if a.role != "target")
        if doer is not None and not any(a.canonical == doer.canonical for a in actors):
            actors += (doer.__class__(role="target", entity_id=doer.entity_id, canonical=doer.canonical,
                                      mention=doer.mention, country=doer.country, sector=doer.sector),)
        out[x] = e.replace(actors=actors)


FILTER_MODES = ("none", "actorless", "graded", "state", "all")


def state_sourced(e: EventMention) -> bool:
    """The rules found a source that is a country itself (غارات بريطانية،
    القوات الأميركية) and a target: a state's attack, evidence in itself."""
    roles = {a.role for a in e.actors}
    return "target" in roles and any(a.role == "source" and a.country and a.canonical == a.country
                                     for a in e.actors)


def as_trained(e: EventMention) -> EventMention:
    """The event as the filter's training saw it: its actors were names and
    countries only, so a group that is no named entity (event_actor_groups)
    reads as its country (القوات الأميركية -> الولايات المتحدة), or as no
    actor when it has none (المتمردون)."""
    if not any(a.sector and a.mention < 0 for a in e.actors):
        return e
    acts = tuple(a if not (a.sector and a.mention < 0) else
                 a.replace(canonical=a.country, entity_id=None, sector=None) if a.country else None
                 for a in e.actors)
    return e.replace(actors=tuple(a for a in acts if a is not None))


def filter_events(doc: Doc, events: list[EventMention], mode: str = "graded") -> list[EventMention]:
    """Drop the PROTEST/ASSAULT events whose sentence the learned filter
    rejects.  all: every one judged; state: every one but a state's attack
    on a named target (``state_sourced``); graded: also not the events that
    are evidence in themselves (``event_filter.strong``: قصفت، شنت غارات،
    اندلعت مظاهرات); actorless: only events without actors."""
    from marsad.extract import event_filter

    if not any(e.type in event_filter.FILTERED for e in events):
        return events
    starts = [t.start for t in doc.tokens]
    out = []
    scores: dict[tuple[int, str], float | None] = {}
    seen_as = [as_trained(e) for e in events]
    for e0, e in zip(events, seen_as):
        if mode == "actorless":
            judged = not e.actors
        elif mode == "graded":
            k = bisect.bisect_left(starts, e.trigger_start)
            judged = not state_sourced(e) and not (k < len(starts) and starts[k] == e.trigger_start
                                                   and event_filter.strong(doc.tokens, k, e))
        else:
            judged = mode == "all" or not state_sourced(e)
        if e.type in event_filter.FILTERED and judged:
            sent = next((x for x in doc.sentences if x.start <= e.trigger_start < x.end), None)
            if sent is not None:
                key = (sent.start, e.type)
                if key not in scores:
                    toks = doc.tokens[bisect.bisect_left(starts, sent.start):bisect.bisect_left(starts, sent.end)]
                    same = [x for x in seen_as if sent.start <= x.trigger_start < sent.end]
                    scores[key] = event_filter.score(toks, same, e.type)
                if not event_filter.passes(scores[key], e.type):
                    continue
        out.append(e0)
    return out


@component("events", requires=("tokens", "sentences", "mentions"), assigns=("events",))
def make_event_coder(filter: str = "graded"):
    """PLOVER event mentions with actors, mode, date, place and quote.

    ``filter``: which PROTEST/ASSAULT events the learned sentence filter may
    drop: none, actorless (those without actors), graded (default: all but
    the strong forms of ``event_filter.strong`` and a state's attack on a
    named target), state (all but a state's attack), all."""
    if filter not in FILTER_MODES:
        raise ConfigError(f"events filter must be one of {', '.join(FILTER_MODES)}, not {filter!r}")

    def run(doc: Doc) -> None:
        events = extract_events(doc)
        doc.events = filter_events(doc, events, filter) if filter != "none" else events

    return run
