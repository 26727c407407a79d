"""Search snippets cut from the original text, matches highlighted where the
article spells them (the match is found on normalised forms)."""
from __future__ import annotations

from marsad.text.search import match_spans


def snippet(text: str, query: str, width: int = 220) -> tuple[str, tuple[tuple[int, int], ...], tuple[tuple[int, int], ...]]:
    """(snippet, highlight spans within it, match spans within ``text``)."""
    spans = match_spans(text, query) if query.strip() else []
    if not spans:
        cut = text[:width]
        return cut + ("…" if len(text) > width else ""), (), ()
    # the window of ``width`` characters holding the most distinct matches
    best, best_score = 0, -1
    for i, (s, _) in enumerate(spans):
        inside = {text[a:b] for a, b in spans[i:] if b <= s + width}
        if len(inside) > best_score:
            best, best_score = i, len(inside)
    start = max(0, spans[best][0] - width // 4)
    # begin on a word boundary
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    end = min(len(text), start + width)
    while end < len(text) and not text[end].isspace():
        end += 1
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    cut = text[start:end].replace("\n", " ")
    hl = tuple((a - start + len(prefix), b - start + len(prefix)) for a, b in spans if a >= start and b <= end)
    return prefix + cut + suffix, hl, tuple(spans)


def mark(snippet_text: str, highlights: tuple[tuple[int, int], ...], before: str = "[", after: str = "]") -> str:
    out, last = [], 0
    for a, b in highlights:
        out.append(snippet_text[last:a])
        out.append(before + snippet_text[a:b] + after)
        last = b
    out.append(snippet_text[last:])
    return "".join(out)
