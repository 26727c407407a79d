"""Building analysed documents by hand for tests: tokens and sentences from
the real text layer, name mentions given as ``(phrase, type)`` at the
phrase's first occurrence — so a component is tested apart from the
statistical tagger."""
from __future__ import annotations

from collections.abc import Iterable

from marsad.model import Article, Doc, Mention
from marsad.text.sentences import split_sentences
from marsad.text.tokenize import tokenize


def doc_with_mentions(text: str, mentions: Iterable[tuple[str, str]] = (), published: str | None = None) -> Doc:
    doc = Doc(Article(id="t", text=text, published=published))
    doc.tokens = tokenize(text)
    doc.sentences = split_sentences(text)
    ms = []
    for phrase, typ in mentions:
        s = text.index(phrase)
        ms.append(Mention(s, s + len(phrase), phrase, typ))
    doc.mentions = sorted(ms, key=lambda m: m.start)
    return doc
