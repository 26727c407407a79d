"""Server-side HTML for annotated text and the co-occurrence graph.

``highlight`` turns the article text and its annotation spans into HTML.
Spans nest (a name inside a quote) and may overlap without nesting; the text
is cut at every span boundary and each piece is wrapped in the spans that
cover it, closing and reopening elements where two spans cross, so the
markup is always well formed.  Every piece of text and every attribute goes
through ``markupsafe.escape``: an article holding ``<script>`` shows it as
text.
"""
from __future__ import annotations

import math
from urllib.parse import quote
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup, escape

KINDS = ("quote", "event", "entity", "date", "amount")  # outer to inner when spans coincide
LEGEND = {
    "entity": "كيان (شخص، مكان، منظمة)",
    "quote": "اقتباس",
    "date": "تاريخ",
    "amount": "كمية أو مبلغ",
    "event": "حدث",
}


@dataclass(frozen=True)
class Mark:
    start: int
    end: int
    kind: str
    tooltip: str
    attrs: dict[str, str] = field(default_factory=dict)
    href: str | None = None

    @property
    def order(self) -> tuple[int, int, int]:
        return (self.start, -self.end, KINDS.index(self.kind) if self.kind in KINDS else len(KINDS))


def marks_from_record(rec: dict[str, Any]) -> list[Mark]:
    """Highlights for an export record: entities, quotes, dates, amounts and
    event triggers, each with a tooltip saying how marsad resolved it."""
    n = len(rec.get("text") or "")
    out: list[Mark] = []

    def ok(s: Any, e: Any) -> bool:
        return isinstance(s, int) and isinstance(e, int) and 0 <= s < e <= n

    for m in rec.get("entities") or []:
        if not ok(m.get("start"), m.get("end")):
            continue
        eid = m.get("entity_id")
        tip = f"{m.get('type')}: {m.get('canonical') or m.get('text')}"
        if m.get("title"):
            tip += f" — {m['title']}"
        if eid:
            tip += f" [{eid}]"
        attrs = {"data-type": str(m.get("type") or ""), "data-entity-id": str(eid or ""),
                 "data-canonical": str(m.get("canonical") or "")}
        out.append(Mark(m["start"], m["end"], "entity", tip, attrs, f"/entities/{quote(str(eid), safe='')}" if eid else None))
    for q in rec.get("quotes") or []:
        if not ok(q.get("start"), q.get("end")):
            continue
        sp = q.get("speaker") or {}
        who = sp.get("canonical") or "؟"
        tip = f"{'اقتباس مباشر' if q.get('direct') else 'اقتباس غير مباشر'} — القائل: {who}"
        if q.get("cue"):
            tip += f" ({q['cue']})"
        out.append(Mark(q["start"], q["end"], "quote", tip,
                        {"data-speaker": str(sp.get("entity_id") or ""), "data-direct": str(bool(q.get("direct"))).lower()}))
    for d in rec.get("dates") or []:
        if ok(d.get("start"), d.get("end")):
            out.append(Mark(d["start"], d["end"], "date", f"تاريخ: {d.get('value') or 'غير محدد'}",
                            {"data-value": str(d.get("value") or "")}))
    for a in rec.get("amounts") or []:
        if ok(a.get("start"), a.get("end")):
            val = a.get("value")
            tip = f"قيمة: {val}" + (f" {a['unit']}" if a.get("unit") else "")
            if a.get("counted"):
                tip += f" ({a['counted']})"
            out.append(Mark(a["start"], a["end"], "amount", tip,
                            {"data-value": str(val), "data-unit": str(a.get("unit") or "")}))
    for e in rec.get("events") or []:
        s, t = e.get("trigger_start", e.get("start")), e.get("trigger_end", e.get("end"))
        if not ok(s, t):
            continue
        actors = "، ".join(f"{x.get('role')}: {x.get('canonical') or '؟'}" for x in e.get("actors") or [])
        tip = f"حدث: {e.get('type')} / {e.get('mode')}"
        if e.get("date"):
            tip += f" — {e['date']}"
        if actors:
            tip += f" — {actors}"
        out.append(Mark(s, t, "event", tip, {"data-code": str(e.get("type") or ""),
                                             "data-mode": str(e.get("mode") or ""),
                                             "data-event-id": str(e.get("event_id") or "")}))
    return out


def _open(m: Mark, link_open: bool) -> tuple[str, str]:
    """Opening tag and tag name; no link inside a link."""
    attrs = "".join(f' {k}="{escape(v)}"' for k, v in m.attrs.items())
    common = f'class="hl hl-{escape(m.kind)}" data-kind="{escape(m.kind)}" title="{escape(m.tooltip)}"{attrs}'
    if m.href and not link_open:
        return f'<a {common} href="{escape(m.href)}">', "a"
    return f'<span {common} tabindex="0">', "span"


def highlight(text: str, marks: list[Mark]) -> Markup:
    """The text as HTML with every mark wrapped around its piece of text;
    paragraphs (line breaks) become <br>."""
    marks = sorted((m for m in marks if 0 <= m.start < m.end <= len(text)), key=lambda m: m.order)
    cuts = sorted({0, len(text), *(m.start for m in marks), *(m.end for m in marks)})
    out: list[str] = []
    stack: list[tuple[Mark, str]] = []  # open elements, outermost first
    active: list[Mark] = []
    nxt = 0
    for a, b in zip(cuts, cuts[1:]):
        active = [m for m in active if m.end > a]
        while nxt < len(marks) and marks[nxt].start <= a:
            active.append(marks[nxt])
            nxt += 1
        want = sorted(active, key=lambda m: m.order)  # outer to inner
        keep = 0
        while keep < len(stack) and keep < len(want) and stack[keep][0] is want[keep]:
            keep += 1
        for _, tag in reversed(stack[keep:]):
            out.append(f"</{tag}>")
        del stack[keep:]
        for m in want[keep:]:
            html, tag = _open(m, any(t == "a" for _, t in stack))
            out.append(html)
            stack.append((m, tag))
        out.append(str(escape(text[a:b])).replace("\n", "<br>\n"))
    for _, tag in reversed(stack):
        out.append(f"</{tag}>")
    return Markup("".join(out))


def cooccurrence_svg(center: str, neighbours: list[dict[str, Any]], size: int = 360) -> Markup:
    """A small star graph: the entity in the middle, co-occurring entities on
    a circle, line width by the number of shared articles.  Labels are
    escaped; nodes link to their entity pages."""
    if not neighbours:
        return Markup("")
    nb = neighbours[:12]
    c = size / 2
    r = size / 2 - 60
    top = max(int(x.get("count") or 1) for x in nb)
    lines, nodes = [], []
    for i, x in enumerate(nb):
        ang = 2 * math.pi * i / len(nb) - math.pi / 2
        px, py = c + r * math.cos(ang), c + r * math.sin(ang)
        w = 1 + 4 * (int(x.get("count") or 1) / top)
        lines.append(f'<line x1="{c:.1f}" y1="{c:.1f}" x2="{px:.1f}" y2="{py:.1f}" stroke-width="{w:.1f}"/>')
        eid = x.get("entity_id") or x.get("id") or ""
        label = x.get("canonical") or x.get("name") or eid
        href = escape("/entities/" + quote(str(eid), safe=""))
        nodes.append(
            f'<a href="{href}"><circle cx="{px:.1f}" cy="{py:.1f}" r="7" class="n-{escape(x.get("type") or "")}"/>'
            f'<text x="{px:.1f}" y="{py + 20:.1f}" text-anchor="middle">{escape(label)}'
            f'<title>{escape(label)}: {int(x.get("count") or 0)}</title></text></a>')
    return Markup(
        f'<svg class="graph" viewBox="0 0 {size} {size}" width="{size}" height="{size}" role="img" '
        f'aria-label="{escape(center)}"><g class="edges">{"".join(lines)}</g>'
        f'<circle cx="{c}" cy="{c}" r="10" class="center"/>'
        f'<text x="{c}" y="{c - 16}" text-anchor="middle" class="center-label">{escape(center)}</text>'
        f'<g class="nodes">{"".join(nodes)}</g></svg>')


def marked_snippet(snip: str, highlights: list[list[int]] | list[tuple[int, int]]) -> Markup:
    """A search snippet with its matches in <mark>, everything escaped."""
    out, last = [], 0
    for a, b in highlights:
        out.append(str(escape(snip[last:a])))
        out.append(f"<mark>{escape(snip[a:b])}</mark>")
        last = b
    out.append(str(escape(snip[last:])))
    return Markup("".join(out))
