"""Datelines: the opening "ايلاف من لندن:" or "لندن - (أ ف ب):" of a news
text gives its source and the place it was filed from."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from marsad.lang.ar import load_table
from marsad.text.normalize import SEARCH

# "ايلاف من لندن:"  /  "العربية.نت - بيروت:"
_OUTLET_FROM = re.compile(r"^\s*(?P<outlet>[^\s:\-–—]+(?:\s[^\s:\-–—]+){0,2})\s+(?:من|-|–|—)\s+(?P<place>[^\s:()]+(?:\s[^\s:()]+)?)\s*:")
# "لندن - (أ ف ب):" / "بغداد (رويترز) -"
_PLACE_AGENCY = re.compile(r"^\s*(?P<place>[^\s:()\-–—]+(?:\s[^\s:()\-–—]+)?)\s*[-–—]?\s*\((?P<outlet>[^()]{2,25})\)\s*[-–—:]?")
# "القاهرة - الراصد:" (a known place, then an outlet that may be unknown)
_PLACE_OUTLET = re.compile(r"^\s*(?P<place>[^\s:()\-–—]+(?:\s[^\s:()\-–—]+)?)\s*[-–—]\s*(?P<outlet>[^\s:\-–—]+(?:\s[^\s:\-–—]+){0,2})\s*:")


@dataclass(frozen=True)
class Dateline:
    source: str | None
    place: str | None
    end: int  # offset just after the dateline in the text


@cache
def _outlets() -> dict[str, str]:
    return {SEARCH.text(r["name"]): r["source"] for r in load_table("outlets")}


@cache
def _places() -> frozenset[str]:
    names: set[str] = set()
    for r in load_table("places"):
        names.add(SEARCH.text(r["canonical"]))
        names.update(SEARCH.text(v) for v in r.get("variants", "").split("|") if v.strip())
    return frozenset(names)


def parse_dateline(text: str) -> Dateline | None:
    head = text[:120].split("\n", 1)[0]
    outlets = _outlets()
    m = _OUTLET_FROM.match(head)
    if m and SEARCH.text(m.group("outlet")) in outlets:
        return Dateline(outlets[SEARCH.text(m.group("outlet"))], m.group("place").strip(), m.end())
    m = _PLACE_AGENCY.match(head)
    if m:
        outlet = SEARCH.text(m.group("outlet").strip())
        if outlet in outlets:
            return Dateline(outlets[outlet], m.group("place").strip(), m.end())
    m = _PLACE_OUTLET.match(head)
    if m and SEARCH.text(m.group("place")) in _places():
        return Dateline(outlets.get(SEARCH.text(m.group("outlet"))), m.group("place").strip(), m.end())
    return None
