"""The ``dates`` component: when, resolved against the publication date.

Finds, with spans into the original text, and resolves to ISO 8601 at the
granularity written (2020-11-25 day, 2020-W47 week, 2020-11 month, 2021 year):

* relative expressions (اليوم، أمس، أول أمس، غدا، الاسبوع الماضي، الشهر
  المقبل، العام الحالي ...: ``relative_dates.tsv``), "يوم" before them kept
  in the span;
* weekdays, tense-aware: with المقبل/القادم, a future verb (سيقوم، سيتم, a
  سـ-prefixed verb, سوف، يعتزم) around it in the same clause, or an
  imperfect verb before it ("يعقد الاتحاد قمته الخميس"; not after لم), the
  next such day strictly after publication; with الماضي the previous one
  strictly before; otherwise (a past verb, or no future marker) the latest
  such day on or before publication (so a Thursday article's "الخميس" is
  that day).  "اليوم السبت" / "أمس الأحد" take the relative's date; a
  weekday in a verbless headline takes the date the same weekday got
  elsewhere in the article with an explicit marker;
* absolute dates: "25 نوفمبر 2020", "25 تشرين الثاني 2020" (Levantine/Iraqi
  and Maghrebi month names), "2020/11/25", "25/11/2020", "25-11-2020",
  "عام 2021", "نوفمبر 2020", "أيار/مايو 2018" (a month named in two
  traditions), "الرابع من آذار", "24 من شهر يونيو", "في نوفمبر" (the
  month's nearest occurrence, or past/future by the same tense rule), Hijri
  dates ("10 ربيع الثاني 1442 هـ", converted with hijridate);
* vague expressions (مؤخرا، قريبا، في وقت قريب: ``vague_dates.txt``): kept,
  ``vague=True``, ``value=None``.

Without a publication date, anything relative keeps ``value=None`` and
``resolved=False``.  Rules, not dateparser: dateparser resolves "امس" and a
bare weekday but not "الاربعاء المقبل", "25 تشرين الثاني 2020", nor the tense
of the verb, and turns "عام 2021" into a day.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache, lru_cache

from marsad.extract.numbers import Lexicon, lexicon, variants
from marsad.lang.ar import load_list, load_table
from marsad.model import DateRef, Doc, Sentence, Token
from marsad.pipeline import component
from marsad.text.normalize import SEARCH

_norm = SEARCH.text
_CLAUSE_END = {"،", ",", ".", "؛", ";", ":", "..", "...", "؟", "?", "!", "\"", "«", "»", "(", ")"}
_NUMERIC_DATE = re.compile(r"^(\d{1,4})/(\d{1,2})/(\d{1,4})$")
_FUTURE_VERB = re.compile(r"^(?:[وف])?س[يتن]\S{2,}$")
_IMPERFECT = re.compile(r"^(?:[وف])?ي(?!وم)\S{2,}$")


@dataclass(frozen=True)
class _Lex:
    relative: dict[tuple[str, ...], tuple[int, str]]
    vague: frozenset[tuple[str, ...]]
    months: dict[tuple[str, ...], tuple[int, str, bool]]  # -> month, calendar, ambiguous
    markers: dict[str, frozenset[str]]
    future_phrases: frozenset[tuple[str, ...]]
    ordinals: dict[tuple[str, ...], int]  # "الرابع" -> 4, "الحادي والعشرين" -> 21
    first_words: frozenset[str]  # every word a date expression can start with


@cache
def _lex() -> _Lex:
    rel = {tuple(_norm(r["phrase"]).split()): (int(r["offset"]), r["unit"])
           for r in load_table("relative_dates")}
    vague = frozenset(tuple(_norm(w).split()) for w in load_list("vague_dates"))
    months = {tuple(_norm(r["name"]).split()): (int(r["month"]), r["calendar"], r["ambiguous"] == "1")
              for r in load_table("months")}
    kinds: dict[str, set[str]] = {}
    for r in load_table("date_markers"):
        for kind in r["kind"].split(","):
            kinds.setdefault(kind, set()).add(_norm(r["word"]))
    fut = frozenset(tuple(w.split()) for w in kinds.get("future_word", ()))
    ordinals = {tuple(_norm(r["ordinal"]).split()): int(r["day"]) for r in load_table("ordinal_days")}
    first = {k[0] for table in (rel, vague, months, ordinals) for k in table}
    first |= {_norm(r["name"]) for r in load_table("weekdays")}
    first |= kinds.get("year_before", set())
    return _Lex(rel, vague, months, {k: frozenset(v) for k, v in kinds.items()}, fut, ordinals,
                frozenset(first))


def _conj_variants(norm: str) -> list[str]:
    """A word and the word without a conjunction (وامس -> امس); never a
    preposition ("بأمس الحاجة" is no date)."""
    if len(norm) > 3 and norm[0] in "وف":
        return [norm, norm[1:]]
    return [norm]


@cache
def _lengths(table_id: int) -> dict[str, tuple[int, ...]]:
    """First word -> phrase lengths (longest first) of one of the tables."""
    table = _TABLES[table_id]()
    out: dict[str, set[int]] = {}
    for key in table:
        out.setdefault(key[0], set()).add(len(key))
    return {k: tuple(sorted(v, reverse=True)) for k, v in out.items()}


_TABLES = {0: lambda: _lex().vague, 1: lambda: _lex().relative, 2: lambda: _lex().ordinals}
VAGUE, RELATIVE, ORDINALS = 0, 1, 2


def _phrase_at(tokens: list[Token], i: int, table_id: int):
    """Longest phrase of a table (tuples of normalised words) at token i.
    The article is never written أل, so "ألان" (Alan) is no "الآن"."""
    if tokens[i].text.startswith("أل"):
        return None
    table = _TABLES[table_id]()
    lengths = _lengths(table_id)
    for first in _conj_variants(tokens[i].norm):
        for n in lengths.get(first, ()):
            if i + n > len(tokens):
                continue
            key = (first,) + tuple(t.norm for t in tokens[i + 1:i + n])
            if key in table:
                return n, key
    return None


# --- resolution ---------------------------------------------------------

def iso_week(d: dt.date) -> str:
    y, w, _ = d.isocalendar()
    return f"{y}-W{w:02d}"


def add_months(d: dt.date, n: int) -> tuple[int, int]:
    m = d.year * 12 + (d.month - 1) + n
    return m // 12, m % 12 + 1


def resolve_relative(pub: dt.date, offset: int, unit: str) -> str:
    if unit == "day":
        return (pub + dt.timedelta(days=offset)).isoformat()
    if unit == "week":
        return iso_week(pub + dt.timedelta(weeks=offset))
    if unit == "month":
        y, m = add_months(pub, offset)
        return f"{y}-{m:02d}"
    if unit == "year":
        return str(pub.year + offset)
    raise ValueError(f"unknown unit {unit!r} in relative_dates.tsv")


def resolve_weekday(pub: dt.date, weekday: int, tense: str) -> dt.date:
    """tense: future (next, strictly after), past_strict (previous, strictly
    before), past (latest on or before publication)."""
    if tense == "future":
        return pub + dt.timedelta(days=(weekday - pub.weekday()) % 7 or 7)
    if tense == "past_strict":
        return pub - dt.timedelta(days=(pub.weekday() - weekday) % 7 or 7)
    return pub - dt.timedelta(days=(pub.weekday() - weekday) % 7)


def resolve_month(pub: dt.date, month: int, tense: str, day: int | None = None) -> tuple[int, int]:
    """Year of a month (or day of a month) written without one: the previous
    occurrence for the past, the next for the future, else ("nearest") the
    next one if it is at most three months ahead, otherwise the previous."""
    here = (pub.month, pub.day if day is not None else 0)
    there = (month, day or 0)
    if tense == "future":  # strictly after: "نوفمبر المقبل" in November is next year's
        return (pub.year if there > here else pub.year + 1), month
    if tense == "past_strict":
        return (pub.year if there < here else pub.year - 1), month
    if tense == "past":
        return (pub.year if there <= here else pub.year - 1), month
    # no tense marker: news looks back more than ahead, so the next
    # occurrence only when it is at most three months away
    ahead = (month - pub.month) % 12
    if 0 < ahead <= 3 or (ahead == 0 and (day or 0) >= pub.day):
        return (pub.year if month >= pub.month else pub.year + 1), month
    return (pub.year if there <= here else pub.year - 1), month


# --- tense ----------------------------------------------------------------

def _is_future_word(tok: Token, lx: _Lex) -> bool:
    if tok.kind != "word":
        return False
    n = tok.norm
    if n in lx.markers.get("future_word", ()):
        return True
    if n in lx.markers.get("not_future", ()) or (n[:1] in "وف" and n[1:] in lx.markers.get("not_future", ())):
        return False
    return bool(_FUTURE_VERB.match(n)) and len(n) >= 4


def _clause_window(tokens: list[Token], i: int, j: int, left: int = 6, right: int = 3,
                   breaks: frozenset[str] = frozenset()) -> list[Token]:
    """Tokens around [i, j) within the clause: up to ``left`` before, up to
    ``right`` after, stopping at punctuation and, after it, at a
    complementiser ("أعلن الخميس أنه يعتزم": يعتزم is another clause)."""
    out = []
    k = i - 1
    while k >= 0 and i - k <= left and tokens[k].text not in _CLAUSE_END:
        out.append(tokens[k])
        k -= 1
    k = j
    while (k < len(tokens) and k - j < right and tokens[k].text not in _CLAUSE_END
           and tokens[k].norm not in breaks):
        out.append(tokens[k])
        k += 1
    return out


def _tense(tokens: list[Token], i: int, j: int, lx: _Lex, imperfect: bool = True) -> str:
    """future | present | past_strict | this | none, from the word after the date and
    the verbs around it ("none": no future marker; news reports the past, so
    a weekday then reads as past, a month as its nearest occurrence).
    ``imperfect``: let a clause-opening imperfect verb mark the future (for
    weekdays, which are within a week; a month named in a present-tense
    clause is as often past: "ويأتي ذلك بعد ... 24 فبراير")."""
    if j < len(tokens) and tokens[j].kind == "word":
        nxt = tokens[j].norm
        if nxt in lx.markers.get("future_after", ()):
            return "future"
        if nxt in lx.markers.get("past_after", ()):
            return "past_strict"
        if nxt in lx.markers.get("this_after", ()):
            return "this"
    window = _clause_window(tokens, i, j, breaks=lx.markers.get("clause_break", frozenset()))
    if any(_is_future_word(t, lx) for t in window):
        return "future"
    # a clause that opens with an imperfect verb ("ويعقد الاتحاد قمته
    # الخميس") tells of what is to come; only at the clause's start (so not
    # after لم / كان: "كان يشارك ... الأحد" is a past), as mid-clause ي- is
    # as often a name (يوفنتوس، فيرونا، ويليامسون)
    k = i - 1
    while k >= 0 and i - k <= 8 and tokens[k].text not in _CLAUSE_END:
        k -= 1
    opener = k + 1
    if imperfect and opener < i and tokens[opener].kind == "word":
        t = tokens[opener]
        if _IMPERFECT.match(t.norm) and t.norm not in lx.markers.get("not_future", ()):
            return "present"
    norms = [t.norm for t in window]
    for ph in lx.future_phrases:
        if len(ph) > 1 and any(tuple(norms[k:k + len(ph)]) == ph for k in range(len(norms))):
            return "future"
    return "none"


# --- the finder ---------------------------------------------------------

def _year_at(tok: Token) -> int | None:
    if tok.kind == "number" and tok.norm.isdigit() and len(tok.norm) == 4:
        y = int(tok.norm)
        if 1000 <= y <= 2200:
            return y
    return None


def _day_at(tok: Token) -> int | None:
    if tok.kind == "number" and tok.norm.isdigit() and 1 <= int(tok.norm) <= 31 and len(tok.norm) <= 2:
        return int(tok.norm)
    return None


def _month_at(tokens: list[Token], i: int, lx: _Lex, pair: bool = True):
    """(n tokens, month, calendar, ambiguous) of a month name at token i; a
    name given in two traditions ("أيار/مايو", "يونيو/ حزيران") is one."""
    for n in (2, 1):
        if i + n > len(tokens) or any(t.kind != "word" for t in tokens[i:i + n]):
            continue
        rest = tuple(t.norm for t in tokens[i + 1:i + n])
        for first in variants(tokens[i].norm):
            hit = lx.months.get((first,) + rest)
            if hit:
                k = i + n
                if pair and k + 1 < len(tokens) and tokens[k].text == "/":
                    other = _month_at(tokens, k + 1, lx, pair=False)
                    if other and other[1] == hit[0]:
                        return (n + 1 + other[0], hit[0], hit[1], False)
                return (n,) + hit
    return None


def _hijri_to_iso(y: int, m: int, d: int | None) -> tuple[str, str] | None:
    from hijridate import Hijri

    try:
        if d is None:
            g = Hijri(y, m, 15).to_gregorian()
            return f"{g.year}-{g.month:02d}", "month"
        g = Hijri(y, m, d).to_gregorian()
        return dt.date(g.year, g.month, g.day).isoformat(), "day"
    except (ValueError, OverflowError):
        return None


def find_dates(tokens: list[Token], text: str, published: dt.date | None,
               sentences: list[Sentence] = ()) -> list[DateRef]:
    lx = _lex()
    nlex: Lexicon = lexicon()
    cands: list[tuple[int, int, dict]] = []  # token span [i, j) and DateRef fields
    n = len(tokens)
    i = 0
    while i < n:
        tok = tokens[i]
        found = None
        if tok.kind == "word":
            if not _may_start(tok.norm):
                i += 1
                continue
            found = (_vague(tokens, i, lx) or _relative(tokens, i, lx, published)
                     or _absolute_word(tokens, i, lx, nlex, published)
                     or _weekday(tokens, i, lx, nlex, published))
        elif tok.kind == "number":
            found = _absolute_number(tokens, i, lx, published)
        if found:
            s, e, fields = found
            cands.append((s, e, fields))
            i = e
        else:
            i += 1
    _apposition(cands)
    _headline_weekdays(cands, tokens, text, sentences, published)
    out = []
    for s, e, f in cands:
        f.pop("_weekday", None)
        f.pop("_explicit", None)
        a, b = tokens[s].start, tokens[e - 1].end
        if f.pop("_trim", False):
            a += 1
        out.append(DateRef(a, b, text[a:b], **f))
    return out


@lru_cache(maxsize=50_000)
def _may_start(norm: str) -> bool:
    """Cheap gate, cached per word form: can a date expression start here?"""
    first = _lex().first_words
    return any(v in first for v in variants(norm))


def _with_day_before(tokens: list[Token], i: int, lx: _Lex) -> int:
    """Start index including a preceding "يوم" ("يوم امس", "يوم الخميس")."""
    if i > 0 and tokens[i - 1].kind == "word" and any(
            v in lx.markers.get("day_before", ()) for v in _conj_variants(tokens[i - 1].norm)):
        return i - 1
    return i


def _vague(tokens, i, lx: _Lex, published=None):
    hit = _phrase_at(tokens, i, VAGUE)
    if hit:
        return i, i + hit[0], dict(value=None, granularity=None, relative=True, vague=True, resolved=False,
                                   _trim=hit[1][0] != tokens[i].norm)
    return None


def _relative(tokens, i, lx: _Lex, published):
    hit = _phrase_at(tokens, i, RELATIVE)
    if not hit:
        return None
    offset, unit = lx.relative[hit[1]]
    if i > 0 and tokens[i - 1].norm in lx.markers.get("anaphoric_before", ()):
        return None  # "تلك الليلة": a night of the story, not of publication
    s = _with_day_before(tokens, i, lx) if unit == "day" else i
    trim = s == i and hit[1][0] != tokens[i].norm
    if published is None:
        return s, i + hit[0], dict(value=None, granularity=unit, relative=True, resolved=False, _trim=trim)
    return s, i + hit[0], dict(value=resolve_relative(published, offset, unit), granularity=unit,
                               relative=True, _trim=trim)


def _weekday(tokens, i, lx: _Lex, nlex: Lexicon, published):
    wd = None
    for v in _conj_variants(tokens[i].norm):
        wd = nlex.weekdays.get(v)
        if wd is not None:
            break
    trim = wd is not None and v != tokens[i].norm
    if wd is None:
        return None
    if wd == 0:  # الاثنين: Monday, or "both" in "كلا الاثنين" / "الاثنين من"
        prev = tokens[i - 1].norm if i else ""
        nxt = tokens[i + 1].norm if i + 1 < len(tokens) else ""
        if prev in nlex.markers.get("pair_of", ()) or nxt in nlex.markers.get("of", ()):
            return None
    s = _with_day_before(tokens, i, lx)
    j = i + 1
    tense = _tense(tokens, i, j, lx)
    explicit = j < len(tokens) and tokens[j].norm in (lx.markers.get("future_after", frozenset())
                                                      | lx.markers.get("past_after", frozenset()))
    if explicit:
        j += 1
    fields = dict(granularity="day", relative=True, _weekday=wd, _explicit=explicit, _trim=trim and s == i)
    if published is None:
        return s, j, dict(fields, value=None, resolved=False)
    d = resolve_weekday(published, wd, "past" if tense in ("this", "none") else tense)
    if tense == "present":  # "يبحث الوزراء الخميس": today if today is Thursday
        d = resolve_weekday(published - dt.timedelta(days=1), wd, "future")
    return s, j, dict(fields, value=d.isoformat())


def _absolute_word(tokens, i, lx: _Lex, nlex: Lexicon, published):
    """Dates that start with a word: "عام 2021", "نوفمبر 2020", "في نوفمبر",
    "شهر رمضان"."""
    tok = tokens[i]
    n = len(tokens)
    if i + 1 < n and any(v in nlex.date_markers.get("year_before", ()) for v in variants(tok.norm)):
        y = _year_at(tokens[i + 1])
        if y is not None:
            j = i + 2
            if j < n and tokens[j].norm in nlex.markers.get("year_suffix", ()):
                j += 1
            return i, j, dict(value=str(y), granularity="year")
    hit = _phrase_at(tokens, i, ORDINALS)
    if hit and i + hit[0] < n and tokens[i + hit[0]].norm == "من":
        return _day_month(tokens, i, i + hit[0], lx.ordinals[hit[1]], lx, published)
    m = _month_at(tokens, i, lx)
    if not m or (i > 0 and tokens[i - 1].norm in lx.markers.get("name_before", ())):
        return None  # "ثورة فبراير" names an event
    k, month, cal, ambiguous = m
    j = i + k
    year = _year_at(tokens[j]) if j < n else None
    if year is None:  # "يونيو من العام 2013"
        j, year = _of_year(tokens, j, lx)
    after_shahr = i > 0 and any(v in lx.markers.get("month_before", ()) for v in variants(tokens[i - 1].norm))
    marked = j < n and tokens[j].norm in (lx.markers.get("future_after", frozenset())
                                          | lx.markers.get("past_after", frozenset()))
    if year is None and ambiguous and not after_shahr and not marked:
        return None
    if year is not None:
        j += 1
        if j < n and tokens[j].norm in nlex.markers.get("year_suffix", ()):
            j += 1
        if cal == "hijri":
            r = _hijri_to_iso(year, month, None)
            if r is None:
                return None
            return i, j, dict(value=r[0], granularity=r[1])
        return i, j, dict(value=f"{year}-{month:02d}", granularity="month")
    if cal == "hijri":  # a Hijri month without a year: which year is guesswork
        return None
    if published is None:
        return i, j, dict(value=None, granularity="month", relative=True, resolved=False)
    tense = _tense(tokens, i, j, lx, imperfect=False)
    if j < n and tokens[j].norm in (lx.markers.get("future_after", frozenset())
                                    | lx.markers.get("past_after", frozenset())
                                    | lx.markers.get("this_after", frozenset())):
        j += 1
    y, mo = resolve_month(published, month, {"this": "nearest", "none": "nearest"}.get(tense, tense))
    return i, j, dict(value=f"{y}-{mo:02d}", granularity="month", relative=True)


def _absolute_number(tokens, i, lx: _Lex, published):
    """Dates that start with a number: "25 نوفمبر 2020", "10 ربيع الثاني 1442
    هـ", "25/11/2020", "2020/11/25", "25-11-2020"."""
    tok = tokens[i]
    n = len(tokens)
    mm = _NUMERIC_DATE.match(tok.norm)
    if mm:
        return _numeric(i, i + 1, *map(int, mm.groups()))
    if (i + 4 < n and tokens[i + 1].text in "-–" and tokens[i + 3].text in "-–"
            and all(t.kind == "number" and t.norm.isdigit() for t in (tok, tokens[i + 2], tokens[i + 4]))):
        return _numeric(i, i + 5, int(tok.norm), int(tokens[i + 2].norm), int(tokens[i + 4].norm))
    day = _day_at(tok)
    if day is None or i + 1 >= n:
        return None
    return _day_month(tokens, i, i + 1, day, lx, published)


def _day_month(tokens, i: int, at: int, day: int, lx: _Lex, published):
    """A day (digits or ordinal, tokens [i, at)) then an optional "من (شهر)",
    a month and an optional year."""
    n = len(tokens)
    if tokens[at].norm == "من":  # 24 من (شهر) يونيو
        at += 1
        if at < n and tokens[at].norm in lx.markers.get("month_before", ()):
            at += 1
    m = _month_at(tokens, at, lx)
    if not m:
        return None
    k, month, cal, _ = m
    j = at + k
    year = _year_at(tokens[j]) if j < n else None
    if year is None:
        j, year = _of_year(tokens, j, lx)
    if year is not None:
        j += 1
        if j < n and tokens[j].norm in lexicon().markers.get("year_suffix", ()):
            j += 1
        if cal == "hijri":
            r = _hijri_to_iso(year, month, day)
            return (i, j, dict(value=r[0], granularity=r[1])) if r else None
        try:
            return i, j, dict(value=dt.date(year, month, day).isoformat(), granularity="day")
        except ValueError:
            return None
    if cal == "hijri":
        return None
    if published is None:
        return i, j, dict(value=None, granularity="day", relative=True, resolved=False)
    tense = _tense(tokens, i, j, lx, imperfect=False)
    y, _ = resolve_month(published, month, {"this": "nearest", "none": "nearest"}.get(tense, tense), day)
    try:
        return i, j, dict(value=dt.date(y, month, day).isoformat(), granularity="day", relative=True)
    except ValueError:
        return None


def _of_year(tokens: list[Token], j: int, lx: _Lex) -> tuple[int, int | None]:
    """"من العام 2013" / "من عام 2013" after a month: (index of the year
    token, year), or (j, None) when absent."""
    if (j + 2 < len(tokens) and tokens[j].norm == "من"
            and tokens[j + 1].norm in lexicon().date_markers.get("year_before", ())):
        y = _year_at(tokens[j + 2])
        if y is not None:
            return j + 2, y
    return j, None


def _numeric(i: int, j: int, a: int, b: int, c: int):
    if a > 31:  # 2020/11/25
        y, m, d = a, b, c
    else:  # 25/11/2020 (day first, as Arabic news writes)
        d, m, y = a, b, c
    if y < 100:
        y += 2000
    try:
        return i, j, dict(value=dt.date(y, m, d).isoformat(), granularity="day")
    except ValueError:
        return None


def _apposition(cands) -> None:
    """"اليوم السبت", "أمس الأحد": a weekday right after a relative day names
    that same day; when the weekdays agree it takes the relative's date."""
    for k in range(1, len(cands)):
        ps, pe, pf = cands[k - 1]
        s, e, f = cands[k]
        if (pe == s and "_weekday" in f and pf.get("granularity") == "day" and pf.get("value")
                and "_weekday" not in pf):
            d = dt.date.fromisoformat(pf["value"])
            if d.weekday() == f["_weekday"]:
                f["value"] = pf["value"]


def _headline_weekdays(cands, tokens, text: str, sentences, published) -> None:
    """A weekday in a short verbless line (a headline: "الوزير الى موسكو
    الاربعاء") has no tense of its own; it takes the date that the same
    weekday got with an explicit المقبل/الماضي elsewhere in the article."""
    if published is None:
        return
    explicit = {f["_weekday"]: f["value"] for _, _, f in cands if f.get("_explicit")}
    if not explicit:
        return
    for s, e, f in cands:
        if "_weekday" not in f or f["_explicit"] or f["_weekday"] not in explicit:
            continue
        a = tokens[s].start  # a headline is short: look at most 200 chars around
        line_start = text.rfind("\n", max(0, a - 200), a) + 1 if a >= 200 else text.rfind("\n", 0, a) + 1
        if line_start == 0 and a >= 200:
            continue
        line_end = text.find("\n", a, a + 200)
        if line_end < 0 and len(text) > a + 200:
            continue
        line = text[line_start: line_end if line_end >= 0 else len(text)].strip()
        if len(line.split()) <= 10 and not line.endswith((".", "؟", "!", ":")):
            f["value"] = explicit[f["_weekday"]]


@component("dates", requires=("tokens", "sentences"), assigns=("dates",))
def make_dates():
    """Dates resolved against the publication date (ISO 8601 at their granularity), vague ones flagged."""

    def run(doc: Doc) -> None:
        doc.dates = find_dates(doc.tokens, doc.text, doc.article.published_date, doc.sentences)

    return run
