"""The ``amounts`` component: how much, of what.

Reads, over the tokens, with spans into the original text:

* digits (Western and Arabic-Indic) with thousands separators and decimals
  ("1,300", "13,5", "١٣٫٥"), number words ("ثلاثة آلاف وخمسمائة"), scales
  ("13 مليار" -> 13000000000);
* the unit that follows: a currency with its ISO code ("مليار دولار" -> USD,
  "دينار عراقي" -> IQD), percent ("بالمئة", "%"), or a measure ("طن");
* otherwise the counted noun ("14 مذكرة تفاهم" -> "مذكرة تفاهم",
  "500 من الجنود" -> "الجنود");
* ranges ("بين 10 و15", "من 3 إلى 5") as value .. value_max;
* the dual ("يومين", "قنصليتان", "بلديهما") as 2 of that noun.  Which words
  are duals is data read off the ANT corpus (``dual_nouns.tsv``, built by
  ``training/build_dual_nouns.py``), because undiacritised -ين/-ان is also a
  plural (المواطنين), a name (حسين، البحرين) or part of a stem (فلسطين).

Not amounts: digits inside URLs, dates ("25/11/2020", "25-11-2020",
"25 نوفمبر", "من 3 إلى 5 حزيران"), times ("10:30", "الساعة 18,00"), years
(after عام/سنة, before م/هـ, or a bare 19xx/20xx with nothing counted),
labels ("الدقيقة 73", "(88)", "نوت 9" in quotes, "إف-35", a list's "9."),
scores ("4-2"), ordinals ("الثاني عشر", "القرن العشرين"), bare "آلاف" /
"الملايين" (no number), and "الاثنين" (Monday) unless "كلا الاثنين".
Still read as amounts, wrongly: flight numbers, "مجموعة العشرين", a surname
shaped like a dual (الخيارين).
"""
from __future__ import annotations

from functools import cache, lru_cache

from marsad.extract.numbers import Lexicon, clean, lexicon, parse_digits, variants
from marsad.model import Amount, Doc, Token
from marsad.pipeline import component

_RANGE_DASH = {"-", "–", "—"}


def _lookup(tok: Token, table) -> tuple[str, object] | None:
    for v in variants(tok.norm):
        hit = table.get(v)
        if hit is not None:
            return v, hit
    return None


def _is_month_at(tokens: list[Token], i: int, lex: Lexicon) -> bool:
    if not (0 <= i < len(tokens)) or tokens[i].kind != "word":
        return False
    return any(v in lex.month_first for v in variants(tokens[i].norm))


def _is_date_number(tokens: list[Token], i: int, lex: Lexicon, raw: float | int) -> bool:
    """Digits that belong to a date or a time, not an amount."""
    n = len(tokens)
    prev = tokens[i - 1] if i > 0 else None
    nxt = tokens[i + 1] if i + 1 < n else None
    # الساعة 18,00: a clock time; الدقيقة 73، رقم 152: a label
    if prev is not None and (prev.norm in lex.markers.get("time_before", ())
                             or prev.norm in lex.markers.get("label_before", ())):
        return True
    # 10:30 and 25-11-2020 / 2020-11-25 (three numbers joined by dashes)
    if nxt is not None and nxt.text == ":" and i + 2 < n and tokens[i + 2].kind == "number":
        return True
    if prev is not None and prev.text == ":" and i >= 2 and tokens[i - 2].kind == "number":
        return True
    dash_chain = 0
    j = i
    while j >= 2 and tokens[j - 1].text in _RANGE_DASH and tokens[j - 2].kind == "number":
        dash_chain += 1
        j -= 2
    j = i
    while j + 2 < n and tokens[j + 1].text in _RANGE_DASH and tokens[j + 2].kind == "number":
        dash_chain += 1
        j += 2
    if dash_chain >= 2:
        return True
    # 25 نوفمبر / نوفمبر 2020 / 25 تشرين الثاني / 24 من (شهر) يونيو
    if _is_month_at(tokens, i + 1, lex) or _is_month_at(tokens, i - 1, lex):
        return True
    # من 3 إلى 5 حزيران: the first end of a date range
    if (nxt is not None and (nxt.norm in lex.markers.get("range_to", ()) or nxt.text in _RANGE_DASH)
            and i + 2 < n and tokens[i + 2].kind == "number" and _is_month_at(tokens, i + 3, lex)):
        return True
    if nxt is not None and nxt.norm == "من":
        k = i + 2
        if k < n and tokens[k].norm in lex.date_markers.get("month_before", ()):
            k += 1
        if _is_month_at(tokens, k, lex):
            return True
    if isinstance(raw, int) and 1000 <= raw <= 2200:
        if prev is not None and prev.kind == "word" and any(
                v in lex.date_markers.get("year_before", ()) for v in variants(prev.norm)):
            return True
        if nxt is not None and nxt.norm in lex.markers.get("year_suffix", ()):
            return True
        if prev is not None and prev.norm in lex.date_markers.get("year_prep", ()):
            if nxt is None or nxt.kind == "punct":
                return True
    return False


def _number_words(tokens: list[Token], i: int, lex: Lexicon) -> tuple[int, int, bool] | None:
    """A run of number words from token i: (value, index after the run,
    has_scale).  A run continues with "و" + a smaller part ("خمسمائة وعشرون")
    or a ten after a unit ("خمسة وعشرون")."""
    total = group = 0
    last_value = None
    last_kind = None
    has_scale = False
    j = i
    n = len(tokens)
    while j < n and tokens[j].kind == "word":
        tok = tokens[j]
        forms = variants(tok.norm)
        if j > i:  # later parts may carry و only
            forms = [f for f in forms if f == tok.norm or (tok.norm.startswith("و") and f == tok.norm[1:])]
        value = kind = None
        step = 1
        if j + 1 < n and tokens[j + 1].kind == "word":
            for f in forms:
                v = lex.teens.get((f, tokens[j + 1].norm))
                if v is not None:
                    value, kind, step = v, "teen", 2
                    break
        if value is None:
            for f in forms:
                w = lex.words.get(f)
                if w is not None:
                    value, kind = w.value, w.kind
                    break
        if value is None or kind == "none":
            break
        if kind == "unit" and len(forms[-1]) < 3 and tok.norm not in (forms[-1], "ال" + forms[-1]):
            break  # "وست" in "وست بروميتش" is no six
        if j == i and "الاثنين" in forms:
            break  # الاثنين: Monday (handled by the caller for كلا الاثنين)
        joined = False
        if j > i and kind == "hundred" and value == 100 and last_kind == "unit" and tok.norm == forms[0]:
            group = group - last_value + last_value * 100  # خمس مئة
            last_value, last_kind = last_value * 100, "hundred"
            j += 1
            continue
        if j > i:
            joined = tok.norm.startswith("و") and tok.norm[1:] in forms
            if kind in ("scale", "plural_scale"):
                if joined:
                    break
            elif not joined:
                break
            elif not (last_kind == "unit" and kind == "ten") and last_value is not None and value >= last_value:
                break
        if kind in ("scale", "plural_scale"):
            if j > i and last_kind in ("scale", "plural_scale", "dual_scale"):
                break
            group = (group or 1) * value
            total += group
            group = 0
            has_scale = True
        elif kind == "dual_scale":
            if j > i and not joined:
                break
            total += group + value
            group = 0
            has_scale = True
        else:
            group += value
        last_value, last_kind = value, kind
        j += step
    if j == i:
        return None
    return total + group, j, has_scale


def _dual_forms(norm: str) -> list[str]:
    """Lookup forms for a dual: like ``variants`` but a preposition is only
    stripped before the article ("بالبلدين"), since "لاعبين" is no ل+اعبين."""
    out = [norm]
    w = norm
    if len(w) > 3 and w[0] in "وف":
        w = w[1:]
        out.append(w)
    if len(w) > 4 and w[0] in "بلك" and w[1:3] == "ال":
        w = w[1:]
        out.append(w)
    elif w.startswith("لل") and len(w) > 4:
        out.append(w[2:])
    if w.startswith("ال") and len(w) > 4:
        out.append(w[2:])
    return out


def _dual(tok: Token, lex: Lexicon, text: str) -> bool:
    return _dual_norm(tok.norm)


@lru_cache(maxsize=50_000)
def _dual_norm(norm: str) -> bool:
    """Is this (SEARCH-normalised) word a dual?  Cached per word form."""
    lex = lexicon()
    forms = _dual_forms(norm)
    if any(f in lex.duals for f in forms):
        return True
    # construct dual with a pronoun: بلديهما، قنصليتيها.  Not bare -ه: news
    # writes بلدية as بلديه.  A conjunction is stripped first, and nothing
    # else ("ولديها" is و+لديها, not و+ولدي+ها).
    f = norm[1:] if norm[:1] in "وف" and len(norm) > 4 else norm
    for enc in ("هما", "هم", "ها", "نا", "كم"):
        if f.endswith(enc) and len(f) > len(enc) + 3:
            stem = f[: -len(enc)]
            if stem.endswith(("ي", "ا")):
                base = stem[:-1]
                if base.endswith("ت"):
                    base = base[:-1] + "ه"
                if base + "ين" in lex.duals or (base.endswith("ه") and base[:-1] + "تين" in lex.duals):
                    return True
    return False


def _strip_proclitics(tok: Token, lex: Lexicon) -> int:
    """How many surface characters of ``tok`` are a conjunction/preposition
    before a dual or number word ("وقنصليتان" -> 1, "بالبلدين" -> 1); the
    article ال stays with the word."""
    n = 0
    w = tok.norm
    if len(w) > 3 and w[0] in "وف" and (w[1:] in lex.duals or w[1] in "بلك" or w[1:3] == "ال"
                                        or any(v in lex.duals for v in variants(w[1:]))):
        n, w = 1, w[1:]
    if w.startswith("لل") and len(w) > 4:
        n += 2
    elif len(w) > 3 and w[0] in "بلك" and (w[1:] in lex.duals or w[1:3] == "ال"):
        n += 1
    k = 0  # surface index of the n-th letter (diacritics do not count)
    letters = 0
    while k < len(tok.text) and letters < n:
        if not ("\u064b" <= tok.text[k] <= "\u065f"):
            letters += 1
        k += 1
    return k


@lru_cache(maxsize=50_000)
def _may_start(norm: str) -> bool:
    """Cheap gate, cached per word form: is this a number word?"""
    lex = lexicon()
    teens = _teen_firsts()
    return any(v in lex.words or v in teens for v in variants(norm)) or norm.endswith("الاثنين")


@cache
def _ordinal_firsts() -> frozenset[str]:
    """First words of the ordinals (الحادي، الثاني ...): "الثاني عشر" is no 10."""
    from marsad.lang.ar import load_table
    from marsad.text.normalize import SEARCH

    return frozenset(SEARCH.text(r["ordinal"]).split()[0] for r in load_table("ordinal_days"))


@cache
def _teen_firsts() -> frozenset[str]:
    return frozenset(k[0] for k in lexicon().teens)


_QUOTE_CLOSE = {'"', "»", "”"}


def _is_label(tokens: list[Token], i: int, text: str) -> bool:
    """A number that names rather than counts: a model ("نوت 9" before a
    closing quote, "إف-35"), or a list item ("9." opening a line)."""
    tok = tokens[i]
    nxt = tokens[i + 1] if i + 1 < len(tokens) else None
    prev = tokens[i - 1] if i else None
    if nxt is not None and nxt.text in _QUOTE_CLOSE and nxt.start == tok.end and prev is not None \
            and prev.kind in ("word", "latin"):
        return True
    if prev is not None and prev.text == "-" and prev.start == tokens[i - 1].start and i >= 2 \
            and tokens[i - 2].kind in ("word", "latin") and tokens[i - 2].end == prev.start:
        return True  # إف-35
    if prev is not None and prev.kind == "latin" and "." in tok.norm:
        return True  # WannaCry 2.0: a version
    if prev is not None and prev.text == "(" and nxt is not None and nxt.text == ")":
        return True  # "(88)": a minute mark, an article number
    if nxt is None or nxt.text != "." or nxt.start != tok.end:
        return False
    before = text[max(0, tok.start - 200):tok.start]  # bounded: no quadratic scan
    return "\n" in before and not before[before.rfind("\n") + 1:].strip() or (
        tok.start < 200 and not before.strip())


def _year_like(tok: Token, value: float | int) -> bool:
    """A bare 19xx/20xx with no separator: a year ("كأس العالم 2018")."""
    return isinstance(value, int) and 1900 <= value <= 2100 and tok.norm.isdigit()


def find_amounts(tokens: list[Token], text: str) -> list[Amount]:
    """Amounts in token order; see the module docstring."""
    lex = lexicon()
    stop = lex.stopwords
    out: list[tuple[int, int, Amount]] = []  # (first token, last token, amount)
    n = len(tokens)
    i = 0
    while i < n:
        tok = tokens[i]
        value: float | int | None = None
        j = i + 1
        counted = None
        dual = False
        if tok.kind == "number":
            raw = parse_digits(tok.norm)
            if raw is None or _is_date_number(tokens, i, lex, raw) or _is_label(tokens, i, text):
                i += 1
                continue
            value = raw
        elif tok.kind == "word":
            if not _may_start(tok.norm) and not _dual(tok, lex, text):
                i += 1
                continue
            prev = tokens[i - 1] if i else None
            if tok.norm.endswith("الاثنين") and prev is not None and prev.norm in lex.markers.get("pair_of", ()):
                value, j = 2, i + 1
            elif prev is not None and (prev.norm in lex.markers.get("ordinal_before", ())
                                       or prev.norm in _ordinal_firsts()):
                pass  # القرن العشرين، الحادي عشر: ordinals
            else:
                run = _number_words(tokens, i, lex)
                if run is not None:
                    value, j, _ = run
                    if value == 1 and j == i + 1:  # "واحد" alone: "في آن واحد"
                        value = None
                    elif j == i + 1 and _lookup(tok, lex.words)[1].kind == "plural_scale":
                        value = None  # "آلاف المدنيين": thousands, no number
                elif _dual(tok, lex, text) and not _plural_an(tokens, i, lex):
                    cut = _strip_proclitics(tok, lex)
                    value, counted, dual = 2, tok.text[cut:], True
                    tok = tok.replace(start=tok.start + cut, text=tok.text[cut:])
        if value is None:
            i += 1
            continue
        # scale after digits: 13 مليار
        if tok.kind == "number" and j < n and tokens[j].kind == "word":
            hit = _lookup(tokens[j], lex.words)
            if hit and hit[1].kind in ("scale", "plural_scale"):
                value = value * hit[1].value
                j += 1
        unit = None
        end_tok = j - 1
        if dual:
            # a dual adjective agreeing with it belongs to it: السنتين الماضيتين
            while j < n and tokens[j].kind == "word" and _dual(tokens[j], lex, text):
                j += 1
            end_tok = j - 1
        elif tok.kind == "word" and _definite_number(tok, lex):
            # الرجال الثلاثة: a definite number word follows its noun
            p = tokens[i - 1] if i else None
            if p is not None and p.kind == "word" and p.norm.startswith("ال") and p.norm not in stop:
                counted = p.text
        elif j < n:
            unit, last, counted = _unit_or_counted(tokens, j, lex, stop)
            if unit is not None:
                end_tok = last
        if tok.kind == "number" and unit is None and counted is None and _year_like(tok, value):
            i = j
            continue
        out.append((i, end_tok, Amount(tok.start, 0, "", clean(value), unit, counted)))
        i = end_tok + 1
    return _finish(_ranges(out, tokens, lex), tokens, text)


def _definite_number(tok: Token, lex: Lexicon) -> bool:
    """"الثلاثة", "والست": a number word with the article (not "ألفي",
    whose alef-lam is its own)."""
    forms = variants(tok.norm)
    return any(f.startswith("ال") and f[2:] in lex.words for f in forms) and not any(
        f in lex.words for f in forms if f.startswith("ال"))


@cache
def _single_units() -> dict[str, str]:
    return {k[0]: u for k, u in lexicon().units.items() if len(k) == 1}


def _plural_an(tokens: list[Token], i: int, lex: Lexicon) -> bool:
    """البلدان العربية: a masculine -ان form followed by a feminine adjective
    is a broken plural, not a dual."""
    tok = tokens[i]
    if not tok.norm.endswith("ان") or tok.norm.endswith("تان"):
        return False
    if i + 1 < len(tokens) and tokens[i + 1].kind == "word":
        nxt = tokens[i + 1].norm
        definite = "ال" in tok.norm[:4]
        return (nxt.endswith("ه") and not nxt.endswith(("تان", "تين"))
                and (not definite or nxt.startswith("ال")))
    return False


def _unit_or_counted(tokens: list[Token], j: int, lex: Lexicon, stop) -> tuple[str | None, int, str | None]:
    """After the number at token j: (unit, last token of the amount, counted)."""
    n = len(tokens)
    tok = tokens[j]
    # two-word units first (في المئة)
    if j + 1 < n:
        u = lex.units.get((tok.norm, tokens[j + 1].norm))
        if u:
            return u, j + 1, None
    if (tok.norm,) in lex.units:
        return lex.units[(tok.norm,)], j, None
    if tok.kind != "word":
        return None, j, None
    hit = _lookup(tok, lex.currencies)
    if hit:
        code = hit[1]
        if j + 1 < n and tokens[j + 1].kind == "word":
            for v in variants(tokens[j + 1].norm):
                adj = lex.currency_adjectives.get((hit[0], v.removesuffix("ا")))
                if adj:
                    return adj, j + 1, None
        return code, j, None
    hit = _lookup(tok, _single_units())
    if hit:
        return hit[1], j, None
    if tok.norm == "من" and j + 1 < n and tokens[j + 1].kind == "word" and tokens[j + 1].norm.startswith("ال"):
        return None, j, tokens[j + 1].text
    if (any(v in stop for v in variants(tok.norm)) or tok.norm in lex.weekdays
            or _is_month_at(tokens, j, lex)):
        return None, j, None
    # the counted noun follows the number bare: no article, no proclitic
    # ("2018 المقامة", "3 بتقديم", "2003 وأحرز"), and it is no imperfect
    # verb ("13 يشتبه"); يوم/يوما is the one common noun in ي
    if (tok.norm.startswith("ال") or (tok.prefix and tok.prefix[0] in "وفبلك")
            or (tok.norm.startswith("ي") and not tok.norm.startswith("يوم"))):
        return None, j, None
    if _lookup(tok, lex.words):
        return None, j, None
    counted = tok.text
    # a construct noun ending in ة takes the next indefinite noun: مذكرة تفاهم
    if tok.text.endswith("ة") and j + 1 < n and tokens[j + 1].kind == "word":
        nx = tokens[j + 1]
        if (not nx.norm.startswith("ال") and nx.norm not in stop
                and not nx.norm.endswith(("ي", "يه", "ين", "ون", "ان"))
                and not nx.norm.startswith(("ي", "سي", "ست", "سن"))):
            counted = f"{tok.text} {nx.text}"
    return None, j, counted


def _ranges(items, tokens: list[Token], lex: Lexicon):
    """Merge "بين A و B" / "من A إلى B" / "A-B" into one amount."""
    frm = lex.markers.get("range_from", frozenset())
    to = lex.markers.get("range_to", frozenset())
    out = []
    k = 0
    while k < len(items):
        a_first, a_last, a = items[k]
        if k + 1 < len(items):
            b_first, b_last, b = items[k + 1]
            between = tokens[a_last + 1:b_first]
            joined = tokens[b_first].norm.startswith("و") and tokens[b_first].kind == "word" and not between
            opens = a_first > 0 and any(v in frm for v in variants(tokens[a_first - 1].norm))
            dash = len(between) == 1 and between[0].text in _RANGE_DASH
            word_join = len(between) == 1 and between[0].norm in to and (opens or between[0].norm != "و")
            if dash and not opens and b.unit is None and b.counted is None and not a.unit:
                k += 2  # 4-2, 1-6: a score, not a range nor two amounts
                continue
            if ((word_join or dash or (joined and opens)) and a.unit in (None, b.unit) and not a.counted
                    and b.value > a.value):
                lo = a.value
                if b.value >= 1000 and lo < b.value and lo * 1000 <= b.value:
                    # بين 10 و15 مليون: the scale is written once, after B
                    for s in (10**3, 10**6, 10**9, 10**12):
                        if lo * s <= b.value < lo * s * 1000 and b.value % s == 0 and lo < 1000:
                            lo = clean(lo * s)
                            break
                out.append((a_first, b_last, Amount(a.start, 0, "", lo, b.unit, b.counted, b.value)))
                k += 2
                continue
        out.append(items[k])
        k += 1
    return out


def _finish(items, tokens: list[Token], text: str) -> list[Amount]:
    out = []
    for first, last, a in items:
        s, e = max(tokens[first].start, a.start), tokens[last].end
        out.append(a.replace(start=s, end=e, text=text[s:e]))
    return out


@component("amounts", requires=("tokens", "sentences"), assigns=("amounts",))
def make_amounts():
    """Amounts with value, unit (ISO currency, percent, measure), counted noun, ranges and duals."""

    def run(doc: Doc) -> None:
        doc.amounts = find_amounts(doc.tokens, doc.text)

    return run
