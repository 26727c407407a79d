"""Helpers shared by the linker tests (test_reuse.py, test_stories.py)."""
from __future__ import annotations

import json
from pathlib import Path

from marsad.engine import Engine
from marsad.ingest.files import article_from_text
from marsad.pipeline import Pipeline

DATA = Path(__file__).parent / "data"
# The linkers need tokens and sentences only; a small pipeline keeps these
# tests about linking (test_full_pipeline_* run the default one).
LINK_PIPELINE = ["tokens", "sentences"]
A003, A000 = "003_7ef351cf9e1796e6", "000_869a8ed862cadf55"


def link_engine(path, **kw):
    return Engine(str(path), workers=1, pipeline=Pipeline(names=LINK_PIPELINE), **kw)


def own_articles():
    """Our own articles on subjects unrelated to the seeds."""
    out = []
    for line in (DATA / "stories_unrelated.jsonl").read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        out.append(article_from_text(r["text"], id=r["id"], source=r["source"], published=r["published"],
                                     title=r["title"]))
    return out
