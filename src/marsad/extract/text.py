"""Text components: tokens and sentences."""
from __future__ import annotations

from marsad.model import Doc
from marsad.pipeline import component
from marsad.text.sentences import split_sentences
from marsad.text.tokenize import tokenize


@component("tokens", requires=("text",), assigns=("tokens",))
def make_tokenizer(segment_clitics: bool = True):
    """Tokens with offsets and clitic-split stems."""

    def run(doc: Doc) -> None:
        doc.tokens = tokenize(doc.text, segment_clitics=segment_clitics)

    return run


@component("sentences", requires=("text",), assigns=("sentences",))
def make_sentence_splitter():
    """Sentences that never split a quotation."""

    def run(doc: Doc) -> None:
        doc.sentences = split_sentences(doc.text)

    return run
