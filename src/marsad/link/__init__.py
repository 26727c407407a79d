"""Cross-article linkers: entity resolution, events, stories, text reuse.

A linker keeps its own tables (``schema``) and runs inside the transaction of
each ingested batch, before the batch is stored: ``link`` may return the
analyses with identifiers filled in (``Mention.entity_id``,
``EventMention.event_id``).  It must be incremental: its cost per new article
grows with that article's candidates, not with the store.
"""
from __future__ import annotations

import importlib
import importlib.util
from typing import Any, Iterator, Protocol

from marsad.model import Analysis
from marsad.store.base import Schema, Store

# Linker order: name -> module defining ``LINKER`` (a class with no-arg init).
LINKER_ORDER: dict[str, str] = {
    "entities": "marsad.link.entities",
    "events": "marsad.link.events",
    "stories": "marsad.link.stories",
    "reuse": "marsad.link.reuse",
}


class Linker(Protocol):
    name: str
    schema: Schema
    exports: tuple[str, ...]  # what `marsad export --what` it serves

    def link(self, store: Store, batch: list[Analysis]) -> list[Analysis]: ...

    def article_fields(self, store: Store, article_id: str) -> dict[str, Any]:
        """Fields this linker adds to an article's export record."""
        ...

    def export(self, store: Store, what: str) -> Iterator[dict[str, Any]]: ...

    def stats(self, store: Store) -> dict[str, Any]: ...


def default_linkers(disable: tuple[str, ...] = ()) -> list[Linker]:
    out = []
    for name, module in LINKER_ORDER.items():
        if name in disable or importlib.util.find_spec(module) is None:
            continue
        out.append(importlib.import_module(module).LINKER())
    return out
