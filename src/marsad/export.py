"""The export contract (version ``model.EXPORT_VERSION``, docs/export.md):
one JSON object per article, built from its analysis and the linkers' fields."""
from __future__ import annotations

from typing import Any

from marsad.model import EXPORT_VERSION, Analysis


def article_record(analysis: Analysis, extra: dict[str, Any] | None = None, *, tokens: bool = False) -> dict[str, Any]:
    a = analysis.article
    mentions = analysis.mentions
    rec: dict[str, Any] = {
        "version": EXPORT_VERSION,
        "id": a.id, "source": a.source, "url": a.url, "published": a.published,
        "title": a.title, "dateline": a.dateline, "text": a.text,
        "sentences": [{"start": s.start, "end": s.end} for s in analysis.sentences],
        "entities": [{"start": m.start, "end": m.end, "text": m.text, "type": m.type, "kind": m.kind,
                      "entity_id": m.entity_id, "canonical": m.canonical, "title": m.title}
                     for m in mentions],
        "quotes": [{"start": q.start, "end": q.end, "text": q.text, "direct": q.direct,
                    "speaker": ({"entity_id": q.speaker.entity_id, "canonical": q.speaker.canonical}
                                if q.speaker else None),
                    "cue": q.cue} for q in analysis.quotes],
        "amounts": [{"start": x.start, "end": x.end, "text": x.text, "value": x.value, "unit": x.unit,
                     "counted": x.counted} for x in analysis.amounts],
        "dates": [{"start": d.start, "end": d.end, "text": d.text, "value": d.value,
                   "granularity": d.granularity, "vague": d.vague} for d in analysis.dates],
        "events": [{"event_id": e.event_id, "type": e.type, "mode": e.mode, "start": e.start, "end": e.end,
                    "trigger": e.trigger, "trigger_start": e.trigger_start, "trigger_end": e.trigger_end,
                    "actors": [{"role": x.role, "entity_id": x.entity_id, "canonical": x.canonical}
                               for x in e.actors],
                    "date": e.date, "place": e.place} for e in analysis.events],
        "story_id": None,
        "reuse": [],
    }
    if tokens:
        rec["tokens"] = [{"start": t.start, "end": t.end, "text": t.text} for t in analysis.tokens]
    if extra:
        rec.update(extra)
    return rec
