"""Quotations with their speakers: the ``quotes`` component.

Who said what, as spans over the untouched article text.  Three shapes:

* **Reported speech**: a reporting cue, an optional subject, then a
  complementiser: ``أكد وزير الخارجية ... أن <clause>``, ``وأشار إلى أن``,
  ``مشيرا إلى أن``, ``معربا عن قناعته بأن``.  The quote is the clause, up to the
  end of the sentence or to the next cue (``... مشيرا إلى أن ...`` starts a new,
  linked quote).
* **Direct speech**: text between " " « » “ ” of at least ``MIN_WORDS`` words,
  attached to a cue before it (``قال ...: "..."``, ``مشددا بالقول "..."``,
  ``وأشار إلى أن "..."``) or right after it (``"..." قال فلان``).  A quoted
  word or name ("ايلاف") is never a quote, and quoted text with no cue is
  kept only when it is a whole sentence continuing the last speaker.
* **Attribution after the content**: ``<clause>، كما قال بيان رئاسي عراقي``
  and ``<clause> بحسب ...``.  When the source is not a recognised mention the
  speaker is ``Speaker(None, "بيان رئاسي عراقي", -1)``: the statement's own
  words stand for the source rather than inventing an entity.

Speakers, in order: (a) the PER (else ORG/GPE) mention that is the subject
after the cue, with its title skipped (``أكد وزير الخارجية الروسي سيرغي
لافروف أن``); a subject written before the verb (``وكان السفير ... قد
اعتبر``); with no mention, the subject words themselves; (b) after ``من
جانبه`` the last person named before who is not the current speaker; (c)
otherwise the speaker is carried from the previous quote or the previous
sentence's subject, preferring one whose grammatical gender agrees with the
cue (``واضافت`` -> the last feminine speaker; a typo such as ``وقالت`` for a
man falls back to the last speaker).  Such a carried quote links to the quote
it continues (``Quote.continues``, an index into the sorted quotes).  (d) A
pronoun or role mention as subject speaks as its antecedent.  The speaker's
canonical name is the mention's ``canonical`` (coreference fills it for short
forms and role mentions), else its antecedent's, else its text.  Impersonal
cues (``يشار الى ان``، ``يذكر ان``) are the reporter's voice: never a quote.

Real news adds (each tested in tests/test_quotes.py, measured on ANT
articles by eval/quotes.py): a role or organisation standing for a person or
body -- the name in apposition ("المرشد الإيراني، علي خامنئي،"), the name a
few words after a title ("المسؤول عن حماية الحدود أندراي سيتينكوف"), the
person before his own title ("بيسكوف المتحدث باسم الكرملين، قال"), never the
organisation inside a title ("مبعوث الأمم المتحدة"); a body named after a
head noun ("إدارة ترامب"، "بعثة الأمم المتحدة"); a statement speaking for its
issuer ("أصدرت الوزارة بيانا ... وأكد البيان"، "بيان للكرملين"، "بيان صدر
عن"); a definite head referring back ("وأضاف المسؤول" -> "مسؤول أميركي"،
"الوكالة" -> the agency named before, coref's ORG role mentions for
"الوزارة"); a role after a continuing cue (أضاف، تابع) is the last speaker; a
country or capital before its verb ("روسيا أعلنت") but not after a
preposition or in a dateline; plural cues (قالوا) carry only group speakers
("مسؤولون"، "مصادر"); a cue after فيما/بينما/حين ends the running quote.

Round 3 (measured on ant-dev3/ant-dev4, tests/test_quotes_round3.py): a
cue with its own complement ends a running quote ("... ملوحا بقطعة قال
إنها"), unless it follows ما or sits in a relative clause before a
quotation; "وذكر" is a cue although bare ذكر is strict ('male'); the
complement window counts the words outside the subject's name and title;
two quoted words are a quote right after a description cue (وصف ...
"بالسيرك الهزلي"، بأنها "صغيرة جدا"); عن+ (أعلن عن إطلاق، أعرب عن قلقه) and
بـ"..." open a quote, but not after a sentence-initial passive (أُعلن في
موسكو عن زيارة); "إلى أن" is not أكد's complementiser.  Attributions: "وفق
ما أعلنت X"، "حسب ما نشر من X" (the source after the relative verb),
"بحسب X فإن ..."، a source in a construct or office (مكتب الإحصاء) or
before a relative pronoun, "آخر حصيلة أوردها X", and "على حد قوله" (the
last speaker).  Speakers: a sentence opened by كان names its subject right
after it; a place coordinated under a preposition is no subject (في فرنسا
والولايات المتحدة وبريطانيا قالوا); a participle takes no subject after it
(متهما <object>) and speaks for the place or body opening its sentence
(قائلتين); a headline puts its subject first; a singular cue does not
carry a group (مصادر، شهود، العمال المحليون); headline lines between do not
count in the carry distance; a place alone before a headline colon is a
dateline and a related-link marker (قد يهمك/) is skipped.

Mentions are optional: without them (``entities`` disabled) the subject's own
words are the speaker, so the component requires only tokens and sentences.

Headlines (a short line with no final punctuation, or the article's title)
carry nothing in or out: a quote there is only given a speaker named on the
line itself (``الوزير العراقي: نتفاوض ...``), never the reporter or a speaker
carried from the body.

All word lists are data: ``lang/ar/data/reporting_verbs.tsv`` (cues) and
``lang/ar/data/quote_markers.tsv`` (complementisers, prepositions, turn
markers).
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field, replace
from functools import cache

from marsad.extract.titles import is_definite
from marsad.lang.ar import load_table
from marsad.model import Doc, Quote, Speaker, Token
from marsad.pipeline import component
from marsad.text.normalize import SEARCH

MIN_WORDS = 3  # a quoted span shorter than this is a name or a term, not a quote
WINDOW = 14  # words between a cue and its complementiser (the subject, adverbials)
STRICT_WINDOW = 3  # the same for ambiguous cue forms (بين 'between')
PP_WINDOW = 10  # words between a cue and the preposition of a complement without أن (its subject)
CARRY_SENTENCES = 3  # how far back a speaker is carried to a cue without a subject
HEADLINE_WORDS = 14
SPEAKER_TYPES = ("PER", "ORG", "GPE")
_FINAL = set('.!?\u061F\u2026:"»”')
_QMARK = re.compile('["«»“”]')
_TRIM = ' \t\n.,،؛;:…-–—"«»“”'


@dataclass(frozen=True, slots=True)
class CueForm:
    words: tuple[str, ...]  # SEARCH-normalised words
    kind: str  # verb | participle | prep
    reported: str  # yes | no | source
    gender: str  # m | f | p | ""
    strict: bool
    preps: frozenset[str] = frozenset()  # prepositions it takes before أن (من in حذر من أن)
    source_after: str = ""  # the speaker follows this word, not the cue (نقلت الوكالة عن مسؤول قوله)
    post: bool = False  # "كما <cue> <source>" attributes the clause before (كما قال بيان)
    pps: frozenset[str] = frozenset()  # prepositions opening a quote without أن (شدد على ضرورة): على+ ب+
    bare: bool = False  # strict only without a clitic: ذكر 'male' but وذكر 'and said'
    carry: bool = False  # a source that is the last speaker ("..."، على حد قوله)


@dataclass(frozen=True)
class Lexicon:
    cues: dict[str, tuple[CueForm, ...]]  # first word -> forms, longest first
    comps: frozenset[str]
    kinds: dict[str, frozenset[str]]  # marker kind -> single words
    turns: dict[tuple[str, ...], str]  # turn marker words -> gender
    voice: frozenset[str] = frozenset()  # impersonal cues (يشار): the reporter's own voice
    conj: str = ""  # one-letter conjunction clitics (و ف), from clitics.tsv
    surface: frozenset[str] = frozenset()  # every first word, with and without a clitic: one lookup a token


@cache
def lexicon() -> Lexicon:
    """Load and normalise the two data files once."""
    norm = SEARCH.text
    cues: dict[str, list[CueForm]] = {}
    for row in load_table("reporting_verbs"):
        words = tuple(norm(row["form"]).split())
        takes = row["takes"].split("|")
        preps = frozenset(norm(alt.split()[0]) for alt in takes if len(alt.split()) == 2)
        after = next((norm(alt.split()[0]) for alt in takes if " ... " in alt), "")
        pps = frozenset(norm(alt[:-1].strip()) for alt in takes if alt.endswith("+"))
        cues.setdefault(words[0], []).append(
            CueForm(words, row["kind"], row["reported"], row["gender"], row["strict"] in ("yes", "bare"), preps,
                    after, row["post"] == "yes", pps, row["strict"] == "bare", "carry" in takes))
    kinds: dict[str, set[str]] = {}
    turns: dict[tuple[str, ...], str] = {}
    for row in load_table("quote_markers"):
        words = tuple(norm(row["form"]).split())
        if row["kind"] == "turn":
            turns[words] = row["gender"]
        elif row["kind"] == "feminine":  # a letter SEARCH would fold (ة -> ه): kept as written
            kinds.setdefault("feminine", set()).add(row["form"])
        else:
            kinds.setdefault(row["kind"], set()).add(" ".join(words))
    voice = frozenset(w for w, fs in cues.items() if any(f.reported == "no" and f.kind == "verb" for f in fs))
    conj = "".join(r["form"] for r in load_table("clitics") if r["kind"] == "conjunction")
    surface = frozenset(cues) | {c + k for c in conj for k in cues if len(k) > 1}
    return Lexicon({k: tuple(sorted(v, key=lambda c: -len(c.words))) for k, v in cues.items()},
                   frozenset(kinds.pop("comp", ())), {k: frozenset(v) for k, v in kinds.items()}, turns, voice,
                   conj, surface)


@dataclass(slots=True)
class Hit:
    """A cue found in the text: tokens ``[i, j)``, chars ``[start, end)``
    (after a stripped و/ف clitic)."""

    i: int
    j: int
    start: int
    end: int
    form: CueForm
    clitic: bool  # the first word carried و/ف
    post: bool = False  # preceded by كما / حسبما
    comp: int = -1  # token index of the complementiser / colon / opening mark
    comp_kind: str = ""  # comp | colon | quote | pp (a preposition word) | ppc (a clitic ب on the quote's first word)


@dataclass(slots=True)
class _Q:
    start: int
    end: int
    direct: bool
    speaker: Speaker | None
    hit: Hit | None
    continues: "_Q | None" = None


@dataclass(slots=True)
class _Recent:
    pos: int
    speaker: Speaker
    sent: int
    gender: str
    quote: _Q | None = None


@dataclass
class _State:
    """Everything one run computes over a document."""

    doc: Doc
    lex: Lexicon
    tok_starts: list[int] = field(default_factory=list)
    words: list[int] = field(default_factory=list)  # token indices of word tokens
    sent_of: list[int] = field(default_factory=list)  # sentence index per token
    sent_starts: list[int] = field(default_factory=list)
    headline: list[bool] = field(default_factory=list)  # per sentence
    body: list[int] = field(default_factory=list)  # per sentence: how many body (non-headline) sentences before it
    ment_order: list[int] = field(default_factory=list)
    ment_starts: list[int] = field(default_factory=list)
    genders: dict[str, str] = field(default_factory=dict)
    spoken: list[tuple[int, int, Speaker]] = field(default_factory=list)  # (pos, sentence, speaker) so far


def _variants(norm: str) -> tuple[tuple[str, bool], ...]:
    """The word, and without a leading conjunction clitic (واضافت -> اضافت)."""
    if len(norm) > 2 and norm[0] in lexicon().conj:
        return ((norm, False), (norm[1:], True))
    return ((norm, False),)


# -------------------------------------------------------------- quoted spans
def quoted_spans(text: str) -> list[tuple[int, int]]:
    """Pairs ``(open, close)`` of quotation-mark positions on one line each.
    An ASCII " opens when it follows a space and precedes a letter, closes
    when it follows a letter; a closer with no opener is dropped, an opener
    with no closer runs to the end of its line (``close`` = the newline)."""
    out: list[tuple[int, int]] = []
    n = len(text)
    open_at = -1
    for m in _QMARK.finditer(text):
        p = m.start()
        if open_at >= 0 and text.find("\n", open_at, p) >= 0:
            out.append((open_at, text.find("\n", open_at, p)))
            open_at = -1
        ch = text[p]
        if ch in "«“":
            opener = True
        elif ch in "»”":
            opener = False
        else:
            prev = text[p - 1] if p else " "
            nxt = text[p + 1] if p + 1 < n else " "
            if (prev.isspace() or prev in "(:[،," or (prev in "وف" and (p < 2 or text[p - 2].isspace()))) \
                    and not nxt.isspace():  # also و"الجميع ...": a conjunction before the mark
                opener = True
            elif nxt.isspace() or nxt in ".,،؛:)!?؟…" or p + 1 == n:
                opener = False
            else:
                opener = open_at < 0
        if opener:
            if open_at < 0:
                open_at = p
        elif open_at >= 0:
            out.append((open_at, p))
            open_at = -1
    if open_at >= 0:
        nl = text.find("\n", open_at)
        out.append((open_at, nl if nl >= 0 else n))
    return out


# --------------------------------------------------------------------- setup
def _prepare(doc: Doc) -> _State:
    st = _State(doc, lexicon())
    toks = doc.tokens
    st.sent_starts = [s.start for s in doc.sentences]
    sent_of, k, starts = [], 0, st.sent_starts
    for t in toks:  # one sweep: tokens and sentences are both in text order
        while k + 1 < len(starts) and starts[k + 1] <= t.start:
            k += 1
        sent_of.append(k)
    st.sent_of = sent_of
    st.tok_starts = [t.start for t in toks]
    st.words = [k for k, t in enumerate(toks) if t.kind in ("word", "latin", "number")]
    st.ment_order = sorted(range(len(doc.mentions)), key=lambda k: doc.mentions[k].start)
    st.ment_starts = [doc.mentions[k].start for k in st.ment_order]
    st.headline = _headlines(doc)
    n = 0
    for h in st.headline:
        st.body.append(n)
        n += not h
    return st


def _headlines(doc: Doc) -> list[bool]:
    """Per sentence: is it a whole short line without final punctuation (a
    headline or sub-headline), or the article's title line?  A sentence is a
    whole line when no other sentence shares its line (sentences cover all
    the text that is not white space)."""
    text, sents = doc.text, doc.sentences
    newlines = [m.start() for m in re.finditer("\n", text)]
    title = SEARCH.text(doc.article.title.strip()) if doc.article.title else None
    out = []
    for k, s in enumerate(sents):
        x = bisect.bisect_left(newlines, s.start)
        line_start = newlines[x - 1] + 1 if x else 0
        y = bisect.bisect_left(newlines, s.end)
        line_end = newlines[y] if y < len(newlines) else len(text)
        whole = ((k == 0 or sents[k - 1].end <= line_start)
                 and (k + 1 == len(sents) or sents[k + 1].start > line_end))
        if not whole:
            out.append(False)
        elif title and len(s.text) < 400 and SEARCH.text(s.text.strip()) == title:
            out.append(True)
        else:
            out.append(s.text[-1] not in _FINAL and y < len(newlines)
                       and len(s.text.split(None, HEADLINE_WORDS)) <= HEADLINE_WORDS)
    return out


def _find_hits(st: _State, spans: list[tuple[int, int]]) -> list[Hit]:
    """Every cue outside direct quotes."""
    toks = st.doc.tokens
    cues = st.lex.cues
    surface = st.lex.surface
    posts = st.lex.kinds.get("post", frozenset())
    not_after = st.lex.kinds.get("not_after", frozenset())
    opens = [a for a, _ in spans]
    hits: list[Hit] = []
    words = st.words
    for w, k in enumerate(words):
        t = toks[k]
        n = t.norm
        if n not in surface:
            continue  # the common case, kept cheap
        for norm, clitic in _variants(n):
            forms = cues.get(norm)
            if not forms:
                continue
            form = next((f for f in forms if _matches_rest(toks, words, w, f.words)), None)
            if form is None:
                continue
            q = bisect.bisect_right(opens, t.start) - 1
            if q >= 0 and spans[q][0] < t.start < spans[q][1]:
                break  # inside a quotation
            j = words[w + len(form.words) - 1] + 1
            start = t.start + (1 if clitic else 0)
            prev = toks[words[w - 1]].norm if w else ""
            if not clitic and prev in not_after:
                break  # "لم يشأ كشف هويته": a verbal noun, not a cue
            if form.bare and clitic:
                form = replace(form, strict=False)  # "وذكر الرئيس ..." is a verb
            hits.append(Hit(k, j, start, toks[j - 1].end, form, clitic,
                            post=any(v in posts for v, _ in _variants(prev))))
            break
    return hits


def _matches_rest(toks: list[Token], words: list[int], w: int, form: tuple[str, ...]) -> bool:
    for x, part in enumerate(form[1:], start=1):
        if w + x >= len(words):
            return False
        n = toks[words[w + x]].norm
        if not (n == part or (len(part) == 1 and n.startswith(part) and len(n) > 2)):
            return False
    return True


# ------------------------------------------------------------ complementiser
def _find_comp(st: _State, hit: Hit, hit_at: dict[int, Hit], opens: dict[int, tuple[int, int]],
               short: dict[int, tuple[int, int]] | None = None) -> None:
    """Set ``hit.comp``: the complementiser, colon or opening quotation mark
    within the cue's window, in its sentence, before any other cue."""
    toks = st.doc.tokens
    lex = st.lex
    subs = lex.kinds.get("subordinator", frozenset())
    sent = st.sent_of[hit.i]
    limit = STRICT_WINDOW if hit.form.strict else WINDOW
    seen = 0
    prev = ""
    k = hit.j
    while k < len(toks) and st.sent_of[k] == sent and seen <= limit:
        t = toks[k]
        if t.kind == "punct":
            if t.text in ".!?\u061F\u061B…":
                return
            if hit.form.strict:  # بين "..." / ذكر: are too ambiguous without أن
                k += 1
                continue
            if t.text == ":":
                hit.comp, hit.comp_kind = k, "colon"
                return
            if short and t.start in short and k + 1 < len(toks) and (
                    toks[k - 1].text in ("بـ", "ب") or SEARCH.text(toks[k + 1].text)[:1] == "ب"):
                hit.comp, hit.comp_kind = k, "quote"  # وصف ... "بالسيرك الهزلي"
                return
            if t.start in opens:
                a, b = opens[t.start]
                after = _tok_index(st, b + 1)
                if k > hit.j and _nwords_between(st, a, b) <= 4 and any(
                        v in lex.kinds.get("name_head", ()) for v, _ in _variants(toks[k - 1].norm)):
                    k = after  # ذكرت مصادر "سكاي نيوز عربية": a quoted name in the subject
                    continue
                nxt = [x for x in range(after, min(after + 3, len(toks))) if toks[x].kind != "punct"][:2]
                if _nwords_between(st, a, b) <= 4 and any(
                        st.sent_of[x] == sent and (toks[x].norm in lex.comps or toks[x].norm in hit.form.preps)
                        for x in nxt):
                    k = after  # a quoted name in the subject: أرقام شركة "آي دي سي"، إلى أن
                    continue
                hit.comp, hit.comp_kind = k, "quote"
                return
            k += 1
            continue
        other = hit_at.get(k)
        if other is not None:
            if other.form.kind == "prep" and other.form.reported == "yes":  # مشددا بالقول "..."
                hit.comp, hit.comp_kind = other.j - 1, "colon"
                return
            if other.form.kind != "prep":  # another cue: this one has no complement
                return
        if (t.norm in lex.comps and (prev not in subs or prev in hit.form.preps)
                and not (prev in _PREPOSITIONS and prev not in hit.form.preps)  # أكدت التزامها ... إلى أن تتخلى
                and not _in_mention(st, t.start)):
            hit.comp, hit.comp_kind = k, "comp"
            return
        prev = t.norm
        if not _in_mention(st, t.start, titles=True):
            seen += 1  # the window counts the words outside the subject's name and title
        elif k - hit.j > 3 * WINDOW:
            return
        k += 1


def _find_pp(st: _State, hit: Hit, hit_at: dict[int, Hit]) -> None:
    """Reported speech without a complement clause: "شدد الوزير على ضرورة
    ..."، "دعا إلى الحذر"، "أفاد نشطاء باحتدام القتال": the first of the cue's
    prepositions (``على+``, ``ب+`` as a clitic) after its subject, in its
    sentence, before any other cue or an ``object`` verbal noun (أكد أهمية
    العمل على: not a quote, as the gold has it), opens the quote
    (``comp_kind`` pp/ppc).
    A strict cue (طالب 'student') counts only with a و/ف clitic (وطالب)."""
    toks = st.doc.tokens
    pps = hit.form.pps
    objects = st.lex.kinds.get("object", frozenset())
    sent = st.sent_of[hit.i]
    limit = PP_WINDOW
    if hit.form.strict:  # "وطالب المحتجون بـ" but not "طالب بجامعة القاهرة"
        if not (hit.clitic or hit.post):  # also "كما طالب"
            return
        limit = STRICT_WINDOW
    seen = 0
    k = hit.j
    while k < len(toks) and st.sent_of[k] == sent and seen <= limit:
        t = toks[k]
        if t.kind == "punct":
            if t.text in ".!?\u061F\u061B…:" or t.text in '"«»“”':
                return
            k += 1
            continue
        other = hit_at.get(k)
        if other is not None and other.form.kind != "prep":
            return
        if not _in_mention(st, t.start):
            if t.norm in pps:
                if k + 1 < len(toks) and st.sent_of[k + 1] == sent and (
                        toks[k + 1].kind != "punct" or toks[k + 1].text in '"«“'):  # بـ"عدم استخدام ..."
                    hit.comp, hit.comp_kind = k, "pp"
                return
            if any(v in objects for v, _ in _variants(t.norm)):
                return  # "أكد أهمية العمل على ...": a verbal-noun object, its على is no complement
            if t.norm[:1] in pps and len(t.norm) > 3 and t.prefix[:1] == t.norm[:1]:  # باحتدام، بضرورة
                hit.comp, hit.comp_kind = k, "ppc"
                return
        seen += 1
        k += 1


def _nwords_between(st: _State, a: int, b: int) -> int:
    return bisect.bisect_left(st.words, _tok_index(st, b)) - bisect.bisect_left(st.words, _tok_index(st, a))


def _in_mention(st: _State, pos: int, titles: bool = False) -> bool:
    """Is ``pos`` inside a name ("آن ليندي": آن is no complementiser), or,
    with ``titles``, inside the title before a name?"""
    ms = st.doc.mentions
    x = bisect.bisect_right(st.ment_starts, pos + (80 if titles else 0)) - 1
    for y in range(x, max(-1, x - 4), -1):
        m = ms[st.ment_order[y]]
        lo = m.title_start if titles and 0 <= m.title_start < m.start else m.start
        if lo <= pos < m.end:
            return True
    return False


# ------------------------------------------------------------------ speakers
def _resolve(doc: Doc, mi: int) -> Speaker:
    """Speaker for mention ``mi``: its canonical, else its antecedent chain's."""
    ms = doc.mentions
    m = ms[mi]
    cur, steps = m, 0
    while not cur.canonical and 0 <= cur.antecedent < len(ms) and steps < 10:
        cur = ms[cur.antecedent]
        steps += 1
    canonical = cur.canonical or (cur.text if cur.kind != "pronoun" else None) or m.text
    return Speaker(m.entity_id or cur.entity_id, canonical, mi)


def _mentions_in(st: _State, start: int, end: int) -> list[int]:
    a = bisect.bisect_left(st.ment_starts, start)
    b = bisect.bisect_left(st.ment_starts, end)
    ms = st.doc.mentions
    return [st.ment_order[x] for x in range(a, b)
            if ms[st.ment_order[x]].end <= end and ms[st.ment_order[x]].type in SPEAKER_TYPES
            and ms[st.ment_order[x]].kind != "demonym"]


def _subject(st: _State, hit: Hit, end_tok: int, words: bool = True) -> tuple[Speaker | None, int]:
    """The explicit subject between the cue and token ``end_tok`` (exclusive):
    ``(speaker, mention index or -1)``, or ``(None, -1)``; with ``words``,
    a subject with no mention is given by its words."""
    toks = st.doc.tokens
    ms = st.doc.mentions
    first = hit.j
    if hit.form.source_after:  # نقلت الوكالة عن <speaker> قوله
        first = next((k for k in range(hit.j, end_tok) if toks[k].norm == hit.form.source_after), end_tok) + 1
    elif hit.form.reported == "source":
        first = _after_relative_verb(st, hit, end_tok)
    elif (first < end_tok and toks[first].norm in _IN_IT
          and any(v in _RELATIVES for v, _ in _variants(_word_before(st, hit.i)))):
        first += 1  # "في الوقت الذي دعت فيه أحزاب كردية إلى"
    if end_tok <= first:
        return None, -1
    rs, re_ = toks[first].start, toks[end_tok - 1].end
    cands = _mentions_in(st, rs, re_)
    covered = [(min(ms[c].start, ms[c].title_start if ms[c].title_start >= 0 else ms[c].start), ms[c].end)
               for c in cands]
    bounds = st.lex.kinds.get("boundary", frozenset()) | st.lex.kinds.get("stop", frozenset())
    boundary = re_
    for k in range(first, end_tok):
        t = toks[k]
        if t.norm in bounds and not any(a <= t.start < b for a, b in covered):
            boundary = t.start
            break
    appositive = _appositive_person(st, cands, boundary, re_)
    late = _titled_person_after(st, first, cands)
    cands = [c for c, (a, _) in zip(cands, covered) if a < boundary and _bare_subject(st, ms[c])]
    if late >= 0 and not any(ms[c].type == "PER" for c in cands):
        return _resolve(st.doc, late), late  # "وقال المسؤول عن حماية الحدود أندراي سيتينكوف إن"
    if appositive >= 0 and not any(ms[c].type == "PER" for c in cands):
        return _resolve(st.doc, appositive), appositive  # "قال المندوب الروسي في الأمم المتحدة، فاسيلي نيبينزيا، إن"
    if cands:
        pers = [c for c in cands if ms[c].type == "PER"]
        pick = pers[0] if pers else cands[0]
        m = ms[pick]
        body = _body_of(st, m, first)
        if body is not None:
            return body, -1
        if m.type == "PER" and m.kind == "name" and _is_title_only(st, m):
            # the tagger took "المرشد الإيراني" for a name: the name in apposition speaks
            later = [c for c in cands if ms[c].type == "PER" and ms[c].start > m.end and ms[c].kind == "name"
                     and not st.doc.text[m.end:ms[c].start].strip(" ،,")]
            if later:
                return _resolve(st.doc, later[0]), later[0]
        if not pers:  # "قال مبعوث الأمم المتحدة": the envoy speaks, not the organisation in his title
            role = _role_phrase(st, first, m)
            if role is not None:
                return role, -1
        if m.kind == "role":  # "الوزير الروسي سيرغي لافروف": take the name in apposition
            nxt = [c for c in pers if ms[c].start > m.start and ms[c].kind == "name"]
            if nxt and ms[nxt[0]].start - m.end <= 2:
                pick = nxt[0]
        words = SEARCH.text(m.text).split()
        if (len(words) == 1 and words[0].startswith("ال") and m.kind == "name"
                and m.antecedent < 0 and (m.canonical or m.text) == m.text):
            sp = _earlier_speaker_with_head(st, words[0], toks[first].start)
            if sp is not None:
                return sp, -1  # "وأكد الشهود" after "شهود عيان فلسطينيون"
        return _resolve(st.doc, pick), pick
    if words:
        return _subject_words(st, hit, first, end_tok, boundary), -1
    return None, -1


def _after_relative_verb(st: _State, hit: Hit, end_tok: int) -> int:
    """Where the source begins after an attribution cue: past "ما <verb>"
    ("وفق ما أعلنت وزارة الصحة"، "بحسب ما أفادت الشركة"، "وفقا لما نقلته
    وكالة"، "حسبما ذكرت صحيفة"، "وفق ما جاء في بيان")."""
    toks = st.doc.tokens
    k = hit.j
    relative = toks[hit.j - 1].norm in ("لما", "حسبما", "بما") or hit.form.words[-1] == "حسبما"
    if not relative and k < end_tok and toks[k].norm == "ما":
        relative, k = True, k + 1
    if not relative or k >= end_tok or toks[k].kind != "word":
        return hit.j
    k += 1  # the verb
    if k < end_tok and toks[k].norm in ("في", "عنه", "عنها", "من"):
        k += 1  # "جاء في"، "أعلن عنه"، "نشر من التحقيقات"
    return k


MAX_TITLE_TO_NAME = 8  # words between a title opening the subject and the name it introduces


def _titled_person_after(st: _State, first: int, cands: list[int]) -> int:
    """A title opening the subject ("المسؤول البيلاروسي عن حماية الحدود")
    followed within a few words by a person's name: that person, or -1."""
    from marsad.extract.titles import Lexicon as TitleLexicon

    toks = st.doc.tokens
    if first >= len(toks):
        return -1
    ph = TitleLexicon.default().parse(toks, first)
    if ph is None or ph.entry.type in ("honorific", "counterpart"):
        return -1
    ms = st.doc.mentions
    for c in cands:
        m = ms[c]
        if m.type == "PER" and m.kind == "name" and m.start >= ph.end:
            gap = st.doc.text[ph.end:m.start]
            if len(gap.split()) <= MAX_TITLE_TO_NAME and not any(ch in gap for ch in ".،,:؛"):
                return c
            return -1
    return -1


def _role_phrase(st: _State, first: int, m) -> Speaker | None:
    """A person's title phrase opening the subject at token ``first`` that
    contains the organisation mention ``m``: the person it stands for (the
    latest one whose title begins the same way), else the phrase's words."""
    from marsad.extract.titles import Lexicon as TitleLexicon

    toks = st.doc.tokens
    k = first
    while k < len(toks) and toks[k].kind == "punct":
        k += 1
    if k >= len(toks):
        return None
    ph = TitleLexicon.default().parse(toks, k)
    if ph is None or ph.entry.type in ("honorific", "counterpart") or not (ph.start <= m.start and m.end <= ph.end):
        return None
    mi = _titled_antecedent(st, toks[k].norm, toks[k].start)
    if mi >= 0:
        return _resolve(st.doc, mi)
    return Speaker(None, st.doc.text[ph.start:ph.end], -1)


def _body_of(st: _State, m, first: int) -> Speaker | None:
    """"وكشفت إدارة ترامب"، "وقالت بعثة الأمم المتحدة": a head noun (data
    kind ``of_head``) right before the name makes the body the speaker."""
    toks = st.doc.tokens
    heads = st.lex.kinds.get("of_head", frozenset())
    k = bisect.bisect_right(st.tok_starts, m.start) - 1
    if k <= first - 1 or k < 1:
        return None
    prev = k - 1
    if toks[k].start < m.start or prev < first or toks[prev].kind != "word":
        return None
    if not any(v in heads for v, _ in _variants(toks[prev].norm)):
        return None
    a = toks[prev].start + (1 if toks[prev].norm[:1] in "وف" and toks[prev].norm[1:] in heads else 0)
    return Speaker(None, st.doc.text[a:m.end], -1)


def _is_title_only(st: _State, m) -> bool:
    """Is the mention's whole text a title phrase ("المرشد الإيراني")?"""
    from marsad.extract.titles import Lexicon as TitleLexicon

    k = bisect.bisect_right(st.tok_starts, m.start) - 1
    if k < 0:
        return False
    ph = TitleLexicon.default().parse(st.doc.tokens, k)
    return ph is not None and ph.end >= m.end


def _appositive_person(st: _State, cands: list[int], boundary: int, end: int) -> int:
    """A person set off by commas after the subject's first words ("...، فاسيلي
    نيبينزيا، ..."): the name in apposition to a title, or -1."""
    ms, text = st.doc.mentions, st.doc.text
    for c in cands:
        m = ms[c]
        if m.type != "PER" or m.kind == "pronoun" or m.start < boundary:
            continue
        before = text[max(0, m.start - 25):m.start].rstrip()
        comma = max(before.rfind("،"), before.rfind(","))
        after = text[m.end:m.end + 3].strip()
        # "، فاسيلي نيبينزيا،" (or "، علي خامنئي،" with the first name left untagged)
        if comma >= 0 and len(before[comma + 1:].split()) <= 1 and after[:1] in ("،", ",") and m.end < end:
            return c
    return -1


def _subject_words(st: _State, hit: Hit, first: int, end_tok: int, boundary: int) -> Speaker | None:
    """No mention: the subject's own words ("بيان رئاسي عراقي"), if any."""
    source = hit.form.kind == "prep" and hit.form.reported == "source" and len(hit.form.words) == 1
    if hit.form.kind != "verb" and not source:
        return None
    toks = st.doc.tokens
    adverbs = st.lex.kinds.get("adverb", frozenset())
    function = st.lex.kinds.get("subordinator", frozenset()) | hit.form.preps
    out: list[Token] = []
    for k in range(first, end_tok):
        t = toks[k]
        if t.kind == "punct" and (t.text in '"«»“”' or (source and not out and t.text == "(")):
            continue  # صحيفة "الأهرام"، بحسب (المرصد ...)
        if t.kind == "punct" and t.text in "#_" and k + 1 < end_tok and toks[k + 1].start == t.end:
            continue  # "#الخارجية_الروسية": a hashtag names the speaker
        if (t.start >= boundary or t.kind == "punct" or t.norm in st.lex.comps or t.norm in function
                or any(v in st.lex.cues for v, _ in _variants(t.norm))):
            break
        if t.norm in adverbs:
            if out:
                break
            continue
        if (out and is_definite(out[-1]) and SEARCH.text(t.prefix) in ("ل", "ب")
                and t.stem_start > t.start):
            break  # "وقالت القاضية لوالاس": the addressee, not the subject (but "رمطان لعمامرة")
        out.append(t)
    if len(out) >= 2 and out[-1].norm in _SAME:  # "المسؤول نفسه": the same one as before
        out = out[:-1]
    if not out or len(out) > 8:
        return None
    if source and len(out) >= 3 and out[0].norm in ("اخر", "احدث"):
        out = out[1:]  # "وفق آخر حصيلة أوردها المرصد"
    if source and len(out) >= 3 and out[0].norm in _SOURCE_HEADS and out[1].text.endswith(("ها", "ه")):
        out = out[2:]  # "حسب معلومات قدمها مصدر مقرب": the source who gave them
    if source and not (out[0].norm.startswith("ال") or _head(out[0].norm) in STATEMENT_WORDS
                       or out[0].norm in _group_words() or out[0].norm in _SOURCE_HEADS
                       or out[0].norm in st.lex.kinds.get("of_head", ()) or out[0].norm in st.lex.kinds.get("name_head", ())
                       or (len(out) >= 2 and is_definite(out[1]) and not out[1].prefix.strip("ال"))):
        return None  # "وفقا لما ..."، "حسب الحاجة" is rare, "بحسب المرصد" common; an indefinite word is no source
    if len(out) <= 2:  # "وقال الرئيس": the last person whose title starts so
        mi = _titled_antecedent(st, out[0].norm, hit.start)
        if mi >= 0:
            return _resolve(st.doc, mi)
        if _head(out[0].norm) in STATEMENT_WORDS:  # "وأكد البيان": whoever issued the statement
            sp = _issued_by(st, out[-1], end_tok) or _statement_issuer(st, hit)
            if sp is not None:
                return sp
    if _head(out[0].norm) in STATEMENT_WORDS:  # "بيان للرئاسة التركية"
        sp = _statement_of(st, out)
        if sp is not None:
            return sp
    sp = _continuing_role(st, hit, out)
    if sp is not None:
        return sp
    relative = len(out) >= 2 and out[1].norm in _RELATIVES  # "المسؤول الذي لم يشأ كشف هويته"
    if (len(out) == 1 or relative) and _head(out[0].norm).startswith("ال"):
        # "وأضاف الجيش" after "قال الجيش الإسرائيلي"; "المسؤول" after "مسؤول أميركي"
        sp = (_earlier_speaker_with_head(st, _head(out[0].norm), hit.start)
              or _named_before(st, _head(out[0].norm), hit.i))
        if sp is not None:
            return sp
    return Speaker(None, " ".join(t.text for t in out), -1)


_SAME = frozenset({"نفسه", "ذاته", "نفسها", "ذاتها"})
_SOURCE_HEADS = frozenset({"مصدر", "معلومات", "تقارير", "مصادر", "وسايل", "حصيله", "ارقام", "بيانات", "احصاءات"})
STATEMENT_WORDS = frozenset({"بيان", "البيان", "التقرير", "تقرير"})
_STATEMENT_FORMS = frozenset({"بيان", "بيانا", "بيانه", "بيانها", "بيانهم", "البيان", "تقرير", "تقريرا",
                              "تقريره", "تقريرها", "التقرير"})


def _head(norm: str) -> str:
    """A word without a leading conjunction (و ف)."""
    return norm[1:] if norm[:1] in "وف" and len(norm) > 3 and norm[1:3] == "ال" else norm


def _org_roles() -> dict[str, tuple[str, ...]]:
    from marsad.extract.coref import org_role_heads

    return org_role_heads()


_CONTINUING = frozenset({"اضاف", "اضافت", "تابع", "تابعت", "اردف", "اردفت", "مضيفا", "مضيفه"})


def _continuing_role(st: _State, hit: Hit, out: list[Token]) -> Speaker | None:
    """"وقال البرادعي ... وأضاف المدير العام السابق": a role with no titled
    antecedent after a continuing cue (أضاف، تابع) is the last person who
    spoke, within two sentences."""
    from marsad.extract.titles import Lexicon as TitleLexicon

    if hit.form.words[0] not in _CONTINUING:
        return None
    k = bisect.bisect_left(st.tok_starts, out[0].start)
    ph = TitleLexicon.default().parse(st.doc.tokens, k)
    if ph is None or not is_definite(st.doc.tokens[k]) or ph.entry.type in ("honorific", "counterpart"):
        return None
    sent = st.sent_of[hit.i]
    for pos, ss, sp in reversed(st.spoken):
        if pos >= hit.start:
            continue
        if ss < sent - 2:
            break
        if sp.mention >= 0 and st.doc.mentions[sp.mention].type == "PER":
            return sp
        words = SEARCH.text(sp.canonical or "").split()
        if sp.mention < 0 and len(words) == 1 and not _plural(st, sp) and _head(words[0]) not in _org_roles():
            return sp  # a surname the tagger missed ("وقال البرادعي")
        break
    return None


_ISSUED = frozenset({"صدر", "صادر", "الصادر", "صادرا", "الصادره", "صادره"})


def _statement_of(st: _State, out: list[Token]) -> Speaker | None:
    """"بيان للكرملين"، "بيان لوزارة الخارجية": the body the statement is of."""
    if len(out) < 2 or not SEARCH.text(out[1].prefix).endswith("ل"):
        return None
    cands = _mentions_in(st, out[1].start, out[-1].end)
    if cands and st.doc.mentions[cands[0]].start < out[1].end:
        return _resolve(st.doc, cands[0])
    words = [out[1]] + [t for t in out[2:4] if t.kind == "word" and is_definite(t)]
    if len(words) >= 2:  # no mention: "بيان لوزارة الدفاع الوطني" -> its words
        return Speaker(None, st.doc.text[out[1].stem_start:words[-1].end], -1)
    return None


def _issued_by(st: _State, last: Token, end_tok: int) -> Speaker | None:
    """"بيان صدر عن الوزارة": the issuer after صدر/الصادر عن."""
    toks = st.doc.tokens
    k = bisect.bisect_left(st.tok_starts, last.start)
    if toks[k].norm not in _ISSUED or k + 2 >= min(end_tok, len(toks)) or toks[k + 1].norm != "عن":
        return None
    a = toks[k + 2].start
    cands = _mentions_in(st, a, toks[end_tok - 1].end)
    if cands and st.doc.mentions[cands[0]].start <= toks[k + 2].end:
        return _resolve(st.doc, cands[0])
    x = k + 2 + (toks[k + 2].text == "(")  # "بيان صادر عن (الشاباك)": the issuer's words
    words = []
    while x < min(end_tok, len(toks)) and toks[x].kind != "punct" and len(words) < 4:
        words.append(toks[x])
        x += 1
    if words and (x >= len(toks) or toks[x].kind == "punct") and words[0].norm.startswith("ال"):
        return Speaker(None, " ".join(t.text for t in words), -1)
    return None


def _named_before(st: _State, head: str, before_tok: int) -> Speaker | None:
    """"وتابعت الوكالة" after "وكالة أنباء الصين الجديدة (شينخوا)": the
    latest earlier use of the head noun without its article (up to three
    sentences back); the organisation named there, else its words."""
    from marsad.extract.coref import org_role_heads

    heads = org_role_heads().get(head)
    if not heads:
        return None
    toks = st.doc.tokens
    sent = st.sent_of[before_tok]
    k = before_tok - 1
    while k >= 0 and st.sent_of[k] >= sent - 3:
        t = toks[k]
        if t.kind == "word" and SEARCH.text(t.stem) in heads and not SEARCH.text(t.prefix).endswith("ال"):
            end = toks[min(len(toks), k + 8) - 1].end
            cands = [c for c in _mentions_in(st, t.start, end) if st.doc.mentions[c].type in ("ORG", "PER")]
            if cands:
                return _resolve(st.doc, cands[0])
            words = [t]
            stops = (st.lex.comps | st.lex.kinds.get("boundary", frozenset()) | st.lex.kinds.get("adverb", frozenset())
                     | _PREPOSITIONS)
            for x in range(k + 1, min(k + 4, len(toks))):
                if toks[x].kind != "word" or st.sent_of[x] != st.sent_of[k] or toks[x].norm in stops:
                    break
                words.append(toks[x])
            if len(words) >= 2:
                return Speaker(None, st.doc.text[t.stem_start:words[-1].end], -1)
            return None
        k -= 1
    return None


def _statement_issuer(st: _State, hit: Hit) -> Speaker | None:
    """The issuer of "البيان": in the latest sentence (up to three back)
    that mentions a statement (أصدرت الوزارة بيانا، قال في بيان), its
    speaker if a quote was attributed there, else the organisation or
    person named before the word."""
    toks = st.doc.tokens
    sent = st.sent_of[hit.i]
    k = hit.i - 1
    while k >= 0 and st.sent_of[k] >= sent - 3:
        t = toks[k]
        if t.kind == "word" and (SEARCH.text(t.stem) in _STATEMENT_FORMS or t.norm in _STATEMENT_FORMS):
            s = st.sent_of[k]
            said = [sp for pos, ss, sp in st.spoken if ss == s and pos <= t.start]
            if said:
                return said[-1]
            if k + 1 < len(toks) and SEARCH.text(toks[k + 1].prefix).endswith("ل"):
                of = _statement_of(st, [t, toks[k + 1]] + [toks[x] for x in range(k + 2, min(k + 4, len(toks)))])
                if of is not None:
                    return of  # "وفق ما أعلن عنه بيان لوزارة الدفاع"
            lo = st.doc.sentences[s].start
            cands = [c for c in _mentions_in(st, lo, t.start) if st.doc.mentions[c].type in ("ORG", "PER", "GPE", "LOC")]
            if cands:
                return _resolve(st.doc, cands[-1])
        k -= 1
    return None


_RELATIVES = frozenset({"الذي", "التي", "الذين"})
_THEN = frozenset({"فان", "فانه", "فانها", "فانهم"})  # بحسب X فإن ...


def _bare_word(w: str) -> str:
    return w[2:] if w.startswith("ال") and len(w) > 4 else w


def _earlier_speaker_with_head(st: _State, head: str, before: int) -> Speaker | None:
    """The latest speaker so far whose name begins with ``head``, with or
    without the article ("الجيش" -> "الجيش الإسرائيلي", "المسؤول" -> "مسؤول
    أميركي", "المصدر" -> "مصدر عسكري")."""
    bare = _bare_word(head)
    for pos, _, sp in reversed(st.spoken):
        if pos >= before or not sp.canonical:
            continue
        words = SEARCH.text(sp.canonical).split()
        if len(words) >= 2 and _bare_word(words[0]) == bare:
            return sp
    return None


def _titled_antecedent(st: _State, head: str, before: int) -> int:
    """The latest mention before ``before`` whose title begins with the
    word ``head`` (الرئيس -> "الرئيس الألماني فرانك فالتر شتاينماير"), or -1.
    A stand-in for coreference when it left a bare role word unlinked."""
    ms = st.doc.mentions
    x = bisect.bisect_left(st.ment_starts, before) - 1
    for y in range(x, max(-1, x - 40), -1):
        m = ms[st.ment_order[y]]
        if m.title and m.type in SPEAKER_TYPES and SEARCH.text(m.title).split()[0] == head:
            return st.ment_order[y]
    return -1


def _subject_before(st: _State, hit: Hit) -> tuple[Speaker | None, int]:
    """SV order: ``وكان السفير ... ماكسيموف قد اعتبر`` / ``لافروف أكد``."""
    if hit.clitic or hit.form.kind != "verb":
        return None, -1
    toks = st.doc.tokens
    w = bisect.bisect_left(st.words, hit.i) - 1
    if w >= 0 and toks[st.words[w]].norm in st.lex.kinds.get("aux", ()):
        w -= 1
    if w < 0 or st.sent_of[st.words[w]] != st.sent_of[hit.i]:
        return None, -1
    w, jumped = _before_relative(st, w, hit)
    if w < 0:
        return None, -1
    end = toks[st.words[w]].end
    if st.doc.text[end:toks[st.words[w + 1]].start].strip(" \t،,)"):
        return None, -1  # "واشنطن (CNN)-- كشفت": a dateline, not a subject
    ms = st.doc.mentions
    a = bisect.bisect_left(st.ment_starts, end - 200)
    found = False
    for x in range(a, bisect.bisect_right(st.ment_starts, end)):
        c = st.ment_order[x]
        found = found or ms[c].end == end
        if ms[c].end == end and ms[c].type == "LOC" and ms[c].kind == "name" and _bare_subject(st, ms[c]):
            return _resolve(st.doc, c), c  # "روسيا أعلنت أنها": a country or capital for its government
        if ms[c].end == end and ms[c].type in SPEAKER_TYPES and ms[c].kind != "demonym":
            if ms[c].type != "PER":  # "بيسكوف المتحدث باسم الكرملين، قال": the person before his title
                p = _person_before_title(st, c)
                if p >= 0:
                    return _resolve(st.doc, p), p
            return _resolve(st.doc, c), c
    prev = toks[st.words[w]]
    if not found and any(v in _LATTER for v, _ in _variants(prev.norm)):  # "لكن الأخير، الذي ...، اعتبر": the last person named
        for x in range(bisect.bisect_left(st.ment_starts, prev.start) - 1, -1, -1):
            c = st.ment_order[x]
            if ms[c].type == "PER" and ms[c].end <= prev.start:
                return _resolve(st.doc, c), c
        return None, -1
    if (not found and not jumped and prev.kind == "word" and is_definite(prev) and len(prev.norm) > 4
            and prev.norm not in st.lex.kinds.get("stop", frozenset())
            and not st.doc.text[prev.end:toks[hit.i].start].strip()
            and (hit.form.gender == "p" or _head(prev.norm) in _org_roles())):
        # "لكن التجار قالوا إن"، "ورغم أن الشرطة أكدت أن"
        sp = _named_before(st, _head(prev.norm), hit.i) if hit.form.gender != "p" else None
        a = prev.start + (1 if prev.text[:1] in "وف" and prev.norm[1:3] == "ال" else 0)
        return sp or Speaker(None, st.doc.text[a:prev.end], -1), -1
    sp = _kana_subject(st, hit)
    if sp is not None:
        return sp, -1
    return None, -1


_LATTER = frozenset({"الاخير", "الاخيره"})
_NOT_BREAKING = frozenset({"ما", "مما", "كما", "لما", "بما", ""})  # ردا على ما قال إنه
_IN_IT = frozenset({"فيها", "فيه"})  # كتب فيها: in the tweet/post just named
_WAS = frozenset({"كان", "كانت", "كانوا"})
RELATIVE_WORDS = 16  # longest relative clause or apposition skipped between a subject and its verb


def _before_relative(st: _State, w: int, hit: Hit) -> tuple[int, bool]:
    """The word before a relative clause that separates a subject from its
    verb: "دولت بهجلي والذي كان دعا" (the relative right before the cue),
    "الرئيس فلان، الذي وصل أمس، قال" (a clause between commas). Returns
    ``(word index, jumped)``."""
    toks, text = st.doc.tokens, st.doc.text
    sent = st.sent_of[hit.i]
    if w > 0 and toks[st.words[w]].norm in _WAS:  # "والذي كان دعا"
        w -= 1
    if any(v in _RELATIVES for v, _ in _variants(toks[st.words[w]].norm)):
        return w - 1 if w > 0 and st.sent_of[st.words[w - 1]] == sent else -1, True
    if "،" not in text[toks[st.words[w]].end:toks[hit.i].start]:
        return w, False
    for r in range(w, max(0, w - RELATIVE_WORDS), -1):
        t = toks[st.words[r]]
        if st.sent_of[st.words[r - 1]] != sent:
            break
        if t.norm in _RELATIVES and "،" in text[toks[st.words[r - 1]].end:t.start]:
            return r - 1, True
    return w, False


_PREPOSITIONS = frozenset({"في", "من", "الي", "عن", "علي", "مع", "حول", "داخل", "خارج", "قرب", "نحو", "ل", "ب"})


def _bare_subject(st: _State, m) -> bool:
    """A place mention that can be a preverbal subject: one word-group not
    governed by a preposition (not "في موسكو قال", not "لروسيا")."""
    toks = st.doc.tokens
    k = bisect.bisect_right(st.tok_starts, m.start) - 1  # the token the mention starts in
    if k < 0:
        return True
    if SEARCH.text(toks[k].text[:m.start - toks[k].start])[-1:] in ("ب", "ل", "ك"):
        return False  # "لروسيا"، "بموسكو"
    w = bisect.bisect_left(st.words, k) - 1
    if w < 0 or st.sent_of[st.words[w]] != st.sent_of[k]:
        return True
    prev = toks[st.words[w]].norm
    if prev in _PREPOSITIONS or (prev[:1] in "وف" and prev[1:] in _PREPOSITIONS):
        return False
    if SEARCH.text(toks[k].text[:m.start - toks[k].start]) == "و":
        # "في فرنسا والولايات المتحدة وبريطانيا": a conjunct shares the first one's preposition
        x = bisect.bisect_left(st.ment_starts, m.start) - 1
        if x >= 0:
            p = st.doc.mentions[st.ment_order[x]]
            if p.end <= m.start and not st.doc.text[p.end:toks[k].start].strip():
                return _bare_subject(st, p)
    return True


def _kana_subject(st: _State, hit: Hit) -> Speaker | None:
    """"وكان الزعماء السياسيون في فرنسا ... قالوا"، "وكانت أسرة المذبوح قد
    طالبت": a sentence opened by كان names its subject right after it."""
    toks = st.doc.tokens
    sent = st.sent_of[hit.i]
    w0 = bisect.bisect_left(st.words, _tok_index(st, st.doc.sentences[sent].start))
    w_cue = bisect.bisect_left(st.words, hit.i)
    if w_cue - w0 < 2 or w_cue - w0 > 14:
        return None
    if not any(v in _WAS for v, _ in _variants(toks[st.words[w0]].norm)):
        return None
    first = st.words[w0] + 1
    cands = [c for c in _mentions_in(st, toks[first].start, toks[hit.i].start)
             if st.doc.mentions[c].kind != "demonym"]
    if cands:
        m = st.doc.mentions[cands[0]]
        if (m.title_start if m.title_start >= 0 else m.start) <= toks[first].end:
            return _resolve(st.doc, cands[0])
    stops = (st.lex.comps | st.lex.kinds.get("boundary", frozenset()) | st.lex.kinds.get("adverb", frozenset())
             | st.lex.kinds.get("aux", frozenset()) | _PREPOSITIONS)
    out = []
    for k in range(first, hit.i):
        t = toks[k]
        if t.kind != "word" or t.norm in stops or any(v in st.lex.cues for v, _ in _variants(t.norm)):
            break
        out.append(t)
    if not out or len(out) > 4 or not (is_definite(out[0]) or (len(out) >= 2 and is_definite(out[1]))):
        return None
    return Speaker(None, st.doc.text[out[0].start:out[-1].end], -1)


def _person_before_title(st: _State, c: int) -> int:
    """A person named right before a title phrase that ends in organisation
    ``c`` ("ديمتري بيسكوف المتحدث باسم الكرملين"), or -1."""
    from marsad.extract.titles import Lexicon as TitleLexicon

    ms, toks, text = st.doc.mentions, st.doc.tokens, st.doc.text
    org = ms[c]
    x = bisect.bisect_left(st.ment_starts, org.start) - 1
    for y in range(x, max(-1, x - 3), -1):
        p = ms[st.ment_order[y]]
        if p.type != "PER" or p.kind == "pronoun" or p.end > org.start or org.start - p.end > 60:
            continue
        gap = text[p.end:org.start]
        if any(ch in gap for ch in ".،,:؛\n"):
            return -1
        k = _tok_index(st, p.end)
        while k < len(toks) and toks[k].kind == "punct":
            k += 1
        ph = TitleLexicon.default().parse(toks, k) if k < len(toks) else None
        if ph is not None and ph.end >= org.start:
            return st.ment_order[y]
        return -1
    return -1


def _turn_marker(st: _State, hit: Hit) -> int:
    """Start offset of a "من جانبه" before the cue in its sentence, else -1."""
    toks = st.doc.tokens
    sent = st.sent_of[hit.i]
    w = bisect.bisect_left(st.words, hit.i)
    for back in range(1, 5):
        if w - back < 0 or st.sent_of[st.words[w - back]] != sent:
            break
        for size in (1, 2):
            first = w - back
            if first + size > w:
                continue
            ws = [toks[st.words[first + x]].norm for x in range(size)]
            for v, _ in _variants(ws[0]):
                if tuple([v] + ws[1:]) in st.lex.turns:
                    return toks[st.words[first]].start
    return -1


def _gender(st: _State, sp: Speaker) -> str:
    g = st.genders.get(sp.canonical or "")
    if g:
        return g
    if sp.mention >= 0:
        m = st.doc.mentions[sp.mention]
        head = (m.title or m.text).split()
        if m.type == "PER" and head and head[0].endswith(tuple(st.lex.kinds.get("feminine", ()))):
            return "f"
    return ""


_PLURAL_ENDINGS = ("ون", "ين", "ات")


def _group_words() -> frozenset[str]:
    """First words of a group speaker (data kind ``group``: مصادر، شهود، سكان)."""
    return lexicon().kinds.get("group", frozenset())


def _plural(st: _State, sp: Speaker) -> bool:
    """Does the speaker name a group ("مسؤولون أتراك"، "مصادر محلية"، "وسائل
    إعلام") rather than one person or body?"""
    if sp.mention >= 0 and st.doc.mentions[sp.mention].type == "PER":
        return False
    words = SEARCH.text(sp.canonical or "").split()
    return bool(words) and (words[0] in _group_words() or words[0].endswith(_PLURAL_ENDINGS)
                            or (len(words) >= 2 and words[1].endswith(("ون", "ين"))))  # العمال المحليون


def _carry(st: _State, recent: list[_Recent], hit: Hit) -> _Recent | None:
    """The speaker a cue without a subject continues, gender permitting."""
    sent = st.body[st.sent_of[hit.i]]  # headline lines between do not count
    pool = [r for r in reversed(recent) if r.pos < hit.start and st.body[r.sent] >= sent - CARRY_SENTENCES][:4]
    if not pool:
        return None
    g = hit.form.gender
    if g == "p":  # "وقالوا": a group said it, never one named person
        return next((r for r in pool if r.gender == "p" or _plural(st, r.speaker)), None)
    one = [r for r in pool if r.gender != "p" and not _plural(st, r.speaker)] or pool
    if g == "m":  # the latest speaker not known to be a woman (most men's names carry no mark)
        return next((r for r in one if (r.gender or _gender(st, r.speaker)) != "f"), one[0])
    if g == "f":
        for want in (g, ""):
            for r in one:
                if (r.gender or _gender(st, r.speaker)) == want:
                    return r
    return pool[0]


# ----------------------------------------------------------------- main pass
def extract_quotes(doc: Doc) -> list[Quote]:
    """All quotes of ``doc`` sorted by start (needs tokens, sentences and,
    for speakers, mentions)."""
    if not doc.text or not doc.tokens or not doc.sentences:
        return []
    return _Pass(_prepare(doc)).run()


class _Pass:
    """One pass over a document: the cues, the quotes found so far, and the
    speakers recently seen (what a cue without a subject continues)."""

    def __init__(self, st: _State):
        self.st = st
        self.text = text = st.doc.text
        toks = st.doc.tokens
        self.tok_starts = st.tok_starts
        self.word_starts = [toks[k].start for k in st.words]
        spans = quoted_spans(text)
        self.long_spans = [(a, b) for a, b in spans if self.nwords(a, b) >= MIN_WORDS]
        self.opens = {a: (a, b) for a, b in self.long_spans}
        # two words in quotation marks right after a cue or its complementiser
        # ("وصفها بأنها "صغيرة جدا""، "بـ"بالكذب المنمق""): a quote, not a name
        self.short = {a: (a, b) for a, b in spans if self.nwords(a, b) == 2}
        self.span_opens = [a for a, _ in self.long_spans]
        self.hits = _find_hits(st, spans)
        hit_at = {h.i: h for h in self.hits}
        for h in self.hits:
            if h.form.reported == "yes":
                _find_comp(st, h, hit_at, self.opens, self.short)
                if h.comp < 0 and h.form.pps:
                    _find_pp(st, h, hit_at)
        self.hit_starts = {toks[h.i].start for h in self.hits}
        # cues that end a running reported clause (… مشيرا إلى أن / … وأضاف)
        # (… كتبت فيها: "...")
        clause = st.lex.kinds.get("clause", frozenset())
        self.breakers = []
        for h in self.hits:
            if h.form.reported == "source" or (h.form.strict and h.comp < 0):
                continue
            if (not h.clitic and h.comp_kind == "quote"
                    and any(v in _RELATIVES for v, _ in _variants(_word_before(st, h.i)))):
                continue  # "مارتن غريفيث، المبعوث الذي دعا المندوبين "...": inside the running clause
            if h.post:  # "... الإرهاب، كما أكّد": the running clause ends before كما
                w = bisect.bisect_left(st.words, h.i) - 1
                self.breakers.append(toks[st.words[w]].start if w >= 0 else h.start)
            elif (h.form.kind == "participle" or h.clitic or h.form.reported == "no"
                    or h.comp_kind in ("colon", "quote")):
                self.breakers.append(h.start - (1 if h.clitic else 0))
            elif h.comp >= 0 and any(v in clause for v, _ in _variants(_word_before(st, h.i))):
                # "... فيما أكدت ميركل أن": the clause word ends the running quote
                w = bisect.bisect_left(st.words, h.i) - 1
                self.breakers.append(toks[st.words[w]].start)
            elif (h.comp_kind == "comp" and h.form.kind == "verb"
                  and _word_before(st, h.i) not in _NOT_BREAKING):
                # "حذر من ... ملوحا بقطعة قال إنها ...": a new cue with its own clause
                self.breakers.append(h.start)
        self.breakers.sort()
        self.used: set[int] = set()  # opening marks of quoted spans already attributed
        self.quotes: list[_Q] = []
        self.taken: list[tuple[int, int]] = []  # sorted spans of ``quotes``
        self.recent: list[_Recent] = []  # the last few speakers (carry-over)
        self.history: list[_Recent] = []  # every speaker seen, in text order

    def nwords(self, a: int, b: int) -> int:
        return bisect.bisect_left(self.word_starts, b) - bisect.bisect_left(self.word_starts, a)

    def remember(self, pos: int, sp: Speaker | None, sent: int, gender: str, q: _Q | None) -> None:
        st = self.st
        if sp is None or st.headline[sent]:
            return
        if gender in ("m", "f") and sp.canonical:
            st.genders.setdefault(sp.canonical, gender)
        st.spoken.append((pos, sent, sp))
        r = _Recent(pos, sp, sent, gender, q)
        self.recent.append(r)
        self.history.append(r)
        if len(self.recent) > 12:
            del self.recent[:-8]

    def inside_quote(self, pos: int) -> bool:
        x = bisect.bisect_right(self.taken, (pos, len(self.text) + 1)) - 1
        return x >= 0 and self.taken[x][0] <= pos < self.taken[x][1]

    def clause_end(self, pos: int, sent: int) -> int:
        """End of a reported clause starting at ``pos``: its sentence's end
        (or the next line's, when the line breaks mid-clause), or the next
        cue, or the next attributed quotation."""
        st, text, sents = self.st, self.text, self.st.doc.sentences
        end = sents[sent].end
        nxt = sent + 1
        if (sents[sent].text[-1] not in _FINAL and nxt < len(sents) and not st.headline[nxt]
                and not text[end:sents[nxt].start].strip()):
            first = st.doc.tokens[bisect.bisect_left(self.tok_starts, sents[nxt].start)]
            if first.norm[:1] not in st.lex.conj and sents[nxt].start not in self.hit_starts:
                end = sents[nxt].end
        b = bisect.bisect_right(self.breakers, pos)
        if b < len(self.breakers) and self.breakers[b] < end:
            end = self.breakers[b]
        q = bisect.bisect_right(self.span_opens, pos)
        if q < len(self.span_opens) and self.span_opens[q] < end and self.span_opens[q] in self.used:
            end = self.span_opens[q]
        return end

    def add(self, start: int, end: int, direct: bool, sp: Speaker | None, hit: Hit | None) -> _Q | None:
        """Keep a quote unless it is empty or overlaps one already kept."""
        text = self.text
        start, end = _trim(text, start, end)
        if self.nwords(start, end) < (1 if direct else 2):
            return None
        if (not direct and start and end < len(text) and text[start - 1] in '"«“' and text[end] in '"»”'
                and not _QMARK.search(text, start, end)):
            direct = True  # "..."، بحسب ...: the attributed content is a quotation
        taken = self.taken
        x = bisect.bisect_left(taken, (start, end))
        if (x > 0 and taken[x - 1][1] > start) or (x < len(taken) and taken[x][0] < end):
            return None
        taken.insert(x, (start, end))
        q = _Q(start, end, direct, sp, hit)
        self.quotes.append(q)
        return q

    def speaker(self, h: Hit, sent: int) -> tuple[Speaker | None, str, _Recent | None]:
        """``(speaker, how, carried)`` for a cue with a complement."""
        st = self.st
        if h.j < len(st.doc.tokens) and st.doc.tokens[h.j].norm in _IN_IT and h.form.kind == "verb":
            # "ونشر فلان تغريدة على تويتر كتب فيها:": the author named earlier in the sentence
            mi = _person_earlier_in_sentence(st, h)
            if mi >= 0:
                return _resolve(st.doc, mi), "explicit", None
        sp = None
        if st.headline[sent]:  # "نتانياهو يتهم ظريف ...": a headline puts the subject first
            sp, _ = _subject_before(st, h)
        if sp is None and h.form.kind != "participle":  # after "متهما" comes its object, not a subject
            sp, _ = _subject(st, h, h.comp, words=False)
        if sp is None:
            sp, _ = _subject_before(st, h)
        if sp is None and h.form.kind != "participle":
            sp, _ = _subject(st, h, h.comp)
        if sp is not None or st.headline[sent]:
            return sp, "explicit", None
        turn = _turn_marker(st, h)
        if turn >= 0:
            return _last_other_person(st, self.recent, turn), "turn", None
        if h.form.kind == "participle" and not any(r.sent == sent for r in self.recent):
            # "ليعلق بعدها وزير الدفاع الأمريكي، جيمس ماتيس، قائلا": the subject of its own sentence
            mi = _person_earlier_in_sentence(st, h)
            if mi >= 0 and (h.form.gender != "f" or _gender(st, _resolve(st.doc, mi)) == "f"):
                return _resolve(st.doc, mi), "explicit", None
            mi = _sentence_subject_before(st, h)
            if mi >= 0:  # "وتنحي موسكو ودمشق باللائمة على المعارضة، قائلتين إن"
                return _resolve(st.doc, mi), "explicit", None
        carried = _carry(st, self.recent, h)
        if carried is None:  # "وشكك فلان في ... واعتبر أن": the person named earlier in the sentence
            mi = _person_earlier_in_sentence(st, h)
            if mi >= 0:
                return _resolve(st.doc, mi), "explicit", None
        return (carried.speaker if carried else None), "carry", carried

    def content(self, h: Hit, sp: Speaker | None, sent: int) -> _Q | None:
        """The quote a cue introduces: the quotation right after its
        complementiser or colon, else the clause (direct after a colon)."""
        toks = self.st.doc.tokens
        k = h.comp if h.comp_kind in ("quote", "ppc") else h.comp + 1
        if k >= len(toks):
            return None
        span = self.opens.get(toks[k].start) or self.short.get(toks[k].start)
        if span is not None and span[0] not in self.used:
            self.used.add(span[0])
            return self.add(span[0] + 1, span[1], True, sp, h)
        if h.comp_kind == "quote":
            return None
        return self.add(toks[k].start, self.clause_end(toks[k].start, sent), h.comp_kind == "colon", sp, h)

    def run(self) -> list[Quote]:
        st = self.st
        verbs = {h.i for h in self.hits if h.form.reported == "yes" and h.form.kind == "verb"}
        subjects = _sentence_subjects(st, verbs, self.long_spans)
        si = 0
        for h in self.hits:
            sent = st.sent_of[h.i]
            while si < len(subjects) and subjects[si][0] < h.start:
                pos, mi, s_sent = subjects[si]
                self.remember(pos, _resolve(st.doc, mi), s_sent, "", None)
                si += 1
            if h.form.reported == "no" or self.inside_quote(h.start):
                continue
            if h.form.reported == "source" or (h.post and h.comp < 0 and h.form.post):
                q = _post_attribution(st, h, self.add, self.nwords, self.opens, self.used)
                if q is not None:
                    self.remember(h.start, q.speaker, sent, "", q)
                continue
            if h.comp < 0:  # no quote, but a named subject may speak next (من جانبه، أشار فلان الى ...)
                sp, mi = _subject(st, h, _sentence_end_tok(st, h))
                if mi >= 0 and h.form.kind == "verb":
                    self.remember(h.start, sp, sent, h.form.gender, None)
                continue
            sp, how, carried = self.speaker(h, sent)
            if (h.comp_kind in ("pp", "ppc") and how != "explicit" and not h.clitic and h.form.kind == "verb"
                    and not _word_before(st, h.i)):
                continue  # "أُعلن في موسكو عن زيارة": a passive or a clause with no speaker of its own
            q = self.content(h, sp, sent)
            if q is None:
                continue
            if carried is not None:
                q.continues = _continued(self.recent, carried, sent)
            # "نقلت الوكالة عن فلان قوله": the cue agrees with the agency, not the speaker
            gender = h.form.gender if how == "explicit" and not h.form.source_after else ""
            self.remember(h.start, sp, sent, gender, q)
        _cue_after_quotes(st, self.long_spans, self.used, self.hits, self.add)
        _headline_quotes(st, self.add)
        _bare_quotes(st, self.long_spans, self.used, self.history, self.add)
        return _freeze(self.text, self.quotes)


def _person_earlier_in_sentence(st: _State, h: Hit) -> int:
    """The first person named in the cue's sentence before it, or -1."""
    lo = st.doc.sentences[st.sent_of[h.i]].start
    pers = [c for c in _mentions_in(st, lo, h.start) if st.doc.mentions[c].type == "PER"]
    bare = [c for c in pers if _bare_subject(st, st.doc.mentions[c])]  # not "منذ لقائه مع كيم"
    return (bare or pers)[0] if pers else -1


def _sentence_subject_before(st: _State, h: Hit) -> int:
    """A body or place named within the first three words of the cue's
    sentence (the subject after its verb), or -1."""
    toks = st.doc.tokens
    s = st.doc.sentences[st.sent_of[h.i]]
    w0 = bisect.bisect_left(st.words, _tok_index(st, s.start))
    first = st.words[w0:w0 + 3]
    if not first or first[-1] >= h.i:
        return -1
    limit = toks[first[-1]].end
    ms = st.doc.mentions
    for x in range(bisect.bisect_left(st.ment_starts, s.start), bisect.bisect_left(st.ment_starts, limit)):
        c = st.ment_order[x]
        m = ms[c]
        if m.kind != "demonym" and m.type in SPEAKER_TYPES + ("LOC",) and (m.type != "LOC" or _bare_subject(st, m)):
            return c
    return -1


def _word_before(st: _State, k: int) -> str:
    """The word before token ``k`` in its sentence ("" if none)."""
    w = bisect.bisect_left(st.words, k) - 1
    if w < 0 or st.sent_of[st.words[w]] != st.sent_of[k]:
        return ""
    return st.doc.tokens[st.words[w]].norm


def _continued(recent: list[_Recent], carried: _Recent, sent: int) -> _Q | None:
    """The latest quote by the carried speaker within two sentences."""
    for r in reversed(recent):
        if r.sent < sent - 2:
            break
        if r.quote is not None and r.speaker.canonical == carried.speaker.canonical:
            return r.quote
    return None


def _sentence_end_tok(st: _State, h: Hit) -> int:
    toks = st.doc.tokens
    sent = st.sent_of[h.i]
    k = h.j
    while k < len(toks) and st.sent_of[k] == sent and k - h.j < WINDOW:
        k += 1
    return k


def _sentence_subjects(st: _State, cue_at: set[int], spans=()) -> list[tuple[int, int, int]]:
    """``(pos, mention, sentence)`` for a PER/ORG/GPE mention (title
    included) starting within a sentence's first four words: the sentence's
    likely subject, which a later cue without one may continue."""
    doc = st.doc
    ms = doc.mentions
    toks = doc.tokens
    out = []
    for k, s in enumerate(doc.sentences):
        if st.headline[k]:
            continue
        a = bisect.bisect_left(st.words, _tok_index(st, s.start))
        first = st.words[a:a + 4]
        if not first or st.sent_of[first[0]] != k:
            continue
        if any(v in st.lex.voice for v, _ in _variants(toks[first[0]].norm)):
            continue
        if any(x in cue_at for x in first[:2]):
            continue  # a cue opens the sentence: its own subject is remembered
        limit = toks[first[-1]].end
        cands = [c for c in _mentions_in(st, s.start, min(s.end, limit + 200))
                 if (ms[c].title_start if ms[c].title_start >= 0 else ms[c].start) < limit
                 and ms[c].kind != "pronoun"]
        cands = [c for c in cands if not any(a < ms[c].start < b for a, b in spans)  # وسأله "سيد ظريف، ..."
                 and _bare_subject(st, ms[c])]  # not "ومنذ لقائه مع كيم"
        pers = [c for c in cands if ms[c].type == "PER"]
        if cands:
            c = (pers or cands)[0]
            out.append((ms[c].start, c, k))
    return out


def _tok_index(st: _State, pos: int) -> int:
    """Index of the first token starting at or after ``pos``."""
    return bisect.bisect_left(st.tok_starts, pos)


def _last_other_person(st: _State, recent: list[_Recent], before: int) -> Speaker | None:
    """After "من جانبه": the last person named before ``before`` who is not
    the speaker of the moment."""
    ms = st.doc.mentions
    current = recent[-1].speaker.canonical if recent else None
    x = bisect.bisect_left(st.ment_starts, before) - 1
    stop = max(-1, x - 50)  # bounded: the other party is named nearby
    while x > stop:
        c = st.ment_order[x]
        if ms[c].type == "PER" and ms[c].kind != "pronoun":
            sp = _resolve(st.doc, c)
            if sp.canonical != current:
                return sp
        x -= 1
    return None


def _last_speaker(st: _State, pos: int) -> Speaker | None:
    """The speaker of the latest quote or subject before ``pos`` (within
    three sentences): who "على حد قوله" refers to."""
    sent = st.sent_of[_tok_index(st, pos)] if pos < len(st.doc.text) else len(st.doc.sentences) - 1
    for p, ss, sp in reversed(st.spoken):
        if p < pos and ss >= sent - CARRY_SENTENCES:
            return sp
    return None


def _source_end(st: _State, h: Hit, end: int) -> int:
    """End of the source phrase after an attribution cue: the first comma,
    relative pronoun or "التابع" (بحسب المرصد السوري الذي أعلن ...)."""
    toks = st.doc.tokens
    k = h.j
    while k < len(toks) and toks[k].start < end:
        t = toks[k]
        if (t.kind == "punct" and t.text in "،,") or t.norm in _RELATIVES or t.norm in ("التابع", "التابعه"):
            return t.start
        k += 1
    return end


def _post_attribution(st: _State, h: Hit, add, nwords, opens=None, used=None) -> _Q | None:
    """``<clause>، كما قال بيان رئاسي`` / ``<clause> بحسب ...`` / ``بحسب X، <clause>``
    / ``بحسب X فإن <clause>``."""
    doc = st.doc
    sent = doc.sentences[st.sent_of[h.i]]
    toks = doc.tokens
    cue_from = h.start - (1 if h.clitic else 0)
    if h.post:  # the كما before the cue starts the attribution
        w = bisect.bisect_left(st.words, h.i) - 1
        cue_from = toks[st.words[w]].start
    before = nwords(sent.start, cue_from)
    comma = doc.text.find("،", h.end, sent.end)
    after = nwords(h.end, comma if comma > 0 else sent.end)  # "... حسب معلومات قدمها مصدر، الذي أوضح"
    if comma < 0 and after > 6:
        after = nwords(h.end, _source_end(st, h, sent.end))  # "بحسب المرصد السوري الذي أعلن أيضا ..."
    # an attribution with no source found ("وفقا للتعديل الخامس") is no quote
    if before >= MIN_WORDS and after <= (9 if comma > 0 else 8):
        if h.form.carry:  # "...، على حد قوله"
            sp = _last_speaker(st, h.start)
        else:
            sp, _ = _subject(st, h, _sentence_end_tok(st, h))
        if sp is None:
            return None
        for a in (sent.start, sent.start + 1):  # و"...“، على حد قوله: the quotation itself
            if opens and a in opens and a not in used and not doc.text[opens[a][1] + 1:cue_from].strip(_TRIM):
                used.add(a)
                return add(a + 1, opens[a][1], True, sp, h)
        return add(sent.start, cue_from, False, sp, h)
    if before <= 1 and h.form.kind == "prep":
        comma = doc.text.find("،", h.end, sent.end)
        if comma > 0 and nwords(h.end, comma) <= 6:
            sp, _ = _subject(st, h, _tok_index(st, comma))
            return add(comma + 1, sent.end, False, sp, h) if sp else None
        fa = next((k for k in range(h.j, min(len(toks), h.j + 10))
                   if toks[k].start < sent.end and toks[k].norm in _THEN), -1)
        if fa > h.j:  # "وبحسب الجيش الإسرائيلي فإن قنابل ..."
            sp, _ = _subject(st, h, fa)
            return add(toks[fa].end, sent.end, False, sp, h) if sp else None
        # "وبحسب بيان صادر عن (الشاباك) فقد "...": the quotation the attribution opens
        for a in sorted(opens or ()):
            if h.end < a < sent.end and a not in (used or ()) and nwords(h.end, a) <= 8:
                sp, _ = _subject(st, h, _tok_index(st, a))
                if sp is None:
                    return None
                used.add(a)
                return add(a + 1, opens[a][1], True, sp, h)
    return None


def _cue_after_quotes(st: _State, spans, used: set[int], hits: list[Hit], add) -> None:
    """``"..." قال فلان`` / ``"..."، بحسب ...``: a cue right after the
    closing mark."""
    toks = st.doc.tokens
    by_tok = {h.i: h for h in hits}
    for a, b in spans:
        if a in used:
            continue
        k = _tok_index(st, b + 1)
        while k < len(toks) and toks[k].kind == "punct" and toks[k].text in "،,":
            k += 1
        h = by_tok.get(k)
        if h is None or h.form.reported == "no" or st.sent_of[k] != st.sent_of[_tok_index(st, a)]:
            continue
        if h.comp >= 0 and h.comp_kind in ("comp", "quote", "colon"):
            continue  # "...“، مضيفة أن "...": the cue opens the next quotation
        if h.form.carry:
            sp = _last_speaker(st, h.start)
        else:
            sp, _ = _subject(st, h, _sentence_end_tok(st, h))
        if add(a + 1, b, True, sp, h) is not None:
            used.add(a)


def _headline_quotes(st: _State, add) -> None:
    """``الوزير العراقي: نتفاوض مع ...`` on a headline line: the words before
    the colon name the speaker (a mention there, else those words)."""
    doc = st.doc
    toks = doc.tokens
    for n, s in enumerate(doc.sentences):
        if not st.headline[n] or (s.start == 0 and doc.article.dateline):
            continue
        colon = s.text.find(":")
        if colon < 0:
            continue
        colon += s.start
        w0 = bisect.bisect_left(st.words, _tok_index(st, s.start))
        before = [k for k in st.words[w0:w0 + 7] if toks[k].start < colon]
        links = st.lex.kinds.get("link", frozenset())
        marker = next((x for x, k in enumerate(before[:3]) if toks[k].norm in links), -1)
        if marker >= 0:  # "قد يهمك/ تميم بن حمد: ...": a related article's headline
            before = before[marker + 1:]
        if not 1 <= len(before) <= 4:
            continue
        lo = toks[before[0]].start
        places = [m for m in st.doc.mentions if lo <= m.start and m.end <= colon and m.type == "LOC"]
        if places and not doc.text[lo:colon].replace(places[0].text, "", 1).strip(_TRIM):
            continue  # "الهند: انهيار جسر ...": a place, not a speaker
        cands = _mentions_in(st, lo, colon)
        pers = [c for c in cands if doc.mentions[c].type == "PER"]
        if cands:
            sp = _resolve(doc, (pers or cands)[0])
        else:
            sp = Speaker(None, doc.text[lo:toks[before[-1]].end], -1)
        add(colon + 1, s.end, True, sp, None)


def _bare_quotes(st: _State, spans, used: set[int], history: list[_Recent], add) -> None:
    """A quoted whole sentence with no cue continues the last speaker."""
    text = st.doc.text
    positions = [r.pos for r in history]
    for a, b in spans:
        if a in used:
            continue
        k = _tok_index(st, a)
        sent = st.sent_of[k] if k < len(st.sent_of) else 0
        if st.headline[sent]:
            continue
        s = st.doc.sentences[sent]
        if (text[s.start:a] + text[b + 1:s.end]).strip(_TRIM):
            continue  # more than the quotation in its sentence
        x = bisect.bisect_left(positions, a) - 1
        if x < 0 or history[x].sent < sent - 2:
            continue
        q = add(a + 1, b, True, history[x].speaker, None)
        if q is not None:
            q.continues = history[x].quote
            used.add(a)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in _TRIM:
        start += 1
    while end > start and text[end - 1] in _TRIM:
        end -= 1
    return start, end


def _freeze(text: str, quotes: list[_Q]) -> list[Quote]:
    quotes.sort(key=lambda q: q.start)
    index = {id(q): n for n, q in enumerate(quotes)}
    out = []
    for q in quotes:
        h = q.hit
        cont = index.get(id(q.continues), -1) if q.continues is not None else -1
        sp = q.speaker
        if sp is not None and sp.canonical and ("#" in sp.canonical or "_" in sp.canonical):
            sp = replace(sp, canonical=" ".join(sp.canonical.replace("#", " ").replace("_", " ").split()))
        out.append(Quote(q.start, q.end, text[q.start:q.end], q.direct, sp,
                         text[h.start:h.end] if h else None, h.start if h else -1, h.end if h else -1,
                         cont if cont < index[id(q)] else -1))
    return out


# ``mentions`` are read when an earlier component assigned them (entities,
# titles, coref); without them speakers are the subject's own words, so the
# component does not require them and still runs with ``entities`` disabled.
@component("quotes", requires=("tokens", "sentences"), assigns=("quotes",))
def make_quotes():
    """Direct and reported quotes with speakers and cues."""

    def run(doc: Doc) -> None:
        doc.quotes = extract_quotes(doc)

    return run
