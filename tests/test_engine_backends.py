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


# -- a batch is linked exactly as its articles one at a time ------------------------------

_OWN = [  # our own sentences, recombined below into articles that share entities, events and passages
    "أعلنت وزارة الخارجية الأردنية أن الوزير سامر الحديدي سيزور القاهرة الأربعاء المقبل لبحث العلاقات الثنائية.",
    "وقال الحديدي في مؤتمر صحفي إن البلدين سيوقعان خلال الزيارة ثلاث مذكرات تفاهم في مجالات الطاقة والنقل والمياه.",
    "والتقى الحديدي في القاهرة نظيره المصري هشام عبد الرؤوف وبحثا التطورات في المنطقة والتعاون الاقتصادي بين البلدين.",
    "وأغلقت السلطات الطريق الصحراوي بين عمان والعقبة بسبب العاصفة الرملية التي ضربت جنوب المملكة مساء أمس.",
    "وقالت مديرية الأمن العام إن فرق الإنقاذ أجلت عشرات المسافرين العالقين على الطريق ونقلتهم إلى مراكز الإيواء.",
    "ووقع الجانبان في ختام الزيارة اتفاقية لتزويد الأردن بالغاز الطبيعي المصري لمدة خمس سنوات قابلة للتجديد.",
]


def _own_articles():
    from marsad.ingest.files import article_from_text

    picks = [(0, 1, 2), (2, 5, 0), (3, 4), (1, 2, 5, 0), (4, 3, 0), (5, 2), (0, 1, 2)]
    days = ["2026-11-10", "2026-11-11", "2026-11-11", "2026-11-12", "2026-11-12", "2026-11-13", "2026-11-14"]
    return [article_from_text("\n".join(_OWN[i] for i in p) + f"\nوهذا الخبر رقم {k}.", id=f"own{k}",
                              source="own", published=d) for k, (p, d) in enumerate(zip(picks, days))]


def _tables(store) -> dict[str, list[str]]:
    """Every linker table as sorted rows (bookkeeping of the reuse index aside)."""
    skip = {"schema_versions", "reuse_words", "reuse_ids", "reuse_bands", "articles"}
    if store.url.startswith("postgres"):
        names = [r[0] for r in store.query("SELECT table_name FROM information_schema.tables "
                                           "WHERE table_schema = current_schema()")]
    else:
        names = [r[0] for r in store.query("SELECT name FROM sqlite_master WHERE type='table'")]
    out = {}
    for t in names:
        if t not in skip and "fts" not in t and not t.startswith("sqlite_"):
            out[t] = sorted(repr(tuple(bytes(v) if isinstance(v, memoryview) else v for v in r))
                            for r in store.query(f"SELECT * FROM {t}"))
    return out


def _reference(path: str):
    """An engine whose linkers link article by article, each read and write
    in SQL as they did before batches were read at once (the code kept for
    re-ingestion)."""
    from marsad.engine import Engine

    eng = Engine(path, workers=1)
    for lk in eng.linkers:
        if lk.name == "reuse":
            def each(store, batch, _lk=lk):
                _lk._texts = {a.article.id: a.article.text for a in batch}
                _lk._in_batch, _lk._next_n = True, None
                try:
                    return _lk._link_each(store, batch)
                finally:
                    _lk._texts, _lk._in_batch, _lk._next_n = {}, False, None
            lk.link = each
        else:
            lk.link = lk._link_each
    return eng


def test_a_batch_links_exactly_as_one_article_at_a_time(engine, tmp_path, seed_analyses):
    """Linkers read what a whole batch needs at once and write at its end;
    each article must still see the earlier articles of its batch exactly as
    if they had been stored before it (the reference: article by article in
    SQL, into SQLite)."""
    analyses = list(seed_analyses.values()) + engine.analyze_many(_own_articles())
    got = engine.add_analyses(analyses[:3]) + engine.add_analyses(analyses[3:])  # the second batch meets the first
    with _reference(str(tmp_path / "one.db")) as ref:
        want = ref.add_analyses(analyses)
        assert got == want  # entity and event ids filled in alike
        tables = _tables(ref.store)
    assert _tables(engine.store) == tables
    assert len(tables["reuse_passages"]) >= 5 and len(tables["story_links"]) >= 3
    assert len(tables["event_mentions"]) >= 5 and len(tables["entity_mentions"]) >= 20
    # re-linking a batch that holds stored articles replaces what they contributed, as one at a time does
    again = [analyses[3], analyses[0], analyses[5]]
    engine.add_analyses(again)
    with _reference(str(tmp_path / "one.db")) as ref:
        ref.add_analyses(again)
        assert _tables(engine.store) == _tables(ref.store)
