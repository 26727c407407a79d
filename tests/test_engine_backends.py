"""The whole engine — analysis, every linker, search, export — on each store
backend: SQLite always, PostgreSQL when MARSAD_TEST_PG names a server."""
from __future__ import annotations

import os
import uuid

import pytest

from tests.conftest import SEEDS

BACKENDS = ["sqlite"] + (["postgres"] if os.environ.get("MARSAD_TEST_PG") else [])


@pytest.fixture(params=BACKENDS)
def engine(request, tmp_path, seeds):
    from marsad.engine import Engine

    if request.param == "sqlite":
        store = str(tmp_path / "e.db")
    else:
        from marsad.store.postgres import PostgresStore

        store = PostgresStore(os.environ["MARSAD_TEST_PG"], schema=f"e_{uuid.uuid4().hex[:10]}")
    e = Engine(store, workers=1)
    yield e
    if request.param == "postgres":
        e.store.drop_schema()
    e.close()


def test_seeds_end_to_end(engine):
    report = engine.ingest([str(SEEDS / "seeds.jsonl")])
    assert len(report.added) == 2 and not report.errors
    again = engine.ingest([str(SEEDS / "seeds.jsonl")])
    assert not again.added and len(again.duplicates) == 2
    assert engine.store.count() == 2

    hits = engine.search("الأمريكي").hits
    assert [h.article_id for h in hits] == ["000_869a8ed862cadf55"]

    entities = list(engine.export("entities"))
    lavrov = [e for e in entities if "لافروف" in e["canonical"]]
    assert len(lavrov) == 1 and len(lavrov[0]["articles"]) == 2

    rec = engine.article_record("000_869a8ed862cadf55")
    assert rec["story_id"] and rec["story_id"] == engine.article_record("003_7ef351cf9e1796e6")["story_id"]
    assert rec["reuse"], "000 reuses passages of 003"

    events = list(engine.export("events"))
    talks = [e for e in events if e["type"] == "CONSULT" and len(e.get("articles") or e.get("article_ids") or []) == 2]
    assert talks, "the Hussein-Lavrov talks are one event reported by both seeds"
