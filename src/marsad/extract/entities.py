"""The ``entities`` component: named-entity mentions from the CRF model,
merged with gazetteer matches and one composition rule.

Per sentence (chunked to ``MAX_LEN`` tokens, so a 1 MB run-on sentence stays
bounded), three sources propose spans:

* ``model``: the CRF (``models/ner.crfsuite``, trained by
  training/train_ner.py, loaded lazily on first use) tags BIO labels;
* ``gazetteer``: longest matches of countries, places and organisations
  (lang/ar/gazetteer.py), and single-word typos of country/city names one
  edit away (``"اغانستان"`` -> أفغانستان);
* ``rule``: a ministry/embassy head noun, up to two words, then a
  nationality adjective (وزارة الدفاع البريطانية) is an ORG.

Merging: spans are taken longest first; a span overlapping one already taken
is dropped.  On equal length a rule or gazetteer span beats the model (its
type and canonical name are curated), so "داعش" stays ORG even if the model
says PER; a longer model span beats a gazetteer hit inside it ("جامعة بغداد"
is an ORG, not the city), and a longer gazetteer name beats a shorter model
span ("مجلس الامن" -> "مجلس الامن الدولي").  A model span whose text is a
gazetteer name gets the entry's canonical name.

Offsets: a mention never starts with a conjunction or preposition clitic
("وبغداد" -> "بغداد", "لإيران" -> "إيران") but keeps the article of names
that carry it ("والعراق" -> "العراق"); under "لل" the article's alef is gone,
so "للعراق" gives "عراق" with canonical العراق.
"""
from __future__ import annotations

import bisect
import threading
from importlib import resources
from pathlib import Path
from typing import Sequence

from marsad.extract.ner_features import NER_KINDS, sentence_features, token_form, triggers
from marsad.lang.ar.gazetteer import Entry, Gazetteer, first_forms
from marsad.model import Doc, Mention, Token
from marsad.pipeline import component

MAX_LEN = 200  # tokens per CRF sequence (as in training)
MODEL_PATH = Path(str(resources.files("marsad") / "models" / "ner.crfsuite"))
_PRIORITY = {"rule": 2, "gazetteer": 1, "model": 0}

_local = threading.local()


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
                 fuzzy: bool = True, rules: bool = True):
        self.model = Path(model) if model else None
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
        return out

    def _chunk(self, text: str, toks: list[Token]) -> list[Mention]:
        if not toks:
            return []
        g = self.gazetteer
        cands: list[tuple[int, int, str, str, float, Entry | None, str | None]] = []
        # (start, end, type, source, score, entry, country)
        if self.model is not None:
            tagger = _tagger(self.model)
            labels = tagger.tag(sentence_features(toks, g))
            for i, j, typ in bio_spans(labels):
                score = sum(tagger.marginal(labels[k], k) for k in range(i, j)) / (j - i)
                start = name_start(toks[i])
                entry = g.lookup(text[start:toks[j - 1].end]) if j - i <= g.max_len else None
                cands.append((start, toks[j - 1].end, typ, "model", score, entry, None))
        for i, j, start, entry in g.match(toks):
            cands.append((start, toks[j - 1].end, entry.type, "gazetteer", 1.0, entry, None))
        if self.fuzzy:
            for t in toks:
                if t.kind == "word" and len(t.norm) >= 6:
                    form, start = first_forms(t)[-1]
                    entry = g.fuzzy(form)
                    if entry is not None:
                        cands.append((start, t.end, entry.type, "gazetteer", 0.8, entry, None))
        if self.rules:
            cands += self._compose(toks)
        return self._merge(text, cands)

    def _compose(self, toks: list[Token]) -> list[tuple]:
        """وزارة/سفارة/قنصلية/الخارجية + up to two words + a feminine
        nationality adjective -> ORG.  The adjective must agree with the
        feminine head noun: in "وزير الخارجية العراقي" it qualifies وزير, and
        the organisation is not named."""
        _, compose = triggers()
        g = self.gazetteer
        out = []
        for i, t in enumerate(toks):
            if t.kind != "word" or token_form(t) not in compose:
                continue
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


@component("entities", requires=("tokens", "sentences"), assigns=("mentions",))
def make_entities(model: str | None = str(MODEL_PATH), fuzzy: bool = True, rules: bool = True):
    """Named entities (PER, LOC, ORG, MISC): CRF model + gazetteers."""
    recognizer = EntityRecognizer(model, fuzzy=fuzzy, rules=rules)

    def run(doc: Doc) -> None:
        bounds = [(s.start, s.end) for s in doc.sentences] or [(0, len(doc.text))]
        doc.mentions = recognizer(doc.text, doc.tokens, bounds)

    return run
