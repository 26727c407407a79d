"""Sentence splitter for Arabic news text.

Splits after . ! ? ؟ ؛ and runs of dots (".." is a common Arabic sentence
end), and at line breaks; never inside a quotation (" " « » “ ”).  A line
break always ends a sentence, and resets an unbalanced quotation (news copy
often drops an opening or closing quote).  The Arabic comma ، is a clause
mark, not a sentence end: ``clauses()`` splits on it when wanted.
"""
from __future__ import annotations

import re

from marsad.model import Sentence

_END = set(".!?\u061F\u061B\u06D4…")
_OPEN = {"«": "»", "“": "”"}
_CLOSE = {v: k for k, v in _OPEN.items()}
_AFTER_END = re.compile(r"[\s\"»”)\]]|$")
_URL = re.compile(r"https?://\S+|www\.\S+")


def split_sentences(text: str) -> list[Sentence]:
    out: list[Sentence] = []
    n = len(text)
    start = 0
    depth = 0  # nesting of « » and “ ”
    in_ascii = False  # inside "..."
    i = 0

    def emit(s: int, e: int) -> None:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append(Sentence(s, e, text[s:e]))

    urls = {m.start(): m.end() for m in _URL.finditer(text)}
    while i < n:
        ch = text[i]
        if i in urls:  # a URL is never split
            i = urls[i]
            continue
        if ch == "\n":
            emit(start, i)
            start = i + 1
            depth, in_ascii = 0, False
        elif ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(0, depth - 1)
        elif ch == '"':
            in_ascii = not in_ascii
        elif ch in _END and depth == 0 and not in_ascii:
            j = i
            while j + 1 < n and text[j + 1] in _END:
                j += 1
            # a decimal point or a dot inside a URL/abbreviation is no end
            if ch == "." and j == i and not _AFTER_END.match(text, j + 1):
                i += 1
                continue
            emit(start, j + 1)
            start = i = j + 1
            continue
        i += 1
    emit(start, n)
    return out


def clauses(text: str, sentence: Sentence) -> list[Sentence]:
    """Split one sentence further at the Arabic comma and at "..": clauses."""
    out: list[Sentence] = []
    s = sentence.start
    for m in re.finditer(r"[،,]|\.\.+", sentence.text):
        e = sentence.start + m.start()
        if text[s:e].strip():
            out.append(_trimmed(text, s, e))
        s = sentence.start + m.end()
    if text[s:sentence.end].strip():
        out.append(_trimmed(text, s, sentence.end))
    return out


def _trimmed(text: str, s: int, e: int) -> Sentence:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return Sentence(s, e, text[s:e])
