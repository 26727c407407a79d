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


def test_worker_transport_rebuilds_the_same_analysis():
    """Workers send tokens as plain tuples (cheaper to unpickle); the main
    process gets back exactly the analysis the pipeline made."""
    import pickle

    from marsad import engine as eng
    from marsad.ingest.files import article_from_text
    from marsad.pipeline import Pipeline

    art = article_from_text("قال وزير الخارجية للصحفيين في عمّان أمس إن المحادثات ستستأنف الأسبوع المقبل، "
                            "وأضاف: «نأمل أن نصل إلى اتفاق» مع 3 وفود.", id="w1", published="2026-11-20")
    pipe = Pipeline()
    want = pipe(art)
    old, eng._worker_pipeline = eng._worker_pipeline, pipe
    try:
        sent = pickle.dumps(eng._analyse_in_worker(art))
    finally:
        eng._worker_pipeline = old
    got = eng._from_worker(pickle.loads(sent))
    assert got == want and len(got.tokens) > 20
    assert all(type(t) is type(want.tokens[0]) for t in got.tokens)


def test_worker_pool_is_recycled_and_nothing_is_lost(tmp_path):
    """After ``worker_recycle`` articles the pool is replaced (bounding the
    workers' caches); every article is still analysed, linked and stored."""
    from marsad.engine import Engine
    from marsad.ingest.files import article_from_text
    from marsad.pipeline import Pipeline

    words = ["المطر", "الطريق", "المدينة", "الميناء", "السفن", "الرياح", "المزارعون", "القمح"]
    arts = [article_from_text(f"أغلقت السلطات {words[i % 8]} رقم {i} بسبب {words[(i * 3) % 8]} في اليوم {i}.",
                              id=f"r{i}", published="2026-11-20") for i in range(210)]
    with Engine(str(tmp_path / "r.db"), workers=2, batch_size=70, worker_recycle=100,
                pipeline=Pipeline(names=["tokens", "sentences"])) as e:
        pools = []
        first = e._analyse_later(arts[:70])
        pools.append(e._executor)
        e.add_analyses(first())
        second = e._analyse_later(arts[70:140])
        pools.append(e._executor)
        third = e._analyse_later(arts[140:])  # 140 submitted >= 100: a new pool, the second batch still readable
        pools.append(e._executor)
        e.add_analyses(second())
        e.add_analyses(third())
        assert pools[0] is pools[1] and pools[2] is not pools[1]
        assert e.store.count() == 210
        a = e.analysis("r150")
        assert a.article.text.startswith("أغلقت") and a.sentences
