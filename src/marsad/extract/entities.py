"""The ``entities`` component: named-entity mentions from the CRF model,
merged with gazetteer matches and one composition rule.

Per sentence (chunked to ``MAX_LEN`` tokens, so a 1 MB run-on sentence stays
bounded), three sources propose spans:

* ``model``: the CRF (``models/ner.crfsuite``, trained by
  training/train_ner.py, loaded lazily on first use) tags BIO labels; a
  person span loses an edge word that reads as a verb and that the name
  lexicon does not know as a name ("لافروف سيناقشان" -> لافروف, "فؤاد حسين
  تابعته" -> فؤاد حسين, "ستبعد إيتو" -> إيتو);
* ``gazetteer``: longest matches of countries, places and organisations
  (lang/ar/gazetteer.py), and single-word typos of country/city names one
  edit away (``"اغانستان"`` -> أفغانستان) where the model also doubts the
  word is ordinary (P(O) < 0.9);
* ``rule``: a ministry/embassy head noun, up to two words, then a
  nationality adjective (وزارة الدفاع البريطانية) is an ORG, except in the
  title "وزير(ة) الخارجية ..."; and, once the
  whole article is tagged, document-level consistency: the surname of a
  person the model named in full, or a one-word name it tagged confidently,
  is a name wherever else it stands untagged ("سيرغي لافروف" ... "لافروف").

Merging: spans are taken longest first; a span overlapping one already taken
is dropped.  On equal length a rule or gazetteer span beats the model (its
type and canonical name are curated), so "داعش" stays ORG even if the model
says PER; a longer model span beats a gazetteer hit inside it ("جامعة بغداد"
is an ORG, not the city), and a longer gazetteer name beats a shorter model
span ("مجلس الامن" -> "مجلس الامن الدولي").  A model span whose text is a
gazetteer name gets the entry's canonical name.

Article-level post-rules (``postprocess``): a generic head noun opening a
name is left out ("حركة حسم" -> حسم, generic_heads.txt; "منظمة الأمم المتحدة"
-> الأمم المتحدة only because the rest is a gazetteer name,
name_heads_if_named.txt); two person spans with only a space or hyphen
between them are one name; the portfolio in a minister's title ("وزيراً
للخارجية اليمنية") is no organisation.  A city the model reads as an ORG
keeps the model's type (a club: "برشلونة المتوج بطلا") except in a dateline;
a place name with a preposition the tokenizer left on it ("لقطر") is found;
after a title or head noun a one-letter proclitic belongs to the name
("المستشار لاشين", "شركة فيديكس") -- unless the rest is a gazetteer name
("عاصمة لإسرائيل").  Round 2 (measured on ant-dev and ant-dev2): a و/ف/ب/ل/ك
the tokenizer split off is the first letter of a name when ANT says so
(``_name_letter``, name_initial_letters.txt: "ونستون", "لورنس"); a model
place span loses a trailing nationality adjective ("دوما السورية" -> دوما);
a model span that is two gazetteer names joined by و is split ("الاتحاد
الأوروبي والمكسيك"); a person span loses particles at its edges ("نتنياهو
على") and is cut before a preposition-prefixed word that is another person
of the article ("نتنياهو لموراليس"); a one-word person span followed by a
name-like word and a comma takes it ("، عباس عدالت،"); a reporting verb +
two or three name-like words + a title is a person ("وتقول لين معلوف،
مديرة ..."); a bank keeps its head noun ("بنك أولستر", org_heads_kept.txt);
a ministry's short form after a statement or a feminine reporting verb is
an ORG ("بيان الداخلية", ministry_short_forms.tsv); a gazetteer name under a
preposition the tokenizer left on a short head noun is found ("لبنك
اسكتلندا الملكي"); a place after a cup's head words names the cup (MISC:
"كأس إيطاليا", competition_heads.txt).  Measured on hand-annotated ANT news
(eval/ner.py --split ant-dev / ant-dev2).

Offsets: a mention never starts with a conjunction or preposition clitic
("وبغداد" -> "بغداد", "لإيران" -> "إيران") but keeps the article of names
that carry it ("والعراق" -> "العراق"); under "لل" the article's alef is gone,
so "للعراق" gives "عراق" with canonical العراق.
"""
from __future__ import annotations

import bisect
import json
import re
import threading
from collections import Counter
from importlib import resources
from pathlib import Path
from typing import Sequence

from marsad.extract.ner_features import (FEATURE_VERSION, NER_KINDS, Stack, Vectors, WindowMLP, load_clusters,
                                         load_lexicon, sentence_features,
                                         token_form, triggers, word_form)
from marsad.lang.ar.gazetteer import Entry, Gazetteer, first_forms
from marsad.model import Doc, Mention, Token
from marsad.pipeline import component
from marsad.text.normalize import SEARCH

MAX_LEN = 200  # tokens per CRF sequence (as in training)
FUZZY_MAX_P_O = 0.9  # a fuzzy gazetteer hit needs P(O) below this from the model
MODEL_PATH = Path(str(resources.files("marsad") / "models" / "ner.crfsuite"))
_PRIORITY = {"rule": 2, "gazetteer": 1, "model": 0}

_local = threading.local()


def _clusters(path: Path) -> dict[str, str] | None:
    """The word clusters the model at ``path`` was trained with (named in its
    JSON sidecar), loaded once per process; None when it used none."""
    cache = _CLUSTERS
    if path not in cache:
        meta_path = path.with_suffix(".json")
        meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.exists() else {}
        version = meta.get("feature_version", FEATURE_VERSION)
        if version != FEATURE_VERSION:
            raise RuntimeError(
                f"NER model {path.name} was trained with feature version {version}, the code computes "
                f"version {FEATURE_VERSION}; retrain it with `python training/train_ner.py`")
        name = meta.get("clusters")
        cache[path] = load_clusters(path.parent / name) if name else None
        _STACKS[path] = _load_stack(path.parent, meta)
    return cache[path]


def _load_stack(folder: Path, meta: dict) -> Stack | None:
    """The stacked lexicon / word vectors / window MLP the sidecar names."""
    if not any(meta.get(k) for k in ("lexicon", "vectors", "mlp")):
        return None
    lexicon = load_lexicon(folder / meta["lexicon"]) if meta.get("lexicon") else None
    vectors = Vectors.load(folder / meta["vectors"]) if meta.get("vectors") else None
    mlp = WindowMLP.load(folder / meta["mlp"]) if meta.get("mlp") else None
    return Stack(lexicon, vectors, mlp)


def _stack(path: Path) -> Stack | None:
    """The stacked resources of the model at ``path`` (loaded with its clusters)."""
    _clusters(path)
    return _STACKS[path]


_CLUSTERS: dict[Path, dict[str, str] | None] = {}
_STACKS: dict[Path, Stack | None] = {}


def _tagger(path: Path):
    """One crfsuite Tagger per thread and model file, opened on first use."""
    import pycrfsuite

    taggers = getattr(_local, "taggers", None)
    if taggers is None:
        taggers = _local.taggers = {}
    t = taggers.get(path)
    if t is None:
        if not path.exists():
            raise FileNotFoundError(
                f"NER model {path} is missing; build it with `python training/train_ner.py` "
                f"or run the entities component with model=None (gazetteer only)")
        t = pycrfsuite.Tagger()
        t.open(str(path))
        taggers[path] = t
    return t


def bio_spans(labels: Sequence[str]) -> list[tuple[int, int, str]]:
    """BIO labels -> ``(i, j, type)`` token spans; a stray I- opens a span."""
    out: list[tuple[int, int, str]] = []
    start, typ = -1, None
    for i, lab in enumerate([*labels, "O"]):
        if typ and not (lab.startswith("I-") and lab[2:] == typ):
            out.append((start, i, typ))
            typ = None
        if lab.startswith("B-") or (lab.startswith("I-") and typ is None):
            start, typ = i, lab[2:]
    return out


def name_start(t: Token) -> int:
    """Where a name begins inside its first token: after و/ف/ب/ل/ك, at ال."""
    return first_forms(t)[-1][1]


class EntityRecognizer:
    """CRF + gazetteer + rule over a token list; see the module docstring."""

    def __init__(self, model: str | Path | None = MODEL_PATH, gazetteer: Gazetteer | None = None,
                 fuzzy: bool = True, rules: bool = True, propagate: bool = True):
        self.model = Path(model) if model else None
        self.propagate = propagate
        self.gazetteer = gazetteer or Gazetteer.default()
        self.fuzzy = fuzzy
        self.rules = rules

    def __call__(self, text: str, tokens: Sequence[Token], bounds: Sequence[tuple[int, int]]) -> list[Mention]:
        """Mentions in ``text``; ``bounds`` are (start, end) character spans
        of sentences, each tagged on its own."""
        toks = [t for t in tokens if t.kind in NER_KINDS]
        starts = [t.start for t in toks]
        out: list[Mention] = []
        for s, e in bounds:
            i, j = bisect.bisect_left(starts, s), bisect.bisect_left(starts, e)
            for c in range(i, j, MAX_LEN):
                out += self._chunk(text, toks[c:min(j, c + MAX_LEN)])
        out.sort(key=lambda m: m.start)
        if self.model is not None and self.propagate:
            out = _propagate(text, toks, out)
        return postprocess(text, toks, out, self.gazetteer)

    def _chunk(self, text: str, toks: list[Token]) -> list[Mention]:
        if not any(t.kind == "word" for t in toks):
            return []  # no Arabic word: the model and gazetteers are Arabic
        g = self.gazetteer
        cands: list[tuple[int, int, str, str, float, Entry | None, str | None]] = []
        # (start, end, type, source, score, entry, country)
        matches = g.match(toks)
        if self.model is not None:
            tagger = _tagger(self.model)
            labels = tagger.tag(sentence_features(toks, g, clusters=_clusters(self.model), matches=matches,
                                                    stack=_stack(self.model)))
            stack = _stack(self.model)
            lexicon = stack.lexicon if stack is not None else None
            for i, j, typ in [x for span in bio_spans(labels) for x in self._split(text, toks, *span)]:
                if typ == "PER":
                    while j - i >= 2 and _name_stop(toks[j - 1]):
                        j -= 1  # "نتنياهو على": a particle never continues a name
                    while j - i >= 2 and _name_stop(toks[i]):
                        i += 1
                if (typ == "PER" and j - i == 1 and j + 1 < len(toks) and toks[j + 1].text in "،,"
                        and _surname_like(toks[j], lexicon)):
                    j += 1  # "، عباس عدالت،": a first name the model tagged alone, then a family name
                if typ == "PER" and lexicon is not None:
                    while j - i >= 2 and _verb_like(toks[j - 1], lexicon, last=True):
                        j -= 1  # "لافروف سيناقشان", "فؤاد حسين تابعته"
                    while j - i >= 2 and _verb_like(toks[i], lexicon, last=False):
                        i += 1  # "ستبعد إيتو"
                if (typ == "LOC" and j - i >= 2 and toks[j - 1].kind == "word" and g.demonym(toks[j - 1].norm)
                        is not None and g.lookup(text[toks[i].start:toks[j - 1].end]) is None):
                    j -= 1  # "دوما السورية" -> دوما: a place is not named by its country's adjective
                score = sum(tagger.marginal(labels[k], k) for k in range(i, j)) / (j - i)
                start = name_start(toks[i])
                if start > toks[i].start and (_name_letter(toks[i])
                                              or (i and _after_trigger(toks[i - 1], toks[i], g))):
                    start = toks[i].start  # "ونستون", "المستشار لاشين", "شركة فيديكس": a letter of the name
                entry = g.lookup(text[start:toks[j - 1].end]) if j - i <= g.max_len else None
                cands.append((start, toks[j - 1].end, typ, "model", score, entry, None))
        for i, j, start, entry in matches:
            cands.append((start, toks[j - 1].end, entry.type, "gazetteer", 1.0, entry, None))
        for k, t in enumerate(toks):
            # "لقطر", "بدوما": a preposition the tokenizer left on a place name
            if (t.kind == "word" and t.stem_start <= t.start and len(t.norm) >= 4 and t.norm[0] in "لبكوف"
                    and t.norm not in g._by_first):
                entry = g._keys.get((t.norm[1:],))  # one word: its key is its SEARCH form
                if entry is not None and entry.type == "LOC" and entry.kind in ("country", "city"):
                    cands.append((t.start + 1, t.end, "LOC", "gazetteer", 0.9, entry, None))
            if (t.kind == "word" and t.stem_start <= t.start and len(t.norm) >= 4 and t.norm[0] in "لبك"
                    and k + 1 < len(toks)):
                # "لبنك اسكتلندا الملكي": the tokenizer left the preposition on a short head noun
                bare = Token(t.start, t.end, t.text, t.norm, t.kind, t.start + 1, t.end)
                hits = g.match([bare, *toks[k + 1:k + g.max_len]])
                if hits and hits[0][0] == 0 and hits[0][1] >= 2 and hits[0][2] == t.start + 1 and hits[0][3].type in ("LOC", "ORG"):
                    cands.append((t.start + 1, toks[k + hits[0][1] - 1].end, hits[0][3].type, "gazetteer", 1.0,
                                  hits[0][3], None))
        if self.fuzzy:
            for k, t in enumerate(toks):
                if t.kind == "word" and len(t.norm) >= 6:
                    form, start = first_forms(t)[-1]
                    entry = g.fuzzy(form)
                    # a typo of a place stands where a name stands: the model
                    # must doubt the word is ordinary (الفراق, separation, is
                    # one edit from العراق but reads as a noun in context)
                    if entry is not None and (self.model is None or tagger.marginal("O", k) < FUZZY_MAX_P_O):
                        cands.append((start, t.end, entry.type, "gazetteer", 0.8, entry, None))
        # a city the model reads as an organisation is a club named after it
        # ("فاز ليون", "برشلونة المتوج بطلا"): the model's type stands
        clubs = {(c[0], c[1]) for c in cands if c[3] == "model" and c[2] == "ORG"}
        if clubs:  # ... but not in a dateline, "أتلانتا، الولايات المتحدة"
            countries = {c[0] for c in cands if c[3] == "gazetteer" and c[5] is not None and c[5].kind == "country"}
            clubs = {(s, e) for s, e in clubs
                     if not (text[e:e + 1] in "،," and any(e < k <= e + 3 for k in countries))}
        if clubs:
            cands = [c for c in cands if not (c[3] == "gazetteer" and (c[0], c[1]) in clubs
                                              and c[5] is not None and c[5].kind == "city")]
        if self.rules:
            self._text = text
            cands += self._compose(toks)
            cands += _framed_persons(toks)
            cands = self._trim_descriptors(cands, toks)
        return self._merge(text, cands)

    def _split(self, text: str, toks: list[Token], i: int, j: int, typ: str) -> list[tuple[int, int, str]]:
        """A model span that is two gazetteer names joined by و ("الاتحاد
        الأوروبي والمكسيك") is two names."""
        g = self.gazetteer
        for k in range(i + 1, j):
            t = toks[k]
            if t.kind != "word" or t.stem_start <= t.start:
                continue
            prefix = SEARCH.text(t.prefix)
            if prefix in ("و", "وال"):
                left = g.lookup(text[name_start(toks[i]):toks[k - 1].end])
                right = g.lookup(text[name_start(t):toks[j - 1].end])
                if left is not None and right is not None:
                    return [(i, k, left.type), (k, j, right.type)]
        return [(i, j, typ)]

    def _trim_descriptors(self, cands: list[tuple], toks: list[Token]) -> list[tuple]:
        """A gazetteer match that is a model span of the same type plus only
        descriptor words (``name_descriptors.txt``) or a trailing nationality
        adjective gives way to the model span, which takes the entry's
        canonical name: "قطاع غزة" -> غزة, "حزب الله اللبناني" -> حزب الله."""
        models = [c for c in cands if c[3] == "model"]
        if not models:
            return cands
        words = _descriptors()
        g = self.gazetteer
        drop, better = set(), {}
        for gi, c in enumerate(cands):
            if c[3] != "gazetteer" or c[4] < 1.0:
                continue
            for m in models:
                if m[2] != c[2] or not (c[0] <= m[0] and m[1] <= c[1]) or (m[0], m[1]) == (c[0], c[1]):
                    continue
                extra = [t for t in toks if t.kind == "word" and c[0] <= t.start < c[1] and not (m[0] <= t.start < m[1])]
                if extra and all(SEARCH.text(t.text) in words
                                 or (t.start >= m[1] and g.demonym(t.norm) is not None
                                     and g.lookup(self._text[m[0]:m[1]]) is c[5]) for t in extra):
                    drop.add(gi)
                    better[(m[0], m[1])] = c[5]
        if not drop:
            return cands
        out = []
        for gi, c in enumerate(cands):
            if gi in drop:
                continue
            if c[3] == "model" and (c[0], c[1]) in better and c[5] is None:
                c = c[:5] + (better[(c[0], c[1])],) + c[6:]
            out.append(c)
        return out

    def _compose(self, toks: list[Token]) -> list[tuple]:
        """وزارة/سفارة/قنصلية/الخارجية + up to two words + a feminine
        nationality adjective -> ORG.  The adjective must agree with the
        feminine head noun: in "وزير الخارجية العراقي" it qualifies وزير, and
        the organisation is not named; nor is it in the title "وزير(ة)
        الخارجية ..." ("وزيرة الخارجية الأميركية", "وزير الخارجية السودانية"),
        as in the news gold."""
        trig, compose = triggers()
        g = self.gazetteer
        out = []
        for i, t in enumerate(toks):
            form = token_form(t) if t.kind == "word" else ""
            if form not in compose and not (form.startswith("ال") and form[2:] in compose):
                continue  # "سفارة", "السفارة الأمريكية"
            if i and SEARCH.text(t.text) == "الخارجيه" and trig.get((token_form(toks[i - 1]),)) == "PER":
                continue  # "وزيرة الخارجية الأميركية": a title; "مستشار وزارة الدفاع البريطانية" names one
            for k in range(i + 1, min(i + 4, len(toks))):
                if toks[k].kind != "word":
                    break
                country = g.demonym(toks[k].norm)
                if country is not None and toks[k].norm.endswith("يه"):
                    out.append((name_start(t), toks[k].end, "ORG", "rule", 0.9, None, country.canonical))
                    break
        return out

    @staticmethod
    def _merge(text: str, cands: list[tuple]) -> list[Mention]:
        cands.sort(key=lambda c: (-(c[1] - c[0]), -_PRIORITY[c[3]], c[0]))
        taken: list[tuple[int, int]] = []
        out = []
        for start, end, typ, source, score, entry, country in cands:
            if end <= start or any(start < e and s < end for s, e in taken):
                continue
            taken.append((start, end))
            out.append(Mention(start, end, text[start:end], typ, kind="name", source=source,
                               score=round(float(score), 4),
                               canonical=entry.canonical if entry else None,
                               country=country or (entry.country if entry and entry.kind != "country" else None)))
        return out


def _after_trigger(prev: Token, t: Token, g: Gazetteer) -> bool:
    """Does ``t`` follow a title or head noun (ner_triggers.tsv) with only a
    one-letter proclitic ل/ب/ك/ف that then belongs to the name?  Not when
    the rest is a gazetteer name: "عاصمة لإسرائيل" is إسرائيل."""
    if prev.kind != "word" or SEARCH.text(t.prefix) not in ("ل", "ب", "ك", "ف"):
        return False
    trig, _ = triggers()
    return trig.get((token_form(prev),)) in ("PER", "ORG", "LOC") and (token_form(t),) not in g._keys


def _surname_like(t: Token, lexicon: dict[str, tuple[str, ...]] | None) -> bool:
    """Could ``t``, right after a one-word person span and before a comma,
    be the family name the model left out?  Name-like by the title rules'
    guard (no stop word, title, place, nationality, article, pronoun
    ending) and never tagged as anything but a person in the ANT lexicon."""
    from marsad.extract.titles import Lexicon

    if t.kind != "word" or t.stem_start > t.start or not Lexicon.default().name_like(t, 1):
        return False
    lex = lexicon.get(token_form(t), ()) if lexicon is not None else ()
    return all(f.startswith("PER") for f in lex)


_VERBS: set[str] = set()


def _framed_persons(toks: list[Token]) -> list[tuple]:
    """A person named with no title before the name, in the reporting frame
    of news copy: a reporting verb, two or three name-like words, then
    (after an optional comma) a title: "وتقول لين معلوف، مديرة البحوث",
    "وقال سامي نور، المتحدث باسم ..."."""
    from marsad.extract.titles import Lexicon

    if not _VERBS:
        from marsad.lang.ar import load_table

        _VERBS.update(SEARCH.text(r["form"]) for r in load_table("reporting_verbs")
                      if r["kind"] == "verb" and " " not in r["form"].strip())
    lex = None
    out = []
    for k in range(len(toks) - 3):
        t = toks[k]
        if t.kind != "word" or not (t.norm in _VERBS or (t.norm[:1] in "وف" and t.norm[1:] in _VERBS)):
            continue
        lex = lex or Lexicon.default()
        n = lex.name_run(toks, k + 1)
        if n < 2:
            continue
        e = k + 1 + n
        if e < len(toks) and toks[e].text in "،,":
            e += 1
        if e < len(toks) and lex.match_entry(toks, e) is not None:
            out.append((name_start(toks[k + 1]), toks[k + n].end, "PER", "rule", 0.8, None, None))
    return out


_NAME_INITIAL: set[str] = set()
_NAME_STOPS: set[str] = set()


def _name_stop(t: Token) -> bool:
    """A particle, pronoun or reporting verb that never begins or continues
    a person's name (name_stops.txt), bare or after و/ف."""
    if t.kind != "word":
        return t.kind == "punct"
    if not _NAME_STOPS:
        from marsad.lang.ar import load_list

        _NAME_STOPS.update(SEARCH.text(w) for w in load_list("name_stops"))
    n = t.norm
    return n in _NAME_STOPS or (n[:1] in "وف" and n[1:] in _NAME_STOPS)


def _name_letter(t: Token) -> bool:
    """Is the one-letter proclitic و/ف/ب/ل/ك the tokenizer split off ``t`` the
    first letter of a name ("ونستون", "لورنس", "بكين")?  Decided from ANT word
    counts (name_initial_letters.txt, training/build_name_initial.py): the
    whole word is frequent, the rest alone rare, and the name lexicon knows
    the rest as a name.  Otherwise (the rest a frequent word, or the whole
    word never seen) the letter is a clitic: "وترامب" -> ترامب."""
    if t.kind != "word" or t.stem_start <= t.start or len(SEARCH.text(t.prefix)) != 1:
        return False
    if not _NAME_INITIAL:
        from marsad.lang.ar import load_list

        _NAME_INITIAL.update(SEARCH.text(w) for w in load_list("name_initial_letters"))
    return t.norm in _NAME_INITIAL


_VERB_AFTER = re.compile(r"^[وف]?(?:س[يتن]\w{3,}(?:ان|ون)|\w{3,}(?:ته|تها|تهم|تهما))$")
_VERB_BEFORE = re.compile(r"^[وف]?س[يتن]\w{3,}$")


def _verb_like(t: Token, lexicon: dict[str, tuple[str, ...]], last: bool) -> bool:
    """A word at the edge of a person span that reads as a verb and that the
    name lexicon does not know as a person's name (ستيفان is PERhi there).
    After the name (``last``) the verb agrees with it: a future imperfect
    with a dual or plural ending (سيناقشان) or a verb with an object pronoun
    (تابعته); before it, any future imperfect (ستبعد) the lexicon never saw
    as a name."""
    if t.kind != "word":
        return False
    norm = SEARCH.text(t.text)
    lex = lexicon.get(token_form(t), ())
    if last:
        return _VERB_AFTER.match(norm) is not None and "PERhi" not in lex
    return _VERB_BEFORE.match(norm) is not None and not any(x.startswith("PER") or x.endswith("hi") for x in lex)


def _propagate(text: str, toks: list[Token], mentions: list[Mention]) -> list[Mention]:
    """Document-level consistency: a name the model found once is a name
    wherever else it stands untagged in the article.  Two sources: the
    surname (last word, >= 4 letters) of a person named in full ("سيرغي
    لافروف" -> later "لافروف"), and any one-word model mention tagged with
    confidence >= 0.8.  Only bare tokens or tokens after و/ف qualify
    ("لصالح", in favour of, is not the president صالح), and لل before a name
    that carries the article ("للمخلافي"); a place takes any preposition
    ("لدوما")."""
    known: dict[str, str] = {}
    for m in mentions:
        if m.source != "model":
            continue
        words = m.text.split()
        if m.type == "PER" and len(words) >= 2 and len(words[-1]) >= 4:
            known.setdefault(word_form(words[-1]), "PER")
        elif len(words) == 1 and m.score >= 0.8 and len(words[0]) >= 3:
            known.setdefault(word_form(words[0]), m.type)
    if not known:
        return mentions
    starts = [m.start for m in mentions]
    added = []
    for t in toks:
        if t.kind != "word" or (typ := known.get(word_form(t.text))) is None:
            continue
        letter = _name_letter(t)
        prefix = "" if letter else SEARCH.text(t.prefix)
        if prefix not in ("", "و", "ف", "ال", "وال", "فال") and typ != "LOC" and not (
                prefix in ("لل", "ولل") and word_form(t.text).startswith("ال")):
            continue  # "لصالح" (in favour of) is not صالح; "للمخلافي" is المخلافي
        start = t.start if letter else name_start(t)
        k = bisect.bisect_right(starts, start)
        if (k and mentions[k - 1].end > start) or (k < len(mentions) and mentions[k].start < t.end):
            continue
        added.append(Mention(start, t.end, text[start:t.end], typ, source="rule", score=0.7))
    return sorted(mentions + added, key=lambda m: m.start) if added else mentions


# ------------------------------------------------------ rule post-processing
def postprocess(text: str, toks: Sequence[Token], mentions: list[Mention],
                gazetteer: Gazetteer | None = None) -> list[Mention]:
    """Rules over the merged mentions of a whole article: a currency word
    (``دولار``، ``الدولارات``، ``اليورو``) is MISC whatever type the model gave
    it — the convention of ANERcorp, the news gold we train and are measured
    on, which tags currencies MISC (dropping them cost 1.5 micro F1 there) —,
    the dual of a common noun is no name (``_common_dual``), and ``عمان`` is
    read as Amman or Oman from its context (``amman_or_oman``)."""
    g = gazetteer or Gazetteer.default()
    units = _currency_words()
    out = [m.replace(type="MISC", canonical=None, country=None) if _bare(m.text) in units and m.type != "MISC"
           else m for m in mentions if not _common_dual(m, g)]
    out = [m for m in out if not _minister_portfolio(text, m)]
    out = _join_persons(text, [_trim_heads(text, m, g) for m in out])
    out = _split_persons(text, toks, out)
    out = _kept_heads(text, toks, out, g)
    out = _ministry_short_forms(text, toks, out)
    out = _competitions(text, toks, out)
    return _amman_or_oman(text, toks, out, g)


def _trim_heads(text: str, m: Mention, g: Gazetteer) -> Mention:
    """A name span that opens with a generic head noun starts after it: always
    for the heads of ``generic_heads.txt`` ("حركة حسم" -> حسم), for those of
    ``name_heads_if_named.txt`` (دولة، منظمة، وكالة ...) when the rest is a
    gazetteer name ("منظمة الأمم المتحدة" -> الأمم المتحدة; "منظمة حظر
    الأسلحة" stays whole)."""
    if m.type not in ("LOC", "ORG") or " " not in m.text.strip():
        return m
    first, _, rest = m.text.partition(" ")
    head = SEARCH.text(first)
    if head not in _heads() and head not in _heads("name_heads_if_named"):
        return m
    rest_l = rest.lstrip()
    entry = g.lookup(rest_l)
    if entry is None and head not in _heads():
        return m
    start = m.end - len(rest_l)
    if not re.match(r"[\u0621-\u064A]", text[start:start + 1]):
        return m  # "شركة «...»": the name is quoted, leave the span alone
    return m.replace(start=start, text=text[start:m.end], type=entry.type if entry else m.type,
                     canonical=entry.canonical if entry else m.canonical)


_MINISTER = re.compile(r"(?:^|\s)[وفلب]{0,2}(?:ال)?وزير[اهة]?[\u064B-\u0652]*\s+(?:[وف]?لل|[وفلب])?$")


def _minister_portfolio(text: str, m: Mention) -> bool:
    """The portfolio in a minister's title is no organisation: "وزيراً
    للخارجية اليمنية", "وزير الخارجية السعودي" (the ministry is named with
    its head noun: "وزارة الخارجية")."""
    return m.type == "ORG" and m.source != "gazetteer" and _MINISTER.search(SEARCH.text(text[max(0, m.start - 14):m.start])) is not None


def _join_persons(text: str, mentions: list[Mention]) -> list[Mention]:
    """Two person spans with only a space or a hyphen between them are one
    name the model cut in two ("أحمد مجدى" + "إبراهيم محمد زهرة",
    "نازانين زغاري" + "-راتكليف")."""
    out: list[Mention] = []
    for m in mentions:
        p = out[-1] if out else None
        if (p is not None and p.type == m.type == "PER" and m.start > p.end
                and text[p.end:m.start] in (" ", "-")):
            out[-1] = p.replace(end=m.end, text=text[p.start:m.end], canonical=None,
                                score=min(p.score, m.score))
            continue
        out.append(m)
    return out


def _split_persons(text: str, toks: Sequence[Token], mentions: list[Mention]) -> list[Mention]:
    """A person span that goes on with a preposition-prefixed word which is
    a name part of another person of the article is two mentions: "وقال
    نتنياهو لموراليس" (موراليس named in full earlier) -> نتنياهو, موراليس."""
    pers = [m for m in mentions if m.type == "PER" and " " in m.text.strip()]
    if not pers:
        return mentions
    starts = [t.start for t in toks]

    def inside(o: Mention) -> list[Token]:  # whole tokens only: "بايدن" cut to "ايدن" is no evidence
        return toks[bisect.bisect_left(starts, o.start):bisect.bisect_left(starts, o.end)]

    words = Counter(t.norm for o in mentions if o.type == "PER" for t in inside(o))
    out: list[Mention] = []
    for m in mentions:
        if m.type != "PER" or " " not in m.text.strip():
            out.append(m)
            continue
        own = Counter(t.norm for t in inside(m))
        cut = None
        for k in range(bisect.bisect_right(starts, m.start), bisect.bisect_left(starts, m.end)):
            t = toks[k]
            if (t.kind == "word" and t.stem_start > t.start and SEARCH.text(t.prefix) in ("ل", "ب")
                    and not _name_letter(t)
                    and words[w := SEARCH.text(text[t.stem_start:t.end])] > own[w]):
                cut = t
                break
        if cut is None:
            out.append(m)
            continue
        left_end = m.start + len(text[m.start:cut.start].rstrip())
        out.append(m.replace(end=left_end, text=text[m.start:left_end], canonical=None))
        out.append(m.replace(start=cut.stem_start, text=text[cut.stem_start:m.end], canonical=None))
    return out


def _kept_heads(text: str, toks: Sequence[Token], mentions: list[Mention], g: Gazetteer) -> list[Mention]:
    """A bank's head noun is part of its name (org_heads_kept.txt): the model
    span "أولستر" after "بنك" becomes the ORG "بنك أولستر" -- unless the rest
    is a gazetteer organisation on its own (then the gazetteer matched the
    whole name already, or the name stands alone)."""
    heads = _heads("org_heads_kept")
    starts = [t.start for t in toks]
    out: list[Mention] = []
    for m in mentions:
        k = bisect.bisect_right(starts, m.start) - 1
        if (m.type in ("ORG", "LOC") and m.source == "model" and k >= 1 and toks[k].start == m.start
                and toks[k - 1].kind == "word" and token_form(toks[k - 1]) in heads
                and text[toks[k - 1].end:m.start] == " " and (out[-1].end if out else -1) <= toks[k - 1].start):
            e = g.lookup(m.text)
            if e is None or e.type != "ORG":
                s = name_start(toks[k - 1])
                m = m.replace(start=s, text=text[s:m.end], type="ORG", canonical=None, country=None)
        out.append(m)
    return out


_SHORT: dict[str, str] = {}
_SHORT_CUES: set[str] = set()


def _ministry_short_forms(text: str, toks: Sequence[Token], mentions: list[Mention]) -> list[Mention]:
    """A ministry named by its portfolio alone after a statement or a
    feminine reporting verb ("بيان الداخلية", "وقالت الخارجية") is an ORG
    (ministry_short_forms.tsv); "وزير الخارجية" (a title) is not."""
    if not _SHORT:
        from marsad.lang.ar import load_table

        for r in load_table("ministry_short_forms"):
            if r["role"] == "form":
                _SHORT[SEARCH.text(r["word"])] = r["ministry"]
            else:
                _SHORT_CUES.add(SEARCH.text(r["word"]))
    taken = [(m.start, m.end) for m in mentions]
    added = []
    for k in range(1, len(toks)):
        t, prev = toks[k], toks[k - 1]
        if t.kind != "word" or prev.kind != "word":
            continue
        form = t.norm[1:] if t.norm[:1] in "وف" and t.norm[1:] in _SHORT else t.norm
        if form not in _SHORT:
            continue
        p = prev.norm[1:] if prev.norm[:1] in "وف" and prev.norm[1:] in _SHORT_CUES else prev.norm
        if p not in _SHORT_CUES:
            continue
        s = t.end - len(t.text) + (len(t.text) - len(form) if len(t.norm) > len(form) else 0)
        if any(s < e and b < t.end for b, e in taken):
            continue
        added.append(Mention(s, t.end, text[s:t.end], "ORG", kind="name", source="rule", score=0.7,
                             canonical=_SHORT[form]))
    return sorted(mentions + added, key=lambda m: m.start) if added else mentions


def _competitions(text: str, toks: Sequence[Token], mentions: list[Mention]) -> list[Mention]:
    """A place right after the head words of a competition names the
    competition: "كأس إيطاليا", "دوري أبطال أوروبا" -> one MISC span from
    the first head word (competition_heads.txt)."""
    heads = _heads("competition_heads")
    starts = [t.start for t in toks]
    out: list[Mention] = []
    for m in mentions:
        k = bisect.bisect_right(starts, m.start) - 1
        if m.type != "LOC" or k < 1:
            out.append(m)
            continue
        h, s = k, m.start
        while h >= 1 and toks[h - 1].kind == "word" and k - h < 3:
            f = token_form(toks[h - 1])
            if f in heads:
                s = name_start(toks[h - 1])
            elif f[:1] in "وفبلك" and f[1:] in heads:  # "بكأس": a clitic the tokenizer left on
                s = toks[h - 1].start + 1
            else:
                break
            h -= 1
        if h == k or s < (out[-1].end if out else -1):
            out.append(m)
            continue
        out.append(m.replace(start=s, text=text[s:m.end], type="MISC", canonical=None, country=None))
    return out


_HEADS: dict[str, frozenset[str]] = {}


def _heads(name: str = "generic_heads") -> frozenset[str]:
    if name not in _HEADS:
        from marsad.lang.ar import load_list

        _HEADS[name] = frozenset(SEARCH.text(w) for w in load_list(name))
    return _HEADS[name]


def _common_dual(m: Mention, g: Gazetteer) -> bool:
    """A one-word mention that is the dual of a common noun ("قنصليتان" =
    two consulates; dual_nouns.tsv, names excluded when it was built) and no
    gazetteer entry (البحرين) is a counted thing, not a name."""
    if " " in m.text.strip() or g.lookup(m.text) is not None:
        return False
    from marsad.extract.numbers import lexicon

    w = SEARCH.text(m.text).strip()
    duals = lexicon().duals
    return w in duals or (w[:1] == "و" and w[1:] in duals)


_DESCRIPTORS: set[str] = set()


def _descriptors() -> set[str]:
    if not _DESCRIPTORS:
        from marsad.lang.ar import load_list

        _DESCRIPTORS.update(SEARCH.text(w) for w in load_list("name_descriptors"))
    return _DESCRIPTORS


def _bare(text: str) -> str:
    """SEARCH form without the article (currency words are matched bare)."""
    w = SEARCH.text(text).strip()
    return w[2:] if w.startswith("ال") and len(w) > 4 else w


_UNITS: set[str] = set()


def _currency_words() -> set[str]:
    if not _UNITS:
        from marsad.lang.ar import load_table

        _UNITS.update(SEARCH.text(r["word"]) for r in load_table("currencies") if len(r["word"]) >= 3)
    return _UNITS


def _among_countries(mentions: list[Mention], k: int, g: Gazetteer) -> bool:
    """Is mention ``k`` next to another country's name (within a few
    characters), as in a list of states?"""
    m = mentions[k]
    for x in (k - 1, k + 1):
        if 0 <= x < len(mentions):
            o = mentions[x]
            gap = o.start - m.end if x > k else m.start - o.end
            e = g.lookup(o.canonical or o.text)
            if 0 <= gap <= 8 and e is not None and e.kind == "country" and e.code != "OM":
                return True
    return False


def _amman_or_oman(text: str, toks: Sequence[Token], mentions: list[Mention], g: Gazetteer) -> list[Mention]:
    """``عمان`` alone is the capital of Jordan or the Sultanate: Oman after
    ``سلطنة`` or written ``عُمان``; Amman written ``عمّان``, after ``العاصمة
    الأردنية``/``العاصمة``, or, with neither mark, in an article that names
    Jordan (الأردن، الأردني ...) and gives no sign of Oman (مسقط، العماني،
    سلطنة)."""
    amman = g.named("عمان", kind="city")
    oman = g.country("OM")
    if amman is None or oman is None:
        return mentions
    idx = [k for k, m in enumerate(mentions) if m.canonical == oman.canonical and SEARCH.text(m.text) == "عمان"]
    if not idx:
        return mentions
    folded = SEARCH.text(text)
    jordan = g.country("JO")
    jordan_cues = sum(folded.count(w) for w in ("الاردن", "الاردني", "اردني")) if jordan else 0
    oman_cues = sum(folded.count(w) for w in ("سلطنه", "مسقط", "العماني", "عماني", "قابوس"))
    out = list(mentions)
    for k in idx:
        m = mentions[k]
        surface = text[m.start:m.end]
        before = SEARCH.text(text[max(0, m.start - 30):m.start]).split()
        if "\u064f" in surface or (before and before[-1] == "سلطنه"):
            continue  # Oman
        if "\u0651" not in surface and _among_countries(mentions, k, g):
            continue  # "الكويت وعمان وقطر": a list of countries
        if "\u0651" in surface or before[-2:] == ["العاصمه", "الاردنيه"] or (before and before[-1] == "العاصمه"):
            is_amman = True
        else:
            is_amman = jordan_cues > 0 and oman_cues == 0
        if is_amman:
            out[k] = m.replace(canonical=amman.canonical, country=amman.country)
    return out


@component("entities", requires=("tokens", "sentences"), assigns=("mentions",))
def make_entities(model: str | None = str(MODEL_PATH), fuzzy: bool = True, rules: bool = True,
                  propagate: bool = True):
    """Named entities (PER, LOC, ORG, MISC): CRF model + gazetteers."""
    recognizer = EntityRecognizer(model, fuzzy=fuzzy, rules=rules, propagate=propagate)

    def run(doc: Doc) -> None:
        bounds = [(s.start, s.end) for s in doc.sentences] or [(0, len(doc.text))]
        doc.mentions = recognizer(doc.text, doc.tokens, bounds)

    return run
